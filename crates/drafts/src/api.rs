//! Drafts over the API: what `/du-thao` and `/du-thao/{id}` show, through the same store
//! queries (a draft not yet put out for comment is neither listed nor found): the drafts with
//! their comment period, each one's articles and clauses with the number of comments on each,
//! and, once the drafting body has published it, the reception and explanation table as the
//! public page shows it: an organisation by name, a person only as "Ý kiến cá nhân", never an
//! e-mail address. Public data, for every authenticated caller (like the bookshelf's API).

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::api::params::{ApiResult, Error, Params, parse_id, path_segment};
use kernel::api::{Caller, ErrorBody};
use kernel::error::ApiError;
use kernel::page::today;
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

use crate::msg;
use crate::rules::Phase;
use crate::service;
use crate::store::{self, Draft};

/// (method, path, required action) of every API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[("GET", "/api/v1/drafts", None), ("GET", "/api/v1/drafts/{id}", None)];

/// The API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/drafts", get(drafts).fallback(method_not_allowed))
        .route("/api/v1/drafts/{id}", get(draft).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(drafts, draft),
    components(schemas(DraftDto, DraftList, DraftDetail, PartDto, ReceptionRow)),
    tags((name = "drafts", description = "Lấy ý kiến dự thảo: dự thảo đang và đã lấy ý kiến, các điều, khoản, bảng tiếp thu, giải trình đã công bố"))
)]
struct DraftsDoc;

/// This crate's part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <DraftsDoc as utoipa::OpenApi>::openapi()
}

// Documentation only: the filter is read as text and checked by the handler.
/// Where a draft's comment period stands today.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhaseParam {
    Upcoming,
    Open,
    Closed,
}

fn phase_code(p: Phase) -> &'static str {
    match p {
        Phase::Upcoming => "upcoming",
        Phase::Open => "open",
        Phase::Closed => "closed",
    }
}

fn parse_phase(s: &str) -> Option<Phase> {
    [Phase::Upcoming, Phase::Open, Phase::Closed].into_iter().find(|p| phase_code(*p) == s)
}

/// A draft put out for comment.
#[derive(Serialize, ToSchema)]
pub struct DraftDto {
    pub id: i64,
    pub title: String,
    /// Cơ quan chủ trì soạn thảo.
    pub drafting_body: String,
    /// The unit that put it out for comment.
    pub unit_name: String,
    /// The comment period, both days included.
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// `upcoming`, `open` or `closed`: where the comment period stands today.
    pub phase: String,
    /// `published` (put out for comment) or `reported` (its reception and explanation table is
    /// published).
    pub status: String,
    /// As the public list shows it.
    pub status_label: String,
    /// Whether it takes comments today.
    pub open: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub reported_at: Option<DateTime<Utc>>,
    /// Its page on this site.
    pub href: String,
    /// The draft's original file (DOCX or PDF) on this site, if it was uploaded.
    pub file_href: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DraftList {
    pub items: Vec<DraftDto>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// An article (level 1) or clause (level 2) of a draft.
#[derive(Serialize, ToSchema)]
pub struct PartDto {
    pub id: i64,
    pub position: i64,
    /// 1 for an article (điều), 2 for a clause (khoản).
    pub level: i64,
    /// E.g. `Điều 1`, `Khoản 2 Điều 1`.
    pub label: String,
    pub heading: String,
    pub body: String,
    /// How many comments were sent on it.
    pub comments: i64,
}

/// A line of the published reception and explanation table (bảng tiếp thu, giải trình).
#[derive(Serialize, ToSchema)]
pub struct ReceptionRow {
    /// The part commented on; `null` for the whole draft.
    pub part_id: Option<i64>,
    /// Its label, or `Toàn bộ dự thảo`.
    pub part_label: String,
    /// `person` or `organisation`.
    pub author_kind: String,
    /// An organisation's name; for a person, `Ý kiến cá nhân` (a person's name is never public).
    pub author: String,
    pub comment: String,
    /// The drafting body's reception or explanation.
    pub response: String,
}

/// A draft with its articles and clauses and, once published, its reception and explanation
/// table.
#[derive(Serialize, ToSchema)]
pub struct DraftDetail {
    #[serde(flatten)]
    pub draft: DraftDto,
    pub summary: String,
    pub parts: Vec<PartDto>,
    /// How many comments were sent on the whole draft.
    pub whole_draft_comments: i64,
    /// The reception and explanation table; `null` until the drafting body publishes it.
    pub reception: Option<Vec<ReceptionRow>>,
}

fn dto(d: &Draft, day: NaiveDate) -> DraftDto {
    let phase = service::phase_of(d, day);
    DraftDto {
        id: d.id,
        title: d.title.clone(),
        drafting_body: d.drafting_body.clone(),
        unit_name: d.unit_name.clone(),
        opens_on: d.opens_on,
        closes_on: d.closes_on,
        phase: phase_code(phase).into(),
        status: d.status.clone(),
        status_label: crate::pages::status_label(d, day).into(),
        open: d.status == "published" && phase == Phase::Open,
        published_at: d.published_at,
        reported_at: d.reported_at,
        href: format!("/du-thao/{}", d.id),
        file_href: d.file_id.map(|_| format!("/du-thao/{}/tep", d.id)),
    }
}

/// `GET /api/v1/drafts`.
#[utoipa::path(
    get, operation_id = "list_drafts", path = "/api/v1/drafts", tag = "drafts",
    summary = "Dự thảo đã đăng lấy ý kiến, dự thảo đang lấy ý kiến trước",
    description = "The drafts the public list shows (at most its 200 newest), those still taking comments first.",
    security(("bearer" = [])),
    params(
        ("phase" = inline(Option<PhaseParam>), Query, description = "Only drafts whose comment period is at this phase today"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = DraftList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
    )
)]
pub async fn drafts(State(state): State<AppState>, _caller: Caller, params: Params) -> ApiResult<Json<DraftList>> {
    let wanted = match params.get("phase") {
        None => None,
        Some(s) => Some(parse_phase(s).ok_or_else(|| Error::invalid("phase", kernel::msg::BAD_REQUEST))?),
    };
    let (limit, offset) = (params.limit()?, params.offset()?);
    let day = today();
    let rows: Vec<Draft> = store::public_drafts(&state.db, day).await?.into_iter().filter(|d| wanted.is_none_or(|p| service::phase_of(d, day) == p)).collect();
    let items = rows.iter().skip(usize::try_from(offset).unwrap_or(usize::MAX)).take(usize::try_from(limit).unwrap_or(0)).map(|d| dto(d, day)).collect();
    Ok(Json(DraftList { items, total: rows.len() as i64, limit, offset }))
}

/// `GET /api/v1/drafts/{id}`.
#[utoipa::path(
    get, operation_id = "get_draft", path = "/api/v1/drafts/{id}", tag = "drafts",
    summary = "Một dự thảo với các điều, khoản và bảng tiếp thu, giải trình đã công bố",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The draft's id, as in its public address `/du-thao/{id}`")),
    responses(
        (status = 200, description = "OK", body = DraftDetail),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "Unknown, or not put out for comment yet", body = ErrorBody),
    )
)]
pub async fn draft(State(state): State<AppState>, _caller: Caller, id: Result<Path<String>, PathRejection>) -> ApiResult<Json<DraftDetail>> {
    let id = parse_id(&path_segment(id, "id")?)?;
    let db = &state.db;
    let d = match store::draft(db, id).await {
        Ok(d) if d.is_public() => d,
        Ok(_) | Err(kernel::DbError::NotFound) => return Err(ApiError::not_found().into()),
        Err(e) => return Err(e.into()),
    };
    let counts = store::comment_counts(db, d.id).await?;
    let count = |id: Option<i64>| counts.iter().find(|(p, _)| *p == id).map_or(0, |(_, n)| *n);
    let parts = store::parts(db, d.id)
        .await?
        .into_iter()
        .map(|p| PartDto { comments: count(Some(p.id)), id: p.id, position: p.position, level: p.level, label: p.label, heading: p.heading, body: p.body })
        .collect();
    // Only the public part of each comment: never the e-mail address, never a person's name.
    let reception = if d.status == "reported" {
        Some(
            store::comments(db, d.id)
                .await?
                .into_iter()
                .map(|c| ReceptionRow {
                    author: service::public_author(&c),
                    part_id: c.part_id,
                    part_label: c.part_label.unwrap_or_else(|| msg::WHOLE_DRAFT.into()),
                    author_kind: c.author_kind,
                    comment: c.body,
                    response: c.response,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(Json(DraftDetail { draft: dto(&d, today()), summary: d.summary, parts, whole_draft_comments: count(None), reception }))
}
