//! The surveys' part of the home page (a [`kernel::registry::HomeSource`]): the number of
//! surveys taking answers in the account's scope.

use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart};

use crate::msg;

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::ViewSurveys) {
        return Ok(part);
    }
    let surveys = crate::store::list(db, &user.scope.like_pattern()).await?;
    let open = surveys.iter().filter(|s| crate::service::accepting(s, day).is_ok()).count();
    if open > 0 {
        part.glance.push(Glance { label: msg::HOME_OPEN.into(), value: open as i64, of: None, href: Some("/phieu-khao-sat".into()) });
    }
    Ok(part)
}
