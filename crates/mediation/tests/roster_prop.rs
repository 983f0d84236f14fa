//! The roster importer never panics on arbitrary, truncated or NFD input, reports errors only
//! with real rows and known columns, and reads NFD text like its NFC form.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mediation::rules::roster::{self, COLUMNS};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn header() -> Vec<String> {
    COLUMNS.iter().map(|c| c.to_string()).collect()
}

proptest! {
    #[test]
    fn arbitrary_rows_never_panic(rows in proptest::collection::vec(proptest::collection::vec(".{0,30}", 0..14), 0..20), cut in 0usize..12) {
        let numbered: Vec<(u32, Vec<String>)> = rows.into_iter().enumerate().map(|(i, r)| (i as u32 + 4, r)).collect();
        let mut h = header();
        h.truncate(cut.max(2));
        match roster::parse(&h, &numbered, 2026) {
            Ok(list) => prop_assert_eq!(list.len(), numbered.len()),
            Err(errs) => {
                prop_assert!(!errs.is_empty());
                for e in errs {
                    prop_assert!(e.row == 0 || numbered.iter().any(|(n, _)| *n == e.row));
                    prop_assert!(COLUMNS.contains(&e.column));
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
    }

    #[test]
    fn nfd_reads_like_nfc(name in "[A-Za-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ ]{1,25}", year in 1930i64..2000, female in any::<bool>()) {
        let g = if female { "Nữ" } else { "Nam" };
        let row = |s: &str, g: &str| vec![(4u32, vec![s.to_string(), g.to_string(), year.to_string()])];
        let h: Vec<String> = header().into_iter().take(3).collect();
        let nfc = roster::parse(&h, &row(&name.nfc().collect::<String>(), g), 2026);
        let nfd = roster::parse(&h, &row(&name.nfd().collect::<String>(), &g.nfd().collect::<String>()), 2026);
        match (nfc, nfd) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.len(), b.len()),
            _ => prop_assert!(false, "NFC and NFD disagree"),
        }
    }
}
