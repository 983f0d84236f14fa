//! pbgdpl domain: types and pure rules, free of I/O.

pub mod account;
pub mod agency;
pub mod msg;
pub mod unit;
