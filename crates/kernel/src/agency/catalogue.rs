//! The built-in catalogue of agency kinds and groups (`data/agency_catalogue.toml`).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::matcher::{EntryKind, MatchEntry};
use super::normalize::alias_key;

const BUILTIN_TOML: &str = include_str!("../../data/agency_catalogue.toml");

/// Administrative level at which an agency kind or group exists (cấp).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyLevel {
    /// Trung ương: ministries and central bodies named in local plans.
    Central,
    /// Tỉnh, thành phố trực thuộc trung ương.
    Province,
    /// Huyện, quận, thị xã, thành phố thuộc tỉnh — abolished on 1 July 2025.
    DistrictLegacy,
    /// Xã, phường, đặc khu (thị trấn before 1 July 2025).
    Commune,
    /// Not tied to one level.
    Any,
}

impl AgencyLevel {
    /// The snake_case code used in the catalogue.
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyLevel::Central => "central",
            AgencyLevel::Province => "province",
            AgencyLevel::DistrictLegacy => "district_legacy",
            AgencyLevel::Commune => "commune",
            AgencyLevel::Any => "any",
        }
    }
}

/// A kind of agency (loại cơ quan, tổ chức), without its place: "Sở Tư pháp".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyKind {
    pub code: String,
    /// Canonical Vietnamese name without the place.
    pub name: String,
    pub level: AgencyLevel,
    /// Codes of the groups this kind belongs to.
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Forms accepted only as a whole name or a whole list item.
    #[serde(default)]
    pub bare_aliases: Vec<String>,
    /// Forms accepted only when a place or level word follows.
    #[serde(default)]
    pub stems: Vec<String>,
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    /// Codes of the kinds that took over its duties.
    #[serde(default)]
    pub replaced_by: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A collective phrase for several agencies (nhóm cơ quan): "Các sở, ban, ngành tỉnh".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyGroup {
    pub code: String,
    pub name: String,
    pub level: AgencyLevel,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub bare_aliases: Vec<String>,
    #[serde(default)]
    pub stems: Vec<String>,
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    version: u32,
    #[serde(default, rename = "kind")]
    kinds: Vec<AgencyKind>,
    #[serde(default, rename = "group")]
    groups: Vec<AgencyGroup>,
}

/// Why a catalogue could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("agency catalogue is not valid TOML: {0}")]
    Toml(String),
    #[error("agency catalogue version {0} is not supported")]
    UnsupportedVersion(u32),
    #[error("agency catalogue code {0:?} is not snake_case")]
    InvalidCode(String),
    #[error("agency catalogue code {0:?} is defined twice")]
    DuplicateCode(String),
    #[error("agency catalogue entry {0:?} has an empty name, alias or stem")]
    EmptyName(String),
    #[error("agency kind {kind:?} names unknown group {group:?}")]
    UnknownGroup { kind: String, group: String },
    #[error("agency kind {kind:?} is replaced by unknown kind {replacement:?}")]
    UnknownReplacement { kind: String, replacement: String },
    #[error("agency catalogue entry {0:?} has valid_from after valid_to")]
    InvalidDates(String),
    #[error("alias {alias:?} of {second:?} is already a name or alias of {first:?}")]
    AliasClash {
        alias: String,
        first: String,
        second: String,
    },
}

/// The catalogue of agency kinds and groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyCatalogue {
    kinds: Vec<AgencyKind>,
    groups: Vec<AgencyGroup>,
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl AgencyCatalogue {
    /// The catalogue embedded in the crate.
    pub fn builtin() -> Result<AgencyCatalogue, CatalogueError> {
        Self::from_toml_str(BUILTIN_TOML)
    }

    /// Parses and validates a catalogue in the format of `data/agency_catalogue.toml`.
    pub fn from_toml_str(text: &str) -> Result<AgencyCatalogue, CatalogueError> {
        let raw: RawCatalogue =
            toml::from_str(text).map_err(|e| CatalogueError::Toml(e.to_string()))?;
        if raw.version != 1 {
            return Err(CatalogueError::UnsupportedVersion(raw.version));
        }
        let catalogue = AgencyCatalogue {
            kinds: raw.kinds,
            groups: raw.groups,
        };
        catalogue.validate()?;
        Ok(catalogue)
    }

    fn validate(&self) -> Result<(), CatalogueError> {
        let mut kind_codes = HashSet::new();
        for kind in &self.kinds {
            if !valid_code(&kind.code) {
                return Err(CatalogueError::InvalidCode(kind.code.clone()));
            }
            if !kind_codes.insert(kind.code.as_str()) {
                return Err(CatalogueError::DuplicateCode(kind.code.clone()));
            }
        }
        let mut group_codes = HashSet::new();
        for group in &self.groups {
            if !valid_code(&group.code) {
                return Err(CatalogueError::InvalidCode(group.code.clone()));
            }
            if !group_codes.insert(group.code.as_str()) {
                return Err(CatalogueError::DuplicateCode(group.code.clone()));
            }
        }
        for kind in &self.kinds {
            if let Some(group) = kind
                .groups
                .iter()
                .find(|g| !group_codes.contains(g.as_str()))
            {
                return Err(CatalogueError::UnknownGroup {
                    kind: kind.code.clone(),
                    group: group.clone(),
                });
            }
            if let Some(r) = kind
                .replaced_by
                .iter()
                .find(|r| !kind_codes.contains(r.as_str()))
            {
                return Err(CatalogueError::UnknownReplacement {
                    kind: kind.code.clone(),
                    replacement: r.clone(),
                });
            }
            if let (Some(from), Some(to)) = (kind.valid_from, kind.valid_to)
                && from > to
            {
                return Err(CatalogueError::InvalidDates(kind.code.clone()));
            }
        }
        for group in &self.groups {
            if let (Some(from), Some(to)) = (group.valid_from, group.valid_to)
                && from > to
            {
                return Err(CatalogueError::InvalidDates(group.code.clone()));
            }
        }
        // Names, aliases and bare aliases must be unique across entries once folded; stems are
        // shared on purpose (the level word picks the kind).
        let mut owners: HashMap<String, String> = HashMap::new();
        for entry in self.match_entries() {
            let forms = std::iter::once(&entry.name)
                .chain(&entry.aliases)
                .chain(&entry.bare_aliases);
            for form in forms {
                let key = alias_key(form);
                if key.is_empty() {
                    return Err(CatalogueError::EmptyName(entry.key.clone()));
                }
                match owners.get(&key) {
                    Some(owner) if *owner != entry.key => {
                        return Err(CatalogueError::AliasClash {
                            alias: form.clone(),
                            first: owner.clone(),
                            second: entry.key.clone(),
                        });
                    }
                    Some(_) => {}
                    None => {
                        owners.insert(key, entry.key.clone());
                    }
                }
            }
            if entry.stems.iter().any(|s| alias_key(s).is_empty()) {
                return Err(CatalogueError::EmptyName(entry.key.clone()));
            }
        }
        Ok(())
    }

    /// All kinds, in catalogue order.
    pub fn kinds(&self) -> &[AgencyKind] {
        &self.kinds
    }

    /// All groups, in catalogue order.
    pub fn groups(&self) -> &[AgencyGroup] {
        &self.groups
    }

    pub fn kind(&self, code: &str) -> Option<&AgencyKind> {
        self.kinds.iter().find(|k| k.code == code)
    }

    pub fn group(&self, code: &str) -> Option<&AgencyGroup> {
        self.groups.iter().find(|g| g.code == code)
    }

    /// The kinds that belong to a group.
    pub fn group_members<'a>(
        &'a self,
        group_code: &'a str,
    ) -> impl Iterator<Item = &'a AgencyKind> + 'a {
        self.kinds
            .iter()
            .filter(move |k| k.groups.iter().any(|g| g == group_code))
    }

    /// Number of aliases, bare aliases and stems over all kinds and groups (names not counted).
    pub fn alias_count(&self) -> usize {
        let kinds: usize = self
            .kinds
            .iter()
            .map(|k| k.aliases.len() + k.bare_aliases.len() + k.stems.len())
            .sum();
        let groups: usize = self
            .groups
            .iter()
            .map(|g| g.aliases.len() + g.bare_aliases.len() + g.stems.len())
            .sum();
        kinds + groups
    }

    /// Matcher entries: every kind as `kind:<code>`, then every group as `group:<code>`.
    pub fn match_entries(&self) -> Vec<MatchEntry> {
        let kinds = self.kinds.iter().map(|k| {
            MatchEntry::new(
                format!("kind:{}", k.code),
                k.name.clone(),
                k.aliases.clone(),
                EntryKind::Agency,
            )
            .with_level(k.level)
            .with_bare_aliases(k.bare_aliases.clone())
            .with_stems(k.stems.clone())
        });
        let groups = self.groups.iter().map(|g| {
            MatchEntry::new(
                format!("group:{}", g.code),
                g.name.clone(),
                g.aliases.clone(),
                EntryKind::Group,
            )
            .with_level(g.level)
            .with_bare_aliases(g.bare_aliases.clone())
            .with_stems(g.stems.clone())
        });
        kinds.chain(groups).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads() {
        let cat = AgencyCatalogue::builtin();
        assert!(cat.is_ok(), "{cat:?}");
    }

    #[test]
    fn rejects_clashing_aliases() {
        let text = r#"
version = 1
[[kind]]
code = "a"
name = "Sở Tư pháp"
level = "province"
[[kind]]
code = "b"
name = "Sở Y tế"
level = "province"
aliases = ["sở tư pháp"]
"#;
        assert!(matches!(
            AgencyCatalogue::from_toml_str(text),
            Err(CatalogueError::AliasClash { .. })
        ));
    }

    #[test]
    fn rejects_unknown_group_and_bad_code() {
        let text = "version = 1\n[[kind]]\ncode = \"a\"\nname = \"X\"\nlevel = \"any\"\ngroups = [\"nope\"]\n";
        assert!(matches!(
            AgencyCatalogue::from_toml_str(text),
            Err(CatalogueError::UnknownGroup { .. })
        ));
        let text = "version = 1\n[[kind]]\ncode = \"Bad\"\nname = \"X\"\nlevel = \"any\"\n";
        assert!(matches!(
            AgencyCatalogue::from_toml_str(text),
            Err(CatalogueError::InvalidCode(_))
        ));
        assert!(matches!(
            AgencyCatalogue::from_toml_str("version = ["),
            Err(CatalogueError::Toml(_))
        ));
    }
}
