//! Use cases of grassroots mediation, shared by pages, the API and the demo. Each takes a
//! `Principal` and checks role and scope. Who sees what:
//! - a mediator (role `mediator`) sees and records the cases of the teams they serve in;
//! - the commune's officers manage its teams and rosters and see its cases;
//! - units above see teams, rosters and counts, never a party's name or a case's contents
//!   (a case page answers 404 for them).
//!
//! Every read of a case's parties by someone outside the team is audited.

use chrono::{Datelike, NaiveDate};
use kernel::account::{Action, Role};
use kernel::auth::Principal;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};
use kernel::{Db, DbError};
use serde_json::json;

use crate::msg;
use crate::rules::case::{self, Origin, Status, Step};
use crate::rules::catalogue::{Catalogue, Version};
use crate::rules::roster::MediatorInput;
use crate::rules::stats;
use crate::rules::team::{self, Member, Warning};
use crate::store::{self, CaseRow, Election, TeamRow};

pub fn not_found(e: DbError) -> AppError {
    match e {
        DbError::NotFound => AppError::NotFound,
        other => other.into(),
    }
}

/// The shipped catalogue (fields, exclusions, team conditions, rates).
pub fn catalogue() -> AppResult<&'static Catalogue> {
    static CAT: std::sync::OnceLock<Result<Catalogue, String>> = std::sync::OnceLock::new();
    CAT.get_or_init(Catalogue::builtin).as_ref().map_err(|e| AppError::Internal(format!("mediation catalogue: {e}")))
}

/// The catalogue version in force on `day`.
pub fn version_on(day: NaiveDate) -> AppResult<&'static Version> {
    catalogue()?.on(day).ok_or_else(|| AppError::Internal("mediation catalogue has no version".into()))
}

// ---------------------------------------------------------------- access

/// What an account may do with a team it can see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TeamAccess {
    /// Parties' names and case contents (the team's mediators, the commune's officers).
    pub personal: bool,
    /// Teams, rosters, training, payments (the commune's officers).
    pub manage: bool,
    /// Record and move cases.
    pub record: bool,
    /// A serving mediator of the team.
    pub member: bool,
}

/// The commune's own officers: a justice officer or unit administrator whose unit is the
/// team's commune (or its village).
fn commune_officer(p: &Principal<'_>, t: &TeamRow) -> bool {
    matches!(p.role, Role::JusticeOfficer | Role::UnitAdmin) && (p.account.unit_id == t.commune_id || p.account.unit_id == t.village_id)
}

/// A team the account may see, with what it may do there; 404 outside the scope (and for a
/// mediator, outside their own teams).
pub async fn visible_team(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<(TeamRow, TeamAccess)> {
    p.require(Action::ViewMediation)?;
    let t = store::team(db, id).await.map_err(not_found)?;
    if p.role == Role::Mediator {
        if !store::is_member(db, id, p.account.id).await? {
            return Err(AppError::NotFound);
        }
        return Ok((t, TeamAccess { personal: true, manage: false, record: true, member: true }));
    }
    if !p.scope.contains(&t.village_path) {
        return Err(AppError::NotFound);
    }
    let own = commune_officer(p, &t);
    Ok((t, TeamAccess {
        personal: own,
        manage: own && p.role.allows(Action::ManageMediation),
        record: own && p.role.allows(Action::RecordMediationCases),
        member: false,
    }))
}

/// Teams the account sees on its overview.
pub async fn teams_for(db: &Db, p: &Principal<'_>) -> AppResult<Vec<TeamRow>> {
    p.require(Action::ViewMediation)?;
    if p.role == Role::Mediator {
        return Ok(store::teams_of_account(db, p.account.id).await?);
    }
    Ok(store::teams_in(db, &p.scope.like_pattern()).await?)
}

/// A case whose personal data the account may read, or 404. A read by someone outside the
/// team is written to the audit log.
pub async fn visible_case(db: &Db, actor: &Actor, p: &Principal<'_>, id: i64) -> AppResult<(CaseRow, TeamRow, TeamAccess)> {
    p.require(Action::ViewMediation)?;
    let k = store::case(db, id).await.map_err(not_found)?;
    let (t, access) = visible_team(db, p, k.team_id).await?;
    if !access.personal {
        return Err(AppError::NotFound);
    }
    if !access.member {
        let mut tx = db.begin().await?;
        audit::record(&mut tx, actor, Entry {
            action: "read", entity: "mediation_case", entity_id: Some(id.to_string()), unit_id: Some(t.village_id),
            summary: msg::audit_read_case(id), before: None, after: None,
        }).await?;
        tx.commit().await?;
    }
    Ok((k, t, access))
}

/// The warnings about a team's serving mediators.
pub fn team_warnings(t: &TeamRow, mediators: &[store::MediatorRow], day: NaiveDate) -> AppResult<Vec<String>> {
    if t.ended_on.is_some() {
        return Ok(Vec::new());
    }
    let members: Vec<Member> = mediators
        .iter()
        .filter(|m| m.ended_on.is_none())
        .map(|m| Member { female: m.gender == "female", ethnic_minority: m.ethnic_minority })
        .collect();
    let w: Vec<Warning> = team::warnings(&version_on(day)?.team, &members, t.ethnic_minority_area);
    Ok(w.iter().map(msg::warning).collect())
}

// ---------------------------------------------------------------- teams

/// A team to create: in an existing village of the commune, or a new village by name.
pub struct TeamInput<'a> {
    pub village_id: Option<i64>,
    pub new_village: &'a str,
    pub name: &'a str,
    pub decision_no: &'a str,
    pub decision_on: Option<NaiveDate>,
    pub decision_signer: &'a str,
    pub established_on: NaiveDate,
    pub ethnic_minority_area: bool,
}

fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// Creates a team in a village of the account's commune. Errors by field id.
pub async fn create_team(db: &Db, actor: &Actor, p: &Principal<'_>, i: &TeamInput<'_>) -> AppResult<Result<i64, Vec<(&'static str, String)>>> {
    p.require(Action::ManageMediation)?;
    let commune = kernel::db::units::get(db, p.account.unit_id).await?;
    if commune.level() != Some(kernel::unit::UnitLevel::Commune) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    let name = text_vi::nfc(i.name.trim());
    if name.is_empty() {
        errors.push(("name", msg::TEAM_NAME_REQUIRED.to_string()));
    }
    let village = match (i.village_id, opt(i.new_village)) {
        (Some(id), _) => match kernel::db::units::get(db, id).await {
            Ok(v) if v.parent_id == Some(commune.id) && v.level() == Some(kernel::unit::UnitLevel::Village) => Some(v),
            _ => {
                errors.push(("village", msg::VILLAGE_NOT_FOUND.to_string()));
                None
            }
        },
        (None, Some(_)) => None,
        (None, None) => {
            errors.push(("village", msg::VILLAGE_REQUIRED.to_string()));
            None
        }
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut tx = db.begin().await?;
    let village = match village {
        Some(v) => v,
        None => kernel::db::units::create_village(&mut tx, &commune, i.new_village, "thon").await?,
    };
    let id = store::insert_team(&mut tx, &store::NewTeam {
        village_id: village.id,
        commune_id: commune.id,
        name: &name,
        decision_no: opt(i.decision_no),
        decision_on: i.decision_on,
        decision_signer: opt(i.decision_signer),
        established_on: i.established_on,
        ethnic_minority_area: i.ethnic_minority_area,
        created_by: Some(p.account.id),
    })
    .await?;
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "mediation_team", entity_id: Some(id.to_string()), unit_id: Some(village.id),
        summary: format!("Thành lập {name} ({})", village.name), before: None,
        after: Some(json!({"name": name, "village": village.name, "decision_no": i.decision_no, "established_on": i.established_on})),
    }).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Adds mediators to a team (one typed, or a whole roster), each recognised from `served_from`;
/// a roster's leader mark makes that mediator the leader.
pub async fn add_mediators(db: &Db, actor: &Actor, p: &Principal<'_>, team_id: i64, list: &[(MediatorInput, Election)], served_from: NaiveDate, source: &str) -> AppResult<Vec<i64>> {
    let (t, access) = visible_team(db, p, team_id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    if t.ended_on.is_some() {
        return Err(AppError::BadRequest(msg::TEAM_ENDED.into()));
    }
    let mut tx = db.begin().await?;
    let mut ids = Vec::new();
    for (m, e) in list {
        let id = store::insert_mediator(&mut tx, team_id, m, e, m.recognition_on.unwrap_or(served_from)).await?;
        if m.leader {
            store::set_leader(&mut tx, team_id, id, None, None).await?;
        }
        ids.push(id);
    }
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "mediator", entity_id: ids.first().map(|i| i.to_string()), unit_id: Some(t.village_id),
        summary: format!("Thêm {} hòa giải viên vào {} ({source})", list.len(), t.name), before: None,
        after: Some(json!({"team": team_id, "names": list.iter().map(|(m, _)| m.full_name.clone()).collect::<Vec<_>>()})),
    }).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Stores the scanned establishment decision of a team (a checked upload: file name, content
/// type, bytes), replacing an earlier one.
pub async fn attach_decision(db: &Db, actor: &Actor, p: &Principal<'_>, team_id: i64, file: (&str, &'static str, &[u8])) -> AppResult<i64> {
    let (t, access) = visible_team(db, p, team_id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let fid = kernel::db::files::store(&mut tx, file.0, file.1, file.2, t.village_id, Some(p.account.id)).await?;
    store::set_decision_file(&mut tx, team_id, fid).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "mediation_team", entity_id: Some(team_id.to_string()), unit_id: Some(t.village_id),
        summary: msg::audit_decision_file(&t.name, file.0),
        before: Some(json!({"decision_file_id": t.decision_file_id})), after: Some(json!({"decision_file_id": fid, "name": file.0})),
    }).await?;
    tx.commit().await?;
    Ok(fid)
}

/// A team the account manages (404 or 403 otherwise) and one of its serving mediators; a
/// mediator of another team or no longer serving is an error to show beside the form.
async fn serving_mediator_to_manage(db: &Db, p: &Principal<'_>, team_id: i64, mediator_id: i64) -> AppResult<Result<(TeamRow, store::MediatorRow), String>> {
    let (t, access) = visible_team(db, p, team_id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let m = store::mediator(db, mediator_id).await.map_err(not_found)?;
    if m.team_id != team_id {
        return Ok(Err(msg::MEDIATOR_NOT_IN_TEAM.into()));
    }
    if m.ended_on.is_some() {
        return Ok(Err(msg::MEDIATOR_ENDED.into()));
    }
    Ok(Ok((t, m)))
}

/// Makes a serving mediator of the team its leader, with the chair's recognition decision.
pub async fn set_leader(db: &Db, actor: &Actor, p: &Principal<'_>, team_id: i64, mediator_id: i64, no: &str, on: Option<NaiveDate>) -> AppResult<Result<(), String>> {
    let (t, m) = match serving_mediator_to_manage(db, p, team_id, mediator_id).await? {
        Ok(found) => found,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = db.begin().await?;
    store::set_leader(&mut tx, team_id, mediator_id, opt(no), on).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "mediation_team", entity_id: Some(team_id.to_string()), unit_id: Some(t.village_id),
        summary: format!("Công nhận tổ trưởng {}: {}", t.name, m.full_name),
        before: Some(json!({"leader": t.leader_name})), after: Some(json!({"leader": m.full_name, "decision_no": no, "decision_on": on})),
    }).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Gives a serving mediator their own account (role `mediator`, of the team's commune), with
/// which they see and record the team's cases. An account serves one mediator at a time.
pub async fn link_account(db: &Db, actor: &Actor, p: &Principal<'_>, team_id: i64, mediator_id: i64, username: &str) -> AppResult<Result<(), String>> {
    let (t, m) = match serving_mediator_to_manage(db, p, team_id, mediator_id).await? {
        Ok(found) => found,
        Err(e) => return Ok(Err(e)),
    };
    let account = match kernel::db::accounts::by_username(db, username.trim()).await {
        Ok(a) => a,
        Err(DbError::NotFound) => return Ok(Err(msg::ACCOUNT_NOT_FOUND.into())),
        Err(e) => return Err(e.into()),
    };
    if account.role != Role::Mediator.as_str() {
        return Ok(Err(msg::ACCOUNT_NOT_MEDIATOR.into()));
    }
    let commune = kernel::db::units::get(db, t.commune_id).await?;
    if !account.unit_path.starts_with(&commune.path) {
        return Ok(Err(msg::ACCOUNT_OUTSIDE.into()));
    }
    if store::serving_mediator_of_account(db, account.id).await?.is_some_and(|other| other != mediator_id) {
        return Ok(Err(msg::ACCOUNT_TAKEN.into()));
    }
    let mut tx = db.begin().await?;
    store::link_account(&mut tx, mediator_id, account.id).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "mediator", entity_id: Some(mediator_id.to_string()), unit_id: Some(t.village_id),
        summary: format!("Gắn tài khoản {} cho hòa giải viên {} ({})", account.username, m.full_name, t.name),
        before: Some(json!({"account_id": m.account_id})), after: Some(json!({"account_id": account.id})),
    }).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Ends a mediator's service (thôi làm hòa giải viên) with its reason.
pub async fn end_mediator(db: &Db, actor: &Actor, p: &Principal<'_>, mediator_id: i64, on: NaiveDate, reason: &str) -> AppResult<Result<i64, String>> {
    let m = store::mediator(db, mediator_id).await.map_err(not_found)?;
    let (t, access) = visible_team(db, p, m.team_id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let reason = text_vi::nfc(reason.trim());
    if reason.is_empty() {
        return Ok(Err(msg::END_REASON_REQUIRED.into()));
    }
    if m.ended_on.is_some() {
        return Ok(Err(msg::MEDIATOR_ENDED.into()));
    }
    let mut tx = db.begin().await?;
    store::end_mediator(&mut tx, mediator_id, on, &reason).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "mediator", entity_id: Some(mediator_id.to_string()), unit_id: Some(t.village_id),
        summary: format!("Thôi làm hòa giải viên: {} ({})", m.full_name, t.name), before: None,
        after: Some(json!({"ended_on": on, "reason": reason})),
    }).await?;
    tx.commit().await?;
    Ok(Ok(m.team_id))
}

/// Ends a team that merged into, or split into, other teams of the commune. Its cases stay
/// with it; its history names what it became.
/// A team's end by merging (`merge`) into, or splitting (`split`) into, other teams.
pub struct Succession<'a> {
    pub successors: &'a [i64],
    pub kind: &'a str,
    pub on: NaiveDate,
    pub note: &'a str,
}

pub async fn succeed_team(db: &Db, actor: &Actor, p: &Principal<'_>, team_id: i64, s: &Succession<'_>) -> AppResult<Result<(), String>> {
    let Succession { successors, kind, on, note } = *s;
    let (t, access) = visible_team(db, p, team_id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    if t.ended_on.is_some() {
        return Ok(Err(msg::TEAM_ENDED.into()));
    }
    if successors.is_empty() || successors.contains(&team_id) || !matches!(kind, "merge" | "split") {
        return Ok(Err(msg::SUCCESSOR_REQUIRED.into()));
    }
    for s in successors {
        let (st, _) = visible_team(db, p, *s).await.map_err(|_| AppError::BadRequest(msg::SUCCESSOR_REQUIRED.into()))?;
        if st.commune_id != t.commune_id || st.ended_on.is_some() {
            return Ok(Err(msg::SUCCESSOR_REQUIRED.into()));
        }
    }
    let note = text_vi::nfc(note.trim());
    let mut tx = db.begin().await?;
    store::end_team(&mut tx, team_id, on, &note).await?;
    for s in successors {
        store::insert_link(&mut tx, team_id, *s, kind, on, &note).await?;
    }
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "mediation_team", entity_id: Some(team_id.to_string()), unit_id: Some(t.village_id),
        summary: format!("{} {}", if kind == "merge" { "Hợp nhất" } else { "Chia tách" }, t.name), before: None,
        after: Some(json!({"successors": successors, "on": on, "note": note})),
    }).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Records a course a mediator of the team attended.
pub async fn add_training(db: &Db, actor: &Actor, p: &Principal<'_>, team_id: i64, t: &store::NewTraining<'_>) -> AppResult<()> {
    let (team, access) = visible_team(db, p, team_id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let m = store::mediator(db, t.mediator_id).await.map_err(not_found)?;
    if m.team_id != team_id {
        return Err(AppError::BadRequest(msg::MEDIATOR_NOT_IN_TEAM.into()));
    }
    let mut tx = db.begin().await?;
    let id = store::insert_training(&mut tx, t).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "mediator_training", entity_id: Some(id.to_string()), unit_id: Some(team.village_id),
        summary: format!("Ghi khóa tập huấn «{}» của {}", t.title, m.full_name), before: None,
        after: Some(json!({"title": t.title, "organiser": t.organiser, "hours": t.hours, "certificate": t.certificate})),
    }).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- cases

/// A party as typed.
#[derive(Clone, Debug, Default)]
pub struct PartyInput {
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub address: String,
}

/// A case (or an excluded matter) as typed at intake.
#[derive(Clone, Debug)]
pub struct CaseInput {
    pub received_on: NaiveDate,
    pub origin: Origin,
    pub field: String,
    pub summary: String,
    pub parties: Vec<PartyInput>,
    /// An excluded matter: its exclusion code and whether it is referred (else refused).
    pub exclusion: Option<(String, bool)>,
    pub referred_to: String,
}

/// Opens a case, or records an excluded matter as refused or referred; nothing else is
/// possible for an excluded matter.
pub async fn create_case(db: &Db, actor: &Actor, p: &Principal<'_>, team_id: i64, c: &CaseInput) -> AppResult<i64> {
    p.require(Action::RecordMediationCases)?;
    let (t, access) = visible_team(db, p, team_id).await?;
    if !access.record {
        return Err(AppError::Forbidden);
    }
    if t.ended_on.is_some() {
        return Err(AppError::BadRequest(msg::TEAM_ENDED.into()));
    }
    let v = version_on(c.received_on)?;
    if v.field(&c.field).is_none() {
        return Err(AppError::BadRequest(msg::BAD_FIELD.into()));
    }
    let (status, exclusion) = match &c.exclusion {
        Some((code, referred)) => {
            if v.exclusion(code).is_none() {
                return Err(AppError::BadRequest(msg::BAD_EXCLUSION.into()));
            }
            (if *referred { Status::Referred } else { Status::Refused }, Some(code.as_str()))
        }
        None => (Status::Received, None),
    };
    let mut tx = db.begin().await?;
    let id = store::insert_case(&mut tx, &store::NewCase {
        team_id,
        commune_id: t.commune_id,
        received_on: c.received_on,
        origin: c.origin.as_str(),
        field: &c.field,
        summary: &c.summary,
        status: status.as_str(),
        exclusion,
        referred_to: opt(&c.referred_to),
        created_by: Some(p.account.id),
    })
    .await?;
    for (i, party) in c.parties.iter().enumerate() {
        store::insert_party(&mut tx, id, &party.full_name, party.birth_year, &party.address, i as i64 + 1).await?;
    }
    store::add_event(&mut tx, id, if exclusion.is_some() { status.as_str() } else { "received" }, exclusion, Some(p.account.id)).await?;
    // The audit log holds no party's name: it is read by the unit's administrators above.
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "mediation_case", entity_id: Some(id.to_string()), unit_id: Some(t.village_id),
        summary: format!("Tiếp nhận vụ, việc hòa giải số {id} ({})", t.name), before: None,
        after: Some(json!({"status": status.as_str(), "field": c.field, "origin": c.origin.as_str(), "exclusion": exclusion, "parties": c.parties.len()})),
    }).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a workflow step carries.
#[derive(Clone, Debug, Default)]
pub struct StepInput {
    pub on: Option<NaiveDate>,
    pub mediators: Vec<i64>,
    pub conflicts: Vec<i64>,
    pub late_reason: String,
    pub agreement: String,
    pub positions: String,
    pub referred_to: String,
    pub escalation: String,
    pub follow_up: String,
    pub note: String,
}

/// Moves a case one step. Refusals come back as a field id and a message; nothing changes then.
pub async fn step(db: &Db, actor: &Actor, p: &Principal<'_>, (k, t): (&CaseRow, &TeamRow), s: Step, i: &StepInput, today: NaiveDate) -> AppResult<Result<(), (&'static str, String)>> {
    p.require(Action::RecordMediationCases)?;
    let from = Status::parse(&k.status).unwrap_or(Status::Received);
    let Some(to) = case::next(from, s) else { return Ok(Err(("step", msg::step_not_allowed(from.label())))) };
    let on = i.on.unwrap_or(today);
    if on > today {
        return Ok(Err(("on", msg::future_date())));
    }
    if on < k.received_on || k.assigned_on.is_some_and(|a| on < a && s != Step::Assign) {
        return Ok(Err(("on", msg::before_received())));
    }
    let mut u = store::CaseUpdate {
        status: to.as_str().into(),
        assigned_on: k.assigned_on,
        started_on: k.started_on,
        late_reason: k.late_reason.clone(),
        ended_on: k.ended_on,
        agreement: k.agreement.clone(),
        positions: k.positions.clone(),
        referred_to: k.referred_to.clone(),
        escalation: k.escalation.clone(),
        follow_up: k.follow_up.clone(),
        follow_up_note: k.follow_up_note.clone(),
        payable: k.payable,
    };
    let text = |s: &str| -> Option<String> { opt(s).map(text_vi::nfc) };
    let mut note = opt(&i.note).map(text_vi::nfc);
    let team_mediators = store::mediators_of(db, t.id).await?;
    let existing = store::case_mediators(db, k.id).await?;
    match s {
        Step::Assign => {
            if i.mediators.is_empty() {
                return Ok(Err(("mediators", msg::NO_MEDIATOR_CHOSEN.into())));
            }
            for m in &i.mediators {
                let Some(row) = team_mediators.iter().find(|x| x.id == *m && x.ended_on.is_none()) else {
                    return Ok(Err(("mediators", msg::MEDIATOR_NOT_IN_TEAM.into())));
                };
                let declared = i.conflicts.contains(m) || existing.iter().any(|e| e.mediator_id == *m && e.conflict);
                if declared {
                    return Ok(Err(("mediators", msg::conflict_assigned(&row.full_name))));
                }
            }
            u.assigned_on = Some(on);
            note = Some(team_mediators.iter().filter(|m| i.mediators.contains(&m.id)).map(|m| m.full_name.clone()).collect::<Vec<_>>().join(", "));
        }
        Step::Start => {
            let within = version_on(k.received_on)?.timing.start_within_days;
            let late = k.assigned_on.is_some_and(|a| case::start_is_late(a, on, within));
            if late && opt(&i.late_reason).is_none() {
                return Ok(Err(("late_reason", msg::LATE_REASON_REQUIRED.into())));
            }
            u.started_on = Some(on);
            u.late_reason = if late { text(&i.late_reason) } else { None };
        }
        Step::Succeed => {
            let Some(a) = text(&i.agreement) else { return Ok(Err(("agreement", msg::AGREEMENT_REQUIRED.into()))) };
            u.agreement = Some(a);
            u.ended_on = Some(on);
            u.follow_up = Some(case::FollowUp::Monitoring.as_str().into());
        }
        Step::Fail => {
            let Some(a) = text(&i.positions) else { return Ok(Err(("positions", msg::POSITIONS_REQUIRED.into()))) };
            u.positions = Some(a);
            u.ended_on = Some(on);
        }
        Step::Stop => {
            u.ended_on = Some(on);
        }
        Step::Refer => {
            let Some(a) = text(&i.referred_to) else { return Ok(Err(("referred_to", msg::REFERRED_TO_REQUIRED.into()))) };
            u.referred_to = Some(a);
            u.escalation = text(&i.escalation);
            u.ended_on = Some(on);
        }
        Step::FollowUp => {
            let Some(f) = case::FollowUp::parse(&i.follow_up) else { return Ok(Err(("follow_up", msg::BAD_FOLLOW_UP.into()))) };
            u.follow_up = Some(f.as_str().into());
            u.follow_up_note = text(&i.note);
            note = Some(f.label().to_string());
        }
    }
    if let Some(outcome) = case::payable_outcome(to).filter(|_| k.payable.is_none()) {
        let province = kernel::db::units::ancestors(db, t.commune_id).await?.into_iter().find(|u| u.level() == Some(kernel::unit::UnitLevel::Province));
        let code = province.map(|u| u.code).unwrap_or_default();
        u.payable = version_on(k.received_on)?.rate(&code, outcome, on).map(|r| r.amount);
    }
    let mut tx = db.begin().await?;
    if !store::update_case(&mut tx, k.id, k.version, &u).await? {
        return Err(AppError::BadRequest(msg::STALE.into()));
    }
    if s == Step::Assign {
        store::clear_assignments(&mut tx, k.id).await?;
        for m in &i.mediators {
            store::put_case_mediator(&mut tx, k.id, *m, false, None).await?;
        }
    }
    for m in &i.conflicts {
        if team_mediators.iter().any(|x| x.id == *m) && !i.mediators.contains(m) {
            store::put_case_mediator(&mut tx, k.id, *m, true, None).await?;
        }
    }
    store::add_event(&mut tx, k.id, s.as_str(), note.as_deref(), Some(p.account.id)).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "mediation_case", entity_id: Some(k.id.to_string()), unit_id: Some(t.village_id),
        summary: format!("Vụ, việc hòa giải số {}: {} → {}", k.id, from.label(), to.label()),
        before: Some(json!({"status": from.as_str(), "version": k.version})),
        after: Some(json!({"status": to.as_str(), "on": on, "payable": u.payable})),
    }).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Marks remuneration as paid for cases of communes the account manages.
pub async fn mark_paid(db: &Db, actor: &Actor, p: &Principal<'_>, ids: &[i64], on: NaiveDate) -> AppResult<u64> {
    p.require(Action::ManageMediation)?;
    let commune = kernel::db::units::get(db, p.account.unit_id).await?;
    let mut mine = Vec::new();
    for id in ids {
        let k = store::case(db, *id).await.map_err(not_found)?;
        if k.commune_id != commune.id {
            return Err(AppError::NotFound);
        }
        mine.push(*id);
    }
    let mut tx = db.begin().await?;
    let n = store::mark_paid(&mut tx, &mine, on).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "mediation_payment", entity_id: None, unit_id: Some(commune.id),
        summary: format!("Ghi đã chi thù lao hòa giải cho {n} vụ, việc"), before: None, after: Some(json!({"cases": mine, "paid_on": on})),
    }).await?;
    tx.commit().await?;
    Ok(n)
}

// ---------------------------------------------------------------- figures

/// The figures of a unit's subtree for a period, summed over its communes.
pub async fn figures(db: &Db, like: &str, start: NaiveDate, end: NaiveDate) -> kernel::DbResult<stats::Figures> {
    let c = store::CommuneCounts::total(&store::commune_counts(db, like, start, end).await?);
    Ok(stats::Figures {
        teams: c.teams,
        mediators: c.mediators,
        mediators_female: c.mediators_female,
        mediators_ethnic_minority: c.mediators_ethnic_minority,
        mediators_trained: c.mediators_trained,
        cases_received: c.cases_received,
        cases_settled: c.cases_settled,
        cases_not_settled: c.cases_not_settled,
        cases_in_progress: c.cases_in_progress,
        by_field: store::cases_by_field(db, like, start, end).await?.into_iter().collect(),
    })
}

/// The kernel's `ReportFigures` port: the mediation figures of a reporting unit (not an
/// agency) for a period, each linked to the mediation overview of that period.
pub fn report_figures_port(db: &Db, unit_id: i64, agency_id: Option<i64>, start: NaiveDate, end: NaiveDate) -> kernel::registry::BoxFuture<'_, kernel::DbResult<Vec<kernel::registry::ReportFigure>>> {
    Box::pin(async move {
        if agency_id.is_some() {
            return Ok(Vec::new());
        }
        let unit = kernel::db::units::get(db, unit_id).await?;
        let f = figures(db, &format!("{}%", unit.path), start, end).await?;
        let href = format!("/hoa-giai?tu={}&den={}", text_vi::format_date(start), text_vi::format_date(end));
        Ok(stats::cells(&f)
            .into_iter()
            .map(|(key, value)| kernel::registry::ReportFigure { key, value, source: msg::prefill_source(&unit.name), href: Some(href.clone()) })
            .collect())
    })
}

/// Key of the figure offered to the legal-access self-assessment: the cases mediated to a
/// settlement (thành) of those mediated to an end (thành or không thành).
pub const KNOWN_SETTLED: &str = "mediation.settled";

/// The commune's settled cases of its cases mediated to an end, among the cases received in
/// `year` (refused matters and cases still open are not mediated yet, so not counted). `None`
/// when the commune keeps no mediation records here: no team in force at the year's end and
/// no case received in the year.
pub async fn settled_of_mediated(db: &Db, commune: &kernel::db::units::Unit, year: i32) -> kernel::DbResult<Option<(i64, i64)>> {
    let (start, end) = year_bounds(year);
    let c = store::CommuneCounts::total(&store::commune_counts(db, &format!("{}%", commune.path), start, end).await?);
    if c.teams == 0 && c.cases_received == 0 {
        return Ok(None);
    }
    Ok(Some((c.cases_settled, c.cases_settled + c.cases_not_settled)))
}

/// The kernel's `KnownFigures` port for `legal_access`: [`KNOWN_SETTLED`], linked to the
/// mediation overview of the year.
pub fn known_figures_port<'a>(db: &'a Db, unit_id: i64, year: i32, key: &'a str) -> kernel::registry::BoxFuture<'a, kernel::DbResult<Option<kernel::registry::KnownFigure>>> {
    Box::pin(async move {
        if key != KNOWN_SETTLED {
            return Ok(None);
        }
        let commune = kernel::db::units::get(db, unit_id).await?;
        let Some((settled, mediated)) = settled_of_mediated(db, &commune, year).await? else { return Ok(None) };
        let (start, end) = year_bounds(year);
        Ok(Some(kernel::registry::KnownFigure {
            numerator: settled,
            denominator: Some(mediated),
            source: msg::known_settled(&commune.name, year),
            href: Some(format!("/hoa-giai?tu={}&den={}", text_vi::format_date(start), text_vi::format_date(end))),
        }))
    })
}

/// The first and last day of a year.
pub fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    let a = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let b = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    (a, b)
}

pub fn this_year(day: NaiveDate) -> i32 {
    day.year()
}
