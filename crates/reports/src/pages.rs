//! Periodic reports (báo cáo định kỳ): the reporter's list, schedules and their rounds, the
//! round page (completeness, totals with drill-down on the old tree or today's map, charts,
//! reminders, exports), the report page (entry with validation beside each field, submit,
//! review, lock reasons, unlock, comments, history, XLSX download and import) and the form
//! versions with the administrator's editor.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use kernel::db::audit::{self, Entry as AuditEntry};
use crate::store::{Report, Round, StoredValue};
use kernel::account::Action;
use crate::msg as rm;
use crate::rules::{self, IndicatorKind, ReportEvent, ReportForm, ReportState, RoundStatus, Value, ValueKey, Values};
use kernel::unit::UnitLevel;
use serde::Deserialize;
use serde_json::json;

use kernel::page::{FieldErrors, Layout, ReqMeta, clean, fmt_date, render, render_invalid, today};
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use crate::service::{self, MapView};
use kernel::state::AppState;

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    #[serde(default)]
    pub tb: Option<String>,
}

fn flash(key: Option<&str>) -> Option<&'static str> {
    Some(match key? {
        "round_opened" => rm::ROUND_OPENED,
        "round_closed" => rm::ROUND_CLOSED,
        "rounds_generated" => rm::ROUNDS_GENERATED,
        "draft_saved" => rm::DRAFT_SAVED,
        "submitted" => rm::SUBMITTED,
        "approved" => rm::APPROVED,
        "returned" => rm::RETURNED,
        "unlocked" => rm::UNLOCKED,
        "comment_added" => rm::COMMENT_ADDED,
        "form_saved" => rm::FORM_SAVED,
        "imported" => rm::IMPORTED,
        "reminders_sent" => rm::REMINDERS_SENT,
        _ => return None,
    })
}

fn layout(user: &CurrentUser, title: impl Into<String>, tb: Option<&str>) -> Layout {
    let mut l = Layout::for_user(user, title, "reports");
    l.flash = flash(tb);
    l
}

/// A figure as shown: 1.234.567 for counts and amounts, 54,5 for ratios, "54,5 %" for percentages.
pub fn show_value(kind: IndicatorKind, v: Option<&Value>) -> String {
    match (kind, v) {
        (_, None) => String::new(),
        (_, Some(Value::Int(i))) => text_vi::format_int(*i),
        (IndicatorKind::Percentage, Some(Value::Real(r))) => format!("{} %", text_vi::format_decimal(*r, 1)),
        (_, Some(Value::Real(r))) => text_vi::format_decimal(*r, 1),
        (_, Some(Value::Text(t))) => t.clone(),
    }
}

/// Renders a page with a status other than 200 (a conflict that keeps the typed input).
fn render_status<T: Template>(status: StatusCode, t: &T) -> AppResult<Response> {
    Ok((status, axum::response::Html(t.render()?)).into_response())
}

// ================================================================== index

pub struct ReporterItem {
    pub href: String,
    pub form: String,
    pub period: String,
    pub who: String,
    pub state: &'static str,
    pub due: String,
}

pub struct RoundItem {
    pub href: String,
    pub form: String,
    pub period: String,
    pub unit: String,
    pub status: &'static str,
    pub due: String,
    pub progress: String,
}

pub struct ScheduleItem {
    pub href: String,
    pub name: String,
    pub unit: String,
    pub form: String,
    pub kind: &'static str,
    pub members: i64,
}

#[derive(Template)]
#[template(path = "reports/index.html")]
struct IndexPage {
    l: Layout,
    mine: Vec<ReporterItem>,
    rounds: Vec<RoundItem>,
    schedules: Vec<ScheduleItem>,
    can_fill: bool,
    can_review: bool,
}

fn round_item(r: &Round) -> RoundItem {
    let planned = RoundStatus::parse(&r.status) == Some(RoundStatus::Planned);
    RoundItem {
        href: format!("/bao-cao/ky/{}", r.id),
        form: r.form_name.clone(),
        period: service::period_label(&r.period_key),
        unit: r.unit_name.clone(),
        status: RoundStatus::parse(&r.status).map(RoundStatus::label).unwrap_or(""),
        due: fmt_date(r.due_on),
        progress: if planned {
            // Nothing was sent yet: say what opening the round will do.
            rm::round_planned(&text_vi::format_date(r.cutoff_on.unwrap_or(r.period_end)), r.members)
        } else {
            rm::round_progress(r.submitted, r.reports, r.approved)
        },
    }
}

/// `GET /bao-cao`.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    user.require(Action::ViewReports)?;
    let can_fill = user.role.allows(Action::FillReports);
    let mine = if can_fill {
        crate::store::reports_of_reporter(&state.db, user.account.unit_id, user.account.agency_id).await?
            .into_iter()
            .filter(|r| r.round_status != "planned")
            .map(|r| ReporterItem {
                href: format!("/bao-cao/{}", r.id),
                form: r.form_name,
                period: service::period_label(&r.period_key),
                who: r.agency_name.unwrap_or(r.unit_name),
                state: service::state_label(&r.state),
                due: fmt_date(r.due_on),
            })
            .collect()
    } else {
        Vec::new()
    };
    // An agency's focal point sees its agency's reports only, not the unit's rounds.
    let (mut rounds, mut schedules) = (Vec::new(), Vec::new());
    if user.role != kernel::account::Role::AgencyFocal {
        let pattern = user.scope.like_pattern();
        rounds = crate::store::rounds(&state.db, &pattern, None).await?.iter().map(round_item).collect();
        schedules = crate::store::schedules(&state.db, &pattern).await?.into_iter().map(|s| ScheduleItem {
            href: format!("/bao-cao/lich/{}", s.id),
            kind: service::period_kind_label(&s.period_kind),
            name: s.name,
            unit: s.unit_name,
            form: s.form_code,
            members: s.members,
        }).collect();
    }
    render(&IndexPage {
        l: layout(&user, "Báo cáo định kỳ", q.tb.as_deref()),
        mine,
        rounds,
        schedules,
        can_fill,
        can_review: user.role.allows(Action::ReviewReports),
    })
}

// ================================================================== schedules

pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "reports/schedule_form.html")]
struct ScheduleFormPage {
    l: Layout,
    name: String,
    forms: Vec<Choice>,
    kinds: Vec<Choice>,
    level: String,
    members: Vec<Choice>,
    agencies: Vec<Choice>,
    errors: FieldErrors,
}

/// `picked` is `None` for a new form (every commune ticked) and the ticked boxes after a failed save.
async fn schedule_form_page(state: &AppState, user: &CurrentUser, f: &ScheduleForm, picked: Option<&[String]>, errors: FieldErrors) -> AppResult<ScheduleFormPage> {
    let forms = crate::store::forms(&state.db).await?;
    let mut codes: Vec<(String, String)> = Vec::new();
    for fr in forms.iter().rev() {
        if !codes.iter().any(|(c, _)| c == &fr.code) {
            codes.push((fr.code.clone(), fr.name.clone()));
        }
    }
    codes.sort();
    let communes = kernel::db::units::list(&state.db, &kernel::db::units::UnitFilter {
        level: Some(UnitLevel::Commune), valid_on: Some(today()), parent_id: Some(user.account.unit_id), query: None, limit: 5000, offset: 0,
    }).await?;
    let agencies = kernel::db::agencies::list(&state.db, &user.scope.like_pattern(), &user.account.unit_path, Some(user.account.unit_id), None, 500, 0).await?;
    let fresh = picked.is_none();
    let picked = picked.unwrap_or_default();
    Ok(ScheduleFormPage {
        l: layout(user, "Lập lịch báo cáo", None),
        name: f.name.clone(),
        forms: codes.into_iter().map(|(c, n)| Choice { checked: c == f.form_code, label: format!("{c} — {n}"), value: c }).collect(),
        kinds: ["half_year", "year", "quarter", "month", "ad_hoc"].iter().map(|k| Choice { value: (*k).into(), label: service::period_kind_label(k).into(), checked: *k == f.period_kind }).collect(),
        level: if f.filler_level.is_empty() { "commune".into() } else { f.filler_level.clone() },
        members: communes.into_iter().map(|u| Choice { checked: fresh || picked.contains(&format!("u{}", u.id)), value: format!("u{}", u.id), label: u.name }).collect(),
        agencies: agencies.into_iter().map(|a| Choice { checked: picked.contains(&format!("a{}", a.id)), value: format!("a{}", a.id), label: a.name }).collect(),
        errors,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct ScheduleForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    form_code: String,
    #[serde(default)]
    period_kind: String,
    #[serde(default)]
    filler_level: String,
}

/// `GET /bao-cao/lich/moi`.
pub async fn schedule_new(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ReviewReports)?;
    let f = ScheduleForm { period_kind: "half_year".into(), ..Default::default() };
    render(&schedule_form_page(&state, &user, &f, None, FieldErrors::default()).await?)
}

/// `POST /bao-cao/lich/moi`: a schedule with its reporters (communes or agencies of the unit).
pub async fn schedule_create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ReviewReports)?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let f = ScheduleForm { name: clean(&get("name")), form_code: get("form_code"), period_kind: get("period_kind"), filler_level: get("filler_level") };
    let picked: Vec<String> = pairs.iter().filter(|(n, _)| n == "member").map(|(_, v)| v.clone()).collect();
    let mut errors = FieldErrors::default();
    if f.name.is_empty() {
        errors.add("name", kernel::msg::REQUIRED);
    } else if f.name.chars().count() > 300 {
        errors.add("name", kernel::msg::TOO_LONG);
    }
    let latest = crate::store::forms(&state.db).await?.into_iter().filter(|x| x.code == f.form_code).max_by_key(|x| x.version);
    let form = match latest {
        Some(row) => Some(service::catalogue()?.parse_version(&row.definition).map_err(|e| AppError::Internal(e.to_string()))?),
        None => {
            errors.add("form_code", kernel::msg::REQUIRED);
            None
        }
    };
    let kind = service::parse_period_kind(&f.period_kind);
    let level = service::parse_filler_level(&f.filler_level).filter(|l| matches!(l, rules::FillerLevel::Commune | rules::FillerLevel::Agency));
    match (&form, kind) {
        (_, None) => errors.add("period_kind", kernel::msg::REQUIRED),
        // Any form may be asked for ad hoc (báo cáo đột xuất); periodic kinds must be the form's.
        (Some(fm), Some(k)) if k != rules::PeriodKind::AdHoc && !fm.period_kinds.contains(&k) => {
            errors.add("period_kind", rm::KIND_NOT_FOR_FORM)
        }
        _ => {}
    }
    match (&form, level) {
        (_, None) => errors.add("filler_level", kernel::msg::REQUIRED),
        (Some(fm), Some(lv)) if !fm.levels.contains(&lv) => errors.add("filler_level", rm::LEVEL_NOT_FOR_FORM),
        _ => {}
    }
    // Members must be communes directly under the account's unit, or its agencies.
    let mut members = Vec::new();
    for p in &picked {
        // "u123" (a commune) or "a45" (an agency); anything else is ignored.
        let (tag, id) = match (p.strip_prefix('u'), p.strip_prefix('a')) {
            (Some(id), _) => ("u", id),
            (_, Some(id)) => ("a", id),
            _ => continue,
        };
        let Ok(id) = id.parse::<i64>() else { continue };
        match (tag, level) {
            // Unknown ids and units outside the account's unit are ignored, not errors.
            ("u", Some(rules::FillerLevel::Commune)) => match kernel::db::units::get(&state.db, id).await {
                Ok(u) if u.parent_id == Some(user.account.unit_id) && u.is_valid_on(today()) => members.push((u.id, None)),
                Ok(_) | Err(kernel::db::DbError::NotFound) => {}
                Err(e) => return Err(e.into()),
            },
            ("a", Some(rules::FillerLevel::Agency)) => match kernel::db::agencies::get(&state.db, id).await {
                Ok(a) if a.unit_id == user.account.unit_id => members.push((a.unit_id, Some(a.id))),
                Ok(_) | Err(kernel::db::DbError::NotFound) => {}
                Err(e) => return Err(e.into()),
            },
            _ => {}
        }
    }
    if members.is_empty() && errors.is_empty() {
        errors.add("member", rm::NO_MEMBERS);
    }
    if !errors.is_empty() {
        return render_invalid(&schedule_form_page(&state, &user, &f, Some(&picked), errors).await?);
    }
    let mut tx = state.db.begin().await?;
    let id = crate::store::create_schedule(&mut tx, &crate::store::NewSchedule {
        unit_id: user.account.unit_id, form_code: f.form_code.clone(), period_kind: f.period_kind.clone(), filler_level: f.filler_level.clone(),
        name: f.name.clone(), created_by: Some(user.account.id), members: members.clone(),
    }).await?;
    audit::record(&mut tx, &meta.actor(&user), AuditEntry {
        action: "create", entity: "report_schedule", entity_id: Some(id.to_string()), unit_id: Some(user.account.unit_id),
        summary: format!("Lập lịch báo cáo «{}» ({} đơn vị)", f.name, members.len()), before: None,
        after: Some(json!({"form": f.form_code, "period_kind": f.period_kind, "filler_level": f.filler_level, "members": members.len()})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/bao-cao/lich/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "reports/schedule.html")]
struct SchedulePage {
    l: Layout,
    ad_hoc: bool,
    s: crate::store::Schedule,
    kind: &'static str,
    members: Vec<String>,
    rounds: Vec<RoundItem>,
    can_manage: bool,
    year: String,
    errors: FieldErrors,
    indicators: Vec<Choice>,
    trend: String,
}

#[derive(Deserialize, Default)]
pub struct ScheduleQuery {
    #[serde(default)]
    tb: Option<String>,
    #[serde(default, rename = "chi-tieu")]
    indicator: Option<String>,
}

async fn visible_schedule(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<crate::store::Schedule> {
    user.require(Action::ViewReports)?;
    let s = crate::store::schedule(&state.db, id).await?;
    // An agency's focal point works on its own agency's reports only.
    if user.scope.contains(&s.unit_path) && user.role != kernel::account::Role::AgencyFocal { Ok(s) } else { Err(AppError::NotFound) }
}

async fn schedule_page(state: &AppState, user: &CurrentUser, id: i64, q: &ScheduleQuery, year: Option<String>, errors: FieldErrors) -> AppResult<SchedulePage> {
    let s = visible_schedule(state, user, id).await?;
    let members = crate::store::schedule_members(&state.db, id).await?.into_iter().map(|m| m.agency_name.unwrap_or(m.unit_name)).collect();
    let rounds = crate::store::rounds_of_schedule(&state.db, id).await?;
    // Trend of one indicator across the schedule's periods, from the live roll-up.
    let mut indicators = Vec::new();
    let mut bars = Vec::new();
    if let Some(last) = rounds.last() {
        let form = service::form_of(&state.db, last.form_id).await?;
        let chosen = q.indicator.clone().filter(|c| form.indicator(c).is_some()).or_else(|| form.indicators().find(|i| i.kind != IndicatorKind::Text).map(|i| i.code.clone())).unwrap_or_default();
        for ind in form.indicators().filter(|i| i.kind != IndicatorKind::Text) {
            indicators.push(Choice { value: ind.code.clone(), label: ind.name.clone(), checked: ind.code == chosen });
        }
        let mut forms: HashMap<i64, ReportForm> = HashMap::new();
        for r in rounds.iter().filter(|r| r.status != "planned") {
            if let std::collections::hash_map::Entry::Vacant(e) = forms.entry(r.form_id) {
                e.insert(service::form_of(&state.db, r.form_id).await?);
            }
            let Some(f) = forms.get(&r.form_id) else { continue };
            let total = service::total_at(&state.db, f, r, s.unit_id).await?;
            bars.push(documents::svg::Bar { label: service::period_short(&r.period_key), value: total.real(&chosen).unwrap_or(0.0), note: None });
        }
    }
    let chart_title = indicators.iter().find(|c| c.checked).map(|c| c.label.clone()).unwrap_or_default();
    Ok(SchedulePage {
        l: layout(user, format!("Lịch báo cáo: {}", s.name), q.tb.as_deref()),
        kind: service::period_kind_label(&s.period_kind),
        ad_hoc: s.period_kind == "ad_hoc",
        members,
        rounds: rounds.iter().rev().map(round_item).collect(),
        can_manage: user.role.allows(Action::ReviewReports),
        year: year.unwrap_or_else(|| today().format("%Y").to_string()),
        errors,
        indicators,
        trend: documents::svg::column_chart(&chart_title, &bars),
        s,
    })
}

/// `GET /bao-cao/lich/{id}`.
pub async fn schedule_show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<ScheduleQuery>) -> AppResult<Response> {
    render(&schedule_page(&state, &user, id, &q, None, FieldErrors::default()).await?)
}

#[derive(Deserialize, Default)]
pub struct YearForm {
    #[serde(default)]
    year: String,
}

/// `POST /bao-cao/lich/{id}/lap-ky`: creates the year's rounds.
pub async fn schedule_generate(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<YearForm>) -> AppResult<Response> {
    user.require(Action::ReviewReports)?;
    let s = visible_schedule(&state, &user, id).await?;
    let year = match f.year.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            let mut errors = FieldErrors::default();
            errors.add("year", rm::YEAR_INVALID);
            return render_invalid(&schedule_page(&state, &user, id, &ScheduleQuery::default(), Some(f.year), errors).await?);
        }
    };
    match service::generate_rounds(&state.db, &meta.actor(&user), &s, year).await {
        Ok(_) => Ok(Redirect::to(&format!("/bao-cao/lich/{id}?tb=rounds_generated")).into_response()),
        Err(AppError::BadRequest(m)) => {
            let mut errors = FieldErrors::default();
            errors.add("year", m);
            render_invalid(&schedule_page(&state, &user, id, &ScheduleQuery::default(), Some(f.year), errors).await?)
        }
        Err(e) => Err(e),
    }
}

// ================================================================== rounds

pub struct ReporterRow {
    pub href: String,
    pub name: String,
    pub state: &'static str,
    pub timeliness: &'static str,
    pub tclass: &'static str,
    pub submitted: String,
}

pub struct TotalRow {
    pub stt: String,
    pub name: String,
    pub unit: String,
    pub section: bool,
    pub computed: bool,
    pub total: String,
    pub children: Vec<String>,
}

pub struct ChildCol {
    pub name: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "reports/round.html")]
struct RoundPage {
    l: Layout,
    r: Round,
    due: String,
    period: String,
    status: &'static str,
    can_review: bool,
    planned: bool,
    open: bool,
    due_input: String,
    due_note: String,
    lock_days_input: String,
    errors: FieldErrors,
    expected: usize,
    submitted: usize,
    approved: usize,
    returned: usize,
    on_time: usize,
    late: usize,
    missing: usize,
    pending: usize,
    reporters: Vec<ReporterRow>,
    at_name: String,
    up_href: String,
    view_today: bool,
    view_toggle_href: String,
    view_label: &'static str,
    notes: Vec<String>,
    children: Vec<ChildCol>,
    /// (unit, drill-down link, figure of the chosen indicator) when there are too many units
    /// for one column each.
    by_unit: Vec<(String, String, String)>,
    totals: Vec<TotalRow>,
    indicators: Vec<Choice>,
    compare: String,
    query: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct RoundQuery {
    #[serde(default)]
    tb: Option<String>,
    #[serde(default, rename = "don-vi")]
    unit: Option<i64>,
    #[serde(default, rename = "ban-do")]
    map: Option<String>,
    #[serde(default, rename = "chi-tieu")]
    indicator: Option<String>,
}

impl RoundQuery {
    fn view(&self) -> MapView {
        if self.map.as_deref() == Some("hien-nay") { MapView::Today } else { MapView::AsReported }
    }
}

/// Above this many units below, the totals table has no column per unit.
const MAX_UNIT_COLUMNS: usize = 12;

/// The unit whose aggregate is shown: the round's unit, or a unit below it that the account may see.
/// On today's map the top is what the round's unit is today (a province abolished in 2025 is
/// shown at the province it merged into, preferring one in the account's scope).
async fn aggregate_unit(state: &AppState, user: &CurrentUser, round: &Round, q: &RoundQuery) -> AppResult<kernel::db::units::Unit> {
    let mut root = kernel::db::units::get(&state.db, round.unit_id).await?;
    let day = today();
    if q.view() == MapView::Today && !root.is_valid_on(day) {
        let now = kernel::db::units::today_of(&state.db, root.id, day).await?;
        if let Some(l) = now.iter().find(|l| user.scope.contains(&l.unit.path)).or_else(|| now.first()) {
            root = l.unit.clone();
        }
    }
    match q.unit {
        // The round is visible (checked by the caller), so is every unit below its top.
        Some(u) if u != root.id => {
            let unit = kernel::db::units::get(&state.db, u).await?;
            if unit.path.starts_with(&root.path) { Ok(unit) } else { Err(AppError::NotFound) }
        }
        _ => Ok(root),
    }
}

/// Rows of a form with the figures of a total column and child columns.
pub fn total_rows(form: &ReportForm, total: &Values, children: &[&Values]) -> Vec<TotalRow> {
    let cat = service::catalogue().ok();
    let mut rows = Vec::new();
    let mut n = 0;
    for sec in &form.sections {
        rows.push(TotalRow { stt: sec.code.clone(), name: sec.name.clone(), unit: String::new(), section: true, computed: false, total: String::new(), children: Vec::new() });
        for ind in &sec.indicators {
            n += 1;
            let key = ValueKey::total(&ind.code);
            rows.push(TotalRow {
                stt: n.to_string(),
                name: ind.name.clone(),
                unit: ind.unit.clone(),
                section: false,
                computed: ind.is_computed(),
                total: show_value(ind.kind, total.get(&key)),
                children: children.iter().map(|c| show_value(ind.kind, c.get(&key))).collect(),
            });
            for dim in &ind.disaggregations {
                let Some(d) = cat.and_then(|c| c.dimension(dim)) else { continue };
                for (j, m) in d.members.iter().enumerate() {
                    let k = ValueKey::part(&ind.code, &d.code, &m.code);
                    rows.push(TotalRow {
                        stt: format!("{n}.{}", j + 1),
                        name: format!("— {}: {}", d.name, m.name),
                        unit: ind.unit.clone(),
                        section: false,
                        computed: false,
                        total: show_value(ind.kind, total.get(&k)),
                        children: children.iter().map(|c| show_value(ind.kind, c.get(&k))).collect(),
                    });
                }
            }
        }
    }
    rows
}

async fn round_page(state: &AppState, user: &CurrentUser, id: i64, q: &RoundQuery, open_input: Option<(String, String)>, errors: FieldErrors) -> AppResult<RoundPage> {
    let r = service::visible_round(&state.db, &user.principal(), id).await?;
    let form = service::form_of(&state.db, r.form_id).await?;
    let day = today();
    let c = service::completeness(&state.db, &r, day).await?;
    let can_review = service::can_review(&user.principal(), &r);
    let reporters = c.rows.iter().map(|row| ReporterRow {
        href: format!("/bao-cao/{}", row.report.id),
        name: service::reporter_name(&row.report),
        state: service::state_label(&row.report.state),
        timeliness: row.timeliness.label(),
        tclass: row.timeliness.code(),
        submitted: fmt_date(row.report.first_submitted_on),
    }).collect();
    let view = q.view();
    let at = aggregate_unit(state, user, &r, q).await?;
    let (total, kids, notes) = service::aggregate(&state.db, &form, &r, at.id, view).await?;
    let children: Vec<ChildCol> = kids.iter().map(|k| ChildCol {
        name: k.name.clone(),
        href: format!("/bao-cao/ky/{id}?don-vi={}{}", k.unit_id, if view == MapView::Today { "&ban-do=hien-nay" } else { "" }),
    }).collect();
    // With many units below, one column each would make the page heavy for a phone: the table
    // then shows the total only, and the units appear in a list for the chosen indicator.
    let wide = kids.len() <= MAX_UNIT_COLUMNS;
    let kid_values: Vec<&Values> = if wide { kids.iter().map(|k| &k.values).collect() } else { Vec::new() };
    let totals = total_rows(&form, &total, &kid_values);
    let chosen = q.indicator.clone().filter(|c| form.indicator(c).is_some()).or_else(|| form.indicators().find(|i| i.kind != IndicatorKind::Text).map(|i| i.code.clone())).unwrap_or_default();
    let indicators: Vec<Choice> = form.indicators().filter(|i| i.kind != IndicatorKind::Text).map(|i| Choice { value: i.code.clone(), label: i.name.clone(), checked: i.code == chosen }).collect();
    let bars: Vec<documents::svg::Bar> = kids.iter().map(|k| documents::svg::Bar { label: k.name.clone(), value: k.values.real(&chosen).unwrap_or(0.0), note: None }).collect();
    let chosen_kind = form.indicator(&chosen).map(|i| i.kind).unwrap_or(IndicatorKind::Count);
    let by_unit: Vec<(String, String, String)> = if wide { Vec::new() } else {
        kids.iter().zip(&children).map(|(k, c)| (c.name.clone(), c.href.clone(), show_value(chosen_kind, k.values.total(&chosen)))).collect()
    };
    let chart_title = form.indicator(&chosen).map(|i| i.name.clone()).unwrap_or_default();
    let planned = r.status == "planned";
    let (due_input, lock_days_input) = open_input.unwrap_or_else(|| {
        let due = match r.due_on {
            Some(d) if d >= day => d,
            _ => day + chrono::Duration::days(15),
        };
        (text_vi::format_date(due), r.lock_after_days.unwrap_or(service::DEFAULT_LOCK_AFTER_DAYS).to_string())
    });
    let due_note = match r.due_on {
        Some(d) if planned && d < day => format!("Hạn theo quy định ({}) đã qua; hãy đặt hạn mới cho kỳ này.", text_vi::format_date(d)),
        Some(d) if planned => format!("Hạn theo quy định: {}.", text_vi::format_date(d)),
        _ => String::new(),
    };
    let up_href = if at.id != r.unit_id {
        format!("/bao-cao/ky/{id}{}", if view == MapView::Today { "?ban-do=hien-nay" } else { "" })
    } else {
        String::new()
    };
    let toggle = if view == MapView::Today { format!("/bao-cao/ky/{id}") } else { format!("/bao-cao/ky/{id}?ban-do=hien-nay") };
    Ok(RoundPage {
        l: layout(user, format!("{} — {}", r.form_name, service::period_label(&r.period_key)), q.tb.as_deref()),
        period: service::period_label(&r.period_key),
        due: fmt_date(r.due_on),
        status: service::round_status(&r).label(),
        can_review,
        planned,
        open: r.status == "open",
        due_input,
        due_note,
        lock_days_input,
        errors,
        expected: c.expected,
        submitted: c.submitted,
        approved: c.approved,
        returned: c.rows.iter().filter(|r| r.report.state == "returned").count(),
        on_time: c.on_time,
        late: c.late,
        missing: c.missing,
        pending: c.pending,
        reporters,
        at_name: at.name.clone(),
        up_href,
        view_today: view == MapView::Today,
        view_toggle_href: toggle,
        view_label: if view == MapView::Today { "theo bản đồ hành chính hiện nay (đơn vị đã sắp xếp được tính vào đơn vị kế thừa)" } else { "theo đơn vị hành chính tại thời điểm báo cáo" },
        notes,
        children: if wide { children } else { Vec::new() },
        by_unit,
        totals,
        indicators,
        compare: documents::svg::bar_chart(&chart_title, &bars, None),
        query: if view == MapView::Today { "?ban-do=hien-nay".into() } else { String::new() },
        r,
    })
}

/// `GET /bao-cao/ky/{id}`.
pub async fn round_show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<RoundQuery>) -> AppResult<Response> {
    render(&round_page(&state, &user, id, &q, None, FieldErrors::default()).await?)
}

#[derive(Deserialize, Default)]
pub struct OpenForm {
    #[serde(default)]
    due: String,
    #[serde(default)]
    lock_days: String,
}

async fn reviewed_round(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Round> {
    user.require(Action::ReviewReports)?;
    let r = service::visible_round(&state.db, &user.principal(), id).await?;
    if service::can_review(&user.principal(), &r) { Ok(r) } else { Err(AppError::Forbidden) }
}

/// `POST /bao-cao/ky/{id}/mo`: opens the round with a deadline and a lock rule.
pub async fn round_open(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<OpenForm>) -> AppResult<Response> {
    let r = reviewed_round(&state, &user, id).await?;
    let mut errors = FieldErrors::default();
    let day = today();
    let due = match text_vi::parse_date(&f.due) {
        Ok(d) if d < day => {
            errors.add("due", rm::DUE_BEFORE_OPEN);
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.add("due", rm::DUE_INVALID);
            None
        }
    };
    let lock_days = match f.lock_days.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(n) if (0..=365).contains(&n) => Some(n),
            _ => {
                errors.add("lock_days", rm::LOCK_DAYS_INVALID);
                None
            }
        },
    };
    if errors.is_empty() {
        match service::open_round(&state.db, &meta.actor(&user), &r, due, lock_days).await {
            Ok(_) => return Ok(Redirect::to(&format!("/bao-cao/ky/{id}?tb=round_opened")).into_response()),
            Err(AppError::BadRequest(m)) => errors.add("due", m),
            Err(e) => return Err(e),
        }
    }
    render_invalid(&round_page(&state, &user, id, &RoundQuery::default(), Some((f.due, f.lock_days)), errors).await?)
}

/// `POST /bao-cao/ky/{id}/dong`: closes the round; every figure is locked.
pub async fn round_close(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    let r = reviewed_round(&state, &user, id).await?;
    let mut tx = state.db.begin().await?;
    crate::store::close_round(&mut tx, id).await.map_err(|_| AppError::BadRequest(rm::ROUND_NOT_OPEN.into()))?;
    audit::record(&mut tx, &meta.actor(&user), AuditEntry {
        action: "close", entity: "report_round", entity_id: Some(id.to_string()), unit_id: Some(r.unit_id),
        summary: format!("Đóng kỳ báo cáo «{}» {}", r.form_name, service::period_label(&r.period_key)),
        before: Some(json!({"status": r.status})), after: Some(json!({"status": "closed"})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/bao-cao/ky/{id}?tb=round_closed")).into_response())
}

/// `POST /bao-cao/ky/{id}/nhac`: one-click reminder to every unit that has not sent its report.
pub async fn round_remind(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    let r = reviewed_round(&state, &user, id).await?;
    if r.status != "open" {
        return Err(AppError::BadRequest(rm::ROUND_NOT_OPEN.into()));
    }
    let n = service::remind_unsent(&state.db, &state.config.base_url, &user.account, &r, today()).await?;
    let mut tx = state.db.begin().await?;
    audit::record(&mut tx, &meta.actor(&user), AuditEntry {
        action: "remind", entity: "report_round", entity_id: Some(id.to_string()), unit_id: Some(r.unit_id),
        summary: format!("Đôn đốc nộp báo cáo «{}» {} ({n} người nhận)", r.form_name, service::period_label(&r.period_key)), before: None, after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/bao-cao/ky/{id}?tb=reminders_sent")).into_response())
}

/// The official header fields of the unit a document is made for.
async fn header_of(state: &AppState, unit: &kernel::db::units::Unit) -> AppResult<(Option<String>, String, Option<String>)> {
    let ancestors = kernel::db::units::ancestors(&state.db, unit.id).await?;
    let province = ancestors.iter().find(|u| u.level == "province").cloned().unwrap_or_else(|| unit.clone());
    let place = province.name.trim_start_matches("Tỉnh ").trim_start_matches("Thành phố ").to_string();
    let (parent, issuing) = if unit.level == "province" {
        (Some(format!("UBND {}", province.name.to_uppercase())), "SỞ TƯ PHÁP".to_string())
    } else {
        (None, format!("UBND {}", unit.name.to_uppercase()))
    };
    Ok((parent, issuing, Some(place)))
}

/// The rows of a report sheet. `key` is the value key the row holds (the importer maps the
/// sheet's codes back to it); the sheet itself shows the form's own code (`stt`), see
/// [`with_form_codes`].
fn sheet_rows(form: &ReportForm, columns: &[&Values]) -> Vec<documents::ReportRow> {
    let cat = service::catalogue().ok();
    let cell = |kind: IndicatorKind, v: Option<&Value>| -> Option<documents::ReportCell> {
        match (kind, v?) {
            (_, Value::Int(i)) => Some(documents::ReportCell::Int(*i)),
            (_, Value::Real(r)) => Some(documents::ReportCell::Real(*r)),
            (_, Value::Text(t)) => Some(documents::ReportCell::Text(t.clone())),
        }
    };
    let mut rows = Vec::new();
    let mut n = 0;
    for sec in &form.sections {
        rows.push(documents::ReportRow { key: String::new(), stt: sec.code.clone(), name: sec.name.clone(), unit: String::new(), is_section: true, computed: false, values: vec![None; columns.len()] });
        for ind in &sec.indicators {
            n += 1;
            let key = ValueKey::total(&ind.code);
            rows.push(documents::ReportRow {
                key: key.db_key(), stt: n.to_string(), name: ind.name.clone(), unit: ind.unit.clone(), is_section: false, computed: ind.is_computed(),
                values: columns.iter().map(|c| cell(ind.kind, c.get(&key))).collect(),
            });
            for dim in &ind.disaggregations {
                let Some(d) = cat.and_then(|c| c.dimension(dim)) else { continue };
                for (j, m) in d.members.iter().enumerate() {
                    let k = ValueKey::part(&ind.code, &d.code, &m.code);
                    rows.push(documents::ReportRow {
                        key: k.db_key(), stt: format!("{n}.{}", j + 1), name: format!("Trong đó — {}: {}", d.name, m.name), unit: ind.unit.clone(),
                        is_section: false, computed: false, values: columns.iter().map(|c| cell(ind.kind, c.get(&k))).collect(),
                    });
                }
            }
        }
    }
    rows
}

/// The rows as the XLSX shows them: the "Mã chỉ tiêu" column holds the form's own code (1, 5.1
/// …) rather than the internal value key.
fn with_form_codes(mut rows: Vec<documents::ReportRow>) -> Vec<documents::ReportRow> {
    for r in &mut rows {
        r.key = if r.is_section { String::new() } else { r.stt.clone() };
    }
    rows
}

fn period_line(r: &Round) -> String {
    format!("Kỳ báo cáo: {} (từ {} đến {})", service::period_label(&r.period_key), text_vi::format_date(r.period_start), text_vi::format_date(r.period_end))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const PDF: &str = "application/pdf";

/// `GET /bao-cao/ky/{id}/tong-hop.xlsx`: the aggregate with one column per unit below.
pub async fn round_xlsx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<RoundQuery>) -> AppResult<Response> {
    let r = service::visible_round(&state.db, &user.principal(), id).await?;
    let form = service::form_of(&state.db, r.form_id).await?;
    let at = aggregate_unit(&state, &user, &r, &q).await?;
    let (total, kids, notes) = service::aggregate(&state.db, &form, &r, at.id, q.view()).await?;
    let c = service::completeness(&state.db, &r, today()).await?;
    let mut cols: Vec<&Values> = vec![&total];
    cols.extend(kids.iter().map(|k| &k.values));
    let mut columns = vec!["Tổng".to_string()];
    columns.extend(kids.iter().map(|k| k.name.clone()));
    let (parent_body, issuing_body, place) = header_of(&state, &at).await?;
    let mut all_notes = vec![
        "Chỉ tổng hợp các báo cáo đã được phê duyệt; chỉ tiêu tỷ lệ được tính lại từ tổng tử số và mẫu số, không lấy trung bình.".to_string(),
        if q.view() == MapView::Today { "Tổng hợp theo bản đồ hành chính hiện nay.".to_string() } else { "Tổng hợp theo đơn vị hành chính tại thời điểm báo cáo.".to_string() },
    ];
    all_notes.extend(notes);
    let sheet = documents::ReportSheet {
        parent_body, issuing_body, form_code: form.code.clone(), form_version: form.version, form_name: form.name.clone(), legal_basis: form.legal_basis.clone(),
        period_label: period_line(&r),
        scope_label: format!("Tổng hợp: {} — {}/{} báo cáo đã phê duyệt", at.name, c.approved, c.expected),
        columns, rows: with_form_codes(sheet_rows(&form, &cols)), place, date: Some(today()),
        preparer_title: "NGƯỜI LẬP BIỂU".into(), head_title: "THỦ TRƯỞNG ĐƠN VỊ".into(), notes: all_notes,
    };
    let bytes = documents::report_xlsx(&sheet).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(kernel::page::attachment(XLSX, &format!("tong-hop-{}-{}.xlsx", form.code, r.period_key), bytes))
}

/// "Tình hình tổ chức…" → "tình hình tổ chức…" (a form name inside a sentence).
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `GET /bao-cao/ky/{id}/bao-cao.docx`: the narrative report (Báo cáo) filled with the figures.
pub async fn round_docx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let (doc, stem) = round_document(&state, &user, id).await?;
    let bytes = documents::official_docx(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(kernel::page::attachment(DOCX, &format!("{stem}.docx"), bytes))
}

/// `GET /bao-cao/ky/{id}/bao-cao.pdf`: the same narrative report, typeset in-process.
pub async fn round_pdf(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let (doc, stem) = round_document(&state, &user, id).await?;
    let bytes = kernel::page::typeset(&state, move || documents::official_pdf(&doc).map_err(pdf_error)).await?;
    Ok(kernel::page::attachment(PDF, &format!("{stem}.pdf"), bytes))
}

/// A missing font is the installation's to fix (503, saying what to install); anything else
/// is a defect of ours.
fn pdf_error(e: documents::PdfError) -> AppError {
    match e {
        documents::PdfError::NoFont => AppError::Unavailable(e.to_string()),
        other => AppError::Internal(other.to_string()),
    }
}

/// The narrative report of a round and its file name without extension.
async fn round_document(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<(documents::OfficialDoc, String)> {
    let r = service::visible_round(&state.db, &user.principal(), id).await?;
    let form = service::form_of(&state.db, r.form_id).await?;
    let at = kernel::db::units::get(&state.db, r.unit_id).await?;
    let (total, kids, _) = service::aggregate(&state.db, &form, &r, at.id, MapView::AsReported).await?;
    let c = service::completeness(&state.db, &r, today()).await?;
    let (parent_body, issuing_body, place) = header_of(state, &at).await?;
    let period = service::period_label(&r.period_key);
    let reporter = if at.level == "province" { "Sở Tư pháp".to_string() } else { kernel::unit::instance_name("Ủy ban nhân dân xã", &at.name) };
    let returned = c.rows.iter().filter(|r| r.report.state == "returned").count();
    let mut blocks = vec![
        documents::Block::Paragraph(format!(
            "Thực hiện chế độ báo cáo định kỳ theo {}, {reporter} báo cáo {} {} như sau:",
            form.legal_basis, lower_first(&form.name), period
        )),
        documents::Block::Heading { level: 1, text: "I. TÌNH HÌNH THỰC HIỆN CHẾ ĐỘ BÁO CÁO".into() },
        documents::Block::Paragraph(format!(
            "Tổng số đơn vị phải báo cáo: {}; đã gửi: {} (đúng hạn {}, muộn {}), trong đó bị trả lại để hoàn thiện: {returned}; chưa gửi: {}; đã phê duyệt và được tổng hợp: {}.",
            c.expected, c.on_time + c.late, c.on_time, c.late, c.missing + c.pending, c.approved
        )),
        documents::Block::Heading { level: 1, text: "II. KẾT QUẢ".into() },
    ];
    let mut n = 0;
    for sec in &form.sections {
        blocks.push(documents::Block::Heading { level: 2, text: sec.name.clone() });
        let mut rows = Vec::new();
        for ind in sec.indicators.iter().filter(|i| i.kind != IndicatorKind::Text) {
            n += 1;
            rows.push(vec![n.to_string(), ind.name.clone(), ind.unit.clone(), show_value(ind.kind, total.total(&ind.code))]);
        }
        for ind in sec.indicators.iter().filter(|i| i.kind == IndicatorKind::Text) {
            blocks.push(documents::Block::Field { label: ind.name.clone(), value: "…".into() });
        }
        if !rows.is_empty() {
            blocks.push(documents::Block::Table { header: vec!["STT".into(), "Chỉ tiêu".into(), "Đơn vị tính".into(), "Số liệu".into()], rows, widths: vec![1, 8, 2, 2] });
        }
    }
    if !kids.is_empty() {
        blocks.push(documents::Block::Heading { level: 1, text: "III. SỐ LIỆU THEO ĐƠN VỊ".into() });
        let shown: Vec<&crate::rules::Indicator> = form.indicators().filter(|i| i.kind != IndicatorKind::Text && !i.is_computed()).take(4).collect();
        let mut header = vec!["Đơn vị".to_string()];
        header.extend(shown.iter().map(|i| i.name.clone()));
        let rows = kids.iter().map(|k| {
            let mut row = vec![k.name.clone()];
            row.extend(shown.iter().map(|i| show_value(i.kind, k.values.total(&i.code))));
            row
        }).collect();
        blocks.push(documents::Block::Table { header, rows, widths: Vec::new() });
    }
    blocks.push(documents::Block::Heading { level: 1, text: "IV. ĐÁNH GIÁ CHUNG, KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ".into() });
    blocks.push(documents::Block::Paragraph("(Cán bộ soạn thảo bổ sung nội dung đánh giá, khó khăn, vướng mắc và kiến nghị.)".into()));
    let doc = documents::OfficialDoc {
        parent_body, issuing_body, number: None, place, date: Some(today()), kind: "BÁO CÁO".into(),
        title: format!("{} {}", form.name, period),
        blocks, signature: documents::Signature::default(), recipients: vec!["Như trên;".into()],
    };
    Ok((doc, format!("bao-cao-{}-{}", form.code, r.period_key)))
}

// ================================================================== one report

pub struct InputRow {
    pub key: String,
    pub stt: String,
    pub name: String,
    pub unit: String,
    pub section: bool,
    pub computed: bool,
    pub text: bool,
    pub sub: bool,
    pub value: String,
    pub error: String,
    pub prefilled: bool,
    /// Where a prefilled value was counted from, and a link to those records.
    pub prefill_source: String,
    pub prefill_href: String,
    pub comments: Vec<String>,
}

pub struct HistoryItem {
    pub at: String,
    pub who: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "reports/report.html")]
struct ReportPage {
    l: Layout,
    sees_round: bool,
    rep: Report,
    round: Round,
    due: String,
    period: String,
    state: &'static str,
    lock: String,
    editable: bool,
    can_approve: bool,
    can_unlock: bool,
    version: i64,
    rows: Vec<InputRow>,
    form_error: String,
    general_comments: Vec<String>,
    history: Vec<HistoryItem>,
    indicator_choices: Vec<Choice>,
    comment_text: String,
    return_comment: String,
    unlock_until: String,
    unlock_reason: String,
    errors: FieldErrors,
    import_errors: Vec<String>,
    reviewed: String,
}

/// What the page should show instead of the stored values after a failed save.
#[derive(Default)]
pub struct Retry {
    pub typed: Option<HashMap<String, String>>,
    pub cell_errors: BTreeMap<String, Vec<String>>,
    pub form_error: String,
    pub errors: FieldErrors,
    pub comment_text: String,
    pub return_comment: String,
    pub unlock_until: String,
    pub unlock_reason: String,
    pub import_errors: Vec<String>,
}

async fn report_page(state: &AppState, user: &CurrentUser, id: i64, tb: Option<&str>, retry: Retry) -> AppResult<ReportPage> {
    let (rep, round) = service::visible_report(&state.db, &user.principal(), id).await?;
    let cat = service::catalogue()?;
    let form = service::form_of(&state.db, round.form_id).await?;
    let day = today();
    let lock = service::lock_of(&rep, &round, day);
    let editable = lock.is_none() && service::can_fill(&user.principal(), &rep);
    let stored = crate::store::values(&state.db, id).await?;
    let mut prefilled_keys: BTreeMap<String, i64> = stored.iter().filter(|s| s.prefilled).filter_map(|s| s.int_value.map(|v| (s.value_key.clone(), v))).collect();
    // An untouched draft is prefilled with what the system already holds; a prefilled value
    // keeps naming its source (and linking to its records) until it is changed.
    let mut typed: HashMap<String, String> = stored.iter().map(|s| (s.value_key.clone(), s.int_value.map(text_vi::format_int).or_else(|| s.text_value.clone()).unwrap_or_default())).collect();
    let fresh = editable && stored.is_empty() && rep.state == "draft";
    let sources = if fresh || !prefilled_keys.is_empty() {
        service::prefill_detail(&state.db, service::Prefillers::of(&state.registry), &form, &rep, &round).await?
    } else {
        BTreeMap::new()
    };
    if fresh {
        for (k, v) in &sources {
            typed.insert(k.clone(), text_vi::format_int(v.value));
            prefilled_keys.insert(k.clone(), v.value);
        }
    }
    let source_of = |key: &str| -> (String, String) {
        match sources.get(key) {
            Some(v) if prefilled_keys.contains_key(key) => (v.source.clone(), v.href.clone().unwrap_or_default()),
            _ if prefilled_keys.contains_key(key) => (rm::PREFILL_TASKS.to_string(), String::new()),
            _ => (String::new(), String::new()),
        }
    };
    if let Some(t) = retry.typed {
        typed = t;
    }
    let computed = rules::compute(&form, &service::to_values(&stored));
    let comments = crate::store::comments(&state.db, id).await?;
    let comment_of = |key: &str| -> Vec<String> {
        comments.iter().filter(|c| c.value_key.as_deref() == Some(key)).map(|c| format!("{} ({}, {})", c.text, c.account_name.clone().unwrap_or_default(), text_vi::format_datetime(c.at))).collect()
    };
    let mut rows = Vec::new();
    let mut n = 0;
    for sec in &form.sections {
        rows.push(InputRow { key: String::new(), stt: sec.code.clone(), name: sec.name.clone(), unit: String::new(), section: true, computed: false, text: false, sub: false, value: String::new(), error: String::new(), prefilled: false, prefill_source: String::new(), prefill_href: String::new(), comments: Vec::new() });
        for ind in &sec.indicators {
            n += 1;
            let key = ind.code.clone();
            let value = if ind.is_computed() { show_value(ind.kind, computed.total(&ind.code)) } else { typed.get(&key).cloned().unwrap_or_default() };
            let (prefill_source, prefill_href) = source_of(&key);
            rows.push(InputRow {
                error: retry.cell_errors.get(&key).map(|v| v.join(" ")).unwrap_or_default(),
                prefilled: prefilled_keys.contains_key(&key),
                prefill_source,
                prefill_href,
                comments: comment_of(&key),
                key, stt: n.to_string(), name: ind.name.clone(), unit: ind.unit.clone(), section: false, computed: ind.is_computed(),
                text: ind.kind == IndicatorKind::Text, sub: false, value,
            });
            for dim in &ind.disaggregations {
                let Some(d) = cat.dimension(dim) else { continue };
                for (j, m) in d.members.iter().enumerate() {
                    let k = ValueKey::part(&ind.code, &d.code, &m.code).db_key();
                    let (prefill_source, prefill_href) = source_of(&k);
                    rows.push(InputRow {
                        value: typed.get(&k).cloned().unwrap_or_default(),
                        error: retry.cell_errors.get(&k).map(|v| v.join(" ")).unwrap_or_default(),
                        prefilled: prefilled_keys.contains_key(&k),
                        prefill_source,
                        prefill_href,
                        comments: comment_of(&k),
                        key: k, stt: format!("{n}.{}", j + 1), name: format!("{}: {}", d.name, m.name), unit: ind.unit.clone(), section: false,
                        computed: false, text: false, sub: true,
                    });
                }
            }
        }
    }
    let history = crate::store::history_of(&state.db, id).await?.into_iter().map(|h| HistoryItem {
        at: text_vi::format_datetime(h.at),
        who: h.account_name.unwrap_or_else(|| "Hệ thống".into()),
        what: match h.kind.as_str() {
            "value" => {
                let name = h.value_key.as_deref().and_then(ValueKey::from_db_key).and_then(|k| form.indicator(&k.indicator).map(|i| match k.split() {
                    Some((d, m)) => format!("{} ({d}: {m})", i.name),
                    None => i.name.clone(),
                })).unwrap_or_else(|| h.value_key.clone().unwrap_or_default());
                let src = match h.source.as_deref() { Some("import") => " (nhập từ Excel)", Some("api") => " (qua API)", Some("prefill") => " (lấy từ kết quả nhiệm vụ)", _ => "" };
                format!("{name}: {} → {}{src}", h.old_value.unwrap_or_else(|| "trống".into()), h.new_value.unwrap_or_else(|| "trống".into()))
            }
            "submit" => "Gửi báo cáo".into(),
            "approve" => "Phê duyệt".into(),
            "return" => format!("Trả lại: {}", h.note.unwrap_or_default()),
            "unlock" => format!("Mở khóa đến {}: {}", h.new_value.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()).map(text_vi::format_date).unwrap_or_default(), h.note.unwrap_or_default()),
            other => other.to_string(),
        },
    }).collect();
    let can_review = service::can_review(&user.principal(), &round);
    let st = service::state_of(&rep);
    let can_unlock = can_review && round.status == "open" && matches!(lock, Some(rules::Lock::Approved) | Some(rules::Lock::PastDeadline { .. }));
    let reviewed = match (&rep.reviewed_by_name, rep.reviewed_at) {
        (Some(n), Some(at)) => format!("{n}, {}", text_vi::format_datetime(at)),
        _ => String::new(),
    };
    let sees_round = service::visible_round(&state.db, &user.principal(), round.id).await.is_ok();
    Ok(ReportPage {
        l: layout(user, format!("{} — {}", round.form_name, service::reporter_name(&rep)), tb),
        sees_round,
        period: service::period_label(&round.period_key),
        due: fmt_date(round.due_on),
        state: service::state_label(&rep.state),
        lock: lock.map(|l| l.message_vi()).unwrap_or_default(),
        editable,
        can_approve: can_review && st == ReportState::Submitted && round.status == "open",
        can_unlock,
        version: rep.version,
        rows,
        form_error: retry.form_error,
        general_comments: comments.iter().filter(|c| c.value_key.is_none()).map(|c| format!("{} — {} ({})", c.text, c.account_name.clone().unwrap_or_default(), text_vi::format_datetime(c.at))).collect(),
        history,
        indicator_choices: form.indicators().map(|i| Choice { value: i.code.clone(), label: i.name.clone(), checked: false }).collect(),
        comment_text: retry.comment_text,
        return_comment: retry.return_comment,
        unlock_until: if retry.unlock_until.is_empty() { text_vi::format_date(day + chrono::Duration::days(7)) } else { retry.unlock_until },
        unlock_reason: retry.unlock_reason,
        errors: retry.errors,
        import_errors: retry.import_errors,
        reviewed,
        rep,
        round,
    })
}

/// `GET /bao-cao/{id}`.
pub async fn report_show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    render(&report_page(&state, &user, id, q.tb.as_deref(), Retry::default()).await?)
}

/// A report the account fills and that is not locked; otherwise the lock's reason.
async fn fillable(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<(Report, Round)> {
    user.require(Action::FillReports)?;
    let (rep, round) = service::visible_report(&state.db, &user.principal(), id).await?;
    if !service::can_fill(&user.principal(), &rep) {
        return Err(AppError::Forbidden);
    }
    if let Some(lock) = service::lock_of(&rep, &round, today()) {
        return Err(AppError::BadRequest(lock.message_vi()));
    }
    Ok((rep, round))
}

/// `POST /bao-cao/{id}`: saves the draft (`action=save`) or saves and submits (`action=submit`).
/// Errors are shown beside each cell and nothing typed is lost.
pub async fn report_save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::FillReports)?;
    let (rep, round) = service::visible_report(&state.db, &user.principal(), id).await?;
    if !service::can_fill(&user.principal(), &rep) {
        return Err(AppError::Forbidden);
    }
    let cat = service::catalogue()?;
    let form = service::form_of(&state.db, round.form_id).await?;
    let mut typed: HashMap<String, String> = HashMap::new();
    let mut action = "save".to_string();
    let mut version = -1;
    for (k, v) in pairs {
        if let Some(key) = k.strip_prefix("v:") {
            typed.insert(key.to_string(), v);
        } else if k == "action" {
            action = v;
        } else if k == "version" {
            version = v.trim().parse().unwrap_or(-1);
        }
    }
    // Locked meanwhile (sent, approved, closed, past the deadline): say why, keep the input.
    if let Some(lock) = service::lock_of(&rep, &round, today()) {
        let retry = Retry { typed: Some(typed), form_error: lock.message_vi(), ..Default::default() };
        return render_status(StatusCode::CONFLICT, &report_page(&state, &user, id, None, retry).await?);
    }
    let old = crate::store::values(&state.db, id).await?;
    let mut pre: BTreeMap<String, i64> = old.iter().filter(|s| s.prefilled).filter_map(|s| s.int_value.map(|v| (s.value_key.clone(), v))).collect();
    if old.is_empty() && rep.state == "draft" {
        pre.extend(service::prefill(&state.db, service::Prefillers::of(&state.registry), &form, &rep, &round).await?);
    }
    let entry = service::read_entry(cat, &form, &typed, &pre);
    let submit = action == "submit";
    // A figure that cannot be read is not saved: the page comes back with what was typed.
    if entry.unreadable {
        let retry = Retry { typed: Some(typed), cell_errors: entry.errors, form_error: rm::FIX_ERRORS.into(), ..Default::default() };
        return render_invalid(&report_page(&state, &user, id, None, retry).await?);
    }
    // Everything readable is kept as a draft, even when a submission fails on the form's rules:
    // a failed "Gửi" loses nothing.
    let actor = meta.actor(&user);
    match service::save_values(&state.db, &actor, user.account.id, &rep, version, &entry.stored, "manual").await {
        Ok(_) => {}
        Err(AppError::BadRequest(m)) => {
            let retry = Retry { typed: Some(typed), form_error: m, ..Default::default() };
            return render_status(StatusCode::CONFLICT, &report_page(&state, &user, id, None, retry).await?);
        }
        Err(e) => return Err(e),
    }
    if submit && !entry.errors.is_empty() {
        let retry = Retry { typed: Some(typed), cell_errors: entry.errors, form_error: rm::SUBMIT_FAILED_DRAFT_SAVED.into(), ..Default::default() };
        return render_invalid(&report_page(&state, &user, id, None, retry).await?);
    }
    if submit {
        let rep = crate::store::report(&state.db, id).await?;
        service::transition(&state.db, &actor, user.account.id, &rep, &round, ReportEvent::Submit, rep.version, None, today()).await?;
        return Ok(Redirect::to(&format!("/bao-cao/{id}?tb=submitted")).into_response());
    }
    if !entry.errors.is_empty() {
        let retry = Retry { typed: Some(typed), cell_errors: entry.errors, form_error: format!("{} {}", rm::DRAFT_SAVED, rm::FIX_ERRORS), ..Default::default() };
        return render_invalid(&report_page(&state, &user, id, None, retry).await?);
    }
    Ok(Redirect::to(&format!("/bao-cao/{id}?tb=draft_saved")).into_response())
}

#[derive(Deserialize, Default)]
pub struct ReviewForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    text: String,
}

async fn reviewed_report(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<(Report, Round)> {
    user.require(Action::ReviewReports)?;
    let (rep, round) = service::visible_report(&state.db, &user.principal(), id).await?;
    if !service::can_review(&user.principal(), &round) {
        return Err(AppError::Forbidden);
    }
    Ok((rep, round))
}

/// `POST /bao-cao/{id}/duyet`: approves; the figures join every total above at once.
pub async fn report_approve(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<ReviewForm>) -> AppResult<Response> {
    let (rep, round) = reviewed_report(&state, &user, id).await?;
    if round.status != "open" {
        return Err(AppError::BadRequest(rm::ROUND_NOT_OPEN.into()));
    }
    let version = f.version.trim().parse().unwrap_or(-1);
    service::transition(&state.db, &meta.actor(&user), user.account.id, &rep, &round, ReportEvent::Approve, version, None, today()).await?;
    Ok(Redirect::to(&format!("/bao-cao/{id}?tb=approved")).into_response())
}

/// `POST /bao-cao/{id}/tra-lai`: returns a submitted report with a comment.
pub async fn report_return(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<ReviewForm>) -> AppResult<Response> {
    let (rep, round) = reviewed_report(&state, &user, id).await?;
    let comment = clean(&f.comment);
    if comment.is_empty() || comment.chars().count() > 4000 {
        let mut errors = FieldErrors::default();
        errors.add("comment", if comment.is_empty() { rm::RETURN_NEEDS_COMMENT } else { kernel::msg::TOO_LONG });
        return render_invalid(&report_page(&state, &user, id, None, Retry { errors, return_comment: f.comment, ..Default::default() }).await?);
    }
    if rep.state != "submitted" {
        return Err(AppError::BadRequest(crate::msg::TRANSITION_NOT_ALLOWED.into()));
    }
    let version = f.version.trim().parse().unwrap_or(-1);
    service::transition(&state.db, &meta.actor(&user), user.account.id, &rep, &round, ReportEvent::Return, version, Some(&comment), today()).await?;
    Ok(Redirect::to(&format!("/bao-cao/{id}?tb=returned")).into_response())
}

/// `POST /bao-cao/{id}/mo-khoa`: an audited unlock with a reason. An approved report goes back
/// to the reporter (its figures leave the totals at once); a report locked after its deadline
/// may be filled and sent until the given day.
pub async fn report_unlock(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<ReviewForm>) -> AppResult<Response> {
    let (rep, round) = reviewed_report(&state, &user, id).await?;
    let day = today();
    let reason = clean(&f.reason);
    let mut errors = FieldErrors::default();
    if reason.is_empty() {
        errors.add("reason", rm::UNLOCK_NEEDS_REASON);
    }
    let lock = service::lock_of(&rep, &round, day);
    let until = match lock {
        Some(rules::Lock::PastDeadline { .. }) => match text_vi::parse_date(&f.until) {
            Ok(d) if d >= day => Some(d),
            _ => {
                errors.add("until", rm::UNLOCK_UNTIL_INVALID);
                None
            }
        },
        Some(rules::Lock::Approved) if round.status == "open" => None,
        _ => return Err(AppError::BadRequest(rm::NOT_LOCKED.into())),
    };
    if !errors.is_empty() {
        let retry = Retry { errors, unlock_until: f.until, unlock_reason: f.reason, ..Default::default() };
        return render_invalid(&report_page(&state, &user, id, None, retry).await?);
    }
    let actor = meta.actor(&user);
    match until {
        Some(d) => {
            let mut tx = state.db.begin().await?;
            crate::store::unlock_until(&mut tx, id, d, &reason, Some(user.account.id)).await?;
            audit::record(&mut tx, &actor, AuditEntry {
                action: "unlock", entity: "report", entity_id: Some(id.to_string()), unit_id: Some(rep.unit_id),
                summary: format!("Mở khóa báo cáo quá hạn của {} đến {}: {reason}", service::reporter_name(&rep), text_vi::format_date(d)),
                before: Some(json!({"lock": "past_deadline"})), after: Some(json!({"unlocked_until": d, "reason": reason})),
            }).await?;
            tx.commit().await?;
        }
        None => {
            let version = f.version.trim().parse().unwrap_or(-1);
            let text = format!("Mở khóa để sửa: {reason}");
            service::transition(&state.db, &actor, user.account.id, &rep, &round, ReportEvent::Return, version, Some(&text), day).await?;
        }
    }
    Ok(Redirect::to(&format!("/bao-cao/{id}?tb=unlocked")).into_response())
}

/// `POST /bao-cao/{id}/y-kien`: a comment on the report or on one indicator.
pub async fn report_comment(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<ReviewForm>) -> AppResult<Response> {
    let (rep, round) = service::visible_report(&state.db, &user.principal(), id).await?;
    if !(service::can_fill(&user.principal(), &rep) || service::can_review(&user.principal(), &round)) {
        return Err(AppError::Forbidden);
    }
    let text = clean(&f.text);
    let form = service::form_of(&state.db, round.form_id).await?;
    let key = (!f.key.trim().is_empty()).then(|| f.key.trim().to_string());
    let mut errors = FieldErrors::default();
    if text.is_empty() {
        errors.add("text", rm::COMMENT_EMPTY);
    } else if text.chars().count() > 4000 {
        errors.add("text", kernel::msg::TOO_LONG);
    }
    if key.as_ref().is_some_and(|k| form.indicator(k).is_none()) {
        errors.add("text", rm::unknown_indicator(key.as_deref().unwrap_or("")));
    }
    if !errors.is_empty() {
        return render_invalid(&report_page(&state, &user, id, None, Retry { errors, comment_text: f.text, ..Default::default() }).await?);
    }
    let mut tx = state.db.begin().await?;
    crate::store::add_comment(&mut tx, id, key.as_deref(), Some(user.account.id), &text).await?;
    audit::record(&mut tx, &meta.actor(&user), AuditEntry {
        action: "comment", entity: "report", entity_id: Some(id.to_string()), unit_id: Some(rep.unit_id),
        summary: format!("Ý kiến về báo cáo của {}", service::reporter_name(&rep)), before: None, after: Some(json!({"key": key, "text": text})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/bao-cao/{id}?tb=comment_added")).into_response())
}

/// `GET /bao-cao/{id}/tai-ve.xlsx`: the report in the official layout; also the file to fill
/// offline and import back.
pub async fn report_xlsx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let (sheet, stem) = report_sheet(&state, &user, id).await?;
    let bytes = documents::report_xlsx(&sheet).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(kernel::page::attachment(XLSX, &format!("{stem}.xlsx"), bytes))
}

/// `GET /bao-cao/{id}/tai-ve.pdf`: the report in the same layout, typeset in-process.
pub async fn report_pdf(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let (sheet, stem) = report_sheet(&state, &user, id).await?;
    let bytes = kernel::page::typeset(&state, move || documents::report_pdf(&sheet).map_err(pdf_error)).await?;
    Ok(kernel::page::attachment(PDF, &format!("{stem}.pdf"), bytes))
}

/// One report as a sheet in the official layout, and its file name without extension.
async fn report_sheet(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<(documents::ReportSheet, String)> {
    let (rep, round) = service::visible_report(&state.db, &user.principal(), id).await?;
    let form = service::form_of(&state.db, round.form_id).await?;
    let values = rules::compute(&form, &service::to_values(&crate::store::values(&state.db, id).await?));
    let unit = kernel::db::units::get(&state.db, rep.unit_id).await?;
    let (parent_body, mut issuing_body, place) = header_of(state, &unit).await?;
    if let Some(a) = &rep.agency_name {
        issuing_body = a.to_uppercase();
    }
    let sheet = documents::ReportSheet {
        parent_body, issuing_body, form_code: form.code.clone(), form_version: form.version, form_name: form.name.clone(), legal_basis: form.legal_basis.clone(),
        period_label: period_line(&round), scope_label: format!("Đơn vị báo cáo: {} — {}", service::reporter_name(&rep), service::state_label(&rep.state)),
        columns: vec!["Số liệu".into()], rows: with_form_codes(sheet_rows(&form, &[&values])), place, date: Some(today()),
        preparer_title: "NGƯỜI LẬP BIỂU".into(), head_title: "THỦ TRƯỞNG ĐƠN VỊ".into(),
        notes: vec!["Điền số liệu vào cột «Số liệu»; không sửa cột «Mã chỉ tiêu». Các chỉ tiêu in nghiêng được tự tính.".into()],
    };
    Ok((sheet, format!("bao-cao-{}-{}-{}", form.code, round.period_key, text_vi::slug(&service::reporter_name(&rep)))))
}

/// Checks an imported sheet row by row; any error imports nothing.
pub fn read_import(cat: &rules::FormCatalogue, form: &ReportForm, rows: &[documents::RawRow], keep_text: &[StoredValue]) -> Result<Vec<StoredValue>, Vec<String>> {
    let cells = service::cells(cat, form);
    let mut errors = Vec::new();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut out: Vec<StoredValue> = Vec::new();
    // The sheet names each row by the form's own code (1, 5.1 …); sheets downloaded before
    // that used the value keys, which are still accepted.
    let by_code: BTreeMap<String, String> = sheet_rows(form, &[]).into_iter().filter(|r| !r.is_section).map(|r| (r.stt, r.key)).collect();
    for r in rows {
        let key = r.key.trim();
        let key = by_code.get(key).map(String::as_str).unwrap_or(key);
        if seen.insert(key.to_string(), r.row).is_some() {
            errors.push(rm::import_row_duplicate(r.row, key));
            continue;
        }
        let Some(cell) = cells.iter().find(|c| c.key == key) else {
            // Computed figures exported with the sheet are ignored; anything else is an error.
            let computed = ValueKey::from_db_key(key).and_then(|k| form.indicator(&k.indicator)).is_some_and(|i| i.is_computed());
            if !computed {
                errors.push(rm::import_row_unknown(r.row, key));
            }
            continue;
        };
        if cell.kind == IndicatorKind::Text {
            if let documents::RawCell::Text(t) = &r.cell {
                out.push(StoredValue { value_key: cell.key.clone(), int_value: None, text_value: Some(text_vi::nfc(t)), prefilled: false });
            }
            continue;
        }
        let label = match &cell.member { Some(m) => format!("{} ({m})", cell.name), None => cell.name.clone() };
        match &r.cell {
            documents::RawCell::Empty => {}
            documents::RawCell::Number(x) if x.fract() == 0.0 && *x >= 0.0 && *x < 9.0e15 => {
                out.push(StoredValue { value_key: cell.key.clone(), int_value: Some(*x as i64), text_value: None, prefilled: false });
            }
            documents::RawCell::Number(x) => errors.push(rm::import_row_not_number(r.row, &label, &text_vi::format_decimal(*x, 2))),
            documents::RawCell::Text(t) => match service::parse_count(t) {
                Ok(Some(n)) => out.push(StoredValue { value_key: cell.key.clone(), int_value: Some(n), text_value: None, prefilled: false }),
                Ok(None) => {}
                Err(_) => errors.push(rm::import_row_not_number(r.row, &label, t)),
            },
        }
    }
    if errors.is_empty() {
        // Text figures not in the sheet are kept.
        for t in keep_text {
            if t.text_value.is_some() && !out.iter().any(|o| o.value_key == t.value_key) {
                out.push(t.clone());
            }
        }
        if out.is_empty() {
            errors.push(rm::IMPORT_EMPTY.into());
        }
        for e in rules::validate(cat, form, &service::to_values(&out)) {
            errors.push(rm::import_rule(&e.message_vi));
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// `POST /bao-cao/{id}/nhap-excel` (multipart): values from an XLSX filled offline. Errors are
/// listed row by row and a file with any error imports nothing.
pub async fn report_import(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> AppResult<Response> {
    let (rep, round) = fillable(&state, &user, id).await?;
    let mp = mp.map_err(|_| AppError::BadRequest(kernel::msg::FORM_UNREADABLE.into()))?;
    let up = kernel::page::read_upload(mp, state.config.limits.upload_bytes).await.map_err(|m| AppError::BadRequest(m.into()))?;
    let fail = |errs: Vec<String>| Retry { import_errors: errs, ..Default::default() };
    if up.too_large || up.bytes.is_empty() {
        let m = if up.too_large { kernel::msg::FILE_TOO_LARGE.to_string() } else { rm::IMPORT_EMPTY.to_string() };
        return render_invalid(&report_page(&state, &user, id, None, fail(vec![m])).await?);
    }
    if !kernel::heavy::allow_upload(&state.db, user.account.id, "report_import", state.config.limits.imports_per_minute).await? {
        let mut page = render_invalid(&report_page(&state, &user, id, None, fail(vec![kernel::msg::IMPORTS_TOO_FREQUENT.to_string()])).await?)?;
        *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(page);
    }
    // Parsing untrusted bytes is CPU work: on the blocking pool, under the instance's limits.
    let bytes = up.bytes;
    let read = match state.heavy.run(move || documents::read_report_xlsx(&bytes)).await {
        Ok(r) => r,
        Err(kernel::heavy::HeavyError::Failed) => return Err(AppError::Internal("report import failed".into())),
        Err(e) => return render_invalid(&report_page(&state, &user, id, None, fail(vec![e.message().to_string()])).await?),
    };
    let rows = match read {
        Ok(r) => r,
        Err(e) => {
            let m = match e {
                documents::ReadError::NoHeader => rm::IMPORT_NO_HEADER.to_string(),
                documents::ReadError::TooLarge => rm::IMPORT_TOO_LARGE.to_string(),
                _ => rm::import_not_xlsx(),
            };
            return render_invalid(&report_page(&state, &user, id, None, fail(vec![m])).await?);
        }
    };
    let form = service::form_of(&state.db, round.form_id).await?;
    let old = crate::store::values(&state.db, id).await?;
    let stored = match read_import(service::catalogue()?, &form, &rows, &old) {
        Ok(s) => s,
        Err(errs) => return render_invalid(&report_page(&state, &user, id, None, fail(errs)).await?),
    };
    let version = up.fields.get("version").and_then(|v| v.trim().parse().ok()).unwrap_or(-1);
    service::save_values(&state.db, &meta.actor(&user), user.account.id, &rep, version, &stored, "import").await?;
    Ok(Redirect::to(&format!("/bao-cao/{id}?tb=imported")).into_response())
}

// ================================================================== forms

pub struct FormItem {
    pub href: String,
    pub code: String,
    pub version: i64,
    pub name: String,
    pub validity: String,
    pub in_use: bool,
}

#[derive(Template)]
#[template(path = "reports/forms.html")]
struct FormsPage {
    l: Layout,
    forms: Vec<FormItem>,
}

/// `GET /bao-cao/bieu-mau`.
pub async fn forms_index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    user.require(Action::ViewReports)?;
    let forms = crate::store::forms(&state.db).await?.into_iter().map(|f| FormItem {
        href: format!("/bao-cao/bieu-mau/{}", f.id),
        validity: kernel::page::validity(Some(f.valid_from), f.valid_to.map(|d| d - chrono::Duration::days(1))),
        code: f.code, version: f.version, name: f.name, in_use: f.in_use,
    }).collect();
    render(&FormsPage { l: layout(&user, "Biểu mẫu báo cáo", q.tb.as_deref()), forms })
}

pub struct IndicatorItem {
    pub section: String,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: &'static str,
    pub formula: String,
    pub breakdowns: String,
    pub certainty: &'static str,
}

#[derive(Template)]
#[template(path = "reports/form.html")]
struct FormPage {
    l: Layout,
    f: crate::store::FormRow,
    form: ReportForm,
    validity: String,
    indicators: Vec<IndicatorItem>,
    rules: Vec<String>,
    can_edit: bool,
    definition: String,
    error: String,
    edit: StructuredEdit,
    sections: Vec<Choice>,
}

/// What the structured editor shows: the typed header fields and, per indicator code, its
/// typed name and unit, whether it is to be dropped and any message; plus a new indicator.
#[derive(Default, Clone)]
pub struct StructuredEdit {
    pub name: String,
    pub legal_basis: String,
    pub valid_from: String,
    pub valid_to: String,
    pub rows: Vec<EditRow>,
    pub new_section: String,
    pub new_name: String,
    pub new_unit: String,
    pub new_kind: String,
    pub errors: FieldErrors,
    pub error: String,
}

#[derive(Default, Clone)]
pub struct EditRow {
    pub code: String,
    pub section: String,
    pub name: String,
    pub unit: String,
    pub computed: bool,
    pub remove: bool,
    pub error: String,
}

fn edit_of(form: &ReportForm) -> StructuredEdit {
    StructuredEdit {
        name: form.name.clone(),
        legal_basis: form.legal_basis.clone(),
        valid_from: text_vi::format_date(form.valid_from),
        valid_to: form.valid_to.map(|d| text_vi::format_date(d - chrono::Duration::days(1))).unwrap_or_default(),
        rows: form.sections.iter().flat_map(|s| s.indicators.iter().map(move |i| EditRow {
            code: i.code.clone(), section: s.code.clone(), name: i.name.clone(), unit: i.unit.clone(), computed: i.is_computed(), remove: false, error: String::new(),
        })).collect(),
        new_kind: "count".into(),
        ..Default::default()
    }
}

fn certainty(c: rules::Certainty) -> &'static str {
    match c {
        rules::Certainty::V => "Đã kiểm chứng",
        rules::Certainty::P => "Kiểm chứng một phần",
        rules::Certainty::U => "Chưa kiểm chứng",
    }
}

fn kind_label(k: IndicatorKind) -> &'static str {
    match k {
        IndicatorKind::Count => "Số đếm",
        IndicatorKind::AmountVnd => "Số tiền (đồng)",
        IndicatorKind::Percentage => "Tỷ lệ %",
        IndicatorKind::Ratio => "Tỷ số",
        IndicatorKind::Text => "Văn bản",
    }
}

/// Unit administrators of a province and system administrators edit forms.
fn can_edit_forms(user: &CurrentUser) -> bool {
    user.role.allows(Action::ManageReportForms) && (user.scope.global || user.account.unit_path.matches('/').count() == 2)
}

async fn form_page(state: &AppState, user: &CurrentUser, id: i64, definition: Option<String>, error: String, edit: Option<StructuredEdit>) -> AppResult<FormPage> {
    user.require(Action::ViewReports)?;
    let f = crate::store::form(&state.db, id).await?;
    let cat = service::catalogue()?;
    let form = cat.parse_version(&f.definition).map_err(|e| AppError::Internal(e.to_string()))?;
    let indicators = form.sections.iter().flat_map(|s| s.indicators.iter().map(move |i| (s, i))).map(|(s, i)| IndicatorItem {
        section: s.code.clone(), code: i.code.clone(), name: i.name.clone(), unit: i.unit.clone(), kind: kind_label(i.kind),
        formula: match &i.formula {
            Some(rules::Formula::Sum { terms }) => format!("= {}", terms.join(" + ")),
            Some(rules::Formula::Ratio { numerator, denominator, scale }) => format!("= {} × {numerator} / {denominator}", text_vi::format_decimal(*scale, 0)),
            None => String::new(),
        },
        breakdowns: i.disaggregations.iter().filter_map(|d| cat.dimension(d).map(|d| d.name.clone())).collect::<Vec<_>>().join(", "),
        certainty: certainty(i.certainty),
    }).collect();
    let rules = form.rules.iter().map(|r| match r {
        rules::Rule::SumLe { parts, total } => format!("{} ≤ {total}", parts.join(" + ")),
        rules::Rule::SumEq { parts, total } => format!("{} = {total}", parts.join(" + ")),
    }).collect();
    Ok(FormPage {
        l: layout(user, format!("Biểu mẫu {} phiên bản {}", f.code, f.version), None),
        validity: kernel::page::validity(Some(f.valid_from), f.valid_to.map(|d| d - chrono::Duration::days(1))),
        indicators,
        rules,
        can_edit: can_edit_forms(user),
        definition: definition.unwrap_or_else(|| f.definition.clone()),
        error,
        sections: form.sections.iter().map(|sec| Choice { value: sec.code.clone(), label: format!("{}. {}", sec.code, sec.name), checked: edit.as_ref().is_some_and(|e| e.new_section == sec.code) }).collect(),
        edit: edit.unwrap_or_else(|| edit_of(&form)),
        form,
        f,
    })
}

/// `GET /bao-cao/bieu-mau/{id}`.
pub async fn form_show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    render(&form_page(&state, &user, id, None, String::new(), None).await?)
}

#[derive(Deserialize, Default)]
pub struct FormEdit {
    #[serde(default)]
    definition: String,
}

/// `POST /bao-cao/bieu-mau/{id}`: stores the edited text as a new version (the edited version
/// and every version holding data stay as they were). The new version takes precedence from
/// its `valid_from` on.
pub async fn form_save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<FormEdit>) -> AppResult<Response> {
    user.require(Action::ManageReportForms)?;
    if !can_edit_forms(&user) {
        return Err(AppError::Forbidden);
    }
    let base = crate::store::form(&state.db, id).await?;
    let text = text_vi::nfc(&f.definition);
    let cat = service::catalogue()?;
    let parsed = match cat.parse_version(&text) {
        Ok(p) => p,
        Err(e) => return render_invalid(&form_page(&state, &user, id, Some(f.definition), rm::form_invalid(&e.to_string()), None).await?),
    };
    if parsed.code != base.code {
        return render_invalid(&form_page(&state, &user, id, Some(f.definition), rm::FORM_EDIT_WRONG_CODE.into(), None).await?);
    }
    let new_id = store_version(&state, &user, &meta, &base, parsed).await?;
    Ok(Redirect::to(&format!("/bao-cao/bieu-mau/{new_id}?tb=form_saved")).into_response())
}

/// Stores `form` as the next version of `base`'s code, audited; returns the new row id.
async fn store_version(state: &AppState, user: &CurrentUser, meta: &ReqMeta, base: &crate::store::FormRow, mut parsed: ReportForm) -> AppResult<i64> {
    let version = crate::store::max_version(&state.db, &base.code).await? + 1;
    parsed.version = u32::try_from(version).map_err(|e| AppError::Internal(e.to_string()))?;
    let definition = parsed.to_toml().map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = state.db.begin().await?;
    let new_id = crate::store::insert_form(&mut tx, &crate::store::NewForm {
        code: &parsed.code, version, name: &parsed.name, valid_from: parsed.valid_from, valid_to: parsed.valid_to, definition: &definition, created_by: Some(user.account.id),
    }).await?;
    audit::record(&mut tx, &meta.actor(user), AuditEntry {
        action: "create", entity: "report_form", entity_id: Some(new_id.to_string()), unit_id: Some(user.account.unit_id),
        summary: format!("Tạo phiên bản {version} của biểu mẫu {} từ phiên bản {}", parsed.code, base.version),
        before: Some(json!({"version": base.version})), after: Some(json!({"version": version, "valid_from": parsed.valid_from, "valid_to": parsed.valid_to})),
    }).await?;
    tx.commit().await?;
    Ok(new_id)
}

/// `POST /bao-cao/bieu-mau/{id}/sua`: the structured editor. Renames indicators, changes units,
/// drops indicators nothing else uses, adds a count or amount indicator to a section, and sets
/// the name, legal basis and validity; the result is checked like any form and stored as the
/// next version.
pub async fn form_save_structured(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageReportForms)?;
    if !can_edit_forms(&user) {
        return Err(AppError::Forbidden);
    }
    let base = crate::store::form(&state.db, id).await?;
    let cat = service::catalogue()?;
    let mut form = cat.parse_version(&base.definition).map_err(|e| AppError::Internal(e.to_string()))?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| clean(v)).unwrap_or_default();
    let mut edit = edit_of(&form);
    edit.name = get("name");
    edit.legal_basis = get("legal_basis");
    edit.valid_from = get("valid_from");
    edit.valid_to = get("valid_to");
    edit.new_section = get("new_section");
    edit.new_name = get("new_name");
    edit.new_unit = get("new_unit");
    edit.new_kind = get("new_kind");
    for row in &mut edit.rows {
        row.name = get(&format!("name:{}", row.code));
        row.unit = get(&format!("unit:{}", row.code));
        row.remove = pairs.iter().any(|(n, _)| n == &format!("remove:{}", row.code));
    }
    let mut errors = FieldErrors::default();
    if edit.name.is_empty() {
        errors.add("name", kernel::msg::REQUIRED);
    }
    if edit.legal_basis.is_empty() {
        errors.add("legal_basis", kernel::msg::REQUIRED);
    }
    let from = text_vi::parse_date(&edit.valid_from).ok();
    if from.is_none() {
        errors.add("valid_from", kernel::msg::INVALID_DATE);
    }
    // The page shows the last day of validity; the form keeps the exclusive end.
    let to = match edit.valid_to.as_str() {
        "" => None,
        t => match text_vi::parse_date(t) {
            Ok(d) => Some(d + chrono::Duration::days(1)),
            Err(_) => {
                errors.add("valid_to", kernel::msg::INVALID_DATE);
                None
            }
        },
    };
    if let (Some(f), Some(t)) = (from, to)
        && t <= f
    {
        errors.add("valid_to", rm::VALID_TO_BEFORE_FROM);
    }
    // Indicators: rename, change units, drop those no formula or rule uses.
    let used: Vec<String> = form.indicators().filter_map(|i| i.formula.as_ref()).flat_map(|f| f.inputs().into_iter().map(str::to_string))
        .chain(form.rules.iter().flat_map(|r| r.indicators().into_iter().map(str::to_string))).collect();
    for row in &mut edit.rows {
        if row.name.is_empty() {
            row.error = kernel::msg::REQUIRED.into();
        } else if row.remove && used.contains(&row.code) {
            row.error = rm::indicator_in_use(&row.name);
        }
    }
    if edit.rows.iter().all(|r| r.remove) {
        errors.add("new_name", rm::FORM_NEEDS_INDICATOR);
    }
    let new_kind = match edit.new_kind.as_str() {
        "amount_vnd" => IndicatorKind::AmountVnd,
        _ => IndicatorKind::Count,
    };
    if !edit.new_name.is_empty() {
        if edit.new_unit.is_empty() {
            errors.add("new_unit", kernel::msg::REQUIRED);
        }
        if !form.sections.iter().any(|s| s.code == edit.new_section) {
            errors.add("new_section", kernel::msg::REQUIRED);
        }
    }
    if !errors.is_empty() || edit.rows.iter().any(|r| !r.error.is_empty()) {
        edit.errors = errors;
        edit.error = rm::FIX_FORM_ERRORS.into();
        return render_invalid(&form_page(&state, &user, id, None, String::new(), Some(edit)).await?);
    }
    form.name = edit.name.clone();
    form.legal_basis = edit.legal_basis.clone();
    if let Some(f) = from {
        form.valid_from = f;
    }
    form.valid_to = to;
    for sec in &mut form.sections {
        sec.indicators.retain(|i| !edit.rows.iter().any(|r| r.code == i.code && r.remove));
        for ind in &mut sec.indicators {
            if let Some(r) = edit.rows.iter().find(|r| r.code == ind.code) {
                ind.name = r.name.clone();
                ind.unit = r.unit.clone();
            }
        }
    }
    form.sections.retain(|s| !s.indicators.is_empty());
    if !edit.new_name.is_empty() {
        let mut n = form.indicators().count() + 1;
        let mut code = format!("added_{n:02}");
        while form.indicator(&code).is_some() {
            n += 1;
            code = format!("added_{n:02}");
        }
        if let Some(sec) = form.sections.iter_mut().find(|s| s.code == edit.new_section) {
            sec.indicators.push(rules::Indicator {
                code, name: edit.new_name.clone(), unit: edit.new_unit.clone(), kind: new_kind, formula: None, aggregation: None,
                disaggregations: Vec::new(), certainty: rules::Certainty::U, max: None,
            });
        }
    }
    // The same checks as any stored version.
    let checked = form.to_toml().map_err(|e| e.to_string()).and_then(|t| cat.parse_version(&t).map_err(|e| e.to_string()));
    let parsed = match checked {
        Ok(p) => p,
        Err(e) => {
            edit.error = rm::form_invalid(&e);
            return render_invalid(&form_page(&state, &user, id, None, String::new(), Some(edit)).await?);
        }
    };
    let new_id = store_version(&state, &user, &meta, &base, parsed).await?;
    Ok(Redirect::to(&format!("/bao-cao/bieu-mau/{new_id}?tb=form_saved")).into_response())
}
