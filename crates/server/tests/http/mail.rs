use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::helpers::{SETUP, TestApp, csrf_in};

/// A minimal SMTP sink on loopback that records every message it accepts.
async fn smtp_sink() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data = None::<String>;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            tx.send(data.take().unwrap()).unwrap();
                            w.write_all(b"250 OK\r\n").await.unwrap();
                        } else {
                            buf.push_str(&line);
                            buf.push('\n');
                        }
                        continue;
                    }
                    let up = line.to_ascii_uppercase();
                    let reply: &[u8] = if up.starts_with("EHLO") || up.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if up.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go\r\n"
                    } else if up.starts_with("QUIT") {
                        w.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

#[tokio::test]
async fn the_worker_sends_the_outbox_over_smtp() {
    let (port, mut rx) = smtp_sink().await;
    let app = TestApp::spawn_with(&SETUP, |c| c.mail.smtp_url = format!("smtp://127.0.0.1:{port}")).await;
    // An address that cannot be parsed comes first, and an SMS: the one is given up without
    // stopping the others, the other is left to the SMS gateway.
    let mut tx = app.db.begin().await.unwrap();
    kernel::db::outbox::enqueue(&mut tx, "khong phai dia chi", "Thư hỏng", "…").await.unwrap();
    kernel::db::outbox::enqueue(&mut tx, "sms:0913000111", "Mã xác nhận dự thi", "Mã: 123456").await.unwrap();
    tx.commit().await.unwrap();
    let mut s = app.client();
    let (_, html) = s.text("/quen-mat-khau").await;
    s.csrf = csrf_in(&html);
    s.post("/quen-mat-khau", &[("username", "xa2")]).await;
    let mut config = server::Config::default();
    config.mail.smtp_url = format!("smtp://127.0.0.1:{port}");
    let state = server::AppState::new(app.db.clone(), config);
    let sent = server::mail::send_pending(&state).await.unwrap();
    assert_eq!(sent, 1);
    let message = rx.recv().await.unwrap();
    assert!(message.contains("xa2@demo.pbgdpl.local"));
    assert!(message.contains("dat-lai-mat-khau?token="));
    let mails = kernel::db::outbox::recent(&app.db, 5).await.unwrap();
    assert!(mails[0].sent_at.is_some());
    let bad = mails.iter().find(|m| m.to_addr == "khong phai dia chi").unwrap();
    assert_eq!((bad.sent_at, bad.last_error.as_deref()), (None, Some(kernel::msg::MAIL_BAD_ADDRESS)));
    let sms = mails.iter().find(|m| m.to_addr == "sms:0913000111").unwrap();
    assert_eq!((sms.sent_at, sms.attempts, sms.last_error.as_deref()), (None, 0, None));
    // Nothing is sent twice.
    assert_eq!(server::mail::send_pending(&state).await.unwrap(), 0);
}
