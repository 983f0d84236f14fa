//! Its part of the home page (a [`kernel::registry::HomeSource`]): items overdue or due soon in
//! scope, items waiting to be routed (the province) and answers waiting to be published, and
//! the numbers open and published, all counted in the database.

use chrono::{Duration, NaiveDate};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart, Todo, Urgency};

use crate::msg;
use crate::rules::deadline::DUE_SOON_DAYS;

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::HandleInquiries) {
        return Ok(part);
    }
    let like = user.scope.like_pattern();
    let count = |routed_too: bool, statuses: &'static [&'static str], due: Option<(NaiveDate, NaiveDate)>| {
        let like = like.clone();
        async move { crate::store::count_in_scope(db, &crate::store::ScopeCount { like: &like, routed_too, statuses, due }).await }
    };
    const OPEN_ROUTED: &[&str] = &["assigned", "answered"];
    let far = NaiveDate::default();
    // Overdue: due before today; due soon: today up to DUE_SOON_DAYS - 1 days ahead (rules::due_state).
    let (overdue, first_overdue) = count(true, OPEN_ROUTED, Some((far, day - Duration::days(1)))).await?;
    let (soon, first_soon) = count(true, OPEN_ROUTED, Some((day, day + Duration::days(DUE_SOON_DAYS - 1)))).await?;
    if let Some((id, due)) = first_overdue {
        part.todo.push(Todo { urgency: Urgency::Overdue, text: msg::HOME_OVERDUE.into(), detail: msg::count_detail(overdue), href: format!("/hoi-dap-quan-ly/{id}"), due: Some(due) });
    }
    if let Some((id, due)) = first_soon {
        part.todo.push(Todo { urgency: Urgency::DueSoon, text: msg::HOME_DUE_SOON.into(), detail: msg::count_detail(soon), href: format!("/hoi-dap-quan-ly/{id}"), due: Some(due) });
    }
    let (received, _) = count(false, &["received"], None).await?;
    if received > 0 {
        part.todo.push(Todo { urgency: Urgency::Waiting, text: msg::HOME_INBOX.into(), detail: msg::count_detail(received), href: "/hoi-dap-quan-ly?trang-thai=received".into(), due: None });
    }
    if user.role.allows(Action::PublishInquiries) {
        let (waiting, _) = count(false, &["answered"], None).await?;
        if waiting > 0 {
            part.todo.push(Todo { urgency: Urgency::Waiting, text: msg::HOME_WAITING.into(), detail: msg::count_detail(waiting), href: "/hoi-dap-quan-ly?trang-thai=answered".into(), due: None });
        }
    }
    let (open_count, _) = count(true, &["received", "assigned", "answered"], None).await?;
    let (published, _) = count(true, &["published"], None).await?;
    part.glance.push(Glance { label: msg::GLANCE_OPEN.into(), value: open_count, of: None, href: Some("/hoi-dap-quan-ly".into()) });
    part.glance.push(Glance { label: msg::GLANCE_PUBLISHED.into(), value: published, of: None, href: Some("/hoi-dap".into()) });
    Ok(part)
}
