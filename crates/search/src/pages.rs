//! `GET /tim-kiem`: the public search page (no account, no script, 360 px). Facets are plain
//! links, so filtering works without JavaScript; a chosen filter is shown with a link that
//! removes it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kernel::error::AppResult;
use kernel::page::PublicHead;
use kernel::state::AppState;
use serde::Deserialize;

use crate::index::Request;
use crate::msg;
use crate::rules::query;
use crate::rules::status::Status;

/// The public portal's stylesheet, shared by every public page.
const PORTAL_STYLES: &str = "/static/cong-thong-tin.css";

/// Results per page.
pub const PER_PAGE: usize = 10;
/// Pages reachable (deeper pages are refused by the pager).
pub const MAX_PAGES: usize = 100;

/// The query string. Every field is text so that nothing typed into the address bar is
/// refused: what cannot be read is ignored.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    pub q: String,
    pub loai: Option<String>,
    pub kieu: Option<String>,
    pub nam: Option<String>,
    #[serde(rename = "co-quan")]
    pub co_quan: Option<String>,
    #[serde(rename = "hieu-luc")]
    pub hieu_luc: Option<String>,
    pub trang: Option<String>,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref().map(text_vi::clean_input).map(|s| s.trim().to_string()).filter(|s| !s.is_empty() && s.chars().count() <= 200)
}

/// The filters as read: (kind, type, year, issuer, status).
struct Filters {
    kind: Option<String>,
    doc_type: Option<String>,
    year: Option<i32>,
    issuer: Option<String>,
    status: Option<Status>,
}

impl Filters {
    fn read(p: &Params) -> Filters {
        Filters {
            kind: clean(&p.loai).filter(|k| kernel::search_feed::kind::ALL.contains(&k.as_str())),
            doc_type: clean(&p.kieu),
            year: clean(&p.nam).and_then(|y| y.parse::<i32>().ok()).filter(|y| (1900..=2200).contains(y)),
            issuer: clean(&p.co_quan),
            status: clean(&p.hieu_luc).and_then(|s| Status::parse(&s)),
        }
    }

    /// The query-string pairs of these filters and `q`, with one of them replaced.
    fn pairs(&self, q: &str, replace: Option<(&'static str, Option<String>)>) -> Vec<(&'static str, String)> {
        let mut v: Vec<(&'static str, Option<String>)> = vec![
            ("q", Some(q.to_string()).filter(|s| !s.is_empty())),
            ("loai", self.kind.clone()),
            ("kieu", self.doc_type.clone()),
            ("nam", self.year.map(|y| y.to_string())),
            ("co-quan", self.issuer.clone()),
            ("hieu-luc", self.status.map(|s| s.as_str().to_string())),
        ];
        if let Some((name, value)) = replace {
            for (n, val) in v.iter_mut() {
                if *n == name {
                    *val = value.clone();
                }
            }
        }
        v.into_iter().filter_map(|(n, val)| val.map(|val| (n, val))).collect()
    }

    fn link(&self, q: &str, replace: Option<(&'static str, Option<String>)>, page: usize) -> String {
        let mut pairs = self.pairs(q, replace);
        if page > 1 {
            pairs.push(("trang", page.to_string()));
        }
        if pairs.is_empty() { "/tim-kiem".to_string() } else { format!("/tim-kiem?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default()) }
    }
}

/// One facet value: its label, count and link (which adds the filter).
pub struct FacetLink {
    pub label: String,
    pub count: String,
    pub href: String,
}

/// A facet group shown beside the results.
pub struct FacetGroup {
    pub id: &'static str,
    pub title: &'static str,
    pub links: Vec<FacetLink>,
}

/// A filter in force, with the link that removes it.
pub struct Chosen {
    pub label: String,
    pub remove: String,
}

pub struct HitView {
    pub kind: &'static str,
    pub href: String,
    pub title_html: String,
    pub number: String,
    pub meta: String,
    pub status: Option<(&'static str, &'static str)>,
    pub snippet_html: String,
}

#[derive(Template)]
#[template(path = "search/results.html")]
struct Page {
    head: PublicHead,
    q: String,
    notice: Option<&'static str>,
    searched: bool,
    summary: String,
    empty_message: String,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    chosen: Vec<Chosen>,
    prev: Option<String>,
    next: Option<String>,
    page: usize,
    pages: usize,
}

fn head(state: &AppState, title: String, canonical: String) -> PublicHead {
    let mut nav = vec![("/tin-tuc".to_string(), "Tin tức".to_string())];
    nav.extend(state.registry.public_links.iter().filter(|(href, _)| *href != "/tin-tuc").map(|(h, l)| (h.to_string(), l.to_string())));
    PublicHead {
        title,
        description: msg::DESCRIPTION.into(),
        canonical: format!("{}{canonical}", state.config.base_url.trim_end_matches('/')),
        og_type: "website",
        site_name: msg::SITE_NAME.into(),
        nav,
        active: "/tim-kiem".into(),
        // The portal's public stylesheet (the menu that scrolls sideways, the result cards).
        styles: vec![PORTAL_STYLES],
        feed: None,
        image: String::new(),
    }
}

/// `GET /tim-kiem?q=…`.
pub async fn search(State(state): State<AppState>, Query(p): Query<Params>) -> AppResult<Response> {
    let raw: String = text_vi::clean_input(&p.q);
    let raw = raw.trim();
    let cut = raw.chars().count() > query::MAX_QUERY_CHARS;
    let q: String = raw.chars().take(query::MAX_QUERY_CHARS).collect();
    let filters = Filters::read(&p);
    let page = p.trang.as_deref().and_then(|s| s.trim().parse::<usize>().ok()).filter(|n| (1..=MAX_PAGES).contains(n)).unwrap_or(1);
    let parsed = query::parse(&q);
    let req = Request {
        query: parsed,
        kind: filters.kind.clone(),
        doc_type: filters.doc_type.clone(),
        issuer: filters.issuer.clone(),
        year: filters.year,
        status: filters.status,
        offset: (page - 1) * PER_PAGE,
        limit: PER_PAGE,
    };
    let searched = !req.query.is_empty() || filters.kind.is_some() || filters.doc_type.is_some() || filters.year.is_some() || filters.issuer.is_some() || filters.status.is_some();
    let mut notice = cut.then_some(msg::QUERY_CUT);
    let results = if searched {
        match crate::service::engine(&state).await {
            Ok(engine) => match engine.search(req, chrono::Utc::now()).await {
                Ok(r) => Some(r),
                Err(e) => {
                    tracing::error!(error = %e, "search failed");
                    None
                }
            },
            Err(e) => {
                tracing::error!(error = %e, "search index unavailable");
                None
            }
        }
    } else {
        None
    };
    let unavailable = searched && results.is_none();
    if unavailable {
        notice = Some(msg::UNAVAILABLE);
    }
    let results = results.unwrap_or_default();
    let pages = results.total.div_ceil(PER_PAGE).clamp(1, MAX_PAGES);
    let hits = results
        .hits
        .into_iter()
        .map(|h| {
            let mut meta: Vec<String> = Vec::new();
            for part in [&h.doc_type, &h.issuer] {
                if !part.is_empty() {
                    meta.push(part.clone());
                }
            }
            if let Some(d) = h.published {
                meta.push(text_vi::format_date((d + chrono::Duration::hours(7)).date_naive()));
            } else if let Some(y) = h.year {
                meta.push(y.to_string());
            }
            HitView {
                kind: msg::kind_label(&h.kind),
                href: h.url,
                title_html: h.title_html,
                number: h.number,
                meta: meta.join(" · "),
                status: h.status.map(|s| (msg::status_label(s), msg::status_badge(s))),
                snippet_html: h.snippet_html,
            }
        })
        .collect();
    let count = |n: u64| text_vi::format_int(i64::try_from(n).unwrap_or(i64::MAX));
    let group = |id: &'static str, title: &'static str, name: &'static str, values: &[(String, u64)], label: &dyn Fn(&str) -> String| FacetGroup {
        id,
        title,
        links: values.iter().take(12).map(|(v, n)| FacetLink { label: label(v), count: count(*n), href: filters.link(&q, Some((name, Some(v.clone()))), 1) }).collect(),
    };
    let mut facets = Vec::new();
    if filters.kind.is_none() {
        facets.push(group("f-loai", "Loại nội dung", "loai", &results.facets.kinds, &|v| msg::kind_label(v).to_string()));
    }
    if filters.status.is_none() {
        let statuses: Vec<FacetLink> = Status::ALL
            .iter()
            .filter_map(|s| {
                let n = *results.facets.statuses.get(s.index())?;
                (n > 0).then(|| FacetLink { label: msg::status_label(*s).into(), count: count(n), href: filters.link(&q, Some(("hieu-luc", Some(s.as_str().into()))), 1) })
            })
            .collect();
        facets.push(FacetGroup { id: "f-hieu-luc", title: "Tình trạng hiệu lực", links: statuses });
    }
    if filters.doc_type.is_none() {
        facets.push(group("f-kieu", "Loại văn bản, chuyên mục", "kieu", &results.facets.types, &|v| v.to_string()));
    }
    if filters.issuer.is_none() {
        facets.push(group("f-co-quan", "Cơ quan ban hành", "co-quan", &results.facets.issuers, &|v| v.to_string()));
    }
    if filters.year.is_none() {
        facets.push(group("f-nam", "Năm", "nam", &results.facets.years, &|v| v.to_string()));
    }
    facets.retain(|g| !g.links.is_empty());
    let mut chosen = Vec::new();
    let mut add = |label: String, name: &'static str| chosen.push(Chosen { label, remove: filters.link(&q, Some((name, None)), 1) });
    if let Some(k) = &filters.kind {
        add(msg::kind_label(k).into(), "loai");
    }
    if let Some(s) = filters.status {
        add(msg::status_label(s).into(), "hieu-luc");
    }
    if let Some(t) = &filters.doc_type {
        add(t.clone(), "kieu");
    }
    if let Some(i) = &filters.issuer {
        add(i.clone(), "co-quan");
    }
    if let Some(y) = filters.year {
        add(format!("Năm {y}"), "nam");
    }
    let title = msg::page_title(&q, page);
    let canonical = filters.link(&q, None, page);
    let body = Page {
        head: head(&state, title, canonical),
        summary: msg::summary(results.total, &q),
        empty_message: msg::nothing_found(&q),
        q: q.clone(),
        notice,
        searched: searched && !unavailable,
        hits,
        facets,
        chosen,
        prev: (page > 1).then(|| filters.link(&q, None, page - 1)),
        next: (page < pages).then(|| filters.link(&q, None, page + 1)),
        page,
        pages,
    }
    .render()?;
    let status = if unavailable { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
    Ok((status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=5")], body).into_response())
}
