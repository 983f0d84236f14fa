//! The tracking code (mã tra cứu) a citizen gets: 10 characters of Crockford's base-32 alphabet
//! (no I, L, O, U), 50 random bits, shown as `XXXXX-XXXXX`. Typed back leniently: lower case,
//! spaces and dashes, and the look-alikes O→0, I/L→1.

/// Crockford's base-32 alphabet.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a code, without the dash.
pub const LEN: usize = 10;

/// A code from 10 random bytes (the low 5 bits of each are used).
pub fn from_bytes(bytes: [u8; LEN]) -> String {
    let mut s = String::with_capacity(LEN + 1);
    for (i, b) in bytes.iter().enumerate() {
        if i == LEN / 2 {
            s.push('-');
        }
        s.push(ALPHABET[(b & 31) as usize] as char);
    }
    s
}

/// A typed code in its stored form (`XXXXX-XXXXX`), or `None` if it cannot be one.
pub fn normalise(input: &str) -> Option<String> {
    let mut chars = Vec::with_capacity(LEN);
    for c in input.chars() {
        if c.is_whitespace() || c == '-' {
            continue;
        }
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || chars.len() == LEN {
            return None;
        }
        chars.push(c);
    }
    if chars.len() != LEN {
        return None;
    }
    let mut s: String = chars[..LEN / 2].iter().collect();
    s.push('-');
    s.extend(&chars[LEN / 2..]);
    Some(s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        let c = from_bytes([0, 1, 2, 3, 4, 31, 30, 29, 28, 255]);
        assert_eq!(c, "01234-ZYXWZ");
        assert_eq!(normalise(" 01234 zyxwz ").unwrap(), c);
        assert_eq!(normalise("o1234-zyxwz").unwrap(), c);
        assert_eq!(normalise("0123-ZYXWZ"), None);
        assert_eq!(normalise("01234-ZYXWZU"), None);
        assert_eq!(normalise("01234-ZYXWU"), None);
    }
}
