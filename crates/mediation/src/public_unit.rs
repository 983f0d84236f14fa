//! Grassroots mediation on a unit's public page (`kernel::registry::PublicUnitSource`): a
//! commune's mediation teams in force, each with its village, its leader (tổ trưởng, named as on
//! the village's notice board) and how many mediators serve; a province's totals. Never a
//! party, a case, or a mediator's telephone or address.

use chrono::NaiveDate;
use kernel::Db;
use kernel::db::units::Unit;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, PublicLine, PublicUnitSection};
use kernel::unit::UnitLevel;

use crate::msg;
use crate::store;

/// The section, for a commune or a province with teams.
pub fn section<'a>(db: &'a Db, unit: &'a Unit, _day: NaiveDate) -> BoxFuture<'a, AppResult<Option<PublicUnitSection>>> {
    Box::pin(async move {
        let level = unit.level();
        if !matches!(level, Some(UnitLevel::Commune | UnitLevel::Province)) {
            return Ok(None);
        }
        let like = format!("{}%", unit.path);
        let (teams, mediators) = store::public_totals(db, &like).await?;
        if teams == 0 {
            return Ok(None);
        }
        let lines = if level == Some(UnitLevel::Commune) {
            store::public_teams(db, &like, 200)
                .await?
                .into_iter()
                .map(|t| PublicLine { detail: msg::public_team_detail(&t.village_name, t.leader_name.as_deref(), t.serving), text: t.name, href: None })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Some(PublicUnitSection { heading: msg::PUBLIC_HEADING.into(), summary: msg::public_summary(teams, mediators), lines, more: None }))
    })
}
