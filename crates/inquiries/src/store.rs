//! The SQL of questions and feedback for both databases: inboxes, holidays, topics, the items
//! with their routing, answers, citations and public versions, dialogues, and the spam counters.
//! Times and dates are bound from Rust.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use kernel::{Db, DbResult, Tx, exec, with_db, with_tx};

// ---------------------------------------------------------------- reference data

/// A province's inbox (nơi tiếp nhận) with its answer period in working days.
#[derive(Clone, Debug, FromRow)]
pub struct Inbox {
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub answer_days: i64,
}

pub async fn inboxes(db: &Db) -> DbResult<Vec<Inbox>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT b.unit_id, u.name AS unit_name, u.path AS unit_path, b.answer_days FROM inquiry_inboxes b JOIN units u ON u.id = b.unit_id ORDER BY u.name COLLATE vi")
        .fetch_all(p).await)?)
}

pub async fn set_inbox(tx: &mut Tx, unit_id: i64, answer_days: i64, at: DateTime<Utc>) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO inquiry_inboxes (unit_id, answer_days, updated_at) VALUES ($1, $2, $3) ON CONFLICT (unit_id) DO UPDATE SET answer_days = $2, updated_at = $3")
        .bind(unit_id).bind(answer_days).bind(at).execute(&mut *c).await)?;
    Ok(())
}

/// The holidays and days off in lieu between two days (inclusive).
pub async fn holidays(db: &Db, from: NaiveDate, to: NaiveDate) -> DbResult<BTreeSet<NaiveDate>> {
    let rows: Vec<(NaiveDate,)> = with_db!(db, p => sqlx::query_as("SELECT day FROM inquiry_holidays WHERE day >= $1 AND day <= $2").bind(from).bind(to).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// A holiday row (ngày nghỉ) with its legal basis and certainty.
#[derive(Clone, Debug, FromRow)]
pub struct Holiday {
    pub day: NaiveDate,
    pub name: String,
    pub legal_basis: String,
    pub certainty: String,
}

pub async fn holiday_rows(db: &Db, from: NaiveDate) -> DbResult<Vec<Holiday>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT day, name, legal_basis, certainty FROM inquiry_holidays WHERE day >= $1 ORDER BY day LIMIT 60").bind(from).fetch_all(p).await)?)
}

/// (code, name) of the topics, in order.
pub async fn topics(db: &Db) -> DbResult<Vec<(String, String)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT code, name FROM inquiry_topics ORDER BY position, code").fetch_all(p).await)?)
}

// ---------------------------------------------------------------- items

/// A new item as the public form sends it, cleaned and checked.
#[derive(Clone, Debug, Default)]
pub struct NewInquiry {
    pub code: String,
    pub kind: String,
    pub inbox_unit_id: i64,
    pub commune_id: Option<i64>,
    pub dialogue_id: Option<i64>,
    pub topic_code: Option<String>,
    pub title: String,
    pub body: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub private: bool,
}

/// Inserts a new item; `Conflict` when its code is taken.
pub async fn insert(tx: &mut Tx, n: &NewInquiry, at: DateTime<Utc>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO inquiries (code, kind, inbox_unit_id, commune_id, dialogue_id, topic_code, title, body, name, email, phone, private, status, received_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', $13, $13) RETURNING id")
        .bind(&n.code).bind(&n.kind).bind(n.inbox_unit_id).bind(n.commune_id).bind(n.dialogue_id).bind(&n.topic_code)
        .bind(&n.title).bind(&n.body).bind(&n.name).bind(&n.email).bind(&n.phone).bind(n.private).bind(at)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

/// An item with its units' names and paths. Contact fields are here for the officers' pages and
/// the e-mails only; public pages use [`PublicItem`].
#[derive(Clone, Debug, FromRow)]
pub struct Inquiry {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub inbox_unit_id: i64,
    pub inbox_name: String,
    pub inbox_path: String,
    pub commune_id: Option<i64>,
    pub commune_name: Option<String>,
    pub dialogue_id: Option<i64>,
    pub topic_code: Option<String>,
    pub title: String,
    pub body: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub private: bool,
    pub status: String,
    pub assigned_unit_id: Option<i64>,
    pub assigned_name: Option<String>,
    pub assigned_path: Option<String>,
    pub assigned_agency_id: Option<i64>,
    pub agency_name: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub answer: String,
    pub answered_at: Option<DateTime<Utc>>,
    pub public_title: String,
    pub public_body: String,
    pub published_at: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one on every change: the publish form carries it.
    pub version: i64,
}

macro_rules! select_inquiry {
    () => {
        "SELECT i.id, i.code, i.kind, i.inbox_unit_id, b.name AS inbox_name, b.path AS inbox_path, i.commune_id, cu.name AS commune_name,
    i.dialogue_id, i.topic_code, i.title, i.body, i.name, i.email, i.phone, i.private, i.status, i.assigned_unit_id, au.name AS assigned_name,
    au.path AS assigned_path, i.assigned_agency_id, ag.name AS agency_name, i.due_on, i.answer, i.answered_at, i.public_title, i.public_body,
    i.published_at, i.received_at, i.updated_at, i.version
    FROM inquiries i JOIN units b ON b.id = i.inbox_unit_id LEFT JOIN units cu ON cu.id = i.commune_id
    LEFT JOIN units au ON au.id = i.assigned_unit_id LEFT JOIN agencies ag ON ag.id = i.assigned_agency_id"
    };
}

pub async fn get(db: &Db, id: i64) -> DbResult<Option<Inquiry>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(select_inquiry!(), " WHERE i.id = $1")).bind(id).fetch_optional(p).await)?)
}

pub async fn by_code(db: &Db, code: &str) -> DbResult<Option<Inquiry>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(select_inquiry!(), " WHERE i.code = $1")).bind(code).fetch_optional(p).await)?)
}

/// The items an account sees: received by an inbox in its subtree, or routed to a unit in it
/// (`like` is the scope's pattern), optionally of one status, the most urgent first.
pub async fn list_in_scope(db: &Db, like: &str, status: Option<&str>, limit: i64) -> DbResult<Vec<Inquiry>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(select_inquiry!(), " WHERE (b.path LIKE $1 OR au.path LIKE $1) AND ($2 = '' OR i.status = $2)
         ORDER BY CASE WHEN i.status IN ('received', 'assigned', 'answered') THEN 0 ELSE 1 END, i.due_on IS NULL, i.due_on, i.received_at DESC, i.id DESC LIMIT $3")).bind(like).bind(status.unwrap_or("")).bind(limit).fetch_all(p).await)?)
}

/// What the home page counts: items of `statuses` received by an inbox in scope (`like`), or with
/// `routed_too` also routed to a unit in it, with a deadline between two days inclusive if given.
#[derive(Clone, Debug)]
pub struct ScopeCount<'a> {
    pub like: &'a str,
    pub routed_too: bool,
    pub statuses: &'a [&'a str],
    pub due: Option<(NaiveDate, NaiveDate)>,
}

macro_rules! where_scope_count {
    () => {
        "FROM inquiries i JOIN units b ON b.id = i.inbox_unit_id LEFT JOIN units au ON au.id = i.assigned_unit_id
    WHERE (b.path LIKE $1 OR ($2 = TRUE AND au.path LIKE $1)) AND i.status IN ($3, $4, $5)
    AND ($6 = FALSE OR (i.due_on IS NOT NULL AND i.due_on >= $7 AND i.due_on <= $8))"
    };
}

/// How many items match, and the first due of them (id, deadline).
pub async fn count_in_scope(db: &Db, q: &ScopeCount<'_>) -> DbResult<(i64, Option<(i64, NaiveDate)>)> {
    let st = |k: usize| q.statuses.get(k).or(q.statuses.first()).copied().unwrap_or("");
    let (from, to) = q.due.unwrap_or_default();
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(concat!("SELECT COUNT(*) ", where_scope_count!()))
        .bind(q.like).bind(q.routed_too).bind(st(0)).bind(st(1)).bind(st(2)).bind(q.due.is_some()).bind(from).bind(to).fetch_one(p).await)?;
    if n == 0 || q.due.is_none() {
        return Ok((n, None));
    }
    let first: Option<(i64, NaiveDate)> = with_db!(db, p => sqlx::query_as(concat!("SELECT i.id, i.due_on ", where_scope_count!(), " ORDER BY i.due_on, i.id LIMIT 1"))
        .bind(q.like).bind(q.routed_too).bind(st(0)).bind(st(1)).bind(st(2)).bind(q.due.is_some()).bind(from).bind(to).fetch_optional(p).await)?;
    Ok((n, first))
}

/// Open items routed to a unit with a deadline on or before `until` (reminders, home page):
/// (id, code, title, assigned unit, due).
pub async fn open_due_by(db: &Db, until: NaiveDate) -> DbResult<Vec<(i64, String, String, i64, NaiveDate)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, code, title, assigned_unit_id, due_on FROM inquiries WHERE status IN ('assigned', 'answered') AND assigned_unit_id IS NOT NULL AND due_on IS NOT NULL AND due_on <= $1 ORDER BY due_on, id")
        .bind(until).fetch_all(p).await)?)
}

/// Routes an item; only while it is `received` or `assigned` (false when it moved on meanwhile).
pub async fn route(tx: &mut Tx, id: i64, unit_id: i64, agency_id: Option<i64>, topic: Option<&str>, due_on: NaiveDate, at: DateTime<Utc>) -> DbResult<bool> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE inquiries SET assigned_unit_id = $2, assigned_agency_id = $3, topic_code = $4, due_on = $5, assigned_at = $6, status = 'assigned', updated_at = $6, version = version + 1
         WHERE id = $1 AND status IN ('received', 'assigned')")
        .bind(id).bind(unit_id).bind(agency_id).bind(topic).bind(due_on).bind(at).execute(&mut *c).await)?;
    Ok(n == 1)
}

/// Saves the answer; only while the item is `assigned` or `answered` (false when it moved on,
/// e.g. was published meanwhile).
pub async fn save_answer(tx: &mut Tx, id: i64, answer: &str, by: i64, at: DateTime<Utc>) -> DbResult<bool> {
    let n = exec!(tx, c => sqlx::query("UPDATE inquiries SET answer = $2, answered_by = $3, answered_at = $4, status = 'answered', updated_at = $4, version = version + 1
         WHERE id = $1 AND status IN ('assigned', 'answered')")
        .bind(id).bind(answer).bind(by).bind(at).execute(&mut *c).await)?;
    Ok(n == 1)
}

pub async fn set_citations(tx: &mut Tx, id: i64, documents: &[i64]) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM inquiry_citations WHERE inquiry_id = $1").bind(id).execute(&mut *c).await)?;
    for d in documents {
        exec!(tx, c => sqlx::query("INSERT INTO inquiry_citations (inquiry_id, document_id) VALUES ($1, $2)").bind(id).bind(d).execute(&mut *c).await)?;
    }
    Ok(())
}

pub async fn citations(db: &Db, id: i64) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT document_id FROM inquiry_citations WHERE inquiry_id = $1 ORDER BY document_id").bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Publishes (status `published`, with the public text and its search key) or closes privately
/// (status `closed`, no public text). Only from `answered` and, given a `version`, only at that
/// version (the one the approver saw); false when the item moved meanwhile.
#[allow(clippy::too_many_arguments)]
pub async fn publish(tx: &mut Tx, id: i64, status: &str, public_title: &str, public_body: &str, topic: Option<&str>, search_key: &str, by: i64, at: DateTime<Utc>, version: Option<i64>) -> DbResult<bool> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE inquiries SET status = $2, public_title = $3, public_body = $4, topic_code = $5, search_key = $6, published_by = $7, published_at = $8, updated_at = $8,
         version = version + 1 WHERE id = $1 AND status = 'answered' AND ($9 IS NULL OR version = $9)")
        .bind(id).bind(status).bind(public_title).bind(public_body).bind(topic).bind(search_key).bind(by).bind(at).bind(version).execute(&mut *c).await)?;
    Ok(n == 1)
}

// ---------------------------------------------------------------- public queries

/// A published answer as the public sees it: never the contact fields, never the original text.
#[derive(Clone, Debug, FromRow)]
pub struct PublicItem {
    pub id: i64,
    pub kind: String,
    pub topic_code: Option<String>,
    pub topic_name: Option<String>,
    pub public_title: String,
    pub public_body: String,
    pub answer: String,
    pub answered_by_unit: Option<String>,
    pub dialogue_id: Option<i64>,
    pub published_at: DateTime<Utc>,
}

macro_rules! select_public {
    () => {
        "SELECT i.id, i.kind, i.topic_code, t.name AS topic_name, i.public_title, i.public_body, i.answer, au.name AS answered_by_unit,
    i.dialogue_id, i.published_at FROM inquiries i LEFT JOIN inquiry_topics t ON t.code = i.topic_code LEFT JOIN units au ON au.id = i.assigned_unit_id"
    };
}

/// The public filter: a topic, a folded search pattern (`like_contains` of the folded query), a
/// dialogue.
#[derive(Clone, Debug, Default)]
pub struct PublicFilter {
    pub topic: String,
    pub pattern: String,
    pub dialogue_id: Option<i64>,
}

macro_rules! where_public {
    () => {
        "WHERE i.status = 'published' AND i.private = FALSE AND ($1 = '' OR i.topic_code = $1) AND ($2 = '' OR i.search_key LIKE $2 ESCAPE '\\')
    AND ($3 = 0 OR i.dialogue_id = $3)"
    };
}

pub async fn public_count(db: &Db, f: &PublicFilter) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(concat!("SELECT COUNT(*) FROM inquiries i ", where_public!())).bind(&f.topic).bind(&f.pattern).bind(f.dialogue_id.unwrap_or(0)).fetch_one(p).await)?;
    Ok(n)
}

pub async fn public_list(db: &Db, f: &PublicFilter, limit: i64, offset: i64) -> DbResult<Vec<PublicItem>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(select_public!(), " ", where_public!(), " ORDER BY i.published_at DESC, i.id DESC LIMIT $4 OFFSET $5")).bind(&f.topic).bind(&f.pattern).bind(f.dialogue_id.unwrap_or(0)).bind(limit).bind(offset).fetch_all(p).await)?)
}

pub async fn public_get(db: &Db, id: i64) -> DbResult<Option<PublicItem>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(select_public!(), " WHERE i.id = $1 AND i.status = 'published' AND i.private = FALSE")).bind(id).fetch_optional(p).await)?)
}

// ---------------------------------------------------------------- dialogues

/// A policy dialogue (đối thoại chính sách).
#[derive(Clone, Debug, FromRow)]
pub struct Dialogue {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub topic: String,
    pub held_on: NaiveDate,
    pub place: String,
    pub description: String,
}

macro_rules! select_dialogue {
    () => {
        "SELECT d.id, d.unit_id, u.name AS unit_name, u.path AS unit_path, d.topic, d.held_on, d.place, d.description FROM inquiry_dialogues d JOIN units u ON u.id = d.unit_id"
    };
}

pub async fn dialogue(db: &Db, id: i64) -> DbResult<Option<Dialogue>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(select_dialogue!(), " WHERE d.id = $1")).bind(id).fetch_optional(p).await)?)
}

/// Dialogues of units matching `like` (`%` for all), latest first.
pub async fn dialogues(db: &Db, like: &str, limit: i64) -> DbResult<Vec<Dialogue>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(select_dialogue!(), " WHERE u.path LIKE $1 ORDER BY d.held_on DESC, d.id DESC LIMIT $2")).bind(like).bind(limit).fetch_all(p).await)?)
}

/// A new dialogue.
#[derive(Clone, Debug)]
pub struct NewDialogue<'a> {
    pub unit_id: i64,
    pub topic: &'a str,
    pub held_on: NaiveDate,
    pub place: &'a str,
    pub description: &'a str,
    pub created_by: Option<i64>,
}

pub async fn insert_dialogue(tx: &mut Tx, d: &NewDialogue<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO inquiry_dialogues (unit_id, topic, held_on, place, description, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(d.unit_id).bind(d.topic).bind(d.held_on).bind(d.place).bind(d.description).bind(d.created_by).bind(at).fetch_one(&mut *c).await)?;
    Ok(id)
}

// ---------------------------------------------------------------- spam counters

/// Counts one submission of `bucket` in `hour` and returns the hour's count including it: one
/// row per (bucket, hour) incremented in the caller's transaction, so concurrent submissions
/// each see a distinct count.
pub async fn count_submission(tx: &mut Tx, bucket: &str, hour: i64) -> DbResult<i64> {
    let (n,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO inquiry_rate_counts (bucket, hour, n) VALUES ($1, $2, 1) ON CONFLICT (bucket, hour) DO UPDATE SET n = inquiry_rate_counts.n + 1 RETURNING n")
        .bind(bucket).bind(hour).fetch_one(&mut *c).await)?;
    Ok(n)
}

/// The submissions counted for `bucket` in `hour`.
pub async fn submissions_in(db: &Db, bucket: &str, hour: i64) -> DbResult<i64> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT n FROM inquiry_rate_counts WHERE bucket = $1 AND hour = $2").bind(bucket).bind(hour).fetch_optional(p).await)?;
    Ok(row.map_or(0, |r| r.0))
}

/// Marks a challenge used; false when it was used before (the primary key decides, also between
/// concurrent transactions).
pub async fn use_challenge(tx: &mut Tx, nonce: &str, at: DateTime<Utc>) -> DbResult<bool> {
    let n = exec!(tx, c => sqlx::query("INSERT INTO inquiry_used_challenges (nonce, used_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING")
        .bind(nonce).bind(at).execute(&mut *c).await)?;
    Ok(n == 1)
}

/// Sweeps counters of hours before `hour` and used challenges recorded before `before` (the
/// challenge has expired by then).
pub async fn sweep_spam(db: &Db, hour: i64, before: DateTime<Utc>) -> DbResult<()> {
    with_db!(db, p => sqlx::query("DELETE FROM inquiry_rate_counts WHERE hour < $1").bind(hour).execute(p).await.map(|_| ()))?;
    with_db!(db, p => sqlx::query("DELETE FROM inquiry_used_challenges WHERE used_at < $1").bind(before).execute(p).await.map(|_| ()))?;
    Ok(())
}

// ---------------------------------------------------------------- search feed

/// What the search feed reads of an item: its public fields only (never the sender's original
/// title and text, name, e-mail or phone, which this query does not even select).
#[derive(Clone, Debug, FromRow)]
struct FeedRow {
    id: i64,
    kind: String,
    status: String,
    private: bool,
    public_title: String,
    public_body: String,
    answer: String,
    inbox_unit_id: i64,
    assigned_unit_id: Option<i64>,
    published_at: Option<DateTime<Utc>>,
}

/// The first `max` characters of `s`, with "…" when cut.
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", s[..at].trim_end()),
        None => s.to_string(),
    }
}

/// Writes an item into the search feed (`kernel::search_feed`) as it now stands, in the caller's
/// transaction: a published answer that is not private is put with the question's public
/// version and the answer; any other item is removed. Returns whether it was put.
pub async fn feed_item(tx: &mut Tx, id: i64) -> DbResult<bool> {
    use chrono::Datelike;
    use kernel::search_feed::{self, FeedDoc, kind};

    use crate::rules::{Kind, Status};

    let row: Option<FeedRow> = with_tx!(tx, c => sqlx::query_as(
        "SELECT id, kind, status, private, public_title, public_body, answer, inbox_unit_id, assigned_unit_id, published_at FROM inquiries WHERE id = $1")
        .bind(id).fetch_optional(&mut *c).await)?;
    let Some(i) = row.filter(|i| Status::parse(&i.status) == Some(Status::Published) && !i.private) else {
        search_feed::remove(tx, kind::ANSWER, id).await?;
        return Ok(false);
    };
    let doc = FeedDoc {
        kind: kind::ANSWER.into(),
        ref_id: i.id,
        url: format!("/hoi-dap/{}", i.id),
        title: i.public_title,
        summary: clip(&i.public_body, 300),
        body: format!("{}\n\n{}", i.public_body, i.answer),
        doc_type: Kind::parse(&i.kind).map(crate::msg::kind_label).unwrap_or_default().to_string(),
        // The year of publication in Vietnam time (UTC+7).
        year: i.published_at.map(|t| (t + chrono::Duration::hours(7)).year()),
        unit_id: Some(i.assigned_unit_id.unwrap_or(i.inbox_unit_id)),
        published_at: i.published_at,
        ..FeedDoc::default()
    };
    search_feed::put(tx, &doc).await?;
    Ok(true)
}

/// The items that may be in the search feed: the public published ones and those it holds now.
pub async fn feed_candidates(db: &Db) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM inquiries WHERE status = 'published' AND private = FALSE UNION SELECT ref_id FROM search_docs WHERE kind = $1 ORDER BY 1")
        .bind(kernel::search_feed::kind::ANSWER).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
