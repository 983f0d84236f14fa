//! Dissemination sessions (buổi phổ biến pháp luật): the log with its period filter (the link
//! the report prefill points at), recording and editing a session, its evidence file.

use std::collections::BTreeSet;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use kernel::account::{Action, Role};
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, render, render_invalid, today};
use kernel::registry::PlanTaskRef;
use kernel::state::AppState;
use serde::Deserialize;

use super::{field, fmt_day, layout, read_checked, typed_date, typed_int, typed_text};
use crate::store::{ActivityInput, ActivityRow, PersonRow};
use crate::{msg, service, store};

#[derive(Deserialize, Default)]
pub struct LogQuery {
    #[serde(default)]
    pub tb: Option<String>,
    #[serde(default)]
    pub tu: Option<String>,
    #[serde(default)]
    pub den: Option<String>,
    #[serde(default, rename = "don-vi")]
    pub don_vi: Option<String>,
}

pub struct ActivityItem {
    pub href: String,
    pub day: String,
    pub unit: String,
    pub form: String,
    pub topic: String,
    pub attendees: String,
    pub materials: String,
}

#[derive(Template)]
#[template(path = "disseminators/activities.html")]
struct LogPage {
    l: Layout,
    items: Vec<ActivityItem>,
    tu: String,
    den: String,
    don_vi: String,
    errors: FieldErrors,
    total_sessions: String,
    total_attendance: String,
    total_materials: String,
    can_record: bool,
}

/// `GET /pho-bien/hoat-dong?tu=&den=&don-vi=`: sessions in a period (this year by default).
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<LogQuery>) -> AppResult<Response> {
    user.require(Action::ViewDisseminators)?;
    let day = today();
    let mut errors = FieldErrors::default();
    let from = typed_date(q.tu.as_deref().unwrap_or(""), "tu", false, &mut errors).unwrap_or_else(|| NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day));
    let to = typed_date(q.den.as_deref().unwrap_or(""), "den", false, &mut errors).unwrap_or(NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day));
    if to < from {
        errors.add("den", msg::PERIOD);
    }
    let mut like = user.scope.like_pattern();
    if let Some(unit_id) = q.don_vi.as_deref().and_then(|s| s.trim().parse::<i64>().ok())
        && let Ok(u) = kernel::db::units::get(&state.db, unit_id).await
        && user.scope.contains(&u.path)
    {
        like = format!("{}%", u.path);
    }
    let rows = service::activities_for(&state.db, &user.principal(), &like, from, to).await?;
    let cat = service::catalogue()?;
    let total_attendance: i64 = rows.iter().map(|r| r.attendees).sum();
    let total_materials: i64 = rows.iter().map(|r| r.materials).sum();
    render(&LogPage {
        l: layout(&user, "Buổi phổ biến pháp luật", q.tb.as_deref()),
        total_sessions: text_vi::format_int(rows.len() as i64),
        total_attendance: text_vi::format_int(total_attendance),
        total_materials: text_vi::format_int(total_materials),
        items: rows
            .iter()
            .map(|r| ActivityItem {
                href: format!("/pho-bien/hoat-dong/{}", r.id),
                day: fmt_day(r.held_on),
                unit: r.unit_name.clone(),
                form: cat.form_name(&r.form),
                topic: r.topic.clone(),
                attendees: text_vi::format_int(r.attendees),
                materials: text_vi::format_int(r.materials),
            })
            .collect(),
        tu: q.tu.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| fmt_day(from)),
        den: q.den.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| fmt_day(to)),
        don_vi: q.don_vi.clone().unwrap_or_default(),
        errors,
        can_record: user.role.allows(Action::RecordDisseminationActivities),
    })
}

// ---------------------------------------------------------------- the session form

/// A session as typed.
#[derive(Clone, Debug, Default)]
pub struct ActivityForm {
    pub held_on: String,
    pub form: String,
    pub topic: String,
    pub laws: String,
    pub place: String,
    pub attendees: String,
    pub materials: String,
    pub note: String,
    /// (code, typed attendees of the group).
    pub groups: Vec<(String, String)>,
    pub people: BTreeSet<i64>,
    /// The chosen plan task's id as typed (empty: none); checked by `service::chosen_task`.
    pub task_id: String,
}

pub struct FormChoice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct GroupField {
    pub id: String,
    pub label: String,
    pub value: String,
    pub error: String,
}

pub struct TaskChoice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct PersonChoice {
    pub id: i64,
    pub label: String,
    pub checked: bool,
}

impl ActivityForm {
    fn of(a: &ActivityRow, groups: &[(String, i64)], people: &[i64]) -> ActivityForm {
        ActivityForm {
            held_on: fmt_day(a.held_on),
            form: a.form.clone(),
            topic: a.topic.clone(),
            laws: a.laws.clone(),
            place: a.place.clone(),
            attendees: a.attendees.to_string(),
            materials: a.materials.to_string(),
            note: a.note.clone(),
            groups: groups.iter().map(|(g, n)| (g.clone(), n.to_string())).collect(),
            people: people.iter().copied().collect(),
            task_id: a.task_id.map(|t| t.to_string()).unwrap_or_default(),
        }
    }

    fn read(pairs: &[(String, String)]) -> AppResult<ActivityForm> {
        let cat = service::catalogue()?;
        Ok(ActivityForm {
            held_on: field(pairs, "held_on").into(),
            form: field(pairs, "form").into(),
            topic: field(pairs, "topic").into(),
            laws: field(pairs, "laws").into(),
            place: field(pairs, "place").into(),
            attendees: field(pairs, "attendees").into(),
            materials: field(pairs, "materials").into(),
            note: field(pairs, "note").into(),
            groups: cat.groups.groups.iter().map(|g| (g.code.clone(), field(pairs, &format!("g-{}", g.code)).to_string())).collect(),
            people: pairs.iter().filter(|(k, _)| k == "person").filter_map(|(_, v)| v.trim().parse().ok()).collect(),
            task_id: field(pairs, "task_id").into(),
        })
    }

    /// The input and the errors by field id; a group's error is keyed by its code in `group_errors`.
    /// The plan task is checked apart (`service::chosen_task`, through a port).
    pub(crate) fn check(&self, allowed: &[PersonRow], errors: &mut FieldErrors, group_errors: &mut Vec<(String, String)>) -> AppResult<ActivityInput> {
        let cat = service::catalogue()?;
        let held_on = typed_date(&self.held_on, "held_on", true, errors);
        if held_on.is_some_and(|d| d > today()) {
            errors.add("held_on", msg::DATE_FUTURE);
        }
        if cat.form(&self.form).is_none() {
            errors.add("form", msg::FORM_REQUIRED);
        }
        let topic = typed_text(&self.topic, "topic", 500, Some(msg::TOPIC_REQUIRED), errors);
        let laws = typed_text(&self.laws, "laws", 2000, None, errors);
        let place = typed_text(&self.place, "place", 300, None, errors);
        let attendees = typed_int(&self.attendees, "attendees", 0, 1_000_000, msg::ATTENDEES, errors);
        if attendees.is_none() && !errors.has("attendees") {
            errors.add("attendees", msg::ATTENDEES);
        }
        let materials = typed_int(&self.materials, "materials", 0, 10_000_000, msg::MATERIALS, errors).unwrap_or(0);
        let note = typed_text(&self.note, "note", 4000, None, errors);
        let mut groups = Vec::new();
        for (code, typed) in &self.groups {
            let t = typed.trim().replace('.', "");
            if t.is_empty() {
                continue;
            }
            match t.parse::<i64>() {
                Ok(n) if n >= 0 && attendees.is_none_or(|a| n <= a) => {
                    if n > 0 && cat.group(code).is_some() {
                        groups.push((code.clone(), n));
                    }
                }
                _ => group_errors.push((code.clone(), msg::GROUP_ATTENDEES.into())),
            }
        }
        let allowed_ids: BTreeSet<i64> = allowed.iter().map(|r| r.id).collect();
        if !self.people.is_subset(&allowed_ids) {
            errors.add("people", msg::PEOPLE_UNKNOWN);
        }
        Ok(ActivityInput {
            held_on,
            form: self.form.clone(),
            topic,
            laws,
            place,
            attendees: attendees.unwrap_or(0),
            materials,
            note,
            groups,
            people: self.people.iter().copied().collect(),
            task_id: None,
        })
    }
}

#[derive(Template)]
#[template(path = "disseminators/activity.html")]
struct ActivityPage {
    l: Layout,
    /// 0 for a new session.
    id: i64,
    action: String,
    editable: bool,
    summary: Vec<(String, String)>,
    evidence: String,
    forms: Vec<FormChoice>,
    group_fields: Vec<GroupField>,
    people: Vec<PersonChoice>,
    /// Whether the account chooses the plan task (see `service::links_tasks`), and the choices.
    links_tasks: bool,
    tasks: Vec<TaskChoice>,
    /// The plan task the session carries out, on a recorded session.
    task: Option<PlanTaskRef>,
    f: ActivityForm,
    errors: FieldErrors,
    file_error: String,
    is_reporter: bool,
}

fn build(user: &CurrentUser, id: i64, f: ActivityForm, allowed: &[PersonRow], tasks: &[PlanTaskRef], errors: FieldErrors, group_errors: &[(String, String)]) -> AppResult<ActivityPage> {
    let cat = service::catalogue()?;
    let forms = cat.forms.forms.iter().map(|c| FormChoice { value: c.code.clone(), label: c.name.clone(), selected: f.form == c.code }).collect();
    let group_fields = cat
        .groups
        .groups
        .iter()
        .map(|g| {
            GroupField {
                error: group_errors.iter().find(|(k, _)| *k == g.code).map(|(_, m)| m.clone()).unwrap_or_default(),
                value: f.groups.iter().find(|(c, _)| *c == g.code).map(|(_, v)| v.clone()).unwrap_or_default(),
                label: g.name.clone(),
                id: g.code.clone(),
            }
        })
        .collect();
    let people = allowed
        .iter()
        .map(|r| PersonChoice {
            id: r.id,
            label: format!("{} ({}, {})", r.full_name, crate::rules::kinds::Kind::parse(&r.kind).map(|k| k.label()).unwrap_or(""), r.unit_name),
            checked: f.people.contains(&r.id),
        })
        .collect();
    let tasks = tasks.iter().map(|t| TaskChoice { value: t.id.to_string(), label: t.label.clone(), selected: f.task_id.trim() == t.id.to_string() }).collect();
    let mut errors = errors;
    for (k, m) in group_errors {
        // The catalogue lives for the whole run, so its codes serve as the fields' ids.
        if let Some(g) = cat.group(k) {
            errors.add(g.code.as_str(), m.clone());
        }
    }
    Ok(ActivityPage {
        l: layout(user, if id == 0 { "Ghi nhận buổi phổ biến pháp luật".to_string() } else { "Buổi phổ biến pháp luật".to_string() }, None),
        id,
        action: if id == 0 { "/pho-bien/hoat-dong/moi".into() } else { format!("/pho-bien/hoat-dong/{id}") },
        editable: true,
        summary: Vec::new(),
        evidence: String::new(),
        forms,
        group_fields,
        people,
        links_tasks: service::links_tasks(&user.principal()),
        tasks,
        task: None,
        f,
        errors,
        file_error: String::new(),
        is_reporter: user.role == Role::Reporter,
    })
}

/// `GET /pho-bien/hoat-dong/moi`.
pub async fn new_page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let p = user.principal();
    let (unit_id, allowed) = service::session_setup(&state.db, &p, today()).await?;
    let tasks = service::task_choices(&state.db, &state.registry, &p, unit_id, None).await?;
    let mut f = ActivityForm { held_on: fmt_day(today()), materials: "0".into(), ..ActivityForm::default() };
    if user.role == Role::Reporter {
        f.people = allowed.iter().map(|r| r.id).collect();
    }
    render(&build(&user, 0, f, &allowed, &tasks, FieldErrors::default(), &[])?)
}

/// `POST /pho-bien/hoat-dong/moi`.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    let (unit_id, allowed) = service::session_setup(&state.db, &p, today()).await?;
    let mut f = ActivityForm::read(&pairs)?;
    if user.role == Role::Reporter {
        // A reporter records their own sessions: they are always among its people.
        f.people.extend(allowed.iter().map(|r| r.id));
    }
    let mut errors = FieldErrors::default();
    let mut group_errors = Vec::new();
    let mut input = f.check(&allowed, &mut errors, &mut group_errors)?;
    match service::chosen_task(&state.db, &state.registry, &p, unit_id, &f.task_id, None).await? {
        Ok(task) => input.task_id = task,
        Err(m) => errors.add("task_id", m),
    }
    if !errors.is_empty() || !group_errors.is_empty() {
        let tasks = service::task_choices(&state.db, &state.registry, &p, unit_id, None).await?;
        return render_invalid(&build(&user, 0, f, &allowed, &tasks, errors, &group_errors)?);
    }
    let id = service::create_activity(&state.db, &meta.actor(&user), &p, unit_id, &input).await?;
    Ok(Redirect::to(&format!("/pho-bien/hoat-dong/{id}?tb=activity_saved")).into_response())
}

/// What was typed in a refused edit: the form, its errors, and the errors of the group fields.
type Retry = (ActivityForm, FieldErrors, Vec<(String, String)>);

async fn show_page(state: &AppState, user: &CurrentUser, id: i64, retry: Option<Retry>, file_error: String) -> AppResult<ActivityPage> {
    let p = user.principal();
    let a = service::visible_activity(&state.db, &p, id).await?;
    let groups = store::activity_groups(&state.db, a.id).await?;
    let people_ids = store::activity_people(&state.db, a.id).await?;
    let editable = service::may_edit_activity(&p, &a);
    let cat = service::catalogue()?;
    let names: Vec<String> = {
        let mut v = Vec::new();
        for pid in &people_ids {
            if let Ok(r) = store::person(&state.db, *pid).await {
                v.push(r.full_name);
            }
        }
        v
    };
    let mut summary = vec![
        ("Ngày".to_string(), fmt_day(a.held_on)),
        ("Đơn vị".to_string(), a.unit_name.clone()),
        ("Hình thức".to_string(), cat.form_name(&a.form)),
        ("Chủ đề, nội dung".to_string(), a.topic.clone()),
        ("Văn bản pháp luật được phổ biến".to_string(), a.laws.clone()),
        ("Địa điểm".to_string(), a.place.clone()),
        ("Số người tham dự".to_string(), text_vi::format_int(a.attendees)),
        ("Số tài liệu phát ra".to_string(), text_vi::format_int(a.materials)),
        ("Người thực hiện".to_string(), names.join(", ")),
    ];
    for (g, n) in &groups {
        summary.push((cat.group(g).map(|c| c.short_name().to_string()).unwrap_or_else(|| g.clone()), text_vi::format_int(*n)));
    }
    if !a.note.is_empty() {
        summary.push(("Ghi chú".into(), a.note.clone()));
    }
    let allowed = if editable {
        // The people already named stay choosable even if they left service since.
        let (_, mut allowed) = service::session_setup(&state.db, &p, a.held_on.max(today())).await.unwrap_or((0, Vec::new()));
        for pid in &people_ids {
            if !allowed.iter().any(|r| r.id == *pid)
                && let Ok(r) = store::person(&state.db, *pid).await
            {
                allowed.push(r);
            }
        }
        allowed
    } else {
        Vec::new()
    };
    let tasks = if editable { service::task_choices(&state.db, &state.registry, &p, a.unit_id, a.task_id).await? } else { Vec::new() };
    let (f, errors, group_errors) = retry.unwrap_or_else(|| (ActivityForm::of(&a, &groups, &people_ids), FieldErrors::default(), Vec::new()));
    let mut page = build(user, a.id, f, &allowed, &tasks, errors, &group_errors)?;
    page.task = service::task_of(&state.db, &state.registry, &p, &a).await?;
    page.editable = editable;
    page.summary = summary.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    page.evidence = a.evidence_file_id.map(|f| format!("/pho-bien/tep/{f}")).unwrap_or_default();
    page.file_error = file_error;
    page.l = layout(user, format!("Buổi phổ biến pháp luật ngày {}", fmt_day(a.held_on)), None);
    Ok(page)
}

/// `GET /pho-bien/hoat-dong/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<super::FlashQuery>) -> AppResult<Response> {
    let mut page = show_page(&state, &user, id, None, String::new()).await?;
    page.l = page.l.with_flash_from(q.tb.as_deref(), msg::flash);
    render(&page)
}

async fn editable(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<ActivityRow> {
    user.require(Action::RecordDisseminationActivities)?;
    let a = service::visible_activity(&state.db, &user.principal(), id).await?;
    if !service::may_edit_activity(&user.principal(), &a) {
        return Err(AppError::Forbidden);
    }
    Ok(a)
}

/// `POST /pho-bien/hoat-dong/{id}`: saves an edited session.
pub async fn save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let a = editable(&state, &user, id).await?;
    let p = user.principal();
    let mut f = ActivityForm::read(&pairs)?;
    let (_, mut allowed) = service::session_setup(&state.db, &p, a.held_on.max(today())).await?;
    for pid in store::activity_people(&state.db, a.id).await? {
        if !allowed.iter().any(|r| r.id == pid)
            && let Ok(r) = store::person(&state.db, pid).await
        {
            allowed.push(r);
        }
    }
    if user.role == Role::Reporter {
        f.people.extend(service::own_people(&state.db, &p, today()).await?.iter().map(|r| r.id));
    }
    let mut errors = FieldErrors::default();
    let mut group_errors = Vec::new();
    let mut input = f.check(&allowed, &mut errors, &mut group_errors)?;
    match service::chosen_task(&state.db, &state.registry, &p, a.unit_id, &f.task_id, a.task_id).await? {
        Ok(task) => input.task_id = task,
        Err(m) => errors.add("task_id", m),
    }
    if !errors.is_empty() || !group_errors.is_empty() {
        return render_invalid(&show_page(&state, &user, id, Some((f, errors, group_errors)), String::new()).await?);
    }
    service::update_activity(&state.db, &meta.actor(&user), &p, &a, &input).await?;
    Ok(Redirect::to(&format!("/pho-bien/hoat-dong/{id}?tb=activity_saved")).into_response())
}

/// `POST /pho-bien/hoat-dong/{id}/minh-chung` (multipart): the session's evidence file.
pub async fn evidence(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> AppResult<Response> {
    let a = editable(&state, &user, id).await?;
    match read_checked(&state, mp).await {
        Ok((name, ct, bytes)) => {
            service::attach_evidence(&state.db, &meta.actor(&user), &user.principal(), &a, (&name, ct, &bytes)).await?;
            Ok(Redirect::to(&format!("/pho-bien/hoat-dong/{id}?tb=file_saved")).into_response())
        }
        Err(m) => render_invalid(&show_page(&state, &user, id, None, m).await?),
    }
}
