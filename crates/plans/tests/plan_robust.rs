//! The importer never panics and never half-imports.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

use kernel::agency::AgencyMatcher;
use plans::rules::{PlanError, parse_plan_bytes, parse_plan_text, parse_timeframe};
use proptest::prelude::*;

fn matcher() -> &'static AgencyMatcher {
    static M: std::sync::OnceLock<AgencyMatcher> = std::sync::OnceLock::new();
    M.get_or_init(|| AgencyMatcher::builtin().expect("catalogue"))
}

fn seed(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/seeds")
        .join(name);
    std::fs::read_to_string(p).expect("seed")
}

#[test]
fn errors_are_clear() {
    let m = matcher();
    assert_eq!(parse_plan_bytes(b"", "a.txt", m), Err(PlanError::Empty));
    assert_eq!(
        parse_plan_bytes(b"  \n\n", "a.txt", m),
        Err(PlanError::Empty)
    );
    assert_eq!(
        parse_plan_bytes(&[0xff, 0xfe, 0x00, 0x41], "a.txt", m),
        Err(PlanError::Binary)
    );
    assert_eq!(
        parse_plan_text("Báo cáo tình hình\n\nNội dung", m),
        Err(PlanError::NotAPlan)
    );
    assert_eq!(
        parse_plan_text("KẾ HOẠCH\n\nCông tác năm 2024\n\nThực hiện", m),
        Err(PlanError::NoTasks)
    );
    assert_eq!(
        parse_plan_bytes(b"PK\x03\x04garbage", "a.docx", m),
        Err(PlanError::BadDocx)
    );
    let e = PlanError::NotAPlan.to_string();
    assert!(e.contains("kế hoạch"), "{e}");
}

#[test]
fn truncated_seed_is_an_error_or_a_plan() {
    let m = matcher();
    let text = seed("binh-phuoc-2024-legal-access-project-plan.txt");
    let cut: String = text.chars().take(1500).collect();
    // Cut inside the objectives: no task section yet.
    assert_eq!(parse_plan_text(&cut, m), Err(PlanError::NoTasks));
}

#[test]
fn nfd_seed_parses_like_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let nfd = |s: &str| s.nfd().collect::<String>();
    let m = matcher();
    let text = seed("son-dong-2024-pbgdpl-mediation-access-plan.txt");
    let a = parse_plan_text(&text, m).expect("nfc");
    let b = parse_plan_text(&nfd(&text), m).expect("nfd");
    assert_eq!(a.summary_json(), b.summary_json());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let m = matcher();
        let _ = parse_plan_text(&s, m);
        let _ = parse_timeframe(&s, Some(2024));
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..400), docx in any::<bool>()) {
        let m = matcher();
        let name = if docx { "x.docx" } else { "x.txt" };
        let _ = parse_plan_bytes(&b, name, m);
    }

    #[test]
    fn plan_like_text_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("KẾ HOẠCH".to_string()), Just("II. NHIỆM VỤ".to_string()), Just("1.".to_string()),
        Just("1.1. Tổ chức".to_string()), Just("a)".to_string()), Just("- Thời".to_string()),
        Just("gian thực hiện: Quý".to_string()), Just("- Cơ quan chủ trì: Sở Tư pháp".to_string()),
        Just("|".to_string()), Just("".to_string()), Just("**".to_string()), Just("<sup>1</sup>".to_string()),
        Just("từ ngày 01/11 đến ngày".to_string()), Just("trước ngày 31/02".to_string()),
        Just("Nơi nhận:".to_string()), Just("Số: /KH-UBND".to_string()), "\\PC{0,30}",
        Just("QUYẾT ĐỊNH".to_string()), Just("Điều 1. Ban hành".to_string()),
        Just("Căn cứ Luật ngày 20 tháng 6 năm 2012;".to_string()),
        Just("Lạng Sơn, ngày 15 tháng 01 năm 2024".to_string()),
        Just("(Ban hành kèm theo Quyết định số 86/QĐ-UBND ngày 31/02/2024)".to_string()),
        Just("Kế hoạch hoạt động năm 2024".to_string()), Just("ỦY BAN NHÂN DÂN".to_string()),
    ], 0..60)) {
        let m = matcher();
        let _ = parse_plan_text(&parts.join("\n"), m);
    }

    #[test]
    fn truncated_seeds_never_panic(cut in 0usize..20000, which in 0usize..5) {
        let names = [
            "ben-tre-2020-6134-KH-UBND-conclusion-80-plan.txt",
            "binh-phuoc-2024-legal-access-project-plan.txt",
            "binh-phuoc-2024-police-project-plan.txt",
            "lang-son-2024-coordination-council-plan.txt",
            "son-dong-2024-pbgdpl-mediation-access-plan.txt",
        ];
        let text = seed(names[which]);
        let b = text.as_bytes();
        let b = &b[..cut.min(b.len())];
        let m = matcher();
        let _ = parse_plan_bytes(b, "x.txt", m);
        // The same, decomposed (NFD).
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = String::from_utf8_lossy(b).nfd().collect();
        let _ = parse_plan_text(&nfd, m);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The layout fixtures (a decision with the plan attached, a news page), cut anywhere.
    #[test]
    fn truncated_layouts_never_panic(cut in 0usize..40000, which in 0usize..2) {
        let name = ["lang-son-2024-decision-with-plan.txt", "son-dong-2024-news-page.txt"][which];
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/plans/layouts").join(name);
        let text = std::fs::read_to_string(p).expect("layout fixture");
        let b = text.as_bytes();
        let _ = parse_plan_bytes(&b[..cut.min(b.len())], "x.txt", matcher());
    }
}

#[test]
fn long_paragraphs_stay_fast() {
    // Scans are capped: these took minutes before.
    let mut s = String::from("KẾ HOẠCH\n\nTiêu đề năm 2024\n\n");
    s.push_str(&"Thực hiện Quyết định số 1/QĐ, Quyết định số 2/QĐ, ".repeat(3000));
    s.push_str("\n\nII. NHIỆM VỤ\n\n1. ");
    s.push_str(&"Sở Tư pháp chủ trì, phối hợp với các tổ chức ".repeat(5000));
    s.push_str("\n- Thời gian thực hiện: Quý I\n\n");
    s.push_str(&"báo cáo trước ngày 01/02/2024 ".repeat(5000));
    let start = std::time::Instant::now();
    let plan = parse_plan_text(&s, matcher()).expect("plan");
    assert_eq!(plan.tasks.len(), 1);
    assert!(start.elapsed().as_secs() < 60);
}
