//! Use cases of the registries, shared by pages, the API and the demo. Each takes a `Principal`
//! and checks the role and the scope: the managing unit (the province for reporters, the
//! commune for propagandists) keeps its registry; units above see it; a Reporter account sees
//! and records only its own sessions. Outside the scope: 404; an action the caller lacks: 403.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use kernel::account::{Action, Role};
use kernel::auth::Principal;
use kernel::db::audit::{self, Actor, Entry};
use kernel::db::units::Unit;
use kernel::error::{AppError, AppResult};
use kernel::registry::{BoxFuture, LinkedSession, PlanTaskRef, Registry, ReportFigure};
use kernel::{Db, DbError, DbResult};
use serde_json::json;

use crate::msg;
use crate::rules::catalogue;
use crate::rules::figures::{self, PersonFact, SessionFact};
use crate::rules::kinds::{Kind, RegStatus};
use crate::store::{self, ActivityInput, ActivityRow, PersonInput, PersonRow, RegistrationInput, RoundRow, TrainingInput};

pub fn not_found(e: DbError) -> AppError {
    match e {
        DbError::NotFound => AppError::NotFound,
        other => other.into(),
    }
}

/// The shipped catalogue, or an internal error (the files are checked by the tests).
pub fn catalogue() -> AppResult<&'static catalogue::Catalogue> {
    catalogue::shipped().map_err(AppError::Internal)
}

// ---------------------------------------------------------------- who may do what

/// Whether the account keeps the registry and the sessions of `unit_id`: its own unit's
/// officers (and system administrators).
pub fn manages(p: &Principal<'_>, unit_id: i64) -> bool {
    p.role.allows(Action::ManageDisseminators) && (p.scope.global || p.account.unit_id == unit_id)
}

/// Personal phone numbers are shown only to the managing unit.
pub fn shows_phone(p: &Principal<'_>, row: &PersonRow) -> bool {
    manages(p, row.unit_id)
}

fn is_reporter_account(p: &Principal<'_>) -> bool {
    p.role == Role::Reporter
}

/// The account's unit, and a 403 unless it is the level whose registry holds `kind`.
pub async fn registry_unit(db: &Db, p: &Principal<'_>, kind: Kind) -> AppResult<Unit> {
    p.require(Action::ManageDisseminators)?;
    let unit = kernel::db::units::get(db, p.account.unit_id).await?;
    if unit.level != kind.unit_level() {
        return Err(AppError::Forbidden);
    }
    Ok(unit)
}

/// A registry entry the account may see, or 404. A Reporter account sees only its own.
pub async fn visible_person(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<PersonRow> {
    p.require(Action::ViewDisseminators)?;
    let row = store::person(db, id).await.map_err(not_found)?;
    let ok = if is_reporter_account(p) { row.account_id == Some(p.account.id) } else { p.scope.contains(&row.unit_path) };
    if ok { Ok(row) } else { Err(AppError::NotFound) }
}

/// The registry of one kind the account may see, sorted by person name (given name first).
pub async fn people_list(db: &Db, p: &Principal<'_>, kind: Kind) -> AppResult<Vec<PersonRow>> {
    p.require(Action::ViewDisseminators)?;
    let mut rows = if is_reporter_account(p) {
        store::people_of_account(db, p.account.id).await?.into_iter().filter(|r| r.kind == kind.as_str()).collect()
    } else {
        store::people(db, &p.scope.like_pattern(), kind.as_str()).await?
    };
    rows.sort_by(|a, b| text_vi::compare(&a.unit_name, &b.unit_name).then_with(|| text_vi::compare_person_names(&a.full_name, &b.full_name)));
    Ok(rows)
}

/// The serving registry entries linked to a Reporter account.
pub async fn own_people(db: &Db, p: &Principal<'_>, day: NaiveDate) -> AppResult<Vec<PersonRow>> {
    Ok(store::people_of_account(db, p.account.id).await?.into_iter().filter(|r| serving(r, day)).collect())
}

pub fn serving(r: &PersonRow, day: NaiveDate) -> bool {
    r.decision_on <= day && r.dismissed_on.is_none_or(|d| d > day)
}

/// The account a registry entry is linked to, from the typed username: a Reporter account
/// inside the manager's scope, not linked to another entry.
pub async fn resolve_account(db: &Db, p: &Principal<'_>, username: &str, self_id: Option<i64>) -> AppResult<Result<Option<i64>, &'static str>> {
    let username = kernel::page::clean(username).to_lowercase();
    if username.is_empty() {
        return Ok(Ok(None));
    }
    if username.chars().count() > 64 {
        return Ok(Err(msg::ACCOUNT_UNKNOWN));
    }
    let acc = match kernel::db::accounts::by_username(db, &username).await {
        Ok(a) => a,
        Err(DbError::NotFound) => return Ok(Err(msg::ACCOUNT_UNKNOWN)),
        Err(e) => return Err(e.into()),
    };
    if acc.role != Role::Reporter.as_str() || !p.scope.contains(&acc.unit_path) {
        return Ok(Err(msg::ACCOUNT_UNKNOWN));
    }
    let taken = store::people_of_account(db, acc.id).await?.iter().any(|r| Some(r.id) != self_id && r.dismissed_on.is_none());
    if taken {
        return Ok(Err(msg::ACCOUNT_TAKEN));
    }
    Ok(Ok(Some(acc.id)))
}

// ---------------------------------------------------------------- registry writes

/// Adds a reporter (province) or propagandist (commune) to the account's registry.
pub async fn create_person(db: &Db, actor: &Actor, p: &Principal<'_>, kind: Kind, f: &PersonInput) -> AppResult<i64> {
    let unit = registry_unit(db, p, kind).await?;
    let on = f.decision_on.ok_or_else(|| AppError::BadRequest(msg::DATE_REQUIRED.into()))?;
    let mut tx = db.begin().await?;
    let id = store::insert_person(&mut tx, kind.as_str(), unit.id, f, on, None, Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "disseminator",
        entity_id: Some(id.to_string()),
        unit_id: Some(unit.id),
        summary: format!("Công nhận {} {} (quyết định số {})", kind.label().to_lowercase(), f.full_name, f.decision_no),
        before: None,
        after: Some(json!(f)),
    })
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves the edited fields of a registry entry (its unit's officers only).
pub async fn update_person(db: &Db, actor: &Actor, p: &Principal<'_>, row: &PersonRow, f: &PersonInput) -> AppResult<()> {
    if !manages(p, row.unit_id) {
        return Err(AppError::Forbidden);
    }
    let on = f.decision_on.ok_or_else(|| AppError::BadRequest(msg::DATE_REQUIRED.into()))?;
    let mut tx = db.begin().await?;
    store::update_person(&mut tx, row.id, f, on).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "disseminator",
        entity_id: Some(row.id.to_string()),
        unit_id: Some(row.unit_id),
        summary: format!("Cập nhật thông tin {} {}", Kind::parse(&row.kind).map(|k| k.label().to_lowercase()).unwrap_or_default(), f.full_name),
        before: Some(json!(row)),
        after: Some(json!(f)),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A dismissal (miễn nhiệm) or ceasing (cho thôi làm) as entered.
pub struct Dismissal<'a> {
    pub on: NaiveDate,
    /// `dismissed` or `ceased`.
    pub kind: &'a str,
    pub reason: &'a str,
}

/// Ends a person's service.
pub async fn dismiss(db: &Db, actor: &Actor, p: &Principal<'_>, row: &PersonRow, d: &Dismissal<'_>) -> AppResult<Result<(), &'static str>> {
    if !manages(p, row.unit_id) {
        return Err(AppError::Forbidden);
    }
    if row.dismissed_on.is_some() {
        return Ok(Err(msg::ALREADY_DISMISSED));
    }
    if d.on < row.decision_on {
        return Ok(Err(msg::DISMISS_BEFORE_DECISION));
    }
    let mut tx = db.begin().await?;
    store::set_dismissal(&mut tx, row.id, Some(d.on), Some(d.kind), Some(d.reason)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "disseminator",
        entity_id: Some(row.id.to_string()),
        unit_id: Some(row.unit_id),
        summary: format!("{}: {} từ ngày {}", dismissal_label(d.kind), row.full_name, text_vi::format_date(d.on)),
        before: Some(json!({ "dismissed_on": null })),
        after: Some(json!({ "dismissed_on": d.on, "kind": d.kind, "reason": d.reason })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

pub fn dismissal_label(kind: &str) -> &'static str {
    match kind {
        "dismissed" => "Miễn nhiệm",
        _ => "Cho thôi làm",
    }
}

/// Records a training course of a registry entry.
pub async fn add_training(db: &Db, actor: &Actor, p: &Principal<'_>, row: &PersonRow, t: &TrainingInput) -> AppResult<i64> {
    if !manages(p, row.unit_id) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let id = store::insert_training(&mut tx, row.id, t, Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "dissem_training",
        entity_id: Some(id.to_string()),
        unit_id: Some(row.unit_id),
        summary: format!("Bồi dưỡng, tập huấn của {}: {}", row.full_name, t.title),
        before: None,
        after: Some(json!(t)),
    })
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A checked upload: (file name, content type, bytes).
pub type CheckedFile<'a> = (&'a str, &'static str, &'a [u8]);

/// Stores the scanned recognition decision of a registry entry.
pub async fn attach_decision(db: &Db, actor: &Actor, p: &Principal<'_>, row: &PersonRow, file: CheckedFile<'_>) -> AppResult<i64> {
    if !manages(p, row.unit_id) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let fid = kernel::db::files::store(&mut tx, file.0, file.1, file.2, row.unit_id, Some(p.account.id)).await?;
    store::set_decision_file(&mut tx, row.id, fid).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "disseminator",
        entity_id: Some(row.id.to_string()),
        unit_id: Some(row.unit_id),
        summary: format!("Tải lên quyết định công nhận của {}", row.full_name),
        before: Some(json!({ "decision_file_id": row.decision_file_id })),
        after: Some(json!({ "decision_file_id": fid, "name": file.0 })),
    })
    .await?;
    tx.commit().await?;
    Ok(fid)
}

// ---------------------------------------------------------------- registration rounds

/// A registration round the account may see, or 404.
pub async fn visible_round(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<RoundRow> {
    p.require(Action::ViewDisseminators)?;
    if is_reporter_account(p) {
        return Err(AppError::NotFound);
    }
    let r = store::round(db, id).await.map_err(not_found)?;
    if p.scope.contains(&r.unit_path) { Ok(r) } else { Err(AppError::NotFound) }
}

/// Opens the September round of the account's commune for `year`.
pub async fn open_round(db: &Db, actor: &Actor, p: &Principal<'_>, year: i64, announced_on: NaiveDate, note: &str) -> AppResult<Result<i64, &'static str>> {
    let unit = registry_unit(db, p, Kind::Propagandist).await?;
    let mut tx = db.begin().await?;
    if store::round_exists(&mut tx, unit.id, year).await? {
        return Ok(Err(msg::ROUND_EXISTS));
    }
    let id = store::insert_round(&mut tx, unit.id, year, announced_on, note, Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "dissem_round",
        entity_id: Some(id.to_string()),
        unit_id: Some(unit.id),
        summary: format!("Mở đợt đăng ký tuyên truyền viên pháp luật năm {year} của {}", unit.name),
        before: None,
        after: Some(json!({ "year": year, "announced_on": announced_on, "note": note })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Records a person's registration in a round.
pub async fn register(db: &Db, actor: &Actor, p: &Principal<'_>, round: &RoundRow, r: &RegistrationInput) -> AppResult<i64> {
    if !manages(p, round.unit_id) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let id = store::insert_registration(&mut tx, round.id, r, Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "dissem_registration",
        entity_id: Some(id.to_string()),
        unit_id: Some(round.unit_id),
        summary: format!("Đăng ký làm tuyên truyền viên pháp luật năm {}: {}", round.year, r.full_name),
        before: None,
        after: Some(json!(r)),
    })
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The officer's review: each registration still open is listed or not (with a note); the
/// round's list is dated `today`.
pub async fn review(db: &Db, actor: &Actor, p: &Principal<'_>, round: &RoundRow, decisions: &BTreeMap<i64, (RegStatus, String)>, today: NaiveDate) -> AppResult<()> {
    if !manages(p, round.unit_id) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let regs = store::registrations_tx(&mut tx, round.id).await?;
    let mut changed = Vec::new();
    for g in &regs {
        let Some((status, note)) = decisions.get(&g.id) else { continue };
        if !RegStatus::parse(&g.status).is_some_and(RegStatus::reviewable) {
            continue;
        }
        store::set_registration_status(&mut tx, g.id, status.as_str(), note).await?;
        changed.push(json!({ "id": g.id, "from": g.status, "to": status.as_str(), "note": note }));
    }
    store::set_listed_on(&mut tx, round.id, today).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "dissem_round",
        entity_id: Some(round.id.to_string()),
        unit_id: Some(round.unit_id),
        summary: format!("Rà soát, lập danh sách đề nghị công nhận tuyên truyền viên pháp luật năm {} của {}", round.year, round.unit_name),
        before: None,
        after: Some(json!({ "changes": changed })),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The commune chair's decision as entered.
pub struct Decision<'a> {
    pub no: &'a str,
    pub on: NaiveDate,
    pub signer: &'a str,
}

/// Records the chair's recognition of everyone on the list: each becomes a propagandist.
/// Returns how many were recognised.
pub async fn recognise(db: &Db, actor: &Actor, p: &Principal<'_>, round: &RoundRow, d: &Decision<'_>) -> AppResult<Result<usize, &'static str>> {
    if !manages(p, round.unit_id) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let listed: Vec<_> = store::registrations_tx(&mut tx, round.id).await?.into_iter().filter(|g| g.status == RegStatus::Listed.as_str()).collect();
    if listed.is_empty() {
        return Ok(Err(msg::NOTHING_LISTED));
    }
    let mut ids = Vec::new();
    for g in &listed {
        let f = PersonInput {
            full_name: g.full_name.clone(),
            birth_year: g.birth_year,
            phone: g.phone.clone(),
            agency: g.occupation.clone(),
            qualification: crate::rules::kinds::Qualification::Other.as_str().into(),
            village: g.village.clone(),
            decision_no: d.no.into(),
            decision_on: Some(d.on),
            decision_signer: d.signer.into(),
            ..PersonInput::default()
        };
        ids.push(store::insert_person(&mut tx, Kind::Propagandist.as_str(), round.unit_id, &f, d.on, Some(g.id), Some(p.account.id)).await?);
        store::set_registration_status(&mut tx, g.id, RegStatus::Recognised.as_str(), &g.review_note).await?;
    }
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "disseminator",
        entity_id: Some(round.id.to_string()),
        unit_id: Some(round.unit_id),
        summary: format!("Công nhận {} tuyên truyền viên pháp luật của {} (quyết định số {})", ids.len(), round.unit_name, d.no),
        before: None,
        after: Some(json!({ "round": round.id, "people": ids, "decision_no": d.no, "decision_on": d.on, "signer": d.signer })),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(ids.len()))
}

// ---------------------------------------------------------------- sessions

/// A session the account may see, or 404: in scope, or (for a Reporter account) one it took
/// part in.
pub async fn visible_activity(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<ActivityRow> {
    p.require(Action::ViewDisseminators)?;
    let a = store::activity(db, id).await.map_err(not_found)?;
    let ok = if is_reporter_account(p) {
        let own: BTreeSet<i64> = store::people_of_account(db, p.account.id).await?.into_iter().map(|r| r.id).collect();
        store::activity_people(db, a.id).await?.iter().any(|x| own.contains(x))
    } else {
        p.scope.contains(&a.unit_path)
    };
    if ok { Ok(a) } else { Err(AppError::NotFound) }
}

/// Whether the account may edit a session: its unit's officers, or the Reporter who recorded it.
pub fn may_edit_activity(p: &Principal<'_>, a: &ActivityRow) -> bool {
    if !p.role.allows(Action::RecordDisseminationActivities) {
        return false;
    }
    if is_reporter_account(p) {
        return a.created_by == Some(p.account.id);
    }
    p.scope.global || p.account.unit_id == a.unit_id
}

/// Sessions the account may see between two days, in `like` (a subtree inside the scope).
pub async fn activities_for(db: &Db, p: &Principal<'_>, like: &str, from: NaiveDate, to: NaiveDate) -> AppResult<Vec<ActivityRow>> {
    p.require(Action::ViewDisseminators)?;
    if is_reporter_account(p) {
        let own: Vec<i64> = store::people_of_account(db, p.account.id).await?.into_iter().map(|r| r.id).collect();
        return Ok(store::activities_of_people(db, &own, from, to).await?);
    }
    Ok(store::activities(db, like, from, to).await?)
}

/// Who may be named on a session recorded by this account: a Reporter only itself; an officer
/// the serving reporters and propagandists of its subtree and the reporters of the province
/// above. Returns (unit the session belongs to, the people).
pub async fn session_setup(db: &Db, p: &Principal<'_>, day: NaiveDate) -> AppResult<(i64, Vec<PersonRow>)> {
    p.require(Action::RecordDisseminationActivities)?;
    if is_reporter_account(p) {
        let own = own_people(db, p, day).await?;
        let unit = own.first().map(|r| r.unit_id).ok_or_else(|| AppError::BadRequest(msg::NO_OWN_RECORD.into()))?;
        return Ok((unit, own));
    }
    let mut people: Vec<PersonRow> = store::people_in(db, &p.scope.like_pattern()).await?.into_iter().filter(|r| serving(r, day)).collect();
    if !p.scope.global {
        let province = p.account.unit_path.trim_matches('/').split('/').next().unwrap_or_default();
        if !province.is_empty() {
            for r in store::people(db, &format!("/{province}/%"), Kind::Reporter.as_str()).await? {
                if serving(&r, day) && !people.iter().any(|x| x.id == r.id) {
                    people.push(r);
                }
            }
        }
    }
    people.sort_by(|a, b| text_vi::compare_person_names(&a.full_name, &b.full_name));
    Ok((p.account.unit_id, people))
}

/// Records a new session. `people` must come from [`session_setup`] (checked by the caller).
pub async fn create_activity(db: &Db, actor: &Actor, p: &Principal<'_>, unit_id: i64, a: &ActivityInput) -> AppResult<i64> {
    p.require(Action::RecordDisseminationActivities)?;
    let on = a.held_on.ok_or_else(|| AppError::BadRequest(msg::DATE_REQUIRED.into()))?;
    let mut tx = db.begin().await?;
    let id = store::insert_activity(&mut tx, unit_id, a, on, Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create",
        entity: "dissem_activity",
        entity_id: Some(id.to_string()),
        unit_id: Some(unit_id),
        summary: format!("Ghi nhận buổi phổ biến pháp luật ngày {}: {}", text_vi::format_date(on), a.topic),
        before: None,
        after: Some(json!(a)),
    })
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an edited session.
pub async fn update_activity(db: &Db, actor: &Actor, p: &Principal<'_>, row: &ActivityRow, a: &ActivityInput) -> AppResult<()> {
    if !may_edit_activity(p, row) {
        return Err(AppError::Forbidden);
    }
    let on = a.held_on.ok_or_else(|| AppError::BadRequest(msg::DATE_REQUIRED.into()))?;
    let mut tx = db.begin().await?;
    store::update_activity(&mut tx, row.id, a, on).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "dissem_activity",
        entity_id: Some(row.id.to_string()),
        unit_id: Some(row.unit_id),
        summary: format!("Cập nhật buổi phổ biến pháp luật ngày {}: {}", text_vi::format_date(on), a.topic),
        before: Some(json!(row)),
        after: Some(json!(a)),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Stores the evidence file of a session (photos, minutes, attendance list).
pub async fn attach_evidence(db: &Db, actor: &Actor, p: &Principal<'_>, row: &ActivityRow, file: CheckedFile<'_>) -> AppResult<i64> {
    if !may_edit_activity(p, row) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let fid = kernel::db::files::store(&mut tx, file.0, file.1, file.2, row.unit_id, Some(p.account.id)).await?;
    store::set_evidence(&mut tx, row.id, fid).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update",
        entity: "dissem_activity",
        entity_id: Some(row.id.to_string()),
        unit_id: Some(row.unit_id),
        summary: format!("Tải lên minh chứng buổi phổ biến pháp luật ngày {}", text_vi::format_date(row.held_on)),
        before: Some(json!({ "evidence_file_id": row.evidence_file_id })),
        after: Some(json!({ "evidence_file_id": fid, "name": file.0 })),
    })
    .await?;
    tx.commit().await?;
    Ok(fid)
}

// ---------------------------------------------------------------- plan tasks

/// Whether the account chooses the plan task a session carries out: the choice names plans
/// and tasks, so only accounts that may read plans do (not a Reporter account; its unit's
/// officers link its sessions).
pub fn links_tasks(p: &Principal<'_>) -> bool {
    p.role.allows(Action::ViewPlans)
}

/// The tasks offered for a session of `unit_id` (through the kernel's `LinkableTasks` port):
/// those the unit and the account's agency answer for. `current`, the task the session carries
/// out now, stays offered even when it could no longer be chosen (its plan was closed since).
pub async fn task_choices(db: &Db, ports: &Registry, p: &Principal<'_>, unit_id: i64, current: Option<i64>) -> AppResult<Vec<PlanTaskRef>> {
    if !links_tasks(p) {
        return Ok(Vec::new());
    }
    let mut out = match ports.linkable_tasks {
        Some(port) => port(db, unit_id, p.account.agency_id).await?,
        None => Vec::new(),
    };
    if let (Some(id), Some(port)) = (current, ports.linkable_task)
        && !out.iter().any(|t| t.id == id)
        && let Some((task, _)) = port(db, id, unit_id, p.account.agency_id).await?
    {
        out.insert(0, task);
    }
    Ok(out)
}

/// The task a session of `unit_id` will carry out, from what was typed (`task_id`): none when
/// empty; the current link when unchanged; otherwise a task the unit (and the account's
/// agency) may link, checked on the server through the kernel's `LinkableTask` port, so a
/// forged id is refused, never stored. An account that does not choose tasks (see
/// [`links_tasks`]) keeps the current link and may not set another.
pub async fn chosen_task(db: &Db, ports: &Registry, p: &Principal<'_>, unit_id: i64, typed: &str, current: Option<i64>) -> AppResult<Result<Option<i64>, &'static str>> {
    let typed = typed.trim();
    let id = match typed {
        "" if links_tasks(p) => return Ok(Ok(None)),
        "" => return Ok(Ok(current)),
        t => match t.parse::<i64>() {
            Ok(id) => id,
            Err(_) => return Ok(Err(msg::TASK_NOT_LINKABLE)),
        },
    };
    if Some(id) == current {
        return Ok(Ok(current));
    }
    let Some(port) = ports.linkable_task.filter(|_| links_tasks(p)) else { return Ok(Err(msg::TASK_NOT_LINKABLE)) };
    Ok(match port(db, id, unit_id, p.account.agency_id).await? {
        Some((_, true)) => Ok(Some(id)),
        _ => Err(msg::TASK_NOT_LINKABLE),
    })
}

/// The task a session carries out, to show on the session page (`None` when it has none, or
/// when the account may not read plans).
pub async fn task_of(db: &Db, ports: &Registry, p: &Principal<'_>, a: &ActivityRow) -> AppResult<Option<PlanTaskRef>> {
    let (Some(id), Some(port)) = (a.task_id, ports.linkable_task) else { return Ok(None) };
    if !links_tasks(p) {
        return Ok(None);
    }
    Ok(port(db, id, a.unit_id, p.account.agency_id).await?.map(|(t, _)| t))
}

/// The sessions linked to a plan task that the viewer may see (as [`visible_activity`] decides),
/// without the people who held them.
pub async fn linked_sessions(db: &Db, task_id: i64, p: Principal<'_>) -> DbResult<Vec<LinkedSession>> {
    if !p.role.allows(Action::ViewDisseminators) {
        return Ok(Vec::new());
    }
    let cat = catalogue::shipped().map_err(DbError::Invalid)?;
    let own: Option<BTreeSet<i64>> =
        if is_reporter_account(&p) { Some(store::people_of_account(db, p.account.id).await?.into_iter().map(|r| r.id).collect()) } else { None };
    let mut out = Vec::new();
    for a in store::activities_of_task(db, task_id).await? {
        let visible = match &own {
            Some(own) => store::activity_people(db, a.id).await?.iter().any(|x| own.contains(x)),
            None => p.scope.contains(&a.unit_path),
        };
        if visible {
            out.push(LinkedSession {
                id: a.id,
                held_on: a.held_on,
                form: cat.form_name(&a.form),
                href: format!("/pho-bien/hoat-dong/{}", a.id),
                unit_name: a.unit_name,
                topic: a.topic,
                attendees: a.attendees,
            });
        }
    }
    Ok(out)
}

/// The kernel port [`kernel::registry::LinkedSessions`].
pub fn linked_sessions_port<'a>(db: &'a Db, task_id: i64, p: Principal<'a>) -> BoxFuture<'a, DbResult<Vec<LinkedSession>>> {
    Box::pin(linked_sessions(db, task_id, p))
}

// ---------------------------------------------------------------- report prefill

/// The facts of a unit's subtree counted for a period: every registry entry, and the sessions
/// held in the period with their groups and people.
pub async fn facts(db: &Db, like: &str, from: NaiveDate, to: NaiveDate) -> DbResult<(Vec<PersonFact>, Vec<SessionFact>)> {
    let mut people = Vec::new();
    for r in store::people_in(db, like).await? {
        if let Some(kind) = Kind::parse(&r.kind) {
            people.push(PersonFact { id: r.id, kind, recognised_on: r.decision_on, dismissed_on: r.dismissed_on });
        }
    }
    let mut sessions: BTreeMap<i64, SessionFact> = store::activities(db, like, from, to)
        .await?
        .into_iter()
        .map(|a| (a.id, SessionFact { held_on: a.held_on, attendees: a.attendees, materials: a.materials, ..SessionFact::default() }))
        .collect();
    for (id, g, n) in store::group_facts(db, like, from, to).await? {
        if let Some(s) = sessions.get_mut(&id) {
            s.groups.push((g, n));
        }
    }
    for (id, person) in store::people_facts(db, like, from, to).await? {
        if let Some(s) = sessions.get_mut(&id) {
            s.people.push(person);
        }
    }
    Ok((people, sessions.into_values().collect()))
}

/// The figures of a unit's subtree for a period, with their Vietnamese source and a link to
/// the list they were counted from. An agency's report gets none (sessions belong to units).
pub async fn report_figures(db: &Db, unit_id: i64, agency_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<ReportFigure>> {
    if agency_id.is_some() {
        return Ok(Vec::new());
    }
    let unit = kernel::db::units::get(db, unit_id).await?;
    let like = format!("{}%", unit.path);
    let (people, sessions) = facts(db, &like, from, to).await?;
    let cat = catalogue::shipped().map_err(DbError::Invalid)?;
    let groups: Vec<&str> = cat.groups.groups.iter().map(|g| g.code.as_str()).collect();
    let counted = figures::count(&people, &sessions, from, to, &groups);
    let (f, t) = (text_vi::format_date(from), text_vi::format_date(to));
    let period_q = format!("tu={f}&den={t}&don-vi={unit_id}");
    Ok(counted
        .into_iter()
        .map(|(key, value)| {
            let base = key.split(':').next().unwrap_or_default();
            let (source, href) = match base {
                figures::REPORTERS => (
                    format!("Danh sách báo cáo viên pháp luật đang làm nhiệm vụ ngày {t} của {}", unit.name),
                    format!("/pho-bien/bao-cao-vien?ngay={t}&don-vi={unit_id}"),
                ),
                figures::PROPAGANDISTS => (
                    format!("Danh sách tuyên truyền viên pháp luật đang làm nhiệm vụ ngày {t} của {} và các đơn vị trực thuộc", unit.name),
                    format!("/pho-bien/tuyen-truyen-vien?ngay={t}&don-vi={unit_id}"),
                ),
                _ => (format!("Sổ theo dõi buổi phổ biến pháp luật từ {f} đến {t} của {} và các đơn vị trực thuộc", unit.name), format!("/pho-bien/hoat-dong?{period_q}")),
            };
            ReportFigure { key, value, source, href: Some(href) }
        })
        .collect())
}

/// The kernel port [`kernel::registry::ReportFigures`].
pub fn report_figures_port<'a>(db: &'a Db, unit_id: i64, agency_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> BoxFuture<'a, DbResult<Vec<ReportFigure>>> {
    Box::pin(report_figures(db, unit_id, agency_id, from, to))
}

// ---------------------------------------------------------------- legal-access prefill

/// Key of the figure offered to the legal-access self-assessment: propagandists trained in the
/// year of those serving.
pub const KNOWN_TRAINED: &str = "disseminators.trained";

/// The commune's propagandists serving at the end of `year` (or on `today`, while the year
/// runs) and, of them, those with a training course in the year: (trained, serving). `None`
/// when the commune has no propagandist serving then.
pub async fn propagandists_trained(db: &Db, commune: &Unit, year: i32, today: NaiveDate) -> DbResult<Option<(i64, i64)>> {
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else { return Ok(None) };
    let people: Vec<(PersonFact, bool)> = store::propagandist_training(db, &format!("{}%", commune.path), from, to)
        .await?
        .into_iter()
        .map(|(id, recognised_on, dismissed_on, trained)| (PersonFact { id, kind: Kind::Propagandist, recognised_on, dismissed_on }, trained))
        .collect();
    let (trained, serving) = figures::trained_of_serving(&people, to.min(today));
    Ok((serving > 0).then_some((trained, serving)))
}

/// The kernel's `KnownFigures` port for `legal_access`: [`KNOWN_TRAINED`], linked to the
/// commune's list of propagandists.
pub fn known_figures_port<'a>(db: &'a Db, unit_id: i64, year: i32, key: &'a str) -> BoxFuture<'a, DbResult<Option<kernel::registry::KnownFigure>>> {
    Box::pin(async move {
        if key != KNOWN_TRAINED {
            return Ok(None);
        }
        let commune = kernel::db::units::get(db, unit_id).await?;
        let Some((trained, serving)) = propagandists_trained(db, &commune, year, kernel::page::today()).await? else { return Ok(None) };
        Ok(Some(kernel::registry::KnownFigure {
            numerator: trained,
            denominator: Some(serving),
            source: msg::known_trained(&commune.name, year),
            href: Some(format!("/pho-bien/tuyen-truyen-vien?don-vi={unit_id}")),
        }))
    })
}
