//! Static assets, the development outbox, and the 404 page.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use crate::account::Action;

use crate::page::{Layout, render};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const CSS: &str = include_str!("../../static/app.css");

/// `GET /static/app.css`.
pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS).into_response()
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

pub struct MailRow {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "system/outbox.html")]
struct OutboxPage {
    l: Layout,
    smtp_configured: bool,
    sms_configured: bool,
    mails: Vec<MailRow>,
}

/// `GET /he-thong/hop-thu`: e-mails and SMS written by the system; without SMTP (e-mails) or an
/// SMS gateway (addresses `sms:…`) they stay here.
pub async fn outbox(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    use crate::db::outbox::{Channel, MAX_ATTEMPTS};
    user.require(Action::ViewOutbox)?;
    let smtp = !state.config.mail.smtp_url.is_empty();
    let sms = state.config.sms.enabled();
    let mails = crate::db::outbox::recent(&state.db, 100)
        .await?
        .into_iter()
        .map(|m| {
            let channel = Channel::of(&m.to_addr);
            let configured = match channel {
                Channel::Email => smtp,
                Channel::Sms => sms,
            };
            MailRow {
                status: match (&m.sent_at, &m.last_error) {
                    (Some(t), _) => format!("Đã gửi {}", text_vi::format_datetime(*t)),
                    (None, Some(e)) if m.attempts >= MAX_ATTEMPTS => format!("Lỗi, đã ngừng gửi: {e}"),
                    (None, Some(e)) => format!("Lỗi, sẽ gửi lại: {e}"),
                    (None, None) if configured => "Đang chờ gửi".into(),
                    (None, None) if channel == Channel::Sms => "Lưu tại hộp thư (chưa cấu hình cổng SMS)".into(),
                    (None, None) => "Lưu tại hộp thư (chưa cấu hình SMTP)".into(),
                },
                to: m.to_addr,
                subject: m.subject,
                body: m.body,
                created: text_vi::format_datetime(m.created_at),
            }
        })
        .collect();
    render(&OutboxPage { l: Layout::for_user(&user, "Hộp thư đi", "outbox"), smtp_configured: smtp, sms_configured: sms, mails })
}
