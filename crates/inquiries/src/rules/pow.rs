//! The proof of work (bằng chứng công việc) asked of a public submission instead of a
//! third-party captcha: the server issues a signed challenge `expires.nonce.signature`; the
//! browser finds a counter such that SHA-256(`challenge:counter`) starts with [`BITS`] zero bits
//! and sends it with the form. The signature (an HMAC made by the caller with the server's key)
//! makes challenges unforgeable; the caller checks expiry and single use (the nonce is recorded).
//! The same signed challenge carries the text question of the fallback without JavaScript
//! ([`super::challenge`]).

/// Leading zero bits asked for (about 2^16 hashes: well under a second on a cheap phone).
pub const BITS: u32 = 16;

pub use kernel::pow::{leading_zero_bits, solves};

/// A challenge's parts: `expires.nonce.signature`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge<'a> {
    /// Unix seconds after which it is refused.
    pub expires: i64,
    /// Random, 8 to 64 characters of `[0-9a-f]`.
    pub nonce: &'a str,
    pub signature: &'a str,
}

impl<'a> Challenge<'a> {
    /// The signed part (everything but the signature).
    pub fn payload(expires: i64, nonce: &str) -> String {
        format!("{expires}.{nonce}")
    }

    pub fn parse(s: &'a str) -> Option<Challenge<'a>> {
        if s.len() > 200 {
            return None;
        }
        let mut it = s.split('.');
        let expires_s = it.next()?;
        if expires_s.is_empty() || expires_s.len() > 12 || !expires_s.bytes().all(|b| b.is_ascii_digit()) || (expires_s.len() > 1 && expires_s.starts_with('0')) {
            return None;
        }
        let expires = expires_s.parse().ok()?;
        let nonce = it.next()?;
        let signature = it.next()?;
        let hex = |t: &str| t.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        if it.next().is_some() || !(8..=64).contains(&nonce.len()) || !hex(nonce) || !(16..=64).contains(&signature.len()) || !hex(signature) {
            return None;
        }
        Some(Challenge { expires, nonce, signature })
    }
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
        assert!(!solves(ch, "x", 0));
        assert!(!solves(ch, "", 0));
        assert!(!solves(ch, "123456789012345678901", 0));
        assert_eq!(leading_zero_bits(&[0, 0x10]), 11);
        assert_eq!(Challenge::parse(ch), Some(Challenge { expires: 99, nonce: "abcdef01", signature: "0123456789abcdef" }));
        assert_eq!(Challenge::parse("99.abcdef01"), None);
        assert_eq!(Challenge::parse("99.abcdef01.0123456789abcdef.x"), None);
        assert_eq!(Challenge::parse("-9.abcdef01.0123456789abcdef"), None);
        assert_eq!(Challenge::parse("99.ABCDEF01.0123456789abcdef"), None);
    }
}
