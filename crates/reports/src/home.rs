//! The reports' part of the home page (a [`kernel::registry::HomeSource`]): the reports the
//! account's unit or agency has to send or correct, and, for the unit that opened a round, the
//! reports waiting for approval and the units that have not sent.

use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart, Todo, Urgency};
use kernel::reminder::DEFAULT_REMINDER_DAYS;

use crate::msg;
use crate::service::period_label;

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

/// How pressing an unsent report is: overdue after its deadline, due soon within the window.
pub fn send_urgency(state: &str, due: Option<NaiveDate>, day: NaiveDate) -> Urgency {
    match (state, due) {
        ("returned", _) => Urgency::Returned,
        (_, Some(d)) if d < day => Urgency::Overdue,
        (_, Some(d)) if (d - day).num_days() <= DEFAULT_REMINDER_DAYS => Urgency::DueSoon,
        _ => Urgency::Open,
    }
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    let acc = &user.account;
    if user.role.allows(Action::FillReports) {
        let mine = crate::store::reports_of_reporter(db, acc.unit_id, acc.agency_id).await?;
        let open: Vec<_> = mine.iter().filter(|r| r.round_status == "open" && matches!(r.state.as_str(), "draft" | "returned")).collect();
        for r in &open {
            let period = period_label(&r.period_key);
            let text = if r.state == "returned" { msg::home_fix_returned(&r.form_name, &period) } else { msg::home_send(&r.form_name, &period) };
            part.todo.push(Todo {
                urgency: send_urgency(&r.state, r.due_on, day),
                text,
                detail: r.agency_name.clone().unwrap_or_else(|| r.unit_name.clone()),
                href: format!("/bao-cao/{}", r.id),
                due: r.due_on,
            });
        }
        part.glance.push(Glance { label: msg::HOME_TO_SEND.into(), value: open.len() as i64, of: None, href: Some("/bao-cao".into()) });
    }
    if user.role.allows(Action::ReviewReports) && user.role != kernel::account::Role::AgencyFocal {
        let rounds = crate::store::rounds(db, &user.scope.like_pattern(), None).await?;
        let (mut sent, mut total) = (0, 0);
        for r in rounds.iter().filter(|r| r.status == "open" && r.unit_id == acc.unit_id) {
            let period = period_label(&r.period_key);
            let waiting = r.submitted - r.approved;
            if waiting > 0 {
                part.todo.push(Todo {
                    urgency: Urgency::Waiting,
                    text: msg::home_review(waiting, &r.form_name, &period),
                    detail: String::new(),
                    href: format!("/bao-cao/ky/{}", r.id),
                    due: None,
                });
            }
            let missing = r.reports - r.submitted;
            let pressing = r.due_on.is_some_and(|d| d < day || (d - day).num_days() <= DEFAULT_REMINDER_DAYS);
            if missing > 0 && pressing {
                part.todo.push(Todo {
                    urgency: if r.due_on.is_some_and(|d| d < day) { Urgency::Overdue } else { Urgency::DueSoon },
                    text: msg::home_missing(missing, r.reports, &r.form_name, &period),
                    detail: String::new(),
                    href: format!("/bao-cao/ky/{}", r.id),
                    due: r.due_on,
                });
            }
            sent += r.submitted;
            total += r.reports;
        }
        if total > 0 {
            part.glance.push(Glance { label: msg::HOME_RECEIVED.into(), value: sent, of: Some(total), href: Some("/bao-cao".into()) });
        }
    }
    Ok(part)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn returned_first_then_by_deadline() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let d = |dd| Some(NaiveDate::from_ymd_opt(2026, 12, dd).unwrap());
        assert_eq!(send_urgency("returned", d(30), day), Urgency::Returned);
        assert_eq!(send_urgency("draft", d(5), day), Urgency::Overdue);
        assert_eq!(send_urgency("draft", d(10), day), Urgency::DueSoon);
        assert_eq!(send_urgency("draft", d(30), day), Urgency::Open);
        assert_eq!(send_urgency("draft", None, day), Urgency::Open);
    }
}
