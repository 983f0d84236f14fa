//! What every server-rendered page shares: the layout (menu, signed-in user, CSRF token, flash
//! notice), field errors, rendering, input cleaning and formatting helpers, and request metadata
//! for audit entries. Capability crates build their pages on these.

use std::collections::BTreeMap;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use crate::account::Action;
use crate::msg;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};


/// A navigation entry; only capabilities the account may use are listed.
#[derive(Clone, Debug)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub key: &'static str,
}

/// What every page's layout needs.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub title: String,
    pub active: &'static str,
    pub csrf: String,
    pub user_name: Option<String>,
    pub user_role: String,
    pub user_unit: String,
    pub nav: Vec<NavItem>,
    pub flash: Option<&'static str>,
}

/// The head and chrome of a public page (no account), for `templates/public_base.html`: the
/// title, the description and canonical address that Open Graph and search engines read, and
/// the links of the public menu. Public pages carry no session, no CSRF token and no
/// officials' menu, so they can be cached.
#[derive(Clone, Debug, Default)]
pub struct PublicHead {
    pub title: String,
    pub description: String,
    /// The absolute address of this page (`<link rel="canonical">`, `og:url`).
    pub canonical: String,
    /// `website` or `article`.
    pub og_type: &'static str,
    /// The site's name (`og:site_name`, the header).
    pub site_name: String,
    /// (href, label) of the public menu.
    pub nav: Vec<(String, String)>,
    /// The `href` of the menu entry shown as current.
    pub active: String,
    /// Extra stylesheets of the capability (paths on this site).
    pub styles: Vec<&'static str>,
    /// An alternate feed (`<link rel="alternate">`), if the site has one.
    pub feed: Option<String>,
    /// The absolute address of the page's picture (`og:image`), or empty.
    pub image: String,
}

/// A menu entry contributed by a capability: shown to accounts whose role allows `action`.
#[derive(Clone, Copy, Debug)]
pub struct MenuEntry {
    pub action: Action,
    pub href: &'static str,
    pub label: &'static str,
    pub key: &'static str,
}

/// The kernel's own menu entries, placed after the capabilities' entries.
pub const KERNEL_MENU: &[MenuEntry] = &[
    MenuEntry { action: Action::ViewUnits, href: "/don-vi", label: "Đơn vị hành chính", key: "units" },
    MenuEntry { action: Action::ViewAgencies, href: "/co-quan", label: "Cơ quan, tổ chức", key: "agencies" },
    MenuEntry { action: Action::ViewAccounts, href: "/tai-khoan", label: "Tài khoản", key: "accounts" },
    MenuEntry { action: Action::ViewAudit, href: "/nhat-ky", label: "Nhật ký hệ thống", key: "audit" },
    MenuEntry { action: Action::ViewOutbox, href: "/he-thong/hop-thu", label: "Hộp thư đi", key: "outbox" },
];

/// The menu of an account: home, the capabilities' entries (in the order the server registered
/// them), the kernel's entries, then notifications and the profile.
pub fn nav_for(user: &CurrentUser) -> Vec<NavItem> {
    let mut v = vec![NavItem { href: "/", label: "Tổng quan", key: "home" }];
    for e in user.registry.menu.iter().chain(KERNEL_MENU) {
        if user.role.allows(e.action) {
            v.push(NavItem { href: e.href, label: e.label, key: e.key });
        }
    }
    v.push(NavItem { href: "/thong-bao", label: "Thông báo", key: "notifications" });
    v.push(NavItem { href: "/ca-nhan", label: "Cá nhân", key: "profile" });
    v
}

impl Layout {
    pub fn for_user(user: &CurrentUser, title: impl Into<String>, active: &'static str) -> Layout {
        Layout {
            title: title.into(),
            active,
            csrf: user.csrf.clone(),
            user_name: Some(user.account.full_name.clone()),
            user_role: user.role.label().to_string(),
            user_unit: user.account.unit_name.clone(),
            nav: nav_for(user),
            flash: None,
        }
    }

    pub fn anonymous(title: impl Into<String>, csrf: String) -> Layout {
        Layout { title: title.into(), csrf, ..Layout::default() }
    }

    pub fn with_flash(mut self, key: Option<&str>) -> Layout {
        self.flash = key.and_then(flash_message);
        self
    }

    /// Like [`Layout::with_flash`] with a capability's own catalogue of notices, then the kernel's.
    pub fn with_flash_from(mut self, key: Option<&str>, lookup: fn(&str) -> Option<&'static str>) -> Layout {
        self.flash = key.and_then(|k| lookup(k).or_else(|| flash_message(k)));
        self
    }
}

/// Notices passed through a redirect as `?tb=key`; only known keys are shown. Capability pages
/// look up their own keys with [`Layout::with_flash_from`].
pub fn flash_message(key: &str) -> Option<&'static str> {
    Some(match key {
        "account_created" => msg::ACCOUNT_CREATED,
        "account_updated" => msg::ACCOUNT_UPDATED,
        "account_deactivated" => msg::ACCOUNT_DEACTIVATED,
        "account_activated" => msg::ACCOUNT_ACTIVATED,
        "password_reset" => msg::PASSWORD_RESET_BY_ADMIN,
        "password_changed" => msg::PASSWORD_CHANGED,
        "agency_saved" => msg::AGENCY_SAVED,
        "village_created" => msg::VILLAGE_CREATED,
        "contact_saved" => msg::CONTACT_SAVED,
        "profile_saved" => msg::PROFILE_SAVED,
        "token_revoked" => msg::TOKEN_REVOKED,
        "reset_sent" => msg::RESET_SENT,
        "reset_done" => msg::RESET_DONE,
        "notifications_read" => msg::NOTIFICATIONS_READ,
        _ => return None,
    })
}

/// Validation errors by field name, shown beside each field.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(pub BTreeMap<&'static str, Vec<String>>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_default().push(message.into());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The joined messages for a field, or an empty string.
    pub fn get(&self, field: &str) -> String {
        self.0.get(field).map(|v| v.join(" ")).unwrap_or_default()
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }
}

/// Renders a template as a full HTML page.
pub fn render<T: Template>(t: &T) -> AppResult<Response> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a form again with status 422 after validation failed.
pub fn render_invalid<T: Template>(t: &T) -> AppResult<Response> {
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(t.render()?)).into_response())
}

/// Trims and NFC-normalises a text field, dropping control and bidirectional-override characters
/// (newlines and tabs of long text stay).
pub fn clean(s: &str) -> String {
    text_vi::clean_input(s.trim()).trim().to_string()
}

pub fn opt_clean(s: &str) -> Option<String> {
    let c = clean(s);
    (!c.is_empty()).then_some(c)
}

pub fn fmt_date(d: Option<NaiveDate>) -> String {
    d.map(text_vi::format_date).unwrap_or_default()
}

/// "từ 01/07/2025", "đến 30/06/2025", or both.
pub fn validity(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("{} – {}", text_vi::format_date(f), text_vi::format_date(t)),
        (Some(f), None) => format!("từ {}", text_vi::format_date(f)),
        (None, Some(t)) => format!("đến {}", text_vi::format_date(t)),
        (None, None) => String::new(),
    }
}

/// Today in Vietnam (UTC+7).
pub fn today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// The request id set by the middleware, for audit entries.
pub fn request_id(headers: &axum::http::HeaderMap) -> Option<String> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// The caller's address. The connecting address, unless it is one of the `trusted_proxies`:
/// then the right-most address of `Forwarded` (`for=`) or `X-Forwarded-For` that is not itself a
/// trusted proxy. Headers from anyone else are ignored, so a client cannot pick its address.
pub fn client_ip(peer: Option<std::net::SocketAddr>, headers: &axum::http::HeaderMap, trusted: &[ipnet::IpNet]) -> String {
    let Some(peer) = peer.map(|a| a.ip()) else { return "unknown".into() };
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer.to_string();
    }
    let mut chain: Vec<std::net::IpAddr> = Vec::new();
    for v in headers.get_all(axum::http::header::FORWARDED).iter().filter_map(|v| v.to_str().ok()) {
        for element in v.split(',') {
            for pair in element.split(';') {
                if let Some((k, val)) = pair.trim().split_once('=')
                    && k.trim().eq_ignore_ascii_case("for")
                    && let Some(ip) = parse_forwarded_addr(val)
                {
                    chain.push(ip);
                }
            }
        }
    }
    if chain.is_empty() {
        for v in headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()) {
            chain.extend(v.split(',').filter_map(parse_forwarded_addr));
        }
    }
    chain.iter().rev().find(|ip| !is_trusted(ip)).or(chain.first()).unwrap_or(&peer).to_string()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`, `2001:db8::1`.
fn parse_forwarded_addr(raw: &str) -> Option<std::net::IpAddr> {
    let s = raw.trim().trim_matches('"');
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    s.parse::<std::net::SocketAddr>().ok().map(|a| a.ip())
}

/// Request metadata for audit entries: request id and client address. Never fails.
#[derive(Clone, Debug)]
pub struct ReqMeta {
    pub request_id: Option<String>,
    pub ip: String,
}

impl axum::extract::FromRequestParts<crate::state::AppState> for ReqMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &crate::state::AppState) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0);
        Ok(ReqMeta { request_id: request_id(&parts.headers), ip: client_ip(addr, &parts.headers, &state.trusted_proxies) })
    }
}

impl ReqMeta {
    pub fn actor(&self, user: &CurrentUser) -> crate::db::audit::Actor {
        crate::db::audit::Actor {
            account_id: Some(user.account.id),
            username: Some(user.account.username.clone()),
            request_id: self.request_id.clone(),
            ip: Some(self.ip.clone()),
        }
    }

    pub fn anonymous(&self, username: Option<String>) -> crate::db::audit::Actor {
        crate::db::audit::Actor { account_id: None, username, request_id: self.request_id.clone(), ip: Some(self.ip.clone()) }
    }
}

/// A text field: cleaned (NFC, no control characters), checked for length, and required if
/// `required` names the message.
pub fn typed_text(s: &str, id: &'static str, max: usize, required: Option<&'static str>, errors: &mut FieldErrors) -> String {
    let c = clean(s);
    if c.is_empty() {
        if let Some(m) = required {
            errors.add(id, m);
        }
    } else if c.chars().count() > max {
        errors.add(id, crate::msg::TEXT_TOO_LONG);
    }
    c
}

/// Reads a multipart form with one `file` field and checks the file with `check` (which
/// returns the content type to serve it with, or the message of a refusal, as
/// `documents::sniff::check_evidence` does once its error is turned into its message): the
/// file's name, content type and bytes, or a Vietnamese message.
pub async fn read_checked_file(
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    limit: usize,
    check: impl Fn(&str, &[u8]) -> Result<&'static str, &'static str>,
) -> Result<(String, &'static str, Vec<u8>), String> {
    let mp = mp.map_err(|_| crate::msg::FORM_UNREADABLE.to_string())?;
    let up = read_upload(mp, limit).await.map_err(str::to_string)?;
    if up.too_large {
        return Err(crate::msg::FILE_TOO_LARGE.into());
    }
    if up.bytes.is_empty() {
        return Err(crate::msg::FILE_REQUIRED.into());
    }
    let ct = check(&up.file_name, &up.bytes).map_err(str::to_string)?;
    Ok((up.file_name, ct, up.bytes))
}

/// One uploaded file from a multipart form, with the other text fields.
#[derive(Default)]
pub struct Upload {
    pub fields: std::collections::HashMap<String, String>,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub too_large: bool,
}

/// Reads a multipart form with at most one file field named `file`; a file larger than
/// `limit` is dropped and flagged instead of failing the whole request.
pub async fn read_upload(mut mp: axum::extract::Multipart, limit: usize) -> Result<Upload, &'static str> {
    let mut up = Upload::default();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(msg::FORM_UNREADABLE),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            up.file_name = field.file_name().map(safe_file_name).unwrap_or_default();
            let mut field = field;
            let mut buf = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(c)) => {
                        if buf.len() + c.len() > limit {
                            up.too_large = true;
                            buf.clear();
                            while let Ok(Some(_)) = field.chunk().await {}
                            break;
                        }
                        buf.extend_from_slice(&c);
                    }
                    Ok(None) => break,
                    Err(_) => return Err(msg::FORM_UNREADABLE),
                }
            }
            up.bytes = buf;
        } else {
            let text = field.text().await.map_err(|_| msg::FORM_UNREADABLE)?;
            up.fields.insert(name, text);
        }
    }
    Ok(up)
}

/// Longest stored file name, in characters (the extension is kept).
pub const MAX_FILE_NAME_CHARS: usize = 120;

/// An uploaded file's name as stored: its last path component, NFC, without control or
/// bidirectional-override characters, at most [`MAX_FILE_NAME_CHARS`] with the extension kept.
pub fn safe_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let clean: String = text_vi::clean_input(base).chars().filter(|c| *c != '\n' && *c != '\t').collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.chars().count() <= MAX_FILE_NAME_CHARS {
        return clean;
    }
    let (stem, ext) = match clean.rsplit_once('.') {
        Some((s, e)) if !e.is_empty() && e.chars().count() <= 10 => (s.to_string(), format!(".{e}")),
        _ => (clean.clone(), String::new()),
    };
    let keep = MAX_FILE_NAME_CHARS - ext.chars().count();
    format!("{}{ext}", stem.chars().take(keep).collect::<String>())
}

/// Runs CPU-heavy document work (typesetting a PDF) on the blocking pool under the instance's
/// limit for heavy work ([`crate::heavy`]); when every slot stays busy, the user is told to try
/// again rather than the server slowing down for everyone.
pub async fn typeset<F>(state: &crate::state::AppState, work: F) -> AppResult<Vec<u8>>
where
    F: FnOnce() -> AppResult<Vec<u8>> + Send + 'static,
{
    match state.heavy.run(work).await {
        Ok(out) => out,
        Err(crate::heavy::HeavyError::Failed) => Err(AppError::Internal("document work failed".into())),
        Err(other) => Err(AppError::Unavailable(other.message().into())),
    }
}

/// A download: the bytes with their content type and a file name (ASCII and UTF-8 forms).
pub fn attachment(content_type: &'static str, name: &str, data: Vec<u8>) -> Response {
    let ascii: String = text_vi::slug(name);
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20")
    );
    ([(axum::http::header::CONTENT_TYPE, content_type.to_string()), (axum::http::header::CONTENT_DISPOSITION, disposition)], data).into_response()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> axum::http::HeaderMap {
        let mut h = axum::http::HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxy: std::net::SocketAddr = "10.0.0.5:40000".parse().unwrap();
        let outsider: std::net::SocketAddr = "203.0.113.9:40000".parse().unwrap();
        let trusted = vec![crate::state::parse_net("10.0.0.0/8").unwrap()];
        let xff = headers(&[("x-forwarded-for", "198.51.100.7, 10.0.0.9")]);
        assert_eq!(client_ip(Some(proxy), &xff, &trusted), "198.51.100.7");
        assert_eq!(client_ip(Some(outsider), &xff, &trusted), "203.0.113.9", "headers of an untrusted peer are ignored");
        assert_eq!(client_ip(Some(proxy), &xff, &[]), "10.0.0.5");
        // A client that writes its own X-Forwarded-For cannot hide behind it: the right-most
        // untrusted address is the one the proxy saw.
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7")]);
        assert_eq!(client_ip(Some(proxy), &spoofed, &trusted), "198.51.100.7");
        let fwd = headers(&[("forwarded", "for=192.0.2.60;proto=http, for=\"[2001:db8::1]:4711\"")]);
        assert_eq!(client_ip(Some(proxy), &fwd, &trusted), "2001:db8::1");
        assert_eq!(client_ip(Some(proxy), &headers(&[("x-forwarded-for", "garbage")]), &trusted), "10.0.0.5");
        assert_eq!(client_ip(None, &xff, &trusted), "unknown");
        assert_eq!(crate::state::parse_net("::1").unwrap().to_string(), "::1/128");
        assert_eq!(safe_file_name("C:\\tmp\\bien-ban.pdf"), "bien-ban.pdf");
        assert_eq!(safe_file_name("anh\u{202E}gpj.exe"), "anhgpj.exe");
        assert_eq!(safe_file_name("a\0b\nc.txt"), "abc.txt");
        let long = format!("{}.docx", "x".repeat(5000));
        let short = safe_file_name(&long);
        assert_eq!(short.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(short.ends_with(".docx"));
        assert_eq!(safe_file_name("Kế hoạch năm 2024.docx"), "Kế hoạch năm 2024.docx");
        assert!(crate::state::parse_net("not an address").is_none());
    }
}
