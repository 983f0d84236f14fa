//! Demo data of the legal-access standard: the shipped rule sets, and the 2024 round of the
//! old district that held the demo commune before the 2025 reform (scored under QĐ 25/2021,
//! reviewed and decided by the district, as it was), so the history and the succession links
//! show. The current year's round is left for the province to open.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};
use kernel::unit::UnitLevel;
use kernel::Db;

use crate::rules::ruleset::Measure;
use crate::rules::state::Status;
use crate::service;
use crate::store::{self, ValueRow};

pub async fn load(db: &Db) -> AppResult<()> {
    service::seed_rulesets(db).await?;
    let today = kernel::page::today();
    let commune = kernel::db::units::by_code(db, kernel::demo::COMMUNE_CODES[0], today).await?;
    // The old commune(s) it came from, and their district.
    let origins = kernel::db::units::predecessors(db, commune.id).await?;
    let Some(old) = origins.iter().find(|l| l.unit.level() == Some(UnitLevel::Commune)) else { return Ok(()) };
    let Some(district_id) = old.unit.parent_id else { return Ok(()) };
    let district = kernel::db::units::get(db, district_id).await?;
    if district.level() != Some(UnitLevel::District) {
        return Ok(());
    }
    let Some((row, rs)) = service::governing(db, 2024).await? else { return Ok(()) };
    let end = NaiveDate::from_ymd_opt(2024, 12, 31).ok_or_else(|| AppError::Internal("date".into()))?;
    let communes: Vec<_> = kernel::db::units::children(db, Some(district.id), Some(end))
        .await?
        .into_iter()
        .filter(|u| u.level() == Some(UnitLevel::Commune))
        .collect();
    let opened = NaiveDate::from_ymd_opt(2025, 1, 2).ok_or_else(|| AppError::Internal("date".into()))?;
    let deadline = NaiveDate::from_ymd_opt(2025, 1, 20).ok_or_else(|| AppError::Internal("date".into()))?;
    let decided = NaiveDate::from_ymd_opt(2025, 2, 6).ok_or_else(|| AppError::Internal("date".into()))?;
    let mut tx = db.begin().await?;
    if store::round_exists(&mut tx, district.id, 2024).await? {
        return Ok(());
    }
    let admin = kernel::db::accounts::by_username(db, "admin").await?.id;
    let round_id = store::create_round(&mut tx, district.id, 2024, row.id, opened, deadline, admin).await?;
    for (n, c) in communes.iter().enumerate() {
        let aid = store::create_assessment(&mut tx, round_id, c.id).await?;
        // Every third commune misses the mediation indicators, the rest do well.
        let weak = n % 3 == 2;
        for ind in rs.indicators() {
            let mut v = ValueRow { assessment_id: aid, indicator: ind.code.clone(), note: String::new(), ..ValueRow::default() };
            match ind.measure {
                Measure::Ratio => {
                    let den = 20 + (n as i64 % 7) * 5;
                    let num = if weak && ind.code.starts_with('3') { den / 3 } else { den - (n as i64 % 2) };
                    (v.numerator, v.denominator) = (Some(num), Some(den));
                }
                Measure::Count => v.numerator = Some(5),
                Measure::YesNo => v.yes = Some(!(weak && ind.code == "2.9")),
            }
            store::upsert_value(&mut tx, &v).await?;
        }
        let rows = store::values_tx(&mut tx, aid).await?;
        let (own, fin) = service::outcomes(&rs, &rows, &[]);
        store::set_results(&mut tx, aid, own.total.0.into(), own.recognisable, fin.total.0.into(), fin.recognisable).await?;
        let from = NaiveDate::from_ymd_opt(2025, 1, 3).unwrap_or(opened);
        store::set_posted(&mut tx, aid, from, crate::rules::state::add_working_days(from, rs.posting_working_days)).await?;
        store::set_submitted(&mut tx, aid).await?;
        let (status, note) = if fin.recognisable {
            (Status::Recognised, String::new())
        } else {
            (Status::NotRecognised, fin.failures.iter().map(|f| f.message(&rs)).collect::<Vec<_>>().join(" "))
        };
        store::set_decision_note(&mut tx, aid, status.as_str(), &note).await?;
        for (kind, s) in [("open", Status::Draft), ("finish", Status::SelfAssessed), ("post", Status::Posted), ("submit", Status::Submitted)] {
            store::add_event(&mut tx, aid, kind, s.as_str(), "Dữ liệu mẫu", None).await?;
        }
        store::add_event(&mut tx, aid, if fin.recognisable { "recognise" } else { "refuse" }, status.as_str(), &format!("Quyết định số 215/QĐ-UBND ngày 06/02/2025 của Ủy ban nhân dân {}. {note}", district.name), None).await?;
    }
    store::set_meeting(&mut tx, round_id, NaiveDate::from_ymd_opt(2025, 1, 24).unwrap_or(decided), "Hội đồng đánh giá chuẩn tiếp cận pháp luật cấp huyện", "Đề nghị công nhận các xã đủ điều kiện theo kết quả thẩm định.").await?;
    store::set_decision(&mut tx, round_id, "215/QĐ-UBND", decided, "Chủ tịch Ủy ban nhân dân huyện").await?;
    audit::record(&mut tx, &Actor::cli(), Entry {
        action: "create",
        entity: "access_round",
        entity_id: Some(round_id.to_string()),
        unit_id: Some(district.id),
        summary: format!("Dữ liệu mẫu: đợt đánh giá chuẩn tiếp cận pháp luật năm 2024 của {} ({} xã)", district.name, communes.len()),
        before: None,
        after: Some(serde_json::json!({ "communes": communes.len(), "values": BTreeMap::<String, String>::new() })),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}
