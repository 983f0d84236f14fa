//! Rules of the live roll-up (tổng hợp) and of report locks (khóa số liệu): pure functions
//! the database layer applies inside the approving transaction.
//!
//! The roll-up of a round keeps, for every unit on the path of an approved report, the sum of
//! each additive figure (counts and amounts, totals and breakdowns) over the approved reports
//! below it. Approving a report adds its figures to each of its ancestors; returning or
//! unlocking an approved report subtracts exactly what was added. Computed indicators
//! (sums, percentages, ratios) are never stored: they are recomputed from the summed inputs
//! when shown, so a percentage is never averaged.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::form::{Aggregation, ReportForm};
use super::msg;
use super::state::ReportState;
use super::values::{ValueKey, Values};

/// The stored figures of a report that take part in the roll-up: additive, entered (not
/// computed) integer values, by stored key.
pub fn additive(form: &ReportForm, values: &Values) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for (key, value) in values.iter() {
        let Some(ind) = form.indicator(&key.indicator) else {
            continue;
        };
        if ind.aggregation() != Aggregation::Sum || ind.is_computed() {
            continue;
        }
        if let Some(v) = value.as_int() {
            out.insert(key.db_key(), v);
        }
    }
    out
}

/// What to add to each ancestor's roll-up when a report's counted figures change from
/// `before` to `after` (`None` = the report does not count: not approved). Keys whose delta is
/// 0 are left out.
pub fn rollup_delta(
    form: &ReportForm,
    before: Option<&Values>,
    after: Option<&Values>,
) -> BTreeMap<String, i64> {
    let mut delta: BTreeMap<String, i64> = BTreeMap::new();
    if let Some(b) = before {
        for (k, v) in additive(form, b) {
            let e = delta.entry(k).or_insert(0);
            *e = e.saturating_sub(v);
        }
    }
    if let Some(a) = after {
        for (k, v) in additive(form, a) {
            let e = delta.entry(k).or_insert(0);
            *e = e.saturating_add(v);
        }
    }
    delta.retain(|_, v| *v != 0);
    delta
}

/// Status of a reporting round (kỳ báo cáo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundStatus {
    /// Đã lập, chưa mở: reports do not exist yet.
    Planned,
    /// Đang mở: units fill and submit.
    Open,
    /// Đã đóng: every figure is locked.
    Closed,
}

impl RoundStatus {
    pub fn parse(s: &str) -> Option<RoundStatus> {
        match s {
            "planned" => Some(RoundStatus::Planned),
            "open" => Some(RoundStatus::Open),
            "closed" => Some(RoundStatus::Closed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Planned => "planned",
            RoundStatus::Open => "open",
            RoundStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RoundStatus::Planned => "Chưa mở",
            RoundStatus::Open => "Đang mở",
            RoundStatus::Closed => "Đã đóng",
        }
    }
}

/// Why a report's figures cannot be changed. Every lock says its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lock {
    /// The report was approved (by whom and when is shown beside it).
    Approved,
    /// Submitted, waiting for the level above.
    Submitted,
    /// The round is not open yet.
    NotOpen,
    /// The round was closed.
    RoundClosed,
    /// The deadline plus the grace days passed before the report was submitted.
    PastDeadline { due: NaiveDate, locked_from: NaiveDate },
}

impl Lock {
    /// The Vietnamese explanation shown beside the form.
    pub fn message_vi(&self) -> String {
        match self {
            Lock::Approved => msg::LOCK_APPROVED.to_string(),
            Lock::Submitted => msg::LOCK_SUBMITTED.to_string(),
            Lock::NotOpen => msg::LOCK_NOT_OPEN.to_string(),
            Lock::RoundClosed => msg::LOCK_ROUND_CLOSED.to_string(),
            Lock::PastDeadline { due, locked_from } => msg::lock_past_deadline(
                &text_vi::format_date(*due),
                &text_vi::format_date(*locked_from),
            ),
        }
    }

    /// Short code for logs, the API and the audit trail.
    pub fn code(&self) -> &'static str {
        match self {
            Lock::Approved => "approved",
            Lock::Submitted => "submitted",
            Lock::NotOpen => "not_open",
            Lock::RoundClosed => "round_closed",
            Lock::PastDeadline { .. } => "past_deadline",
        }
    }
}

/// Whether a report is locked on `today`, and why. A draft or returned report is editable
/// while its round is open, until `lock_after_days` days after the deadline (never when
/// `None`), unless the level above unlocked it until a date not yet passed.
pub fn lock(
    state: ReportState,
    round: RoundStatus,
    due: Option<NaiveDate>,
    lock_after_days: Option<i64>,
    unlocked_until: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<Lock> {
    match round {
        RoundStatus::Planned => return Some(Lock::NotOpen),
        RoundStatus::Closed => {
            return Some(if state == ReportState::Approved { Lock::Approved } else { Lock::RoundClosed });
        }
        RoundStatus::Open => {}
    }
    match state {
        ReportState::Approved => return Some(Lock::Approved),
        ReportState::Submitted => return Some(Lock::Submitted),
        ReportState::Draft | ReportState::Returned => {}
    }
    if unlocked_until.is_some_and(|u| today <= u) {
        return None;
    }
    let (Some(due), Some(days)) = (due, lock_after_days) else {
        return None;
    };
    let locked_from = due + chrono::Duration::days(days.max(0) + 1);
    (today >= locked_from).then_some(Lock::PastDeadline { due, locked_from })
}

/// A report seen by the completeness view (tình hình nộp báo cáo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Submitted (or approved) on or before the deadline.
    OnTime,
    /// Submitted after the deadline.
    Late,
    /// Not submitted, deadline not passed yet.
    Pending,
    /// Not submitted and the deadline has passed.
    Missing,
}

impl Timeliness {
    pub fn label(self) -> &'static str {
        match self {
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Muộn",
            Timeliness::Pending => "Chưa nộp (còn hạn)",
            Timeliness::Missing => "Chưa nộp (quá hạn)",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
            Timeliness::Pending => "pending",
            Timeliness::Missing => "missing",
        }
    }

    /// Whether the report has been sent to the level above.
    pub fn submitted(self) -> bool {
        matches!(self, Timeliness::OnTime | Timeliness::Late)
    }
}

/// On time, late, pending or missing. `first_submitted` is the day the report was first sent
/// (a later re-submission after a return does not make it late); the deadline counts in
/// Vietnam's calendar day, passed in by the caller.
pub fn timeliness(
    state: ReportState,
    first_submitted: Option<NaiveDate>,
    due: Option<NaiveDate>,
    today: NaiveDate,
) -> Timeliness {
    let sent = matches!(state, ReportState::Submitted | ReportState::Approved)
        || (state == ReportState::Returned && first_submitted.is_some());
    match (sent, first_submitted, due) {
        (true, Some(d), Some(due)) if d > due => Timeliness::Late,
        (true, _, _) => Timeliness::OnTime,
        (false, _, Some(due)) if today > due => Timeliness::Missing,
        (false, _, _) => Timeliness::Pending,
    }
}

/// Splits a stored key back into a [`ValueKey`]; unknown shapes are skipped by callers.
pub fn parse_key(s: &str) -> Option<ValueKey> {
    ValueKey::from_db_key(s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::rules::{FormCatalogue, Value};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn hgcs() -> ReportForm {
        let c = FormCatalogue::builtin().unwrap();
        c.form_for("HGCS", d(2026, 6, 30)).unwrap().clone()
    }

    #[test]
    fn delta_adds_and_subtracts_only_entered_additive_figures() {
        let form = hgcs();
        let mut a = Values::new();
        a.set_total("cases_received", Value::Int(10));
        a.set_total("cases_settled", Value::Int(7));
        a.set_total("settled_rate", Value::Real(70.0));
        a.set(ValueKey::part("cases_received", "mediation_field", "land"), Value::Int(4));
        let up = rollup_delta(&form, None, Some(&a));
        assert_eq!(up.get("cases_received"), Some(&10));
        assert_eq!(up.get("cases_received:mediation_field:land"), Some(&4));
        assert!(!up.contains_key("settled_rate"));
        let mut b = a.clone();
        b.set_total("cases_received", Value::Int(12));
        let change = rollup_delta(&form, Some(&a), Some(&b));
        assert_eq!(change.len(), 1);
        assert_eq!(change.get("cases_received"), Some(&2));
        let down = rollup_delta(&form, Some(&b), None);
        assert_eq!(down.get("cases_received"), Some(&-12));
    }

    #[test]
    fn locks_say_why() {
        let due = d(2026, 6, 10);
        let open = RoundStatus::Open;
        assert_eq!(lock(ReportState::Draft, open, Some(due), Some(30), None, d(2026, 7, 10)), None);
        let l = lock(ReportState::Draft, open, Some(due), Some(30), None, d(2026, 7, 11)).unwrap();
        assert_eq!(l.code(), "past_deadline");
        assert!(l.message_vi().contains("10/06/2026"));
        assert_eq!(lock(ReportState::Draft, open, Some(due), Some(30), Some(d(2026, 7, 20)), d(2026, 7, 15)), None);
        assert_eq!(lock(ReportState::Draft, open, Some(due), None, None, d(2027, 1, 1)), None);
        assert_eq!(lock(ReportState::Approved, open, None, None, None, due), Some(Lock::Approved));
        assert_eq!(lock(ReportState::Draft, RoundStatus::Closed, None, None, None, due), Some(Lock::RoundClosed));
        assert_eq!(lock(ReportState::Draft, RoundStatus::Planned, None, None, None, due), Some(Lock::NotOpen));
        for l in [Lock::Approved, Lock::Submitted, Lock::NotOpen, Lock::RoundClosed] {
            assert!(!l.message_vi().is_empty());
        }
    }

    #[test]
    fn timeliness_rules() {
        let due = d(2026, 6, 10);
        let t = |s, f, today| timeliness(s, f, Some(due), today);
        assert_eq!(t(ReportState::Submitted, Some(due), d(2026, 7, 1)), Timeliness::OnTime);
        assert_eq!(t(ReportState::Approved, Some(d(2026, 6, 11)), d(2026, 7, 1)), Timeliness::Late);
        assert_eq!(t(ReportState::Returned, Some(d(2026, 6, 1)), d(2026, 7, 1)), Timeliness::OnTime);
        assert_eq!(t(ReportState::Draft, None, d(2026, 6, 10)), Timeliness::Pending);
        assert_eq!(t(ReportState::Draft, None, d(2026, 6, 11)), Timeliness::Missing);
    }

    #[test]
    fn keys_round_trip() {
        for k in [ValueKey::total("a"), ValueKey::part("a", "dim", "m")] {
            assert_eq!(ValueKey::from_db_key(&k.db_key()), Some(k));
        }
        assert_eq!(ValueKey::from_db_key(""), None);
        assert_eq!(ValueKey::from_db_key("a:b"), None);
        assert_eq!(ValueKey::from_db_key("a::m"), None);
    }

    #[test]
    fn form_versions_round_trip_through_toml() {
        let c = FormCatalogue::builtin().unwrap();
        for f in c.forms() {
            let text = f.to_toml().unwrap();
            let back = c.parse_version(&text).unwrap();
            assert_eq!(&back, f);
        }
        assert!(c.parse_version("").is_err());
        assert!(c.parse_version("[[forms]]\ncode = 1").is_err());
    }
}
