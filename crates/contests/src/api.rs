//! Contests over the API. What the public pages show, for every authenticated caller (like the
//! portal's and the drafts' APIs): the published contests with their rounds and the rules
//! generated from the settings (`/cuoc-thi`, `/cuoc-thi/{id}`; never the question bank, never a
//! correct answer), a round's prize winners once the organiser published them, exactly as
//! `/cuoc-thi/{id}/giai-thuong` shows them (name, commune, score and time; never a contact, a
//! year of birth or a CCCD), and the check of a certificate by its code, as
//! `/cuoc-thi/chung-nhan/{code}` shows it (a revoked one names only its round and contest).
//! For organisers (`ManageContests`, in their scope like the organiser's pages): a round's live
//! statistics, read from the counters the write path keeps (per commune, and the score
//! histogram), never from the attempts; no personal data.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use kernel::account::Action;
use kernel::api::params::{ApiResult, Error, Params, parse_id, path_segment};
use kernel::api::{Caller, ErrorBody};
use kernel::error::{ApiError, AppError};
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use kernel::{Db, DbError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::msg;
use crate::rules::settings;
use crate::service;
use crate::store::{self, Contest, Round};

/// (method, path, required action) of every API route; mirrors [`router`].
pub const API_ROUTES: &[ApiRoute] = &[
    ("GET", "/api/v1/contests", None),
    ("GET", "/api/v1/contests/{id}", None),
    ("GET", "/api/v1/contests/{id}/rounds/{round}/winners", None),
    ("GET", "/api/v1/contests/certificates/{code}", None),
    ("GET", "/api/v1/contests/rounds/{round}/statistics", Some(Action::ManageContests)),
];

/// The API routes, with full paths.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    use kernel::api::method_not_allowed;
    axum::Router::new()
        .route("/api/v1/contests", get(contests).fallback(method_not_allowed))
        .route("/api/v1/contests/{id}", get(contest).fallback(method_not_allowed))
        .route("/api/v1/contests/{id}/rounds/{round}/winners", get(winners).fallback(method_not_allowed))
        .route("/api/v1/contests/certificates/{code}", get(certificate).fallback(method_not_allowed))
        .route("/api/v1/contests/rounds/{round}/statistics", get(statistics).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(contests, contest, winners, certificate, statistics),
    components(schemas(
        ContestPhase, ContestDto, ContestList, ContestRoundDto, ContestDetail, ContestRoundDetail, ContestQuotaDto, ContestPredictionDto, ContestRankKeyDto, ContestPrizeDto,
        ContestWinners, ContestWinnerDto, ContestCertificateStatus, ContestCertificateKind, ContestCertificateDto, ContestRoundStatistics, ContestCounters, ContestCommuneCounters, ContestScoreCount, ContestMissedQuestion
    )),
    tags((name = "contests", description = "Cuộc thi trực tuyến tìm hiểu pháp luật: cuộc thi đã công bố và thể lệ, người đạt giải đã công bố, kiểm tra giấy chứng nhận; số liệu trực tiếp của vòng thi cho ban tổ chức"))
)]
struct ContestsDoc;

/// This crate's part of the OpenAPI document (merged by the server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    <ContestsDoc as utoipa::OpenApi>::openapi()
}

fn app(e: AppError) -> Error {
    ApiError::from(e).into()
}

fn not_found() -> Error {
    ApiError::not_found().into()
}

/// A numeric path parameter other than `id`: a 400 naming it when it is not a number.
fn parse_param(s: &str, name: &'static str) -> ApiResult<i64> {
    s.trim().parse::<i64>().map_err(|_| Error::invalid(name, kernel::msg::BAD_REQUEST))
}

// ---------------------------------------------------------------- schemas

/// Where a round (or a contest, by its rounds) stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContestPhase {
    /// Not started yet.
    Upcoming,
    /// Taking attempts now.
    Open,
    /// Ended.
    Closed,
}

fn phase_of(r: &Round, now: DateTime<Utc>) -> ContestPhase {
    if now < r.starts_at {
        ContestPhase::Upcoming
    } else if now < r.ends_at {
        ContestPhase::Open
    } else {
        ContestPhase::Closed
    }
}

/// A contest is open while one of its rounds is, upcoming while one is still to come (or none
/// is published yet), else closed.
fn contest_phase(rounds: &[Round], now: DateTime<Utc>) -> ContestPhase {
    let phases: Vec<ContestPhase> = rounds.iter().map(|r| phase_of(r, now)).collect();
    if phases.contains(&ContestPhase::Open) {
        ContestPhase::Open
    } else if phases.is_empty() || phases.contains(&ContestPhase::Upcoming) {
        ContestPhase::Upcoming
    } else {
        ContestPhase::Closed
    }
}

/// A published round, in short.
#[derive(Serialize, ToSchema)]
pub struct ContestRoundDto {
    pub id: i64,
    /// Its number in the contest, from 1.
    pub number: i64,
    pub title: String,
    /// When attempts may start (RFC 3339).
    pub starts_at: DateTime<Utc>,
    /// When the round ends: no attempt starts after it, and none runs past it.
    pub ends_at: DateTime<Utc>,
    /// `upcoming`, `open` or `closed` at the time of reading.
    pub status: ContestPhase,
    /// Questions drawn for each attempt.
    pub question_count: i64,
    /// The time limit of an attempt, in seconds, kept by the server.
    pub time_limit_s: i64,
    /// Attempts each entrant may make in the round.
    pub attempts_allowed: i64,
}

/// A published contest, with its published rounds.
#[derive(Serialize, ToSchema)]
pub struct ContestDto {
    pub id: i64,
    pub title: String,
    /// The organiser unit (đơn vị tổ chức).
    pub organiser: String,
    /// The eligible area: entrants live, study or work in it.
    pub area_name: String,
    /// The minimum age, by year of birth; `null` for none.
    pub min_age: Option<i64>,
    /// Whether registering asks for a CCCD number.
    pub require_id_number: bool,
    /// Whether an entrant receives at most one prize across the contest's rounds (the highest).
    pub one_prize_per_person: bool,
    /// `open` while a round is, `upcoming` while one is still to come, else `closed`.
    pub status: ContestPhase,
    pub rounds: Vec<ContestRoundDto>,
    /// Its page on this site.
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct ContestList {
    pub items: Vec<ContestDto>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// A line of a round's draw: how many questions of a topic and difficulty (empty: any).
#[derive(Serialize, ToSchema)]
pub struct ContestQuotaDto {
    /// The topic; empty for any.
    pub topic: String,
    /// `de`, `trung_binh` or `kho`; empty for any.
    pub difficulty: String,
    /// Dễ, Trung bình or Khó; empty for any.
    pub difficulty_label: String,
    pub count: i64,
}

/// The prediction question of a round (câu dự đoán).
#[derive(Serialize, ToSchema)]
pub struct ContestPredictionDto {
    /// `correct_all_count` (how many will answer everything correctly) or `participant_count`
    /// (how many will take part).
    pub kind: String,
    pub label: String,
    /// The question as the organiser worded it.
    pub question: String,
}

/// A ranking key, in the order applied.
#[derive(Serialize, ToSchema)]
pub struct ContestRankKeyDto {
    /// `score`, `prediction`, `duration`, `started`, `full_score_attempts`, and last always
    /// `registered` (the earlier registration), the fixed final key.
    pub key: String,
    pub label: String,
}

/// A prize band (cơ cấu giải).
#[derive(Serialize, ToSchema)]
pub struct ContestPrizeDto {
    pub name: String,
    /// How many such prizes.
    pub count: i64,
    /// Each prize's amount, in VND.
    pub amount: i64,
}

/// A published round with its rules.
#[derive(Serialize, ToSchema)]
pub struct ContestRoundDetail {
    #[serde(flatten)]
    pub round: ContestRoundDto,
    /// How each attempt's questions are drawn.
    pub quotas: Vec<ContestQuotaDto>,
    /// Which attempt counts: `best` (higher score, then shorter time), `first` or `last`.
    pub counting: String,
    pub counting_label: String,
    /// `null` when the round asks none.
    pub prediction: Option<ContestPredictionDto>,
    pub ranking_keys: Vec<ContestRankKeyDto>,
    pub prizes: Vec<ContestPrizeDto>,
    /// When the correct answers are shown: `on_submit` or `after_round`.
    pub show_answers: String,
    pub show_answers_label: String,
    /// Whether the organiser published the round's prize winners.
    pub winners_published: bool,
    /// The round's rules as the public page and the rules document state them, one sentence
    /// per item (time, questions, time limit, attempts, prediction, ranking, answers).
    pub rules: Vec<String>,
}

/// A published contest with its organiser's text and the rules generated from its settings.
/// Never the question bank.
#[derive(Serialize, ToSchema)]
pub struct ContestDetail {
    pub id: i64,
    pub title: String,
    /// The organiser's own text.
    pub intro: String,
    pub organiser: String,
    pub area_name: String,
    pub min_age: Option<i64>,
    pub require_id_number: bool,
    pub one_prize_per_person: bool,
    pub status: ContestPhase,
    /// The contest's rules as the public page and the rules document state them, one sentence
    /// per item: the organiser, who may take part, and the one-prize rule when it applies.
    pub rules: Vec<String>,
    pub rounds: Vec<ContestRoundDetail>,
    /// Its page on this site (registration and attempts).
    pub href: String,
    /// Its page of published winners.
    pub winners_href: String,
}

/// A published prize winner.
#[derive(Serialize, ToSchema)]
pub struct ContestWinnerDto {
    /// The rank in the round, from 1.
    pub rank: i64,
    pub prize: String,
    pub full_name: String,
    pub commune_name: String,
    /// Correct answers of the counted attempt.
    pub score: i64,
    pub question_count: i64,
    /// The counted attempt's time, in milliseconds.
    pub duration_ms: i64,
}

/// A round's prize winners as published (công bố kết quả).
#[derive(Serialize, ToSchema)]
pub struct ContestWinners {
    pub contest_id: i64,
    pub contest_title: String,
    pub round_id: i64,
    pub round_title: String,
    /// When the organiser published them (or last published them again).
    pub published_at: DateTime<Utc>,
    /// In rank order; empty when nobody won a prize.
    pub items: Vec<ContestWinnerDto>,
}

/// Whether a certificate is in force.
#[derive(Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContestCertificateStatus {
    Valid,
    /// Revoked when the round's results were published again or the holder was excluded.
    Revoked,
}

/// What a certificate states.
#[derive(Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContestCertificateKind {
    /// A prize (giải).
    Prize,
    /// Taking part in the round (đã tham gia).
    Participation,
}

/// A certificate as its checking page shows it. A revoked one names only its round and
/// contest: the holder and what it stated are `null`.
#[derive(Serialize, ToSchema)]
pub struct ContestCertificateDto {
    /// The 16-letter code, as printed under the QR code.
    pub code: String,
    pub status: ContestCertificateStatus,
    pub valid: bool,
    pub contest_id: i64,
    pub contest_title: String,
    pub round_title: String,
    pub holder_name: Option<String>,
    pub commune_name: Option<String>,
    pub kind: Option<ContestCertificateKind>,
    /// The prize; `null` for taking part.
    pub prize: Option<String>,
    /// The rank; `null` for taking part.
    pub rank: Option<i64>,
    /// The organiser that issued it.
    pub issuer: Option<String>,
    /// The day it was issued (Vietnam time).
    pub issued_on: Option<NaiveDate>,
    /// Its checking page on this site.
    pub href: String,
    /// The certificate as PDF; `null` when revoked.
    pub pdf_href: Option<String>,
}

/// Counts from the live counters.
#[derive(Serialize, ToSchema)]
pub struct ContestCounters {
    /// Entrants who started an attempt, once each.
    pub entrants: i64,
    /// Attempts started.
    pub attempts: i64,
    /// Attempts closed and scored (submitted, or closed at the deadline).
    pub submitted: i64,
}

/// A commune's live counters in a round.
#[derive(Serialize, ToSchema)]
pub struct ContestCommuneCounters {
    /// The province the commune belongs to.
    pub province_name: String,
    pub commune_name: String,
    pub entrants: i64,
    pub attempts: i64,
    pub submitted: i64,
}

/// A bar of the score histogram.
#[derive(Serialize, ToSchema)]
pub struct ContestScoreCount {
    pub score: i64,
    /// Closed attempts with this score.
    pub attempts: i64,
}

/// A question of the round missed most often (a wrong answer or none), from the per-question
/// counters kept when attempts close.
#[derive(Serialize, ToSchema)]
pub struct ContestMissedQuestion {
    pub question_id: i64,
    pub text: String,
    pub topic: String,
    /// Closed attempts that drew it.
    pub drawn: i64,
    /// Of those, attempts that answered it.
    pub answered: i64,
    /// Of those, attempts that answered it correctly.
    pub correct: i64,
    /// Missed (drawn minus correct) per thousand drawn.
    pub missed_permille: i64,
}

/// A round's live statistics, from the counters kept by the write path (never a scan of the
/// attempts). No personal data.
#[derive(Serialize, ToSchema)]
pub struct ContestRoundStatistics {
    pub contest_id: i64,
    pub contest_title: String,
    pub round_id: i64,
    pub round_title: String,
    /// `draft` or `published`.
    pub round_status: String,
    /// Where the round stands now.
    pub phase: ContestPhase,
    pub question_count: i64,
    pub totals: ContestCounters,
    /// Per commune, by province then commune in Vietnamese order.
    pub communes: Vec<ContestCommuneCounters>,
    /// Closed attempts by score, lowest score first; scores nobody got are left out.
    pub scores: Vec<ContestScoreCount>,
    /// The most-missed questions (at most 10, each drawn by at least 5 closed attempts), most
    /// missed first.
    pub most_missed: Vec<ContestMissedQuestion>,
}

// ---------------------------------------------------------------- building

fn round_dto(r: &Round, now: DateTime<Utc>) -> ContestRoundDto {
    ContestRoundDto {
        id: r.id,
        number: r.number,
        title: r.title.clone(),
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        status: phase_of(r, now),
        question_count: r.question_count() as i64,
        time_limit_s: r.time_limit_s,
        attempts_allowed: r.max_attempts,
    }
}

fn contest_dto(c: &Contest, rounds: &[Round], now: DateTime<Utc>) -> ContestDto {
    ContestDto {
        id: c.id,
        title: c.title.clone(),
        organiser: c.unit_name.clone(),
        area_name: c.area_name.clone(),
        min_age: c.min_age,
        require_id_number: c.require_id_number,
        one_prize_per_person: c.one_prize_per_person,
        status: contest_phase(rounds, now),
        rounds: rounds.iter().map(|r| round_dto(r, now)).collect(),
        href: format!("/cuoc-thi/{}", c.id),
    }
}

/// The contest's own rules, one sentence each, as the public page and the rules document state
/// them.
fn contest_sentences(c: &Contest) -> Vec<String> {
    let mut out = vec![msg::rules_organiser(&c.unit_name), msg::rules_audience(&c.area_name, c.min_age, c.require_id_number)];
    if c.one_prize_per_person {
        out.push(msg::RULES_ONE_PRIZE.into());
    }
    out
}

/// The round's rules, one sentence each, as the public page and the rules document state them.
fn rules_sentences(r: &Round) -> Vec<String> {
    let quotas: Vec<String> = r.quotas.iter().map(|q| msg::rules_quota(q.count, &q.topic, settings::difficulty_label(&q.difficulty))).collect();
    let keys: Vec<&str> = r.keys.iter().map(|k| k.label()).chain(std::iter::once(msg::FINAL_KEY)).collect();
    let mut out = vec![
        msg::rules_time(&text_vi::format_datetime(r.starts_at), &text_vi::format_datetime(r.ends_at)),
        msg::rules_questions(r.question_count(), &quotas.join("; ")),
        msg::rules_minutes(r.time_limit_s / 60),
        msg::rules_attempts(r.max_attempts, r.counting.label()),
    ];
    if let Some(p) = r.prediction {
        out.push(msg::rules_prediction(&r.prediction_text, p.label()));
    }
    out.push(msg::rules_keys(&keys));
    out.push(msg::rules_answers(r.show_answers.label()));
    out
}

fn round_detail(r: &Round, now: DateTime<Utc>, winners_published: bool) -> ContestRoundDetail {
    ContestRoundDetail {
        round: round_dto(r, now),
        quotas: r
            .quotas
            .iter()
            .map(|q| ContestQuotaDto { topic: q.topic.clone(), difficulty: q.difficulty.clone(), difficulty_label: settings::difficulty_label(&q.difficulty).into(), count: q.count as i64 })
            .collect(),
        counting: r.counting.as_str().into(),
        counting_label: r.counting.label().into(),
        prediction: r.prediction.map(|p| ContestPredictionDto { kind: p.as_str().into(), label: p.label().into(), question: r.prediction_text.clone() }),
        ranking_keys: r
            .keys
            .iter()
            .map(|k| ContestRankKeyDto { key: k.as_str().into(), label: k.label().into() })
            .chain(std::iter::once(ContestRankKeyDto { key: "registered".into(), label: msg::FINAL_KEY.into() }))
            .collect(),
        prizes: r.prizes.iter().map(|p| ContestPrizeDto { name: p.name.clone(), count: p.count as i64, amount: p.amount }).collect(),
        show_answers: r.show_answers.as_str().into(),
        show_answers_label: r.show_answers.label().into(),
        winners_published,
        rules: rules_sentences(r),
    }
}

/// A published contest, else 404 (as its public page).
async fn public_contest(db: &Db, id: i64) -> ApiResult<Contest> {
    match store::contest(db, id).await {
        Ok(c) if c.status == "published" => Ok(c),
        Ok(_) | Err(DbError::NotFound) => Err(not_found()),
        Err(e) => Err(e.into()),
    }
}

/// The published rounds of a contest, in order (the public page shows only these).
async fn public_rounds(db: &Db, contest_id: i64) -> ApiResult<Vec<Round>> {
    Ok(store::rounds(db, contest_id).await?.into_iter().filter(Round::published).collect())
}

// ---------------------------------------------------------------- handlers

/// `GET /api/v1/contests`.
#[utoipa::path(
    get, operation_id = "list_contests", path = "/api/v1/contests", tag = "contests",
    summary = "Các cuộc thi đã công bố, mới nhất trước",
    description = "The contests the public list `/cuoc-thi` shows (at most its 200 newest), each with its published rounds.",
    security(("bearer" = [])),
    params(
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size, default 100; values above 1000 are lowered to 1000"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Rows to skip, default 0"),
    ),
    responses(
        (status = 200, description = "OK", body = ContestList),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
    )
)]
pub async fn contests(State(state): State<AppState>, _caller: Caller, params: Params) -> ApiResult<Json<ContestList>> {
    let (limit, offset) = (params.limit()?, params.offset()?);
    let db = &state.db;
    let now = kernel::now();
    let all = store::published_contests(db).await?;
    let mut items = Vec::new();
    for c in all.iter().skip(usize::try_from(offset).unwrap_or(usize::MAX)).take(usize::try_from(limit).unwrap_or(0)) {
        let rounds = public_rounds(db, c.id).await?;
        items.push(contest_dto(c, &rounds, now));
    }
    Ok(Json(ContestList { items, total: all.len() as i64, limit, offset }))
}

/// `GET /api/v1/contests/{id}`.
#[utoipa::path(
    get, operation_id = "get_contest", path = "/api/v1/contests/{id}", tag = "contests",
    summary = "Một cuộc thi đã công bố với các vòng thi và thể lệ",
    description = "The contest's page `/cuoc-thi/{id}` without the registration: the organiser's text, who may take part, and each published round with the rules generated from its settings. Never a question or a correct answer.",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The contest's id, as in its public address `/cuoc-thi/{id}`")),
    responses(
        (status = 200, description = "OK", body = ContestDetail),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "Unknown, or not published", body = ErrorBody),
    )
)]
pub async fn contest(State(state): State<AppState>, _caller: Caller, id: Result<Path<String>, PathRejection>) -> ApiResult<Json<ContestDetail>> {
    let id = parse_id(&path_segment(id, "id")?)?;
    let db = &state.db;
    let c = public_contest(db, id).await?;
    let now = kernel::now();
    let rounds = public_rounds(db, c.id).await?;
    let mut details = Vec::with_capacity(rounds.len());
    for r in &rounds {
        let published = store::published_results(db, r.id).await?.is_some();
        details.push(round_detail(r, now, published));
    }
    Ok(Json(ContestDetail {
        id: c.id,
        rules: contest_sentences(&c),
        status: contest_phase(&rounds, now),
        href: format!("/cuoc-thi/{}", c.id),
        winners_href: format!("/cuoc-thi/{}/giai-thuong", c.id),
        title: c.title,
        intro: c.intro,
        organiser: c.unit_name,
        area_name: c.area_name,
        min_age: c.min_age,
        require_id_number: c.require_id_number,
        one_prize_per_person: c.one_prize_per_person,
        rounds: details,
    }))
}

/// `GET /api/v1/contests/{id}/rounds/{round}/winners`.
#[utoipa::path(
    get, operation_id = "get_contest_round_winners", path = "/api/v1/contests/{id}/rounds/{round}/winners", tag = "contests",
    summary = "Người đạt giải của một vòng thi đã công bố kết quả",
    description = "What the public page `/cuoc-thi/{id}/giai-thuong` shows for the round: rank, prize, name, commune, score and time. Never a contact, a year of birth or a CCCD number.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The contest's id"),
        ("round" = i64, Path, description = "The round's id"),
    ),
    responses(
        (status = 200, description = "OK", body = ContestWinners),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "Unknown contest or round, not published, or its winners not published yet", body = ErrorBody),
    )
)]
pub async fn winners(State(state): State<AppState>, _caller: Caller, ids: Result<Path<Vec<(String, String)>>, PathRejection>) -> ApiResult<Json<ContestWinners>> {
    let Ok(Path(ids)) = ids else { return Err(ApiError::bad_request(kernel::msg::BAD_REQUEST).into()) };
    let segment = |name: &str| ids.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
    let id = parse_param(segment("id"), "id")?;
    let round = parse_param(segment("round"), "round")?;
    let db = &state.db;
    let c = public_contest(db, id).await?;
    let r = match store::round(db, round).await {
        Ok(r) if r.contest_id == c.id && r.published() => r,
        Ok(_) | Err(DbError::NotFound) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    let Some((json, published_at)) = store::published_results(db, r.id).await? else { return Err(not_found()) };
    // The published snapshot holds only what the public page shows.
    let items = service::winners_of(&json)
        .into_iter()
        .map(|w| ContestWinnerDto { rank: w.position as i64, prize: w.prize, full_name: w.name, commune_name: w.commune, score: w.score, question_count: w.question_count, duration_ms: w.duration_ms })
        .collect();
    Ok(Json(ContestWinners { contest_id: c.id, contest_title: c.title, round_id: r.id, round_title: r.title, published_at, items }))
}

/// `GET /api/v1/contests/certificates/{code}`.
#[utoipa::path(
    get, operation_id = "get_contest_certificate", path = "/api/v1/contests/certificates/{code}", tag = "contests",
    summary = "Kiểm tra giấy chứng nhận theo mã",
    description = "What the checking page `/cuoc-thi/chung-nhan/{code}` (the certificate's QR code) shows: whether it is in force, whom it was issued to and for what. A revoked certificate names only its round and contest.",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "The 16-letter code printed under the QR code; any case, spaces and dashes are ignored")),
    responses(
        (status = 200, description = "OK (in force or revoked, as `status` says)", body = ContestCertificateDto),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The account must change its password first, or its role may not use the API", body = ErrorBody),
        (status = 404, description = "No certificate has this code", body = ErrorBody),
    )
)]
pub async fn certificate(State(state): State<AppState>, _caller: Caller, code: Result<Path<String>, PathRejection>) -> ApiResult<Json<ContestCertificateDto>> {
    let typed = path_segment(code, "code")?;
    let Some(code) = service::normalise_certificate_code(&typed) else { return Err(not_found()) };
    let Some(k) = store::certificate(&state.db, &code).await? else { return Err(not_found()) };
    let href = format!("/cuoc-thi/chung-nhan/{}", k.code);
    if k.revoked_at.is_some() {
        // Like the page: only the round and the contest.
        return Ok(Json(ContestCertificateDto {
            code: k.code,
            status: ContestCertificateStatus::Revoked,
            valid: false,
            contest_id: k.contest_id,
            contest_title: k.contest_title,
            round_title: k.round_title,
            holder_name: None,
            commune_name: None,
            kind: None,
            prize: None,
            rank: None,
            issuer: None,
            issued_on: None,
            href,
            pdf_href: None,
        }));
    }
    let prize = k.position > 0;
    Ok(Json(ContestCertificateDto {
        status: ContestCertificateStatus::Valid,
        valid: true,
        contest_id: k.contest_id,
        contest_title: k.contest_title,
        round_title: k.round_title,
        holder_name: Some(k.full_name),
        commune_name: Some(k.commune_name),
        kind: Some(if prize { ContestCertificateKind::Prize } else { ContestCertificateKind::Participation }),
        prize: prize.then_some(k.prize),
        rank: prize.then_some(k.position),
        issuer: Some(k.unit_name),
        issued_on: Some((k.issued_at + Duration::hours(7)).date_naive()),
        pdf_href: Some(format!("{href}/giay-chung-nhan.pdf")),
        href,
        code: k.code,
    }))
}

/// `GET /api/v1/contests/rounds/{round}/statistics`.
#[utoipa::path(
    get, operation_id = "get_contest_round_statistics", path = "/api/v1/contests/rounds/{round}/statistics", tag = "contests",
    summary = "Số liệu trực tiếp của một vòng thi (ban tổ chức)",
    description = "The live counters of a round that the organiser's ranking page shows: entrants, attempts and submitted attempts per commune, the score histogram and the most-missed questions, read from the counters kept when attempts start and close (never a count over the attempts). No personal data. For accounts with `ManageContests` whose scope holds the organiser unit.",
    security(("bearer" = [])),
    params(("round" = i64, Path, description = "The round's id, as in the organiser's address `/cuoc-thi/quan-ly/vong/{id}`")),
    responses(
        (status = 200, description = "OK", body = ContestRoundStatistics),
        (status = 400, description = "Invalid parameter (`param` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown, expired or revoked token", body = ErrorBody),
        (status = 403, description = "The caller's role does not allow this, or the account must change its password first", body = ErrorBody),
        (status = 404, description = "Unknown, or organised outside the caller's scope", body = ErrorBody),
    )
)]
pub async fn statistics(State(state): State<AppState>, caller: Caller, round: Result<Path<String>, PathRejection>) -> ApiResult<Json<ContestRoundStatistics>> {
    caller.require(Action::ManageContests)?;
    let round = parse_param(&path_segment(round, "round")?, "round")?;
    let db = &state.db;
    let (c, r) = service::visible_round(db, &caller.principal(), round).await.map_err(app)?;
    let mut rows = store::counters_with_province(db, r.id).await?;
    rows.sort_by(|a, b| text_vi::compare(&a.province_name, &b.province_name).then_with(|| text_vi::compare(&a.commune_name, &b.commune_name)));
    let totals = ContestCounters {
        entrants: rows.iter().map(|x| x.entrants).sum(),
        attempts: rows.iter().map(|x| x.attempts).sum(),
        submitted: rows.iter().map(|x| x.submissions).sum(),
    };
    let communes = rows
        .into_iter()
        .map(|x| ContestCommuneCounters { province_name: x.province_name, commune_name: x.commune_name, entrants: x.entrants, attempts: x.attempts, submitted: x.submissions })
        .collect();
    let scores = store::score_counts(db, r.id).await?.into_iter().map(|(score, attempts)| ContestScoreCount { score, attempts }).collect();
    let most_missed = service::most_missed(db, r.id)
        .await
        .map_err(app)?
        .into_iter()
        .map(|(q, m)| ContestMissedQuestion { question_id: m.question_id, text: q.text, topic: q.topic, drawn: m.drawn, answered: m.answered, correct: m.correct, missed_permille: m.missed_permille() })
        .collect();
    Ok(Json(ContestRoundStatistics {
        contest_id: c.id,
        contest_title: c.title,
        round_id: r.id,
        phase: phase_of(&r, kernel::now()),
        question_count: r.question_count() as i64,
        round_title: r.title,
        round_status: r.status,
        totals,
        communes,
        scores,
        most_missed,
    }))
}
