//! Plans (kế hoạch): header, references to the documents they implement, outline sections,
//! reporting deadlines and tasks with their lead and coordinating agencies.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use kernel::{Db, DbError, DbResult, Tx, exec, now, with_db, with_tx};

macro_rules! plan_cols {
    () => {
        "p.id, p.unit_id, u.name AS unit_name, u.path AS unit_path, p.agency_id, g.name AS agency_name,
         p.kind, p.status, p.number, p.place, p.issued_on, p.parent_body, p.issuer, p.signer,
         p.signer_authority, p.signer_title, p.title, p.period, p.year, p.recipients,
         p.parent_plan_id, p.copied_from_id, p.implementing_deadline, p.cascade_level,
         p.source_file_id, p.created_by, p.created_at, p.updated_at, p.issued_at, p.version"
    };
}
macro_rules! plan_from {
    () => {
        " FROM plans p JOIN units u ON u.id = p.unit_id LEFT JOIN agencies g ON g.id = p.agency_id "
    };
}

/// A plan's header.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Plan {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub agency_id: Option<i64>,
    pub agency_name: Option<String>,
    pub kind: String,
    pub status: String,
    pub number: Option<String>,
    pub place: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub parent_body: Option<String>,
    pub issuer: Option<String>,
    pub signer: Option<String>,
    pub signer_authority: Option<String>,
    pub signer_title: Option<String>,
    pub title: String,
    pub period: Option<String>,
    pub year: Option<i32>,
    /// Nơi nhận, one per line.
    pub recipients: String,
    pub parent_plan_id: Option<i64>,
    pub copied_from_id: Option<i64>,
    pub implementing_deadline: Option<NaiveDate>,
    /// "none" or "commune": which lower units must issue an implementing plan.
    pub cascade_level: String,
    pub source_file_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub issued_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// The editable header fields.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PlanInput {
    pub unit_id: i64,
    pub agency_id: Option<i64>,
    pub kind: String,
    pub number: Option<String>,
    pub place: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub parent_body: Option<String>,
    pub issuer: Option<String>,
    pub signer: Option<String>,
    pub signer_authority: Option<String>,
    pub signer_title: Option<String>,
    pub title: String,
    pub period: Option<String>,
    pub year: Option<i32>,
    pub recipients: String,
    pub implementing_deadline: Option<NaiveDate>,
    pub cascade_level: String,
}

/// Where a new plan comes from.
#[derive(Clone, Debug, Default)]
pub struct PlanOrigin {
    pub parent_plan_id: Option<i64>,
    pub copied_from_id: Option<i64>,
    pub source_file_id: Option<i64>,
    pub source_text: Option<String>,
    pub created_by: Option<i64>,
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Reference {
    pub id: i64,
    pub position: i32,
    pub text: String,
    pub ref_number: Option<String>,
    pub ref_plan_id: Option<i64>,
}

#[derive(Clone, Debug, FromRow, Serialize, PartialEq, Eq)]
pub struct Section {
    pub id: i64,
    pub position: i32,
    pub path: String,
    pub marker: String,
    pub heading: String,
    /// The paragraphs under the heading, one per line.
    pub body: String,
}

/// A section to write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionInput {
    pub path: String,
    pub marker: String,
    pub heading: String,
    /// The paragraphs under the heading, one per line.
    pub body: String,
}

/// The plan's text outside its sections: before the first and after the last.
#[derive(Clone, Debug, Default, FromRow, PartialEq, Eq)]
pub struct PlanText {
    /// Paragraphs, one per line.
    pub preamble: String,
    /// Paragraphs, one per line.
    pub closing: String,
}

#[derive(Clone, Debug, FromRow, Serialize)]
pub struct ReportDeadline {
    pub id: i64,
    pub position: i32,
    pub due_on: NaiveDate,
    pub text: String,
}

/// The outline and obligations of a plan, written in one go on import or copy.
#[derive(Clone, Debug, Default)]
pub struct PlanContent {
    pub references: Vec<String>,
    pub sections: Vec<SectionInput>,
    pub text: PlanText,
    pub report_deadlines: Vec<(NaiveDate, String)>,
    pub tasks: Vec<TaskInput>,
}

/// A task to write.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TaskInput {
    pub path: String,
    pub title: String,
    pub description: String,
    pub form: Option<String>,
    pub products: Option<String>,
    pub funding: Option<String>,
    pub timeframe: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub recurrence: Option<String>,
    pub window_from: Option<NaiveDate>,
    pub window_to: Option<NaiveDate>,
    pub parent_task_id: Option<i64>,
    pub agencies: Vec<TaskAgencyInput>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct TaskAgencyInput {
    /// "lead" or "coordinating".
    pub role: String,
    pub written: String,
    pub match_key: Option<String>,
    pub agency_id: Option<i64>,
}

/// Filter for plan lists. Plans of units in `scope_pattern`'s subtree are listed in any status;
/// issued and closed plans of the units above (whose path `own_path` starts with) too.
#[derive(Clone, Debug, Default)]
pub struct PlanFilter {
    pub scope_pattern: String,
    pub own_path: String,
    pub unit_id: Option<i64>,
    pub status: Option<String>,
    pub year: Option<i32>,
    pub query: Option<String>,
    pub parent_plan_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// What plan searches match: the title and the number, folded (no case, no diacritics).
fn search_key(input: &PlanInput) -> String {
    text_vi::fold(&format!("{} {}", input.title, input.number.as_deref().unwrap_or("")))
}

pub async fn list(db: &Db, f: &PlanFilter) -> DbResult<Vec<Plan>> {
    let pattern = f.query.as_deref().filter(|q| !q.trim().is_empty()).map(kernel::like_contains);
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", plan_cols!(), plan_from!(),
        "WHERE (u.path LIKE $1 OR ($2 LIKE u.path || '%' AND p.status <> 'draft'))
           AND ($3 IS NULL OR p.unit_id = $3)
           AND ($4 IS NULL OR p.status = $4)
           AND ($5 IS NULL OR p.year = $5)
           AND ($6 IS NULL OR p.title_key LIKE $6 ESCAPE '\\')
           AND ($7 IS NULL OR p.parent_plan_id = $7)
         ORDER BY COALESCE(p.year, 0) DESC, p.updated_at DESC, p.id DESC LIMIT $8 OFFSET $9"))
        .bind(&f.scope_pattern).bind(&f.own_path).bind(f.unit_id).bind(&f.status).bind(f.year)
        .bind(pattern).bind(f.parent_plan_id).bind(f.limit).bind(f.offset)
        .fetch_all(p).await)?)
}

pub async fn get(db: &Db, id: i64) -> DbResult<Plan> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", plan_cols!(), plan_from!(), "WHERE p.id = $1"))
        .bind(id).fetch_one(p).await)?)
}

/// The text of the uploaded document, kept for the review page.
pub async fn source_text(db: &Db, id: i64) -> DbResult<Option<String>> {
    let (t,): (Option<String>,) = with_db!(db, p => sqlx::query_as("SELECT source_text FROM plans WHERE id = $1")
        .bind(id).fetch_one(p).await)?;
    Ok(t)
}

/// Plans that implement `parent_id` (the cascade), any status.
pub async fn implementing(db: &Db, parent_id: i64) -> DbResult<Vec<Plan>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", plan_cols!(), plan_from!(),
        "WHERE p.parent_plan_id = $1 ORDER BY u.name COLLATE vi, p.id"))
        .bind(parent_id).fetch_all(p).await)?)
}

/// Latest plans of a unit of a given kind, for "copy last year's plan".
pub async fn by_unit(db: &Db, unit_id: i64, limit: i64) -> DbResult<Vec<Plan>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!("SELECT ", plan_cols!(), plan_from!(),
        "WHERE p.unit_id = $1 ORDER BY COALESCE(p.year, 0) DESC, p.id DESC LIMIT $2"))
        .bind(unit_id).bind(limit).fetch_all(p).await)?)
}

pub async fn references(db: &Db, plan_id: i64) -> DbResult<Vec<Reference>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, position, text, ref_number, ref_plan_id FROM plan_references WHERE plan_id = $1 ORDER BY position")
        .bind(plan_id).fetch_all(p).await)?)
}

pub async fn sections(db: &Db, plan_id: i64) -> DbResult<Vec<Section>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, position, path, marker, heading, body FROM plan_sections WHERE plan_id = $1 ORDER BY position")
        .bind(plan_id).fetch_all(p).await)?)
}

pub async fn text(db: &Db, plan_id: i64) -> DbResult<PlanText> {
    Ok(with_db!(db, pool => sqlx::query_as::<_, PlanText>("SELECT preamble, closing FROM plans WHERE id = $1")
        .bind(plan_id).fetch_optional(pool).await)?.unwrap_or_default())
}

pub async fn report_deadlines(db: &Db, plan_id: i64) -> DbResult<Vec<ReportDeadline>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, position, due_on, text FROM plan_report_deadlines WHERE plan_id = $1 ORDER BY position")
        .bind(plan_id).fetch_all(p).await)?)
}

pub async fn create(tx: &mut Tx, input: &PlanInput, origin: &PlanOrigin) -> DbResult<i64> {
    let t = now();
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO plans (unit_id, agency_id, kind, status, number, place, issued_on, parent_body, issuer, signer,
            signer_authority, signer_title, title, title_key, period, year, recipients, parent_plan_id, copied_from_id,
            implementing_deadline, cascade_level, source_file_id, source_text, created_by, created_at, updated_at, version)
         VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24, 1)
         RETURNING id")
        .bind(input.unit_id).bind(input.agency_id).bind(&input.kind).bind(&input.number).bind(&input.place)
        .bind(input.issued_on).bind(&input.parent_body).bind(&input.issuer).bind(&input.signer)
        .bind(&input.signer_authority).bind(&input.signer_title).bind(&input.title).bind(search_key(input))
        .bind(&input.period).bind(input.year).bind(&input.recipients).bind(origin.parent_plan_id)
        .bind(origin.copied_from_id).bind(input.implementing_deadline).bind(&input.cascade_level)
        .bind(origin.source_file_id).bind(&origin.source_text).bind(origin.created_by).bind(t)
        .fetch_one(&mut *c).await)?;
    Ok(id)
}

/// Updates the header if the plan is still at `version` (optimistic locking: two officers
/// editing the same draft do not overwrite each other silently).
pub async fn update_header(tx: &mut Tx, id: i64, version: i32, input: &PlanInput) -> DbResult<()> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE plans SET agency_id = $1, kind = $2, number = $3, place = $4, issued_on = $5, parent_body = $6, issuer = $7,
            signer = $8, signer_authority = $9, signer_title = $10, title = $11, title_key = $12, period = $13, year = $14,
            recipients = $15, implementing_deadline = $16, cascade_level = $17, updated_at = $18, version = version + 1
         WHERE id = $19 AND version = $20")
        .bind(input.agency_id).bind(&input.kind).bind(&input.number).bind(&input.place).bind(input.issued_on)
        .bind(&input.parent_body).bind(&input.issuer).bind(&input.signer).bind(&input.signer_authority)
        .bind(&input.signer_title).bind(&input.title).bind(search_key(input)).bind(&input.period)
        .bind(input.year).bind(&input.recipients).bind(input.implementing_deadline).bind(&input.cascade_level)
        .bind(now()).bind(id).bind(version)
        .execute(&mut *c).await)?;
    if n == 0 {
        return Err(DbError::Conflict("plans.version".into()));
    }
    Ok(())
}

pub async fn set_status(tx: &mut Tx, id: i64, status: &str) -> DbResult<()> {
    let t = now();
    exec!(tx, c => sqlx::query(
        "UPDATE plans SET status = $1, updated_at = $2, version = version + 1,
            issued_at = CASE WHEN $1 = 'issued' THEN $2 ELSE issued_at END WHERE id = $3")
        .bind(status).bind(t).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// Bumps `updated_at` and the version after a change to the plan's tasks.
pub async fn touch(tx: &mut Tx, id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE plans SET updated_at = $1, version = version + 1 WHERE id = $2")
        .bind(now()).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// Writes the references, sections, reporting deadlines and tasks of a new plan.
pub async fn insert_content(tx: &mut Tx, plan_id: i64, content: &PlanContent) -> DbResult<Vec<i64>> {
    for (i, text) in content.references.iter().enumerate() {
        let number = crate::rules::tracking::reference_number(text);
        exec!(tx, c => sqlx::query(
            "INSERT INTO plan_references (plan_id, position, text, ref_number) VALUES ($1, $2, $3, $4)")
            .bind(plan_id).bind(i as i32).bind(text).bind(&number).execute(&mut *c).await)?;
    }
    replace_sections(tx, plan_id, &content.sections).await?;
    exec!(tx, c => sqlx::query("UPDATE plans SET preamble = $1, closing = $2 WHERE id = $3")
        .bind(&content.text.preamble).bind(&content.text.closing).bind(plan_id).execute(&mut *c).await)?;
    for (i, (due, text)) in content.report_deadlines.iter().enumerate() {
        exec!(tx, c => sqlx::query(
            "INSERT INTO plan_report_deadlines (plan_id, position, due_on, text) VALUES ($1, $2, $3, $4)")
            .bind(plan_id).bind(i as i32).bind(due).bind(text).execute(&mut *c).await)?;
    }
    let mut ids = Vec::with_capacity(content.tasks.len());
    for (i, t) in content.tasks.iter().enumerate() {
        ids.push(crate::store::tasks::create(tx, plan_id, i as i32, t).await?);
    }
    link_references(tx, plan_id).await?;
    Ok(ids)
}

pub async fn replace_sections(tx: &mut Tx, plan_id: i64, sections: &[SectionInput]) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM plan_sections WHERE plan_id = $1").bind(plan_id).execute(&mut *c).await)?;
    for (i, s) in sections.iter().enumerate() {
        exec!(tx, c => sqlx::query(
            "INSERT INTO plan_sections (plan_id, position, path, marker, heading, body) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(plan_id).bind(i as i32).bind(&s.path).bind(&s.marker).bind(&s.heading).bind(&s.body).execute(&mut *c).await)?;
    }
    Ok(())
}

pub async fn replace_references(tx: &mut Tx, plan_id: i64, references: &[String]) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM plan_references WHERE plan_id = $1").bind(plan_id).execute(&mut *c).await)?;
    for (i, text) in references.iter().enumerate() {
        let number = crate::rules::tracking::reference_number(text);
        exec!(tx, c => sqlx::query(
            "INSERT INTO plan_references (plan_id, position, text, ref_number) VALUES ($1, $2, $3, $4)")
            .bind(plan_id).bind(i as i32).bind(text).bind(&number).execute(&mut *c).await)?;
    }
    link_references(tx, plan_id).await
}

pub async fn replace_report_deadlines(tx: &mut Tx, plan_id: i64, items: &[(NaiveDate, String)]) -> DbResult<()> {
    exec!(tx, c => sqlx::query("DELETE FROM plan_report_deadlines WHERE plan_id = $1").bind(plan_id).execute(&mut *c).await)?;
    for (i, (due, text)) in items.iter().enumerate() {
        exec!(tx, c => sqlx::query(
            "INSERT INTO plan_report_deadlines (plan_id, position, due_on, text) VALUES ($1, $2, $3, $4)")
            .bind(plan_id).bind(i as i32).bind(due).bind(text).execute(&mut *c).await)?;
    }
    Ok(())
}

/// Links references of `plan_id` to plans in the system with the same number and symbol, and
/// references of other plans to `plan_id` when it carries a number.
pub async fn link_references(tx: &mut Tx, plan_id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE plan_references SET ref_plan_id = (SELECT MIN(p.id) FROM plans p WHERE p.number = plan_references.ref_number AND p.id <> plan_references.plan_id)
         WHERE plan_id = $1 AND ref_number IS NOT NULL")
        .bind(plan_id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query(
        "UPDATE plan_references SET ref_plan_id = $1
         WHERE ref_plan_id IS NULL AND plan_id <> $1 AND ref_number = (SELECT number FROM plans WHERE id = $1)")
        .bind(plan_id).execute(&mut *c).await)?;
    Ok(())
}

/// Deletes a draft plan and everything under it. Files stay (they may be evidence elsewhere).
pub async fn delete_draft(tx: &mut Tx, id: i64) -> DbResult<()> {
    exec!(tx, c => sqlx::query("UPDATE plans SET parent_plan_id = NULL WHERE parent_plan_id = $1 AND status = 'draft'").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("UPDATE plans SET copied_from_id = NULL WHERE copied_from_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("UPDATE plan_references SET ref_plan_id = NULL WHERE ref_plan_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM reminders WHERE plan_id = $1 OR task_id IN (SELECT id FROM tasks WHERE plan_id = $1)").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("UPDATE tasks SET parent_task_id = NULL WHERE parent_task_id IN (SELECT id FROM tasks WHERE plan_id = $1)").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM task_updates WHERE task_id IN (SELECT id FROM tasks WHERE plan_id = $1)").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM task_agencies WHERE task_id IN (SELECT id FROM tasks WHERE plan_id = $1)").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM tasks WHERE plan_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM plan_sections WHERE plan_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM plan_report_deadlines WHERE plan_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM plan_references WHERE plan_id = $1").bind(id).execute(&mut *c).await)?;
    let n = exec!(tx, c => sqlx::query("DELETE FROM plans WHERE id = $1 AND status = 'draft'").bind(id).execute(&mut *c).await)?;
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// The plans and tasks a file is attached to: (plan id) of the plan it is the source of or
/// whose task holds it as evidence. Used to check who may download it.
pub async fn file_owners(db: &Db, id: i64) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM plans WHERE source_file_id = $1
         UNION SELECT t.plan_id FROM task_updates h JOIN tasks t ON t.id = h.task_id WHERE h.file_id = $1")
        .bind(id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
