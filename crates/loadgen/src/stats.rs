//! Latency samples, percentiles and the tables printed at the end of a run.
//!
//! Every completed HTTP exchange is one [`Sample`]: its kind, when it started and how long it
//! took (to the last byte of the body), in microseconds. Samples are classified only at the end,
//! once the kill window (if any) is known, so a request is put in the kill window's table when
//! its interval overlaps the window, whenever it was recorded.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The kinds of request the tables break latency down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Register,
    Verify,
    Start,
    AttemptPage,
    Answer,
    Prediction,
    Submit,
    Result,
    /// The contest page, the code page and the contest page after verification.
    OtherGet,
}

impl Kind {
    pub const ALL: [Kind; 9] = [Kind::Register, Kind::Verify, Kind::Start, Kind::AttemptPage, Kind::Answer, Kind::Prediction, Kind::Submit, Kind::Result, Kind::OtherGet];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Register => "register",
            Kind::Verify => "verify",
            Kind::Start => "start",
            Kind::AttemptPage => "attempt page",
            Kind::Answer => "answer",
            Kind::Prediction => "prediction",
            Kind::Submit => "submit",
            Kind::Result => "result",
            Kind::OtherGet => "other GETs",
        }
    }
}

/// One completed request.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub kind: Kind,
    /// Microseconds since the start of the run.
    pub start_us: u64,
    /// Duration in microseconds.
    pub dur_us: u32,
}

/// Count and percentiles of a set of durations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub count: usize,
    pub p50: u32,
    pub p95: u32,
    pub p99: u32,
    pub max: u32,
}

/// The nearest-rank percentile `p` (0..=100) of sorted values; 0 for none.
pub fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let n = sorted.len();
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    sorted[rank.clamp(1, n) - 1]
}

/// Sorts `values` and summarises them.
pub fn summarise(mut values: Vec<u32>) -> Summary {
    values.sort_unstable();
    Summary {
        count: values.len(),
        p50: percentile(&values, 50.0),
        p95: percentile(&values, 95.0),
        p99: percentile(&values, 99.0),
        max: values.last().copied().unwrap_or(0),
    }
}

/// Microseconds as milliseconds with one decimal.
pub fn ms(us: u32) -> String {
    format!("{:.1}", f64::from(us) / 1000.0)
}

/// Microseconds, saturated to `u32` (about 71 minutes).
pub fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

/// What a run records: samples, errors and requests interrupted by the kill.
pub struct Recorder {
    pub t0: Instant,
    samples: Mutex<Vec<Sample>>,
    /// Requests sent (including retries).
    pub requests: AtomicU64,
    pub errors: AtomicU64,
    pub interrupted: AtomicU64,
    /// The first error messages, for the report.
    error_log: Mutex<Vec<String>>,
    /// How long each one-time code took to appear in the outbox (microseconds).
    code_waits: Mutex<Vec<u32>>,
}

/// Error messages kept for the report.
const ERROR_LOG: usize = 20;

impl Recorder {
    pub fn new() -> Recorder {
        Recorder::starting(Instant::now())
    }

    /// A recorder whose offsets count from `t0`.
    pub fn starting(t0: Instant) -> Recorder {
        Recorder {
            t0,
            samples: Mutex::new(Vec::new()),
            requests: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            interrupted: AtomicU64::new(0),
            error_log: Mutex::new(Vec::new()),
            code_waits: Mutex::new(Vec::new()),
        }
    }

    /// Microseconds since the start of the run.
    pub fn offset_us(&self, t: Instant) -> u64 {
        u64::try_from(t.saturating_duration_since(self.t0).as_micros()).unwrap_or(u64::MAX)
    }

    pub fn sample(&self, kind: Kind, started: Instant, dur: Duration) {
        let s = Sample { kind, start_us: self.offset_us(started), dur_us: micros(dur) };
        if let Ok(mut v) = self.samples.lock() {
            v.push(s);
        }
    }

    pub fn error(&self, message: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut log) = self.error_log.lock()
            && log.len() < ERROR_LOG
        {
            log.push(message);
        }
    }

    pub fn code_wait(&self, d: Duration) {
        if let Ok(mut v) = self.code_waits.lock() {
            v.push(micros(d));
        }
    }

    pub fn samples(&self) -> Vec<Sample> {
        self.samples.lock().map(|v| v.clone()).unwrap_or_default()
    }

    pub fn error_log(&self) -> Vec<String> {
        self.error_log.lock().map(|v| v.clone()).unwrap_or_default()
    }

    pub fn code_waits(&self) -> Summary {
        summarise(self.code_waits.lock().map(|v| v.clone()).unwrap_or_default())
    }
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

/// Whether a sample's interval overlaps `[from_us, to_us]`.
pub fn overlaps(s: &Sample, from_us: u64, to_us: u64) -> bool {
    s.start_us <= to_us && s.start_us + u64::from(s.dur_us) >= from_us
}

/// A table of latency per kind, with a last line over every kind.
pub struct Table {
    pub rows: Vec<(&'static str, Summary)>,
    pub all: Summary,
}

pub fn table(samples: &[&Sample]) -> Table {
    let rows = Kind::ALL
        .iter()
        .map(|k| (k.label(), summarise(samples.iter().filter(|s| s.kind == *k).map(|s| s.dur_us).collect())))
        .filter(|(_, s)| s.count > 0)
        .collect();
    Table { rows, all: summarise(samples.iter().map(|s| s.dur_us).collect()) }
}

impl Table {
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{:<14} {:>8} {:>9} {:>9} {:>9} {:>9}", "kind", "count", "p50 ms", "p95 ms", "p99 ms", "max ms");
        let line = |out: &mut String, name: &str, s: &Summary| {
            let _ = writeln!(out, "{:<14} {:>8} {:>9} {:>9} {:>9} {:>9}", name, s.count, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max));
        };
        for (name, s) in &self.rows {
            line(&mut out, name, s);
        }
        line(&mut out, "all", &self.all);
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), 50);
        assert_eq!(percentile(&v, 95.0), 95);
        assert_eq!(percentile(&v, 99.0), 99);
        assert_eq!(percentile(&v, 100.0), 100);
        assert_eq!(percentile(&v, 0.0), 1);
        assert_eq!(percentile(&[], 99.0), 0);
        assert_eq!(percentile(&[7], 99.0), 7);
        // Ten values: p99 is the largest, p50 the fifth.
        let s = summarise(vec![10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
        assert_eq!(s, Summary { count: 10, p50: 5, p95: 10, p99: 10, max: 10 });
        assert_eq!(ms(1_250), "1.2");
    }

    #[test]
    fn window_overlap() {
        let s = Sample { kind: Kind::Answer, start_us: 1_000, dur_us: 500 };
        assert!(overlaps(&s, 1_400, 2_000));
        assert!(overlaps(&s, 0, 1_000));
        assert!(!overlaps(&s, 1_501, 2_000));
        assert!(!overlaps(&s, 0, 999));
    }
}
