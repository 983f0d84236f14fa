//! Search across the whole composition with the demo data: the demo law is found without
//! diacritics on the page and through the API; an article published through the editorial
//! pages is searchable within 2 seconds and shows at once on the cached news list; a
//! question's sender never appears in search results.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, SETUP, TestApp, location};

/// The public path of the article the test publishes (its title is highlighted word by word).
const SLUG: &str = "/tin-tuc/huong-ung-ngay-phap-luat-o-xa-tan-thanh";

async fn token(app: &TestApp, username: &str) -> String {
    let r = reqwest::Client::new().post(format!("{}/api/v1/tokens", app.base)).json(&json!({"username": username, "password": PASSWORD})).send().await.unwrap();
    r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
}

async fn api(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new().get(format!("{}{}", app.base, path)).bearer_auth(token).send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_demo_law_is_found_without_diacritics_on_the_page_and_through_the_api() {
    let app = TestApp::spawn(&SETUP).await;
    let (status, html) = app.client().text("/tim-kiem?q=hoa+giai+o+co+so").await;
    assert_eq!(status, StatusCode::OK);
    let first = html.split("search-results").nth(1).and_then(|r| r.split("<li>").nth(1)).unwrap_or_default();
    assert!(first.contains("35/2013/QH13") && first.contains("Còn hiệu lực"), "{html}");
    let t = token(&app, "xa1").await;
    let (status, body) = api(&app, &t, "/api/v1/search?q=tt%2006%202021&limit=5").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api(&app, &t, "/api/v1/search?q=hoa%20giai&kind=legal_doc&status=in_force").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["items"].as_array().unwrap().iter().all(|i| i["kind"] == "legal_doc" && i["status"] == "in_force"), "{body}");
    assert!(body["items"].as_array().unwrap().iter().any(|i| i["number"] == "35/2013/QH13"), "{body}");
    for bad in ["kind=nope", "status=nope", "year=abc", "limit=0", "offset=-1"] {
        let (status, body) = api(&app, &t, &format!("/api/v1/search?q=luat&{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    let r = reqwest::Client::new().get(format!("{}/api/v1/search?q=luat", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_published_article_is_searchable_within_two_seconds_and_on_the_cached_list_at_once() {
    let app = TestApp::spawn(&SETUP).await;
    let public = app.client();
    // Warm the cache and the index.
    let (_, before) = public.text("/tin-tuc").await;
    let _ = public.text("/tim-kiem?q=ngay+phap+luat").await;
    let editor = app.login_as("bientap").await;
    let tinh = app.login_as("tinh").await;
    let fields = [("kind", "news"), ("title", "Hưởng ứng Ngày Pháp luật ở xã Tân Thành"), ("slug", ""), ("summary", ""), ("body", "Hội nghị tuyên truyền Luật Hòa giải ở cơ sở."), ("category", ""), ("campaign", ""), ("tags", ""), ("publish_at", ""), ("unpublish_at", "")];
    let r = editor.post("/bien-tap/moi", &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r).trim_start_matches("/bien-tap/").split(['?', '/']).next().unwrap().parse().unwrap();
    assert_eq!(editor.post(&format!("/bien-tap/{id}/gui-duyet"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(!before.contains("Tân Thành"));
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/dang"), &[]).await.status(), StatusCode::SEE_OTHER);
    let published = Instant::now();
    // The editorial write emptied this instance's page cache: the list shows it at once.
    let (_, list) = public.text("/tin-tuc").await;
    assert!(list.contains("Tân Thành"), "{list}");
    loop {
        let (_, html) = public.text("/tim-kiem?q=ngay+phap+luat+tan+thanh").await;
        if html.contains(SLUG) {
            break;
        }
        if published.elapsed() > Duration::from_secs(2) {
            let row = kernel::search_feed::get(&app.db, "article", id).await.unwrap();
            let changes = kernel::search_feed::changes_after(&app.db, 0, 100000).await.unwrap();
            panic!("not searchable within 2 s: {row:?}; {} changes, last {:?}; page {html}", changes.len(), changes.last());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("searchable {} ms after publishing", published.elapsed().as_millis());
    // Unpublished: gone from search too.
    assert_eq!(tinh.post(&format!("/bien-tap/{id}/go"), &[]).await.status(), StatusCode::SEE_OTHER);
    let start = Instant::now();
    loop {
        let (_, html) = public.text("/tim-kiem?q=ngay+phap+luat+tan+thanh").await;
        if !html.contains(SLUG) {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(2), "still found after unpublishing");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_question_s_sender_is_never_in_search_results() {
    let app = TestApp::spawn(&SETUP).await;
    // Every sender of the demo's questions, by name, e-mail and phone.
    let senders: Vec<(String, String, String)> = kernel::with_db!(&app.db, p => kernel::sqlx::query_as("SELECT name, email, phone FROM inquiries").fetch_all(p).await).unwrap();
    assert!(!senders.is_empty());
    let public = app.client();
    let (_, warm) = public.text("/tim-kiem?q=hoi+dap&loai=answer").await;
    assert!(warm.contains("Hỏi đáp pháp luật"), "the demo's published answers are searchable: {warm}");
    for (name, email, phone) in senders {
        for needle in [name, email, phone].into_iter().filter(|s| s.len() > 3) {
            let (_, html) = public.text(&format!("/tim-kiem?q={}", needle.replace(' ', "+"))).await;
            let results = html.split("search-results").nth(1).unwrap_or_default();
            assert!(!results.contains(&needle), "{needle} in {html}");
        }
    }
}
