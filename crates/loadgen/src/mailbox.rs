//! The entrants' mailbox: the server queues each one-time code in the kernel's outbox
//! (`outbox_emails`, see `contests::msg::code_body`); this reads the outbox of the same
//! database and hands each simulated entrant the newest code sent to its address.
//!
//! One task reads the new rows in id order every 50 ms (the outbox has no index on the
//! address, so a query per entrant would scan the table each time). On PostgreSQL ids can
//! commit out of order, so an id skipped over is remembered as a gap and read again until it
//! appears or 10 s have passed (a rolled-back insert leaves a gap for good). An entrant whose
//! code has not appeared after a few seconds also asks the database directly.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kernel::{Db, with_db};
use tokio::sync::Notify;

/// The one-time code in the text of the code e-mail (`contests::msg::code_body`): the digits
/// that end its first line ("… của Ông/Bà là: 123456").
pub fn code_in(body: &str) -> Option<String> {
    let first = body.lines().next()?.trim_end();
    let digits: String = first.chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
    if (4..=10).contains(&digits.len()) {
        return Some(digits);
    }
    // Another wording: the first run of 6 digits after "là:".
    let after = &first[first.rfind("là:")? + "là:".len()..];
    let run: String = after.trim_start().chars().take_while(char::is_ascii_digit).collect();
    (run.len() >= 4).then_some(run)
}

/// Codes found so far: address → (outbox id, code).
type Codes = HashMap<String, (i64, String)>;

pub struct Mailbox {
    db: Db,
    codes: Mutex<Codes>,
    notify: Notify,
}

/// Rows read per poll.
const BATCH: i64 = 5_000;
/// How long a skipped id is read again.
const GAP_LIFE: Duration = Duration::from_secs(10);
/// When an entrant asks the database directly.
const FALLBACK_AFTER: Duration = Duration::from_secs(3);

impl Mailbox {
    /// Starts reading the outbox from its current end (older mail is not ours).
    pub async fn start(db: Db) -> anyhow::Result<Arc<Mailbox>> {
        let (max,): (i64,) = with_db!(&db, p => sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM outbox_emails").fetch_one(p).await)?;
        let mb = Arc::new(Mailbox { db, codes: Mutex::new(HashMap::new()), notify: Notify::new() });
        let reader = mb.clone();
        tokio::spawn(async move { reader.read_loop(max).await });
        Ok(mb)
    }

    async fn read_loop(&self, mut max: i64) {
        let mut gaps: BTreeMap<i64, Instant> = BTreeMap::new();
        loop {
            let now = Instant::now();
            gaps.retain(|_, seen| now.duration_since(*seen) < GAP_LIFE);
            let floor = gaps.keys().next().map(|g| g - 1).unwrap_or(max);
            let rows: Result<Vec<(i64, String, String)>, sqlx::Error> = with_db!(&self.db, p => sqlx::query_as(
                "SELECT id, to_addr, body FROM outbox_emails WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(floor).bind(BATCH).fetch_all(p).await);
            let full = match rows {
                Ok(rows) => {
                    let full = rows.len() as i64 == BATCH;
                    if !rows.is_empty() {
                        if let Ok(mut codes) = self.codes.lock() {
                            for (id, to, body) in rows {
                                gaps.remove(&id);
                                if id > max {
                                    for missing in (max + 1)..id {
                                        gaps.insert(missing, now);
                                    }
                                    max = id;
                                }
                                if let Some(code) = code_in(&body) {
                                    let newer = codes.get(&to).is_none_or(|(seen, _)| *seen < id);
                                    if newer {
                                        codes.insert(to, (id, code));
                                    }
                                }
                            }
                        }
                        self.notify.notify_waiters();
                    }
                    full
                }
                Err(e) => {
                    eprintln!("outbox read failed (will retry): {e}");
                    false
                }
            };
            if !full {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }

    fn known(&self, to: &str) -> Option<(i64, String)> {
        self.codes.lock().ok()?.get(to).cloned()
    }

    /// The newest code sent to `to`, waiting up to `timeout` for it.
    pub async fn code_for(&self, to: &str, timeout: Duration) -> anyhow::Result<Option<String>> {
        let started = Instant::now();
        let mut asked = false;
        loop {
            let notified = self.notify.notified();
            if let Some((_, code)) = self.known(to) {
                return Ok(Some(code));
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Ok(None);
            }
            if waited >= FALLBACK_AFTER && !asked {
                asked = true;
                let row: Option<(String,)> = with_db!(&self.db, p => sqlx::query_as(
                    "SELECT body FROM outbox_emails WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
                    .bind(to).fetch_optional(p).await)?;
                if let Some(code) = row.and_then(|(b,)| code_in(&b)) {
                    return Ok(Some(code));
                }
            }
            let _ = tokio::time::timeout(Duration::from_millis(250), notified).await;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_code_in_the_real_message() {
        // The title may hold digits of its own.
        let body = contests::msg::code_body("Cuộc thi 2026 (thử tải 1712345678)", "042917", 10);
        assert_eq!(code_in(&body).as_deref(), Some("042917"));
        assert_eq!(code_in("Mã xác nhận dự thi \"X\" của Ông/Bà là: 123456 \nMã có hiệu lực").as_deref(), Some("123456"));
        assert_eq!(code_in("no code here"), None);
        assert_eq!(code_in(""), None);
    }
}
