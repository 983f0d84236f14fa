//! One error type for pages and one for the JSON API, each mapped once to a response.
//! Internals are logged with the request id and never shown.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use crate::msg;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("must change password")]
    MustChangePassword,
    #[error("csrf")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("internal: {0}")]
    Internal(String),
    /// The server cannot do this now or as installed (no font for PDF, every worker busy); the
    /// message says what to do, in Vietnamese.
    #[error("unavailable: {0}")]
    Unavailable(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        match e {
            crate::db::DbError::NotFound => AppError::NotFound,
            crate::db::DbError::BadText => AppError::BadRequest(msg::BAD_TEXT.into()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// Attached to error pages so that a middleware can re-render them inside the signed-in
/// user's layout (with the menu), which the error itself does not know.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub message: String,
}

#[derive(Template)]
#[template(path = "error_in_layout.html")]
pub struct ErrorInLayout {
    pub l: crate::page::Layout,
    pub status: u16,
    pub message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::MustChangePassword => StatusCode::SEE_OTHER,
            AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            AppError::NotFound => msg::NOT_FOUND,
            AppError::Forbidden => msg::FORBIDDEN,
            AppError::Unauthenticated => msg::UNAUTHENTICATED,
            AppError::MustChangePassword => msg::MUST_CHANGE_PASSWORD,
            AppError::Csrf => msg::CSRF_FAILED,
            AppError::BadRequest(m) | AppError::Unavailable(m) => m,
            AppError::Internal(_) => msg::INTERNAL,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(error = %detail, "internal error");
        }
        if let AppError::Unauthenticated = self {
            return axum::response::Redirect::to("/dang-nhap").into_response();
        }
        if let AppError::MustChangePassword = self {
            return axum::response::Redirect::to("/doi-mat-khau").into_response();
        }
        let status = self.status();
        let page = ErrorPage { status: status.as_u16(), message: self.message() };
        let body = page.render().unwrap_or_else(|_| msg::INTERNAL.to_string());
        let mut resp = (status, Html(body)).into_response();
        resp.extensions_mut().insert(ErrorInfo { message: self.message().to_string() });
        resp
    }
}

/// Errors of the JSON API, answered as `{"error": code, "message": Vietnamese text}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into() }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", msg::NOT_FOUND)
    }
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", msg::FORBIDDEN)
    }
    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", msg::UNAUTHENTICATED)
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let code = match e {
            AppError::NotFound => "not_found",
            AppError::Forbidden | AppError::Csrf => "forbidden",
            AppError::Unauthenticated | AppError::MustChangePassword => "unauthenticated",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(ref d) => {
                tracing::error!(error = %d, "internal error");
                "internal"
            }
        };
        ApiError::new(e.status(), code, e.message().to_string())
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        AppError::from(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.code, "message": self.message});
        (self.status, Json(body)).into_response()
    }
}
