//! Article bodies: Markdown (pulldown-cmark, CommonMark with tables and strikethrough) turned
//! into HTML, then sanitised by `ammonia` with an allow-list. No hand-written sanitiser: what
//! ammonia does not allow (scripts, event attributes, `style`, iframes, SVG, `javascript:` and
//! `data:` addresses) is removed, and links get `rel="noopener noreferrer nofollow"`.

use std::collections::HashSet;

use pulldown_cmark::{Options, Parser, html};

/// Address schemes a link or an image may use.
const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Renders Markdown to sanitised HTML (what the public page shows and the feed carries).
pub fn render(markdown: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, opts));
    sanitise(&raw)
}

/// Sanitises HTML (also what Markdown lets through as raw HTML) with ammonia's allow-list.
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(HashSet::from(SCHEMES))
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

/// The text of a body for a summary or a feed: the Markdown's words without markup, cut at
/// `max` characters on a word boundary.
pub fn plain_excerpt(markdown: &str, max: usize) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::new();
    for ev in Parser::new(markdown) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock)
                if !out.ends_with(' ') && !out.is_empty() =>
            {
                out.push(' ');
            }
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() <= max {
        return out;
    }
    let cut: String = out.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) if i > 0 => format!("{}…", &cut[..i]),
        _ => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders() {
        let h = render("# Tiêu đề\n\nĐoạn **đậm** và [liên kết](https://moj.gov.vn).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(h.contains("<h1>Tiêu đề</h1>"), "{h}");
        assert!(h.contains("<strong>đậm</strong>"));
        assert!(h.contains("href=\"https://moj.gov.vn\""));
        assert!(h.contains("rel=\"noopener noreferrer nofollow\""));
        assert!(h.contains("<table>"));
    }

    #[test]
    fn scripts_do_not_survive() {
        let h = render("<script>alert(1)</script>\n\n<p onclick=\"x()\">a</p>\n\n[b](javascript:alert(1))");
        assert!(!h.contains("script"), "{h}");
        assert!(!h.contains("onclick"));
        assert!(!h.contains("javascript:"), "{h}");
        assert!(h.contains("<a rel=\"noopener noreferrer nofollow\">b</a>"), "{h}");
    }

    #[test]
    fn excerpts() {
        assert_eq!(plain_excerpt("# Tựa\n\nMột **hai** ba.", 100), "Tựa Một hai ba.");
        assert_eq!(plain_excerpt("một hai ba bốn", 8), "một hai…");
    }
}
