//! Reminders of periodic reports: the reports' part of the daily digest (reports not sent yet,
//! before the deadline within the opening unit's reminder window, and after it).

use std::collections::HashMap;

use chrono::NaiveDate;
use kernel::db::Db;
use kernel::db::accounts::Account;
use kernel::error::AppResult;
use kernel::notify::Item;
use kernel::registry::BoxFuture;
use kernel::reminder::{self as tracking, ReminderKind};

use crate::store;

/// The reports' part of the daily digest (a [`kernel::registry::ReminderSource`]).
pub fn reminder_items<'a>(db: &'a Db, base_url: &'a str, day: NaiveDate, accounts: &'a [Account]) -> BoxFuture<'a, AppResult<Vec<(i64, Item)>>> {
    Box::pin(collect(db, base_url, day, accounts))
}

async fn collect(db: &Db, base_url: &str, day: NaiveDate, _accounts: &[Account]) -> AppResult<Vec<(i64, Item)>> {
    let mut out: Vec<(i64, Item)> = Vec::new();
    // Periodic reports not sent yet: before the deadline (within the opening unit's reminder
    // window) and after it, on the same schedule as tasks.
    let mut windows: HashMap<i64, (i64, i64)> = HashMap::new(); // round → (opening unit, days before)
    for (report_id, unit_id, agency_id, round_id, due, form_name, period_key) in store::unsent_in_open_rounds(db).await? {
        let Some(due) = due else { continue };
        let (round_unit, days_before) = match windows.get(&round_id) {
            Some(w) => *w,
            None => {
                let unit = store::round(db, round_id).await?.unit_id;
                let days = kernel::db::reminders::days_before(db, unit).await?.map(i64::from).unwrap_or(tracking::DEFAULT_REMINDER_DAYS);
                windows.insert(round_id, (unit, days));
                (unit, days)
            }
        };
        let key = format!("report:{report_id}");
        let period = crate::service::period_label(&period_key);
        for acc_id in store::fillers(db, unit_id, agency_id).await? {
            let last = kernel::db::reminders::last_sent(db, acc_id, &key).await?
                .map(|(_, d)| (if d > due { ReminderKind::Overdue } else { ReminderKind::DueSoon }, d));
            if tracking::reminder_due(due, day, days_before, last).is_some() {
                out.push((acc_id, Item {
                    kind: ReminderKind::MissingReport,
                    plan_id: None,
                    task_id: None,
                    sender_unit_id: round_unit,
                    key: key.clone(),
                    text: crate::msg::reminder_text(&form_name, &period, &text_vi::format_date(due)),
                    link: format!("{base_url}/bao-cao/{report_id}"),
                }));
            }
        }
    }

    Ok(out)
}
