//! The most-missed questions of a round (câu hỏi trả lời sai nhiều nhất), from the per-question
//! counters the write path keeps when attempts close: a question is missed when a closed
//! attempt drew it and did not answer it correctly (a wrong answer or none). Pure: no I/O.

use std::cmp::Ordering;

/// One question's counters summed over the shards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionCount {
    pub question_id: i64,
    /// Closed attempts that drew it.
    pub drawn: i64,
    /// Of those, the attempts that chose an option.
    pub answered: i64,
    /// Of those, the attempts that chose the correct option.
    pub correct: i64,
}

impl QuestionCount {
    pub fn missed(&self) -> i64 {
        (self.drawn - self.correct).max(0)
    }
    pub fn unanswered(&self) -> i64 {
        (self.drawn - self.answered).max(0)
    }
    /// The share missed in tenths of a percent, rounded half up (625 is 62,5%; 2 of 3 is 667).
    pub fn missed_permille(&self) -> i64 {
        if self.drawn <= 0 { 0 } else { ((i128::from(self.missed()) * 2000 + i128::from(self.drawn)) / (2 * i128::from(self.drawn))) as i64 }
    }
}

/// A higher share missed first (compared exactly, as fractions), then more attempts missing
/// it, then the question's id.
fn order(a: &QuestionCount, b: &QuestionCount) -> Ordering {
    let lhs = i128::from(b.missed()) * i128::from(a.drawn.max(1));
    let rhs = i128::from(a.missed()) * i128::from(b.drawn.max(1));
    lhs.cmp(&rhs).then_with(|| b.missed().cmp(&a.missed())).then_with(|| a.question_id.cmp(&b.question_id))
}

/// The `n` most-missed questions among those drawn by at least `min_drawn` closed attempts
/// (so that a question seen once and missed does not top the list), most missed first.
pub fn most_missed(mut counts: Vec<QuestionCount>, n: usize, min_drawn: i64) -> Vec<QuestionCount> {
    counts.retain(|c| c.drawn >= min_drawn.max(1) && c.missed() > 0);
    counts.sort_by(order);
    counts.truncate(n);
    counts
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn q(id: i64, drawn: i64, answered: i64, correct: i64) -> QuestionCount {
        QuestionCount { question_id: id, drawn, answered, correct }
    }

    #[test]
    fn ordered_by_share_then_volume() {
        let counts = vec![q(1, 10, 10, 9), q(2, 8, 6, 2), q(3, 4, 4, 1), q(4, 100, 100, 25), q(5, 2, 0, 0), q(6, 50, 50, 50)];
        let top = most_missed(counts.clone(), 10, 3);
        // 2: 6/8 = 75%, 4: 75/100 = 75% (same share, more missed: first), 3: 3/4 = 75%; 1: 10%;
        // 5 was drawn twice only; 6 was never missed.
        assert_eq!(top.iter().map(|c| c.question_id).collect::<Vec<_>>(), vec![4, 2, 3, 1]);
        assert_eq!(top[0].missed_permille(), 750);
        assert_eq!(top[1].unanswered(), 2);
        assert_eq!(most_missed(counts, 2, 1).iter().map(|c| c.question_id).collect::<Vec<_>>(), vec![5, 4]);
        assert_eq!(q(7, 0, 0, 0).missed_permille(), 0);
        assert_eq!(q(8, 3, 3, 1).missed_permille(), 667);
        assert_eq!(q(9, 7, 7, 4).missed_permille(), 429);
    }
}
