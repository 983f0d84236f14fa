//! Article bodies: Markdown (pulldown-cmark, CommonMark with tables and strikethrough) turned
//! into HTML, then sanitised by `ammonia` with an allow-list. No hand-written sanitiser: what
//! ammonia does not allow (scripts, event attributes, `style`, iframes, SVG, `javascript:` and
//! `data:` addresses) is removed, and links get `rel="noopener noreferrer nofollow"`.
//!
//! An article's own pictures are written `![mô tả](anh:TOKEN)`: [`render_with`] turns each into
//! an `<img>` with the sizes kept of it (`srcset`, `width`, `height`, lazy loading); a `srcset`
//! is only kept when every address in it is one of those pictures (`/anh/…`).

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Address schemes a link or an image may use.
const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The address prefix of an article's own picture in Markdown.
pub const IMAGE_SCHEME: &str = "anh:";

/// A picture of the article as stored: its sizes `(width, height)`, smallest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    pub token: String,
    pub sizes: Vec<(u32, u32)>,
}

impl ImageRef {
    /// The public address of one width.
    pub fn src(&self, width: u32) -> String {
        format!("/anh/{}-{width}.jpg", self.token)
    }
}

fn options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts
}

/// Renders Markdown to sanitised HTML (what the public page shows and the feed carries).
pub fn render(markdown: &str) -> String {
    render_with(markdown, &HashMap::new())
}

/// The tokens of the article's own pictures a body uses (`anh:TOKEN`), in order, each once.
pub fn image_tokens(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for ev in Parser::new_ext(markdown, options()) {
        if let Event::Start(Tag::Image { dest_url, .. }) = ev
            && let Some(t) = dest_url.strip_prefix(IMAGE_SCHEME)
        {
            let t = t.trim().to_string();
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// Renders Markdown with the article's pictures (`images` by token; an unknown one shows its
/// description only), sanitised.
pub fn render_with(markdown: &str, images: &HashMap<String, ImageRef>) -> String {
    let mut events: Vec<Event> = Vec::new();
    // The picture being read: the stored one (if known), its description so far, and how many
    // images are open inside it (a description may hold one).
    let mut open: Option<(Option<&ImageRef>, String, usize)> = None;
    for ev in Parser::new_ext(markdown, options()) {
        if open.is_some() {
            match ev {
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, alt, _)) = open.as_mut() {
                        alt.push_str(&t);
                    }
                }
                Event::Start(Tag::Image { .. }) => {
                    if let Some((_, _, depth)) = open.as_mut() {
                        *depth += 1;
                    }
                }
                Event::End(TagEnd::Image) => match open.as_mut() {
                    Some((_, _, depth)) if *depth > 0 => *depth -= 1,
                    _ => {
                        if let Some((img, alt, _)) = open.take() {
                            events.push(match img {
                                Some(img) => Event::Html(CowStr::from(img_tag(img, &alt))),
                                None => Event::Text(CowStr::from(alt)),
                            });
                        }
                    }
                },
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Image { dest_url, .. }) if dest_url.starts_with(IMAGE_SCHEME) => {
                let token = dest_url.strip_prefix(IMAGE_SCHEME).unwrap_or("").trim();
                open = Some((images.get(token), String::new(), 0));
            }
            ev => events.push(ev),
        }
    }
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    sanitise(&raw)
}

/// The `<img>` of one of the article's pictures: the largest size as `src`, every size in
/// `srcset`, its dimensions (no layout shift), lazily loaded.
fn img_tag(img: &ImageRef, alt: &str) -> String {
    let Some(&(w, h)) = img.sizes.last() else { return escape(alt) };
    let srcset = img.sizes.iter().map(|(sw, _)| format!("{} {sw}w", img.src(*sw))).collect::<Vec<_>>().join(", ");
    format!(
        "<img src=\"{}\" srcset=\"{srcset}\" sizes=\"(max-width: 44rem) 100vw, 44rem\" width=\"{w}\" height=\"{h}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
        img.src(w),
        escape(alt)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Sanitises HTML (also what Markdown lets through as raw HTML) with ammonia's allow-list, plus
/// the picture attributes `srcset` (only of the site's own pictures), `sizes`, `loading` and
/// `decoding`.
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(HashSet::from(SCHEMES))
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tag_attributes("img", &["srcset", "sizes", "loading", "decoding"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "srcset") if !value.split(',').all(|c| c.trim().starts_with("/anh/")) => None,
            ("img", "loading") if value != "lazy" => None,
            ("img", "decoding") if value != "async" => None,
            _ => Some(value.into()),
        })
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
    fn the_article_s_own_pictures_get_their_sizes() {
        let md = "Ảnh:\n\n![Lễ mít tinh \"9/11\"](anh:abc123)\n\n![lạ](anh:zzz) ![x](anh:abc123)";
        assert_eq!(image_tokens(md), ["abc123", "zzz"]);
        let images = HashMap::from([("abc123".to_string(), ImageRef { token: "abc123".into(), sizes: vec![(480, 240), (960, 480)] })]);
        let h = render_with(md, &images);
        assert!(h.contains("src=\"/anh/abc123-960.jpg\""), "{h}");
        assert!(h.contains("srcset=\"/anh/abc123-480.jpg 480w, /anh/abc123-960.jpg 960w\""), "{h}");
        assert!(h.contains("width=\"960\"") && h.contains("height=\"480\"") && h.contains("loading=\"lazy\""), "{h}");
        assert!(h.contains("alt=\"Lễ mít tinh &quot;9/11&quot;\""), "{h}");
        // An unknown picture shows its description only.
        assert!(h.contains("lạ") && !h.contains("anh:zzz") && !h.contains("zzz-"), "{h}");
    }

    #[test]
    fn a_srcset_typed_by_hand_must_be_the_site_s_own() {
        let h = sanitise("<img src=\"/anh/a-480.jpg\" srcset=\"https://tracker.example/x.gif 1x\" loading=\"eager\" onerror=\"alert(1)\">");
        assert!(!h.contains("tracker") && !h.contains("onerror") && !h.contains("eager"), "{h}");
        let h = sanitise("<img src=\"/anh/a-480.jpg\" srcset=\"/anh/a-480.jpg 480w\">");
        assert!(h.contains("srcset=\"/anh/a-480.jpg 480w\""), "{h}");
    }

    #[test]
    fn excerpts() {
        assert_eq!(plain_excerpt("# Tựa\n\nMột **hai** ba.", 100), "Tựa Một hai ba.");
        assert_eq!(plain_excerpt("một hai ba bốn", 8), "một hai…");
    }
}
