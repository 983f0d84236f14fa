//! Vietnamese collation (ICU4X, CLDR `vi` tailoring, compiled data).

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::{CollatorBorrowed, CollatorPreferences, options::CollatorOptions};
use icu_locale::locale;

/// Process-wide `vi` collator. `CollatorBorrowed<'static>` borrows baked (compiled) data only,
/// so it is `Send + Sync` and can be shared by every thread (e.g. an SQLite collation callback).
///
/// Default options (tertiary strength, non-ignorable punctuation, case-first off, numeric off)
/// match `Intl.Collator('vi')` / ICU4C defaults; the oracle test checks this against Node.
static COLLATOR: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    let vi: CollatorPreferences = locale!("vi").into();
    CollatorBorrowed::try_new(vi, CollatorOptions::default())
        .or_else(|_| {
            CollatorBorrowed::try_new(CollatorPreferences::default(), CollatorOptions::default())
        })
        .ok()
});

// Compile-time proof that the shared collator may be used from any thread.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<CollatorBorrowed<'static>>();
};

/// Compare two strings in Vietnamese alphabetical order
/// (a ă â b c d đ e ê … o ô ơ … u ư …, tones as secondary differences, case tertiary).
///
/// Canonically equivalent strings (NFC vs NFD) compare `Equal`.
pub fn compare(a: &str, b: &str) -> Ordering {
    match COLLATOR.as_ref() {
        Some(collator) => collator.compare(a, b),
        // Baked data cannot fail to load; keep a deterministic, total fallback anyway.
        None => crate::fold(a).cmp(&crate::fold(b)).then_with(|| a.cmp(b)),
    }
}

/// Stable sort in Vietnamese order.
pub fn sort(v: &mut [String]) {
    v.sort_by(|a, b| compare(a, b));
}

/// Stable sort of arbitrary items by a string key in Vietnamese order.
pub fn sort_by_key<T>(v: &mut [T], key: impl Fn(&T) -> &str) {
    v.sort_by(|a, b| compare(key(a), key(b)));
}

/// Split a Vietnamese full name into (family + middle names, given name).
fn split_name(full: &str) -> (String, &str) {
    let mut parts: Vec<&str> = full.split_whitespace().collect();
    let given = parts.pop().unwrap_or("");
    (parts.join(" "), given)
}

/// Order people the Vietnamese way: by given name (the last syllable) first, then by family and
/// middle names, then by the full string. "Trần Văn An" < "Lê Thị Bình" < "Nguyễn Văn Bình".
pub fn compare_person_names(a: &str, b: &str) -> Ordering {
    let (rest_a, given_a) = split_name(a);
    let (rest_b, given_b) = split_name(b);
    compare(given_a, given_b)
        .then_with(|| compare(&rest_a, &rest_b))
        .then_with(|| compare(a, b))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        sort(&mut v);
        v
    }

    #[test]
    fn collator_loaded_from_compiled_data() {
        assert!(COLLATOR.is_some());
    }

    #[test]
    fn vietnamese_alphabet_order() {
        assert_eq!(
            sorted(&["Đặng", "Dương", "Ân", "Ăn", "Anh", "Bảo", "Ánh"]),
            ["Anh", "Ánh", "Ăn", "Ân", "Bảo", "Dương", "Đặng"]
        );
        assert_eq!(
            sorted(&["ơ", "ô", "o", "ư", "u"]),
            ["o", "ô", "ơ", "u", "ư"]
        );
        assert_eq!(compare("dz", "đa"), Ordering::Less);
        assert_eq!(compare("Ý", "Yến"), Ordering::Less);
    }

    #[test]
    fn tones_are_secondary() {
        // Base letters decide first, tones only break ties.
        assert_eq!(compare("Hạ", "Hai"), Ordering::Less);
        assert_eq!(compare("Hà", "Hạ"), Ordering::Less);
        assert_eq!(compare("ha", "hà"), Ordering::Less);
    }

    #[test]
    fn nfc_and_nfd_compare_equal() {
        assert_eq!(compare("Nguyễn", "Nguye\u{0302}\u{0303}n"), Ordering::Equal);
        assert_eq!(compare("hoà", "hòa"), compare("hoa\u{0300}", "ho\u{0300}a"));
    }

    #[test]
    fn sort_by_key_is_stable() {
        let mut v = vec![
            ("Đà Nẵng", 1),
            ("An Giang", 2),
            ("Đà Nẵng", 3),
            ("Bắc Ninh", 4),
        ];
        sort_by_key(&mut v, |x| x.0);
        assert_eq!(
            v,
            [
                ("An Giang", 2),
                ("Bắc Ninh", 4),
                ("Đà Nẵng", 1),
                ("Đà Nẵng", 3)
            ]
        );
    }

    #[test]
    fn person_names_by_given_name() {
        let mut v = vec![
            "Nguyễn Văn Bình",
            "Trần Văn An",
            "Lê Thị Bình",
            "Đỗ Ánh",
            "Hoàng Anh",
            "Phạm Thị Yến",
            "Vũ Đức Ý",
        ];
        v.sort_by(|a, b| compare_person_names(a, b));
        assert_eq!(
            v,
            [
                "Trần Văn An",
                "Hoàng Anh",
                "Đỗ Ánh",
                "Lê Thị Bình",
                "Nguyễn Văn Bình",
                "Vũ Đức Ý",
                "Phạm Thị Yến",
            ]
        );
        // Same given and family names: falls back to the full string.
        assert_eq!(compare_person_names("  An ", "An"), compare("  An ", "An"));
        assert_eq!(compare_person_names("", ""), Ordering::Equal);
    }

    #[test]
    fn compare_from_many_threads() {
        let handles: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| compare("Ăn", "Ân")))
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), Ordering::Less);
        }
    }
}
