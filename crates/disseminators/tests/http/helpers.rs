//! The registries under test: the kernel, the plans' migrations (the shared tables of
//! `0002_plans`: files) and this crate, with its demo data.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{Session, TestApp, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations(), disseminators::migrations()]
}

fn registry() -> Registry {
    Registry {
        menu: disseminators::MENU.to_vec(),
        home_sources: vec![disseminators::home::home_part],
        report_figures: vec![disseminators::report_figures_port],
        ..Registry::default()
    }
}

fn prepare(_db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { Ok(()) })
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { disseminators::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: disseminators::routes, prepare, demo };
