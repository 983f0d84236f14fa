//! Its part of the daily reminder digest (a [`kernel::registry::ReminderSource`]): open items
//! due within [`crate::rules::deadline::DUE_SOON_DAYS`] days or overdue, to the officers of the
//! unit they were routed to. The kernel sends at most one digest a day and never the same item
//! twice on a day.

use chrono::{Duration, NaiveDate};
use kernel::db::Db;
use kernel::db::accounts::Account;
use kernel::error::AppResult;
use kernel::notify::Item;
use kernel::registry::BoxFuture;
use kernel::reminder::ReminderKind;

use crate::rules::deadline::DUE_SOON_DAYS;
use crate::rules::{DueState, due_state};

/// The reminders of questions and feedback.
pub fn reminder_items<'a>(db: &'a Db, base_url: &'a str, day: NaiveDate, accounts: &'a [Account]) -> BoxFuture<'a, AppResult<Vec<(i64, Item)>>> {
    Box::pin(collect(db, base_url, day, accounts))
}

async fn collect(db: &Db, base_url: &str, day: NaiveDate, accounts: &[Account]) -> AppResult<Vec<(i64, Item)>> {
    let mut out = Vec::new();
    let base = base_url.trim_end_matches('/');
    for (id, code, title, unit_id, due) in crate::store::open_due_by(db, day + Duration::days(DUE_SOON_DAYS - 1)).await? {
        let overdue = due_state(due, day) == DueState::Overdue;
        for acc in kernel::notify::officers(accounts, unit_id) {
            out.push((acc.id, Item {
                kind: if overdue { ReminderKind::Overdue } else { ReminderKind::DueSoon },
                plan_id: None,
                task_id: None,
                sender_unit_id: unit_id,
                key: format!("inquiry:{id}"),
                text: crate::msg::reminder_text(&code, &title, &text_vi::format_date(due), overdue),
                link: format!("{base}/hoi-dap-quan-ly/{id}"),
            }));
        }
    }
    Ok(out)
}
