//! Survey use cases shared by the pages, the API and the legal-access standard: who may see and
//! manage a survey, creating (blank or from a template), editing a draft, publishing (which
//! freezes the questions and retires the previous version), closing, new versions, accepting a
//! response (online or on paper) with the abuse limits, tallies, and the satisfaction result.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use kernel::account::{Action, Role};
use kernel::auth::Principal;
use kernel::config::SurveysConfig;
use kernel::db::audit::{self, Actor, Entry};
use kernel::db::{Db, DbError};
use kernel::error::{AppError, AppResult};
use serde_json::json;

use crate::msg;
use crate::rules::{self, Answers, Definition, RawAnswers, Tallies, template};
use crate::store::{self, NewResponse, NewSurvey, Survey, SurveyMeta};

// ---------------------------------------------------------------- access

/// Loads a survey the account may see: its scope holds the owner unit or the audience commune.
pub async fn visible(db: &Db, user: &Principal<'_>, id: i64) -> AppResult<Survey> {
    user.require(Action::ViewSurveys)?;
    let s = store::get(db, id).await?;
    if can_see(user, &s) { Ok(s) } else { Err(AppError::NotFound) }
}

pub fn can_see(user: &Principal<'_>, s: &Survey) -> bool {
    user.scope.contains(&s.unit_path) || s.audience_path.as_deref().is_some_and(|p| user.scope.contains(p))
}

/// Whether the account edits, publishes and closes the survey: officers of the owner unit, and
/// system administrators.
pub fn is_owner(user: &Principal<'_>, s: &Survey) -> bool {
    user.role.allows(Action::ManageSurveys) && (user.role == Role::SystemAdmin || user.account.unit_id == s.unit_id)
}

/// Whether the account enters paper responses: the owner's officers and the officers of the
/// commune the survey is meant for (which collects the paper forms).
pub fn can_enter(user: &Principal<'_>, s: &Survey) -> bool {
    is_owner(user, s) || (user.role.allows(Action::ManageSurveys) && s.audience_unit_id == Some(user.account.unit_id))
}

/// Contact details are shown only to the accounts of the owner unit.
pub fn sees_contacts(user: &Principal<'_>, s: &Survey) -> bool {
    user.account.unit_id == s.unit_id
}

/// A survey the account manages, or 403 (404 when it cannot even see it).
pub async fn owned(db: &Db, user: &Principal<'_>, id: i64) -> AppResult<Survey> {
    user.require(Action::ManageSurveys)?;
    let s = visible(db, user, id).await?;
    if is_owner(user, &s) { Ok(s) } else { Err(AppError::Forbidden) }
}

// ---------------------------------------------------------------- labels

pub fn status_label(status: &str) -> &'static str {
    match status {
        "draft" => "Bản nháp",
        "published" => "Đang nhận trả lời",
        "closed" => "Đã kết thúc",
        _ => "",
    }
}

pub fn channel_label(channel: &str) -> &'static str {
    match channel {
        "paper" => "Phiếu giấy",
        _ => "Trực tuyến",
    }
}

pub fn audience_label(s: &Survey) -> String {
    match &s.audience_name {
        Some(n) => n.clone(),
        None => "Toàn bộ người dân".into(),
    }
}

/// Whether the survey takes answers on `day`: published, and within its dates.
pub fn accepting(s: &Survey, day: NaiveDate) -> Result<(), &'static str> {
    if s.status != "published" || s.closes_on.is_some_and(|c| day > c) {
        return Err(msg::SURVEY_CLOSED);
    }
    if s.opens_on.is_some_and(|o| day < o) {
        return Err(msg::SURVEY_NOT_OPEN_YET);
    }
    Ok(())
}

// ---------------------------------------------------------------- templates

pub fn templates() -> AppResult<&'static [rules::template::Template]> {
    static T: std::sync::OnceLock<Result<Vec<rules::template::Template>, String>> = std::sync::OnceLock::new();
    T.get_or_init(template::builtin).as_deref().map_err(|e| AppError::Internal(e.clone()))
}

// ---------------------------------------------------------------- workflow

/// Creates a draft survey owned by the account's unit, blank or with a template's questions.
pub async fn create(db: &Db, actor: &Actor, user: &Principal<'_>, meta: &SurveyMeta, template_code: Option<&str>) -> AppResult<i64> {
    user.require(Action::ManageSurveys)?;
    let def = match template_code {
        Some(code) => Some(templates()?.iter().find(|t| t.code == code).ok_or_else(|| AppError::BadRequest(msg::TEMPLATE_UNKNOWN.into()))?.definition()),
        None => None,
    };
    let token = kernel::db::new_token()[..24].to_string();
    let mut tx = db.begin().await?;
    let id = store::create(&mut tx, &NewSurvey {
        unit_id: user.account.unit_id, meta, template_code, family_id: None, version: 1, public_token: &token, created_by: Some(user.account.id),
    }).await?;
    if let Some(d) = &def {
        store::replace_questions(&mut tx, id, d).await?;
    }
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "survey", entity_id: Some(id.to_string()), unit_id: Some(user.account.unit_id),
        summary: format!("Tạo phiếu khảo sát «{}»", meta.title), before: None, after: Some(json!({"template": template_code})),
    }).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a draft's settings and questions (the caller has checked the questionnaire).
pub async fn save_draft(db: &Db, actor: &Actor, s: &Survey, meta: &SurveyMeta, def: &Definition) -> AppResult<()> {
    if s.status != "draft" {
        return Err(AppError::BadRequest(msg::NOT_DRAFT.into()));
    }
    let before = store::questions(db, s.id).await?;
    let mut tx = db.begin().await?;
    store::update_meta(&mut tx, s.id, meta).await?;
    store::replace_questions(&mut tx, s.id, def).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "survey", entity_id: Some(s.id.to_string()), unit_id: Some(s.unit_id),
        summary: format!("Sửa phiếu khảo sát «{}»", meta.title),
        before: Some(json!({"title": s.title, "questions": before.questions.len()})),
        after: Some(json!({"title": meta.title, "questions": def.questions.len()})),
    }).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a draft: its questions are frozen from now on, and the family's previously
/// published version stops taking answers (the public link moves to this one).
pub async fn publish(db: &Db, actor: &Actor, s: &Survey) -> AppResult<()> {
    if s.status != "draft" {
        return Err(AppError::BadRequest(msg::NOT_DRAFT.into()));
    }
    let def = store::questions(db, s.id).await?;
    if !def.check().is_empty() {
        return Err(AppError::BadRequest(msg::CANNOT_PUBLISH.into()));
    }
    let family = store::family(db, s.family_id).await?;
    let mut tx = db.begin().await?;
    for old in family.iter().filter(|o| o.id != s.id && o.status == "published") {
        store::set_status(&mut tx, old.id, "closed").await?;
    }
    store::set_status(&mut tx, s.id, "published").await?;
    audit::record(&mut tx, actor, Entry {
        action: "publish", entity: "survey", entity_id: Some(s.id.to_string()), unit_id: Some(s.unit_id),
        summary: format!("Công bố phiếu khảo sát «{}» (phiên bản {})", s.title, s.version),
        before: Some(json!({"status": s.status})), after: Some(json!({"status": "published"})),
    }).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn close(db: &Db, actor: &Actor, s: &Survey) -> AppResult<()> {
    if s.status != "published" {
        return Err(AppError::BadRequest(msg::NOT_PUBLISHED.into()));
    }
    let mut tx = db.begin().await?;
    store::set_status(&mut tx, s.id, "closed").await?;
    audit::record(&mut tx, actor, Entry {
        action: "close", entity: "survey", entity_id: Some(s.id.to_string()), unit_id: Some(s.unit_id),
        summary: format!("Kết thúc khảo sát «{}»", s.title), before: Some(json!({"status": s.status})), after: Some(json!({"status": "closed"})),
    }).await?;
    tx.commit().await?;
    Ok(())
}

/// Starts the next version of a published or closed survey as a draft with the same questions
/// (same keys, so that export columns stay). Returns the draft's id; when the family already
/// has a draft, that draft.
pub async fn new_version(db: &Db, actor: &Actor, user: &Principal<'_>, s: &Survey) -> AppResult<i64> {
    let family = store::family(db, s.family_id).await?;
    if let Some(d) = family.iter().find(|v| v.status == "draft") {
        return Ok(d.id);
    }
    let latest = family.iter().map(|v| v.version).max().unwrap_or(s.version);
    let def = store::questions(db, s.id).await?;
    let meta = meta_of(s);
    let mut tx = db.begin().await?;
    let id = store::create(&mut tx, &NewSurvey {
        unit_id: s.unit_id, meta: &meta, template_code: s.template_code.as_deref(), family_id: Some(s.family_id), version: latest + 1,
        public_token: &s.public_token, created_by: Some(user.account.id),
    }).await?;
    store::replace_questions(&mut tx, id, &def).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "survey", entity_id: Some(id.to_string()), unit_id: Some(s.unit_id),
        summary: format!("Tạo phiên bản {} của phiếu khảo sát «{}»", latest + 1, s.title), before: None, after: Some(json!({"family": s.family_id})),
    }).await?;
    tx.commit().await?;
    Ok(id)
}

pub fn meta_of(s: &Survey) -> SurveyMeta {
    SurveyMeta {
        title: s.title.clone(), description: s.description.clone(), audience_unit_id: s.audience_unit_id, opens_on: s.opens_on, closes_on: s.closes_on,
        one_per_device: s.one_per_device, pow: s.pow, contact_details: s.contact_details,
    }
}

// ---------------------------------------------------------------- responses

/// The communes a respondent of a public survey picks from: the current communes under the
/// owner unit (none when the owner is itself a commune).
pub async fn communes_for(db: &Db, s: &Survey) -> AppResult<Vec<kernel::db::units::Unit>> {
    if s.audience_unit_id.is_some() {
        return Ok(Vec::new());
    }
    let owner = kernel::db::units::get(db, s.unit_id).await?;
    if owner.level != "province" {
        return Ok(Vec::new());
    }
    Ok(kernel::db::units::children(db, Some(owner.id), Some(kernel::page::today())).await?)
}

/// What a respondent (or an officer entering a paper form) sent, beyond the answers.
#[derive(Clone, Debug, Default)]
pub struct Submission {
    pub raw: RawAnswers,
    /// The commune picked, as typed (an id).
    pub commune: String,
    pub contact: String,
}

/// Why a response was not stored.
#[derive(Debug)]
pub enum Refusal {
    /// Per-question messages, and a message for the commune or contact field.
    Invalid { questions: BTreeMap<String, String>, commune: Option<&'static str>, contact: Option<&'static str> },
    Closed(&'static str),
    Limited,
    DeviceAnswered,
    Pow(&'static str),
    Failed(AppError),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Failed(e)
    }
}

impl From<DbError> for Refusal {
    fn from(e: DbError) -> Self {
        Refusal::Failed(e.into())
    }
}

/// Where an accepted response comes from.
pub enum Channel<'a> {
    /// A respondent through the public link: hashed address and device, and a solved
    /// proof-of-work challenge where the survey asks for one (already verified by the caller),
    /// under the configured limits.
    Online { ip_bucket: String, device_hash: Option<String>, pow_nonce: Option<String>, limits: &'a SurveysConfig },
    /// An officer entering a paper form (or the API's collection app).
    Paper { actor: &'a Actor, account_id: i64 },
}

/// Validates and stores one response. Nothing is stored when anything is refused.
pub async fn submit(db: &Db, s: &Survey, def: &Definition, sub: &Submission, channel: Channel<'_>, day: NaiveDate) -> Result<i64, Refusal> {
    if let Err(m) = accepting(s, day) {
        return Err(Refusal::Closed(m));
    }
    if let Channel::Online { ip_bucket, device_hash, limits, .. } = &channel {
        let since = kernel::db::now() - Duration::minutes(limits.window_minutes);
        if rules::limits::over(store::events_since(db, ip_bucket, since).await?, limits.answers_per_address) {
            return Err(Refusal::Limited);
        }
        if let Some(d) = device_hash {
            if rules::limits::over(store::events_since(db, &format!("dev:{d}"), since).await?, limits.answers_per_device) {
                return Err(Refusal::Limited);
            }
            if s.one_per_device && store::device_answered(db, s.id, d).await? {
                return Err(Refusal::DeviceAnswered);
            }
        }
    }
    // The respondent's commune: the audience, or the owner commune, or the one picked (which
    // the satisfaction survey requires, see `Survey::commune_required`).
    let mut commune_err = None;
    let unit_id = match s.audience_unit_id {
        Some(u) => Some(u),
        None => {
            let communes = communes_for(db, s).await?;
            if communes.is_empty() {
                Some(s.unit_id)
            } else {
                match sub.commune.trim().parse::<i64>().ok().and_then(|id| communes.iter().find(|c| c.id == id)) {
                    Some(c) => Some(c.id),
                    None if sub.commune.trim().is_empty() => {
                        if s.commune_required() {
                            commune_err = Some(msg::COMMUNE_REQUIRED);
                        }
                        None
                    }
                    None => {
                        commune_err = Some(msg::COMMUNE_UNKNOWN);
                        None
                    }
                }
            }
        }
    };
    let contact = kernel::page::clean(&sub.contact);
    let contact_err = (s.contact_details && contact.chars().count() > 300).then_some(msg::CONTACT_TOO_LONG);
    let answers = rules::validate(def, &sub.raw);
    let answers = match answers {
        Ok(a) if commune_err.is_none() && contact_err.is_none() => a,
        Ok(_) => return Err(Refusal::Invalid { questions: BTreeMap::new(), commune: commune_err, contact: contact_err }),
        Err(e) => return Err(Refusal::Invalid { questions: e, commune: commune_err, contact: contact_err }),
    };
    let text_key = rules::answers::search_key(def, &answers);
    let contact = (s.contact_details && !contact.is_empty()).then_some(contact);
    let mut tx = db.begin().await?;
    let (channel_code, entered_by, device) = match &channel {
        Channel::Online { device_hash, .. } => ("online", None, device_hash.as_deref().filter(|_| s.one_per_device)),
        Channel::Paper { account_id, .. } => ("paper", Some(*account_id), None),
    };
    let id = match store::insert_response(&mut tx, &NewResponse {
        survey_id: s.id, unit_id, channel: channel_code, entered_by, device_hash: device, answers: &answers, text_key: &text_key, contact: contact.as_deref(),
    }).await {
        Ok(id) => id,
        Err(DbError::Conflict(_)) => return Err(Refusal::DeviceAnswered),
        Err(e) => return Err(e.into()),
    };
    match &channel {
        Channel::Online { ip_bucket, device_hash, pow_nonce, .. } => {
            store::record_event(&mut tx, ip_bucket).await?;
            if let Some(d) = device_hash {
                store::record_event(&mut tx, &format!("dev:{d}")).await?;
            }
            if let Some(n) = pow_nonce {
                store::record_event(&mut tx, &format!("pow:{n}")).await?;
            }
        }
        Channel::Paper { actor, .. } => {
            audit::record(&mut tx, actor, Entry {
                action: "create", entity: "survey_response", entity_id: Some(id.to_string()), unit_id: Some(s.unit_id),
                summary: format!("Nhập phiếu giấy cho khảo sát «{}»", s.title), before: None, after: Some(json!({"survey": s.id})),
            }).await?;
        }
    }
    tx.commit().await?;
    Ok(id)
}

// ---------------------------------------------------------------- keys and challenges

/// HMAC-SHA-256 (RFC 2104) over SHA-256 from the `sha2` crate.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The counter bucket of a source address: keyed, so the stored hash cannot be reversed by
/// trying every address.
pub fn ip_bucket(key: &[u8], ip: &str) -> String {
    format!("ip:{}", hex::encode(&hmac_sha256(key, format!("survey-ip:{ip}").as_bytes())[..16]))
}

/// The stored hash of a device cookie.
pub fn device_hash(key: &[u8], cookie: &str) -> String {
    hex::encode(&hmac_sha256(key, format!("survey-device:{cookie}").as_bytes())[..16])
}

/// A fresh signed proof-of-work challenge for a survey, valid `minutes`.
pub fn issue_challenge(key: &[u8], survey_id: i64, minutes: i64) -> String {
    let expires = Utc::now().timestamp() + minutes * 60;
    let nonce = kernel::db::new_token()[..24].to_string();
    let payload = rules::pow::Challenge::payload(survey_id, expires, &nonce);
    let sig = hex::encode(&hmac_sha256(key, format!("survey-pow:{payload}").as_bytes())[..16]);
    format!("{payload}.{sig}")
}

/// Checks a solved challenge: signed by us, for this survey, not expired, solved, and not used
/// before. Used nonces are kept one day, longer than any challenge is valid
/// (`kernel::config::MAX_SURVEY_MINUTES`), whatever the setting was when it was issued.
/// Returns its nonce (to record as used).
pub async fn check_challenge(db: &Db, key: &[u8], survey_id: i64, challenge: &str, counter: &str) -> Result<String, Refusal> {
    if challenge.trim().is_empty() || counter.trim().is_empty() {
        return Err(Refusal::Pow(msg::POW_MISSING));
    }
    let Some(c) = rules::pow::Challenge::parse(challenge) else { return Err(Refusal::Pow(msg::POW_INVALID)) };
    let payload = rules::pow::Challenge::payload(c.survey_id, c.expires, c.nonce);
    let sig = hex::encode(&hmac_sha256(key, format!("survey-pow:{payload}").as_bytes())[..16]);
    let fresh = c.expires >= Utc::now().timestamp();
    if sig != c.signature || c.survey_id != survey_id || !fresh || !rules::pow::solves(challenge, counter.trim(), rules::pow::BITS) {
        return Err(Refusal::Pow(msg::POW_INVALID));
    }
    let since = kernel::db::now() - Duration::days(1);
    if store::events_since(db, &format!("pow:{}", c.nonce), since).await? > 0 {
        return Err(Refusal::Pow(msg::POW_INVALID));
    }
    Ok(c.nonce.to_string())
}

// ---------------------------------------------------------------- results

/// Rows read per query by tallies and exports.
pub const PAGE: i64 = 2000;

/// The tallies of a survey's family against the given version's questions, optionally for one
/// commune, read page by page.
pub async fn tallies(db: &Db, s: &Survey, def: &Definition, unit_id: Option<i64>) -> AppResult<Tallies> {
    let mut t = Tallies::new(def);
    let mut after = 0;
    loop {
        let page = store::responses_page(db, s.family_id, unit_id, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for r in &page {
            t.add(&r.parsed());
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    Ok(t)
}

/// The satisfaction result of a commune for the legal-access standard.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SatisfactionResult {
    /// The most recent survey (made from the satisfaction template) the commune's responses went to.
    pub survey_id: i64,
    pub title: String,
    /// Responses answering "Rất hài lòng" or "Hài lòng" to the overall question.
    pub satisfied: i64,
    /// Responses answering the overall question at all.
    pub answered: i64,
}

/// The commune's satisfaction result for a calendar year (Vietnam time): over the responses of
/// that commune in that year to surveys created from the satisfaction template, how many
/// answered the overall question and how many were satisfied. `None` when there is none.
pub async fn satisfaction_result(db: &kernel::db::Db, unit_id: i64, year: i32) -> AppResult<Option<SatisfactionResult>> {
    let vn = |y: i32| {
        chrono::FixedOffset::east_opt(7 * 3600)
            .and_then(|tz| tz.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single())
            .map(|d| d.with_timezone(&Utc))
            .ok_or_else(|| AppError::BadRequest(kernel::msg::BAD_REQUEST.into()))
    };
    let (from, to) = (vn(year)?, vn(year.saturating_add(1))?);
    let rows = store::template_answers(db, template::SATISFACTION, unit_id, from, to).await?;
    let mut result: Option<SatisfactionResult> = None;
    for (survey_id, title, answers) in rows {
        let answers: Answers = serde_json::from_str(&answers).unwrap_or_default();
        let r = result.get_or_insert_with(|| SatisfactionResult { survey_id, title: title.clone(), satisfied: 0, answered: 0 });
        if survey_id > r.survey_id {
            r.survey_id = survey_id;
            r.title = title;
        }
        if let Some(rules::Answer::Text(level)) = answers.get(template::OVERALL_KEY)
            && rules::SATISFACTION_LEVELS.contains(&level.as_str())
        {
            r.answered += 1;
            if rules::SATISFIED_LEVELS.contains(&level.as_str()) {
                r.satisfied += 1;
            }
        }
    }
    Ok(result)
}

/// [`satisfaction_result`] as the kernel's `KnownFigures` port for `legal_access`: under the key
/// `surveys.satisfaction`, the satisfied answers of the answered ones, linked to the results.
pub fn known_figures_port<'a>(
    db: &'a Db,
    unit_id: i64,
    year: i32,
    key: &'a str,
) -> kernel::registry::BoxFuture<'a, kernel::DbResult<Option<kernel::registry::KnownFigure>>> {
    Box::pin(async move {
        if key != "surveys.satisfaction" {
            return Ok(None);
        }
        let r = satisfaction_result(db, unit_id, year).await.map_err(|e| DbError::Invalid(e.to_string()))?;
        Ok(r.filter(|r| r.answered > 0).map(|r| kernel::registry::KnownFigure {
            numerator: r.satisfied,
            denominator: Some(r.answered),
            source: msg::known_satisfaction(&r.title),
            href: Some(format!("/phieu-khao-sat/{}/ket-qua", r.survey_id)),
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(hex::encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
