//! Periodic report services shared by the pages, the API and the daily job: who may see, fill
//! and review what; the stored form of a round; reading typed figures; the workflow
//! (save, submit, approve, return, unlock) with its audit entries and the live roll-up; the
//! aggregate on the old tree or on today's map; completeness; generating a year's rounds.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::NaiveDate;
use kernel::db::audit::{self, Actor, Entry as AuditEntry};
use crate::store::{Member, NewRound, Report, Round, StoredValue};
use kernel::db::{Db, DbError};
use kernel::account::{Action, Role};
use crate::msg as rm;
use crate::rules::{
    self, FormCatalogue, IndicatorKind, Lock, Period, PeriodKind, ReportEvent, ReportForm, ReportState,
    RoundStatus, Timeliness, Value, ValueKey, Values,
};
use kernel::registry::{ReportFigures, TaskFigures};
use serde_json::json;

use kernel::auth::Principal;
use kernel::error::{AppError, AppResult};

/// The shipped catalogue: dimensions and the first versions of the forms (seeded into the
/// database). Pure data, loaded once per process.
pub fn catalogue() -> AppResult<&'static FormCatalogue> {
    static CAT: OnceLock<Result<FormCatalogue, String>> = OnceLock::new();
    CAT.get_or_init(|| FormCatalogue::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::Internal(e.clone()))
}

/// The shipped deadline rules.
pub fn deadline_rules() -> AppResult<&'static rules::DeadlineRules> {
    static RULES: OnceLock<Result<rules::DeadlineRules, String>> = OnceLock::new();
    RULES.get_or_init(rules::DeadlineRules::builtin).as_ref().map_err(|e| AppError::Internal(e.clone()))
}

/// Stores the shipped form versions the database lacks. Called at start-up and migration.
pub async fn seed_forms(db: &Db) -> Result<usize, DbError> {
    let cat = FormCatalogue::builtin().map_err(|e| DbError::Invalid(e.to_string()))?;
    let texts: Vec<(ReportForm, String)> = cat
        .forms()
        .iter()
        .map(|f| f.to_toml().map(|t| (f.clone(), t)))
        .collect::<Result<_, _>>()
        .map_err(|e| DbError::Invalid(e.to_string()))?;
    let new: Vec<crate::store::NewForm<'_>> = texts
        .iter()
        .map(|(f, t)| crate::store::NewForm {
            code: &f.code,
            version: i64::from(f.version),
            name: &f.name,
            valid_from: f.valid_from,
            valid_to: f.valid_to,
            definition: t,
            created_by: None,
        })
        .collect();
    crate::store::seed_forms(db, &new).await
}

/// The form version a round was opened with, parsed from its stored definition.
pub async fn form_of(db: &Db, form_id: i64) -> AppResult<ReportForm> {
    let row = crate::store::form(db, form_id).await?;
    catalogue()?.parse_version(&row.definition).map_err(|e| AppError::Internal(e.to_string()))
}

// ------------------------------------------------------------------ access

/// Whether the account's scope covers a unit path, or (for a unit abolished in 2025) one of the
/// units it became: a merged province keeps seeing the reports of its predecessors.
async fn covers(db: &Db, user: &Principal<'_>, unit_id: i64, unit_path: &str, unit_valid_to: Option<NaiveDate>) -> AppResult<bool> {
    if user.scope.contains(unit_path) {
        return Ok(true);
    }
    if unit_valid_to.is_none() {
        return Ok(false);
    }
    let today = kernel::page::today();
    let now_units = kernel::db::units::today_of(db, unit_id, today).await?;
    Ok(now_units.iter().any(|l| user.scope.contains(&l.unit.path)))
}

/// Whether the account reviews the round: officers whose scope holds the unit that opened it.
pub fn can_review(user: &Principal<'_>, round: &Round) -> bool {
    user.role.allows(Action::ReviewReports) && user.scope.contains(&round.unit_path)
}

/// Whether the account fills this report: for a unit's report, the officers of that very unit;
/// for an agency's report, its focal points (and the officers of the agency's unit).
pub fn can_fill(user: &Principal<'_>, rep: &Report) -> bool {
    if !user.role.allows(Action::FillReports) {
        return false;
    }
    match rep.agency_id {
        Some(a) => user.account.agency_id == Some(a) || (user.account.unit_id == rep.unit_id && user.role.allows(Action::ReviewReports)),
        None => user.account.unit_id == rep.unit_id && user.account.agency_id.is_none(),
    }
}

/// Loads a round the account may see (its scope holds the opening unit, or a successor of it);
/// never for an agency's focal point.
pub async fn visible_round(db: &Db, user: &Principal<'_>, id: i64) -> AppResult<Round> {
    user.require(Action::ViewReports)?;
    let round = crate::store::round(db, id).await?;
    if user.role == Role::AgencyFocal {
        // A focal point works on its own agency's reports (reached from its list), not on a
        // round's other reporters and totals.
        return Err(AppError::NotFound);
    }
    let unit = kernel::db::units::get(db, round.unit_id).await?;
    if covers(db, user, unit.id, &unit.path, unit.valid_to).await? { Ok(round) } else { Err(AppError::NotFound) }
}

/// Loads a report the account may see: its filler, or an account whose scope holds the
/// reporting unit (or what it became). An agency's focal point sees only its agency's reports.
pub async fn visible_report(db: &Db, user: &Principal<'_>, id: i64) -> AppResult<(Report, Round)> {
    user.require(Action::ViewReports)?;
    let rep = crate::store::report(db, id).await?;
    let round = crate::store::round(db, rep.round_id).await?;
    let reach = user.role != Role::AgencyFocal && covers(db, user, rep.unit_id, &rep.unit_path, rep.unit_valid_to).await?;
    if can_fill(user, &rep) || reach {
        Ok((rep, round))
    } else {
        Err(AppError::NotFound)
    }
}

// ------------------------------------------------------------------ values

pub fn state_of(rep: &Report) -> ReportState {
    match rep.state.as_str() {
        "submitted" => ReportState::Submitted,
        "approved" => ReportState::Approved,
        "returned" => ReportState::Returned,
        _ => ReportState::Draft,
    }
}

pub fn state_label(state: &str) -> &'static str {
    match state {
        "draft" => "Đang soạn",
        "submitted" => "Đã gửi, chờ duyệt",
        "approved" => "Đã phê duyệt",
        "returned" => "Bị trả lại",
        _ => "",
    }
}

pub fn round_status(round: &Round) -> RoundStatus {
    RoundStatus::parse(&round.status).unwrap_or(RoundStatus::Closed)
}

/// Why the report is locked today, if it is.
pub fn lock_of(rep: &Report, round: &Round, today: NaiveDate) -> Option<Lock> {
    rules::lock(state_of(rep), round_status(round), round.due_on, round.lock_after_days, rep.unlocked_until, today)
}

/// Stored values as domain figures.
pub fn to_values(stored: &[StoredValue]) -> Values {
    let mut v = Values::new();
    for s in stored {
        let Some(key) = ValueKey::from_db_key(&s.value_key) else { continue };
        if let Some(i) = s.int_value {
            v.set(key, Value::Int(i));
        } else if let Some(t) = &s.text_value {
            v.set(key, Value::Text(t.clone()));
        }
    }
    v
}

/// One input cell of a form: an entered figure (a total or a breakdown member).
#[derive(Clone, Debug)]
pub struct Cell {
    pub key: String,
    pub indicator: String,
    pub name: String,
    pub unit: String,
    pub kind: IndicatorKind,
    /// Breakdown member name, for a disaggregated cell.
    pub member: Option<String>,
}

/// The input cells of a form in order: each entered indicator's total, then its breakdowns.
pub fn cells(cat: &FormCatalogue, form: &ReportForm) -> Vec<Cell> {
    let mut out = Vec::new();
    for ind in form.indicators().filter(|i| !i.is_computed()) {
        out.push(Cell { key: ind.code.clone(), indicator: ind.code.clone(), name: ind.name.clone(), unit: ind.unit.clone(), kind: ind.kind, member: None });
        for dim in &ind.disaggregations {
            if let Some(d) = cat.dimension(dim) {
                for m in &d.members {
                    out.push(Cell {
                        key: ValueKey::part(&ind.code, &d.code, &m.code).db_key(),
                        indicator: ind.code.clone(),
                        name: ind.name.clone(),
                        unit: ind.unit.clone(),
                        kind: ind.kind,
                        member: Some(format!("{}: {}", d.name, m.name)),
                    });
                }
            }
        }
    }
    out
}

/// Reads a typed count or amount: digits with optional "." or space grouping ("1.234.567").
pub fn parse_count(s: &str) -> Result<Option<i64>, &'static str> {
    let t: String = s.trim().chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}')).collect();
    if t.is_empty() {
        return Ok(None);
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(rm::NOT_A_NUMBER);
    }
    t.parse::<i64>().map(Some).map_err(|_| rm::NUMBER_TOO_LARGE)
}

/// The result of reading a filled form.
pub struct TypedEntry {
    pub stored: Vec<StoredValue>,
    /// Every message by cell key (unreadable numbers) or indicator code (rules).
    pub errors: BTreeMap<String, Vec<String>>,
    /// Whether some cell could not be read at all (then nothing may be saved, not even a draft).
    pub unreadable: bool,
}

/// Reads typed cells (`key → text`) against the form: numbers for counts and amounts, text
/// for text; then the form's validation rules. `prefilled` keys keep their mark while the typed
/// value equals the prefilled one.
pub fn read_entry(cat: &FormCatalogue, form: &ReportForm, typed: &HashMap<String, String>, prefilled: &BTreeMap<String, i64>) -> TypedEntry {
    let mut stored = Vec::new();
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for cell in cells(cat, form) {
        let raw = typed.get(&cell.key).map(String::as_str).unwrap_or("");
        if cell.kind == IndicatorKind::Text {
            let t = text_vi::nfc(raw.trim());
            if !t.is_empty() {
                stored.push(StoredValue { value_key: cell.key, int_value: None, text_value: Some(t), prefilled: false });
            }
            continue;
        }
        match parse_count(raw) {
            Ok(Some(n)) => {
                let pre = prefilled.get(&cell.key) == Some(&n);
                stored.push(StoredValue { value_key: cell.key, int_value: Some(n), text_value: None, prefilled: pre });
            }
            Ok(None) => {}
            Err(m) => errors.entry(cell.key).or_default().push(m.to_string()),
        }
    }
    let unreadable = !errors.is_empty();
    // Rules are checked on what could be read, so every problem shows at once.
    for e in rules::validate(cat, form, &to_values(&stored)) {
        errors.entry(e.indicator).or_default().push(e.message_vi);
    }
    TypedEntry { stored, errors, unreadable }
}

/// The capabilities that prefill a report: plan tasks through the kernel's `TaskFigures` port,
/// and the records other capabilities hold (mediation cases, reporters …) through its
/// `ReportFigures` ports. Registered by the server.
#[derive(Clone, Copy)]
pub struct Prefillers<'a> {
    pub task_figures: Option<TaskFigures>,
    pub report_figures: &'a [ReportFigures],
}

impl<'a> Prefillers<'a> {
    pub fn of(r: &'a kernel::registry::Registry) -> Prefillers<'a> {
        Prefillers { task_figures: r.task_figures, report_figures: &r.report_figures }
    }
}

/// A prefilled figure and where it was counted from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrefillValue {
    pub value: i64,
    pub source: String,
    pub href: Option<String>,
}

/// Prefill for an empty draft, with each figure's source: figures already recorded on plan
/// tasks of the reporting unit (or agency) during the period, and the figures other
/// capabilities count for the unit and period. Only for input cells the form has (a total or
/// a breakdown); the first provider of a cell wins.
pub async fn prefill_detail(db: &Db, by: Prefillers<'_>, form: &ReportForm, rep: &Report, round: &Round) -> AppResult<BTreeMap<String, PrefillValue>> {
    let mut out = BTreeMap::new();
    let start = round.period_start.and_hms_opt(0, 0, 0).map(|d| d.and_utc() - chrono::Duration::hours(7));
    let end = (round.period_end + chrono::Duration::days(1)).and_hms_opt(0, 0, 0).map(|d| d.and_utc() - chrono::Duration::hours(7));
    if let (Some(start), Some(end), Some(task_figures)) = (start, end, by.task_figures) {
        let (sessions, attendees, materials) = task_figures(db, rep.unit_id, rep.agency_id, start, end).await?;
        for (code, n) in [("direct_sessions", sessions), ("direct_attendance", attendees), ("materials_issued", materials)] {
            if n > 0 && form.indicator(code).is_some_and(|i| !i.is_computed()) {
                out.insert(code.to_string(), PrefillValue { value: n, source: rm::PREFILL_TASKS.into(), href: None });
            }
        }
    }
    if by.report_figures.is_empty() {
        return Ok(out);
    }
    let cells: std::collections::BTreeSet<String> = cells(catalogue()?, form).into_iter().map(|c| c.key).collect();
    for provider in by.report_figures {
        for f in provider(db, rep.unit_id, rep.agency_id, round.period_start, round.period_end).await? {
            if cells.contains(&f.key) && !out.contains_key(&f.key) {
                out.insert(f.key, PrefillValue { value: f.value, source: f.source, href: f.href });
            }
        }
    }
    Ok(out)
}

/// The prefilled values alone (see [`prefill_detail`]).
pub async fn prefill(db: &Db, by: Prefillers<'_>, form: &ReportForm, rep: &Report, round: &Round) -> AppResult<BTreeMap<String, i64>> {
    Ok(prefill_detail(db, by, form, rep, round).await?.into_iter().map(|(k, v)| (k, v.value)).collect())
}

// ------------------------------------------------------------------ workflow

/// Saves typed values of an editable report (no state change). Caller checked rights and lock.
pub async fn save_values(db: &Db, actor: &Actor, user_id: i64, rep: &Report, expected_version: i64, stored: &[StoredValue], source: &str) -> AppResult<usize> {
    let mut tx = db.begin().await?;
    crate::store::touch(&mut tx, rep.id, expected_version).await.map_err(stale)?;
    let n = crate::store::replace_values(&mut tx, rep.id, stored, Some(user_id), source).await?;
    audit::record(&mut tx, actor, AuditEntry {
        action: "update", entity: "report", entity_id: Some(rep.id.to_string()), unit_id: Some(rep.unit_id),
        summary: format!("Cập nhật số liệu báo cáo của {} ({n} ô thay đổi)", reporter_name(rep)),
        before: None, after: Some(json!({"values": stored.len(), "changed": n, "source": source})),
    }).await?;
    tx.commit().await?;
    Ok(n)
}

fn stale(e: DbError) -> AppError {
    match e {
        DbError::Conflict(_) => AppError::BadRequest(rm::STALE.into()),
        other => other.into(),
    }
}

pub fn reporter_name(rep: &Report) -> String {
    match &rep.agency_name {
        Some(a) => a.clone(),
        None => rep.unit_name.clone(),
    }
}

/// Moves a report through the workflow, keeping the roll-up current in the same transaction:
/// approving adds the report's figures to every unit above it; returning (or unlocking) an
/// approved report takes them out again.
#[allow(clippy::too_many_arguments)]
pub async fn transition(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    rep: &Report,
    round: &Round,
    event: ReportEvent,
    expected_version: i64,
    comment: Option<&str>,
    today: NaiveDate,
) -> AppResult<ReportState> {
    let from = state_of(rep);
    let to = from.apply(event).map_err(|e| AppError::BadRequest(e.message_vi().into()))?;
    let form = form_of(db, round.form_id).await?;
    let values = to_values(&crate::store::values(db, rep.id).await?);
    let delta = match (from.counts(), to.counts()) {
        (false, true) => rules::rollup_delta(&form, None, Some(&values)),
        (true, false) => rules::rollup_delta(&form, Some(&values), None),
        _ => BTreeMap::new(),
    };
    let kind = match event {
        ReportEvent::Submit => "submit",
        ReportEvent::Approve => "approve",
        ReportEvent::Return => "return",
    };
    let mut tx = db.begin().await?;
    crate::store::transition(&mut tx, &crate::store::Transition {
        report_id: rep.id, expected_version, from: state_str(from), to: state_str(to), account_id: Some(user_id), day: today, comment, kind,
    }).await.map_err(stale)?;
    crate::store::apply_rollup(&mut tx, round.id, &rep.unit_path, &delta).await.map_err(|e| match e {
        DbError::Invalid(detail) => {
            tracing::warn!(%detail, "roll-up refused");
            AppError::BadRequest(rm::ROLLUP_OVERFLOW.into())
        }
        other => other.into(),
    })?;
    if let Some(c) = comment {
        crate::store::add_comment(&mut tx, rep.id, None, Some(user_id), c).await?;
    }
    let verb = match event {
        ReportEvent::Submit => "Gửi",
        ReportEvent::Approve => "Phê duyệt",
        ReportEvent::Return => "Trả lại",
    };
    audit::record(&mut tx, actor, AuditEntry {
        action: kind, entity: "report", entity_id: Some(rep.id.to_string()), unit_id: Some(rep.unit_id),
        summary: format!("{verb} báo cáo «{}» kỳ {} của {}", round.form_name, period_label(&round.period_key), reporter_name(rep)),
        before: Some(json!({"state": state_str(from)})), after: Some(json!({"state": state_str(to), "comment": comment})),
    }).await?;
    tx.commit().await?;
    Ok(to)
}

pub fn state_str(s: ReportState) -> &'static str {
    match s {
        ReportState::Draft => "draft",
        ReportState::Submitted => "submitted",
        ReportState::Approved => "approved",
        ReportState::Returned => "returned",
    }
}

// ------------------------------------------------------------------ periods and rounds

/// "6 tháng đầu năm 2026", "năm 2026", "quý III năm 2026", "tháng 07/2026", "đột xuất số 1 năm 2026".
pub fn period_label(key: &str) -> String {
    let Ok(p) = key.parse::<Period>() else { return key.to_string() };
    match p.kind {
        PeriodKind::HalfYear if p.index == 1 => format!("6 tháng đầu năm {}", p.year),
        PeriodKind::HalfYear => format!("6 tháng cuối năm {}", p.year),
        PeriodKind::Year => format!("năm {}", p.year),
        PeriodKind::Quarter => format!("quý {} năm {}", ["I", "II", "III", "IV"].get((p.index as usize).saturating_sub(1)).unwrap_or(&"?"), p.year),
        PeriodKind::Month => format!("tháng {:02}/{}", p.index, p.year),
        PeriodKind::AdHoc => format!("đột xuất số {} năm {}", p.index, p.year),
    }
}

/// Short label for chart axes: "6T/2026", "2026", "Q3/2026", "T07/2026".
pub fn period_short(key: &str) -> String {
    let Ok(p) = key.parse::<Period>() else { return key.to_string() };
    match p.kind {
        PeriodKind::HalfYear => format!("{}6T/{}", if p.index == 1 { "" } else { "cuối " }, p.year),
        PeriodKind::Year => p.year.to_string(),
        PeriodKind::Quarter => format!("Q{}/{}", p.index, p.year),
        PeriodKind::Month => format!("T{:02}/{}", p.index, p.year),
        PeriodKind::AdHoc => format!("ĐX{}/{}", p.index, p.year),
    }
}

pub fn period_kind_label(kind: &str) -> &'static str {
    match kind {
        "half_year" => "6 tháng",
        "year" => "Năm",
        "quarter" => "Quý",
        "month" => "Tháng",
        "ad_hoc" => "Đột xuất",
        _ => "",
    }
}

pub fn parse_period_kind(s: &str) -> Option<PeriodKind> {
    serde_json::from_value(json!(s)).ok()
}

pub fn parse_filler_level(s: &str) -> Option<crate::rules::FillerLevel> {
    serde_json::from_value(json!(s)).ok()
}

/// The province code of a unit path's first element (for province-specific deadline rules).
async fn province_code(db: &Db, unit_path: &str) -> AppResult<Option<String>> {
    let Some(first) = unit_path.split('/').find(|s| !s.is_empty()).and_then(|s| s.parse::<i64>().ok()) else { return Ok(None) };
    Ok(Some(kernel::db::units::get(db, first).await?.code))
}

/// Creates the planned rounds of `year` for a schedule: one per period of its kind (ad hoc
/// rounds are created one at a time, numbered in the year), each with the form version in force at the period's end
/// and the deadline and cut-off of the rules for the filler level and province. Returns how
/// many were created (existing periods are skipped).
pub async fn generate_rounds(db: &Db, actor: &Actor, schedule: &crate::store::Schedule, year: i32) -> AppResult<usize> {
    let kind = parse_period_kind(&schedule.period_kind).ok_or_else(|| AppError::Internal("period kind".into()))?;
    // Ad hoc (đột xuất): one more round of the year each time, numbered after the existing ones.
    let first_ad_hoc = if kind == PeriodKind::AdHoc {
        let prefix = format!("{year}-A");
        let existing = crate::store::rounds_of_schedule(db, schedule.id).await?.iter().filter(|r| r.period_key.starts_with(&prefix)).count();
        u32::try_from(existing).unwrap_or(u32::MAX).saturating_add(1)
    } else {
        1
    };
    let indexes: std::ops::RangeInclusive<u32> = match kind {
        PeriodKind::HalfYear => 1..=2,
        PeriodKind::Year => 1..=1,
        PeriodKind::Quarter => 1..=4,
        PeriodKind::Month => 1..=12,
        PeriodKind::AdHoc => first_ad_hoc..=first_ad_hoc,
    };
    let level = parse_filler_level(&schedule.filler_level).ok_or_else(|| AppError::Internal("filler level".into()))?;
    let province = province_code(db, &schedule.unit_path).await?;
    let rules = deadline_rules()?;
    let mut rounds = Vec::new();
    for index in indexes {
        let p = Period::new(kind, year, index).map_err(|_| AppError::BadRequest(rm::YEAR_INVALID.into()))?;
        let Some(form) = crate::store::form_for(db, &schedule.form_code, p.end()).await? else { continue };
        rounds.push(NewRound {
            schedule_id: schedule.id,
            unit_id: schedule.unit_id,
            form_id: form.id,
            period_key: p.key(),
            period_start: p.start(),
            period_end: p.end(),
            due_on: rules::deadline(&p, level, province.as_deref(), rules),
            cutoff_on: rules::cutoff(&p, level, province.as_deref(), rules),
            lock_after_days: Some(DEFAULT_LOCK_AFTER_DAYS),
        });
    }
    if rounds.is_empty() {
        return Err(AppError::BadRequest(rm::NO_FORM_FOR_PERIOD.into()));
    }
    let mut tx = db.begin().await?;
    let mut n = 0;
    for r in &rounds {
        if crate::store::create_round(&mut tx, r).await?.is_some() {
            n += 1;
        }
    }
    audit::record(&mut tx, actor, AuditEntry {
        action: "create", entity: "report_round", entity_id: Some(schedule.id.to_string()), unit_id: Some(schedule.unit_id),
        summary: format!("Lập {n} kỳ báo cáo năm {year} cho «{}»", schedule.name), before: None,
        after: Some(json!({"periods": rounds.iter().map(|r| r.period_key.clone()).collect::<Vec<_>>()})),
    }).await?;
    tx.commit().await?;
    Ok(n)
}

/// Unsubmitted reports lock this many days after the deadline unless the opener says otherwise.
pub const DEFAULT_LOCK_AFTER_DAYS: i64 = 30;

/// Opens a planned round for the schedule's members and notifies their officers in the app.
pub async fn open_round(db: &Db, actor: &Actor, round: &Round, due: Option<NaiveDate>, lock_after_days: Option<i64>) -> AppResult<usize> {
    if round_status(round) != RoundStatus::Planned {
        return Err(AppError::BadRequest(rm::ROUND_NOT_PLANNED.into()));
    }
    let members: Vec<Member> = crate::store::schedule_members(db, round.schedule_id).await?;
    if members.is_empty() {
        return Err(AppError::BadRequest(rm::NO_MEMBERS.into()));
    }
    let mut tx = db.begin().await?;
    let ids = crate::store::open_round(&mut tx, round.id, due, lock_after_days, &members).await.map_err(|e| match e {
        DbError::Conflict(_) => AppError::BadRequest(rm::ROUND_NOT_PLANNED.into()),
        other => other.into(),
    })?;
    let due_text = due.map(text_vi::format_date).unwrap_or_else(|| "chưa đặt".into());
    for (m, rid) in members.iter().zip(&ids) {
        for acc in crate::store::fillers(db, m.unit_id, m.agency_id).await? {
            kernel::db::reminders::notify(&mut tx, acc, &format!("Kỳ báo cáo mới: {}", round.form_name),
                &format!("{} kỳ {}, hạn nộp {due_text}.", round.form_name, period_label(&round.period_key)), Some(&format!("/bao-cao/{rid}"))).await?;
        }
    }
    audit::record(&mut tx, actor, AuditEntry {
        action: "open", entity: "report_round", entity_id: Some(round.id.to_string()), unit_id: Some(round.unit_id),
        summary: format!("Mở kỳ báo cáo «{}» {} cho {} đơn vị", round.form_name, period_label(&round.period_key), ids.len()),
        before: Some(json!({"status": round.status})), after: Some(json!({"status": "open", "due_on": due, "lock_after_days": lock_after_days})),
    }).await?;
    tx.commit().await?;
    Ok(ids.len())
}

// ------------------------------------------------------------------ aggregate

/// Which unit tree the aggregate follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapView {
    /// The units as they were when the reports were made (the roll-up table).
    AsReported,
    /// Today's units: reports of abolished units follow the succession links.
    Today,
}

/// A unit of the drill-down with its figures.
pub struct UnitFigures {
    pub unit_id: i64,
    pub name: String,
    pub values: Values,
    /// Set in the today view when a report of a partly merged unit was attributed here.
    pub note: Option<String>,
}

/// The aggregate of a round at `unit_id` with the figures of each child below it, on the old
/// tree (live roll-up) or on today's map. Computed indicators are recomputed from the sums.
pub async fn aggregate(db: &Db, form: &ReportForm, round: &Round, unit_id: i64, view: MapView) -> AppResult<(Values, Vec<UnitFigures>, Vec<String>)> {
    match view {
        MapView::AsReported => {
            let total = total_at(db, form, round, unit_id).await?;
            let mut by_child: BTreeMap<i64, Vec<(String, i64)>> = BTreeMap::new();
            for (u, k, v) in crate::store::rollup_children(db, round.id, unit_id).await? {
                by_child.entry(u).or_default().push((k, v));
            }
            // One query for the names, already in Vietnamese order.
            let children = kernel::db::units::children(db, Some(unit_id), None).await?
                .into_iter()
                .filter_map(|u| by_child.remove(&u.id).map(|kv| UnitFigures { unit_id: u.id, name: u.name, values: ints_to_values(form, kv.into_iter()), note: None }))
                .collect();
            Ok((total, children, Vec::new()))
        }
        MapView::Today => today_view(db, form, round, unit_id).await,
    }
}

/// The live total of a round at one unit (computed indicators recomputed), without the
/// breakdown by unit: one indexed read of the roll-up.
pub async fn total_at(db: &Db, form: &ReportForm, round: &Round, unit_id: i64) -> AppResult<Values> {
    Ok(ints_to_values(form, crate::store::rollup(db, round.id, unit_id).await?.into_iter()))
}

fn ints_to_values(form: &ReportForm, kv: impl Iterator<Item = (String, i64)>) -> Values {
    let mut v = Values::new();
    for (k, n) in kv {
        if let Some(key) = ValueKey::from_db_key(&k) {
            v.set(key, Value::Int(n));
        }
    }
    rules::compute(form, &v)
}

/// Rule for today's map: an approved report of a unit still in force counts where it is; a
/// report of an abolished unit counts at the unit it became. When it became several units
/// (a partly merged commune), figures cannot be split, so they count whole at one successor:
/// the first one that took it in full, else the first in Vietnamese name order; the page says so.
async fn today_view(db: &Db, form: &ReportForm, round: &Round, unit_id: i64) -> AppResult<(Values, Vec<UnitFigures>, Vec<String>)> {
    let today = kernel::page::today();
    let root = kernel::db::units::get(db, unit_id).await?;
    let rows = crate::store::approved_values(db, round.id).await?;
    let mut per_unit: BTreeMap<i64, Vec<(String, i64)>> = BTreeMap::new();
    for (u, _path, k, v) in rows {
        per_unit.entry(u).or_default().push((k, v));
    }
    let mut total: BTreeMap<String, i64> = BTreeMap::new();
    // child unit → (name, summed figures, note)
    type Child = (String, BTreeMap<String, i64>, Option<String>);
    let mut children: BTreeMap<i64, Child> = BTreeMap::new();
    let mut notes = Vec::new();
    for (u, kv) in per_unit {
        let unit = kernel::db::units::get(db, u).await?;
        let (target, note) = if unit.is_valid_on(today) {
            (unit.clone(), None)
        } else {
            let succ = kernel::db::units::today_of(db, u, today).await?;
            let pick = succ.iter().find(|l| !l.partly_merged).or_else(|| succ.first());
            match pick {
                Some(l) => {
                    let note = (succ.len() > 1 || l.partly_merged).then(|| {
                        let names: Vec<String> = succ.iter().map(|s| s.unit.name.clone()).collect();
                        format!("{} (nay thuộc {}) được tính toàn bộ vào {}.", unit.name, names.join(", "), l.unit.name)
                    });
                    (l.unit.clone(), note)
                }
                None => continue,
            }
        };
        if !target.path.starts_with(&root.path) {
            continue;
        }
        if let Some(n) = &note {
            notes.push(n.clone());
        }
        // The child of `root` on the target's path (or the target itself).
        let rest = &target.path[root.path.len()..];
        let child_id = rest.split('/').find(|s| !s.is_empty()).and_then(|s| s.parse::<i64>().ok());
        for (k, v) in &kv {
            *total.entry(k.clone()).or_insert(0) += v;
        }
        if let Some(cid) = child_id {
            let entry = match children.entry(cid) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    let cu = kernel::db::units::get(db, cid).await?;
                    e.insert((cu.name, BTreeMap::new(), None))
                }
            };
            for (k, v) in &kv {
                *entry.1.entry(k.clone()).or_insert(0) += v;
            }
            if note.is_some() {
                entry.2 = note.clone();
            }
        }
    }
    let mut kids: Vec<UnitFigures> = children
        .into_iter()
        .map(|(id, (name, kv, note))| UnitFigures { unit_id: id, name, values: ints_to_values(form, kv.into_iter()), note })
        .collect();
    kids.sort_by(|a, b| text_vi::compare(&a.name, &b.name));
    Ok((ints_to_values(form, total.into_iter()), kids, notes))
}

/// One reporter in the completeness view.
pub struct CompletenessRow {
    pub report: Report,
    pub timeliness: Timeliness,
}

pub struct Completeness {
    pub rows: Vec<CompletenessRow>,
    pub expected: usize,
    pub submitted: usize,
    pub approved: usize,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
    pub pending: usize,
}

pub async fn completeness(db: &Db, round: &Round, today: NaiveDate) -> AppResult<Completeness> {
    let reports = crate::store::reports_of_round(db, round.id).await?;
    let mut c = Completeness { rows: Vec::new(), expected: reports.len(), submitted: 0, approved: 0, on_time: 0, late: 0, missing: 0, pending: 0 };
    for r in reports {
        let st = state_of(&r);
        let t = rules::timeliness(st, r.first_submitted_on, round.due_on, today);
        if matches!(st, ReportState::Submitted | ReportState::Approved) {
            c.submitted += 1;
        }
        if st == ReportState::Approved {
            c.approved += 1;
        }
        match t {
            Timeliness::OnTime => c.on_time += 1,
            Timeliness::Late => c.late += 1,
            Timeliness::Missing => c.missing += 1,
            Timeliness::Pending => c.pending += 1,
        }
        c.rows.push(CompletenessRow { report: r, timeliness: t });
    }
    Ok(c)
}

// ------------------------------------------------------------------ reminders

/// Sends a report reminder to the fillers of every unsent report of a round (one click by the
/// reviewing officer). Returns how many accounts were reminded.
pub async fn remind_unsent(db: &Db, base_url: &str, sender: &kernel::db::accounts::Account, round: &Round, today: NaiveDate) -> AppResult<usize> {
    let reports = crate::store::reports_of_round(db, round.id).await?;
    let due = round.due_on.map(text_vi::format_date).unwrap_or_else(|| "chưa đặt".into());
    let text = rm::reminder_text(&round.form_name, &period_label(&round.period_key), &due);
    let mut n = 0;
    let mut tx = db.begin().await?;
    for r in reports.iter().filter(|r| matches!(r.state.as_str(), "draft" | "returned")) {
        for acc in crate::store::fillers(db, r.unit_id, r.agency_id).await? {
            let recorded = kernel::db::reminders::record(&mut tx, &kernel::db::reminders::NewReminder {
                sent_on: today, kind: "manual".into(), recipient_id: acc, recipient_unit_id: r.unit_id, sender_id: Some(sender.id),
                sender_unit_id: sender.unit_id, plan_id: None, task_id: None, item_key: format!("manual:report:{}", r.id), text: text.clone(),
            }).await?;
            if recorded {
                let link = format!("/bao-cao/{}", r.id);
                kernel::db::reminders::notify(&mut tx, acc, "Đôn đốc nộp báo cáo", &text, Some(&link)).await?;
                if let Ok(a) = kernel::db::accounts::get(db, acc).await
                    && let Some(email) = a.email
                {
                    kernel::db::outbox::enqueue(&mut tx, &email, "Đôn đốc nộp báo cáo", &format!("{text}\n\n{base_url}{link}")).await?;
                }
                n += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(n)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_as_officers_type_them() {
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count(" 1.234.567 "), Ok(Some(1_234_567)));
        assert_eq!(parse_count("12 500"), Ok(Some(12_500)));
        assert_eq!(parse_count("-3"), Err(rm::NOT_A_NUMBER));
        assert_eq!(parse_count("3,5"), Err(rm::NOT_A_NUMBER));
        assert_eq!(parse_count("99999999999999999999"), Err(rm::NUMBER_TOO_LARGE));
    }

    proptest! {
        /// Whatever is typed, reading it never panics; every number shown the Vietnamese way
        /// reads back as itself.
        #[test]
        fn parse_count_never_panics(s in "\\PC{0,40}") {
            let _ = parse_count(&s);
        }

        #[test]
        fn grouped_numbers_round_trip(n in 0i64..i64::MAX) {
            prop_assert_eq!(parse_count(&text_vi::format_int(n)), Ok(Some(n)));
        }

        /// Any typed cells against the mediation form: reading never panics, and every error
        /// names a cell or an indicator of the form.
        #[test]
        fn read_entry_never_panics(
            stray in proptest::collection::hash_map("[a-z_:]{1,30}", "\\PC{0,12}", 0..5),
            typed in proptest::collection::vec(prop_oneof!["[0-9]{0,6}", "[0-9.]{0,9}", "\\PC{0,6}"], 30),
        ) {
            let cat = catalogue().unwrap();
            let form = cat.form_for("HGCS", NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()).unwrap();
            let mut cells = stray;
            for (cell, value) in super::cells(cat, form).into_iter().zip(typed) {
                cells.insert(cell.key, value);
            }
            let entry = read_entry(cat, form, &cells, &BTreeMap::new());
            for key in entry.errors.keys() {
                let known = cells.contains_key(key) || form.indicator(key).is_some();
                prop_assert!(known, "{key}");
            }
        }
    }
}
