//! Small text helpers shared by the generators.

/// Drop characters that XML 1.0 cannot carry (C0 controls other than tab/newline, CR,
/// U+FFFE/U+FFFF), so user input never produces a malformed document.
pub(crate) fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| match c {
            '\t' | '\n' => true,
            '\u{FFFE}' | '\u{FFFF}' => false,
            c => c >= ' ',
        })
        .collect()
}

/// At most `max` characters; longer text is cut and ends with "…".
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn xml_safe_drops_controls() {
        assert_eq!(xml_safe("a\u{1}b\rc\nd\te\u{FFFF}"), "abc\nd\te");
    }

    #[test]
    fn truncate_adds_ellipsis() {
        assert_eq!(truncate("Kế hoạch", 20), "Kế hoạch");
        assert_eq!(truncate("Tuyên truyền pháp luật", 10), "Tuyên tru…");
        assert_eq!(truncate("abc def", 5), "abc…");
    }
}
