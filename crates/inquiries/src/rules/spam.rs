//! Helpers of the spam checks: the address block a per-address limit counts under (an IPv4
//! address, or the /64 of an IPv6 address, which one subscriber usually holds whole), the hour a
//! submission is counted in, and a comparison of signatures in constant time.

use std::net::IpAddr;

/// The block an address is counted under: the IPv4 address itself (also when written as an
/// IPv4-mapped IPv6 address), the /64 prefix of an IPv6 address, the text itself when it does not
/// parse (e.g. "unknown").
pub fn address_block(ip: &str) -> String {
    match ip.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => ip.trim().to_string(),
    }
}

/// The hour (Unix seconds / 3600) a time falls in: the per-address counter's window.
pub fn hour_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(3600)
}

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
        assert_eq!(address_block("203.0.113.9"), "203.0.113.9");
        assert_eq!(address_block("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(address_block("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(address_block("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(address_block("2001:db8:1:3::1"), address_block("2001:db8:1:2::1"));
        assert_eq!(address_block("unknown"), "unknown");
        assert_eq!(hour_of(3599), 0);
        assert_eq!(hour_of(3600), 1);
        assert_eq!(hour_of(-1), -1);
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
