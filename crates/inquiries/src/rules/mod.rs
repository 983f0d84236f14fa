//! Pure rules of questions and feedback: the answer deadline in working days, the tracking code,
//! the proof-of-work and text challenges against spam, the kinds and statuses. No I/O.

pub mod challenge;
pub mod code;
pub mod deadline;
pub mod pow;
pub mod status;

pub use deadline::{DueState, add_working_days, due_state};
pub use status::{Kind, Status};
