//! The export layout (bảng kết quả): fixed columns first (response number, version, time,
//! channel, commune, and contact details where the survey asks for them), then one column per
//! question key across every version of the survey family, in order of first appearance, headed
//! by the latest wording. A key keeps its column in every export, whatever version answered.

use super::answers::{Answer, Answers};
use super::definition::{Definition, QuestionKind};

/// One question column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub key: String,
    pub header: String,
    pub kind: QuestionKind,
}

/// The fixed columns before the questions.
pub const FIXED_HEADERS: [&str; 5] = ["Số phiếu", "Phiên bản", "Thời điểm trả lời", "Kênh", "Xã, phường"];
/// The column of contact details, when the survey asks for them (and the reader may see them).
pub const CONTACT_HEADER: &str = "Thông tin liên hệ";

/// The question columns of a family, given its versions oldest first.
pub fn columns(versions: &[&Definition]) -> Vec<Column> {
    let mut cols: Vec<Column> = Vec::new();
    for def in versions {
        for q in &def.questions {
            let header = format!("{} [{}]", q.text, q.key);
            match cols.iter_mut().find(|c| c.key == q.key) {
                Some(c) => {
                    c.header = header;
                    c.kind = q.kind;
                }
                None => cols.push(Column { key: q.key.clone(), header, kind: q.kind }),
            }
        }
    }
    cols
}

/// One cell: a number stays a number (so that spreadsheets can sum it), anything else is text.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
}

impl Cell {
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            // CSV carries numbers in the plain form every program reads.
            Cell::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9.0e15 { format!("{}", *n as i64) } else { format!("{n}") }
            }
            Cell::Text(t) => t.clone(),
        }
    }
}

/// The cells of the question columns for one response.
pub fn question_cells(cols: &[Column], answers: &Answers) -> Vec<Cell> {
    cols.iter()
        .map(|c| match answers.get(&c.key) {
            None => Cell::Empty,
            Some(Answer::Number(n)) => Cell::Number(*n),
            Some(a) => Cell::Text(a.display(c.kind)),
        })
        .collect()
}

/// One CSV field (RFC 4180): quoted when it holds a separator, a quote or a line break. A text
/// that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading
/// apostrophe (OWASP CSV injection), unless it is a plain number.
pub fn csv_field(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err();
    let s = if risky { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// One CSV line, CRLF-terminated.
pub fn csv_line<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = fields.into_iter().map(csv_field).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::rules::definition::Question;

    fn q(key: &str, text: &str) -> Question {
        Question { key: key.into(), text: text.into(), help: String::new(), kind: QuestionKind::ShortText, required: false, options: vec![], min: None, max: None, show_if: None }
    }

    #[test]
    fn columns_are_the_union_of_versions_with_the_latest_wording() {
        let v1 = Definition { questions: vec![q("a", "A cũ"), q("b", "B")] };
        let v2 = Definition { questions: vec![q("c", "C"), q("a", "A mới")] };
        let cols = columns(&[&v1, &v2]);
        assert_eq!(cols.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(cols[0].header, "A mới [a]");
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-3"), "-3");
        assert_eq!(csv_line(["x", "y\nz"]), "x,\"y\nz\"\r\n");
    }
}
