//! The special target groups (đối tượng đặc thù) shipped under `data/`, parsed once.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;

/// A target group with its Vietnamese name.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Group {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub short: Option<String>,
}

impl Group {
    pub fn short_name(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct GroupsFile {
    pub version: i64,
    pub legal_basis: String,
    pub valid_from: NaiveDate,
    pub certainty: String,
    pub groups: Vec<Group>,
}

pub const GROUPS_TOML: &str = include_str!("../../data/target_groups.toml");

/// Parses a target-groups file; codes must be present and distinct.
pub fn parse(text: &str) -> Result<GroupsFile, String> {
    let g: GroupsFile = toml::from_str(text).map_err(|e| format!("target_groups.toml: {e}"))?;
    let mut seen = std::collections::BTreeSet::new();
    for x in &g.groups {
        if x.code.is_empty() || !seen.insert(x.code.as_str()) {
            return Err(format!("target_groups.toml: empty or repeated code «{}»", x.code));
        }
    }
    Ok(g)
}

/// The shipped groups, parsed once.
pub fn shipped() -> Result<&'static GroupsFile, String> {
    static CELL: OnceLock<Result<GroupsFile, String>> = OnceLock::new();
    CELL.get_or_init(|| parse(GROUPS_TOML)).as_ref().map_err(Clone::clone)
}
