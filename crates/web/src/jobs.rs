//! Background jobs. The daily reminder job (nhắc việc) reminds the responsible accounts of
//! tasks due soon or overdue, and lower units that have not issued their implementing plan.
//! Each account gets at most one digest a day (an e-mail through the outbox and an in-app
//! notification); every item is recorded in `reminders`, which the unit's superiors can read
//! (đôn đốc). Several instances may run the loop: the day's run is claimed in the database.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Timelike};
use db::Db;
use db::accounts::Account;
use db::reminders::NewReminder;
use domain::msg::plans as pm;
use domain::plan::tracking::{self, ImplementingState, ReminderKind};

use crate::error::AppResult;
use crate::state::AppState;

pub const REMINDER_JOB: &str = "reminders";

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub items: usize,
    pub recipients: usize,
    pub emails: usize,
}

impl RunSummary {
    pub fn text(&self) -> String {
        format!("{} việc, {} người nhận, {} thư", self.items, self.recipients, self.emails)
    }
}

/// One line of a digest.
#[derive(Clone, Debug)]
struct Item {
    kind: ReminderKind,
    plan_id: Option<i64>,
    task_id: Option<i64>,
    sender_unit_id: i64,
    key: String,
    text: String,
    link: String,
}

/// Accounts that answer for a unit's plans: its justice officers and unit administrators.
fn officers(accounts: &[Account], unit_id: i64) -> Vec<&Account> {
    accounts.iter().filter(|a| a.active && a.unit_id == unit_id && matches!(a.role.as_str(), "justice_officer" | "unit_admin")).collect()
}

/// Who is reminded of a task: the focal points of its lead agencies, or, when none has an
/// account, the officers of the unit whose plan it is.
fn task_recipients<'a>(accounts: &'a [Account], lead_agencies: &[i64], plan_unit: i64) -> Vec<&'a Account> {
    let focal: Vec<&Account> = accounts.iter().filter(|a| a.active && a.agency_id.is_some_and(|g| lead_agencies.contains(&g))).collect();
    if focal.is_empty() { officers(accounts, plan_unit) } else { focal }
}

/// Runs the reminder job for `day`. Safe to run again the same day: an item is recorded once
/// per recipient and day, and a digest is only sent for newly recorded items.
pub async fn run_reminders(db: &Db, base_url: &str, day: NaiveDate) -> AppResult<RunSummary> {
    let accounts = db::accounts::list(db, "%", None, 100_000, 0).await?;
    let mut per_account: BTreeMap<i64, Vec<Item>> = BTreeMap::new();
    let max_days = 60;

    // Tasks due soon or overdue.
    for t in db::tasks::open_with_deadline(db, day + chrono::Duration::days(max_days)).await? {
        let days_before = t.days_before.map(i64::from).unwrap_or(tracking::DEFAULT_REMINDER_DAYS);
        let leads = db::tasks::lead_agency_ids(db, t.id).await?;
        let key = format!("task:{}", t.id);
        for acc in task_recipients(&accounts, &leads, t.plan_unit_id) {
            let last = db::reminders::last_sent(db, acc.id, &key).await?
                .and_then(|(k, d)| ReminderKind::parse(&k).map(|k| (k, d)));
            if let Some(kind) = tracking::reminder_due(t.deadline, day, days_before, last) {
                per_account.entry(acc.id).or_default().push(Item {
                    kind,
                    plan_id: Some(t.plan_id),
                    task_id: Some(t.id),
                    sender_unit_id: t.plan_unit_id,
                    key: key.clone(),
                    text: format!("{}: {} {} (hạn {}) — kế hoạch “{}”", kind.label(), t.path, t.title, text_vi::format_date(t.deadline), t.plan_title),
                    link: format!("{base_url}/nhiem-vu/{}", t.id),
                });
            }
        }
    }

    // Lower units without an implementing plan.
    let plans = db::plans::list(db, &db::plans::PlanFilter { scope_pattern: "%".into(), status: Some("issued".into()), limit: 100_000, ..Default::default() }).await?;
    for plan in plans.iter().filter(|p| p.cascade_level == "commune") {
        let Some(deadline) = plan.implementing_deadline else { continue };
        let days_before = db::reminders::days_before(db, plan.unit_id).await?.map(i64::from).unwrap_or(tracking::DEFAULT_REMINDER_DAYS);
        if (deadline - day).num_days() > days_before {
            continue;
        }
        let children = db::plans::implementing(db, plan.id).await?;
        let communes = db::units::list(db, &db::units::UnitFilter {
            level: Some(domain::unit::UnitLevel::Commune), valid_on: Some(day), parent_id: Some(plan.unit_id), query: None, limit: 5000, offset: 0,
        }).await?;
        for u in communes {
            let issued = children.iter().any(|c| c.unit_id == u.id && c.agency_id.is_none() && c.status != "draft");
            if issued {
                continue;
            }
            let key = format!("plan:{}", plan.id);
            for acc in officers(&accounts, u.id) {
                // A missing-plan reminder counts as "due soon" before the deadline and as
                // "overdue" after it, so that it follows the same schedule as tasks.
                let last = db::reminders::last_sent(db, acc.id, &key).await?
                    .map(|(_, d)| (if d > deadline { ReminderKind::Overdue } else { ReminderKind::DueSoon }, d));
                if tracking::reminder_due(deadline, day, days_before, last).is_some() {
                    per_account.entry(acc.id).or_default().push(Item {
                        kind: ReminderKind::MissingPlan,
                        plan_id: Some(plan.id),
                        task_id: None,
                        sender_unit_id: plan.unit_id,
                        key: key.clone(),
                        text: format!("{}: kế hoạch thực hiện “{}” (hạn ban hành {})", ImplementingState::Missing.label(), plan.title, text_vi::format_date(deadline)),
                        link: format!("{base_url}/ke-hoach/{}", plan.id),
                    });
                }
            }
        }
    }

    // Periodic reports not sent yet: before the deadline (within the opening unit's reminder
    // window) and after it, on the same schedule as tasks.
    let mut windows: HashMap<i64, (i64, i64)> = HashMap::new(); // round → (opening unit, days before)
    for (report_id, unit_id, agency_id, round_id, due, form_name, period_key) in db::reports::unsent_in_open_rounds(db).await? {
        let Some(due) = due else { continue };
        let (round_unit, days_before) = match windows.get(&round_id) {
            Some(w) => *w,
            None => {
                let unit = db::reports::round(db, round_id).await?.unit_id;
                let days = db::reminders::days_before(db, unit).await?.map(i64::from).unwrap_or(tracking::DEFAULT_REMINDER_DAYS);
                windows.insert(round_id, (unit, days));
                (unit, days)
            }
        };
        let key = format!("report:{report_id}");
        let period = crate::reporting::period_label(&period_key);
        for acc_id in db::reports::fillers(db, unit_id, agency_id).await? {
            let last = db::reminders::last_sent(db, acc_id, &key).await?
                .map(|(_, d)| (if d > due { ReminderKind::Overdue } else { ReminderKind::DueSoon }, d));
            if tracking::reminder_due(due, day, days_before, last).is_some() {
                per_account.entry(acc_id).or_default().push(Item {
                    kind: ReminderKind::MissingReport,
                    plan_id: None,
                    task_id: None,
                    sender_unit_id: round_unit,
                    key: key.clone(),
                    text: domain::msg::report::reminder_text(&form_name, &period, &text_vi::format_date(due)),
                    link: format!("{base_url}/bao-cao/{report_id}"),
                });
            }
        }
    }

    let by_id: HashMap<i64, &Account> = accounts.iter().map(|a| (a.id, a)).collect();
    let mut summary = RunSummary::default();
    for (account_id, items) in per_account {
        let Some(acc) = by_id.get(&account_id) else { continue };
        if deliver(db, acc, None, &items, day, pm::DIGEST_SUBJECT).await? > 0 {
            summary.recipients += 1;
            summary.items += items.len();
            if acc.email.is_some() {
                summary.emails += 1;
            }
        }
    }
    Ok(summary)
}

/// Records the items for one recipient and, if any is new today, sends one e-mail and one
/// in-app notification listing them. Returns the number of new items.
async fn deliver(db: &Db, acc: &Account, sender: Option<&Account>, items: &[Item], day: NaiveDate, subject: &str) -> AppResult<usize> {
    let mut tx = db.begin().await?;
    let mut fresh: Vec<&Item> = Vec::new();
    for it in items {
        let recorded = db::reminders::record(&mut tx, &NewReminder {
            sent_on: day,
            kind: it.kind.as_str().into(),
            recipient_id: acc.id,
            recipient_unit_id: acc.unit_id,
            sender_id: sender.map(|s| s.id),
            sender_unit_id: sender.map(|s| s.unit_id).unwrap_or(it.sender_unit_id),
            plan_id: it.plan_id,
            task_id: it.task_id,
            item_key: if it.kind == ReminderKind::Manual { format!("manual:{}", it.key) } else { it.key.clone() },
            text: it.text.clone(),
        }).await?;
        if recorded {
            fresh.push(it);
        }
    }
    if fresh.is_empty() {
        return Ok(0);
    }
    let mut body = format!("Kính gửi {},\n\n", acc.full_name);
    if let Some(s) = sender {
        body.push_str(&format!("{} ({}) đôn đốc các việc sau:\n\n", s.full_name, s.unit_name));
    } else {
        body.push_str(pm::DIGEST_INTRO);
        body.push_str("\n\n");
    }
    for it in &fresh {
        body.push_str(&format!("- {}\n  {}\n", it.text, it.link));
    }
    body.push('\n');
    body.push_str(pm::DIGEST_OUTRO);
    body.push('\n');
    if let Some(email) = &acc.email {
        db::outbox::enqueue(&mut tx, email, subject, &body).await?;
    }
    let link = fresh.first().map(|it| it.link.split_once("://").and_then(|(_, r)| r.find('/').map(|i| r[i..].to_string())).unwrap_or_default());
    db::reminders::notify(&mut tx, acc.id, subject, &body, link.as_deref()).await?;
    tx.commit().await?;
    Ok(fresh.len())
}

/// Sends a manual reminder (đôn đốc) from `sender` to the accounts responsible for a task.
pub async fn remind_task(db: &Db, base_url: &str, sender: &Account, task: &db::tasks::Task, day: NaiveDate) -> AppResult<usize> {
    let accounts = db::accounts::list(db, "%", None, 100_000, 0).await?;
    let leads = db::tasks::lead_agency_ids(db, task.id).await?;
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
pub async fn remind_missing_plans(db: &Db, base_url: &str, sender: &Account, plan: &db::plans::Plan, missing_units: &[i64], day: NaiveDate) -> AppResult<usize> {
    let accounts = db::accounts::list(db, "%", None, 100_000, 0).await?;
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

/// Claims and runs today's reminder job if it has not run yet.
pub async fn run_daily_once(state: &AppState, day: NaiveDate) -> AppResult<Option<RunSummary>> {
    if !db::reminders::claim_job(&state.db, REMINDER_JOB, day).await? {
        return Ok(None);
    }
    let summary = match run_reminders(&state.db, &state.config.base_url, day).await {
        Ok(s) => s,
        Err(e) => {
            db::reminders::release_job(&state.db, REMINDER_JOB, day).await?;
            return Err(e);
        }
    };
    db::reminders::finish_job(&state.db, REMINDER_JOB, day, &summary.text()).await?;
    tracing::info!(items = summary.items, recipients = summary.recipients, "reminder job done");
    Ok(Some(summary))
}

/// Checks every ten minutes whether today's reminders are due (from the configured hour,
/// Vietnam time) and runs them once per day across all instances.
pub fn spawn(state: AppState) {
    if !state.config.jobs.reminders {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = chrono::Utc::now() + chrono::Duration::hours(7);
            if now.hour() < state.config.jobs.reminder_hour {
                continue;
            }
            if let Err(e) = run_daily_once(&state, now.date_naive()).await {
                tracing::error!(error = %e, "reminder job failed");
            }
        }
    });
}
