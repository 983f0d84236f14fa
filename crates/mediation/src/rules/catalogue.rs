//! The versioned catalogue of mediation rules (`data/catalogue.toml`): each version has its
//! legal basis and the day it starts to apply; a case is judged by the version in force on the
//! day it was received.

use chrono::NaiveDate;
use serde::Deserialize;

const BUILTIN: &str = include_str!("../../data/catalogue.toml");

#[derive(Clone, Debug, Deserialize)]
pub struct Catalogue {
    pub versions: Vec<Version>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Version {
    pub code: String,
    pub valid_from: NaiveDate,
    pub legal_basis: String,
    pub team: TeamRules,
    pub timing: Timing,
    pub fields: Vec<Field>,
    pub exclusions: Vec<Exclusion>,
    pub rates: Vec<Rate>,
}

/// The conditions a team should meet (warnings, never blocking).
#[derive(Clone, Debug, Deserialize)]
pub struct TeamRules {
    pub min_mediators: usize,
    pub require_female: bool,
    pub require_ethnic_minority_in_area: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Timing {
    pub start_within_days: i64,
}

/// A field of mediation (lĩnh vực).
#[derive(Clone, Debug, Deserialize)]
pub struct Field {
    pub code: String,
    pub name: String,
}

/// A matter the law excludes from grassroots mediation.
#[derive(Clone, Debug, Deserialize)]
pub struct Exclusion {
    pub code: String,
    pub text: String,
    pub basis: String,
    pub certainty: String,
}

/// A remuneration rate per case per team: for a province (`*` for any), from a day, by outcome.
#[derive(Clone, Debug, Deserialize)]
pub struct Rate {
    pub province_code: String,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    pub outcome: String,
    pub amount: i64,
    pub basis: String,
    pub certainty: String,
}

impl Catalogue {
    /// The catalogue shipped with pbgdpl.
    pub fn builtin() -> Result<Catalogue, String> {
        Catalogue::parse(BUILTIN)
    }

    /// Reads and checks a catalogue: at least one version, versions in date order, every
    /// version with fields and exclusions, unique codes, positive amounts.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let c: Catalogue = toml::from_str(text).map_err(|e| e.to_string())?;
        if c.versions.is_empty() {
            return Err("no version".into());
        }
        for w in c.versions.windows(2) {
            if let [a, b] = w
                && a.valid_from >= b.valid_from
            {
                return Err(format!("versions out of order: {} before {}", a.code, b.code));
            }
        }
        for v in &c.versions {
            if v.fields.is_empty() || v.exclusions.is_empty() {
                return Err(format!("{}: fields and exclusions are required", v.code));
            }
            let mut codes: Vec<&str> = v.fields.iter().map(|f| f.code.as_str()).chain(v.exclusions.iter().map(|e| e.code.as_str())).collect();
            codes.sort_unstable();
            if codes.windows(2).any(|w| w.first() == w.get(1)) {
                return Err(format!("{}: duplicate code", v.code));
            }
            if v.rates.iter().any(|r| r.amount <= 0 || !matches!(r.outcome.as_str(), "successful" | "unsuccessful")) {
                return Err(format!("{}: bad rate", v.code));
            }
        }
        Ok(c)
    }

    /// The version in force on `day` (the first one for days before it); `None` only for a
    /// catalogue that `parse` would refuse.
    pub fn on(&self, day: NaiveDate) -> Option<&Version> {
        self.versions.iter().rev().find(|v| v.valid_from <= day).or(self.versions.first())
    }
}

impl Version {
    pub fn field(&self, code: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.code == code)
    }

    pub fn exclusion(&self, code: &str) -> Option<&Exclusion> {
        self.exclusions.iter().find(|e| e.code == code)
    }

    /// The rate for a case of this outcome ended on `day` in the province `province_code`:
    /// the province's own rate when there is one, else the general one.
    pub fn rate(&self, province_code: &str, outcome: &str, day: NaiveDate) -> Option<&Rate> {
        let live = |r: &&Rate| r.outcome == outcome && r.valid_from <= day && r.valid_to.is_none_or(|t| day <= t);
        self.rates
            .iter()
            .filter(live)
            .filter(|r| r.province_code == province_code)
            .max_by_key(|r| r.valid_from)
            .or_else(|| self.rates.iter().filter(live).filter(|r| r.province_code == "*").max_by_key(|r| r.valid_from))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_reads() {
        let c = Catalogue::builtin().unwrap();
        let v = c.on(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()).unwrap();
        assert_eq!(v.team.min_mediators, 3);
        assert!(v.field("land").is_some());
        assert_eq!(v.exclusions.len(), 4);
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(v.rate("20", "successful", d).map(|r| r.amount), Some(200_000));
        assert_eq!(v.rate("20", "stopped", d).map(|r| r.amount), None);
    }

    #[test]
    fn refuses_broken_catalogues() {
        assert!(Catalogue::parse("versions = []").is_err());
        assert!(Catalogue::parse("nonsense").is_err());
    }
}
