//! Grassroots-mediation benchmark (issue 12).
//!
//! `cargo bench -p mediation --bench mediation` (add `--profile dev` for a quick build);
//! `PBGDPL_BENCH_QUICK=1` for a short run.
//!
//! Setup (not timed): a temporary SQLite database with the official units; in the province
//! with the most communes, 100 communes each with a village, a team of five mediators and cases
//! received this year: 10,000 in the first commune's team (with two parties each and an
//! assigned mediator), and the rest spread so the province holds 200,000 cases. Timed, over
//! HTTP against the real router as that commune's justice officer: the team page (its case
//! list), and the tracking book of the year as XLSX (10,000 rows), both built afresh after a
//! write and unchanged since it was built (kept in `mediation_book_cache`); beside `GET /healthz` on the
//! same server as the baseline. Timed directly: the prefill of the province's mediation report
//! (the `ReportFigures` port over 100 communes and 200,000 cases). Targets: pages < 100 ms,
//! prefill < 200 ms (medians). A miss prints "OVER TARGET" but does not fail. Peak memory is
//! printed.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use kernel::db::Db;
use kernel::unit::UnitLevel;
use testkit::bench::{Rng, load_average, ms, peak_rss, quick, stats, verdict};

const PAGE_TARGET: Duration = Duration::from_millis(100);
const PREFILL_TARGET: Duration = Duration::from_millis(200);
const PASSWORD: &str = "Bench-pass-2026";
const USERNAME: &str = "bench_xa";
const COMMUNES: usize = 100;
const BIG: usize = 10_000;
const TOTAL: usize = 200_000;
const FIELDS: [&str; 5] = ["land", "marriage_family", "neighbourhood", "civil", "other"];
const STATUSES: [&str; 6] = ["settled", "settled", "settled", "not_settled", "in_progress", "refused"];

fn e(s: String) -> anyhow::Error {
    anyhow::Error::msg(s)
}

/// Inserts `n` cases of a team in multi-row statements; returns the first and last id.
async fn insert_cases(tx: &mut kernel::Tx, team: i64, commune: i64, n: usize, year: i32, rng: &mut Rng) -> Result<(i64, i64)> {
    let now = kernel::now();
    let mut first = None;
    let mut last = 0;
    let mut left = n;
    while left > 0 {
        let k = left.min(400);
        left -= k;
        let mut sql = String::from("INSERT INTO mediation_cases (team_id, commune_id, received_on, origin, field, summary, status, created_at, updated_at, version) VALUES ");
        let mut rows = Vec::with_capacity(k);
        for i in 0..k {
            let day = chrono::NaiveDate::from_ymd_opt(year, 1, 1).context("date")? + chrono::Duration::days(rng.below(300) as i64);
            rows.push((day, FIELDS[rng.below(FIELDS.len())], STATUSES[rng.below(STATUSES.len())]));
            let b = i * 5;
            sql.push_str(&format!("{}({team}, {commune}, ${}, 'party_request', ${}, ${}, ${}, ${}, ${}, 1)", if i == 0 { "" } else { ", " }, b + 1, b + 2, b + 3, b + 4, b + 5, b + 5));
        }
        sql.push_str(" RETURNING id");
        let ids: Vec<(i64,)> = kernel::with_tx!(tx, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for (day, field, status) in &rows {
                q = q.bind(*day).bind(*field).bind("Tranh chấp giữa hai hộ liền kề").bind(*status).bind(now);
            }
            q.fetch_all(&mut *c).await
        })?;
        first = first.or(ids.first().map(|r| r.0));
        last = ids.last().map_or(last, |r| r.0);
    }
    Ok((first.unwrap_or(0), last))
}

async fn run() -> Result<()> {
    let quick = quick();
    let (warmup, n) = if quick { (1, 5) } else { (3, 30) };
    let total = if quick { TOTAL / 10 } else { TOTAL };
    println!(
        "mediation: {} mode, {warmup} + {n} timed runs, {} CPUs, load average {}{}",
        if quick { "quick" } else { "full" },
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        load_average(),
        if cfg!(debug_assertions) { " (DEBUG BUILD: figures not representative)" } else { "" }
    );
    let dir = tempfile::tempdir()?;
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await?;
    db.migrate(&[kernel::db::migrations(), plans::migrations(), mediation::migrations()]).await?;
    kernel::db::units::load_if_empty(&db).await?;
    let today = kernel::page::today();
    let year = chrono::Datelike::year(&today);
    let provinces: Vec<_> = kernel::db::units::children(&db, None, Some(today)).await?.into_iter().filter(|u| u.level() == Some(UnitLevel::Province)).collect();
    let mut best: Option<(kernel::db::units::Unit, Vec<kernel::db::units::Unit>)> = None;
    for p in provinces {
        let c: Vec<_> = kernel::db::units::children(&db, Some(p.id), Some(today)).await?.into_iter().filter(|u| u.level() == Some(UnitLevel::Commune)).collect();
        if best.as_ref().is_none_or(|(_, b)| c.len() > b.len()) {
            best = Some((p, c));
        }
    }
    let (province, mut communes) = best.context("no province")?;
    communes.truncate(COMMUNES);
    let started = Instant::now();
    let mut rng = Rng(0x7062_6764_706c_0012);
    let mut tx = db.begin().await?;
    let mut big_team = 0;
    let per_other = (total - BIG.min(total)) / (communes.len().max(2) - 1);
    for (k, commune) in communes.iter().enumerate() {
        let village = kernel::db::units::create_village(&mut tx, commune, "Thôn Một", "thon").await?;
        let team = mediation::store::insert_team(&mut tx, &mediation::store::NewTeam {
            village_id: village.id, commune_id: commune.id, name: "Tổ hòa giải Thôn Một", decision_no: None, decision_on: None,
            decision_signer: None, established_on: today - chrono::Duration::days(400), ethnic_minority_area: false, created_by: None,
        }).await?;
        let mut mediators = Vec::new();
        for i in 0..5 {
            let m = mediation::rules::roster::MediatorInput { full_name: format!("Hòa giải viên {i}"), gender: if i % 2 == 0 { "female" } else { "male" }.into(), ..Default::default() };
            mediators.push(mediation::store::insert_mediator(&mut tx, team, &m, &mediation::store::Election::default(), today - chrono::Duration::days(400)).await?);
        }
        let count = if k == 0 { BIG.min(total) } else { per_other };
        let (a, b) = insert_cases(&mut tx, team, commune.id, count, year, &mut rng).await?;
        if k == 0 {
            big_team = team;
            for id in a..=b {
                mediation::store::insert_party(&mut tx, id, "Nông Văn A", Some(1970), "Thôn Một", 1).await?;
                mediation::store::insert_party(&mut tx, id, "Hoàng Thị B", Some(1975), "Thôn Một", 2).await?;
                mediation::store::put_case_mediator(&mut tx, id, mediators[(id % 5) as usize], false, None).await?;
            }
        }
    }
    let hash = kernel::auth::hash_password(PASSWORD.into()).await?;
    let first = communes.first().context("no commune")?;
    kernel::db::accounts::create(&mut tx, &kernel::db::accounts::NewAccount {
        username: USERNAME.into(), full_name: "Công chức tư pháp thử hiệu năng".into(), email: None, password_hash: hash,
        role: "justice_officer".into(), unit_id: first.id, agency_id: None, must_change_password: false,
    }).await?;
    tx.commit().await?;
    println!("mediation setup: {} communes of {}, {} cases, in {:.1} s", communes.len(), province.name, total, started.elapsed().as_secs_f64());

    let registry = kernel::registry::Registry { menu: mediation::MENU.to_vec(), ..Default::default() };
    let base = testkit::bench::serve(&db, registry, mediation::routes).await.map_err(e)?;
    let client = testkit::bench::signed_in(&base, USERNAME, PASSWORD).await.map_err(e)?;
    let (hm, hp, _) = testkit::bench::time_get(&client, &format!("{base}/healthz"), warmup, n).await.map_err(e)?;
    println!("mediation baseline: GET /healthz on the same server: median {}, p95 {}", ms(hm), ms(hp));
    let (m, p, size) = testkit::bench::time_get(&client, &format!("{base}/hoa-giai/to/{big_team}"), warmup, n).await.map_err(e)?;
    println!("mediation team page: GET /hoa-giai/to/{{id}} ({} cases in the team, {size} bytes): median {}, p95 {} — target < {}{}", BIG.min(total), ms(m), ms(p), ms(PAGE_TARGET), verdict(m, p, PAGE_TARGET));
    // The book built afresh: before each download a write to one of the team's cases bumps the
    // team's book version, as recording a case does, so the kept book no longer matches.
    let book_url = format!("{base}/hoa-giai/to/{big_team}/so-theo-doi.xlsx?nam={year}");
    let mut samples = Vec::with_capacity(n);
    let mut size = 0;
    for i in 0..warmup + n {
        let mut tx = db.begin().await?;
        kernel::exec!(&mut tx, c => sqlx::query("UPDATE mediation_cases SET version = version + 1 WHERE id = (SELECT MIN(id) FROM mediation_cases WHERE team_id = $1)")
            .bind(big_team).execute(&mut *c).await)?;
        tx.commit().await?;
        let t = Instant::now();
        let r = client.get(&book_url).send().await.and_then(|r| r.error_for_status()).map_err(|x| e(x.to_string()))?;
        size = r.bytes().await.map_err(|x| e(x.to_string()))?.len();
        if i >= warmup {
            samples.push(t.elapsed());
        }
    }
    let (m, p) = stats(&mut samples);
    println!("mediation tracking book, built afresh after a write: GET …/so-theo-doi.xlsx ({} rows, {size} bytes): median {}, p95 {} — target < {}{}", BIG.min(total), ms(m), ms(p), ms(PAGE_TARGET), verdict(m, p, PAGE_TARGET));
    let (m, p, size) = testkit::bench::time_get(&client, &book_url, warmup, n).await.map_err(e)?;
    println!("mediation tracking book, unchanged since it was built (served from mediation_book_cache): GET …/so-theo-doi.xlsx ({} rows, {size} bytes): median {}, p95 {} — target < {}{}", BIG.min(total), ms(m), ms(p), ms(PAGE_TARGET), verdict(m, p, PAGE_TARGET));
    // Where the book's time goes: reading and shaping the rows, then writing the workbook.
    let team = mediation::store::team(&db, big_team).await?;
    let (mut read, mut write) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..warmup + n {
        let t = Instant::now();
        let book = mediation::export::book(&db, &team, year).await.map_err(|x| e(x.to_string()))?;
        let r = t.elapsed();
        let t = Instant::now();
        let bytes = mediation::export::book_xlsx(&book).map_err(|x| e(x.to_string()))?;
        if i >= warmup {
            read.push(r);
            write.push(t.elapsed());
        }
        std::hint::black_box(bytes);
    }
    let ((rm, rp), (wm, wp)) = (stats(&mut read), stats(&mut write));
    println!("mediation tracking book, in parts: reading {} rows median {}, p95 {}; writing the XLSX median {}, p95 {}", BIG.min(total), ms(rm), ms(rp), ms(wm), ms(wp));
    let (start, end) = mediation::service::year_bounds(year);
    let mut samples = Vec::with_capacity(n);
    let mut cells = 0;
    for i in 0..warmup + n {
        let t = Instant::now();
        let figures = mediation::service::report_figures_port(&db, province.id, None, start, end).await?;
        if i >= warmup {
            samples.push(t.elapsed());
        }
        cells = figures.len();
    }
    let (m, p) = stats(&mut samples);
    println!("mediation prefill: the province's report over {} communes and {} cases ({cells} cells): median {}, p95 {} — target < {}{}", communes.len(), total, ms(m), ms(p), ms(PREFILL_TARGET), verdict(m, p, PREFILL_TARGET));
    println!("mediation peak memory: {}", peak_rss());
    Ok(())
}

fn main() -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mediation: cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mediation: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
