//! Export benchmark: 100,000 responses to the demo satisfaction survey (SQLite, or PostgreSQL
//! with `PBGDPL_TEST_DB=postgres`), exported over loopback HTTP as CSV and as XLSX; prints the
//! time and the peak resident memory of the process (server included) during each export.
//! Target: < 10 s and < 100 MB each. `PBGDPL_BENCH_QUICK=1` uses 10,000 responses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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

fn reset_peak() {
    // Linux: writing 5 resets VmHWM to the current RSS.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

#[tokio::main]
async fn main() {
    let n: usize = if testkit::bench::quick() { 10_000 } else { 100_000 };
    let app = TestApp::spawn(&SETUP).await;
    let s = surveys::store::list(&app.db, "%").await.unwrap().into_iter().find(|s| s.template_code.is_some()).unwrap();
    let def = surveys::store::questions(&app.db, s.id).await.unwrap();
    let mut rng = testkit::bench::Rng(7);
    let levels = surveys::rules::SATISFACTION_LEVELS;
    let t = Instant::now();
    let mut done = 0;
    while done < n {
        let mut tx = app.db.begin().await.unwrap();
        for _ in 0..5000.min(n - done) {
            let mut raw = surveys::rules::RawAnswers::new();
            raw.insert("respondent_type".into(), vec!["Cá nhân (người dân)".into()]);
            for k in ["info_access", "officer_attitude", "overall", "mediation"] {
                raw.insert(k.into(), vec![levels[rng.below(5)].into()]);
            }
            if rng.below(4) == 0 {
                raw.insert("suggestions".into(), vec!["Đề nghị tăng cường tuyên truyền pháp luật về đất đai, hôn nhân và gia đình".into()]);
            }
            raw.insert("dissatisfied_reason".into(), vec!["Chờ lâu".into()]);
            let answers = surveys::rules::validate(&def, &raw).unwrap();
            let key = surveys::rules::answers::search_key(&def, &answers);
            surveys::store::insert_response(&mut tx, &surveys::store::NewResponse {
                survey_id: s.id, unit_id: s.audience_unit_id, channel: "online", entered_by: None, device_hash: None, answers: &answers, text_key: &key, contact: None,
            }).await.unwrap();
        }
        tx.commit().await.unwrap();
        done += 5000.min(n - done);
    }
    println!("seeded {n} responses in {:.1} s ({}; load {})", t.elapsed().as_secs_f64(), testkit::backend(), testkit::bench::load_average());
    let tinh = app.login_as("tinh").await;
    for ext in ["csv", "xlsx"] {
        reset_peak();
        let t = Instant::now();
        let mut r = tinh.get(&format!("/phieu-khao-sat/{}/ket-qua.{ext}", s.id)).await;
        assert_eq!(r.status(), 200);
        let mut bytes = 0usize;
        while let Some(chunk) = r.chunk().await.unwrap() {
            bytes += chunk.len();
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "export {ext}: {n} responses, {:.1} MB in {secs:.2} s, peak RSS {} (targets < 10 s, < 100 MB){}",
            bytes as f64 / 1e6,
            testkit::bench::peak_rss(),
            if secs > 10.0 { " OVER TARGET" } else { "" }
        );
    }
}
