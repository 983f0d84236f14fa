//! The cache of anonymous public pages (bộ nhớ đệm trang công khai): a rendered page is kept
//! per instance with its ETag and Last-Modified, and served again until something is published.
//!
//! "Something is published" is read from the search feed's change log, which every capability
//! writes in its publishing transactions: the cache's generation is the newest change id,
//! checked against the database at most every [`CHECK_EVERY`] by one request while the others
//! go on with the generation they have. So a publish on any instance invalidates every
//! instance's cache within a quarter of a second, and nothing has to be told. What the log
//! does not cover (a category renamed, a scheduled publishing time reached) is bounded by
//! [`MAX_AGE`]. See docs/portal.md.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::Db;

/// How often the generation is read from the database.
pub const CHECK_EVERY: Duration = Duration::from_millis(250);
/// Longest a page is served from the cache whatever happens.
pub const MAX_AGE: Duration = Duration::from_secs(30);
/// Most pages kept per instance (beyond it, the oldest half is dropped).
pub const MAX_PAGES: usize = 2000;
/// Largest page kept.
pub const MAX_PAGE_BYTES: usize = 512 * 1024;
/// What browsers and shared caches are told.
pub const CACHE_CONTROL: &str = "public, max-age=60";

/// One cached page.
pub struct CachedPage {
    pub content_type: &'static str,
    pub body: Bytes,
    pub etag: String,
    pub last_modified: DateTime<Utc>,
    generation: i64,
    stored: Instant,
}

impl CachedPage {
    /// The page, or 304 when the client already holds it (`If-None-Match`, else
    /// `If-Modified-Since`).
    pub fn respond(&self, headers: &HeaderMap) -> Response {
        let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
        let tags: Vec<&str> = headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).collect();
        let not_modified = if !tags.is_empty() {
            tags.iter().flat_map(|v| v.split(',')).any(|t| t.trim() == "*" || bare(t) == bare(&self.etag))
        } else {
            headers
                .get(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
                .is_some_and(|since| self.last_modified.timestamp() <= since.timestamp())
        };
        let last_modified = self.last_modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&self.etag) {
            h.insert(header::ETAG, v);
        }
        if let Ok(v) = HeaderValue::from_str(&last_modified) {
            h.insert(header::LAST_MODIFIED, v);
        }
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
        if not_modified {
            return (StatusCode::NOT_MODIFIED, h).into_response();
        }
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        (h, self.body.clone()).into_response()
    }
}

/// The instance's page cache (kept in `AppState::extensions`).
pub struct PageCache {
    pages: Mutex<HashMap<String, Arc<CachedPage>>>,
    generation: AtomicI64,
    checked: Mutex<Option<Instant>>,
    refreshing: tokio::sync::Mutex<()>,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache { pages: Mutex::new(HashMap::new()), generation: AtomicI64::new(-1), checked: Mutex::new(None), refreshing: tokio::sync::Mutex::new(()) }
    }
}

/// A weak ETag of the bytes.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("W/\"{}\"", hex::encode(&digest[..12]))
}

impl PageCache {
    fn due(&self) -> bool {
        let checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        checked.is_none_or(|t| t.elapsed() >= CHECK_EVERY)
    }

    /// The current generation: the newest change of the search feed, read from the database
    /// when the last reading is older than [`CHECK_EVERY`]. One request reads; the others use
    /// the generation they have. A database error keeps the old generation (and pages expire
    /// by age).
    pub async fn generation(&self, db: &Db) -> i64 {
        if self.due()
            && let Ok(_guard) = self.refreshing.try_lock()
            && self.due()
        {
            match crate::search_feed::last_change(db).await {
                Ok(g) => {
                    self.generation.store(g, Ordering::Release);
                    *self.checked.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
                }
                Err(e) => tracing::warn!(error = %e, "page cache: reading the generation failed"),
            }
        }
        self.generation.load(Ordering::Acquire)
    }

    /// The page stored under `key` for this generation and not older than [`MAX_AGE`].
    pub fn get(&self, key: &str, generation: i64) -> Option<Arc<CachedPage>> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.get(key).filter(|p| p.generation == generation && generation >= 0 && p.stored.elapsed() < MAX_AGE).cloned()
    }

    /// Stores a rendered page and returns it.
    pub fn put(&self, key: String, generation: i64, content_type: &'static str, body: String, last_modified: DateTime<Utc>) -> Arc<CachedPage> {
        let body = Bytes::from(body);
        let page = Arc::new(CachedPage { content_type, etag: etag_of(&body), body, last_modified, generation, stored: Instant::now() });
        if page.body.len() <= MAX_PAGE_BYTES && generation >= 0 {
            let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            if pages.len() >= MAX_PAGES {
                // Drop what is stale first, then the older half.
                pages.retain(|_, p| p.generation == generation && p.stored.elapsed() < MAX_AGE);
                if pages.len() >= MAX_PAGES {
                    let mut ages: Vec<Instant> = pages.values().map(|p| p.stored).collect();
                    ages.sort_unstable();
                    if let Some(cut) = ages.get(ages.len() / 2).copied() {
                        pages.retain(|_, p| p.stored > cut);
                    }
                }
            }
            pages.insert(key, Arc::clone(&page));
        }
        page
    }

    /// Drops every page and reads the generation again on the next request (after a write on
    /// this instance that the change log may not show, such as a renamed category).
    pub fn clear(&self) {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).clear();
        *self.checked.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// How many pages are kept (tests).
    pub fn len(&self) -> usize {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
