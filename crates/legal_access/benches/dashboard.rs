//! Legal-access dashboard benchmark (issue 13): the province's round page with 200 communes.
//!
//! `cargo bench -p legal_access --bench dashboard`; `PBGDPL_BENCH_QUICK=1` for a short run.
//!
//! Setup (not timed): a temporary SQLite database, migrated, with the official units and the
//! shipped rule sets; a round of this year opened for the province with the most communes, with
//! 200 assessments (its communes, then communes of other provinces to reach 200), each with all
//! 14 indicators filled and a third of them submitted. Timed: `GET /chuan-tiep-can/dot/{id}` over
//! HTTP against the real router as a justice officer of that province (counts, the two charts,
//! the weakest indicators, the year comparison and the 200-row table), beside `GET /healthz` on
//! the same server as the baseline. Target: median < 100 ms. A miss prints "OVER TARGET" but
//! does not fail.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use kernel::db::Db;
use kernel::unit::UnitLevel;
use legal_access::rules::ruleset::Measure;
use testkit::bench::{Rng, load_average, ms, peak_rss, quick, verdict};

const TARGET: Duration = Duration::from_millis(100);
const PASSWORD: &str = "Bench-pass-2026";
const USERNAME: &str = "bench_tinh";
const COMMUNES: usize = 200;

async fn run() -> Result<()> {
    let quick = quick();
    let (warmup, n) = if quick { (2, 10) } else { (5, 50) };
    println!(
        "legal_access: {} mode, {warmup} + {n} page loads, {} CPUs, load average {}{}",
        if quick { "quick" } else { "full" },
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        load_average(),
        if cfg!(debug_assertions) { " (DEBUG BUILD: figures not representative)" } else { "" }
    );
    let dir = tempfile::tempdir()?;
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await?;
    db.migrate(&[kernel::db::migrations(), plans::migrations(), legal_access::migrations()]).await?;
    legal_access::service::seed_rulesets(&db).await?;
    kernel::db::units::load_if_empty(&db).await?;
    let today = kernel::page::today();
    let provinces: Vec<_> = kernel::db::units::children(&db, None, Some(today)).await?.into_iter().filter(|u| u.level() == Some(UnitLevel::Province)).collect();
    let mut best = None;
    let mut all_communes = Vec::new();
    for p in &provinces {
        let c: Vec<i64> = kernel::db::units::children(&db, Some(p.id), Some(today)).await?.into_iter().filter(|u| u.level() == Some(UnitLevel::Commune)).map(|u| u.id).collect();
        if best.as_ref().is_none_or(|(_, n): &(kernel::db::units::Unit, usize)| c.len() > *n) {
            best = Some((p.clone(), c.len()));
        }
        all_communes.push((p.id, c));
    }
    let (province, _) = best.context("no province")?;
    let mut communes: Vec<i64> = all_communes.iter().find(|(id, _)| *id == province.id).map(|(_, c)| c.clone()).unwrap_or_default();
    for (_, c) in &all_communes {
        for id in c {
            if communes.len() < COMMUNES && !communes.contains(id) {
                communes.push(*id);
            }
        }
    }
    communes.truncate(COMMUNES);
    let hash = kernel::auth::hash_password(PASSWORD.into()).await?;
    let mut tx = db.begin().await?;
    let account = kernel::db::accounts::create(&mut tx, &kernel::db::accounts::NewAccount {
        username: USERNAME.into(),
        full_name: "Cán bộ tư pháp thử hiệu năng".into(),
        email: None,
        password_hash: hash,
        role: "justice_officer".into(),
        unit_id: province.id,
        agency_id: None,
        must_change_password: false,
    })
    .await?;
    let year = chrono::Datelike::year(&today);
    let (row, rs) = legal_access::service::governing(&db, year).await?.context("no rule set")?;
    let round = legal_access::store::create_round(&mut tx, province.id, year.into(), row.id, today, today + chrono::Duration::days(30), account).await?;
    let mut rng = Rng(0x7062_6764_706c_0013);
    for (k, unit) in communes.iter().enumerate() {
        let aid = legal_access::store::create_assessment(&mut tx, round, *unit).await?;
        for ind in rs.indicators() {
            let mut v = legal_access::store::ValueRow { assessment_id: aid, indicator: ind.code.clone(), ..Default::default() };
            match ind.measure {
                Measure::Ratio => {
                    let den = 10 + rng.below(40) as i64;
                    v.numerator = Some(den - rng.below(4) as i64);
                    v.denominator = Some(den);
                }
                Measure::Count => v.numerator = Some(rng.below(20) as i64),
                Measure::YesNo => v.yes = Some(rng.below(10) > 0),
            }
            legal_access::store::upsert_value(&mut tx, &v).await?;
        }
        if k % 3 == 0 {
            legal_access::store::set_submitted(&mut tx, aid).await?;
        }
    }
    tx.commit().await?;
    let registry = kernel::registry::Registry { menu: legal_access::MENU.to_vec(), ..Default::default() };
    let base = testkit::bench::serve(&db, registry, legal_access::routes).await.map_err(anyhow::Error::msg)?;
    let client = testkit::bench::signed_in(&base, USERNAME, PASSWORD).await.map_err(anyhow::Error::msg)?;
    let (hm, hp, _) = testkit::bench::time_get(&client, &format!("{base}/healthz"), warmup, n).await.map_err(anyhow::Error::msg)?;
    let (m, p, size) = testkit::bench::time_get(&client, &format!("{base}/chuan-tiep-can/dot/{round}"), warmup, n).await.map_err(anyhow::Error::msg)?;
    println!("legal_access baseline: GET /healthz on the same server: median {}, p95 {}", ms(hm), ms(hp));
    println!(
        "legal_access dashboard: GET /chuan-tiep-can/dot/{{id}} of {} ({} communes, {} indicators each, {} bytes): median {}, p95 {} — target < {}: {}",
        province.name,
        communes.len(),
        rs.indicators().count(),
        size,
        ms(m),
        ms(p),
        ms(TARGET),
        verdict(m, p, TARGET)
    );
    println!("legal_access peak memory: {}", peak_rss());
    Ok(())
}

fn main() -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("legal_access: cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("legal_access: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
