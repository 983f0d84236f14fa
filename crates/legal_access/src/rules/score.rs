//! Scoring a commune under a rule set: a pure function of the rule set, the indicators'
//! values and the disqualifiers that apply. Used live while the commune enters its figures,
//! by the council's review, and by the recognition decision.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::ruleset::{Indicator, Measure, Points, RuleSet, ScoringMode, WhenNone};
use crate::msg;

/// The largest figure an indicator accepts (a numerator, a denominator or a count).
pub const MAX_FIGURE: i64 = 1_000_000_000;

/// The value of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Value {
    /// `num` of `den` (e.g. 45 of 50 propagandists trained).
    Ratio { num: i64, den: i64 },
    /// The requirement is met or not.
    YesNo { yes: bool },
    /// A number of things.
    Count { n: i64 },
}

impl Value {
    pub fn measure(self) -> Measure {
        match self {
            Value::Ratio { .. } => Measure::Ratio,
            Value::YesNo { .. } => Measure::YesNo,
            Value::Count { .. } => Measure::Count,
        }
    }

    /// "90%" / "Có" / "12", for pages and documents.
    pub fn display(self) -> String {
        match self {
            Value::Ratio { den: 0, .. } => msg::no_case().to_string(),
            Value::Ratio { num, den } => {
                let pct = (i128::from(num) * 1000 / i128::from(den)) as f64 / 10.0;
                format!("{} / {} ({}%)", text_vi::format_int(num), text_vi::format_int(den), text_vi::format_decimal(pct, 1))
            }
            Value::YesNo { yes } => (if yes { "Có" } else { "Không" }).to_string(),
            Value::Count { n } => text_vi::format_int(n),
        }
    }
}

/// Checks a value against its indicator; the error is a Vietnamese message.
pub fn check(ind: &Indicator, v: Value) -> Result<(), String> {
    if v.measure() != ind.measure {
        return Err(msg::wrong_measure(&ind.code, ind.measure.label()));
    }
    match v {
        Value::Ratio { num, den } => {
            if num < 0 || den < 0 {
                return Err(msg::negative(&ind.code));
            }
            if num > MAX_FIGURE || den > MAX_FIGURE {
                return Err(msg::too_large(&ind.code, MAX_FIGURE));
            }
            if num > den {
                return Err(msg::numerator_over_denominator(&ind.code));
            }
        }
        Value::Count { n } => {
            if n < 0 {
                return Err(msg::negative(&ind.code));
            }
            if n > MAX_FIGURE {
                return Err(msg::too_large(&ind.code, MAX_FIGURE));
            }
        }
        Value::YesNo { .. } => {}
    }
    Ok(())
}

/// Whether `v` reaches `min` (hundredths of a percent for a ratio, hundredths of a unit for a
/// count). A ratio with nothing to count follows the indicator's `when_none`.
fn reaches(ind: &Indicator, v: Value, min: Points) -> bool {
    match v {
        Value::Ratio { den: 0, .. } => ind.when_none == WhenNone::Full,
        Value::Ratio { num, den } => i128::from(num) * 10_000 >= i128::from(min.0) * i128::from(den),
        Value::Count { n } => i128::from(n) * 100 >= i128::from(min.0),
        Value::YesNo { yes } => yes,
    }
}

/// The points an indicator earns (points mode). An invalid value earns nothing.
pub fn points_for(ind: &Indicator, v: Value) -> Points {
    let max = ind.max_points.unwrap_or(Points::ZERO);
    if check(ind, v).is_err() {
        return Points::ZERO;
    }
    match v {
        Value::YesNo { yes } => {
            if yes { max } else { Points::ZERO }
        }
        Value::Ratio { den: 0, .. } => {
            if ind.when_none == WhenNone::Full { max } else { Points::ZERO }
        }
        _ => ind.bands.iter().find(|b| reaches(ind, v, b.min)).map_or(Points::ZERO, |b| b.points.min(max)),
    }
}

/// Whether an indicator reaches its achievement level (pass/fail mode).
pub fn achieved(ind: &Indicator, v: Value) -> bool {
    if check(ind, v).is_err() {
        return false;
    }
    match v {
        Value::YesNo { yes } => yes,
        _ => ind.pass_min.is_some_and(|m| reaches(ind, v, m)),
    }
}

/// One indicator's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorOutcome {
    pub code: String,
    pub value: Option<Value>,
    /// Points mode: what it earned (zero when missing).
    pub points: Option<Points>,
    pub max: Option<Points>,
    /// Pass/fail mode: reached its level; points mode: earned its maximum. `None` when missing.
    pub achieved: Option<bool>,
}

/// One criterion's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionOutcome {
    pub code: String,
    pub points: Points,
    pub max: Option<Points>,
    /// Points mode: at least the least share of its maximum; pass/fail: every indicator achieved.
    pub meets: bool,
    pub achieved: usize,
    pub indicators: usize,
}

/// Why a commune is not (yet) recognisable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    Missing { code: String },
    TotalBelow { total: Points, min: Points },
    CriterionBelow { code: String, points: Points, min: Points },
    IndicatorNotAchieved { code: String },
    Disqualified { code: String },
}

impl Failure {
    pub fn message(&self, rs: &RuleSet) -> String {
        match self {
            Failure::Missing { code } => msg::failure_missing(code),
            Failure::TotalBelow { total, min } => msg::failure_total(*total, *min),
            Failure::CriterionBelow { code, points, min } => msg::failure_criterion(code, *points, *min),
            Failure::IndicatorNotAchieved { code } => msg::failure_indicator(code),
            Failure::Disqualified { code } => {
                let text = rs.disqualifiers.iter().find(|d| &d.code == code).map_or(code.as_str(), |d| d.text.as_str());
                msg::failure_disqualified(text)
            }
        }
    }
}

/// The result of scoring a commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub indicators: Vec<IndicatorOutcome>,
    pub criteria: Vec<CriterionOutcome>,
    /// Points mode: the total; pass/fail: zero.
    pub total: Points,
    pub max_total: Points,
    pub achieved: usize,
    pub indicator_count: usize,
    /// Every indicator has a value.
    pub complete: bool,
    /// Every condition holds and nothing disqualifies (and the assessment is complete).
    pub recognisable: bool,
    pub failures: Vec<Failure>,
}

/// Scores a commune. `disqualified` holds the codes of the disqualifiers that apply; codes
/// the rule set does not name are ignored.
pub fn score(rs: &RuleSet, values: &BTreeMap<String, Value>, disqualified: &BTreeSet<String>) -> Outcome {
    let mut indicators = Vec::new();
    let mut criteria = Vec::new();
    let mut failures = Vec::new();
    let mut total = 0u32;
    let mut achieved_all = 0usize;
    let mut count_all = 0usize;
    for c in &rs.criteria {
        let mut c_points = 0u32;
        let mut c_achieved = 0usize;
        for ind in &c.indicators {
            let value = values.get(&ind.code).copied().filter(|v| check(ind, *v).is_ok());
            let (points, achieved_now) = match (rs.mode, value) {
                (_, None) => {
                    failures.push(Failure::Missing { code: ind.code.clone() });
                    (rs.mode.eq(&ScoringMode::Points).then_some(Points::ZERO), None)
                }
                (ScoringMode::Points, Some(v)) => {
                    let p = points_for(ind, v);
                    (Some(p), Some(Some(p) == ind.max_points))
                }
                (ScoringMode::PassFail, Some(v)) => {
                    let a = achieved(ind, v);
                    if !a {
                        failures.push(Failure::IndicatorNotAchieved { code: ind.code.clone() });
                    }
                    (None, Some(a))
                }
            };
            c_points += points.map_or(0, |p| p.0);
            if achieved_now == Some(true) {
                c_achieved += 1;
            }
            indicators.push(IndicatorOutcome { code: ind.code.clone(), value, points, max: ind.max_points, achieved: achieved_now });
        }
        let meets = match rs.mode {
            ScoringMode::Points => {
                let pct = rs.recognition.min_criterion_percent.map_or(0, |p| p.0);
                let max = c.max_points.map_or(0, |m| m.0);
                // points / max ≥ pct / 100, all in hundredths.
                let ok = u64::from(c_points) * 10_000 >= u64::from(pct) * u64::from(max);
                if !ok {
                    let min = Points((u64::from(pct) * u64::from(max)).div_ceil(10_000) as u32);
                    failures.push(Failure::CriterionBelow { code: c.code.clone(), points: Points(c_points), min });
                }
                ok
            }
            ScoringMode::PassFail => c_achieved == c.indicators.len(),
        };
        total += c_points;
        achieved_all += c_achieved;
        count_all += c.indicators.len();
        criteria.push(CriterionOutcome {
            code: c.code.clone(),
            points: Points(c_points),
            max: c.max_points,
            meets,
            achieved: c_achieved,
            indicators: c.indicators.len(),
        });
    }
    if rs.mode == ScoringMode::Points
        && let Some(min) = rs.recognition.min_total_points
        && total < min.0
    {
        failures.push(Failure::TotalBelow { total: Points(total), min });
    }
    for d in &rs.disqualifiers {
        if disqualified.contains(&d.code) {
            failures.push(Failure::Disqualified { code: d.code.clone() });
        }
    }
    let complete = indicators.iter().all(|i| i.value.is_some());
    Outcome {
        indicators,
        criteria,
        total: if rs.mode == ScoringMode::Points { Points(total) } else { Points::ZERO },
        max_total: rs.max_total(),
        achieved: achieved_all,
        indicator_count: count_all,
        complete,
        recognisable: failures.is_empty(),
        failures,
    }
}
