//! Helpers shared by the benchmarks: quick mode, deterministic random numbers, median and
//! p95, the load average and the peak memory of the process.

use std::time::Duration;

/// The 1/5/15-minute load averages, printed so noisy figures can be recognised as such.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

pub fn quick() -> bool {
    std::env::var("PBGDPL_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Deterministic pseudo-random numbers (SplitMix64) so every run measures the same data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// (median, p95) of the samples, nearest-rank.
pub fn stats(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort_unstable();
    let n = samples.len();
    if n == 0 {
        return (Duration::ZERO, Duration::ZERO);
    }
    (samples[n / 2], samples[(n * 95).div_ceil(100).saturating_sub(1).min(n - 1)])
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// "" when the median and p95 are within the target, else why not.
pub fn verdict(median: Duration, p95: Duration, target: Duration) -> &'static str {
    if median > target {
        " OVER TARGET"
    } else if p95 > target {
        " (p95 above target)"
    } else {
        ""
    }
}

/// Peak resident set size of this process, from /proc/self/status (Linux only).
pub fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.trim_start_matches("VmHWM:").trim().to_string()))
        .map_or_else(|| "unknown (no /proc/self/status)".to_string(), |v| {
            match v.strip_suffix(" kB").and_then(|k| k.trim().parse::<f64>().ok()) {
                Some(kb) => format!("{:.1} MiB", kb / 1024.0),
                None => v,
            }
        })
}

