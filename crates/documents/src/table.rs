//! A plain XLSX table: a bold title row, a frozen header row with an autofilter, then one row
//! per record. Text is always written as a string cell (never a formula), numbers as numbers.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use crate::{ExportError, text::xml_safe};

/// One cell of a [`table_xlsx`] row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Number(f64),
    Empty,
}

/// Writes `rows` under `header` on a sheet named `sheet`, with `title` in the first row.
pub fn table_xlsx(sheet: &str, title: &str, header: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    write(&mut wb, sheet, title, header, rows).map_err(ExportError::xlsx)?;
    wb.save_to_buffer().map_err(ExportError::xlsx)
}

fn write(wb: &mut Workbook, sheet: &str, title: &str, header: &[String], rows: &[Vec<Cell>]) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let head = Format::new().set_bold().set_text_wrap().set_border(FormatBorder::Thin);
    let cell = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let num = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0.##");
    ws.write_string_with_format(0, 0, xml_safe(title), &bold)?;
    for (c, h) in header.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(2, c, xml_safe(h), &head)?;
        ws.set_column_width(c, if c == 0 { 28 } else { 14 })?;
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
}
