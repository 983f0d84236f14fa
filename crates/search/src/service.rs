//! The instance's search engine: the index, built from the feed on first use, and the loop
//! that keeps it current from the change log.
//!
//! The index is a cache. Nothing is lost when an instance stops: the next one rebuilds it from
//! `search_docs` (150,000 items in well under the two minutes of the target, see the
//! benchmark) and follows `search_changes` from there. Instances never talk to each other.
//!
//! Moving to a search server (OpenSearch, Meilisearch) for a deployment that outgrows one
//! machine replaces [`Engine`]'s index with a client behind the same two calls (`search`,
//! `apply`); the feed, the change log and the cursor stay as they are, and one instance (the
//! holder of a `job_runs`-style lease) follows the log instead of every instance. See
//! docs/search.md.

use std::sync::{Arc, Weak};
use std::time::Duration;

use chrono::{DateTime, Utc};
use kernel::db::{Db, DbError};
use kernel::search_feed;
use kernel::state::AppState;

use crate::index::{IndexError, Request, Results, SearchIndex};
use crate::rules::catchup::Cursor;

/// How often the change log is read.
pub const POLL: Duration = Duration::from_millis(250);
/// Changes read per round.
const BATCH: i64 = 2000;
/// Gaps re-read per round.
const GAPS_PER_ROUND: usize = 200;
/// Change-log rows older than this are pruned (every instance applied them long ago).
const KEEP_CHANGES: chrono::Duration = chrono::Duration::days(2);
/// The first catch-up re-reads this many changes before the build's snapshot, so changes
/// that committed late (out of id order) during the build are not missed.
const REREAD_AT_START: i64 = 1000;

/// Errors of the engine (logged; the page shows [`crate::msg::UNAVAILABLE`]).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("search task: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// One instance's index and where it is in the change log.
pub struct Engine {
    index: Arc<SearchIndex>,
    cursor: tokio::sync::Mutex<Cursor>,
}

impl Engine {
    /// Builds a fresh index from the whole feed.
    pub async fn build(db: &Db, threads: usize) -> Result<Engine, EngineError> {
        let high = search_feed::last_change(db).await?;
        let index = Arc::new(tokio::task::spawn_blocking(move || SearchIndex::create(None, 64 << 20, threads)).await??);
        let mut after: Option<(String, i64)> = None;
        loop {
            let page = search_feed::page_after(db, after.as_ref().map(|(k, id)| (k.as_str(), *id)), 2000).await?;
            let Some(last) = page.last() else { break };
            after = Some((last.kind.clone(), last.ref_id));
            let idx = Arc::clone(&index);
            tokio::task::spawn_blocking(move || idx.add_all(&page)).await??;
        }
        let idx = Arc::clone(&index);
        tokio::task::spawn_blocking(move || idx.commit()).await??;
        Ok(Engine { index, cursor: tokio::sync::Mutex::new(Cursor::new((high - REREAD_AT_START).max(0))) })
    }

    /// Applies the changes logged since the last round. Returns how many items it re-read.
    pub async fn catch_up(&self, db: &Db) -> Result<usize, EngineError> {
        let mut cursor = self.cursor.lock().await;
        let mut changes = search_feed::changes_after(db, cursor.high, BATCH).await?;
        let gaps = cursor.gaps();
        if !gaps.is_empty() {
            let some: Vec<i64> = gaps.into_iter().take(GAPS_PER_ROUND).collect();
            changes.extend(search_feed::changes_in(db, &some).await?);
        }
        let now_ms = Utc::now().timestamp_millis();
        if changes.is_empty() {
            cursor.expire(now_ms);
            return Ok(0);
        }
        let mut items: Vec<(String, i64)> = changes.iter().map(|c| (c.kind.clone(), c.ref_id)).collect();
        items.sort();
        items.dedup();
        let mut docs = Vec::with_capacity(items.len());
        for (kind, id) in &items {
            docs.push((kind.clone(), *id, search_feed::get(db, kind, *id).await?));
        }
        let idx = Arc::clone(&self.index);
        let n = docs.len();
        tokio::task::spawn_blocking(move || -> Result<(), IndexError> {
            for (kind, id, doc) in &docs {
                idx.upsert(kind, *id, doc.as_ref())?;
            }
            idx.commit()
        })
        .await??;
        let ids: Vec<i64> = changes.iter().map(|c| c.id).collect();
        cursor.record(&ids, now_ms);
        cursor.expire(now_ms);
        Ok(n)
    }

    /// Searches at `now` (on the blocking pool: a query is CPU work).
    pub async fn search(&self, req: Request, now: DateTime<Utc>) -> Result<Results, EngineError> {
        let idx = Arc::clone(&self.index);
        Ok(tokio::task::spawn_blocking(move || idx.search(&req, now)).await??)
    }

    /// How many items the index holds.
    pub fn num_docs(&self) -> u64 {
        self.index.num_docs()
    }

    /// The index itself (benchmarks).
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }
}

/// The app's engine cell (an extension of the state).
#[derive(Default)]
struct Cell(tokio::sync::OnceCell<Arc<Engine>>);

/// The instance's engine: built on first use, with its catch-up loop started.
pub async fn engine(state: &AppState) -> Result<Arc<Engine>, EngineError> {
    let cell = state.extensions.get_or_insert_with(Cell::default);
    let engine = cell
        .0
        .get_or_try_init(|| async {
            let started = std::time::Instant::now();
            let engine = Arc::new(Engine::build(&state.db, 2).await?);
            tracing::info!(items = engine.num_docs(), ms = started.elapsed().as_millis() as u64, "search index built");
            spawn_loop(state.db.clone(), Arc::downgrade(&engine));
            Ok::<_, EngineError>(engine)
        })
        .await?;
    Ok(Arc::clone(engine))
}

/// Builds the engine now (at server start) rather than on the first search.
pub fn start(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = engine(&state).await {
            tracing::error!(error = %e, "search index: build failed; it is retried on the next search");
        }
    });
}

fn spawn_loop(db: Db, engine: Weak<Engine>) {
    tokio::spawn(async move {
        let mut last_prune = std::time::Instant::now();
        loop {
            tokio::time::sleep(POLL).await;
            // The app (and its engine) is gone: stop.
            let Some(engine) = engine.upgrade() else { break };
            if let Err(e) = engine.catch_up(&db).await {
                tracing::warn!(error = %e, "search index: catching up failed; retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            if last_prune.elapsed() > Duration::from_secs(3600) {
                last_prune = std::time::Instant::now();
                if let Err(e) = search_feed::prune(&db, Utc::now() - KEEP_CHANGES).await {
                    tracing::warn!(error = %e, "search change log: pruning failed");
                }
            }
        }
    });
}
