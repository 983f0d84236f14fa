//! Periodic reports over the API, for agencies with their own systems: list the reports the
//! caller fills or may see in a round, read one with its figures and lock, replace its figures
//! (validated exactly like the entry page), submit it, and read a round's live aggregate.
//! Reports outside the caller's reach answer 404.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kernel::account::Action;
use crate::msg as rm;
use crate::rules::{self, IndicatorKind, ReportEvent, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use kernel::api::params::{ApiResult, Error, Params, json_body, parse_id, path_segment, whole_i64, whole_number};
use kernel::api::{Caller, ErrorBody};
use kernel::error::{ApiError, AppError};
use crate::service::{self, MapView};
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use kernel::page::{ReqMeta, today};

/// (method, path, required action) of every reports API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[
    ("GET", "/api/v1/report-forms", Some(Action::ViewReports)),
    ("GET", "/api/v1/reports", Some(Action::ViewReports)),
    ("GET", "/api/v1/reports/{id}", Some(Action::ViewReports)),
    ("PUT", "/api/v1/reports/{id}/values", Some(Action::FillReports)),
    ("POST", "/api/v1/reports/{id}/submit", Some(Action::FillReports)),
    ("GET", "/api/v1/rounds/{id}/aggregate", Some(Action::ViewReports)),
];

/// The reports API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post, put};
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/report-forms", get(list_forms).fallback(method_not_allowed))
        .route("/api/v1/reports", get(list).fallback(method_not_allowed))
        .route("/api/v1/reports/{id}", get(show).fallback(method_not_allowed))
        .route("/api/v1/reports/{id}/values", put(put_values).fallback(method_not_allowed))
        .route("/api/v1/reports/{id}/submit", post(submit).fallback(method_not_allowed))
        .route("/api/v1/rounds/{id}/aggregate", get(aggregate).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list_forms, list, show, put_values, submit, aggregate),
    components(schemas(FormList, FormDto, IndicatorDto, DimensionDto, MemberDto, ReportDto, ReportList, ValuesRequest, FieldError, ValidationFailed, SubmitRequest, AggregateDto)),
    tags((name = "reports", description = "Báo cáo định kỳ"))
)]
struct ReportsDoc;

/// The reports' part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <ReportsDoc as utoipa::OpenApi>::openapi()
}

#[derive(Serialize, ToSchema)]
pub struct ReportDto {
    pub id: i64,
    pub round_id: i64,
    pub form_code: String,
    pub form_version: i64,
    pub form_name: String,
    /// `2026-H1`, `2026-Y`, …
    pub period: String,
    pub period_label: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub agency_id: Option<i64>,
    pub agency_name: Option<String>,
    /// `draft`, `submitted`, `approved`, `returned`.
    pub state: String,
    pub due_on: Option<chrono::NaiveDate>,
    /// Why the figures cannot be changed now (`approved`, `submitted`, `not_open`,
    /// `round_closed`, `past_deadline`), with the Vietnamese explanation.
    pub lock: Option<String>,
    pub lock_message: Option<String>,
    /// Optimistic-locking version to send back with changes.
    pub version: i64,
    /// Entered figures by key (`indicator` or `indicator:dimension:member`); counts and amounts
    /// as integers, text as strings.
    #[schema(value_type = Object)]
    pub values: BTreeMap<String, serde_json::Value>,
    /// Computed indicators (sums, percentages, ratios), recomputed from the figures.
    #[schema(value_type = Object)]
    pub computed: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportList {
    pub items: Vec<ReportDto>,
}

fn json_of(v: &Value) -> serde_json::Value {
    match v {
        Value::Int(i) => serde_json::json!(i),
        Value::Real(r) => serde_json::json!(r),
        Value::Text(t) => serde_json::json!(t),
    }
}

async fn dto(state: &AppState, id: i64) -> ApiResult<ReportDto> {
    let rep = crate::store::report(&state.db, id).await?;
    let round = crate::store::round(&state.db, rep.round_id).await?;
    let form = service::form_of(&state.db, round.form_id).await.map_err(ApiError::from)?;
    let stored = crate::store::values(&state.db, id).await?;
    let values = service::to_values(&stored);
    let all = rules::compute(&form, &values);
    let lock = service::lock_of(&rep, &round, today());
    Ok(ReportDto {
        id: rep.id,
        round_id: round.id,
        form_code: round.form_code.clone(),
        form_version: round.form_version,
        form_name: round.form_name.clone(),
        period: round.period_key.clone(),
        period_label: service::period_label(&round.period_key),
        unit_id: rep.unit_id,
        unit_name: rep.unit_name.clone(),
        agency_id: rep.agency_id,
        agency_name: rep.agency_name.clone(),
        state: rep.state.clone(),
        due_on: round.due_on,
        lock: lock.as_ref().map(|l| l.code().to_string()),
        lock_message: lock.map(|l| l.message_vi()),
        version: rep.version,
        values: values.iter().map(|(k, v)| (k.db_key(), json_of(v))).collect(),
        computed: all.iter().filter(|(k, _)| form.indicator(&k.indicator).is_some_and(|i| i.is_computed())).map(|(k, v)| (k.db_key(), json_of(v))).collect(),
    })
}

fn app(e: AppError) -> Error {
    ApiError::from(e).into()
}

/// One member of a disaggregation (phân tổ).
#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    pub code: String,
    pub name: String,
}

/// A disaggregation of an indicator: figures may be sent per member under the key
/// `indicator:dimension:member`.
#[derive(Serialize, ToSchema)]
pub struct DimensionDto {
    pub code: String,
    pub name: String,
    /// Members partition the total (Σ members = total) rather than "of which" (each ≤ total).
    pub exhaustive: bool,
    pub members: Vec<MemberDto>,
}

/// One indicator (chỉ tiêu) of a form version.
#[derive(Serialize, ToSchema)]
pub struct IndicatorDto {
    /// The key to send figures under.
    pub code: String,
    pub name: String,
    /// The section (phần) it belongs to.
    pub section: String,
    /// Đơn vị tính: "cuộc", "lượt người", "đồng", "%"…
    pub unit: String,
    /// `count`, `amount_vnd`, `percentage`, `ratio` or `text`.
    pub kind: String,
    /// Computed by the system from other indicators: never sent.
    pub computed: bool,
    /// `verified`, `partly` or `unverified`: how sure the form's source is.
    pub certainty: String,
    pub disaggregations: Vec<DimensionDto>,
}

/// One version of a report form (biểu mẫu báo cáo).
#[derive(Serialize, ToSchema)]
pub struct FormDto {
    pub id: i64,
    /// `PBGDPL`, `HGCS`, `CTCPL`, …
    pub code: String,
    pub version: i64,
    pub name: String,
    pub legal_basis: String,
    /// First day the version applies.
    pub valid_from: chrono::NaiveDate,
    /// Last day the version applies; `null` while it is in force.
    pub valid_until: Option<chrono::NaiveDate>,
    /// Reporting levels: `commune`, `agency`, …
    pub levels: Vec<String>,
    /// Periods it is reported for: `half_year`, `year`, …
    pub period_kinds: Vec<String>,
    pub indicators: Vec<IndicatorDto>,
}

#[derive(Serialize, ToSchema)]
pub struct FormList {
    pub items: Vec<FormDto>,
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_string)).unwrap_or_default()
}

/// `GET /api/v1/report-forms`.
#[utoipa::path(
    get, operation_id = "list_report_forms", path = "/api/v1/report-forms", tag = "reports",
    summary = "Các phiên bản biểu mẫu báo cáo, với chỉ tiêu và phân tổ",
    description = "Every version of every report form, oldest first per form, so that an agency's own system can discover which figures to send (`PUT /api/v1/reports/{id}/values` takes the indicator codes, and `indicator:dimension:member` for disaggregated figures).",
    security(("bearer" = [])),
    params(("code" = Option<String>, Query, max_length = 200, description = "Only the versions of this form code (case-insensitive)")),
    responses(
        (status = 200, description = "OK", body = FormList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
    )
)]
pub async fn list_forms(State(state): State<AppState>, caller: Caller, params: Params) -> ApiResult<Json<FormList>> {
    caller.require(Action::ViewReports)?;
    let code = params.text("code")?;
    let cat = service::catalogue().map_err(app)?;
    let mut items = Vec::new();
    for row in crate::store::forms(&state.db).await? {
        if code.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case(&row.code)) {
            continue;
        }
        let form = cat.parse_version(&row.definition).map_err(|e| app(AppError::Internal(e.to_string())))?;
        let mut indicators = Vec::new();
        for section in &form.sections {
            for i in &section.indicators {
                indicators.push(IndicatorDto {
                    code: i.code.clone(),
                    name: i.name.clone(),
                    section: section.name.clone(),
                    unit: i.unit.clone(),
                    kind: snake(&i.kind),
                    computed: i.is_computed(),
                    certainty: match i.certainty {
                        rules::Certainty::V => "verified",
                        rules::Certainty::P => "partly",
                        rules::Certainty::U => "unverified",
                    }
                    .into(),
                    disaggregations: i.disaggregations.iter().filter_map(|d| cat.dimension(d)).map(|d| DimensionDto {
                        code: d.code.clone(),
                        name: d.name.clone(),
                        exhaustive: d.exhaustive,
                        members: d.members.iter().map(|m| MemberDto { code: m.code.clone(), name: m.name.clone() }).collect(),
                    }).collect(),
                });
            }
        }
        items.push(FormDto {
            id: row.id,
            code: row.code,
            version: row.version,
            name: row.name,
            legal_basis: form.legal_basis.clone(),
            valid_from: row.valid_from,
            valid_until: row.valid_to.map(|d| d - chrono::Duration::days(1)),
            levels: form.levels.iter().map(snake).collect(),
            period_kinds: form.period_kinds.iter().map(snake).collect(),
            indicators,
        });
    }
    items.sort_by(|a, b| a.code.cmp(&b.code).then(a.version.cmp(&b.version)));
    Ok(Json(FormList { items }))
}

/// `GET /api/v1/reports`.
#[utoipa::path(
    get, operation_id = "list_reports", path = "/api/v1/reports", tag = "reports",
    summary = "Báo cáo của đơn vị/cơ quan người gọi, hoặc các báo cáo của một kỳ",
    security(("bearer" = [])),
    params(("round" = Option<i64>, Query, description = "Id of a round the caller may see: all its reports. Without it, the reports the caller's unit or agency fills in open rounds")),
    responses(
        (status = 200, description = "OK", body = ReportList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown round, or out of reach", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, caller: Caller, params: Params) -> ApiResult<Json<ReportList>> {
    caller.require(Action::ViewReports)?;
    let ids: Vec<i64> = match params.get("round") {
        Some(r) => {
            let rid = r.trim().parse::<i64>().map_err(|_| Error::invalid("round", kernel::msg::BAD_REQUEST))?;
            let round = service::visible_round(&state.db, &caller.principal(), rid).await.map_err(app)?;
            crate::store::reports_of_round(&state.db, round.id).await?.into_iter().map(|r| r.id).collect()
        }
        None => crate::store::reports_of_reporter(&state.db, caller.account.unit_id, caller.account.agency_id).await?
            .into_iter().filter(|r| r.round_status != "planned").map(|r| r.id).collect(),
    };
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(dto(&state, id).await?);
    }
    Ok(Json(ReportList { items }))
}

/// `GET /api/v1/reports/{id}`.
#[utoipa::path(
    get, operation_id = "get_report", path = "/api/v1/reports/{id}", tag = "reports",
    summary = "Một báo cáo với số liệu và lý do khóa (nếu có)",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "OK", body = ReportDto),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
    )
)]
pub async fn show(State(state): State<AppState>, caller: Caller, id: Result<Path<String>, PathRejection>) -> ApiResult<Json<ReportDto>> {
    caller.require(Action::ViewReports)?;
    let id = parse_id(&path_segment(id, "id")?)?;
    service::visible_report(&state.db, &caller.principal(), id).await.map_err(app)?;
    Ok(Json(dto(&state, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ValuesRequest {
    /// The `version` read with the report.
    #[serde(deserialize_with = "whole_i64")]
    pub version: i64,
    /// Every entered figure by key; keys left out are cleared. Numbers for counts and amounts
    /// (non-negative integers), strings for text, `null` to clear.
    #[schema(schema_with = values_schema)]
    pub values: HashMap<String, serde_json::Value>,
}

/// The schema of [`ValuesRequest::values`]: keys are indicator codes (see
/// `GET /api/v1/report-forms`), values non-negative integers, strings or `null`. Which keys a
/// report takes, and which of the three each takes, depends on its form: that is checked by the
/// handler (422), not by the schema.
fn values_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "Every entered figure by key (`indicator` or `indicator:dimension:member`); keys left out are cleared. \
             Non-negative integers for counts and amounts, strings for text, `null` to clear.",
        ))
        .additional_properties(Some(
            ObjectBuilder::new().schema_type(SchemaType::Array(vec![Type::Integer, Type::String, Type::Null])).minimum(Some(0)),
        ))
        .build()
}

#[derive(Serialize, ToSchema)]
pub struct FieldError {
    pub key: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ValidationFailed {
    pub error: String,
    pub message: String,
    pub errors: Vec<FieldError>,
}

/// A report the caller fills that is not locked.
async fn fillable(state: &AppState, caller: &Caller, id: i64) -> ApiResult<(crate::store::Report, crate::store::Round)> {
    caller.require(Action::FillReports)?;
    let (rep, round) = service::visible_report(&state.db, &caller.principal(), id).await.map_err(app)?;
    if !service::can_fill(&caller.principal(), &rep) {
        return Err(ApiError::forbidden().into());
    }
    if let Some(lock) = service::lock_of(&rep, &round, today()) {
        return Err(ApiError::new(StatusCode::CONFLICT, "locked", lock.message_vi()).into());
    }
    Ok((rep, round))
}

/// A write that lost a race or is not allowed in the report's state: 409 with the reason.
fn conflict_or(e: AppError) -> Error {
    match e {
        AppError::BadRequest(m) if m == rm::STALE => ApiError::new(StatusCode::CONFLICT, "stale", m).into(),
        AppError::BadRequest(m) => ApiError::new(StatusCode::CONFLICT, "not_allowed", m).into(),
        other => app(other),
    }
}

/// 422 with one message per key; nothing was saved.
fn invalid(errors: Vec<FieldError>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let body = ValidationFailed { error: "invalid".into(), message: rm::FIX_ERRORS.into(), errors };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// `PUT /api/v1/reports/{id}/values`.
#[utoipa::path(
    put, operation_id = "put_report_values", path = "/api/v1/reports/{id}/values", tag = "reports",
    summary = "Thay toàn bộ số liệu của báo cáo (kiểm tra như trang nhập liệu)",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Report id")),
    request_body = ValuesRequest,
    responses(
        (status = 200, description = "Saved", body = ReportDto),
        (status = 400, description = "Invalid id or unreadable body", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller does not fill this report, its role may not fill reports, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
        (status = 409, description = "Locked (`locked`, with the reason) or changed by someone else (`stale`)", body = ErrorBody),
        (status = 413, description = "Body larger than the configured limit (`payload_too_large`)", body = ErrorBody),
        (status = 422, description = "Figures fail validation (unknown key, wrong type, rule broken); nothing saved", body = ValidationFailed),
    )
)]
pub async fn put_values(
    State(state): State<AppState>,
    caller: Caller,
    meta: ReqMeta,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<ValuesRequest>, JsonRejection>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let id = parse_id(&path_segment(id, "id")?)?;
    let (rep, round) = fillable(&state, &caller, id).await?;
    let req = json_body(body)?;
    let form = service::form_of(&state.db, round.form_id).await.map_err(app)?;
    let cat = service::catalogue().map_err(app)?;
    let cells = service::cells(cat, &form);
    let mut typed: HashMap<String, String> = HashMap::new();
    let mut errors = Vec::new();
    for (k, v) in &req.values {
        let Some(cell) = cells.iter().find(|c| &c.key == k) else {
            errors.push(FieldError { key: k.clone(), message: rm::unknown_indicator(k) });
            continue;
        };
        let text = match (cell.kind, v) {
            (IndicatorKind::Text, serde_json::Value::String(s)) => s.clone(),
            (_, serde_json::Value::Number(n)) if cell.kind != IndicatorKind::Text => match whole_number(n) {
                Some(i) if i >= 0 => i.to_string(),
                _ => {
                    errors.push(FieldError { key: k.clone(), message: rm::NOT_A_NUMBER.into() });
                    continue;
                }
            },
            (_, serde_json::Value::Null) => String::new(),
            _ => {
                errors.push(FieldError { key: k.clone(), message: rm::NOT_A_NUMBER.into() });
                continue;
            }
        };
        typed.insert(k.clone(), text);
    }
    let entry = service::read_entry(cat, &form, &typed, &BTreeMap::new());
    for (k, ms) in entry.errors {
        for m in ms {
            errors.push(FieldError { key: k.clone(), message: m });
        }
    }
    if !errors.is_empty() {
        return Ok(invalid(errors));
    }
    service::save_values(&state.db, &caller.actor(&meta), caller.account.id, &rep, req.version, &entry.stored, "api").await.map_err(conflict_or)?;
    Ok(Json(dto(&state, id).await?).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct SubmitRequest {
    /// The `version` read with the report.
    #[serde(deserialize_with = "whole_i64")]
    pub version: i64,
}

/// `POST /api/v1/reports/{id}/submit`.
#[utoipa::path(
    post, operation_id = "submit_report", path = "/api/v1/reports/{id}/submit", tag = "reports",
    summary = "Gửi báo cáo lên cấp trên",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Report id")),
    request_body = SubmitRequest,
    responses(
        (status = 200, description = "Submitted", body = ReportDto),
        (status = 400, description = "Invalid id or unreadable body", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller does not fill this report, its role may not fill reports, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
        (status = 409, description = "Locked (`locked`), changed by someone else (`stale`) or not submittable in its state (`not_allowed`)", body = ErrorBody),
        (status = 413, description = "Body larger than the configured limit (`payload_too_large`)", body = ErrorBody),
        (status = 422, description = "Figures fail validation", body = ValidationFailed),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    meta: ReqMeta,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<SubmitRequest>, JsonRejection>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let id = parse_id(&path_segment(id, "id")?)?;
    let (rep, round) = fillable(&state, &caller, id).await?;
    let req = json_body(body)?;
    let form = service::form_of(&state.db, round.form_id).await.map_err(app)?;
    let cat = service::catalogue().map_err(app)?;
    let values = service::to_values(&crate::store::values(&state.db, id).await?);
    let problems = rules::validate(cat, &form, &values);
    if !problems.is_empty() {
        return Ok(invalid(problems.into_iter().map(|e| FieldError { key: e.indicator, message: e.message_vi }).collect()));
    }
    service::transition(&state.db, &caller.actor(&meta), caller.account.id, &rep, &round, ReportEvent::Submit, req.version, None, today())
        .await
        .map_err(conflict_or)?;
    Ok(Json(dto(&state, id).await?).into_response())
}

/// Which map the totals are counted on.
// Documentation only: the parameter is parsed in [`aggregate`].
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ViewParam {
    AsReported,
    Today,
}

#[derive(Serialize, ToSchema)]
pub struct AggregateDto {
    pub round_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    /// `as_reported` (units when the reports were made) or `today` (today's map).
    pub view: String,
    pub expected: usize,
    pub submitted: usize,
    pub approved: usize,
    /// Totals over approved reports, computed indicators recomputed from the sums.
    #[schema(value_type = Object)]
    pub totals: BTreeMap<String, serde_json::Value>,
}

/// `GET /api/v1/rounds/{id}/aggregate`.
#[utoipa::path(
    get, operation_id = "get_round_aggregate", path = "/api/v1/rounds/{id}/aggregate", tag = "reports",
    summary = "Số liệu tổng hợp trực tiếp của một kỳ báo cáo",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Round id"),
        ("view" = inline(Option<ViewParam>), Query, description = "`as_reported` (default: units as they were when the reports were made) or `today` (today's map)"),
    ),
    responses(
        (status = 200, description = "OK", body = AggregateDto),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
    )
)]
pub async fn aggregate(State(state): State<AppState>, caller: Caller, params: Params, id: Result<Path<String>, PathRejection>) -> ApiResult<Json<AggregateDto>> {
    caller.require(Action::ViewReports)?;
    let id = parse_id(&path_segment(id, "id")?)?;
    let round = service::visible_round(&state.db, &caller.principal(), id).await.map_err(app)?;
    let view = match params.get("view") {
        None | Some("as_reported") => MapView::AsReported,
        Some("today") => MapView::Today,
        Some(_) => return Err(Error::invalid("view", kernel::msg::BAD_REQUEST)),
    };
    let form = service::form_of(&state.db, round.form_id).await.map_err(app)?;
    let total = match view {
        MapView::AsReported => service::total_at(&state.db, &form, &round, round.unit_id).await,
        MapView::Today => service::aggregate(&state.db, &form, &round, round.unit_id, view).await.map(|(t, _, _)| t),
    }
    .map_err(app)?;
    let c = service::completeness(&state.db, &round, today()).await.map_err(app)?;
    Ok(Json(AggregateDto {
        round_id: round.id,
        unit_id: round.unit_id,
        unit_name: round.unit_name.clone(),
        view: if view == MapView::Today { "today".into() } else { "as_reported".into() },
        expected: c.expected,
        submitted: c.submitted,
        approved: c.approved,
        totals: total.iter().map(|(k, v)| (k.db_key(), json_of(v))).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_may_be_written_as_floats() {
        let n = |s: &str| serde_json::from_str::<serde_json::Number>(s).ok().and_then(|n| whole_number(&n));
        assert_eq!(n("12"), Some(12));
        assert_eq!(n("12.0"), Some(12));
        assert_eq!(n("1e3"), Some(1000));
        assert_eq!(n("-3"), Some(-3));
        assert_eq!(n("1.5"), None);
        assert_eq!(n("1e300"), None);
        assert_eq!(n("9223372036854775807"), Some(i64::MAX));
    }

    #[test]
    fn versions_may_be_written_as_floats() {
        let v = |s: &str| serde_json::from_str::<SubmitRequest>(s).map(|r| r.version).ok();
        assert_eq!(v(r#"{"version": 4}"#), Some(4));
        assert_eq!(v(r#"{"version": 4.0}"#), Some(4));
        assert_eq!(v(r#"{"version": 4.5}"#), None);
        assert_eq!(v(r#"{"version": "4"}"#), None);
        assert_eq!(v(r#"{}"#), None);
    }
}
