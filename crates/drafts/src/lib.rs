//! Draft-policy communication (truyền thông dự thảo chính sách, lấy ý kiến dự thảo): a unit puts
//! a draft out for comment, split into its articles and clauses (`rules::outline`), for a
//! comment period; citizens and organisations comment on the whole draft or on one part without
//! an account (a per-address limit counted in the database); after the period the drafting body
//! writes its reception or explanation (tiếp thu, giải trình) of each comment, downloads the
//! table as a Nghị định 30 DOCX and publishes it, which closes the loop. A draft may be created
//! from its DOCX or PDF (the text read, the original kept and offered for download), and comments
//! received on paper, by e-mail or at a meeting are entered by the officer. A person's name and
//! every e-mail address stay private. See docs/drafts.md.
//!
//! Layout: `rules/` pure rules (the outline, the period, the channels), `store` SQL, `service`
//! use cases, `public` the citizens' pages, `pages` the officers' pages, `api` the JSON API (what
//! the public pages show), `home` its part of the home page, `msg` the messages, `demo` an open
//! draft of the province.
//!
//! Edges: none.

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
pub mod msg;
pub mod pages;
pub mod public;
pub mod rules;
pub mod service;
pub mod store;

/// The migrations of draft-policy communication.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "drafts", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] = &[MenuEntry { action: Action::ManageDrafts, href: "/du-thao-quan-ly", label: msg::MENU_LABEL, key: "drafts" }];

/// Its pages for citizens (no account), listed on the sign-in page and in the portal's menu.
pub const PUBLIC_LINKS: &[kernel::registry::PublicLink] = &[("/du-thao", "Góp ý dự thảo")];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/du-thao", Access::Public),
    ("GET", "/du-thao/{id}", Access::Public),
    ("POST", "/du-thao/{id}/gop-y", Access::Public),
    ("GET", "/du-thao/{id}/tep", Access::Public),
    ("GET", "/du-thao-quan-ly", Access::Needs(Action::ManageDrafts)),
    ("GET", "/du-thao-quan-ly/moi", Access::Needs(Action::ManageDrafts)),
    ("POST", "/du-thao-quan-ly/moi", Access::Needs(Action::ManageDrafts)),
    ("GET", "/du-thao-quan-ly/{id}", Access::Needs(Action::ManageDrafts)),
    ("POST", "/du-thao-quan-ly/{id}/dang", Access::Needs(Action::ManageDrafts)),
    ("POST", "/du-thao-quan-ly/{id}/gop-y", Access::Needs(Action::ManageDrafts)),
    ("GET", "/du-thao-quan-ly/{id}/tep", Access::Needs(Action::ManageDrafts)),
    ("POST", "/du-thao-quan-ly/{id}/giai-trinh", Access::Needs(Action::ManageDrafts)),
    ("POST", "/du-thao-quan-ly/{id}/cong-bo", Access::Needs(Action::ManageDrafts)),
    ("GET", "/du-thao-quan-ly/{id}/tong-hop.docx", Access::Needs(Action::ManageDrafts)),
];

/// The routes of draft-policy communication.
pub fn routes(state: &AppState) -> Router<AppState> {
    let upload_limit = kernel::routes::upload_limit(state);
    Router::new()
        .route("/du-thao", get(public::index))
        .route("/du-thao/{id}", get(public::show))
        .route("/du-thao/{id}/gop-y", post(public::comment))
        .route("/du-thao/{id}/tep", get(public::original))
        .route("/du-thao-quan-ly", get(pages::index))
        .route("/du-thao-quan-ly/moi", get(pages::new_form).post(pages::create).layer(upload_limit))
        .route("/du-thao-quan-ly/{id}", get(pages::show))
        .route("/du-thao-quan-ly/{id}/dang", post(pages::publish))
        .route("/du-thao-quan-ly/{id}/gop-y", post(pages::enter_comment))
        .route("/du-thao-quan-ly/{id}/tep", get(pages::original))
        .route("/du-thao-quan-ly/{id}/giai-trinh", post(pages::respond))
        .route("/du-thao-quan-ly/{id}/cong-bo", post(pages::report))
        .route("/du-thao-quan-ly/{id}/tong-hop.docx", get(pages::docx))
        .merge(api::router())
}
