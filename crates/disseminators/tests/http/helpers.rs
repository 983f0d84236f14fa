//! The registries under test: the kernel, the plans' migrations (the shared tables of
//! `0002_plans`: files) and this crate, with its demo data.

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
pub use testkit::{Session, TestApp, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations(), disseminators::migrations()]
}

fn registry() -> Registry {
    Registry {
        menu: disseminators::MENU.to_vec(),
        home_sources: vec![disseminators::home::home_part],
        report_figures: vec![disseminators::report_figures_port],
        ..Registry::default()
    }
}

fn prepare(_db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { Ok(()) })
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { disseminators::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: disseminators::routes, prepare, demo };

/// The registries beside the plans (their routes, demo and ports), for the links between a
/// session and the plan task it carries out.
pub mod linked {
    use super::*;

    fn registry() -> Registry {
        Registry {
            menu: disseminators::MENU.to_vec(),
            linkable_tasks: Some(plans::store::tasks::linkable_tasks_port),
            linkable_task: Some(plans::store::tasks::linkable_task_port),
            linked_sessions: Some(disseminators::linked_sessions_port),
            ..Registry::default()
        }
    }

    fn routes(state: &kernel::state::AppState) -> axum::Router<kernel::state::AppState> {
        disseminators::routes(state).merge(plans::routes(state))
    }

    fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            plans::demo::load(db).await.map_err(|e| e.to_string())?;
            disseminators::demo::load(db).await.map_err(|e| e.to_string())?;
            disseminators::demo::link_tasks(db, plans::store::tasks::linkable_tasks_port).await.map_err(|e| e.to_string())
        })
    }

    pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes, prepare, demo };
}
