//! The portal's part of the home page (a [`kernel::registry::HomeSource`]): articles waiting
//! for an approver's decision, articles returned to writers, and the number public now.

use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart, Todo, Urgency};

use crate::msg;

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

async fn collect(db: &Db, user: &CurrentUser, _day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::WriteArticles) {
        return Ok(part);
    }
    let like = user.scope.like_pattern();
    if user.role.allows(Action::PublishArticles) {
        let waiting = crate::store::count_in_scope(db, &like, "submitted").await?;
        if waiting > 0 {
            part.todo.push(Todo { urgency: Urgency::Waiting, text: msg::HOME_WAITING.into(), detail: msg::waiting_detail(waiting), href: "/bien-tap?trang-thai=submitted".into(), due: None });
        }
    }
    let returned = crate::store::count_in_scope(db, &like, "returned").await?;
    if returned > 0 {
        part.todo.push(Todo { urgency: Urgency::Returned, text: msg::HOME_RETURNED.into(), detail: msg::returned_detail(returned), href: "/bien-tap?trang-thai=returned".into(), due: None });
    }
    let published = crate::store::count_in_scope(db, &like, "published").await?;
    part.glance.push(Glance { label: msg::HOME_PUBLIC.into(), value: published, of: None, href: Some("/bien-tap?trang-thai=published".into()) });
    Ok(part)
}
