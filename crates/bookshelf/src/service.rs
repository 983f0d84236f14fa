//! Use cases of the legal bookshelf, shared by pages, the API and the demo. Reading is public.
//! Writing: a province's justice officers (and system administrators) keep the documents and
//! materials (`ManageBookshelf` with a province-wide scope, else 403); a commune's bookshelf is
//! kept by the officers whose scope holds the commune (another commune: 404). Every write is
//! audited in its transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::Principal;
use kernel::db::audit::{self, Actor, Entry};
use kernel::db::units::Unit;
use kernel::error::{AppError, AppResult};
use kernel::{Db, DbError};
use serde_json::json;

use crate::msg;
use crate::rules::kinds::LinkKind;
use crate::rules::status::{self, Incoming, Status};
use crate::store::{self, DocInput, DocRow, ItemInput, LinkInput, LinkRow, MaterialInput, MaterialRow, ShelfItemRow};

pub fn not_found(e: DbError) -> AppError {
    match e {
        DbError::NotFound => AppError::NotFound,
        other => other.into(),
    }
}

// ---------------------------------------------------------------- status

/// The links to a document as the status rule reads them (unknown kinds are skipped).
pub fn incoming_of(links: &[LinkRow], id: i64) -> Vec<Incoming> {
    links
        .iter()
        .filter(|l| l.target_id == id)
        .filter_map(|l| LinkKind::parse(&l.kind).map(|kind| Incoming { kind, whole: l.whole, effective_on: l.effective_on }))
        .collect()
}

pub fn status_of(d: &DocRow, incoming: &[Incoming], day: NaiveDate) -> Status {
    status::status(d.in_force_on, d.expires_on, incoming, day)
}

/// The status of each document on `day`, from one read of every link.
pub async fn statuses(db: &Db, docs: &[DocRow], day: NaiveDate) -> AppResult<HashMap<i64, Status>> {
    let by_target = incoming_by_target(db).await?;
    Ok(docs.iter().map(|d| (d.id, status_of(d, by_target.get(&d.id).map(Vec::as_slice).unwrap_or(&[]), day))).collect())
}

/// Every document's incoming links, from one read of every link.
pub async fn incoming_by_target(db: &Db) -> AppResult<HashMap<i64, Vec<Incoming>>> {
    let mut by_target: HashMap<i64, Vec<Incoming>> = HashMap::new();
    for (target, kind, whole, effective_on) in store::all_incoming(db).await? {
        if let Some(kind) = LinkKind::parse(&kind) {
            by_target.entry(target).or_default().push(Incoming { kind, whole, effective_on });
        }
    }
    Ok(by_target)
}

// ---------------------------------------------------------------- who may write

/// Whether the account keeps the documents and materials: the role allows it and its scope is
/// a whole province (or global).
pub fn keeps_library(p: &Principal<'_>) -> bool {
    p.role.allows(Action::ManageBookshelf) && p.scope.is_province_or_wider()
}

/// The account's unit, the keeper of what it adds; 403 for a commune account.
pub async fn library_unit(db: &Db, p: &Principal<'_>) -> AppResult<Unit> {
    p.require(Action::ManageBookshelf)?;
    if !p.scope.is_province_or_wider() {
        return Err(AppError::Forbidden);
    }
    Ok(kernel::db::units::get(db, p.account.unit_id).await?)
}

/// A document the account keeps (403 for a commune account, 404 outside its province).
pub async fn managed_document(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<DocRow> {
    library_unit(db, p).await?;
    let d = store::document(db, id).await.map_err(not_found)?;
    if p.scope.contains(&d.unit_path) { Ok(d) } else { Err(AppError::NotFound) }
}

pub async fn managed_material(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<MaterialRow> {
    library_unit(db, p).await?;
    let m = store::material(db, id).await.map_err(not_found)?;
    if p.scope.contains(&m.unit_path) { Ok(m) } else { Err(AppError::NotFound) }
}

/// A commune whose bookshelf the account keeps: 404 when it is not a commune in its scope.
pub async fn managed_commune(db: &Db, p: &Principal<'_>, unit_id: i64) -> AppResult<Unit> {
    p.require(Action::ManageBookshelf)?;
    let unit = kernel::db::units::get(db, unit_id).await.map_err(not_found)?;
    if unit.level != "commune" || !p.scope.contains(&unit.path) {
        return Err(AppError::NotFound);
    }
    Ok(unit)
}

/// A commune for the public bookshelf page (any commune, current or former): 404 otherwise.
pub async fn public_commune(db: &Db, unit_id: i64) -> AppResult<Unit> {
    let unit = kernel::db::units::get(db, unit_id).await.map_err(not_found)?;
    if unit.level != "commune" {
        return Err(AppError::NotFound);
    }
    Ok(unit)
}

// ---------------------------------------------------------------- documents

/// Creates (`before` is `None`) or saves a document; `Err` is the field and message of a
/// number already used.
pub async fn save_document(db: &Db, actor: &Actor, p: &Principal<'_>, before: Option<&DocRow>, f: &DocInput) -> AppResult<Result<i64, &'static str>> {
    let unit = library_unit(db, p).await?;
    let (Some(issued), Some(in_force)) = (f.issued_on, f.in_force_on) else {
        return Err(AppError::BadRequest(msg::DATE_REQUIRED.into()));
    };
    let key = crate::rules::number::key(&f.number);
    let library = before.map_or(unit.id, |b| b.unit_id);
    if let Some(other) = store::document_by_key(db, library, &key).await?
        && before.is_none_or(|b| b.id != other.id)
    {
        return Ok(Err(msg::NUMBER_TAKEN));
    }
    let mut tx = db.begin().await?;
    let written = match before {
        None => store::insert_document(&mut tx, unit.id, f, issued, in_force, Some(p.account.id)).await.map(|id| (id, unit.id)),
        Some(b) => store::update_document(&mut tx, b.id, f, issued, in_force).await.map(|_| (b.id, b.unit_id)),
    };
    let (id, unit_id) = match written {
        Ok(w) => w,
        // Another request entered the same number between the check and the write.
        Err(kernel::db::DbError::Conflict(_)) => return Ok(Err(msg::NUMBER_TAKEN)),
        Err(e) => return Err(e.into()),
    };
    store::feed_document(&mut tx, id).await?;
    audit::record(&mut tx, actor, Entry {
        action: if before.is_some() { "update" } else { "create" },
        entity: "bookshelf_document",
        entity_id: Some(id.to_string()),
        unit_id: Some(unit_id),
        summary: msg::audit_document(&f.number, &f.title),
        before: before.map(|b| json!(b)),
        after: Some(json!({ "number": f.number, "type_code": f.type_code, "title": f.title, "issuer": f.issuer, "signer": f.signer,
            "issued_on": f.issued_on, "in_force_on": f.in_force_on, "expires_on": f.expires_on, "fields": f.fields, "vbpl_url": f.vbpl_url })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// A link as typed: the target by its number, the kind, whole or partial, from when (the
/// source's in-force date when `None`), a note.
pub struct LinkRequest<'a> {
    pub target_number: &'a str,
    pub kind: LinkKind,
    pub whole: bool,
    pub effective_on: Option<NaiveDate>,
    pub note: &'a str,
}

/// A link from `source` to the document numbered `r.target_number`; `Err` is the field and
/// message of a refusal.
pub async fn add_link(db: &Db, actor: &Actor, p: &Principal<'_>, source: &DocRow, r: &LinkRequest<'_>) -> AppResult<Result<i64, (&'static str, &'static str)>> {
    library_unit(db, p).await?;
    let kind = r.kind;
    // Only a document of the same library: another province's documents are not this
    // officer's to mark as amended, replaced or repealed.
    let Some(target) = store::document_by_key(db, source.unit_id, &crate::rules::number::key(r.target_number)).await? else {
        return Ok(Err(("target", msg::LINK_TARGET)));
    };
    if target.id == source.id {
        return Ok(Err(("target", msg::LINK_SELF)));
    }
    if target.issued_on > source.issued_on {
        return Ok(Err(("target", msg::LINK_TARGET_LATER)));
    }
    if store::link_exists(db, source.id, target.id, kind.as_str()).await? {
        return Ok(Err(("target", msg::LINK_EXISTS)));
    }
    let l = LinkInput {
        target_id: target.id,
        kind: kind.as_str().into(),
        whole: r.whole && kind.may_be_whole(),
        effective_on: r.effective_on.unwrap_or(source.in_force_on),
        note: r.note.into(),
    };
    let mut tx = db.begin().await?;
    let id = store::insert_link(&mut tx, source.id, &l, Some(p.account.id)).await?;
    // The target's status dates change with the link.
    store::feed_document(&mut tx, source.id).await?;
    store::feed_document(&mut tx, target.id).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "bookshelf_link",
        entity_id: Some(id.to_string()),
        unit_id: Some(source.unit_id),
        summary: msg::audit_link(kind.label(), &source.number, &target.number),
        before: None,
        after: Some(json!({ "source_id": source.id, "target_id": target.id, "kind": l.kind, "whole": l.whole, "effective_on": l.effective_on, "note": l.note })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Removes a link entered by mistake (only one whose source is `source`).
pub async fn remove_link(db: &Db, actor: &Actor, p: &Principal<'_>, source: &DocRow, link_id: i64) -> AppResult<()> {
    library_unit(db, p).await?;
    let l = store::link(db, link_id).await.map_err(not_found)?;
    if l.source_id != source.id {
        return Err(AppError::NotFound);
    }
    let mut tx = db.begin().await?;
    store::delete_link(&mut tx, l.id).await?;
    store::feed_document(&mut tx, l.source_id).await?;
    store::feed_document(&mut tx, l.target_id).await?;
    audit::record(&mut tx, actor, Entry {
        action: "delete",
        entity: "bookshelf_link",
        entity_id: Some(l.id.to_string()),
        unit_id: Some(source.unit_id),
        summary: msg::audit_unlink(&l.source_number, &l.target_number),
        before: Some(json!(l)),
        after: None,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A checked upload: (file name, content type, bytes).
pub type CheckedFile<'a> = (&'a str, &'static str, &'a [u8]);

/// Stores the original file of a document, with the full text read from it (a DOCX) when the
/// document had none.
pub async fn attach_document_file(db: &Db, actor: &Actor, p: &Principal<'_>, d: &DocRow, file: CheckedFile<'_>, text: Option<&str>) -> AppResult<i64> {
    library_unit(db, p).await?;
    let mut tx = db.begin().await?;
    let fid = kernel::db::files::store(&mut tx, file.0, file.1, file.2, d.unit_id, Some(p.account.id)).await?;
    store::set_document_file(&mut tx, d.id, fid).await?;
    if let Some(t) = text {
        store::set_full_text(&mut tx, d.id, t).await?;
        store::feed_document(&mut tx, d.id).await?;
    }
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "bookshelf_document",
        entity_id: Some(d.id.to_string()),
        unit_id: Some(d.unit_id),
        summary: msg::audit_file(&d.number),
        before: Some(json!({ "file_id": d.file_id })),
        after: Some(json!({ "file_id": fid, "name": file.0, "full_text_from_file": text.is_some() })),
    })
    .await?;
    tx.commit().await?;
    Ok(fid)
}

// ---------------------------------------------------------------- materials

pub async fn save_material(db: &Db, actor: &Actor, p: &Principal<'_>, before: Option<&MaterialRow>, f: &MaterialInput) -> AppResult<i64> {
    let unit = library_unit(db, p).await?;
    let on = f.published_on.ok_or_else(|| AppError::BadRequest(msg::DATE_REQUIRED.into()))?;
    let mut tx = db.begin().await?;
    let (id, unit_id) = match before {
        None => (store::insert_material(&mut tx, unit.id, f, on, Some(p.account.id)).await?, unit.id),
        Some(b) => {
            store::update_material(&mut tx, b.id, f, on).await?;
            (b.id, b.unit_id)
        }
    };
    store::feed_material(&mut tx, id).await?;
    audit::record(&mut tx, actor, Entry {
        action: if before.is_some() { "update" } else { "create" },
        entity: "bookshelf_material",
        entity_id: Some(id.to_string()),
        unit_id: Some(unit_id),
        summary: msg::audit_material(&f.title),
        before: before.map(|b| json!(b)),
        after: Some(json!(f)),
    })
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn attach_material_file(db: &Db, actor: &Actor, p: &Principal<'_>, m: &MaterialRow, file: CheckedFile<'_>) -> AppResult<i64> {
    library_unit(db, p).await?;
    let mut tx = db.begin().await?;
    let fid = kernel::db::files::store(&mut tx, file.0, file.1, file.2, m.unit_id, Some(p.account.id)).await?;
    store::set_material_file(&mut tx, m.id, fid).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "bookshelf_material",
        entity_id: Some(m.id.to_string()),
        unit_id: Some(m.unit_id),
        summary: msg::audit_file(&m.title),
        before: Some(json!({ "file_id": m.file_id })),
        after: Some(json!({ "file_id": fid, "name": file.0 })),
    })
    .await?;
    tx.commit().await?;
    Ok(fid)
}

// ---------------------------------------------------------------- search feed

/// Writes every legal document and teaching material into the search feed, a few hundred per
/// transaction: the backfill of a database that held them before the feed, and the demo's.
/// Returns how many it put; running it again is harmless.
pub async fn feed_all(db: &Db) -> kernel::DbResult<u64> {
    let (docs, materials) = store::feed_candidates(db).await?;
    Ok(kernel::search_feed::feed_each(db, &docs, |tx, id| Box::pin(store::feed_document(tx, id))).await?
        + kernel::search_feed::feed_each(db, &materials, |tx, id| Box::pin(store::feed_material(tx, id))).await?)
}

// ---------------------------------------------------------------- commune bookshelves

/// Adds a document or material to a commune's bookshelf; `Err` is a refusal (already held).
pub async fn add_item(db: &Db, actor: &Actor, p: &Principal<'_>, commune: &Unit, i: &ItemInput) -> AppResult<Result<i64, &'static str>> {
    managed_commune(db, p, commune.id).await?;
    let held = store::shelf_items(db, commune.id)
        .await?
        .into_iter()
        .any(|r| r.removed_on.is_none() && r.document_id == i.document_id && r.material_id == i.material_id);
    if held {
        return Ok(Err(msg::ITEM_HELD));
    }
    let label = match (i.document_id, i.material_id) {
        (Some(d), _) => {
            let d = store::document(db, d).await.map_err(not_found)?;
            format!("{} {}", d.number, d.title)
        }
        (None, Some(m)) => store::material(db, m).await.map_err(not_found)?.title,
        (None, None) => return Ok(Err(msg::ITEM_REQUIRED)),
    };
    let mut tx = db.begin().await?;
    let id = store::insert_item(&mut tx, commune.id, i, Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "bookshelf_shelf_item",
        entity_id: Some(id.to_string()),
        unit_id: Some(commune.id),
        summary: msg::audit_shelf_add(&commune.name, &label),
        before: None,
        after: Some(json!({ "document_id": i.document_id, "material_id": i.material_id, "added_on": i.added_on, "note": i.note })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Records that an item left the commune's bookshelf on `on`.
pub async fn remove_item(db: &Db, actor: &Actor, p: &Principal<'_>, commune: &Unit, item_id: i64, on: NaiveDate) -> AppResult<Result<(), &'static str>> {
    managed_commune(db, p, commune.id).await?;
    let item: ShelfItemRow = store::shelf_item(db, item_id).await.map_err(not_found)?;
    if item.unit_id != commune.id || item.removed_on.is_some() {
        return Err(AppError::NotFound);
    }
    if on < item.added_on {
        return Ok(Err(msg::REMOVED_BEFORE_ADDED));
    }
    let mut tx = db.begin().await?;
    store::remove_item(&mut tx, item.id, on).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "bookshelf_shelf_item",
        entity_id: Some(item.id.to_string()),
        unit_id: Some(commune.id),
        summary: msg::audit_shelf_remove(&commune.name, &item.label),
        before: Some(json!(item)),
        after: Some(json!({ "removed_on": on })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The `ReportFigures` port: `bookshelves` (Số tủ sách pháp luật), the communes of the
/// reporting unit whose bookshelf holds at least one item on the period's last day.
pub fn report_figures_port<'a>(db: &'a Db, unit_id: i64, agency_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> kernel::registry::BoxFuture<'a, kernel::DbResult<Vec<kernel::registry::ReportFigure>>> {
    Box::pin(async move {
        if agency_id.is_some() {
            return Ok(Vec::new());
        }
        let unit = kernel::db::units::get(db, unit_id).await?;
        let counts = commune_counts(db, &format!("{}%", unit.path), from, to).await?;
        let n = counts.values().filter(|c| c.held > 0).count() as i64;
        Ok(vec![kernel::registry::ReportFigure { key: "bookshelves".into(), value: n, source: msg::prefill_source(&unit.name), href: None }])
    })
}

/// Each commune's count over a period, for communes under `like` that ever held something.
pub async fn commune_counts(db: &Db, like: &str, from: NaiveDate, to: NaiveDate) -> kernel::DbResult<HashMap<i64, crate::rules::shelf::ShelfCount>> {
    let mut by_unit: HashMap<i64, Vec<(NaiveDate, Option<NaiveDate>)>> = HashMap::new();
    for (unit, added, removed) in store::shelf_dates(db, like).await? {
        by_unit.entry(unit).or_default().push((added, removed));
    }
    Ok(by_unit.into_iter().map(|(u, items)| (u, crate::rules::shelf::count(items, from, to))).collect())
}
