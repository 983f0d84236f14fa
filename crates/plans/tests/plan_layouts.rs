//! Layouts other than a plan with its own header block: a decision that issues the plan with
//! the plan attached (`data/plans/layouts/lang-son-2024-decision-with-plan.txt`, built from the
//! Lạng Sơn seed) and a plan pasted from a news page (`son-dong-2024-news-page.txt`, built from
//! the Sơn Động seed). `PLAN_WRITE=1` rewrites the expected JSON (then review it by hand).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

use std::path::PathBuf;

use chrono::NaiveDate;
use kernel::agency::AgencyMatcher;
use plans::rules::{Plan, PlanError, parse_plan_bytes, parse_plan_text};

const DECISION: &str = "lang-son-2024-decision-with-plan";
const NEWS: &str = "son-dong-2024-news-page";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn matcher() -> &'static AgencyMatcher {
    static M: std::sync::OnceLock<AgencyMatcher> = std::sync::OnceLock::new();
    M.get_or_init(|| AgencyMatcher::builtin().expect("catalogue"))
}

fn layout_text(name: &str) -> String {
    let p = root()
        .join("data/plans/layouts")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(p).expect("layout fixture")
}

fn seed_plan(name: &str) -> Plan {
    let p = root()
        .join("../../tests/fixtures/seeds")
        .join(format!("{name}.txt"));
    let bytes = std::fs::read(p).expect("seed");
    parse_plan_bytes(&bytes, &format!("{name}.txt"), matcher()).expect("seed parses")
}

fn parse(text: &str) -> Plan {
    parse_plan_text(text, matcher()).expect("parse")
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The whole `--json` output against `data/plans/layouts/<name>.json`.
fn check_json(name: &str) {
    let bytes = layout_text(name).into_bytes();
    let plan = parse_plan_bytes(&bytes, &format!("{name}.txt"), matcher()).expect("parse");
    let got = plan.summary_json();
    let fixture = root()
        .join("data/plans/layouts")
        .join(format!("{name}.json"));
    if std::env::var("PLAN_WRITE").is_ok() {
        let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
        std::fs::write(&fixture, text).expect("write");
        return;
    }
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).expect("fixture"))
            .expect("fixture json");
    assert!(
        got == want,
        "{name}: output differs from {}",
        fixture.display()
    );
}

// --- Decision that issues a plan -------------------------------------------------------------

#[test]
fn decision_fixture() {
    check_json(DECISION);
}

#[test]
fn decision_header_is_the_decisions() {
    let plan = parse(&layout_text(DECISION));
    assert_eq!(
        plan.issuer.as_deref(),
        Some("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    );
    assert_eq!(plan.place.as_deref(), Some("Lạng Sơn"));
    // The decision's date line, not the Tờ trình (05/01/2024) nor the laws in "Căn cứ".
    assert_eq!(plan.date, date(2024, 1, 15));
    assert_eq!(plan.year, Some(2024));
    // The attached plan has no number of its own: the decision's.
    assert_eq!(plan.number.as_deref(), Some("86/QĐ-UBND"));
    assert_eq!(plan.signer.as_deref(), Some("Đoàn Thanh Sơn"));
    assert_eq!(plan.kind.as_deref(), Some("Kế hoạch"));
    assert_eq!(
        plan.title.as_deref(),
        Some("Hoạt động của Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Lạng Sơn năm 2024")
    );
}

#[test]
fn decision_tasks_are_the_attached_plans() {
    let plan = parse(&layout_text(DECISION));
    let seed = seed_plan("lang-son-2024-coordination-council-plan");
    assert_eq!(plan.tasks.len(), seed.tasks.len());
    assert_eq!(plan.tasks.len(), 15);
    let (got, want) = (plan.summary_json(), seed.summary_json());
    for key in [
        "tasks",
        "sections",
        "implements",
        "report_deadlines",
        "period",
    ] {
        assert_eq!(got[key], want[key], "{key}");
    }
}

#[test]
fn decision_articles_are_neither_tasks_nor_sections() {
    let plan = parse(&layout_text(DECISION));
    let from_article = |s: &str| s.starts_with("Điều") || s.contains("Quyết định này");
    for t in &plan.tasks {
        assert!(!from_article(&t.title), "task from an article: {}", t.title);
        assert!(
            t.description.iter().all(|d| !from_article(d)),
            "{:?}",
            t.description
        );
    }
    for s in &plan.sections {
        assert!(
            !from_article(&s.heading),
            "section from an article: {}",
            s.heading
        );
    }
    // Nor are the decision's legal bases what the plan implements.
    assert!(
        plan.implements
            .iter()
            .all(|i| !i.contains("Tổ chức chính quyền địa phương"))
    );
}

#[test]
fn decision_date_ignores_citations_written_in_words() {
    // A Tờ trình cited "ngày 05 tháng 01 năm 2024" reads like a date line.
    let text = layout_text(DECISION).replace(
        "Tờ trình số 05/TTr-STP ngày 05/01/2024",
        "Tờ trình số 05/TTr-STP ngày 05 tháng 01 năm 2024",
    );
    let plan = parse(&text);
    assert_eq!(plan.date, date(2024, 1, 15));
    assert_eq!(plan.place.as_deref(), Some("Lạng Sơn"));
}

#[test]
fn decision_date_left_blank_comes_from_the_note() {
    // A draft decision: the day left blank. The note under the plan's title gives the date;
    // nothing cited in "Căn cứ" or the Tờ trình does.
    let text = layout_text(DECISION).replace(
        "Lạng Sơn, ngày 15 tháng 01 năm 2024",
        "Lạng Sơn, ngày     tháng 01 năm 2024",
    );
    let plan = parse(&text);
    assert_eq!(plan.date, date(2024, 1, 15));
    assert_eq!(plan.place.as_deref(), Some("Lạng Sơn"));
    let text = text.replace("ngày 15/01/2024 của UBND tỉnh", "của UBND tỉnh");
    let plan = parse(&text);
    assert_eq!(plan.date, None);
    assert_eq!(plan.year, Some(2024));
}

#[test]
fn decision_number_from_the_note_or_the_plans_own() {
    // No "Số:" in the decision's header: the note under the title gives it.
    let text = layout_text(DECISION).replace("Số: 86/QĐ-UBND\n", "");
    assert_eq!(parse(&text).number.as_deref(), Some("86/QĐ-UBND"));
    // The attached plan has a number of its own: that one.
    let text = layout_text(DECISION).replacen(
        "**Độc lập - Tự do - Hạnh phúc**\n\n**KẾ HOẠCH**",
        "**Độc lập - Tự do - Hạnh phúc**\n\nSố: 12/KH-UBND\n\n**KẾ HOẠCH**",
        1,
    );
    assert!(text.contains("Số: 12/KH-UBND"));
    assert_eq!(parse(&text).number.as_deref(), Some("12/KH-UBND"));
}

#[test]
fn decision_without_its_header_block_takes_the_enacting_authority() {
    let text = layout_text(DECISION);
    let from = text.find("**QUYẾT ĐỊNH**").expect("decision title");
    let plan = parse(&text[from..]);
    assert_eq!(
        plan.issuer.as_deref(),
        Some("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    );
    assert_eq!(plan.number.as_deref(), Some("86/QĐ-UBND"));
    assert_eq!(plan.date, date(2024, 1, 15));
    assert_eq!(plan.tasks.len(), 15);
}

#[test]
fn hard_wrapped_decision_reads_the_same_header() {
    // Blank lines removed: the hard-wrapped layout joins lines into paragraphs.
    let text: String = layout_text(DECISION)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let plan = parse(&text);
    assert_eq!(
        plan.issuer.as_deref(),
        Some("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    );
    assert_eq!(plan.place.as_deref(), Some("Lạng Sơn"));
    assert_eq!(plan.date, date(2024, 1, 15));
    assert_eq!(plan.number.as_deref(), Some("86/QĐ-UBND"));
    assert!(!plan.tasks.is_empty());
}

#[test]
fn decision_only_is_refused_with_its_own_message() {
    let text = layout_text(DECISION);
    // Cut before the attached plan's header block, and just before its title.
    let sig = text.find("**Đoàn Thanh Sơn**").expect("signature") + "**Đoàn Thanh Sơn**".len();
    let title = text.find("**KẾ HOẠCH**").expect("plan title");
    for cut in [&text[..sig], &text[..title]] {
        let e = parse_plan_text(cut, matcher());
        assert_eq!(e, Err(PlanError::DecisionWithoutPlan));
    }
    let e = PlanError::DecisionWithoutPlan.to_string();
    assert_eq!(e, plans::msg::plan_import::DECISION_WITHOUT_PLAN);
    assert!(e.contains("quyết định") && e.contains("KẾ HOẠCH"), "{e}");
    // Without the signature too (cut after Điều 3).
    let art3 = text.find("***Nơi nhận:***").expect("recipients");
    assert_eq!(
        parse_plan_text(&text[..art3], matcher()),
        Err(PlanError::DecisionWithoutPlan)
    );
}

#[test]
fn plan_header_block_issuer_spans_its_lines() {
    // A plan's own header in the paragraph layout: one line per paragraph.
    let text = "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
                Độc lập - Tự do - Hạnh phúc\n\nSố: 31/KH-UBND\n\nLạng Sơn, ngày 27 tháng 01 năm 2024\n\n\
                KẾ HOẠCH\n\nCông tác PBGDPL năm 2024\n\nII. NHIỆM VỤ\n\n1. Tổ chức hội nghị\n\n\
                - Cơ quan chủ trì: Sở Tư pháp.\n- Thời gian thực hiện: Quý I.\n";
    let plan = parse(text);
    assert_eq!(
        plan.issuer.as_deref(),
        Some("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    );
    assert_eq!(plan.number.as_deref(), Some("31/KH-UBND"));
    assert_eq!(plan.place.as_deref(), Some("Lạng Sơn"));
    assert_eq!(plan.date, date(2024, 1, 27));
    assert_eq!(plan.tasks.len(), 1);
}

#[test]
fn date_line_place_may_hold_an_abbreviation() {
    let text = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\n\nSố: 5/KH-UBND\n\n\
                TP. Hồ Chí Minh, ngày 05 tháng 02 năm 2024\n\nKẾ HOẠCH\n\nCông tác PBGDPL năm 2024\n\n\
                II. NHIỆM VỤ\n\n1. Tổ chức hội nghị\n\n- Cơ quan chủ trì: Sở Tư pháp.\n";
    let plan = parse(text);
    assert_eq!(
        plan.issuer.as_deref(),
        Some("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH")
    );
    assert_eq!(plan.place.as_deref(), Some("TP. Hồ Chí Minh"));
    assert_eq!(plan.date, date(2024, 2, 5));
}

// --- News page ------------------------------------------------------------------------------

#[test]
fn news_fixture() {
    check_json(NEWS);
}

#[test]
fn news_page_imports_with_empty_metadata() {
    let plan = parse(&layout_text(NEWS));
    let seed = seed_plan("son-dong-2024-pbgdpl-mediation-access-plan");
    assert_eq!(plan.issuer, None);
    assert_eq!(plan.number, None);
    assert_eq!(plan.date, None);
    assert_eq!(plan.place, None);
    assert_eq!(plan.signer, None);
    assert_eq!(plan.kind.as_deref(), Some("Kế hoạch"));
    // The title after "Kế hoạch", capitalised: the seed's title.
    assert_eq!(plan.title, seed.title);
    assert_eq!(plan.year, Some(2024));
    assert_eq!(plan.tasks.len(), 27);
    let (got, want) = (plan.summary_json(), seed.summary_json());
    for key in ["tasks", "sections", "report_deadlines", "period"] {
        assert_eq!(got[key], want[key], "{key}");
    }
}

#[test]
fn news_page_keeps_what_the_text_says() {
    // The example: the Lạng Sơn plan under a one-line title. The preamble names the
    // issuer ("Hội đồng phối hợp PBGDPL tỉnh … ban hành kế hoạch"); number and date stay empty.
    let p = root().join("../../tests/fixtures/seeds/lang-son-2024-coordination-council-plan.txt");
    let seed = std::fs::read_to_string(p).expect("seed");
    let body = &seed[seed.find("Thực hiện Luật").expect("preamble")..];
    let text = format!(
        "Kế hoạch hoạt động của Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh năm 2024\n\n{body}"
    );
    let plan = parse(&text);
    assert_eq!(
        plan.title.as_deref(),
        Some("Hoạt động của Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh năm 2024")
    );
    assert_eq!(
        plan.issuer.as_deref(),
        Some("Hội đồng phối hợp PBGDPL tỉnh")
    );
    assert_eq!((plan.number, plan.date, plan.place), (None, None, None));
    assert_eq!(plan.tasks.len(), 15);
}

#[test]
fn other_texts_are_still_not_plans() {
    let m = matcher();
    for text in [
        "Báo cáo tình hình\n\nNội dung",
        // "Kế hoạch" starting a sentence, no sections.
        "Kế hoạch số 31/KH-UBND đã được triển khai.\n\nNội dung báo cáo",
        "Kế hoạch tuyên truyền năm 2024\n\nBài viết không có mục nào.",
    ] {
        assert_eq!(parse_plan_text(text, m), Err(PlanError::NotAPlan), "{text}");
    }
}
