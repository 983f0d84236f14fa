//! Reading a roster of mediators (danh sách hòa giải viên) from the table of an uploaded
//! workbook: columns are found by their Vietnamese headers (with or without diacritics, in any
//! order), every row is checked, and every problem is reported with its row, so that nothing is
//! imported while one remains.

use chrono::NaiveDate;

use super::team::is_ethnic_minority;
use crate::msg;

/// The header that anchors the roster's table (its first column).
pub const ANCHOR: &str = "Họ và tên";

/// The roster's columns, in the order of the exported file.
pub const COLUMNS: [&str; 12] = [
    "Họ và tên",
    "Giới tính",
    "Năm sinh",
    "Dân tộc",
    "Địa chỉ",
    "Điện thoại",
    "Nghề nghiệp",
    "Trình độ pháp lý",
    "Đảng viên, đoàn thể",
    "Số quyết định công nhận",
    "Ngày công nhận",
    "Tổ trưởng",
];

const MAX_TEXT: usize = 200;

/// A mediator as read from a roster row (or typed in the form).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MediatorInput {
    pub full_name: String,
    /// `female` or `male`.
    pub gender: String,
    pub birth_year: Option<i64>,
    pub ethnicity: String,
    pub ethnic_minority: bool,
    pub address: String,
    pub phone: String,
    pub occupation: String,
    pub legal_training: String,
    pub membership: String,
    pub recognition_no: String,
    pub recognition_on: Option<NaiveDate>,
    pub leader: bool,
}

/// One problem, on a row (Excel row number) and a column (its header).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: u32,
    pub column: &'static str,
    pub message: String,
}

/// Reads a gender as written on rosters: "Nữ", "nu", "Nam", "x" in a "Nữ" column …
pub fn parse_gender(s: &str) -> Option<&'static str> {
    match text_vi::fold(s.trim()).as_str() {
        "nu" | "f" | "female" => Some("female"),
        "nam" | "m" | "male" => Some("male"),
        _ => None,
    }
}

/// A birth year between 1900 and `this_year` − 15.
pub fn parse_birth_year(s: &str, this_year: i32) -> Result<Option<i64>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    // A full date (dd/mm/yyyy) gives its year.
    let year = match t.parse::<i64>() {
        Ok(y) => y,
        Err(_) => text_vi::parse_date(t).map(|d| i64::from(chrono::Datelike::year(&d))).map_err(|_| msg::bad_birth_year(t))?,
    };
    if !(1900..=i64::from(this_year) - 15).contains(&year) {
        return Err(msg::bad_birth_year(t));
    }
    Ok(Some(year))
}

/// A phone number: digits, spaces, dots, dashes and a leading +, 8 to 15 digits.
pub fn parse_phone(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let ok_chars = t.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-') || (c == '+' && i == 0));
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if !ok_chars || !(8..=15).contains(&digits) {
        return Err(msg::bad_phone(t));
    }
    Ok(t.to_string())
}

fn yes(s: &str) -> bool {
    matches!(text_vi::fold(s.trim()).as_str(), "x" | "co" | "1" | "true" | "to truong" | "yes")
}

/// Checks one mediator's typed fields; the errors are keyed by column header.
pub fn check(raw: &[(&'static str, &str)], this_year: i32) -> Result<MediatorInput, Vec<(&'static str, String)>> {
    let get = |col: &str| raw.iter().find(|(c, _)| *c == col).map(|(_, v)| text_vi::nfc(v.trim())).unwrap_or_default();
    let mut errors = Vec::new();
    let mut m = MediatorInput { full_name: get(COLUMNS[0]), ..Default::default() };
    if m.full_name.is_empty() {
        errors.push((COLUMNS[0], msg::NAME_REQUIRED.to_string()));
    }
    let gender = get(COLUMNS[1]);
    match parse_gender(&gender) {
        Some(g) => m.gender = g.into(),
        None => errors.push((COLUMNS[1], msg::bad_gender(&gender))),
    }
    match parse_birth_year(&get(COLUMNS[2]), this_year) {
        Ok(y) => m.birth_year = y,
        Err(e) => errors.push((COLUMNS[2], e)),
    }
    m.ethnicity = get(COLUMNS[3]);
    m.ethnic_minority = is_ethnic_minority(&m.ethnicity);
    m.address = get(COLUMNS[4]);
    match parse_phone(&get(COLUMNS[5])) {
        Ok(p) => m.phone = p,
        Err(e) => errors.push((COLUMNS[5], e)),
    }
    m.occupation = get(COLUMNS[6]);
    m.legal_training = get(COLUMNS[7]);
    m.membership = get(COLUMNS[8]);
    m.recognition_no = get(COLUMNS[9]);
    let on = get(COLUMNS[10]);
    if !on.is_empty() {
        match text_vi::parse_date(&on) {
            Ok(d) => m.recognition_on = Some(d),
            Err(_) => errors.push((COLUMNS[10], msg::bad_date_value(&on))),
        }
    }
    m.leader = yes(&get(COLUMNS[11]));
    for (col, v) in raw {
        if v.chars().count() > MAX_TEXT {
            errors.push((col, msg::too_long(MAX_TEXT)));
        }
    }
    if errors.is_empty() { Ok(m) } else { Err(errors) }
}

/// Reads a roster table (its header row and data rows with their Excel row numbers). Returns
/// every mediator, or every problem: missing columns, bad cells, two leaders, the same person
/// twice in the file.
pub fn parse(header: &[String], rows: &[(u32, Vec<String>)], this_year: i32) -> Result<Vec<MediatorInput>, Vec<RowError>> {
    let folded: Vec<String> = header.iter().map(|h| text_vi::fold(h.trim())).collect();
    let mut map: Vec<(&'static str, usize)> = Vec::new();
    let mut errors = Vec::new();
    for col in COLUMNS {
        let key = text_vi::fold(col);
        match folded.iter().position(|h| *h == key) {
            Some(i) => map.push((col, i)),
            None if col == COLUMNS[0] || col == COLUMNS[1] => {
                errors.push(RowError { row: 0, column: col, message: msg::missing_column(col) });
            }
            None => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![RowError { row: 0, column: COLUMNS[0], message: msg::EMPTY_ROSTER.into() }]);
    }
    let mut out = Vec::new();
    let mut seen: Vec<(String, Option<i64>, u32)> = Vec::new();
    let mut leader_row: Option<u32> = None;
    for (row, cells) in rows {
        let raw: Vec<(&'static str, &str)> = map.iter().map(|(c, i)| (*c, cells.get(*i).map(String::as_str).unwrap_or(""))).collect();
        match check(&raw, this_year) {
            Ok(m) => {
                let key = (text_vi::fold(&m.full_name), m.birth_year);
                if let Some((_, _, first)) = seen.iter().find(|(n, y, _)| *n == key.0 && *y == key.1) {
                    errors.push(RowError { row: *row, column: COLUMNS[0], message: msg::duplicate_person(*first) });
                }
                seen.push((key.0, key.1, *row));
                if m.leader {
                    if let Some(first) = leader_row {
                        errors.push(RowError { row: *row, column: COLUMNS[11], message: msg::two_leaders(first) });
                    }
                    leader_row = Some(*row);
                }
                out.push(m);
            }
            Err(list) => errors.extend(list.into_iter().map(|(column, message)| RowError { row: *row, column, message })),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn header() -> Vec<String> {
        ["STT", "Họ và tên", "Giới tính", "Năm sinh", "Dân tộc", "Điện thoại", "Tổ trưởng"].iter().map(|s| s.to_string()).collect()
    }
    fn row(n: u32, cells: &[&str]) -> (u32, Vec<String>) {
        (n, cells.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn reads_a_roster_in_any_column_order() {
        let rows = vec![row(4, &["1", "Hoàng Văn Dũng", "Nam", "1968", "Tày", "0912 345 678", "x"]), row(5, &["2", "Lý Thị Mai", "nu", "1979", "Nùng", "", ""])];
        let got = parse(&header(), &rows, 2026).unwrap();
        assert_eq!(got.len(), 2);
        assert!(got[0].leader && got[0].ethnic_minority && got[0].gender == "male");
        assert_eq!(got[1].gender, "female");
    }

    #[test]
    fn lists_every_error_by_row() {
        let rows = vec![
            row(4, &["1", "Hoàng Văn Dũng", "Nam", "1968", "Tày", "", "x"]),
            row(5, &["2", "Lý Thị Mai", "?", "3000", "Nùng", "12", ""]),
            row(6, &["3", "Hoàng Văn Dũng", "Nam", "1968", "", "", "x"]),
            row(7, &["4", "", "Nam", "", "", "", ""]),
        ];
        let errs = parse(&header(), &rows, 2026).unwrap_err();
        let at: Vec<(u32, &str)> = errs.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(at, vec![(5, "Giới tính"), (5, "Năm sinh"), (5, "Điện thoại"), (6, "Họ và tên"), (6, "Tổ trưởng"), (7, "Họ và tên")]);
    }

    #[test]
    fn needs_the_name_and_gender_columns() {
        let errs = parse(&["Tên".to_string()], &[row(2, &["A"])], 2026).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(errs.iter().all(|e| e.row == 0));
    }
}
