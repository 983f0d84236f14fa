//! Excel (XLSX) export of the task table.
//!
//! Layout: sheet "Nhiệm vụ"; row 1 the unit (bold), row 2 the title (bold, merged across the
//! table), row 3 "Ngày xuất: dd/mm/yyyy"; then a bordered, wrapped header row that is frozen and
//! carries an autofilter. Deadlines are real Excel dates formatted "dd/mm/yyyy" (the Vietnamese
//! date order used in administrative documents, cf. Nghị định 30/2020/NĐ-CP, Phụ lục I), progress
//! is a number. Every text is written as a string cell — never a formula — so input starting with
//! `=`, `+`, `-` or `@` cannot inject one (such cells also get Excel's quote prefix).
//! Printing: A4 landscape, one page wide, header row repeated.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::{ExportError, text::xml_safe};

/// The task table to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSheet {
    /// Unit name printed on row 1.
    pub unit: String,
    /// Table title printed on row 2.
    pub title: String,
    /// Export date printed on row 3.
    pub generated_on: NaiveDate,
    /// Table rows, in display order.
    pub rows: Vec<TaskRow>,
}

/// One task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    /// Outline number ("I.2.a").
    pub path: String,
    pub title: String,
    /// Lead agency (chủ trì).
    pub lead: String,
    /// Coordinating agencies (phối hợp).
    pub coordinating: String,
    pub timeframe: String,
    pub deadline: Option<NaiveDate>,
    /// Vietnamese status label.
    pub status: String,
    /// 0..=100.
    pub progress: Option<i64>,
    pub products: String,
    pub results: String,
    /// Implementing unit/agency, may be empty.
    pub unit: String,
}

/// Sheet name.
pub const SHEET_NAME: &str = "Nhiệm vụ";

/// Column headers and widths (in characters).
pub const HEADERS: [(&str, f64); 12] = [
    ("STT", 5.0),
    ("Mục", 8.0),
    ("Nhiệm vụ", 45.0),
    ("Chủ trì", 20.0),
    ("Phối hợp", 22.0),
    ("Thời gian thực hiện", 16.0),
    ("Hạn hoàn thành", 13.0),
    ("Trạng thái", 15.0),
    ("Tiến độ (%)", 9.0),
    ("Sản phẩm", 28.0),
    ("Kết quả", 28.0),
    ("Đơn vị thực hiện", 20.0),
];

const HEADER_ROW: u32 = 4;
const LAST_COL: u16 = HEADERS.len() as u16 - 1;
/// Excel's cell text limit.
const MAX_CELL_CHARS: usize = 32_767;
pub(crate) const FONT: &str = "Times New Roman";

/// Cell text: trimmed, XML-safe, cut at Excel's limit.
pub(crate) fn cell_text(s: &str) -> String {
    let clean = xml_safe(s.trim());
    if clean.chars().count() > MAX_CELL_CHARS {
        clean.chars().take(MAX_CELL_CHARS).collect()
    } else {
        clean
    }
}

/// Text that a spreadsheet would read as a formula if typed in.
pub(crate) fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@'])
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    // Month and day always fit in u8.
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

fn write_sheet(ws: &mut Worksheet, sheet: &TaskSheet) -> Result<(), XlsxError> {
    let base = Format::new().set_font_name(FONT).set_font_size(12);
    let bold = base.clone().set_bold();
    let title = bold
        .clone()
        .set_font_size(14)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let italic = base.clone().set_italic();
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let centered = cell.clone().set_align(FormatAlign::Center);
    let header = centered
        .clone()
        .set_bold()
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xD9E2F3));
    let date = centered.clone().set_num_format("dd/mm/yyyy");
    let number = centered.clone().set_num_format("0");
    // Quote prefix: Excel keeps the text literal even when the cell is edited.
    let cell_quoted = cell.clone().set_quote_prefix();
    let centered_quoted = centered.clone().set_quote_prefix();

    ws.set_name(SHEET_NAME)?;
    ws.write_string_with_format(0, 0, cell_text(&sheet.unit), &bold)?;
    ws.merge_range(1, 0, 1, LAST_COL, &cell_text(&sheet.title), &title)?;
    ws.set_row_height(1, 36)?;
    ws.write_string_with_format(
        2,
        0,
        format!("Ngày xuất: {}", text_vi::format_date(sheet.generated_on)),
        &italic,
    )?;

    for (col, (label, width)) in (0u16..).zip(HEADERS) {
        ws.set_column_width(col, width)?;
        ws.write_string_with_format(HEADER_ROW, col, label, &header)?;
    }
    ws.set_row_height(HEADER_ROW, 32)?;

    let mut row = HEADER_ROW;
    for (i, task) in sheet.rows.iter().enumerate() {
        row += 1;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &centered)?;
        let texts = [
            (1, &task.path),
            (2, &task.title),
            (3, &task.lead),
            (4, &task.coordinating),
            (5, &task.timeframe),
            (7, &task.status),
            (9, &task.products),
            (10, &task.results),
            (11, &task.unit),
        ];
        for (col, text) in texts {
            let text = cell_text(text);
            let f = match (col == 1 || col == 5, looks_like_formula(&text)) {
                (true, false) => &centered,
                (true, true) => &centered_quoted,
                (false, false) => &cell,
                (false, true) => &cell_quoted,
            };
            ws.write_string_with_format(row, col, text, f)?;
        }
        match task.deadline {
            Some(d) => ws.write_datetime_with_format(row, 6, excel_date(d)?, &date)?,
            None => ws.write_blank(row, 6, &date)?,
        };
        match task.progress {
            Some(p) => ws.write_number_with_format(row, 8, p.clamp(0, 100) as f64, &number)?,
            None => ws.write_blank(row, 8, &number)?,
        };
    }

    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    ws.autofilter(HEADER_ROW, 0, row, LAST_COL)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    Ok(())
}

/// Build the XLSX bytes of the task table.
pub fn task_table_xlsx(sheet: &TaskSheet) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    write_sheet(wb.add_worksheet(), sheet).map_err(ExportError::xlsx)?;
    wb.save_to_buffer().map_err(ExportError::xlsx)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use calamine::{Data, DataType, Reader, Xlsx};
    use std::io::Cursor;

    fn row(title: &str, deadline: Option<NaiveDate>, progress: Option<i64>) -> TaskRow {
        TaskRow {
            path: "I.1".into(),
            title: title.into(),
            lead: "Sở Tư pháp".into(),
            coordinating: "Sở Thông tin và Truyền thông".into(),
            timeframe: "Quý I".into(),
            deadline,
            status: "Đang thực hiện".into(),
            progress,
            products: "Báo cáo".into(),
            results: "-5 cuộc".into(),
            unit: String::new(),
        }
    }

    #[test]
    fn round_trips_through_calamine() {
        let sheet = TaskSheet {
            unit: "HỘI ĐỒNG PHỐI HỢP PBGDPL TỈNH LẠNG SƠN".into(),
            title: "Bảng theo dõi nhiệm vụ phổ biến, giáo dục pháp luật năm 2024".into(),
            generated_on: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
            rows: vec![
                row(
                    "Tuyên truyền Hiến pháp",
                    NaiveDate::from_ymd_opt(2024, 3, 31),
                    Some(50),
                ),
                row("=1+1", None, None),
                row("@SUM(A1)", None, Some(250)),
            ],
        };
        let bytes = task_table_xlsx(&sheet).unwrap();
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), vec![SHEET_NAME.to_string()]);
        let range = wb.worksheet_range(SHEET_NAME).unwrap();
        let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        let s = |r, c| match at(r, c) {
            Data::String(s) => s,
            other => panic!("({r},{c}) not a string: {other:?}"),
        };

        assert_eq!(s(0, 0), sheet.unit);
        assert_eq!(s(1, 0), sheet.title);
        assert_eq!(s(2, 0), "Ngày xuất: 01/04/2024");
        for (c, (label, _)) in HEADERS.iter().enumerate() {
            assert_eq!(s(HEADER_ROW, c as u32), *label);
        }
        let first = HEADER_ROW + 1;
        assert_eq!(at(first, 0).as_f64(), Some(1.0));
        assert_eq!(s(first, 2), "Tuyên truyền Hiến pháp");
        assert_eq!(s(first, 7), "Đang thực hiện");
        assert_eq!(
            at(first, 6).as_date(),
            NaiveDate::from_ymd_opt(2024, 3, 31),
            "deadline cell: {:?}",
            at(first, 6)
        );
        assert!(matches!(at(first, 6), Data::DateTime(_)));
        assert_eq!(at(first, 8).as_f64(), Some(50.0));
        assert_eq!(s(first, 10), "-5 cuộc");

        // No formula injection: the text comes back literally and no formula is stored.
        assert_eq!(s(first + 1, 2), "=1+1");
        assert_eq!(s(first + 2, 2), "@SUM(A1)");
        assert_eq!(at(first + 2, 8).as_f64(), Some(100.0));
        let formulas = wb.worksheet_formula(SHEET_NAME).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    }

    #[test]
    fn empty_sheet_is_valid() {
        let sheet = TaskSheet {
            unit: String::new(),
            title: "Trống".into(),
            generated_on: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            rows: vec![],
        };
        let bytes = task_table_xlsx(&sheet).unwrap();
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert!(wb.worksheet_range(SHEET_NAME).is_ok());
    }
}
