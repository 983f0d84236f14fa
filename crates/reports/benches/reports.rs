//! Periodic report benchmark (issue 4): the live roll-up from communes to the nation, and the
//! provincial round page.
//!
//! `cargo bench -p reports --bench reports`; `PBGDPL_BENCH_QUICK=1` for a short run (CI).
//!
//! Setup (not timed): a temporary SQLite database, migrated, with the official units: the 34
//! provinces and 3,321 communes in force today. A form "BENCH" of 60 count indicators (built
//! from the shipped HGCS form), one quarterly schedule per province with its communes as
//! reporters, and 10 open rounds per schedule (2024-Q1 … 2026-Q2): one report per commune per
//! round. Every report gets 60 random figures and is approved, with the roll-up rows of the
//! commune and the province written in bulk, except a few reports of the latest period that
//! stay submitted (figures stored, not rolled up). Quick mode: 2 periods, 12 indicators.
//!
//! Target 1 (< 50 ms): approving one submitted report (`reports::service::transition`, which keeps
//! the roll-up current in its transaction) plus reading the national totals of that period
//! (the 34 provinces' roll-ups, summed). Target 2 (< 100 ms): `GET /bao-cao/ky/{id}` of the
//! largest province's round, over HTTP against the real router, as a justice officer of that
//! province. Targets are judged on the median; a miss prints "OVER TARGET" but does not fail;
//! the exit code is non-zero only on a real error (including a national total that does not
//! match the approved figures).

use std::collections::{BTreeMap, HashSet};
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::db::Db;
use kernel::db::audit::Actor;
use reports::rules::{Certainty, FillerLevel, Indicator, IndicatorKind, Period, PeriodKind, ReportEvent, Section};

use testkit::bench::{Rng, load_average, ms, peak_rss, quick, stats, verdict};

const TARGET_APPROVAL: Duration = Duration::from_millis(50);
const TARGET_PAGE: Duration = Duration::from_millis(100);
const PASSWORD: &str = "Bench-pass-2026";
const USERNAME: &str = "bench_tinh";
/// Rows per multi-row INSERT: 4 bound parameters a row, under SQLite's 32,766.
const ROWS_PER_INSERT: usize = 8_000;
/// Indicators per form section.
const PER_SECTION: usize = 10;

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// A province in force today with its communes.
struct Province {
    id: i64,
    name: String,
    communes: Vec<i64>,
}

/// An opened round: its province (index), period (index) and (report, commune) pairs.
struct RoundData {
    id: i64,
    province: usize,
    period: usize,
    reports: Vec<(i64, i64)>,
}

/// The periods measured: the last `n` of 2024-Q1 … 2026-Q2.
fn periods(n: usize) -> Result<Vec<Period>> {
    let mut all = Vec::new();
    for year in 2024..=2026 {
        for q in 1..=4 {
            if year == 2026 && q > 2 {
                break;
            }
            all.push(Period::new(PeriodKind::Quarter, year, q).with_context(|| format!("quarter {q} of {year}"))?);
        }
    }
    Ok(all.split_off(all.len().saturating_sub(n)))
}

/// The provinces in force on `day` and their communes (units of level "commune" directly below).
async fn load_tree(db: &Db, day: NaiveDate) -> Result<Vec<Province>> {
    let mut out = Vec::new();
    for p in kernel::db::units::children(db, None, Some(day)).await.context("provinces")? {
        if p.level != "province" {
            continue;
        }
        let communes: Vec<i64> = kernel::db::units::children(db, Some(p.id), Some(day))
            .await
            .with_context(|| format!("communes of {}", p.name))?
            .into_iter()
            .filter(|c| c.level == "commune" && c.path == format!("/{}/{}/", p.id, c.id))
            .map(|c| c.id)
            .collect();
        out.push(Province { id: p.id, name: p.name, communes });
    }
    if out.is_empty() || out.iter().all(|p| p.communes.is_empty()) {
        bail!("no provinces or communes in force on {day}");
    }
    Ok(out)
}

/// Stores the form "BENCH" v1: the HGCS form with `indicators` count indicators and no rules.
async fn create_form(db: &Db, indicators: usize, day: NaiveDate) -> Result<i64> {
    let hgcs = reports::store::form_for(db, "HGCS", day).await.context("form_for HGCS")?.context("the shipped HGCS form is missing")?;
    let cat = reports::service::catalogue()?;
    let mut form = cat.parse_version(&hgcs.definition).context("parsing the HGCS form")?;
    let codes: Vec<usize> = (0..indicators).collect();
    form.sections = codes
        .chunks(PER_SECTION)
        .enumerate()
        .map(|(s, chunk)| Section {
            code: format!("s{}", s + 1),
            name: format!("Nhóm chỉ tiêu thử {}", s + 1),
            indicators: chunk
                .iter()
                .map(|n| Indicator {
                    code: format!("i{n:02}"),
                    name: format!("Số cuộc phổ biến pháp luật loại {}", n + 1),
                    unit: "cuộc".into(),
                    kind: IndicatorKind::Count,
                    formula: None,
                    aggregation: None,
                    disaggregations: vec![],
                    certainty: Certainty::U,
                    max: None,
                })
                .collect(),
        })
        .collect();
    form.rules = vec![];
    form.code = "BENCH".into();
    form.version = 1;
    form.name = format!("Biểu mẫu thử hiệu năng ({indicators} chỉ tiêu)");
    form.valid_from = NaiveDate::from_ymd_opt(2020, 1, 1).context("2020-01-01")?;
    form.valid_to = None;
    form.levels = vec![FillerLevel::Commune];
    form.period_kinds = vec![PeriodKind::Quarter];
    let toml = form.to_toml()?;
    let checked = cat.parse_version(&toml).context("the generated form does not pass the catalogue check")?;
    if checked.indicators().count() != indicators {
        bail!("the generated form has {} indicators, expected {indicators}", checked.indicators().count());
    }
    let mut tx = db.begin().await?;
    let id = reports::store::insert_form(&mut tx, &reports::store::NewForm {
        code: "BENCH",
        version: 1,
        name: &form.name,
        valid_from: form.valid_from,
        valid_to: None,
        definition: &toml,
        created_by: None,
    })
    .await
    .context("insert_form")?;
    tx.commit().await?;
    Ok(id)
}

/// One schedule per province, then its rounds, each opened (one draft report per commune).
async fn create_rounds(db: &Db, form_id: i64, provinces: &[Province], periods: &[Period]) -> Result<Vec<RoundData>> {
    let mut tx = db.begin().await?;
    let mut schedules = Vec::with_capacity(provinces.len());
    for p in provinces {
        let id = reports::store::create_schedule(&mut tx, &reports::store::NewSchedule {
            unit_id: p.id,
            form_code: "BENCH".into(),
            period_kind: "quarter".into(),
            filler_level: "commune".into(),
            name: format!("Báo cáo quý thử hiệu năng của {}", p.name),
            created_by: None,
            members: p.communes.iter().map(|c| (*c, None)).collect(),
        })
        .await
        .with_context(|| format!("schedule of {}", p.name))?;
        schedules.push(id);
    }
    tx.commit().await?;

    let mut rounds = Vec::with_capacity(provinces.len() * periods.len());
    for (pi, (p, schedule_id)) in provinces.iter().zip(&schedules).enumerate() {
        let members = reports::store::schedule_members(db, *schedule_id).await.context("schedule_members")?;
        let mut tx = db.begin().await?;
        for (ki, period) in periods.iter().enumerate() {
            let due = period.end() + chrono::Duration::days(15);
            let id = reports::store::create_round(&mut tx, &reports::store::NewRound {
                schedule_id: *schedule_id,
                unit_id: p.id,
                form_id,
                period_key: period.key(),
                period_start: period.start(),
                period_end: period.end(),
                due_on: Some(due),
                cutoff_on: None,
                lock_after_days: Some(30),
            })
            .await
            .context("create_round")?
            .with_context(|| format!("round {} of {} already exists", period.key(), p.name))?;
            let ids = reports::store::open_round(&mut tx, id, Some(due), Some(30), &members).await.context("open_round")?;
            rounds.push(RoundData { id, province: pi, period: ki, reports: ids.into_iter().zip(members.iter().map(|m| m.unit_id)).collect() });
        }
        tx.commit().await?;
    }
    Ok(rounds)
}

/// A multi-row INSERT of `rows` rows of `cols` bound parameters each, with `tail` appended to
/// each row's placeholders (constant columns). SQLite-only, so anonymous `?` placeholders:
/// SQLite treats `$N` as a *named* parameter and looks each one up linearly among those already
/// seen, which makes a statement with 32,000 of them quadratic (seconds to prepare).
fn multi_insert(head: &str, rows: usize, cols: usize, tail: &str) -> String {
    let row = format!("({}{tail})", vec!["?"; cols].join(", "));
    let mut sql = String::with_capacity(head.len() + rows * (row.len() + 2));
    sql.push_str(head);
    for r in 0..rows {
        sql.push_str(if r == 0 { " " } else { ", " });
        sql.push_str(&row);
    }
    sql
}

/// Inserts report values (report, key index, value) in multi-row statements.
async fn insert_values(conn: &mut sqlx::SqliteConnection, rows: &[(i64, usize, i64)], keys: &[String], at: DateTime<Utc>) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = multi_insert("INSERT INTO report_values (report_id, value_key, int_value, updated_at, prefilled) VALUES", chunk.len(), 4, ", FALSE");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (report, key, value) in chunk {
            q = q.bind(*report).bind(keys[*key].as_str()).bind(*value).bind(at);
        }
        q.execute(&mut *conn).await.context("inserting report values")?;
    }
    Ok(())
}

/// Inserts roll-up rows (round, unit, key index, value) in multi-row statements.
async fn insert_rollups(conn: &mut sqlx::SqliteConnection, rows: &[(i64, i64, usize, i64)], keys: &[String]) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = multi_insert("INSERT INTO report_rollups (round_id, unit_id, value_key, int_value) VALUES", chunk.len(), 4, "");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (round, unit, key, value) in chunk {
            q = q.bind(*round).bind(*unit).bind(keys[*key].as_str()).bind(*value);
        }
        q.execute(&mut *conn).await.context("inserting roll-ups")?;
    }
    Ok(())
}

/// Fills every report with random figures and approves it, writing the commune and province
/// roll-ups; the `kept` reports are left submitted (figures stored, not rolled up). One
/// transaction per province. Returns the number of value rows written.
async fn fill_and_approve(
    db: &Db,
    rounds: &[RoundData],
    provinces: &[Province],
    periods: &[Period],
    keys: &[String],
    kept: &HashSet<i64>,
    rng: &mut Rng,
) -> Result<usize> {
    let pool = match db {
        Db::Sqlite(p) => &p.write,
        Db::Postgres(_) => bail!("the benchmark runs on SQLite"),
    };
    let at = kernel::db::now();
    let mut written = 0;
    for (pi, province) in provinces.iter().enumerate() {
        let mut tx = pool.begin().await?;
        let mut values: Vec<(i64, usize, i64)> = Vec::new();
        let mut rollups: Vec<(i64, i64, usize, i64)> = Vec::new();
        for round in rounds.iter().filter(|r| r.province == pi) {
            let mut sums = vec![0i64; keys.len()];
            for (report, commune) in &round.reports {
                let counted = !kept.contains(report);
                for (k, sum) in sums.iter_mut().enumerate() {
                    let v = i64::try_from(rng.below(100))?;
                    values.push((*report, k, v));
                    // As `apply_rollup`: zero deltas write no row.
                    if counted && v != 0 {
                        rollups.push((round.id, *commune, k, v));
                        *sum += v;
                    }
                }
            }
            for (k, sum) in sums.iter().enumerate() {
                if *sum != 0 {
                    rollups.push((round.id, province.id, k, *sum));
                }
            }
            let submitted_on = periods[round.period].end() + chrono::Duration::days(5);
            sqlx::query(
                "UPDATE reports SET state = 'approved', first_submitted_on = $2, submitted_at = $3, reviewed_at = $3, updated_at = $3
                 WHERE round_id = $1",
            )
            .bind(round.id)
            .bind(submitted_on)
            .bind(at)
            .execute(&mut *tx)
            .await
            .context("approving reports")?;
            for (report, _) in round.reports.iter().filter(|(r, _)| kept.contains(r)) {
                sqlx::query("UPDATE reports SET state = 'submitted', reviewed_at = NULL WHERE id = $1")
                    .bind(*report)
                    .execute(&mut *tx)
                    .await
                    .context("keeping a report submitted")?;
            }
            if values.len() >= 4 * ROWS_PER_INSERT {
                insert_values(&mut tx, &values, keys, at).await?;
                written += values.len();
                values.clear();
            }
            if rollups.len() >= 4 * ROWS_PER_INSERT {
                insert_rollups(&mut tx, &rollups, keys).await?;
                rollups.clear();
            }
        }
        insert_values(&mut tx, &values, keys, at).await?;
        written += values.len();
        insert_rollups(&mut tx, &rollups, keys).await?;
        tx.commit().await?;
    }
    Ok(written)
}

/// National totals of one period: the roll-ups of the provinces' rounds, summed.
async fn national_total(db: &Db, rounds: &[(i64, i64)]) -> Result<BTreeMap<String, i64>> {
    let mut total: BTreeMap<String, i64> = BTreeMap::new();
    for (round_id, province_id) in rounds {
        for (key, value) in reports::store::rollup(db, *round_id, *province_id).await.context("rollup")? {
            *total.entry(key).or_insert(0) += value;
        }
    }
    Ok(total)
}

async fn scalar(db: &Db, sql: &'static str, bind: Option<&str>) -> Result<i64> {
    let pool = match db {
        Db::Sqlite(p) => &p.read,
        Db::Postgres(_) => bail!("the benchmark runs on SQLite"),
    };
    let mut q = sqlx::query_as::<_, (i64,)>(sql);
    if let Some(b) = bind {
        q = q.bind(b);
    }
    Ok(q.fetch_one(pool).await.with_context(|| format!("query {sql}"))?.0)
}

async fn run() -> Result<()> {
    let quick = quick();
    let (period_count, indicators) = if quick { (2, 12) } else { (10, 60) };
    let (approval_warmup, approvals) = if quick { (2, 10) } else { (5, 50) };
    let (page_warmup, page_iterations) = if quick { (2, 10) } else { (5, 50) };
    println!(
        "reports: {} mode ({period_count} periods, {indicators} indicators{}), {approval_warmup} + {approvals} approvals, {page_warmup} + {page_iterations} page loads, {} CPUs, load average {}{}",
        if quick { "quick" } else { "full" },
        if quick { "; full mode: 10 periods, 60 indicators" } else { "" },
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        load_average(),
        if cfg!(debug_assertions) { " (DEBUG BUILD: figures not representative)" } else { "" }
    );

    // ---------------------------------------------------------------- setup (not timed)
    let started = Instant::now();
    let dir = tempfile::tempdir().context("temporary directory")?;
    let db_path = dir.path().join("bench.db");
    let db = Db::connect(&format!("sqlite://{}", db_path.display())).await.context("connect")?;
    db.migrate(&[kernel::db::migrations(), plans::migrations(), reports::migrations()]).await.context("migrate")?;
    reports::service::seed_forms(&db).await.context("forms")?;
    kernel::db::units::load_if_empty(&db).await.context("units")?;
    let today = kernel::page::today();
    let provinces = load_tree(&db, today).await?;
    let commune_count: usize = provinces.iter().map(|p| p.communes.len()).sum();
    let periods = periods(period_count)?;
    let form_id = create_form(&db, indicators, today).await?;
    let keys: Vec<String> = (0..indicators).map(|n| format!("i{n:02}")).collect();
    let t_units = started.elapsed();

    let largest = provinces.iter().enumerate().max_by_key(|(_, p)| p.communes.len()).map(|(i, _)| i).context("no province")?;
    let hash = kernel::auth::hash_password(PASSWORD.into()).await?;
    let mut tx = db.begin().await?;
    let account_id = kernel::db::accounts::create(&mut tx, &kernel::db::accounts::NewAccount {
        username: USERNAME.into(),
        full_name: "Cán bộ tư pháp thử hiệu năng".into(),
        email: None,
        password_hash: hash,
        role: "justice_officer".into(),
        unit_id: provinces[largest].id,
        agency_id: None,
        must_change_password: false,
    })
    .await
    .context("creating the officer account")?;
    tx.commit().await?;

    let t0 = Instant::now();
    let rounds = create_rounds(&db, form_id, &provinces, &periods).await.context("creating rounds")?;
    let t_rounds = t0.elapsed();

    // The reports kept submitted for the timed approvals: random reports of the latest period.
    let mut rng = Rng(0x7062_6764_706c_0004);
    let last = periods.len() - 1;
    let latest: Vec<i64> = rounds.iter().filter(|r| r.period == last).flat_map(|r| r.reports.iter().map(|(id, _)| *id)).collect();
    let wanted = (approval_warmup + approvals).min(latest.len());
    let mut kept_order: Vec<i64> = Vec::with_capacity(wanted);
    let mut kept: HashSet<i64> = HashSet::with_capacity(wanted);
    while kept_order.len() < wanted {
        let id = latest[rng.below(latest.len())];
        if kept.insert(id) {
            kept_order.push(id);
        }
    }

    let t0 = Instant::now();
    let value_rows = fill_and_approve(&db, &rounds, &provinces, &periods, &keys, &kept, &mut rng).await.context("filling reports")?;
    let t_fill = t0.elapsed();
    let report_count: usize = rounds.iter().map(|r| r.reports.len()).sum();
    println!(
        "reports setup: {} provinces, {commune_count} communes, {} rounds, {report_count} reports, {value_rows} values in {:.1} s \
         (units + form {:.1} s, schedules + rounds + reports {:.1} s, values + approvals + roll-ups {:.1} s)",
        provinces.len(),
        rounds.len(),
        started.elapsed().as_secs_f64(),
        t_units.as_secs_f64(),
        t_rounds.as_secs_f64(),
        t_fill.as_secs_f64()
    );

    // ---------------------------------------------------------------- target 1: one approval
    let period_key = periods[last].key();
    let national_rounds: Vec<(i64, i64)> = rounds.iter().filter(|r| r.period == last).map(|r| (r.id, provinces[r.province].id)).collect();
    let actor = Actor::cli();
    let (mut tr, mut rd, mut total) = (Vec::with_capacity(approvals), Vec::with_capacity(approvals), Vec::with_capacity(approvals));
    let mut national = BTreeMap::new();
    for (i, id) in kept_order.iter().enumerate() {
        let rep = reports::store::report(&db, *id).await.context("report")?;
        let round = reports::store::round(&db, rep.round_id).await.context("round")?;
        let a = Instant::now();
        reports::service::transition(&db, &actor, account_id, &rep, &round, ReportEvent::Approve, rep.version, None, today).await?;
        let b = Instant::now();
        national = national_total(&db, &national_rounds).await?;
        let c = Instant::now();
        if i >= approval_warmup {
            tr.push(b - a);
            rd.push(c - b);
            total.push(c - a);
        }
        black_box(&national);
    }
    let expected = scalar(
        &db,
        "SELECT CAST(COALESCE(SUM(v.int_value), 0) AS BIGINT) FROM report_values v JOIN reports x ON x.id = v.report_id
         JOIN report_rounds r ON r.id = x.round_id JOIN report_forms f ON f.id = r.form_id
         WHERE f.code = 'BENCH' AND r.period_key = $1 AND x.state = 'approved' AND v.value_key = 'i00'",
        Some(&period_key),
    )
    .await?;
    let got = national.get("i00").copied().unwrap_or(0);
    if got != expected {
        bail!("national total of i00 for {period_key} is {got}, but the approved reports sum to {expected}");
    }
    let still_submitted = scalar(&db, "SELECT COUNT(*) FROM reports WHERE state = 'submitted'", None).await?;
    if still_submitted != 0 {
        bail!("{still_submitted} reports are still submitted after the timed approvals");
    }
    let (am, ap) = stats(&mut tr);
    let (rm, rp) = stats(&mut rd);
    let (tm, tp) = stats(&mut total);
    println!("reports target 1: approve one report, then read the national totals of {period_key} ({} provinces):", national_rounds.len());
    println!("reports   (a) transition (approve + roll-up):       median {}, p95 {}", ms(am), ms(ap));
    println!("reports   (b) national totals (34 roll-ups summed): median {}, p95 {}", ms(rm), ms(rp));
    println!(
        "reports   (c) total:                              median {}, p95 {} (target < {} ms){}",
        ms(tm),
        ms(tp),
        TARGET_APPROVAL.as_millis(),
        verdict(tm, tp, TARGET_APPROVAL)
    );
    println!("reports   check: national i00 = {got} = sum of i00 over the approved reports of {period_key}");

    // ---------------------------------------------------------------- target 2: round page
    let registry = kernel::registry::Registry { menu: reports::MENU.to_vec(), ..Default::default() };
    let base = testkit::bench::serve(&db, registry, reports::routes).await.map_err(anyhow::Error::msg)?;
    let client = testkit::bench::signed_in(&base, USERNAME, PASSWORD).await.map_err(anyhow::Error::msg)?;
    let province = &provinces[largest];
    let page_round = national_rounds.iter().find(|(_, p)| *p == province.id).map(|(r, _)| *r).context("round of the largest province")?;
    let url = format!("{base}/bao-cao/ky/{page_round}");
    let mut page = Vec::with_capacity(page_iterations);
    let mut html_len = 0;
    for i in 0..page_warmup + page_iterations {
        let a = Instant::now();
        let r = client.get(&url).send().await.context("GET round page")?;
        let status = r.status();
        let html = r.text().await.context("round page body")?;
        let b = Instant::now();
        if status != reqwest::StatusCode::OK {
            bail!("GET /bao-cao/ky/{page_round}: HTTP {status}");
        }
        if !html.contains("<svg") {
            bail!("the round page has no SVG chart");
        }
        if i >= page_warmup {
            page.push(b - a);
        }
        html_len = html.len();
        black_box(html);
    }
    let (pm, pp) = stats(&mut page);
    println!(
        "reports target 2: GET /bao-cao/ky/{page_round} ({}, {} communes, {period_key}) over HTTP:",
        province.name,
        province.communes.len()
    );
    println!(
        "reports   page: median {}, p95 {} (target < {} ms){}; HTML {html_len} bytes",
        ms(pm),
        ms(pp),
        TARGET_PAGE.as_millis(),
        verdict(pm, pp, TARGET_PAGE)
    );

    // ---------------------------------------------------------------- sizes
    let units = kernel::db::units::count(&db).await?;
    let reports = scalar(&db, "SELECT COUNT(*) FROM reports", None).await?;
    let values = scalar(&db, "SELECT COUNT(*) FROM report_values", None).await?;
    let rollups = scalar(&db, "SELECT COUNT(*) FROM report_rollups", None).await?;
    db.close().await;
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = db_path.with_file_name("bench.db-wal");
    println!("reports counts: {units} units in the table ({} provinces, {commune_count} communes today), {reports} reports, {values} values, {rollups} roll-up rows", provinces.len());
    println!(
        "reports database file: {} (+ WAL {} at close); peak RSS (VmHWM): {}",
        mib(size(&db_path)),
        mib(size(&wal)),
        peak_rss()
    );
    Ok(())
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("reports: cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reports: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
