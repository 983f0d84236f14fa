//! Dates and times typed on the forms, in Vietnam time (UTC+7): "09/11/2026" (midnight) or
//! "09/11/2026 07:30", stored in UTC.

use chrono::{DateTime, Duration, NaiveTime, Utc};

/// Why a typed time was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadWhen;

fn vietnam() -> Duration {
    Duration::hours(7)
}

/// Reads "dd/mm/yyyy" or "dd/mm/yyyy hh:mm" (also "7h30"); empty is `None`.
pub fn parse_when(s: &str) -> Result<Option<DateTime<Utc>>, BadWhen> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let mut parts = s.split_whitespace();
    let date = text_vi::parse_date(parts.next().unwrap_or("")).map_err(|_| BadWhen)?;
    let time = match parts.next() {
        None => NaiveTime::MIN,
        Some(t) => {
            let t = t.replace(['h', 'H'], ":");
            let t = if t.ends_with(':') { format!("{t}00") } else { t };
            NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| BadWhen)?
        }
    };
    if parts.next().is_some() {
        return Err(BadWhen);
    }
    Ok(Some(date.and_time(time).and_utc() - vietnam()))
}

/// "09/11/2026 07:30" in Vietnam time, as the form shows it back.
pub fn format_when(t: DateTime<Utc>) -> String {
    (t + vietnam()).format("%d/%m/%Y %H:%M").to_string()
}

/// "09/11/2026" in Vietnam time.
pub fn format_day(t: DateTime<Utc>) -> String {
    (t + vietnam()).format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        let t = parse_when("09/11/2026 07:30").ok().flatten();
        assert_eq!(t.map(|t| t.to_rfc3339()), Some("2026-11-09T00:30:00+00:00".into()));
        assert_eq!(t.map(format_when), Some("09/11/2026 07:30".into()));
        assert_eq!(parse_when("9/11/2026 7h30"), Ok(t));
        assert_eq!(parse_when("09/11/2026").ok().flatten().map(format_when), Some("09/11/2026 00:00".into()));
        assert_eq!(parse_when(""), Ok(None));
        assert_eq!(parse_when("31/02/2026"), Err(BadWhen));
        assert_eq!(parse_when("09/11/2026 25:00"), Err(BadWhen));
        assert_eq!(parse_when("09/11/2026 07:30 x"), Err(BadWhen));
        assert_eq!(parse_when("09/11/2026 8h").ok().flatten().map(format_day), Some("09/11/2026".into()));
    }
}
