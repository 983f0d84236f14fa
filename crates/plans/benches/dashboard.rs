//! Unit dashboard benchmark: the work of `GET /tien-do` over 5,000 tasks.
//!
//! `cargo bench -p plans --bench dashboard`; `PBGDPL_BENCH_QUICK=1` for a short run (CI).
//!
//! Setup (not timed): a temporary SQLite database, migrated, with the official units and the
//! demo data (Lạng Sơn), then 20 issued plans of the province and its two demo communes with
//! 250 tasks each: mixed statuses, deadlines over 2026, one or two lead agencies written as
//! free text. Each timed iteration then does what `plans::pages::progress::unit_dashboard` does for
//! the province: the two queries (`dashboard_rows`, `leads_for`), `build` and the template
//! render. Prints median and p95 of (a) the queries, (b) build + render, (c) the total, the
//! HTML size and the peak RSS. The 100 ms target is judged on the median total; a miss prints
//! "OVER TARGET" but does not fail; the exit code is non-zero only on a real error.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use askama::Template;
use chrono::NaiveDate;
use kernel::db::Db;
use plans::store::plans::{PlanContent, PlanInput, PlanOrigin, PlanText, SectionInput, TaskAgencyInput, TaskInput};
use plans::store::tasks::DashFilter;
use kernel::page::Layout;
use plans::pages::progress::{DashQuery, build};

use testkit::bench::{Rng, load_average, ms, peak_rss, quick, stats};

const PLANS: usize = 20;
const TASKS_PER_PLAN: usize = 250;
/// Plans written per transaction.
const PLANS_PER_TX: usize = 4;
const TARGET: Duration = Duration::from_millis(100);

const PROVINCE_LEADS: &[&str] = &[
    "Sở Tư pháp",
    "Công an tỉnh",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo",
    "Tỉnh đoàn",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Báo và Phát thanh, Truyền hình tỉnh",
];
const COMMUNE_LEADS: &[&str] = &["UBND xã", "Công an xã", "Văn phòng HĐND và UBND xã", "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "Đoàn Thanh niên xã"];
const TITLES: &[&str] = &[
    "Tổ chức hội nghị phổ biến pháp luật cho cán bộ, công chức",
    "Biên soạn, phát hành tài liệu pháp luật song ngữ Việt – Tày",
    "Tuyên truyền Luật Hòa giải ở cơ sở trên hệ thống loa truyền thanh",
    "Tổ chức cuộc thi tìm hiểu pháp luật trực tuyến",
    "Bồi dưỡng kiến thức pháp luật cho hòa giải viên",
    "Xây dựng, duy trì tủ sách pháp luật tại nhà văn hóa thôn",
    "Phổ biến pháp luật về phòng, chống ma túy trong trường học",
    "Kiểm tra, đánh giá chuẩn tiếp cận pháp luật",
    "Trợ giúp pháp lý lưu động cho đồng bào dân tộc thiểu số",
    "Phổ biến Luật Đất đai năm 2024 cho người dân",
];

/// The 250 tasks of plan `p`.
fn tasks_for(p: usize, commune: bool, rng: &mut Rng) -> Result<Vec<TaskInput>> {
    let leads = if commune { COMMUNE_LEADS } else { PROVINCE_LEADS };
    let mut tasks = Vec::with_capacity(TASKS_PER_PLAN);
    for i in 0..TASKS_PER_PLAN {
        // Deadlines spread over the whole of 2026; one task in ten has only a window.
        let ordinal = 1 + u32::try_from(rng.below(365))?;
        let day = NaiveDate::from_yo_opt(2026, ordinal).context("day of 2026")?;
        let (deadline, window_from, window_to, timeframe) = if i % 10 == 9 {
            let from = day - chrono::Duration::days(60);
            (None, Some(from), Some(day), Some(format!("Từ {} đến {}", from.format("%d/%m/%Y"), day.format("%d/%m/%Y"))))
        } else {
            (Some(day), None, None, Some(format!("Trước ngày {}", day.format("%d/%m/%Y"))))
        };
        let first = rng.below(leads.len());
        let mut agencies = vec![TaskAgencyInput { role: "lead".into(), written: leads[first].into(), match_key: None, agency_id: None }];
        if rng.below(3) == 0 {
            let second = (first + 1 + rng.below(leads.len() - 1)) % leads.len();
            agencies.push(TaskAgencyInput { role: "lead".into(), written: leads[second].into(), match_key: None, agency_id: None });
        }
        agencies.push(TaskAgencyInput { role: "coordinating".into(), written: "Các cơ quan, đơn vị liên quan".into(), match_key: None, agency_id: None });
        tasks.push(TaskInput {
            path: format!("{}.{}", i / 25 + 1, i % 25 + 1),
            title: format!("{} (đợt {}, kế hoạch {})", TITLES[rng.below(TITLES.len())], i + 1, p + 1),
            description: "- Đối tượng: cán bộ, công chức và Nhân dân trên địa bàn.\n- Hình thức: trực tiếp và trực tuyến.".into(),
            form: Some("Hội nghị, tài liệu, loa truyền thanh".into()),
            products: Some("Báo cáo kết quả".into()),
            funding: Some("Ngân sách nhà nước".into()),
            timeframe,
            deadline,
            window_from,
            window_to,
            ..TaskInput::default()
        });
    }
    Ok(tasks)
}

/// Creates the 20 issued plans; returns (plans, tasks) written.
async fn seed(db: &Db, units: &[kernel::db::units::Unit]) -> Result<(usize, usize)> {
    let mut rng = Rng(0x7062_6764_706c);
    let mut written = 0;
    for batch in 0..PLANS / PLANS_PER_TX {
        let mut tx = db.begin().await?;
        for p in batch * PLANS_PER_TX..(batch + 1) * PLANS_PER_TX {
            let unit = &units[p % units.len()];
            let commune = p % units.len() != 0;
            let input = PlanInput {
                unit_id: unit.id,
                kind: "annual".into(),
                number: Some(format!("{}/KH-UBND", 100 + p)),
                place: Some("Lạng Sơn".into()),
                issued_on: NaiveDate::from_ymd_opt(2026, 1, 5),
                issuer: Some(format!("Ủy ban nhân dân {}", unit.name)),
                title: format!("Kế hoạch phổ biến, giáo dục pháp luật năm 2026 số {} của {}", p + 1, unit.name),
                period: Some("2026".into()),
                year: Some(2026),
                recipients: "- Sở Tư pháp;\n- Lưu: VT.".into(),
                cascade_level: "none".into(),
                ..PlanInput::default()
            };
            let id = plans::store::plans::create(&mut tx, &input, &PlanOrigin::default()).await?;
            let content = PlanContent {
                references: vec!["Luật Phổ biến, giáo dục pháp luật năm 2012".into()],
                sections: (1..=TASKS_PER_PLAN / 25)
                    .map(|s| SectionInput { path: s.to_string(), marker: format!("{s}."), heading: format!("Nhóm nhiệm vụ {s}"), body: String::new() })
                    .collect(),
                text: PlanText::default(),
                report_deadlines: Vec::new(),
                tasks: tasks_for(p, commune, &mut rng)?,
            };
            let ids = plans::store::plans::insert_content(&mut tx, id, &content).await?;
            for task in ids {
                match rng.below(10) {
                    0..=3 => {}
                    4..=6 => {
                        let progress = 10 * (1 + i32::try_from(rng.below(9))?);
                        plans::store::tasks::set_status(&mut tx, task, "in_progress", Some(progress), None).await?;
                    }
                    _ => plans::store::tasks::set_status(&mut tx, task, "done", Some(100), NaiveDate::from_ymd_opt(2026, 6, 30)).await?,
                }
                written += 1;
            }
            plans::store::plans::set_status(&mut tx, id, "issued").await?;
        }
        tx.commit().await?;
    }
    Ok((PLANS, written))
}

async fn run() -> Result<()> {
    let quick = quick();
    let (warmup, iterations) = if quick { (2, 10) } else { (10, 100) };
    println!(
        "dashboard: {} mode, {warmup} warm-up + {iterations} timed iterations, {} CPUs, load average {}{}",
        if quick { "quick" } else { "full" },
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        load_average(),
        if cfg!(debug_assertions) { " (DEBUG BUILD: figures not representative)" } else { "" }
    );

    let started = Instant::now();
    let dir = tempfile::tempdir().context("temporary directory")?;
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await.context("connect")?;
    db.migrate(&[kernel::db::migrations(), plans::migrations()]).await.context("migrate")?;
    kernel::db::units::load_if_empty(&db).await.context("units")?;
    kernel::demo::load(&db, "Demo-pass-2026").await.context("demo::load")?;
    let today = kernel::page::today();
    let province = kernel::db::units::by_code(&db, kernel::demo::PROVINCE_CODE, today).await.context("province")?;
    let mut units = vec![province.clone()];
    for code in kernel::demo::COMMUNE_CODES {
        units.push(kernel::db::units::by_code(&db, code, today).await.with_context(|| format!("commune {code}"))?);
    }
    let (plans, tasks) = seed(&db, &units).await.context("seeding plans")?;
    println!("dashboard setup: {plans} issued plans, {tasks} tasks over {} units in {:.1} s", units.len(), started.elapsed().as_secs_f64());

    // As `unit_dashboard` for an account of the province, with no filter in the query string.
    let f = DashQuery::default();
    let filter = DashFilter {
        scope_pattern: format!("{}%", province.path),
        include_closed: true,
        query: Some(String::new()),
        ..DashFilter::default()
    };
    let layout = Layout { title: "Tiến độ".into(), active: "progress", ..Layout::default() };
    let heading = format!("Tiến độ thực hiện kế hoạch: {}", province.name);

    let mut html_len = 0;
    let mut row_count = 0;
    let mut tally = String::new();
    let (mut q, mut br, mut total) = (Vec::with_capacity(iterations), Vec::with_capacity(iterations), Vec::with_capacity(iterations));
    for i in 0..warmup + iterations {
        let t0 = Instant::now();
        let rows = plans::store::tasks::dashboard_rows(&db, &filter).await.context("dashboard_rows")?;
        let leads = plans::store::tasks::leads_for(&db, &filter).await.context("leads_for")?;
        let t1 = Instant::now();
        let page = build(layout.clone(), heading.clone(), "/tien-do".into(), None, f.clone(), &rows, &leads, today);
        let html = page.render().context("render")?;
        let t2 = Instant::now();
        if i >= warmup {
            q.push(t1 - t0);
            br.push(t2 - t1);
            total.push(t2 - t0);
        }
        html_len = html.len();
        row_count = rows.len();
        tally = format!("{} done, {} overdue, {} due within 30 days", page.done, page.overdue, page.due_soon);
        black_box(html);
    }
    if row_count != PLANS * TASKS_PER_PLAN {
        anyhow::bail!("the dashboard query returned {row_count} rows, expected {}", PLANS * TASKS_PER_PLAN);
    }
    let (qm, qp) = stats(&mut q);
    let (bm, bp) = stats(&mut br);
    let (tm, tp) = stats(&mut total);
    println!("dashboard /tien-do over {row_count} tasks (day {today}: {tally}):");
    println!("dashboard   (a) queries dashboard_rows + leads_for: median {}, p95 {}", ms(qm), ms(qp));
    println!("dashboard   (b) build + render:                     median {}, p95 {}", ms(bm), ms(bp));
    // Judged on the median, as plan_import: with few iterations p95 is the slowest run.
    let verdict = if tm > TARGET {
        " OVER TARGET"
    } else if tp > TARGET {
        " (p95 above target)"
    } else {
        ""
    };
    println!("dashboard   (c) total:                              median {}, p95 {} (target < {} ms){verdict}", ms(tm), ms(tp), TARGET.as_millis());
    println!("dashboard   rendered HTML: {html_len} bytes; peak RSS (VmHWM): {}", peak_rss());
    db.close().await;
    Ok(())
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dashboard: cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dashboard: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
