//! The whole server under test: every capability, through the kernel's test kit, prepared and
//! filled with demo data by the server's own functions.

use kernel::db::Db;
use kernel::registry::BoxFuture;
pub use testkit::{PASSWORD, TestApp, csrf_in, location};

fn prepare(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { server::app::prepare_capabilities(db).await.map_err(|e| e.to_string()) })
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { server::demo::load_capabilities(db).await.map_err(|e| e.to_string()) })
}

/// The server's composition: every migration (applied strictly, as in production), the full
/// registry, every capability's routes.
pub const SETUP: testkit::Setup = testkit::Setup {
    migrations: server::app::migrations,
    strict_migrations: true,
    registry: server::registry,
    routes: server::app::capability_routes,
    prepare,
    demo,
};

/// A fresh database migrated and prepared like the server's.
pub async fn fresh_db(kind: &str) -> (Db, Option<tempfile::TempDir>) {
    testkit::fresh_db(kind, &SETUP).await
}
