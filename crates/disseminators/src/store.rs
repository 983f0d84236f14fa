//! SQL of the reporters' and propagandists' registries, sessions and training, written once for
//! both databases.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use kernel::{Db, DbResult, Tx, exec, now, with_db, with_tx};

// ---------------------------------------------------------------- people

/// A reporter or propagandist with their unit.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct PersonRow {
    pub id: i64,
    pub kind: String,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub gender: String,
    pub phone: Option<String>,
    pub agency: String,
    pub position: String,
    pub qualification: String,
    pub experience_years: i64,
    pub village: String,
    pub account_id: Option<i64>,
    pub account_username: Option<String>,
    pub registration_id: Option<i64>,
    pub decision_no: String,
    pub decision_on: NaiveDate,
    pub decision_signer: String,
    pub decision_file_id: Option<i64>,
    pub dismissed_on: Option<NaiveDate>,
    pub dismissal_kind: Option<String>,
    pub dismissal_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

macro_rules! person_cols {
    () => {
        "d.id, d.kind, d.unit_id, u.name AS unit_name, u.path AS unit_path, d.full_name, d.birth_year, d.gender, d.phone,
         d.agency, d.position, d.qualification, d.experience_years, d.village, d.account_id, a.username AS account_username,
         d.registration_id, d.decision_no, d.decision_on, d.decision_signer, d.decision_file_id, d.dismissed_on,
         d.dismissal_kind, d.dismissal_reason, d.updated_at
         FROM disseminators d JOIN units u ON u.id = d.unit_id LEFT JOIN accounts a ON a.id = d.account_id"
    };
}

/// The fields of a reporter or propagandist as entered.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PersonInput {
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub gender: String,
    pub phone: Option<String>,
    pub agency: String,
    pub position: String,
    pub qualification: String,
    pub experience_years: i64,
    pub village: String,
    pub account_id: Option<i64>,
    pub decision_no: String,
    pub decision_on: Option<NaiveDate>,
    pub decision_signer: String,
}

pub async fn person(db: &Db, id: i64) -> DbResult<PersonRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", person_cols!(), " WHERE d.id = $1")).bind(id).fetch_one(p).await)?)
}

/// People of one kind in units inside `like`, ordered by unit (Vietnamese collation).
pub async fn people(db: &Db, like: &str, kind: &str) -> DbResult<Vec<PersonRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", person_cols!(), " WHERE u.path LIKE $1 AND d.kind = $2 ORDER BY u.name COLLATE vi, d.id"))
        .bind(like).bind(kind).fetch_all(p).await)?)
}

/// Everyone of both kinds inside `like` (for the session form's choice of people).
pub async fn people_in(db: &Db, like: &str) -> DbResult<Vec<PersonRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", person_cols!(), " WHERE u.path LIKE $1 ORDER BY d.id"))
        .bind(like).fetch_all(p).await)?)
}

/// The registry entries linked to an account (a Reporter's own records).
pub async fn people_of_account(db: &Db, account_id: i64) -> DbResult<Vec<PersonRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", person_cols!(), " WHERE d.account_id = $1 ORDER BY d.id"))
        .bind(account_id).fetch_all(p).await)?)
}

pub async fn insert_person(tx: &mut Tx, kind: &str, unit_id: i64, f: &PersonInput, decision_on: NaiveDate, registration_id: Option<i64>, by: Option<i64>) -> DbResult<i64> {
    let t = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO disseminators (kind, unit_id, full_name, name_key, birth_year, gender, phone, agency, position, qualification,
           experience_years, village, account_id, registration_id, decision_no, decision_on, decision_signer, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id")
        .bind(kind).bind(unit_id).bind(&f.full_name).bind(text_vi::fold(&f.full_name)).bind(f.birth_year).bind(&f.gender).bind(&f.phone)
        .bind(&f.agency).bind(&f.position).bind(&f.qualification).bind(f.experience_years).bind(&f.village).bind(f.account_id)
        .bind(registration_id).bind(&f.decision_no).bind(decision_on).bind(&f.decision_signer).bind(by).bind(t)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn update_person(tx: &mut Tx, id: i64, f: &PersonInput, decision_on: NaiveDate) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE disseminators SET full_name = $1, name_key = $2, birth_year = $3, gender = $4, phone = $5, agency = $6, position = $7,
           qualification = $8, experience_years = $9, village = $10, account_id = $11, decision_no = $12, decision_on = $13,
           decision_signer = $14, updated_at = $15 WHERE id = $16")
        .bind(&f.full_name).bind(text_vi::fold(&f.full_name)).bind(f.birth_year).bind(&f.gender).bind(&f.phone).bind(&f.agency)
        .bind(&f.position).bind(&f.qualification).bind(f.experience_years).bind(&f.village).bind(f.account_id).bind(&f.decision_no)
        .bind(decision_on).bind(&f.decision_signer).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn set_decision_file(tx: &mut Tx, id: i64, file_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE disseminators SET decision_file_id = $1, updated_at = $2 WHERE id = $3")
        .bind(file_id).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// Ends (or, with `None`s, restores) a person's service.
pub async fn set_dismissal(tx: &mut Tx, id: i64, on: Option<NaiveDate>, kind: Option<&str>, reason: Option<&str>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE disseminators SET dismissed_on = $1, dismissal_kind = $2, dismissal_reason = $3, updated_at = $4 WHERE id = $5")
        .bind(on).bind(kind).bind(reason).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// The person whose decision file this is.
pub async fn decision_file_owner(db: &Db, file_id: i64) -> DbResult<Option<i64>> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM disseminators WHERE decision_file_id = $1")
        .bind(file_id).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

// ---------------------------------------------------------------- registration rounds

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct RoundRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub year: i64,
    pub announced_on: NaiveDate,
    pub note: String,
    pub listed_on: Option<NaiveDate>,
}

macro_rules! round_cols {
    () => {
        "r.id, r.unit_id, u.name AS unit_name, u.path AS unit_path, r.year, r.announced_on, r.note, r.listed_on
         FROM dissem_rounds r JOIN units u ON u.id = r.unit_id"
    };
}

pub async fn round(db: &Db, id: i64) -> DbResult<RoundRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", round_cols!(), " WHERE r.id = $1")).bind(id).fetch_one(p).await)?)
}

pub async fn rounds(db: &Db, like: &str) -> DbResult<Vec<RoundRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", round_cols!(), " WHERE u.path LIKE $1 ORDER BY r.year DESC, u.name COLLATE vi"))
        .bind(like).fetch_all(p).await)?)
}

pub async fn round_exists(tx: &mut Tx, unit_id: i64, year: i64) -> DbResult<bool> {
    let (n,): (i64,) = with_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM dissem_rounds WHERE unit_id = $1 AND year = $2")
        .bind(unit_id).bind(year).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

pub async fn insert_round(tx: &mut Tx, unit_id: i64, year: i64, announced_on: NaiveDate, note: &str, by: Option<i64>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO dissem_rounds (unit_id, year, announced_on, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(unit_id).bind(year).bind(announced_on).bind(note).bind(by).bind(now()).fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn set_listed_on(tx: &mut Tx, id: i64, on: NaiveDate) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE dissem_rounds SET listed_on = $1 WHERE id = $2").bind(on).bind(id).execute(&mut *c).await)?;
    Ok(())
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct RegistrationRow {
    pub id: i64,
    pub round_id: i64,
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub phone: Option<String>,
    pub village: String,
    pub occupation: String,
    pub status: String,
    pub review_note: String,
    /// The registry entry its recognition created.
    pub person_id: Option<i64>,
}

macro_rules! registration_cols {
    () => {
        "g.id, g.round_id, g.full_name, g.birth_year, g.phone, g.village, g.occupation, g.status, g.review_note,
         (SELECT d.id FROM disseminators d WHERE d.registration_id = g.id) AS person_id FROM dissem_registrations g"
    };
}

pub async fn registrations(db: &Db, round_id: i64) -> DbResult<Vec<RegistrationRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", registration_cols!(), " WHERE g.round_id = $1 ORDER BY g.id"))
        .bind(round_id).fetch_all(p).await)?)
}

pub async fn registrations_tx(tx: &mut Tx, round_id: i64) -> DbResult<Vec<RegistrationRow>> {
    Ok(with_tx!(tx, c => sqlx::query_as(concat!("SELECT ", registration_cols!(), " WHERE g.round_id = $1 ORDER BY g.id"))
        .bind(round_id).fetch_all(&mut *c).await)?)
}

/// A person's registration as entered.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RegistrationInput {
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub phone: Option<String>,
    pub village: String,
    pub occupation: String,
}

pub async fn insert_registration(tx: &mut Tx, round_id: i64, r: &RegistrationInput, by: Option<i64>) -> DbResult<i64> {
    let t = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO dissem_registrations (round_id, full_name, name_key, birth_year, phone, village, occupation, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'registered', $8, $9, $9) RETURNING id")
        .bind(round_id).bind(&r.full_name).bind(text_vi::fold(&r.full_name)).bind(r.birth_year).bind(&r.phone).bind(&r.village)
        .bind(&r.occupation).bind(by).bind(t).fetch_one(&mut *c).await)?;
    Ok(id)
}

pub async fn set_registration_status(tx: &mut Tx, id: i64, status: &str, note: &str) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE dissem_registrations SET status = $1, review_note = $2, updated_at = $3 WHERE id = $4")
        .bind(status).bind(note).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

// ---------------------------------------------------------------- sessions

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct ActivityRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub held_on: NaiveDate,
    pub form: String,
    pub topic: String,
    pub laws: String,
    pub place: String,
    pub attendees: i64,
    pub materials: i64,
    pub note: String,
    pub evidence_file_id: Option<i64>,
    pub created_by: Option<i64>,
    /// The plan task the session carries out (a task of `plans`, checked through the kernel's port).
    pub task_id: Option<i64>,
}

macro_rules! activity_cols {
    () => {
        "s.id, s.unit_id, u.name AS unit_name, u.path AS unit_path, s.held_on, s.form, s.topic, s.laws, s.place, s.attendees,
         s.materials, s.note, s.evidence_file_id, s.created_by, s.task_id FROM dissem_activities s JOIN units u ON u.id = s.unit_id"
    };
}

/// A session as entered, with its groups and people.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ActivityInput {
    pub held_on: Option<NaiveDate>,
    pub form: String,
    pub topic: String,
    pub laws: String,
    pub place: String,
    pub attendees: i64,
    pub materials: i64,
    pub note: String,
    /// (target group code, attendees of the group).
    pub groups: Vec<(String, i64)>,
    pub people: Vec<i64>,
    /// The plan task it carries out, already checked as linkable.
    pub task_id: Option<i64>,
}

pub async fn activity(db: &Db, id: i64) -> DbResult<ActivityRow> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", activity_cols!(), " WHERE s.id = $1")).bind(id).fetch_one(p).await)?)
}

/// Sessions of units inside `like` held between two days, newest first.
pub async fn activities(db: &Db, like: &str, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<ActivityRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", activity_cols!(),
        " WHERE u.path LIKE $1 AND s.held_on >= $2 AND s.held_on <= $3 ORDER BY s.held_on DESC, s.id DESC"))
        .bind(like).bind(from).bind(to).fetch_all(p).await)?)
}

/// Sessions a given person took part in (a Reporter's own), between two days.
pub async fn activities_of_people(db: &Db, people: &[i64], from: NaiveDate, to: NaiveDate) -> DbResult<Vec<ActivityRow>> {
    let mut out: Vec<ActivityRow> = Vec::new();
    for pid in people {
        let rows: Vec<ActivityRow> = with_db!(db, p => sqlx::query_as(concat!("SELECT ", activity_cols!(),
            " WHERE s.id IN (SELECT activity_id FROM dissem_activity_people WHERE disseminator_id = $1) AND s.held_on >= $2 AND s.held_on <= $3"))
            .bind(*pid).bind(from).bind(to).fetch_all(p).await)?;
        for r in rows {
            if !out.iter().any(|o| o.id == r.id) {
                out.push(r);
            }
        }
    }
    out.sort_by(|a, b| b.held_on.cmp(&a.held_on).then(b.id.cmp(&a.id)));
    Ok(out)
}

pub async fn insert_activity(tx: &mut Tx, unit_id: i64, a: &ActivityInput, held_on: NaiveDate, by: Option<i64>) -> DbResult<i64> {
    let t = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO dissem_activities (unit_id, held_on, form, topic, laws, place, attendees, materials, note, created_by, created_at, updated_at, task_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id")
        .bind(unit_id).bind(held_on).bind(&a.form).bind(&a.topic).bind(&a.laws).bind(&a.place).bind(a.attendees).bind(a.materials)
        .bind(&a.note).bind(by).bind(t).bind(a.task_id).fetch_one(&mut *c).await)?;
    replace_links(tx, id, a).await?;
    Ok(id)
}

pub async fn update_activity(tx: &mut Tx, id: i64, a: &ActivityInput, held_on: NaiveDate) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE dissem_activities SET held_on = $1, form = $2, topic = $3, laws = $4, place = $5, attendees = $6, materials = $7,
           note = $8, updated_at = $9, task_id = $11 WHERE id = $10")
        .bind(held_on).bind(&a.form).bind(&a.topic).bind(&a.laws).bind(&a.place).bind(a.attendees).bind(a.materials).bind(&a.note)
        .bind(now()).bind(id).bind(a.task_id).execute(&mut *c).await)?;
    replace_links(tx, id, a).await
}

async fn replace_links(tx: &mut Tx, id: i64, a: &ActivityInput) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM dissem_activity_groups WHERE activity_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM dissem_activity_people WHERE activity_id = $1").bind(id).execute(&mut *c).await)?;
    for (g, n) in &a.groups {
        exec!(tx, c => sqlx::query("INSERT INTO dissem_activity_groups (activity_id, target_group, attendees) VALUES ($1, $2, $3)")
            .bind(id).bind(g).bind(*n).execute(&mut *c).await)?;
    }
    for pid in &a.people {
        exec!(tx, c => sqlx::query("INSERT INTO dissem_activity_people (activity_id, disseminator_id) VALUES ($1, $2)")
            .bind(id).bind(*pid).execute(&mut *c).await)?;
    }
    Ok(())
}

/// Sessions linked to a plan task, oldest first.
pub async fn activities_of_task(db: &Db, task_id: i64) -> DbResult<Vec<ActivityRow>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", activity_cols!(), " WHERE s.task_id = $1 ORDER BY s.held_on, s.id"))
        .bind(task_id).fetch_all(p).await)?)
}

/// Links a session to a plan task (or unlinks it with `None`).
pub async fn set_task(tx: &mut Tx, id: i64, task_id: Option<i64>) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE dissem_activities SET task_id = $1, updated_at = $2 WHERE id = $3")
        .bind(task_id).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn set_evidence(tx: &mut Tx, id: i64, file_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE dissem_activities SET evidence_file_id = $1, updated_at = $2 WHERE id = $3")
        .bind(file_id).bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn evidence_owner(db: &Db, file_id: i64) -> DbResult<Option<i64>> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM dissem_activities WHERE evidence_file_id = $1")
        .bind(file_id).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

/// (target group, attendees) of a session.
pub async fn activity_groups(db: &Db, id: i64) -> DbResult<Vec<(String, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT target_group, attendees FROM dissem_activity_groups WHERE activity_id = $1 ORDER BY target_group")
        .bind(id).fetch_all(p).await)?)
}

/// Ids of the people of a session.
pub async fn activity_people(db: &Db, id: i64) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT disseminator_id FROM dissem_activity_people WHERE activity_id = $1 ORDER BY disseminator_id")
        .bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ---------------------------------------------------------------- counting facts

/// (activity id, target group, attendees) of every session of units inside `like` in a period.
pub async fn group_facts(db: &Db, like: &str, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<(i64, String, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT g.activity_id, g.target_group, g.attendees FROM dissem_activity_groups g
         JOIN dissem_activities s ON s.id = g.activity_id JOIN units u ON u.id = s.unit_id
         WHERE u.path LIKE $1 AND s.held_on >= $2 AND s.held_on <= $3")
        .bind(like).bind(from).bind(to).fetch_all(p).await)?)
}

/// (activity id, person id) of every session of units inside `like` in a period.
pub async fn people_facts(db: &Db, like: &str, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<(i64, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT g.activity_id, g.disseminator_id FROM dissem_activity_people g
         JOIN dissem_activities s ON s.id = g.activity_id JOIN units u ON u.id = s.unit_id
         WHERE u.path LIKE $1 AND s.held_on >= $2 AND s.held_on <= $3")
        .bind(like).bind(from).bind(to).fetch_all(p).await)?)
}

// ---------------------------------------------------------------- training

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct TrainingRow {
    pub id: i64,
    pub disseminator_id: i64,
    pub title: String,
    pub organiser: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: i64,
    pub certificate: bool,
}

pub async fn trainings(db: &Db, person_id: i64) -> DbResult<Vec<TrainingRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, disseminator_id, title, organiser, starts_on, ends_on, hours, certificate FROM dissem_trainings
         WHERE disseminator_id = $1 ORDER BY starts_on DESC, id DESC")
        .bind(person_id).fetch_all(p).await)?)
}

/// Every propagandist in units inside `like`, with whether a training course of theirs
/// overlaps `[from, to]`: (id, decision day, dismissal day, trained).
pub async fn propagandist_training(db: &Db, like: &str, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<(i64, NaiveDate, Option<NaiveDate>, bool)>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT d.id, d.decision_on, d.dismissed_on,
           EXISTS (SELECT 1 FROM dissem_trainings t WHERE t.disseminator_id = d.id AND t.ends_on >= $2 AND t.starts_on <= $3) AS trained
         FROM disseminators d JOIN units u ON u.id = d.unit_id WHERE u.path LIKE $1 AND d.kind = 'propagandist' ORDER BY d.id")
        .bind(like).bind(from).bind(to).fetch_all(p).await)?)
}

/// A training course as entered.
#[derive(Clone, Debug, Serialize)]
pub struct TrainingInput {
    pub title: String,
    pub organiser: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: i64,
    pub certificate: bool,
}

pub async fn insert_training(tx: &mut Tx, person_id: i64, t: &TrainingInput, by: Option<i64>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO dissem_trainings (disseminator_id, title, organiser, starts_on, ends_on, hours, certificate, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(person_id).bind(&t.title).bind(&t.organiser).bind(t.starts_on).bind(t.ends_on).bind(t.hours).bind(t.certificate)
        .bind(by).bind(now()).fetch_one(&mut *c).await)?;
    Ok(id)
}
