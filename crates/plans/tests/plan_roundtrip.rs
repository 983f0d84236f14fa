//! Export and import again: every seed plan, written as the official DOCX and read back, is the
//! same plan (sections with their text, tasks with their paths, titles, agencies and
//! deadlines, reporting deadlines, recipients and signature). Pure: no database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use kernel::agency::AgencyMatcher;
use plans::rules::{Plan, docx_text, parse_plan_bytes, parse_plan_text, plan_document};
use serde_json::{Value, json};

const SEEDS: [&str; 5] = [
    "ben-tre-2020-6134-KH-UBND-conclusion-80-plan",
    "binh-phuoc-2024-legal-access-project-plan",
    "binh-phuoc-2024-police-project-plan",
    "lang-son-2024-coordination-council-plan",
    "son-dong-2024-pbgdpl-mediation-access-plan",
];

fn matcher() -> &'static AgencyMatcher {
    static M: OnceLock<AgencyMatcher> = OnceLock::new();
    M.get_or_init(|| AgencyMatcher::builtin().expect("catalogue"))
}

fn seed(name: &str) -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/seeds")
        .join(format!("{name}.txt"));
    let bytes = std::fs::read(path).unwrap();
    parse_plan_bytes(&bytes, &format!("{name}.txt"), matcher()).unwrap()
}

/// What must survive the round trip.
fn content(p: &Plan) -> Value {
    json!({
        "title": p.title,
        "number": p.number,
        "place": p.place,
        "date": p.date,
        "signer": p.signer,
        "signer_authority": p.signer_authority,
        "signer_title": p.signer_title,
        "recipients": p.recipients,
        "implements": p.implements,
        "preamble": p.preamble,
        "closing": p.closing,
        "sections": p.sections.iter().map(|s| json!([s.path, s.marker, s.heading, s.body])).collect::<Vec<_>>(),
        "tasks": p.tasks.iter().map(|t| json!({
            "path": t.path, "title": t.title, "description": t.description,
            "lead": t.lead, "coordinating": t.coordinating,
            "timeframe": t.timeframe, "deadline": t.deadline, "recurrence": t.recurrence,
            "form": t.form, "products": t.products, "funding": t.funding,
        })).collect::<Vec<_>>(),
        "report_deadlines": p.report_deadlines.iter().map(|r| r.date).collect::<Vec<_>>(),
    })
}

fn first_difference(a: &Value, b: &Value) -> String {
    let a = serde_json::to_string_pretty(a).unwrap();
    let b = serde_json::to_string_pretty(b).unwrap();
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            let from = i.saturating_sub(12);
            let context: Vec<&str> = a.lines().skip(from).take(i - from).collect();
            return format!(
                "line {}:\n{}\n first: {x}\nsecond: {y}\n then: {}",
                i + 1,
                context.join("\n"),
                b.lines().skip(i).take(6).collect::<Vec<_>>().join("\n")
            );
        }
    }
    "lengths differ".to_string()
}

fn round_trip(name: &str) {
    let first = seed(name);
    let doc = plan_document(&first, Some("UBND TỈNH"));
    let bytes = documents::official_docx(&doc).unwrap();
    let text = docx_text(&bytes).unwrap();
    let second = parse_plan_text(&text, matcher())
        .unwrap_or_else(|e| panic!("{name}: the export does not import: {e}\n{text}"));
    let (a, b) = (content(&first), content(&second));
    assert!(a == b, "{name}: {}", first_difference(&a, &b));
}

#[test]
fn every_seed_round_trips_through_docx() {
    let failures: Vec<String> = SEEDS
        .iter()
        .filter_map(|name| std::panic::catch_unwind(|| round_trip(name)).err())
        .map(|e| e.downcast_ref::<String>().cloned().unwrap_or_default())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The export holds what the old one dropped: section I's text, section III's text, the
/// task numbers of the source and the whole "Nơi nhận" list with the signature.
#[test]
fn lang_son_export_reads_as_the_source() {
    let plan = seed("lang-son-2024-coordination-council-plan");
    let bytes = documents::official_docx(&plan_document(&plan, None)).unwrap();
    let text = docx_text(&bytes).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    for needle in [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Tăng cường sự phối hợp giữa các cơ quan, tổ chức thành viên của Hội đồng",
        "1.1. Xây dựng, ban hành Kế hoạch hoạt động của Hội đồng năm 2024.",
        "2.10. Tham mưu cho UBND tỉnh tổ chức Cuộc thi trực tuyến",
        "a) Tự kiểm tra: Căn cứ vào nội dung kiểm tra",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Chủ tịch Hội đồng, Phó Chủ tịch Hội đồng và các thành viên Hội đồng",
        "- TT. HĐPHPBGDPL Trung ương (Bộ Tư pháp);",
        "- C, PVP UBND tỉnh, các Phòng CM, TTTT;",
        "- Lưu VT, NC (TT-Th).",
        "TM. HỘI ĐỒNG",
        "PHÓ CHỦ TỊCH UBND TỈNH",
        "Đoàn Thanh Sơn",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(needle)),
            "missing {needle:?}"
        );
    }
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("1. Xây dựng, ban hành Kế hoạch"))
    );
    // Ten recipients and the archive line, nothing added.
    let from = lines.iter().position(|l| *l == "Nơi nhận:").unwrap();
    assert_eq!(lines[from + 10], "- Lưu VT, NC (TT-Th).");
    assert_eq!(lines[from + 11], "TM. HỘI ĐỒNG");
}

/// `PLAN_DUMP=<seed>` prints the exported document's text (for reading it by eye).
#[test]
fn dump_export() {
    let Ok(name) = std::env::var("PLAN_DUMP") else {
        return;
    };
    let plan = seed(&name);
    let bytes = documents::official_docx(&plan_document(&plan, Some("UBND TỈNH"))).unwrap();
    let text = docx_text(&bytes).unwrap();
    println!(
        "{}",
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
