//! The text challenge for visitors without JavaScript: a sum of two small numbers written in
//! words ("Ba cộng bốn bằng mấy?"). Its operands are derived from the signed challenge's nonce by
//! the caller (an HMAC with the server's key), so nothing is stored and the page cannot be read
//! for the answer. The answer is accepted as digits or as a word, with or without diacritics.

/// The two operands (1 to 9 each) from two bytes of a keyed hash of the nonce.
pub fn operands(seed: [u8; 2]) -> (u32, u32) {
    (u32::from(seed[0] % 9) + 1, u32::from(seed[1] % 9) + 1)
}

/// The number a typed answer names: decimal digits, or one of `words` (the words for 0 to 18,
/// already folded with `text_vi::fold`) once the answer is folded by the caller the same way.
pub fn parse_answer(folded: &str, words: &[String]) -> Option<u32> {
    let t = folded.trim().trim_end_matches('.').trim();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return if t.len() <= 3 { t.parse().ok() } else { None };
    }
    let squeezed: Vec<&str> = t.split_whitespace().collect();
    let joined = squeezed.join(" ");
    words.iter().position(|w| *w == joined).and_then(|i| u32::try_from(i).ok())
}

/// Whether `answer` answers the question of `seed`.
pub fn accepts(seed: [u8; 2], folded_answer: &str, words: &[String]) -> bool {
    let (a, b) = operands(seed);
    parse_answer(folded_answer, words) == Some(a + b)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_words() {
        let words: Vec<String> = ["khong", "mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi"].iter().map(|s| s.to_string()).collect();
        assert_eq!(operands([0, 8]), (1, 9));
        assert_eq!(operands([9, 17]), (1, 9));
        assert_eq!(parse_answer(" 7 ", &words), Some(7));
        assert_eq!(parse_answer("bay", &words), Some(7));
        assert_eq!(parse_answer("muoi", &words), Some(10));
        assert_eq!(parse_answer("7a", &words), None);
        assert_eq!(parse_answer("", &words), None);
        assert!(accepts([2, 3], "7", &words));
        assert!(!accepts([2, 3], "8", &words));
    }
}
