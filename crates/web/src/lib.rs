//! pbgdpl HTTP server: server-rendered Vietnamese pages, the JSON API under `/api/v1`,
//! sessions, CSRF protection and operations endpoints.

pub mod api;
pub mod app;
pub mod auth;
pub mod config;
pub mod csrf;
pub mod demo;
pub mod error;
pub mod jobs;
pub mod mail;
pub mod planning;
pub mod reporting;
pub mod routes;
pub mod state;
pub mod views;

pub use app::{build_router, prepare_database, run_server};
pub use config::Config;
pub use state::AppState;
