//! SMS from the outbox through an HTTP gateway: a fake gateway on loopback records what it is
//! sent and answers as it is told; the SMS pass claims only `sms:` messages.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kernel::db::Db;
use kernel::db::outbox::{self, Channel, Email};

use crate::helpers::{SETUP, TestApp};

/// What the fake gateway received: the `Authorization` and `Content-Type` headers and the body.
type Received = Arc<Mutex<Vec<(String, String, String)>>>;
/// What it answers next: a status and a body.
type Answer = Arc<Mutex<(u16, String)>>;

async fn gateway_send(State((received, answer)): State<(Received, Answer)>, headers: HeaderMap, body: String) -> (StatusCode, String) {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    received.lock().unwrap().push((header("authorization"), header("content-type"), body));
    let (status, answer) = answer.lock().unwrap().clone();
    (StatusCode::from_u16(status).unwrap(), answer)
}

/// A fake SMS gateway on 127.0.0.1: `POST /send`.
async fn fake_gateway(status: u16, answer: &str) -> (String, Received, Answer) {
    let received: Received = Arc::default();
    let answer: Answer = Arc::new(Mutex::new((status, answer.to_string())));
    let app = axum::Router::new().route("/send", axum::routing::post(gateway_send)).with_state((received.clone(), answer.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received, answer)
}

fn gateway_config(url: &str) -> server::Config {
    let mut config = server::Config::default();
    config.sms.gateway_url = url.to_string();
    config.sms.phone_format = "e164".into();
    config.sms.body = r#"{"phone":"{to}","message":"{text}","brand":"PBGDPL"}"#.into();
    config.sms.auth_header = "Bearer bi-mat-thu".into();
    config.sms.success_contains = r#""status":"ok""#.into();
    config
}

async fn enqueue(db: &Db, to: &str, subject: &str, body: &str) -> Email {
    let mut tx = db.begin().await.unwrap();
    outbox::enqueue(&mut tx, to, subject, body).await.unwrap();
    tx.commit().await.unwrap();
    message(db, to).await
}

/// The newest message to `to`.
async fn message(db: &Db, to: &str) -> Email {
    outbox::recent(db, 100).await.unwrap().into_iter().find(|m| m.to_addr == to).unwrap()
}

/// Lets the lease of `id` run out, as two minutes would.
async fn expire_lease(db: &Db, id: i64) {
    let mut tx = db.begin().await.unwrap();
    kernel::exec!(&mut tx, c => sqlx::query("UPDATE outbox_emails SET locked_until = NULL WHERE id = $1").bind(id).execute(&mut *c).await).unwrap();
    tx.commit().await.unwrap();
}

/// Every e-mail the e-mail channel would claim now (their ids).
async fn email_claims(db: &Db) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    while let Some(m) = outbox::claim(db, Channel::Email, chrono::Duration::minutes(2)).await.unwrap() {
        out.push((m.id, m.to_addr));
    }
    out
}

const BODY: &str = "Mã xác nhận dự thi \"Tìm hiểu pháp luật\" của Ông/Bà là: 123456\nMã có hiệu lực trong 10 phút & không chia sẻ.";

#[tokio::test]
async fn sms_go_through_the_gateway_and_leave_the_email_to_smtp() {
    let (url, received, _) = fake_gateway(200, r#"{"status":"ok","id":"42"}"#).await;
    let app = TestApp::spawn_with(&SETUP, |c| c.sms = gateway_config(&url).sms).await;
    // A number that is no phone number comes first: it is given up, and the others go on.
    let bad = enqueue(&app.db, "sms:12345", "Mã xác nhận dự thi", "Mã: 1").await;
    let sms = enqueue(&app.db, "sms:0913000111", "Mã xác nhận dự thi", BODY).await;
    let mail = enqueue(&app.db, "thu.nghiem@example.vn", "Thư thử", "Nội dung").await;

    let admin = app.login_as("admin").await;
    let (_, html) = admin.text("/he-thong/hop-thu").await;
    assert!(html.contains("được gửi qua cổng SMS đã cấu hình"), "{html}");
    assert!(!html.contains("Chưa cấu hình cổng SMS"));

    let state = server::AppState::new(app.db.clone(), gateway_config(&url));
    assert_eq!(server::mail::send_pending_sms(&state).await.unwrap(), 1);

    // The gateway got one request: the number as 84…, the text JSON-escaped, the credentials.
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    let (auth, content_type, body) = &got[0];
    assert_eq!(auth, "Bearer bi-mat-thu");
    assert_eq!(content_type, "application/json");
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(json, serde_json::json!({"phone": "84913000111", "message": BODY, "brand": "PBGDPL"}));

    let sms = message(&app.db, &sms.to_addr).await;
    assert!(sms.sent_at.is_some());
    assert_eq!((sms.attempts, sms.last_error.as_deref()), (1, None));
    let bad = message(&app.db, &bad.to_addr).await;
    assert!(bad.sent_at.is_none());
    assert_eq!(bad.last_error.as_deref(), Some(kernel::msg::SMS_BAD_NUMBER));
    assert_eq!(bad.attempts, outbox::MAX_ATTEMPTS);
    // The e-mail was not claimed by the SMS pass.
    let mail_now = message(&app.db, &mail.to_addr).await;
    assert_eq!((mail_now.attempts, mail_now.sent_at, mail_now.last_error), (0, None, None));

    // Nothing is sent twice, and the number given up is not tried again.
    assert_eq!(server::mail::send_pending_sms(&state).await.unwrap(), 0);
    expire_lease(&app.db, bad.id).await;
    assert_eq!(server::mail::send_pending_sms(&state).await.unwrap(), 0);
    assert_eq!(received.lock().unwrap().len(), 1);

    let (_, html) = admin.text("/he-thong/hop-thu").await;
    assert!(html.contains("Lỗi, đã ngừng gửi: Số điện thoại không hợp lệ"), "{html}");

    // The e-mail channel claims the e-mail and no SMS.
    let claimed = email_claims(&app.db).await;
    assert!(claimed.contains(&(mail.id, mail.to_addr.clone())), "{claimed:?}");
    assert!(claimed.iter().all(|(_, to)| !to.starts_with("sms:")), "{claimed:?}");
}

#[tokio::test]
async fn a_refused_or_failed_sms_stays_unsent_with_the_reason_and_is_tried_again() {
    let (url, received, answer) = fake_gateway(500, "Lỗi máy chủ nội bộ").await;
    let app = TestApp::spawn(&SETUP).await;
    let admin = app.login_as("admin").await;
    let (_, html) = admin.text("/he-thong/hop-thu").await;
    assert!(html.contains("Chưa cấu hình cổng SMS"), "{html}");
    let mut config = gateway_config(&url);
    config.sms.phone_format = "local".into();
    // A form-encoded gateway this time.
    config.sms.content_type = "application/x-www-form-urlencoded".into();
    config.sms.body = "to={to}&text={text}".into();
    let state = server::AppState::new(app.db.clone(), config);

    // A 500: unsent, with the status and the gateway's answer.
    let first = enqueue(&app.db, "sms:0912345678", "Mã xác nhận dự thi", "Mã: 654321 & \"hết\"").await;
    assert_eq!(server::mail::send_pending_sms(&state).await.unwrap(), 0);
    let m = message(&app.db, &first.to_addr).await;
    assert!(m.sent_at.is_none());
    let error = m.last_error.unwrap();
    assert!(error.contains("500") && error.contains("Lỗi máy chủ nội bộ"), "{error}");
    assert_eq!(received.lock().unwrap()[0].2, "to=0912345678&text=M%C3%A3%3A+654321+%26+%22h%E1%BA%BFt%22");
    assert_eq!(received.lock().unwrap()[0].1, "application/x-www-form-urlencoded");

    // A 200 without the success marker: a refusal, kept as such.
    *answer.lock().unwrap() = (200, r#"{"status":"error","code":"101","message":"Sai khóa"}"#.into());
    let second = enqueue(&app.db, "sms:0987654321", "Mã xác nhận dự thi", "Mã: 111111").await;
    assert_eq!(server::mail::send_pending_sms(&state).await.unwrap(), 0);
    let m = message(&app.db, &second.to_addr).await;
    assert!(m.sent_at.is_none());
    let error = m.last_error.unwrap();
    assert!(error.contains("success_contains") && error.contains("Sai khóa"), "{error}");
    assert_eq!(received.lock().unwrap().len(), 2);

    // Neither is claimed by the e-mail channel.
    let claimed = email_claims(&app.db).await;
    assert!(claimed.iter().all(|(id, _)| *id != first.id && *id != second.id), "{claimed:?}");

    // Within their lease they wait; once it has run out they are tried again and sent.
    *answer.lock().unwrap() = (200, r#"{"status":"ok"}"#.into());
    assert_eq!(server::mail::send_pending_sms(&state).await.unwrap(), 0);
    expire_lease(&app.db, first.id).await;
    expire_lease(&app.db, second.id).await;
    assert_eq!(server::mail::send_pending_sms(&state).await.unwrap(), 2);
    for m in [&first, &second] {
        let m = message(&app.db, &m.to_addr).await;
        assert!(m.sent_at.is_some());
        assert_eq!((m.attempts, m.last_error), (2, None));
    }

    // A gateway that cannot be reached: the reason, without the URL.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut config = gateway_config(&format!("http://127.0.0.1:{port}/send?key=bi-mat-url"));
    config.sms.timeout_secs = 2;
    let state = server::AppState::new(app.db.clone(), config);
    let third = enqueue(&app.db, "sms:0911222333", "Mã", "Mã: 222222").await;
    assert_eq!(server::mail::send_pending_sms(&state).await.unwrap(), 0);
    let error = message(&app.db, &third.to_addr).await.last_error.unwrap();
    assert!(error.starts_with("Không gọi được cổng SMS"), "{error}");
    assert!(!error.contains("bi-mat-url"), "{error}");
}
