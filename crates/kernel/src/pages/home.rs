//! The home page: what the account has to do today, most pressing first (things to do from
//! every capability through [`crate::registry::HomeSource`], and its unread notices), the
//! numbers at a glance for its scope, then its functions.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::session::FlashQuery;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::page::{Layout, NavItem, render, today};
use crate::registry::{Glance, Todo, Urgency};
use crate::state::AppState;

/// Things to do shown at most; the rest are counted and reached through the menu.
const MAX_TODO: usize = 12;

/// A thing to do as the template shows it.
struct TodoRow {
    tag: &'static str,
    class: &'static str,
    text: String,
    detail: String,
    href: String,
    due: String,
}

/// A number at a glance as the template shows it.
struct GlanceRow {
    label: String,
    value: String,
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Dashboard {
    l: Layout,
    unit_name: String,
    agency_name: Option<String>,
    role_label: String,
    today: String,
    todo: Vec<TodoRow>,
    more: usize,
    glance: Vec<GlanceRow>,
    cards: Vec<NavItem>,
}

/// Orders things to do: most pressing first, then by deadline (none last), then by text.
pub fn order(todo: &mut [Todo]) {
    todo.sort_by(|a, b| {
        a.urgency.cmp(&b.urgency)
            .then_with(|| match (a.due, b.due) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| text_vi::compare(&a.text, &b.text))
    });
}

/// The first `max` characters of a text, cut at a word, with "…" when cut.
fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a.to_string()).unwrap_or(cut);
    format!("{cut} …")
}

fn glance_row(g: Glance) -> GlanceRow {
    let value = match g.of {
        Some(of) if of > 0 => format!("{}/{}", text_vi::format_int(g.value), text_vi::format_int(of)),
        _ => text_vi::format_int(g.value),
    };
    GlanceRow { label: g.label, value, href: g.href }
}

/// `GET /`: the account's home page; for a visitor without a session, the public site's home
/// page when a capability provides one (`Registry::public_home`), else the sign-in page.
pub async fn dashboard(State(state): State<AppState>, headers: HeaderMap, user: Result<CurrentUser, AppError>, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let user = match (user, state.registry.public_home) {
        (Ok(user), _) => user,
        (Err(AppError::Unauthenticated), Some(public_home)) => return public_home(&state, &headers).await,
        (Err(e), _) => return Err(e),
    };
    let day = today();
    let mut todo: Vec<Todo> = Vec::new();
    let mut glance: Vec<Glance> = Vec::new();
    for source in &state.registry.home_sources {
        let part = source(&state.db, &user, day).await?;
        todo.extend(part.todo);
        glance.extend(part.glance);
    }
    // The kernel's own part: unread notices.
    let unread = crate::db::reminders::unread_count(&state.db, user.account.id).await?;
    if unread > 0 {
        for n in crate::db::reminders::notifications(&state.db, user.account.id, 5).await?.into_iter().filter(|n| n.read_at.is_none()) {
            todo.push(Todo {
                urgency: Urgency::Notice,
                text: n.subject,
                detail: excerpt(&n.body, 140),
                href: n.link.filter(|l| l.starts_with('/')).unwrap_or_else(|| "/thong-bao".into()),
                due: None,
            });
        }
    }
    glance.push(Glance { label: crate::msg::HOME_UNREAD.into(), value: unread, of: None, href: Some("/thong-bao".into()) });
    order(&mut todo);
    let more = todo.len().saturating_sub(MAX_TODO);
    let todo = todo.into_iter().take(MAX_TODO).map(|t| TodoRow {
        tag: t.urgency.label(),
        class: t.urgency.class(),
        due: t.due.map(|d| crate::msg::home_due(&text_vi::format_date(d))).unwrap_or_default(),
        text: t.text,
        detail: t.detail,
        href: t.href,
    }).collect();
    let l = Layout::for_user(&user, "Tổng quan", "home").with_flash(q.tb.as_deref());
    let cards = l.nav.iter().filter(|n| n.key != "home").cloned().collect();
    render(&Dashboard {
        unit_name: user.account.unit_name.clone(),
        agency_name: user.account.agency_name.clone(),
        role_label: user.role.label().to_string(),
        today: text_vi::official_date_line(None, day),
        todo,
        more,
        glance: glance.into_iter().map(glance_row).collect(),
        cards,
        l,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn item(urgency: Urgency, due: Option<u32>, text: &str) -> Todo {
        Todo { urgency, text: text.into(), detail: String::new(), href: "/".into(), due: due.map(|d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap()) }
    }

    #[test]
    fn long_notices_are_cut_at_a_word() {
        assert_eq!(excerpt("Kính gửi  anh\nAn", 140), "Kính gửi anh An");
        assert_eq!(excerpt("một hai ba bốn", 9), "một hai …");
    }

    #[test]
    fn most_pressing_first_then_earliest_deadline() {
        let mut v = vec![
            item(Urgency::Notice, None, "thông báo"),
            item(Urgency::DueSoon, Some(10), "b"),
            item(Urgency::Overdue, Some(3), "c"),
            item(Urgency::DueSoon, Some(8), "a"),
            item(Urgency::Overdue, None, "đ"),
            item(Urgency::Returned, None, "trả lại"),
        ];
        order(&mut v);
        let texts: Vec<&str> = v.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["c", "đ", "trả lại", "a", "b", "thông báo"]);
    }
}
