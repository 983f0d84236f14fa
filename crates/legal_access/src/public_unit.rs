//! The legal-access standard on a unit's public page (`kernel::registry::PublicUnitSource`):
//! a commune's posted and decided assessments of the last years with their public status; a
//! province's count of communes recognised in the latest decided year. Only what the public
//! pages of this capability already show (`/cong-khai/chuan-tiep-can`).

use chrono::NaiveDate;
use kernel::Db;
use kernel::db::units::Unit;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, PublicLine, PublicUnitSection};
use kernel::unit::UnitLevel;

use crate::msg;
use crate::rules::state::Status;
use crate::store;

/// The section, for a commune with a posted assessment or a province with a decided year.
pub fn section<'a>(db: &'a Db, unit: &'a Unit, day: NaiveDate) -> BoxFuture<'a, AppResult<Option<PublicUnitSection>>> {
    Box::pin(async move {
        let list = store::public_assessments(db, &format!("{}%", unit.path)).await?;
        let more = Some(("/cong-khai/chuan-tiep-can".to_string(), msg::PUBLIC_UNIT_MORE.to_string()));
        match unit.level() {
            Some(UnitLevel::Commune) => {
                let own: Vec<&store::AssessmentRow> = list.iter().filter(|a| a.unit_id == unit.id).take(3).collect();
                let Some(latest) = own.first() else { return Ok(None) };
                let summary = match Status::parse(&latest.status) {
                    Some(Status::Recognised) => msg::public_unit_recognised(latest.year),
                    _ => String::new(),
                };
                let lines = own
                    .iter()
                    .map(|a| PublicLine { text: msg::public_unit_year(a.year), detail: crate::pages::public_status(a, day).0, href: Some(format!("/cong-khai/chuan-tiep-can/{}", a.id)) })
                    .collect();
                Ok(Some(PublicUnitSection { heading: msg::PUBLIC_UNIT_HEADING.into(), summary, lines, more }))
            }
            Some(UnitLevel::Province) => {
                let decided = |a: &&store::AssessmentRow| Status::parse(&a.status).is_some_and(Status::decided);
                let Some(year) = list.iter().filter(decided).map(|a| a.year).max() else { return Ok(None) };
                let of_year: Vec<&store::AssessmentRow> = list.iter().filter(decided).filter(|a| a.year == year).collect();
                let recognised = of_year.iter().filter(|a| a.status == Status::Recognised.as_str()).count();
                Ok(Some(PublicUnitSection {
                    heading: msg::PUBLIC_UNIT_HEADING.into(),
                    summary: msg::public_unit_province(year, recognised, of_year.len()),
                    lines: Vec::new(),
                    more,
                }))
            }
            _ => Ok(None),
        }
    })
}
