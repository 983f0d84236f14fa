//! Numbers in Vietnamese style: "." groups thousands, "," is the decimal separator.

/// Insert "." every three digits of an ASCII digit string.
fn group_digits(digits: &str) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// "1.234.567", "-1.234", "0".
pub fn format_int(n: i64) -> String {
    let grouped = group_digits(&n.unsigned_abs().to_string());
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// Fixed-point with `decimals` digits after the comma: `format_decimal(1234.5, 1)` → "1.234,5".
///
/// Rounds like `format!("{:.*}")`; a value that rounds to zero is shown without a minus sign.
/// NaN and infinities are rendered as "NaN", "∞" and "-∞".
pub fn format_decimal(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞" } else { "-∞" }.to_string();
    }
    let raw = format!("{:.*}", decimals, x.abs());
    let (int_part, frac_part) = raw.split_once('.').unwrap_or((raw.as_str(), ""));
    let is_zero = raw.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::with_capacity(raw.len() + raw.len() / 3 + 1);
    if x.is_sign_negative() && !is_zero {
        out.push('-');
    }
    out.push_str(&group_digits(int_part));
    if !frac_part.is_empty() {
        out.push(',');
        out.push_str(frac_part);
    }
    out
}

/// "1.234.567 đồng".
pub fn format_vnd(n: i64) -> String {
    format!("{} đồng", format_int(n))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn format_int_examples() {
        assert_eq!(format_int(0), "0");
        assert_eq!(format_int(999), "999");
        assert_eq!(format_int(1000), "1.000");
        assert_eq!(format_int(1_234_567), "1.234.567");
        assert_eq!(format_int(-1234), "-1.234");
        assert_eq!(format_int(-100), "-100");
        assert_eq!(format_int(i64::MIN), "-9.223.372.036.854.775.808");
        assert_eq!(format_int(i64::MAX), "9.223.372.036.854.775.807");
    }

    #[test]
    fn format_decimal_examples() {
        assert_eq!(format_decimal(1234.5, 1), "1.234,5");
        assert_eq!(format_decimal(1234.5, 0), "1.234");
        assert_eq!(format_decimal(1234567.891, 2), "1.234.567,89");
        assert_eq!(format_decimal(-0.5, 2), "-0,50");
        assert_eq!(format_decimal(-0.001, 1), "0,0");
        assert_eq!(format_decimal(0.0, 0), "0");
        assert_eq!(format_decimal(12.0, 3), "12,000");
        assert_eq!(format_decimal(f64::NAN, 2), "NaN");
        assert_eq!(format_decimal(f64::NEG_INFINITY, 2), "-∞");
    }

    #[test]
    fn format_vnd_examples() {
        assert_eq!(format_vnd(1_234_567), "1.234.567 đồng");
        assert_eq!(format_vnd(0), "0 đồng");
        assert_eq!(format_vnd(-50_000), "-50.000 đồng");
    }

    proptest! {
        #[test]
        fn format_int_round_trips(n in any::<i64>()) {
            let s = format_int(n);
            prop_assert_eq!(s.replace('.', "").parse::<i64>().unwrap(), n);
        }

        #[test]
        fn format_decimal_matches_std_rounding(x in -1e12f64..1e12f64, decimals in 0usize..5) {
            let s = format_decimal(x, decimals);
            let plain = s.replace('.', "").replace(',', ".");
            let std = format!("{:.*}", decimals, x);
            prop_assert!(plain == std || (std.starts_with('-') && plain == std[1..]), "{} vs {}", s, std);
        }
    }
}
