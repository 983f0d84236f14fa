//! One simulated entrant, as a browser with the attempt page's script would do it:
//!
//! 1. `GET /cuoc-thi/{c}`: the anonymous CSRF cookie, the `_csrf` field, the communes offered;
//! 2. `POST /cuoc-thi/{c}/dang-ky` (commune, name, year of birth, a unique e-mail address) → 303
//!    to the code page with the session cookie `pbgdpl_ct`; `GET` the code page;
//! 3. the one-time code, read from the outbox (the [`Mailbox`]);
//! 4. `POST /cuoc-thi/{c}/xac-nhan` → 303 to the contest page; `GET` it;
//! 5. `POST /cuoc-thi/{c}/vong/{r}/bat-dau` → 303 to `/cuoc-thi/{c}/bai/{attempt}`;
//! 6. `GET` the attempt page: the questions (`pos`) and their options (`chon`);
//! 7. per question, after a think time, `POST …/tra-loi` with `X-Requested-With: fetch` → 204,
//!    an acknowledged answer; then the prediction (`pos=p`, `du_doan`) → 204;
//! 8. `POST …/nop` → 303 to the result; `GET …/ket-qua` → 200.
//!
//! Every request goes through [`Ctx::request`], which times it, counts it against the limits and
//! tells a failure caused by the kill -9 fault from a real error. After the restart the entrant
//! reloads its attempt page and answers only what it shows unanswered.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::fault::Fault;
use crate::html::{self, AttemptPage};
use crate::http::{Http, Jar, Req, Resp};
use crate::mailbox::Mailbox;
use crate::stats::{Kind, Recorder};

/// The contests' session cookie (`contests::pages::public::ENTRANT_COOKIE`).
const ENTRANT_COOKIE: &str = contests::pages::public::ENTRANT_COOKIE;
/// How long an entrant waits for its code to reach the outbox.
const CODE_TIMEOUT: Duration = Duration::from_secs(60);
/// Retries of one request interrupted by the kill.
const MAX_RETRIES: u32 = 30;

/// Acknowledged answers: attempt → position → the last acknowledged choice.
pub type Acks = HashMap<i64, BTreeMap<i64, i64>>;

/// Why an entrant's step did not succeed.
#[derive(Debug, PartialEq, Eq)]
pub enum Fail {
    /// A transport failure (or a gateway error) inside the kill window: not an error.
    Interrupted,
    /// The run was aborted (a limit was reached, or the restart failed).
    Aborted,
    /// An error, already counted and logged.
    Failed,
}

/// What every entrant shares.
pub struct Ctx {
    pub http: Http,
    pub rec: Recorder,
    pub fault: Option<Arc<Fault>>,
    pub mailbox: Arc<Mailbox>,
    pub contest: i64,
    pub round: i64,
    /// Makes the contacts of this run unique: `load-{run_id}-{i}@example.test`.
    pub run_id: String,
    pub seed: u64,
    /// Think time before each answer, in milliseconds (min, max); (0, 0) for none.
    pub think_ms: (u64, u64),
    pub max_requests: Option<u64>,
    abort: AtomicBool,
    abort_reason: Mutex<Option<String>>,
    /// The last acknowledged choice of each attempt's positions.
    acks: Mutex<Acks>,
    pub ack_count: AtomicU64,
    /// Attempt pages reloaded after the restart, and acknowledged answers they showed
    /// otherwise (unanswered or another option).
    pub resumed: AtomicU64,
    pub resume_mismatches: AtomicU64,
    /// Entrant tasks that panicked (a fault of the generator, reported as a failure).
    pub panicked: AtomicU64,
    /// Entrants that saw their result page.
    pub finished: AtomicU64,
    /// Registrations refused with 429 (the per-address limit: see `--help` on trusted proxies).
    pub throttled: AtomicU64,
}

impl Ctx {
    #[allow(clippy::too_many_arguments)]
    pub fn new(http: Http, rec: Recorder, fault: Option<Arc<Fault>>, mailbox: Arc<Mailbox>, contest: i64, round: i64, run_id: String, seed: u64, think_ms: (u64, u64), max_requests: Option<u64>) -> Ctx {
        Ctx {
            http,
            rec,
            fault,
            mailbox,
            contest,
            round,
            run_id,
            seed,
            think_ms,
            max_requests,
            abort: AtomicBool::new(false),
            abort_reason: Mutex::new(None),
            acks: Mutex::new(HashMap::new()),
            ack_count: AtomicU64::new(0),
            resumed: AtomicU64::new(0),
            resume_mismatches: AtomicU64::new(0),
            panicked: AtomicU64::new(0),
            finished: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
        }
    }

    pub fn aborted(&self) -> bool {
        self.abort.load(Ordering::SeqCst)
    }

    /// Stops the run; the first reason is kept.
    pub fn abort_with(&self, reason: String) {
        if let Ok(mut r) = self.abort_reason.lock()
            && r.is_none()
        {
            *r = Some(reason);
        }
        self.abort.store(true, Ordering::SeqCst);
    }

    pub fn abort_reason(&self) -> Option<String> {
        self.abort_reason.lock().ok().and_then(|r| r.clone())
    }

    pub fn acks(&self) -> Acks {
        self.acks.lock().map(|a| a.clone()).unwrap_or_default()
    }

    pub fn contact(&self, i: u64) -> String {
        format!("load-{}-{i}@example.test", self.run_id)
    }

    /// The LIKE pattern of this run's contacts.
    pub fn contact_pattern(&self) -> String {
        format!("load-{}-%@example.test", self.run_id)
    }

    fn interrupted(&self, started: Instant, ended: Instant) -> bool {
        self.fault.as_ref().is_some_and(|f| f.in_window(started) || f.in_window(ended))
    }

    /// Sends one request, timing it: `Err(Interrupted)` for a failure inside the kill window,
    /// `Err(Failed)` (counted) for a transport error outside it. Statuses are the caller's.
    pub async fn request(&self, kind: Kind, req: &Req<'_>) -> Result<Resp, Fail> {
        if self.aborted() {
            return Err(Fail::Aborted);
        }
        let n = self.rec.requests.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(max) = self.max_requests
            && n > max
        {
            self.rec.requests.fetch_sub(1, Ordering::Relaxed);
            self.abort_with(format!("the run needed more than --max-requests {max} requests"));
            return Err(Fail::Aborted);
        }
        let started = Instant::now();
        let sent = self.http.send(req).await;
        let ended = Instant::now();
        match sent {
            Ok(r) => {
                self.rec.sample(kind, started, ended - started);
                if matches!(r.status, 502..=504) && self.interrupted(started, ended) {
                    self.rec.interrupted.fetch_add(1, Ordering::Relaxed);
                    return Err(Fail::Interrupted);
                }
                Ok(r)
            }
            Err(e) if self.interrupted(started, ended) => {
                let _ = e;
                self.rec.interrupted.fetch_add(1, Ordering::Relaxed);
                Err(Fail::Interrupted)
            }
            Err(e) => {
                self.rec.error(format!("{} {} {}: transport error: {e}", kind.label(), if req.post { "POST" } else { "GET" }, req.path));
                Err(Fail::Failed)
            }
        }
    }

    /// Waits for the server to be up again after the kill.
    async fn wait_up(&self) -> Result<(), Fail> {
        if let Some(f) = &self.fault
            && let Err(m) = f.wait_up().await
        {
            self.abort_with(format!("kill -9 fault: {m}"));
            return Err(Fail::Aborted);
        }
        Ok(())
    }

    /// Like [`Ctx::request`], but a request interrupted by the kill is sent again once the
    /// server is back (with a small backoff, at most `MAX_RETRIES` times). Also returns how
    /// many times it was interrupted.
    pub async fn request_retrying(&self, kind: Kind, req: &Req<'_>) -> Result<(Resp, u32), Fail> {
        let mut tries = 0;
        loop {
            match self.request(kind, req).await {
                Err(Fail::Interrupted) => {
                    tries += 1;
                    if tries > MAX_RETRIES {
                        self.rec.error(format!("{} {}: still failing after {MAX_RETRIES} retries after the kill", kind.label(), req.path));
                        return Err(Fail::Failed);
                    }
                    self.wait_up().await?;
                    tokio::time::sleep(Duration::from_millis(u64::from(tries.min(20)) * 50)).await;
                }
                Ok(r) => return Ok((r, tries)),
                Err(e) => return Err(e),
            }
        }
    }

    /// The response if `ok` accepts it; otherwise an error is counted with its status and the
    /// start of its body.
    pub fn expect(&self, kind: Kind, req: &Req<'_>, r: Resp, ok: impl Fn(&Resp) -> bool) -> Result<Resp, Fail> {
        if ok(&r) {
            return Ok(r);
        }
        if r.status == 429 {
            self.throttled.fetch_add(1, Ordering::Relaxed);
        }
        self.rec.error(format!("{} {} {}: unexpected {}", kind.label(), if req.post { "POST" } else { "GET" }, req.path, r.describe()));
        Err(Fail::Failed)
    }

    /// A counted error that is not about one response.
    pub fn fail(&self, message: String) -> Fail {
        self.rec.error(message);
        Fail::Failed
    }

    fn acknowledge(&self, attempt: i64, position: i64, chosen: i64) {
        if let Ok(mut a) = self.acks.lock() {
            a.entry(attempt).or_default().insert(position, chosen);
        }
        let n = self.ack_count.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(f) = &self.fault
            && n == f.after_acks
        {
            let f = f.clone();
            tokio::spawn(async move { f.kill_and_restart().await });
        }
    }

    fn acked_of(&self, attempt: i64) -> BTreeMap<i64, i64> {
        self.acks.lock().ok().and_then(|a| a.get(&attempt).cloned()).unwrap_or_default()
    }
}

/// The synthetic client address of entrant `i` (`X-Forwarded-For`), one per entrant, in
/// 10.0.0.0/8, so that the per-address registration limit (30 an hour) is not what is tested.
pub fn address_of(i: u64) -> String {
    let n = i + 1;
    format!("10.{}.{}.{}", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
}

/// An entrant with a started attempt, ready to answer.
pub struct Started {
    pub jar: Jar,
    pub csrf: String,
    pub address: String,
    pub attempt: i64,
    pub page: AttemptPage,
}

/// One simulated person.
pub struct Entrant<'a> {
    ctx: &'a Ctx,
    i: u64,
    address: String,
    jar: Jar,
    csrf: String,
    rng: StdRng,
}

impl<'a> Entrant<'a> {
    pub fn new(ctx: &'a Ctx, i: u64) -> Entrant<'a> {
        let rng = StdRng::seed_from_u64(ctx.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i);
        Entrant { ctx, i, address: address_of(i), jar: Jar::default(), csrf: String::new(), rng }
    }

    fn c(&self) -> i64 {
        self.ctx.contest
    }

    /// Sends with retries after the kill, keeps the cookies and the CSRF token of the answer,
    /// and checks its status.
    async fn step(&mut self, kind: Kind, req: Req<'_>, ok: impl Fn(&Resp) -> bool) -> Result<(Resp, u32), Fail> {
        let (r, tries) = self.ctx.request_retrying(kind, &req).await?;
        self.jar.absorb(&r.set_cookies);
        let r = self.ctx.expect(kind, &req, r, ok)?;
        if let Some(t) = html::hidden_field(&r.body, kernel::csrf::FIELD) {
            self.csrf = t;
        }
        Ok((r, tries))
    }

    /// Steps 1 to 5: registration, code, verification, start. Returns the attempt's id.
    pub async fn register_and_start(&mut self) -> Result<i64, Fail> {
        let ctx = self.ctx;
        let c = self.c();
        let address = self.address.clone();
        let jar = self.jar.clone();
        let (page, _) = self.step(Kind::OtherGet, Req::get(format!("/cuoc-thi/{c}"), &jar, Some(&address)), |r| r.status == 200).await?;
        if self.csrf.is_empty() {
            return Err(ctx.fail(format!("GET /cuoc-thi/{c}: no {} field on the page", kernel::csrf::FIELD)));
        }
        let communes = html::commune_ids(&page.body);
        if communes.is_empty() {
            return Err(ctx.fail(format!("GET /cuoc-thi/{c}: the registration form offers no commune")));
        }
        let commune = communes[self.rng.random_range(0..communes.len())];
        let birth_year = self.rng.random_range(1950..=2005);
        let contact = ctx.contact(self.i);
        let form = vec![
            ("_csrf", self.csrf.clone()),
            ("commune", commune.to_string()),
            ("full_name", format!("Người Thử Tải {}", self.i + 1)),
            ("birth_year", birth_year.to_string()),
            ("contact", contact.clone()),
            ("cccd", String::new()),
        ];
        let jar = self.jar.clone();
        let (r, tries) = self.step(Kind::Register, Req::post(format!("/cuoc-thi/{c}/dang-ky"), form, &jar, Some(&address)), |r| r.is_redirect() && r.location.as_deref().is_some_and(|l| l.contains("/xac-nhan"))).await?;
        if tries > 0 {
            // A registration sent again after the kill may have sent a second code, which
            // replaces the first: give the outbox reader time to see it.
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        if self.jar.get(ENTRANT_COOKIE).is_none() {
            return Err(ctx.fail(format!("POST /cuoc-thi/{c}/dang-ky: no {ENTRANT_COOKIE} cookie")));
        }
        let verify_page = r.location.unwrap_or_default();
        let jar = self.jar.clone();
        self.step(Kind::OtherGet, Req::get(verify_page, &jar, Some(&address)), |r| r.status == 200).await?;

        let waiting = Instant::now();
        let code = match ctx.mailbox.code_for(&contact, CODE_TIMEOUT).await {
            Ok(Some(code)) => code,
            Ok(None) => return Err(ctx.fail(format!("no one-time code for {contact} in the outbox after {} s", CODE_TIMEOUT.as_secs()))),
            Err(e) => return Err(ctx.fail(format!("reading the outbox for {contact}: {e:#}"))),
        };
        ctx.rec.code_wait(waiting.elapsed());

        let jar = self.jar.clone();
        let form = vec![("_csrf", self.csrf.clone()), ("code", code)];
        let contest_page = format!("/cuoc-thi/{c}");
        let (r, _) = self
            .step(Kind::Verify, Req::post(format!("/cuoc-thi/{c}/xac-nhan"), form, &jar, Some(&address)), |r| {
                r.is_redirect() && r.location.as_deref().is_some_and(|l| l.split('?').next() == Some(contest_page.as_str()))
            })
            .await?;
        let jar = self.jar.clone();
        self.step(Kind::OtherGet, Req::get(r.location.unwrap_or_default(), &jar, Some(&address)), |r| r.status == 200).await?;

        let jar = self.jar.clone();
        let form = vec![("_csrf", self.csrf.clone())];
        let (r, tries) = self.step(Kind::Start, Req::post(format!("/cuoc-thi/{c}/vong/{}/bat-dau", ctx.round), form, &jar, Some(&address)), |r| r.is_redirect() || r.status == 409).await?;
        if r.status == 409 {
            // A start whose answer was lost to the kill leaves the attempt active: find it.
            if tries > 0 {
                let jar = self.jar.clone();
                let (page, _) = self.step(Kind::OtherGet, Req::get(format!("/cuoc-thi/{c}"), &jar, Some(&address)), |r| r.status == 200).await?;
                if let Some(a) = html::active_attempt(&page.body, c) {
                    return Ok(a);
                }
            }
            return Err(ctx.fail(format!("POST /cuoc-thi/{c}/vong/{}/bat-dau: unexpected {}", ctx.round, r.describe())));
        }
        match r.location.as_deref().and_then(|l| html::attempt_from_location(l, c)) {
            Some(a) => Ok(a),
            None => Err(ctx.fail(format!("POST /cuoc-thi/{c}/vong/{}/bat-dau: redirected to {:?}, not to an attempt", ctx.round, r.location))),
        }
    }

    /// Step 6: the attempt page with its questions.
    pub async fn load_attempt(&mut self, attempt: i64) -> Result<AttemptPage, Fail> {
        let c = self.c();
        let jar = self.jar.clone();
        let address = self.address.clone();
        let path = format!("/cuoc-thi/{c}/bai/{attempt}");
        let (r, _) = self.step(Kind::AttemptPage, Req::get(path.clone(), &jar, Some(&address)), |r| r.status == 200).await?;
        let page = html::attempt_page(&r.body);
        if page.questions.is_empty() || page.questions.iter().any(|q| q.options == 0) {
            return Err(self.ctx.fail(format!("GET {path}: no questions with options found on the attempt page")));
        }
        Ok(page)
    }

    /// Reloads the attempt after the restart and checks that it shows every acknowledged answer.
    async fn resume(&mut self, attempt: i64) -> Result<AttemptPage, Fail> {
        let page = self.load_attempt(attempt).await?;
        self.ctx.resumed.fetch_add(1, Ordering::Relaxed);
        for (pos, chosen) in self.ctx.acked_of(attempt) {
            if !page.questions.iter().any(|q| q.position == pos && q.chosen == Some(chosen)) {
                self.ctx.resume_mismatches.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(page)
    }

    async fn think(&mut self) {
        let (lo, hi) = self.ctx.think_ms;
        if hi > 0 {
            let ms = self.rng.random_range(lo..=hi);
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
    }

    /// Steps 7 and 8: answers what is unanswered (reloading the page after the restart), the
    /// prediction, submits and reads the result.
    pub async fn take_attempt(&mut self, attempt: i64, mut page: AttemptPage) -> Result<(), Fail> {
        let ctx = self.ctx;
        let c = self.c();
        let address = self.address.clone();
        let answer_path = format!("/cuoc-thi/{c}/bai/{attempt}/tra-loi");
        let generation = |ctx: &Ctx| ctx.fault.as_ref().map(|f| f.generation()).unwrap_or(0);
        let mut seen = generation(ctx);
        let mut todo: VecDeque<html::Question> = page.questions.iter().filter(|q| q.chosen.is_none()).cloned().collect();
        while let Some(q) = todo.front().cloned() {
            self.think().await;
            if generation(ctx) != seen {
                seen = generation(ctx);
                page = self.resume(attempt).await?;
                todo = page.questions.iter().filter(|q| q.chosen.is_none()).cloned().collect();
                continue;
            }
            let choice = self.rng.random_range(0..q.options) as i64;
            let form = vec![("_csrf", self.csrf.clone()), ("pos", q.position.to_string()), ("chon", choice.to_string())];
            let jar = self.jar.clone();
            let req = Req::post(answer_path.clone(), form, &jar, Some(&address)).fetch();
            match ctx.request(Kind::Answer, &req).await {
                Ok(r) => {
                    todo.pop_front();
                    if ctx.expect(Kind::Answer, &req, r, |r| r.status == 204).is_ok() {
                        ctx.acknowledge(attempt, q.position, choice);
                    }
                }
                Err(Fail::Interrupted) => {
                    // The answer may or may not be saved: it is not acknowledged. Once the server
                    // is back, the page says what is saved.
                    ctx.wait_up().await?;
                    seen = generation(ctx);
                    page = self.resume(attempt).await?;
                    todo = page.questions.iter().filter(|q| q.chosen.is_none()).cloned().collect();
                }
                Err(Fail::Failed) => {
                    todo.pop_front();
                }
                Err(Fail::Aborted) => return Err(Fail::Aborted),
            }
        }
        if page.prediction {
            self.think().await;
            let guess = self.rng.random_range(0..=1_000u32);
            let jar = self.jar.clone();
            let form = vec![("_csrf", self.csrf.clone()), ("pos", "p".to_string()), ("du_doan", guess.to_string())];
            self.step(Kind::Prediction, Req::post(answer_path.clone(), form, &jar, Some(&address)).fetch(), |r| r.status == 204).await?;
        }
        let jar = self.jar.clone();
        let form = vec![("_csrf", self.csrf.clone())];
        let result = format!("/cuoc-thi/{c}/bai/{attempt}/ket-qua");
        self.step(Kind::Submit, Req::post(format!("/cuoc-thi/{c}/bai/{attempt}/nop"), form, &jar, Some(&address)), |r| r.is_redirect() && r.location.as_deref() == Some(result.as_str())).await?;
        let jar = self.jar.clone();
        self.step(Kind::Result, Req::get(result.clone(), &jar, Some(&address)), |r| r.status == 200).await?;
        ctx.finished.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// The whole flow of one entrant.
    pub async fn run(mut self) {
        let Ok(attempt) = self.register_and_start().await else { return };
        let Ok(page) = self.load_attempt(attempt).await else { return };
        let _ = self.take_attempt(attempt, page).await;
    }

    /// Registration and start only (for the answer-save rate): the entrant ready to answer.
    pub async fn prepare(mut self) -> Result<Started, Fail> {
        let attempt = self.register_and_start().await?;
        let page = self.load_attempt(attempt).await?;
        Ok(Started { jar: self.jar, csrf: self.csrf, address: self.address, attempt, page })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_addresses_are_distinct() {
        assert_eq!(address_of(0), "10.0.0.1");
        assert_eq!(address_of(255), "10.0.1.0");
        assert_eq!(address_of(19_999), "10.0.78.32");
        let all: std::collections::HashSet<String> = (0..70_000).map(address_of).collect();
        assert_eq!(all.len(), 70_000);
    }
}
