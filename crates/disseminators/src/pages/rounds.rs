//! The commune's September registration round for propagandists: opening it, recording
//! registrations, the officer's review into a list, and the chair's recognition.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::AppResult;
use kernel::page::{FieldErrors, Layout, ReqMeta, render, render_invalid, today};
use kernel::state::AppState;

use super::{FlashQuery, field, fmt_day, layout, typed_date, typed_int, typed_text};
use crate::rules::kinds::RegStatus;
use crate::store::RegistrationInput;
use crate::{msg, service, store};

/// `POST /pho-bien/dot-dang-ky`: the commune opens its round for a year.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    service::registry_unit(&state.db, &p, crate::rules::kinds::Kind::Propagandist).await?;
    let mut errors = FieldErrors::default();
    let next = chrono::Datelike::year(&today()) as i64 + 1;
    let year = typed_int(field(&pairs, "year"), "year", 2013, next, msg::YEAR, &mut errors);
    if year.is_none() && !errors.has("year") {
        errors.add("year", msg::YEAR);
    }
    let announced = typed_date(field(&pairs, "announced_on"), "announced_on", true, &mut errors);
    let note = typed_text(field(&pairs, "note"), "note", 2000, None, &mut errors);
    let retry = |errors: FieldErrors| (field(&pairs, "year").to_string(), field(&pairs, "announced_on").to_string(), note.clone(), errors);
    let (Some(year), Some(announced)) = (year, announced) else {
        return super::overview_retry(&state, &user, retry(errors)).await;
    };
    match service::open_round(&state.db, &meta.actor(&user), &p, year, announced, &note).await? {
        Ok(id) => Ok(Redirect::to(&format!("/pho-bien/dot-dang-ky/{id}?tb=round_created")).into_response()),
        Err(m) => {
            let mut e = FieldErrors::default();
            e.add("year", m);
            super::overview_retry(&state, &user, retry(e)).await
        }
    }
}

pub struct RegItem {
    pub id: i64,
    pub name: String,
    pub birth_year: String,
    pub phone: String,
    pub village: String,
    pub occupation: String,
    pub status: &'static str,
    pub reviewable: bool,
    pub listed: bool,
    pub not_listed: bool,
    pub note: String,
    pub person_href: String,
}

#[derive(Default)]
pub struct Typed {
    pub full_name: String,
    pub birth_year: String,
    pub phone: String,
    pub village: String,
    pub occupation: String,
    pub errors: FieldErrors,
    pub decision_no: String,
    pub decision_on: String,
    pub decision_signer: String,
    pub decision_errors: FieldErrors,
    pub review_error: String,
}

#[derive(Template)]
#[template(path = "disseminators/round.html")]
struct RoundPage {
    l: Layout,
    id: i64,
    unit: String,
    announced: String,
    note: String,
    listed_on: String,
    regs: Vec<RegItem>,
    any_reviewable: bool,
    listed_count: usize,
    can_manage: bool,
    show_phone: bool,
    t: Typed,
}

async fn round_page(state: &AppState, user: &CurrentUser, id: i64, flash: Option<&str>, t: Typed) -> AppResult<RoundPage> {
    let p = user.principal();
    let r = service::visible_round(&state.db, &p, id).await?;
    let can_manage = service::manages(&p, r.unit_id);
    let regs: Vec<RegItem> = store::registrations(&state.db, r.id)
        .await?
        .into_iter()
        .map(|g| {
            let st = RegStatus::parse(&g.status).unwrap_or(RegStatus::Registered);
            RegItem {
                id: g.id,
                name: g.full_name,
                birth_year: g.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                phone: if can_manage { g.phone.unwrap_or_default() } else { String::new() },
                village: g.village,
                occupation: g.occupation,
                status: st.label(),
                reviewable: st.reviewable(),
                listed: st == RegStatus::Listed,
                not_listed: st == RegStatus::NotListed,
                note: g.review_note,
                person_href: g.person_id.map(|p| format!("/pho-bien/nguoi/{p}")).unwrap_or_default(),
            }
        })
        .collect();
    Ok(RoundPage {
        l: layout(user, format!("Đăng ký tuyên truyền viên pháp luật năm {}", r.year), flash),
        id: r.id,
        unit: r.unit_name,
        announced: fmt_day(r.announced_on),
        note: r.note,
        listed_on: r.listed_on.map(fmt_day).unwrap_or_default(),
        any_reviewable: regs.iter().any(|g| g.reviewable),
        listed_count: regs.iter().filter(|g| g.listed).count(),
        regs,
        can_manage,
        show_phone: can_manage,
        t,
    })
}

/// `GET /pho-bien/dot-dang-ky/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    render(&round_page(&state, &user, id, q.tb.as_deref(), Typed::default()).await?)
}

async fn managed(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<store::RoundRow> {
    user.require(Action::ManageDisseminators)?;
    let r = service::visible_round(&state.db, &user.principal(), id).await?;
    if !service::manages(&user.principal(), r.unit_id) {
        return Err(kernel::error::AppError::Forbidden);
    }
    Ok(r)
}

/// `POST /pho-bien/dot-dang-ky/{id}/dang-ky`: a person registers.
pub async fn register(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let r = managed(&state, &user, id).await?;
    let mut errors = FieldErrors::default();
    let year = chrono::Datelike::year(&today()) as i64;
    let input = RegistrationInput {
        full_name: typed_text(field(&pairs, "full_name"), "full_name", 200, Some(msg::NAME_REQUIRED), &mut errors),
        birth_year: typed_int(field(&pairs, "birth_year"), "birth_year", 1930, year, msg::BIRTH_YEAR, &mut errors),
        phone: kernel::page::opt_clean(field(&pairs, "phone")),
        village: typed_text(field(&pairs, "village"), "village", 200, None, &mut errors),
        occupation: typed_text(field(&pairs, "occupation"), "occupation", 300, None, &mut errors),
    };
    if let Some(ph) = &input.phone {
        let d = ph.strip_prefix('+').unwrap_or(ph);
        if !d.chars().all(|c| c.is_ascii_digit()) || !(8..=15).contains(&d.len()) {
            errors.add("phone", msg::PHONE);
        }
    }
    if !errors.is_empty() {
        let t = Typed {
            full_name: input.full_name,
            birth_year: field(&pairs, "birth_year").into(),
            phone: field(&pairs, "phone").into(),
            village: input.village,
            occupation: input.occupation,
            errors,
            ..Typed::default()
        };
        return render_invalid(&round_page(&state, &user, id, None, t).await?);
    }
    service::register(&state.db, &meta.actor(&user), &user.principal(), &r, &input).await?;
    Ok(Redirect::to(&format!("/pho-bien/dot-dang-ky/{id}?tb=registered#dang-ky")).into_response())
}

/// `POST /pho-bien/dot-dang-ky/{id}/ra-soat`: the review; fields `r-<id>` = `listed` or
/// `not_listed`, `n-<id>` a note.
pub async fn review(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let r = managed(&state, &user, id).await?;
    let mut decisions = BTreeMap::new();
    let mut bad = false;
    for g in store::registrations(&state.db, r.id).await? {
        let choice = field(&pairs, &format!("r-{}", g.id));
        let status = match choice {
            "listed" => RegStatus::Listed,
            "not_listed" => RegStatus::NotListed,
            "" => continue,
            _ => {
                bad = true;
                continue;
            }
        };
        decisions.insert(g.id, (status, kernel::page::clean(field(&pairs, &format!("n-{}", g.id))).chars().take(1000).collect()));
    }
    if bad || decisions.is_empty() {
        return render_invalid(&round_page(&state, &user, id, None, Typed { review_error: msg::REVIEW_CHOICE.into(), ..Typed::default() }).await?);
    }
    service::review(&state.db, &meta.actor(&user), &user.principal(), &r, &decisions, today()).await?;
    Ok(Redirect::to(&format!("/pho-bien/dot-dang-ky/{id}?tb=reviewed")).into_response())
}

/// `POST /pho-bien/dot-dang-ky/{id}/cong-nhan`: the chair's decision recognising the list.
pub async fn recognise(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let r = managed(&state, &user, id).await?;
    let mut errors = FieldErrors::default();
    let no = typed_text(field(&pairs, "decision_no"), "decision_no", 100, Some(msg::DECISION_NO_REQUIRED), &mut errors);
    let on = typed_date(field(&pairs, "decision_on"), "decision_on", true, &mut errors);
    if on.is_some_and(|d| d > today()) {
        errors.add("decision_on", msg::DATE_FUTURE);
    }
    let signer = typed_text(field(&pairs, "decision_signer"), "decision_signer", 200, Some(msg::DECISION_SIGNER_REQUIRED), &mut errors);
    let retry = |errors: FieldErrors| Typed {
        decision_no: no.clone(),
        decision_on: field(&pairs, "decision_on").into(),
        decision_signer: signer.clone(),
        decision_errors: errors,
        ..Typed::default()
    };
    let Some(on) = on.filter(|_| errors.is_empty()) else {
        return render_invalid(&round_page(&state, &user, id, None, retry(errors)).await?);
    };
    match service::recognise(&state.db, &meta.actor(&user), &user.principal(), &r, &service::Decision { no: &no, on, signer: &signer }).await? {
        Ok(_) => Ok(Redirect::to(&format!("/pho-bien/dot-dang-ky/{id}?tb=recognised")).into_response()),
        Err(m) => {
            let mut e = FieldErrors::default();
            e.add("decision_no", m);
            render_invalid(&round_page(&state, &user, id, None, retry(e)).await?)
        }
    }
}
