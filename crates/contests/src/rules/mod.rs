//! Pure rules of the contests: the question and its validation, the draw by quotas with the
//! shuffles, the timer and its grace, the attempt policy, the ranking by configured keys, the
//! round's settings as data, the question bank's sheet and Word layout, the collective prizes
//! for units, and the most-missed questions of the live statistics. No I/O here.

pub mod bank;
pub mod collective;
pub mod docx_bank;
pub mod draw;
pub mod missed;
pub mod policy;
pub mod ranking;
pub mod settings;
pub mod timer;
