//! The effective status of a legal document on a day, from the dates the bookshelf puts in the
//! feed (`in_force_on`, `partly_expired_on`, `expired_on`). It is the bookshelf's derivation
//! (crates/bookshelf/src/rules/status.rs) read from its dates: the bookshelf's tests check
//! that its dates give its statuses. Computed when a query runs, so no job flips a status.

use chrono::NaiveDate;

/// The status, as the facet and the ranking use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    InForce,
    PartlyExpired,
    Expired,
    NotYetInForce,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::InForce, Status::PartlyExpired, Status::Expired, Status::NotYetInForce];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::InForce => "in_force",
            Status::PartlyExpired => "partly_expired",
            Status::Expired => "expired",
            Status::NotYetInForce => "not_yet_in_force",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The ranking factor: a legal document in force a little above other items (on a legal
    /// portal the law itself is usually what is sought), expired ones well below.
    pub fn rank_factor(self) -> f32 {
        match self {
            Status::InForce => 1.2,
            Status::PartlyExpired => 1.0,
            Status::NotYetInForce => 0.9,
            Status::Expired => 0.6,
        }
    }
}

/// Days since 1970-01-01, the form in which the index stores dates.
pub fn day_number(d: NaiveDate) -> i64 {
    d.signed_duration_since(NaiveDate::default()).num_days()
}

/// Sentinels for missing dates in the index.
pub const NEVER: i64 = i64::MAX;

/// The status on `day` (all as day numbers; `NEVER` for an unset end).
pub fn status(in_force: i64, partly_expired: i64, expired: i64, day: i64) -> Status {
    if day < in_force {
        Status::NotYetInForce
    } else if expired <= day {
        Status::Expired
    } else if partly_expired <= day {
        Status::PartlyExpired
    } else {
        Status::InForce
    }
}
