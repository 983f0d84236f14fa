//! Periodic reports (báo cáo định kỳ): report forms as versioned data, schedules and rounds,
//! entry with validation, submission and review, locks, roll-up totals, completeness,
//! reminders, XLSX and DOCX exports, XLSX import, and the JSON API. See docs/reports.md.
//!
//! Layout: `rules/` pure rules (forms, periods, values, validation, roll-up, states), `store`
//! SQL, `service` use cases shared by pages, API and jobs, `pages` handlers with `templates/`,
//! `api` the JSON API, `jobs` the reports' part of the reminder digest, `msg` the messages,
//! `demo` the demo schedules.
//!
//! Edges: none to other capabilities. Prefilling a report from task results goes through the
//! kernel's `TaskFigures` port, which the server wires to `plans` (see ARCHITECTURE.md).

use axum::Router;
use axum::routing::{get, post};
use kernel::account::Action;
use kernel::db::MigrationSet;
use kernel::page::MenuEntry;
use kernel::routes::{Access, PageRoute};
use kernel::state::AppState;

pub mod api;
pub mod demo;
pub mod home;
pub mod jobs;
pub mod msg;
pub mod pages;
pub mod rules;
pub mod service;
pub mod store;

/// The reports' migrations.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "reports", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] = &[MenuEntry { action: Action::ViewReports, href: "/bao-cao", label: "Báo cáo", key: "reports" }];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/bao-cao", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/bieu-mau", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/bieu-mau/{id}", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/bieu-mau/{id}", Access::Needs(Action::ManageReportForms)),
    ("POST", "/bao-cao/bieu-mau/{id}/sua", Access::Needs(Action::ManageReportForms)),
    ("GET", "/bao-cao/lich/moi", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/lich/moi", Access::Needs(Action::ReviewReports)),
    ("GET", "/bao-cao/lich/{id}", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/lich/{id}/lap-ky", Access::Needs(Action::ReviewReports)),
    ("GET", "/bao-cao/ky/{id}", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/ky/{id}/mo", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/ky/{id}/dong", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/ky/{id}/nhac", Access::Needs(Action::ReviewReports)),
    ("GET", "/bao-cao/ky/{id}/tong-hop.xlsx", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/ky/{id}/bao-cao.docx", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/ky/{id}/bao-cao.pdf", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/{id}", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/{id}", Access::Needs(Action::FillReports)),
    ("POST", "/bao-cao/{id}/duyet", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/{id}/tra-lai", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/{id}/mo-khoa", Access::Needs(Action::ReviewReports)),
    ("POST", "/bao-cao/{id}/y-kien", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/{id}/tai-ve.xlsx", Access::Needs(Action::ViewReports)),
    ("GET", "/bao-cao/{id}/tai-ve.pdf", Access::Needs(Action::ViewReports)),
    ("POST", "/bao-cao/{id}/nhap-excel", Access::Needs(Action::FillReports)),
];

/// The reports' pages and API routes.
pub fn routes(state: &AppState) -> Router<AppState> {
    let upload_limit = kernel::routes::upload_limit(state);
    Router::new()
        .route("/bao-cao", get(pages::index))
        .route("/bao-cao/bieu-mau", get(pages::forms_index))
        .route("/bao-cao/bieu-mau/{id}", get(pages::form_show).post(pages::form_save))
        .route("/bao-cao/bieu-mau/{id}/sua", post(pages::form_save_structured))
        .route("/bao-cao/lich/moi", get(pages::schedule_new).post(pages::schedule_create))
        .route("/bao-cao/lich/{id}", get(pages::schedule_show))
        .route("/bao-cao/lich/{id}/lap-ky", post(pages::schedule_generate))
        .route("/bao-cao/ky/{id}", get(pages::round_show))
        .route("/bao-cao/ky/{id}/mo", post(pages::round_open))
        .route("/bao-cao/ky/{id}/dong", post(pages::round_close))
        .route("/bao-cao/ky/{id}/nhac", post(pages::round_remind))
        .route("/bao-cao/ky/{id}/tong-hop.xlsx", get(pages::round_xlsx))
        .route("/bao-cao/ky/{id}/bao-cao.docx", get(pages::round_docx))
        .route("/bao-cao/ky/{id}/bao-cao.pdf", get(pages::round_pdf))
        .route("/bao-cao/{id}", get(pages::report_show).post(pages::report_save))
        .route("/bao-cao/{id}/duyet", post(pages::report_approve))
        .route("/bao-cao/{id}/tra-lai", post(pages::report_return))
        .route("/bao-cao/{id}/mo-khoa", post(pages::report_unlock))
        .route("/bao-cao/{id}/y-kien", post(pages::report_comment))
        .route("/bao-cao/{id}/tai-ve.xlsx", get(pages::report_xlsx))
        .route("/bao-cao/{id}/tai-ve.pdf", get(pages::report_pdf))
        .route("/bao-cao/{id}/nhap-excel", post(pages::report_import).layer(upload_limit))
        .merge(api::router())
}
