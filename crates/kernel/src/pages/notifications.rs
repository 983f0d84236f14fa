//! In-app notifications (thông báo): the account's own list and "mark all read".

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::session::FlashQuery;
use crate::auth::CurrentUser;
use crate::db::audit::{self, Entry};
use crate::error::AppResult;
use crate::page::{Layout, ReqMeta, render};
use crate::state::AppState;

pub struct NotificationRow {
    pub at: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notify/notifications.html")]
struct NotificationsPage {
    l: Layout,
    rows: Vec<NotificationRow>,
}

/// `GET /thong-bao`: the account's own notifications.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let list = crate::db::reminders::notifications(&state.db, user.account.id, 100).await?;
    render(&NotificationsPage {
        l: Layout::for_user(&user, "Thông báo", "notifications").with_flash(q.tb.as_deref()),
        rows: list
            .into_iter()
            .map(|n| NotificationRow {
                at: text_vi::format_datetime(n.created_at),
                subject: n.subject,
                body: n.body,
                link: n.link.filter(|l| l.starts_with('/')).unwrap_or_default(),
                unread: n.read_at.is_none(),
            })
            .collect(),
    })
}

/// `POST /thong-bao/da-doc`.
pub async fn mark_read(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let n = crate::db::reminders::mark_all_read(&mut tx, user.account.id).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "update", entity: "notification", entity_id: None, unit_id: Some(user.account.unit_id),
        summary: format!("Đánh dấu {n} thông báo là đã đọc"), before: None, after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/thong-bao?tb=notifications_read").into_response())
}
