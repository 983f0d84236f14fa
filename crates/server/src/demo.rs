//! Demo data (`pbgdpl serve --demo`): the kernel's (Lạng Sơn, its agencies and five accounts),
//! then each capability's.

use kernel::db::Db;
use kernel::error::AppError;

pub use kernel::demo::needed;

/// Loads the whole demo into an empty database.
pub async fn load(db: &Db, password: &str) -> Result<(), AppError> {
    kernel::demo::load(db, password).await?;
    load_capabilities(db).await
}

/// The capabilities' demo data, loaded after the kernel's.
pub async fn load_capabilities(db: &Db) -> Result<(), AppError> {
    plans::demo::load(db).await?;
    reports::demo::load(db).await?;
    legal_access::demo::load(db).await?;
    surveys::demo::load(db).await?;
    mediation::demo::load(db).await?;
    disseminators::demo::load(db).await?;
    bookshelf::demo::load(db).await?;
    portal::demo::load(db).await?;
    inquiries::demo::load_with(db, Some(bookshelf::legal_doc_refs_port)).await?;
    contests::demo::load(db).await?;
    drafts::demo::load(db).await?;
    // A demo session carries out a task of the demo plan (through the port, as the pages link).
    disseminators::demo::link_tasks(db, plans::store::tasks::linkable_tasks_port).await
}
