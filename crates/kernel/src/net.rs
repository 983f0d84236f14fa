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

/// What a per-address limit stores for a client: the HMAC-SHA-256 under `key` of `purpose` and
/// the address's block ([`address_block`]), in hex (32 characters), so the table holds no address
/// and the hash cannot be reversed by trying every address without the key.
pub fn address_bucket(key: &[u8], purpose: &str, ip: &str) -> String {
    use hmac::{KeyInit, Mac};
    match <hmac::Hmac<sha2_11::Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(purpose.as_bytes());
            mac.update(&[0]);
            mac.update(address_block(ip).as_bytes());
            let mut h = hex::encode(mac.finalize().into_bytes());
            h.truncate(32);
            h
        }
        Err(_) => String::new(),
    }
}

/// The hour (Unix seconds / 3600) a time falls in: the window of the hourly counters.
pub fn hour_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(3600)
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

    #[test]
    fn buckets() {
        let a = address_bucket(b"k", "x", "2001:db8:1:2::1");
        assert_eq!(a.len(), 32);
        assert_eq!(a, address_bucket(b"k", "x", "2001:db8:1:2::9"), "one /64, one bucket");
        assert_ne!(a, address_bucket(b"k", "y", "2001:db8:1:2::1"), "the purpose separates");
        assert_ne!(a, address_bucket(b"j", "x", "2001:db8:1:2::1"), "the key separates");
        assert_eq!((hour_of(3599), hour_of(3600), hour_of(-1)), (0, 1, -1));
    }
}
