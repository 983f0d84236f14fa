//! Reminders and notifications (nhắc việc, đôn đốc, thông báo), shared by every capability that
//! reminds people of a deadline. Each account gets at most one digest a day (an e-mail through
//! the outbox and an in-app notification); every item is recorded in `reminders`, which the
//! unit's superiors can read. Capabilities contribute the items of the daily digest as
//! [`ReminderSource`]s registered by the server; several instances may run the daily job, whose
//! run is claimed in the database (`job_runs`).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::account::Scope;
use crate::db::Db;
use crate::db::accounts::Account;
use crate::db::reminders::NewReminder;
use crate::error::AppResult;
use crate::msg;
pub use crate::registry::ReminderSource;
pub use crate::reminder::ReminderKind;
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
pub struct Item {
    pub kind: ReminderKind,
    pub plan_id: Option<i64>,
    pub task_id: Option<i64>,
    pub sender_unit_id: i64,
    /// What the item is about ("task:12", "report:7"), for "not twice a day".
    pub key: String,
    pub text: String,
    /// Absolute link (built on the configured base URL).
    pub link: String,
}

/// Accounts that answer for a unit's work: its justice officers and unit administrators.
pub fn officers(accounts: &[Account], unit_id: i64) -> Vec<&Account> {
    accounts.iter().filter(|a| a.active && a.unit_id == unit_id && matches!(a.role.as_str(), "justice_officer" | "unit_admin")).collect()
}

/// Every account, for the digest sources.
pub async fn all_accounts(db: &Db) -> AppResult<Vec<Account>> {
    Ok(crate::db::accounts::list(db, "%", None, 100_000, 0).await?)
}

/// Runs the reminder digest for `day` over the given sources, for the recipients inside `scope`
/// (the daily job runs with the global scope; an officer's "run now" with the officer's). Safe to
/// run again the same day: an item is recorded once per recipient and day, and a digest is only
/// sent for newly recorded items.
pub async fn run_reminders(db: &Db, base_url: &str, day: NaiveDate, sources: &[ReminderSource], scope: &Scope) -> AppResult<RunSummary> {
    let accounts: Vec<Account> = all_accounts(db).await?.into_iter().filter(|a| scope.contains(&a.unit_path)).collect();
    let mut per_account: BTreeMap<i64, Vec<Item>> = BTreeMap::new();
    for source in sources {
        for (account_id, item) in source(db, base_url, day, &accounts).await? {
            per_account.entry(account_id).or_default().push(item);
        }
    }
    let by_id: HashMap<i64, &Account> = accounts.iter().map(|a| (a.id, a)).collect();
    let mut summary = RunSummary::default();
    for (account_id, items) in per_account {
        let Some(acc) = by_id.get(&account_id) else { continue };
        if deliver(db, acc, None, &items, day, msg::DIGEST_SUBJECT).await? > 0 {
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
pub async fn deliver(db: &Db, acc: &Account, sender: Option<&Account>, items: &[Item], day: NaiveDate, subject: &str) -> AppResult<usize> {
    let mut tx = db.begin().await?;
    let mut fresh: Vec<&Item> = Vec::new();
    for it in items {
        let recorded = crate::db::reminders::record(&mut tx, &NewReminder {
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
        body.push_str(msg::DIGEST_INTRO);
        body.push_str("\n\n");
    }
    for it in &fresh {
        body.push_str(&format!("- {}\n  {}\n", it.text, it.link));
    }
    body.push('\n');
    body.push_str(msg::DIGEST_OUTRO);
    body.push('\n');
    if let Some(email) = &acc.email {
        crate::db::outbox::enqueue(&mut tx, email, subject, &body).await?;
    }
    let link = fresh.first().map(|it| it.link.split_once("://").and_then(|(_, r)| r.find('/').map(|i| r[i..].to_string())).unwrap_or_default());
    crate::db::reminders::notify(&mut tx, acc.id, subject, &body, link.as_deref()).await?;
    tx.commit().await?;
    Ok(fresh.len())
}

/// Claims and runs today's reminder digest, over the sources the server registered, if it has
/// not run yet on any instance.
pub async fn run_daily_once(state: &AppState, day: NaiveDate) -> AppResult<Option<RunSummary>> {
    if !crate::db::reminders::claim_job(&state.db, REMINDER_JOB, day).await? {
        return Ok(None);
    }
    let everyone = Scope { global: true, unit_path: String::new() };
    let summary = match run_reminders(&state.db, &state.config.base_url, day, &state.registry.reminder_sources, &everyone).await {
        Ok(s) => s,
        Err(e) => {
            crate::db::reminders::release_job(&state.db, REMINDER_JOB, day).await?;
            return Err(e);
        }
    };
    crate::db::reminders::finish_job(&state.db, REMINDER_JOB, day, &summary.text()).await?;
    tracing::info!(items = summary.items, recipients = summary.recipients, "reminder job done");
    Ok(Some(summary))
}
