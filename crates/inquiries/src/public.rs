//! The public pages (no account, server-rendered, usable without script at 360 px):
//! `/hoi-dap` the published answers (pages of 10, a topic filter, a search with or without
//! diacritics), `/hoi-dap/{id}` one answer with the bookshelf documents it cites,
//! `/hoi-dap/gui` the form to ask or send feedback, `/hoi-dap/tra-cuu` the tracking page, and
//! `/hoi-dap/doi-thoai/{id}` a policy dialogue. No page ever shows a sender's contact details or
//! the original text of a question: only the officer's public version. Lists and answers carry a
//! weak ETag and a short public `Cache-Control`, as the portal's pages do.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, PublicHead, ReqMeta, today};
use kernel::registry::LegalDocRef;
use kernel::state::AppState;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::msg;
use crate::rules::{Kind, Status};
use crate::service::{self, AskForm, ChallengeAnswer, Refusal, Submission};
use crate::store::{self, Dialogue, PublicFilter, PublicItem};

/// Answers per page of the public list.
pub const PAGE_SIZE: i64 = 10;
/// How long a browser or proxy may reuse a public list or answer without asking (seconds).
pub const CACHE_CONTROL: &str = "public, max-age=60";
/// The portal's stylesheet for public pages (served by `portal`; harmless when absent).
const PORTAL_STYLES: &str = "/static/cong-thong-tin.css";

/// A body answered with its weak ETag, or 304 when the client has it.
fn cached(headers: &HeaderMap, body: String) -> Response {
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("W/\"{}\"", hex::encode(&digest[..12]));
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == bare(&etag));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), (header::CACHE_CONTROL, CACHE_CONTROL.to_string())]).into_response();
    }
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()), (header::ETAG, etag), (header::CACHE_CONTROL, CACHE_CONTROL.to_string())], body).into_response()
}

/// Pages with a form (a CSRF token) are never stored by shared caches.
fn private_page(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "private, no-store")], body).into_response()
}

fn head(state: &AppState, title: String, description: String, path: &str) -> PublicHead {
    PublicHead {
        title,
        description,
        canonical: format!("{}{path}", state.config.base_url.trim_end_matches('/')),
        og_type: "website",
        site_name: msg::SITE_NAME.into(),
        nav: state.registry.public_links.iter().map(|(h, l)| (h.to_string(), l.to_string())).collect(),
        active: "/hoi-dap".into(),
        styles: vec![PORTAL_STYLES],
        feed: None,
        image: String::new(),
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// An option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One answer in a list.
pub struct Item {
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub topic: String,
    pub date: String,
    pub excerpt: String,
}

/// The paragraphs of a typed text (split on blank lines and line breaks).
pub fn paragraphs(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn excerpt(s: &str, n: usize) -> String {
    let t: String = s.chars().take(n).collect();
    if s.chars().count() > n { format!("{}…", t.trim_end()) } else { t }
}

fn item(p: &PublicItem) -> Item {
    Item {
        href: format!("/hoi-dap/{}", p.id),
        title: p.public_title.clone(),
        kind: Kind::parse(&p.kind).map(msg::kind_label).unwrap_or(""),
        topic: p.topic_name.clone().unwrap_or_default(),
        date: text_vi::format_date((p.published_at + chrono::Duration::hours(7)).date_naive()),
        excerpt: excerpt(&p.answer, 220),
    }
}

/// `?linh-vuc=`, `?q=`, `?trang=`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(rename = "linh-vuc", default)]
    pub topic: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub trang: String,
}

/// A dialogue as lists show it.
pub struct DialogueItem {
    pub id: i64,
    pub href: String,
    pub topic: String,
    pub when: String,
    pub place: String,
    pub unit: String,
    pub upcoming: bool,
}

fn dialogue_item(d: &Dialogue) -> DialogueItem {
    DialogueItem {
        id: d.id,
        href: format!("/hoi-dap/doi-thoai/{}", d.id),
        topic: d.topic.clone(),
        when: text_vi::format_date(d.held_on),
        place: d.place.clone(),
        unit: d.unit_name.clone(),
        upcoming: d.held_on >= today(),
    }
}

#[derive(Template)]
#[template(path = "inquiries/public_list.html")]
struct ListPage {
    head: PublicHead,
    h1: String,
    q: String,
    topics: Vec<Choice>,
    items: Vec<Item>,
    total: String,
    prev: Option<String>,
    next: Option<String>,
    page: i64,
    pages: i64,
    dialogues: Vec<DialogueItem>,
}

/// `GET /hoi-dap`: the published answers, newest first.
pub async fn index(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let db = &state.db;
    let topics = store::topics(db).await?;
    let topic = q.topic.trim();
    if !topic.is_empty() && !topics.iter().any(|(c, _)| c == topic) {
        return Err(AppError::NotFound);
    }
    let query = kernel::page::clean(&q.q);
    let query: String = query.chars().take(200).collect();
    let folded = text_vi::fold(&query);
    let filter = PublicFilter { topic: topic.to_string(), pattern: if folded.is_empty() { String::new() } else { kernel::like_contains(&folded) }, dialogue_id: None };
    let total = store::public_count(db, &filter).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = q.trang.trim().parse::<i64>().ok().filter(|n| (1..=10_000).contains(n)).unwrap_or(1);
    if page > pages {
        return Err(AppError::NotFound);
    }
    let rows = store::public_list(db, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let link = |n: i64| {
        let mut parts = Vec::new();
        if !topic.is_empty() {
            parts.push(format!("linh-vuc={}", enc(topic)));
        }
        if !query.is_empty() {
            parts.push(format!("q={}", enc(&query)));
        }
        if n > 1 {
            parts.push(format!("trang={n}"));
        }
        if parts.is_empty() { "/hoi-dap".to_string() } else { format!("/hoi-dap?{}", parts.join("&")) }
    };
    let mut choices = vec![Choice { value: String::new(), label: msg::ALL.into(), selected: topic.is_empty() }];
    choices.extend(topics.iter().map(|(c, n)| Choice { value: c.clone(), label: n.clone(), selected: c == topic }));
    let day = today();
    let dialogues = store::dialogues(db, "%", 20).await?.iter().filter(|d| d.held_on >= day - chrono::Duration::days(90)).map(dialogue_item).take(5).collect();
    let title = msg::page_title(msg::TITLE_PUBLIC, page);
    let p = ListPage {
        head: head(&state, title.clone(), msg::DESCRIPTION_PUBLIC.into(), &link(page)),
        h1: title,
        q: query.clone(),
        topics: choices,
        items: rows.iter().map(item).collect(),
        total: text_vi::format_int(total),
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        page,
        pages,
        dialogues,
    };
    Ok(cached(&headers, p.render()?))
}

#[derive(Template)]
#[template(path = "inquiries/public_item.html")]
struct ItemPage {
    head: PublicHead,
    i: PublicItem,
    question: Vec<String>,
    answer: Vec<String>,
    kind: &'static str,
    date: String,
    documents: Vec<LegalDocRef>,
    dialogue: Option<DialogueItem>,
}

/// `GET /hoi-dap/{id}`: a published answer; anything else is 404.
pub async fn show(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> AppResult<Response> {
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let i = store::public_get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let documents = service::cited(&state.db, state.registry.legal_doc_refs, i.id).await?;
    let dialogue = match i.dialogue_id {
        Some(d) => store::dialogue(&state.db, d).await?.as_ref().map(dialogue_item),
        None => None,
    };
    let p = ItemPage {
        head: head(&state, i.public_title.clone(), excerpt(&i.public_body, 200), &format!("/hoi-dap/{}", i.id)),
        kind: Kind::parse(&i.kind).map(msg::kind_label).unwrap_or(""),
        date: text_vi::format_date((i.published_at + chrono::Duration::hours(7)).date_naive()),
        documents,
        dialogue,
        question: paragraphs(&i.public_body),
        answer: paragraphs(&i.answer),
        i,
    };
    Ok(cached(&headers, p.render()?))
}

#[derive(Template)]
#[template(path = "inquiries/ask.html")]
struct AskPage {
    head: PublicHead,
    csrf: String,
    f: AskForm,
    errors: FieldErrors,
    notice: Option<&'static str>,
    kinds: Vec<Choice>,
    topics: Vec<Choice>,
    communes: Vec<Choice>,
    dialogue: Option<DialogueItem>,
    challenge: service::Challenge,
    bits: u32,
    /// What the script shows while it works (`data-working`).
    working: &'static str,
}

/// `?doi-thoai=` (a dialogue collecting questions) and `?loai=` (the kind).
#[derive(Debug, Default, Deserialize)]
pub struct AskQuery {
    #[serde(rename = "doi-thoai", default)]
    pub dialogue: String,
    #[serde(default)]
    pub loai: String,
}

async fn ask_page(state: &AppState, csrf: String, f: AskForm, errors: FieldErrors, notice: Option<&'static str>) -> AppResult<AskPage> {
    let db = &state.db;
    let day = today();
    let key = state.csrf_key().await?.to_vec();
    let kinds = Kind::ALL.iter().map(|k| Choice { value: k.as_str().into(), label: msg::kind_label(*k).into(), selected: f.kind == k.as_str() }).collect();
    let mut topics = vec![Choice { value: String::new(), label: msg::PICK_COMMUNE.into(), selected: f.topic.is_empty() }];
    topics.extend(store::topics(db).await?.into_iter().map(|(c, n)| Choice { selected: f.topic == c, value: c, label: n }));
    let mut communes = vec![Choice { value: String::new(), label: msg::PICK_COMMUNE.into(), selected: f.commune.is_empty() }];
    communes.extend(service::communes(db, day).await?.into_iter().map(|c| Choice { selected: f.commune == c.id.to_string(), value: c.id.to_string(), label: c.name }));
    let dialogue = match f.dialogue.trim().parse::<i64>().ok() {
        Some(id) => store::dialogue(db, id).await?.filter(|d| d.held_on >= day).as_ref().map(dialogue_item),
        None => None,
    };
    Ok(AskPage {
        head: head(state, msg::TITLE_ASK.into(), msg::DESCRIPTION_PUBLIC.into(), "/hoi-dap/gui"),
        csrf,
        errors,
        notice,
        kinds,
        topics,
        communes,
        dialogue,
        challenge: service::issue_challenge(&key, service::now()),
        bits: crate::rules::pow::BITS,
        working: msg::POW_WORKING,
        f,
    })
}

/// `GET /hoi-dap/gui`: the form.
pub async fn ask(State(state): State<AppState>, jar: CookieJar, Query(q): Query<AskQuery>) -> AppResult<Response> {
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let kind = if Kind::parse(q.loai.trim()).is_some() { q.loai.trim().to_string() } else { Kind::Question.as_str().to_string() };
    let f = AskForm { kind, dialogue: q.dialogue.trim().chars().take(12).collect(), ..AskForm::default() };
    let p = ask_page(&state, csrf, f, FieldErrors::default(), None).await?;
    Ok((jar, private_page(p.render()?)).into_response())
}

/// `POST /hoi-dap/gui`: stores the item and sends the citizen to its tracking page with the code;
/// a refusal shows the form again with everything typed and a fresh challenge.
pub async fn submit(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let f = AskForm::read(&pairs);
    let field = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("");
    let key = state.csrf_key().await?.to_vec();
    let actor = meta.anonymous(None);
    let sub = Submission {
        form: &f,
        challenge: ChallengeAnswer { token: field("challenge_token"), counter: field("pow_counter"), text: field("challenge") },
        actor: &actor,
        ip: &meta.ip,
    };
    let (status, errors, notice) = match service::submit(&state.db, &key, &state.config.base_url, &sub, today()).await {
        Ok(code) => return Ok((jar, Redirect::to(&format!("/hoi-dap/tra-cuu?ma={code}&moi=1"))).into_response()),
        Err(Refusal::Limited) => (StatusCode::TOO_MANY_REQUESTS, FieldErrors::default(), Some(msg::RATE_LIMITED)),
        Err(Refusal::Invalid(e)) => (StatusCode::UNPROCESSABLE_ENTITY, e, None),
        Err(Refusal::Failed(e)) => return Err(e),
    };
    let p = ask_page(&state, csrf, f, errors, notice).await?;
    let mut r = private_page(p.render()?);
    *r.status_mut() = status;
    Ok((jar, r).into_response())
}

#[derive(Template)]
#[template(path = "inquiries/track.html")]
struct TrackPage {
    head: PublicHead,
    code: String,
    error: Option<&'static str>,
    fresh: bool,
    found: Option<Tracked>,
}

/// What the tracking page shows of an item: never the contact details.
pub struct Tracked {
    pub code: String,
    pub kind: &'static str,
    pub title: String,
    pub status: &'static str,
    pub received: String,
    pub routed_to: Option<String>,
    pub due: Option<String>,
    /// The answer, once published or answered privately.
    pub answer: Option<Vec<String>>,
    pub public_href: Option<String>,
    pub documents: Vec<LegalDocRef>,
}

/// `?ma=` (the code) and `?moi=1` (just sent).
#[derive(Debug, Default, Deserialize)]
pub struct TrackQuery {
    #[serde(default)]
    pub ma: String,
    #[serde(default)]
    pub moi: String,
}

/// `GET /hoi-dap/tra-cuu`: the status of an item by its tracking code and, once answered, the
/// answer. The page is private to whoever holds the code (`no-store`).
pub async fn track(State(state): State<AppState>, Query(q): Query<TrackQuery>) -> AppResult<Response> {
    let typed = kernel::page::clean(&q.ma);
    let mut error = None;
    let mut found = None;
    if !typed.is_empty() {
        match crate::rules::code::normalise(&typed) {
            None => error = Some(msg::CODE_FORMAT),
            Some(code) => match store::by_code(&state.db, &code).await? {
                None => error = Some(msg::CODE_NOT_FOUND),
                Some(i) => {
                    let st = Status::parse(&i.status).unwrap_or(Status::Received);
                    let answered = matches!(st, Status::Published | Status::Closed);
                    found = Some(Tracked {
                        code: i.code.clone(),
                        kind: Kind::parse(&i.kind).map(msg::kind_label).unwrap_or(""),
                        title: i.title.clone(),
                        status: msg::status_label(st),
                        received: text_vi::format_date((i.received_at + chrono::Duration::hours(7)).date_naive()),
                        routed_to: i.assigned_name.clone(),
                        due: i.due_on.filter(|_| st.is_open()).map(text_vi::format_date),
                        answer: answered.then(|| paragraphs(&i.answer)),
                        public_href: (st == Status::Published).then(|| format!("/hoi-dap/{}", i.id)),
                        documents: if answered { service::cited(&state.db, state.registry.legal_doc_refs, i.id).await? } else { Vec::new() },
                    });
                }
            },
        }
    }
    let p = TrackPage { head: head(&state, msg::TITLE_TRACK.into(), msg::DESCRIPTION_PUBLIC.into(), "/hoi-dap/tra-cuu"), code: typed, error, fresh: q.moi == "1" && found.is_some(), found };
    let mut r = private_page(p.render()?);
    r.headers_mut().insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    Ok(r)
}

#[derive(Template)]
#[template(path = "inquiries/dialogue.html")]
struct DialoguePage {
    head: PublicHead,
    d: DialogueItem,
    description: Vec<String>,
    items: Vec<Item>,
}

/// `GET /hoi-dap/doi-thoai/{id}`: a policy dialogue: before it, the link to send questions;
/// afterwards, the answers published for it.
pub async fn dialogue(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> AppResult<Response> {
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let d = store::dialogue(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let filter = PublicFilter { dialogue_id: Some(d.id), ..PublicFilter::default() };
    let items = store::public_list(&state.db, &filter, 100, 0).await?.iter().map(item).collect();
    let title = msg::dialogue_title(&d.topic);
    let p = DialoguePage { head: head(&state, title, d.description.clone(), &format!("/hoi-dap/doi-thoai/{}", d.id)), d: dialogue_item(&d), description: paragraphs(&d.description), items };
    Ok(cached(&headers, p.render()?))
}

const SCRIPT: &str = include_str!("../static/hoi-dap.js");

/// `GET /static/hoi-dap.js`: solves the proof of work in the browser.
pub async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], SCRIPT).into_response()
}
