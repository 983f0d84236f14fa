//! CSRF protection for every state-changing page request: the browser's `Sec-Fetch-Site` /
//! `Origin` must be same-origin, and the form must carry the session's synchronizer token (or,
//! before login, the value of the anonymous CSRF cookie). The JSON API uses bearer tokens and
//! no cookies, so it is exempt.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;

use crate::auth::{ANON_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::AppError;
use crate::state::AppState;

pub const FIELD: &str = "_csrf";

/// Whether the request comes from our own origin, judged as browsers report it.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some("null") => false,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
            origin
                .split_once("://")
                .map(|(_, rest)| rest.trim_end_matches('/'))
                .is_some_and(|o| o.eq_ignore_ascii_case(host))
        }
    }
}

/// Constant-time comparison of two tokens.
fn tokens_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

/// Largest accepted multipart body: one upload plus the other form fields.
pub fn upload_limit(state: &AppState) -> usize {
    state.config.limits.upload_bytes.saturating_add(256 * 1024)
}

/// The `_csrf` field of a multipart form (forms put it first, so this reads little).
async fn multipart_token(content_type: &str, body: axum::body::Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    for _ in 0..32 {
        let field = mp.next_field().await.ok()??;
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    if !same_origin(req.headers()) {
        return AppError::Csrf.into_response();
    }
    let jar = CookieJar::from_headers(req.headers());
    let session = match jar.get(SESSION_COOKIE) {
        Some(c) => match crate::db::sessions::find(&state.db, c.value()).await {
            Ok(s) => s,
            Err(e) => return AppError::from(e).into_response(),
        },
        None => None,
    };
    let expected = match session {
        Some(s) => Some(s.csrf_token),
        None => {
            // Before login: the signed cookie's value, and only if this system signed it.
            let key = match state.csrf_key().await {
                Ok(k) => k,
                Err(e) => return AppError::from(e).into_response(),
            };
            jar.get(ANON_CSRF_COOKIE).map(|c| c.value().to_string()).filter(|v| crate::auth::anon_csrf_valid(key, v))
        }
    };
    let Some(expected) = expected else { return AppError::Csrf.into_response() };
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let (parts, body) = req.into_parts();
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let is_multipart = content_type.starts_with("multipart/form-data");
    let limit = if is_multipart { upload_limit(&state) } else { state.config.limits.body_bytes };
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return AppError::BadRequest(crate::msg::TOO_LARGE.into()).into_response(),
    };
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let given = match header_token {
        Some(t) => Some(t),
        None if is_form => form_token(&bytes),
        None if is_multipart => multipart_token(&content_type, bytes.clone()).await,
        None => None,
    };
    if !given.is_some_and(|g| tokens_equal(&g, &expected)) {
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origin_rules() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(!same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h));
    }

    proptest::proptest! {
        #[test]
        fn form_parsing_never_panics(body in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = form_token(&body);
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    }

    proptest::proptest! {
        #[test]
        fn multipart_parsing_never_panics(body in proptest::collection::vec(proptest::num::u8::ANY, 0..400), boundary in "[a-zA-Z0-9]{0,20}") {
            let ct = format!("multipart/form-data; boundary={boundary}");
            let _ = block_on(multipart_token(&ct, axum::body::Bytes::from(body)));
        }
    }

    #[test]
    fn finds_the_token_in_a_multipart_form() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--XyZ--\r\n";
        let got = block_on(multipart_token("multipart/form-data; boundary=XyZ", axum::body::Bytes::from(body)));
        assert_eq!(got.as_deref(), Some("tok123"));
        assert_eq!(block_on(multipart_token("multipart/form-data", axum::body::Bytes::from(body))), None);
    }

    #[test]
    fn finds_the_token_among_fields() {
        assert_eq!(form_token(b"a=1&_csrf=abc%20d&b=2").as_deref(), Some("abc d"));
        assert_eq!(form_token(b"a=1"), None);
    }

    #[test]
    fn token_compare() {
        assert!(tokens_equal("abc", "abc"));
        assert!(!tokens_equal("abc", "abd"));
        assert!(!tokens_equal("abc", "abcd"));
    }
}
