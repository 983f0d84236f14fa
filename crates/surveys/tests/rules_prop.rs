//! Property tests of the survey rules: answer validation never panics and accepts exactly the
//! answers it should (required only when shown, hidden answers dropped), and the CSV and XLSX
//! exports of random responses have one row per response and the same columns every time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use surveys::rules::definition::Question;
use surveys::rules::export;
use surveys::rules::{Answer, Condition, Definition, QuestionKind, RawAnswers, SATISFACTION_LEVELS, validate};

fn q(key: &str, kind: QuestionKind, required: bool, options: &[&str], show_if: Option<Condition>) -> Question {
    Question {
        key: key.into(), text: format!("Câu {key}"), help: String::new(), kind, required,
        options: options.iter().map(|s| s.to_string()).collect(), min: Some(0.0), max: Some(100.0), show_if,
    }
}

/// kind (required) → n (required, only when kind = B) ; t ; m ; s (required, only when m has y) ; d
fn def() -> Definition {
    Definition { questions: vec![
        q("kind", QuestionKind::SingleChoice, true, &["A", "B", "C"], None),
        q("n", QuestionKind::Number, true, &[], Some(Condition::Equals { key: "kind".into(), option: "B".into() })),
        q("t", QuestionKind::ShortText, false, &[], None),
        q("m", QuestionKind::MultipleChoice, false, &["x", "y", "z"], None),
        q("s", QuestionKind::Satisfaction, true, &[], Some(Condition::Includes { key: "m".into(), option: "y".into() })),
        q("d", QuestionKind::Date, false, &[], None),
    ] }
}

/// What the generator put in a field.
#[derive(Clone, Debug, PartialEq)]
enum Fill {
    Missing,
    Valid(Vec<String>),
    Invalid(Vec<String>),
}

fn fill(valid: BoxedStrategy<Vec<String>>, invalid: BoxedStrategy<Vec<String>>) -> BoxedStrategy<Fill> {
    prop_oneof![Just(Fill::Missing), valid.prop_map(Fill::Valid), invalid.prop_map(Fill::Invalid)].boxed()
}

fn one(s: impl Strategy<Value = String> + 'static) -> BoxedStrategy<Vec<String>> {
    s.prop_map(|v| vec![v]).boxed()
}

fn fills() -> impl Strategy<Value = Vec<Fill>> {
    (
        fill(one(prop_oneof![Just("A".to_string()), Just("B".to_string()), Just("C".to_string())]), one(Just("D".to_string()))),
        fill(one((0u32..=100).prop_map(|n| n.to_string())), one(prop_oneof![Just("abc".to_string()), Just("200".to_string()), Just("-1".to_string())])),
        fill(one("[a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ ]{1,300}".prop_filter("not blank", |s| !s.trim().is_empty())), one("[a-z]{301,320}")),
        fill(
            proptest::sample::subsequence(vec!["x".to_string(), "y".to_string(), "z".to_string()], 1..=3).boxed(),
            proptest::sample::subsequence(vec!["x".to_string(), "w".to_string()], 2).boxed(),
        ),
        fill(one(proptest::sample::select(SATISFACTION_LEVELS.to_vec()).prop_map(str::to_string)), one(Just("Tạm được".to_string()))),
        fill(one((1u32..=28, 1u32..=12, 2000i32..2030).prop_map(|(d, m, y)| format!("{d:02}/{m:02}/{y}"))), one(Just("31/02/2026".to_string()))),
    )
        .prop_map(|(a, b, c, d, e, f)| vec![a, b, c, d, e, f])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever is typed under whatever key, validation answers without panicking, and every
    /// error names a question of the survey.
    #[test]
    fn validation_never_panics(raw in proptest::collection::btree_map("[a-z_]{1,8}", proptest::collection::vec("\\PC{0,40}", 0..4), 0..10)) {
        let d = def();
        if let Err(errors) = validate(&d, &raw) {
            for k in errors.keys() {
                prop_assert!(d.question(k).is_some());
            }
        }
    }

    /// Validation accepts exactly when every shown question is valid or (if optional) missing;
    /// the accepted answers are those of shown, filled questions, and nothing else.
    #[test]
    fn validation_accepts_exactly_what_it_should(fs in fills()) {
        let d = def();
        let mut raw = RawAnswers::new();
        for (qq, f) in d.questions.iter().zip(&fs) {
            if let Fill::Valid(v) | Fill::Invalid(v) = f {
                raw.insert(qq.key.clone(), v.clone());
            }
        }
        let valid = |i: usize| matches!(&fs[i], Fill::Valid(_));
        let value = |i: usize| match &fs[i] { Fill::Valid(v) => v.clone(), _ => Vec::new() };
        let shown = [
            true,
            valid(0) && value(0) == ["B"],
            true,
            true,
            valid(3) && value(3).contains(&"y".to_string()),
            true,
        ];
        let expect_ok = d.questions.iter().enumerate().all(|(i, qq)| {
            !shown[i] || match &fs[i] { Fill::Invalid(_) => false, Fill::Missing => !qq.required, Fill::Valid(_) => true }
        });
        let got = validate(&d, &raw);
        prop_assert_eq!(got.is_ok(), expect_ok, "{:?} → {:?}", fs, got);
        if let Ok(answers) = got {
            let expected: BTreeSet<String> = d.questions.iter().enumerate().filter(|(i, _)| shown[*i] && valid(*i)).map(|(_, qq)| qq.key.clone()).collect();
            prop_assert_eq!(answers.keys().cloned().collect::<BTreeSet<_>>(), expected);
        }
    }
}

fn random_answers() -> impl Strategy<Value = Vec<Vec<(String, Answer)>>> {
    let answer = prop_oneof![
        (-1.0e6f64..1.0e6).prop_map(Answer::Number),
        "\\PC{0,30}".prop_map(Answer::Text),
        proptest::collection::vec("[a-z]{1,5}", 0..3).prop_map(Answer::Choices),
    ];
    proptest::collection::vec(proptest::collection::vec(("[a-e]", answer), 0..6), 0..60)
}

fn versions() -> (Definition, Definition) {
    let v1 = Definition { questions: vec![
        q("a", QuestionKind::ShortText, false, &[], None),
        q("b", QuestionKind::Number, false, &[], None),
        q("c", QuestionKind::MultipleChoice, false, &["x", "y"], None),
    ] };
    let v2 = Definition { questions: vec![
        q("d", QuestionKind::LongText, false, &[], None),
        q("a", QuestionKind::ShortText, false, &[], None),
        q("e", QuestionKind::Satisfaction, false, &[], None),
    ] };
    (v1, v2)
}

fn rows(resps: &[Vec<(String, Answer)>]) -> Vec<surveys::store::ResponseRow> {
    resps.iter().enumerate().map(|(i, r)| surveys::store::ResponseRow {
        id: i as i64 + 1, survey_id: 1, version: 1 + (i % 2) as i64, unit_id: None, unit_name: Some("Phường Đông Kinh".into()),
        channel: if i % 3 == 0 { "paper".into() } else { "online".into() },
        answers: serde_json::to_string(&r.iter().cloned().collect::<surveys::rules::Answers>()).unwrap(),
        contact: None, created_at: chrono::Utc::now(),
    }).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// CSV and XLSX of random responses: a header and one row per response, every row as wide
    /// as the header, and the columns those of the keys of every version, in a fixed order.
    #[test]
    fn exports_have_one_row_per_response_and_stable_columns(resps in random_answers(), contacts in any::<bool>()) {
        let (v1, v2) = versions();
        let cols = export::columns(&[&v1, &v2]);
        prop_assert_eq!(cols.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["a", "b", "c", "d", "e"]);
        let rows = rows(&resps);
        let header = surveys::export::headers(&cols, contacts);
        prop_assert_eq!(header.len(), 5 + usize::from(contacts) + 5);

        // CSV: parse back honouring quotes.
        let mut csv = export::csv_line(header.iter().map(String::as_str));
        csv.push_str(&surveys::export::csv_chunk(&cols, &rows, contacts));
        let records = parse_csv(&csv);
        prop_assert_eq!(records.len(), rows.len() + 1);
        for r in &records {
            prop_assert_eq!(r.len(), header.len());
        }
        prop_assert_eq!(&records[0], &header);

        // XLSX in pages of 7 rows, read back.
        let mut pages: Vec<Vec<surveys::store::ResponseRow>> = rows.chunks(7).map(|c| c.to_vec()).collect();
        pages.reverse();
        let mut buf = Vec::new();
        let n = surveys::export::xlsx_from_pages(&cols, contacts, || Ok(pages.pop().unwrap_or_default()), &mut buf).unwrap();
        prop_assert_eq!(n as usize, rows.len());
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(buf)).unwrap();
        let range = wb.worksheet_range_at(0).unwrap().unwrap();
        prop_assert_eq!(range.height(), rows.len() + 1);
        let head: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        prop_assert_eq!(head, header);
    }
}

/// A minimal RFC 4180 reader for the test.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rec = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => rec.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                rec.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut rec));
            }
            (false, c) => field.push(c),
        }
    }
    out
}
