//! The dashboard: who you are, your unit, and the capabilities available to you.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use super::session::FlashQuery;
use crate::page::{Layout, NavItem, render, today};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct Dashboard {
    l: Layout,
    unit_name: String,
    agency_name: Option<String>,
    role_label: String,
    today: String,
    cards: Vec<NavItem>,
    provinces: String,
    communes: String,
}

/// `GET /`.
pub async fn dashboard(State(state): State<AppState>, user: CurrentUser, Query(q): Query<FlashQuery>) -> AppResult<Response> {
    let day = today();
    let counts = crate::db::units::count_by_level(&state.db, day).await?;
    let count = |lvl: &str| counts.iter().find(|(l, _)| l == lvl).map(|(_, n)| *n).unwrap_or(0);
    let l = Layout::for_user(&user, "Tổng quan", "home").with_flash(q.tb.as_deref());
    let cards = l.nav.iter().filter(|n| n.key != "home").cloned().collect();
    render(&Dashboard {
        unit_name: user.account.unit_name.clone(),
        agency_name: user.account.agency_name.clone(),
        role_label: user.role.label().to_string(),
        today: text_vi::official_date_line(None, day),
        cards,
        provinces: text_vi::format_int(count("province")),
        communes: text_vi::format_int(count("commune")),
        l,
    })
}
