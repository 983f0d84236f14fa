//! The registries over the API: the reporters' and propagandists' lists the caller may see,
//! the sessions of a period, and recording a session. Phone numbers only for the managing
//! unit; a Reporter account sees and records only its own sessions.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use kernel::account::{Action, Role};
use kernel::api::params::{ApiResult, Error, Params, json_body};
use kernel::api::{Caller, ErrorBody};
use kernel::error::{ApiError, AppError};
use kernel::page::{FieldErrors, ReqMeta, today};
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::pages::activities::ActivityForm;
use crate::rules::kinds::Kind;
use crate::store::{ActivityRow, PersonRow};
use crate::{msg, service, store};

/// (method, path, required action) of every API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[
    ("GET", "/api/v1/disseminators/reporters", Some(Action::ViewDisseminators)),
    ("GET", "/api/v1/disseminators/propagandists", Some(Action::ViewDisseminators)),
    ("GET", "/api/v1/disseminators/activities", Some(Action::ViewDisseminators)),
    ("POST", "/api/v1/disseminators/activities", Some(Action::RecordDisseminationActivities)),
];

/// The API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/disseminators/reporters", get(reporters).fallback(method_not_allowed))
        .route("/api/v1/disseminators/propagandists", get(propagandists).fallback(method_not_allowed))
        .route("/api/v1/disseminators/activities", get(activities).post(create_activity).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(reporters, propagandists, activities, create_activity),
    components(schemas(PersonDto, PersonList, ActivityDto, ActivityList, ActivityRequest, ActivityCreated, ActivityInvalid, ActivityFieldError)),
    tags((name = "disseminators", description = "Báo cáo viên, tuyên truyền viên pháp luật và buổi phổ biến pháp luật"))
)]
struct DisseminatorsDoc;

/// This crate's part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <DisseminatorsDoc as utoipa::OpenApi>::openapi()
}

fn app(e: AppError) -> Error {
    ApiError::from(e).into()
}

/// A reporter or propagandist.
#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    pub id: i64,
    /// `reporter` or `propagandist`.
    pub kind: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub full_name: String,
    pub birth_year: Option<i64>,
    /// Only for the managing unit's accounts.
    pub phone: Option<String>,
    pub agency: String,
    pub position: String,
    /// `law`, `other_degree` or `other`.
    pub qualification: String,
    pub experience_years: i64,
    pub village: String,
    pub decision_no: String,
    pub decision_on: NaiveDate,
    pub decision_signer: String,
    pub dismissed_on: Option<NaiveDate>,
    /// `dismissed` (miễn nhiệm) or `ceased` (cho thôi làm).
    pub dismissal_kind: Option<String>,
    /// Serving today.
    pub serving: bool,
    /// Why a reporter does not meet the Art. 35 criteria (a warning), if so.
    pub criteria_warning: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonList {
    pub items: Vec<PersonDto>,
}

fn person_dto(caller: &Caller, r: &PersonRow) -> PersonDto {
    let warning = crate::pages::people::warning_of(r);
    PersonDto {
        id: r.id,
        kind: r.kind.clone(),
        unit_id: r.unit_id,
        unit_name: r.unit_name.clone(),
        full_name: r.full_name.clone(),
        birth_year: r.birth_year,
        phone: if service::shows_phone(&caller.principal(), r) { r.phone.clone() } else { None },
        agency: r.agency.clone(),
        position: r.position.clone(),
        qualification: r.qualification.clone(),
        experience_years: r.experience_years,
        village: r.village.clone(),
        decision_no: r.decision_no.clone(),
        decision_on: r.decision_on,
        decision_signer: r.decision_signer.clone(),
        dismissed_on: r.dismissed_on,
        dismissal_kind: r.dismissal_kind.clone(),
        serving: service::serving(r, today()),
        criteria_warning: (!warning.is_empty()).then_some(warning),
    }
}

async fn people(state: &AppState, caller: &Caller, kind: Kind) -> ApiResult<Json<PersonList>> {
    caller.require(Action::ViewDisseminators)?;
    let rows = service::people_list(&state.db, &caller.principal(), kind).await.map_err(app)?;
    Ok(Json(PersonList { items: rows.iter().map(|r| person_dto(caller, r)).collect() }))
}

/// `GET /api/v1/disseminators/reporters`.
#[utoipa::path(
    get, operation_id = "list_legal_reporters", path = "/api/v1/disseminators/reporters", tag = "disseminators",
    summary = "Danh sách báo cáo viên pháp luật trong phạm vi",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = PersonList),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
    )
)]
pub async fn reporters(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<PersonList>> {
    people(&state, &caller, Kind::Reporter).await
}

/// `GET /api/v1/disseminators/propagandists`.
#[utoipa::path(
    get, operation_id = "list_legal_propagandists", path = "/api/v1/disseminators/propagandists", tag = "disseminators",
    summary = "Danh sách tuyên truyền viên pháp luật trong phạm vi",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = PersonList),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
    )
)]
pub async fn propagandists(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<PersonList>> {
    people(&state, &caller, Kind::Propagandist).await
}

/// A dissemination session.
#[derive(Serialize, ToSchema)]
pub struct ActivityDto {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub held_on: NaiveDate,
    /// A code of `data/activity_forms.toml` (`conference`, `loudspeaker`, `mobile`, `online`).
    pub form: String,
    pub topic: String,
    pub laws: String,
    pub place: String,
    pub attendees: i64,
    pub materials: i64,
    /// Attendees by special target group code.
    pub target_groups: BTreeMap<String, i64>,
    /// Ids of the reporters and propagandists who took part.
    pub people: Vec<i64>,
    /// The plan task the session carries out, if linked.
    pub task_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityList {
    pub items: Vec<ActivityDto>,
}

async fn activity_dto(state: &AppState, a: &ActivityRow) -> ApiResult<ActivityDto> {
    Ok(ActivityDto {
        id: a.id,
        unit_id: a.unit_id,
        unit_name: a.unit_name.clone(),
        held_on: a.held_on,
        form: a.form.clone(),
        topic: a.topic.clone(),
        laws: a.laws.clone(),
        place: a.place.clone(),
        attendees: a.attendees,
        materials: a.materials,
        target_groups: store::activity_groups(&state.db, a.id).await?.into_iter().collect(),
        people: store::activity_people(&state.db, a.id).await?,
        task_id: a.task_id,
    })
}

/// `GET /api/v1/disseminators/activities?from=&to=`.
#[utoipa::path(
    get, operation_id = "list_dissemination_activities", path = "/api/v1/disseminators/activities", tag = "disseminators",
    summary = "Các buổi phổ biến pháp luật trong một khoảng thời gian (mặc định: năm nay)",
    security(("bearer" = [])),
    params(
        ("from" = Option<chrono::NaiveDate>, Query, description = "First day, YYYY-MM-DD"),
        ("to" = Option<chrono::NaiveDate>, Query, description = "Last day, YYYY-MM-DD"),
    ),
    responses(
        (status = 200, description = "OK", body = ActivityList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
    )
)]
pub async fn activities(State(state): State<AppState>, caller: Caller, params: Params) -> ApiResult<Json<ActivityList>> {
    caller.require(Action::ViewDisseminators)?;
    let day = today();
    // A missing end takes the other's year (this year when both are missing); a period given
    // backwards is read forwards, as the pages read it.
    let jan1 = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(day);
    let dec31 = |y: i32| NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(day);
    let (from, to) = match (params.date("from")?, params.date("to")?) {
        (Some(a), Some(b)) => (a.min(b), a.max(b)),
        (Some(a), None) => (a, dec31(a.year()).max(a)),
        (None, Some(b)) => (jan1(b.year()).min(b), b),
        (None, None) => (jan1(day.year()), dec31(day.year())),
    };
    let rows = service::activities_for(&state.db, &caller.principal(), &caller.scope.like_pattern(), from, to).await.map_err(app)?;
    let mut items = Vec::with_capacity(rows.len());
    for a in &rows {
        items.push(activity_dto(&state, a).await?);
    }
    Ok(Json(ActivityList { items }))
}

/// A session to record.
#[derive(Deserialize, ToSchema)]
pub struct ActivityRequest {
    pub held_on: NaiveDate,
    pub form: String,
    pub topic: String,
    #[serde(default)]
    pub laws: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(deserialize_with = "kernel::api::params::whole_i64")]
    #[schema(value_type = i64)]
    pub attendees: i64,
    #[serde(default, deserialize_with = "kernel::api::params::whole_i64_opt")]
    #[schema(value_type = Option<i64>)]
    pub materials: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    /// Attendees by special target group code (whole numbers; `12.0` is read as 12).
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, i64>)]
    pub target_groups: BTreeMap<String, serde_json::Number>,
    /// Ids of the reporters and propagandists who took part (a Reporter account is always
    /// added itself).
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub people: Vec<serde_json::Number>,
    /// The plan task the session carries out: a task of an issued plan that the caller's unit
    /// issued, or that the caller's agency leads or coordinates (the choices the session form
    /// offers). Any other id is refused with 422 naming `task_id`; a Reporter account links
    /// none (its unit's officers do).
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub task_id: Option<serde_json::Number>,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityCreated {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityFieldError {
    pub field: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityInvalid {
    pub error: String,
    pub message: String,
    pub errors: Vec<ActivityFieldError>,
}

/// `POST /api/v1/disseminators/activities`.
#[utoipa::path(
    post, operation_id = "create_dissemination_activity", path = "/api/v1/disseminators/activities", tag = "disseminators",
    summary = "Ghi nhận một buổi phổ biến pháp luật của đơn vị (hoặc của chính báo cáo viên)",
    security(("bearer" = [])),
    request_body = ActivityRequest,
    responses(
        (status = 201, description = "Stored", body = ActivityCreated),
        (status = 400, description = "Unreadable body", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 413, description = "Body larger than the configured limit (`payload_too_large`)", body = ErrorBody),
        (status = 422, description = "The session fails validation; nothing stored", body = ActivityInvalid),
    )
)]
pub async fn create_activity(State(state): State<AppState>, caller: Caller, meta: ReqMeta, body: Result<Json<ActivityRequest>, JsonRejection>) -> ApiResult<Response> {
    caller.require(Action::RecordDisseminationActivities)?;
    let req = json_body(body)?;
    let p = caller.principal();
    let (unit_id, allowed) = service::session_setup(&state.db, &p, today()).await.map_err(app)?;
    let mut f = ActivityForm {
        held_on: text_vi::format_date(req.held_on),
        form: req.form,
        topic: req.topic,
        laws: req.laws.unwrap_or_default(),
        place: req.place.unwrap_or_default(),
        attendees: req.attendees.to_string(),
        materials: req.materials.unwrap_or(0).to_string(),
        note: req.note.unwrap_or_default(),
        // A figure that is not a whole number stays as written, so the check names it.
        groups: req.target_groups.iter().map(|(k, v)| (k.clone(), kernel::api::params::whole_number(v).map_or_else(|| v.to_string(), |n| n.to_string()))).collect(),
        // An id that is not a whole number matches no one, so the check refuses it.
        people: req.people.iter().map(|n| kernel::api::params::whole_number(n).unwrap_or(-1)).collect(),
        // An id that is not a whole number stays as written, so the check refuses it.
        task_id: req.task_id.as_ref().map(|n| kernel::api::params::whole_number(n).map_or_else(|| n.to_string(), |v| v.to_string())).unwrap_or_default(),
    };
    if caller.role == Role::Reporter {
        f.people.extend(allowed.iter().map(|r| r.id));
    }
    let mut errors = FieldErrors::default();
    let mut group_errors = Vec::new();
    let cat = service::catalogue().map_err(app)?;
    for k in req.target_groups.keys() {
        if cat.group(k).is_none() {
            group_errors.push((k.clone(), msg::GROUP_ATTENDEES.to_string()));
        }
    }
    let mut input = f.check(&allowed, &mut errors, &mut group_errors).map_err(app)?;
    match service::chosen_task(&state.db, &state.registry, &p, unit_id, &f.task_id, None).await.map_err(app)? {
        Ok(task) => input.task_id = task,
        Err(m) => errors.add("task_id", m),
    }
    if !errors.is_empty() || !group_errors.is_empty() {
        let mut list: Vec<ActivityFieldError> =
            errors.0.iter().flat_map(|(k, ms)| ms.iter().map(|m| ActivityFieldError { field: (*k).to_string(), message: m.clone() })).collect();
        list.extend(group_errors.into_iter().map(|(k, m)| ActivityFieldError { field: format!("target_groups.{k}"), message: m }));
        let body = ActivityInvalid { error: "invalid".into(), message: kernel::msg::FORM_HAS_ERRORS.into(), errors: list };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
    }
    let id = service::create_activity(&state.db, &caller.actor(&meta), &p, unit_id, &input).await.map_err(app)?;
    Ok((StatusCode::CREATED, Json(ActivityCreated { id })).into_response())
}
