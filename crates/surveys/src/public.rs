//! Public answering (trả lời khảo sát, no account): `/khao-sat/{token}`. The page is small and
//! works without JavaScript on a 360 px phone; a few lines of script (served from this site,
//! `static/khao-sat.js`) keep answers in the browser until they are sent, hide questions whose
//! condition is not met, and solve the proof-of-work challenge when the survey asks for one.
//! Abuse limits hold without personal data: per address and per device (a random cookie), both
//! stored only as keyed hashes, and optionally one answer per device.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use kernel::error::{AppError, AppResult};
use kernel::page::{Layout, ReqMeta, today};
use kernel::state::AppState;

use crate::msg;
use crate::pages::{Ask, Choice, Errors, asks, read_submission, refusal_errors};
use crate::service::{self, Channel, Refusal};
use crate::store::{self, Survey};

/// The device cookie: a random value, sent only to the survey pages.
pub const DEVICE_COOKIE: &str = "pbgdpl_ks";

#[derive(Template)]
#[template(path = "surveys/public.html")]
struct PublicPage {
    l: Layout,
    s: Survey,
    token: String,
    asks: Vec<Ask>,
    communes: Vec<Choice>,
    contact: String,
    errors: Errors,
    /// Why the form is not shown (closed, not open yet), or a refusal to show above it.
    notice: Option<&'static str>,
    open: bool,
    challenge: String,
}

#[derive(Template)]
#[template(path = "surveys/thanks.html")]
struct ThanksPage {
    l: Layout,
    title: String,
    token: String,
}

/// The CSRF token of the page: the session's when someone is signed in (the guard then expects
/// it), else the signed pre-login cookie's, as on the sign-in page.
async fn csrf(state: &AppState, jar: CookieJar) -> AppResult<(CookieJar, String)> {
    if let Some(user) = kernel::auth::user_from_jar(state, &jar).await? {
        return Ok((jar, user.csrf));
    }
    Ok(kernel::auth::anon_csrf(jar, state.config.cookies_secure(), state.csrf_key().await?))
}

/// The device cookie's value, set when missing.
fn device(jar: CookieJar, secure: bool) -> (CookieJar, String) {
    if let Some(c) = jar.get(DEVICE_COOKIE)
        && c.value().len() == 64
        && c.value().bytes().all(|b| b.is_ascii_hexdigit())
    {
        let v = c.value().to_string();
        return (jar, v);
    }
    let v = kernel::db::new_token();
    let cookie = Cookie::build((DEVICE_COOKIE, v.clone()))
        .path("/khao-sat")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(400))
        .build();
    (jar.add(cookie), v)
}

/// The survey of a public token; drafts (never published) are not public.
async fn public_survey(state: &AppState, token: &str) -> AppResult<Survey> {
    if token.len() > 64 {
        return Err(AppError::NotFound);
    }
    match store::by_token(&state.db, token).await? {
        Some(s) if s.status != "draft" => Ok(s),
        _ => Err(AppError::NotFound),
    }
}

async fn commune_choices(state: &AppState, s: &Survey, picked: &str) -> AppResult<Vec<Choice>> {
    let mut out: Vec<Choice> = service::communes_for(&state.db, s)
        .await?
        .into_iter()
        .map(|u| Choice { checked: u.id.to_string() == picked, value: u.id.to_string(), label: u.name })
        .collect();
    if !out.is_empty() {
        out.insert(0, Choice { value: String::new(), label: "(chọn xã, phường)".into(), checked: picked.is_empty() });
    }
    Ok(out)
}

/// `GET /khao-sat/{token}`.
pub async fn page(State(state): State<AppState>, jar: CookieJar, Path(token): Path<String>) -> AppResult<Response> {
    let s = public_survey(&state, &token).await?;
    let (jar, csrf) = csrf(&state, jar).await?;
    let (jar, _) = device(jar, state.config.cookies_secure());
    let notice = service::accepting(&s, today()).err();
    let def = store::questions(&state.db, s.id).await?;
    let key = state.csrf_key().await?;
    let page = PublicPage {
        l: Layout::anonymous(s.title.clone(), csrf),
        token,
        asks: if notice.is_none() { asks(&def, &Default::default(), &BTreeMap::new()) } else { Vec::new() },
        communes: commune_choices(&state, &s, "").await?,
        contact: String::new(),
        errors: Errors::default(),
        open: notice.is_none(),
        notice,
        challenge: if s.pow { service::issue_challenge(key, s.id, state.config.surveys.challenge_minutes) } else { String::new() },
        s,
    };
    Ok((jar, kernel::page::render(&page)?).into_response())
}

/// `POST /khao-sat/{token}`: one response. Refused (nothing stored) after the survey closed,
/// over a limit, a second time from a device where the survey allows one answer per device, or
/// without a solved challenge where one is required; invalid answers come back as typed.
pub async fn submit(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta, Path(token): Path<String>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let s = public_survey(&state, &token).await?;
    let (jar, csrf) = csrf(&state, jar).await?;
    let (jar, device_cookie) = device(jar, state.config.cookies_secure());
    let key = state.csrf_key().await?.to_vec();
    let def = store::questions(&state.db, s.id).await?;
    let sub = read_submission(&pairs);
    let field = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("");
    let mut result = Ok(0);
    let mut pow_nonce = None;
    if service::accepting(&s, today()).is_ok() && s.pow {
        match service::check_challenge(&state.db, &key, s.id, field("pow_challenge"), field("pow_counter")).await {
            Ok(n) => pow_nonce = Some(n),
            Err(r) => result = Err(r),
        }
    }
    if result.is_ok() {
        let channel = Channel::Online { ip_bucket: service::ip_bucket(&key, &meta.ip), device_hash: Some(service::device_hash(&key, &device_cookie)), pow_nonce, limits: &state.config.surveys };
        result = service::submit(&state.db, &s, &def, &sub, channel, today()).await;
    }
    let (status, notice, errors) = match result {
        Ok(_) => return Ok((jar, Redirect::to(&format!("/khao-sat/{token}/cam-on"))).into_response()),
        Err(Refusal::Closed(m)) => (StatusCode::GONE, m, Errors::default()),
        Err(Refusal::Limited) => (StatusCode::TOO_MANY_REQUESTS, msg::RATE_LIMITED, Errors::default()),
        Err(Refusal::DeviceAnswered) => (StatusCode::CONFLICT, msg::ALREADY_ANSWERED, Errors::default()),
        Err(Refusal::Pow(m)) => (StatusCode::UNPROCESSABLE_ENTITY, m, Errors::default()),
        Err(Refusal::Invalid { questions, commune, contact }) => (StatusCode::UNPROCESSABLE_ENTITY, msg::FORM_HAS_ERRORS, refusal_errors(&questions, commune, contact)),
        Err(Refusal::Failed(e)) => return Err(e),
    };
    let open = status != StatusCode::GONE && status != StatusCode::CONFLICT;
    let by_key: BTreeMap<String, String> = errors.0.iter().filter_map(|(k, v)| Some((k.strip_prefix("a_")?.to_string(), v.join(" ")))).collect();
    let page = PublicPage {
        l: Layout::anonymous(s.title.clone(), csrf),
        asks: if open { asks(&def, &sub.raw, &by_key) } else { Vec::new() },
        communes: commune_choices(&state, &s, sub.commune.trim()).await?,
        contact: sub.contact.clone(),
        errors,
        open,
        notice: Some(notice),
        challenge: if s.pow && open { service::issue_challenge(&key, s.id, state.config.surveys.challenge_minutes) } else { String::new() },
        token,
        s,
    };
    Ok((status, jar, kernel::page::render(&page)?).into_response())
}

/// `GET /khao-sat/{token}/cam-on`: the thanks page (the script clears the saved answers).
pub async fn thanks(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    let s = public_survey(&state, &token).await?;
    kernel::page::render(&ThanksPage { l: Layout::anonymous(s.title.clone(), String::new()), title: s.title, token })
}

const SCRIPT: &str = include_str!("../static/khao-sat.js");

/// `GET /static/khao-sat.js`.
pub async fn script() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (axum::http::header::CACHE_CONTROL, "public, max-age=3600")], SCRIPT).into_response()
}
