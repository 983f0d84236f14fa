//! The bookshelf over the API: the legal documents with their status derived on a day, and the
//! teaching materials. Public data, for every authenticated caller (like the units).

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use kernel::api::params::{ApiResult, Error, Params};
use kernel::api::{Caller, ErrorBody};
use kernel::page::today;
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

use crate::rules::status::Status;
use crate::store::{self, DocFilter, MaterialFilter};
use crate::service;

/// (method, path, required action) of every API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[("GET", "/api/v1/bookshelf/documents", None), ("GET", "/api/v1/bookshelf/materials", None)];

/// The API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/bookshelf/documents", get(documents).fallback(method_not_allowed))
        .route("/api/v1/bookshelf/materials", get(materials).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(documents, materials),
    components(schemas(DocumentDto, DocumentList, MaterialDto, MaterialList)),
    tags((name = "bookshelf", description = "Tủ sách pháp luật: văn bản pháp luật với tình trạng hiệu lực, tài liệu phổ biến, giáo dục pháp luật"))
)]
struct BookshelfDoc;

/// This crate's part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <BookshelfDoc as utoipa::OpenApi>::openapi()
}

// Documentation only: the filter is parsed by `Status::parse`.
/// Effective status (tình trạng hiệu lực), derived from dates and links.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusParam {
    InForce,
    PartlyExpired,
    Expired,
    NotYetInForce,
}

/// A legal document (without its full text).
#[derive(Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: i64,
    /// Số hiệu, e.g. `35/2013/QH13`.
    pub number: String,
    /// A code of the document types (`luat`, `nghi-dinh`, `quyet-dinh`, …).
    pub type_code: String,
    pub type_name: String,
    pub title: String,
    pub issuer: String,
    pub signer: String,
    pub issued_on: NaiveDate,
    pub in_force_on: NaiveDate,
    /// The day it ceased to be in force wholly (its own expiry or a whole replacement or repeal).
    pub ended_on: Option<NaiveDate>,
    /// `in_force`, `partly_expired`, `expired` or `not_yet_in_force`, on the day asked.
    pub status: String,
    pub status_label: String,
    /// Field codes (lĩnh vực).
    pub fields: Vec<String>,
    pub summary: String,
    /// The page of the document on the national legal database, if known.
    pub vbpl_url: Option<String>,
    /// The page of the document on this site.
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentList {
    /// The day the statuses are derived for.
    pub day: NaiveDate,
    pub items: Vec<DocumentDto>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// `GET /api/v1/bookshelf/documents`.
#[utoipa::path(
    get, operation_id = "list_bookshelf_documents", path = "/api/v1/bookshelf/documents", tag = "bookshelf",
    summary = "Văn bản pháp luật trong tủ sách, với tình trạng hiệu lực",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, max_length = 200, description = "Title contains (with or without diacritics), or number, typed loosely (35 2013 qh13)"),
        ("type" = Option<String>, Query, max_length = 200, description = "Document type code"),
        ("field" = Option<String>, Query, max_length = 200, description = "Field code"),
        ("year" = Option<i32>, Query, minimum = 1945, maximum = 9999, description = "Year issued"),
        ("status" = inline(Option<StatusParam>), Query, description = "Only documents with this status on `day`"),
        ("day" = Option<String>, Query, format = Date, description = "Day the status is derived for (YYYY-MM-DD; dd/mm/yyyy is also accepted); today by default"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = DocumentList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
    )
)]
pub async fn documents(State(state): State<AppState>, _caller: Caller, params: Params) -> ApiResult<Json<DocumentList>> {
    let year = match params.get("year") {
        None => 0,
        Some(s) => s.parse::<i32>().ok().filter(|y| (1945..=9999).contains(y)).ok_or_else(|| Error::invalid("year", kernel::msg::BAD_REQUEST))?,
    };
    let wanted = match params.get("status") {
        None => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| Error::invalid("status", kernel::msg::BAD_REQUEST))?),
    };
    let day = params.date("day")?.unwrap_or_else(today);
    let filter = DocFilter {
        type_code: params.text("type")?.unwrap_or_default(),
        field: params.text("field")?.unwrap_or_default(),
        year,
        query: params.text("q")?.unwrap_or_default(),
    };
    let (limit, offset) = (params.limit()?, params.offset()?);
    let db = &state.db;
    let docs = store::documents(db, &filter).await?;
    // One read of every link and of every document's fields, whatever the page size.
    let by_target = service::incoming_by_target(db).await.map_err(|e| Error::from(kernel::error::ApiError::from(e)))?;
    let mut fields = store::all_document_fields(db).await?;
    let incoming = |id: i64| by_target.get(&id).map(Vec::as_slice).unwrap_or(&[]);
    let matching: Vec<_> = docs.into_iter().map(|d| (service::status_of(&d, incoming(d.id), day), d)).filter(|(s, _)| wanted.is_none_or(|w| *s == w)).collect();
    let mut items = Vec::new();
    for (s, d) in matching.iter().skip(usize::try_from(offset).unwrap_or(usize::MAX)).take(usize::try_from(limit).unwrap_or(0)) {
        let s = *s;
        items.push(DocumentDto {
            id: d.id,
            number: d.number.clone(),
            type_code: d.type_code.clone(),
            type_name: d.type_name.clone(),
            title: d.title.clone(),
            issuer: d.issuer.clone(),
            signer: d.signer.clone(),
            issued_on: d.issued_on,
            in_force_on: d.in_force_on,
            ended_on: crate::rules::status::ended_on(d.expires_on, incoming(d.id)),
            status: s.as_str().into(),
            status_label: s.label().into(),
            fields: fields.remove(&d.id).unwrap_or_default(),
            summary: d.summary.clone(),
            vbpl_url: (!d.vbpl_url.is_empty()).then(|| d.vbpl_url.clone()),
            href: format!("/tu-sach/van-ban/{}", d.id),
        });
    }
    Ok(Json(DocumentList { day, items, total: matching.len() as i64, limit, offset }))
}

/// A teaching material.
#[derive(Serialize, ToSchema)]
pub struct MaterialDto {
    pub id: i64,
    /// `leaflet`, `qa_booklet`, `video` or `scenario`.
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub link_url: Option<String>,
    /// Where to download its file, if it has one.
    pub file_href: Option<String>,
    pub published_on: NaiveDate,
    /// Topic (field) codes.
    pub topics: Vec<String>,
    /// Special target group codes.
    pub target_groups: Vec<String>,
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct MaterialList {
    pub items: Vec<MaterialDto>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// `GET /api/v1/bookshelf/materials`.
#[utoipa::path(
    get, operation_id = "list_bookshelf_materials", path = "/api/v1/bookshelf/materials", tag = "bookshelf",
    summary = "Tài liệu phổ biến, giáo dục pháp luật",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, max_length = 200, description = "Title contains, with or without diacritics"),
        ("kind" = Option<String>, Query, max_length = 200, description = "`leaflet`, `qa_booklet`, `video` or `scenario`"),
        ("topic" = Option<String>, Query, max_length = 200, description = "Topic (field) code"),
        ("target_group" = Option<String>, Query, max_length = 200, description = "Special target group code"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = MaterialList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
    )
)]
pub async fn materials(State(state): State<AppState>, _caller: Caller, params: Params) -> ApiResult<Json<MaterialList>> {
    let filter = MaterialFilter {
        kind: params.text("kind")?.unwrap_or_default(),
        topic: params.text("topic")?.unwrap_or_default(),
        group: params.text("target_group")?.unwrap_or_default(),
        query: params.text("q")?.unwrap_or_default(),
    };
    let (limit, offset) = (params.limit()?, params.offset()?);
    let db = &state.db;
    let rows = store::materials(db, &filter).await?;
    let (mut topics, mut groups) = store::all_material_tags(db).await?;
    let mut items = Vec::new();
    for m in rows.iter().skip(usize::try_from(offset).unwrap_or(usize::MAX)).take(usize::try_from(limit).unwrap_or(0)) {
        items.push(MaterialDto {
            id: m.id,
            kind: m.kind.clone(),
            title: m.title.clone(),
            summary: m.summary.clone(),
            link_url: (!m.link_url.is_empty()).then(|| m.link_url.clone()),
            file_href: m.file_id.map(|f| format!("/tu-sach/tep/{f}")),
            published_on: m.published_on,
            topics: topics.remove(&m.id).unwrap_or_default(),
            target_groups: groups.remove(&m.id).unwrap_or_default(),
            href: format!("/tu-sach/tai-lieu/{}", m.id),
        });
    }
    Ok(Json(MaterialList { items, total: rows.len() as i64, limit, offset }))
}
