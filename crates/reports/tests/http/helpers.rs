//! The reports capability under test: the kernel, reports, and (a test-only edge) the plans'
//! migrations and task figures, because prefilling a report reads task results through the
//! kernel's `TaskFigures` port.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{PASSWORD, Session, TestApp, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations(), reports::migrations()]
}

fn registry() -> Registry {
    Registry {
        menu: reports::MENU.to_vec(),
        reminder_sources: vec![reports::jobs::reminder_items],
        task_figures: Some(plans::store::tasks::task_figures_port),
        home_sources: vec![reports::home::home_part],
        known_figures: Vec::new(),
        report_figures: Vec::new(),
        ..Registry::default()
    }
}

fn prepare(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { reports::service::seed_forms(db).await.map(|_| ()).map_err(|e| e.to_string()) })
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { reports::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: reports::routes, prepare, demo };
