//! The officials' pages: `/tu-sach/quan-ly` (what the account keeps and the communes' counts
//! over a period), documents with their links and original file, materials with their file
//! (a province's officers), and a commune's bookshelf (its officers and the province's).
//! Errors come back beside the fields with what was typed.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::extract::multipart::MultipartRejection;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, render, render_invalid, today};
use kernel::state::AppState;
use serde::Deserialize;

use super::public::{PeriodQuery, ShelfLine, Update, period, shelf_lines};
use super::{Opt, all, field, fmt_day, opts, read_checked, typed_date, typed_text, typed_url};
use crate::rules::catalogue;
use crate::rules::kinds::{LinkKind, MaterialKind};
use crate::rules::status::Status;
use crate::store::{self, DocInput, DocRow, ItemInput, MaterialInput, MaterialRow};
use crate::{msg, service};

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    #[serde(default)]
    pub tb: Option<String>,
}

fn layout(user: &CurrentUser, title: impl Into<String>, flash: Option<&str>) -> Layout {
    Layout::for_user(user, title, "bookshelf").with_flash_from(flash, msg::flash)
}

fn see_other(to: String) -> Response {
    Redirect::to(&to).into_response()
}

// ---------------------------------------------------------------- overview

pub struct DocLine {
    pub href: String,
    pub number: String,
    pub title: String,
    pub status: &'static str,
    pub status_class: &'static str,
}

pub struct CommuneLine {
    pub name: String,
    pub public_href: String,
    pub manage_href: String,
    pub held: String,
    pub added: String,
    pub removed: String,
}

#[derive(Template)]
#[template(path = "bookshelf/manage.html")]
struct ManagePage {
    l: Layout,
    keeps_library: bool,
    documents: Vec<DocLine>,
    materials: Vec<(String, String)>,
    q: PeriodQuery,
    period_error: bool,
    from: String,
    to: String,
    communes: Vec<CommuneLine>,
    total: (String, String, String),
    own_commune: String,
    picker: Vec<Opt>,
}

/// `GET /tu-sach/quan-ly`; with `?xa=ID` (the commune picker), that commune's bookshelf.
pub async fn overview(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>, Query(q): Query<PeriodQuery>, Query(pick): Query<PickQuery>) -> AppResult<Response> {
    user.require(Action::ManageBookshelf)?;
    let p = user.principal();
    let db = &state.db;
    if let Ok(id) = pick.xa.trim().parse::<i64>() {
        service::managed_commune(db, &p, id).await?;
        return Ok(see_other(format!("/tu-sach/quan-ly/xa/{id}")));
    }
    let keeps = service::keeps_library(&p);
    let mut documents = Vec::new();
    let mut materials = Vec::new();
    if keeps {
        let docs: Vec<DocRow> = store::documents(db, &store::DocFilter::default()).await?.into_iter().filter(|d| user.scope.contains(&d.unit_path)).collect();
        let st = service::statuses(db, &docs, today()).await?;
        documents = docs
            .iter()
            .map(|d| {
                let s = st.get(&d.id).copied().unwrap_or(Status::InForce);
                DocLine { href: format!("/tu-sach/quan-ly/van-ban/{}", d.id), number: d.number.clone(), title: d.title.clone(), status: s.label(), status_class: s.badge() }
            })
            .collect();
        materials = store::materials(db, &store::MaterialFilter::default())
            .await?
            .into_iter()
            .filter(|m| user.scope.contains(&m.unit_path))
            .map(|m| (format!("/tu-sach/quan-ly/tai-lieu/{}", m.id), m.title))
            .collect();
    }
    let (period_error, (from, to)) = match period(&q) {
        Some(x) => (false, x),
        None => (true, period(&PeriodQuery::default()).unwrap_or((today(), today()))),
    };
    let like = user.scope.like_pattern();
    let counts = service::commune_counts(db, &like, from, to).await?;
    let mut total = crate::rules::shelf::ShelfCount::default();
    let communes = store::shelf_communes(db, &like)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let c = counts.get(&id).copied().unwrap_or_default();
            total.held += c.held;
            total.added += c.added;
            total.removed += c.removed;
            CommuneLine {
                name,
                public_href: format!("/tu-sach/xa/{id}"),
                manage_href: format!("/tu-sach/quan-ly/xa/{id}"),
                held: text_vi::format_int(c.held),
                added: text_vi::format_int(c.added),
                removed: text_vi::format_int(c.removed),
            }
        })
        .collect();
    let own = kernel::db::units::get(db, user.account.unit_id).await?;
    let own_commune = if own.level == "commune" { format!("/tu-sach/quan-ly/xa/{}", own.id) } else { String::new() };
    let picker = if own.level == "province" && !user.scope.global {
        kernel::db::units::children(db, Some(own.id), Some(today()))
            .await?
            .into_iter()
            .filter(|u| u.level == "commune")
            .map(|u| Opt { value: u.id.to_string(), label: u.name, selected: false })
            .collect()
    } else {
        Vec::new()
    };
    render(&ManagePage {
        l: layout(&user, msg::TITLE_MANAGE, f.tb.as_deref()),
        keeps_library: keeps,
        documents,
        materials,
        period_error,
        from: fmt_day(from),
        to: fmt_day(to),
        communes,
        total: (text_vi::format_int(total.held), text_vi::format_int(total.added), text_vi::format_int(total.removed)),
        own_commune,
        picker,
        q,
    })
}

#[derive(Deserialize, Default)]
pub struct PickQuery {
    #[serde(default)]
    pub xa: String,
}


// ---------------------------------------------------------------- documents

/// The document form as typed.
#[derive(Clone, Debug, Default)]
pub struct DocForm {
    pub number: String,
    pub type_code: String,
    pub title: String,
    pub issuer: String,
    pub signer: String,
    pub issued_on: String,
    pub in_force_on: String,
    pub expires_on: String,
    pub fields: Vec<String>,
    pub summary: String,
    pub full_text: String,
    pub vbpl_url: String,
}

impl DocForm {
    fn of(d: &DocRow, fields: Vec<String>, full_text: String) -> DocForm {
        DocForm {
            number: d.number.clone(),
            type_code: d.type_code.clone(),
            title: d.title.clone(),
            issuer: d.issuer.clone(),
            signer: d.signer.clone(),
            issued_on: fmt_day(d.issued_on),
            in_force_on: fmt_day(d.in_force_on),
            expires_on: d.expires_on.map(fmt_day).unwrap_or_default(),
            fields,
            summary: d.summary.clone(),
            full_text,
            vbpl_url: d.vbpl_url.clone(),
        }
    }

    fn read(pairs: &[(String, String)]) -> DocForm {
        DocForm {
            number: field(pairs, "number").into(),
            type_code: field(pairs, "type_code").into(),
            title: field(pairs, "title").into(),
            issuer: field(pairs, "issuer").into(),
            signer: field(pairs, "signer").into(),
            issued_on: field(pairs, "issued_on").into(),
            in_force_on: field(pairs, "in_force_on").into(),
            expires_on: field(pairs, "expires_on").into(),
            fields: all(pairs, "field").into_iter().map(str::to_string).collect(),
            summary: field(pairs, "summary").into(),
            full_text: field(pairs, "full_text").into(),
            vbpl_url: field(pairs, "vbpl_url").into(),
        }
    }

    /// The checked input, or the errors by field.
    async fn check(&self, db: &kernel::Db) -> AppResult<Result<DocInput, FieldErrors>> {
        let mut e = FieldErrors::default();
        let number = typed_text(&self.number, "number", 100, Some(msg::NUMBER_REQUIRED), &mut e);
        if !number.is_empty() && crate::rules::number::key(&number).is_empty() {
            e.add("number", msg::NUMBER_REQUIRED);
        }
        let types = store::doc_types(db).await?;
        if !types.iter().any(|t| t.code == self.type_code) {
            e.add("type_code", msg::TYPE_REQUIRED);
        }
        let title = typed_text(&self.title, "title", 1000, Some(msg::TITLE_REQUIRED), &mut e);
        let issuer = typed_text(&self.issuer, "issuer", 300, Some(msg::ISSUER_REQUIRED), &mut e);
        let signer = typed_text(&self.signer, "signer", 200, None, &mut e);
        let issued_on = typed_date(&self.issued_on, "issued_on", true, &mut e);
        let in_force_on = typed_date(&self.in_force_on, "in_force_on", true, &mut e);
        let expires_on = typed_date(&self.expires_on, "expires_on", false, &mut e);
        if let (Some(i), Some(f)) = (issued_on, in_force_on)
            && f < i
        {
            e.add("in_force_on", msg::IN_FORCE_BEFORE_ISSUED);
        }
        if let (Some(f), Some(x)) = (in_force_on, expires_on)
            && x <= f
        {
            e.add("expires_on", msg::EXPIRES_BEFORE_IN_FORCE);
        }
        let known = store::fields(db).await?;
        if self.fields.iter().any(|c| !known.iter().any(|k| &k.code == c)) {
            e.add("fields", msg::FIELD_UNKNOWN);
        }
        let summary = typed_text(&self.summary, "summary", 5000, None, &mut e);
        let full_text = typed_text(&self.full_text, "full_text", FULL_TEXT_MAX, None, &mut e);
        let vbpl_url = typed_url(&self.vbpl_url, "vbpl_url", &mut e);
        if !vbpl_url.is_empty() && !e.has("vbpl_url") {
            // Parsed as a browser would (a backslash reads as a slash), so "https://evil\\.vbpl.vn"
            // is not taken for vbpl.vn.
            let host = url::Url::parse(&vbpl_url)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.username().is_empty() && u.password().is_none())
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                .unwrap_or_default();
            if host != "vbpl.vn" && !host.ends_with(".vbpl.vn") {
                e.add("vbpl_url", msg::VBPL_URL);
            }
        }
        if !e.is_empty() {
            return Ok(Err(e));
        }
        let mut fields = self.fields.clone();
        fields.sort();
        fields.dedup();
        Ok(Ok(DocInput { number, type_code: self.type_code.clone(), title, issuer, signer, issued_on, in_force_on, expires_on, fields, summary, full_text, vbpl_url }))
    }
}

/// The link form as typed.
#[derive(Clone, Debug, Default)]
pub struct LinkForm {
    pub kind: String,
    pub target: String,
    pub whole: String,
    pub effective_on: String,
    pub note: String,
}

pub struct LinkLine {
    pub id: i64,
    pub text: String,
    pub href: String,
    pub removable: bool,
}

#[derive(Template)]
#[template(path = "bookshelf/document_form.html")]
struct DocFormPage {
    l: Layout,
    id: i64,
    action: String,
    public_href: String,
    f: DocForm,
    types: Vec<Opt>,
    fields: Vec<Opt>,
    errors: FieldErrors,
    links: Vec<LinkLine>,
    lf: LinkForm,
    link_kinds: Vec<Opt>,
    link_errors: FieldErrors,
    file_href: String,
    file_error: String,
}

struct Retry {
    doc: Option<(DocForm, FieldErrors)>,
    link: Option<(LinkForm, FieldErrors)>,
    file_error: String,
}

async fn doc_page(state: &AppState, user: &CurrentUser, d: Option<&DocRow>, flash: Option<&str>, retry: Retry) -> AppResult<DocFormPage> {
    let db = &state.db;
    let (f, errors) = match (retry.doc, d) {
        (Some(r), _) => r,
        (None, Some(d)) => (DocForm::of(d, store::document_fields(db, d.id).await?, store::full_text(db, d.id).await?), FieldErrors::default()),
        (None, None) => (DocForm::default(), FieldErrors::default()),
    };
    let types = store::doc_types(db).await?;
    let all_fields = store::fields(db).await?;
    let picked: Vec<&str> = f.fields.iter().map(String::as_str).collect();
    let links = match d {
        Some(d) => store::links_of(db, d.id)
            .await?
            .into_iter()
            .map(|l| {
                let kind = LinkKind::parse(&l.kind).unwrap_or(LinkKind::Amends);
                let extent = match (kind.may_be_whole(), l.whole) {
                    (false, _) => "",
                    (true, true) => msg::EXTENT_WHOLE_PAREN,
                    (true, false) => msg::EXTENT_PART_PAREN,
                };
                let outgoing = l.source_id == d.id;
                let (label, number, other) =
                    if outgoing { (kind.label(), &l.target_number, l.target_id) } else { (kind.passive_label(), &l.source_number, l.source_id) };
                let text = msg::link_text(label, number, extent, &fmt_day(l.effective_on));
                LinkLine { id: l.id, text, href: format!("/tu-sach/quan-ly/van-ban/{other}"), removable: outgoing }
            })
            .collect(),
        None => Vec::new(),
    };
    let (lf, link_errors) = retry.link.unwrap_or_else(|| (LinkForm { whole: "1".into(), ..LinkForm::default() }, FieldErrors::default()));
    let link_kinds = opts(LinkKind::ALL.iter().map(|k| (k.as_str(), k.label())), &[lf.kind.as_str()]);
    Ok(DocFormPage {
        l: layout(user, d.map(|d| msg::title_document(&d.number)).unwrap_or_else(|| msg::TITLE_NEW_DOCUMENT.into()), flash),
        id: d.map(|d| d.id).unwrap_or(0),
        action: d.map(|d| format!("/tu-sach/quan-ly/van-ban/{}", d.id)).unwrap_or_else(|| "/tu-sach/quan-ly/van-ban/moi".into()),
        public_href: d.map(|d| format!("/tu-sach/van-ban/{}", d.id)).unwrap_or_default(),
        types: opts(types.iter().map(|t| (t.code.as_str(), t.name.as_str())), &[f.type_code.as_str()]),
        fields: opts(all_fields.iter().map(|t| (t.code.as_str(), t.name.as_str())), &picked),
        f,
        errors,
        links,
        lf,
        link_kinds,
        link_errors,
        file_href: d.and_then(|d| d.file_id).map(|id| format!("/tu-sach/tep/{id}")).unwrap_or_default(),
        file_error: retry.file_error,
    })
}

const NO_RETRY: Retry = Retry { doc: None, link: None, file_error: String::new() };

/// `GET /tu-sach/quan-ly/van-ban/moi`.
pub async fn new_document(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    service::library_unit(&state.db, &user.principal()).await?;
    render(&doc_page(&state, &user, None, None, NO_RETRY).await?)
}

async fn save_document(state: &AppState, user: &CurrentUser, meta: &ReqMeta, before: Option<&DocRow>, pairs: &[(String, String)]) -> AppResult<Response> {
    let p = user.principal();
    service::library_unit(&state.db, &p).await?;
    let form = DocForm::read(pairs);
    let input = match form.check(&state.db).await? {
        Ok(i) => i,
        Err(errors) => return render_invalid(&doc_page(state, user, before, None, Retry { doc: Some((form, errors)), link: None, file_error: String::new() }).await?),
    };
    match service::save_document(&state.db, &meta.actor(user), &p, before, &input).await? {
        Ok(id) => Ok(see_other(format!("/tu-sach/quan-ly/van-ban/{id}?tb=document_saved"))),
        Err(m) => {
            let mut errors = FieldErrors::default();
            errors.add("number", m);
            render_invalid(&doc_page(state, user, before, None, Retry { doc: Some((form, errors)), link: None, file_error: String::new() }).await?)
        }
    }
}

/// `POST /tu-sach/quan-ly/van-ban/moi`.
pub async fn create_document(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    save_document(&state, &user, &meta, None, &pairs).await
}

/// `GET /tu-sach/quan-ly/van-ban/{id}`.
pub async fn edit_document(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(f): Query<FlashQuery>) -> AppResult<Response> {
    let d = service::managed_document(&state.db, &user.principal(), id).await?;
    render(&doc_page(&state, &user, Some(&d), f.tb.as_deref(), NO_RETRY).await?)
}

/// `POST /tu-sach/quan-ly/van-ban/{id}`.
pub async fn update_document(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let d = service::managed_document(&state.db, &user.principal(), id).await?;
    save_document(&state, &user, &meta, Some(&d), &pairs).await
}

/// `POST /tu-sach/quan-ly/van-ban/{id}/lien-ket`: this document amends, replaces or repeals
/// an earlier one.
pub async fn add_link(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    let d = service::managed_document(&state.db, &p, id).await?;
    let lf = LinkForm {
        kind: field(&pairs, "kind").into(),
        target: field(&pairs, "target").into(),
        whole: field(&pairs, "whole").into(),
        effective_on: field(&pairs, "effective_on").into(),
        note: field(&pairs, "note").into(),
    };
    let mut e = FieldErrors::default();
    let kind = LinkKind::parse(&lf.kind);
    if kind.is_none() {
        e.add("kind", msg::LINK_KIND);
    }
    let target = typed_text(&lf.target, "target", 100, Some(msg::LINK_TARGET), &mut e);
    let effective_on = typed_date(&lf.effective_on, "effective_on", false, &mut e);
    let note = typed_text(&lf.note, "link_note", 500, None, &mut e);
    let result = match kind {
        Some(kind) if e.is_empty() => service::add_link(&state.db, &meta.actor(&user), &p, &d, &service::LinkRequest { target_number: &target, kind, whole: lf.whole == "1", effective_on, note: &note })
            .await?,
        _ => Err(("", "")),
    };
    match result {
        Ok(_) => Ok(see_other(format!("/tu-sach/quan-ly/van-ban/{id}?tb=link_saved#lien-ket"))),
        Err((fid, m)) => {
            if !fid.is_empty() {
                e.add(fid, m);
            }
            render_invalid(&doc_page(&state, &user, Some(&d), None, Retry { doc: None, link: Some((lf, e)), file_error: String::new() }).await?)
        }
    }
}

/// `POST /tu-sach/quan-ly/van-ban/{id}/xoa-lien-ket`: removes a link entered by mistake.
pub async fn remove_link(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    let d = service::managed_document(&state.db, &p, id).await?;
    let Ok(link_id) = field(&pairs, "link_id").trim().parse::<i64>() else {
        return render_invalid(&doc_page(&state, &user, Some(&d), None, NO_RETRY).await?);
    };
    service::remove_link(&state.db, &meta.actor(&user), &p, &d, link_id).await?;
    Ok(see_other(format!("/tu-sach/quan-ly/van-ban/{id}?tb=link_removed#lien-ket")))
}

/// `POST /tu-sach/quan-ly/van-ban/{id}/tep`: the original file.
pub async fn document_file(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<Multipart, MultipartRejection>) -> AppResult<Response> {
    let p = user.principal();
    let d = service::managed_document(&state.db, &p, id).await?;
    match read_checked(&state, mp).await {
        Ok((name, ct, bytes)) => {
            let lower = name.to_lowercase();
            let text = if (lower.ends_with(".docx") || lower.ends_with(".pdf"))
                && store::full_text(&state.db, d.id).await?.trim().is_empty()
                // Reading it is heavy work on untrusted bytes, counted per account; past the
                // limit the file is still kept, without its text.
                && kernel::heavy::allow_upload(&state.db, user.account.id, "document_text", state.config.limits.imports_per_minute).await?
            {
                file_text(&state, &name, bytes.clone()).await
            } else {
                None
            };
            service::attach_document_file(&state.db, &meta.actor(&user), &p, &d, (&name, ct, &bytes), text.as_deref()).await?;
            Ok(see_other(format!("/tu-sach/quan-ly/van-ban/{id}?tb=file_saved")))
        }
        Err(m) => render_invalid(&doc_page(&state, &user, Some(&d), None, Retry { doc: None, link: None, file_error: m }).await?),
    }
}

/// The full text of an uploaded DOCX or PDF, read on the blocking pool under the upload limits;
/// `None` when it cannot be read in time, holds no text (a scanned PDF) or is longer than the
/// form accepts.
async fn file_text(state: &AppState, name: &str, bytes: Vec<u8>) -> Option<String> {
    let name = name.to_string();
    let text = state.heavy.run(move || documents::plain_text(&name, &bytes)).await.ok().flatten()?;
    let text = kernel::page::clean(&text);
    (!text.is_empty() && text.chars().count() <= FULL_TEXT_MAX).then_some(text)
}

/// Longest full text (characters).
const FULL_TEXT_MAX: usize = 2_000_000;

// ---------------------------------------------------------------- materials

#[derive(Clone, Debug, Default)]
pub struct MaterialForm {
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub link_url: String,
    pub published_on: String,
    pub topics: Vec<String>,
    pub groups: Vec<String>,
}

impl MaterialForm {
    fn read(pairs: &[(String, String)]) -> MaterialForm {
        MaterialForm {
            kind: field(pairs, "kind").into(),
            title: field(pairs, "title").into(),
            summary: field(pairs, "summary").into(),
            link_url: field(pairs, "link_url").into(),
            published_on: field(pairs, "published_on").into(),
            topics: all(pairs, "topic").into_iter().map(str::to_string).collect(),
            groups: all(pairs, "group").into_iter().map(str::to_string).collect(),
        }
    }

    async fn check(&self, db: &kernel::Db) -> AppResult<Result<MaterialInput, FieldErrors>> {
        let mut e = FieldErrors::default();
        let kind = MaterialKind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", msg::KIND_REQUIRED);
        }
        let title = typed_text(&self.title, "title", 500, Some(msg::MATERIAL_TITLE_REQUIRED), &mut e);
        let summary = typed_text(&self.summary, "summary", 5000, None, &mut e);
        let link_url = typed_url(&self.link_url, "link_url", &mut e);
        if kind == Some(MaterialKind::Video) && link_url.is_empty() && !e.has("link_url") {
            e.add("link_url", msg::VIDEO_NEEDS_LINK);
        }
        let published_on = typed_date(&self.published_on, "published_on", true, &mut e);
        if published_on.is_some_and(|d| d > today()) {
            e.add("published_on", msg::DATE_FUTURE);
        }
        let known = store::fields(db).await?;
        if self.topics.iter().any(|c| !known.iter().any(|k| &k.code == c)) {
            e.add("topics", msg::FIELD_UNKNOWN);
        }
        let cat = catalogue::shipped().map_err(AppError::Internal)?;
        if self.groups.iter().any(|c| !cat.groups.iter().any(|g| &g.code == c)) {
            e.add("groups", msg::GROUP_UNKNOWN);
        }
        if !e.is_empty() {
            return Ok(Err(e));
        }
        let (mut topics, mut groups) = (self.topics.clone(), self.groups.clone());
        topics.sort();
        topics.dedup();
        groups.sort();
        groups.dedup();
        Ok(Ok(MaterialInput { kind: self.kind.clone(), title, summary, link_url, published_on, topics, groups }))
    }
}

#[derive(Template)]
#[template(path = "bookshelf/material_form.html")]
struct MaterialFormPage {
    l: Layout,
    id: i64,
    action: String,
    public_href: String,
    f: MaterialForm,
    kinds: Vec<Opt>,
    topics: Vec<Opt>,
    groups: Vec<Opt>,
    errors: FieldErrors,
    file_href: String,
    file_error: String,
}

async fn material_page(state: &AppState, user: &CurrentUser, m: Option<&MaterialRow>, flash: Option<&str>, retry: Option<(MaterialForm, FieldErrors)>, file_error: String) -> AppResult<MaterialFormPage> {
    let db = &state.db;
    let (f, errors) = match (retry, m) {
        (Some(r), _) => r,
        (None, Some(m)) => (
            MaterialForm {
                kind: m.kind.clone(),
                title: m.title.clone(),
                summary: m.summary.clone(),
                link_url: m.link_url.clone(),
                published_on: fmt_day(m.published_on),
                topics: store::material_topics(db, m.id).await?,
                groups: store::material_groups(db, m.id).await?,
            },
            FieldErrors::default(),
        ),
        (None, None) => (MaterialForm { published_on: fmt_day(today()), ..MaterialForm::default() }, FieldErrors::default()),
    };
    let all_topics = store::fields(db).await?;
    let cat = catalogue::shipped().map_err(AppError::Internal)?;
    let picked_t: Vec<&str> = f.topics.iter().map(String::as_str).collect();
    let picked_g: Vec<&str> = f.groups.iter().map(String::as_str).collect();
    Ok(MaterialFormPage {
        l: layout(user, m.map(|m| m.title.clone()).unwrap_or_else(|| msg::TITLE_NEW_MATERIAL.into()), flash),
        id: m.map(|m| m.id).unwrap_or(0),
        action: m.map(|m| format!("/tu-sach/quan-ly/tai-lieu/{}", m.id)).unwrap_or_else(|| "/tu-sach/quan-ly/tai-lieu/moi".into()),
        public_href: m.map(|m| format!("/tu-sach/tai-lieu/{}", m.id)).unwrap_or_default(),
        kinds: opts(MaterialKind::ALL.iter().map(|k| (k.as_str(), k.label())), &[f.kind.as_str()]),
        topics: opts(all_topics.iter().map(|t| (t.code.as_str(), t.name.as_str())), &picked_t),
        groups: opts(cat.groups.iter().map(|g| (g.code.as_str(), g.name.as_str())), &picked_g),
        f,
        errors,
        file_href: m.and_then(|m| m.file_id).map(|id| format!("/tu-sach/tep/{id}")).unwrap_or_default(),
        file_error,
    })
}

/// `GET /tu-sach/quan-ly/tai-lieu/moi`.
pub async fn new_material(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    service::library_unit(&state.db, &user.principal()).await?;
    render(&material_page(&state, &user, None, None, None, String::new()).await?)
}

async fn save_material(state: &AppState, user: &CurrentUser, meta: &ReqMeta, before: Option<&MaterialRow>, pairs: &[(String, String)]) -> AppResult<Response> {
    let p = user.principal();
    service::library_unit(&state.db, &p).await?;
    let form = MaterialForm::read(pairs);
    match form.check(&state.db).await? {
        Ok(input) => {
            let id = service::save_material(&state.db, &meta.actor(user), &p, before, &input).await?;
            Ok(see_other(format!("/tu-sach/quan-ly/tai-lieu/{id}?tb=material_saved")))
        }
        Err(errors) => render_invalid(&material_page(state, user, before, None, Some((form, errors)), String::new()).await?),
    }
}

/// `POST /tu-sach/quan-ly/tai-lieu/moi`.
pub async fn create_material(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    save_material(&state, &user, &meta, None, &pairs).await
}

/// `GET /tu-sach/quan-ly/tai-lieu/{id}`.
pub async fn edit_material(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(f): Query<FlashQuery>) -> AppResult<Response> {
    let m = service::managed_material(&state.db, &user.principal(), id).await?;
    render(&material_page(&state, &user, Some(&m), f.tb.as_deref(), None, String::new()).await?)
}

/// `POST /tu-sach/quan-ly/tai-lieu/{id}`.
pub async fn update_material(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let m = service::managed_material(&state.db, &user.principal(), id).await?;
    save_material(&state, &user, &meta, Some(&m), &pairs).await
}

/// `POST /tu-sach/quan-ly/tai-lieu/{id}/tep`.
pub async fn material_file(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<Multipart, MultipartRejection>) -> AppResult<Response> {
    let p = user.principal();
    let m = service::managed_material(&state.db, &p, id).await?;
    match read_checked(&state, mp).await {
        Ok((name, ct, bytes)) => {
            service::attach_material_file(&state.db, &meta.actor(&user), &p, &m, (&name, ct, &bytes)).await?;
            Ok(see_other(format!("/tu-sach/quan-ly/tai-lieu/{id}?tb=file_saved")))
        }
        Err(e) => render_invalid(&material_page(&state, &user, Some(&m), None, None, e).await?),
    }
}

// ---------------------------------------------------------------- a commune's bookshelf

pub struct HeldLine {
    pub id: i64,
    pub line: ShelfLine,
    pub error: String,
}

#[derive(Template)]
#[template(path = "bookshelf/shelf.html")]
struct ShelfPage {
    l: Layout,
    unit_id: i64,
    held: Vec<HeldLine>,
    updates: Vec<Update>,
    documents: Vec<Opt>,
    materials: Vec<Opt>,
    added_on: String,
    note: String,
    errors: FieldErrors,
    today: String,
}

struct ShelfRetry {
    add: Option<(String, String, String, FieldErrors)>,
    remove: Option<(i64, String)>,
}

async fn shelf_page(state: &AppState, user: &CurrentUser, unit: &kernel::db::units::Unit, flash: Option<&str>, retry: ShelfRetry) -> AppResult<ShelfPage> {
    let db = &state.db;
    let items = store::shelf_items(db, unit.id).await?;
    let day = today();
    let (held_lines, updates) = shelf_lines(&items, NaiveDate::MIN, day);
    let held_ids: Vec<i64> = items.iter().filter(|i| i.removed_on.is_none()).map(|i| i.id).collect();
    let (item, added_on, note, errors) = retry.add.unwrap_or_else(|| (String::new(), fmt_day(day), String::new(), FieldErrors::default()));
    let docs = store::documents(db, &store::DocFilter::default()).await?;
    let mats = store::materials(db, &store::MaterialFilter::default()).await?;
    Ok(ShelfPage {
        l: layout(user, msg::title_update_shelf(&unit.name), flash),
        unit_id: unit.id,
        held: held_ids
            .into_iter()
            .zip(held_lines)
            .map(|(id, line)| HeldLine { id, line, error: retry.remove.as_ref().filter(|r| r.0 == id).map(|r| r.1.clone()).unwrap_or_default() })
            .collect(),
        updates,
        documents: docs.iter().map(|d| { let v = format!("d{}", d.id); Opt { selected: v == item, value: v, label: format!("{} {}", d.number, d.title) } }).collect(),
        materials: mats.iter().map(|m| { let v = format!("m{}", m.id); Opt { selected: v == item, value: v, label: m.title.clone() } }).collect(),
        added_on,
        note,
        errors,
        today: fmt_day(day),
    })
}

/// `GET /tu-sach/quan-ly/xa/{id}`.
pub async fn shelf(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(f): Query<FlashQuery>) -> AppResult<Response> {
    let unit = service::managed_commune(&state.db, &user.principal(), id).await?;
    render(&shelf_page(&state, &user, &unit, f.tb.as_deref(), ShelfRetry { add: None, remove: None }).await?)
}

/// `POST /tu-sach/quan-ly/xa/{id}/them`: adds a document or material.
pub async fn add_item(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    let unit = service::managed_commune(&state.db, &p, id).await?;
    let item = field(&pairs, "item").trim().to_string();
    let (typed_on, typed_note) = (field(&pairs, "added_on").to_string(), field(&pairs, "note").to_string());
    let mut e = FieldErrors::default();
    let parse = |prefix: char| item.strip_prefix(prefix).and_then(|s| s.parse::<i64>().ok());
    let (document_id, material_id) = (parse('d'), parse('m'));
    if let Some(d) = document_id
        && store::document(&state.db, d).await.is_err()
    {
        e.add("item", msg::ITEM_REQUIRED);
    }
    if let Some(m) = material_id
        && store::material(&state.db, m).await.is_err()
    {
        e.add("item", msg::ITEM_REQUIRED);
    }
    if document_id.is_none() && material_id.is_none() {
        e.add("item", msg::ITEM_REQUIRED);
    }
    let on = typed_date(&typed_on, "added_on", true, &mut e);
    if on.is_some_and(|d| d > today()) {
        e.add("added_on", msg::DATE_FUTURE);
    }
    let note = typed_text(&typed_note, "note", 500, None, &mut e);
    if let (true, Some(on)) = (e.is_empty(), on) {
        match service::add_item(&state.db, &meta.actor(&user), &p, &unit, &ItemInput { document_id, material_id, added_on: on, note }).await? {
            Ok(_) => return Ok(see_other(format!("/tu-sach/quan-ly/xa/{id}?tb=item_added"))),
            Err(m) => e.add("item", m),
        }
    }
    render_invalid(&shelf_page(&state, &user, &unit, None, ShelfRetry { add: Some((item, typed_on, typed_note, e)), remove: None }).await?)
}

/// `POST /tu-sach/quan-ly/xa/{id}/bot`: an item leaves the bookshelf on a day.
pub async fn remove_item(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    let unit = service::managed_commune(&state.db, &p, id).await?;
    let Ok(item_id) = field(&pairs, "item_id").trim().parse::<i64>() else {
        return render_invalid(&shelf_page(&state, &user, &unit, None, ShelfRetry { add: None, remove: None }).await?);
    };
    let mut e = FieldErrors::default();
    let on = typed_date(field(&pairs, "removed_on"), "removed_on", true, &mut e);
    let error = match on {
        Some(d) if d > today() => msg::DATE_FUTURE.to_string(),
        Some(d) => match service::remove_item(&state.db, &meta.actor(&user), &p, &unit, item_id, d).await? {
            Ok(()) => return Ok(see_other(format!("/tu-sach/quan-ly/xa/{id}?tb=item_removed"))),
            Err(m) => m.to_string(),
        },
        None => e.get("removed_on"),
    };
    render_invalid(&shelf_page(&state, &user, &unit, None, ShelfRetry { add: None, remove: Some((item_id, error)) }).await?)
}
