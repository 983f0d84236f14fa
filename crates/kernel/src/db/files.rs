//! Uploaded files (original plan documents, evidence), stored in the database so that a backup
//! holds them. Size and type limits are checked by the caller before `store`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

use crate::{Db, DbResult, Tx, now, with_db, with_tx};

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct FileMeta {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub unit_id: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub async fn store(tx: &mut Tx, name: &str, content_type: &str, data: &[u8], unit_id: i64, created_by: Option<i64>) -> DbResult<i64> {
    let sha = hex::encode(Sha256::digest(data));
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO files (name, content_type, size_bytes, sha256, data, unit_id, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(name).bind(content_type).bind(data.len() as i64).bind(sha).bind(data).bind(unit_id).bind(created_by).bind(now())
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn meta(db: &Db, id: i64) -> DbResult<FileMeta> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, name, content_type, size_bytes, sha256, unit_id, created_by, created_at FROM files WHERE id = $1")
        .bind(id).fetch_one(p).await)?)
}

pub async fn data(db: &Db, id: i64) -> DbResult<Vec<u8>> {
    let (d,): (Vec<u8>,) = with_db!(db, p => sqlx::query_as("SELECT data FROM files WHERE id = $1").bind(id).fetch_one(p).await)?;
    Ok(d)
}
