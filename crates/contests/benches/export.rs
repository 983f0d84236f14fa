//! Export benchmark: 1,000,000 attempts of the demo round (500,000 entrants, two attempts each,
//! spread over the area's communes), bulk-inserted with one `INSERT … SELECT` over a generated
//! series per table (SQLite, or PostgreSQL with `PBGDPL_TEST_DB=postgres`), then the organiser's
//! all-attempts XLSX (`/cuoc-thi/quan-ly/vong/{id}/bai-thi.xlsx`) downloaded over loopback HTTP;
//! prints the time and the peak resident memory of the process (server and client included)
//! during the export. Target: < 200 MB. `PBGDPL_BENCH_QUICK=1` uses 20,000 attempts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use kernel::db::{Db, MigrationSet};
use kernel::registry::{BoxFuture, Registry};
use testkit::TestApp;

fn migrations() -> Vec<MigrationSet> {
    vec![kernel::db::migrations(), contests::migrations()]
}
fn registry() -> Registry {
    Registry { menu: contests::MENU.to_vec(), ..Default::default() }
}
fn demo(db: &Db) -> BoxFuture<'_, Result<(), String>> {
    Box::pin(async move { contests::demo::load(db).await.map_err(|e| e.to_string()) })
}
const SETUP: testkit::Setup = testkit::Setup { migrations, strict_migrations: false, registry, routes: contests::routes, prepare: testkit::nothing, demo };

fn reset_peak() {
    // Linux: writing 5 resets VmHWM to the current RSS.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The entrants: `$1` of them in contest `$2`, registered at `$3` (Unix seconds), each in one of
/// the communes numbered by `communes` (`$4`: their unit path pattern).
const ENTRANTS_SQLITE: &str = "
    WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < $1),
    communes(k, id) AS (SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM units WHERE level = 'commune' AND valid_to IS NULL AND path LIKE $4),
    n(total) AS (SELECT COUNT(*) FROM communes)
    INSERT INTO contest_entrants (contest_id, full_name, birth_year, contact, commune_id, verified, created_at)
    SELECT $2, 'Người dự thi số ' || i, 1950 + i % 60, 'bench' || substr('0000000' || i, -7, 7), communes.id, TRUE,
           strftime('%Y-%m-%dT%H:%M:%S+00:00', $3 + i / 10, 'unixepoch')
    FROM seq, n JOIN communes ON communes.k = seq.i % n.total";
const ENTRANTS_PG: &str = "
    WITH communes AS (SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id FROM units WHERE level = 'commune' AND valid_to IS NULL AND path LIKE $4),
    n AS (SELECT COUNT(*) AS total FROM communes)
    INSERT INTO contest_entrants (contest_id, full_name, birth_year, contact, commune_id, verified, created_at)
    SELECT $2, 'Người dự thi số ' || i, 1950 + i % 60, 'bench' || lpad(i::text, 7, '0'), communes.id, TRUE, to_timestamp($3 + i / 10)
    FROM generate_series(0, $1 - 1) AS seq(i) CROSS JOIN n JOIN communes ON communes.k = seq.i % n.total";

/// The attempts: `$1` of them in round `$2`, two per entrant from entrant id `$3` on, started
/// from `$4` (Unix seconds); one in ten expired, one in a thousand still active (its time
/// running), the rest submitted.
const ATTEMPTS_SQLITE: &str = "
    WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < $1)
    INSERT INTO contest_attempts (round_id, entrant_id, number, status, started_at, deadline_at, accept_until, closed_at, score, question_count, duration_ms, prediction)
    SELECT $2, $3 + i / 2, i % 2 + 1, s.status,
           strftime('%Y-%m-%dT%H:%M:%S+00:00', $4 + i, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%S+00:00', $4 + i + 900, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%S+00:00', $4 + i + 930, 'unixepoch'),
           CASE WHEN s.status = 'active' THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S+00:00', $4 + i + 60 + i % 800, 'unixepoch') END,
           CASE WHEN s.status = 'active' THEN NULL ELSE i % 11 END, 10,
           CASE WHEN s.status = 'active' THEN NULL ELSE (60 + i % 800) * 1000 + i % 1000 END,
           CASE WHEN i % 7 = 0 THEN NULL ELSE i % 500 END
    FROM (SELECT i, CASE WHEN i % 2000 = 1 THEN 'active' WHEN i % 10 = 9 THEN 'expired' ELSE 'submitted' END AS status FROM seq) s";
const ATTEMPTS_PG: &str = "
    INSERT INTO contest_attempts (round_id, entrant_id, number, status, started_at, deadline_at, accept_until, closed_at, score, question_count, duration_ms, prediction)
    SELECT $2, $3 + i / 2, i % 2 + 1, s.status, to_timestamp($4 + i), to_timestamp($4 + i + 900), to_timestamp($4 + i + 930),
           CASE WHEN s.status = 'active' THEN NULL ELSE to_timestamp($4 + i + 60 + i % 800) END,
           CASE WHEN s.status = 'active' THEN NULL ELSE i % 11 END, 10,
           CASE WHEN s.status = 'active' THEN NULL ELSE (60 + i % 800) * 1000 + i % 1000 END,
           CASE WHEN i % 7 = 0 THEN NULL ELSE i % 500 END
    FROM (SELECT i, CASE WHEN i % 2000 = 1 THEN 'active' WHEN i % 10 = 9 THEN 'expired' ELSE 'submitted' END AS status
          FROM generate_series(0::bigint, $1 - 1) AS seq(i)) s";

#[tokio::main]
async fn main() {
    let n: i64 = if testkit::bench::quick() { 20_000 } else { 1_000_000 };
    let entrants = (n + 1) / 2;
    let app = TestApp::spawn(&SETUP).await;
    let c = contests::store::contests_in(&app.db, "%").await.unwrap().remove(0);
    let round = contests::store::rounds(&app.db, c.id).await.unwrap().remove(0);
    let area = kernel::db::units::get(&app.db, c.area_unit_id).await.unwrap();
    let pg = testkit::backend() == "postgres";
    // One attempt started every second, the last a week ago.
    let base = kernel::now().timestamp() - n - 7 * 24 * 3600;

    let t = Instant::now();
    let mut tx = app.db.begin().await.unwrap();
    kernel::exec!(&mut tx, x => sqlx::query(if pg { ENTRANTS_PG } else { ENTRANTS_SQLITE })
        .bind(entrants).bind(c.id).bind(base).bind(format!("{}%", area.path)).execute(&mut *x).await).unwrap();
    let (first, last, count): (i64, i64, i64) = kernel::with_tx!(&mut tx, x => sqlx::query_as("SELECT MIN(id), MAX(id), COUNT(*) FROM contest_entrants WHERE contact LIKE 'bench%'")
        .fetch_one(&mut *x).await).unwrap();
    assert_eq!((count, last - first + 1), (entrants, entrants), "the entrants' ids are contiguous");
    kernel::exec!(&mut tx, x => sqlx::query(if pg { ATTEMPTS_PG } else { ATTEMPTS_SQLITE })
        .bind(n).bind(round.id).bind(first).bind(base).execute(&mut *x).await).unwrap();
    // The attempts still running end in an hour, so the export does not close them.
    let later = kernel::now() + chrono::Duration::hours(1);
    kernel::exec!(&mut tx, x => sqlx::query("UPDATE contest_attempts SET deadline_at = $1, accept_until = $1 WHERE round_id = $2 AND status = 'active'")
        .bind(later).bind(round.id).execute(&mut *x).await).unwrap();
    tx.commit().await.unwrap();
    if pg {
        let mut tx = app.db.begin().await.unwrap();
        kernel::exec!(&mut tx, x => sqlx::query("ANALYZE").execute(&mut *x).await).unwrap();
        tx.commit().await.unwrap();
    }
    println!("seeded {n} attempts of {entrants} entrants in {:.1} s ({}; load {})", t.elapsed().as_secs_f64(), testkit::backend(), testkit::bench::load_average());

    let tinh = app.login_as("tinh").await;
    reset_peak();
    let before = testkit::bench::peak_rss();
    let t = Instant::now();
    let mut r = tinh.get(&format!("/cuoc-thi/quan-ly/vong/{}/bai-thi.xlsx", round.id)).await;
    let first_byte = t.elapsed().as_secs_f64();
    assert_eq!(r.status(), 200);
    let mut bytes = 0usize;
    while let Some(chunk) = r.chunk().await.unwrap() {
        bytes += chunk.len();
    }
    let secs = t.elapsed().as_secs_f64();
    let peak = testkit::bench::peak_rss();
    let peak_mib = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0);
    println!(
        "export bai-thi.xlsx: {n} attempts, {:.1} MB in {secs:.2} s (first byte after {first_byte:.2} s), peak RSS {peak} (before the export {before}; target < 200 MB){}",
        bytes as f64 / 1e6,
        if peak_mib.is_some_and(|m| m > 200.0) { " OVER TARGET" } else { "" }
    );
}
