//! The organiser's exports of a round, beside the ranking workbook (`xep-hang.xlsx`): the prize
//! winners, the participation by commune (from the live counters, never a scan of the attempts)
//! and every attempt of the round.
//!
//! The winners and the participation are a few thousand rows at most and are written whole with
//! `documents::table`. The attempts may be a million: they are read from the database as a
//! stream (one row at a time, never collected) and handed in small batches through a bounded
//! channel to a writer on the blocking pool, which writes them with rust_xlsxwriter in
//! constant-memory mode (each row flushed to a temporary file as it is written) and zips the
//! workbook into an anonymous temporary file. That file is sent only once it is complete, with
//! its length, so a failure is an error page and never a cut-off file (as the surveys' XLSX
//! export does). Memory stays flat whatever the number of attempts.

use std::collections::HashMap;
use std::io::{Seek, SeekFrom, Write};

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;
use documents::table::Cell;
use futures_util::StreamExt;
use kernel::Db;

use crate::msg;
use crate::pages::{fmt_datetime_seconds, fmt_duration_ms};
use crate::service::Ranked;
use crate::store::{AttemptLine, CommuneCounters};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Attempts handed to the writer at a time, and batches waiting in the channel: what the export
/// holds in memory at most, whatever the number of attempts.
const BATCH: usize = 1_000;
const BATCHES_IN_FLIGHT: usize = 4;

/// The last row of an Excel worksheet (0-based); the attempts continue on another sheet past it.
const LAST_EXCEL_ROW: u32 = 1_048_575;
/// The rows above the data: the title, a blank row and the header (as `documents::table`).
const DATA_ROW: u32 = 3;

/// `cols` with the contact column inserted after the column at `after`, when it is shown.
fn columns(cols: &[&str], after: usize, contacts: bool) -> Vec<String> {
    let mut out: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
    if contacts {
        out.insert(after + 1, msg::CONTACT_COLUMN.to_string());
    }
    out
}

// ---------------------------------------------------------------- winners

/// The prize winners' table: the ranked entrants who hold a prize, in ranking order. `contacts`
/// (entrant id → phone or e-mail) adds the contact column after the commune.
pub fn winners_table(ranked: Vec<Ranked>, contacts: Option<&HashMap<i64, String>>) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header = columns(&msg::WINNERS_COLUMNS, 4, contacts.is_some());
    let rows = ranked
        .into_iter()
        .filter_map(|x| {
            let prize = x.prize?;
            let mut row = vec![Cell::Int(x.position as i64), Cell::Text(prize), Cell::Text(x.row.full_name), Cell::Int(x.row.birth_year), Cell::Text(x.row.commune_name)];
            if let Some(c) = contacts {
                row.push(Cell::Text(c.get(&x.row.entrant_id).cloned().unwrap_or_default()));
            }
            row.extend([Cell::Int(x.row.score), Cell::Text(fmt_duration_ms(x.row.duration_ms)), x.row.prediction.map_or(Cell::Empty, Cell::Int)]);
            Some(row)
        })
        .collect();
    (header, rows)
}

// ---------------------------------------------------------------- participation

/// The participation table: one row per commune, sorted in Vietnamese order by province then
/// commune, and a total row. No personal data.
pub fn participation_table(mut counters: Vec<CommuneCounters>) -> (Vec<String>, Vec<Vec<Cell>>) {
    counters.sort_by(|a, b| text_vi::compare(&a.province_name, &b.province_name).then_with(|| text_vi::compare(&a.commune_name, &b.commune_name)));
    let header = columns(&msg::PARTICIPATION_COLUMNS, 0, false);
    let (mut entrants, mut attempts, mut submissions) = (0i64, 0i64, 0i64);
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(counters.len() + 1);
    for (i, c) in counters.into_iter().enumerate() {
        entrants += c.entrants;
        attempts += c.attempts;
        submissions += c.submissions;
        rows.push(vec![Cell::Int(i as i64 + 1), Cell::Text(c.province_name), Cell::Text(c.commune_name), Cell::Int(c.entrants), Cell::Int(c.attempts), Cell::Int(c.submissions)]);
    }
    rows.push(vec![Cell::Empty, Cell::Text(msg::TOTAL_ROW.into()), Cell::Empty, Cell::Int(entrants), Cell::Int(attempts), Cell::Int(submissions)]);
    (header, rows)
}

// ---------------------------------------------------------------- all attempts

/// The header of the all-attempts sheet.
pub fn attempts_header(contacts: bool) -> Vec<String> {
    columns(&msg::ATTEMPTS_COLUMNS, 4, contacts)
}

/// Writes a sheet's title and header, sets its column widths and freezes the header.
fn start_sheet(ws: &mut rust_xlsxwriter::Worksheet, name: &str, title: &str, header: &[String], bold: &rust_xlsxwriter::Format) -> Result<(), rust_xlsxwriter::XlsxError> {
    ws.set_name(name)?;
    for (c, h) in header.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        let width = if h == msg::ATTEMPTS_COLUMNS[2] || h == msg::ATTEMPTS_COLUMNS[4] || h == msg::CONTACT_COLUMN { 28.0 } else if c == 0 { 9.0 } else { 14.0 };
        ws.set_column_width(c, width)?;
    }
    ws.write_string_with_format(0, 0, title, bold)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(DATA_ROW - 1, u16::try_from(c).unwrap_or(u16::MAX), h, bold)?;
    }
    ws.set_freeze_panes(DATA_ROW, 0)?;
    Ok(())
}

/// Writes one attempt on row `r`, numbered `n`.
fn write_attempt(ws: &mut rust_xlsxwriter::Worksheet, r: u32, n: u64, a: &AttemptLine, contacts: bool) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut c: u16 = 0;
    let mut next = || {
        c += 1;
        c - 1
    };
    ws.write_number(r, next(), n as f64)?;
    ws.write_number(r, next(), a.number as f64)?;
    ws.write_string(r, next(), &a.full_name)?;
    ws.write_number(r, next(), a.birth_year as f64)?;
    ws.write_string(r, next(), &a.commune_name)?;
    if contacts {
        ws.write_string(r, next(), &a.contact)?;
    }
    ws.write_string(r, next(), msg::attempt_status(&a.status))?;
    ws.write_string(r, next(), fmt_datetime_seconds(a.started_at))?;
    let col = next();
    if let Some(t) = a.closed_at {
        ws.write_string(r, col, fmt_datetime_seconds(t))?;
    }
    let col = next();
    if let Some(ms) = a.duration_ms {
        ws.write_string(r, col, fmt_duration_ms(ms))?;
    }
    let col = next();
    if let Some(s) = a.score {
        ws.write_number(r, col, s as f64)?;
    }
    ws.write_number(r, next(), a.question_count as f64)?;
    let col = next();
    if let Some(p) = a.prediction {
        ws.write_number(r, col, p as f64)?;
    }
    Ok(())
}

/// Writes the attempts as an XLSX workbook to `out`, in constant memory: `next` answers the next
/// batch (None at the end), each row is flushed to a temporary file as it is written, and past
/// Excel's row limit the attempts continue on another sheet. The number of attempts written.
pub fn write_attempts_xlsx<W: Write + Seek + Send>(title: &str, contacts: bool, next: impl FnMut() -> Option<Vec<AttemptLine>>, out: W) -> Result<u64, String> {
    write_attempt_sheets(title, contacts, next, out, LAST_EXCEL_ROW)
}

/// [`write_attempts_xlsx`] with the last row of a sheet as a parameter (for the tests).
fn write_attempt_sheets<W: Write + Seek + Send>(title: &str, contacts: bool, mut next: impl FnMut() -> Option<Vec<AttemptLine>>, out: W, last_row: u32) -> Result<u64, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    // A big sheet zips markedly faster at the fastest level, for a somewhat larger file.
    wb.set_zip_compression_level(1);
    let bold = Format::new().set_bold();
    let header = attempts_header(contacts);
    let mut sheets = 1usize;
    let mut ws = wb.add_worksheet_with_constant_memory().map_err(e)?;
    start_sheet(ws, msg::ATTEMPTS_SHEET, title, &header, &bold).map_err(e)?;
    let mut row = DATA_ROW;
    let mut n: u64 = 0;
    while let Some(batch) = next() {
        for a in &batch {
            if row > last_row {
                ws.autofilter(DATA_ROW - 1, 0, last_row, u16::try_from(header.len() - 1).unwrap_or(0)).map_err(e)?;
                sheets += 1;
                ws = wb.add_worksheet_with_constant_memory().map_err(e)?;
                start_sheet(ws, &msg::attempts_sheet_more(sheets), title, &header, &bold).map_err(e)?;
                row = DATA_ROW;
            }
            n += 1;
            write_attempt(ws, row, n, a, contacts).map_err(e)?;
            row += 1;
        }
    }
    ws.autofilter(DATA_ROW - 1, 0, row.saturating_sub(1).max(DATA_ROW - 1), u16::try_from(header.len() - 1).unwrap_or(0)).map_err(e)?;
    wb.save_to_writer(out).map_err(e)?;
    Ok(n)
}

/// A finished workbook in an anonymous temporary file, rewound, with its length.
pub struct Spooled {
    pub file: std::fs::File,
    pub len: u64,
    /// The attempts it holds.
    pub rows: u64,
}

/// Reads every attempt of a round from the database as a stream and writes the workbook on the
/// blocking pool into an anonymous temporary file. The reading (here) and the writing (there)
/// run side by side; the bounded channel between them holds at most a few batches. An error
/// (the database, the disk) is a message for the log; nothing is kept.
pub async fn spool_attempts(db: &Db, round_id: i64, title: String, contacts: bool) -> Result<Spooled, String> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<AttemptLine>>(BATCHES_IN_FLIGHT);
    let writer = tokio::task::spawn_blocking(move || -> Result<Spooled, String> {
        let mut file = tempfile::tempfile().map_err(|e| e.to_string())?;
        let rows = {
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut file);
            let rows = write_attempts_xlsx(&title, contacts, || rx.blocking_recv(), &mut out)?;
            out.flush().map_err(|e| e.to_string())?;
            rows
        };
        let len = file.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
        file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
        Ok(Spooled { file, len, rows })
    });
    let mut read: Result<(), String> = Ok(());
    {
        let mut lines = crate::store::attempt_lines(db, round_id);
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(line) = lines.next().await {
            match line {
                Ok(l) => batch.push(l),
                Err(e) => {
                    read = Err(e.to_string());
                    break;
                }
            }
            if batch.len() == BATCH && tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).await.is_err() {
                // The writer stopped: its own error says why.
                break;
            }
        }
        if read.is_ok() && !batch.is_empty() {
            // An error here means the writer stopped; it says why below.
            let _ = tx.send(batch).await;
        }
    }
    // The end of the attempts (or of the reading, on an error): the writer finishes the file.
    drop(tx);
    let written = writer.await.map_err(|e| e.to_string())?;
    read?;
    written
}

/// The download of a spooled workbook: streamed from the file in 64 KiB chunks, with its length
/// and the file name in Content-Disposition as every download here.
pub fn file_response(name: &str, spooled: Spooled) -> Response {
    let len = spooled.len;
    let file = tokio::fs::File::from_std(spooled.file);
    let chunks = futures_util::stream::unfold(Some(file), |state| async move {
        use tokio::io::AsyncReadExt;
        let mut f = state?;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(buf)), Some(f)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    // Fused: a body layer (compression) may poll once more after the end.
    let (parts, _) = kernel::page::attachment(XLSX, name, Vec::new()).into_parts();
    let mut resp = Response::from_parts(parts, Body::from_stream(chunks.fuse()));
    if let Ok(v) = header::HeaderValue::from_str(&len.to_string()) {
        resp.headers_mut().insert(header::CONTENT_LENGTH, v);
    }
    resp
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn line(i: i64, status: &str) -> AttemptLine {
        let t = chrono::Utc.with_ymd_and_hms(2026, 4, 1, 1, 0, 0).unwrap() + chrono::Duration::seconds(i);
        let closed = status != "active";
        AttemptLine {
            number: 1,
            full_name: format!("Người dự thi {i}"),
            birth_year: 1990,
            commune_name: "Xã Tân Thanh".into(),
            contact: format!("09{i:08}"),
            status: status.into(),
            started_at: t,
            closed_at: closed.then(|| t + chrono::Duration::seconds(95)),
            duration_ms: closed.then_some(95_000),
            score: closed.then_some(7),
            question_count: 10,
            prediction: None,
        }
    }

    fn write(contacts: bool, lines: Vec<AttemptLine>) -> Vec<u8> {
        let mut batches = vec![lines].into_iter();
        let mut out = std::io::Cursor::new(Vec::new());
        write_attempts_xlsx("Danh sách bài thi", contacts, || batches.next(), &mut out).unwrap();
        out.into_inner()
    }

    #[test]
    fn attempts_are_written_with_or_without_the_contact() {
        let bytes = write(true, vec![line(1, "submitted"), line(2, "active")]);
        let t = documents::table::read_table_xlsx(&bytes, "STT").unwrap();
        assert_eq!(t.header, attempts_header(true));
        assert_eq!(t.rows[0].1, ["1", "1", "Người dự thi 1", "1990", "Xã Tân Thanh", "0900000001", "Đã nộp bài", "01/04/2026 08:00:01", "01/04/2026 08:01:36", "1:35", "7", "10", ""]);
        assert_eq!(t.rows[1].1[6..9], ["Đang làm bài".to_string(), "01/04/2026 08:00:02".into(), String::new()]);
        let t = documents::table::read_table_xlsx(&write(false, vec![line(1, "expired")]), "STT").unwrap();
        assert_eq!(t.header, attempts_header(false));
        assert!(!t.header.iter().any(|h| h == msg::CONTACT_COLUMN));
        assert_eq!(t.rows[0].1[5], "Hết giờ, nộp tự động");
        // No attempt: the title and the header only.
        let t = documents::table::read_table_xlsx(&write(false, Vec::new()), "STT").unwrap();
        assert!(t.rows.is_empty());
    }

    #[test]
    fn past_the_row_limit_the_attempts_continue_on_another_sheet() {
        let mut batches = vec![(1..=4).map(|i| line(i, "submitted")).collect::<Vec<_>>(), (5..=7).map(|i| line(i, "expired")).collect()].into_iter();
        let mut out = std::io::Cursor::new(Vec::new());
        // Three attempts a sheet: rows 3 to 5 under the title and the header.
        let n = write_attempt_sheets("Danh sách bài thi", false, || batches.next(), &mut out, 5).unwrap();
        assert_eq!(n, 7);
        let t = documents::table::read_table_xlsx(&out.into_inner(), "STT").unwrap();
        assert_eq!(t.rows.iter().map(|(r, cells)| (*r, cells[0].as_str())).collect::<Vec<_>>(), [(4, "1"), (5, "2"), (6, "3")]);
    }

    #[test]
    fn participation_is_sorted_in_vietnamese_order_with_a_total() {
        let c = |p: &str, n: &str, e: i64| CommuneCounters { province_name: p.into(), commune_name: n.into(), entrants: e, attempts: 2 * e, submissions: e };
        let (header, rows) = participation_table(vec![c("Lạng Sơn", "Xã Đồng Đăng", 1), c("Lạng Sơn", "Xã Điềm He", 2), c("Cao Bằng", "Xã Yên Lạc", 3)]);
        assert_eq!(header.len(), rows[0].len());
        let names: Vec<&Cell> = rows.iter().map(|r| &r[2]).collect();
        assert_eq!(names, [&Cell::Text("Xã Yên Lạc".into()), &Cell::Text("Xã Điềm He".into()), &Cell::Text("Xã Đồng Đăng".into()), &Cell::Empty]);
        assert_eq!(rows[3], vec![Cell::Empty, Cell::Text(msg::TOTAL_ROW.into()), Cell::Empty, Cell::Int(6), Cell::Int(12), Cell::Int(6)]);
    }
}
