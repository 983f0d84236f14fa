//! pbgdpl kernel: what every capability crate stands on.
//!
//! - Reference data and rules without I/O: administrative units (`unit`), agencies and the
//!   matcher (`agency`), roles, scopes and the permission rule (`account`), when to remind
//!   (`reminder`), and the kernel's message catalogue (`msg`).
//! - Persistence (`db`): the `Db` enum over SQLite and PostgreSQL, the portable-SQL macros, the
//!   migration runner, and the kernel's SQL.
//! - The web foundation: configuration, state and the capability registry, sessions and
//!   authentication (`auth`), CSRF, errors, the page layout and helpers (`page`), route-table
//!   types (`routes`), the middleware, reminders and notifications (`notify`), and the core pages
//!   and API (sign-in, profile, units, agencies, accounts, audit, outbox).
//!
//! See ARCHITECTURE.md for how a capability crate is built on it.

pub mod account;
pub mod agency;
pub mod api;
pub mod audit_view;
pub mod auth;
pub mod config;
pub mod csrf;
pub mod db;
pub mod demo;
pub mod error;
pub mod heavy;
pub mod middleware;
pub mod msg;
pub mod net;
pub mod pow;
pub mod notify;
pub mod page;
pub mod page_cache;
pub mod pages;
pub mod registry;
pub mod reminder;
pub mod routes;
pub mod search_feed;
pub mod state;
pub mod unit;

// The database handle and helpers at the root, where the `with_db!` / `with_tx!` / `exec!`
// macros find them.
pub use db::{Db, DbError, DbResult, Tx, like_contains, new_token, now, token_hash};
pub use sqlx;
