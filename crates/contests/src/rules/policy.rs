//! The attempt policy (số lượt thi, cách tính kết quả): how many attempts an entrant may start
//! in a round, and which of their submitted attempts counts.

use chrono::{DateTime, Utc};

use super::settings::Counting;

/// Whether an entrant who has started `used` attempts may start another.
pub fn may_start(max_attempts: i64, used: i64) -> bool {
    used < max_attempts
}

/// What the policy compares of a closed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub score: i64,
    pub duration_ms: i64,
    pub started_at: DateTime<Utc>,
}

/// Whether a newly closed attempt replaces the one that counts so far. Best: a higher score,
/// or the same score in less time (on a full tie the earlier attempt stays); first: only when
/// nothing counts yet; last: always.
pub fn replaces(counting: Counting, current: Option<&Outcome>, new: &Outcome) -> bool {
    let Some(cur) = current else { return true };
    match counting {
        Counting::First => false,
        Counting::Last => true,
        Counting::Best => new.score > cur.score || (new.score == cur.score && new.duration_ms < cur.duration_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn o(score: i64, ms: i64, s: i64) -> Outcome {
        Outcome { score, duration_ms: ms, started_at: Utc.timestamp_opt(1_800_000_000 + s, 0).single().unwrap_or_default() }
    }

    /// The outcome that counts after a sequence of attempts, by the policy.
    fn counted(c: Counting, seq: &[Outcome]) -> Option<Outcome> {
        let mut cur: Option<Outcome> = None;
        for n in seq {
            if replaces(c, cur.as_ref(), n) {
                cur = Some(*n);
            }
        }
        cur
    }

    #[test]
    fn best_first_last() {
        let seq = [o(6, 500, 0), o(9, 700, 1000), o(9, 600, 2000), o(9, 600, 3000), o(4, 100, 4000)];
        assert_eq!(counted(Counting::First, &seq), Some(seq[0]));
        assert_eq!(counted(Counting::Last, &seq), Some(seq[4]));
        assert_eq!(counted(Counting::Best, &seq), Some(seq[2]), "same score in less time wins; a full tie keeps the earlier");
        assert_eq!(counted(Counting::Best, &[]), None);
        assert!(may_start(1, 0));
        assert!(!may_start(1, 1));
        assert!(may_start(3, 2));
    }
}
