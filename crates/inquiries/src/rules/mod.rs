//! Pure rules of questions and feedback: the answer deadline in working days, the tracking code,
//! the proof-of-work and text challenges and the address blocks against spam, the check of a
//! public text for the sender's personal data, the kinds and statuses. No I/O.

pub mod challenge;
pub mod code;
pub mod deadline;
pub mod pow;
pub mod privacy;
pub mod spam;
pub mod status;

pub use deadline::{DueState, add_working_days, due_state};
pub use status::{Kind, Status};
