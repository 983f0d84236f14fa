//! Plans (kế hoạch): list, import from a document with a review page, writing from scratch,
//! copying last year's plan, issuing and closing, and creating an implementing plan from a
//! higher one (cascade). Tasks are in `tasks.rs`, dashboards in `progress.rs`.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::db::audit::{self, Entry};
use crate::store::plans::{Plan, PlanInput, PlanOrigin};
use crate::store::tasks::{Task, TaskAgency};
use kernel::account::Action;
use crate::msg as pm;
use kernel::msg;
use crate::rules::tracking::{ImplementingState, PlanKind, PlanStatus, TaskState};
use serde::Deserialize;
use serde_json::json;

use kernel::page::{FieldErrors, Layout, ReqMeta, clean, fmt_date, opt_clean, read_upload, render, render_invalid, today};
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use crate::service::{self, Implementer, ImportFailure, TrackRight};
use kernel::state::AppState;

pub fn kind_label(k: &str) -> &'static str {
    PlanKind::parse(k).map(|k| k.label()).unwrap_or("")
}

pub fn status_label(s: &str) -> &'static str {
    PlanStatus::parse(s).map(|s| s.label()).unwrap_or("")
}

pub fn kind_choices() -> Vec<(&'static str, &'static str)> {
    PlanKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect()
}

/// A plan in a list.
pub struct PlanRow {
    pub id: i64,
    pub title: String,
    pub number: String,
    pub date: String,
    pub unit: String,
    pub kind: &'static str,
    pub status: String,
    pub status_label: &'static str,
    pub year: String,
}

pub fn plan_row(p: &Plan) -> PlanRow {
    PlanRow {
        id: p.id,
        title: p.title.clone(),
        number: p.number.clone().unwrap_or_default(),
        date: fmt_date(p.issued_on),
        unit: p.agency_name.clone().unwrap_or_else(|| p.unit_name.clone()),
        kind: kind_label(&p.kind),
        status: p.status.clone(),
        status_label: status_label(&p.status),
        year: p.year.map(|y| y.to_string()).unwrap_or_default(),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    nam: String,
    #[serde(default)]
    trang_thai: String,
    #[serde(default)]
    trang: Option<i64>,
    #[serde(default)]
    tb: Option<String>,
}

#[derive(Template)]
#[template(path = "plans/index.html")]
struct IndexPage {
    l: Layout,
    q: String,
    nam: String,
    trang_thai: String,
    rows: Vec<PlanRow>,
    can_manage: bool,
    page: i64,
    has_next: bool,
}

const PAGE_SIZE: i64 = 50;

/// `GET /ke-hoach`: plans of the caller's subtree and issued plans of the units above.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let page = q.trang.unwrap_or(1).clamp(1, 10_000);
    let year = q.nam.trim().parse::<i32>().ok();
    let status = PlanStatus::parse(q.trang_thai.trim()).map(|s| s.as_str().to_string());
    let list = crate::store::plans::list(&state.db, &crate::store::plans::PlanFilter {
        scope_pattern: user.scope.like_pattern(),
        own_path: user.scope.unit_path.clone(),
        unit_id: None,
        status,
        year,
        query: Some(clean(&q.q)),
        parent_plan_id: None,
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
    }).await?;
    let has_next = list.len() as i64 > PAGE_SIZE;
    render(&IndexPage {
        l: Layout::for_user(&user, "Kế hoạch", "plans").with_flash_from(q.tb.as_deref(), crate::msg::flash),
        q: clean(&q.q),
        nam: q.nam.trim().to_string(),
        trang_thai: q.trang_thai.trim().to_string(),
        rows: list.iter().take(PAGE_SIZE as usize).map(plan_row).collect(),
        can_manage: user.role.allows(Action::ManagePlans),
        page,
        has_next,
    })
}

// ---------------------------------------------------------------------------------------------
// Import

#[derive(Template)]
#[template(path = "plans/import.html")]
struct ImportPage {
    l: Layout,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    error: String,
    max_mb: String,
}

fn max_mb(state: &AppState) -> String {
    text_vi::format_decimal(state.config.limits.upload_bytes as f64 / (1024.0 * 1024.0), 0)
}

/// `GET /ke-hoach/nhap`.
pub async fn import_page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    render(&ImportPage { l: Layout::for_user(&user, "Nhập kế hoạch từ tệp", "plans"), kind: String::new(), kinds: kind_choices(), error: String::new(), max_mb: max_mb(&state) })
}

/// `POST /ke-hoach/nhap` (multipart): parses the document; on success stores it as a draft and
/// opens the review page; on failure shows why and stores nothing.
pub async fn import_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    meta: ReqMeta,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    let up = match mp {
        Ok(mp) => read_upload(mp, state.config.limits.upload_bytes).await,
        Err(_) => Err(msg::FORM_UNREADABLE),
    };
    let kind = up.as_ref().ok().and_then(|u| u.fields.get("kind").cloned()).unwrap_or_default();
    let fail = |error: String| {
        render_invalid(&ImportPage { l: Layout::for_user(&user, "Nhập kế hoạch từ tệp", "plans"), kind: kind.clone(), kinds: kind_choices(), error, max_mb: max_mb(&state) })
    };
    let up = match up {
        Ok(u) => u,
        Err(m) => return fail(m.to_string()),
    };
    if up.too_large {
        return fail(format!("{} (tối đa {} MB)", msg::FILE_TOO_LARGE, max_mb(&state)));
    }
    if up.file_name.is_empty() && up.bytes.is_empty() {
        return fail(pm::FILE_REQUIRED.to_string());
    }
    if !kernel::heavy::allow_upload(&state.db, user.account.id, "plan_import", state.config.limits.imports_per_minute).await? {
        let mut page = fail(msg::IMPORTS_TOO_FREQUENT.to_string())?;
        *page.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(page);
    }
    let unit = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    let kind_parsed = PlanKind::parse(kind.trim());
    match service::import_document(&state.db, &meta.actor(&user), Some(user.account.id), &unit, None, kind_parsed, &up.file_name, up.bytes, &state.heavy).await {
        Ok(id) => Ok(Redirect::to(&format!("/ke-hoach/{id}/sua?tb=plan_imported")).into_response()),
        Err(ImportFailure::Document(e)) => fail(e.to_string()),
        Err(ImportFailure::Refused(m)) => fail(m.to_string()),
        Err(ImportFailure::System(e)) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Header form (new plan, review and edit)

#[derive(Deserialize, Default, Clone)]
pub struct PlanForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub issued_on: String,
    #[serde(default)]
    pub parent_body: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub signer: String,
    #[serde(default)]
    pub signer_authority: String,
    #[serde(default)]
    pub signer_title: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub recipients: String,
    #[serde(default)]
    pub implementing_deadline: String,
    #[serde(default)]
    pub cascade_level: String,
    #[serde(default)]
    pub references: String,
    #[serde(default)]
    pub report_deadlines: String,
    #[serde(default)]
    pub version: String,
}

impl PlanForm {
    fn of(p: &Plan, references: &[crate::store::plans::Reference], deadlines: &[crate::store::plans::ReportDeadline]) -> PlanForm {
        PlanForm {
            kind: p.kind.clone(),
            number: p.number.clone().unwrap_or_default(),
            place: p.place.clone().unwrap_or_default(),
            issued_on: fmt_date(p.issued_on),
            parent_body: p.parent_body.clone().unwrap_or_default(),
            issuer: p.issuer.clone().unwrap_or_default(),
            signer: p.signer.clone().unwrap_or_default(),
            signer_authority: p.signer_authority.clone().unwrap_or_default(),
            signer_title: p.signer_title.clone().unwrap_or_default(),
            title: p.title.clone(),
            period: p.period.clone().unwrap_or_default(),
            year: p.year.map(|y| y.to_string()).unwrap_or_default(),
            recipients: p.recipients.clone(),
            implementing_deadline: fmt_date(p.implementing_deadline),
            cascade_level: p.cascade_level.clone(),
            references: references.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("\n"),
            report_deadlines: deadlines.iter().map(|d| format!("{} | {}", text_vi::format_date(d.due_on), d.text)).collect::<Vec<_>>().join("\n"),
            version: p.version.to_string(),
        }
    }
}

/// Checked header plus references and reporting deadlines.
pub struct CheckedPlan {
    pub input: PlanInput,
    pub references: Vec<String>,
    pub report_deadlines: Vec<(chrono::NaiveDate, String)>,
}

fn date_field(v: &str, field: &'static str, errors: &mut FieldErrors) -> Option<chrono::NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match text_vi::parse_date(v) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, msg::INVALID_DATE);
            None
        }
    }
}

fn text_field(v: &str, field: &'static str, max: usize, errors: &mut FieldErrors) -> Option<String> {
    let c = opt_clean(v);
    if c.as_ref().is_some_and(|c| c.chars().count() > max) {
        errors.add(field, msg::TOO_LONG);
    }
    c
}

/// A field of a few lines ("TM. HỘI ĐỒNG" / "KT. CHỦ TỊCH"): each line cleaned, blank lines
/// dropped.
fn lines_field(v: &str, field: &'static str, max: usize, errors: &mut FieldErrors) -> Option<String> {
    let joined = v.lines().map(clean).filter(|l| !l.is_empty()).take(5).collect::<Vec<_>>().join("\n");
    if joined.chars().count() > max {
        errors.add(field, msg::TOO_LONG);
    }
    (!joined.is_empty()).then_some(joined)
}

pub fn check_plan(f: &PlanForm, unit_id: i64, agency_id: Option<i64>, errors: &mut FieldErrors) -> Option<CheckedPlan> {
    let kind = PlanKind::parse(f.kind.trim());
    if kind.is_none() {
        errors.add("kind", msg::KIND_INVALID);
    }
    let title = clean(&f.title);
    if title.is_empty() {
        errors.add("title", msg::REQUIRED);
    } else if title.chars().count() > 500 {
        errors.add("title", msg::TOO_LONG);
    }
    let year = match f.year.trim() {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                errors.add("year", pm::YEAR_INVALID);
                None
            }
        },
    };
    let issued_on = date_field(&f.issued_on, "issued_on", errors);
    let implementing_deadline = date_field(&f.implementing_deadline, "implementing_deadline", errors);
    let cascade_level = if f.cascade_level.trim() == "commune" { "commune" } else { "none" };
    let references: Vec<String> = f.references.lines().map(clean).filter(|l| !l.is_empty()).take(50).collect();
    if references.iter().any(|r| r.chars().count() > 1000) {
        errors.add("references", msg::TOO_LONG);
    }
    let mut report_deadlines = Vec::new();
    for line in f.report_deadlines.lines().map(clean).filter(|l| !l.is_empty()).take(50) {
        let (date, text) = line.split_once('|').map(|(a, b)| (a.trim(), b.trim())).unwrap_or((line.as_str(), ""));
        match text_vi::parse_date(date) {
            Ok(d) => report_deadlines.push((d, text.to_string())),
            Err(_) => errors.add("report_deadlines", format!("{} ({line})", msg::INVALID_DATE)),
        }
    }
    let input = PlanInput {
        unit_id,
        agency_id,
        kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        number: text_field(&f.number, "number", 60, errors),
        place: text_field(&f.place, "place", 100, errors),
        issued_on,
        parent_body: text_field(&f.parent_body, "parent_body", 200, errors),
        issuer: text_field(&f.issuer, "issuer", 200, errors),
        signer: text_field(&f.signer, "signer", 100, errors),
        signer_authority: lines_field(&f.signer_authority, "signer_authority", 200, errors),
        signer_title: lines_field(&f.signer_title, "signer_title", 200, errors),
        title,
        period: text_field(&f.period, "period", 50, errors),
        year,
        recipients: f.recipients.lines().map(clean).filter(|l| !l.is_empty()).take(100).collect::<Vec<_>>().join("\n"),
        implementing_deadline,
        cascade_level: cascade_level.into(),
    };
    errors.is_empty().then_some(CheckedPlan { input, references, report_deadlines })
}

#[derive(Template)]
#[template(path = "plans/form.html")]
struct FormPage {
    l: Layout,
    /// None when writing a new plan.
    plan: Option<PlanRow>,
    f: PlanForm,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    error_box: String,
    /// The uploaded document's text, shown beside the parsed plan on the review page.
    source: String,
    source_file: Option<i64>,
    tasks: Vec<TaskLine>,
    can_issue: bool,
}

/// `GET /ke-hoach/moi`.
pub async fn new_page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    let unit = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    let year = chrono::Datelike::year(&today());
    let f = PlanForm {
        kind: "annual".into(),
        year: year.to_string(),
        period: year.to_string(),
        issuer: format!("Ủy ban nhân dân {}", service::lower_first(&unit.name)),
        ..PlanForm::default()
    };
    render(&blank_form(&user, f, FieldErrors::default(), String::new()))
}

fn blank_form(user: &CurrentUser, f: PlanForm, errors: FieldErrors, error_box: String) -> FormPage {
    FormPage { l: Layout::for_user(user, "Soạn kế hoạch mới", "plans"), plan: None, f, kinds: kind_choices(), errors, error_box, source: String::new(), source_file: None, tasks: Vec::new(), can_issue: false }
}

/// `POST /ke-hoach/moi`.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(f): Form<PlanForm>) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    let mut errors = FieldErrors::default();
    let Some(checked) = check_plan(&f, user.account.unit_id, None, &mut errors) else {
        return render_invalid(&blank_form(&user, f, errors, String::new()));
    };
    let mut tx = state.db.begin().await?;
    let id = crate::store::plans::create(&mut tx, &checked.input, &PlanOrigin { created_by: Some(user.account.id), ..PlanOrigin::default() }).await?;
    crate::store::plans::replace_references(&mut tx, id, &checked.references).await?;
    crate::store::plans::replace_report_deadlines(&mut tx, id, &checked.report_deadlines).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "create", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(user.account.unit_id),
        summary: format!("Soạn kế hoạch “{}”", checked.input.title), before: None, after: Some(json!(checked.input)),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/ke-hoach/{id}?tb=plan_created")).into_response())
}

/// A task line on the review and plan pages.
pub struct TaskLine {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub section: Option<String>,
    pub leads: Vec<AgencyChip>,
    pub coordinating: Vec<AgencyChip>,
    pub timeframe: String,
    pub deadline: String,
    pub recurrence: &'static str,
    pub state: &'static str,
    pub state_label: &'static str,
    pub progress: u8,
    pub rollup: Option<u8>,
    pub children: usize,
    pub products: String,
    pub form: String,
}

pub struct AgencyChip {
    pub name: String,
    pub matched: bool,
    pub linked: bool,
}

pub fn chips(agencies: &[&TaskAgency], role: &str) -> Vec<AgencyChip> {
    agencies
        .iter()
        .filter(|a| a.role == role)
        .map(|a| AgencyChip { name: a.display().to_string(), matched: a.match_key.is_some(), linked: a.agency_id.is_some() })
        .collect()
}

/// Task lines with the section headings that open before each task.
pub async fn task_lines(state: &AppState, plan: &Plan) -> AppResult<Vec<TaskLine>> {
    let tasks = crate::store::tasks::for_plan(&state.db, plan.id).await?;
    let agencies = crate::store::tasks::agencies_for_plan(&state.db, plan.id).await?;
    let sections = crate::store::plans::sections(&state.db, plan.id).await?;
    let progress = service::progress_of_plan(&state.db, &tasks).await?;
    let mut by_task: HashMap<i64, Vec<&TaskAgency>> = HashMap::new();
    for a in &agencies {
        by_task.entry(a.task_id).or_default().push(a);
    }
    let mut shown: HashSet<usize> = HashSet::new();
    let day = today();
    Ok(tasks
        .iter()
        .map(|t| {
            let mut heads: Vec<String> = Vec::new();
            for (i, s) in sections.iter().enumerate() {
                let prefix = format!("{}.", s.path);
                // A section of the task's own path is the heading its item is written under.
                let opens = t.path == s.path || t.path.starts_with(&prefix) || t.path.starts_with(&format!("{}#", s.path));
                if !shown.contains(&i) && opens {
                    shown.insert(i);
                    heads.push(format!("{} {}", s.marker, s.heading));
                }
            }
            line(t, by_task.get(&t.id).map(Vec::as_slice).unwrap_or(&[]), progress.get(&t.id).copied(), (!heads.is_empty()).then(|| heads.join(" · ")), day)
        })
        .collect())
}

pub fn line(t: &Task, agencies: &[&TaskAgency], progress: Option<(u8, Option<u8>, usize)>, section: Option<String>, day: chrono::NaiveDate) -> TaskLine {
    let state = TaskState::of(service::status_of(&t.status), t.deadline, day);
    let (own, rollup, children) = progress.unwrap_or((0, None, 0));
    TaskLine {
        id: t.id,
        path: t.path.clone(),
        title: t.title.clone(),
        section,
        leads: chips(agencies, "lead"),
        coordinating: chips(agencies, "coordinating"),
        timeframe: t.timeframe.clone().unwrap_or_default(),
        deadline: fmt_date(t.deadline),
        recurrence: t.recurrence.as_deref().map(service::recurrence_label).unwrap_or(""),
        state: state.as_str(),
        state_label: state.label(),
        progress: own,
        rollup,
        children,
        products: t.products.clone().unwrap_or_default(),
        form: t.form.clone().unwrap_or_default(),
    }
}

async fn editable_plan(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Plan> {
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    if !service::can_edit(user.principal(), &plan) {
        return Err(if plan.status == "closed" { AppError::BadRequest(pm::NOT_DRAFT.into()) } else { AppError::Forbidden });
    }
    Ok(plan)
}

async fn form_page(state: &AppState, user: &CurrentUser, plan: &Plan, f: PlanForm, errors: FieldErrors, error_box: String) -> AppResult<FormPage> {
    let source = crate::store::plans::source_text(&state.db, plan.id).await?.unwrap_or_default();
    Ok(FormPage {
        l: Layout::for_user(user, format!("Soát xét: {}", plan.title), "plans"),
        plan: Some(plan_row(plan)),
        f,
        kinds: kind_choices(),
        errors,
        error_box,
        source,
        source_file: plan.source_file_id,
        tasks: task_lines(state, plan).await?,
        can_issue: plan.status == "draft",
    })
}

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    #[serde(default)]
    pub tb: Option<String>,
}

/// `GET /ke-hoach/{id}/sua`: the review page: the parsed plan beside the document's text,
/// every header field editable, each task with its edit link.
pub async fn edit_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = editable_plan(&state, &user, id).await?;
    let refs = crate::store::plans::references(&state.db, id).await?;
    let deadlines = crate::store::plans::report_deadlines(&state.db, id).await?;
    let mut page = form_page(&state, &user, &plan, PlanForm::of(&plan, &refs, &deadlines), FieldErrors::default(), String::new()).await?;
    page.l = page.l.with_flash_from(q.tb.as_deref(), crate::msg::flash);
    render(&page)
}

/// `POST /ke-hoach/{id}/sua`.
pub async fn edit_submit(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<PlanForm>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = editable_plan(&state, &user, id).await?;
    let mut errors = FieldErrors::default();
    let Some(checked) = check_plan(&f, plan.unit_id, plan.agency_id, &mut errors) else {
        return render_invalid(&form_page(&state, &user, &plan, f, errors, String::new()).await?);
    };
    // A version that does not parse never matches: the edit is a conflict, never a blind overwrite.
    let version = f.version.trim().parse::<i32>().unwrap_or(-1);
    let mut tx = state.db.begin().await?;
    match crate::store::plans::update_header(&mut tx, id, version, &checked.input).await {
        Ok(()) => {}
        Err(kernel::db::DbError::Conflict(_)) => {
            drop(tx);
            return render_invalid(&form_page(&state, &user, &plan, f, errors, pm::VERSION_CONFLICT.into()).await?);
        }
        Err(e) => return Err(e.into()),
    }
    crate::store::plans::replace_references(&mut tx, id, &checked.references).await?;
    crate::store::plans::replace_report_deadlines(&mut tx, id, &checked.report_deadlines).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "update", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Sửa kế hoạch “{}”", checked.input.title),
        before: Some(json!(plan)), after: Some(json!(checked.input)),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/ke-hoach/{id}/sua?tb=plan_saved")).into_response())
}

/// `POST /ke-hoach/{id}/ban-hanh`: issue a draft (needs number, date and at least one task).
pub async fn issue(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = editable_plan(&state, &user, id).await?;
    if plan.status != "draft" {
        return Ok(Redirect::to(&format!("/ke-hoach/{id}")).into_response());
    }
    let tasks = crate::store::tasks::for_plan(&state.db, id).await?;
    let mut errors = FieldErrors::default();
    if plan.number.is_none() {
        errors.add("number", pm::ISSUE_NEEDS_NUMBER);
    }
    if plan.issued_on.is_none() {
        errors.add("issued_on", pm::ISSUE_NEEDS_DATE);
    }
    if tasks.is_empty() {
        errors.add("tasks", pm::ISSUE_NEEDS_TASKS);
    }
    if !errors.is_empty() {
        let refs = crate::store::plans::references(&state.db, id).await?;
        let deadlines = crate::store::plans::report_deadlines(&state.db, id).await?;
        let f = PlanForm::of(&plan, &refs, &deadlines);
        return render_invalid(&form_page(&state, &user, &plan, f, errors, msg::FORM_HAS_ERRORS.into()).await?);
    }
    let mut tx = state.db.begin().await?;
    crate::store::plans::set_status(&mut tx, id, PlanStatus::Issued.as_str()).await?;
    crate::store::plans::link_references(&mut tx, id).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "issue", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Ban hành kế hoạch số {} “{}”", plan.number.clone().unwrap_or_default(), plan.title),
        before: Some(json!({"status": plan.status})), after: Some(json!({"status": "issued"})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/ke-hoach/{id}?tb=plan_issued")).into_response())
}

/// `POST /ke-hoach/{id}/ket-thuc`.
pub async fn close(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = editable_plan(&state, &user, id).await?;
    if plan.status != "issued" {
        return Err(AppError::BadRequest(pm::NOT_ISSUED.into()));
    }
    let mut tx = state.db.begin().await?;
    crate::store::plans::set_status(&mut tx, id, PlanStatus::Closed.as_str()).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "close", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Kết thúc kế hoạch “{}”", plan.title),
        before: Some(json!({"status": plan.status})), after: Some(json!({"status": "closed"})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/ke-hoach/{id}?tb=plan_closed")).into_response())
}

/// `POST /ke-hoach/{id}/xoa`: deletes a draft.
pub async fn delete(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = editable_plan(&state, &user, id).await?;
    if plan.status != "draft" {
        return Err(AppError::BadRequest(pm::ONLY_DRAFT_DELETE.into()));
    }
    let mut tx = state.db.begin().await?;
    crate::store::plans::delete_draft(&mut tx, id).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "delete", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Xóa dự thảo kế hoạch “{}”", plan.title), before: Some(json!(plan)), after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/ke-hoach?tb=plan_deleted").into_response())
}

// ---------------------------------------------------------------------------------------------
// Plan page

/// A lower unit's implementing plan, or its absence.
pub struct ImplementingRow {
    pub unit: String,
    pub plan_id: Option<i64>,
    pub plan_title: String,
    pub issued: String,
    pub state: &'static str,
    pub state_label: &'static str,
}

#[derive(Template)]
#[template(path = "plans/show.html")]
struct ShowPage {
    l: Layout,
    p: PlanRow,
    plan: Plan,
    references: Vec<crate::store::plans::Reference>,
    deadlines: Vec<(String, String)>,
    tasks: Vec<TaskLine>,
    parent: Option<PlanRow>,
    implementing: Vec<ImplementingRow>,
    implementing_summary: String,
    impl_deadline: String,
    can_edit: bool,
    can_implement: bool,
    can_remind: bool,
}

/// Which lower units are expected to issue an implementing plan, and what they have done.
pub async fn implementing_rows(state: &AppState, plan: &Plan) -> AppResult<Vec<ImplementingRow>> {
    let children = crate::store::plans::implementing(&state.db, plan.id).await?;
    let mut rows: Vec<ImplementingRow> = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    let make = |unit: String, p: Option<&Plan>| {
        let st = ImplementingState::of(
            p.filter(|p| p.status != "draft").map(|p| p.issued_on.unwrap_or_else(|| p.issued_at.map(|t| t.date_naive()).unwrap_or_else(today))),
            p.is_some_and(|p| p.status == "draft"),
            plan.implementing_deadline,
        );
        ImplementingRow {
            unit,
            plan_id: p.map(|p| p.id),
            plan_title: p.map(|p| p.title.clone()).unwrap_or_default(),
            issued: p.map(|p| fmt_date(p.issued_on)).unwrap_or_default(),
            state: st.as_str(),
            state_label: st.label(),
        }
    };
    if plan.cascade_level == "commune" {
        let day = today();
        let lower = kernel::db::units::list(&state.db, &kernel::db::units::UnitFilter {
            level: Some(kernel::unit::UnitLevel::Commune),
            valid_on: Some(day),
            parent_id: Some(plan.unit_id),
            query: None,
            limit: 5000,
            offset: 0,
        }).await?;
        for u in lower.iter().filter(|u| u.id != plan.unit_id) {
            let mine: Vec<&Plan> = children.iter().filter(|c| c.unit_id == u.id && c.agency_id.is_none()).collect();
            let best = mine.iter().find(|c| c.status != "draft").or(mine.first()).copied();
            seen.extend(mine.iter().map(|c| c.id));
            rows.push(make(u.name.clone(), best));
        }
    }
    for c in children.iter().filter(|c| !seen.contains(&c.id)) {
        rows.push(make(c.agency_name.clone().unwrap_or_else(|| c.unit_name.clone()), Some(c)));
    }
    Ok(rows)
}

/// `GET /ke-hoach/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    let references = crate::store::plans::references(&state.db, id).await?;
    let deadlines = crate::store::plans::report_deadlines(&state.db, id).await?
        .into_iter().map(|d| (text_vi::format_date(d.due_on), d.text)).collect();
    let parent = match plan.parent_plan_id {
        Some(pid) => match service::visible_plan(&state.db, user.principal(), pid).await {
            Ok(p) => Some(plan_row(&p)),
            Err(_) => None,
        },
        None => None,
    };
    let implementing = implementing_rows(&state, &plan).await?;
    let done = implementing.iter().filter(|r| matches!(r.state, "on_time" | "late")).count();
    let implementing_summary = if implementing.is_empty() { String::new() } else {
        format!("{} / {} đơn vị đã ban hành kế hoạch thực hiện", text_vi::format_int(done as i64), text_vi::format_int(implementing.len() as i64))
    };
    let can_implement = plan.status == "issued"
        && ((user.role.allows(Action::ManagePlans) && user.account.unit_id != plan.unit_id && user.scope.unit_path.starts_with(&plan.unit_path))
            || (user.account.agency_id.is_some() && user.role.allows(Action::TrackTasks)));
    render(&ShowPage {
        l: Layout::for_user(&user, plan.title.clone(), "plans").with_flash_from(q.tb.as_deref(), crate::msg::flash),
        p: plan_row(&plan),
        tasks: task_lines(&state, &plan).await?,
        references,
        deadlines,
        parent,
        implementing,
        implementing_summary,
        impl_deadline: fmt_date(plan.implementing_deadline),
        can_edit: service::can_edit(user.principal(), &plan),
        can_remind: plan.status == "issued" && user.role.allows(Action::ManagePlans) && user.scope.contains(&plan.unit_path),
        can_implement,
        plan,
    })
}

// ---------------------------------------------------------------------------------------------
// Copy

#[derive(Deserialize, Default)]
pub struct CopyForm {
    #[serde(default)]
    year: String,
}

#[derive(Template)]
#[template(path = "plans/copy.html")]
struct CopyPage {
    l: Layout,
    p: PlanRow,
    year: String,
    error: String,
}

/// `GET /ke-hoach/{id}/sao-chep`.
pub async fn copy_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    if !user.scope.contains(&plan.unit_path) {
        return Err(AppError::NotFound);
    }
    let year = plan.year.map(|y| y + 1).unwrap_or_else(|| chrono::Datelike::year(&today()));
    render(&CopyPage { l: Layout::for_user(&user, "Sao chép kế hoạch", "plans"), p: plan_row(&plan), year: year.to_string(), error: String::new() })
}

/// `POST /ke-hoach/{id}/sao-chep`.
pub async fn copy_submit(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<CopyForm>) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    if !user.scope.contains(&plan.unit_path) {
        return Err(AppError::NotFound);
    }
    let year = match f.year.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            return render_invalid(&CopyPage { l: Layout::for_user(&user, "Sao chép kế hoạch", "plans"), p: plan_row(&plan), year: f.year, error: pm::YEAR_INVALID.into() });
        }
    };
    let new_id = service::copy_plan(&state.db, &meta.actor(&user), Some(user.account.id), &plan, year).await?;
    Ok(Redirect::to(&format!("/ke-hoach/{new_id}/sua?tb=plan_copied")).into_response())
}

// ---------------------------------------------------------------------------------------------
// Cascade: implementing plan of a lower unit or an agency

pub struct Choice {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub leads: String,
    pub coordinating: String,
    pub deadline: String,
    pub proposed: bool,
}

#[derive(Template)]
#[template(path = "plans/implement.html")]
struct ImplementPage {
    l: Layout,
    p: PlanRow,
    implementer: String,
    choices: Vec<Choice>,
    error: String,
    existing: Vec<PlanRow>,
}

async fn implementer_of(state: &AppState, user: &CurrentUser, plan: &Plan) -> AppResult<Implementer> {
    if plan.status != "issued" {
        return Err(AppError::BadRequest(pm::NOT_ISSUED.into()));
    }
    let unit = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    if user.role.allows(Action::ManagePlans) {
        if unit.id == plan.unit_id || !unit.path.starts_with(&plan.unit_path) {
            return Err(AppError::BadRequest(pm::NOT_LOWER_UNIT.into()));
        }
        return Ok(Implementer { unit, agency: None });
    }
    match user.account.agency_id {
        Some(a) if user.role.allows(Action::TrackTasks) => {
            let agency = kernel::db::agencies::get(&state.db, a).await?;
            let unit = kernel::db::units::get(&state.db, agency.unit_id).await?;
            Ok(Implementer { unit, agency: Some(agency) })
        }
        _ => Err(AppError::Forbidden),
    }
}

async fn choices(state: &AppState, plan: &Plan, who: &Implementer, resolver: &service::Resolver) -> AppResult<Vec<Choice>> {
    let tasks = crate::store::tasks::for_plan(&state.db, plan.id).await?;
    let agencies = crate::store::tasks::agencies_for_plan(&state.db, plan.id).await?;
    let own: HashSet<i64> = kernel::db::agencies::list(&state.db, &who.unit.path, &who.unit.path, Some(who.unit.id), None, 500, 0)
        .await?.into_iter().map(|a| a.id).collect();
    Ok(tasks.iter().map(|t| {
        let mine: Vec<&TaskAgency> = agencies.iter().filter(|a| a.task_id == t.id).collect();
        let join = |role: &str| mine.iter().filter(|a| a.role == role).map(|a| a.display()).collect::<Vec<_>>().join("; ");
        Choice {
            id: t.id,
            path: t.path.clone(),
            title: t.title.clone(),
            leads: join("lead"),
            coordinating: join("coordinating"),
            deadline: fmt_date(t.deadline),
            proposed: service::proposed(who, &mine, resolver.catalogue(), &own),
        }
    }).collect())
}

fn implementer_name(who: &Implementer) -> String {
    who.agency.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| who.unit.name.clone())
}

/// `GET /ke-hoach/{id}/trien-khai`: the tasks of the higher plan, those the implementer leads
/// or coordinates ticked.
pub async fn implement_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    let who = implementer_of(&state, &user, &plan).await?;
    let resolver = service::Resolver::load(&state.db).await?;
    let existing = crate::store::plans::implementing(&state.db, id).await?.iter()
        .filter(|p| p.unit_id == who.unit.id && p.agency_id == who.agency.as_ref().map(|a| a.id)).map(plan_row).collect();
    render(&ImplementPage {
        l: Layout::for_user(&user, "Xây dựng kế hoạch thực hiện", "plans"),
        p: plan_row(&plan),
        implementer: implementer_name(&who),
        choices: choices(&state, &plan, &who, &resolver).await?,
        error: String::new(),
        existing,
    })
}

/// `POST /ke-hoach/{id}/trien-khai` with `task=ID` repeated.
pub async fn implement_submit(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, axum_extra::extract::Form(f): axum_extra::extract::Form<ImplementForm>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    let who = implementer_of(&state, &user, &plan).await?;
    let valid: HashSet<i64> = crate::store::tasks::for_plan(&state.db, id).await?.iter().map(|t| t.id).collect();
    let chosen: Vec<i64> = f.task.iter().filter_map(|s| s.parse::<i64>().ok()).filter(|t| valid.contains(t)).collect();
    if chosen.is_empty() {
        let resolver = service::Resolver::load(&state.db).await?;
        return render_invalid(&ImplementPage {
            l: Layout::for_user(&user, "Xây dựng kế hoạch thực hiện", "plans"),
            p: plan_row(&plan),
            implementer: implementer_name(&who),
            choices: choices(&state, &plan, &who, &resolver).await?.into_iter().map(|mut c| { c.proposed = false; c }).collect(),
            error: pm::NO_TASK_CHOSEN.into(),
            existing: Vec::new(),
        });
    }
    let new_id = service::create_implementing(&state.db, &meta.actor(&user), Some(user.account.id), &plan, &who, &chosen).await?;
    Ok(Redirect::to(&format!("/ke-hoach/{new_id}/sua?tb=implementing_created")).into_response())
}

#[derive(Deserialize, Default)]
pub struct ImplementForm {
    #[serde(default)]
    task: Vec<String>,
}

/// Right of the account on a task of this plan, for templates.
pub fn right_label(r: TrackRight) -> &'static str {
    match r {
        TrackRight::Full => "full",
        TrackRight::Contribute => "contribute",
        TrackRight::None => "none",
    }
}
