//! The audit log, limited to the caller's subtree (entries without a unit only for global scope).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use crate::db::audit::{AuditFilter, AuditRow};
use crate::account::Action;
use serde::Serialize;
use utoipa::ToSchema;

use super::params::{ApiResult, Params};
use super::{Caller, ErrorBody};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AuditDto {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub account_id: Option<i64>,
    pub username: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub summary: String,
    /// The record before the change, when recorded.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The record after the change, when recorded.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl From<AuditRow> for AuditDto {
    fn from(r: AuditRow) -> Self {
        AuditDto {
            id: r.id,
            at: r.at,
            account_id: r.account_id,
            username: r.username,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            summary: r.summary,
            before: r.before_data.map(|j| j.0),
            after: r.after_data.map(|j| j.0),
            request_id: r.request_id,
            ip: r.ip,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditDto>,
    pub limit: i64,
    pub offset: i64,
}

/// Builds the filter from the query string (scope excluded).
fn filter(params: &Params, scope_pattern: String) -> ApiResult<AuditFilter> {
    Ok(AuditFilter {
        scope_pattern,
        username: params.text("username")?.map(|u| u.to_lowercase()),
        entity: params.text("entity")?,
        action: params.text("action")?,
        from: params.date("from")?,
        to: params.date("to")?,
        limit: params.limit()?,
        offset: params.offset()?,
    })
}

/// `GET /api/v1/audit`.
#[utoipa::path(
    get, operation_id = "list_audit", path = "/api/v1/audit", tag = "audit",
    summary = "Nhật ký hệ thống trong phạm vi của người gọi, mới nhất trước",
    security(("bearer" = [])),
    params(
        ("username" = Option<String>, Query, max_length = 200, description = "Exact username"),
        ("entity" = Option<String>, Query, max_length = 200, description = "e.g. account, agency, unit, api_token"),
        ("action" = Option<String>, Query, max_length = 200, description = "e.g. login, create_token, update"),
        ("from" = Option<String>, Query, format = Date, description = "From this day (YYYY-MM-DD, Vietnam time; dd/mm/yyyy is also accepted)"),
        ("to" = Option<String>, Query, format = Date, description = "To this day inclusive (YYYY-MM-DD, Vietnam time; dd/mm/yyyy is also accepted)"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = AuditList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, caller: Caller, params: Params) -> ApiResult<Json<AuditList>> {
    caller.require(Action::ViewAudit)?;
    let f = filter(&params, caller.scope.like_pattern())?;
    let items = crate::db::audit::list(&state.db, &f).await?.into_iter().map(AuditDto::from).collect();
    Ok(Json(AuditList { items, limit: f.limit, offset: f.offset }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn filter_from_query() {
        let p = Params::parse(Some("username=XA1&entity=account&from=2026-01-02&to=&limit=10")).unwrap();
        let f = filter(&p, "/1/%".into()).unwrap();
        assert_eq!(f.username.as_deref(), Some("xa1"));
        assert_eq!(f.entity.as_deref(), Some("account"));
        assert_eq!(f.action, None);
        assert_eq!(f.from, chrono::NaiveDate::from_ymd_opt(2026, 1, 2));
        assert_eq!(f.to, None);
        assert_eq!((f.limit, f.offset), (10, 0));
        let bad = Params::parse(Some("from=2026-13-01")).unwrap();
        assert_eq!(filter(&bad, "%".into()).unwrap_err().param, Some("from"));
    }
}
