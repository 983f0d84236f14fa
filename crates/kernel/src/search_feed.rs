//! The search feed (nguồn dữ liệu tìm kiếm): every capability that publishes something to
//! citizens writes its plain text here, in the same transaction as the publishing, and removes
//! it in the transaction that unpublishes it. Each write also appends a row to the change log
//! `search_changes`. The `search` capability keeps an index per instance as a cache: it
//! rebuilds it from `search_docs` and catches up from the log (docs/search.md).
//!
//! Time-dependent visibility is stored as dates, never as a state that would need a job to
//! flip it: scheduled publishing (`visible_from`, `visible_to`) and a legal document's
//! effective-status dates (`in_force_on`, `partly_expired_on`, `expired_on`) are compared with
//! the clock when a query runs.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use crate::{exec, now, with_db, Db, DbResult, Tx};

/// The kinds of public item (the `kind` column).
pub mod kind {
    /// Tin bài and trang tĩnh of the portal.
    pub const ARTICLE: &str = "article";
    /// Văn bản pháp luật of the bookshelf.
    pub const LEGAL_DOC: &str = "legal_doc";
    /// Tài liệu PBGDPL of the bookshelf.
    pub const MATERIAL: &str = "material";
    /// A published answer (hỏi đáp pháp luật).
    pub const ANSWER: &str = "answer";
    /// A draft open or once open for comments (dự thảo).
    pub const DRAFT: &str = "draft";
    pub const ALL: [&str; 5] = [ARTICLE, LEGAL_DOC, MATERIAL, ANSWER, DRAFT];
}

/// One public item as the search index reads it.
#[derive(Clone, Debug, Default, PartialEq, FromRow)]
pub struct FeedDoc {
    pub kind: String,
    pub ref_id: i64,
    /// Its public path (`/tin-tuc/…`).
    pub url: String,
    pub title: String,
    /// Số hiệu of a legal document; empty otherwise.
    pub number: String,
    /// Shown under the title when the body gives no snippet.
    pub summary: String,
    /// Plain text (Markdown source is fine).
    pub body: String,
    /// The facet "Loại": a document type, an article's category, a material's kind.
    pub doc_type: String,
    /// The facet "Cơ quan ban hành" (legal documents).
    pub issuer: String,
    /// The facet "Năm".
    pub year: Option<i32>,
    pub unit_id: Option<i64>,
    /// The date shown in the results.
    pub published_at: Option<DateTime<Utc>>,
    /// Scheduled publishing: hidden before (if set) …
    pub visible_from: Option<DateTime<Utc>>,
    /// … and from (if set).
    pub visible_to: Option<DateTime<Utc>>,
    /// A legal document's effective-status dates (the bookshelf's derivation, as dates).
    pub in_force_on: Option<NaiveDate>,
    pub partly_expired_on: Option<NaiveDate>,
    pub expired_on: Option<NaiveDate>,
}

const COLUMNS: &str = "kind, ref_id, url, title, number, summary, body, doc_type, issuer, year, unit_id, published_at, visible_from, visible_to, in_force_on, partly_expired_on, expired_on";

/// Inserts or replaces the item, and logs the change.
pub async fn put(tx: &mut Tx, doc: &FeedDoc) -> DbResult<()> {
    let at = now();
    exec!(tx, c => sqlx::query(
        "INSERT INTO search_docs (kind, ref_id, url, title, number, summary, body, doc_type, issuer, year, unit_id, published_at, visible_from, visible_to, in_force_on, partly_expired_on, expired_on, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (kind, ref_id) DO UPDATE SET url = excluded.url, title = excluded.title, number = excluded.number,
           summary = excluded.summary, body = excluded.body, doc_type = excluded.doc_type, issuer = excluded.issuer,
           year = excluded.year, unit_id = excluded.unit_id, published_at = excluded.published_at,
           visible_from = excluded.visible_from, visible_to = excluded.visible_to, in_force_on = excluded.in_force_on,
           partly_expired_on = excluded.partly_expired_on, expired_on = excluded.expired_on, updated_at = excluded.updated_at")
        .bind(&doc.kind).bind(doc.ref_id).bind(&doc.url).bind(&doc.title).bind(&doc.number).bind(&doc.summary).bind(&doc.body)
        .bind(&doc.doc_type).bind(&doc.issuer).bind(doc.year).bind(doc.unit_id).bind(doc.published_at).bind(doc.visible_from)
        .bind(doc.visible_to).bind(doc.in_force_on).bind(doc.partly_expired_on).bind(doc.expired_on).bind(at)
        .execute(&mut *c).await)?;
    log_change(tx, &doc.kind, doc.ref_id, at).await
}

/// Removes the item (unpublished, withdrawn, deleted), and logs the change. Removing an item
/// that is not there still logs it, which is harmless.
pub async fn remove(tx: &mut Tx, kind: &str, ref_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM search_docs WHERE kind = $1 AND ref_id = $2").bind(kind).bind(ref_id).execute(&mut *c).await)?;
    log_change(tx, kind, ref_id, now()).await
}

async fn log_change(tx: &mut Tx, kind: &str, ref_id: i64, at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("INSERT INTO search_changes (kind, ref_id, changed_at) VALUES ($1, $2, $3)")
        .bind(kind).bind(ref_id).bind(at).execute(&mut *c).await)?;
    Ok(())
}

/// One row of the change log.
#[derive(Clone, Debug, FromRow)]
pub struct Change {
    pub id: i64,
    pub kind: String,
    pub ref_id: i64,
}

/// The changes after `after`, oldest first.
pub async fn changes_after(db: &Db, after: i64, limit: i64) -> DbResult<Vec<Change>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT id, kind, ref_id FROM search_changes WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after).bind(limit).fetch_all(p).await)?)
}

/// The changes with these ids (re-reading the gaps of the log, see the search capability).
pub async fn changes_in(db: &Db, ids: &[i64]) -> DbResult<Vec<Change>> {
    let mut out = Vec::new();
    for id in ids {
        let row: Option<Change> = with_db!(db, p => sqlx::query_as("SELECT id, kind, ref_id FROM search_changes WHERE id = $1")
            .bind(*id).fetch_optional(p).await)?;
        out.extend(row);
    }
    Ok(out)
}

/// The newest change id (0 for an empty log).
pub async fn last_change(db: &Db) -> DbResult<i64> {
    let id: Option<i64> = with_db!(db, p => sqlx::query_scalar("SELECT MAX(id) FROM search_changes").fetch_one(p).await)?;
    Ok(id.unwrap_or(0))
}

/// The current item, if it is in the feed.
pub async fn get(db: &Db, kind: &str, ref_id: i64) -> DbResult<Option<FeedDoc>> {
    static SQL: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    let sql = *SQL.get_or_init(|| Box::leak(format!("SELECT {COLUMNS} FROM search_docs WHERE kind = $1 AND ref_id = $2").into_boxed_str()));
    Ok(with_db!(db, p => sqlx::query_as(sql).bind(kind).bind(ref_id).fetch_optional(p).await)?)
}

/// A page of the whole feed in key order, after `(kind, ref_id)` (for a full rebuild).
pub async fn page_after(db: &Db, after: Option<(&str, i64)>, limit: i64) -> DbResult<Vec<FeedDoc>> {
    static SQL: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    let sql = *SQL.get_or_init(|| {
        Box::leak(format!("SELECT {COLUMNS} FROM search_docs WHERE (kind > $1 OR (kind = $1 AND ref_id > $2)) ORDER BY kind, ref_id LIMIT $3").into_boxed_str())
    });
    let (k, id) = after.unwrap_or(("", i64::MIN));
    Ok(with_db!(db, p => sqlx::query_as(sql).bind(k).bind(id).bind(limit).fetch_all(p).await)?)
}

/// How many items the feed holds.
pub async fn count(db: &Db) -> DbResult<i64> {
    Ok(with_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM search_docs").fetch_one(p).await)?)
}

/// Deletes log rows older than `before` (every instance has long applied them; an instance
/// started later rebuilds from `search_docs`).
pub async fn prune(db: &Db, before: DateTime<Utc>) -> DbResult<u64> {
    let mut tx = db.begin().await?;
    let n = exec!(&mut tx, c => sqlx::query("DELETE FROM search_changes WHERE changed_at < $1").bind(before).execute(&mut *c).await)?;
    tx.commit().await?;
    Ok(n)
}

/// A capability's function that writes one item into the feed (or removes it) inside a
/// transaction, and says whether it put it.
pub type FeedOne = for<'a> fn(&'a mut Tx, i64) -> crate::registry::BoxFuture<'a, DbResult<bool>>;

/// Runs `feed` for every id, 200 per transaction: the backfill of a capability's items (for a
/// database that held them before the feed, and for the demo). Returns how many it put;
/// running it again is harmless.
pub async fn feed_each(db: &Db, ids: &[i64], feed: FeedOne) -> DbResult<u64> {
    let mut put = 0;
    for chunk in ids.chunks(200) {
        let mut tx = db.begin().await?;
        for id in chunk {
            if feed(&mut tx, *id).await? {
                put += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(put)
}
