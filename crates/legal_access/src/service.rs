//! Use cases of the legal-access standard, shared by pages, the API and the demo. Each takes a
//! `Principal` and checks the role and the scope: the commune acts on its own assessment, the
//! reviewing unit (the province since 2025) on the assessments of its round.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use kernel::account::Action;
use kernel::auth::Principal;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};
use kernel::unit::UnitLevel;
use kernel::{Db, DbError};
use serde_json::json;

use crate::msg;
use crate::rules::ruleset::{self, Measure, RuleSet};
use crate::rules::score::{self, Outcome, Value};
use crate::rules::state::{self, Status, Step};
use crate::store::{self, AssessmentRow, RoundRow, ValueRow};

// ---------------------------------------------------------------- rule sets

/// Stores the shipped rule sets whose code the database does not hold yet.
pub async fn seed_rulesets(db: &Db) -> Result<usize, DbError> {
    let sets = ruleset::shipped().map_err(|e| DbError::Invalid(e.to_string()))?;
    let mut tx = db.begin().await?;
    let mut n = 0;
    for (set, (_, body)) in sets.iter().zip(ruleset::SHIPPED) {
        if store::max_version(&mut tx, &set.code).await? == 0 {
            store::insert_ruleset(&mut tx, &new_row(set, body, 1, None)).await?;
            n += 1;
        }
    }
    tx.commit().await?;
    Ok(n)
}

fn new_row<'a>(set: &'a RuleSet, body: &'a str, version: i64, by: Option<i64>) -> store::NewRuleSet<'a> {
    store::NewRuleSet {
        code: &set.code,
        version,
        name: &set.name,
        first_year: set.first_year.into(),
        last_year: set.last_year.map(i64::from),
        mode: match set.mode {
            ruleset::ScoringMode::Points => "points",
            ruleset::ScoringMode::PassFail => "pass_fail",
        },
        body,
        created_by: by,
    }
}

/// A stored version, parsed.
pub async fn load_ruleset(db: &Db, id: i64) -> AppResult<RuleSet> {
    let row = store::ruleset(db, id).await?;
    RuleSet::parse(&row.body).map_err(|e| AppError::Internal(format!("stored rule set {id}: {e}")))
}

/// The stored version that governs `year`: the newest version of each code, then the code
/// with the latest first year among those that govern it.
pub async fn governing(db: &Db, year: i32) -> AppResult<Option<(store::RuleSetRow, RuleSet)>> {
    let rows = store::rulesets(db).await?;
    let mut best: Option<(store::RuleSetRow, RuleSet)> = None;
    let mut seen = BTreeSet::new();
    for row in rows {
        // Rows come newest version first within a code.
        if !seen.insert(row.code.clone()) {
            continue;
        }
        let Ok(set) = RuleSet::parse(&row.body) else { continue };
        if set.governs(year) && best.as_ref().is_none_or(|(_, b)| set.first_year > b.first_year) {
            best = Some((row, set));
        }
    }
    Ok(best)
}

/// Saves an edited rule set: in place when no round uses the version, as the next version
/// otherwise. Returns the id of the stored version and whether it is a new one.
pub async fn save_ruleset(db: &Db, actor: &Actor, p: &Principal<'_>, id: i64, body: &str) -> AppResult<Result<(i64, bool), Vec<String>>> {
    p.require(Action::ManageLegalAccessRules)?;
    let body = text_vi::nfc(body).replace("\r\n", "\n");
    let set = match RuleSet::parse(&body) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e.0)),
    };
    let old = store::ruleset(db, id).await?;
    if set.code != old.code {
        return Ok(Err(vec![msg::bad_code(&set.code)]));
    }
    let mut tx = db.begin().await?;
    let (new_id, is_new) = if store::ruleset_in_use(&mut tx, id).await? {
        let version = store::max_version(&mut tx, &set.code).await? + 1;
        (store::insert_ruleset(&mut tx, &new_row(&set, &body, version, Some(p.account.id))).await?, true)
    } else {
        store::replace_ruleset(&mut tx, id, &new_row(&set, &body, old.version, Some(p.account.id))).await?;
        (id, false)
    };
    audit::record(&mut tx, actor, Entry {
        action: if is_new { "create" } else { "update" },
        entity: "access_ruleset",
        entity_id: Some(new_id.to_string()),
        unit_id: None,
        summary: format!("Lưu bộ tiêu chí «{}»", set.name),
        before: Some(json!({ "id": id, "version": old.version })),
        after: Some(json!({ "id": new_id, "code": set.code, "first_year": set.first_year, "last_year": set.last_year })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok((new_id, is_new)))
}

// ---------------------------------------------------------------- visibility

/// Whether the account may see an assessment: its commune or the reviewing unit is in scope.
pub fn can_see(p: &Principal<'_>, a: &AssessmentRow) -> bool {
    p.role.allows(Action::ViewLegalAccess) && (p.scope.contains(&a.unit_path) || p.scope.contains(&a.round_unit_path))
}

/// The commune itself: its officers enter figures, post and submit.
pub fn is_commune(p: &Principal<'_>, a: &AssessmentRow) -> bool {
    p.role.allows(Action::AssessLegalAccess) && (p.account.unit_id == a.unit_id || p.scope.global)
}

/// The reviewing unit (its officers sit for the council).
pub fn is_reviewer(p: &Principal<'_>, round_unit_path: &str) -> bool {
    p.role.allows(Action::ReviewLegalAccess) && (p.scope.global || p.scope.unit_path == round_unit_path)
}

/// Whether a unit abolished in the 2025 reform lives on, inside the scope, through its
/// succession links (an old commune's records stay visible to the province that holds it today).
pub async fn in_scope_today(db: &Db, p: &Principal<'_>, unit_id: i64) -> AppResult<bool> {
    let day = kernel::page::today();
    let unit = kernel::db::units::get(db, unit_id).await?;
    if unit.valid_to.is_none_or(|d| d >= day) {
        return Ok(false);
    }
    Ok(kernel::db::units::today_of(db, unit_id, day).await?.iter().any(|l| p.scope.contains(&l.unit.path)))
}

/// An assessment the account may see, or 404.
pub async fn visible(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<AssessmentRow> {
    p.require(Action::ViewLegalAccess)?;
    let a = store::assessment(db, id).await.map_err(not_found)?;
    if can_see(p, &a) || in_scope_today(db, p, a.unit_id).await? { Ok(a) } else { Err(AppError::NotFound) }
}

/// A round the account may see, or 404: the reviewing unit's subtree, or a commune below it,
/// or an old unit whose successor is in scope.
pub async fn visible_round(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<RoundRow> {
    p.require(Action::ViewLegalAccess)?;
    let r = store::round(db, id).await.map_err(not_found)?;
    if p.scope.contains(&r.unit_path) || p.scope.is_ancestor_or_self(&r.unit_path) || in_scope_today(db, p, r.unit_id).await? {
        Ok(r)
    } else {
        Err(AppError::NotFound)
    }
}

/// Rounds the account may see, old units' rounds included.
pub async fn rounds_for(db: &Db, p: &Principal<'_>) -> AppResult<Vec<RoundRow>> {
    let mut out = store::rounds_visible(db, &p.scope.like_pattern(), &p.account.unit_path).await?;
    for r in store::old_rounds(db).await? {
        if !out.iter().any(|o| o.id == r.id) && in_scope_today(db, p, r.unit_id).await? {
            out.push(r);
        }
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.year));
    Ok(out)
}

fn not_found(e: DbError) -> AppError {
    match e {
        DbError::NotFound => AppError::NotFound,
        other => other.into(),
    }
}

// ---------------------------------------------------------------- values

/// An assessment with the rule set it is scored under.
#[derive(Clone, Copy)]
pub struct Dossier<'a> {
    pub a: &'a AssessmentRow,
    pub rs: &'a RuleSet,
}

/// The commune's value of an indicator, if complete.
pub fn self_value(ind: &ruleset::Indicator, v: &ValueRow) -> Option<Value> {
    to_value(ind.measure, v.numerator, v.denominator, v.yes)
}

/// The value the council counts: its adjustment, else the commune's.
pub fn final_value(ind: &ruleset::Indicator, v: &ValueRow) -> Option<Value> {
    if v.council_reason.is_some() {
        to_value(ind.measure, v.council_numerator, v.council_denominator, v.council_yes)
    } else {
        self_value(ind, v)
    }
}

fn to_value(m: Measure, num: Option<i64>, den: Option<i64>, yes: Option<bool>) -> Option<Value> {
    match m {
        Measure::Ratio => Some(Value::Ratio { num: num?, den: den? }),
        Measure::Count => Some(Value::Count { n: num? }),
        Measure::YesNo => Some(Value::YesNo { yes: yes? }),
    }
}

/// Scores the commune's figures and the council's.
pub fn outcomes(rs: &RuleSet, rows: &[ValueRow], disq: &[String]) -> (Outcome, Outcome) {
    let by_code: BTreeMap<&str, &ValueRow> = rows.iter().map(|r| (r.indicator.as_str(), r)).collect();
    let mut own = BTreeMap::new();
    let mut fin = BTreeMap::new();
    for ind in rs.indicators() {
        if let Some(r) = by_code.get(ind.code.as_str()) {
            if let Some(v) = self_value(ind, r) {
                own.insert(ind.code.clone(), v);
            }
            if let Some(v) = final_value(ind, r) {
                fin.insert(ind.code.clone(), v);
            }
        }
    }
    let dq: BTreeSet<String> = disq.iter().cloned().collect();
    (score::score(rs, &own, &dq), score::score(rs, &fin, &dq))
}

async fn recompute(tx: &mut kernel::Tx, rs: &RuleSet, id: i64) -> AppResult<(Outcome, Outcome)> {
    let rows = store::values_tx(tx, id).await?;
    let dq = store::disqualification_codes_tx(tx, id).await?;
    let (own, fin) = outcomes(rs, &rows, &dq);
    store::set_results(tx, id, own.total.0.into(), own.recognisable, fin.total.0.into(), fin.recognisable).await?;
    Ok((own, fin))
}

/// One indicator's figures as typed, before checking.
#[derive(Clone, Debug, Default)]
pub struct Typed {
    pub numerator: String,
    pub denominator: String,
    pub yes: String,
    pub note: String,
}

/// Reads typed figures into a value; `Ok(None)` when left empty.
pub fn parse_typed(ind: &ruleset::Indicator, t: &Typed) -> Result<Option<Value>, String> {
    let num = |s: &str| -> Result<Option<i64>, String> {
        let s = s.trim().replace('.', "");
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<i64>().map(Some).map_err(|_| msg::not_a_number(&ind.code))
    };
    let v = match ind.measure {
        Measure::Ratio => match (num(&t.numerator)?, num(&t.denominator)?) {
            (None, None) => None,
            (Some(n), Some(d)) => Some(Value::Ratio { num: n, den: d }),
            _ => return Err(msg::half_ratio(&ind.code)),
        },
        Measure::Count => num(&t.numerator)?.map(|n| Value::Count { n }),
        Measure::YesNo => match t.yes.as_str() {
            "" => None,
            "co" => Some(Value::YesNo { yes: true }),
            "khong" => Some(Value::YesNo { yes: false }),
            _ => return Err(msg::yes_no_choice(&ind.code)),
        },
    };
    if let Some(v) = v {
        score::check(ind, v)?;
    }
    if t.note.chars().count() > 2000 {
        return Err(msg::note_too_long(&ind.code));
    }
    Ok(v)
}

fn split(v: Option<Value>) -> (Option<i64>, Option<i64>, Option<bool>) {
    match v {
        Some(Value::Ratio { num, den }) => (Some(num), Some(den), None),
        Some(Value::Count { n }) => (Some(n), None, None),
        Some(Value::YesNo { yes }) => (None, None, Some(yes)),
        None => (None, None, None),
    }
}

/// Saves the commune's figures. `typed` maps an indicator code to what was typed; every
/// error is returned per indicator and nothing is saved while one remains.
pub async fn save_values(db: &Db, actor: &Actor, p: &Principal<'_>, d: Dossier<'_>, typed: &BTreeMap<String, Typed>, prefilled: &BTreeMap<String, String>, today: NaiveDate) -> AppResult<Result<(), BTreeMap<String, String>>> {
    let (a, rs) = (d.a, d.rs);
    if !is_commune(p, a) {
        return Err(AppError::Forbidden);
    }
    let status = Status::parse(&a.status).unwrap_or(Status::Draft);
    if !status.commune_edits() {
        return Err(AppError::BadRequest(msg::step_refused(status.label())));
    }
    if today > a.deadline {
        return Err(AppError::BadRequest(msg::round_closed().into()));
    }
    let mut errors = BTreeMap::new();
    let mut rows = Vec::new();
    for code in typed.keys() {
        if rs.indicator(code).is_none() {
            errors.insert(code.clone(), msg::unknown_indicator(code));
        }
    }
    for ind in rs.indicators() {
        let Some(t) = typed.get(&ind.code) else { continue };
        match parse_typed(ind, t) {
            Ok(v) => {
                let (numerator, denominator, yes) = split(v);
                rows.push(ValueRow {
                    assessment_id: a.id,
                    indicator: ind.code.clone(),
                    numerator,
                    denominator,
                    yes,
                    note: text_vi::clean_input(t.note.trim()),
                    prefill_source: prefilled.get(&ind.code).cloned(),
                    ..ValueRow::default()
                });
            }
            Err(e) => {
                errors.insert(ind.code.clone(), e);
            }
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut tx = db.begin().await?;
    let before = store::values_tx(&mut tx, a.id).await?;
    for r in &rows {
        store::upsert_value(&mut tx, r).await?;
    }
    let (own, _) = recompute(&mut tx, rs, a.id).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "access_assessment",
        entity_id: Some(a.id.to_string()),
        unit_id: Some(a.unit_id),
        summary: format!("Cập nhật số liệu tự đánh giá chuẩn tiếp cận pháp luật năm {} của {}", a.year, a.unit_name),
        before: Some(json!({ "values": before })),
        after: Some(json!({ "values": rows, "total": own.total.to_string(), "recognisable": own.recognisable })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------- workflow

/// Runs a workflow step on an assessment after checking who may take it.
pub async fn step(db: &Db, actor: &Actor, p: &Principal<'_>, d: Dossier<'_>, step: Step, note: &str, today: NaiveDate) -> AppResult<Status> {
    let (a, rs) = (d.a, d.rs);
    let commune_step = matches!(step, Step::Finish | Step::Reopen | Step::Post | Step::Submit);
    let allowed = if commune_step {
        is_commune(p, a)
    } else {
        is_reviewer(p, &a.round_unit_path) && (step != Step::Revoke || p.role.allows(Action::ReviewLegalAccess))
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let from = Status::parse(&a.status).unwrap_or(Status::Draft);
    let to = state::next(from, step, a.posted_from.is_some()).ok_or_else(|| AppError::BadRequest(msg::step_refused(from.label())))?;
    if matches!(step, Step::Submit) && today > a.deadline {
        return Err(AppError::BadRequest(msg::round_closed().into()));
    }
    if matches!(step, Step::Return | Step::Revoke) && note.trim().is_empty() {
        return Err(AppError::BadRequest(msg::reason_required().into()));
    }
    let mut tx = db.begin().await?;
    // Re-read inside the transaction: two officers acting at once see one outcome.
    let current = store::assessment_tx(&mut tx, a.id).await?;
    if current.status != a.status {
        return Err(AppError::BadRequest(msg::step_refused(Status::parse(&current.status).unwrap_or(from).label())));
    }
    let (own, _) = recompute(&mut tx, rs, a.id).await?;
    if step == Step::Finish && !own.complete {
        return Err(AppError::BadRequest(msg::incomplete().into()));
    }
    match step {
        Step::Post => {
            let to_day = state::add_working_days(today, rs.posting_working_days);
            store::set_posted(&mut tx, a.id, today, to_day).await?;
        }
        Step::Submit => store::set_submitted(&mut tx, a.id).await?,
        Step::Revoke | Step::Recognise | Step::Refuse => store::set_decision_note(&mut tx, a.id, to.as_str(), note).await?,
        _ => store::set_status(&mut tx, a.id, to.as_str()).await?,
    }
    store::add_event(&mut tx, a.id, step_kind(step), to.as_str(), note, Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "access_assessment",
        entity_id: Some(a.id.to_string()),
        unit_id: Some(a.unit_id),
        summary: format!("Chuẩn tiếp cận pháp luật năm {} của {}: {}", a.year, a.unit_name, to.label()),
        before: Some(json!({ "status": from.as_str() })),
        after: Some(json!({ "status": to.as_str(), "note": note })),
    })
    .await?;
    tx.commit().await?;
    Ok(to)
}

pub fn step_kind(s: Step) -> &'static str {
    match s {
        Step::Finish => "finish",
        Step::Reopen => "reopen",
        Step::Post => "post",
        Step::Submit => "submit",
        Step::Adjust => "adjust",
        Step::Return => "return",
        Step::Recognise => "recognise",
        Step::Refuse => "refuse",
        Step::Revoke => "revoke",
    }
}

/// The council's adjustment of one indicator, with a written reason.
pub async fn adjust(db: &Db, actor: &Actor, p: &Principal<'_>, d: Dossier<'_>, code: &str, typed: &Typed, reason: &str) -> AppResult<Result<(), String>> {
    let (a, rs) = (d.a, d.rs);
    if !is_reviewer(p, &a.round_unit_path) {
        return Err(AppError::Forbidden);
    }
    let from = Status::parse(&a.status).unwrap_or(Status::Draft);
    let to = state::next(from, Step::Adjust, true).ok_or_else(|| AppError::BadRequest(msg::step_refused(from.label())))?;
    let Some(ind) = rs.indicator(code) else { return Ok(Err(msg::unknown_indicator(code))) };
    let reason = text_vi::clean_input(reason.trim());
    if reason.is_empty() {
        return Ok(Err(msg::reason_required().into()));
    }
    if reason.chars().count() > 2000 {
        return Ok(Err(msg::text_too_long(2000)));
    }
    let v = match parse_typed(ind, typed) {
        Ok(Some(v)) => v,
        Ok(None) => return Ok(Err(msg::failure_missing(code))),
        Err(e) => return Ok(Err(e)),
    };
    let (num, den, yes) = split(Some(v));
    let mut tx = db.begin().await?;
    store::set_council_value(&mut tx, a.id, code, (num, den, yes), &reason, p.account.id).await?;
    store::set_status(&mut tx, a.id, to.as_str()).await?;
    let (_, fin) = recompute(&mut tx, rs, a.id).await?;
    let note = format!("Chỉ tiêu {code}: {}. Lý do: {reason}", v.display());
    store::add_event(&mut tx, a.id, "adjust", to.as_str(), &note, Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "access_assessment",
        entity_id: Some(a.id.to_string()),
        unit_id: Some(a.unit_id),
        summary: format!("Hội đồng điều chỉnh chỉ tiêu {code} của {} năm {}", a.unit_name, a.year),
        before: Some(json!({ "status": from.as_str() })),
        after: Some(json!({ "indicator": code, "value": v, "reason": reason, "total": fin.total.to_string() })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Records a disqualifier that applies to the year (the commune declares it, or the council
/// finds it).
pub async fn disqualify(db: &Db, actor: &Actor, p: &Principal<'_>, d: Dossier<'_>, code: &str, on: Option<NaiveDate>, note: &str) -> AppResult<Result<(), String>> {
    let (a, rs) = (d.a, d.rs);
    let status = Status::parse(&a.status).unwrap_or(Status::Draft);
    let commune = is_commune(p, a) && status.commune_edits();
    let council = is_reviewer(p, &a.round_unit_path) && status.council_reviews();
    if !commune && !council {
        return Err(AppError::Forbidden);
    }
    let Some(d) = rs.disqualifiers.iter().find(|d| d.code == code) else { return Ok(Err(msg::unknown_indicator(code))) };
    let note = text_vi::clean_input(note.trim());
    if note.chars().count() > 2000 {
        return Ok(Err(msg::text_too_long(2000)));
    }
    let mut tx = db.begin().await?;
    store::add_disqualification(&mut tx, a.id, code, on, &note, p.account.id).await?;
    recompute(&mut tx, rs, a.id).await?;
    store::add_event(&mut tx, a.id, "disqualify", &a.status, &format!("{}. {note}", d.text), Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "access_disqualification",
        entity_id: Some(a.id.to_string()),
        unit_id: Some(a.unit_id),
        summary: format!("Ghi trường hợp không được công nhận của {} năm {}", a.unit_name, a.year),
        before: None,
        after: Some(json!({ "code": code, "on": on, "note": note })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------- rounds

/// What the reviewing unit types to open a round.
pub struct NewRound {
    pub year: i32,
    pub deadline: NaiveDate,
}

/// Opens the round of `year` for the account's province: one assessment per commune in force
/// at the end of the year (or today, for the current year).
pub async fn open_round(db: &Db, actor: &Actor, p: &Principal<'_>, r: &NewRound, today: NaiveDate) -> AppResult<Result<i64, Vec<(&'static str, String)>>> {
    p.require(Action::ReviewLegalAccess)?;
    let unit = kernel::db::units::get(db, p.account.unit_id).await?;
    if unit.level() != Some(UnitLevel::Province) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    if r.year < 2022 || r.year > today.year() + 1 {
        errors.push(("year", msg::bad_year().to_string()));
    }
    if r.deadline < today {
        errors.push(("deadline", msg::deadline_before_open().to_string()));
    }
    let Some((row, set)) = governing(db, r.year).await? else {
        if errors.is_empty() {
            errors.push(("year", msg::no_ruleset(r.year)));
        }
        return Ok(Err(errors));
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let end = NaiveDate::from_ymd_opt(r.year, 12, 31).unwrap_or(today).min(today);
    let communes: Vec<_> = kernel::db::units::children(db, Some(unit.id), Some(end))
        .await?
        .into_iter()
        .filter(|u| u.level() == Some(UnitLevel::Commune))
        .collect();
    let mut tx = db.begin().await?;
    if store::round_exists(&mut tx, unit.id, r.year.into()).await? {
        return Ok(Err(vec![("year", msg::round_exists(r.year))]));
    }
    let id = store::create_round(&mut tx, unit.id, r.year.into(), row.id, today, r.deadline, p.account.id).await?;
    for c in &communes {
        let aid = store::create_assessment(&mut tx, id, c.id).await?;
        store::add_event(&mut tx, aid, "open", Status::Draft.as_str(), "", Some(p.account.id)).await?;
    }
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "access_round",
        entity_id: Some(id.to_string()),
        unit_id: Some(unit.id),
        summary: format!("Mở đợt đánh giá chuẩn tiếp cận pháp luật năm {} của {} ({} đơn vị cấp xã)", r.year, unit.name, communes.len()),
        before: None,
        after: Some(json!({ "year": r.year, "deadline": r.deadline, "ruleset": set.code, "ruleset_version": row.version, "communes": communes.len() })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Records the council's meeting and conclusion.
pub async fn record_meeting(db: &Db, actor: &Actor, p: &Principal<'_>, round: &RoundRow, on: NaiveDate, members: &str, conclusion: &str) -> AppResult<()> {
    if !is_reviewer(p, &round.unit_path) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    store::set_meeting(&mut tx, round.id, on, members, conclusion).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "access_round",
        entity_id: Some(round.id.to_string()),
        unit_id: Some(round.unit_id),
        summary: format!("Ghi kết quả họp Hội đồng đánh giá chuẩn tiếp cận pháp luật năm {}", round.year),
        before: Some(json!({ "meeting_on": round.meeting_on, "conclusion": round.meeting_conclusion })),
        after: Some(json!({ "meeting_on": on, "members": members, "conclusion": conclusion })),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The chair's decision: every assessment with the council (submitted or under review) is
/// recognised when the council's figures meet the conditions, and not recognised otherwise.
/// Returns (recognised, not recognised).
/// The chair's decision as typed: number, date, signer.
#[derive(Clone, Copy)]
pub struct Decision<'a> {
    pub no: &'a str,
    pub on: NaiveDate,
    pub signer: &'a str,
}

pub async fn decide(db: &Db, actor: &Actor, p: &Principal<'_>, round: &RoundRow, rs: &RuleSet, decision: &Decision<'_>) -> AppResult<(usize, usize)> {
    let Decision { no, on, signer } = *decision;
    if !is_reviewer(p, &round.unit_path) {
        return Err(AppError::Forbidden);
    }
    let all = store::assessments_of_round(db, round.id).await?;
    let pending: Vec<_> = all.iter().filter(|a| Status::parse(&a.status).is_some_and(Status::council_reviews)).collect();
    if pending.is_empty() {
        return Err(AppError::BadRequest(msg::nothing_to_decide().into()));
    }
    let mut tx = db.begin().await?;
    let (mut yes, mut no_count) = (0, 0);
    for a in pending {
        let (_, fin) = recompute(&mut tx, rs, a.id).await?;
        let (status, note) = if fin.recognisable {
            yes += 1;
            (Status::Recognised, String::new())
        } else {
            no_count += 1;
            (Status::NotRecognised, fin.failures.iter().map(|f| f.message(rs)).collect::<Vec<_>>().join(" "))
        };
        store::set_decision_note(&mut tx, a.id, status.as_str(), &note).await?;
        store::add_event(&mut tx, a.id, if fin.recognisable { "recognise" } else { "refuse" }, status.as_str(), &format!("Quyết định số {no} ngày {}. {note}", text_vi::format_date(on)), Some(p.account.id)).await?;
    }
    store::set_decision(&mut tx, round.id, no, on, signer).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "access_round",
        entity_id: Some(round.id.to_string()),
        unit_id: Some(round.unit_id),
        summary: format!("Quyết định công nhận chuẩn tiếp cận pháp luật năm {}: {yes} đạt, {no_count} chưa đạt", round.year),
        before: None,
        after: Some(json!({ "decision_no": no, "decision_on": on, "signer": signer, "recognised": yes, "not_recognised": no_count })),
    })
    .await?;
    tx.commit().await?;
    Ok((yes, no_count))
}

// ---------------------------------------------------------------- evidence, comments

/// Adds an evidence file or link to an indicator.
/// Evidence as sent: the indicator, a title, a link and/or a checked file (name, type, bytes).
#[derive(Clone, Copy)]
pub struct Evidence<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub link: &'a str,
    pub file: Option<(&'a str, &'static str, &'a [u8])>,
}

/// A link evidence may point at: our own pages, or http(s).
fn link_ok(link: &str) -> bool {
    let local = link.starts_with('/') && !link.starts_with("//");
    (link.starts_with("https://") || link.starts_with("http://") || local) && link.chars().count() <= 1000
}

pub async fn add_evidence(db: &Db, actor: &Actor, p: &Principal<'_>, d: Dossier<'_>, e: &Evidence<'_>) -> AppResult<Result<(), String>> {
    let Evidence { code, title, link, file } = *e;
    let (a, rs) = (d.a, d.rs);
    if !is_commune(p, a) {
        return Err(AppError::Forbidden);
    }
    let status = Status::parse(&a.status).unwrap_or(Status::Draft);
    if !status.commune_edits() {
        return Err(AppError::BadRequest(msg::step_refused(status.label())));
    }
    if rs.indicator(code).is_none() {
        return Ok(Err(msg::unknown_indicator(code)));
    }
    let link = link.trim();
    if file.is_none() && link.is_empty() {
        return Ok(Err(msg::evidence_empty().into()));
    }
    if !link.is_empty() && !link_ok(link) {
        return Ok(Err(msg::evidence_bad_link().into()));
    }
    let title = text_vi::clean_input(title.trim());
    let title = if title.is_empty() { file.map(|f| f.0.to_string()).unwrap_or_else(|| link.to_string()) } else { title };
    if title.chars().count() > 300 {
        return Ok(Err(msg::text_too_long(300)));
    }
    let mut tx = db.begin().await?;
    let file_id = match file {
        Some((name, ct, bytes)) => Some(kernel::db::files::store(&mut tx, name, ct, bytes, a.unit_id, Some(p.account.id)).await?),
        None => None,
    };
    let id = store::add_evidence(&mut tx, a.id, code, file_id, (!link.is_empty()).then_some(link), &title, p.account.id).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "access_evidence",
        entity_id: Some(id.to_string()),
        unit_id: Some(a.unit_id),
        summary: format!("Thêm minh chứng chỉ tiêu {code} của {} năm {}", a.unit_name, a.year),
        before: None,
        after: Some(json!({ "indicator": code, "title": title, "file_id": file_id, "link": link })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Most comments one address may send in ten minutes.
pub const COMMENTS_PER_10_MIN: i64 = 5;

/// A citizen's comment on a posted self-assessment. The address is kept only as a hash keyed
/// with this installation's secret (`key`), so the stored value cannot be reversed by trying
/// every address.
#[allow(clippy::too_many_arguments)]
pub async fn comment(db: &Db, a: &AssessmentRow, body: &str, name: &str, contact: &str, ip: &str, key: &[u8], today: NaiveDate) -> AppResult<Result<(), String>> {
    let posted = matches!(a.posted_from, Some(f) if f <= today) && a.posted_to.is_some_and(|t| t >= today);
    if !posted {
        return Ok(Err(msg::not_posted().into()));
    }
    let body = text_vi::clean_input(body.trim());
    if body.is_empty() {
        return Ok(Err(msg::comment_empty().into()));
    }
    if body.chars().count() > 4000 || name.chars().count() > 200 || contact.chars().count() > 200 {
        return Ok(Err(msg::text_too_long(4000)));
    }
    let secret: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let ip_hash = kernel::token_hash(&format!("access-comment:{secret}:{ip}"));
    let opt = |s: &str| {
        let s = text_vi::clean_input(s.trim());
        (!s.is_empty()).then_some(s)
    };
    let mut tx = db.begin().await?;
    let since = kernel::now() - chrono::Duration::minutes(10);
    if store::comments_from(&mut tx, &ip_hash, since).await? >= COMMENTS_PER_10_MIN {
        return Ok(Err(msg::comment_rate().into()));
    }
    let id = store::add_comment(&mut tx, a.id, &body, opt(name).as_deref(), opt(contact).as_deref(), &ip_hash).await?;
    audit::record(&mut tx, &Actor { username: Some("cong-dan".into()), ..Actor::default() }, Entry {
        action: "create",
        entity: "access_comment",
        entity_id: Some(id.to_string()),
        unit_id: Some(a.unit_id),
        summary: format!("Góp ý của người dân về kết quả tự đánh giá của {} năm {}", a.unit_name, a.year),
        before: None,
        after: Some(json!({ "length": body.chars().count() })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------- report figures

/// The cells of the legal-access report (form TCPL of the reports capability) for a unit's
/// subtree and a period: the communes in force at the period's end, and the assessments of the
/// round of the period's last year by state ([`crate::rules::report`]); only that year's, so a
/// commune is counted once even when a period spans two years. An agency's report gets
/// none. Each figure names its source and links to the round (or to the list of rounds when
/// the subtree holds several).
pub async fn report_figures(db: &Db, unit_id: i64, agency_id: Option<i64>, _start: NaiveDate, end: NaiveDate) -> kernel::DbResult<Vec<kernel::registry::ReportFigure>> {
    if agency_id.is_some() {
        return Ok(Vec::new());
    }
    let unit = kernel::db::units::get(db, unit_id).await?;
    let like = format!("{}%", unit.path);
    let communes = store::communes_in_force(db, &like, end).await?;
    let rows = store::states_in(db, &like, end.year().into(), end.year().into()).await?;
    let rounds: BTreeSet<i64> = rows.iter().map(|(r, _)| *r).collect();
    let states: Vec<Status> = rows.iter().filter_map(|(_, s)| Status::parse(s)).collect();
    let years = end.year().to_string();
    let assessments_href = match rounds.iter().next() {
        Some(id) if rounds.len() == 1 => format!("/chuan-tiep-can/dot/{id}"),
        _ => "/chuan-tiep-can".to_string(),
    };
    Ok(crate::rules::report::cells(communes, &states)
        .into_iter()
        .map(|(key, value)| {
            let (source, href) = if key == crate::rules::report::COMMUNES_TOTAL {
                (msg::report_source_units(&unit.name, end), format!("/don-vi/{}", unit.id))
            } else {
                (msg::report_source_assessments(&unit.name, &years), assessments_href.clone())
            };
            kernel::registry::ReportFigure { key: key.to_string(), value, source, href: Some(href) }
        })
        .collect())
}

/// [`report_figures`] as the kernel's `ReportFigures` port, registered by the server for `reports`.
pub fn report_figures_port(db: &Db, unit_id: i64, agency_id: Option<i64>, start: NaiveDate, end: NaiveDate) -> kernel::registry::BoxFuture<'_, kernel::DbResult<Vec<kernel::registry::ReportFigure>>> {
    Box::pin(report_figures(db, unit_id, agency_id, start, end))
}
