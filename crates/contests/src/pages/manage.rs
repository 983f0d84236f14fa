//! The organiser's pages (`/cuoc-thi/quan-ly`): the contests of units in scope, a contest's
//! settings, bank (with the XLSX and DOCX imports and their templates) and rounds, a round's
//! rules and its publication, a question (frozen once a published round may draw it) and a
//! round's ranking with its live counters.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::audit;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, render, today};
use kernel::state::AppState;
use serde::Deserialize;
use serde_json::json;

use super::{Opt, field, fmt_datetime, fmt_duration_ms, opts, parse_datetime};
use crate::rules::bank::{self, RawQuestion};
use crate::rules::docx_bank;
use crate::rules::settings::{self, Counting, PredictionKind, RankKey, ShowAnswers};
use crate::service::{self, audit_entry};
use crate::store::{self, Contest, ContestInput, Round, RoundInput};
use crate::msg;

#[derive(Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    pub tb: Option<String>,
}

fn layout(user: &CurrentUser, title: impl Into<String>, tb: Option<&str>) -> Layout {
    Layout::for_user(user, title, "contests").with_flash_from(tb, msg::flash)
}

fn status_label(s: &str) -> &'static str {
    if s == "published" { msg::STATUS_PUBLISHED } else { msg::STATUS_DRAFT }
}

// ---------------------------------------------------------------- contests

pub struct ContestItem {
    pub href: String,
    pub title: String,
    pub unit: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "contests/manage_index.html")]
struct IndexPage {
    l: Layout,
    items: Vec<ContestItem>,
}

/// `GET /cuoc-thi/quan-ly`.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Flash>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let items = store::contests_in(&state.db, &user.scope.like_pattern())
        .await?
        .into_iter()
        .map(|c| ContestItem { href: format!("/cuoc-thi/quan-ly/{}", c.id), title: c.title, unit: c.unit_name, status: status_label(&c.status) })
        .collect();
    render(&IndexPage { l: layout(&user, msg::TITLE_MANAGE, q.tb.as_deref()), items })
}

/// The contest settings form as typed.
#[derive(Default, Clone)]
pub struct ContestForm {
    pub title: String,
    pub intro: String,
    pub min_age: String,
    pub area: String,
    pub require_id: bool,
    pub one_prize: bool,
}

impl ContestForm {
    fn of(c: &Contest) -> ContestForm {
        ContestForm { title: c.title.clone(), intro: c.intro.clone(), min_age: c.min_age.map(|a| a.to_string()).unwrap_or_default(), area: c.area_unit_id.to_string(), require_id: c.require_id_number, one_prize: c.one_prize_per_person }
    }
    fn read(pairs: &[(String, String)]) -> ContestForm {
        ContestForm {
            title: field(pairs, "title").to_string(),
            intro: field(pairs, "intro").to_string(),
            min_age: field(pairs, "min_age").to_string(),
            area: field(pairs, "area").to_string(),
            require_id: field(pairs, "require_id") == "1",
            one_prize: field(pairs, "one_prize") == "1",
        }
    }
}

/// The areas an organiser may pick: its own unit and the units directly below it, in force today.
async fn area_choices(state: &AppState, user: &CurrentUser, picked: &str) -> AppResult<Vec<Opt>> {
    let own = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    let mut list = vec![(own.id.to_string(), own.name.clone())];
    for u in kernel::db::units::children(&state.db, Some(own.id), Some(today())).await? {
        list.push((u.id.to_string(), u.name));
    }
    Ok(list.into_iter().map(|(v, l)| Opt { selected: v == picked, value: v, label: l }).collect())
}

/// Checks the contest form; the area must be in the organiser's scope.
async fn check_contest(state: &AppState, user: &CurrentUser, f: &ContestForm, errors: &mut FieldErrors) -> AppResult<ContestInput> {
    let title = kernel::page::typed_text(&f.title, "title", 300, Some(msg::CONTEST_TITLE_REQUIRED), errors);
    let intro = kernel::page::typed_text(&f.intro, "intro", 20_000, None, errors);
    let min_age = match f.min_age.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(a) if (0..=100).contains(&a) => Some(a),
            _ => {
                errors.add("min_age", msg::MIN_AGE_RANGE);
                None
            }
        },
    };
    let mut area_unit_id = 0;
    match f.area.trim().parse::<i64>() {
        Ok(id) => match kernel::db::units::get(&state.db, id).await {
            Ok(u) if user.scope.contains(&u.path) => area_unit_id = u.id,
            Ok(_) | Err(kernel::DbError::NotFound) => errors.add("area", msg::AREA_REQUIRED),
            Err(e) => return Err(e.into()),
        },
        Err(_) => errors.add("area", msg::AREA_REQUIRED),
    }
    if f.require_id && crate::service::id_pepper(state).is_none() {
        errors.add("require_id", msg::ID_PEPPER_MISSING);
    }
    Ok(ContestInput { title, intro, min_age, area_unit_id, require_id_number: f.require_id, one_prize_per_person: f.one_prize })
}

#[derive(Template)]
#[template(path = "contests/manage_new.html")]
struct NewPage {
    l: Layout,
    f: ContestForm,
    areas: Vec<Opt>,
    errors: FieldErrors,
}

/// `GET /cuoc-thi/quan-ly/moi`.
pub async fn new_page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let areas = area_choices(&state, &user, &user.account.unit_id.to_string()).await?;
    render(&NewPage { l: layout(&user, msg::TITLE_NEW, None), f: ContestForm { area: user.account.unit_id.to_string(), ..Default::default() }, areas, errors: FieldErrors::default() })
}

/// `POST /cuoc-thi/quan-ly/moi`: a draft contest of the account's unit.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let f = ContestForm::read(&pairs);
    let mut errors = FieldErrors::default();
    let input = check_contest(&state, &user, &f, &mut errors).await?;
    if !errors.is_empty() {
        let areas = area_choices(&state, &user, &f.area).await?;
        return kernel::page::render_invalid(&NewPage { l: layout(&user, msg::TITLE_NEW, None), f, areas, errors });
    }
    let mut tx = state.db.begin().await?;
    let id = store::insert_contest(&mut tx, user.account.unit_id, &input).await?;
    audit::record(&mut tx, &meta.actor(&user), audit_entry("create", "contest", id, user.account.unit_id, msg::audit_create(&input.title), json!({"title": input.title, "area_unit_id": input.area_unit_id, "min_age": input.min_age}))).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/{id}?tb=created")).into_response())
}

pub struct QuestionItem {
    pub href: String,
    pub text: String,
    pub topic: String,
    pub difficulty: &'static str,
    pub options: usize,
    pub frozen: bool,
}

pub struct RoundItem {
    pub href: String,
    pub title: String,
    pub window: String,
    pub questions: usize,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "contests/manage_show.html")]
struct ShowPage {
    l: Layout,
    c: Contest,
    f: ContestForm,
    areas: Vec<Opt>,
    errors: FieldErrors,
    rounds: Vec<RoundItem>,
    questions: Vec<QuestionItem>,
    import_errors: Vec<String>,
    notice: Option<String>,
    entrants: String,
}

#[allow(clippy::too_many_arguments)]
async fn show_page(state: &AppState, user: &CurrentUser, c: Contest, tb: Option<&str>, f: Option<ContestForm>, errors: FieldErrors, import_errors: Vec<String>, notice: Option<String>) -> AppResult<ShowPage> {
    let f = f.unwrap_or_else(|| ContestForm::of(&c));
    let areas = area_choices(state, user, &f.area).await?;
    let rounds = store::rounds(&state.db, c.id)
        .await?
        .into_iter()
        .map(|r| RoundItem { href: format!("/cuoc-thi/quan-ly/vong/{}", r.id), window: format!("{} – {}", fmt_datetime(r.starts_at), fmt_datetime(r.ends_at)), questions: r.question_count(), status: status_label(&r.status), title: r.title })
        .collect();
    let questions = store::questions(&state.db, c.id)
        .await?
        .into_iter()
        .map(|q| QuestionItem { href: format!("/cuoc-thi/quan-ly/cau-hoi/{}", q.id), options: q.option_list().len(), text: q.text, topic: q.topic, difficulty: settings::difficulty_label(&q.difficulty), frozen: q.frozen })
        .collect();
    let entrants = text_vi::format_int(store::entrant_count(&state.db, c.id).await?);
    Ok(ShowPage { l: layout(user, c.title.clone(), tb), c, f, areas, errors, rounds, questions, import_errors, notice, entrants })
}

/// `GET /cuoc-thi/quan-ly/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<Flash>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    render(&show_page(&state, &user, c, q.tb.as_deref(), None, FieldErrors::default(), Vec::new(), None).await?)
}

/// `POST /cuoc-thi/quan-ly/{id}`: the contest's settings.
pub async fn save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    let f = ContestForm::read(&pairs);
    let mut errors = FieldErrors::default();
    let input = check_contest(&state, &user, &f, &mut errors).await?;
    if !errors.is_empty() {
        return kernel::page::render_invalid(&show_page(&state, &user, c, None, Some(f), errors, Vec::new(), None).await?);
    }
    let mut tx = state.db.begin().await?;
    store::update_contest(&mut tx, id, &input).await?;
    audit::record(&mut tx, &meta.actor(&user), audit::Entry {
        before: Some(json!({"title": c.title, "area_unit_id": c.area_unit_id, "min_age": c.min_age, "require_id_number": c.require_id_number, "one_prize_per_person": c.one_prize_per_person})),
        ..audit_entry("update", "contest", id, c.unit_id, msg::audit_update(&input.title), json!({"title": input.title, "area_unit_id": input.area_unit_id, "min_age": input.min_age, "require_id_number": input.require_id_number, "one_prize_per_person": input.one_prize_per_person}))
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/{id}?tb=saved")).into_response())
}

/// `POST /cuoc-thi/quan-ly/{id}/cong-bo`: the contest's public page opens (it needs a round).
pub async fn publish(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    if store::rounds(&state.db, id).await?.is_empty() {
        let mut r = kernel::page::render_invalid(&show_page(&state, &user, c, None, None, FieldErrors::default(), Vec::new(), Some(msg::CONTEST_NO_ROUND.into())).await?)?;
        *r.status_mut() = StatusCode::CONFLICT;
        return Ok(r);
    }
    let mut tx = state.db.begin().await?;
    store::set_contest_status(&mut tx, id, "published").await?;
    audit::record(&mut tx, &meta.actor(&user), audit_entry("publish", "contest", id, c.unit_id, msg::audit_publish(&c.title), json!({"status": "published"}))).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/{id}?tb=published")).into_response())
}

/// An uploaded question file as read: the organiser's sheet, or the paragraphs of a Word file.
enum BankFile {
    Sheet(Result<documents::table::ReadTable, documents::ReadError>),
    Docx(Result<Vec<documents::docx_paragraphs::Paragraph>, documents::docx_paragraphs::DocxReadError>),
}

/// Reads an uploaded question file: a Word file when its content is one (or, unreadable, when
/// its name ends in .docx), else a workbook. The DOCX reader caps what the archive unpacks to.
fn read_bank_file(name: &str, bytes: &[u8]) -> BankFile {
    use documents::sniff::check_evidence;
    let docx = check_evidence("x.docx", bytes).is_ok() || (check_evidence("x.xlsx", bytes).is_err() && name.to_lowercase().ends_with(".docx"));
    if docx { BankFile::Docx(documents::docx_paragraphs::docx_paragraphs(bytes)) } else { BankFile::Sheet(documents::table::read_table_xlsx(bytes, bank::ANCHOR)) }
}

/// `POST /cuoc-thi/quan-ly/{id}/nhap-cau-hoi` (multipart): questions from the organiser's XLSX
/// layout or Word (DOCX) layout, read off the request threads; nothing is imported while any
/// row or question has an error.
pub async fn import(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    let fail = |c: Contest, m: Vec<String>| {
        let state = state.clone();
        let user = &user;
        async move { kernel::page::render_invalid(&show_page(&state, user, c, None, None, FieldErrors::default(), m, None).await?) }
    };
    let Ok(mp) = mp else { return fail(c, vec![kernel::msg::FORM_UNREADABLE.into()]).await };
    let up = match kernel::page::read_upload(mp, state.config.limits.upload_bytes).await {
        Ok(up) => up,
        Err(m) => return fail(c, vec![m.into()]).await,
    };
    if up.too_large || up.bytes.is_empty() {
        return fail(c, vec![if up.too_large { kernel::msg::FILE_TOO_LARGE.into() } else { msg::NO_FILE.into() }]).await;
    }
    if !kernel::heavy::allow_upload(&state.db, user.account.id, "contest_import", state.config.limits.imports_per_minute).await? {
        let mut r = fail(c, vec![kernel::msg::IMPORTS_TOO_FREQUENT.into()]).await?;
        *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(r);
    }
    let (bytes, name) = (up.bytes, up.file_name);
    let read = match state.heavy.run(move || read_bank_file(&name, &bytes)).await {
        Ok(r) => r,
        Err(kernel::heavy::HeavyError::Failed) => return Err(AppError::Internal("question import failed".into())),
        Err(e) => return fail(c, vec![e.message().into()]).await,
    };
    let existing = store::question_keys(&state.db, id).await?;
    let (format, parsed) = match read {
        BankFile::Sheet(Ok(table)) => ("xlsx", bank::parse_sheet(&table.header, &table.rows, &existing).map_err(|errs| errs.iter().map(|e| msg::row_error(e.row, &e.column, &e.message)).collect::<Vec<String>>())),
        BankFile::Sheet(Err(e)) => {
            let m = match e {
                documents::ReadError::NoHeader => msg::NO_HEADER,
                documents::ReadError::TooLarge => msg::TOO_LARGE,
                _ => msg::NOT_XLSX,
            };
            return fail(c, vec![m.into()]).await;
        }
        BankFile::Docx(Err(documents::docx_paragraphs::DocxReadError::TooLarge)) => return fail(c, vec![msg::TOO_LARGE.into()]).await,
        BankFile::Docx(Err(_)) => return fail(c, vec![msg::NOT_DOCX.into()]).await,
        BankFile::Docx(Ok(paragraphs)) if paragraphs.iter().all(|p| p.label.is_none() && p.text().trim().is_empty()) => return fail(c, vec![msg::NOT_DOCX.into()]).await,
        BankFile::Docx(Ok(paragraphs)) => {
            // The bank's topics, so that "BẦU CỬ" in the file joins "Bầu cử" in the bank.
            let mut topics: Vec<String> = store::questions(&state.db, id).await?.into_iter().map(|q| q.topic).collect();
            topics.sort();
            topics.dedup();
            let parsed = match state.heavy.run(move || docx_bank::parse_paragraphs(&paragraphs, &existing, &topics)).await {
                Ok(p) => p,
                Err(kernel::heavy::HeavyError::Failed) => return Err(AppError::Internal("question import failed".into())),
                Err(e) => return fail(c, vec![e.message().into()]).await,
            };
            ("docx", parsed.map_err(|errs| errs.iter().map(|e| msg::docx_error(e.question, e.paragraph, &e.message)).collect()))
        }
    };
    match parsed {
        Ok(list) => {
            let mut tx = state.db.begin().await?;
            for q in &list {
                store::insert_question(&mut tx, id, q).await?;
            }
            audit::record(&mut tx, &meta.actor(&user), audit_entry("import", "contest_questions", id, c.unit_id, msg::audit_import(list.len(), &c.title), json!({"questions": list.len(), "format": format}))).await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/{id}?tb=imported#ngan-hang")).into_response())
        }
        Err(errs) => fail(c, errs).await,
    }
}

/// `GET /cuoc-thi/quan-ly/mau-cau-hoi.xlsx`: the organiser's layout with two sample rows.
pub async fn template_xlsx(user: CurrentUser) -> AppResult<Response> {
    use documents::table::Cell;
    user.require(Action::ManageContests)?;
    let t = |s: &str| Cell::Text(s.to_string());
    let rows: Vec<Vec<Cell>> = crate::demo::SAMPLE[..2]
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mut row = vec![Cell::Int(i as i64 + 1), t(q.0)];
            row.extend(q.1.iter().map(|&o| t(o)));
            row.extend([Cell::Empty, Cell::Empty]);
            row.extend([t(&bank::LETTERS[q.2].to_string()), t(q.3), t(q.4), t(settings::difficulty_label(q.6)), t(q.5)]);
            row
        })
        .collect();
    let bytes = documents::table::table_xlsx(msg::SHEET_NAME, msg::SHEET_TITLE, &bank::header(), &rows).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(kernel::page::attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "mau-cau-hoi-cuoc-thi.xlsx", bytes))
}

/// `GET /cuoc-thi/quan-ly/mau-cau-hoi.docx`: the Word layout with its instructions and three
/// sample questions (the third under a topic heading), as an official document of the account's
/// unit; the import reads it back.
pub async fn template_docx(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    use documents::official::{Block, OfficialDoc, Signature};
    user.require(Action::ManageContests)?;
    let unit = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    let sample = &crate::demo::SAMPLE;
    let questions: Vec<bank::Question> = [&sample[0], &sample[1], &sample[10]].into_iter().map(crate::demo::question).collect();
    let mut blocks: Vec<Block> = msg::DOCX_SAMPLE_HELP.iter().map(|l| Block::Paragraph(l.to_string())).collect();
    blocks.extend(docx_bank::layout(&questions[..2], 1).into_iter().map(Block::Paragraph));
    blocks.push(Block::Heading { level: 1, text: format!("{}: {}", msg::COL_TOPIC.to_uppercase(), questions[2].topic) });
    let topic_line = format!("{}:", msg::COL_TOPIC);
    blocks.extend(docx_bank::layout(&questions[2..], 3).into_iter().filter(|l| !l.starts_with(&topic_line)).map(Block::Paragraph));
    let doc = OfficialDoc {
        parent_body: None,
        issuing_body: unit.name.to_uppercase(),
        number: None,
        place: None,
        date: None,
        kind: msg::DOCX_SAMPLE_KIND.into(),
        title: msg::DOCX_SAMPLE_TITLE.into(),
        blocks,
        signature: Signature::default(),
        recipients: Vec::new(),
    };
    let bytes = kernel::page::typeset(&state, move || documents::official_docx(&doc).map_err(|e| AppError::Internal(e.to_string()))).await?;
    Ok(kernel::page::attachment("application/vnd.openxmlformats-officedocument.wordprocessingml.document", msg::DOCX_SAMPLE_FILE, bytes))
}

// ---------------------------------------------------------------- questions

#[derive(Default, Clone)]
pub struct QuestionForm {
    pub text: String,
    pub options: Vec<String>,
    pub correct: String,
    pub explanation: String,
    pub topic: String,
    pub difficulty: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "contests/manage_question.html")]
struct QuestionPage {
    l: Layout,
    c: Contest,
    id: i64,
    f: QuestionForm,
    letters: Vec<char>,
    difficulties: Vec<Opt>,
    frozen: bool,
    errors: FieldErrors,
}

fn question_page(user: &CurrentUser, c: Contest, id: i64, f: QuestionForm, frozen: bool, errors: FieldErrors, tb: Option<&str>) -> QuestionPage {
    let difficulties = opts(settings::DIFFICULTIES, &f.difficulty);
    let mut f = f;
    f.options.resize(bank::MAX_OPTIONS, String::new());
    QuestionPage { l: layout(user, msg::TITLE_QUESTION, tb), c, id, f, letters: bank::LETTERS.to_vec(), difficulties, frozen, errors }
}

/// `GET /cuoc-thi/quan-ly/cau-hoi/{id}`.
pub async fn question(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<Flash>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let row = store::question(&state.db, id).await?;
    let c = service::visible_contest(&state.db, &user.principal(), row.contest_id).await?;
    let f = QuestionForm {
        options: row.option_list(),
        correct: bank::LETTERS.get(row.correct as usize).map(|l| l.to_string()).unwrap_or_default(),
        text: row.text,
        explanation: row.explanation,
        topic: row.topic,
        difficulty: row.difficulty,
        source: row.source,
    };
    render(&question_page(&user, c, id, f, row.frozen, FieldErrors::default(), q.tb.as_deref()))
}

/// `POST /cuoc-thi/quan-ly/cau-hoi/{id}`: refused with a message once the question is frozen.
pub async fn save_question(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let row = store::question(&state.db, id).await?;
    let c = service::visible_contest(&state.db, &user.principal(), row.contest_id).await?;
    let f = QuestionForm {
        text: field(&pairs, "text").into(),
        options: bank::LETTERS.iter().map(|l| field(&pairs, &format!("option_{l}")).to_string()).collect(),
        correct: field(&pairs, "correct").into(),
        explanation: field(&pairs, "explanation").into(),
        topic: field(&pairs, "topic").into(),
        difficulty: field(&pairs, "difficulty").into(),
        source: field(&pairs, "source").into(),
    };
    let mut errors = FieldErrors::default();
    if row.frozen {
        errors.add("text", msg::QUESTION_FROZEN);
        let mut r = kernel::page::render_invalid(&question_page(&user, c, id, f, true, errors, None))?;
        *r.status_mut() = StatusCode::CONFLICT;
        return Ok(r);
    }
    let raw = RawQuestion { text: f.text.clone(), options: f.options.clone(), correct: f.correct.clone(), explanation: f.explanation.clone(), topic: f.topic.clone(), difficulty: f.difficulty.clone(), source: f.source.clone() };
    let q = match bank::check(&raw) {
        Ok(q) => q,
        Err(list) => {
            for (fld, m) in list {
                let id = match fld {
                    bank::Field::Text => "text",
                    bank::Field::Options => "option_A",
                    bank::Field::Correct => "correct",
                    bank::Field::Explanation => "explanation",
                    bank::Field::Topic => "topic",
                    bank::Field::Difficulty => "difficulty",
                    bank::Field::Source => "source",
                };
                errors.add(id, m);
            }
            return kernel::page::render_invalid(&question_page(&user, c, id, f, false, errors, None));
        }
    };
    let mut tx = state.db.begin().await?;
    let changed = match store::update_question(&mut tx, id, &q).await {
        Ok(n) => n,
        Err(kernel::DbError::Conflict(_)) => {
            drop(tx);
            errors.add("text", msg::DUPLICATE_OF_BANK);
            return kernel::page::render_invalid(&question_page(&user, c, id, f, false, errors, None));
        }
        Err(e) => return Err(e.into()),
    };
    if changed == 0 {
        drop(tx);
        errors.add("text", msg::QUESTION_FROZEN);
        let mut r = kernel::page::render_invalid(&question_page(&user, c, id, f, true, errors, None))?;
        *r.status_mut() = StatusCode::CONFLICT;
        return Ok(r);
    }
    audit::record(&mut tx, &meta.actor(&user), audit::Entry {
        before: Some(json!({"text": row.text, "options": row.option_list(), "correct": row.correct})),
        ..audit_entry("update", "contest_question", id, c.unit_id, msg::audit_question(&c.title), json!({"text": q.text, "options": q.options, "correct": q.correct}))
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/cau-hoi/{id}?tb=question_saved")).into_response())
}

// ---------------------------------------------------------------- rounds

/// The round form as typed.
#[derive(Clone)]
pub struct RoundForm {
    pub title: String,
    pub starts: String,
    pub ends: String,
    pub minutes: String,
    pub grace: String,
    pub max_attempts: String,
    pub counting: String,
    pub quotas: String,
    pub prediction: String,
    pub prediction_text: String,
    pub keys: Vec<String>,
    pub prizes: String,
    pub show_answers: String,
}

impl Default for RoundForm {
    fn default() -> Self {
        let now = kernel::now();
        RoundForm {
            title: String::new(),
            starts: fmt_datetime(now),
            ends: fmt_datetime(now + Duration::days(30)),
            minutes: "20".into(),
            grace: "10".into(),
            max_attempts: "1".into(),
            counting: Counting::Best.as_str().into(),
            quotas: "*; *; 20".into(),
            prediction: PredictionKind::CorrectAllCount.as_str().into(),
            prediction_text: String::new(),
            keys: RankKey::DEFAULT.iter().map(|k| k.as_str().to_string()).chain(std::iter::once(String::new())).collect(),
            prizes: String::new(),
            show_answers: ShowAnswers::AfterRound.as_str().into(),
        }
    }
}

impl RoundForm {
    fn of(r: &Round) -> RoundForm {
        let mut keys: Vec<String> = r.keys.iter().map(|k| k.as_str().to_string()).collect();
        keys.resize(RankKey::ALL.len(), String::new());
        RoundForm {
            title: r.title.clone(),
            starts: fmt_datetime(r.starts_at),
            ends: fmt_datetime(r.ends_at),
            minutes: (r.time_limit_s / 60).to_string(),
            grace: r.grace_s.to_string(),
            max_attempts: r.max_attempts.to_string(),
            counting: r.counting.as_str().into(),
            quotas: settings::quotas_text(&r.quotas),
            prediction: r.prediction.map(|p| p.as_str().to_string()).unwrap_or_default(),
            prediction_text: r.prediction_text.clone(),
            keys,
            prizes: settings::prizes_text(&r.prizes),
            show_answers: r.show_answers.as_str().into(),
        }
    }
    fn read(pairs: &[(String, String)]) -> RoundForm {
        let g = |k: &str| field(pairs, k).to_string();
        RoundForm {
            title: g("title"),
            starts: g("starts"),
            ends: g("ends"),
            minutes: g("minutes"),
            grace: g("grace"),
            max_attempts: g("max_attempts"),
            counting: g("counting"),
            quotas: g("quotas"),
            prediction: g("prediction"),
            prediction_text: g("prediction_text"),
            keys: (1..=RankKey::ALL.len()).map(|i| g(&format!("key{i}"))).collect(),
            prizes: g("prizes"),
            show_answers: g("show_answers"),
        }
    }
}

fn check_round(f: &RoundForm, errors: &mut FieldErrors) -> Option<RoundInput> {
    let title = kernel::page::typed_text(&f.title, "title", 200, Some(msg::ROUND_TITLE_REQUIRED), errors);
    let starts = parse_datetime(&f.starts);
    if starts.is_none() {
        errors.add("starts", msg::DATETIME_FORMAT);
    }
    let ends = parse_datetime(&f.ends);
    if ends.is_none() {
        errors.add("ends", msg::DATETIME_FORMAT);
    }
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        errors.add("ends", msg::ENDS_BEFORE_START);
    }
    let minutes = f.minutes.trim().parse::<i64>().ok().filter(|m| (1..=180).contains(m));
    if minutes.is_none() {
        errors.add("minutes", msg::TIME_LIMIT_RANGE);
    }
    let grace = f.grace.trim().parse::<i64>().ok().filter(|g| (0..=120).contains(g));
    if grace.is_none() {
        errors.add("grace", msg::GRACE_RANGE);
    }
    let max_attempts = f.max_attempts.trim().parse::<i64>().ok().filter(|m| (1..=100).contains(m));
    if max_attempts.is_none() {
        errors.add("max_attempts", msg::ATTEMPTS_RANGE);
    }
    let counting = Counting::parse(f.counting.trim());
    if counting.is_none() {
        errors.add("counting", msg::CHOICE_INVALID);
    }
    let quotas = match settings::parse_quotas(&f.quotas) {
        Ok(q) => Some(q),
        Err(list) => {
            for m in list {
                errors.add("quotas", m);
            }
            None
        }
    };
    let prediction = match f.prediction.trim() {
        "" => Ok(None),
        s => PredictionKind::parse(s).map(Some).ok_or(()),
    };
    if prediction.is_err() {
        errors.add("prediction", msg::CHOICE_INVALID);
    }
    let prediction_text = kernel::page::typed_text(&f.prediction_text, "prediction_text", 500, None, errors);
    if matches!(prediction, Ok(Some(_))) && prediction_text.is_empty() {
        errors.add("prediction_text", msg::PREDICTION_TEXT_REQUIRED);
    }
    let chosen: Vec<&str> = f.keys.iter().map(String::as_str).collect();
    let keys = match settings::parse_keys(&chosen) {
        Ok(k) => Some(k),
        Err(m) => {
            errors.add("key1", m);
            None
        }
    };
    let prizes = match settings::parse_prizes(&f.prizes) {
        Ok(p) => Some(p),
        Err(list) => {
            for m in list {
                errors.add("prizes", m);
            }
            None
        }
    };
    let show_answers = ShowAnswers::parse(f.show_answers.trim());
    if show_answers.is_none() {
        errors.add("show_answers", msg::CHOICE_INVALID);
    }
    match (starts, ends, minutes, grace, max_attempts, counting, quotas, prediction, keys, prizes, show_answers) {
        (Some(starts_at), Some(ends_at), Some(m), Some(grace_s), Some(max_attempts), Some(counting), Some(quotas), Ok(prediction), Some(keys), Some(prizes), Some(show_answers)) if errors.is_empty() => {
            Some(RoundInput { title, starts_at, ends_at, time_limit_s: m * 60, grace_s, max_attempts, counting, quotas, prediction, prediction_text, keys, prizes, show_answers })
        }
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "contests/manage_round.html")]
struct RoundPage {
    l: Layout,
    c: Contest,
    /// None for a new round.
    round_id: Option<i64>,
    published: bool,
    f: RoundForm,
    countings: Vec<Opt>,
    predictions: Vec<Opt>,
    key_choices: Vec<(String, Vec<Opt>)>,
    shows: Vec<Opt>,
    errors: FieldErrors,
    notice: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn round_page(user: &CurrentUser, c: Contest, round_id: Option<i64>, published: bool, f: RoundForm, errors: FieldErrors, notice: Option<String>, tb: Option<&str>) -> RoundPage {
    let countings = opts(Counting::ALL.iter().map(|x| (x.as_str(), x.label())), &f.counting);
    let mut predictions = vec![Opt { value: String::new(), label: msg::NO_PREDICTION.into(), selected: f.prediction.is_empty() }];
    predictions.extend(opts(PredictionKind::ALL.iter().map(|x| (x.as_str(), x.label())), &f.prediction));
    let key_choices = f
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let mut o = vec![Opt { value: String::new(), label: msg::KEY_UNUSED.into(), selected: k.is_empty() }];
            o.extend(opts(RankKey::ALL.iter().map(|x| (x.as_str(), x.label())), k));
            (format!("key{}", i + 1), o)
        })
        .collect();
    let shows = opts(ShowAnswers::ALL.iter().map(|x| (x.as_str(), x.label())), &f.show_answers);
    let title = if round_id.is_some() { f.title.clone() } else { msg::TITLE_NEW_ROUND.to_string() };
    RoundPage { l: layout(user, title, tb), c, round_id, published, f, countings, predictions, key_choices, shows, errors, notice }
}

/// `GET /cuoc-thi/quan-ly/{id}/vong-moi`.
pub async fn new_round(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    render(&round_page(&user, c, None, false, RoundForm::default(), FieldErrors::default(), None, None))
}

/// `POST /cuoc-thi/quan-ly/{id}/vong-moi`: a draft round.
pub async fn create_round(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    let f = RoundForm::read(&pairs);
    let mut errors = FieldErrors::default();
    let Some(input) = check_round(&f, &mut errors) else {
        return kernel::page::render_invalid(&round_page(&user, c, None, false, f, errors, None, None));
    };
    let mut tx = state.db.begin().await?;
    let rid = store::insert_round(&mut tx, id, &input).await?;
    audit::record(&mut tx, &meta.actor(&user), audit_entry("create", "contest_round", rid, c.unit_id, msg::audit_create_round(&input.title, &c.title), json!({"title": input.title, "questions": input.quotas.iter().map(|q| q.count).sum::<usize>()}))).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/vong/{rid}?tb=round_created")).into_response())
}

/// `GET /cuoc-thi/quan-ly/vong/{id}`.
pub async fn round(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<Flash>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let (c, r) = service::visible_round(&state.db, &user.principal(), id).await?;
    render(&round_page(&user, c, Some(id), r.published(), RoundForm::of(&r), FieldErrors::default(), None, q.tb.as_deref()))
}

/// `POST /cuoc-thi/quan-ly/vong/{id}`: a draft round's rules; refused once published.
pub async fn save_round(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let (c, r) = service::visible_round(&state.db, &user.principal(), id).await?;
    let f = RoundForm::read(&pairs);
    if r.published() {
        let mut page = kernel::page::render_invalid(&round_page(&user, c, Some(id), true, RoundForm::of(&r), FieldErrors::default(), Some(msg::ROUND_PUBLISHED.into()), None))?;
        *page.status_mut() = StatusCode::CONFLICT;
        return Ok(page);
    }
    let mut errors = FieldErrors::default();
    let Some(input) = check_round(&f, &mut errors) else {
        return kernel::page::render_invalid(&round_page(&user, c, Some(id), false, f, errors, None, None));
    };
    let mut tx = state.db.begin().await?;
    store::update_round(&mut tx, id, &input).await?;
    audit::record(&mut tx, &meta.actor(&user), audit_entry("update", "contest_round", id, c.unit_id, msg::audit_update_round(&input.title, &c.title), json!({"title": input.title}))).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/vong/{id}?tb=saved")).into_response())
}

/// `POST /cuoc-thi/quan-ly/vong/{id}/cong-bo`: publishes the round once the contest is published
/// and the bank fills its quotas; what it may draw is frozen.
pub async fn publish_round(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let (c, r) = service::visible_round(&state.db, &user.principal(), id).await?;
    let outcome = if c.status != "published" { Err(msg::CONTEST_NOT_PUBLISHED.to_string()) } else { service::publish_round(&state.db, &meta.actor(&user), &c, &r).await? };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/vong/{id}?tb=round_published")).into_response()),
        Err(m) => {
            let mut page = kernel::page::render_invalid(&round_page(&user, c, Some(id), r.published(), RoundForm::of(&r), FieldErrors::default(), Some(m), None))?;
            *page.status_mut() = StatusCode::CONFLICT;
            Ok(page)
        }
    }
}

pub struct RankLine {
    pub entrant_id: i64,
    pub position: usize,
    pub name: String,
    pub birth_year: i64,
    pub commune: String,
    pub score: String,
    pub time: String,
    pub prediction: String,
    pub attempts: i64,
    pub prize: String,
    pub decided_by: &'static str,
}

/// An entrant excluded from the ranking.
pub struct ExcludedLine {
    pub entrant_id: i64,
    pub name: String,
    pub commune: String,
    pub score: String,
    pub reason: String,
}

/// The exclusion form as typed.
#[derive(Clone, Debug, Default)]
pub struct ExcludeForm {
    pub entrant: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "contests/manage_ranking.html")]
struct RankingPage {
    l: Layout,
    c: Contest,
    r: Round,
    lines: Vec<RankLine>,
    actual: String,
    keys: Vec<&'static str>,
    counters: Vec<(String, String, String, String)>,
    histogram: Vec<(i64, String)>,
    excluded: Vec<ExcludedLine>,
    choices: Vec<Opt>,
    f: ExcludeForm,
    errors: FieldErrors,
    /// The round is over: its results may be published.
    can_publish: bool,
    /// When its winners were last published.
    published_at: Option<String>,
    /// The winners' certificates in force.
    certificates: Vec<store::CertificateRow>,
    notice: Option<&'static str>,
    /// The most-missed questions, from the per-question counters.
    missed: Vec<MissedLine>,
    missed_min: i64,
}

/// One of the most-missed questions of a round.
pub struct MissedLine {
    pub question_id: i64,
    pub text: String,
    pub topic: String,
    pub drawn: String,
    pub missed: String,
    pub share: String,
    pub unanswered: String,
}

/// The most-missed questions of a round, from the counters kept by the write path.
pub async fn missed_lines(db: &kernel::Db, round_id: i64) -> AppResult<Vec<MissedLine>> {
    Ok(service::most_missed(db, round_id)
        .await?
        .into_iter()
        .map(|(r, q)| MissedLine {
            question_id: q.question_id,
            text: r.text,
            topic: r.topic,
            drawn: text_vi::format_int(q.drawn),
            missed: text_vi::format_int(q.missed()),
            share: msg::missed_share(q.missed_permille()),
            unanswered: text_vi::format_int(q.unanswered()),
        })
        .collect())
}

#[allow(clippy::too_many_arguments)]
async fn ranking_page(state: &AppState, user: &CurrentUser, c: Contest, r: Round, tb: Option<&str>, f: ExcludeForm, errors: FieldErrors, notice: Option<&'static str>) -> AppResult<RankingPage> {
    let db = &state.db;
    let now = kernel::now();
    let (ranked, actual) = service::ranking(db, &r, now).await?;
    let mut choices = vec![Opt { value: String::new(), label: msg::PICK_ENTRANT.into(), selected: f.entrant.is_empty() }];
    choices.extend(ranked.iter().map(|x| Opt {
        value: x.row.entrant_id.to_string(),
        label: format!("{}. {} ({})", x.position, x.row.full_name, x.row.commune_name),
        selected: f.entrant == x.row.entrant_id.to_string(),
    }));
    let lines = ranked
        .into_iter()
        .map(|x| RankLine {
            entrant_id: x.row.entrant_id,
            position: x.position,
            name: x.row.full_name,
            birth_year: x.row.birth_year,
            commune: x.row.commune_name,
            score: format!("{}/{}", x.row.score, x.row.question_count),
            time: fmt_duration_ms(x.row.duration_ms),
            prediction: x.row.prediction.map(text_vi::format_int).unwrap_or_default(),
            attempts: x.row.attempts,
            prize: x.prize.or(x.held_elsewhere).unwrap_or_default(),
            decided_by: x.decided_by.unwrap_or(""),
        })
        .collect();
    let excluded = service::excluded(db, &r)
        .await?
        .into_iter()
        .map(|(row, reason)| ExcludedLine { entrant_id: row.entrant_id, name: row.full_name, commune: row.commune_name, score: format!("{}/{}", row.score, row.question_count), reason })
        .collect();
    let counters = store::counters(db, r.id).await?.into_iter().map(|(n, e, a, s)| (n, text_vi::format_int(e), text_vi::format_int(a), text_vi::format_int(s))).collect();
    let histogram = store::score_counts(db, r.id).await?.into_iter().map(|(s, n)| (s, text_vi::format_int(n))).collect();
    let keys = r.keys.iter().map(|k| k.label()).chain(std::iter::once(msg::FINAL_KEY)).collect();
    let published_at = store::published_results(db, r.id).await?.map(|(_, at)| fmt_datetime(at));
    Ok(RankingPage {
        l: layout(user, format!("{} · {}", msg::TITLE_RANKING, r.title), tb),
        actual: text_vi::format_int(actual),
        keys,
        lines,
        counters,
        histogram,
        excluded,
        choices,
        f,
        errors,
        can_publish: service::results_final(&r, now),
        published_at,
        certificates: store::certificates_of_round(db, r.id).await?,
        notice,
        missed: missed_lines(db, r.id).await?,
        missed_min: service::MISSED_MIN_DRAWN,
        c,
        r,
    })
}

/// `GET /cuoc-thi/quan-ly/vong/{id}/xep-hang`: the ranking by the round's keys, the entrants
/// excluded from it, the live counters by commune and the score histogram; the forms to exclude
/// an entrant and to publish the winners.
pub async fn ranking(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<Flash>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let (c, r) = service::visible_round(&state.db, &user.principal(), id).await?;
    render(&ranking_page(&state, &user, c, r, q.tb.as_deref(), ExcludeForm::default(), FieldErrors::default(), None).await?)
}

/// `POST /cuoc-thi/quan-ly/vong/{id}/loai`: excludes an entrant from the ranking, with the reason.
pub async fn exclude(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let p = user.principal();
    let (c, r) = service::visible_round(&state.db, &p, id).await?;
    let f = ExcludeForm { entrant: field(&pairs, "entrant").to_string(), reason: field(&pairs, "reason").to_string() };
    match service::exclude(&state.db, &meta.actor(&user), p.account.id, &c, &r, &f.entrant, &f.reason).await? {
        Ok(()) => Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/vong/{id}/xep-hang?tb=excluded")).into_response()),
        Err(errors) => kernel::page::render_invalid(&ranking_page(&state, &user, c, r, None, f, errors, None).await?),
    }
}

/// `POST /cuoc-thi/quan-ly/vong/{id}/bo-loai`: puts an excluded entrant back in the ranking.
pub async fn reinstate(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let (c, r) = service::visible_round(&state.db, &user.principal(), id).await?;
    if !service::reinstate(&state.db, &meta.actor(&user), &c, &r, field(&pairs, "entrant")).await? {
        return Err(AppError::BadRequest(msg::NOT_EXCLUDED.into()));
    }
    Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/vong/{id}/xep-hang?tb=reinstated")).into_response())
}

/// `POST /cuoc-thi/quan-ly/vong/{id}/cong-bo-ket-qua`: publishes the prize winners as the
/// ranking stands, once the round is over.
pub async fn publish_results(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let p = user.principal();
    let (c, r) = service::visible_round(&state.db, &p, id).await?;
    match service::publish_results(&state.db, &meta.actor(&user), p.account.id, &c, &r, kernel::now()).await? {
        Ok(_) => Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/vong/{id}/xep-hang?tb=results_published")).into_response()),
        Err(m) => {
            let mut page = kernel::page::render_invalid(&ranking_page(&state, &user, c, r, None, ExcludeForm::default(), FieldErrors::default(), Some(m)).await?)?;
            *page.status_mut() = StatusCode::CONFLICT;
            Ok(page)
        }
    }
}

/// `GET /cuoc-thi/quan-ly/vong/{id}/xep-hang.xlsx`: the ranking with each entrant's contact
/// (to reach the winners; for the organiser unit's accounts only), then the excluded entrants with the reason. The download is audited,
/// since it holds personal data.
pub async fn ranking_xlsx(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    use documents::table::Cell;
    user.require(Action::ManageContests)?;
    let db = &state.db;
    let (c, r) = service::visible_round(db, &user.principal(), id).await?;
    let (ranked, _) = service::ranking(db, &r, kernel::now()).await?;
    let excluded = service::excluded(db, &r).await?;
    // Contacts only for the organiser unit's accounts; the units above get the column empty.
    let contacts: std::collections::HashMap<i64, String> =
        if service::sees_contacts(&user.principal(), &c) { store::contacts_of_round(db, r.id).await?.into_iter().collect() } else { Default::default() };
    let contact = |id: i64| Cell::Text(contacts.get(&id).cloned().unwrap_or_default());
    let header: Vec<String> = msg::RANKING_COLUMNS.iter().map(|h| h.to_string()).collect();
    let mut rows: Vec<Vec<Cell>> = ranked
        .into_iter()
        .map(|x| {
            vec![
                Cell::Int(x.position as i64),
                Cell::Text(x.row.full_name.clone()),
                Cell::Int(x.row.birth_year),
                Cell::Text(x.row.commune_name.clone()),
                contact(x.row.entrant_id),
                Cell::Int(x.row.score),
                Cell::Text(fmt_duration_ms(x.row.duration_ms)),
                x.row.prediction.map_or(Cell::Empty, Cell::Int),
                Cell::Int(x.row.attempts),
                Cell::Text(x.prize.or(x.held_elsewhere).unwrap_or_default()),
                Cell::Empty,
            ]
        })
        .collect();
    rows.extend(excluded.into_iter().map(|(row, reason)| {
        vec![
            Cell::Empty,
            Cell::Text(row.full_name.clone()),
            Cell::Int(row.birth_year),
            Cell::Text(row.commune_name.clone()),
            contact(row.entrant_id),
            Cell::Int(row.score),
            Cell::Text(fmt_duration_ms(row.duration_ms)),
            row.prediction.map_or(Cell::Empty, Cell::Int),
            Cell::Int(row.attempts),
            Cell::Empty,
            Cell::Text(msg::excluded_note(&reason)),
        ]
    }));
    let title = msg::ranking_title(&r.title, &c.title);
    let bytes = documents::table::table_xlsx(msg::RANKING_SHEET, &title, &header, &rows).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = db.begin().await?;
    audit::record(&mut tx, &meta.actor(&user), audit_entry("export", "contest_round", r.id, c.unit_id, msg::audit_export_ranking(&r.title, &c.title), json!({"rows": rows.len()}))).await?;
    tx.commit().await?;
    Ok(kernel::page::attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("xep-hang-vong-{}.xlsx", r.number), bytes))
}

/// `GET /cuoc-thi/quan-ly/{id}/the-le.docx`: the rules (thể lệ) generated from the settings of
/// the published rounds, in the Nghị định 30 layout, to sign and issue.
pub async fn rules_docx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    let rounds: Vec<Round> = store::rounds(&state.db, c.id).await?.into_iter().filter(Round::published).collect();
    let doc = service::rules_document(&c, &rounds, &state.config.base_url);
    let bytes = kernel::page::typeset(&state, move || documents::official_docx(&doc).map_err(|e| AppError::Internal(e.to_string()))).await?;
    Ok(kernel::page::attachment("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &format!("the-le-cuoc-thi-{}.docx", c.id), bytes))
}

// ---------------------------------------------------------------- a round's exports

/// `GET /cuoc-thi/quan-ly/vong/{id}/giai-thuong.xlsx`: the prize winners in ranking order (the
/// ranking page's ranking and prizes, exclusions respected), with their contact for the
/// organiser unit's accounts. Audited, since it holds personal data.
pub async fn winners_xlsx(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let db = &state.db;
    let p = user.principal();
    let (c, r) = service::visible_round(db, &p, id).await?;
    let (ranked, _) = service::ranking(db, &r, kernel::now()).await?;
    let contacts: Option<std::collections::HashMap<i64, String>> =
        if service::sees_contacts(&p, &c) { Some(store::contacts_of_round(db, r.id).await?.into_iter().collect()) } else { None };
    let (header, rows) = crate::export::winners_table(ranked, contacts.as_ref());
    let title = msg::winners_title(&r.title, &c.title);
    let bytes = documents::table::table_xlsx(msg::WINNERS_SHEET, &title, &header, &rows).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = db.begin().await?;
    audit::record(&mut tx, &meta.actor(&user), audit_entry("export", "contest_round", r.id, c.unit_id, msg::audit_export_winners(&r.title, &c.title), json!({"file": "winners", "rows": rows.len(), "contacts": contacts.is_some()}))).await?;
    tx.commit().await?;
    Ok(kernel::page::attachment(crate::export::XLSX, &msg::winners_file(r.number), bytes))
}

/// `GET /cuoc-thi/quan-ly/vong/{id}/tham-gia.xlsx`: entrants, attempts and submissions per
/// commune with its province, from the live counters, in Vietnamese order, with a total. No
/// personal data: not audited, like the other figures-only downloads.
pub async fn participation_xlsx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let (c, r) = service::visible_round(&state.db, &user.principal(), id).await?;
    let (header, rows) = crate::export::participation_table(store::counters_with_province(&state.db, r.id).await?);
    let title = msg::participation_title(&r.title, &c.title);
    let bytes = documents::table::table_xlsx(msg::PARTICIPATION_SHEET, &title, &header, &rows).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(kernel::page::attachment(crate::export::XLSX, &msg::participation_file(r.number), bytes))
}

/// `GET /cuoc-thi/quan-ly/vong/{id}/bai-thi.xlsx`: every attempt of the round, read as a stream
/// and written in constant memory to a temporary file, sent once complete (see
/// [`crate::export`]); the contact only for the organiser unit's accounts. Expired attempts are
/// closed first, as for the ranking. Audited, since it holds personal data.
pub async fn attempts_xlsx(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let db = &state.db;
    let p = user.principal();
    let (c, r) = service::visible_round(db, &p, id).await?;
    service::close_stale(db, &r, kernel::now()).await?;
    let contacts = service::sees_contacts(&p, &c);
    let spooled = match crate::export::spool_attempts(db, r.id, msg::attempts_title(&r.title, &c.title), contacts).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, round = r.id, "contest attempts XLSX export");
            return Err(AppError::Unavailable(msg::EXPORT_FAILED.into()));
        }
    };
    let mut tx = db.begin().await?;
    audit::record(&mut tx, &meta.actor(&user), audit_entry("export", "contest_round", r.id, c.unit_id, msg::audit_export_attempts(&r.title, &c.title), json!({"file": "attempts", "rows": spooled.rows, "contacts": contacts}))).await?;
    tx.commit().await?;
    Ok(crate::export::file_response(&msg::attempts_file(r.number), spooled))
}

/// One line of the overall ranking.
pub struct OverallLine {
    pub position: usize,
    pub name: String,
    pub commune: String,
    pub rounds: i64,
    pub score: String,
    pub time: String,
}

#[derive(Template)]
#[template(path = "contests/manage_overall.html")]
struct OverallPage {
    l: Layout,
    c: Contest,
    lines: Vec<OverallLine>,
}

/// `GET /cuoc-thi/quan-ly/{id}/xep-hang-chung`: the overall ranking across the contest's
/// published rounds (each entrant's counted results summed).
pub async fn overall(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    let mut rows = store::overall_results(&state.db, c.id).await?;
    rows.sort_by(|a, b| crate::rules::ranking::overall_order((a.entrant_id, a.score, a.duration_ms), (b.entrant_id, b.score, b.duration_ms)));
    let lines = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| OverallLine {
            position: i + 1,
            name: r.full_name,
            commune: r.commune_name,
            rounds: r.rounds,
            score: format!("{}/{}", text_vi::format_int(r.score), text_vi::format_int(r.question_count)),
            time: fmt_duration_ms(r.duration_ms),
        })
        .collect();
    render(&OverallPage { l: layout(&user, msg::TITLE_OVERALL, None), c, lines })
}

// ---------------------------------------------------------------- collective prizes

/// One line of the collective ranking.
pub struct CollectiveLine {
    pub position: usize,
    pub unit: String,
    pub entrants: String,
    pub headcount: String,
    pub rate: String,
    pub winners: String,
    pub points: String,
    pub score: String,
    pub prize: String,
}

/// A unit's headcount field.
pub struct HeadcountField {
    pub unit_id: i64,
    pub name: String,
    pub value: String,
    /// What was typed does not read.
    pub invalid: bool,
}

#[derive(Template)]
#[template(path = "contests/manage_collective.html")]
struct CollectivePage {
    l: Layout,
    c: Contest,
    f: service::CollectiveForm,
    errors: FieldErrors,
    modes: Vec<Opt>,
    levels: Vec<Opt>,
    /// Whether the contest has collective prizes (saved).
    set: bool,
    rate_mode: bool,
    lines: Vec<CollectiveLine>,
    /// Units competing without a headcount (their rate counts 0).
    missing_headcount: Vec<String>,
    headcounts: Vec<HeadcountField>,
    /// The area had more units than listed.
    headcounts_cut: bool,
    /// (unit id, message) of each headcount that does not read.
    headcount_errors: Vec<(i64, String)>,
    published_at: Option<String>,
    notice: Option<&'static str>,
}

#[derive(Default)]
struct CollectiveInput<'a> {
    tb: Option<&'a str>,
    f: Option<service::CollectiveForm>,
    errors: FieldErrors,
    typed: Option<&'a [(String, String)]>,
    headcount_errors: Vec<(i64, String)>,
    notice: Option<&'static str>,
}

async fn collective_page(state: &AppState, user: &CurrentUser, c: Contest, input: CollectiveInput<'_>) -> AppResult<CollectivePage> {
    use crate::rules::collective::{self, Collective, CollectiveLevel, CollectiveMode};
    let db = &state.db;
    let saved = Collective::from_stored(&c.collective);
    let f = input.f.unwrap_or_else(|| service::CollectiveForm::of(saved.as_ref()));
    let mut modes = vec![Opt { value: String::new(), label: msg::COLLECTIVE_NONE.into(), selected: f.mode.is_empty() }];
    modes.extend(opts(CollectiveMode::ALL.iter().map(|m| (m.as_str(), m.label())), &f.mode));
    let levels = opts(CollectiveLevel::ALL.iter().map(|m| (m.as_str(), m.label())), &f.level);
    let (mut lines, mut missing_headcount, mut headcounts, mut headcounts_cut) = (Vec::new(), Vec::new(), Vec::new(), false);
    if let Some(rules) = &saved {
        let ranked = collective::rank(&service::collective_tallies(db, &c, rules).await?, rules);
        for l in ranked {
            if rules.mode == CollectiveMode::RatePlusPoints && l.unit.headcount.is_none() {
                missing_headcount.push(l.unit.name.clone());
            }
            lines.push(CollectiveLine {
                position: l.position,
                entrants: text_vi::format_int(l.unit.entrants),
                headcount: l.unit.headcount.map(text_vi::format_int).unwrap_or_default(),
                rate: l.unit.rate.map(|r| format!("{}%", collective::score_text(r))).unwrap_or_default(),
                winners: text_vi::format_int(l.unit.winners),
                points: text_vi::format_int(l.unit.points),
                score: collective::score_text(l.unit.score),
                prize: l.prize.map(|p| p.name).unwrap_or_default(),
                unit: l.unit.name,
            });
        }
        let (units, cut) = service::target_units(db, &c, rules.level).await?;
        headcounts_cut = cut;
        for (unit_id, name, h) in units {
            let typed = input.typed.map(|t| field(t, &format!("h_{unit_id}")).to_string());
            let invalid = input.headcount_errors.iter().any(|(id, _)| *id == unit_id);
            headcounts.push(HeadcountField { unit_id, name, value: typed.unwrap_or_else(|| h.map(|h| h.to_string()).unwrap_or_default()), invalid });
        }
    }
    let published_at = store::collective_results(db, c.id).await?.map(|(_, at)| fmt_datetime(at));
    Ok(CollectivePage {
        l: layout(user, format!("{} · {}", msg::TITLE_COLLECTIVE, c.title), input.tb),
        set: saved.is_some(),
        rate_mode: saved.as_ref().is_some_and(|r| r.mode == CollectiveMode::RatePlusPoints),
        f,
        errors: input.errors,
        modes,
        levels,
        lines,
        missing_headcount,
        headcounts,
        headcounts_cut,
        headcount_errors: input.headcount_errors,
        published_at,
        notice: input.notice,
        c,
    })
}

/// `GET /cuoc-thi/quan-ly/{id}/giai-tap-the`: the collective prizes: how units are scored, the
/// units' headcounts, the ranking of units as it stands, and its publication.
pub async fn collective(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<Flash>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    render(&collective_page(&state, &user, c, CollectiveInput { tb: q.tb.as_deref(), ..CollectiveInput::default() }).await?)
}

/// `POST /cuoc-thi/quan-ly/{id}/giai-tap-the`: saves how units are scored (or removes the
/// collective prizes); on an error the form comes back as typed.
pub async fn save_collective(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    let f = service::CollectiveForm {
        mode: field(&pairs, "mode").to_string(),
        level: field(&pairs, "level").to_string(),
        points: field(&pairs, "points").to_string(),
        prizes: field(&pairs, "prizes").to_string(),
    };
    match service::save_collective(&state.db, &meta.actor(&user), &c, &f).await? {
        Ok(_) => Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/{id}/giai-tap-the?tb=collective_saved")).into_response()),
        Err(errors) => kernel::page::render_invalid(&collective_page(&state, &user, c, CollectiveInput { f: Some(f), errors, ..CollectiveInput::default() }).await?),
    }
}

/// `POST /cuoc-thi/quan-ly/{id}/so-doi-tuong`: saves the units' headcounts; on an error nothing
/// is saved and the numbers come back as typed.
pub async fn save_headcounts(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let c = service::visible_contest(&state.db, &user.principal(), id).await?;
    let Some(rules) = crate::rules::collective::Collective::from_stored(&c.collective) else {
        return kernel::page::render_invalid(&collective_page(&state, &user, c, CollectiveInput { notice: Some(msg::COLLECTIVE_NOT_SET), ..CollectiveInput::default() }).await?);
    };
    match service::save_headcounts(&state.db, &meta.actor(&user), &c, rules.level, &pairs).await? {
        Ok(_) => Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/{id}/giai-tap-the?tb=headcounts_saved#so-doi-tuong")).into_response()),
        Err(headcount_errors) => {
            kernel::page::render_invalid(&collective_page(&state, &user, c, CollectiveInput { typed: Some(&pairs), headcount_errors, ..CollectiveInput::default() }).await?)
        }
    }
}

/// `POST /cuoc-thi/quan-ly/{id}/cong-bo-giai-tap-the`: publishes the collective prizes on the
/// contest's public results page (once every published round's results are published).
pub async fn publish_collective(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManageContests)?;
    let p = user.principal();
    let c = service::visible_contest(&state.db, &p, id).await?;
    match service::publish_collective(&state.db, &meta.actor(&user), p.account.id, &c, kernel::now()).await? {
        Ok(_) => Ok(Redirect::to(&format!("/cuoc-thi/quan-ly/{id}/giai-tap-the?tb=collective_published")).into_response()),
        Err(m) => {
            let mut page = kernel::page::render_invalid(&collective_page(&state, &user, c, CollectiveInput { notice: Some(m), ..CollectiveInput::default() }).await?)?;
            *page.status_mut() = StatusCode::CONFLICT;
            Ok(page)
        }
    }
}
