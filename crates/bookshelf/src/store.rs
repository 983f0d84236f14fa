//! SQL of the legal bookshelf, written once for both databases.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use kernel::{Db, DbResult, Tx, exec, now, with_db, with_tx};

// ---------------------------------------------------------------- reference data

/// A coded entry of a data table (a document type, a field).
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Coded {
    pub code: String,
    pub name: String,
}

/// The types of legal document (loại văn bản), in their order.
pub async fn doc_types(db: &Db) -> DbResult<Vec<Coded>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT code, name FROM bookshelf_doc_types ORDER BY position").fetch_all(p).await)?)
}

/// The fields of law (lĩnh vực), also the materials' topics, in their order.
pub async fn fields(db: &Db) -> DbResult<Vec<Coded>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT code, name FROM bookshelf_fields ORDER BY position").fetch_all(p).await)?)
}

// ---------------------------------------------------------------- documents

/// A legal document without its full text.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct DocRow {
    pub id: i64,
    pub unit_id: i64,
    #[serde(skip)]
    pub unit_path: String,
    pub number: String,
    pub type_code: String,
    pub type_name: String,
    pub title: String,
    pub issuer: String,
    pub signer: String,
    pub issued_on: NaiveDate,
    pub in_force_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub summary: String,
    pub file_id: Option<i64>,
    pub vbpl_url: String,
    pub updated_at: DateTime<Utc>,
}

macro_rules! doc_cols {
    () => {
        "d.id, d.unit_id, u.path AS unit_path, d.number, d.type_code, t.name AS type_name, d.title, d.issuer, d.signer, d.issued_on,
         d.in_force_on, d.expires_on, d.summary, d.file_id, d.vbpl_url, d.updated_at
         FROM bookshelf_documents d JOIN units u ON u.id = d.unit_id JOIN bookshelf_doc_types t ON t.code = d.type_code"
    };
}

/// The fields of a document as entered.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DocInput {
    pub number: String,
    pub type_code: String,
    pub title: String,
    pub issuer: String,
    pub signer: String,
    pub issued_on: Option<NaiveDate>,
    pub in_force_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub fields: Vec<String>,
    pub summary: String,
    pub full_text: String,
    pub vbpl_url: String,
}

/// Filters of the document list; empty strings and zero mean "any".
#[derive(Clone, Debug, Default)]
pub struct DocFilter {
    pub type_code: String,
    pub field: String,
    pub year: i32,
    pub query: String,
}

pub async fn document(db: &Db, id: i64) -> DbResult<DocRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", doc_cols!(), " WHERE d.id = $1")).bind(id).fetch_one(p).await)?)
}

/// The document numbered `key` (see [`crate::rules::number::key`]) in the library of `unit_id`.
/// Numbers are unique per library: local documents repeat across issuers (each province's
/// "01/2025/QĐ-UBND"), and a library links only its own documents.
pub async fn document_by_key(db: &Db, unit_id: i64, key: &str) -> DbResult<Option<DocRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", doc_cols!(), " WHERE d.unit_id = $1 AND d.number_key = $2")).bind(unit_id).bind(key).fetch_optional(p).await)?)
}

pub async fn full_text(db: &Db, id: i64) -> DbResult<String> {
    let (t,): (String,) = with_db!(db, p => sqlx::query_as("SELECT full_text FROM bookshelf_documents WHERE id = $1").bind(id).fetch_one(p).await)?;
    Ok(t)
}

/// Documents matching the filters, newest first. The query matches the folded title or the
/// number's key.
pub async fn documents(db: &Db, f: &DocFilter) -> DbResult<Vec<DocRow>> {
    let (title_like, number_like) = if f.query.trim().is_empty() {
        (String::new(), String::new())
    } else {
        let key = crate::rules::number::key(&f.query);
        (kernel::like_contains(&f.query), if key.is_empty() { String::new() } else { format!("%{key}%") })
    };
    let from = NaiveDate::from_ymd_opt(f.year, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(f.year, 12, 31).unwrap_or_default();
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", doc_cols!(),
        " WHERE ($1 = '' OR d.type_code = $1)
            AND ($2 = '' OR EXISTS (SELECT 1 FROM bookshelf_document_fields df WHERE df.document_id = d.id AND df.field_code = $2))
            AND ($3 = 0 OR (d.issued_on >= $4 AND d.issued_on <= $5))
            AND ($6 = '' OR d.title_key LIKE $6 ESCAPE '\\' OR d.number_key LIKE $7)
          ORDER BY d.issued_on DESC, d.id DESC"))
        .bind(&f.type_code).bind(&f.field).bind(i64::from(f.year)).bind(from).bind(to).bind(&title_like).bind(&number_like)
        .fetch_all(p).await)?)
}

/// The field codes of a document.
/// The fields of every document, in the catalogue's order (one query for a whole list).
pub async fn all_document_fields(db: &Db) -> DbResult<std::collections::HashMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT df.document_id, df.field_code FROM bookshelf_document_fields df JOIN bookshelf_fields f ON f.code = df.field_code
         ORDER BY df.document_id, f.position")
        .fetch_all(p).await)?;
    Ok(grouped(rows))
}

pub async fn document_fields(db: &Db, id: i64) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_db!(db, p => sqlx::query_as(
        "SELECT df.field_code FROM bookshelf_document_fields df JOIN bookshelf_fields f ON f.code = df.field_code WHERE df.document_id = $1 ORDER BY f.position")
        .bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert_document(tx: &mut Tx, unit_id: i64, f: &DocInput, issued_on: NaiveDate, in_force_on: NaiveDate, by: Option<i64>) -> DbResult<i64> {
    let t = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO bookshelf_documents (unit_id, number, number_key, type_code, title, title_key, issuer, signer, issued_on, in_force_on,
           expires_on, summary, full_text, vbpl_url, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id")
        .bind(unit_id).bind(&f.number).bind(crate::rules::number::key(&f.number)).bind(&f.type_code).bind(&f.title).bind(text_vi::fold(&f.title))
        .bind(&f.issuer).bind(&f.signer).bind(issued_on).bind(in_force_on).bind(f.expires_on).bind(&f.summary).bind(&f.full_text)
        .bind(&f.vbpl_url).bind(by).bind(t)
        .fetch_one(&mut *c).await)?;
    set_document_fields(tx, id, &f.fields).await?;
    Ok(id)
}

pub async fn update_document(tx: &mut Tx, id: i64, f: &DocInput, issued_on: NaiveDate, in_force_on: NaiveDate) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE bookshelf_documents SET number = $1, number_key = $2, type_code = $3, title = $4, title_key = $5, issuer = $6, signer = $7,
           issued_on = $8, in_force_on = $9, expires_on = $10, summary = $11, full_text = $12, vbpl_url = $13, updated_at = $14 WHERE id = $15")
        .bind(&f.number).bind(crate::rules::number::key(&f.number)).bind(&f.type_code).bind(&f.title).bind(text_vi::fold(&f.title))
        .bind(&f.issuer).bind(&f.signer).bind(issued_on).bind(in_force_on).bind(f.expires_on).bind(&f.summary).bind(&f.full_text)
        .bind(&f.vbpl_url).bind(now()).bind(id).execute(&mut *c).await)?;
    set_document_fields(tx, id, &f.fields).await
}

async fn set_document_fields(tx: &mut Tx, id: i64, codes: &[String]) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM bookshelf_document_fields WHERE document_id = $1").bind(id).execute(&mut *c).await)?;
    for code in codes {
        exec!(tx, c => sqlx::query("INSERT INTO bookshelf_document_fields (document_id, field_code) VALUES ($1, $2)")
            .bind(id).bind(code).execute(&mut *c).await)?;
    }
    Ok(())
}

pub async fn set_full_text(tx: &mut Tx, id: i64, text: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE bookshelf_documents SET full_text = $1, updated_at = $2 WHERE id = $3")
        .bind(text).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn set_document_file(tx: &mut Tx, id: i64, file_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE bookshelf_documents SET file_id = $1, updated_at = $2 WHERE id = $3")
        .bind(file_id).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

// ---------------------------------------------------------------- links

/// A link between two documents, with both ends' number and title.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct LinkRow {
    pub id: i64,
    pub source_id: i64,
    pub target_id: i64,
    pub kind: String,
    pub whole: bool,
    pub effective_on: NaiveDate,
    pub note: String,
    pub source_number: String,
    pub source_title: String,
    pub target_number: String,
    pub target_title: String,
}

macro_rules! link_cols {
    () => {
        "l.id, l.source_id, l.target_id, l.kind, l.whole, l.effective_on, l.note, s.number AS source_number, s.title AS source_title,
         t.number AS target_number, t.title AS target_title
         FROM bookshelf_links l JOIN bookshelf_documents s ON s.id = l.source_id JOIN bookshelf_documents t ON t.id = l.target_id"
    };
}

/// The links from and to a document.
pub async fn links_of(db: &Db, id: i64) -> DbResult<Vec<LinkRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", link_cols!(), " WHERE l.source_id = $1 OR l.target_id = $1 ORDER BY l.effective_on, l.id"))
        .bind(id).fetch_all(p).await)?)
}

pub async fn link(db: &Db, id: i64) -> DbResult<LinkRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", link_cols!(), " WHERE l.id = $1")).bind(id).fetch_one(p).await)?)
}

/// (target id, kind, whole, effective day) of every link, for deriving many statuses at once.
pub async fn all_incoming(db: &Db) -> DbResult<Vec<(i64, String, bool, NaiveDate)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT target_id, kind, whole, effective_on FROM bookshelf_links").fetch_all(p).await)?)
}

pub async fn link_exists(db: &Db, source: i64, target: i64, kind: &str) -> DbResult<bool> {
    let r: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM bookshelf_links WHERE source_id = $1 AND target_id = $2 AND kind = $3")
        .bind(source).bind(target).bind(kind).fetch_optional(p).await)?;
    Ok(r.is_some())
}

pub struct LinkInput {
    pub target_id: i64,
    pub kind: String,
    pub whole: bool,
    pub effective_on: NaiveDate,
    pub note: String,
}

pub async fn insert_link(tx: &mut Tx, source: i64, l: &LinkInput, by: Option<i64>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO bookshelf_links (source_id, target_id, kind, whole, effective_on, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(source).bind(l.target_id).bind(&l.kind).bind(l.whole).bind(l.effective_on).bind(&l.note).bind(by).bind(now())
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn delete_link(tx: &mut Tx, id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM bookshelf_links WHERE id = $1").bind(id).execute(&mut *c).await)?;
    Ok(())
}

// ---------------------------------------------------------------- materials

/// A teaching material.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct MaterialRow {
    pub id: i64,
    pub unit_id: i64,
    #[serde(skip)]
    pub unit_path: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub link_url: String,
    pub file_id: Option<i64>,
    pub published_on: NaiveDate,
    pub updated_at: DateTime<Utc>,
}

macro_rules! material_cols {
    () => {
        "m.id, m.unit_id, u.path AS unit_path, m.kind, m.title, m.summary, m.link_url, m.file_id, m.published_on, m.updated_at
         FROM bookshelf_materials m JOIN units u ON u.id = m.unit_id"
    };
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct MaterialInput {
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub link_url: String,
    pub published_on: Option<NaiveDate>,
    pub topics: Vec<String>,
    pub groups: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct MaterialFilter {
    pub kind: String,
    pub topic: String,
    pub group: String,
    pub query: String,
}

pub async fn material(db: &Db, id: i64) -> DbResult<MaterialRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", material_cols!(), " WHERE m.id = $1")).bind(id).fetch_one(p).await)?)
}

/// Materials matching the filters, newest first.
pub async fn materials(db: &Db, f: &MaterialFilter) -> DbResult<Vec<MaterialRow>> {
    let like = if f.query.trim().is_empty() { String::new() } else { kernel::like_contains(&f.query) };
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", material_cols!(),
        " WHERE ($1 = '' OR m.kind = $1)
            AND ($2 = '' OR EXISTS (SELECT 1 FROM bookshelf_material_topics mt WHERE mt.material_id = m.id AND mt.field_code = $2))
            AND ($3 = '' OR EXISTS (SELECT 1 FROM bookshelf_material_groups mg WHERE mg.material_id = m.id AND mg.target_group = $3))
            AND ($4 = '' OR m.title_key LIKE $4 ESCAPE '\\')
          ORDER BY m.published_on DESC, m.id DESC"))
        .bind(&f.kind).bind(&f.topic).bind(&f.group).bind(&like).fetch_all(p).await)?)
}

fn grouped(rows: Vec<(i64, String)>) -> std::collections::HashMap<i64, Vec<String>> {
    let mut out: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for (id, code) in rows {
        out.entry(id).or_default().push(code);
    }
    out
}

/// The topics and the target groups of every material (two queries for a whole list).
pub async fn all_material_tags(db: &Db) -> DbResult<(std::collections::HashMap<i64, Vec<String>>, std::collections::HashMap<i64, Vec<String>>)> {
    let topics: Vec<(i64, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT mt.material_id, mt.field_code FROM bookshelf_material_topics mt JOIN bookshelf_fields f ON f.code = mt.field_code
         ORDER BY mt.material_id, f.position")
        .fetch_all(p).await)?;
    let groups: Vec<(i64, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT material_id, target_group FROM bookshelf_material_groups ORDER BY material_id, target_group")
        .fetch_all(p).await)?;
    Ok((grouped(topics), grouped(groups)))
}

pub async fn material_topics(db: &Db, id: i64) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_db!(db, p => sqlx::query_as(
        "SELECT mt.field_code FROM bookshelf_material_topics mt JOIN bookshelf_fields f ON f.code = mt.field_code WHERE mt.material_id = $1 ORDER BY f.position")
        .bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn material_groups(db: &Db, id: i64) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_db!(db, p => sqlx::query_as("SELECT target_group FROM bookshelf_material_groups WHERE material_id = $1 ORDER BY target_group")
        .bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert_material(tx: &mut Tx, unit_id: i64, f: &MaterialInput, published_on: NaiveDate, by: Option<i64>) -> DbResult<i64> {
    let t = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO bookshelf_materials (unit_id, kind, title, title_key, summary, link_url, published_on, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
        .bind(unit_id).bind(&f.kind).bind(&f.title).bind(text_vi::fold(&f.title)).bind(&f.summary).bind(&f.link_url).bind(published_on).bind(by).bind(t)
        .fetch_one(&mut *c).await)?;
    set_material_tags(tx, id, f).await?;
    Ok(id)
}

pub async fn update_material(tx: &mut Tx, id: i64, f: &MaterialInput, published_on: NaiveDate) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE bookshelf_materials SET kind = $1, title = $2, title_key = $3, summary = $4, link_url = $5, published_on = $6, updated_at = $7 WHERE id = $8")
        .bind(&f.kind).bind(&f.title).bind(text_vi::fold(&f.title)).bind(&f.summary).bind(&f.link_url).bind(published_on).bind(now()).bind(id)
        .execute(&mut *c).await)?;
    set_material_tags(tx, id, f).await
}

async fn set_material_tags(tx: &mut Tx, id: i64, f: &MaterialInput) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM bookshelf_material_topics WHERE material_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM bookshelf_material_groups WHERE material_id = $1").bind(id).execute(&mut *c).await)?;
    for code in &f.topics {
        exec!(tx, c => sqlx::query("INSERT INTO bookshelf_material_topics (material_id, field_code) VALUES ($1, $2)").bind(id).bind(code).execute(&mut *c).await)?;
    }
    for code in &f.groups {
        exec!(tx, c => sqlx::query("INSERT INTO bookshelf_material_groups (material_id, target_group) VALUES ($1, $2)").bind(id).bind(code).execute(&mut *c).await)?;
    }
    Ok(())
}

pub async fn set_material_file(tx: &mut Tx, id: i64, file_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE bookshelf_materials SET file_id = $1, updated_at = $2 WHERE id = $3")
        .bind(file_id).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

// ---------------------------------------------------------------- commune bookshelves

/// One addition to a commune's bookshelf (closed by its removal), with what it holds.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct ShelfItemRow {
    pub id: i64,
    pub unit_id: i64,
    pub document_id: Option<i64>,
    pub material_id: Option<i64>,
    /// The document's number and title, or the material's title.
    pub label: String,
    pub added_on: NaiveDate,
    pub removed_on: Option<NaiveDate>,
    pub note: String,
}

macro_rules! item_cols {
    () => {
        "i.id, i.unit_id, i.document_id, i.material_id,
         COALESCE(d.number || ' ' || d.title, m.title, '') AS label, i.added_on, i.removed_on, i.note
         FROM bookshelf_shelf_items i LEFT JOIN bookshelf_documents d ON d.id = i.document_id LEFT JOIN bookshelf_materials m ON m.id = i.material_id"
    };
}

/// Every addition to a commune's bookshelf, newest first.
pub async fn shelf_items(db: &Db, unit_id: i64) -> DbResult<Vec<ShelfItemRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", item_cols!(), " WHERE i.unit_id = $1 ORDER BY i.added_on DESC, i.id DESC"))
        .bind(unit_id).fetch_all(p).await)?)
}

pub async fn shelf_item(db: &Db, id: i64) -> DbResult<ShelfItemRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", item_cols!(), " WHERE i.id = $1")).bind(id).fetch_one(p).await)?)
}

/// (commune id, added, removed) of every addition in communes under `like` (for counting).
pub async fn shelf_dates(db: &Db, like: &str) -> DbResult<Vec<(i64, NaiveDate, Option<NaiveDate>)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT i.unit_id, i.added_on, i.removed_on FROM bookshelf_shelf_items i JOIN units u ON u.id = i.unit_id WHERE u.path LIKE $1")
        .bind(like).fetch_all(p).await)?)
}

pub struct ItemInput {
    pub document_id: Option<i64>,
    pub material_id: Option<i64>,
    pub added_on: NaiveDate,
    pub note: String,
}

pub async fn insert_item(tx: &mut Tx, unit_id: i64, i: &ItemInput, by: Option<i64>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO bookshelf_shelf_items (unit_id, document_id, material_id, added_on, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(unit_id).bind(i.document_id).bind(i.material_id).bind(i.added_on).bind(&i.note).bind(by).bind(now())
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn remove_item(tx: &mut Tx, id: i64, on: NaiveDate) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE bookshelf_shelf_items SET removed_on = $1 WHERE id = $2").bind(on).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// The communes whose bookshelf has ever held something, under `like`, by name.
pub async fn shelf_communes(db: &Db, like: &str) -> DbResult<Vec<(i64, String)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.name FROM units u WHERE u.path LIKE $1 AND EXISTS (SELECT 1 FROM bookshelf_shelf_items i WHERE i.unit_id = u.id)
         ORDER BY u.name COLLATE vi")
        .bind(like).fetch_all(p).await)?)
}

/// Whether a stored file is a document's original or a material's file (both public).
pub async fn is_public_file(db: &Db, file_id: i64) -> DbResult<bool> {
    let r: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM bookshelf_documents WHERE file_id = $1 UNION ALL SELECT id FROM bookshelf_materials WHERE file_id = $1")
        .bind(file_id).fetch_optional(p).await)?;
    Ok(r.is_some())
}

/// (id, number, title) of the documents with one of `ids` or one of the number `keys`, each
/// once, ordered by id (the `LegalDocRefs` port).
pub async fn doc_refs(db: &Db, ids: &[i64], keys: &[String]) -> DbResult<Vec<(i64, String, String)>> {
    let mut out: Vec<(i64, String, String)> = Vec::new();
    for id in ids.iter().take(100) {
        let row: Option<(i64, String, String)> = with_db!(db, p => sqlx::query_as("SELECT id, number, title FROM bookshelf_documents WHERE id = $1").bind(id).fetch_optional(p).await)?;
        out.extend(row);
    }
    for key in keys.iter().take(100) {
        let rows: Vec<(i64, String, String)> = with_db!(db, p => sqlx::query_as("SELECT id, number, title FROM bookshelf_documents WHERE number_key = $1 ORDER BY id").bind(key).fetch_all(p).await)?;
        out.extend(rows);
    }
    out.sort_by_key(|r| r.0);
    out.dedup_by_key(|r| r.0);
    Ok(out)
}

// ---------------------------------------------------------------- search feed

/// Writes a legal document into the search feed (`kernel::search_feed`) as it now stands, in
/// the caller's transaction. Documents are always public, so it is put (removed only when the
/// row is gone). Its effective status is stored as dates, never as a status: the in-force date,
/// and from its own expiry and the links to it, the first day it is partly and wholly no longer
/// in force ([`crate::rules::status::status_dates`]). A link changes its target's dates, so
/// adding or removing one feeds the target again. Returns whether it was put.
pub async fn feed_document(tx: &mut Tx, id: i64) -> DbResult<bool> {
    use chrono::Datelike;
    use kernel::search_feed::{self, FeedDoc, kind};

    use crate::rules::kinds::LinkKind;
    use crate::rules::status::{Incoming, status_dates};

    let d: Option<DocRow> = with_tx!(tx, c => sqlx::query_as(concat!("SELECT ", doc_cols!(), " WHERE d.id = $1")).bind(id).fetch_optional(&mut *c).await)?;
    let Some(d) = d else {
        search_feed::remove(tx, kind::LEGAL_DOC, id).await?;
        return Ok(false);
    };
    let (full_text,): (String,) = with_tx!(tx, c => sqlx::query_as("SELECT full_text FROM bookshelf_documents WHERE id = $1").bind(id).fetch_one(&mut *c).await)?;
    let links: Vec<(String, bool, NaiveDate)> = with_tx!(tx, c => sqlx::query_as("SELECT kind, whole, effective_on FROM bookshelf_links WHERE target_id = $1")
        .bind(id).fetch_all(&mut *c).await)?;
    let incoming: Vec<Incoming> = links.into_iter().filter_map(|(k, whole, effective_on)| LinkKind::parse(&k).map(|kind| Incoming { kind, whole, effective_on })).collect();
    let (partly_expired_on, expired_on) = status_dates(d.expires_on, &incoming);
    let doc = FeedDoc {
        kind: kind::LEGAL_DOC.into(),
        ref_id: d.id,
        url: format!("/tu-sach/van-ban/{}", d.id),
        title: d.title,
        number: d.number,
        body: if full_text.trim().is_empty() { d.summary.clone() } else { full_text },
        summary: d.summary,
        doc_type: d.type_name,
        issuer: d.issuer,
        year: Some(d.issued_on.year()),
        unit_id: Some(d.unit_id),
        // The day it was issued, as the instant that day begins in Vietnam.
        published_at: Some(text_vi::vietnam_day_start(d.issued_on)),
        in_force_on: Some(d.in_force_on),
        partly_expired_on,
        expired_on,
        ..FeedDoc::default()
    };
    search_feed::put(tx, &doc).await?;
    Ok(true)
}

/// Writes a teaching material into the search feed as it now stands, in the caller's
/// transaction. Materials are always public (there is no hidden state), so it is put (removed
/// only when the row is gone). Returns whether it was put.
pub async fn feed_material(tx: &mut Tx, id: i64) -> DbResult<bool> {
    use chrono::Datelike;
    use kernel::search_feed::{self, FeedDoc, kind};

    use crate::rules::kinds::MaterialKind;

    let m: Option<MaterialRow> = with_tx!(tx, c => sqlx::query_as(concat!("SELECT ", material_cols!(), " WHERE m.id = $1")).bind(id).fetch_optional(&mut *c).await)?;
    let Some(m) = m else {
        search_feed::remove(tx, kind::MATERIAL, id).await?;
        return Ok(false);
    };
    let doc = FeedDoc {
        kind: kind::MATERIAL.into(),
        ref_id: m.id,
        url: format!("/tu-sach/tai-lieu/{}", m.id),
        title: m.title,
        body: m.summary.clone(),
        summary: m.summary,
        doc_type: MaterialKind::label_of(&m.kind),
        year: Some(m.published_on.year()),
        unit_id: Some(m.unit_id),
        published_at: Some(text_vi::vietnam_day_start(m.published_on)),
        ..FeedDoc::default()
    };
    search_feed::put(tx, &doc).await?;
    Ok(true)
}

/// The ids of every document and of every material, for feeding them all.
pub async fn feed_candidates(db: &Db) -> DbResult<(Vec<i64>, Vec<i64>)> {
    let docs: Vec<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM bookshelf_documents ORDER BY id").fetch_all(p).await)?;
    let materials: Vec<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM bookshelf_materials ORDER BY id").fetch_all(p).await)?;
    Ok((docs.into_iter().map(|r| r.0).collect(), materials.into_iter().map(|r| r.0).collect()))
}
