//! Group commit of answer saves (lưu câu trả lời theo lô). Every answer an entrant chooses is an
//! acknowledged durable write: the 204 goes out only after the transaction holding it has
//! committed. Committing each answer alone would cost one commit (and, on PostgreSQL, one WAL
//! flush) per click; instead the saves that arrive while a commit is under way wait in a queue
//! and the next commit takes them all: one transaction, one commit, and every waiting request
//! acknowledged after it ([`crate::store::save_answers`]; on PostgreSQL the whole batch is one
//! statement).
//!
//! One writer per process, kept beside the app state ([`kernel::state::Extensions`]): one lane on
//! SQLite (it has one writer connection), several on PostgreSQL, where a batch waiting on a row
//! lock (an attempt being closed) must not hold up everyone else's answers. An attempt always
//! goes to the same lane, so one entrant's saves commit in the order they arrived. Nothing
//! lives only here: a save is either committed (and then acknowledged) or the request fails, so
//! several instances on one PostgreSQL each run their own writer safely, and a crash loses only
//! saves that were never acknowledged.

use std::sync::Arc;

use kernel::state::AppState;
use kernel::{Db, DbError, DbResult};
use tokio::sync::{mpsc, oneshot};

use crate::store::{self, AnswerSave};

/// The most saves one commit takes. Larger batches make the commit longer for no gain once the
/// per-commit cost is shared by this many.
pub const MAX_BATCH: usize = 256;

/// Saves waiting beyond this many make the sender wait (back-pressure instead of growing memory).
const QUEUE: usize = 8192;

struct Job {
    save: AnswerSave,
    ack: oneshot::Sender<DbResult<u64>>,
}

/// Lanes on PostgreSQL (each holds at most one pool connection while it commits).
const PG_LANES: usize = 4;

/// The process's answer writer: its lanes, each a queue and the task that commits it in batches.
pub struct AnswerWriter {
    lanes: Vec<mpsc::Sender<Job>>,
    db: Db,
}

impl AnswerWriter {
    /// The app's writer, started on first use (inside the server's runtime).
    pub fn of(state: &AppState) -> Arc<AnswerWriter> {
        state.extensions.get_or_insert_with(|| AnswerWriter::start(state.db.clone()))
    }

    /// Starts a writer on `db` (its tasks end when the writer is dropped).
    pub fn start(db: Db) -> AnswerWriter {
        let n = match db.backend() {
            kernel::db::Backend::Sqlite => 1,
            kernel::db::Backend::Postgres => PG_LANES,
        };
        let lanes = (0..n)
            .map(|_| {
                let (queue, rx) = mpsc::channel(QUEUE);
                tokio::spawn(run(db.clone(), rx));
                queue
            })
            .collect();
        AnswerWriter { lanes, db }
    }

    /// Saves one answer and returns once it is committed: the rows changed (0: refused, as
    /// [`store::save_answers`] decides). Should the writer's task be gone (its runtime ended),
    /// the save is committed on its own, never dropped.
    pub async fn save(&self, save: AnswerSave) -> DbResult<u64> {
        let (ack, done) = oneshot::channel();
        let lane = &self.lanes[save.attempt_id.unsigned_abs() as usize % self.lanes.len()];
        if let Err(mpsc::error::SendError(job)) = lane.send(Job { save, ack }).await {
            return store::save_answer(&self.db, job.save.attempt_id, job.save.entrant_id, job.save.position, job.save.chosen, job.save.at).await;
        }
        match done.await {
            Ok(result) => result,
            // The task stopped before answering: nothing says the save committed, so the
            // request fails and the answer is not acknowledged (the page says it was not saved).
            Err(_) => Err(DbError::Invalid("answer writer stopped".into())),
        }
    }
}

/// The writer's loop: wait for at least one save, take every save already waiting (up to
/// [`MAX_BATCH`]), commit them together, acknowledge each.
async fn run(db: Db, mut rx: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        metrics::histogram!("pbgdpl_contest_answer_batch").record(jobs.len() as f64);
        commit(&db, &mut jobs).await;
    }
}

async fn commit(db: &Db, jobs: &mut Vec<Job>) {
    // A request that gave up (its client left, or it timed out) no longer waits: its save is
    // not acknowledged, so it is not made.
    jobs.retain(|j| !j.ack.is_closed());
    if jobs.is_empty() {
        return;
    }
    let saves: Vec<AnswerSave> = jobs.iter().map(|j| j.save).collect();
    let started = std::time::Instant::now();
    let result = store::save_answers(db, &saves).await;
    metrics::histogram!("pbgdpl_contest_answer_commit_seconds").record(started.elapsed().as_secs_f64());
    match result {
        Ok(rows) => {
            for (job, n) in jobs.drain(..).zip(rows) {
                let _ = job.ack.send(Ok(n));
            }
        }
        Err(e) if is_statement_error(&e) => {
            // The database refused this batch (two instances' batches in a deadlock, say): each
            // save is tried again alone, so one bad save cannot fail the others.
            metrics::counter!("pbgdpl_contest_answer_batch_retried").increment(1);
            tracing::warn!(error = %e, saves = saves.len(), "answer batch refused; saving one by one");
            for job in jobs.drain(..) {
                if job.ack.is_closed() {
                    continue;
                }
                let s = job.save;
                let _ = job.ack.send(store::save_answer(db, s.attempt_id, s.entrant_id, s.position, s.chosen, s.at).await);
            }
        }
        Err(e) => {
            // The database is unreachable (a lost connection, no free connection): every save of
            // the batch fails at once, unacknowledged, rather than each waiting again in turn.
            metrics::counter!("pbgdpl_contest_answer_batch_failed").increment(1);
            tracing::error!(error = %e, saves = saves.len(), "answer batch failed");
            for job in jobs.drain(..) {
                let _ = job.ack.send(Err(DbError::Invalid("answer batch failed".into())));
            }
        }
    }
}

/// Whether the database answered and refused the statement (worth trying the saves one by one),
/// as opposed to not being reachable at all.
fn is_statement_error(e: &DbError) -> bool {
    matches!(e, DbError::Sqlx(sqlx::Error::Database(_)) | DbError::Conflict(_) | DbError::BadText)
}
