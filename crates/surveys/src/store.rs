//! Surveys' SQL for both databases: survey versions and their families, questions, responses
//! (one row each, answers as one JSON text), keyset pages of responses for streamed exports,
//! and the abuse-limit counters.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use crate::rules::{Answers, Condition, Definition, Question, QuestionKind};
use kernel::{Db, DbError, DbResult, Tx, exec, now, with_db, with_tx};

// ---------------------------------------------------------------- surveys

/// One survey version with its owner and audience.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Survey {
    pub id: i64,
    pub family_id: i64,
    pub version: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub audience_unit_id: Option<i64>,
    pub audience_name: Option<String>,
    #[serde(skip)]
    pub audience_path: Option<String>,
    pub title: String,
    pub description: String,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    /// `draft`, `published` or `closed`.
    pub status: String,
    pub one_per_device: bool,
    pub pow: bool,
    pub contact_details: bool,
    pub template_code: Option<String>,
    #[serde(skip)]
    pub public_token: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Survey {
    /// Whether a respondent must name their commune when the survey asks it (a survey for the
    /// whole public of a province): yes for the satisfaction survey, whose answers count for
    /// the legal-access standard of the commune that served the respondent, so an answer
    /// without one would count for no commune.
    pub fn commune_required(&self) -> bool {
        self.template_code.as_deref() == Some(crate::rules::template::SATISFACTION)
    }
}

macro_rules! survey_cols {
    () => {
        "s.id, COALESCE(s.family_id, s.id) AS family_id, s.version, s.unit_id, u.name AS unit_name, u.path AS unit_path,
         s.audience_unit_id, a.name AS audience_name, a.path AS audience_path, s.title, s.description, s.opens_on, s.closes_on,
         s.status, s.one_per_device, s.pow, s.contact_details, s.template_code, s.public_token, s.created_at, s.published_at, s.closed_at
         FROM surveys s JOIN units u ON u.id = s.unit_id LEFT JOIN units a ON a.id = s.audience_unit_id "
    };
}

/// What an officer sets on a survey (not its questions).
#[derive(Clone, Debug, Default)]
pub struct SurveyMeta {
    pub title: String,
    pub description: String,
    pub audience_unit_id: Option<i64>,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub one_per_device: bool,
    pub pow: bool,
    pub contact_details: bool,
}

/// A new survey (first version of a family, or the next version of one).
#[derive(Clone, Debug)]
pub struct NewSurvey<'a> {
    pub unit_id: i64,
    pub meta: &'a SurveyMeta,
    pub template_code: Option<&'a str>,
    pub family_id: Option<i64>,
    pub version: i64,
    pub public_token: &'a str,
    pub created_by: Option<i64>,
}

pub async fn create(tx: &mut Tx, s: &NewSurvey<'_>) -> DbResult<i64> {
    let m = s.meta;
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO surveys (family_id, version, unit_id, audience_unit_id, title, description, opens_on, closes_on, status,
            one_per_device, pow, contact_details, template_code, public_token, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $11, $12, $13, $14, $15) RETURNING id")
        .bind(s.family_id).bind(s.version).bind(s.unit_id).bind(m.audience_unit_id).bind(&m.title).bind(&m.description)
        .bind(m.opens_on).bind(m.closes_on).bind(m.one_per_device).bind(m.pow).bind(m.contact_details)
        .bind(s.template_code).bind(s.public_token).bind(s.created_by).bind(now()).fetch_one(&mut *c).await)?;
    if s.family_id.is_none() {
        exec!(tx, c => sqlx::query("UPDATE surveys SET family_id = id WHERE id = $1").bind(id).execute(&mut *c).await)?;
    }
    Ok(id)
}

pub async fn update_meta(tx: &mut Tx, id: i64, m: &SurveyMeta) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE surveys SET title = $2, description = $3, audience_unit_id = $4, opens_on = $5, closes_on = $6,
            one_per_device = $7, pow = $8, contact_details = $9 WHERE id = $1")
        .bind(id).bind(&m.title).bind(&m.description).bind(m.audience_unit_id).bind(m.opens_on).bind(m.closes_on)
        .bind(m.one_per_device).bind(m.pow).bind(m.contact_details).execute(&mut *c).await)?;
    Ok(())
}

/// Sets the status; `published_at` or `closed_at` is stamped with it.
pub async fn set_status(tx: &mut Tx, id: i64, status: &str) -> DbResult<()> {
    let at = now();
    let sql = match status {
        "published" => "UPDATE surveys SET status = $2, published_at = $3 WHERE id = $1",
        _ => "UPDATE surveys SET status = $2, closed_at = $3 WHERE id = $1",
    };
    exec!(tx, c => sqlx::query(sql).bind(id).bind(status).bind(at).execute(&mut *c).await)?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> DbResult<Survey> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", survey_cols!(), " WHERE s.id = $1")).bind(id).fetch_one(p).await)?)
}

/// Surveys owned by a unit in the scope, or meant for a commune in it; newest first.
pub async fn list(db: &Db, scope_pattern: &str) -> DbResult<Vec<Survey>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", survey_cols!(),
        " WHERE u.path LIKE $1 OR a.path LIKE $1 ORDER BY s.created_at DESC, s.id DESC"))
        .bind(scope_pattern).fetch_all(p).await)?)
}

/// The version a public link answers: the latest published version of the token's family, or
/// else its latest version (closed or draft, so the page can say so).
pub async fn by_token(db: &Db, token: &str) -> DbResult<Option<Survey>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", survey_cols!(),
        " WHERE s.public_token = $1 ORDER BY s.status = 'published' DESC, s.version DESC LIMIT 1"))
        .bind(token).fetch_optional(p).await)?)
}

/// Every version of a family, oldest first.
pub async fn family(db: &Db, family_id: i64) -> DbResult<Vec<Survey>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", survey_cols!(), " WHERE COALESCE(s.family_id, s.id) = $1 ORDER BY s.version"))
        .bind(family_id).fetch_all(p).await)?)
}

/// Response counts by survey id, for the surveys listed.
pub async fn response_counts(db: &Db, scope_pattern: &str) -> DbResult<Vec<(i64, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT r.survey_id, COUNT(*) FROM survey_responses r JOIN surveys s ON s.id = r.survey_id
         JOIN units u ON u.id = s.unit_id LEFT JOIN units a ON a.id = s.audience_unit_id
         WHERE u.path LIKE $1 OR a.path LIKE $1 GROUP BY r.survey_id")
        .bind(scope_pattern).fetch_all(p).await)?)
}

// ---------------------------------------------------------------- questions

#[derive(FromRow)]
struct QuestionRow {
    question_key: String,
    kind: String,
    text: String,
    help: String,
    required: bool,
    options: String,
    min_value: Option<f64>,
    max_value: Option<f64>,
    show_if: Option<String>,
}

/// The questionnaire of a version, in order.
pub async fn questions(db: &Db, survey_id: i64) -> DbResult<Definition> {
    let rows: Vec<QuestionRow> = with_db!(db, p => sqlx::query_as(
        "SELECT question_key, kind, text, help, required, options, min_value, max_value, show_if
         FROM survey_questions WHERE survey_id = $1 ORDER BY position, id")
        .bind(survey_id).fetch_all(p).await)?;
    let mut questions = Vec::with_capacity(rows.len());
    for r in rows {
        let kind = QuestionKind::parse(&r.kind).ok_or_else(|| DbError::Invalid(format!("question kind {}", r.kind)))?;
        let options: Vec<String> = serde_json::from_str(&r.options).map_err(|e| DbError::Invalid(e.to_string()))?;
        let show_if: Option<Condition> = match r.show_if {
            Some(t) => Some(serde_json::from_str(&t).map_err(|e| DbError::Invalid(e.to_string()))?),
            None => None,
        };
        questions.push(Question { key: r.question_key, text: r.text, help: r.help, kind, required: r.required, options, min: r.min_value, max: r.max_value, show_if });
    }
    Ok(Definition { questions })
}

/// Replaces the questions of a (draft) version.
pub async fn replace_questions(tx: &mut Tx, survey_id: i64, def: &Definition) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM survey_questions WHERE survey_id = $1").bind(survey_id).execute(&mut *c).await)?;
    for (i, q) in def.questions.iter().enumerate() {
        let options = serde_json::to_string(&q.options).map_err(|e| DbError::Invalid(e.to_string()))?;
        let show_if = q.show_if.as_ref().map(serde_json::to_string).transpose().map_err(|e| DbError::Invalid(e.to_string()))?;
        exec!(tx, c => sqlx::query(
            "INSERT INTO survey_questions (survey_id, position, question_key, kind, text, help, required, options, min_value, max_value, show_if)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .bind(survey_id).bind(i as i64).bind(&q.key).bind(q.kind.as_str()).bind(&q.text).bind(&q.help).bind(q.required)
            .bind(options).bind(q.min).bind(q.max).bind(show_if).execute(&mut *c).await)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- responses

/// A response to store.
#[derive(Clone, Debug)]
pub struct NewResponse<'a> {
    pub survey_id: i64,
    pub unit_id: Option<i64>,
    /// `online` or `paper`.
    pub channel: &'a str,
    pub entered_by: Option<i64>,
    pub device_hash: Option<&'a str>,
    pub answers: &'a Answers,
    pub text_key: &'a str,
    pub contact: Option<&'a str>,
}

/// Stores a response; `Conflict` when the device already answered this survey.
pub async fn insert_response(tx: &mut Tx, r: &NewResponse<'_>) -> DbResult<i64> {
    let answers = serde_json::to_string(r.answers).map_err(|e| DbError::Invalid(e.to_string()))?;
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO survey_responses (survey_id, unit_id, channel, entered_by, device_hash, answers, text_key, contact, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(r.survey_id).bind(r.unit_id).bind(r.channel).bind(r.entered_by).bind(r.device_hash).bind(answers)
        .bind(r.text_key).bind(r.contact).bind(now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

/// Whether a device already answered a survey.
pub async fn device_answered(db: &Db, survey_id: i64, device_hash: &str) -> DbResult<bool> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM survey_responses WHERE survey_id = $1 AND device_hash = $2 LIMIT 1")
        .bind(survey_id).bind(device_hash).fetch_optional(p).await)?;
    Ok(row.is_some())
}

/// One stored response as read for results and exports.
#[derive(Clone, Debug, FromRow)]
pub struct ResponseRow {
    pub id: i64,
    pub survey_id: i64,
    pub version: i64,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub channel: String,
    pub answers: String,
    pub contact: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl ResponseRow {
    /// The answers; an unreadable text (never written by this code) reads as no answers.
    pub fn parsed(&self) -> Answers {
        serde_json::from_str(&self.answers).unwrap_or_default()
    }
}

/// One keyset page of a family's responses after `after_id`, oldest first, optionally of one
/// commune: the unit of streamed exports and tallies (constant memory whatever the total).
pub async fn responses_page(db: &Db, family_id: i64, unit_id: Option<i64>, after_id: i64, limit: i64) -> DbResult<Vec<ResponseRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT r.id, r.survey_id, s.version, r.unit_id, u.name AS unit_name, r.channel, r.answers, r.contact, r.created_at
         FROM survey_responses r JOIN surveys s ON s.id = r.survey_id LEFT JOIN units u ON u.id = r.unit_id
         WHERE COALESCE(s.family_id, s.id) = $1 AND r.id > $2 AND ($3 IS NULL OR r.unit_id = $3)
         ORDER BY r.id LIMIT $4")
        .bind(family_id).bind(after_id).bind(unit_id).bind(limit).fetch_all(p).await)?)
}

/// Responses of a family whose free-text answers contain the folded pattern, newest first.
pub async fn text_matches(db: &Db, family_id: i64, unit_id: Option<i64>, like: &str, limit: i64) -> DbResult<Vec<ResponseRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT r.id, r.survey_id, s.version, r.unit_id, u.name AS unit_name, r.channel, r.answers, r.contact, r.created_at
         FROM survey_responses r JOIN surveys s ON s.id = r.survey_id LEFT JOIN units u ON u.id = r.unit_id
         WHERE COALESCE(s.family_id, s.id) = $1 AND r.text_key <> '' AND r.text_key LIKE $2 ESCAPE '\\'
           AND ($3 IS NULL OR r.unit_id = $3)
         ORDER BY r.id DESC LIMIT $4")
        .bind(family_id).bind(like).bind(unit_id).bind(limit).fetch_all(p).await)?)
}

/// The communes that answered a family, with their counts, for the results filter.
pub async fn communes_answered(db: &Db, family_id: i64) -> DbResult<Vec<(i64, String, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.name, COUNT(*) FROM survey_responses r JOIN surveys s ON s.id = r.survey_id JOIN units u ON u.id = r.unit_id
         WHERE COALESCE(s.family_id, s.id) = $1 GROUP BY u.id, u.name ORDER BY u.name COLLATE vi")
        .bind(family_id).fetch_all(p).await)?)
}

/// (survey id, title, answers) of the responses of one commune between two instants, to
/// surveys made from a template.
pub async fn template_answers(db: &Db, template: &str, unit_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> DbResult<Vec<(i64, String, String)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT s.id, s.title, r.answers FROM survey_responses r JOIN surveys s ON s.id = r.survey_id
         WHERE s.template_code = $1 AND r.unit_id = $2 AND r.created_at >= $3 AND r.created_at < $4
         ORDER BY r.id")
        .bind(template).bind(unit_id).bind(from).bind(to).fetch_all(p).await)?)
}

// ---------------------------------------------------------------- abuse limits

/// Events of a bucket since an instant.
pub async fn events_since(db: &Db, bucket: &str, since: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM survey_rate_events WHERE bucket = $1 AND at >= $2")
        .bind(bucket).bind(since).fetch_one(p).await)?;
    Ok(n)
}

/// Records an event, and sweeps events older than a day.
pub async fn record_event(tx: &mut Tx, bucket: &str) -> DbResult<()> {
    let at = now();
    exec!(tx, c => sqlx::query("INSERT INTO survey_rate_events (bucket, at) VALUES ($1, $2)").bind(bucket).bind(at).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM survey_rate_events WHERE at < $1").bind(at - chrono::Duration::days(1)).execute(&mut *c).await)?;
    Ok(())
}
