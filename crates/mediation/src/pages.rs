//! Pages of grassroots mediation: the overview (figures by commune and field, the teams, a new
//! team), a team (roster with warnings, import and export, leader, end of service, training,
//! merging or splitting, its cases, the tracking book), a case (intake, the workflow steps, the
//! history) and the remuneration list.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, attachment, render, render_invalid, today};
use kernel::state::AppState;
use serde::Deserialize;

use crate::export::{BOOK_CACHE_MIN_ROWS, BookFormat};
use crate::msg;
use crate::rules::case::{self, FOLLOW_UPS, ORIGINS, Origin, Status, Step};
use crate::rules::roster::{self, COLUMNS, MediatorInput};
use crate::service::{self, CaseInput, PartyInput, StepInput, TeamAccess};
use crate::store::{self, CaseRow, Election, TeamRow};

/// Typed values of a form, kept when it comes back with errors.
#[derive(Clone, Debug, Default)]
pub struct Typed(pub BTreeMap<String, String>);

impl Typed {
    pub fn get(&self, k: &str) -> &str {
        self.0.get(k).map(String::as_str).unwrap_or("")
    }
    pub fn is(&self, k: &str, v: &str) -> bool {
        self.get(k) == v
    }
    pub fn has_value(&self, k: &str, v: &str) -> bool {
        self.0.get(k).is_some_and(|x| x.split(',').any(|p| p == v))
    }
    fn from_pairs(pairs: &[(String, String)]) -> Typed {
        let mut m: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in pairs {
            m.entry(k.clone()).and_modify(|x| {
                x.push(',');
                x.push_str(v);
            }).or_insert_with(|| v.clone());
        }
        Typed(m)
    }
}

fn all(pairs: &[(String, String)], key: &str) -> Vec<i64> {
    pairs.iter().filter(|(k, _)| k == key).filter_map(|(_, v)| v.trim().parse().ok()).collect()
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    pub tb: Option<String>,
    #[serde(default)]
    pub tu: Option<String>,
    #[serde(default)]
    pub den: Option<String>,
    #[serde(default)]
    pub nam: Option<String>,
}

impl PeriodQuery {
    /// The period asked for: `tu`/`den` (dd/mm/yyyy), or the year `nam`, or this year so far.
    fn period(&self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        let year = self.nam.as_deref().and_then(|y| y.trim().parse::<i32>().ok()).filter(|y| (2000..=2100).contains(y)).unwrap_or(day.year());
        let (a, b) = service::year_bounds(year);
        let start = self.tu.as_deref().and_then(|s| text_vi::parse_date(s).ok()).unwrap_or(a);
        let end = self.den.as_deref().and_then(|s| text_vi::parse_date(s).ok()).unwrap_or(b);
        if start <= end { (start, end) } else { (end, start) }
    }
}

fn layout(user: &CurrentUser, title: impl Into<String>, tb: Option<&str>) -> Layout {
    Layout::for_user(user, title, "mediation").with_flash_from(tb, msg::flash)
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(text_vi::format_date).unwrap_or_default()
}

fn field_name(code: &str, on: NaiveDate) -> String {
    service::version_on(on).ok().and_then(|v| v.field(code).map(|f| f.name.clone())).unwrap_or_else(|| code.to_string())
}

fn gender_label(g: &str) -> &'static str {
    if g == "female" { "Nữ" } else { "Nam" }
}

// ================================================================== overview

pub struct CommuneLine {
    pub name: String,
    pub teams: String,
    pub mediators: String,
    pub female: String,
    pub minority: String,
    pub trained: String,
    pub received: String,
    pub settled: String,
    pub not_settled: String,
    pub open: String,
    pub rate: String,
}

pub struct TeamItem {
    pub href: String,
    pub name: String,
    pub place: String,
    pub serving: i64,
    pub cases: i64,
    pub leader: String,
    pub ended: bool,
}

#[derive(Template)]
#[template(path = "mediation/index.html")]
struct IndexPage {
    l: Layout,
    from: String,
    to: String,
    lines: Vec<CommuneLine>,
    total: Option<CommuneLine>,
    fields: Vec<(String, String)>,
    teams: Vec<TeamItem>,
    can_create: bool,
    can_pay: bool,
    villages: Vec<(i64, String)>,
    errors: FieldErrors,
    f: Typed,
}

fn line(name: String, c: &store::CommuneCounts) -> CommuneLine {
    let n = text_vi::format_int;
    let rate = if c.cases_received > 0 { format!("{} %", text_vi::format_decimal(c.cases_settled as f64 * 100.0 / c.cases_received as f64, 1)) } else { String::new() };
    CommuneLine {
        name,
        teams: n(c.teams),
        mediators: n(c.mediators),
        female: n(c.mediators_female),
        minority: n(c.mediators_ethnic_minority),
        // Đề án 315's progress: the share of serving mediators trained.
        trained: if c.mediators > 0 {
            format!("{} ({} %)", n(c.mediators_trained), text_vi::format_decimal(c.mediators_trained as f64 * 100.0 / c.mediators as f64, 1))
        } else {
            n(c.mediators_trained)
        },
        received: n(c.cases_received),
        settled: n(c.cases_settled),
        not_settled: n(c.cases_not_settled),
        open: n(c.cases_in_progress),
        rate,
    }
}

async fn index_page(state: &AppState, user: &CurrentUser, q: &PeriodQuery, errors: FieldErrors, f: Typed) -> AppResult<IndexPage> {
    user.require(Action::ViewMediation)?;
    let p = user.principal();
    let day = today();
    let (start, end) = q.period(day);
    let teams = service::teams_for(&state.db, &p).await?;
    // Figures: the account's scope; a mediator sees their own teams' communes only as teams.
    let (lines, total, fields) = if user.role == kernel::account::Role::Mediator {
        (Vec::new(), None, Vec::new())
    } else {
        let like = p.scope.like_pattern();
        let counts = store::commune_counts(&state.db, &like, start, end).await?;
        let sum = store::CommuneCounts::total(&counts);
        let total = (counts.len() > 1).then(|| line("Tổng cộng".into(), &sum));
        let fields = store::cases_by_field(&state.db, &like, start, end).await?.into_iter().map(|(code, n)| (field_name(&code, end), text_vi::format_int(n))).collect();
        (counts.iter().map(|c| line(c.commune_name.clone(), c)).collect(), total, fields)
    };
    let unit = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    let can_create = user.role.allows(Action::ManageMediation) && unit.level() == Some(kernel::unit::UnitLevel::Commune);
    let villages = if can_create {
        kernel::db::units::children(&state.db, Some(unit.id), Some(day)).await?.into_iter().filter(|u| u.level() == Some(kernel::unit::UnitLevel::Village)).map(|u| (u.id, u.name)).collect()
    } else {
        Vec::new()
    };
    Ok(IndexPage {
        l: layout(user, msg::TITLE_INDEX, q.tb.as_deref()),
        from: text_vi::format_date(start),
        to: text_vi::format_date(end),
        lines,
        total,
        fields,
        teams: teams
            .iter()
            .map(|t| TeamItem {
                href: format!("/hoa-giai/to/{}", t.id),
                name: t.name.clone(),
                place: format!("{}, {}", t.village_name, t.commune_name),
                serving: t.serving,
                cases: t.cases,
                leader: t.leader_name.clone().unwrap_or_default(),
                ended: t.ended_on.is_some(),
            })
            .collect(),
        can_create,
        can_pay: can_create,
        villages,
        errors,
        f,
    })
}

/// `GET /hoa-giai`.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let f = Typed([("established_on".to_string(), text_vi::format_date(today()))].into_iter().collect());
    render(&index_page(&state, &user, &q, FieldErrors::default(), f).await?)
}

fn parse_date_field(errors: &mut FieldErrors, f: &Typed, key: &'static str, required: bool) -> Option<NaiveDate> {
    let s = f.get(key).trim();
    if s.is_empty() {
        if required {
            errors.add(key, msg::bad_date());
        }
        return None;
    }
    match text_vi::parse_date(s) {
        Ok(d) if d > today() => {
            errors.add(key, msg::future_date());
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(key, msg::bad_date_value(s));
            None
        }
    }
}

/// `POST /hoa-giai/to`: a commune creates a team in one of its villages (or a new village).
pub async fn team_create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let f = Typed::from_pairs(&pairs);
    let mut errors = FieldErrors::default();
    let established_on = parse_date_field(&mut errors, &f, "established_on", true);
    let decision_on = parse_date_field(&mut errors, &f, "decision_on", false);
    if let Some(established_on) = established_on.filter(|_| errors.is_empty()) {
        let input = service::TeamInput {
            village_id: f.get("village").trim().parse().ok(),
            new_village: f.get("new_village"),
            name: f.get("name"),
            decision_no: f.get("decision_no"),
            decision_on,
            decision_signer: f.get("decision_signer"),
            established_on,
            ethnic_minority_area: f.is("ethnic_minority_area", "1"),
        };
        match service::create_team(&state.db, &meta.actor(&user), &user.principal(), &input).await? {
            Ok(id) => return Ok(Redirect::to(&format!("/hoa-giai/to/{id}?tb=team")).into_response()),
            Err(list) => {
                for (k, m) in list {
                    errors.add(k, m);
                }
            }
        }
    }
    render_invalid(&index_page(&state, &user, &PeriodQuery::default(), errors, f).await?)
}

// ================================================================== team

pub struct MediatorView {
    pub id: i64,
    pub name: String,
    pub gender: &'static str,
    pub birth_year: String,
    pub ethnicity: String,
    pub phone: String,
    pub occupation: String,
    pub recognition: String,
    pub served: String,
    pub leader: bool,
    pub ended: bool,
    pub trainings: i64,
    pub election: String,
}

pub struct CaseItem {
    pub href: String,
    pub received: String,
    pub field: String,
    pub party: String,
    pub status: &'static str,
    pub badge: &'static str,
}

#[derive(Template)]
#[template(path = "mediation/team.html")]
struct TeamPage {
    l: Layout,
    t: TeamRow,
    a: TeamAccess,
    established: String,
    decision: String,
    leader_decision: String,
    warnings: Vec<String>,
    mediators: Vec<MediatorView>,
    serving: Vec<(i64, String)>,
    became: Vec<String>,
    came_from: Vec<String>,
    cases: Vec<CaseItem>,
    refused: usize,
    trainings: Vec<(String, String, String, String, String)>,
    others: Vec<(i64, String)>,
    year: i32,
    errors: FieldErrors,
    import_errors: Vec<String>,
    decision_error: String,
    f: Typed,
}

#[derive(Default)]
struct TeamRetry {
    errors: FieldErrors,
    import_errors: Vec<String>,
    decision_error: String,
    f: Typed,
}

async fn team_page(state: &AppState, user: &CurrentUser, id: i64, tb: Option<&str>, r: TeamRetry) -> AppResult<TeamPage> {
    let p = user.principal();
    let (t, a) = service::visible_team(&state.db, &p, id).await?;
    let day = today();
    let mediators = store::mediators_of(&state.db, id).await?;
    let warnings = service::team_warnings(&t, &mediators, day)?;
    let (to, from) = store::links(&state.db, id).await?;
    let link_text = |l: &store::LinkRow| format!("{} ({}, {})", l.team_name, if l.kind == "merge" { "hợp nhất" } else { "chia tách" }, text_vi::format_date(l.effective));
    let year = day.year();
    let (cases, refused) = if a.personal {
        let (ys, ye) = service::year_bounds(year - 1);
        let _ = ys;
        let list = store::cases_of_team(&state.db, id, service::year_bounds(year - 1).0, ye.max(day), 200).await?;
        let refused = list.iter().filter(|k| k.status == "refused").count();
        (list.iter().map(case_item).collect(), refused)
    } else {
        (Vec::new(), 0)
    };
    let trainings = if a.personal || a.manage {
        store::trainings_of_team(&state.db, id).await?.into_iter().map(|r| (r.mediator_name, r.title, r.organiser, format!("{} – {}", text_vi::format_date(r.start_on), text_vi::format_date(r.end_on)), format!("{} giờ{}", r.hours, if r.certificate { ", có chứng nhận" } else { "" }))).collect()
    } else {
        Vec::new()
    };
    let others = if a.manage {
        store::teams_in(&state.db, &format!("{}%", kernel::db::units::get(&state.db, t.commune_id).await?.path)).await?.into_iter().filter(|o| o.id != id && o.ended_on.is_none()).map(|o| (o.id, o.name)).collect()
    } else {
        Vec::new()
    };
    let mut f = r.f;
    for (k, v) in [("served_from", text_vi::format_date(day)), ("on", text_vi::format_date(day))] {
        f.0.entry(k.to_string()).or_insert(v);
    }
    Ok(TeamPage {
        l: layout(user, t.name.clone(), tb),
        established: text_vi::format_date(t.established_on),
        decision: decision_line(t.decision_no.as_deref(), t.decision_on, t.decision_signer.as_deref()),
        leader_decision: decision_line(t.leader_decision_no.as_deref(), t.leader_decision_on, None),
        warnings,
        serving: mediators.iter().filter(|m| m.ended_on.is_none()).map(|m| (m.id, m.full_name.clone())).collect(),
        mediators: mediators
            .iter()
            .map(|m| MediatorView {
                id: m.id,
                name: m.full_name.clone(),
                gender: gender_label(&m.gender),
                birth_year: m.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                ethnicity: m.ethnicity.clone().unwrap_or_default(),
                phone: if a.personal { m.phone.clone().unwrap_or_default() } else { String::new() },
                occupation: m.occupation.clone().unwrap_or_default(),
                recognition: decision_line(m.recognition_no.as_deref(), m.recognition_on, None),
                served: match m.ended_on {
                    Some(e) => format!("Thôi từ {} ({})", text_vi::format_date(e), m.end_reason.clone().unwrap_or_default()),
                    None => format!("Từ {}", text_vi::format_date(m.served_from)),
                },
                leader: t.leader_id == Some(m.id),
                ended: m.ended_on.is_some(),
                trainings: m.trainings,
                election: match (&m.election_form, m.households_present, m.households_total, m.votes_for) {
                    (Some(form), present, total, votes) => format!(
                        "{form}; {} / {} hộ dự họp; {} phiếu đồng ý",
                        present.map(text_vi::format_int).unwrap_or_default(),
                        total.map(text_vi::format_int).unwrap_or_default(),
                        votes.map(text_vi::format_int).unwrap_or_default()
                    ),
                    _ => String::new(),
                },
            })
            .collect(),
        became: to.iter().map(link_text).collect(),
        came_from: from.iter().map(link_text).collect(),
        cases,
        refused,
        trainings,
        others,
        year,
        errors: r.errors,
        import_errors: r.import_errors,
        decision_error: r.decision_error,
        f,
        t,
        a,
    })
}

fn decision_line(no: Option<&str>, on: Option<NaiveDate>, signer: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(no) = no.filter(|n| !n.is_empty()) {
        s.push_str(&format!("Quyết định số {no}"));
    }
    if let Some(on) = on {
        s.push_str(&format!("{}ngày {}", if s.is_empty() { "" } else { " " }, text_vi::format_date(on)));
    }
    if let Some(signer) = signer.filter(|n| !n.is_empty()) {
        s.push_str(&format!(" ({signer})"));
    }
    s
}

fn case_item(k: &CaseRow) -> CaseItem {
    let s = Status::parse(&k.status).unwrap_or(Status::Received);
    CaseItem {
        href: format!("/hoa-giai/vu-viec/{}", k.id),
        received: text_vi::format_date(k.received_on),
        field: field_name(&k.field, k.received_on),
        party: k.parties.clone().unwrap_or_default(),
        status: s.label(),
        badge: s.badge(),
    }
}

/// `GET /hoa-giai/to/{id}`.
pub async fn team_show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    render(&team_page(&state, &user, id, q.tb.as_deref(), TeamRetry::default()).await?)
}

async fn team_invalid(state: &AppState, user: &CurrentUser, id: i64, r: TeamRetry) -> AppResult<Response> {
    render_invalid(&team_page(state, user, id, None, r).await?)
}

fn opt_int(errors: &mut FieldErrors, f: &Typed, key: &'static str) -> Option<i64> {
    let s = f.get(key).trim().replace('.', "");
    if s.is_empty() {
        return None;
    }
    match s.parse::<i64>() {
        Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
        _ => {
            errors.add(key, msg::NOT_A_NUMBER);
            None
        }
    }
}

/// `POST /hoa-giai/to/{id}/hoa-giai-vien`: one mediator typed in, with the election record.
pub async fn mediator_add(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let f = Typed::from_pairs(&pairs);
    let mut errors = FieldErrors::default();
    let keys = ["full_name", "gender", "birth_year", "ethnicity", "address", "phone", "occupation", "legal_training", "membership", "recognition_no", "recognition_on", "leader"];
    let raw: Vec<(&'static str, &str)> = COLUMNS.iter().zip(keys).map(|(c, k)| (*c, f.get(k))).collect();
    let served_from = parse_date_field(&mut errors, &f, "served_from", true);
    let election = Election {
        form: Some(f.get("election_form").trim().to_string()).filter(|s| !s.is_empty()),
        households_total: opt_int(&mut errors, &f, "households_total"),
        households_present: opt_int(&mut errors, &f, "households_present"),
        votes_for: opt_int(&mut errors, &f, "votes_for"),
    };
    let m = match roster::check(&raw, today().year()) {
        Ok(m) => Some(m),
        Err(list) => {
            for (col, m) in list {
                let key = COLUMNS.iter().position(|c| *c == col).and_then(|i| keys.get(i)).copied().unwrap_or("full_name");
                errors.add(key, m);
            }
            None
        }
    };
    if let (Some(m), Some(served_from), true) = (m, served_from, errors.is_empty()) {
        service::add_mediators(&state.db, &meta.actor(&user), &user.principal(), id, &[(m, election)], served_from, "nhập trên trang").await?;
        return Ok(Redirect::to(&format!("/hoa-giai/to/{id}?tb=mediator#doi-ngu")).into_response());
    }
    team_invalid(&state, &user, id, TeamRetry { errors, f, ..Default::default() }).await
}

/// `POST /hoa-giai/to/{id}/nhap` (multipart): a roster from XLSX; nothing is imported while
/// any row has an error.
pub async fn roster_import(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let (_, access) = service::visible_team(&state.db, &user.principal(), id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let fail = |m: Vec<String>| TeamRetry { import_errors: m, ..Default::default() };
    let Ok(mp) = mp else { return team_invalid(&state, &user, id, fail(vec![kernel::msg::FORM_UNREADABLE.into()])).await };
    let up = match kernel::page::read_upload(mp, state.config.limits.upload_bytes).await {
        Ok(up) => up,
        Err(m) => return team_invalid(&state, &user, id, fail(vec![m.into()])).await,
    };
    if up.too_large || up.bytes.is_empty() {
        let m = if up.too_large { kernel::msg::FILE_TOO_LARGE } else { msg::NO_FILE };
        return team_invalid(&state, &user, id, fail(vec![m.into()])).await;
    }
    if !kernel::heavy::allow_upload(&state.db, user.account.id, "roster_import", state.config.limits.imports_per_minute).await? {
        let mut page = team_invalid(&state, &user, id, fail(vec![kernel::msg::IMPORTS_TOO_FREQUENT.into()])).await?;
        *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(page);
    }
    let bytes = up.bytes;
    let read = match state.heavy.run(move || documents::table::read_table_xlsx(&bytes, roster::ANCHOR)).await {
        Ok(r) => r,
        Err(kernel::heavy::HeavyError::Failed) => return Err(AppError::Internal("roster import failed".into())),
        Err(e) => return team_invalid(&state, &user, id, fail(vec![e.message().into()])).await,
    };
    let table = match read {
        Ok(t) => t,
        Err(e) => {
            let m = match e {
                documents::ReadError::NoHeader => msg::NO_HEADER,
                documents::ReadError::TooLarge => msg::TOO_LARGE,
                _ => msg::NOT_XLSX,
            };
            return team_invalid(&state, &user, id, fail(vec![m.into()])).await;
        }
    };
    let day = today();
    match roster::parse(&table.header, &table.rows, day.year()) {
        Ok(list) => {
            let list: Vec<(MediatorInput, Election)> = list.into_iter().map(|m| (m, Election::default())).collect();
            service::add_mediators(&state.db, &meta.actor(&user), &user.principal(), id, &list, day, "nhập từ tệp Excel").await?;
            Ok(Redirect::to(&format!("/hoa-giai/to/{id}?tb=imported#doi-ngu")).into_response())
        }
        Err(errs) => team_invalid(&state, &user, id, fail(errs.iter().map(|e| msg::row_error(e.row, e.column, &e.message)).collect())).await,
    }
}

/// `POST /hoa-giai/to/{id}/quyet-dinh` (multipart): the scanned establishment decision of the
/// team (PDF, DOCX, PNG or JPEG), checked by its content; an error is shown beside the form. An
/// ended team may still get the decision it was founded by, for the archive.
pub async fn decision_upload(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let (_, access) = service::visible_team(&state.db, &user.principal(), id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let fail = |m: &str| TeamRetry { decision_error: m.to_string(), ..Default::default() };
    let Ok(mp) = mp else { return team_invalid(&state, &user, id, fail(kernel::msg::FORM_UNREADABLE)).await };
    let up = match kernel::page::read_upload(mp, state.config.limits.upload_bytes).await {
        Ok(up) => up,
        Err(m) => return team_invalid(&state, &user, id, fail(m)).await,
    };
    if up.too_large {
        return team_invalid(&state, &user, id, fail(kernel::msg::FILE_TOO_LARGE)).await;
    }
    if up.bytes.is_empty() {
        return team_invalid(&state, &user, id, fail(msg::DECISION_FILE_REQUIRED)).await;
    }
    let ct = match documents::sniff::check_evidence(&up.file_name, &up.bytes) {
        Ok("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") => return team_invalid(&state, &user, id, fail(msg::DECISION_FILE_TYPE)).await,
        Ok(ct) => ct,
        Err(documents::sniff::Sniffed::UnknownType) => return team_invalid(&state, &user, id, fail(msg::DECISION_FILE_TYPE)).await,
        Err(documents::sniff::Sniffed::Mismatch) => return team_invalid(&state, &user, id, fail(msg::DECISION_FILE_MISMATCH)).await,
    };
    service::attach_decision(&state.db, &meta.actor(&user), &user.principal(), id, (&up.file_name, ct, &up.bytes)).await?;
    Ok(Redirect::to(&format!("/hoa-giai/to/{id}?tb=decision")).into_response())
}

/// `GET /hoa-giai/to/{id}/quyet-dinh`: the scanned establishment decision, to whoever sees the
/// team (it holds no party's data).
pub async fn decision_download(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let (t, _) = service::visible_team(&state.db, &user.principal(), id).await?;
    let file_id = t.decision_file_id.ok_or(AppError::NotFound)?;
    let meta = kernel::db::files::meta(&state.db, file_id).await?;
    let data = kernel::db::files::data(&state.db, file_id).await?;
    let ct: &'static str = documents::sniff::check_evidence(&meta.name, &data).unwrap_or("application/octet-stream");
    Ok(attachment(ct, &meta.name, data))
}

/// `GET /hoa-giai/to/{id}/danh-sach.xlsx`: the roster in the importer's columns (phones only
/// for the team and the commune).
pub async fn roster_xlsx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let (t, a) = service::visible_team(&state.db, &user.principal(), id).await?;
    let mediators = store::mediators_of(&state.db, id).await?;
    let bytes = crate::export::roster_xlsx(&t, &mediators, a.personal)?;
    Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("danh-sach-hoa-giai-vien-{}.xlsx", t.name), bytes))
}

/// `POST /hoa-giai/to/{id}/to-truong`.
pub async fn leader_set(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let f = Typed::from_pairs(&pairs);
    let mut errors = FieldErrors::default();
    let on = parse_date_field(&mut errors, &f, "leader_on", false);
    let mediator: Option<i64> = f.get("mediator").trim().parse().ok();
    if mediator.is_none() {
        errors.add("leader_mediator", msg::NO_MEDIATOR_CHOSEN);
    }
    if let (Some(m), true) = (mediator, errors.is_empty()) {
        match service::set_leader(&state.db, &meta.actor(&user), &user.principal(), id, m, f.get("leader_no"), on).await? {
            Ok(()) => return Ok(Redirect::to(&format!("/hoa-giai/to/{id}?tb=leader#doi-ngu")).into_response()),
            Err(e) => errors.add("leader_mediator", e),
        }
    }
    team_invalid(&state, &user, id, TeamRetry { errors, f, ..Default::default() }).await
}

/// `POST /hoa-giai/to/{id}/tai-khoan`: a mediator's own account.
pub async fn account_link(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let f = Typed::from_pairs(&pairs);
    let mut errors = FieldErrors::default();
    let mediator: Option<i64> = f.get("mediator").trim().parse().ok();
    if mediator.is_none() {
        errors.add("account_mediator", msg::NO_MEDIATOR_CHOSEN);
    }
    if f.get("username").trim().is_empty() {
        errors.add("account_username", msg::ACCOUNT_NOT_FOUND);
    }
    if let (Some(m), true) = (mediator, errors.is_empty()) {
        match service::link_account(&state.db, &meta.actor(&user), &user.principal(), id, m, f.get("username")).await? {
            Ok(()) => return Ok(Redirect::to(&format!("/hoa-giai/to/{id}?tb=account#doi-ngu")).into_response()),
            Err(e) => errors.add("account_username", e),
        }
    }
    team_invalid(&state, &user, id, TeamRetry { errors, f, ..Default::default() }).await
}

/// `POST /hoa-giai/to/{id}/thoi`: a mediator's end of service.
pub async fn mediator_end(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let f = Typed::from_pairs(&pairs);
    let mut errors = FieldErrors::default();
    let on = parse_date_field(&mut errors, &f, "end_on", true);
    let mediator: Option<i64> = f.get("mediator").trim().parse().ok();
    if mediator.is_none() {
        errors.add("end_mediator", msg::NO_MEDIATOR_CHOSEN);
    }
    if let (Some(m), Some(on), true) = (mediator, on, errors.is_empty()) {
        let mm = store::mediator(&state.db, m).await.map_err(service::not_found)?;
        if mm.team_id != id {
            return Err(AppError::NotFound);
        }
        match service::end_mediator(&state.db, &meta.actor(&user), &user.principal(), m, on, f.get("end_reason")).await? {
            Ok(_) => return Ok(Redirect::to(&format!("/hoa-giai/to/{id}?tb=ended#doi-ngu")).into_response()),
            Err(e) => errors.add("end_reason", e),
        }
    }
    team_invalid(&state, &user, id, TeamRetry { errors, f, ..Default::default() }).await
}

/// `POST /hoa-giai/to/{id}/hop-nhat`: the team merges into, or splits into, other teams.
pub async fn team_succeed(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let f = Typed::from_pairs(&pairs);
    let mut errors = FieldErrors::default();
    let on = parse_date_field(&mut errors, &f, "succeed_on", true);
    let successors = all(&pairs, "successor");
    if let (Some(on), true) = (on, errors.is_empty()) {
        match service::succeed_team(&state.db, &meta.actor(&user), &user.principal(), id, &service::Succession { successors: &successors, kind: f.get("kind"), on, note: f.get("note") }).await? {
            Ok(()) => return Ok(Redirect::to(&format!("/hoa-giai/to/{id}?tb=merged")).into_response()),
            Err(e) => errors.add("successor", e),
        }
    }
    team_invalid(&state, &user, id, TeamRetry { errors, f, ..Default::default() }).await
}

/// `POST /hoa-giai/to/{id}/tap-huan`: a course a mediator attended.
pub async fn training_add(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let f = Typed::from_pairs(&pairs);
    let mut errors = FieldErrors::default();
    let start = parse_date_field(&mut errors, &f, "course_start", true);
    let end = parse_date_field(&mut errors, &f, "course_end", true);
    let hours = opt_int(&mut errors, &f, "course_hours");
    let mediator: Option<i64> = f.get("mediator").trim().parse().ok();
    let title = text_vi::nfc(f.get("course_title").trim());
    let organiser = text_vi::nfc(f.get("course_organiser").trim());
    if mediator.is_none() {
        errors.add("course_mediator", msg::NO_MEDIATOR_CHOSEN);
    }
    if title.is_empty() {
        errors.add("course_title", msg::COURSE_TITLE_REQUIRED);
    }
    if let (Some(a), Some(b)) = (start, end)
        && b < a
    {
        errors.add("course_end", msg::COURSE_END_BEFORE_START);
    }
    if let (Some(m), Some(start_on), Some(end_on), true) = (mediator, start, end, errors.is_empty()) {
        let t = store::NewTraining { mediator_id: m, title: &title, organiser: &organiser, start_on, end_on, hours: hours.unwrap_or(0), certificate: f.is("course_certificate", "1") };
        service::add_training(&state.db, &meta.actor(&user), &user.principal(), id, &t).await?;
        return Ok(Redirect::to(&format!("/hoa-giai/to/{id}?tb=training#tap-huan")).into_response());
    }
    team_invalid(&state, &user, id, TeamRetry { errors, f, ..Default::default() }).await
}

/// `GET /hoa-giai/to/{id}/so-theo-doi.xlsx?nam=2026`: the tracking book of a year (the team and
/// the commune only: it names the parties).
pub async fn book_xlsx(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let (t, year) = book_for(&state, &user, &meta, id, &q).await?;
    let bytes = crate::export::book_file(&state.db, &t, year, BookFormat::Xlsx, BOOK_CACHE_MIN_ROWS).await?;
    Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("so-theo-doi-hoa-giai-{}-{year}.xlsx", t.name), bytes))
}

/// `GET /hoa-giai/to/{id}/so-theo-doi.docx?nam=2026`: the same book as DOCX (Nghị định 30
/// layout), signed by the leader.
pub async fn book_docx(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let (t, year) = book_for(&state, &user, &meta, id, &q).await?;
    let bytes = crate::export::book_file(&state.db, &t, year, BookFormat::Docx, BOOK_CACHE_MIN_ROWS).await?;
    Ok(attachment("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &format!("so-theo-doi-hoa-giai-{}-{year}.docx", t.name), bytes))
}

/// `GET /hoa-giai/vu-viec/{id}/van-ban.docx`: the written agreement of a successful case.
pub async fn agreement_docx(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    let (k, t, _) = service::visible_case(&state.db, &meta.actor(&user), &user.principal(), id).await?;
    if k.status != Status::Settled.as_str() {
        return Err(AppError::NotFound);
    }
    let parties = store::parties(&state.db, id).await?;
    let mediators: Vec<String> = store::case_mediators(&state.db, id).await?.into_iter().filter(|m| !m.conflict).map(|m| m.full_name).collect();
    let bytes = crate::export::agreement_docx(&t, &k, &parties, &mediators, &field_name(&k.field, k.received_on))?;
    Ok(attachment("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &format!("van-ban-hoa-giai-thanh-{id}.docx"), bytes))
}

/// The tracking book a team's own people may read (404 for everyone else); a read by the
/// commune is audited.
async fn book_for(state: &AppState, user: &CurrentUser, meta: &ReqMeta, id: i64, q: &PeriodQuery) -> AppResult<(TeamRow, i32)> {
    let p = user.principal();
    let (t, a) = service::visible_team(&state.db, &p, id).await?;
    if !a.personal {
        return Err(AppError::NotFound);
    }
    let year = q.nam.as_deref().and_then(|y| y.trim().parse::<i32>().ok()).filter(|y| (2000..=2100).contains(y)).unwrap_or(today().year());
    if !a.member {
        let mut tx = state.db.begin().await?;
        kernel::db::audit::record(&mut tx, &meta.actor(user), kernel::db::audit::Entry {
            action: "read", entity: "mediation_book", entity_id: Some(id.to_string()), unit_id: Some(t.village_id),
            summary: msg::audit_read_book(&t.name, year), before: None, after: None,
        }).await?;
        tx.commit().await?;
    }
    Ok((t, year))
}

// ================================================================== cases

#[derive(Template)]
#[template(path = "mediation/case_new.html")]
struct CaseNewPage {
    l: Layout,
    t: TeamRow,
    origins: Vec<(&'static str, &'static str)>,
    fields: Vec<(String, String)>,
    exclusions: Vec<(String, String, String)>,
    errors: FieldErrors,
    f: Typed,
    fresh: bool,
}

async fn case_new_page(state: &AppState, user: &CurrentUser, id: i64, errors: FieldErrors, f: Typed, fresh: bool) -> AppResult<CaseNewPage> {
    user.require(Action::RecordMediationCases)?;
    let (t, a) = service::visible_team(&state.db, &user.principal(), id).await?;
    if !a.record {
        return Err(AppError::Forbidden);
    }
    if t.ended_on.is_some() {
        return Err(AppError::BadRequest(msg::TEAM_ENDED.into()));
    }
    let v = service::version_on(today())?;
    Ok(CaseNewPage {
        l: layout(user, msg::TITLE_NEW_CASE, None),
        origins: ORIGINS.iter().map(|o| (o.as_str(), o.label())).collect(),
        fields: v.fields.iter().map(|x| (x.code.clone(), x.name.clone())).collect(),
        exclusions: v.exclusions.iter().map(|x| (x.code.clone(), x.text.clone(), x.basis.clone())).collect(),
        errors,
        f,
        fresh,
        t,
    })
}

/// `GET /hoa-giai/to/{id}/vu-viec/moi`: the intake form, short enough for a phone.
pub async fn case_new(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let f = Typed([("received_on".to_string(), text_vi::format_date(today())), ("origin".to_string(), "party_request".to_string())].into_iter().collect());
    render(&case_new_page(&state, &user, id, FieldErrors::default(), f, true).await?)
}

/// `POST /hoa-giai/to/{id}/vu-viec`: opens the case, or records an excluded matter.
pub async fn case_create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::RecordMediationCases)?;
    let f = Typed::from_pairs(&pairs);
    let mut errors = FieldErrors::default();
    let received_on = parse_date_field(&mut errors, &f, "received_on", true);
    let origin = Origin::parse(f.get("origin"));
    if origin.is_none() {
        errors.add("origin", msg::BAD_ORIGIN);
    }
    let v = service::version_on(received_on.unwrap_or(today()))?;
    if v.field(f.get("field")).is_none() {
        errors.add("field", msg::BAD_FIELD);
    }
    let summary = text_vi::nfc(f.get("summary").trim());
    if summary.is_empty() {
        errors.add("summary", msg::SUMMARY_REQUIRED);
    } else if summary.chars().count() > 4000 {
        errors.add("summary", msg::too_long(4000));
    }
    let mut parties = Vec::new();
    for i in 1..=3 {
        let name = text_vi::nfc(f.get(&format!("p{i}_name")).trim());
        let year_key: &'static str = match i {
            1 => "p1_year",
            2 => "p2_year",
            _ => "p3_year",
        };
        let year = match roster::parse_birth_year(f.get(year_key), today().year() + 15) {
            Ok(y) => y,
            Err(m) => {
                errors.add(year_key, m);
                None
            }
        };
        if name.chars().count() > 200 {
            errors.add(if i == 1 { "p1_name" } else { "p2_name" }, msg::too_long(200));
        }
        if !name.is_empty() {
            parties.push(PartyInput { full_name: name, birth_year: year, address: text_vi::nfc(f.get(&format!("p{i}_address")).trim()) });
        }
    }
    if parties.is_empty() {
        errors.add("p1_name", msg::PARTY_REQUIRED);
    }
    let exclusion = if f.is("excluded", "1") {
        let code = f.get("exclusion").to_string();
        if v.exclusion(&code).is_none() {
            errors.add("exclusion", msg::BAD_EXCLUSION);
        }
        let action = f.get("exclusion_action");
        if !matches!(action, "refuse" | "refer") {
            errors.add("exclusion_action", msg::EXCLUSION_ACTION);
        }
        if action == "refer" && f.get("referred_to").trim().is_empty() {
            errors.add("referred_to", msg::REFERRED_TO_REQUIRED);
        }
        Some((code, action == "refer"))
    } else {
        None
    };
    if let (Some(received_on), Some(origin), true) = (received_on, origin, errors.is_empty()) {
        let input = CaseInput { received_on, origin, field: f.get("field").into(), summary, parties, exclusion: exclusion.clone(), referred_to: text_vi::nfc(f.get("referred_to").trim()) };
        let case_id = service::create_case(&state.db, &meta.actor(&user), &user.principal(), id, &input).await?;
        let tb = if exclusion.is_some() { "refused" } else { "case" };
        return Ok(Redirect::to(&format!("/hoa-giai/vu-viec/{case_id}?tb={tb}")).into_response());
    }
    let mut page = case_new_page(&state, &user, id, errors, f, false).await?;
    page.l.title = msg::TITLE_NEW_CASE.into();
    render_invalid(&page)
}

/// The id of a step form's date field, where its date errors show.
fn on_key(step: Option<Step>) -> &'static str {
    match step {
        Some(Step::Assign) => "on-assign",
        Some(Step::Start) => "on-start",
        Some(Step::Succeed) => "on-succeed",
        Some(Step::Fail) => "on-fail",
        Some(Step::Stop) => "on-stop",
        Some(Step::Refer) => "on-refer",
        Some(Step::FollowUp) | None => "buoc",
    }
}

#[derive(Template)]
#[template(path = "mediation/case.html")]
struct CasePage {
    l: Layout,
    k: CaseRow,
    t: TeamRow,
    status: &'static str,
    badge: &'static str,
    origin: &'static str,
    field: String,
    exclusion: String,
    parties: Vec<store::PartyRow>,
    assigned: Vec<String>,
    conflicts: Vec<String>,
    serving: Vec<(i64, String)>,
    events: Vec<(String, String, String, String)>,
    steps: Vec<&'static str>,
    follow_ups: Vec<(&'static str, &'static str)>,
    follow_up: String,
    late: String,
    dates: Vec<(&'static str, String)>,
    payable: String,
    errors: FieldErrors,
    f: Typed,
    form: String,
}

fn event_label(kind: &str) -> &'static str {
    match kind {
        "received" => "Tiếp nhận",
        "refused" => "Từ chối hòa giải (thuộc trường hợp không được hòa giải)",
        "referred" => "Chuyển cơ quan có thẩm quyền",
        "assign" => "Phân công hòa giải viên",
        "start" => "Bắt đầu hòa giải",
        "succeed" => "Hòa giải thành",
        "fail" => "Hòa giải không thành",
        "stop" => "Dừng theo đề nghị của các bên",
        "refer" => "Chuyển cơ quan có thẩm quyền",
        "follow_up" => "Theo dõi thực hiện thỏa thuận",
        _ => "Cập nhật",
    }
}

/// A step form that came back: its errors, what was typed, and which step it was.
#[derive(Default)]
struct CaseRetry {
    errors: FieldErrors,
    f: Typed,
    form: String,
}

async fn case_page(state: &AppState, user: &CurrentUser, meta: &ReqMeta, id: i64, tb: Option<&str>, r: CaseRetry) -> AppResult<CasePage> {
    let CaseRetry { errors, f, form } = r;
    let p = user.principal();
    let (k, t, a) = service::visible_case(&state.db, &meta.actor(user), &p, id).await?;
    let s = Status::parse(&k.status).unwrap_or(Status::Received);
    let v = service::version_on(k.received_on)?;
    let cm = store::case_mediators(&state.db, id).await?;
    let within = v.timing.start_within_days;
    let late = match (k.assigned_on, k.started_on) {
        (Some(x), Some(y)) if case::start_is_late(x, y, within) => msg::late_start(within, k.late_reason.as_deref().unwrap_or("")),
        (Some(x), None) if s == Status::Assigned && case::start_is_late(x, today(), within) => msg::late_pending(within),
        _ => String::new(),
    };
    let mut f = f;
    f.0.entry("on".into()).or_insert_with(|| text_vi::format_date(today()));
    Ok(CasePage {
        l: layout(user, msg::case_title(k.id), tb),
        status: s.label(),
        badge: s.badge(),
        origin: Origin::parse(&k.origin).map(|o| o.label()).unwrap_or(""),
        field: field_name(&k.field, k.received_on),
        exclusion: k.exclusion.as_deref().and_then(|c| v.exclusion(c)).map(|e| format!("{} ({})", e.text, e.basis)).unwrap_or_default(),
        parties: store::parties(&state.db, id).await?,
        assigned: cm.iter().filter(|m| !m.conflict).map(|m| m.full_name.clone()).collect(),
        conflicts: cm.iter().filter(|m| m.conflict).map(|m| m.full_name.clone()).collect(),
        serving: store::mediators_of(&state.db, t.id).await?.into_iter().filter(|m| m.ended_on.is_none()).map(|m| (m.id, m.full_name)).collect(),
        events: store::events(&state.db, id)
            .await?
            .into_iter()
            .map(|e| (text_vi::format_datetime(e.at), event_label(&e.kind).to_string(), e.note.unwrap_or_default(), e.account_name.unwrap_or_default()))
            .collect(),
        steps: if a.record { case::steps_from(s).into_iter().map(Step::as_str).collect() } else { Vec::new() },
        follow_ups: FOLLOW_UPS.iter().map(|x| (x.as_str(), x.label())).collect(),
        follow_up: k.follow_up.as_deref().and_then(case::FollowUp::parse).map(|x| x.label().to_string()).unwrap_or_default(),
        late,
        dates: [
            ("Ngày tiếp nhận", Some(k.received_on)),
            ("Ngày phân công", k.assigned_on),
            ("Ngày bắt đầu hòa giải", k.started_on),
            ("Ngày kết thúc", k.ended_on),
            ("Ngày chi thù lao", k.paid_on),
        ]
        .into_iter()
        .filter_map(|(l, d)| d.map(|d| (l, text_vi::format_date(d))))
        .collect(),
        payable: k.payable.map(|n| format!("{} đồng", text_vi::format_int(n))).unwrap_or_default(),
        errors,
        f,
        form,
        k,
        t,
    })
}

impl CasePage {
    fn can(&self, step: &str) -> bool {
        self.steps.contains(&step)
    }
}

/// `GET /hoa-giai/vu-viec/{id}`: the case, to the team and the commune only (404 otherwise).
pub async fn case_show(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    render(&case_page(&state, &user, &meta, id, q.tb.as_deref(), CaseRetry::default()).await?)
}

/// `POST /hoa-giai/vu-viec/{id}/buoc`: one workflow step.
pub async fn case_step(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::RecordMediationCases)?;
    let p = user.principal();
    let f = Typed::from_pairs(&pairs);
    let (k, t, a) = service::visible_case(&state.db, &meta.actor(&user), &p, id).await?;
    if !a.record {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let step = Step::parse(f.get("step"));
    let on_key = on_key(step);
    let on = match parse_date_field(&mut errors, &f, "on", false) {
        d if errors.has("on") => {
            let m = errors.get("on");
            errors.0.remove("on");
            errors.add(on_key, m);
            d
        }
        d => d,
    };
    let form = f.get("step").to_string();
    match (step, errors.is_empty()) {
        (Some(s), true) => {
            let input = StepInput {
                on,
                mediators: all(&pairs, "mediator"),
                conflicts: all(&pairs, "conflict"),
                late_reason: f.get("late_reason").into(),
                agreement: f.get("agreement").into(),
                positions: f.get("positions").into(),
                referred_to: f.get("referred_to").into(),
                escalation: f.get("escalation").into(),
                follow_up: f.get("follow_up").into(),
                note: f.get("note").into(),
            };
            match service::step(&state.db, &meta.actor(&user), &p, (&k, &t), s, &input, today()).await {
                Ok(Ok(())) => return Ok(Redirect::to(&format!("/hoa-giai/vu-viec/{id}?tb=step")).into_response()),
                Ok(Err((key, m))) => errors.add(match key {
                    "on" => on_key,
                    "step" => "buoc",
                    k => k,
                }, m),
                Err(AppError::BadRequest(m)) => errors.add("buoc", m),
                Err(e) => return Err(e),
            }
        }
        (None, _) => errors.add("buoc", msg::step_not_allowed(Status::parse(&k.status).unwrap_or(Status::Received).label())),
        _ => {}
    }
    render_invalid(&case_page(&state, &user, &meta, id, None, CaseRetry { errors, f, form }).await?)
}

// ================================================================== remuneration

pub struct PaymentLine {
    pub id: i64,
    pub team: String,
    pub outcome: &'static str,
    pub ended: String,
    pub amount: String,
    pub paid: String,
}

#[derive(Template)]
#[template(path = "mediation/payments.html")]
struct PaymentsPage {
    l: Layout,
    from: String,
    to: String,
    lines: Vec<PaymentLine>,
    teams: Vec<(String, String, String)>,
    total: String,
    unpaid: usize,
    /// The commune's own officers mark payments; the units above only read the list.
    can_mark: bool,
    basis: Vec<String>,
}

async fn payment_rows(state: &AppState, user: &CurrentUser, q: &PeriodQuery) -> AppResult<(kernel::db::units::Unit, NaiveDate, NaiveDate, Vec<(CaseRow, String)>)> {
    user.require(Action::ManageMediation)?;
    let unit = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    let (start, end) = q.period(today());
    let rows = store::payable_cases(&state.db, &format!("{}%", unit.path), start, end).await?;
    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    let mut out = Vec::new();
    for k in rows {
        if let std::collections::btree_map::Entry::Vacant(e) = names.entry(k.team_id) {
            e.insert(store::team(&state.db, k.team_id).await?.name);
        }
        let name = names.get(&k.team_id).cloned().unwrap_or_default();
        out.push((k, name));
    }
    Ok((unit, start, end, out))
}

/// `GET /hoa-giai/thu-lao`: the remuneration due to the commune's teams for a period.
pub async fn payments(State(state): State<AppState>, user: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let (unit, start, end, rows) = payment_rows(&state, &user, &q).await?;
    let mut by_team: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut total = 0;
    for (k, team) in &rows {
        let e = by_team.entry(team.clone()).or_default();
        e.0 += 1;
        e.1 += k.payable.unwrap_or(0);
        total += k.payable.unwrap_or(0);
    }
    let mut teams: Vec<(String, String, String)> = by_team.into_iter().map(|(n, (c, a))| (n, text_vi::format_int(c), text_vi::format_int(a))).collect();
    text_vi::sort_by_key(&mut teams, |t| t.0.as_str());
    let v = service::version_on(end)?;
    render(&PaymentsPage {
        l: layout(&user, msg::TITLE_PAYMENTS, q.tb.as_deref()),
        from: text_vi::format_date(start),
        to: text_vi::format_date(end),
        unpaid: rows.iter().filter(|(k, _)| k.paid_on.is_none()).count(),
        can_mark: unit.level() == Some(kernel::unit::UnitLevel::Commune),
        lines: rows
            .iter()
            .map(|(k, team)| PaymentLine {
                id: k.id,
                team: team.clone(),
                outcome: Status::parse(&k.status).map(|s| s.label()).unwrap_or(""),
                ended: date(k.ended_on),
                amount: text_vi::format_int(k.payable.unwrap_or(0)),
                paid: date(k.paid_on),
            })
            .collect(),
        teams,
        total: text_vi::format_int(total),
        basis: v.rates.iter().map(|r| format!("{}: {} đồng/vụ, việc — {}", if r.outcome == "settled" { "Hòa giải thành" } else { "Hòa giải không thành" }, text_vi::format_int(r.amount), r.basis)).collect(),
    })
}

/// `GET /hoa-giai/thu-lao.xlsx`.
pub async fn payments_xlsx(State(state): State<AppState>, user: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let (unit, start, end, rows) = payment_rows(&state, &user, &q).await?;
    let bytes = crate::export::payments_xlsx(&unit.name, start, end, &rows)?;
    Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("thu-lao-hoa-giai-{}.xlsx", unit.name), bytes))
}

/// `POST /hoa-giai/thu-lao`: marks the chosen cases as paid.
pub async fn payments_mark(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageMediation)?;
    let f = Typed::from_pairs(&pairs);
    let on = text_vi::parse_date(f.get("paid_on")).ok().filter(|d| *d <= today()).unwrap_or(today());
    let ids = all(&pairs, "case");
    service::mark_paid(&state.db, &meta.actor(&user), &user.principal(), &ids, on).await?;
    let back = format!("/hoa-giai/thu-lao?tu={}&den={}&tb=paid", urlencode(f.get("tu")), urlencode(f.get("den")));
    Ok(Redirect::to(&back).into_response())
}

fn urlencode(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit() || *c == '/').map(|c| if c == '/' { "%2F".to_string() } else { c.to_string() }).collect()
}

const SCRIPT: &str = include_str!("../static/hoa-giai.js");

/// `GET /static/hoa-giai.js`: keeps the intake form's input in the browser until it is sent.
pub async fn script() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (axum::http::header::CACHE_CONTROL, "public, max-age=3600")], SCRIPT).into_response()
}
