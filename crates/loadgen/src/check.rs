//! What the database says at the end of a run: every acknowledged answer is there with the
//! acknowledged choice (the durability check), and how the run's attempts ended.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, bail};
use kernel::{Db, with_db};

use crate::flow::Acks;

/// Connects to the server's database, which must exist already (the server creates and
/// migrates it); a SQLite file is never created here.
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    if let Some(path) = kernel::db::sqlite_path(url)
        && !Path::new(&path).exists()
    {
        bail!("{path} does not exist: start the server first (it creates and migrates the database)");
    }
    Db::connect(url).await.with_context(|| format!("cannot open {}", kernel::db::redact_url(url)))
}

/// The outcome of the durability check.
pub struct Durability {
    pub acknowledged: usize,
    /// Acknowledged answers missing or with another choice.
    pub lost: usize,
    /// The first few of them, described.
    pub examples: Vec<String>,
}

/// Reads back every acknowledged answer: `contest_attempt_items.chosen` of (attempt, position)
/// must equal the last acknowledged choice (the shown position that was posted as `chon`; the
/// server stores it as it is). One query per attempt.
pub async fn durability(db: &Db, acks: &Acks) -> anyhow::Result<Durability> {
    let by_attempt: BTreeMap<i64, &BTreeMap<i64, i64>> = acks.iter().map(|(a, answers)| (*a, answers)).collect();
    let mut lost = 0;
    let mut examples = Vec::new();
    for (attempt, answers) in by_attempt {
        let rows: Vec<(i64, Option<i64>)> = with_db!(db, p => sqlx::query_as(
            "SELECT position, chosen FROM contest_attempt_items WHERE attempt_id = $1")
            .bind(attempt).fetch_all(p).await)?;
        let stored: HashMap<i64, Option<i64>> = rows.into_iter().collect();
        for (&pos, &chosen) in answers {
            let found = stored.get(&pos).copied().flatten();
            if found != Some(chosen) {
                lost += 1;
                if examples.len() < 10 {
                    examples.push(format!("attempt {attempt} question {pos}: acknowledged {chosen}, stored {found:?}"));
                }
            }
        }
    }
    Ok(Durability { acknowledged: acks.values().map(BTreeMap::len).sum(), lost, examples })
}

/// How the run's entrants stand in the database: registered, and their attempts by status.
pub struct Outcomes {
    pub registered: i64,
    pub by_status: Vec<(String, i64)>,
}

impl Outcomes {
    pub fn count(&self, status: &str) -> i64 {
        self.by_status.iter().filter(|(s, _)| s == status).map(|(_, n)| n).sum()
    }
}

/// The entrants of the contest whose contact matches `pattern` and their attempts by status.
pub async fn outcomes(db: &Db, contest: i64, pattern: &str) -> anyhow::Result<Outcomes> {
    let (registered,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM contest_entrants WHERE contest_id = $1 AND contact LIKE $2")
        .bind(contest).bind(pattern).fetch_one(p).await)?;
    let by_status: Vec<(String, i64)> = with_db!(db, p => sqlx::query_as(
        "SELECT a.status, COUNT(*) FROM contest_attempts a JOIN contest_entrants e ON e.id = a.entrant_id
         WHERE e.contest_id = $1 AND e.contact LIKE $2 GROUP BY a.status ORDER BY a.status")
        .bind(contest).bind(pattern).fetch_all(p).await)?;
    Ok(Outcomes { registered, by_status })
}
