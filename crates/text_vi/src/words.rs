//! Numbers and amounts of money read out in Vietnamese words ("bằng chữ").

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];
const BILLION: u64 = 1_000_000_000;

fn digit(d: u64) -> &'static str {
    usize::try_from(d)
        .ok()
        .and_then(|i| DIGITS.get(i))
        .copied()
        .unwrap_or("")
}

/// Read a three-digit group (1..=999). `full` means a higher, non-zero group precedes it, so the
/// hundreds are always read ("không trăm") and a zero tens digit becomes "linh".
fn read_group(n: u64, full: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
    let with_hundreds = h > 0 || full;
    if with_hundreds {
        out.extend([digit(h), "trăm"]);
    }
    match t {
        0 => {
            if u > 0 {
                if with_hundreds {
                    out.push("linh");
                }
                out.push(digit(u));
            }
        }
        1 => {
            out.push("mười");
            match u {
                0 => {}
                5 => out.push("lăm"),
                _ => out.push(digit(u)),
            }
        }
        _ => {
            out.extend([digit(t), "mươi"]);
            match u {
                0 => {}
                1 => out.push("mốt"),
                4 => out.push("tư"),
                5 => out.push("lăm"),
                _ => out.push(digit(u)),
            }
        }
    }
}

/// Read 1..10⁹ with the scales triệu and nghìn; zero groups are skipped.
fn read_below_billion(n: u64, mut full: bool, out: &mut Vec<&'static str>) {
    for (scale, unit) in [
        (1_000_000, Some("triệu")),
        (1_000, Some("nghìn")),
        (1, None),
    ] {
        let group = n / scale % 1000;
        if group == 0 {
            continue;
        }
        read_group(group, full, out);
        if let Some(unit) = unit {
            out.push(unit);
        }
        full = true;
    }
}

/// Numbers of 10⁹ and above are read as "<n / 10⁹> tỷ <n % 10⁹>", recursively, so "tỷ" repeats
/// for very large numbers ("một nghìn tỷ", "một tỷ tỷ").
fn read(n: u64, full: bool, out: &mut Vec<&'static str>) {
    if n >= BILLION {
        read(n / BILLION, full, out);
        out.push("tỷ");
        read_below_billion(n % BILLION, true, out);
    } else {
        read_below_billion(n, full, out);
    }
}

/// A number in lowercase Vietnamese words: 1234567 → "một triệu hai trăm ba mươi tư nghìn năm
/// trăm sáu mươi bảy"; 0 → "không".
pub fn int_in_words(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let mut words = Vec::new();
    read(n, false, &mut words);
    words.join(" ")
}

/// An amount of money in words for documents and receipts, capitalised and ending in " đồng":
/// 1234567 → "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"; 0 → "Không đồng".
pub fn vnd_in_words(n: u64) -> String {
    let words = int_in_words(n);
    let mut chars = words.chars();
    let mut out = String::with_capacity(words.len() + 8);
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
    }
    out.push_str(chars.as_str());
    out.push_str(" đồng");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn int_in_words_table() {
        let cases: &[(u64, &str)] = &[
            (0, "không"),
            (1, "một"),
            (4, "bốn"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (14, "mười bốn"),
            (15, "mười lăm"),
            (20, "hai mươi"),
            (21, "hai mươi mốt"),
            (24, "hai mươi tư"),
            (25, "hai mươi lăm"),
            (31, "ba mươi mốt"),
            (44, "bốn mươi tư"),
            (55, "năm mươi lăm"),
            (99, "chín mươi chín"),
            (100, "một trăm"),
            (101, "một trăm linh một"),
            (104, "một trăm linh bốn"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (111, "một trăm mười một"),
            (115, "một trăm mười lăm"),
            (121, "một trăm hai mươi mốt"),
            (205, "hai trăm linh năm"),
            (999, "chín trăm chín mươi chín"),
            (1_000, "một nghìn"),
            (1_001, "một nghìn không trăm linh một"),
            (1_005, "một nghìn không trăm linh năm"),
            (1_010, "một nghìn không trăm mười"),
            (1_015, "một nghìn không trăm mười lăm"),
            (1_021, "một nghìn không trăm hai mươi mốt"),
            (1_100, "một nghìn một trăm"),
            (10_000, "mười nghìn"),
            (15_000, "mười lăm nghìn"),
            (21_000, "hai mươi mốt nghìn"),
            (105_000, "một trăm linh năm nghìn"),
            (1_000_000, "một triệu"),
            (1_000_005, "một triệu không trăm linh năm"),
            (1_050_000, "một triệu không trăm năm mươi nghìn"),
            (2_500_000, "hai triệu năm trăm nghìn"),
            (
                1_234_567,
                "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy",
            ),
            (1_000_000_000, "một tỷ"),
            (1_000_000_001, "một tỷ không trăm linh một"),
            (5_000_300_000, "năm tỷ ba trăm nghìn"),
            (5_000_030_000, "năm tỷ không trăm ba mươi nghìn"),
            (1_000_000_000_000, "một nghìn tỷ"),
            (1_000_000_000_000_000_000, "một tỷ tỷ"),
            (
                u64::MAX,
                "mười tám tỷ bốn trăm bốn mươi sáu triệu bảy trăm bốn mươi tư nghìn không trăm \
                 bảy mươi ba tỷ bảy trăm linh chín triệu năm trăm năm mươi mốt nghìn sáu trăm \
                 mười lăm",
            ),
        ];
        for &(n, want) in cases {
            assert_eq!(int_in_words(n), want, "n = {n}");
        }
    }

    #[test]
    fn vnd_in_words_table() {
        assert_eq!(
            vnd_in_words(1_234_567),
            "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"
        );
        assert_eq!(vnd_in_words(0), "Không đồng");
        assert_eq!(vnd_in_words(15), "Mười lăm đồng");
        assert_eq!(vnd_in_words(500_000), "Năm trăm nghìn đồng");
        assert_eq!(vnd_in_words(4_000_000), "Bốn triệu đồng");
        assert_eq!(vnd_in_words(1_005), "Một nghìn không trăm linh năm đồng");
    }

    proptest! {
        #[test]
        fn vnd_in_words_total(n in any::<u64>()) {
            let s = vnd_in_words(n);
            prop_assert!(s.ends_with(" đồng"));
            prop_assert!(s.chars().next().is_some_and(char::is_uppercase));
            prop_assert!(!s.contains("  "));
            let w = int_in_words(n);
            prop_assert!(!w.starts_with(' ') && !w.ends_with(' '));
            prop_assert_eq!(w.contains("không"), n == 0 || s.contains("không trăm"));
        }

        #[test]
        fn small_numbers_never_say_khong_tram(n in 1u64..1000) {
            prop_assert!(!int_in_words(n).contains("không"));
        }
    }
}
