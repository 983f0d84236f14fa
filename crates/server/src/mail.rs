//! The background worker that sends the outbox, e-mails over SMTP and SMS (addresses
//! `sms:<phone>`) through the configured HTTP gateway, and sweeps expired sessions. Each channel
//! is claimed on its own and only when configured, so an instance without a gateway never takes
//! an SMS (nor one without SMTP an e-mail). Claims are leased in the database, so several
//! instances can run it at once.

use std::time::Duration;

use kernel::db::outbox::{self, Channel, Email, SMS_PREFIX};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::AppState;
use crate::sms;

/// How long a claimed message is held by its sender; a failed one is tried again after it.
const LEASE_MINUTES: i64 = 2;

/// The most of a gateway's answer that is read.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

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
            if state.config.sms.enabled()
                && let Err(e) = send_pending_sms(&state).await
            {
                tracing::warn!(error = %e, "sms worker");
            }
            if n % 60 == 1
                && let Err(e) = kernel::db::sessions::sweep(&state.db).await
            {
                tracing::warn!(error = %e, "session sweep");
            }
        }
    });
}

fn count(channel: Channel, outcome: &'static str) {
    metrics::counter!("outbox_messages_total", "channel" => channel.label(), "outcome" => outcome).increment(1);
}

/// Sends queued e-mail (never an SMS) until none is left; returns how many were sent. A message
/// whose address cannot be parsed is given up with its reason and the others go on; a failed
/// send stops the pass (the server is likely down) and is tried again after its lease.
pub async fn send_pending(state: &AppState) -> anyhow::Result<usize> {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&state.config.mail.smtp_url)?.build();
    let from: Mailbox = state.config.mail.from.parse()?;
    let mut sent = 0;
    while let Some(mail) = outbox::claim(&state.db, Channel::Email, chrono::Duration::minutes(LEASE_MINUTES)).await? {
        let Ok(to) = mail.to_addr.parse::<Mailbox>() else {
            outbox::mark_rejected(&state.db, mail.id, kernel::msg::MAIL_BAD_ADDRESS).await?;
            count(Channel::Email, "rejected");
            continue;
        };
        let message = match Message::builder()
            .from(from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
        {
            Ok(m) => m,
            Err(e) => {
                outbox::mark_rejected(&state.db, mail.id, &e.to_string()).await?;
                count(Channel::Email, "rejected");
                continue;
            }
        };
        match transport.send(message).await {
            Ok(_) => {
                outbox::mark_sent(&state.db, mail.id).await?;
                count(Channel::Email, "sent");
                sent += 1;
            }
            Err(e) => {
                outbox::mark_failed(&state.db, mail.id, &e.to_string()).await?;
                count(Channel::Email, "failed");
                break;
            }
        }
    }
    Ok(sent)
}

/// Sends queued SMS (never an e-mail) through the gateway of `[sms]` until none is left; returns
/// how many the gateway accepted. A number that is not a Vietnamese phone number is given up and
/// the others go on; a refused or failed request records why (`last_error`), stops the pass and
/// is tried again after its lease, up to the outbox's attempts.
pub async fn send_pending_sms(state: &AppState) -> anyhow::Result<usize> {
    let cfg = &state.config.sms;
    cfg.check().map_err(anyhow::Error::msg)?;
    let format = sms::PhoneFormat::parse(&cfg.phone_format).ok_or_else(|| anyhow::Error::msg(kernel::msg::SMS_PHONE_FORMAT))?;
    let client = gateway_client(cfg)?;
    let mut sent = 0;
    while let Some(message) = outbox::claim(&state.db, Channel::Sms, chrono::Duration::minutes(LEASE_MINUTES)).await? {
        let Some(to) = sms::phone(message.to_addr.strip_prefix(SMS_PREFIX).unwrap_or_default(), format) else {
            outbox::mark_rejected(&state.db, message.id, kernel::msg::SMS_BAD_NUMBER).await?;
            count(Channel::Sms, "rejected");
            continue;
        };
        match deliver(&client, cfg, &to, &message).await {
            Ok(()) => {
                outbox::mark_sent(&state.db, message.id).await?;
                count(Channel::Sms, "sent");
                sent += 1;
            }
            Err(reason) => {
                tracing::warn!(id = message.id, error = %reason, "sms not delivered");
                outbox::mark_failed(&state.db, message.id, &reason).await?;
                count(Channel::Sms, "failed");
                break;
            }
        }
    }
    Ok(sent)
}

/// The HTTP client of the gateway: its own timeout, no redirects, and a proxy only when
/// `sms.proxy` names one (never one from the environment).
fn gateway_client(cfg: &kernel::config::SmsConfig) -> anyhow::Result<reqwest::Client> {
    let timeout = Duration::from_secs(cfg.timeout_secs);
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .timeout(timeout)
        .no_proxy();
    let builder = if cfg.proxy.trim().is_empty() { builder } else { builder.proxy(reqwest::Proxy::all(cfg.proxy.trim())?) };
    Ok(builder.build()?)
}

/// One message through the gateway: `Err` with the reason (in Vietnamese, with the gateway's
/// answer) unless it was accepted.
async fn deliver(client: &reqwest::Client, cfg: &kernel::config::SmsConfig, to: &str, message: &Email) -> Result<(), String> {
    let req = sms::request(cfg, to, &sms::sms_text(&message.subject, &message.body));
    let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|e| kernel::msg::sms_gateway_unreachable(&e.to_string()))?;
    let mut builder = client.request(method, &req.url);
    if let Some((content_type, body)) = req.body {
        if !content_type.is_empty() {
            builder = builder.header(reqwest::header::CONTENT_TYPE, content_type);
        }
        builder = builder.body(body);
    }
    if !cfg.auth_header.is_empty() {
        let mut value = reqwest::header::HeaderValue::from_str(cfg.auth_header.trim()).map_err(|e| kernel::msg::sms_gateway_unreachable(&e.to_string()))?;
        value.set_sensitive(true);
        builder = builder.header(cfg.auth_header_name.trim(), value);
    }
    let mut response = builder.send().await.map_err(|e| kernel::msg::sms_gateway_unreachable(&chain(e)))?;
    let status = response.status().as_u16();
    let mut answer = Vec::new();
    while answer.len() < MAX_ANSWER_BYTES {
        match response.chunk().await {
            Ok(Some(bytes)) => answer.extend_from_slice(&bytes),
            Ok(None) => break,
            Err(e) => return Err(kernel::msg::sms_gateway_unreachable(&chain(e))),
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    if !(200..300).contains(&status) {
        return Err(kernel::msg::sms_gateway_status(status, &sms::snippet(&answer)));
    }
    if !sms::succeeded(status, &answer, &cfg.success_contains) {
        return Err(kernel::msg::sms_gateway_refused(&sms::snippet(&answer)));
    }
    Ok(())
}

/// A transport error and its causes on one line, without the URL (which may carry the
/// provider's key).
fn chain(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut out = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
