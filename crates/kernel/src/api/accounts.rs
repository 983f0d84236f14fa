//! Accounts in the caller's subtree, and the caller's own account. Password hashes, failure
//! counters and lock times are never exposed.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use crate::db::accounts::Account;
use crate::account::{Action, Role};
use serde::Serialize;
use utoipa::ToSchema;

use super::params::{ApiResult, Params, parse_id, path_segment};
use super::{Caller, ErrorBody};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AccountDto {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    /// `system_admin`, `unit_admin`, `justice_officer`, `agency_focal`, `council_member` or `viewer`.
    pub role: String,
    pub role_label: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub agency_id: Option<i64>,
    pub agency_name: Option<String>,
    pub active: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<Account> for AccountDto {
    fn from(a: Account) -> Self {
        AccountDto {
            role_label: Role::parse(&a.role).map(Role::label).unwrap_or_default().to_string(),
            id: a.id,
            username: a.username,
            full_name: a.full_name,
            email: a.email,
            role: a.role,
            unit_id: a.unit_id,
            unit_name: a.unit_name,
            agency_id: a.agency_id,
            agency_name: a.agency_name,
            active: a.active,
            must_change_password: a.must_change_password,
            last_login_at: a.last_login_at,
            created_at: a.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AccountList {
    pub items: Vec<AccountDto>,
    pub limit: i64,
    pub offset: i64,
}

/// `GET /api/v1/me`.
#[utoipa::path(
    get, operation_id = "get_me", path = "/api/v1/me", tag = "accounts",
    summary = "Tài khoản của người gọi",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = AccountDto),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
    )
)]
pub async fn me(caller: Caller) -> Json<AccountDto> {
    Json(AccountDto::from(caller.0.account))
}

/// `GET /api/v1/accounts`.
#[utoipa::path(
    get, operation_id = "list_accounts", path = "/api/v1/accounts", tag = "accounts",
    summary = "Tài khoản trong phạm vi của người gọi",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, max_length = 200, description = "Full name (with or without diacritics) or username contains"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = AccountList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, caller: Caller, params: Params) -> ApiResult<Json<AccountList>> {
    caller.require(Action::ViewAccounts)?;
    let query = params.text("q")?;
    let limit = params.limit()?;
    let offset = params.offset()?;
    let rows = crate::db::accounts::list(&state.db, &caller.scope.like_pattern(), query.as_deref(), limit, offset).await?;
    let items = rows
        .into_iter()
        .filter(|a| caller.scope.contains(&a.unit_path))
        .map(AccountDto::from)
        .collect();
    Ok(Json(AccountList { items, limit, offset }))
}

/// `GET /api/v1/accounts/{id}`.
#[utoipa::path(
    get, operation_id = "get_account", path = "/api/v1/accounts/{id}", tag = "accounts",
    summary = "Một tài khoản",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, description = "OK", body = AccountDto),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown or outside the caller's scope", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<AccountDto>> {
    caller.require(Action::ViewAccounts)?;
    let id = parse_id(&path_segment(id, "id")?)?;
    let a = crate::db::accounts::get(&state.db, id).await?;
    if !caller.scope.contains(&a.unit_path) {
        return Err(ApiError::not_found().into());
    }
    Ok(Json(AccountDto::from(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_secret_fields() {
        let t = crate::db::now();
        let a = Account {
            id: 1,
            username: "xa1".into(),
            full_name: "Nguyễn Văn A".into(),
            email: None,
            password_hash: "$argon2id$secret".into(),
            role: "viewer".into(),
            unit_id: 2,
            agency_id: None,
            active: true,
            must_change_password: false,
            failed_logins: 3,
            locked_until: None,
            last_login_at: Some(t),
            created_at: t,
            updated_at: t,
            unit_name: "Xã B".into(),
            unit_path: "/1/2/".into(),
            agency_name: None,
        };
        let json = serde_json::to_string(&AccountDto::from(a)).unwrap_or_default();
        assert!(!json.contains("argon2"));
        assert!(!json.contains("password_hash"));
        assert!(!json.contains("failed_logins"));
        assert!(!json.contains("unit_path"));
        assert!(json.contains("\"role_label\":\"Người xem\""));
    }
}
