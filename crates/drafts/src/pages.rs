//! The officers' pages (`/du-thao-quan-ly`): the drafts of units in scope, a new draft, a draft
//! with its parts and comments, the reception and explanation form, publishing, the DOCX table.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, render, render_invalid, today};
use kernel::state::AppState;
use serde::Deserialize;

use crate::msg;
use crate::service::{self, DraftForm};
use crate::store::{self, Draft};

#[derive(Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    pub tb: Option<String>,
}

fn layout(user: &CurrentUser, title: impl Into<String>, tb: Option<&str>) -> Layout {
    Layout::for_user(user, title, "drafts").with_flash_from(tb, msg::flash)
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// The status shown for a draft on a day.
pub fn status_label(d: &Draft, day: chrono::NaiveDate) -> &'static str {
    match d.status.as_str() {
        "draft" => msg::STATUS_DRAFT,
        "reported" => msg::STATUS_REPORTED,
        _ => msg::phase_label(service::phase_of(d, day)),
    }
}

pub struct Row {
    pub id: i64,
    pub title: String,
    pub unit: String,
    pub period: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "drafts/manage_index.html")]
struct IndexPage {
    l: Layout,
    rows: Vec<Row>,
}

fn period(d: &Draft) -> String {
    format!("{} – {}", text_vi::format_date(d.opens_on), text_vi::format_date(d.closes_on))
}

/// `GET /du-thao-quan-ly`.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Flash>) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let day = today();
    let rows = store::drafts_in(&state.db, &user.scope.like_pattern())
        .await?
        .into_iter()
        .map(|d| Row { id: d.id, status: status_label(&d, day), period: period(&d), unit: d.unit_name.clone(), title: d.title })
        .collect();
    render(&IndexPage { l: layout(&user, msg::TITLE_MANAGE, q.tb.as_deref()), rows })
}

#[derive(Template)]
#[template(path = "drafts/manage_new.html")]
struct NewPage {
    l: Layout,
    f: DraftForm,
    errors: FieldErrors,
}

/// `GET /du-thao-quan-ly/moi`.
pub async fn new_form(user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let day = today();
    let f = DraftForm { opens: text_vi::format_date(day), closes: text_vi::format_date(day + chrono::Duration::days(30)), ..DraftForm::default() };
    render(&NewPage { l: layout(&user, msg::TITLE_NEW, None), f, errors: FieldErrors::default() })
}

/// `POST /du-thao-quan-ly/moi`: stores the draft (not public yet) split into its parts.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let f = DraftForm {
        title: field(&pairs, "title").into(),
        drafting_body: field(&pairs, "drafting_body").into(),
        summary: field(&pairs, "summary").into(),
        opens: field(&pairs, "opens").into(),
        closes: field(&pairs, "closes").into(),
        text: field(&pairs, "text").into(),
    };
    match service::create(&state.db, &user.principal(), &meta.actor(&user), &f).await? {
        Ok(id) => Ok(Redirect::to(&format!("/du-thao-quan-ly/{id}?tb=created")).into_response()),
        Err(errors) => render_invalid(&NewPage { l: layout(&user, msg::TITLE_NEW, None), f, errors }),
    }
}

pub struct PartLine {
    pub level: i64,
    pub label: String,
    pub heading: String,
    pub lines: Vec<String>,
    pub comments: i64,
}

pub struct CommentLine {
    pub id: i64,
    /// The typed response is too long.
    pub invalid: bool,
    pub part: String,
    pub author: String,
    pub kind: &'static str,
    pub email: String,
    pub received: String,
    pub body: String,
    pub response: String,
}

#[derive(Template)]
#[template(path = "drafts/manage_show.html")]
struct ShowPage {
    l: Layout,
    d: Draft,
    status: &'static str,
    period: String,
    parts: Vec<PartLine>,
    whole: i64,
    comments: Vec<CommentLine>,
    errors: FieldErrors,
    notice: Option<&'static str>,
    can_report: bool,
}

async fn show_page(state: &AppState, user: &CurrentUser, d: Draft, tb: Option<&str>, typed: Option<&[(i64, String)]>, errors: FieldErrors, notice: Option<&'static str>) -> AppResult<ShowPage> {
    let day = today();
    let counts = store::comment_counts(&state.db, d.id).await?;
    let count = |id: Option<i64>| counts.iter().find(|(p, _)| *p == id).map_or(0, |(_, n)| *n);
    let parts = store::parts(&state.db, d.id)
        .await?
        .into_iter()
        .map(|p| PartLine { comments: count(Some(p.id)), level: p.level, label: p.label, heading: p.heading, lines: p.body.lines().map(str::to_string).collect() })
        .collect();
    let comments = store::comments(&state.db, d.id)
        .await?
        .into_iter()
        .map(|c| CommentLine {
            id: c.id,
            invalid: typed.is_some_and(|t| t.iter().any(|(id, r)| *id == c.id && kernel::page::clean(r).chars().count() > service::COMMENT_MAX)),
            part: c.part_label.clone().unwrap_or_else(|| msg::WHOLE_DRAFT.into()),
            kind: if c.author_kind == "organisation" { msg::ORGANISATION } else { msg::PERSON },
            author: c.author_name.clone(),
            email: c.email.clone(),
            received: text_vi::format_date((c.received_at + chrono::Duration::hours(7)).date_naive()),
            response: typed.and_then(|t| t.iter().find(|(id, _)| *id == c.id).map(|(_, r)| r.clone())).unwrap_or(c.response),
            body: c.body,
        })
        .collect();
    Ok(ShowPage {
        l: layout(user, d.title.clone(), tb),
        status: status_label(&d, day),
        period: period(&d),
        whole: count(None),
        parts,
        comments,
        errors,
        notice,
        can_report: d.status == "published" && service::phase_of(&d, day) == crate::rules::Phase::Closed,
        d,
    })
}

fn id_of(s: &str) -> AppResult<i64> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// `GET /du-thao-quan-ly/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<Flash>) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let d = service::visible(&state.db, &user.principal(), id_of(&id)?).await?;
    render(&show_page(&state, &user, d, q.tb.as_deref(), None, FieldErrors::default(), None).await?)
}

/// `POST /du-thao-quan-ly/{id}/dang`: publishes the draft for comment.
pub async fn publish(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<String>) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let d = service::visible(&state.db, &user.principal(), id_of(&id)?).await?;
    if let Err(m) = service::publish(&state.db, &meta.actor(&user), &d, today()).await? {
        let mut page = render_invalid(&show_page(&state, &user, d, None, None, FieldErrors::default(), Some(m)).await?)?;
        *page.status_mut() = StatusCode::CONFLICT;
        return Ok(page);
    }
    Ok(Redirect::to(&format!("/du-thao-quan-ly/{}?tb=published", d.id)).into_response())
}

/// `POST /du-thao-quan-ly/{id}/giai-trinh`: the reception or explanation of each comment
/// (`response-{comment id}` fields).
pub async fn respond(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<String>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let d = service::visible(&state.db, &user.principal(), id_of(&id)?).await?;
    let typed: Vec<(i64, String)> = pairs.iter().filter_map(|(k, v)| Some((k.strip_prefix("response-")?.parse().ok()?, v.clone()))).collect();
    match service::respond(&state.db, &meta.actor(&user), &d, &typed).await? {
        Ok(_) => Ok(Redirect::to(&format!("/du-thao-quan-ly/{}?tb=responded#gop-y", d.id)).into_response()),
        Err(errors) => {
            let status = if d.status == "reported" { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            let mut page = render_invalid(&show_page(&state, &user, d, None, Some(&typed), errors, None).await?)?;
            *page.status_mut() = status;
            Ok(page)
        }
    }
}

/// `POST /du-thao-quan-ly/{id}/cong-bo`: publishes the reception and explanation table.
pub async fn report(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<String>) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let d = service::visible(&state.db, &user.principal(), id_of(&id)?).await?;
    match service::report(&state.db, &state.config.base_url, &meta.actor(&user), &d, today()).await? {
        Ok(()) => Ok(Redirect::to(&format!("/du-thao-quan-ly/{}?tb=reported", d.id)).into_response()),
        Err(m) => {
            let mut page = render_invalid(&show_page(&state, &user, d, None, None, FieldErrors::default(), Some(m)).await?)?;
            *page.status_mut() = StatusCode::CONFLICT;
            Ok(page)
        }
    }
}

/// `GET /du-thao-quan-ly/{id}/tong-hop.docx`: the reception and explanation table (Nghị định 30
/// layout), with the commenters' names: the drafting body's document. Each download is audited.
pub async fn docx(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<String>) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let d = service::visible(&state.db, &user.principal(), id_of(&id)?).await?;
    let comments = store::comments(&state.db, d.id).await?;
    service::audit_export(&state.db, &meta.actor(&user), &d, comments.len()).await?;
    let doc = service::summary_document(&d, &comments);
    let bytes = tokio::task::spawn_blocking(move || documents::official_docx(&doc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(kernel::page::attachment("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &format!("tiep-thu-giai-trinh-du-thao-{}.docx", d.id), bytes))
}
