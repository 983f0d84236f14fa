//! The legal-access standard's part of the home page (a [`kernel::registry::HomeSource`]): the
//! commune's self-assessment to finish, post or send, and for the reviewing unit the dossiers
//! waiting for the council.

use chrono::NaiveDate;
use kernel::account::Action;
use kernel::auth::CurrentUser;
use kernel::db::Db;
use kernel::error::AppResult;
use kernel::registry::{BoxFuture, Glance, HomePart, Todo, Urgency};
use kernel::reminder::DEFAULT_REMINDER_DAYS;

use crate::msg;
use crate::rules::state::Status;

pub fn home_part<'a>(db: &'a Db, user: &'a CurrentUser, day: NaiveDate) -> BoxFuture<'a, AppResult<HomePart>> {
    Box::pin(collect(db, user, day))
}

async fn collect(db: &Db, user: &CurrentUser, day: NaiveDate) -> AppResult<HomePart> {
    let mut part = HomePart::default();
    if !user.role.allows(Action::ViewLegalAccess) {
        return Ok(part);
    }
    let acc = &user.account;
    if user.role.allows(Action::AssessLegalAccess) {
        for a in crate::store::assessments_of_unit(db, acc.unit_id).await? {
            let s = Status::parse(&a.status).unwrap_or(Status::Draft);
            let text = match s {
                Status::Draft | Status::Returned => msg::home_self_assess(a.year),
                Status::SelfAssessed => msg::home_post(a.year),
                Status::Posted => msg::home_submit(a.year),
                _ => continue,
            };
            if day > a.deadline {
                continue;
            }
            let urgency = if s == Status::Returned {
                Urgency::Returned
            } else if (a.deadline - day).num_days() <= DEFAULT_REMINDER_DAYS {
                Urgency::DueSoon
            } else {
                Urgency::Open
            };
            part.todo.push(Todo { urgency, text, detail: a.round_unit_name.clone(), href: format!("/chuan-tiep-can/{}", a.id), due: Some(a.deadline) });
        }
    }
    if user.role.allows(Action::ReviewLegalAccess) {
        let rounds = crate::store::rounds_visible(db, &user.scope.like_pattern(), &acc.unit_path).await?;
        if let Some(r) = rounds.iter().find(|r| r.unit_id == acc.unit_id) {
            let all = crate::store::assessments_of_round(db, r.id).await?;
            let waiting = all.iter().filter(|a| Status::parse(&a.status).is_some_and(Status::council_reviews)).count();
            if waiting > 0 {
                part.todo.push(Todo {
                    urgency: Urgency::Waiting,
                    text: msg::home_review(waiting, r.year),
                    detail: String::new(),
                    href: format!("/chuan-tiep-can/dot/{}", r.id),
                    due: None,
                });
            }
            let recognised = all.iter().filter(|a| a.status == Status::Recognised.as_str()).count();
            part.glance.push(Glance {
                label: msg::home_recognised(r.year),
                value: recognised as i64,
                of: Some(all.len() as i64),
                href: Some(format!("/chuan-tiep-can/dot/{}", r.id)),
            });
        }
    }
    Ok(part)
}
