//! The mediation figures of a unit and a period, as the reports count them: teams and serving
//! mediators on the period's last day, cases received in the period by field and by where they
//! stand. The store computes the same figures in SQL; a property test checks that both agree.

use std::collections::BTreeMap;

use chrono::NaiveDate;

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
            Status::Successful => f.cases_settled += 1,
            Status::Unsuccessful => f.cases_not_settled += 1,
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
