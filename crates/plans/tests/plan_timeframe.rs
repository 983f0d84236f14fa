//! Timeframes as written → deadline, recurrence, window.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

use chrono::NaiveDate;
use plans::rules::{Recurrence, parse_timeframe};

fn d(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[test]
fn deadline_table() {
    use Recurrence::*;
    // (written, plan year, deadline, recurrence, window)
    let table: &[(
        &str,
        Option<i32>,
        Option<&str>,
        Option<Recurrence>,
        Option<(&str, &str)>,
    )] = &[
        ("Quý I năm 2024", Some(2024), Some("2024-03-31"), None, None),
        ("Quý IV/2024", Some(2024), Some("2024-12-31"), None, None),
        (
            "Quý III, năm 2024",
            Some(2024),
            Some("2024-09-30"),
            None,
            None,
        ),
        ("quý IV năm 2024", None, Some("2024-12-31"), None, None),
        ("trong năm 2024", Some(2024), Some("2024-12-31"), None, None),
        ("Năm 2021, 2022", Some(2020), Some("2022-12-31"), None, None),
        (
            "Tháng 01 năm 2024",
            Some(2024),
            Some("2024-01-31"),
            None,
            None,
        ),
        ("Tháng 02 năm 2024", None, Some("2024-02-29"), None, None),
        (
            "Hoàn thành trong Quý II năm 2021",
            Some(2020),
            Some("2021-06-30"),
            None,
            None,
        ),
        (
            "trước ngày 05/12/2024",
            Some(2024),
            Some("2024-12-05"),
            None,
            None,
        ),
        (
            "trước ngày 20/5",
            Some(2024),
            Some("2024-05-20"),
            None,
            None,
        ),
        ("thường xuyên", Some(2024), None, Some(Ongoing), None),
        ("Thường xuyên", None, None, Some(Ongoing), None),
        ("Hàng năm", Some(2020), None, Some(Annual), None),
        ("hằng năm", Some(2020), None, Some(Annual), None),
        (
            "Theo hướng dẫn của Trung ương",
            Some(2020),
            None,
            Some(WhenInstructed),
            None,
        ),
        (
            "Theo hướng dẫn Trung ương",
            Some(2020),
            None,
            Some(WhenInstructed),
            None,
        ),
        (
            "khi có Kế hoạch của Bộ Công an",
            Some(2024),
            None,
            Some(WhenInstructed),
            None,
        ),
        (
            "năm 2024; cao điểm từ ngày 01/11 đến ngày 09/11/2024",
            Some(2024),
            Some("2024-12-31"),
            None,
            Some(("2024-11-01", "2024-11-09")),
        ),
        ("Quý I", Some(2024), Some("2024-03-31"), None, None),
        ("Quý I", None, None, None, None),
        (
            "dự kiến Quý IV năm 2024",
            Some(2024),
            Some("2024-12-31"),
            None,
            None,
        ),
        (
            "trong năm 2024; riêng Kế hoạch năm hoàn thành trong Quý I năm 2024",
            Some(2024),
            Some("2024-12-31"),
            None,
            None,
        ),
        (
            "trong năm 2024 và tiếp tục nhân rộng mô hình vào những năm tiếp theo",
            None,
            Some("2024-12-31"),
            None,
            None,
        ),
        ("sau sơ kết 06 tháng", Some(2024), None, None, None),
        // NFD input reads the same.
        (
            "Qu\u{0079}\u{0301} IV n\u{0103}m 2024",
            None,
            Some("2024-12-31"),
            None,
            None,
        ),
    ];
    for (text, year, deadline, recurrence, window) in table {
        let tf = parse_timeframe(text, *year);
        assert_eq!(tf.deadline, deadline.and_then(d), "deadline of {text:?}");
        assert_eq!(tf.recurrence, *recurrence, "recurrence of {text:?}");
        let w = tf.window.map(|w| (w.from, w.to));
        let want = window.and_then(|(a, b)| Some((d(a)?, d(b)?)));
        assert_eq!(w, want, "window of {text:?}");
    }
}
