//! `pbgdpl-load saves`: the answer-save rate of the product against a bare axum baseline, in
//! the same run, one after the other. First N entrants register and start an attempt (no think
//! time); then, for the given seconds and concurrency, the product's answer endpoint is hammered
//! (`POST …/tra-loi` with `X-Requested-With`, cycling over attempts, positions and choices) and
//! the 204s are counted per second; then the same pattern against the baseline
//! ([`crate::baseline`]).

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::bail;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::baseline;
use crate::check;
use crate::flow::{Ctx, Entrant, Started};
use crate::http::{Http, Jar, Req};
use crate::mailbox::Mailbox;
use crate::run::{check_health, check_round};
use crate::stats::{self, Recorder, Summary};

pub struct SavesArgs {
    pub base_url: String,
    pub database_url: String,
    pub contest: i64,
    pub round: i64,
    pub attempts: u64,
    pub concurrency: usize,
    pub seconds: u64,
    /// Fail when the product's rate is under this share (%) of the bare handler's.
    pub min_ratio_pct: Option<f64>,
    pub seed: u64,
    pub run_id: String,
}

/// What one hammering phase measured.
struct PhaseResult {
    /// 204s completed within the phase, per second.
    per_second: Vec<u64>,
    ok: u64,
    errors: u64,
    first_errors: Vec<String>,
    latency: Summary,
    seconds: f64,
}

impl PhaseResult {
    fn rate(&self) -> f64 {
        self.ok as f64 / self.seconds.max(0.001)
    }
}

/// The (attempt, position, choice) of the `idx`-th save: consecutive saves go to different
/// attempts, and each attempt's positions and choices are cycled through.
fn target(prepared: &[Started], idx: u64) -> (&Started, i64, usize) {
    let n = prepared.len() as u64;
    let s = &prepared[(idx % n) as usize];
    let lap = idx / n;
    let qs = &s.page.questions;
    let q = &qs[(lap % qs.len() as u64) as usize];
    let choice = ((lap / qs.len() as u64) % q.options.max(1) as u64) as usize;
    (s, q.position, choice)
}

/// Sends saves for `seconds` at `concurrency`: to the product (`baseline` None) or to the
/// baseline server's `/save`.
async fn hammer(http: Http, contest: i64, prepared: Arc<Vec<Started>>, baseline: bool, concurrency: usize, seconds: u64) -> PhaseResult {
    let start = Instant::now();
    let end = start + Duration::from_secs(seconds);
    let next = Arc::new(AtomicU64::new(0));
    let per_second: Arc<Vec<AtomicU64>> = Arc::new((0..seconds.max(1)).map(|_| AtomicU64::new(0)).collect());
    let errors = Arc::new(AtomicU64::new(0));
    let log = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut set = JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let (http, prepared, next, per_second, errors, log) = (http.clone(), prepared.clone(), next.clone(), per_second.clone(), errors.clone(), log.clone());
        set.spawn(async move {
            let mut latencies = Vec::new();
            let empty = Jar::default();
            while Instant::now() < end {
                let idx = next.fetch_add(1, Ordering::Relaxed);
                let (s, pos, choice) = target(&prepared, idx);
                let req = if baseline {
                    Req::post("/save".into(), vec![("attempt", s.attempt.to_string()), ("pos", pos.to_string()), ("chon", choice.to_string())], &empty, None)
                } else {
                    let form = vec![("_csrf", s.csrf.clone()), ("pos", pos.to_string()), ("chon", choice.to_string())];
                    Req::post(format!("/cuoc-thi/{contest}/bai/{}/tra-loi", s.attempt), form, &s.jar, Some(&s.address)).fetch()
                };
                let sent = Instant::now();
                let outcome = http.send(&req).await;
                let done = Instant::now();
                let problem = match outcome {
                    Ok(r) if r.status == 204 => {
                        if done < end {
                            latencies.push(stats::micros(done - sent));
                            let second = done.duration_since(start).as_secs() as usize;
                            if let Some(c) = per_second.get(second) {
                                c.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        None
                    }
                    Ok(r) => Some(r.describe()),
                    Err(e) => Some(format!("transport error: {e}")),
                };
                if let Some(p) = problem {
                    errors.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut l) = log.lock()
                        && l.len() < 10
                    {
                        l.push(format!("POST {}: {p}", req.path));
                    }
                }
            }
            latencies
        });
    }
    let mut all = Vec::new();
    while let Some(r) = set.join_next().await {
        if let Ok(l) = r {
            all.extend(l);
        }
    }
    let per_second: Vec<u64> = per_second.iter().map(|c| c.load(Ordering::Relaxed)).collect();
    PhaseResult {
        ok: per_second.iter().sum(),
        per_second,
        errors: errors.load(Ordering::Relaxed),
        first_errors: log.lock().map(|l| l.clone()).unwrap_or_default(),
        latency: stats::summarise(all),
        seconds: seconds as f64,
    }
}

fn print_phase(name: &str, p: &PhaseResult) {
    println!(
        "{name}: {:.0}/s ({} saves acknowledged in {} s; errors {}); latency p50 {} ms, p99 {} ms, max {} ms",
        p.rate(),
        p.ok,
        p.seconds,
        p.errors,
        stats::ms(p.latency.p50),
        stats::ms(p.latency.p99),
        stats::ms(p.latency.max)
    );
    println!("  per second: {}", p.per_second.iter().map(u64::to_string).collect::<Vec<_>>().join(" "));
    for e in &p.first_errors {
        println!("  {e}");
    }
}

pub async fn saves(a: SavesArgs) -> anyhow::Result<ExitCode> {
    let http = Http::new(&a.base_url)?;
    check_health(&http).await?;
    let db = check::connect(&a.database_url).await?;
    check_round(&db, a.contest, a.round).await?;
    let mailbox = Mailbox::start(db.clone()).await?;
    let ctx = Arc::new(Ctx::new(http.clone(), Recorder::new(), None, mailbox, a.contest, a.round, a.run_id.clone(), a.seed, (0, 0), None));

    eprintln!("preparing {} entrants with a started attempt (contacts load-{}-N@example.test)…", a.attempts, a.run_id);
    let gate = Arc::new(Semaphore::new(a.concurrency.clamp(1, 32)));
    let mut set = JoinSet::new();
    for i in 0..a.attempts {
        let (ctx, gate) = (ctx.clone(), gate.clone());
        set.spawn(async move {
            let _permit = gate.acquire_owned().await.ok()?;
            Entrant::new(&ctx, i).prepare().await.ok()
        });
    }
    let mut prepared = Vec::new();
    while let Some(r) = set.join_next().await {
        if let Ok(Some(s)) = r {
            prepared.push(s);
        }
    }
    prepared.sort_by_key(|s| s.attempt);
    let prep_errors = ctx.rec.errors.load(Ordering::Relaxed);
    for e in ctx.rec.error_log() {
        println!("  preparing: {e}");
    }
    if prepared.is_empty() {
        bail!("no entrant could start an attempt");
    }
    let prepared = Arc::new(prepared);

    eprintln!("answer saves through the product for {} s at concurrency {}…", a.seconds, a.concurrency);
    let product = hammer(http, a.contest, prepared.clone(), false, a.concurrency, a.seconds).await;
    let server = baseline::start(&a.database_url).await?;
    let base_http = Http::new(&format!("http://{}", server.addr))?;
    eprintln!("the same saves through a bare axum server ({}) for {} s…", server.addr, a.seconds);
    let bare = hammer(base_http, a.contest, prepared.clone(), true, a.concurrency, a.seconds).await;
    drop(server);

    println!();
    println!("== pbgdpl-load saves on {} ==", a.base_url);
    println!("attempts: {} started ({} wanted; preparation errors {prep_errors}); concurrency {}; {} s per phase", prepared.len(), a.attempts, a.concurrency, a.seconds);
    print_phase("product (POST /cuoc-thi/…/tra-loi)", &product);
    print_phase("bare axum (POST /save, same UPDATE in its own transaction)", &bare);
    let ratio = if bare.rate() > 0.0 { 100.0 * product.rate() / bare.rate() } else { 0.0 };
    println!("answer saves: {:.0}/s; bare axum: {:.0}/s; ratio {:.0}% (target ≥ 50%)", product.rate(), bare.rate(), ratio);
    // The exit status says whether the measurement is sound (no errors) and, when
    // --min-ratio-pct is given, whether the ratio reaches it.
    let sound = product.errors == 0 && bare.errors == 0 && prep_errors == 0;
    let ok = sound && a.min_ratio_pct.is_none_or(|min| ratio >= min);
    if let Some(min) = a.min_ratio_pct
        && ratio < min
    {
        println!("UNDER TARGET: the ratio {ratio:.0}% is under --min-ratio-pct {min}");
    }
    println!(
        "RESULT saves product_per_s={:.0} bare_per_s={:.0} ratio_pct={:.0} meets_target={} product_p99_ms={} bare_p99_ms={} errors={} ok={ok}",
        product.rate(),
        bare.rate(),
        ratio,
        ratio >= 50.0,
        stats::ms(product.latency.p99),
        stats::ms(bare.latency.p99),
        product.errors + bare.errors + prep_errors,
    );
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
