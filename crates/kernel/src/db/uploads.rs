//! Uploads of documents that are parsed (plan imports, report imports), counted per account for
//! the per-minute limit. Old rows are swept with the sessions.

use chrono::{DateTime, Utc};

use crate::{Db, DbResult, Tx, exec, with_db};

pub async fn record(tx: &mut Tx, account_id: i64, kind: &str, at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("INSERT INTO upload_events (account_id, kind, at) VALUES ($1, $2, $3)")
        .bind(account_id).bind(kind).bind(at).execute(&mut *c).await)?;
    Ok(())
}

pub async fn count_since(db: &Db, account_id: i64, kind: &str, since: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM upload_events WHERE account_id = $1 AND kind = $2 AND at >= $3")
        .bind(account_id).bind(kind).bind(since).fetch_one(p).await)?;
    Ok(n)
}
