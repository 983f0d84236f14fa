//! The key of a document number (số hiệu), so that "35/2013/QH13", "35/2013/qh13" and
//! "35 2013 QH13" are the same number: folded (no diacritics, đ→d, lower case), split on
//! anything that is not a letter or a digit, a leading "số" dropped, joined with "/".

/// The normalised key of a typed number; empty when it has no letter or digit.
pub fn key(number: &str) -> String {
    let folded = text_vi::fold(number);
    let mut parts: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).collect();
    if parts.len() > 1 && parts[0] == "so" {
        parts.remove(0);
    }
    parts.join("/")
}

/// Whether a typed query looks like a document number (has a digit), so that lists match it
/// against the numbers' keys.
pub fn looks_like_number(q: &str) -> bool {
    q.chars().any(|c| c.is_ascii_digit())
}
