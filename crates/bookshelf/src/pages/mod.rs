//! Pages of the legal bookshelf: the public pages (`public`: the documents with their derived
//! status, the teaching materials, a commune's bookshelf, file downloads; no account needed)
//! and the officials' pages (`manage`). Shared form helpers live here.

use axum_extra::extract::cookie::CookieJar;
use chrono::NaiveDate;
use kernel::error::AppResult;
use kernel::page::{FieldErrors, Layout};
use kernel::state::AppState;

use crate::msg;

pub mod manage;
pub mod public;

/// A choice of a select or a set of checkboxes.
#[derive(Clone, Debug)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn opts<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, picked: &[&str]) -> Vec<Opt> {
    items.into_iter().map(|(v, l)| Opt { value: v.to_string(), label: l.to_string(), selected: picked.contains(&v) }).collect()
}

/// The layout of a public page: the account's menu when someone is signed in.
pub(crate) async fn public_layout(state: &AppState, jar: &CookieJar, title: impl Into<String>) -> AppResult<(Layout, Option<kernel::auth::CurrentUser>)> {
    Ok(match kernel::auth::user_from_jar(state, jar).await? {
        Some(u) => (Layout::for_user(&u, title, "bookshelf"), Some(u)),
        None => (Layout::anonymous(title, String::new()), None),
    })
}

pub(crate) fn field<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("")
}

pub(crate) fn all<'a>(pairs: &'a [(String, String)], k: &str) -> Vec<&'a str> {
    pairs.iter().filter(|(n, _)| n == k).map(|(_, v)| v.as_str()).collect()
}

/// A typed date: `None` when empty, the error when malformed.
pub(crate) fn typed_date(s: &str, id: &'static str, required: bool, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        if required {
            errors.add(id, msg::DATE_REQUIRED);
        }
        return None;
    }
    match text_vi::parse_date(s) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(id, msg::DATE_FORMAT);
            None
        }
    }
}

pub(crate) use kernel::page::typed_text;

/// An optional web address: empty, or http(s) without spaces.
pub(crate) fn typed_url(s: &str, id: &'static str, errors: &mut FieldErrors) -> String {
    let c = kernel::page::clean(s);
    if c.is_empty() {
        return c;
    }
    let ok = (c.starts_with("https://") || c.starts_with("http://")) && c.len() <= 500 && !c.chars().any(char::is_whitespace);
    if !ok {
        errors.add(id, msg::URL);
    }
    c
}

pub(crate) fn fmt_day(d: NaiveDate) -> String {
    text_vi::format_date(d)
}

/// Reads a multipart upload with one `file` field and checks it as evidence (PDF, DOCX, XLSX,
/// PNG, JPEG whose first bytes agree with the extension).
pub(crate) async fn read_checked(state: &AppState, mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>) -> Result<(String, &'static str, Vec<u8>), String> {
    kernel::page::read_checked_file(mp, state.config.limits.upload_bytes, |name, bytes| documents::sniff::check_evidence(name, bytes).map_err(|e| e.message())).await
}
