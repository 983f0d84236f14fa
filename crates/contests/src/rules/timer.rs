//! The attempt's timer, kept by the server: the deadline is the start plus the time limit, but
//! never after the round ends; answers are accepted until the deadline plus a small grace for
//! the last request in flight; after that the attempt is closed, whoever touches it next.

use chrono::{DateTime, Duration, Utc};

/// The deadline of an attempt started at `started`.
pub fn deadline(started: DateTime<Utc>, limit_s: i64, round_ends: DateTime<Utc>) -> DateTime<Utc> {
    (started + Duration::seconds(limit_s.max(0))).min(round_ends)
}

/// Where an attempt stands at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Running, with whole seconds left (rounded up).
    Open { remaining_s: i64 },
    /// Past the deadline but within the grace: answers in flight are still taken.
    Grace,
    /// Past the grace: closed.
    Closed,
}

pub fn phase(now: DateTime<Utc>, deadline: DateTime<Utc>, grace_s: i64) -> Phase {
    if now < deadline {
        let ms = (deadline - now).num_milliseconds();
        Phase::Open { remaining_s: (ms + 999) / 1000 }
    } else if now <= deadline + Duration::seconds(grace_s.max(0)) {
        Phase::Grace
    } else {
        Phase::Closed
    }
}

/// Whether an answer or a submission arriving at `now` is taken.
pub fn accepts(now: DateTime<Utc>, deadline: DateTime<Utc>, grace_s: i64) -> bool {
    phase(now, deadline, grace_s) != Phase::Closed
}

/// The latest deadline of an attempt still taking answers at `now`: attempts whose deadline is
/// before this are closed (the query-time rule).
pub fn closed_before(now: DateTime<Utc>, grace_s: i64) -> DateTime<Utc> {
    now - Duration::seconds(grace_s.max(0))
}

/// The time an attempt took, in milliseconds: from its start to its submission, counted at
/// most to the deadline (a submission in the grace period took the whole time).
pub fn duration_ms(started: DateTime<Utc>, closed: DateTime<Utc>, deadline: DateTime<Utc>) -> i64 {
    (closed.min(deadline) - started).num_milliseconds().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0).single().unwrap_or_default()
    }

    #[test]
    fn deadline_grace_and_duration() {
        let d = deadline(t(0), 900, t(10_000));
        assert_eq!(d, t(900));
        assert_eq!(deadline(t(0), 900, t(600)), t(600), "never after the round ends");
        assert_eq!(phase(t(0), d, 10), Phase::Open { remaining_s: 900 });
        assert_eq!(phase(t(899), d, 10), Phase::Open { remaining_s: 1 });
        assert_eq!(phase(t(899) + Duration::milliseconds(1), d, 10), Phase::Open { remaining_s: 1 });
        assert_eq!(phase(t(900), d, 10), Phase::Grace);
        assert_eq!(phase(t(910), d, 10), Phase::Grace);
        assert_eq!(phase(t(911), d, 10), Phase::Closed);
        assert!(accepts(t(905), d, 10));
        assert!(!accepts(t(905), d, 0));
        assert_eq!(closed_before(t(911), 10), t(901));
        assert_eq!(duration_ms(t(0), t(300), d), 300_000);
        assert_eq!(duration_ms(t(0), t(905), d), 900_000);
    }
}
