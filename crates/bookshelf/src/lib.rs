//! The legal bookshelf (tủ sách pháp luật): legal documents (văn bản pháp luật) with their
//! metadata, full text, original file and link to the national legal database (vbpl.vn); the
//! links between documents (sửa đổi, bổ sung; thay thế; bãi bỏ) from which the effective status
//! is derived, never typed; teaching materials (tài liệu PBGDPL) tagged by topic and special
//! target group; and the commune bookshelves with their additions and removals, counted per
//! commune and province (and offered to the periodic report through the `ReportFigures` port).
//! Reading is public (no account); see docs/bookshelf.md.
//!
//! Layout: `rules/` pure rules (number key, status, kinds, counting, target groups), `store`
//! SQL, `service` use cases, `pages` handlers with `templates/`, `home` its part of the home
//! page, `api` the JSON API, `msg` the messages, `demo` real national laws and a demo commune's
//! bookshelf.
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
pub mod home;
pub mod msg;
pub mod pages;
pub mod public_unit;
pub mod rules;
pub mod service;
pub mod store;

pub use service::report_figures_port;

/// The bookshelf's migrations.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "bookshelf", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries (the public pages are linked from the management page).
pub const MENU: &[MenuEntry] = &[MenuEntry { action: Action::ManageBookshelf, href: "/tu-sach/quan-ly", label: "Tủ sách pháp luật", key: "bookshelf" }];

/// Its pages for citizens (no account), listed on the sign-in page.
pub const PUBLIC_LINKS: &[kernel::registry::PublicLink] = &[("/tu-sach", "Tủ sách pháp luật"), ("/tu-sach/tai-lieu", "Tài liệu tuyên truyền")];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/tu-sach", Access::Public),
    ("GET", "/tu-sach/van-ban/{id}", Access::Public),
    ("GET", "/tu-sach/tai-lieu", Access::Public),
    ("GET", "/tu-sach/tai-lieu/{id}", Access::Public),
    ("GET", "/tu-sach/xa/{id}", Access::Public),
    ("GET", "/tu-sach/tep/{id}", Access::Public),
    ("GET", "/tu-sach/quan-ly", Access::Needs(Action::ManageBookshelf)),
    ("GET", "/tu-sach/quan-ly/van-ban/moi", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/van-ban/moi", Access::Needs(Action::ManageBookshelf)),
    ("GET", "/tu-sach/quan-ly/van-ban/{id}", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/van-ban/{id}", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/van-ban/{id}/lien-ket", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/van-ban/{id}/xoa-lien-ket", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/van-ban/{id}/tep", Access::Needs(Action::ManageBookshelf)),
    ("GET", "/tu-sach/quan-ly/tai-lieu/moi", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/tai-lieu/moi", Access::Needs(Action::ManageBookshelf)),
    ("GET", "/tu-sach/quan-ly/tai-lieu/{id}", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/tai-lieu/{id}", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/tai-lieu/{id}/tep", Access::Needs(Action::ManageBookshelf)),
    ("GET", "/tu-sach/quan-ly/xa/{id}", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/xa/{id}/them", Access::Needs(Action::ManageBookshelf)),
    ("POST", "/tu-sach/quan-ly/xa/{id}/bot", Access::Needs(Action::ManageBookshelf)),
];

/// The bookshelf's pages and API routes.
pub fn routes(state: &AppState) -> Router<AppState> {
    use pages::{manage, public};
    let upload_limit = kernel::routes::upload_limit(state);
    Router::new()
        .route("/tu-sach", get(public::index))
        .route("/tu-sach/van-ban/{id}", get(public::document))
        .route("/tu-sach/tai-lieu", get(public::materials))
        .route("/tu-sach/tai-lieu/{id}", get(public::material))
        .route("/tu-sach/xa/{id}", get(public::commune))
        .route("/tu-sach/tep/{id}", get(public::file))
        .route("/tu-sach/quan-ly", get(manage::overview))
        .route("/tu-sach/quan-ly/van-ban/moi", get(manage::new_document).post(manage::create_document))
        .route("/tu-sach/quan-ly/van-ban/{id}", get(manage::edit_document).post(manage::update_document))
        .route("/tu-sach/quan-ly/van-ban/{id}/lien-ket", post(manage::add_link))
        .route("/tu-sach/quan-ly/van-ban/{id}/xoa-lien-ket", post(manage::remove_link))
        .route("/tu-sach/quan-ly/van-ban/{id}/tep", post(manage::document_file).layer(upload_limit))
        .route("/tu-sach/quan-ly/tai-lieu/moi", get(manage::new_material).post(manage::create_material))
        .route("/tu-sach/quan-ly/tai-lieu/{id}", get(manage::edit_material).post(manage::update_material))
        .route("/tu-sach/quan-ly/tai-lieu/{id}/tep", post(manage::material_file).layer(upload_limit))
        .route("/tu-sach/quan-ly/xa/{id}", get(manage::shelf))
        .route("/tu-sach/quan-ly/xa/{id}/them", post(manage::add_item))
        .route("/tu-sach/quan-ly/xa/{id}/bot", post(manage::remove_item))
        .merge(api::router())
}

/// The kernel's `LegalDocRefs` port: the documents with one of `ids`, or whose number key is
/// that of one of the typed `numbers`, each once, with its public page; for answers to
/// citizens' questions that cite them (`inquiries`).
pub fn legal_doc_refs_port<'a>(db: &'a kernel::Db, ids: &'a [i64], numbers: &'a [String]) -> kernel::registry::BoxFuture<'a, kernel::DbResult<Vec<kernel::registry::LegalDocRef>>> {
    Box::pin(async move {
        let keys: Vec<String> = numbers.iter().map(|n| rules::number::key(n)).filter(|k| !k.is_empty()).collect();
        let rows = store::doc_refs(db, ids, &keys).await?;
        Ok(rows.into_iter().map(|(id, number, title)| kernel::registry::LegalDocRef { id, number, title, href: format!("/tu-sach/van-ban/{id}") }).collect())
    })
}
