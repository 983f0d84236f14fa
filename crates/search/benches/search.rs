//! Search benchmark (issue 14, part 5).
//!
//! `cargo bench -p search --bench search`; `PBGDPL_BENCH_QUICK=1` for a short run (15,000
//! items); `PBGDPL_BENCH_DOCS=N` for another size.
//!
//! Setup (not timed): a temporary SQLite database whose search feed holds 150,000 items built
//! from real Vietnamese legal vocabulary (laws, decrees, circulars with numbers, issuers, years
//! and effective-status dates; news, answers, materials and drafts), about 120 words each.
//!
//! Timed:
//! - the instance's full rebuild: reading the whole feed and indexing it (target < 2 min);
//! - 1,000 queries (one to four words, with and without diacritics, old tone placement, loose
//!   document numbers, phrases, facet filters) through `Engine::search`, p50/p95/p99
//!   (target p95 < 20 ms); beside the baseline on the same data: the same queries' first word
//!   as `title LIKE '%…%'` over `search_docs` (what search was before: one SQL scan);
//! - freshness: a new item written to the feed until the catch-up round has made it
//!   searchable (target < 2 s; the loop polls every 250 ms);
//! - peak memory of the process and the index's size on disk.
//!
//! A miss prints "OVER TARGET" but does not fail.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{NaiveDate, TimeZone, Utc};
use kernel::db::Db;
use kernel::search_feed::{self, FeedDoc};
use search::index::Request;
use search::rules::query;
use search::service::Engine;
use testkit::bench::{Rng, load_average, ms, peak_rss, quick};

const TOPICS: &[&str] = &[
    "hòa giải ở cơ sở", "phổ biến, giáo dục pháp luật", "đất đai", "hôn nhân và gia đình", "trợ giúp pháp lý", "xử lý vi phạm hành chính",
    "tiếp cận thông tin", "bảo vệ môi trường", "phòng, chống bạo lực gia đình", "thực hiện dân chủ ở cơ sở", "cư trú", "căn cước",
    "trẻ em", "người khuyết tật", "bình đẳng giới", "khiếu nại", "tố cáo", "tiếp công dân", "phòng, chống tham nhũng", "hộ tịch",
    "chứng thực", "công tác văn thư", "trật tự, an toàn giao thông đường bộ", "bảo hiểm xã hội", "bảo hiểm y tế", "người cao tuổi",
    "an ninh mạng", "chính quyền địa phương", "lao động", "thanh niên", "dân tộc thiểu số", "quốc phòng", "thuế thu nhập cá nhân",
    "doanh nghiệp", "đầu tư công", "xây dựng", "nhà ở", "kinh doanh bất động sản", "phòng cháy, chữa cháy", "an toàn thực phẩm",
];
const TYPES: &[(&str, &str, &str)] = &[
    ("Luật", "QH15", "Quốc hội"), ("Nghị định", "NĐ-CP", "Chính phủ"), ("Quyết định", "QĐ-TTg", "Thủ tướng Chính phủ"),
    ("Thông tư", "TT-BTP", "Bộ Tư pháp"), ("Thông tư", "TT-BTC", "Bộ Tài chính"), ("Nghị quyết", "NQ-HĐND", "Hội đồng nhân dân tỉnh Lạng Sơn"),
    ("Quyết định", "QĐ-UBND", "Ủy ban nhân dân tỉnh Lạng Sơn"),
];
const HEADS: &[&str] = &["quy định chi tiết một số điều của Luật", "hướng dẫn thi hành", "sửa đổi, bổ sung một số điều về", "ban hành quy chế về", "quy định mức chi cho", "về"];
const WORDS: &[&str] = &[
    "quy", "định", "về", "quyền", "nghĩa", "vụ", "của", "công", "dân", "cơ", "quan", "nhà", "nước", "tổ", "chức", "cá", "nhân", "trách", "nhiệm",
    "thực", "hiện", "pháp", "luật", "xã", "phường", "thôn", "bản", "hòa", "giải", "viên", "tranh", "chấp", "thủ", "tục", "hồ", "sơ", "thời",
    "hạn", "kinh", "phí", "ngân", "sách", "mức", "chi", "hỗ", "trợ", "đối", "tượng", "chính", "sách", "tuyên", "truyền", "báo", "cáo", "kết",
    "quả", "đánh", "giá", "tiêu", "chí", "điểm", "số", "công", "nhận", "hiệu", "lực", "thi", "hành", "ủy", "ban", "nhân", "dân", "tỉnh",
    "huyện", "đồng", "bào", "dân", "tộc", "người", "lao", "động", "gia", "đình", "trẻ", "em", "phụ", "nữ", "đất", "ở", "nông", "nghiệp",
    "giấy", "chứng", "nhận", "đăng", "ký", "khai", "sinh", "kết", "hôn", "ly", "hôn", "xử", "phạt", "vi", "phạm", "hành", "chính", "tiền",
];
const QUERIES: &[&str] = &[
    "hòa giải ở cơ sở", "hoa giai o co so", "hoà giải", "luật đất đai", "luat dat dai", "thong tu 09 2021", "09/2021/TT-BTP", "tt btp 2021",
    "\"phổ biến, giáo dục pháp luật\"", "pho bien giao duc phap luat", "bạo lực gia đình", "bao luc gia dinh", "trợ giúp pháp lý", "căn cước",
    "nghị định xử phạt vi phạm hành chính", "mức chi hòa giải viên", "thu lao hoa giai vien", "đăng ký khai sinh", "giấy chứng nhận quyền sử dụng đất",
    "ly hôn", "tố cáo", "khiếu nại lần hai", "bảo hiểm y tế người cao tuổi", "an toàn thực phẩm", "phòng cháy chữa cháy", "qd ubnd lang son",
    "nghị quyết hội đồng nhân dân", "kinh phí chuẩn tiếp cận pháp luật", "chuan tiep can", "dân chủ ở cơ sở", "quyền trẻ em", "thuế thu nhập cá nhân",
    "xây dựng nhà ở", "đầu tư công", "hồ sơ thủ tục", "pháp luật", "luật", "123/2019/NĐ-CP", "nd cp 2024", "thuỷ lợi",
];

fn e(s: String) -> anyhow::Error {
    anyhow::Error::msg(s)
}

fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut out = String::with_capacity(n * 6);
    for i in 0..n {
        if i > 0 {
            out.push(if rng.below(12) == 0 { ',' } else { ' ' });
            if out.ends_with(',') {
                out.push(' ');
            }
        }
        out.push_str(WORDS[rng.below(WORDS.len())]);
    }
    out.push('.');
    out
}

fn make_doc(i: usize, rng: &mut Rng) -> FeedDoc {
    let topic = TOPICS[rng.below(TOPICS.len())];
    let year = 2000 + rng.below(26) as i32;
    let issued = NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32).unwrap_or_default();
    let published = Utc.from_utc_datetime(&issued.and_hms_opt(2, 0, 0).unwrap_or_default());
    let body = format!("{} {} {}", sentence(rng, 40), topic, sentence(rng, 70));
    let id = i as i64 + 1;
    match rng.below(10) {
        0..=5 => {
            let (ty, suffix, issuer) = TYPES[rng.below(TYPES.len())];
            let head = HEADS[rng.below(HEADS.len())];
            let number = format!("{:02}/{year}/{suffix}", 1 + rng.below(180));
            let in_force = issued + chrono::Duration::days(45);
            let expired = (rng.below(5) == 0).then(|| in_force + chrono::Duration::days(365 * (1 + rng.below(8) as i64)));
            let partly = (rng.below(6) == 0).then(|| in_force + chrono::Duration::days(200));
            FeedDoc {
                kind: "legal_doc".into(),
                ref_id: id,
                url: format!("/tu-sach/van-ban/{id}"),
                title: if ty == "Luật" { format!("Luật {topic}") } else { format!("{ty} {head} {topic}") },
                number,
                summary: sentence(rng, 25),
                body,
                doc_type: ty.into(),
                issuer: issuer.into(),
                year: Some(year),
                published_at: Some(published),
                in_force_on: Some(in_force),
                partly_expired_on: partly,
                expired_on: expired,
                ..FeedDoc::default()
            }
        }
        6 | 7 => FeedDoc {
            kind: "article".into(),
            ref_id: id,
            url: format!("/tin-tuc/bai-{id}"),
            title: format!("Tuyên truyền {topic} tại xã năm {year}"),
            summary: sentence(rng, 20),
            body,
            doc_type: "Tin hoạt động".into(),
            year: Some(year),
            published_at: Some(published),
            ..FeedDoc::default()
        },
        8 => FeedDoc {
            kind: "answer".into(),
            ref_id: id,
            url: format!("/hoi-dap/{id}"),
            title: format!("Hỏi về {topic}: {}", sentence(rng, 8)),
            body,
            doc_type: topic.into(),
            year: Some(year),
            published_at: Some(published),
            ..FeedDoc::default()
        },
        _ => FeedDoc {
            kind: if rng.below(2) == 0 { "material" } else { "draft" }.into(),
            ref_id: id,
            url: format!("/tu-sach/tai-lieu/{id}"),
            title: format!("Tài liệu hỏi đáp về {topic}"),
            body,
            doc_type: "Tờ gấp".into(),
            year: Some(year),
            published_at: Some(published),
            ..FeedDoc::default()
        },
    }
}

fn pct(samples: &mut [Duration], p: usize) -> Duration {
    samples.sort_unstable();
    let n = samples.len();
    if n == 0 {
        return Duration::ZERO;
    }
    samples[(n * p).div_ceil(100).saturating_sub(1).min(n - 1)]
}

async fn run() -> Result<()> {
    let n: usize = std::env::var("PBGDPL_BENCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(if quick() { 15_000 } else { 150_000 });
    println!("search benchmark: {n} items; load average {}", load_average());
    let dir = tempfile::tempdir()?;
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await?;
    db.migrate(&[kernel::db::migrations()]).await.map_err(|x| e(x.to_string()))?;
    let started = Instant::now();
    let mut rng = Rng(20261207);
    let mut text_bytes = 0usize;
    for chunk in 0..n.div_ceil(5000) {
        let mut tx = db.begin().await?;
        for i in chunk * 5000..((chunk + 1) * 5000).min(n) {
            let d = make_doc(i, &mut rng);
            text_bytes += d.title.len() + d.summary.len() + d.body.len();
            search_feed::put(&mut tx, &d).await?;
        }
        tx.commit().await?;
    }
    println!("setup: {n} items, {:.1} MiB of text, written in {:.1} s (not timed)", text_bytes as f64 / 1048576.0, started.elapsed().as_secs_f64());

    let t = Instant::now();
    let engine = Engine::build(&db, 2).await.map_err(|x| e(x.to_string()))?;
    let build = t.elapsed();
    let verdict = if build > Duration::from_secs(120) { " OVER TARGET" } else { "" };
    println!("full rebuild (read the feed + index + commit): {:.1} s for {} items (target < 120 s){verdict}", build.as_secs_f64(), engine.num_docs());
    println!("index on disk: {:.1} MiB", engine.index().disk_bytes() as f64 / 1048576.0);

    // Queries, with a few facet filters mixed in.
    let now = Utc::now();
    let mut samples = Vec::new();
    let mut found = 0usize;
    let rounds = if quick() { 200 } else { 1000 };
    for i in 0..rounds {
        let q = QUERIES[i % QUERIES.len()];
        let mut req = Request { query: query::parse(q), limit: 10, offset: if i % 7 == 0 { 10 } else { 0 }, ..Request::default() };
        if i % 5 == 0 {
            req.kind = Some("legal_doc".into());
        }
        if i % 11 == 0 {
            req.status = Some(search::rules::status::Status::InForce);
        }
        let t = Instant::now();
        let r = engine.search(req, now).await.map_err(|x| e(x.to_string()))?;
        samples.push(t.elapsed());
        found += r.total;
    }
    let (p50, p95, p99) = (pct(&mut samples, 50), pct(&mut samples, 95), pct(&mut samples, 99));
    let verdict = if p95 > Duration::from_millis(20) { " OVER TARGET" } else { "" };
    println!("queries ({rounds}, {} results on average, with snippets and facets): p50 {} p95 {} p99 {} (target p95 < 20 ms){verdict}", found / rounds, ms(p50), ms(p95), ms(p99));

    // Baseline: one SQL scan per query (the first word, unfolded) on the same rows.
    let mut base = Vec::new();
    let mut base_rows = 0usize;
    for q in QUERIES.iter().take(if quick() { 10 } else { 40 }) {
        let first = q.split_whitespace().next().unwrap_or("luật").trim_matches('"');
        let pattern = format!("%{first}%");
        let t = Instant::now();
        let rows: Vec<(String,)> = kernel::with_db!(&db, p => sqlx::query_as("SELECT url FROM search_docs WHERE title LIKE $1 OR body LIKE $1 LIMIT 10").bind(&pattern).fetch_all(p).await)?;
        base.push(t.elapsed());
        base_rows += rows.len();
    }
    let (b50, b95) = (pct(&mut base, 50), pct(&mut base, 95));
    println!("baseline, SQL LIKE scan of the same rows (first word only, no folding, no ranking; {base_rows} rows): p50 {} p95 {}", ms(b50), ms(b95));

    // Freshness: write, then one catch-up round (what the loop runs every 250 ms). The worst
    // case adds a whole poll interval: the write lands just after a round started.
    let mut fresh = Vec::new();
    for k in 0..5 {
        let mut d = make_doc(n + k, &mut rng);
        d.title = format!("Bài mới số {k} về xyzfresh{k}");
        let mut tx = db.begin().await?;
        search_feed::put(&mut tx, &d).await?;
        tx.commit().await?;
        let t = Instant::now();
        engine.catch_up(&db).await.map_err(|x| e(x.to_string()))?;
        let req = Request { query: query::parse(&format!("xyzfresh{k}")), limit: 1, ..Request::default() };
        anyhow::ensure!(engine.search(req, Utc::now()).await.map_err(|x| e(x.to_string()))?.total > 0, "not searchable after a round");
        fresh.push(t.elapsed());
    }
    let round = fresh.iter().max().copied().unwrap_or_default();
    let worst = round + search::service::POLL;
    let verdict = if worst > Duration::from_secs(2) { " OVER TARGET" } else { "" };
    println!("published → searchable: one catch-up round (read, index, commit, reload) worst {} of 5; with the poll interval, worst {} (target < 2 s){verdict}", ms(round), ms(worst));
    println!("peak memory of the process (database writes, index build and queries): {}", peak_rss());
    Ok(())
}

fn main() -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().context("runtime") {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("{err:#}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("search benchmark failed: {err:#}");
            ExitCode::FAILURE
        }
    }
}
