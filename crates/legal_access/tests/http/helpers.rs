//! The legal-access standard under test: the kernel, the plans' migrations (the shared tables
//! of `0002_plans`: files) and the `plans.issued` figure through the kernel's `KnownFigures`
//! port, and the legal-access standard itself.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{Session, TestApp, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations(), legal_access::migrations()]
}

fn registry() -> Registry {
    Registry {
        menu: legal_access::MENU.to_vec(),
        home_sources: vec![legal_access::home::home_part],
        known_figures: vec![plans::store::tasks::known_figures_port],
        ..Registry::default()
    }
}

fn prepare(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { legal_access::service::seed_rulesets(db).await.map(|_| ()).map_err(|e| e.to_string()) })
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { legal_access::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: legal_access::routes, prepare, demo };
