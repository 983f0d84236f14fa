//! The answer deadline (thời hạn trả lời) in working days: counting starts on the day after the
//! item is routed, and skips Saturdays, Sundays and the public holidays and days off in lieu
//! given as data (`inquiry_holidays`: Tết and the compensatory days are decided each year).

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Whether `day` is a working day: Monday to Friday and not a holiday.
pub fn is_working_day(day: NaiveDate, holidays: &BTreeSet<NaiveDate>) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&day)
}

/// The day on which `days` working days after `from` have passed: the `days`-th working day
/// after `from` (`from` itself never counts). With `days == 0`, `from`.
pub fn add_working_days(from: NaiveDate, days: u32, holidays: &BTreeSet<NaiveDate>) -> NaiveDate {
    let mut day = from;
    let mut left = days;
    while left > 0 {
        day += Duration::days(1);
        if is_working_day(day, holidays) {
            left -= 1;
        }
    }
    day
}

/// Where an open item stands against its deadline on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueState {
    /// The deadline has passed.
    Overdue,
    /// Due within [`DUE_SOON_DAYS`] calendar days (today included).
    DueSoon,
    Later,
}

/// Calendar days before the deadline from which an item counts as due soon.
pub const DUE_SOON_DAYS: i64 = 3;

pub fn due_state(due: NaiveDate, today: NaiveDate) -> DueState {
    if due < today {
        DueState::Overdue
    } else if (due - today).num_days() < DUE_SOON_DAYS {
        DueState::DueSoon
    } else {
        DueState::Later
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekends_are_skipped() {
        let none = BTreeSet::new();
        // Friday 4/12/2026 + 1 working day = Monday 7/12.
        assert_eq!(add_working_days(d("2026-12-04"), 1, &none), d("2026-12-07"));
        assert_eq!(add_working_days(d("2026-12-07"), 10, &none), d("2026-12-21"));
        assert_eq!(add_working_days(d("2026-12-07"), 0, &none), d("2026-12-07"));
        assert_eq!(due_state(d("2026-12-06"), d("2026-12-07")), DueState::Overdue);
        assert_eq!(due_state(d("2026-12-09"), d("2026-12-07")), DueState::DueSoon);
        assert_eq!(due_state(d("2026-12-10"), d("2026-12-07")), DueState::Later);
    }
}
