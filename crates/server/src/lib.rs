//! pbgdpl server: the only crate that knows every capability. It composes their routers, menu
//! entries, reminder sources, migrations, OpenAPI paths and demo data, and runs the job loop and
//! the outbox worker (e-mail over SMTP, SMS through an HTTP gateway).

pub mod api;
pub mod app;
pub mod demo;
pub mod jobs;
pub mod mail;
pub mod routes;
pub mod sms;

pub use app::{build_router, prepare_database, registry, run_server, state};
pub use kernel::config::{self, Config};
pub use kernel::state::AppState;
