//! Agencies and organisations (cơ quan, tổ chức) of a unit, created from the catalogue of
//! common kinds, with the aliases and abbreviations plans use for them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use crate::db::agencies::{Agency, AgencyInput};
use crate::db::audit::{self, Entry};
use crate::account::Action;
use crate::msg;
use serde::Deserialize;
use serde_json::json;

use crate::page::{FieldErrors, Layout, ReqMeta, clean, render, render_invalid, today};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub struct AgencyRow {
    pub id: i64,
    pub name: String,
    pub abbreviation: String,
    pub unit: String,
    pub kind: String,
    pub active: bool,
    pub editable: bool,
}

/// (code, name) of every catalogue kind, for the kind selector.
pub fn kind_choices() -> Vec<(String, String)> {
    match crate::agency::AgencyCatalogue::builtin() {
        Ok(c) => c.kinds().iter().map(|k| (k.code.clone(), k.name.clone())).collect(),
        Err(e) => {
            tracing::error!(error = %e, "agency catalogue failed to load");
            Vec::new()
        }
    }
}

fn kind_name(kinds: &[(String, String)], code: Option<&str>) -> String {
    code.and_then(|c| kinds.iter().find(|(k, _)| k == c)).map(|(_, n)| n.clone()).unwrap_or_default()
}

fn row(a: &Agency, user: &CurrentUser, kinds: &[(String, String)]) -> AgencyRow {
    AgencyRow {
        id: a.id,
        name: a.name.clone(),
        abbreviation: a.abbreviation.clone().unwrap_or_default(),
        unit: a.unit_name.clone(),
        kind: kind_name(kinds, a.kind_code.as_deref()),
        active: a.active,
        editable: user.role.allows(Action::ManageAgencies) && user.scope.contains(&a.unit_path),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    tb: Option<String>,
}

#[derive(Template)]
#[template(path = "agencies/index.html")]
struct IndexPage {
    l: Layout,
    q: String,
    rows: Vec<AgencyRow>,
    can_manage: bool,
}

/// `GET /co-quan`: agencies of the caller's subtree and of the units above it.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    user.require(Action::ViewAgencies)?;
    let query = clean(&q.q);
    let list = crate::db::agencies::list(&state.db, &user.scope.like_pattern(), &user.scope.unit_path, None, Some(&query), 500, 0).await?;
    let kinds = kind_choices();
    render(&IndexPage {
        l: Layout::for_user(&user, "Cơ quan, tổ chức", "agencies").with_flash(q.tb.as_deref()),
        q: query,
        rows: list.iter().map(|a| row(a, &user, &kinds)).collect(),
        can_manage: user.role.allows(Action::ManageAgencies),
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct AgencyForm {
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    kind_code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    abbreviation: String,
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    active: Option<String>,
}

#[derive(Template)]
#[template(path = "agencies/form.html")]
struct FormPage {
    l: Layout,
    editing: Option<i64>,
    read_only: bool,
    f: AgencyForm,
    kinds: Vec<(String, String)>,
    errors: FieldErrors,
}

/// `GET /co-quan/moi`.
pub async fn new_page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManageAgencies)?;
    let unit = crate::db::units::get(&state.db, user.account.unit_id).await?;
    let f = AgencyForm { unit_code: unit.code, active: Some("on".into()), ..Default::default() };
    render(&FormPage { l: Layout::for_user(&user, "Thêm cơ quan", "agencies"), editing: None, read_only: false, f, kinds: kind_choices(), errors: FieldErrors::default() })
}

async fn check(state: &AppState, user: &CurrentUser, f: &AgencyForm, kinds: &[(String, String)], errors: &mut FieldErrors) -> AppResult<Option<AgencyInput>> {
    let name = clean(&f.name);
    if name.is_empty() {
        errors.add("name", msg::REQUIRED);
    } else if name.chars().count() > 200 {
        errors.add("name", msg::TOO_LONG);
    }
    let kind_code = Some(f.kind_code.trim().to_string()).filter(|k| !k.is_empty());
    if let Some(k) = &kind_code
        && !kinds.iter().any(|(c, _)| c == k)
    {
        errors.add("kind_code", msg::KIND_INVALID);
    }
    let unit = match crate::db::units::by_code(&state.db, f.unit_code.trim(), today()).await {
        Ok(u) if u.is_valid_on(today()) && user.scope.contains(&u.path) => Some(u),
        Ok(u) if u.is_valid_on(today()) => {
            errors.add("unit_code", msg::UNIT_OUT_OF_SCOPE);
            None
        }
        Ok(_) | Err(crate::db::DbError::NotFound) => {
            errors.add("unit_code", msg::UNIT_NOT_FOUND);
            None
        }
        Err(e) => return Err(e.into()),
    };
    let aliases: Vec<String> = f.aliases.lines().map(clean).filter(|a| !a.is_empty()).take(50).collect();
    if aliases.iter().any(|a| a.chars().count() > 200) {
        errors.add("aliases", msg::TOO_LONG);
    }
    Ok(unit.filter(|_| errors.is_empty()).map(|u| AgencyInput {
        unit_id: u.id,
        kind_code,
        name,
        abbreviation: Some(clean(&f.abbreviation)).filter(|a| !a.is_empty()),
        aliases,
        active: f.active.is_some(),
    }))
}

/// `POST /co-quan/moi`.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(f): Form<AgencyForm>) -> AppResult<Response> {
    user.require(Action::ManageAgencies)?;
    let kinds = kind_choices();
    let mut errors = FieldErrors::default();
    let Some(input) = check(&state, &user, &f, &kinds, &mut errors).await? else {
        return render_invalid(&FormPage { l: Layout::for_user(&user, "Thêm cơ quan", "agencies"), editing: None, read_only: false, f, kinds, errors });
    };
    let mut tx = state.db.begin().await?;
    let id = match crate::db::agencies::create(&mut tx, &input).await {
        Ok(id) => id,
        Err(crate::db::DbError::Conflict(_)) => {
            drop(tx);
            errors.add("name", msg::AGENCY_NAME_TAKEN);
            return render_invalid(&FormPage { l: Layout::for_user(&user, "Thêm cơ quan", "agencies"), editing: None, read_only: false, f, kinds, errors });
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "create", entity: "agency", entity_id: Some(id.to_string()), unit_id: Some(input.unit_id),
        summary: format!("Thêm cơ quan {}", input.name), before: None,
        after: Some(json!({"name": input.name, "kind_code": input.kind_code, "abbreviation": input.abbreviation, "aliases": input.aliases, "active": input.active})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/co-quan?tb=agency_saved").into_response())
}

async fn visible(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Agency> {
    let a = crate::db::agencies::get(&state.db, id).await?;
    if user.scope.contains(&a.unit_path) || user.scope.is_ancestor_or_self(&a.unit_path) { Ok(a) } else { Err(AppError::NotFound) }
}

/// `GET /co-quan/{id}`: the agency, editable when it lies in the caller's subtree.
pub async fn edit_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ViewAgencies)?;
    let a = visible(&state, &user, id).await?;
    let unit = crate::db::units::get(&state.db, a.unit_id).await?;
    let aliases = crate::db::agencies::aliases(&state.db, id).await?;
    let f = AgencyForm {
        unit_code: unit.code,
        kind_code: a.kind_code.clone().unwrap_or_default(),
        name: a.name.clone(),
        abbreviation: a.abbreviation.clone().unwrap_or_default(),
        aliases: aliases.join("\n"),
        active: a.active.then(|| "on".into()),
    };
    let read_only = !(user.role.allows(Action::ManageAgencies) && user.scope.contains(&a.unit_path));
    render(&FormPage { l: Layout::for_user(&user, a.name.clone(), "agencies"), editing: Some(id), read_only, f, kinds: kind_choices(), errors: FieldErrors::default() })
}

/// `POST /co-quan/{id}`.
pub async fn update(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<AgencyForm>) -> AppResult<Response> {
    user.require(Action::ManageAgencies)?;
    let a = crate::db::agencies::get(&state.db, id).await?;
    if !user.scope.contains(&a.unit_path) {
        return Err(AppError::NotFound);
    }
    let kinds = kind_choices();
    let mut errors = FieldErrors::default();
    let mut f = f;
    let unit = crate::db::units::get(&state.db, a.unit_id).await?;
    f.unit_code = unit.code; // an agency stays in its unit
    let Some(input) = check(&state, &user, &f, &kinds, &mut errors).await? else {
        return render_invalid(&FormPage { l: Layout::for_user(&user, a.name.clone(), "agencies"), editing: Some(id), read_only: false, f, kinds, errors });
    };
    let before_aliases = crate::db::agencies::aliases(&state.db, id).await?;
    let mut tx = state.db.begin().await?;
    match crate::db::agencies::update(&mut tx, id, &input).await {
        Ok(()) => {}
        Err(crate::db::DbError::Conflict(_)) => {
            drop(tx);
            errors.add("name", msg::AGENCY_NAME_TAKEN);
            return render_invalid(&FormPage { l: Layout::for_user(&user, a.name.clone(), "agencies"), editing: Some(id), read_only: false, f, kinds, errors });
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "update", entity: "agency", entity_id: Some(id.to_string()), unit_id: Some(a.unit_id),
        summary: format!("Sửa cơ quan {}", input.name),
        before: Some(json!({"name": a.name, "kind_code": a.kind_code, "abbreviation": a.abbreviation, "aliases": before_aliases, "active": a.active})),
        after: Some(json!({"name": input.name, "kind_code": input.kind_code, "abbreviation": input.abbreviation, "aliases": input.aliases, "active": input.active})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/co-quan?tb=agency_saved").into_response())
}
