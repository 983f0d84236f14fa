//! Tags (nhãn) of an article, typed as one comma-separated line.

/// Most tags on one article.
pub const MAX_TAGS: usize = 10;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 40;

/// One tag: its text as typed (NFC, trimmed) and its slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub slug: String,
    pub name: String,
}

/// Why a tag line was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagError {
    TooMany,
    TooLong,
}

/// Reads "Ngày Pháp luật, hòa giải, hoà giải" into tags, one per slug (the first spelling
/// kept), skipping empty ones and those with no letter or digit.
pub fn parse_tags(line: &str) -> Result<Vec<Tag>, TagError> {
    let mut out: Vec<Tag> = Vec::new();
    for raw in line.split([',', ';', '\n']) {
        let name = text_vi::nfc(raw.trim());
        if name.is_empty() {
            continue;
        }
        if name.chars().count() > MAX_TAG_CHARS {
            return Err(TagError::TooLong);
        }
        let slug = text_vi::slug(&name);
        if slug.is_empty() || out.iter().any(|t| t.slug == slug) {
            continue;
        }
        out.push(Tag { slug, name });
    }
    if out.len() > MAX_TAGS {
        return Err(TagError::TooMany);
    }
    Ok(out)
}

/// The tags as one line again, for the form.
pub fn tags_line(tags: &[Tag]) -> String {
    tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        let t = parse_tags("Ngày Pháp luật, hòa giải; hoà giải,, !!! ,Hòa Giải").unwrap_or_default();
        assert_eq!(t.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(), ["ngay-phap-luat", "hoa-giai"]);
        assert_eq!(t[1].name, "hòa giải");
        assert_eq!(tags_line(&t), "Ngày Pháp luật, hòa giải");
        assert_eq!(parse_tags(&"x".repeat(41)), Err(TagError::TooLong));
        let many: Vec<String> = (0..11).map(|i| format!("nhãn {i}")).collect();
        assert_eq!(parse_tags(&many.join(",")), Err(TagError::TooMany));
        assert_eq!(parse_tags("  ").map(|v| v.len()), Ok(0));
    }
}
