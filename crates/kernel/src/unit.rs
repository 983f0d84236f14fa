//! Administrative units (đơn vị hành chính) and villages (thôn, tổ dân phố), with validity dates
//! and succession links across the 2025 reform.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The level of a unit in the hierarchy. `District` exists only before 1 July 2025.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// Cấp tỉnh.
    Province,
    /// Cấp huyện (abolished 1 July 2025).
    District,
    /// Cấp xã.
    Commune,
    /// Thôn, tổ dân phố: created by users under a commune.
    Village,
}

impl UnitLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::Province => "province",
            UnitLevel::District => "district",
            UnitLevel::Commune => "commune",
            UnitLevel::Village => "village",
        }
    }

    pub fn parse(s: &str) -> Option<UnitLevel> {
        match s {
            "province" => Some(UnitLevel::Province),
            "district" => Some(UnitLevel::District),
            "commune" => Some(UnitLevel::Commune),
            "village" => Some(UnitLevel::Village),
            _ => None,
        }
    }

    /// Vietnamese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            UnitLevel::Province => "Cấp tỉnh",
            UnitLevel::District => "Cấp huyện (trước 01/7/2025)",
            UnitLevel::Commune => "Cấp xã",
            UnitLevel::Village => "Thôn, tổ dân phố",
        }
    }
}

/// The kind of unit, with its official Vietnamese name.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "tinh" => "Tỉnh",
        "thanh_pho_tw" => "Thành phố trực thuộc trung ương",
        "huyen" => "Huyện",
        "quan" => "Quận",
        "thi_xa" => "Thị xã",
        "thanh_pho_thuoc_tinh" => "Thành phố thuộc tỉnh",
        "thanh_pho_thuoc_tp" => "Thành phố thuộc thành phố trực thuộc trung ương",
        "xa" => "Xã",
        "phuong" => "Phường",
        "thi_tran" => "Thị trấn",
        "dac_khu" => "Đặc khu",
        "thon" => "Thôn",
        "to_dan_pho" => "Tổ dân phố",
        "ap" => "Ấp",
        "ban" => "Bản",
        "buon" => "Buôn",
        "khu_pho" => "Khu phố",
        "lang" => "Làng",
        _ => "Khác",
    }
}

/// Kinds a user may choose for a village.
pub const VILLAGE_KINDS: &[&str] = &["thon", "to_dan_pho", "ap", "ban", "buon", "khu_pho", "lang"];

/// The date the two-level local government took effect.
pub fn reform_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// The place name of a unit for a document's date line: its name without the level word
/// ("Tỉnh Lạng Sơn" → "Lạng Sơn", "Phường Đông Kinh" → "Đông Kinh").
pub fn place_name(name: &str) -> &str {
    for prefix in ["Thành phố ", "Tỉnh ", "Đặc khu ", "Phường ", "Xã ", "Thị trấn ", "Huyện ", "Quận ", "Thị xã "] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest;
        }
    }
    name
}

/// Whether a unit with this validity window is in force on `day`.
pub fn valid_on(valid_from: Option<NaiveDate>, valid_to: Option<NaiveDate>, day: NaiveDate) -> bool {
    valid_from.is_none_or(|f| f <= day) && valid_to.is_none_or(|t| day <= t)
}

/// One row of the shipped unit list (`data/units/units.csv`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRecord {
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub kind: String,
    pub parent_code: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

/// One row of `data/units/successions.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuccessionRecord {
    pub old_code: String,
    pub old_level: UnitLevel,
    pub new_code: String,
    pub new_level: UnitLevel,
    pub partly_merged: bool,
    pub effective: NaiveDate,
}

/// Errors in a shipped data file: line number and what is wrong.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {message}")]
pub struct DataFileError {
    pub line: usize,
    pub message: String,
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1) // the CSV header
}

fn split_csv(line: &str) -> Vec<String> {
    // The files are generated without embedded quotes or commas in values except in quoted names.
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn opt_date(s: &str, line: usize) -> Result<Option<NaiveDate>, DataFileError> {
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| DataFileError { line, message: format!("bad date {s:?}") })
}

fn level(s: &str, line: usize) -> Result<UnitLevel, DataFileError> {
    UnitLevel::parse(s).ok_or_else(|| DataFileError { line, message: format!("bad level {s:?}") })
}

/// Parses the shipped unit list.
pub fn parse_units_csv(text: &str) -> Result<Vec<UnitRecord>, DataFileError> {
    data_lines(text)
        .map(|(line, l)| {
            let f = split_csv(l);
            if f.len() != 7 {
                return Err(DataFileError { line, message: format!("expected 7 fields, got {}", f.len()) });
            }
            Ok(UnitRecord {
                code: f[0].clone(),
                name: text_vi::nfc(&f[1]),
                level: level(&f[2], line)?,
                kind: f[3].clone(),
                parent_code: (!f[4].is_empty()).then(|| f[4].clone()),
                valid_from: opt_date(&f[5], line)?,
                valid_to: opt_date(&f[6], line)?,
            })
        })
        .collect()
}

/// Parses the shipped succession list.
pub fn parse_successions_csv(text: &str) -> Result<Vec<SuccessionRecord>, DataFileError> {
    data_lines(text)
        .map(|(line, l)| {
            let f = split_csv(l);
            if f.len() != 6 {
                return Err(DataFileError { line, message: format!("expected 6 fields, got {}", f.len()) });
            }
            Ok(SuccessionRecord {
                old_code: f[0].clone(),
                old_level: level(&f[1], line)?,
                new_code: f[2].clone(),
                new_level: level(&f[3], line)?,
                partly_merged: match f[4].as_str() {
                    "true" => true,
                    "false" => false,
                    other => return Err(DataFileError { line, message: format!("bad flag {other:?}") }),
                },
                effective: opt_date(&f[5], line)?
                    .ok_or_else(|| DataFileError { line, message: "missing effective date".into() })?,
            })
        })
        .collect()
}

/// The name of a body of a unit, as official documents write it: "Sở Tư pháp" + "Tỉnh Lạng
/// Sơn" → "Sở Tư pháp tỉnh Lạng Sơn"; "Ủy ban nhân dân xã" + "Phường Đông Kinh" → "Ủy ban nhân
/// dân phường Đông Kinh".
pub fn instance_name(kind_name: &str, unit_name: &str) -> String {
    let mut words = unit_name.split_whitespace();
    let first = words.next().unwrap_or("").to_lowercase();
    let rest: Vec<&str> = words.collect();
    let (unit_word, place) = match first.as_str() {
        "thành" | "đặc" => {
            let w = format!("{} {}", first, rest.first().map(|s| s.to_lowercase()).unwrap_or_default());
            (w, rest.get(1..).map(|r| r.join(" ")).unwrap_or_default())
        }
        _ => (first, rest.join(" ")),
    };
    for level_word in [" tỉnh", " xã"] {
        if let Some(stem) = kind_name.strip_suffix(level_word) {
            return format!("{stem} {unit_word} {place}");
        }
    }
    if kind_name == "Tỉnh đoàn" {
        return format!("Tỉnh đoàn {place}");
    }
    format!("{kind_name} {unit_word} {place}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        let t = "# header\ncode,name,level,kind,parent_code,valid_from,valid_to\n20,Tỉnh Lạng Sơn,province,tinh,,2025-07-01,\n\"00001\",\"Xã A, B\",commune,xa,20,2025-07-01,\n";
        let r = parse_units_csv(t).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].name, "Xã A, B");
        assert_eq!(r[1].parent_code.as_deref(), Some("20"));
        assert!(parse_units_csv("h\n1,2,3\n").is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(text in "\\PC{0,400}") {
            let _ = parse_units_csv(&text);
            let _ = parse_successions_csv(&text);
        }

        #[test]
        fn well_formed_rows_round_trip(code in "[0-9]{5}", name in "[A-Za-zÀ-ỹ ]{1,30}", partly in proptest::bool::ANY) {
            let u = format!("h\n{code},\"{name}\",commune,xa,20,2025-07-01,\n");
            let r = parse_units_csv(&u).unwrap();
            proptest::prop_assert_eq!(&r[0].code, &code);
            proptest::prop_assert_eq!(&r[0].name, &text_vi::nfc(&name));
            let s = format!("h\n{code},commune,00001,commune,{partly},2025-07-01\n");
            let r = parse_successions_csv(&s).unwrap();
            proptest::prop_assert_eq!(r[0].partly_merged, partly);
        }
    }

    #[test]
    fn shipped_files_parse() {
        let units = parse_units_csv(include_str!("../../../data/units/units.csv")).unwrap();
        assert_eq!(units.len(), 14_166);
        let s = parse_successions_csv(include_str!("../../../data/units/successions.csv")).unwrap();
        assert_eq!(s.len(), 10_617);
    }

    #[test]
    fn validity() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert!(valid_on(None, Some(d(2025, 6, 30)), d(2025, 6, 30)));
        assert!(!valid_on(None, Some(d(2025, 6, 30)), d(2025, 7, 1)));
        assert!(valid_on(Some(d(2025, 7, 1)), None, d(2026, 1, 1)));
    }

    #[test]
    fn names() {
        assert_eq!(instance_name("Sở Tư pháp", "Tỉnh Lạng Sơn"), "Sở Tư pháp tỉnh Lạng Sơn");
        assert_eq!(instance_name("Công an tỉnh", "Tỉnh Lạng Sơn"), "Công an tỉnh Lạng Sơn");
        assert_eq!(instance_name("Ủy ban nhân dân xã", "Phường Đông Kinh"), "Ủy ban nhân dân phường Đông Kinh");
        assert_eq!(instance_name("Tỉnh đoàn", "Tỉnh Lạng Sơn"), "Tỉnh đoàn Lạng Sơn");
        assert_eq!(instance_name("Công an xã", "Thành phố Hà Nội"), "Công an thành phố Hà Nội");
    }
}
