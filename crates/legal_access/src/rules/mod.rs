//! Pure rules of the legal-access standard: rule sets as data, scoring, the workflow.
//! No I/O here.

pub mod ruleset;
pub mod score;
pub mod state;
