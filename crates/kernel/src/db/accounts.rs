//! Accounts (tài khoản): each belongs to a unit and optionally an agency.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use crate::{exec, Db, DbError, DbResult, Tx, now, with_db, with_tx};

macro_rules! account_cols {
    () => {
        "a.id, a.username, a.full_name, a.email, a.password_hash, a.role, a.unit_id, a.agency_id, a.active,
         a.must_change_password, a.failed_logins, a.locked_until, a.last_login_at, a.created_at, a.updated_at,
         u.name AS unit_name, u.path AS unit_path, g.name AS agency_name"
    };
}

macro_rules! account_from {
    () => {
        " FROM accounts a JOIN units u ON u.id = a.unit_id LEFT JOIN agencies g ON g.id = a.agency_id "
    };
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub role: String,
    pub unit_id: i64,
    pub agency_id: Option<i64>,
    pub active: bool,
    pub must_change_password: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub agency_name: Option<String>,
}

/// Fields of a new account; the password arrives already hashed.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub password_hash: String,
    pub role: String,
    pub unit_id: i64,
    pub agency_id: Option<i64>,
    pub must_change_password: bool,
}

/// Editable fields of an account.
#[derive(Clone, Debug)]
pub struct AccountUpdate {
    pub full_name: String,
    pub email: Option<String>,
    pub role: String,
    pub unit_id: i64,
    pub agency_id: Option<i64>,
}

pub async fn count(db: &Db) -> DbResult<i64> {
    let (n,): (i64,) =
        with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM accounts").fetch_one(p).await)?;
    Ok(n)
}

pub async fn get(db: &Db, id: i64) -> DbResult<Account> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", account_cols!(), account_from!(), "WHERE a.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

pub async fn by_username(db: &Db, username: &str) -> DbResult<Account> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", account_cols!(), account_from!(), "WHERE a.username = $1"))
        .bind(username).fetch_one(p).await)?)
}

pub async fn by_email(db: &Db, email: &str) -> DbResult<Vec<Account>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", account_cols!(), account_from!(), "WHERE a.email = $1 AND a.active"))
        .bind(email).fetch_all(p).await)?)
}

/// The full names of the active accounts of one unit (not those below it) with `role`, in
/// Vietnamese name order: what a unit's public page lists.
pub async fn active_names_of_unit(db: &Db, unit_id: i64, role: &str) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_db!(db, p => sqlx::query_as("SELECT full_name FROM accounts WHERE unit_id = $1 AND role = $2 AND active LIMIT 100")
        .bind(unit_id).bind(role).fetch_all(p).await)?;
    let mut names: Vec<String> = rows.into_iter().map(|r| r.0).collect();
    names.sort_by(|a, b| text_vi::compare_person_names(a, b));
    Ok(names)
}

/// Accounts whose unit lies in the subtree selected by `scope_pattern`, filtered by a
/// diacritic-insensitive query on name or username, sorted by given name, then paged.
pub async fn list(db: &Db, scope_pattern: &str, query: Option<&str>, limit: i64, offset: i64) -> DbResult<Vec<Account>> {
    let mut rows: Vec<Account> = with_db!(db, p => sqlx::query_as(concat!(
        "SELECT ", account_cols!(), account_from!(), "WHERE u.path LIKE $1"))
        .bind(scope_pattern).fetch_all(p).await)?;
    if let Some(q) = query.map(|q| text_vi::fold(q.trim())).filter(|q| !q.is_empty()) {
        rows.retain(|a| text_vi::fold(&a.full_name).contains(&q) || a.username.contains(&q));
    }
    rows.sort_by(|a, b| text_vi::compare_person_names(&a.full_name, &b.full_name).then(a.id.cmp(&b.id)));
    Ok(rows.into_iter().skip(offset.max(0) as usize).take(limit.max(0) as usize).collect())
}

pub async fn create(tx: &mut Tx, a: &NewAccount) -> DbResult<i64> {
    let t = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO accounts (username, full_name, email, password_hash, role, unit_id, agency_id, active,
                               must_change_password, failed_logins, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, 0, $9, $9) RETURNING id")
        .bind(&a.username).bind(&a.full_name).bind(&a.email).bind(&a.password_hash).bind(&a.role)
        .bind(a.unit_id).bind(a.agency_id).bind(a.must_change_password).bind(t)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn update(tx: &mut Tx, id: i64, u: &AccountUpdate) -> DbResult<()> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE accounts SET full_name = $1, email = $2, role = $3, unit_id = $4, agency_id = $5, updated_at = $6 WHERE id = $7")
        .bind(&u.full_name).bind(&u.email).bind(&u.role).bind(u.unit_id).bind(u.agency_id).bind(now()).bind(id)
        .execute(&mut *c).await)?;
    if n == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

pub async fn update_profile(tx: &mut Tx, id: i64, full_name: &str, email: Option<&str>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE accounts SET full_name = $1, email = $2, updated_at = $3 WHERE id = $4")
        .bind(full_name).bind(email).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// Sets a new password and revokes every API token of the account: a token minted with the old
/// password must not outlive it. Callers also end the account's sessions (except, on a change by
/// the user, the session making it).
pub async fn set_password(tx: &mut Tx, id: i64, hash: &str, must_change: bool) -> DbResult<()> {
    let t = now();
    exec!(tx, c => sqlx::query(
        "UPDATE accounts SET password_hash = $1, must_change_password = $2, failed_logins = 0, locked_until = NULL, updated_at = $3 WHERE id = $4")
        .bind(hash).bind(must_change).bind(t).bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL")
        .bind(t).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn set_active(tx: &mut Tx, id: i64, active: bool) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE accounts SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(active).bind(now()).bind(id).execute(&mut *c).await)?;
    if !active {
        exec!(tx, c => sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id).execute(&mut *c).await)?;
        exec!(tx, c => sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL")
            .bind(now()).bind(id).execute(&mut *c).await)?;
    }
    Ok(())
}

/// Counts a failed login (shown to administrators; it locks nothing, see `auth::check_login`).
pub async fn record_failure(tx: &mut Tx, id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = $1")
        .bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn record_success(tx: &mut Tx, id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE accounts SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2")
        .bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}
