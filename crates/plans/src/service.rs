//! Plan services shared by the pages, the jobs and the command line: who may see, edit and
//! track what; importing a document; resolving agency names to the agencies of the issuing
//! unit; copying last year's plan; creating an implementing plan from a higher one.

use std::collections::HashSet;

use kernel::db::audit::{self, Actor, Entry};
use crate::store::plans::{Plan, PlanContent, PlanInput, PlanOrigin, PlanText, SectionInput, TaskAgencyInput, TaskInput};
use crate::store::tasks::{Task, TaskAgency};
use kernel::db::units::Unit;
use kernel::db::{Db, DbError};
use kernel::account::Action;
use kernel::agency::{AgencyCatalogue, AgencyMatch, AgencyMatcher};
use crate::rules::tracking::{self, PlanKind};
use serde_json::json;

use kernel::auth::Principal;
use kernel::error::{AppError, AppResult};

/// Whether the account may see a plan: plans of its subtree in any status, and issued or
/// closed plans of the units above it (a commune implements the province's plans).
pub fn can_view(user: Principal<'_>, plan: &Plan) -> bool {
    user.role.allows(Action::ViewPlans)
        && (user.scope.contains(&plan.unit_path)
            || (plan.status != "draft" && user.scope.is_ancestor_or_self(&plan.unit_path)))
}

/// Whether the account may edit a plan's header and tasks, issue, close or delete it: officers
/// of the issuing unit's scope, and the focal point of the issuing agency.
pub fn can_edit(user: Principal<'_>, plan: &Plan) -> bool {
    if plan.status == "closed" {
        return false;
    }
    (user.role.allows(Action::ManagePlans) && user.scope.contains(&plan.unit_path))
        || (user.role.allows(Action::TrackTasks)
            && plan.agency_id.is_some()
            && plan.agency_id == user.account.agency_id
            && user.scope.contains(&plan.unit_path))
}

/// Loads a plan the account may see, or answers 404 (never "forbidden", which would reveal it).
pub async fn visible_plan(db: &Db, user: Principal<'_>, id: i64) -> AppResult<Plan> {
    let plan = crate::store::plans::get(db, id).await?;
    if can_view(user, &plan) { Ok(plan) } else { Err(AppError::NotFound) }
}

/// What an account may do on a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TrackRight {
    None,
    /// A coordinating agency adds its contribution.
    Contribute,
    /// The lead agency or the plan's officers update status, progress, notes and evidence.
    Full,
}

pub fn track_right(user: Principal<'_>, plan: &Plan, agencies: &[TaskAgency]) -> TrackRight {
    if plan.status != "issued" || !user.role.allows(Action::TrackTasks) {
        return TrackRight::None;
    }
    if user.role.allows(Action::ManagePlans) && user.scope.contains(&plan.unit_path) {
        return TrackRight::Full;
    }
    let Some(mine) = user.account.agency_id else { return TrackRight::None };
    if plan.agency_id == Some(mine) || agencies.iter().any(|a| a.role == "lead" && a.agency_id == Some(mine)) {
        return TrackRight::Full;
    }
    if agencies.iter().any(|a| a.role == "coordinating" && a.agency_id == Some(mine)) {
        return TrackRight::Contribute;
    }
    TrackRight::None
}

/// Loads a task whose plan the account may see (or whose agencies include the account's).
pub async fn visible_task(db: &Db, user: Principal<'_>, id: i64) -> AppResult<(Task, Plan, Vec<TaskAgency>)> {
    let task = crate::store::tasks::get(db, id).await?;
    let plan = crate::store::plans::get(db, task.plan_id).await?;
    let agencies = crate::store::tasks::agencies(db, id).await?;
    let involved = user.account.agency_id.is_some_and(|a| agencies.iter().any(|x| x.agency_id == Some(a)));
    if can_view(user, &plan) || (involved && plan.status != "draft") {
        Ok((task, plan, agencies))
    } else {
        Err(AppError::NotFound)
    }
}

/// Turns agency names into task agencies: each name goes through the agency matcher; a
/// recognised kind is tied to the agency of that kind in the issuing unit or the nearest unit
/// above it; a name that is not in the catalogue is looked up among the database's agencies
/// and their aliases; anything else stays as written.
pub struct Resolver {
    matcher: AgencyMatcher,
    catalogue: AgencyCatalogue,
    agencies: Vec<(kernel::db::agencies::Agency, Vec<String>)>,
}

impl Resolver {
    pub async fn load(db: &Db) -> AppResult<Resolver> {
        let catalogue = AgencyCatalogue::builtin().map_err(|e| AppError::Internal(e.to_string()))?;
        let matcher = AgencyMatcher::from_catalogue(&catalogue);
        let agencies = kernel::db::agencies::all_with_aliases(db).await?;
        Ok(Resolver { matcher, catalogue, agencies })
    }

    pub fn matcher(&self) -> &AgencyMatcher {
        &self.matcher
    }

    pub fn catalogue(&self) -> &AgencyCatalogue {
        &self.catalogue
    }

    /// The agency of catalogue kind `code` in the unit at `unit_path` or the nearest unit above.
    fn agency_of_kind(&self, code: &str, unit_path: &str) -> Option<&kernel::db::agencies::Agency> {
        self.agencies
            .iter()
            .map(|(a, _)| a)
            .filter(|a| a.kind_code.as_deref() == Some(code) && unit_path.starts_with(&a.unit_path))
            .max_by_key(|a| a.unit_path.len())
    }

    fn agency_by_name(&self, written: &str, unit_path: &str) -> Option<&kernel::db::agencies::Agency> {
        let key = text_vi::fold(written);
        self.agencies
            .iter()
            .filter(|(a, _)| unit_path.starts_with(&a.unit_path) || a.unit_path.starts_with(unit_path))
            .find(|(a, aliases)| text_vi::fold(&a.name) == key || aliases.iter().any(|x| text_vi::fold(x) == key))
            .map(|(a, _)| a)
    }

    pub fn resolve(&self, role: &str, m: &AgencyMatch, unit_path: &str) -> TaskAgencyInput {
        let written = m.written().to_string();
        match m.key() {
            Some(key) => {
                let agency_id = key.strip_prefix("kind:").and_then(|code| self.agency_of_kind(code, unit_path)).map(|a| a.id);
                TaskAgencyInput { role: role.into(), written, match_key: Some(key.to_string()), agency_id }
            }
            None => match self.agency_by_name(&written, unit_path) {
                Some(a) => TaskAgencyInput { role: role.into(), written, match_key: Some(format!("agency:{}", a.id)), agency_id: Some(a.id) },
                None => TaskAgencyInput { role: role.into(), written, match_key: None, agency_id: None },
            },
        }
    }

    /// Splits a typed list ("Sở Tư pháp; Công an tỉnh, UBND các xã") and resolves each name.
    pub fn resolve_text(&self, role: &str, text: &str, unit_path: &str) -> Vec<TaskAgencyInput> {
        let text = text_vi::nfc(text.trim());
        if text.is_empty() {
            return Vec::new();
        }
        self.matcher.match_list(&text).iter().map(|m| self.resolve(role, m, unit_path)).collect()
    }

    pub fn resolve_task(&self, t: &crate::rules::Task, unit_path: &str) -> Vec<TaskAgencyInput> {
        let lead = t.lead_matches.iter().map(|m| self.resolve("lead", m, unit_path));
        let coordinating = t.coordinating_matches.iter().map(|m| self.resolve("coordinating", m, unit_path));
        lead.chain(coordinating).collect()
    }
}

/// The content of an imported plan, with its agencies resolved for the issuing unit.
pub fn content_of(parsed: &crate::rules::Plan, resolver: &Resolver, unit_path: &str) -> PlanContent {
    PlanContent {
        references: parsed.implements.clone(),
        sections: parsed
            .sections
            .iter()
            .map(|s| SectionInput { path: s.path.clone(), marker: s.marker.clone(), heading: s.heading.clone(), body: s.body.join("\n") })
            .collect(),
        text: PlanText { preamble: parsed.preamble.join("\n"), closing: parsed.closing.join("\n") },
        report_deadlines: parsed.report_deadlines.iter().map(|r| (r.date, r.text.clone())).collect(),
        tasks: parsed
            .tasks
            .iter()
            .map(|t| TaskInput {
                path: t.path.clone(),
                title: t.title.clone(),
                description: t.description.join("\n"),
                form: t.form.clone(),
                products: t.products.clone(),
                funding: t.funding.clone(),
                timeframe: t.timeframe.clone(),
                deadline: t.deadline,
                recurrence: t.recurrence.map(recurrence_str),
                window_from: t.window.as_ref().map(|w| w.from),
                window_to: t.window.as_ref().map(|w| w.to),
                parent_task_id: None,
                agencies: resolver.resolve_task(t, unit_path),
            })
            .collect(),
    }
}

pub fn recurrence_str(r: crate::rules::Recurrence) -> String {
    serde_json::to_value(r).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Vietnamese label of a stored recurrence.
pub fn recurrence_label(r: &str) -> &'static str {
    match r {
        "ongoing" => "Thường xuyên",
        "annual" => "Hằng năm",
        "quarterly" => "Hằng quý",
        "monthly" => "Hằng tháng",
        "when_instructed" => "Khi có chỉ đạo, hướng dẫn của cấp trên",
        _ => "",
    }
}

pub const RECURRENCES: [&str; 5] = ["ongoing", "annual", "quarterly", "monthly", "when_instructed"];

/// The header of an imported plan.
pub fn header_of(parsed: &crate::rules::Plan, unit: &Unit, agency_id: Option<i64>, kind: Option<PlanKind>) -> PlanInput {
    let issuer = parsed.issuer.clone();
    let title = parsed.title.clone().unwrap_or_else(|| "Kế hoạch chưa có tên".to_string());
    let kind = kind.unwrap_or_else(|| PlanKind::guess(&title, issuer.as_deref().unwrap_or("")));
    PlanInput {
        unit_id: unit.id,
        agency_id,
        kind: kind.as_str().into(),
        number: parsed.number.clone(),
        place: parsed.place.clone(),
        issued_on: parsed.date,
        parent_body: None,
        issuer,
        signer: parsed.signer.clone(),
        signer_authority: parsed.signer_authority.clone(),
        signer_title: parsed.signer_title.clone(),
        title,
        period: parsed.period.clone(),
        year: parsed.year,
        recipients: parsed.recipients.join("\n"),
        implementing_deadline: None,
        cascade_level: "none".into(),
    }
}

/// Why an import failed: the document (a Vietnamese message for the user) or the system.
#[derive(Debug)]
pub enum ImportFailure {
    Document(crate::rules::PlanError),
    /// Not now: every parsing slot busy, or the document took too long (see `kernel::heavy`).
    Refused(&'static str),
    System(AppError),
}

impl From<AppError> for ImportFailure {
    fn from(e: AppError) -> Self {
        ImportFailure::System(e)
    }
}

impl From<DbError> for ImportFailure {
    fn from(e: DbError) -> Self {
        ImportFailure::System(e.into())
    }
}

/// Content type of an accepted plan document, by extension.
pub fn document_type(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    if lower.ends_with(".docx") {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else if lower.ends_with(".md") {
        "text/markdown; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// Imports a document as a draft plan of `unit`: parses it (nothing is written if it is not a
/// plan), then stores the original file, the plan, its outline and tasks, and an audit entry
/// in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn import_document(
    db: &Db,
    actor: &Actor,
    created_by: Option<i64>,
    unit: &Unit,
    agency_id: Option<i64>,
    kind: Option<PlanKind>,
    file_name: &str,
    bytes: Vec<u8>,
    heavy: &kernel::heavy::Heavy,
) -> Result<i64, ImportFailure> {
    let resolver = Resolver::load(db).await?;
    // Parsing untrusted bytes is CPU work: on the blocking pool, under the instance's limits.
    let name = file_name.to_string();
    let (resolver, bytes, parsed, source_text) = heavy
        .run(move || {
            let parsed = crate::rules::parse_plan_bytes(&bytes, &name, resolver.matcher());
            let source_text = if parsed.is_err() {
                None
            } else if name.to_lowercase().ends_with(".docx") || bytes.starts_with(b"PK\x03\x04") {
                crate::rules::docx_text(&bytes).ok()
            } else {
                std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).ok().map(text_vi::nfc)
            };
            (resolver, bytes, parsed, source_text)
        })
        .await
        .map_err(|e| match e {
            kernel::heavy::HeavyError::Failed => ImportFailure::System(AppError::Internal("plan import failed".into())),
            other => ImportFailure::Refused(other.message()),
        })?;
    let parsed = parsed.map_err(ImportFailure::Document)?;
    let header = header_of(&parsed, unit, agency_id, kind);
    let content = content_of(&parsed, &resolver, &unit.path);
    // The CLI passes the name as it is on disk; pages already cleaned it. Either way it is stored safe.
    let file_name = kernel::page::safe_file_name(file_name);
    let mut tx = db.begin().await?;
    let file_id = kernel::db::files::store(&mut tx, &file_name, document_type(&file_name), &bytes, unit.id, created_by).await?;
    let origin = PlanOrigin { source_file_id: Some(file_id), source_text, created_by, ..PlanOrigin::default() };
    let id = crate::store::plans::create(&mut tx, &header, &origin).await?;
    crate::store::plans::insert_content(&mut tx, id, &content).await?;
    let unmatched: usize = parsed.tasks.iter().map(|t| t.unmatched().len()).sum();
    audit::record(&mut tx, actor, Entry {
        action: "import", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(unit.id),
        summary: format!("Nhập kế hoạch từ tệp {file_name}: {} nhiệm vụ", content.tasks.len()),
        before: None,
        after: Some(json!({"title": header.title, "number": header.number, "tasks": content.tasks.len(),
            "sections": content.sections.len(), "unmatched_agencies": unmatched, "file_id": file_id})),
    }).await?;
    tx.commit().await?;
    Ok(id)
}

/// Copies a plan as a new draft for another year ("copy last year's plan"): header, outline
/// and tasks; dates move by the difference in years and the year in texts is replaced; status,
/// progress and history are not copied.
pub async fn copy_plan(db: &Db, actor: &Actor, created_by: Option<i64>, source: &Plan, year: i32) -> AppResult<i64> {
    let from_year = source.year.unwrap_or(year - 1);
    let shift = year - from_year;
    let y = |s: &str| tracking::replace_year(s, from_year, year);
    let yo = |s: &Option<String>| s.as_deref().map(y);
    let d = |v: Option<chrono::NaiveDate>| v.map(|d| tracking::shift_years(d, shift));
    let header = PlanInput {
        unit_id: source.unit_id,
        agency_id: source.agency_id,
        kind: source.kind.clone(),
        number: None,
        place: source.place.clone(),
        issued_on: None,
        parent_body: source.parent_body.clone(),
        issuer: source.issuer.clone(),
        signer: source.signer.clone(),
        signer_authority: source.signer_authority.clone(),
        signer_title: source.signer_title.clone(),
        title: y(&source.title),
        period: yo(&source.period),
        year: Some(year),
        recipients: source.recipients.clone(),
        implementing_deadline: d(source.implementing_deadline),
        cascade_level: source.cascade_level.clone(),
    };
    let tasks = crate::store::tasks::for_plan(db, source.id).await?;
    let agencies = crate::store::tasks::agencies_for_plan(db, source.id).await?;
    let content = PlanContent {
        references: crate::store::plans::references(db, source.id).await?.into_iter().map(|r| r.text).collect(),
        sections: crate::store::plans::sections(db, source.id)
            .await?
            .into_iter()
            .map(|s| SectionInput { path: s.path, marker: s.marker, heading: y(&s.heading), body: y(&s.body) })
            .collect(),
        text: {
            let t = crate::store::plans::text(db, source.id).await?;
            PlanText { preamble: y(&t.preamble), closing: y(&t.closing) }
        },
        report_deadlines: crate::store::plans::report_deadlines(db, source.id).await?.into_iter()
            .map(|r| (tracking::shift_years(r.due_on, shift), y(&r.text))).collect(),
        tasks: tasks.iter().map(|t| TaskInput {
            path: t.path.clone(),
            title: y(&t.title),
            description: y(&t.description),
            form: t.form.clone(),
            products: yo(&t.products),
            funding: t.funding.clone(),
            timeframe: yo(&t.timeframe),
            deadline: d(t.deadline),
            recurrence: t.recurrence.clone(),
            window_from: d(t.window_from),
            window_to: d(t.window_to),
            parent_task_id: None,
            agencies: agencies_input(&agencies, t.id),
        }).collect(),
    };
    let mut tx = db.begin().await?;
    let origin = PlanOrigin { copied_from_id: Some(source.id), created_by, ..PlanOrigin::default() };
    let id = crate::store::plans::create(&mut tx, &header, &origin).await?;
    crate::store::plans::insert_content(&mut tx, id, &content).await?;
    audit::record(&mut tx, actor, Entry {
        action: "copy", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(source.unit_id),
        summary: format!("Sao chép kế hoạch “{}” sang năm {year}", source.title),
        before: None, after: Some(json!({"copied_from": source.id, "title": header.title, "tasks": content.tasks.len()})),
    }).await?;
    tx.commit().await?;
    Ok(id)
}

fn agencies_input(all: &[TaskAgency], task_id: i64) -> Vec<TaskAgencyInput> {
    all.iter()
        .filter(|a| a.task_id == task_id)
        .map(|a| TaskAgencyInput { role: a.role.clone(), written: a.written.clone(), match_key: a.match_key.clone(), agency_id: a.agency_id })
        .collect()
}

/// Who creates an implementing plan: a lower unit, or an agency (by its focal point).
#[derive(Clone, Debug)]
pub struct Implementer {
    pub unit: Unit,
    pub agency: Option<kernel::db::agencies::Agency>,
}

/// Whether a task of a higher plan is proposed to an implementer: an agency is proposed the
/// tasks it leads or coordinates; a lower unit those that name it or one of its agencies, or
/// that name a commune-level (or former district-level) kind or group of agencies.
pub fn proposed(implementer: &Implementer, agencies: &[&TaskAgency], catalogue: &AgencyCatalogue, own_agency_ids: &HashSet<i64>) -> bool {
    if let Some(a) = &implementer.agency {
        return agencies.iter().any(|x| x.agency_id == Some(a.id) || (a.kind_code.is_some() && x.match_key.as_deref() == a.kind_code.as_ref().map(|k| format!("kind:{k}")).as_deref()));
    }
    agencies.iter().any(|x| {
        x.agency_id.is_some_and(|id| own_agency_ids.contains(&id))
            || x.match_key.as_deref().is_some_and(|k| tracking::refers_to_commune_level(k, catalogue))
    })
}

/// Creates the implementer's plan from `parent` with the chosen tasks, each linked to the task
/// it implements; agencies are resolved again for the implementer's unit.
pub async fn create_implementing(
    db: &Db,
    actor: &Actor,
    created_by: Option<i64>,
    parent: &Plan,
    implementer: &Implementer,
    task_ids: &[i64],
) -> AppResult<i64> {
    let resolver = Resolver::load(db).await?;
    let tasks = crate::store::tasks::for_plan(db, parent.id).await?;
    let chosen: Vec<&Task> = tasks.iter().filter(|t| task_ids.contains(&t.id)).collect();
    let unit = &implementer.unit;
    let issuer = implementer.agency.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| format!("Ủy ban nhân dân {}", lower_first(&unit.name)));
    let header = PlanInput {
        unit_id: unit.id,
        agency_id: implementer.agency.as_ref().map(|a| a.id),
        kind: parent.kind.clone(),
        number: None,
        place: None,
        issued_on: None,
        parent_body: None,
        issuer: Some(issuer.clone()),
        signer: None,
        signer_authority: None,
        signer_title: None,
        title: format!("Triển khai {}", lower_first(&parent.title)),
        period: parent.period.clone(),
        year: parent.year,
        recipients: String::new(),
        implementing_deadline: None,
        cascade_level: "none".into(),
    };
    // In the implementing plan the implementer leads each task: the agency itself, or the
    // unit's People's Committee (its agency of that kind when the system has it).
    let lead = match &implementer.agency {
        Some(a) => TaskAgencyInput { role: "lead".into(), written: a.name.clone(), match_key: Some(format!("agency:{}", a.id)), agency_id: Some(a.id) },
        None => {
            let m = resolver.matcher().match_name("Ủy ban nhân dân xã");
            let mut r = resolver.resolve("lead", &m, &unit.path);
            if r.agency_id.is_none_or(|id| !resolver.agencies.iter().any(|(a, _)| a.id == id && a.unit_id == unit.id)) {
                r.agency_id = None;
            }
            r.written = issuer.clone();
            r
        }
    };
    let reference = match (&parent.number, parent.issued_on) {
        (Some(n), Some(d)) => format!("Kế hoạch số {n} ngày {} của {}", text_vi::format_date(d), parent.issuer.clone().unwrap_or_else(|| parent.unit_name.clone())),
        (Some(n), None) => format!("Kế hoạch số {n} của {}", parent.issuer.clone().unwrap_or_else(|| parent.unit_name.clone())),
        _ => format!("Kế hoạch “{}” của {}", parent.title, parent.issuer.clone().unwrap_or_else(|| parent.unit_name.clone())),
    };
    let content = PlanContent {
        references: vec![reference],
        sections: Vec::new(),
        text: PlanText::default(),
        report_deadlines: Vec::new(),
        tasks: chosen.iter().map(|t| TaskInput {
            path: t.path.clone(),
            title: t.title.clone(),
            description: t.description.clone(),
            form: t.form.clone(),
            products: t.products.clone(),
            funding: t.funding.clone(),
            timeframe: t.timeframe.clone(),
            deadline: t.deadline,
            recurrence: t.recurrence.clone(),
            window_from: t.window_from,
            window_to: t.window_to,
            parent_task_id: Some(t.id),
            agencies: vec![lead.clone()],
        }).collect(),
    };
    let mut tx = db.begin().await?;
    let origin = PlanOrigin { parent_plan_id: Some(parent.id), created_by, ..PlanOrigin::default() };
    let id = crate::store::plans::create(&mut tx, &header, &origin).await?;
    crate::store::plans::insert_content(&mut tx, id, &content).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(unit.id),
        summary: format!("Xây dựng kế hoạch thực hiện “{}” ({} nhiệm vụ)", parent.title, content.tasks.len()),
        before: None, after: Some(json!({"parent_plan": parent.id, "tasks": task_ids})),
    }).await?;
    tx.commit().await?;
    Ok(id)
}

/// "Tỉnh Lạng Sơn" → "tỉnh Lạng Sơn", for running text.
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Progress of each task of a plan, rolled up from implementing tasks where they exist:
/// (own progress, rolled-up progress from children, number of children).
pub async fn progress_of_plan(db: &Db, tasks: &[Task]) -> AppResult<std::collections::HashMap<i64, (u8, Option<u8>, usize)>> {
    let Some(first) = tasks.first() else { return Ok(Default::default()) };
    let children = crate::store::tasks::children_status_for_plan(db, first.plan_id).await?;
    Ok(tasks
        .iter()
        .map(|t| {
            let own = tracking::task_progress(status_of(&t.status), t.progress.map(i64::from));
            let kids: Vec<u8> = children
                .get(&t.id)
                .map(|v| v.iter().map(|(s, p)| tracking::task_progress(status_of(s), p.map(i64::from))).collect())
                .unwrap_or_default();
            (t.id, (own, tracking::rollup(&kids), kids.len()))
        })
        .collect())
}

pub fn status_of(s: &str) -> tracking::TaskStatus {
    tracking::TaskStatus::parse(s).unwrap_or(tracking::TaskStatus::NotStarted)
}
