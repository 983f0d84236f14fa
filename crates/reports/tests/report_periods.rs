//! Reporting periods: keys, dates, deadlines and cut-offs with per-province overrides.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use reports::rules::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn keys_round_trip() {
    let cases = [
        (PeriodKind::HalfYear, 2025, 1, "2025-H1"),
        (PeriodKind::HalfYear, 2025, 2, "2025-H2"),
        (PeriodKind::Year, 2025, 1, "2025-Y"),
        (PeriodKind::Quarter, 2025, 3, "2025-Q3"),
        (PeriodKind::Month, 2025, 7, "2025-M07"),
        (PeriodKind::Month, 2025, 12, "2025-M12"),
        (PeriodKind::AdHoc, 2025, 2, "2025-A02"),
    ];
    for (k, y, i, key) in cases {
        let p = Period::new(k, y, i).unwrap();
        assert_eq!(p.key(), key);
        assert_eq!(p.to_string(), key);
        assert_eq!(key.parse::<Period>(), Ok(p));
    }
    for bad in [
        "2025", "2025-H3", "2025-Q0", "2025-M7", "2025-M13", "25-Y", "2025-Y1", "2025-X1",
        "2025-H", "",
    ] {
        assert!(bad.parse::<Period>().is_err(), "{bad} should not parse");
    }
    assert!(Period::new(PeriodKind::Year, 2025, 2).is_err());
}

#[test]
fn start_and_end_dates() {
    let p: Period = "2025-H1".parse().unwrap();
    assert_eq!((p.start(), p.end()), (d(2025, 1, 1), d(2025, 6, 30)));
    let p: Period = "2025-H2".parse().unwrap();
    assert_eq!((p.start(), p.end()), (d(2025, 7, 1), d(2025, 12, 31)));
    let p: Period = "2025-Q3".parse().unwrap();
    assert_eq!((p.start(), p.end()), (d(2025, 7, 1), d(2025, 9, 30)));
    let p: Period = "2024-M02".parse().unwrap();
    assert_eq!((p.start(), p.end()), (d(2024, 2, 1), d(2024, 2, 29)));
    let p: Period = "2025-Y".parse().unwrap();
    assert_eq!((p.start(), p.end()), (d(2025, 1, 1), d(2025, 12, 31)));
    assert!(p.contains(d(2025, 6, 15)) && !p.contains(d(2026, 1, 1)));
    assert_eq!(
        period_containing(PeriodKind::Quarter, d(2025, 8, 9)).map(|p| p.key()),
        Some("2025-Q3".into())
    );
    assert_eq!(
        period_containing(PeriodKind::HalfYear, d(2025, 6, 30)).map(|p| p.key()),
        Some("2025-H1".into())
    );
}

#[test]
fn builtin_deadlines_and_overrides() {
    let rules = DeadlineRules::builtin().unwrap();
    let h1: Period = "2026-H1".parse().unwrap();
    let y: Period = "2026-Y".parse().unwrap();
    let q3: Period = "2026-Q3".parse().unwrap();
    let m12: Period = "2026-M12".parse().unwrap();
    let adhoc: Period = "2026-A01".parse().unwrap();
    let c = FillerLevel::Commune;
    let p = FillerLevel::Province;

    // Sơn Động practice, province 24 (Bắc Ninh): 6-month due 20/5, annual due 15/11.
    assert_eq!(deadline(&h1, c, Some("24"), &rules), Some(d(2026, 5, 20)));
    assert_eq!(deadline(&y, c, Some("24"), &rules), Some(d(2026, 11, 15)));
    assert_eq!(cutoff(&h1, c, Some("24"), &rules), Some(d(2026, 5, 15)));
    // Other provinces use the defaults.
    assert_eq!(deadline(&h1, c, Some("01"), &rules), Some(d(2026, 6, 10)));
    assert_eq!(deadline(&h1, c, None, &rules), Some(d(2026, 6, 10)));
    assert_eq!(deadline(&h1, p, Some("24"), &rules), Some(d(2026, 6, 25)));
    assert_eq!(cutoff(&y, p, None, &rules), Some(d(2026, 10, 31)));
    // Relative rules.
    assert_eq!(deadline(&q3, c, None, &rules), Some(d(2026, 10, 10)));
    assert_eq!(deadline(&m12, c, None, &rules), Some(d(2027, 1, 5)));
    assert_eq!(cutoff(&m12, c, None, &rules), Some(d(2026, 12, 31)));
    // Ad hoc: deadline comes with the request.
    assert_eq!(deadline(&adhoc, c, None, &rules), None);
    assert!(is_late(&h1, c, Some("24"), &rules, d(2026, 5, 21)));
    assert!(!is_late(&h1, c, Some("24"), &rules, d(2026, 5, 20)));

    // TT 03/2019 rules for period years up to 2025: cut-offs 31/5, 31/10 (local), 30/11 (ministries).
    let h1_25: Period = "2025-H1".parse().unwrap();
    let y25: Period = "2025-Y".parse().unwrap();
    assert_eq!(cutoff(&h1_25, p, None, &rules), Some(d(2025, 5, 31)));
    assert_eq!(deadline(&h1_25, p, None, &rules), Some(d(2025, 6, 25)));
    assert_eq!(
        deadline(&h1_25, FillerLevel::Ministry, None, &rules),
        Some(d(2025, 6, 16))
    );
    assert_eq!(cutoff(&y25, c, None, &rules), Some(d(2025, 10, 31)));
    assert_eq!(
        cutoff(&y25, FillerLevel::Ministry, None, &rules),
        Some(d(2025, 11, 30))
    );
    // Every rule records its certainty and source.
    assert!(rules.rules.iter().all(|r| !r.source.is_empty()));
}

#[test]
fn most_specific_rule_wins() {
    let text = r#"
[[rules]]
kind = "half_year"
due = { kind = "after_end", days = 30 }
cutoff = { kind = "after_end", days = 0 }
certainty = "U"

[[rules]]
kind = "half_year"
index = 2
due = { kind = "fixed", month = 1, day = 15, year_offset = 1 }
cutoff = { kind = "fixed", month = 12, day = 31 }
certainty = "U"

[[rules]]
kind = "half_year"
province = "01"
due = { kind = "after_end", days = 5 }
cutoff = { kind = "after_end", days = 0 }
certainty = "U"
"#;
    let rules = DeadlineRules::from_toml(text).unwrap();
    let h1: Period = "2026-H1".parse().unwrap();
    let h2: Period = "2026-H2".parse().unwrap();
    let c = FillerLevel::Commune;
    assert_eq!(deadline(&h1, c, None, &rules), Some(d(2026, 7, 30)));
    assert_eq!(deadline(&h2, c, None, &rules), Some(d(2027, 1, 15)));
    assert_eq!(deadline(&h2, c, Some("01"), &rules), Some(d(2027, 1, 5)));
    assert!(DeadlineRules::from_toml(&text.replace("day = 15", "day = 32")).is_err());
}

proptest::proptest! {
    /// Every shipped deadline rule, for every period kind, index, level and province override:
    /// the cut-off falls inside the period's year and not before the period starts' season, and
    /// the deadline falls after the cut-off and after the period has started. (The round "6 tháng
    /// cuối năm 2026" once got 10/06/2026, before its period began.)
    #[test]
    fn deadlines_fall_after_the_cutoff_and_the_period_start(
        year in 2018i32..2035,
        which in 0usize..4,
        index in 1u32..13,
        level in proptest::sample::select(vec![FillerLevel::Commune, FillerLevel::Province, FillerLevel::Agency, FillerLevel::Ministry]),
        province in proptest::sample::select(vec![None, Some("24"), Some("20")]),
    ) {
        let rules = DeadlineRules::builtin().unwrap();
        let kind = [PeriodKind::HalfYear, PeriodKind::Year, PeriodKind::Quarter, PeriodKind::Month][which];
        let Ok(period) = Period::new(kind, year, index) else { return Ok(()) };
        let due = deadline(&period, level, province, &rules);
        let cut = cutoff(&period, level, province, &rules);
        if let (Some(due), Some(cut)) = (due, cut) {
            proptest::prop_assert!(due > period.start(), "{period:?} {level:?} {province:?}: due {due} before the period starts {}", period.start());
            proptest::prop_assert!(due >= cut, "{period:?} {level:?} {province:?}: due {due} before the cut-off {cut}");
            proptest::prop_assert!(cut >= period.start(), "{period:?} {level:?} {province:?}: cut-off {cut} before the period starts");
        } else {
            proptest::prop_assert!(due.is_none() && cut.is_none(), "{period:?}: a deadline without a cut-off or the reverse");
        }
    }
}

#[test]
fn the_second_half_is_due_at_the_end_of_the_year() {
    let rules = DeadlineRules::builtin().unwrap();
    let h2 = Period::new(PeriodKind::HalfYear, 2026, 2).unwrap();
    let due = deadline(&h2, FillerLevel::Commune, None, &rules).unwrap();
    assert!(due > d(2026, 7, 1), "{due}");
    let h2_son_dong = deadline(&h2, FillerLevel::Commune, Some("24"), &rules).unwrap();
    assert!(h2_son_dong > d(2026, 7, 1), "{h2_son_dong}");
    let h1 = Period::new(PeriodKind::HalfYear, 2026, 1).unwrap();
    assert_eq!(deadline(&h1, FillerLevel::Commune, None, &rules), Some(d(2026, 6, 10)));
}
