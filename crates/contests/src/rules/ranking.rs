//! The ranking (xếp hạng) of a round: the entrants' counted results ordered by the configured
//! keys in order, then by the fixed final key (registration order, the entrant's id), so the
//! order is total and does not depend on the order of the input.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use super::settings::RankKey;

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
