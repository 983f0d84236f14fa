//! Agencies and organisations visible to the caller: those of its own subtree and those of the
//! units above it. Anything else answers 404, never 403, so that its existence is not revealed.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use crate::db::Db;
use crate::db::agencies::Agency;
use crate::account::Action;
use crate::msg;
use serde::Serialize;
use utoipa::ToSchema;

use super::params::{ApiResult, Error, Params, parse_id, path_segment};
use super::{Caller, ErrorBody};
use crate::error::ApiError;
use crate::state::AppState;
use crate::page::today;

#[derive(Serialize, ToSchema)]
pub struct AgencyDto {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: Option<String>,
    pub unit_name: String,
    /// Catalogue kind code, e.g. `so_tu_phap`.
    pub kind_code: Option<String>,
    /// Catalogue kind name.
    pub kind_name: Option<String>,
    pub name: String,
    pub abbreviation: Option<String>,
    pub active: bool,
    pub aliases: Vec<String>,
    /// The caller may edit it (role allows managing agencies and the unit is in its subtree).
    pub editable: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct AgencyList {
    pub items: Vec<AgencyDto>,
    pub limit: i64,
    pub offset: i64,
}

/// (code, name) of the catalogue kinds, loaded once.
fn kind_names() -> &'static HashMap<String, String> {
    static KINDS: OnceLock<HashMap<String, String>> = OnceLock::new();
    KINDS.get_or_init(|| match crate::agency::AgencyCatalogue::builtin() {
        Ok(c) => c.kinds().iter().map(|k| (k.code.clone(), k.name.clone())).collect(),
        Err(e) => {
            tracing::error!(error = %e, "agency catalogue failed to load");
            HashMap::new()
        }
    })
}

/// Whether the caller may see the agency.
fn visible(caller: &Caller, a: &Agency) -> bool {
    caller.scope.contains(&a.unit_path) || caller.scope.is_ancestor_or_self(&a.unit_path)
}

async fn to_dto(db: &Db, caller: &Caller, a: Agency, unit_codes: &mut HashMap<i64, Option<String>>) -> ApiResult<AgencyDto> {
    let aliases = crate::db::agencies::aliases(db, a.id).await?;
    let unit_code = match unit_codes.get(&a.unit_id) {
        Some(c) => c.clone(),
        None => {
            let c = match crate::db::units::get(db, a.unit_id).await {
                Ok(u) => Some(u.code),
                Err(crate::db::DbError::NotFound) => None,
                Err(e) => return Err(e.into()),
            };
            unit_codes.insert(a.unit_id, c.clone());
            c
        }
    };
    Ok(AgencyDto {
        editable: caller.role.allows(Action::ManageAgencies) && caller.scope.contains(&a.unit_path),
        kind_name: a.kind_code.as_ref().and_then(|k| kind_names().get(k).cloned()),
        id: a.id,
        unit_id: a.unit_id,
        unit_code,
        unit_name: a.unit_name,
        kind_code: a.kind_code,
        name: a.name,
        abbreviation: a.abbreviation,
        active: a.active,
        aliases,
        created_at: a.created_at,
        updated_at: a.updated_at,
    })
}

/// `GET /api/v1/agencies`.
#[utoipa::path(
    get, operation_id = "list_agencies", path = "/api/v1/agencies", tag = "agencies",
    summary = "Cơ quan, tổ chức trong phạm vi của người gọi",
    security(("bearer" = [])),
    params(
        ("unit" = Option<String>, Query, description = "Code of a unit (resolved today): only its agencies"),
        ("q" = Option<String>, Query, max_length = 200, description = "Name or alias contains, with or without diacritics"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = AgencyList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown unit", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, caller: Caller, params: Params) -> ApiResult<Json<AgencyList>> {
    caller.require(Action::ViewAgencies)?;
    let query = params.text("q")?;
    let limit = params.limit()?;
    let offset = params.offset()?;
    let unit_id = match params.get("unit") {
        None => None,
        Some(code) => match crate::db::units::by_code(&state.db, code, today()).await {
            Ok(u) => Some(u.id),
            Err(crate::db::DbError::NotFound) => return Err(Error::unknown("unit", msg::UNIT_NOT_FOUND)),
            Err(e) => return Err(e.into()),
        },
    };
    let rows = crate::db::agencies::list(
        &state.db,
        &caller.scope.like_pattern(),
        &caller.scope.unit_path,
        unit_id,
        query.as_deref(),
        limit,
        offset,
    )
    .await?;
    let mut unit_codes = HashMap::new();
    let mut items = Vec::with_capacity(rows.len());
    for a in rows {
        // The query already limits rows to the scope; this keeps the rule in one visible place.
        if visible(&caller, &a) {
            items.push(to_dto(&state.db, &caller, a, &mut unit_codes).await?);
        }
    }
    Ok(Json(AgencyList { items, limit, offset }))
}

/// `GET /api/v1/agencies/{id}`.
#[utoipa::path(
    get, operation_id = "get_agency", path = "/api/v1/agencies/{id}", tag = "agencies",
    summary = "Một cơ quan, tổ chức",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Agency id")),
    responses(
        (status = 200, description = "OK", body = AgencyDto),
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
) -> ApiResult<Json<AgencyDto>> {
    caller.require(Action::ViewAgencies)?;
    let id = parse_id(&path_segment(id, "id")?)?;
    let a = crate::db::agencies::get(&state.db, id).await?;
    if !visible(&caller, &a) {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", msg::NOT_FOUND).into());
    }
    let mut unit_codes = HashMap::new();
    Ok(Json(to_dto(&state.db, &caller, a, &mut unit_codes).await?))
}
