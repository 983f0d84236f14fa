//! Answer-acceptance benchmark: responses accepted per second through the public page
//! (`POST /khao-sat/{token}`: CSRF, limits, validation, insert and counters), beside a bare axum
//! handler that inserts the same row into the same database. Loopback only, a fixed number of
//! requests from a few concurrent clients. `PBGDPL_BENCH_QUICK=1` sends fewer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
use testkit::TestApp;

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), surveys::migrations()]
}
fn registry() -> Registry {
    Registry { menu: surveys::MENU.to_vec(), ..Default::default() }
}
fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { surveys::demo::load(db).await.map_err(|e| e.to_string()) })
}
const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: surveys::routes, prepare: testkit::nothing, demo };

const CLIENTS: usize = 8;

const FORM: &[(&str, &str)] = &[
    ("a_respondent_type", "Cá nhân (người dân)"),
    ("a_info_access", "Hài lòng"),
    ("a_officer_attitude", "Rất hài lòng"),
    ("a_overall", "Hài lòng"),
    ("a_suggestions", "Đề nghị tăng cường tuyên truyền pháp luật"),
];

/// Sends `total` POSTs from `CLIENTS` clients; returns requests per second.
async fn drive(url: String, total: usize, cookie: String, csrf: String, expect: u16) -> f64 {
    let next = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (url, cookie, csrf, next) = (url.clone(), cookie.clone(), csrf.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            // No cookie store: each answer comes from a new device; each from its own address.
            let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let mut form: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
                form.extend_from_slice(FORM);
                let r = client.post(&url).header("cookie", &cookie).header("x-forwarded-for", format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255))
                    .form(&form).send().await.unwrap();
                assert_eq!(r.status().as_u16(), expect, "{}", r.text().await.unwrap_or_default());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    total as f64 / t.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let total = if testkit::bench::quick() { 300 } else { 3000 };
    let app = TestApp::spawn_with(&SETUP, |c| c.trusted_proxies = vec!["127.0.0.1".into()]).await;
    // A public survey of the province without one-answer-per-device, made from the template.
    let s = surveys::store::list(&app.db, "%").await.unwrap().into_iter().find(|s| s.template_code.is_some()).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let mut meta = surveys::service::meta_of(&s);
    meta.one_per_device = false;
    surveys::store::update_meta(&mut tx, s.id, &meta).await.unwrap();
    tx.commit().await.unwrap();
    // The pre-login CSRF cookie and token, as a browser gets them from the page.
    let client = reqwest::Client::builder().build().unwrap();
    let r = client.get(format!("{}/khao-sat/{}", app.base, s.public_token)).send().await.unwrap();
    let cookie = r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|c| c.starts_with("pbgdpl_csrf="))
        .and_then(|c| c.split(';').next()).unwrap().to_string();
    let csrf = testkit::csrf_in(&r.text().await.unwrap());
    let page = drive(format!("{}/khao-sat/{}", app.base, s.public_token), total, cookie.clone(), csrf.clone(), 303).await;

    // The bare handler: parse the same form, insert the same row, answer 303.
    let db = app.db.clone();
    let survey_id = s.id;
    let unit_id = s.audience_unit_id;
    let bare = axum::Router::new().route("/bare", axum::routing::post(move |axum::Form(pairs): axum::Form<Vec<(String, String)>>| {
        let db = db.clone();
        async move {
            let mut answers = surveys::rules::Answers::new();
            for (k, v) in pairs {
                if let Some(key) = k.strip_prefix("a_") {
                    answers.insert(key.to_string(), surveys::rules::Answer::Text(v));
                }
            }
            let mut tx = db.begin().await.unwrap();
            surveys::store::insert_response(&mut tx, &surveys::store::NewResponse {
                survey_id, unit_id, channel: "online", entered_by: None, device_hash: None, answers: &answers, text_key: "", contact: None,
            }).await.unwrap();
            tx.commit().await.unwrap();
            axum::response::Redirect::to("/ok")
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, bare).await.unwrap() });
    let bare_rate = drive(format!("http://{addr}/bare"), total, cookie, csrf, 303).await;
    println!(
        "answers accepted: {page:.0}/s through POST /khao-sat/{{token}}, {bare_rate:.0}/s through a bare axum handler inserting the same row ({} requests, {CLIENTS} clients, {}; load {})",
        total, testkit::backend(), testkit::bench::load_average()
    );
}
