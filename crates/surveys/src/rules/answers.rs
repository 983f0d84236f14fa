//! Answer validation (kiểm tra câu trả lời): what a respondent typed, read against one version
//! of the questionnaire. A question is asked only when its show-condition holds on the answers
//! already accepted; an answer sent for a question not asked is dropped, and a required
//! question counts only when it is asked. Texts are cleaned (NFC, no control characters) and
//! capped; choices must be the question's own options.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::definition::{Condition, Definition, MAX_LONG_TEXT, MAX_SHORT_TEXT, Question, QuestionKind, format_number, parse_number};
use crate::msg;

/// One accepted answer, as stored (JSON): a number, a text (a chosen option, a free text, or a
/// date as `YYYY-MM-DD`), or the chosen options of a multiple-choice question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Number(f64),
    Text(String),
    Choices(Vec<String>),
}

impl Answer {
    /// The answer as a person reads it: numbers and dates the Vietnamese way, choices joined by "; ".
    pub fn display(&self, kind: QuestionKind) -> String {
        match self {
            Answer::Number(n) => format_number(*n),
            Answer::Text(t) if kind == QuestionKind::Date => {
                NaiveDate::parse_from_str(t, "%Y-%m-%d").map(text_vi::format_date).unwrap_or_else(|_| t.clone())
            }
            Answer::Text(t) => t.clone(),
            Answer::Choices(c) => c.join("; "),
        }
    }

    /// The typed form of the answer, to fill the form again: one value per choice.
    pub fn typed(&self, kind: QuestionKind) -> Vec<String> {
        match self {
            Answer::Choices(c) => c.clone(),
            other => vec![other.display(kind)],
        }
    }
}

/// Accepted answers by question key.
pub type Answers = BTreeMap<String, Answer>;

/// What was typed, by question key (several values for checkboxes).
pub type RawAnswers = BTreeMap<String, Vec<String>>;

/// Most values read for one key (a checkbox list cannot have more than its options).
const MAX_VALUES: usize = super::definition::MAX_OPTIONS;

/// Whether `q` is asked, given the answers accepted so far.
pub fn shown(q: &Question, answers: &Answers) -> bool {
    let Some(c) = &q.show_if else { return true };
    let a = answers.get(c.key());
    match (c, a) {
        (Condition::Answered { .. }, a) => a.is_some(),
        (Condition::Equals { option, .. }, Some(Answer::Text(t))) => t == option,
        (Condition::OneOf { options, .. }, Some(Answer::Text(t))) => options.contains(t),
        (Condition::Includes { option, .. }, Some(Answer::Choices(cs))) => cs.contains(option),
        (Condition::AtLeast { value, .. }, Some(Answer::Number(n))) => n >= value,
        (Condition::AtMost { value, .. }, Some(Answer::Number(n))) => n <= value,
        _ => false,
    }
}

/// Validates typed answers. On success, the accepted answers of the questions asked; otherwise
/// one Vietnamese message per question key at fault.
pub fn validate(def: &Definition, raw: &RawAnswers) -> Result<Answers, BTreeMap<String, String>> {
    let mut answers = Answers::new();
    let mut errors = BTreeMap::new();
    for q in &def.questions {
        if !shown(q, &answers) {
            continue;
        }
        let values: Vec<String> = raw
            .get(&q.key)
            .map(|vs| vs.iter().take(MAX_VALUES).map(|v| text_vi::clean_input(v).trim().to_string()).filter(|v| !v.is_empty()).collect())
            .unwrap_or_default();
        match read_one(q, &values) {
            Ok(Some(a)) => {
                answers.insert(q.key.clone(), a);
            }
            Ok(None) if q.required => {
                errors.insert(q.key.clone(), msg::ANSWER_REQUIRED.to_string());
            }
            Ok(None) => {}
            Err(m) => {
                errors.insert(q.key.clone(), m);
            }
        }
    }
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

/// Reads one question's cleaned, non-empty values: `None` when nothing was answered.
fn read_one(q: &Question, values: &[String]) -> Result<Option<Answer>, String> {
    let Some(first) = values.first() else { return Ok(None) };
    match q.kind {
        QuestionKind::SingleChoice | QuestionKind::Satisfaction => {
            if values.len() > 1 {
                return Err(msg::ONE_CHOICE.into());
            }
            if q.choices().contains(first) { Ok(Some(Answer::Text(first.clone()))) } else { Err(msg::CHOICE_UNKNOWN.into()) }
        }
        QuestionKind::MultipleChoice => {
            if values.iter().any(|v| !q.options.contains(v)) {
                return Err(msg::CHOICE_UNKNOWN.into());
            }
            // In the question's order, each once.
            let chosen: Vec<String> = q.options.iter().filter(|o| values.contains(o)).cloned().collect();
            Ok(Some(Answer::Choices(chosen)))
        }
        QuestionKind::Number => {
            if values.len() > 1 {
                return Err(msg::NOT_A_NUMBER.into());
            }
            let n = parse_number(first).ok_or_else(|| msg::NOT_A_NUMBER.to_string())?;
            if let Some(lo) = q.min
                && n < lo
            {
                return Err(msg::number_below(&format_number(lo)));
            }
            if let Some(hi) = q.max
                && n > hi
            {
                return Err(msg::number_above(&format_number(hi)));
            }
            Ok(Some(Answer::Number(n)))
        }
        QuestionKind::ShortText | QuestionKind::LongText => {
            let cap = if q.kind == QuestionKind::ShortText { MAX_SHORT_TEXT } else { MAX_LONG_TEXT };
            let text = values.join("\n");
            if text.chars().count() > cap {
                return Err(msg::answer_too_long(cap));
            }
            Ok(Some(Answer::Text(text)))
        }
        QuestionKind::Date => {
            if values.len() > 1 {
                return Err(msg::DATE_INVALID.into());
            }
            let d = text_vi::parse_date(first).map_err(|_| msg::DATE_INVALID.to_string())?;
            Ok(Some(Answer::Text(d.format("%Y-%m-%d").to_string())))
        }
    }
}

/// Answers as typed again (to refill a form that failed validation): key → values.
pub fn typed_back(def: &Definition, answers: &Answers) -> RawAnswers {
    def.questions
        .iter()
        .filter_map(|q| answers.get(&q.key).map(|a| (q.key.clone(), a.typed(q.kind))))
        .collect()
}

/// The folded text of every free-text answer, for diacritics-insensitive search.
pub fn search_key(def: &Definition, answers: &Answers) -> String {
    let mut out = String::new();
    for q in def.questions.iter().filter(|q| q.kind.is_text()) {
        if let Some(Answer::Text(t)) = answers.get(&q.key) {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&text_vi::fold(t));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn def() -> Definition {
        let q = |key: &str, kind, required, options: &[&str], show_if| Question {
            key: key.into(), text: key.into(), help: String::new(), kind, required,
            options: options.iter().map(|s| s.to_string()).collect(), min: Some(0.0), max: Some(120.0), show_if,
        };
        Definition { questions: vec![
            q("overall", QuestionKind::Satisfaction, true, &[], None),
            q("why", QuestionKind::LongText, true, &[], Some(Condition::OneOf { key: "overall".into(), options: vec!["Không hài lòng".into(), "Rất không hài lòng".into()] })),
            q("age", QuestionKind::Number, false, &[], None),
            q("topics", QuestionKind::MultipleChoice, false, &["Đất đai", "Hôn nhân", "Lao động"], None),
            q("when", QuestionKind::Date, false, &[], None),
        ]}
    }

    fn raw(pairs: &[(&str, &str)]) -> RawAnswers {
        let mut r = RawAnswers::new();
        for (k, v) in pairs {
            r.entry(k.to_string()).or_default().push(v.to_string());
        }
        r
    }

    #[test]
    fn required_only_when_shown_and_hidden_answers_dropped() {
        let ok = validate(&def(), &raw(&[("overall", "Hài lòng"), ("why", "ignored")])).unwrap();
        assert_eq!(ok.get("overall"), Some(&Answer::Text("Hài lòng".into())));
        assert!(!ok.contains_key("why"));
        let err = validate(&def(), &raw(&[("overall", "Không hài lòng")])).unwrap_err();
        assert_eq!(err.get("why").map(String::as_str), Some(msg::ANSWER_REQUIRED));
        let err = validate(&def(), &raw(&[])).unwrap_err();
        assert_eq!(err.len(), 1);
    }

    #[test]
    fn kinds_are_read() {
        let ok = validate(&def(), &raw(&[("overall", "Rất hài lòng"), ("age", "42"), ("topics", "Lao động"), ("topics", "Đất đai"), ("when", "05/02/2026")])).unwrap();
        assert_eq!(ok["age"], Answer::Number(42.0));
        assert_eq!(ok["topics"], Answer::Choices(vec!["Đất đai".into(), "Lao động".into()]));
        assert_eq!(ok["when"], Answer::Text("2026-02-05".into()));
        assert_eq!(ok["when"].display(QuestionKind::Date), "05/02/2026");
        let err = validate(&def(), &raw(&[("overall", "Tạm được"), ("age", "200"), ("topics", "Khác"), ("when", "31/02/2026")])).unwrap_err();
        assert_eq!(err.len(), 4);
    }

    #[test]
    fn text_is_normalised_and_capped() {
        // "hòa" in decomposed form becomes NFC.
        let mut d = def();
        d.questions[1].show_if = None;
        d.questions[1].required = false;
        let ok = validate(&d, &raw(&[("overall", "Hài lòng"), ("why", "ho\u{0300}a\u{0007}")])).unwrap();
        assert_eq!(ok["why"], Answer::Text("hòa".into()));
        let long = "a".repeat(MAX_LONG_TEXT + 1);
        assert!(validate(&d, &raw(&[("overall", "Hài lòng"), ("why", &long)])).is_err());
    }
}
