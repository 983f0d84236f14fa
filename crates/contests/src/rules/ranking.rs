//! The ranking (xếp hạng) of a round: the entrants' counted results ordered by the configured
//! keys in order, then by the fixed final key (registration order, the entrant's id), so the
//! order is total and does not depend on the order of the input.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use super::settings::{Prize, RankKey, prize_for};

/// One entrant's counted result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub entrant_id: i64,
    pub score: i64,
    pub duration_ms: i64,
    pub started_at: DateTime<Utc>,
    pub prediction: Option<i64>,
    pub full_score_attempts: i64,
}

/// How far a prediction is from the actual figure; no prediction is farthest.
fn distance(p: Option<i64>, actual: i64) -> i128 {
    p.map(|p| (i128::from(p) - i128::from(actual)).abs()).unwrap_or(i128::MAX)
}

/// How one key alone orders two entries (`Less`: `a` ranks first).
pub fn key_order(a: &Entry, b: &Entry, key: RankKey, actual: i64) -> Ordering {
    match key {
        RankKey::Score => b.score.cmp(&a.score),
        RankKey::Prediction => distance(a.prediction, actual).cmp(&distance(b.prediction, actual)),
        RankKey::Duration => a.duration_ms.cmp(&b.duration_ms),
        RankKey::Started => a.started_at.cmp(&b.started_at),
        RankKey::FullScoreAttempts => b.full_score_attempts.cmp(&a.full_score_attempts),
    }
}

/// Compares two entries by `keys`, then by the final key: `Less` ranks first.
pub fn compare(a: &Entry, b: &Entry, keys: &[RankKey], actual: i64) -> Ordering {
    keys.iter().map(|k| key_order(a, b, *k, actual)).find(|o| *o != Ordering::Equal).unwrap_or_else(|| a.entrant_id.cmp(&b.entrant_id))
}

/// The entries in rank order (position 1 first). `actual` is the figure the prediction
/// question asked for.
pub fn rank(mut entries: Vec<Entry>, keys: &[RankKey], actual: i64) -> Vec<Entry> {
    entries.sort_by(|a, b| compare(a, b, keys, actual));
    entries
}

/// The key that decided between two entries (None: the final key), shown on the ranking page.
pub fn deciding_key(a: &Entry, b: &Entry, keys: &[RankKey], actual: i64) -> Option<RankKey> {
    keys.iter().copied().find(|k| key_order(a, b, *k, actual) != Ordering::Equal)
}

/// What a ranked entrant gets from a round's prize bands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Award<'a> {
    /// The next prize of the bands.
    Prize(&'a Prize),
    /// No prize here: under "one prize per person" the entrant holds an equal or higher prize in
    /// another round (its index in `held`), and this round's prize passes to the next entrant.
    HeldElsewhere(usize),
    None,
}

/// The prizes of a round for its entrants in rank order. Without the one-prize rule (`held`
/// empty) the bands go to the first positions in order. With it, an entrant who already holds a
/// prize worth at least the one they would get here (`held`: for each entrant id, the amount in
/// VND of the highest prize held in another round, with an index the caller uses to name it) is
/// passed over and the prize goes to the next entrant; one who holds a lower prize takes this one
/// (and should lose the other when that round is published again). Prizes of equal amount: the
/// one held is kept.
pub fn award<'a>(order: &[i64], prizes: &'a [Prize], held: &std::collections::HashMap<i64, (i64, usize)>) -> Vec<Award<'a>> {
    let mut next = 1;
    order
        .iter()
        .map(|id| match prize_for(prizes, next) {
            None => Award::None,
            Some(p) => match held.get(id) {
                Some(&(amount, which)) if amount >= p.amount => Award::HeldElsewhere(which),
                _ => {
                    next += 1;
                    Award::Prize(p)
                }
            },
        })
        .collect()
}

/// The order of the overall ranking across rounds (xếp hạng chung): the total of correct
/// answers, then the shorter total time, then the final key (registration order).
/// Each entry is (entrant id, total score, total duration in ms).
pub fn overall_order(a: (i64, i64, i64), b: (i64, i64, i64)) -> Ordering {
    b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0))
}

#[cfg(test)]
mod award_tests {
    use super::*;
    use std::collections::HashMap;

    fn bands() -> Vec<Prize> {
        vec![Prize { name: "Nhất".into(), count: 1, amount: 2_000_000 }, Prize { name: "Nhì".into(), count: 2, amount: 1_000_000 }]
    }

    fn names(a: &[Award<'_>]) -> Vec<String> {
        a.iter().map(|x| match x { Award::Prize(p) => p.name.clone(), Award::HeldElsewhere(i) => format!("held{i}"), Award::None => "-".into() }).collect()
    }

    #[test]
    fn without_the_rule_the_bands_go_in_order() {
        let b = bands();
        assert_eq!(names(&award(&[5, 6, 7, 8], &b, &HashMap::new())), ["Nhất", "Nhì", "Nhì", "-"]);
    }

    #[test]
    fn a_winner_elsewhere_keeps_the_higher_prize_and_this_one_passes_on() {
        let b = bands();
        // 6 holds a first prize (2,000,000) elsewhere: passed over for a second prize here.
        let held = HashMap::from([(6, (2_000_000, 0))]);
        assert_eq!(names(&award(&[5, 6, 7, 8], &b, &held)), ["Nhất", "held0", "Nhì", "Nhì"]);
        // 5 holds only a second prize elsewhere: takes the first prize here.
        let held = HashMap::from([(5, (1_000_000, 3))]);
        assert_eq!(names(&award(&[5, 6, 7], &b, &held)), ["Nhất", "Nhì", "Nhì"]);
        // Equal amounts: the prize held is kept.
        let held = HashMap::from([(7, (1_000_000, 1))]);
        assert_eq!(names(&award(&[5, 6, 7, 8], &b, &held)), ["Nhất", "Nhì", "held1", "Nhì"]);
        // Nobody is passed over once the bands are used up.
        let held = HashMap::from([(8, (5_000_000, 2))]);
        assert_eq!(names(&award(&[5, 6, 7, 8], &b, &held)), ["Nhất", "Nhì", "Nhì", "-"]);
    }

    #[test]
    fn the_overall_order_is_total_score_then_time_then_registration() {
        let mut v = [(3, 30, 900), (1, 30, 900), (2, 31, 5000), (4, 30, 800)];
        v.sort_by(|a, b| overall_order(*a, *b));
        assert_eq!(v.iter().map(|e| e.0).collect::<Vec<_>>(), [2, 4, 1, 3]);
    }
}
