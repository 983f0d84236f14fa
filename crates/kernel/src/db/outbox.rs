//! The outbox of e-mails and SMS (addresses `sms:<phone>`): a message is written in the same
//! transaction as the change that causes it and sent by a background worker, which claims one
//! channel at a time. Claiming is safe with several server instances.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::FromRow;

use crate::{exec, Db, DbResult, Tx, now, with_db};

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Email {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub last_error: Option<String>,
}

pub async fn enqueue(tx: &mut Tx, to: &str, subject: &str, body: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO outbox_emails (to_addr, subject, body, created_at, attempts) VALUES ($1, $2, $3, $4, 0)")
        .bind(to).bind(subject).bind(body).bind(now()).execute(&mut *c).await)?;
    Ok(())
}

pub async fn recent(db: &Db, limit: i64) -> DbResult<Vec<Email>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, to_addr, subject, body, created_at, sent_at, attempts, last_error FROM outbox_emails ORDER BY id DESC LIMIT $1")
        .bind(limit).fetch_all(p).await)?)
}

/// The address prefix of a message for a phone (`sms:0912345678`), delivered by the SMS gateway.
pub const SMS_PREFIX: &str = "sms:";

/// Claims past this many are not made: a message is tried at most this often.
pub const MAX_ATTEMPTS: i32 = 8;

/// How a message is delivered, read from its address: each worker claims only its own, so an
/// instance with only SMTP configured never takes an SMS, and the other way round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// Every address that does not start with `sms:`.
    Email,
    /// Addresses `sms:<phone>`.
    Sms,
}

impl Channel {
    pub fn of(to_addr: &str) -> Channel {
        if to_addr.starts_with(SMS_PREFIX) { Channel::Sms } else { Channel::Email }
    }

    /// The label of the channel in metrics.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// Claims one unsent message of `channel` for `lease`, so that another instance does not send it
/// too. A message whose lease ran out (its sender failed or died) is claimed again, up to
/// [`MAX_ATTEMPTS`] claims. The channel is matched with `substr`, case-sensitive on both
/// databases (the same test as [`Channel::of`]).
pub async fn claim(db: &Db, channel: Channel, lease: Duration) -> DbResult<Option<Email>> {
    let t = now();
    let until = t + lease;
    let sms = channel == Channel::Sms;
    let mut tx = db.begin().await?;
    let row: Option<Email> = match &mut tx {
        Tx::Postgres(c) => sqlx::query_as(
            "UPDATE outbox_emails SET locked_until = $1, attempts = attempts + 1
             WHERE id = (SELECT id FROM outbox_emails WHERE sent_at IS NULL AND attempts < $3
                         AND (substr(to_addr, 1, 4) = 'sms:') = $4
                         AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
             RETURNING id, to_addr, subject, body, created_at, sent_at, attempts, last_error")
            .bind(until).bind(t).bind(MAX_ATTEMPTS).bind(sms).fetch_optional(&mut **c).await?,
        Tx::Sqlite(c) => sqlx::query_as(
            "UPDATE outbox_emails SET locked_until = $1, attempts = attempts + 1
             WHERE id = (SELECT id FROM outbox_emails WHERE sent_at IS NULL AND attempts < $3
                         AND (substr(to_addr, 1, 4) = 'sms:') = $4
                         AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT 1)
             RETURNING id, to_addr, subject, body, created_at, sent_at, attempts, last_error")
            .bind(until).bind(t).bind(MAX_ATTEMPTS).bind(sms).fetch_optional(&mut **c).await?,
    };
    tx.commit().await?;
    Ok(row)
}

pub async fn mark_sent(db: &Db, id: i64) -> DbResult<()> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("UPDATE outbox_emails SET sent_at = $1, last_error = NULL WHERE id = $2")
        .bind(now()).bind(id).execute(&mut *c).await)?;
    tx.commit().await
}

/// Records why a send failed; the message is claimed again once its lease has run out.
pub async fn mark_failed(db: &Db, id: i64, error: &str) -> DbResult<()> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("UPDATE outbox_emails SET last_error = $1 WHERE id = $2")
        .bind(error).bind(id).execute(&mut *c).await)?;
    tx.commit().await
}

/// Records why a message can never be sent (an address that cannot be parsed) and gives up on
/// it: it is not claimed again, and the outbox page shows the reason.
pub async fn mark_rejected(db: &Db, id: i64, error: &str) -> DbResult<()> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("UPDATE outbox_emails SET last_error = $1, attempts = $2 WHERE id = $3")
        .bind(error).bind(MAX_ATTEMPTS).bind(id).execute(&mut *c).await)?;
    tx.commit().await
}
