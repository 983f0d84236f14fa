//! Property tests of the contests' rules: the ranking is a total order, deterministic and
//! stable under permutation of its input, and every key decides when the earlier ones tie; the
//! draw keeps its quotas without repeats and its shuffles never tell which option is correct;
//! the bank's sheet reader takes any text (random, truncated, NFD) without panicking and imports
//! nothing while any row is wrong; the XLSX reader takes hostile bytes; the Word (DOCX) layout's
//! reader takes any lines or paragraphs (any labels, any looks) without panicking, reads back
//! what its layout writes, and reads the correct option from formatting and the numbers from
//! Word's numbering labels.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::{TimeZone, Utc};
use contests::rules::bank::{self, Question, parse_sheet};
use contests::rules::docx_bank;
use contests::rules::draw::{self, Candidate};
use contests::rules::ranking::{Entry, compare, deciding_key, rank};
use contests::rules::settings::{Quota, RankKey};
use documents::docx_paragraphs::{Look, Paragraph, Span};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::seq::SliceRandom;

fn entry() -> impl Strategy<Value = Entry> {
    (0i64..4, 0i64..3, 0i64..3, proptest::option::of(0i64..5), 0i64..3).prop_map(|(score, d, s, p, f)| Entry {
        entrant_id: 0,
        score,
        duration_ms: d * 1000,
        started_at: Utc.timestamp_opt(1_800_000_000 + s, 0).single().unwrap(),
        prediction: p,
        full_score_attempts: f,
    })
}

fn keys() -> impl Strategy<Value = Vec<RankKey>> {
    Just(RankKey::ALL.to_vec()).prop_shuffle().prop_flat_map(|all| (1..=all.len()).prop_map(move |n| all[..n].to_vec()))
}

proptest! {
    #[test]
    fn the_ranking_is_a_total_order_stable_under_permutation(entries in proptest::collection::vec(entry(), 0..40), keys in keys(), actual in 0i64..5, seed in any::<u64>()) {
        let mut entries = entries;
        for (i, e) in entries.iter_mut().enumerate() {
            e.entrant_id = i as i64 * 7 + 3;
        }
        let ranked = rank(entries.clone(), &keys, actual);
        let mut shuffled = entries.clone();
        shuffled.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
        prop_assert_eq!(&rank(shuffled, &keys, actual), &ranked);
        for w in ranked.windows(2) {
            prop_assert_eq!(compare(&w[0], &w[1], &keys, actual), Ordering::Less);
        }
        for a in &entries {
            prop_assert_eq!(compare(a, a, &keys, actual), Ordering::Equal);
            for b in &entries {
                prop_assert_eq!(compare(a, b, &keys, actual), compare(b, a, &keys, actual).reverse());
                if a.entrant_id != b.entrant_id {
                    prop_assert_ne!(compare(a, b, &keys, actual), Ordering::Equal);
                }
            }
        }
    }
}

#[test]
fn every_key_decides_in_its_turn() {
    let t = |s: i64| Utc.timestamp_opt(1_800_000_000 + s, 0).single().unwrap();
    let base = Entry { entrant_id: 1, score: 9, duration_ms: 60_000, started_at: t(0), prediction: Some(100), full_score_attempts: 1 };
    let keys = [RankKey::Score, RankKey::Prediction, RankKey::Duration, RankKey::Started, RankKey::FullScoreAttempts];
    let actual = 100;
    let cases = [
        (Entry { entrant_id: 2, score: 8, ..base.clone() }, Some(RankKey::Score)),
        (Entry { entrant_id: 2, prediction: Some(103), ..base.clone() }, Some(RankKey::Prediction)),
        (Entry { entrant_id: 2, prediction: None, ..base.clone() }, Some(RankKey::Prediction)),
        (Entry { entrant_id: 2, duration_ms: 61_000, ..base.clone() }, Some(RankKey::Duration)),
        (Entry { entrant_id: 2, started_at: t(1), ..base.clone() }, Some(RankKey::Started)),
        (Entry { entrant_id: 2, full_score_attempts: 0, ..base.clone() }, Some(RankKey::FullScoreAttempts)),
        (Entry { entrant_id: 2, ..base.clone() }, None),
    ];
    for (worse, key) in cases {
        assert_eq!(compare(&base, &worse, &keys, actual), Ordering::Less, "{key:?}");
        assert_eq!(deciding_key(&base, &worse, &keys, actual), key);
        assert_eq!(rank(vec![worse.clone(), base.clone()], &keys, actual)[0].entrant_id, 1);
    }
    // A prediction below the figure by 2 beats one above by 3; the keys' order matters.
    let low = Entry { entrant_id: 5, prediction: Some(98), duration_ms: 90_000, ..base.clone() };
    let high = Entry { entrant_id: 4, prediction: Some(103), duration_ms: 30_000, ..base.clone() };
    assert_eq!(rank(vec![high.clone(), low.clone()], &keys, actual)[0].entrant_id, 5);
    assert_eq!(rank(vec![high, low], &[RankKey::Score, RankKey::Duration, RankKey::Prediction], actual)[0].entrant_id, 4);
}

fn bank_of(n: usize) -> Vec<Candidate> {
    (0..n).map(|i| Candidate { id: i as i64 + 1, topic: ["A", "B", "C"][i % 3].into(), difficulty: ["de", "trung_binh", "kho"][(i / 3) % 3].into(), options: 2 + i % 5 }).collect()
}

proptest! {
    #[test]
    fn the_draw_keeps_its_quotas(n in 3usize..60, seed in any::<u64>(), a in 0usize..4, k in 0usize..3, any in 0usize..6) {
        let b = bank_of(n);
        let quotas = vec![Quota { topic: "A".into(), difficulty: String::new(), count: a }, Quota { topic: String::new(), difficulty: "kho".into(), count: k }, Quota { topic: String::new(), difficulty: String::new(), count: any }];
        let quotas: Vec<Quota> = quotas.into_iter().filter(|q| q.count > 0).collect();
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let drawn = draw::draw(&b, &quotas, &mut rng);
        // The draw fails exactly when the check does, overlapping quotas included (small banks
        // make both happen).
        prop_assert_eq!(drawn.is_ok(), draw::check(&b, &quotas).is_ok());
        if let Ok(d) = drawn {
            prop_assert_eq!(d.len(), quotas.iter().map(|q| q.count).sum::<usize>());
            let ids: HashSet<i64> = d.iter().map(|x| x.question_id).collect();
            prop_assert_eq!(ids.len(), d.len());
            let of = |id: i64| b.iter().find(|c| c.id == id).unwrap();
            prop_assert!(d.iter().filter(|x| of(x.question_id).topic == "A").count() >= a);
            prop_assert!(d.iter().filter(|x| of(x.question_id).difficulty == "kho").count() >= k);
            for x in &d {
                let mut sorted = x.option_order.clone();
                sorted.sort();
                prop_assert_eq!(sorted, (0..of(x.question_id).options).collect::<Vec<_>>());
            }
        }
    }
}

#[test]
fn shuffling_never_tells_the_correct_option() {
    // One four-option question whose correct option is the first: over many draws the correct
    // option is shown at every position, so its place says nothing.
    let b = vec![Candidate { id: 1, topic: "A".into(), difficulty: "de".into(), options: 4 }];
    let q = vec![Quota { topic: String::new(), difficulty: String::new(), count: 1 }];
    let mut seen = [0usize; 4];
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for _ in 0..800 {
        let d = draw::draw(&b, &q, &mut rng).unwrap();
        let shown = draw::shown_position_of(&draw::order_to_text(&d[0].option_order), 0).unwrap();
        seen[shown] += 1;
    }
    assert!(seen.iter().all(|n| *n > 120), "{seen:?}");
}

fn text_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Fa-f1-7]{0,2}",
        "(Dễ|Khó|Trung bình|de|kho|x){1}",
        "\\PC{0,40}",
        Just("Câu hỏi về luật".to_string()),
        Just("Ca\u{302}u ho\u{309}i NFD".to_string()),
    ]
}

proptest! {
    #[test]
    fn the_sheet_reader_takes_anything_and_imports_all_or_nothing(rows in proptest::collection::vec(proptest::collection::vec(text_cell(), 0..14), 0..12), cut in 0usize..13) {
        let mut header = bank::header();
        header.truncate(13 - cut.min(12));
        let numbered: Vec<(u32, Vec<String>)> = rows.iter().enumerate().map(|(i, r)| (i as u32 + 4, r.clone())).collect();
        match parse_sheet(&header, &numbered, &HashSet::new()) {
            Ok(qs) => {
                prop_assert_eq!(qs.len(), rows.len(), "every row imported when none is wrong");
                for q in &qs {
                    prop_assert!(q.correct < q.options.len() && (2..=6).contains(&q.options.len()));
                    prop_assert_eq!(&q.text, &text_vi::nfc(&q.text));
                }
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }

    #[test]
    fn the_xlsx_reader_takes_hostile_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = documents::table::read_table_xlsx(&bytes, bank::ANCHOR);
    }
}

#[test]
fn truncated_workbooks_are_refused_not_crashed() {
    let rows = vec![vec![documents::table::Cell::Int(1), documents::table::Cell::Text("Câu?".into())]];
    let full = documents::table::table_xlsx("Câu hỏi", "T", &bank::header(), &rows).unwrap();
    assert!(documents::table::read_table_xlsx(&full, bank::ANCHOR).is_ok());
    for cut in (0..full.len()).step_by(97) {
        assert!(documents::table::read_table_xlsx(&full[..cut], bank::ANCHOR).is_err());
    }
}

#[test]
fn duplicates_are_flagged_by_folded_text() {
    let header = bank::header();
    let row = |t: &str| vec![String::from("1"), t.to_string(), "Có".into(), "Không".into(), String::new(), String::new(), String::new(), String::new(), "A".into(), String::new(), "Chủ đề".into(), "Dễ".into(), String::new()];
    let rows = vec![(4, row("Hòa giải là gì?")), (5, row("  HOÀ  GIẢI là gì ")), (6, row("Khác"))];
    let e = parse_sheet(&header, &rows, &HashSet::new()).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].row, 5);
    let existing: HashSet<String> = [bank::text_key("Khác")].into_iter().collect();
    let e = parse_sheet(&header, &rows[2..], &existing).unwrap_err();
    assert_eq!(e[0].message, contests::msg::DUPLICATE_OF_BANK);
}

// ---------------------------------------------------------------- the Word layout

/// Lines that look like the Word layout's, broken or not, and anything else.
fn docx_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,30}",
        any::<String>(),
        "(Câu|CÂU|Câu hỏi|Câu số|Cau) ?[0-9]{1,7} ?[:.)/-]? ?\\PC{0,12}",
        "\\*? ?\\(?[A-Ha-h] ?[.):/]? ?\\*?\\PC{0,12}( ?\\((đúng|Đúng|dung)\\))?",
        "[A-F]\\. \\PC{0,6}[ \\t]{1,3}[A-G]\\) \\PC{0,6}",
        "(Đáp án|ĐÁP ÁN|Đáp án đúng|Đáp án đúng là) ?[:–-]? ?(phương án )?[A-Ha-h0-9]?\\PC{0,6}",
        "(Chủ đề|CHỦ ĐỀ|Chủ đề 2|CHỦ ĐỀ IV|Mức độ|Giải thích|Căn cứ|Căn cứ pháp lý|Nơi nhận|Độ khó) ?[:–-]? ?\\PC{0,10}",
        "(Dễ|Khó|Trung bình|Rất khó)",
        "[ \\t\u{a0}]{0,4}",
        "[A-ZĐÂƠƯ ]{0,12}",
        Just("Ca\u{302}u 2: Ho\u{309}i NFD?".to_string()),
    ]
}

fn vi_word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđĐÂƠƯÊ]{1,7}"
}

fn phrase(words: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(vi_word(), 1..=words).prop_map(|w| w.join(" "))
}

const TOPICS: [&str; 3] = ["Bầu cử", "Hòa giải ở cơ sở", "Đất đai"];
const CODES: [&str; 3] = ["de", "trung_binh", "kho"];

fn question() -> impl Strategy<Value = Question> {
    (phrase(10), proptest::collection::vec(phrase(5), 2..=6), any::<prop::sample::Index>(), prop_oneof![Just(String::new()), phrase(12)], 0usize..3, 0usize..3, prop_oneof![Just(String::new()), phrase(8)])
        .prop_filter("options differ once folded", |(_, options, ..)| {
            let keys: HashSet<String> = options.iter().map(|o| bank::text_key(o)).collect();
            keys.len() == options.len()
        })
        .prop_map(|(text, options, correct, explanation, topic, difficulty, source)| Question {
            correct: correct.index(options.len()),
            text,
            options,
            explanation,
            topic: TOPICS[topic].to_string(),
            difficulty: CODES[difficulty].to_string(),
            source,
        })
}

fn questions() -> impl Strategy<Value = Vec<Question>> {
    proptest::collection::vec(question(), 1..8).prop_map(|qs| {
        let mut seen = HashSet::new();
        qs.into_iter().filter(|q| seen.insert(bank::text_key(&q.text))).collect()
    })
}

/// The other layout organisers use: "Câu hỏi 1.", options "a)", the correct one marked
/// "(đúng)" or "*", the topic as a heading in capitals when it changes, the source as
/// "Căn cứ pháp lý".
fn other_layout(qs: &[Question], star: bool) -> Vec<String> {
    let mut out = vec!["NGÂN HÀNG CÂU HỎI".to_string()];
    let mut topic = "";
    for (i, q) in qs.iter().enumerate() {
        if q.topic != topic {
            topic = &q.topic;
            out.push(format!("CHỦ ĐỀ: {topic}"));
        }
        out.push(format!("Câu hỏi {}.  {}", i + 1, q.text));
        for (k, o) in q.options.iter().enumerate() {
            let l = docx_bank::letter(k).to_ascii_lowercase();
            out.push(match (k == q.correct, star) {
                (true, true) => format!("*{l}) {o}"),
                (true, false) => format!("{l}) {o} (đúng)"),
                _ => format!("{l}) {o}"),
            });
        }
        if !q.explanation.is_empty() {
            out.push(format!("Giải thích:  {}", q.explanation));
        }
        out.push(format!("Mức độ: {}", contests::rules::settings::difficulty_label(&q.difficulty)));
        if !q.source.is_empty() {
            out.push(format!("Căn cứ pháp lý: {}", q.source));
        }
    }
    out
}

proptest! {
    #[test]
    fn the_word_reader_takes_any_lines_and_imports_all_or_nothing(lines in proptest::collection::vec(docx_line(), 0..40), nfd in any::<bool>()) {
        let mut text = lines.join("\n");
        if nfd {
            text = unicode_nfd(&text);
        }
        match docx_bank::parse(&text, &HashSet::new(), &[]) {
            Ok(qs) => {
                prop_assert!(!qs.is_empty());
                for q in &qs {
                    prop_assert!(q.correct < q.options.len() && (2..=6).contains(&q.options.len()), "{q:?}");
                    prop_assert!(!q.text.is_empty() && !q.topic.is_empty() && CODES.contains(&q.difficulty.as_str()), "{q:?}");
                    prop_assert_eq!(&q.text, &text_vi::nfc(&q.text));
                }
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }

    #[test]
    fn a_damaged_layout_gives_checked_questions_or_errors(qs in questions(), edits in proptest::collection::vec((any::<prop::sample::Index>(), docx_line(), 0usize..3), 1..6)) {
        let mut lines = docx_bank::layout(&qs, 1);
        for (at, line, op) in edits {
            let i = at.index(lines.len() + 1);
            match op {
                0 => lines.insert(i, line),
                1 if i < lines.len() => lines[i] = line,
                _ if i < lines.len() => {
                    lines.remove(i);
                }
                _ => lines.push(line),
            }
        }
        match docx_bank::parse(&lines.join("\n"), &HashSet::new(), &[]) {
            Ok(back) => {
                for q in &back {
                    prop_assert!(q.correct < q.options.len() && (2..=6).contains(&q.options.len()), "{q:?}");
                    prop_assert!(!q.text.is_empty() && !q.topic.is_empty() && CODES.contains(&q.difficulty.as_str()), "{q:?}");
                }
                let keys: HashSet<String> = back.iter().map(|q| bank::text_key(&q.text)).collect();
                prop_assert_eq!(keys.len(), back.len(), "no duplicates come back");
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }

    #[test]
    fn the_word_layout_reads_back(qs in questions(), style in 0usize..3, nfd in any::<bool>()) {
        let lines = match style {
            0 => docx_bank::layout(&qs, 1),
            s => other_layout(&qs, s == 2),
        };
        let mut text = lines.join("\n");
        if nfd {
            text = unicode_nfd(&text);
        }
        match docx_bank::parse(&text, &HashSet::new(), &[]) {
            Ok(back) => prop_assert_eq!(back, qs),
            Err(e) => prop_assert!(false, "{e:?}\n{text}"),
        }
    }
}

fn look() -> impl Strategy<Value = Look> {
    (any::<bool>(), any::<bool>(), proptest::option::of(prop_oneof![Just("FF0000"), Just("1F3864")]), proptest::option::of(prop_oneof![Just("yellow"), Just("FFFF00")])).prop_map(|(bold, underline, colour, highlight)| Look {
        bold,
        underline,
        colour: colour.map(str::to_string),
        highlight: highlight.map(str::to_string),
    })
}

/// Paragraphs as the DOCX reader gives them: labels like Word's or anything, pieces of any line
/// (line breaks included) in any look.
fn word_paragraph() -> impl Strategy<Value = Paragraph> {
    let label = prop_oneof![Just("Câu 3:".to_string()), Just("B.".to_string()), Just("1.".to_string()), Just("I.".to_string()), Just("\u{301}".to_string()), docx_line()];
    (proptest::option::of((label, look())), proptest::collection::vec((docx_line(), look()), 0..4)).prop_map(|(label, spans)| Paragraph {
        label: label.map(|(text, look)| Span { text, look }),
        spans: spans.into_iter().map(|(text, look)| Span { text, look }).collect(),
    })
}

/// The questions as a Word file's paragraphs without any "Đáp án" line: the correct option
/// singled out by `mark` on its text (or on its letter), the numbers and letters typed or made
/// by Word's numbering (labels); with `everything`, every paragraph carries `mark`.
fn word_paragraphs(qs: &[Question], mark: &Look, on_letter: bool, numbered: bool, everything: bool) -> Vec<Paragraph> {
    let plain = if everything { mark.clone() } else { Look::default() };
    let span = |text: String, look: &Look| Span { text, look: look.clone() };
    let mut out = Vec::new();
    for (i, q) in qs.iter().enumerate() {
        let head = format!("Câu {}:", i + 1);
        out.push(match numbered {
            true => Paragraph { label: Some(span(head, &plain)), spans: vec![span(q.text.clone(), &plain)] },
            false => Paragraph { label: None, spans: vec![span(format!("{head} {}", q.text), &plain)] },
        });
        for (k, o) in q.options.iter().enumerate() {
            let marked = k == q.correct;
            let letter_look = if marked && on_letter { mark } else { &plain };
            let text_look = if marked && !on_letter { mark } else { &plain };
            let letter = format!("{}.", docx_bank::letter(k));
            out.push(match numbered {
                true => Paragraph { label: Some(span(letter, letter_look)), spans: vec![span(o.clone(), text_look)] },
                false => Paragraph { label: None, spans: vec![span(format!("{letter} "), letter_look), span(o.clone(), text_look)] },
            });
        }
        // The rest of the layout after the answer line: explanation, topic, difficulty, source.
        let rest = docx_bank::layout(std::slice::from_ref(q), i + 1);
        out.extend(rest.into_iter().skip(q.options.len() + 2).map(|l| Paragraph { label: None, spans: vec![span(l, &plain)] }));
    }
    out
}

fn marking_look() -> impl Strategy<Value = Look> {
    prop_oneof![
        Just(Look { bold: true, ..Look::default() }),
        Just(Look { underline: true, ..Look::default() }),
        Just(Look { colour: Some("FF0000".into()), ..Look::default() }),
        Just(Look { highlight: Some("yellow".into()), ..Look::default() }),
        Just(Look { bold: true, colour: Some("C00000".into()), ..Look::default() }),
    ]
}

proptest! {
    #[test]
    fn the_word_reader_takes_any_paragraphs_and_imports_all_or_nothing(paragraphs in proptest::collection::vec(word_paragraph(), 0..40)) {
        match docx_bank::parse_paragraphs(&paragraphs, &HashSet::new(), &[]) {
            Ok(qs) => {
                prop_assert!(!qs.is_empty());
                for q in &qs {
                    prop_assert!(q.correct < q.options.len() && (2..=6).contains(&q.options.len()), "{q:?}");
                    prop_assert!(!q.text.is_empty() && !q.topic.is_empty() && CODES.contains(&q.difficulty.as_str()), "{q:?}");
                }
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }

    #[test]
    fn formatting_and_numbering_read_back(qs in questions(), mark in marking_look(), on_letter in any::<bool>(), numbered in any::<bool>()) {
        let paragraphs = word_paragraphs(&qs, &mark, on_letter, numbered, false);
        match docx_bank::parse_paragraphs(&paragraphs, &HashSet::new(), &[]) {
            Ok(back) => prop_assert_eq!(back, qs),
            Err(e) => prop_assert!(false, "{e:?}\n{paragraphs:?}"),
        }
    }

    #[test]
    fn formatting_on_every_paragraph_marks_nothing(qs in questions(), mark in marking_look(), numbered in any::<bool>()) {
        let paragraphs = word_paragraphs(&qs, &mark, false, numbered, true);
        let errors = docx_bank::parse_paragraphs(&paragraphs, &HashSet::new(), &[]).unwrap_err();
        prop_assert_eq!(errors.len(), qs.len());
        prop_assert!(errors.iter().all(|e| e.message == contests::msg::DOCX_ANSWER_MISSING), "{errors:?}");
    }
}

/// Some letters decomposed (NFD), as some converters write them; the reader makes them NFC.
fn unicode_nfd(s: &str) -> String {
    const PAIRS: [(char, &str); 6] = [('ả', "a\u{309}"), ('ệ', "e\u{323}\u{302}"), ('ố', "o\u{302}\u{301}"), ('Â', "A\u{302}"), ('ư', "u\u{31b}"), ('à', "a\u{300}")];
    s.chars().map(|c| PAIRS.iter().find(|p| p.0 == c).map_or_else(|| c.to_string(), |p| p.1.to_string())).collect()
}
