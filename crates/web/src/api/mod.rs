//! The JSON API under `/api/v1`: bearer tokens, administrative units, agencies, accounts and
//! the audit log. Every answer is JSON; errors are `{"error": code, "message": Vietnamese text}`
//! (plus `"param"` naming the offending query parameter when there is one). The OpenAPI
//! document is served at `GET /api/v1/openapi.json`.
//!
//! Lists answer `{"items": [...], "limit": n, "offset": m}`. Timestamps are RFC 3339 (UTC),
//! dates `YYYY-MM-DD`.

use axum::Json;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{any, delete, get, post, put};
use domain::account::Action;
use domain::msg;
use serde::Serialize;
use utoipa::OpenApi as _;
use utoipa::ToSchema;

use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::state::AppState;

pub mod accounts;
pub mod agencies;
pub mod audit;
pub mod params;
pub mod reports;
pub mod tokens;
pub mod units;

pub use params::{ApiResult, Error, Params};

/// (method, path, required action) for every API route; `None` means public or any
/// authenticated caller (see each handler). Mirrors [`router`] for the permission-matrix test.
pub const API_ROUTES: &[(&str, &str, Option<Action>)] = &[
    ("GET", "/api/v1/openapi.json", None),
    ("POST", "/api/v1/tokens", None),
    ("GET", "/api/v1/tokens", None),
    ("DELETE", "/api/v1/tokens/{id}", None),
    ("GET", "/api/v1/me", None),
    ("GET", "/api/v1/units", None),
    ("GET", "/api/v1/units/{code}", None),
    ("GET", "/api/v1/agencies", Some(Action::ViewAgencies)),
    ("GET", "/api/v1/agencies/{id}", Some(Action::ViewAgencies)),
    ("GET", "/api/v1/accounts", Some(Action::ViewAccounts)),
    ("GET", "/api/v1/accounts/{id}", Some(Action::ViewAccounts)),
    ("GET", "/api/v1/audit", Some(Action::ViewAudit)),
    ("GET", "/api/v1/reports", Some(Action::ViewReports)),
    ("GET", "/api/v1/reports/{id}", Some(Action::ViewReports)),
    ("PUT", "/api/v1/reports/{id}/values", Some(Action::FillReports)),
    ("POST", "/api/v1/reports/{id}/submit", Some(Action::FillReports)),
    ("GET", "/api/v1/rounds/{id}/aggregate", Some(Action::ViewReports)),
];

/// The API routes, with full paths; merged into the main router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi_json).fallback(method_not_allowed))
        .route("/api/v1/tokens", get(tokens::list).post(tokens::create).fallback(method_not_allowed))
        .route("/api/v1/tokens/{id}", delete(tokens::revoke).fallback(method_not_allowed))
        .route("/api/v1/me", get(accounts::me).fallback(method_not_allowed))
        .route("/api/v1/units", get(units::list).fallback(method_not_allowed))
        .route("/api/v1/units/{code}", get(units::show).fallback(method_not_allowed))
        .route("/api/v1/agencies", get(agencies::list).fallback(method_not_allowed))
        .route("/api/v1/agencies/{id}", get(agencies::show).fallback(method_not_allowed))
        .route("/api/v1/accounts", get(accounts::list).fallback(method_not_allowed))
        .route("/api/v1/accounts/{id}", get(accounts::show).fallback(method_not_allowed))
        .route("/api/v1/audit", get(audit::list).fallback(method_not_allowed))
        .route("/api/v1/reports", get(reports::list).fallback(method_not_allowed))
        .route("/api/v1/reports/{id}", get(reports::show).fallback(method_not_allowed))
        .route("/api/v1/reports/{id}/values", put(reports::put_values).fallback(method_not_allowed))
        .route("/api/v1/reports/{id}/submit", post(reports::submit).fallback(method_not_allowed))
        .route("/api/v1/rounds/{id}/aggregate", get(reports::aggregate).fallback(method_not_allowed))
        .route("/api/v1/{*rest}", any(not_found))
}

/// The OpenAPI 3.1 description of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `GET /api/v1/openapi.json` (public).
#[utoipa::path(
    get, operation_id = "get_openapi", path = "/api/v1/openapi.json", tag = "meta",
    summary = "Mô tả OpenAPI của API",
    responses((status = 200, description = "OpenAPI document", content_type = "application/json"))
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

/// Unknown path under `/api/v1/`: a JSON 404 rather than the HTML page.
async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// Known path, wrong method.
async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", msg::BAD_REQUEST)
}

/// An authenticated API caller: a valid bearer token of an active account that has changed its
/// initial password and whose role may use the API.
#[derive(Clone, Debug)]
pub struct Caller(pub ApiUser);

impl Caller {
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        self.0.require(action)
    }

    /// The audit actor for this caller.
    pub fn actor(&self, meta: &crate::views::ReqMeta) -> db::audit::Actor {
        db::audit::Actor {
            account_id: Some(self.account.id),
            username: Some(self.account.username.clone()),
            request_id: meta.request_id.clone(),
            ip: Some(meta.ip.clone()),
        }
    }
}

impl std::ops::Deref for Caller {
    type Target = ApiUser;
    fn deref(&self) -> &ApiUser {
        &self.0
    }
}

pub(crate) fn must_change_password() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "must_change_password", msg::MUST_CHANGE_PASSWORD)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = ApiUser::from_request_parts(parts, state).await?;
        if user.account.must_change_password {
            return Err(must_change_password());
        }
        user.require(Action::UseApi)?;
        Ok(Caller(user))
    }
}

/// The body of every error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Machine-readable code: `bad_request`, `unauthenticated`, `forbidden`, `not_found`,
    /// `login_failed`, `locked`, `inactive`, `throttled`, `must_change_password`, `internal`, ...
    pub error: String,
    /// Vietnamese message for people.
    pub message: String,
    /// The query parameter at fault, when there is one.
    pub param: Option<String>,
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(utoipa::openapi::Components::new);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pbg_…")
                    .description(Some("Mã truy cập cấp bởi POST /api/v1/tokens"))
                    .build(),
            ),
        );
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "pbgdpl API",
        description = "API JSON của hệ thống thông tin phổ biến, giáo dục pháp luật. \
                       Xác thực bằng `Authorization: Bearer <mã truy cập>` lấy từ `POST /api/v1/tokens`."
    ),
    paths(
        openapi_json,
        tokens::create, tokens::list, tokens::revoke,
        accounts::me,
        units::list, units::show,
        agencies::list, agencies::show,
        accounts::list, accounts::show,
        audit::list,
        reports::list, reports::show, reports::put_values, reports::submit, reports::aggregate,
    ),
    components(schemas(
        ErrorBody,
        tokens::TokenRequest, tokens::TokenCreated, tokens::TokenDto, tokens::TokenList,
        units::UnitDto, units::UnitRef, units::LinkedUnit, units::UnitDetail, units::UnitList,
        agencies::AgencyDto, agencies::AgencyList,
        accounts::AccountDto, accounts::AccountList,
        audit::AuditDto, audit::AuditList,
        reports::ReportDto, reports::ReportList, reports::ValuesRequest, reports::FieldError, reports::ValidationFailed,
        reports::SubmitRequest, reports::AggregateDto,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "meta", description = "Mô tả API"),
        (name = "tokens", description = "Mã truy cập API"),
        (name = "units", description = "Đơn vị hành chính (dữ liệu tham chiếu)"),
        (name = "agencies", description = "Cơ quan, tổ chức"),
        (name = "accounts", description = "Tài khoản"),
        (name = "audit", description = "Nhật ký hệ thống"),
        (name = "reports", description = "Báo cáo định kỳ"),
    )
)]
struct ApiDoc;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented() {
        let doc = openapi();
        for (method, path, _) in API_ROUTES {
            let item = doc.paths.paths.get(*path);
            assert!(item.is_some(), "{path} missing from OpenAPI");
            let item = item.unwrap();
            let op = match *method {
                "GET" => &item.get,
                "POST" => &item.post,
                "PUT" => &item.put,
                "DELETE" => &item.delete,
                _ => &None,
            };
            assert!(op.is_some(), "{method} {path} missing from OpenAPI");
        }
        let documented: usize = doc
            .paths
            .paths
            .values()
            .map(|i| [&i.get, &i.post, &i.put, &i.patch, &i.delete].iter().filter(|o| o.is_some()).count())
            .sum();
        assert_eq!(documented, API_ROUTES.len());
    }

    #[test]
    fn protected_routes_declare_bearer_security() {
        let doc = openapi();
        for (method, path, _) in API_ROUTES {
            let item = doc.paths.paths.get(*path).unwrap();
            let op = match *method {
                "GET" => item.get.as_ref(),
                "POST" => item.post.as_ref(),
                "PUT" => item.put.as_ref(),
                _ => item.delete.as_ref(),
            }
            .unwrap();
            let public = (*method, *path) == ("GET", "/api/v1/openapi.json") || (*method, *path) == ("POST", "/api/v1/tokens");
            assert_eq!(op.security.is_none(), public, "{method} {path}");
        }
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    }

    #[test]
    fn operations_are_well_formed() {
        let json = serde_json::to_value(openapi()).unwrap();
        let mut ids = std::collections::BTreeSet::new();
        for (path, item) in json["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let id = op["operationId"].as_str().unwrap_or_default().to_string();
                assert!(ids.insert(id.clone()), "duplicate operationId {id} on {method} {path}");
                for (status, resp) in op["responses"].as_object().unwrap() {
                    assert!(resp["description"].is_string(), "{method} {path} {status} lacks a description");
                }
            }
        }
        assert_eq!(ids.len(), API_ROUTES.len());
    }

    #[test]
    fn router_builds() {
        let _ = router();
    }
}
