//! The public pages (no account, server-rendered, usable without script at 360 px): `/du-thao`
//! the drafts put out for comment, `/du-thao/{id}` a draft article by article with the comment
//! form while the period runs and, once published, the reception and explanation table.
//! Nothing public ever shows a person's name or any e-mail address.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, today};
use kernel::state::AppState;
use serde::Deserialize;

use crate::msg;
use crate::rules::Phase;
use crate::service::{self, CommentForm, Refusal};
use crate::store::{self, Draft};

/// Pages with a form carry a CSRF token: never stored by shared caches.
fn private_page(body: String, status: StatusCode) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "private, no-store")], body).into_response()
}

pub struct Item {
    pub href: String,
    pub title: String,
    pub unit: String,
    pub period: String,
    pub status: &'static str,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "drafts/public_index.html")]
struct IndexPage {
    l: Layout,
    items: Vec<Item>,
}

/// `GET /du-thao`.
pub async fn index(State(state): State<AppState>) -> AppResult<Response> {
    let day = today();
    let items = store::public_drafts(&state.db, day)
        .await?
        .into_iter()
        .map(|d| Item {
            href: format!("/du-thao/{}", d.id),
            status: crate::pages::status_label(&d, day),
            open: d.status == "published" && service::phase_of(&d, day) == Phase::Open,
            period: format!("{} – {}", text_vi::format_date(d.opens_on), text_vi::format_date(d.closes_on)),
            unit: d.unit_name.clone(),
            title: d.title,
        })
        .collect();
    kernel::page::render(&IndexPage { l: Layout::anonymous(msg::TITLE_PUBLIC, String::new()), items })
}

pub struct PartView {
    pub id: i64,
    pub level: i64,
    pub label: String,
    pub heading: String,
    pub lines: Vec<String>,
    pub comments: i64,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A line of the published reception and explanation table.
pub struct Reported {
    pub part: String,
    pub author: String,
    pub body: String,
    pub response: String,
}

#[derive(Template)]
#[template(path = "drafts/public_show.html")]
struct ShowPage {
    l: Layout,
    d: Draft,
    status: &'static str,
    period: String,
    summary: Vec<String>,
    parts: Vec<PartView>,
    whole: i64,
    open: bool,
    choices: Vec<Choice>,
    f: CommentForm,
    errors: FieldErrors,
    notice: Option<&'static str>,
    reported: Option<Vec<Reported>>,
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

async fn public_draft(state: &AppState, id: &str) -> AppResult<Draft> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    match store::draft(&state.db, id).await {
        Ok(d) if d.is_public() => Ok(d),
        Ok(_) | Err(kernel::DbError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

async fn show_page(state: &AppState, csrf: String, d: Draft, f: CommentForm, errors: FieldErrors, notice: Option<&'static str>, tb: Option<&str>) -> AppResult<ShowPage> {
    let day = today();
    let counts = store::comment_counts(&state.db, d.id).await?;
    let count = |id: Option<i64>| counts.iter().find(|(p, _)| *p == id).map_or(0, |(_, n)| *n);
    let rows = store::parts(&state.db, d.id).await?;
    let mut choices = vec![Choice { value: String::new(), label: msg::WHOLE_DRAFT.into(), selected: f.part.is_empty() }];
    choices.extend(rows.iter().map(|p| Choice {
        value: p.id.to_string(),
        label: if p.heading.is_empty() { p.label.clone() } else { format!("{}. {}", p.label, p.heading) },
        selected: f.part == p.id.to_string(),
    }));
    let parts = rows.into_iter().map(|p| PartView { id: p.id, comments: count(Some(p.id)), level: p.level, lines: lines(&p.body), label: p.label, heading: p.heading }).collect();
    let reported = if d.status == "reported" {
        Some(
            store::comments(&state.db, d.id)
                .await?
                .into_iter()
                .map(|c| Reported { author: service::public_author(&c), part: c.part_label.unwrap_or_else(|| msg::WHOLE_DRAFT.into()), body: c.body, response: c.response })
                .collect(),
        )
    } else {
        None
    };
    Ok(ShowPage {
        l: Layout::anonymous(d.title.clone(), csrf).with_flash_from(tb, msg::flash),
        status: crate::pages::status_label(&d, day),
        period: format!("{} – {}", text_vi::format_date(d.opens_on), text_vi::format_date(d.closes_on)),
        summary: lines(&d.summary),
        open: d.status == "published" && service::phase_of(&d, day) == Phase::Open,
        whole: count(None),
        parts,
        choices,
        f,
        errors,
        notice,
        reported,
        d,
    })
}

/// `GET /du-thao/{id}/tep`: the original file of a public draft.
pub async fn original(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let d = public_draft(&state, &id).await?;
    crate::pages::file_response(&state, d.file_id.ok_or(AppError::NotFound)?).await
}

/// `?dieu=` (a part picked from its "góp ý" link) and `?tb=`.
#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    pub dieu: String,
    #[serde(default)]
    pub tb: Option<String>,
}

/// `GET /du-thao/{id}`.
pub async fn show(State(state): State<AppState>, jar: CookieJar, Path(id): Path<String>, Query(q): Query<ShowQuery>) -> AppResult<Response> {
    let d = public_draft(&state, &id).await?;
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let f = CommentForm { part: q.dieu.trim().chars().filter(char::is_ascii_digit).take(12).collect(), kind: "person".into(), ..CommentForm::default() };
    let page = show_page(&state, csrf, d, f, FieldErrors::default(), None, q.tb.as_deref()).await?;
    Ok((jar, private_page(page.render()?, StatusCode::OK)).into_response())
}

/// `POST /du-thao/{id}/gop-y`: takes a comment; a refusal shows the page again with everything
/// typed.
pub async fn comment(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta, Path(id): Path<String>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let d = public_draft(&state, &id).await?;
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let field = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let f = CommentForm { part: field("part"), kind: field("kind"), name: field("name"), email: field("email"), body: field("body") };
    let key = state.csrf_key().await?.to_vec();
    let (status, errors, notice) = match service::comment(&state.db, &key, &meta.anonymous(None), &meta.ip, &d, &f, today()).await? {
        Ok(_) => return Ok((jar, Redirect::to(&format!("/du-thao/{}?tb=thanks#gop-y", d.id))).into_response()),
        Err(Refusal::Invalid(e)) => (StatusCode::UNPROCESSABLE_ENTITY, e, None),
        Err(Refusal::Closed) => (StatusCode::CONFLICT, FieldErrors::default(), Some(msg::NOT_OPEN)),
        Err(Refusal::Limited) => (StatusCode::TOO_MANY_REQUESTS, FieldErrors::default(), Some(msg::RATE_LIMITED)),
    };
    let page = show_page(&state, csrf, d, f, errors, notice, None).await?;
    Ok((jar, private_page(page.render()?, status)).into_response())
}
