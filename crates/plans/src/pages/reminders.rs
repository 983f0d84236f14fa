//! Reminders (nhắc việc, đôn đốc): the list of reminders sent within the caller's scope, the
//! unit's "days before a deadline" setting, running the daily job by hand, one-click reminders
//! for a task or for lower units without an implementing plan, and the in-app notifications.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::db::audit::{self, Entry};
use kernel::account::Action;
use crate::msg as pm;
use crate::rules::tracking::{self, ReminderKind};
use serde::Deserialize;
use serde_json::json;

use super::plans::FlashQuery;
use kernel::page::{FieldErrors, Layout, ReqMeta, render, render_invalid, today};
use kernel::auth::CurrentUser;
use kernel::error::{AppError, AppResult};
use crate::service;
use kernel::state::AppState;

pub struct ReminderRow {
    pub at: String,
    pub kind: &'static str,
    pub sender: String,
    pub recipient: String,
    pub text: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "reminders/index.html")]
struct IndexPage {
    l: Layout,
    rows: Vec<ReminderRow>,
    days: String,
    errors: FieldErrors,
    can_manage: bool,
    can_run: bool,
    runs: Vec<(String, String)>,
}

async fn index_page(state: &AppState, user: &CurrentUser, days: Option<String>, errors: FieldErrors) -> AppResult<IndexPage> {
    let list = kernel::db::reminders::list(&state.db, &user.scope.like_pattern(), None, 300, 0).await?;
    let rows = list.iter().map(|r| ReminderRow {
        at: text_vi::format_datetime(r.at),
        kind: ReminderKind::parse(&r.kind).map(|k| k.label()).unwrap_or(""),
        sender: match &r.sender_name { Some(n) => format!("{n} ({})", r.sender_unit_name), None => format!("Hệ thống, thay mặt {}", r.sender_unit_name) },
        recipient: format!("{} ({})", r.recipient_name, r.recipient_unit_name),
        text: r.text.clone(),
        href: match (r.task_id, r.plan_id) { (Some(t), _) => format!("/nhiem-vu/{t}"), (None, Some(p)) => format!("/ke-hoach/{p}"), _ => String::new() },
    }).collect();
    let current = kernel::db::reminders::days_before(&state.db, user.account.unit_id).await?.map(i64::from).unwrap_or(tracking::DEFAULT_REMINDER_DAYS);
    let runs = if user.role.allows(Action::ManagePlans) {
        kernel::db::reminders::job_runs(&state.db, 7).await?.into_iter().map(|r| (text_vi::format_date(r.run_on), r.summary.unwrap_or_else(|| "đang chạy".into()))).collect()
    } else { Vec::new() };
    Ok(IndexPage {
        l: Layout::for_user(user, "Nhắc việc, đôn đốc", "reminders"),
        rows,
        days: days.unwrap_or_else(|| current.to_string()),
        errors,
        can_manage: user.role.allows(Action::ManagePlans),
        can_run: user.role.allows(Action::ManagePlans) && user.scope.is_province_or_wider(),
        runs,
    })
}

/// `GET /nhac-viec`.
pub async fn index(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    user.require(Action::ViewPlans)?;
    let mut page = index_page(&state, &user, None, FieldErrors::default()).await?;
    page.l = page.l.with_flash_from(q.tb.as_deref(), crate::msg::flash);
    render(&page)
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    days: String,
}

/// `POST /nhac-viec/cai-dat`: days before a deadline at which the unit's reminders start.
pub async fn save_settings(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Form(f): Form<SettingsForm>) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    let days = match f.days.trim().parse::<i32>() {
        Ok(d) if (1..=60).contains(&d) => d,
        _ => {
            let mut errors = FieldErrors::default();
            errors.add("days", pm::DAYS_INVALID);
            return render_invalid(&index_page(&state, &user, Some(f.days), errors).await?);
        }
    };
    let before = kernel::db::reminders::days_before(&state.db, user.account.unit_id).await?;
    let mut tx = state.db.begin().await?;
    kernel::db::reminders::set_days_before(&mut tx, user.account.unit_id, days).await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "update", entity: "reminder_settings", entity_id: Some(user.account.unit_id.to_string()), unit_id: Some(user.account.unit_id),
        summary: format!("Đặt nhắc việc trước hạn {days} ngày"), before: Some(json!({"days_before": before})), after: Some(json!({"days_before": days})),
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/nhac-viec?tb=reminder_settings_saved").into_response())
}

/// `POST /nhac-viec/chay`: runs today's reminders now for the caller's scope (items already sent
/// today are skipped). Provincial officers and system administrators only; only a run over the
/// whole system (a system administrator's) counts as today's daily run.
pub async fn run_now(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    if !user.scope.is_province_or_wider() {
        return Err(AppError::Forbidden);
    }
    let day = today();
    let summary = kernel::notify::run_reminders(&state.db, &state.config.base_url, day, &state.registry.reminder_sources, &user.scope).await?;
    if user.scope.global {
        let _ = kernel::db::reminders::claim_job(&state.db, kernel::notify::REMINDER_JOB, day).await?;
        kernel::db::reminders::finish_job(&state.db, kernel::notify::REMINDER_JOB, day, &summary.text()).await?;
    }
    let mut tx = state.db.begin().await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "run", entity: "reminder_job", entity_id: None, unit_id: Some(user.account.unit_id),
        summary: format!("Chạy nhắc việc: {}", summary.text()), before: None, after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to("/nhac-viec?tb=reminders_sent").into_response())
}

/// `POST /nhiem-vu/{id}/don-doc`: one-click reminder to those responsible for a task.
pub async fn remind_task(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    let (task, plan, _) = service::visible_task(&state.db, user.principal(), id).await?;
    if !user.scope.contains(&plan.unit_path) {
        return Err(AppError::NotFound);
    }
    if plan.status != "issued" {
        return Err(AppError::BadRequest(pm::NOT_ISSUED.into()));
    }
    let n = crate::jobs::remind_task(&state.db, &state.config.base_url, &user.account, &task, today()).await?;
    let mut tx = state.db.begin().await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "remind", entity: "task", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Đôn đốc nhiệm vụ “{}” ({n} người nhận)", task.title), before: None, after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/nhiem-vu/{id}?tb=reminders_sent")).into_response())
}

/// `POST /ke-hoach/{id}/don-doc`: one-click reminder to the lower units that have not issued
/// their implementing plan.
pub async fn remind_plan(State(state): State<AppState>, user: CurrentUser, meta: ReqMeta, Path(id): Path<i64>) -> AppResult<Response> {
    user.require(Action::ManagePlans)?;
    let plan = service::visible_plan(&state.db, user.principal(), id).await?;
    if !user.scope.contains(&plan.unit_path) {
        return Err(AppError::NotFound);
    }
    if plan.status != "issued" {
        return Err(AppError::BadRequest(pm::NOT_ISSUED.into()));
    }
    let children = crate::store::plans::implementing(&state.db, id).await?;
    let communes = kernel::db::units::list(&state.db, &kernel::db::units::UnitFilter {
        level: Some(kernel::unit::UnitLevel::Commune), valid_on: Some(today()), parent_id: Some(plan.unit_id), query: None, limit: 5000, offset: 0,
    }).await?;
    let missing: Vec<i64> = communes.iter()
        .filter(|u| !children.iter().any(|c| c.unit_id == u.id && c.agency_id.is_none() && c.status != "draft"))
        .map(|u| u.id).collect();
    let n = crate::jobs::remind_missing_plans(&state.db, &state.config.base_url, &user.account, &plan, &missing, today()).await?;
    let mut tx = state.db.begin().await?;
    audit::record(&mut tx, &meta.actor(&user), Entry {
        action: "remind", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Đôn đốc xây dựng kế hoạch thực hiện “{}” ({n} người nhận)", plan.title), before: None, after: None,
    }).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/ke-hoach/{id}?tb=reminders_sent")).into_response())
}
