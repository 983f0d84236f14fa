//! The reports' part of the demo data: two report schedules of the province for its two demo
//! communes, with this year's PBGDPL round open.

use kernel::db::Db;
use kernel::db::audit::{self, Actor, Entry};
use kernel::db::units::Unit;
use kernel::error::AppError;

use crate::store;

/// Loads the reports' demo data after the kernel's (which created the province and the `tinh` account).
pub async fn load(db: &Db) -> Result<(), AppError> {
    let today = kernel::page::today();
    let province = kernel::db::units::by_code(db, kernel::demo::PROVINCE_CODE, today).await?;
    let mut communes: Vec<Unit> = Vec::new();
    for code in kernel::demo::COMMUNE_CODES {
        communes.push(kernel::db::units::by_code(db, code, today).await?);
    }
    load_report_schedules(db, &province, &communes).await
}

/// Two schedules of the province for its two demo communes: the grassroots mediation report
/// every six months and the PBGDPL results report every year, with this year's rounds planned
/// (not yet open).
async fn load_report_schedules(db: &Db, province: &Unit, communes: &[Unit]) -> Result<(), AppError> {
    let actor = Actor::cli();
    let tinh = kernel::db::accounts::by_username(db, "tinh").await?;
    let year = chrono::Datelike::year(&kernel::page::today());
    for (name, form, kind) in [
        ("Báo cáo kết quả hòa giải ở cơ sở 6 tháng", "HGCS", "half_year"),
        ("Báo cáo kết quả công tác PBGDPL hằng năm", "PBGDPL", "year"),
    ] {
        let mut tx = db.begin().await?;
        let id = store::create_schedule(&mut tx, &store::NewSchedule {
            unit_id: province.id, form_code: form.into(), period_kind: kind.into(), filler_level: "commune".into(),
            name: name.into(), created_by: Some(tinh.id), members: communes.iter().map(|c| (c.id, None)).collect(),
        }).await?;
        audit::record(&mut tx, &actor, Entry {
            action: "create", entity: "report_schedule", entity_id: Some(id.to_string()), unit_id: Some(province.id),
            summary: format!("Dữ liệu mẫu: lịch báo cáo «{name}»"), before: None, after: None,
        }).await?;
        tx.commit().await?;
        let schedule = store::schedule(db, id).await?;
        crate::service::generate_rounds(db, &actor, &schedule, year).await?;
        // This year's PBGDPL report is open, so that the communes have a report to send (and a
        // notice about it). The mediation rounds stay planned: the browser journey opens one.
        if kind == "year" {
            let today = kernel::page::today();
            let current = store::rounds_of_schedule(db, id).await?.into_iter()
                .find(|r| r.period_start <= today && today <= r.period_end);
            if let Some(round) = current {
                let due = round.due_on.filter(|d| *d >= today).or(Some(round.period_end + chrono::Duration::days(10)));
                crate::service::open_round(db, &actor, &round, due, None).await?;
            }
        }
    }
    Ok(())
}
