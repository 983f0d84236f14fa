//! Pure rules of the legal-access standard: rule sets as data, scoring, the workflow, and the
//! counts behind the periodic report.
//! No I/O here.

pub mod report;
pub mod ruleset;
pub mod score;
pub mod state;
