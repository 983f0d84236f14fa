//! Its part of the home page (a [`kernel::registry::HomeSource`]): items overdue or due soon in
//! scope, items waiting to be routed (the province) and answers waiting to be published, and
//! the numbers open and published.

use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart, Todo, Urgency};

use crate::msg;
use crate::rules::{DueState, due_state};

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::HandleInquiries) {
        return Ok(part);
    }
    let like = user.scope.like_pattern();
    let items = crate::store::list_in_scope(db, &like, None, 2000).await?;
    let open: Vec<_> = items.iter().filter(|i| matches!(i.status.as_str(), "assigned" | "answered")).collect();
    let overdue: Vec<_> = open.iter().filter(|i| i.due_on.is_some_and(|d| due_state(d, day) == DueState::Overdue)).collect();
    let soon: Vec<_> = open.iter().filter(|i| i.due_on.is_some_and(|d| due_state(d, day) == DueState::DueSoon)).collect();
    if let Some(first) = overdue.first() {
        part.todo.push(Todo { urgency: Urgency::Overdue, text: msg::HOME_OVERDUE.into(), detail: msg::count_detail(overdue.len() as i64), href: format!("/hoi-dap-quan-ly/{}", first.id), due: first.due_on });
    }
    if let Some(first) = soon.first() {
        part.todo.push(Todo { urgency: Urgency::DueSoon, text: msg::HOME_DUE_SOON.into(), detail: msg::count_detail(soon.len() as i64), href: format!("/hoi-dap-quan-ly/{}", first.id), due: first.due_on });
    }
    let received = items.iter().filter(|i| i.status == "received" && user.scope.contains(&i.inbox_path)).count() as i64;
    if received > 0 {
        part.todo.push(Todo { urgency: Urgency::Waiting, text: msg::HOME_INBOX.into(), detail: msg::count_detail(received), href: "/hoi-dap-quan-ly?trang-thai=received".into(), due: None });
    }
    if user.role.allows(Action::PublishInquiries) {
        let waiting = items.iter().filter(|i| i.status == "answered" && user.scope.contains(&i.inbox_path)).count() as i64;
        if waiting > 0 {
            part.todo.push(Todo { urgency: Urgency::Waiting, text: msg::HOME_WAITING.into(), detail: msg::count_detail(waiting), href: "/hoi-dap-quan-ly?trang-thai=answered".into(), due: None });
        }
    }
    let open_count = items.iter().filter(|i| matches!(i.status.as_str(), "received" | "assigned" | "answered")).count() as i64;
    let published = items.iter().filter(|i| i.status == "published").count() as i64;
    part.glance.push(Glance { label: msg::GLANCE_OPEN.into(), value: open_count, of: None, href: Some("/hoi-dap-quan-ly".into()) });
    part.glance.push(Glance { label: msg::GLANCE_PUBLISHED.into(), value: published, of: None, href: Some("/hoi-dap".into()) });
    Ok(part)
}
