//! Following the change log (`search_changes`) without missing a change.
//!
//! Change ids come from a sequence. On PostgreSQL, transactions commit out of id order: a
//! reader may see change 12 before change 11 commits, and a rolled-back transaction leaves its
//! id unused for ever. So the cursor remembers the ids it skipped (the gaps), re-reads them on
//! every round until they appear, and gives up on a gap after [`GAP_PATIENCE_MS`] (by then it
//! belonged to a rolled-back transaction). On SQLite, with one writer, there are no gaps.

use std::collections::BTreeMap;

/// How long a gap is re-read before it is taken for a rolled-back transaction.
pub const GAP_PATIENCE_MS: i64 = 60_000;
/// Most gaps remembered (older ones are dropped first).
pub const MAX_GAPS: usize = 10_000;

/// Where an instance is in the change log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The highest id seen.
    pub high: i64,
    /// Ids below `high` not seen yet, with when they were first missed (ms).
    gaps: BTreeMap<i64, i64>,
}

impl Cursor {
    pub fn new(high: i64) -> Cursor {
        Cursor { high, gaps: BTreeMap::new() }
    }

    /// The gaps to re-read.
    pub fn gaps(&self) -> Vec<i64> {
        self.gaps.keys().copied().collect()
    }

    /// Records the ids read in a round (any order): new ids move `high` and open gaps for the
    /// ids jumped over; an id that fills a gap closes it.
    pub fn record(&mut self, ids: &[i64], now_ms: i64) {
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        for id in sorted {
            if id > self.high {
                let from = (self.high + 1).max(id.saturating_sub(MAX_GAPS as i64));
                for g in from..id {
                    self.gaps.insert(g, now_ms);
                }
                self.high = id;
            } else {
                self.gaps.remove(&id);
            }
        }
        while self.gaps.len() > MAX_GAPS {
            self.gaps.pop_first();
        }
    }

    /// Forgets gaps missed for longer than the patience.
    pub fn expire(&mut self, now_ms: i64) {
        self.gaps.retain(|_, since| now_ms - *since < GAP_PATIENCE_MS);
    }
}
