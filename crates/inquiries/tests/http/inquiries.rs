//! Questions and feedback: public submission with the proof of work or its text fallback, the
//! per-address limit, routing with the deadline in working days, scoping, the answer with
//! citations, publishing with the public version, privacy (contact data never public), the
//! tracking page, dialogues, caching, reminders and the home page.

use chrono::NaiveDate;
use reqwest::StatusCode;

use crate::helpers::{SETUP, Session, TestApp, code_of, input_value, open_form, solve, text_answer};

const EMAIL: &str = "nguoi.hoi@example.vn";
const PHONE: &str = "0912 000 111";
const NAME: &str = "Bế Thị Xuyến";

fn ask_fields<'a>(title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("kind", "question"), ("title", title), ("body", body), ("topic", "dat-dai"), ("commune", ""), ("name", NAME), ("email", EMAIL), ("phone", PHONE), ("dialogue", "")]
}

/// Submits through the form with the proof of work solved; returns the response.
async fn submit_pow(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    let (s, html) = open_form(app, "/hoi-dap/gui").await;
    let token = input_value(&html, "challenge_token");
    let counter = solve(&token);
    let mut f = fields.to_vec();
    f.push(("challenge_token", &token));
    f.push(("pow_counter", &counter));
    f.push(("challenge", ""));
    s.post("/hoi-dap/gui", &f).await
}

async fn submit_ok(app: &TestApp, fields: &[(&str, &str)]) -> String {
    let r = submit_pow(app, fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    code_of(&r)
}

async fn by_code(app: &TestApp, code: &str) -> inquiries::store::Inquiry {
    inquiries::store::by_code(&app.db, code).await.unwrap().unwrap()
}

fn assert_no_contact(ctx: &str, html: &str) {
    for secret in [EMAIL, PHONE, NAME, "0912000111"] {
        assert!(!html.contains(secret), "{ctx} shows {secret}");
    }
}

#[tokio::test]
async fn a_citizen_asks_with_the_proof_of_work_and_tracks_it() {
    let app = TestApp::spawn(&SETUP).await;
    let (s, html) = open_form(&app, "/hoi-dap/gui").await;
    assert!(html.contains("/static/hoi-dap.js") && html.contains("data-challenge="), "{html}");
    let token = input_value(&html, "challenge_token");
    let counter = solve(&token);
    let mut f = ask_fields("Hỏi về tách thửa đất", "Tôi muốn tách thửa đất cho con, cần điều kiện gì?");
    f.extend([("challenge_token", token.as_str()), ("pow_counter", counter.as_str()), ("challenge", "")]);
    let r = s.post("/hoi-dap/gui", &f).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let code = code_of(&r);
    assert_eq!(code.len(), 11);
    assert_eq!(inquiries::rules::code::normalise(&code.to_lowercase().replace('-', " ")).as_deref(), Some(code.as_str()));
    let i = by_code(&app, &code).await;
    assert_eq!((i.status.as_str(), i.email.as_str(), i.name.as_str()), ("received", EMAIL, NAME));
    assert_eq!(i.inbox_name, "Tỉnh Lạng Sơn");

    // The code went out by e-mail through the outbox.
    let mail = kernel::db::outbox::recent(&app.db, 10).await.unwrap();
    assert!(mail.iter().any(|m| m.to_addr == EMAIL && m.body.contains(&code)), "{mail:?}");
    // The submission is audited without the contact details.
    assert_eq!(kernel::db::audit::count_for_entity(&app.db, "inquiry", &i.id.to_string()).await.unwrap(), 1);

    // The same challenge cannot be used twice: the form comes back with what was typed.
    let r = s.post("/hoi-dap/gui", &f).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(inquiries::msg::CHALLENGE_EXPIRED) && html.contains("Hỏi về tách thửa đất") && html.contains(EMAIL), "{html}");

    // The tracking page: status, never the contact data; typed leniently.
    let public = app.client();
    let (st, html) = public.text(&format!("/hoi-dap/tra-cuu?ma={code}&moi=1")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains(&code) && html.contains("Đã tiếp nhận") && html.contains("Đã gửi."), "{html}");
    assert_no_contact("tracking", &html);
    let (_, html) = public.text(&format!("/hoi-dap/tra-cuu?ma={}", code.to_lowercase().replace('-', "+"))).await;
    assert!(html.contains("Đã tiếp nhận"), "{html}");
    let (_, html) = public.text("/hoi-dap/tra-cuu?ma=ABC").await;
    assert!(html.contains(inquiries::msg::CODE_FORMAT), "{html}");
    let (_, html) = public.text("/hoi-dap/tra-cuu?ma=00000-00000").await;
    assert!(html.contains(inquiries::msg::CODE_NOT_FOUND), "{html}");
}

#[tokio::test]
async fn without_javascript_the_text_question_is_checked_and_errors_keep_what_was_typed() {
    let app = TestApp::spawn(&SETUP).await;
    // Missing fields and a bad phone: one error per field, the typed text kept.
    let (s, html) = open_form(&app, "/hoi-dap/gui").await;
    let token = input_value(&html, "challenge_token");
    let answer = text_answer(&html);
    let r = s.post("/hoi-dap/gui", &[("kind", "question"), ("title", ""), ("body", "Nội dung đã gõ"), ("phone", "12ab"), ("email", "khong-hop-le"), ("challenge_token", &token), ("challenge", &answer)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for m in [inquiries::msg::TITLE_MISSING, inquiries::msg::PHONE_FORMAT] {
        assert!(html.contains(m), "{m}: {html}");
    }
    assert!(html.contains("href=\"#email\"") && html.contains("Nội dung đã gõ") && html.contains("12ab"), "{html}");

    // A wrong answer is refused, with a new question.
    let wrong = (answer.parse::<u32>().unwrap() + 1).to_string();
    let mut f = ask_fields("Không có JavaScript", "Tôi gửi từ điện thoại cũ.");
    f.extend([("challenge_token", token.as_str()), ("challenge", wrong.as_str())]);
    let r = s.post("/hoi-dap/gui", &f).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(inquiries::msg::CHALLENGE_WRONG) && html.contains("Không có JavaScript"), "{html}");

    // The right answer, in digits or in words, is accepted.
    let token = input_value(&html, "challenge_token");
    let answer = text_answer(&html);
    let word = inquiries::msg::NUMBER_WORDS[answer.parse::<usize>().unwrap()];
    let mut f = ask_fields("Không có JavaScript", "Tôi gửi từ điện thoại cũ.");
    f.extend([("challenge_token", token.as_str()), ("challenge", word)]);
    let r = s.post("/hoi-dap/gui", &f).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());

    // No challenge at all: refused.
    let f = ask_fields("Máy gửi tự động", "x");
    assert_eq!(s.post("/hoi-dap/gui", &f).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn one_address_may_send_a_few_an_hour() {
    let app = TestApp::spawn(&SETUP).await;
    for n in 0..inquiries::service::SUBMISSIONS_PER_HOUR {
        let title = format!("Câu hỏi số {n}");
        submit_ok(&app, &ask_fields(&title, "Nội dung")).await;
    }
    let r = submit_pow(&app, &ask_fields("Một câu nữa", "Nội dung giữ lại")).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let html = r.text().await.unwrap();
    assert!(html.contains(inquiries::msg::RATE_LIMITED) && html.contains("Nội dung giữ lại"), "{html}");
    // Counted in the database, per keyed address.
    let key = kernel::db::settings::get_or_create(&app.db, "csrf_signing_key", kernel::db::new_token).await.unwrap();
    let key = hex::decode(&key).unwrap();
    let bucket = inquiries::service::ip_bucket(&key, "127.0.0.1");
    let hour = inquiries::rules::spam::hour_of(kernel::now().timestamp());
    let n = inquiries::store::submissions_in(&app.db, &bucket, hour).await.unwrap();
    assert_eq!(n, inquiries::service::SUBMISSIONS_PER_HOUR);
}

/// The number of stored items titled `title`.
async fn stored(app: &TestApp, title: &str) -> i64 {
    let (n,): (i64,) = kernel::with_db!(&app.db, p => sqlx::query_as("SELECT COUNT(*) FROM inquiries WHERE title = $1").bind(title).fetch_one(p).await).unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_challenge_is_used_once_even_by_concurrent_submissions() {
    let app = TestApp::spawn(&SETUP).await;
    let (s, html) = open_form(&app, "/hoi-dap/gui").await;
    let token = input_value(&html, "challenge_token");
    let counter = solve(&token);
    let mut posts = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let (s, token, counter) = (s.clone(), token.clone(), counter.clone());
        posts.spawn(async move {
            let mut f = ask_fields("Gửi song song", "Cùng một phép kiểm tra");
            f.extend([("challenge_token", token.as_str()), ("pow_counter", counter.as_str()), ("challenge", "")]);
            s.post("/hoi-dap/gui", &f).await.status()
        });
    }
    let statuses: Vec<StatusCode> = posts.join_all().await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::UNPROCESSABLE_ENTITY), "{statuses:?}");
    assert_eq!(stored(&app, "Gửi song song").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_submissions_over_the_limit_store_at_most_the_limit_per_ipv6_block() {
    // The test client is a proxy the server trusts, so X-Forwarded-For gives each request's address.
    let app = TestApp::spawn_with(&SETUP, |c| c.trusted_proxies = vec!["127.0.0.1".into()]).await;
    let limit = usize::try_from(inquiries::service::SUBMISSIONS_PER_HOUR).unwrap();
    // Different addresses of one /64, each with its own solved challenge, all at once.
    let mut ready = Vec::new();
    for k in 0..limit + 4 {
        let mut s = app.client_from(&format!("2001:db8:7:9::{:x}", k + 1));
        let (_, html) = s.text("/hoi-dap/gui").await;
        s.csrf = testkit::csrf_in(&html);
        let token = input_value(&html, "challenge_token");
        let counter = solve(&token);
        ready.push((s, token, counter));
    }
    let mut posts = tokio::task::JoinSet::new();
    for (s, token, counter) in ready {
        posts.spawn(async move {
            let mut f = ask_fields("Gửi dồn dập", "Nhiều địa chỉ cùng một khối /64");
            f.extend([("challenge_token", token.as_str()), ("pow_counter", counter.as_str()), ("challenge", "")]);
            s.post("/hoi-dap/gui", &f).await.status()
        });
    }
    let statuses: Vec<StatusCode> = posts.join_all().await;
    let ok = statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
    assert!(ok <= limit, "{statuses:?}");
    assert_eq!(ok, limit, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 4, "{statuses:?}");
    assert_eq!(stored(&app, "Gửi dồn dập").await, inquiries::service::SUBMISSIONS_PER_HOUR);
    // Another /64 is another block.
    let mut s = app.client_from("2001:db8:7:a::1");
    let (_, html) = s.text("/hoi-dap/gui").await;
    s.csrf = testkit::csrf_in(&html);
    let token = input_value(&html, "challenge_token");
    let counter = solve(&token);
    let mut f = ask_fields("Khối khác", "Địa chỉ ở khối /64 khác");
    f.extend([("challenge_token", token.as_str()), ("pow_counter", counter.as_str()), ("challenge", "")]);
    assert_eq!(s.post("/hoi-dap/gui", &f).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_text_challenge_gets_one_guess() {
    let app = TestApp::spawn(&SETUP).await;
    let (s, html) = open_form(&app, "/hoi-dap/gui").await;
    let token = input_value(&html, "challenge_token");
    let answer = text_answer(&html);
    let wrong = (answer.parse::<u32>().unwrap() + 1).to_string();
    for (guess, status, message) in [(wrong.as_str(), StatusCode::UNPROCESSABLE_ENTITY, inquiries::msg::CHALLENGE_WRONG), (answer.as_str(), StatusCode::UNPROCESSABLE_ENTITY, inquiries::msg::CHALLENGE_EXPIRED)] {
        let mut f = ask_fields("Đoán phép tính", "Đoán nhiều lần");
        f.extend([("challenge_token", token.as_str()), ("challenge", guess)]);
        let r = s.post("/hoi-dap/gui", &f).await;
        assert_eq!(r.status(), status, "{guess}");
        let html = r.text().await.unwrap();
        assert!(html.contains(message) && html.contains("Đoán nhiều lần"), "{html}");
        // A new challenge comes with the form.
        assert_ne!(input_value(&html, "challenge_token"), token);
    }
    assert_eq!(stored(&app, "Đoán phép tính").await, 0);
}

#[tokio::test]
async fn the_deadline_skips_weekends_and_the_seeded_holidays() {
    let app = TestApp::spawn(&SETUP).await;
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Routed Thursday 12/2/2026, just before Tết (16–20/2 seeded): 10 working days end 5/3.
    assert_eq!(inquiries::service::deadline(&app.db, d("2026-02-12"), 10).await.unwrap(), d("2026-03-05"));
    // Across the year end, 1/1/2027 a holiday: routed 23/12/2026, due 7/1/2027.
    assert_eq!(inquiries::service::deadline(&app.db, d("2026-12-23"), 10).await.unwrap(), d("2027-01-07"));
    // Around 30/4 and 1/5 2026 (Thursday, Friday).
    assert_eq!(inquiries::service::deadline(&app.db, d("2026-04-29"), 1).await.unwrap(), d("2026-05-04"));
}

/// Submits one item and routes it as `tinh` to xa1's commune; returns (code, id, due).
async fn asked_and_routed(app: &TestApp, tinh: &Session, private: bool) -> (String, i64) {
    let mut f = ask_fields("Tranh chấp ranh giới đất với nhà bên cạnh", "Nhà ông Nông Văn Tư lấn sang đất nhà tôi ở thôn Khòn Pổ.");
    if private {
        f.push(("private", "1"));
    }
    let code = submit_ok(app, &f).await;
    let id = by_code(app, &code).await.id;
    let xa1_unit = kernel::db::accounts::by_username(&app.db, "xa1").await.unwrap().unit_id;
    let r = tinh.post(&format!("/hoi-dap-quan-ly/{id}/chuyen"), &[("unit", &xa1_unit.to_string()), ("agency", ""), ("topic", "dat-dai")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    (code, id)
}

#[tokio::test]
async fn routed_answered_and_published_without_personal_data() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let xa1 = app.login_as("xa1").await;
    let xa2 = app.login_as("xa2").await;
    let public = app.client();

    // Routing: a missing unit is a field error; routed, the deadline is computed from the data.
    let code = submit_ok(&app, &ask_fields("Tranh chấp ranh giới đất với nhà bên cạnh", "Nhà ông Nông Văn Tư lấn sang đất nhà tôi ở thôn Khòn Pổ.")).await;
    let id = by_code(&app, &code).await.id;
    let r = tinh.post(&format!("/hoi-dap-quan-ly/{id}/chuyen"), &[("unit", ""), ("topic", "dat-dai")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(inquiries::msg::UNIT_REQUIRED));
    // Before routing, the commune does not see it.
    assert_eq!(xa1.get(&format!("/hoi-dap-quan-ly/{id}")).await.status(), StatusCode::NOT_FOUND);
    let xa1_unit = kernel::db::accounts::by_username(&app.db, "xa1").await.unwrap().unit_id;
    let r = tinh.post(&format!("/hoi-dap-quan-ly/{id}/chuyen"), &[("unit", &xa1_unit.to_string()), ("agency", ""), ("topic", "dat-dai")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let i = by_code(&app, &code).await;
    let today = kernel::page::today();
    assert_eq!(i.status, "assigned");
    assert_eq!(i.due_on, Some(inquiries::service::deadline(&app.db, today, 10).await.unwrap()));
    assert!(i.due_on.unwrap() >= today + chrono::Duration::days(14), "10 working days are at least two weeks");

    // Scope: the assigned commune sees it, another commune gets 404 (page and actions).
    let (st, html) = xa1.text(&format!("/hoi-dap-quan-ly/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains(EMAIL), "officers see the contact");
    let (_, list) = xa1.text("/hoi-dap-quan-ly").await;
    assert!(list.contains(&code));
    assert_eq!(xa2.get(&format!("/hoi-dap-quan-ly/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(xa2.post(&format!("/hoi-dap-quan-ly/{id}/tra-loi"), &[("answer", "x")]).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = xa2.text("/hoi-dap-quan-ly").await;
    assert!(!list.contains(&code));
    // The commune cannot route again nor publish: that is the province's.
    assert_eq!(xa1.post(&format!("/hoi-dap-quan-ly/{id}/chuyen"), &[("unit", &xa1_unit.to_string())]).await.status(), StatusCode::FORBIDDEN);

    // The commune answers; an unknown cited number is a field error, the known one is kept.
    let r = xa1.post(&format!("/hoi-dap-quan-ly/{id}/tra-loi"), &[("answer", "Trả lời đã gõ"), ("citations", "31/2024/QH15\n99/2099/QH99")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&inquiries::msg::citation_unknown("99/2099/QH99")) && html.contains("Trả lời đã gõ"), "{html}");
    let answer = "Việc xác định ranh giới thửa đất do các bên thỏa thuận; nếu không thỏa thuận được thì đề nghị hòa giải tại Ủy ban nhân dân xã.";
    let r = xa1.post(&format!("/hoi-dap-quan-ly/{id}/tra-loi"), &[("answer", answer), ("citations", "31/2024/qh15")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(by_code(&app, &code).await.status, "answered");
    assert_eq!(xa1.post(&format!("/hoi-dap-quan-ly/{id}/dang"), &[("public_title", "x"), ("public_body", "y")]).await.status(), StatusCode::FORBIDDEN);
    // Not public before it is published.
    assert_eq!(public.get(&format!("/hoi-dap/{id}")).await.status(), StatusCode::NOT_FOUND);

    // The publish form starts empty, the original shown read-only beside it for the approver.
    let (_, html) = tinh.text(&format!("/hoi-dap-quan-ly/{id}")).await;
    assert_eq!(input_value(&html, "public_title"), "", "{html}");
    assert!(html.contains("<textarea id=\"public_body\" name=\"public_body\" rows=\"8\"></textarea>"), "{html}");
    assert!(html.contains(inquiries::msg::ORIGINAL_NOTE) && html.contains("<blockquote><p>Nhà ông Nông Văn Tư lấn sang đất nhà tôi ở thôn Khòn Pổ.</p>"), "{html}");
    let version = input_value(&html, "version");
    assert!(!version.is_empty(), "{html}");

    // The province publishes with the public version (names removed); empty text is refused.
    let r = tinh.post(&format!("/hoi-dap-quan-ly/{id}/dang"), &[("public_title", ""), ("public_body", ""), ("topic", "dat-dai"), ("version", &version)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The sender's name (with or without diacritics), phone, e-mail or a long number is refused,
    // with what was typed kept.
    use inquiries::rules::privacy::Leak;
    for (title, body, leak) in [
        ("Câu hỏi của bà be thi XUYEN", "Nhà hàng xóm lấn đất.", Leak::Name),
        ("Tranh chấp ranh giới", "Gọi lại cho tôi theo số 0912.000.111 nhé.", Leak::Phone),
        ("Tranh chấp ranh giới", "Thư trả lời gửi nguoi.hoi@example.vn giúp tôi.", Leak::Email),
        ("Tranh chấp ranh giới", "Tôi có căn cước số 020 190 001 234.", Leak::LongNumber),
    ] {
        let r = tinh.post(&format!("/hoi-dap-quan-ly/{id}/dang"), &[("public_title", title), ("public_body", body), ("topic", "dat-dai"), ("version", &version)]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let html = r.text().await.unwrap();
        assert!(html.contains(inquiries::msg::personal_data(leak)) && html.contains(body), "{leak:?}: {html}");
        assert_eq!(by_code(&app, &code).await.status, "answered");
    }
    // The answer itself is checked too: the commune put the phone in it; the error is on the answer.
    let leaky = format!("{answer} Bà Xuyến liên hệ lại qua số {PHONE}.");
    assert_eq!(xa1.post(&format!("/hoi-dap-quan-ly/{id}/tra-loi"), &[("answer", &leaky), ("citations", "31/2024/QH15")]).await.status(), StatusCode::SEE_OTHER);
    let public_body = "Nhà hàng xóm lấn sang đất nhà tôi. Tôi phải làm gì?";
    let publish = |v: String| {
        let tinh = tinh.clone();
        async move { tinh.post(&format!("/hoi-dap-quan-ly/{id}/dang"), &[("public_title", "Tranh chấp ranh giới đất với nhà bên cạnh"), ("public_body", public_body), ("topic", "dat-dai"), ("version", &v)]).await }
    };
    // The form read before the answer changed is stale: refused, the typed text kept.
    let r = publish(version.clone()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(inquiries::msg::STALE_FORM) && html.contains(public_body), "{html}");
    let version = input_value(&html, "version");
    let r = publish(version.clone()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(inquiries::msg::personal_data(Leak::Phone)) && !html.contains(inquiries::msg::STALE_FORM), "{html}");
    let r = xa1.post(&format!("/hoi-dap-quan-ly/{id}/tra-loi"), &[("answer", answer), ("citations", "31/2024/qh15")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = tinh.text(&format!("/hoi-dap-quan-ly/{id}")).await;
    let r = publish(input_value(&html, "version")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    assert_eq!(by_code(&app, &code).await.status, "published");
    assert_eq!(tinh.post(&format!("/hoi-dap-quan-ly/{id}/dang"), &[("public_title", "x"), ("public_body", "y")]).await.status(), StatusCode::BAD_REQUEST);
    // A draft saved after publishing (a commune's stale tab) does not take the item back.
    let r = xa1.post(&format!("/hoi-dap-quan-ly/{id}/tra-loi"), &[("answer", "Bản nháp cũ"), ("citations", "")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(by_code(&app, &code).await.status, "published");
    // The writes themselves are guarded by status, for a request that read the item before it moved.
    let mut tx = app.db.begin().await.unwrap();
    assert!(!inquiries::store::save_answer(&mut tx, id, "Bản nháp cũ", 1, kernel::now()).await.unwrap());
    assert!(!inquiries::store::route(&mut tx, id, xa1_unit, None, None, today, kernel::now()).await.unwrap());
    drop(tx);
    assert_eq!(by_code(&app, &code).await.status, "published");
    // Every write was audited: received, routed, answered (three times), published.
    assert_eq!(kernel::db::audit::count_for_entity(&app.db, "inquiry", &id.to_string()).await.unwrap(), 6);
    // The answer went to the citizen by e-mail too.
    let mail = kernel::db::outbox::recent(&app.db, 10).await.unwrap();
    assert!(mail.iter().any(|m| m.to_addr == EMAIL && m.body.contains("hòa giải tại Ủy ban nhân dân xã")), "{mail:?}");

    // Public: the answer with the cited document, the public question, never the original or
    // the contact; found with and without diacritics, and by topic.
    let (st, html) = public.text(&format!("/hoi-dap/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains(public_body) && html.contains("hòa giải tại Ủy ban nhân dân xã") && html.contains("href=\"/tu-sach/van-ban/7\""), "{html}");
    assert!(!html.contains("Nông Văn Tư") && !html.contains("Khòn Pổ"), "the original text stays private");
    assert_no_contact("answer page", &html);
    for q in ["ranh giới", "ranh gioi", "RANH GIOI dat", "lấn sang"] {
        let (st, html) = public.text(&format!("/hoi-dap?q={}", q.replace(' ', "+"))).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains(&format!("href=\"/hoi-dap/{id}\"")), "{q} finds it");
        assert_no_contact("list", &html);
    }
    let (_, html) = public.text("/hoi-dap?q=khong+co+tu+nay").await;
    assert!(!html.contains(&format!("href=\"/hoi-dap/{id}\"")));
    let (_, html) = public.text("/hoi-dap?linh-vuc=dat-dai").await;
    assert!(html.contains(&format!("href=\"/hoi-dap/{id}\"")));
    let (_, html) = public.text("/hoi-dap?linh-vuc=giao-thong").await;
    assert!(!html.contains(&format!("href=\"/hoi-dap/{id}\"")));
    assert_eq!(public.get("/hoi-dap?linh-vuc=khong-co").await.status(), StatusCode::NOT_FOUND);
    let (_, html) = public.text(&format!("/hoi-dap/tra-cuu?ma={code}")).await;
    assert!(html.contains("Đã trả lời công khai") && html.contains("hòa giải tại Ủy ban nhân dân xã") && html.contains(&format!("/hoi-dap/{id}")), "{html}");
    assert_no_contact("tracking", &html);
}

#[tokio::test]
async fn a_private_item_is_answered_only_to_its_sender() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let xa1 = app.login_as("xa1").await;
    let (code, id) = asked_and_routed(&app, &tinh, true).await;
    let r = xa1.post(&format!("/hoi-dap-quan-ly/{id}/tra-loi"), &[("answer", "Câu trả lời riêng cho người hỏi."), ("citations", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = tinh.text(&format!("/hoi-dap-quan-ly/{id}")).await;
    assert!(html.contains("Duyệt và trả lời riêng") && !html.contains("name=\"public_body\""), "{html}");
    let version = input_value(&html, "version");
    let r = tinh.post(&format!("/hoi-dap-quan-ly/{id}/dang"), &[("version", &version)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(crate::helpers::location(&r).ends_with("tb=rieng"));
    let i = by_code(&app, &code).await;
    assert_eq!((i.status.as_str(), i.public_body.as_str()), ("closed", ""));
    let public = app.client();
    assert_eq!(public.get(&format!("/hoi-dap/{id}")).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = public.text("/hoi-dap?q=rieng").await;
    assert!(!list.contains(&format!("/hoi-dap/{id}\"")));
    let (_, html) = public.text(&format!("/hoi-dap/tra-cuu?ma={code}")).await;
    assert!(html.contains("Câu trả lời riêng cho người hỏi.") && html.contains("Đã trả lời riêng"), "{html}");
    let mail = kernel::db::outbox::recent(&app.db, 10).await.unwrap();
    assert!(mail.iter().any(|m| m.to_addr == EMAIL && m.body.contains("Câu trả lời riêng cho người hỏi.")));
}

#[tokio::test]
async fn public_pages_are_cached_and_never_show_contacts() {
    let app = TestApp::spawn(&SETUP).await;
    let public = app.client();
    let r = public.get("/hoi-dap").await;
    assert_eq!(r.status(), StatusCode::OK);
    let etag = r.headers().get("etag").unwrap().to_str().unwrap().to_string();
    assert_eq!(r.headers().get("cache-control").unwrap(), "public, max-age=60");
    let html = r.text().await.unwrap();
    // The demo's published answers are listed; its senders' contact data never.
    assert!(html.contains("Cấp giấy chứng nhận quyền sử dụng đất lần đầu"), "{html}");
    let demo_contacts = ["dung.demo@example.invalid", "0912345678", "Hoàng Văn Dũng", "0987654321", "Lương Thị Mai", "hanh.demo@example.invalid", "Vy Thị Hạnh", "thôn Nà Tâm"];
    let r = public.client.get(format!("{}/hoi-dap", public.base)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    let mut pages = vec!["/hoi-dap".to_string(), "/hoi-dap/gui".to_string()];
    for i in inquiries::store::public_list(&app.db, &Default::default(), 100, 0).await.unwrap() {
        pages.push(format!("/hoi-dap/{}", i.id));
        if let Some(d) = i.dialogue_id {
            pages.push(format!("/hoi-dap/doi-thoai/{d}"));
        }
    }
    assert!(pages.len() >= 5, "{pages:?}");
    for p in &pages {
        let (st, html) = public.text(p).await;
        assert_eq!(st, StatusCode::OK, "{p}");
        for c in demo_contacts {
            assert!(!html.contains(c), "{p} shows {c}");
        }
    }
    for p in ["/hoi-dap/abc", "/hoi-dap/999999", "/hoi-dap/doi-thoai/999999", "/hoi-dap?trang=99"] {
        assert_eq!(public.get(p).await.status(), StatusCode::NOT_FOUND, "{p}");
    }
    // The private demo item is not public.
    let private = inquiries::store::list_in_scope(&app.db, "%", Some("closed"), 10).await.unwrap();
    assert!(!private.is_empty());
    for i in private {
        assert_eq!(public.get(&format!("/hoi-dap/{}", i.id)).await.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_dialogue_collects_questions_beforehand_and_shows_answers_afterwards() {
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let r = tinh.post("/hoi-dap-quan-ly/doi-thoai", &[("topic", ""), ("held_on", "31/02/2027"), ("place", "Hội trường")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(inquiries::msg::DIALOGUE_TOPIC_MISSING) && html.contains(inquiries::msg::DATE_FORMAT) && html.contains("Hội trường"), "{html}");
    let held = text_vi::format_date(kernel::page::today() + chrono::Duration::days(10));
    let r = tinh.post("/hoi-dap-quan-ly/doi-thoai", &[("topic", "Chính sách hỗ trợ sinh kế vùng biên giới"), ("held_on", &held), ("place", "Nhà văn hóa xã"), ("description", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = inquiries::store::dialogues(&app.db, "%", 10).await.unwrap().into_iter().find(|d| d.topic.contains("sinh kế")).unwrap();
    let public = app.client();
    let (st, html) = public.text(&format!("/hoi-dap/doi-thoai/{}", d.id)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains(&format!("/hoi-dap/gui?doi-thoai={}", d.id)), "{html}");
    // A question sent for it is linked to it.
    let (s, html) = open_form(&app, &format!("/hoi-dap/gui?doi-thoai={}", d.id)).await;
    assert!(html.contains("sinh kế vùng biên giới"), "{html}");
    let token = input_value(&html, "challenge_token");
    let counter = solve(&token);
    let dialogue = d.id.to_string();
    let mut f = ask_fields("Hỗ trợ giống cây trồng", "Hộ nghèo vùng biên có được hỗ trợ giống không?");
    f.retain(|(k, _)| *k != "dialogue");
    f.extend([("dialogue", dialogue.as_str()), ("challenge_token", token.as_str()), ("pow_counter", counter.as_str())]);
    let r = s.post("/hoi-dap/gui", &f).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(by_code(&app, &code_of(&r)).await.dialogue_id, Some(d.id));
    // A dialogue already held takes no more questions.
    let past = inquiries::store::dialogues(&app.db, "%", 10).await.unwrap().into_iter().find(|d| d.held_on < kernel::page::today()).unwrap();
    let (s, html) = open_form(&app, "/hoi-dap/gui").await;
    let token = input_value(&html, "challenge_token");
    let counter = solve(&token);
    let past_id = past.id.to_string();
    let mut f = ask_fields("Muộn", "Gửi muộn");
    f.retain(|(k, _)| *k != "dialogue");
    f.extend([("dialogue", past_id.as_str()), ("challenge_token", token.as_str()), ("pow_counter", counter.as_str())]);
    let r = s.post("/hoi-dap/gui", &f).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The held one shows its published answer.
    let (_, html) = public.text(&format!("/hoi-dap/doi-thoai/{}", past.id)).await;
    assert!(html.contains("Hỗ trợ pháp lý miễn phí cho người dân tộc thiểu số"), "{html}");
    // A commune officer may not set the province's answer period.
    let xa1 = app.login_as("xa1").await;
    assert_eq!(xa1.post("/hoi-dap-quan-ly/cai-dat", &[("days", "5")]).await.status(), StatusCode::FORBIDDEN);
    let province = app.unit_id("20").await.to_string();
    assert_eq!(tinh.post("/hoi-dap-quan-ly/cai-dat", &[("unit", &province), ("days", "99")]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(tinh.post("/hoi-dap-quan-ly/cai-dat", &[("unit", &province), ("days", "15")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(inquiries::store::inboxes(&app.db).await.unwrap()[0].answer_days, 15);
}

#[tokio::test]
async fn reminders_and_the_home_page_show_overdue_items() {
    let app = TestApp::spawn(&SETUP).await;
    let today = kernel::page::today();
    let accounts = kernel::notify::all_accounts(&app.db).await.unwrap();
    let xa1 = kernel::db::accounts::by_username(&app.db, "xa1").await.unwrap();
    let xa2 = kernel::db::accounts::by_username(&app.db, "xa2").await.unwrap();
    let items = inquiries::jobs::reminder_items(&app.db, "http://x", today, &accounts).await.unwrap();
    let overdue = inquiries::store::list_in_scope(&app.db, "%", Some("assigned"), 10).await.unwrap().into_iter().find(|i| i.due_on.is_some_and(|d| d < today)).unwrap();
    assert!(items.iter().any(|(acc, it)| *acc == xa1.id && it.kind == kernel::reminder::ReminderKind::Overdue && it.key == format!("inquiry:{}", overdue.id)), "{items:?}");
    assert!(!items.iter().any(|(acc, _)| *acc == xa2.id), "xa2 has nothing due");

    // The home page part, as the kernel's home page would ask for it.
    let registry = std::sync::Arc::new(kernel::registry::Registry::default());
    let user = kernel::auth::CurrentUser {
        role: kernel::account::Role::JusticeOfficer,
        scope: kernel::auth::scope_of(&xa1, kernel::account::Role::JusticeOfficer),
        account: xa1,
        session_id: String::new(),
        csrf: String::new(),
        registry,
    };
    let part = inquiries::home::home_part(&app.db, &user, today).await.unwrap();
    assert!(part.todo.iter().any(|t| t.urgency == kernel::registry::Urgency::Overdue && t.href == format!("/hoi-dap-quan-ly/{}", overdue.id)), "{:?}", part.todo);
}

#[tokio::test]
async fn only_the_public_version_of_a_published_answer_is_in_the_search_feed() {
    use kernel::search_feed::{self, kind};
    let app = TestApp::spawn(&SETUP).await;
    let tinh = app.login_as("tinh").await;
    let xa1 = app.login_as("xa1").await;

    // Routed and answered: not public yet, not in the feed.
    let (code, id) = asked_and_routed(&app, &tinh, false).await;
    let answer = "Ranh giới thửa đất do các bên thỏa thuận; nếu không thỏa thuận được thì đề nghị hòa giải tại Ủy ban nhân dân xã.";
    assert_eq!(xa1.post(&format!("/hoi-dap-quan-ly/{id}/tra-loi"), &[("answer", answer), ("citations", "")]).await.status(), StatusCode::SEE_OTHER);
    assert!(search_feed::get(&app.db, kind::ANSWER, id).await.unwrap().is_none());

    // Published with the public version: in the feed, without the original text or the contact.
    let (_, html) = tinh.text(&format!("/hoi-dap-quan-ly/{id}")).await;
    let public_title = "Hàng xóm lấn đất thì giải quyết thế nào?";
    let public_body = "Nhà hàng xóm lấn sang đất nhà tôi. Tôi phải làm gì?";
    let r = tinh.post(&format!("/hoi-dap-quan-ly/{id}/dang"), &[("public_title", public_title), ("public_body", public_body), ("topic", "dat-dai"), ("version", &input_value(&html, "version"))]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    assert_eq!(by_code(&app, &code).await.status, "published");
    let doc = search_feed::get(&app.db, kind::ANSWER, id).await.unwrap().expect("a published answer is in the feed");
    assert_eq!((doc.title.as_str(), doc.url.clone()), (public_title, format!("/hoi-dap/{id}")));
    assert!(doc.body.contains(public_body) && doc.body.contains(answer), "{doc:?}");
    assert_eq!(doc.published_at, by_code(&app, &code).await.published_at);
    for text in [&doc.title, &doc.summary, &doc.body] {
        assert_no_contact("the feed", text);
        assert!(!text.contains("Nông Văn Tư") && !text.contains("Khòn Pổ"), "the original text stays out: {text}");
    }

    // A private item answered privately never enters the feed.
    let (_, private) = asked_and_routed(&app, &tinh, true).await;
    assert_eq!(xa1.post(&format!("/hoi-dap-quan-ly/{private}/tra-loi"), &[("answer", "Câu trả lời riêng."), ("citations", "")]).await.status(), StatusCode::SEE_OTHER);
    let (_, html) = tinh.text(&format!("/hoi-dap-quan-ly/{private}")).await;
    assert_eq!(tinh.post(&format!("/hoi-dap-quan-ly/{private}/dang"), &[("version", &input_value(&html, "version"))]).await.status(), StatusCode::SEE_OTHER);
    assert!(search_feed::get(&app.db, kind::ANSWER, private).await.unwrap().is_none());

    // The backfill puts exactly the public answers (the demo's and this one), twice harmlessly.
    let before = search_feed::count(&app.db).await.unwrap();
    assert_eq!(inquiries::service::feed_all(&app.db).await.unwrap() as i64, before);
    assert_eq!(inquiries::service::feed_all(&app.db).await.unwrap() as i64, before);
    assert_eq!(search_feed::count(&app.db).await.unwrap(), before);
    assert!(search_feed::get(&app.db, kind::ANSWER, private).await.unwrap().is_none());
}
