//! A plain XLSX table: a bold title row, a frozen header row with an autofilter, then one row
//! per record. Text is always written as a string cell (never a formula), numbers as numbers.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::{ExportError, text::xml_safe};

/// One cell of a [`table_xlsx`] row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Number(f64),
    Empty,
}

/// Above this many rows a workbook is compressed at the fastest deflate level: a 10,000-row
/// book is then written markedly faster, for a file about twice as large (still under
/// 1 MB). Measured in docs/mediation.md ("Counting and speed").
pub const FAST_ZIP_ROWS: usize = 2_000;

fn workbook(rows: usize) -> Workbook {
    let mut wb = Workbook::new();
    if rows > FAST_ZIP_ROWS {
        wb.set_zip_compression_level(1);
    }
    wb
}

/// The sheet of a workbook with `rows` rows. Big sheets are written in rust_xlsxwriter's
/// constant-memory mode: each row goes to a temporary file as soon as the next one starts,
/// with its strings inline instead of in a shared table that must be hashed and kept whole.
/// Rows must then be written top to bottom, which every writer here does.
fn sheet(wb: &mut Workbook, rows: usize) -> Result<&mut Worksheet, XlsxError> {
    if rows > FAST_ZIP_ROWS { wb.add_worksheet_with_constant_memory() } else { Ok(wb.add_worksheet()) }
}

/// Writes `rows` under `header` on a sheet named `sheet`, with `title` in the first row.
pub fn table_xlsx(sheet: &str, title: &str, header: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ExportError> {
    let mut wb = workbook(rows.len());
    write(&mut wb, rows.len(), sheet, title, header, rows).map_err(ExportError::xlsx)?;
    wb.save_to_buffer().map_err(ExportError::xlsx)
}

fn write(wb: &mut Workbook, n: usize, name: &str, title: &str, header: &[String], rows: &[Vec<Cell>]) -> Result<(), XlsxError> {
    let ws = sheet(wb, n)?;
    ws.set_name(name)?;
    let bold = Format::new().set_bold();
    let head = Format::new().set_bold().set_text_wrap().set_border(FormatBorder::Thin);
    let cell = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let num = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0.##");
    for c in 0..header.len() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.set_column_width(c, if c == 0 { 28 } else { 14 })?;
    }
    ws.write_string_with_format(0, 0, xml_safe(title), &bold)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(2, u16::try_from(c).unwrap_or(u16::MAX), xml_safe(h), &head)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX - 4) + 3;
        for (c, v) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match v {
                Cell::Text(t) => ws.write_string_with_format(r, c, xml_safe(t), &cell)?,
                Cell::Int(i) => ws.write_number_with_format(r, c, *i as f64, &num)?,
                Cell::Number(x) => ws.write_number_with_format(r, c, *x, &num)?,
                Cell::Empty => ws.write_blank(r, c, &cell)?,
            };
        }
    }
    if !header.is_empty() {
        let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX - 4) + 2;
        ws.autofilter(2, 0, last_row, u16::try_from(header.len() - 1).unwrap_or(0))?;
    }
    ws.set_freeze_panes(3, 1)?;
    Ok(())
}

/// One titled table of a [`parts_xlsx`] sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A sheet of heading lines (bold, one per row) followed by titled tables one under the other,
/// each with its header row: the layout of official books such as the mediation tracking book.
pub fn parts_xlsx(sheet: &str, heading: &[String], parts: &[Part]) -> Result<Vec<u8>, ExportError> {
    let n = parts.iter().map(|p| p.rows.len()).sum();
    let mut wb = workbook(n);
    write_parts(&mut wb, n, sheet, heading, parts).map_err(ExportError::xlsx)?;
    wb.save_to_buffer().map_err(ExportError::xlsx)
}

fn write_parts(wb: &mut Workbook, n: usize, name: &str, heading: &[String], parts: &[Part]) -> Result<(), XlsxError> {
    let ws = sheet(wb, n)?;
    ws.set_name(name)?;
    let bold = Format::new().set_bold();
    let head = Format::new().set_bold().set_text_wrap().set_border(FormatBorder::Thin);
    let cell = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let num = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0.##");
    let mut r: u32 = 0;
    for h in heading {
        ws.write_string_with_format(r, 0, xml_safe(h), &bold)?;
        r += 1;
    }
    let widest = parts.iter().map(|p| p.header.len()).max().unwrap_or(0);
    for c in 0..widest {
        ws.set_column_width(u16::try_from(c).unwrap_or(u16::MAX), if c == 0 { 6 } else { 22 })?;
    }
    for p in parts {
        r += 1;
        ws.write_string_with_format(r, 0, xml_safe(&p.title), &bold)?;
        r += 1;
        for (c, h) in p.header.iter().enumerate() {
            ws.write_string_with_format(r, u16::try_from(c).unwrap_or(u16::MAX), xml_safe(h), &head)?;
        }
        r += 1;
        for row in &p.rows {
            for (c, v) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match v {
                    Cell::Text(t) => ws.write_string_with_format(r, c, xml_safe(t), &cell)?,
                    Cell::Int(i) => ws.write_number_with_format(r, c, *i as f64, &num)?,
                    Cell::Number(x) => ws.write_number_with_format(r, c, *x, &num)?,
                    Cell::Empty => ws.write_blank(r, c, &cell)?,
                };
            }
            r = r.saturating_add(1);
        }
    }
    Ok(())
}

/// A table read back from an uploaded workbook: the header row (found by its first cell) and
/// the rows below it, each with its 1-based Excel row number and its cells as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadTable {
    pub header: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
}

/// Reads the first worksheet of an XLSX as text: the header row is the first row whose first
/// non-empty cell reads `anchor` (compared after NFC and case-insensitively); every non-empty
/// row below it is returned with the cells of the header's columns. Numbers are written without
/// a fraction when whole ("1987"), dates as dd/mm/yyyy. Archive size, row count
/// ([`crate::report::MAX_ROWS`]) and text volume are bounded like the report reader's.
pub fn read_table_xlsx(bytes: &[u8], anchor: &str) -> Result<ReadTable, crate::report::ReadError> {
    std::panic::catch_unwind(|| read_table_checked(bytes, anchor)).unwrap_or(Err(crate::report::ReadError::NotXlsx))
}

fn read_table_checked(bytes: &[u8], anchor: &str) -> Result<ReadTable, crate::report::ReadError> {
    use crate::report::{RawCell, ReadError};
    use calamine::{Reader, SheetType, Xlsx};
    use std::collections::BTreeMap;
    const MAX_COLS: u32 = 64;
    const MAX_TEXT: usize = 8 << 20;
    crate::report::check_archive(bytes)?;
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| ReadError::NotXlsx)?;
    let name = wb.sheets_metadata().iter().find(|s| s.typ == SheetType::WorkSheet).map(|s| s.name.clone()).ok_or(ReadError::NoSheet)?;
    let mut cells = wb.worksheet_cells_reader(&name).map_err(crate::report::open_error)?;
    let want = text_vi::nfc(anchor.trim()).to_lowercase();
    let mut grid: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    let mut text = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|_| ReadError::NotXlsx)? {
        let (row, col) = cell.get_position();
        let value = cell.get_value();
        if crate::report::is_blank(value) || col >= MAX_COLS {
            continue;
        }
        if row >= crate::report::MAX_ROWS {
            return Err(ReadError::TooLarge);
        }
        let t = match crate::report::raw_cell(value) {
            RawCell::Empty => continue,
            RawCell::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
            RawCell::Number(x) => x.to_string(),
            RawCell::Text(t) => text_vi::nfc(&t),
        };
        text += t.len();
        if text > MAX_TEXT {
            return Err(ReadError::TooLarge);
        }
        grid.entry(row).or_default().insert(col, t);
    }
    let header_row = grid
        .iter()
        .find(|(_, cols)| cols.values().next().is_some_and(|v| v.trim().to_lowercase() == want))
        .map(|(r, _)| *r)
        .ok_or(ReadError::NoHeader)?;
    let head = grid.get(&header_row).cloned().unwrap_or_default();
    let first = head.keys().next().copied().unwrap_or(0);
    let last = head.keys().next_back().copied().unwrap_or(0);
    let header = (first..=last).map(|c| head.get(&c).cloned().unwrap_or_default()).collect();
    let rows = grid
        .range(header_row + 1..)
        .map(|(r, cols)| (r + 1, (first..=last).map(|c| cols.get(&c).cloned().unwrap_or_default()).collect::<Vec<_>>()))
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Ok(ReadTable { header, rows })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};
    use std::io::Cursor;

    #[test]
    fn writes_a_readable_table() {
        let bytes = table_xlsx("Tổng hợp", "Tiêu đề", &["Xã".into(), "Điểm".into()], &[vec![Cell::Text("=1+1".into()), Cell::Int(85)], vec![Cell::Text("Xã B".into()), Cell::Empty]]).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("Tổng hợp").unwrap();
        assert_eq!(range.get_value((3, 0)).map(|d| d.to_string()), Some("=1+1".into()));
        assert_eq!(range.get_value((3, 1)).map(|d| d.to_string()), Some("85".into()));
    }

    #[test]
    fn reads_a_table_back_from_its_header() {
        let bytes = table_xlsx("DS", "Danh sách", &["Họ và tên".into(), "Năm sinh".into()], &[vec![Cell::Text("Nguyễn Văn A".into()), Cell::Int(1980)], vec![Cell::Empty, Cell::Empty], vec![Cell::Text("Lò Thị B".into()), Cell::Empty]]).unwrap();
        let t = read_table_xlsx(&bytes, "họ và tên").unwrap();
        assert_eq!(t.header, vec!["Họ và tên".to_string(), "Năm sinh".to_string()]);
        assert_eq!(t.rows, vec![(4, vec!["Nguyễn Văn A".to_string(), "1980".to_string()]), (6, vec!["Lò Thị B".to_string(), String::new()])]);
        assert_eq!(read_table_xlsx(&bytes, "Số hiệu"), Err(crate::report::ReadError::NoHeader));
        assert_eq!(read_table_xlsx(b"not a zip", "Họ và tên"), Err(crate::report::ReadError::NotXlsx));
    }

    #[test]
    fn big_tables_written_row_by_row_read_back_whole() {
        let n = FAST_ZIP_ROWS + 5;
        let rows: Vec<Vec<Cell>> = (0..n).map(|i| vec![Cell::Text(format!("Xã {i}")), Cell::Int(i as i64), Cell::Empty]).collect();
        let header = vec!["Xã".to_string(), "Số".to_string(), "Ghi chú".to_string()];
        let t = read_table_xlsx(&table_xlsx("DS", "Danh sách", &header, &rows).unwrap(), "Xã").unwrap();
        assert_eq!(t.rows.len(), n);
        assert_eq!(t.rows[n - 1].1, vec![format!("Xã {}", n - 1), (n - 1).to_string(), String::new()]);
        let parts = [Part { title: "PHẦN I".into(), header: header.clone(), rows: rows.clone() }, Part { title: "PHẦN II".into(), header, rows: vec![vec![Cell::Text("Tổng".into()), Cell::Int(7), Cell::Empty]] }];
        let bytes = parts_xlsx("Sổ", &["SỔ THEO DÕI".to_string()], &parts).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("Sổ").unwrap();
        // heading, blank, title, header, then the rows; Part II after a blank and its title and header.
        assert_eq!(range.get_value((4, 0)).map(|d| d.to_string()), Some("Xã 0".into()));
        let last = 4 + n as u32 + 3;
        assert_eq!(range.get_value((last, 0)).map(|d| d.to_string()), Some("Tổng".into()));
        assert_eq!(range.get_value((last, 1)).map(|d| d.to_string()), Some("7".into()));
    }
}
