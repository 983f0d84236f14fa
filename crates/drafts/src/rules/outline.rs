//! A draft's text split into the parts citizens comment on: its articles (Điều) and, inside an
//! article, its clauses (khoản, a line starting "1.", "2." …). A line starting "Điều 5." (or
//! "Điều 5:") opens an article; the text after the number on that line is its heading. Text
//! before the first article is the preamble (phần mở đầu). A text without any article is one
//! part. Chapters and sections ("Chương I", "Mục 1") are kept as plain text of the part they are
//! in: comments are made on articles and clauses.

/// A part of a draft: an article (level 1), a clause of an article (level 2), or the preamble
/// or whole text (level 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub level: u8,
    /// "Điều 3", "Khoản 2 Điều 3", or the label given to the preamble or the whole text.
    pub label: String,
    /// The article's heading (empty for clauses and level 0).
    pub heading: String,
    /// The text of the part, lines joined with "\n".
    pub body: String,
}

/// The label of the text before the first article.
pub const PREAMBLE: &str = "Phần mở đầu";
/// The label of a text without articles.
pub const WHOLE: &str = "Toàn văn";

/// The article number and heading of a line "Điều 12. Heading" / "Điều 12: Heading" / "Điều 12"
/// (any whitespace after "Điều", such as a no-break space pasted from Word).
fn article(line: &str) -> Option<(u32, String)> {
    let rest = line.strip_prefix("Điều")?;
    let rest = rest.strip_prefix(char::is_whitespace)?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let no: u32 = digits.parse().ok()?;
    let after = &rest[digits.len()..];
    let heading = match after.chars().next() {
        None => "",
        Some('.' | ':') => after[1..].trim(),
        Some(_) => return None,
    };
    Some((no, heading.to_string()))
}

/// The clause number of a line "2. Text" (a number of up to three digits, a dot, whitespace).
fn clause(line: &str) -> Option<u32> {
    let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = line[digits.len()..].strip_prefix('.')?;
    rest.starts_with(char::is_whitespace).then(|| digits.parse().ok()).flatten()
}

fn push_line(body: &mut String, line: &str) {
    if !body.is_empty() {
        body.push('\n');
    }
    body.push_str(line);
}

/// Splits a draft's text into its parts. Blank lines are dropped; every other line of the text
/// is in exactly one part. Labels are unique: an article number seen before, or a clause number
/// that does not follow the previous clause of its article (1, then 2, …), is text of the
/// current part (a quoted article in an amending draft, a numbered list inside a clause).
pub fn parse(text: &str) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let mut preamble = String::new();
    let mut seen_articles: Vec<u32> = Vec::new();
    // The current article and the last clause number in it.
    let mut current: Option<(u32, u32)> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some((no, heading)) = article(line).filter(|(no, _)| !seen_articles.contains(no)) {
            parts.push(Part { level: 1, label: format!("Điều {no}"), heading, body: String::new() });
            seen_articles.push(no);
            current = Some((no, 0));
            continue;
        }
        match current {
            None => push_line(&mut preamble, line),
            Some((a, last)) => match clause(line).filter(|k| *k == last + 1) {
                Some(k) => {
                    parts.push(Part { level: 2, label: format!("Khoản {k} Điều {a}"), heading: String::new(), body: line.to_string() });
                    current = Some((a, k));
                }
                None => {
                    if let Some(p) = parts.last_mut() {
                        push_line(&mut p.body, line);
                    }
                }
            },
        }
    }
    if parts.is_empty() {
        return if preamble.is_empty() { Vec::new() } else { vec![Part { level: 0, label: WHOLE.into(), heading: String::new(), body: preamble }] };
    }
    if !preamble.is_empty() {
        parts.insert(0, Part { level: 0, label: PREAMBLE.into(), heading: String::new(), body: preamble });
    }
    parts
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const TEXT: &str = "NGHỊ QUYẾT\nQuy định mức chi\n\nChương I\nĐiều 1. Phạm vi điều chỉnh\nNghị quyết này quy định mức chi.\nĐiều 2: Đối tượng áp dụng\n1. Cơ quan, tổ chức.\n2. Cá nhân có liên quan.\n   tiếp theo của khoản 2\nĐiều 3\nHiệu lực từ ngày 01/01/2027.\n";

    #[test]
    fn articles_and_clauses() {
        let p = parse(TEXT);
        let labels: Vec<&str> = p.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(labels, ["Phần mở đầu", "Điều 1", "Điều 2", "Khoản 1 Điều 2", "Khoản 2 Điều 2", "Điều 3"]);
        assert_eq!(p[0].body, "NGHỊ QUYẾT\nQuy định mức chi\nChương I");
        assert_eq!((p[1].heading.as_str(), p[1].body.as_str()), ("Phạm vi điều chỉnh", "Nghị quyết này quy định mức chi."));
        assert_eq!(p[2].heading, "Đối tượng áp dụng");
        assert_eq!(p[4].body, "2. Cá nhân có liên quan.\ntiếp theo của khoản 2");
        assert_eq!((p[5].heading.as_str(), p[5].body.as_str()), ("", "Hiệu lực từ ngày 01/01/2027."));
    }

    #[test]
    fn plain_text_and_lookalikes() {
        assert_eq!(parse(""), Vec::<Part>::new());
        assert_eq!(parse("Một đoạn văn.\nHai dòng."), vec![Part { level: 0, label: WHOLE.into(), heading: String::new(), body: "Một đoạn văn.\nHai dòng.".into() }]);
        // Inside an article: "Điều kiện", "Điều 5a", a year, a number without a space, a clause out
        // of order and a quoted article already seen are all text of the current part.
        let p = parse("Điều 1. Phạm vi\nĐiều kiện cấp phép\nĐiều 5a. Không\n2025. Không phải khoản\n1.5 lít\n2. Không phải khoản 1\n1. Khoản một\n1. Lại khoản một\nĐiều 1. Trích dẫn\n2.\u{a0}Khoản hai");
        let labels: Vec<&str> = p.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(labels, ["Điều 1", "Khoản 1 Điều 1", "Khoản 2 Điều 1"]);
        assert_eq!(p[0].body, "Điều kiện cấp phép\nĐiều 5a. Không\n2025. Không phải khoản\n1.5 lít\n2. Không phải khoản 1");
        assert_eq!(p[1].body, "1. Khoản một\n1. Lại khoản một\nĐiều 1. Trích dẫn");
        // A no-break space after "Điều".
        assert_eq!(parse("Điều\u{a0}7. Hiệu lực")[0].label, "Điều 7");
    }
}
