//! Pages of the legal-access standard: the list, the round (dashboard, council meeting,
//! decision, exports), the assessment (self-assessment with evidence, posting, submission,
//! the council's review and history), the rule sets, and the public pages.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, attachment, fmt_date, render, render_invalid, today};
use kernel::state::AppState;
use serde::Deserialize;

use crate::msg;
use crate::rules::ruleset::{Indicator, Measure, Points, RuleSet, ScoringMode};
use crate::rules::score::{Outcome, Value};
use crate::rules::state::{Status, Step};
use crate::service::{self, Typed};
use crate::store::{self, AssessmentRow, RoundRow};

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    #[serde(default)]
    pub tb: Option<String>,
}

fn layout(user: &CurrentUser, title: impl Into<String>, tb: Option<&str>) -> Layout {
    Layout::for_user(user, title, "legal_access").with_flash_from(tb, msg::flash)
}

/// The id of an indicator's input: `n-1-2` for indicator 1.2.
pub fn field_id(prefix: &str, code: &str) -> String {
    format!("{prefix}-{}", code.replace('.', "-"))
}

/// "80 điểm" / "Đạt 12/14 chỉ tiêu".
pub fn result_line(rs: &RuleSet, o: &Outcome) -> String {
    match rs.mode {
        ScoringMode::Points => msg::points_of(o.total, o.max_total),
        ScoringMode::PassFail => msg::achieved_of(o.achieved, o.indicator_count),
    }
}

/// How the indicator is scored, in words.
pub fn level_text(rs: &RuleSet, ind: &Indicator) -> String {
    let unit = |p: Points| match ind.measure {
        Measure::Ratio => format!("{p}%"),
        _ => p.to_string(),
    };
    match (rs.mode, ind.measure) {
        (ScoringMode::Points, Measure::YesNo) => msg::yes_points(ind.max_points.unwrap_or_default()),
        (ScoringMode::Points, _) => {
            ind.bands.iter().map(|b| msg::band(&unit(b.min), b.points)).collect::<Vec<_>>().join("; ")
        }
        (ScoringMode::PassFail, Measure::YesNo) => msg::PASS_WHEN_YES.to_string(),
        (ScoringMode::PassFail, _) => msg::pass_from(&ind.pass_min.map(unit).unwrap_or_default()),
    }
}

// ================================================================== index

pub struct RoundItem {
    pub href: String,
    pub year: i64,
    pub unit: String,
    pub deadline: String,
    pub decided: String,
}

pub struct AssessmentItem {
    pub href: String,
    pub year: i64,
    pub unit: String,
    pub status: &'static str,
    pub badge: &'static str,
    pub result: String,
}

#[derive(Template)]
#[template(path = "legal_access/index.html")]
struct IndexPage {
    l: Layout,
    rounds: Vec<RoundItem>,
    mine: Vec<AssessmentItem>,
    can_open: bool,
    can_rules: bool,
    errors: FieldErrors,
    year: String,
    deadline: String,
}

pub fn points_text(mode: &str, total: Option<i64>, ok: Option<bool>) -> String {
    let ok = match ok {
        Some(true) => msg::ELIGIBLE_SUFFIX,
        Some(false) => msg::NOT_ELIGIBLE_SUFFIX,
        None => "",
    };
    match (mode, total) {
        ("points", Some(t)) => format!("{}{ok}", msg::points(Points(u32::try_from(t).unwrap_or(0)))),
        (_, Some(_)) => ok.trim_start_matches(" — ").to_string(),
        _ => String::new(),
    }
}

async fn index_page(state: &AppState, user: &CurrentUser, errors: FieldErrors, year: String, deadline: String) -> AppResult<IndexPage> {
    user.require(Action::ViewLegalAccess)?;
    let p = user.principal();
    let rounds = service::rounds_for(&state.db, &p).await?;
    let modes: BTreeMap<i64, String> = store::rulesets(&state.db).await?.into_iter().map(|r| (r.id, r.mode)).collect();
    let mine = store::assessments_in(&state.db, &p.scope.like_pattern(), 60).await?;
    let unit = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    Ok(IndexPage {
        l: layout(user, msg::TITLE_INDEX, None),
        rounds: rounds
            .iter()
            .map(|r| RoundItem {
                href: format!("/chuan-tiep-can/dot/{}", r.id),
                year: r.year,
                unit: r.unit_name.clone(),
                deadline: text_vi::format_date(r.deadline),
                decided: r.decision_no.as_ref().map(|n| msg::decision_no(n)).unwrap_or_else(|| msg::NO_DECISION.into()),
            })
            .collect(),
        mine: mine
            .iter()
            .map(|a| {
                let s = Status::parse(&a.status).unwrap_or(Status::Draft);
                let mode = modes.get(&a.ruleset_id).map(String::as_str).unwrap_or("points");
                AssessmentItem {
                    href: format!("/chuan-tiep-can/{}", a.id),
                    year: a.year,
                    unit: a.unit_name.clone(),
                    status: s.label(),
                    badge: s.badge(),
                    result: points_text(mode, a.final_total, a.final_recognisable),
                }
            })
            .collect(),
        can_open: user.role.allows(Action::ReviewLegalAccess) && unit.level() == Some(kernel::unit::UnitLevel::Province),
        can_rules: user.role.allows(Action::ViewLegalAccess),
        errors,
        year,
        deadline,
    })
}

/// `GET /chuan-tiep-can`.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let t = today();
    let mut page = index_page(&state, &user, FieldErrors::default(), t.year().to_string(), text_vi::format_date(t + chrono::Duration::days(30))).await?;
    page.l.flash = q.tb.as_deref().and_then(msg::flash);
    render(&page)
}

#[derive(Deserialize)]
pub struct RoundForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    deadline: String,
}

/// `POST /chuan-tiep-can/dot`: the province opens the round of a year.
pub async fn round_create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(f): Form<RoundForm>) -> AppResult<Response> {
    user.require(Action::ReviewLegalAccess)?;
    let mut errors = FieldErrors::default();
    let year = f.year.trim().parse::<i32>().ok();
    if year.is_none() {
        errors.add("year", msg::bad_year());
    }
    let deadline = text_vi::parse_date(&f.deadline).ok();
    if deadline.is_none() {
        errors.add("deadline", msg::bad_date());
    }
    if let (Some(year), Some(deadline)) = (year, deadline) {
        match service::open_round(&state.db, &meta.actor(&user), &user.principal(), &service::NewRound { year, deadline }, today()).await? {
            Ok(id) => return Ok(Redirect::to(&format!("/chuan-tiep-can/dot/{id}?tb=round")).into_response()),
            Err(list) => {
                for (field, m) in list {
                    errors.add(field, m);
                }
            }
        }
    }
    render_invalid(&index_page(&state, &user, errors, f.year, f.deadline).await?)
}

// ================================================================== round

pub struct RoundRowView {
    pub href: String,
    pub unit: String,
    pub old: bool,
    pub status: &'static str,
    pub badge: &'static str,
    pub own: String,
    pub fin: String,
}

pub struct WeakIndicator {
    pub code: String,
    pub text: String,
    pub share: String,
}

#[derive(Template)]
#[template(path = "legal_access/round.html")]
struct RoundPage {
    l: Layout,
    r: RoundRow,
    ruleset: String,
    legal_basis: String,
    rows: Vec<RoundRowView>,
    counts: Vec<(&'static str, usize)>,
    status_chart: String,
    score_chart: String,
    weak: Vec<WeakIndicator>,
    compare: Vec<(i64, usize, usize)>,
    can_review: bool,
    pending: usize,
    deadline: String,
    meeting_line: String,
    decision_line: String,
    errors: FieldErrors,
    meeting_on: String,
    members: String,
    conclusion: String,
    decision_no: String,
    decision_on: String,
    signer: String,
}

async fn round_page(state: &AppState, user: &CurrentUser, id: i64, tb: Option<&str>) -> AppResult<RoundPage> {
    let p = user.principal();
    let r = service::visible_round(&state.db, &p, id).await?;
    let rs = service::load_ruleset(&state.db, r.ruleset_id).await?;
    let mut all = store::assessments_of_round(&state.db, r.id).await?;
    // A commune account sees only its own line.
    let reviewer_view = p.scope.contains(&r.unit_path) || service::in_scope_today(&state.db, &p, r.unit_id).await?;
    all.retain(|a| reviewer_view || p.scope.contains(&a.unit_path));
    let values = store::values_of_round(&state.db, r.id).await?;
    let mut by_assessment: BTreeMap<i64, Vec<store::ValueRow>> = BTreeMap::new();
    for v in values {
        by_assessment.entry(v.assessment_id).or_default().push(v);
    }
    let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
    let mut not_started = 0usize;
    let mut rows = Vec::new();
    let mut weak_count: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut totals = Vec::new();
    for a in &all {
        let s = Status::parse(&a.status).unwrap_or(Status::Draft);
        let vals = by_assessment.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
        if s == Status::Draft && vals.is_empty() {
            not_started += 1;
        } else {
            *counts.entry(s).or_default() += 1;
        }
        let (own, fin) = service::outcomes(&rs, vals, &[]);
        if !vals.is_empty() {
            for i in &fin.indicators {
                let e = weak_count.entry(i.code.clone()).or_default();
                if i.value.is_some() {
                    e.1 += 1;
                    if i.achieved == Some(true) {
                        e.0 += 1;
                    }
                }
            }
            totals.push(match rs.mode {
                ScoringMode::Points => fin.total.0 / 100,
                ScoringMode::PassFail => u32::try_from(fin.achieved).unwrap_or(0),
            });
        }
        let started = !vals.is_empty();
        rows.push(RoundRowView {
            href: format!("/chuan-tiep-can/{}", a.id),
            unit: a.unit_name.clone(),
            old: a.unit_valid_to.is_some_and(|d| d < today()),
            status: if s == Status::Draft && !started { msg::NOT_STARTED } else { s.label() },
            badge: s.badge(),
            own: if started { result_line(&rs, &own) } else { String::new() },
            fin: if s.decided() || s.council_reviews() { result_line(&rs, &fin) } else { String::new() },
        });
    }
    let counts: Vec<(&'static str, usize)> = (not_started > 0)
        .then_some((msg::NOT_STARTED, not_started))
        .into_iter()
        .chain(crate::rules::state::ALL.iter().filter_map(|s| counts.get(s).map(|n| (s.label(), *n))))
        .collect();
    let bars: Vec<documents::svg::Bar> = counts.iter().map(|(l, n)| documents::svg::Bar { label: l.to_string(), value: *n as f64, note: None }).collect();
    let status_chart = documents::svg::bar_chart(msg::CHART_STATES, &bars, None);
    let score_chart = score_histogram(&rs, &totals);
    let mut weak: Vec<(f64, WeakIndicator)> = weak_count
        .into_iter()
        .filter(|(_, (_, n))| *n > 0)
        .map(|(code, (ok, n))| {
            let share = ok as f64 * 100.0 / n as f64;
            let text = rs.indicator(&code).map(|i| i.text.clone()).unwrap_or_default();
            (share, WeakIndicator { code, text, share: msg::share_of_communes(share, ok, n) })
        })
        .collect();
    weak.sort_by(|a, b| a.0.total_cmp(&b.0));
    let compare = compare_years(state, &r).await?;
    let pending = all.iter().filter(|a| Status::parse(&a.status).is_some_and(Status::council_reviews)).count();
    Ok(RoundPage {
        l: layout(user, msg::title_round(r.year), tb),
        ruleset: rs.name.clone(),
        legal_basis: rs.legal_basis.clone(),
        rows,
        counts,
        status_chart,
        score_chart,
        weak: weak.into_iter().take(5).map(|(_, w)| w).collect(),
        compare,
        can_review: service::is_reviewer(&p, &r.unit_path),
        pending,
        deadline: text_vi::format_date(r.deadline),
        meeting_line: r
            .meeting_on
            .map(|d| {
                let members = r.meeting_members.as_deref().filter(|m| !m.is_empty()).map(msg::members).unwrap_or_default();
                msg::meeting_line(d, &members)
            })
            .unwrap_or_default(),
        decision_line: r
            .decision_no
            .as_ref()
            .map(|n| {
                let on = r.decision_on.map(msg::on_day).unwrap_or_default();
                let by = r.decision_signer.as_deref().map(msg::signed_by).unwrap_or_default();
                format!("{}{on}{by}.", msg::decision_no(n))
            })
            .unwrap_or_default(),
        errors: FieldErrors::default(),
        meeting_on: r.meeting_on.map(text_vi::format_date).unwrap_or_default(),
        members: r.meeting_members.clone().unwrap_or_default(),
        conclusion: r.meeting_conclusion.clone().unwrap_or_default(),
        decision_no: r.decision_no.clone().unwrap_or_default(),
        decision_on: r.decision_on.map(text_vi::format_date).unwrap_or_default(),
        signer: r.decision_signer.clone().unwrap_or_default(),
        r,
    })
}

fn score_histogram(rs: &RuleSet, totals: &[u32]) -> String {
    let bins: Vec<(String, f64)> = match rs.mode {
        ScoringMode::Points => {
            let edges = [(0, 50), (50, 70), (70, 80), (80, 90), (90, 101)];
            edges
                .iter()
                .map(|(lo, hi)| {
                    let label = if *hi > 100 { format!("{lo}–100") } else { format!("{lo}–<{hi}") };
                    (label, totals.iter().filter(|t| **t >= *lo && **t < *hi).count() as f64)
                })
                .collect()
        }
        ScoringMode::PassFail => {
            let n = u32::try_from(rs.indicators().count()).unwrap_or(0);
            let top = totals.iter().filter(|t| **t == n).count() as f64;
            let near = totals.iter().filter(|t| **t + 2 >= n && **t < n).count() as f64;
            let rest = totals.iter().filter(|t| **t + 2 < n).count() as f64;
            vec![(msg::all_of(n), top), (msg::MISSING_1_2.into(), near), (msg::MISSING_3.into(), rest)]
        }
    };
    let bars: Vec<documents::svg::Bar> = bins.into_iter().map(|(label, value)| documents::svg::Bar { label, value, note: None }).collect();
    documents::svg::bar_chart(msg::CHART_RESULTS, &bars, None)
}

/// (year, assessed, recognised) of the rounds of the same unit.
async fn compare_years(state: &AppState, r: &RoundRow) -> AppResult<Vec<(i64, usize, usize)>> {
    let rounds = store::rounds_visible(&state.db, &format!("{}%", r.unit_path), &r.unit_path).await?;
    let mut out = Vec::new();
    for other in rounds.iter().filter(|o| o.unit_id == r.unit_id) {
        let all = store::assessments_of_round(&state.db, other.id).await?;
        let recognised = all.iter().filter(|a| a.status == Status::Recognised.as_str()).count();
        out.push((other.year, all.len(), recognised));
    }
    out.sort();
    Ok(out)
}

/// `GET /chuan-tiep-can/dot/{id}`.
pub async fn round_show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    render(&round_page(&state, &user, id, q.tb.as_deref()).await?)
}

#[derive(Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    meeting_on: String,
    #[serde(default)]
    members: String,
    #[serde(default)]
    conclusion: String,
}

/// `POST /chuan-tiep-can/dot/{id}/hop`: the council's meeting and conclusion.
pub async fn round_meeting(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<MeetingForm>) -> AppResult<Response> {
    user.require(Action::ReviewLegalAccess)?;
    let p = user.principal();
    let r = service::visible_round(&state.db, &p, id).await?;
    let on = text_vi::parse_date(&f.meeting_on).ok();
    let members = text_vi::clean_input(f.members.trim());
    let conclusion = text_vi::clean_input(f.conclusion.trim());
    let mut errors = FieldErrors::default();
    if on.is_none() {
        errors.add("meeting_on", msg::bad_date());
    }
    if conclusion.is_empty() {
        errors.add("conclusion", msg::meeting_fields());
    }
    if conclusion.chars().count() > 8000 || members.chars().count() > 4000 {
        errors.add("conclusion", msg::text_too_long(8000));
    }
    if let (Some(on), true) = (on, errors.is_empty()) {
        service::record_meeting(&state.db, &meta.actor(&user), &p, &r, on, &members, &conclusion).await?;
        return Ok(Redirect::to(&format!("/chuan-tiep-can/dot/{id}?tb=meeting")).into_response());
    }
    let mut page = round_page(&state, &user, id, None).await?;
    page.errors = errors;
    (page.meeting_on, page.members, page.conclusion) = (f.meeting_on, f.members, f.conclusion);
    render_invalid(&page)
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision_no: String,
    #[serde(default)]
    decision_on: String,
    #[serde(default)]
    signer: String,
}

/// `POST /chuan-tiep-can/dot/{id}/quyet-dinh`: the chair's decision for every dossier with the
/// council.
pub async fn round_decide(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<DecisionForm>) -> AppResult<Response> {
    user.require(Action::ReviewLegalAccess)?;
    let p = user.principal();
    let r = service::visible_round(&state.db, &p, id).await?;
    let no = text_vi::clean_input(f.decision_no.trim());
    let signer = text_vi::clean_input(f.signer.trim());
    let on = text_vi::parse_date(&f.decision_on).ok();
    let mut errors = FieldErrors::default();
    if no.is_empty() || no.chars().count() > 60 {
        errors.add("decision_no", msg::decision_fields());
    }
    if on.is_none() {
        errors.add("decision_on", msg::bad_date());
    }
    if signer.is_empty() || signer.chars().count() > 200 {
        errors.add("signer", msg::decision_fields());
    }
    if let (Some(on), true) = (on, errors.is_empty()) {
        let rs = service::load_ruleset(&state.db, r.ruleset_id).await?;
        service::decide(&state.db, &meta.actor(&user), &p, &r, &rs, &service::Decision { no: &no, on, signer: &signer }).await?;
        return Ok(Redirect::to(&format!("/chuan-tiep-can/dot/{id}?tb=decided")).into_response());
    }
    let mut page = round_page(&state, &user, id, None).await?;
    page.errors = errors;
    (page.decision_no, page.decision_on, page.signer) = (f.decision_no, f.decision_on, f.signer);
    render_invalid(&page)
}

/// `GET /chuan-tiep-can/dot/{id}/quyet-dinh.docx`: the recognition decision (Nghị định 30).
pub async fn round_decision_docx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let r = service::visible_round(&state.db, &user.principal(), id).await?;
    let all = store::assessments_of_round(&state.db, r.id).await?;
    let bytes = crate::export::decision_docx(&r, &all).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!("quyet-dinh-chuan-tiep-can-phap-luat-{}.docx", r.year),
        bytes,
    ))
}

/// `GET /chuan-tiep-can/dot/{id}/tong-hop.xlsx`: one row per commune, one column per indicator.
pub async fn round_xlsx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let r = service::visible_round(&state.db, &user.principal(), id).await?;
    let rs = service::load_ruleset(&state.db, r.ruleset_id).await?;
    let p = user.principal();
    let mut all = store::assessments_of_round(&state.db, r.id).await?;
    let reviewer_view = p.scope.contains(&r.unit_path) || service::in_scope_today(&state.db, &p, r.unit_id).await?;
    all.retain(|a| reviewer_view || p.scope.contains(&a.unit_path));
    let values = store::values_of_round(&state.db, r.id).await?;
    let bytes = crate::export::round_xlsx(&r, &rs, &all, &values).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("chuan-tiep-can-phap-luat-{}.xlsx", r.year),
        bytes,
    ))
}

// ================================================================== assessment

pub struct EvidenceView {
    pub title: String,
    pub href: String,
}

pub struct IndicatorView {
    pub code: String,
    /// The code as it appears in field ids: `1-2` for 1.2.
    pub key: String,
    pub text: String,
    pub measure: &'static str,
    pub numerator_label: String,
    pub denominator_label: String,
    pub evidence_hint: String,
    pub level: String,
    pub certainty: &'static str,
    pub unverified: bool,
    pub t: Typed,
    pub error: String,
    pub own: String,
    pub result: String,
    pub ok: bool,
    pub council: String,
    pub council_reason: String,
    pub prefill: String,
    pub prefill_href: String,
    pub evidence: Vec<EvidenceView>,
}

pub struct CriterionView {
    pub code: String,
    pub name: String,
    pub result: String,
    pub meets: bool,
    pub indicators: Vec<IndicatorView>,
}

pub struct EventView {
    pub when: String,
    pub what: String,
    pub who: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "legal_access/assessment.html")]
struct AssessmentPage {
    l: Layout,
    a: AssessmentRow,
    ruleset: String,
    legal_basis: String,
    status: &'static str,
    badge: &'static str,
    criteria: Vec<CriterionView>,
    own_line: String,
    own_ok: bool,
    fin_line: String,
    fin_ok: bool,
    show_final: bool,
    failures: Vec<String>,
    posted: String,
    today_names: String,
    can_edit: bool,
    can_finish: bool,
    can_reopen: bool,
    can_post: bool,
    can_submit: bool,
    can_review: bool,
    can_revoke: bool,
    late: bool,
    disqualifiers: Vec<(String, String)>,
    disq: Vec<(String, String, String)>,
    comments: Vec<(String, String, String)>,
    events: Vec<EventView>,
    summary: Vec<(String, String)>,
    step_error: String,
    adjust_code: String,
    adjust_reason: String,
    decision_note: String,
    certainty_note: bool,
}

fn typed_of(ind: &Indicator, v: Option<&store::ValueRow>) -> Typed {
    let Some(v) = v else { return Typed::default() };
    let n = |x: Option<i64>| x.map(|x| x.to_string()).unwrap_or_default();
    Typed {
        numerator: n(v.numerator),
        denominator: n(v.denominator),
        yes: match (ind.measure, v.yes) {
            (Measure::YesNo, Some(true)) => "co".into(),
            (Measure::YesNo, Some(false)) => "khong".into(),
            _ => String::new(),
        },
        note: v.note.clone(),
    }
}

fn event_label(kind: &str) -> &'static str {
    msg::event_label(kind)
}

/// What was typed but not saved, with the error of each indicator.
#[derive(Default)]
struct Retry {
    typed: BTreeMap<String, Typed>,
    errors: BTreeMap<String, String>,
    step_error: String,
    adjust_code: String,
    adjust_reason: String,
}

async fn assessment_page(state: &AppState, user: &CurrentUser, id: i64, retry: Retry, tb: Option<&str>) -> AppResult<AssessmentPage> {
    let p = user.principal();
    let a = service::visible(&state.db, &p, id).await?;
    let rs = service::load_ruleset(&state.db, a.ruleset_id).await?;
    let rows = store::values(&state.db, a.id).await?;
    let disq = store::disqualifications(&state.db, a.id).await?;
    let disq_codes: Vec<String> = disq.iter().map(|d| d.code.clone()).collect();
    let (own, fin) = service::outcomes(&rs, &rows, &disq_codes);
    let by_code: BTreeMap<&str, &store::ValueRow> = rows.iter().map(|r| (r.indicator.as_str(), r)).collect();
    let evidence = store::evidence(&state.db, a.id).await?;
    let status = Status::parse(&a.status).unwrap_or(Status::Draft);
    let day = today();
    let commune = service::is_commune(&p, &a);
    let reviewer = service::is_reviewer(&p, &a.round_unit_path);
    let can_edit = commune && status.commune_edits() && day <= a.deadline;
    // Figures pbgdpl already holds, offered where the commune has not typed its own.
    let mut known: BTreeMap<String, kernel::registry::KnownFigure> = BTreeMap::new();
    if can_edit {
        for ind in rs.indicators() {
            if let Some(key) = &ind.prefill {
                for provider in &state.registry.known_figures {
                    if let Some(f) = provider(&state.db, a.unit_id, i32::try_from(a.year).unwrap_or(0), key).await? {
                        known.insert(ind.code.clone(), f);
                        break;
                    }
                }
            }
        }
    }
    let outcome_of = |code: &str, o: &Outcome| o.indicators.iter().find(|i| i.code == code).cloned();
    let mut summary = Vec::new();
    let criteria = rs
        .criteria
        .iter()
        .zip(fin.criteria.iter())
        .map(|(c, co)| CriterionView {
            code: c.code.clone(),
            name: c.name.clone(),
            result: match rs.mode {
                ScoringMode::Points => msg::points_of(co.points, co.max.unwrap_or_default()),
                ScoringMode::PassFail => msg::achieved_of(co.achieved, co.indicators),
            },
            meets: co.meets,
            indicators: c
                .indicators
                .iter()
                .map(|ind| {
                    let stored = by_code.get(ind.code.as_str()).copied();
                    let mut t = retry.typed.get(&ind.code).cloned().unwrap_or_else(|| typed_of(ind, stored));
                    let mut prefill = String::new();
                    let mut prefill_href = String::new();
                    if let Some(f) = known.get(&ind.code) {
                        let shown = match ind.measure {
                            Measure::Ratio => f.denominator.map(|d| Value::Ratio { num: f.numerator, den: d }.display()).unwrap_or_default(),
                            Measure::Count => text_vi::format_int(f.numerator),
                            Measure::YesNo => msg::yes_no(f.numerator > 0).to_string(),
                        };
                        prefill = format!("{}: {shown}", f.source);
                        prefill_href = f.href.clone().unwrap_or_default();
                        let empty = t.numerator.is_empty() && t.denominator.is_empty() && t.yes.is_empty();
                        if empty {
                            match ind.measure {
                                Measure::Ratio => {
                                    if let Some(d) = f.denominator {
                                        t.numerator = f.numerator.to_string();
                                        t.denominator = d.to_string();
                                    }
                                }
                                Measure::Count => t.numerator = f.numerator.to_string(),
                                Measure::YesNo => t.yes = (if f.numerator > 0 { "co" } else { "khong" }).into(),
                            }
                        }
                    }
                    let oo = outcome_of(&ind.code, &own);
                    let fo = outcome_of(&ind.code, &fin);
                    let result = match (rs.mode, &fo) {
                        (_, Some(o)) if o.value.is_none() => msg::NO_FIGURES.to_string(),
                        (ScoringMode::Points, Some(o)) => msg::points_of(o.points.unwrap_or_default(), o.max.unwrap_or_default()),
                        (ScoringMode::PassFail, Some(o)) => msg::achieved(o.achieved == Some(true)).to_string(),
                        _ => String::new(),
                    };
                    let error = retry.errors.get(&ind.code).cloned().unwrap_or_default();
                    if !error.is_empty() {
                        let target = if ind.measure == Measure::YesNo { field_id("y", &ind.code) } else { field_id("n", &ind.code) };
                        summary.push((target, error.clone()));
                    }
                    IndicatorView {
                        code: ind.code.clone(),
                        key: ind.code.replace('.', "-"),
                        text: ind.text.clone(),
                        measure: match ind.measure {
                            Measure::Ratio => "ratio",
                            Measure::YesNo => "yes_no",
                            Measure::Count => "count",
                        },
                        numerator_label: if ind.numerator.is_empty() { msg::NUMERATOR.into() } else { ind.numerator.clone() },
                        denominator_label: if ind.denominator.is_empty() { msg::DENOMINATOR.into() } else { ind.denominator.clone() },
                        evidence_hint: ind.evidence.clone(),
                        level: level_text(&rs, ind),
                        certainty: ind.certainty.label(),
                        unverified: ind.certainty != crate::rules::ruleset::Certainty::V,
                        t,
                        error,
                        own: oo.and_then(|o| o.value).map(|v| v.display()).unwrap_or_default(),
                        ok: fo.as_ref().and_then(|o| o.achieved).unwrap_or(false),
                        result,
                        council: stored
                            .filter(|s| s.council_reason.is_some())
                            .and_then(|s| service::final_value(ind, s))
                            .map(|v| v.display())
                            .unwrap_or_default(),
                        council_reason: stored.and_then(|s| s.council_reason.clone()).unwrap_or_default(),
                        prefill,
                        prefill_href,
                        evidence: evidence
                            .iter()
                            .filter(|e| e.indicator == ind.code)
                            .map(|e| EvidenceView {
                                title: e.title.clone(),
                                href: e.file_id.map(|f| format!("/chuan-tiep-can/minh-chung/{f}")).or_else(|| e.link.clone()).unwrap_or_default(),
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let comments = if commune || reviewer {
        store::comments(&state.db, a.id)
            .await?
            .into_iter()
            .map(|c| {
                let who = [c.author_name.unwrap_or_default(), c.author_contact.unwrap_or_default()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
                (text_vi::format_datetime(c.created_at), if who.is_empty() { msg::ANONYMOUS.into() } else { who }, c.body)
            })
            .collect()
    } else {
        Vec::new()
    };
    let events = store::events(&state.db, a.id)
        .await?
        .into_iter()
        .map(|e| EventView {
            when: text_vi::format_datetime(e.created_at),
            what: event_label(&e.kind).to_string(),
            who: e.actor.unwrap_or_default(),
            note: e.note,
        })
        .collect();
    let today_names = if a.unit_valid_to.is_some_and(|d| d < day) {
        kernel::db::units::today_of(&state.db, a.unit_id, day).await?.into_iter().map(|l| l.unit.name).collect::<Vec<_>>().join(", ")
    } else {
        String::new()
    };
    let posted = match (a.posted_from, a.posted_to) {
        (Some(f), Some(t)) => msg::from_to(f, t),
        _ => String::new(),
    };
    let show_final = status.council_reviews() || status.decided();
    let failures = (if show_final { &fin } else { &own }).failures.iter().map(|f| f.message(&rs)).collect();
    let next_ok = |s: Step| crate::rules::state::next(status, s, a.posted_from.is_some()).is_some();
    Ok(AssessmentPage {
        l: layout(user, msg::title_assessment(a.year, &a.unit_name), tb),
        ruleset: rs.name.clone(),
        legal_basis: rs.legal_basis.clone(),
        status: status.label(),
        badge: status.badge(),
        criteria,
        own_line: result_line(&rs, &own),
        own_ok: own.recognisable,
        fin_line: result_line(&rs, &fin),
        fin_ok: fin.recognisable,
        show_final,
        failures,
        posted,
        today_names,
        can_edit,
        can_finish: commune && next_ok(Step::Finish) && day <= a.deadline,
        can_reopen: commune && next_ok(Step::Reopen),
        can_post: commune && next_ok(Step::Post),
        can_submit: commune && next_ok(Step::Submit) && day <= a.deadline,
        can_review: reviewer && status.council_reviews(),
        can_revoke: reviewer && next_ok(Step::Revoke),
        late: day > a.deadline && !status.decided() && !status.council_reviews(),
        disqualifiers: rs.disqualifiers.iter().map(|d| (d.code.clone(), d.text.clone())).collect(),
        disq: disq
            .iter()
            .map(|d| {
                let text = rs.disqualifiers.iter().find(|x| x.code == d.code).map(|x| x.text.clone()).unwrap_or_else(|| d.code.clone());
                (text, fmt_date(d.happened_on), d.note.clone())
            })
            .collect(),
        comments,
        events,
        summary,
        step_error: retry.step_error,
        adjust_code: retry.adjust_code,
        adjust_reason: retry.adjust_reason,
        decision_note: a.decision_note.clone().unwrap_or_default(),
        certainty_note: rs.certainty != crate::rules::ruleset::Certainty::V,
        a,
    })
}

/// `GET /chuan-tiep-can/{id}`.
pub async fn assessment_show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    render(&assessment_page(&state, &user, id, Retry::default(), q.tb.as_deref()).await?)
}

/// Reads `n|d|y|note` + `-` + code fields into typed figures per indicator.
fn typed_from_form(form: &[(String, String)], rs: &RuleSet) -> (BTreeMap<String, Typed>, BTreeMap<String, String>) {
    let mut out: BTreeMap<String, Typed> = BTreeMap::new();
    let mut prefilled = BTreeMap::new();
    let by_id: BTreeMap<String, String> = rs.indicators().map(|i| (i.code.replace('.', "-"), i.code.clone())).collect();
    for (k, v) in form {
        let Some((kind, rest)) = k.split_once('-') else { continue };
        let Some(code) = by_id.get(rest) else { continue };
        let t = out.entry(code.clone()).or_default();
        match kind {
            "n" => t.numerator = v.clone(),
            "d" => t.denominator = v.clone(),
            "y" => t.yes = v.clone(),
            "note" => t.note = v.clone(),
            "src" if !v.is_empty() => {
                prefilled.insert(code.clone(), text_vi::clean_input(v).chars().take(200).collect());
            }
            _ => {}
        }
    }
    (out, prefilled)
}

/// `POST /chuan-tiep-can/{id}`: saves the commune's figures (every error beside its indicator,
/// nothing saved while one remains, what was typed kept).
pub async fn assessment_save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(form): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::AssessLegalAccess)?;
    let p = user.principal();
    let a = service::visible(&state.db, &p, id).await?;
    let rs = service::load_ruleset(&state.db, a.ruleset_id).await?;
    let (typed, prefilled) = typed_from_form(&form, &rs);
    match service::save_values(&state.db, &meta.actor(&user), &p, service::Dossier { a: &a, rs: &rs }, &typed, &prefilled, today()).await? {
        Ok(()) => Ok(Redirect::to(&format!("/chuan-tiep-can/{id}?tb=saved")).into_response()),
        Err(errors) => render_invalid(&assessment_page(&state, &user, id, Retry { typed, errors, ..Retry::default() }, None).await?),
    }
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    note: String,
}

/// `POST /chuan-tiep-can/{id}/buoc`: finish, reopen, post, submit (the commune); return,
/// revoke (the reviewing unit).
pub async fn assessment_step(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<StepForm>) -> AppResult<Response> {
    user.require(Action::ViewLegalAccess)?;
    let p = user.principal();
    let a = service::visible(&state.db, &p, id).await?;
    let rs = service::load_ruleset(&state.db, a.ruleset_id).await?;
    let (step, flash) = match f.step.as_str() {
        "finish" => (Step::Finish, "finished"),
        "reopen" => (Step::Reopen, "reopened"),
        "post" => (Step::Post, "posted"),
        "submit" => (Step::Submit, "submitted"),
        "return" => (Step::Return, "returned"),
        "revoke" => (Step::Revoke, "revoked"),
        _ => return Err(AppError::BadRequest(msg::step_refused(Status::parse(&a.status).unwrap_or(Status::Draft).label()))),
    };
    let note = text_vi::clean_input(f.note.trim());
    if note.chars().count() > 4000 {
        return Err(AppError::BadRequest(msg::text_too_long(4000)));
    }
    match service::step(&state.db, &meta.actor(&user), &p, service::Dossier { a: &a, rs: &rs }, step, &note, today()).await {
        Ok(_) => Ok(Redirect::to(&format!("/chuan-tiep-can/{id}?tb={flash}")).into_response()),
        Err(AppError::BadRequest(m)) => {
            render_invalid(&assessment_page(&state, &user, id, Retry { step_error: m, ..Retry::default() }, None).await?)
        }
        Err(e) => Err(e),
    }
}

/// `POST /chuan-tiep-can/{id}/dieu-chinh`: the council adjusts one indicator with a reason.
pub async fn assessment_adjust(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(form): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ReviewLegalAccess)?;
    let p = user.principal();
    let a = service::visible(&state.db, &p, id).await?;
    let rs = service::load_ruleset(&state.db, a.ruleset_id).await?;
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let code = get("indicator");
    let typed = Typed { numerator: get("numerator"), denominator: get("denominator"), yes: get("yes"), note: String::new() };
    let reason = get("reason");
    match service::adjust(&state.db, &meta.actor(&user), &p, service::Dossier { a: &a, rs: &rs }, &code, &typed, &reason).await? {
        Ok(()) => Ok(Redirect::to(&format!("/chuan-tiep-can/{id}?tb=adjusted")).into_response()),
        Err(m) => render_invalid(&assessment_page(&state, &user, id, Retry { step_error: m, adjust_code: code, adjust_reason: reason, ..Retry::default() }, None).await?),
    }
}

#[derive(Deserialize)]
pub struct DisqForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    happened_on: String,
    #[serde(default)]
    note: String,
}

/// `POST /chuan-tiep-can/{id}/khong-cong-nhan`: records a disqualifier that applies.
pub async fn assessment_disqualify(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<DisqForm>) -> AppResult<Response> {
    user.require(Action::ViewLegalAccess)?;
    let p = user.principal();
    let a = service::visible(&state.db, &p, id).await?;
    let rs = service::load_ruleset(&state.db, a.ruleset_id).await?;
    let on = if f.happened_on.trim().is_empty() {
        None
    } else {
        match text_vi::parse_date(&f.happened_on) {
            Ok(d) => Some(d),
            Err(_) => {
                return render_invalid(&assessment_page(&state, &user, id, Retry { step_error: msg::bad_date().into(), ..Retry::default() }, None).await?);
            }
        }
    };
    match service::disqualify(&state.db, &meta.actor(&user), &p, service::Dossier { a: &a, rs: &rs }, &f.code, on, &f.note).await? {
        Ok(()) => Ok(Redirect::to(&format!("/chuan-tiep-can/{id}?tb=disq")).into_response()),
        Err(m) => render_invalid(&assessment_page(&state, &user, id, Retry { step_error: m, ..Retry::default() }, None).await?),
    }
}

/// `POST /chuan-tiep-can/{id}/minh-chung` (multipart): an evidence file or link for an indicator.
pub async fn assessment_evidence(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> AppResult<Response> {
    user.require(Action::AssessLegalAccess)?;
    let p = user.principal();
    let a = service::visible(&state.db, &p, id).await?;
    let rs = service::load_ruleset(&state.db, a.ruleset_id).await?;
    let fail = |m: String| Retry { step_error: m, ..Retry::default() };
    let mp = match mp {
        Ok(mp) => mp,
        Err(_) => return render_invalid(&assessment_page(&state, &user, id, fail(kernel::msg::FORM_UNREADABLE.into()), None).await?),
    };
    let up = match kernel::page::read_upload(mp, state.config.limits.upload_bytes).await {
        Ok(up) => up,
        Err(m) => return render_invalid(&assessment_page(&state, &user, id, fail(m.into()), None).await?),
    };
    if up.too_large {
        return render_invalid(&assessment_page(&state, &user, id, fail(kernel::msg::FILE_TOO_LARGE.into()), None).await?);
    }
    let field = |k: &str| up.fields.get(k).cloned().unwrap_or_default();
    let file = if up.bytes.is_empty() {
        None
    } else {
        match documents::sniff::check_evidence(&up.file_name, &up.bytes) {
            Ok(ct) => Some((up.file_name.as_str(), ct, up.bytes.as_slice())),
            Err(documents::sniff::Sniffed::UnknownType) => return render_invalid(&assessment_page(&state, &user, id, fail(msg::FILE_TYPE.into()), None).await?),
            Err(documents::sniff::Sniffed::Mismatch) => return render_invalid(&assessment_page(&state, &user, id, fail(msg::FILE_CONTENT_MISMATCH.into()), None).await?),
        }
    };
    match service::add_evidence(&state.db, &meta.actor(&user), &p, service::Dossier { a: &a, rs: &rs }, &service::Evidence { code: &field("indicator"), title: &field("title"), link: &field("link"), file }).await? {
        Ok(()) => Ok(Redirect::to(&format!("/chuan-tiep-can/{id}?tb=evidence")).into_response()),
        Err(m) => render_invalid(&assessment_page(&state, &user, id, fail(m), None).await?),
    }
}

/// `GET /chuan-tiep-can/minh-chung/{file}`: an evidence file, to those who may see its assessment.
pub async fn evidence_file(State(state): State<AppState>, user: CurrentUser, Path(file_id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewLegalAccess)?;
    let owner = store::evidence_file_owner(&state.db, file_id).await?.ok_or(AppError::NotFound)?;
    service::visible(&state.db, &user.principal(), owner).await?;
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

// ================================================================== rule sets

pub struct RuleSetItem {
    pub href: String,
    pub name: String,
    pub version: i64,
    pub years: String,
    pub mode: &'static str,
    pub in_use: bool,
}

#[derive(Template)]
#[template(path = "legal_access/rulesets.html")]
struct RuleSetsPage {
    l: Layout,
    items: Vec<RuleSetItem>,
}

fn years_text(first: i64, last: Option<i64>) -> String {
    match last {
        Some(l) => format!("{first}–{l}"),
        None => msg::from_year(first),
    }
}

/// `GET /chuan-tiep-can/bo-tieu-chi`.
pub async fn rulesets(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ViewLegalAccess)?;
    let items = store::rulesets(&state.db)
        .await?
        .into_iter()
        .map(|r| RuleSetItem {
            href: format!("/chuan-tiep-can/bo-tieu-chi/{}", r.id),
            name: r.name,
            version: r.version,
            years: years_text(r.first_year, r.last_year),
            mode: if r.mode == "points" { ScoringMode::Points.label() } else { ScoringMode::PassFail.label() },
            in_use: r.in_use,
        })
        .collect();
    render(&RuleSetsPage { l: layout(&user, msg::TITLE_RULESETS, None), items })
}

#[derive(Template)]
#[template(path = "legal_access/ruleset.html")]
struct RuleSetPage {
    l: Layout,
    row: store::RuleSetRow,
    rs: RuleSet,
    years: String,
    can_edit: bool,
    body: String,
    errors: Vec<String>,
}

async fn ruleset_page(state: &AppState, user: &CurrentUser, id: i64, body: Option<String>, errors: Vec<String>, tb: Option<&str>) -> AppResult<RuleSetPage> {
    user.require(Action::ViewLegalAccess)?;
    let row = store::ruleset(&state.db, id).await.map_err(|e| match e {
        kernel::DbError::NotFound => AppError::NotFound,
        other => other.into(),
    })?;
    let rs = RuleSet::parse(&row.body).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(RuleSetPage {
        l: layout(user, msg::title_ruleset(&row.name, row.version), tb),
        years: years_text(row.first_year, row.last_year),
        can_edit: user.role.allows(Action::ManageLegalAccessRules),
        body: body.unwrap_or_else(|| row.body.clone()),
        errors,
        rs,
        row,
    })
}

/// `GET /chuan-tiep-can/bo-tieu-chi/{id}`.
pub async fn ruleset_show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    render(&ruleset_page(&state, &user, id, None, Vec::new(), q.tb.as_deref()).await?)
}

#[derive(Deserialize)]
pub struct RuleSetForm {
    #[serde(default)]
    body: String,
}

/// `POST /chuan-tiep-can/bo-tieu-chi/{id}`: saves the edited TOML (a new version when in use).
pub async fn ruleset_save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<RuleSetForm>) -> AppResult<Response> {
    user.require(Action::ManageLegalAccessRules)?;
    if f.body.len() > 512 * 1024 {
        return render_invalid(&ruleset_page(&state, &user, id, Some(String::new()), vec![msg::text_too_long(512 * 1024)], None).await?);
    }
    match service::save_ruleset(&state.db, &meta.actor(&user), &user.principal(), id, &f.body).await? {
        Ok((new_id, _)) => Ok(Redirect::to(&format!("/chuan-tiep-can/bo-tieu-chi/{new_id}?tb=ruleset")).into_response()),
        Err(errors) => render_invalid(&ruleset_page(&state, &user, id, Some(f.body), errors, None).await?),
    }
}

// ================================================================== public

pub struct PublicItem {
    pub href: String,
    pub year: i64,
    pub unit: String,
    pub status: String,
    pub posting: bool,
}

#[derive(Template)]
#[template(path = "legal_access/public_index.html")]
struct PublicIndex {
    l: Layout,
    items: Vec<PublicItem>,
    recognised: Vec<(i64, String)>,
}

pub(crate) fn public_status(a: &AssessmentRow, day: NaiveDate) -> (String, bool) {
    let s = Status::parse(&a.status).unwrap_or(Status::Draft);
    let posting = a.posted_from.is_some_and(|f| f <= day) && a.posted_to.is_some_and(|t| t >= day);
    let label = if s.decided() {
        s.label().to_string()
    } else if posting {
        msg::posting_until(&fmt_date(a.posted_to))
    } else {
        msg::UNDER_CONSIDERATION.to_string()
    };
    (label, posting)
}

/// `GET /cong-khai/chuan-tiep-can`: posted self-assessments and decided results, no account.
pub async fn public_index(State(state): State<AppState>, jar: axum_extra::extract::CookieJar) -> AppResult<Response> {
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let day = today();
    let list = store::public_assessments(&state.db, "%").await?;
    let recognised = list.iter().filter(|a| a.status == Status::Recognised.as_str()).map(|a| (a.year, a.unit_name.clone())).collect();
    let items = list
        .iter()
        .map(|a| {
            let (status, posting) = public_status(a, day);
            PublicItem { href: format!("/cong-khai/chuan-tiep-can/{}", a.id), year: a.year, unit: a.unit_name.clone(), status, posting }
        })
        .collect();
    let page = PublicIndex { l: Layout::anonymous(msg::TITLE_PUBLIC, csrf), items, recognised };
    Ok((jar, render(&page)?).into_response())
}

pub struct PublicCriterion {
    pub code: String,
    pub name: String,
    pub result: String,
    pub indicators: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "legal_access/public_show.html")]
struct PublicShow {
    l: Layout,
    a: AssessmentRow,
    ruleset: String,
    status: String,
    posting: bool,
    result: String,
    criteria: Vec<PublicCriterion>,
    error: String,
    body: String,
    name: String,
    contact: String,
    sent: bool,
}

async fn public_page(state: &AppState, id: i64, csrf: String) -> AppResult<PublicShow> {
    let a = store::assessment(&state.db, id).await.map_err(|_| AppError::NotFound)?;
    if a.posted_from.is_none() {
        return Err(AppError::NotFound);
    }
    let rs = service::load_ruleset(&state.db, a.ruleset_id).await?;
    let rows = store::values(&state.db, a.id).await?;
    let s = Status::parse(&a.status).unwrap_or(Status::Draft);
    // The public sees the commune's posted figures, and the council's once decided.
    let (own, fin) = service::outcomes(&rs, &rows, &[]);
    let o = if s.decided() { fin } else { own };
    let (status, posting) = public_status(&a, today());
    let criteria = rs
        .criteria
        .iter()
        .zip(o.criteria.iter())
        .map(|(c, co)| PublicCriterion {
            code: c.code.clone(),
            name: c.name.clone(),
            result: match rs.mode {
                ScoringMode::Points => msg::points_of(co.points, co.max.unwrap_or_default()),
                ScoringMode::PassFail => msg::achieved_of(co.achieved, co.indicators),
            },
            indicators: c
                .indicators
                .iter()
                .map(|ind| {
                    let io = o.indicators.iter().find(|i| i.code == ind.code);
                    let value = io.and_then(|i| i.value).map(|v| v.display()).unwrap_or_else(|| msg::NO_FIGURES.into());
                    let res = match (rs.mode, io) {
                        (ScoringMode::Points, Some(i)) => msg::points(i.points.unwrap_or_default()),
                        (ScoringMode::PassFail, Some(i)) => msg::achieved(i.achieved == Some(true)).to_string(),
                        _ => String::new(),
                    };
                    (ind.code.clone(), ind.text.clone(), value, res)
                })
                .collect(),
        })
        .collect();
    Ok(PublicShow {
        l: Layout::anonymous(msg::title_public(&a.unit_name, a.year), csrf),
        ruleset: rs.name.clone(),
        status,
        posting,
        result: result_line(&rs, &o),
        criteria,
        error: String::new(),
        body: String::new(),
        name: String::new(),
        contact: String::new(),
        sent: false,
        a,
    })
}

/// `GET /cong-khai/chuan-tiep-can/{id}`: a posted self-assessment, with the comment form.
pub async fn public_show(State(state): State<AppState>, jar: axum_extra::extract::CookieJar, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
    let mut page = public_page(&state, id, csrf).await?;
    page.sent = q.tb.as_deref() == Some("comment");
    page.l.flash = q.tb.as_deref().and_then(msg::flash);
    Ok((jar, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
}

/// `POST /cong-khai/chuan-tiep-can/{id}/gop-y`: a citizen's comment during posting.
pub async fn public_comment(State(state): State<AppState>, jar: axum_extra::extract::CookieJar, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<CommentForm>) -> AppResult<Response> {
    let a = store::assessment(&state.db, id).await.map_err(|_| AppError::NotFound)?;
    if a.posted_from.is_none() {
        return Err(AppError::NotFound);
    }
    let key = state.csrf_key().await?;
    match service::comment(&state.db, &a, &f.body, &f.name, &f.contact, &meta.ip, key, today()).await? {
        Ok(()) => Ok(Redirect::to(&format!("/cong-khai/chuan-tiep-can/{id}?tb=comment#gop-y")).into_response()),
        Err(m) => {
            let (jar, csrf) = kernel::auth::public_csrf(&state, jar).await?;
            let mut page = public_page(&state, id, csrf).await?;
            (page.error, page.body, page.name, page.contact) = (m, f.body, f.name, f.contact);
            Ok((jar, render_invalid(&page)?).into_response())
        }
    }
}
