//! The public pages (no account, server-rendered, no script): the news list with pagination
//! and tag filter, an article with Open Graph tags, canonical address and share links, the
//! category, campaign and static pages, the Atom feed and `sitemap.xml`. Only what is public
//! at the time of reading is shown; anything else answers 404. Every answer carries a weak
//! ETag of its body and a short public `Cache-Control`, and a matching `If-None-Match` gets
//! 304 without a body.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kernel::error::{AppError, AppResult};
use kernel::page::PublicHead;
use kernel::page_cache::PageCache;
use kernel::state::AppState;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::msg;
use crate::rules::Tag;
use crate::rules::markdown::plain_excerpt;
use crate::rules::when::format_day;
use crate::rules::workflow::Kind;
use crate::service;
use crate::store::{self, Article, Campaign, PublicFilter};

/// Articles per page of a list.
pub const PAGE_SIZE: i64 = 10;
/// Entries of the Atom feed.
pub const FEED_SIZE: i64 = 20;
/// How long a browser or proxy may reuse a public page without asking (seconds). Short,
/// because scheduled articles appear and expire by the clock.
pub const CACHE_CONTROL: &str = "public, max-age=60";

/// `?trang=` (page number) and `?the=` (tag slug), read leniently.
#[derive(Debug, Default, Deserialize)]
pub struct PublicQuery {
    pub trang: Option<String>,
    pub the: Option<String>,
}

impl PublicQuery {
    fn page(&self) -> i64 {
        self.trang.as_deref().and_then(|s| s.trim().parse::<i64>().ok()).filter(|n| (1..=10_000).contains(n)).unwrap_or(1)
    }
}

/// A body answered with its weak ETag, or 304 when the client has it.
fn cached(headers: &HeaderMap, content_type: &'static str, body: String) -> Response {
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("W/\"{}\"", hex::encode(&digest[..12]));
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == bare(&etag));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), (header::CACHE_CONTROL, CACHE_CONTROL.to_string())]).into_response();
    }
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::ETAG, etag), (header::CACHE_CONTROL, CACHE_CONTROL.to_string())], body).into_response()
}

/// The instance's cache of anonymous pages and its current generation (see
/// `kernel::page_cache`): a page found there is answered without touching the database again.
pub(crate) async fn page_cache(state: &AppState) -> (std::sync::Arc<PageCache>, i64) {
    let cache = state.extensions.get_or_insert_with(PageCache::default);
    let generation = cache.generation(&state.db).await;
    (cache, generation)
}

/// After a write (not a GET) on the editorial pages, empties this instance's page cache.
pub async fn clear_page_cache(axum::extract::State(state): State<AppState>, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let write = req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD;
    let r = next.run(req).await;
    if write {
        state.extensions.get_or_insert_with(PageCache::default).clear();
    }
    r
}

/// Renders a page into the cache and answers it (or 304).
pub(crate) fn cache_and_answer<T: Template>(cache: &PageCache, key: String, generation: i64, headers: &HeaderMap, t: &T, modified: DateTime<Utc>) -> AppResult<Response> {
    Ok(cache.put(key, generation, "text/html; charset=utf-8", t.render()?, modified).respond(headers))
}

/// A time as HTML's `datetime` and Atom want it: whole seconds, UTC.
fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn base(state: &AppState) -> String {
    state.config.base_url.trim_end_matches('/').to_string()
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The head of a public page, with the menu: news, the categories, the static pages.
pub(crate) async fn head(state: &AppState, title: String, description: String, path: &str, og_type: &'static str, active: &str) -> AppResult<PublicHead> {
    let mut nav = vec![("/tin-tuc".to_string(), msg::NEWS_TITLE.to_string())];
    nav.push(("/dia-phuong".to_string(), msg::UNITS_TITLE.to_string()));
    nav.extend(store::categories(&state.db).await?.into_iter().map(|c| (format!("/chuyen-muc/{}", c.slug), c.name)));
    // The other capabilities' pages for citizens (the bookshelf, the legal-access results).
    nav.extend(state.registry.public_links.iter().filter(|(href, _)| !crate::PUBLIC_LINKS.iter().any(|(own, _)| own == href)).map(|(href, label)| (href.to_string(), label.to_string())));
    Ok(PublicHead {
        title,
        description,
        canonical: format!("{}{path}", base(state)),
        og_type,
        site_name: msg::SITE_NAME.into(),
        nav,
        active: active.to_string(),
        styles: vec![STYLESHEET_PATH],
        feed: Some("/tin-tuc/feed.atom".into()),
        image: String::new(),
    })
}

/// One entry of a list.
pub struct Item {
    pub href: String,
    pub title: String,
    pub summary: String,
    pub date: String,
    pub datetime: String,
}

pub(crate) fn item(a: &Article) -> Item {
    let summary = if a.summary.is_empty() { plain_excerpt(&a.body_md, 200) } else { a.summary.clone() };
    Item { href: Kind::News.public_path(&a.slug), title: a.title.clone(), summary, date: format_day(a.shown_at()), datetime: iso(a.shown_at()) }
}

/// The footer: the static pages and the sign-in link for officials.
pub(crate) async fn footer_pages(state: &AppState, now: DateTime<Utc>) -> AppResult<Vec<(String, String)>> {
    Ok(store::public_pages(&state.db, now).await?.into_iter().map(|(slug, title)| (Kind::Page.public_path(&slug), title)).collect())
}

#[derive(Template)]
#[template(path = "portal/public_list.html")]
struct ListPage {
    head: PublicHead,
    h1: String,
    intro: String,
    featured: Vec<Item>,
    items: Vec<Item>,
    prev: Option<String>,
    next: Option<String>,
    page: i64,
    pages: i64,
    campaigns: Vec<(String, String, String)>,
    pages_links: Vec<(String, String)>,
}

struct ListSpec<'a> {
    path: String,
    title: String,
    intro: String,
    filter: PublicFilter<'a>,
    /// Extra query for the pager links (`the=…`).
    extra: String,
    with_featured: bool,
}

async fn list(state: &AppState, headers: &HeaderMap, spec: ListSpec<'_>, page: i64) -> AppResult<Response> {
    let (cache, generation) = page_cache(state).await;
    let key = format!("{}?{}&trang={page}", spec.path, spec.extra);
    if let Some(p) = cache.get(&key, generation) {
        return Ok(p.respond(headers));
    }
    let now = service::now();
    let total = store::public_news_count(&state.db, now, &spec.filter).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if page > pages {
        return Err(AppError::NotFound);
    }
    let rows = store::public_news(&state.db, now, &spec.filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let featured = if spec.with_featured && page == 1 {
        let f = PublicFilter { featured_only: true, ..Default::default() };
        store::public_news(&state.db, now, &f, 3, 0).await?.iter().map(item).collect()
    } else {
        Vec::new()
    };
    let link = |n: i64| {
        let mut q: Vec<String> = Vec::new();
        if !spec.extra.is_empty() {
            q.push(spec.extra.clone());
        }
        if n > 1 {
            q.push(format!("trang={n}"));
        }
        if q.is_empty() { spec.path.clone() } else { format!("{}?{}", spec.path, q.join("&")) }
    };
    let campaigns = current_campaigns(state).await?;
    let title = msg::page_title(&spec.title, page);
    let description = if spec.intro.is_empty() { msg::SITE_DESCRIPTION.to_string() } else { spec.intro.clone() };
    let p = ListPage {
        head: head(state, title.clone(), description, &link(page), "website", &spec.path).await?,
        h1: title,
        intro: spec.intro.clone(),
        featured,
        items: rows.iter().map(item).collect(),
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        page,
        pages,
        campaigns,
        pages_links: footer_pages(state, now).await?,
    };
    let modified = rows.iter().map(|a| a.updated_at).max().unwrap_or(now);
    cache_and_answer(&cache, key, generation, headers, &p, modified)
}

/// `GET /tin-tuc`: the news, newest first, featured ones on top of the first page; `?the=`
/// lists one tag's.
pub async fn news(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<PublicQuery>) -> AppResult<Response> {
    let tag = q.the.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let spec = match tag {
        Some(slug) => {
            if !crate::rules::slug::is_slug(slug) {
                return Err(AppError::NotFound);
            }
            let name = store::tag_name(&state.db, slug, service::now()).await?.ok_or(AppError::NotFound)?;
            ListSpec { path: "/tin-tuc".into(), title: msg::tag_title(&name), intro: String::new(), filter: PublicFilter { tag: Some(slug), ..Default::default() }, extra: format!("the={slug}"), with_featured: false }
        }
        None => ListSpec { path: "/tin-tuc".into(), title: msg::NEWS_TITLE.into(), intro: String::new(), filter: PublicFilter::default(), extra: String::new(), with_featured: true },
    };
    list(&state, &headers, spec, q.page()).await
}

#[derive(Template)]
#[template(path = "portal/public_home.html")]
struct HomePage {
    head: PublicHead,
    featured: Vec<Item>,
    latest: Vec<Item>,
    /// The pages for citizens of every capability (the bookshelf, surveys, …), news first.
    services: Vec<(String, String)>,
    campaigns: Vec<(String, String, String)>,
    pages_links: Vec<(String, String)>,
}

/// News on the home page.
const HOME_LATEST: i64 = 5;

/// `GET /` for a visitor without a session (the kernel's `Registry::public_home`): featured
/// and latest news, the current campaigns, and every public page of the site.
pub fn home<'a>(state: &'a AppState, headers: &'a HeaderMap) -> kernel::registry::BoxFuture<'a, AppResult<Response>> {
    let (state, headers) = (state.clone(), headers.clone());
    Box::pin(async move {
        let (cache, generation) = page_cache(&state).await;
        let home_headers = |mut r: Response| {
            r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static(HOME_CACHE_CONTROL));
            r.headers_mut().insert(header::VARY, header::HeaderValue::from_static("Cookie"));
            r
        };
        if let Some(p) = cache.get("/", generation) {
            return Ok(home_headers(p.respond(&headers)));
        }
        let now = service::now();
        let featured: Vec<Item> = store::public_news(&state.db, now, &PublicFilter { featured_only: true, ..Default::default() }, 3, 0).await?.iter().map(item).collect();
        let latest = store::public_news(&state.db, now, &PublicFilter::default(), HOME_LATEST + featured.len() as i64, 0)
            .await?
            .iter()
            .map(item)
            .filter(|i| !featured.iter().any(|f| f.href == i.href))
            .take(HOME_LATEST as usize)
            .collect();
        let p = HomePage {
            head: head(&state, msg::HOME_TITLE.into(), msg::SITE_DESCRIPTION.into(), "/", "website", "/").await?,
            featured,
            latest,
            services: state.registry.public_links.iter().map(|(href, label)| (href.to_string(), label.to_string())).collect(),
            campaigns: current_campaigns(&state).await?,
            pages_links: footer_pages(&state, now).await?,
        };
        // `/` is also the signed-in account's home page, where the sign-in leads: a browser
        // must ask again every time (a 304 when unchanged) rather than reuse the public page.
        Ok(home_headers(cache_and_answer(&cache, "/".into(), generation, &headers, &p, now)?))
    })
}

/// The home page's `Cache-Control`: revalidate every time, and never in a shared cache.
pub const HOME_CACHE_CONTROL: &str = "private, no-cache";

/// Campaigns that ended less than a year ago, at most five.
async fn current_campaigns(state: &AppState) -> AppResult<Vec<(String, String, String)>> {
    let today = kernel::page::today();
    Ok(store::campaigns(&state.db)
        .await?
        .into_iter()
        .filter(|c| c.ends_on >= today - chrono::Duration::days(365))
        .take(5)
        .map(|c: Campaign| (format!("/chien-dich/{}", c.slug), c.name, format!("{} – {}", text_vi::format_date(c.starts_on), text_vi::format_date(c.ends_on))))
        .collect())
}

/// `GET /chuyen-muc/{slug}`.
pub async fn category(State(state): State<AppState>, headers: HeaderMap, Path(slug): Path<String>, Query(q): Query<PublicQuery>) -> AppResult<Response> {
    let c = store::category_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let spec = ListSpec { path: format!("/chuyen-muc/{}", c.slug), title: c.name, intro: String::new(), filter: PublicFilter { category_id: Some(c.id), ..Default::default() }, extra: String::new(), with_featured: false };
    list(&state, &headers, spec, q.page()).await
}

/// `GET /chien-dich/{slug}`: a campaign, its dates and its articles.
pub async fn campaign(State(state): State<AppState>, headers: HeaderMap, Path(slug): Path<String>, Query(q): Query<PublicQuery>) -> AppResult<Response> {
    let c = store::campaign_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let dates = msg::campaign_dates(&text_vi::format_date(c.starts_on), &text_vi::format_date(c.ends_on));
    let intro = if c.description.is_empty() { dates } else { format!("{} {dates}", c.description) };
    let spec = ListSpec { path: format!("/chien-dich/{}", c.slug), title: c.name, intro, filter: PublicFilter { campaign_id: Some(c.id), ..Default::default() }, extra: String::new(), with_featured: false };
    list(&state, &headers, spec, q.page()).await
}

#[derive(Template)]
#[template(path = "portal/public_article.html")]
struct ArticlePage {
    head: PublicHead,
    a: Article,
    tags: Vec<Tag>,
    date: String,
    datetime: String,
    modified: String,
    zalo: String,
    facebook: String,
    is_news: bool,
    pages_links: Vec<(String, String)>,
}

async fn show(state: &AppState, headers: &HeaderMap, kind: Kind, slug: &str) -> AppResult<Response> {
    if !crate::rules::slug::is_slug(slug) {
        return Err(AppError::NotFound);
    }
    let (cache, generation) = page_cache(state).await;
    let key = kind.public_path(slug);
    if let Some(p) = cache.get(&key, generation) {
        return Ok(p.respond(headers));
    }
    let now = service::now();
    let a = store::public_by_slug(&state.db, now, kind.as_str(), slug).await?.ok_or(AppError::NotFound)?;
    let path = kind.public_path(&a.slug);
    let description = if a.summary.is_empty() { plain_excerpt(&a.body_md, 200) } else { a.summary.clone() };
    let active = match (&a.category_slug, kind) {
        (Some(c), Kind::News) => format!("/chuyen-muc/{c}"),
        (None, Kind::News) => "/tin-tuc".to_string(),
        _ => String::new(),
    };
    let mut head = head(state, a.title.clone(), description, &path, if kind == Kind::News { "article" } else { "website" }, &active).await?;
    // The first of the article's own pictures, for link previews (Zalo, Facebook).
    if let Some(src) = first_picture(&a.body_html) {
        head.image = format!("{}{src}", state.config.base_url.trim_end_matches('/'));
    }
    let url = enc(&head.canonical);
    let p = ArticlePage {
        zalo: format!("https://sp.zalo.me/share_inline?url={url}"),
        facebook: format!("https://www.facebook.com/sharer/sharer.php?u={url}"),
        tags: store::tags_of(&state.db, a.id).await?,
        date: format_day(a.shown_at()),
        datetime: iso(a.shown_at()),
        modified: iso(a.updated_at),
        is_news: kind == Kind::News,
        pages_links: footer_pages(state, now).await?,
        head,
        a,
    };
    let modified = p.a.updated_at;
    cache_and_answer(&cache, key, generation, headers, &p, modified)
}

/// The address of the first of the site's own pictures in a rendered body (`src="/anh/…"`).
fn first_picture(html: &str) -> Option<&str> {
    let start = html.find("src=\"/anh/")? + 5;
    let len = html[start..].find('"')?;
    Some(&html[start..start + len])
}

/// `GET /tin-tuc/{slug}`.
pub async fn article(State(state): State<AppState>, headers: HeaderMap, Path(slug): Path<String>) -> AppResult<Response> {
    show(&state, &headers, Kind::News, &slug).await
}

/// `GET /trang/{slug}`: a static page.
pub async fn page(State(state): State<AppState>, headers: HeaderMap, Path(slug): Path<String>) -> AppResult<Response> {
    show(&state, &headers, Kind::Page, &slug).await
}

/// One entry of the Atom feed.
pub struct Entry {
    pub url: String,
    pub title: String,
    pub summary: String,
    pub html: String,
    pub author: String,
    pub published: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "portal/feed.xml", escape = "html")]
struct Feed {
    base: String,
    site: String,
    updated: String,
    entries: Vec<Entry>,
}

/// `GET /tin-tuc/feed.atom`: the latest public news.
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let now = service::now();
    let rows = store::public_news(&state.db, now, &PublicFilter::default(), FEED_SIZE, 0).await?;
    let base = base(&state);
    let updated = iso(rows.iter().map(|a| a.updated_at.max(a.shown_at())).max().unwrap_or(DateTime::<Utc>::UNIX_EPOCH));
    let entries = rows
        .into_iter()
        .map(|a| Entry {
            url: format!("{base}{}", Kind::News.public_path(&a.slug)),
            summary: if a.summary.is_empty() { plain_excerpt(&a.body_md, 300) } else { a.summary.clone() },
            published: iso(a.shown_at()),
            updated: iso(a.updated_at.max(a.shown_at())),
            author: a.unit_name,
            html: a.body_html,
            title: a.title,
        })
        .collect();
    let f = Feed { base, site: msg::SITE_NAME.into(), updated, entries };
    Ok(cached(&headers, "application/atom+xml; charset=utf-8", f.render()?))
}

#[derive(Template)]
#[template(path = "portal/sitemap.xml", escape = "html")]
struct Sitemap {
    urls: Vec<(String, String)>,
}

/// `GET /sitemap.xml`: the news list, the categories, the campaigns and every public article
/// and page.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let now = service::now();
    let base = base(&state);
    let mut urls = vec![(format!("{base}/tin-tuc"), String::new())];
    urls.extend(store::categories(&state.db).await?.into_iter().map(|c| (format!("{base}/chuyen-muc/{}", c.slug), String::new())));
    urls.extend(store::campaigns(&state.db).await?.into_iter().map(|c| (format!("{base}/chien-dich/{}", c.slug), String::new())));
    for (kind, slug, at) in store::public_all(&state.db, now, 45_000).await? {
        let k = Kind::parse(&kind).unwrap_or(Kind::News);
        urls.push((format!("{base}{}", k.public_path(&slug)), at.format("%Y-%m-%d").to_string()));
    }
    Ok(cached(&headers, "application/xml; charset=utf-8", Sitemap { urls }.render()?))
}

/// The public pages' own few rules, beside the kernel's stylesheet.
pub const STYLESHEET_PATH: &str = "/static/cong-thong-tin.css";
const STYLESHEET: &str = include_str!("../static/cong-thong-tin.css");

/// `GET /static/cong-thong-tin.css`.
pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLESHEET).into_response()
}
