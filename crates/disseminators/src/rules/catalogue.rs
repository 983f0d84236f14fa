//! The versioned data shipped under `data/`: the reporter criteria (Art. 35), the forms of a
//! session and the special target groups. Each carries its legal basis, validity and certainty,
//! so a change of the law is a new version of a file, not a change of code.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;

/// One version of the reporter criteria (tiêu chuẩn báo cáo viên pháp luật).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct CriteriaVersion {
    pub code: String,
    pub legal_basis: String,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    /// V verified, P partly verified, U unverified (see docs/domain.md).
    pub certainty: String,
    #[serde(default)]
    pub sources: Vec<String>,
    pub note: String,
    /// Least years of legal work with a law degree.
    pub law_degree_min_years: i64,
    /// Least years of law-related work with another university degree.
    pub other_degree_min_years: i64,
}

impl CriteriaVersion {
    /// Whether the version applies to a recognition decided on `day`.
    pub fn applies_on(&self, day: NaiveDate) -> bool {
        day >= self.valid_from && self.valid_to.is_none_or(|t| day <= t)
    }
}

#[derive(Deserialize)]
struct CriteriaFile {
    versions: Vec<CriteriaVersion>,
}

/// A coded choice (a session form, a target group) with its Vietnamese name.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub name: String,
    /// A shorter name for table headers; the name when absent.
    #[serde(default)]
    pub short: Option<String>,
}

impl Choice {
    pub fn short_name(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct FormsFile {
    pub version: i64,
    pub legal_basis: String,
    pub valid_from: NaiveDate,
    pub certainty: String,
    pub forms: Vec<Choice>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct GroupsFile {
    pub version: i64,
    pub legal_basis: String,
    pub valid_from: NaiveDate,
    pub certainty: String,
    pub groups: Vec<Choice>,
}

/// Everything shipped under `data/`, parsed.
#[derive(Clone, Debug)]
pub struct Catalogue {
    pub criteria: Vec<CriteriaVersion>,
    pub forms: FormsFile,
    pub groups: GroupsFile,
}

pub const CRITERIA_TOML: &str = include_str!("../../data/reporter_criteria.toml");
pub const FORMS_TOML: &str = include_str!("../../data/activity_forms.toml");
pub const GROUPS_TOML: &str = include_str!("../../data/target_groups.toml");

/// Parses the three files; an error names the file.
pub fn parse(criteria: &str, forms: &str, groups: &str) -> Result<Catalogue, String> {
    let c: CriteriaFile = toml::from_str(criteria).map_err(|e| format!("reporter_criteria.toml: {e}"))?;
    let f: FormsFile = toml::from_str(forms).map_err(|e| format!("activity_forms.toml: {e}"))?;
    let g: GroupsFile = toml::from_str(groups).map_err(|e| format!("target_groups.toml: {e}"))?;
    if c.versions.is_empty() {
        return Err("reporter_criteria.toml: no version".into());
    }
    for (name, list) in [("activity_forms.toml", &f.forms), ("target_groups.toml", &g.groups)] {
        let mut seen = std::collections::BTreeSet::new();
        for ch in list {
            if ch.code.is_empty() || !seen.insert(ch.code.as_str()) {
                return Err(format!("{name}: empty or repeated code «{}»", ch.code));
            }
        }
    }
    Ok(Catalogue { criteria: c.versions, forms: f, groups: g })
}

/// The shipped catalogue, parsed once.
pub fn shipped() -> Result<&'static Catalogue, String> {
    static CELL: OnceLock<Result<Catalogue, String>> = OnceLock::new();
    CELL.get_or_init(|| parse(CRITERIA_TOML, FORMS_TOML, GROUPS_TOML)).as_ref().map_err(Clone::clone)
}

impl Catalogue {
    /// The criteria version for a recognition on `day` (the latest that applies).
    pub fn criteria_on(&self, day: NaiveDate) -> Option<&CriteriaVersion> {
        self.criteria.iter().filter(|v| v.applies_on(day)).max_by_key(|v| v.valid_from)
    }

    pub fn form(&self, code: &str) -> Option<&Choice> {
        self.forms.forms.iter().find(|c| c.code == code)
    }

    pub fn group(&self, code: &str) -> Option<&Choice> {
        self.groups.groups.iter().find(|c| c.code == code)
    }

    /// The name of a form, or its code when the catalogue no longer has it.
    pub fn form_name(&self, code: &str) -> String {
        self.form(code).map(|c| c.name.clone()).unwrap_or_else(|| code.to_string())
    }
}
