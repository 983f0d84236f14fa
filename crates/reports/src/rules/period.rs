//! Reporting periods (kỳ báo cáo) and deadline / cut-off rules as data.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::form::{Certainty, FillerLevel};

const DEADLINES_TOML: &str = include_str!("../../data/forms/deadlines.toml");

/// Kind of reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// 6 tháng (index 1 or 2).
    HalfYear,
    /// Năm (index 1).
    Year,
    /// Quý (index 1–4).
    Quarter,
    /// Tháng (index 1–12).
    Month,
    /// Đột xuất (index = sequence number within the year, ≥ 1); spans the whole year.
    AdHoc,
}

/// A reporting period: kind, year and index inside the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub year: i32,
    pub index: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("invalid period key {0:?}")]
    BadKey(String),
    #[error("period index out of range")]
    BadIndex,
}

impl Period {
    pub fn new(kind: PeriodKind, year: i32, index: u32) -> Result<Period, PeriodError> {
        let ok = match kind {
            PeriodKind::HalfYear => (1..=2).contains(&index),
            PeriodKind::Year => index == 1,
            PeriodKind::Quarter => (1..=4).contains(&index),
            PeriodKind::Month => (1..=12).contains(&index),
            PeriodKind::AdHoc => (1..=99).contains(&index),
        };
        if ok && (1900..=9999).contains(&year) {
            Ok(Period { kind, year, index })
        } else {
            Err(PeriodError::BadIndex)
        }
    }

    pub fn half_year(year: i32, half: u32) -> Result<Period, PeriodError> {
        Self::new(PeriodKind::HalfYear, year, half)
    }

    pub fn year(year: i32) -> Result<Period, PeriodError> {
        Self::new(PeriodKind::Year, year, 1)
    }

    /// Stable key: "2025-H1", "2025-Y", "2025-Q3", "2025-M07", "2025-A01".
    pub fn key(&self) -> String {
        let y = self.year;
        match self.kind {
            PeriodKind::HalfYear => format!("{y}-H{}", self.index),
            PeriodKind::Year => format!("{y}-Y"),
            PeriodKind::Quarter => format!("{y}-Q{}", self.index),
            PeriodKind::Month => format!("{y}-M{:02}", self.index),
            PeriodKind::AdHoc => format!("{y}-A{:02}", self.index),
        }
    }

    /// First month and last month (1-based) covered.
    fn months(&self) -> (u32, u32) {
        match self.kind {
            PeriodKind::HalfYear => (self.index * 6 - 5, self.index * 6),
            PeriodKind::Year | PeriodKind::AdHoc => (1, 12),
            PeriodKind::Quarter => (self.index * 3 - 2, self.index * 3),
            PeriodKind::Month => (self.index, self.index),
        }
    }

    /// First day of the period.
    pub fn start(&self) -> NaiveDate {
        let (m, _) = self.months();
        NaiveDate::from_ymd_opt(self.year, m, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Last day of the period (inclusive).
    pub fn end(&self) -> NaiveDate {
        let (_, m) = self.months();
        let next = if m == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, m + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` falls inside the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError::BadKey(s.to_string());
        let (y, rest) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let mut chars = rest.chars();
        let tag = chars.next().ok_or_else(bad)?;
        let num = chars.as_str();
        let (kind, width) = match tag {
            'H' => (PeriodKind::HalfYear, 1),
            'Y' => (PeriodKind::Year, 0),
            'Q' => (PeriodKind::Quarter, 1),
            'M' => (PeriodKind::Month, 2),
            'A' => (PeriodKind::AdHoc, 2),
            _ => return Err(bad()),
        };
        if num.len() != width || !num.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let index = if width == 0 {
            1
        } else {
            num.parse().map_err(|_| bad())?
        };
        Period::new(kind, year, index).map_err(|_| bad())
    }
}

/// How a date is derived from a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DateRule {
    /// A fixed day-month in the period's year plus `year_offset`.
    Fixed {
        month: u32,
        day: u32,
        #[serde(default)]
        year_offset: i32,
    },
    /// `days` days after the period's last day (0 = the last day).
    AfterEnd { days: u64 },
}

impl DateRule {
    pub fn resolve(&self, period: &Period) -> Option<NaiveDate> {
        match *self {
            DateRule::Fixed {
                month,
                day,
                year_offset,
            } => NaiveDate::from_ymd_opt(period.year + year_offset, month, day),
            DateRule::AfterEnd { days } => period.end().checked_add_days(Days::new(days)),
        }
    }
}

/// One deadline rule; the most specific matching rule wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRule {
    pub kind: PeriodKind,
    /// Only for this index (e.g. H2); `None` = every index.
    #[serde(default)]
    pub index: Option<u32>,
    /// Reporting level; `None` = every level.
    #[serde(default)]
    pub level: Option<FillerLevel>,
    /// Province code (QĐ 19/2025 code) for a local override; `None` = national default.
    #[serde(default)]
    pub province: Option<String>,
    /// First period year the rule applies to (inclusive); `None` = no lower bound.
    #[serde(default)]
    pub from_year: Option<i32>,
    /// Last period year the rule applies to (inclusive); `None` = no upper bound.
    #[serde(default)]
    pub to_year: Option<i32>,
    /// Hạn gửi báo cáo.
    pub due: DateRule,
    /// Thời điểm chốt số liệu (last day of actual data).
    pub cutoff: DateRule,
    pub certainty: Certainty,
    #[serde(default)]
    pub source: String,
}

impl DeadlineRule {
    fn matches(&self, p: &Period, level: FillerLevel, province: Option<&str>) -> Option<u32> {
        if self.kind != p.kind
            || self.index.is_some_and(|i| i != p.index)
            || self.level.is_some_and(|l| l != level)
            || self.from_year.is_some_and(|y| p.year < y)
            || self.to_year.is_some_and(|y| p.year > y)
        {
            return None;
        }
        let prov = match (&self.province, province) {
            (None, _) => 0,
            (Some(a), Some(b)) if a == b => 4,
            (Some(_), _) => return None,
        };
        Some(prov + u32::from(self.index.is_some()) * 2 + u32::from(self.level.is_some()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRules {
    pub rules: Vec<DeadlineRule>,
}

impl DeadlineRules {
    /// The rules shipped in `data/forms/deadlines.toml`.
    pub fn builtin() -> Result<DeadlineRules, String> {
        Self::from_toml(DEADLINES_TOML)
    }

    pub fn from_toml(text: &str) -> Result<DeadlineRules, String> {
        let r: DeadlineRules = toml::from_str(text).map_err(|e| e.to_string())?;
        for rule in &r.rules {
            for d in [rule.due, rule.cutoff] {
                if let DateRule::Fixed { month, day, .. } = d
                    && NaiveDate::from_ymd_opt(2024, month, day).is_none()
                {
                    return Err(format!("invalid day {day}/{month}"));
                }
            }
        }
        Ok(r)
    }

    /// The most specific rule for a period, level and province.
    pub fn rule_for(
        &self,
        period: &Period,
        level: FillerLevel,
        province: Option<&str>,
    ) -> Option<&DeadlineRule> {
        let mut best: Option<(u32, &DeadlineRule)> = None;
        for r in &self.rules {
            if let Some(score) = r.matches(period, level, province)
                && best.is_none_or(|(s, _)| score > s)
            {
                best = Some((score, r));
            }
        }
        best.map(|(_, r)| r)
    }
}

/// Due date of the report for `period` filed at `level` in `province`; `None` when no rule
/// applies (e.g. ad hoc reports, whose deadline comes with the request).
pub fn deadline(
    period: &Period,
    level: FillerLevel,
    province: Option<&str>,
    rules: &DeadlineRules,
) -> Option<NaiveDate> {
    rules
        .rule_for(period, level, province)
        .and_then(|r| r.due.resolve(period))
}

/// Last day of actual data for the report (thời điểm chốt số liệu).
pub fn cutoff(
    period: &Period,
    level: FillerLevel,
    province: Option<&str>,
    rules: &DeadlineRules,
) -> Option<NaiveDate> {
    rules
        .rule_for(period, level, province)
        .and_then(|r| r.cutoff.resolve(period))
}

/// Whether a report for `period` submitted on `date` is late.
pub fn is_late(
    period: &Period,
    level: FillerLevel,
    province: Option<&str>,
    rules: &DeadlineRules,
    submitted_on: NaiveDate,
) -> bool {
    deadline(period, level, province, rules).is_some_and(|d| submitted_on > d)
}

/// The period of `kind` containing `date` (`None` for ad hoc).
pub fn period_containing(kind: PeriodKind, date: NaiveDate) -> Option<Period> {
    let m = date.month();
    let index = match kind {
        PeriodKind::HalfYear => m.div_ceil(6),
        PeriodKind::Year => 1,
        PeriodKind::Quarter => m.div_ceil(3),
        PeriodKind::Month => m,
        PeriodKind::AdHoc => return None,
    };
    Period::new(kind, date.year(), index).ok()
}
