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


/// Starts the real router (the kernel's routes and `routes`, inside the kernel's middleware)
/// on 127.0.0.1:0 over `db`; returns the base URL. Loopback only.
pub async fn serve(
    db: &kernel::db::Db,
    registry: kernel::registry::Registry,
    routes: fn(&kernel::state::AppState) -> axum::Router<kernel::state::AppState>,
) -> Result<String, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| format!("binding 127.0.0.1:0: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let config = kernel::config::Config { base_url: format!("http://{addr}"), ..kernel::config::Config::default() };
    let state = kernel::state::AppState::with_registry(db.clone(), config, registry);
    let app = kernel::middleware::wrap(kernel::routes::assemble(routes(&state)), state);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await {
            eprintln!("bench server error: {e}");
        }
    });
    Ok(format!("http://{addr}"))
}

/// A client signed in through the login form (cookies kept, redirects not followed).
pub async fn signed_in(base: &str, username: &str, password: &str) -> Result<reqwest::Client, String> {
    let client = reqwest::Client::builder()
        .cookie_provider(std::sync::Arc::new(reqwest::cookie::Jar::default()))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let html = client.get(format!("{base}/dang-nhap")).send().await.map_err(|e| e.to_string())?.text().await.map_err(|e| e.to_string())?;
    let csrf = crate::csrf_in(&html);
    if csrf.is_empty() {
        return Err("no _csrf field on /dang-nhap".into());
    }
    let r = client
        .post(format!("{base}/dang-nhap"))
        .form(&[("_csrf", csrf.as_str()), ("username", username), ("password", password)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != reqwest::StatusCode::SEE_OTHER {
        return Err(format!("login of {username} failed: HTTP {}", r.status()));
    }
    Ok(client)
}

/// Times `n` GETs of `url` after `warmup` untimed ones: (median, p95, body bytes of the last).
pub async fn time_get(client: &reqwest::Client, url: &str, warmup: usize, n: usize) -> Result<(Duration, Duration, usize), String> {
    let mut size = 0;
    for _ in 0..warmup {
        size = client.get(url).send().await.map_err(|e| e.to_string())?.bytes().await.map_err(|e| e.to_string())?.len();
    }
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = std::time::Instant::now();
        let r = client.get(url).send().await.map_err(|e| e.to_string())?;
        if !r.status().is_success() {
            return Err(format!("{url}: HTTP {}", r.status()));
        }
        size = r.bytes().await.map_err(|e| e.to_string())?.len();
        samples.push(t.elapsed());
    }
    let (m, p) = stats(&mut samples);
    Ok((m, p, size))
}
