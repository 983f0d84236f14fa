//! The plans' part of the home page (a [`kernel::registry::HomeSource`]): the tasks an account
//! answers for that are due soon or overdue, the implementing plans its unit still has to issue,
//! the lower units that have not issued theirs, and the plan and task counts of its scope.

use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart, Todo, Urgency};

use crate::msg;
use crate::rules::tracking;
use crate::store::home as q;

/// Tasks listed one by one on the home page; the rest are counted in one item that links to
/// the progress page.
const MAX_TASKS: usize = 5;

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

fn urgency_of(deadline: NaiveDate, day: NaiveDate, days_before: i64) -> Option<Urgency> {
    if deadline < day {
        Some(Urgency::Overdue)
    } else if (deadline - day).num_days() <= days_before {
        Some(Urgency::DueSoon)
    } else {
        None
    }
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::ViewPlans) {
        return Ok(part);
    }
    let acc = &user.account;
    let agency = if user.role == kernel::account::Role::AgencyFocal { acc.agency_id } else { None };
    let window = chrono::Duration::days(60);
    let mut tasks = Vec::new();
    let tracks = user.role.allows(Action::TrackTasks);
    for t in if tracks { q::due_tasks(db, acc.unit_id, agency, day + window, 500).await? } else { Vec::new() } {
        let days_before = t.days_before.map(i64::from).unwrap_or(tracking::DEFAULT_REMINDER_DAYS);
        if let Some(urgency) = urgency_of(t.deadline, day, days_before) {
            tasks.push((urgency, t));
        }
    }
    // Overdue first, then the nearest deadline.
    tasks.sort_by(|(ua, a), (ub, b)| ua.cmp(ub).then(a.deadline.cmp(&b.deadline)));
    if tasks.len() > MAX_TASKS {
        let rest = &tasks[MAX_TASKS..];
        let overdue = rest.iter().filter(|(u, _)| *u == Urgency::Overdue).count();
        part.todo.push(Todo {
            urgency: rest[0].0,
            text: msg::home_more_tasks(rest.len(), overdue),
            detail: String::new(),
            href: "/tien-do".into(),
            due: None,
        });
    }
    for (urgency, t) in tasks.into_iter().take(MAX_TASKS) {
        part.todo.push(Todo {
            urgency,
            text: msg::home_task(&t.path, &t.title),
            detail: msg::home_of_plan(&t.plan_title),
            href: format!("/nhiem-vu/{}", t.id),
            due: Some(t.deadline),
        });
    }
    if user.role.allows(Action::ManagePlans) {
        // The implementing plans this unit has to issue for a higher unit's plan.
        if let Ok(unit) = kernel::db::units::get(db, acc.unit_id).await {
            for p in q::awaited_from(db, acc.unit_id, &unit.path).await? {
                let urgency = match p.implementing_deadline {
                    Some(d) => urgency_of(d, day, tracking::DEFAULT_REMINDER_DAYS).unwrap_or(Urgency::Open),
                    None => Urgency::Open,
                };
                part.todo.push(Todo {
                    urgency,
                    text: msg::home_issue_implementing(&p.title),
                    detail: String::new(),
                    href: format!("/ke-hoach/{}/trien-khai", p.id),
                    due: p.implementing_deadline,
                });
            }
        }
        // The lower units that have not issued their implementing plan of this unit's plans.
        for p in q::cascading_of(db, acc.unit_id).await? {
            let communes = kernel::db::units::list(db, &kernel::db::units::UnitFilter {
                level: Some(kernel::unit::UnitLevel::Commune), valid_on: Some(day), parent_id: Some(acc.unit_id),
                query: None, limit: 5000, offset: 0,
            }).await?.len() as i64;
            let missing = communes - p.implemented;
            if missing <= 0 {
                continue;
            }
            let urgency = match p.implementing_deadline {
                Some(d) if d < day => Urgency::Overdue,
                _ => Urgency::Waiting,
            };
            part.todo.push(Todo {
                urgency,
                text: msg::home_missing_implementing(missing, communes),
                detail: msg::home_of_plan(&p.title),
                href: format!("/ke-hoach/{}", p.id),
                due: p.implementing_deadline,
            });
        }
    }
    let c = q::counts(db, &user.scope.like_pattern(), agency, day).await?;
    part.glance.push(Glance { label: msg::HOME_PLANS.into(), value: c.plans, of: None, href: Some("/ke-hoach".into()) });
    part.glance.push(Glance { label: msg::HOME_TASKS_DONE.into(), value: c.done, of: Some(c.tasks), href: Some("/tien-do".into()) });
    part.glance.push(Glance { label: msg::HOME_TASKS_OVERDUE.into(), value: c.overdue, of: None, href: Some("/tien-do".into()) });
    Ok(part)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn urgency_follows_the_deadline_and_the_window() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let d = |m, dd| NaiveDate::from_ymd_opt(2026, m, dd).unwrap();
        assert_eq!(urgency_of(d(12, 5), day, 7), Some(Urgency::Overdue));
        assert_eq!(urgency_of(d(12, 6), day, 7), Some(Urgency::DueSoon));
        assert_eq!(urgency_of(d(12, 13), day, 7), Some(Urgency::DueSoon));
        assert_eq!(urgency_of(d(12, 14), day, 7), None);
    }
}
