//! Legal reporters and propagandists (báo cáo viên, tuyên truyền viên pháp luật): the provincial
//! registry of reporters with the Art. 35 check, the commune registry of propagandists with the
//! September registration round, recognition and dismissal, training records, the log of
//! dissemination sessions (buổi phổ biến pháp luật) with the special target groups they
//! reached, list exports, and the figures that prefill the periodic reports (through the
//! kernel's `ReportFigures` port). See docs/disseminators.md.
//!
//! Layout: `rules/` pure rules (versioned catalogues, the criteria check, the counting),
//! `store` SQL, `service` use cases, `pages` handlers with `templates/`, `export` the XLSX
//! and DOCX lists, `home` its part of the home page, `api` the JSON API, `msg` the messages, `demo` the demo registries.
//!
//! Edges: none (a dev edge to `plans` for the shared `files` table in the HTTP tests).

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
pub mod rules;
pub mod service;
pub mod store;

pub use service::{known_figures_port, linked_sessions_port, report_figures_port};

/// The registries' migrations.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "disseminators", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] =
    &[MenuEntry { action: Action::ViewDisseminators, href: "/pho-bien", label: "Báo cáo viên, tuyên truyền viên", key: "disseminators" }];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/pho-bien", Access::Needs(Action::ViewDisseminators)),
    ("GET", "/pho-bien/bao-cao-vien", Access::Needs(Action::ViewDisseminators)),
    ("GET", "/pho-bien/bao-cao-vien.xlsx", Access::Needs(Action::ViewDisseminators)),
    ("GET", "/pho-bien/bao-cao-vien.docx", Access::Needs(Action::ViewDisseminators)),
    ("GET", "/pho-bien/bao-cao-vien/moi", Access::Needs(Action::ManageDisseminators)),
    ("POST", "/pho-bien/bao-cao-vien/moi", Access::Needs(Action::ManageDisseminators)),
    ("GET", "/pho-bien/tuyen-truyen-vien", Access::Needs(Action::ViewDisseminators)),
    ("GET", "/pho-bien/tuyen-truyen-vien.xlsx", Access::Needs(Action::ViewDisseminators)),
    ("GET", "/pho-bien/tuyen-truyen-vien.docx", Access::Needs(Action::ViewDisseminators)),
    ("GET", "/pho-bien/tuyen-truyen-vien/moi", Access::Needs(Action::ManageDisseminators)),
    ("POST", "/pho-bien/tuyen-truyen-vien/moi", Access::Needs(Action::ManageDisseminators)),
    ("POST", "/pho-bien/dot-dang-ky", Access::Needs(Action::ManageDisseminators)),
    ("GET", "/pho-bien/dot-dang-ky/{id}", Access::Needs(Action::ViewDisseminators)),
    ("POST", "/pho-bien/dot-dang-ky/{id}/dang-ky", Access::Needs(Action::ManageDisseminators)),
    ("POST", "/pho-bien/dot-dang-ky/{id}/ra-soat", Access::Needs(Action::ManageDisseminators)),
    ("POST", "/pho-bien/dot-dang-ky/{id}/cong-nhan", Access::Needs(Action::ManageDisseminators)),
    ("GET", "/pho-bien/nguoi/{id}", Access::Needs(Action::ViewDisseminators)),
    ("POST", "/pho-bien/nguoi/{id}", Access::Needs(Action::ManageDisseminators)),
    ("POST", "/pho-bien/nguoi/{id}/thoi", Access::Needs(Action::ManageDisseminators)),
    ("POST", "/pho-bien/nguoi/{id}/boi-duong", Access::Needs(Action::ManageDisseminators)),
    ("POST", "/pho-bien/nguoi/{id}/quyet-dinh", Access::Needs(Action::ManageDisseminators)),
    ("GET", "/pho-bien/hoat-dong", Access::Needs(Action::ViewDisseminators)),
    ("GET", "/pho-bien/hoat-dong/moi", Access::Needs(Action::RecordDisseminationActivities)),
    ("POST", "/pho-bien/hoat-dong/moi", Access::Needs(Action::RecordDisseminationActivities)),
    ("GET", "/pho-bien/hoat-dong/{id}", Access::Needs(Action::ViewDisseminators)),
    ("POST", "/pho-bien/hoat-dong/{id}", Access::Needs(Action::RecordDisseminationActivities)),
    ("POST", "/pho-bien/hoat-dong/{id}/minh-chung", Access::Needs(Action::RecordDisseminationActivities)),
    ("GET", "/pho-bien/tep/{id}", Access::Needs(Action::ViewDisseminators)),
];

/// The registries' pages and API routes.
pub fn routes(state: &AppState) -> Router<AppState> {
    let upload_limit = kernel::routes::upload_limit(state);
    Router::new()
        .route("/pho-bien", get(pages::overview))
        .route("/pho-bien/bao-cao-vien", get(pages::people::reporters))
        .route("/pho-bien/bao-cao-vien.xlsx", get(pages::people::reporters_xlsx))
        .route("/pho-bien/bao-cao-vien.docx", get(pages::people::reporters_docx))
        .route("/pho-bien/bao-cao-vien/moi", get(pages::people::new_reporter).post(pages::people::create_reporter))
        .route("/pho-bien/tuyen-truyen-vien", get(pages::people::propagandists))
        .route("/pho-bien/tuyen-truyen-vien.xlsx", get(pages::people::propagandists_xlsx))
        .route("/pho-bien/tuyen-truyen-vien.docx", get(pages::people::propagandists_docx))
        .route("/pho-bien/tuyen-truyen-vien/moi", get(pages::people::new_propagandist).post(pages::people::create_propagandist))
        .route("/pho-bien/dot-dang-ky", post(pages::rounds::create))
        .route("/pho-bien/dot-dang-ky/{id}", get(pages::rounds::show))
        .route("/pho-bien/dot-dang-ky/{id}/dang-ky", post(pages::rounds::register))
        .route("/pho-bien/dot-dang-ky/{id}/ra-soat", post(pages::rounds::review))
        .route("/pho-bien/dot-dang-ky/{id}/cong-nhan", post(pages::rounds::recognise))
        .route("/pho-bien/nguoi/{id}", get(pages::people::show).post(pages::people::save))
        .route("/pho-bien/nguoi/{id}/thoi", post(pages::people::dismiss))
        .route("/pho-bien/nguoi/{id}/boi-duong", post(pages::people::training))
        .route("/pho-bien/nguoi/{id}/quyet-dinh", post(pages::people::decision_file).layer(upload_limit))
        .route("/pho-bien/hoat-dong", get(pages::activities::index))
        .route("/pho-bien/hoat-dong/moi", get(pages::activities::new_page).post(pages::activities::create))
        .route("/pho-bien/hoat-dong/{id}", get(pages::activities::show).post(pages::activities::save))
        .route("/pho-bien/hoat-dong/{id}/minh-chung", post(pages::activities::evidence).layer(upload_limit))
        .route("/pho-bien/tep/{id}", get(pages::file))
        .merge(api::router())
}
