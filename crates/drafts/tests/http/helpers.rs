//! The drafts capability under test: the kernel, the plans' migrations (the shared `files` table
//! of `0002_plans`) and drafts, with the demo draft.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{TestApp, csrf_in, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations(), drafts::migrations()]
}

fn registry() -> Registry {
    Registry { menu: drafts::MENU.to_vec(), public_links: drafts::PUBLIC_LINKS.to_vec(), ..Registry::default() }
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { drafts::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: drafts::routes, prepare: testkit::nothing, demo };
