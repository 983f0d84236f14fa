//! The public bookshelf (no account): `/tu-sach` the documents with filters (type, field,
//! status, year, a folded search on title and number) and pages of 20; `/tu-sach/van-ban/{id}`
//! a document with its status on a day and what amended, replaced or repealed it;
//! `/tu-sach/tai-lieu` and `/tu-sach/tai-lieu/{id}` the teaching materials; `/tu-sach/xa/{id}`
//! a commune's bookshelf; `/tu-sach/tep/{id}` a document's or material's file.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;
use chrono::{Datelike, NaiveDate};
use kernel::account::Action;
use kernel::error::{AppError, AppResult};
use kernel::page::{Layout, attachment, render, today};
use kernel::state::AppState;
use serde::Deserialize;

use super::{Opt, fmt_day, opts, public_layout};
use crate::rules::catalogue;
use crate::rules::kinds::{LinkKind, MaterialKind};
use crate::rules::status::{self, Status};
use crate::store::{self, DocFilter, MaterialFilter};
use crate::{msg, service, store::Coded};

pub const PER_PAGE: usize = 20;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub loai: String,
    #[serde(default)]
    pub linh_vuc: String,
    #[serde(default)]
    pub hieu_luc: String,
    #[serde(default)]
    pub nam: String,
    #[serde(default)]
    pub trang: String,
}

pub struct DocItem {
    pub href: String,
    pub number: String,
    pub title: String,
    pub type_name: String,
    pub issued: String,
    pub in_force: String,
    pub status: &'static str,
    pub status_class: &'static str,
}

#[derive(Template)]
#[template(path = "bookshelf/index.html")]
struct IndexPage {
    l: Layout,
    f: ListQuery,
    types: Vec<Opt>,
    fields: Vec<Opt>,
    statuses: Vec<Opt>,
    items: Vec<DocItem>,
    total: String,
    page: usize,
    has_next: bool,
    can_manage: bool,
}

fn coded_opts(list: &[Coded], picked: &str) -> Vec<Opt> {
    opts(list.iter().map(|c| (c.code.as_str(), c.name.as_str())), &[picked])
}

fn page_number(s: &str) -> usize {
    s.trim().parse::<usize>().ok().filter(|&n| (1..=100_000).contains(&n)).unwrap_or(1)
}

/// `GET /tu-sach`: the documents, with their status today.
pub async fn index(State(state): State<AppState>, jar: CookieJar, Query(f): Query<ListQuery>) -> AppResult<Response> {
    let (l, user) = public_layout(&state, &jar, msg::TITLE_SHELF).await?;
    let db = &state.db;
    let day = today();
    let year = f.nam.trim().parse::<i32>().ok().filter(|y| (1945..=9999).contains(y)).unwrap_or(0);
    let filter = DocFilter { type_code: f.loai.trim().into(), field: f.linh_vuc.trim().into(), year, query: kernel::page::clean(&f.q) };
    let docs = store::documents(db, &filter).await?;
    let statuses = service::statuses(db, &docs, day).await?;
    let wanted = Status::parse(f.hieu_luc.trim());
    let matching: Vec<_> = docs.into_iter().filter(|d| wanted.is_none_or(|w| statuses.get(&d.id) == Some(&w))).collect();
    let page = page_number(&f.trang);
    let items = matching
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|d| {
            let s = statuses.get(&d.id).copied().unwrap_or(Status::InForce);
            DocItem {
                href: format!("/tu-sach/van-ban/{}", d.id),
                number: d.number.clone(),
                title: d.title.clone(),
                type_name: d.type_name.clone(),
                issued: fmt_day(d.issued_on),
                in_force: fmt_day(d.in_force_on),
                status: s.label(),
                status_class: s.badge(),
            }
        })
        .collect();
    let types = store::doc_types(db).await?;
    let fields = store::fields(db).await?;
    render(&IndexPage {
        l,
        types: coded_opts(&types, f.loai.trim()),
        fields: coded_opts(&fields, f.linh_vuc.trim()),
        statuses: opts(Status::ALL.iter().map(|s| (s.as_str(), s.label())), &[f.hieu_luc.trim()]),
        total: text_vi::format_int(matching.len() as i64),
        has_next: matching.len() > page * PER_PAGE,
        page,
        items,
        can_manage: user.is_some_and(|u| u.role.allows(Action::ManageBookshelf)),
        f,
    })
}

pub struct LinkItem {
    pub label: String,
    pub href: String,
    pub number: String,
    pub title: String,
    pub extent: &'static str,
    pub from: String,
    pub note: String,
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    #[serde(default)]
    pub ngay: String,
}

#[derive(Template)]
#[template(path = "bookshelf/document.html")]
struct DocumentPage {
    l: Layout,
    d: store::DocRow,
    status: &'static str,
    status_class: &'static str,
    day: String,
    day_error: bool,
    facts: Vec<(&'static str, String)>,
    fields: Vec<String>,
    incoming: Vec<LinkItem>,
    outgoing: Vec<LinkItem>,
    full_text: String,
    edit_href: String,
}

fn extent(kind: LinkKind, whole: bool) -> &'static str {
    match (kind.may_be_whole(), whole) {
        (false, _) => "",
        (true, true) => msg::EXTENT_WHOLE,
        (true, false) => msg::EXTENT_PART,
    }
}

/// `GET /tu-sach/van-ban/{id}`: a document, its status on a day (`?ngay=`, today by default)
/// and its links both ways.
pub async fn document(State(state): State<AppState>, jar: CookieJar, Path(id): Path<i64>, Query(q): Query<DayQuery>) -> AppResult<Response> {
    let db = &state.db;
    let d = store::document(db, id).await.map_err(service::not_found)?;
    let (l, user) = public_layout(&state, &jar, d.title.clone()).await?;
    let (day, day_error) = match q.ngay.trim() {
        "" => (today(), false),
        s => text_vi::parse_date(s).map(|d| (d, false)).unwrap_or((today(), true)),
    };
    let links = store::links_of(db, id).await?;
    let incoming = service::incoming_of(&links, id);
    let s = service::status_of(&d, &incoming, day);
    let ended = status::ended_on(d.expires_on, &incoming);
    let all_fields = store::fields(db).await?;
    let fields = store::document_fields(db, id)
        .await?
        .into_iter()
        .map(|c| all_fields.iter().find(|f| f.code == c).map(|f| f.name.clone()).unwrap_or(c))
        .collect();
    let item = |l: &store::LinkRow, incoming: bool| {
        let kind = LinkKind::parse(&l.kind).unwrap_or(LinkKind::Amends);
        let (other, number, title) = if incoming { (l.source_id, &l.source_number, &l.source_title) } else { (l.target_id, &l.target_number, &l.target_title) };
        LinkItem {
            label: if incoming { kind.passive_label().to_string() } else { kind.label().to_string() },
            href: format!("/tu-sach/van-ban/{other}"),
            number: number.clone(),
            title: title.clone(),
            extent: extent(kind, l.whole),
            from: fmt_day(l.effective_on),
            note: l.note.clone(),
        }
    };
    let mut facts = vec![
        (msg::FACT_NUMBER, d.number.clone()),
        (msg::FACT_TYPE, d.type_name.clone()),
        (msg::FACT_ISSUER, d.issuer.clone()),
        (msg::FACT_SIGNER, d.signer.clone()),
        (msg::FACT_ISSUED, fmt_day(d.issued_on)),
        (msg::FACT_IN_FORCE, fmt_day(d.in_force_on)),
    ];
    if let Some(e) = ended {
        facts.push((msg::FACT_EXPIRES, fmt_day(e)));
    }
    facts.retain(|(_, v)| !v.is_empty());
    let can_edit = match &user {
        Some(u) => service::keeps_library(&u.principal()) && u.scope.contains(&d.unit_path),
        None => false,
    };
    render(&DocumentPage {
        l,
        status: s.label(),
        status_class: s.badge(),
        day: fmt_day(day),
        day_error,
        facts,
        fields,
        incoming: links.iter().filter(|x| x.target_id == id).map(|x| item(x, true)).collect(),
        outgoing: links.iter().filter(|x| x.source_id == id).map(|x| item(x, false)).collect(),
        full_text: store::full_text(db, id).await?,
        edit_href: if can_edit { format!("/tu-sach/quan-ly/van-ban/{id}") } else { String::new() },
        d,
    })
}

// ---------------------------------------------------------------- materials

#[derive(Deserialize, Default, Clone)]
pub struct MaterialQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub loai: String,
    #[serde(default)]
    pub chu_de: String,
    #[serde(default)]
    pub doi_tuong: String,
    #[serde(default)]
    pub trang: String,
}

pub struct MaterialItem {
    pub href: String,
    pub title: String,
    pub kind: String,
    pub published: String,
}

#[derive(Template)]
#[template(path = "bookshelf/materials.html")]
struct MaterialsPage {
    l: Layout,
    f: MaterialQuery,
    kinds: Vec<Opt>,
    topics: Vec<Opt>,
    groups: Vec<Opt>,
    items: Vec<MaterialItem>,
    total: String,
    page: usize,
    has_next: bool,
    can_manage: bool,
}

/// `GET /tu-sach/tai-lieu`: the teaching materials, filtered by kind, topic and target group.
pub async fn materials(State(state): State<AppState>, jar: CookieJar, Query(f): Query<MaterialQuery>) -> AppResult<Response> {
    let (l, user) = public_layout(&state, &jar, msg::TITLE_MATERIALS).await?;
    let db = &state.db;
    let filter = MaterialFilter { kind: f.loai.trim().into(), topic: f.chu_de.trim().into(), group: f.doi_tuong.trim().into(), query: kernel::page::clean(&f.q) };
    let rows = store::materials(db, &filter).await?;
    let page = page_number(&f.trang);
    let groups = catalogue::shipped().map_err(AppError::Internal)?;
    let topics = store::fields(db).await?;
    render(&MaterialsPage {
        l,
        kinds: opts(MaterialKind::ALL.iter().map(|k| (k.as_str(), k.label())), &[f.loai.trim()]),
        topics: coded_opts(&topics, f.chu_de.trim()),
        groups: opts(groups.groups.iter().map(|g| (g.code.as_str(), g.short_name())), &[f.doi_tuong.trim()]),
        total: text_vi::format_int(rows.len() as i64),
        has_next: rows.len() > page * PER_PAGE,
        items: rows
            .iter()
            .skip((page - 1) * PER_PAGE)
            .take(PER_PAGE)
            .map(|m| MaterialItem { href: format!("/tu-sach/tai-lieu/{}", m.id), title: m.title.clone(), kind: MaterialKind::label_of(&m.kind), published: fmt_day(m.published_on) })
            .collect(),
        page,
        can_manage: user.is_some_and(|u| u.role.allows(Action::ManageBookshelf)),
        f,
    })
}

#[derive(Template)]
#[template(path = "bookshelf/material.html")]
struct MaterialPage {
    l: Layout,
    m: store::MaterialRow,
    kind: String,
    published: String,
    topics: Vec<String>,
    groups: Vec<String>,
    edit_href: String,
}

/// `GET /tu-sach/tai-lieu/{id}`.
pub async fn material(State(state): State<AppState>, jar: CookieJar, Path(id): Path<i64>) -> AppResult<Response> {
    let db = &state.db;
    let m = store::material(db, id).await.map_err(service::not_found)?;
    let (l, user) = public_layout(&state, &jar, m.title.clone()).await?;
    let all_topics = store::fields(db).await?;
    let cat = catalogue::shipped().map_err(AppError::Internal)?;
    let topics = store::material_topics(db, id).await?.into_iter().map(|c| all_topics.iter().find(|f| f.code == c).map(|f| f.name.clone()).unwrap_or(c)).collect();
    let groups = store::material_groups(db, id).await?.into_iter().map(|c| cat.groups.iter().find(|g| g.code == c).map(|g| g.name.clone()).unwrap_or(c)).collect();
    let can_edit = user.is_some_and(|u| service::keeps_library(&u.principal()) && u.scope.contains(&m.unit_path));
    render(&MaterialPage {
        l,
        kind: MaterialKind::label_of(&m.kind),
        published: fmt_day(m.published_on),
        topics,
        groups,
        edit_href: if can_edit { format!("/tu-sach/quan-ly/tai-lieu/{id}") } else { String::new() },
        m,
    })
}

/// `GET /tu-sach/tep/{id}`: a document's original or a material's file.
pub async fn file(State(state): State<AppState>, Path(file_id): Path<i64>) -> AppResult<Response> {
    if !store::is_public_file(&state.db, file_id).await? {
        return Err(AppError::NotFound);
    }
    let meta = kernel::db::files::meta(&state.db, file_id).await?;
    let data = kernel::db::files::data(&state.db, file_id).await?;
    Ok(attachment(content_type(&meta.content_type), &meta.name, data))
}

pub(crate) fn content_type(ct: &str) -> &'static str {
    match ct {
        "application/pdf" => "application/pdf",
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

// ---------------------------------------------------------------- a commune's bookshelf

#[derive(Deserialize, Default, Clone)]
pub struct PeriodQuery {
    #[serde(default)]
    pub tu: String,
    #[serde(default)]
    pub den: String,
}

/// The period of a count: `tu`..`den` (dd/mm/yyyy), by default 1 January to today; `None`
/// when a date is malformed or the period is backwards.
pub fn period(q: &PeriodQuery) -> Option<(NaiveDate, NaiveDate)> {
    let day = today();
    let first = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
    let parse = |s: &str, default: NaiveDate| if s.trim().is_empty() { Some(default) } else { text_vi::parse_date(s.trim()).ok() };
    let (from, to) = (parse(&q.tu, first)?, parse(&q.den, day)?);
    (from <= to).then_some((from, to))
}

pub struct ShelfLine {
    pub label: String,
    pub href: String,
    pub added: String,
    pub removed: String,
    pub note: String,
}

/// One update of a bookshelf (an addition or a removal) on a day.
pub struct Update {
    pub on: String,
    pub what: &'static str,
    pub label: String,
}

/// The shelf's lines now held and its updates within a period, newest first.
pub(crate) fn shelf_lines(items: &[store::ShelfItemRow], from: NaiveDate, to: NaiveDate) -> (Vec<ShelfLine>, Vec<Update>) {
    let href = |i: &store::ShelfItemRow| match (i.document_id, i.material_id) {
        (Some(d), _) => format!("/tu-sach/van-ban/{d}"),
        (None, Some(m)) => format!("/tu-sach/tai-lieu/{m}"),
        _ => String::new(),
    };
    let held = items
        .iter()
        .filter(|i| i.removed_on.is_none())
        .map(|i| ShelfLine { label: i.label.clone(), href: href(i), added: fmt_day(i.added_on), removed: String::new(), note: i.note.clone() })
        .collect();
    let mut updates: Vec<(NaiveDate, Update)> = Vec::new();
    for i in items {
        if (from..=to).contains(&i.added_on) {
            updates.push((i.added_on, Update { on: fmt_day(i.added_on), what: msg::UPDATE_ADDED, label: i.label.clone() }));
        }
        if let Some(r) = i.removed_on.filter(|r| (from..=to).contains(r)) {
            updates.push((r, Update { on: fmt_day(r), what: msg::UPDATE_REMOVED, label: i.label.clone() }));
        }
    }
    updates.sort_by_key(|u| std::cmp::Reverse(u.0));
    (held, updates.into_iter().map(|u| u.1).collect())
}

#[derive(Template)]
#[template(path = "bookshelf/commune.html")]
struct CommunePage {
    l: Layout,
    unit_id: i64,
    q: PeriodQuery,
    period_error: bool,
    from: String,
    to: String,
    held_count: String,
    added: String,
    removed: String,
    held: Vec<ShelfLine>,
    updates: Vec<Update>,
    manage_href: String,
}

/// `GET /tu-sach/xa/{id}`: what a commune's bookshelf holds, and its updates over a period.
pub async fn commune(State(state): State<AppState>, jar: CookieJar, Path(id): Path<i64>, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let db = &state.db;
    let unit = service::public_commune(db, id).await?;
    let (l, user) = public_layout(&state, &jar, msg::title_commune_shelf(&unit.name)).await?;
    let (period_error, (from, to)) = match period(&q) {
        Some(p) => (false, p),
        None => (true, period(&PeriodQuery::default()).unwrap_or((today(), today()))),
    };
    let items = store::shelf_items(db, id).await?;
    let c = crate::rules::shelf::count(items.iter().map(|i| (i.added_on, i.removed_on)), from, to);
    let (held, updates) = shelf_lines(&items, from, to);
    let manages = match &user {
        Some(u) => service::managed_commune(db, &u.principal(), id).await.is_ok(),
        None => false,
    };
    render(&CommunePage {
        l,
        unit_id: unit.id,
        period_error,
        from: fmt_day(from),
        to: fmt_day(to),
        held_count: text_vi::format_int(c.held),
        added: text_vi::format_int(c.added),
        removed: text_vi::format_int(c.removed),
        held,
        updates,
        manage_href: if manages { format!("/tu-sach/quan-ly/xa/{id}") } else { String::new() },
        q,
    })
}
