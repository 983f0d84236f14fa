//! Rules of the registries: the shipped catalogues parse and agree with the report forms'
//! target groups, the Art. 35 check, and the report prefill equals a direct count over random
//! registries and sessions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use chrono::NaiveDate;
use disseminators::rules::catalogue::{self, CriteriaVersion};
use disseminators::rules::criteria::reporter_warning;
use disseminators::rules::figures::{self, PersonFact, SessionFact};
use disseminators::rules::kinds::{Kind, Qualification, RegStatus};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn shipped_catalogue_parses_with_legal_basis_and_certainty() {
    let c = catalogue::shipped().unwrap();
    assert!(!c.forms.forms.is_empty() && c.forms.version >= 1);
    for f in ["conference", "loudspeaker", "mobile", "online"] {
        assert!(c.form(f).is_some(), "{f}");
    }
    assert!(!c.forms.legal_basis.is_empty() && !c.groups.legal_basis.is_empty());
    for v in &c.criteria {
        assert!(!v.legal_basis.is_empty() && ["V", "P", "U"].contains(&v.certainty.as_str()));
    }
    let art35 = c.criteria_on(d(2026, 1, 1)).unwrap();
    assert_eq!((art35.law_degree_min_years, art35.other_degree_min_years), (2, 3));
    assert!(c.criteria_on(d(2012, 12, 31)).is_none(), "before the law took effect");
}

#[test]
fn target_groups_are_those_of_the_report_forms() {
    let dims: toml::Value = toml::from_str(include_str!("../../reports/data/forms/dimensions.toml")).unwrap();
    let tg = dims["dimensions"].as_array().unwrap().iter().find(|d| d["code"].as_str() == Some("target_group")).unwrap();
    let theirs: BTreeSet<&str> = tg["members"].as_array().unwrap().iter().map(|m| m["code"].as_str().unwrap()).collect();
    let ours: BTreeSet<&str> = catalogue::shipped().unwrap().groups.groups.iter().map(|g| g.code.as_str()).collect();
    assert_eq!(ours, theirs);
}

#[test]
fn catalogue_refuses_repeated_codes() {
    let forms = "version = 1\nlegal_basis = \"x\"\nvalid_from = \"2013-01-01\"\ncertainty = \"U\"\n[[forms]]\ncode = \"a\"\nname = \"A\"\n[[forms]]\ncode = \"a\"\nname = \"B\"\n";
    assert!(catalogue::parse(catalogue::CRITERIA_TOML, forms, catalogue::GROUPS_TOML).unwrap_err().contains("repeated"));
}

fn art35() -> CriteriaVersion {
    catalogue::shipped().unwrap().criteria_on(d(2026, 1, 1)).unwrap().clone()
}

#[test]
fn article_35_thresholds() {
    let c = art35();
    assert!(reporter_warning(&c, Qualification::Law, 2).is_none());
    assert!(reporter_warning(&c, Qualification::Law, 1).unwrap().contains("ít nhất 2 năm"));
    assert!(reporter_warning(&c, Qualification::OtherDegree, 3).is_none());
    assert!(reporter_warning(&c, Qualification::OtherDegree, 2).unwrap().contains("ít nhất 3 năm"));
    assert!(reporter_warning(&c, Qualification::Other, 30).is_some());
    // The thresholds are data: a later version with other numbers changes the answer.
    let stricter = CriteriaVersion { law_degree_min_years: 5, ..c };
    assert!(reporter_warning(&stricter, Qualification::Law, 4).is_some());
}

#[test]
fn codes_round_trip() {
    for k in [Kind::Reporter, Kind::Propagandist] {
        assert_eq!(Kind::parse(k.as_str()), Some(k));
    }
    for q in Qualification::ALL {
        assert_eq!(Qualification::parse(q.as_str()), Some(q));
    }
    for s in [RegStatus::Registered, RegStatus::Listed, RegStatus::NotListed, RegStatus::Recognised] {
        assert_eq!(RegStatus::parse(s.as_str()), Some(s));
    }
    assert!(!RegStatus::Recognised.reviewable());
}

#[test]
fn serving_ends_on_the_dismissal_day() {
    let p = PersonFact { id: 1, kind: Kind::Reporter, recognised_on: d(2025, 3, 1), dismissed_on: Some(d(2026, 6, 30)) };
    assert!(!p.serving_on(d(2025, 2, 28)));
    assert!(p.serving_on(d(2025, 3, 1)));
    assert!(p.serving_on(d(2026, 6, 29)));
    assert!(!p.serving_on(d(2026, 6, 30)));
}

const GROUPS: [&str; 3] = ["disabled", "detained", "enterprise_workers"];

fn day_strategy() -> impl Strategy<Value = NaiveDate> {
    (0i64..730).prop_map(|n| d(2025, 1, 1) + chrono::Duration::days(n))
}

fn person_strategy() -> impl Strategy<Value = PersonFact> {
    (0i64..12, any::<bool>(), day_strategy(), proptest::option::of(day_strategy())).prop_map(|(id, rep, rec, dis)| PersonFact {
        id,
        kind: if rep { Kind::Reporter } else { Kind::Propagandist },
        recognised_on: rec,
        dismissed_on: dis.filter(|x| *x >= rec),
    })
}

fn session_strategy() -> impl Strategy<Value = SessionFact> {
    (day_strategy(), 0i64..500, 0i64..1000, proptest::collection::vec((0usize..4, 0i64..100), 0..4), proptest::collection::vec(0i64..12, 0..4))
        .prop_map(|(held_on, attendees, materials, groups, people)| SessionFact {
            held_on,
            attendees,
            materials,
            // Index 3 is a code the report does not break down by: ignored.
            groups: groups.into_iter().map(|(g, n)| (GROUPS.get(g).copied().unwrap_or("other").to_string(), n)).collect(),
            people,
        })
}

proptest! {
    #[test]
    fn prefill_equals_a_direct_count(
        people in proptest::collection::vec(person_strategy(), 0..15),
        sessions in proptest::collection::vec(session_strategy(), 0..30),
        a in day_strategy(),
        b in day_strategy(),
    ) {
        let (from, to) = if a <= b { (a, b) } else { (b, a) };
        let got = figures::count(&people, &sessions, from, to, &GROUPS);
        // The direct count: a plain loop per figure.
        let in_period: Vec<&SessionFact> = sessions.iter().filter(|s| from <= s.held_on && s.held_on <= to).collect();
        let serving = |k: Kind| people.iter().filter(|p| p.kind == k && p.recognised_on <= to && p.dismissed_on.is_none_or(|x| x > to)).count() as i64;
        prop_assert_eq!(got["reporters"], serving(Kind::Reporter));
        prop_assert_eq!(got["propagandists"], serving(Kind::Propagandist));
        prop_assert_eq!(got["direct_sessions"], in_period.len() as i64);
        prop_assert_eq!(got["direct_attendance"], in_period.iter().map(|s| s.attendees).sum::<i64>());
        prop_assert_eq!(got["materials_issued"], in_period.iter().map(|s| s.materials).sum::<i64>());
        let distinct: BTreeSet<i64> = in_period.iter().flat_map(|s| s.people.iter().copied()).collect();
        prop_assert_eq!(got["direct_disseminators"], distinct.len() as i64);
        for g in GROUPS {
            let reached: Vec<&&SessionFact> = in_period.iter().filter(|s| s.groups.iter().any(|(c, _)| c == g)).collect();
            let attendance: i64 = reached.iter().map(|s| s.groups.iter().find(|(c, _)| c == g).map(|(_, n)| *n).unwrap_or(0)).sum();
            prop_assert_eq!(got[&figures::group_key("direct_sessions", g)], reached.len() as i64);
            prop_assert_eq!(got[&figures::group_key("direct_attendance", g)], attendance);
        }
        prop_assert!(!got.keys().any(|k| k.ends_with(":other")));
    }
}
