//! The legal-access standard over the API: the rule sets (with their criteria and indicators),
//! the rounds the caller may see, and a round's assessments with their results and figures.
//! Rounds and assessments outside the caller's reach answer 404.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use kernel::account::Action;
use kernel::api::params::{ApiResult, Error, parse_id, path_segment};
use kernel::api::{Caller, ErrorBody};
use kernel::error::{ApiError, AppError};
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

use crate::rules::ruleset::RuleSet;
use crate::rules::state::Status;
use crate::{service, store};

/// (method, path, required action) of every legal-access API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[
    ("GET", "/api/v1/legal-access/rulesets", Some(Action::ViewLegalAccess)),
    ("GET", "/api/v1/legal-access/rounds", Some(Action::ViewLegalAccess)),
    ("GET", "/api/v1/legal-access/rounds/{id}", Some(Action::ViewLegalAccess)),
];

/// The legal-access API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/legal-access/rulesets", get(rulesets).fallback(method_not_allowed))
        .route("/api/v1/legal-access/rounds", get(rounds).fallback(method_not_allowed))
        .route("/api/v1/legal-access/rounds/{id}", get(round).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(rulesets, rounds, round),
    components(schemas(RuleSetDto, RuleSetList, RoundDto, RoundList, RoundDetail, AssessmentDto, IndicatorResultDto)),
    tags((name = "legal-access", description = "Chuẩn tiếp cận pháp luật"))
)]
struct LegalAccessDoc;

/// The legal-access part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <LegalAccessDoc as utoipa::OpenApi>::openapi()
}

fn app(e: AppError) -> Error {
    ApiError::from(e).into()
}

/// One stored version of a rule set.
#[derive(Serialize, ToSchema)]
pub struct RuleSetDto {
    pub id: i64,
    pub code: String,
    pub version: i64,
    pub name: String,
    pub first_year: i64,
    pub last_year: Option<i64>,
    /// `points` or `pass_fail`.
    pub mode: String,
    /// A round uses this version: it is never changed.
    pub in_use: bool,
    /// The whole rule set: legal basis, criteria, indicators (with their bands or levels, source
    /// and certainty), recognition conditions, disqualifiers.
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct RuleSetList {
    pub items: Vec<RuleSetDto>,
}

/// `GET /api/v1/legal-access/rulesets`.
#[utoipa::path(
    get, operation_id = "list_legal_access_rulesets", path = "/api/v1/legal-access/rulesets", tag = "legal-access",
    summary = "Các phiên bản bộ tiêu chí chuẩn tiếp cận pháp luật",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = RuleSetList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
    )
)]
pub async fn rulesets(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<RuleSetList>> {
    caller.require(Action::ViewLegalAccess)?;
    let rows = store::rulesets(&state.db).await.map_err(|e| app(e.into()))?;
    let items = rows
        .into_iter()
        .map(|r| {
            let definition = RuleSet::parse(&r.body).ok().and_then(|s| serde_json::to_value(s).ok()).unwrap_or(serde_json::Value::Null);
            RuleSetDto { id: r.id, code: r.code, version: r.version, name: r.name, first_year: r.first_year, last_year: r.last_year, mode: r.mode, in_use: r.in_use, definition }
        })
        .collect();
    Ok(Json(RuleSetList { items }))
}

/// A yearly round.
#[derive(Serialize, ToSchema)]
pub struct RoundDto {
    pub id: i64,
    pub year: i64,
    /// The reviewing unit: the province since 2025, a district before.
    pub unit_id: i64,
    pub unit_name: String,
    pub ruleset_id: i64,
    pub deadline: chrono::NaiveDate,
    pub decision_no: Option<String>,
    pub decision_on: Option<chrono::NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct RoundList {
    pub items: Vec<RoundDto>,
}

fn round_dto(r: &store::RoundRow) -> RoundDto {
    RoundDto {
        id: r.id,
        year: r.year,
        unit_id: r.unit_id,
        unit_name: r.unit_name.clone(),
        ruleset_id: r.ruleset_id,
        deadline: r.deadline,
        decision_no: r.decision_no.clone(),
        decision_on: r.decision_on,
    }
}

/// `GET /api/v1/legal-access/rounds`.
#[utoipa::path(
    get, operation_id = "list_legal_access_rounds", path = "/api/v1/legal-access/rounds", tag = "legal-access",
    summary = "Các đợt đánh giá chuẩn tiếp cận pháp luật trong phạm vi",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = RoundList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
    )
)]
pub async fn rounds(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<RoundList>> {
    caller.require(Action::ViewLegalAccess)?;
    let list = service::rounds_for(&state.db, &caller.principal()).await.map_err(app)?;
    Ok(Json(RoundList { items: list.iter().map(round_dto).collect() }))
}

/// One indicator's figures and result in an assessment.
#[derive(Serialize, ToSchema)]
pub struct IndicatorResultDto {
    pub code: String,
    /// The value the council counts (its adjustment, else the commune's): `{kind: "ratio", num,
    /// den}`, `{kind: "yes_no", yes}` or `{kind: "count", n}`; absent when not entered.
    #[schema(value_type = Option<Object>)]
    pub value: Option<serde_json::Value>,
    /// Points mode: points earned, in points (0.25 steps).
    pub points: Option<f64>,
    /// Reached its level (pass/fail) or its maximum (points); absent when missing.
    pub achieved: Option<bool>,
    pub council_reason: Option<String>,
}

/// A commune's assessment.
#[derive(Serialize, ToSchema)]
pub struct AssessmentDto {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_code: String,
    /// `draft`, `self_assessed`, `posted`, `submitted`, `under_review`, `returned`,
    /// `recognised`, `not_recognised`, `revoked`.
    pub status: String,
    pub status_label: String,
    /// Points mode: the council's total; pass/fail: the number of indicators achieved.
    pub result: f64,
    pub recognisable: bool,
    pub indicators: Vec<IndicatorResultDto>,
}

#[derive(Serialize, ToSchema)]
pub struct RoundDetail {
    pub round: RoundDto,
    pub assessments: Vec<AssessmentDto>,
}

/// `GET /api/v1/legal-access/rounds/{id}`.
#[utoipa::path(
    get, operation_id = "get_legal_access_round", path = "/api/v1/legal-access/rounds/{id}", tag = "legal-access",
    summary = "Một đợt đánh giá với kết quả của từng đơn vị cấp xã",
    description = "A commune's account receives only its own assessment.",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Round id")),
    responses(
        (status = 200, description = "OK", body = RoundDetail),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
    )
)]
pub async fn round(State(state): State<AppState>, caller: Caller, id: Result<Path<String>, PathRejection>) -> ApiResult<Json<RoundDetail>> {
    caller.require(Action::ViewLegalAccess)?;
    let id = parse_id(&path_segment(id, "id")?)?;
    let p = caller.principal();
    let r = service::visible_round(&state.db, &p, id).await.map_err(app)?;
    let rs = service::load_ruleset(&state.db, r.ruleset_id).await.map_err(app)?;
    let reviewer_view = p.scope.contains(&r.unit_path) || service::in_scope_today(&state.db, &p, r.unit_id).await.map_err(app)?;
    let mut all = store::assessments_of_round(&state.db, r.id).await.map_err(|e| app(e.into()))?;
    all.retain(|a| reviewer_view || p.scope.contains(&a.unit_path));
    let values = store::values_of_round(&state.db, r.id).await.map_err(|e| app(e.into()))?;
    let assessments = all
        .iter()
        .map(|a| {
            let rows: Vec<store::ValueRow> = values.iter().filter(|v| v.assessment_id == a.id).cloned().collect();
            let (_, fin) = service::outcomes(&rs, &rows, &[]);
            let status = Status::parse(&a.status).unwrap_or(Status::Draft);
            AssessmentDto {
                id: a.id,
                unit_id: a.unit_id,
                unit_name: a.unit_name.clone(),
                unit_code: a.unit_code.clone(),
                status: status.as_str().into(),
                status_label: status.label().into(),
                result: match rs.mode {
                    crate::rules::ruleset::ScoringMode::Points => fin.total.as_f64(),
                    crate::rules::ruleset::ScoringMode::PassFail => fin.achieved as f64,
                },
                recognisable: fin.recognisable && a.final_recognisable.unwrap_or(fin.recognisable),
                indicators: fin
                    .indicators
                    .iter()
                    .map(|i| IndicatorResultDto {
                        code: i.code.clone(),
                        value: i.value.and_then(|v| serde_json::to_value(v).ok()),
                        points: i.points.map(|p| p.as_f64()),
                        achieved: i.achieved,
                        council_reason: rows.iter().find(|r| r.indicator == i.code).and_then(|r| r.council_reason.clone()),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Json(RoundDetail { round: round_dto(&r), assessments }))
}
