//! Search under test: the kernel (which owns the feed) and the search page; the feed is filled
//! by the tests themselves through `kernel::search_feed`.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::TestApp;

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations()]
}

fn registry() -> Registry {
    Registry { public_links: search::PUBLIC_LINKS.to_vec(), ..Registry::default() }
}

fn demo(_db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async { Ok(()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: search::routes, prepare: testkit::nothing, demo };
