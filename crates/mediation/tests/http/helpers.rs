//! Grassroots mediation under test: the kernel, the plans' migrations (the shared tables of
//! `0002_plans`: files, reminders) and mediation itself, with its demo teams and cases.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{Session, TestApp, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations(), mediation::migrations()]
}

fn registry() -> Registry {
    Registry {
        menu: mediation::MENU.to_vec(),
        home_sources: vec![mediation::home::home_part],
        report_figures: vec![mediation::service::report_figures_port],
        ..Registry::default()
    }
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { mediation::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup =
    testkit::Setup { migrations, strict_migrations: false, registry, routes: mediation::routes, prepare: testkit::nothing, demo };
