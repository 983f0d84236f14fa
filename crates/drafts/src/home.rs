//! Its part of the home page (a [`kernel::registry::HomeSource`]): for the drafts of units in
//! scope, those whose period is over with comments still waiting for a reception or explanation,
//! those whose period ends within a week, and the number taking comments now.

use chrono::{Duration, NaiveDate};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart, Todo, Urgency};

use crate::msg;
use crate::rules::Phase;
use crate::service::phase_of;

/// Days before the end of a period when a draft shows on the home page.
pub const ENDS_SOON_DAYS: i64 = 7;

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::ManageDrafts) {
        return Ok(part);
    }
    let mut open = 0;
    for d in crate::store::drafts_in(db, &user.scope.like_pattern()).await?.into_iter().filter(|d| d.status == "published") {
        match phase_of(&d, day) {
            Phase::Closed => {
                let waiting = crate::store::unanswered(db, d.id).await?;
                if waiting > 0 {
                    part.todo.push(Todo { urgency: Urgency::Waiting, text: msg::home_waiting(&d.title), detail: msg::home_waiting_detail(waiting), href: format!("/du-thao-quan-ly/{}#gop-y", d.id), due: None });
                }
            }
            Phase::Open => {
                open += 1;
                if d.closes_on <= day + Duration::days(ENDS_SOON_DAYS - 1) {
                    part.todo.push(Todo { urgency: Urgency::DueSoon, text: msg::home_ends_soon(&d.title), detail: String::new(), href: format!("/du-thao-quan-ly/{}", d.id), due: Some(d.closes_on) });
                }
            }
            Phase::Upcoming => {}
        }
    }
    part.glance.push(Glance { label: msg::GLANCE_OPEN.into(), value: open, of: None, href: Some("/du-thao-quan-ly".into()) });
    Ok(part)
}
