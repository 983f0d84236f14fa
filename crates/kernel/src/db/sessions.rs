//! Sessions, API tokens, password-reset tokens and login attempts, all kept in the shared
//! database so that several server instances behind a load balancer agree.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::FromRow;

use crate::{exec, Db, DbError, DbResult, Tx, new_token, now, token_hash, with_db, with_tx};

#[derive(Clone, Debug, FromRow)]
pub struct Session {
    pub id: String,
    pub account_id: i64,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Creates a session and returns the secret cookie value; only its hash is stored.
pub async fn create(tx: &mut Tx, account_id: i64, ttl: Duration) -> DbResult<(String, Session)> {
    let secret = new_token();
    let t = now();
    let s = Session {
        id: token_hash(&secret),
        account_id,
        csrf_token: new_token(),
        created_at: t,
        last_seen_at: t,
        expires_at: t + ttl,
    };
    exec!(tx, c => sqlx::query(
        "INSERT INTO sessions (id, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&s.id).bind(s.account_id).bind(&s.csrf_token).bind(s.created_at).bind(s.last_seen_at).bind(s.expires_at)
        .execute(&mut *c).await)?;
    Ok((secret, s))
}

/// Finds a live session by its cookie value; expired sessions are not returned.
pub async fn find(db: &Db, secret: &str) -> DbResult<Option<Session>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, account_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
        .bind(token_hash(secret)).bind(now()).fetch_optional(p).await)?)
}

/// Slides the idle expiry forward, at most once a minute, capped by the absolute lifetime.
pub async fn touch(db: &Db, s: &Session, idle: Duration, absolute: Duration) -> DbResult<()> {
    let t = now();
    if t - s.last_seen_at < Duration::minutes(1) {
        return Ok(());
    }
    let expires = (t + idle).min(s.created_at + absolute);
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3")
        .bind(t).bind(expires).bind(&s.id).execute(&mut *c).await)?;
    tx.commit().await
}

pub async fn delete(tx: &mut Tx, id: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn delete_for_account(tx: &mut Tx, account_id: i64, except: Option<&str>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND ($2 IS NULL OR id <> $2)")
        .bind(account_id).bind(except).execute(&mut *c).await)?;
    Ok(())
}

/// Removes expired sessions, stale login attempts and used reset tokens.
pub async fn sweep(db: &Db) -> DbResult<u64> {
    let t = now();
    let mut tx = db.begin().await?;
    let a = exec!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(t).execute(&mut *c).await)?;
    exec!(&mut tx, c => sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(t - Duration::days(1)).execute(&mut *c).await)?;
    exec!(&mut tx, c => sqlx::query("DELETE FROM upload_events WHERE at < $1").bind(t - Duration::days(1)).execute(&mut *c).await)?;
    exec!(&mut tx, c => sqlx::query("DELETE FROM password_resets WHERE expires_at < $1").bind(t - Duration::days(1)).execute(&mut *c).await)?;
    tx.commit().await?;
    Ok(a)
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn create_token(tx: &mut Tx, account_id: i64, name: &str, ttl: Duration) -> DbResult<(String, i64)> {
    let secret = format!("pbg_{}", new_token());
    let t = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO api_tokens (account_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(account_id).bind(name).bind(token_hash(&secret)).bind(t).bind(t + ttl).fetch_one(&mut *c).await)?;
    Ok((secret, id))
}

/// Resolves a bearer token to its account id if it is neither revoked nor expired.
pub async fn find_token(db: &Db, secret: &str) -> DbResult<Option<ApiToken>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, account_id, name, created_at, last_used_at, expires_at, revoked_at FROM api_tokens
         WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)")
        .bind(token_hash(secret)).bind(now()).fetch_optional(p).await)?)
}

pub async fn list_tokens(db: &Db, account_id: i64) -> DbResult<Vec<ApiToken>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, account_id, name, created_at, last_used_at, expires_at, revoked_at FROM api_tokens
         WHERE account_id = $1 ORDER BY id DESC")
        .bind(account_id).fetch_all(p).await)?)
}

pub async fn revoke_token(tx: &mut Tx, account_id: i64, id: i64) -> DbResult<()> {
    let r = exec!(tx, c => sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL")
        .bind(now()).bind(id).bind(account_id).execute(&mut *c).await)?;
    if r == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

pub async fn touch_token(db: &Db, id: i64) -> DbResult<()> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now()).bind(id).execute(&mut *c).await)?;
    tx.commit().await
}

pub async fn create_reset(tx: &mut Tx, account_id: i64, ttl: Duration) -> DbResult<String> {
    let secret = new_token();
    let t = now();
    exec!(tx, c => sqlx::query(
        "INSERT INTO password_resets (account_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(account_id).bind(token_hash(&secret)).bind(t).bind(t + ttl).execute(&mut *c).await)?;
    Ok(secret)
}

/// Reset tokens issued to an account since `since` (to cap how many mails one can trigger).
pub async fn resets_since(db: &Db, account_id: i64, since: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM password_resets WHERE account_id = $1 AND created_at >= $2")
        .bind(account_id).bind(since).fetch_one(p).await)?;
    Ok(n)
}

/// Consumes a reset token, returning its account id when valid.
pub async fn use_reset(tx: &mut Tx, secret: &str) -> DbResult<Option<i64>> {
    let t = now();
    let row: Option<(i64,)> = with_tx!(tx, c => sqlx::query_as(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING account_id")
        .bind(t).bind(token_hash(secret)).fetch_optional(&mut *c).await)?;
    Ok(row.map(|r| r.0))
}

pub async fn reset_is_valid(db: &Db, secret: &str) -> DbResult<bool> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(token_hash(secret)).bind(now()).fetch_optional(p).await)?;
    Ok(row.is_some())
}

pub async fn record_attempt(tx: &mut Tx, username_key: &str, ip: &str, success: bool) -> DbResult<()> {
    exec!(tx, c => sqlx::query("INSERT INTO login_attempts (username_key, ip, success, at) VALUES ($1, $2, $3, $4)")
        .bind(username_key).bind(ip).bind(success).bind(now()).execute(&mut *c).await)?;
    Ok(())
}

/// Failed attempts at one username from `ip` since `since`.
pub async fn failures_of(db: &Db, username_key: &str, ip: &str, since: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at >= $2 AND username_key = $3 AND NOT success")
        .bind(ip).bind(since).bind(username_key).fetch_one(p).await)?;
    Ok(n)
}

/// Failed attempts from `ip` since `since`.
pub async fn failures_from_ip(db: &Db, ip: &str, since: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at >= $2 AND NOT success")
        .bind(ip).bind(since).fetch_one(p).await)?;
    Ok(n)
}
