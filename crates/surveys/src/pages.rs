//! Officers' survey pages: the list, creating (blank or from a template), the draft editor with
//! its question builder (a plain server-rendered form), publishing, closing, new versions,
//! paper entry, results with charts and text search, exports, the QR code and the poster.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{Layout, ReqMeta, clean, render, render_invalid, today};
use kernel::state::AppState;
use serde::Deserialize;

use crate::msg;
use crate::rules::definition::{self, Condition, Definition, Question, QuestionKind};
use crate::rules::tally::percent;
use crate::service::{self, Refusal, Submission};
use crate::store::{self, Survey, SurveyMeta};

/// Validation errors by field id (question fields are named after their key or row), shown in
/// the kernel's error summary and beside each field.
#[derive(Clone, Debug, Default)]
pub struct Errors(pub BTreeMap<String, Vec<String>>);

impl Errors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_default().push(message.into());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }
    pub fn get(&self, field: &str) -> String {
        self.0.get(field).map(|v| v.join(" ")).unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    #[serde(default)]
    pub tb: Option<String>,
}

fn layout(user: &CurrentUser, title: impl Into<String>, flash: Option<&str>) -> Layout {
    Layout::for_user(user, title, "surveys").with_flash_from(flash, msg::flash)
}

fn get<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("")
}

// ---------------------------------------------------------------- list

pub struct Row {
    pub href: String,
    pub title: String,
    pub owner: String,
    pub audience: String,
    pub version: i64,
    pub status: &'static str,
    pub responses: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "surveys/index.html")]
struct IndexPage {
    l: Layout,
    rows: Vec<Row>,
    can_manage: bool,
    templates: Vec<Choice>,
    audiences: Vec<Choice>,
}

/// `GET /phieu-khao-sat`.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    user.require(Action::ViewSurveys)?;
    let pattern = user.scope.like_pattern();
    let counts: BTreeMap<i64, i64> = store::response_counts(&state.db, &pattern).await?.into_iter().collect();
    let surveys = store::list(&state.db, &pattern).await?;
    // One row per family: its latest version, with the family's responses.
    let mut seen = std::collections::BTreeSet::new();
    let mut rows = Vec::new();
    let mut family_total: BTreeMap<i64, i64> = BTreeMap::new();
    for s in &surveys {
        *family_total.entry(s.family_id).or_default() += counts.get(&s.id).copied().unwrap_or(0);
    }
    let mut latest: Vec<&Survey> = surveys.iter().collect();
    latest.sort_by_key(|s| std::cmp::Reverse(s.version));
    for s in latest {
        if seen.insert(s.family_id) {
            rows.push((s.created_at, Row {
                href: format!("/phieu-khao-sat/{}", s.id), title: s.title.clone(), owner: s.unit_name.clone(), audience: service::audience_label(s),
                version: s.version, status: service::status_label(&s.status), responses: text_vi::format_int(family_total.get(&s.family_id).copied().unwrap_or(0)),
            }));
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let templates = service::templates()?.iter().map(|t| Choice { value: t.code.clone(), label: t.title.clone(), checked: false }).collect();
    render(&IndexPage {
        l: layout(&user, "Khảo sát", q.tb.as_deref()),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        can_manage: user.role.allows(Action::ManageSurveys),
        templates,
        audiences: audience_choices(&state, &user, None).await?,
    })
}

/// The audiences an officer may pick: the whole public, or one commune of the account's unit
/// (or the account's commune itself).
async fn audience_choices(state: &AppState, user: &CurrentUser, picked: Option<i64>) -> AppResult<Vec<Choice>> {
    let mut out = vec![Choice { value: String::new(), label: "Toàn bộ người dân".into(), checked: picked.is_none() }];
    for u in audience_units(state, user).await? {
        out.push(Choice { checked: picked == Some(u.id), value: u.id.to_string(), label: u.name });
    }
    Ok(out)
}

async fn audience_units(state: &AppState, user: &CurrentUser) -> AppResult<Vec<kernel::db::units::Unit>> {
    let unit = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    if unit.level == "province" {
        Ok(kernel::db::units::children(&state.db, Some(unit.id), Some(today())).await?.into_iter().filter(|u| u.level != "village").collect())
    } else {
        Ok(vec![unit])
    }
}

// ---------------------------------------------------------------- settings (meta)

/// The settings fields as typed.
#[derive(Clone, Debug, Default)]
pub struct MetaForm {
    pub title: String,
    pub description: String,
    pub audience: String,
    pub opens_on: String,
    pub closes_on: String,
    pub one_per_device: bool,
    pub pow: bool,
    pub contact_details: bool,
}

impl MetaForm {
    fn of(s: &Survey) -> MetaForm {
        MetaForm {
            title: s.title.clone(), description: s.description.clone(), audience: s.audience_unit_id.map(|u| u.to_string()).unwrap_or_default(),
            opens_on: kernel::page::fmt_date(s.opens_on), closes_on: kernel::page::fmt_date(s.closes_on),
            one_per_device: s.one_per_device, pow: s.pow, contact_details: s.contact_details,
        }
    }

    fn read(pairs: &[(String, String)]) -> MetaForm {
        MetaForm {
            title: clean(get(pairs, "title")), description: clean(get(pairs, "description")), audience: get(pairs, "audience").trim().to_string(),
            opens_on: get(pairs, "opens_on").trim().to_string(), closes_on: get(pairs, "closes_on").trim().to_string(),
            one_per_device: !get(pairs, "one_per_device").is_empty(), pow: !get(pairs, "pow").is_empty(), contact_details: !get(pairs, "contact_details").is_empty(),
        }
    }

    /// The settings, or the errors by field.
    async fn check(&self, state: &AppState, user: &CurrentUser, errors: &mut Errors) -> AppResult<SurveyMeta> {
        if self.title.is_empty() {
            errors.add("title", msg::TITLE_REQUIRED);
        } else if self.title.chars().count() > 300 {
            errors.add("title", msg::TITLE_TOO_LONG);
        }
        if self.description.chars().count() > 4000 {
            errors.add("description", msg::DESCRIPTION_TOO_LONG);
        }
        let date = |s: &str, field: &'static str, errors: &mut Errors| {
            if s.is_empty() {
                return None;
            }
            match text_vi::parse_date(s) {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(field, msg::DATE_FORMAT);
                    None
                }
            }
        };
        let opens_on = date(&self.opens_on, "opens_on", errors);
        let closes_on = date(&self.closes_on, "closes_on", errors);
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            errors.add("closes_on", msg::CLOSES_BEFORE_OPENS);
        }
        let audience_unit_id = if self.audience.is_empty() {
            None
        } else {
            let allowed = audience_units(state, user).await?;
            match self.audience.parse::<i64>().ok().filter(|id| allowed.iter().any(|u| u.id == *id)) {
                Some(id) => Some(id),
                None => {
                    errors.add("audience", msg::AUDIENCE_UNKNOWN);
                    None
                }
            }
        };
        Ok(SurveyMeta {
            title: self.title.clone(), description: self.description.clone(), audience_unit_id, opens_on, closes_on,
            one_per_device: self.one_per_device, pow: self.pow, contact_details: self.contact_details,
        })
    }
}

#[derive(Template)]
#[template(path = "surveys/new.html")]
struct NewPage {
    l: Layout,
    f: MetaForm,
    audiences: Vec<Choice>,
    errors: Errors,
}

/// `GET /phieu-khao-sat/moi`.
pub async fn new_page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManageSurveys)?;
    render(&NewPage { l: layout(&user, "Tạo phiếu khảo sát", None), audiences: audience_choices(&state, &user, None).await?, f: MetaForm::default(), errors: Errors::default() })
}

/// `POST /phieu-khao-sat/moi`: a blank draft, then its editor.
pub async fn create(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageSurveys)?;
    let f = MetaForm::read(&pairs);
    let mut errors = Errors::default();
    let m = f.check(&state, &user, &mut errors).await?;
    if !errors.is_empty() {
        let picked = f.audience.parse().ok();
        return render_invalid(&NewPage { l: layout(&user, "Tạo phiếu khảo sát", None), audiences: audience_choices(&state, &user, picked).await?, f, errors });
    }
    let id = service::create(&state.db, &meta.actor(&user), &user.principal(), &m, None).await?;
    Ok(Redirect::to(&format!("/phieu-khao-sat/{id}?tb=survey_saved")).into_response())
}

/// `POST /phieu-khao-sat/tu-mau`: a draft with a template's questions, title and introduction.
pub async fn from_template(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    user.require(Action::ManageSurveys)?;
    let code = get(&pairs, "template");
    let t = service::templates()?.iter().find(|t| t.code == code).ok_or_else(|| AppError::BadRequest(msg::TEMPLATE_UNKNOWN.into()))?;
    let f = MetaForm { title: t.title.clone(), description: t.description.clone(), audience: get(&pairs, "audience").trim().to_string(), ..Default::default() };
    let mut errors = Errors::default();
    let m = f.check(&state, &user, &mut errors).await?;
    if let Some(e) = errors.0.values().flatten().next() {
        return Err(AppError::BadRequest(e.clone()));
    }
    let id = service::create(&state.db, &meta.actor(&user), &user.principal(), &m, Some(&t.code)).await?;
    Ok(Redirect::to(&format!("/phieu-khao-sat/{id}?tb=survey_saved")).into_response())
}

// ---------------------------------------------------------------- the survey page and editor

/// One row of the question builder, as typed.
#[derive(Clone, Debug, Default)]
pub struct QRow {
    pub i: usize,
    pub key: String,
    pub text: String,
    pub help: String,
    pub kind: String,
    pub required: bool,
    pub options: String,
    pub min: String,
    pub max: String,
    pub cond_key: String,
    pub cond_op: String,
    pub cond_value: String,
}

impl QRow {
    fn of(i: usize, q: &Question) -> QRow {
        QRow {
            i, key: q.key.clone(), text: q.text.clone(), help: q.help.clone(), kind: q.kind.as_str().into(), required: q.required,
            options: q.options.join("\n"), min: q.min.map(definition::format_number).unwrap_or_default(), max: q.max.map(definition::format_number).unwrap_or_default(),
            cond_key: q.show_if.as_ref().map(|c| c.key().to_string()).unwrap_or_default(),
            cond_op: q.show_if.as_ref().map(|c| c.op().to_string()).unwrap_or_default(),
            cond_value: q.show_if.as_ref().map(Condition::operand).unwrap_or_default(),
        }
    }

    fn blank(i: usize) -> QRow {
        QRow { i, kind: "satisfaction".into(), ..Default::default() }
    }

    fn is_blank(&self) -> bool {
        self.key.is_empty() && self.text.is_empty() && self.options.is_empty() && self.help.is_empty()
    }

    pub fn field(&self) -> String {
        format!("q{}", self.i)
    }
}

/// Blank rows offered under the questions to add new ones.
const BLANK_ROWS: usize = 3;
/// Most builder rows read from one form.
const MAX_ROWS: usize = definition::MAX_QUESTIONS + BLANK_ROWS;

/// Reads the builder's rows (`k0`, `t0`, `y0` … per row).
fn read_rows(pairs: &[(String, String)]) -> Vec<QRow> {
    let mut rows: BTreeMap<usize, QRow> = BTreeMap::new();
    for (name, value) in pairs {
        let split = name.find(|c: char| c.is_ascii_digit()).map(|at| name.split_at(at));
        let Some((field, idx)) = split else { continue };
        let Ok(i) = idx.parse::<usize>() else { continue };
        if i >= MAX_ROWS {
            continue;
        }
        let r = rows.entry(i).or_insert_with(|| QRow { i, ..Default::default() });
        match field {
            "k" => r.key = value.trim().to_string(),
            "t" => r.text = clean(value),
            "h" => r.help = clean(value),
            "y" => r.kind = value.trim().to_string(),
            "r" => r.required = !value.is_empty(),
            "o" => r.options = text_vi::clean_input(value),
            "mn" => r.min = value.trim().to_string(),
            "mx" => r.max = value.trim().to_string(),
            "ck" => r.cond_key = value.trim().to_string(),
            "co" => r.cond_op = value.trim().to_string(),
            "cv" => r.cond_value = clean(value),
            _ => {}
        }
    }
    rows.into_values().collect()
}

/// The questionnaire typed in the builder, or errors by row field (`q3`).
fn rows_to_definition(rows: &[QRow], errors: &mut Errors) -> Definition {
    let kept: Vec<&QRow> = rows.iter().filter(|r| !r.is_blank()).collect();
    let explicit: Vec<String> = kept.iter().map(|r| r.key.clone()).filter(|k| !k.is_empty()).collect();
    let mut taken = explicit.clone();
    let mut questions = Vec::new();
    let mut row_of = Vec::new();
    for r in &kept {
        let field = r.field();
        let kind = match QuestionKind::parse(&r.kind) {
            Some(k) => k,
            None => {
                errors.add(&field, msg::KIND_UNKNOWN);
                QuestionKind::ShortText
            }
        };
        let key = if r.key.is_empty() {
            let k = definition::key_from_text(&r.text, &taken);
            taken.push(k.clone());
            k
        } else {
            r.key.clone()
        };
        let number = |s: &str, errors: &mut Errors| {
            if s.is_empty() {
                None
            } else {
                let v = definition::parse_number(s);
                if v.is_none() {
                    errors.add(&field, msg::BOUNDS_INVALID);
                }
                v
            }
        };
        let (min, max) = if kind == QuestionKind::Number { (number(&r.min, errors), number(&r.max, errors)) } else { (None, None) };
        let options = if matches!(kind, QuestionKind::SingleChoice | QuestionKind::MultipleChoice) {
            r.options.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
        } else {
            Vec::new()
        };
        let show_if = match Condition::from_parts(&r.cond_key, &r.cond_op, &r.cond_value) {
            Ok(c) => c,
            Err(m) => {
                errors.add(&field, m);
                None
            }
        };
        questions.push(Question { key, text: r.text.clone(), help: r.help.clone(), kind, required: r.required, options, min, max, show_if });
        row_of.push(field);
    }
    let def = Definition { questions };
    for e in def.check() {
        match e.index.and_then(|i| row_of.get(i)) {
            Some(field) => errors.add(field.clone(), e.message),
            // "no questions" is for publishing; a draft may be saved empty.
            None if e.message == msg::NO_QUESTIONS => {}
            None => errors.add("questions", e.message),
        }
    }
    def
}

pub struct ShownQuestion {
    pub n: usize,
    pub key: String,
    pub text: String,
    pub help: String,
    pub kind: &'static str,
    pub required: bool,
    pub options: String,
    pub condition: String,
}

#[derive(Template)]
#[template(path = "surveys/show.html")]
struct ShowPage {
    l: Layout,
    s: Survey,
    status: &'static str,
    audience: String,
    dates: String,
    editable: bool,
    is_owner: bool,
    can_enter: bool,
    f: MetaForm,
    audiences: Vec<Choice>,
    rows: Vec<QRow>,
    kinds: Vec<Choice>,
    ops: Vec<Choice>,
    questions: Vec<ShownQuestion>,
    versions: Vec<(i64, String, String)>,
    public_url: String,
    /// The same link as a path of this site (followed in the browser whatever the base URL).
    public_path: String,
    qr: String,
    template_note: Option<String>,
    errors: Errors,
}

fn shown_questions(def: &Definition) -> Vec<ShownQuestion> {
    def.questions
        .iter()
        .enumerate()
        .map(|(n, q)| ShownQuestion {
            n: n + 1, key: q.key.clone(), text: q.text.clone(), help: q.help.clone(), kind: q.kind.label(), required: q.required,
            options: match q.kind {
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice | QuestionKind::Satisfaction => q.choices().join(" · "),
                QuestionKind::Number => match (q.min, q.max) {
                    (Some(a), Some(b)) => format!("từ {} đến {}", definition::format_number(a), definition::format_number(b)),
                    (Some(a), None) => format!("từ {}", definition::format_number(a)),
                    (None, Some(b)) => format!("đến {}", definition::format_number(b)),
                    _ => String::new(),
                },
                _ => String::new(),
            },
            condition: q.show_if.as_ref().map(|c| c.describe(&def.question(c.key()).map(|p| p.text.clone()).unwrap_or_default())).unwrap_or_default(),
        })
        .collect()
}

fn kinds(picked: &str) -> Vec<Choice> {
    QuestionKind::ALL.iter().map(|k| Choice { value: k.as_str().into(), label: k.label().into(), checked: k.as_str() == picked }).collect()
}

const OPS: [(&str, &str); 5] = [
    ("equals", "trả lời là (nhiều phương án cách nhau bởi |)"),
    ("includes", "có chọn"),
    ("at_least", "từ số"),
    ("at_most", "không quá số"),
    ("answered", "đã được trả lời"),
];

pub fn public_url(state: &AppState, s: &Survey) -> String {
    format!("{}/khao-sat/{}", state.config.base_url.trim_end_matches('/'), s.public_token)
}

/// The QR code of a text as an SVG (black modules on white, a quiet zone, scalable).
/// An SVG document without its XML declaration, to be placed inside an HTML page.
pub fn inline_svg(svg: &str) -> String {
    match svg.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(svg, |(_, body)| body).trim_start().to_string(),
        None => svg.to_string(),
    }
}

pub fn qr_svg(text: &str) -> String {
    documents::qr_svg(text)
}

async fn show_page(state: &AppState, user: &CurrentUser, s: Survey, flash: Option<&str>, typed: Option<(MetaForm, Vec<QRow>)>, errors: Errors) -> AppResult<ShowPage> {
    let p = user.principal();
    let is_owner = service::is_owner(&p, &s);
    let editable = is_owner && s.status == "draft";
    let def = store::questions(&state.db, s.id).await?;
    let (f, mut rows) = match typed {
        Some(t) => t,
        None => (MetaForm::of(&s), def.questions.iter().enumerate().map(|(i, q)| QRow::of(i, q)).collect()),
    };
    if editable {
        let next = rows.iter().map(|r| r.i + 1).max().unwrap_or(0);
        rows.retain(|r| !r.is_blank());
        rows.extend((next..next + BLANK_ROWS).map(QRow::blank));
    }
    let versions = store::family(&state.db, s.family_id)
        .await?
        .into_iter()
        .map(|v| (v.id, format!("Phiên bản {}", v.version), service::status_label(&v.status).to_string()))
        .collect();
    let url = public_url(state, &s);
    let template_note = s.template_code.as_deref().and_then(|c| service::templates().ok()?.iter().find(|t| t.code == c)).map(|t| {
        format!("Tạo từ mẫu «{}» — nội dung mẫu {}: {}", t.title, t.certainty_label(), t.basis.join("; "))
    });
    let picked = f.audience.parse().ok();
    Ok(ShowPage {
        l: layout(user, s.title.clone(), flash),
        status: service::status_label(&s.status),
        audience: service::audience_label(&s),
        dates: kernel::page::validity(s.opens_on, s.closes_on),
        editable,
        is_owner,
        can_enter: service::can_enter(&p, &s) && s.status == "published",
        audiences: if editable { audience_choices(state, user, picked).await? } else { Vec::new() },
        f,
        rows,
        kinds: kinds(""),
        ops: OPS.iter().map(|(v, l)| Choice { value: (*v).into(), label: (*l).into(), checked: false }).collect(),
        questions: shown_questions(&def),
        versions,
        qr: if s.status == "draft" { String::new() } else { inline_svg(&qr_svg(&url)) },
        public_url: url,
        public_path: format!("/khao-sat/{}", s.public_token),
        template_note,
        errors,
        s,
    })
}

/// `GET /phieu-khao-sat/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let s = service::visible(&state.db, &user.principal(), id).await?;
    render(&show_page(&state, &user, s, q.tb.as_deref(), None, Errors::default()).await?)
}

/// `POST /phieu-khao-sat/{id}`: saves a draft's settings and questions (and publishes it when
/// asked); a failed save shows everything as typed.
pub async fn save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let s = service::owned(&state.db, &user.principal(), id).await?;
    if s.status != "draft" {
        return Err(AppError::BadRequest(msg::NOT_DRAFT.into()));
    }
    let f = MetaForm::read(&pairs);
    let rows = read_rows(&pairs);
    let mut errors = Errors::default();
    let m = f.check(&state, &user, &mut errors).await?;
    let def = rows_to_definition(&rows, &mut errors);
    let publish = get(&pairs, "action") == "publish";
    if publish && def.questions.is_empty() {
        errors.add("questions", msg::NO_QUESTIONS);
    }
    if !errors.is_empty() {
        return render_invalid(&show_page(&state, &user, s, None, Some((f, rows)), errors).await?);
    }
    let actor = meta.actor(&user);
    service::save_draft(&state.db, &actor, &s, &m, &def).await?;
    if publish {
        let s = store::get(&state.db, id).await?;
        service::publish(&state.db, &actor, &s).await?;
        return Ok(Redirect::to(&format!("/phieu-khao-sat/{id}?tb=survey_published")).into_response());
    }
    Ok(Redirect::to(&format!("/phieu-khao-sat/{id}?tb=survey_saved")).into_response())
}

/// `POST /phieu-khao-sat/{id}/cong-bo`.
pub async fn publish(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    let s = service::owned(&state.db, &user.principal(), id).await?;
    service::publish(&state.db, &meta.actor(&user), &s).await?;
    Ok(Redirect::to(&format!("/phieu-khao-sat/{id}?tb=survey_published")).into_response())
}

/// `POST /phieu-khao-sat/{id}/dong`.
pub async fn close(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    let s = service::owned(&state.db, &user.principal(), id).await?;
    service::close(&state.db, &meta.actor(&user), &s).await?;
    Ok(Redirect::to(&format!("/phieu-khao-sat/{id}?tb=survey_closed")).into_response())
}

/// `POST /phieu-khao-sat/{id}/phien-ban-moi`.
pub async fn new_version(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    let s = service::owned(&state.db, &user.principal(), id).await?;
    if s.status == "draft" {
        return Err(AppError::BadRequest(msg::NOT_PUBLISHED.into()));
    }
    let new = service::new_version(&state.db, &meta.actor(&user), &user.principal(), &s).await?;
    Ok(Redirect::to(&format!("/phieu-khao-sat/{new}?tb=survey_new_version")).into_response())
}

// ---------------------------------------------------------------- answering (shared with the public page)

pub struct AskChoice {
    pub id: String,
    pub value: String,
    pub checked: bool,
}

/// One question as asked on the answering form.
pub struct Ask {
    pub n: usize,
    pub id: String,
    pub name: String,
    pub text: String,
    pub help: String,
    pub kind: &'static str,
    pub required: bool,
    pub choices: Vec<AskChoice>,
    pub value: String,
    pub error: String,
    pub note: String,
    pub cond_key: String,
    pub cond_op: String,
    pub cond_value: String,
    pub maxlength: usize,
}

/// The questions to ask with what was typed and the errors, by question key.
pub fn asks(def: &Definition, typed: &crate::rules::RawAnswers, errors: &BTreeMap<String, String>) -> Vec<Ask> {
    def.questions
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let values = typed.get(&q.key).cloned().unwrap_or_default();
            let id = format!("a_{}", q.key);
            Ask {
                n: n + 1,
                choices: q.choices().into_iter().enumerate().map(|(j, c)| AskChoice { id: format!("{id}_{j}"), checked: values.contains(&c), value: c }).collect(),
                value: values.first().cloned().unwrap_or_default(),
                error: errors.get(&q.key).cloned().unwrap_or_default(),
                note: q.show_if.as_ref().map(|c| c.describe(&def.question(c.key()).map(|p| p.text.clone()).unwrap_or_default())).unwrap_or_default(),
                cond_key: q.show_if.as_ref().map(|c| c.key().to_string()).unwrap_or_default(),
                cond_op: match &q.show_if {
                    Some(Condition::OneOf { .. }) => "one_of".into(),
                    Some(c) => c.op().into(),
                    None => String::new(),
                },
                cond_value: match &q.show_if {
                    Some(Condition::OneOf { options, .. }) => options.join("|"),
                    Some(Condition::AtLeast { value, .. } | Condition::AtMost { value, .. }) => value.to_string(),
                    Some(c) => c.operand(),
                    None => String::new(),
                },
                maxlength: if q.kind == QuestionKind::ShortText { definition::MAX_SHORT_TEXT } else { definition::MAX_LONG_TEXT },
                name: id.clone(),
                id,
                text: q.text.clone(),
                help: q.help.clone(),
                kind: q.kind.as_str(),
                required: q.required,
            }
        })
        .collect()
}

/// The answers, commune and contact of an answering form (`a_<key>` fields).
pub fn read_submission(pairs: &[(String, String)]) -> Submission {
    let mut sub = Submission::default();
    for (k, v) in pairs {
        if let Some(key) = k.strip_prefix("a_") {
            sub.raw.entry(key.to_string()).or_default().push(v.clone());
        }
    }
    sub.commune = get(pairs, "commune").to_string();
    sub.contact = get(pairs, "contact").to_string();
    sub
}

/// Errors of a refused submission for the error summary (field ids) and per question.
pub fn refusal_errors(questions: &BTreeMap<String, String>, commune: Option<&str>, contact: Option<&str>) -> Errors {
    let mut e = Errors::default();
    if let Some(m) = commune {
        e.add("commune", m);
    }
    for (k, m) in questions {
        e.add(format!("a_{k}"), m.clone());
    }
    if let Some(m) = contact {
        e.add("contact", m);
    }
    e
}

// ---------------------------------------------------------------- paper entry

#[derive(Template)]
#[template(path = "surveys/paper.html")]
struct PaperPage {
    l: Layout,
    s: Survey,
    asks: Vec<Ask>,
    communes: Vec<Choice>,
    contact: String,
    errors: Errors,
    notice: Option<&'static str>,
}

async fn commune_choices(state: &AppState, s: &Survey, picked: &str) -> AppResult<Vec<Choice>> {
    let mut out: Vec<Choice> = service::communes_for(&state.db, s)
        .await?
        .into_iter()
        .map(|u| Choice { checked: u.id.to_string() == picked, value: u.id.to_string(), label: u.name })
        .collect();
    if !out.is_empty() {
        // A survey that counts per commune needs one: no "unknown" choice then.
        let label = if s.commune_required() { "(chọn xã, phường)" } else { "(không rõ)" };
        out.insert(0, Choice { value: String::new(), label: label.into(), checked: picked.is_empty() });
    }
    Ok(out)
}

async fn entered(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Survey> {
    user.require(Action::ManageSurveys)?;
    let s = service::visible(&state.db, &user.principal(), id).await?;
    if !service::can_enter(&user.principal(), &s) {
        return Err(AppError::Forbidden);
    }
    Ok(s)
}

/// `GET /phieu-khao-sat/{id}/nhap-phieu`.
pub async fn paper_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let s = entered(&state, &user, id).await?;
    let def = store::questions(&state.db, s.id).await?;
    let notice = service::accepting(&s, today()).err();
    render(&PaperPage {
        l: layout(&user, format!("Nhập phiếu giấy: {}", s.title), q.tb.as_deref()),
        asks: asks(&def, &Default::default(), &BTreeMap::new()),
        communes: commune_choices(&state, &s, "").await?,
        contact: String::new(),
        errors: Errors::default(),
        notice,
        s,
    })
}

/// `POST /phieu-khao-sat/{id}/nhap-phieu`: one paper response, validated like an online one.
pub async fn paper_save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let s = entered(&state, &user, id).await?;
    let def = store::questions(&state.db, s.id).await?;
    let sub = read_submission(&pairs);
    let actor = meta.actor(&user);
    let res = service::submit(&state.db, &s, &def, &sub, service::Channel::Paper { actor: &actor, account_id: user.account.id }, today()).await;
    let (errors, notice) = match res {
        Ok(_) => return Ok(Redirect::to(&format!("/phieu-khao-sat/{id}/nhap-phieu?tb=paper_saved")).into_response()),
        Err(Refusal::Invalid { questions, commune, contact }) => (refusal_errors(&questions, commune, contact), None),
        Err(Refusal::Closed(m)) => (Errors::default(), Some(m)),
        Err(Refusal::Failed(e)) => return Err(e),
        Err(_) => return Err(AppError::BadRequest(msg::NOT_PUBLISHED.into())),
    };
    let typed_q: BTreeMap<String, String> = errors.0.iter().filter_map(|(k, v)| Some((k.strip_prefix("a_")?.to_string(), v.join(" ")))).collect();
    render_invalid(&PaperPage {
        l: layout(&user, format!("Nhập phiếu giấy: {}", s.title), None),
        asks: asks(&def, &sub.raw, &typed_q),
        communes: commune_choices(&state, &s, sub.commune.trim()).await?,
        contact: sub.contact.clone(),
        errors,
        notice,
        s,
    })
}

// ---------------------------------------------------------------- results

#[derive(Deserialize, Default)]
pub struct ResultsQuery {
    #[serde(default)]
    pub xa: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
}

pub struct ResultBlock {
    pub n: usize,
    pub text: String,
    pub kind: &'static str,
    pub answered: String,
    pub chart: String,
    pub rows: Vec<(String, String, String)>,
    pub summary: String,
}

pub struct TextAnswer {
    pub question: String,
    pub text: String,
    pub when: String,
    pub unit: String,
    pub contact: String,
}

#[derive(Template)]
#[template(path = "surveys/results.html")]
struct ResultsPage {
    l: Layout,
    s: Survey,
    responses: String,
    communes: Vec<Choice>,
    q: String,
    blocks: Vec<ResultBlock>,
    texts: Vec<TextAnswer>,
    has_text_questions: bool,
    show_contacts: bool,
    export_query: String,
}

fn pct(v: f64) -> String {
    format!("{}%", text_vi::format_decimal(v, 1))
}

/// `GET /phieu-khao-sat/{id}/ket-qua`: counts and shares per question as SVG charts, for all
/// communes or one; free-text answers listed and searched without diacritics.
pub async fn results(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(rq): Query<ResultsQuery>) -> AppResult<Response> {
    let s = service::visible(&state.db, &user.principal(), id).await?;
    let def = store::questions(&state.db, s.id).await?;
    let xa = rq.xa.as_deref().unwrap_or("").trim().to_string();
    let unit = xa.parse::<i64>().ok();
    let t = service::tallies(&state.db, &s, &def, unit).await?;
    let mut blocks = Vec::new();
    for (n, q) in t.questions.iter().enumerate() {
        let mut rows = Vec::new();
        let mut chart = String::new();
        let mut summary = String::new();
        if q.kind.has_options() {
            let bars: Vec<documents::svg::Bar> = q.options.iter().map(|(o, c)| documents::svg::Bar {
                label: o.clone(), value: *c as f64, note: Some(format!("{} ({})", text_vi::format_int(*c as i64), pct(q.percent(*c)))),
            }).collect();
            chart = documents::svg::bar_chart(&q.text, &bars, None);
            rows = q.options.iter().map(|(o, c)| (o.clone(), text_vi::format_int(*c as i64), pct(q.percent(*c)))).collect();
            if let Some((sat, of)) = q.satisfaction() {
                summary = format!("Tỷ lệ hài lòng (Rất hài lòng + Hài lòng): {} ({} / {} phiếu trả lời câu này).", pct(percent(sat, of)), text_vi::format_int(sat as i64), text_vi::format_int(of as i64));
            }
        } else if let Some(mean) = q.mean() {
            summary = format!(
                "Trung bình {}; nhỏ nhất {}; lớn nhất {}.",
                definition::format_number((mean * 100.0).round() / 100.0),
                q.min.map(definition::format_number).unwrap_or_default(),
                q.max.map(definition::format_number).unwrap_or_default()
            );
        }
        blocks.push(ResultBlock {
            n: n + 1, text: q.text.clone(), kind: q.kind.label(), answered: text_vi::format_int(q.answered as i64), chart, rows, summary,
        });
    }
    let search = rq.q.as_deref().map(clean).unwrap_or_default();
    let like = kernel::db::like_contains(&search);
    let contacts = service::sees_contacts(&user.principal(), &s);
    let mut texts = Vec::new();
    let text_keys: Vec<&Question> = def.questions.iter().filter(|q| q.kind.is_text()).collect();
    for r in store::text_matches(&state.db, s.family_id, unit, &like, 200).await? {
        let answers = r.parsed();
        let folded = text_vi::fold(&search);
        for q in &text_keys {
            if let Some(crate::rules::Answer::Text(t)) = answers.get(&q.key)
                && (search.is_empty() || text_vi::fold(t).contains(&folded))
            {
                texts.push(TextAnswer {
                    question: q.text.clone(), text: t.clone(), when: text_vi::format_datetime(r.created_at), unit: r.unit_name.clone().unwrap_or_default(),
                    contact: if contacts { r.contact.clone().unwrap_or_default() } else { String::new() },
                });
            }
        }
    }
    let mut communes = vec![Choice { value: String::new(), label: "Tất cả".into(), checked: unit.is_none() }];
    for (uid, name, n) in store::communes_answered(&state.db, s.family_id).await? {
        communes.push(Choice { checked: unit == Some(uid), value: uid.to_string(), label: format!("{name} ({})", text_vi::format_int(n)) });
    }
    render(&ResultsPage {
        l: layout(&user, format!("Kết quả: {}", s.title), None),
        responses: text_vi::format_int(t.responses as i64),
        communes,
        export_query: if xa.is_empty() { String::new() } else { format!("?xa={xa}") },
        q: search,
        blocks,
        texts,
        has_text_questions: !text_keys.is_empty(),
        show_contacts: contacts && s.contact_details,
        s,
    })
}

// ---------------------------------------------------------------- exports, QR, poster

/// `GET /phieu-khao-sat/{id}/ket-qua.csv`.
pub async fn export_csv(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(rq): Query<ResultsQuery>) -> AppResult<Response> {
    let s = service::visible(&state.db, &user.principal(), id).await?;
    let unit = rq.xa.as_deref().and_then(|x| x.trim().parse().ok());
    crate::export::csv_response(&state.db, &s, unit, service::sees_contacts(&user.principal(), &s)).await
}

/// `GET /phieu-khao-sat/{id}/ket-qua.xlsx`.
pub async fn export_xlsx(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(rq): Query<ResultsQuery>) -> AppResult<Response> {
    let s = service::visible(&state.db, &user.principal(), id).await?;
    let unit = rq.xa.as_deref().and_then(|x| x.trim().parse().ok());
    crate::export::xlsx_response(&state.db, &s, unit, service::sees_contacts(&user.principal(), &s)).await
}

/// `GET /phieu-khao-sat/{id}/ma-qr.svg`: the public link's QR code.
pub async fn qr(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let s = service::visible(&state.db, &user.principal(), id).await?;
    if s.status == "draft" {
        return Err(AppError::BadRequest(msg::NOT_PUBLISHED.into()));
    }
    let svg = qr_svg(&public_url(&state, &s));
    Ok(kernel::page::attachment("image/svg+xml", &format!("ma-qr-khao-sat-{}.svg", s.id), svg.into_bytes()))
}

/// `GET /phieu-khao-sat/{id}/ap-phich.pdf`: an A4 poster with the title, the introduction, the
/// QR code and the link, to print and post at the commune office.
pub async fn poster(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let s = service::visible(&state.db, &user.principal(), id).await?;
    if s.status == "draft" {
        return Err(AppError::BadRequest(msg::NOT_PUBLISHED.into()));
    }
    let url = public_url(&state, &s);
    let poster = documents::Poster {
        heading: "KHẢO SÁT Ý KIẾN NGƯỜI DÂN".into(),
        issuer: s.unit_name.clone(),
        title: s.title.clone(),
        body: s.description.clone(),
        qr_svg: qr_svg(&url),
        link: url,
        footer: match (s.closes_on, s.audience_name.as_deref()) {
            (Some(d), Some(a)) => format!("Dành cho người dân {a}. Nhận ý kiến đến hết ngày {}.", text_vi::format_date(d)),
            (Some(d), None) => format!("Nhận ý kiến đến hết ngày {}.", text_vi::format_date(d)),
            (None, Some(a)) => format!("Dành cho người dân {a}."),
            (None, None) => String::new(),
        } + " Phiếu không ghi tên người trả lời.",
    };
    let bytes = kernel::page::typeset(&state, move || documents::poster_pdf(&poster).map_err(|e| match e {
        documents::PdfError::NoFont => AppError::Unavailable(e.to_string()),
        other => AppError::Internal(other.to_string()),
    })).await?;
    Ok(kernel::page::attachment("application/pdf", &format!("ap-phich-khao-sat-{}.pdf", s.id), bytes))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn builder_rows_become_a_questionnaire_or_errors_by_row() {
        let p = pairs(&[
            ("t0", "Mức độ hài lòng chung"), ("y0", "satisfaction"), ("r0", "1"),
            ("t1", "Vì sao?"), ("y1", "long_text"), ("ck1", "muc_do_hai_long_chung"), ("co1", "equals"), ("cv1", "Không hài lòng | Rất không hài lòng"),
            ("t2", ""), ("y2", "satisfaction"),
        ]);
        let rows = read_rows(&p);
        let mut e = Errors::default();
        let def = rows_to_definition(&rows, &mut e);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(def.questions.len(), 2);
        assert_eq!(def.questions[0].key, "muc_do_hai_long_chung");
        let p = pairs(&[("t0", "Chọn"), ("y0", "single_choice"), ("o0", "chỉ một"), ("t5", "Số"), ("y5", "number"), ("mn5", "x")]);
        let mut e = Errors::default();
        rows_to_definition(&read_rows(&p), &mut e);
        assert!(e.has("q0") && e.has("q5"), "{e:?}");
    }
}
