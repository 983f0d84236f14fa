//! Questions and feedback under test: the kernel and this capability with its demo data. The
//! bookshelf is not composed here; a small `LegalDocRefs` port stands for it, knowing one
//! document (the server's tests compose the real one).

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, LegalDocRef, Registry};
pub use testkit::{Session, TestApp, location};

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), inquiries::migrations()]
}

/// The one document the test port knows: id 7, number 31/2024/QH15.
fn doc_refs<'a>(_db: &'a Db, ids: &'a [i64], numbers: &'a [String]) -> BoxFuture<'a, kernel::DbResult<Vec<LegalDocRef>>> {
    Box::pin(async move {
        let known = LegalDocRef { id: 7, number: "31/2024/QH15".into(), title: "Luật Đất đai".into(), href: "/tu-sach/van-ban/7".into() };
        let hit = ids.contains(&7) || numbers.iter().any(|n| n.to_lowercase().replace(' ', "") == "31/2024/qh15");
        Ok(if hit { vec![known] } else { Vec::new() })
    })
}

fn registry() -> Registry {
    Registry {
        menu: inquiries::MENU.to_vec(),
        home_sources: vec![inquiries::home::home_part],
        reminder_sources: vec![inquiries::jobs::reminder_items],
        public_links: inquiries::PUBLIC_LINKS.to_vec(),
        legal_doc_refs: Some(doc_refs),
        ..Registry::default()
    }
}

fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { inquiries::demo::load(db).await.map_err(|e| e.to_string()) })
}

pub const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: inquiries::routes, prepare: testkit::nothing, demo };

/// The value of a hidden or text input in a page.
pub fn input_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker).nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string()
}

/// The proof of work for a challenge token, found as the browser's script would.
pub fn solve(token: &str) -> String {
    (0u64..).find(|n| inquiries::rules::pow::solves(token, &n.to_string(), inquiries::rules::pow::BITS)).unwrap().to_string()
}

/// The answer to the page's text question ("Ba cộng bốn bằng mấy?"), in digits.
pub fn text_answer(html: &str) -> String {
    let q = html.split("Câu hỏi chống gửi tự động: ").nth(1).unwrap().split(" bằng mấy?").next().unwrap().to_lowercase();
    let (a, b) = q.split_once(" cộng ").unwrap();
    let n = |w: &str| inquiries::msg::NUMBER_WORDS.iter().position(|x| *x == w.trim()).unwrap();
    (n(a) + n(b)).to_string()
}

/// A public visitor's session on the form: (the session with its CSRF token, the form page).
pub async fn open_form(app: &TestApp, path: &str) -> (Session, String) {
    let mut s = app.client();
    let (status, html) = s.text(path).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{html}");
    s.csrf = testkit::csrf_in(&html);
    (s, html)
}

/// The tracking code in a redirect to `/hoi-dap/tra-cuu?ma=…&moi=1`.
pub fn code_of(r: &reqwest::Response) -> String {
    let loc = location(r);
    loc.trim_start_matches("/hoi-dap/tra-cuu?ma=").split('&').next().unwrap_or_else(|| panic!("no code in {loc}")).to_string()
}
