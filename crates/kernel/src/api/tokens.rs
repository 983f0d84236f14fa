//! API tokens: `POST /api/v1/tokens` exchanges a username and password for a bearer token;
//! callers list and revoke their own tokens.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use crate::db::audit::{self, Entry};
use crate::account::{Action, Role};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::params::{ApiResult, Error, clean_field, json_body, parse_id, path_segment};
use super::{Caller, ErrorBody, must_change_password};
use crate::auth::{self, LoginError};
use crate::error::ApiError;
use crate::state::AppState;
use crate::page::ReqMeta;

/// Longest token name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Name of a token created without one.
pub const DEFAULT_NAME: &str = "api";
/// Longest accepted username and password, in characters (longer input is refused before any
/// password hashing).
const MAX_CREDENTIAL_CHARS: usize = 1024;

/// A username and password to exchange for a token.
// Fields left out are read as empty, so that the answer names the missing one (`param`); the
// schema still marks the username and password required, since a request without them fails.
#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Not blank; at most 1024 characters.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 1024, pattern = r"\S")]
    pub username: String,
    /// At most 1024 characters.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 1024)]
    pub password: String,
    /// Optional label for the token (at most 100 characters); `api` when absent or blank.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    /// The secret; shown only once. Send it as `Authorization: Bearer <token>`.
    pub token: String,
    pub id: i64,
    pub name: String,
    pub expires_at: DateTime<Utc>,
}

/// One of the caller's tokens (never the secret).
#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Neither revoked nor expired.
    pub active: bool,
    /// The token this request was made with.
    pub current: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenDto>,
}

fn login_error(e: &LoginError) -> ApiError {
    let (status, code) = match e {
        LoginError::Failed => (StatusCode::UNAUTHORIZED, "login_failed"),
        LoginError::Throttled => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
        LoginError::Inactive => (StatusCode::FORBIDDEN, "inactive"),
    };
    ApiError::new(status, code, e.message())
}

/// The configured token lifetime, kept within 1 day – 10 years so that date arithmetic cannot
/// overflow whatever the configuration says.
fn token_ttl(days: i64) -> chrono::Duration {
    chrono::Duration::days(days.clamp(1, 3650))
}

/// `POST /api/v1/tokens`.
#[utoipa::path(
    post, operation_id = "create_token", path = "/api/v1/tokens", tag = "tokens",
    summary = "Cấp mã truy cập bằng tên đăng nhập và mật khẩu",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "Created", body = TokenCreated),
        (status = 400, description = "Unreadable body, or a field missing, blank or too long (`param` names it)", body = ErrorBody),
        (status = 401, description = "Wrong username or password (`login_failed`)", body = ErrorBody),
        (status = 403, description = "`inactive`, `must_change_password` or `forbidden`", body = ErrorBody),
        (status = 413, description = "Body larger than the configured limit (`payload_too_large`)", body = ErrorBody),
        (status = 429, description = "Too many failed logins from this address, or at this username from this address (`throttled`)", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    meta: ReqMeta,
    body: Result<Json<TokenRequest>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<TokenCreated>)> {
    let req = json_body(body)?;
    if req.username.trim().is_empty() {
        return Err(Error::invalid("username", crate::msg::REQUIRED));
    }
    if req.password.is_empty() {
        return Err(Error::invalid("password", crate::msg::REQUIRED));
    }
    if req.username.chars().count() > MAX_CREDENTIAL_CHARS {
        return Err(Error::invalid("username", crate::msg::TOO_LONG));
    }
    if req.password.chars().count() > MAX_CREDENTIAL_CHARS {
        return Err(Error::invalid("password", crate::msg::TOO_LONG));
    }
    // Counted before trimming as well, as the schema's `maxLength` counts.
    if req.name.as_deref().is_some_and(|n| n.chars().count() > MAX_NAME_CHARS) {
        return Err(Error::invalid("name", crate::msg::TOO_LONG));
    }
    let name = clean_field(req.name.as_deref(), "name", MAX_NAME_CHARS)?.unwrap_or_else(|| DEFAULT_NAME.to_string());
    let username = req.username.trim().to_lowercase();
    let account = auth::check_login(&state, &username, &req.password, &meta.ip)
        .await
        .map_err(|e| login_error(&e))?;
    if account.must_change_password {
        return Err(must_change_password().into());
    }
    if !Role::parse(&account.role).is_some_and(|r| r.allows(Action::UseApi)) {
        return Err(ApiError::forbidden().into());
    }
    let ttl = token_ttl(state.config.session.api_token_days);
    let mut tx = state.db.begin().await?;
    crate::db::accounts::record_success(&mut tx, account.id).await?;
    crate::db::sessions::record_attempt(&mut tx, &username, &meta.ip, true).await?;
    let (secret, id) = crate::db::sessions::create_token(&mut tx, account.id, &name, ttl).await?;
    let expires_at = crate::db::now() + ttl;
    let actor = crate::db::audit::Actor {
        account_id: Some(account.id),
        username: Some(account.username.clone()),
        request_id: meta.request_id.clone(),
        ip: Some(meta.ip.clone()),
    };
    audit::record(&mut tx, &actor, Entry {
        action: "create_token",
        entity: "api_token",
        entity_id: Some(id.to_string()),
        unit_id: Some(account.unit_id),
        summary: format!("Cấp mã truy cập API #{id} ({name}) cho {}", account.username),
        before: None,
        after: Some(json!({"name": name, "expires_at": expires_at})),
    })
    .await?;
    tx.commit().await?;
    // The stored expiry differs from ours by the microseconds between the two clock readings.
    let expires_at = crate::db::sessions::list_tokens(&state.db, account.id)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .and_then(|t| t.expires_at)
        .unwrap_or(expires_at);
    Ok((StatusCode::CREATED, Json(TokenCreated { token: secret, id, name, expires_at })))
}

/// `GET /api/v1/tokens`.
#[utoipa::path(
    get, operation_id = "list_tokens", path = "/api/v1/tokens", tag = "tokens",
    summary = "Các mã truy cập của chính người gọi",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = TokenList),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<TokenList>> {
    let now = crate::db::now();
    let items = crate::db::sessions::list_tokens(&state.db, caller.account.id)
        .await?
        .into_iter()
        .map(|t| TokenDto {
            active: t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now),
            current: t.id == caller.token_id,
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
        })
        .collect();
    Ok(Json(TokenList { items }))
}

/// `DELETE /api/v1/tokens/{id}`.
#[utoipa::path(
    delete, operation_id = "revoke_token", path = "/api/v1/tokens/{id}", tag = "tokens",
    summary = "Thu hồi một mã truy cập của chính người gọi",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "Not the caller's token, or already revoked", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    meta: ReqMeta,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&path_segment(id, "id")?)?;
    let mut tx = state.db.begin().await?;
    crate::db::sessions::revoke_token(&mut tx, caller.account.id, id).await?;
    audit::record(&mut tx, &caller.actor(&meta), Entry {
        action: "revoke_token",
        entity: "api_token",
        entity_id: Some(id.to_string()),
        unit_id: Some(caller.account.unit_id),
        summary: format!("Thu hồi mã truy cập #{id}"),
        before: None,
        after: None,
    })
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_is_bounded() {
        assert_eq!(token_ttl(90), chrono::Duration::days(90));
        assert_eq!(token_ttl(0), chrono::Duration::days(1));
        assert_eq!(token_ttl(i64::MAX), chrono::Duration::days(3650));
    }

    #[test]
    fn login_errors_map_to_statuses() {
        assert_eq!(login_error(&LoginError::Failed).status, StatusCode::UNAUTHORIZED);
        assert_eq!(login_error(&LoginError::Throttled).status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(login_error(&LoginError::Inactive).message, crate::msg::ACCOUNT_INACTIVE);
    }
}
