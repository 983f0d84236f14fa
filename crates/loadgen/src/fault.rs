//! The kill -9 fault: after K acknowledged answers the server's process (its pid read from the
//! pidfile) gets SIGKILL, then the restart command starts it again and waits for `/healthz`.
//!
//! The kill window runs from the moment just before the signal to the end of the restart plus a
//! settling time. Transport failures (and 502/503/504 from a proxy in front) inside it are
//! "interrupted by the kill", retried after the restart and not counted as errors; latencies of
//! requests that overlap it are reported in a table of their own and left out of the main
//! percentiles.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// Where the fault stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the K-th acknowledged answer.
    Armed,
    /// Killed; the restart command runs.
    Down,
    /// Running again.
    Up,
    /// The kill or the restart failed (the run is aborted).
    Failed(String),
}

pub struct Fault {
    pub after_acks: u64,
    pidfile: PathBuf,
    restart_cmd: String,
    settle: Duration,
    t0: Instant,
    phase: watch::Sender<Phase>,
    /// Microseconds since the run's start, `u64::MAX` while not yet.
    killed_at_us: AtomicU64,
    restarted_at_us: AtomicU64,
    /// The pid that was killed and how long the restart took, for the report.
    pub report: Mutex<Option<(u32, Duration)>>,
}

/// Longest wait for the restart command.
const RESTART_TIMEOUT: Duration = Duration::from_secs(300);

impl Fault {
    pub fn new(after_acks: u64, pidfile: PathBuf, restart_cmd: String, settle: Duration, t0: Instant) -> Fault {
        Fault {
            after_acks,
            pidfile,
            restart_cmd,
            settle,
            t0,
            phase: watch::Sender::new(Phase::Armed),
            killed_at_us: AtomicU64::new(u64::MAX),
            restarted_at_us: AtomicU64::new(u64::MAX),
            report: Mutex::new(None),
        }
    }

    fn us(&self, t: Instant) -> u64 {
        u64::try_from(t.saturating_duration_since(self.t0).as_micros()).unwrap_or(u64::MAX)
    }

    pub fn phase(&self) -> Phase {
        self.phase.borrow().clone()
    }

    /// How many restarts have completed (0 or 1): an entrant that saw fewer reloads its attempt.
    pub fn generation(&self) -> u64 {
        u64::from(matches!(*self.phase.borrow(), Phase::Up))
    }

    /// The kill window in microseconds since the run's start: (kill, restart + settle), the end
    /// `u64::MAX` while the server is down; `None` before the kill.
    pub fn window_us(&self) -> Option<(u64, u64)> {
        let from = self.killed_at_us.load(Ordering::SeqCst);
        if from == u64::MAX {
            return None;
        }
        let up = self.restarted_at_us.load(Ordering::SeqCst);
        let to = if up == u64::MAX { u64::MAX } else { up.saturating_add(u64::try_from(self.settle.as_micros()).unwrap_or(u64::MAX)) };
        Some((from, to))
    }

    /// Whether `t` falls in the kill window.
    pub fn in_window(&self, t: Instant) -> bool {
        let now = self.us(t);
        self.window_us().is_some_and(|(from, to)| now >= from && now <= to)
    }

    /// Waits until the server is up again; `Err` with the reason when the restart failed.
    pub async fn wait_up(&self) -> Result<(), String> {
        let mut rx = self.phase.subscribe();
        let p = rx.wait_for(|p| matches!(p, Phase::Up | Phase::Failed(_))).await.map_err(|e| e.to_string())?.clone();
        match p {
            Phase::Failed(m) => Err(m),
            _ => Ok(()),
        }
    }

    /// Kills the server and runs the restart command (called once, by the K-th acknowledgement).
    pub async fn kill_and_restart(&self) {
        let outcome = self.try_kill_and_restart().await;
        match outcome {
            Ok(()) => {
                self.restarted_at_us.store(self.us(Instant::now()), Ordering::SeqCst);
                self.phase.send_replace(Phase::Up);
            }
            Err(m) => {
                if self.killed_at_us.load(Ordering::SeqCst) == u64::MAX {
                    self.killed_at_us.store(self.us(Instant::now()), Ordering::SeqCst);
                }
                self.phase.send_replace(Phase::Failed(m));
            }
        }
    }

    async fn try_kill_and_restart(&self) -> Result<(), String> {
        let text = tokio::fs::read_to_string(&self.pidfile).await.map_err(|e| format!("cannot read the pidfile {}: {e}", self.pidfile.display()))?;
        let pid: u32 = text.trim().parse().map_err(|_| format!("the pidfile {} holds {:?}, not a pid", self.pidfile.display(), text.trim()))?;
        self.killed_at_us.store(self.us(Instant::now()), Ordering::SeqCst);
        self.phase.send_replace(Phase::Down);
        eprintln!("kill -9 {pid} (after {} acknowledged answers)", self.after_acks);
        let status = tokio::process::Command::new("kill").args(["-9", &pid.to_string()]).status().await.map_err(|e| format!("kill -9 {pid}: {e}"))?;
        if !status.success() {
            return Err(format!("kill -9 {pid} failed ({status})"));
        }
        let started = Instant::now();
        eprintln!("restarting: {}", self.restart_cmd);
        let run = tokio::process::Command::new("bash").arg("-c").arg(&self.restart_cmd).stdin(std::process::Stdio::null()).status();
        let status = tokio::time::timeout(RESTART_TIMEOUT, run)
            .await
            .map_err(|_| format!("the restart command did not finish within {} s", RESTART_TIMEOUT.as_secs()))?
            .map_err(|e| format!("the restart command could not run: {e}"))?;
        if !status.success() {
            return Err(format!("the restart command failed ({status})"));
        }
        let took = started.elapsed();
        eprintln!("server up again after {:.1} s", took.as_secs_f64());
        if let Ok(mut r) = self.report.lock() {
            *r = Some((pid, took));
        }
        Ok(())
    }
}
