//! The importer against hand-reviewed expectations for the seed plans.
//! `PLAN_WRITE=1` rewrites the expectation files from the parser (then review them by hand).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

use std::path::PathBuf;

use kernel::agency::AgencyMatcher;
use plans::rules::parse_plan_bytes;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check(seed: &str) {
    let matcher = AgencyMatcher::builtin().expect("catalogue");
    let path = root()
        .join("../../tests/fixtures/seeds")
        .join(format!("{seed}.txt"));
    let bytes = std::fs::read(&path).expect("seed");
    let plan = parse_plan_bytes(&bytes, &format!("{seed}.txt"), &matcher).expect("parse");
    let got = plan.summary_json();
    let fixture = root().join("data/plans").join(format!("{seed}.json"));
    if std::env::var("PLAN_WRITE").is_ok() {
        let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
        std::fs::write(&fixture, text).expect("write");
        return;
    }
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).expect("fixture"))
            .expect("fixture json");
    if got != want {
        let g = serde_json::to_string_pretty(&got).expect("json");
        let w = serde_json::to_string_pretty(&want).expect("json");
        for (i, (a, b)) in g.lines().zip(w.lines()).enumerate() {
            if a != b {
                panic!(
                    "{seed}: first difference at line {}:\n got: {a}\nwant: {b}",
                    i + 1
                );
            }
        }
        panic!("{seed}: output differs in length");
    }
}

#[test]
fn binh_phuoc_legal_access() {
    check("binh-phuoc-2024-legal-access-project-plan");
}

#[test]
fn binh_phuoc_police() {
    check("binh-phuoc-2024-police-project-plan");
}

#[test]
fn lang_son_council() {
    check("lang-son-2024-coordination-council-plan");
}

#[test]
fn son_dong() {
    check("son-dong-2024-pbgdpl-mediation-access-plan");
}

#[test]
fn ben_tre() {
    check("ben-tre-2020-6134-KH-UBND-conclusion-80-plan");
}
