//! The search-quality corpus, shared by the quality and rules tests.
#![allow(clippy::unwrap_used, dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use kernel::search_feed::FeedDoc;

fn date(s: &str) -> Option<NaiveDate> {
    (!s.is_empty()).then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

pub fn corpus() -> Vec<FeedDoc> {
    include_str!("../data/corpus.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let c: Vec<&str> = line.split('\t').collect();
            assert_eq!(c.len(), 10, "{line}");
            let legal = c[1] == "legal_doc";
            let issued = date(c[5]).unwrap();
            FeedDoc {
                kind: c[1].into(),
                ref_id: i as i64 + 1,
                url: format!("/k/{}", c[0]),
                title: c[8].into(),
                number: c[2].into(),
                summary: c[9].into(),
                body: String::new(),
                doc_type: c[3].into(),
                issuer: c[4].into(),
                year: Some(chrono::Datelike::year(&issued)),
                unit_id: None,
                published_at: Some(Utc.from_utc_datetime(&issued.and_hms_opt(3, 0, 0).unwrap())),
                visible_from: None,
                visible_to: None,
                in_force_on: if legal { date(c[6]) } else { None },
                partly_expired_on: None,
                expired_on: if legal { date(c[7]) } else { None },
            }
        })
        .collect()
}

