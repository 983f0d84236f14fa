//! Reminders of plans and tasks (nhắc việc, đôn đốc): the plans' part of the daily digest
//! (tasks due soon or overdue, lower units without an implementing plan) and the one-click
//! reminders. Delivery, the digest and the daily claim are the kernel's (`kernel::notify`).

use chrono::NaiveDate;
use kernel::db::Db;
use kernel::db::accounts::Account;
use kernel::error::AppResult;
use kernel::notify::{Item, deliver, officers};
use kernel::registry::BoxFuture;

use crate::msg as pm;
use crate::rules::tracking::{self, ImplementingState, ReminderKind};
use crate::store;

/// Who is reminded of a task: the focal points of its lead agencies, or, when none has an
/// account, the officers of the unit whose plan it is.
pub fn task_recipients<'a>(accounts: &'a [Account], lead_agencies: &[i64], plan_unit: i64) -> Vec<&'a Account> {
    let focal: Vec<&Account> = accounts.iter().filter(|a| a.active && a.agency_id.is_some_and(|g| lead_agencies.contains(&g))).collect();
    if focal.is_empty() { officers(accounts, plan_unit) } else { focal }
}

/// The plans' part of the daily digest (a [`kernel::registry::ReminderSource`]).
pub fn reminder_items<'a>(db: &'a Db, base_url: &'a str, day: NaiveDate, accounts: &'a [Account]) -> BoxFuture<'a, AppResult<Vec<(i64, Item)>>> {
    Box::pin(collect(db, base_url, day, accounts))
}

async fn collect(db: &Db, base_url: &str, day: NaiveDate, accounts: &[Account]) -> AppResult<Vec<(i64, Item)>> {
    let mut out: Vec<(i64, Item)> = Vec::new();
    let max_days = 60;

    // Tasks due soon or overdue.
    for t in store::tasks::open_with_deadline(db, day + chrono::Duration::days(max_days)).await? {
        let days_before = t.days_before.map(i64::from).unwrap_or(tracking::DEFAULT_REMINDER_DAYS);
        let leads = store::tasks::lead_agency_ids(db, t.id).await?;
        let key = format!("task:{}", t.id);
        for acc in task_recipients(accounts, &leads, t.plan_unit_id) {
            let last = kernel::db::reminders::last_sent(db, acc.id, &key).await?
                .and_then(|(k, d)| ReminderKind::parse(&k).map(|k| (k, d)));
            if let Some(kind) = tracking::reminder_due(t.deadline, day, days_before, last) {
                out.push((acc.id, Item {
                    kind,
                    plan_id: Some(t.plan_id),
                    task_id: Some(t.id),
                    sender_unit_id: t.plan_unit_id,
                    key: key.clone(),
                    text: format!("{}: {} {} (hạn {}) — kế hoạch “{}”", kind.label(), t.path, t.title, text_vi::format_date(t.deadline), t.plan_title),
                    link: format!("{base_url}/nhiem-vu/{}", t.id),
                }));
            }
        }
    }

    // Lower units without an implementing plan.
    let plans = store::plans::list(db, &store::plans::PlanFilter { scope_pattern: "%".into(), status: Some("issued".into()), limit: 100_000, ..Default::default() }).await?;
    for plan in plans.iter().filter(|p| p.cascade_level == "commune") {
        let Some(deadline) = plan.implementing_deadline else { continue };
        let days_before = kernel::db::reminders::days_before(db, plan.unit_id).await?.map(i64::from).unwrap_or(tracking::DEFAULT_REMINDER_DAYS);
        if (deadline - day).num_days() > days_before {
            continue;
        }
        let children = store::plans::implementing(db, plan.id).await?;
        let communes = kernel::db::units::list(db, &kernel::db::units::UnitFilter {
            level: Some(kernel::unit::UnitLevel::Commune), valid_on: Some(day), parent_id: Some(plan.unit_id), query: None, limit: 5000, offset: 0,
        }).await?;
        for u in communes {
            let issued = children.iter().any(|c| c.unit_id == u.id && c.agency_id.is_none() && c.status != "draft");
            if issued {
                continue;
            }
            let key = format!("plan:{}", plan.id);
            for acc in officers(accounts, u.id) {
                // A missing-plan reminder counts as "due soon" before the deadline and as
                // "overdue" after it, so that it follows the same schedule as tasks.
                let last = kernel::db::reminders::last_sent(db, acc.id, &key).await?
                    .map(|(_, d)| (if d > deadline { ReminderKind::Overdue } else { ReminderKind::DueSoon }, d));
                if tracking::reminder_due(deadline, day, days_before, last).is_some() {
                    out.push((acc.id, Item {
                        kind: ReminderKind::MissingPlan,
                        plan_id: Some(plan.id),
                        task_id: None,
                        sender_unit_id: plan.unit_id,
                        key: key.clone(),
                        text: format!("{}: kế hoạch thực hiện “{}” (hạn ban hành {})", ImplementingState::Missing.label(), plan.title, text_vi::format_date(deadline)),
                        link: format!("{base_url}/ke-hoach/{}", plan.id),
                    }));
                }
            }
        }
    }

    Ok(out)
}

/// Sends a manual reminder (đôn đốc) from `sender` to the accounts responsible for a task.
pub async fn remind_task(db: &Db, base_url: &str, sender: &Account, task: &store::tasks::Task, day: NaiveDate) -> AppResult<usize> {
    let accounts = kernel::notify::all_accounts(db).await?;
    let leads = store::tasks::lead_agency_ids(db, task.id).await?;
    let deadline = task.deadline.map(|d| format!(" (hạn {})", text_vi::format_date(d))).unwrap_or_default();
    let item = Item {
        kind: ReminderKind::Manual,
        plan_id: Some(task.plan_id),
        task_id: Some(task.id),
        sender_unit_id: sender.unit_id,
        key: format!("task:{}", task.id),
        text: format!("Đôn đốc: {} {}{deadline} — kế hoạch “{}”", task.path, task.title, task.plan_title),
        link: format!("{base_url}/nhiem-vu/{}", task.id),
    };
    let mut n = 0;
    for acc in task_recipients(&accounts, &leads, task.plan_unit_id).into_iter().filter(|a| a.id != sender.id) {
        n += deliver(db, acc, Some(sender), std::slice::from_ref(&item), day, pm::MANUAL_SUBJECT).await?;
    }
    Ok(n)
}

/// Sends a manual reminder to the lower units that have not issued their implementing plan.
pub async fn remind_missing_plans(db: &Db, base_url: &str, sender: &Account, plan: &store::plans::Plan, missing_units: &[i64], day: NaiveDate) -> AppResult<usize> {
    let accounts = kernel::notify::all_accounts(db).await?;
    let deadline = plan.implementing_deadline.map(|d| format!(" (hạn ban hành {})", text_vi::format_date(d))).unwrap_or_default();
    let item = Item {
        kind: ReminderKind::Manual,
        plan_id: Some(plan.id),
        task_id: None,
        sender_unit_id: sender.unit_id,
        key: format!("plan:{}", plan.id),
        text: format!("Đôn đốc xây dựng kế hoạch thực hiện “{}”{deadline}", plan.title),
        link: format!("{base_url}/ke-hoach/{}", plan.id),
    };
    let mut n = 0;
    for unit in missing_units {
        for acc in officers(&accounts, *unit) {
            n += deliver(db, acc, Some(sender), std::slice::from_ref(&item), day, pm::MANUAL_SUBJECT).await?;
        }
    }
    Ok(n)
}

