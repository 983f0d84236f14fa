//! Dates in Vietnamese administrative style.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// Asia/Ho_Chi_Minh has been a fixed UTC+7 offset without DST since 1975.
const VIETNAM_OFFSET_SECS: i32 = 7 * 3600;

/// "05/02/2026".
pub fn format_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Date-time shown in Vietnam local time (UTC+7): "05/02/2026 14:30".
pub fn format_datetime(dt: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(VIETNAM_OFFSET_SECS) {
        Some(tz) => dt.with_timezone(&tz).format("%d/%m/%Y %H:%M").to_string(),
        None => dt.format("%d/%m/%Y %H:%M").to_string(),
    }
}

/// The instant a day begins in Vietnam (00:00 at UTC+7), in UTC: a period of days `from..=to`
/// is the instants from `vietnam_day_start(from)` up to, not including,
/// `vietnam_day_start(to + 1 day)`.
pub fn vietnam_day_start(d: NaiveDate) -> DateTime<Utc> {
    (d.and_time(chrono::NaiveTime::MIN) - chrono::Duration::seconds(i64::from(VIETNAM_OFFSET_SECS))).and_utc()
}

/// Error returned by [`parse_date`]; displays a Vietnamese message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParseError {
    input: String,
}

impl DateParseError {
    /// The (trimmed) text that could not be parsed.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy")
    }
}

impl std::error::Error for DateParseError {}

/// Parse "5/2/2026", "05/02/2026", "05-02-2026", "05.02.2026" (day first) or ISO "2026-02-05".
///
/// Surrounding whitespace is ignored; the separator must be used consistently, the year must
/// have four digits, and impossible dates (31/02/2026) are rejected.
pub fn parse_date(s: &str) -> Result<NaiveDate, DateParseError> {
    let t = s.trim();
    let err = || DateParseError {
        input: t.to_string(),
    };
    let sep = t
        .chars()
        .find(|c| matches!(c, '/' | '-' | '.'))
        .ok_or_else(err)?;
    let parts: Vec<&str> = t.split(sep).collect();
    let [p1, p2, p3] = parts.as_slice() else {
        return Err(err());
    };
    let num = |p: &str, min_len: usize, max_len: usize| -> Option<u32> {
        if p.len() < min_len || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let (y, m, d) = if p1.len() == 4 && sep == '-' {
        (num(p1, 4, 4), num(p2, 1, 2), num(p3, 1, 2))
    } else {
        (num(p3, 4, 4), num(p2, 1, 2), num(p1, 1, 2))
    };
    let (Some(y), Some(m), Some(d)) = (y, m, d) else {
        return Err(err());
    };
    let y = i32::try_from(y).map_err(|_| err())?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(err)
}

/// Place-and-date line of an official document (Nghị định 30/2020/NĐ-CP): days below 10 and
/// months 1–2 get a leading zero, months 3–12 do not.
/// `official_date_line(Some("Lạng Sơn"), 2026-02-05)` → "Lạng Sơn, ngày 05 tháng 02 năm 2026".
pub fn official_date_line(place: Option<&str>, d: NaiveDate) -> String {
    let day = d.day();
    let month = d.month();
    let month_text = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    let line = format!("ngày {day:02} tháng {month_text} năm {}", d.year());
    match place.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => format!("{p}, {line}"),
        None => line,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn format_date_pads() {
        assert_eq!(format_date(ymd(2026, 2, 5)), "05/02/2026");
        assert_eq!(format_date(ymd(2025, 12, 31)), "31/12/2025");
    }

    #[test]
    fn a_vietnamese_day_starts_at_17_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(vietnam_day_start(d).to_rfc3339(), "2025-12-31T17:00:00+00:00");
    }

    #[test]
    fn parse_date_accepts_common_forms() {
        let want = ymd(2026, 2, 5);
        for s in [
            "5/2/2026",
            "05/02/2026",
            "05-02-2026",
            "05.02.2026",
            "2026-02-05",
            "  05/02/2026\n",
            "5.2.2026",
        ] {
            assert_eq!(parse_date(s), Ok(want), "input {s:?}");
        }
        assert_eq!(parse_date("29/02/2024"), Ok(ymd(2024, 2, 29)));
        assert_eq!(parse_date("2025-7-15"), Ok(ymd(2025, 7, 15)));
    }

    #[test]
    fn parse_date_rejects_bad_input() {
        for s in [
            "31/02/2026",
            "29/02/2025",
            "32/01/2026",
            "05/13/2026",
            "00/01/2026",
            "05/02/26",
            "05/02-2026",
            "2026/02/05x",
            "ngày 5 tháng 2",
            "",
            "   ",
            "5//2026",
            "+5/2/2026",
            "05/02/2026/1",
            "2026.02.05",
        ] {
            assert!(parse_date(s).is_err(), "input {s:?}");
        }
        let e = parse_date("31/02/2026").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy"
        );
        assert_eq!(e.input(), "31/02/2026");
    }

    #[test]
    fn official_date_line_follows_decree_30() {
        assert_eq!(
            official_date_line(Some("Lạng Sơn"), ymd(2026, 2, 5)),
            "Lạng Sơn, ngày 05 tháng 02 năm 2026"
        );
        assert_eq!(
            official_date_line(None, ymd(2026, 2, 5)),
            "ngày 05 tháng 02 năm 2026"
        );
        assert_eq!(
            official_date_line(None, ymd(2025, 7, 15)),
            "ngày 15 tháng 7 năm 2025"
        );
        assert_eq!(
            official_date_line(None, ymd(2025, 12, 1)),
            "ngày 01 tháng 12 năm 2025"
        );
        assert_eq!(
            official_date_line(None, ymd(2025, 1, 10)),
            "ngày 10 tháng 01 năm 2025"
        );
        assert_eq!(
            official_date_line(Some("Hà Nội"), ymd(2025, 3, 9)),
            "Hà Nội, ngày 09 tháng 3 năm 2025"
        );
        assert_eq!(
            official_date_line(Some("  "), ymd(2025, 11, 30)),
            "ngày 30 tháng 11 năm 2025"
        );
    }

    #[test]
    fn format_datetime_in_vietnam_time() {
        let dt = Utc.with_ymd_and_hms(2026, 2, 5, 7, 30, 0).unwrap();
        assert_eq!(format_datetime(dt), "05/02/2026 14:30");
        // Crossing midnight and a year boundary.
        let dt = Utc.with_ymd_and_hms(2025, 12, 31, 17, 5, 59).unwrap();
        assert_eq!(format_datetime(dt), "01/01/2026 00:05");
    }
}
