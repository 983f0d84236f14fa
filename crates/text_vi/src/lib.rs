//! Vietnamese text toolkit (chuẩn hoá văn bản tiếng Việt): NFC at every boundary, search folding,
//! tone-placement normalisation, ICU `vi` collation, dd/mm/yyyy dates, 1.234.567 numbers and
//! amounts of money in words.
//!
//! Every function is pure (no I/O) and callable from any thread.
//!
//! ```
//! use std::cmp::Ordering;
//!
//! assert_eq!(text_vi::fold("Đặng Thị Hương"), "dang thi huong");
//! assert_eq!(text_vi::normalize_tone("Uỷ ban nhân dân"), "Ủy ban nhân dân");
//! assert_eq!(text_vi::compare("Dương", "Đặng"), Ordering::Less);
//! assert_eq!(text_vi::format_vnd(1_234_567), "1.234.567 đồng");
//! assert_eq!(
//!     text_vi::vnd_in_words(1_234_567),
//!     "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"
//! );
//! assert_eq!(text_vi::slug("Báo cáo hòa giải 2025"), "bao-cao-hoa-giai-2025");
//! ```

mod collate;
mod date;
mod normalize;
mod number;
mod words;

pub use collate::{compare, compare_person_names, sort, sort_by_key};
pub use date::{DateParseError, format_date, format_datetime, official_date_line, parse_date, vietnam_day_start};
pub use normalize::{clean_input, is_unwanted};
pub use normalize::{exact_key, fold, fold_char, nfc, normalize_tone, slug};
pub use number::{format_decimal, format_int, format_vnd};
pub use words::{int_in_words, vnd_in_words};
