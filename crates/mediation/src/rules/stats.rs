//! The mediation figures of a unit and a period, as the reports count them: teams and serving
//! mediators on the period's last day, cases received in the period by field and by where they
//! stand. The store computes the same figures in SQL; a property test checks that both agree.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};

use super::case::Status;

#[derive(Clone, Debug)]
pub struct TeamFact {
    pub id: i64,
    pub established_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub struct MediatorFact {
    pub team_id: i64,
    pub served_from: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub female: bool,
    pub ethnic_minority: bool,
    pub trained: bool,
}

#[derive(Clone, Debug)]
pub struct CaseFact {
    pub received_on: NaiveDate,
    pub field: String,
    pub status: Status,
}

/// The figures of the grassroots-mediation report form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub teams: i64,
    pub mediators: i64,
    pub mediators_female: i64,
    pub mediators_ethnic_minority: i64,
    pub mediators_trained: i64,
    pub cases_received: i64,
    pub by_field: BTreeMap<String, i64>,
    pub cases_settled: i64,
    pub cases_not_settled: i64,
    pub cases_in_progress: i64,
}

/// In force on `day`: started on or before it and not ended by it.
pub fn in_force(from: NaiveDate, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from <= day && to.is_none_or(|t| t > day)
}

/// Counts the figures of the period `[start, end]`.
pub fn count(teams: &[TeamFact], mediators: &[MediatorFact], cases: &[CaseFact], start: NaiveDate, end: NaiveDate) -> Figures {
    let mut f = Figures::default();
    let live: Vec<i64> = teams.iter().filter(|t| in_force(t.established_on, t.ended_on, end)).map(|t| t.id).collect();
    f.teams = live.len() as i64;
    for m in mediators.iter().filter(|m| live.contains(&m.team_id) && in_force(m.served_from, m.ended_on, end)) {
        f.mediators += 1;
        f.mediators_female += i64::from(m.female);
        f.mediators_ethnic_minority += i64::from(m.ethnic_minority);
        f.mediators_trained += i64::from(m.trained);
    }
    for c in cases.iter().filter(|c| c.status.is_case() && start <= c.received_on && c.received_on <= end) {
        f.cases_received += 1;
        *f.by_field.entry(c.field.clone()).or_default() += 1;
        match c.status {
            Status::Settled => f.cases_settled += 1,
            Status::NotSettled => f.cases_not_settled += 1,
            s if s.is_open() => f.cases_in_progress += 1,
            _ => {}
        }
    }
    f
}

/// The figures as report cells (`cases_received:mediation_field:land` for a field).
pub fn cells(f: &Figures) -> Vec<(String, i64)> {
    let mut out = vec![
        ("teams".to_string(), f.teams),
        ("mediators".to_string(), f.mediators),
        ("mediators_female".to_string(), f.mediators_female),
        ("mediators_ethnic_minority".to_string(), f.mediators_ethnic_minority),
        ("mediators_trained".to_string(), f.mediators_trained),
        ("cases_received".to_string(), f.cases_received),
        ("cases_settled".to_string(), f.cases_settled),
        ("cases_not_settled".to_string(), f.cases_not_settled),
        ("cases_in_progress".to_string(), f.cases_in_progress),
    ];
    for (field, n) in &f.by_field {
        out.push((format!("cases_received:mediation_field:{field}"), *n));
    }
    out
}

/// The share of successful cases among those received, in per mille (750 = 75,0 %).
pub fn success_permille(f: &Figures) -> Option<i64> {
    (f.cases_received > 0).then(|| f.cases_settled * 1000 / f.cases_received)
}

/// A run of days `[first, last]`; empty when `first > last`.
pub type Days2 = (NaiveDate, NaiveDate);

/// How the cases of a period `[start, end]` are counted (see docs/mediation.md, "Counting"):
/// the whole calendar months inside it from the monthly counts (`months`: the first days of the
/// first and the last whole month), and the days before and after them (`head`, `tail`) from the
/// cases themselves. Every day of the period is in exactly one of the three; a property test
/// checks it. Empty runs are `(start, start - 1 day)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodSplit {
    pub head: Days2,
    pub months: Days2,
    pub tail: Days2,
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    month_start(d).checked_add_months(chrono::Months::new(1)).unwrap_or(d)
}

/// Splits `[start, end]` into days, whole months and days.
pub fn split_period(start: NaiveDate, end: NaiveDate) -> PeriodSplit {
    let empty = (start, start.checked_sub_days(Days::new(1)).unwrap_or(start));
    let first_whole = if start.day() == 1 { start } else { next_month(start) };
    // The first day after the last whole month: the day after `end` when `end` closes its
    // month, else the first day of `end`'s month.
    let after_end = end.checked_add_days(Days::new(1)).unwrap_or(end);
    let after_whole = if after_end.day() == 1 { after_end } else { month_start(end) };
    if start > end || first_whole >= after_whole {
        return PeriodSplit { head: if start > end { empty } else { (start, end) }, months: empty, tail: empty };
    }
    let before = |d: NaiveDate| d.checked_sub_days(Days::new(1)).unwrap_or(d);
    let last_month = month_start(before(after_whole));
    PeriodSplit {
        head: if first_whole > start { (start, before(first_whole)) } else { empty },
        months: (first_whole, last_month),
        tail: if after_whole <= end { (after_whole, end) } else { empty },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    fn within(r: Days2, x: NaiveDate) -> bool {
        r.0 <= x && x <= r.1
    }

    #[test]
    fn a_half_year_is_six_whole_months() {
        let s = split_period(d(2026, 1, 1), d(2026, 6, 30));
        assert_eq!(s.months, (d(2026, 1, 1), d(2026, 6, 1)));
        assert!(s.head.0 > s.head.1 && s.tail.0 > s.tail.1);
    }

    #[test]
    fn ragged_ends_are_counted_by_day() {
        let s = split_period(d(2025, 10, 15), d(2026, 4, 14));
        assert_eq!(s.head, (d(2025, 10, 15), d(2025, 10, 31)));
        assert_eq!(s.months, (d(2025, 11, 1), d(2026, 3, 1)));
        assert_eq!(s.tail, (d(2026, 4, 1), d(2026, 4, 14)));
    }

    #[test]
    fn a_period_inside_one_month_is_all_days() {
        let s = split_period(d(2026, 2, 3), d(2026, 2, 27));
        assert_eq!(s.head, (d(2026, 2, 3), d(2026, 2, 27)));
        assert!(s.months.0 > s.months.1 && s.tail.0 > s.tail.1);
    }

    proptest! {
        #[test]
        fn every_day_is_counted_exactly_once(a in 0i64..800, len in -3i64..500, probe in -40i64..900) {
            let base = d(2024, 1, 1);
            let start = base + chrono::Duration::days(a);
            let end = start + chrono::Duration::days(len);
            let x = base + chrono::Duration::days(probe);
            let s = split_period(start, end);
            let hits = usize::from(within(s.head, x)) + usize::from(within(s.tail, x)) + usize::from(within(s.months, month_start(x)));
            prop_assert_eq!(hits, usize::from(start <= x && x <= end), "{:?} {:?} {:?}", start, end, s);
            // Whole months lie inside the period.
            if s.months.0 <= s.months.1 {
                prop_assert!(start <= s.months.0 && next_month(s.months.1) <= end + chrono::Duration::days(1));
            }
        }
    }
}
