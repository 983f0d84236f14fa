//! Report forms (biểu mẫu thống kê) as versioned data, and the built-in catalogue.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::msg;
use super::period::PeriodKind;

const DIMENSIONS_TOML: &str = include_str!("../../data/forms/dimensions.toml");
const BUILTIN_FORMS: &[(&str, &str)] = &[
    ("pbgdpl.toml", include_str!("../../data/forms/pbgdpl.toml")),
    (
        "mediation.toml",
        include_str!("../../data/forms/mediation.toml"),
    ),
    ("access.toml", include_str!("../../data/forms/access.toml")),
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

/// Who fills a form (cấp / loại đơn vị báo cáo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FillerLevel {
    /// Xã, phường, đặc khu.
    Commune,
    /// Tỉnh, thành phố (Sở Tư pháp aggregates).
    Province,
    /// An agency (sở, ban, ngành, đoàn thể) filling its own report.
    Agency,
    /// Bộ, ngành trung ương.
    Ministry,
}

/// Kind of an indicator value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// Whole number of things or persons (i64).
    Count,
    /// Amount in đồng (i64).
    AmountVnd,
    /// Percentage 0–100 (f64), always computed from a ratio formula.
    Percentage,
    /// Any other computed ratio (f64), e.g. attendance per session.
    Ratio,
    /// Free text; never aggregated.
    Text,
}

impl IndicatorKind {
    /// Integer-valued kinds that are summed upwards.
    pub fn is_additive(self) -> bool {
        matches!(self, IndicatorKind::Count | IndicatorKind::AmountVnd)
    }
}

/// How an indicator's value at a parent unit is obtained from its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Sum of the children (counts, amounts, and sums of them).
    Sum,
    /// Recomputed from the aggregated numerator and denominator; never averaged.
    Recompute,
    /// Not aggregated (text).
    None,
}

/// Formula of a computed indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Formula {
    /// Sum of other additive indicators.
    Sum { terms: Vec<String> },
    /// `scale × numerator / denominator`; undefined when the denominator is 0.
    Ratio {
        numerator: String,
        denominator: String,
        #[serde(default = "hundred")]
        scale: f64,
    },
}

fn hundred() -> f64 {
    100.0
}

impl Formula {
    /// Indicator codes the formula reads.
    pub fn inputs(&self) -> Vec<&str> {
        match self {
            Formula::Sum { terms } => terms.iter().map(String::as_str).collect(),
            Formula::Ratio {
                numerator,
                denominator,
                ..
            } => {
                vec![numerator.as_str(), denominator.as_str()]
            }
        }
    }
}

/// One indicator (chỉ tiêu) = one column or row of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    /// Đơn vị tính: "cuộc", "lượt người", "vụ việc", "đồng", "%"…
    pub unit: String,
    pub kind: IndicatorKind,
    /// Present for computed indicators.
    #[serde(default)]
    pub formula: Option<Formula>,
    /// Defaults from the kind: sum for counts/amounts, recompute for ratios, none for text.
    #[serde(default)]
    pub aggregation: Option<Aggregation>,
    /// Codes of disaggregation dimensions (phân tổ).
    #[serde(default)]
    pub disaggregations: Vec<String>,
    pub certainty: Certainty,
    /// Largest accepted figure (total and each disaggregation); defaults by kind
    /// ([`DEFAULT_MAX_COUNT`], [`DEFAULT_MAX_AMOUNT_VND`]). A sanity bound against typing
    /// errors and overflow, not a rule of the regulation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

/// Default largest count of things or persons one reporter may enter (10^9).
pub const DEFAULT_MAX_COUNT: i64 = 1_000_000_000;
/// Default largest amount in đồng one reporter may enter (10^15 VND, about half the state
/// budget). With it, the national roll-up of every commune and agency stays far inside i64.
pub const DEFAULT_MAX_AMOUNT_VND: i64 = 1_000_000_000_000_000;

impl Indicator {
    /// The effective aggregation rule.
    pub fn aggregation(&self) -> Aggregation {
        self.aggregation.unwrap_or(match self.kind {
            IndicatorKind::Count | IndicatorKind::AmountVnd => Aggregation::Sum,
            IndicatorKind::Percentage | IndicatorKind::Ratio => Aggregation::Recompute,
            IndicatorKind::Text => Aggregation::None,
        })
    }

    /// The largest accepted figure for entered integer indicators (`None` for the others).
    pub fn max_value(&self) -> Option<i64> {
        match self.kind {
            IndicatorKind::Count => Some(self.max.unwrap_or(DEFAULT_MAX_COUNT)),
            IndicatorKind::AmountVnd => Some(self.max.unwrap_or(DEFAULT_MAX_AMOUNT_VND)),
            _ => None,
        }
    }

    pub fn is_computed(&self) -> bool {
        self.formula.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub code: String,
    pub name: String,
    pub indicators: Vec<Indicator>,
}

/// A cross-indicator validation rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Σ parts ≤ total (e.g. thành + không thành + đang hòa giải ≤ tiếp nhận).
    SumLe { parts: Vec<String>, total: String },
    /// Σ parts = total.
    SumEq { parts: Vec<String>, total: String },
}

impl Rule {
    pub fn indicators(&self) -> Vec<&str> {
        match self {
            Rule::SumLe { parts, total } | Rule::SumEq { parts, total } => {
                let mut v: Vec<&str> = parts.iter().map(String::as_str).collect();
                v.push(total.as_str());
                v
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub url: String,
    pub certainty: Certainty,
    #[serde(default)]
    pub note: String,
}

/// One version of a report form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportForm {
    pub code: String,
    pub version: u32,
    pub name: String,
    pub legal_basis: String,
    pub valid_from: NaiveDate,
    /// Exclusive end; `None` = still valid.
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    pub levels: Vec<FillerLevel>,
    #[serde(default)]
    pub agency_kinds: Vec<String>,
    pub period_kinds: Vec<PeriodKind>,
    pub certainty: Certainty,
    pub sources: Vec<Source>,
    #[serde(default)]
    pub unverified: Vec<String>,
    pub sections: Vec<Section>,
    #[serde(default)]
    pub rules: Vec<Rule>,
}

impl ReportForm {
    /// This version alone as TOML (one `[[forms]]` entry): the text stored in the database and
    /// shown to administrators who edit the form.
    pub fn to_toml(&self) -> Result<String, CatalogueError> {
        #[derive(Serialize)]
        struct One<'a> {
            forms: [&'a ReportForm; 1],
        }
        toml::to_string(&One { forms: [self] }).map_err(|e| CatalogueError::Toml {
            file: self.code.clone(),
            message: e.to_string(),
        })
    }

    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.sections.iter().flat_map(|s| s.indicators.iter())
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators().find(|i| i.code == code)
    }

    /// Whether the form version applies on `date`.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date < to)
    }

    /// Computed indicators in evaluation order (inputs before outputs).
    /// Valid for catalogue-checked forms; cycles are rejected when loading.
    pub fn computed_order(&self) -> Vec<&Indicator> {
        let mut done: HashSet<&str> = HashSet::new();
        let mut out = Vec::new();
        let computed: Vec<&Indicator> = self.indicators().filter(|i| i.is_computed()).collect();
        // Repeated passes; at most one pass per computed indicator.
        for _ in 0..=computed.len() {
            for ind in &computed {
                if done.contains(ind.code.as_str()) {
                    continue;
                }
                let ready = ind.formula.as_ref().is_some_and(|f| {
                    f.inputs().iter().all(|c| {
                        done.contains(c) || self.indicator(c).is_some_and(|i| !i.is_computed())
                    })
                });
                if ready {
                    done.insert(ind.code.as_str());
                    out.push(*ind);
                }
            }
        }
        out
    }
}

/// A disaggregation dimension (phân tổ) and its members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub code: String,
    pub name: String,
    /// Members partition the total (Σ members = total) rather than "of which" (each ≤ total).
    pub exhaustive: bool,
    pub certainty: Certainty,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: String,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("{file}: lỗi cú pháp TOML: {message}")]
    Toml { file: String, message: String },
    #[error("phân tổ «{0}» bị khai báo hai lần")]
    DuplicateDimension(String),
    #[error("phân tổ «{0}»: thành phần bị trùng hoặc để trống")]
    BadMembers(String),
    #[error("biểu mẫu {code} phiên bản {version}: {message}")]
    Form {
        code: String,
        version: u32,
        message: String,
    },
    #[error("biểu mẫu {0}: các phiên bản trùng số hoặc chồng lấn thời gian hiệu lực")]
    Overlap(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForms {
    forms: Vec<ReportForm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimensions {
    dimensions: Vec<Dimension>,
}

/// All known form versions and dimensions.
#[derive(Debug, Clone)]
pub struct FormCatalogue {
    forms: Vec<ReportForm>,
    dimensions: BTreeMap<String, Dimension>,
}

impl FormCatalogue {
    /// The forms shipped in `data/forms/`.
    pub fn builtin() -> Result<FormCatalogue, CatalogueError> {
        Self::from_toml(DIMENSIONS_TOML, BUILTIN_FORMS)
    }

    /// Parses and checks dimensions plus any number of `(file name, text)` form files.
    pub fn from_toml(
        dimensions: &str,
        files: &[(&str, &str)],
    ) -> Result<FormCatalogue, CatalogueError> {
        let raw: RawDimensions = toml::from_str(dimensions).map_err(|e| CatalogueError::Toml {
            file: "dimensions.toml".into(),
            message: e.to_string(),
        })?;
        let mut dims = BTreeMap::new();
        for d in raw.dimensions {
            let codes: HashSet<&str> = d.members.iter().map(|m| m.code.as_str()).collect();
            if d.members.is_empty() || codes.len() != d.members.len() {
                return Err(CatalogueError::BadMembers(d.code));
            }
            if dims.contains_key(&d.code) {
                return Err(CatalogueError::DuplicateDimension(d.code));
            }
            dims.insert(d.code.clone(), d);
        }
        let mut forms = Vec::new();
        for (file, text) in files {
            let raw: RawForms = toml::from_str(text).map_err(|e| CatalogueError::Toml {
                file: (*file).to_string(),
                message: e.to_string(),
            })?;
            forms.extend(raw.forms);
        }
        for f in &forms {
            check_form(f, &dims)?;
        }
        // Versions of one code: distinct numbers, non-overlapping validity.
        let mut by_code: HashMap<&str, Vec<&ReportForm>> = HashMap::new();
        for f in &forms {
            by_code.entry(f.code.as_str()).or_default().push(f);
        }
        for (code, mut vs) in by_code {
            vs.sort_by_key(|f| f.valid_from);
            let versions: HashSet<u32> = vs.iter().map(|f| f.version).collect();
            if versions.len() != vs.len() {
                return Err(CatalogueError::Overlap(code.to_string()));
            }
            for w in vs.windows(2) {
                if let [a, b] = w
                    && a.valid_to.is_none_or(|to| to > b.valid_from)
                {
                    return Err(CatalogueError::Overlap(code.to_string()));
                }
            }
        }
        Ok(FormCatalogue {
            forms,
            dimensions: dims,
        })
    }

    pub fn forms(&self) -> &[ReportForm] {
        &self.forms
    }

    pub fn dimension(&self, code: &str) -> Option<&Dimension> {
        self.dimensions.get(code)
    }

    pub fn dimensions(&self) -> impl Iterator<Item = &Dimension> {
        self.dimensions.values()
    }

    /// The version of form `code` valid on `date`.
    pub fn form_for(&self, code: &str, date: NaiveDate) -> Option<&ReportForm> {
        self.forms
            .iter()
            .find(|f| f.code == code && f.valid_on(date))
    }

    /// Parses and checks the TOML of one stored form version (`[[forms]]` with exactly one
    /// entry) against this catalogue's dimensions. Used for versions kept in the database and
    /// for a version an administrator edits.
    pub fn parse_version(&self, text: &str) -> Result<ReportForm, CatalogueError> {
        let raw: RawForms = toml::from_str(text).map_err(|e| CatalogueError::Toml {
            file: "biểu mẫu".into(),
            message: e.to_string(),
        })?;
        let mut forms = raw.forms;
        let form = match (forms.pop(), forms.is_empty()) {
            (Some(f), true) => f,
            _ => {
                return Err(CatalogueError::Toml {
                    file: "biểu mẫu".into(),
                    message: "cần đúng một mục [[forms]]".into(),
                });
            }
        };
        check_form(&form, &self.dimensions)?;
        Ok(form)
    }

    /// Whether member `member` belongs to dimension `dim`.
    pub fn has_member(&self, dim: &str, member: &str) -> bool {
        self.dimensions
            .get(dim)
            .is_some_and(|d| d.members.iter().any(|m| m.code == member))
    }
}

fn check_form(f: &ReportForm, dims: &BTreeMap<String, Dimension>) -> Result<(), CatalogueError> {
    let err = |message: String| CatalogueError::Form {
        code: f.code.clone(),
        version: f.version,
        message,
    };
    if f.valid_to.is_some_and(|to| to <= f.valid_from) {
        return Err(err(msg::FORM_VALID_TO_BEFORE_FROM.into()));
    }
    if f.levels.is_empty() || f.period_kinds.is_empty() || f.sources.is_empty() {
        return Err(err(msg::FORM_LISTS_EMPTY.into()));
    }
    let mut codes: HashMap<&str, &Indicator> = HashMap::new();
    let mut sections = HashSet::new();
    for s in &f.sections {
        if !sections.insert(s.code.as_str()) {
            return Err(err(msg::form_duplicate_section(&s.code)));
        }
        for i in &s.indicators {
            if codes.insert(i.code.as_str(), i).is_some() {
                return Err(err(msg::form_duplicate_indicator(&i.code)));
            }
        }
    }
    for i in codes.values() {
        for d in &i.disaggregations {
            if !dims.contains_key(d) {
                return Err(err(msg::form_unknown_dimension(&i.code, d)));
            }
        }
        if !i.disaggregations.is_empty() && !i.kind.is_additive() {
            return Err(err(msg::form_breakdown_not_additive(&i.code)));
        }
        let agg = i.aggregation();
        let agg_ok = match i.kind {
            IndicatorKind::Count | IndicatorKind::AmountVnd => agg == Aggregation::Sum,
            IndicatorKind::Percentage | IndicatorKind::Ratio => agg == Aggregation::Recompute,
            IndicatorKind::Text => agg == Aggregation::None,
        };
        if !agg_ok {
            return Err(err(msg::form_aggregation_unfit(&i.code)));
        }
        match (&i.formula, i.kind) {
            (None, IndicatorKind::Percentage | IndicatorKind::Ratio) => {
                return Err(err(msg::form_ratio_needs_formula(&i.code)));
            }
            (Some(Formula::Ratio { .. }), k) if k.is_additive() || k == IndicatorKind::Text => {
                return Err(err(msg::form_ratio_formula_gives_ratio(&i.code)));
            }
            (Some(Formula::Sum { .. }), k) if !k.is_additive() => {
                return Err(err(msg::form_sum_formula_gives_count(&i.code)));
            }
            (Some(Formula::Sum { terms }), _) if terms.is_empty() => {
                return Err(err(msg::form_empty_sum(&i.code)));
            }
            _ => {}
        }
        if let Some(formula) = &i.formula {
            for input in formula.inputs() {
                match codes.get(input) {
                    None => return Err(err(msg::form_unknown_input(&i.code, input))),
                    Some(x) if !x.kind.is_additive() => {
                        return Err(err(msg::form_input_not_additive(&i.code, input)));
                    }
                    Some(_) => {}
                }
            }
        }
    }
    // Cycles: every computed indicator must get an evaluation slot.
    let computed = codes.values().filter(|i| i.is_computed()).count();
    if f.computed_order().len() != computed {
        return Err(err(msg::FORM_FORMULA_CYCLE.into()));
    }
    for r in &f.rules {
        let used: BTreeSet<&str> = r.indicators().into_iter().collect();
        if used.len() != r.indicators().len() {
            return Err(err(msg::FORM_RULE_REPEATS.into()));
        }
        for c in used {
            match codes.get(c) {
                Some(i) if i.kind.is_additive() => {}
                Some(_) => return Err(err(msg::form_rule_not_additive(c))),
                None => return Err(err(msg::form_rule_unknown(c))),
            }
        }
    }
    Ok(())
}
