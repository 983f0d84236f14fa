//! Use cases of questions and feedback, shared by the pages, the jobs and the demo: the public
//! submission with its spam checks (a per-address limit counted in the database, the signed
//! proof-of-work challenge or its text fallback, each challenge used once), routing with the
//! answer deadline in working days, answers citing bookshelf documents (through the kernel's
//! `LegalDocRefs` port), publishing with the public version of the question or answering
//! privately by e-mail, and policy dialogues. Officers' use cases take a `Principal`, check the
//! action and the scope (404 outside it), and audit every write in the same transaction.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use kernel::account::Action;
use kernel::auth::Principal;
use kernel::db::audit::{self, Actor, Entry};
use kernel::db::{Db, DbError};
use kernel::error::{AppError, AppResult};
use kernel::page::FieldErrors;
use kernel::registry::{LegalDocRef, LegalDocRefs};
use serde_json::json;

use crate::msg;
use crate::rules::{self, Kind, Status};
use crate::store::{self, Inquiry, NewInquiry};

/// Submissions accepted from one address in an hour.
pub const SUBMISSIONS_PER_HOUR: i64 = 5;
/// How long a challenge stays valid.
pub const CHALLENGE_MINUTES: i64 = 60;
/// Length limits of the public form.
pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 10_000;
pub const NAME_MAX: usize = 120;
pub const ANSWER_MAX: usize = 20_000;

pub fn now() -> DateTime<Utc> {
    kernel::now()
}

// ---------------------------------------------------------------- keys and challenges

/// HMAC-SHA-256 (RFC 2104) over SHA-256 from the `sha2` crate.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The counter bucket of a source address: its block (the IPv4 address, or the IPv6 /64, see
/// [`rules::spam::address_block`]) keyed, so the stored hash cannot be reversed by trying every
/// address.
pub fn ip_bucket(key: &[u8], ip: &str) -> String {
    format!("ip:{}", kernel::net::address_bucket(key, "inquiry-ip", ip))
}

fn signature(key: &[u8], payload: &str) -> String {
    hex::encode(&hmac_sha256(key, format!("inquiry-pow:{payload}").as_bytes())[..16])
}

fn text_seed(key: &[u8], nonce: &str) -> [u8; 2] {
    let h = hmac_sha256(key, format!("inquiry-text:{nonce}").as_bytes());
    [h[0], h[1]]
}

/// A challenge as the form shows it: the signed token (for the script's proof of work) and the
/// text question of the fallback.
#[derive(Clone, Debug, Default)]
pub struct Challenge {
    pub token: String,
    pub question: String,
}

/// A fresh signed challenge, valid [`CHALLENGE_MINUTES`].
pub fn issue_challenge(key: &[u8], at: DateTime<Utc>) -> Challenge {
    let expires = at.timestamp() + CHALLENGE_MINUTES * 60;
    let nonce = kernel::db::new_token()[..24].to_string();
    let payload = rules::pow::Challenge::payload(expires, &nonce);
    let (a, b) = rules::challenge::operands(text_seed(key, &nonce));
    Challenge { token: format!("{payload}.{}", signature(key, &payload)), question: msg::challenge_question(a, b) }
}

fn number_words() -> Vec<String> {
    msg::NUMBER_WORDS.iter().map(|w| text_vi::fold(w)).collect()
}

/// A challenge checked without the database: signed by us (the signature compared in constant
/// time) and not expired. Returns its nonce, or the message to show.
pub fn verify_challenge<'t>(key: &[u8], token: &'t str, at: DateTime<Utc>) -> Result<&'t str, &'static str> {
    let Some(c) = rules::pow::Challenge::parse(token.trim()) else { return Err(msg::CHALLENGE_EXPIRED) };
    let payload = rules::pow::Challenge::payload(c.expires, c.nonce);
    if !rules::spam::same(&signature(key, &payload), c.signature) || c.expires < at.timestamp() {
        return Err(msg::CHALLENGE_EXPIRED);
    }
    Ok(c.nonce)
}

/// Whether a verified challenge is answered: solved by the script (`counter`) or its text
/// question answered in words or digits (`text`). The caller marks the nonce used whatever the
/// outcome, so each challenge gets one guess.
pub fn challenge_answered(key: &[u8], token: &str, nonce: &str, counter: &str, text: &str) -> bool {
    rules::pow::solves(token.trim(), counter.trim(), rules::pow::BITS) || rules::challenge::accepts(text_seed(key, nonce), &text_vi::fold(text), &number_words())
}

/// The tracking code of a new item.
fn new_code() -> String {
    let bytes: [u8; rules::code::LEN] = rand::random();
    rules::code::from_bytes(bytes)
}

// ---------------------------------------------------------------- submitting

/// The public form as typed.
#[derive(Clone, Debug, Default)]
pub struct AskForm {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub topic: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub commune: String,
    pub private: bool,
    pub dialogue: String,
}

impl AskForm {
    pub fn read(pairs: &[(String, String)]) -> AskForm {
        let f = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        AskForm {
            kind: f("kind"),
            title: f("title"),
            body: f("body"),
            topic: f("topic"),
            name: f("name"),
            email: f("email"),
            phone: f("phone"),
            commune: f("commune"),
            private: !f("private").is_empty(),
            dialogue: f("dialogue"),
        }
    }
}

/// Why a submission was not stored.
#[derive(Debug)]
pub enum Refusal {
    /// Over the per-address limit.
    Limited,
    /// Field errors (the challenge's under `challenge`).
    Invalid(FieldErrors),
    Failed(AppError),
}

impl From<DbError> for Refusal {
    fn from(e: DbError) -> Self {
        Refusal::Failed(e.into())
    }
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Failed(e)
    }
}

/// A commune a citizen may pick, with the inbox (province) it belongs to.
#[derive(Clone, Debug)]
pub struct Commune {
    pub id: i64,
    pub name: String,
    pub inbox_unit_id: i64,
}

/// The communes under every inbox, in each province's order.
pub async fn communes(db: &Db, day: NaiveDate) -> AppResult<Vec<Commune>> {
    let mut out = Vec::new();
    for b in store::inboxes(db).await? {
        for u in kernel::db::units::children(db, Some(b.unit_id), Some(day)).await? {
            out.push(Commune { id: u.id, name: u.name, inbox_unit_id: b.unit_id });
        }
    }
    Ok(out)
}

fn phone_ok(s: &str) -> bool {
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    let body = digits.strip_prefix('+').unwrap_or(&digits);
    (9..=15).contains(&body.len()) && body.bytes().all(|b| b.is_ascii_digit())
}

/// The submission checked: the item to insert, or the field errors.
async fn checked(db: &Db, f: &AskForm, day: NaiveDate) -> AppResult<Result<NewInquiry, FieldErrors>> {
    let mut e = FieldErrors::default();
    let kind = Kind::parse(f.kind.trim());
    if kind.is_none() {
        e.add("kind", msg::KIND_UNKNOWN);
    }
    let title = kernel::page::typed_text(&f.title, "title", TITLE_MAX, Some(msg::TITLE_MISSING), &mut e);
    let body = kernel::page::typed_text(&f.body, "body", BODY_MAX, Some(msg::BODY_MISSING), &mut e);
    let name = kernel::page::typed_text(&f.name, "name", NAME_MAX, None, &mut e);
    let email = match kernel::account::parse_email(&f.email) {
        Ok(m) => m.unwrap_or_default(),
        Err(m) => {
            e.add("email", m);
            String::new()
        }
    };
    let phone = kernel::page::clean(&f.phone);
    if !phone.is_empty() && !phone_ok(&phone) {
        e.add("phone", msg::PHONE_FORMAT);
    }
    let topics = store::topics(db).await?;
    let topic = f.topic.trim();
    let topic_code = if topic.is_empty() {
        None
    } else if topics.iter().any(|(c, _)| c == topic) {
        Some(topic.to_string())
    } else {
        e.add("topic", msg::TOPIC_UNKNOWN);
        None
    };
    let inboxes = store::inboxes(db).await?;
    let communes = communes(db, day).await?;
    let mut dialogue_id = None;
    let mut inbox = None;
    if !f.dialogue.trim().is_empty() {
        match f.dialogue.trim().parse::<i64>().ok() {
            Some(id) => match store::dialogue(db, id).await? {
                Some(d) if d.held_on >= day => {
                    dialogue_id = Some(d.id);
                    inbox = inboxes.iter().find(|b| d.unit_path.starts_with(&b.unit_path)).map(|b| b.unit_id);
                }
                _ => e.add("dialogue", msg::DIALOGUE_CLOSED),
            },
            None => e.add("dialogue", msg::DIALOGUE_CLOSED),
        }
    }
    let mut commune_id = None;
    if !f.commune.trim().is_empty() {
        match f.commune.trim().parse::<i64>().ok().and_then(|id| communes.iter().find(|c| c.id == id)) {
            Some(c) => {
                commune_id = Some(c.id);
                inbox = inbox.or(Some(c.inbox_unit_id));
            }
            None => e.add("commune", msg::COMMUNE_UNKNOWN),
        }
    }
    if inbox.is_none() {
        match inboxes.as_slice() {
            [] => e.add("kind", msg::NO_INBOX),
            [only] => inbox = Some(only.unit_id),
            _ if !e.has("commune") => e.add("commune", msg::COMMUNE_REQUIRED),
            _ => {}
        }
    }
    match (e.is_empty(), kind, inbox) {
        (true, Some(kind), Some(inbox_unit_id)) => Ok(Ok(NewInquiry {
            code: String::new(),
            kind: kind.as_str().into(),
            inbox_unit_id,
            commune_id,
            dialogue_id,
            topic_code,
            title,
            body,
            name,
            email,
            phone,
            private: f.private,
        })),
        _ => Ok(Err(e)),
    }
}

/// The spam check's inputs: the signed token, the script's counter, the typed text answer.
pub struct ChallengeAnswer<'a> {
    pub token: &'a str,
    pub counter: &'a str,
    pub text: &'a str,
}

/// One public submission: the form, the challenge's answer, who sent it (for the audit) and
/// from where (for the limit).
pub struct Submission<'a> {
    pub form: &'a AskForm,
    pub challenge: ChallengeAnswer<'a>,
    pub actor: &'a Actor,
    pub ip: &'a str,
}

/// A public submission: refused over the address's limit, with field errors, or without a valid
/// challenge; else stored with a fresh tracking code, the citizen e-mailed the code through the
/// outbox if they gave an address, and audited without personal data. Returns the code.
pub async fn submit(db: &Db, key: &[u8], base_url: &str, sub: &Submission<'_>, day: NaiveDate) -> Result<String, Refusal> {
    let (f, ch, actor, ip) = (sub.form, &sub.challenge, sub.actor, sub.ip);
    let at = now();
    let bucket = ip_bucket(key, ip);
    let challenge_error = |m: &'static str| {
        let mut e = FieldErrors::default();
        e.add("challenge", m);
        Refusal::Invalid(e)
    };
    let mut n = match checked(db, f, day).await? {
        Ok(n) => n,
        Err(e) => return Err(Refusal::Invalid(e)),
    };
    let nonce = verify_challenge(key, ch.token, at).map_err(challenge_error)?;
    let answered = challenge_answered(key, ch.token, nonce, ch.counter, ch.text);
    // Everything that decides whether the item is stored happens in this one transaction: the
    // address's counter row for the hour and the challenge's unique row serialise concurrent
    // submissions, so each sees its own count and only one may use a challenge.
    let mut tx = db.begin().await?;
    if store::count_submission(&mut tx, &bucket, rules::spam::hour_of(at.timestamp())).await? > SUBMISSIONS_PER_HOUR {
        drop(tx);
        return Err(Refusal::Limited);
    }
    if !store::use_challenge(&mut tx, nonce, at).await? {
        drop(tx);
        return Err(challenge_error(msg::CHALLENGE_EXPIRED));
    }
    if !answered {
        // One guess per challenge: the wrong answer uses it up (and counts for the address).
        tx.commit().await?;
        return Err(challenge_error(msg::CHALLENGE_WRONG));
    }
    let mut id = None;
    for _ in 0..5 {
        n.code = new_code();
        if store::by_code(db, &n.code).await?.is_none() {
            id = Some(store::insert(&mut tx, &n, at).await?);
            break;
        }
    }
    let Some(id) = id else { return Err(Refusal::Failed(AppError::Internal("no free tracking code".into()))) };
    if !n.email.is_empty() {
        let link = format!("{}/hoi-dap/tra-cuu?ma={}", base_url.trim_end_matches('/'), n.code);
        kernel::db::outbox::enqueue(&mut tx, &n.email, &msg::email_received_subject(&n.code), &msg::email_received_body(&n.title, &n.code, &link)).await?;
    }
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "inquiry", entity_id: Some(id.to_string()), unit_id: Some(n.inbox_unit_id),
        summary: msg::audit_received(&n.code), before: None,
        after: Some(json!({"code": n.code, "kind": n.kind, "private": n.private, "dialogue": n.dialogue_id})),
    })
    .await?;
    tx.commit().await?;
    // Counters of past hours and used challenges past their validity: a best-effort sweep.
    if let Err(e) = store::sweep_spam(db, rules::spam::hour_of(at.timestamp()) - 24, at - Duration::minutes(CHALLENGE_MINUTES * 2)).await {
        tracing::warn!(error = %e, "sweeping the inquiries' spam counters failed");
    }
    Ok(n.code)
}

// ---------------------------------------------------------------- officers

/// Whether an account sees an item: the inbox is in its scope (the province), or the unit it was
/// routed to is.
pub fn sees(p: &Principal<'_>, i: &Inquiry) -> bool {
    p.scope.contains(&i.inbox_path) || i.assigned_path.as_deref().is_some_and(|a| p.scope.contains(a))
}

/// Whether an account works for the item's inbox (routes and publishes).
pub fn is_inbox_officer(p: &Principal<'_>, i: &Inquiry) -> bool {
    p.scope.contains(&i.inbox_path)
}

/// An item the account may see for `action`, else 403 (action) or 404 (scope).
pub async fn visible(db: &Db, p: &Principal<'_>, id: i64, action: Action) -> AppResult<Inquiry> {
    p.require(action)?;
    match store::get(db, id).await? {
        Some(i) if sees(p, &i) => Ok(i),
        _ => Err(AppError::NotFound),
    }
}

/// The deadline of an item routed on `day` by an inbox that answers in `days` working days.
pub async fn deadline(db: &Db, day: NaiveDate, days: i64) -> AppResult<NaiveDate> {
    let days = u32::try_from(days.clamp(0, 365)).unwrap_or(10);
    let holidays = store::holidays(db, day, day + Duration::days(i64::from(days) * 3 + 40)).await?;
    Ok(rules::add_working_days(day, days, &holidays))
}

/// The routing form as typed.
#[derive(Clone, Debug, Default)]
pub struct RouteForm {
    pub unit: String,
    pub agency: String,
    pub topic: String,
}

/// Routes an item to a unit of the inbox's province (and optionally one of its agencies) with
/// the answer deadline; the province's officers only. Routing again moves the deadline.
pub async fn route(db: &Db, p: &Principal<'_>, actor: &Actor, i: &Inquiry, f: &RouteForm, day: NaiveDate) -> AppResult<Result<NaiveDate, FieldErrors>> {
    if !is_inbox_officer(p, i) {
        return Err(AppError::Forbidden);
    }
    if !Status::parse(&i.status).is_some_and(Status::can_route) {
        return Err(AppError::BadRequest(msg::STEP_NOT_ALLOWED.into()));
    }
    let mut e = FieldErrors::default();
    let unit = match f.unit.trim().parse::<i64>().ok() {
        None => {
            e.add("unit", msg::UNIT_REQUIRED);
            None
        }
        Some(id) => match kernel::db::units::get(db, id).await {
            Ok(u) if u.path.starts_with(&i.inbox_path) && u.valid_to.is_none_or(|t| t >= day) => Some(u),
            _ => {
                e.add("unit", msg::UNIT_UNKNOWN);
                None
            }
        },
    };
    let mut agency = None;
    if !f.agency.trim().is_empty() {
        match f.agency.trim().parse::<i64>().ok() {
            Some(id) => match kernel::db::agencies::get(db, id).await {
                Ok(a) if unit.as_ref().is_some_and(|u| u.id == a.unit_id) && a.active => agency = Some(a),
                _ => e.add("agency", msg::AGENCY_UNKNOWN),
            },
            None => e.add("agency", msg::AGENCY_UNKNOWN),
        }
    }
    let topics = store::topics(db).await?;
    let topic = match f.topic.trim() {
        "" => None,
        t if topics.iter().any(|(c, _)| c == t) => Some(t.to_string()),
        _ => {
            e.add("topic", msg::TOPIC_UNKNOWN);
            None
        }
    };
    let Some(unit) = unit.filter(|_| e.is_empty()) else { return Ok(Err(e)) };
    let days = store::inboxes(db).await?.into_iter().find(|b| b.unit_id == i.inbox_unit_id).map(|b| b.answer_days).unwrap_or(10);
    let due = deadline(db, day, days).await?;
    let at = now();
    let mut tx = db.begin().await?;
    if !store::route(&mut tx, i.id, unit.id, agency.as_ref().map(|a| a.id), topic.as_deref(), due, at).await? {
        let mut e = FieldErrors::default();
        e.add("unit", msg::MOVED_ON);
        return Ok(Err(e));
    }
    let target = match &agency {
        Some(a) => format!("{} ({})", unit.name, a.name),
        None => unit.name.clone(),
    };
    audit::record(&mut tx, actor, Entry {
        action: "route", entity: "inquiry", entity_id: Some(i.id.to_string()), unit_id: Some(i.inbox_unit_id),
        summary: msg::audit_routed(&i.code, &target, &text_vi::format_date(due)),
        before: Some(json!({"status": i.status, "unit": i.assigned_unit_id, "due": i.due_on})),
        after: Some(json!({"status": "assigned", "unit": unit.id, "agency": agency.as_ref().map(|a| a.id), "due": due})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(due))
}

/// The answer form as typed: the text and the cited documents' numbers, one a line.
#[derive(Clone, Debug, Default)]
pub struct AnswerForm {
    pub answer: String,
    pub citations: String,
}

/// The typed numbers of cited documents, one a line (or separated by `;`).
pub fn citation_lines(s: &str) -> Vec<String> {
    s.split(['\n', ';']).map(kernel::page::clean).filter(|l| !l.is_empty()).take(30).collect()
}

/// The documents cited by an item, through the port (empty without a bookshelf).
pub async fn cited(db: &Db, port: Option<LegalDocRefs>, id: i64) -> AppResult<Vec<LegalDocRef>> {
    let ids = store::citations(db, id).await?;
    match port {
        Some(f) if !ids.is_empty() => Ok(f(db, &ids, &[]).await?),
        _ => Ok(Vec::new()),
    }
}

/// Saves the answer (a draft until published) with the documents it cites; the officers of the
/// unit it was routed to, or of the province.
pub async fn answer(db: &Db, port: Option<LegalDocRefs>, p: &Principal<'_>, actor: &Actor, i: &Inquiry, f: &AnswerForm) -> AppResult<Result<(), FieldErrors>> {
    if !Status::parse(&i.status).is_some_and(Status::can_answer) {
        return Err(AppError::BadRequest(msg::STEP_NOT_ALLOWED.into()));
    }
    let mut e = FieldErrors::default();
    let text = kernel::page::typed_text(&f.answer, "answer", ANSWER_MAX, Some(msg::ANSWER_MISSING), &mut e);
    let mut docs = Vec::new();
    let lines = citation_lines(&f.citations);
    if !lines.is_empty() {
        match port {
            Some(port) => {
                for line in &lines {
                    let found = port(db, &[], std::slice::from_ref(line)).await?;
                    if found.is_empty() {
                        e.add("citations", msg::citation_unknown(line));
                    }
                    docs.extend(found.into_iter().map(|d| d.id));
                }
            }
            None => e.add("citations", msg::citation_unknown(&lines.join("; "))),
        }
    }
    if !e.is_empty() {
        return Ok(Err(e));
    }
    docs.sort_unstable();
    docs.dedup();
    let at = now();
    let mut tx = db.begin().await?;
    if !store::save_answer(&mut tx, i.id, &text, p.account.id, at).await? {
        e.add("answer", msg::MOVED_ON);
        return Ok(Err(e));
    }
    store::set_citations(&mut tx, i.id, &docs).await?;
    audit::record(&mut tx, actor, Entry {
        action: "answer", entity: "inquiry", entity_id: Some(i.id.to_string()), unit_id: i.assigned_unit_id.or(Some(i.inbox_unit_id)),
        summary: msg::audit_answered(&i.code),
        before: Some(json!({"status": i.status, "answer": i.answer})),
        after: Some(json!({"status": "answered", "answer": text, "documents": docs})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The publishing form as typed: the public version of the question, its topic, and the item's
/// version when the form was shown (so the approver publishes the answer they read).
#[derive(Clone, Debug, Default)]
pub struct PublishForm {
    pub public_title: String,
    pub public_body: String,
    pub topic: String,
    pub version: String,
    /// The approver confirmed that the long numbers in the text are public (not personal data).
    pub numbers_checked: bool,
}

/// The field error for a text about to be published that still holds the sender's personal data.
/// A run of nine or more digits the approver confirmed as public (`numbers_checked`: a hotline,
/// a document number) is let through; the sender's own data never is.
fn check_personal(i: &Inquiry, field: &'static str, text: &str, numbers_checked: bool, e: &mut FieldErrors) {
    use rules::privacy::Leak;
    let folded_name = text_vi::fold(&i.name);
    let name = i.name.to_lowercase();
    let sender = rules::privacy::Sender { name: &name, folded_name: &folded_name, email: &i.email, phone: &i.phone };
    match rules::privacy::leak(&text.to_lowercase(), &text_vi::fold(text), &sender) {
        Some(Leak::LongNumber) if numbers_checked => {}
        Some(Leak::LongNumber) => {
            e.add(field, msg::personal_data(Leak::LongNumber));
            if !e.has("numbers_checked") {
                e.add("numbers_checked", msg::NUMBERS_CONFIRM);
            }
        }
        Some(leak) => e.add(field, msg::personal_data(leak)),
        None => {}
    }
}

/// Publishes a drafted answer with the public version of the question (typed by the officer,
/// never the contact fields; refused while it or the answer holds the sender's name, e-mail,
/// phone or a run of nine or more digits), at the version the approver saw, or, when the citizen asked for privacy, closes it and sends the
/// answer by e-mail (if they gave an address); the tracking page shows it either way. The
/// province's officers only. Returns whether it went public.
pub async fn publish(db: &Db, base_url: &str, p: &Principal<'_>, actor: &Actor, i: &Inquiry, f: &PublishForm) -> AppResult<Result<bool, FieldErrors>> {
    p.require(Action::PublishInquiries)?;
    if !is_inbox_officer(p, i) {
        return Err(AppError::Forbidden);
    }
    if Status::parse(&i.status) != Some(Status::Answered) {
        return Err(AppError::BadRequest(msg::STEP_NOT_ALLOWED.into()));
    }
    let mut e = FieldErrors::default();
    let (title, body) = if i.private {
        (String::new(), String::new())
    } else {
        (
            kernel::page::typed_text(&f.public_title, "public_title", TITLE_MAX, Some(msg::PUBLIC_TITLE_MISSING), &mut e),
            kernel::page::typed_text(&f.public_body, "public_body", BODY_MAX, Some(msg::PUBLIC_BODY_MISSING), &mut e),
        )
    };
    if !i.private {
        check_personal(i, "public_title", &title, f.numbers_checked, &mut e);
        check_personal(i, "public_body", &body, f.numbers_checked, &mut e);
        check_personal(i, "answer", &i.answer, f.numbers_checked, &mut e);
    }
    let version = f.version.trim().parse::<i64>().ok();
    if version != Some(i.version) {
        e.add("publish", msg::STALE_FORM);
    }
    let topics = store::topics(db).await?;
    let topic = match f.topic.trim() {
        "" => i.topic_code.clone(),
        t if topics.iter().any(|(c, _)| c == t) => Some(t.to_string()),
        _ => {
            e.add("topic", msg::TOPIC_UNKNOWN);
            None
        }
    };
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let at = now();
    let public = !i.private;
    let status = if public { Status::Published } else { Status::Closed };
    let key = if public { text_vi::fold(&format!("{title} {body} {}", i.answer)) } else { String::new() };
    let mut tx = db.begin().await?;
    if !store::publish(&mut tx, i.id, status.as_str(), &title, &body, topic.as_deref(), &key, p.account.id, at, version).await? {
        e.add("publish", msg::STALE_FORM);
        return Ok(Err(e));
    }
    // A public answer goes into the search feed (its public version only); a private one never.
    store::feed_item(&mut tx, i.id).await?;
    if !i.email.is_empty() {
        let link = format!("{}/hoi-dap/tra-cuu?ma={}", base_url.trim_end_matches('/'), i.code);
        kernel::db::outbox::enqueue(&mut tx, &i.email, &msg::email_answer_subject(&i.code), &msg::email_answer_body(&i.title, &i.answer, &link)).await?;
    }
    audit::record(&mut tx, actor, Entry {
        action: if public { "publish" } else { "close" }, entity: "inquiry", entity_id: Some(i.id.to_string()), unit_id: Some(i.inbox_unit_id),
        summary: if public { msg::audit_published(&i.code) } else { msg::audit_closed(&i.code) },
        before: Some(json!({"status": i.status})),
        after: Some(json!({"status": status.as_str(), "public_title": title, "public_body": body, "topic": topic})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(public))
}

/// Sets an inbox's answer period; the province's officers (or a system administrator) for a
/// province in scope.
pub async fn set_answer_days(db: &Db, p: &Principal<'_>, actor: &Actor, unit_id: i64, days: &str) -> AppResult<Result<(), FieldErrors>> {
    p.require(Action::PublishInquiries)?;
    if !p.scope.is_province_or_wider() {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::default();
    let unit = match kernel::db::units::get(db, unit_id).await {
        Ok(u) if u.parent_id.is_none() && p.scope.contains(&u.path) => Some(u),
        _ => None,
    };
    let days = days.trim().parse::<i64>().ok().filter(|d| (1..=60).contains(d));
    if days.is_none() {
        e.add("days", msg::DAYS_FORMAT);
    }
    let (Some(unit), Some(days)) = (unit, days) else {
        if e.is_empty() {
            return Err(AppError::NotFound);
        }
        return Ok(Err(e));
    };
    let mut tx = db.begin().await?;
    store::set_inbox(&mut tx, unit.id, days, now()).await?;
    audit::record(&mut tx, actor, Entry {
        action: "update", entity: "inquiry_inbox", entity_id: Some(unit.id.to_string()), unit_id: Some(unit.id),
        summary: msg::audit_inbox(&unit.name, days), before: None, after: Some(json!({"answer_days": days})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------- search feed

/// Writes every public answer into the search feed, a few hundred per transaction: the backfill
/// of a database that held answers before the feed, and the demo's. Returns how many it put;
/// running it again is harmless.
pub async fn feed_all(db: &Db) -> kernel::DbResult<u64> {
    let ids = store::feed_candidates(db).await?;
    kernel::search_feed::feed_each(db, &ids, |tx, id| Box::pin(store::feed_item(tx, id))).await
}

// ---------------------------------------------------------------- dialogues

/// The dialogue form as typed.
#[derive(Clone, Debug, Default)]
pub struct DialogueForm {
    pub topic: String,
    pub held_on: String,
    pub place: String,
    pub description: String,
}

/// Creates a policy dialogue of the account's unit.
pub async fn create_dialogue(db: &Db, p: &Principal<'_>, actor: &Actor, f: &DialogueForm) -> AppResult<Result<i64, FieldErrors>> {
    p.require(Action::HandleInquiries)?;
    let mut e = FieldErrors::default();
    let topic = kernel::page::typed_text(&f.topic, "topic", TITLE_MAX, Some(msg::DIALOGUE_TOPIC_MISSING), &mut e);
    let place = kernel::page::typed_text(&f.place, "place", TITLE_MAX, Some(msg::PLACE_MISSING), &mut e);
    let description = kernel::page::typed_text(&f.description, "description", 2000, None, &mut e);
    let held_on = match f.held_on.trim() {
        "" => {
            e.add("held_on", msg::DATE_MISSING);
            None
        }
        s => match text_vi::parse_date(s) {
            Ok(d) => Some(d),
            Err(_) => {
                e.add("held_on", msg::DATE_FORMAT);
                None
            }
        },
    };
    let Some(held_on) = held_on.filter(|_| e.is_empty()) else { return Ok(Err(e)) };
    let mut tx = db.begin().await?;
    let new = store::NewDialogue { unit_id: p.account.unit_id, topic: &topic, held_on, place: &place, description: &description, created_by: Some(p.account.id) };
    let id = store::insert_dialogue(&mut tx, &new, now()).await?;
    audit::record(&mut tx, actor, Entry {
        action: "create", entity: "inquiry_dialogue", entity_id: Some(id.to_string()), unit_id: Some(p.account.unit_id),
        summary: msg::audit_dialogue(&topic), before: None, after: Some(json!({"topic": topic, "held_on": held_on, "place": place})),
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}
