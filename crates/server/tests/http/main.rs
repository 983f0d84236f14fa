//! HTTP-level tests against the real server on a real database. One binary; each test gets a
//! fresh database (a copy of a migrated SQLite template, or a PostgreSQL database created from
//! a template). `PBGDPL_TEST_DB=sqlite|postgres` picks the backend; `scripts/test.sh` runs both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::result_large_err)]

mod helpers;

mod accounts;
mod api;

mod audit;
mod backup;
mod config;
mod home;
mod hostile;
mod mail;
mod permissions;
mod prefill;
mod public_api;
mod public_units;
mod schema;
mod search;
mod security;
mod sms;
mod units;
