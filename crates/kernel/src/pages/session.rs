//! Login, logout, the forced password change, and password reset by e-mailed token.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use chrono::Duration;
use crate::db::audit::{self, Entry};
use crate::account::check_password;
use crate::msg;
use serde::Deserialize;

use crate::page::{FieldErrors, Layout, ReqMeta, render, render_invalid};
use crate::auth::{self, PendingUser, SESSION_COOKIE};
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "session/login.html")]
struct LoginPage {
    l: Layout,
    username: String,
    error: Option<&'static str>,
    /// The public pages for citizens (see `Registry::public_links`).
    public_links: Vec<crate::registry::PublicLink>,
}

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    #[serde(default)]
    pub tb: Option<String>,
}

/// `GET /dang-nhap`: the login form.
pub async fn login_page(State(state): State<AppState>, jar: CookieJar, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    if auth::user_from_jar(&state, &jar).await?.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let (jar, csrf) = auth::anon_csrf(jar, state.config.cookies_secure(), state.csrf_key().await?);
    let page = LoginPage { l: Layout::anonymous("Đăng nhập", csrf).with_flash(q.tb.as_deref()), username: String::new(), error: None, public_links: state.registry.public_links.clone() };
    Ok((jar, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// `POST /dang-nhap`: checks credentials with throttling and lockout, then starts a session.
pub async fn login_submit(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta, Form(f): Form<LoginForm>) -> AppResult<Response> {
    let username = f.username.trim().to_lowercase();
    match auth::check_login(&state, &username, &f.password, &meta.ip).await {
        Ok(account) => {
            let mut tx = state.db.begin().await?;
            crate::db::accounts::record_success(&mut tx, account.id).await?;
            crate::db::sessions::record_attempt(&mut tx, &username, &meta.ip, true).await?;
            let ttl = Duration::minutes(state.config.session.idle_minutes);
            let (secret, _) = crate::db::sessions::create(&mut tx, account.id, ttl).await?;
            let actor = crate::db::audit::Actor { account_id: Some(account.id), username: Some(account.username.clone()), request_id: meta.request_id.clone(), ip: Some(meta.ip.clone()) };
            audit::record(&mut tx, &actor, Entry {
                action: "login", entity: "account", entity_id: Some(account.id.to_string()), unit_id: Some(account.unit_id),
                summary: format!("Đăng nhập: {}", account.username), before: None, after: None,
            }).await?;
            tx.commit().await?;
            let jar = jar.add(auth::session_cookie(secret, state.config.cookies_secure()));
            let to = if account.must_change_password { "/doi-mat-khau" } else { "/" };
            Ok((jar, Redirect::to(to)).into_response())
        }
        Err(e) => {
            let (jar, csrf) = auth::anon_csrf(jar, state.config.cookies_secure(), state.csrf_key().await?);
            let status = if e == auth::LoginError::Throttled { axum::http::StatusCode::TOO_MANY_REQUESTS } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
            let page = LoginPage { l: Layout::anonymous("Đăng nhập", csrf), username: f.username, error: Some(e.message()), public_links: state.registry.public_links.clone() };
            Ok((status, jar, render(&page)?).into_response())
        }
    }
}

/// `POST /dang-xuat`: ends the session.
pub async fn logout(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta) -> AppResult<Response> {
    if let Some(user) = auth::user_from_jar(&state, &jar).await? {
        let mut tx = state.db.begin().await?;
        crate::db::sessions::delete(&mut tx, &user.session_id).await?;
        audit::record(&mut tx, &meta.actor(&user), Entry {
            action: "logout", entity: "account", entity_id: Some(user.account.id.to_string()), unit_id: Some(user.account.unit_id),
            summary: format!("Đăng xuất: {}", user.account.username), before: None, after: None,
        }).await?;
        tx.commit().await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/dang-nhap")).into_response())
}

#[derive(Template)]
#[template(path = "session/change_password.html")]
struct ChangePasswordPage {
    l: Layout,
    forced: bool,
    errors: FieldErrors,
}

/// `GET /doi-mat-khau`.
pub async fn change_password_page(PendingUser(user): PendingUser) -> AppResult<Response> {
    let forced = user.account.must_change_password;
    let mut l = Layout::for_user(&user, "Đổi mật khẩu", "profile");
    if forced {
        l.nav.clear();
    }
    render(&ChangePasswordPage { l, forced, errors: FieldErrors::default() })
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /doi-mat-khau`: checks the current password and the policy, then ends other sessions.
pub async fn change_password_submit(State(state): State<AppState>, PendingUser(user): PendingUser, meta: ReqMeta, Form(f): Form<ChangePasswordForm>) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    if !auth::verify_password(f.current.clone(), user.account.password_hash.clone()).await {
        errors.add("current", msg::PASSWORD_WRONG_CURRENT);
    }
    for e in check_password(&f.new_password, &user.account.username) {
        errors.add("new_password", e);
    }
    if f.new_password == f.current && !f.new_password.is_empty() {
        errors.add("new_password", msg::PASSWORD_SAME_AS_OLD);
    }
    if f.new_password != f.confirm {
        errors.add("confirm", msg::PASSWORD_MISMATCH);
    }
    if !errors.is_empty() {
        let forced = user.account.must_change_password;
        let mut l = Layout::for_user(&user, "Đổi mật khẩu", "profile");
        if forced {
            l.nav.clear();
        }
        return render_invalid(&ChangePasswordPage { l, forced, errors });
    }
    let hash = auth::hash_password(f.new_password).await?;
    let mut tx = state.db.begin().await?;
    crate::db::accounts::set_password(&mut tx, user.account.id, &hash, false).await?;
    crate::db::sessions::delete_for_account(&mut tx, user.account.id, Some(&user.session_id)).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "change_password", entity: "account", entity_id: Some(user.account.id.to_string()), unit_id: Some(user.account.unit_id),
        summary: format!("Đổi mật khẩu: {}", user.account.username), before: None, after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/?tb=password_changed").into_response())
}

#[derive(Template)]
#[template(path = "session/forgot.html")]
struct ForgotPage {
    l: Layout,
    username: String,
}

/// `GET /quen-mat-khau`.
pub async fn forgot_page(State(state): State<AppState>, jar: CookieJar, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let (jar, csrf) = auth::anon_csrf(jar, state.config.cookies_secure(), state.csrf_key().await?);
    let page = ForgotPage { l: Layout::anonymous("Quên mật khẩu", csrf).with_flash(q.tb.as_deref()), username: String::new() };
    Ok((jar, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    username: String,
}

/// `POST /quen-mat-khau`: e-mails a one-time link when the account has an address. The answer is
/// the same whether or not the account exists.
pub async fn forgot_submit(State(state): State<AppState>, meta: ReqMeta, Form(f): Form<ForgotForm>) -> AppResult<Response> {
    let key = f.username.trim().to_lowercase();
    if let Ok(account) = crate::db::accounts::by_username(&state.db, &key).await
        && account.active
        && let Some(email) = account.email.clone()
        && crate::db::sessions::resets_since(&state.db, account.id, crate::db::now() - Duration::hours(1)).await? < 3
    {
        let minutes = state.config.login.reset_token_minutes;
        let mut tx = state.db.begin().await?;
        let token = crate::db::sessions::create_reset(&mut tx, account.id, Duration::minutes(minutes)).await?;
        let link = format!("{}/dat-lai-mat-khau?token={}", state.config.base_url.trim_end_matches('/'), token);
        crate::db::outbox::enqueue(&mut tx, &email, msg::MAIL_RESET_SUBJECT, &msg::mail_reset_body(&account.full_name, &link, minutes)).await?;
        audit::record(&mut tx, &meta.anonymous(Some(account.username.clone())), Entry {
            action: "request_password_reset", entity: "account", entity_id: Some(account.id.to_string()), unit_id: Some(account.unit_id),
            summary: format!("Yêu cầu đặt lại mật khẩu: {}", account.username), before: None, after: None,
        }).await?;
        tx.commit().await?;
    }
    Ok(Redirect::to("/quen-mat-khau?tb=reset_sent").into_response())
}

#[derive(Template)]
#[template(path = "session/reset.html")]
struct ResetPage {
    l: Layout,
    token: String,
    valid: bool,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// `GET /dat-lai-mat-khau?token=…`.
pub async fn reset_page(State(state): State<AppState>, jar: CookieJar, Query(q): Query<TokenQuery>) -> AppResult<Response> {
    let (jar, csrf) = auth::anon_csrf(jar, state.config.cookies_secure(), state.csrf_key().await?);
    let valid = !q.token.is_empty() && crate::db::sessions::reset_is_valid(&state.db, &q.token).await?;
    let page = ResetPage { l: Layout::anonymous("Đặt lại mật khẩu", csrf), token: q.token, valid, errors: FieldErrors::default() };
    Ok((jar, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /dat-lai-mat-khau`: consumes the token and sets the new password.
pub async fn reset_submit(State(state): State<AppState>, jar: CookieJar, meta: ReqMeta, Form(f): Form<ResetForm>) -> AppResult<Response> {
    let (jar, csrf) = auth::anon_csrf(jar, state.config.cookies_secure(), state.csrf_key().await?);
    let mut errors = FieldErrors::default();
    if f.new_password != f.confirm {
        errors.add("confirm", msg::PASSWORD_MISMATCH);
    }
    let mut tx = state.db.begin().await?;
    let Some(account_id) = crate::db::sessions::use_reset(&mut tx, &f.token).await? else {
        let page = ResetPage { l: Layout::anonymous("Đặt lại mật khẩu", csrf), token: String::new(), valid: false, errors };
        return Ok((jar, render_invalid(&page)?).into_response());
    };
    let account = crate::db::accounts::get(&state.db, account_id).await?;
    for e in check_password(&f.new_password, &account.username) {
        errors.add("new_password", e);
    }
    if !errors.is_empty() {
        // The token stays usable: the failed attempt is rolled back.
        drop(tx);
        let page = ResetPage { l: Layout::anonymous("Đặt lại mật khẩu", csrf), token: f.token, valid: true, errors };
        return Ok((jar, render_invalid(&page)?).into_response());
    }
    let hash = auth::hash_password(f.new_password).await?;
    crate::db::accounts::set_password(&mut tx, account.id, &hash, false).await?;
    crate::db::sessions::delete_for_account(&mut tx, account.id, None).await?;
    audit::record(&mut tx, &meta.anonymous(Some(account.username.clone())), Entry {
        action: "reset_password", entity: "account", entity_id: Some(account.id.to_string()), unit_id: Some(account.unit_id),
        summary: format!("Đặt lại mật khẩu qua thư: {}", account.username), before: None, after: None,
    }).await?;
    tx.commit().await?;
    Ok((jar, Redirect::to("/dang-nhap?tb=reset_done")).into_response())
}

