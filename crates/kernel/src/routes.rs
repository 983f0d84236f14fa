//! Route-table types and the kernel's own pages. Every capability crate declares its page routes
//! in a `PAGE_ROUTES` table of the same shape beside its router; the server concatenates them
//! and the permission-matrix test walks them all for every role.

use axum::Router;
use axum::routing::{get, post};

use crate::account::Action;
use crate::pages::{accounts, agencies, audit, home, notifications, profile, session, system, units};
use crate::state::AppState;

/// Who may call a page route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account (its own data only).
    SignedIn,
    /// Accounts whose role allows the action; data is further limited to the account's scope.
    Needs(Action),
}

/// (method, path, access) of one page route.
pub type PageRoute = (&'static str, &'static str, Access);

/// (method, path, required action) of one API route; `None` means public or any authenticated
/// caller (see each handler).
pub type ApiRoute = (&'static str, &'static str, Option<Action>);

/// The kernel's page routes.
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/healthz", Access::Public),
    ("GET", "/metrics", Access::Public),
    ("GET", "/static/app.css", Access::Public),
    ("GET", "/dang-nhap", Access::Public),
    ("POST", "/dang-nhap", Access::Public),
    ("POST", "/dang-xuat", Access::Public),
    ("GET", "/quen-mat-khau", Access::Public),
    ("POST", "/quen-mat-khau", Access::Public),
    ("GET", "/dat-lai-mat-khau", Access::Public),
    ("POST", "/dat-lai-mat-khau", Access::Public),
    ("GET", "/doi-mat-khau", Access::SignedIn),
    ("POST", "/doi-mat-khau", Access::SignedIn),
    // The account's home page; without a session, the public site's home (when registered).
    ("GET", "/", Access::Public),
    ("GET", "/ca-nhan", Access::SignedIn),
    ("POST", "/ca-nhan", Access::SignedIn),
    ("POST", "/ca-nhan/ma-truy-cap/{id}/thu-hoi", Access::SignedIn),
    ("GET", "/don-vi", Access::Needs(Action::ViewUnits)),
    ("GET", "/don-vi/{id}", Access::Needs(Action::ViewUnits)),
    ("POST", "/don-vi/{id}/thon", Access::Needs(Action::ManageVillages)),
    ("POST", "/don-vi/{id}/lien-he", Access::Needs(Action::ManageVillages)),
    ("GET", "/co-quan", Access::Needs(Action::ViewAgencies)),
    ("GET", "/co-quan/moi", Access::Needs(Action::ManageAgencies)),
    ("POST", "/co-quan/moi", Access::Needs(Action::ManageAgencies)),
    ("GET", "/co-quan/{id}", Access::Needs(Action::ViewAgencies)),
    ("POST", "/co-quan/{id}", Access::Needs(Action::ManageAgencies)),
    ("GET", "/tai-khoan", Access::Needs(Action::ViewAccounts)),
    ("GET", "/tai-khoan/moi", Access::Needs(Action::ManageAccounts)),
    ("POST", "/tai-khoan/moi", Access::Needs(Action::ManageAccounts)),
    ("GET", "/tai-khoan/{id}", Access::Needs(Action::ViewAccounts)),
    ("POST", "/tai-khoan/{id}", Access::Needs(Action::ManageAccounts)),
    ("POST", "/tai-khoan/{id}/trang-thai", Access::Needs(Action::ManageAccounts)),
    ("POST", "/tai-khoan/{id}/mat-khau", Access::Needs(Action::ManageAccounts)),
    ("GET", "/nhat-ky", Access::Needs(Action::ViewAudit)),
    ("GET", "/he-thong/hop-thu", Access::Needs(Action::ViewOutbox)),
    ("GET", "/thong-bao", Access::SignedIn),
    ("POST", "/thong-bao/da-doc", Access::SignedIn),
];

/// The kernel's pages (sign-in, profile, notifications, units, agencies, accounts, audit, the
/// outbox, the home page, health and metrics).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(crate::middleware::healthz))
        .route("/metrics", get(crate::middleware::metrics_endpoint))
        .route("/static/app.css", get(system::stylesheet))
        .route("/dang-nhap", get(session::login_page).post(session::login_submit))
        .route("/dang-xuat", post(session::logout))
        .route("/quen-mat-khau", get(session::forgot_page).post(session::forgot_submit))
        .route("/dat-lai-mat-khau", get(session::reset_page).post(session::reset_submit))
        .route("/doi-mat-khau", get(session::change_password_page).post(session::change_password_submit))
        .route("/", get(home::dashboard))
        .route("/ca-nhan", get(profile::page).post(profile::save))
        .route("/ca-nhan/ma-truy-cap/{id}/thu-hoi", post(profile::revoke_token))
        .route("/don-vi", get(units::index))
        .route("/don-vi/{id}", get(units::show))
        .route("/don-vi/{id}/thon", post(units::create_village))
        .route("/don-vi/{id}/lien-he", post(units::save_contact))
        .route("/co-quan", get(agencies::index))
        .route("/co-quan/moi", get(agencies::new_page).post(agencies::create))
        .route("/co-quan/{id}", get(agencies::edit_page).post(agencies::update))
        .route("/tai-khoan", get(accounts::index))
        .route("/tai-khoan/moi", get(accounts::new_page).post(accounts::create))
        .route("/tai-khoan/{id}", get(accounts::edit_page).post(accounts::update))
        .route("/tai-khoan/{id}/trang-thai", post(accounts::toggle_active))
        .route("/tai-khoan/{id}/mat-khau", post(accounts::temporary_password))
        .route("/nhat-ky", get(audit::index))
        .route("/he-thong/hop-thu", get(system::outbox))
        .route("/thong-bao", get(notifications::index))
        .route("/thong-bao/da-doc", post(notifications::mark_read))
}

/// The body limit of routes that take an upload: one file plus the other form fields.
pub fn upload_limit(state: &AppState) -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(crate::csrf::upload_limit(state))
}

/// The whole route table of an application: the kernel's pages, the capabilities' routes, the
/// kernel's API and the JSON 404 under `/api/v1/`. The server and the test kit both build their
/// application with it, then wrap it with [`crate::middleware::wrap`].
pub fn assemble(capabilities: Router<AppState>) -> Router<AppState> {
    routes().merge(capabilities).merge(crate::api::router()).merge(crate::api::fallback_routes())
}
