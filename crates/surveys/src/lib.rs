//! Surveys (khảo sát, phiếu đánh giá sự hài lòng): questionnaires with versions, public
//! answering without an account, paper entry by officers, results with charts, streamed
//! exports, a QR code and an A4 poster, and the satisfaction survey of the legal-access
//! standard shipped as a template. See docs/surveys.md.
//!
//! Layout: `rules/` pure rules (questionnaire, answer validation, tallies, export layout,
//! proof of work, limits, templates), `store` SQL, `service` use cases shared by pages, API and
//! the legal-access standard (`service::satisfaction_result`), `pages` officers' pages,
//! `public` the public answering page, `export` the streamed CSV and XLSX, `api` the JSON API,
//! `home` its part of the home page, `msg` the messages, `demo` the demo survey.
//!
//! Edges: none to other capabilities.

use axum::Router;
use axum::routing::{get, post};
use kernel::account::Action;
use kernel::db::MigrationSet;
use kernel::page::MenuEntry;
use kernel::routes::{Access, PageRoute};
use kernel::state::AppState;

pub mod api;
pub mod demo;
pub mod export;
pub mod home;
pub mod msg;
pub mod pages;
pub mod public;
pub mod rules;
pub mod service;
pub mod store;

pub use service::SatisfactionResult;

/// The surveys' migrations.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "surveys", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] = &[MenuEntry { action: Action::ViewSurveys, href: "/phieu-khao-sat", label: "Khảo sát", key: "surveys" }];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/phieu-khao-sat", Access::Needs(Action::ViewSurveys)),
    ("GET", "/phieu-khao-sat/moi", Access::Needs(Action::ManageSurveys)),
    ("POST", "/phieu-khao-sat/moi", Access::Needs(Action::ManageSurveys)),
    ("POST", "/phieu-khao-sat/tu-mau", Access::Needs(Action::ManageSurveys)),
    ("GET", "/phieu-khao-sat/{id}", Access::Needs(Action::ViewSurveys)),
    ("POST", "/phieu-khao-sat/{id}", Access::Needs(Action::ManageSurveys)),
    ("POST", "/phieu-khao-sat/{id}/cong-bo", Access::Needs(Action::ManageSurveys)),
    ("POST", "/phieu-khao-sat/{id}/dong", Access::Needs(Action::ManageSurveys)),
    ("POST", "/phieu-khao-sat/{id}/phien-ban-moi", Access::Needs(Action::ManageSurveys)),
    ("GET", "/phieu-khao-sat/{id}/nhap-phieu", Access::Needs(Action::ManageSurveys)),
    ("POST", "/phieu-khao-sat/{id}/nhap-phieu", Access::Needs(Action::ManageSurveys)),
    ("GET", "/phieu-khao-sat/{id}/ket-qua", Access::Needs(Action::ViewSurveys)),
    ("GET", "/phieu-khao-sat/{id}/ket-qua.xlsx", Access::Needs(Action::ViewSurveys)),
    ("GET", "/phieu-khao-sat/{id}/ket-qua.csv", Access::Needs(Action::ViewSurveys)),
    ("GET", "/phieu-khao-sat/{id}/ma-qr.svg", Access::Needs(Action::ViewSurveys)),
    ("GET", "/phieu-khao-sat/{id}/ap-phich.pdf", Access::Needs(Action::ViewSurveys)),
    ("GET", "/khao-sat/{token}", Access::Public),
    ("POST", "/khao-sat/{token}", Access::Public),
    ("GET", "/khao-sat/{token}/cam-on", Access::Public),
    ("GET", "/static/khao-sat.js", Access::Public),
];

/// The surveys' pages and API routes.
pub fn routes(_state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/phieu-khao-sat", get(pages::index))
        .route("/phieu-khao-sat/moi", get(pages::new_page).post(pages::create))
        .route("/phieu-khao-sat/tu-mau", post(pages::from_template))
        .route("/phieu-khao-sat/{id}", get(pages::show).post(pages::save))
        .route("/phieu-khao-sat/{id}/cong-bo", post(pages::publish))
        .route("/phieu-khao-sat/{id}/dong", post(pages::close))
        .route("/phieu-khao-sat/{id}/phien-ban-moi", post(pages::new_version))
        .route("/phieu-khao-sat/{id}/nhap-phieu", get(pages::paper_page).post(pages::paper_save))
        .route("/phieu-khao-sat/{id}/ket-qua", get(pages::results))
        .route("/phieu-khao-sat/{id}/ket-qua.xlsx", get(pages::export_xlsx))
        .route("/phieu-khao-sat/{id}/ket-qua.csv", get(pages::export_csv))
        .route("/phieu-khao-sat/{id}/ma-qr.svg", get(pages::qr))
        .route("/phieu-khao-sat/{id}/ap-phich.pdf", get(pages::poster))
        .route("/khao-sat/{token}", get(public::page).post(public::submit))
        .route("/khao-sat/{token}/cam-on", get(public::thanks))
        .route("/static/khao-sat.js", get(public::script))
        .merge(api::router())
}
