//! SQL of grassroots mediation, written once for both databases.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use kernel::{Db, DbResult, Tx, exec, now, with_db, with_tx};

use crate::rules::roster::MediatorInput;

// ---------------------------------------------------------------- teams

/// A mediation team with its village and commune.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct TeamRow {
    pub id: i64,
    pub village_id: i64,
    pub village_name: String,
    #[serde(skip)]
    pub village_path: String,
    pub commune_id: i64,
    pub commune_name: String,
    pub name: String,
    pub decision_no: Option<String>,
    pub decision_on: Option<NaiveDate>,
    pub decision_signer: Option<String>,
    /// The scanned establishment decision (kernel file id).
    pub decision_file_id: Option<i64>,
    pub established_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_note: Option<String>,
    pub ethnic_minority_area: bool,
    pub leader_id: Option<i64>,
    pub leader_name: Option<String>,
    pub leader_decision_no: Option<String>,
    pub leader_decision_on: Option<NaiveDate>,
    /// Serving mediators.
    pub serving: i64,
    /// Cases (not refused matters) ever recorded.
    pub cases: i64,
}

macro_rules! team_cols {
    () => {
        "t.id, t.village_id, v.name AS village_name, v.path AS village_path, t.commune_id, c.name AS commune_name, t.name,
         t.decision_no, t.decision_on, t.decision_signer, t.decision_file_id, t.established_on, t.ended_on, t.end_note, t.ethnic_minority_area,
         t.leader_id, l.full_name AS leader_name, t.leader_decision_no, t.leader_decision_on,
         (SELECT COUNT(*) FROM mediators m WHERE m.team_id = t.id AND m.ended_on IS NULL) AS serving,
         (SELECT COUNT(*) FROM mediation_cases k WHERE k.team_id = t.id AND k.status <> 'refused') AS cases
         FROM mediation_teams t JOIN units v ON v.id = t.village_id JOIN units c ON c.id = t.commune_id
         LEFT JOIN mediators l ON l.id = t.leader_id"
    };
}

pub async fn team(db: &Db, id: i64) -> DbResult<TeamRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", team_cols!(), " WHERE t.id = $1")).bind(id).fetch_one(p).await)?)
}

/// Teams whose village lies under the scope pattern `like`, by commune then name.
pub async fn teams_in(db: &Db, like: &str) -> DbResult<Vec<TeamRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", team_cols!(), " WHERE v.path LIKE $1
        ORDER BY c.name COLLATE vi, t.ended_on IS NOT NULL, t.name COLLATE vi LIMIT 2000"))
        .bind(like).fetch_all(p).await)?)
}

/// A team in force as a unit's public page shows it: its leader only while serving.
#[derive(Clone, Debug, FromRow)]
pub struct PublicTeam {
    pub name: String,
    pub village_name: String,
    pub leader_name: Option<String>,
    pub serving: i64,
}

/// The teams in force under `like`, by name (at most `limit`).
pub async fn public_teams(db: &Db, like: &str, limit: i64) -> DbResult<Vec<PublicTeam>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT t.name, v.name AS village_name, CASE WHEN l.ended_on IS NULL THEN l.full_name END AS leader_name,
                (SELECT COUNT(*) FROM mediators m WHERE m.team_id = t.id AND m.ended_on IS NULL) AS serving
         FROM mediation_teams t JOIN units v ON v.id = t.village_id LEFT JOIN mediators l ON l.id = t.leader_id
         WHERE v.path LIKE $1 AND t.ended_on IS NULL ORDER BY t.name COLLATE vi, t.id LIMIT $2")
        .bind(like).bind(limit).fetch_all(p).await)?)
}

/// The teams in force under `like` and their serving mediators, counted.
pub async fn public_totals(db: &Db, like: &str) -> DbResult<(i64, i64)> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(DISTINCT t.id), COUNT(m.id) FROM mediation_teams t JOIN units v ON v.id = t.village_id
         LEFT JOIN mediators m ON m.team_id = t.id AND m.ended_on IS NULL
         WHERE v.path LIKE $1 AND t.ended_on IS NULL")
        .bind(like).fetch_one(p).await)?)
}

/// Teams in which the account is a serving mediator.
pub async fn teams_of_account(db: &Db, account_id: i64) -> DbResult<Vec<TeamRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", team_cols!(), " WHERE t.id IN
        (SELECT m.team_id FROM mediators m WHERE m.account_id = $1 AND m.ended_on IS NULL) ORDER BY t.name COLLATE vi"))
        .bind(account_id).fetch_all(p).await)?)
}

pub async fn is_member(db: &Db, team_id: i64, account_id: i64) -> DbResult<bool> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM mediators WHERE team_id = $1 AND account_id = $2 AND ended_on IS NULL")
        .bind(team_id).bind(account_id).fetch_one(p).await)?;
    Ok(n > 0)
}

/// A team to create.
pub struct NewTeam<'a> {
    pub village_id: i64,
    pub commune_id: i64,
    pub name: &'a str,
    pub decision_no: Option<&'a str>,
    pub decision_on: Option<NaiveDate>,
    pub decision_signer: Option<&'a str>,
    pub established_on: NaiveDate,
    pub ethnic_minority_area: bool,
    pub created_by: Option<i64>,
}

pub async fn insert_team(tx: &mut Tx, t: &NewTeam<'_>) -> DbResult<i64> {
    let at = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO mediation_teams (village_id, commune_id, name, name_key, decision_no, decision_on, decision_signer,
           established_on, ethnic_minority_area, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id")
        .bind(t.village_id).bind(t.commune_id).bind(t.name).bind(text_vi::fold(t.name)).bind(t.decision_no).bind(t.decision_on)
        .bind(t.decision_signer).bind(t.established_on).bind(t.ethnic_minority_area).bind(t.created_by).bind(at)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn set_leader(tx: &mut Tx, team_id: i64, mediator_id: i64, no: Option<&str>, on: Option<NaiveDate>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE mediation_teams SET leader_id = $1, leader_decision_no = $2, leader_decision_on = $3, updated_at = $4 WHERE id = $5")
        .bind(mediator_id).bind(no).bind(on).bind(now()).bind(team_id).execute(&mut *c).await)?;
    Ok(())
}

/// Attaches the scanned establishment decision to a team.
pub async fn set_decision_file(tx: &mut Tx, team_id: i64, file_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE mediation_teams SET decision_file_id = $1, updated_at = $2 WHERE id = $3")
        .bind(file_id).bind(now()).bind(team_id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn end_team(tx: &mut Tx, team_id: i64, on: NaiveDate, note: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE mediation_teams SET ended_on = $1, end_note = $2, updated_at = $3 WHERE id = $4")
        .bind(on).bind(note).bind(now()).bind(team_id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn insert_link(tx: &mut Tx, from: i64, to: i64, kind: &str, on: NaiveDate, note: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("INSERT INTO mediation_team_links (from_team_id, to_team_id, kind, effective, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(from).bind(to).bind(kind).bind(on).bind(note).execute(&mut *c).await)?;
    Ok(())
}

/// A link of a team's history, seen from one side.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct LinkRow {
    pub team_id: i64,
    pub team_name: String,
    pub kind: String,
    pub effective: NaiveDate,
    pub note: Option<String>,
}

/// (what the team became, what it came from).
pub async fn links(db: &Db, team_id: i64) -> DbResult<(Vec<LinkRow>, Vec<LinkRow>)> {
    let to: Vec<LinkRow> = with_db!(db, p => sqlx::query_as(
        "SELECT l.to_team_id AS team_id, t.name AS team_name, l.kind, l.effective, l.note FROM mediation_team_links l
         JOIN mediation_teams t ON t.id = l.to_team_id WHERE l.from_team_id = $1 ORDER BY l.effective, t.name COLLATE vi")
        .bind(team_id).fetch_all(p).await)?;
    let from: Vec<LinkRow> = with_db!(db, p => sqlx::query_as(
        "SELECT l.from_team_id AS team_id, t.name AS team_name, l.kind, l.effective, l.note FROM mediation_team_links l
         JOIN mediation_teams t ON t.id = l.from_team_id WHERE l.to_team_id = $1 ORDER BY l.effective, t.name COLLATE vi")
        .bind(team_id).fetch_all(p).await)?;
    Ok((to, from))
}

// ---------------------------------------------------------------- mediators

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct MediatorRow {
    pub id: i64,
    pub team_id: i64,
    pub full_name: String,
    pub gender: String,
    pub birth_year: Option<i64>,
    pub ethnicity: Option<String>,
    pub ethnic_minority: bool,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub occupation: Option<String>,
    pub legal_training: Option<String>,
    pub membership: Option<String>,
    pub recognition_no: Option<String>,
    pub recognition_on: Option<NaiveDate>,
    pub election_form: Option<String>,
    pub households_total: Option<i64>,
    pub households_present: Option<i64>,
    pub votes_for: Option<i64>,
    pub served_from: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub account_id: Option<i64>,
    /// Courses attended.
    pub trainings: i64,
}

macro_rules! mediator_cols {
    () => {
        "m.id, m.team_id, m.full_name, m.gender, m.birth_year, m.ethnicity, m.ethnic_minority, m.address, m.phone, m.occupation,
         m.legal_training, m.membership, m.recognition_no, m.recognition_on, m.election_form, m.households_total,
         m.households_present, m.votes_for, m.served_from, m.ended_on, m.end_reason, m.account_id,
         (SELECT COUNT(*) FROM mediator_trainings r WHERE r.mediator_id = m.id) AS trainings
         FROM mediators m"
    };
}

pub async fn mediators_of(db: &Db, team_id: i64) -> DbResult<Vec<MediatorRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", mediator_cols!(), " WHERE m.team_id = $1
        ORDER BY m.ended_on IS NOT NULL, m.full_name COLLATE vi"))
        .bind(team_id).fetch_all(p).await)?)
}

pub async fn mediator(db: &Db, id: i64) -> DbResult<MediatorRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", mediator_cols!(), " WHERE m.id = $1")).bind(id).fetch_one(p).await)?)
}

/// The election record (biên bản bầu hòa giải viên) of a mediator, when entered.
#[derive(Clone, Debug, Default)]
pub struct Election {
    pub form: Option<String>,
    pub households_total: Option<i64>,
    pub households_present: Option<i64>,
    pub votes_for: Option<i64>,
}

fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

pub async fn insert_mediator(tx: &mut Tx, team_id: i64, m: &MediatorInput, e: &Election, served_from: NaiveDate) -> DbResult<i64> {
    let at = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO mediators (team_id, full_name, name_key, gender, birth_year, ethnicity, ethnic_minority, address, phone, occupation,
           legal_training, membership, recognition_no, recognition_on, election_form, households_total, households_present, votes_for,
           served_from, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20) RETURNING id")
        .bind(team_id).bind(&m.full_name).bind(text_vi::fold(&m.full_name)).bind(&m.gender).bind(m.birth_year).bind(opt(&m.ethnicity))
        .bind(m.ethnic_minority).bind(opt(&m.address)).bind(opt(&m.phone)).bind(opt(&m.occupation)).bind(opt(&m.legal_training))
        .bind(opt(&m.membership)).bind(opt(&m.recognition_no)).bind(m.recognition_on).bind(e.form.as_deref()).bind(e.households_total)
        .bind(e.households_present).bind(e.votes_for).bind(served_from).bind(at)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn end_mediator(tx: &mut Tx, id: i64, on: NaiveDate, reason: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE mediators SET ended_on = $1, end_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(on).bind(reason).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// The serving mediator an account is linked to, if any.
pub async fn serving_mediator_of_account(db: &Db, account_id: i64) -> DbResult<Option<i64>> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM mediators WHERE account_id = $1 AND ended_on IS NULL ORDER BY id LIMIT 1")
        .bind(account_id).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

pub async fn link_account(tx: &mut Tx, id: i64, account_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE mediators SET account_id = $1, updated_at = $2 WHERE id = $3")
        .bind(account_id).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// A course attended by a mediator.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct TrainingRow {
    pub id: i64,
    pub mediator_id: i64,
    pub mediator_name: String,
    pub title: String,
    pub organiser: String,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub hours: i64,
    pub certificate: bool,
}

pub async fn trainings_of_team(db: &Db, team_id: i64) -> DbResult<Vec<TrainingRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT r.id, r.mediator_id, m.full_name AS mediator_name, r.title, r.organiser, r.start_on, r.end_on, r.hours, r.certificate
         FROM mediator_trainings r JOIN mediators m ON m.id = r.mediator_id WHERE m.team_id = $1 ORDER BY r.start_on DESC, m.full_name COLLATE vi")
        .bind(team_id).fetch_all(p).await)?)
}

pub struct NewTraining<'a> {
    pub mediator_id: i64,
    pub title: &'a str,
    pub organiser: &'a str,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub hours: i64,
    pub certificate: bool,
}

pub async fn insert_training(tx: &mut Tx, t: &NewTraining<'_>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO mediator_trainings (mediator_id, title, organiser, start_on, end_on, hours, certificate, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(t.mediator_id).bind(t.title).bind(t.organiser).bind(t.start_on).bind(t.end_on).bind(t.hours).bind(t.certificate).bind(now())
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

// ---------------------------------------------------------------- cases

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub team_id: i64,
    pub commune_id: i64,
    pub received_on: NaiveDate,
    pub origin: String,
    pub field: String,
    pub summary: String,
    pub status: String,
    pub exclusion: Option<String>,
    pub assigned_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub late_reason: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub agreement: Option<String>,
    pub positions: Option<String>,
    pub referred_to: Option<String>,
    pub escalation: Option<String>,
    pub follow_up: Option<String>,
    pub follow_up_note: Option<String>,
    pub payable: Option<i64>,
    pub paid_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// The parties' names, joined (for the lists of those who may see them).
    pub parties: Option<String>,
}

macro_rules! case_fields {
    () => {
        "k.id, k.team_id, k.commune_id, k.received_on, k.origin, k.field, k.summary, k.status, k.exclusion, k.assigned_on,
         k.started_on, k.late_reason, k.ended_on, k.agreement, k.positions, k.referred_to, k.escalation, k.follow_up,
         k.follow_up_note, k.payable, k.paid_on, k.updated_at, k.version, "
    };
}

macro_rules! case_cols {
    () => {
        concat!(case_fields!(), "(SELECT MIN(p.full_name) FROM mediation_parties p WHERE p.case_id = k.id AND p.position = 1) AS parties
         FROM mediation_cases k")
    };
}

pub async fn case(db: &Db, id: i64) -> DbResult<CaseRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", case_cols!(), " WHERE k.id = $1")).bind(id).fetch_one(p).await)?)
}

/// A team's cases received in `[from, to]`, newest first.
pub async fn cases_of_team(db: &Db, team_id: i64, from: NaiveDate, to: NaiveDate, limit: i64) -> DbResult<Vec<CaseRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", case_cols!(), " WHERE k.team_id = $1 AND k.received_on >= $2 AND k.received_on <= $3
        ORDER BY k.received_on DESC, k.id DESC LIMIT $4"))
        .bind(team_id).bind(from).bind(to).bind(limit).fetch_all(p).await)?)
}

/// What the tracking book needs of one case, with its parties and its assigned mediators
/// aggregated by the database (one row per case instead of one per case, party and mediator).
#[derive(Clone, Debug, FromRow)]
pub struct BookRow {
    pub id: i64,
    pub received_on: NaiveDate,
    pub field: String,
    pub summary: String,
    pub status: String,
    pub agreement: Option<String>,
    pub positions: Option<String>,
    pub referred_to: Option<String>,
    pub late_reason: Option<String>,
    pub follow_up: Option<String>,
    /// Each party as name [`UNIT_SEP`] birth year [`UNIT_SEP`] address, joined by [`RECORD_SEP`],
    /// in the order of their positions.
    pub parties: Option<String>,
    /// The assigned mediators' names (declared conflicts left out) joined by [`RECORD_SEP`], in
    /// Vietnamese order.
    pub mediators: Option<String>,
}

/// Separates the fields of one aggregated party (never in cleaned input: control characters
/// are dropped on the way in).
pub const UNIT_SEP: &str = "\u{1f}";
/// Separates aggregated parties or mediators.
pub const RECORD_SEP: &str = "\u{1e}";

/// A team's cases received in `[from, to]`, oldest first, for the tracking book.
pub async fn book_rows(db: &Db, team_id: i64, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<BookRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "WITH ks AS (SELECT k.id, k.received_on, k.field, k.summary, k.status, k.agreement, k.positions, k.referred_to, k.late_reason,
                            k.follow_up
                     FROM mediation_cases k WHERE k.team_id = $1 AND k.received_on >= $2 AND k.received_on <= $3),
              ps AS (SELECT p.case_id,
                            string_agg(p.full_name || $4 || COALESCE(CAST(p.birth_year AS TEXT), '') || $4 || COALESCE(p.address, ''), $5
                                       ORDER BY p.position, p.id) AS parties
                     FROM mediation_parties p JOIN ks ON ks.id = p.case_id GROUP BY p.case_id),
              ms AS (SELECT a.case_id, string_agg(m.full_name, $5 ORDER BY m.full_name COLLATE vi, m.id) AS mediators
                     FROM mediation_case_mediators a JOIN ks ON ks.id = a.case_id JOIN mediators m ON m.id = a.mediator_id
                     WHERE a.conflict = FALSE GROUP BY a.case_id)
         SELECT ks.*, ps.parties, ms.mediators FROM ks LEFT JOIN ps ON ps.case_id = ks.id LEFT JOIN ms ON ms.case_id = ks.id
         ORDER BY ks.received_on, ks.id")
        .bind(team_id).bind(from).bind(to).bind(UNIT_SEP).bind(RECORD_SEP).fetch_all(p).await)?)
}

/// The bytes of a cached tracking book, if one was built from the team's current version
/// (`mediation_book_stamps`, bumped by triggers on every write the book shows) with this `key`.
pub async fn cached_book(db: &Db, team_id: i64, year: i32, format: &str, key: &str) -> DbResult<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = with_db!(db, p => sqlx::query_as(
        "SELECT c.bytes FROM mediation_book_cache c
         WHERE c.team_id = $1 AND c.year = $2 AND c.format = $3 AND c.key = $4
           AND c.stamp = COALESCE((SELECT s.version FROM mediation_book_stamps s WHERE s.team_id = $1), 0)")
        .bind(team_id).bind(i64::from(year)).bind(format).bind(key).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

/// The team's current book version (0 before its first case).
pub async fn book_stamp(db: &Db, team_id: i64) -> DbResult<i64> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT version FROM mediation_book_stamps WHERE team_id = $1")
        .bind(team_id).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0).unwrap_or(0))
}

/// Keeps a built book with the version it was built from. Derived data, not a user's write, so
/// it is not audited; a book built from an older version never replaces a newer one.
pub async fn put_cached_book(db: &Db, team_id: i64, year: i32, format: &str, stamp: i64, key: &str, bytes: &[u8]) -> DbResult<()> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query(
        "INSERT INTO mediation_book_cache (team_id, year, format, stamp, key, bytes, built_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (team_id, year, format) DO UPDATE SET stamp = excluded.stamp, key = excluded.key, bytes = excluded.bytes,
           built_at = excluded.built_at
         WHERE mediation_book_cache.stamp <= excluded.stamp")
        .bind(team_id).bind(i64::from(year)).bind(format).bind(stamp).bind(key).bind(bytes).bind(now()).execute(&mut *c).await)?;
    tx.commit().await?;
    Ok(())
}

/// Forgets every cached book: run at start-up, so a new release (a changed layout or catalogue)
/// never serves a book an older one built.
pub async fn clear_book_cache(db: &Db) -> DbResult<()> {
    let mut tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query("DELETE FROM mediation_book_cache").execute(&mut *c).await)?;
    tx.commit().await?;
    Ok(())
}

/// The cases of the communes under `like` ended in `[from, to]` that earn remuneration.
pub async fn payable_cases(db: &Db, like: &str, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<CaseRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", case_cols!(), " JOIN units c ON c.id = k.commune_id
        WHERE c.path LIKE $1 AND k.payable IS NOT NULL AND k.ended_on >= $2 AND k.ended_on <= $3
        ORDER BY k.team_id, k.ended_on, k.id"))
        .bind(like).bind(from).bind(to).fetch_all(p).await)?)
}

pub struct NewCase<'a> {
    pub team_id: i64,
    pub commune_id: i64,
    pub received_on: NaiveDate,
    pub origin: &'a str,
    pub field: &'a str,
    pub summary: &'a str,
    pub status: &'a str,
    pub exclusion: Option<&'a str>,
    pub referred_to: Option<&'a str>,
    pub created_by: Option<i64>,
}

pub async fn insert_case(tx: &mut Tx, k: &NewCase<'_>) -> DbResult<i64> {
    let at = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO mediation_cases (team_id, commune_id, received_on, origin, field, summary, status, exclusion, referred_to,
           created_by, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1) RETURNING id")
        .bind(k.team_id).bind(k.commune_id).bind(k.received_on).bind(k.origin).bind(k.field).bind(k.summary).bind(k.status)
        .bind(k.exclusion).bind(k.referred_to).bind(k.created_by).bind(at)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn insert_party(tx: &mut Tx, case_id: i64, name: &str, birth_year: Option<i64>, address: &str, position: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("INSERT INTO mediation_parties (case_id, full_name, birth_year, address, position) VALUES ($1, $2, $3, $4, $5)")
        .bind(case_id).bind(name).bind(birth_year).bind(opt(address)).bind(position).execute(&mut *c).await)?;
    Ok(())
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct PartyRow {
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub address: Option<String>,
    pub position: i64,
}

pub async fn parties(db: &Db, case_id: i64) -> DbResult<Vec<PartyRow>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT full_name, birth_year, address, position FROM mediation_parties WHERE case_id = $1 ORDER BY position, id")
        .bind(case_id).fetch_all(p).await)?)
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct CaseMediatorRow {
    pub case_id: i64,
    pub mediator_id: i64,
    pub full_name: String,
    pub conflict: bool,
    pub note: Option<String>,
}

pub async fn case_mediators(db: &Db, case_id: i64) -> DbResult<Vec<CaseMediatorRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT a.case_id, a.mediator_id, m.full_name, a.conflict, a.note FROM mediation_case_mediators a JOIN mediators m ON m.id = a.mediator_id
         WHERE a.case_id = $1 ORDER BY m.full_name COLLATE vi")
        .bind(case_id).fetch_all(p).await)?)
}

/// Records a mediator's conflict-of-interest declaration, or an assignment.
pub async fn put_case_mediator(tx: &mut Tx, case_id: i64, mediator_id: i64, conflict: bool, note: Option<&str>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM mediation_case_mediators WHERE case_id = $1 AND mediator_id = $2")
        .bind(case_id).bind(mediator_id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("INSERT INTO mediation_case_mediators (case_id, mediator_id, conflict, note) VALUES ($1, $2, $3, $4)")
        .bind(case_id).bind(mediator_id).bind(conflict).bind(note).execute(&mut *c).await)?;
    Ok(())
}

/// Removes the assignments (not the conflict declarations) of a case before a new assignment.
pub async fn clear_assignments(tx: &mut Tx, case_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM mediation_case_mediators WHERE case_id = $1 AND conflict = FALSE")
        .bind(case_id).execute(&mut *c).await)?;
    Ok(())
}

/// The fields a workflow step changes.
#[derive(Clone, Debug, Default)]
pub struct CaseUpdate {
    pub status: String,
    pub assigned_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub late_reason: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub agreement: Option<String>,
    pub positions: Option<String>,
    pub referred_to: Option<String>,
    pub escalation: Option<String>,
    pub follow_up: Option<String>,
    pub follow_up_note: Option<String>,
    pub payable: Option<i64>,
}

/// Writes a step's result if the case is still at `version`; false when someone else changed it.
pub async fn update_case(tx: &mut Tx, id: i64, version: i64, u: &CaseUpdate) -> DbResult<bool> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE mediation_cases SET status = $1, assigned_on = $2, started_on = $3, late_reason = $4, ended_on = $5, agreement = $6,
           positions = $7, referred_to = $8, escalation = $9, follow_up = $10, follow_up_note = $11, payable = $12,
           updated_at = $13, version = version + 1
         WHERE id = $14 AND version = $15")
        .bind(&u.status).bind(u.assigned_on).bind(u.started_on).bind(&u.late_reason).bind(u.ended_on).bind(&u.agreement)
        .bind(&u.positions).bind(&u.referred_to).bind(&u.escalation).bind(&u.follow_up).bind(&u.follow_up_note).bind(u.payable)
        .bind(now()).bind(id).bind(version).execute(&mut *c).await)?;
    Ok(n == 1)
}

pub async fn mark_paid(tx: &mut Tx, ids: &[i64], on: NaiveDate) -> DbResult<u64> {
    let mut n = 0;
    for id in ids {
        n += exec!(tx, c => sqlx::query("UPDATE mediation_cases SET paid_on = $1, updated_at = $2 WHERE id = $3 AND payable IS NOT NULL AND paid_on IS NULL")
            .bind(on).bind(now()).bind(*id).execute(&mut *c).await)?;
    }
    Ok(n)
}

pub async fn add_event(tx: &mut Tx, case_id: i64, kind: &str, note: Option<&str>, account_id: Option<i64>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("INSERT INTO mediation_case_events (case_id, kind, note, account_id, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(case_id).bind(kind).bind(note).bind(account_id).bind(now()).execute(&mut *c).await)?;
    Ok(())
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct EventRow {
    pub kind: String,
    pub note: Option<String>,
    pub account_name: Option<String>,
    pub at: DateTime<Utc>,
}

pub async fn events(db: &Db, case_id: i64) -> DbResult<Vec<EventRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT e.kind, e.note, a.full_name AS account_name, e.at FROM mediation_case_events e LEFT JOIN accounts a ON a.id = e.account_id
         WHERE e.case_id = $1 ORDER BY e.at, e.id")
        .bind(case_id).fetch_all(p).await)?)
}

// ---------------------------------------------------------------- statistics

/// Counts per commune under `like` for the period: (commune id, commune name, figures).
#[derive(Clone, Debug, FromRow, Serialize, Default)]
pub struct CommuneCounts {
    pub commune_id: i64,
    pub commune_name: String,
    pub teams: i64,
    pub mediators: i64,
    pub mediators_female: i64,
    pub mediators_ethnic_minority: i64,
    pub mediators_trained: i64,
    pub cases_received: i64,
    pub cases_settled: i64,
    pub cases_not_settled: i64,
    pub cases_in_progress: i64,
}

impl CommuneCounts {
    /// The sum of several communes' counts (the name and id are left empty).
    pub fn total(counts: &[CommuneCounts]) -> CommuneCounts {
        let mut sum = CommuneCounts::default();
        for c in counts {
            sum.teams += c.teams;
            sum.mediators += c.mediators;
            sum.mediators_female += c.mediators_female;
            sum.mediators_ethnic_minority += c.mediators_ethnic_minority;
            sum.mediators_trained += c.mediators_trained;
            sum.cases_received += c.cases_received;
            sum.cases_settled += c.cases_settled;
            sum.cases_not_settled += c.cases_not_settled;
            sum.cases_in_progress += c.cases_in_progress;
        }
        sum
    }
}

/// The cases received in a period under `like`, as rows `(commune_id, field, status, n)`:
/// the days at either end counted from the cases (binds $2–$5), the whole months between them
/// from the monthly counts that the triggers of migration 0010 keep current (binds $6–$7); see
/// [`crate::rules::stats::split_period`]. `$1` is the units' path pattern. `CROSS JOIN` makes
/// SQLite read the teams first and seek each team's cases in the (team, date) index, instead
/// of scanning every case; PostgreSQL plans it as the inner join it is.
macro_rules! case_tally {
    () => {
        "(SELECT t.commune_id, k.field, k.status, 1 AS n FROM mediation_teams t JOIN units v ON v.id = t.village_id
            CROSS JOIN mediation_cases k WHERE k.team_id = t.id AND k.received_on >= $2 AND k.received_on <= $3 AND v.path LIKE $1
          UNION ALL
          SELECT t.commune_id, k.field, k.status, 1 AS n FROM mediation_teams t JOIN units v ON v.id = t.village_id
            CROSS JOIN mediation_cases k WHERE k.team_id = t.id AND k.received_on >= $4 AND k.received_on <= $5 AND v.path LIKE $1
          UNION ALL
          SELECT t.commune_id, c.field, c.status, c.n FROM mediation_teams t JOIN units v ON v.id = t.village_id
            CROSS JOIN mediation_case_counts c WHERE c.team_id = t.id AND c.month >= $6 AND c.month <= $7 AND v.path LIKE $1) x"
    };
}

/// The figures of every commune under `like` (teams and serving mediators on `end`, cases
/// received in `[start, end]`), computed in the database. Same rules as `rules::stats::count`.
pub async fn commune_counts(db: &Db, like: &str, start: NaiveDate, end: NaiveDate) -> DbResult<Vec<CommuneCounts>> {
    let s = crate::rules::stats::split_period(start, end);
    Ok(with_db!(db, p => sqlx::query_as(concat!(
        "WITH live AS (
            SELECT t.id, t.commune_id FROM mediation_teams t JOIN units v ON v.id = t.village_id
            WHERE v.path LIKE $1 AND t.established_on <= $8 AND (t.ended_on IS NULL OR t.ended_on > $8)),
         med AS (
            SELECT l.commune_id, COUNT(*) AS n,
              SUM(CASE WHEN m.gender = 'female' THEN 1 ELSE 0 END) AS female,
              SUM(CASE WHEN m.ethnic_minority THEN 1 ELSE 0 END) AS minority,
              SUM(CASE WHEN EXISTS (SELECT 1 FROM mediator_trainings r WHERE r.mediator_id = m.id) THEN 1 ELSE 0 END) AS trained
            FROM mediators m JOIN live l ON l.id = m.team_id
            WHERE m.served_from <= $8 AND (m.ended_on IS NULL OR m.ended_on > $8) GROUP BY l.commune_id),
         cs AS (
            SELECT x.commune_id, SUM(x.n) AS n,
              SUM(CASE WHEN x.status = 'settled' THEN x.n ELSE 0 END) AS settled,
              SUM(CASE WHEN x.status = 'not_settled' THEN x.n ELSE 0 END) AS not_settled,
              SUM(CASE WHEN x.status IN ('received', 'assigned', 'in_progress') THEN x.n ELSE 0 END) AS open
            FROM ", case_tally!(), "
            WHERE x.status <> 'refused' GROUP BY x.commune_id HAVING SUM(x.n) > 0),
         communes AS (
            SELECT commune_id FROM live UNION SELECT commune_id FROM cs)
         SELECT c.id AS commune_id, c.name AS commune_name,
           CAST((SELECT COUNT(*) FROM live l WHERE l.commune_id = c.id) AS BIGINT) AS teams,
           CAST(COALESCE(med.n, 0) AS BIGINT) AS mediators, CAST(COALESCE(med.female, 0) AS BIGINT) AS mediators_female,
           CAST(COALESCE(med.minority, 0) AS BIGINT) AS mediators_ethnic_minority, CAST(COALESCE(med.trained, 0) AS BIGINT) AS mediators_trained,
           CAST(COALESCE(cs.n, 0) AS BIGINT) AS cases_received, CAST(COALESCE(cs.settled, 0) AS BIGINT) AS cases_settled,
           CAST(COALESCE(cs.not_settled, 0) AS BIGINT) AS cases_not_settled, CAST(COALESCE(cs.open, 0) AS BIGINT) AS cases_in_progress
         FROM communes x JOIN units c ON c.id = x.commune_id LEFT JOIN med ON med.commune_id = c.id LEFT JOIN cs ON cs.commune_id = c.id
         ORDER BY c.name COLLATE vi"))
        .bind(like).bind(s.head.0).bind(s.head.1).bind(s.tail.0).bind(s.tail.1).bind(s.months.0).bind(s.months.1).bind(end)
        .fetch_all(p).await)?)
}

/// Cases received in `[start, end]` under `like`, by field.
pub async fn cases_by_field(db: &Db, like: &str, start: NaiveDate, end: NaiveDate) -> DbResult<Vec<(String, i64)>> {
    let s = crate::rules::stats::split_period(start, end);
    Ok(with_db!(db, p => sqlx::query_as(concat!(
        "SELECT x.field, CAST(SUM(x.n) AS BIGINT) FROM ", case_tally!(), "
         WHERE x.status <> 'refused' GROUP BY x.field HAVING SUM(x.n) > 0 ORDER BY x.field"))
        .bind(like).bind(s.head.0).bind(s.head.1).bind(s.tail.0).bind(s.tail.1).bind(s.months.0).bind(s.months.1)
        .fetch_all(p).await)?)
}
