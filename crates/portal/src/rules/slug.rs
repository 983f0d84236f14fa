//! Slugs (đường dẫn) for the public addresses: ASCII, lower case, hyphen-separated, made from
//! the Vietnamese title by `text_vi::slug` (which folds đ→d and drops the tone marks).

/// Longest slug, in bytes (all ASCII); longer titles are cut at a hyphen.
pub const MAX_SLUG: usize = 80;

/// The slug of a title: "Ngày Pháp luật Việt Nam 9/11" → "ngay-phap-luat-viet-nam-9-11".
/// A title with no letter or digit gives `fallback`.
pub fn make_slug(title: &str, fallback: &str) -> String {
    let full = text_vi::slug(title);
    if full.is_empty() {
        return fallback.to_string();
    }
    if full.len() <= MAX_SLUG {
        return full;
    }
    let cut = &full[..MAX_SLUG];
    match cut.rfind('-') {
        Some(i) if i > 0 => cut[..i].to_string(),
        _ => cut.to_string(),
    }
}

/// The `n`-th candidate for a taken slug: the slug itself, then `slug-2`, `slug-3`, …
pub fn numbered(base: &str, n: u32) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}-{n}") }
}

/// Whether `s` is a well-formed slug (what a typed slug must be).
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_titles() {
        assert_eq!(make_slug("Ngày Pháp luật Việt Nam 9/11", "x"), "ngay-phap-luat-viet-nam-9-11");
        assert_eq!(make_slug("Đẩy mạnh hòa giải ở cơ sở tại Lạng Sơn", "x"), "day-manh-hoa-giai-o-co-so-tai-lang-son");
        // Either tone placement and NFD input give the same slug.
        assert_eq!(make_slug("Hoà giải", "x"), make_slug("Hòa giải", "x"));
        assert_eq!(make_slug("Ho\u{300}a gia\u{309}i", "x"), "hoa-giai");
        assert_eq!(make_slug("  «Luật» — 2024!  ", "x"), "luat-2024");
        assert_eq!(make_slug("!!!", "tin-bai"), "tin-bai");
        assert_eq!(make_slug("", "trang"), "trang");
    }

    #[test]
    fn long_titles_are_cut_at_a_hyphen() {
        let t = "Tuyên truyền, phổ biến pháp luật về phòng, chống ma túy cho đồng bào dân tộc thiểu số vùng biên giới tỉnh Lạng Sơn năm 2026";
        let s = make_slug(t, "x");
        assert!(s.len() <= MAX_SLUG, "{s}");
        assert!(!s.ends_with('-'));
        assert!(t.len() > MAX_SLUG);
        assert!(is_slug(&s));
        assert_eq!(make_slug(&"a".repeat(200), "x").len(), MAX_SLUG);
    }

    #[test]
    fn numbering_and_checking() {
        assert_eq!(numbered("tin", 1), "tin");
        assert_eq!(numbered("tin", 3), "tin-3");
        assert!(is_slug("ngay-phap-luat-9-11"));
        assert!(!is_slug("Ngay"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug("a/b"));
        assert!(!is_slug(""));
    }
}
