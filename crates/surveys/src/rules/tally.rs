//! Result tallies (tổng hợp kết quả): per question, how many answered, the count and share of
//! each option, number statistics, and for satisfaction questions the satisfaction share
//! ((Rất hài lòng + Hài lòng) / answered). Built incrementally, one response at a time, so that
//! results can be computed while streaming responses from the database.

use super::answers::{Answer, Answers};
use super::definition::{Definition, QuestionKind, SATISFIED_LEVELS};

/// The tally of one question.
#[derive(Clone, Debug, PartialEq)]
pub struct Tally {
    pub key: String,
    pub text: String,
    pub kind: QuestionKind,
    /// Responses that answered this question.
    pub answered: u64,
    /// (option, count) in the question's order, for choice questions.
    pub options: Vec<(String, u64)>,
    /// Sum, minimum and maximum of the numbers answered.
    pub sum: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Tally {
    /// Share of `n` among the answers, in percent (0 when nobody answered).
    pub fn percent(&self, n: u64) -> f64 {
        percent(n, self.answered)
    }

    /// (satisfied, answered) for a satisfaction question.
    pub fn satisfaction(&self) -> Option<(u64, u64)> {
        (self.kind == QuestionKind::Satisfaction).then(|| {
            let satisfied = self.options.iter().filter(|(o, _)| SATISFIED_LEVELS.contains(&o.as_str())).map(|(_, n)| n).sum();
            (satisfied, self.answered)
        })
    }

    pub fn mean(&self) -> Option<f64> {
        (self.kind == QuestionKind::Number && self.answered > 0).then(|| self.sum / self.answered as f64)
    }
}

/// `n / of` in percent, 0 when `of` is 0.
pub fn percent(n: u64, of: u64) -> f64 {
    if of == 0 { 0.0 } else { n as f64 * 100.0 / of as f64 }
}

/// The tallies of every question of a version, and the number of responses counted.
#[derive(Clone, Debug)]
pub struct Tallies {
    pub responses: u64,
    pub questions: Vec<Tally>,
}

impl Tallies {
    pub fn new(def: &Definition) -> Tallies {
        Tallies {
            responses: 0,
            questions: def
                .questions
                .iter()
                .map(|q| Tally {
                    key: q.key.clone(),
                    text: q.text.clone(),
                    kind: q.kind,
                    answered: 0,
                    options: q.choices().into_iter().map(|o| (o, 0)).collect(),
                    sum: 0.0,
                    min: None,
                    max: None,
                })
                .collect(),
        }
    }

    /// Counts one response. Answers to keys the version does not have, and choices it does not
    /// offer (an answer kept from an older version), are not counted.
    pub fn add(&mut self, answers: &Answers) {
        self.responses += 1;
        for t in &mut self.questions {
            let Some(a) = answers.get(&t.key) else { continue };
            match (t.kind, a) {
                (QuestionKind::Number, Answer::Number(n)) => {
                    t.answered += 1;
                    t.sum += n;
                    t.min = Some(t.min.map_or(*n, |m| m.min(*n)));
                    t.max = Some(t.max.map_or(*n, |m| m.max(*n)));
                }
                (QuestionKind::SingleChoice | QuestionKind::Satisfaction, Answer::Text(s)) => {
                    if let Some(slot) = t.options.iter_mut().find(|(o, _)| o == s) {
                        slot.1 += 1;
                        t.answered += 1;
                    }
                }
                (QuestionKind::MultipleChoice, Answer::Choices(cs)) => {
                    let mut any = false;
                    for (o, n) in &mut t.options {
                        if cs.contains(o) {
                            *n += 1;
                            any = true;
                        }
                    }
                    if any {
                        t.answered += 1;
                    }
                }
                (QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::Date, Answer::Text(_)) => t.answered += 1,
                _ => {}
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&Tally> {
        self.questions.iter().find(|t| t.key == key)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::rules::definition::Question;

    #[test]
    fn satisfaction_share_counts_the_two_top_levels() {
        let def = Definition { questions: vec![Question {
            key: "overall".into(), text: "Chung".into(), help: String::new(), kind: QuestionKind::Satisfaction, required: true,
            options: vec![], min: None, max: None, show_if: None,
        }] };
        let mut t = Tallies::new(&def);
        for level in ["Rất hài lòng", "Hài lòng", "Hài lòng", "Bình thường", "Rất không hài lòng"] {
            t.add(&Answers::from([("overall".to_string(), Answer::Text(level.into()))]));
        }
        t.add(&Answers::new());
        let q = t.get("overall").unwrap();
        assert_eq!(t.responses, 6);
        assert_eq!(q.satisfaction(), Some((3, 5)));
        assert_eq!(q.percent(3), 60.0);
        assert_eq!(q.options[1], ("Hài lòng".to_string(), 2));
    }
}
