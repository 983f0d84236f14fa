//! The JSON API under `/api/v1`: bearer tokens, administrative units, agencies, accounts and
//! the audit log. Every answer is JSON; errors are `{"error": code, "message": Vietnamese text}`
//! (plus `"param"` naming the offending query parameter when there is one). The OpenAPI
//! document is served at `GET /api/v1/openapi.json`.
//!
//! Lists answer `{"items": [...], "limit": n, "offset": m}`. Timestamps are RFC 3339 (UTC),
//! dates `YYYY-MM-DD`.

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{any, delete, get};
use crate::account::Action;
use crate::msg;
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
pub mod tokens;
pub mod units;

pub use params::{ApiResult, Error, Params};

/// (method, path, required action) for every kernel API route; `None` means public or any
/// authenticated caller (see each handler). Mirrors [`router`] for the permission-matrix test.
pub const API_ROUTES: &[crate::routes::ApiRoute] = &[
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
];

/// The kernel's API routes, with full paths; the server merges them with the capabilities'.
pub fn router() -> Router<AppState> {
    Router::new()
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
}

/// The catch-all under `/api/v1/`: a JSON 404 for unknown paths (merged last by
/// [`crate::routes::assemble`]).
pub fn fallback_routes() -> Router<AppState> {
    Router::new().route("/api/v1/{*rest}", any(not_found))
}

/// The OpenAPI 3.1 description of the kernel's API (info, security scheme, error body, tokens,
/// units, agencies, accounts, audit); the server merges the capabilities' paths into it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Applies the conventions every operation shares to the assembled document (the kernel's
/// paths and every capability's), so that no handler can forget them:
///
/// - a blank optional query parameter (`?level=`, `?limit=`) counts as absent ([`Params::get`]),
///   so each optional query parameter is marked `allowEmptyValue` (utoipa has no attribute for
///   this standard keyword; it is written through the parameter's extension map, which is
///   flattened into the parameter object).
pub fn apply_conventions(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{RefOr, Required};
    for item in doc.paths.paths.values_mut() {
        let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in ops.into_iter().flatten() {
            for param in op.parameters.iter_mut().flatten() {
                if let RefOr::T(p) = param
                    && p.parameter_in == ParameterIn::Query
                    && p.required == Required::False
                {
                    p.extensions
                        .get_or_insert_with(Default::default)
                        .insert("allowEmptyValue".into(), serde_json::Value::Bool(true));
                }
            }
        }
    }
}

/// Unknown path under `/api/v1/`: a JSON 404 rather than the HTML page.
async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// Known path, wrong method.
pub async fn method_not_allowed() -> ApiError {
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
    pub fn actor(&self, meta: &crate::page::ReqMeta) -> crate::db::audit::Actor {
        crate::db::audit::Actor {
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
    /// `login_failed`, `inactive`, `throttled`, `must_change_password`, `internal`, ...
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
        tokens::create, tokens::list, tokens::revoke,
        accounts::me,
        units::list, units::show,
        agencies::list, agencies::show,
        accounts::list, accounts::show,
        audit::list,
    ),
    components(schemas(
        ErrorBody,
        tokens::TokenRequest, tokens::TokenCreated, tokens::TokenDto, tokens::TokenList,
        units::UnitDto, units::UnitRef, units::LinkedUnit, units::UnitDetail, units::UnitList,
        agencies::AgencyDto, agencies::AgencyList,
        accounts::AccountDto, accounts::AccountList,
        audit::AuditDto, audit::AuditList,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "meta", description = "Mô tả API"),
        (name = "tokens", description = "Mã truy cập API"),
        (name = "units", description = "Đơn vị hành chính (dữ liệu tham chiếu)"),
        (name = "agencies", description = "Cơ quan, tổ chức"),
        (name = "accounts", description = "Tài khoản"),
        (name = "audit", description = "Nhật ký hệ thống"),
    )
)]
struct ApiDoc;
