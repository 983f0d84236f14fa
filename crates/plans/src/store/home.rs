//! The plans' queries for the home page: an account's tasks due or overdue, the plans a lower
//! unit still has to implement, and the counts at a glance.

use chrono::NaiveDate;
use sqlx::FromRow;

use kernel::{Db, DbResult, with_db};

/// An open task with a deadline on or before a day, of an issued plan.
#[derive(Clone, Debug, FromRow)]
pub struct DueTask {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub deadline: NaiveDate,
    pub plan_title: String,
    pub days_before: Option<i32>,
}

/// Open tasks due by `until` that an account answers for: the tasks its agency leads (when
/// `agency_id` is set), otherwise the tasks of its own unit's plans.
pub async fn due_tasks(db: &Db, unit_id: i64, agency_id: Option<i64>, until: NaiveDate, limit: i64) -> DbResult<Vec<DueTask>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT t.id, t.path, t.title, t.deadline, p.title AS plan_title, s.days_before
         FROM tasks t JOIN plans p ON p.id = t.plan_id LEFT JOIN unit_reminder_settings s ON s.unit_id = p.unit_id
         WHERE p.status = 'issued' AND t.status <> 'done' AND t.deadline IS NOT NULL AND t.deadline <= $1
           AND (($2 IS NULL AND p.unit_id = $3)
             OR ($2 IS NOT NULL AND EXISTS (SELECT 1 FROM task_agencies a WHERE a.task_id = t.id AND a.role = 'lead' AND a.agency_id = $2)))
         ORDER BY t.deadline, t.id LIMIT $4")
        .bind(until).bind(agency_id).bind(unit_id).bind(limit).fetch_all(p).await)?)
}

/// A plan of a higher unit that asks this unit for an implementing plan it has not issued.
#[derive(Clone, Debug, FromRow)]
pub struct AwaitedPlan {
    pub id: i64,
    pub title: String,
    pub implementing_deadline: Option<NaiveDate>,
}

/// Issued plans of the units above `unit_path` that cascade to communes, for which the unit
/// `unit_id` has no issued implementing plan of its own.
pub async fn awaited_from(db: &Db, unit_id: i64, unit_path: &str) -> DbResult<Vec<AwaitedPlan>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT p.id, p.title, p.implementing_deadline FROM plans p JOIN units pu ON pu.id = p.unit_id
         WHERE p.status = 'issued' AND p.cascade_level = 'commune' AND p.unit_id <> $1 AND p.agency_id IS NULL
           AND $2 LIKE pu.path || '%'
           AND NOT EXISTS (SELECT 1 FROM plans c WHERE c.parent_plan_id = p.id AND c.unit_id = $1
                           AND c.agency_id IS NULL AND c.status <> 'draft')
         ORDER BY p.implementing_deadline, p.id LIMIT 20")
        .bind(unit_id).bind(unit_path).fetch_all(p).await)?)
}

/// An issued plan of `unit_id` that cascades to communes, with how many of them issued their
/// implementing plan.
#[derive(Clone, Debug, FromRow)]
pub struct CascadingPlan {
    pub id: i64,
    pub title: String,
    pub implementing_deadline: Option<NaiveDate>,
    pub implemented: i64,
}

pub async fn cascading_of(db: &Db, unit_id: i64) -> DbResult<Vec<CascadingPlan>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT p.id, p.title, p.implementing_deadline,
            (SELECT COUNT(DISTINCT c.unit_id) FROM plans c WHERE c.parent_plan_id = p.id AND c.agency_id IS NULL AND c.status <> 'draft') AS implemented
         FROM plans p WHERE p.status = 'issued' AND p.cascade_level = 'commune' AND p.unit_id = $1 AND p.agency_id IS NULL
         ORDER BY p.implementing_deadline, p.id LIMIT 20")
        .bind(unit_id).fetch_all(p).await)?)
}

/// Counts for the numbers at a glance, within a scope (`LIKE` pattern on unit paths) and, for an
/// agency's focal point, limited to the tasks its agency leads.
#[derive(Clone, Debug, Default, FromRow)]
pub struct Counts {
    pub plans: i64,
    pub tasks: i64,
    pub done: i64,
    pub overdue: i64,
}

pub async fn counts(db: &Db, scope_pattern: &str, agency_id: Option<i64>, day: NaiveDate) -> DbResult<Counts> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(DISTINCT p.id) AS plans, COUNT(t.id) AS tasks,
            COALESCE(SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), 0) AS done,
            COALESCE(SUM(CASE WHEN t.status <> 'done' AND t.deadline < $2 THEN 1 ELSE 0 END), 0) AS overdue
         FROM plans p JOIN units u ON u.id = p.unit_id LEFT JOIN tasks t ON t.plan_id = p.id
         WHERE p.status = 'issued' AND u.path LIKE $1
           AND ($3 IS NULL OR EXISTS (SELECT 1 FROM task_agencies a WHERE a.task_id = t.id AND a.role = 'lead' AND a.agency_id = $3))")
        .bind(scope_pattern).bind(day).bind(agency_id).fetch_one(p).await)?)
}
