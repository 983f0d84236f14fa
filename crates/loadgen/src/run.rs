//! `pbgdpl-load run`: N simulated entrants started evenly over the ramp, each through the
//! whole flow ([`crate::flow`]), with an optional kill -9 of the server on the way; then the
//! latency tables, the durability check and the attempts' statuses, and a one-line RESULT.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::task::JoinSet;

use crate::check;
use crate::fault::{Fault, Phase};
use crate::flow::{Ctx, Entrant};
use crate::http::{Http, Jar, Req};
use crate::mailbox::Mailbox;
use crate::stats::{self, Sample};

pub struct RunArgs {
    pub base_url: String,
    pub database_url: String,
    pub contest: i64,
    pub round: i64,
    pub entrants: u64,
    pub ramp_s: f64,
    pub think_ms: (u64, u64),
    pub seed: u64,
    pub run_id: String,
    pub max_requests: Option<u64>,
    pub max_seconds: u64,
    pub kill_after_acks: Option<u64>,
    pub kill_pidfile: Option<PathBuf>,
    pub restart_cmd: Option<String>,
    pub kill_settle_s: f64,
    pub max_p99_ms: Option<f64>,
    pub label: String,
}

/// Checks that the server answers `/healthz`.
pub async fn check_health(http: &Http) -> anyhow::Result<()> {
    let jar = Jar::default();
    let r = http.send(&Req::get("/healthz".into(), &jar, None)).await.map_err(|e| anyhow::anyhow!("{}/healthz: {e}", http.base()))?;
    if r.status != 200 {
        bail!("{}/healthz: {}", http.base(), r.describe());
    }
    Ok(())
}

/// Checks that the round belongs to the contest and is open now.
pub async fn check_round(db: &kernel::Db, contest: i64, round: i64) -> anyhow::Result<contests::store::Round> {
    let r = contests::store::round(db, round).await.with_context(|| format!("no round {round} in the database"))?;
    if r.contest_id != contest {
        bail!("round {round} belongs to contest {}, not {contest}", r.contest_id);
    }
    if !r.is_open(kernel::now()) {
        bail!("round {round} is not open now (published, {} to {})", r.starts_at, r.ends_at);
    }
    Ok(r)
}

pub async fn run(a: RunArgs) -> anyhow::Result<ExitCode> {
    let http = Http::new(&a.base_url)?;
    check_health(&http).await?;
    let db = check::connect(&a.database_url).await?;
    let round = check_round(&db, a.contest, a.round).await?;
    let mailbox = Mailbox::start(db.clone()).await?;
    let t0 = Instant::now();
    let fault = match (a.kill_after_acks, &a.kill_pidfile, &a.restart_cmd) {
        (Some(k), Some(pidfile), Some(cmd)) => Some(Arc::new(Fault::new(k.max(1), pidfile.clone(), cmd.clone(), Duration::from_secs_f64(a.kill_settle_s.max(0.0)), t0))),
        (None, _, _) => None,
        _ => bail!("--kill-after-acks needs --kill-pidfile and --restart-cmd"),
    };
    let ctx = Arc::new(Ctx::new(http, stats::Recorder::starting(t0), fault.clone(), mailbox, a.contest, a.round, a.run_id.clone(), a.seed, a.think_ms, a.max_requests));
    eprintln!(
        "run {}: {} entrants over {} s on {} (contest {}, round {}: {} questions, {} s each attempt), think {}..{} ms, seed {}, contacts load-{}-N@example.test",
        a.label, a.entrants, a.ramp_s, ctx.http.base(), a.contest, a.round, round.question_count(), round.time_limit_s, a.think_ms.0, a.think_ms.1, a.seed, a.run_id
    );

    let mut set = JoinSet::new();
    let n = a.entrants.max(1);
    for i in 0..a.entrants {
        let ctx = ctx.clone();
        let at = t0 + Duration::from_secs_f64(a.ramp_s.max(0.0) * i as f64 / n as f64);
        set.spawn(async move {
            tokio::time::sleep_until(at.into()).await;
            if !ctx.aborted() {
                Entrant::new(&ctx, i).run().await;
            }
        });
    }
    let deadline = t0 + Duration::from_secs(a.max_seconds);
    let mut last_progress = Instant::now();
    let mut abort_seen: Option<Instant> = None;
    loop {
        match tokio::time::timeout(Duration::from_millis(200), set.join_next()).await {
            Ok(None) => break,
            Ok(Some(Err(e))) if e.is_panic() => {
                ctx.panicked.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
        let now = Instant::now();
        if now >= deadline && !ctx.aborted() {
            ctx.abort_with(format!("the run took longer than --max-seconds {}", a.max_seconds));
        }
        if ctx.aborted() {
            // Entrants stop at their next request; those asleep are stopped after a moment.
            let since = *abort_seen.get_or_insert(now);
            if now.duration_since(since) > Duration::from_secs(2) {
                set.abort_all();
                while set.join_next().await.is_some() {}
                break;
            }
        }
        if now.duration_since(last_progress) >= Duration::from_secs(10) {
            last_progress = now;
            eprintln!(
                "  {:>5.0} s: {} requests, {} answers acknowledged, {} entrants done, {} errors, {} interrupted",
                now.duration_since(t0).as_secs_f64(),
                ctx.rec.requests.load(Ordering::Relaxed),
                ctx.ack_count.load(Ordering::Relaxed),
                ctx.finished.load(Ordering::Relaxed),
                ctx.rec.errors.load(Ordering::Relaxed),
                ctx.rec.interrupted.load(Ordering::Relaxed)
            );
        }
    }
    let elapsed = t0.elapsed();
    report(&a, &ctx, &db, fault.as_deref(), elapsed).await
}

async fn report(a: &RunArgs, ctx: &Ctx, db: &kernel::Db, fault: Option<&Fault>, elapsed: Duration) -> anyhow::Result<ExitCode> {
    let mut failures: Vec<String> = Vec::new();
    if let Some(reason) = ctx.abort_reason() {
        failures.push(format!("ABORTED: {reason}"));
    }
    let samples = ctx.rec.samples();
    let window = fault.and_then(Fault::window_us);
    let (in_window, outside): (Vec<&Sample>, Vec<&Sample>) = samples.iter().partition(|s| window.is_some_and(|(from, to)| stats::overlaps(s, from, to)));
    let requests = ctx.rec.requests.load(Ordering::Relaxed);
    let errors = ctx.rec.errors.load(Ordering::Relaxed);
    let interrupted = ctx.rec.interrupted.load(Ordering::Relaxed);
    println!();
    println!("== pbgdpl-load run [{}] on {} ==", a.label, ctx.http.base());
    println!(
        "entrants: {} over {} s, think {}..{} ms, seed {}; finished (saw their result): {}",
        a.entrants,
        a.ramp_s,
        a.think_ms.0,
        a.think_ms.1,
        a.seed,
        ctx.finished.load(Ordering::Relaxed)
    );
    println!(
        "requests: {requests} in {:.1} s ({:.1} req/s); errors: {errors}; interrupted by the kill (retried, not errors): {interrupted}",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64().max(0.001)
    );
    let code = ctx.rec.code_waits();
    if code.count > 0 {
        println!("one-time code found in the outbox after: p50 {} ms, p99 {} ms, max {} ms", stats::ms(code.p50), stats::ms(code.p99), stats::ms(code.max));
    }
    println!();
    let main = stats::table(&outside);
    if window.is_some() {
        println!("latency outside the kill window (the kill window is excluded from these percentiles):");
    } else {
        println!("latency:");
    }
    print!("{}", main.render());
    if let Some(f) = fault {
        println!();
        match (f.phase(), window) {
            (Phase::Armed, _) => failures.push(format!("the kill never happened: only {} answers were acknowledged (--kill-after-acks {})", ctx.ack_count.load(Ordering::Relaxed), f.after_acks)),
            (Phase::Failed(m), _) => failures.push(format!("kill -9 fault failed: {m}")),
            (_, Some((from, to))) => {
                let report = f.report.lock().ok().and_then(|r| *r);
                if let Some((pid, took)) = report {
                    println!(
                        "kill -9 of pid {pid} at {:.1} s after {} acknowledged answers; restart took {:.1} s; window to {:.1} s (restart + {} s settling)",
                        from as f64 / 1e6,
                        f.after_acks,
                        took.as_secs_f64(),
                        to as f64 / 1e6,
                        a.kill_settle_s
                    );
                }
                println!(
                    "attempt pages reloaded after the restart: {}; acknowledged answers they did not show: {}",
                    ctx.resumed.load(Ordering::Relaxed),
                    ctx.resume_mismatches.load(Ordering::Relaxed)
                );
                println!("latency of requests overlapping the kill window (reported apart):");
                print!("{}", stats::table(&in_window).render());
            }
            (_, None) => {}
        }
    }
    let log = ctx.rec.error_log();
    if !log.is_empty() {
        println!();
        println!("first errors:");
        for e in &log {
            println!("  {e}");
        }
    }
    if ctx.throttled.load(Ordering::Relaxed) > 0 {
        println!("  (429 on registration: the per-address limit; start the server with loopback as a trusted proxy, see --help)");
    }

    println!();
    let acks = ctx.acks();
    let durability = check::durability(db, &acks).await?;
    println!("acknowledged answers: {}, lost or different: {}", durability.acknowledged, durability.lost);
    for e in &durability.examples {
        println!("  {e}");
    }
    let outcomes = check::outcomes(db, a.contest, &ctx.contact_pattern()).await?;
    let statuses = outcomes.by_status.iter().map(|(s, n)| format!("{s} {n}")).collect::<Vec<_>>().join(", ");
    let attempts: i64 = outcomes.by_status.iter().map(|(_, n)| n).sum();
    println!(
        "entrants registered: {} of {}; with an attempt: {attempts}; attempts by status: {}",
        outcomes.registered,
        a.entrants,
        if statuses.is_empty() { "none".into() } else { statuses }
    );
    let submitted = outcomes.count("submitted");
    if submitted != i64::try_from(a.entrants).unwrap_or(i64::MAX) {
        failures.push(format!("{submitted} of {} entrants' attempts were submitted", a.entrants));
    }
    if errors > 0 {
        failures.push(format!("{errors} errors"));
    }
    if durability.lost > 0 {
        failures.push(format!("{} acknowledged answers lost or different", durability.lost));
    }
    // An acknowledged answer that a reloaded attempt page no longer showed was lost, even if the
    // entrant then answered the question again (which the check above would not see).
    let unshown = ctx.resume_mismatches.load(Ordering::Relaxed);
    if unshown > 0 {
        failures.push(format!("{unshown} acknowledged answers missing from the attempt pages after the restart"));
    }
    let panicked = ctx.panicked.load(Ordering::Relaxed);
    if panicked > 0 {
        failures.push(format!("{panicked} simulated entrants stopped on an internal fault"));
    }
    if let Some(max) = a.max_p99_ms
        && f64::from(main.all.p99) / 1000.0 > max
    {
        failures.push(format!("p99 {} ms is over --max-p99-ms {max}", stats::ms(main.all.p99)));
    }
    println!();
    for f in &failures {
        println!("FAILED: {f}");
    }
    println!(
        "RESULT label={} entrants={} requests={} req_per_s={:.1} errors={} interrupted={} p50_ms={} p95_ms={} p99_ms={} max_ms={} acked={} lost={} submitted={} kill={} ok={}",
        a.label,
        a.entrants,
        requests,
        requests as f64 / elapsed.as_secs_f64().max(0.001),
        errors,
        interrupted,
        stats::ms(main.all.p50),
        stats::ms(main.all.p95),
        stats::ms(main.all.p99),
        stats::ms(main.all.max),
        durability.acknowledged,
        durability.lost,
        submitted,
        if window.is_some() { "yes" } else { "no" },
        failures.is_empty()
    );
    Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
