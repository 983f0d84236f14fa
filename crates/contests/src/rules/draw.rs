//! The draw (bốc câu hỏi): the questions of an attempt are drawn from the bank by topic ×
//! difficulty quotas, without repeats, then shown in a shuffled order with shuffled options.
//! The result holds the shown order of each question's options as original indexes, so the
//! page can render them without ever carrying which one is correct.

use rand::Rng;
use rand::seq::SliceRandom;

use super::settings::Quota;

/// What the draw needs to know of a bank question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub topic: String,
    pub difficulty: String,
    pub options: usize,
}

/// One drawn question: its id and its options in shown order (original indexes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drawn {
    pub question_id: i64,
    pub option_order: Vec<usize>,
}

/// A quota the bank cannot fill: (quota index, wanted, available).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortfall {
    pub quota: usize,
    pub wanted: usize,
    pub available: usize,
}

pub fn matches(q: &Quota, c: &Candidate) -> bool {
    (q.topic.is_empty() || q.topic == c.topic) && (q.difficulty.is_empty() || q.difficulty == c.difficulty)
}

/// The quotas in the order they are filled: the most specific first (topic and difficulty, then
/// one of them, then "any"), so that a broad quota takes a free question before a narrow one
/// has to take it back.
fn fill_order(quotas: &[Quota]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..quotas.len()).collect();
    idx.sort_by_key(|&i| (quotas[i].topic.is_empty() as u8 + quotas[i].difficulty.is_empty() as u8, i));
    idx
}

/// Assigns a distinct question to every slot of every quota, trying the questions in `order`:
/// a bipartite matching of slots and questions (augmenting paths), so it finds an assignment
/// whenever one exists, whatever the quotas' overlaps (a topic-only and a difficulty-only quota
/// may compete for the same questions). A slot first takes a free question in `order`; only when
/// none is free does it take one from an earlier slot that can move to another. Returns the
/// questions picked per slot, or the first quota that cannot be filled.
fn assign(bank: &[Candidate], quotas: &[Quota], order: &[usize]) -> Result<Vec<usize>, Shortfall> {
    let slots: Vec<usize> = fill_order(quotas).into_iter().flat_map(|qi| std::iter::repeat_n(qi, quotas[qi].count)).collect();
    // For each slot, the questions it may take, in `order`.
    let fits: Vec<Vec<usize>> = {
        let mut by_quota: Vec<Option<Vec<usize>>> = vec![None; quotas.len()];
        slots
            .iter()
            .map(|&qi| by_quota[qi].get_or_insert_with(|| order.iter().copied().filter(|&i| matches(&quotas[qi], &bank[i])).collect()).clone())
            .collect()
    };
    let mut owner: Vec<Option<usize>> = vec![None; bank.len()];
    let mut filled = vec![0usize; quotas.len()];
    for s in 0..slots.len() {
        let free = fits[s].iter().copied().find(|&i| owner[i].is_none());
        let taken = match free {
            Some(i) => {
                owner[i] = Some(s);
                true
            }
            None => {
                let mut seen = vec![false; bank.len()];
                augment(s, &fits, &mut owner, &mut seen)
            }
        };
        if !taken {
            let qi = slots[s];
            return Err(Shortfall { quota: qi, wanted: quotas[qi].count, available: filled[qi] });
        }
        filled[slots[s]] += 1;
    }
    let mut picked = vec![usize::MAX; slots.len()];
    for (i, o) in owner.iter().enumerate() {
        if let Some(s) = *o {
            picked[s] = i;
        }
    }
    Ok(picked)
}

/// Finds a question for slot `s`, moving earlier slots along an augmenting path.
fn augment(s: usize, fits: &[Vec<usize>], owner: &mut [Option<usize>], seen: &mut [bool]) -> bool {
    for &i in &fits[s] {
        if seen[i] {
            continue;
        }
        seen[i] = true;
        let moved = match owner[i] {
            None => true,
            Some(t) => augment(t, fits, owner, seen),
        };
        if moved {
            owner[i] = Some(s);
            return true;
        }
    }
    false
}

/// Whether the bank can fill every quota at once (each question used once): the first quota
/// that cannot be filled, if any. The draw fails exactly when this does.
pub fn check(bank: &[Candidate], quotas: &[Quota]) -> Result<(), Shortfall> {
    let order: Vec<usize> = (0..bank.len()).collect();
    assign(bank, quotas, &order).map(|_| ())
}

/// Draws the questions of one attempt: every quota's count, without repeats, from the bank in a
/// random order (an assignment exists whenever [`check`] passes, and the draw then finds one);
/// then the questions and each one's options are shuffled.
pub fn draw<R: Rng + ?Sized>(bank: &[Candidate], quotas: &[Quota], rng: &mut R) -> Result<Vec<Drawn>, Shortfall> {
    let mut order: Vec<usize> = (0..bank.len()).collect();
    order.shuffle(rng);
    let mut picked = assign(bank, quotas, &order)?;
    picked.shuffle(rng);
    Ok(picked
        .into_iter()
        .map(|i| {
            let mut order: Vec<usize> = (0..bank[i].options).collect();
            order.shuffle(rng);
            Drawn { question_id: bank[i].id, option_order: order }
        })
        .collect())
}

/// The option order as stored ("2,0,3,1").
pub fn order_to_text(order: &[usize]) -> String {
    order.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// The stored option order back, or `None` when it is not a permutation of `0..n`.
pub fn order_from_text(s: &str, n: usize) -> Option<Vec<usize>> {
    let v: Vec<usize> = s.split(',').map(|p| p.trim().parse().ok()).collect::<Option<Vec<_>>>()?;
    let mut seen = vec![false; n];
    if v.len() != n {
        return None;
    }
    for &i in &v {
        if i >= n || std::mem::replace(&mut seen[i], true) {
            return None;
        }
    }
    Some(v)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn bank() -> Vec<Candidate> {
        let mut v = Vec::new();
        for i in 0..30 {
            let topic = if i % 3 == 0 { "Bầu cử" } else { "Đất đai" };
            let difficulty = ["de", "trung_binh", "kho"][i % 3 % 3];
            v.push(Candidate { id: i as i64 + 1, topic: topic.into(), difficulty: difficulty.into(), options: 2 + i % 5 });
        }
        v
    }

    #[test]
    fn quotas_hold_and_nothing_repeats() {
        let b = bank();
        let quotas = vec![Quota { topic: "Bầu cử".into(), difficulty: String::new(), count: 5 }, Quota { topic: String::new(), difficulty: "kho".into(), count: 4 }, Quota { topic: String::new(), difficulty: String::new(), count: 6 }];
        for seed in 0..200 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let d = draw(&b, &quotas, &mut rng).unwrap();
            assert_eq!(d.len(), 15);
            let mut ids: Vec<i64> = d.iter().map(|x| x.question_id).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), 15);
            let of = |id: i64| b.iter().find(|c| c.id == id).unwrap();
            assert!(d.iter().filter(|x| of(x.question_id).topic == "Bầu cử").count() >= 5);
            assert!(d.iter().filter(|x| of(x.question_id).difficulty == "kho").count() >= 4);
            for x in &d {
                assert_eq!(order_from_text(&order_to_text(&x.option_order), of(x.question_id).options), Some(x.option_order.clone()));
            }
        }
        assert_eq!(check(&b, &quotas), Ok(()));
        let too_many = vec![Quota { topic: "Bầu cử".into(), difficulty: String::new(), count: 11 }];
        assert_eq!(check(&b, &too_many), Err(Shortfall { quota: 0, wanted: 11, available: 10 }));
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        assert!(draw(&b, &too_many, &mut rng).is_err());
    }

    #[test]
    fn a_broad_quota_never_starves_a_narrow_one() {
        // Two "kho" questions; the broad quota is listed first but filled last.
        let b: Vec<Candidate> = (0..4).map(|i| Candidate { id: i, topic: "A".into(), difficulty: if i < 2 { "kho".into() } else { "de".into() }, options: 4 }).collect();
        let quotas = vec![Quota { topic: String::new(), difficulty: String::new(), count: 2 }, Quota { topic: String::new(), difficulty: "kho".into(), count: 2 }];
        for seed in 0..50 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            assert_eq!(draw(&b, &quotas, &mut rng).unwrap().len(), 4);
        }
    }

    #[test]
    fn overlapping_quotas_are_drawn_whenever_the_bank_allows() {
        // The only hard questions are of topic A: a greedy draw giving the topic-A quota a hard
        // question would leave the hard quota short.
        let b: Vec<Candidate> = (0..4).map(|i| Candidate { id: i, topic: if i < 3 { "A".into() } else { "B".into() }, difficulty: if i == 0 { "kho".into() } else { "de".into() }, options: 4 }).collect();
        let quotas = vec![Quota { topic: "A".into(), difficulty: String::new(), count: 2 }, Quota { topic: String::new(), difficulty: "kho".into(), count: 1 }];
        assert_eq!(check(&b, &quotas), Ok(()));
        for seed in 0..100 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let d = draw(&b, &quotas, &mut rng).unwrap();
            let ids: Vec<i64> = d.iter().map(|x| x.question_id).collect();
            assert!(ids.contains(&0) && ids.iter().filter(|&&id| id == 1 || id == 2).count() == 2, "{ids:?}");
        }
        let short = vec![Quota { topic: "A".into(), difficulty: String::new(), count: 3 }, Quota { topic: String::new(), difficulty: "kho".into(), count: 1 }];
        assert!(check(&b, &short).is_err());
    }

    #[test]
    fn bad_orders_are_refused() {
        assert_eq!(order_from_text("0,0", 2), None);
        assert_eq!(order_from_text("0,2", 2), None);
        assert_eq!(order_from_text("1,0", 2), Some(vec![1, 0]));
        assert_eq!(order_from_text("x", 1), None);
    }
}

/// Whether the option chosen at shown position `chosen` is the correct one, given the stored
/// shown order: nothing chosen, or a position outside the order, is wrong.
pub fn shown_is_correct(chosen: Option<i64>, order: &str, correct: i64) -> bool {
    let Some(c) = chosen.and_then(|c| usize::try_from(c).ok()) else { return false };
    order.split(',').nth(c).and_then(|o| o.trim().parse::<i64>().ok()) == Some(correct)
}

/// The shown position of the correct option, for the result page.
pub fn shown_position_of(order: &str, correct: i64) -> Option<usize> {
    order.split(',').position(|o| o.trim().parse::<i64>().ok() == Some(correct))
}

#[cfg(test)]
mod scoring_tests {
    use super::*;

    #[test]
    fn a_shown_position_maps_back_to_the_original() {
        assert!(shown_is_correct(Some(1), "2,0,1", 0));
        assert!(!shown_is_correct(Some(0), "2,0,1", 0));
        assert!(!shown_is_correct(None, "2,0,1", 0));
        assert!(!shown_is_correct(Some(5), "2,0,1", 0));
        assert!(!shown_is_correct(Some(-1), "2,0,1", 0));
        assert_eq!(shown_position_of("2,0,1", 1), Some(2));
    }
}
