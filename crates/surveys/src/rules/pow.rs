//! The proof of work (bằng chứng công việc) that a public survey may require instead of a
//! third-party captcha: the server issues a signed challenge; the browser finds a counter such
//! that SHA-256(`challenge:counter`) starts with [`BITS`] zero bits (about 2^BITS hashes, a
//! second or two on a cheap phone) and sends it with the answers. The signature (made by the
//! caller, with the server's key) makes challenges unforgeable; their expiry and single use are
//! checked by the caller.

/// Leading zero bits asked for.
pub const BITS: u32 = 16;

pub use kernel::pow::{leading_zero_bits, solves};

/// A challenge's parts: `survey.expires.nonce.signature`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge<'a> {
    pub survey_id: i64,
    /// Unix seconds after which it is refused.
    pub expires: i64,
    pub nonce: &'a str,
    pub signature: &'a str,
}

impl<'a> Challenge<'a> {
    /// The signed part (everything but the signature).
    pub fn payload(survey_id: i64, expires: i64, nonce: &str) -> String {
        format!("{survey_id}.{expires}.{nonce}")
    }

    pub fn parse(s: &'a str) -> Option<Challenge<'a>> {
        let mut it = s.split('.');
        let survey_id = it.next()?.parse().ok()?;
        let expires = it.next()?.parse().ok()?;
        let nonce = it.next()?;
        let signature = it.next()?;
        if it.next().is_some() || nonce.is_empty() || nonce.len() > 64 || signature.len() > 128 {
            return None;
        }
        Some(Challenge { survey_id, expires, nonce, signature })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_found_counter_solves_and_others_do_not() {
        let ch = "1.99.abc.sig";
        let found = (0u64..).find(|n| solves(ch, &n.to_string(), 8)).unwrap();
        assert!(solves(ch, &found.to_string(), 8));
        assert!(!solves(ch, "x", 0));
        assert!(!solves(ch, "", 0));
        assert_eq!(leading_zero_bits(&[0, 0x10]), 11);
        assert_eq!(Challenge::parse("3.100.n.s"), Some(Challenge { survey_id: 3, expires: 100, nonce: "n", signature: "s" }));
        assert_eq!(Challenge::parse("3.100.n"), None);
        assert_eq!(Challenge::parse("3.100.n.s.t"), None);
    }
}
