//! The SQL of draft-policy communication, for both databases.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{Db, DbError, DbResult, Tx, exec, with_db, with_tx};
use sqlx::FromRow;

use crate::rules::Part;

/// A draft put out for comment (dự thảo), with its unit.
#[derive(Clone, Debug, FromRow)]
pub struct Draft {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub title: String,
    pub drafting_body: String,
    pub summary: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// 'draft', 'published' or 'reported'.
    pub status: String,
    pub published_at: Option<DateTime<Utc>>,
    pub reported_at: Option<DateTime<Utc>>,
    /// The original file (DOCX or PDF) it was created from, if any.
    pub file_id: Option<i64>,
}

impl Draft {
    /// Whether the public may see it.
    pub fn is_public(&self) -> bool {
        matches!(self.status.as_str(), "published" | "reported")
    }
}

macro_rules! select_draft {
    () => {
        "SELECT d.id, d.unit_id, u.name AS unit_name, u.path AS unit_path, d.title, d.drafting_body, d.summary, d.opens_on, d.closes_on,
                d.status, d.published_at, d.reported_at, d.file_id
         FROM drafts d JOIN units u ON u.id = d.unit_id "
    };
}

/// A part of a draft as stored.
#[derive(Clone, Debug, FromRow)]
pub struct PartRow {
    pub id: i64,
    pub position: i64,
    pub level: i64,
    pub label: String,
    pub heading: String,
    pub body: String,
}

/// A comment with the label of the part it is on (None: the whole draft).
#[derive(Clone, Debug, FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub part_id: Option<i64>,
    pub part_label: Option<String>,
    /// 'person' or 'organisation'.
    pub author_kind: String,
    pub author_name: String,
    pub email: String,
    pub body: String,
    pub response: String,
    pub received_at: DateTime<Utc>,
    /// How it arrived: 'web', 'paper', 'email' or 'meeting' (`rules::Channel`).
    pub channel: String,
}

/// What a new draft stores.
#[derive(Clone, Debug)]
pub struct NewDraft<'a> {
    pub unit_id: i64,
    pub title: &'a str,
    pub drafting_body: &'a str,
    pub summary: &'a str,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub created_by: i64,
    pub file_id: Option<i64>,
}

pub async fn insert_draft(tx: &mut Tx, d: &NewDraft<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, x => sqlx::query_as(
        "INSERT INTO drafts (unit_id, title, drafting_body, summary, opens_on, closes_on, status, created_by, created_at, updated_at, file_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $8, $9) RETURNING id")
        .bind(d.unit_id).bind(d.title).bind(d.drafting_body).bind(d.summary).bind(d.opens_on).bind(d.closes_on).bind(d.created_by).bind(at).bind(d.file_id)
        .fetch_one(&mut *x).await)?;
    Ok(id)
}

pub async fn insert_parts(tx: &mut Tx, draft_id: i64, parts: &[Part]) -> DbResult<()> {
    for (i, p) in parts.iter().enumerate() {
        exec!(tx, x => sqlx::query("INSERT INTO draft_parts (draft_id, position, level, label, heading, body) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(draft_id).bind(i as i64 + 1).bind(i64::from(p.level)).bind(&p.label).bind(&p.heading).bind(&p.body).execute(&mut *x).await)?;
    }
    Ok(())
}

pub async fn draft(db: &Db, id: i64) -> DbResult<Draft> {
    with_db!(db, p => sqlx::query_as(concat!(select_draft!(), "WHERE d.id = $1")).bind(id).fetch_optional(p).await)?.ok_or(DbError::NotFound)
}

/// The drafts of units whose path matches `like` (the account's scope), newest first.
pub async fn drafts_in(db: &Db, like: &str) -> DbResult<Vec<Draft>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(select_draft!(), "WHERE u.path LIKE $1 ORDER BY d.opens_on DESC, d.id DESC LIMIT 500"))
        .bind(like).fetch_all(p).await)?)
}

/// The public drafts, those still taking comments first.
pub async fn public_drafts(db: &Db, day: NaiveDate) -> DbResult<Vec<Draft>> {
    Ok(with_db!(db, p => sqlx::query_as(concat!(select_draft!(),
        "WHERE d.status IN ('published', 'reported') ORDER BY CASE WHEN d.closes_on >= $1 THEN 0 ELSE 1 END, d.closes_on DESC, d.id DESC LIMIT 200"))
        .bind(day).fetch_all(p).await)?)
}

pub async fn parts(db: &Db, draft_id: i64) -> DbResult<Vec<PartRow>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT id, position, level, label, heading, body FROM draft_parts WHERE draft_id = $1 ORDER BY position")
        .bind(draft_id).fetch_all(p).await)?)
}

/// A draft's comments: those on the whole draft first, then by the parts' order, oldest first.
pub async fn comments(db: &Db, draft_id: i64) -> DbResult<Vec<CommentRow>> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT c.id, c.part_id, p.label AS part_label, c.author_kind, c.author_name, c.email, c.body, c.response, c.received_at, c.channel
         FROM draft_comments c LEFT JOIN draft_parts p ON p.id = c.part_id
         WHERE c.draft_id = $1 ORDER BY COALESCE(p.position, 0), c.received_at, c.id")
        .bind(draft_id).fetch_all(p).await)?)
}

/// The number of comments on each part (None: on the whole draft).
pub async fn comment_counts(db: &Db, draft_id: i64) -> DbResult<Vec<(Option<i64>, i64)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT part_id, COUNT(*) FROM draft_comments WHERE draft_id = $1 GROUP BY part_id")
        .bind(draft_id).fetch_all(p).await)?)
}

/// Publishes a draft for comment; false when it was not a draft any more.
pub async fn publish(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> DbResult<bool> {
    Ok(exec!(tx, x => sqlx::query("UPDATE drafts SET status = 'published', published_at = $2, updated_at = $2 WHERE id = $1 AND status = 'draft'")
        .bind(id).bind(at).execute(&mut *x).await)? == 1)
}

/// Publishes the reception and explanation table; false when the draft was not published (or
/// was reported already).
pub async fn report(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> DbResult<bool> {
    Ok(exec!(tx, x => sqlx::query("UPDATE drafts SET status = 'reported', reported_at = $2, updated_at = $2 WHERE id = $1 AND status = 'published'")
        .bind(id).bind(at).execute(&mut *x).await)? == 1)
}

/// What a new comment stores.
#[derive(Clone, Debug)]
pub struct NewComment<'a> {
    pub draft_id: i64,
    pub part_id: Option<i64>,
    pub author_kind: &'a str,
    pub author_name: &'a str,
    pub email: &'a str,
    pub body: &'a str,
    /// 'web' for the public page; otherwise entered by `entered_by`.
    pub channel: &'a str,
    pub entered_by: Option<i64>,
}

pub async fn insert_comment(tx: &mut Tx, c: &NewComment<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    let (id,): (i64,) = with_tx!(tx, x => sqlx::query_as(
        "INSERT INTO draft_comments (draft_id, part_id, author_kind, author_name, email, body, response, received_at, channel, entered_by)
         VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8, $9) RETURNING id")
        .bind(c.draft_id).bind(c.part_id).bind(c.author_kind).bind(c.author_name).bind(c.email).bind(c.body).bind(at).bind(c.channel).bind(c.entered_by)
        .fetch_one(&mut *x).await)?;
    Ok(id)
}

/// Whether `file_id` is the original of a public draft (downloadable without an account).
pub async fn is_public_file(db: &Db, file_id: i64) -> DbResult<bool> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM drafts WHERE file_id = $1 AND status IN ('published', 'reported')")
        .bind(file_id).fetch_one(p).await)?;
    Ok(n > 0)
}

/// Sets the reception or explanation of one comment of a draft: the rows changed.
pub async fn set_response(tx: &mut Tx, draft_id: i64, comment_id: i64, response: &str) -> DbResult<u64> {
    Ok(exec!(tx, x => sqlx::query("UPDATE draft_comments SET response = $3 WHERE draft_id = $1 AND id = $2")
        .bind(draft_id).bind(comment_id).bind(response).execute(&mut *x).await)?)
}

/// Counts one comment of `bucket` in `hour` and returns the hour's count including it.
pub async fn count_comment(tx: &mut Tx, bucket: &str, hour: i64) -> DbResult<i64> {
    let (n,): (i64,) = with_tx!(tx, x => sqlx::query_as(
        "INSERT INTO draft_rate_counts (bucket, hour, n) VALUES ($1, $2, 1) ON CONFLICT (bucket, hour) DO UPDATE SET n = draft_rate_counts.n + 1 RETURNING n")
        .bind(bucket).bind(hour).fetch_one(&mut *x).await)?;
    Ok(n)
}

/// Sweeps the counters of hours before `hour`.
pub async fn sweep_counts(db: &Db, hour: i64) -> DbResult<()> {
    with_db!(db, p => sqlx::query("DELETE FROM draft_rate_counts WHERE hour < $1").bind(hour).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// The comments of a draft without a reception or explanation yet.
pub async fn unanswered(db: &Db, draft_id: i64) -> DbResult<i64> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM draft_comments WHERE draft_id = $1 AND response = ''")
        .bind(draft_id).fetch_one(p).await)?;
    Ok(n)
}

/// The e-mail addresses commenters gave on a draft, each once (in the transaction that
/// publishes the table).
pub async fn commenter_addresses(tx: &mut Tx, draft_id: i64) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = with_tx!(tx, x => sqlx::query_as("SELECT DISTINCT email FROM draft_comments WHERE draft_id = $1 AND email <> '' ORDER BY email")
        .bind(draft_id).fetch_all(&mut *x).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ---------------------------------------------------------------- search feed

/// A draft's full text rebuilt from its parts, in order: an article's label and heading on a
/// line of their own, then each part's text.
fn full_text(parts: &[PartRow]) -> String {
    let mut lines: Vec<String> = Vec::with_capacity(parts.len() * 2);
    for p in parts {
        if p.level == 1 {
            lines.push(if p.heading.is_empty() { p.label.clone() } else { format!("{}. {}", p.label, p.heading) });
        }
        if !p.body.is_empty() {
            lines.push(p.body.clone());
        }
    }
    lines.join("\n")
}

/// Writes a draft into the search feed (`kernel::search_feed`) as it now stands, in the
/// caller's transaction: a public draft (published, and still after its period closes and its
/// table is published) is put with its title, summary and full text, never its comments; a
/// draft not yet published is removed. Returns whether it was put.
pub async fn feed_item(tx: &mut Tx, id: i64) -> DbResult<bool> {
    use chrono::Datelike;
    use kernel::search_feed::{self, FeedDoc, kind};

    let d: Option<Draft> = with_tx!(tx, x => sqlx::query_as(concat!(select_draft!(), "WHERE d.id = $1")).bind(id).fetch_optional(&mut *x).await)?;
    let Some(d) = d.filter(Draft::is_public) else {
        search_feed::remove(tx, kind::DRAFT, id).await?;
        return Ok(false);
    };
    let parts: Vec<PartRow> = with_tx!(tx, x => sqlx::query_as("SELECT id, position, level, label, heading, body FROM draft_parts WHERE draft_id = $1 ORDER BY position")
        .bind(id).fetch_all(&mut *x).await)?;
    let doc = FeedDoc {
        kind: kind::DRAFT.into(),
        ref_id: d.id,
        url: format!("/du-thao/{}", d.id),
        title: d.title,
        summary: d.summary,
        body: full_text(&parts),
        // The year of publication in Vietnam time (UTC+7).
        year: d.published_at.map(|t| (t + chrono::Duration::hours(7)).year()),
        unit_id: Some(d.unit_id),
        published_at: d.published_at,
        ..FeedDoc::default()
    };
    search_feed::put(tx, &doc).await?;
    Ok(true)
}

/// The drafts that may be in the search feed: the public ones and those it holds now.
pub async fn feed_candidates(db: &Db) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM drafts WHERE status IN ('published', 'reported') UNION SELECT ref_id FROM search_docs WHERE kind = $1 ORDER BY 1")
        .bind(kernel::search_feed::kind::DRAFT).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_text_is_rebuilt_from_the_parts() {
        let text = "NGHỊ QUYẾT\nĐiều 1. Phạm vi\n1. Khoản một.\n2. Khoản hai.\nĐiều 2\nHiệu lực từ ngày ký.";
        let parts: Vec<PartRow> = crate::rules::parse(text)
            .into_iter()
            .enumerate()
            .map(|(i, p)| PartRow { id: i as i64, position: i as i64, level: i64::from(p.level), label: p.label, heading: p.heading, body: p.body })
            .collect();
        assert_eq!(full_text(&parts), text);
    }
}
