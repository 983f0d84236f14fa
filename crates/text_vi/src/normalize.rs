//! Unicode normalisation, search folding, tone-placement normalisation, exact keys and slugs.

use unicode_normalization::{
    UnicodeNormalization,
    char::{compose, decompose_canonical, is_combining_mark},
};

/// NFC-normalise text arriving from any input boundary.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Characters never kept in what users type: control characters (C0 except tab and newline,
/// DEL, C1), bidirectional overrides, embeddings and isolates (which can make a file name
/// "gpj.exe" read as "exe.jpg"), zero-width spaces and joiners' cousins, and the byte-order mark.
pub fn is_unwanted(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Text as it is stored: NFC, without [unwanted](is_unwanted) characters, line ends as `\n`.
/// The boundary every form, API and import field passes through.
pub fn clean_input(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.nfc().filter(|c| !is_unwanted(*c)).collect()
}

/// Search key: drops every diacritic, maps đ→d, lowercases. Never shown to users.
///
/// Works identically on NFC and NFD input. `Ð` (U+00D0, which legacy TCVN3/VNI converters
/// sometimes emit instead of `Đ` U+0110) is folded to `d` as well.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' | 'Ð' => 'D',
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// One character folded exactly as [`fold`] folds it, without allocating: `Some` when it folds
/// to exactly one character, `None` when it vanishes (a lone combining mark) or becomes several.
/// For parsers that need folded text with one character per original character.
pub fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    // Latin letters, Vietnamese included (U+1EA0–U+1EF9), come from a table built once.
    static TABLE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    const TABLE_END: u32 = 0x2000;
    const NONE: u32 = u32::MAX;
    if (c as u32) < TABLE_END {
        let table = TABLE.get_or_init(|| {
            (0..TABLE_END)
                .map(|u| char::from_u32(u).and_then(fold_char_slow).map_or(NONE, u32::from))
                .collect()
        });
        return table.get(c as usize).and_then(|&u| if u == NONE { None } else { char::from_u32(u) });
    }
    fold_char_slow(c)
}

fn fold_char_slow(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    let mut out = None;
    let mut count = 0usize;
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        let d = match d {
            'đ' => 'd',
            'Đ' | 'Ð' => 'D',
            d => d,
        };
        for l in d.to_lowercase() {
            count += 1;
            out = Some(l);
        }
    });
    if count == 1 { out } else { None }
}

/// The five Vietnamese tone marks as combining characters:
/// huyền (grave), sắc (acute), ngã (tilde), hỏi (hook above), nặng (dot below).
const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// Vowel groups (lowercase) whose tone placement differs between the "new" style (tone on the
/// second vowel: hoà, khoẻ, thuỷ) and the traditional style used in legal texts (tone on the
/// first vowel: hòa, khỏe, thủy) when the group ends the syllable.
const TONE_GROUPS: [(char, char); 3] = [('o', 'a'), ('o', 'e'), ('u', 'y')];

/// How a single (NFC) character decomposes with respect to Vietnamese tone marks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    /// A base letter with no combining mark at all.
    Plain(char),
    /// A base letter with exactly one mark, which is a tone mark.
    Toned(char, char),
    /// Anything else (other marks such as circumflex/breve/horn, or several marks).
    Other,
}

fn shape(c: char) -> Shape {
    let mut parts: [Option<char>; 3] = [None; 3];
    let mut n = 0usize;
    decompose_canonical(c, |d| {
        if let Some(slot) = parts.get_mut(n) {
            *slot = Some(d);
        }
        n += 1;
    });
    match (n, parts) {
        (1, [Some(base), _, _]) => Shape::Plain(base),
        (2, [Some(base), Some(mark), _]) if TONE_MARKS.contains(&mark) => Shape::Toned(base, mark),
        _ => Shape::Other,
    }
}

/// Base letter (lowercased) of a Latin character, ignoring every diacritic.
fn base_lower(c: char) -> char {
    let mut first = c;
    let mut seen = false;
    decompose_canonical(c, |d| {
        if !seen {
            first = d;
            seen = true;
        }
    });
    first.to_lowercase().next().unwrap_or(first)
}

fn is_vowel(c: char) -> bool {
    matches!(base_lower(c), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() || is_combining_mark(c)
}

/// NFC, then move the tone mark of a syllable-final `oa`, `oe`, `uy` group (any case) from the
/// second vowel to the first, i.e. the traditional placement used in legal documents:
/// "hoà"→"hòa", "thuỷ"→"thủy", "khoẻ"→"khỏe", "HOÀ"→"HÒA", "Uỷ ban"→"Ủy ban".
///
/// Syllables where a letter follows the group ("hoàn", "toán", "thuyền", "khuyến", "ngoài")
/// are left alone because the tone correctly sits on the second vowel there, and so are
/// "qu" + y ("quý", "quỹ") where `u` belongs to the consonant.
pub fn normalize_tone(s: &str) -> String {
    let mut chars: Vec<char> = s.nfc().collect();
    let len = chars.len();
    for i in 0..len.saturating_sub(1) {
        let (Some(&c1), Some(&c2)) = (chars.get(i), chars.get(i + 1)) else {
            continue;
        };
        let (Shape::Plain(b1), Shape::Toned(b2, tone)) = (shape(c1), shape(c2)) else {
            continue;
        };
        let (l1, l2) = (base_lower(b1), base_lower(b2));
        if !TONE_GROUPS.contains(&(l1, l2)) {
            continue;
        }
        // The group must end the syllable.
        if chars.get(i + 2).is_some_and(|&n| is_letter(n)) {
            continue;
        }
        // The group must start the rhyme: no vowel before it, and "qu" is a consonant.
        if let Some(&p) = i.checked_sub(1).and_then(|j| chars.get(j))
            && is_letter(p)
            && (is_vowel(p) || (l1 == 'u' && base_lower(p) == 'q'))
        {
            continue;
        }
        if let Some(toned) = compose(b1, tone) {
            if let Some(slot) = chars.get_mut(i) {
                *slot = toned;
            }
            if let Some(slot) = chars.get_mut(i + 1) {
                *slot = b2;
            }
        }
    }
    chars.into_iter().collect()
}

/// Key for exact matching of names and agencies: [`normalize_tone`], lowercase, collapse runs of
/// whitespace to one space, trim.
pub fn exact_key(s: &str) -> String {
    let lowered: String = normalize_tone(s).to_lowercase().nfc().collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// ASCII, hyphen-separated slug for file names: "Báo cáo hòa giải 2025" → "bao-cao-hoa-giai-2025".
///
/// Characters that do not fold to ASCII letters or digits act as separators.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod fold_char_tests {
    use super::{fold, fold_char};

    /// `fold_char` agrees with `fold` on every character of the Basic Multilingual Plane.
    #[test]
    fn agrees_with_fold_on_the_bmp() {
        for u in 0u32..0x1_0000 {
            let Some(c) = char::from_u32(u) else { continue };
            let f = fold(c.encode_utf8(&mut [0u8; 4]));
            let mut it = f.chars();
            let expected = match (it.next(), it.next()) {
                (Some(x), None) => Some(x),
                _ => None,
            };
            assert_eq!(fold_char(c), expected, "U+{u:04X}");
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn nfd(s: &str) -> String {
        s.nfd().collect()
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        let decomposed = "Nguye\u{0302}\u{0303}n Thi\u{0323} Hoa\u{0300}";
        assert_eq!(nfc(decomposed), "Nguyễn Thị Hoà");
        assert_eq!(nfc("Lạng Sơn"), "Lạng Sơn");
        assert_ne!(decomposed, "Nguyễn Thị Hoà");
    }

    #[test]
    fn fold_drops_diacritics_and_d_stroke() {
        assert_eq!(fold("Đặng Thị Hương"), "dang thi huong");
        assert_eq!(
            fold("Ủy ban nhân dân xã Hữu Lũng"),
            "uy ban nhan dan xa huu lung"
        );
        assert_eq!(fold("ĐỒNG ĐĂNG"), "dong dang");
        assert_eq!(fold("Phường 10"), "phuong 10");
        assert_eq!(fold(&nfd("Trường Sa")), "truong sa");
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("Ðinh"), "dinh");
    }

    #[test]
    fn normalize_tone_moves_tone_for_syllable_final_groups() {
        let cases = [
            ("hoà", "hòa"),
            ("thuỷ", "thủy"),
            ("khoẻ", "khỏe"),
            ("Hoà", "Hòa"),
            ("HOÀ", "HÒA"),
            ("THUỶ", "THỦY"),
            ("Hoà giải viên", "Hòa giải viên"),
            ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
            ("UỶ BAN", "ỦY BAN"),
            ("oà khóc", "òa khóc"),
            ("toạ đàm", "tọa đàm"),
            ("loè loẹt", "lòe loẹt"),
            ("tuỳ ý", "tùy ý"),
            ("luỹ kế", "lũy kế"),
            ("hoá đơn", "hóa đơn"),
            ("Thuỵ Điển", "Thụy Điển"),
            ("khoẻ.", "khỏe."),
            ("(hoà)", "(hòa)"),
            ("hoà-giải", "hòa-giải"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_tone(input), expected, "input {input:?}");
            assert_eq!(normalize_tone(&nfd(input)), expected, "NFD input {input:?}");
        }
    }

    #[test]
    fn normalize_tone_keeps_correct_placements() {
        for s in [
            "hoàn",
            "toán",
            "thuyền",
            "khuyến",
            "ngoài",
            "xoáy",
            "khuỷu",
            "hoặc",
            "quý",
            "Quỳnh",
            "quỹ",
            "QUỶ",
            "hòa",
            "thủy",
            "khỏe",
            "Lạng Sơn",
            "Hoàng",
            "chuyện",
            "",
            "hoa",
            "uy tín",
        ] {
            assert_eq!(normalize_tone(s), s, "input {s:?}");
        }
    }

    #[test]
    fn exact_key_examples() {
        assert_eq!(exact_key("  Nguyễn   Thị\tHoà \n"), "nguyễn thị hòa");
        assert_eq!(exact_key("UỶ BAN  NHÂN DÂN"), "ủy ban nhân dân");
        assert_eq!(
            exact_key("Ủy ban nhân dân"),
            exact_key(&nfd("Uỷ  ban nhân dân "))
        );
        assert_ne!(exact_key("Hà"), exact_key("Hạ"));
        assert_eq!(exact_key(""), "");
    }

    #[test]
    fn slug_examples() {
        assert_eq!(slug("Báo cáo hòa giải 2025"), "bao-cao-hoa-giai-2025");
        assert_eq!(
            slug("  Đơn đề nghị -- số 12/2025 "),
            "don-de-nghi-so-12-2025"
        );
        assert_eq!(
            slug("Xã Hữu Lũng, tỉnh Lạng Sơn"),
            "xa-huu-lung-tinh-lang-son"
        );
        assert_eq!(slug("***"), "");
        assert_eq!(slug("Ưng Hoàng Phúc"), "ung-hoang-phuc");
    }

    /// Strings made mostly of Vietnamese letters (precomposed and decomposed), spaces, digits.
    fn vietnamese_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "đ", "Đ", "q", "h", "k",
            "t", "n", "g", "A", "O", "U", "Y", "E", " ", "1", "-", ".", "\u{0300}", "\u{0301}",
            "\u{0303}", "\u{0309}", "\u{0323}", "\u{0302}", "\u{0306}", "\u{031B}", "oa", "oe",
            "uy", "qu", "hoà", "thuỷ", "khoẻ", "HOÀ", "ễ", "ự", "ẵ",
        ]);
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn fold_same_for_nfc_and_nfd(s in "\\PC*") {
            prop_assert_eq!(fold(&nfc(&s)), fold(&nfd(&s)));
        }

        #[test]
        fn fold_same_for_nfc_and_nfd_vietnamese(s in vietnamese_text()) {
            prop_assert_eq!(fold(&nfc(&s)), fold(&nfd(&s)));
            prop_assert_eq!(fold(&s), fold(&nfc(&s)));
        }

        #[test]
        fn nfc_idempotent(s in "\\PC*") {
            let once = nfc(&s);
            prop_assert_eq!(nfc(&once), once.clone());
            prop_assert_eq!(nfc(&nfd(&s)), once);
        }

        #[test]
        fn normalize_tone_idempotent_and_fold_preserving(s in vietnamese_text()) {
            let once = normalize_tone(&s);
            prop_assert_eq!(normalize_tone(&once), once.clone());
            prop_assert_eq!(fold(&once), fold(&s));
            prop_assert_eq!(nfc(&once), once);
        }

        #[test]
        fn normalize_tone_any_text(s in "\\PC*") {
            let once = normalize_tone(&s);
            prop_assert_eq!(normalize_tone(&once), once.clone());
            prop_assert_eq!(fold(&once), fold(&s));
        }

        #[test]
        fn exact_key_is_trimmed_and_idempotent(s in vietnamese_text()) {
            let k = exact_key(&s);
            prop_assert_eq!(k.trim(), k.as_str());
            prop_assert!(!k.contains("  "));
            prop_assert_eq!(exact_key(&k), k);
        }

        #[test]
        fn slug_is_ascii(s in "\\PC*") {
            let sl = slug(&s);
            prop_assert!(sl.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!sl.starts_with('-') && !sl.ends_with('-') && !sl.contains("--"));
        }
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn input_drops_controls_and_bidi_but_keeps_lines() {
        assert_eq!(clean_input("Hoa\u{300}\0 B\u{202E}c\u{200B}"), "Hoà Bc");
        assert_eq!(clean_input("dòng 1\r\ndòng 2\rdòng 3\tx"), "dòng 1\ndòng 2\ndòng 3\tx");
        assert_eq!(clean_input("\u{FEFF}\u{7}\u{9B}Kế hoạch"), "Kế hoạch");
        assert!(!is_unwanted('đ') && !is_unwanted('\n') && is_unwanted('\u{2066}'));
    }
}
