//! The bookshelf under test: the kernel, the plans' migrations (the shared `files` table of
//! `0002_plans`) and this crate, with its demo data.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{TestApp, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations(), bookshelf::migrations()]
}

fn registry() -> Registry {
    Registry {
        menu: bookshelf::MENU.to_vec(),
        home_sources: vec![bookshelf::home::home_part],
        report_figures: vec![bookshelf::report_figures_port],
        ..Registry::default()
    }
}

fn prepare(_db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { Ok(()) })
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { bookshelf::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: bookshelf::routes, prepare, demo };

/// The id of a document of the demo province's library (Lạng Sơn) by its number.
pub async fn document_id(app: &TestApp, number: &str) -> i64 {
    let province = kernel::db::units::by_code(&app.db, kernel::demo::PROVINCE_CODE, kernel::page::today()).await.unwrap();
    bookshelf::store::document_by_key(&app.db, province.id, &bookshelf::rules::number::key(number)).await.unwrap().unwrap().id
}

/// A bearer token of a demo account.
pub async fn token(app: &TestApp, user: &str) -> String {
    let id = app.account_id(user).await;
    let mut tx = app.db.begin().await.unwrap();
    let (secret, _) = kernel::db::sessions::create_token(&mut tx, id, "t", chrono::Duration::days(1)).await.unwrap();
    tx.commit().await.unwrap();
    secret
}
