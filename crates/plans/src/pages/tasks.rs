//! Tasks (nhiệm vụ): the task page with its tracking (status, progress notes with figures,
//! evidence files and links, contributions of coordinating agencies, full history), adding and
//! editing tasks of a plan, and downloading stored files.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use kernel::db::audit::{self, Entry};
use crate::store::plans::{Plan, TaskInput};
use crate::store::tasks::{Task, TaskAgency};
use kernel::account::Action;
use crate::msg as pm;
use kernel::msg;
use crate::rules::tracking::{TaskState, TaskStatus};
use serde::Deserialize;
use serde_json::json;

use super::plans::{AgencyChip, FlashQuery, PlanRow, chips, plan_row};
use kernel::page::read_upload;
use kernel::page::{FieldErrors, Layout, ReqMeta, clean, fmt_date, opt_clean, render, render_invalid, today};
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use crate::service::{self, TrackRight};
use kernel::state::AppState;

pub struct HistoryRow {
    pub at: String,
    pub who: String,
    pub kind: &'static str,
    pub text: String,
    pub figures: String,
    pub file_id: Option<i64>,
    pub file_name: String,
    pub file_size: String,
    pub link: String,
}

fn kind_label(k: &str) -> &'static str {
    match k {
        "status" => "Cập nhật tiến độ",
        "note" => "Ghi nhận kết quả",
        "contribution" => "Đóng góp của cơ quan phối hợp",
        "evidence" => "Minh chứng",
        "edit" => "Sửa nhiệm vụ",
        "created" => "Tạo nhiệm vụ",
        _ => "",
    }
}

fn history_row(u: &crate::store::tasks::Update) -> HistoryRow {
    let mut text = Vec::new();
    if let (Some(from), Some(to)) = (&u.status_from, &u.status_to)
        && from != to
    {
        text.push(format!("{} → {}", status_label(from), status_label(to)));
    } else if let Some(to) = &u.status_to {
        text.push(status_label(to).to_string());
    }
    if let Some(p) = u.progress {
        text.push(format!("tiến độ {p}%"));
    }
    if let Some(n) = &u.note {
        text.push(n.clone());
    }
    if let Some(c) = &u.changes {
        text.push(format!("Thay đổi: {c}"));
    }
    let mut figures = Vec::new();
    if let Some(n) = u.sessions {
        figures.push(format!("{} buổi/cuộc", text_vi::format_int(n)));
    }
    if let Some(n) = u.attendees {
        figures.push(format!("{} lượt người tham dự", text_vi::format_int(n)));
    }
    if let Some(n) = u.materials {
        figures.push(format!("{} tài liệu phát hành", text_vi::format_int(n)));
    }
    HistoryRow {
        at: text_vi::format_datetime(u.at),
        who: match (&u.account_name, &u.agency_name) {
            (Some(a), Some(g)) => format!("{a} ({g})"),
            (Some(a), None) => a.clone(),
            (None, Some(g)) => g.clone(),
            (None, None) => "Hệ thống".into(),
        },
        kind: kind_label(&u.kind),
        text: text.join(" · "),
        figures: figures.join(", "),
        file_id: u.file_id,
        file_name: u.file_name.clone().unwrap_or_default(),
        file_size: u.file_size.map(|s| format!("{} KB", text_vi::format_int((s + 1023) / 1024))).unwrap_or_default(),
        link: u.link.clone().unwrap_or_default(),
    }
}

pub fn status_label(s: &str) -> &'static str {
    TaskStatus::parse(s).map(|s| s.label()).unwrap_or("")
}

/// A dissemination session linked to the task, as its results list it.
pub struct SessionRow {
    pub href: String,
    pub day: String,
    pub unit: String,
    pub form: String,
    pub topic: String,
    pub attendees: String,
}

pub struct ChildRow {
    pub id: i64,
    pub unit: String,
    pub plan_id: i64,
    pub state: &'static str,
    pub state_label: &'static str,
    pub progress: u8,
}

#[derive(Deserialize, Default, Clone)]
pub struct UpdateForm {
    pub status: String,
    pub progress: String,
    pub note: String,
    pub sessions: String,
    pub attendees: String,
    pub materials: String,
    pub link: String,
}

#[derive(Template)]
#[template(path = "tasks/show.html")]
struct ShowPage {
    l: Layout,
    t: Task,
    p: PlanRow,
    leads: Vec<AgencyChip>,
    coordinating: Vec<AgencyChip>,
    deadline: String,
    window: String,
    recurrence: &'static str,
    state: &'static str,
    state_label: &'static str,
    progress: u8,
    rollup: Option<u8>,
    children: Vec<ChildRow>,
    parent: Option<(i64, String, String)>,
    totals: (String, String, String),
    /// Dissemination sessions linked to the task that the viewer may see, and their attendees.
    sessions: Vec<SessionRow>,
    sessions_attendees: String,
    history: Vec<HistoryRow>,
    right: &'static str,
    can_edit: bool,
    can_remind: bool,
    f: UpdateForm,
    errors: FieldErrors,
    statuses: Vec<(&'static str, &'static str)>,
    max_mb: String,
}

async fn show_page(state: &AppState, user: &CurrentUser, id: i64, f: Option<UpdateForm>, errors: FieldErrors) -> AppResult<ShowPage> {
    let (t, plan, agencies) = service::visible_task(&state.db, user.principal(), id).await?;
    let refs: Vec<&TaskAgency> = agencies.iter().collect();
    let day = today();
    let status = service::status_of(&t.status);
    let st = TaskState::of(status, t.deadline, day);
    let kids = crate::store::tasks::children(&state.db, id).await?;
    let children: Vec<ChildRow> = kids.iter().filter(|k| k.plan_status != "draft").map(|k| {
        let s = TaskState::of(service::status_of(&k.status), k.deadline, day);
        ChildRow {
            id: k.id,
            unit: k.plan_unit_name.clone(),
            plan_id: k.plan_id,
            state: s.as_str(),
            state_label: s.label(),
            progress: crate::rules::tracking::task_progress(service::status_of(&k.status), k.progress.map(i64::from)),
        }
    }).collect();
    let rollup = crate::rules::tracking::rollup(&children.iter().map(|c| c.progress).collect::<Vec<_>>());
    let parent = match t.parent_task_id {
        Some(pid) => match crate::store::tasks::get(&state.db, pid).await {
            Ok(pt) => Some((pt.id, pt.title.clone(), pt.plan_unit_name.clone())),
            Err(_) => None,
        },
        None => None,
    };
    let (s, a, m) = crate::store::tasks::totals(&state.db, id).await?;
    // Sessions come from `disseminators` through the kernel's port, filtered for the viewer.
    let linked = match state.registry.linked_sessions {
        Some(port) => port(&state.db, id, user.principal()).await?,
        None => Vec::new(),
    };
    let sessions_attendees = text_vi::format_int(linked.iter().map(|x| x.attendees).sum());
    let sessions: Vec<SessionRow> = linked
        .into_iter()
        .map(|x| SessionRow { href: x.href, day: text_vi::format_date(x.held_on), unit: x.unit_name, form: x.form, topic: x.topic, attendees: text_vi::format_int(x.attendees) })
        .collect();
    let history = crate::store::tasks::history(&state.db, id).await?.iter().map(history_row).collect();
    let right = service::track_right(user.principal(), &plan, &agencies);
    let f = f.unwrap_or_else(|| UpdateForm { status: t.status.clone(), progress: t.progress.map(|p| p.to_string()).unwrap_or_default(), ..UpdateForm::default() });
    Ok(ShowPage {
        l: Layout::for_user(user, t.title.clone(), "plans"),
        p: plan_row(&plan),
        leads: chips(&refs, "lead"),
        coordinating: chips(&refs, "coordinating"),
        deadline: fmt_date(t.deadline),
        window: match (t.window_from, t.window_to) {
            (Some(a), Some(b)) => format!("{} – {}", text_vi::format_date(a), text_vi::format_date(b)),
            _ => String::new(),
        },
        recurrence: t.recurrence.as_deref().map(service::recurrence_label).unwrap_or(""),
        state: st.as_str(),
        state_label: st.label(),
        progress: crate::rules::tracking::task_progress(status, t.progress.map(i64::from)),
        rollup,
        children,
        parent,
        totals: (text_vi::format_int(s), text_vi::format_int(a), text_vi::format_int(m)),
        sessions,
        sessions_attendees,
        history,
        right: super::plans::right_label(right),
        can_edit: service::can_edit(user.principal(), &plan),
        can_remind: plan.status == "issued" && user.role.allows(Action::ManagePlans) && user.scope.contains(&plan.unit_path) && st != TaskState::Done,
        f,
        errors,
        statuses: TaskStatus::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        max_mb: text_vi::format_decimal(state.config.limits.upload_bytes as f64 / (1024.0 * 1024.0), 0),
        t,
    })
}

/// `GET /nhiem-vu/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let mut page = show_page(&state, &user, id, None, FieldErrors::default()).await?;
    page.l = page.l.with_flash_from(q.tb.as_deref(), crate::msg::flash);
    render(&page)
}

/// Checks an evidence file by extension and by the structure of its content (see
/// `documents::sniff`); returns its content type.
pub fn evidence_type(name: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    documents::sniff::check_evidence(name, bytes).map_err(|e| match e {
        documents::sniff::Sniffed::UnknownType => pm::FILE_TYPE,
        documents::sniff::Sniffed::Mismatch => pm::FILE_CONTENT_MISMATCH,
    })
}

fn count_field(v: &str, field: &'static str, errors: &mut FieldErrors) -> Option<i64> {
    let v = v.trim().replace('.', "");
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (0..=1_000_000_000).contains(&n) => Some(n),
        _ => {
            errors.add(field, pm::NUMBER_INVALID);
            None
        }
    }
}

/// `POST /nhiem-vu/{id}/cap-nhat` (multipart): status and progress (lead), a note with figures,
/// an evidence file and a link; coordinating agencies record a contribution.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    meta: ReqMeta,
    Path(id): Path<i64>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    user.require(Action::TrackTasks)?;
    let (t, plan, agencies) = service::visible_task(&state.db, user.principal(), id).await?;
    let right = service::track_right(user.principal(), &plan, &agencies);
    if right == TrackRight::None {
        return Err(if plan.status != "issued" { AppError::BadRequest(pm::NOT_ISSUED.into()) } else { AppError::Forbidden });
    }
    let mp = mp.map_err(|_| AppError::BadRequest(msg::FORM_UNREADABLE.into()))?;
    let mut errors = FieldErrors::default();
    let up = match read_upload(mp, state.config.limits.upload_bytes).await {
        Ok(u) => u,
        Err(m) => {
            errors.add("file", m);
            Default::default()
        }
    };
    let g = |k: &str| up.fields.get(k).cloned().unwrap_or_default();
    let f = UpdateForm { status: g("status"), progress: g("progress"), note: g("note"), sessions: g("sessions"), attendees: g("attendees"), materials: g("materials"), link: g("link") };
    let old_status = service::status_of(&t.status);
    let new_status = if right == TrackRight::Full {
        match TaskStatus::parse(f.status.trim()) {
            Some(s) => s,
            None => {
                errors.add("status", pm::STATUS_INVALID);
                old_status
            }
        }
    } else {
        old_status
    };
    let progress = if right == TrackRight::Full && !f.progress.trim().is_empty() {
        match f.progress.trim().trim_end_matches('%').parse::<i32>() {
            Ok(p) if (0..=100).contains(&p) => Some(p),
            _ => {
                errors.add("progress", pm::PERCENT_INVALID);
                None
            }
        }
    } else if right == TrackRight::Full {
        None
    } else {
        t.progress
    };
    let note = opt_clean(&f.note);
    if note.as_ref().is_some_and(|n| n.chars().count() > 4000) {
        errors.add("note", msg::TOO_LONG);
    }
    let sessions = count_field(&f.sessions, "sessions", &mut errors);
    let attendees = count_field(&f.attendees, "attendees", &mut errors);
    let materials = count_field(&f.materials, "materials", &mut errors);
    let link = opt_clean(&f.link);
    if let Some(l) = &link
        && (!(l.starts_with("http://") || l.starts_with("https://")) || l.len() > 1000 || url::Url::parse(l).is_err())
    {
        errors.add("link", pm::LINK_INVALID);
    }
    let mut file: Option<(&'static str, String)> = None;
    if up.too_large {
        errors.add("file", format!("{} (tối đa {} MB)", msg::FILE_TOO_LARGE, text_vi::format_decimal(state.config.limits.upload_bytes as f64 / 1048576.0, 0)));
    } else if !up.bytes.is_empty() {
        match evidence_type(&up.file_name, &up.bytes) {
            Ok(ct) => file = Some((ct, up.file_name.clone())),
            Err(m) => errors.add("file", m),
        }
    }
    let status_changed = new_status != old_status || (right == TrackRight::Full && progress != t.progress);
    if errors.is_empty() && !status_changed && note.is_none() && sessions.is_none() && attendees.is_none() && materials.is_none() && link.is_none() && file.is_none() {
        errors.add("note", pm::UPDATE_EMPTY);
    }
    if !errors.is_empty() {
        return render_invalid(&show_page(&state, &user, id, Some(f), errors).await?);
    }
    let mut tx = state.db.begin().await?;
    let file_id = match &file {
        Some((ct, name)) => Some(kernel::db::files::store(&mut tx, name, ct, &up.bytes, plan.unit_id, Some(user.account.id)).await?),
        None => None,
    };
    if status_changed {
        let completed = (new_status == TaskStatus::Done).then(today);
        crate::store::tasks::set_status(&mut tx, id, new_status.as_str(), progress, completed).await?;
    }
    let kind = if right == TrackRight::Contribute { "contribution" } else if status_changed { "status" } else if file_id.is_some() && note.is_none() { "evidence" } else { "note" };
    crate::store::tasks::add_update(&mut tx, &crate::store::tasks::UpdateInput {
        task_id: id,
        account_id: Some(user.account.id),
        agency_id: user.account.agency_id,
        kind: kind.into(),
        status_from: status_changed.then(|| old_status.as_str().to_string()),
        status_to: status_changed.then(|| new_status.as_str().to_string()),
        progress: if status_changed { progress } else { None },
        note: note.clone(),
        sessions,
        attendees,
        materials,
        file_id,
        link: link.clone(),
        changes: None,
    }).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "track", entity: "task", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("{}: {}", kind_label(kind), t.title.chars().take(120).collect::<String>()),
        before: Some(json!({"status": t.status, "progress": t.progress})),
        after: Some(json!({"status": new_status.as_str(), "progress": progress, "note": note, "sessions": sessions,
            "attendees": attendees, "materials": materials, "file_id": file_id, "link": link})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/nhiem-vu/{id}?tb=task_updated")).into_response())
}

// ---------------------------------------------------------------------------------------------
// Adding and editing tasks

#[derive(Deserialize, Default, Clone)]
pub struct TaskForm {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub lead: String,
    #[serde(default)]
    pub coordinating: String,
    #[serde(default)]
    pub timeframe: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub recurrence: String,
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    pub products: String,
    #[serde(default)]
    pub funding: String,
}

#[derive(Template)]
#[template(path = "tasks/form.html")]
struct FormPage {
    l: Layout,
    p: PlanRow,
    editing: Option<i64>,
    f: TaskForm,
    errors: FieldErrors,
    recurrences: Vec<(&'static str, &'static str)>,
    unmatched: Vec<String>,
}

fn recurrences() -> Vec<(&'static str, &'static str)> {
    service::RECURRENCES.iter().map(|r| (*r, service::recurrence_label(r))).collect()
}

async fn editable(state: &AppState, user: &CurrentUser, plan_id: i64) -> AppResult<Plan> {
    let plan = service::visible_plan(&state.db, user.principal(), plan_id).await?;
    if !service::can_edit(user.principal(), &plan) {
        return Err(AppError::Forbidden);
    }
    Ok(plan)
}

/// Checks a task form. The deadline typed wins; otherwise it is read from the timeframe text
/// with the plan's year, as on import.
fn check(f: &TaskForm, plan: &Plan, resolver: &service::Resolver, errors: &mut FieldErrors) -> Option<TaskInput> {
    let title = clean(&f.title);
    if title.is_empty() {
        errors.add("title", msg::REQUIRED);
    } else if title.chars().count() > 2000 {
        errors.add("title", msg::TOO_LONG);
    }
    let path = clean(&f.path);
    if path.chars().count() > 40 {
        errors.add("path", msg::TOO_LONG);
    }
    let timeframe = opt_clean(&f.timeframe);
    let parsed = timeframe.as_deref().map(|t| crate::rules::parse_timeframe(t, plan.year));
    let deadline = match f.deadline.trim() {
        "" => parsed.as_ref().and_then(|p| p.deadline),
        d => match text_vi::parse_date(d) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add("deadline", msg::INVALID_DATE);
                None
            }
        },
    };
    let recurrence = match f.recurrence.trim() {
        "" => parsed.as_ref().and_then(|p| p.recurrence).map(service::recurrence_str),
        r if service::RECURRENCES.contains(&r) => Some(r.to_string()),
        _ => {
            errors.add("recurrence", msg::KIND_INVALID);
            None
        }
    };
    for (field, v) in [("lead", &f.lead), ("coordinating", &f.coordinating), ("form", &f.form), ("products", &f.products), ("funding", &f.funding), ("timeframe", &f.timeframe)] {
        if v.chars().count() > 2000 {
            errors.add(field, msg::TOO_LONG);
        }
    }
    if f.description.chars().count() > 20_000 {
        errors.add("description", msg::TOO_LONG);
    }
    if !errors.is_empty() {
        return None;
    }
    let mut agencies = resolver.resolve_text("lead", &f.lead, &plan.unit_path);
    agencies.extend(resolver.resolve_text("coordinating", &f.coordinating, &plan.unit_path));
    Some(TaskInput {
        path,
        title,
        description: text_vi::nfc(f.description.trim()),
        form: opt_clean(&f.form),
        products: opt_clean(&f.products),
        funding: opt_clean(&f.funding),
        timeframe,
        deadline,
        recurrence,
        window_from: parsed.as_ref().and_then(|p| p.window.as_ref().map(|w| w.from)),
        window_to: parsed.as_ref().and_then(|p| p.window.as_ref().map(|w| w.to)),
        parent_task_id: None,
        agencies,
    })
}

/// `GET /ke-hoach/{id}/nhiem-vu/moi`.
pub async fn new_page(State(state): State<AppState>, user: CurrentUser, Path(plan_id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = editable(&state, &user, plan_id).await?;
    render(&FormPage { l: Layout::for_user(&user, "Thêm nhiệm vụ", "plans"), p: plan_row(&plan), editing: None, f: TaskForm::default(), errors: FieldErrors::default(), recurrences: recurrences(), unmatched: Vec::new() })
}

/// `POST /ke-hoach/{id}/nhiem-vu/moi`.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(plan_id): Path<i64>, Form(f): Form<TaskForm>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let plan = editable(&state, &user, plan_id).await?;
    let resolver = service::Resolver::load(&state.db).await?;
    let mut errors = FieldErrors::default();
    let Some(input) = check(&f, &plan, &resolver, &mut errors) else {
        return render_invalid(&FormPage { l: Layout::for_user(&user, "Thêm nhiệm vụ", "plans"), p: plan_row(&plan), editing: None, f, errors, recurrences: recurrences(), unmatched: Vec::new() });
    };
    let position = crate::store::tasks::next_position(&state.db, plan_id).await?;
    let mut tx = state.db.begin().await?;
    let id = crate::store::tasks::create(&mut tx, plan_id, position, &input).await?;
    crate::store::tasks::add_update(&mut tx, &crate::store::tasks::UpdateInput { task_id: id, account_id: Some(user.account.id), agency_id: user.account.agency_id, kind: "created".into(), ..Default::default() }).await?;
    crate::store::plans::touch(&mut tx, plan_id).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "create", entity: "task", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Thêm nhiệm vụ “{}” vào kế hoạch “{}”", input.title, plan.title), before: None, after: Some(json!(input)),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/ke-hoach/{plan_id}/sua?tb=task_saved#nv-{id}")).into_response())
}

fn form_of(t: &Task, agencies: &[TaskAgency]) -> TaskForm {
    let join = |role: &str| agencies.iter().filter(|a| a.role == role).map(|a| a.written.as_str()).collect::<Vec<_>>().join("; ");
    TaskForm {
        path: t.path.clone(),
        title: t.title.clone(),
        description: t.description.clone(),
        lead: join("lead"),
        coordinating: join("coordinating"),
        timeframe: t.timeframe.clone().unwrap_or_default(),
        deadline: fmt_date(t.deadline),
        recurrence: t.recurrence.clone().unwrap_or_default(),
        form: t.form.clone().unwrap_or_default(),
        products: t.products.clone().unwrap_or_default(),
        funding: t.funding.clone().unwrap_or_default(),
    }
}

/// `GET /nhiem-vu/{id}/sua`.
pub async fn edit_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let (t, plan, agencies) = service::visible_task(&state.db, user.principal(), id).await?;
    if !service::can_edit(user.principal(), &plan) {
        return Err(AppError::Forbidden);
    }
    let unmatched = agencies.iter().filter(|a| a.match_key.is_none()).map(|a| a.written.clone()).collect();
    render(&FormPage { l: Layout::for_user(&user, "Sửa nhiệm vụ", "plans"), p: plan_row(&plan), editing: Some(id), f: form_of(&t, &agencies), errors: FieldErrors::default(), recurrences: recurrences(), unmatched })
}

/// `POST /nhiem-vu/{id}/sua`.
pub async fn edit_submit(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<TaskForm>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let (t, plan, agencies) = service::visible_task(&state.db, user.principal(), id).await?;
    if !service::can_edit(user.principal(), &plan) {
        return Err(AppError::Forbidden);
    }
    let resolver = service::Resolver::load(&state.db).await?;
    let mut errors = FieldErrors::default();
    let Some(mut input) = check(&f, &plan, &resolver, &mut errors) else {
        return render_invalid(&FormPage { l: Layout::for_user(&user, "Sửa nhiệm vụ", "plans"), p: plan_row(&plan), editing: Some(id), f, errors, recurrences: recurrences(), unmatched: Vec::new() });
    };
    input.parent_task_id = t.parent_task_id;
    let before = form_of(&t, &agencies);
    let changes: HashMap<&str, (String, String)> = [
        ("Mục", &before.path, &f.path), ("Tên nhiệm vụ", &before.title, &f.title), ("Chủ trì", &before.lead, &f.lead),
        ("Phối hợp", &before.coordinating, &f.coordinating), ("Thời gian", &before.timeframe, &f.timeframe),
        ("Hạn", &before.deadline, &f.deadline), ("Sản phẩm", &before.products, &f.products), ("Hình thức", &before.form, &f.form),
    ].into_iter().filter(|(_, a, b)| clean(a) != clean(b)).map(|(k, a, b)| (k, (a.clone(), clean(b)))).collect();
    let mut tx = state.db.begin().await?;
    crate::store::tasks::update(&mut tx, id, &input).await?;
    if !changes.is_empty() {
        let text = changes.iter().map(|(k, (a, b))| format!("{k}: “{a}” → “{b}”")).collect::<Vec<_>>().join("; ");
        crate::store::tasks::add_update(&mut tx, &crate::store::tasks::UpdateInput { task_id: id, account_id: Some(user.account.id), agency_id: user.account.agency_id, kind: "edit".into(), changes: Some(text), ..Default::default() }).await?;
    }
    crate::store::plans::touch(&mut tx, plan.id).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "update", entity: "task", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Sửa nhiệm vụ “{}”", input.title), before: Some(json!(t)), after: Some(json!(input)),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/ke-hoach/{}/sua?tb=task_saved#nv-{id}", plan.id)).into_response())
}

/// `POST /nhiem-vu/{id}/xoa`: only tasks of draft plans; issued tasks keep their history.
pub async fn delete(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let (t, plan, _) = service::visible_task(&state.db, user.principal(), id).await?;
    if !service::can_edit(user.principal(), &plan) {
        return Err(AppError::Forbidden);
    }
    if plan.status != "draft" {
        return Err(AppError::BadRequest(pm::ONLY_DRAFT_DELETE.into()));
    }
    let mut tx = state.db.begin().await?;
    crate::store::tasks::delete(&mut tx, id).await?;
    crate::store::plans::touch(&mut tx, plan.id).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "delete", entity: "task", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Xóa nhiệm vụ “{}”", t.title), before: Some(json!(t)), after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/ke-hoach/{}/sua?tb=task_deleted", plan.id)).into_response())
}

/// `GET /tep/{id}`: a stored file, for those who may see a plan it belongs to.
pub async fn download(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let owners = crate::store::plans::file_owners(&state.db, id).await?;
    let mut allowed = false;
    for plan_id in owners {
        let plan = crate::store::plans::get(&state.db, plan_id).await?;
        if service::can_view(user.principal(), &plan) {
            allowed = true;
            break;
        }
    }
    if !allowed {
        return Err(AppError::NotFound);
    }
    let meta = kernel::db::files::meta(&state.db, id).await?;
    let data = kernel::db::files::data(&state.db, id).await?;
    let disposition = format!("attachment; filename=\"tep-{id}\"; filename*=UTF-8''{}", url::form_urlencoded::byte_serialize(meta.name.as_bytes()).collect::<String>().replace('+', "%20"));
    Ok((
        [(header::CONTENT_TYPE, meta.content_type.clone()), (header::CONTENT_DISPOSITION, disposition), (header::CACHE_CONTROL, "private, no-store".to_string())],
        data,
    ).into_response())
}
