//! The public portal (cổng thông tin): news and articles (tin bài) and static pages (trang
//! tĩnh) with categories (chuyên mục), tags, campaigns (chiến dịch) and featured items; the
//! editorial workflow of officials (draft, submitted, published or returned, unpublished;
//! scheduled publishing and unpublishing; every save a version); and the public pages without
//! an account (news list, article with Open Graph and share links, category, campaign and
//! static pages, Atom feed, sitemap), cached by ETag. See docs/portal.md.
//!
//! Layout: `rules/` pure rules (slugs, Markdown rendered and sanitised, tags, the workflow and
//! visibility at a time, typed times), `store` SQL, `service` use cases taking a `Principal`,
//! `pages` the editors' pages, `public` the public pages, `api` the JSON API (what the public
//! pages show), `home` its part of the home page, `msg` the messages, `demo` the demo portal of
//! Lạng Sơn.
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
pub mod home;
pub mod msg;
pub mod pages;
pub mod public;
pub mod rules;
pub mod service;
pub mod store;
pub mod units;

/// The portal's migrations.
pub fn migrations() -> MigrationSet {
    MigrationSet { owner: "portal", sqlite: sqlx::migrate!("migrations/sqlite"), postgres: sqlx::migrate!("migrations/postgres") }
}

/// Menu entries.
pub const MENU: &[MenuEntry] = &[MenuEntry { action: Action::WriteArticles, href: "/bien-tap", label: "Tin bài", key: "portal" }];

/// Its pages for citizens (no account), listed on the sign-in page.
pub const PUBLIC_LINKS: &[kernel::registry::PublicLink] = &[("/tin-tuc", "Tin tức pháp luật"), ("/dia-phuong", "Địa phương")];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[
    ("GET", "/bien-tap", Access::Needs(Action::WriteArticles)),
    ("GET", "/bien-tap/moi", Access::Needs(Action::WriteArticles)),
    ("POST", "/bien-tap/moi", Access::Needs(Action::WriteArticles)),
    ("GET", "/bien-tap/chuyen-muc", Access::Needs(Action::WriteArticles)),
    ("POST", "/bien-tap/chuyen-muc", Access::Needs(Action::PublishArticles)),
    ("POST", "/bien-tap/chien-dich", Access::Needs(Action::PublishArticles)),
    ("GET", "/bien-tap/phien-ban/{id}", Access::Needs(Action::WriteArticles)),
    ("GET", "/bien-tap/{id}", Access::Needs(Action::WriteArticles)),
    ("POST", "/bien-tap/{id}", Access::Needs(Action::WriteArticles)),
    ("POST", "/bien-tap/{id}/gui-duyet", Access::Needs(Action::WriteArticles)),
    ("POST", "/bien-tap/{id}/dang", Access::Needs(Action::PublishArticles)),
    ("POST", "/bien-tap/{id}/tra-lai", Access::Needs(Action::PublishArticles)),
    ("POST", "/bien-tap/{id}/go", Access::Needs(Action::PublishArticles)),
    ("POST", "/bien-tap/{id}/anh", Access::Needs(Action::WriteArticles)),
    ("GET", "/anh/{name}", Access::Public),
    ("GET", "/tin-tuc", Access::Public),
    ("GET", "/tin-tuc/feed.atom", Access::Public),
    ("GET", "/tin-tuc/{slug}", Access::Public),
    ("GET", "/chuyen-muc/{slug}", Access::Public),
    ("GET", "/chien-dich/{slug}", Access::Public),
    ("GET", "/trang/{slug}", Access::Public),
    ("GET", "/dia-phuong", Access::Public),
    ("GET", "/dia-phuong/{code}", Access::Public),
    ("GET", "/sitemap.xml", Access::Public),
    ("GET", "/static/cong-thong-tin.css", Access::Public),
];

/// The portal's routes.
pub fn routes(state: &AppState) -> Router<AppState> {
    let upload_limit = kernel::routes::upload_limit(state);
    let editorial = Router::new()
        .route("/bien-tap", get(pages::index))
        .route("/bien-tap/moi", get(pages::new_page).post(pages::create))
        .route("/bien-tap/chuyen-muc", get(pages::lists).post(pages::add_category))
        .route("/bien-tap/chien-dich", post(pages::add_campaign))
        .route("/bien-tap/phien-ban/{id}", get(pages::version))
        .route("/bien-tap/{id}", get(pages::show).post(pages::save))
        .route("/bien-tap/{id}/gui-duyet", post(pages::submit))
        .route("/bien-tap/{id}/dang", post(pages::publish))
        .route("/bien-tap/{id}/tra-lai", post(pages::give_back))
        .route("/bien-tap/{id}/go", post(pages::unpublish))
        .route("/bien-tap/{id}/anh", post(pages::upload_image).layer(upload_limit))
        // An editorial write empties this instance's page cache at once (the others follow the
        // feed's change log within a quarter of a second, or by age for categories and campaigns).
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), public::clear_page_cache));
    Router::new()
        .merge(editorial)
        .route("/anh/{name}", get(pages::image))
        .route("/tin-tuc", get(public::news))
        .route("/tin-tuc/feed.atom", get(public::feed))
        .route("/tin-tuc/{slug}", get(public::article))
        .route("/chuyen-muc/{slug}", get(public::category))
        .route("/chien-dich/{slug}", get(public::campaign))
        .route("/trang/{slug}", get(public::page))
        .route("/dia-phuong", get(units::index))
        .route("/dia-phuong/{code}", get(units::show))
        .route("/sitemap.xml", get(public::sitemap))
        .route("/static/cong-thong-tin.css", get(public::stylesheet))
        .merge(api::router())
}
