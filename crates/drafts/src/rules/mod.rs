//! Pure rules of draft-policy communication: splitting a draft's text into its articles and
//! clauses, the comment period's phase, the channels a comment arrives by. No I/O.

pub mod channel;
pub mod outline;
pub mod period;

pub use channel::Channel;
pub use outline::{Part, parse};
pub use period::{Phase, phase};
