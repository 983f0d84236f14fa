//! Rule sets of the legal-access standard (bộ tiêu chí chuẩn tiếp cận pháp luật) as data.
//!
//! A rule set is one TOML text: its legal basis, the assessment years it governs, its scoring
//! mode (points, or pass/fail per indicator), its criteria (tiêu chí) and indicators (chỉ tiêu),
//! the recognition conditions (điều kiện công nhận) and the disqualifiers. Every indicator
//! carries its source and how sure we are of it, so the official text can replace a guessed
//! one without a code change (docs/legal-access.md).

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::msg;

/// The rule sets shipped with pbgdpl, loaded into an empty database.
pub const SHIPPED: &[(&str, &str)] = &[
    ("qd25-2021.toml", include_str!("../../data/rulesets/qd25-2021.toml")),
    ("qd27-2025.toml", include_str!("../../data/rulesets/qd27-2025.toml")),
];

/// How sure we are of a fact: verified, partly verified, unverified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Certainty {
    /// Verified in a public source.
    V,
    /// Partly verified.
    P,
    /// Not verified; check the official text.
    U,
}

impl Certainty {
    pub fn label(self) -> &'static str {
        match self {
            Certainty::V => "Đã kiểm chứng",
            Certainty::P => "Kiểm chứng một phần",
            Certainty::U => "Chưa kiểm chứng",
        }
    }
}

/// Points kept in hundredths (0,25 điểm = 25), so sums and comparisons are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Points(pub u32);

/// The largest number of points (or percent threshold) a rule set may name, in hundredths.
pub const MAX_POINTS: u32 = 10_000_000;

impl Points {
    pub const ZERO: Points = Points(0);

    /// Reads a decimal number with at most two decimals (`2.5`, `0.25`, `3`).
    pub fn from_f64(x: f64) -> Option<Points> {
        if !x.is_finite() || x < 0.0 {
            return None;
        }
        let h = (x * 100.0).round();
        if (x * 100.0 - h).abs() > 1e-6 || h > f64::from(MAX_POINTS) {
            return None;
        }
        // Range checked above: 0 ≤ h ≤ MAX_POINTS.
        Some(Points(h as u32))
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

/// Vietnamese decimal comma: `2,5`, `80`, `0,25`.
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        if frac == 0 {
            write!(f, "{whole}")
        } else if frac % 10 == 0 {
            write!(f, "{whole},{}", frac / 10)
        } else {
            write!(f, "{whole},{frac:02}")
        }
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(100) { s.serialize_u32(self.0 / 100) } else { s.serialize_f64(self.as_f64()) }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let x = f64::deserialize(d)?;
        Points::from_f64(x).ok_or_else(|| serde::de::Error::custom(msg::bad_points(x)))
    }
}

/// How a rule set scores (cách chấm).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoringMode {
    /// Points per indicator, summed (QĐ 25/2021, TT 09/2021).
    Points,
    /// An achievement level per indicator: achieved or not (QĐ 27/2025, TT 15/2025).
    PassFail,
}

impl ScoringMode {
    pub fn label(self) -> &'static str {
        match self {
            ScoringMode::Points => "Chấm điểm",
            ScoringMode::PassFail => "Đạt / không đạt từng chỉ tiêu",
        }
    }
}

/// What an indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A ratio: numerator over denominator, compared in percent.
    Ratio,
    /// Yes or no: the requirement is met or not.
    YesNo,
    /// A whole number of things.
    Count,
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Measure::Ratio => "Tỷ lệ",
            Measure::YesNo => "Có / không",
            Measure::Count => "Số lượng",
        }
    }
}

/// Which level reviews the dossier and recognises (cấp thẩm định, công nhận).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReviewLevel {
    /// The district People's Committee and its council (until the 2025 reform).
    District,
    /// The provincial People's Committee and its council (from the 2025 reform).
    #[default]
    Province,
}

/// A source of a rule set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub url: String,
    pub certainty: Certainty,
    #[serde(default)]
    pub note: String,
}

/// One band of a ratio or count indicator: from `min` (percent for a ratio, a number for a
/// count) upwards the indicator earns `points`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub min: Points,
    pub points: Points,
}

/// What a ratio indicator counts when its denominator is zero (no case arose in the year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum WhenNone {
    /// Counted as fully met (the usual reading: nothing to handle, nothing failed).
    #[default]
    Full,
    /// Counted as not met.
    Zero,
}

/// An indicator (chỉ tiêu).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// "1.1", "2.3": unique in the rule set.
    pub code: String,
    pub text: String,
    pub measure: Measure,
    /// Points mode: the most the indicator earns.
    #[serde(default)]
    pub max_points: Option<Points>,
    /// Points mode, ratio and count: the bands, highest first.
    #[serde(default)]
    pub bands: Vec<Band>,
    /// Pass/fail mode, ratio and count: the achievement level (percent, or a number).
    #[serde(default)]
    pub pass_min: Option<Points>,
    #[serde(default)]
    pub when_none: WhenNone,
    /// Labels of the numerator and the denominator of a ratio.
    #[serde(default)]
    pub numerator: String,
    #[serde(default)]
    pub denominator: String,
    /// The evidence the dossier must hold (tài liệu kiểm chứng).
    #[serde(default)]
    pub evidence: String,
    /// Where pbgdpl can find the figure itself (`surveys.satisfaction`, `reports.filed`, …).
    #[serde(default)]
    pub prefill: Option<String>,
    pub source: String,
    pub certainty: Certainty,
}

/// A criterion (tiêu chí).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub max_points: Option<Points>,
    pub certainty: Certainty,
    pub indicators: Vec<Indicator>,
}

/// The recognition conditions (điều kiện công nhận).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognition {
    /// Points mode: the least total (80 under QĐ 25/2021).
    #[serde(default)]
    pub min_total_points: Option<Points>,
    /// Points mode: each criterion's least share of its maximum, in percent (50).
    #[serde(default)]
    pub min_criterion_percent: Option<Points>,
    /// Pass/fail mode: every indicator must be achieved.
    #[serde(default)]
    pub all_indicators: bool,
    pub legal_basis: String,
    pub certainty: Certainty,
}

/// A disqualifier (trường hợp không được công nhận), such as discipline of a leader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disqualifier {
    pub code: String,
    pub text: String,
    pub legal_basis: String,
    pub certainty: Certainty,
}

/// One version of a rule set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// "qd25-2021": stable across versions.
    pub code: String,
    pub name: String,
    pub legal_basis: String,
    /// The first assessment year it governs.
    pub first_year: i32,
    /// The last one, if it has been replaced.
    #[serde(default)]
    pub last_year: Option<i32>,
    pub mode: ScoringMode,
    #[serde(default)]
    pub review_level: ReviewLevel,
    /// Working days of public posting (niêm yết).
    #[serde(default = "default_posting_days")]
    pub posting_working_days: u32,
    pub certainty: Certainty,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub unverified: Vec<String>,
    pub recognition: Recognition,
    #[serde(default)]
    pub disqualifiers: Vec<Disqualifier>,
    pub criteria: Vec<Criterion>,
}

fn default_posting_days() -> u32 {
    10
}

/// A rule set that cannot be used, with every reason in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetError(pub Vec<String>);

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

impl std::error::Error for RuleSetError {}

impl RuleSet {
    /// Parses and checks a rule set.
    pub fn parse(text: &str) -> Result<RuleSet, RuleSetError> {
        let rs: RuleSet = toml::from_str(text).map_err(|e| RuleSetError(vec![msg::toml_error(e.message())]))?;
        let problems = rs.problems();
        if problems.is_empty() { Ok(rs) } else { Err(RuleSetError(problems)) }
    }

    /// Whether the rule set governs the assessment `year`.
    pub fn governs(&self, year: i32) -> bool {
        year >= self.first_year && self.last_year.is_none_or(|l| year <= l)
    }

    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.criteria.iter().flat_map(|c| c.indicators.iter())
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators().find(|i| i.code == code)
    }

    /// The most points a commune can earn (points mode).
    pub fn max_total(&self) -> Points {
        Points(self.criteria.iter().filter_map(|c| c.max_points).map(|p| p.0).sum())
    }

    /// Everything wrong with the rule set, in Vietnamese; empty when it can be used.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let code_ok = |c: &str| !c.is_empty() && c.len() <= 40 && c.chars().all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch));
        if !code_ok(&self.code) {
            out.push(msg::bad_code(&self.code));
        }
        if self.name.trim().is_empty() {
            out.push(msg::empty_name());
        }
        if self.legal_basis.trim().is_empty() {
            out.push(msg::empty_legal_basis());
        }
        if !(2000..=2100).contains(&self.first_year) || self.last_year.is_some_and(|l| l < self.first_year || l > 2100) {
            out.push(msg::bad_years());
        }
        if self.criteria.is_empty() {
            out.push(msg::no_criteria());
        }
        let mut codes = BTreeSet::new();
        for c in &self.criteria {
            if !code_ok(&c.code) || !codes.insert(format!("c:{}", c.code)) {
                out.push(msg::duplicate_code(&c.code));
            }
            if c.indicators.is_empty() {
                out.push(msg::criterion_without_indicators(&c.code));
            }
            for i in &c.indicators {
                if !code_ok(&i.code) || !codes.insert(format!("i:{}", i.code)) {
                    out.push(msg::duplicate_code(&i.code));
                }
                if i.text.trim().is_empty() {
                    out.push(msg::empty_indicator_text(&i.code));
                }
                out.extend(self.indicator_problems(i));
            }
            if self.mode == ScoringMode::Points {
                let sum: u32 = c.indicators.iter().filter_map(|i| i.max_points).map(|p| p.0).sum();
                match c.max_points {
                    None => out.push(msg::criterion_needs_max(&c.code)),
                    Some(m) if m.0 != sum => out.push(msg::criterion_max_mismatch(&c.code, m, Points(sum))),
                    Some(_) => {}
                }
            }
        }
        let mut dq = BTreeSet::new();
        for d in &self.disqualifiers {
            if !code_ok(&d.code) || !dq.insert(&d.code) {
                out.push(msg::duplicate_code(&d.code));
            }
        }
        let r = &self.recognition;
        match self.mode {
            ScoringMode::Points => {
                match r.min_total_points {
                    None => out.push(msg::points_needs_min_total()),
                    Some(m) if m > self.max_total() => out.push(msg::min_total_over_max(m, self.max_total())),
                    Some(_) => {}
                }
                if r.min_criterion_percent.is_some_and(|p| p.0 > 10_000) {
                    out.push(msg::percent_over_hundred());
                }
            }
            ScoringMode::PassFail => {
                if r.min_total_points.is_some() || r.min_criterion_percent.is_some() {
                    out.push(msg::pass_fail_has_points());
                }
                if !r.all_indicators {
                    out.push(msg::pass_fail_needs_all());
                }
            }
        }
        out
    }

    fn indicator_problems(&self, i: &Indicator) -> Vec<String> {
        let mut out = Vec::new();
        let banded = matches!(i.measure, Measure::Ratio | Measure::Count);
        match self.mode {
            ScoringMode::Points => {
                let Some(max) = i.max_points else {
                    out.push(msg::indicator_needs_max(&i.code));
                    return out;
                };
                if i.pass_min.is_some() {
                    out.push(msg::points_has_pass_min(&i.code));
                }
                if banded {
                    if i.bands.is_empty() {
                        out.push(msg::indicator_needs_bands(&i.code));
                    }
                    if i.bands.windows(2).any(|w| w[0].min <= w[1].min || w[0].points < w[1].points) {
                        out.push(msg::bands_not_descending(&i.code));
                    }
                    if i.bands.iter().any(|b| b.points > max) {
                        out.push(msg::band_over_max(&i.code));
                    }
                    if i.measure == Measure::Ratio && i.bands.iter().any(|b| b.min.0 > 10_000) {
                        out.push(msg::percent_over_hundred());
                    }
                    if i.measure == Measure::Count && i.bands.iter().any(|b| b.min.0 % 100 != 0) {
                        out.push(msg::count_band_not_whole(&i.code));
                    }
                } else if !i.bands.is_empty() {
                    out.push(msg::yes_no_has_bands(&i.code));
                }
            }
            ScoringMode::PassFail => {
                if i.max_points.is_some() || !i.bands.is_empty() {
                    out.push(msg::pass_fail_indicator_has_points(&i.code));
                }
                if banded && i.pass_min.is_none() {
                    out.push(msg::indicator_needs_pass_min(&i.code));
                }
                if i.measure == Measure::Ratio && i.pass_min.is_some_and(|p| p.0 > 10_000) {
                    out.push(msg::percent_over_hundred());
                }
                if i.measure == Measure::YesNo && i.pass_min.is_some() {
                    out.push(msg::yes_no_has_bands(&i.code));
                }
            }
        }
        out
    }
}

/// The shipped rule sets, parsed.
pub fn shipped() -> Result<Vec<RuleSet>, RuleSetError> {
    SHIPPED
        .iter()
        .map(|(name, text)| RuleSet::parse(text).map_err(|e| RuleSetError(e.0.into_iter().map(|m| format!("{name}: {m}")).collect())))
        .collect()
}

/// The rule set of `sets` that governs `year` (the newest first_year when several do).
pub fn governing(sets: &[RuleSet], year: i32) -> Option<&RuleSet> {
    sets.iter().filter(|s| s.governs(year)).max_by_key(|s| s.first_year)
}
