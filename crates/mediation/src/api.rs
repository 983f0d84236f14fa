//! Grassroots mediation over the API: the teams and rosters in reach (without phones unless the
//! caller is the team or its commune), the figures of a period, and a team's tracking book as
//! JSON (the team and its commune only; 404 for everyone else).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::extract::{Path, State};
use chrono::Datelike;
use kernel::account::Action;
use kernel::api::params::{ApiResult, Error, Params, json_body, parse_id, path_segment};
use kernel::api::{Caller, ErrorBody};
use kernel::error::{ApiError, AppError};
use kernel::page::ReqMeta;
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::export::{Book, BookRow, BookSummary};
use crate::{msg, service, store};

/// (method, path, required action) of every mediation API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[
    ("GET", "/api/v1/mediation/teams", Some(Action::ViewMediation)),
    ("GET", "/api/v1/mediation/teams/{id}", Some(Action::ViewMediation)),
    ("GET", "/api/v1/mediation/teams/{id}/book", Some(Action::ViewMediation)),
    ("GET", "/api/v1/mediation/statistics", Some(Action::ViewMediation)),
    ("POST", "/api/v1/mediation/teams/{id}/cases", Some(Action::RecordMediationCases)),
];

/// The mediation API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/mediation/teams", get(teams).fallback(method_not_allowed))
        .route("/api/v1/mediation/teams/{id}", get(team).fallback(method_not_allowed))
        .route("/api/v1/mediation/teams/{id}/book", get(book).fallback(method_not_allowed))
        .route("/api/v1/mediation/statistics", get(statistics).fallback(method_not_allowed))
        .route("/api/v1/mediation/teams/{id}/cases", post(create_case).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(teams, team, book, statistics, create_case),
    components(schemas(TeamDto, TeamList, MediatorDto, TeamDetail, Book, BookRow, BookSummary, Statistics, FieldCount, CaseRequest, PartyRequest, ExclusionRequest, CaseCreated, CaseValidationFailed, CaseFieldError)),
    tags((name = "mediation", description = "Hòa giải ở cơ sở"))
)]
struct MediationDoc;

/// The mediation part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <MediationDoc as utoipa::OpenApi>::openapi()
}

fn app(e: AppError) -> Error {
    ApiError::from(e).into()
}

/// A mediation team.
#[derive(Serialize, ToSchema)]
pub struct TeamDto {
    pub id: i64,
    pub name: String,
    pub village_id: i64,
    pub village_name: String,
    pub commune_id: i64,
    pub commune_name: String,
    pub established_on: chrono::NaiveDate,
    pub ended_on: Option<chrono::NaiveDate>,
    pub decision_no: Option<String>,
    pub leader_name: Option<String>,
    /// Serving mediators.
    pub serving: i64,
    /// Cases recorded (refused matters excluded).
    pub cases: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TeamList {
    pub items: Vec<TeamDto>,
}

fn team_dto(t: &store::TeamRow) -> TeamDto {
    TeamDto {
        id: t.id,
        name: t.name.clone(),
        village_id: t.village_id,
        village_name: t.village_name.clone(),
        commune_id: t.commune_id,
        commune_name: t.commune_name.clone(),
        established_on: t.established_on,
        ended_on: t.ended_on,
        decision_no: t.decision_no.clone(),
        leader_name: t.leader_name.clone(),
        serving: t.serving,
        cases: t.cases,
    }
}

const R401: &str = "Missing, unknown, expired or revoked token";
const R403: &str = "The caller's role does not allow this, or the account must change its password first";

/// `GET /api/v1/mediation/teams`.
#[utoipa::path(
    get, operation_id = "list_mediation_teams", path = "/api/v1/mediation/teams", tag = "mediation",
    summary = "Các tổ hòa giải trong phạm vi (hòa giải viên: tổ của mình)",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = TeamList),
        (status = 401, description = R401, body = ErrorBody),
        (status = 403, description = R403, body = ErrorBody),
    )
)]
pub async fn teams(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<TeamList>> {
    caller.require(Action::ViewMediation)?;
    let list = service::teams_for(&state.db, &caller.principal()).await.map_err(app)?;
    Ok(Json(TeamList { items: list.iter().map(team_dto).collect() }))
}

/// A mediator on a roster. `phone` only for the team and its commune.
#[derive(Serialize, ToSchema)]
pub struct MediatorDto {
    pub id: i64,
    pub full_name: String,
    /// `female` or `male`.
    pub gender: String,
    pub birth_year: Option<i64>,
    pub ethnicity: Option<String>,
    pub ethnic_minority: bool,
    pub phone: Option<String>,
    pub recognition_no: Option<String>,
    pub recognition_on: Option<chrono::NaiveDate>,
    pub served_from: chrono::NaiveDate,
    pub ended_on: Option<chrono::NaiveDate>,
    pub leader: bool,
    pub trainings: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TeamDetail {
    pub team: TeamDto,
    pub mediators: Vec<MediatorDto>,
    /// The law's conditions that look unmet (warnings, in Vietnamese).
    pub warnings: Vec<String>,
}

/// `GET /api/v1/mediation/teams/{id}`.
#[utoipa::path(
    get, operation_id = "get_mediation_team", path = "/api/v1/mediation/teams/{id}", tag = "mediation",
    summary = "Một tổ hòa giải với danh sách hòa giải viên",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Team id")),
    responses(
        (status = 200, description = "OK", body = TeamDetail),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = R401, body = ErrorBody),
        (status = 403, description = R403, body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
    )
)]
pub async fn team(State(state): State<AppState>, caller: Caller, id: Result<Path<String>, PathRejection>) -> ApiResult<Json<TeamDetail>> {
    caller.require(Action::ViewMediation)?;
    let id = parse_id(&path_segment(id, "id")?)?;
    let (t, a) = service::visible_team(&state.db, &caller.principal(), id).await.map_err(app)?;
    let mediators = store::mediators_of(&state.db, id).await.map_err(|e| app(e.into()))?;
    let warnings = service::team_warnings(&t, &mediators, kernel::page::today()).map_err(app)?;
    Ok(Json(TeamDetail {
        mediators: mediators
            .iter()
            .map(|m| MediatorDto {
                id: m.id,
                full_name: m.full_name.clone(),
                gender: m.gender.clone(),
                birth_year: m.birth_year,
                ethnicity: m.ethnicity.clone(),
                ethnic_minority: m.ethnic_minority,
                phone: if a.personal { m.phone.clone() } else { None },
                recognition_no: m.recognition_no.clone(),
                recognition_on: m.recognition_on,
                served_from: m.served_from,
                ended_on: m.ended_on,
                leader: t.leader_id == Some(m.id),
                trainings: m.trainings,
            })
            .collect(),
        warnings,
        team: team_dto(&t),
    }))
}

/// `GET /api/v1/mediation/teams/{id}/book?year=2026`.
#[utoipa::path(
    get, operation_id = "get_mediation_book", path = "/api/v1/mediation/teams/{id}/book", tag = "mediation",
    summary = "Sổ theo dõi hoạt động hòa giải ở cơ sở của một tổ trong một năm",
    description = "Names the parties: only the team's mediators and the commune's officers receive it; a read by the commune is audited.",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Team id"), ("year" = Option<i32>, Query, description = "Year (this year when absent)", minimum = 2000, maximum = 2100)),
    responses(
        (status = 200, description = "OK", body = Book),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = R401, body = ErrorBody),
        (status = 403, description = R403, body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
    )
)]
pub async fn book(State(state): State<AppState>, caller: Caller, meta: ReqMeta, params: Params, id: Result<Path<String>, PathRejection>) -> ApiResult<Json<Book>> {
    caller.require(Action::ViewMediation)?;
    let id = parse_id(&path_segment(id, "id")?)?;
    let year = match params.get("year") {
        None => kernel::page::today().year(),
        Some(s) => s.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).ok_or_else(|| Error::invalid("year", msg::BAD_YEAR))?,
    };
    let p = caller.principal();
    let (t, a) = service::visible_team(&state.db, &p, id).await.map_err(app)?;
    if !a.personal {
        return Err(app(AppError::NotFound));
    }
    if !a.member {
        let mut tx = state.db.begin().await.map_err(|e| app(e.into()))?;
        kernel::db::audit::record(&mut tx, &caller.actor(&meta), kernel::db::audit::Entry {
            action: "read", entity: "mediation_book", entity_id: Some(id.to_string()), unit_id: Some(t.village_id),
            summary: msg::audit_read_book(&t.name, year), before: None, after: None,
        })
        .await
        .map_err(|e| app(e.into()))?;
        tx.commit().await.map_err(|e| app(e.into()))?;
    }
    Ok(Json(crate::export::book(&state.db, &t, year).await.map_err(app)?))
}

/// Cases of one field.
#[derive(Serialize, ToSchema)]
pub struct FieldCount {
    pub field: String,
    pub name: String,
    pub cases: i64,
}

/// The mediation figures of the caller's scope for a period: teams and serving mediators on its
/// last day, cases received in it.
#[derive(Serialize, ToSchema)]
pub struct Statistics {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub teams: i64,
    pub mediators: i64,
    pub mediators_female: i64,
    pub mediators_ethnic_minority: i64,
    pub mediators_trained: i64,
    pub cases_received: i64,
    pub cases_settled: i64,
    pub cases_not_settled: i64,
    pub cases_in_progress: i64,
    pub by_field: Vec<FieldCount>,
}

/// `GET /api/v1/mediation/statistics?from=2026-01-01&to=2026-06-30`.
#[utoipa::path(
    get, operation_id = "get_mediation_statistics", path = "/api/v1/mediation/statistics", tag = "mediation",
    summary = "Số liệu hòa giải ở cơ sở trong phạm vi cho một kỳ",
    security(("bearer" = [])),
    params(
        ("from" = Option<chrono::NaiveDate>, Query, description = "First day (1 January of this year when absent)"),
        ("to" = Option<chrono::NaiveDate>, Query, description = "Last day (31 December of this year when absent)"),
    ),
    responses(
        (status = 200, description = "OK", body = Statistics),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = R401, body = ErrorBody),
        (status = 403, description = R403, body = ErrorBody),
    )
)]
pub async fn statistics(State(state): State<AppState>, caller: Caller, params: Params) -> ApiResult<Json<Statistics>> {
    caller.require(Action::ViewMediation)?;
    let (a, b) = service::year_bounds(kernel::page::today().year());
    let from = params.date("from")?.unwrap_or(a);
    let to = params.date("to")?.unwrap_or(b);
    if to < from {
        return Err(Error::invalid("to", msg::BAD_PERIOD));
    }
    let p = caller.principal();
    let f = if p.role == kernel::account::Role::Mediator {
        crate::rules::stats::Figures::default()
    } else {
        service::figures(&state.db, &p.scope.like_pattern(), from, to).await.map_err(|e| app(e.into()))?
    };
    let v = service::version_on(to).map_err(app)?;
    Ok(Json(Statistics {
        from,
        to,
        teams: f.teams,
        mediators: f.mediators,
        mediators_female: f.mediators_female,
        mediators_ethnic_minority: f.mediators_ethnic_minority,
        mediators_trained: f.mediators_trained,
        cases_received: f.cases_received,
        cases_settled: f.cases_settled,
        cases_not_settled: f.cases_not_settled,
        cases_in_progress: f.cases_in_progress,
        by_field: f.by_field.iter().map(|(code, n)| FieldCount { field: code.clone(), name: v.field(code).map(|x| x.name.clone()).unwrap_or_default(), cases: *n }).collect(),
    }))
}

/// A party of a new case.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub full_name: String,
    #[schema(minimum = 1900, maximum = 2100)]
    pub birth_year: Option<i64>,
    #[schema(max_length = 200)]
    pub address: Option<String>,
}

/// The matter is excluded from grassroots mediation (Điều 3): recorded as refused, or referred.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExclusionRequest {
    /// An exclusion code of the catalogue in force (`state_public_interest`,
    /// `family_civil_not_mediable`, `criminal_or_sanction`, `other_by_law`).
    pub code: String,
    /// Referred to a competent body (else refused).
    #[serde(default)]
    pub referred: bool,
    #[schema(max_length = 200)]
    pub referred_to: Option<String>,
}

/// A case recorded by another system (a commune's own app).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseRequest {
    /// The day the team received it (not in the future).
    pub received_on: chrono::NaiveDate,
    /// `party_request`, `mediator_witnessed`, `leader_assigned` or `agency_proposal`.
    pub origin: String,
    /// A field code of the catalogue in force (`land`, `marriage_family`, `neighbourhood`,
    /// `civil`, `other`).
    pub field: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub summary: String,
    #[schema(min_items = 1, max_items = 3)]
    pub parties: Vec<PartyRequest>,
    pub exclusion: Option<ExclusionRequest>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseCreated {
    pub id: i64,
    /// `received`, or `refused` / `referred` for an excluded matter.
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseFieldError {
    pub field: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseValidationFailed {
    pub error: String,
    pub message: String,
    pub errors: Vec<CaseFieldError>,
}

/// `POST /api/v1/mediation/teams/{id}/cases`.
#[utoipa::path(
    post, operation_id = "create_mediation_case", path = "/api/v1/mediation/teams/{id}/cases", tag = "mediation",
    summary = "Ghi một vụ, việc hòa giải (hoặc một việc không được hòa giải) từ hệ thống khác",
    description = "For the team's mediators and its commune's officers. Codes are checked against the catalogue in force on `received_on`; such checks answer 422.",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Team id")),
    request_body = CaseRequest,
    responses(
        (status = 201, description = "Recorded", body = CaseCreated),
        (status = 400, description = "Invalid id, unreadable body, or the team has ended", body = ErrorBody),
        (status = 401, description = R401, body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, the caller is not of the team's commune, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
        (status = 413, description = "Body larger than the configured limit (`payload_too_large`)", body = ErrorBody),
        (status = 422, description = "The case fails validation; nothing stored", body = CaseValidationFailed),
    )
)]
pub async fn create_case(
    State(state): State<AppState>,
    caller: Caller,
    meta: ReqMeta,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<CaseRequest>, JsonRejection>,
) -> ApiResult<Response> {
    caller.require(Action::RecordMediationCases)?;
    let id = parse_id(&path_segment(id, "id")?)?;
    let p = caller.principal();
    let (_, access) = service::visible_team(&state.db, &p, id).await.map_err(app)?;
    if !access.record {
        return Err(ApiError::forbidden().into());
    }
    let req = json_body(body)?;
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: String| errors.push(CaseFieldError { field: field.into(), message });
    let today = kernel::page::today();
    if req.received_on > today {
        bad("received_on", msg::future_date());
    }
    let origin = crate::rules::case::Origin::parse(&req.origin);
    if origin.is_none() {
        bad("origin", msg::BAD_ORIGIN.into());
    }
    let v = service::version_on(req.received_on.min(today)).map_err(app)?;
    if v.field(&req.field).is_none() {
        bad("field", msg::BAD_FIELD.into());
    }
    let summary = text_vi::nfc(req.summary.trim());
    if summary.is_empty() {
        bad("summary", msg::SUMMARY_REQUIRED.into());
    } else if summary.chars().count() > 4000 {
        bad("summary", msg::too_long(4000));
    }
    if req.parties.is_empty() || req.parties.len() > 3 {
        bad("parties", msg::PARTY_REQUIRED.into());
    }
    let mut parties = Vec::new();
    for (i, party) in req.parties.iter().enumerate() {
        let name = text_vi::nfc(party.full_name.trim());
        let address = text_vi::nfc(party.address.as_deref().unwrap_or("").trim());
        if name.is_empty() || name.chars().count() > 200 || address.chars().count() > 200 {
            bad(&format!("parties[{i}]"), if name.is_empty() { msg::NAME_REQUIRED.into() } else { msg::too_long(200) });
        }
        if let Some(y) = party.birth_year
            && !(1900..=i64::from(chrono::Datelike::year(&today))).contains(&y)
        {
            bad(&format!("parties[{i}].birth_year"), msg::bad_birth_year(&y.to_string()));
        }
        parties.push(service::PartyInput { full_name: name, birth_year: party.birth_year, address });
    }
    let exclusion = req.exclusion.as_ref().map(|x| (x.code.clone(), x.referred));
    let referred_to = req.exclusion.as_ref().and_then(|x| x.referred_to.as_deref()).map(|s| text_vi::nfc(s.trim())).unwrap_or_default();
    if let Some(x) = &req.exclusion {
        if v.exclusion(&x.code).is_none() {
            bad("exclusion.code", msg::BAD_EXCLUSION.into());
        }
        if x.referred && referred_to.is_empty() {
            bad("exclusion.referred_to", msg::REFERRED_TO_REQUIRED.into());
        }
        if referred_to.chars().count() > 200 {
            bad("exclusion.referred_to", msg::too_long(200));
        }
    }
    let Some(origin) = origin.filter(|_| errors.is_empty()) else {
        let body = CaseValidationFailed { error: "invalid".into(), message: msg::FIX_ERRORS.into(), errors };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
    };
    let input = service::CaseInput { received_on: req.received_on, origin, field: req.field.clone(), summary, parties, exclusion, referred_to };
    let case_id = service::create_case(&state.db, &caller.actor(&meta), &p, id, &input).await.map_err(app)?;
    let status = crate::store::case(&state.db, case_id).await.map_err(|e| app(e.into()))?.status;
    Ok((StatusCode::CREATED, Json(CaseCreated { id: case_id, status })).into_response())
}
