//! Tasks of plans (nhiệm vụ): their agencies, status, and the history of every change
//! (progress notes with figures, contributions of coordinating agencies, evidence, edits).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use crate::store::plans::{TaskAgencyInput, TaskInput};
use kernel::{Db, DbError, DbResult, Tx, exec, now, with_db, with_tx};

macro_rules! task_cols {
    () => {
        "t.id, t.plan_id, t.position, t.path, t.title, t.description, t.form, t.products, t.funding, t.timeframe,
         t.deadline, t.recurrence, t.window_from, t.window_to, t.parent_task_id, t.status, t.progress,
         t.completed_on, t.updated_at, p.title AS plan_title, p.status AS plan_status, p.unit_id AS plan_unit_id,
         u.name AS plan_unit_name, u.path AS plan_unit_path"
    };
}
macro_rules! task_from {
    () => {
        " FROM tasks t JOIN plans p ON p.id = t.plan_id JOIN units u ON u.id = p.unit_id "
    };
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Task {
    pub id: i64,
    pub plan_id: i64,
    pub position: i32,
    pub path: String,
    pub title: String,
    pub description: String,
    pub form: Option<String>,
    pub products: Option<String>,
    pub funding: Option<String>,
    pub timeframe: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub recurrence: Option<String>,
    pub window_from: Option<NaiveDate>,
    pub window_to: Option<NaiveDate>,
    pub parent_task_id: Option<i64>,
    pub status: String,
    pub progress: Option<i32>,
    pub completed_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
    pub plan_title: String,
    pub plan_status: String,
    pub plan_unit_id: i64,
    pub plan_unit_name: String,
    #[serde(skip)]
    pub plan_unit_path: String,
}

/// A lead or coordinating agency of a task, matched or as written.
#[derive(Clone, Debug, FromRow, Serialize, PartialEq, Eq)]
pub struct TaskAgency {
    pub id: i64,
    pub task_id: i64,
    pub role: String,
    pub position: i32,
    pub written: String,
    pub match_key: Option<String>,
    pub agency_id: Option<i64>,
    pub agency_name: Option<String>,
}

impl TaskAgency {
    /// The name to show: the matched agency's, or the text as written.
    pub fn display(&self) -> &str {
        self.agency_name.as_deref().unwrap_or(&self.written)
    }
}

pub async fn get(db: &Db, id: i64) -> DbResult<Task> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", task_cols!(), task_from!(), "WHERE t.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

pub async fn for_plan(db: &Db, plan_id: i64) -> DbResult<Vec<Task>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", task_cols!(), task_from!(), "WHERE t.plan_id = $1 ORDER BY t.position, t.id"))
        .bind(plan_id).fetch_all(p).await)?)
}

/// Tasks that implement `parent_task_id` in lower plans.
pub async fn children(db: &Db, parent_task_id: i64) -> DbResult<Vec<Task>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", task_cols!(), task_from!(),
        "WHERE t.parent_task_id = $1 ORDER BY u.name COLLATE vi, t.id"))
        .bind(parent_task_id).fetch_all(p).await)?)
}

/// Status and progress of the children of every task of `plan_id`, keyed by parent task.
pub async fn children_status_for_plan(db: &Db, plan_id: i64) -> DbResult<HashMap<i64, Vec<(String, Option<i32>)>>> {
    let rows: Vec<(i64, String, Option<i32>)> = with_db!(db, p => sqlx::query_as(
        "SELECT c.parent_task_id, c.status, c.progress FROM tasks c JOIN tasks t ON t.id = c.parent_task_id
         JOIN plans cp ON cp.id = c.plan_id
         WHERE t.plan_id = $1 AND cp.status <> 'draft'")
        .bind(plan_id).fetch_all(p).await)?;
    let mut map: HashMap<i64, Vec<(String, Option<i32>)>> = HashMap::new();
    for (parent, status, progress) in rows {
        map.entry(parent).or_default().push((status, progress));
    }
    Ok(map)
}

pub async fn agencies_for_plan(db: &Db, plan_id: i64) -> DbResult<Vec<TaskAgency>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT a.id, a.task_id, a.role, a.position, a.written, a.match_key, a.agency_id, g.name AS agency_name
         FROM task_agencies a JOIN tasks t ON t.id = a.task_id LEFT JOIN agencies g ON g.id = a.agency_id
         WHERE t.plan_id = $1 ORDER BY a.task_id, a.role DESC, a.position")
        .bind(plan_id).fetch_all(p).await)?)
}

pub async fn agencies(db: &Db, task_id: i64) -> DbResult<Vec<TaskAgency>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT a.id, a.task_id, a.role, a.position, a.written, a.match_key, a.agency_id, g.name AS agency_name
         FROM task_agencies a LEFT JOIN agencies g ON g.id = a.agency_id
         WHERE a.task_id = $1 ORDER BY a.role DESC, a.position")
        .bind(task_id).fetch_all(p).await)?)
}

pub async fn create(tx: &mut Tx, plan_id: i64, position: i32, t: &TaskInput) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO tasks (plan_id, position, path, title, title_key, description, form, products, funding, timeframe,
            deadline, recurrence, window_from, window_to, parent_task_id, status, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'not_started', $16) RETURNING id")
        .bind(plan_id).bind(position).bind(&t.path).bind(&t.title).bind(text_vi::fold(&t.title)).bind(&t.description)
        .bind(&t.form).bind(&t.products).bind(&t.funding).bind(&t.timeframe).bind(t.deadline).bind(&t.recurrence)
        .bind(t.window_from).bind(t.window_to).bind(t.parent_task_id).bind(now())
        .fetch_one(&mut *c).await)?;
    replace_agencies(tx, id, &t.agencies).await?;
    Ok(id)
}

/// Rewrites a task's fields (not its status) and agencies.
pub async fn update(tx: &mut Tx, id: i64, t: &TaskInput) -> DbResult<()> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE tasks SET path = $1, title = $2, title_key = $3, description = $4, form = $5, products = $6, funding = $7,
            timeframe = $8, deadline = $9, recurrence = $10, window_from = $11, window_to = $12, updated_at = $13 WHERE id = $14")
        .bind(&t.path).bind(&t.title).bind(text_vi::fold(&t.title)).bind(&t.description).bind(&t.form).bind(&t.products)
        .bind(&t.funding).bind(&t.timeframe).bind(t.deadline).bind(&t.recurrence).bind(t.window_from).bind(t.window_to)
        .bind(now()).bind(id)
        .execute(&mut *c).await)?;
    if n == 0 {
        return Err(DbError::NotFound);
    }
    replace_agencies(tx, id, &t.agencies).await
}

async fn replace_agencies(tx: &mut Tx, task_id: i64, agencies: &[TaskAgencyInput]) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM task_agencies WHERE task_id = $1").bind(task_id).execute(&mut *c).await)?;
    for (i, a) in agencies.iter().enumerate() {
        exec!(tx, c => sqlx::query(
            "INSERT INTO task_agencies (task_id, role, position, written, match_key, agency_id) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(task_id).bind(&a.role).bind(i as i32).bind(&a.written).bind(&a.match_key).bind(a.agency_id)
            .execute(&mut *c).await)?;
    }
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE tasks SET parent_task_id = NULL WHERE parent_task_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM reminders WHERE task_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM task_updates WHERE task_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM task_agencies WHERE task_id = $1").bind(id).execute(&mut *c).await)?;
    let n = exec!(tx, c => sqlx::query("DELETE FROM tasks WHERE id = $1").bind(id).execute(&mut *c).await)?;
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

pub async fn next_position(db: &Db, plan_id: i64) -> DbResult<i32> {
    let (n,): (Option<i32>,) = with_db!(db, p => sqlx::query_as("SELECT MAX(position) FROM tasks WHERE plan_id = $1")
        .bind(plan_id).fetch_one(p).await)?;
    Ok(n.map_or(0, |n| n + 1))
}

pub async fn set_status(tx: &mut Tx, id: i64, status: &str, progress: Option<i32>, completed_on: Option<NaiveDate>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE tasks SET status = $1, progress = $2, completed_on = $3, updated_at = $4 WHERE id = $5")
        .bind(status).bind(progress).bind(completed_on).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// One entry of a task's history.
#[derive(Clone, Debug, Default, Serialize)]
pub struct UpdateInput {
    pub task_id: i64,
    pub account_id: Option<i64>,
    pub agency_id: Option<i64>,
    /// "status", "note", "contribution", "evidence", "edit", "created".
    pub kind: String,
    pub status_from: Option<String>,
    pub status_to: Option<String>,
    pub progress: Option<i32>,
    pub note: Option<String>,
    pub sessions: Option<i64>,
    pub attendees: Option<i64>,
    pub materials: Option<i64>,
    pub file_id: Option<i64>,
    pub link: Option<String>,
    /// JSON of field changes for edits.
    pub changes: Option<String>,
}

pub async fn add_update(tx: &mut Tx, u: &UpdateInput) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO task_updates (task_id, at, account_id, agency_id, kind, status_from, status_to, progress, note,
            sessions, attendees, materials, file_id, link, changes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id")
        .bind(u.task_id).bind(now()).bind(u.account_id).bind(u.agency_id).bind(&u.kind).bind(&u.status_from)
        .bind(&u.status_to).bind(u.progress).bind(&u.note).bind(u.sessions).bind(u.attendees).bind(u.materials)
        .bind(u.file_id).bind(&u.link).bind(&u.changes)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Update {
    pub id: i64,
    pub task_id: i64,
    pub at: DateTime<Utc>,
    pub account_id: Option<i64>,
    pub account_name: Option<String>,
    pub agency_id: Option<i64>,
    pub agency_name: Option<String>,
    pub kind: String,
    pub status_from: Option<String>,
    pub status_to: Option<String>,
    pub progress: Option<i32>,
    pub note: Option<String>,
    pub sessions: Option<i64>,
    pub attendees: Option<i64>,
    pub materials: Option<i64>,
    pub file_id: Option<i64>,
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
    pub link: Option<String>,
    pub changes: Option<String>,
}

pub async fn history(db: &Db, task_id: i64) -> DbResult<Vec<Update>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT h.id, h.task_id, h.at, h.account_id, a.full_name AS account_name, h.agency_id, g.name AS agency_name,
            h.kind, h.status_from, h.status_to, h.progress, h.note, h.sessions, h.attendees, h.materials,
            h.file_id, f.name AS file_name, f.size_bytes AS file_size, h.link, h.changes
         FROM task_updates h LEFT JOIN accounts a ON a.id = h.account_id LEFT JOIN agencies g ON g.id = h.agency_id
         LEFT JOIN files f ON f.id = h.file_id
         WHERE h.task_id = $1 ORDER BY h.at DESC, h.id DESC")
        .bind(task_id).fetch_all(p).await)?)
}

/// Sum of the figures reported on a task's notes (sessions, attendees, materials).
pub async fn totals(db: &Db, task_id: i64) -> DbResult<(i64, i64, i64)> {
    let (a, b, c): (Option<i64>, Option<i64>, Option<i64>) = with_db!(db, p => sqlx::query_as(
        "SELECT CAST(SUM(sessions) AS BIGINT), CAST(SUM(attendees) AS BIGINT), CAST(SUM(materials) AS BIGINT) FROM task_updates WHERE task_id = $1")
        .bind(task_id).fetch_one(p).await)?;
    Ok((a.unwrap_or(0), b.unwrap_or(0), c.unwrap_or(0)))
}

/// One row for dashboards and the task table.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct DashRow {
    pub id: i64,
    pub plan_id: i64,
    pub plan_title: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub path: String,
    pub title: String,
    pub status: String,
    pub progress: Option<i32>,
    pub deadline: Option<NaiveDate>,
    pub window_from: Option<NaiveDate>,
    pub window_to: Option<NaiveDate>,
    pub timeframe: Option<String>,
    pub parent_task_id: Option<i64>,
}

/// Filter for the dashboard: tasks of issued (and closed, when asked) plans of units in
/// `scope_pattern`, or of one plan.
#[derive(Clone, Debug, Default)]
pub struct DashFilter {
    pub scope_pattern: String,
    pub plan_id: Option<i64>,
    pub year: Option<i32>,
    pub include_closed: bool,
    pub query: Option<String>,
}

pub async fn dashboard_rows(db: &Db, f: &DashFilter) -> DbResult<Vec<DashRow>> {
    let pattern = f.query.as_deref().filter(|q| !q.trim().is_empty()).map(kernel::like_contains);
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT t.id, t.plan_id, p.title AS plan_title, p.unit_id, u.name AS unit_name, t.path, t.title, t.status, t.progress,
            t.deadline, t.window_from, t.window_to, t.timeframe, t.parent_task_id
         FROM tasks t JOIN plans p ON p.id = t.plan_id JOIN units u ON u.id = p.unit_id
         WHERE u.path LIKE $1 AND (p.status = 'issued' OR ($2 AND p.status = 'closed'))
           AND ($3 IS NULL OR t.plan_id = $3) AND ($4 IS NULL OR p.year = $4)
           AND ($5 IS NULL OR t.title_key LIKE $5 ESCAPE '\\')
         ORDER BY t.plan_id, t.position")
        .bind(&f.scope_pattern).bind(f.include_closed).bind(f.plan_id).bind(f.year).bind(pattern)
        .fetch_all(p).await)?)
}

/// Lead agency names per task for the dashboard rows (matched name or as written).
pub async fn leads_for(db: &Db, f: &DashFilter) -> DbResult<HashMap<i64, Vec<(String, Option<i64>)>>> {
    let rows: Vec<(i64, String, Option<String>, Option<i64>)> = with_db!(db, p => sqlx::query_as(
        "SELECT a.task_id, a.written, g.name, a.agency_id FROM task_agencies a JOIN tasks t ON t.id = a.task_id
         JOIN plans p ON p.id = t.plan_id JOIN units u ON u.id = p.unit_id LEFT JOIN agencies g ON g.id = a.agency_id
         WHERE a.role = 'lead' AND u.path LIKE $1 AND (p.status = 'issued' OR ($2 AND p.status = 'closed'))
           AND ($3 IS NULL OR t.plan_id = $3) AND ($4 IS NULL OR p.year = $4)
         ORDER BY a.task_id, a.position")
        .bind(&f.scope_pattern).bind(f.include_closed).bind(f.plan_id).bind(f.year)
        .fetch_all(p).await)?;
    let mut map: HashMap<i64, Vec<(String, Option<i64>)>> = HashMap::new();
    for (task, written, name, agency_id) in rows {
        map.entry(task).or_default().push((name.unwrap_or(written), agency_id));
    }
    Ok(map)
}

/// Open tasks of issued plans with a deadline, for the reminder job.
#[derive(Clone, Debug, FromRow)]
pub struct OpenTask {
    pub id: i64,
    pub plan_id: i64,
    pub plan_title: String,
    pub plan_unit_id: i64,
    pub path: String,
    pub title: String,
    pub deadline: NaiveDate,
    pub days_before: Option<i32>,
}

pub async fn open_with_deadline(db: &Db, until: NaiveDate) -> DbResult<Vec<OpenTask>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT t.id, t.plan_id, p.title AS plan_title, p.unit_id AS plan_unit_id, t.path, t.title, t.deadline, s.days_before
         FROM tasks t JOIN plans p ON p.id = t.plan_id LEFT JOIN unit_reminder_settings s ON s.unit_id = p.unit_id
         WHERE p.status = 'issued' AND t.status <> 'done' AND t.deadline IS NOT NULL AND t.deadline <= $1
         ORDER BY t.deadline, t.id")
        .bind(until).fetch_all(p).await)?)
}

/// Lead agency ids of a set of tasks.
pub async fn lead_agency_ids(db: &Db, task_id: i64) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT agency_id FROM task_agencies WHERE task_id = $1 AND role = 'lead' AND agency_id IS NOT NULL")
        .bind(task_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Figures recorded on task results (sessions, attendees, materials) between two dates, for
/// plans of `unit_id` (and of `agency_id` when given): what a report can be prefilled with.
pub async fn task_figures(
    db: &Db,
    unit_id: i64,
    agency_id: Option<i64>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DbResult<(i64, i64, i64)> {
    let row: (Option<i64>, Option<i64>, Option<i64>) = with_db!(db, p => sqlx::query_as(
        "SELECT CAST(SUM(tu.sessions) AS BIGINT), CAST(SUM(tu.attendees) AS BIGINT), CAST(SUM(tu.materials) AS BIGINT)
         FROM task_updates tu JOIN tasks t ON t.id = tu.task_id JOIN plans p ON p.id = t.plan_id
         WHERE p.unit_id = $1 AND (($2 IS NULL AND p.agency_id IS NULL) OR p.agency_id = $2) AND p.status <> 'draft'
           AND tu.at >= $3 AND tu.at < $4")
        .bind(unit_id).bind(agency_id).bind(from).bind(to).fetch_one(p).await)?;
    Ok((row.0.unwrap_or(0), row.1.unwrap_or(0), row.2.unwrap_or(0)))
}

/// [`task_figures`] as the kernel's `TaskFigures` port, registered by the server for `reports`.
pub fn task_figures_port<'a>(
    db: &'a Db,
    unit_id: i64,
    agency_id: Option<i64>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> kernel::registry::BoxFuture<'a, DbResult<(i64, i64, i64)>> {
    Box::pin(task_figures(db, unit_id, agency_id, from, to))
}

/// The kernel's `KnownFigures` port for `legal_access`: `plans.issued` is the number of plans
/// the commune issued for the assessment year (yes when at least one), linked to the latest.
pub fn known_figures_port<'a>(
    db: &'a Db,
    unit_id: i64,
    year: i32,
    key: &'a str,
) -> kernel::registry::BoxFuture<'a, DbResult<Option<kernel::registry::KnownFigure>>> {
    Box::pin(async move {
        if key != "plans.issued" {
            return Ok(None);
        }
        let row: (i64, Option<i64>) = with_db!(db, p => sqlx::query_as(
            "SELECT COUNT(*), CAST(MAX(id) AS BIGINT) FROM plans WHERE unit_id = $1 AND year = $2 AND issued_at IS NOT NULL")
            .bind(unit_id).bind(i64::from(year)).fetch_one(p).await)?;
        Ok(Some(kernel::registry::KnownFigure {
            numerator: row.0,
            denominator: None,
            source: crate::msg::known_plans_issued(row.0),
            href: row.1.map(|id| format!("/ke-hoach/{id}")),
        }))
    })
}

/// Which tasks a unit (`$1`) and an agency (`$2`, may be NULL) answer for, so that a
/// dissemination session of theirs may be linked to them: tasks of the issued plans the unit
/// issued itself (not an agency's plan), and of the agency's issued plans, and issued tasks
/// that name the agency as lead or coordinating (it reports their results, see
/// `service::track_right`).
macro_rules! linkable_where {
    () => {
        "p.status = 'issued' AND ((p.unit_id = $1 AND p.agency_id IS NULL) OR p.agency_id = $2
           OR EXISTS (SELECT 1 FROM task_agencies a WHERE a.task_id = t.id AND a.agency_id = $2 AND a.role IN ('lead', 'coordinating')))"
    };
}

#[derive(FromRow)]
struct LinkRow {
    id: i64,
    path: String,
    title: String,
    plan_number: Option<String>,
    plan_title: String,
}

fn task_ref(r: &LinkRow) -> kernel::registry::PlanTaskRef {
    kernel::registry::PlanTaskRef {
        id: r.id,
        label: crate::msg::linkable_task_label(&r.path, &r.title, r.plan_number.as_deref(), &r.plan_title),
        href: format!("/nhiem-vu/{}", r.id),
    }
}

/// The tasks a unit (and agency) may link a dissemination session to, plan by plan in task order.
pub async fn linkable_tasks(db: &Db, unit_id: i64, agency_id: Option<i64>) -> DbResult<Vec<kernel::registry::PlanTaskRef>> {
    let rows: Vec<LinkRow> = with_db!(db, p => sqlx::query_as(concat!(
        "SELECT t.id, t.path, t.title, p.number AS plan_number, p.title AS plan_title FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE ",
        linkable_where!(), " ORDER BY p.id DESC, t.position, t.id"))
        .bind(unit_id).bind(agency_id).fetch_all(p).await)?;
    Ok(rows.iter().map(task_ref).collect())
}

/// One task and whether the unit (and agency) may link a session to it; `None` if there is no such task.
pub async fn linkable_task(db: &Db, task_id: i64, unit_id: i64, agency_id: Option<i64>) -> DbResult<Option<(kernel::registry::PlanTaskRef, bool)>> {
    let row: Option<LinkRow> = with_db!(db, p => sqlx::query_as(
        "SELECT t.id, t.path, t.title, p.number AS plan_number, p.title AS plan_title FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = $1")
        .bind(task_id).fetch_optional(p).await)?;
    let Some(row) = row else { return Ok(None) };
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(concat!(
        "SELECT COUNT(*) FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE ", linkable_where!(), " AND t.id = $3"))
        .bind(unit_id).bind(agency_id).bind(task_id).fetch_one(p).await)?;
    Ok(Some((task_ref(&row), n > 0)))
}

/// [`linkable_tasks`] as the kernel's `LinkableTasks` port, registered by the server for `disseminators`.
pub fn linkable_tasks_port(db: &Db, unit_id: i64, agency_id: Option<i64>) -> kernel::registry::BoxFuture<'_, DbResult<Vec<kernel::registry::PlanTaskRef>>> {
    Box::pin(linkable_tasks(db, unit_id, agency_id))
}

/// [`linkable_task`] as the kernel's `LinkableTask` port, registered by the server for `disseminators`.
pub fn linkable_task_port(
    db: &Db,
    task_id: i64,
    unit_id: i64,
    agency_id: Option<i64>,
) -> kernel::registry::BoxFuture<'_, DbResult<Option<(kernel::registry::PlanTaskRef, bool)>>> {
    Box::pin(linkable_task(db, task_id, unit_id, agency_id))
}
