//! Search quality: a fixed set of queries with their expected results, over a corpus built
//! from real document titles and abstracts (tests/data/corpus.tsv), with diacritic-less,
//! old-tone and loosely typed number variants (tests/data/queries.tsv). Prints precision@5
//! and the share of queries whose expected first result ranks first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeZone, Utc};
use common::corpus;

mod common;
use kernel::search_feed::FeedDoc;
use search::index::{Request, SearchIndex};
use search::rules::query;

fn index(docs: &[FeedDoc]) -> SearchIndex {
    let idx = SearchIndex::create(None, 50 << 20, 1).unwrap();
    idx.add_all(docs).unwrap();
    idx.commit().unwrap();
    idx
}

fn top(idx: &SearchIndex, q: &str, n: usize) -> Vec<String> {
    let req = Request { query: query::parse(q), limit: n, ..Request::default() };
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    idx.search(&req, now).unwrap().hits.into_iter().map(|h| h.url.trim_start_matches("/k/").to_string()).collect()
}

#[test]
fn the_fixed_queries_find_their_documents() {
    let idx = index(&corpus());
    let mut precision_sum = 0.0;
    let mut first_right = 0;
    let mut n = 0;
    let mut misses = Vec::new();
    for line in include_str!("data/queries.tsv").lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (q, expected) = line.split_once('\t').unwrap();
        let expected: Vec<&str> = expected.split(',').collect();
        let got = top(&idx, q, 5);
        let relevant = got.iter().filter(|k| expected.contains(&k.as_str())).count();
        let p = relevant as f64 / expected.len().min(5) as f64;
        precision_sum += p;
        if got.first().map(String::as_str) == Some(expected[0]) {
            first_right += 1;
        } else {
            misses.push(format!("{q:?}: expected {} first, got {got:?}", expected[0]));
        }
        if p < 1.0 {
            misses.push(format!("{q:?}: precision@5 {p:.2}, expected {expected:?}, got {got:?}"));
        }
        n += 1;
    }
    let precision = precision_sum / n as f64;
    let first = first_right as f64 / n as f64;
    println!("search quality over {n} queries: precision@5 = {precision:.3}, expected first result ranked first = {first:.3}");
    for m in &misses {
        println!("  {m}");
    }
    assert!(n >= 50);
    assert!(precision >= 0.9, "precision@5 {precision:.3}:\n{}", misses.join("\n"));
    assert!(first >= 0.9, "first-result accuracy {first:.3}:\n{}", misses.join("\n"));
}

#[test]
fn in_force_documents_rank_above_expired_ones() {
    let idx = index(&corpus());
    let got = top(&idx, "luật đất đai", 5);
    let pos = |k: &str| got.iter().position(|g| g == k).unwrap();
    assert!(pos("L-DD-2024") < pos("L-DD-2013"), "{got:?}");
    let got = top(&idx, "bo luat dan su", 5);
    assert_eq!(&got[..2], ["BLDS-2015", "BLDS-2005"], "{got:?}");
}

fn doc(id: i64, title: &str) -> FeedDoc {
    FeedDoc { kind: "article".into(), ref_id: id, url: format!("/k/{id}"), title: title.into(), ..FeedDoc::default() }
}

#[test]
fn exact_diacritics_rank_above_folded_matches() {
    let idx = index(&[doc(1, "Hòa giải tranh chấp"), doc(2, "Hóa chất độc hại"), doc(3, "Hoa hồng ngày lễ")]);
    assert_eq!(top(&idx, "hóa", 3)[0], "2");
    assert_eq!(top(&idx, "hòa", 3)[0], "1");
    assert_eq!(top(&idx, "hoà", 3)[0], "1", "old tone placement");
    // Without diacritics, all three are found.
    assert_eq!(top(&idx, "hoa", 3).len(), 3);
}

#[test]
fn nfd_queries_find_what_nfc_queries_find() {
    use unicode_normalization::UnicodeNormalization;
    let idx = index(&corpus());
    for q in ["hòa giải ở cơ sở", "Luật Đất đai", "bình đẳng giới", "người khuyết tật"] {
        let nfd: String = q.nfd().collect();
        assert_ne!(nfd, q);
        assert_eq!(top(&idx, &nfd, 5), top(&idx, q, 5), "{q}");
    }
}

#[test]
fn phrases_need_their_words_together() {
    let idx = index(&[doc(1, "Giải thưởng cơ sở hòa bình"), doc(2, "Hòa giải ở cơ sở")]);
    assert_eq!(top(&idx, "\"hòa giải\"", 5), ["2"]);
    assert_eq!(top(&idx, "\"hoa giai o co so\"", 5), ["2"]);
}
