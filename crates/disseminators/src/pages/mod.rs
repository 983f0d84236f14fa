//! Pages of the registries: the overview, the reporters' and propagandists' lists and records
//! (`people`), the September registration rounds (`rounds`), the sessions (`activities`), and
//! the download of a stored file (a recognition decision, a session's evidence).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, attachment, render, today};
use kernel::state::AppState;
use serde::Deserialize;

use crate::rules::kinds::Kind;
use crate::{msg, service, store};

pub mod activities;
pub mod people;
pub mod rounds;

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    #[serde(default)]
    pub tb: Option<String>,
}

pub(crate) fn layout(user: &CurrentUser, title: impl Into<String>, flash: Option<&str>) -> Layout {
    Layout::for_user(user, title, "disseminators").with_flash_from(flash, msg::flash)
}

pub(crate) fn field<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// A typed date: `None` when empty, the error when malformed.
pub(crate) fn typed_date(s: &str, id: &'static str, required: bool, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        if required {
            errors.add(id, msg::DATE_REQUIRED);
        }
        return None;
    }
    match text_vi::parse_date(s) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(id, msg::DATE_FORMAT);
            None
        }
    }
}

/// A typed whole number in `lo..=hi` (dots as thousands separators allowed); `None` when empty.
pub(crate) fn typed_int(s: &str, id: &'static str, lo: i64, hi: i64, message: &'static str, errors: &mut FieldErrors) -> Option<i64> {
    let s = s.trim().replace('.', "");
    if s.is_empty() {
        return None;
    }
    match s.parse::<i64>() {
        Ok(n) if (lo..=hi).contains(&n) => Some(n),
        _ => {
            errors.add(id, message);
            None
        }
    }
}

pub(crate) use kernel::page::typed_text;

pub(crate) fn fmt_day(d: NaiveDate) -> String {
    text_vi::format_date(d)
}

/// Reads a multipart upload with one `file` field and checks it as evidence (PDF, DOCX, XLSX,
/// PNG, JPEG whose first bytes agree with the extension).
pub(crate) async fn read_checked(state: &AppState, mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>) -> Result<(String, &'static str, Vec<u8>), String> {
    kernel::page::read_checked_file(mp, state.config.limits.upload_bytes, |name, bytes| documents::sniff::check_evidence(name, bytes).map_err(|e| e.message())).await
}

// ---------------------------------------------------------------- overview

pub struct RoundItem {
    pub href: String,
    pub unit: String,
    pub year: i64,
    pub announced: String,
    pub listed: String,
}

#[derive(Template)]
#[template(path = "disseminators/overview.html")]
struct OverviewPage {
    l: Layout,
    reporters: String,
    propagandists: String,
    sessions: String,
    attendance: String,
    year: i32,
    is_reporter: bool,
    can_record: bool,
    rounds: Vec<RoundItem>,
    can_open_round: bool,
    round_year: String,
    announced_on: String,
    round_note: String,
    errors: FieldErrors,
}

async fn overview_page(state: &AppState, user: &CurrentUser, flash: Option<&str>, retry: Option<(String, String, String, FieldErrors)>) -> AppResult<OverviewPage> {
    user.require(Action::ViewDisseminators)?;
    let p = user.principal();
    let day = today();
    let year = day.year();
    let reporters = service::people_list(&state.db, &p, Kind::Reporter).await?.iter().filter(|r| service::serving(r, day)).count();
    let propagandists = service::people_list(&state.db, &p, Kind::Propagandist).await?.iter().filter(|r| service::serving(r, day)).count();
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(day);
    let sessions = service::activities_for(&state.db, &p, &user.scope.like_pattern(), first, day).await?;
    let attendance: i64 = sessions.iter().map(|s| s.attendees).sum();
    let is_reporter = user.role == kernel::account::Role::Reporter;
    let rounds = if is_reporter { Vec::new() } else { store::rounds(&state.db, &user.scope.like_pattern()).await? };
    let can_open_round = service::registry_unit(&state.db, &p, Kind::Propagandist).await.is_ok();
    let (round_year, announced_on, round_note, errors) =
        retry.unwrap_or_else(|| (year.to_string(), fmt_day(NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(day)), String::new(), FieldErrors::default()));
    Ok(OverviewPage {
        l: layout(user, "Báo cáo viên, tuyên truyền viên pháp luật", flash),
        reporters: text_vi::format_int(reporters as i64),
        propagandists: text_vi::format_int(propagandists as i64),
        sessions: text_vi::format_int(sessions.len() as i64),
        attendance: text_vi::format_int(attendance),
        year,
        is_reporter,
        can_record: user.role.allows(Action::RecordDisseminationActivities),
        rounds: rounds
            .into_iter()
            .map(|r| RoundItem {
                href: format!("/pho-bien/dot-dang-ky/{}", r.id),
                unit: r.unit_name,
                year: r.year,
                announced: fmt_day(r.announced_on),
                listed: r.listed_on.map(fmt_day).unwrap_or_else(|| "Chưa lập".into()),
            })
            .collect(),
        can_open_round,
        round_year,
        announced_on,
        round_note,
        errors,
    })
}

/// `GET /pho-bien`: numbers at a glance, links to the lists, the registration rounds.
pub async fn overview(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    render(&overview_page(&state, &user, q.tb.as_deref(), None).await?)
}

pub(crate) async fn overview_retry(state: &AppState, user: &CurrentUser, retry: (String, String, String, FieldErrors)) -> AppResult<Response> {
    kernel::page::render_invalid(&overview_page(state, user, None, Some(retry)).await?)
}

/// `GET /pho-bien/tep/{id}`: a recognition decision or a session's evidence, to those who may
/// see its record.
pub async fn file(State(state): State<AppState>, user: CurrentUser, Path(file_id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewDisseminators)?;
    let p = user.principal();
    if let Some(person) = store::decision_file_owner(&state.db, file_id).await? {
        service::visible_person(&state.db, &p, person).await?;
    } else if let Some(activity) = store::evidence_owner(&state.db, file_id).await? {
        service::visible_activity(&state.db, &p, activity).await?;
    } else {
        return Err(AppError::NotFound);
    }
    let meta = kernel::db::files::meta(&state.db, file_id).await?;
    let data = kernel::db::files::data(&state.db, file_id).await?;
    let ct: &'static str = match meta.content_type.as_str() {
        "application/pdf" => "application/pdf",
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    };
    Ok(attachment(ct, &meta.name, data))
}
