//! The audit log (nhật ký hệ thống): every write records who, when, what, before and after,
//! in the same transaction as the write itself.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;

use crate::{exec, Db, DbResult, Tx, now, with_db};

/// Who did it and from where; built once per request.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub username: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    /// The command line (`pbgdpl admin ...`), a system actor.
    pub fn cli() -> Actor {
        Actor { account_id: None, username: Some("cli".into()), request_id: None, ip: None }
    }
}

/// One entry to write.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub unit_id: Option<i64>,
    pub summary: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub async fn record(tx: &mut Tx, actor: &Actor, e: Entry<'_>) -> DbResult<()> {
    let at = now();
    exec!(tx, c => sqlx::query(
        "INSERT INTO audit_log (at, account_id, username, unit_id, action, entity, entity_id, summary, before_data, after_data, request_id, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .bind(at).bind(actor.account_id).bind(actor.username.as_deref()).bind(e.unit_id)
        .bind(e.action).bind(e.entity).bind(e.entity_id).bind(e.summary)
        .bind(e.before.map(Json)).bind(e.after.map(Json))
        .bind(actor.request_id.as_deref()).bind(actor.ip.as_deref())
        .execute(&mut *c).await)?;
    Ok(())
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub account_id: Option<i64>,
    pub username: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub summary: String,
    pub before_data: Option<Json<Value>>,
    pub after_data: Option<Json<Value>>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// Filters for browsing the log. `scope_pattern` is the caller's subtree (`LIKE` pattern on
/// unit paths); entries without a unit are visible only to global scope (`%`).
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub scope_pattern: String,
    pub username: Option<String>,
    pub entity: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(db: &Db, f: &AuditFilter) -> DbResult<Vec<AuditRow>> {
    let global = f.scope_pattern == "%";
    let from = f.from.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc() - chrono::Duration::hours(7));
    let to = f.to.and_then(|d| d.succ_opt()).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc() - chrono::Duration::hours(7));
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT a.id, a.at, a.account_id, a.username, a.unit_id, u.name AS unit_name, a.action, a.entity, a.entity_id,
                a.summary, a.before_data, a.after_data, a.request_id, a.ip
         FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id
         WHERE ($1 OR (u.path LIKE $2))
           AND ($3 IS NULL OR a.username = $3)
           AND ($4 IS NULL OR a.entity = $4)
           AND ($5 IS NULL OR a.action = $5)
           AND ($6 IS NULL OR a.at >= $6)
           AND ($7 IS NULL OR a.at < $7)
         ORDER BY a.id DESC LIMIT $8 OFFSET $9")
        .bind(global).bind(&f.scope_pattern).bind(f.username.as_deref()).bind(f.entity.as_deref())
        .bind(f.action.as_deref()).bind(from).bind(to).bind(f.limit).bind(f.offset)
        .fetch_all(p).await)?)
}

pub async fn count_for_entity(db: &Db, entity: &str, entity_id: &str) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND entity_id = $2")
        .bind(entity).bind(entity_id).fetch_one(p).await)?;
    Ok(n)
}
