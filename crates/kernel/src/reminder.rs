//! When to remind (nhắc việc): the kinds of reminder and the rule that keeps them from becoming a
//! flood. Pure; shared by every capability that reminds people of a deadline.

use chrono::NaiveDate;
use serde::Serialize;

/// Why an account is reminded about an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// Sắp đến hạn: within the unit's reminder window.
    DueSoon,
    /// Quá hạn.
    Overdue,
    /// Chưa có kế hoạch thực hiện: a lower unit has not issued its implementing plan.
    MissingPlan,
    /// Đôn đốc: sent by hand by a higher-level officer.
    Manual,
    /// Chưa nộp báo cáo: a periodic report not sent yet, before or after its deadline.
    MissingReport,
}

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::DueSoon => "due_soon",
            ReminderKind::Overdue => "overdue",
            ReminderKind::MissingPlan => "missing_plan",
            ReminderKind::Manual => "manual",
            ReminderKind::MissingReport => "missing_report",
        }
    }

    pub fn parse(s: &str) -> Option<ReminderKind> {
        [ReminderKind::DueSoon, ReminderKind::Overdue, ReminderKind::MissingPlan, ReminderKind::Manual, ReminderKind::MissingReport]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReminderKind::DueSoon => "Sắp đến hạn",
            ReminderKind::Overdue => "Quá hạn",
            ReminderKind::MissingPlan => "Chưa có kế hoạch thực hiện",
            ReminderKind::Manual => "Đôn đốc",
            ReminderKind::MissingReport => "Chưa nộp báo cáo",
        }
    }
}

/// Default number of days before a deadline at which reminders start, when a unit sets none.
pub const DEFAULT_REMINDER_DAYS: i64 = 7;
/// An overdue item is reminded again after this many days, not every day.
pub const OVERDUE_REPEAT_DAYS: i64 = 7;

/// Which reminder, if any, is due today for an item with this deadline, given when the
/// recipient was last reminded of it (any kind). A due-soon reminder is sent once inside the
/// window; an overdue one on the first day overdue and then every [`OVERDUE_REPEAT_DAYS`].
pub fn reminder_due(
    deadline: NaiveDate,
    today: NaiveDate,
    days_before: i64,
    last_sent: Option<(ReminderKind, NaiveDate)>,
) -> Option<ReminderKind> {
    if deadline < today {
        match last_sent {
            Some((ReminderKind::Overdue, on)) if (today - on).num_days() < OVERDUE_REPEAT_DAYS => None,
            _ => Some(ReminderKind::Overdue),
        }
    } else if (deadline - today).num_days() <= days_before {
        match last_sent {
            Some((ReminderKind::DueSoon | ReminderKind::MissingPlan, on)) if on <= deadline && (deadline - on).num_days() <= days_before => None,
            _ => Some(ReminderKind::DueSoon),
        }
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reminders_are_not_a_flood() {
        let deadline = d(2024, 3, 31);
        assert_eq!(reminder_due(deadline, d(2024, 3, 20), 7, None), None);
        assert_eq!(reminder_due(deadline, d(2024, 3, 24), 7, None), Some(ReminderKind::DueSoon));
        assert_eq!(reminder_due(deadline, d(2024, 3, 25), 7, Some((ReminderKind::DueSoon, d(2024, 3, 24)))), None);
        assert_eq!(reminder_due(deadline, d(2024, 4, 1), 7, Some((ReminderKind::DueSoon, d(2024, 3, 24)))), Some(ReminderKind::Overdue));
        assert_eq!(reminder_due(deadline, d(2024, 4, 5), 7, Some((ReminderKind::Overdue, d(2024, 4, 1)))), None);
        assert_eq!(reminder_due(deadline, d(2024, 4, 8), 7, Some((ReminderKind::Overdue, d(2024, 4, 1)))), Some(ReminderKind::Overdue));
        // A due-soon reminder for an earlier deadline does not silence a later one.
        assert_eq!(reminder_due(d(2024, 12, 31), d(2024, 12, 28), 7, Some((ReminderKind::DueSoon, d(2024, 3, 24)))), Some(ReminderKind::DueSoon));
    }
}
