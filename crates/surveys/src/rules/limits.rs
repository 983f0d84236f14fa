//! Abuse limits on public answering (giới hạn chống gửi tràn), without personal data: counted
//! per source address and per device cookie (both stored only as salted hashes), in the
//! database so that they hold across instances.

/// Answers accepted from one address in one [`WINDOW_MINUTES`] window: generous, since a school
/// or a commune office shares one address.
pub const PER_IP: i64 = 60;
/// Answers accepted from one device (browser cookie) in one window.
pub const PER_DEVICE: i64 = 10;
/// The counting window.
pub const WINDOW_MINUTES: i64 = 60;
/// A proof-of-work challenge is valid this long after the page was served.
pub const CHALLENGE_MINUTES: i64 = 120;

/// Whether another answer is refused, given how many were counted in the window.
pub fn over(counted: i64, limit: i64) -> bool {
    counted >= limit
}
