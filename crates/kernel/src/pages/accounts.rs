//! Account management for system and unit administrators, confined to their subtree.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use crate::db::accounts::{Account, AccountUpdate, NewAccount};
use crate::db::audit::{self, Entry};
use crate::account::{ALL_ROLES, Action, Role, Username, check_password, parse_email};
use crate::msg;
use serde::Deserialize;
use serde_json::json;

use crate::page::{FieldErrors, Layout, ReqMeta, clean, render, render_invalid, today};
use crate::auth::{self, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: &'static str,
    pub unit: String,
    pub agency: String,
    pub active: bool,
    pub last_login: String,
}

fn row(a: &Account) -> AccountRow {
    AccountRow {
        id: a.id,
        username: a.username.clone(),
        full_name: a.full_name.clone(),
        role: Role::parse(&a.role).map(|r| r.label()).unwrap_or(""),
        unit: a.unit_name.clone(),
        agency: a.agency_name.clone().unwrap_or_default(),
        active: a.active,
        last_login: a.last_login_at.map(text_vi::format_datetime).unwrap_or_default(),
    }
}

fn snapshot(a: &Account) -> serde_json::Value {
    json!({"username": a.username, "full_name": a.full_name, "email": a.email, "role": a.role,
           "unit_id": a.unit_id, "agency_id": a.agency_id, "active": a.active})
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    tb: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/index.html")]
struct IndexPage {
    l: Layout,
    q: String,
    rows: Vec<AccountRow>,
    can_manage: bool,
}

/// `GET /tai-khoan`.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    user.require(Action::ViewAccounts)?;
    let query = clean(&q.q);
    let accounts = crate::db::accounts::list(&state.db, &user.scope.like_pattern(), (!query.is_empty()).then_some(query.as_str()), 500, 0).await?;
    render(&IndexPage {
        l: Layout::for_user(&user, "Tài khoản", "accounts").with_flash(q.tb.as_deref()),
        q: query,
        rows: accounts.iter().map(row).collect(),
        can_manage: user.role.allows(Action::ManageAccounts),
    })
}

/// The account form's values, kept as typed so a failed save loses nothing.
#[derive(Deserialize, Default, Clone)]
pub struct AccountForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    agency_id: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "accounts/form.html")]
struct FormPage {
    l: Layout,
    editing: Option<AccountRow>,
    is_self: bool,
    f: AccountForm,
    unit_name: String,
    roles: Vec<(&'static str, &'static str)>,
    agencies: Vec<(i64, String)>,
    errors: FieldErrors,
}

async fn agency_choices(state: &AppState, unit_path: &str) -> AppResult<Vec<(i64, String)>> {
    // Agencies of the chosen unit and of the units above it.
    let list = crate::db::agencies::list(&state.db, unit_path, unit_path, None, None, 500, 0).await?;
    Ok(list.into_iter().map(|a| (a.id, format!("{} ({})", a.name, a.unit_name))).collect())
}

fn role_choices(user: &CurrentUser) -> Vec<(&'static str, &'static str)> {
    ALL_ROLES.into_iter().filter(|r| user.role.can_grant(*r)).map(|r| (r.as_str(), r.label())).collect()
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    don_vi: Option<i64>,
}

/// `GET /tai-khoan/moi?don_vi=ID`: the unit can be preselected from the unit browser.
pub async fn new_page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<NewQuery>) -> AppResult<Response> {
    user.require(Action::ManageAccounts)?;
    let unit = match q.don_vi {
        Some(id) => {
            let u = crate::db::units::get(&state.db, id).await?;
            if !user.scope.contains(&u.path) {
                return Err(AppError::NotFound);
            }
            u
        }
        None => crate::db::units::get(&state.db, user.account.unit_id).await?,
    };
    let f = AccountForm { role: Role::JusticeOfficer.as_str().into(), unit_code: unit.code.clone(), ..Default::default() };
    render(&FormPage {
        l: Layout::for_user(&user, "Tạo tài khoản", "accounts"),
        editing: None,
        is_self: false,
        f,
        unit_name: unit.name.clone(),
        roles: role_choices(&user),
        agencies: agency_choices(&state, &unit.path).await?,
        errors: FieldErrors::default(),
    })
}

/// Parsed and checked form values shared by create and update.
struct Checked {
    full_name: String,
    email: Option<String>,
    role: Role,
    unit: crate::db::units::Unit,
    agency_id: Option<i64>,
}

async fn check_form(state: &AppState, user: &CurrentUser, f: &AccountForm, errors: &mut FieldErrors) -> AppResult<(Option<Checked>, String, String)> {
    let full_name = clean(&f.full_name);
    if full_name.is_empty() {
        errors.add("full_name", msg::REQUIRED);
    } else if full_name.chars().count() > 120 {
        errors.add("full_name", msg::TOO_LONG);
    }
    let email = match parse_email(&f.email) {
        Ok(e) => e,
        Err(m) => {
            errors.add("email", m);
            None
        }
    };
    let role = Role::parse(&f.role);
    match role {
        None => errors.add("role", msg::ROLE_INVALID),
        Some(r) if !user.role.can_grant(r) => errors.add("role", msg::ROLE_NOT_GRANTABLE),
        _ => {}
    }
    let code = f.unit_code.trim();
    let unit = if code.is_empty() {
        errors.add("unit_code", msg::REQUIRED);
        None
    } else {
        match crate::db::units::by_code(&state.db, code, today()).await {
            Ok(u) if !u.is_valid_on(today()) => {
                errors.add("unit_code", msg::UNIT_NOT_FOUND);
                None
            }
            Ok(u) if !user.scope.contains(&u.path) => {
                errors.add("unit_code", msg::UNIT_OUT_OF_SCOPE);
                None
            }
            Ok(u) => Some(u),
            Err(crate::db::DbError::NotFound) => {
                errors.add("unit_code", msg::UNIT_NOT_FOUND);
                None
            }
            Err(e) => return Err(e.into()),
        }
    };
    let (unit_name, unit_path) = unit.as_ref().map(|u| (u.name.clone(), u.path.clone())).unwrap_or_default();
    let agency_id = match f.agency_id.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) => match crate::db::agencies::get(&state.db, id).await {
                Ok(a) if unit.as_ref().is_some_and(|u| u.path.starts_with(&a.unit_path)) => Some(id),
                Ok(_) | Err(crate::db::DbError::NotFound) => {
                    errors.add("agency_id", msg::AGENCY_NOT_IN_UNIT);
                    None
                }
                Err(e) => return Err(e.into()),
            },
            Err(_) => {
                errors.add("agency_id", msg::AGENCY_NOT_IN_UNIT);
                None
            }
        },
    };
    if role == Some(Role::AgencyFocal) && agency_id.is_none() && !errors.has("agency_id") {
        errors.add("agency_id", msg::AGENCY_REQUIRED_FOR_FOCAL);
    }
    let checked = match (role, unit) {
        (Some(role), Some(unit)) if errors.is_empty() => Some(Checked { full_name, email, role, unit, agency_id }),
        _ => None,
    };
    Ok((checked, unit_name, unit_path))
}

/// `POST /tai-khoan/moi`.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(mut f): Form<AccountForm>) -> AppResult<Response> {
    user.require(Action::ManageAccounts)?;
    let mut errors = FieldErrors::default();
    let username = match Username::parse(&f.username) {
        Ok(u) => Some(u),
        Err(m) => {
            errors.add("username", m);
            None
        }
    };
    if let Some(u) = &username {
        for e in check_password(&f.password, u.as_str()) {
            errors.add("password", e);
        }
        if crate::db::accounts::by_username(&state.db, u.as_str()).await.is_ok() {
            errors.add("username", msg::USERNAME_TAKEN);
        }
    }
    let (checked, unit_name, unit_path) = check_form(&state, &user, &f, &mut errors).await?;
    let (Some(username), Some(c), true) = (username, checked, errors.is_empty()) else {
        f.password.clear();
        let agencies = if unit_path.is_empty() { Vec::new() } else { agency_choices(&state, &unit_path).await? };
        return render_invalid(&FormPage {
            l: Layout::for_user(&user, "Tạo tài khoản", "accounts"),
            editing: None, is_self: false, f, unit_name, roles: role_choices(&user), agencies, errors,
        });
    };
    let hash = auth::hash_password(f.password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let new = NewAccount {
        username: username.as_str().to_string(),
        full_name: c.full_name,
        email: c.email,
        password_hash: hash,
        role: c.role.as_str().into(),
        unit_id: c.unit.id,
        agency_id: c.agency_id,
        must_change_password: true,
    };
    let id = match crate::db::accounts::create(&mut tx, &new).await {
        Ok(id) => id,
        Err(crate::db::DbError::Conflict(_)) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("username", msg::USERNAME_TAKEN);
            f.password.clear();
            return render_invalid(&FormPage {
                l: Layout::for_user(&user, "Tạo tài khoản", "accounts"),
                editing: None, is_self: false, f, unit_name, roles: role_choices(&user),
                agencies: agency_choices(&state, &c.unit.path).await?, errors,
            });
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "create", entity: "account", entity_id: Some(id.to_string()), unit_id: Some(c.unit.id),
        summary: format!("Tạo tài khoản {} ({}) tại {}", new.username, c.role.label(), c.unit.name),
        before: None,
        after: Some(json!({"username": new.username, "full_name": new.full_name, "email": new.email, "role": new.role,
                           "unit_id": new.unit_id, "agency_id": new.agency_id, "active": true})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/tai-khoan?tb=account_created").into_response())
}

async fn load_in_scope(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Account> {
    let a = crate::db::accounts::get(&state.db, id).await?;
    if user.scope.contains(&a.unit_path) { Ok(a) } else { Err(AppError::NotFound) }
}

/// An account may be changed only by someone who could have granted its role: a unit
/// administrator cannot take over a system administrator's account in its subtree.
async fn load_manageable(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Account> {
    let a = load_in_scope(state, user, id).await?;
    match Role::parse(&a.role) {
        Some(r) if user.role.can_grant(r) => Ok(a),
        _ => Err(AppError::Forbidden),
    }
}

fn form_of(a: &Account, unit_code: String) -> AccountForm {
    AccountForm {
        username: a.username.clone(),
        full_name: a.full_name.clone(),
        email: a.email.clone().unwrap_or_default(),
        role: a.role.clone(),
        unit_code,
        agency_id: a.agency_id.map(|i| i.to_string()).unwrap_or_default(),
        password: String::new(),
    }
}

/// `GET /tai-khoan/{id}`.
pub async fn edit_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<ListQuery>) -> AppResult<Response> {
    user.require(Action::ViewAccounts)?;
    let a = load_in_scope(&state, &user, id).await?;
    let unit = crate::db::units::get(&state.db, a.unit_id).await?;
    let mut roles = role_choices(&user);
    if let Some(r) = Role::parse(&a.role)
        && !roles.iter().any(|(k, _)| *k == r.as_str())
    {
        roles.push((r.as_str(), r.label()));
    }
    render(&FormPage {
        l: Layout::for_user(&user, format!("Tài khoản {}", a.username), "accounts").with_flash(q.tb.as_deref()),
        editing: Some(row(&a)),
        is_self: a.id == user.account.id,
        f: form_of(&a, unit.code.clone()),
        unit_name: unit.name.clone(),
        roles,
        agencies: agency_choices(&state, &unit.path).await?,
        errors: FieldErrors::default(),
    })
}

/// `POST /tai-khoan/{id}`.
pub async fn update(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(mut f): Form<AccountForm>) -> AppResult<Response> {
    user.require(Action::ManageAccounts)?;
    let a = load_manageable(&state, &user, id).await?;
    let mut errors = FieldErrors::default();
    f.username = a.username.clone();
    let (checked, unit_name, unit_path) = check_form(&state, &user, &f, &mut errors).await?;
    if a.id == user.account.id
        && let Some(c) = &checked
        && (c.role.as_str() != a.role || c.unit.id != a.unit_id)
    {
        errors.add("role", msg::FORBIDDEN);
    }
    let Some(c) = checked.filter(|_| errors.is_empty()) else {
        let agencies = if unit_path.is_empty() { Vec::new() } else { agency_choices(&state, &unit_path).await? };
        return render_invalid(&FormPage {
            l: Layout::for_user(&user, format!("Tài khoản {}", a.username), "accounts"),
            editing: Some(row(&a)), is_self: a.id == user.account.id, f, unit_name, roles: role_choices(&user), agencies, errors,
        });
    };
    let mut tx = state.db.begin().await?;
    let upd = AccountUpdate { full_name: c.full_name, email: c.email, role: c.role.as_str().into(), unit_id: c.unit.id, agency_id: c.agency_id };
    crate::db::accounts::update(&mut tx, id, &upd).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "update", entity: "account", entity_id: Some(id.to_string()), unit_id: Some(c.unit.id),
        summary: format!("Sửa tài khoản {}", a.username),
        before: Some(snapshot(&a)),
        after: Some(json!({"username": a.username, "full_name": upd.full_name, "email": upd.email, "role": upd.role,
                           "unit_id": upd.unit_id, "agency_id": upd.agency_id, "active": a.active})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/tai-khoan/{id}?tb=account_updated")).into_response())
}

/// `POST /tai-khoan/{id}/trang-thai`: deactivates or reactivates an account; deactivation ends
/// its sessions and revokes its API tokens.
pub async fn toggle_active(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageAccounts)?;
    let a = load_manageable(&state, &user, id).await?;
    if a.id == user.account.id {
        return Err(AppError::BadRequest(msg::CANNOT_DEACTIVATE_SELF.into()));
    }
    let active = !a.active;
    let mut tx = state.db.begin().await?;
    crate::db::accounts::set_active(&mut tx, id, active).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: if active { "activate" } else { "deactivate" }, entity: "account", entity_id: Some(id.to_string()), unit_id: Some(a.unit_id),
        summary: format!("{} tài khoản {}", if active { "Kích hoạt lại" } else { "Vô hiệu hóa" }, a.username),
        before: Some(json!({"active": a.active})), after: Some(json!({"active": active})),
    }).await?;
    tx.commit().await?;
    let tb = if active { "account_activated" } else { "account_deactivated" };
    Ok(Redirect::to(&format!("/tai-khoan/{id}?tb={tb}")).into_response())
}

#[derive(Deserialize)]
pub struct TempPasswordForm {
    #[serde(default)]
    password: String,
}

/// `POST /tai-khoan/{id}/mat-khau`: sets a temporary password the user must change.
pub async fn temporary_password(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<TempPasswordForm>) -> AppResult<Response> {
    user.require(Action::ManageAccounts)?;
    let a = load_manageable(&state, &user, id).await?;
    let problems = check_password(&f.password, &a.username);
    if !problems.is_empty() {
        let unit = crate::db::units::get(&state.db, a.unit_id).await?;
        let mut errors = FieldErrors::default();
        for p in problems {
            errors.add("temp_password", p);
        }
        return render_invalid(&FormPage {
            l: Layout::for_user(&user, format!("Tài khoản {}", a.username), "accounts"),
            editing: Some(row(&a)), is_self: a.id == user.account.id, f: form_of(&a, unit.code.clone()), unit_name: unit.name.clone(),
            roles: role_choices(&user), agencies: agency_choices(&state, &unit.path).await?, errors,
        });
    }
    let hash = auth::hash_password(f.password).await?;
    let mut tx = state.db.begin().await?;
    crate::db::accounts::set_password(&mut tx, id, &hash, true).await?;
    crate::db::sessions::delete_for_account(&mut tx, id, None).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "set_temporary_password", entity: "account", entity_id: Some(id.to_string()), unit_id: Some(a.unit_id),
        summary: format!("Đặt mật khẩu tạm thời cho {}", a.username), before: None, after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/tai-khoan/{id}?tb=password_reset")).into_response())
}
