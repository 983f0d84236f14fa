//! `pbgdpl-load`: the load generator of the online legal-knowledge contests (issue 15).
//!
//! It drives a running pbgdpl server (on this machine only: the base URL must be loopback)
//! as many simulated entrants would, and reads the server's database directly for what a real
//! entrant would find elsewhere (the one-time code in their mailbox, i.e. the kernel's outbox)
//! and for the checks at the end.
//!
//! # Subcommands
//!
//! - `setup --database-url URL [--questions 20] [--time-limit-s 1800] [--bank 30]`: creates a
//!   published contest of the demo province (organiser `tinh`) with one open round (now - 1 h to
//!   now + 1 day, one attempt, a prediction question, the default ranking keys, prizes) drawing
//!   `--questions` from a bank of the demo questions. Prints `{"contest":ID,"round":RID}`. The
//!   server must have started once (migrations and `--demo` data).
//! - `run --base-url URL --database-url URL --contest ID --round RID --entrants N …`: N entrants
//!   started evenly over `--ramp-s`, each registering, reading its code, verifying, starting an
//!   attempt, answering every question after a think time, the prediction, submitting and
//!   reading the result. Prints latency per kind of request (p50, p95, p99, max), requests,
//!   req/s and errors; then checks in the database that every acknowledged answer (a 204) is
//!   stored with the acknowledged choice and that every attempt was submitted; ends with one
//!   `RESULT …` line. With `--kill-after-acks K --kill-pidfile F --restart-cmd CMD`, the server
//!   gets SIGKILL after K acknowledged answers and is started again by CMD; entrants reload their
//!   attempt and carry on. Exit status 1 when anything failed (errors, lost answers, attempts not
//!   submitted, p99 over `--max-p99-ms`, the run aborted by `--max-requests`/`--max-seconds`).
//! - `saves --base-url URL --database-url URL --contest ID --round RID --attempts N`: the
//!   answer-save rate of the product against a bare axum server doing the same write on the same
//!   database, in the same run, one after the other; prints both rates and their ratio
//!   (target ≥ 50%).
//! - `ranking-check --urls URL1,URL2 --round RID --username tinh --password P`: the round's
//!   ranking read through several instances with one session must be the same.
//!
//! # The server under test
//!
//! Registration is limited to 30 an hour per client address. Each simulated entrant sends its
//! own `X-Forwarded-For: 10.x.y.z`, which the server believes only from a trusted proxy, so
//! start it with loopback trusted:
//!
//! ```text
//! PBGDPL_TRUSTED_PROXIES='["127.0.0.1/32","::1/128"]' PBGDPL_DEMO_PASSWORD=… \
//!   pbgdpl --database-url sqlite:///tmp/lg.db serve --demo --listen 127.0.0.1:18500
//! pbgdpl-load setup --database-url sqlite:///tmp/lg.db
//! pbgdpl-load run --base-url http://127.0.0.1:18500 --database-url sqlite:///tmp/lg.db \
//!   --contest 2 --round 2 --entrants 50 --ramp-s 2 --think-ms 10..50
//! ```
//!
//! For many entrants raise the open-file limit (`ulimit -n 65536`): each request in flight is a
//! socket.
//!
//! # Layout
//!
//! `flow` the entrant, `http` the shared client and the cookie jars, `html` the reading of the
//! pages, `mailbox` the codes from the outbox, `fault` kill -9 and restart, `stats` latency and
//! percentiles, `check` the database checks, `run`, `saves` (with `baseline`), `setup` and
//! `ranking` the subcommands.

mod baseline;
mod check;
mod fault;
mod flow;
mod html;
mod http;
mod mailbox;
mod ranking;
mod run;
mod saves;
mod setup;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
The server under test must trust loopback as a proxy, or every simulated entrant shares one \
address and registration stops at 30 an hour (429):
  PBGDPL_TRUSTED_PROXIES='[\"127.0.0.1/32\",\"::1/128\"]' pbgdpl --database-url URL serve --demo …
Only loopback base URLs (127.0.0.1, ::1, localhost) are accepted. For thousands of entrants, \
raise the open-file limit first (ulimit -n 65536).";

#[derive(Parser)]
#[command(name = "pbgdpl-load", version, about = "Load generator for the pbgdpl online legal-knowledge contests", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates a published contest with one open round for the load test; prints {"contest":ID,"round":RID}.
    Setup(SetupCli),
    /// Simulates entrants through the whole flow, optionally with kill -9 of the server; checks every acknowledged answer.
    #[command(after_help = AFTER_HELP)]
    Run(RunCli),
    /// Answer-save rate of the product against a bare axum server doing the same write.
    #[command(after_help = AFTER_HELP)]
    Saves(SavesCli),
    /// Reads a round's ranking through several instances and checks it is the same.
    RankingCheck(RankingCli),
}

#[derive(Args)]
struct SetupCli {
    /// The server's database (sqlite://… or postgres://…); the server must have migrated it.
    #[arg(long, env = "PBGDPL_DATABASE_URL")]
    database_url: String,
    /// Questions drawn per attempt.
    #[arg(long, default_value_t = 20)]
    questions: usize,
    /// Time limit of an attempt, in seconds.
    #[arg(long, default_value_t = 1800)]
    time_limit_s: i64,
    /// Questions in the bank (the 30 demo questions, repeated with a suffix past 30).
    #[arg(long, default_value_t = 30)]
    bank: usize,
    /// The organiser account (its unit organises the contest and is the eligible area).
    #[arg(long, default_value = "tinh")]
    organiser: String,
}

/// "MIN..MAX" in milliseconds.
fn parse_range(s: &str) -> Result<(u64, u64), String> {
    let (lo, hi) = s.split_once("..").ok_or_else(|| format!("{s:?}: expected MIN..MAX, e.g. 2000..6000"))?;
    let lo: u64 = lo.trim().parse().map_err(|_| format!("{s:?}: MIN is not a number"))?;
    let hi: u64 = hi.trim().trim_start_matches('=').parse().map_err(|_| format!("{s:?}: MAX is not a number"))?;
    if lo > hi {
        return Err(format!("{s:?}: MIN is larger than MAX"));
    }
    Ok((lo, hi))
}

/// A default run id: the current Unix time in milliseconds, which makes the contacts of a run
/// unique (two runs on one contest never share an entrant).
fn default_run_id() -> String {
    chrono::Utc::now().timestamp_millis().to_string()
}

#[derive(Args)]
struct Target {
    /// The server (or the proxy in front of it); loopback only.
    #[arg(long)]
    base_url: String,
    /// The server's database, read for the one-time codes and the checks.
    #[arg(long, env = "PBGDPL_DATABASE_URL")]
    database_url: String,
    /// The contest id (from `setup`).
    #[arg(long)]
    contest: i64,
    /// The round id (from `setup`).
    #[arg(long)]
    round: i64,
    /// Seed of the choices, think times, communes and years of birth.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Makes this run's contacts unique (load-RUN-N@example.test) [default: the Unix time in ms].
    #[arg(long)]
    run_id: Option<String>,
}

#[derive(Args)]
struct RunCli {
    #[command(flatten)]
    target: Target,
    /// Simulated entrants.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    entrants: u64,
    /// Entrants start evenly over this many seconds.
    #[arg(long, default_value_t = 0.0, value_parser = seconds_f64)]
    ramp_s: f64,
    /// Think time before each answer, uniform in MIN..MAX milliseconds.
    #[arg(long, value_parser = parse_range, default_value = "2000..6000")]
    think_ms: (u64, u64),
    /// Abort (and fail) once more requests than this were needed.
    #[arg(long)]
    max_requests: Option<u64>,
    /// Abort (and fail) after this many seconds.
    #[arg(long, default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    max_seconds: u64,
    /// SIGKILL the server after this many acknowledged answers, then run --restart-cmd.
    #[arg(long, requires_all = ["kill_pidfile", "restart_cmd"])]
    kill_after_acks: Option<u64>,
    /// File holding the server's pid (read at the kill; the restart command rewrites it).
    #[arg(long)]
    kill_pidfile: Option<PathBuf>,
    /// Shell command (bash -c) that starts the server again in the background and returns once /healthz answers.
    #[arg(long)]
    restart_cmd: Option<String>,
    /// Seconds after the restart still counted in the kill window.
    #[arg(long, default_value_t = 5.0, value_parser = seconds_f64)]
    kill_settle_s: f64,
    /// Fail when the p99 of all requests outside the kill window is over this (ms).
    #[arg(long)]
    max_p99_ms: Option<f64>,
    /// A name for the run in the report (e.g. sqlite, postgres, two-instances).
    #[arg(long, default_value = "run")]
    label: String,
}

#[derive(Args)]
struct SavesCli {
    #[command(flatten)]
    target: Target,
    /// Entrants with a started attempt to save answers on.
    #[arg(long)]
    attempts: u64,
    /// Saves in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Duration of each phase (product, then bare axum), in seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    seconds: u64,
    /// Fail when the answer-save rate is under this share (%) of the bare handler's.
    #[arg(long)]
    min_ratio_pct: Option<f64>,
}

#[derive(Args)]
struct RankingCli {
    /// Comma-separated base URLs of the instances (loopback only).
    #[arg(long, value_delimiter = ',', required = true)]
    urls: Vec<String>,
    /// The round id.
    #[arg(long)]
    round: i64,
    /// An organiser who may see the round.
    #[arg(long, default_value = "tinh")]
    username: String,
    /// The organiser's password.
    #[arg(long, env = "PBGDPL_LOAD_PASSWORD")]
    password: String,
}

async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Setup(s) => {
            let args = setup::SetupArgs { database_url: s.database_url, questions: s.questions, time_limit_s: s.time_limit_s, bank: s.bank, organiser: s.organiser };
            let (contest, round) = setup::setup(&args).await?;
            println!("{}", serde_json::json!({ "contest": contest, "round": round }));
            Ok(ExitCode::SUCCESS)
        }
        Command::Run(r) => {
            run::run(run::RunArgs {
                base_url: r.target.base_url,
                database_url: r.target.database_url,
                contest: r.target.contest,
                round: r.target.round,
                entrants: r.entrants,
                ramp_s: r.ramp_s,
                think_ms: r.think_ms,
                seed: r.target.seed,
                run_id: r.target.run_id.unwrap_or_else(default_run_id),
                max_requests: r.max_requests,
                max_seconds: r.max_seconds,
                kill_after_acks: r.kill_after_acks,
                kill_pidfile: r.kill_pidfile,
                restart_cmd: r.restart_cmd,
                kill_settle_s: r.kill_settle_s,
                max_p99_ms: r.max_p99_ms,
                label: r.label,
            })
            .await
        }
        Command::Saves(s) => {
            saves::saves(saves::SavesArgs {
                base_url: s.target.base_url,
                database_url: s.target.database_url,
                contest: s.target.contest,
                round: s.target.round,
                attempts: s.attempts,
                concurrency: s.concurrency,
                seconds: s.seconds,
                min_ratio_pct: s.min_ratio_pct,
                seed: s.target.seed,
                run_id: s.target.run_id.unwrap_or_else(default_run_id),
            })
            .await
        }
        Command::RankingCheck(r) => ranking::ranking_check(&ranking::RankingArgs { urls: r.urls, round: r.round, username: r.username, password: r.password }).await,
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pbgdpl-load: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// A number of seconds between 0 and a day (no infinity, no NaN).
fn seconds_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=86_400.0).contains(&v) => Ok(v),
        _ => Err(format!("expected seconds between 0 and 86400, got {s:?}")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn think_ranges() {
        assert_eq!(parse_range("2000..6000").unwrap(), (2000, 6000));
        assert_eq!(parse_range("10..=50").unwrap(), (10, 50));
        assert_eq!(parse_range("0..0").unwrap(), (0, 0));
        assert!(parse_range("50..10").is_err());
        assert!(parse_range("50").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
