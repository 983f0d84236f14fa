//! Counting a commune bookshelf's holdings and updates over a period.

use chrono::NaiveDate;

/// What a bookshelf held at the end of a period and how it changed during it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShelfCount {
    /// Items on the shelf on the period's last day.
    pub held: i64,
    /// Items added during the period.
    pub added: i64,
    /// Items removed during the period.
    pub removed: i64,
}

/// Counts additions `(added_on, removed_on)` over `from..=to`.
pub fn count(items: impl IntoIterator<Item = (NaiveDate, Option<NaiveDate>)>, from: NaiveDate, to: NaiveDate) -> ShelfCount {
    let mut c = ShelfCount::default();
    for (added, removed) in items {
        if added <= to && removed.is_none_or(|r| r > to) {
            c.held += 1;
        }
        if (from..=to).contains(&added) {
            c.added += 1;
        }
        if removed.is_some_and(|r| (from..=to).contains(&r)) {
            c.removed += 1;
        }
    }
    c
}
