//! The published answers over the API: what `/hoi-dap` and `/hoi-dap/{id}` show, through the
//! same store queries (published and not private), so an item that is waiting, answered
//! privately or not yet approved is neither listed nor found. Only the question's public version
//! written by the officer is ever read: never the sender's name, e-mail address, phone number,
//! commune, tracking code or original text. Public data, for every authenticated caller (like
//! the bookshelf's API).

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::api::params::{ApiResult, Error, Params, parse_id, path_segment};
use kernel::api::{Caller, ErrorBody};
use kernel::error::ApiError;
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

use crate::msg;
use crate::rules::Kind;
use crate::service;
use crate::store::{self, PublicFilter, PublicItem};

/// (method, path, required action) of every API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[("GET", "/api/v1/inquiries/answers", None), ("GET", "/api/v1/inquiries/answers/{id}", None)];

/// The API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/inquiries/answers", get(answers).fallback(method_not_allowed))
        .route("/api/v1/inquiries/answers/{id}", get(answer).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(answers, answer),
    components(schemas(AnswerDto, AnswerList, AnswerDetail, CitedDocument, DialogueDto)),
    tags((name = "inquiries", description = "Hỏi đáp pháp luật, phản ánh kiến nghị: các câu trả lời đã công khai (không có thông tin cá nhân của người hỏi)"))
)]
struct InquiriesDoc;

/// This crate's part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <InquiriesDoc as utoipa::OpenApi>::openapi()
}

/// How much of the answer a list item carries (as the public list shows it).
const EXCERPT_CHARS: usize = 220;

/// A published answer in a list.
#[derive(Serialize, ToSchema)]
pub struct AnswerDto {
    pub id: i64,
    /// `question` (hỏi đáp pháp luật) or `feedback` (phản ánh, kiến nghị).
    pub kind: String,
    pub kind_label: String,
    pub topic_code: Option<String>,
    pub topic_name: Option<String>,
    /// The public title, written by the officer without personal data.
    pub title: String,
    /// The first words of the answer.
    pub excerpt: String,
    /// The unit that answered.
    pub answered_by_unit: Option<String>,
    /// The policy dialogue the question was sent to, if any.
    pub dialogue_id: Option<i64>,
    pub published_at: DateTime<Utc>,
    /// Its page on this site.
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct AnswerList {
    pub items: Vec<AnswerDto>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// A bookshelf document the answer cites.
#[derive(Serialize, ToSchema)]
pub struct CitedDocument {
    pub id: i64,
    /// Số hiệu, as written.
    pub number: String,
    pub title: String,
    pub href: String,
}

/// A policy dialogue (đối thoại chính sách).
#[derive(Serialize, ToSchema)]
pub struct DialogueDto {
    pub id: i64,
    pub topic: String,
    pub held_on: NaiveDate,
    pub place: String,
    pub unit_name: String,
    pub href: String,
}

/// A published answer with the question's public version.
#[derive(Serialize, ToSchema)]
pub struct AnswerDetail {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub topic_code: Option<String>,
    pub topic_name: Option<String>,
    pub title: String,
    /// The question's public version, written by the officer without personal data.
    pub question: String,
    pub answer: String,
    pub answered_by_unit: Option<String>,
    pub published_at: DateTime<Utc>,
    pub documents: Vec<CitedDocument>,
    pub dialogue: Option<DialogueDto>,
    pub href: String,
}

fn kind_label(i: &PublicItem) -> String {
    Kind::parse(&i.kind).map(msg::kind_label).unwrap_or_default().to_string()
}

fn excerpt(s: &str, n: usize) -> String {
    let t: String = s.chars().take(n).collect();
    if s.chars().count() > n { format!("{}…", t.trim_end()) } else { t }
}

/// `GET /api/v1/inquiries/answers`.
#[utoipa::path(
    get, operation_id = "list_inquiry_answers", path = "/api/v1/inquiries/answers", tag = "inquiries",
    summary = "Câu trả lời đã công khai, mới nhất trước",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, max_length = 200, description = "Words of the public title, question or answer, with or without diacritics"),
        ("topic" = Option<String>, Query, max_length = 200, description = "Topic code (lĩnh vực), as in `topic_code`; an unknown code finds nothing"),
        ("dialogue" = Option<i64>, Query, minimum = 1, description = "Only the answers to questions sent to this policy dialogue"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = AnswerList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
    )
)]
pub async fn answers(State(state): State<AppState>, _caller: Caller, params: Params) -> ApiResult<Json<AnswerList>> {
    let folded = text_vi::fold(&params.text("q")?.unwrap_or_default());
    let dialogue_id = match params.get("dialogue") {
        None => None,
        Some(s) => Some(s.parse::<i64>().ok().filter(|d| *d >= 1).ok_or_else(|| Error::invalid("dialogue", kernel::msg::BAD_REQUEST))?),
    };
    let filter = PublicFilter {
        topic: params.text("topic")?.unwrap_or_default(),
        pattern: if folded.trim().is_empty() { String::new() } else { kernel::like_contains(&folded) },
        dialogue_id,
    };
    let (limit, offset) = (params.limit()?, params.offset()?);
    let db = &state.db;
    let total = store::public_count(db, &filter).await?;
    let rows = store::public_list(db, &filter, limit, offset).await?;
    let items = rows
        .iter()
        .map(|i| AnswerDto {
            id: i.id,
            kind: i.kind.clone(),
            kind_label: kind_label(i),
            topic_code: i.topic_code.clone(),
            topic_name: i.topic_name.clone(),
            title: i.public_title.clone(),
            excerpt: excerpt(&i.answer, EXCERPT_CHARS),
            answered_by_unit: i.answered_by_unit.clone(),
            dialogue_id: i.dialogue_id,
            published_at: i.published_at,
            href: format!("/hoi-dap/{}", i.id),
        })
        .collect();
    Ok(Json(AnswerList { items, total, limit, offset }))
}

/// `GET /api/v1/inquiries/answers/{id}`.
#[utoipa::path(
    get, operation_id = "get_inquiry_answer", path = "/api/v1/inquiries/answers/{id}", tag = "inquiries",
    summary = "Một câu trả lời đã công khai, với câu hỏi đã bỏ thông tin cá nhân và văn bản được dẫn",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The answer's id, as in its public address `/hoi-dap/{id}`")),
    responses(
        (status = 200, description = "OK", body = AnswerDetail),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "Unknown, not answered in public yet, or answered privately", body = ErrorBody),
    )
)]
pub async fn answer(State(state): State<AppState>, _caller: Caller, id: Result<Path<String>, PathRejection>) -> ApiResult<Json<AnswerDetail>> {
    let id = parse_id(&path_segment(id, "id")?)?;
    let db = &state.db;
    let i = store::public_get(db, id).await?.ok_or_else(ApiError::not_found)?;
    let documents = service::cited(db, state.registry.legal_doc_refs, i.id)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .map(|d| CitedDocument { id: d.id, number: d.number, title: d.title, href: d.href })
        .collect();
    let dialogue = match i.dialogue_id {
        Some(d) => store::dialogue(db, d).await?.map(|d| DialogueDto { href: format!("/hoi-dap/doi-thoai/{}", d.id), id: d.id, topic: d.topic, held_on: d.held_on, place: d.place, unit_name: d.unit_name }),
        None => None,
    };
    Ok(Json(AnswerDetail {
        id: i.id,
        kind_label: kind_label(&i),
        href: format!("/hoi-dap/{}", i.id),
        kind: i.kind,
        topic_code: i.topic_code,
        topic_name: i.topic_name,
        title: i.public_title,
        question: i.public_body,
        answer: i.answer,
        answered_by_unit: i.answered_by_unit,
        published_at: i.published_at,
        documents,
        dialogue,
    }))
}
