//! The live statistics' most-missed questions, kept by the write path when attempts close, and
//! the collective prizes for units: their settings (errors keep what was typed), the units'
//! headcounts, the ranking by participation rate plus the winners' points, its publication
//! once the rounds' results are, and the public page (units only, never a person).

use contests::store;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{SETUP, Session, TestApp, csrf_in, code_for, demo_contest, demo_round, end_round, entrant, location, sit, start};

/// Makes the round draw every frozen question of one topic, so every attempt has the same
/// questions: their ids.
async fn same_questions_for_all(app: &TestApp, c: i64, round: i64) -> Vec<i64> {
    let bank = store::drawable(&app.db, c).await.unwrap();
    let topic = bank[0].topic.clone();
    let ids: Vec<i64> = bank.iter().filter(|q| q.topic == topic).map(|q| q.id).collect();
    let quotas = serde_json::json!([{"topic": topic, "difficulty": "", "count": ids.len()}]).to_string();
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE contest_rounds SET quotas = $1 WHERE id = $2").bind(&quotas).bind(round).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    ids
}

/// Answers each question of a new attempt right, except `wrong` (answered wrong), and submits.
async fn sit_missing(app: &TestApp, s: &Session, c: i64, round: i64, wrong: i64) {
    let a = start(s, c, round).await;
    let path = format!("/cuoc-thi/{c}/bai/{a}");
    for it in store::items(&app.db, a).await.unwrap() {
        let correct = contests::rules::draw::shown_position_of(&it.option_order, it.correct).unwrap();
        let chosen = if it.question_id == wrong { (correct + 1) % it.option_order.split(',').count() } else { correct };
        let r = s.post(&format!("{path}/tra-loi"), &[("pos", &it.position.to_string()), ("chon", &chosen.to_string())]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(s.post(&format!("{path}/nop"), &[("du_doan", "1")]).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_most_missed_questions_come_from_counters_kept_when_attempts_close() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let ids = same_questions_for_all(&app, c.id, round.id).await;
    let n = ids.len() as i64;
    assert!(n >= 2);
    let target = ids[1];
    // Three all right, two all wrong, one submitted blank, one right but for `target`.
    for (k, right) in [true, true, true, false, false].into_iter().enumerate() {
        let s = entrant(&app, &c, &format!("09190000{k:02}"), &format!("Người thi {k}")).await;
        sit(&app, &s, c.id, round.id, right).await;
    }
    let blank = entrant(&app, &c, "0919000010", "Người bỏ trống").await;
    let a = start(&blank, c.id, round.id).await;
    assert_eq!(blank.post(&format!("/cuoc-thi/{}/bai/{a}/nop", c.id), &[("du_doan", "1")]).await.status(), StatusCode::SEE_OTHER);
    let one_wrong = entrant(&app, &c, "0919000011", "Người sai một câu").await;
    sit_missing(&app, &one_wrong, c.id, round.id, target).await;

    // The counters: 7 closed attempts drew every question; 6 answered it; 4 right (3 for `target`).
    let counts = store::question_counts(&app.db, round.id).await.unwrap();
    assert_eq!(counts.len() as i64, n);
    for q in &counts {
        let correct = if q.question_id == target { 3 } else { 4 };
        assert_eq!((q.drawn, q.answered, q.correct), (7, 6, correct), "question {}", q.question_id);
    }
    // The ranking page lists them, `target` first (4 of 7 missed, 57,1%; the others 3 of 7, 42,9%).
    let tinh = app.login_as("tinh").await;
    let (status, html) = tinh.text(&format!("/cuoc-thi/quan-ly/vong/{}/xep-hang", round.id)).await;
    assert_eq!(status, StatusCode::OK);
    let section = &html[html.find("id=\"sai-nhieu\"").unwrap()..];
    let first = section.find("<tbody>").map(|i| &section[i..]).unwrap();
    assert!(first.find(&format!("/cau-hoi/{target}\"")).unwrap() < first.find("42,9%").unwrap(), "{section}");
    assert!(section.contains("4 (57,1%)") && section.contains("3 (42,9%)"), "{section}");
    // The API gives the same, without anyone's name.
    let t = {
        let r = reqwest::Client::new().post(format!("{}/api/v1/tokens", app.base)).json(&serde_json::json!({"username": "tinh", "password": testkit::PASSWORD})).send().await.unwrap();
        r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
    };
    let r = reqwest::Client::new().get(format!("{}/api/v1/contests/rounds/{}/statistics", app.base, round.id)).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    let s: Value = serde_json::from_str(&text).unwrap();
    let missed = s["most_missed"].as_array().unwrap();
    assert_eq!(missed.len() as i64, n.min(10));
    assert_eq!((missed[0]["question_id"].as_i64(), missed[0]["drawn"].as_i64(), missed[0]["answered"].as_i64(), missed[0]["correct"].as_i64(), missed[0]["missed_permille"].as_i64()),
        (Some(target), Some(7), Some(6), Some(3), Some(571)));
    assert!(!text.contains("Người sai một câu") && !text.contains("0919000011"), "{text}");
}

/// A visitor registered in `commune` with `phone`, verified.
async fn entrant_in(app: &TestApp, c: &store::Contest, phone: &str, name: &str, commune: i64) -> Session {
    let mut s = app.client();
    let (_, html) = s.text(&format!("/cuoc-thi/{}", c.id)).await;
    s.csrf = csrf_in(&html);
    let commune = commune.to_string();
    let r = s.post(&format!("/cuoc-thi/{}/dang-ky", c.id), &[("full_name", name), ("birth_year", "1990"), ("contact", phone), ("commune", &commune)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let code = code_for(app, &format!("sms:{phone}")).await;
    assert_eq!(s.post(&format!("/cuoc-thi/{}/xac-nhan", c.id), &[("code", &code)]).await.status(), StatusCode::SEE_OTHER);
    s
}

async fn audited(app: &TestApp, action: &str) -> i64 {
    let (n,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity = 'contest'").bind(action).fetch_one(p).await).unwrap();
    n
}

#[tokio::test]
async fn collective_prizes_rank_units_by_participation_and_winners_points() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let round = demo_round(&app, c.id).await;
    let tinh = app.login_as("tinh").await;
    let page = format!("/cuoc-thi/quan-ly/{}/giai-tap-the", c.id);
    let (status, html) = tinh.text(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"mode\"") && !html.contains("id=\"so-doi-tuong\""), "{html}");

    // Bad settings: the errors, and what was typed comes back.
    let r = tinh.post(&page, &[("mode", "rate_plus_points"), ("level", "commune"), ("points", "Giải Nhất; mười"), ("prizes", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Giải Nhất; mười") && html.contains(contests::msg::COLLECTIVE_PRIZES_REQUIRED) && html.contains("Dòng 1 của điểm quy đổi"), "{html}");
    assert!(store::contest(&app.db, c.id).await.unwrap().collective.is_empty());
    let r = tinh.post(&page, &[("mode", "rate_plus_points"), ("level", "commune"), ("points", "Giải Nhất; 10\nGiải Nhì; 8\nGiải Ba; 6"), ("prizes", "Giải tập thể xuất sắc; 1; 3.000.000")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    assert_eq!(audited(&app, "collective_settings").await, 1);
    // The public rules say how units are scored.
    let (_, html) = app.client().text(&format!("/cuoc-thi/{}", c.id)).await;
    assert!(html.contains("Giải tập thể") && html.contains(contests::msg::RULES_COLLECTIVE_RATE) && html.contains("Giải Nhất 10 điểm"), "{html}");

    // Commune A: two entrants (one all right: Giải Nhất; one wrong: Giải Nhì); commune B: one (Giải Nhì).
    let day = kernel::page::today();
    let communes: Vec<kernel::db::units::Unit> =
        kernel::db::units::subtree(&app.db, c.area_unit_id, 20_000).await.unwrap().into_iter().filter(|u| u.level == "commune" && u.is_valid_on(day)).take(2).collect();
    let (a, b) = (&communes[0], &communes[1]);
    let a1 = entrant_in(&app, &c, "0920000001", "Hoàng Văn Một", a.id).await;
    let a2 = entrant_in(&app, &c, "0920000002", "Hoàng Thị Hai", a.id).await;
    let b1 = entrant_in(&app, &c, "0920000003", "Nông Văn Ba", b.id).await;
    sit(&app, &a1, c.id, round.id, true).await;
    sit(&app, &a2, c.id, round.id, false).await;
    sit(&app, &b1, c.id, round.id, false).await;

    // Publishing before the round's results are published is refused.
    let publish = format!("/cuoc-thi/quan-ly/{}/cong-bo-giai-tap-the", c.id);
    let r = tinh.post(&publish, &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(contests::msg::COLLECTIVE_TOO_EARLY));
    end_round(&app, round.id).await;
    assert_eq!(tinh.post(&format!("/cuoc-thi/quan-ly/vong/{}/cong-bo-ket-qua", round.id), &[]).await.status(), StatusCode::SEE_OTHER);

    // Headcounts: a bad number saves nothing and keeps what was typed.
    let heads = format!("/cuoc-thi/quan-ly/{}/so-doi-tuong", c.id);
    let (ha, hb) = (format!("h_{}", a.id), format!("h_{}", b.id));
    let r = tinh.post(&heads, &[(ha.as_str(), "bốn"), (hb.as_str(), "1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&contests::msg::headcount_error(&a.name)) && html.contains("value=\"bốn\" inputmode=\"numeric\" size=\"10\" aria-invalid=\"true\""), "{html}");
    assert!(html.contains(&format!("<a href=\"#h_{}\">", a.id)), "the error links to its field: {html}");
    assert!(store::unit_targets(&app.db, c.id).await.unwrap().is_empty());
    let r = tinh.post(&heads, &[(ha.as_str(), "4"), (hb.as_str(), "1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    assert_eq!(audited(&app, "headcounts").await, 1);

    // A: 2 of 4 = 50% + 10 + 8 = 68; B: 1 of 1 = 100% + 8 = 108. B first, with the prize.
    let (_, html) = tinh.text(&page).await;
    let table = &html[html.find("id=\"xep-hang\"").unwrap()..html.find("id=\"cong-bo\"").unwrap()];
    assert!(table.find(&b.name).unwrap() < table.find(&a.name).unwrap(), "{table}");
    assert!(table.contains("108") && table.contains("68") && table.contains("50%") && table.contains("Giải tập thể xuất sắc"), "{table}");
    let r = tinh.post(&publish, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{page}?tb=collective_published"));
    assert_eq!(audited(&app, "publish_collective").await, 1);
    let winners = store::collective_results(&app.db, c.id).await.unwrap().unwrap().0;
    let published = contests::service::collective_winners_of(&winners).unwrap();
    assert_eq!(published.mode, contests::rules::collective::CollectiveMode::RatePlusPoints);
    let winners = published.lines;
    assert_eq!(winners.len(), 1);
    assert_eq!((winners[0].unit.as_str(), winners[0].score, winners[0].rate), (b.name.as_str(), 10_800, Some(10_000)));

    // The public results page shows the unit and its figures; the collective part names no one.
    let (status, html) = app.client().text(&format!("/cuoc-thi/{}/giai-thuong", c.id)).await;
    assert_eq!(status, StatusCode::OK);
    let part = &html[html.find("<h2>Giải tập thể</h2>").unwrap()..];
    assert!(part.contains(&b.name) && part.contains("Giải tập thể xuất sắc") && part.contains("108"), "{part}");
    for person in ["Nông Văn Ba", "Hoàng Văn Một", "0920000003"] {
        assert!(!part.contains(person), "{person} in {part}");
    }

    // Another unit's officer reaches none of it.
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.get(&page).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa1.post(&heads, &[(ha.as_str(), "400")]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(store::unit_targets(&app.db, c.id).await.unwrap().into_iter().find(|(u, _)| *u == a.id), Some((a.id, 4)));

    // Removing the collective prizes (the mode left empty) withdraws what was published.
    let r = tinh.post(&page, &[("mode", ""), ("level", "commune"), ("points", ""), ("prizes", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(store::contest(&app.db, c.id).await.unwrap().collective.is_empty());
    assert!(store::collective_results(&app.db, c.id).await.unwrap().is_none());
    let (_, html) = app.client().text(&format!("/cuoc-thi/{}/giai-thuong", c.id)).await;
    assert!(!html.contains("<h2>Giải tập thể</h2>"), "{html}");
}
