//! Use cases shared by the pages: the officers' scope, creating and publishing a draft, taking a
//! public comment within the period and the per-address limit, the reception and explanation
//! of the comments, the DOCX table and its publication. Every write is audited in its
//! transaction.

use chrono::NaiveDate;
use kernel::auth::Principal;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};
use kernel::page::FieldErrors;
use kernel::Db;
use serde_json::json;

use crate::msg;
use crate::rules::{self, Channel, Phase};
use crate::store::{self, CommentRow, Draft, NewComment, NewDraft};

/// Comments accepted from one address block per hour.
pub const COMMENTS_PER_HOUR: i64 = 10;
/// Most characters of a draft's text.
pub const TEXT_MAX: usize = 300_000;
/// Most parts a draft is split into.
pub const PARTS_MAX: usize = 2_000;
/// Most characters of a comment or a response.
pub const COMMENT_MAX: usize = 5_000;

fn entry<'a>(action: &'a str, id: i64, unit_id: i64, summary: String, after: serde_json::Value) -> Entry<'a> {
    Entry { action, entity: "draft", entity_id: Some(id.to_string()), unit_id: Some(unit_id), summary, before: None, after: Some(after) }
}

/// A draft the account may manage: its unit is in the account's scope (404 otherwise).
pub async fn visible(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<Draft> {
    let d = store::draft(db, id).await?;
    if !p.scope.contains(&d.unit_path) {
        return Err(AppError::NotFound);
    }
    Ok(d)
}

/// The phase of a draft's comment period on `day`.
pub fn phase_of(d: &Draft, day: NaiveDate) -> Phase {
    rules::phase(d.opens_on, d.closes_on, day)
}

/// The new-draft form as typed.
#[derive(Clone, Debug, Default)]
pub struct DraftForm {
    pub title: String,
    pub drafting_body: String,
    pub summary: String,
    pub opens: String,
    pub closes: String,
    pub text: String,
}

fn date(s: &str, field: &'static str, e: &mut FieldErrors) -> Option<NaiveDate> {
    match text_vi::parse_date(s) {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(field, msg::DATE_FORMAT);
            None
        }
    }
}

/// An uploaded original: (file name, content type, bytes), already checked.
pub type Original<'a> = (&'a str, &'a str, &'a [u8]);

/// Creates a draft of the account's unit (not public yet) with its parts and, when one was
/// uploaded, its original file, audited: its id.
pub async fn create(db: &Db, p: &Principal<'_>, actor: &Actor, f: &DraftForm, original: Option<Original<'_>>) -> AppResult<Result<i64, FieldErrors>> {
    let mut e = FieldErrors::default();
    let title = kernel::page::typed_text(&f.title, "title", 300, Some(msg::TITLE_MISSING), &mut e);
    let drafting_body = kernel::page::typed_text(&f.drafting_body, "drafting_body", 300, Some(msg::BODY_MISSING_DRAFTER), &mut e);
    let summary = kernel::page::typed_text(&f.summary, "summary", 3_000, None, &mut e);
    let opens = date(&f.opens, "opens", &mut e);
    let closes = date(&f.closes, "closes", &mut e);
    if let (Some(o), Some(c)) = (opens, closes)
        && c < o
    {
        e.add("closes", msg::CLOSES_BEFORE_OPENS);
    }
    let text = kernel::page::typed_text(&f.text, "text", TEXT_MAX, Some(msg::TEXT_MISSING), &mut e);
    let parts = rules::parse(&text);
    if parts.len() > PARTS_MAX {
        e.add("text", msg::TOO_MANY_PARTS);
    }
    let (Some(opens_on), Some(closes_on)) = (opens, closes) else { return Ok(Err(e)) };
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let at = kernel::now();
    let mut tx = db.begin().await?;
    let file_id = match original {
        Some((name, ct, bytes)) => Some(kernel::db::files::store(&mut tx, name, ct, bytes, p.account.unit_id, Some(p.account.id)).await?),
        None => None,
    };
    let new = NewDraft { unit_id: p.account.unit_id, title: &title, drafting_body: &drafting_body, summary: &summary, opens_on, closes_on, created_by: p.account.id, file_id };
    let id = store::insert_draft(&mut tx, &new, at).await?;
    store::insert_parts(&mut tx, id, &parts).await?;
    let file_name = original.map(|o| o.0);
    audit::record(&mut tx, actor, entry("create", id, p.account.unit_id, msg::audit_create(&title), json!({"parts": parts.len(), "opens_on": opens_on, "closes_on": closes_on, "file": file_name}))).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Publishes a draft for comment, audited: the message when it was published already or its
/// period is over (it could never take a comment).
pub async fn publish(db: &Db, actor: &Actor, d: &Draft, day: NaiveDate) -> AppResult<Result<(), &'static str>> {
    if d.status != "draft" {
        return Ok(Err(msg::NOT_DRAFT));
    }
    if phase_of(d, day) == Phase::Closed {
        return Ok(Err(msg::PERIOD_OVER));
    }
    let mut tx = db.begin().await?;
    if !store::publish(&mut tx, d.id, kernel::now()).await? {
        return Ok(Err(msg::NOT_DRAFT));
    }
    // Public from now on (also after its period closes): into the search feed.
    store::feed_item(&mut tx, d.id).await?;
    audit::record(&mut tx, actor, entry("publish", d.id, d.unit_id, msg::audit_publish(&d.title), json!({}))).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Writes every public draft into the search feed, a few hundred per transaction: the backfill
/// of a database that held drafts before the feed, and the demo's. Returns how many it put;
/// running it again is harmless.
pub async fn feed_all(db: &Db) -> kernel::DbResult<u64> {
    let ids = store::feed_candidates(db).await?;
    kernel::search_feed::feed_each(db, &ids, |tx, id| Box::pin(store::feed_item(tx, id))).await
}

/// A comment as typed on the public page.
#[derive(Clone, Debug, Default)]
pub struct CommentForm {
    /// The part's id, or empty for the whole draft.
    pub part: String,
    /// 'person' or 'organisation'.
    pub kind: String,
    pub name: String,
    pub email: String,
    pub body: String,
}

/// Why a comment was not taken.
#[derive(Debug)]
pub enum Refusal {
    Invalid(FieldErrors),
    Closed,
    Limited,
}

/// Takes a public comment while the period runs, within the per-address limit (counted in the
/// same transaction), audited without the commenter's data.
pub async fn comment(db: &Db, key: &[u8], actor: &Actor, ip: &str, d: &Draft, f: &CommentForm, day: NaiveDate) -> AppResult<Result<i64, Refusal>> {
    if d.status != "published" || phase_of(d, day) != Phase::Open {
        return Ok(Err(Refusal::Closed));
    }
    let mut e = FieldErrors::default();
    let c = check_comment(db, d, f, &mut e).await?;
    if !e.is_empty() {
        return Ok(Err(Refusal::Invalid(e)));
    }
    let at = kernel::now();
    let hour = kernel::net::hour_of(at.timestamp());
    let bucket = kernel::net::address_bucket(key, "draft-comment", ip);
    let mut tx = db.begin().await?;
    if store::count_comment(&mut tx, &bucket, hour).await? > COMMENTS_PER_HOUR {
        return Ok(Err(Refusal::Limited));
    }
    let new = NewComment { draft_id: d.id, part_id: c.part_id, author_kind: c.kind, author_name: &c.name, email: &c.email, body: &c.body, channel: Channel::Web.code(), entered_by: None };
    let id = store::insert_comment(&mut tx, &new, at).await?;
    audit::record(&mut tx, actor, Entry {
        action: "comment", entity: "draft_comment", entity_id: Some(id.to_string()), unit_id: Some(d.unit_id),
        summary: msg::audit_comment(&d.title), before: None, after: Some(json!({"draft_id": d.id, "part_id": c.part_id, "author_kind": c.kind})),
    })
    .await?;
    tx.commit().await?;
    if let Err(err) = store::sweep_counts(db, hour - 24).await {
        tracing::warn!(error = %err, "sweeping the drafts' comment counters failed");
    }
    Ok(Ok(id))
}

/// A comment's fields once checked.
struct CheckedComment {
    kind: &'static str,
    name: String,
    email: String,
    body: String,
    part_id: Option<i64>,
}

/// Checks the fields of a comment (public or entered), adding to `e`.
async fn check_comment(db: &Db, d: &Draft, f: &CommentForm, e: &mut FieldErrors) -> AppResult<CheckedComment> {
    let kind = match f.kind.trim() {
        "person" => "person",
        "organisation" => "organisation",
        _ => {
            e.add("kind", msg::KIND_MISSING);
            ""
        }
    };
    let name = kernel::page::typed_text(&f.name, "name", 200, Some(msg::NAME_MISSING), e);
    let email = match kernel::account::parse_email(&f.email) {
        Ok(m) => m.unwrap_or_default(),
        Err(m) => {
            e.add("email", m);
            String::new()
        }
    };
    let body = kernel::page::typed_text(&f.body, "body", COMMENT_MAX, Some(msg::COMMENT_MISSING), e);
    let part_id = match f.part.trim() {
        "" => None,
        s => {
            let parts = store::parts(db, d.id).await?;
            match s.parse::<i64>().ok().filter(|id| parts.iter().any(|p| p.id == *id)) {
                Some(id) => Some(id),
                None => {
                    e.add("part", msg::PART_UNKNOWN);
                    None
                }
            }
        }
    };
    Ok(CheckedComment { kind, name, email, body, part_id })
}

/// A comment received outside the site, as an officer typed it.
#[derive(Clone, Debug, Default)]
pub struct EnteredComment {
    pub comment: CommentForm,
    /// `paper`, `email` or `meeting`.
    pub channel: String,
    /// The day it was received (dd/mm/yyyy).
    pub received: String,
}

/// Enters a comment received on paper, by e-mail or at a meeting, while the draft is published
/// and its table is not (after the period too: a letter may arrive late), audited with the
/// officer who entered it: its id.
pub async fn enter_comment(db: &Db, actor: &Actor, p: &Principal<'_>, d: &Draft, f: &EnteredComment, day: NaiveDate) -> AppResult<Result<i64, FieldErrors>> {
    let mut e = FieldErrors::default();
    if d.status != "published" {
        e.add("channel", msg::ENTER_NOT_PUBLISHED);
        return Ok(Err(e));
    }
    let channel = Channel::parse(&f.channel).filter(|c| Channel::ENTERED.contains(c));
    if channel.is_none() {
        e.add("channel", msg::CHANNEL_MISSING);
    }
    let received = match date(&f.received, "received", &mut e) {
        Some(r) if r > day => {
            e.add("received", msg::RECEIVED_FUTURE);
            None
        }
        Some(r) if r < d.opens_on => {
            e.add("received", msg::RECEIVED_BEFORE_OPEN);
            None
        }
        r => r,
    };
    let c = check_comment(db, d, &f.comment, &mut e).await?;
    let (Some(channel), Some(received), true) = (channel, received, e.is_empty()) else { return Ok(Err(e)) };
    // Noon of the day received, Vietnam time: the day shows as typed in every time zone of the
    // country, and sorts after the site's comments of the early morning.
    let at = text_vi::vietnam_day_start(received) + chrono::Duration::hours(12);
    let mut tx = db.begin().await?;
    let new = NewComment {
        draft_id: d.id, part_id: c.part_id, author_kind: c.kind, author_name: &c.name, email: &c.email, body: &c.body, channel: channel.code(), entered_by: Some(p.account.id),
    };
    let id = store::insert_comment(&mut tx, &new, at).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "draft_comment", entity_id: Some(id.to_string()), unit_id: Some(d.unit_id),
        summary: msg::audit_enter(&d.title, channel), before: None,
        after: Some(json!({"draft_id": d.id, "part_id": c.part_id, "author_kind": c.kind, "channel": channel.code(), "received_on": received})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Saves the reception or explanation typed for each comment (`(comment id, text)`, in the
/// page's order), audited: a field error `responses` naming the rows too long.
pub async fn respond(db: &Db, actor: &Actor, d: &Draft, typed: &[(i64, String)]) -> AppResult<Result<usize, FieldErrors>> {
    let mut e = FieldErrors::default();
    if d.status == "reported" {
        // The table is public: its responses are fixed.
        e.add("responses", msg::ALREADY_REPORTED);
        return Ok(Err(e));
    }
    let mut clean = Vec::with_capacity(typed.len());
    for (i, (id, text)) in typed.iter().enumerate() {
        let t = kernel::page::clean(text);
        if t.chars().count() > COMMENT_MAX {
            e.add("responses", msg::response_too_long(i + 1));
        }
        clean.push((*id, t));
    }
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let mut tx = db.begin().await?;
    let mut n = 0;
    for (id, t) in &clean {
        n += store::set_response(&mut tx, d.id, *id, t).await? as usize;
    }
    audit::record(&mut tx, actor, entry("respond", d.id, d.unit_id, msg::audit_respond(&d.title, n), json!({"comments": n}))).await?;
    tx.commit().await?;
    Ok(Ok(n))
}

/// Publishes the reception and explanation table once the period is over and every comment has
/// a response, audited, and e-mails every commenter who gave an address (through the outbox):
/// the message when it may not be published yet.
pub async fn report(db: &Db, base_url: &str, actor: &Actor, d: &Draft, day: NaiveDate) -> AppResult<Result<(), &'static str>> {
    match d.status.as_str() {
        "draft" => return Ok(Err(msg::REPORT_NOT_PUBLISHED)),
        "reported" => return Ok(Err(msg::ALREADY_REPORTED)),
        _ => {}
    }
    if phase_of(d, day) != Phase::Closed {
        return Ok(Err(msg::REPORT_TOO_EARLY));
    }
    if store::comments(db, d.id).await?.iter().any(|c| c.response.trim().is_empty()) {
        return Ok(Err(msg::REPORT_NOT_READY));
    }
    let mut tx = db.begin().await?;
    if !store::report(&mut tx, d.id, kernel::now()).await? {
        return Ok(Err(msg::ALREADY_REPORTED));
    }
    // Everyone who left an address hears of it, in the same transaction (the outbox).
    let link = format!("{}/du-thao/{}#tiep-thu", base_url.trim_end_matches('/'), d.id);
    let addresses = store::commenter_addresses(&mut tx, d.id).await?;
    for to in &addresses {
        kernel::db::outbox::enqueue(&mut tx, to, &msg::email_reported_subject(&d.title), &msg::email_reported_body(&d.title, &link)).await?;
    }
    audit::record(&mut tx, actor, entry("report", d.id, d.unit_id, msg::audit_report(&d.title), json!({"emails": addresses.len()}))).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Records a download of the table, which names the commenters.
pub async fn audit_export(db: &Db, actor: &Actor, d: &Draft, rows: usize) -> AppResult<()> {
    let mut tx = db.begin().await?;
    audit::record(&mut tx, actor, entry("export", d.id, d.unit_id, msg::audit_export(&d.title), json!({"rows": rows}))).await?;
    tx.commit().await?;
    Ok(())
}

/// Who made a comment, as the public sees it: an organisation by its name, a person never.
pub fn public_author(c: &CommentRow) -> String {
    if c.author_kind == "organisation" { c.author_name.clone() } else { msg::PERSON_PUBLIC.to_string() }
}

/// The reception and explanation table as an official document (Nghị định 30/2020 layout):
/// one row per comment with the part, the commenter (a person by name: the document is the
/// drafting body's), the comment and the response.
pub fn summary_document(d: &Draft, comments: &[CommentRow]) -> documents::OfficialDoc {
    use documents::official::{Block, OfficialDoc, Signature};
    let mut blocks = vec![Block::Paragraph(msg::docx_intro(&text_vi::format_date(d.opens_on), &text_vi::format_date(d.closes_on), comments.len()))];
    if comments.is_empty() {
        blocks.push(Block::Paragraph(msg::DOCX_NONE.into()));
    } else {
        let rows = comments
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut who = if c.author_kind == "organisation" { c.author_name.clone() } else { format!("{} ({})", c.author_name, msg::PERSON.to_lowercase()) };
                if let Some(ch) = Channel::parse(&c.channel).filter(|ch| *ch != Channel::Web) {
                    who = format!("{who}; {}", msg::channel_label(ch).to_lowercase());
                }
                vec![(i + 1).to_string(), c.part_label.clone().unwrap_or_else(|| msg::WHOLE_DRAFT.into()), who, c.body.clone(), c.response.clone()]
            })
            .collect();
        blocks.push(Block::Table { header: msg::DOCX_COLUMNS.iter().map(|s| s.to_string()).collect(), rows, widths: vec![5, 12, 18, 33, 32] });
    }
    OfficialDoc {
        parent_body: None,
        issuing_body: d.drafting_body.to_uppercase(),
        number: None,
        place: None,
        date: None,
        kind: msg::DOCX_KIND.into(),
        title: msg::docx_title(&d.title),
        blocks,
        signature: Signature::default(),
        recipients: Vec::new(),
    }
}
