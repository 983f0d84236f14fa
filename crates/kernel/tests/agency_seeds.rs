//! Every agency name and agency list written in the five seed plans (tests/fixtures/seeds) must be
//! recognised by the built-in agency matcher; sentences that are not agencies must not be.

use std::path::PathBuf;
use std::sync::OnceLock;

use kernel::agency::{AgencyMatch, AgencyMatcher, MatchHow};
use proptest::prelude::*;

const NAMES: &str = include_str!("../data/seed_agency_names.txt");
const LISTS: &str = include_str!("../data/seed_agency_lists.txt");

/// One matcher for the whole test binary (proptest calls this for every case).
fn matcher() -> &'static AgencyMatcher {
    static MATCHER: OnceLock<AgencyMatcher> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let m = AgencyMatcher::builtin();
        assert!(m.is_ok(), "built-in agency catalogue does not load: {m:?}");
        m.unwrap_or_else(|_| AgencyMatcher::new(Vec::new()))
    })
}

/// Seed text as the fixtures quote it: NFC, markdown emphasis removed, whitespace collapsed.
fn normalise(s: &str) -> String {
    let s: String = text_vi::nfc(s)
        .chars()
        .map(|c| if matches!(c, '*' | '_') { ' ' } else { c })
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn seeds() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir);
    assert!(
        entries.is_ok(),
        "cannot read {}: {entries:?}",
        dir.display()
    );
    for entry in entries.into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path);
            assert!(text.is_ok(), "cannot read {}: {text:?}", path.display());
            out.push((
                path.display().to_string(),
                normalise(&text.unwrap_or_default()),
            ));
        }
    }
    assert_eq!(
        out.len(),
        5,
        "expected the five seed plans in {}",
        dir.display()
    );
    out
}

/// (line number, written, expected) of a fixture, comments and blank lines skipped.
fn fixture(text: &str) -> Vec<(usize, String, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let split = l.split_once('\t');
            assert!(split.is_some(), "fixture line {} has no TAB: {l:?}", i + 1);
            let (w, e) = split.unwrap_or_default();
            (i + 1, w.to_string(), e.trim().to_string())
        })
        .collect()
}

fn describe(m: &AgencyMatch) -> String {
    match m {
        AgencyMatch::Matched { key, how, .. } => format!("{key} ({how:?})"),
        AgencyMatch::Unmatched { written } => format!("Unmatched({written:?})"),
    }
}

#[test]
fn fixture_names_are_quoted_from_the_seeds() {
    let seeds = seeds();
    let mut missing = Vec::new();
    for (line, written, _) in fixture(NAMES).into_iter().chain(fixture(LISTS)) {
        let needle = normalise(&written);
        if !seeds.iter().any(|(_, text)| text.contains(&needle)) {
            missing.push(format!("line {line}: {written:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "fixture entries not found in any seed plan:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_seed_agency_name_matches_its_key() {
    let m = matcher();
    let names = fixture(NAMES);
    assert!(names.len() >= 200, "only {} seed names", names.len());
    let mut failures = Vec::new();
    for (line, written, expected) in &names {
        let got = m.match_name(written);
        if got.key() != Some(expected.as_str()) {
            failures.push(format!(
                "line {line}: {written:?} → {} (expected {expected})",
                describe(&got)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} seed names failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

#[test]
fn every_seed_agency_list_splits_into_its_keys() {
    let m = matcher();
    let lists = fixture(LISTS);
    assert!(lists.len() >= 60, "only {} seed lists", lists.len());
    let mut failures = Vec::new();
    for (line, written, expected) in &lists {
        let got = m.match_list(written);
        let got_keys: Vec<&str> = got.iter().map(|g| g.key().unwrap_or("?")).collect();
        let expected: Vec<&str> = expected.split_whitespace().collect();
        if got_keys != expected {
            let got: Vec<String> = got.iter().map(describe).collect();
            failures.push(format!(
                "line {line}: {written:?}\n   got      {}\n   expected {}",
                got.join(", "),
                expected.join(" ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} seed lists failed:\n{}",
        failures.len(),
        lists.len(),
        failures.join("\n")
    );
}

const NOT_AGENCIES: &[&str] = &[
    "Tổ chức các hoạt động hưởng ứng Ngày Pháp luật",
    "Năm 2024",
    "Thường xuyên",
    "thường xuyên",
    "Hàng năm",
    "Quý IV năm 2024",
    "Thời gian thực hiện: Hàng năm.",
    "Theo hướng dẫn của Trung ương",
    "Lưu: VT.",
    "Lưu VT, NC (TT-Th)",
    "KẾ HOẠCH",
    "BÁO CÁO",
    "Báo cáo kết quả thực hiện",
    "Kế hoạch; Công văn; tài liệu, lớp tập huấn được tổ chức; báo cáo",
    "Sở Tư pháp chủ trì, phối hợp với các cơ quan, đơn vị có liên quan",
    "Phát huy vai trò của Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức thành viên của Mặt trận trong công tác PBGDPL",
    "Tổ chức tập huấn nghiệp vụ đánh giá, công nhận xã, phường, thị trấn đạt chuẩn tiếp cận pháp luật",
    "Bến Tre, ngày 17 tháng 11 năm 2020",
    "Trần Tuệ Hiền",
    "Nguyễn Văn Đức",
    "Đơn vị chủ trì:",
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "Công an",
    "Báo",
    "Sở",
    "các",
    "Chủ tịch",
    "Giám đốc Sở",
    "Thủ trưởng",
    "Việt Nam",
    "Bình Phước",
    "tỉnh Lạng Sơn",
    "huyện Sơn Động",
    "Trung ương",
    "Sở Tư pháp huyện Sơn Động",
    "Công an tỉnh 2024",
    "",
    "   ",
    "./.",
];

#[test]
fn sentences_are_not_agencies() {
    let m = matcher();
    let matched: Vec<String> = NOT_AGENCIES
        .iter()
        .filter_map(|s| {
            let got = m.match_name(s);
            got.is_matched()
                .then(|| format!("{s:?} → {}", describe(&got)))
        })
        .collect();
    assert!(
        matched.is_empty(),
        "non-agencies matched:\n{}",
        matched.join("\n")
    );
}

#[test]
fn lists_without_agencies_have_no_matches() {
    let m = matcher();
    for s in ["Lưu: VT.", "Thời gian thực hiện: Năm 2024.", "Năm 2022", ""] {
        let got = m.match_list(s);
        assert!(got.iter().all(|g| !g.is_matched()), "{s:?} → {got:?}");
    }
    assert!(m.match_list("").is_empty());
    assert!(m.match_list("chủ trì, phối hợp với").is_empty());
}

#[test]
fn places_roles_and_trailing_groups() {
    let m = matcher();
    let cases = [
        (
            "Sở Tư pháp tỉnh Bình Phước",
            "kind:justice_department",
            MatchHow::StrippedPlace,
        ),
        (
            "Công an huyện Sơn Động",
            "kind:district_police",
            MatchHow::StrippedPlace,
        ),
        (
            "UBND xã An Châu",
            "kind:commune_people_committee",
            MatchHow::StrippedPlace,
        ),
        (
            "Ủy ban nhân dân phường Ba Đình",
            "kind:commune_people_committee",
            MatchHow::StrippedPlace,
        ),
        (
            "Ủy ban nhân dân thành phố Hà Nội",
            "kind:provincial_people_committee",
            MatchHow::StrippedPlace,
        ),
        (
            "Công an xã An Châu",
            "kind:commune_police",
            MatchHow::StrippedPlace,
        ),
        (
            "Hội Nông dân huyện Sơn Động",
            "kind:district_farmers_union",
            MatchHow::StrippedPlace,
        ),
        (
            "Giám đốc Sở Tư pháp",
            "kind:justice_department",
            MatchHow::Alias,
        ),
        (
            "Phó Giám đốc Sở Tư pháp",
            "kind:justice_department",
            MatchHow::Folded,
        ),
        (
            "Chủ tịch UBND các huyện",
            "group:district_people_committees",
            MatchHow::Folded,
        ),
        (
            "các sở, ban, ngành, đoàn thể tỉnh",
            "group:provincial_departments_and_unions",
            MatchHow::Folded,
        ),
        ("Sở Tư pháp", "kind:justice_department", MatchHow::Exact),
        ("STP", "kind:justice_department", MatchHow::Alias),
        (
            "Sở TT&TT",
            "kind:information_communications_department",
            MatchHow::Alias,
        ),
        (
            "Sở Khoa học và Công nghệ",
            "kind:science_technology_department",
            MatchHow::Exact,
        ),
        (
            "Sở Nông nghiệp và Môi trường",
            "kind:agriculture_environment_department",
            MatchHow::Exact,
        ),
        (
            "MTTQVN",
            "kind:provincial_front_committee",
            MatchHow::Folded,
        ),
        (
            "UBMTTQ",
            "kind:provincial_front_committee",
            MatchHow::Folded,
        ),
        (
            "Ủy ban MTTQ Việt Nam tỉnh",
            "kind:provincial_front_committee",
            MatchHow::Alias,
        ),
        ("Đài PT-TH", "kind:provincial_radio_tv", MatchHow::Alias),
        ("Tỉnh Đoàn", "kind:provincial_youth_union", MatchHow::Alias),
        ("Hội LHPN", "kind:provincial_womens_union", MatchHow::Alias),
        ("CA tỉnh", "kind:provincial_police", MatchHow::Alias),
        (
            "UBND các xã, phường, đặc khu",
            "group:commune_people_committees",
            MatchHow::Exact,
        ),
        (
            "Văn phòng HĐND và UBND xã",
            "kind:commune_pc_office",
            MatchHow::Exact,
        ),
        (
            "công chức Tư pháp - Hộ tịch",
            "kind:commune_justice_officer",
            MatchHow::Folded,
        ),
        ("tổ hòa giải", "kind:mediation_team", MatchHow::Folded),
        (
            "Tổ hòa giải thôn Đồng Bục",
            "kind:mediation_team",
            MatchHow::StrippedPlace,
        ),
        (
            "Trung tâm Văn hóa - Thể thao huyện",
            "kind:district_culture_sports_center",
            MatchHow::Exact,
        ),
        (
            "Sở Văn hóa, Thể thao và Du lịch:",
            "kind:culture_sports_tourism_department",
            MatchHow::Exact,
        ),
        (
            "Sở Văn hoá, Thể thao và Du lịch",
            "kind:culture_sports_tourism_department",
            MatchHow::Exact,
        ),
        ("SỞ TƯ PHÁP", "kind:justice_department", MatchHow::Folded),
    ];
    for (written, key, how) in cases {
        let got = m.match_name(written);
        assert_eq!(
            (got.key(), got.how()),
            (Some(key), Some(how)),
            "{written:?} → {got:?}"
        );
    }
    let got = m.match_name("Sở Tư pháp tỉnh Bình Phước");
    assert!(
        matches!(got, AgencyMatch::Matched { place: Some(ref p), .. } if p == "tỉnh Bình Phước"),
        "{got:?}"
    );
}

#[test]
fn list_splits_trailing_phrases_and_keeps_commas_inside_names() {
    let m = matcher();
    let keys = |s: &str| -> Vec<String> {
        m.match_list(s)
            .iter()
            .map(|g| g.key().unwrap_or("?").to_string())
            .collect()
    };
    assert_eq!(
        keys("Sở Tư pháp, Công an tỉnh; UBND các huyện, thành phố"),
        [
            "kind:justice_department",
            "kind:provincial_police",
            "group:district_people_committees"
        ]
    );
    assert_eq!(
        keys("Sở Văn hóa, Thể thao và Du lịch và các cơ quan, đơn vị có liên quan"),
        [
            "kind:culture_sports_tourism_department",
            "group:related_agencies"
        ]
    );
    assert_eq!(
        keys("HĐND, UBND huyện"),
        [
            "kind:district_people_council",
            "kind:district_people_committee"
        ]
    );
    assert_eq!(
        keys("HĐND, UBND tỉnh"),
        [
            "kind:provincial_people_council",
            "kind:provincial_people_committee"
        ]
    );
    assert_eq!(
        keys("Sở Tư pháp tỉnh Bình Phước, Báo Bình Phước"),
        ["kind:justice_department", "kind:provincial_newspaper"]
    );
    assert_eq!(keys("Sở Tư pháp chủ trì"), ["kind:justice_department"]);
    let got = m.match_list("Công an tỉnh là cơ quan đầu mối, tham mưu UBND tỉnh");
    assert_eq!(
        got.first().and_then(AgencyMatch::key),
        Some("kind:provincial_police")
    );
    assert_eq!(
        got.last().and_then(AgencyMatch::key),
        Some("kind:provincial_people_committee")
    );
    assert!(got.iter().any(
        |g| matches!(g, AgencyMatch::Unmatched { written } if written == "là cơ quan đầu mối")
    ));
}

/// Decomposes Vietnamese letters (NFD) using only `text_vi::nfc`: every precomposed letter is
/// found by composing a base letter with combining marks.
fn nfd(s: &str) -> String {
    let bases = ['a', 'e', 'i', 'o', 'u', 'y', 'A', 'E', 'I', 'O', 'U', 'Y'];
    let quality = ["", "\u{0306}", "\u{0302}", "\u{031B}"];
    let tones = [
        "", "\u{0300}", "\u{0301}", "\u{0309}", "\u{0303}", "\u{0323}",
    ];
    let mut table = std::collections::HashMap::new();
    for b in bases {
        for q in quality {
            for t in tones {
                let decomposed = format!("{b}{q}{t}");
                let composed = text_vi::nfc(&decomposed);
                let mut chars = composed.chars();
                if let (Some(c), None) = (chars.next(), chars.next())
                    && !decomposed.chars().eq(std::iter::once(c))
                {
                    table.insert(c, decomposed);
                }
            }
        }
    }
    s.chars()
        .map(|c| table.get(&c).cloned().unwrap_or_else(|| c.to_string()))
        .collect()
}

/// Swaps old- and new-style tone placement: hoà ↔ hòa, uỷ ↔ ủy, khoẻ ↔ khỏe.
fn swap_tones(s: &str) -> String {
    const PAIRS: [(&str, &str); 30] = [
        ("oà", "òa"),
        ("oá", "óa"),
        ("oả", "ỏa"),
        ("oã", "õa"),
        ("oạ", "ọa"),
        ("oè", "òe"),
        ("oé", "óe"),
        ("oẻ", "ỏe"),
        ("oẽ", "õe"),
        ("oẹ", "ọe"),
        ("uỳ", "ùy"),
        ("uý", "úy"),
        ("uỷ", "ủy"),
        ("uỹ", "ũy"),
        ("uỵ", "ụy"),
        ("Oà", "Òa"),
        ("Oá", "Óa"),
        ("Oả", "Ỏa"),
        ("Oã", "Õa"),
        ("Oạ", "Ọa"),
        ("Oè", "Òe"),
        ("Oé", "Óe"),
        ("Oẻ", "Ỏe"),
        ("Oẽ", "Õe"),
        ("Oẹ", "Ọe"),
        ("Uỳ", "Ùy"),
        ("Uý", "Úy"),
        ("Uỷ", "Ủy"),
        ("Uỹ", "Ũy"),
        ("Uỵ", "Ụy"),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    'outer: while !rest.is_empty() {
        for (a, b) in PAIRS {
            for (from, to) in [(a, b), (b, a)] {
                if let Some(tail) = rest.strip_prefix(from) {
                    out.push_str(to);
                    rest = tail;
                    continue 'outer;
                }
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// What must not change: the key and how (and for lists, the sequence of keys).
fn projection(m: &AgencyMatch) -> (Option<String>, Option<MatchHow>) {
    (m.key().map(str::to_string), m.how())
}

fn seed_strings() -> Vec<String> {
    fixture(NAMES)
        .into_iter()
        .chain(fixture(LISTS))
        .map(|(_, w, _)| w)
        .collect()
}

#[test]
fn nfd_and_tone_swaps_of_every_seed_name_match_alike() {
    let m = matcher();
    assert_ne!(nfd("Hòa"), "Hòa");
    assert_eq!(text_vi::nfc(&nfd("Hòa Ủy")), "Hòa Ủy");
    assert_eq!(swap_tones("Hòa giải, Uỷ ban"), "Hoà giải, Ủy ban");
    for s in seed_strings() {
        let base = projection(&m.match_name(&s));
        assert_eq!(projection(&m.match_name(&nfd(&s))), base, "NFD of {s:?}");
        assert_eq!(
            projection(&m.match_name(&swap_tones(&s))),
            base,
            "tone swap of {s:?}"
        );
        let list: Vec<_> = m.match_list(&s).iter().map(projection).collect();
        let swapped: Vec<_> = m
            .match_list(&swap_tones(&s))
            .iter()
            .map(projection)
            .collect();
        assert_eq!(swapped, list, "tone swap of list {s:?}");
    }
}

fn vietnamese_text() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Sở", "Tư", "pháp", "Ủy", "Uỷ", "ban", "nhân", "dân", "tỉnh", "huyện", "xã", "các", "và",
        "hòa", "hoà", "giải", "UBND", "HĐND", "MTTQ", "Công", "an", "Bình", "Phước", "Hội", "đồng",
        "phối", "hợp", "PBGDPL", ",", ";", ":", "(", ")", "-", "–", "&", ".", "Báo", "Đài",
        "thành", "phố", "thị", "trấn", "Giám", "đốc", "Chủ", "tịch", "2024", "a)", "\u{0301}",
        "\u{0323}", "Thuỷ", "Thủy", "Khoẻ", "đoàn", "Tỉnh", "\n", "*", "cấp", "Việt", "Nam", "Mặt",
        "trận",
    ]);
    prop::collection::vec(words, 0..14).prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn match_name_and_list_never_panic(s in ".{0,80}") {
        let m = matcher();
        let _ = m.match_name(&s);
        let _ = m.match_list(&s);
    }

    #[test]
    fn matching_is_invariant_under_nfd_and_tone_placement(s in vietnamese_text()) {
        let m = matcher();
        let base = projection(&m.match_name(&s));
        prop_assert_eq!(projection(&m.match_name(&nfd(&s))), base.clone());
        prop_assert_eq!(projection(&m.match_name(&swap_tones(&s))), base);
        let list: Vec<_> = m.match_list(&s).iter().map(projection).collect();
        let nfd_list: Vec<_> = m.match_list(&nfd(&s)).iter().map(projection).collect();
        let swapped: Vec<_> = m.match_list(&swap_tones(&s)).iter().map(projection).collect();
        prop_assert_eq!(&nfd_list, &list);
        prop_assert_eq!(&swapped, &list);
    }

    #[test]
    fn seed_names_survive_extra_spaces_and_punctuation(i in 0usize..200, pad in "[ ]{1,3}", tail in prop::sample::select(vec!["", ":", ";", ".", " ."])) {
        let m = matcher();
        let names = fixture(NAMES);
        let (_, written, expected) = &names[i % names.len()];
        let spaced = format!("{pad}{}{tail}{pad}", written.replace(' ', &pad));
        let got = m.match_name(&spaced);
        prop_assert_eq!(got.key(), Some(expected.as_str()));
    }
}
