//! The bookshelf on a commune's public page (`kernel::registry::PublicUnitSource`): how many
//! titles its legal bookshelf (tủ sách pháp luật) holds today, the latest additions, and the
//! link to the bookshelf's own public page.

use chrono::NaiveDate;
use kernel::Db;
use kernel::db::units::Unit;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, PublicLine, PublicUnitSection};
use kernel::unit::UnitLevel;

use crate::msg;
use crate::store;

/// The section, for a commune in force (always: an empty bookshelf is worth knowing too).
pub fn section<'a>(db: &'a Db, unit: &'a Unit, day: NaiveDate) -> BoxFuture<'a, AppResult<Option<PublicUnitSection>>> {
    Box::pin(async move {
        if unit.level() != Some(UnitLevel::Commune) || !unit.is_valid_on(day) {
            return Ok(None);
        }
        let items = store::shelf_items(db, unit.id).await?;
        let held: Vec<&store::ShelfItemRow> = items.iter().filter(|i| i.added_on <= day && i.removed_on.is_none_or(|r| r > day)).collect();
        let lines = held
            .iter()
            .take(5)
            .map(|i| PublicLine { text: i.label.clone(), detail: msg::public_added(&text_vi::format_date(i.added_on)), href: None })
            .collect();
        Ok(Some(PublicUnitSection {
            heading: msg::PUBLIC_HEADING.into(),
            summary: msg::public_summary(held.len()),
            lines,
            more: Some((format!("/tu-sach/xa/{}", unit.id), msg::PUBLIC_MORE.into())),
        }))
    })
}
