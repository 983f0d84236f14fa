//! Legal questions and feedback (hỏi đáp pháp luật, phản ánh kiến nghị) with public answers on a
//! deadline, and policy dialogues (đối thoại chính sách). Citizens ask or send feedback without
//! an account and get a tracking code (also by e-mail through the outbox); spam is held off by a
//! per-address limit counted in the database and a self-hosted proof of work (with a text
//! question for browsers without JavaScript). A province's officers route each item to a unit or
//! agency with an answer deadline in working days (weekends and the public holidays stored as
//! data skipped); the unit drafts the answer, citing bookshelf documents through the kernel's
//! `LegalDocRefs` port; an approver publishes it with the question's public version without
//! personal data, or answers privately. See docs/inquiries.md.
//!
//! Layout: `rules/` pure rules (deadline, tracking code, challenges, kinds and statuses),
//! `store` SQL, `service` use cases, `public` the citizens' pages, `pages` the officers' pages,
//! `api` the JSON API (the published answers, as the public pages show them), `jobs` its part
//! of the daily reminders, `home` its part of the home page, `msg` the messages, `demo` demo
//! questions and a dialogue.
//!
//! Edges: none (the bookshelf is read through the kernel's `LegalDocRefs` port).

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
pub mod public;
pub mod rules;
pub mod service;
pub mod store;

/// The migrations of questions and feedback.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "inquiries", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] = &[MenuEntry { action: Action::HandleInquiries, href: "/hoi-dap-quan-ly", label: msg::MENU_LABEL, key: "inquiries" }];

/// Its pages for citizens (no account), listed on the sign-in page and in the portal's menu.
pub const PUBLIC_LINKS: &[kernel::registry::PublicLink] = &[("/hoi-dap", "Hỏi đáp pháp luật")];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/hoi-dap", Access::Public),
    ("GET", "/hoi-dap/gui", Access::Public),
    ("POST", "/hoi-dap/gui", Access::Public),
    ("GET", "/hoi-dap/tra-cuu", Access::Public),
    ("GET", "/hoi-dap/doi-thoai/{id}", Access::Public),
    ("GET", "/hoi-dap/{id}", Access::Public),
    ("GET", "/static/hoi-dap.js", Access::Public),
    ("GET", "/hoi-dap-quan-ly", Access::Needs(Action::HandleInquiries)),
    ("POST", "/hoi-dap-quan-ly/cai-dat", Access::Needs(Action::HandleInquiries)),
    ("GET", "/hoi-dap-quan-ly/doi-thoai", Access::Needs(Action::HandleInquiries)),
    ("POST", "/hoi-dap-quan-ly/doi-thoai", Access::Needs(Action::HandleInquiries)),
    ("GET", "/hoi-dap-quan-ly/{id}", Access::Needs(Action::HandleInquiries)),
    ("POST", "/hoi-dap-quan-ly/{id}/chuyen", Access::Needs(Action::HandleInquiries)),
    ("POST", "/hoi-dap-quan-ly/{id}/tra-loi", Access::Needs(Action::HandleInquiries)),
    ("POST", "/hoi-dap-quan-ly/{id}/dang", Access::Needs(Action::PublishInquiries)),
];

/// The routes of questions and feedback.
pub fn routes(_state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/hoi-dap", get(public::index))
        .route("/hoi-dap/gui", get(public::ask).post(public::submit))
        .route("/hoi-dap/tra-cuu", get(public::track))
        .route("/hoi-dap/doi-thoai/{id}", get(public::dialogue))
        .route("/hoi-dap/{id}", get(public::show))
        .route("/static/hoi-dap.js", get(public::script))
        .route("/hoi-dap-quan-ly", get(pages::index))
        .route("/hoi-dap-quan-ly/cai-dat", post(pages::settings))
        .route("/hoi-dap-quan-ly/doi-thoai", get(pages::dialogues).post(pages::create_dialogue))
        .route("/hoi-dap-quan-ly/{id}", get(pages::show))
        .route("/hoi-dap-quan-ly/{id}/chuyen", post(pages::route))
        .route("/hoi-dap-quan-ly/{id}/tra-loi", post(pages::answer))
        .route("/hoi-dap-quan-ly/{id}/dang", post(pages::publish))
        .merge(api::router())
}
