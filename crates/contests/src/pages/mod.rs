//! The contests' pages: `manage` for organisers, `public` for entrants (no account).

pub mod manage;
pub mod public;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};

/// A choice of a select list.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn opts<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, picked: &str) -> Vec<Opt> {
    items.into_iter().map(|(v, l)| Opt { value: v.to_string(), label: l.to_string(), selected: v == picked }).collect()
}

/// The value of a form field, or "".
pub fn field<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// Vietnam time (UTC+7), fixed since 1975.
const VN: i64 = 7;

/// "dd/mm/yyyy hh:mm" in Vietnam time.
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(s.trim(), "%d/%m/%Y %H:%M").ok()?;
    Some(Utc.from_utc_datetime(&(naive - Duration::hours(VN))))
}

pub fn fmt_datetime(t: DateTime<Utc>) -> String {
    text_vi::format_datetime(t)
}

/// "dd/mm/yyyy hh:mm:ss" in Vietnam time, for the exports (one call per attempt, so written
/// directly rather than through a format string parsed each time).
pub fn fmt_datetime_seconds(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let l = t.naive_utc() + Duration::hours(VN);
    format!("{:02}/{:02}/{:04} {:02}:{:02}:{:02}", l.day(), l.month(), l.year(), l.hour(), l.minute(), l.second())
}

/// "12 phút 05 giây" style durations are shown as m:ss.
pub fn fmt_duration_ms(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_times() {
        let t = parse_datetime("01/04/2026 07:30").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-04-01T00:30:00+00:00");
        assert_eq!(fmt_datetime(t), "01/04/2026 07:30");
        assert!(parse_datetime("31/02/2026 07:30").is_none());
        assert_eq!(fmt_duration_ms(754_999), "12:34");
    }

    #[test]
    fn vietnam_times_with_seconds() {
        let t = Utc.with_ymd_and_hms(2026, 3, 31, 17, 5, 9).unwrap();
        assert_eq!(fmt_datetime_seconds(t), "01/04/2026 00:05:09");
    }
}
