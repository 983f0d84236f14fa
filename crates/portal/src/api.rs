//! The portal over the API: the published news and static pages, exactly as the public pages
//! show them at the time of reading (the same store queries, so a draft, a scheduled article
//! before its start, an expired or an unpublished one is neither listed nor found). Public data,
//! for every authenticated caller (like the bookshelf's API).

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use kernel::api::params::{ApiResult, Params, path_segment};
use kernel::api::{Caller, ErrorBody};
use kernel::error::ApiError;
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use serde::Serialize;
use utoipa::ToSchema;

use crate::rules::markdown::plain_excerpt;
use crate::rules::workflow::Kind;
use crate::service;
use crate::store::{self, Article, PublicFilter};

/// (method, path, required action) of every API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[
    ("GET", "/api/v1/portal/articles", None),
    ("GET", "/api/v1/portal/articles/{slug}", None),
    ("GET", "/api/v1/portal/pages", None),
    ("GET", "/api/v1/portal/pages/{slug}", None),
];

/// The API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/portal/articles", get(articles).fallback(method_not_allowed))
        .route("/api/v1/portal/articles/{slug}", get(article).fallback(method_not_allowed))
        .route("/api/v1/portal/pages", get(pages).fallback(method_not_allowed))
        .route("/api/v1/portal/pages/{slug}", get(page).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(articles, article, pages, page),
    components(schemas(TagDto, ArticleDto, ArticleList, ArticleDetail, PageDto, PageList)),
    tags((name = "portal", description = "Cổng thông tin: tin bài và trang tĩnh đang công khai"))
)]
struct PortalDoc;

/// This crate's part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <PortalDoc as utoipa::OpenApi>::openapi()
}

/// A tag (nhãn).
#[derive(Serialize, ToSchema)]
pub struct TagDto {
    pub slug: String,
    pub name: String,
}

/// A published news article (without its body).
#[derive(Serialize, ToSchema)]
pub struct ArticleDto {
    pub id: i64,
    /// The last part of its public address.
    pub slug: String,
    pub title: String,
    /// The editor's summary, else the first words of the body (as the public list shows).
    pub summary: String,
    pub category_slug: Option<String>,
    pub category_name: Option<String>,
    pub campaign_slug: Option<String>,
    pub campaign_name: Option<String>,
    pub tags: Vec<TagDto>,
    /// Featured (tin nổi bật) on the public home page.
    pub featured: bool,
    /// The unit that published it.
    pub unit_name: String,
    /// The time shown to readers: the scheduled start, else the time it was published.
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Its page on this site.
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct ArticleList {
    pub items: Vec<ArticleDto>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// A published news article or static page with its body.
#[derive(Serialize, ToSchema)]
pub struct ArticleDetail {
    pub id: i64,
    /// `news` (tin bài) or `page` (trang tĩnh).
    pub kind: String,
    pub kind_label: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The body as the public page shows it: Markdown rendered to HTML and sanitised (no
    /// script, style or event attribute).
    pub body_html: String,
    pub category_slug: Option<String>,
    pub category_name: Option<String>,
    pub campaign_slug: Option<String>,
    pub campaign_name: Option<String>,
    pub tags: Vec<TagDto>,
    pub featured: bool,
    pub unit_name: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub href: String,
}

/// A published static page (without its body).
#[derive(Serialize, ToSchema)]
pub struct PageDto {
    pub slug: String,
    pub title: String,
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct PageList {
    pub items: Vec<PageDto>,
}

fn tags(tags: Vec<crate::rules::Tag>) -> Vec<TagDto> {
    tags.into_iter().map(|t| TagDto { slug: t.slug, name: t.name }).collect()
}

fn summary(a: &Article) -> String {
    if a.summary.is_empty() { plain_excerpt(&a.body_md, 200) } else { a.summary.clone() }
}

/// `GET /api/v1/portal/articles`.
#[utoipa::path(
    get, operation_id = "list_portal_articles", path = "/api/v1/portal/articles", tag = "portal",
    summary = "Tin bài đang công khai, mới nhất trước",
    description = "The news the public list shows at the time of reading. For a search by words, use `GET /api/v1/search?kind=article`.",
    security(("bearer" = [])),
    params(
        ("category" = Option<String>, Query, max_length = 200, description = "Only this category's news (its slug); an unknown slug finds nothing"),
        ("campaign" = Option<String>, Query, max_length = 200, description = "Only this campaign's news (its slug); an unknown slug finds nothing"),
        ("tag" = Option<String>, Query, max_length = 200, description = "Only news with this tag (its slug)"),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = ArticleList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
    )
)]
pub async fn articles(State(state): State<AppState>, _caller: Caller, params: Params) -> ApiResult<Json<ArticleList>> {
    let category = params.text("category")?;
    let campaign = params.text("campaign")?;
    let tag = params.text("tag")?;
    let (limit, offset) = (params.limit()?, params.offset()?);
    let db = &state.db;
    let empty = || Json(ArticleList { items: Vec::new(), total: 0, limit, offset });
    let category_id = match category {
        None => None,
        Some(slug) => match store::category_by_slug(db, &slug).await? {
            Some(c) => Some(c.id),
            None => return Ok(empty()),
        },
    };
    let campaign_id = match campaign {
        None => None,
        Some(slug) => match store::campaign_by_slug(db, &slug).await? {
            Some(c) => Some(c.id),
            None => return Ok(empty()),
        },
    };
    let filter = PublicFilter { category_id, campaign_id, tag: tag.as_deref(), featured_only: false };
    let now = service::now();
    let total = store::public_news_count(db, now, &filter).await?;
    let rows = store::public_news(db, now, &filter, limit, offset).await?;
    let mut tags_by_id = store::tags_of_many(db, &rows.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
    let items = rows
        .iter()
        .map(|a| ArticleDto {
            id: a.id,
            slug: a.slug.clone(),
            title: a.title.clone(),
            summary: summary(a),
            category_slug: a.category_slug.clone(),
            category_name: a.category_name.clone(),
            campaign_slug: a.campaign_slug.clone(),
            campaign_name: a.campaign_name.clone(),
            tags: tags(tags_by_id.remove(&a.id).unwrap_or_default()),
            featured: a.featured,
            unit_name: a.unit_name.clone(),
            published_at: a.shown_at(),
            updated_at: a.updated_at,
            href: Kind::News.public_path(&a.slug),
        })
        .collect();
    Ok(Json(ArticleList { items, total, limit, offset }))
}

/// The public article or page of a slug at the time of reading, as its public page finds it.
async fn public_one(state: &AppState, kind: Kind, slug: Result<Path<String>, PathRejection>) -> ApiResult<Json<ArticleDetail>> {
    let slug = path_segment(slug, "slug")?;
    if !crate::rules::slug::is_slug(&slug) {
        return Err(ApiError::not_found().into());
    }
    let db = &state.db;
    let a = store::public_by_slug(db, service::now(), kind.as_str(), &slug).await?.ok_or_else(ApiError::not_found)?;
    let tags = tags(store::tags_of(db, a.id).await?);
    Ok(Json(ArticleDetail {
        id: a.id,
        kind: kind.as_str().into(),
        kind_label: kind.label().into(),
        summary: summary(&a),
        href: kind.public_path(&a.slug),
        published_at: a.shown_at(),
        updated_at: a.updated_at,
        tags,
        featured: a.featured,
        unit_name: a.unit_name,
        slug: a.slug,
        title: a.title,
        body_html: a.body_html,
        category_slug: a.category_slug,
        category_name: a.category_name,
        campaign_slug: a.campaign_slug,
        campaign_name: a.campaign_name,
    }))
}

/// `GET /api/v1/portal/articles/{slug}`.
#[utoipa::path(
    get, operation_id = "get_portal_article", path = "/api/v1/portal/articles/{slug}", tag = "portal",
    summary = "Một tin bài đang công khai, với nội dung HTML",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The last part of its public address `/tin-tuc/{slug}`")),
    responses(
        (status = 200, description = "OK", body = ArticleDetail),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "Unknown, or not public now (a draft, waiting for approval, scheduled, expired or unpublished)", body = ErrorBody),
    )
)]
pub async fn article(State(state): State<AppState>, _caller: Caller, slug: Result<Path<String>, PathRejection>) -> ApiResult<Json<ArticleDetail>> {
    public_one(&state, Kind::News, slug).await
}

/// `GET /api/v1/portal/pages`.
#[utoipa::path(
    get, operation_id = "list_portal_pages", path = "/api/v1/portal/pages", tag = "portal",
    summary = "Các trang tĩnh đang công khai",
    description = "The static pages the public site links in its footer, by title (at most 20).",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = PageList),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
    )
)]
pub async fn pages(State(state): State<AppState>, _caller: Caller) -> ApiResult<Json<PageList>> {
    let items = store::public_pages(&state.db, service::now()).await?.into_iter().map(|(slug, title)| PageDto { href: Kind::Page.public_path(&slug), slug, title }).collect();
    Ok(Json(PageList { items }))
}

/// `GET /api/v1/portal/pages/{slug}`.
#[utoipa::path(
    get, operation_id = "get_portal_page", path = "/api/v1/portal/pages/{slug}", tag = "portal",
    summary = "Một trang tĩnh đang công khai, với nội dung HTML",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The last part of its public address `/trang/{slug}`")),
    responses(
        (status = 200, description = "OK", body = ArticleDetail),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "Unknown, or not public now", body = ErrorBody),
    )
)]
pub async fn page(State(state): State<AppState>, _caller: Caller, slug: Result<Path<String>, PathRejection>) -> ApiResult<Json<ArticleDetail>> {
    public_one(&state, Kind::Page, slug).await
}
