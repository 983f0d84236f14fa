//! Browsing the audit log, filtered and limited to the administrator's scope.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use crate::db::audit::AuditFilter;
use crate::account::Action;
use serde::Deserialize;

use crate::page::{FieldErrors, Layout, clean, render};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

pub struct AuditLine {
    pub at: String,
    pub username: String,
    pub unit: String,
    pub action: String,
    pub entity: String,
    pub summary: String,
    /// The fields that changed: (label, before, after).
    pub changes: Vec<crate::audit_view::Change>,
    pub request_id: String,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    nguoi_dung: String,
    #[serde(default)]
    doi_tuong: String,
    #[serde(default)]
    tu_ngay: String,
    #[serde(default)]
    den_ngay: String,
    #[serde(default)]
    trang: Option<i64>,
}

#[derive(Template)]
#[template(path = "audit/index.html")]
struct AuditPage {
    l: Layout,
    q: AuditQuery,
    errors: FieldErrors,
    lines: Vec<AuditLine>,
    page: i64,
    has_next: bool,
}

const PAGE_SIZE: i64 = 50;

/// `GET /nhat-ky`.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<AuditQuery>) -> AppResult<Response> {
    user.require(Action::ViewAudit)?;
    let mut errors = FieldErrors::default();
    let mut date = |field: &'static str, s: &str| {
        if s.trim().is_empty() {
            return None;
        }
        text_vi::parse_date(s).map_err(|e| errors.add(field, e.to_string())).ok()
    };
    let from = date("tu_ngay", &q.tu_ngay);
    let to = date("den_ngay", &q.den_ngay);
    let page = q.trang.unwrap_or(1).max(1);
    let filter = AuditFilter {
        scope_pattern: user.scope.like_pattern(),
        username: Some(clean(&q.nguoi_dung).to_lowercase()).filter(|s| !s.is_empty()),
        entity: Some(clean(&q.doi_tuong)).filter(|s| !s.is_empty()),
        action: None,
        from,
        to,
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
    };
    let mut rows = crate::db::audit::list(&state.db, &filter).await?;
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let lines = rows
        .into_iter()
        .map(|r| AuditLine {
            at: text_vi::format_datetime(r.at),
            username: r.username.unwrap_or_default(),
            unit: r.unit_name.unwrap_or_default(),
            action: crate::audit_view::action_label(&r.action).to_string(),
            entity: crate::audit_view::entity_label(&r.entity).to_string(),
            summary: r.summary,
            changes: crate::audit_view::changes(r.before_data.as_ref().map(|j| &j.0), r.after_data.as_ref().map(|j| &j.0)),
            request_id: r.request_id.unwrap_or_default(),
        })
        .collect();
    render(&AuditPage { l: Layout::for_user(&user, "Nhật ký hệ thống", "audit"), q, errors, lines, page, has_next })
}
