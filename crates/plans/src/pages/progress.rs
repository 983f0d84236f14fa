//! Dashboards (theo dõi tiến độ): for a plan and for a unit (its plans and those of its lower
//! units): tasks by state, overdue, due in the next 30 days, by lead agency, completion per
//! agency and per lower unit, a timeline and filters. Charts are server-rendered SVG. Also the
//! plan exports (DOCX in the Nghị định 30/2020 layout, XLSX task table).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use crate::store::plans::Plan;
use crate::store::tasks::{DashFilter, DashRow};
use kernel::account::Action;
use crate::rules::tracking::{self, TaskFact, TaskState, Tally};
use documents::svg::{Bar, Segment, Span};
use serde::Deserialize;

use kernel::page::{Layout, attachment, clean, fmt_date, render, today};
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use crate::service;
use kernel::state::AppState;

pub fn state_class(s: TaskState) -> &'static str {
    match s {
        TaskState::NotStarted => "st-todo",
        TaskState::InProgress => "st-progress",
        TaskState::Overdue => "st-overdue",
        TaskState::Done => "st-done",
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct DashQuery {
    #[serde(default)]
    pub nam: String,
    #[serde(default)]
    pub trang_thai: String,
    #[serde(default)]
    pub co_quan: String,
    #[serde(default)]
    pub q: String,
    /// "1": only tasks the account's agency leads (việc cơ quan tôi chủ trì).
    #[serde(default)]
    pub cua_toi: String,
}

pub struct Row {
    pub id: i64,
    pub plan_id: i64,
    pub plan_title: String,
    pub unit: String,
    pub path: String,
    pub title: String,
    pub leads: String,
    pub deadline: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub progress: u8,
}

pub struct TallyRow {
    pub label: String,
    pub total: String,
    pub done: String,
    pub overdue: String,
    pub in_progress: String,
    pub not_started: String,
    pub rate: u32,
    pub mean: u32,
}

fn tally_row(t: &Tally) -> TallyRow {
    TallyRow {
        label: t.label.clone(),
        total: text_vi::format_int(i64::from(t.total)),
        done: text_vi::format_int(i64::from(t.done)),
        overdue: text_vi::format_int(i64::from(t.overdue)),
        in_progress: text_vi::format_int(i64::from(t.in_progress)),
        not_started: text_vi::format_int(i64::from(t.not_started)),
        rate: t.completion_rate(),
        mean: t.mean_progress(),
    }
}

#[derive(Template)]
#[template(path = "progress/dashboard.html")]
pub struct DashboardPage {
    pub l: Layout,
    /// Whether the "only my agency's tasks" filter applies (accounts attached to an agency).
    pub has_agency: bool,
    pub heading: String,
    pub action: String,
    pub plan: Option<super::plans::PlanRow>,
    pub f: DashQuery,
    pub states: Vec<(&'static str, &'static str)>,
    pub agencies: Vec<String>,
    pub total: String,
    pub done: String,
    pub overdue: String,
    pub due_soon: String,
    pub rate: u32,
    pub status_svg: String,
    pub agency_svg: String,
    pub unit_svg: String,
    pub timeline_svg: String,
    pub by_agency: Vec<TallyRow>,
    pub by_unit: Vec<TallyRow>,
    pub overdue_rows: Vec<Row>,
    pub soon_rows: Vec<Row>,
    pub rows: Vec<Row>,
    pub more: usize,
}

/// Builds the dashboard over the rows that pass the filter. Pure apart from its inputs, so the
/// benchmark measures exactly what a page request does after its two queries.
#[allow(clippy::too_many_arguments)]
pub fn build(
    l: Layout,
    heading: String,
    action: String,
    plan: Option<super::plans::PlanRow>,
    f: DashQuery,
    rows: &[DashRow],
    leads: &HashMap<i64, Vec<(String, Option<i64>)>>,
    day: chrono::NaiveDate,
) -> DashboardPage {
    let want_state = TaskState::parse(f.trang_thai.trim());
    let want_agency = clean(&f.co_quan);
    let mut agencies: Vec<String> = leads.values().flatten().map(|(n, _)| n.clone()).collect();
    text_vi::sort(&mut agencies);
    agencies.dedup();
    let lead_names = |id: i64| leads.get(&id).map(|v| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()).unwrap_or_default();
    let mut facts = Vec::with_capacity(rows.len());
    let mut shown: Vec<Row> = Vec::new();
    for r in rows {
        let status = service::status_of(&r.status);
        let state = TaskState::of(status, r.deadline, day);
        let names = lead_names(r.id);
        if want_state.is_some_and(|w| w != state) || (!want_agency.is_empty() && !names.contains(&want_agency)) {
            continue;
        }
        let progress = tracking::task_progress(status, r.progress.map(i64::from));
        facts.push(TaskFact { status, deadline: r.deadline, progress, leads: names.clone(), unit: r.unit_name.clone() });
        shown.push(Row {
            id: r.id,
            plan_id: r.plan_id,
            plan_title: r.plan_title.clone(),
            unit: r.unit_name.clone(),
            path: r.path.clone(),
            title: r.title.clone(),
            leads: names.join("; "),
            deadline: fmt_date(r.deadline),
            state: state.as_str(),
            state_label: state.label(),
            progress,
        });
    }
    let s = tracking::summarize(&facts, day);
    let segments: Vec<Segment> = [
        (TaskState::Done, s.all.done),
        (TaskState::InProgress, s.all.in_progress),
        (TaskState::NotStarted, s.all.not_started),
        (TaskState::Overdue, s.all.overdue),
    ]
    .into_iter()
    .map(|(st, n)| Segment { label: st.label().into(), value: u64::from(n), class: state_class(st).into() })
    .collect();
    let rate_bars = |v: &[Tally]| -> Vec<Bar> {
        v.iter().take(30).map(|t| Bar {
            label: t.label.clone(),
            value: f64::from(t.completion_rate()),
            note: Some(format!("{}% ({}/{})", t.completion_rate(), t.done, t.total)),
        }).collect()
    };
    let mut by_rows: Vec<(usize, &Row)> = shown.iter().enumerate().filter(|(_, r)| r.state == "overdue").collect();
    by_rows.truncate(100);
    let overdue_rows: Vec<Row> = by_rows.iter().map(|(_, r)| clone_row(r)).collect();
    let soon_rows: Vec<Row> = rows
        .iter()
        .filter(|r| tracking::is_due_within(service::status_of(&r.status), r.deadline, day, tracking::DUE_SOON_DAYS))
        .filter_map(|r| shown.iter().find(|x| x.id == r.id))
        .take(100)
        .map(clone_row)
        .collect();
    // Timeline: tasks with a deadline or a window, at most 40, earliest first.
    let mut dated: Vec<&DashRow> = rows.iter().filter(|r| r.deadline.is_some() || r.window_to.is_some()).filter(|r| shown.iter().any(|x| x.id == r.id)).collect();
    dated.sort_by_key(|r| r.deadline.or(r.window_to));
    dated.truncate(40);
    let timeline_svg = match (dated.iter().filter_map(|r| r.window_from.or(r.deadline)).min(), dated.iter().filter_map(|r| r.deadline.or(r.window_to)).max()) {
        (Some(from), Some(to)) => {
            let from = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&from), chrono::Datelike::month(&from), 1).unwrap_or(from);
            let spans: Vec<Span> = dated.iter().map(|r| {
                let st = TaskState::of(service::status_of(&r.status), r.deadline, day);
                Span {
                    label: format!("{} {}", r.path, r.title),
                    start: r.window_from,
                    end: r.window_to.or(r.deadline).unwrap_or(to),
                    class: state_class(st).into(),
                }
            }).collect();
            documents::svg::timeline("Tiến độ theo thời gian", from, to.max(day.min(to + chrono::Duration::days(31))), day, &spans)
        }
        _ => documents::svg::timeline("Tiến độ theo thời gian", day, day, day, &[]),
    };
    let more = shown.len().saturating_sub(300);
    shown.truncate(300);
    DashboardPage {
        l,
        has_agency: false,
        heading,
        action,
        plan,
        f,
        states: TaskState::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        agencies,
        total: text_vi::format_int(i64::from(s.all.total)),
        done: text_vi::format_int(i64::from(s.all.done)),
        overdue: text_vi::format_int(i64::from(s.all.overdue)),
        due_soon: text_vi::format_int(i64::from(s.due_soon)),
        rate: s.all.completion_rate(),
        status_svg: documents::svg::stacked_bar("Nhiệm vụ theo trạng thái", &segments),
        agency_svg: documents::svg::bar_chart("Tỷ lệ hoàn thành theo cơ quan chủ trì (%)", &rate_bars(&s.by_agency), Some(100.0)),
        unit_svg: documents::svg::bar_chart("Tỷ lệ hoàn thành theo đơn vị (%)", &rate_bars(&s.by_unit), Some(100.0)),
        timeline_svg,
        by_agency: s.by_agency.iter().map(tally_row).collect(),
        by_unit: s.by_unit.iter().map(tally_row).collect(),
        overdue_rows,
        soon_rows,
        rows: shown,
        more,
    }
}

fn clone_row(r: &Row) -> Row {
    Row {
        id: r.id,
        plan_id: r.plan_id,
        plan_title: r.plan_title.clone(),
        unit: r.unit.clone(),
        path: r.path.clone(),
        title: r.title.clone(),
        leads: r.leads.clone(),
        deadline: r.deadline.clone(),
        state: r.state,
        state_label: r.state_label,
        progress: r.progress,
    }
}

/// `GET /tien-do`: the caller's unit and its lower units.
pub async fn unit_dashboard(State(state): State<AppState>, user: CurrentUser, Query(f): Query<DashQuery>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let filter = DashFilter {
        scope_pattern: user.scope.like_pattern(),
        plan_id: None,
        year: f.nam.trim().parse().ok(),
        include_closed: true,
        query: Some(clean(&f.q)),
    };
    let mut rows = crate::store::tasks::dashboard_rows(&state.db, &filter).await?;
    let leads = crate::store::tasks::leads_for(&state.db, &filter).await?;
    if f.cua_toi == "1" {
        let mine = user.account.agency_id;
        rows.retain(|r| mine.is_some() && leads.get(&r.id).is_some_and(|v| v.iter().any(|(_, a)| *a == mine)));
    }
    let heading = format!("Tiến độ thực hiện kế hoạch: {}", if user.scope.global { "toàn quốc".to_string() } else { user.account.unit_name.clone() });
    let mut page = build(Layout::for_user(&user, "Tiến độ", "progress"), heading, "/tien-do".into(), None, f, &rows, &leads, today());
    page.has_agency = user.account.agency_id.is_some();
    render(&page)
}

/// `GET /ke-hoach/{id}/tien-do`: one plan, with the tasks of the plans that implement it.
pub async fn plan_dashboard(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(f): Query<DashQuery>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    let filter = DashFilter { scope_pattern: "%".into(), plan_id: Some(id), year: None, include_closed: true, query: Some(clean(&f.q)) };
    let mut rows = crate::store::tasks::dashboard_rows(&state.db, &filter).await?;
    let mut leads = crate::store::tasks::leads_for(&state.db, &filter).await?;
    if plan.status == "draft" {
        // A draft's tasks are not tracked yet; show them anyway to the editors.
        let tasks = crate::store::tasks::for_plan(&state.db, id).await?;
        rows = tasks.iter().map(|t| DashRow {
            id: t.id, plan_id: t.plan_id, plan_title: t.plan_title.clone(), unit_id: t.plan_unit_id, unit_name: t.plan_unit_name.clone(),
            path: t.path.clone(), title: t.title.clone(), status: t.status.clone(), progress: t.progress, deadline: t.deadline,
            window_from: t.window_from, window_to: t.window_to, timeframe: t.timeframe.clone(), parent_task_id: t.parent_task_id,
        }).collect();
        for a in crate::store::tasks::agencies_for_plan(&state.db, id).await?.into_iter().filter(|a| a.role == "lead") {
            leads.entry(a.task_id).or_default().push((a.display().to_string(), a.agency_id));
        }
    }
    // Tasks of issued implementing plans, visible to the caller, count per lower unit.
    for child in crate::store::plans::implementing(&state.db, id).await? {
        if child.status == "draft" || !service::can_view(user.principal(), &child) {
            continue;
        }
        let cf = DashFilter { scope_pattern: "%".into(), plan_id: Some(child.id), year: None, include_closed: true, query: Some(clean(&f.q)) };
        rows.extend(crate::store::tasks::dashboard_rows(&state.db, &cf).await?);
        leads.extend(crate::store::tasks::leads_for(&state.db, &cf).await?);
    }
    render(&build(
        Layout::for_user(&user, format!("Tiến độ: {}", plan.title), "plans"),
        format!("Tiến độ kế hoạch: {}", plan.title),
        format!("/ke-hoach/{id}/tien-do"),
        Some(super::plans::plan_row(&plan)),
        f,
        &rows,
        &leads,
        today(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Exports

fn file_stem(plan: &Plan) -> String {
    let base = plan.number.clone().unwrap_or_else(|| format!("ke-hoach-{}", plan.id));
    text_vi::slug(&base)
}

/// The plan as an official document (Nghị định 30/2020/NĐ-CP layout): the stored plan read
/// back into the importer's structure, written by [`crate::rules::plan_document`] (the same
/// function the round-trip test exports the seed plans with).
pub async fn plan_document(state: &AppState, plan: &Plan) -> AppResult<documents::OfficialDoc> {
    let content = stored_plan(state, plan).await?;
    Ok(crate::rules::plan_document(&content, plan.parent_body.as_deref()))
}

/// A stored plan as a [`crate::rules::Plan`].
async fn stored_plan(state: &AppState, plan: &Plan) -> AppResult<crate::rules::Plan> {
    let db = &state.db;
    let refs = crate::store::plans::references(db, plan.id).await?;
    let sections = crate::store::plans::sections(db, plan.id).await?;
    let text = crate::store::plans::text(db, plan.id).await?;
    let tasks = crate::store::tasks::for_plan(db, plan.id).await?;
    let agencies = crate::store::tasks::agencies_for_plan(db, plan.id).await?;
    let deadlines = crate::store::plans::report_deadlines(db, plan.id).await?;
    let lines = |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect::<Vec<_>>();
    // As written in the plan (and as typed on the task form), not the catalogue's name.
    let names = |id: i64, role: &str| agencies.iter().filter(|a| a.task_id == id && a.role == role).map(|a| a.written.clone()).collect::<Vec<_>>();
    Ok(crate::rules::Plan {
        kind: Some("Kế hoạch".into()),
        issuer: Some(plan.issuer.clone().unwrap_or_else(|| plan.unit_name.clone())),
        number: plan.number.clone(),
        place: plan.place.clone(),
        date: plan.issued_on,
        signer: plan.signer.clone(),
        signer_authority: plan.signer_authority.clone(),
        signer_title: plan.signer_title.clone(),
        recipients: lines(&plan.recipients),
        title: Some(plan.title.clone()),
        period: plan.period.clone(),
        year: plan.year,
        implements: refs.into_iter().map(|r| r.text).collect(),
        preamble: lines(&text.preamble),
        sections: sections
            .into_iter()
            .map(|s| crate::rules::Section { body: lines(&s.body), path: s.path, marker: s.marker, heading: s.heading })
            .collect(),
        tasks: tasks
            .iter()
            .map(|t| crate::rules::Task {
                path: t.path.clone(),
                title: t.title.clone(),
                description: lines(&t.description),
                lead: names(t.id, "lead"),
                coordinating: names(t.id, "coordinating"),
                lead_matches: Vec::new(),
                coordinating_matches: Vec::new(),
                form: t.form.clone(),
                products: t.products.clone(),
                funding: t.funding.clone(),
                timeframe: t.timeframe.clone(),
                deadline: t.deadline,
                recurrence: None,
                window: None,
            })
            .collect(),
        report_deadlines: deadlines.into_iter().map(|d| crate::rules::ReportDeadline { date: d.due_on, text: d.text }).collect(),
        closing: lines(&text.closing),
    })
}

/// `GET /ke-hoach/{id}/tai-ve.docx`.
pub async fn export_docx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    let doc = plan_document(&state, &plan).await?;
    let bytes = tokio::task::spawn_blocking(move || documents::official_docx(&doc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &format!("{}.docx", file_stem(&plan)), bytes))
}

/// A missing font is the installation's to fix (503, with what to install); anything else is a
/// defect of ours.
fn pdf_error(e: documents::PdfError) -> AppError {
    match e {
        documents::PdfError::NoFont => AppError::Unavailable(e.to_string()),
        other => AppError::Internal(other.to_string()),
    }
}

/// `GET /ke-hoach/{id}/tai-ve.pdf`: the same document as the DOCX, typeset in-process.
pub async fn export_pdf(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    let doc = plan_document(&state, &plan).await?;
    let bytes = kernel::page::typeset(&state, move || documents::official_pdf(&doc).map_err(pdf_error)).await?;
    Ok(attachment("application/pdf", &format!("{}.pdf", file_stem(&plan)), bytes))
}

/// `GET /ke-hoach/{id}/nhiem-vu.xlsx`.
pub async fn export_xlsx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    let tasks = crate::store::tasks::for_plan(&state.db, id).await?;
    let agencies = crate::store::tasks::agencies_for_plan(&state.db, id).await?;
    let progress = service::progress_of_plan(&state.db, &tasks).await?;
    let mut rows = Vec::with_capacity(tasks.len());
    let day = today();
    for t in &tasks {
        let join = |role: &str| agencies.iter().filter(|a| a.task_id == t.id && a.role == role).map(|a| a.display().to_string()).collect::<Vec<_>>().join("; ");
        let (s, a, m) = crate::store::tasks::totals(&state.db, t.id).await?;
        let mut results = Vec::new();
        if s > 0 { results.push(format!("{} buổi/cuộc", text_vi::format_int(s))); }
        if a > 0 { results.push(format!("{} lượt người", text_vi::format_int(a))); }
        if m > 0 { results.push(format!("{} tài liệu", text_vi::format_int(m))); }
        let (own, rollup, _) = progress.get(&t.id).copied().unwrap_or((0, None, 0));
        rows.push(documents::TaskRow {
            path: t.path.clone(),
            title: t.title.clone(),
            lead: join("lead"),
            coordinating: join("coordinating"),
            timeframe: t.timeframe.clone().unwrap_or_default(),
            deadline: t.deadline,
            status: TaskState::of(service::status_of(&t.status), t.deadline, day).label().into(),
            progress: Some(i64::from(rollup.unwrap_or(own))),
            products: t.products.clone().unwrap_or_default(),
            results: results.join(", "),
            unit: plan.agency_name.clone().unwrap_or_else(|| plan.unit_name.clone()),
        });
    }
    let sheet = documents::TaskSheet { unit: plan.issuer.clone().unwrap_or_else(|| plan.unit_name.clone()), title: format!("Bảng theo dõi nhiệm vụ: {}", plan.title), generated_on: day, rows };
    let bytes = tokio::task::spawn_blocking(move || documents::task_table_xlsx(&sheet))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("{}-nhiem-vu.xlsx", file_stem(&plan)), bytes))
}
