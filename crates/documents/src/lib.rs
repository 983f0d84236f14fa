//! In-process document generators for pbgdpl (no I/O besides building bytes):
//!
//! * [`official`]: a Word (DOCX) plan (*Kế hoạch*) laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I;
//! * [`xlsx`]: the task table as an Excel workbook;
//! * [`report`]: the periodic statistical report as an Excel workbook, and the reader of a
//!   filled copy;
//! * [`docx_text`], [`pdf_text`]: the plain text of an uploaded DOCX or PDF;
//! * [`docx_paragraphs`]: an uploaded DOCX's paragraphs with their automatic numbering and
//!   the look of their text (bold, underline, colour, highlight);
//! * [`picture`]: uploaded pictures made upright, stripped of EXIF, resized and re-encoded;
//! * [`svg`]: small inline SVG charts (bars, columns, a 100 % stacked bar, a timeline).
//!
//! All user-visible text is Vietnamese.

mod error;
pub mod docx_paragraphs;
pub mod docx_text;
pub mod official;
pub mod pdf;
pub mod pdf_text;
pub mod picture;
pub mod certificate;
pub mod poster;
pub mod report;
pub mod sniff;
pub mod svg;
pub mod table;
mod text;
pub mod xlsx;

pub use error::ExportError;
pub use official::{Block, OfficialDoc, Signature, official_docx};
pub use pdf::{PdfError, official_pdf, report_pdf};
pub use certificate::{Certificate, certificate_pdf, qr_svg};
pub use poster::{Poster, poster_pdf};
pub use report::{
    RawCell, RawRow, ReadError, ReportCell, ReportRow, ReportSheet, read_report_xlsx, report_xlsx,
};
pub use xlsx::{TaskRow, TaskSheet, task_table_xlsx};

/// The plain text of an uploaded DOCX or PDF, chosen by the extension of `name`; `None` for
/// another type, or when the file holds no readable text (see [`docx_text`] and [`pdf_text`]).
pub fn plain_text(name: &str, bytes: &[u8]) -> Option<String> {
    let lower = name.to_lowercase();
    if lower.ends_with(".docx") {
        docx_text::docx_plain_text(bytes)
    } else if lower.ends_with(".pdf") {
        pdf_text::pdf_plain_text(bytes)
    } else {
        None
    }
}
