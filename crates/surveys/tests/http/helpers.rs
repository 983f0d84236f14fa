//! The surveys capability under test: the kernel and surveys, with the surveys' demo survey.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{Session, TestApp, csrf_in, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), surveys::migrations()]
}

fn registry() -> Registry {
    Registry { menu: surveys::MENU.to_vec(), reminder_sources: vec![], task_figures: None, home_sources: vec![surveys::home::home_part], known_figures: Vec::new(), report_figures: Vec::new(), ..Registry::default() }
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { surveys::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: surveys::routes, prepare: testkit::nothing, demo };
