//! The question bank (ngân hàng câu hỏi): a question with 2 to 6 options and the correct one,
//! its explanation, topic, difficulty and legal source; its duplicate key; and the organiser's
//! XLSX layout, read row by row with Vietnamese errors (nothing is imported while any remain).

use std::collections::HashMap;

use crate::msg;
use super::settings::difficulty_code;

pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 6;
pub const MAX_TEXT: usize = 2_000;
pub const MAX_OPTION: usize = 500;
pub const MAX_EXPLANATION: usize = 4_000;
pub const MAX_TOPIC: usize = 100;
pub const MAX_SOURCE: usize = 500;
/// Most questions one file may bring.
pub const MAX_IMPORT: usize = 5_000;

/// The first header cell of the sheet (the row is found by it).
pub const ANCHOR: &str = "STT";
/// Option letters, in column order.
pub const LETTERS: [char; MAX_OPTIONS] = ['A', 'B', 'C', 'D', 'E', 'F'];

/// The header of the organiser's sheet, in order.
pub fn header() -> Vec<String> {
    let mut h = vec![ANCHOR.to_string(), msg::COL_QUESTION.to_string()];
    h.extend(LETTERS.iter().map(|l| format!("{} {l}", msg::COL_OPTION)));
    h.extend([msg::COL_CORRECT, msg::COL_EXPLANATION, msg::COL_TOPIC, msg::COL_DIFFICULTY, msg::COL_SOURCE].map(str::to_string));
    h
}

/// A question as typed (form or sheet row), before checking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawQuestion {
    pub text: String,
    pub options: Vec<String>,
    /// The correct option as written: a letter A–F or its number 1–6.
    pub correct: String,
    pub explanation: String,
    pub topic: String,
    pub difficulty: String,
    pub source: String,
}

/// A checked question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub text: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub explanation: String,
    pub topic: String,
    pub difficulty: String,
    pub source: String,
}

/// The duplicate key: the folded text with runs of spaces and the final punctuation dropped.
pub fn text_key(text: &str) -> String {
    let folded = text_vi::fold(text);
    let words: Vec<&str> = folded.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    words.join(" ").trim_end_matches(['?', '.', ':', '…', ' ']).to_string()
}

fn clean(s: &str) -> String {
    text_vi::clean_input(s.trim()).trim().to_string()
}

/// Which field an error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Text,
    Options,
    Correct,
    Explanation,
    Topic,
    Difficulty,
    Source,
}

/// Checks a question: every error with its field.
pub fn check(raw: &RawQuestion) -> Result<Question, Vec<(Field, &'static str)>> {
    let mut errors = Vec::new();
    let text = clean(&raw.text);
    if text.is_empty() {
        errors.push((Field::Text, msg::QUESTION_REQUIRED));
    } else if text.chars().count() > MAX_TEXT {
        errors.push((Field::Text, msg::QUESTION_TOO_LONG));
    }
    // Options are the non-empty ones, in order; a gap (A, C without B) is refused, since the
    // letters of the correct answer would shift.
    let cells: Vec<String> = raw.options.iter().map(|o| clean(o)).collect();
    let last = cells.iter().rposition(|o| !o.is_empty()).map_or(0, |i| i + 1);
    let options: Vec<String> = cells[..last].to_vec();
    if options.iter().any(String::is_empty) {
        errors.push((Field::Options, msg::OPTION_GAP));
    } else if options.len() < MIN_OPTIONS || options.len() > MAX_OPTIONS {
        errors.push((Field::Options, msg::OPTIONS_COUNT));
    } else if options.iter().any(|o| o.chars().count() > MAX_OPTION) {
        errors.push((Field::Options, msg::OPTION_TOO_LONG));
    } else {
        let mut keys: Vec<String> = options.iter().map(|o| text_key(o)).collect();
        keys.sort();
        keys.dedup();
        if keys.len() != options.len() {
            errors.push((Field::Options, msg::OPTIONS_SAME));
        }
    }
    let written = clean(&raw.correct).to_uppercase();
    let correct = LETTERS.iter().position(|l| written == l.to_string()).or_else(|| written.parse::<usize>().ok().filter(|n| (1..=MAX_OPTIONS).contains(n)).map(|n| n - 1));
    match correct {
        None => errors.push((Field::Correct, msg::CORRECT_UNKNOWN)),
        Some(c) if c >= options.len() && !options.is_empty() => errors.push((Field::Correct, msg::CORRECT_NOT_AN_OPTION)),
        _ => {}
    }
    let explanation = clean(&raw.explanation);
    if explanation.chars().count() > MAX_EXPLANATION {
        errors.push((Field::Explanation, msg::EXPLANATION_TOO_LONG));
    }
    let topic = clean(&raw.topic);
    if topic.is_empty() {
        errors.push((Field::Topic, msg::TOPIC_REQUIRED));
    } else if topic.chars().count() > MAX_TOPIC {
        errors.push((Field::Topic, msg::TOPIC_TOO_LONG));
    }
    let difficulty = difficulty_code(&raw.difficulty);
    if difficulty.is_none() {
        errors.push((Field::Difficulty, msg::DIFFICULTY_UNKNOWN));
    }
    let source = clean(&raw.source);
    if source.chars().count() > MAX_SOURCE {
        errors.push((Field::Source, msg::SOURCE_TOO_LONG));
    }
    match (errors.is_empty(), correct, difficulty) {
        (true, Some(correct), Some(d)) => Ok(Question { text, options, correct, explanation, topic, difficulty: d.to_string(), source }),
        _ => Err(errors),
    }
}

/// An error of one sheet row: its Excel row number, the column's header, the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: u32,
    pub column: String,
    pub message: String,
}

fn column_of(field: Field) -> String {
    match field {
        Field::Text => msg::COL_QUESTION.into(),
        Field::Options => format!("{} A–F", msg::COL_OPTION),
        Field::Correct => msg::COL_CORRECT.into(),
        Field::Explanation => msg::COL_EXPLANATION.into(),
        Field::Topic => msg::COL_TOPIC.into(),
        Field::Difficulty => msg::COL_DIFFICULTY.into(),
        Field::Source => msg::COL_SOURCE.into(),
    }
}

/// Reads the organiser's sheet (header and rows as `documents::table::read_table_xlsx` gives
/// them). Columns are found by their header, in any order. `existing` holds the duplicate keys
/// already in the bank. Every row is checked; the questions come back only when no row has an
/// error (a duplicate of another row or of the bank is an error).
pub fn parse_sheet(header: &[String], rows: &[(u32, Vec<String>)], existing: &std::collections::HashSet<String>) -> Result<Vec<Question>, Vec<RowError>> {
    let h: Vec<String> = header.iter().map(|c| text_key(c)).collect();
    let find = |name: &str| h.iter().position(|c| *c == text_key(name));
    let col_text = find(msg::COL_QUESTION);
    let col_opts: Vec<Option<usize>> = LETTERS.iter().map(|l| find(&format!("{} {l}", msg::COL_OPTION))).collect();
    let col_correct = find(msg::COL_CORRECT);
    let col_expl = find(msg::COL_EXPLANATION);
    let col_topic = find(msg::COL_TOPIC);
    let col_diff = find(msg::COL_DIFFICULTY);
    let col_source = find(msg::COL_SOURCE);
    let mut missing = Vec::new();
    for (c, name) in [(col_text, msg::COL_QUESTION), (col_opts[0], "A"), (col_opts[1], "B"), (col_correct, msg::COL_CORRECT), (col_topic, msg::COL_TOPIC), (col_diff, msg::COL_DIFFICULTY)] {
        if c.is_none() {
            let column = if name.len() == 1 { format!("{} {name}", msg::COL_OPTION) } else { name.to_string() };
            missing.push(RowError { row: 0, column, message: msg::COLUMN_MISSING.to_string() });
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    if rows.is_empty() {
        return Err(vec![RowError { row: 0, column: String::new(), message: msg::SHEET_EMPTY.to_string() }]);
    }
    if rows.len() > MAX_IMPORT {
        return Err(vec![RowError { row: 0, column: String::new(), message: msg::SHEET_TOO_MANY.to_string() }]);
    }
    let cell = |cells: &Vec<String>, c: Option<usize>| c.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (row, cells) in rows {
        let raw = RawQuestion {
            text: cell(cells, col_text),
            options: col_opts.iter().map(|c| cell(cells, *c)).collect(),
            correct: cell(cells, col_correct),
            explanation: cell(cells, col_expl),
            topic: cell(cells, col_topic),
            difficulty: cell(cells, col_diff),
            source: cell(cells, col_source),
        };
        match check(&raw) {
            Ok(q) => {
                let key = text_key(&q.text);
                if let Some(first) = seen.get(&key) {
                    errors.push(RowError { row: *row, column: msg::COL_QUESTION.into(), message: msg::duplicate_of_row(*first) });
                } else if existing.contains(&key) {
                    errors.push(RowError { row: *row, column: msg::COL_QUESTION.into(), message: msg::DUPLICATE_OF_BANK.into() });
                } else {
                    seen.insert(key, *row);
                    out.push(q);
                }
            }
            Err(list) => errors.extend(list.into_iter().map(|(f, m)| RowError { row: *row, column: column_of(f), message: m.to_string() })),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}
