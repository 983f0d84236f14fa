//! Administrative units: public reference data for every authenticated API caller.

use std::collections::HashMap;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use crate::db::Db;
use crate::db::units::{Linked, Unit, UnitFilter};
use crate::msg;
use crate::unit::{UnitLevel, kind_label};
use serde::Serialize;
use utoipa::ToSchema;

use super::params::{ApiResult, Error, Params, path_segment};
use super::{Caller, ErrorBody};
use crate::error::ApiError;
use crate::state::AppState;
use crate::page::today;

/// A unit as listed.
#[derive(Serialize, ToSchema)]
pub struct UnitDto {
    /// Internal id; a code may have been used by several generations of units.
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `province`, `district` (before 1 July 2025), `commune` or `village`.
    pub level: String,
    pub level_label: String,
    /// Kind code, e.g. `xa`, `phuong`, `tinh`, `thon`.
    pub kind: String,
    pub kind_label: String,
    pub parent_id: Option<i64>,
    pub parent_code: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// From the official list (false for villages created by users).
    pub official: bool,
    pub legal_basis: Option<String>,
}

impl UnitDto {
    fn new(u: Unit, parent_code: Option<String>) -> UnitDto {
        UnitDto {
            level_label: u.level().map(UnitLevel::label).unwrap_or_default().to_string(),
            kind_label: kind_label(&u.kind).to_string(),
            id: u.id,
            code: u.code,
            name: u.name,
            level: u.level,
            kind: u.kind,
            parent_id: u.parent_id,
            parent_code,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
            official: u.official,
            legal_basis: u.legal_basis,
        }
    }
}

/// Another unit, briefly.
#[derive(Serialize, ToSchema)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: String,
}

/// A unit on the other side of a succession link.
#[derive(Serialize, ToSchema)]
pub struct LinkedUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: String,
    pub kind_label: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// Only part of the old unit went into the new one.
    pub partly_merged: bool,
    /// The day the change took effect.
    pub effective: NaiveDate,
}

impl From<Linked> for LinkedUnit {
    fn from(l: Linked) -> Self {
        LinkedUnit {
            kind_label: kind_label(&l.unit.kind).to_string(),
            id: l.unit.id,
            code: l.unit.code,
            name: l.unit.name,
            level: l.unit.level,
            valid_from: l.unit.valid_from,
            valid_to: l.unit.valid_to,
            partly_merged: l.partly_merged,
            effective: l.effective,
        }
    }
}

/// One unit with its neighbourhood.
#[derive(Serialize, ToSchema)]
pub struct UnitDetail {
    #[serde(flatten)]
    pub unit: UnitDto,
    pub parent: Option<UnitRef>,
    /// In force on the requested day (`valid_on`, else today).
    pub in_force: bool,
    /// Units this one directly came from.
    pub predecessors: Vec<LinkedUnit>,
    /// Units that directly succeeded this one.
    pub successors: Vec<LinkedUnit>,
    /// What the unit is today, when it is no longer in force; `null` otherwise.
    pub today: Option<Vec<LinkedUnit>>,
    /// Children (communes, villages, ...) in force on the requested day, or on the unit's last
    /// day when the unit itself was not in force then.
    pub children_count: i64,
}

/// Level of an administrative unit.
// Documentation only: the filter is parsed by [`Params::level`].
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum LevelParam {
    Province,
    District,
    Commune,
    Village,
}

#[derive(Serialize, ToSchema)]
pub struct UnitList {
    pub items: Vec<UnitDto>,
    pub limit: i64,
    pub offset: i64,
}

/// Codes of the parents of `units`, one query per distinct parent.
async fn parent_codes(db: &Db, units: &[Unit], mut known: HashMap<i64, String>) -> ApiResult<HashMap<i64, String>> {
    for pid in units.iter().filter_map(|u| u.parent_id) {
        if known.contains_key(&pid) {
            continue;
        }
        match crate::db::units::get(db, pid).await {
            Ok(p) => {
                known.insert(pid, p.code);
            }
            Err(crate::db::DbError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(known)
}

/// `GET /api/v1/units`.
#[utoipa::path(
    get, operation_id = "list_units", path = "/api/v1/units", tag = "units",
    summary = "Danh sách đơn vị hành chính",
    security(("bearer" = [])),
    params(
        ("level" = inline(Option<LevelParam>), Query, description = "Only units of this level"),
        ("valid_on" = Option<String>, Query, format = Date, description = "Only units in force on this day (YYYY-MM-DD; dd/mm/yyyy is also accepted)"),
        ("parent" = Option<String>, Query, description = "Code of the parent unit (resolved on valid_on, else today)"),
        ("q" = Option<String>, Query, max_length = 200, description = "Name contains, with or without diacritics"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = UnitList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "Unknown parent", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, _caller: Caller, params: Params) -> ApiResult<Json<UnitList>> {
    let level = params.level()?;
    let valid_on = params.date("valid_on")?;
    let query = params.text("q")?;
    let limit = params.limit()?;
    let offset = params.offset()?;
    let mut known = HashMap::new();
    let parent_id = match params.get("parent") {
        None => None,
        Some(code) => match crate::db::units::by_code(&state.db, code, valid_on.unwrap_or_else(today)).await {
            Ok(p) => {
                known.insert(p.id, p.code);
                Some(p.id)
            }
            Err(crate::db::DbError::NotFound) => return Err(Error::unknown("parent", msg::UNIT_NOT_FOUND)),
            Err(e) => return Err(e.into()),
        },
    };
    let filter = UnitFilter { level, valid_on, parent_id, query, limit, offset };
    let units = crate::db::units::list(&state.db, &filter).await?;
    let codes = parent_codes(&state.db, &units, known).await?;
    let items = units
        .into_iter()
        .map(|u| {
            let pc = u.parent_id.and_then(|p| codes.get(&p).cloned());
            UnitDto::new(u, pc)
        })
        .collect();
    Ok(Json(UnitList { items, limit, offset }))
}

/// The day on which to count a unit's children: the requested day if the unit was in force
/// then, otherwise the nearest day on which it was.
fn children_day(u: &Unit, day: NaiveDate) -> NaiveDate {
    match (u.valid_from, u.valid_to) {
        (Some(from), _) if day < from => from,
        (_, Some(to)) if day > to => to,
        _ => day,
    }
}

/// `GET /api/v1/units/{code}`.
#[utoipa::path(
    get, operation_id = "get_unit", path = "/api/v1/units/{code}", tag = "units",
    summary = "Một đơn vị hành chính, với đơn vị cấp trên và lịch sử sắp xếp",
    security(("bearer" = [])),
    params(
        ("code" = String, Path, description = "Unit code, e.g. 01 or 00004"),
        ("valid_on" = Option<String>, Query, format = Date, description = "Pick the unit with this code in force on this day (YYYY-MM-DD; dd/mm/yyyy is also accepted); default today, falling back to the most recent"),
    ),
    responses(
        (status = 200, description = "OK", body = UnitDetail),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    _caller: Caller,
    code: Result<Path<String>, PathRejection>,
    params: Params,
) -> ApiResult<Json<UnitDetail>> {
    let code = path_segment(code, "code")?;
    let now = today();
    let day = params.date("valid_on")?.unwrap_or(now);
    let db = &state.db;
    let unit = match crate::db::units::by_code(db, code.trim(), day).await {
        Ok(u) => u,
        Err(crate::db::DbError::NotFound) => return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", msg::UNIT_NOT_FOUND).into()),
        Err(e) => return Err(e.into()),
    };
    let parent = match unit.parent_id {
        Some(pid) => match crate::db::units::get(db, pid).await {
            Ok(p) => Some(UnitRef { id: p.id, code: p.code, name: p.name, level: p.level }),
            Err(crate::db::DbError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let predecessors = crate::db::units::predecessors(db, unit.id).await?.into_iter().map(LinkedUnit::from).collect();
    let successors = crate::db::units::successors(db, unit.id).await?.into_iter().map(LinkedUnit::from).collect();
    let no_longer_in_force = unit.valid_to.is_some_and(|t| t < now);
    let today_units = if no_longer_in_force {
        Some(crate::db::units::today_of(db, unit.id, now).await?.into_iter().map(LinkedUnit::from).collect())
    } else {
        None
    };
    let children = crate::db::units::children(db, Some(unit.id), Some(children_day(&unit, day))).await?;
    let in_force = unit.is_valid_on(day);
    let parent_code = parent.as_ref().map(|p| p.code.clone());
    Ok(Json(UnitDetail {
        unit: UnitDto::new(unit, parent_code),
        parent,
        in_force,
        predecessors,
        successors,
        today: today_units,
        children_count: i64::try_from(children.len()).unwrap_or(i64::MAX),
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn unit(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Unit {
        Unit {
            id: 1,
            code: "001".into(),
            name: "Huyện A".into(),
            level: "district".into(),
            kind: "huyen".into(),
            parent_id: Some(7),
            path: "/7/1/".into(),
            valid_from: from,
            valid_to: to,
            legal_basis: None,
            official: true,
        }
    }

    #[test]
    fn children_are_counted_while_the_unit_existed() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let old = unit(None, Some(d(2025, 6, 30)));
        assert_eq!(children_day(&old, d(2026, 1, 1)), d(2025, 6, 30));
        assert_eq!(children_day(&old, d(2020, 1, 1)), d(2020, 1, 1));
        let new = unit(Some(d(2025, 7, 1)), None);
        assert_eq!(children_day(&new, d(2024, 1, 1)), d(2025, 7, 1));
        assert_eq!(children_day(&new, d(2026, 1, 1)), d(2026, 1, 1));
    }

    #[test]
    fn unit_labels() {
        let dto = UnitDto::new(unit(None, None), Some("07".into()));
        assert_eq!(dto.kind_label, "Huyện");
        assert_eq!(dto.level_label, UnitLevel::District.label());
        assert_eq!(dto.parent_code.as_deref(), Some("07"));
        let json = serde_json::to_value(&dto).unwrap();
        assert!(json["valid_from"].is_null());
    }
}
