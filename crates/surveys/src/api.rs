//! Surveys over the API: list the surveys the caller may see, read one with its questions, read
//! its results (optionally for one commune), submit a response collected offline (validated
//! exactly like the answering page, stored as a paper response entered by the caller), and
//! export the responses as CSV. Surveys out of reach answer 404.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kernel::account::Action;
use kernel::api::params::{ApiResult, Error, Params, json_body, parse_id, path_segment};
use kernel::api::{Caller, ErrorBody};
use kernel::error::{ApiError, AppError};
use kernel::page::{ReqMeta, today};
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::rules::{Condition, Question};
use crate::service::{self, Channel, Refusal, Submission};
use crate::store::{self, Survey};

/// (method, path, required action) of every surveys API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[
    ("GET", "/api/v1/surveys", Some(Action::ViewSurveys)),
    ("GET", "/api/v1/surveys/{id}", Some(Action::ViewSurveys)),
    ("GET", "/api/v1/surveys/{id}/results", Some(Action::ViewSurveys)),
    ("POST", "/api/v1/surveys/{id}/responses", Some(Action::ManageSurveys)),
    ("GET", "/api/v1/surveys/{id}/export.csv", Some(Action::ViewSurveys)),
];

/// The surveys API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/surveys", get(list).fallback(method_not_allowed))
        .route("/api/v1/surveys/{id}", get(show).fallback(method_not_allowed))
        .route("/api/v1/surveys/{id}/results", get(results).fallback(method_not_allowed))
        .route("/api/v1/surveys/{id}/responses", post(submit).fallback(method_not_allowed))
        .route("/api/v1/surveys/{id}/export.csv", get(export_csv).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list, show, results, submit, export_csv),
    components(schemas(SurveyDto, SurveyList, QuestionDto, ResultsDto, QuestionResultDto, OptionCountDto, ResponseRequest, ResponseCreated, SurveyFieldError, SurveyValidationFailed)),
    tags((name = "surveys", description = "Khảo sát, phiếu đánh giá sự hài lòng"))
)]
struct SurveysDoc;

/// The surveys' part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <SurveysDoc as utoipa::OpenApi>::openapi()
}

/// One question (câu hỏi) of a survey version.
#[derive(Serialize, ToSchema)]
pub struct QuestionDto {
    /// Stable key: send answers under it; export columns are named after it.
    pub key: String,
    pub text: String,
    pub help: String,
    /// `single_choice`, `multiple_choice`, `satisfaction`, `number`, `short_text`, `long_text`, `date`.
    pub kind: String,
    pub required: bool,
    /// The options to choose from (the five levels for `satisfaction`).
    pub options: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The show-condition: `{"op": "equals"|"one_of"|"includes"|"at_least"|"at_most"|"answered", "key": …, …}`.
    #[schema(value_type = Option<Object>)]
    pub show_if: Option<serde_json::Value>,
}

/// One survey version (phiếu khảo sát).
#[derive(Serialize, ToSchema)]
pub struct SurveyDto {
    pub id: i64,
    /// The id of the first version; every version of a survey shares it.
    pub family_id: i64,
    pub version: i64,
    pub title: String,
    pub description: String,
    /// `draft`, `published`, `closed`.
    pub status: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// The commune it is meant for; `null` for the whole public.
    pub audience_unit_id: Option<i64>,
    pub opens_on: Option<chrono::NaiveDate>,
    pub closes_on: Option<chrono::NaiveDate>,
    /// `satisfaction` when made from the satisfaction template.
    pub template_code: Option<String>,
    pub contact_details: bool,
    /// Questions (only in `GET /api/v1/surveys/{id}`).
    pub questions: Vec<QuestionDto>,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyList {
    pub items: Vec<SurveyDto>,
}

fn question_dto(q: &Question) -> QuestionDto {
    QuestionDto {
        key: q.key.clone(), text: q.text.clone(), help: q.help.clone(), kind: q.kind.as_str().into(), required: q.required, options: q.choices(),
        min: q.min, max: q.max, show_if: q.show_if.as_ref().and_then(|c: &Condition| serde_json::to_value(c).ok()),
    }
}

fn dto(s: &Survey, questions: Vec<QuestionDto>) -> SurveyDto {
    SurveyDto {
        id: s.id, family_id: s.family_id, version: s.version, title: s.title.clone(), description: s.description.clone(), status: s.status.clone(),
        unit_id: s.unit_id, unit_name: s.unit_name.clone(), audience_unit_id: s.audience_unit_id, opens_on: s.opens_on, closes_on: s.closes_on,
        template_code: s.template_code.clone(), contact_details: s.contact_details, questions,
    }
}

fn app(e: AppError) -> Error {
    ApiError::from(e).into()
}

async fn visible(state: &AppState, caller: &Caller, id: Result<Path<String>, PathRejection>) -> ApiResult<Survey> {
    caller.require(Action::ViewSurveys)?;
    let id = parse_id(&path_segment(id, "id")?)?;
    service::visible(&state.db, &caller.principal(), id).await.map_err(app)
}

/// `GET /api/v1/surveys`.
#[utoipa::path(
    get, operation_id = "list_surveys", path = "/api/v1/surveys", tag = "surveys",
    summary = "Các phiếu khảo sát trong phạm vi người gọi (mọi phiên bản)",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = SurveyList),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<SurveyList>> {
    caller.require(Action::ViewSurveys)?;
    let items = store::list(&state.db, &caller.scope.like_pattern()).await?.iter().map(|s| dto(s, Vec::new())).collect();
    Ok(Json(SurveyList { items }))
}

/// `GET /api/v1/surveys/{id}`.
#[utoipa::path(
    get, operation_id = "get_survey", path = "/api/v1/surveys/{id}", tag = "surveys",
    summary = "Một phiên bản phiếu khảo sát với các câu hỏi",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Survey version id")),
    responses(
        (status = 200, description = "OK", body = SurveyDto),
        (status = 400, description = "Invalid id", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
    )
)]
pub async fn show(State(state): State<AppState>, caller: Caller, id: Result<Path<String>, PathRejection>) -> ApiResult<Json<SurveyDto>> {
    let s = visible(&state, &caller, id).await?;
    let def = store::questions(&state.db, s.id).await?;
    Ok(Json(dto(&s, def.questions.iter().map(question_dto).collect())))
}

#[derive(Serialize, ToSchema)]
pub struct OptionCountDto {
    pub option: String,
    pub count: i64,
    /// Share of the answers to this question, in percent.
    pub percent: f64,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionResultDto {
    pub key: String,
    pub text: String,
    pub kind: String,
    pub answered: i64,
    pub options: Vec<OptionCountDto>,
    /// For satisfaction questions: answers "Rất hài lòng" or "Hài lòng".
    pub satisfied: Option<i64>,
    pub mean: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultsDto {
    pub survey_id: i64,
    /// Responses counted (every version of the survey).
    pub responses: i64,
    pub unit_id: Option<i64>,
    pub questions: Vec<QuestionResultDto>,
}

/// `GET /api/v1/surveys/{id}/results`.
#[utoipa::path(
    get, operation_id = "get_survey_results", path = "/api/v1/surveys/{id}/results", tag = "surveys",
    summary = "Kết quả khảo sát: số phiếu và tỷ lệ theo từng phương án",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Survey version id (its questions are tallied over every version's responses)"),
        ("unit" = Option<i64>, Query, description = "Only the responses of this commune")),
    responses(
        (status = 200, description = "OK", body = ResultsDto),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
    )
)]
pub async fn results(State(state): State<AppState>, caller: Caller, id: Result<Path<String>, PathRejection>, params: Params) -> ApiResult<Json<ResultsDto>> {
    let s = visible(&state, &caller, id).await?;
    let unit = match params.get("unit") {
        Some(u) => Some(u.trim().parse::<i64>().map_err(|_| Error::invalid("unit", kernel::msg::BAD_REQUEST))?),
        None => None,
    };
    let def = store::questions(&state.db, s.id).await?;
    let t = service::tallies(&state.db, &s, &def, unit).await.map_err(app)?;
    let questions = t.questions.iter().map(|q| QuestionResultDto {
        key: q.key.clone(), text: q.text.clone(), kind: q.kind.as_str().into(), answered: q.answered as i64,
        options: q.options.iter().map(|(o, n)| OptionCountDto { option: o.clone(), count: *n as i64, percent: q.percent(*n) }).collect(),
        satisfied: q.satisfaction().map(|(s, _)| s as i64), mean: q.mean(),
    }).collect();
    Ok(Json(ResultsDto { survey_id: s.id, responses: t.responses as i64, unit_id: unit, questions }))
}

/// A response collected offline.
#[derive(Deserialize, ToSchema)]
pub struct ResponseRequest {
    /// Answers by question key: a string (a choice, a text, a number or a date as dd/mm/yyyy),
    /// a number, or an array of strings for multiple choice.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, serde_json::Value>,
    /// The respondent's commune, for a survey meant for the whole public of a province.
    #[serde(default, deserialize_with = "kernel::api::params::whole_i64_opt")]
    pub commune_id: Option<i64>,
    /// Contact details, kept only when the survey asks for them.
    #[serde(default)]
    pub contact: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ResponseCreated {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyFieldError {
    /// The question key (`commune_id` or `contact` for those fields).
    pub key: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyValidationFailed {
    pub error: String,
    pub message: String,
    pub errors: Vec<SurveyFieldError>,
}

/// `POST /api/v1/surveys/{id}/responses`.
#[utoipa::path(
    post, operation_id = "create_survey_response", path = "/api/v1/surveys/{id}/responses", tag = "surveys",
    summary = "Gửi một phiếu trả lời thu thập ngoại tuyến (ghi là phiếu giấy, kèm tài khoản người gửi)",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Survey version id (the published one)")),
    request_body = ResponseRequest,
    responses(
        (status = 201, description = "Stored", body = ResponseCreated),
        (status = 400, description = "Invalid id or unreadable body", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller is not an officer of the survey's unit or of its commune, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
        (status = 409, description = "The survey does not take answers now (`closed`)", body = ErrorBody),
        (status = 413, description = "Body larger than the configured limit (`payload_too_large`)", body = ErrorBody),
        (status = 422, description = "Answers fail validation; nothing stored", body = SurveyValidationFailed),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    meta: ReqMeta,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<ResponseRequest>, JsonRejection>,
) -> ApiResult<Response> {
    caller.require(Action::ManageSurveys)?;
    let s = visible(&state, &caller, id).await?;
    if !service::can_enter(&caller.principal(), &s) {
        return Err(ApiError::forbidden().into());
    }
    let req = json_body(body)?;
    let mut sub = Submission { commune: req.commune_id.map(|c| c.to_string()).unwrap_or_default(), contact: req.contact.unwrap_or_default(), ..Default::default() };
    for (k, v) in req.answers.into_iter().take(crate::rules::definition::MAX_QUESTIONS) {
        let values: Vec<String> = match v {
            serde_json::Value::String(s) => vec![s],
            serde_json::Value::Number(n) => vec![n.to_string()],
            serde_json::Value::Array(a) => a.into_iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        };
        sub.raw.insert(k, values);
    }
    let def = store::questions(&state.db, s.id).await?;
    let actor = caller.actor(&meta);
    match service::submit(&state.db, &s, &def, &sub, Channel::Paper { actor: &actor, account_id: caller.account.id }, today()).await {
        Ok(id) => Ok((StatusCode::CREATED, Json(ResponseCreated { id })).into_response()),
        Err(Refusal::Invalid { questions, commune, contact }) => {
            let mut errors: Vec<SurveyFieldError> = questions.into_iter().map(|(key, message)| SurveyFieldError { key, message }).collect();
            if let Some(m) = commune {
                errors.push(SurveyFieldError { key: "commune_id".into(), message: m.into() });
            }
            if let Some(m) = contact {
                errors.push(SurveyFieldError { key: "contact".into(), message: m.into() });
            }
            let body = SurveyValidationFailed { error: "invalid".into(), message: crate::msg::FORM_HAS_ERRORS.into(), errors };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
        }
        Err(Refusal::Closed(m)) => Err(ApiError::new(StatusCode::CONFLICT, "closed", m).into()),
        Err(Refusal::Failed(e)) => Err(app(e)),
        Err(_) => Err(ApiError::new(StatusCode::CONFLICT, "closed", crate::msg::NOT_PUBLISHED).into()),
    }
}

/// `GET /api/v1/surveys/{id}/export.csv`.
#[utoipa::path(
    get, operation_id = "export_survey_csv", path = "/api/v1/surveys/{id}/export.csv", tag = "surveys",
    summary = "Tải toàn bộ phiếu trả lời dạng CSV (một cột cố định cho mỗi mã câu hỏi, qua mọi phiên bản)",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Survey version id (every version's responses are exported)"),
        ("unit" = Option<i64>, Query, description = "Only the responses of this commune")),
    responses(
        (status = 200, description = "CSV, UTF-8 with a byte-order mark, streamed", content_type = "text/csv"),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or out of reach", body = ErrorBody),
    )
)]
pub async fn export_csv(State(state): State<AppState>, caller: Caller, id: Result<Path<String>, PathRejection>, params: Params) -> ApiResult<Response> {
    let s = visible(&state, &caller, id).await?;
    let unit = match params.get("unit") {
        Some(u) => Some(u.trim().parse::<i64>().map_err(|_| Error::invalid("unit", kernel::msg::BAD_REQUEST))?),
        None => None,
    };
    crate::export::csv_response(&state.db, &s, unit, service::sees_contacts(&caller.principal(), &s)).await.map_err(app)
}
