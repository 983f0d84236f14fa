//! The public page of each unit (trang địa phương, `/dia-phuong/{code}`), without an account:
//! a province with its communes, a commune with its province. Each shows the unit's public
//! contact (kept by its officers on `/don-vi/{id}`), its justice officers by name and title, the
//! sections the other capabilities give through the `PublicUnitSource` port (mediation teams,
//! the legal-access result, the commune's bookshelf), and its latest news. An abolished unit's
//! page (an old code, before the 2025 reform) says what it became, with links. `/dia-phuong`
//! lists the provinces. Served from the page cache like the other pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use kernel::account::Role;
use kernel::db::units::{Unit, UnitContact};
use kernel::error::{AppError, AppResult};
use kernel::page::{PublicHead, today};
use kernel::registry::PublicUnitSection;
use kernel::state::AppState;
use kernel::unit::UnitLevel;

use crate::msg;
use crate::public::{Item, cache_and_answer, footer_pages, head, item, page_cache};
use crate::store;

/// A link to a unit's page.
pub struct UnitLink {
    /// Empty when the unit has no page of its own.
    pub href: String,
    pub name: String,
    pub note: String,
}

fn link(u: &Unit, note: String) -> UnitLink {
    UnitLink { href: format!("/dia-phuong/{}", u.code), name: u.name.clone(), note }
}

#[derive(Template)]
#[template(path = "portal/public_units.html")]
struct IndexPage {
    head: PublicHead,
    provinces: Vec<UnitLink>,
    pages_links: Vec<(String, String)>,
}

/// `GET /dia-phuong`: the provinces in force.
pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let (cache, generation) = page_cache(&state).await;
    let key = "/dia-phuong".to_string();
    if let Some(p) = cache.get(&key, generation) {
        return Ok(p.respond(&headers));
    }
    let day = today();
    // The provinces only: a province's page lists its communes (all of them here would be some
    // 3,300 links, too heavy for a phone).
    let provinces = kernel::db::units::children(&state.db, None, Some(day)).await?.iter().map(|p| link(p, String::new())).collect();
    let page = IndexPage {
        head: head(&state, msg::UNITS_TITLE.into(), msg::UNITS_DESCRIPTION.into(), "/dia-phuong", "website", "/dia-phuong").await?,
        provinces,
        pages_links: footer_pages(&state, crate::service::now()).await?,
    };
    cache_and_answer(&cache, key, generation, &headers, &page, kernel::now())
}

/// A justice officer as the public sees them: name and title, never an address or a password.
pub struct Officer {
    pub name: String,
    pub title: &'static str,
}

#[derive(Template)]
#[template(path = "portal/public_unit.html")]
struct UnitPage {
    head: PublicHead,
    unit: Unit,
    kind: String,
    in_force: bool,
    parent: Option<UnitLink>,
    /// What an abolished unit became.
    today_units: Vec<UnitLink>,
    /// The units it was formed from.
    formed_from: Vec<UnitLink>,
    contact: UnitContact,
    tel: String,
    officers: Vec<Officer>,
    sections: Vec<PublicUnitSection>,
    news: Vec<Item>,
    communes: Vec<UnitLink>,
    pages_links: Vec<(String, String)>,
}


/// `GET /dia-phuong/{code}`.
pub async fn show(State(state): State<AppState>, headers: HeaderMap, Path(code): Path<String>) -> AppResult<Response> {
    if code.is_empty() || code.len() > 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::NotFound);
    }
    let (cache, generation) = page_cache(&state).await;
    let key = format!("/dia-phuong/{code}");
    if let Some(p) = cache.get(&key, generation) {
        return Ok(p.respond(&headers));
    }
    let db = &state.db;
    let day = today();
    let unit = match kernel::db::units::by_code(db, &code, day).await {
        Ok(u) if matches!(u.level(), Some(UnitLevel::Province | UnitLevel::Commune | UnitLevel::District)) => u,
        Ok(_) | Err(kernel::DbError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let in_force = unit.is_valid_on(day);
    let parent = match unit.parent_id {
        Some(pid) => Some(kernel::db::units::get(db, pid).await?),
        None => None,
    };
    let today_units = if in_force {
        Vec::new()
    } else {
        kernel::db::units::today_of(db, unit.id, day).await?.iter().map(|l| link(&l.unit, msg::unit_since(&text_vi::format_date(l.effective), l.partly_merged))).collect()
    };
    // An old unit that had the same code is reached by no address of its own: no link.
    let formed_from = kernel::db::units::predecessors(db, unit.id)
        .await?
        .iter()
        .map(|l| {
            let mut u = link(&l.unit, msg::unit_merged_on(&text_vi::format_date(l.effective)));
            if l.unit.code == unit.code {
                u.href.clear();
            }
            u
        })
        .collect();
    // The other capabilities' sections, also for an abolished unit (its legal-access results
    // of the years before the reform stay its own).
    let mut sections = Vec::new();
    for source in &state.registry.public_unit_sources {
        if let Some(s) = source(db, &unit, day).await? {
            sections.push(s);
        }
    }
    let (contact, officers, news, communes) = if in_force {
        let contact = kernel::db::units::contact(db, unit.id).await?.unwrap_or_default();
        let officers = kernel::db::accounts::active_names_of_unit(db, unit.id, Role::JusticeOfficer.as_str())
            .await?
            .into_iter()
            .map(|name| Officer { name, title: Role::JusticeOfficer.label() })
            .collect();
        let news = store::public_news_of_unit(db, crate::service::now(), unit.id, 5).await?.iter().map(item).collect();
        let communes = if unit.level() == Some(UnitLevel::Province) {
            kernel::db::units::children(db, Some(unit.id), Some(day)).await?.iter().filter(|c| c.level() == Some(UnitLevel::Commune)).map(|c| link(c, String::new())).collect()
        } else {
            Vec::new()
        };
        (contact, officers, news, communes)
    } else {
        (UnitContact::default(), Vec::new(), Vec::new(), Vec::new())
    };
    let description = match &parent {
        Some(p) => msg::unit_description(&unit.name, &p.name),
        None => msg::unit_description_top(&unit.name),
    };
    let path = format!("/dia-phuong/{}", unit.code);
    let page = UnitPage {
        head: head(&state, unit.name.clone(), description, &path, "website", "/dia-phuong").await?,
        kind: kernel::unit::kind_label(&unit.kind).to_string(),
        in_force,
        parent: parent.as_ref().map(|p| link(p, String::new())),
        today_units,
        formed_from,
        tel: contact.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect(),
        contact,
        officers,
        sections,
        news,
        communes,
        pages_links: footer_pages(&state, crate::service::now()).await?,
        unit,
    };
    cache_and_answer(&cache, key, generation, &headers, &page, kernel::now())
}
