//! Plans and tasks (kế hoạch, nhiệm vụ): importing and writing plans, reviewing and issuing
//! them, cascading them to lower units and agencies, tracking tasks with evidence, dashboards,
//! reminders, and the DOCX and XLSX exports. See docs/plans.md.
//!
//! Layout: `rules/` pure rules (the importer, timeframes, tracking), `store/` SQL, `service`
//! use cases shared by pages, CLI and jobs, `pages/` handlers with `templates/`, `jobs` the
//! plans' part of the reminder digest, `msg` the messages. No JSON API yet.

use axum::Router;
use axum::routing::{get, post};
use kernel::account::Action;
use kernel::db::MigrationSet;
use kernel::page::MenuEntry;
use kernel::routes::{Access, PageRoute};
use kernel::state::AppState;

pub mod demo;
pub mod home;
pub mod jobs;
pub mod msg;
pub mod pages;
pub mod rules;
pub mod service;
pub mod store;

use pages::{plans, progress, reminders, tasks};

/// The plans' migrations. `0002_plans` predates the crate split and also creates five shared
/// tables that the kernel (and through it every capability) uses: `files`, `reminders`,
/// `notifications`, `job_runs` and `unit_reminder_settings`; see ARCHITECTURE.md.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "plans", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] = &[
    MenuEntry { action: Action::ViewPlans, href: "/ke-hoach", label: "Kế hoạch", key: "plans" },
    MenuEntry { action: Action::ViewPlans, href: "/tien-do", label: "Tiến độ", key: "progress" },
    MenuEntry { action: Action::ViewPlans, href: "/nhac-viec", label: "Nhắc việc", key: "reminders" },
];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/ke-hoach", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/nhap", Access::Needs(Action::ManagePlans)),
    ("POST", "/ke-hoach/nhap", Access::Needs(Action::ManagePlans)),
    ("GET", "/ke-hoach/moi", Access::Needs(Action::ManagePlans)),
    ("POST", "/ke-hoach/moi", Access::Needs(Action::ManagePlans)),
    ("GET", "/ke-hoach/{id}", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/sua", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/sua", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/ban-hanh", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/ket-thuc", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/xoa", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/sao-chep", Access::Needs(Action::ManagePlans)),
    ("POST", "/ke-hoach/{id}/sao-chep", Access::Needs(Action::ManagePlans)),
    ("GET", "/ke-hoach/{id}/trien-khai", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/trien-khai", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/tien-do", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/tai-ve.docx", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/tai-ve.pdf", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/nhiem-vu.xlsx", Access::Needs(Action::ViewPlans)),
    ("GET", "/ke-hoach/{id}/nhiem-vu/moi", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/nhiem-vu/moi", Access::Needs(Action::ViewPlans)),
    ("POST", "/ke-hoach/{id}/don-doc", Access::Needs(Action::ManagePlans)),
    ("GET", "/nhiem-vu/{id}", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhiem-vu/{id}/cap-nhat", Access::Needs(Action::TrackTasks)),
    ("GET", "/nhiem-vu/{id}/sua", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhiem-vu/{id}/sua", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhiem-vu/{id}/xoa", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhiem-vu/{id}/don-doc", Access::Needs(Action::ManagePlans)),
    ("GET", "/tep/{id}", Access::Needs(Action::ViewPlans)),
    ("GET", "/tien-do", Access::Needs(Action::ViewPlans)),
    ("GET", "/nhac-viec", Access::Needs(Action::ViewPlans)),
    ("POST", "/nhac-viec/cai-dat", Access::Needs(Action::ManagePlans)),
    ("POST", "/nhac-viec/chay", Access::Needs(Action::ManagePlans)),
];

/// The plans' pages.
pub fn routes(state: &AppState) -> Router<AppState> {
    let upload_limit = kernel::routes::upload_limit(state);
    Router::new()
        .route("/ke-hoach", get(plans::index))
        .route("/ke-hoach/nhap", get(plans::import_page).post(plans::import_submit).layer(upload_limit))
        .route("/ke-hoach/moi", get(plans::new_page).post(plans::create))
        .route("/ke-hoach/{id}", get(plans::show))
        .route("/ke-hoach/{id}/sua", get(plans::edit_page).post(plans::edit_submit))
        .route("/ke-hoach/{id}/ban-hanh", post(plans::issue))
        .route("/ke-hoach/{id}/ket-thuc", post(plans::close))
        .route("/ke-hoach/{id}/xoa", post(plans::delete))
        .route("/ke-hoach/{id}/sao-chep", get(plans::copy_page).post(plans::copy_submit))
        .route("/ke-hoach/{id}/trien-khai", get(plans::implement_page).post(plans::implement_submit))
        .route("/ke-hoach/{id}/tien-do", get(progress::plan_dashboard))
        .route("/ke-hoach/{id}/tai-ve.docx", get(progress::export_docx))
        .route("/ke-hoach/{id}/tai-ve.pdf", get(progress::export_pdf))
        .route("/ke-hoach/{id}/nhiem-vu.xlsx", get(progress::export_xlsx))
        .route("/ke-hoach/{id}/nhiem-vu/moi", get(tasks::new_page).post(tasks::create))
        .route("/ke-hoach/{id}/don-doc", post(reminders::remind_plan))
        .route("/nhiem-vu/{id}", get(tasks::show))
        .route("/nhiem-vu/{id}/cap-nhat", post(tasks::update).layer(upload_limit))
        .route("/nhiem-vu/{id}/sua", get(tasks::edit_page).post(tasks::edit_submit))
        .route("/nhiem-vu/{id}/xoa", post(tasks::delete))
        .route("/nhiem-vu/{id}/don-doc", post(reminders::remind_task))
        .route("/tep/{id}", get(tasks::download))
        .route("/tien-do", get(progress::unit_dashboard))
        .route("/nhac-viec", get(reminders::index))
        .route("/nhac-viec/cai-dat", post(reminders::save_settings))
        .route("/nhac-viec/chay", post(reminders::run_now))
}
