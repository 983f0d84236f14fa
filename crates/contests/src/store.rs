//! The contests' SQL for both databases: contests, the question bank, rounds, entrants with
//! their codes and sessions, attempts with one row per drawn question, the counted results and
//! the live counters. Times are bound from Rust.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::rules::bank::Question;
use crate::rules::draw::{Drawn, order_to_text};
use crate::rules::settings::{Counting, PredictionKind, Prize, Quota, RankKey, ShowAnswers};
use kernel::{Db, DbError, DbResult, Tx, exec, with_db, with_tx};

// ---------------------------------------------------------------- contests

/// A contest (cuộc thi) with its organiser unit and eligible area.
#[derive(Clone, Debug, FromRow)]
pub struct Contest {
    pub id: i64,
    pub unit_id: i64,
    pub title: String,
    pub intro: String,
    pub min_age: Option<i64>,
    pub area_unit_id: i64,
    pub require_id_number: bool,
    /// Mỗi người chỉ nhận một giải: an entrant keeps only the highest prize across rounds.
    pub one_prize_per_person: bool,
    /// The collective prizes (giải tập thể) as stored: JSON, empty for none
    /// (`rules::collective::Collective::from_stored`).
    pub collective: String,
    pub status: String,
    pub unit_name: String,
    pub unit_path: String,
    pub area_name: String,
    pub area_path: String,
}

macro_rules! contest_select {
    () => {
        "SELECT c.id, c.unit_id, c.title, c.intro, c.min_age, c.area_unit_id, c.require_id_number, c.one_prize_per_person, c.collective, c.status,
                u.name AS unit_name, u.path AS unit_path, a.name AS area_name, a.path AS area_path
         FROM contests c JOIN units u ON u.id = c.unit_id JOIN units a ON a.id = c.area_unit_id "
    };
}

/// What an organiser sets on a contest.
#[derive(Clone, Debug, Default)]
pub struct ContestInput {
    pub title: String,
    pub intro: String,
    pub min_age: Option<i64>,
    pub area_unit_id: i64,
    pub require_id_number: bool,
    pub one_prize_per_person: bool,
}

pub async fn contest(db: &Db, id: i64) -> DbResult<Contest> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(contest_select!(), "WHERE c.id = $1")).bind(id).fetch_one(p).await)?)
}

/// The contests of organiser units inside `like` (a path pattern), newest first.
pub async fn contests_in(db: &Db, like: &str) -> DbResult<Vec<Contest>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(contest_select!(), "WHERE u.path LIKE $1 ORDER BY c.id DESC")).bind(like).fetch_all(p).await)?)
}

pub async fn published_contests(db: &Db) -> DbResult<Vec<Contest>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(contest_select!(), "WHERE c.status = 'published' ORDER BY c.id DESC LIMIT 200")).fetch_all(p).await)?)
}

pub async fn insert_contest(tx: &mut Tx, unit_id: i64, c: &ContestInput) -> DbResult<i64> {
    let now = kernel::now();
    let (id,): (i64,) = with_tx!(tx, x => sqlx::query_as(
        "INSERT INTO contests (unit_id, title, intro, min_age, area_unit_id, require_id_number, one_prize_per_person, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $8) RETURNING id")
        .bind(unit_id).bind(&c.title).bind(&c.intro).bind(c.min_age).bind(c.area_unit_id).bind(c.require_id_number).bind(c.one_prize_per_person).bind(now)
        .fetch_one(&mut *x).await)?;
    Ok(id)
}

pub async fn update_contest(tx: &mut Tx, id: i64, c: &ContestInput) -> DbResult<()> {
    exec!(tx, x => sqlx::query("UPDATE contests SET title = $1, intro = $2, min_age = $3, area_unit_id = $4, require_id_number = $5, one_prize_per_person = $6, updated_at = $7 WHERE id = $8")
        .bind(&c.title).bind(&c.intro).bind(c.min_age).bind(c.area_unit_id).bind(c.require_id_number).bind(c.one_prize_per_person).bind(kernel::now()).bind(id)
        .execute(&mut *x).await)?;
    Ok(())
}

pub async fn set_contest_status(tx: &mut Tx, id: i64, status: &str) -> DbResult<()> {
    exec!(tx, x => sqlx::query("UPDATE contests SET status = $1, updated_at = $2 WHERE id = $3").bind(status).bind(kernel::now()).bind(id).execute(&mut *x).await)?;
    Ok(())
}

// ---------------------------------------------------------------- question bank

/// A question of the bank as stored (`options` as JSON).
#[derive(Clone, Debug, FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub contest_id: i64,
    pub text: String,
    pub options: String,
    pub correct: i64,
    pub explanation: String,
    pub topic: String,
    pub difficulty: String,
    pub source: String,
    pub frozen: bool,
}

impl QuestionRow {
    pub fn option_list(&self) -> Vec<String> {
        serde_json::from_str(&self.options).unwrap_or_default()
    }
}

macro_rules! question_cols {
    () => {
        "id, contest_id, text, options, correct, explanation, topic, difficulty, source, frozen"
    };
}

pub async fn questions(db: &Db, contest_id: i64) -> DbResult<Vec<QuestionRow>> {
    let sql = concat!("SELECT ", question_cols!(), " FROM contest_questions WHERE contest_id = $1 ORDER BY id");
    Ok(with_db!(db, p => sqlx::query_as(sql).bind(contest_id).fetch_all(p).await)?)
}

/// The questions a round may draw: the frozen ones (publishing a round freezes what it may draw).
pub async fn drawable(db: &Db, contest_id: i64) -> DbResult<Vec<QuestionRow>> {
    let sql = concat!("SELECT ", question_cols!(), " FROM contest_questions WHERE contest_id = $1 AND frozen = TRUE ORDER BY id");
    Ok(with_db!(db, p => sqlx::query_as(sql).bind(contest_id).fetch_all(p).await)?)
}

pub async fn question(db: &Db, id: i64) -> DbResult<QuestionRow> {
    let sql = concat!("SELECT ", question_cols!(), " FROM contest_questions WHERE id = $1");
    Ok(with_db!(db, p => sqlx::query_as(sql).bind(id).fetch_one(p).await)?)
}

pub async fn question_keys(db: &Db, contest_id: i64) -> DbResult<std::collections::HashSet<String>> {
    let rows: Vec<(String,)> = with_db!(db, p => sqlx::query_as("SELECT text_key FROM contest_questions WHERE contest_id = $1").bind(contest_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn insert_question(tx: &mut Tx, contest_id: i64, q: &Question) -> DbResult<i64> {
    let options = serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into());
    let key = crate::rules::bank::text_key(&q.text);
    let (id,): (i64,) = with_tx!(tx, x => sqlx::query_as(
        "INSERT INTO contest_questions (contest_id, text, text_key, options, correct, explanation, topic, difficulty, source, frozen, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE, $10) RETURNING id")
        .bind(contest_id).bind(&q.text).bind(key).bind(options).bind(q.correct as i64).bind(&q.explanation).bind(&q.topic)
        .bind(&q.difficulty).bind(&q.source).bind(kernel::now())
        .fetch_one(&mut *x).await)?;
    Ok(id)
}

/// Updates a question unless it is frozen: the rows changed (0 when frozen).
pub async fn update_question(tx: &mut Tx, id: i64, q: &Question) -> DbResult<u64> {
    let options = serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into());
    let key = crate::rules::bank::text_key(&q.text);
    Ok(exec!(tx, x => sqlx::query(
        "UPDATE contest_questions SET text = $1, text_key = $2, options = $3, correct = $4, explanation = $5, topic = $6, difficulty = $7, source = $8
         WHERE id = $9 AND frozen = FALSE")
        .bind(&q.text).bind(key).bind(options).bind(q.correct as i64).bind(&q.explanation).bind(&q.topic).bind(&q.difficulty).bind(&q.source).bind(id)
        .execute(&mut *x).await)?)
}

pub async fn freeze(tx: &mut Tx, ids: &[i64]) -> DbResult<()> {
    for id in ids {
        exec!(tx, x => sqlx::query("UPDATE contest_questions SET frozen = TRUE WHERE id = $1").bind(id).execute(&mut *x).await)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- rounds

#[derive(Clone, Debug, FromRow)]
struct RoundRow {
    id: i64,
    contest_id: i64,
    number: i64,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_limit_s: i64,
    grace_s: i64,
    max_attempts: i64,
    counting: String,
    quotas: String,
    prediction_kind: Option<String>,
    prediction_text: String,
    ranking_keys: String,
    prizes: String,
    show_answers: String,
    status: String,
}

/// A round (vòng thi) with its rules read back from their stored form.
#[derive(Clone, Debug)]
pub struct Round {
    pub id: i64,
    pub contest_id: i64,
    pub number: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_limit_s: i64,
    pub grace_s: i64,
    pub max_attempts: i64,
    pub counting: Counting,
    pub quotas: Vec<Quota>,
    pub prediction: Option<PredictionKind>,
    pub prediction_text: String,
    pub keys: Vec<RankKey>,
    pub prizes: Vec<Prize>,
    pub show_answers: ShowAnswers,
    pub status: String,
}

impl Round {
    pub fn question_count(&self) -> usize {
        self.quotas.iter().map(|q| q.count).sum()
    }
    pub fn published(&self) -> bool {
        self.status == "published"
    }
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.published() && self.starts_at <= now && now < self.ends_at
    }
}

impl From<RoundRow> for Round {
    fn from(r: RoundRow) -> Round {
        Round {
            id: r.id,
            contest_id: r.contest_id,
            number: r.number,
            title: r.title,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            time_limit_s: r.time_limit_s,
            grace_s: r.grace_s,
            max_attempts: r.max_attempts,
            counting: Counting::parse(&r.counting).unwrap_or(Counting::Best),
            quotas: serde_json::from_str(&r.quotas).unwrap_or_default(),
            prediction: r.prediction_kind.as_deref().and_then(PredictionKind::parse),
            prediction_text: r.prediction_text,
            keys: serde_json::from_str(&r.ranking_keys).unwrap_or_else(|_| RankKey::DEFAULT.to_vec()),
            prizes: serde_json::from_str(&r.prizes).unwrap_or_default(),
            show_answers: ShowAnswers::parse(&r.show_answers).unwrap_or(ShowAnswers::AfterRound),
            status: r.status,
        }
    }
}

macro_rules! round_cols {
    () => {
        "id, contest_id, number, title, starts_at, ends_at, time_limit_s, grace_s, max_attempts, counting, quotas, prediction_kind, prediction_text, ranking_keys, prizes, show_answers, status"
    };
}

pub async fn round(db: &Db, id: i64) -> DbResult<Round> {
    let sql = concat!("SELECT ", round_cols!(), " FROM contest_rounds WHERE id = $1");
    let r: RoundRow = with_db!(db, p => sqlx::query_as(sql).bind(id).fetch_one(p).await)?;
    Ok(r.into())
}

pub async fn rounds(db: &Db, contest_id: i64) -> DbResult<Vec<Round>> {
    let sql = concat!("SELECT ", round_cols!(), " FROM contest_rounds WHERE contest_id = $1 ORDER BY number");
    let r: Vec<RoundRow> = with_db!(db, p => sqlx::query_as(sql).bind(contest_id).fetch_all(p).await)?;
    Ok(r.into_iter().map(Round::from).collect())
}

/// What an organiser sets on a round.
#[derive(Clone, Debug)]
pub struct RoundInput {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_limit_s: i64,
    pub grace_s: i64,
    pub max_attempts: i64,
    pub counting: Counting,
    pub quotas: Vec<Quota>,
    pub prediction: Option<PredictionKind>,
    pub prediction_text: String,
    pub keys: Vec<RankKey>,
    pub prizes: Vec<Prize>,
    pub show_answers: ShowAnswers,
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub async fn insert_round(tx: &mut Tx, contest_id: i64, r: &RoundInput) -> DbResult<i64> {
    let (n,): (i64,) = with_tx!(tx, x => sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM contest_rounds WHERE contest_id = $1").bind(contest_id).fetch_one(&mut *x).await)?;
    let (id,): (i64,) = with_tx!(tx, x => sqlx::query_as(
        "INSERT INTO contest_rounds (contest_id, number, title, starts_at, ends_at, time_limit_s, grace_s, max_attempts, counting, quotas,
            prediction_kind, prediction_text, ranking_keys, prizes, show_answers, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'draft', $16) RETURNING id")
        .bind(contest_id).bind(n).bind(&r.title).bind(r.starts_at).bind(r.ends_at).bind(r.time_limit_s).bind(r.grace_s).bind(r.max_attempts)
        .bind(r.counting.as_str()).bind(json(&r.quotas)).bind(r.prediction.map(|p| p.as_str())).bind(&r.prediction_text)
        .bind(json(&r.keys)).bind(json(&r.prizes)).bind(r.show_answers.as_str()).bind(kernel::now())
        .fetch_one(&mut *x).await)?;
    Ok(id)
}

/// Updates a draft round: the rows changed (0 once published).
pub async fn update_round(tx: &mut Tx, id: i64, r: &RoundInput) -> DbResult<u64> {
    Ok(exec!(tx, x => sqlx::query(
        "UPDATE contest_rounds SET title = $1, starts_at = $2, ends_at = $3, time_limit_s = $4, grace_s = $5, max_attempts = $6, counting = $7,
            quotas = $8, prediction_kind = $9, prediction_text = $10, ranking_keys = $11, prizes = $12, show_answers = $13
         WHERE id = $14 AND status = 'draft'")
        .bind(&r.title).bind(r.starts_at).bind(r.ends_at).bind(r.time_limit_s).bind(r.grace_s).bind(r.max_attempts).bind(r.counting.as_str())
        .bind(json(&r.quotas)).bind(r.prediction.map(|p| p.as_str())).bind(&r.prediction_text).bind(json(&r.keys)).bind(json(&r.prizes))
        .bind(r.show_answers.as_str()).bind(id)
        .execute(&mut *x).await)?)
}

pub async fn publish_round(tx: &mut Tx, id: i64) -> DbResult<u64> {
    Ok(exec!(tx, x => sqlx::query("UPDATE contest_rounds SET status = 'published' WHERE id = $1 AND status = 'draft'").bind(id).execute(&mut *x).await)?)
}

// ---------------------------------------------------------------- entrants and sessions

/// An entrant (thí sinh) with their commune's name.
#[derive(Clone, Debug, FromRow)]
pub struct Entrant {
    pub id: i64,
    pub contest_id: i64,
    pub full_name: String,
    pub birth_year: i64,
    pub contact: String,
    pub commune_id: i64,
    pub commune_name: String,
    pub verified: bool,
    pub code_hash: Option<String>,
    pub code_expires_at: Option<DateTime<Utc>>,
}

macro_rules! entrant_select {
    () => {
        "SELECT e.id, e.contest_id, e.full_name, e.birth_year, e.contact, e.commune_id, u.name AS commune_name, e.verified,
                e.code_hash, e.code_expires_at
         FROM contest_entrants e JOIN units u ON u.id = e.commune_id "
    };
}

pub async fn entrant(db: &Db, id: i64) -> DbResult<Entrant> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(entrant_select!(), "WHERE e.id = $1")).bind(id).fetch_one(p).await)?)
}

pub async fn entrant_by_contact(db: &Db, contest_id: i64, contact: &str) -> DbResult<Option<Entrant>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(entrant_select!(), "WHERE e.contest_id = $1 AND e.contact = $2")).bind(contest_id).bind(contact).fetch_optional(p).await)?)
}

pub async fn entrant_count(db: &Db, contest_id: i64) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM contest_entrants WHERE contest_id = $1").bind(contest_id).fetch_one(p).await)?;
    Ok(n)
}

/// The communes under an area (whose units' paths start with `area_path`) in force on `day` whose
/// folded name contains `key` (empty: all), at most `limit`, by name.
pub async fn area_communes(db: &Db, area_path: &str, key: &str, day: chrono::NaiveDate, limit: i64) -> DbResult<Vec<(i64, String)>> {
    let pattern = format!("{area_path}%");
    let name = kernel::like_contains(key);
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, name FROM units WHERE level = 'commune' AND path LIKE $1 AND name_key LIKE $2 ESCAPE '\\'
           AND (valid_from IS NULL OR valid_from <= $3) AND (valid_to IS NULL OR valid_to >= $3)
         ORDER BY name COLLATE vi, id LIMIT $4")
        .bind(&pattern).bind(&name).bind(day).bind(limit).fetch_all(p).await)?)
}

/// What a registration stores.
#[derive(Clone, Debug)]
pub struct NewEntrant<'a> {
    pub contest_id: i64,
    pub full_name: &'a str,
    pub birth_year: i64,
    pub contact: &'a str,
    pub commune_id: i64,
    pub id_hash: Option<&'a str>,
}

/// Inserts an entrant; a second registration with the same contact is a `Conflict`.
pub async fn insert_entrant(tx: &mut Tx, e: &NewEntrant<'_>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, x => sqlx::query_as(
        "INSERT INTO contest_entrants (contest_id, full_name, birth_year, contact, commune_id, id_hash, verified, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7) RETURNING id")
        .bind(e.contest_id).bind(e.full_name).bind(e.birth_year).bind(e.contact).bind(e.commune_id).bind(e.id_hash).bind(kernel::now())
        .fetch_one(&mut *x).await)?;
    Ok(id)
}

/// Replaces the entrant's one-time code (the tries already counted this hour stay counted).
pub async fn set_code(tx: &mut Tx, entrant_id: i64, code_hash: &str, expires_at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, x => sqlx::query("UPDATE contest_entrants SET code_hash = $1, code_expires_at = $2 WHERE id = $3")
        .bind(code_hash).bind(expires_at).bind(entrant_id).execute(&mut *x).await)?;
    Ok(())
}

/// Adds one to a limit counter for the hour starting at `window_start` and returns the new
/// count: one upsert, so concurrent requests each get a distinct count (the cap holds across
/// instances).
pub async fn bump_limit(tx: &mut Tx, bucket: &str, window_start: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = with_tx!(tx, x => sqlx::query_as(
        "INSERT INTO contest_limits (bucket, window_start, n) VALUES ($1, $2, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET n = contest_limits.n + 1 RETURNING n")
        .bind(bucket).bind(window_start).fetch_one(&mut *x).await)?;
    Ok(n)
}

/// The contact key a session that matches no entrant was opened for (see
/// `service::request_code`), if its row is still kept.
pub async fn ghost_contact(db: &Db, secret_hash: &str) -> DbResult<Option<String>> {
    let pattern = format!("ghost:{secret_hash}:%");
    let row: Option<(String,)> = with_db!(db, p => sqlx::query_as("SELECT bucket FROM contest_limits WHERE bucket LIKE $1 LIMIT 1").bind(&pattern).fetch_optional(p).await)?;
    Ok(row.and_then(|(b,)| b.rsplit(':').next().map(str::to_string)))
}

/// Deletes limit counters of hours before `before` (kept small by the registration path).
pub async fn prune_limits(tx: &mut Tx, before: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, x => sqlx::query("DELETE FROM contest_limits WHERE window_start < $1").bind(before).execute(&mut *x).await)?;
    Ok(())
}

/// The entrant's current code hash if it has not expired at `now`.
pub async fn live_code(tx: &mut Tx, entrant_id: i64, now: DateTime<Utc>) -> DbResult<Option<String>> {
    let row: Option<(Option<String>,)> = with_tx!(tx, x => sqlx::query_as("SELECT code_hash FROM contest_entrants WHERE id = $1 AND code_expires_at > $2")
        .bind(entrant_id).bind(now).fetch_optional(&mut *x).await)?;
    Ok(row.and_then(|r| r.0))
}

/// Marks the entrant verified and spends the code.
/// Only the code that was checked is spent: the rows changed (0 when a new code replaced it).
pub async fn mark_verified(tx: &mut Tx, entrant_id: i64, code_hash: &str) -> DbResult<u64> {
    Ok(exec!(tx, x => sqlx::query("UPDATE contest_entrants SET verified = TRUE, code_hash = NULL, code_expires_at = NULL WHERE id = $1 AND code_hash = $2")
        .bind(entrant_id).bind(code_hash).execute(&mut *x).await)?)
}

pub async fn create_session(tx: &mut Tx, secret_hash: &str, entrant_id: i64, expires_at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, x => sqlx::query("INSERT INTO contest_sessions (secret_hash, entrant_id, verified, expires_at) VALUES ($1, $2, FALSE, $3)")
        .bind(secret_hash).bind(entrant_id).bind(expires_at).execute(&mut *x).await)?;
    Ok(())
}

pub async fn verify_session(tx: &mut Tx, secret_hash: &str) -> DbResult<()> {
    exec!(tx, x => sqlx::query("UPDATE contest_sessions SET verified = TRUE WHERE secret_hash = $1").bind(secret_hash).execute(&mut *x).await)?;
    Ok(())
}

/// The session's (entrant id, verified), if it exists and has not expired at `now`.
pub async fn session(db: &Db, secret_hash: &str, now: DateTime<Utc>) -> DbResult<Option<(i64, bool)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT entrant_id, verified FROM contest_sessions WHERE secret_hash = $1 AND expires_at > $2")
        .bind(secret_hash).bind(now).fetch_optional(p).await)?)
}

// ---------------------------------------------------------------- attempts

/// An attempt (lượt thi).
#[derive(Clone, Debug, FromRow)]
pub struct Attempt {
    pub id: i64,
    pub round_id: i64,
    pub entrant_id: i64,
    pub number: i64,
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub deadline_at: DateTime<Utc>,
    pub accept_until: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub score: Option<i64>,
    pub question_count: i64,
    pub duration_ms: Option<i64>,
    pub prediction: Option<i64>,
}

macro_rules! attempt_cols {
    () => {
        "id, round_id, entrant_id, number, status, started_at, deadline_at, accept_until, closed_at, score, question_count, duration_ms, prediction"
    };
}

pub async fn attempt(db: &Db, id: i64) -> DbResult<Attempt> {
    let sql = concat!("SELECT ", attempt_cols!(), " FROM contest_attempts WHERE id = $1");
    Ok(with_db!(db, p => sqlx::query_as(sql).bind(id).fetch_one(p).await)?)
}

pub async fn attempts_of(db: &Db, round_id: i64, entrant_id: i64) -> DbResult<Vec<Attempt>> {
    let sql = concat!("SELECT ", attempt_cols!(), " FROM contest_attempts WHERE round_id = $1 AND entrant_id = $2 ORDER BY number");
    Ok(with_db!(db, p => sqlx::query_as(sql).bind(round_id).bind(entrant_id).fetch_all(p).await)?)
}

pub async fn active_attempt(db: &Db, entrant_id: i64) -> DbResult<Option<Attempt>> {
    let sql = concat!("SELECT ", attempt_cols!(), " FROM contest_attempts WHERE entrant_id = $1 AND status = 'active'");
    Ok(with_db!(db, p => sqlx::query_as(sql).bind(entrant_id).fetch_optional(p).await)?)
}

/// Active attempts of a round no longer taking answers at `now` (closed by the query-time rule).
pub async fn stale_attempts(db: &Db, round_id: i64, now: DateTime<Utc>) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM contest_attempts WHERE round_id = $1 AND status = 'active' AND accept_until < $2")
        .bind(round_id).bind(now).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Starts an attempt with its drawn questions. A second active attempt of the same entrant, or
/// a number already used, is a `Conflict` (the unique indexes decide, across instances).
#[allow(clippy::too_many_arguments)]
pub async fn insert_attempt(tx: &mut Tx, round_id: i64, entrant_id: i64, number: i64, started: DateTime<Utc>, deadline: DateTime<Utc>, accept_until: DateTime<Utc>, drawn: &[Drawn]) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, x => sqlx::query_as(
        "INSERT INTO contest_attempts (round_id, entrant_id, number, status, started_at, deadline_at, accept_until, question_count)
         VALUES ($1, $2, $3, 'active', $4, $5, $6, $7) RETURNING id")
        .bind(round_id).bind(entrant_id).bind(number).bind(started).bind(deadline).bind(accept_until).bind(drawn.len() as i64)
        .fetch_one(&mut *x).await)?;
    for (i, d) in drawn.iter().enumerate() {
        exec!(tx, x => sqlx::query("INSERT INTO contest_attempt_items (attempt_id, position, question_id, option_order) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(i as i64 + 1).bind(d.question_id).bind(order_to_text(&d.option_order)).execute(&mut *x).await)?;
    }
    Ok(id)
}

/// One drawn question of an attempt with its bank question.
#[derive(Clone, Debug, FromRow)]
pub struct Item {
    pub position: i64,
    pub question_id: i64,
    pub option_order: String,
    pub chosen: Option<i64>,
    pub text: String,
    pub options: String,
    pub correct: i64,
    pub explanation: String,
    pub source: String,
}

pub async fn items(db: &Db, attempt_id: i64) -> DbResult<Vec<Item>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT i.position, i.question_id, i.option_order, i.chosen, q.text, q.options, q.correct, q.explanation, q.source
         FROM contest_attempt_items i JOIN contest_questions q ON q.id = i.question_id WHERE i.attempt_id = $1 ORDER BY i.position")
        .bind(attempt_id).fetch_all(p).await)?)
}

/// One answer to save: the chosen option's shown position for a question of an attempt, with
/// the entrant who sent it and the time it was received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnswerSave {
    pub attempt_id: i64,
    pub entrant_id: i64,
    pub position: i64,
    pub chosen: i64,
    pub at: DateTime<Utc>,
}

/// Saves one answer if the attempt is the entrant's, still active and taking answers at `now`:
/// the rows changed (0: refused). See [`save_answers`].
pub async fn save_answer(db: &Db, attempt_id: i64, entrant_id: i64, position: i64, chosen: i64, now: DateTime<Utc>) -> DbResult<u64> {
    let saved = save_answers(db, &[AnswerSave { attempt_id, entrant_id, position, chosen, at: now }]).await?;
    Ok(saved.first().copied().unwrap_or(0))
}

/// Saves a batch of answers in ONE transaction (one commit, one fsync: the group commit of
/// [`crate::writer`]) and returns, for each save in order, the rows it changed (0: refused
/// because the attempt is not the entrant's, is closed, or no longer takes answers at the save's
/// time). Later saves of the same question win, as if they had been committed one by one.
/// On PostgreSQL the batch is one statement.
///
/// The guard takes the attempt row (a row lock on PostgreSQL; SQLite has one writer), so a
/// concurrent close either waits for the batch and scores its answers, or runs first and the
/// batch's saves for that attempt are refused.
pub async fn save_answers(db: &Db, saves: &[AnswerSave]) -> DbResult<Vec<u64>> {
    if saves.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = db.begin().await?;
    let out = match &mut tx {
        Tx::Sqlite(x) => {
            // In-process statements cost microseconds: one pair per save, in arrival order.
            let mut out = Vec::with_capacity(saves.len());
            for s in saves {
                let open: Option<(i64,)> = sqlx::query_as(
                    "UPDATE contest_attempts SET accept_until = accept_until WHERE id = $1 AND entrant_id = $2 AND status = 'active' AND accept_until >= $3 RETURNING id")
                    .bind(s.attempt_id).bind(s.entrant_id).bind(s.at).fetch_optional(&mut **x).await?;
                let n = match open {
                    None => 0,
                    Some(_) => sqlx::query("UPDATE contest_attempt_items SET chosen = $1, answered_at = $2 WHERE attempt_id = $3 AND position = $4")
                        .bind(s.chosen).bind(s.at).bind(s.attempt_id).bind(s.position).execute(&mut **x).await?.rows_affected(),
                };
                out.push(n);
            }
            out
        }
        Tx::Postgres(x) => {
            // One statement for the whole batch (one round trip). Each save is checked on its
            // own (its ordinal `n`): the attempts are locked in id order (two instances' batches
            // never deadlock on them) with a lock that re-checks each attempt after waiting for a
            // close; of the saves that pass, the last one of each question is written (as if
            // the saves were committed one by one, in order); each passing save of a question
            // that exists counts as saved.
            let col = |f: fn(&AnswerSave) -> i64| saves.iter().map(f).collect::<Vec<i64>>();
            let at: Vec<DateTime<Utc>> = saves.iter().map(|s| s.at).collect();
            let done: Vec<(i64,)> = sqlx::query_as(
                "WITH input AS (
                   SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::timestamptz[])
                     WITH ORDINALITY AS t(attempt_id, entrant_id, position, chosen, at, n)),
                 open AS (
                   SELECT i.n, i.attempt_id, i.position, i.chosen, i.at FROM contest_attempts a JOIN input i ON i.attempt_id = a.id
                   WHERE a.entrant_id = i.entrant_id AND a.status = 'active' AND a.accept_until >= i.at
                   ORDER BY a.id FOR NO KEY UPDATE OF a),
                 latest AS (
                   SELECT DISTINCT ON (attempt_id, position) attempt_id, position, chosen, at FROM open
                   ORDER BY attempt_id, position, n DESC),
                 written AS (
                   UPDATE contest_attempt_items it SET chosen = l.chosen, answered_at = l.at
                   FROM latest l WHERE it.attempt_id = l.attempt_id AND it.position = l.position
                   RETURNING it.attempt_id, it.position)
                 SELECT o.n FROM open o JOIN written w ON w.attempt_id = o.attempt_id AND w.position = o.position")
                .bind(col(|s| s.attempt_id)).bind(col(|s| s.entrant_id)).bind(col(|s| s.position)).bind(col(|s| s.chosen)).bind(at)
                .fetch_all(&mut **x).await?;
            // `n` counts from 1 over `saves`.
            let done: std::collections::HashSet<i64> = done.into_iter().map(|(n,)| n).collect();
            (1..=saves.len() as i64).map(|n| u64::from(done.contains(&n))).collect()
        }
    };
    tx.commit().await?;
    Ok(out)
}

/// Saves the prediction on the entrant's attempt still taking answers at `now`: the rows changed.
pub async fn save_prediction(db: &Db, attempt_id: i64, entrant_id: i64, value: i64, now: DateTime<Utc>) -> DbResult<u64> {
    let mut tx = db.begin().await?;
    let n = exec!(&mut tx, x => sqlx::query("UPDATE contest_attempts SET prediction = $1 WHERE id = $2 AND entrant_id = $3 AND status = 'active' AND accept_until >= $4")
        .bind(value).bind(attempt_id).bind(entrant_id).bind(now).execute(&mut *x).await)?;
    tx.commit().await?;
    Ok(n)
}

/// (chosen shown position, option order, correct original index) of each question of an
/// attempt, read inside the closing transaction.
/// Each drawn question of an attempt: (question, chosen shown position, option order, correct
/// original index).
pub async fn marks(tx: &mut Tx, attempt_id: i64) -> DbResult<Vec<(i64, Option<i64>, String, i64)>> {
    Ok(with_tx!(tx, x => sqlx::query_as(
        "SELECT i.question_id, i.chosen, i.option_order, q.correct FROM contest_attempt_items i JOIN contest_questions q ON q.id = i.question_id WHERE i.attempt_id = $1")
        .bind(attempt_id).fetch_all(&mut *x).await)?)
}

/// Claims an active attempt for closing (the first statement of the closing transaction, so
/// that a concurrent answer save is serialised with it): the rows changed (0 when another
/// request closed it first).
pub async fn close_attempt(tx: &mut Tx, id: i64, status: &str, closed_at: DateTime<Utc>, duration_ms: i64, prediction: Option<i64>) -> DbResult<u64> {
    Ok(exec!(tx, x => sqlx::query(
        "UPDATE contest_attempts SET status = $1, closed_at = $2, duration_ms = $3, prediction = COALESCE($4, prediction) WHERE id = $5 AND status = 'active'")
        .bind(status).bind(closed_at).bind(duration_ms).bind(prediction).bind(id).execute(&mut *x).await)?)
}

/// Writes the score of a claimed attempt.
pub async fn set_score(tx: &mut Tx, id: i64, score: i64) -> DbResult<()> {
    exec!(tx, x => sqlx::query("UPDATE contest_attempts SET score = $1 WHERE id = $2").bind(score).bind(id).execute(&mut *x).await)?;
    Ok(())
}

pub async fn attempt_tx(tx: &mut Tx, id: i64) -> DbResult<Attempt> {
    let sql = concat!("SELECT ", attempt_cols!(), " FROM contest_attempts WHERE id = $1");
    Ok(with_tx!(tx, x => sqlx::query_as(sql).bind(id).fetch_one(&mut *x).await)?)
}

// ---------------------------------------------------------------- results and counters

/// The attempt that counts for an entrant in a round.
#[derive(Clone, Debug, FromRow)]
pub struct ResultRow {
    pub entrant_id: i64,
    pub attempt_id: i64,
    pub score: i64,
    pub question_count: i64,
    pub duration_ms: i64,
    pub started_at: DateTime<Utc>,
    pub prediction: Option<i64>,
    pub attempts: i64,
    pub full_score_attempts: i64,
}

pub async fn result_tx(tx: &mut Tx, round_id: i64, entrant_id: i64) -> DbResult<Option<ResultRow>> {
    Ok(with_tx!(tx, x => sqlx::query_as(
        "SELECT entrant_id, attempt_id, score, question_count, duration_ms, started_at, prediction, attempts, full_score_attempts
         FROM contest_results WHERE round_id = $1 AND entrant_id = $2")
        .bind(round_id).bind(entrant_id).fetch_optional(&mut *x).await)?)
}

/// Writes the counted result of an entrant in a round (insert or replace).
pub async fn put_result(tx: &mut Tx, round_id: i64, r: &ResultRow) -> DbResult<()> {
    exec!(tx, x => sqlx::query(
        "INSERT INTO contest_results (round_id, entrant_id, attempt_id, score, question_count, duration_ms, started_at, prediction, attempts, full_score_attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (round_id, entrant_id) DO UPDATE SET attempt_id = excluded.attempt_id, score = excluded.score,
            question_count = excluded.question_count, duration_ms = excluded.duration_ms, started_at = excluded.started_at,
            prediction = excluded.prediction, attempts = excluded.attempts, full_score_attempts = excluded.full_score_attempts")
        .bind(round_id).bind(r.entrant_id).bind(r.attempt_id).bind(r.score).bind(r.question_count).bind(r.duration_ms).bind(r.started_at)
        .bind(r.prediction).bind(r.attempts).bind(r.full_score_attempts).execute(&mut *x).await)?;
    Ok(())
}

/// A counted result with the entrant's name and commune, for the ranking.
#[derive(Clone, Debug, FromRow)]
pub struct RankedRow {
    pub entrant_id: i64,
    pub full_name: String,
    pub birth_year: i64,
    pub commune_name: String,
    pub score: i64,
    pub question_count: i64,
    pub duration_ms: i64,
    pub started_at: DateTime<Utc>,
    pub prediction: Option<i64>,
    pub attempts: i64,
    pub full_score_attempts: i64,
}

pub async fn results_of_round(db: &Db, round_id: i64) -> DbResult<Vec<RankedRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT r.entrant_id, e.full_name, e.birth_year, u.name AS commune_name, r.score, r.question_count, r.duration_ms, r.started_at,
                r.prediction, r.attempts, r.full_score_attempts
         FROM contest_results r JOIN contest_entrants e ON e.id = r.entrant_id JOIN units u ON u.id = e.commune_id
         WHERE r.round_id = $1")
        .bind(round_id).fetch_all(p).await)?)
}

/// Adds to a round's counters for a commune (created at zero on first use).
pub async fn bump_counters(tx: &mut Tx, round_id: i64, commune_id: i64, entrants: i64, attempts: i64, submissions: i64) -> DbResult<()> {
    exec!(tx, x => sqlx::query(
        "INSERT INTO contest_counters (round_id, commune_id, entrants, attempts, submissions) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (round_id, commune_id) DO UPDATE SET entrants = contest_counters.entrants + excluded.entrants,
            attempts = contest_counters.attempts + excluded.attempts, submissions = contest_counters.submissions + excluded.submissions")
        .bind(round_id).bind(commune_id).bind(entrants).bind(attempts).bind(submissions).execute(&mut *x).await)?;
    Ok(())
}

pub async fn bump_score(tx: &mut Tx, round_id: i64, score: i64) -> DbResult<()> {
    exec!(tx, x => sqlx::query(
        "INSERT INTO contest_score_counts (round_id, score, attempts) VALUES ($1, $2, 1)
         ON CONFLICT (round_id, score) DO UPDATE SET attempts = contest_score_counts.attempts + 1")
        .bind(round_id).bind(score).execute(&mut *x).await)?;
    Ok(())
}

/// Shards of the per-question counters (`contest_question_counts`): a closing adds to the
/// shard of its attempt's id, so concurrent closings rarely update the same rows.
pub const QUESTION_SHARDS: i64 = 8;

/// Adds a closed attempt's questions to the round's per-question counters: for each drawn
/// question (question, answered, correct). One statement, rows in question order (so that two
/// closings on PostgreSQL lock shared rows in the same order).
pub async fn bump_questions(tx: &mut Tx, round_id: i64, attempt_id: i64, items: &[(i64, bool, bool)]) -> DbResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let mut items = items.to_vec();
    items.sort_by_key(|i| i.0);
    items.dedup_by_key(|i| i.0);
    let shard = attempt_id.rem_euclid(QUESTION_SHARDS);
    exec!(tx, x => {
        let mut qb = sqlx::QueryBuilder::new("INSERT INTO contest_question_counts (round_id, question_id, shard, drawn, answered, correct) ");
        qb.push_values(&items, |mut row, (id, answered, correct)| {
            row.push_bind(round_id).push_bind(*id).push_bind(shard).push_bind(1_i64).push_bind(i64::from(*answered)).push_bind(i64::from(*correct));
        });
        qb.push(
            " ON CONFLICT (round_id, question_id, shard) DO UPDATE SET drawn = contest_question_counts.drawn + 1,
               answered = contest_question_counts.answered + excluded.answered, correct = contest_question_counts.correct + excluded.correct",
        );
        qb.build().execute(&mut *x).await
    })?;
    Ok(())
}

/// A question's counters in a round, summed over the shards, with its text.
#[derive(Clone, Debug, FromRow)]
pub struct QuestionCountRow {
    pub question_id: i64,
    pub text: String,
    pub topic: String,
    pub drawn: i64,
    pub answered: i64,
    pub correct: i64,
}

/// The per-question counters of a round (one row per question drawn by a closed attempt).
pub async fn question_counts(db: &Db, round_id: i64) -> DbResult<Vec<QuestionCountRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT c.question_id, q.text, q.topic, CAST(SUM(c.drawn) AS BIGINT) AS drawn, CAST(SUM(c.answered) AS BIGINT) AS answered,
                CAST(SUM(c.correct) AS BIGINT) AS correct
         FROM contest_question_counts c JOIN contest_questions q ON q.id = c.question_id
         WHERE c.round_id = $1 GROUP BY c.question_id, q.text, q.topic")
        .bind(round_id).fetch_all(p).await)?)
}

/// Per commune: (commune name, entrants, attempts, submissions), most attempts first.
pub async fn counters(db: &Db, round_id: i64) -> DbResult<Vec<(String, i64, i64, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT u.name, c.entrants, c.attempts, c.submissions FROM contest_counters c JOIN units u ON u.id = c.commune_id
         WHERE c.round_id = $1 ORDER BY c.attempts DESC, u.name COLLATE vi")
        .bind(round_id).fetch_all(p).await)?)
}

/// (score, closed attempts) of a round, by score.
pub async fn score_counts(db: &Db, round_id: i64) -> DbResult<Vec<(i64, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT score, attempts FROM contest_score_counts WHERE round_id = $1 ORDER BY score")
        .bind(round_id).fetch_all(p).await)?)
}

/// Maps a unique violation to `Conflict` for callers that expect one.
pub fn is_conflict(e: &DbError) -> bool {
    matches!(e, DbError::Conflict(_))
}

// ---------------------------------------------------------------- exclusions and published results

/// An entrant left out of a round's ranking: (entrant id, reason).
pub async fn exclusions(db: &Db, round_id: i64) -> DbResult<Vec<(i64, String)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT entrant_id, reason FROM contest_exclusions WHERE round_id = $1 ORDER BY excluded_at, entrant_id")
        .bind(round_id).fetch_all(p).await)?)
}

/// Excludes an entrant from a round's ranking (or changes the reason).
pub async fn exclude(tx: &mut Tx, round_id: i64, entrant_id: i64, reason: &str, by: i64, at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, x => sqlx::query(
        "INSERT INTO contest_exclusions (round_id, entrant_id, reason, excluded_by, excluded_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (round_id, entrant_id) DO UPDATE SET reason = excluded.reason, excluded_by = excluded.excluded_by, excluded_at = excluded.excluded_at")
        .bind(round_id).bind(entrant_id).bind(reason).bind(by).bind(at).execute(&mut *x).await)?;
    Ok(())
}

/// Puts an excluded entrant back in the ranking: the rows changed (0: was not excluded).
pub async fn reinstate(tx: &mut Tx, round_id: i64, entrant_id: i64) -> DbResult<u64> {
    Ok(exec!(tx, x => sqlx::query("DELETE FROM contest_exclusions WHERE round_id = $1 AND entrant_id = $2").bind(round_id).bind(entrant_id).execute(&mut *x).await)?)
}

/// The contact (phone or e-mail) of each entrant with a counted result in a round: for the
/// organiser's export only.
pub async fn contacts_of_round(db: &Db, round_id: i64) -> DbResult<Vec<(i64, String)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT e.id, e.contact FROM contest_results r JOIN contest_entrants e ON e.id = r.entrant_id WHERE r.round_id = $1")
        .bind(round_id).fetch_all(p).await)?)
}

/// A round's published winners: (the JSON lines, when published).
pub async fn published_results(db: &Db, round_id: i64) -> DbResult<Option<(String, DateTime<Utc>)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT winners, published_at FROM contest_published_results WHERE round_id = $1")
        .bind(round_id).fetch_optional(p).await)?)
}

/// Publishes (or publishes again) a round's winners.
pub async fn put_published_results(tx: &mut Tx, round_id: i64, winners: &str, by: i64, at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, x => sqlx::query(
        "INSERT INTO contest_published_results (round_id, winners, published_by, published_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (round_id) DO UPDATE SET winners = excluded.winners, published_by = excluded.published_by, published_at = excluded.published_at")
        .bind(round_id).bind(winners).bind(by).bind(at).execute(&mut *x).await)?;
    Ok(())
}

// ---------------------------------------------------------------- report figures

/// The contests organised by units under `like` (a unit path pattern) that had a published
/// round open at some time in `[from, to)`: their number.
pub async fn contests_held(db: &Db, like: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(DISTINCT c.id) FROM contests c JOIN units u ON u.id = c.unit_id JOIN contest_rounds r ON r.contest_id = c.id
         WHERE u.path LIKE $1 AND c.status = 'published' AND r.status = 'published' AND r.starts_at < $3 AND r.ends_at >= $2")
        .bind(like).bind(from).bind(to).fetch_one(p).await)?;
    Ok(n)
}

/// The entrants who took part in a round of those contests in `[from, to)`, each counted once
/// per round (lượt người dự thi): pairs (round, entrant) with an attempt started in the window.
pub async fn entrants_taking_part(db: &Db, like: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM (SELECT DISTINCT a.round_id, a.entrant_id FROM contest_attempts a
            JOIN contest_rounds r ON r.id = a.round_id JOIN contests c ON c.id = r.contest_id JOIN units u ON u.id = c.unit_id
            WHERE u.path LIKE $1 AND a.started_at >= $2 AND a.started_at < $3) t")
        .bind(like).bind(from).bind(to).fetch_one(p).await)?;
    Ok(n)
}

// ---------------------------------------------------------------- certificates

/// A certificate with what its page and its PDF show.
#[derive(Clone, Debug, FromRow)]
pub struct CertificateRow {
    pub code: String,
    pub round_id: i64,
    pub entrant_id: i64,
    pub position: i64,
    pub prize: String,
    pub full_name: String,
    pub commune_name: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub round_title: String,
    pub contest_id: i64,
    pub contest_title: String,
    pub unit_name: String,
}

macro_rules! certificate_select {
    () => {
        "SELECT k.code, k.round_id, k.entrant_id, k.position, k.prize, k.full_name, k.commune_name, k.issued_at, k.revoked_at,
                r.title AS round_title, c.id AS contest_id, c.title AS contest_title, k.issuer AS unit_name
         FROM contest_certificates k JOIN contest_rounds r ON r.id = k.round_id JOIN contests c ON c.id = r.contest_id "
    };
}

pub async fn certificate(db: &Db, code: &str) -> DbResult<Option<CertificateRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(certificate_select!(), "WHERE k.code = $1")).bind(code).fetch_optional(p).await)?)
}

/// The certificates in force of a round: the prizes by position, then the participations (position
/// 0) by name.
pub async fn certificates_of_round(db: &Db, round_id: i64) -> DbResult<Vec<CertificateRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(certificate_select!(), "WHERE k.round_id = $1 AND k.revoked_at IS NULL ORDER BY k.position = 0, k.position, k.full_name COLLATE vi, k.code"))
        .bind(round_id).fetch_all(p).await)?)
}

/// An entrant's certificates in force.
pub async fn certificates_of_entrant(db: &Db, entrant_id: i64) -> DbResult<Vec<CertificateRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(certificate_select!(), "WHERE k.entrant_id = $1 AND k.revoked_at IS NULL ORDER BY r.number"))
        .bind(entrant_id).fetch_all(p).await)?)
}

/// The code of an entrant's certificate in force for a round, if any (outside a transaction).
pub async fn certificate_code(db: &Db, round_id: i64, entrant_id: i64) -> DbResult<Option<String>> {
    let row: Option<(String,)> = with_db!(db, p => sqlx::query_as("SELECT code FROM contest_certificates WHERE round_id = $1 AND entrant_id = $2 AND revoked_at IS NULL")
        .bind(round_id).bind(entrant_id).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

/// The code of an entrant's certificate in force for a round, if any.
pub async fn certificate_in_force(tx: &mut Tx, round_id: i64, entrant_id: i64) -> DbResult<Option<String>> {
    let row: Option<(String,)> = with_tx!(tx, x => sqlx::query_as("SELECT code FROM contest_certificates WHERE round_id = $1 AND entrant_id = $2 AND revoked_at IS NULL")
        .bind(round_id).bind(entrant_id).fetch_optional(&mut *x).await)?;
    Ok(row.map(|r| r.0))
}

/// Whether an entrant is excluded from a round's ranking.
pub async fn is_excluded(tx: &mut Tx, round_id: i64, entrant_id: i64) -> DbResult<bool> {
    let (n,): (i64,) = with_tx!(tx, x => sqlx::query_as("SELECT COUNT(*) FROM contest_exclusions WHERE round_id = $1 AND entrant_id = $2")
        .bind(round_id).bind(entrant_id).fetch_one(&mut *x).await)?;
    Ok(n > 0)
}

/// Revokes an entrant's certificate in force for a round.
pub async fn revoke_certificate_of(tx: &mut Tx, round_id: i64, entrant_id: i64, at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, x => sqlx::query("UPDATE contest_certificates SET revoked_at = $3 WHERE round_id = $1 AND entrant_id = $2 AND revoked_at IS NULL")
        .bind(round_id).bind(entrant_id).bind(at).execute(&mut *x).await)?;
    Ok(())
}

/// Revokes every certificate in force of a round (before the winners' are issued or restored).
pub async fn revoke_certificates(tx: &mut Tx, round_id: i64, at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, x => sqlx::query("UPDATE contest_certificates SET revoked_at = $2 WHERE round_id = $1 AND revoked_at IS NULL").bind(round_id).bind(at).execute(&mut *x).await)?;
    Ok(())
}

/// What a certificate states: a prize (position from 1) or taking part (position 0, no prize).
#[derive(Clone, Debug)]
pub struct NewCertificate<'a> {
    pub round_id: i64,
    pub entrant_id: i64,
    pub position: i64,
    pub prize: &'a str,
    pub full_name: &'a str,
    pub commune_name: &'a str,
    /// The organiser's name as it is when the certificate is issued.
    pub issuer: &'a str,
}

/// Issues a winner's certificate, unless one of theirs for this round states the same rank and
/// prize: that one is restored (its code and date kept). Call after
/// [`revoke_certificates`]. The code in force.
pub async fn put_certificate(tx: &mut Tx, k: &NewCertificate<'_>, code: &str, at: DateTime<Utc>) -> DbResult<String> {
    let same: Option<(String,)> = with_tx!(tx, x => sqlx::query_as(
        "SELECT code FROM contest_certificates WHERE round_id = $1 AND entrant_id = $2 AND position = $3 AND prize = $4 ORDER BY issued_at DESC LIMIT 1")
        .bind(k.round_id).bind(k.entrant_id).bind(k.position).bind(k.prize).fetch_optional(&mut *x).await)?;
    if let Some((code,)) = same {
        exec!(tx, x => sqlx::query("UPDATE contest_certificates SET revoked_at = NULL WHERE code = $1").bind(&code).execute(&mut *x).await)?;
        return Ok(code);
    }
    exec!(tx, x => sqlx::query(
        "INSERT INTO contest_certificates (code, round_id, entrant_id, position, prize, full_name, commune_name, issuer, issued_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)")
        .bind(code).bind(k.round_id).bind(k.entrant_id).bind(k.position).bind(k.prize).bind(k.full_name).bind(k.commune_name).bind(k.issuer).bind(at)
        .execute(&mut *x).await)?;
    Ok(code.to_string())
}

// ---------------------------------------------------------------- exports

/// One attempt of a round with its entrant, for the organiser's all-attempts export.
#[derive(Clone, Debug, FromRow)]
pub struct AttemptLine {
    pub number: i64,
    pub full_name: String,
    pub birth_year: i64,
    pub commune_name: String,
    pub contact: String,
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub duration_ms: Option<i64>,
    pub score: Option<i64>,
    pub question_count: i64,
    pub prediction: Option<i64>,
}

/// Every attempt of a round in the order they were started, as a stream read row by row from
/// the database (never collected), so that a million attempts take no more memory than a few.
/// The stream holds a read connection until it ends or is dropped.
pub fn attempt_lines(db: &Db, round_id: i64) -> futures_util::stream::BoxStream<'_, DbResult<AttemptLine>> {
    use futures_util::{StreamExt, TryStreamExt};
    const SQL: &str = "SELECT a.number, e.full_name, e.birth_year, u.name AS commune_name, e.contact, a.status, a.started_at, a.closed_at,
            a.duration_ms, a.score, a.question_count, a.prediction
         FROM contest_attempts a JOIN contest_entrants e ON e.id = a.entrant_id JOIN units u ON u.id = e.commune_id
         WHERE a.round_id = $1 ORDER BY a.id";
    with_db!(db, p => sqlx::query_as::<_, AttemptLine>(SQL).bind(round_id).fetch(p).map_err(DbError::from).boxed())
}

/// A round's live counters for one commune, with the commune's province.
#[derive(Clone, Debug, FromRow)]
pub struct CommuneCounters {
    pub province_name: String,
    pub commune_name: String,
    pub entrants: i64,
    pub attempts: i64,
    pub submissions: i64,
}

/// A round's live counters per commune (kept by the write path; the attempts are not read),
/// with the province each commune belongs to (the province-level unit at the root of its path).
/// In no particular order: the caller sorts in Vietnamese order.
pub async fn counters_with_province(db: &Db, round_id: i64) -> DbResult<Vec<CommuneCounters>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT COALESCE(pr.name, '') AS province_name, u.name AS commune_name, c.entrants, c.attempts, c.submissions
         FROM contest_counters c JOIN units u ON u.id = c.commune_id
              LEFT JOIN units pr ON pr.level = 'province' AND pr.id <> u.id AND u.path LIKE pr.path || '%'
         WHERE c.round_id = $1")
        .bind(round_id).fetch_all(p).await)?)
}

// ---------------------------------------------------------------- prizes across rounds

/// A prize an entrant holds in a round of a contest: a prize certificate in force (issued when
/// the round's winners were published).
#[derive(Clone, Debug, FromRow)]
pub struct HeldPrize {
    pub entrant_id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub prize: String,
}

/// The prizes held in the contest's rounds other than `round_id`.
pub async fn prizes_held_elsewhere(db: &Db, contest_id: i64, round_id: i64) -> DbResult<Vec<HeldPrize>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT k.entrant_id, k.round_id, r.title AS round_title, k.prize
         FROM contest_certificates k JOIN contest_rounds r ON r.id = k.round_id
         WHERE r.contest_id = $1 AND k.round_id <> $2 AND k.revoked_at IS NULL AND k.prize <> ''")
        .bind(contest_id).bind(round_id).fetch_all(p).await)?)
}

/// One entrant's counted results summed over the contest's published rounds (entrants excluded
/// from a round do not count in it).
#[derive(Clone, Debug, FromRow)]
pub struct OverallRow {
    pub entrant_id: i64,
    pub full_name: String,
    pub commune_name: String,
    pub rounds: i64,
    pub score: i64,
    pub question_count: i64,
    pub duration_ms: i64,
}

pub async fn overall_results(db: &Db, contest_id: i64) -> DbResult<Vec<OverallRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT r.entrant_id, e.full_name, u.name AS commune_name, COUNT(*) AS rounds, CAST(SUM(r.score) AS BIGINT) AS score,
                CAST(SUM(r.question_count) AS BIGINT) AS question_count, CAST(SUM(r.duration_ms) AS BIGINT) AS duration_ms
         FROM contest_results r
         JOIN contest_rounds rd ON rd.id = r.round_id
         JOIN contest_entrants e ON e.id = r.entrant_id
         JOIN units u ON u.id = e.commune_id
         WHERE rd.contest_id = $1 AND rd.status = 'published'
           AND NOT EXISTS (SELECT 1 FROM contest_exclusions x WHERE x.round_id = r.round_id AND x.entrant_id = r.entrant_id)
         GROUP BY r.entrant_id, e.full_name, u.name")
        .bind(contest_id).fetch_all(p).await)?)
}

// ---------------------------------------------------------------- collective prizes

pub async fn set_collective(tx: &mut Tx, contest_id: i64, stored: &str) -> DbResult<()> {
    exec!(tx, x => sqlx::query("UPDATE contests SET collective = $1, updated_at = $2 WHERE id = $3").bind(stored).bind(kernel::now()).bind(contest_id).execute(&mut *x).await)?;
    Ok(())
}

/// A unit that may compete for the collective prizes: (id, name, path).
#[derive(Clone, Debug, FromRow)]
pub struct UnitRef {
    pub id: i64,
    pub name: String,
    pub path: String,
}

/// The units of `level` ('commune' or 'province') in force on `day` inside the area (a path
/// pattern), at most `limit`.
pub async fn units_at_level(db: &Db, like: &str, level: &str, day: chrono::NaiveDate, limit: i64) -> DbResult<Vec<UnitRef>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, name, path FROM units WHERE path LIKE $1 AND level = $2
           AND (valid_from IS NULL OR valid_from <= $3) AND (valid_to IS NULL OR valid_to >= $3)
         ORDER BY name COLLATE vi, id LIMIT $4")
        .bind(like).bind(level).bind(day).bind(limit).fetch_all(p).await)?)
}

/// Every province-level unit, in force or not (a few hundred at most): the units a commune is
/// counted under at the province level, by path.
pub async fn provinces(db: &Db) -> DbResult<Vec<UnitRef>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT id, name, path FROM units WHERE level = 'province'").fetch_all(p).await)?)
}

/// Units by id: (id, name, path).
pub async fn units_by_ids(db: &Db, ids: &[i64]) -> DbResult<Vec<UnitRef>> {
    let mut out = Vec::new();
    for id in ids {
        if let Some(u) = with_db!(db, p => sqlx::query_as::<_, UnitRef>("SELECT id, name, path FROM units WHERE id = $1").bind(id).fetch_optional(p).await)? {
            out.push(u);
        }
    }
    Ok(out)
}

/// The headcounts set for a contest's units: (unit id, headcount).
pub async fn unit_targets(db: &Db, contest_id: i64) -> DbResult<Vec<(i64, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT unit_id, headcount FROM contest_unit_targets WHERE contest_id = $1").bind(contest_id).fetch_all(p).await)?)
}

/// Withdraws the published collective prizes (when the contest no longer has them).
pub async fn delete_collective_results(tx: &mut Tx, contest_id: i64) -> DbResult<u64> {
    Ok(exec!(tx, x => sqlx::query("DELETE FROM contest_collective_results WHERE contest_id = $1").bind(contest_id).execute(&mut *x).await)?)
}

/// Sets (or, with None, clears) the headcount of each unit.
pub async fn put_unit_targets(tx: &mut Tx, contest_id: i64, targets: &[(i64, Option<i64>)]) -> DbResult<()> {
    for (unit_id, headcount) in targets {
        match headcount {
            Some(h) => exec!(tx, x => sqlx::query(
                "INSERT INTO contest_unit_targets (contest_id, unit_id, headcount) VALUES ($1, $2, $3)
                 ON CONFLICT (contest_id, unit_id) DO UPDATE SET headcount = excluded.headcount")
                .bind(contest_id).bind(unit_id).bind(h).execute(&mut *x).await)?,
            None => exec!(tx, x => sqlx::query("DELETE FROM contest_unit_targets WHERE contest_id = $1 AND unit_id = $2")
                .bind(contest_id).bind(unit_id).execute(&mut *x).await)?,
        };
    }
    Ok(())
}

/// The people of each commune who took part in the contest, each counted once whatever the
/// rounds (a counted result in a published round, not excluded from it): (commune, entrants).
pub async fn entrants_by_commune(db: &Db, contest_id: i64) -> DbResult<Vec<(i64, String, String, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.name, u.path, COUNT(DISTINCT r.entrant_id) AS n
         FROM contest_results r
         JOIN contest_rounds rd ON rd.id = r.round_id
         JOIN contest_entrants e ON e.id = r.entrant_id
         JOIN units u ON u.id = e.commune_id
         WHERE rd.contest_id = $1 AND rd.status = 'published'
           AND NOT EXISTS (SELECT 1 FROM contest_exclusions x WHERE x.round_id = r.round_id AND x.entrant_id = r.entrant_id)
         GROUP BY u.id, u.name, u.path")
        .bind(contest_id).fetch_all(p).await)?)
}

/// The prizes held in the contest's rounds (prize certificates in force, issued when the
/// rounds' winners were published): (commune, its name and path, entrant, prize), one row per
/// prize.
pub async fn prizes_by_commune(db: &Db, contest_id: i64) -> DbResult<Vec<(i64, String, String, i64, String)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.name, u.path, k.entrant_id, k.prize
         FROM contest_certificates k JOIN contest_rounds r ON r.id = k.round_id
         JOIN contest_entrants e ON e.id = k.entrant_id JOIN units u ON u.id = e.commune_id
         WHERE r.contest_id = $1 AND k.revoked_at IS NULL AND k.prize <> ''")
        .bind(contest_id).fetch_all(p).await)?)
}

/// The published collective prizes: (JSON lines, when).
pub async fn collective_results(db: &Db, contest_id: i64) -> DbResult<Option<(String, DateTime<Utc>)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT lines, published_at FROM contest_collective_results WHERE contest_id = $1")
        .bind(contest_id).fetch_optional(p).await)?)
}

pub async fn put_collective_results(tx: &mut Tx, contest_id: i64, lines: &str, by: i64, at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, x => sqlx::query(
        "INSERT INTO contest_collective_results (contest_id, lines, published_by, published_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (contest_id) DO UPDATE SET lines = excluded.lines, published_by = excluded.published_by, published_at = excluded.published_at")
        .bind(contest_id).bind(lines).bind(by).bind(at).execute(&mut *x).await)?;
    Ok(())
}
