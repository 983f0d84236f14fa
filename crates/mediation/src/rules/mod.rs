//! Pure rules of grassroots mediation: the versioned catalogue (fields, exclusions, team
//! conditions, timing, remuneration rates), the case workflow, the team warnings, the roster
//! importer and the counts that prefill the reports. No I/O.

pub mod case;
pub mod catalogue;
pub mod roster;
pub mod stats;
pub mod team;
