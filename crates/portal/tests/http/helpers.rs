//! The portal under test: the kernel, the plans' migrations (the shared `files` table of
//! `0002_plans`) and the portal, with the portal's demo data.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{Session, TestApp, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations(), portal::migrations()]
}

fn registry() -> Registry {
    Registry {
        menu: portal::MENU.to_vec(),
        home_sources: vec![portal::home::home_part],
        public_links: portal::PUBLIC_LINKS.to_vec(),
        public_home: Some(portal::public::home),
        ..Registry::default()
    }
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { portal::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: portal::routes, prepare: testkit::nothing, demo };

/// The id in a redirect to `/bien-tap/{id}?…`.
pub fn article_id(r: &reqwest::Response) -> i64 {
    let loc = location(r);
    loc.trim_start_matches("/bien-tap/").split('?').next().unwrap().parse().unwrap_or_else(|_| panic!("no article id in {loc}"))
}

/// An article's id by its title.
pub async fn id_of(app: &TestApp, title: &str) -> i64 {
    portal::store::list_in_scope(&app.db, "%", None, 1000).await.unwrap().into_iter().find(|a| a.title == title).unwrap_or_else(|| panic!("no article {title}")).id
}

/// "dd/mm/yyyy hh:mm" in Vietnam time, `minutes` from now.
pub fn vn_time(minutes: i64) -> String {
    portal::rules::when::format_when(chrono::Utc::now() + chrono::Duration::minutes(minutes))
}
