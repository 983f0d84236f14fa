//! Property tests of the collective prizes and the most-missed questions: the ranking of units
//! is the same whatever the order of its input, total (positions 1..n, each unit once), sorted by
//! score, and gives the prize bands to the first positions; the rate never passes 100%; the
//! most-missed list is sorted by the share missed and does not depend on the input order.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use contests::rules::collective::{Collective, CollectiveLevel, CollectiveMode, PrizePoints, Tally, rank, rate};
use contests::rules::missed::{QuestionCount, most_missed};
use contests::rules::settings::Prize;
use proptest::prelude::*;

fn tally() -> impl Strategy<Value = Tally> {
    (0i64..6, proptest::option::of(0i64..8), proptest::collection::vec(0usize..4, 0..4), 0usize..3).prop_map(|(entrants, headcount, prizes, name)| Tally {
        unit_id: 0,
        name: ["Xã An", "Xã Ân", "Phường Đông"][name].to_string(),
        entrants,
        headcount,
        winners: prizes.len() as i64,
        prizes: prizes.into_iter().map(|p| ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích"][p].to_string()).collect(),
    })
}

fn rules(mode: usize) -> Collective {
    Collective {
        mode: CollectiveMode::ALL[mode],
        level: CollectiveLevel::Commune,
        points: vec![PrizePoints { prize: "Giải Nhất".into(), points: 10 }, PrizePoints { prize: "Giải Nhì".into(), points: 8 }, PrizePoints { prize: "Giải Ba".into(), points: 6 }],
        prizes: vec![Prize { name: "Nhất".into(), count: 1, amount: 3 }, Prize { name: "Nhì".into(), count: 2, amount: 2 }],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_collective_ranking_is_total_sorted_and_order_free(mut units in proptest::collection::vec(tally(), 0..12), mode in 0usize..3, seed in any::<u64>()) {
        for (i, u) in units.iter_mut().enumerate() {
            u.unit_id = i as i64 + 1;
        }
        let c = rules(mode);
        let ranked = rank(&units, &c);
        prop_assert_eq!(ranked.len(), units.iter().filter(|u| u.entrants > 0).count());
        for (i, l) in ranked.iter().enumerate() {
            prop_assert_eq!(l.position, i + 1);
            prop_assert_eq!(l.prize.is_some(), i < 3);
            prop_assert!(l.unit.rate.is_none_or(|r| (0..=10_000).contains(&r)));
            if i > 0 {
                prop_assert!(ranked[i - 1].unit.score >= l.unit.score);
            }
        }
        let mut shuffled = units.clone();
        let n = shuffled.len();
        if n > 1 {
            for k in 0..n {
                let j = ((seed.rotate_left(k as u32 * 7)) as usize) % n;
                shuffled.swap(k, j);
            }
        }
        let again: Vec<i64> = rank(&shuffled, &c).iter().map(|l| l.unit.unit_id).collect();
        prop_assert_eq!(again, ranked.iter().map(|l| l.unit.unit_id).collect::<Vec<_>>());
    }

    #[test]
    fn rates_stay_within_a_hundred_percent(entrants in any::<i64>(), headcount in proptest::option::of(any::<i64>())) {
        if let Some(r) = rate(entrants, headcount) {
            prop_assert!((0..=10_000).contains(&r));
        }
    }

    #[test]
    fn the_most_missed_are_sorted_by_share_whatever_the_input_order(raw in proptest::collection::vec((0i64..20, 0i64..20, 0i64..20), 0..30), n in 0usize..12, min in 0i64..5) {
        let counts: Vec<QuestionCount> = raw.iter().enumerate().map(|(i, (d, a, k))| {
            let drawn = *d;
            let answered = (*a).min(drawn);
            QuestionCount { question_id: i as i64, drawn, answered, correct: (*k).min(answered) }
        }).collect();
        let top = most_missed(counts.clone(), n, min);
        prop_assert!(top.len() <= n);
        for w in top.windows(2) {
            // a/b >= c/d as exact fractions
            prop_assert!(i128::from(w[0].missed()) * i128::from(w[1].drawn) >= i128::from(w[1].missed()) * i128::from(w[0].drawn));
        }
        prop_assert!(top.iter().all(|q| q.drawn >= min.max(1) && q.missed() > 0));
        let mut rev = counts;
        rev.reverse();
        prop_assert_eq!(most_missed(rev, n, min), top);
    }
}
