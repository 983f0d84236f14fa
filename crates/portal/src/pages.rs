//! The officials' pages of the portal (biên tập): the list of articles in scope, the editor
//! (new, edit, each save a version), the workflow buttons, the history of versions, and the
//! categories and campaigns.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, render, render_invalid};
use kernel::state::AppState;
use serde::Deserialize;

use crate::msg;
use crate::rules::when::format_when;
use crate::rules::workflow::{self, Kind, Status, Step, Visibility};
use crate::service::{self, ArticleForm, CampaignForm};
use crate::store::{self, Article, Campaign, Category, VersionRow};

/// `?tb=` (a flash notice) and `?trang-thai=` (a status filter).
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub tb: Option<String>,
    #[serde(rename = "trang-thai")]
    pub status: Option<String>,
}

fn layout(user: &CurrentUser, title: impl Into<String>, flash: Option<&str>) -> Layout {
    Layout::for_user(user, title, "portal").with_flash_from(flash, msg::flash)
}

/// An option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One row of the editors' list.
pub struct Row {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub status: &'static str,
    /// "hẹn đăng 09/11/2026 07:30", "hết hạn", or empty.
    pub when: String,
    pub unit: String,
    pub updated: String,
}

fn status_label(a: &Article) -> &'static str {
    Status::parse(&a.status).map(Status::label).unwrap_or("")
}

fn when_note(a: &Article, now: chrono::DateTime<chrono::Utc>) -> String {
    let st = Status::parse(&a.status).unwrap_or(Status::Draft);
    match workflow::visibility(st, a.publish_at, a.unpublish_at, now) {
        Visibility::Scheduled => msg::scheduled(&a.publish_at.map(format_when).unwrap_or_default()),
        Visibility::Expired => msg::EXPIRED.into(),
        Visibility::Public => a.unpublish_at.map(|t| msg::shown_until(&format_when(t))).unwrap_or_default(),
        Visibility::NotPublished => String::new(),
    }
}

#[derive(Template)]
#[template(path = "portal/index.html")]
struct IndexPage {
    l: Layout,
    rows: Vec<Row>,
    filters: Vec<Choice>,
    approver: bool,
}

/// `GET /bien-tap`: the articles of units in scope, newest change first.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    user.require(Action::WriteArticles)?;
    let status = q.status.as_deref().and_then(Status::parse);
    let now = service::now();
    let rows = store::list_in_scope(&state.db, &user.scope.like_pattern(), status.map(Status::as_str), 300)
        .await?
        .into_iter()
        .map(|a| Row {
            id: a.id,
            kind: Kind::parse(&a.kind).map(Kind::label).unwrap_or(""),
            status: status_label(&a),
            when: when_note(&a, now),
            unit: a.unit_name.clone(),
            updated: format_when(a.updated_at),
            title: a.title,
        })
        .collect();
    let mut filters = vec![Choice { value: String::new(), label: msg::ALL.into(), selected: status.is_none() }];
    for s in workflow::ALL_STATUSES {
        filters.push(Choice { value: s.as_str().into(), label: s.label().into(), selected: status == Some(s) });
    }
    let p = user.principal();
    render(&IndexPage {
        l: layout(&user, msg::LIST_TITLE, q.tb.as_deref()),
        rows,
        filters,
        approver: service::is_approver(&p),
    })
}

#[derive(Template)]
#[template(path = "portal/edit.html")]
struct EditPage {
    l: Layout,
    /// None for a new article.
    a: Option<Article>,
    /// The version the edit form saves over (see `service::save`).
    seen: i64,
    f: ArticleForm,
    errors: FieldErrors,
    kinds: Vec<Choice>,
    categories: Vec<Choice>,
    campaigns: Vec<Choice>,
    can_edit: bool,
    can_submit: bool,
    can_publish: bool,
    can_return: bool,
    can_unpublish: bool,
    status: &'static str,
    when: String,
    public_path: Option<String>,
    versions: Vec<VersionLink>,
    reason: String,
    /// The article's pictures.
    images: Vec<ImageLine>,
    /// The description typed with a picture that was refused.
    image_alt: String,
}

/// A picture on the editor's page: a thumbnail and the Markdown to put it in the body.
pub struct ImageLine {
    pub thumb: String,
    pub alt: String,
    pub markdown: String,
    pub size: String,
}

/// A line of the history of versions.
pub struct VersionLink {
    pub id: i64,
    pub version: i64,
    pub saved_at: String,
    pub by: String,
}

impl From<VersionRow> for VersionLink {
    fn from(v: VersionRow) -> Self {
        VersionLink { id: v.id, version: v.version, saved_at: format_when(v.saved_at), by: v.saved_by_name.unwrap_or_default() }
    }
}

async fn choices(state: &AppState, f: &ArticleForm) -> AppResult<(Vec<Choice>, Vec<Choice>, Vec<Choice>)> {
    let kinds = [Kind::News, Kind::Page]
        .into_iter()
        .map(|k| Choice { value: k.as_str().into(), label: k.label().into(), selected: f.kind == k.as_str() })
        .collect();
    let none = |picked: &str| Choice { value: String::new(), label: msg::NONE.into(), selected: picked.is_empty() };
    let mut cats = vec![none(&f.category)];
    cats.extend(store::categories(&state.db).await?.into_iter().map(|c: Category| Choice { selected: f.category == c.id.to_string(), value: c.id.to_string(), label: c.name }));
    let mut camps = vec![none(&f.campaign)];
    camps.extend(store::campaigns(&state.db).await?.into_iter().map(|c: Campaign| Choice {
        selected: f.campaign == c.id.to_string(),
        value: c.id.to_string(),
        label: format!("{} ({} – {})", c.name, text_vi::format_date(c.starts_on), text_vi::format_date(c.ends_on)),
    }));
    Ok((kinds, cats, camps))
}

#[allow(clippy::too_many_arguments)]
async fn edit_page(state: &AppState, user: &CurrentUser, a: Option<Article>, seen: Option<i64>, f: ArticleForm, errors: FieldErrors, reason: String, flash: Option<&str>) -> AppResult<EditPage> {
    let (kinds, categories, campaigns) = choices(state, &f).await?;
    let p = user.principal();
    let approver = service::is_approver(&p);
    let now = service::now();
    let images = match &a {
        None => Vec::new(),
        Some(a) => store::images_of(&state.db, a.id)
            .await?
            .into_iter()
            .map(|i| ImageLine {
                thumb: i.as_ref().src(i.as_ref().sizes.first().map_or(0, |s| s.0)),
                markdown: format!("![{}](anh:{})", i.alt.replace(['[', ']', '\\'], ""), i.token),
                size: format!("{} × {}", text_vi::format_int(i.width), text_vi::format_int(i.height)),
                alt: i.alt,
            })
            .collect(),
    };
    let (status, can_edit, can_submit, can_publish, can_return, can_unpublish, when, public_path, versions) = match &a {
        None => ("", true, false, false, false, false, String::new(), None, Vec::new()),
        Some(a) => {
            let st = Status::parse(&a.status).unwrap_or(Status::Draft);
            let public = workflow::is_public(st, a.publish_at, a.unpublish_at, now);
            (
                st.label(),
                workflow::allowed(Step::Edit, st, approver),
                workflow::allowed(Step::Submit, st, approver),
                workflow::allowed(Step::Publish, st, approver),
                workflow::allowed(Step::Return, st, approver),
                workflow::allowed(Step::Unpublish, st, approver),
                when_note(a, now),
                public.then(|| Kind::parse(&a.kind).unwrap_or(Kind::News).public_path(&a.slug)),
                store::versions(&state.db, a.id).await?.into_iter().map(VersionLink::from).collect(),
            )
        }
    };
    let title = match &a {
        Some(a) => a.title.clone(),
        None => msg::NEW_TITLE.to_string(),
    };
    // A form that failed only on its content keeps the version it was opened on; after a
    // conflict it carries the current one, so saving again (having been told) overwrites.
    let current = a.as_ref().map_or(0, |a| a.version);
    let seen = if errors.get("title").contains(msg::STALE) { current } else { seen.unwrap_or(current) };
    Ok(EditPage {
        l: layout(user, title, flash),
        seen,
        a,
        f,
        errors,
        kinds,
        categories,
        campaigns,
        can_edit,
        can_submit,
        can_publish,
        can_return,
        can_unpublish,
        status,
        when,
        public_path,
        versions,
        reason,
        images,
        image_alt: String::new(),
    })
}

/// `POST /bien-tap/{id}/anh`: a picture for the article (multipart: `file` and `alt`), made
/// upright, stripped of EXIF, resized and re-encoded on the blocking pool; errors show the
/// editor again with the description typed.
pub async fn upload_image(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>) -> AppResult<Response> {
    let p = user.principal();
    let a = service::load(&state.db, &p, id).await?;
    let st = Status::parse(&a.status).unwrap_or(Status::Draft);
    if !workflow::allowed(Step::Edit, st, service::is_approver(&p)) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let up = match mp {
        Ok(mp) => kernel::page::read_upload(mp, state.config.limits.upload_bytes).await.map_err(|m| errors.add("image", m)).ok(),
        Err(_) => {
            errors.add("image", kernel::msg::FORM_UNREADABLE);
            None
        }
    };
    let alt = up.as_ref().and_then(|u| u.fields.get("alt")).map(|s| kernel::page::clean(s)).unwrap_or_default();
    if up.is_some() {
        if alt.is_empty() {
            errors.add("alt", msg::IMAGE_ALT_MISSING);
        } else if alt.chars().count() > 300 {
            errors.add("alt", msg::IMAGE_ALT_TOO_LONG);
        }
    }
    let mut picture = None;
    match up {
        Some(u) if u.too_large => errors.add("image", kernel::msg::FILE_TOO_LARGE),
        Some(u) if u.bytes.is_empty() => errors.add("image", kernel::msg::FILE_REQUIRED),
        Some(_) if errors.is_empty() && !kernel::heavy::allow_upload(&state.db, user.account.id, "portal_image", state.config.limits.imports_per_minute).await? => {
            errors.add("image", kernel::msg::IMPORTS_TOO_FREQUENT)
        }
        Some(u) if errors.is_empty() => match state.heavy.run(move || documents::picture::process(&u.bytes)).await {
            Ok(Ok(pic)) => picture = Some(pic),
            Ok(Err(e)) => errors.add("image", e.message()),
            Err(kernel::heavy::HeavyError::TimedOut) => errors.add("image", msg::IMAGE_SLOW),
            Err(e) => errors.add("image", e.message()),
        },
        _ => {}
    }
    if let Some(pic) = picture {
        service::add_image(&state.db, &meta.actor(&user), &p, &a, &alt, &pic).await?;
        return Ok(Redirect::to(&format!("/bien-tap/{id}?tb=image_saved#anh")).into_response());
    }
    let tags = store::tags_of(&state.db, a.id).await?;
    let f = ArticleForm::of(&a, &tags);
    let mut page = edit_page(&state, &user, Some(a), None, f, errors, String::new(), None).await?;
    page.image_alt = alt;
    render_invalid(&page)
}

/// `GET /anh/{name}`: one width of a picture (`TOKEN-960.jpg`), for anyone holding its random
/// name; never changes, so cached for a year.
pub async fn image(State(state): State<AppState>, Path(name): Path<String>) -> AppResult<Response> {
    let (token, width) = name.strip_suffix(".jpg").and_then(|n| n.rsplit_once('-')).ok_or(AppError::NotFound)?;
    let width: i64 = width.parse().map_err(|_| AppError::NotFound)?;
    if token.is_empty() || token.len() > 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let file = store::image_file(&state.db, token, width).await?.ok_or(AppError::NotFound)?;
    let data = kernel::db::files::data(&state.db, file).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "image/jpeg"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (axum::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        data,
    )
        .into_response())
}

/// `GET /bien-tap/moi`.
pub async fn new_page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::WriteArticles)?;
    let f = ArticleForm { kind: Kind::News.as_str().into(), ..Default::default() };
    render(&edit_page(&state, &user, None, None, f, FieldErrors::default(), String::new(), None).await?)
}

/// `POST /bien-tap/moi`: a new draft of the account's unit.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::WriteArticles)?;
    let f = ArticleForm::read(&pairs);
    let mut errors = FieldErrors::default();
    let checked = f.check(&state.db, None, &mut errors).await?;
    if let Some((input, tags)) = checked {
        match service::create(&state.db, &meta.actor(&user), &user.principal(), input, &tags).await? {
            Ok(id) => return Ok(Redirect::to(&format!("/bien-tap/{id}?tb=created")).into_response()),
            Err(e) => errors = e,
        }
    }
    render_invalid(&edit_page(&state, &user, None, None, f, errors, String::new(), None).await?)
}

/// `GET /bien-tap/{id}`: the editor, the workflow and the history.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let a = service::load(&state.db, &user.principal(), id).await?;
    let tags = store::tags_of(&state.db, a.id).await?;
    let f = ArticleForm::of(&a, &tags);
    render(&edit_page(&state, &user, Some(a), None, f, FieldErrors::default(), String::new(), q.tb.as_deref()).await?)
}

/// `POST /bien-tap/{id}`: saves the next version.
pub async fn save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    let a = service::load(&state.db, &p, id).await?;
    let st = Status::parse(&a.status).unwrap_or(Status::Draft);
    if !workflow::allowed(Step::Edit, st, service::is_approver(&p)) {
        return Err(AppError::Forbidden);
    }
    let f = ArticleForm::read(&pairs);
    let mut errors = FieldErrors::default();
    if let Some((input, tags)) = f.check(&state.db, Some(a.id), &mut errors).await? {
        match service::save(&state.db, &meta.actor(&user), &p, &a, seen_version(&pairs), input, &tags).await? {
            Ok(_) => return Ok(Redirect::to(&format!("/bien-tap/{id}?tb=saved")).into_response()),
            Err(e) => errors = e,
        }
    }
    render_invalid(&edit_page(&state, &user, Some(a), seen_version(&pairs), f, errors, String::new(), None).await?)
}

/// The article's version the form was rendered with (`version`, hidden), if sent and readable.
fn seen_version(pairs: &[(String, String)]) -> Option<i64> {
    pairs.iter().find(|(k, _)| k == "version").and_then(|(_, v)| v.trim().parse().ok())
}

async fn take_step(state: AppState, user: CurrentUser, meta: ReqMeta, id: i64, step: Step, pairs: Vec<(String, String)>, flash: &str) -> AppResult<Response> {
    let p = user.principal();
    let a = service::load(&state.db, &p, id).await?;
    let reason = pairs.iter().find(|(k, _)| k == "reason").map(|(_, v)| v.clone()).unwrap_or_default();
    match service::step(&state.db, &meta.actor(&user), &p, &a, seen_version(&pairs), step, &reason).await? {
        Ok(()) => Ok(Redirect::to(&format!("/bien-tap/{id}?tb={flash}")).into_response()),
        Err(errors) => {
            let tags = store::tags_of(&state.db, a.id).await?;
            let f = ArticleForm::of(&a, &tags);
            render_invalid(&edit_page(&state, &user, Some(a), None, f, errors, kernel::page::clean(&reason), None).await?)
        }
    }
}

/// `POST /bien-tap/{id}/gui-duyet`.
pub async fn submit(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::WriteArticles)?;
    take_step(state, user, meta, id, Step::Submit, pairs, "submitted").await
}

/// `POST /bien-tap/{id}/dang`.
pub async fn publish(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::PublishArticles)?;
    take_step(state, user, meta, id, Step::Publish, pairs, "published").await
}

/// `POST /bien-tap/{id}/tra-lai`.
pub async fn give_back(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::PublishArticles)?;
    take_step(state, user, meta, id, Step::Return, pairs, "returned").await
}

/// `POST /bien-tap/{id}/go`.
pub async fn unpublish(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::PublishArticles)?;
    take_step(state, user, meta, id, Step::Unpublish, pairs, "unpublished").await
}

#[derive(Template)]
#[template(path = "portal/version.html")]
struct VersionPage {
    l: Layout,
    a: Article,
    v: store::Version,
    saved_at: String,
}

/// `GET /bien-tap/phien-ban/{id}`: an old version as it was saved.
pub async fn version(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::WriteArticles)?;
    let v = store::version(&state.db, id).await?;
    let a = service::load(&state.db, &user.principal(), v.article_id).await?;
    render(&VersionPage { l: layout(&user, msg::version_title(&a.title, v.version), None), saved_at: format_when(v.saved_at), a, v })
}

// ---------------------------------------------------------------- categories and campaigns

#[derive(Template)]
#[template(path = "portal/lists.html")]
struct ListsPage {
    l: Layout,
    categories: Vec<Category>,
    campaigns: Vec<(Campaign, String)>,
    may_keep: bool,
    name: String,
    c: CampaignForm,
    errors: FieldErrors,
}

async fn lists_page(state: &AppState, user: &CurrentUser, flash: Option<&str>, name: String, c: CampaignForm, errors: FieldErrors) -> AppResult<ListsPage> {
    let campaigns = store::campaigns(&state.db).await?.into_iter().map(|k| {
        let dates = format!("{} – {}", text_vi::format_date(k.starts_on), text_vi::format_date(k.ends_on));
        (k, dates)
    });
    Ok(ListsPage {
        l: layout(user, msg::LISTS_TITLE, flash),
        categories: store::categories(&state.db).await?,
        campaigns: campaigns.collect(),
        may_keep: service::may_keep_lists(&user.principal()),
        name,
        c,
        errors,
    })
}

/// `GET /bien-tap/chuyen-muc`.
pub async fn lists(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    user.require(Action::WriteArticles)?;
    render(&lists_page(&state, &user, q.tb.as_deref(), String::new(), CampaignForm::default(), FieldErrors::default()).await?)
}

/// `POST /bien-tap/chuyen-muc`: adds a category.
pub async fn add_category(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::PublishArticles)?;
    let name = pairs.iter().find(|(k, _)| k == "name").map(|(_, v)| kernel::page::clean(v)).unwrap_or_default();
    match service::add_category(&state.db, &meta.actor(&user), &user.principal(), &name).await? {
        Ok(_) => Ok(Redirect::to("/bien-tap/chuyen-muc?tb=category_added").into_response()),
        Err(errors) => render_invalid(&lists_page(&state, &user, None, name, CampaignForm::default(), errors).await?),
    }
}

/// `POST /bien-tap/chien-dich`: adds a campaign.
pub async fn add_campaign(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::PublishArticles)?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| kernel::page::clean(v)).unwrap_or_default();
    let c = CampaignForm { name: get("name"), description: get("description"), starts_on: get("starts_on"), ends_on: get("ends_on") };
    match service::add_campaign(&state.db, &meta.actor(&user), &user.principal(), &c).await? {
        Ok(_) => Ok(Redirect::to("/bien-tap/chuyen-muc?tb=campaign_added").into_response()),
        Err(errors) => render_invalid(&lists_page(&state, &user, None, String::new(), c, errors).await?),
    }
}
