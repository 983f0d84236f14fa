//! HTTP-level tests of the contests capability against the real middleware on a real database,
//! through the kernel's test kit. `PBGDPL_TEST_DB=sqlite|postgres` picks the backend.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::result_large_err)]

mod helpers;

mod api;
mod collective;
mod contests;
mod docx_import;
