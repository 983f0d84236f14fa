//! Vietnamese search across everything public (tìm kiếm): articles, legal documents, teaching
//! materials, published answers and drafts, with or without diacritics, with either tone
//! placement, and with document numbers typed loosely.
//!
//! The capabilities write their public items into the kernel's search feed
//! (`kernel::search_feed`) in the transactions that publish them. This crate keeps a tantivy
//! index per instance as a cache of that feed: built when the instance starts, then kept
//! current from the change log every few hundred milliseconds, so several instances behind a
//! load balancer agree within a second or two. See docs/search.md.
//!
//! Layout: `rules/` the analyzer, the query reader, the status from dates and the change-log
//! cursor (pure); `index` the tantivy index; `service` the instance's engine and its catch-up
//! loop; `pages` the public page `/tim-kiem`; `msg` the messages.
//!
//! Edges: none. It reads only the kernel's feed.

use axum::Router;
use axum::routing::get;
use kernel::routes::{Access, PageRoute};
use kernel::state::AppState;

pub mod api;
pub mod index;
pub mod msg;
pub mod pages;
pub mod rules;
pub mod service;

pub use service::{engine, start};

/// Its page for citizens, listed on the sign-in page and in the portal's menu.
pub const PUBLIC_LINKS: &[kernel::registry::PublicLink] = &[("/tim-kiem", "Tìm kiếm")];

/// (method, path, access) of every page route; mirrors [`routes`].
pub const PAGE_ROUTES: &[PageRoute] = &[("GET", "/tim-kiem", Access::Public)];

/// The search page.
pub fn routes(_state: &AppState) -> Router<AppState> {
    Router::new().route("/tim-kiem", get(pages::search)).merge(api::router())
}
