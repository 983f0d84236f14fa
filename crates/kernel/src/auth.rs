//! Authentication: Argon2id passwords, database-backed sessions, bearer tokens, login throttling
//! and lockout, and the `CurrentUser` / `ApiUser` extractors that carry the account's scope.

use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Duration;
use crate::db::accounts::Account;
use crate::account::{Action, Role, Scope};
use crate::msg;

use crate::error::{ApiError, AppError};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "pbgdpl_session";
pub const ANON_CSRF_COOKIE: &str = "pbgdpl_csrf";

/// Hashes a password with Argon2id off the async runtime.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Verifies a password against a stored PHC string off the async runtime.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}


/// Who is acting, for services shared by the pages and the API: the account, its role and its
/// scope, however it authenticated.
#[derive(Clone, Copy, Debug)]
pub struct Principal<'a> {
    pub account: &'a Account,
    pub role: Role,
    pub scope: &'a Scope,
}

impl Principal<'_> {
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.role.allows(action) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

/// The signed-in account with its role and scope, resolved once per request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub account: Account,
    pub role: Role,
    pub scope: Scope,
    pub session_id: String,
    pub csrf: String,
    /// What the capabilities registered (the menu is built from it).
    pub registry: std::sync::Arc<crate::registry::Registry>,
}

impl CurrentUser {
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.role.allows(action) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// The account, role and scope, as services shared by pages and the API take them.
    pub fn principal(&self) -> Principal<'_> {
        Principal { account: &self.account, role: self.role, scope: &self.scope }
    }

}

pub fn scope_of(account: &Account, role: Role) -> Scope {
    Scope { global: role == Role::SystemAdmin, unit_path: account.unit_path.clone() }
}

/// Why `CurrentUser` could not be produced for a page.
fn session_secret(jar: &CookieJar) -> Option<String> {
    jar.get(SESSION_COOKIE).map(|c| c.value().to_string())
}

/// Resolves the session cookie to a user, or `None`.
pub async fn user_from_jar(state: &AppState, jar: &CookieJar) -> Result<Option<CurrentUser>, AppError> {
    let Some(secret) = session_secret(jar) else { return Ok(None) };
    let Some(session) = crate::db::sessions::find(&state.db, &secret).await? else { return Ok(None) };
    let account = match crate::db::accounts::get(&state.db, session.account_id).await {
        Ok(a) => a,
        Err(crate::db::DbError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if !account.active {
        return Ok(None);
    }
    let Some(role) = Role::parse(&account.role) else { return Ok(None) };
    let cfg = &state.config.session;
    crate::db::sessions::touch(
        &state.db,
        &session,
        Duration::minutes(cfg.idle_minutes),
        Duration::hours(cfg.absolute_hours),
    )
    .await?;
    let scope = scope_of(&account, role);
    Ok(Some(CurrentUser { scope, role, account, session_id: session.id, csrf: session.csrf_token, registry: state.registry.clone() }))
}

/// A page request by a signed-in user who has changed the initial password.
impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let user = user_from_jar(state, &jar).await?.ok_or(AppError::Unauthenticated)?;
        if user.account.must_change_password {
            return Err(AppError::MustChangePassword);
        }
        Ok(user)
    }
}

/// A signed-in user who may still have to change the password (the change-password page itself).
pub struct PendingUser(pub CurrentUser);

impl FromRequestParts<AppState> for PendingUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let user = user_from_jar(state, &jar).await?.ok_or(AppError::Unauthenticated)?;
        Ok(PendingUser(user))
    }
}

/// An API caller authenticated by `Authorization: Bearer …`.
#[derive(Clone, Debug)]
pub struct ApiUser {
    pub account: Account,
    pub role: Role,
    pub scope: Scope,
    pub token_id: i64,
}

impl ApiUser {
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if self.role.allows(action) { Ok(()) } else { Err(ApiError::forbidden()) }
    }

    pub fn principal(&self) -> Principal<'_> {
        Principal { account: &self.account, role: self.role, scope: &self.scope }
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthenticated)?;
        let secret = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .ok_or_else(ApiError::unauthenticated)?
            .trim();
        let token = crate::db::sessions::find_token(&state.db, secret)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        let account = crate::db::accounts::get(&state.db, token.account_id).await.map_err(|e| match e {
            crate::db::DbError::NotFound => ApiError::unauthenticated(),
            e => e.into(),
        })?;
        let role = Role::parse(&account.role).ok_or_else(ApiError::forbidden)?;
        if !account.active {
            return Err(ApiError::unauthenticated());
        }
        if token.last_used_at.is_none_or(|t| crate::db::now() - t > Duration::minutes(1)) {
            crate::db::sessions::touch_token(&state.db, token.id).await?;
        }
        let scope = scope_of(&account, role);
        Ok(ApiUser { account, role, scope, token_id: token.id })
    }
}

/// Outcome of a login attempt that did not succeed.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    Failed,
    Throttled,
    Inactive,
}

impl LoginError {
    pub fn message(&self) -> &'static str {
        match self {
            LoginError::Failed => msg::LOGIN_FAILED,
            LoginError::Throttled => msg::LOGIN_THROTTLED,
            LoginError::Inactive => msg::ACCOUNT_INACTIVE,
        }
    }
}

/// Checks a username and password; every attempt is recorded.
///
/// Guessing is throttled, never answered with a lockout that would tell which usernames exist or
/// let anyone lock an account (OWASP Authentication Cheat Sheet): a source address that failed
/// `login.ip_max_failures` times within `login.ip_window_minutes`, and a username that failed
/// `login.max_failures` times from one address within `login.lockout_minutes`, are refused for
/// the rest of that window, *whether or not the username exists*. The owner, from another
/// address, can still sign in. See docs/permissions.md.
pub async fn check_login(state: &AppState, username: &str, password: &str, ip: &str) -> Result<Account, LoginError> {
    let cfg = &state.config.login;
    let key = username.trim().to_lowercase();
    let record = |ok: bool| {
        let (key, ip) = (key.clone(), ip.to_string());
        async move {
            if let Ok(mut tx) = state.db.begin().await {
                let _ = crate::db::sessions::record_attempt(&mut tx, &key, &ip, ok).await;
                let _ = tx.commit().await;
            }
        }
    };
    let now = crate::db::now();
    let ip_failures = crate::db::sessions::failures_from_ip(&state.db, ip, now - Duration::minutes(cfg.ip_window_minutes)).await.unwrap_or(0);
    let pair_failures = crate::db::sessions::failures_of(&state.db, &key, ip, now - Duration::minutes(cfg.lockout_minutes)).await.unwrap_or(0);
    if ip_failures >= cfg.ip_max_failures || pair_failures >= i64::from(cfg.max_failures) {
        record(false).await;
        return Err(LoginError::Throttled);
    }
    let account = match crate::db::accounts::by_username(&state.db, &key).await {
        Ok(a) => a,
        Err(_) => {
            // Spend the same time as a real check so that usernames cannot be probed.
            let _ = hash_password(password.to_string()).await;
            record(false).await;
            return Err(LoginError::Failed);
        }
    };
    if !verify_password(password.to_string(), account.password_hash.clone()).await {
        if let Ok(mut tx) = state.db.begin().await {
            let _ = crate::db::accounts::record_failure(&mut tx, account.id).await;
            let _ = crate::db::sessions::record_attempt(&mut tx, &key, ip, false).await;
            let _ = tx.commit().await;
        }
        return Err(LoginError::Failed);
    }
    if !account.active {
        record(false).await;
        return Err(LoginError::Inactive);
    }
    Ok(account)
}

/// Builds the session cookie.
pub fn session_cookie(secret: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .build()
}

fn csrf_mac(key: &[u8], nonce: &str) -> String {
    use hmac::{KeyInit, Mac};
    match <hmac::Hmac<sha2_11::Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(nonce.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Whether an anonymous CSRF cookie value (`nonce.mac`) was signed by this system: a cookie
/// planted by someone else (a sibling subdomain, a network attacker over plain HTTP) is refused,
/// so the token before login is not a plain double submit.
pub fn anon_csrf_valid(key: &[u8], value: &str) -> bool {
    let Some((nonce, mac)) = value.split_once('.') else { return false };
    let expected = csrf_mac(key, nonce);
    !key.is_empty() && nonce.len() == 64 && !expected.is_empty() && expected.len() == mac.len()
        && expected.bytes().zip(mac.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Ensures a signed anonymous CSRF cookie exists (for forms shown before login) and returns its
/// value, which the forms carry.
pub fn anon_csrf(jar: CookieJar, secure: bool, key: &[u8]) -> (CookieJar, String) {
    if let Some(c) = jar.get(ANON_CSRF_COOKIE)
        && anon_csrf_valid(key, c.value())
    {
        let v = c.value().to_string();
        return (jar, v);
    }
    let nonce = crate::db::new_token();
    let token = format!("{nonce}.{}", csrf_mac(key, &nonce));
    let cookie = Cookie::build((ANON_CSRF_COOKIE, token.clone()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .build();
    (jar.add(cookie), token)
}

/// The CSRF token for a public form (a survey, a comment): the session's token when someone is
/// signed in (the guard then expects it), the signed anonymous cookie's otherwise.
pub async fn public_csrf(state: &AppState, jar: CookieJar) -> Result<(CookieJar, String), AppError> {
    if let Some(secret) = session_secret(&jar)
        && let Some(session) = crate::db::sessions::find(&state.db, &secret).await?
    {
        return Ok((jar, session.csrf_token));
    }
    Ok(anon_csrf(jar, state.config.cookies_secure(), state.csrf_key().await?))
}

#[cfg(test)]
mod csrf_tests {
    use super::*;

    #[test]
    fn only_signed_cookies_count() {
        let key = [7u8; 32];
        let (jar, token) = anon_csrf(CookieJar::new(), false, &key);
        assert!(anon_csrf_valid(&key, &token));
        let (_, again) = anon_csrf(jar, false, &key);
        assert_eq!(again, token, "a valid cookie is kept");
        assert!(!anon_csrf_valid(&[8u8; 32], &token), "another key");
        let planted = format!("{}.{}", "a".repeat(64), "0".repeat(64));
        assert!(!anon_csrf_valid(&key, &planted));
        assert!(!anon_csrf_valid(&key, "plain-double-submit-token"));
        assert!(!anon_csrf_valid(&[], &token));
    }
}
