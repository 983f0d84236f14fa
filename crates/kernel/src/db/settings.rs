//! Settings shared by every instance (`settings`: key → value).

use crate::{Db, DbResult, exec, with_db};

/// The value of `key`, created with `make()` by the first instance that asks; every instance
/// then reads the same value.
pub async fn get_or_create(db: &Db, key: &str, make: impl FnOnce() -> String) -> DbResult<String> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(key).bind(make()).execute(&mut *c).await)?;
    tx.commit().await?;
    let (v,): (String,) = with_db!(db, p => sqlx::query_as("SELECT value FROM settings WHERE key = $1").bind(key).fetch_one(p).await)?;
    Ok(v)
}
