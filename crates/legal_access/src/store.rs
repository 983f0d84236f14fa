//! SQL of the legal-access standard, written once for both databases.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use kernel::{Db, DbResult, Tx, exec, now, with_db, with_tx};

// ---------------------------------------------------------------- rule sets

/// One stored rule-set version.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct RuleSetRow {
    pub id: i64,
    pub code: String,
    pub version: i64,
    pub name: String,
    pub first_year: i64,
    pub last_year: Option<i64>,
    pub mode: String,
    #[serde(skip)]
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// A round uses this version: it is never changed.
    pub in_use: bool,
}

macro_rules! ruleset_cols {
    () => {
        "s.id, s.code, s.version, s.name, s.first_year, s.last_year, s.mode, s.body, s.created_at,
         EXISTS (SELECT 1 FROM access_rounds r WHERE r.ruleset_id = s.id) AS in_use"
    };
}

pub async fn rulesets(db: &Db) -> DbResult<Vec<RuleSetRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", ruleset_cols!(), " FROM access_rulesets s ORDER BY s.first_year DESC, s.code, s.version DESC"))
        .fetch_all(p).await)?)
}

pub async fn ruleset(db: &Db, id: i64) -> DbResult<RuleSetRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", ruleset_cols!(), " FROM access_rulesets s WHERE s.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

pub async fn ruleset_in_use(tx: &mut Tx, id: i64) -> DbResult<bool> {
    let (n,): (i64,) = with_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM access_rounds WHERE ruleset_id = $1")
        .bind(id).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

pub async fn max_version(tx: &mut Tx, code: &str) -> DbResult<i64> {
    let v: (Option<i64>,) = with_tx!(tx, c => sqlx::query_as("SELECT CAST(MAX(version) AS BIGINT) FROM access_rulesets WHERE code = $1")
        .bind(code).fetch_one(&mut *c).await)?;
    Ok(v.0.unwrap_or(0))
}

/// A rule-set version to store.
pub struct NewRuleSet<'a> {
    pub code: &'a str,
    pub version: i64,
    pub name: &'a str,
    pub first_year: i64,
    pub last_year: Option<i64>,
    pub mode: &'a str,
    pub body: &'a str,
    pub created_by: Option<i64>,
}

pub async fn insert_ruleset(tx: &mut Tx, r: &NewRuleSet<'_>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO access_rulesets (code, version, name, first_year, last_year, mode, body, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(r.code).bind(r.version).bind(r.name).bind(r.first_year).bind(r.last_year).bind(r.mode).bind(r.body)
        .bind(r.created_by).bind(now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

/// Replaces the text of a version no round uses (checked by the caller in the same transaction).
pub async fn replace_ruleset(tx: &mut Tx, id: i64, r: &NewRuleSet<'_>) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE access_rulesets SET name = $1, first_year = $2, last_year = $3, mode = $4, body = $5 WHERE id = $6")
        .bind(r.name).bind(r.first_year).bind(r.last_year).bind(r.mode).bind(r.body).bind(id).execute(&mut *c).await)?;
    Ok(())
}

// ---------------------------------------------------------------- rounds

/// A yearly round of a reviewing unit.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct RoundRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub year: i64,
    pub ruleset_id: i64,
    pub opened_on: NaiveDate,
    pub deadline: NaiveDate,
    pub meeting_on: Option<NaiveDate>,
    pub meeting_members: Option<String>,
    pub meeting_conclusion: Option<String>,
    pub decision_no: Option<String>,
    pub decision_on: Option<NaiveDate>,
    pub decision_signer: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

macro_rules! round_cols {
    () => {
        "r.id, r.unit_id, u.name AS unit_name, u.path AS unit_path, r.year, r.ruleset_id, r.opened_on, r.deadline,
         r.meeting_on, r.meeting_members, r.meeting_conclusion, r.decision_no, r.decision_on, r.decision_signer, r.decided_at"
    };
}

pub async fn round(db: &Db, id: i64) -> DbResult<RoundRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", round_cols!(), " FROM access_rounds r JOIN units u ON u.id = r.unit_id WHERE r.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

/// Rounds of reviewing units inside `like` (a scope pattern) or above it (`ancestors`: the
/// materialised paths of the account's unit and its ancestors).
pub async fn rounds_visible(db: &Db, like: &str, own_path: &str) -> DbResult<Vec<RoundRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", round_cols!(), " FROM access_rounds r JOIN units u ON u.id = r.unit_id
        WHERE u.path LIKE $1 OR $2 LIKE u.path || '%' ORDER BY r.year DESC, u.name COLLATE vi"))
        .bind(like).bind(own_path).fetch_all(p).await)?)
}

/// Rounds of units that no longer exist (districts and communes before the 2025 reform).
pub async fn old_rounds(db: &Db) -> DbResult<Vec<RoundRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", round_cols!(), " FROM access_rounds r JOIN units u ON u.id = r.unit_id
        WHERE u.valid_to IS NOT NULL ORDER BY r.year DESC, u.name COLLATE vi"))
        .fetch_all(p).await)?)
}

pub async fn create_round(tx: &mut Tx, unit_id: i64, year: i64, ruleset_id: i64, opened_on: NaiveDate, deadline: NaiveDate, by: i64) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO access_rounds (unit_id, year, ruleset_id, opened_on, deadline, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(unit_id).bind(year).bind(ruleset_id).bind(opened_on).bind(deadline).bind(by).bind(now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn round_exists(tx: &mut Tx, unit_id: i64, year: i64) -> DbResult<bool> {
    let (n,): (i64,) = with_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM access_rounds WHERE unit_id = $1 AND year = $2")
        .bind(unit_id).bind(year).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

pub async fn set_meeting(tx: &mut Tx, id: i64, on: NaiveDate, members: &str, conclusion: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE access_rounds SET meeting_on = $1, meeting_members = $2, meeting_conclusion = $3 WHERE id = $4")
        .bind(on).bind(members).bind(conclusion).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn set_decision(tx: &mut Tx, id: i64, no: &str, on: NaiveDate, signer: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE access_rounds SET decision_no = $1, decision_on = $2, decision_signer = $3, decided_at = $4 WHERE id = $5")
        .bind(no).bind(on).bind(signer).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

// ---------------------------------------------------------------- assessments

/// A commune's assessment with its round.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct AssessmentRow {
    pub id: i64,
    pub round_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_code: String,
    #[serde(skip)]
    pub unit_path: String,
    pub unit_valid_to: Option<NaiveDate>,
    pub status: String,
    pub posted_from: Option<NaiveDate>,
    pub posted_to: Option<NaiveDate>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub self_total: Option<i64>,
    pub final_total: Option<i64>,
    pub self_recognisable: Option<bool>,
    pub final_recognisable: Option<bool>,
    pub proposal: Option<String>,
    pub decision_note: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub year: i64,
    pub ruleset_id: i64,
    pub deadline: NaiveDate,
    pub round_unit_id: i64,
    pub round_unit_name: String,
    #[serde(skip)]
    pub round_unit_path: String,
}

macro_rules! assessment_cols {
    () => {
        "a.id, a.round_id, a.unit_id, u.name AS unit_name, u.code AS unit_code, u.path AS unit_path, u.valid_to AS unit_valid_to,
         a.status, a.posted_from, a.posted_to, a.submitted_at, a.self_total, a.final_total, a.self_recognisable,
         a.final_recognisable, a.proposal, a.decision_note, a.updated_at, r.year, r.ruleset_id, r.deadline,
         r.unit_id AS round_unit_id, ru.name AS round_unit_name, ru.path AS round_unit_path
         FROM access_assessments a JOIN units u ON u.id = a.unit_id JOIN access_rounds r ON r.id = a.round_id
         JOIN units ru ON ru.id = r.unit_id"
    };
}

pub async fn assessment(db: &Db, id: i64) -> DbResult<AssessmentRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", assessment_cols!(), " WHERE a.id = $1")).bind(id).fetch_one(p).await)?)
}

pub async fn assessment_tx(tx: &mut Tx, id: i64) -> DbResult<AssessmentRow> {
    Ok(with_tx!(tx, c => sqlx::query_as(concat!("SELECT ", assessment_cols!(), " WHERE a.id = $1")).bind(id).fetch_one(&mut *c).await)?)
}

pub async fn assessments_of_round(db: &Db, round_id: i64) -> DbResult<Vec<AssessmentRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", assessment_cols!(), " WHERE a.round_id = $1 ORDER BY u.name COLLATE vi"))
        .bind(round_id).fetch_all(p).await)?)
}

/// Assessments of communes inside `like`, newest year first.
pub async fn assessments_in(db: &Db, like: &str, limit: i64) -> DbResult<Vec<AssessmentRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", assessment_cols!(), " WHERE u.path LIKE $1 ORDER BY r.year DESC, u.name COLLATE vi LIMIT $2"))
        .bind(like).bind(limit).fetch_all(p).await)?)
}

/// Assessments of one commune (all years).
pub async fn assessments_of_unit(db: &Db, unit_id: i64) -> DbResult<Vec<AssessmentRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", assessment_cols!(), " WHERE a.unit_id = $1 ORDER BY r.year DESC"))
        .bind(unit_id).fetch_all(p).await)?)
}

/// Assessments the public may see: posted (during or after posting) or decided.
pub async fn public_assessments(db: &Db, like: &str) -> DbResult<Vec<AssessmentRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", assessment_cols!(),
        " WHERE u.path LIKE $1 AND a.posted_from IS NOT NULL ORDER BY r.year DESC, u.name COLLATE vi"))
        .bind(like).fetch_all(p).await)?)
}

pub async fn create_assessment(tx: &mut Tx, round_id: i64, unit_id: i64) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO access_assessments (round_id, unit_id, status, updated_at) VALUES ($1, $2, 'draft', $3) RETURNING id")
        .bind(round_id).bind(unit_id).bind(now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn set_status(tx: &mut Tx, id: i64, status: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE access_assessments SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn set_posted(tx: &mut Tx, id: i64, from: NaiveDate, to: NaiveDate) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE access_assessments SET status = 'posted', posted_from = $1, posted_to = $2, updated_at = $3 WHERE id = $4")
        .bind(from).bind(to).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn set_submitted(tx: &mut Tx, id: i64) -> DbResult<()> {
    let at = now();
    exec!(tx, c => sqlx::query("UPDATE access_assessments SET status = 'submitted', submitted_at = $1, updated_at = $1 WHERE id = $2")
        .bind(at).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// Stores the computed results (totals in hundredths of a point).
pub async fn set_results(tx: &mut Tx, id: i64, self_total: i64, self_ok: bool, final_total: i64, final_ok: bool) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE access_assessments SET self_total = $1, self_recognisable = $2, final_total = $3, final_recognisable = $4 WHERE id = $5")
        .bind(self_total).bind(self_ok).bind(final_total).bind(final_ok).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn set_decision_note(tx: &mut Tx, id: i64, status: &str, note: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE access_assessments SET status = $1, decision_note = $2, updated_at = $3 WHERE id = $4")
        .bind(status).bind(note).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

// ---------------------------------------------------------------- values

/// One indicator's stored value.
#[derive(Clone, Debug, FromRow, Serialize, Default)]
pub struct ValueRow {
    pub assessment_id: i64,
    pub indicator: String,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub yes: Option<bool>,
    pub note: String,
    pub prefill_source: Option<String>,
    pub council_numerator: Option<i64>,
    pub council_denominator: Option<i64>,
    pub council_yes: Option<bool>,
    pub council_reason: Option<String>,
}

macro_rules! value_cols {
    () => {
        "assessment_id, indicator, numerator, denominator, yes, note, prefill_source, council_numerator,
         council_denominator, council_yes, council_reason FROM access_values"
    };
}

pub async fn values(db: &Db, assessment_id: i64) -> DbResult<Vec<ValueRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", value_cols!(), " WHERE assessment_id = $1"))
        .bind(assessment_id).fetch_all(p).await)?)
}

pub async fn values_tx(tx: &mut Tx, assessment_id: i64) -> DbResult<Vec<ValueRow>> {
    Ok(with_tx!(tx, c => sqlx::query_as(concat!("SELECT ", value_cols!(), " WHERE assessment_id = $1"))
        .bind(assessment_id).fetch_all(&mut *c).await)?)
}

pub async fn values_of_round(db: &Db, round_id: i64) -> DbResult<Vec<ValueRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", value_cols!(),
        " WHERE assessment_id IN (SELECT id FROM access_assessments WHERE round_id = $1)"))
        .bind(round_id).fetch_all(p).await)?)
}

/// The commune's figures for one indicator (the council's adjustment is kept).
pub async fn upsert_value(tx: &mut Tx, v: &ValueRow) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO access_values (assessment_id, indicator, numerator, denominator, yes, note, prefill_source, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (assessment_id, indicator) DO UPDATE SET numerator = excluded.numerator, denominator = excluded.denominator,
           yes = excluded.yes, note = excluded.note, prefill_source = excluded.prefill_source, updated_at = excluded.updated_at")
        .bind(v.assessment_id).bind(&v.indicator).bind(v.numerator).bind(v.denominator).bind(v.yes).bind(&v.note)
        .bind(&v.prefill_source).bind(now()).execute(&mut *c).await)?;
    Ok(())
}

/// The council's value for one indicator, with its reason.
/// `value` is (numerator, denominator, yes) as in the commune's columns.
pub async fn set_council_value(tx: &mut Tx, assessment_id: i64, indicator: &str, value: (Option<i64>, Option<i64>, Option<bool>), reason: &str, by: i64) -> DbResult<()> {
    let (num, den, yes) = value;
    exec!(tx, c => sqlx::query(
        "INSERT INTO access_values (assessment_id, indicator, note, council_numerator, council_denominator, council_yes, council_reason, council_by, updated_at)
         VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8)
         ON CONFLICT (assessment_id, indicator) DO UPDATE SET council_numerator = excluded.council_numerator,
           council_denominator = excluded.council_denominator, council_yes = excluded.council_yes,
           council_reason = excluded.council_reason, council_by = excluded.council_by, updated_at = excluded.updated_at")
        .bind(assessment_id).bind(indicator).bind(num).bind(den).bind(yes).bind(reason).bind(by).bind(now()).execute(&mut *c).await)?;
    Ok(())
}

// ---------------------------------------------------------------- evidence, disqualifiers, history, comments

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct EvidenceRow {
    pub id: i64,
    pub indicator: String,
    pub file_id: Option<i64>,
    pub link: Option<String>,
    pub title: String,
    pub created_at: DateTime<Utc>,
}

pub async fn evidence(db: &Db, assessment_id: i64) -> DbResult<Vec<EvidenceRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, indicator, file_id, link, title, created_at FROM access_evidence WHERE assessment_id = $1 ORDER BY indicator, id")
        .bind(assessment_id).fetch_all(p).await)?)
}

pub async fn add_evidence(tx: &mut Tx, assessment_id: i64, indicator: &str, file_id: Option<i64>, link: Option<&str>, title: &str, by: i64) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO access_evidence (assessment_id, indicator, file_id, link, title, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(assessment_id).bind(indicator).bind(file_id).bind(link).bind(title).bind(by).bind(now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

/// The assessment an evidence file belongs to.
pub async fn evidence_file_owner(db: &Db, file_id: i64) -> DbResult<Option<i64>> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT assessment_id FROM access_evidence WHERE file_id = $1")
        .bind(file_id).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct DisqualificationRow {
    pub id: i64,
    pub code: String,
    pub happened_on: Option<NaiveDate>,
    pub note: String,
}

pub async fn disqualifications(db: &Db, assessment_id: i64) -> DbResult<Vec<DisqualificationRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, code, happened_on, note FROM access_disqualifications WHERE assessment_id = $1 ORDER BY id")
        .bind(assessment_id).fetch_all(p).await)?)
}

pub async fn disqualification_codes_tx(tx: &mut Tx, assessment_id: i64) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_tx!(tx, c => sqlx::query_as("SELECT code FROM access_disqualifications WHERE assessment_id = $1")
        .bind(assessment_id).fetch_all(&mut *c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn add_disqualification(tx: &mut Tx, assessment_id: i64, code: &str, on: Option<NaiveDate>, note: &str, by: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO access_disqualifications (assessment_id, code, happened_on, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(assessment_id).bind(code).bind(on).bind(note).bind(by).bind(now()).execute(&mut *c).await)?;
    Ok(())
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct EventRow {
    pub kind: String,
    pub status: String,
    pub note: String,
    pub actor: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub async fn events(db: &Db, assessment_id: i64) -> DbResult<Vec<EventRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT e.kind, e.status, e.note, a.full_name AS actor, e.created_at FROM access_events e
         LEFT JOIN accounts a ON a.id = e.actor_id WHERE e.assessment_id = $1 ORDER BY e.id")
        .bind(assessment_id).fetch_all(p).await)?)
}

pub async fn add_event(tx: &mut Tx, assessment_id: i64, kind: &str, status: &str, note: &str, actor: Option<i64>) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO access_events (assessment_id, kind, status, note, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(assessment_id).bind(kind).bind(status).bind(note).bind(actor).bind(now()).execute(&mut *c).await)?;
    Ok(())
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct CommentRow {
    pub id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub author_contact: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub async fn comments(db: &Db, assessment_id: i64) -> DbResult<Vec<CommentRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, body, author_name, author_contact, created_at FROM access_comments WHERE assessment_id = $1 ORDER BY id")
        .bind(assessment_id).fetch_all(p).await)?)
}

pub async fn add_comment(tx: &mut Tx, assessment_id: i64, body: &str, name: Option<&str>, contact: Option<&str>, ip_hash: &str) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO access_comments (assessment_id, body, author_name, author_contact, ip_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(assessment_id).bind(body).bind(name).bind(contact).bind(ip_hash).bind(now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

/// Comments sent from one address since `since` (every instance counts the same rows).
pub async fn comments_from(tx: &mut Tx, ip_hash: &str, since: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = with_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM access_comments WHERE ip_hash = $1 AND created_at > $2")
        .bind(ip_hash).bind(since).fetch_one(&mut *c).await)?;
    Ok(n)
}

// ---------------------------------------------------------------- report figures

/// Communes (level `commune`) inside `like` in force on `day`.
pub async fn communes_in_force(db: &Db, like: &str, day: NaiveDate) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM units u WHERE u.path LIKE $1 AND u.level = 'commune'
         AND (u.valid_from IS NULL OR u.valid_from <= $2) AND (u.valid_to IS NULL OR u.valid_to >= $2)")
        .bind(like).bind(day).fetch_one(p).await)?;
    Ok(n)
}

/// (round id, assessment status) of every assessment of a commune inside `like` in the rounds
/// of the assessment years `first..=last`.
pub async fn states_in(db: &Db, like: &str, first: i64, last: i64) -> DbResult<Vec<(i64, String)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT a.round_id, a.status FROM access_assessments a JOIN units u ON u.id = a.unit_id
         JOIN access_rounds r ON r.id = a.round_id WHERE u.path LIKE $1 AND r.year >= $2 AND r.year <= $3")
        .bind(like).bind(first).bind(last).fetch_all(p).await)?)
}
