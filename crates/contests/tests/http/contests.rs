//! Contests end to end over HTTP: the organiser's scope, the bank import (all or nothing,
//! duplicates) and the freeze, registration with a one-time code and the one-registration rule,
//! the attempt (draw, no correct answer in the page, answers saved, resume, one active attempt,
//! expiry, submission), the result and the ranking.

use contests::store;
use documents::table::{Cell, table_xlsx};
use reqwest::StatusCode;

use crate::helpers::{SETUP, Session, TestApp, a_commune, code_for, csrf_in, demo_contest, demo_round, end_round, entrant, location, sit, start};

#[tokio::test]
async fn organisers_work_in_their_scope() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let r = demo_round(&app, c.id).await;
    let q = store::questions(&app.db, c.id).await.unwrap()[0].id;
    let tinh = app.login_as("tinh").await;
    let xa1 = app.login_as("xa1").await;
    let congan = app.login_as("congan").await;
    for path in [format!("/cuoc-thi/quan-ly/{}", c.id), format!("/cuoc-thi/quan-ly/vong/{}", r.id), format!("/cuoc-thi/quan-ly/cau-hoi/{q}"), format!("/cuoc-thi/quan-ly/vong/{}/xep-hang", r.id)] {
        assert_eq!(tinh.get(&path).await.status(), StatusCode::OK, "{path}");
        assert_eq!(xa1.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}: a commune does not see the province's contest");
        assert_eq!(congan.get(&path).await.status(), StatusCode::FORBIDDEN, "{path}: the role has no ManageContests");
    }
    assert_eq!(xa1.post(&format!("/cuoc-thi/quan-ly/{}/cong-bo", c.id), &[]).await.status(), StatusCode::NOT_FOUND);

    // A failed creation keeps what was typed; a good one is a draft of the account's unit.
    let r1 = tinh.post("/cuoc-thi/quan-ly/moi", &[("title", ""), ("min_age", "200"), ("intro", "Lời giới thiệu đã gõ")]).await;
    assert_eq!(r1.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r1.text().await.unwrap();
    assert!(html.contains(contests::msg::CONTEST_TITLE_REQUIRED) && html.contains(contests::msg::MIN_AGE_RANGE) && html.contains("Lời giới thiệu đã gõ"), "{html}");
    let area = c.area_unit_id.to_string();
    let r2 = tinh.post("/cuoc-thi/quan-ly/moi", &[("title", "Cuộc thi thử"), ("area", &area), ("min_age", "16")]).await;
    assert_eq!(r2.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r2).trim_start_matches("/cuoc-thi/quan-ly/").split('?').next().unwrap().parse().unwrap();
    let created = store::contest(&app.db, id).await.unwrap();
    assert_eq!((created.status.as_str(), created.min_age), ("draft", Some(16)));
    // Publishing needs a round; a round's rules are checked line by line.
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/{id}/cong-bo"), &[]).await.status(), StatusCode::CONFLICT);
    let bad = [("title", "Vòng 1"), ("starts", "01/01/2026 07:00"), ("ends", "31/12/2025 07:00"), ("minutes", "15"), ("grace", "10"), ("max_attempts", "1"), ("counting", "best"), ("quotas", "Bầu cử; rất khó; 5"), ("prediction", "correct_all_count"), ("prediction_text", ""), ("key1", "score"), ("key2", "score"), ("show_answers", "on_submit")];
    let r3 = tinh.post(&format!("/cuoc-thi/quan-ly/{id}/vong-moi"), &bad).await;
    assert_eq!(r3.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r3.text().await.unwrap();
    for m in [contests::msg::ENDS_BEFORE_START, contests::msg::KEY_TWICE, contests::msg::PREDICTION_TEXT_REQUIRED, contests::msg::DIFFICULTY_UNKNOWN] {
        assert!(html.contains(m), "{m}");
    }
    let good = [("title", "Vòng 1"), ("starts", "01/01/2026 07:00"), ("ends", "31/12/2030 07:00"), ("minutes", "15"), ("grace", "10"), ("max_attempts", "2"), ("counting", "last"), ("quotas", "*; *; 2"), ("prediction", ""), ("key1", "score"), ("key2", "duration"), ("prizes", "Giải Nhất; 1; 1.000.000"), ("show_answers", "after_round")];
    let r4 = tinh.post(&format!("/cuoc-thi/quan-ly/{id}/vong-moi"), &good).await;
    assert_eq!(r4.status(), StatusCode::SEE_OTHER);
    let round = store::rounds(&app.db, id).await.unwrap().remove(0);
    assert_eq!(round.keys, vec![contests::rules::settings::RankKey::Score, contests::rules::settings::RankKey::Duration]);
    assert_eq!(round.counting, contests::rules::settings::Counting::Last);
    assert_eq!(round.prizes[0].amount, 1_000_000);
    // The round cannot be published before the contest, nor with an empty bank.
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo", round.id), &[]).await.status(), StatusCode::CONFLICT);
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/{id}/cong-bo"), &[]).await.status(), StatusCode::SEE_OTHER);
    let r5 = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo", round.id), &[]).await;
    assert_eq!(r5.status(), StatusCode::CONFLICT);
    assert!(r5.text().await.unwrap().contains("ngân hàng chỉ còn 0 câu"));
    assert!(kernel::db::audit::count_for_entity(&app.db, "contest", &id.to_string()).await.unwrap() >= 2);
}

fn sheet(rows: &[[&str; 12]]) -> Vec<u8> {
    let header = contests::rules::bank::header();
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| std::iter::once(Cell::Int(i as i64 + 1)).chain(r.iter().map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) })).collect())
        .collect();
    table_xlsx("Câu hỏi", "NGÂN HÀNG CÂU HỎI", &header, &rows).unwrap()
}

#[tokio::test]
async fn the_import_is_all_or_nothing_and_published_questions_are_frozen() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let tinh = app.login_as("tinh").await;
    let before = store::questions(&app.db, c.id).await.unwrap().len();
    let ok1 = ["Luật Đất đai hiện hành được thông qua năm nào?", "2013", "2024", "2003", "", "", "", "B", "Luật Đất đai số 31/2024/QH15.", "Đất đai", "Dễ", "Luật Đất đai năm 2024"];
    let ok2 = ["Người sử dụng đất được cấp giấy chứng nhận nào?", "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Giấy phép xây dựng", "", "", "", "", "A", "", "Đất đai", "Trung bình", ""];
    let bad = ["", "Có", "Không", "", "", "", "", "C", "", "", "Rất khó", ""];
    let dup_of_row = ["  luật đất đai hiện hành được thông qua năm nào ", "Một", "Hai", "", "", "", "", "A", "", "Đất đai", "Khó", ""];
    let dup_of_bank = [contests::demo::SAMPLE[0].0, "x", "y", "", "", "", "", "A", "", "Bầu cử", "Dễ", ""];
    let url = format!("/cuoc-thi/quan-ly/{}/nhap-cau-hoi", c.id);
    let r = tinh.post_multipart(&url, &[], Some(("cau-hoi.xlsx", sheet(&[ok1, bad, dup_of_row, dup_of_bank, ok2])))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for m in [contests::msg::QUESTION_REQUIRED, contests::msg::CORRECT_NOT_AN_OPTION, contests::msg::TOPIC_REQUIRED, contests::msg::DIFFICULTY_UNKNOWN, contests::msg::DUPLICATE_OF_BANK] {
        assert!(html.contains(m), "{m}: {html}");
    }
    assert!(html.contains("Dòng 5,") && html.contains(&contests::msg::duplicate_of_row(4)), "row numbers are Excel's: {html}");
    assert_eq!(store::questions(&app.db, c.id).await.unwrap().len(), before, "nothing imported while any row has an error");
    // Not a workbook, and a workbook without the header.
    let r = tinh.post_multipart(&url, &[], Some(("cau-hoi.xlsx", b"PK\x03\x04 not really".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(contests::msg::NOT_XLSX));
    let r = tinh.post_multipart(&url, &[], Some(("cau-hoi.xlsx", sheet(&[ok1, ok2])))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let all = store::questions(&app.db, c.id).await.unwrap();
    assert_eq!(all.len(), before + 2);
    let land = all.iter().find(|q| q.topic == "Đất đai" && q.correct == 1).unwrap();
    assert_eq!(land.option_list(), vec!["2013", "2024", "2003"]);
    assert!(!land.frozen, "added after the round was published: never drawn by it, so not frozen");
    // The template downloads and reads back through the same reader.
    let t = tinh.get("/cuoc-thi/quan-ly/mau-cau-hoi.xlsx").await;
    assert_eq!(t.status(), StatusCode::OK);
    let read = documents::table::read_table_xlsx(&t.bytes().await.unwrap(), contests::rules::bank::ANCHOR).unwrap();
    assert_eq!(read.rows.len(), 2);

    // A question the published demo round may draw is frozen: its edit is refused, with the message.
    let frozen = all.iter().find(|q| q.frozen).unwrap();
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/cau-hoi/{}", frozen.id), &[("text", "Sửa"), ("option_A", "a"), ("option_B", "b"), ("correct", "A"), ("topic", "Bầu cử"), ("difficulty", "de")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(contests::msg::QUESTION_FROZEN));
    assert_eq!(store::question(&app.db, frozen.id).await.unwrap().text, frozen.text);
}

#[tokio::test]
async fn registration_needs_the_code_and_happens_once_per_phone() {
    let app = TestApp::spawn_with(&SETUP, |c| c.contests.id_pepper = "test-pepper-not-a-secret".into()).await;
    let c = demo_contest(&app).await;
    let mut s = app.client();
    let (status, html) = s.text(&format!("/cuoc-thi/{}", c.id)).await;
    assert_eq!(status, StatusCode::OK);
    // The rules are generated from the settings.
    let r = demo_round(&app, c.id).await;
    assert!(html.contains(&format!("Mỗi lượt thi gồm {} câu hỏi", r.question_count())) && html.contains("Thời gian làm bài: 15 phút") && html.contains("từ 15 tuổi trở lên"), "{html}");
    assert!(html.contains(contests::msg::KEY_PREDICTION) && html.contains(contests::msg::FINAL_KEY) && html.contains("Giải Nhất"));
    s.csrf = csrf_in(&html);
    let commune = a_commune(&app, &c).await.to_string();
    // Errors come back with what was typed.
    let r1 = s.post(&format!("/cuoc-thi/{}/dang-ky", c.id), &[("full_name", "Nguyễn Văn An"), ("birth_year", "2020"), ("contact", "12345"), ("commune", "")]).await;
    assert_eq!(r1.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r1.text().await.unwrap();
    assert!(html.contains(&contests::msg::too_young(15)) && html.contains(contests::msg::CONTACT_INVALID) && html.contains(contests::msg::COMMUNE_REQUIRED) && html.contains("Nguyễn Văn An"));
    let r2 = s.post(&format!("/cuoc-thi/{}/dang-ky", c.id), &[("full_name", "Nguyễn Văn An"), ("birth_year", "1990"), ("contact", "+84 912 345 678"), ("commune", &commune), ("cccd", "001090012345")]).await;
    assert_eq!(r2.status(), StatusCode::SEE_OTHER);
    assert!(location(&r2).starts_with(&format!("/cuoc-thi/{}/xac-nhan", c.id)));
    let e = store::entrant_by_contact(&app.db, c.id, "0912345678").await.unwrap().unwrap();
    assert!(!e.verified);
    let (hash,): (Option<String>,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT id_hash FROM contest_entrants WHERE id = $1").bind(e.id).fetch_one(p).await).unwrap();
    let hash = hash.unwrap();
    assert!(hash.len() == 64 && !hash.contains("001090012345"), "the CCCD is stored only as a keyed hash");
    // Not verified yet: the rounds cannot be started.
    assert_eq!(s.post(&format!("/cuoc-thi/{}/vong/{}/bat-dau", c.id, r.id), &[]).await.status(), StatusCode::NOT_FOUND);
    let code = code_for(&app, "sms:0912345678").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r3 = s.post(&format!("/cuoc-thi/{}/xac-nhan", c.id), &[("code", wrong)]).await;
    assert_eq!(r3.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r3.text().await.unwrap().contains(contests::msg::CODE_WRONG));
    let r4 = s.post(&format!("/cuoc-thi/{}/xac-nhan", c.id), &[("code", &code)]).await;
    assert_eq!(r4.status(), StatusCode::SEE_OTHER);
    let (_, html) = s.text(&format!("/cuoc-thi/{}", c.id)).await;
    assert!(html.contains("Xin chào Nguyễn Văn An") && html.contains("Bắt đầu làm bài"));
    assert!(!html.contains("0912345678"), "the page never shows the phone number");

    // The same phone again, from another device: no second registration, a new code to it.
    let mut other = app.client();
    let (_, html) = other.text(&format!("/cuoc-thi/{}", c.id)).await;
    other.csrf = csrf_in(&html);
    let r5 = other.post(&format!("/cuoc-thi/{}/dang-ky", c.id), &[("full_name", "Người Khác"), ("birth_year", "1985"), ("contact", "0912 345 678"), ("commune", &commune)]).await;
    assert_eq!(r5.status(), StatusCode::SEE_OTHER);
    assert!(location(&r5).contains("tb=code_sent"), "the same answer as a new registration: the page does not tell who is registered");
    let (_, html) = other.text(&location(&r5)).await;
    assert!(html.contains(contests::msg::CODE_SENT) && !html.contains("0912"), "{html}");
    assert_eq!(store::entrant_count(&app.db, c.id).await.unwrap(), 1);
    assert_eq!(store::entrant(&app.db, e.id).await.unwrap().full_name, "Nguyễn Văn An", "the first registration stays as it was");
    // An e-mail address gets its code by e-mail.
    let r6 = other.post(&format!("/cuoc-thi/{}/dang-ky", c.id), &[("full_name", "Lê Thị Bình"), ("birth_year", "2000"), ("contact", "Binh@Example.vn"), ("commune", &commune)]).await;
    assert_eq!(r6.status(), StatusCode::SEE_OTHER);
    assert_eq!(code_for(&app, "binh@example.vn").await.len(), 6);
    // One entrant per CCCD number: another contact with An's number is refused, what was typed kept.
    let r7 = other.post(&format!("/cuoc-thi/{}/dang-ky", c.id), &[("full_name", "Đỗ Văn Giang"), ("birth_year", "1980"), ("contact", "0912999888"), ("commune", &commune), ("cccd", "001090012345")]).await;
    assert_eq!(r7.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r7.text().await.unwrap();
    assert!(html.contains(contests::msg::ID_NUMBER_TAKEN) && html.contains("Đỗ Văn Giang"), "{html}");
    assert!(store::entrant_by_contact(&app.db, c.id, "0912999888").await.unwrap().is_none());
}

/// Outbox messages queued for `to`.
async fn sent_to(app: &TestApp, to: &str) -> usize {
    kernel::db::outbox::recent(&app.db, 500).await.unwrap().into_iter().filter(|m| m.to_addr == to).count()
}

#[tokio::test]
async fn one_time_codes_cannot_be_guessed_flooded_or_used_to_find_who_registered() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let mut s = app.client();
    let (_, html) = s.text(&format!("/cuoc-thi/{}", c.id)).await;
    s.csrf = csrf_in(&html);
    let commune = a_commune(&app, &c).await.to_string();
    let r = s.post(&format!("/cuoc-thi/{}/dang-ky", c.id), &[("full_name", "Vũ Thị Hoa"), ("birth_year", "1995"), ("contact", "0913000111"), ("commune", &commune)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let code = code_for(&app, "sms:0913000111").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    // Five tries an hour, right or wrong; then even the right code is refused, and a new code
    // does not give new tries.
    for _ in 0..contests::service::CODE_TRIES {
        let r = s.post(&format!("/cuoc-thi/{}/xac-nhan", c.id), &[("code", wrong)]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = s.post(&format!("/cuoc-thi/{}/xac-nhan", c.id), &[("code", &code)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(contests::msg::CODE_TOO_MANY));
    let r = s.post(&format!("/cuoc-thi/{}/nhan-ma", c.id), &[("contact", "0913000111")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let fresh = code_for(&app, "sms:0913000111").await;
    let r = s.post(&format!("/cuoc-thi/{}/xac-nhan", c.id), &[("code", &fresh)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!store::entrant_by_contact(&app.db, c.id, "0913000111").await.unwrap().unwrap().verified);

    // Codes sent to one entrant are capped per hour (the registration and two requests so far).
    let before = sent_to(&app, "sms:0913000111").await;
    assert_eq!(before, 2);
    for _ in 0..3 {
        let r = s.post(&format!("/cuoc-thi/{}/nhan-ma", c.id), &[("contact", "0913000111")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(sent_to(&app, "sms:0913000111").await, contests::service::SENDS_PER_ENTRANT as usize);

    // An unknown contact gets the very same answer, and nothing is sent.
    let r = s.post(&format!("/cuoc-thi/{}/nhan-ma", c.id), &[("contact", "0913999999")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/cuoc-thi/{}/xac-nhan?tb=code_sent", c.id));
    assert_eq!(sent_to(&app, "sms:0913999999").await, 0);
    let (status, html) = s.text(&location(&r)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(contests::msg::CODE_SENT));

    // One client address: at most SENDS_PER_ADDRESS registrations and requests an hour.
    let mut refused = false;
    for i in 0..contests::service::SENDS_PER_ADDRESS {
        let r = s.post(&format!("/cuoc-thi/{}/nhan-ma", c.id), &[("contact", &format!("09140{i:05}"))]).await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = true;
            assert!(r.text().await.unwrap().contains(contests::msg::THROTTLED));
            break;
        }
    }
    assert!(refused, "the address cap was reached");
}

#[tokio::test]
async fn an_attempt_runs_on_the_server() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let s = entrant(&app, &c, "0911000001", "Trần Văn Cường").await;
    let a = start(&s, c.id, round.id).await;
    let path = format!("/cuoc-thi/{}/bai/{a}", c.id);
    let (status, html) = s.text(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.len() < 30_000, "the attempt page is small even uncompressed: {}", html.len());
    let items = store::items(&app.db, a).await.unwrap();
    assert_eq!(items.len(), round.question_count());
    for it in &items {
        assert!(html.contains(&it.text));
        assert!(!html.contains(&it.explanation), "no explanation (nor correct answer) before submission");
    }
    assert!(!html.contains("Đáp án đúng") && !html.contains("correct"));
    // The quotas hold in the draw.
    let bank = store::questions(&app.db, c.id).await.unwrap();
    let topic = |id: i64| bank.iter().find(|q| q.id == id).unwrap().topic.clone();
    assert!(items.iter().filter(|i| topic(i.question_id) == "Bầu cử").count() >= 4);

    // Answers: a plain form post per question, and the script's request.
    let r = s.post(&format!("{path}/tra-loi"), &[("pos", "1"), ("chon", "2")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = s.client.post(format!("{}{path}/tra-loi", s.base)).header("x-requested-with", "fetch").form(&[("_csrf", s.csrf.as_str()), ("pos", "2"), ("chon", "0")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Reload resumes the same attempt with the saved answers and a remaining time.
    let (_, html) = s.text(&path).await;
    assert!(html.contains("Đã trả lời 2/"));
    assert!(html.contains("value=\"2\" checked"));
    // A second attempt cannot start while this one is active (the page refuses; the index too).
    let r = s.post(&format!("/cuoc-thi/{}/vong/{}/bat-dau", c.id, round.id), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(contests::msg::ATTEMPT_ACTIVE));
    let e = store::attempt(&app.db, a).await.unwrap().entrant_id;
    let mut tx = app.db.begin().await.unwrap();
    let twice = store::insert_attempt(&mut tx, round.id, e, 9, kernel::now(), kernel::now(), kernel::now(), &[]).await;
    assert!(matches!(twice, Err(kernel::DbError::Conflict(_))), "{twice:?}");
    drop(tx);
    // Another entrant cannot see or answer this attempt.
    let other = entrant(&app, &c, "0911000002", "Phạm Thị Dung").await;
    assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND);
    let r = other.post(&format!("{path}/tra-loi"), &[("pos", "3"), ("chon", "0")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(store::items(&app.db, a).await.unwrap()[2].chosen, None);

    // Answer every question correctly, then submit with a prediction.
    for it in store::items(&app.db, a).await.unwrap() {
        let shown = contests::rules::draw::shown_position_of(&it.option_order, it.correct).unwrap();
        let r = s.post(&format!("{path}/tra-loi"), &[("pos", &it.position.to_string()), ("chon", &shown.to_string())]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let r = s.post(&format!("{path}/nop"), &[("du_doan", "12")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}/ket-qua"));
    let done = store::attempt(&app.db, a).await.unwrap();
    assert_eq!((done.status.as_str(), done.score, done.prediction), ("submitted", Some(round.question_count() as i64), Some(12)));
    let (status, html) = s.text(&format!("{path}/ket-qua")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("{0}/{0}", round.question_count())));
    // The demo round shows answers on submission, but not while the entrant may still start
    // another attempt (it could reuse them).
    assert!(!html.contains("Đáp án đúng") && !html.contains(&items[0].explanation) && html.contains("dùng hết số lượt thi"), "{html}");
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE contest_rounds SET max_attempts = 1 WHERE id = $1").bind(round.id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    let (_, html) = s.text(&format!("{path}/ket-qua")).await;
    assert!(html.contains("Đáp án đúng") && html.contains(&items[0].explanation), "no attempt left: the answers are shown");
    // A late answer is refused.
    let r = s.post(&format!("{path}/tra-loi"), &[("pos", "1"), ("chon", "0")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // The ranking and the counters were kept by the write path.
    let tinh = app.login_as("tinh").await;
    let (status, html) = tinh.text(&format!("/cuoc-thi/quan-ly/vong/{}/xep-hang", round.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Trần Văn Cường") && html.contains("Giải Nhất"), "{html}");
    assert!(!html.contains("0911000001"), "the ranking never shows the phone");
    let counters = store::counters(&app.db, round.id).await.unwrap();
    assert_eq!(counters.iter().map(|c| (c.1, c.2, c.3)).fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2)), (1, 1, 1));
}

#[tokio::test]
async fn an_attempt_past_its_time_closes_itself() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let s = entrant(&app, &c, "0911000003", "Hoàng Văn Em").await;
    let a = start(&s, c.id, round.id).await;
    let path = format!("/cuoc-thi/{}/bai/{a}", c.id);
    let item = store::items(&app.db, a).await.unwrap().remove(0);
    let shown = contests::rules::draw::shown_position_of(&item.option_order, item.correct).unwrap().to_string();
    assert_eq!(s.post(&format!("{path}/tra-loi"), &[("pos", "1"), ("chon", &shown)]).await.status(), StatusCode::SEE_OTHER);
    // The clock passes the deadline but not the grace: the last answer in flight is taken.
    let now = kernel::now();
    let set = |deadline: chrono::DateTime<chrono::Utc>| {
        let db = app.db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            kernel::exec!(&mut tx, x => sqlx::query("UPDATE contest_attempts SET deadline_at = $1, accept_until = $2 WHERE id = $3")
                .bind(deadline).bind(deadline + chrono::Duration::seconds(10)).bind(a).execute(&mut *x).await).unwrap();
            tx.commit().await.unwrap();
        }
    };
    set(now - chrono::Duration::seconds(5)).await;
    assert_eq!(s.post(&format!("{path}/tra-loi"), &[("pos", "2"), ("chon", "0")]).await.status(), StatusCode::SEE_OTHER, "within the grace");
    // Past the grace: refused, and the attempt closes itself when touched.
    set(now - chrono::Duration::seconds(60)).await;
    let r = s.post(&format!("{path}/tra-loi"), &[("pos", "3"), ("chon", "0")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let closed = store::attempt(&app.db, a).await.unwrap();
    assert_eq!(closed.status, "expired");
    assert!(closed.score.unwrap() >= 1, "the saved answers count");
    let r = s.get(&path).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}/ket-qua"));
    let (_, html) = s.text(&format!("{path}/ket-qua")).await;
    assert!(html.contains("hết giờ"));
    // A new attempt can start (the round allows three).
    let b = start(&s, c.id, round.id).await;
    assert_ne!(a, b);
    // An attempt nobody touches is closed by the query-time rule before the ranking is read.
    set_other(&app, b).await;
    let (ranked, _) = contests::service::ranking(&app.db, &round, kernel::now()).await.unwrap();
    assert_eq!(store::attempt(&app.db, b).await.unwrap().status, "expired");
    assert_eq!(ranked.len(), 1);
    assert_eq!(ranked[0].row.attempts, 2);
}

async fn set_other(app: &TestApp, id: i64) {
    let past = kernel::now() - chrono::Duration::minutes(30);
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE contest_attempts SET deadline_at = $1, accept_until = $1 WHERE id = $2").bind(past).bind(id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn organisers_exclude_entrants_export_the_ranking_and_publish_the_winners() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let first = entrant(&app, &c, "0915000001", "Lý Văn Hùng").await;
    sit(&app, &first, c.id, round.id, true).await;
    let second = entrant(&app, &c, "0915000002", "Mã Thị Lan").await;
    sit(&app, &second, c.id, round.id, false).await;
    let hung = store::entrant_by_contact(&app.db, c.id, "0915000001").await.unwrap().unwrap().id;
    let tinh = app.login_as("tinh").await;
    let ranking = format!("/cuoc-thi/quan-ly/vong/{}/xep-hang", round.id);
    let (status, html) = tinh.text(&ranking).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Lý Văn Hùng") && html.contains("Có thể công bố khi vòng thi kết thúc"), "{html}");

    // The results cannot be published while the round runs.
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", round.id), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(contests::msg::RESULTS_TOO_EARLY));

    // An exclusion needs a reason; what was chosen is kept.
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/loai", round.id), &[("entrant", &hung.to_string()), ("reason", "  ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(contests::msg::REASON_REQUIRED) && html.contains(&format!("<option value=\"{hung}\" selected>")), "{html}");
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/loai", round.id), &[("entrant", "999999"), ("reason", "Gian lận")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(contests::msg::ENTRANT_NOT_RANKED));
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/loai", round.id), &[("entrant", &hung.to_string()), ("reason", "Dùng nhiều số điện thoại để thi")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (ranked, _) = contests::service::ranking(&app.db, &round, kernel::now()).await.unwrap();
    assert_eq!(ranked.len(), 1);
    assert_eq!((ranked[0].row.full_name.as_str(), ranked[0].prize.as_deref()), ("Mã Thị Lan", Some("Giải Nhất")), "the prize passes to the next");
    let (_, html) = tinh.text(&location(&r)).await;
    assert!(html.contains("Dùng nhiều số điện thoại để thi") && html.contains("Đưa trở lại"), "{html}");

    // The export holds the contacts and the excluded entrant with the reason; it is audited.
    let r = tinh.get(&format!("{ranking}.xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let sheet = documents::table::read_table_xlsx(&r.bytes().await.unwrap(), "Hạng").unwrap();
    let flat: Vec<String> = sheet.rows.iter().map(|(_, cells)| cells.join("|")).collect();
    assert!(flat.iter().any(|l| l.starts_with("1|Mã Thị Lan|") && l.contains("0915000002") && l.contains("Giải Nhất")), "{flat:?}");
    assert!(flat.iter().any(|l| l.contains("Lý Văn Hùng") && l.contains("0915000001") && l.contains("Dùng nhiều số điện thoại")), "{flat:?}");
    let (exports,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND entity = 'contest_round' AND entity_id = $1")
        .bind(round.id.to_string()).fetch_one(p).await).unwrap();
    assert_eq!(exports, 1);

    // Back in the ranking.
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/bo-loai", round.id), &[("entrant", &hung.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let again = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/bo-loai", round.id), &[("entrant", &hung.to_string())]).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.text().await.unwrap().contains(contests::msg::NOT_EXCLUDED));
    let (ranked, _) = contests::service::ranking(&app.db, &round, kernel::now()).await.unwrap();
    assert_eq!(ranked[0].row.full_name, "Lý Văn Hùng");

    // Nothing is public until published; once the round is over, the winners are.
    let public = format!("/cuoc-thi/{}/giai-thuong", c.id);
    let (status, html) = app.client().text(&public).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("chưa công bố kết quả") && !html.contains("Lý Văn Hùng"), "{html}");
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE contest_rounds SET ends_at = $1 WHERE id = $2").bind(kernel::now() - chrono::Duration::minutes(5)).bind(round.id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", round.id), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, html) = app.client().text(&public).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Lý Văn Hùng") && html.contains("Giải Nhất") && html.contains("Mã Thị Lan") && html.contains("Giải Nhì"), "{html}");
    assert!(!html.contains("0915000001") && !html.contains("1990"), "no contact or year of birth on the public page");

    // Each winner has a certificate, checked by its code (typed loosely or from the QR code).
    let certs = store::certificates_of_round(&app.db, round.id).await.unwrap();
    assert_eq!(certs.iter().map(|k| (k.full_name.as_str(), k.prize.as_str())).collect::<Vec<_>>(), [("Lý Văn Hùng", "Giải Nhất"), ("Mã Thị Lan", "Giải Nhì")]);
    let hung_code = certs[0].code.clone();
    let lan_code = certs[1].code.clone();
    let visitor = app.client();
    let (status, html) = visitor.text(&format!("/cuoc-thi/chung-nhan/{hung_code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Giấy chứng nhận hợp lệ") && html.contains("Lý Văn Hùng") && html.contains("Giải Nhất") && !html.contains("0915000001"), "{html}");
    let loose = format!("{}-{}", hung_code[..8].to_lowercase(), &hung_code[8..]);
    let (status, html) = visitor.text(&format!("/cuoc-thi/chung-nhan?ma={loose}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Lý Văn Hùng"));
    let (status, html) = visitor.text("/cuoc-thi/chung-nhan?ma=KHONGCOMANAYDAUA").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains(contests::msg::CERTIFICATE_NOT_FOUND));
    if documents::pdf::installed_family().is_some() {
        let r = visitor.get(&format!("/cuoc-thi/chung-nhan/{hung_code}/giay-chung-nhan.pdf")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    }
    // The winner sees it from the contest page.
    let (_, html) = first.text(&format!("/cuoc-thi/{}", c.id)).await;
    assert!(html.contains(&format!("/cuoc-thi/chung-nhan/{hung_code}")), "{html}");
    // Published again after an exclusion: the excluded winner's certificate is revoked, the next
    // keeps their code with the new prize.
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/loai", round.id), &[("entrant", &hung.to_string()), ("reason", "Vi phạm thể lệ")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", round.id), &[]).await.status(), StatusCode::SEE_OTHER);
    let (_, html) = visitor.text(&format!("/cuoc-thi/chung-nhan/{hung_code}")).await;
    assert!(html.contains("đã bị thu hồi"), "{html}");
    assert_eq!(visitor.get(&format!("/cuoc-thi/chung-nhan/{hung_code}/giay-chung-nhan.pdf")).await.status(), StatusCode::NOT_FOUND);
    // Mã Thị Lan's printed "Giải Nhì" is no longer true: revoked, and a new certificate states
    // "Giải Nhất".
    let old = store::certificate(&app.db, &lan_code).await.unwrap().unwrap();
    assert_eq!((old.prize.as_str(), old.revoked_at.is_some()), ("Giải Nhì", true));
    let now_in_force = store::certificates_of_round(&app.db, round.id).await.unwrap();
    assert_eq!(now_in_force.iter().map(|k| (k.full_name.as_str(), k.prize.as_str())).collect::<Vec<_>>(), [("Mã Thị Lan", "Giải Nhất")]);
    assert_ne!(now_in_force[0].code, lan_code);
    let (_, html) = visitor.text(&format!("/cuoc-thi/chung-nhan/{lan_code}")).await;
    assert!(html.contains("đã bị thu hồi") && !html.contains("Mã Thị Lan"), "a revoked certificate's page does not name the holder: {html}");
    // Published again with nothing changed: the same certificate, code and date.
    let before = now_in_force[0].clone();
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", round.id), &[]).await.status(), StatusCode::SEE_OTHER);
    let after = store::certificates_of_round(&app.db, round.id).await.unwrap();
    assert_eq!((after.len(), after[0].code.as_str(), after[0].issued_at), (1, before.code.as_str(), before.issued_at));

    // The rules as an official DOCX.
    let r = tinh.get(&format!("/cuoc-thi/quan-ly/{}/the-le.docx", c.id)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = documents::docx_text::docx_plain_text(&r.bytes().await.unwrap()).unwrap();
    assert!(text.contains("THỂ LỆ") && text.contains(&c.title) && text.contains("Vòng 1") && text.contains("Giải Nhất") && text.contains(&format!("Mỗi lượt thi gồm {} câu hỏi", round.question_count())), "{text}");
}

#[tokio::test]
async fn the_report_is_prefilled_with_the_contests_and_their_entrants() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let s = entrant(&app, &c, "0916000001", "Tô Văn Minh").await;
    sit(&app, &s, c.id, round.id, true).await;
    sit(&app, &s, c.id, round.id, false).await;
    let today = kernel::page::today();
    let value = |figures: &[kernel::registry::ReportFigure], key: &str| figures.iter().find(|f| f.key == key).map(|f| f.value);
    let f = contests::service::report_figures_port(&app.db, c.unit_id, None, today - chrono::Duration::days(30), today).await.unwrap();
    assert_eq!((value(&f, "contests"), value(&f, "contest_entrants")), (Some(1), Some(1)), "one contest; one entrant in its round, however many attempts");
    assert!(f.iter().all(|x| x.href.as_deref() == Some("/cuoc-thi/quan-ly") && x.source.contains("Cuộc thi trực tuyến")));
    // A commune below the organiser did not organise it; a period long before holds nothing.
    let commune = app.unit_id("05977").await;
    let f = contests::service::report_figures_port(&app.db, commune, None, today - chrono::Duration::days(30), today).await.unwrap();
    assert_eq!((value(&f, "contests"), value(&f, "contest_entrants")), (Some(0), Some(0)));
    let f = contests::service::report_figures_port(&app.db, c.unit_id, None, today - chrono::Duration::days(400), today - chrono::Duration::days(300)).await.unwrap();
    assert_eq!((value(&f, "contests"), value(&f, "contest_entrants")), (Some(0), Some(0)));
    // Agencies organise no contests here.
    assert!(contests::service::report_figures_port(&app.db, c.unit_id, Some(1), today, today).await.unwrap().is_empty());
}

#[tokio::test]
async fn everyone_who_took_part_gets_a_certificate_of_taking_part() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let s = entrant(&app, &c, "0915000031", "Nông Thị Hạnh").await;
    // No certificate before a counted result.
    let id = store::entrant_by_contact(&app.db, c.id, "0915000031").await.unwrap().unwrap().id;
    sit(&app, &s, c.id, round.id, false).await;
    let attempt = store::attempts_of(&app.db, round.id, id).await.unwrap()[0].id;
    let (status, html) = s.text(&format!("/cuoc-thi/{}/bai/{attempt}/ket-qua", c.id)).await;
    assert_eq!(status, StatusCode::OK);
    let code = html.split("/cuoc-thi/chung-nhan/").nth(1).and_then(|t| t.split(['/', '"']).next()).expect("a certificate link").to_string();
    // The same certificate on every view, issued once and audited.
    let (_, again) = s.text(&format!("/cuoc-thi/{}/bai/{attempt}/ket-qua", c.id)).await;
    assert!(again.contains(&format!("/cuoc-thi/chung-nhan/{code}/giay-chung-nhan.pdf")));
    let (n,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'contest_certificate'").fetch_one(p).await).unwrap();
    assert_eq!(n, 1);
    let visitor = app.client();
    let (status, page) = visitor.text(&format!("/cuoc-thi/chung-nhan/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Giấy chứng nhận hợp lệ") && page.contains("Nông Thị Hạnh") && page.contains("Đã tham gia vòng thi") && !page.contains("0915000031"), "{page}");
    if documents::pdf::installed_family().is_some() {
        let r = visitor.get(&format!("/cuoc-thi/chung-nhan/{code}/giay-chung-nhan.pdf")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    }
    // Publishing the results keeps it (a prize would replace it); excluding revokes it.
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE contest_rounds SET ends_at = $1 WHERE id = $2").bind(kernel::now() - chrono::Duration::minutes(5)).bind(round.id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    let tinh = app.login_as("tinh").await;
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", round.id), &[]).await.status(), StatusCode::SEE_OTHER);
    let held = store::certificates_of_round(&app.db, round.id).await.unwrap();
    assert_eq!(held.iter().map(|k| (k.full_name.as_str(), k.position)).collect::<Vec<_>>(), [("Nông Thị Hạnh", 1)], "the only entrant wins the first prize");
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/loai", round.id), &[("entrant", &id.to_string()), ("reason", "Dùng nhiều tài khoản")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(store::certificates_of_round(&app.db, round.id).await.unwrap().is_empty(), "an excluded entrant holds nothing");
    let (_, page) = visitor.text(&format!("/cuoc-thi/chung-nhan/{code}")).await;
    assert!(page.contains("đã bị thu hồi"), "{page}");
}

#[tokio::test]
async fn answers_are_committed_in_batches_and_acknowledged_only_once_saved() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let a_s = entrant(&app, &c, "0911000101", "Lê Văn An").await;
    let b_s = entrant(&app, &c, "0911000102", "Lê Thị Bình").await;
    let a = start(&a_s, c.id, round.id).await;
    let b = start(&b_s, c.id, round.id).await;
    let (ea, eb) = (store::attempt(&app.db, a).await.unwrap().entrant_id, store::attempt(&app.db, b).await.unwrap().entrant_id);
    let now = kernel::now();
    let save = |attempt_id, entrant_id, position, chosen| store::AnswerSave { attempt_id, entrant_id, position, chosen, at: now };

    // One batch, one transaction: each save gets its own outcome, in order. A save on another
    // entrant's attempt, or on a question the attempt does not have, changes nothing; a question
    // saved twice keeps the later choice.
    let out = store::save_answers(&app.db, &[save(a, ea, 1, 0), save(b, eb, 1, 3), save(a, eb, 2, 1), save(a, ea, 1, 2), save(b, eb, 99, 0), save(b, eb, 2, 1), save(b, ea, 2, 3)]).await.unwrap();
    assert_eq!(out, vec![1, 1, 0, 1, 0, 1, 0]);
    let chosen = |items: Vec<store::Item>| items.iter().map(|i| i.chosen).collect::<Vec<_>>();
    let ia = chosen(store::items(&app.db, a).await.unwrap());
    let ib = chosen(store::items(&app.db, b).await.unwrap());
    assert_eq!((ia[0], ia[1]), (Some(2), None));
    assert_eq!((ib[0], ib[1]), (Some(3), Some(1)));

    // A save on a closed attempt in the same batch as open ones is refused alone.
    let r = b_s.post(&format!("/cuoc-thi/{}/bai/{b}/nop", c.id), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let out = store::save_answers(&app.db, &[save(b, eb, 3, 0), save(a, ea, 3, 0)]).await.unwrap();
    assert_eq!(out, vec![0, 1]);

    // Through the writer: every question of the attempt sent at once, from concurrent requests
    // (the script's autosave); each 204 means the answer is in the database.
    let path = format!("/cuoc-thi/{}/bai/{a}/tra-loi", c.id);
    let n = round.question_count() as i64;
    let mut sends = tokio::task::JoinSet::new();
    for pos in 1..=n {
        let req = a_s.client.post(format!("{}{path}", a_s.base)).header("x-requested-with", "fetch").form(&[("_csrf", a_s.csrf.clone()), ("pos", pos.to_string()), ("chon", (pos % 4).to_string())]);
        sends.spawn(async move { req.send().await.unwrap().status() });
    }
    let statuses = sends.join_all().await;
    assert!(statuses.iter().all(|s| *s == StatusCode::NO_CONTENT), "{statuses:?}");
    let saved = store::items(&app.db, a).await.unwrap();
    assert!(saved.iter().all(|i| i.chosen == Some(i.position % 4)), "every acknowledged answer is saved");
    // The writer keeps refusing what the attempt no longer takes.
    let r = b_s.client.post(format!("{}/cuoc-thi/{}/bai/{b}/tra-loi", b_s.base, c.id)).header("x-requested-with", "fetch").form(&[("_csrf", b_s.csrf.as_str()), ("pos", "4"), ("chon", "1")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
}


/// Downloads one of a round's exports: (status, the table read back from its header row, the
/// Content-Disposition).
async fn export_table(s: &Session, path: &str, anchor: &str) -> (StatusCode, documents::table::ReadTable, String) {
    let r = s.get(path).await;
    let status = r.status();
    let disposition = r.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if status != StatusCode::OK {
        return (status, documents::table::ReadTable::default(), disposition);
    }
    let table = documents::table::read_table_xlsx(&r.bytes().await.unwrap(), anchor).unwrap();
    (status, table, disposition)
}

#[tokio::test]
async fn organisers_export_the_winners_the_participation_by_commune_and_every_attempt() {
    use contests::msg::CONTACT_COLUMN;
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let first = entrant(&app, &c, "0917000001", "Đinh Văn Tài").await;
    sit(&app, &first, c.id, round.id, true).await;
    let second = entrant(&app, &c, "0917000002", "Bế Thị Mai").await;
    sit(&app, &second, c.id, round.id, false).await;
    // A second attempt still running.
    start(&first, c.id, round.id).await;
    let tai = store::entrant_by_contact(&app.db, c.id, "0917000001").await.unwrap().unwrap();
    let commune = kernel::db::units::get(&app.db, tai.commune_id).await.unwrap().name;
    let province = kernel::db::units::get(&app.db, c.area_unit_id).await.unwrap().name;
    let q = round.question_count().to_string();
    let base = format!("/cuoc-thi/quan-ly/vong/{}", round.id);
    let (winners, participation, attempts) = (format!("{base}/giai-thuong.xlsx"), format!("{base}/tham-gia.xlsx"), format!("{base}/bai-thi.xlsx"));
    let tinh = app.login_as("tinh").await;

    // The ranking page links the three files.
    let (_, html) = tinh.text(&format!("{base}/xep-hang")).await;
    assert!(html.contains(&winners) && html.contains(&participation) && html.contains(&attempts), "{html}");

    // The winners in ranking order, with the organiser's contact column.
    let (status, t, disposition) = export_table(&tinh, &winners, "Hạng").await;
    assert_eq!(status, StatusCode::OK);
    assert!(disposition.contains(&format!("giai-thuong-vong-{}.xlsx", round.number)), "{disposition}");
    assert_eq!(t.header[..6], ["Hạng", "Giải", "Họ và tên", "Năm sinh", "Xã, phường", CONTACT_COLUMN]);
    let rows: Vec<Vec<String>> = t.rows.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][..7], ["1", "Giải Nhất", "Đinh Văn Tài", "1990", commune.as_str(), "0917000001", q.as_str()]);
    assert_eq!((rows[0][8].as_str(), rows[1][1].as_str(), rows[1][2].as_str(), rows[1][6].as_str()), ("1", "Giải Nhì", "Bế Thị Mai", "0"));

    // The participation by commune from the live counters, with its province and a total; no
    // personal data.
    let (status, t, disposition) = export_table(&tinh, &participation, "STT").await;
    assert_eq!(status, StatusCode::OK);
    assert!(disposition.contains(&format!("tham-gia-vong-{}.xlsx", round.number)), "{disposition}");
    assert!(!t.header.iter().any(|h| h == CONTACT_COLUMN), "{:?}", t.header);
    let rows: Vec<Vec<String>> = t.rows.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(rows, [vec!["1".to_string(), province.clone(), commune.clone(), "2".into(), "3".into(), "2".into()], vec![String::new(), contests::msg::TOTAL_ROW.into(), String::new(), "2".into(), "3".into(), "2".into()]]);

    // Every attempt in the order started, with status, times and score.
    let (status, t, disposition) = export_table(&tinh, &attempts, "STT").await;
    assert_eq!(status, StatusCode::OK);
    assert!(disposition.contains(&format!("bai-thi-vong-{}.xlsx", round.number)), "{disposition}");
    assert_eq!(t.header, contests::export::attempts_header(true));
    let rows: Vec<Vec<String>> = t.rows.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let mut started = store::attempts_of(&app.db, round.id, tai.id).await.unwrap();
    let running = started.pop().unwrap();
    let done = started.pop().unwrap();
    let fmt = contests::pages::fmt_datetime_seconds;
    let (start_1, close_1, time_1, start_2) = (fmt(done.started_at), fmt(done.closed_at.unwrap()), contests::pages::fmt_duration_ms(done.duration_ms.unwrap()), fmt(running.started_at));
    assert_eq!(rows[0][..10], ["1", "1", "Đinh Văn Tài", "1990", commune.as_str(), "0917000001", "Đã nộp bài", start_1.as_str(), close_1.as_str(), time_1.as_str()]);
    assert_eq!((rows[0][10].as_str(), rows[0][11].as_str(), rows[0][12].as_str()), (q.as_str(), q.as_str(), "1"));
    assert_eq!((rows[1][2].as_str(), rows[1][5].as_str(), rows[1][10].as_str()), ("Bế Thị Mai", "0917000002", "0"));
    assert_eq!(rows[2][..9], ["3", "2", "Đinh Văn Tài", "1990", commune.as_str(), "0917000001", "Đang làm bài", start_2.as_str(), ""]);
    assert!(rows[2][9..].iter().zip(["", "", q.as_str(), ""]).all(|(a, b)| a == b), "{:?}", rows[2]);

    // The winners and the attempts hold personal data: each download is audited.
    let exports = || async {
        let (n,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND entity = 'contest_round' AND entity_id = $1")
            .bind(round.id.to_string()).fetch_one(p).await).unwrap();
        n
    };
    assert_eq!(exports().await, 2);

    // The exclusions are respected: the prize passes to the next.
    let r = tinh.post(&format!("{base}/loai"), &[("entrant", &tai.id.to_string()), ("reason", "Vi phạm thể lệ")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, t, _) = export_table(&tinh, &winners, "Hạng").await;
    let rows: Vec<Vec<String>> = t.rows.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][..3], ["1", "Giải Nhất", "Bế Thị Mai"]);

    // Outside the organiser's scope: not found; a role without contests: forbidden.
    let xa1 = app.login_as("xa1").await;
    let congan = app.login_as("congan").await;
    for path in [&winners, &participation, &attempts] {
        assert_eq!(xa1.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(congan.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }

    // A contest of a commune: its officers get the contacts; the province above it sees the
    // same files without them.
    let (xa1_unit,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT unit_id FROM accounts WHERE username = 'xa1'").fetch_one(p).await).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE contests SET unit_id = $1 WHERE id = $2").bind(xa1_unit).bind(c.id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    let before = exports().await;
    for (s, contacts) in [(&xa1, true), (&tinh, false)] {
        let (status, w, _) = export_table(s, &winners, "Hạng").await;
        assert_eq!(status, StatusCode::OK);
        let (_, a, _) = export_table(s, &attempts, "STT").await;
        assert_eq!((w.header.iter().any(|h| h == CONTACT_COLUMN), a.header.iter().any(|h| h == CONTACT_COLUMN)), (contacts, contacts));
        assert_eq!(a.header, contests::export::attempts_header(contacts));
        let cells = w.rows.iter().chain(a.rows.iter()).flat_map(|(_, r)| r.iter());
        assert_eq!(cells.clone().any(|v| v.starts_with("09170000")), contacts);
        assert_eq!(a.rows.len(), 3);
    }
    assert_eq!(exports().await, before + 4);
    let xa2 = app.login_as("xa2").await;
    for path in [&winners, &participation, &attempts] {
        assert_eq!(xa2.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

/// A Word file of `lines`, one paragraph each, written by the workspace's DOCX writer (the
/// official layout: its header and "Nơi nhận" block around the lines, as organisers' files have).
fn word_file(lines: &[&str]) -> Vec<u8> {
    use documents::official::{Block, OfficialDoc, Signature};
    documents::official_docx(&OfficialDoc {
        parent_body: None,
        issuing_body: "SỞ TƯ PHÁP".into(),
        number: None,
        place: None,
        date: None,
        kind: "NGÂN HÀNG CÂU HỎI".into(),
        title: "Cuộc thi tìm hiểu pháp luật về đất đai".into(),
        blocks: lines.iter().map(|l| Block::Paragraph(l.to_string())).collect(),
        signature: Signature::default(),
        recipients: vec!["Các xã, phường".into()],
    })
    .unwrap()
}

#[tokio::test]
async fn the_word_import_lists_each_bad_question_imports_all_or_nothing_and_flags_duplicates() {
    use contests::msg;
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let tinh = app.login_as("tinh").await;
    let url = format!("/cuoc-thi/quan-ly/{}/nhap-cau-hoi", c.id);
    let before = store::questions(&app.db, c.id).await.unwrap().len();
    let head = [
        "CHỦ ĐỀ: Đất đai",
        "Câu 1: Luật Đất đai hiện hành được thông qua năm nào?",
        "A. Năm 2013",
        "B. Năm 2024",
        "C. Năm 2003",
        "Đáp án: B",
        "Giải thích: Luật Đất đai số 31/2024/QH15.",
        "Mức độ: Dễ",
        "Căn cứ: Luật Đất đai năm 2024",
        "Câu 2: Người sử dụng đất được cấp giấy chứng nhận nào?",
    ];
    let option_a = "A) Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất";
    let option_b = "B) Giấy phép xây dựng";
    // Câu 2 has no answer, Câu 3 is already in the bank, Câu 4 repeats Câu 1.
    let mut bad: Vec<&str> = head.to_vec();
    bad.extend([option_a, option_b]);
    let bank_text = format!("Câu 3: {}", contests::demo::SAMPLE[0].0);
    bad.extend([bank_text.as_str(), "A. Đủ 18 tuổi", "B. Đủ 16 tuổi", "Đáp án: A", "Chủ đề: Bầu cử"]);
    bad.extend(["Câu 4:  LUẬT ĐẤT ĐAI hiện hành được thông qua năm nào", "a. Năm 2013", "b. Năm 2024", "Đáp án đúng: b"]);
    let bytes = word_file(&bad);
    let text = documents::docx_text::docx_plain_text(&bytes).unwrap();
    let paragraph = |start: &str| text.lines().position(|l| l.starts_with(start)).unwrap() + 1;
    let r = tinh.post_multipart(&url, &[], Some(("ngan-hang.docx", bytes.clone()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for m in [
        msg::docx_error(Some(2), paragraph("Câu 2:"), msg::DOCX_ANSWER_MISSING),
        msg::docx_error(Some(3), paragraph("Câu 3:"), msg::DUPLICATE_OF_BANK),
        msg::docx_error(Some(4), paragraph("Câu 4:"), &msg::docx_duplicate_of(1, paragraph("Câu 1:"))),
    ] {
        assert!(html.contains(&m), "{m}: {html}");
    }
    assert!(html.contains("Tệp chưa nhập được"), "the XLSX import's error box");
    assert_eq!(store::questions(&app.db, c.id).await.unwrap().len(), before, "nothing imported while any question has an error");
    // Not a Word file, though named like one.
    let r = tinh.post_multipart(&url, &[], Some(("ngan-hang.docx", b"PK\x03\x04 not really".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(msg::NOT_DOCX));

    // Fixed: the correct option of Câu 2 marked with "*"; the file's name does not matter.
    let marked = format!("*{option_a}");
    let mut good: Vec<&str> = head.to_vec();
    good.extend([marked.as_str(), option_b]);
    let r = tinh.post_multipart(&url, &[], Some(("cau-hoi", word_file(&good)))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let all = store::questions(&app.db, c.id).await.unwrap();
    assert_eq!(all.len(), before + 2);
    let law = all.iter().find(|q| q.text == "Luật Đất đai hiện hành được thông qua năm nào?").unwrap();
    assert_eq!((law.correct, law.topic.as_str(), law.difficulty.as_str(), law.source.as_str()), (1, "Đất đai", "de", "Luật Đất đai năm 2024"));
    assert_eq!(law.option_list(), vec!["Năm 2013", "Năm 2024", "Năm 2003"]);
    let cert = all.iter().find(|q| q.text.starts_with("Người sử dụng đất")).unwrap();
    assert_eq!((cert.correct, cert.topic.as_str(), cert.difficulty.as_str()), (0, "Đất đai", "trung_binh"));
    assert_eq!(cert.option_list()[0], "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất");
    // The same file again: both are duplicates of the bank now.
    let r = tinh.post_multipart(&url, &[], Some(("cau-hoi.docx", word_file(&good)))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.text().await.unwrap().matches(msg::DUPLICATE_OF_BANK).count(), 2);
    assert_eq!(store::questions(&app.db, c.id).await.unwrap().len(), before + 2);

    // The Word template downloads, reads back through the same reader, and its questions (the
    // demo bank's) are flagged as duplicates when imported into the demo contest.
    let t = tinh.get("/cuoc-thi/quan-ly/mau-cau-hoi.docx").await;
    assert_eq!(t.status(), StatusCode::OK);
    let sample = t.bytes().await.unwrap().to_vec();
    let read = contests::rules::docx_bank::parse(&documents::docx_text::docx_plain_text(&sample).unwrap(), &Default::default(), &[]).unwrap();
    assert_eq!(read.iter().map(|q| q.topic.as_str()).collect::<Vec<_>>(), vec!["Bầu cử", "Bầu cử", "Hòa giải ở cơ sở"]);
    let r = tinh.post_multipart(&url, &[], Some(("mau-cau-hoi-cuoc-thi.docx", sample))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.text().await.unwrap().matches(msg::DUPLICATE_OF_BANK).count(), 3);
    assert_eq!(store::questions(&app.db, c.id).await.unwrap().len(), before + 2);
    assert_eq!(app.login_as("congan").await.get("/cuoc-thi/quan-ly/mau-cau-hoi.docx").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn one_prize_per_person_passes_lower_prizes_on_and_the_overall_ranking_sums_the_rounds() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let r1 = demo_round(&app, c.id).await;
    let tinh = app.login_as("tinh").await;
    // The organiser turns the rule on in the contest's settings; the public rules say so.
    let (_, html) = tinh.text(&format!("/cuoc-thi/quan-ly/{}", c.id)).await;
    assert!(html.contains("name=\"one_prize\""));
    let area = c.area_unit_id.to_string();
    let r = tinh.post(&format!("/cuoc-thi/quan-ly/{}", c.id), &[("title", c.title.as_str()), ("intro", c.intro.as_str()), ("area", &area), ("min_age", "15"), ("one_prize", "1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    assert!(store::contest(&app.db, c.id).await.unwrap().one_prize_per_person);
    let (_, html) = app.client().text(&format!("/cuoc-thi/{}", c.id)).await;
    assert!(html.contains(contests::msg::RULES_ONE_PRIZE));

    // Round 1: An first (Giải Nhất), Bình second (Giải Nhì).
    let an = entrant(&app, &c, "0916000001", "Đỗ Văn An").await;
    let binh = entrant(&app, &c, "0916000002", "Đỗ Thị Bình").await;
    sit(&app, &an, c.id, r1.id, true).await;
    sit(&app, &binh, c.id, r1.id, false).await;
    end_round(&app, r1.id).await;
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", r1.id), &[]).await.status(), StatusCode::SEE_OTHER);
    let prize_of = |ranked: &[contests::service::Ranked], name: &str| ranked.iter().find(|x| x.row.full_name == name).map(|x| (x.prize.clone(), x.held_elsewhere.clone())).unwrap();
    let (ranked, _) = contests::service::ranking(&app.db, &r1, kernel::now()).await.unwrap();
    assert_eq!(prize_of(&ranked, "Đỗ Văn An").0.as_deref(), Some("Giải Nhất"));
    assert_eq!(prize_of(&ranked, "Đỗ Thị Bình").0.as_deref(), Some("Giải Nhì"));

    // Round 2, same prizes: An first again, Bình second, Cường third (times fixed so the order is).
    let mut tx = app.db.begin().await.unwrap();
    let input = store::RoundInput {
        title: "Vòng 2".into(), starts_at: kernel::now() - chrono::Duration::hours(1), ends_at: kernel::now() + chrono::Duration::days(1),
        time_limit_s: r1.time_limit_s, grace_s: r1.grace_s, max_attempts: 1, counting: r1.counting, quotas: r1.quotas.clone(), prediction: r1.prediction,
        prediction_text: r1.prediction_text.clone(), keys: r1.keys.clone(), prizes: r1.prizes.clone(), show_answers: r1.show_answers,
    };
    let r2 = store::insert_round(&mut tx, c.id, &input).await.unwrap();
    tx.commit().await.unwrap();
    let r2 = store::round(&app.db, r2).await.unwrap();
    contests::service::publish_round(&app.db, &kernel::db::audit::Actor::cli(), &c, &r2).await.unwrap().unwrap();
    let cuong = entrant(&app, &c, "0916000003", "Đỗ Văn Cường").await;
    sit(&app, &an, c.id, r2.id, true).await;
    sit(&app, &binh, c.id, r2.id, true).await;
    sit(&app, &cuong, c.id, r2.id, false).await;
    for (phone, ms) in [("0916000001", 1_000), ("0916000002", 2_000), ("0916000003", 3_000)] {
        let e = store::entrant_by_contact(&app.db, c.id, phone).await.unwrap().unwrap().id;
        let mut tx = app.db.begin().await.unwrap();
        kernel::exec!(&mut tx, x => sqlx::query("UPDATE contest_results SET duration_ms = $1 WHERE round_id = $2 AND entrant_id = $3").bind(ms).bind(r2.id).bind(e).execute(&mut *x).await).unwrap();
        tx.commit().await.unwrap();
    }
    // An holds Giải Nhất from round 1: passed over, the first prize goes to Bình (worth more than
    // the second prize Bình holds), and the second to Cường.
    let (ranked, _) = contests::service::ranking(&app.db, &r2, kernel::now()).await.unwrap();
    assert_eq!(ranked[0].row.full_name, "Đỗ Văn An");
    assert_eq!(prize_of(&ranked, "Đỗ Văn An"), (None, Some(contests::msg::held_prize("Giải Nhất", &r1.title))));
    assert_eq!(prize_of(&ranked, "Đỗ Thị Bình").0.as_deref(), Some("Giải Nhất"));
    assert_eq!(prize_of(&ranked, "Đỗ Văn Cường").0.as_deref(), Some("Giải Nhì"));
    let (_, html) = tinh.text(&format!("/cuoc-thi/quan-ly/vong/{}/xep-hang", r2.id)).await;
    assert!(html.contains("đã đạt Giải Nhất"), "{html}");
    end_round(&app, r2.id).await;
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", r2.id), &[]).await.status(), StatusCode::SEE_OTHER);
    // Round 1 published again: Bình now holds a higher prize (round 2), so keeps only that one.
    let (ranked, _) = contests::service::ranking(&app.db, &r1, kernel::now()).await.unwrap();
    assert_eq!(prize_of(&ranked, "Đỗ Thị Bình"), (None, Some(contests::msg::held_prize("Giải Nhất", "Vòng 2"))));
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", r1.id), &[]).await.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.client().text(&format!("/cuoc-thi/{}/giai-thuong", c.id)).await;
    assert_eq!(html.matches("Đỗ Thị Bình").count(), 1, "one prize for Bình on the public list: {html}");

    // The overall ranking sums the published rounds: An 20/20, Bình 10/20, Cường 0/10.
    let (status, html) = tinh.text(&format!("/cuoc-thi/quan-ly/{}/xep-hang-chung", c.id)).await;
    assert_eq!(status, StatusCode::OK);
    let (a, b, k) = (html.find("Đỗ Văn An").unwrap(), html.find("Đỗ Thị Bình").unwrap(), html.find("Đỗ Văn Cường").unwrap());
    assert!(a < b && b < k, "{html}");
    let n = r1.question_count();
    assert!(html.contains(&format!("{}/{}", 2 * n, 2 * n)) && html.contains(&format!("0/{n}")), "{html}");
    // Another unit's officer cannot see it.
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.get(&format!("/cuoc-thi/quan-ly/{}/xep-hang-chung", c.id)).await.status(), StatusCode::NOT_FOUND);
}
