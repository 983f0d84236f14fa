//! Pure rules of draft-policy communication: splitting a draft's text into its articles and
//! clauses, the comment period's phase. No I/O.

pub mod outline;
pub mod period;

pub use outline::{Part, parse};
pub use period::{Phase, phase};
