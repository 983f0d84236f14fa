//! Property: figures anywhere in the i64 range, however they are combined, never panic or wrap in
//! validation, computation, aggregation or the roll-up delta; every figure above its indicator's
//! maximum is refused with a Vietnamese message; and every set of figures that validation
//! accepts adds up, over the largest possible tree, without leaving the i64 range.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use reports::rules::*;

fn catalogue() -> &'static FormCatalogue {
    static CAT: OnceLock<FormCatalogue> = OnceLock::new();
    CAT.get_or_init(|| FormCatalogue::builtin().expect("built-in forms load"))
}

fn forms() -> Vec<&'static ReportForm> {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    [("PBGDPL", d(2025, 6, 30)), ("PBGDPL", d(2026, 6, 30)), ("HGCS", d(2026, 6, 30)), ("TCPL", d(2026, 12, 31))]
        .into_iter()
        .map(|(code, day)| catalogue().form_for(code, day).unwrap())
        .collect()
}

/// Every entered integer figure of a form: (key, the indicator's maximum).
fn entered(form: &ReportForm) -> Vec<(ValueKey, i64)> {
    let mut out = Vec::new();
    for ind in form.indicators() {
        let (Some(max), false) = (ind.max_value(), ind.is_computed()) else { continue };
        out.push((ValueKey::total(&ind.code), max));
        for dim in &ind.disaggregations {
            for m in &catalogue().dimension(dim).unwrap().members {
                out.push((ValueKey::part(&ind.code, dim, &m.code), max));
            }
        }
    }
    out
}

/// Extreme figures: the edges of the i64 range and of the maxima, and anything between.
fn figure() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MAX),
        Just(i64::MIN),
        Just(i64::MAX - 1),
        Just(DEFAULT_MAX_COUNT),
        Just(DEFAULT_MAX_COUNT + 1),
        Just(DEFAULT_MAX_AMOUNT_VND),
        Just(DEFAULT_MAX_AMOUNT_VND + 1),
        Just(0i64),
        any::<i64>(),
        0i64..1_000_000,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn extreme_figures_are_refused_never_wrapped(which in 0usize..4, figures in prop::collection::vec(figure(), 1..80)) {
        let form = forms()[which];
        let keys = entered(form);
        let mut values = Values::new();
        for ((key, _), v) in keys.iter().zip(figures.iter().cycle()) {
            values.set(key.clone(), Value::Int(*v));
        }
        let errors = validate(catalogue(), form, &values);
        for (key, max) in &keys {
            let Some(v) = values.get(key).and_then(Value::as_int) else { continue };
            if v > *max || v < 0 {
                prop_assert!(errors.iter().any(|e| e.indicator == key.indicator), "{key:?} = {v} accepted");
            }
        }
        // Nothing below panics, whatever was typed.
        let computed = compute(form, &values);
        let _ = aggregate(form, &[&computed, &computed, &computed]);
        let _ = rollup_delta(form, Some(&computed), Some(&values));
        let _ = rollup_delta(form, None, Some(&computed));
    }

    #[test]
    fn accepted_figures_add_up_nationally_inside_i64(which in 0usize..4, seed in any::<u64>()) {
        // The largest accepted figure everywhere, from more reporters than the country has
        // (3,321 communes and their agencies): the national roll-up stays an i64.
        let form = forms()[which];
        let mut values = Values::new();
        for (key, max) in entered(form) {
            let v = if seed % 2 == 0 { max } else { max - (seed % 1000) as i64 };
            values.set(key, Value::Int(v));
        }
        let delta = rollup_delta(form, None, Some(&values));
        for (key, d) in delta {
            prop_assert!(d.checked_mul(8_000).is_some(), "{key}: {d} × 8,000 reporters leaves i64");
        }
    }
}

#[test]
fn a_figure_over_the_maximum_gets_a_vietnamese_message() {
    let form = catalogue().form_for("HGCS", NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()).unwrap();
    let mut values = Values::new();
    values.set_total("cases_received", Value::Int(9_223_372_036_854_775_807));
    let errors = validate(catalogue(), form, &values);
    let e = errors.iter().find(|e| e.indicator == "cases_received").unwrap();
    assert!(e.message_vi.contains("không được lớn hơn 1.000.000.000"), "{}", e.message_vi);
    // A breakdown of two i64::MAX parts plus 3 is not "1" any more: the sum is exact.
    let dim = form.indicator("cases_received").unwrap().disaggregations[0].clone();
    let members: Vec<String> = catalogue().dimension(&dim).unwrap().members.iter().map(|m| m.code.clone()).collect();
    let mut values = Values::new();
    values.set_total("cases_received", Value::Int(1));
    values.set(ValueKey::part("cases_received", &dim, &members[0]), Value::Int(i64::MAX));
    values.set(ValueKey::part("cases_received", &dim, &members[1]), Value::Int(i64::MAX));
    values.set(ValueKey::part("cases_received", &dim, &members[2]), Value::Int(3));
    let errors = validate(catalogue(), form, &values);
    assert!(errors.iter().any(|e| e.message_vi.contains("18.446.744.073.709.551.617")), "{errors:?}");
}
