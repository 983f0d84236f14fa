//! Reminders (nhắc việc, đôn đốc), in-app notifications, per-unit reminder settings and the
//! once-a-day job claim that keeps several server instances from sending the same digest.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use crate::{Db, DbResult, Tx, exec, now, with_db};

/// One reminder item to record.
#[derive(Clone, Debug)]
pub struct NewReminder {
    pub sent_on: NaiveDate,
    pub kind: String,
    pub recipient_id: i64,
    pub recipient_unit_id: i64,
    pub sender_id: Option<i64>,
    pub sender_unit_id: i64,
    pub plan_id: Option<i64>,
    pub task_id: Option<i64>,
    /// "task:12" or "plan:3:unit:45": what the reminder is about, for "not twice a day".
    pub item_key: String,
    pub text: String,
}

/// Records a reminder; returns false when the recipient was already reminded of this item today.
pub async fn record(tx: &mut Tx, r: &NewReminder) -> DbResult<bool> {
    let n = exec!(tx, c => sqlx::query(
        "INSERT INTO reminders (sent_on, at, kind, recipient_id, recipient_unit_id, sender_id, sender_unit_id, plan_id, task_id, item_key, text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING")
        .bind(r.sent_on).bind(now()).bind(&r.kind).bind(r.recipient_id).bind(r.recipient_unit_id).bind(r.sender_id)
        .bind(r.sender_unit_id).bind(r.plan_id).bind(r.task_id).bind(&r.item_key).bind(&r.text)
        .execute(&mut *c).await)?;
    Ok(n > 0)
}

/// The last automatic reminder of an item to a recipient: (kind, day).
pub async fn last_sent(db: &Db, recipient_id: i64, item_key: &str) -> DbResult<Option<(String, NaiveDate)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT kind, sent_on FROM reminders WHERE recipient_id = $1 AND item_key = $2 AND kind <> 'manual'
         ORDER BY sent_on DESC, id DESC LIMIT 1")
        .bind(recipient_id).bind(item_key).fetch_optional(p).await)?)
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Reminder {
    pub id: i64,
    pub sent_on: NaiveDate,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub recipient_id: i64,
    pub recipient_name: String,
    pub recipient_unit_name: String,
    pub sender_id: Option<i64>,
    pub sender_name: Option<String>,
    pub sender_unit_name: String,
    pub plan_id: Option<i64>,
    pub task_id: Option<i64>,
    pub text: String,
}

/// Reminders sent by units in `scope_pattern` or to accounts of units in it: what a unit's
/// officers and their superiors see (đôn đốc).
pub async fn list(db: &Db, scope_pattern: &str, kind: Option<&str>, limit: i64, offset: i64) -> DbResult<Vec<Reminder>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT r.id, r.sent_on, r.at, r.kind, r.recipient_id, a.full_name AS recipient_name, ru.name AS recipient_unit_name,
            r.sender_id, s.full_name AS sender_name, su.name AS sender_unit_name, r.plan_id, r.task_id, r.text
         FROM reminders r JOIN accounts a ON a.id = r.recipient_id JOIN units ru ON ru.id = r.recipient_unit_id
         JOIN units su ON su.id = r.sender_unit_id LEFT JOIN accounts s ON s.id = r.sender_id
         WHERE (su.path LIKE $1 OR ru.path LIKE $1) AND ($2 IS NULL OR r.kind = $2)
         ORDER BY r.at DESC, r.id DESC LIMIT $3 OFFSET $4")
        .bind(scope_pattern).bind(kind).bind(limit).bind(offset).fetch_all(p).await)?)
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Notification {
    pub id: i64,
    pub account_id: i64,
    pub created_at: DateTime<Utc>,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub read_at: Option<DateTime<Utc>>,
}

pub async fn notify(tx: &mut Tx, account_id: i64, subject: &str, body: &str, link: Option<&str>) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO notifications (account_id, created_at, subject, body, link) VALUES ($1, $2, $3, $4, $5)")
        .bind(account_id).bind(now()).bind(subject).bind(body).bind(link).execute(&mut *c).await)?;
    Ok(())
}

pub async fn notifications(db: &Db, account_id: i64, limit: i64) -> DbResult<Vec<Notification>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, account_id, created_at, subject, body, link, read_at FROM notifications WHERE account_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2")
        .bind(account_id).bind(limit).fetch_all(p).await)?)
}

pub async fn unread_count(db: &Db, account_id: i64) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL")
        .bind(account_id).fetch_one(p).await)?;
    Ok(n)
}

pub async fn mark_all_read(tx: &mut Tx, account_id: i64) -> DbResult<u64> {
    exec!(tx, c => sqlx::query("UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
        .bind(now()).bind(account_id).execute(&mut *c).await).map_err(Into::into)
}

/// Days before a deadline at which the unit's reminders start, if the unit set it.
pub async fn days_before(db: &Db, unit_id: i64) -> DbResult<Option<i32>> {
    let row: Option<(i32,)> = with_db!(db, p => sqlx::query_as("SELECT days_before FROM unit_reminder_settings WHERE unit_id = $1")
        .bind(unit_id).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

pub async fn set_days_before(tx: &mut Tx, unit_id: i64, days: i32) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO unit_reminder_settings (unit_id, days_before, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (unit_id) DO UPDATE SET days_before = excluded.days_before, updated_at = excluded.updated_at")
        .bind(unit_id).bind(days).bind(now()).execute(&mut *c).await)?;
    Ok(())
}

/// Claims today's run of a daily job; true for the one instance that gets it.
pub async fn claim_job(db: &Db, name: &str, day: NaiveDate) -> DbResult<bool> {
    let mut tx = db.begin().await?;
    let n = exec!(&mut tx, c => sqlx::query(
        "INSERT INTO job_runs (name, run_on, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(name).bind(day).bind(now()).execute(&mut *c).await)?;
    tx.commit().await?;
    Ok(n > 0)
}

pub async fn finish_job(db: &Db, name: &str, day: NaiveDate, summary: &str) -> DbResult<()> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("UPDATE job_runs SET finished_at = $1, summary = $2 WHERE name = $3 AND run_on = $4")
        .bind(now()).bind(summary).bind(name).bind(day).execute(&mut *c).await)?;
    tx.commit().await
}

/// Forgets today's claim so that the job can be run again by hand.
pub async fn release_job(db: &Db, name: &str, day: NaiveDate) -> DbResult<()> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("DELETE FROM job_runs WHERE name = $1 AND run_on = $2")
        .bind(name).bind(day).execute(&mut *c).await)?;
    tx.commit().await
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct JobRun {
    pub name: String,
    pub run_on: NaiveDate,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub summary: Option<String>,
}

pub async fn job_runs(db: &Db, limit: i64) -> DbResult<Vec<JobRun>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT name, run_on, started_at, finished_at, summary FROM job_runs ORDER BY run_on DESC, started_at DESC LIMIT $1")
        .bind(limit).fetch_all(p).await)?)
}
