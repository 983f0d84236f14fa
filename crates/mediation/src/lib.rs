//! Grassroots mediation (hòa giải ở cơ sở): teams of a village with their history, mediators
//! with their recognition, election, training and end of service, roster import and export,
//! cases following the law's workflow (intake checked against the excluded matters,
//! assignment with conflicts of interest, the 3-day start rule, outcome, follow-up), the
//! tracking book, remuneration, and the figures that prefill the periodic reports. See
//! docs/mediation.md.
//!
//! Layout: `rules/` pure rules (the versioned catalogue, the case workflow, team warnings, the
//! roster reader, the counts), `store` SQL, `service` use cases with the access rules, `pages`
//! handlers with `templates/`, `export` the roster and the tracking book, `msg` the messages,
//! `demo` the demo teams and cases.
//!
//! Edges: none. Reports read the figures through the kernel's `ReportFigures` port.

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
pub mod public_unit;
pub mod rules;
pub mod service;
pub mod store;

/// Grassroots mediation's migrations.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "mediation", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] = &[MenuEntry { action: Action::ViewMediation, href: "/hoa-giai", label: "Hòa giải ở cơ sở", key: "mediation" }];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/hoa-giai", Access::Needs(Action::ViewMediation)),
    ("POST", "/hoa-giai/to", Access::Needs(Action::ManageMediation)),
    ("GET", "/hoa-giai/to/{id}", Access::Needs(Action::ViewMediation)),
    ("POST", "/hoa-giai/to/{id}/hoa-giai-vien", Access::Needs(Action::ManageMediation)),
    ("POST", "/hoa-giai/to/{id}/nhap", Access::Needs(Action::ManageMediation)),
    ("GET", "/hoa-giai/to/{id}/danh-sach.xlsx", Access::Needs(Action::ViewMediation)),
    ("POST", "/hoa-giai/to/{id}/quyet-dinh", Access::Needs(Action::ManageMediation)),
    ("GET", "/hoa-giai/to/{id}/quyet-dinh", Access::Needs(Action::ViewMediation)),
    ("POST", "/hoa-giai/to/{id}/to-truong", Access::Needs(Action::ManageMediation)),
    ("POST", "/hoa-giai/to/{id}/thoi", Access::Needs(Action::ManageMediation)),
    ("POST", "/hoa-giai/to/{id}/tai-khoan", Access::Needs(Action::ManageMediation)),
    ("POST", "/hoa-giai/to/{id}/hop-nhat", Access::Needs(Action::ManageMediation)),
    ("POST", "/hoa-giai/to/{id}/tap-huan", Access::Needs(Action::ManageMediation)),
    ("GET", "/hoa-giai/to/{id}/so-theo-doi.xlsx", Access::Needs(Action::ViewMediation)),
    ("GET", "/hoa-giai/to/{id}/so-theo-doi.docx", Access::Needs(Action::ViewMediation)),
    ("GET", "/hoa-giai/to/{id}/vu-viec/moi", Access::Needs(Action::RecordMediationCases)),
    ("POST", "/hoa-giai/to/{id}/vu-viec", Access::Needs(Action::RecordMediationCases)),
    ("GET", "/hoa-giai/vu-viec/{id}", Access::Needs(Action::ViewMediation)),
    ("GET", "/hoa-giai/vu-viec/{id}/van-ban.docx", Access::Needs(Action::ViewMediation)),
    ("POST", "/hoa-giai/vu-viec/{id}/buoc", Access::Needs(Action::RecordMediationCases)),
    ("GET", "/hoa-giai/thu-lao", Access::Needs(Action::ManageMediation)),
    ("GET", "/hoa-giai/thu-lao.xlsx", Access::Needs(Action::ManageMediation)),
    ("POST", "/hoa-giai/thu-lao", Access::Needs(Action::ManageMediation)),
    ("GET", "/static/hoa-giai.js", Access::Public),
];

/// The pages of grassroots mediation.
pub fn routes(state: &AppState) -> Router<AppState> {
    let upload_limit = kernel::routes::upload_limit(state);
    Router::new()
        .route("/hoa-giai", get(pages::index))
        .route("/hoa-giai/to", post(pages::team_create))
        .route("/hoa-giai/to/{id}", get(pages::team_show))
        .route("/hoa-giai/to/{id}/hoa-giai-vien", post(pages::mediator_add))
        .route("/hoa-giai/to/{id}/nhap", post(pages::roster_import).layer(upload_limit))
        .route("/hoa-giai/to/{id}/danh-sach.xlsx", get(pages::roster_xlsx))
        .route("/hoa-giai/to/{id}/quyet-dinh", get(pages::decision_download).post(pages::decision_upload).layer(upload_limit))
        .route("/hoa-giai/to/{id}/to-truong", post(pages::leader_set))
        .route("/hoa-giai/to/{id}/thoi", post(pages::mediator_end))
        .route("/hoa-giai/to/{id}/tai-khoan", post(pages::account_link))
        .route("/hoa-giai/to/{id}/hop-nhat", post(pages::team_succeed))
        .route("/hoa-giai/to/{id}/tap-huan", post(pages::training_add))
        .route("/hoa-giai/to/{id}/so-theo-doi.xlsx", get(pages::book_xlsx))
        .route("/hoa-giai/to/{id}/so-theo-doi.docx", get(pages::book_docx))
        .route("/hoa-giai/to/{id}/vu-viec/moi", get(pages::case_new))
        .route("/hoa-giai/to/{id}/vu-viec", post(pages::case_create))
        .route("/hoa-giai/vu-viec/{id}", get(pages::case_show))
        .route("/hoa-giai/vu-viec/{id}/van-ban.docx", get(pages::agreement_docx))
        .route("/hoa-giai/vu-viec/{id}/buoc", post(pages::case_step))
        .route("/hoa-giai/thu-lao", get(pages::payments).post(pages::payments_mark))
        .route("/hoa-giai/thu-lao.xlsx", get(pages::payments_xlsx))
        .route("/static/hoa-giai.js", get(pages::script))
        .merge(api::router())
}
