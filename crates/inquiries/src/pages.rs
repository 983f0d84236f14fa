//! The officers' pages (cán bộ): the inbox of items in scope with their deadlines, an item with
//! the routing, answer and publishing forms, the inboxes' answer periods, and the policy
//! dialogues.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, render, render_invalid, today};
use kernel::registry::LegalDocRef;
use kernel::state::AppState;
use serde::Deserialize;

use crate::msg;
use crate::public::{Choice, paragraphs};
use crate::rules::{DueState, Kind, Status, due_state};
use crate::service::{self, AnswerForm, DialogueForm, PublishForm, RouteForm};
use crate::store::{self, Inquiry};

fn layout(user: &CurrentUser, title: impl Into<String>, flash: Option<&str>) -> Layout {
    Layout::for_user(user, title, "inquiries").with_flash_from(flash, msg::flash)
}

fn field<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// `?tb=` (a flash notice) and `?trang-thai=` (a status filter).
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub tb: Option<String>,
    #[serde(rename = "trang-thai")]
    pub status: Option<String>,
}

/// One row of the inbox.
pub struct Row {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub unit: String,
    pub received: String,
    pub due: String,
    pub overdue: bool,
}

fn day_of(t: chrono::DateTime<chrono::Utc>) -> String {
    text_vi::format_date((t + chrono::Duration::hours(7)).date_naive())
}

fn due_text(i: &Inquiry, day: chrono::NaiveDate) -> (String, bool) {
    let st = Status::parse(&i.status).unwrap_or(Status::Received);
    match i.due_on {
        Some(d) if st.is_open() => {
            let overdue = due_state(d, day) == DueState::Overdue;
            (msg::due_note(&text_vi::format_date(d), overdue), overdue)
        }
        _ => (String::new(), false),
    }
}

/// An inbox's answer period, editable by its province's officers.
pub struct InboxRow {
    pub unit_id: i64,
    pub name: String,
    pub days: i64,
}

#[derive(Template)]
#[template(path = "inquiries/inbox.html")]
struct InboxPage {
    l: Layout,
    rows: Vec<Row>,
    filters: Vec<Choice>,
    inboxes: Vec<InboxRow>,
    /// The coming days off the deadlines skip: (date, name, legal basis, verified).
    holidays: Vec<(String, String, String, bool)>,
    errors: FieldErrors,
    days_typed: String,
}

async fn inbox_page(state: &AppState, user: &CurrentUser, status: Option<Status>, flash: Option<&str>, errors: FieldErrors, days_typed: String) -> AppResult<InboxPage> {
    let day = today();
    let like = user.scope.like_pattern();
    let rows = store::list_in_scope(&state.db, &like, status.map(Status::as_str), 500)
        .await?
        .into_iter()
        .map(|i| {
            let (due, overdue) = due_text(&i, day);
            Row {
                id: i.id,
                kind: Kind::parse(&i.kind).map(msg::kind_label).unwrap_or(""),
                status: Status::parse(&i.status).map(msg::status_label).unwrap_or(""),
                unit: i.assigned_name.clone().unwrap_or_else(|| i.inbox_name.clone()),
                received: day_of(i.received_at),
                due,
                overdue,
                code: i.code,
                title: i.title,
            }
        })
        .collect();
    let mut filters = vec![Choice { value: String::new(), label: msg::ALL.into(), selected: status.is_none() }];
    filters.extend(Status::ALL.iter().map(|s| Choice { value: s.as_str().into(), label: msg::status_label(*s).into(), selected: status == Some(*s) }));
    let inboxes = if user.role.allows(Action::PublishInquiries) && user.scope.is_province_or_wider() {
        store::inboxes(&state.db).await?.into_iter().filter(|b| user.scope.contains(&b.unit_path)).map(|b| InboxRow { unit_id: b.unit_id, name: b.unit_name, days: b.answer_days }).collect()
    } else {
        Vec::new()
    };
    let holidays = store::holiday_rows(&state.db, day).await?.into_iter().take(12).map(|h| (text_vi::format_date(h.day), h.name, h.legal_basis, h.certainty == "verified")).collect();
    Ok(InboxPage { l: layout(user, msg::TITLE_INBOX, flash), rows, filters, inboxes, holidays, errors, days_typed })
}

/// `GET /hoi-dap-quan-ly`: the items in scope, open ones first by deadline.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    user.require(Action::HandleInquiries)?;
    let status = q.status.as_deref().and_then(Status::parse);
    render(&inbox_page(&state, &user, status, q.tb.as_deref(), FieldErrors::default(), String::new()).await?)
}

/// `POST /hoi-dap-quan-ly/cai-dat`: an inbox's answer period in working days.
pub async fn settings(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::HandleInquiries)?;
    let unit = field(&pairs, "unit").trim().parse::<i64>().unwrap_or(user.account.unit_id);
    match service::set_answer_days(&state.db, &user.principal(), &meta.actor(&user), unit, field(&pairs, "days")).await? {
        Ok(()) => Ok(Redirect::to("/hoi-dap-quan-ly?tb=cai-dat").into_response()),
        Err(e) => render_invalid(&inbox_page(&state, &user, None, None, e, field(&pairs, "days").to_string()).await?),
    }
}

#[derive(Template)]
#[template(path = "inquiries/item.html")]
struct ItemPage {
    l: Layout,
    i: Inquiry,
    body: Vec<String>,
    kind: &'static str,
    status: &'static str,
    received: String,
    due: String,
    overdue: bool,
    topic: String,
    dialogue: Option<(i64, String)>,
    documents: Vec<LegalDocRef>,
    can_route: bool,
    can_answer: bool,
    can_publish: bool,
    units: Vec<Choice>,
    agencies: Vec<Choice>,
    topics: Vec<Choice>,
    answer: AnswerForm,
    publish: PublishForm,
    errors: FieldErrors,
    original_note: &'static str,
}

#[derive(Default)]
struct Typed {
    route: Option<RouteForm>,
    answer: Option<AnswerForm>,
    publish: Option<PublishForm>,
}

async fn item_page(state: &AppState, user: &CurrentUser, i: Inquiry, flash: Option<&str>, typed: Typed, errors: FieldErrors) -> AppResult<ItemPage> {
    let db = &state.db;
    let p = user.principal();
    let day = today();
    let st = Status::parse(&i.status).unwrap_or(Status::Received);
    let inbox_officer = service::is_inbox_officer(&p, &i);
    let can_route = inbox_officer && st.can_route();
    let can_answer = st.can_answer();
    let can_publish = inbox_officer && st == Status::Answered && user.role.allows(Action::PublishInquiries);
    let documents = service::cited(db, state.registry.legal_doc_refs, i.id).await?;
    let route = typed.route.unwrap_or_else(|| RouteForm {
        unit: i.assigned_unit_id.map(|u| u.to_string()).unwrap_or_default(),
        agency: i.assigned_agency_id.map(|a| a.to_string()).unwrap_or_default(),
        topic: i.topic_code.clone().unwrap_or_default(),
    });
    let answer = typed.answer.unwrap_or_else(|| AnswerForm { answer: i.answer.clone(), citations: documents.iter().map(|d| d.number.clone()).collect::<Vec<_>>().join("\n") });
    // The public version starts empty: the approver writes it, reading the original beside it.
    let publish = typed.publish.unwrap_or_else(|| PublishForm {
        public_title: i.public_title.clone(),
        public_body: i.public_body.clone(),
        topic: i.topic_code.clone().unwrap_or_default(),
        version: i.version.to_string(),
        numbers_checked: false,
    });
    let mut units = Vec::new();
    let mut agencies = Vec::new();
    if can_route {
        let province = kernel::db::units::get(db, i.inbox_unit_id).await?;
        units.push(Choice { value: String::new(), label: msg::PICK_UNIT.into(), selected: route.unit.is_empty() });
        units.push(Choice { selected: route.unit == province.id.to_string(), value: province.id.to_string(), label: province.name.clone() });
        for u in kernel::db::units::children(db, Some(province.id), Some(day)).await? {
            units.push(Choice { selected: route.unit == u.id.to_string(), value: u.id.to_string(), label: u.name });
        }
        agencies.push(Choice { value: String::new(), label: msg::PICK_AGENCY.into(), selected: route.agency.is_empty() });
        for a in kernel::db::agencies::list(db, &format!("{}%", province.path), &province.path, Some(province.id), None, 200, 0).await?.into_iter().filter(|a| a.active) {
            agencies.push(Choice { selected: route.agency == a.id.to_string(), value: a.id.to_string(), label: a.name });
        }
    }
    let all_topics = store::topics(db).await?;
    let picked = if can_publish { publish.topic.clone() } else { route.topic.clone() };
    let mut topics = vec![Choice { value: String::new(), label: msg::NO_TOPIC.into(), selected: picked.is_empty() }];
    topics.extend(all_topics.iter().map(|(c, n)| Choice { value: c.clone(), label: n.clone(), selected: *c == picked }));
    let topic = i.topic_code.as_ref().and_then(|c| all_topics.iter().find(|(x, _)| x == c)).map(|(_, n)| n.clone()).unwrap_or_default();
    let dialogue = match i.dialogue_id {
        Some(d) => store::dialogue(db, d).await?.map(|d| (d.id, d.topic)),
        None => None,
    };
    let (due, overdue) = due_text(&i, day);
    Ok(ItemPage {
        l: layout(user, format!("{} · {}", i.code, i.title), flash),
        body: paragraphs(&i.body),
        kind: Kind::parse(&i.kind).map(msg::kind_label).unwrap_or(""),
        status: msg::status_label(st),
        received: day_of(i.received_at),
        due,
        overdue,
        topic,
        dialogue,
        documents,
        can_route,
        can_answer,
        can_publish,
        units,
        agencies,
        topics,
        answer,
        publish,
        errors,
        original_note: msg::ORIGINAL_NOTE,
        i,
    })
}

/// `?tb=`.
#[derive(Debug, Default, Deserialize)]
pub struct FlashQuery {
    pub tb: Option<String>,
}

fn id_of(s: &str) -> AppResult<i64> {
    s.parse::<i64>().map_err(|_| AppError::NotFound)
}

/// `GET /hoi-dap-quan-ly/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let i = service::visible(&state.db, &user.principal(), id_of(&id)?, Action::HandleInquiries).await?;
    render(&item_page(&state, &user, i, q.tb.as_deref(), Typed::default(), FieldErrors::default()).await?)
}

/// `POST /hoi-dap-quan-ly/{id}/chuyen`: routes to a unit (or agency) with the deadline.
pub async fn route(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<String>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    let i = service::visible(&state.db, &p, id_of(&id)?, Action::HandleInquiries).await?;
    let f = RouteForm { unit: field(&pairs, "unit").into(), agency: field(&pairs, "agency").into(), topic: field(&pairs, "topic").into() };
    match service::route(&state.db, &p, &meta.actor(&user), &i, &f, today()).await? {
        Ok(_) => Ok(Redirect::to(&format!("/hoi-dap-quan-ly/{}?tb=chuyen", i.id)).into_response()),
        Err(e) => render_invalid(&item_page(&state, &user, i, None, Typed { route: Some(f), ..Typed::default() }, e).await?),
    }
}

/// `POST /hoi-dap-quan-ly/{id}/tra-loi`: saves the answer and its citations.
pub async fn answer(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<String>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    let i = service::visible(&state.db, &p, id_of(&id)?, Action::HandleInquiries).await?;
    let f = AnswerForm { answer: field(&pairs, "answer").into(), citations: field(&pairs, "citations").into() };
    match service::answer(&state.db, state.registry.legal_doc_refs, &p, &meta.actor(&user), &i, &f).await? {
        Ok(()) => Ok(Redirect::to(&format!("/hoi-dap-quan-ly/{}?tb=tra-loi", i.id)).into_response()),
        Err(e) => render_invalid(&item_page(&state, &user, i, None, Typed { answer: Some(f), ..Typed::default() }, e).await?),
    }
}

/// `POST /hoi-dap-quan-ly/{id}/dang`: publishes with the public version, or answers privately.
pub async fn publish(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<String>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = user.principal();
    let i = service::visible(&state.db, &p, id_of(&id)?, Action::PublishInquiries).await?;
    let f = PublishForm {
        public_title: field(&pairs, "public_title").into(),
        public_body: field(&pairs, "public_body").into(),
        topic: field(&pairs, "topic").into(),
        version: field(&pairs, "version").into(),
        numbers_checked: field(&pairs, "numbers_checked") == "1",
    };
    match service::publish(&state.db, &state.config.base_url, &p, &meta.actor(&user), &i, &f).await? {
        Ok(true) => Ok(Redirect::to(&format!("/hoi-dap-quan-ly/{}?tb=dang", i.id)).into_response()),
        Ok(false) => Ok(Redirect::to(&format!("/hoi-dap-quan-ly/{}?tb=rieng", i.id)).into_response()),
        Err(e) => render_invalid(&item_page(&state, &user, i, None, Typed { publish: Some(f), ..Typed::default() }, e).await?),
    }
}

/// A dialogue in the officers' list.
pub struct DialogueRow {
    pub id: i64,
    pub topic: String,
    pub when: String,
    pub place: String,
    pub unit: String,
}

#[derive(Template)]
#[template(path = "inquiries/dialogues.html")]
struct DialoguesPage {
    l: Layout,
    rows: Vec<DialogueRow>,
    f: DialogueForm,
    errors: FieldErrors,
}

async fn dialogues_page(state: &AppState, user: &CurrentUser, flash: Option<&str>, f: DialogueForm, errors: FieldErrors) -> AppResult<DialoguesPage> {
    let rows = store::dialogues(&state.db, &user.scope.like_pattern(), 200)
        .await?
        .into_iter()
        .map(|d| DialogueRow { id: d.id, topic: d.topic, when: text_vi::format_date(d.held_on), place: d.place, unit: d.unit_name })
        .collect();
    Ok(DialoguesPage { l: layout(user, msg::TITLE_DIALOGUES, flash), rows, f, errors })
}

/// `GET /hoi-dap-quan-ly/doi-thoai`: the dialogues in scope and the form for a new one.
pub async fn dialogues(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    user.require(Action::HandleInquiries)?;
    render(&dialogues_page(&state, &user, q.tb.as_deref(), DialogueForm::default(), FieldErrors::default()).await?)
}

/// `POST /hoi-dap-quan-ly/doi-thoai`: a new dialogue of the account's unit.
pub async fn create_dialogue(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::HandleInquiries)?;
    let f = DialogueForm { topic: field(&pairs, "topic").into(), held_on: field(&pairs, "held_on").into(), place: field(&pairs, "place").into(), description: field(&pairs, "description").into() };
    match service::create_dialogue(&state.db, &user.principal(), &meta.actor(&user), &f).await? {
        Ok(_) => Ok(Redirect::to("/hoi-dap-quan-ly/doi-thoai?tb=doi-thoai").into_response()),
        Err(e) => render_invalid(&dialogues_page(&state, &user, None, f, e).await?),
    }
}
