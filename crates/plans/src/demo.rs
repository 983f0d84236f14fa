//! The plans' part of the demo data: the province's real 2024 plan (the Lạng Sơn seed) carried
//! over to this year ("copy last year's plan"), issued and cascaded to the communes, so that
//! the home page, the progress pages and the reminders have something to show.

use chrono::{Datelike, NaiveDate};
use kernel::db::Db;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};
use serde_json::json;

use crate::store::plans::{self, PlanInput};

/// The plan document the demo imports (one of the five seed plans).
const SEED_NAME: &str = "lang-son-2024-coordination-council-plan.txt";
const SEED: &[u8] = include_bytes!("../../../tests/fixtures/seeds/lang-son-2024-coordination-council-plan.txt");

/// Loads the plans' demo data after the kernel's (the province, its communes, the `tinh` account).
pub async fn load(db: &Db) -> AppResult<()> {
    let today = kernel::page::today();
    let province = kernel::db::units::by_code(db, kernel::demo::PROVINCE_CODE, today).await?;
    let tinh = kernel::db::accounts::by_username(db, "tinh").await?;
    let actor = Actor::cli();
    let heavy = kernel::heavy::Heavy::new(1, std::time::Duration::from_secs(30), std::time::Duration::from_secs(60));
    let seed = crate::service::import_document(db, &actor, Some(tinh.id), &province, None, None, SEED_NAME, SEED.to_vec(), &heavy)
        .await
        .map_err(|e| match e {
            crate::service::ImportFailure::System(e) => e,
            crate::service::ImportFailure::Document(e) => AppError::Internal(format!("demo plan: {e}")),
            crate::service::ImportFailure::Refused(m) => AppError::Internal(format!("demo plan: {m}")),
        })?;
    let source = plans::get(db, seed).await?;
    let year = today.year();
    let copy = crate::service::copy_plan(db, &actor, Some(tinh.id), &source, year).await?;
    // Only this year's plan is kept: the 2024 original is what the browser journey imports.
    let mut tx = db.begin().await?;
    plans::delete_draft(&mut tx, seed).await?;
    audit::record(&mut tx, &actor, Entry {
        action: "delete", entity: "plan", entity_id: Some(seed.to_string()), unit_id: Some(province.id),
        summary: format!("Dữ liệu mẫu: bỏ bản nhập gốc, giữ kế hoạch năm {year}"), before: None, after: None,
    }).await?;
    tx.commit().await?;
    let number = source.number.as_deref().map(|n| n.replace("2024", &year.to_string()));
    let deadline = NaiveDate::from_ymd_opt(year, 12, 20);
    issue(db, &actor, copy, number, NaiveDate::from_ymd_opt(year, 1, 15), deadline).await
}

/// Issues this year's demo plan with its number and date, asking the communes for an
/// implementing plan by `deadline`.
async fn issue(db: &Db, actor: &Actor, id: i64, number: Option<String>, issued_on: Option<NaiveDate>, deadline: Option<NaiveDate>) -> AppResult<()> {
    let plan = plans::get(db, id).await?;
    let mut tx = db.begin().await?;
    {
        let input = PlanInput {
            unit_id: plan.unit_id, agency_id: plan.agency_id, kind: plan.kind.clone(), number, place: plan.place.clone(),
            issued_on, parent_body: plan.parent_body.clone(), issuer: plan.issuer.clone(), signer: plan.signer.clone(),
            signer_authority: plan.signer_authority.clone(), signer_title: plan.signer_title.clone(), title: plan.title.clone(),
            period: plan.period.clone(), year: plan.year, recipients: plan.recipients.clone(),
            implementing_deadline: deadline, cascade_level: "commune".into(),
        };
        plans::update_header(&mut tx, id, plan.version, &input).await?;
    }
    plans::set_status(&mut tx, id, "issued").await?;
    plans::link_references(&mut tx, id).await?;
    audit::record(&mut tx, actor, Entry {
        action: "issue", entity: "plan", entity_id: Some(id.to_string()), unit_id: Some(plan.unit_id),
        summary: format!("Dữ liệu mẫu: ban hành kế hoạch “{}”", plan.title),
        before: Some(json!({"status": plan.status})), after: Some(json!({"status": "issued"})),
    }).await?;
    tx.commit().await?;
    Ok(())
}
