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

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use kernel::db::Db;
use kernel::unit::UnitLevel;
use legal_access::rules::ruleset::Measure;
use testkit::bench::{Rng, load_average, ms, peak_rss, quick, stats, verdict};

const TARGET: Duration = Duration::from_millis(100);
const PASSWORD: &str = "Bench-pass-2026";
const USERNAME: &str = "bench_tinh";
const COMMUNES: usize = 200;

fn csrf_in(html: &str) -> String {
    html.split("name=\"_csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string()
}

async fn start_server(db: &Db) -> Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("binding 127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let config = kernel::config::Config { base_url: format!("http://{addr}"), ..kernel::config::Config::default() };
    let registry = kernel::registry::Registry { menu: legal_access::MENU.to_vec(), ..Default::default() };
    let state = kernel::state::AppState::with_registry(db.clone(), config, registry);
    let app = kernel::middleware::wrap(kernel::routes::assemble(legal_access::routes(&state)), state);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await {
            eprintln!("legal_access: server error: {e}");
        }
    });
    Ok(format!("http://{addr}"))
}

async fn login(base: &str) -> Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let html = client.get(format!("{base}/dang-nhap")).send().await?.text().await?;
    let csrf = csrf_in(&html);
    let r = client.post(format!("{base}/dang-nhap")).form(&[("_csrf", csrf.as_str()), ("username", USERNAME), ("password", PASSWORD)]).send().await?;
    if r.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("login failed: HTTP {}", r.status());
    }
    Ok(client)
}

async fn time_get(client: &reqwest::Client, url: &str, warmup: usize, n: usize) -> Result<(Duration, Duration, usize)> {
    let mut size = 0;
    for _ in 0..warmup {
        size = client.get(url).send().await?.bytes().await?.len();
    }
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = client.get(url).send().await?;
        if !r.status().is_success() {
            bail!("{url}: HTTP {}", r.status());
        }
        size = r.bytes().await?.len();
        samples.push(t.elapsed());
    }
    let (m, p) = stats(&mut samples);
    Ok((m, p, size))
}

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
    let base = start_server(&db).await?;
    let client = login(&base).await?;
    let (hm, hp, _) = time_get(&client, &format!("{base}/healthz"), warmup, n).await?;
    let (m, p, size) = time_get(&client, &format!("{base}/chuan-tiep-can/dot/{round}"), warmup, n).await?;
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
