//! Text normalisation for agency matching: cleaning of written names, tokenisation into folded
//! words (with abbreviation expansion), tone-placement-insensitive exact keys, fillers, place
//! words. Pure functions over `&str`; nothing here allocates more than the input warrants.

/// One word of a cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Folded key (no diacritics, đ→d, lowercase) with abbreviations expanded, so it may hold
    /// several words separated by single spaces ("UBND" → "uy ban nhan dan").
    pub key: String,
    /// Byte span of the word in the cleaned text.
    pub start: usize,
    pub end: usize,
    /// The word as written starts with an upper-case letter.
    pub capitalized: bool,
    /// The word as written starts with a digit.
    pub numeric: bool,
    /// A list separator (`,` `;` `:` `.` `(` `)` `/` …) or the conjunction "và" stands between
    /// this word and the previous one.
    pub break_before: bool,
}

/// Abbreviations plans use inside agency names, as folded single words, with their folded
/// expansion.
fn expand_abbreviation(folded: &str) -> Option<&'static str> {
    Some(match folded {
        "ubnd" => "uy ban nhan dan",
        "hdnd" => "hoi dong nhan dan",
        "ubmttq" => "uy ban mat tran to quoc",
        "ubmttqvn" => "uy ban mat tran to quoc viet nam",
        "mttq" => "mat tran to quoc",
        "mttqvn" => "mat tran to quoc viet nam",
        "pbgdpl" => "pho bien giao duc phap luat",
        "phpbgdpl" => "phoi hop pho bien giao duc phap luat",
        "hdphpbgdpl" => "hoi dong phoi hop pho bien giao duc phap luat",
        "hdph" => "hoi dong phoi hop",
        "hd" => "hoi dong",
        "lhpn" => "lien hiep phu nu",
        "ldld" => "lien doan lao dong",
        "ccb" => "cuu chien binh",
        "tncs" => "thanh nien cong san",
        "hcm" => "ho chi minh",
        "ctxh" => "chinh tri xa hoi",
        "tgpl" => "tro giup phap ly",
        "thads" => "thi hanh an dan su",
        "tand" => "toa an nhan dan",
        "vksnd" => "vien kiem sat nhan dan",
        "bhxh" => "bao hiem xa hoi",
        "khcn" => "khoa hoc va cong nghe",
        "gddt" => "giao duc va dao tao",
        "vhttdl" => "van hoa the thao va du lich",
        "ldtbxh" => "lao dong thuong binh va xa hoi",
        "khdt" => "ke hoach va dau tu",
        "tnmt" => "tai nguyen va moi truong",
        "nnptnt" => "nong nghiep va phat trien nong thon",
        "ptnt" => "phat trien nong thon",
        "nnmt" => "nong nghiep va moi truong",
        "gtvt" => "giao thong van tai",
        "ptth" => "phat thanh truyen hinh",
        "bch" => "bo chi huy",
        "bchqs" => "bo chi huy quan su",
        "chqs" => "chi huy quan su",
        "qs" => "quan su",
        "bdbp" => "bo doi bien phong",
        "bchbdbp" => "bo chi huy bo doi bien phong",
        "tw" => "trung uong",
        "tp" => "thanh pho",
        "vp" => "van phong",
        "cvp" => "chanh van phong",
        "pvp" => "pho van phong",
        "ttdt" => "thong tin dien tu",
        "ttttdt" => "trung tam thong tin dien tu",
        "ubtvqh" => "uy ban thuong vu quoc hoi",
        "btp" => "bo tu phap",
        "bca" => "bo cong an",
        "stp" => "so tu phap",
        _ => return None,
    })
}

/// Characters that separate items of a list.
fn is_break_char(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '.'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '/'
            | '\\'
            | '|'
            | '…'
    )
}

/// Combining marks (left over when input could not be fully composed) belong to their word.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Splits cleaned (NFC) text into folded words. "&" is read as "và"; the word after "và" is
/// marked as starting a new list item (it still matches inside names that contain "và").
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut pending_break = false;
    let mut word_start: Option<usize> = None;
    let mut gap_has_break = false;
    let push_word = |start: usize, end: usize, brk: &mut bool, tokens: &mut Vec<Token>| {
        let word = text.get(start..end).unwrap_or("");
        let folded = if word == "&" {
            "va".to_string()
        } else {
            text_vi::fold(word)
        };
        if folded.is_empty() {
            return;
        }
        let folded_is_conj = folded == "va";
        let key = match expand_abbreviation(&folded) {
            Some(expanded) => expanded.to_string(),
            None => folded,
        };
        let first = word.chars().next();
        // "Bình", "Đồng", "A" are capitalised; "BÁO", "CÁO" (an upper-case heading) are not.
        let shouted = word.chars().filter(|c| c.is_alphabetic()).count() > 1
            && !word.chars().any(char::is_lowercase);
        tokens.push(Token {
            key,
            start,
            end,
            capitalized: first.is_some_and(char::is_uppercase) && !shouted,
            numeric: first.is_some_and(|c| c.is_ascii_digit()),
            break_before: *brk,
        });
        // Items of a list are joined by "và" as by commas: the next word starts a new item.
        *brk = folded_is_conj;
    };
    for (i, c) in text.char_indices() {
        if c == '&' {
            // "TT&TT", "Văn hóa – Thông tin & Thể thao": '&' is the word "và".
            if let Some(start) = word_start.take() {
                push_word(start, i, &mut pending_break, &mut tokens);
            }
            if gap_has_break {
                pending_break = true;
            }
            gap_has_break = false;
            push_word(i, i + 1, &mut pending_break, &mut tokens);
            continue;
        }
        if is_word_char(c) {
            if word_start.is_none() {
                if gap_has_break {
                    pending_break = true;
                }
                gap_has_break = false;
                word_start = Some(i);
            }
        } else {
            if let Some(start) = word_start.take() {
                push_word(start, i, &mut pending_break, &mut tokens);
            }
            if is_break_char(c) {
                gap_has_break = true;
            }
        }
    }
    if let Some(start) = word_start {
        push_word(start, text.len(), &mut pending_break, &mut tokens);
    }
    tokens
}

/// Joins the keys of `tokens[a..b]` with single spaces.
pub(crate) fn join_keys(tokens: &[Token], a: usize, b: usize) -> String {
    let mut out = String::new();
    for t in tokens.get(a..b).unwrap_or(&[]) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.key);
    }
    out
}

/// Number of folded words in the keys of `tokens[a..b]`.
pub(crate) fn word_count(key: &str) -> usize {
    key.split(' ').filter(|w| !w.is_empty()).count()
}

/// Rows of the Vietnamese vowels: the toneless letter followed by its five toned forms
/// (huyền, sắc, hỏi, ngã, nặng).
const TONE_ROWS: [&str; 24] = [
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
    "AÀÁẢÃẠ",
    "ĂẰẮẲẴẶ",
    "ÂẦẤẨẪẬ",
    "EÈÉẺẼẸ",
    "ÊỀẾỂỄỆ",
    "IÌÍỈĨỊ",
    "OÒÓỎÕỌ",
    "ÔỒỐỔỖỘ",
    "ƠỜỚỞỠỢ",
    "UÙÚỦŨỤ",
    "ƯỪỨỬỮỰ",
    "YỲÝỶỸỴ",
];

/// Splits a precomposed Vietnamese vowel into its toneless letter and tone (0 = none, 1..=5).
fn split_tone(c: char) -> (char, u8) {
    for row in TONE_ROWS {
        let mut chars = row.chars();
        let Some(base) = chars.next() else { continue };
        for (tone, toned) in (1u8..).zip(chars) {
            if toned == c {
                return (base, tone);
            }
        }
    }
    (c, 0)
}

/// Private-use markers standing for the five tones at the end of a syllable.
const TONE_MARKERS: [char; 6] = [
    '\u{E000}', '\u{E001}', '\u{E002}', '\u{E003}', '\u{E004}', '\u{E005}',
];

/// Exact comparison key of NFC text: identical to the text except that in every syllable the tone
/// is moved to the syllable's end, so "hoà" and "hòa", "Uỷ" and "Ủy" give the same key while case,
/// spacing and every other mark still count.
pub(crate) fn tone_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut tones: Vec<char> = Vec::new();
    for c in text.chars() {
        if is_word_char(c) {
            let (base, tone) = split_tone(c);
            out.push(base);
            if tone > 0 {
                tones.push(
                    TONE_MARKERS
                        .get(usize::from(tone))
                        .copied()
                        .unwrap_or('\u{E000}'),
                );
            }
        } else {
            out.extend(tones.drain(..));
            out.push(c);
        }
    }
    out.extend(tones.drain(..));
    out
}

/// NFC, markdown emphasis removed, whitespace collapsed.
pub(crate) fn collapse(text: &str) -> String {
    let nfc = text_vi::nfc(text);
    let replaced: String = nfc
        .chars()
        .map(|c| match c {
            '*' | '_' | '`' | '#' | '\u{a0}' | '\u{2002}'..='\u{200b}' | '\u{feff}' => ' ',
            c => c,
        })
        .collect();
    replaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Strips list markers at the start: "- ", "+ ", "• ", "a) ", "đ) ", "1. ", "2.1. ", "3) ".
fn strip_leading_markers(mut s: &str) -> &str {
    loop {
        let before = s;
        s = s.trim_start();
        let mut chars = s.chars();
        let first = chars.next();
        let second = chars.next();
        match (first, second) {
            (Some('-' | '+' | '•' | '–' | '—' | '·'), Some(' ')) => {
                s = s.get(first.map_or(0, char::len_utf8)..).unwrap_or("");
            }
            (Some(c), Some(')')) if c.is_lowercase() && c.is_alphabetic() => {
                s = s.get(c.len_utf8() + 1..).unwrap_or("");
            }
            (Some(c), _) if c.is_ascii_digit() => {
                let marker_len = s
                    .find(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == ')'))
                    .unwrap_or(s.len());
                let marker = s.get(..marker_len).unwrap_or("");
                let rest = s.get(marker_len..).unwrap_or("");
                if (marker.ends_with('.') || marker.ends_with(')')) && rest.starts_with(' ') {
                    s = rest;
                }
            }
            _ => {}
        }
        if s.len() == before.len() {
            return s;
        }
    }
}

/// Strips trailing punctuation and a trailing parenthetical remark ("(b/c)", "(thực hiện)").
fn strip_trailing(mut s: &str) -> &str {
    loop {
        let before = s.len();
        s = s.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | ';' | '.' | ',' | '/' | '-' | '–' | '—')
        });
        if s.ends_with(')') {
            let mut depth = 0usize;
            let mut cut = None;
            for (i, c) in s.char_indices().rev() {
                match c {
                    ')' => depth += 1,
                    '(' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            cut = Some(i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            s = match cut {
                Some(i) => s.get(..i).unwrap_or(""),
                None => s.get(..s.len() - 1).unwrap_or(""),
            };
        }
        if s.len() == before {
            return s.trim();
        }
    }
}

/// Cleans one written name: NFC, whitespace, list markers, trailing punctuation and remarks.
pub(crate) fn clean_name(text: &str) -> String {
    let collapsed = collapse(text);
    let s = strip_leading_markers(&collapsed);
    let s = strip_trailing(s);
    strip_leading_markers(s).to_string()
}

/// Cleans a list field: like [`clean_name`], and every parenthetical is replaced by a separator.
pub(crate) fn clean_list(text: &str) -> String {
    let collapsed = collapse(text);
    let unmarked = strip_leading_markers(&collapsed);
    let mut out = String::with_capacity(unmarked.len());
    let mut depth = 0usize;
    for c in unmarked.chars() {
        match c {
            '(' | '[' => {
                if depth == 0 {
                    out.push_str(" ; ");
                }
                depth += 1;
            }
            ')' | ']' => {
                if depth > 0 {
                    depth -= 1;
                } else {
                    out.push_str(" ; ");
                }
            }
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = strip_leading_markers(&collapsed);
    let s = strip_trailing(s);
    strip_leading_markers(s).to_string()
}

/// Leading words dropped from alias keys ("các sở, ban, ngành" is keyed as "sở, ban, ngành").
const ALIAS_LEADERS: &[&[&str]] = &[&["cac"], &["mot", "so"], &["nhung"]];

/// Words that may stand before an agency name without being part of it: "các", role prefixes
/// ("Thủ trưởng", "Giám đốc", "Chủ tịch", "CT", "các PCT", "TT."), "phối hợp với", "Đề nghị".
const FILLERS: &[&[&str]] = &[
    &["phoi", "hop", "voi"],
    &["phoi", "hop"],
    &["chu", "tri"],
    &["cung", "voi"],
    &["de", "nghi"],
    &["thong", "qua"],
    &["mot", "so"],
    &["thu", "truong"],
    &["pho", "giam", "doc"],
    &["giam", "doc"],
    &["pho", "chu", "tich"],
    &["chu", "tich"],
    &["lanh", "dao"],
    &["thuong", "truc"],
    &["nguoi", "dung", "dau"],
    &["dai", "dien"],
    &["pho", "truong"],
    &["truong"],
    &["bi", "thu"],
    &["chanh"],
    &["pho"],
    &["va"],
    &["cac"],
    &["nhung"],
    &["voi"],
    &["qua"],
    &["ct"],
    &["pct"],
    &["ld"],
    &["tt"],
];

fn seq_at(tokens: &[Token], at: usize, seq: &[&str]) -> bool {
    seq.iter()
        .enumerate()
        .all(|(k, w)| tokens.get(at + k).is_some_and(|t| t.key == *w))
}

/// Length in tokens of the filler at `at`, if any (longest first).
pub(crate) fn filler_len(tokens: &[Token], at: usize) -> Option<usize> {
    FILLERS
        .iter()
        .find(|seq| seq_at(tokens, at, seq))
        .map(|seq| seq.len())
}

/// Index after the chain of fillers starting at `at` (`at` itself when there is none).
pub(crate) fn skip_fillers(tokens: &[Token], mut at: usize) -> usize {
    while let Some(len) = filler_len(tokens, at) {
        at += len;
    }
    at
}

/// Folded key of an alias as written in the catalogue or by the database: leading "các" dropped.
pub(crate) fn alias_key(alias: &str) -> String {
    let tokens = tokenize(&clean_name(alias));
    let mut at = 0;
    'outer: loop {
        for seq in ALIAS_LEADERS {
            if tokens.len() > at + seq.len() && seq_at(&tokens, at, seq) {
                at += seq.len();
                continue 'outer;
            }
        }
        break;
    }
    join_keys(&tokens, at, tokens.len())
}

/// Exact key of an alias: cleaned, then tone-placement-normalised.
pub(crate) fn alias_exact_key(alias: &str) -> String {
    tone_key(&clean_name(alias))
}

/// Phrases that introduce an apposition after an agency name:
/// "Sở Tư pháp - cơ quan thường trực của Hội đồng".
const APPOSITIONS: &[&[&str]] = &[
    &["co", "quan", "thuong", "truc"],
    &["co", "quan", "dau", "moi"],
    &["la", "co", "quan"],
    &["la", "don", "vi"],
];

pub(crate) fn is_apposition(tokens: &[Token], at: usize) -> bool {
    APPOSITIONS.iter().any(|seq| seq_at(tokens, at, seq))
}

/// Administrative-level words that may follow an agency name before the place name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LevelWord {
    /// tỉnh
    Province,
    /// thành phố: a centrally-run city or (before July 2025) a provincial city
    City,
    /// huyện, quận, thị xã
    District,
    /// xã, phường, thị trấn, đặc khu
    Commune,
}

/// The level word at `at` and its length in tokens.
pub(crate) fn level_word(tokens: &[Token], at: usize) -> Option<(LevelWord, usize)> {
    let first = tokens.get(at)?;
    if let Some(second) = tokens.get(at + 1).filter(|t| !t.break_before) {
        let pair = match (first.key.as_str(), second.key.as_str()) {
            ("thanh", "pho") => Some(LevelWord::City),
            ("thi", "xa") => Some(LevelWord::District),
            ("thi", "tran") | ("dac", "khu") => Some(LevelWord::Commune),
            _ => None,
        };
        if let Some(level) = pair {
            return Some((level, 2));
        }
    }
    let single = match first.key.as_str() {
        "tinh" => LevelWord::Province,
        "thanh pho" => LevelWord::City,
        "huyen" | "quan" => LevelWord::District,
        "xa" | "phuong" => LevelWord::Commune,
        _ => return None,
    };
    Some((single, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.key).collect()
    }

    #[test]
    fn tokenize_folds_expands_and_drops_va() {
        assert_eq!(keys("UBND tỉnh"), vec!["uy ban nhan dan", "tinh"]);
        assert_eq!(keys("Sở TT&TT"), vec!["so", "tt", "va", "tt"]);
        assert_eq!(
            keys("Sở Giáo dục và Đào tạo"),
            vec!["so", "giao", "duc", "va", "dao", "tao"]
        );
        let t = tokenize("Sở Tư pháp, Công an tỉnh");
        assert!(t.get(3).is_some_and(|t| t.break_before && t.capitalized));
        let t = tokenize("Sở Tư pháp và Sở Y tế");
        assert!(t.get(4).is_some_and(|t| t.break_before));
    }

    #[test]
    fn tone_key_ignores_tone_placement_only() {
        assert_eq!(tone_key("Hòa giải"), tone_key("Hoà giải"));
        assert_eq!(tone_key("Ủy ban"), tone_key("Uỷ ban"));
        assert_ne!(tone_key("Hòa giải"), tone_key("hòa giải"));
        assert_ne!(tone_key("Hòa"), tone_key("Hoa"));
    }

    #[test]
    fn cleaning() {
        assert_eq!(
            clean_name("  c) Sở Thông tin và Truyền thông: "),
            "Sở Thông tin và Truyền thông"
        );
        assert_eq!(
            clean_name("- Phòng PBGDPL, Sở Tư pháp (b/c);"),
            "Phòng PBGDPL, Sở Tư pháp"
        );
        assert_eq!(clean_name("1. Sở Tư pháp"), "Sở Tư pháp");
        assert_eq!(clean_name("2.1. Sở\nTư   pháp./."), "Sở Tư pháp");
        assert_eq!(clean_name("Năm 2024"), "Năm 2024");
        assert_eq!(
            clean_list("UBND huyện (qua phòng Tư pháp) và Sở Tư pháp"),
            "UBND huyện ; và Sở Tư pháp"
        );
    }

    #[test]
    fn alias_keys_drop_leading_cac() {
        assert_eq!(alias_key("Các sở, ban, ngành tỉnh"), "so ban nganh tinh");
        assert_eq!(alias_key("Các"), "cac");
    }
}
