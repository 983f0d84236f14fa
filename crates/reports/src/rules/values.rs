//! Report figures: validation, computed indicators and upward aggregation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::form::{
    Aggregation, FormCatalogue, Formula, Indicator, IndicatorKind, ReportForm, Rule,
};
use super::msg;

/// One figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_real(&self) -> Option<f64> {
        match self {
            Value::Real(v) => Some(*v),
            Value::Int(v) => Some(*v as f64),
            Value::Text(_) => None,
        }
    }
}

/// Key of a figure: the indicator code, plus an optional "dimension:member" disaggregation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ValueKey {
    pub indicator: String,
    pub disaggregation: Option<String>,
}

impl ValueKey {
    pub fn total(indicator: &str) -> ValueKey {
        ValueKey {
            indicator: indicator.to_string(),
            disaggregation: None,
        }
    }

    pub fn part(indicator: &str, dimension: &str, member: &str) -> ValueKey {
        ValueKey {
            indicator: indicator.to_string(),
            disaggregation: Some(format!("{dimension}:{member}")),
        }
    }

    /// The key as stored: "cases_received" or "cases_received:mediation_field:land".
    pub fn db_key(&self) -> String {
        match &self.disaggregation {
            Some(d) => format!("{}:{d}", self.indicator),
            None => self.indicator.clone(),
        }
    }

    /// Reads a stored key; `None` for an empty indicator or a malformed breakdown.
    pub fn from_db_key(s: &str) -> Option<ValueKey> {
        let mut parts = s.splitn(3, ':');
        let indicator = parts.next().filter(|i| !i.is_empty())?;
        match (parts.next(), parts.next()) {
            (None, _) => Some(ValueKey::total(indicator)),
            (Some(d), Some(m)) if !d.is_empty() && !m.is_empty() && !m.contains(':') => {
                Some(ValueKey::part(indicator, d, m))
            }
            _ => None,
        }
    }

    /// (dimension, member) of a disaggregated key.
    pub fn split(&self) -> Option<(&str, &str)> {
        self.disaggregation
            .as_deref()
            .and_then(|d| d.split_once(':'))
    }
}

/// The figures of one report. Serialises as a list of `{key, value}` entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<(ValueKey, Value)>", into = "Vec<(ValueKey, Value)>")]
pub struct Values(BTreeMap<ValueKey, Value>);

impl From<Vec<(ValueKey, Value)>> for Values {
    fn from(v: Vec<(ValueKey, Value)>) -> Values {
        Values(v.into_iter().collect())
    }
}

impl From<Values> for Vec<(ValueKey, Value)> {
    fn from(v: Values) -> Vec<(ValueKey, Value)> {
        v.0.into_iter().collect()
    }
}

impl Values {
    pub fn new() -> Values {
        Values::default()
    }

    pub fn set(&mut self, key: ValueKey, value: Value) {
        self.0.insert(key, value);
    }

    /// Sets the total of an indicator.
    pub fn set_total(&mut self, indicator: &str, value: Value) {
        self.set(ValueKey::total(indicator), value);
    }

    pub fn get(&self, key: &ValueKey) -> Option<&Value> {
        self.0.get(key)
    }

    pub fn total(&self, indicator: &str) -> Option<&Value> {
        self.0.get(&ValueKey::total(indicator))
    }

    /// Integer total, 0 when absent.
    pub fn int(&self, indicator: &str) -> i64 {
        self.total(indicator).and_then(Value::as_int).unwrap_or(0)
    }

    pub fn real(&self, indicator: &str) -> Option<f64> {
        self.total(indicator).and_then(Value::as_real)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&ValueKey, &Value)> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn remove(&mut self, key: &ValueKey) {
        self.0.remove(key);
    }
}

/// A problem found in a report's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// Indicator code the message belongs to.
    pub indicator: String,
    /// Vietnamese message for the user.
    pub message_vi: String,
}

fn label(form: &ReportForm, code: &str) -> String {
    form.indicator(code)
        .map_or_else(|| code.to_string(), |i| i.name.clone())
}

/// Checks the figures against the form: known indicators and members, value types,
/// non-negative counts and amounts, percentages within 0–100, disaggregations against totals,
/// and the form's cross-indicator rules. Absent figures count as 0 in rules.
pub fn validate(
    catalogue: &FormCatalogue,
    form: &ReportForm,
    values: &Values,
) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let mut push = |indicator: &str, message_vi: String| {
        errors.push(ValidationError {
            indicator: indicator.to_string(),
            message_vi,
        });
    };
    // Per-figure checks.
    for (key, value) in values.iter() {
        let Some(ind) = form.indicator(&key.indicator) else {
            push(&key.indicator, msg::unknown_indicator(&key.indicator));
            continue;
        };
        if let Some(d) = &key.disaggregation {
            let known = key.split().is_some_and(|(dim, member)| {
                ind.disaggregations.iter().any(|x| x == dim) && catalogue.has_member(dim, member)
            });
            if !known {
                push(&ind.code, msg::unknown_disaggregation(&ind.name, d));
                continue;
            }
        }
        match (ind.kind, value) {
            (IndicatorKind::Count | IndicatorKind::AmountVnd, Value::Int(v)) => {
                if *v < 0 {
                    push(&ind.code, msg::negative(&ind.name));
                } else if let Some(max) = ind.max_value()
                    && *v > max
                {
                    push(&ind.code, msg::over_max(&ind.name, max));
                }
            }
            (IndicatorKind::Count | IndicatorKind::AmountVnd, _) => {
                push(&ind.code, msg::not_integer(&ind.name));
            }
            (IndicatorKind::Percentage | IndicatorKind::Ratio, v) => match v.as_real() {
                Some(x) if !x.is_finite() || x < 0.0 => push(&ind.code, msg::negative(&ind.name)),
                Some(x) if ind.kind == IndicatorKind::Percentage && x > 100.0 => {
                    push(&ind.code, msg::over_hundred(&ind.name));
                }
                Some(_) => {}
                None => push(&ind.code, msg::not_number(&ind.name)),
            },
            (IndicatorKind::Text, Value::Text(_)) => {}
            (IndicatorKind::Text, _) => push(&ind.code, msg::not_text(&ind.name)),
        }
    }
    // Disaggregations against totals.
    for ind in form.indicators() {
        for dim_code in &ind.disaggregations {
            let Some(dim) = catalogue.dimension(dim_code) else {
                continue;
            };
            let parts: Vec<(&str, i64)> = dim
                .members
                .iter()
                .filter_map(|m| {
                    values
                        .get(&ValueKey::part(&ind.code, dim_code, &m.code))
                        .and_then(Value::as_int)
                        .map(|v| (m.name.as_str(), v))
                })
                .collect();
            if parts.is_empty() {
                continue;
            }
            let total = values.int(&ind.code);
            if dim.exhaustive {
                // Sums in i128: no figure pair can overflow them, whatever was typed.
                let sum: i128 = parts.iter().map(|(_, v)| i128::from(*v)).sum();
                if sum != i128::from(total) {
                    push(
                        &ind.code,
                        msg::parts_not_equal_total(&ind.name, &dim.name, sum, total),
                    );
                }
            } else {
                for (member, v) in parts {
                    if v > total {
                        push(
                            &ind.code,
                            msg::member_over_total(&ind.name, member, v, total),
                        );
                    }
                }
            }
        }
    }
    // Cross-indicator rules.
    for rule in &form.rules {
        let (parts, total, eq) = match rule {
            Rule::SumLe { parts, total } => (parts, total, false),
            Rule::SumEq { parts, total } => (parts, total, true),
        };
        let sum: i128 = parts.iter().map(|p| i128::from(values.int(p))).sum();
        let t = values.int(total);
        let broken = if eq { sum != i128::from(t) } else { sum > i128::from(t) };
        if broken {
            let names: Vec<String> = parts.iter().map(|p| label(form, p)).collect();
            let total_name = label(form, total);
            let m = if eq {
                msg::rule_sum_eq(&names, sum, &total_name, t)
            } else {
                msg::rule_sum_le(&names, sum, &total_name, t)
            };
            // The error goes beside the figures that break the rule: the parts that were entered
            // (all of them when none was), not the total they are compared with.
            let entered: Vec<&String> = parts.iter().filter(|p| values.int(p) != 0).collect();
            let at: Vec<&String> = if entered.is_empty() { parts.iter().collect() } else { entered };
            for p in at {
                push(p, m.clone());
            }
        }
    }
    errors
}

fn eval(ind: &Indicator, values: &Values) -> Option<Value> {
    match ind.formula.as_ref()? {
        Formula::Sum { terms } => {
            let mut sum: i64 = 0;
            for t in terms {
                sum = sum.checked_add(values.int(t))?;
            }
            Some(Value::Int(sum))
        }
        Formula::Ratio {
            numerator,
            denominator,
            scale,
        } => {
            let d = values.int(denominator);
            if d == 0 {
                return None;
            }
            Some(Value::Real(scale * values.int(numerator) as f64 / d as f64))
        }
    }
}

/// Fills every computed indicator from its formula (inputs first). A ratio whose denominator
/// is 0 is left absent.
pub fn compute(form: &ReportForm, values: &Values) -> Values {
    let mut out = values.clone();
    for ind in form.computed_order() {
        let key = ValueKey::total(&ind.code);
        match eval(ind, &out) {
            Some(v) => out.set(key, v),
            None => out.remove(&key),
        }
    }
    out
}

/// Aggregates children's figures upwards: sums for counts and amounts (totals and each
/// disaggregation), computed indicators recomputed from the aggregated inputs (percentages are
/// never averaged), text dropped.
pub fn aggregate(form: &ReportForm, children: &[&Values]) -> Values {
    let mut out = Values::new();
    let mut sums: BTreeMap<ValueKey, i64> = BTreeMap::new();
    for child in children {
        for (key, value) in child.iter() {
            let Some(ind) = form.indicator(&key.indicator) else {
                continue;
            };
            if ind.aggregation() != Aggregation::Sum || ind.is_computed() {
                continue;
            }
            if let Some(v) = value.as_int() {
                let e = sums.entry(key.clone()).or_insert(0);
                *e = e.saturating_add(v);
            }
        }
    }
    for (k, v) in sums {
        out.set(k, Value::Int(v));
    }
    compute(form, &out)
}

/// Aggregates only the children whose report is approved (draft, submitted and returned
/// reports do not count).
pub fn aggregate_approved(
    form: &ReportForm,
    children: &[(super::state::ReportState, &Values)],
) -> Values {
    let approved: Vec<&Values> = children
        .iter()
        .filter(|(s, _)| s.counts())
        .map(|(_, v)| *v)
        .collect();
    aggregate(form, &approved)
}
