//! The bookshelf's part of the home page (a [`kernel::registry::HomeSource`]): for those who
//! keep the documents, how many there are; for a commune's officers, what its bookshelf holds.

use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart};

use crate::{msg, service, store};

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::ManageBookshelf) {
        return Ok(part);
    }
    if service::keeps_library(&user.principal()) {
        let n = store::documents(db, &store::DocFilter::default()).await?.iter().filter(|d| user.scope.contains(&d.unit_path)).count() as i64;
        part.glance.push(Glance { label: msg::HOME_DOCUMENTS.into(), value: n, of: None, href: Some("/tu-sach/quan-ly".into()) });
    }
    let unit = kernel::db::units::get(db, user.account.unit_id).await?;
    if unit.level == "commune" {
        let c = crate::rules::shelf::count(store::shelf_items(db, unit.id).await?.iter().map(|i| (i.added_on, i.removed_on)), day, day);
        part.glance.push(Glance { label: msg::HOME_SHELF.into(), value: c.held, of: None, href: Some(format!("/tu-sach/quan-ly/xa/{}", unit.id)) });
    }
    Ok(part)
}
