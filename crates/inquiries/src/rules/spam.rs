//! Helpers of the spam checks: the address block a per-address limit counts under (an IPv4
//! address, or the /64 of an IPv6 address, which one subscriber usually holds whole), the hour a
//! submission is counted in, and a comparison of signatures in constant time.

pub use kernel::net::{address_block, hour_of};

/// Whether two strings are equal, taking the same time whatever their first difference.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_hours_and_comparison() {
        assert_eq!(address_block("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(hour_of(3599), 0);
        assert_eq!(hour_of(3600), 1);
        assert_eq!(hour_of(-1), -1);
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
