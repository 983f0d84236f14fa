//! The Vietnamese analyzer: text is cut into words, and each word gets two keys.
//!
//! - The **exact** key keeps the diacritics: NFC, lowercase, and the tone mark on the syllable's
//!   one accepted place (`text_vi::normalize_tone`: "hoà" and "hòa" give the same key).
//! - The **folded** key drops them (`text_vi::fold`: "hòa" → "hoa", "đ" → "d").
//!
//! A query is cut by the same function, so a query finds whatever its folded twin finds, and
//! exact matches can be ranked above folded ones.
//!
//! Words are runs of letters, digits and combining marks (so NFD text keeps its words whole).
//! A run is also cut where letters meet digits ("TT06" → "tt", "6"), and leading zeros of a
//! number are dropped ("06" → "6"), so document numbers match however loosely they are typed:
//! "06/2021/TT-BTP", "6/2021/tt-btp", "tt 06 2021".

use unicode_normalization::UnicodeNormalization;

/// One word of a text: its byte range in the text and its two keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub from: usize,
    pub to: usize,
    pub exact: String,
    pub folded: String,
}

/// Longest word kept (longer runs are noise: base64, hashes).
pub const MAX_WORD_BYTES: usize = 64;

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None; // (byte offset, run is digits)
    let mut last_end = 0;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            let digit = c.is_ascii_digit();
            match start {
                Some((s, was_digit)) if was_digit != digit && !is_mark(c) => {
                    push(text, s, i, &mut out);
                    start = Some((i, digit));
                }
                Some(_) => {}
                None => start = Some((i, digit)),
            }
            last_end = i + c.len_utf8();
        } else if let Some((s, _)) = start.take() {
            push(text, s, i, &mut out);
        }
    }
    if let Some((s, _)) = start {
        push(text, s, last_end.max(s), &mut out);
    }
    out
}

fn push(text: &str, from: usize, to: usize, out: &mut Vec<Word>) {
    let Some(raw) = text.get(from..to) else { return };
    if raw.is_empty() || raw.len() > MAX_WORD_BYTES || raw.chars().all(is_mark) {
        return;
    }
    let (exact, folded) = keys(raw);
    if folded.is_empty() {
        return;
    }
    out.push(Word { from, to, exact, folded });
}

/// The (exact, folded) keys of one word.
pub fn keys(word: &str) -> (String, String) {
    if word.chars().all(|c| c.is_ascii_digit()) {
        let trimmed = word.trim_start_matches('0');
        let n = if trimmed.is_empty() { "0" } else { trimmed }.to_string();
        return (n.clone(), n);
    }
    let nfc: String = word.nfc().collect();
    let exact: String = text_vi::normalize_tone(&nfc.to_lowercase()).nfc().collect();
    let folded = text_vi::fold(&nfc);
    (exact, folded)
}

/// The folded keys of a text, space-separated (what a search over the folded field compares).
pub fn folded_text(text: &str) -> String {
    words(text).into_iter().map(|w| w.folded).collect::<Vec<_>>().join(" ")
}
