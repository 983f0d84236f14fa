//! pbgdpl domain: types and pure rules, free of I/O.

pub mod account;
pub mod agency;
pub mod msg;
pub mod plan;
pub mod report;
pub mod unit;
