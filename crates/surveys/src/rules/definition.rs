//! The questionnaire (bảng hỏi) of one survey version: ordered questions, each with a stable
//! key, a kind, a required flag, its options or bounds, and an optional show-condition on an
//! earlier question's answer.

use serde::{Deserialize, Serialize};

use crate::msg;

/// The five levels of the satisfaction scale (thang đo mức độ hài lòng), most satisfied first.
pub const SATISFACTION_LEVELS: [&str; 5] = ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"];

/// The levels counted as satisfied in the satisfaction share.
pub const SATISFIED_LEVELS: [&str; 2] = ["Rất hài lòng", "Hài lòng"];

/// Most questions in one version.
pub const MAX_QUESTIONS: usize = 200;
/// Most options of one choice question.
pub const MAX_OPTIONS: usize = 50;
/// Longest question text, help text or option.
pub const MAX_QUESTION_TEXT: usize = 1000;
pub const MAX_OPTION_TEXT: usize = 200;
/// Longest answer to a short-text question, and to a long-text question (characters).
pub const MAX_SHORT_TEXT: usize = 300;
pub const MAX_LONG_TEXT: usize = 4000;

/// What kind of answer a question takes (loại câu hỏi).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Chọn một.
    SingleChoice,
    /// Chọn nhiều.
    MultipleChoice,
    /// Thang đo mức độ hài lòng (5 mức).
    Satisfaction,
    /// Số.
    Number,
    /// Văn bản ngắn.
    ShortText,
    /// Văn bản dài.
    LongText,
    /// Ngày (dd/mm/yyyy).
    Date,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 7] = [
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::Satisfaction,
        QuestionKind::Number,
        QuestionKind::ShortText,
        QuestionKind::LongText,
        QuestionKind::Date,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::Satisfaction => "satisfaction",
            QuestionKind::Number => "number",
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
            QuestionKind::Date => "date",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "Chọn một",
            QuestionKind::MultipleChoice => "Chọn nhiều",
            QuestionKind::Satisfaction => "Mức độ hài lòng (5 mức)",
            QuestionKind::Number => "Số",
            QuestionKind::ShortText => "Văn bản ngắn",
            QuestionKind::LongText => "Văn bản dài",
            QuestionKind::Date => "Ngày",
        }
    }

    /// Whether the answer is one or more of a list of options.
    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::SingleChoice | QuestionKind::MultipleChoice | QuestionKind::Satisfaction)
    }

    /// Whether answers are free text (listed and searched on the results page).
    pub fn is_text(self) -> bool {
        matches!(self, QuestionKind::ShortText | QuestionKind::LongText)
    }
}

/// When a question is shown (điều kiện hiển thị): a test on an earlier question's answer. A
/// question whose condition is false is not asked, and any answer sent for it is dropped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Condition {
    /// The single answer (choice or satisfaction level) equals the option.
    Equals { key: String, option: String },
    /// The single answer is one of the options.
    OneOf { key: String, options: Vec<String> },
    /// The multiple-choice answer includes the option.
    Includes { key: String, option: String },
    /// The number answered is at least `value`.
    AtLeast { key: String, value: f64 },
    /// The number answered is at most `value`.
    AtMost { key: String, value: f64 },
    /// The question was answered at all.
    Answered { key: String },
}

impl Condition {
    /// The key of the question the condition reads.
    pub fn key(&self) -> &str {
        match self {
            Condition::Equals { key, .. }
            | Condition::OneOf { key, .. }
            | Condition::Includes { key, .. }
            | Condition::AtLeast { key, .. }
            | Condition::AtMost { key, .. }
            | Condition::Answered { key } => key,
        }
    }

    /// The operator's code, as the question builder names it.
    pub fn op(&self) -> &'static str {
        match self {
            Condition::Equals { .. } | Condition::OneOf { .. } => "equals",
            Condition::Includes { .. } => "includes",
            Condition::AtLeast { .. } => "at_least",
            Condition::AtMost { .. } => "at_most",
            Condition::Answered { .. } => "answered",
        }
    }

    /// The operand as the builder shows it: options joined by " | ", numbers the Vietnamese way.
    pub fn operand(&self) -> String {
        match self {
            Condition::Equals { option, .. } | Condition::Includes { option, .. } => option.clone(),
            Condition::OneOf { options, .. } => options.join(" | "),
            Condition::AtLeast { value, .. } | Condition::AtMost { value, .. } => format_number(*value),
            Condition::Answered { .. } => String::new(),
        }
    }

    /// Builds a condition from the builder's three fields; `None` when `key` is empty.
    pub fn from_parts(key: &str, op: &str, operand: &str) -> Result<Option<Condition>, &'static str> {
        let key = key.trim();
        if key.is_empty() {
            return Ok(None);
        }
        let key = key.to_string();
        let operand = text_vi::clean_input(operand.trim());
        Ok(Some(match op {
            "equals" => {
                let options: Vec<String> = operand.split('|').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
                match options.len() {
                    0 => return Err(msg::CONDITION_OPERAND_MISSING),
                    1 => Condition::Equals { key, option: options.into_iter().next().unwrap_or_default() },
                    _ => Condition::OneOf { key, options },
                }
            }
            "includes" if !operand.is_empty() => Condition::Includes { key, option: operand },
            "at_least" | "at_most" => {
                let value = parse_number(&operand).ok_or(msg::CONDITION_NUMBER)?;
                if op == "at_least" { Condition::AtLeast { key, value } } else { Condition::AtMost { key, value } }
            }
            "answered" => Condition::Answered { key },
            "includes" => return Err(msg::CONDITION_OPERAND_MISSING),
            _ => return Err(msg::CONDITION_OP),
        }))
    }

    /// A Vietnamese sentence for the builder and the paper form: "Chỉ hỏi khi …".
    pub fn describe(&self, question_text: &str) -> String {
        let q = format!("«{question_text}»");
        match self {
            Condition::Equals { option, .. } => format!("Chỉ hỏi khi câu {q} được trả lời «{option}»."),
            Condition::OneOf { options, .. } => format!("Chỉ hỏi khi câu {q} được trả lời {}.", options.iter().map(|o| format!("«{o}»")).collect::<Vec<_>>().join(" hoặc ")),
            Condition::Includes { option, .. } => format!("Chỉ hỏi khi câu {q} có chọn «{option}»."),
            Condition::AtLeast { value, .. } => format!("Chỉ hỏi khi câu {q} từ {} trở lên.", format_number(*value)),
            Condition::AtMost { value, .. } => format!("Chỉ hỏi khi câu {q} không quá {}.", format_number(*value)),
            Condition::Answered { .. } => format!("Chỉ hỏi khi câu {q} đã được trả lời."),
        }
    }
}

/// One question (câu hỏi).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable key (mã câu hỏi): `[a-z0-9_]`, 1–40 characters, unique in the survey. A new
    /// version keeps the key of a question it keeps, so export columns stay fixed.
    pub key: String,
    pub text: String,
    #[serde(default)]
    pub help: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub required: bool,
    /// The options of a choice question; the satisfaction scale's five levels are implied.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub show_if: Option<Condition>,
}

impl Question {
    /// The options a respondent chooses from: the scale's levels for a satisfaction question.
    pub fn choices(&self) -> Vec<String> {
        if self.kind == QuestionKind::Satisfaction {
            SATISFACTION_LEVELS.iter().map(|s| s.to_string()).collect()
        } else {
            self.options.clone()
        }
    }
}

/// The questionnaire of one survey version.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    #[serde(default)]
    pub questions: Vec<Question>,
}

/// A problem with a questionnaire: the question's position (0-based) when it concerns one.
#[derive(Clone, Debug, PartialEq)]
pub struct DefinitionError {
    pub index: Option<usize>,
    pub message: String,
}

/// Whether a question key has the allowed shape.
pub fn valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A key derived from a question's text ("Mức độ hài lòng chung" → "muc_do_hai_long_chung"),
/// made unique against `taken`.
pub fn key_from_text(text: &str, taken: &[String]) -> String {
    let mut base: String = text_vi::fold(text)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|s| !s.is_empty())
        .take(5)
        .collect::<Vec<_>>()
        .join("_");
    base.truncate(32);
    let base = base.trim_end_matches('_').to_string();
    let base = if base.is_empty() { "cau".to_string() } else { base };
    if !taken.contains(&base) {
        return base;
    }
    (2..).map(|n| format!("{base}_{n}")).find(|k| !taken.contains(k)).unwrap_or(base)
}

impl Definition {
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// Every problem of the questionnaire: shapes and uniqueness of keys, texts, options of
    /// choice questions, bounds of numbers, and conditions that read an earlier question of a
    /// fitting kind.
    pub fn check(&self) -> Vec<DefinitionError> {
        let mut errors = Vec::new();
        let mut err = |index: Option<usize>, message: String| errors.push(DefinitionError { index, message });
        if self.questions.is_empty() {
            err(None, msg::NO_QUESTIONS.into());
        }
        if self.questions.len() > MAX_QUESTIONS {
            err(None, msg::too_many_questions(MAX_QUESTIONS));
        }
        for (i, q) in self.questions.iter().enumerate() {
            if !valid_key(&q.key) {
                err(Some(i), msg::KEY_FORMAT.into());
            } else if self.questions[..i].iter().any(|p| p.key == q.key) {
                err(Some(i), msg::key_taken(&q.key));
            }
            if q.text.trim().is_empty() {
                err(Some(i), msg::QUESTION_TEXT_MISSING.into());
            } else if q.text.chars().count() > MAX_QUESTION_TEXT || q.help.chars().count() > MAX_QUESTION_TEXT {
                err(Some(i), msg::too_long(MAX_QUESTION_TEXT));
            }
            match q.kind {
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                    if q.options.len() < 2 {
                        err(Some(i), msg::OPTIONS_MISSING.into());
                    }
                    if q.options.len() > MAX_OPTIONS {
                        err(Some(i), msg::too_many_options(MAX_OPTIONS));
                    }
                    if q.options.iter().any(|o| o.trim().is_empty() || o.chars().count() > MAX_OPTION_TEXT) {
                        err(Some(i), msg::option_text(MAX_OPTION_TEXT));
                    }
                    if q.options.iter().enumerate().any(|(j, o)| q.options[..j].contains(o)) {
                        err(Some(i), msg::OPTION_TWICE.into());
                    }
                }
                QuestionKind::Number => {
                    if q.min.is_some_and(|m| !m.is_finite()) || q.max.is_some_and(|m| !m.is_finite()) {
                        err(Some(i), msg::BOUNDS_INVALID.into());
                    } else if let (Some(lo), Some(hi)) = (q.min, q.max)
                        && lo > hi
                    {
                        err(Some(i), msg::BOUNDS_INVALID.into());
                    }
                }
                _ => {}
            }
            if let Some(c) = &q.show_if {
                let earlier = self.questions[..i].iter().find(|p| p.key == c.key());
                match earlier {
                    None => err(Some(i), msg::CONDITION_NOT_EARLIER.into()),
                    Some(p) => {
                        let choices = p.choices();
                        let fits = match c {
                            Condition::Equals { option, .. } => {
                                matches!(p.kind, QuestionKind::SingleChoice | QuestionKind::Satisfaction) && choices.contains(option)
                            }
                            Condition::OneOf { options, .. } => {
                                matches!(p.kind, QuestionKind::SingleChoice | QuestionKind::Satisfaction)
                                    && !options.is_empty()
                                    && options.iter().all(|o| choices.contains(o))
                            }
                            Condition::Includes { option, .. } => p.kind == QuestionKind::MultipleChoice && choices.contains(option),
                            Condition::AtLeast { value, .. } | Condition::AtMost { value, .. } => p.kind == QuestionKind::Number && value.is_finite(),
                            Condition::Answered { .. } => true,
                        };
                        if !fits {
                            err(Some(i), msg::CONDITION_MISMATCH.into());
                        }
                    }
                }
            }
        }
        errors
    }
}

/// Reads a number as people type it: "1.234,5" (Vietnamese), "1234.5", "-3", "12 500".
/// A dot followed by groups of exactly three digits is a thousands separator.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}')).collect();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, t.strip_prefix('+').unwrap_or(&t)),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let normal = if body.contains(',') {
        if body.matches(',').count() > 1 {
            return None;
        }
        let (int, frac) = body.split_once(',')?;
        if !grouping_ok(int) || frac.contains('.') || frac.is_empty() {
            return None;
        }
        format!("{}.{frac}", int.replace('.', ""))
    } else if body.contains('.') {
        let parts: Vec<&str> = body.split('.').collect();
        if parts.len() > 2 || (parts.len() == 2 && parts[1].len() == 3 && !parts[0].is_empty()) {
            if !grouping_ok(body) {
                return None;
            }
            body.replace('.', "")
        } else {
            body.to_string()
        }
    } else {
        body.to_string()
    };
    let v: f64 = normal.parse().ok()?;
    v.is_finite().then_some(sign * v)
}

/// "1.234.567": the first group 1–3 digits, the others exactly 3.
fn grouping_ok(s: &str) -> bool {
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or("");
    let first_max = if s.contains('.') { 3 } else { 40 };
    !first.is_empty() && first.len() <= first_max && parts.all(|p| p.len() == 3)
}

/// A number the Vietnamese way: "1.234,5", "12".
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        text_vi::format_int(v as i64)
    } else {
        let s = text_vi::format_decimal(v, 4);
        s.trim_end_matches('0').trim_end_matches(',').to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn q(key: &str, kind: QuestionKind) -> Question {
        Question { key: key.into(), text: format!("Câu {key}"), help: String::new(), kind, required: false, options: vec!["A".into(), "B".into()], min: None, max: None, show_if: None }
    }

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number("1.234.567"), Some(1_234_567.0));
        assert_eq!(parse_number("1.234,5"), Some(1234.5));
        assert_eq!(parse_number("2.5"), Some(2.5));
        assert_eq!(parse_number("2,5"), Some(2.5));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("12 500"), Some(12_500.0));
        assert_eq!(parse_number("1.2.3"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("1e5"), None);
        assert_eq!(format_number(1234.5), "1.234,5");
        assert_eq!(format_number(12.0), "12");
    }

    #[test]
    fn conditions_must_read_an_earlier_fitting_question() {
        let mut a = q("a", QuestionKind::SingleChoice);
        a.options = vec!["Có".into(), "Không".into()];
        let mut b = q("b", QuestionKind::LongText);
        b.show_if = Some(Condition::Equals { key: "a".into(), option: "Không".into() });
        assert!(Definition { questions: vec![a.clone(), b.clone()] }.check().is_empty());
        // Later question, wrong option, wrong kind.
        assert!(!Definition { questions: vec![b.clone(), a.clone()] }.check().is_empty());
        let mut c = b.clone();
        c.show_if = Some(Condition::Equals { key: "a".into(), option: "Có lẽ".into() });
        assert_eq!(Definition { questions: vec![a.clone(), c] }.check().len(), 1);
        let mut d = b.clone();
        d.show_if = Some(Condition::AtLeast { key: "a".into(), value: 3.0 });
        assert_eq!(Definition { questions: vec![a, d] }.check().len(), 1);
    }

    #[test]
    fn keys_are_unique_and_shaped() {
        let def = Definition { questions: vec![q("a", QuestionKind::ShortText), q("a", QuestionKind::ShortText), q("Bad Key", QuestionKind::Date)] };
        assert_eq!(def.check().len(), 2);
        assert_eq!(key_from_text("Mức độ hài lòng chung?", &[]), "muc_do_hai_long_chung");
        assert_eq!(key_from_text("Mức độ hài lòng chung", &["muc_do_hai_long_chung".into()]), "muc_do_hai_long_chung_2");
        assert_eq!(key_from_text("???", &[]), "cau");
    }

    #[test]
    fn builder_conditions() {
        assert_eq!(Condition::from_parts("", "equals", "x"), Ok(None));
        assert_eq!(Condition::from_parts("a", "equals", "X | Y"), Ok(Some(Condition::OneOf { key: "a".into(), options: vec!["X".into(), "Y".into()] })));
        assert_eq!(Condition::from_parts("a", "at_least", "3,5"), Ok(Some(Condition::AtLeast { key: "a".into(), value: 3.5 })));
        assert!(Condition::from_parts("a", "at_least", "x").is_err());
        assert!(Condition::from_parts("a", "drop table", "x").is_err());
        let c = Condition::OneOf { key: "a".into(), options: vec!["X".into(), "Y".into()] };
        assert_eq!(Condition::from_parts("a", c.op(), &c.operand()), Ok(Some(c)));
    }
}
