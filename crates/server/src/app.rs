//! Server assembly: the capability crates composed into one application, database
//! preparation, and serving with graceful shutdown.

use std::net::SocketAddr;

use axum::Router;
use kernel::db::{Db, DbError, MigrationSet};
use kernel::page::MenuEntry;
use kernel::registry::Registry;

use crate::{AppState, Config};

/// Every migration set, kernel first. The schema is their union, applied in version order.
pub fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations(), reports::migrations(), legal_access::migrations(), surveys::migrations(), mediation::migrations(), disseminators::migrations(), bookshelf::migrations(), portal::migrations(), inquiries::migrations(), contests::migrations(), drafts::migrations()]
}

/// What the capabilities contribute to the kernel: menu entries (in menu order), the parts of
/// the daily reminder digest (in digest order), and the ports between capabilities.
pub fn registry() -> Registry {
    let mut menu: Vec<MenuEntry> = Vec::new();
    menu.extend_from_slice(plans::MENU);
    menu.extend_from_slice(reports::MENU);
    menu.extend_from_slice(legal_access::MENU);
    menu.extend_from_slice(surveys::MENU);
    menu.extend_from_slice(mediation::MENU);
    menu.extend_from_slice(disseminators::MENU);
    menu.extend_from_slice(bookshelf::MENU);
    menu.extend_from_slice(portal::MENU);
    menu.extend_from_slice(inquiries::MENU);
    menu.extend_from_slice(contests::MENU);
    menu.extend_from_slice(drafts::MENU);
    Registry {
        menu,
        reminder_sources: vec![plans::jobs::reminder_items, reports::jobs::reminder_items, inquiries::jobs::reminder_items],
        task_figures: Some(plans::store::tasks::task_figures_port),
        home_sources: vec![reports::home::home_part, plans::home::home_part, legal_access::home::home_part, surveys::home::home_part, mediation::home::home_part, disseminators::home::home_part, bookshelf::home::home_part, portal::home::home_part, inquiries::home::home_part, drafts::home::home_part],
        known_figures: vec![
            plans::store::tasks::known_figures_port,
            surveys::service::known_figures_port,
            mediation::service::known_figures_port,
            disseminators::known_figures_port,
        ],
        report_figures: vec![mediation::service::report_figures_port, disseminators::report_figures_port, legal_access::service::report_figures_port, bookshelf::report_figures_port, contests::service::report_figures_port],
        linkable_tasks: Some(plans::store::tasks::linkable_tasks_port),
        linkable_task: Some(plans::store::tasks::linkable_task_port),
        linked_sessions: Some(disseminators::linked_sessions_port),
        public_links: [portal::PUBLIC_LINKS, bookshelf::PUBLIC_LINKS, inquiries::PUBLIC_LINKS, legal_access::PUBLIC_LINKS, contests::PUBLIC_LINKS, drafts::PUBLIC_LINKS, search::PUBLIC_LINKS].concat(),
        public_home: Some(portal::public::home),
        legal_doc_refs: Some(bookshelf::legal_doc_refs_port),
        public_unit_sources: vec![mediation::public_unit::section, legal_access::public_unit::section, bookshelf::public_unit::section],
    }
}

/// The application state with every capability registered.
pub fn state(db: Db, config: Config) -> AppState {
    AppState::with_registry(db, config, registry())
}

/// The routes of every capability (pages and API) and the server's own, without the kernel's.
pub fn capability_routes(state: &AppState) -> Router<AppState> {
    plans::routes(state).merge(reports::routes(state)).merge(legal_access::routes(state)).merge(surveys::routes(state))
        .merge(mediation::routes(state))
        .merge(disseminators::routes(state))
        .merge(bookshelf::routes(state))
        .merge(portal::routes(state))
        .merge(inquiries::routes(state))
        .merge(contests::routes(state))
        .merge(drafts::routes(state))
        .merge(search::routes(state))
        .merge(crate::api::router())
}

/// The whole application: the kernel's routes and every capability's, inside the kernel's middleware.
pub fn build_router(state: AppState) -> Router {
    let routes = kernel::routes::assemble(capability_routes(&state));
    kernel::middleware::wrap(routes, state)
}

/// What each capability does once the schema is in place: the reports store the shipped form
/// versions that are missing, the legal-access standard its shipped rule sets.
pub async fn prepare_capabilities(db: &Db) -> Result<(), DbError> {
    let forms = reports::service::seed_forms(db).await?;
    if forms > 0 {
        tracing::info!(forms, "stored the shipped report form versions");
    }
    let rulesets = legal_access::service::seed_rulesets(db).await?;
    if rulesets > 0 {
        tracing::info!(rulesets, "stored the shipped legal-access rule sets");
    }
    mediation::store::clear_book_cache(db).await?;
    let fed = backfill_search_feed(db).await?;
    if fed > 0 {
        tracing::info!(fed, "wrote the published items into the search feed");
    }
    Ok(())
}

/// The settings key that records that the search feed was backfilled.
const SEARCH_FEED_BACKFILL: &str = "search_feed_backfill_v1";

/// Once per database: writes what the capabilities published before the search feed existed
/// into it (`kernel::search_feed`); from then on every write keeps it in step. Instances that
/// start together may both run it, which is harmless (each item is put again as it stands).
/// Returns how many items it put.
async fn backfill_search_feed(db: &Db) -> Result<u64, DbError> {
    let done: Option<(String,)> = kernel::with_db!(db, p => kernel::sqlx::query_as("SELECT value FROM settings WHERE key = $1")
        .bind(SEARCH_FEED_BACKFILL).fetch_optional(p).await)?;
    if done.is_some() {
        return Ok(0);
    }
    let fed = portal::service::feed_all(db).await?
        + bookshelf::service::feed_all(db).await?
        + inquiries::service::feed_all(db).await?
        + drafts::service::feed_all(db).await?;
    kernel::db::settings::get_or_create(db, SEARCH_FEED_BACKFILL, || kernel::now().to_rfc3339()).await?;
    Ok(fed)
}

/// Migrates the database, prepares the capabilities, and loads the shipped reference data
/// (administrative units) when the units table is empty. Returns the number of units loaded.
pub async fn prepare_database(db: &Db) -> Result<usize, DbError> {
    db.migrate(&migrations()).await?;
    prepare_capabilities(db).await?;
    kernel::db::units::load_if_empty(db).await
}

/// Serves until SIGTERM or Ctrl-C, then drains in-flight requests.
pub async fn run_server(config: Config, db: Db) -> anyhow::Result<()> {
    let addr: SocketAddr = config.listen.parse()?;
    if !config.cookies_secure() {
        tracing::warn!(base_url = %config.base_url, "cookies are sent without the Secure flag: serve pbgdpl over HTTPS (base_url = \"https://…\") outside a test machine");
    }
    let state = state(db.clone(), config);
    crate::mail::spawn_worker(state.clone());
    crate::jobs::spawn(state.clone());
    // The search index is a cache of the database's feed: built now, then kept current.
    search::start(&state);
    let app = build_router(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "pbgdpl listening");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    db.close().await;
    tracing::info!("pbgdpl stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}


#[cfg(test)]
mod tests {
    use super::*;

    /// Shipped migrations never change: sqlx refuses a database whose applied migration's
    /// checksum differs. (version, SQLite checksum prefix, PostgreSQL checksum prefix), SHA-384 hex.
    const SHIPPED: &[(i64, &str, &str)] = &[
        (1, "3f772cab7dbf085393259a20", "6299e3a26a119765ece539c3"),
        (2, "a0a3f3187d679b1c9a6fe7a8", "914936c4e60bf32a56f1395a"),
        (3, "635512a514dbcc02af36412d", "45d270be5ecaa67f5914511b"),
        (4, "516d223253d57917a477ed7a", "9aca8b420fddcd0b3f7c4492"),
        (5, "b201f8b666794d0532c08c69", "b201f8b666794d0532c08c69"),
        (6, "d65505b45e7d33b292b31159", "f30a4555f26d8348d083dc8c"),
        (7, "c28f87a3917d88ef5a2c4448", "3183f381bf73832019012687"),
        (8, "abaa42c41308b9b21a54fbad", "88834a464f7cec06644ddc0d"),
        (9, "405b3ef4481977fe00181464", "5dc49e3136dfaf0c1daee6c8"),
        (10, "2c134b452f75ab6b1606a405", "512080e69c59835efdf3e9c1"),
        (11, "0840066cb7d0369920d0c8f0", "d0e58dd2e40bfc5ae905458f"),
        (12, "ab54889a5c232d1e4f9211d6", "3d30b7f85669bd44c3752040"),
        (13, "c4f0603798802d61f21012dd", "c67568f1aa7464c2b3941ee2"),
        (14, "940acf6e60e0ea5d4d34e132", "682ddecdbe57b81b1675b9d5"),
        (15, "214c5a56fc417501b65f8ba8", "d78dc466692febc69c41321e"),
        (16, "ce248d6039998c7a8b129fb9", "f36976d364f64f29f1c08321"),
        (17, "4ebb4e09574db523a6a0910a", "0e0fd6e5dbefcd758389b867"),
        (18, "666c8121b3886ea3e8306b86", "96f6afb18190a25d9fd8d670"),
        (19, "93fa033e41a9ef0bb8e0f348", "a5474328b4f73d8e2a8999d9"),
        (20, "cb7cb474fef43b4a51dbd521", "33e643e0313abd35374a5523"),
        (21, "58ed660527cd9a08f872e162", "53094bf835b2103bfe5c7eaa"),
        (22, "ca295d1ac48c42c5fc6d6cc3", "ca295d1ac48c42c5fc6d6cc3"),
        (23, "b3f0b7cd05530dabd021c7d1", "b3f0b7cd05530dabd021c7d1"),
    ];

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn shipped_migrations_are_unchanged_and_merge() {
        let sets = migrations();
        let merged = MigrationSet::merge(&sets);
        assert!(merged.is_ok(), "{:?}", merged.err());
        for (version, lite, pg) in SHIPPED {
            let find = |m: &kernel::sqlx::migrate::Migrator| m.iter().find(|x| x.version == *version).map(|x| hex(&x.checksum));
            let (l, p) = sets.iter().find_map(|s| Some((find(&s.sqlite)?, find(&s.postgres)?))).unwrap_or_default();
            assert!(l.starts_with(lite), "SQLite migration {version} changed: {l}");
            assert!(p.starts_with(pg), "PostgreSQL migration {version} changed: {p}");
        }
    }
}
