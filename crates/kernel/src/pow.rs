//! The proof of work (bằng chứng công việc) that public forms ask of a browser instead of a
//! third-party captcha: a counter such that SHA-256(`challenge:counter`) starts with a number of
//! zero bits. The challenge's format (what it signs, when it expires) is each capability's.

use sha2::{Digest, Sha256};

/// Number of leading zero bits of a hash.
pub fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut n = 0;
    for b in hash {
        if *b == 0 {
            n += 8;
        } else {
            n += b.leading_zeros();
            break;
        }
    }
    n
}

/// Whether `counter` solves `challenge` at `bits`. The counter is 1 to 20 decimal digits.
pub fn solves(challenge: &str, counter: &str, bits: u32) -> bool {
    if counter.is_empty() || counter.len() > 20 || !counter.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let hash = Sha256::digest(format!("{challenge}:{counter}").as_bytes());
    leading_zero_bits(&hash) >= bits
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_found_counter_solves_and_others_do_not() {
        let ch = "99.abcdef01.0123456789abcdef";
        let found = (0u64..).find(|n| solves(ch, &n.to_string(), 8)).unwrap();
        assert!(solves(ch, &found.to_string(), 8));
        assert!(!solves(ch, "x", 0) && !solves(ch, "", 0) && !solves(ch, "123456789012345678901", 0));
        assert_eq!(leading_zero_bits(&[0, 0x10]), 11);
        assert_eq!(leading_zero_bits(&[0x80]), 0);
    }
}
