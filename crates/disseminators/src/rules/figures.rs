//! The counting behind the report prefill (kernel port `ReportFigures`): who is serving at the
//! end of a period, and what the sessions held in it add up to. The store loads the facts of a
//! unit's subtree; this module only counts, so a property test can check it against a direct
//! count.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::kinds::Kind;

/// A registry entry as far as counting goes.
#[derive(Clone, Debug)]
pub struct PersonFact {
    pub id: i64,
    pub kind: Kind,
    pub recognised_on: NaiveDate,
    pub dismissed_on: Option<NaiveDate>,
}

impl PersonFact {
    /// Serving on `day`: recognised on or before it and not yet dismissed (the dismissal day
    /// is the first day out of service).
    pub fn serving_on(&self, day: NaiveDate) -> bool {
        self.recognised_on <= day && self.dismissed_on.is_none_or(|d| d > day)
    }
}

/// Propagandists serving on `day` and, of them, those with a training course (bồi dưỡng, tập
/// huấn) overlapping `[from, to]`: (trained, serving). Each entry is a propagandist with
/// whether such a course is on record. The legal-access indicator "tỷ lệ tuyên truyền viên
/// pháp luật được bồi dưỡng" reads it for the assessment year.
pub fn trained_of_serving(people: &[(PersonFact, bool)], day: NaiveDate) -> (i64, i64) {
    people.iter().filter(|(p, _)| p.kind == Kind::Propagandist && p.serving_on(day)).fold((0, 0), |(t, n), (_, trained)| {
        (t + i64::from(*trained), n + 1)
    })
}

/// A session as far as counting goes.
#[derive(Clone, Debug, Default)]
pub struct SessionFact {
    pub held_on: NaiveDate,
    pub attendees: i64,
    pub materials: i64,
    /// (target group code, attendees of that group).
    pub groups: Vec<(String, i64)>,
    /// Ids of the reporters and propagandists who took part.
    pub people: Vec<i64>,
}

/// The keys of the report cells this module fills.
pub const REPORTERS: &str = "reporters";
pub const PROPAGANDISTS: &str = "propagandists";
pub const DIRECT_DISSEMINATORS: &str = "direct_disseminators";
pub const DIRECT_SESSIONS: &str = "direct_sessions";
pub const DIRECT_ATTENDANCE: &str = "direct_attendance";
pub const MATERIALS_ISSUED: &str = "materials_issued";

/// The breakdown key of a figure by target group, as the report forms store it.
pub fn group_key(figure: &str, group: &str) -> String {
    format!("{figure}:target_group:{group}")
}

/// Every figure for the period `from..=to`, by key. `groups` are the target-group codes to
/// break down by (a zero is given for a group no session reached). Sums saturate.
pub fn count(people: &[PersonFact], sessions: &[SessionFact], from: NaiveDate, to: NaiveDate, groups: &[&str]) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    let serving = |k: Kind| people.iter().filter(|p| p.kind == k && p.serving_on(to)).count() as i64;
    out.insert(REPORTERS.to_string(), serving(Kind::Reporter));
    out.insert(PROPAGANDISTS.to_string(), serving(Kind::Propagandist));
    let mut involved = BTreeSet::new();
    let (mut n, mut attendance, mut materials) = (0i64, 0i64, 0i64);
    let mut by_group: BTreeMap<&str, (i64, i64)> = groups.iter().map(|g| (*g, (0, 0))).collect();
    for s in sessions.iter().filter(|s| s.held_on >= from && s.held_on <= to) {
        n += 1;
        attendance = attendance.saturating_add(s.attendees);
        materials = materials.saturating_add(s.materials);
        involved.extend(s.people.iter().copied());
        let mut seen = BTreeSet::new();
        for (g, a) in &s.groups {
            if !seen.insert(g.as_str()) {
                continue;
            }
            if let Some(e) = by_group.get_mut(g.as_str()) {
                e.0 += 1;
                e.1 = e.1.saturating_add(*a);
            }
        }
    }
    out.insert(DIRECT_DISSEMINATORS.to_string(), involved.len() as i64);
    out.insert(DIRECT_SESSIONS.to_string(), n);
    out.insert(DIRECT_ATTENDANCE.to_string(), attendance);
    out.insert(MATERIALS_ISSUED.to_string(), materials);
    for (g, (s, a)) in by_group {
        out.insert(group_key(DIRECT_SESSIONS, g), s);
        out.insert(group_key(DIRECT_ATTENDANCE, g), a);
    }
    out
}
