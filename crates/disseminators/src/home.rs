//! The registries' part of the home page (a [`kernel::registry::HomeSource`]): in September,
//! the commune's registration round to open; a reviewed list waiting for the chair's decision;
//! and the numbers of serving reporters, propagandists and this year's sessions in scope.

use chrono::{Datelike, NaiveDate};
use kernel::account::{Action, Role};
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart, Todo, Urgency};

use crate::rules::kinds::{Kind, RegStatus};
use crate::{msg, service, store};

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::ViewDisseminators) {
        return Ok(part);
    }
    let p = user.principal();
    // The commune's September round.
    if service::registry_unit(db, &p, Kind::Propagandist).await.is_ok() {
        let rounds: Vec<_> = store::rounds(db, &user.scope.like_pattern()).await?.into_iter().filter(|r| r.unit_id == user.account.unit_id).collect();
        let year = i64::from(day.year());
        if day.month() == 9 && !rounds.iter().any(|r| r.year == year) {
            part.todo.push(Todo {
                urgency: Urgency::Open,
                text: msg::home_open_round(year),
                detail: String::new(),
                href: "/pho-bien#mo-dot".into(),
                due: NaiveDate::from_ymd_opt(day.year(), 9, 30),
            });
        }
        for r in rounds.iter().filter(|r| r.year >= year - 1) {
            let listed = store::registrations(db, r.id).await?.iter().filter(|g| g.status == RegStatus::Listed.as_str()).count();
            if listed > 0 {
                part.todo.push(Todo {
                    urgency: Urgency::Waiting,
                    text: msg::home_recognise(r.year),
                    detail: msg::home_listed(listed),
                    href: format!("/pho-bien/dot-dang-ky/{}#cong-nhan", r.id),
                    due: None,
                });
            }
        }
    }
    let first = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
    let sessions = service::activities_for(db, &p, &user.scope.like_pattern(), first, day).await?.len() as i64;
    if user.role != Role::Reporter {
        for (kind, label, href) in [(Kind::Reporter, msg::HOME_REPORTERS, "/pho-bien/bao-cao-vien"), (Kind::Propagandist, msg::HOME_PROPAGANDISTS, "/pho-bien/tuyen-truyen-vien")] {
            let n = service::people_list(db, &p, kind).await?.iter().filter(|r| service::serving(r, day)).count() as i64;
            if n > 0 {
                part.glance.push(Glance { label: label.into(), value: n, of: None, href: Some(href.into()) });
            }
        }
    }
    if sessions > 0 {
        part.glance.push(Glance { label: msg::HOME_SESSIONS.into(), value: sessions, of: None, href: Some("/pho-bien/hoat-dong".into()) });
    }
    Ok(part)
}
