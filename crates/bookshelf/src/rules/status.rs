//! Effective status (tình trạng hiệu lực) of a document on a day, derived from its dates and
//! from the links of later documents to it; never typed by hand.
//!
//! - before its in-force date: chưa có hiệu lực;
//! - from its own expiry date, or from the day a whole replacement or repeal takes effect:
//!   hết hiệu lực toàn bộ (whatever other links say);
//! - from the day a partial replacement or repeal takes effect: hết hiệu lực một phần;
//! - otherwise còn hiệu lực. Amendments (sửa đổi, bổ sung) never end validity.
//!
//! A link's `effective_on` and the `expires_on` date are the first day the change applies.

use chrono::NaiveDate;

use super::kinds::LinkKind;

/// The derived status, ordered: on any later day it is never lower.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Chưa có hiệu lực.
    NotYetInForce,
    /// Còn hiệu lực.
    InForce,
    /// Hết hiệu lực một phần.
    PartlyExpired,
    /// Hết hiệu lực toàn bộ.
    Expired,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::InForce, Status::PartlyExpired, Status::Expired, Status::NotYetInForce];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotYetInForce => "not_yet_in_force",
            Status::InForce => "in_force",
            Status::PartlyExpired => "partly_expired",
            Status::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::NotYetInForce => "Chưa có hiệu lực",
            Status::InForce => "Còn hiệu lực",
            Status::PartlyExpired => "Hết hiệu lực một phần",
            Status::Expired => "Hết hiệu lực toàn bộ",
        }
    }
    /// The badge colour class of the kernel's stylesheet.
    pub fn badge(self) -> &'static str {
        match self {
            Status::InForce => "st-done",
            Status::PartlyExpired => "impl-late",
            Status::NotYetInForce => "st-in_progress",
            Status::Expired => "st-overdue",
        }
    }
}

/// A later document's link to this one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Incoming {
    pub kind: LinkKind,
    /// Toàn bộ (true) or một phần; ignored for amendments.
    pub whole: bool,
    pub effective_on: NaiveDate,
}

impl Incoming {
    fn ends_wholly(&self) -> bool {
        self.kind.may_be_whole() && self.whole
    }
    fn ends_partly(&self) -> bool {
        self.kind.may_be_whole() && !self.whole
    }
}

/// The status of a document in force from `in_force_on` (ending on `expires_on`, if set),
/// with the links of later documents to it, on `day`.
pub fn status(in_force_on: NaiveDate, expires_on: Option<NaiveDate>, links: &[Incoming], day: NaiveDate) -> Status {
    if day < in_force_on {
        return Status::NotYetInForce;
    }
    if ended_on(expires_on, links).is_some_and(|e| e <= day) {
        return Status::Expired;
    }
    if links.iter().any(|l| l.ends_partly() && l.effective_on <= day) {
        return Status::PartlyExpired;
    }
    Status::InForce
}

/// The first day the document is no longer in force at all: its own expiry date or the
/// earliest whole replacement or repeal, whichever comes first.
pub fn ended_on(expires_on: Option<NaiveDate>, links: &[Incoming]) -> Option<NaiveDate> {
    links.iter().filter(|l| l.ends_wholly()).map(|l| l.effective_on).chain(expires_on).min()
}

/// The dates from which the status follows, for a reader that compares them with a day later
/// (the search feed): `(partly_expired_on, expired_on)`. `partly_expired_on` is the earliest
/// partial replacement or repeal, `expired_on` is [`ended_on`]. Amendments give neither.
/// [`status_on`] over these dates and the in-force date equals [`status`] on every day.
pub fn status_dates(expires_on: Option<NaiveDate>, links: &[Incoming]) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let partly = links.iter().filter(|l| l.ends_partly()).map(|l| l.effective_on).min();
    (partly, ended_on(expires_on, links))
}

/// The status on `day` from the dates alone (see [`status_dates`]).
pub fn status_on(in_force_on: NaiveDate, partly_expired_on: Option<NaiveDate>, expired_on: Option<NaiveDate>, day: NaiveDate) -> Status {
    if day < in_force_on {
        Status::NotYetInForce
    } else if expired_on.is_some_and(|e| e <= day) {
        Status::Expired
    } else if partly_expired_on.is_some_and(|p| p <= day) {
        Status::PartlyExpired
    } else {
        Status::InForce
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn link(kind: LinkKind, whole: bool, effective_on: NaiveDate) -> Incoming {
        Incoming { kind, whole, effective_on }
    }

    #[test]
    fn the_dates_give_the_same_status_as_the_links() {
        let cases: Vec<(Option<NaiveDate>, Vec<Incoming>)> = vec![
            (None, vec![]),
            (Some(d(2022, 1, 1)), vec![]),
            // Amendments never end validity, even marked whole.
            (None, vec![link(LinkKind::Amends, true, d(2019, 1, 1)), link(LinkKind::Amends, false, d(2020, 1, 1))]),
            (None, vec![link(LinkKind::Amends, false, d(2019, 1, 1)), link(LinkKind::Replaces, true, d(2024, 8, 1))]),
            (Some(d(2022, 1, 1)), vec![link(LinkKind::Repeals, false, d(2020, 1, 1))]),
            (Some(d(2030, 1, 1)), vec![link(LinkKind::Repeals, false, d(2021, 1, 1)), link(LinkKind::Replaces, false, d(2019, 6, 1)), link(LinkKind::Repeals, true, d(2025, 1, 1))]),
            // A whole repeal before a partial one.
            (None, vec![link(LinkKind::Repeals, true, d(2018, 1, 1)), link(LinkKind::Replaces, false, d(2020, 1, 1))]),
        ];
        let from = d(2015, 1, 1);
        for (expires, links) in &cases {
            let (partly, expired) = status_dates(*expires, links);
            let mut day = d(2014, 1, 1);
            while day < d(2032, 1, 1) {
                assert_eq!(status_on(from, partly, expired, day), status(from, *expires, links, day), "{expires:?} {links:?} {day}");
                day += chrono::Duration::days(17);
            }
        }
        assert_eq!(status_dates(None, &cases[2].1), (None, None), "amendments give no date");
        assert_eq!(status_dates(Some(d(2030, 1, 1)), &cases[5].1), (Some(d(2019, 6, 1)), Some(d(2025, 1, 1))));
    }
}
