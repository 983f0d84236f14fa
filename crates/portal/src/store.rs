//! The portal's SQL for both databases: categories, campaigns, articles with their tags and
//! versions, the editors' lists and the public queries (visibility bound from Rust's clock).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use crate::rules::Tag;
use kernel::{Db, DbResult, Tx, exec, with_db, with_tx};

// ---------------------------------------------------------------- categories and campaigns

/// A category (chuyên mục).
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

pub async fn categories(db: &Db) -> DbResult<Vec<Category>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT id, slug, name FROM portal_categories ORDER BY position, name COLLATE vi, id").fetch_all(p).await)?)
}

pub async fn category_by_slug(db: &Db, slug: &str) -> DbResult<Option<Category>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT id, slug, name FROM portal_categories WHERE slug = $1").bind(slug).fetch_optional(p).await)?)
}

pub async fn insert_category(tx: &mut Tx, slug: &str, name: &str, position: i64) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as("INSERT INTO portal_categories (slug, name, position, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(slug).bind(name).bind(position).bind(kernel::now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

/// A campaign (chiến dịch) with its dates.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

pub async fn campaigns(db: &Db) -> DbResult<Vec<Campaign>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT id, slug, name, description, starts_on, ends_on FROM portal_campaigns ORDER BY starts_on DESC, id DESC").fetch_all(p).await)?)
}

pub async fn campaign_by_slug(db: &Db, slug: &str) -> DbResult<Option<Campaign>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT id, slug, name, description, starts_on, ends_on FROM portal_campaigns WHERE slug = $1").bind(slug).fetch_optional(p).await)?)
}

pub async fn insert_campaign(tx: &mut Tx, slug: &str, name: &str, description: &str, starts_on: NaiveDate, ends_on: NaiveDate) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO portal_campaigns (slug, name, description, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(slug).bind(name).bind(description).bind(starts_on).bind(ends_on).bind(kernel::now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn category_exists(db: &Db, id: i64) -> DbResult<bool> {
    let n: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM portal_categories WHERE id = $1").bind(id).fetch_optional(p).await)?;
    Ok(n.is_some())
}

pub async fn campaign_exists(db: &Db, id: i64) -> DbResult<bool> {
    let n: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM portal_campaigns WHERE id = $1").bind(id).fetch_optional(p).await)?;
    Ok(n.is_some())
}

// ---------------------------------------------------------------- articles

/// An article or static page with its unit, category and campaign.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Article {
    pub id: i64,
    pub kind: String,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub body_html: String,
    pub category_id: Option<i64>,
    pub category_slug: Option<String>,
    pub category_name: Option<String>,
    pub campaign_id: Option<i64>,
    pub campaign_slug: Option<String>,
    pub campaign_name: Option<String>,
    pub featured: bool,
    pub status: String,
    pub return_reason: String,
    pub publish_at: Option<DateTime<Utc>>,
    pub unpublish_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Article {
    /// The date shown to readers: the scheduled start, else the time it was published.
    pub fn shown_at(&self) -> DateTime<Utc> {
        self.publish_at.or(self.published_at).unwrap_or(self.updated_at)
    }
}

macro_rules! article_cols {
    () => {
        "a.id, a.kind, a.unit_id, u.name AS unit_name, u.path AS unit_path, a.slug, a.title, a.summary, a.body_md, a.body_html,
         a.category_id, c.slug AS category_slug, c.name AS category_name, a.campaign_id, k.slug AS campaign_slug, k.name AS campaign_name,
         a.featured, a.status, a.return_reason, a.publish_at, a.unpublish_at, a.published_at, a.version, a.created_at, a.updated_at
         FROM portal_articles a JOIN units u ON u.id = a.unit_id
         LEFT JOIN portal_categories c ON c.id = a.category_id LEFT JOIN portal_campaigns k ON k.id = a.campaign_id "
    };
}

/// The visibility condition of the public queries; `$1` is the time of reading.
macro_rules! public_cond {
    () => {
        " a.status = 'published' AND (a.publish_at IS NULL OR a.publish_at <= $1) AND (a.unpublish_at IS NULL OR a.unpublish_at > $1) "
    };
}

/// What a writer sets on an article (the owning unit and status are not here).
#[derive(Clone, Debug, Default)]
pub struct ArticleInput {
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub body_html: String,
    pub category_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub featured: bool,
    pub publish_at: Option<DateTime<Utc>>,
    pub unpublish_at: Option<DateTime<Utc>>,
}

pub async fn get(db: &Db, id: i64) -> DbResult<Article> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", article_cols!(), " WHERE a.id = $1")).bind(id).fetch_one(p).await)?)
}

/// Whether a slug is used by another article than `except`.
pub async fn slug_taken(tx: &mut Tx, slug: &str, except: Option<i64>) -> DbResult<bool> {
    let row: Option<(i64,)> = with_tx!(tx, c => sqlx::query_as("SELECT id FROM portal_articles WHERE slug = $1 AND id <> $2")
        .bind(slug).bind(except.unwrap_or(0)).fetch_optional(&mut *c).await)?;
    Ok(row.is_some())
}

pub async fn insert_article(tx: &mut Tx, a: &ArticleInput, unit_id: i64, by: Option<i64>, at: DateTime<Utc>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO portal_articles (kind, unit_id, slug, title, summary, body_md, body_html, category_id, campaign_id, featured,
            status, publish_at, unpublish_at, version, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12, 1, $13, $14, $14) RETURNING id")
        .bind(&a.kind).bind(unit_id).bind(&a.slug).bind(&a.title).bind(&a.summary).bind(&a.body_md).bind(&a.body_html)
        .bind(a.category_id).bind(a.campaign_id).bind(a.featured).bind(a.publish_at).bind(a.unpublish_at).bind(by).bind(at)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

/// Saves `version` over `version - 1`; `false` when the article is no longer at `version - 1`
/// (someone saved in between), and nothing is written.
pub async fn update_article(tx: &mut Tx, id: i64, a: &ArticleInput, version: i64, at: DateTime<Utc>) -> DbResult<bool> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE portal_articles SET kind = $2, slug = $3, title = $4, summary = $5, body_md = $6, body_html = $7, category_id = $8,
            campaign_id = $9, featured = $10, publish_at = $11, unpublish_at = $12, version = $13, updated_at = $14
         WHERE id = $1 AND version = $15")
        .bind(id).bind(&a.kind).bind(&a.slug).bind(&a.title).bind(&a.summary).bind(&a.body_md).bind(&a.body_html)
        .bind(a.category_id).bind(a.campaign_id).bind(a.featured).bind(a.publish_at).bind(a.unpublish_at).bind(version).bind(at)
        .bind(version - 1)
        .execute(&mut *c).await)?;
    Ok(n == 1)
}

/// Sets the status and the reason of a return (empty otherwise); publishing stamps
/// `published_at` and `published_by`.
///
/// Only if the article is still at `seen` (its version and status when the step was asked
/// for): `false`, and nothing written, when someone saved or moved it in between.
pub async fn set_status(tx: &mut Tx, id: i64, seen: (i64, &str), status: &str, reason: &str, published: Option<(DateTime<Utc>, i64)>, at: DateTime<Utc>) -> DbResult<bool> {
    let (version, was) = seen;
    let n = match published {
        Some((when, by)) => exec!(tx, c => sqlx::query(
            "UPDATE portal_articles SET status = $2, return_reason = $3, published_at = $4, published_by = $5, updated_at = $6
             WHERE id = $1 AND version = $7 AND status = $8")
            .bind(id).bind(status).bind(reason).bind(when).bind(by).bind(at).bind(version).bind(was).execute(&mut *c).await)?,
        None => exec!(tx, c => sqlx::query("UPDATE portal_articles SET status = $2, return_reason = $3, updated_at = $4 WHERE id = $1 AND version = $5 AND status = $6")
            .bind(id).bind(status).bind(reason).bind(at).bind(version).bind(was).execute(&mut *c).await)?,
    };
    Ok(n == 1)
}

pub async fn set_tags(tx: &mut Tx, id: i64, tags: &[Tag]) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM portal_article_tags WHERE article_id = $1").bind(id).execute(&mut *c).await)?;
    for t in tags {
        exec!(tx, c => sqlx::query("INSERT INTO portal_article_tags (article_id, slug, name) VALUES ($1, $2, $3)")
            .bind(id).bind(&t.slug).bind(&t.name).execute(&mut *c).await)?;
    }
    Ok(())
}

pub async fn tags_of(db: &Db, id: i64) -> DbResult<Vec<Tag>> {
    let rows: Vec<(String, String)> = with_db!(db, p => sqlx::query_as("SELECT slug, name FROM portal_article_tags WHERE article_id = $1 ORDER BY name COLLATE vi")
        .bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(slug, name)| Tag { slug, name }).collect())
}

/// The tags of several articles at once (a page of the API's list), by article id.
pub async fn tags_of_many(db: &Db, ids: &[i64]) -> DbResult<std::collections::HashMap<i64, Vec<Tag>>> {
    let mut out: std::collections::HashMap<i64, Vec<Tag>> = std::collections::HashMap::new();
    // A few hundred ids per query keep well under either database's limit on parameters.
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, String)> = with_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new("SELECT article_id, slug, name FROM portal_article_tags WHERE article_id IN (");
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            qb.push(") ORDER BY article_id, name COLLATE vi");
            qb.build_query_as().fetch_all(p).await
        })?;
        for (id, slug, name) in rows {
            out.entry(id).or_default().push(Tag { slug, name });
        }
    }
    Ok(out)
}

/// The display name of a tag (the first spelling found), if any public article carries it.
pub async fn tag_name(db: &Db, slug: &str, now: DateTime<Utc>) -> DbResult<Option<String>> {
    // Only a tag of something public at `now`: a tag used only by drafts, scheduled or expired
    // articles is not revealed.
    let row: Option<(String,)> = with_db!(db, p => sqlx::query_as(concat!("SELECT t.name FROM portal_article_tags t JOIN portal_articles a ON a.id = t.article_id
        WHERE t.slug = $2 AND", public_cond!(), "ORDER BY t.article_id LIMIT 1"))
        .bind(now).bind(slug).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

/// The articles of units in the scope (newest change first), optionally of one status.
pub async fn list_in_scope(db: &Db, like: &str, status: Option<&str>, limit: i64) -> DbResult<Vec<Article>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", article_cols!(),
        " WHERE u.path LIKE $1 AND ($2 IS NULL OR a.status = $2) ORDER BY a.updated_at DESC, a.id DESC LIMIT $3"))
        .bind(like).bind(status).bind(limit).fetch_all(p).await)?)
}

/// How many articles of units in the scope are in `status`.
pub async fn count_in_scope(db: &Db, like: &str, status: &str) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM portal_articles a JOIN units u ON u.id = a.unit_id WHERE u.path LIKE $1 AND a.status = $2")
        .bind(like).bind(status).fetch_one(p).await)?;
    Ok(n)
}

// ---------------------------------------------------------------- versions

/// One saved version (without its text, for the history list).
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct VersionRow {
    pub id: i64,
    pub article_id: i64,
    pub version: i64,
    pub title: String,
    pub saved_by_name: Option<String>,
    pub saved_at: DateTime<Utc>,
}

/// One saved version with its text.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Version {
    pub id: i64,
    pub article_id: i64,
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub body_html: String,
    pub saved_by_name: Option<String>,
    pub saved_at: DateTime<Utc>,
}

pub async fn insert_version(tx: &mut Tx, article_id: i64, version: i64, a: &ArticleInput, by: Option<i64>, at: DateTime<Utc>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO portal_article_versions (article_id, version, title, summary, body_md, body_html, saved_by, saved_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(article_id).bind(version).bind(&a.title).bind(&a.summary).bind(&a.body_md).bind(&a.body_html).bind(by).bind(at)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn versions(db: &Db, article_id: i64) -> DbResult<Vec<VersionRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT v.id, v.article_id, v.version, v.title, x.full_name AS saved_by_name, v.saved_at
         FROM portal_article_versions v LEFT JOIN accounts x ON x.id = v.saved_by WHERE v.article_id = $1 ORDER BY v.version DESC")
        .bind(article_id).fetch_all(p).await)?)
}

pub async fn version(db: &Db, id: i64) -> DbResult<Version> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT v.id, v.article_id, v.version, v.title, v.summary, v.body_md, v.body_html, x.full_name AS saved_by_name, v.saved_at
         FROM portal_article_versions v LEFT JOIN accounts x ON x.id = v.saved_by WHERE v.id = $1")
        .bind(id).fetch_one(p).await)?)
}

// ---------------------------------------------------------------- public

/// Which public news to list.
#[derive(Clone, Debug, Default)]
pub struct PublicFilter<'a> {
    pub category_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub tag: Option<&'a str>,
    pub featured_only: bool,
}

/// Public news at `now`, newest first.
pub async fn public_news(db: &Db, now: DateTime<Utc>, f: &PublicFilter<'_>, limit: i64, offset: i64) -> DbResult<Vec<Article>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", article_cols!(), " WHERE ", public_cond!(),
        " AND a.kind = 'news' AND ($2 IS NULL OR a.category_id = $2) AND ($3 IS NULL OR a.campaign_id = $3)
          AND ($4 IS NULL OR EXISTS (SELECT 1 FROM portal_article_tags t WHERE t.article_id = a.id AND t.slug = $4))
          AND (a.featured OR NOT $5)
         ORDER BY COALESCE(a.publish_at, a.published_at) DESC, a.id DESC LIMIT $6 OFFSET $7"))
        .bind(now).bind(f.category_id).bind(f.campaign_id).bind(f.tag).bind(f.featured_only).bind(limit).bind(offset).fetch_all(p).await)?)
}

pub async fn public_news_count(db: &Db, now: DateTime<Utc>, f: &PublicFilter<'_>) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(concat!("SELECT COUNT(*) FROM portal_articles a WHERE ", public_cond!(),
        " AND a.kind = 'news' AND ($2 IS NULL OR a.category_id = $2) AND ($3 IS NULL OR a.campaign_id = $3)
          AND ($4 IS NULL OR EXISTS (SELECT 1 FROM portal_article_tags t WHERE t.article_id = a.id AND t.slug = $4))
          AND (a.featured OR NOT $5)"))
        .bind(now).bind(f.category_id).bind(f.campaign_id).bind(f.tag).bind(f.featured_only).fetch_one(p).await)?;
    Ok(n)
}

/// The public article or page of a slug at `now`.
pub async fn public_by_slug(db: &Db, now: DateTime<Utc>, kind: &str, slug: &str) -> DbResult<Option<Article>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", article_cols!(), " WHERE ", public_cond!(), " AND a.kind = $2 AND a.slug = $3"))
        .bind(now).bind(kind).bind(slug).fetch_optional(p).await)?)
}

/// The latest public news at `now` of one unit (its own articles, not those below it).
pub async fn public_news_of_unit(db: &Db, now: DateTime<Utc>, unit_id: i64, limit: i64) -> DbResult<Vec<Article>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", article_cols!(), " WHERE ", public_cond!(),
        " AND a.kind = 'news' AND a.unit_id = $2 ORDER BY COALESCE(a.publish_at, a.published_at) DESC, a.id DESC LIMIT $3"))
        .bind(now).bind(unit_id).bind(limit).fetch_all(p).await)?)
}

/// Every public article and page at `now` for the sitemap: (kind, slug, last change).
pub async fn public_all(db: &Db, now: DateTime<Utc>, limit: i64) -> DbResult<Vec<(String, String, DateTime<Utc>)>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT a.kind, a.slug, a.updated_at FROM portal_articles a WHERE ", public_cond!(),
        " ORDER BY a.updated_at DESC, a.id DESC LIMIT $2"))
        .bind(now).bind(limit).fetch_all(p).await)?)
}

/// The public static pages at `now` (for the menu and footer): (slug, title).
pub async fn public_pages(db: &Db, now: DateTime<Utc>) -> DbResult<Vec<(String, String)>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT a.slug, a.title FROM portal_articles a WHERE ", public_cond!(),
        " AND a.kind = 'page' ORDER BY a.title COLLATE vi, a.id LIMIT 20"))
        .bind(now).fetch_all(p).await)?)
}

// ---------------------------------------------------------------- search feed

/// Writes an article or static page into the search feed (`kernel::search_feed`) as it now
/// stands, in the caller's transaction: a published one is put with its schedule as
/// `visible_from` / `visible_to` (compared with the clock by the search, as by the public
/// pages), any other (draft, submitted, returned, unpublished, gone) is removed. Returns whether
/// it was put.
pub async fn feed_item(tx: &mut Tx, id: i64) -> DbResult<bool> {
    use chrono::Datelike;
    use kernel::search_feed::{self, FeedDoc, kind};

    use crate::rules::{Kind, Status};

    let a: Option<Article> = with_tx!(tx, c => sqlx::query_as(concat!("SELECT ", article_cols!(), " WHERE a.id = $1")).bind(id).fetch_optional(&mut *c).await)?;
    let Some(a) = a.filter(|a| Status::parse(&a.status) == Some(Status::Published)) else {
        search_feed::remove(tx, kind::ARTICLE, id).await?;
        return Ok(false);
    };
    let article_kind = Kind::parse(&a.kind).unwrap_or(Kind::News);
    let published_at = a.publish_at.or(a.published_at);
    let doc_type = match article_kind {
        Kind::Page => "Trang".to_string(),
        Kind::News => a.category_name.clone().unwrap_or_else(|| Kind::News.label().to_string()),
    };
    let doc = FeedDoc {
        kind: kind::ARTICLE.into(),
        ref_id: a.id,
        url: article_kind.public_path(&a.slug),
        title: a.title,
        summary: a.summary,
        body: a.body_md,
        doc_type,
        // The year of publication in Vietnam time (UTC+7).
        year: published_at.map(|t| (t + chrono::Duration::hours(7)).year()),
        unit_id: Some(a.unit_id),
        published_at,
        visible_from: a.publish_at,
        visible_to: a.unpublish_at,
        ..FeedDoc::default()
    };
    search_feed::put(tx, &doc).await?;
    Ok(true)
}

/// The articles that may be in the search feed: the published ones and those it holds now.
pub async fn feed_candidates(db: &Db) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM portal_articles WHERE status = 'published' UNION SELECT ref_id FROM search_docs WHERE kind = $1 ORDER BY 1")
        .bind(kernel::search_feed::kind::ARTICLE).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ---------------------------------------------------------------- pictures

/// A picture of an article, with its sizes `(width, height, file id)`, smallest first.
#[derive(Clone, Debug)]
pub struct Image {
    pub id: i64,
    pub article_id: i64,
    pub token: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
    pub sizes: Vec<(i64, i64, i64)>,
}

impl Image {
    /// What the Markdown renderer needs of it.
    pub fn as_ref(&self) -> crate::rules::markdown::ImageRef {
        crate::rules::markdown::ImageRef {
            token: self.token.clone(),
            sizes: self.sizes.iter().map(|(w, h, _)| (u32::try_from(*w).unwrap_or(0), u32::try_from(*h).unwrap_or(0))).collect(),
        }
    }
}

/// What a new picture stores.
pub struct NewImage<'a> {
    pub article_id: i64,
    pub token: &'a str,
    pub alt: &'a str,
    pub width: i64,
    pub height: i64,
    pub created_by: i64,
}

pub async fn insert_image(tx: &mut Tx, i: &NewImage<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO portal_images (article_id, token, alt, width, height, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(i.article_id).bind(i.token).bind(i.alt).bind(i.width).bind(i.height).bind(i.created_by).bind(at).fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn insert_image_size(tx: &mut Tx, image_id: i64, width: i64, height: i64, file_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("INSERT INTO portal_image_sizes (image_id, width, height, file_id) VALUES ($1, $2, $3, $4)")
        .bind(image_id).bind(width).bind(height).bind(file_id).execute(&mut *c).await)?;
    Ok(())
}

type ImageRow = (i64, i64, String, String, i64, i64, Option<i64>, Option<i64>, Option<i64>);

fn gather(rows: Vec<ImageRow>) -> Vec<Image> {
    let mut out: Vec<Image> = Vec::new();
    for (id, article_id, token, alt, width, height, sw, sh, file) in rows {
        if out.last().is_none_or(|i| i.id != id) {
            out.push(Image { id, article_id, token, alt, width, height, sizes: Vec::new() });
        }
        if let (Some(w), Some(h), Some(f), Some(last)) = (sw, sh, file, out.last_mut()) {
            last.sizes.push((w, h, f));
        }
    }
    out
}

macro_rules! select_images {
    () => {
        "SELECT i.id, i.article_id, i.token, i.alt, i.width, i.height, s.width, s.height, s.file_id
         FROM portal_images i LEFT JOIN portal_image_sizes s ON s.image_id = i.id "
    };
}

/// The pictures of an article, oldest first.
pub async fn images_of(db: &Db, article_id: i64) -> DbResult<Vec<Image>> {
    let rows: Vec<ImageRow> = with_db!(db, p => sqlx::query_as(concat!(select_images!(), "WHERE i.article_id = $1 ORDER BY i.id, s.width"))
        .bind(article_id).fetch_all(p).await)?;
    Ok(gather(rows))
}

/// The most pictures an article may show.
pub const IMAGES_PER_ARTICLE: usize = 100;

/// The file of one width of a picture.
pub async fn image_file(db: &Db, token: &str, width: i64) -> DbResult<Option<i64>> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT s.file_id FROM portal_image_sizes s JOIN portal_images i ON i.id = s.image_id WHERE i.token = $1 AND s.width = $2")
        .bind(token).bind(width).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}
