//! The middleware every application is wrapped in, and the health and metrics endpoints.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

#[derive(Clone, Default)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let id = crate::db::new_token();
        HeaderValue::from_str(&id[..16]).ok().map(RequestId::new)
    }
}

async fn track_metrics(req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "path" => path.clone(), "status" => status).increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "path" => path).record(start.elapsed().as_secs_f64());
    resp
}

/// Turns axum's plain-text extractor rejections (bad path ids, malformed forms) into the
/// Vietnamese error page, or a JSON problem under `/api/`.
async fn friendly_rejections(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let resp = next.run(req).await;
    let status = resp.status();
    let plain = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    if !(status.is_client_error() && plain) || status == StatusCode::UNAUTHORIZED {
        return resp;
    }
    let message = match status {
        StatusCode::NOT_FOUND => crate::msg::NOT_FOUND,
        StatusCode::PAYLOAD_TOO_LARGE => crate::msg::TOO_LARGE,
        StatusCode::REQUEST_TIMEOUT => crate::msg::TIMEOUT,
        _ => crate::msg::BAD_REQUEST,
    };
    if api {
        return crate::error::ApiError::new(status, "bad_request", message).into_response();
    }
    let mut page = crate::error::AppError::BadRequest(message.to_string()).into_response();
    *page.status_mut() = status;
    page
}

/// Re-renders error pages inside the layout of the signed-in user, so the menu stays.
async fn errors_in_layout(axum::extract::State(state): axum::extract::State<AppState>, req: Request, next: Next) -> Response {
    let jar = axum_extra::extract::cookie::CookieJar::from_headers(req.headers());
    let resp = next.run(req).await;
    let Some(info) = resp.extensions().get::<crate::error::ErrorInfo>().cloned() else { return resp };
    let Ok(Some(user)) = crate::auth::user_from_jar(&state, &jar).await else { return resp };
    if user.account.must_change_password {
        return resp;
    }
    let status = resp.status();
    let page = crate::error::ErrorInLayout {
        l: crate::page::Layout::for_user(&user, format!("Lỗi {}", status.as_u16()), ""),
        status: status.as_u16(),
        message: info.message,
    };
    match askama::Template::render(&page) {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(_) => resp,
    }
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"),
    );
    resp
}

/// Compress what compresses: not Office files (DOCX, XLSX are zip archives), PDFs or zips,
/// which gzip would only spend CPU on (besides the defaults: images, gRPC, event streams).
fn worth_compressing() -> impl tower_http::compression::Predicate {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    DefaultPredicate::new()
        .and(NotForContentType::const_new("application/vnd.openxmlformats-officedocument."))
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/zip"))
}

/// Wraps the routes of an application (the kernel's and the capabilities', already merged) with
/// the real middleware: CSRF guard, Vietnamese error pages, metrics, security headers, body
/// limit, timeout, compression, tracing and request ids. The server and the test kit both use it.
pub fn wrap(routes: Router<AppState>, state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let timeout = Duration::from_secs(state.config.limits.request_timeout_secs);
    let body_limit = crate::csrf::upload_limit(&state).max(state.config.limits.body_bytes);
    routes
        .fallback(crate::pages::system::not_found)
        .with_state(state.clone())
        .layer(middleware::from_fn_with_state(state.clone(), crate::csrf::guard))
        .layer(middleware::from_fn(friendly_rejections))
        .layer(middleware::from_fn_with_state(state.clone(), errors_in_layout))
        .layer(middleware::from_fn(track_metrics))
        .layer(middleware::from_fn(security_headers))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(CompressionLayer::new().compress_when(worth_compressing()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let rid = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %rid)
        }))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, RandomRequestId))
}

/// `GET /healthz`: 200 when the database answers.
pub async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text format.
///
/// With `metrics_token` set, only with `Authorization: Bearer <token>`; without it, only to
/// connections from this machine. Anyone else gets the ordinary 404 page.
pub async fn metrics_endpoint(
    axum::extract::State(state): axum::extract::State<AppState>,
    extensions: axum::http::Extensions,
    headers: axum::http::HeaderMap,
) -> Response {
    let token = state.config.metrics_token.trim();
    let peer = extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0);
    let allowed = if token.is_empty() {
        peer.is_some_and(|p| p.ip().is_loopback())
    } else {
        let given = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
        crate::db::token_hash(given) == crate::db::token_hash(token)
    };
    if !allowed {
        return crate::error::AppError::NotFound.into_response();
    }
    let body = state.metrics.as_ref().map(|h| h.render()).unwrap_or_default();
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
