//! The background worker that sends the e-mail outbox over SMTP and sweeps expired sessions.
//! Claims are leased in the database, so several instances can run it at once.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::AppState;

pub fn spawn_worker(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        let mut n: u64 = 0;
        loop {
            tick.tick().await;
            n += 1;
            if !state.config.mail.smtp_url.is_empty()
                && let Err(e) = send_pending(&state).await
            {
                tracing::warn!(error = %e, "mail worker");
            }
            if n % 60 == 1
                && let Err(e) = kernel::db::sessions::sweep(&state.db).await
            {
                tracing::warn!(error = %e, "session sweep");
            }
        }
    });
}

/// Sends queued mail until none is left; returns how many were sent.
pub async fn send_pending(state: &AppState) -> anyhow::Result<usize> {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&state.config.mail.smtp_url)?.build();
    let mut sent = 0;
    while let Some(mail) = kernel::db::outbox::claim(&state.db, chrono::Duration::minutes(2)).await? {
        let message = Message::builder()
            .from(state.config.mail.from.parse()?)
            .to(mail.to_addr.parse()?)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())?;
        match transport.send(message).await {
            Ok(_) => {
                kernel::db::outbox::mark_sent(&state.db, mail.id).await?;
                sent += 1;
            }
            Err(e) => {
                kernel::db::outbox::mark_failed(&state.db, mail.id, &e.to_string()).await?;
                break;
            }
        }
    }
    Ok(sent)
}
