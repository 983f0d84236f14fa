//! Streamed exports of a survey family's responses: CSV and XLSX with the fixed columns of
//! `rules::export`, read from the database in keyset pages ([`crate::service::PAGE`] rows) so
//! that memory stays flat whatever the number of responses.
//!
//! - CSV: each page becomes one chunk of the HTTP body as soon as it is read.
//! - XLSX: rust_xlsxwriter in constant-memory mode writes each row to a temporary file as it
//!   comes, on a blocking thread that reads the pages; the finished workbook is zipped into an
//!   anonymous temporary file, which is sent only once it is complete, so that a failure is an
//!   error page and never a cut-off file. Nothing holds all rows in memory.

use std::io::Write;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kernel::db::Db;
use kernel::error::{AppError, AppResult};

use crate::msg;
use crate::rules::Definition;
use crate::rules::export::{self, CONTACT_HEADER, Cell, Column, FIXED_HEADERS};
use crate::service::{self, PAGE};
use crate::store::{self, ResponseRow, Survey};

/// The question columns of a family (every version's keys, latest wording).
pub async fn family_columns(db: &Db, s: &Survey) -> AppResult<Vec<Column>> {
    let mut defs: Vec<Definition> = Vec::new();
    for v in store::family(db, s.family_id).await? {
        defs.push(store::questions(db, v.id).await?);
    }
    let refs: Vec<&Definition> = defs.iter().collect();
    Ok(export::columns(&refs))
}

/// The header row.
pub fn headers(cols: &[Column], contacts: bool) -> Vec<String> {
    let mut h: Vec<String> = FIXED_HEADERS.iter().map(|s| s.to_string()).collect();
    if contacts {
        h.push(CONTACT_HEADER.into());
    }
    h.extend(cols.iter().map(|c| c.header.clone()));
    h
}

/// The cells of one response, fixed columns first.
pub fn row_cells(cols: &[Column], r: &ResponseRow, contacts: bool) -> Vec<Cell> {
    let mut out = vec![
        Cell::Number(r.id as f64),
        Cell::Number(r.version as f64),
        Cell::Text(text_vi::format_datetime(r.created_at)),
        Cell::Text(service::channel_label(&r.channel).into()),
        r.unit_name.clone().map(Cell::Text).unwrap_or(Cell::Empty),
    ];
    if contacts {
        out.push(r.contact.clone().map(Cell::Text).unwrap_or(Cell::Empty));
    }
    out.extend(export::question_cells(cols, &r.parsed()));
    out
}

fn file_stem(s: &Survey) -> String {
    format!("ket-qua-khao-sat-{}-{}", s.family_id, text_vi::slug(&s.title).chars().take(60).collect::<String>())
}

/// CSV lines for a page of responses.
pub fn csv_chunk(cols: &[Column], rows: &[ResponseRow], contacts: bool) -> String {
    let mut out = String::with_capacity(rows.len() * 128);
    for r in rows {
        let cells: Vec<String> = row_cells(cols, r, contacts).iter().map(Cell::as_text).collect();
        out.push_str(&export::csv_line(cells.iter().map(String::as_str)));
    }
    out
}

struct CsvState {
    db: Db,
    family: i64,
    unit: Option<i64>,
    cols: Vec<Column>,
    contacts: bool,
    after: i64,
    done: bool,
}

/// The CSV of a family (optionally one commune), streamed page by page. UTF-8 with a byte-order
/// mark, so that Excel opens Vietnamese text correctly.
/// `contacts`: whether the reader may see contact details (the column exists only when the
/// survey asks for them).
pub async fn csv_response(db: &Db, s: &Survey, unit: Option<i64>, contacts: bool) -> AppResult<Response> {
    let contacts = contacts && s.contact_details;
    let cols = family_columns(db, s).await?;
    let head = format!("\u{feff}{}", export::csv_line(headers(&cols, contacts).iter().map(String::as_str)));
    let state = CsvState { db: db.clone(), family: s.family_id, unit, cols, contacts, after: 0, done: false };
    let pages = futures_util::stream::unfold(state, |mut st| async move {
        if st.done {
            return None;
        }
        match store::responses_page(&st.db, st.family, st.unit, st.after, PAGE).await {
            Ok(rows) => {
                st.done = (rows.len() as i64) < PAGE;
                st.after = rows.last()?.id;
                let chunk = csv_chunk(&st.cols, &rows, st.contacts);
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(chunk)), st))
            }
            Err(e) => {
                tracing::error!(error = %e, "survey CSV export");
                st.done = true;
                Some((Err(std::io::Error::other("export failed")), st))
            }
        }
    });
    // Fused: a body layer (compression) may poll once more after the end, which a bare unfold
    // answers with a panic.
    let pages = futures_util::StreamExt::fuse(pages);
    let body = futures_util::StreamExt::chain(futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(Bytes::from(head)) }), pages);
    Ok(download("text/csv; charset=utf-8", &format!("{}.csv", file_stem(s)), Body::from_stream(body)))
}

fn download(content_type: &'static str, name: &str, body: Body) -> Response {
    let ascii = text_vi::slug(name);
    (
        [(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\""))],
        body,
    )
        .into_response()
}

/// Writes a family's responses as an XLSX workbook to `out`, reading the pages through `rt`.
/// Used by the HTTP export and by the benchmark.
pub fn write_xlsx<W: Write + Send>(
    rt: &tokio::runtime::Handle,
    db: &Db,
    family: i64,
    unit: Option<i64>,
    cols: &[Column],
    contacts: bool,
    out: W,
) -> Result<u64, String> {
    let mut after = 0;
    let mut done = false;
    let next = || {
        if done {
            return Ok(Vec::new());
        }
        let page = rt.block_on(store::responses_page(db, family, unit, after, PAGE)).map_err(|e| e.to_string())?;
        done = (page.len() as i64) < PAGE;
        if let Some(last) = page.last() {
            after = last.id;
        }
        Ok(page)
    };
    xlsx_from_pages(cols, contacts, next, out)
}

/// Writes an XLSX workbook from pages of responses (`next` answers an empty page at the end),
/// in constant memory: each row is flushed to a temporary file as it is written.
pub fn xlsx_from_pages<W: Write + Send>(
    cols: &[Column],
    contacts: bool,
    mut next: impl FnMut() -> Result<Vec<ResponseRow>, String>,
    out: W,
) -> Result<u64, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet_with_constant_memory().map_err(|e| e.to_string())?;
    ws.set_name("Kết quả").map_err(|e| e.to_string())?;
    for (c, h) in headers(cols, contacts).iter().enumerate() {
        let c = u16::try_from(c).map_err(|e| e.to_string())?;
        ws.write_string_with_format(0, c, h, &bold).map_err(|e| e.to_string())?;
        ws.set_column_width(c, if c < 5 { 14 } else { 24 }).map_err(|e| e.to_string())?;
    }
    ws.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    let mut row: u32 = 1;
    loop {
        let page = next()?;
        if page.is_empty() {
            break;
        }
        for r in &page {
            for (c, cell) in row_cells(cols, r, contacts).iter().enumerate() {
                let c = u16::try_from(c).map_err(|e| e.to_string())?;
                match cell {
                    Cell::Empty => {}
                    Cell::Number(n) => {
                        ws.write_number(row, c, *n).map_err(|e| e.to_string())?;
                    }
                    Cell::Text(t) => {
                        ws.write_string(row, c, t).map_err(|e| e.to_string())?;
                    }
                }
            }
            row += 1;
        }
    }
    wb.save_to_writer(out).map_err(|e| e.to_string())?;
    Ok(u64::from(row - 1))
}

/// The XLSX of a family (optionally one commune). The workbook is first written whole to an
/// anonymous temporary file (rows in constant memory, the zip through a small buffer), and only
/// then sent, with its length: a failure while writing answers a Vietnamese error page
/// ([`crate::msg::EXPORT_FAILED`], 503) instead of a cut-off file after a 200.
pub async fn xlsx_response(db: &Db, s: &Survey, unit: Option<i64>, contacts: bool) -> AppResult<Response> {
    use std::io::{Seek, SeekFrom};
    let contacts = contacts && s.contact_details;
    let cols = family_columns(db, s).await?;
    let rt = tokio::runtime::Handle::current();
    let db = db.clone();
    let family = s.family_id;
    let spooled = tokio::task::spawn_blocking(move || -> Result<(std::fs::File, u64), String> {
        let mut file = tempfile::tempfile().map_err(|e| e.to_string())?;
        {
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut file);
            write_xlsx(&rt, &db, family, unit, &cols, contacts, &mut out)?;
            out.flush().map_err(|e| e.to_string())?;
        }
        let len = file.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
        file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
        Ok((file, len))
    })
    .await;
    let (file, len) = match spooled {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => {
            tracing::error!(error = %e, survey = family, "survey XLSX export");
            return Err(AppError::Unavailable(msg::EXPORT_FAILED.into()));
        }
        Err(e) => {
            tracing::error!(error = %e, survey = family, "survey XLSX export");
            return Err(AppError::Unavailable(msg::EXPORT_FAILED.into()));
        }
    };
    let file = tokio::fs::File::from_std(file);
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
    let mut resp = download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{}.xlsx", file_stem(s)),
        Body::from_stream(futures_util::StreamExt::fuse(chunks)),
    );
    if let Ok(v) = header::HeaderValue::from_str(&len.to_string()) {
        resp.headers_mut().insert(header::CONTENT_LENGTH, v);
    }
    Ok(resp)
}
