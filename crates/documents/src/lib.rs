//! In-process document generators for pbgdpl (no I/O besides building bytes):
//!
//! * [`official`]: a Word (DOCX) plan (*Kế hoạch*) laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I;
//! * [`xlsx`]: the task table as an Excel workbook;
//! * [`report`]: the periodic statistical report as an Excel workbook, and the reader of a
//!   filled copy;
//! * [`svg`]: small inline SVG charts (bars, columns, a 100 % stacked bar, a timeline).
//!
//! All user-visible text is Vietnamese.

mod error;
pub mod docx_text;
pub mod official;
pub mod pdf;
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
