//! Reading what a citizen types into the search box.
//!
//! - Words are matched anywhere (title, number, text), with or without diacritics.
//! - "Quoted words" must appear together, in order (a phrase).
//! - A loosely typed document number ("06/2021/tt-btp") is a phrase of its parts, so it finds
//!   the number however it was written in the document ("06/2021/TT-BTP").
//! - How many of the words a result must hold: all of them for up to three words; for longer
//!   queries three in four, so one extra or misspelt word does not empty the results.

use super::analyze::{Word, words};

/// One part of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// A single word.
    Word(Word),
    /// Words that must appear next to each other, in order.
    Phrase(Vec<Word>),
}

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub parts: Vec<Part>,
}

/// Longest query read, in characters (the rest is ignored).
pub const MAX_QUERY_CHARS: usize = 200;
/// Most parts read.
pub const MAX_PARTS: usize = 16;

impl Query {
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// How many parts a result must match.
    pub fn required(&self) -> usize {
        let n = self.parts.len();
        if n <= 3 { n } else { (n * 3).div_ceil(4) }
    }
}

fn is_number_like(chunk: &str) -> bool {
    chunk.chars().any(|c| c.is_ascii_digit()) && chunk.contains(['/', '-', '.'])
}

/// Parses the query text (already NFC or not: words are keyed the same either way).
pub fn parse(input: &str) -> Query {
    let input: String = input.chars().take(MAX_QUERY_CHARS).collect();
    let mut parts = Vec::new();
    // Split on double quotes: odd pieces are phrases.
    for (i, piece) in input.split('"').enumerate() {
        if i % 2 == 1 {
            let ws = words(piece);
            match ws.len() {
                0 => {}
                1 => parts.extend(ws.into_iter().map(Part::Word)),
                _ => parts.push(Part::Phrase(ws)),
            }
            continue;
        }
        for chunk in piece.split_whitespace() {
            let ws = words(chunk);
            if ws.len() > 1 && is_number_like(chunk) {
                parts.push(Part::Phrase(ws));
            } else {
                parts.extend(ws.into_iter().map(Part::Word));
            }
        }
    }
    // The same word twice counts once.
    let mut seen = std::collections::HashSet::new();
    parts.retain(|p| seen.insert(match p {
        Part::Word(w) => w.folded.clone(),
        Part::Phrase(ws) => ws.iter().map(|w| w.folded.as_str()).collect::<Vec<_>>().join(" "),
    }));
    parts.truncate(MAX_PARTS);
    Query { parts }
}
