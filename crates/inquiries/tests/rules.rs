//! Rules tests: the working-day deadline over weekends, Tết and the year end; the tracking code;
//! the proof of work and the text challenge; with property tests for the parsers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use inquiries::rules::challenge::{accepts, operands, parse_answer};
use inquiries::rules::code::{self, normalise};
use inquiries::rules::deadline::{add_working_days, is_working_day};
use inquiries::rules::pow::{self, Challenge, solves};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The 2026–2027 days off as seeded (unverified; see docs/inquiries.md).
fn holidays() -> BTreeSet<NaiveDate> {
    [
        "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
        "2027-01-01", "2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03",
    ]
    .iter()
    .map(|s| d(s))
    .collect()
}

#[test]
fn tet_2026_pushes_the_deadline_by_a_week() {
    let h = holidays();
    // Thursday 12/2/2026: Friday 13 counts, Tết 16–20/2 does not.
    assert_eq!(add_working_days(d("2026-02-12"), 10, &h), d("2026-03-05"));
    assert_eq!(add_working_days(d("2026-02-12"), 10, &BTreeSet::new()), d("2026-02-26"));
    // Routed during Tết: counting starts after it.
    assert_eq!(add_working_days(d("2026-02-17"), 1, &h), d("2026-02-23"));
}

#[test]
fn across_the_year_end_and_tet_2027() {
    let h = holidays();
    assert_eq!(add_working_days(d("2026-12-23"), 10, &h), d("2027-01-07"));
    assert_eq!(add_working_days(d("2026-12-31"), 1, &h), d("2027-01-04"));
    // Tết 2027: Wednesday 3/2 + 1 working day is Thursday 11/2 (4–10/2 off, with the weekend).
    assert_eq!(add_working_days(d("2027-02-03"), 1, &h), d("2027-02-11"));
    // Compensatory Monday 3/5/2027 for 1/5 on a Saturday.
    assert_eq!(add_working_days(d("2027-04-29"), 1, &h), d("2027-05-04"));
}

#[test]
fn tracking_codes_are_short_and_typed_back_leniently() {
    let c = code::from_bytes([3, 14, 15, 9, 26, 5, 35, 89, 79, 32]);
    assert_eq!(c, "3EF9T-53SF0");
    assert_eq!(normalise("3ef9t 53sfo").as_deref(), Some("3EF9T-53SF0"));
    assert_eq!(normalise("3EF9T53SF0").as_deref(), Some("3EF9T-53SF0"));
    assert_eq!(normalise("3EF9T-53SFU"), None, "U is not in the alphabet");
    assert_eq!(normalise(""), None);
}

#[test]
fn the_text_challenge_reads_digits_and_folded_words() {
    let words: Vec<String> = inquiries::msg::NUMBER_WORDS.iter().map(|w| text_vi::fold(w)).collect();
    for n in 0..=18u32 {
        assert_eq!(parse_answer(&n.to_string(), &words), Some(n));
        assert_eq!(parse_answer(&text_vi::fold(inquiries::msg::NUMBER_WORDS[n as usize]), &words), Some(n));
    }
    assert_eq!(parse_answer(&text_vi::fold("Mười  Lăm"), &words), Some(15));
    assert_eq!(parse_answer("muoi lam.", &words), Some(15));
    assert_eq!(parse_answer("1234", &words), None);
    let (a, b) = operands([4, 4]);
    assert!(accepts([4, 4], &(a + b).to_string(), &words));
    assert!(inquiries::msg::challenge_question(3, 4).starts_with("Ba cộng bốn"));
}

#[test]
fn a_solved_challenge_verifies_only_with_its_counter() {
    let token = "1900000000.0123456789abcdef.00112233445566778899aabbccddeeff";
    let c = Challenge::parse(token).unwrap();
    assert_eq!((c.expires, c.nonce), (1_900_000_000, "0123456789abcdef"));
    let n = (0u64..).find(|n| solves(token, &n.to_string(), pow::BITS)).unwrap();
    assert!(solves(token, &n.to_string(), pow::BITS));
    assert!(!solves("1900000000.0123456789abcdef.00112233445566778899aabbccddeefe", &n.to_string(), pow::BITS) || n == 0);
    assert!(!solves(token, &format!("{n} "), 0));
    assert!(!solves(token, &format!("-{n}"), 0));
}

fn date_strategy() -> impl Strategy<Value = NaiveDate> {
    (0i64..1500).prop_map(|n| d("2025-06-01") + Duration::days(n))
}

proptest! {
    #[test]
    fn the_deadline_is_the_nth_working_day(from in date_strategy(), days in 0u32..40) {
        let h = holidays();
        let due = add_working_days(from, days, &h);
        let mut counted = 0;
        let mut day = from;
        while day < due {
            day += Duration::days(1);
            if is_working_day(day, &h) {
                counted += 1;
            }
        }
        prop_assert_eq!(counted, days);
        if days > 0 {
            prop_assert!(is_working_day(due, &h));
            prop_assert!(!matches!(due.weekday(), Weekday::Sat | Weekday::Sun));
            prop_assert!(due > from);
            prop_assert!(add_working_days(from, days + 1, &h) > due);
        } else {
            prop_assert_eq!(due, from);
        }
    }

    #[test]
    fn every_code_reads_back(bytes in any::<[u8; 10]>()) {
        let c = code::from_bytes(bytes);
        prop_assert_eq!(c.len(), 11);
        prop_assert_eq!(normalise(&c), Some(c.clone()));
        prop_assert_eq!(normalise(&c.to_lowercase().replace('-', " ")), Some(c.clone()));
        prop_assert_eq!(normalise(&c.replace('0', "o").replace('1', "l")), Some(c.clone()));
    }

    #[test]
    fn normalise_accepts_only_codes(s in ".{0,30}") {
        if let Some(c) = normalise(&s) {
            prop_assert_eq!(c.len(), 11);
            prop_assert_eq!(c.as_bytes()[5], b'-');
            prop_assert!(c.bytes().enumerate().all(|(i, b)| i == 5 || code::ALPHABET.contains(&b)));
        }
    }

    #[test]
    fn challenges_parse_or_refuse_without_panicking(s in ".{0,120}") {
        if let Some(c) = Challenge::parse(&s) {
            prop_assert_eq!(format!("{}.{}", Challenge::payload(c.expires, c.nonce), c.signature), s);
        }
    }

    #[test]
    fn well_formed_challenges_round_trip(expires in 0i64..99_999_999_999, nonce in "[0-9a-f]{8,64}", sig in "[0-9a-f]{16,64}") {
        let token = format!("{}.{sig}", Challenge::payload(expires, &nonce));
        let c = Challenge::parse(&token).unwrap();
        prop_assert_eq!((c.expires, c.nonce, c.signature), (expires, nonce.as_str(), sig.as_str()));
    }

    #[test]
    fn counters_other_than_digits_never_solve(counter in ".{0,25}") {
        if !counter.bytes().all(|b| b.is_ascii_digit()) || counter.is_empty() || counter.len() > 20 {
            prop_assert!(!solves("1.abcdef01.0123456789abcdef", &counter, 0));
        }
    }

    #[test]
    fn answers_parse_without_panicking(s in ".{0,60}") {
        let words: Vec<String> = inquiries::msg::NUMBER_WORDS.iter().map(|w| text_vi::fold(w)).collect();
        if let Some(n) = parse_answer(&text_vi::fold(&s), &words) {
            prop_assert!(n <= 999);
        }
    }
}
