//! Search over the API: the same engine, query reader and facets as `/tim-kiem`, as JSON. Public
//! data, for every authenticated caller (like the bookshelf's API).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use kernel::api::params::{ApiResult, Error, Params};
use kernel::api::{Caller, ErrorBody};
use kernel::error::ApiError;
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

use crate::index::Request;
use crate::msg;
use crate::rules::query;
use crate::rules::status::Status;

/// (method, path, required action) of every API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[("GET", "/api/v1/search", None)];

/// The API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/api/v1/search", axum::routing::get(search).fallback(kernel::api::method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(search),
    components(schemas(SearchHit, FacetValue, SearchFacets, SearchResults)),
    tags((name = "search", description = "Tìm kiếm: tin bài, văn bản pháp luật, tài liệu, hỏi đáp và dự thảo, có dấu hoặc không dấu"))
)]
struct SearchDoc;

/// This crate's part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <SearchDoc as utoipa::OpenApi>::openapi()
}

// Documentation only: the parameters are read as text and checked by the handler.
/// A kind of public item.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KindParam {
    Article,
    LegalDoc,
    Material,
    Answer,
    Draft,
}

/// Effective status (tình trạng hiệu lực) today.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchStatusParam {
    InForce,
    PartlyExpired,
    Expired,
    NotYetInForce,
}

/// One result.
#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    /// `article`, `legal_doc`, `material`, `answer` or `draft`.
    pub kind: String,
    pub kind_label: String,
    /// The item's public page on this site.
    pub href: String,
    pub title: String,
    /// The title with the matched words in `<b>`, HTML-escaped.
    pub title_html: String,
    /// Số hiệu of a legal document.
    pub number: Option<String>,
    pub doc_type: Option<String>,
    pub issuer: Option<String>,
    pub year: Option<i32>,
    /// The day it was published or issued (Vietnam time).
    pub published_on: Option<NaiveDate>,
    /// A legal document's effective status today: `in_force`, `partly_expired`, `expired`, `not_yet_in_force`.
    pub status: Option<String>,
    pub status_label: Option<String>,
    /// A passage with the matched words in `<b>`, HTML-escaped.
    pub snippet_html: String,
}

/// A facet value and how many results hold it.
#[derive(Serialize, ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct SearchFacets {
    pub kinds: Vec<FacetValue>,
    pub statuses: Vec<FacetValue>,
    pub types: Vec<FacetValue>,
    pub issuers: Vec<FacetValue>,
    pub years: Vec<FacetValue>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    pub total: u64,
    pub limit: i64,
    pub offset: i64,
    pub items: Vec<SearchHit>,
    pub facets: SearchFacets,
}

fn text(params: &Params, name: &'static str) -> ApiResult<Option<String>> {
    Ok(params.text(name)?.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}

/// `GET /api/v1/search`.
#[utoipa::path(
    get, operation_id = "search", path = "/api/v1/search", tag = "search",
    summary = "Tìm kiếm trên mọi nội dung công khai",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, max_length = 200, description = "Words, with or without diacritics; \"phrases\" in quotes; document numbers typed loosely (tt 06 2021)"),
        ("kind" = inline(Option<KindParam>), Query, description = "Only items of this kind"),
        ("type" = Option<String>, Query, max_length = 200, description = "Document type or category, as in the `types` facet"),
        ("issuer" = Option<String>, Query, max_length = 200, description = "Issuing body, as in the `issuers` facet"),
        ("year" = Option<i32>, Query, minimum = 1900, maximum = 2200, description = "Year"),
        ("status" = inline(Option<SearchStatusParam>), Query, description = "Only legal documents with this effective status today"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 20; values above 100 are lowered to 100"),
        ("offset" = Option<i64>, Query, minimum = 0, maximum = 10000, description = "Results to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK (an empty query with no filter finds nothing)", body = SearchResults),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 503, description = "The search index is not ready", body = ErrorBody),
    )
)]
pub async fn search(State(state): State<AppState>, _caller: Caller, params: Params) -> ApiResult<Json<SearchResults>> {
    let kind = text(&params, "kind")?;
    if let Some(k) = &kind
        && !kernel::search_feed::kind::ALL.contains(&k.as_str())
    {
        return Err(Error::invalid("kind", kernel::msg::BAD_REQUEST));
    }
    let status = match text(&params, "status")? {
        None => None,
        Some(s) => Some(Status::parse(&s).ok_or_else(|| Error::invalid("status", kernel::msg::BAD_REQUEST))?),
    };
    let year = match params.get("year") {
        None => None,
        Some(s) => Some(s.trim().parse::<i32>().ok().filter(|y| (1900..=2200).contains(y)).ok_or_else(|| Error::invalid("year", kernel::msg::BAD_REQUEST))?),
    };
    let limit = match params.get("limit") {
        None => 20,
        Some(s) => s.trim().parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| Error::invalid("limit", kernel::msg::BAD_REQUEST))?.min(100),
    };
    let offset = match params.get("offset") {
        None => 0,
        Some(s) => s.trim().parse::<i64>().ok().filter(|n| (0..=10_000).contains(n)).ok_or_else(|| Error::invalid("offset", kernel::msg::BAD_REQUEST))?,
    };
    let q = text(&params, "q")?.unwrap_or_default();
    let req = Request {
        query: query::parse(&q),
        kind,
        doc_type: text(&params, "type")?,
        issuer: text(&params, "issuer")?,
        year,
        status,
        offset: usize::try_from(offset).unwrap_or(0),
        limit: usize::try_from(limit).unwrap_or(20),
    };
    let unavailable = || Error::from(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", msg::UNAVAILABLE));
    let engine = crate::service::engine(&state).await.map_err(|e| {
        tracing::error!(error = %e, "search index unavailable");
        unavailable()
    })?;
    let r = engine.search(req, chrono::Utc::now()).await.map_err(|e| {
        tracing::error!(error = %e, "search failed");
        unavailable()
    })?;
    let opt = |s: String| (!s.is_empty()).then_some(s);
    let items = r
        .hits
        .into_iter()
        .map(|h| SearchHit {
            kind_label: msg::kind_label(&h.kind).into(),
            kind: h.kind,
            href: h.url,
            title: h.title,
            title_html: h.title_html,
            number: opt(h.number),
            doc_type: opt(h.doc_type),
            issuer: opt(h.issuer),
            year: h.year,
            published_on: h.published.map(crate::index::vietnam_date),
            status: h.status.map(|s| s.as_str().into()),
            status_label: h.status.map(|s| msg::status_label(s).into()),
            snippet_html: h.snippet_html,
        })
        .collect();
    let values = |v: Vec<(String, u64)>, label: &dyn Fn(&str) -> String| v.into_iter().map(|(value, count)| FacetValue { label: label(&value), value, count }).collect();
    let f = r.facets;
    let statuses = Status::ALL
        .iter()
        .filter_map(|s| f.statuses.get(s.index()).filter(|n| **n > 0).map(|n| FacetValue { value: s.as_str().into(), label: msg::status_label(*s).into(), count: *n }))
        .collect();
    Ok(Json(SearchResults {
        total: r.total as u64,
        limit,
        offset,
        items,
        facets: SearchFacets {
            kinds: values(f.kinds, &|k| msg::kind_label(k).to_string()),
            statuses,
            types: values(f.types, &|v| v.to_string()),
            issuers: values(f.issuers, &|v| v.to_string()),
            years: values(f.years, &|v| v.to_string()),
        },
    }))
}
