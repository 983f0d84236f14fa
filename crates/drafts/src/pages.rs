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

/// `POST /du-thao-quan-ly/moi`: stores the draft (not public yet) split into its parts. The
/// form is multipart when it carries the original file (DOCX or PDF, field `file`): the file is
/// kept, and its text fills an empty text field; a plain form is accepted too.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, req: axum::extract::Request) -> AppResult<Response> {
    use axum::extract::FromRequest;
    user.require(Action::ManageDrafts)?;
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let mut errors = FieldErrors::default();
    let (pairs, upload): (Vec<(String, String)>, Option<kernel::page::Upload>) = if multipart {
        let read = match axum::extract::Multipart::from_request(req, &state).await {
            Ok(mp) => kernel::page::read_upload(mp, state.config.limits.upload_bytes).await,
            Err(_) => Err(kernel::msg::FORM_UNREADABLE),
        };
        match read {
            Ok(mut up) => (std::mem::take(&mut up.fields).into_iter().collect(), Some(up)),
            Err(m) => {
                errors.add("file", m);
                (Vec::new(), None)
            }
        }
    } else {
        match Form::<Vec<(String, String)>>::from_request(req, &state).await {
            Ok(Form(pairs)) => (pairs, None),
            Err(_) => {
                errors.add("text", kernel::msg::FORM_UNREADABLE);
                (Vec::new(), None)
            }
        }
    };
    let mut f = DraftForm {
        title: field(&pairs, "title").into(),
        drafting_body: field(&pairs, "drafting_body").into(),
        summary: field(&pairs, "summary").into(),
        opens: field(&pairs, "opens").into(),
        closes: field(&pairs, "closes").into(),
        text: field(&pairs, "text").into(),
    };
    let mut original: Option<(String, &'static str, Vec<u8>)> = None;
    if let Some(up) = upload.filter(|u| u.too_large || !u.bytes.is_empty()) {
        match documents::sniff::check_evidence(&up.file_name, &up.bytes) {
            _ if up.too_large => errors.add("file", kernel::msg::FILE_TOO_LARGE),
            Ok(ct) if DRAFT_TYPES.contains(&ct) => original = Some((up.file_name, ct, up.bytes)),
            Ok(_) => errors.add("file", msg::FILE_TYPE),
            Err(e) => errors.add("file", e.message()),
        }
    }
    let mut read_from_file = false;
    if let Some((name, _, bytes)) = &original
        && f.text.trim().is_empty()
        && errors.is_empty()
    {
        // Reading a file is heavy work on untrusted bytes: counted per account across instances.
        if !kernel::heavy::allow_upload(&state.db, user.account.id, "draft_text", state.config.limits.imports_per_minute).await? {
            errors.add("file", kernel::msg::IMPORTS_TOO_FREQUENT);
        } else {
            let (name, bytes) = (name.clone(), bytes.clone());
            match state.heavy.run(move || documents::plain_text(&name, &bytes)).await {
                Ok(Some(text)) => {
                    f.text = text;
                    read_from_file = true;
                }
                Ok(None) => errors.add("file", msg::FILE_NO_TEXT),
                Err(e) => errors.add("file", e.message()),
            }
        }
    }
    let result = if errors.is_empty() {
        let orig = original.as_ref().map(|(n, ct, b)| (n.as_str(), *ct, b.as_slice()));
        service::create(&state.db, &user.principal(), &meta.actor(&user), &f, orig).await?
    } else {
        Err(FieldErrors::default())
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/du-thao-quan-ly/{id}?tb=created")).into_response()),
        Err(more) => {
            for (field, messages) in more.0 {
                errors.0.entry(field).or_default().extend(messages);
            }
            if read_from_file && !errors.has("file") {
                errors.add("file", msg::FILE_CHOOSE_AGAIN);
            }
            render_invalid(&NewPage { l: layout(&user, msg::TITLE_NEW, None), f, errors })
        }
    }
}

/// The content types a draft's original may have.
const DRAFT_TYPES: [&str; 2] = ["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"];

/// `GET /du-thao-quan-ly/{id}/tep`: the original file of a draft in scope (published or not).
pub async fn original(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let d = service::visible(&state.db, &user.principal(), id_of(&id)?).await?;
    file_response(&state, d.file_id.ok_or(AppError::NotFound)?).await
}

/// A stored original as a download.
pub(crate) async fn file_response(state: &AppState, file_id: i64) -> AppResult<Response> {
    let meta = kernel::db::files::meta(&state.db, file_id).await?;
    let data = kernel::db::files::data(&state.db, file_id).await?;
    let ct = DRAFT_TYPES.into_iter().find(|t| *t == meta.content_type).unwrap_or("application/octet-stream");
    Ok(kernel::page::attachment(ct, &meta.name, data))
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
    /// How it arrived, when not on the site ("" for the site).
    pub channel: &'static str,
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
    /// The form for a comment received outside the site, as typed.
    entry: service::EnteredComment,
    /// The parts a comment may be on (the whole draft first).
    choices: Vec<(String, String)>,
    channels: Vec<(&'static str, &'static str)>,
}

async fn show_page(state: &AppState, user: &CurrentUser, d: Draft, tb: Option<&str>, typed: Option<&[(i64, String)]>, errors: FieldErrors, notice: Option<&'static str>) -> AppResult<ShowPage> {
    let day = today();
    let counts = store::comment_counts(&state.db, d.id).await?;
    let count = |id: Option<i64>| counts.iter().find(|(p, _)| *p == id).map_or(0, |(_, n)| *n);
    let rows = store::parts(&state.db, d.id).await?;
    let mut choices = vec![(String::new(), msg::WHOLE_DRAFT.to_string())];
    choices.extend(rows.iter().map(|p| (p.id.to_string(), if p.heading.is_empty() { p.label.clone() } else { format!("{}. {}", p.label, p.heading) })));
    let parts = rows
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
            channel: crate::rules::Channel::parse(&c.channel).filter(|ch| *ch != crate::rules::Channel::Web).map_or("", msg::channel_label),
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
        entry: service::EnteredComment {
            comment: service::CommentForm { kind: "organisation".into(), ..service::CommentForm::default() },
            channel: String::new(),
            received: text_vi::format_date(day),
        },
        choices,
        channels: crate::rules::Channel::ENTERED.iter().map(|c| (c.code(), msg::channel_label(*c))).collect(),
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

/// `POST /du-thao-quan-ly/{id}/gop-y`: a comment received on paper, by e-mail or at a meeting,
/// entered by an officer; errors show the page again with everything typed.
pub async fn enter_comment(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<String>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageDrafts)?;
    let d = service::visible(&state.db, &user.principal(), id_of(&id)?).await?;
    let typed = service::EnteredComment {
        comment: service::CommentForm {
            part: field(&pairs, "part").into(),
            kind: field(&pairs, "kind").into(),
            name: field(&pairs, "name").into(),
            email: field(&pairs, "email").into(),
            body: field(&pairs, "body").into(),
        },
        channel: field(&pairs, "channel").into(),
        received: field(&pairs, "received").into(),
    };
    match service::enter_comment(&state.db, &meta.actor(&user), &user.principal(), &d, &typed, today()).await? {
        Ok(_) => Ok(Redirect::to(&format!("/du-thao-quan-ly/{}?tb=entered#gop-y", d.id)).into_response()),
        Err(errors) => {
            // A draft not (or no longer) taking comments: a notice, not a field error.
            let (status, errors, notice) =
                if d.status == "published" { (StatusCode::UNPROCESSABLE_ENTITY, errors, None) } else { (StatusCode::CONFLICT, FieldErrors::default(), Some(msg::ENTER_NOT_PUBLISHED)) };
            let mut page = show_page(&state, &user, d, None, None, errors, notice).await?;
            page.entry = typed;
            let mut page = render_invalid(&page)?;
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
