//! Use cases shared by the pages (and later the API): reading a form into an article, creating
//! and saving (each save a new version), the workflow steps, categories and campaigns. Every
//! one takes a `Principal`, checks the role's action and the unit scope (an article of a unit
//! outside the scope answers 404), and audits its write in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::Db;
use kernel::account::Action;
use kernel::auth::Principal;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, clean};

use crate::msg;
use crate::rules::slug::is_slug;
use crate::rules::tags::TagError;
use crate::rules::when::parse_when;
use crate::rules::workflow::{self, Kind, Status, Step};
use crate::rules::{Tag, make_slug, numbered, parse_tags};
use crate::store::{self, Article, ArticleInput};

pub const MAX_TITLE: usize = 250;
pub const MAX_SUMMARY: usize = 600;
pub const MAX_BODY: usize = 200_000;

/// An article form as typed (kept on errors).
#[derive(Clone, Debug, Default)]
pub struct ArticleForm {
    pub kind: String,
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub body: String,
    pub category: String,
    pub campaign: String,
    pub tags: String,
    pub featured: bool,
    pub publish_at: String,
    pub unpublish_at: String,
}

impl ArticleForm {
    pub fn read(pairs: &[(String, String)]) -> ArticleForm {
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("");
        ArticleForm {
            kind: clean(get("kind")),
            title: clean(get("title")),
            slug: clean(get("slug")).to_lowercase(),
            summary: clean(get("summary")),
            body: text_vi::clean_input(get("body")).trim_end().to_string(),
            category: clean(get("category")),
            campaign: clean(get("campaign")),
            tags: clean(get("tags")),
            featured: !get("featured").is_empty(),
            publish_at: clean(get("publish_at")),
            unpublish_at: clean(get("unpublish_at")),
        }
    }

    /// The form of a stored article.
    pub fn of(a: &Article, tags: &[Tag]) -> ArticleForm {
        ArticleForm {
            kind: a.kind.clone(),
            title: a.title.clone(),
            slug: a.slug.clone(),
            summary: a.summary.clone(),
            body: a.body_md.clone(),
            category: a.category_id.map(|i| i.to_string()).unwrap_or_default(),
            campaign: a.campaign_id.map(|i| i.to_string()).unwrap_or_default(),
            tags: crate::rules::tags::tags_line(tags),
            featured: a.featured,
            publish_at: a.publish_at.map(crate::rules::when::format_when).unwrap_or_default(),
            unpublish_at: a.unpublish_at.map(crate::rules::when::format_when).unwrap_or_default(),
        }
    }

    /// Checks the form; on success the input (slug still to be made unique when typed empty)
    /// and the tags.
    pub async fn check(&self, db: &Db, article: Option<i64>, errors: &mut FieldErrors) -> AppResult<Option<(ArticleInput, Vec<Tag>)>> {
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", msg::KIND_UNKNOWN);
        }
        let n = self.title.chars().count();
        if n == 0 {
            errors.add("title", msg::TITLE_MISSING);
        } else if n > MAX_TITLE {
            errors.add("title", msg::TITLE_TOO_LONG);
        }
        if !self.slug.is_empty() && !is_slug(&self.slug) {
            errors.add("slug", msg::SLUG_FORMAT);
        }
        if self.summary.chars().count() > MAX_SUMMARY {
            errors.add("summary", msg::SUMMARY_TOO_LONG);
        }
        if self.body.chars().count() > MAX_BODY {
            errors.add("body", msg::BODY_TOO_LONG);
        }
        let category_id = match self.category.as_str() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(id) if store::category_exists(db, id).await? => Some(id),
                _ => {
                    errors.add("category", msg::CATEGORY_UNKNOWN);
                    None
                }
            },
        };
        let campaign_id = match self.campaign.as_str() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(id) if store::campaign_exists(db, id).await? => Some(id),
                _ => {
                    errors.add("campaign", msg::CAMPAIGN_UNKNOWN);
                    None
                }
            },
        };
        let tags = match parse_tags(&self.tags) {
            Ok(t) => t,
            Err(TagError::TooMany) => {
                errors.add("tags", msg::TAGS_TOO_MANY);
                Vec::new()
            }
            Err(TagError::TooLong) => {
                errors.add("tags", msg::TAG_TOO_LONG);
                Vec::new()
            }
        };
        let publish_at = parse_when(&self.publish_at).unwrap_or_else(|_| {
            errors.add("publish_at", msg::WHEN_FORMAT);
            None
        });
        let unpublish_at = parse_when(&self.unpublish_at).unwrap_or_else(|_| {
            errors.add("unpublish_at", msg::WHEN_FORMAT);
            None
        });
        if !workflow::schedule_ok(publish_at, unpublish_at) {
            errors.add("unpublish_at", msg::SCHEDULE_ORDER);
        }
        // The article's own pictures (uploaded to this article, so never another unit's or an
        // unpublished article's): each must exist.
        let tokens = crate::rules::markdown::image_tokens(&self.body);
        if tokens.len() > store::IMAGES_PER_ARTICLE {
            errors.add("body", msg::IMAGES_TOO_MANY);
        }
        let images: std::collections::HashMap<String, crate::rules::markdown::ImageRef> = match article {
            Some(id) => store::images_of(db, id).await?.into_iter().filter(|i| tokens.contains(&i.token)).map(|i| (i.token.clone(), i.as_ref())).collect(),
            None => std::collections::HashMap::new(),
        };
        if let Some(t) = tokens.iter().find(|t| !images.contains_key(*t)) {
            errors.add("body", msg::image_unknown(t));
        }
        let Some(kind) = kind else { return Ok(None) };
        if !errors.is_empty() {
            return Ok(None);
        }
        let input = ArticleInput {
            kind: kind.as_str().into(),
            slug: self.slug.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            body_html: crate::rules::markdown::render_with(&self.body, &images),
            body_md: self.body.clone(),
            category_id: if kind == Kind::News { category_id } else { None },
            campaign_id: if kind == Kind::News { campaign_id } else { None },
            featured: kind == Kind::News && self.featured,
            publish_at,
            unpublish_at,
        };
        Ok(Some((input, tags)))
    }
}

/// An article the principal may work on: the role may write articles and the article's unit is
/// in the scope (else 404).
pub async fn load(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<Article> {
    p.require(Action::WriteArticles)?;
    let a = store::get(db, id).await?;
    if !p.scope.contains(&a.unit_path) {
        return Err(AppError::NotFound);
    }
    Ok(a)
}

/// Whether the principal approves (publishes) articles in its scope.
pub fn is_approver(p: &Principal<'_>) -> bool {
    p.role.allows(Action::PublishArticles)
}

fn status_of(a: &Article) -> AppResult<Status> {
    Status::parse(&a.status).ok_or_else(|| AppError::Internal(format!("article status {}", a.status)))
}

/// Fixes the slug in the transaction: a typed slug must be free; an empty one is made from the
/// title and numbered until free.
async fn settle_slug(tx: &mut kernel::Tx, input: &mut ArticleInput, except: Option<i64>, errors: &mut FieldErrors) -> AppResult<()> {
    if !input.slug.is_empty() {
        if store::slug_taken(tx, &input.slug, except).await? {
            errors.add("slug", msg::SLUG_TAKEN);
        }
        return Ok(());
    }
    let fallback = if input.kind == Kind::Page.as_str() { "trang" } else { "tin-bai" };
    let base = make_slug(&input.title, fallback);
    let base = base.get(..crate::rules::slug::MAX_SLUG - 4).map(|b| b.trim_end_matches('-').to_string()).unwrap_or(base);
    for n in 1..1000 {
        let candidate = numbered(&base, n);
        if !store::slug_taken(tx, &candidate, except).await? {
            input.slug = candidate;
            return Ok(());
        }
    }
    errors.add("slug", msg::SLUG_TAKEN);
    Ok(())
}

/// Static pages (in every public page's footer) and featured items (on top of the news list)
/// speak for the whole portal, so only a province's (or a wider unit's) articles may be either.
fn check_site_wide(unit_path: &str, input: &ArticleInput, errors: &mut FieldErrors) {
    let province_or_wider = unit_path.trim_matches('/').split('/').filter(|s| !s.is_empty()).count() <= 1;
    if province_or_wider {
        return;
    }
    if input.kind == Kind::Page.as_str() {
        errors.add("kind", msg::PAGE_PROVINCE_ONLY);
    }
    if input.featured {
        errors.add("featured", msg::FEATURED_PROVINCE_ONLY);
    }
}

/// Creates a draft of the principal's unit (version 1). `Err(errors)` keeps what was typed.
pub async fn create(db: &Db, actor: &Actor, p: &Principal<'_>, mut input: ArticleInput, tags: &[Tag]) -> AppResult<Result<i64, FieldErrors>> {
    p.require(Action::WriteArticles)?;
    let at = kernel::now();
    let mut errors = FieldErrors::default();
    if !p.scope.global {
        check_site_wide(&p.scope.unit_path, &input, &mut errors);
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut tx = db.begin().await?;
    settle_slug(&mut tx, &mut input, None, &mut errors).await?;
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let unit_id = p.account.unit_id;
    let id = match store::insert_article(&mut tx, &input, unit_id, Some(p.account.id), at).await {
        Ok(id) => id,
        // Another request took the slug between the check and the insert.
        Err(kernel::db::DbError::Conflict(_)) => {
            errors.add("slug", msg::SLUG_TAKEN);
            return Ok(Err(errors));
        }
        Err(e) => return Err(e.into()),
    };
    store::set_tags(&mut tx, id, tags).await?;
    store::insert_version(&mut tx, id, 1, &input, Some(p.account.id), at).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "article", entity_id: Some(id.to_string()), unit_id: Some(unit_id),
        summary: msg::audit_created(&input.title), before: None,
        after: Some(serde_json::json!({"slug": input.slug, "kind": input.kind, "title": input.title})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Saves an edit as the next version. Writers edit drafts, returned and unpublished articles;
/// approvers any (403 otherwise).
///
/// `seen` is the version the form was opened on: when someone saved since, nothing is written
/// and the form comes back with what was typed and [`msg::STALE`].
pub async fn save(db: &Db, actor: &Actor, p: &Principal<'_>, a: &Article, seen: Option<i64>, mut input: ArticleInput, tags: &[Tag]) -> AppResult<Result<i64, FieldErrors>> {
    if !workflow::allowed(Step::Edit, status_of(a)?, is_approver(p)) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    if seen.is_some_and(|v| v != a.version) {
        errors.add("title", msg::STALE);
        return Ok(Err(errors));
    }
    check_site_wide(&a.unit_path, &input, &mut errors);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let at = kernel::now();
    let mut tx = db.begin().await?;
    settle_slug(&mut tx, &mut input, Some(a.id), &mut errors).await?;
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let version = a.version + 1;
    let updated = match store::update_article(&mut tx, a.id, &input, version, at).await {
        Ok(updated) => updated,
        Err(kernel::db::DbError::Conflict(_)) => {
            errors.add("slug", msg::SLUG_TAKEN);
            return Ok(Err(errors));
        }
        Err(e) => return Err(e.into()),
    };
    if !updated {
        errors.add("title", msg::STALE);
        return Ok(Err(errors));
    }
    store::set_tags(&mut tx, a.id, tags).await?;
    store::insert_version(&mut tx, a.id, version, &input, Some(p.account.id), at).await?;
    // An approver's edit of a published article changes what the search finds.
    store::feed_item(&mut tx, a.id).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "article", entity_id: Some(a.id.to_string()), unit_id: Some(a.unit_id),
        summary: msg::audit_saved(&input.title, version),
        before: Some(serde_json::json!({"slug": a.slug, "title": a.title, "version": a.version})),
        after: Some(serde_json::json!({"slug": input.slug, "title": input.title, "version": version})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(version))
}

/// Takes a workflow step. Returning needs a reason. A step the role may not take answers 403,
/// a step that does not apply to the status 400.
///
/// `seen` is the version the page showed: an approver publishes what they read, so a step on
/// an article saved since is refused with [`msg::STALE`].
pub async fn step(db: &Db, actor: &Actor, p: &Principal<'_>, a: &Article, seen: Option<i64>, step: Step, reason: &str) -> AppResult<Result<(), FieldErrors>> {
    let approver = is_approver(p);
    if matches!(step, Step::Publish | Step::Return | Step::Unpublish) && !approver {
        return Err(AppError::Forbidden);
    }
    if seen.is_some_and(|v| v != a.version) {
        return Err(AppError::BadRequest(msg::STALE.into()));
    }
    let status = status_of(a)?;
    if !workflow::allowed(step, status, approver) {
        return Err(AppError::BadRequest(msg::STEP_NOT_ALLOWED.into()));
    }
    let reason = clean(reason);
    if step == Step::Return {
        let mut errors = FieldErrors::default();
        if reason.is_empty() {
            errors.add("reason", msg::REASON_MISSING);
        } else if reason.chars().count() > 1000 {
            errors.add("reason", msg::REASON_TOO_LONG);
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
    }
    let at = kernel::now();
    let next = workflow::after(step, status);
    let published = (step == Step::Publish).then_some((a.published_at.unwrap_or(at), p.account.id));
    let (label, action) = match step {
        Step::Submit => (msg::STEP_SUBMIT, "submit"),
        Step::Publish => (msg::STEP_PUBLISH, "publish"),
        Step::Return => (msg::STEP_RETURN, "return"),
        Step::Unpublish => (msg::STEP_UNPUBLISH, "unpublish"),
        Step::Edit => return Err(AppError::BadRequest(msg::STEP_NOT_ALLOWED.into())),
    };
    let mut tx = db.begin().await?;
    if !store::set_status(&mut tx, a.id, (a.version, a.status.as_str()), next.as_str(), if step == Step::Return { reason.as_str() } else { "" }, published, at).await? {
        return Err(AppError::BadRequest(msg::STALE.into()));
    }
    // Publishing puts it in the search feed, unpublishing (or any other step) takes it out.
    store::feed_item(&mut tx, a.id).await?;
    audit::record(&mut tx, actor, Entry {
        action, entity: "article", entity_id: Some(a.id.to_string()), unit_id: Some(a.unit_id),
        summary: msg::audit_step(label, &a.title),
        before: Some(serde_json::json!({"status": a.status})),
        after: Some(serde_json::json!({"status": next.as_str(), "reason": reason})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------- categories and campaigns

/// Categories and campaigns are the portal's, kept by approvers of a province or wider.
pub fn may_keep_lists(p: &Principal<'_>) -> bool {
    is_approver(p) && p.scope.is_province_or_wider()
}

fn check_name(name: &str, field: &'static str, errors: &mut FieldErrors) {
    let n = name.chars().count();
    if n == 0 {
        errors.add(field, msg::NAME_MISSING);
    } else if n > 120 {
        errors.add(field, msg::NAME_TOO_LONG);
    }
}

pub async fn add_category(db: &Db, actor: &Actor, p: &Principal<'_>, name: &str) -> AppResult<Result<i64, FieldErrors>> {
    p.require(Action::PublishArticles)?;
    if !may_keep_lists(p) {
        return Err(AppError::Forbidden);
    }
    let name = clean(name);
    let mut errors = FieldErrors::default();
    check_name(&name, "name", &mut errors);
    let slug = make_slug(&name, "chuyen-muc");
    if errors.is_empty() && store::category_by_slug(db, &slug).await?.is_some() {
        errors.add("name", msg::CATEGORY_TAKEN);
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let position = store::categories(db).await?.len() as i64;
    let mut tx = db.begin().await?;
    let id = store::insert_category(&mut tx, &slug, &name, position).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "portal_category", entity_id: Some(id.to_string()), unit_id: Some(p.account.unit_id),
        summary: msg::audit_category(&name), before: None, after: Some(serde_json::json!({"slug": slug, "name": name})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// A campaign as typed.
#[derive(Clone, Debug, Default)]
pub struct CampaignForm {
    pub name: String,
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
}

pub async fn add_campaign(db: &Db, actor: &Actor, p: &Principal<'_>, f: &CampaignForm) -> AppResult<Result<i64, FieldErrors>> {
    p.require(Action::PublishArticles)?;
    if !may_keep_lists(p) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    check_name(&f.name, "campaign_name", &mut errors);
    if f.description.chars().count() > 1000 {
        errors.add("description", msg::DESCRIPTION_TOO_LONG);
    }
    let day = |s: &str, field: &'static str, errors: &mut FieldErrors| -> Option<NaiveDate> {
        text_vi::parse_date(s).map_err(|_| errors.add(field, msg::DATE_FORMAT)).ok()
    };
    let starts = day(&f.starts_on, "starts_on", &mut errors);
    let ends = day(&f.ends_on, "ends_on", &mut errors);
    if let (Some(a), Some(b)) = (starts, ends)
        && b < a
    {
        errors.add("ends_on", msg::DATES_ORDER);
    }
    let slug = make_slug(&f.name, "chien-dich");
    if errors.is_empty() && store::campaign_by_slug(db, &slug).await?.is_some() {
        errors.add("campaign_name", msg::CAMPAIGN_TAKEN);
    }
    let (Some(starts), Some(ends)) = (starts, ends) else { return Ok(Err(errors)) };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut tx = db.begin().await?;
    let id = store::insert_campaign(&mut tx, &slug, &f.name, &f.description, starts, ends).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "portal_campaign", entity_id: Some(id.to_string()), unit_id: Some(p.account.unit_id),
        summary: msg::audit_campaign(&f.name), before: None, after: Some(serde_json::json!({"slug": slug, "name": f.name})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

// ---------------------------------------------------------------- search feed

/// Writes every article that is (or was) in reach of the search into the search feed, a few
/// hundred per transaction: the backfill of a database that held articles before the feed, and
/// the demo's. Returns how many it put; running it again is harmless.
pub async fn feed_all(db: &Db) -> kernel::DbResult<u64> {
    let ids = store::feed_candidates(db).await?;
    kernel::search_feed::feed_each(db, &ids, |tx, id| Box::pin(store::feed_item(tx, id))).await
}

/// The time of reading for the public pages.
pub fn now() -> DateTime<Utc> {
    kernel::now()
}

/// Stores a processed picture of an article the principal may edit: every size as a file, the
/// picture under a fresh random token, audited. Returns the token (what the Markdown names).
pub async fn add_image(db: &Db, actor: &Actor, p: &Principal<'_>, a: &Article, alt: &str, picture: &documents::picture::Picture) -> AppResult<String> {
    let token = kernel::db::new_token()[..20].to_string();
    let mut tx = db.begin().await?;
    let id = store::insert_image(&mut tx, &store::NewImage {
        article_id: a.id, token: &token, alt, width: i64::from(picture.width), height: i64::from(picture.height), created_by: p.account.id,
    }, now())
    .await?;
    for size in &picture.sizes {
        let name = format!("anh-{}-{}.jpg", a.id, size.width);
        let file = kernel::db::files::store(&mut tx, &name, "image/jpeg", &size.jpeg, a.unit_id, Some(p.account.id)).await?;
        store::insert_image_size(&mut tx, id, i64::from(size.width), i64::from(size.height), file).await?;
    }
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "portal_image", entity_id: Some(id.to_string()), unit_id: Some(a.unit_id),
        summary: msg::audit_image(&a.title), before: None,
        after: Some(serde_json::json!({"article_id": a.id, "token": token, "alt": alt, "width": picture.width, "height": picture.height, "sizes": picture.sizes.len()})),
    })
    .await?;
    tx.commit().await?;
    Ok(token)
}
