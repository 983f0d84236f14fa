//! Property: for random unit trees and random submit / return / re-submit / approve sequences on
//! the leaves, `aggregate` at every node equals the sum over the approved leaves below it for
//! every additive figure (totals and disaggregations), computed indicators equal the values
//! recomputed from those sums (percentages are never averaged), and nothing is double-counted:
//! only the latest submission of an approved leaf counts, once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use reports::rules::*;
use proptest::prelude::*;
use proptest::sample::Index;

fn catalogue() -> &'static FormCatalogue {
    static CAT: OnceLock<FormCatalogue> = OnceLock::new();
    CAT.get_or_init(|| FormCatalogue::builtin().expect("built-in forms load"))
}

/// (form code, a date picking the version): both PBGDPL versions and the other two forms.
const FORMS: [(&str, (i32, u32, u32)); 4] = [
    ("PBGDPL", (2025, 6, 30)),
    ("PBGDPL", (2026, 6, 30)),
    ("HGCS", (2026, 6, 30)),
    ("TCPL", (2026, 12, 31)),
];

/// Keys of every entered (non-computed, additive) figure of a form, totals and parts.
fn input_keys(form: &ReportForm) -> Vec<ValueKey> {
    let cat = catalogue();
    let mut keys = Vec::new();
    for ind in form.indicators() {
        if !ind.kind.is_additive() || ind.is_computed() {
            continue;
        }
        keys.push(ValueKey::total(&ind.code));
        for dim in &ind.disaggregations {
            for m in cat
                .dimension(dim)
                .map(|d| d.members.as_slice())
                .unwrap_or_default()
            {
                keys.push(ValueKey::part(&ind.code, dim, &m.code));
            }
        }
    }
    keys
}

fn make_values(form: &ReportForm, keys: &[ValueKey], seeds: &[u32]) -> Values {
    let mut v = Values::new();
    for (k, s) in keys.iter().zip(seeds.iter().cycle()) {
        // Some figures left blank (absent) to exercise missing-as-zero.
        if s % 7 != 0 {
            v.set(k.clone(), Value::Int(i64::from(*s % 100_000)));
        }
    }
    if form.indicator("notes").is_some() {
        v.set_total("notes", Value::Text("leaf".into()));
    }
    compute(form, &v)
}

#[derive(Debug, Clone)]
struct Step {
    leaf: Index,
    event: ReportEvent,
    seeds: Vec<u32>,
}

fn step() -> impl Strategy<Value = Step> {
    (
        any::<Index>(),
        prop_oneof![
            Just(ReportEvent::Submit),
            Just(ReportEvent::Return),
            Just(ReportEvent::Approve)
        ],
        prop::collection::vec(any::<u32>(), 1..8),
    )
        .prop_map(|(leaf, event, seeds)| Step { leaf, event, seeds })
}

/// Aggregate of `node`: a leaf contributes its figures only when approved.
fn aggregate_at(
    form: &ReportForm,
    node: usize,
    children: &[Vec<usize>],
    leaf_reports: &BTreeMap<usize, (ReportState, Values)>,
    out: &mut BTreeMap<usize, Values>,
) -> Values {
    let v = if children[node].is_empty() {
        match leaf_reports.get(&node) {
            Some((s, v)) if s.counts() => v.clone(),
            _ => Values::new(),
        }
    } else {
        let kids: Vec<Values> = children[node]
            .iter()
            .map(|c| aggregate_at(form, *c, children, leaf_reports, out))
            .collect();
        let refs: Vec<&Values> = kids.iter().collect();
        aggregate(form, &refs)
    };
    out.insert(node, v.clone());
    v
}

fn leaves_under(node: usize, children: &[Vec<usize>], acc: &mut Vec<usize>) {
    if children[node].is_empty() {
        acc.push(node);
    }
    for c in &children[node] {
        leaves_under(*c, children, acc);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn aggregate_equals_sum_over_approved_leaves(
        form_ix in 0usize..4,
        parents in prop::collection::vec(any::<Index>(), 0..40),
        steps in prop::collection::vec(step(), 0..120),
    ) {
        let cat = catalogue();
        let (code, (y, m, d)) = FORMS[form_ix];
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let form = cat.form_for(code, date).unwrap();
        let keys = input_keys(form);

        // Tree: node 0 is the root; node i+1 hangs under a random earlier node.
        let n = parents.len() + 1;
        let mut children = vec![Vec::new(); n];
        for (i, p) in parents.iter().enumerate() {
            children[p.index(i + 1)].push(i + 1);
        }
        let leaves: Vec<usize> = (0..n).filter(|i| children[*i].is_empty()).collect();

        // Replay the events; every submission brings new figures.
        let mut reports: BTreeMap<usize, (ReportState, Values)> =
            leaves.iter().map(|l| (*l, (ReportState::Draft, Values::new()))).collect();
        for s in &steps {
            let leaf = leaves[s.leaf.index(leaves.len())];
            let Some((state, values)) = reports.get_mut(&leaf) else { continue };
            if let Ok(next) = state.apply(s.event) {
                if s.event == ReportEvent::Submit {
                    *values = make_values(form, &keys, &s.seeds);
                }
                *state = next;
            }
        }

        let mut aggs = BTreeMap::new();
        aggregate_at(form, 0, &children, &reports, &mut aggs);

        for node in 0..n {
            let mut under = Vec::new();
            leaves_under(node, &children, &mut under);
            let approved: Vec<&Values> = under
                .iter()
                .filter_map(|l| reports.get(l))
                .filter(|(s, _)| s.counts())
                .map(|(_, v)| v)
                .collect();
            let agg = &aggs[&node];
            // Every entered figure: sum over approved leaves, each counted once.
            for k in &keys {
                let expected: i64 = approved
                    .iter()
                    .map(|v| v.get(k).and_then(Value::as_int).unwrap_or(0))
                    .sum();
                let got = agg.get(k).and_then(Value::as_int).unwrap_or(0);
                prop_assert_eq!(got, expected, "node {} key {:?}", node, k);
            }
            // Computed indicators: recomputed from the summed inputs.
            for ind in form.indicators().filter(|i| i.is_computed()) {
                match ind.formula.as_ref().unwrap() {
                    Formula::Sum { terms } => {
                        let expected: i64 = approved
                            .iter()
                            .map(|v| terms.iter().map(|t| v.int(t)).sum::<i64>())
                            .sum();
                        prop_assert_eq!(agg.int(&ind.code), expected);
                    }
                    Formula::Ratio { numerator, denominator, scale } => {
                        let num: i64 = approved.iter().map(|v| v.int(numerator)).sum();
                        let den: i64 = approved.iter().map(|v| v.int(denominator)).sum();
                        if den == 0 {
                            prop_assert_eq!(agg.total(&ind.code), None);
                        } else {
                            let expected = scale * num as f64 / den as f64;
                            let got = agg.real(&ind.code).unwrap();
                            prop_assert!((got - expected).abs() <= 1e-9 * expected.abs().max(1.0),
                                "{}: {} vs {}", ind.code, got, expected);
                        }
                    }
                }
            }
            // Text is never aggregated (leaves carry notes; parents never do).
            if !children[node].is_empty() {
                prop_assert_eq!(agg.total("notes"), None);
            }
            // Nothing but known figures appears.
            for (k, _) in agg.iter() {
                prop_assert!(form.indicator(&k.indicator).is_some());
            }
        }
    }
}
