//! Pure rules of the contests: the question and its validation, the draw by quotas with the
//! shuffles, the timer and its grace, the attempt policy, the ranking by configured keys, the
//! round's settings as data, and the question bank's sheet and Word layout. No I/O here.

pub mod bank;
pub mod docx_bank;
pub mod draw;
pub mod policy;
pub mod ranking;
pub mod settings;
pub mod timer;
