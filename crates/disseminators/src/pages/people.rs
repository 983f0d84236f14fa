//! The reporters' and propagandists' lists, the form that adds one, a person's record (edit,
//! dismissal, training, the recognition decision file) and the XLSX lists.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use kernel::page::{FieldErrors, Layout, ReqMeta, attachment, render, render_invalid, today};
use kernel::state::AppState;
use serde::Deserialize;

use super::{FlashQuery, field, fmt_day, layout, read_checked, typed_date, typed_int, typed_text};
use crate::rules::criteria;
use crate::rules::kinds::{Kind, Qualification};
use crate::store::{PersonInput, PersonRow, TrainingInput};
use crate::{export, msg, service, store};

// ---------------------------------------------------------------- lists

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub tb: Option<String>,
    /// Serving on this day (dd/mm/yyyy); all entries when absent.
    #[serde(default)]
    pub ngay: Option<String>,
    /// Only this unit and below.
    #[serde(default, rename = "don-vi")]
    pub don_vi: Option<String>,
    /// Search in names (folded).
    #[serde(default)]
    pub q: Option<String>,
}

pub struct PersonItem {
    pub href: String,
    pub name: String,
    pub unit: String,
    pub work: String,
    pub qualification: String,
    pub years: i64,
    pub phone: String,
    pub decision: String,
    pub status: String,
    pub serving: bool,
    pub warning: String,
}

#[derive(Template)]
#[template(path = "disseminators/list.html")]
struct ListPage {
    l: Layout,
    reporter: bool,
    heading: &'static str,
    slug: &'static str,
    items: Vec<PersonItem>,
    show_phone: bool,
    can_add: bool,
    ngay: String,
    q: String,
    don_vi: String,
    export_href: String,
    docx_href: String,
    day_error: String,
}

/// The Art. 35 warning of a reporter, or empty.
pub fn warning_of(row: &PersonRow) -> String {
    if row.kind != Kind::Reporter.as_str() {
        return String::new();
    }
    let Ok(cat) = service::catalogue() else { return String::new() };
    let (Some(c), Some(q)) = (cat.criteria_on(row.decision_on), Qualification::parse(&row.qualification)) else { return String::new() };
    criteria::reporter_warning(c, q, row.experience_years).unwrap_or_default()
}

fn status_of(row: &PersonRow, day: NaiveDate) -> String {
    match row.dismissed_on {
        Some(d) if d <= day => format!("{} từ {}", service::dismissal_label(row.dismissal_kind.as_deref().unwrap_or("")), fmt_day(d)),
        _ if row.decision_on > day => format!("Công nhận từ {}", fmt_day(row.decision_on)),
        _ => "Đang làm nhiệm vụ".into(),
    }
}

/// The rows of a list after its filters; the day the status is read on; the error of a bad day.
async fn filtered(state: &AppState, user: &CurrentUser, kind: Kind, q: &ListQuery) -> AppResult<(Vec<PersonRow>, NaiveDate, String)> {
    let p = user.principal();
    let mut rows = service::people_list(&state.db, &p, kind).await?;
    let mut day = today();
    let mut day_error = String::new();
    let typed_day = q.ngay.as_deref().unwrap_or("").trim();
    if !typed_day.is_empty() {
        match text_vi::parse_date(typed_day) {
            Ok(d) => {
                day = d;
                rows.retain(|r| service::serving(r, d));
            }
            Err(_) => day_error = msg::DATE_FORMAT.into(),
        }
    }
    if let Some(unit_id) = q.don_vi.as_deref().and_then(|s| s.trim().parse::<i64>().ok()) {
        match kernel::db::units::get(&state.db, unit_id).await {
            Ok(u) => rows.retain(|r| r.unit_path.starts_with(&u.path)),
            Err(_) => rows.clear(),
        }
    }
    let needle = text_vi::fold(q.q.as_deref().unwrap_or("").trim());
    if !needle.is_empty() {
        rows.retain(|r| text_vi::fold(&r.full_name).contains(&needle));
    }
    Ok((rows, day, day_error))
}

async fn list(state: AppState, user: CurrentUser, kind: Kind, q: ListQuery) -> AppResult<Response> {
    user.require(Action::ViewDisseminators)?;
    let p = user.principal();
    let (rows, day, day_error) = filtered(&state, &user, kind, &q).await?;
    let show_phone = rows.iter().any(|r| service::shows_phone(&p, r));
    let items = rows
        .iter()
        .map(|r| PersonItem {
            href: format!("/pho-bien/nguoi/{}", r.id),
            name: r.full_name.clone(),
            unit: r.unit_name.clone(),
            work: if kind == Kind::Reporter { [r.position.as_str(), r.agency.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ") } else { r.village.clone() },
            qualification: Qualification::parse(&r.qualification).map(|q| q.label()).unwrap_or("").into(),
            years: r.experience_years,
            phone: if service::shows_phone(&p, r) { r.phone.clone().unwrap_or_default() } else { String::new() },
            decision: format!("{} ngày {}", r.decision_no, fmt_day(r.decision_on)),
            status: status_of(r, day),
            serving: service::serving(r, day),
            warning: warning_of(r),
        })
        .collect();
    let query = serde_urlencoded_pairs(&q);
    render(&ListPage {
        l: layout(&user, if kind == Kind::Reporter { "Báo cáo viên pháp luật" } else { "Tuyên truyền viên pháp luật" }, q.tb.as_deref()),
        reporter: kind == Kind::Reporter,
        heading: if kind == Kind::Reporter { "Báo cáo viên pháp luật" } else { "Tuyên truyền viên pháp luật" },
        slug: kind.slug(),
        items,
        show_phone,
        can_add: service::registry_unit(&state.db, &p, kind).await.is_ok(),
        ngay: q.ngay.clone().unwrap_or_default(),
        q: q.q.clone().unwrap_or_default(),
        don_vi: q.don_vi.clone().unwrap_or_default(),
        export_href: format!("/pho-bien/{}.xlsx{query}", kind.slug()),
        docx_href: format!("/pho-bien/{}.docx{query}", kind.slug()),
        day_error,
    })
}

/// The list's filters again as a query string (for the export link).
fn serde_urlencoded_pairs(q: &ListQuery) -> String {
    let mut parts = Vec::new();
    for (k, v) in [("ngay", &q.ngay), ("don-vi", &q.don_vi), ("q", &q.q)] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            parts.push(format!("{k}={}", url_encode(v)));
        }
    }
    if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// `GET /pho-bien/bao-cao-vien`.
pub async fn reporters(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    list(state, user, Kind::Reporter, q).await
}

/// `GET /pho-bien/tuyen-truyen-vien`.
pub async fn propagandists(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    list(state, user, Kind::Propagandist, q).await
}

async fn xlsx(state: AppState, user: CurrentUser, kind: Kind, q: ListQuery) -> AppResult<Response> {
    user.require(Action::ViewDisseminators)?;
    let p = user.principal();
    let (rows, day, _) = filtered(&state, &user, kind, &q).await?;
    let phones: Vec<bool> = rows.iter().map(|r| service::shows_phone(&p, r)).collect();
    let lines: Vec<export::Line> = rows
        .iter()
        .zip(phones)
        .map(|(r, phone)| export::Line { row: r, status: status_of(r, day), warning: warning_of(r), show_phone: phone })
        .collect();
    let bytes = export::list_xlsx(kind, &lines, day).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("danh-sach-{}-{}.xlsx", kind.slug(), day.format("%d-%m-%Y"));
    Ok(attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name, bytes))
}

/// `GET /pho-bien/bao-cao-vien.xlsx`: the list as shown (same filters).
pub async fn reporters_xlsx(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    xlsx(state, user, Kind::Reporter, q).await
}

/// `GET /pho-bien/tuyen-truyen-vien.xlsx`.
pub async fn propagandists_xlsx(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    xlsx(state, user, Kind::Propagandist, q).await
}

// ---------------------------------------------------------------- the person form

/// The fields of a person as typed.
#[derive(Clone, Debug, Default)]
pub struct PersonForm {
    pub full_name: String,
    pub birth_year: String,
    pub gender: String,
    pub phone: String,
    pub agency: String,
    pub position: String,
    pub qualification: String,
    pub experience_years: String,
    pub village: String,
    pub account: String,
    pub decision_no: String,
    pub decision_on: String,
    pub decision_signer: String,
}

pub struct Opt {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

impl PersonForm {
    fn of(r: &PersonRow) -> PersonForm {
        PersonForm {
            full_name: r.full_name.clone(),
            birth_year: r.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            gender: r.gender.clone(),
            phone: r.phone.clone().unwrap_or_default(),
            agency: r.agency.clone(),
            position: r.position.clone(),
            qualification: r.qualification.clone(),
            experience_years: r.experience_years.to_string(),
            village: r.village.clone(),
            account: r.account_username.clone().unwrap_or_default(),
            decision_no: r.decision_no.clone(),
            decision_on: fmt_day(r.decision_on),
            decision_signer: r.decision_signer.clone(),
        }
    }

    fn read(pairs: &[(String, String)]) -> PersonForm {
        let t = |k: &str| field(pairs, k).to_string();
        PersonForm {
            full_name: t("full_name"),
            birth_year: t("birth_year"),
            gender: t("gender"),
            phone: t("phone"),
            agency: t("agency"),
            position: t("position"),
            qualification: t("qualification"),
            experience_years: t("experience_years"),
            village: t("village"),
            account: t("account"),
            decision_no: t("decision_no"),
            decision_on: t("decision_on"),
            decision_signer: t("decision_signer"),
        }
    }

    /// The input, with every error by field id. The account link is resolved by the caller.
    fn check(&self, kind: Kind, errors: &mut FieldErrors) -> PersonInput {
        let year = chrono::Datelike::year(&today()) as i64;
        let full_name = typed_text(&self.full_name, "full_name", 200, Some(msg::NAME_REQUIRED), errors);
        let birth_year = typed_int(&self.birth_year, "birth_year", 1930, year, msg::BIRTH_YEAR, errors);
        let gender = match self.gender.as_str() {
            "nam" | "nu" => self.gender.clone(),
            _ => String::new(),
        };
        let phone = kernel::page::clean(&self.phone).replace([' ', '.', '-'], "");
        let digits = phone.strip_prefix('+').unwrap_or(&phone);
        if !phone.is_empty() && (!digits.chars().all(|c| c.is_ascii_digit()) || !(8..=15).contains(&digits.len())) {
            errors.add("phone", msg::PHONE);
        }
        let agency = typed_text(&self.agency, "agency", 300, None, errors);
        let position = typed_text(&self.position, "position", 200, None, errors);
        let qualification = match Qualification::parse(&self.qualification) {
            Some(q) => q.as_str().to_string(),
            None if kind == Kind::Propagandist && self.qualification.is_empty() => Qualification::Other.as_str().to_string(),
            None => {
                errors.add("qualification", msg::QUALIFICATION);
                String::new()
            }
        };
        let experience_years = typed_int(&self.experience_years, "experience_years", 0, 60, msg::YEARS, errors).unwrap_or(0);
        let village = typed_text(&self.village, "village", 200, None, errors);
        let decision_no = typed_text(&self.decision_no, "decision_no", 100, Some(msg::DECISION_NO_REQUIRED), errors);
        let decision_on = typed_date(&self.decision_on, "decision_on", true, errors);
        if decision_on.is_some_and(|d| d > today()) {
            errors.add("decision_on", msg::DATE_FUTURE);
        }
        let decision_signer = typed_text(&self.decision_signer, "decision_signer", 200, Some(msg::DECISION_SIGNER_REQUIRED), errors);
        PersonInput {
            full_name,
            birth_year,
            gender,
            phone: (!phone.is_empty()).then_some(phone),
            agency,
            position,
            qualification,
            experience_years,
            village,
            account_id: None,
            decision_no,
            decision_on,
            decision_signer,
        }
    }

    pub fn qualifications(&self) -> Vec<Opt> {
        Qualification::ALL.iter().map(|q| Opt { value: q.as_str(), label: q.label(), selected: self.qualification == q.as_str() }).collect()
    }

    pub fn genders(&self) -> Vec<Opt> {
        [("", "Không ghi"), ("nam", "Nam"), ("nu", "Nữ")].into_iter().map(|(v, l)| Opt { value: v, label: l, selected: self.gender == v }).collect()
    }
}

/// Checks the form and resolves the account link; the input when there is no error.
async fn checked(state: &AppState, user: &CurrentUser, kind: Kind, f: &PersonForm, self_id: Option<i64>, errors: &mut FieldErrors) -> AppResult<PersonInput> {
    let mut input = f.check(kind, errors);
    match service::resolve_account(&state.db, &user.principal(), &f.account, self_id).await? {
        Ok(id) => input.account_id = id,
        Err(m) => errors.add("account", m),
    }
    Ok(input)
}

#[derive(Template)]
#[template(path = "disseminators/new.html")]
struct NewPage {
    l: Layout,
    reporter: bool,
    slug: &'static str,
    unit: String,
    f: PersonForm,
    errors: FieldErrors,
    criteria_note: String,
}

fn criteria_note() -> String {
    service::catalogue().ok().and_then(|c| c.criteria_on(today())).map(|c| format!("{} ({})", c.note, c.legal_basis)).unwrap_or_default()
}

async fn new_page(state: AppState, user: CurrentUser, kind: Kind) -> AppResult<Response> {
    let unit = service::registry_unit(&state.db, &user.principal(), kind).await?;
    render(&NewPage {
        l: layout(&user, format!("Thêm {}", kind.label().to_lowercase()), None),
        reporter: kind == Kind::Reporter,
        slug: kind.slug(),
        unit: unit.name,
        f: PersonForm { experience_years: "0".into(), ..PersonForm::default() },
        errors: FieldErrors::default(),
        criteria_note: criteria_note(),
    })
}

async fn create(state: AppState, user: CurrentUser, meta: ReqMeta, kind: Kind, pairs: Vec<(String, String)>) -> AppResult<Response> {
    let p = user.principal();
    let unit = service::registry_unit(&state.db, &p, kind).await?;
    let f = PersonForm::read(&pairs);
    let mut errors = FieldErrors::default();
    let input = checked(&state, &user, kind, &f, None, &mut errors).await?;
    if !errors.is_empty() {
        return render_invalid(&NewPage {
            l: layout(&user, format!("Thêm {}", kind.label().to_lowercase()), None),
            reporter: kind == Kind::Reporter,
            slug: kind.slug(),
            unit: unit.name,
            f,
            errors,
            criteria_note: criteria_note(),
        });
    }
    let id = service::create_person(&state.db, &meta.actor(&user), &p, kind, &input).await?;
    Ok(Redirect::to(&format!("/pho-bien/nguoi/{id}?tb=person_created")).into_response())
}

/// `GET /pho-bien/bao-cao-vien/moi`: provincial officers add a reporter.
pub async fn new_reporter(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    new_page(state, user, Kind::Reporter).await
}

/// `POST /pho-bien/bao-cao-vien/moi`.
pub async fn create_reporter(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    create(state, user, meta, Kind::Reporter, pairs).await
}

/// `GET /pho-bien/tuyen-truyen-vien/moi`: commune officers add a propagandist directly (a
/// recognition outside the September round, or an earlier one being entered).
pub async fn new_propagandist(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    new_page(state, user, Kind::Propagandist).await
}

/// `POST /pho-bien/tuyen-truyen-vien/moi`.
pub async fn create_propagandist(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    create(state, user, meta, Kind::Propagandist, pairs).await
}

// ---------------------------------------------------------------- a person's record

pub struct TrainingItem {
    pub title: String,
    pub organiser: String,
    pub dates: String,
    pub hours: i64,
    pub certificate: &'static str,
}

/// What was typed in the forms of the record page, kept when one is refused.
#[derive(Default)]
pub struct Retry {
    pub f: Option<PersonForm>,
    pub errors: FieldErrors,
    pub dismiss_on: String,
    pub dismiss_kind: String,
    pub dismiss_reason: String,
    pub dismiss_errors: FieldErrors,
    pub t_title: String,
    pub t_organiser: String,
    pub t_starts: String,
    pub t_ends: String,
    pub t_hours: String,
    pub t_certificate: bool,
    pub training_errors: FieldErrors,
    pub file_error: String,
}

#[derive(Template)]
#[template(path = "disseminators/show.html")]
struct ShowPage {
    l: Layout,
    id: i64,
    reporter: bool,
    kind_label: &'static str,
    list_href: String,
    name: String,
    unit: String,
    work: String,
    qualification: String,
    years: i64,
    birth_year: String,
    gender: &'static str,
    phone: String,
    show_phone: bool,
    village: String,
    account: String,
    decision: String,
    decision_file: String,
    status: String,
    dismissed: bool,
    dismissal: String,
    warning: String,
    trainings: Vec<TrainingItem>,
    can_manage: bool,
    f: PersonForm,
    errors: FieldErrors,
    dismiss_label: &'static str,
    r: Retry,
}

async fn show_page(state: &AppState, user: &CurrentUser, id: i64, flash: Option<&str>, r: Retry) -> AppResult<ShowPage> {
    let p = user.principal();
    let row = service::visible_person(&state.db, &p, id).await?;
    let kind = Kind::parse(&row.kind).unwrap_or(Kind::Propagandist);
    let day = today();
    let trainings = store::trainings(&state.db, row.id)
        .await?
        .into_iter()
        .map(|t| TrainingItem {
            title: t.title,
            organiser: t.organiser,
            dates: if t.starts_on == t.ends_on { fmt_day(t.starts_on) } else { format!("{} – {}", fmt_day(t.starts_on), fmt_day(t.ends_on)) },
            hours: t.hours,
            certificate: if t.certificate { "Có" } else { "Không" },
        })
        .collect();
    let show_phone = service::shows_phone(&p, &row);
    let f = r.f.clone().unwrap_or_else(|| PersonForm::of(&row));
    Ok(ShowPage {
        l: layout(user, row.full_name.clone(), flash),
        id: row.id,
        reporter: kind == Kind::Reporter,
        kind_label: kind.label(),
        list_href: format!("/pho-bien/{}", kind.slug()),
        name: row.full_name.clone(),
        unit: row.unit_name.clone(),
        work: [row.position.as_str(), row.agency.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", "),
        qualification: Qualification::parse(&row.qualification).map(|q| q.label()).unwrap_or("").into(),
        years: row.experience_years,
        birth_year: row.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        gender: match row.gender.as_str() {
            "nam" => "Nam",
            "nu" => "Nữ",
            _ => "",
        },
        phone: if show_phone { row.phone.clone().unwrap_or_default() } else { String::new() },
        show_phone,
        village: row.village.clone(),
        account: row.account_username.clone().unwrap_or_default(),
        decision: format!("Quyết định số {} ngày {} ({})", row.decision_no, fmt_day(row.decision_on), row.decision_signer),
        decision_file: row.decision_file_id.map(|f| format!("/pho-bien/tep/{f}")).unwrap_or_default(),
        status: status_of(&row, day),
        dismissed: row.dismissed_on.is_some(),
        dismissal: match (row.dismissed_on, &row.dismissal_reason) {
            (Some(d), reason) => format!(
                "{} từ ngày {}. Lý do: {}",
                service::dismissal_label(row.dismissal_kind.as_deref().unwrap_or("")),
                fmt_day(d),
                reason.clone().unwrap_or_default()
            ),
            _ => String::new(),
        },
        warning: warning_of(&row),
        trainings,
        can_manage: service::manages(&p, row.unit_id),
        f,
        errors: FieldErrors::default(),
        dismiss_label: kind.dismissal_label(),
        r,
    })
}

/// `GET /pho-bien/nguoi/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    render(&show_page(&state, &user, id, q.tb.as_deref(), Retry::default()).await?)
}

async fn managed(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<PersonRow> {
    user.require(Action::ManageDisseminators)?;
    let row = service::visible_person(&state.db, &user.principal(), id).await?;
    if !service::manages(&user.principal(), row.unit_id) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

/// `POST /pho-bien/nguoi/{id}`: saves the edited fields.
pub async fn save(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let row = managed(&state, &user, id).await?;
    let kind = Kind::parse(&row.kind).unwrap_or(Kind::Propagandist);
    let f = PersonForm::read(&pairs);
    let mut errors = FieldErrors::default();
    let input = checked(&state, &user, kind, &f, Some(row.id), &mut errors).await?;
    if !errors.is_empty() {
        let mut page = show_page(&state, &user, id, None, Retry { f: Some(f), ..Retry::default() }).await?;
        page.errors = errors;
        return render_invalid(&page);
    }
    service::update_person(&state.db, &meta.actor(&user), &user.principal(), &row, &input).await?;
    Ok(Redirect::to(&format!("/pho-bien/nguoi/{id}?tb=person_saved")).into_response())
}

/// `POST /pho-bien/nguoi/{id}/thoi`: dismissal (miễn nhiệm) or ceasing (cho thôi làm).
pub async fn dismiss(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let row = managed(&state, &user, id).await?;
    let mut errors = FieldErrors::default();
    let on = typed_date(field(&pairs, "dismissed_on"), "dismissed_on", true, &mut errors);
    let kind = field(&pairs, "dismissal_kind").to_string();
    if kind != "dismissed" && kind != "ceased" {
        errors.add("dismissal_kind", msg::DISMISS_KIND);
    }
    let reason = typed_text(field(&pairs, "dismissal_reason"), "dismissal_reason", 2000, Some(msg::REASON_REQUIRED), &mut errors);
    let retry = |errors: FieldErrors| Retry {
        dismiss_on: field(&pairs, "dismissed_on").to_string(),
        dismiss_kind: kind.clone(),
        dismiss_reason: reason.clone(),
        dismiss_errors: errors,
        ..Retry::default()
    };
    let Some(on) = on.filter(|_| errors.is_empty()) else {
        return render_invalid(&show_page(&state, &user, id, None, retry(errors)).await?);
    };
    match service::dismiss(&state.db, &meta.actor(&user), &user.principal(), &row, &service::Dismissal { on, kind: &kind, reason: &reason }).await? {
        Ok(()) => Ok(Redirect::to(&format!("/pho-bien/nguoi/{id}?tb=dismissed")).into_response()),
        Err(m) => {
            let mut e = FieldErrors::default();
            e.add("dismissed_on", m);
            render_invalid(&show_page(&state, &user, id, None, retry(e)).await?)
        }
    }
}

/// `POST /pho-bien/nguoi/{id}/boi-duong`: a training course.
pub async fn training(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let row = managed(&state, &user, id).await?;
    let mut errors = FieldErrors::default();
    let title = typed_text(field(&pairs, "t_title"), "t_title", 300, Some(msg::TITLE_REQUIRED), &mut errors);
    let organiser = typed_text(field(&pairs, "t_organiser"), "t_organiser", 300, None, &mut errors);
    let starts = typed_date(field(&pairs, "t_starts"), "t_starts", true, &mut errors);
    let ends = typed_date(field(&pairs, "t_ends"), "t_ends", false, &mut errors).or(starts);
    if let (Some(s), Some(e)) = (starts, ends)
        && e < s
    {
        errors.add("t_ends", msg::ENDS_BEFORE_STARTS);
    }
    let hours = typed_int(field(&pairs, "t_hours"), "t_hours", 0, 2000, msg::HOURS, &mut errors).unwrap_or(0);
    let certificate = !field(&pairs, "t_certificate").is_empty();
    match (starts, ends) {
        (Some(starts_on), Some(ends_on)) if errors.is_empty() => {
            let t = TrainingInput { title, organiser, starts_on, ends_on, hours, certificate };
            service::add_training(&state.db, &meta.actor(&user), &user.principal(), &row, &t).await?;
            Ok(Redirect::to(&format!("/pho-bien/nguoi/{id}?tb=training_saved")).into_response())
        }
        _ => {
            let r = Retry {
                t_title: title,
                t_organiser: organiser,
                t_starts: field(&pairs, "t_starts").into(),
                t_ends: field(&pairs, "t_ends").into(),
                t_hours: field(&pairs, "t_hours").into(),
                t_certificate: certificate,
                training_errors: errors,
                ..Retry::default()
            };
            render_invalid(&show_page(&state, &user, id, None, r).await?)
        }
    }
}

/// `POST /pho-bien/nguoi/{id}/quyet-dinh` (multipart): the scanned recognition decision.
pub async fn decision_file(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>, mp: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> AppResult<Response> {
    let row = managed(&state, &user, id).await?;
    match read_checked(&state, mp).await {
        Ok((name, ct, bytes)) => {
            service::attach_decision(&state.db, &meta.actor(&user), &user.principal(), &row, (&name, ct, &bytes)).await?;
            Ok(Redirect::to(&format!("/pho-bien/nguoi/{id}?tb=file_saved")).into_response())
        }
        Err(m) => render_invalid(&show_page(&state, &user, id, None, Retry { file_error: m, ..Retry::default() }).await?),
    }
}

async fn docx(state: AppState, user: CurrentUser, kind: Kind, q: ListQuery) -> AppResult<Response> {
    user.require(Action::ViewDisseminators)?;
    let p = user.principal();
    let (mut rows, day, _) = filtered(&state, &user, kind, &q).await?;
    rows.retain(|r| service::serving(r, day));
    let lines: Vec<export::Line> = rows
        .iter()
        .map(|r| export::Line { row: r, status: status_of(r, day), warning: warning_of(r), show_phone: service::shows_phone(&p, r) })
        .collect();
    let unit = kernel::db::units::get(&state.db, user.account.unit_id).await?;
    let bytes = export::list_docx(kind, &unit.name, &lines, day).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("danh-sach-{}-{}.docx", kind.slug(), day.format("%d-%m-%Y"));
    Ok(attachment("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &name, bytes))
}

/// `GET /pho-bien/bao-cao-vien.docx`: the serving reporters in the Nghị định 30 layout.
pub async fn reporters_docx(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    docx(state, user, Kind::Reporter, q).await
}

/// `GET /pho-bien/tuyen-truyen-vien.docx`.
pub async fn propagandists_docx(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    docx(state, user, Kind::Propagandist, q).await
}
