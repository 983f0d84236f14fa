//! Periodic reports (báo cáo định kỳ): stored form versions, schedules, rounds, reports with
//! their values, history and comments, and the live roll-up (`report_rollups`) that the
//! approving transaction keeps current.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use kernel::{Db, DbError, DbResult, Tx, exec, now, with_db, with_tx};

// ---------------------------------------------------------------- forms

/// One stored form version.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct FormRow {
    pub id: i64,
    pub code: String,
    pub version: i64,
    pub name: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    #[serde(skip)]
    pub definition: String,
    pub created_at: DateTime<Utc>,
    /// Whether a reporting round uses this version (then it holds, or will hold, data).
    pub in_use: bool,
}

macro_rules! form_cols {
    () => {
        "f.id, f.code, f.version, f.name, f.valid_from, f.valid_to, f.definition, f.created_at,
         EXISTS (SELECT 1 FROM report_rounds r WHERE r.form_id = f.id) AS in_use"
    };
}

pub async fn forms(db: &Db) -> DbResult<Vec<FormRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", form_cols!(), " FROM report_forms f ORDER BY f.code, f.version"))
        .fetch_all(p).await)?)
}

pub async fn form(db: &Db, id: i64) -> DbResult<FormRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", form_cols!(), " FROM report_forms f WHERE f.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

/// The version of `code` that applies on `day`: among the versions valid that day, the
/// highest version number (a later version supersedes an earlier one on the dates both cover).
pub async fn form_for(db: &Db, code: &str, day: NaiveDate) -> DbResult<Option<FormRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", form_cols!(), " FROM report_forms f
        WHERE f.code = $1 AND f.valid_from <= $2 AND (f.valid_to IS NULL OR f.valid_to > $2)
        ORDER BY f.version DESC LIMIT 1"))
        .bind(code).bind(day).fetch_optional(p).await)?)
}

pub async fn max_version(db: &Db, code: &str) -> DbResult<i64> {
    let v: (Option<i64>,) = with_db!(db, p => sqlx::query_as("SELECT CAST(MAX(version) AS BIGINT) FROM report_forms WHERE code = $1")
        .bind(code).fetch_one(p).await)?;
    Ok(v.0.unwrap_or(0))
}

/// A form version to store.
#[derive(Clone, Debug)]
pub struct NewForm<'a> {
    pub code: &'a str,
    pub version: i64,
    pub name: &'a str,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub definition: &'a str,
    pub created_by: Option<i64>,
}

/// Stores a version; `Conflict` when that (code, version) exists. Versions are never updated.
pub async fn insert_form(tx: &mut Tx, f: &NewForm<'_>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO report_forms (code, version, name, valid_from, valid_to, definition, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(f.code).bind(f.version).bind(f.name).bind(f.valid_from).bind(f.valid_to).bind(f.definition)
        .bind(f.created_by).bind(now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

/// Stores the shipped form versions that the database does not have yet (by code and version).
pub async fn seed_forms(db: &Db, forms: &[NewForm<'_>]) -> DbResult<usize> {
    let mut tx = db.begin().await?;
    let mut n = 0;
    for f in forms {
        let exists: Option<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id FROM report_forms WHERE code = $1 AND version = $2")
            .bind(f.code).bind(f.version).fetch_optional(&mut *c).await)?;
        if exists.is_none() {
            insert_form(&mut tx, f).await?;
            n += 1;
        }
    }
    tx.commit().await?;
    Ok(n)
}

// ---------------------------------------------------------------- schedules

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Schedule {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub unit_code: String,
    pub form_code: String,
    pub period_kind: String,
    pub filler_level: String,
    pub name: String,
    pub members: i64,
}

macro_rules! schedule_cols {
    () => {
        "s.id, s.unit_id, u.name AS unit_name, u.path AS unit_path, u.code AS unit_code, s.form_code, s.period_kind,
         s.filler_level, s.name, (SELECT COUNT(*) FROM report_schedule_members m WHERE m.schedule_id = s.id) AS members
         FROM report_schedules s JOIN units u ON u.id = s.unit_id "
    };
}

#[derive(Clone, Debug)]
pub struct NewSchedule {
    pub unit_id: i64,
    pub form_code: String,
    pub period_kind: String,
    pub filler_level: String,
    pub name: String,
    pub created_by: Option<i64>,
    /// (unit, agency) of each reporter.
    pub members: Vec<(i64, Option<i64>)>,
}

pub async fn create_schedule(tx: &mut Tx, s: &NewSchedule) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO report_schedules (unit_id, form_code, period_kind, filler_level, name, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(s.unit_id).bind(&s.form_code).bind(&s.period_kind).bind(&s.filler_level).bind(&s.name)
        .bind(s.created_by).bind(now()).fetch_one(&mut *c).await)?;
    for (unit_id, agency_id) in &s.members {
        exec!(tx, c => sqlx::query("INSERT INTO report_schedule_members (schedule_id, unit_id, agency_id) VALUES ($1, $2, $3)")
            .bind(id).bind(unit_id).bind(agency_id).execute(&mut *c).await)?;
    }
    Ok(id)
}

/// Schedules owned by units in the scope.
pub async fn schedules(db: &Db, scope_pattern: &str) -> DbResult<Vec<Schedule>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", schedule_cols!(), " WHERE u.path LIKE $1 ORDER BY s.id"))
        .bind(scope_pattern).fetch_all(p).await)?)
}

pub async fn schedule(db: &Db, id: i64) -> DbResult<Schedule> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", schedule_cols!(), " WHERE s.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

/// A reporter of a schedule: a unit, or an agency of a unit.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Member {
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub agency_id: Option<i64>,
    pub agency_name: Option<String>,
}

pub async fn schedule_members(db: &Db, schedule_id: i64) -> DbResult<Vec<Member>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT m.unit_id, u.name AS unit_name, u.path AS unit_path, m.agency_id, g.name AS agency_name
         FROM report_schedule_members m JOIN units u ON u.id = m.unit_id LEFT JOIN agencies g ON g.id = m.agency_id
         WHERE m.schedule_id = $1 ORDER BY u.name COLLATE vi, g.name COLLATE vi")
        .bind(schedule_id).fetch_all(p).await)?)
}

// ---------------------------------------------------------------- rounds

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Round {
    pub id: i64,
    pub schedule_id: i64,
    pub schedule_name: String,
    pub filler_level: String,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub unit_code: String,
    pub form_id: i64,
    pub form_code: String,
    pub form_version: i64,
    pub form_name: String,
    pub period_key: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub cutoff_on: Option<NaiveDate>,
    pub lock_after_days: Option<i64>,
    pub status: String,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub reports: i64,
    pub submitted: i64,
    pub approved: i64,
    /// Units (or agencies) of the schedule: who will report once the round opens.
    pub members: i64,
}

macro_rules! round_cols {
    () => {
        "r.id, r.schedule_id, s.name AS schedule_name, s.filler_level, r.unit_id, u.name AS unit_name, u.path AS unit_path,
         u.code AS unit_code, r.form_id, f.code AS form_code, f.version AS form_version, f.name AS form_name, r.period_key,
         r.period_start, r.period_end, r.due_on, r.cutoff_on, r.lock_after_days, r.status, r.opened_at, r.closed_at,
         (SELECT COUNT(*) FROM reports x WHERE x.round_id = r.id) AS reports,
         (SELECT COUNT(*) FROM reports x WHERE x.round_id = r.id AND x.state IN ('submitted', 'approved')) AS submitted,
         (SELECT COUNT(*) FROM reports x WHERE x.round_id = r.id AND x.state = 'approved') AS approved,
         (SELECT COUNT(*) FROM report_schedule_members m WHERE m.schedule_id = r.schedule_id) AS members
         FROM report_rounds r JOIN report_schedules s ON s.id = r.schedule_id JOIN units u ON u.id = r.unit_id
         JOIN report_forms f ON f.id = r.form_id "
    };
}

#[derive(Clone, Debug)]
pub struct NewRound {
    pub schedule_id: i64,
    pub unit_id: i64,
    pub form_id: i64,
    pub period_key: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub cutoff_on: Option<NaiveDate>,
    pub lock_after_days: Option<i64>,
}

/// Creates a planned round; returns `None` when the schedule already has that period.
pub async fn create_round(tx: &mut Tx, r: &NewRound) -> DbResult<Option<i64>> {
    let row: Option<(i64,)> = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO report_rounds (schedule_id, unit_id, form_id, period_key, period_start, period_end, due_on, cutoff_on,
            lock_after_days, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'planned', $10) ON CONFLICT DO NOTHING RETURNING id")
        .bind(r.schedule_id).bind(r.unit_id).bind(r.form_id).bind(&r.period_key).bind(r.period_start).bind(r.period_end)
        .bind(r.due_on).bind(r.cutoff_on).bind(r.lock_after_days).bind(now()).fetch_optional(&mut *c).await)?;
    Ok(row.map(|r| r.0))
}

pub async fn round(db: &Db, id: i64) -> DbResult<Round> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", round_cols!(), " WHERE r.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

/// Rounds opened by units in the scope, newest period first.
pub async fn rounds(db: &Db, scope_pattern: &str, schedule_id: Option<i64>) -> DbResult<Vec<Round>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", round_cols!(),
        " WHERE u.path LIKE $1 AND ($2 IS NULL OR r.schedule_id = $2) ORDER BY r.period_end DESC, r.id DESC LIMIT 500"))
        .bind(scope_pattern).bind(schedule_id).fetch_all(p).await)?)
}

/// Rounds of one schedule, oldest period first (for trend charts).
pub async fn rounds_of_schedule(db: &Db, schedule_id: i64) -> DbResult<Vec<Round>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", round_cols!(), " WHERE r.schedule_id = $1 ORDER BY r.period_end, r.id"))
        .bind(schedule_id).fetch_all(p).await)?)
}

/// Opens a planned round: sets its deadline and creates one draft report per member.
/// Returns the ids of the reports created.
pub async fn open_round(
    tx: &mut Tx,
    id: i64,
    due_on: Option<NaiveDate>,
    lock_after_days: Option<i64>,
    members: &[Member],
) -> DbResult<Vec<i64>> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE report_rounds SET status = 'open', opened_at = $2, due_on = $3, lock_after_days = $4
         WHERE id = $1 AND status = 'planned'")
        .bind(id).bind(now()).bind(due_on).bind(lock_after_days).execute(&mut *c).await)?;
    if n == 0 {
        return Err(DbError::Conflict("report_rounds.status".into()));
    }
    let mut ids = Vec::with_capacity(members.len());
    for m in members {
        let key = reporter_key(m.unit_id, m.agency_id);
        let (rid,): (i64,) = with_tx!(tx, c => sqlx::query_as(
            "INSERT INTO reports (round_id, unit_id, agency_id, reporter_key, state, updated_at)
             VALUES ($1, $2, $3, $4, 'draft', $5) RETURNING id")
            .bind(id).bind(m.unit_id).bind(m.agency_id).bind(&key).bind(now()).fetch_one(&mut *c).await)?;
        ids.push(rid);
    }
    Ok(ids)
}

pub async fn close_round(tx: &mut Tx, id: i64) -> DbResult<()> {
    let n = exec!(tx, c => sqlx::query("UPDATE report_rounds SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open'")
        .bind(id).bind(now()).execute(&mut *c).await)?;
    if n == 0 { Err(DbError::Conflict("report_rounds.status".into())) } else { Ok(()) }
}

/// "u12" for a unit's own report, "a34" for an agency's.
pub fn reporter_key(unit_id: i64, agency_id: Option<i64>) -> String {
    match agency_id {
        Some(a) => format!("a{a}"),
        None => format!("u{unit_id}"),
    }
}

// ---------------------------------------------------------------- reports

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Report {
    pub id: i64,
    pub round_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub unit_valid_to: Option<NaiveDate>,
    pub agency_id: Option<i64>,
    pub agency_name: Option<String>,
    pub state: String,
    pub first_submitted_on: Option<NaiveDate>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by_name: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by_name: Option<String>,
    pub review_comment: Option<String>,
    pub unlocked_until: Option<NaiveDate>,
    pub unlock_reason: Option<String>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

macro_rules! report_cols {
    () => {
        "x.id, x.round_id, x.unit_id, u.name AS unit_name, u.path AS unit_path, u.valid_to AS unit_valid_to, x.agency_id,
         g.name AS agency_name, x.state, x.first_submitted_on, x.submitted_at, sa.full_name AS submitted_by_name,
         x.reviewed_at, ra.full_name AS reviewed_by_name, x.review_comment, x.unlocked_until, x.unlock_reason, x.version,
         x.updated_at
         FROM reports x JOIN units u ON u.id = x.unit_id LEFT JOIN agencies g ON g.id = x.agency_id
         LEFT JOIN accounts sa ON sa.id = x.submitted_by LEFT JOIN accounts ra ON ra.id = x.reviewed_by "
    };
}

pub async fn report(db: &Db, id: i64) -> DbResult<Report> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", report_cols!(), " WHERE x.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

/// Reports of a round, in Vietnamese order of the unit (then agency) name.
pub async fn reports_of_round(db: &Db, round_id: i64) -> DbResult<Vec<Report>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", report_cols!(),
        " WHERE x.round_id = $1 ORDER BY u.name COLLATE vi, g.name COLLATE vi"))
        .bind(round_id).fetch_all(p).await)?)
}

/// A report in a list of one reporter's reports, with its round.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct ReportListItem {
    pub id: i64,
    pub round_id: i64,
    pub unit_name: String,
    pub agency_name: Option<String>,
    pub state: String,
    pub form_code: String,
    pub form_name: String,
    pub period_key: String,
    pub due_on: Option<NaiveDate>,
    pub round_status: String,
}

/// The reports a reporter must fill: its unit's own reports, or its agency's.
pub async fn reports_of_reporter(db: &Db, unit_id: i64, agency_id: Option<i64>) -> DbResult<Vec<ReportListItem>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT x.id, x.round_id, u.name AS unit_name, g.name AS agency_name, x.state, f.code AS form_code, f.name AS form_name,
            r.period_key, r.due_on, r.status AS round_status
         FROM reports x JOIN report_rounds r ON r.id = x.round_id JOIN report_forms f ON f.id = r.form_id
         JOIN units u ON u.id = x.unit_id LEFT JOIN agencies g ON g.id = x.agency_id
         WHERE (x.agency_id IS NULL AND x.unit_id = $1) OR (x.agency_id IS NOT NULL AND x.agency_id = $2)
         ORDER BY r.period_end DESC, x.id DESC LIMIT 200")
        .bind(unit_id).bind(agency_id).fetch_all(p).await)?)
}

/// One stored value.
#[derive(Clone, Debug, FromRow, Serialize, PartialEq)]
pub struct StoredValue {
    pub value_key: String,
    pub int_value: Option<i64>,
    pub text_value: Option<String>,
    pub prefilled: bool,
}

const VALUES_SQL: &str =
    "SELECT value_key, int_value, text_value, prefilled FROM report_values WHERE report_id = $1 ORDER BY value_key";

pub async fn values(db: &Db, report_id: i64) -> DbResult<Vec<StoredValue>> {
    Ok(with_db!(db, p => sqlx::query_as(VALUES_SQL).bind(report_id).fetch_all(p).await)?)
}

/// The values as the open transaction sees them (before replacing them).
async fn values_tx(tx: &mut Tx, report_id: i64) -> DbResult<Vec<StoredValue>> {
    Ok(with_tx!(tx, c => sqlx::query_as(VALUES_SQL).bind(report_id).fetch_all(&mut *c).await)?)
}

fn show(v: &StoredValue) -> Option<String> {
    v.int_value.map(|i| i.to_string()).or_else(|| v.text_value.clone())
}

/// Replaces the report's values with `new` (keys absent from `new` are removed), recording one
/// history row per changed key with `source` ("manual", "prefill", "import", "api").
/// Returns the number of changed keys.
pub async fn replace_values(
    tx: &mut Tx,
    report_id: i64,
    new: &[StoredValue],
    account_id: Option<i64>,
    source: &str,
) -> DbResult<usize> {
    let old = values_tx(tx, report_id).await?;
    let old_map: BTreeMap<&str, &StoredValue> = old.iter().map(|v| (v.value_key.as_str(), v)).collect();
    let new_map: BTreeMap<&str, &StoredValue> = new.iter().map(|v| (v.value_key.as_str(), v)).collect();
    let at = now();
    let mut changed = 0;
    for (key, o) in &old_map {
        if !new_map.contains_key(key) {
            exec!(tx, c => sqlx::query("DELETE FROM report_values WHERE report_id = $1 AND value_key = $2")
                .bind(report_id).bind(*key).execute(&mut *c).await)?;
            history(tx, report_id, at, account_id, "value", Some(key), show(o), None, Some(source), None).await?;
            changed += 1;
        }
    }
    for (key, n) in &new_map {
        let before = old_map.get(key);
        let same_value = before.is_some_and(|o| o.int_value == n.int_value && o.text_value == n.text_value);
        if same_value && before.is_some_and(|o| o.prefilled == n.prefilled) {
            continue;
        }
        exec!(tx, c => sqlx::query(
            "INSERT INTO report_values (report_id, value_key, int_value, text_value, prefilled, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (report_id, value_key) DO UPDATE SET int_value = excluded.int_value, text_value = excluded.text_value,
                prefilled = excluded.prefilled, updated_at = excluded.updated_at, updated_by = excluded.updated_by")
            .bind(report_id).bind(*key).bind(n.int_value).bind(&n.text_value).bind(n.prefilled).bind(at).bind(account_id)
            .execute(&mut *c).await)?;
        if !same_value {
            history(tx, report_id, at, account_id, "value", Some(key), before.and_then(|o| show(o)), show(n), Some(source), None).await?;
            changed += 1;
        }
    }
    Ok(changed)
}

#[allow(clippy::too_many_arguments)]
async fn history(
    tx: &mut Tx,
    report_id: i64,
    at: DateTime<Utc>,
    account_id: Option<i64>,
    kind: &str,
    key: Option<&str>,
    old: Option<String>,
    new: Option<String>,
    source: Option<&str>,
    note: Option<&str>,
) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO report_history (report_id, at, account_id, kind, value_key, old_value, new_value, source, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(report_id).bind(at).bind(account_id).bind(kind).bind(key).bind(old).bind(new).bind(source).bind(note)
        .execute(&mut *c).await)?;
    Ok(())
}

/// A state change to store.
#[derive(Clone, Debug)]
pub struct Transition<'a> {
    pub report_id: i64,
    /// The version the user saw; a mismatch is a `Conflict` (someone else changed it).
    pub expected_version: i64,
    pub from: &'a str,
    pub to: &'a str,
    pub account_id: Option<i64>,
    /// Vietnam calendar day of the change (for "submitted on time").
    pub day: NaiveDate,
    pub comment: Option<&'a str>,
    /// "submit", "approve", "return", "unlock".
    pub kind: &'a str,
}

pub async fn transition(tx: &mut Tx, t: &Transition<'_>) -> DbResult<()> {
    let at = now();
    let n = match t.to {
        "submitted" => exec!(tx, c => sqlx::query(
            "UPDATE reports SET state = $3, submitted_at = $4, submitted_by = $5, first_submitted_on = COALESCE(first_submitted_on, $6),
                version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2 AND state = $7")
            .bind(t.report_id).bind(t.expected_version).bind(t.to).bind(at).bind(t.account_id).bind(t.day).bind(t.from)
            .execute(&mut *c).await)?,
        _ => exec!(tx, c => sqlx::query(
            "UPDATE reports SET state = $3, reviewed_at = $4, reviewed_by = $5, review_comment = $6, version = version + 1, updated_at = $4
             WHERE id = $1 AND version = $2 AND state = $7")
            .bind(t.report_id).bind(t.expected_version).bind(t.to).bind(at).bind(t.account_id).bind(t.comment).bind(t.from)
            .execute(&mut *c).await)?,
    };
    if n == 0 {
        return Err(DbError::Conflict("reports.version".into()));
    }
    history(tx, t.report_id, at, t.account_id, t.kind, None, Some(t.from.to_string()), Some(t.to.to_string()), None, t.comment).await
}

/// Bumps the version after a value change (optimistic locking of the entry form).
pub async fn touch(tx: &mut Tx, report_id: i64, expected_version: i64) -> DbResult<()> {
    let n = exec!(tx, c => sqlx::query("UPDATE reports SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2")
        .bind(report_id).bind(expected_version).bind(now()).execute(&mut *c).await)?;
    if n == 0 { Err(DbError::Conflict("reports.version".into())) } else { Ok(()) }
}

/// Lets a late reporter fill and submit until `until` (an audited unlock of a past-deadline lock).
pub async fn unlock_until(tx: &mut Tx, report_id: i64, until: NaiveDate, reason: &str, account_id: Option<i64>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE reports SET unlocked_until = $2, unlock_reason = $3, version = version + 1, updated_at = $4 WHERE id = $1")
        .bind(report_id).bind(until).bind(reason).bind(now()).execute(&mut *c).await)?;
    history(tx, report_id, now(), account_id, "unlock", None, None, Some(until.to_string()), None, Some(reason)).await
}

/// Adds `delta` to the roll-up of every unit on `unit_path` ("/12/345/") for the round.
pub async fn apply_rollup(tx: &mut Tx, round_id: i64, unit_path: &str, delta: &BTreeMap<String, i64>) -> DbResult<()> {
    if delta.is_empty() {
        return Ok(());
    }
    let ancestors: Vec<i64> = unit_path.split('/').filter_map(|s| s.parse().ok()).collect();
    for unit_id in ancestors {
        for (key, d) in delta {
            // The sum stays a 64-bit integer on both databases: an addition that would leave the
            // i64 range updates nothing (SQLite would silently turn it into a REAL, PostgreSQL
            // would fail), and the caller's transaction is abandoned.
            let n = exec!(tx, c => sqlx::query(
                "INSERT INTO report_rollups (round_id, unit_id, value_key, int_value) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (round_id, unit_id, value_key) DO UPDATE SET int_value = report_rollups.int_value + excluded.int_value
                 WHERE (excluded.int_value >= 0 AND report_rollups.int_value <= 9223372036854775807 - excluded.int_value)
                    OR (excluded.int_value < 0 AND report_rollups.int_value >= -9223372036854775807 - excluded.int_value)")
                .bind(round_id).bind(unit_id).bind(key).bind(d).execute(&mut *c).await)?;
            if n == 0 {
                return Err(DbError::Invalid(format!("roll-up overflow: round {round_id}, unit {unit_id}, {key}")));
            }
        }
    }
    Ok(())
}

/// The roll-up of a round at one unit: summed approved figures of its subtree.
pub async fn rollup(db: &Db, round_id: i64, unit_id: i64) -> DbResult<Vec<(String, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT value_key, int_value FROM report_rollups WHERE round_id = $1 AND unit_id = $2 AND int_value <> 0 ORDER BY value_key")
        .bind(round_id).bind(unit_id).fetch_all(p).await)?)
}

/// The roll-up of a round at each direct child of `unit_id` that has one: (child, key, value).
pub async fn rollup_children(db: &Db, round_id: i64, unit_id: i64) -> DbResult<Vec<(i64, String, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT r.unit_id, r.value_key, r.int_value FROM report_rollups r JOIN units u ON u.id = r.unit_id
         WHERE r.round_id = $1 AND u.parent_id = $2 AND r.int_value <> 0")
        .bind(round_id).bind(unit_id).fetch_all(p).await)?)
}

/// The whole roll-up table of a round: (unit, key, value); for tests and checks.
pub async fn rollup_all(db: &Db, round_id: i64) -> DbResult<Vec<(i64, String, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT unit_id, value_key, int_value FROM report_rollups WHERE round_id = $1 AND int_value <> 0 ORDER BY unit_id, value_key")
        .bind(round_id).fetch_all(p).await)?)
}

/// Values of every approved report of a round, with the reporter's unit: (unit, path, key, value).
pub async fn approved_values(db: &Db, round_id: i64) -> DbResult<Vec<(i64, String, String, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT x.unit_id, u.path, v.value_key, v.int_value FROM reports x JOIN units u ON u.id = x.unit_id
         JOIN report_values v ON v.report_id = x.id
         WHERE x.round_id = $1 AND x.state = 'approved' AND v.int_value IS NOT NULL")
        .bind(round_id).fetch_all(p).await)?)
}

// ---------------------------------------------------------------- history and comments

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct HistoryRow {
    pub at: DateTime<Utc>,
    pub account_name: Option<String>,
    pub kind: String,
    pub value_key: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

pub async fn history_of(db: &Db, report_id: i64) -> DbResult<Vec<HistoryRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT h.at, a.full_name AS account_name, h.kind, h.value_key, h.old_value, h.new_value, h.source, h.note
         FROM report_history h LEFT JOIN accounts a ON a.id = h.account_id WHERE h.report_id = $1 ORDER BY h.at DESC, h.id DESC LIMIT 500")
        .bind(report_id).fetch_all(p).await)?)
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Comment {
    pub at: DateTime<Utc>,
    pub account_name: Option<String>,
    pub value_key: Option<String>,
    pub text: String,
}

pub async fn comments(db: &Db, report_id: i64) -> DbResult<Vec<Comment>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT c.at, a.full_name AS account_name, c.value_key, c.text FROM report_comments c
         LEFT JOIN accounts a ON a.id = c.account_id WHERE c.report_id = $1 ORDER BY c.at, c.id")
        .bind(report_id).fetch_all(p).await)?)
}

pub async fn add_comment(tx: &mut Tx, report_id: i64, value_key: Option<&str>, account_id: Option<i64>, text: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("INSERT INTO report_comments (report_id, value_key, at, account_id, text) VALUES ($1, $2, $3, $4, $5)")
        .bind(report_id).bind(value_key).bind(now()).bind(account_id).bind(text).execute(&mut *c).await)?;
    Ok(())
}

// ---------------------------------------------------------------- reminders

/// Reports of open rounds that have not been sent (draft or returned), with their deadline:
/// (report id, unit id, agency id, round id, due, form name, period key).
pub async fn unsent_in_open_rounds(db: &Db) -> DbResult<Vec<(i64, i64, Option<i64>, i64, Option<NaiveDate>, String, String)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT x.id, x.unit_id, x.agency_id, r.id, r.due_on, f.name, r.period_key FROM reports x
         JOIN report_rounds r ON r.id = x.round_id JOIN report_forms f ON f.id = r.form_id
         WHERE r.status = 'open' AND x.state IN ('draft', 'returned') ORDER BY x.id")
        .fetch_all(p).await)?)
}

/// Active accounts that fill a reporter's reports: for a unit, its justice officers and unit
/// administrators without an agency; for an agency, the accounts of that agency.
pub async fn fillers(db: &Db, unit_id: i64, agency_id: Option<i64>) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM accounts WHERE active AND (
            ($2 IS NULL AND unit_id = $1 AND agency_id IS NULL AND role IN ('justice_officer', 'unit_admin'))
            OR ($2 IS NOT NULL AND agency_id = $2)) ORDER BY id")
        .bind(unit_id).bind(agency_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
