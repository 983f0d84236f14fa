//! The periodic statistical report (*báo cáo thống kê*) as an Excel workbook, and the reader of
//! a copy that an officer filled in offline.
//!
//! Layout of sheet "Biểu" (0-based rows):
//!
//! * rows 0–1: the issuing body (with its parent body above) on the left, the national title and
//!   the motto on the right, as in Nghị định 30/2020/NĐ-CP, Phụ lục I;
//! * row 3: "Biểu số: HGCS (phiên bản 1)"; row 4: the form name, uppercase, bold, merged; rows
//!   5–7: the period, the scope and the legal basis (italic);
//! * row 9: the table header STT | Chỉ tiêu | Đơn vị tính | Mã chỉ tiêu | value columns…, frozen
//!   and repeated on every printed page; one row per indicator below it (sections bold, computed
//!   indicators italic on a grey background);
//! * under the table: the notes, the place-and-date line and the two signature titles.
//!
//! Numbers are real numbers ("#,##0", "#,##0.0"; Excel shows them with the reader's grouping,
//! "1.234" in Vietnamese). Every text is a string cell — never a formula.
//!
//! [`read_report_xlsx`] finds the "Mã chỉ tiêu" header cell in the first worksheet and returns,
//! for each row below it that has a key, the cell of the first value column. It never panics and
//! bounds the work it does on hostile input (zip bombs, huge sheets).

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, SheetType, Xlsx, XlsxError as CalamineError};
use chrono::{NaiveDate, Timelike};
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, FormatUnderline, Workbook, Worksheet, XlsxError,
};

use crate::ExportError;
use crate::xlsx::{FONT, cell_text, looks_like_formula};

/// One value of the report table.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportCell {
    /// A count or an amount, shown "#,##0".
    Int(i64),
    /// A ratio or a mean, shown "#,##0.0"; NaN and infinities are left blank.
    Real(f64),
    /// A text value, written as a string.
    Text(String),
}

/// One row of the report table.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// Value key used for re-import: "cases_received" or "cases_received:mediation_field:land";
    /// empty for section rows.
    pub key: String,
    /// "I", "1", "1.1" …
    pub stt: String,
    /// Indicator name.
    pub name: String,
    /// Unit of measure: "cuộc", "người", "đồng", "%".
    pub unit: String,
    /// Section heading row (bold, no values).
    pub is_section: bool,
    /// Computed indicator (italic, grey; not for input).
    pub computed: bool,
    /// One value per value column; missing entries are blank.
    pub values: Vec<Option<ReportCell>>,
}

/// The report to export.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSheet {
    /// Parent body, e.g. "UBND TỈNH LẠNG SƠN".
    pub parent_body: Option<String>,
    /// Issuing body, e.g. "SỞ TƯ PHÁP".
    pub issuing_body: String,
    /// Form code, e.g. "HGCS".
    pub form_code: String,
    pub form_version: u32,
    /// Form name, printed uppercase as the title.
    pub form_name: String,
    /// Legal basis line (italic); empty leaves the row blank.
    pub legal_basis: String,
    /// "Kỳ báo cáo: 6 tháng đầu năm 2026 (từ 01/01/2026 đến 30/06/2026)".
    pub period_label: String,
    /// "Đơn vị báo cáo: Xã Đoàn Kết" or "Tổng hợp: Tỉnh Lạng Sơn — 1/2 báo cáo đã phê duyệt".
    pub scope_label: String,
    /// Value column titles, e.g. ["Số liệu"] or ["Tổng", "Phường Đông Kinh", "Xã Đoàn Kết"].
    pub columns: Vec<String>,
    pub rows: Vec<ReportRow>,
    /// Place name of the date line, e.g. "Lạng Sơn".
    pub place: Option<String>,
    /// Date of the date line; `None` leaves it blank for handwriting.
    pub date: Option<NaiveDate>,
    /// "NGƯỜI LẬP BIỂU".
    pub preparer_title: String,
    /// "THỦ TRƯỞNG ĐƠN VỊ".
    pub head_title: String,
    /// Footnotes printed under the table.
    pub notes: Vec<String>,
}

/// Sheet name.
pub const SHEET_NAME: &str = "Biểu";
/// Header text of the key column, the anchor [`read_report_xlsx`] looks for.
pub const KEY_HEADER: &str = "Mã chỉ tiêu";
/// The fixed columns before the value columns, with their widths (in characters).
pub const FIXED_HEADERS: [(&str, f64); 4] = [
    ("STT", 6.0),
    ("Chỉ tiêu", 52.0),
    ("Đơn vị tính", 10.0),
    (KEY_HEADER, 24.0),
];
/// 0-based row of the table header.
pub const HEADER_ROW: u32 = 9;
/// The reader refuses a sheet with a value below this Excel row.
pub const MAX_ROWS: u32 = 5_000;

const KEY_COL: u16 = 3;
const FIRST_VALUE_COL: u16 = 4;
/// Last column of the left header/signature block (A:B).
const LEFT_LAST: u16 = 1;
/// Points per printed line of 12 pt text.
const LINE_PT: f64 = 16.0;

/// Formats shared by the sheet.
struct Formats {
    base: Format,
    bold_center: Format,
    motto: Format,
    title: Format,
    center: Format,
    italic_center: Format,
    notes: Format,
    notes_label: Format,
    header: Format,
    cell: Format,
    cell_center: Format,
    key: Format,
    int: Format,
    real: Format,
    text_value: Format,
}

impl Formats {
    fn new() -> Self {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let center = base
            .clone()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let bold_center = center.clone().set_bold();
        let motto = bold_center.clone().set_underline(FormatUnderline::Single);
        let title = bold_center.clone().set_font_size(14);
        let italic_center = center.clone().set_italic();
        let notes = base
            .clone()
            .set_italic()
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let notes_label = notes.clone().set_bold();
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let cell_center = cell.clone().set_align(FormatAlign::Center);
        let header = cell_center
            .clone()
            .set_bold()
            .set_background_color(Color::RGB(0xD9E2F3));
        let key = cell
            .clone()
            .set_font_size(10)
            .set_font_color(Color::RGB(0x595959));
        let number = cell.clone().set_align(FormatAlign::Right);
        let int = number.clone().set_num_format("#,##0");
        let real = number.set_num_format("#,##0.0");
        let text_value = cell.clone();
        Self {
            base,
            bold_center,
            motto,
            title,
            center,
            italic_center,
            notes,
            notes_label,
            header,
            cell,
            cell_center,
            key,
            int,
            real,
            text_value,
        }
    }
}

/// `f` with the look of `row`: sections bold, computed indicators italic on grey.
fn styled(f: &Format, row: &ReportRow) -> Format {
    if row.is_section {
        f.clone().set_bold()
    } else if row.computed {
        f.clone()
            .set_italic()
            .set_background_color(Color::RGB(0xF2F2F2))
    } else {
        f.clone()
    }
}

/// Width of a value column: room for its title on about two lines.
fn value_width(title: &str) -> f64 {
    let chars = title.trim().chars().count() as f64;
    (chars / 2.0 + 3.0).clamp(12.0, 20.0)
}

/// Estimated number of printed lines of `text` in a wrapped cell `width` characters wide.
fn lines(text: &str, width: f64) -> f64 {
    let per_line = (width / 1.15).max(1.0);
    text.split('\n')
        .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum()
}

/// Write `text` over columns `c0..=c1` of `row` (merged when wider than one cell).
fn span(
    ws: &mut Worksheet,
    row: u32,
    c0: u16,
    c1: u16,
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    let text = cell_text(text);
    let f = if looks_like_formula(&text) {
        &f.clone().set_quote_prefix()
    } else {
        f
    };
    if c1 > c0 {
        ws.merge_range(row, c0, row, c1, &text, f)?;
    } else {
        ws.write_string_with_format(row, c0, text, f)?;
    }
    Ok(())
}

fn date_line(sheet: &ReportSheet) -> String {
    let place = sheet
        .place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    match sheet.date {
        Some(d) => text_vi::official_date_line(place, d),
        None => format!("{}, ngày     tháng     năm 20…", place.unwrap_or("……")),
    }
}

fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&ReportCell>,
    fm: &Formats,
    r: &ReportRow,
) -> Result<(), XlsxError> {
    match value {
        Some(ReportCell::Int(n)) => {
            ws.write_number_with_format(row, col, *n as f64, &styled(&fm.int, r))?;
        }
        Some(ReportCell::Real(x)) if x.is_finite() => {
            ws.write_number_with_format(row, col, *x, &styled(&fm.real, r))?;
        }
        Some(ReportCell::Text(t)) => {
            let text = cell_text(t);
            let mut f = styled(&fm.text_value, r);
            if looks_like_formula(&text) {
                f = f.set_quote_prefix();
            }
            ws.write_string_with_format(row, col, text, &f)?;
        }
        Some(ReportCell::Real(_)) | None => {
            ws.write_blank(row, col, &styled(&fm.int, r))?;
        }
    }
    Ok(())
}

fn write_sheet(ws: &mut Worksheet, sheet: &ReportSheet) -> Result<(), XlsxError> {
    let fm = Formats::new();
    let value_cols =
        u16::try_from(sheet.columns.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    let last = (FIRST_VALUE_COL - 1)
        .checked_add(value_cols)
        .ok_or(XlsxError::RowColumnLimitError)?;
    let right_first = LEFT_LAST + 1;

    ws.set_name(SHEET_NAME)?;
    let mut widths: Vec<f64> = FIXED_HEADERS.iter().map(|(_, w)| *w).collect();
    widths.extend(sheet.columns.iter().map(|c| value_width(c)));
    for (col, w) in (0u16..).zip(&widths) {
        ws.set_column_width(col, *w)?;
    }
    let total_width: f64 = widths.iter().sum();
    let left_width: f64 = widths.iter().take(usize::from(LEFT_LAST) + 1).sum();
    let right_width = total_width - left_width;

    // Header block.
    let mut left = Vec::new();
    if let Some(parent) = sheet
        .parent_body
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        left.push((parent.to_uppercase(), &fm.center));
    }
    left.push((sheet.issuing_body.trim().to_uppercase(), &fm.motto));
    let right = [
        (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".to_string(),
            &fm.bold_center,
        ),
        ("Độc lập - Tự do - Hạnh phúc".to_string(), &fm.motto),
    ];
    for (row, (text, f)) in (0u32..).zip(&left) {
        span(ws, row, 0, LEFT_LAST, text, f)?;
    }
    for (row, (text, f)) in (0u32..).zip(&right) {
        span(ws, row, right_first, last, text, f)?;
    }
    let header_lines = left
        .iter()
        .map(|(t, _)| lines(t, left_width))
        .fold(1.0_f64, f64::max);
    if header_lines > 1.0 {
        for row in 0..2 {
            ws.set_row_height(row, header_lines * LINE_PT)?;
        }
    }

    let form_line = format!(
        "Biểu số: {} (phiên bản {})",
        sheet.form_code.trim(),
        sheet.form_version
    );
    span(ws, 3, 0, LEFT_LAST, &form_line, &fm.base.clone().set_bold())?;
    let title = sheet.form_name.trim().to_uppercase();
    span(ws, 4, 0, last, &title, &fm.title)?;
    ws.set_row_height(4, (lines(&title, total_width) * 20.0).max(24.0))?;
    for (row, text, f) in [
        (5, &sheet.period_label, &fm.center),
        (6, &sheet.scope_label, &fm.center),
        (7, &sheet.legal_basis, &fm.italic_center),
    ] {
        if !text.trim().is_empty() {
            span(ws, row, 0, last, text, f)?;
            ws.set_row_height(row, lines(text, total_width) * LINE_PT)?;
        }
    }

    // Table header.
    let headers = FIXED_HEADERS
        .iter()
        .map(|(h, _)| *h)
        .chain(sheet.columns.iter().map(String::as_str));
    let mut head_lines = 2.0_f64;
    for ((col, title), w) in (0u16..).zip(headers).zip(&widths) {
        ws.write_string_with_format(HEADER_ROW, col, cell_text(title), &fm.header)?;
        head_lines = head_lines.max(lines(title, *w));
    }
    ws.set_row_height(HEADER_ROW, head_lines * LINE_PT + 4.0)?;

    // Table body.
    let mut row = HEADER_ROW;
    for r in &sheet.rows {
        row = row.checked_add(1).ok_or(XlsxError::RowColumnLimitError)?;
        ws.write_string_with_format(row, 0, cell_text(&r.stt), &styled(&fm.cell_center, r))?;
        let mut name = styled(&fm.cell, r);
        if !r.is_section {
            let level = r.stt.trim().matches('.').count().min(4) as u8;
            if level > 0 {
                name = name.set_indent(level);
            }
        }
        let text = cell_text(&r.name);
        if looks_like_formula(&text) {
            name = name.set_quote_prefix();
        }
        ws.write_string_with_format(row, 1, text, &name)?;
        let mut unit = styled(&fm.cell_center, r);
        let text = cell_text(&r.unit);
        if looks_like_formula(&text) {
            unit = unit.set_quote_prefix();
        }
        ws.write_string_with_format(row, 2, text, &unit)?;
        let mut key = styled(&fm.key, r);
        let text = cell_text(&r.key);
        if looks_like_formula(&text) {
            key = key.set_quote_prefix();
        }
        ws.write_string_with_format(row, KEY_COL, text, &key)?;
        // Wrapped cells get a row tall enough for their lines (spreadsheets do not all re-fit
        // row heights on opening).
        let body_lines = lines(&r.name, FIXED_HEADERS[1].1 - 2.0)
            .max(lines(&r.key, FIXED_HEADERS[3].1))
            .max(lines(&r.unit, FIXED_HEADERS[2].1));
        if body_lines > 1.0 {
            ws.set_row_height(row, body_lines * LINE_PT + 2.0)?;
        }
        for (col, i) in (FIRST_VALUE_COL..).zip(0..sheet.columns.len()) {
            let value = if r.is_section {
                None
            } else {
                r.values.get(i).and_then(Option::as_ref)
            };
            write_value(ws, row, col, value, &fm, r)?;
        }
    }
    let table_end = row;

    // Notes.
    let mut row = table_end + 2;
    let notes: Vec<&str> = sheet
        .notes
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    if !notes.is_empty() {
        span(ws, row, 0, last, "Ghi chú:", &fm.notes_label)?;
        for note in notes {
            row += 1;
            span(ws, row, 0, last, note, &fm.notes)?;
            ws.set_row_height(row, lines(note, total_width) * LINE_PT)?;
        }
        row += 2;
    }

    // Date line and signatures.
    let date = date_line(sheet);
    span(ws, row, right_first, last, &date, &fm.italic_center)?;
    ws.set_row_height(row, lines(&date, right_width) * LINE_PT)?;
    row += 1;
    span(
        ws,
        row,
        0,
        LEFT_LAST,
        &sheet.preparer_title.trim().to_uppercase(),
        &fm.bold_center,
    )?;
    span(
        ws,
        row,
        right_first,
        last,
        &sheet.head_title.trim().to_uppercase(),
        &fm.bold_center,
    )?;
    row += 1;
    span(
        ws,
        row,
        0,
        LEFT_LAST,
        "(Ký, ghi rõ họ tên)",
        &fm.italic_center,
    )?;
    span(
        ws,
        row,
        right_first,
        last,
        "(Ký, đóng dấu)",
        &fm.italic_center,
    )?;

    // Freeze below the header, print on A4, one page wide, header repeated.
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    if sheet.columns.len() > 3 {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.6, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&CTrang &P/&N")
        .set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    Ok(())
}

/// Build the XLSX bytes of the statistical report.
pub fn report_xlsx(sheet: &ReportSheet) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    write_sheet(wb.add_worksheet(), sheet).map_err(ExportError::xlsx)?;
    wb.save_to_buffer().map_err(ExportError::xlsx)
}

// ---------------------------------------------------------------------------------------------
// Reader

/// One cell read back from a filled report.
#[derive(Debug, Clone, PartialEq)]
pub enum RawCell {
    Empty,
    Number(f64),
    /// Trimmed text; booleans, errors and dates are given as displayed ("TRUE", "#DIV/0!",
    /// "05/06/2026").
    Text(String),
}

/// The value of one keyed row.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// 1-based Excel row number.
    pub row: u32,
    /// The trimmed "Mã chỉ tiêu" cell.
    pub key: String,
    /// The cell of the first value column.
    pub cell: RawCell,
}

/// Why a file could not be read (the caller words the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not an XLSX workbook (or a damaged one).
    NotXlsx,
    /// The workbook has no worksheet.
    NoSheet,
    /// No "Mã chỉ tiêu" header cell in the first worksheet.
    NoHeader,
    /// More than [`MAX_ROWS`] rows, or more data than a report can hold.
    TooLarge,
}

/// Total uncompressed size of the workbook parts the reader accepts.
const MAX_UNPACKED: u64 = 16 << 20;
/// Parts in the archive.
const MAX_ENTRIES: usize = 10_000;
/// Declared shared strings (calamine reserves memory for this many up front).
const MAX_SHARED_STRINGS: u128 = 1_000_000;
/// Text kept from key and value cells.
const MAX_TEXT_BYTES: usize = 8 << 20;

/// Every run of digits following `uniqueCount`, `=` and a quote.
fn declared_counts(xml: &[u8]) -> impl Iterator<Item = u128> + '_ {
    const NAME: &[u8] = b"uniqueCount";
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let at = from
                + xml
                    .get(from..)?
                    .windows(NAME.len())
                    .position(|w| w == NAME)?;
            from = at + NAME.len();
            let mut rest = xml
                .get(from..)?
                .iter()
                .skip_while(|b| b.is_ascii_whitespace());
            if rest.next() != Some(&b'=') {
                continue;
            }
            let mut rest = rest.skip_while(|b| b.is_ascii_whitespace());
            if !matches!(rest.next(), Some(b'"' | b'\'')) {
                continue;
            }
            let n = rest.take_while(|b| b.is_ascii_digit()).fold(0u128, |n, d| {
                n.saturating_mul(10).saturating_add(u128::from(d - b'0'))
            });
            return Some(n);
        }
    })
}

/// Check the archive before calamine opens it: bounded uncompressed size (zip bombs) and a sane
/// declared shared-string count.
pub(crate) fn check_archive(bytes: &[u8]) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::NotXlsx)?;
    if zip.len() > MAX_ENTRIES {
        return Err(ReadError::TooLarge);
    }
    let mut total: u64 = 0;
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|_| ReadError::NotXlsx)?;
        let shared = entry
            .name()
            .map_err(|_| ReadError::NotXlsx)?
            .to_ascii_lowercase()
            .contains("sharedstrings");
        let budget = MAX_UNPACKED - total;
        let mut limited = entry.take(budget + 1);
        let read = if shared {
            buf.clear();
            limited
                .read_to_end(&mut buf)
                .map_err(|_| ReadError::NotXlsx)? as u64
        } else {
            std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| ReadError::NotXlsx)?
        };
        if read > budget {
            return Err(ReadError::TooLarge);
        }
        total += read;
        if shared && declared_counts(&buf).any(|n| n > MAX_SHARED_STRINGS) {
            return Err(ReadError::TooLarge);
        }
    }
    Ok(())
}

fn trimmed(s: &str) -> RawCell {
    let t = s.trim();
    if t.is_empty() {
        RawCell::Empty
    } else {
        RawCell::Text(t.to_string())
    }
}

pub(crate) fn raw_cell(v: &DataRef<'_>) -> RawCell {
    match v {
        DataRef::Empty => RawCell::Empty,
        DataRef::Int(i) => RawCell::Number(*i as f64),
        DataRef::Float(x) => RawCell::Number(*x),
        DataRef::String(s) => trimmed(s),
        DataRef::SharedString(s) => trimmed(s),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => trimmed(s),
        DataRef::Bool(b) => RawCell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
        DataRef::Error(e) => RawCell::Text(e.to_string()),
        DataRef::DateTime(d) => {
            let shown = match d.as_datetime().filter(|_| !d.is_duration()) {
                Some(dt) if dt.time().num_seconds_from_midnight() == 0 => {
                    text_vi::format_date(dt.date())
                }
                Some(dt) => format!(
                    "{} {}",
                    text_vi::format_date(dt.date()),
                    dt.time().format("%H:%M")
                ),
                None => d.to_string(),
            };
            RawCell::Text(shown)
        }
    }
}

pub(crate) fn is_blank(v: &DataRef<'_>) -> bool {
    match v {
        DataRef::Empty => true,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            s.trim().is_empty()
        }
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn is_anchor(v: &DataRef<'_>) -> bool {
    let s = match v {
        DataRef::String(s) => s.as_str(),
        DataRef::SharedString(s) => s,
        _ => return false,
    };
    let t = s.trim();
    t.len() < 64 && text_vi::nfc(t) == KEY_HEADER
}

fn text_len(c: &RawCell) -> usize {
    match c {
        RawCell::Text(t) => t.len(),
        _ => 0,
    }
}

pub(crate) fn open_error(e: CalamineError) -> ReadError {
    match e {
        CalamineError::WorksheetNotFound(_) | CalamineError::NotAWorksheet(_) => ReadError::NoSheet,
        _ => ReadError::NotXlsx,
    }
}

fn read_checked(bytes: &[u8]) -> Result<Vec<RawRow>, ReadError> {
    check_archive(bytes)?;
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| ReadError::NotXlsx)?;
    let name = wb
        .sheets_metadata()
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .ok_or(ReadError::NoSheet)?;
    let mut cells = wb.worksheet_cells_reader(&name).map_err(open_error)?;

    // (header row, key column), 0-based.
    let mut anchor: Option<(u32, u32)> = None;
    // row → (key, value)
    let mut found: BTreeMap<u32, (Option<String>, RawCell)> = BTreeMap::new();
    let mut text_bytes = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|_| ReadError::NotXlsx)? {
        let (row, col) = cell.get_position();
        let value = cell.get_value();
        if is_blank(value) {
            continue;
        }
        if row >= MAX_ROWS {
            return Err(ReadError::TooLarge);
        }
        let Some((header_row, key_col)) = anchor else {
            if is_anchor(value) {
                anchor = Some((row, col));
            }
            continue;
        };
        if row <= header_row {
            continue;
        }
        let entry = found.entry(row).or_insert((None, RawCell::Empty));
        if col == key_col {
            let key = match raw_cell(value) {
                RawCell::Empty => continue,
                RawCell::Number(x) => x.to_string(),
                RawCell::Text(t) => t,
            };
            text_bytes += key.len();
            entry.0 = Some(key);
        } else if Some(col) == key_col.checked_add(1) {
            let v = raw_cell(value);
            text_bytes += text_len(&v);
            entry.1 = v;
        }
        if text_bytes > MAX_TEXT_BYTES {
            return Err(ReadError::TooLarge);
        }
    }
    if anchor.is_none() {
        return Err(ReadError::NoHeader);
    }
    Ok(found
        .into_iter()
        .filter_map(|(row, (key, cell))| {
            key.map(|key| RawRow {
                row: row + 1,
                key,
                cell,
            })
        })
        .collect())
}

/// Read the keyed values of a filled report: for every row below the "Mã chỉ tiêu" header cell
/// of the first worksheet that has a key, the cell of the column right after the key column.
/// Rows come in sheet order.
pub fn read_report_xlsx(bytes: &[u8]) -> Result<Vec<RawRow>, ReadError> {
    // Belt and braces: a panic inside the parsers is reported as a damaged file.
    std::panic::catch_unwind(|| read_checked(bytes)).unwrap_or(Err(ReadError::NotXlsx))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use calamine::{Data, DataType};
    use proptest::prelude::*;
    use std::io::Write;
    use std::sync::LazyLock;

    fn indicator(key: &str, stt: &str, name: &str, values: Vec<Option<ReportCell>>) -> ReportRow {
        ReportRow {
            key: key.into(),
            stt: stt.into(),
            name: name.into(),
            unit: "cuộc".into(),
            is_section: false,
            computed: false,
            values,
        }
    }

    fn sample() -> ReportSheet {
        ReportSheet {
            parent_body: Some("UBND tỉnh Lạng Sơn".into()),
            issuing_body: "Sở Tư pháp".into(),
            form_code: "HGCS".into(),
            form_version: 1,
            form_name: "Kết quả hòa giải ở cơ sở".into(),
            legal_basis: "Ban hành kèm theo Thông tư số 03/2019/TT-BTP".into(),
            period_label: "Kỳ báo cáo: 6 tháng đầu năm 2026 (từ 01/01/2026 đến 30/06/2026)".into(),
            scope_label: "Đơn vị báo cáo: Xã Đoàn Kết".into(),
            columns: vec!["Số liệu".into()],
            rows: vec![
                ReportRow {
                    key: String::new(),
                    stt: "I".into(),
                    name: "Vụ việc hòa giải".into(),
                    unit: String::new(),
                    is_section: true,
                    computed: false,
                    values: vec![Some(ReportCell::Int(99))],
                },
                indicator(
                    "cases_received",
                    "1",
                    "Số vụ việc tiếp nhận",
                    vec![Some(ReportCell::Int(1234))],
                ),
                indicator(
                    "cases_received:mediation_field:land",
                    "1.1",
                    "Trong đó: đất đai",
                    vec![Some(ReportCell::Int(-5))],
                ),
                ReportRow {
                    computed: true,
                    unit: "%".into(),
                    ..indicator(
                        "success_rate",
                        "2",
                        "Tỷ lệ hòa giải thành",
                        vec![Some(ReportCell::Real(54.5))],
                    )
                },
                indicator(
                    "remark",
                    "3",
                    "=HYPERLINK(\"x\")",
                    vec![Some(ReportCell::Text("=1+1".into()))],
                ),
                indicator("empty_value", "4", "Chưa nhập", vec![None]),
                indicator(
                    "nan",
                    "5",
                    "Không xác định",
                    vec![Some(ReportCell::Real(f64::NAN))],
                ),
                indicator("short", "6", "Thiếu giá trị", vec![]),
            ],
            place: Some("Lạng Sơn".into()),
            date: NaiveDate::from_ymd_opt(2026, 6, 5),
            preparer_title: "Người lập biểu".into(),
            head_title: "Thủ trưởng đơn vị".into(),
            notes: vec![
                "Chỉ tiêu in nghiêng là chỉ tiêu tính toán.".into(),
                "  ".into(),
            ],
        }
    }

    static SAMPLE: LazyLock<Vec<u8>> = LazyLock::new(|| report_xlsx(&sample()).unwrap());

    fn range(bytes: &[u8]) -> calamine::Range<Data> {
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), vec![SHEET_NAME.to_string()]);
        let r = wb.worksheet_range(SHEET_NAME).unwrap();
        let formulas = wb.worksheet_formula(SHEET_NAME).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
        r
    }

    fn find(range: &calamine::Range<Data>, needle: &str) -> Option<(u32, u32)> {
        range
            .used_cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == needle))
            .map(|(r, c, _)| (r as u32, c as u32))
    }

    #[test]
    fn layout_has_header_block_table_and_signatures() {
        let range = range(&SAMPLE);
        let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        for (needle, pos) in [
            ("UBND TỈNH LẠNG SƠN", Some((0, 0))),
            ("SỞ TƯ PHÁP", Some((1, 0))),
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Some((0, 2))),
            ("Độc lập - Tự do - Hạnh phúc", Some((1, 2))),
            ("Biểu số: HGCS (phiên bản 1)", Some((3, 0))),
            ("KẾT QUẢ HÒA GIẢI Ở CƠ SỞ", Some((4, 0))),
            ("Đơn vị báo cáo: Xã Đoàn Kết", Some((6, 0))),
            ("Ban hành kèm theo Thông tư số 03/2019/TT-BTP", Some((7, 0))),
            ("STT", Some((HEADER_ROW, 0))),
            ("Chỉ tiêu", Some((HEADER_ROW, 1))),
            ("Đơn vị tính", Some((HEADER_ROW, 2))),
            (KEY_HEADER, Some((HEADER_ROW, 3))),
            ("Số liệu", Some((HEADER_ROW, 4))),
            ("Ghi chú:", None),
            ("Chỉ tiêu in nghiêng là chỉ tiêu tính toán.", None),
            ("Lạng Sơn, ngày 05 tháng 6 năm 2026", None),
            ("NGƯỜI LẬP BIỂU", None),
            ("THỦ TRƯỞNG ĐƠN VỊ", None),
            ("(Ký, ghi rõ họ tên)", None),
            ("(Ký, đóng dấu)", None),
        ] {
            let found = find(&range, needle);
            assert!(found.is_some(), "missing {needle:?}");
            if pos.is_some() {
                assert_eq!(found, pos, "{needle:?}");
            }
        }
        let first = HEADER_ROW + 1;
        assert_eq!(at(first, 1), Data::String("Vụ việc hòa giải".into()));
        // Section rows carry no value.
        assert_eq!(at(first, 4), Data::Empty);
        assert_eq!(at(first + 1, 4).as_f64(), Some(1234.0));
        assert_eq!(at(first + 3, 4).as_f64(), Some(54.5));
        // Text stays text, never a formula.
        assert_eq!(at(first + 4, 1), Data::String("=HYPERLINK(\"x\")".into()));
        assert_eq!(at(first + 4, 4), Data::String("=1+1".into()));
        assert_eq!(at(first + 6, 4), Data::Empty);
        // Signatures come after the table.
        let (sig_row, _) = find(&range, "NGƯỜI LẬP BIỂU").unwrap();
        assert!(sig_row > first + 7);
    }

    #[test]
    fn number_formats_freeze_and_print_setup() {
        let mut zip = zip::ZipArchive::new(Cursor::new(SAMPLE.as_slice())).unwrap();
        let mut styles = String::new();
        zip.by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        assert!(styles.contains(r##"formatCode="#,##0.0""##), "{styles}");
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        assert!(sheet.contains(r#"ySplit="10""#), "freeze below the header");
        assert!(sheet.contains(r#"paperSize="9""#));
        assert!(sheet.contains(r#"fitToWidth="1""#) || sheet.contains("fitToPage"));
        assert!(sheet.contains(r#"orientation="portrait""#));

        let mut wide = sample();
        wide.columns = vec!["Tổng".into(), "A".into(), "B".into(), "C".into()];
        let bytes = report_xlsx(&wide).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        assert!(sheet.contains(r#"orientation="landscape""#));
    }

    #[test]
    fn round_trip_gives_back_keys_and_numbers() {
        let rows = read_report_xlsx(&SAMPLE).unwrap();
        let first = HEADER_ROW + 2; // 1-based
        assert_eq!(
            rows,
            vec![
                RawRow {
                    row: first + 1,
                    key: "cases_received".into(),
                    cell: RawCell::Number(1234.0)
                },
                RawRow {
                    row: first + 2,
                    key: "cases_received:mediation_field:land".into(),
                    cell: RawCell::Number(-5.0)
                },
                RawRow {
                    row: first + 3,
                    key: "success_rate".into(),
                    cell: RawCell::Number(54.5)
                },
                RawRow {
                    row: first + 4,
                    key: "remark".into(),
                    cell: RawCell::Text("=1+1".into())
                },
                RawRow {
                    row: first + 5,
                    key: "empty_value".into(),
                    cell: RawCell::Empty
                },
                RawRow {
                    row: first + 6,
                    key: "nan".into(),
                    cell: RawCell::Empty
                },
                RawRow {
                    row: first + 7,
                    key: "short".into(),
                    cell: RawCell::Empty
                },
            ]
        );

        // An aggregate sheet reads its first value column (the total).
        let mut agg = sample();
        agg.columns = vec![
            "Tổng".into(),
            "Phường Đông Kinh".into(),
            "Xã Đoàn Kết".into(),
        ];
        agg.rows[1].values = vec![
            Some(ReportCell::Int(7)),
            Some(ReportCell::Int(3)),
            Some(ReportCell::Int(4)),
        ];
        let rows = read_report_xlsx(&report_xlsx(&agg).unwrap()).unwrap();
        assert_eq!(rows[0].cell, RawCell::Number(7.0));
    }

    /// A copy filled in by hand: the header moved, odd cell types.
    #[test]
    fn reads_a_hand_filled_copy() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(2, 1, "  Mã chỉ tiêu ").unwrap();
        ws.write_string(2, 2, "Số liệu").unwrap();
        ws.write_string(3, 1, " a ").unwrap();
        ws.write_string(3, 2, "  12  ").unwrap();
        ws.write_string(4, 1, "b").unwrap();
        ws.write_string(4, 2, "   ").unwrap();
        ws.write_string(5, 1, "c").unwrap();
        ws.write_boolean(5, 2, true).unwrap();
        ws.write_number(6, 2, 5.0).unwrap(); // no key: skipped
        ws.write_number(7, 1, 42.0).unwrap();
        ws.write_number(7, 2, 0.25).unwrap();
        ws.write_string(8, 1, "d").unwrap();
        ws.write_datetime_with_format(
            8,
            2,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 6, 5).unwrap(),
            &Format::new().set_num_format("dd/mm/yyyy"),
        )
        .unwrap();
        ws.write_string(9, 1, "e").unwrap();
        ws.write_string(9, 3, "ignored").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let rows = read_report_xlsx(&bytes).unwrap();
        let got: Vec<(u32, &str, &RawCell)> = rows
            .iter()
            .map(|r| (r.row, r.key.as_str(), &r.cell))
            .collect();
        assert_eq!(
            got,
            vec![
                (4, "a", &RawCell::Text("12".into())),
                (5, "b", &RawCell::Empty),
                (6, "c", &RawCell::Text("TRUE".into())),
                (8, "42", &RawCell::Number(0.25)),
                (9, "d", &RawCell::Text("05/06/2026".into())),
                (10, "e", &RawCell::Empty),
            ]
        );
    }

    #[test]
    fn errors() {
        assert_eq!(read_report_xlsx(b""), Err(ReadError::NotXlsx));
        assert_eq!(
            read_report_xlsx(b"PK\x03\x04garbage"),
            Err(ReadError::NotXlsx)
        );
        assert_eq!(
            read_report_xlsx(&SAMPLE[..SAMPLE.len() / 2]),
            Err(ReadError::NotXlsx)
        );
        // A workbook without the anchor.
        let task = crate::xlsx::task_table_xlsx(&crate::xlsx::TaskSheet {
            unit: "Sở Tư pháp".into(),
            title: "Nhiệm vụ".into(),
            generated_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            rows: vec![],
        })
        .unwrap();
        assert_eq!(read_report_xlsx(&task), Err(ReadError::NoHeader));
    }

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// The parts of `bytes`, with `f` applied to each (name, content).
    fn rewrite(bytes: &[u8], mut f: impl FnMut(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut parts = Vec::new();
        for i in 0..zip.len() {
            let mut e = zip.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            let data = f(&name, data);
            parts.push((name, data));
        }
        let refs: Vec<(&str, &[u8])> = parts
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        zip_of(&refs)
    }

    #[test]
    fn no_worksheet() {
        let bytes = rewrite(&SAMPLE, |name, data| {
            if name == "xl/workbook.xml" {
                let xml = String::from_utf8(data).unwrap();
                let start = xml.find("<sheets>").unwrap();
                let end = xml.find("</sheets>").unwrap() + "</sheets>".len();
                format!("{}<sheets/>{}", &xml[..start], &xml[end..]).into_bytes()
            } else {
                data
            }
        });
        assert_eq!(read_report_xlsx(&bytes), Err(ReadError::NoSheet));
        // Re-zipping alone keeps the file readable.
        let same = rewrite(&SAMPLE, |_, d| d);
        assert!(read_report_xlsx(&same).is_ok());
    }

    #[test]
    fn too_large() {
        let mut big = sample();
        big.rows = (0..MAX_ROWS)
            .map(|i| indicator(&format!("k{i}"), "1", "x", vec![Some(ReportCell::Int(1))]))
            .collect();
        let bytes = report_xlsx(&big).unwrap();
        assert_eq!(read_report_xlsx(&bytes), Err(ReadError::TooLarge));

        // A declared shared-string count that would make the parser reserve terabytes.
        let bomb = rewrite(&SAMPLE, |name, data| {
            if name.ends_with("sharedStrings.xml") {
                let xml = String::from_utf8(data).unwrap();
                let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
                let end = at + xml[at..].find('"').unwrap();
                format!("{}99999999999999{}", &xml[..at], &xml[end..]).into_bytes()
            } else {
                data
            }
        });
        assert_eq!(read_report_xlsx(&bomb), Err(ReadError::TooLarge));

        // A part that inflates beyond the limit.
        let zeros = vec![b' '; (MAX_UNPACKED + 1) as usize];
        let bomb = zip_of(&[("xl/worksheets/sheet1.xml", &zeros)]);
        assert!(bomb.len() < 1 << 20);
        assert_eq!(read_report_xlsx(&bomb), Err(ReadError::TooLarge));
    }

    #[test]
    fn declared_counts_scans_every_attribute() {
        let xml = br#"<!-- uniqueCount="1" --><sst count = '3' uniqueCount = '0042'>uniqueCount"#;
        assert_eq!(declared_counts(xml).collect::<Vec<_>>(), vec![1, 42]);
    }

    proptest! {
        #[test]
        fn never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_report_xlsx(&bytes);
            let mut zipped = b"PK\x03\x04".to_vec();
            zipped.extend_from_slice(&bytes);
            let _ = read_report_xlsx(&zipped);
        }

        #[test]
        fn never_panics_on_damaged_copies(
            cut in 0usize..100_000,
            flips in proptest::collection::vec((0usize..100_000, any::<u8>()), 0..4),
        ) {
            let len = SAMPLE.len();
            let _ = read_report_xlsx(&SAMPLE[..cut % len]);
            let mut copy = SAMPLE.clone();
            for (at, b) in flips {
                copy[at % len] = b;
            }
            let _ = read_report_xlsx(&copy);
        }

        /// Damaged XML inside a well-formed archive reaches the XML parsers.
        #[test]
        fn never_panics_on_damaged_parts(
            part in 0usize..16,
            cut in any::<prop::sample::Index>(),
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        ) {
            let mut n = 0;
            let bytes = rewrite(&SAMPLE, |name, mut data| {
                n += 1;
                if !name.ends_with(".xml") || n % 16 != part || data.is_empty() {
                    return data;
                }
                for (at, b) in &flips {
                    let i = at.index(data.len());
                    data[i] = *b;
                }
                data.truncate(cut.index(data.len() + 1).max(data.len() / 2));
                data
            });
            let _ = read_checked(&bytes);
        }

        #[test]
        fn round_trips_arbitrary_keys_and_numbers(
            values in proptest::collection::vec((-1_000_000_000i64..1_000_000_000, any::<bool>()), 1..30),
        ) {
            let mut sheet = sample();
            sheet.rows = values.iter().enumerate().map(|(i, (v, real))| {
                let cell = if *real { ReportCell::Real(*v as f64 / 10.0) } else { ReportCell::Int(*v) };
                indicator(&format!("key_{i}:field:v{v}"), &i.to_string(), "x", vec![Some(cell)])
            }).collect();
            let rows = read_report_xlsx(&report_xlsx(&sheet).unwrap()).unwrap();
            prop_assert_eq!(rows.len(), values.len());
            for (i, (row, (v, real))) in rows.iter().zip(&values).enumerate() {
                prop_assert_eq!(&row.key, &format!("key_{i}:field:v{v}"));
                let want = if *real { *v as f64 / 10.0 } else { *v as f64 };
                prop_assert_eq!(&row.cell, &RawCell::Number(want));
            }
        }
    }
}
