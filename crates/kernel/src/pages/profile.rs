//! The user's own profile: name, e-mail, password change link, and API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use crate::db::audit::{self, Entry};
use crate::account::parse_email;
use crate::msg;
use serde::Deserialize;
use serde_json::json;

use super::session::FlashQuery;
use crate::page::{FieldErrors, Layout, ReqMeta, clean, render, render_invalid};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub expires: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    l: Layout,
    username: String,
    role: String,
    unit: String,
    agency: String,
    full_name: String,
    email: String,
    tokens: Vec<TokenRow>,
    errors: FieldErrors,
}

async fn page_for(state: &AppState, user: &CurrentUser, full_name: String, email: String, errors: FieldErrors, flash: Option<&str>) -> AppResult<ProfilePage> {
    let tokens = crate::db::sessions::list_tokens(&state.db, user.account.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: text_vi::format_datetime(t.created_at),
            last_used: t.last_used_at.map(text_vi::format_datetime).unwrap_or_default(),
            expires: t.expires_at.map(text_vi::format_datetime).unwrap_or_default(),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    Ok(ProfilePage {
        l: Layout::for_user(user, "Thông tin cá nhân", "profile").with_flash(flash),
        username: user.account.username.clone(),
        role: user.role.label().into(),
        unit: user.account.unit_name.clone(),
        agency: user.account.agency_name.clone().unwrap_or_default(),
        full_name,
        email,
        tokens,
        errors,
    })
}

/// `GET /ca-nhan`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let p = page_for(&state, &user, user.account.full_name.clone(), user.account.email.clone().unwrap_or_default(), FieldErrors::default(), q.tb.as_deref()).await?;
    render(&p)
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
}

/// `POST /ca-nhan`.
pub async fn save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(f): Form<ProfileForm>) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let full_name = clean(&f.full_name);
    if full_name.is_empty() {
        errors.add("full_name", msg::REQUIRED);
    } else if full_name.chars().count() > 120 {
        errors.add("full_name", msg::TOO_LONG);
    }
    let email = parse_email(&f.email).map_err(|m| errors.add("email", m)).ok().flatten();
    if !errors.is_empty() {
        let p = page_for(&state, &user, full_name, f.email, errors, None).await?;
        return render_invalid(&p);
    }
    let mut tx = state.db.begin().await?;
    crate::db::accounts::update_profile(&mut tx, user.account.id, &full_name, email.as_deref()).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "update_profile", entity: "account", entity_id: Some(user.account.id.to_string()), unit_id: Some(user.account.unit_id),
        summary: format!("Cập nhật thông tin cá nhân: {}", user.account.username),
        before: Some(json!({"full_name": user.account.full_name, "email": user.account.email})),
        after: Some(json!({"full_name": full_name, "email": email})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/ca-nhan?tb=profile_saved").into_response())
}

/// `POST /ca-nhan/ma-truy-cap/{id}/thu-hoi`: revokes one of the user's own API tokens.
pub async fn revoke_token(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    crate::db::sessions::revoke_token(&mut tx, user.account.id, id).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "revoke_token", entity: "api_token", entity_id: Some(id.to_string()), unit_id: Some(user.account.unit_id),
        summary: format!("Thu hồi mã truy cập #{id}"), before: None, after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/ca-nhan?tb=token_revoked").into_response())
}
