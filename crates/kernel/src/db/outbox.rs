//! The e-mail outbox: mail is written in the same transaction as the change that causes it and
//! sent by a background worker. Claiming is safe with several server instances.

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

/// Claims one unsent e-mail for `lease`, so that another instance does not send it too.
pub async fn claim(db: &Db, lease: Duration) -> DbResult<Option<Email>> {
    let t = now();
    let until = t + lease;
    let mut tx = db.begin().await?;
    let row: Option<Email> = match &mut tx {
        Tx::Postgres(c) => sqlx::query_as(
            "UPDATE outbox_emails SET locked_until = $1, attempts = attempts + 1
             WHERE id = (SELECT id FROM outbox_emails WHERE sent_at IS NULL AND attempts < 8
                         AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
             RETURNING id, to_addr, subject, body, created_at, sent_at, attempts, last_error")
            .bind(until).bind(t).fetch_optional(&mut **c).await?,
        Tx::Sqlite(c) => sqlx::query_as(
            "UPDATE outbox_emails SET locked_until = $1, attempts = attempts + 1
             WHERE id = (SELECT id FROM outbox_emails WHERE sent_at IS NULL AND attempts < 8
                         AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT 1)
             RETURNING id, to_addr, subject, body, created_at, sent_at, attempts, last_error")
            .bind(until).bind(t).fetch_optional(&mut **c).await?,
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

pub async fn mark_failed(db: &Db, id: i64, error: &str) -> DbResult<()> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("UPDATE outbox_emails SET last_error = $1 WHERE id = $2")
        .bind(error).bind(id).execute(&mut *c).await)?;
    tx.commit().await
}
