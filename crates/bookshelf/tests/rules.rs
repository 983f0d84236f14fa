//! The bookshelf's pure rules: the number key, the effective status (properties), the counting
//! of a commune bookshelf, and the copy of the target groups.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bookshelf::rules::kinds::LinkKind;
use bookshelf::rules::number::key;
use bookshelf::rules::shelf::{ShelfCount, count};
use bookshelf::rules::status::{Incoming, Status, ended_on, status, status_dates, status_on};
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn typed_numbers_share_one_key() {
    for typed in ["35/2013/QH13", "35/2013/qh13", "35 2013 QH13", " 35-2013-QH13 ", "Số 35/2013/QH13", "so 35 2013 qh13"] {
        assert_eq!(key(typed), "35/2013/qh13", "{typed}");
    }
    assert_eq!(key("30/2020/NĐ-CP"), "30/2020/nd/cp");
    assert_eq!(key("30 2020 nd cp"), "30/2020/nd/cp");
    assert_eq!(key("25/2021/QĐ-TTg"), key("25/2021/qd-ttg"));
    assert_ne!(key("35/2013/QH13"), key("35/2018/QH14"));
    assert_eq!(key("  /  "), "");
}

#[test]
fn the_land_law_of_2013_ends_when_the_2024_law_takes_effect() {
    let links = [
        Incoming { kind: LinkKind::Amends, whole: false, effective_on: d(2019, 1, 1) },
        Incoming { kind: LinkKind::Replaces, whole: true, effective_on: d(2024, 8, 1) },
    ];
    assert_eq!(status(d(2014, 7, 1), None, &links, d(2014, 6, 30)), Status::NotYetInForce);
    assert_eq!(status(d(2014, 7, 1), None, &links, d(2019, 6, 1)), Status::InForce, "amended, still in force");
    assert_eq!(status(d(2014, 7, 1), None, &links, d(2024, 7, 31)), Status::InForce);
    assert_eq!(status(d(2014, 7, 1), None, &links, d(2024, 8, 1)), Status::Expired);
    assert_eq!(ended_on(None, &links), Some(d(2024, 8, 1)));
    // A partial repeal, then the document's own expiry date.
    let partial = [Incoming { kind: LinkKind::Repeals, whole: false, effective_on: d(2020, 1, 1) }];
    assert_eq!(status(d(2015, 1, 1), Some(d(2022, 1, 1)), &partial, d(2020, 1, 1)), Status::PartlyExpired);
    assert_eq!(status(d(2015, 1, 1), Some(d(2022, 1, 1)), &partial, d(2022, 1, 1)), Status::Expired);
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (0i64..6000).prop_map(|n| d(2010, 1, 1) + chrono::Duration::days(n))
}

fn link() -> impl Strategy<Value = Incoming> {
    (0usize..3, any::<bool>(), day()).prop_map(|(k, whole, effective_on)| Incoming { kind: LinkKind::ALL[k], whole, effective_on })
}

fn facts() -> impl Strategy<Value = (NaiveDate, Option<NaiveDate>, Vec<Incoming>)> {
    (day(), proptest::option::of(1i64..3000), proptest::collection::vec(link(), 0..6))
        .prop_map(|(from, life, links)| (from, life.map(|n| from + chrono::Duration::days(n)), links))
}

proptest! {
    #[test]
    fn before_its_in_force_date_a_document_is_not_yet_in_force((from, expires, links) in facts(), back in 1i64..5000) {
        prop_assert_eq!(status(from, expires, &links, from - chrono::Duration::days(back)), Status::NotYetInForce);
    }

    #[test]
    fn a_whole_replacement_or_repeal_in_effect_ends_it_whatever_else((from, expires, mut links) in facts(), kind in 1usize..3, after in 0i64..3000, extra in 0i64..3000) {
        let effective_on = from + chrono::Duration::days(after);
        links.push(Incoming { kind: LinkKind::ALL[kind], whole: true, effective_on });
        let on = effective_on + chrono::Duration::days(extra);
        prop_assert_eq!(status(from, expires, &links, on), Status::Expired);
    }

    #[test]
    fn amendments_alone_never_end_validity(from in day(), days in proptest::collection::vec(day(), 0..6), on in day()) {
        let links: Vec<Incoming> = days.into_iter().map(|effective_on| Incoming { kind: LinkKind::Amends, whole: true, effective_on }).collect();
        let s = status(from, None, &links, on);
        prop_assert!(s == Status::InForce || s == Status::NotYetInForce);
        prop_assert_eq!(s, status(from, None, &[], on), "amendments change nothing");
    }

    #[test]
    fn status_never_goes_back_as_days_pass((from, expires, links) in facts(), a in day(), b in day()) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(status(from, expires, &links, early) <= status(from, expires, &links, late));
    }

    #[test]
    fn a_further_link_never_restores_validity((from, expires, mut links) in facts(), extra in link(), on in day()) {
        let before = status(from, expires, &links, on);
        links.push(extra);
        prop_assert!(status(from, expires, &links, on) >= before);
    }

    #[test]
    fn the_stored_dates_give_the_derived_status_on_every_day((from, expires, links) in facts(), on in day()) {
        // What the search feed stores (the dates) says what the links say, on any day.
        let (partly, expired) = status_dates(expires, &links);
        prop_assert_eq!(status_on(from, partly, expired, on), status(from, expires, &links, on));
    }

    #[test]
    fn expired_exactly_from_the_day_it_ended((from, expires, links) in facts(), on in day()) {
        let expired = status(from, expires, &links, on) == Status::Expired;
        let ended = on >= from && ended_on(expires, &links).is_some_and(|e| e <= on);
        prop_assert_eq!(expired, ended);
    }
}

#[test]
fn a_shelf_counts_what_it_held_at_the_end_and_what_changed_within() {
    let items = [(d(2025, 1, 10), None), (d(2025, 2, 1), Some(d(2025, 6, 1))), (d(2024, 5, 1), Some(d(2025, 3, 1))), (d(2025, 12, 1), None)];
    assert_eq!(count(items, d(2025, 1, 1), d(2025, 6, 30)), ShelfCount { held: 1, added: 2, removed: 2 });
    assert_eq!(count(items, d(2025, 1, 1), d(2025, 12, 31)), ShelfCount { held: 2, added: 3, removed: 2 });
}

#[test]
fn the_target_groups_are_those_of_the_disseminators() {
    let ours = bookshelf::rules::catalogue::shipped().unwrap();
    let theirs = bookshelf::rules::catalogue::parse(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../disseminators/data/target_groups.toml")).unwrap()).unwrap();
    assert_eq!(ours.groups, theirs.groups);
    assert_eq!(ours.version, theirs.version);
}
