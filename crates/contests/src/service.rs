//! Use cases shared by the pages (and later the API): the organiser's scope checks, the
//! registration with its one-time code and keyed hashes, the entrant's session, starting an
//! attempt (the draw, one active attempt), saving answers, closing an attempt (submission or
//! expiry) with its counted result and the live counters in the same transaction, and the
//! ranking of a round, exclusions from it and the publication of its prize winners.

use chrono::{DateTime, Duration, Utc};
use kernel::auth::Principal;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};
use kernel::page::FieldErrors;
use kernel::state::AppState;
use kernel::{Db, DbError};
use serde_json::json;

use crate::rules::collective::{self, Collective, CollectiveLevel, CollectiveMode};
use crate::rules::draw::{self, Candidate};
use crate::rules::policy::{self, Outcome};
use crate::rules::ranking::{self, Award, Entry as RankEntry};
use crate::rules::settings::PredictionKind;
use crate::rules::timer;
use crate::store::{self, Attempt, Contest, ResultRow, Round};

/// How long a one-time code is valid, in minutes.
pub const CODE_MINUTES: i64 = 10;
/// Codes an entrant may try per hour, whatever the number of codes sent (a new code does not
/// give new tries).
pub const CODE_TRIES: i64 = 5;
/// Codes sent to one entrant per hour; past it a request opens a session but sends nothing.
pub const SENDS_PER_ENTRANT: i64 = 3;
/// Registrations and code requests per client address per hour.
pub const SENDS_PER_ADDRESS: i64 = 30;
/// How long an entrant's session lasts, in hours.
pub const SESSION_HOURS: i64 = 24;

// ---------------------------------------------------------------- organiser

/// The contest if the principal's scope holds its organiser unit, else `NotFound`.
pub async fn visible_contest(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<Contest> {
    let c = store::contest(db, id).await?;
    if !p.scope.contains(&c.unit_path) {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

/// The round and its contest, if the principal's scope holds the organiser unit.
pub async fn visible_round(db: &Db, p: &Principal<'_>, id: i64) -> AppResult<(Contest, Round)> {
    let r = store::round(db, id).await?;
    let c = visible_contest(db, p, r.contest_id).await?;
    Ok((c, r))
}

/// Whether the principal may see entrants' contacts (phone or e-mail) in a round's exports: only
/// the accounts of the organiser unit, who reach the winners; the units above it see the
/// exports without them.
pub fn sees_contacts(p: &Principal<'_>, c: &Contest) -> bool {
    p.account.unit_id == c.unit_id
}

pub fn audit_entry<'a>(action: &'a str, entity: &'a str, id: i64, unit_id: i64, summary: String, after: serde_json::Value) -> Entry<'a> {
    Entry { action, entity, entity_id: Some(id.to_string()), unit_id: Some(unit_id), summary, before: None, after: Some(after) }
}

/// The bank questions a round's quotas may draw (the candidates of the draw).
pub fn candidates(bank: &[store::QuestionRow]) -> Vec<Candidate> {
    bank.iter().map(|q| Candidate { id: q.id, topic: q.topic.clone(), difficulty: q.difficulty.clone(), options: q.option_list().len() }).collect()
}

/// Publishes a draft round: the bank must fill its quotas; the questions it may draw are
/// frozen in the same transaction. `Err(message)` when the bank falls short.
pub async fn publish_round(db: &Db, actor: &Actor, c: &Contest, r: &Round) -> AppResult<Result<(), String>> {
    let bank = store::questions(db, c.id).await?;
    let cands = candidates(&bank);
    if let Err(s) = draw::check(&cands, &r.quotas) {
        return Ok(Err(crate::msg::shortfall(s.quota + 1, s.wanted, s.available)));
    }
    let ids: Vec<i64> = cands.iter().filter(|q| r.quotas.iter().any(|quota| draw::matches(quota, q))).map(|q| q.id).collect();
    let mut tx = db.begin().await?;
    if store::publish_round(&mut tx, r.id).await? == 0 {
        return Ok(Err(crate::msg::ROUND_PUBLISHED.into()));
    }
    store::freeze(&mut tx, &ids).await?;
    audit::record(&mut tx, actor, audit_entry("publish", "contest_round", r.id, c.unit_id, crate::msg::audit_publish_round(&r.title, &c.title), json!({"frozen_questions": ids.len()}))).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------- keys and hashes

/// The key of the one-time codes' hashes: `contests.id_pepper` from the configuration, or
/// else a random key created once in the database's settings (a six-digit code that lives ten
/// minutes gains nothing from a key outside the database).
pub async fn pepper(state: &AppState) -> AppResult<Vec<u8>> {
    if let Some(k) = id_pepper(state) {
        return Ok(k);
    }
    let k = kernel::db::settings::get_or_create(&state.db, "contests_id_pepper", kernel::db::new_token).await?;
    Ok(k.into_bytes())
}

/// The key of the CCCD hashes: only `contests.id_pepper` from the configuration, never a key
/// kept in the database next to the hashes (a 12-digit number under a known key is found by
/// trying them all). `None` when it is not configured: a contest cannot then require the
/// number, and an optional number is not kept.
pub fn id_pepper(state: &AppState) -> Option<Vec<u8>> {
    let configured = &state.config.contests.id_pepper;
    (!configured.is_empty()).then(|| configured.as_bytes().to_vec())
}

/// The start of the hour holding `t` (the window of the limit counters).
pub fn hour_of(t: DateTime<Utc>) -> DateTime<Utc> {
    let secs = t.timestamp();
    DateTime::from_timestamp(secs - secs.rem_euclid(3600), 0).unwrap_or(t)
}

/// HMAC-SHA-256 of `value` under `key` for `purpose`, in hex.
pub fn keyed_hash(key: &[u8], purpose: &str, value: &str) -> String {
    use hmac::{KeyInit, Mac};
    match <hmac::Hmac<sha2_11::Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(purpose.as_bytes());
            mac.update(&[0]);
            mac.update(value.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// SHA-256 of a session secret, as stored.
pub fn secret_hash(secret: &str) -> String {
    kernel::token_hash(secret)
}

/// A six-digit one-time code.
pub fn new_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

// ---------------------------------------------------------------- registration

/// A checked registration.
#[derive(Clone, Debug)]
pub struct Registration {
    pub full_name: String,
    pub birth_year: i64,
    pub contact: String,
    pub commune_id: i64,
    pub id_number: Option<String>,
}

/// What a registration (or a request for a new code) led to. New and existing contacts get the
/// same answer on the page, so that it does not tell whether a contact is registered.
pub enum Registered {
    /// A session for the entrant, new or existing (a code was queued, unless the entrant's
    /// hourly cap of codes was reached). (entrant id, session secret)
    Session(i64, String),
    /// No such contact (a request for a new code only): nothing sent, a session that matches no
    /// entrant (its secret).
    Ghost(String),
    /// Too many requests from this client address this hour: nothing done.
    Throttled,
    /// Another entrant of the contest gave this CCCD number.
    DuplicateId,
    /// The contest requires a CCCD number but no pepper is configured.
    NoIdKey,
}

/// Counts one request from `ip` this hour: false past the cap. The counter row is its own
/// transaction, so a refused or failed request still counts.
pub async fn address_allowed(state: &AppState, ip: &str, now: DateTime<Utc>) -> AppResult<bool> {
    let key = pepper(state).await?;
    // The address block (an IPv4 address, an IPv6 /64), kept only as a keyed hash.
    let block = kernel::net::address_bucket(&key, "contest-ip", ip);
    let db = &state.db;
    let mut tx = db.begin().await?;
    let n = store::bump_limit(&mut tx, &format!("send:ip:{block}"), hour_of(now)).await?;
    store::prune_limits(&mut tx, hour_of(now) - Duration::hours(2)).await?;
    tx.commit().await?;
    Ok(n <= SENDS_PER_ADDRESS)
}

/// Opens an unverified session for an entrant and, within the entrant's hourly cap, queues a
/// new code (replacing the old one) in the outbox.
async fn send_code(tx: &mut kernel::Tx, key: &[u8], c: &Contest, entrant_id: i64, contact: &str) -> AppResult<String> {
    let now = kernel::now();
    if store::bump_limit(tx, &format!("send:entrant:{entrant_id}"), hour_of(now)).await? <= SENDS_PER_ENTRANT {
        let code = new_code();
        store::set_code(tx, entrant_id, &keyed_hash(key, "contest-code", &format!("{entrant_id}:{code}")), now + Duration::minutes(CODE_MINUTES)).await?;
        // Phone numbers are queued with an `sms:` address for an SMS gateway (docs/contests.md).
        let to = if contact.contains('@') { contact.to_string() } else { format!("sms:{contact}") };
        kernel::db::outbox::enqueue(tx, &to, crate::msg::CODE_SUBJECT, &crate::msg::code_body(&c.title, &code, CODE_MINUTES)).await?;
    }
    let secret = kernel::db::new_token();
    store::create_session(tx, &secret_hash(&secret), entrant_id, now + Duration::hours(SESSION_HOURS)).await?;
    Ok(secret)
}

/// A new code for an existing entrant (within the caps), with its audit entry.
async fn existing(state: &AppState, actor: &Actor, key: &[u8], c: &Contest, e: &store::Entrant) -> AppResult<Registered> {
    let mut tx = state.db.begin().await?;
    let secret = send_code(&mut tx, key, c, e.id, &e.contact).await?;
    audit::record(&mut tx, actor, audit_entry("request_code", "contest_entrant", e.id, c.unit_id, crate::msg::audit_request_code(&c.title), json!({}))).await?;
    tx.commit().await?;
    Ok(Registered::Session(e.id, secret))
}

/// A new code for the entrant registered with `contact`, within the caps.
pub async fn request_code(state: &AppState, actor: &Actor, ip: &str, c: &Contest, contact: Option<&str>) -> AppResult<Registered> {
    if !address_allowed(state, ip, kernel::now()).await? {
        return Ok(Registered::Throttled);
    }
    let found = match contact {
        Some(contact) => store::entrant_by_contact(&state.db, c.id, contact).await?,
        None => None,
    };
    let key = pepper(state).await?;
    match found {
        Some(e) => existing(state, actor, &key, c, &e).await,
        None => {
            // A session that leads nowhere, but whose tries are counted under the contact (as an
            // entrant's are) so that a stranger's guesses cannot tell it from a registered one.
            let secret = kernel::db::new_token();
            let contact_key = contact.map(|k| keyed_hash(&key, "contest-contact", &format!("{}:{k}", c.id))).unwrap_or_else(|| secret_hash(&secret));
            let mut tx = state.db.begin().await?;
            store::bump_limit(&mut tx, &format!("ghost:{}:{}", secret_hash(&secret), &contact_key[..32]), hour_of(kernel::now())).await?;
            tx.commit().await?;
            Ok(Registered::Ghost(secret))
        }
    }
}

/// A try of a code on a session that matches no entrant (a code asked for an unknown contact):
/// always wrong, counted like an entrant's tries so that the answers are the same.
pub async fn ghost_try(state: &AppState, secret: &str) -> AppResult<&'static str> {
    let now = kernel::now();
    let hash = secret_hash(secret);
    let bucket = match store::ghost_contact(&state.db, &hash).await? {
        Some(contact_key) => format!("try:ghost:{contact_key}"),
        None => format!("try:session:{hash}"),
    };
    let mut tx = state.db.begin().await?;
    let tries = store::bump_limit(&mut tx, &bucket, hour_of(now)).await?;
    tx.commit().await?;
    Ok(if tries > CODE_TRIES { crate::msg::CODE_TOO_MANY } else { crate::msg::CODE_WRONG })
}

/// Registers an entrant (or, for a contact already registered, sends a new code to it without
/// registering twice), in one transaction with its audit entry, within the hourly caps.
pub async fn register(state: &AppState, actor: &Actor, ip: &str, c: &Contest, r: &Registration) -> AppResult<Registered> {
    let db = &state.db;
    if !address_allowed(state, ip, kernel::now()).await? {
        return Ok(Registered::Throttled);
    }
    let key = pepper(state).await?;
    if let Some(e) = store::entrant_by_contact(db, c.id, &r.contact).await? {
        return existing(state, actor, &key, c, &e).await;
    }
    let id_key = id_pepper(state);
    if c.require_id_number && id_key.is_none() {
        return Ok(Registered::NoIdKey);
    }
    let id_hash = match (&r.id_number, &id_key) {
        (Some(n), Some(k)) => Some(keyed_hash(k, "contest-cccd", n)),
        _ => None,
    };
    let mut tx = db.begin().await?;
    let new = store::NewEntrant { contest_id: c.id, full_name: &r.full_name, birth_year: r.birth_year, contact: &r.contact, commune_id: r.commune_id, id_hash: id_hash.as_deref() };
    let id = match store::insert_entrant(&mut tx, &new).await {
        Ok(id) => id,
        Err(DbError::Conflict(_)) => {
            drop(tx);
            // Registered by a concurrent request between the look-up and the insert, or the
            // CCCD number is another entrant's.
            return match store::entrant_by_contact(db, c.id, &r.contact).await? {
                Some(e) => existing(state, actor, &key, c, &e).await,
                None => Ok(Registered::DuplicateId),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let secret = send_code(&mut tx, &key, c, id, &r.contact).await?;
    audit::record(&mut tx, actor, audit_entry("register", "contest_entrant", id, c.unit_id, crate::msg::audit_register(&c.title), json!({"commune_id": r.commune_id, "birth_year": r.birth_year}))).await?;
    tx.commit().await?;
    Ok(Registered::Session(id, secret))
}

/// Checks a one-time code for the session's entrant: verifies the entrant and the session. The
/// try is claimed (counted, in its own committed transaction) before the code is compared, so
/// parallel guesses never exceed `CODE_TRIES` per hour; a new code does not reset the count.
pub async fn verify_code(state: &AppState, actor: &Actor, secret: &str, c: &Contest, entrant_id: i64, code: &str) -> AppResult<Result<(), &'static str>> {
    let key = pepper(state).await?;
    let now = kernel::now();
    let mut tx = state.db.begin().await?;
    let tries = store::bump_limit(&mut tx, &format!("try:entrant:{entrant_id}"), hour_of(now)).await?;
    tx.commit().await?;
    if tries > CODE_TRIES {
        return Ok(Err(crate::msg::CODE_TOO_MANY));
    }
    let mut tx = state.db.begin().await?;
    let Some(hash) = store::live_code(&mut tx, entrant_id, now).await? else { return Ok(Err(crate::msg::CODE_WRONG)) };
    if hash != keyed_hash(&key, "contest-code", &format!("{entrant_id}:{}", code.trim())) || store::mark_verified(&mut tx, entrant_id, &hash).await? == 0 {
        return Ok(Err(crate::msg::CODE_WRONG));
    }
    store::verify_session(&mut tx, &secret_hash(secret)).await?;
    audit::record(&mut tx, actor, audit_entry("verify", "contest_entrant", entrant_id, c.unit_id, crate::msg::audit_verify(&c.title), json!({}))).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------- attempts

/// Why an attempt could not start.
#[derive(Debug, PartialEq, Eq)]
pub enum StartRefusal {
    NotOpen,
    NoneLeft,
    /// Another attempt is active (its id).
    Active(i64),
    BankShort,
}

/// Starts an attempt in a round for an entrant: closes their expired attempts first, checks the
/// window and the attempt cap, draws the questions and inserts the attempt; the partial unique
/// index refuses a second active attempt even from another instance.
pub async fn start_attempt(db: &Db, round: &Round, entrant: &store::Entrant, now: DateTime<Utc>) -> AppResult<Result<i64, StartRefusal>> {
    if !round.is_open(now) {
        return Ok(Err(StartRefusal::NotOpen));
    }
    if let Some(a) = store::active_attempt(db, entrant.id).await? {
        let r = if a.round_id == round.id { round.clone() } else { store::round(db, a.round_id).await? };
        if !close_if_expired(db, &r, &a, now).await? {
            return Ok(Err(StartRefusal::Active(a.id)));
        }
    }
    let used = store::attempts_of(db, round.id, entrant.id).await?.len() as i64;
    if !policy::may_start(round.max_attempts, used) {
        return Ok(Err(StartRefusal::NoneLeft));
    }
    let bank = store::drawable(db, round.contest_id).await?;
    let Ok(drawn) = draw::draw(&candidates(&bank), &round.quotas, &mut rand::rng()) else { return Ok(Err(StartRefusal::BankShort)) };
    let deadline = timer::deadline(now, round.time_limit_s, round.ends_at);
    let accept_until = deadline + Duration::seconds(round.grace_s.max(0));
    let mut tx = db.begin().await?;
    let id = match store::insert_attempt(&mut tx, round.id, entrant.id, used + 1, now, deadline, accept_until, &drawn).await {
        Ok(id) => id,
        Err(DbError::Conflict(_)) => {
            drop(tx);
            return Ok(match store::active_attempt(db, entrant.id).await? {
                Some(a) => Err(StartRefusal::Active(a.id)),
                None => Err(StartRefusal::NoneLeft),
            });
        }
        Err(e) => return Err(e.into()),
    };
    store::bump_counters(&mut tx, round.id, entrant.commune_id, i64::from(used == 0), 1, 0).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Closes an attempt that is past its deadline and grace (the query-time rule applied when the
/// attempt is next touched): true when it is (now) closed.
pub async fn close_if_expired(db: &Db, round: &Round, a: &Attempt, now: DateTime<Utc>) -> AppResult<bool> {
    if a.status != "active" {
        return Ok(true);
    }
    if timer::accepts(now, a.deadline_at, round.grace_s) {
        return Ok(false);
    }
    close(db, round, a, a.deadline_at, None, "expired").await?;
    Ok(true)
}

/// Closes every expired attempt of a round (before reading its ranking).
pub async fn close_stale(db: &Db, round: &Round, now: DateTime<Utc>) -> AppResult<()> {
    for id in store::stale_attempts(db, round.id, now).await? {
        let a = store::attempt(db, id).await?;
        close_if_expired(db, round, &a, now).await?;
    }
    Ok(())
}

/// Closes an attempt (submitted or expired): its score from the saved answers, its time, the
/// counted result by the round's policy, and the live counters, in one transaction. A second
/// close of the same attempt (two requests racing) changes nothing.
pub async fn close(db: &Db, round: &Round, a: &Attempt, at: DateTime<Utc>, prediction: Option<i64>, status: &str) -> AppResult<()> {
    let entrant = store::entrant(db, a.entrant_id).await?;
    let duration = timer::duration_ms(a.started_at, at, a.deadline_at);
    let mut tx = db.begin().await?;
    // Claim first, then read the marks: a save that holds the attempt row commits before the
    // claim goes through (and is scored); one that comes after sees the attempt closed.
    if store::close_attempt(&mut tx, a.id, status, at, duration, prediction).await? == 0 {
        return Ok(());
    }
    let marks = store::marks(&mut tx, a.id).await?;
    let items: Vec<(i64, bool, bool)> = marks.iter().map(|(q, chosen, order, correct)| (*q, chosen.is_some(), draw::shown_is_correct(*chosen, order, *correct))).collect();
    let score = items.iter().filter(|i| i.2).count() as i64;
    store::set_score(&mut tx, a.id, score).await?;
    let closed = store::attempt_tx(&mut tx, a.id).await?;
    let current = store::result_tx(&mut tx, round.id, a.entrant_id).await?;
    let new = Outcome { score, duration_ms: duration, started_at: a.started_at };
    let cur = current.as_ref().map(|r| Outcome { score: r.score, duration_ms: r.duration_ms, started_at: r.started_at });
    let full = i64::from(score == a.question_count && a.question_count > 0);
    let attempts = current.as_ref().map_or(0, |r| r.attempts) + 1;
    let full_score_attempts = current.as_ref().map_or(0, |r| r.full_score_attempts) + full;
    let row = if policy::replaces(round.counting, cur.as_ref(), &new) {
        ResultRow { entrant_id: a.entrant_id, attempt_id: a.id, score, question_count: a.question_count, duration_ms: duration, started_at: a.started_at, prediction: closed.prediction, attempts, full_score_attempts }
    } else {
        let Some(mut r) = current else { return Err(AppError::Internal("no counted result".into())) };
        r.attempts = attempts;
        r.full_score_attempts = full_score_attempts;
        r
    };
    store::put_result(&mut tx, round.id, &row).await?;
    store::bump_counters(&mut tx, round.id, entrant.commune_id, 0, 0, 1).await?;
    store::bump_score(&mut tx, round.id, score).await?;
    store::bump_questions(&mut tx, round.id, a.id, &items).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- most-missed questions

/// Most-missed questions shown, and the closed attempts a question must appear in first.
pub const MISSED_SHOWN: usize = 10;
pub const MISSED_MIN_DRAWN: i64 = 5;

/// The most-missed questions of a round (the ranking page and the statistics API), most missed
/// first: each with its text and its counters summed over the shards.
pub async fn most_missed(db: &Db, round_id: i64) -> AppResult<Vec<(store::QuestionCountRow, crate::rules::missed::QuestionCount)>> {
    use crate::rules::missed::{self, QuestionCount};
    let rows = store::question_counts(db, round_id).await?;
    let counts = rows.iter().map(|r| QuestionCount { question_id: r.question_id, drawn: r.drawn, answered: r.answered, correct: r.correct }).collect();
    let top = missed::most_missed(counts, MISSED_SHOWN, MISSED_MIN_DRAWN);
    let mut by_id: std::collections::HashMap<i64, store::QuestionCountRow> = rows.into_iter().map(|r| (r.question_id, r)).collect();
    Ok(top.into_iter().filter_map(|q| Some((by_id.remove(&q.question_id)?, q))).collect())
}

// ---------------------------------------------------------------- ranking

/// One line of a round's ranking.
pub struct Ranked {
    pub position: usize,
    pub row: store::RankedRow,
    pub prize: Option<String>,
    /// The key that placed this entrant below the one above (None: the final key or the first).
    pub decided_by: Option<&'static str>,
    /// Under "one prize per person": passed over here because of the prize held in another
    /// round (its description), the prize going to the next entrant.
    pub held_elsewhere: Option<String>,
}

/// The figure the prediction question asked for, from the counted results.
pub fn actual_figure(kind: Option<PredictionKind>, rows: &[store::RankedRow]) -> i64 {
    match kind {
        Some(PredictionKind::CorrectAllCount) => rows.iter().filter(|r| r.question_count > 0 && r.score == r.question_count).count() as i64,
        _ => rows.len() as i64,
    }
}

/// The ranking of a round, by its keys and the final key, with the prize bands; expired
/// attempts are closed first, and entrants the organiser excluded are left out (the prizes pass
/// to the next).
pub async fn ranking(db: &Db, round: &Round, now: DateTime<Utc>) -> AppResult<(Vec<Ranked>, i64)> {
    close_stale(db, round, now).await?;
    let excluded: std::collections::HashSet<i64> = store::exclusions(db, round.id).await?.into_iter().map(|(id, _)| id).collect();
    let rows: Vec<store::RankedRow> = store::results_of_round(db, round.id).await?.into_iter().filter(|r| !excluded.contains(&r.entrant_id)).collect();
    let actual = actual_figure(round.prediction, &rows);
    let entry = |r: &store::RankedRow| RankEntry { entrant_id: r.entrant_id, score: r.score, duration_ms: r.duration_ms, started_at: r.started_at, prediction: r.prediction, full_score_attempts: r.full_score_attempts };
    let ordered = ranking::rank(rows.iter().map(entry).collect(), &round.keys, actual);
    let by_id: std::collections::HashMap<i64, &store::RankedRow> = rows.iter().map(|r| (r.entrant_id, r)).collect();
    let (held, labels) = held_prizes(db, round).await?;
    let order: Vec<i64> = ordered.iter().map(|e| e.entrant_id).collect();
    let awards = ranking::award(&order, &round.prizes, &held);
    let mut out: Vec<Ranked> = Vec::with_capacity(ordered.len());
    for (i, (e, award)) in ordered.iter().zip(awards).enumerate() {
        let decided_by = if i == 0 { None } else { Some(ranking::deciding_key(&ordered[i - 1], e, &round.keys, actual).map_or(crate::msg::FINAL_KEY, |k| k.label())) };
        let Some(row) = by_id.get(&e.entrant_id) else { continue };
        let (prize, held_elsewhere) = match award {
            Award::Prize(p) => (Some(p.name.clone()), None),
            Award::HeldElsewhere(k) => (None, labels.get(k).cloned()),
            Award::None => (None, None),
        };
        out.push(Ranked { position: i + 1, row: (*row).clone(), prize, decided_by, held_elsewhere });
    }
    Ok((out, actual))
}

/// Under the contest's "one prize per person" rule, each entrant's highest prize held in the
/// contest's other rounds: (entrant → (amount, index into the labels)), and the labels ("Giải
/// Nhất, Vòng 1"). Empty without the rule.
async fn held_prizes(db: &Db, round: &Round) -> AppResult<(std::collections::HashMap<i64, (i64, usize)>, Vec<String>)> {
    let mut held: std::collections::HashMap<i64, (i64, usize)> = std::collections::HashMap::new();
    let mut labels = Vec::new();
    if !store::contest(db, round.contest_id).await?.one_prize_per_person {
        return Ok((held, labels));
    }
    let rounds = store::rounds(db, round.contest_id).await?;
    for h in store::prizes_held_elsewhere(db, round.contest_id, round.id).await? {
        // The amount the prize had in its round's bands (a band renamed since: nothing).
        let amount = rounds.iter().find(|r| r.id == h.round_id).and_then(|r| r.prizes.iter().find(|p| p.name == h.prize)).map_or(0, |p| p.amount);
        if held.get(&h.entrant_id).is_none_or(|(a, _)| amount > *a) {
            labels.push(crate::msg::held_prize(&h.prize, &h.round_title));
            held.insert(h.entrant_id, (amount, labels.len() - 1));
        }
    }
    Ok((held, labels))
}

// ---------------------------------------------------------------- exclusions and results

/// The entrants excluded from a round's ranking, with their counted result and the reason.
pub async fn excluded(db: &Db, round: &Round) -> AppResult<Vec<(store::RankedRow, String)>> {
    let reasons = store::exclusions(db, round.id).await?;
    let rows = store::results_of_round(db, round.id).await?;
    Ok(reasons.into_iter().filter_map(|(id, reason)| rows.iter().find(|r| r.entrant_id == id).map(|r| (r.clone(), reason))).collect())
}

/// Most characters of an exclusion's reason.
pub const REASON_MAX: usize = 500;

/// Excludes an entrant with a counted result from a round's ranking, with the reason, audited.
/// Field errors (`entrant`, `reason`) when the entrant has no result or the reason is missing.
pub async fn exclude(db: &Db, actor: &Actor, by: i64, c: &Contest, r: &Round, entrant: &str, reason: &str) -> AppResult<Result<(), FieldErrors>> {
    let mut e = FieldErrors::default();
    let rows = store::results_of_round(db, r.id).await?;
    let row = entrant.trim().parse::<i64>().ok().and_then(|id| rows.into_iter().find(|x| x.entrant_id == id));
    if row.is_none() {
        e.add("entrant", crate::msg::ENTRANT_NOT_RANKED);
    }
    let reason = kernel::page::clean(reason);
    if reason.is_empty() {
        e.add("reason", crate::msg::REASON_REQUIRED);
    } else if reason.chars().count() > REASON_MAX {
        e.add("reason", crate::msg::REASON_TOO_LONG);
    }
    let Some(row) = row.filter(|_| e.is_empty()) else { return Ok(Err(e)) };
    let mut tx = db.begin().await?;
    store::exclude(&mut tx, r.id, row.entrant_id, &reason, by, kernel::now()).await?;
    // What they hold for this round is no longer true.
    store::revoke_certificate_of(&mut tx, r.id, row.entrant_id, kernel::now()).await?;
    audit::record(&mut tx, actor, audit_entry("exclude", "contest_entrant", row.entrant_id, c.unit_id, crate::msg::audit_exclude(row.entrant_id, &r.title), json!({"round_id": r.id, "reason": reason}))).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Puts an excluded entrant back in the round's ranking, audited: whether it was excluded.
pub async fn reinstate(db: &Db, actor: &Actor, c: &Contest, r: &Round, entrant: &str) -> AppResult<bool> {
    let Ok(id) = entrant.trim().parse::<i64>() else { return Ok(false) };
    let mut tx = db.begin().await?;
    if store::reinstate(&mut tx, r.id, id).await? == 0 {
        return Ok(false);
    }
    audit::record(&mut tx, actor, audit_entry("reinstate", "contest_entrant", id, c.unit_id, crate::msg::audit_reinstate(&r.title), json!({"round_id": r.id}))).await?;
    tx.commit().await?;
    Ok(true)
}

/// A prize winner as published (công bố): never a contact or a year of birth.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Winner {
    pub position: usize,
    pub prize: String,
    pub name: String,
    pub commune: String,
    pub score: i64,
    pub question_count: i64,
    pub duration_ms: i64,
}

/// The winners of a published snapshot (empty when it does not read).
pub fn winners_of(json: &str) -> Vec<Winner> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Whether a round's results may be published: published, and its end plus the grace passed
/// (no answer can change them any more).
pub fn results_final(r: &Round, now: DateTime<Utc>) -> bool {
    r.published() && now > r.ends_at + Duration::seconds(r.grace_s.max(0))
}

/// Publishes (or publishes again) a round's prize winners as the ranking stands, with their
/// certificates, audited: the number of winners, or the message when the round is not over.
pub async fn publish_results(db: &Db, actor: &Actor, by: i64, c: &Contest, r: &Round, now: DateTime<Utc>) -> AppResult<Result<usize, &'static str>> {
    if !results_final(r, now) {
        return Ok(Err(crate::msg::RESULTS_TOO_EARLY));
    }
    let (ranked, _) = ranking(db, r, now).await?;
    let ranked_rest: Vec<Ranked> = ranked.iter().filter(|x| x.prize.is_none()).map(|x| Ranked { position: x.position, row: x.row.clone(), prize: None, decided_by: None, held_elsewhere: None }).collect();
    let prized: Vec<(i64, Winner)> = ranked
        .into_iter()
        .filter_map(|x| {
            Some((x.row.entrant_id, Winner {
                position: x.position,
                prize: x.prize?,
                name: x.row.full_name,
                commune: x.row.commune_name,
                score: x.row.score,
                question_count: x.row.question_count,
                duration_ms: x.row.duration_ms,
            }))
        })
        .collect();
    let winners: Vec<&Winner> = prized.iter().map(|(_, w)| w).collect();
    let json = serde_json::to_string(&winners).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = db.begin().await?;
    store::put_published_results(&mut tx, r.id, &json, by, now).await?;
    // The winners' certificates: all of the round's revoked, then each winner's restored when it
    // states the same rank and prize (its code and date kept) or issued anew.
    store::revoke_certificates(&mut tx, r.id, now).await?;
    for (entrant_id, w) in &prized {
        let k = store::NewCertificate { round_id: r.id, entrant_id: *entrant_id, position: w.position as i64, prize: &w.prize, full_name: &w.name, commune_name: &w.commune, issuer: &c.unit_name };
        store::put_certificate(&mut tx, &k, &new_certificate_code(), now).await?;
    }
    // Everyone else ranked keeps (or gets) a certificate of taking part; the excluded have none.
    for x in ranked_rest.iter().filter(|x| !prized.iter().any(|(id, _)| *id == x.row.entrant_id)) {
        let k = store::NewCertificate { round_id: r.id, entrant_id: x.row.entrant_id, position: 0, prize: "", full_name: &x.row.full_name, commune_name: &x.row.commune_name, issuer: &c.unit_name };
        store::put_certificate(&mut tx, &k, &new_certificate_code(), now).await?;
    }
    audit::record(&mut tx, actor, audit_entry("publish_results", "contest_round", r.id, c.unit_id, crate::msg::audit_publish_results(&r.title, &c.title), json!({"winners": winners.len()}))).await?;
    tx.commit().await?;
    Ok(Ok(winners.len()))
}

// ---------------------------------------------------------------- report prefill

/// The `ReportFigures` port (wired by the server): for a unit's report over a period, the
/// number of contests its subtree organised with a round open in the period (`contests`) and
/// the entrants who took part, once per round (`contest_entrants`). Agencies organise no
/// contests here: nothing for them.
pub fn report_figures_port<'a>(db: &'a Db, unit_id: i64, agency_id: Option<i64>, from: chrono::NaiveDate, to: chrono::NaiveDate) -> kernel::registry::BoxFuture<'a, kernel::DbResult<Vec<kernel::registry::ReportFigure>>> {
    Box::pin(async move {
        if agency_id.is_some() {
            return Ok(Vec::new());
        }
        let unit = kernel::db::units::get(db, unit_id).await?;
        let like = format!("{}%", unit.path);
        let (start, end) = (text_vi::vietnam_day_start(from), text_vi::vietnam_day_start(to + Duration::days(1)));
        let held = store::contests_held(db, &like, start, end).await?;
        let entrants = store::entrants_taking_part(db, &like, start, end).await?;
        let source = crate::msg::prefill_source(&unit.name);
        let href = Some("/cuoc-thi/quan-ly".to_string());
        Ok(vec![
            kernel::registry::ReportFigure { key: "contests".into(), value: held, source: source.clone(), href: href.clone() },
            kernel::registry::ReportFigure { key: "contest_entrants".into(), value: entrants, source, href },
        ])
    })
}

// ---------------------------------------------------------------- certificates

/// The letters of a certificate code: no 0/O, 1/I/L, so it can be typed from paper.
const CODE_LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// The certificate of an entrant in a round: the one in force (a prize, or taking part), or, for
/// an entrant with a counted result who is not excluded, a certificate of taking part issued now
/// (audited). `None` without a counted result, or when excluded.
pub async fn participation_certificate(db: &Db, actor: &Actor, c: &Contest, r: &Round, e: &store::Entrant) -> AppResult<Option<String>> {
    // Most views find it issued: a read, without taking the writer.
    if let Some(code) = store::certificate_code(db, r.id, e.id).await? {
        return Ok(Some(code));
    }
    let mut tx = db.begin().await?;
    if store::is_excluded(&mut tx, r.id, e.id).await? || store::result_tx(&mut tx, r.id, e.id).await?.is_none() {
        return Ok(None);
    }
    if let Some(code) = store::certificate_in_force(&mut tx, r.id, e.id).await? {
        return Ok(Some(code));
    }
    let now = kernel::now();
    let k = store::NewCertificate { round_id: r.id, entrant_id: e.id, position: 0, prize: "", full_name: &e.full_name, commune_name: &e.commune_name, issuer: &c.unit_name };
    let code = store::put_certificate(&mut tx, &k, &new_certificate_code(), now).await?;
    audit::record(&mut tx, actor, audit_entry("create", "contest_certificate", e.id, c.unit_id, crate::msg::audit_participation(&r.title), json!({"round_id": r.id, "code": code}))).await?;
    tx.commit().await?;
    Ok(Some(code))
}

/// A new certificate code: 16 random letters (about 79 bits).
pub fn new_certificate_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..16).map(|_| char::from(CODE_LETTERS[rng.random_range(0..CODE_LETTERS.len())])).collect()
}

/// A code as typed or scanned: upper case, without spaces or dashes (None when it cannot be one).
pub fn normalise_certificate_code(s: &str) -> Option<String> {
    let c: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).map(|c| c.to_ascii_uppercase()).collect();
    (c.len() == 16 && c.bytes().all(|b| CODE_LETTERS.contains(&b))).then_some(c)
}

/// The address of a certificate's page.
pub fn certificate_url(base_url: &str, code: &str) -> String {
    format!("{}/cuoc-thi/chung-nhan/{code}", base_url.trim_end_matches('/'))
}

/// A certificate as a document: the organiser, the holder, the prize, the round and contest, the
/// date it was issued, and the QR code of its page.
pub fn certificate_document(k: &store::CertificateRow, base_url: &str) -> documents::Certificate {
    let url = certificate_url(base_url, &k.code);
    let day = (k.issued_at + Duration::hours(7)).date_naive();
    documents::Certificate {
        issuer: k.unit_name.clone(),
        heading: crate::msg::CERTIFICATE_HEADING.into(),
        lead: crate::msg::CERTIFICATE_LEAD.into(),
        holder: k.full_name.clone(),
        lines: vec![k.commune_name.clone(), crate::msg::certificate_line(&k.prize, &k.round_title), k.contest_title.clone()],
        date_line: text_vi::official_date_line(Some(kernel::unit::place_name(&k.unit_name)), day),
        qr_svg: documents::qr_svg(&url),
        check: crate::msg::certificate_check(&url, &k.code),
    }
}

// ---------------------------------------------------------------- the rules as an official document

/// The contest's rules (thể lệ) as an official document in the Nghị định 30 layout, generated
/// from the settings as the public page states them: organiser and audience, then for each
/// published round its time, questions, attempts, ranking keys and prizes, and how to take part.
pub fn rules_document(c: &Contest, rounds: &[Round], base_url: &str) -> documents::OfficialDoc {
    use crate::msg;
    use crate::rules::settings;
    use documents::official::{Block, OfficialDoc, Signature};
    let mut blocks = vec![
        Block::Heading { level: 1, text: msg::RULES_AUDIENCE.into() },
        Block::Paragraph(msg::rules_organiser(&c.unit_name)),
        Block::Paragraph(msg::rules_audience(&c.area_name, c.min_age, c.require_id_number)),
        Block::Heading { level: 1, text: msg::RULES_ROUNDS.into() },
    ];
    for (i, r) in rounds.iter().enumerate() {
        blocks.push(Block::Heading { level: 2, text: format!("{}. {}", i + 1, r.title) });
        blocks.push(Block::Bullet(msg::rules_time(&text_vi::format_datetime(r.starts_at), &text_vi::format_datetime(r.ends_at))));
        let quotas: Vec<String> = r.quotas.iter().map(|q| msg::rules_quota(q.count, &q.topic, settings::difficulty_label(&q.difficulty))).collect();
        blocks.push(Block::Bullet(msg::rules_questions(r.question_count(), &quotas.join("; "))));
        blocks.push(Block::Bullet(msg::rules_minutes(r.time_limit_s / 60)));
        blocks.push(Block::Bullet(msg::rules_attempts(r.max_attempts, r.counting.label())));
        if let Some(p) = r.prediction {
            blocks.push(Block::Bullet(msg::rules_prediction(&r.prediction_text, p.label())));
        }
        let keys: Vec<&str> = r.keys.iter().map(|k| k.label()).chain(std::iter::once(msg::FINAL_KEY)).collect();
        blocks.push(Block::Bullet(msg::rules_keys(&keys)));
        blocks.push(Block::Bullet(msg::rules_answers(r.show_answers.label())));
        if !r.prizes.is_empty() {
            blocks.push(Block::Paragraph(msg::RULES_PRIZES.into()));
            blocks.push(Block::Table {
                header: msg::RULES_PRIZE_COLUMNS.iter().map(|h| h.to_string()).collect(),
                rows: r.prizes.iter().map(|p| vec![p.name.clone(), text_vi::format_int(p.count as i64), text_vi::format_vnd(p.amount)]).collect(),
                widths: vec![40, 20, 40],
            });
        }
    }
    if c.one_prize_per_person {
        blocks.push(Block::Paragraph(msg::RULES_ONE_PRIZE.into()));
    }
    if let Some(k) = Collective::from_stored(&c.collective) {
        blocks.extend(collective_rules_text(&k).into_iter().map(Block::Paragraph));
        blocks.push(Block::Table {
            header: msg::RULES_PRIZE_COLUMNS.iter().map(|h| h.to_string()).collect(),
            rows: k.prizes.iter().map(|p| vec![p.name.clone(), text_vi::format_int(p.count as i64), text_vi::format_vnd(p.amount)]).collect(),
            widths: vec![40, 20, 40],
        });
    }
    blocks.push(Block::Heading { level: 1, text: msg::RULES_HOW.into() });
    blocks.push(Block::Paragraph(msg::rules_how(&format!("{}/cuoc-thi/{}", base_url.trim_end_matches('/'), c.id))));
    OfficialDoc {
        parent_body: None,
        issuing_body: c.unit_name.to_uppercase(),
        number: None,
        place: Some(kernel::unit::place_name(&c.unit_name).to_string()),
        date: None,
        kind: msg::RULES_KIND.into(),
        title: c.title.clone(),
        blocks,
        signature: Signature::default(),
        recipients: Vec::new(),
    }
}

// ---------------------------------------------------------------- collective prizes

/// What an organiser writes for the collective prizes (giải tập thể): the mode (empty: none),
/// the level of the units, the point lines and the prize lines.
#[derive(Clone, Debug, Default)]
pub struct CollectiveForm {
    pub mode: String,
    pub level: String,
    pub points: String,
    pub prizes: String,
}

impl CollectiveForm {
    pub fn of(c: Option<&Collective>) -> CollectiveForm {
        match c {
            None => CollectiveForm { level: CollectiveLevel::Commune.as_str().into(), ..CollectiveForm::default() },
            Some(c) => CollectiveForm {
                mode: c.mode.as_str().into(),
                level: c.level.as_str().into(),
                points: collective::points_text(&c.points),
                prizes: crate::rules::settings::prizes_text(&c.prizes),
            },
        }
    }

    /// The rules the form says, or its field errors (`mode`, `level`, `points`, `prizes`).
    /// `Ok(None)`: no collective prizes.
    pub fn check(&self) -> Result<Option<Collective>, FieldErrors> {
        let mut e = FieldErrors::default();
        if self.mode.trim().is_empty() {
            return Ok(None);
        }
        let mode = CollectiveMode::parse(self.mode.trim());
        if mode.is_none() {
            e.add("mode", crate::msg::COLLECTIVE_MODE_UNKNOWN);
        }
        let level = CollectiveLevel::parse(self.level.trim());
        if level.is_none() {
            e.add("level", crate::msg::COLLECTIVE_LEVEL_UNKNOWN);
        }
        let points = collective::parse_points(&self.points).unwrap_or_else(|errs| {
            e.add("points", errs.join(" "));
            Vec::new()
        });
        if mode == Some(CollectiveMode::RatePlusPoints) && points.is_empty() && !e.has("points") {
            e.add("points", crate::msg::COLLECTIVE_POINTS_REQUIRED);
        }
        let prizes = crate::rules::settings::parse_prizes(&self.prizes).unwrap_or_else(|errs| {
            e.add("prizes", errs.join(" "));
            Vec::new()
        });
        if prizes.is_empty() && !e.has("prizes") {
            e.add("prizes", crate::msg::COLLECTIVE_PRIZES_REQUIRED);
        }
        match (mode, level) {
            (Some(mode), Some(level)) if e.is_empty() => Ok(Some(Collective { mode, level, points, prizes })),
            _ => Err(e),
        }
    }
}

/// The collective prizes in the words of the rules (thể lệ): the public page and the DOCX.
pub fn collective_rules_text(k: &Collective) -> Vec<String> {
    let mut out = vec![crate::msg::rules_collective(k.mode.label(), k.level.label())];
    if k.mode == CollectiveMode::RatePlusPoints {
        out.push(crate::msg::RULES_COLLECTIVE_RATE.to_string());
        let points: Vec<String> = k.points.iter().map(|p| crate::msg::points_item(&p.prize, p.points)).collect();
        out.push(crate::msg::rules_collective_points(&points.join(", ")));
    }
    out.push(crate::msg::RULES_COLLECTIVE_TIES.to_string());
    out
}

/// Saves the collective prizes of a contest (or removes them, which withdraws what was
/// published), audited.
pub async fn save_collective(db: &Db, actor: &Actor, c: &Contest, f: &CollectiveForm) -> AppResult<Result<Option<Collective>, FieldErrors>> {
    let rules = match f.check() {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let stored = rules.as_ref().map(Collective::to_stored).unwrap_or_default();
    let mut tx = db.begin().await?;
    store::set_collective(&mut tx, c.id, &stored).await?;
    if rules.is_none() {
        store::delete_collective_results(&mut tx, c.id).await?;
    }
    let after = serde_json::from_str::<serde_json::Value>(&stored).unwrap_or(serde_json::Value::Null);
    audit::record(&mut tx, actor, audit_entry("collective_settings", "contest", c.id, c.unit_id, crate::msg::audit_collective_settings(&c.title), after)).await?;
    tx.commit().await?;
    Ok(Ok(rules))
}

/// Most units listed for their headcounts from the eligible area, by name (beyond it, those with
/// entrants or a headcount are listed as well, and the page says the list is cut).
pub const TARGET_UNITS_MAX: i64 = 1_000;

/// The unit of `level` a commune counts under: itself at the commune level, the province
/// whose path starts its path at the province level.
fn unit_of<'a>(level: CollectiveLevel, commune: (i64, &'a str, &'a str), provinces: &'a [store::UnitRef]) -> Option<(i64, &'a str)> {
    let (id, name, path) = commune;
    match level {
        CollectiveLevel::Commune => Some((id, name)),
        CollectiveLevel::Province => provinces.iter().filter(|p| path.starts_with(&p.path)).max_by_key(|p| p.path.len()).map(|p| (p.id, p.name.as_str())),
    }
}

/// What is known of every unit that competes: its entrants, its headcount and its prizes.
pub async fn collective_tallies(db: &Db, c: &Contest, rules: &Collective) -> AppResult<Vec<collective::Tally>> {
    let provinces = if rules.level == CollectiveLevel::Province { store::provinces(db).await? } else { Vec::new() };
    let targets: std::collections::HashMap<i64, i64> = store::unit_targets(db, c.id).await?.into_iter().collect();
    let mut by_unit: std::collections::BTreeMap<i64, collective::Tally> = std::collections::BTreeMap::new();
    let new_tally = |id: i64, name: &str| collective::Tally { unit_id: id, name: name.to_string(), entrants: 0, headcount: targets.get(&id).copied(), prizes: Vec::new(), winners: 0 };
    let mut winners: std::collections::HashSet<(i64, i64)> = std::collections::HashSet::new();
    for (id, name, path, n) in store::entrants_by_commune(db, c.id).await? {
        if let Some((u, un)) = unit_of(rules.level, (id, &name, &path), &provinces) {
            by_unit.entry(u).or_insert_with(|| new_tally(u, un)).entrants += n;
        }
    }
    for (id, name, path, entrant, prize) in store::prizes_by_commune(db, c.id).await? {
        if let Some((u, un)) = unit_of(rules.level, (id, &name, &path), &provinces) {
            let t = by_unit.entry(u).or_insert_with(|| new_tally(u, un));
            t.prizes.push(prize);
            if winners.insert((u, entrant)) {
                t.winners += 1;
            }
        }
    }
    Ok(by_unit.into_values().collect())
}

/// The units whose headcount the organiser sets, with it: those of the level in force inside
/// the eligible area (at most [`TARGET_UNITS_MAX`] by name), and those with entrants or a
/// headcount; and whether the area had more than the list shows.
pub async fn target_units(db: &Db, c: &Contest, level: CollectiveLevel) -> AppResult<(Vec<(i64, String, Option<i64>)>, bool)> {
    let like = format!("{}%", c.area_path);
    let listed = store::units_at_level(db, &like, level.as_str(), kernel::page::today(), TARGET_UNITS_MAX + 1).await?;
    let cut = listed.len() as i64 > TARGET_UNITS_MAX;
    let mut units: Vec<(i64, String)> = listed.into_iter().take(TARGET_UNITS_MAX as usize).map(|u| (u.id, u.name)).collect();
    let rules = Collective { mode: CollectiveMode::Entrants, level, points: Vec::new(), prizes: Vec::new() };
    let targets: std::collections::HashMap<i64, i64> = store::unit_targets(db, c.id).await?.into_iter().collect();
    for t in collective_tallies(db, c, &rules).await? {
        if !units.iter().any(|(id, _)| *id == t.unit_id) {
            units.push((t.unit_id, t.name));
        }
    }
    for u in store::units_by_ids(db, &targets.keys().copied().collect::<Vec<_>>()).await? {
        if !units.iter().any(|(id, _)| *id == u.id) {
            units.push((u.id, u.name));
        }
    }
    units.sort_by(|a, b| text_vi::compare(&a.1, &b.1).then(a.0.cmp(&b.0)));
    Ok((units.into_iter().map(|(id, name)| { let h = targets.get(&id).copied(); (id, name, h) }).collect(), cut))
}

/// Largest headcount accepted.
pub const HEADCOUNT_MAX: i64 = 100_000_000;

/// Saves the headcounts written in the form (fields `h_<unit id>`; empty clears) for the
/// units [`target_units`] lists, audited: the number of units set, or a message per unit whose
/// number does not read, with the unit's id (nothing is saved then). Fields of other units are
/// ignored; nothing changed writes nothing.
pub async fn save_headcounts(db: &Db, actor: &Actor, c: &Contest, level: CollectiveLevel, pairs: &[(String, String)]) -> AppResult<Result<usize, Vec<(i64, String)>>> {
    let (units, _) = target_units(db, c, level).await?;
    let mut errors = Vec::new();
    let mut changes: Vec<(i64, Option<i64>)> = Vec::new();
    for (id, name, current) in &units {
        let key = format!("h_{id}");
        let Some((_, v)) = pairs.iter().find(|(k, _)| *k == key) else { continue };
        let digits: String = v.trim().chars().filter(|c| !matches!(c, '.' | ' ')).collect();
        let value = if digits.is_empty() {
            None
        } else {
            match digits.parse::<i64>() {
                Ok(h) if (1..=HEADCOUNT_MAX).contains(&h) => Some(h),
                _ => {
                    errors.push((*id, crate::msg::headcount_error(name)));
                    continue;
                }
            }
        };
        if value != *current {
            changes.push((*id, value));
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if changes.is_empty() {
        return Ok(Ok(0));
    }
    let mut tx = db.begin().await?;
    store::put_unit_targets(&mut tx, c.id, &changes).await?;
    let after: Vec<serde_json::Value> = changes.iter().map(|(id, h)| json!({"unit_id": id, "headcount": h})).collect();
    audit::record(&mut tx, actor, audit_entry("headcounts", "contest", c.id, c.unit_id, crate::msg::audit_headcounts(&c.title, changes.len()), json!(after))).await?;
    tx.commit().await?;
    Ok(Ok(changes.len()))
}

/// A collective prize as published.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct CollectiveWinner {
    pub position: usize,
    pub prize: String,
    pub unit: String,
    pub entrants: i64,
    /// Hundredths of a percent, when a headcount was set.
    pub rate: Option<i64>,
    pub winners: i64,
    pub points: i64,
    /// Hundredths.
    pub score: i64,
}

/// The collective prizes as published: the mode they were scored by and the awarded units.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct PublishedCollective {
    pub mode: CollectiveMode,
    pub lines: Vec<CollectiveWinner>,
}

/// What was published (None when it does not read).
pub fn collective_winners_of(json: &str) -> Option<PublishedCollective> {
    serde_json::from_str(json).ok()
}

/// Publishes (or publishes again) the collective prizes as the ranking stands, audited: the
/// number of units awarded, or the message when the contest has none or a round's results are
/// not published yet.
pub async fn publish_collective(db: &Db, actor: &Actor, by: i64, c: &Contest, now: DateTime<Utc>) -> AppResult<Result<usize, &'static str>> {
    let Some(rules) = Collective::from_stored(&c.collective) else { return Ok(Err(crate::msg::COLLECTIVE_NOT_SET)) };
    let rounds: Vec<Round> = store::rounds(db, c.id).await?.into_iter().filter(|r| r.published()).collect();
    if rounds.is_empty() {
        return Ok(Err(crate::msg::COLLECTIVE_TOO_EARLY));
    }
    for r in &rounds {
        if store::published_results(db, r.id).await?.is_none() {
            return Ok(Err(crate::msg::COLLECTIVE_TOO_EARLY));
        }
    }
    let lines = collective::rank(&collective_tallies(db, c, &rules).await?, &rules);
    let winners: Vec<CollectiveWinner> = lines
        .into_iter()
        .filter_map(|l| {
            Some(CollectiveWinner { position: l.position, prize: l.prize?.name, unit: l.unit.name, entrants: l.unit.entrants, rate: l.unit.rate, winners: l.unit.winners, points: l.unit.points, score: l.unit.score })
        })
        .collect();
    let json = serde_json::to_string(&PublishedCollective { mode: rules.mode, lines: winners.clone() }).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = db.begin().await?;
    store::put_collective_results(&mut tx, c.id, &json, by, now).await?;
    audit::record(&mut tx, actor, audit_entry("publish_collective", "contest", c.id, c.unit_id, crate::msg::audit_publish_collective(&c.title), json!({"units": winners.len()}))).await?;
    tx.commit().await?;
    Ok(Ok(winners.len()))
}
