//! The entrant's pages (no account, `/cuoc-thi`): the published contests; a contest's page with
//! its rules generated from the settings, the registration (one-time code through the outbox)
//! and, once verified, the rounds with their start buttons and past results; the attempt page
//! (one small form per question, saved as chosen, the server's timer; a few lines of script
//! autosave and count down); the submission and the result. The entrant's session is a random
//! cookie whose SHA-256 is a row of `contest_sessions`, so any instance serves it.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{DateTime, Datelike, Utc};
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, render, today};
use kernel::state::AppState;
use serde::Deserialize;

use super::{Opt, field, fmt_datetime, fmt_duration_ms};
use crate::msg;
use crate::rules::draw;
use crate::rules::policy;
use crate::rules::settings;
use crate::rules::timer::{self, Phase};
use crate::service::{self, Registered, Registration, StartRefusal};
use crate::store::{self, Contest, Entrant, Round};

/// The entrant's session cookie (sent only to the contest pages).
pub const ENTRANT_COOKIE: &str = "pbgdpl_ct";

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    pub tb: Option<String>,
    /// The commune search.
    #[serde(default)]
    pub xa: String,
}

fn session_cookie(secret: String, secure: bool) -> Cookie<'static> {
    Cookie::build((ENTRANT_COOKIE, secret))
        .path("/cuoc-thi")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::hours(service::SESSION_HOURS))
        .build()
}

/// The signed-in entrant of this contest: (secret, entrant, verified).
async fn who(state: &AppState, jar: &CookieJar, contest_id: i64) -> AppResult<Option<(String, Entrant, bool)>> {
    let Some(c) = jar.get(ENTRANT_COOKIE) else { return Ok(None) };
    let secret = c.value();
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some((entrant_id, verified)) = store::session(&state.db, &service::secret_hash(secret), kernel::now()).await? else { return Ok(None) };
    let e = store::entrant(&state.db, entrant_id).await?;
    if e.contest_id != contest_id {
        return Ok(None);
    }
    Ok(Some((secret.to_string(), e, verified)))
}

/// The verified entrant of this contest, or `NotFound`.
async fn verified(state: &AppState, jar: &CookieJar, contest_id: i64) -> AppResult<Entrant> {
    match who(state, jar, contest_id).await? {
        Some((_, e, true)) => Ok(e),
        _ => Err(AppError::NotFound),
    }
}

/// A published contest, else `NotFound`.
async fn public_contest(state: &AppState, id: i64) -> AppResult<Contest> {
    match store::contest(&state.db, id).await {
        Ok(c) if c.status == "published" => Ok(c),
        Ok(_) | Err(kernel::DbError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- list

pub struct ContestLink {
    pub href: String,
    pub title: String,
    pub unit: String,
}

#[derive(Template)]
#[template(path = "contests/public_index.html")]
struct IndexPage {
    l: Layout,
    items: Vec<ContestLink>,
}

/// `GET /cuoc-thi`.
pub async fn index(State(state): State<AppState>) -> AppResult<Response> {
    let items = store::published_contests(&state.db).await?.into_iter().map(|c| ContestLink { href: format!("/cuoc-thi/{}", c.id), title: c.title, unit: c.unit_name }).collect();
    render(&IndexPage { l: Layout::anonymous(msg::TITLE_PUBLIC, String::new()), items })
}

// ---------------------------------------------------------------- published winners

/// A prize winner as the public page shows them.
pub struct WinnerLine {
    pub position: usize,
    pub prize: String,
    pub name: String,
    pub commune: String,
    pub score: String,
    pub time: String,
}

/// A round whose winners were published.
pub struct RoundWinners {
    pub title: String,
    pub published: String,
    pub winners: Vec<WinnerLine>,
}

#[derive(Template)]
#[template(path = "contests/public_winners.html")]
struct WinnersPage {
    l: Layout,
    c: Contest,
    rounds: Vec<RoundWinners>,
    collective: Option<CollectiveWinners>,
}

/// The collective prizes in the words of the rules, with their bands (name, count, amount).
type CollectiveRules = (Vec<String>, Vec<(String, String, String)>);

/// The published collective prizes.
pub struct CollectiveWinners {
    pub published: String,
    pub rate_mode: bool,
    pub lines: Vec<CollectiveWinnerLine>,
}

pub struct CollectiveWinnerLine {
    pub position: usize,
    pub prize: String,
    pub unit: String,
    pub entrants: String,
    pub rate: String,
    pub winners: String,
    pub score: String,
}

/// `GET /cuoc-thi/{id}/giai-thuong`: the prize winners of each round whose results the organiser
/// published (name, commune, score and time; never a contact or a year of birth).
pub async fn winners(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let c = public_contest(&state, id).await?;
    let mut rounds = Vec::new();
    for r in store::rounds(&state.db, c.id).await?.into_iter().filter(Round::published) {
        if let Some((json, at)) = store::published_results(&state.db, r.id).await? {
            let winners = service::winners_of(&json)
                .into_iter()
                .map(|w| WinnerLine { position: w.position, prize: w.prize, name: w.name, commune: w.commune, score: format!("{}/{}", w.score, w.question_count), time: fmt_duration_ms(w.duration_ms) })
                .collect();
            rounds.push(RoundWinners { title: r.title, published: fmt_datetime(at), winners });
        }
    }
    // The collective prizes as published: units, their figures and prizes, never a person.
    let collective = store::collective_results(&state.db, c.id).await?.and_then(|(json, at)| {
        let published = service::collective_winners_of(&json)?;
        let rate_mode = published.mode == crate::rules::collective::CollectiveMode::RatePlusPoints;
        let lines = published
            .lines
            .into_iter()
            .map(|w| CollectiveWinnerLine {
                position: w.position,
                prize: w.prize,
                unit: w.unit,
                entrants: text_vi::format_int(w.entrants),
                rate: w.rate.map(|r| format!("{}%", crate::rules::collective::score_text(r))).unwrap_or_default(),
                winners: text_vi::format_int(w.winners),
                score: crate::rules::collective::score_text(w.score),
            })
            .collect();
        Some(CollectiveWinners { published: fmt_datetime(at), rate_mode, lines })
    });
    render(&WinnersPage { l: Layout::anonymous(msg::TITLE_WINNERS, String::new()), c, rounds, collective })
}

// ---------------------------------------------------------------- certificates

#[derive(Template)]
#[template(path = "contests/public_certificate.html")]
struct CertificatePage {
    l: Layout,
    code: String,
    found: Option<store::CertificateRow>,
    issued: String,
    /// The code was typed but is not one.
    error: Option<&'static str>,
}

/// `?ma=` (a code typed from a certificate).
#[derive(Debug, Default, Deserialize)]
pub struct CodeQuery {
    #[serde(default)]
    pub ma: String,
}

async fn certificate_page(state: &AppState, typed: &str) -> AppResult<(StatusCode, CertificatePage)> {
    let code = service::normalise_certificate_code(typed);
    let found = match &code {
        Some(c) => store::certificate(&state.db, c).await?,
        None => None,
    };
    let status = if typed.trim().is_empty() || found.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    let error = (!typed.trim().is_empty() && found.is_none()).then_some(msg::CERTIFICATE_NOT_FOUND);
    let issued = found.as_ref().map(|k| text_vi::format_date((k.issued_at + chrono::Duration::hours(7)).date_naive())).unwrap_or_default();
    let code = code.unwrap_or_else(|| typed.trim().chars().take(40).collect());
    Ok((status, CertificatePage { l: Layout::anonymous(msg::TITLE_CERTIFICATE, String::new()), code, found, issued, error }))
}

/// `GET /cuoc-thi/chung-nhan`: checks a certificate by the code printed on it (`?ma=`).
pub async fn certificate_lookup(State(state): State<AppState>, Query(q): Query<CodeQuery>) -> AppResult<Response> {
    let (status, page) = certificate_page(&state, &q.ma).await?;
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /cuoc-thi/chung-nhan/{code}`: the page a certificate's QR code opens: whether it is in
/// force, whom it was issued to and for what.
pub async fn certificate(State(state): State<AppState>, Path(code): Path<String>) -> AppResult<Response> {
    let (status, page) = certificate_page(&state, &code).await?;
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /cuoc-thi/chung-nhan/{code}/giay-chung-nhan.pdf`: the certificate in force as PDF.
pub async fn certificate_pdf(State(state): State<AppState>, Path(code): Path<String>) -> AppResult<Response> {
    let Some(code) = service::normalise_certificate_code(&code) else { return Err(AppError::NotFound) };
    let Some(k) = store::certificate(&state.db, &code).await?.filter(|k| k.revoked_at.is_none()) else { return Err(AppError::NotFound) };
    let doc = service::certificate_document(&k, &state.config.base_url);
    let bytes = kernel::page::typeset(&state, move || {
        documents::certificate_pdf(&doc).map_err(|e| match e {
            documents::PdfError::NoFont => AppError::Unavailable(e.to_string()),
            other => AppError::Internal(other.to_string()),
        })
    })
    .await?;
    Ok(kernel::page::attachment("application/pdf", &format!("giay-chung-nhan-{}.pdf", k.code), bytes))
}

// ---------------------------------------------------------------- the contest page

/// A round's rules as the page states them.
pub struct RoundRules {
    pub id: i64,
    pub title: String,
    pub starts: String,
    pub ends: String,
    pub questions: usize,
    pub quotas: Vec<(String, &'static str, usize)>,
    pub minutes: i64,
    pub max_attempts: i64,
    pub counting: &'static str,
    pub prediction: Option<(&'static str, String)>,
    pub keys: Vec<&'static str>,
    pub prizes: Vec<(String, usize, String)>,
    pub show_answers: &'static str,
    pub open: bool,
}

fn rules_of(r: &Round, now: DateTime<Utc>) -> RoundRules {
    RoundRules {
        id: r.id,
        title: r.title.clone(),
        starts: fmt_datetime(r.starts_at),
        ends: fmt_datetime(r.ends_at),
        questions: r.question_count(),
        quotas: r.quotas.iter().map(|q| (q.topic.clone(), settings::difficulty_label(&q.difficulty), q.count)).collect(),
        minutes: r.time_limit_s / 60,
        max_attempts: r.max_attempts,
        counting: r.counting.label(),
        prediction: r.prediction.map(|p| (p.label(), r.prediction_text.clone())),
        keys: r.keys.iter().map(|k| k.label()).chain(std::iter::once(msg::FINAL_KEY)).collect(),
        prizes: r.prizes.iter().map(|p| (p.name.clone(), p.count, text_vi::format_vnd(p.amount))).collect(),
        show_answers: r.show_answers.label(),
        open: r.is_open(now),
    }
}

/// One past or current attempt of the entrant.
pub struct AttemptLine {
    pub number: i64,
    pub href: String,
    pub active: bool,
    pub score: String,
    pub time: String,
}

/// Where the entrant stands in a round.
pub struct MyRound {
    pub id: i64,
    pub title: String,
    pub can_start: bool,
    pub left: i64,
    pub attempts: Vec<AttemptLine>,
}

/// The registration form as typed.
#[derive(Default, Clone)]
pub struct RegForm {
    pub full_name: String,
    pub birth_year: String,
    pub contact: String,
    pub commune: String,
    pub cccd: String,
}

#[derive(Template)]
#[template(path = "contests/public_contest.html")]
struct ContestPage {
    l: Layout,
    c: Contest,
    intro: Vec<String>,
    rules: Vec<RoundRules>,
    /// The verified entrant's name and rounds.
    me: Option<(String, Vec<MyRound>)>,
    /// The verified entrant's certificates: (what, the certificate's page).
    certificates: Vec<(String, String)>,
    /// Registered but not verified yet.
    pending: bool,
    f: RegForm,
    xa: String,
    communes: Vec<Opt>,
    errors: FieldErrors,
    notice: Option<String>,
    /// The collective prizes in the words of the rules, with their bands (name, count, amount).
    collective: Option<CollectiveRules>,
}

/// Most commune rows read for the registration form's list.
const COMMUNE_ROWS: i64 = 2_000;

/// The communes an entrant may pick: those of the eligible area in force today whose name
/// matches the search, and, for a pre-2025 name, the communes it became inside the area.
async fn commune_choices(state: &AppState, c: &Contest, q: &str, picked: &str) -> AppResult<Vec<Opt>> {
    use kernel::db::units;
    let db = &state.db;
    let day = today();
    let key = text_vi::fold(q.trim());
    let mut out: Vec<(i64, String)> = Vec::new();
    // Only the area's communes (in force today, filtered in the query's order), at most
    // `COMMUNE_ROWS`: a province has a few hundred, past and present.
    for (id, name) in store::area_communes(db, &c.area_path, &key, day, COMMUNE_ROWS).await? {
        out.push((id, name));
    }
    text_vi::sort_by_key(&mut out, |(_, name)| name.as_str());
    if !key.is_empty() {
        let f = units::UnitFilter { level: Some(kernel::unit::UnitLevel::Commune), query: Some(q.trim().to_string()), limit: 30, ..Default::default() };
        for old in units::list(db, &f).await?.into_iter().filter(|u| !u.is_valid_on(day)) {
            for now in units::today_of(db, old.id, day).await? {
                // A commune that kept its name is already listed under it.
                let renamed = text_vi::fold(&now.unit.name) != text_vi::fold(&old.name);
                if renamed && now.unit.path.starts_with(&c.area_path) && now.unit.level == "commune" {
                    out.push((now.unit.id, msg::formerly(&now.unit.name, &old.name)));
                }
            }
        }
    }
    let mut choices = vec![Opt { value: String::new(), label: msg::PICK_COMMUNE.into(), selected: picked.is_empty() }];
    choices.extend(out.into_iter().map(|(id, label)| Opt { selected: id.to_string() == picked, value: id.to_string(), label }));
    Ok(choices)
}

#[allow(clippy::too_many_arguments)]
async fn contest_page(state: &AppState, jar: &CookieJar, csrf: String, c: Contest, f: RegForm, xa: String, errors: FieldErrors, notice: Option<String>, tb: Option<&str>) -> AppResult<ContestPage> {
    let now = kernel::now();
    let rounds: Vec<Round> = store::rounds(&state.db, c.id).await?.into_iter().filter(Round::published).collect();
    let rules = rounds.iter().map(|r| rules_of(r, now)).collect();
    let mut me = None;
    let mut certificates = Vec::new();
    let mut pending = false;
    match who(state, jar, c.id).await? {
        Some((_, e, true)) => {
            let mut mine = Vec::new();
            for r in &rounds {
                let attempts = store::attempts_of(&state.db, r.id, e.id).await?;
                let lines = attempts
                    .iter()
                    .map(|a| {
                        let active = a.status == "active" && timer::accepts(now, a.deadline_at, r.grace_s);
                        AttemptLine {
                            number: a.number,
                            href: format!("/cuoc-thi/{}/bai/{}{}", c.id, a.id, if active { "" } else { "/ket-qua" }),
                            active,
                            score: a.score.map(|s| format!("{s}/{}", a.question_count)).unwrap_or_default(),
                            time: a.duration_ms.map(fmt_duration_ms).unwrap_or_default(),
                        }
                    })
                    .collect::<Vec<_>>();
                let left = (r.max_attempts - attempts.len() as i64).max(0);
                mine.push(MyRound { id: r.id, title: r.title.clone(), can_start: r.is_open(now) && left > 0 && !lines.iter().any(|l| l.active), left, attempts: lines });
            }
            certificates = store::certificates_of_entrant(&state.db, e.id)
                .await?
                .into_iter()
                .map(|k| (msg::certificate_line(&k.prize, &k.round_title), format!("/cuoc-thi/chung-nhan/{}", k.code)))
                .collect();
            me = Some((e.full_name, mine));
        }
        Some((_, _, false)) => pending = true,
        None => {}
    }
    let communes = if me.is_none() { commune_choices(state, &c, &xa, &f.commune).await? } else { Vec::new() };
    let intro = c.intro.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    let l = Layout::anonymous(c.title.clone(), csrf).with_flash_from(tb, msg::flash);
    let collective = crate::rules::collective::Collective::from_stored(&c.collective).map(|k| {
        let bands = k.prizes.iter().map(|p| (p.name.clone(), text_vi::format_int(p.count as i64), text_vi::format_vnd(p.amount))).collect();
        (service::collective_rules_text(&k), bands)
    });
    Ok(ContestPage { l, intro, rules, me, certificates, pending, f, xa, communes, errors, notice, collective, c })
}

/// `GET /cuoc-thi/{id}`: the rules, and the registration or the entrant's rounds.
pub async fn contest(State(state): State<AppState>, jar: CookieJar, Path(id): Path<i64>, Query(q): Query<PageQuery>) -> AppResult<Response> {
    let c = public_contest(&state, id).await?;
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let page = contest_page(&state, &jar, csrf, c, RegForm::default(), q.xa.clone(), FieldErrors::default(), None, q.tb.as_deref()).await?;
    Ok((jar, render(&page)?).into_response())
}

/// A phone number (10 digits from 0, or +84 followed by 9) as 0xxxxxxxxx, or an e-mail address.
pub fn normalise_contact(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err(msg::CONTACT_REQUIRED);
    }
    if s.contains('@') {
        return match kernel::account::parse_email(s) {
            Ok(Some(e)) => Ok(e),
            _ => Err(msg::CONTACT_INVALID),
        };
    }
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    let local = if let Some(rest) = digits.strip_prefix("+84") { format!("0{rest}") } else { digits };
    if local.len() == 10 && local.starts_with('0') && local.bytes().all(|b| b.is_ascii_digit()) { Ok(local) } else { Err(msg::CONTACT_INVALID) }
}

/// `POST /cuoc-thi/{id}/dang-ky`: registers (one registration per phone or e-mail) and sends a
/// one-time code; the page asks for it next.
pub async fn register(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let c = public_contest(&state, id).await?;
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let f = RegForm {
        full_name: field(&pairs, "full_name").into(),
        birth_year: field(&pairs, "birth_year").into(),
        contact: field(&pairs, "contact").into(),
        commune: field(&pairs, "commune").into(),
        cccd: field(&pairs, "cccd").into(),
    };
    let mut errors = FieldErrors::default();
    let full_name = kernel::page::typed_text(&f.full_name, "full_name", 100, Some(msg::FULL_NAME_REQUIRED), &mut errors);
    let this_year = i64::from(today().year());
    let birth_year = f.birth_year.trim().parse::<i64>().ok().filter(|y| (1900..=this_year).contains(y));
    match birth_year {
        None => errors.add("birth_year", msg::BIRTH_YEAR_INVALID),
        Some(y) => {
            if let Some(min) = c.min_age
                && this_year - y < min
            {
                errors.add("birth_year", msg::too_young(min));
            }
        }
    }
    let contact = normalise_contact(&f.contact).map_err(|m| errors.add("contact", m)).ok();
    let mut commune_id = None;
    match f.commune.trim().parse::<i64>() {
        Ok(cid) => match kernel::db::units::get(&state.db, cid).await {
            Ok(u) if u.level == "commune" && u.is_valid_on(today()) && u.path.starts_with(&c.area_path) => commune_id = Some(u.id),
            Ok(_) | Err(kernel::DbError::NotFound) => errors.add("commune", msg::COMMUNE_OUTSIDE),
            Err(e) => return Err(e.into()),
        },
        Err(_) => errors.add("commune", msg::COMMUNE_REQUIRED),
    }
    let digits: String = f.cccd.chars().filter(|c| !c.is_whitespace()).collect();
    let id_number = if digits.is_empty() {
        if c.require_id_number {
            errors.add("cccd", msg::ID_NUMBER_REQUIRED);
        }
        None
    } else if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Some(digits)
    } else {
        errors.add("cccd", msg::ID_NUMBER_INVALID);
        None
    };
    let (Some(birth_year), Some(contact), Some(commune_id), true) = (birth_year, contact, commune_id, errors.is_empty()) else {
        let page = contest_page(&state, &jar, csrf, c, f, String::new(), errors, None, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, render(&page)?).into_response());
    };
    let reg = Registration { full_name, birth_year, contact, commune_id, id_number };
    let (field_name, m) = match service::register(&state, &meta.anonymous(None), &meta.ip, &c, &reg).await? {
        Registered::Session(_, secret) => return Ok(code_sent(&state, jar, id, secret)),
        Registered::Ghost(_) => return Err(AppError::NotFound),
        Registered::Throttled => {
            errors.add("contact", msg::THROTTLED);
            let page = contest_page(&state, &jar, csrf, c, f, String::new(), errors, None, None).await?;
            return Ok((StatusCode::TOO_MANY_REQUESTS, jar, render(&page)?).into_response());
        }
        Registered::DuplicateId => ("cccd", msg::ID_NUMBER_TAKEN),
        Registered::NoIdKey => ("cccd", msg::ID_NUMBER_UNAVAILABLE),
    };
    errors.add(field_name, m);
    let page = contest_page(&state, &jar, csrf, c, f, String::new(), errors, None, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, render(&page)?).into_response())
}

/// The answer to a registration or a request for a code, the same whether or not the contact
/// was registered before (or, for a request, at all): a session cookie and the code page.
fn code_sent(state: &AppState, jar: CookieJar, id: i64, secret: String) -> Response {
    (jar.add(session_cookie(secret, state.config.cookies_secure())), Redirect::to(&format!("/cuoc-thi/{id}/xac-nhan?tb=code_sent"))).into_response()
}

/// `POST /cuoc-thi/{id}/nhan-ma`: a new code for someone already registered (on a new device).
/// An unknown contact gets the same answer (with a session that leads nowhere), so that the
/// page does not tell who is registered.
pub async fn resend(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let c = public_contest(&state, id).await?;
    let contact = normalise_contact(field(&pairs, "contact")).ok();
    match service::request_code(&state, &meta.anonymous(None), &meta.ip, &c, contact.as_deref()).await? {
        Registered::Session(_, secret) => Ok(code_sent(&state, jar, id, secret)),
        Registered::Throttled => {
            let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
            let page = contest_page(&state, &jar, csrf, c, RegForm::default(), String::new(), FieldErrors::default(), Some(msg::THROTTLED.into()), None).await?;
            Ok((StatusCode::TOO_MANY_REQUESTS, jar, render(&page)?).into_response())
        }
        Registered::Ghost(secret) => Ok(code_sent(&state, jar, id, secret)),
        _ => Ok(code_sent(&state, jar, id, kernel::db::new_token())),
    }
}

#[derive(Template)]
#[template(path = "contests/public_verify.html")]
struct VerifyPage {
    l: Layout,
    c: Contest,
    error: Option<&'static str>,
}

/// `GET /cuoc-thi/{id}/xac-nhan`.
pub async fn verify_page(State(state): State<AppState>, jar: CookieJar, Path(id): Path<i64>, Query(q): Query<PageQuery>) -> AppResult<Response> {
    let c = public_contest(&state, id).await?;
    // A session that matches no entrant (a code asked for an unknown contact) shows the same
    // page; every code entered there is wrong.
    let who = who(&state, &jar, id).await?;
    if who.as_ref().is_some_and(|(_, _, done)| *done) {
        return Ok(Redirect::to(&format!("/cuoc-thi/{id}")).into_response());
    }
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let l = Layout::anonymous(msg::TITLE_VERIFY, csrf).with_flash_from(q.tb.as_deref(), msg::flash);
    Ok((jar, render(&VerifyPage { l, c, error: None })?).into_response())
}

/// `POST /cuoc-thi/{id}/xac-nhan`: the one-time code.
pub async fn verify(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let c = public_contest(&state, id).await?;
    let outcome = match who(&state, &jar, id).await? {
        Some((_, _, true)) => return Ok(Redirect::to(&format!("/cuoc-thi/{id}")).into_response()),
        Some((secret, e, false)) => service::verify_code(&state, &meta.anonymous(None), &secret, &c, e.id, field(&pairs, "code")).await?,
        None => match jar.get(ENTRANT_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())) {
            Some(secret) => Err(service::ghost_try(&state, &secret).await?),
            None => Err(msg::CODE_WRONG),
        },
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/cuoc-thi/{id}?tb=verified")).into_response()),
        Err(m) => {
            let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
            let page = VerifyPage { l: Layout::anonymous(msg::TITLE_VERIFY, csrf), c, error: Some(m) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, render(&page)?).into_response())
        }
    }
}

// ---------------------------------------------------------------- the attempt

/// `POST /cuoc-thi/{id}/vong/{round}/bat-dau`: starts an attempt (or refuses: not open, none
/// left, another one active) and opens it.
pub async fn start(State(state): State<AppState>, jar: CookieJar, Path((id, round_id)): Path<(i64, i64)>) -> AppResult<Response> {
    let c = public_contest(&state, id).await?;
    let e = verified(&state, &jar, id).await?;
    let r = store::round(&state.db, round_id).await?;
    if r.contest_id != c.id || !r.published() {
        return Err(AppError::NotFound);
    }
    let refusal = match service::start_attempt(&state.db, &r, &e, kernel::now()).await? {
        Ok(aid) => return Ok(Redirect::to(&format!("/cuoc-thi/{id}/bai/{aid}")).into_response()),
        Err(StartRefusal::NotOpen) => msg::ROUND_NOT_OPEN,
        Err(StartRefusal::NoneLeft) => msg::NO_ATTEMPTS_LEFT,
        Err(StartRefusal::Active(_)) => msg::ATTEMPT_ACTIVE,
        Err(StartRefusal::BankShort) => msg::BANK_SHORT,
    };
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let page = contest_page(&state, &jar, csrf, c, RegForm::default(), String::new(), FieldErrors::default(), Some(refusal.into()), None).await?;
    Ok((StatusCode::CONFLICT, jar, render(&page)?).into_response())
}

/// The entrant's attempt of this contest with its round, or `NotFound`.
async fn my_attempt(state: &AppState, jar: &CookieJar, id: i64, attempt_id: i64) -> AppResult<(Contest, Entrant, store::Attempt, Round)> {
    let c = public_contest(state, id).await?;
    let e = verified(state, jar, id).await?;
    let a = store::attempt(&state.db, attempt_id).await?;
    if a.entrant_id != e.id {
        return Err(AppError::NotFound);
    }
    let r = store::round(&state.db, a.round_id).await?;
    Ok((c, e, a, r))
}

/// One question as the attempt page shows it: the options in the drawn order, no correctness.
pub struct Shown {
    pub position: i64,
    pub text: String,
    pub options: Vec<(usize, String, bool)>,
    pub answered: bool,
}

#[derive(Template)]
#[template(path = "contests/public_attempt.html")]
struct AttemptPage {
    l: Layout,
    c: Contest,
    r: Round,
    attempt_id: i64,
    remaining_s: i64,
    remaining: String,
    deadline: String,
    questions: Vec<Shown>,
    answered: usize,
    prediction: String,
    notice: Option<&'static str>,
}

/// `GET /cuoc-thi/{id}/bai/{attempt}`: resumes the attempt with its remaining time; a closed or
/// expired one goes to its result.
pub async fn attempt(State(state): State<AppState>, jar: CookieJar, Path((id, attempt_id)): Path<(i64, i64)>, Query(q): Query<PageQuery>) -> AppResult<Response> {
    let (c, _, a, r) = my_attempt(&state, &jar, id, attempt_id).await?;
    let now = kernel::now();
    if service::close_if_expired(&state.db, &r, &a, now).await? {
        return Ok(Redirect::to(&format!("/cuoc-thi/{id}/bai/{attempt_id}/ket-qua")).into_response());
    }
    let remaining_s = match timer::phase(now, a.deadline_at, r.grace_s) {
        Phase::Open { remaining_s } => remaining_s,
        _ => 0,
    };
    let items = store::items(&state.db, attempt_id).await?;
    let mut questions = Vec::with_capacity(items.len());
    for it in &items {
        let options: Vec<String> = serde_json::from_str(&it.options).unwrap_or_default();
        let order = draw::order_from_text(&it.option_order, options.len()).unwrap_or_default();
        questions.push(Shown {
            position: it.position,
            text: it.text.clone(),
            options: order.iter().enumerate().map(|(shown, orig)| (shown, options.get(*orig).cloned().unwrap_or_default(), it.chosen == Some(shown as i64))).collect(),
            answered: it.chosen.is_some(),
        });
    }
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let page = AttemptPage {
        l: Layout::anonymous(r.title.clone(), csrf),
        attempt_id,
        remaining: fmt_duration_ms(remaining_s * 1000),
        remaining_s,
        deadline: fmt_datetime(a.deadline_at),
        answered: questions.iter().filter(|q| q.answered).count(),
        questions,
        prediction: a.prediction.map(|p| p.to_string()).unwrap_or_default(),
        notice: q.tb.as_deref().and_then(msg::flash),
        c,
        r,
    };
    Ok((jar, render(&page)?).into_response())
}

/// `POST /cuoc-thi/{id}/bai/{attempt}/tra-loi`: one answer (`pos`, `chon`: the shown position)
/// or the prediction (`pos=p`, `du_doan`), saved if the attempt still takes answers (409
/// otherwise). The script's requests (`X-Requested-With`) get 204; a form gets the page back.
pub async fn answer(State(state): State<AppState>, jar: CookieJar, headers: HeaderMap, Path((id, attempt_id)): Path<(i64, i64)>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let e = verified(&state, &jar, id).await?;
    let now = kernel::now();
    let pos = field(&pairs, "pos");
    let saved = if pos == "p" {
        let Some(v) = field(&pairs, "du_doan").trim().replace('.', "").parse::<i64>().ok().filter(|v| *v >= 0) else {
            return Err(AppError::BadRequest(msg::PREDICTION_INVALID.into()));
        };
        store::save_prediction(&state.db, attempt_id, e.id, v, now).await?
    } else {
        let (Some(p), Some(ch)) = (pos.parse::<i64>().ok(), field(&pairs, "chon").parse::<i64>().ok().filter(|c| (0..6).contains(c))) else {
            return Err(AppError::BadRequest(msg::CHOICE_INVALID.into()));
        };
        crate::writer::AnswerWriter::of(&state).save(store::AnswerSave { attempt_id, entrant_id: e.id, position: p, chosen: ch, at: now }).await?
    };
    let script = headers.get("x-requested-with").is_some();
    if saved == 0 {
        let a = store::attempt(&state.db, attempt_id).await?;
        if a.entrant_id != e.id {
            return Err(AppError::NotFound);
        }
        if a.status == "active" {
            let r = store::round(&state.db, a.round_id).await?;
            service::close_if_expired(&state.db, &r, &a, now).await?;
        }
        if script {
            return Ok(StatusCode::CONFLICT.into_response());
        }
        let link = format!("/cuoc-thi/{id}/bai/{attempt_id}/ket-qua");
        return Ok((StatusCode::CONFLICT, render(&ClosedPage { l: Layout::anonymous(msg::TITLE_RESULT, String::new()), link })?).into_response());
    }
    if script {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let anchor = if pos == "p" { "du-doan".to_string() } else { format!("cau-{pos}") };
    Ok(Redirect::to(&format!("/cuoc-thi/{id}/bai/{attempt_id}?tb=saved_answer#{anchor}")).into_response())
}

#[derive(Template)]
#[template(path = "contests/public_closed.html")]
struct ClosedPage {
    l: Layout,
    link: String,
}

/// `POST /cuoc-thi/{id}/bai/{attempt}/nop`: submits (with the prediction if given); after the
/// grace the attempt is closed as expired instead.
pub async fn submit(State(state): State<AppState>, jar: CookieJar, Path((id, attempt_id)): Path<(i64, i64)>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let (_, _, a, r) = my_attempt(&state, &jar, id, attempt_id).await?;
    let now = kernel::now();
    let to_result = Redirect::to(&format!("/cuoc-thi/{id}/bai/{attempt_id}/ket-qua")).into_response();
    if service::close_if_expired(&state.db, &r, &a, now).await? {
        return Ok(to_result);
    }
    let prediction = match field(&pairs, "du_doan").trim().replace('.', "") {
        s if s.is_empty() => None,
        s => match s.parse::<i64>() {
            Ok(v) if v >= 0 => Some(v),
            _ => return Err(AppError::BadRequest(msg::PREDICTION_INVALID.into())),
        },
    };
    service::close(&state.db, &r, &a, now, prediction, "submitted").await?;
    Ok(to_result)
}

/// One question on the result page, with the correct answer when the rules allow it.
pub struct Reviewed {
    pub position: i64,
    pub text: String,
    pub chosen: String,
    pub correct: String,
    pub right: bool,
    pub explanation: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "contests/public_result.html")]
struct ResultPage {
    l: Layout,
    c: Contest,
    r: Round,
    score: String,
    time: String,
    expired: bool,
    review: Vec<Reviewed>,
    answers_from: Option<String>,
    /// The round shows answers on submission: also once the entrant has no attempt left.
    on_submit: bool,
    /// The code of the entrant's certificate for the round (taking part, or a prize).
    certificate: Option<String>,
}

/// `GET /cuoc-thi/{id}/bai/{attempt}/ket-qua`: score and time; the correct answers now or after
/// the round, as the rules say.
pub async fn result(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta, Path((id, attempt_id)): Path<(i64, i64)>) -> AppResult<Response> {
    let (c, e, a, r) = my_attempt(&state, &jar, id, attempt_id).await?;
    let now = kernel::now();
    if !service::close_if_expired(&state.db, &r, &a, now).await? {
        return Ok(Redirect::to(&format!("/cuoc-thi/{id}/bai/{attempt_id}")).into_response());
    }
    let a = store::attempt(&state.db, attempt_id).await?;
    // Never while answers are still taken (the round's end plus its grace), and with "on
    // submission" only once the entrant has no attempt left in the round: a later attempt
    // could otherwise reuse the answers.
    let show = now > r.ends_at + chrono::Duration::seconds(r.grace_s.max(0))
        || (r.show_answers == settings::ShowAnswers::OnSubmit && !policy::may_start(r.max_attempts, store::attempts_of(&state.db, r.id, a.entrant_id).await?.len() as i64));
    let mut review = Vec::new();
    if show {
        for it in store::items(&state.db, attempt_id).await? {
            let options: Vec<String> = serde_json::from_str(&it.options).unwrap_or_default();
            let order = draw::order_from_text(&it.option_order, options.len()).unwrap_or_default();
            let label = |shown: Option<usize>| shown.and_then(|s| Some(format!("{}. {}", crate::rules::bank::LETTERS.get(s)?, options.get(*order.get(s)?)?))).unwrap_or_default();
            let chosen = it.chosen.and_then(|c| usize::try_from(c).ok());
            review.push(Reviewed {
                position: it.position,
                text: it.text.clone(),
                chosen: label(chosen),
                correct: label(draw::shown_position_of(&it.option_order, it.correct)),
                right: draw::shown_is_correct(it.chosen, &it.option_order, it.correct),
                explanation: it.explanation.clone(),
                source: it.source.clone(),
            });
        }
    }
    let certificate = service::participation_certificate(&state.db, &meta.anonymous(None), &c, &r, &e).await?;
    let page = ResultPage {
        certificate,
        l: Layout::anonymous(msg::TITLE_RESULT, String::new()),
        expired: a.status == "expired",
        score: format!("{}/{}", a.score.unwrap_or(0), a.question_count),
        time: fmt_duration_ms(a.duration_ms.unwrap_or(0)),
        review,
        answers_from: (!show).then(|| fmt_datetime(r.ends_at + chrono::Duration::seconds(r.grace_s.max(0)))),
        on_submit: r.show_answers == settings::ShowAnswers::OnSubmit,
        c,
        r,
    };
    render(&page)
}

const SCRIPT: &str = include_str!("../../static/cuoc-thi.js");

/// `GET /static/cuoc-thi.js`.
pub async fn script() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (axum::http::header::CACHE_CONTROL, "public, max-age=3600")], SCRIPT).into_response()
}
