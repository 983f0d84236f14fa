//! Abuse limits on public answering (giới hạn chống gửi tràn), without personal data: counted
//! per source address and per device cookie (both stored only as salted hashes), in the
//! database so that they hold across instances. The limits themselves are settings
//! (`[surveys]` in pbgdpl.toml, `kernel::config::SurveysConfig`).

/// Whether another answer is refused, given how many were counted in the window. A limit of 0
/// refuses every public answer.
pub fn over(counted: i64, limit: i64) -> bool {
    counted >= limit
}
