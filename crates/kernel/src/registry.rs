//! What the server registers from the capability crates when it composes them, so that the
//! kernel can serve them without depending on them: menu entries, the parts of the daily
//! reminder digest, and the small interfaces (ports) through which one capability reads
//! another's data without a crate dependency. See ARCHITECTURE.md, "Capabilities and edges".

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::accounts::Account;
use crate::db::{Db, DbResult};
use crate::error::AppResult;
use crate::notify::Item;
use crate::page::MenuEntry;

pub use futures_util::future::BoxFuture;

/// A capability's part of the daily reminder digest: the (recipient account id, item) pairs due
/// on `day`, given every account. Links are absolute, built on `base_url`.
pub type ReminderSource =
    for<'a> fn(&'a Db, &'a str, NaiveDate, &'a [Account]) -> BoxFuture<'a, AppResult<Vec<(i64, Item)>>>;

/// Port: the figures recorded on the tasks of a unit's (or an agency's) issued plans between two
/// instants: (sessions, attendees, materials). Provided by `plans`, read by `reports` to prefill
/// a report.
pub type TaskFigures =
    for<'a> fn(&'a Db, i64, Option<i64>, DateTime<Utc>, DateTime<Utc>) -> BoxFuture<'a, DbResult<(i64, i64, i64)>>;

/// Everything the capabilities contributed. Built once by the server (or a test kit) and shared
/// through [`crate::state::AppState`].
#[derive(Clone, Default)]
pub struct Registry {
    /// Menu entries, in menu order, before the kernel's own.
    pub menu: Vec<MenuEntry>,
    /// Parts of the daily digest, in digest order.
    pub reminder_sources: Vec<ReminderSource>,
    pub task_figures: Option<TaskFigures>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("menu", &self.menu)
            .field("reminder_sources", &self.reminder_sources.len())
            .field("task_figures", &self.task_figures.is_some())
            .finish()
    }
}
