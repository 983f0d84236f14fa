//! CPU-heavy work on untrusted uploads (parsing a DOCX plan, an XLSX report) off the async
//! workers: on the blocking pool, at most `limits.import_concurrency` at once in this instance,
//! each within `limits.import_timeout_secs`. Pages and `/healthz` keep answering while hostile
//! documents are parsed. How often an account may upload such documents is counted in the
//! database (`upload_events`), so the limit holds across instances.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::db::{Db, DbResult};
use crate::error::AppError;
use crate::msg;

/// The per-instance gate for heavy parsing.
#[derive(Clone, Debug)]
pub struct Heavy {
    permits: Arc<Semaphore>,
    wait: Duration,
    timeout: Duration,
}

/// Why heavy work did not produce a result.
#[derive(Debug, PartialEq, Eq)]
pub enum HeavyError {
    /// Every slot stayed busy while waiting.
    Busy,
    /// The work took longer than allowed (it is abandoned; its slot frees when it ends).
    TimedOut,
    /// The work panicked or the pool was shut down.
    Failed,
}

impl HeavyError {
    pub fn message(&self) -> &'static str {
        match self {
            HeavyError::Busy => msg::IMPORT_BUSY,
            HeavyError::TimedOut => msg::IMPORT_TIMED_OUT,
            HeavyError::Failed => msg::INTERNAL,
        }
    }
}

impl From<HeavyError> for AppError {
    fn from(e: HeavyError) -> Self {
        match e {
            HeavyError::Failed => AppError::Internal("heavy work failed".into()),
            other => AppError::BadRequest(other.message().into()),
        }
    }
}

impl Heavy {
    /// At most `concurrency` jobs at once (at least one); a job waits at most `wait` for a slot
    /// and runs at most `timeout`.
    pub fn new(concurrency: usize, wait: Duration, timeout: Duration) -> Heavy {
        Heavy { permits: Arc::new(Semaphore::new(concurrency.max(1))), wait, timeout }
    }

    /// For the command line: one job at a time, no time limit worth the name.
    pub fn unlimited() -> Heavy {
        Heavy::new(1, Duration::from_secs(3600), Duration::from_secs(3600))
    }

    /// Runs `work` on the blocking pool under the limits.
    pub async fn run<T, F>(&self, work: F) -> Result<T, HeavyError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| HeavyError::Busy)?
            .map_err(|_| HeavyError::Failed)?;
        let job = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        });
        match tokio::time::timeout(self.timeout, job).await {
            Err(_) => Err(HeavyError::TimedOut),
            Ok(Err(_)) => Err(HeavyError::Failed),
            Ok(Ok(v)) => Ok(v),
        }
    }
}

/// Records one upload of `kind` by an account and answers whether it is within `per_minute`
/// uploads of that kind in the last minute (the upload itself counted).
pub async fn allow_upload(db: &Db, account_id: i64, kind: &str, per_minute: i64) -> DbResult<bool> {
    let now = crate::db::now();
    let mut tx = db.begin().await?;
    crate::db::uploads::record(&mut tx, account_id, kind, now).await?;
    tx.commit().await?;
    let n = crate::db::uploads::count_since(db, account_id, kind, now - chrono::Duration::minutes(1)).await?;
    Ok(n <= per_minute)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_within_limits_and_refuses_beyond_them() {
        let h = Heavy::new(1, Duration::from_millis(50), Duration::from_millis(200));
        assert_eq!(h.run(|| 2 + 2).await, Ok(4));
        // A slow job times out; while it still runs, the only slot is busy.
        let slow = h.clone();
        let first = tokio::spawn(async move { slow.run(|| std::thread::sleep(Duration::from_millis(400))).await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(h.run(|| 1).await, Err(HeavyError::Busy));
        assert_eq!(first.await.unwrap(), Err(HeavyError::TimedOut));
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(h.run(|| 1).await, Ok(1), "the slot frees when the abandoned job ends");
    }
}
