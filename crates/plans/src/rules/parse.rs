//! The plan parser: lines → paragraphs → outline items → tasks.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::timeframe::{fold_chars, parse_timeframe};
use super::{Plan, PlanError, ReportDeadline, Section, Task};
use kernel::agency::{AgencyMatch, AgencyMatcher};

const ROMANS: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

fn folded(s: &str) -> String {
    fold_chars(s).into_iter().collect()
}

/// Byte offset in `s` of the char at index `ci`.
fn byte_at(s: &str, ci: usize) -> usize {
    s.char_indices().nth(ci).map_or(s.len(), |(b, _)| b)
}

/// Finds folded `needle` as a whole-word phrase in `s`; returns the byte range in `s`.
fn find_phrase(s: &str, needle: &str, from_char: usize) -> Option<(usize, usize)> {
    find_phrase_in(s, &fold_chars(s), needle, from_char)
}

/// [`find_phrase`] over `f`, the folded characters of `s` computed once by the caller (the
/// scans below look for many phrases in the same text).
fn find_phrase_in(s: &str, f: &[char], needle: &str, from_char: usize) -> Option<(usize, usize)> {
    let n: Vec<char> = needle.chars().collect();
    if n.is_empty() || f.len() < n.len() {
        return None;
    }
    for i in from_char..=(f.len() - n.len()) {
        if f.get(i..i + n.len()) == Some(&n[..])
            && (i == 0 || !f.get(i - 1).is_some_and(|c| c.is_alphanumeric()))
            && !f.get(i + n.len()).is_some_and(|c| c.is_alphanumeric())
        {
            return Some((byte_at(s, i), byte_at(s, i + n.len())));
        }
    }
    None
}

/// The first `n` chars of `s`: leads and agency lists sit at the start of a sentence, and
/// capping keeps the scans linear on pathological input.
fn head(s: &str, n: usize) -> &str {
    &s[..byte_at(s, n).min(s.len())]
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cleans one raw line: markdown emphasis and headings, footnote marks, table bars.
/// Returns None for a blank or separator line, Some("") never.
fn clean_line(raw: &str) -> Option<String> {
    let mut s = raw.replace(['\u{a0}', '\t', '\r'], " ");
    if s.trim_start().starts_with("<sup>") {
        return None;
    }
    while let Some(a) = s.find("<sup>") {
        let end = s[a..]
            .find("</sup>")
            .map_or(s.len(), |e| a + e + "</sup>".len());
        s.replace_range(a..end, "");
    }
    s = s.replace('*', "");
    // Footnote references "[1]".
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(a) = rest.find('[') {
        out.push_str(&rest[..a]);
        let after = &rest[a + 1..];
        let nd = after.chars().take_while(char::is_ascii_digit).count();
        if nd > 0 && after[nd..].starts_with(']') {
            rest = &after[nd + 1..];
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    let t = out.trim().trim_start_matches('#').trim();
    let t = collapse(t);
    if t.is_empty()
        || t.chars()
            .all(|c| matches!(c, '|' | '-' | '_' | '=' | '—' | '–'))
    {
        return None;
    }
    Some(t)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mk {
    Roman,
    Num(usize),
    Letter,
    Bullet,
}

/// (kind, marker as written, label for the path, rest).
fn marker(p: &str) -> Option<(Mk, String, String, String)> {
    let word_end = p.find(' ').unwrap_or(p.len());
    let first = &p[..word_end];
    let rest = p[word_end..].trim().to_string();
    if let Some(r) = first.strip_suffix('.')
        && ROMANS.contains(&r)
    {
        return Some((Mk::Roman, first.to_string(), r.to_string(), rest));
    }
    // Numbers: "1.", "1.1.", "1.1", "2.10."
    let trimmed = first.strip_suffix('.').unwrap_or(first);
    let parts: Vec<&str> = trimmed.split('.').collect();
    if !trimmed.is_empty()
        && parts
            .iter()
            .all(|x| !x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit()))
        && (parts.len() > 1 || first.ends_with('.'))
    {
        return Some((
            Mk::Num(parts.len()),
            first.to_string(),
            parts.join("."),
            rest,
        ));
    }
    let mut cs = first.chars();
    if let (Some(l), Some(')'), None) = (cs.next(), cs.next(), cs.next())
        && (l.is_ascii_lowercase() || l == 'đ')
    {
        return Some((Mk::Letter, first.to_string(), l.to_string(), rest));
    }
    if matches!(first, "-" | "+" | "•" | "–" | "·") {
        return Some((Mk::Bullet, first.to_string(), String::new(), rest));
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Lead,
    Performers,
    Coordinating,
    Time,
    Form,
    Products,
    Funding,
}

const LABELS: [(&str, Field); 24] = [
    ("co quan, don vi chu tri thuc hien", Field::Lead),
    ("co quan, don vi chu tri", Field::Lead),
    ("co quan, don vi thuc hien", Field::Lead),
    ("co quan chu tri thuc hien", Field::Lead),
    ("co quan chu tri", Field::Lead),
    ("don vi chu tri", Field::Lead),
    ("chu tri thuc hien", Field::Lead),
    ("co quan thuc hien", Field::Lead),
    ("don vi thuc hien", Field::Lead),
    ("chu tri", Field::Lead),
    ("thuc hien", Field::Performers),
    ("co quan, don vi phoi hop thuc hien", Field::Coordinating),
    ("co quan, don vi phoi hop", Field::Coordinating),
    ("co quan phoi hop", Field::Coordinating),
    ("don vi phoi hop", Field::Coordinating),
    ("phoi hop thuc hien", Field::Coordinating),
    ("phoi hop", Field::Coordinating),
    ("hinh thuc thuc hien", Field::Form),
    ("hinh thuc to chuc", Field::Form),
    ("hinh thuc", Field::Form),
    ("san pham", Field::Products),
    ("kinh phi thuc hien", Field::Funding),
    ("kinh phi", Field::Funding),
    ("thoi gian", Field::Time),
];

/// "Thời gian thực hiện: Năm 2024." → (Time, "Năm 2024").
fn field(text: &str) -> Option<(Field, String)> {
    let f = folded(text);
    let colon = text.find(':')?;
    let colon_chars = text[..colon].chars().count();
    for (label, kind) in LABELS {
        if !f.starts_with(label) {
            continue;
        }
        let after = label.chars().count();
        let ok = if kind == Field::Time {
            // "Thời gian thực hiện", "Thời gian hoàn thành", "Thời gian kiểm tra".
            colon_chars <= after + 16
        } else {
            f.chars()
                .skip(after)
                .take(colon_chars - after.min(colon_chars))
                .all(|c| c == ' ')
                && colon_chars >= after
        };
        if ok {
            let v = text[colon + 1..].trim();
            let v = v.trim_end_matches(['.', ';', ',']).trim();
            return Some((kind, v.to_string()));
        }
    }
    None
}

/// A signing authority line: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. …", "TUQ. …", "Q. …".
fn is_authority(s: &str) -> bool {
    let f = folded(head(s, 8));
    ["tm. ", "kt. ", "tl. ", "tuq. "]
        .iter()
        .any(|a| f.starts_with(a))
        || (f.starts_with("q. ") && is_shouting(s))
}

fn is_shouting(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && s.to_uppercase() == s
}

fn starts_lower(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

/// Lines to paragraphs. Paragraph layout (blank lines between paragraphs): each line is a
/// paragraph, but one starting in lower case continues the previous one. Hard-wrapped layout
/// (Bến Tre: few blank lines, breaks mid-sentence): lines join unless a marker, a field label, a
/// change between capitals and mixed case, or a separator starts a new paragraph.
fn paragraphs(text: &str) -> Vec<String> {
    let lines: Vec<Option<String>> = text.lines().map(clean_line).collect();
    let raw_blank = text.lines().filter(|l| l.trim().is_empty()).count();
    let nonblank = lines.iter().filter(|l| l.is_some()).count();
    let hard = raw_blank * 5 < nonblank;
    let mut out: Vec<String> = Vec::new();
    let mut prev_blank = true;
    let mut prev_shout = false;
    let mut prev_authority = false;
    for (i, line) in lines.iter().enumerate() {
        let Some(line) = line else {
            prev_blank = true;
            continue;
        };
        let is_marker = marker(line).is_some();
        let new = if hard {
            let next = lines.get(i + 1).cloned().flatten().unwrap_or_default();
            let probe = format!("{line} {next}");
            let label = field(&probe).is_some() && field(line).is_none() || field(line).is_some();
            let shout = is_shouting(line);
            let f = folded(line);
            // Bến Tre's layout leaves a paragraph's first word alone on its line ("Thời", "Các").
            let lone_word =
                !line.contains(' ') && line.chars().next().is_some_and(char::is_uppercase);
            // "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH": capitals both, but two lines of the signature.
            let authority = is_authority(line);
            prev_blank
                || authority
                || prev_authority
                || is_marker
                || lone_word
                || label
                || shout != prev_shout
                || f == "ke hoach"
                || f.starts_with("noi nhan")
                || f.starts_with("so:")
                || f.starts_with("so :")
                || is_date_line_alone(line)
        } else {
            !(starts_lower(line) && !is_marker && !out.is_empty())
        };
        prev_shout = is_shouting(line);
        prev_authority = is_authority(line);
        prev_blank = false;
        match out.last_mut() {
            Some(last) if !new => {
                last.push(' ');
                last.push_str(line);
            }
            _ => out.push(line.clone()),
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Ev {
    Desc(String),
    Field(Field, String),
}

#[derive(Debug, Clone)]
struct Item {
    path: String,
    marker: String,
    heading: String,
    kind: Mk,
    parent: Option<usize>,
    task_section: bool,
    events: Vec<Ev>,
    /// The paragraphs under the heading as written, for a section's text.
    body: Vec<String>,
    merged: bool,
}

fn section_has_tasks(heading: &str) -> bool {
    let f = folded(heading);
    !(f.contains("muc dich")
        || f.contains("yeu cau")
        || f.contains("muc tieu")
        || f.contains("quan diem")
        || f.contains("to chuc thuc hien")
        || f.contains("kinh phi")
        || f.contains("che do bao cao"))
}

const VERBS: [&str; 24] = [
    "chiu trach nhiem",
    "can xac dinh",
    "chu tri",
    "to chuc",
    "trien khai",
    "chi dao",
    "thuc hien",
    "phoi hop",
    "tham muu",
    "xay dung",
    "ra soat",
    "tiep tuc",
    "co trach nhiem",
    "huong dan",
    "day manh",
    "tang cuong",
    "nghien cuu",
    "ban hanh",
    "phat huy",
    "kien nghi",
    "chu dong",
    "quan ly",
    "can cu",
    "bo tri",
];

/// First verb position (char index) not preceded by "các" ("các tổ chức thành viên").
/// Scans positions in order and stops at the first verb, so a sentence is read once.
fn first_verb(s: &str) -> Option<usize> {
    static VERB_CHARS: std::sync::OnceLock<Vec<Vec<char>>> = std::sync::OnceLock::new();
    let verbs = VERB_CHARS.get_or_init(|| VERBS.iter().map(|v| v.chars().collect()).collect());
    let f = fold_chars(s);
    for i in 0..f.len() {
        if !f.get(i).is_some_and(|c| c.is_alphanumeric()) || (i > 0 && f.get(i - 1).is_some_and(|c| c.is_alphanumeric())) {
            continue;
        }
        let starts_verb = verbs.iter().any(|v| {
            f.get(i..i + v.len()) == Some(&v[..]) && !f.get(i + v.len()).is_some_and(|c| c.is_alphanumeric())
        });
        if !starts_verb {
            continue;
        }
        let before: String = f.get(..i).map(|x| x.iter().collect()).unwrap_or_default();
        let before = before.trim_end();
        if !(before.ends_with("cac") || before.ends_with("nhung") || before.ends_with("va") || before.ends_with("hoi dong")) {
            return Some(i);
        }
    }
    None
}

const COORD_STOPS: [&str; 12] = [
    "tham muu",
    "to chuc",
    "xay dung",
    "trien khai",
    "nghien cuu",
    "can cu",
    "ra soat",
    "thuc hien",
    "huong dan",
    "de xuat",
    "tong ket",
    "theo doi",
];

/// Cuts a coordinating list at ':' or at the first verb that ends it.
fn cut_coordinating(s: &str) -> String {
    let s = head(s, 600);
    let mut end = s.find(':').unwrap_or(s.len());
    let f = fold_chars(s);
    for v in COORD_STOPS {
        let mut from = 0;
        while let Some((b, _)) = find_phrase_in(s, &f, v, from) {
            let ci = s[..b].chars().count();
            let before: String = f[..ci.min(f.len())].iter().collect();
            let before = before.trim_end();
            let after: String = f[ci.min(f.len())..].iter().collect();
            let noun = [
                "lien quan",
                "co lien quan",
                "thanh vien",
                "chinh tri",
                "xa hoi",
                "huyen",
                "tinh",
            ]
            .iter()
            .any(|n| {
                after
                    .get(v.len()..)
                    .unwrap_or("")
                    .trim_start()
                    .starts_with(n)
            }) || (v == "to chuc"
                && after
                    .get(v.len()..)
                    .unwrap_or("")
                    .trim_start()
                    .starts_with(','));
            if before.ends_with("cac") || before.ends_with("co") || before.is_empty() || noun {
                from = ci + 1;
                continue;
            }
            end = end.min(b);
            break;
        }
    }
    s[..end]
        .trim()
        .trim_end_matches([',', ';', '.', ':'])
        .trim()
        .to_string()
}

/// Splits "X chủ trì, phối hợp với Y" / "X phối hợp Y" / "X chỉ đạo Y".
fn split_lead(s: &str) -> (String, Option<String>) {
    let s = head(s, 1000);
    // "… UBND cấp huyện căn cứ tình hình thực tế …": the rest is no agency.
    let s = match find_phrase(s, "can cu", 0) {
        Some((a, _)) if a > 0 => s[..a].trim().trim_end_matches([',', ';']).trim(),
        _ => s,
    };
    // Not the "phối hợp" of a name: "Hội đồng phối hợp PBGDPL tỉnh".
    let cut_at = |p: &str| {
        let mut from = 0;
        while let Some((a, b)) = find_phrase(s, p, from) {
            if a > 0 && !folded(s[..a].trim_end()).ends_with("hoi dong") {
                return Some((a, b));
            }
            from = s[..a].chars().count() + 1;
        }
        None
    };
    let cut = ["phoi hop voi", "phoi hop", "chi dao"]
        .iter()
        .filter_map(|p| cut_at(p))
        .min_by_key(|&(a, _)| a);
    match cut {
        Some((a, b)) => {
            let mut lead = s[..a]
                .trim()
                .trim_end_matches([',', ';'])
                .trim()
                .to_string();
            if let Some((x, _)) = find_phrase(&lead, "chu tri", 0) {
                lead = lead[..x]
                    .trim()
                    .trim_end_matches([',', ';'])
                    .trim()
                    .to_string();
            }
            let rest = s[b..].trim();
            let rest = rest.strip_prefix("với").unwrap_or(rest).trim();
            (lead, Some(cut_coordinating(rest)))
        }
        None => {
            let mut lead = s.trim().to_string();
            if let Some((x, y)) = find_phrase(&lead, "chu tri", 0)
                && x > 0
                && lead[y..]
                    .trim()
                    .chars()
                    .next()
                    .is_none_or(|c| matches!(c, ',' | ';' | '.'))
            {
                lead = lead[..x]
                    .trim()
                    .trim_end_matches([',', ';'])
                    .trim()
                    .to_string();
            }
            (lead, None)
        }
    }
}

/// A lead named inside a sentence: "Sở Tư pháp chủ trì, phối hợp với …", "c) Sở Thông tin và
/// Truyền thông:", "Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch UBND các huyện … tổ chức …".
fn sentence_lead(matcher: &Matcher<'_>, title: &str) -> Option<(String, Option<String>)> {
    let mut t = head(title, 600).trim();
    for p in ["Đề nghị ", "Giao "] {
        if let Some(r) = t.strip_prefix(p) {
            t = r;
        }
    }
    let accept = |lead: &str| {
        let ms = matcher.match_list(lead);
        !lead.is_empty()
            && lead.chars().count() < 300
            && ms.first().is_some_and(AgencyMatch::is_matched)
            && ms.iter().filter(|m| m.is_matched()).count() * 2 >= ms.len()
    };
    let verb = first_verb(t);
    let colon = t.find(':').map(|b| t[..b].chars().count());
    let cut = match (verb, colon) {
        (Some(v), Some(c)) => v.min(c),
        (Some(v), None) => v,
        (None, Some(c)) => c,
        (None, None) => t.chars().count(),
    };
    let lead = t[..byte_at(t, cut)]
        .trim()
        .trim_end_matches([',', ';'])
        .trim();
    if !accept(lead) {
        return None;
    }
    let rest = &t[byte_at(t, cut)..];
    // Coordinating agencies only right after the lead: "X chủ trì, phối hợp với Y …".
    let head = folded(rest);
    let head = head.trim_start_matches([' ', ',', ':']);
    let adjacent = head.starts_with("chu tri") || head.starts_with("phoi hop");
    let coord = find_phrase(rest, "phoi hop voi", 0)
        .filter(|_| adjacent)
        .or_else(|| find_phrase(rest, "phoi hop", 0).filter(|_| adjacent))
        .map(|(_, b)| cut_coordinating(rest[b..].trim()))
        .filter(|c| !c.is_empty());
    Some((lead.to_string(), coord))
}

/// Agencies in a list. A list that is one name keeps the whole text as written ("Chủ tịch Hội
/// đồng", "Các thành viên Hội đồng"), which the matcher would shorten.
fn agencies(matcher: &Matcher<'_>, text: &str) -> Vec<AgencyMatch> {
    let text = head(text, 1000)
        .trim()
        .trim_end_matches(['.', ',', ';', ':'])
        .trim();
    if text.is_empty() {
        return Vec::new();
    }
    // ";" separates the items of a list whose names hold commas ("Ban Thư ký; Hội đồng phối
    // hợp PBGDPL các huyện, thành phố"): each item is read on its own.
    if text.contains(';') {
        let mut out: Vec<AgencyMatch> = Vec::new();
        for part in text.split(';') {
            for m in agencies_in(matcher, part.trim()) {
                if !out.iter().any(|o| o.written() == m.written()) {
                    out.push(m);
                }
            }
        }
        return out;
    }
    agencies_in(matcher, text)
}

fn agencies_in(matcher: &Matcher<'_>, text: &str) -> Vec<AgencyMatch> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut ms = matcher.match_list(text);
    // Nothing recognised, or a description rather than a list ("các cơ quan chủ trì tham mưu
    // ban hành văn bản … trình HĐND, UBND huyện ban hành"): keep the text whole.
    let descriptive = ms
        .first()
        .is_some_and(|m| !m.is_matched() && m.written().split_whitespace().count() > 6);
    if descriptive || !ms.iter().any(AgencyMatch::is_matched) {
        return vec![AgencyMatch::Unmatched {
            written: text.to_string(),
        }];
    }
    // "Thành viên Hội đồng là lãnh đạo các cơ quan Bộ Chỉ huy …": the clause that qualifies a
    // name is no agency of its own.
    ms.retain(|m| m.is_matched() || !folded(m.written()).starts_with("la "));
    // Give back the "các" the matcher drops: "Các sở, ban, ngành tỉnh" as written.
    let mut cursor = 0;
    for m in &mut ms {
        let AgencyMatch::Matched { written, .. } = m else {
            continue;
        };
        let Some(rel) = text.get(cursor..).and_then(|t| t.find(written.as_str())) else {
            continue;
        };
        let at = cursor + rel;
        cursor = at + written.len();
        let before = &text[..at];
        for article in ["các ", "Các "] {
            if before.ends_with(article) {
                *written = format!("{article}{written}");
                break;
            }
        }
    }
    if let [only] = ms.as_mut_slice()
        && let AgencyMatch::Matched { written, .. } = only
        && !text.contains([',', ';', '('])
    {
        *written = text.to_string();
    }
    ms
}

type PlaceDate = (
    Option<String>,
    Option<NaiveDate>,
    Option<i32>,
    Option<String>,
);

fn place_date(p: &str) -> Option<PlaceDate> {
    let (a, b) = find_phrase(p, "ngay", 0)?;
    let before = p[..a].trim().trim_end_matches(',').trim();
    let f = fold_chars(&p[b..]);
    let s: String = f.iter().collect();
    if !s.contains("thang") || !s.contains("nam") {
        return None;
    }
    let nums: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|x| !x.is_empty() && x.len() <= 4)
        .filter_map(|x| x.parse().ok())
        .collect();
    let year = nums
        .last()
        .and_then(|&y| (1900..2200).contains(&y).then_some(y as i32));
    let date = match nums.as_slice() {
        [d, m, y] => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        _ => None,
    };
    // "Số: /KH-HĐPH Lạng Sơn": the number and the place on one line.
    let mut number = None;
    let mut place = before.to_string();
    if folded(&place).starts_with("so:") || folded(&place).starts_with("so :") {
        let after = place
            .split_once(':')
            .map(|x| x.1.trim().to_string())
            .unwrap_or_default();
        let (num, pl) = after.split_once(' ').unwrap_or((after.as_str(), ""));
        number = Some(num.to_string());
        place = pl.trim().to_string();
    }
    let place = (!place.is_empty() && place.chars().count() < 60).then_some(place);
    Some((place, date, year, number))
}

fn clean_number(n: &str) -> Option<String> {
    let n = n.trim().trim_end_matches(['.', ',']);
    n.split('/')
        .next()
        .is_some_and(|x| !x.is_empty() && x.chars().any(|c| c.is_ascii_digit()))
        .then(|| n.to_string())
}

fn year_in(s: &str) -> Option<i32> {
    let f = fold_chars(s);
    let t: String = f.iter().collect();
    let mut from = 0;
    while let Some(i) = t.get(from..).and_then(|x| x.find("nam ")) {
        let at = from + i + 4;
        let y: String = t
            .get(at..)
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if y.len() == 4 {
            return y.parse().ok();
        }
        from = at;
    }
    None
}

fn implements_of(p: &str) -> Vec<String> {
    let kinds = [
        "quyet dinh so",
        "ke hoach so",
        "ket luan so",
        "nghi quyet so",
        "chi thi so",
        "thong tu so",
        "cong van so",
        "luat ",
        "quyet dinh ",
    ];
    let mut body = head(p, 5000).trim().to_string();
    for pre in ["Thực hiện ", "Căn cứ "] {
        if let Some(r) = body.strip_prefix(pre) {
            body = r.to_string();
        }
    }
    // Cut the closing clause ", Hội đồng … ban hành kế hoạch …", ", UBND tỉnh xây dựng …".
    // Only the last such clause, and only when it ends the paragraph with "như sau".
    let mut last_stop = None;
    for stop in ["ban hanh ke hoach", "xay dung ke hoach"] {
        let mut from = 0;
        while let Some((a, _)) = find_phrase(&body, stop, from) {
            last_stop = last_stop.max(Some(a));
            from = body[..a].chars().count() + 1;
        }
    }
    if let Some(a) = last_stop
        && folded(&body[a..]).contains("nhu sau")
        && let Some(c) = body[..a].rfind(", ")
    {
        body.truncate(c);
    }
    let mut out = Vec::new();
    for piece in body.split(';') {
        // Further split at ", Quyết định số …" / " và Kế hoạch số …".
        let mut starts = vec![0];
        for k in kinds {
            let mut from = 0;
            while let Some((a, _)) = find_phrase(piece, k, from) {
                let pre = piece[..a].trim_end();
                if a > 0 && (pre.ends_with(',') || pre.ends_with(" và")) {
                    starts.push(a);
                }
                from = piece[..a].chars().count() + 1;
            }
        }
        starts.sort_unstable();
        starts.dedup();
        for (i, &s) in starts.iter().enumerate() {
            let e = starts.get(i + 1).copied().unwrap_or(piece.len());
            let t = piece[s..e]
                .trim()
                .trim_end_matches([',', ';', '.', ':'])
                .trim();
            let t = t.strip_suffix(" và").unwrap_or(t).trim();
            if t.chars().count() > 8 {
                out.push(t.to_string());
            }
        }
    }
    out
}

fn report_deadlines(p: &str, year: Option<i32>, out: &mut Vec<ReportDeadline>) {
    let mut clauses = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    for (k, &(b, c)) in chars.iter().enumerate() {
        let next = chars.get(k + 1).map(|x| x.1);
        let end = c == ';' || (c == '.' && next.is_none_or(char::is_whitespace));
        if end {
            clauses.push(&p[start..b + c.len_utf8()]);
            start = b + c.len_utf8();
        }
    }
    clauses.push(&p[start..]);
    for clause in clauses {
        let clause = head(clause, 2000).trim();
        if !folded(clause).contains("bao cao") {
            continue;
        }
        let mut from = 0;
        while let Some((_, b)) = find_phrase(clause, "truoc ngay", from) {
            let t = fold_chars(&clause[b..]);
            let t: String = t.iter().collect();
            let tf = parse_timeframe(&format!("trước ngày {}", t.trim_start()), year);
            if let Some(d) = tf.deadline {
                let text = clause.trim_end_matches([';', '.', '/']).trim().to_string();
                if !out.iter().any(|r| r.date == d && r.text == text) {
                    out.push(ReportDeadline { date: d, text });
                }
            }
            from = clause[..b].chars().count();
        }
    }
}

/// The agency matcher with a memo of the lists already matched in this document: the parser
/// asks about the same sentence start several times.
struct Matcher<'a> {
    inner: &'a AgencyMatcher,
    memo: RefCell<HashMap<String, Vec<AgencyMatch>>>,
}

impl Matcher<'_> {
    fn match_list(&self, text: &str) -> Vec<AgencyMatch> {
        if let Some(hit) = self.memo.borrow().get(text) {
            return hit.clone();
        }
        let found = self.inner.match_list(text);
        self.memo.borrow_mut().insert(text.to_string(), found.clone());
        found
    }
}

/// "KẾ HOẠCH" in capitals at the start of a paragraph: the plan's title line.
fn is_plan_heading(p: &str) -> bool {
    let h: String = p.chars().take(8).collect();
    h.to_uppercase() == h && folded(&h) == "ke hoach"
}

/// The title of a decision that issues a plan: "QUYẾT ĐỊNH" in capitals, alone or followed by
/// its subject ("QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH …" when joined); not the enacting "QUYẾT ĐỊNH:".
fn is_decision_heading(p: &str) -> bool {
    let h: String = p.chars().take(10).collect();
    if h.to_uppercase() != h || folded(&h) != "quyet dinh" {
        return false;
    }
    let rest = folded(head(p.get(h.len()..).unwrap_or(""), 30));
    let rest = rest.trim_start();
    rest.is_empty()
        || ["ve viec", "v/v", "ban hanh", "phe duyet"]
            .iter()
            .any(|s| rest.starts_with(s))
}

/// A title pasted from a news page: one mixed-case line "Kế hoạch hoạt động … năm 2024".
fn is_news_title(p: &str) -> bool {
    folded(head(p, 9)) == "ke hoach "
        && p.chars().count() <= 300
        && !p.trim_end().ends_with(['.', ',', ';', ':'])
}

/// Where the plan's title is, and what comes before it.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// The plan's own header block, then "KẾ HOẠCH".
    Plan { title: usize },
    /// A decision (header, "QUYẾT ĐỊNH", "Căn cứ …", "Điều 1. …", signature), then the plan
    /// attached to it.
    Decision { decision: usize, title: usize },
    /// A news page: no header block, a one-line mixed-case "Kế hoạch …" title.
    News { title: usize },
}

impl Layout {
    fn title(self) -> usize {
        match self {
            Layout::Plan { title } | Layout::Decision { title, .. } | Layout::News { title } => {
                title
            }
        }
    }
}

fn is_roman(p: &str) -> bool {
    matches!(marker(p), Some((Mk::Roman, ..)))
}

fn layout(paras: &[String]) -> Result<Layout, PlanError> {
    let kh = paras.iter().position(|p| is_plan_heading(p));
    let decision = paras
        .get(..kh.unwrap_or(paras.len()))
        .unwrap_or(&[])
        .iter()
        .position(|p| is_decision_heading(p));
    // A news title only before the first Roman section after `from`.
    let news_title = |from: usize| {
        let body = paras.get(from..).unwrap_or(&[]);
        let end = body.iter().position(|p| is_roman(p))?;
        body.get(..end)?
            .iter()
            .position(|p| is_news_title(p))
            .map(|t| from + t)
    };
    match (decision, kh) {
        (Some(decision), Some(title)) => Ok(Layout::Decision { decision, title }),
        (Some(decision), None) => news_title(decision + 1)
            .map(|title| Layout::Decision { decision, title })
            .ok_or(PlanError::DecisionWithoutPlan),
        (None, Some(title)) => Ok(Layout::Plan { title }),
        (None, None) => news_title(0)
            .map(|title| Layout::News { title })
            .ok_or(PlanError::NotAPlan),
    }
}

/// What a header block (issuer, number, place and date) gives.
#[derive(Debug, Default)]
struct Header {
    issuer: Option<String>,
    number: Option<String>,
    place: Option<String>,
    date: Option<NaiveDate>,
    year: Option<i32>,
}

/// "<place>, ngày DD tháng MM năm YYYY" where what comes before "ngày" is a place name (a few
/// capitalised words, "TP. Hồ Chí Minh"): not "Căn cứ Luật …, Luật … ngày 20 tháng 6 năm 2012".
fn date_line(p: &str) -> Option<PlaceDate> {
    let (a, _) = find_phrase(head(p, 120), "ngay", 0)?;
    let before = p[..a].trim().trim_end_matches(',').trim();
    let f = folded(before);
    let place_like = before.split_whitespace().count() <= 6
        && !before.contains([',', ';', ':', '(', '/'])
        && !before.chars().any(|c| c.is_ascii_digit())
        && before.chars().next().is_none_or(char::is_uppercase)
        && !["can cu", "theo ", "thuc hien", "tai "]
            .iter()
            .any(|s| f.starts_with(s));
    if place_like { place_date(p) } else { None }
}

/// "Lạng Sơn, ngày 15 tháng 01 năm 2024" alone on its line: in the hard-wrapped layout it starts
/// a paragraph of its own (it is not joined with the motto or the number above it).
fn is_date_line_alone(line: &str) -> bool {
    line.chars().count() <= 80
        && line
            .trim_end_matches(['.', ' '])
            .ends_with(|c: char| c.is_ascii_digit())
        && find_phrase(line, "ngay", 0).is_some_and(|(a, _)| line[..a].trim_end().ends_with(','))
        && date_line(line).is_some()
}

/// Reads a header block: the issuer (the first run of capitalised lines before the national
/// motto, joined: "ỦY BAN NHÂN DÂN" + "TỈNH LẠNG SƠN"), "Số: …" and the first date line.
fn read_header(paras: &[String]) -> Header {
    let mut h = Header::default();
    let mut issuer: Vec<&str> = Vec::new();
    let mut issuer_done = false;
    let mut dated = false;
    for p in paras {
        let f = folded(head(p, 40));
        let mut in_issuer = false;
        if f.starts_with("so:") || f.starts_with("so :") {
            if let Some((place, date, year, number)) = place_date(p) {
                h.place = place.or(h.place.take());
                h.date = date.or(h.date);
                h.year = year.or(h.year);
                h.number = number.and_then(|n| clean_number(&n));
                dated = true;
            } else {
                let n = p.split_once(':').map(|x| x.1).unwrap_or("");
                h.number = clean_number(n);
            }
        } else if let Some((place, date, year, _)) = date_line(p).filter(|_| !dated) {
            h.place = place;
            h.date = date;
            h.year = year;
            dated = true;
        } else if !issuer_done && is_shouting(p) && !f.starts_with("cong hoa") {
            // Lines joined with the motto (hard-wrapped, or a table row flattened):
            // "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN CỘNG HÒA XÃ HỘI …" ends before the motto.
            let motto = find_phrase(head(p, 300), "cong hoa xa hoi", 0).map(|m| m.0);
            let part = p[..motto.unwrap_or(p.len())].trim();
            if !part.is_empty() && (!issuer.is_empty() || part.contains(' ')) {
                issuer.push(part);
                in_issuer = motto.is_none();
            }
        }
        if !in_issuer && !issuer.is_empty() {
            issuer_done = true;
        }
    }
    h.issuer = (!issuer.is_empty()).then(|| issuer.join(" "));
    h
}

/// "(Ban hành kèm theo Quyết định số 86/QĐ-UBND ngày 15/01/2024 của UBND tỉnh Lạng Sơn)" under
/// a plan's title: the issuing decision's number and date.
fn decision_note(p: &str) -> Option<(Option<String>, Option<NaiveDate>)> {
    let t = head(p.trim().trim_start_matches(['(', '[']).trim_start(), 400);
    let f = folded(head(t, 20));
    if !(f.starts_with("ban hanh kem theo") || f.starts_with("kem theo")) {
        return None;
    }
    let Some((_, b)) = find_phrase(t, "quyet dinh so", 0) else {
        return Some((None, None));
    };
    let rest = &t[b..];
    let number = rest
        .split_whitespace()
        .next()
        .map(|n| n.trim_end_matches([')', ']', ',', ';']))
        .and_then(clean_number);
    let date = find_phrase(rest, "ngay", 0).and_then(|(_, e)| {
        let s = &rest[e..];
        let end = find_phrase(s, "cua", 0).map_or(s.len(), |x| x.0);
        let s = &s[..end];
        let s = s.split(')').next().unwrap_or(s);
        let nums: Vec<u32> = s
            .split(|c: char| !c.is_ascii_digit())
            .filter(|x| !x.is_empty() && x.len() <= 4)
            .filter_map(|x| x.parse().ok())
            .collect();
        match nums.as_slice() {
            [d, m, y] => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
            _ => None,
        }
    });
    Some((number, date))
}

/// A signer's name: a short line of capitalised words with no punctuation ("Đoàn Thanh Sơn").
fn is_signer(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().take(7).collect();
    (2..=6).contains(&words.len())
        && !p.contains([':', ';', ',', '(', '-', '.'])
        && !is_shouting(p)
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// What follows the plan's last section: closing prose, the "Nơi nhận" list and the signature.
#[derive(Debug, Default)]
struct Closing {
    prose: Vec<String>,
    recipients: Vec<String>,
    authority: Vec<String>,
    title: Vec<String>,
    signer: Option<String>,
}

/// A recipient as kept: "- Sở Tư pháp;" → "Sở Tư pháp".
fn recipient(p: &str) -> String {
    let t = match marker(p) {
        Some((Mk::Bullet, _, _, rest)) => rest,
        _ => p.trim_start_matches(['-', '+', '•']).trim().to_string(),
    };
    t.trim_end_matches([';', '.', ',']).trim().to_string()
}

/// Reads the paragraphs after the body. Recipients run from "Nơi nhận:" to the archive line
/// ("Lưu: VT, …") or the signature; the signature is the authority lines (TM., KT., …), the
/// capitals lines of the title, then the signer's name. What follows the name (footnotes) is
/// not read.
fn closing_block(paras: &[String]) -> Closing {
    #[derive(PartialEq)]
    enum At {
        Prose,
        Recipients,
        Signature,
    }
    let mut c = Closing::default();
    let mut at = At::Prose;
    for p in paras {
        let f = folded(p);
        if f.starts_with("noi nhan") && at != At::Signature {
            at = At::Recipients;
            // "Nơi nhận: - Như trên;" on one line.
            let rest = p.split_once(':').map_or("", |x| x.1).trim();
            if !rest.is_empty() {
                c.recipients.push(recipient(rest));
            }
            continue;
        }
        if is_authority(p) {
            at = At::Signature;
            c.authority.push(p.clone());
            continue;
        }
        let bullet = matches!(marker(p), Some((Mk::Bullet, ..)));
        match at {
            At::Recipients if bullet || !(is_shouting(p) || is_signer(p)) => {
                let r = recipient(p);
                if !r.is_empty() {
                    c.recipients.push(r);
                }
                if folded(&recipient(p)).starts_with("luu") {
                    at = At::Signature;
                }
                continue;
            }
            At::Prose if !(is_shouting(p) || is_signer(p)) => {
                c.prose.push(p.clone());
                continue;
            }
            _ => {}
        }
        if is_signer(p) {
            c.signer = Some(p.clone());
            break;
        }
        if is_shouting(p) && p.chars().count() <= 80 {
            at = At::Signature;
            c.title.push(p.clone());
        }
    }
    c
}

/// Capitalises the first letter: "hoạt động của …" → "Hoạt động của …".
fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    cs.next()
        .map(|c| c.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

pub(super) fn parse(text: &str, matcher: &AgencyMatcher) -> Result<Plan, PlanError> {
    let matcher = &Matcher { inner: matcher, memo: RefCell::new(HashMap::new()) };
    let paras = paragraphs(text);
    let mut plan = Plan::default();
    let layout = layout(&paras)?;
    let kh = layout.title();
    plan.kind = Some("Kế hoạch".to_string());
    let first_roman = paras
        .iter()
        .enumerate()
        .skip(kh + 1)
        .find(|(_, p)| is_roman(p))
        .map(|(i, _)| i)
        .ok_or(PlanError::NoTasks)?;
    // Title: the rest of the "KẾ HOẠCH" paragraph or the next paragraph, without the
    // "(Ban hành kèm theo Quyết định …)" note, which may sit under it or be joined to it.
    let mut note = None;
    let kh_rest = capitalise(paras[kh].chars().skip(8).collect::<String>().trim());
    let mut pre_start = kh + 1;
    let title = if kh_rest.is_empty() {
        while pre_start < first_roman
            && let Some(n) = paras.get(pre_start).and_then(|p| decision_note(p))
        {
            note = note.or(Some(n));
            pre_start += 1;
        }
        pre_start += 1;
        paras.get(pre_start - 1).cloned()
    } else {
        Some(kh_rest)
    };
    let title = title.map(
        |t| match find_phrase(head(&t, 1000), "ban hanh kem theo", 0) {
            Some((a, _)) if a > 0 && t[..a].ends_with('(') => {
                note = note.take().or_else(|| decision_note(&t[a..]));
                t[..a - 1].trim().to_string()
            }
            _ => t,
        },
    );
    plan.title = title.filter(|t| !t.is_empty() && !is_roman(t));
    // The note anywhere in the title block (above "KẾ HOẠCH" in some layouts).
    let block_start = match layout {
        Layout::Plan { .. } => 0,
        Layout::Decision { decision, .. } => decision + 1,
        Layout::News { title } => title,
    };
    if note.is_none() {
        note = paras
            .get(block_start..first_roman)
            .unwrap_or(&[])
            .iter()
            .find_map(|p| decision_note(p).filter(|(n, d)| n.is_some() || d.is_some()));
    }
    let (note_number, note_date) = note.unwrap_or((None, None));
    // Header.
    let mut decision_closing = None;
    let header = match layout {
        Layout::Plan { title } => read_header(&paras[..title]),
        // A news page has no header block: what precedes the title is the site's.
        Layout::News { .. } => Header::default(),
        Layout::Decision { decision, title } => {
            // The decision's header is the document's; the attached plan's own header block
            // (after the decision's signature) fills what it lacks, and its number wins.
            let own = read_header(&paras[..decision]);
            let between = paras.get(decision + 1..title).unwrap_or(&[]);
            let sign_start = between.iter().position(|p| {
                let f = folded(head(p, 12));
                f.starts_with("noi nhan") || f.starts_with("tm. ") || f.starts_with("kt. ")
            });
            let signer = sign_start.and_then(|s| {
                between
                    .iter()
                    .enumerate()
                    .skip(s + 1)
                    .find(|(_, p)| is_signer(p))
                    .map(|(i, _)| i)
            });
            plan.signer = signer.and_then(|i| between.get(i).cloned());
            decision_closing = sign_start
                .and_then(|s| between.get(s..=signer.unwrap_or(s)))
                .map(closing_block);
            let attached = signer.map_or(Header::default(), |i| {
                read_header(between.get(i + 1..).unwrap_or(&[]))
            });
            // The enacting authority, the capitals line just before the first "Căn cứ".
            let authority = between
                .iter()
                .position(|p| folded(head(p, 8)).starts_with("can cu"))
                .filter(|&c| c >= 2)
                .and_then(|c| between.get(c - 1))
                .filter(|p| is_shouting(p))
                .cloned();
            Header {
                issuer: own.issuer.or(authority).or(attached.issuer),
                number: attached.number.or(own.number),
                place: own.place.or(attached.place),
                date: own.date.or(attached.date),
                year: own.year.or(attached.year),
            }
        }
    };
    plan.issuer = header.issuer;
    plan.number = header.number.or(note_number);
    plan.place = header.place;
    plan.date = header.date.or(note_date);
    plan.year = header.year.or(note_date.map(|d| d.year()));
    if let Some(t) = &plan.title {
        let y = year_in(t);
        plan.period = y.map(|y| y.to_string());
        if plan.year.is_none() {
            plan.year = y;
        }
    }
    for p in paras
        .get(pre_start.min(first_roman)..first_roman)
        .unwrap_or(&[])
    {
        let f = folded(p);
        if f.starts_with("thuc hien ") || f.starts_with("can cu ") {
            plan.implements.extend(implements_of(p));
            if plan.year.is_none() {
                plan.year = year_in(p);
            }
        }
        if plan.issuer.is_none()
            && let Some((a, _)) = find_phrase(p, "ban hanh ke hoach", 0)
        {
            let head = &p[..a];
            let head = head.rsplit(", ").next().unwrap_or(head);
            let head = match head.find(" (") {
                Some(x) => &head[..x],
                None => head,
            };
            let head = head.trim();
            if !head.is_empty()
                && head.chars().count() < 80
                && !folded(head).starts_with("thuc hien")
            {
                plan.issuer = Some(head.to_string());
            }
        }
    }
    plan.preamble = paras
        .get(pre_start.min(first_roman)..first_roman)
        .unwrap_or(&[])
        .iter()
        .filter(|p| decision_note(p).is_none())
        // A news page's publication time under the title ("Thứ Ba, 16/01/2024 08:30").
        .filter(|p| {
            !(matches!(layout, Layout::News { .. })
                && p.chars().count() <= 40
                && p.contains('/')
                && p.chars().filter(char::is_ascii_digit).count() >= 6)
        })
        .cloned()
        .collect();
    let year = plan.year;

    // Body.
    let mut items: Vec<Item> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut roman = String::new();
    let mut task_section = false;
    let mut after_body = paras.len();
    for (pi, p) in paras.iter().enumerate().skip(first_roman) {
        let f = folded(p);
        if f.starts_with("noi nhan") || is_authority(p) {
            after_body = pi;
            break;
        }
        report_deadlines(p, year, &mut plan.report_deadlines);
        if f.starts_with("tren day la") {
            plan.closing.push(p.clone());
            after_body = pi + 1;
            break;
        }
        // "- a) Chủ trì thực hiện: …" → "a) …".
        let mut p = p.as_str();
        if let Some((Mk::Bullet, _, _, rest)) = marker(p)
            && matches!(marker(&rest), Some((Mk::Letter, ..)))
        {
            p = p[p.find(' ').unwrap_or(0)..].trim_start();
        }
        let mk = marker(p);
        match mk {
            Some((Mk::Roman, m, label, rest)) => {
                roman = label.clone();
                task_section = section_has_tasks(&rest);
                stack.clear();
                items.push(Item {
                    path: label,
                    marker: m,
                    heading: rest,
                    kind: Mk::Roman,
                    parent: None,
                    task_section,
                    events: Vec::new(),
                    body: Vec::new(),
                    merged: false,
                });
                stack.push(items.len() - 1);
            }
            Some((Mk::Num(d), m, label, rest)) => {
                while let Some(&top) = stack.last() {
                    match items.get(top).map(|i| i.kind) {
                        Some(Mk::Letter) => {
                            stack.pop();
                        }
                        Some(Mk::Num(td)) if td >= d => {
                            stack.pop();
                        }
                        _ => break,
                    }
                }
                let parent = stack.last().copied();
                items.push(Item {
                    path: format!("{roman}.{label}"),
                    marker: m,
                    heading: rest,
                    kind: Mk::Num(d),
                    parent,
                    task_section,
                    events: Vec::new(),
                    body: Vec::new(),
                    merged: false,
                });
                stack.push(items.len() - 1);
            }
            Some((Mk::Letter, m, label, rest)) => {
                if let Some((fk, v)) = field(&rest) {
                    // A lettered field. If the previous letter was a lone description ("a) Tổ
                    // thông tin…" before "b) Chủ trì"), it belongs to the parent.
                    if let Some(&top) = stack.last()
                        && let Some(it) = items.get(top)
                        && it.kind == Mk::Letter
                        && !it.events.iter().any(|e| matches!(e, Ev::Field(..)))
                        && let Some(parent) = it.parent
                    {
                        let desc = it.heading.clone();
                        let evs = it.events.clone();
                        let mut body = vec![format!("{} {}", it.marker, it.heading)];
                        body.extend(it.body.iter().cloned());
                        if let Some(it) = items.get_mut(top) {
                            it.merged = true;
                        }
                        stack.pop();
                        if let Some(par) = items.get_mut(parent) {
                            par.events.push(Ev::Desc(desc));
                            par.events.extend(evs);
                            par.body.extend(body);
                        }
                    }
                    if let Some(&top) = stack.last()
                        && let Some(it) = items.get_mut(top)
                    {
                        it.events.push(Ev::Field(fk, v));
                        it.body.push(p.to_string());
                    }
                } else {
                    while stack
                        .last()
                        .is_some_and(|&t| items.get(t).is_some_and(|i| i.kind == Mk::Letter))
                    {
                        stack.pop();
                    }
                    let parent = stack.last().copied();
                    let ppath = parent
                        .and_then(|x| items.get(x))
                        .map_or(roman.clone(), |i| i.path.clone());
                    items.push(Item {
                        path: format!("{ppath}.{label}"),
                        marker: m,
                        heading: rest,
                        kind: Mk::Letter,
                        parent,
                        task_section,
                        events: Vec::new(),
                        body: Vec::new(),
                        merged: false,
                    });
                    stack.push(items.len() - 1);
                }
            }
            Some((Mk::Bullet, _, _, rest)) => {
                if let Some(&top) = stack.last()
                    && let Some(it) = items.get_mut(top)
                {
                    match field(&rest) {
                        Some((fk, v)) => it.events.push(Ev::Field(fk, v)),
                        None => it.events.push(Ev::Desc(rest)),
                    }
                    it.body.push(p.to_string());
                }
            }
            None => {
                if let Some(&top) = stack.last()
                    && let Some(it) = items.get_mut(top)
                {
                    match field(p) {
                        Some((fk, v)) => it.events.push(Ev::Field(fk, v)),
                        None => it.events.push(Ev::Desc(p.to_string())),
                    }
                    it.body.push(p.to_string());
                }
            }
        }
    }
    // Report deadlines in the closing paragraphs, the recipients and the signature.
    let mut end = closing_block(paras.get(after_body..).unwrap_or(&[]));
    for p in &end.prose {
        report_deadlines(p, year, &mut plan.report_deadlines);
    }
    plan.closing.append(&mut end.prose);
    // A decision's signature (read above) is the document's.
    let end = match decision_closing {
        Some(d) if d.signer.is_some() => Closing {
            recipients: if d.recipients.is_empty() {
                end.recipients
            } else {
                d.recipients
            },
            ..d
        },
        _ => end,
    };
    if plan.signer.is_none() {
        plan.signer = end.signer;
    }
    plan.signer_authority = (!end.authority.is_empty()).then(|| end.authority.join("\n"));
    plan.signer_title = (!end.title.is_empty()).then(|| end.title.join("\n"));
    plan.recipients = end.recipients;

    // Items to sections and tasks.
    for it in &items {
        if it.merged {
            continue;
        }
        let tasks = if it.task_section && it.kind != Mk::Roman {
            item_tasks(matcher, it, year)
        } else {
            Vec::new()
        };
        // The heading of an item whose tasks do not carry it ("a) Các sở, ban, ngành tỉnh:"
        // over its bullets) stays as a section of the same path.
        if tasks.is_empty() || tasks.iter().all(|t| t.title != it.heading) {
            plan.sections.push(Section {
                path: it.path.clone(),
                marker: it.marker.clone(),
                heading: it.heading.clone(),
                body: if tasks.is_empty() {
                    it.body.clone()
                } else {
                    Vec::new()
                },
            });
        }
        plan.tasks.extend(tasks);
    }
    if !items.iter().any(|i| i.task_section) {
        return Err(PlanError::NoTasks);
    }
    Ok(plan)
}

struct Seg {
    descs: Vec<String>,
    fields: Vec<(Field, String)>,
}

fn item_tasks(matcher: &Matcher<'_>, it: &Item, year: Option<i32>) -> Vec<Task> {
    let mut segs = vec![Seg {
        descs: Vec::new(),
        fields: Vec::new(),
    }];
    for ev in &it.events {
        let Some(cur) = segs.last_mut() else { continue };
        match ev {
            Ev::Desc(d) => {
                if cur.fields.is_empty() {
                    cur.descs.push(d.clone());
                } else {
                    segs.push(Seg {
                        descs: vec![d.clone()],
                        fields: Vec::new(),
                    });
                }
            }
            Ev::Field(k, v) => cur.fields.push((*k, v.clone())),
        }
    }
    let heading_lead = sentence_lead(matcher, &it.heading);
    let fielded: Vec<&Seg> = segs.iter().filter(|s| !s.fields.is_empty()).collect();
    // A heading that only names agencies ("Các sở, ban, ngành tỉnh, UBND các huyện:").
    // …or names them and introduces the bullets ("Sở Tài chính chủ trì, phối hợp với …:").
    let heading_is_lead = heading_lead.as_ref().is_some_and(|(l, _)| {
        let h = it.heading.trim().trim_end_matches(':').trim();
        let f = folded(h);
        l.as_str() == h
            || (it.heading.trim_end().ends_with(':') && !COORD_STOPS.iter().any(|v| f.contains(v)))
    });
    let mut out = Vec::new();
    if fielded.len() >= 2 {
        for (k, seg) in fielded.iter().enumerate() {
            let mut descs = seg.descs.clone();
            if k == 0 && descs.is_empty() {
                descs.push(it.heading.clone());
            }
            if descs.is_empty() {
                continue;
            }
            let title = descs.remove(0);
            let own = sentence_lead(matcher, &title);
            let lead = own.or_else(|| heading_lead.clone());
            out.push(build_task(
                matcher,
                format!("{}#{}", it.path, k + 1),
                title,
                descs,
                &seg.fields,
                lead,
                year,
            ));
        }
    } else if fielded.len() == 1 || heading_lead.is_some() {
        let mut descs: Vec<String> = segs.iter().flat_map(|s| s.descs.clone()).collect();
        let fields: Vec<(Field, String)> = segs.iter().flat_map(|s| s.fields.clone()).collect();
        let title = if heading_is_lead && !descs.is_empty() {
            descs.remove(0)
        } else {
            it.heading.clone()
        };
        out.push(build_task(
            matcher,
            it.path.clone(),
            title,
            descs,
            &fields,
            heading_lead,
            year,
        ));
    } else if let Some(task) = labelled_task(matcher, it, year) {
        out.push(task);
    }
    out
}

/// "a) Tự kiểm tra: Căn cứ vào nội dung kiểm tra, các sở, ban, ngành … tổ chức tự kiểm tra. …
/// gửi … trước ngày 20/11/2024 …": a short label, then a sentence that names who acts. The
/// whole paragraph is the title; "trước ngày …" in it is the timeframe.
fn labelled_task(matcher: &Matcher<'_>, it: &Item, year: Option<i32>) -> Option<Task> {
    let (label, sentence) = head(&it.heading, 2000).split_once(':')?;
    if label.split_whitespace().count() > 6 {
        return None;
    }
    let mut s = sentence.trim();
    if folded(head(s, 8)).starts_with("can cu") {
        s = s.split_once(", ")?.1.trim();
    }
    let lead = sentence_lead(matcher, s)?;
    let mut fields = Vec::new();
    if let Some((a, b)) = find_phrase(&it.heading, "truoc ngay", 0) {
        let rest = it.heading[b..].trim_start();
        let date: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.'))
            .collect();
        let phrase = format!(
            "{} {}",
            &it.heading[a..b],
            date.trim_end_matches(['.', '-'])
        );
        if parse_timeframe(&phrase, year).deadline.is_some() {
            fields.push((Field::Time, phrase));
        }
    }
    let descs = it
        .events
        .iter()
        .filter_map(|e| match e {
            Ev::Desc(d) => Some(d.clone()),
            Ev::Field(..) => None,
        })
        .collect();
    Some(build_task(
        matcher,
        it.path.clone(),
        it.heading.clone(),
        descs,
        &fields,
        Some(lead),
        year,
    ))
}

fn build_task(
    matcher: &Matcher<'_>,
    path: String,
    title: String,
    description: Vec<String>,
    fields: &[(Field, String)],
    sentence: Option<(String, Option<String>)>,
    year: Option<i32>,
) -> Task {
    let get = |k: Field| fields.iter().find(|(f, _)| *f == k).map(|(_, v)| v.clone());
    let mut lead_m = Vec::new();
    let mut coord_m = Vec::new();
    if let Some(l) = get(Field::Lead) {
        let (l, c) = split_lead(&l);
        lead_m = agencies(matcher, &l);
        if let Some(c) = c {
            coord_m = agencies(matcher, &c);
        }
    }
    if let Some(p) = get(Field::Performers) {
        if lead_m.is_empty() {
            let (l, c) = split_lead(&p);
            lead_m = agencies(matcher, &l);
            if let Some(c) = c {
                coord_m.extend(agencies(matcher, &c));
            }
        } else {
            coord_m.extend(agencies(matcher, &p));
        }
    }
    if let Some(c) = get(Field::Coordinating) {
        coord_m.extend(agencies(matcher, &c));
    }
    if lead_m.is_empty()
        && let Some((l, c)) = sentence
    {
        lead_m = agencies(matcher, &l);
        if coord_m.is_empty()
            && let Some(c) = c
        {
            coord_m = agencies(matcher, &c);
        }
    }
    if coord_m.is_empty() {
        // A bullet under an agency heading: "Chủ trì, phối hợp với các cơ quan … tổ chức …".
        let f = folded(&title);
        if (f.starts_with("chu tri, phoi hop voi") || f.starts_with("phoi hop voi"))
            && let Some((_, b)) = find_phrase(&title, "phoi hop voi", 0)
        {
            coord_m = agencies(matcher, &cut_coordinating(title[b..].trim()));
        }
    }
    if lead_m.is_empty() {
        // A hard-wrapped heading followed by the sentence that names the lead:
        // "Tăng cường công tác kiểm tra … PBGDPL Các cơ quan, ban, ngành … chủ động …".
        let starts: Vec<usize> = head(&title, 600)
            .char_indices()
            .filter(|&(b, c)| b > 0 && c.is_uppercase() && title[..b].ends_with(' '))
            .map(|(b, _)| b)
            .collect();
        if let Some((l, _)) = starts
            .iter()
            .find_map(|&b| sentence_lead(matcher, &title[b..]))
        {
            lead_m = agencies(matcher, &l);
        }
    }
    if lead_m.is_empty() {
        // "- Giao Sở Tư pháp … tham mưu …" among the bullets.
        if let Some((l, c)) = description.iter().find_map(|d| sentence_lead(matcher, d)) {
            lead_m = agencies(matcher, &l);
            if coord_m.is_empty()
                && let Some(c) = c
            {
                coord_m = agencies(matcher, &c);
            }
        }
    }
    let timeframe = get(Field::Time);
    let tf = timeframe
        .as_deref()
        .map(|t| parse_timeframe(t, year))
        .unwrap_or_default();
    Task {
        path,
        title,
        description,
        lead: lead_m.iter().map(|m| m.written().to_string()).collect(),
        coordinating: coord_m.iter().map(|m| m.written().to_string()).collect(),
        lead_matches: lead_m,
        coordinating_matches: coord_m,
        form: get(Field::Form),
        products: get(Field::Products),
        funding: get(Field::Funding),
        timeframe,
        deadline: tf.deadline,
        recurrence: tf.recurrence,
        window: tf.window,
    }
}
