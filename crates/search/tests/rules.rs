//! The pure rules of search: the analyzer, the query reader, the status from dates and the
//! change-log cursor; property tests for the folding (a query finds what its folded twin
//! finds) on a real index.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use search::index::{Request, SearchIndex};
use search::rules::analyze::{keys, words};
use search::rules::catchup::{Cursor, GAP_PATIENCE_MS};
use search::rules::query::{Part, parse};
use search::rules::status::{NEVER, Status, status};
use unicode_normalization::UnicodeNormalization;

mod common;

fn folded(s: &str) -> Vec<String> {
    words(s).into_iter().map(|w| w.folded).collect()
}

#[test]
fn document_numbers_are_cut_the_same_however_typed() {
    let want = ["6", "2021", "tt", "btp"];
    assert_eq!(folded("06/2021/TT-BTP"), want);
    assert_eq!(folded("6/2021/tt-btp"), want);
    assert_eq!(folded("TT06 2021 btp"), ["tt", "6", "2021", "btp"]);
    assert_eq!(folded("Số 30/2020/NĐ-CP"), ["so", "30", "2020", "nd", "cp"]);
    assert_eq!(folded("000"), ["0"]);
}

#[test]
fn diacritics_tone_placement_and_normal_forms() {
    assert_eq!(keys("Hòa"), ("hòa".to_string(), "hoa".to_string()));
    assert_eq!(keys("hoà").0, keys("hòa").0, "old and new tone placement share the exact key");
    let nfd: String = "Đất đai hòa giải".nfd().collect();
    assert_eq!(words(&nfd).iter().map(|w| w.exact.clone()).collect::<Vec<_>>(), ["đất", "đai", "hòa", "giải"]);
    assert_eq!(folded("ĐẤT ĐAI"), ["dat", "dai"]);
    // Offsets point into the original text, for highlighting.
    let text = "Luật Hòa giải";
    let w = words(text);
    assert_eq!(&text[w[1].from..w[1].to], "Hòa");
}

#[test]
fn queries_read_phrases_numbers_and_drop_repeats() {
    let q = parse("\"hòa giải\" ở cơ sở 06/2021/TT-BTP hoa");
    assert!(matches!(&q.parts[0], Part::Phrase(ws) if ws.len() == 2));
    assert!(q.parts.iter().any(|p| matches!(p, Part::Phrase(ws) if ws.len() == 4)), "{q:?}");
    assert_eq!(parse("hoa hòa HOA").parts.len(), 1);
    assert_eq!(parse("a b c").required(), 3);
    assert_eq!(parse("mot hai ba bon nam").required(), 4);
    assert!(parse("  \"\" !!! ").is_empty());
    let long = "x ".repeat(500);
    assert!(parse(&long).parts.len() <= search::rules::query::MAX_PARTS);
}

#[test]
fn status_from_dates_follows_the_bookshelf_rule() {
    let (inf, partly, exp) = (100, 200, 300);
    assert_eq!(status(inf, partly, exp, 99), Status::NotYetInForce);
    assert_eq!(status(inf, partly, exp, 100), Status::InForce);
    assert_eq!(status(inf, partly, exp, 200), Status::PartlyExpired);
    assert_eq!(status(inf, partly, exp, 300), Status::Expired);
    assert_eq!(status(inf, NEVER, NEVER, 10_000), Status::InForce);
    // Expired before it came into force: still "not yet" before its in-force day, as the bookshelf says.
    assert_eq!(status(100, NEVER, 50, 60), Status::NotYetInForce);
}

#[test]
fn the_cursor_remembers_gaps_until_they_fill_or_expire() {
    let mut c = Cursor::new(10);
    c.record(&[11, 14], 0);
    assert_eq!(c.high, 14);
    assert_eq!(c.gaps(), [12, 13]);
    c.record(&[12], 5);
    assert_eq!(c.gaps(), [13]);
    c.expire(GAP_PATIENCE_MS - 1);
    assert_eq!(c.gaps(), [13]);
    c.expire(GAP_PATIENCE_MS);
    assert!(c.gaps().is_empty());
    // Old ids below high that were never gaps change nothing.
    c.record(&[3], 0);
    assert_eq!(c.high, 14);
}

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("hòa"), Just("hoà"), Just("giải"), Just("Đất"), Just("đai"), Just("ở"), Just("cơ"), Just("sở"), Just("06/2021/TT-BTP"),
            Just("thuỷ"), Just("thủy"), Just("Luật"), Just("người"), Just("khuyết"), Just("tật"), Just("-"), Just(","), Just("TT06")
        ],
        0..8,
    )
    .prop_map(|v| v.join(" "))
}

proptest! {
    #[test]
    fn nfd_and_nfc_give_the_same_keys(s in text_strategy()) {
        let nfd: String = s.nfd().collect();
        let a: Vec<(String, String)> = words(&s).into_iter().map(|w| (w.exact, w.folded)).collect();
        let b: Vec<(String, String)> = words(&nfd).into_iter().map(|w| (w.exact, w.folded)).collect();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn folding_twice_changes_nothing(s in "\\PC{0,40}") {
        let once = folded(&s);
        let twice = folded(&once.join(" "));
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn words_never_panic_and_stay_in_bounds(s in "\\PC{0,80}") {
        for w in words(&s) {
            prop_assert!(s.get(w.from..w.to).is_some());
            prop_assert!(!w.folded.is_empty());
        }
    }
}

fn index() -> &'static SearchIndex {
    static INDEX: std::sync::OnceLock<SearchIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let idx = SearchIndex::create(None, 50 << 20, 1).unwrap();
        idx.add_all(&common::corpus()).unwrap();
        idx.commit().unwrap();
        idx
    })
}

fn found(q: &str) -> std::collections::BTreeSet<String> {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let req = Request { query: parse(q), limit: 100, ..Request::default() };
    index().search(&req, now).unwrap().hits.into_iter().map(|h| h.url).collect()
}

fn vocabulary() -> Vec<String> {
    let mut v: Vec<String> = common::corpus().iter().flat_map(|d| words(&d.title).into_iter().map(|w| d.title[w.from..w.to].to_string()).collect::<Vec<_>>()).collect();
    v.sort();
    v.dedup();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn a_query_finds_what_its_folded_twin_finds(picks in proptest::collection::vec(0usize..10_000, 1..4), nfd in any::<bool>()) {
        let vocab = vocabulary();
        let q: Vec<String> = picks.iter().map(|i| vocab[i % vocab.len()].clone()).collect();
        let q = q.join(" ");
        let q = if nfd { q.nfd().collect::<String>() } else { q };
        let twin = text_vi::fold(&q);
        prop_assert_eq!(found(&q), found(&twin), "{} vs {}", q, twin);
    }
}
