//! The unit browser: today's map and the pre-2025 one, search with or without diacritics,
//! each unit's history and successors, and villages under a commune.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use crate::db::audit::{self, Entry};
use crate::db::units::{Linked, Unit, UnitFilter};
use crate::account::Action;
use crate::msg;
use crate::unit::{UnitLevel, VILLAGE_KINDS, kind_label};
use serde::Deserialize;

use crate::page::{FieldErrors, Layout, ReqMeta, clean, render, render_invalid, today, validity};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A unit as listed on a page.
pub struct UnitRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub level: &'static str,
    pub validity: String,
    pub in_force: bool,
    pub note: String,
    pub parent: String,
}

impl UnitRow {
    pub fn from_unit(u: &Unit, day: NaiveDate) -> UnitRow {
        UnitRow {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            kind: kind_label(&u.kind),
            level: u.level().map(|l| l.label()).unwrap_or(""),
            validity: validity(u.valid_from, u.valid_to),
            in_force: u.is_valid_on(day),
            note: String::new(),
            parent: String::new(),
        }
    }

    fn from_link(l: &Linked, day: NaiveDate) -> UnitRow {
        let mut r = UnitRow::from_unit(&l.unit, day);
        r.note = format!(
            "{} từ {}",
            if l.partly_merged { "Nhập một phần" } else { "Nhập toàn bộ" },
            text_vi::format_date(l.effective)
        );
        r
    }
}

#[derive(Deserialize, Default)]
pub struct IndexQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    ngay: String,
    #[serde(default)]
    cap: String,
}

#[derive(Template)]
#[template(path = "units/index.html")]
struct IndexPage {
    l: Layout,
    q: String,
    ngay: String,
    cap: String,
    date_error: String,
    day_label: String,
    searching: bool,
    rows: Vec<UnitRow>,
    before_reform: String,
}

/// `GET /don-vi`: provinces in force on a day (today by default), or search results.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<IndexQuery>) -> AppResult<Response> {
    user.require(Action::ViewUnits)?;
    let mut date_error = String::new();
    let day = if q.ngay.trim().is_empty() {
        today()
    } else {
        match text_vi::parse_date(&q.ngay) {
            Ok(d) => d,
            Err(e) => {
                date_error = e.to_string();
                today()
            }
        }
    };
    let query = clean(&q.q);
    let searching = !query.is_empty();
    let level = UnitLevel::parse(&q.cap);
    let units = if searching {
        crate::db::units::list(&state.db, &UnitFilter { level, valid_on: Some(day), query: Some(query.clone()), limit: 200, ..Default::default() }).await?
    } else {
        crate::db::units::children(&state.db, None, Some(day)).await?
    };
    let mut parents: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    let mut rows: Vec<UnitRow> = Vec::with_capacity(units.len());
    for u in &units {
        let mut row = UnitRow::from_unit(u, day);
        if let Some(pid) = u.parent_id {
            if let std::collections::hash_map::Entry::Vacant(slot) = parents.entry(pid) {
                slot.insert(crate::db::units::get(&state.db, pid).await?.name);
            }
            row.parent = parents.get(&pid).cloned().unwrap_or_default();
        }
        rows.push(row);
    }
    let before = crate::unit::reform_date().pred_opt().unwrap_or(day);
    render(&IndexPage {
        l: Layout::for_user(&user, "Đơn vị hành chính", "units"),
        q: query,
        ngay: if q.ngay.trim().is_empty() { String::new() } else { q.ngay.trim().to_string() },
        cap: q.cap,
        date_error,
        day_label: text_vi::format_date(day),
        searching,
        rows,
        before_reform: text_vi::format_date(before),
    })
}

#[derive(Template)]
#[template(path = "units/show.html")]
struct ShowPage {
    l: Layout,
    unit: UnitRow,
    legal_basis: String,
    crumbs: Vec<UnitRow>,
    children: Vec<UnitRow>,
    villages: Vec<UnitRow>,
    predecessors: Vec<UnitRow>,
    successors: Vec<UnitRow>,
    today_units: Vec<UnitRow>,
    origins: Vec<UnitRow>,
    can_add_village: bool,
    can_create_account: bool,
    village_name: String,
    village_kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    /// The public contact as stored or typed, and whether the account may change it.
    contact: crate::db::units::UnitContact,
    can_edit_contact: bool,
}

async fn show_page(state: &AppState, user: &CurrentUser, id: i64, name: String, kind: String, errors: FieldErrors, flash: Option<&str>) -> AppResult<ShowPage> {
    let unit = crate::db::units::get(&state.db, id).await?;
    let contact = crate::db::units::contact(&state.db, id).await?.unwrap_or_default();
    let day = today();
    let crumbs = crate::db::units::ancestors(&state.db, id).await?;
    let all_children = crate::db::units::children(&state.db, Some(id), None).await?;
    let (villages, children): (Vec<Unit>, Vec<Unit>) = all_children.into_iter().partition(|u| u.level == "village");
    let predecessors = crate::db::units::predecessors(&state.db, id).await?;
    let successors = crate::db::units::successors(&state.db, id).await?;
    let today_units = if unit.is_valid_on(day) { Vec::new() } else { crate::db::units::today_of(&state.db, id, day).await? };
    let origins = crate::db::units::origins(&state.db, id).await?;
    let can_add_village = user.role.allows(Action::ManageVillages)
        && unit.level() == Some(UnitLevel::Commune)
        && unit.is_valid_on(day)
        && user.scope.contains(&unit.path);
    let direct: std::collections::HashSet<i64> = predecessors.iter().map(|l| l.unit.id).collect();
    Ok(ShowPage {
        l: Layout::for_user(user, unit.name.clone(), "units").with_flash(flash),
        legal_basis: unit.legal_basis.clone().unwrap_or_default(),
        crumbs: crumbs.iter().filter(|u| u.id != id).map(|u| UnitRow::from_unit(u, day)).collect(),
        children: children.iter().map(|u| UnitRow::from_unit(u, day)).collect(),
        villages: villages.iter().map(|u| UnitRow::from_unit(u, day)).collect(),
        predecessors: predecessors.iter().map(|l| UnitRow::from_link(l, day)).collect(),
        successors: successors.iter().map(|l| UnitRow::from_link(l, day)).collect(),
        today_units: today_units.iter().map(|l| UnitRow::from_link(l, day)).collect(),
        origins: origins.iter().filter(|l| !direct.contains(&l.unit.id)).map(|l| UnitRow::from_link(l, day)).collect(),
        unit: UnitRow::from_unit(&unit, day),
        can_add_village,
        can_create_account: user.role.allows(Action::ManageAccounts) && user.scope.contains(&unit.path) && unit.is_valid_on(day) && unit.level() != Some(UnitLevel::Village),
        village_name: name,
        village_kind: kind,
        kinds: VILLAGE_KINDS.iter().map(|k| (*k, kind_label(k))).collect(),
        errors,
        can_edit_contact: user.role.allows(Action::ManageVillages) && unit.level() != Some(UnitLevel::Village) && unit.is_valid_on(day) && user.scope.contains(&unit.path),
        contact,
    })
}

/// `GET /don-vi/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<super::session::FlashQuery>) -> AppResult<Response> {
    user.require(Action::ViewUnits)?;
    let page = show_page(&state, &user, id, String::new(), "thon".into(), FieldErrors::default(), q.tb.as_deref()).await?;
    render(&page)
}

#[derive(Deserialize)]
pub struct VillageForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

/// `POST /don-vi/{id}/thon`: adds a village under a commune in the caller's scope.
pub async fn create_village(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<VillageForm>) -> AppResult<Response> {
    user.require(Action::ManageVillages)?;
    let commune = crate::db::units::get(&state.db, id).await?;
    if !user.scope.contains(&commune.path) {
        return Err(AppError::NotFound);
    }
    let name = clean(&f.name);
    let mut errors = FieldErrors::default();
    if commune.level() != Some(UnitLevel::Commune) || !commune.is_valid_on(today()) {
        errors.add("name", msg::UNIT_NOT_COMMUNE);
    }
    if name.is_empty() {
        errors.add("name", msg::REQUIRED);
    } else if name.chars().count() > 200 {
        errors.add("name", msg::TOO_LONG);
    }
    if !VILLAGE_KINDS.contains(&f.kind.as_str()) {
        errors.add("kind", msg::KIND_INVALID);
    }
    if !errors.is_empty() {
        let page = show_page(&state, &user, id, name, f.kind, errors, None).await?;
        return render_invalid(&page);
    }
    let mut tx = state.db.begin().await?;
    let village = crate::db::units::create_village(&mut tx, &commune, &name, &f.kind).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "create", entity: "unit", entity_id: Some(village.id.to_string()), unit_id: Some(village.id),
        summary: format!("Thêm {} vào {}", village.name, commune.name),
        before: None, after: serde_json::to_value(&village).ok(),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/don-vi/{id}?tb=village_created")).into_response())
}

#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    hours: String,
}

/// The contact as typed, checked: the values to store, or the errors by field.
pub fn check_contact(f: &ContactForm) -> Result<crate::db::units::UnitContact, FieldErrors> {
    let mut errors = FieldErrors::default();
    let address = clean(&f.address);
    if address.chars().count() > 300 {
        errors.add("address", msg::TOO_LONG);
    }
    let phone = clean(&f.phone);
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone.is_empty() && (phone.chars().count() > 40 || !(8..=15).contains(&digits) || !phone.chars().all(|c| c.is_ascii_digit() || " +.-()".contains(c))) {
        errors.add("phone", msg::CONTACT_PHONE);
    }
    let email = match crate::account::parse_email(&f.email) {
        Ok(e) => e.unwrap_or_default(),
        Err(m) => {
            errors.add("email", m);
            clean(&f.email)
        }
    };
    let hours = clean(&f.hours);
    if hours.chars().count() > 200 {
        errors.add("hours", msg::TOO_LONG);
    }
    if errors.is_empty() { Ok(crate::db::units::UnitContact { address, phone, email, hours }) } else { Err(errors) }
}

/// `POST /don-vi/{id}/lien-he`: the unit's public contact, set by an officer of the unit (or
/// above it); errors show the page again with what was typed.
pub async fn save_contact(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(f): Form<ContactForm>) -> AppResult<Response> {
    user.require(Action::ManageVillages)?;
    let unit = crate::db::units::get(&state.db, id).await?;
    if !user.scope.contains(&unit.path) {
        return Err(AppError::NotFound);
    }
    let contact = match check_contact(&f) {
        Ok(c) if unit.level() != Some(UnitLevel::Village) && unit.is_valid_on(today()) => c,
        Ok(_) => {
            let mut errors = FieldErrors::default();
            errors.add("address", msg::CONTACT_UNIT);
            let page = show_page(&state, &user, id, String::new(), "thon".into(), errors, None).await?;
            return render_invalid(&page);
        }
        Err(errors) => {
            let mut page = show_page(&state, &user, id, String::new(), "thon".into(), errors, None).await?;
            page.contact = crate::db::units::UnitContact { address: clean(&f.address), phone: clean(&f.phone), email: clean(&f.email), hours: clean(&f.hours) };
            return render_invalid(&page);
        }
    };
    let before = crate::db::units::contact(&state.db, id).await?;
    let mut tx = state.db.begin().await?;
    crate::db::units::put_contact(&mut tx, id, &contact, Some(user.account.id)).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "update", entity: "unit_contact", entity_id: Some(id.to_string()), unit_id: Some(id),
        summary: format!("Cập nhật thông tin liên hệ công khai của {}", unit.name),
        before: before.and_then(|b| serde_json::to_value(b).ok()), after: serde_json::to_value(&contact).ok(),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/don-vi/{id}?tb=contact_saved#lien-he")).into_response())
}
