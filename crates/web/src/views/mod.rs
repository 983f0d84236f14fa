//! Server-rendered pages, split by domain. Each handler extracts, checks the permission against
//! the account's scope, calls the repository, and renders one template.

use std::collections::BTreeMap;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use domain::account::Action;
use domain::msg;

use crate::auth::CurrentUser;
use crate::error::AppResult;

pub mod accounts;
pub mod agencies;
pub mod audit;
pub mod home;
pub mod plans;
pub mod profile;
pub mod progress;
pub mod reminders;
pub mod reports;
pub mod session;
pub mod system;
pub mod tasks;
pub mod units;

/// A navigation entry; only capabilities the account may use are listed.
#[derive(Clone, Debug)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub key: &'static str,
}

/// What every page's layout needs.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub title: String,
    pub active: &'static str,
    pub csrf: String,
    pub user_name: Option<String>,
    pub user_role: String,
    pub user_unit: String,
    pub nav: Vec<NavItem>,
    pub flash: Option<&'static str>,
}

pub fn nav_for(user: &CurrentUser) -> Vec<NavItem> {
    let mut v = vec![NavItem { href: "/", label: "Tổng quan", key: "home" }];
    let items = [
        (Action::ViewPlans, "/ke-hoach", "Kế hoạch", "plans"),
        (Action::ViewPlans, "/tien-do", "Tiến độ", "progress"),
        (Action::ViewPlans, "/nhac-viec", "Nhắc việc", "reminders"),
        (Action::ViewReports, "/bao-cao", "Báo cáo", "reports"),
        (Action::ViewUnits, "/don-vi", "Đơn vị hành chính", "units"),
        (Action::ViewAgencies, "/co-quan", "Cơ quan, tổ chức", "agencies"),
        (Action::ViewAccounts, "/tai-khoan", "Tài khoản", "accounts"),
        (Action::ViewAudit, "/nhat-ky", "Nhật ký hệ thống", "audit"),
        (Action::ViewOutbox, "/he-thong/hop-thu", "Hộp thư đi", "outbox"),
    ];
    for (action, href, label, key) in items {
        if user.role.allows(action) {
            v.push(NavItem { href, label, key });
        }
    }
    v.push(NavItem { href: "/thong-bao", label: "Thông báo", key: "notifications" });
    v.push(NavItem { href: "/ca-nhan", label: "Cá nhân", key: "profile" });
    v
}

impl Layout {
    pub fn for_user(user: &CurrentUser, title: impl Into<String>, active: &'static str) -> Layout {
        Layout {
            title: title.into(),
            active,
            csrf: user.csrf.clone(),
            user_name: Some(user.account.full_name.clone()),
            user_role: user.role.label().to_string(),
            user_unit: user.account.unit_name.clone(),
            nav: nav_for(user),
            flash: None,
        }
    }

    pub fn anonymous(title: impl Into<String>, csrf: String) -> Layout {
        Layout { title: title.into(), csrf, ..Layout::default() }
    }

    pub fn with_flash(mut self, key: Option<&str>) -> Layout {
        self.flash = key.and_then(flash_message);
        self
    }
}

/// Notices passed through a redirect as `?tb=key`; only known keys are shown.
pub fn flash_message(key: &str) -> Option<&'static str> {
    Some(match key {
        "account_created" => msg::ACCOUNT_CREATED,
        "account_updated" => msg::ACCOUNT_UPDATED,
        "account_deactivated" => msg::ACCOUNT_DEACTIVATED,
        "account_activated" => msg::ACCOUNT_ACTIVATED,
        "password_reset" => msg::PASSWORD_RESET_BY_ADMIN,
        "password_changed" => msg::PASSWORD_CHANGED,
        "agency_saved" => msg::AGENCY_SAVED,
        "village_created" => msg::VILLAGE_CREATED,
        "profile_saved" => msg::PROFILE_SAVED,
        "token_revoked" => msg::TOKEN_REVOKED,
        "reset_sent" => msg::RESET_SENT,
        "reset_done" => msg::RESET_DONE,
        "plan_imported" => msg::plans::IMPORTED,
        "plan_saved" => msg::plans::SAVED,
        "plan_created" => msg::plans::CREATED,
        "plan_issued" => msg::plans::ISSUED,
        "plan_closed" => msg::plans::CLOSED,
        "plan_deleted" => msg::plans::DELETED,
        "plan_copied" => msg::plans::COPIED,
        "implementing_created" => msg::plans::IMPLEMENTING_CREATED,
        "task_saved" => msg::plans::TASK_SAVED,
        "task_deleted" => msg::plans::TASK_DELETED,
        "task_updated" => msg::plans::TASK_UPDATED,
        "reminders_sent" => msg::plans::REMINDERS_SENT,
        "reminder_settings_saved" => msg::plans::REMINDER_SETTINGS_SAVED,
        "notifications_read" => msg::plans::NOTIFICATIONS_READ,
        _ => return None,
    })
}

/// Validation errors by field name, shown beside each field.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(pub BTreeMap<&'static str, Vec<String>>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_default().push(message.into());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The joined messages for a field, or an empty string.
    pub fn get(&self, field: &str) -> String {
        self.0.get(field).map(|v| v.join(" ")).unwrap_or_default()
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }
}

/// Renders a template as a full HTML page.
pub fn render<T: Template>(t: &T) -> AppResult<Response> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a form again with status 422 after validation failed.
pub fn render_invalid<T: Template>(t: &T) -> AppResult<Response> {
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(t.render()?)).into_response())
}

/// Trims and NFC-normalises a text field.
pub fn clean(s: &str) -> String {
    text_vi::nfc(s.trim())
}

pub fn opt_clean(s: &str) -> Option<String> {
    let c = clean(s);
    (!c.is_empty()).then_some(c)
}

pub fn fmt_date(d: Option<NaiveDate>) -> String {
    d.map(text_vi::format_date).unwrap_or_default()
}

/// "từ 01/07/2025", "đến 30/06/2025", or both.
pub fn validity(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("{} – {}", text_vi::format_date(f), text_vi::format_date(t)),
        (Some(f), None) => format!("từ {}", text_vi::format_date(f)),
        (None, Some(t)) => format!("đến {}", text_vi::format_date(t)),
        (None, None) => String::new(),
    }
}

/// Today in Vietnam (UTC+7).
pub fn today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// The request id set by the middleware, for audit entries.
pub fn request_id(headers: &axum::http::HeaderMap) -> Option<String> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// The caller's address as seen by the server.
pub fn client_ip(addr: Option<std::net::SocketAddr>) -> String {
    addr.map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// Request metadata for audit entries: request id and client address. Never fails.
#[derive(Clone, Debug)]
pub struct ReqMeta {
    pub request_id: Option<String>,
    pub ip: String,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ReqMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0);
        Ok(ReqMeta { request_id: request_id(&parts.headers), ip: client_ip(addr) })
    }
}

impl ReqMeta {
    pub fn actor(&self, user: &CurrentUser) -> db::audit::Actor {
        db::audit::Actor {
            account_id: Some(user.account.id),
            username: Some(user.account.username.clone()),
            request_id: self.request_id.clone(),
            ip: Some(self.ip.clone()),
        }
    }

    pub fn anonymous(&self, username: Option<String>) -> db::audit::Actor {
        db::audit::Actor { account_id: None, username, request_id: self.request_id.clone(), ip: Some(self.ip.clone()) }
    }
}
