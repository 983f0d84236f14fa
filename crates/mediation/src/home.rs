//! Grassroots mediation's part of the home page (a [`kernel::registry::HomeSource`]): for a
//! mediator and the commune, the open cases of their teams (an assigned case not started
//! within the deadline is overdue); for everyone who sees mediation, the figures of the year.

use chrono::{Datelike, NaiveDate};
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart, Todo, Urgency};

use crate::rules::case::{self, Status};
use crate::{msg, service, store};

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::ViewMediation) {
        return Ok(part);
    }
    let p = user.principal();
    let (start, end) = service::year_bounds(day.year());
    let within = service::version_on(day)?.timing.start_within_days;
    // Only a team's own people record cases: a mediator, or the commune's officers.
    let unit = kernel::db::units::get(db, user.account.unit_id).await?;
    let records = user.role.allows(Action::RecordMediationCases)
        && matches!(unit.level(), Some(kernel::unit::UnitLevel::Commune | kernel::unit::UnitLevel::Village));
    let teams = if records { service::teams_for(db, &p).await? } else { Vec::new() };
    for t in teams {
        let (_, access) = service::visible_team(db, &p, t.id).await?;
        if !access.record || t.ended_on.is_some() {
            continue;
        }
        for k in store::cases_of_team(db, t.id, start - chrono::Duration::days(366), end, 200).await? {
            let s = Status::parse(&k.status).unwrap_or(Status::Received);
            if !s.is_open() {
                continue;
            }
            let late = s == Status::Assigned && k.assigned_on.is_some_and(|a| case::start_is_late(a, day, within));
            part.todo.push(Todo {
                urgency: if late { Urgency::Overdue } else { Urgency::Open },
                text: msg::home_case(k.id, s.label()),
                detail: t.name.clone(),
                href: format!("/hoa-giai/vu-viec/{}", k.id),
                due: k.assigned_on.map(|a| a + chrono::Duration::days(within)).filter(|_| s == Status::Assigned),
            });
        }
    }
    if user.role != kernel::account::Role::Mediator {
        let f = service::figures(db, &p.scope.like_pattern(), start, day.min(end)).await?;
        part.glance.push(Glance { label: msg::home_cases(day.year()), value: f.cases_received, of: None, href: Some("/hoa-giai".into()) });
        part.glance.push(Glance { label: msg::HOME_SETTLED.into(), value: f.cases_settled, of: Some(f.cases_received), href: Some("/hoa-giai".into()) });
    }
    Ok(part)
}
