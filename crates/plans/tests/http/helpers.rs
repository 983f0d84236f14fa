//! The plans capability under test: the kernel and plans, nothing else.

use kernel::db::MigrationSet;
use kernel::registry::Registry;
pub use testkit::{Session, TestApp, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), plans::migrations()]
}

fn registry() -> Registry {
    Registry { menu: plans::MENU.to_vec(), reminder_sources: vec![plans::jobs::reminder_items], task_figures: None, home_sources: vec![plans::home::home_part], known_figures: Vec::new(), report_figures: Vec::new(), ..Registry::default() }
}

pub const SETUP: testkit::Setup = testkit::Setup {
    migrations,
    strict_migrations: false,
    registry,
    routes: plans::routes,
    prepare: testkit::nothing,
    demo: testkit::nothing,
};
