//! The commune legal-access standard (chuẩn tiếp cận pháp luật): rule sets as versioned data,
//! the yearly assessment round, self-assessment with evidence, public posting and comments,
//! submission, the provincial council's review, the recognition decision and its revocation,
//! the dashboard and exports. See docs/legal-access.md.
//!
//! Layout: `rules/` pure rules (rule sets, scoring, the workflow), `store` SQL, `service` use
//! cases, `pages` handlers with `templates/`, `export` the decision DOCX and the XLSX table,
//! `home` its part of the home page, `msg` the messages, `demo` the demo round.
//!
//! Edges: none. Figures other capabilities hold (plans issued, the satisfaction survey) come
//! through the kernel's `KnownFigures` port, which the server wires.

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

/// The legal-access standard's migrations.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "legal_access", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] =
    &[MenuEntry { action: Action::ViewLegalAccess, href: "/chuan-tiep-can", label: "Chuẩn tiếp cận pháp luật", key: "legal_access" }];

/// Its pages for citizens (no account), listed on the sign-in page.
pub const PUBLIC_LINKS: &[kernel::registry::PublicLink] = &[("/cong-khai/chuan-tiep-can", "Chuẩn tiếp cận pháp luật")];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/chuan-tiep-can", Access::Needs(Action::ViewLegalAccess)),
    ("POST", "/chuan-tiep-can/dot", Access::Needs(Action::ReviewLegalAccess)),
    ("GET", "/chuan-tiep-can/dot/{id}", Access::Needs(Action::ViewLegalAccess)),
    ("POST", "/chuan-tiep-can/dot/{id}/hop", Access::Needs(Action::ReviewLegalAccess)),
    ("POST", "/chuan-tiep-can/dot/{id}/quyet-dinh", Access::Needs(Action::ReviewLegalAccess)),
    ("GET", "/chuan-tiep-can/dot/{id}/quyet-dinh.docx", Access::Needs(Action::ViewLegalAccess)),
    ("GET", "/chuan-tiep-can/dot/{id}/tong-hop.xlsx", Access::Needs(Action::ViewLegalAccess)),
    ("GET", "/chuan-tiep-can/bo-tieu-chi", Access::Needs(Action::ViewLegalAccess)),
    ("GET", "/chuan-tiep-can/bo-tieu-chi/{id}", Access::Needs(Action::ViewLegalAccess)),
    ("POST", "/chuan-tiep-can/bo-tieu-chi/{id}", Access::Needs(Action::ManageLegalAccessRules)),
    ("GET", "/chuan-tiep-can/minh-chung/{id}", Access::Needs(Action::ViewLegalAccess)),
    ("GET", "/chuan-tiep-can/{id}", Access::Needs(Action::ViewLegalAccess)),
    ("POST", "/chuan-tiep-can/{id}", Access::Needs(Action::AssessLegalAccess)),
    ("POST", "/chuan-tiep-can/{id}/buoc", Access::Needs(Action::ViewLegalAccess)),
    ("POST", "/chuan-tiep-can/{id}/dieu-chinh", Access::Needs(Action::ReviewLegalAccess)),
    ("POST", "/chuan-tiep-can/{id}/khong-cong-nhan", Access::Needs(Action::ViewLegalAccess)),
    ("POST", "/chuan-tiep-can/{id}/minh-chung", Access::Needs(Action::AssessLegalAccess)),
    ("GET", "/cong-khai/chuan-tiep-can", Access::Public),
    ("GET", "/cong-khai/chuan-tiep-can/{id}", Access::Public),
    ("POST", "/cong-khai/chuan-tiep-can/{id}/gop-y", Access::Public),
];

/// The pages of the legal-access standard.
pub fn routes(state: &AppState) -> Router<AppState> {
    let upload_limit = kernel::routes::upload_limit(state);
    Router::new()
        .route("/chuan-tiep-can", get(pages::index))
        .route("/chuan-tiep-can/dot", post(pages::round_create))
        .route("/chuan-tiep-can/dot/{id}", get(pages::round_show))
        .route("/chuan-tiep-can/dot/{id}/hop", post(pages::round_meeting))
        .route("/chuan-tiep-can/dot/{id}/quyet-dinh", post(pages::round_decide))
        .route("/chuan-tiep-can/dot/{id}/quyet-dinh.docx", get(pages::round_decision_docx))
        .route("/chuan-tiep-can/dot/{id}/tong-hop.xlsx", get(pages::round_xlsx))
        .route("/chuan-tiep-can/bo-tieu-chi", get(pages::rulesets))
        .route("/chuan-tiep-can/bo-tieu-chi/{id}", get(pages::ruleset_show).post(pages::ruleset_save))
        .route("/chuan-tiep-can/minh-chung/{id}", get(pages::evidence_file))
        .route("/chuan-tiep-can/{id}", get(pages::assessment_show).post(pages::assessment_save))
        .route("/chuan-tiep-can/{id}/buoc", post(pages::assessment_step))
        .route("/chuan-tiep-can/{id}/dieu-chinh", post(pages::assessment_adjust))
        .route("/chuan-tiep-can/{id}/khong-cong-nhan", post(pages::assessment_disqualify))
        .route("/chuan-tiep-can/{id}/minh-chung", post(pages::assessment_evidence).layer(upload_limit))
        .route("/cong-khai/chuan-tiep-can", get(pages::public_index))
        .route("/cong-khai/chuan-tiep-can/{id}", get(pages::public_show))
        .route("/cong-khai/chuan-tiep-can/{id}/gop-y", post(pages::public_comment))
        .merge(api::router())
}
