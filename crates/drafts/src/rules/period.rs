//! The comment period (thời hạn lấy ý kiến): comments are taken from the opening day to the
//! closing day, both included.

use chrono::NaiveDate;

/// Where a draft's comment period stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Upcoming,
    Open,
    Closed,
}

pub fn phase(opens_on: NaiveDate, closes_on: NaiveDate, day: NaiveDate) -> Phase {
    if day < opens_on {
        Phase::Upcoming
    } else if day <= closes_on {
        Phase::Open
    } else {
        Phase::Closed
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn both_ends_are_included() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(phase(d(3, 1), d(3, 31), d(2, 28)), Phase::Upcoming);
        assert_eq!(phase(d(3, 1), d(3, 31), d(3, 1)), Phase::Open);
        assert_eq!(phase(d(3, 1), d(3, 31), d(3, 31)), Phase::Open);
        assert_eq!(phase(d(3, 1), d(3, 31), d(4, 1)), Phase::Closed);
    }
}
