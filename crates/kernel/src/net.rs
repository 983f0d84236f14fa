//! Client addresses as the per-address limits count them.

use std::net::IpAddr;

/// The block an address is counted under: the IPv4 address itself (also when written as an
/// IPv4-mapped IPv6 address), the /64 prefix of an IPv6 address (one subscriber usually holds a
/// whole /64), the text itself when it does not parse (e.g. "unknown").
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        assert_eq!(address_block("203.0.113.9"), "203.0.113.9");
        assert_eq!(address_block("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(address_block("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(address_block("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(address_block("2001:db8:1:3::1"), address_block("2001:db8:1:2::1"));
        assert_eq!(address_block("unknown"), "unknown");
    }
}
