//! The contests capability under test: the kernel and contests, with the demo contest.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{Session, TestApp, csrf_in, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), contests::migrations()]
}

fn registry() -> Registry {
    Registry { menu: contests::MENU.to_vec(), public_links: contests::PUBLIC_LINKS.to_vec(), ..Registry::default() }
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { contests::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: contests::routes, prepare: testkit::nothing, demo };
