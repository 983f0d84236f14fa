//! The plain text of an uploaded DOCX (a legal document's full text), read with docx-rs: one
//! line per paragraph, table cells one per line. The bytes are untrusted: the archive's entries
//! are checked against a size cap before anything is inflated, and callers run this on the
//! blocking pool under a time limit (`kernel::heavy::Heavy`).

use std::io::Cursor;

use docx_rs::{DocumentChild, Paragraph, ParagraphChild, RunChild, Table, TableCellContent, TableChild, TableRowChild};

/// Largest total of the archive's entries once inflated.
const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// The text, or `None` when the bytes are not a readable DOCX, inflate beyond the cap, or hold
/// no text.
pub fn docx_plain_text(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i).ok()?.size());
        if total > MAX_INFLATED {
            return None;
        }
    }
    let docx = docx_rs::read_docx(bytes).ok()?;
    let mut out = String::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => paragraph(p, &mut out),
            DocumentChild::Table(t) => table(t, &mut out),
            _ => {}
        }
    }
    let text = out.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn paragraph(p: &Paragraph, out: &mut String) {
    for child in &p.children {
        if let ParagraphChild::Run(run) = child {
            for rc in &run.children {
                match rc {
                    RunChild::Text(t) => out.push_str(&t.text),
                    RunChild::Tab(_) => out.push('\t'),
                    RunChild::Break(_) | RunChild::CarriageReturn(_) => out.push('\n'),
                    _ => {}
                }
            }
        }
    }
    out.push('\n');
}

fn table(t: &Table, out: &mut String) {
    for TableChild::TableRow(row) in &t.rows {
        for TableRowChild::TableCell(cell) in &row.cells {
            for content in &cell.children {
                match content {
                    TableCellContent::Paragraph(p) => paragraph(p, out),
                    TableCellContent::Table(inner) => table(inner, out),
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_paragraphs_of_a_written_docx() {
        let mut buf = Cursor::new(Vec::new());
        docx_rs::Docx::new()
            .add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("Điều 1. Phạm vi điều chỉnh")))
            .add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("Luật này quy định về hòa giải ở cơ sở.")))
            .build()
            .pack(&mut buf)
            .unwrap();
        let text = docx_plain_text(buf.get_ref()).unwrap();
        assert_eq!(text, "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về hòa giải ở cơ sở.");
        assert_eq!(docx_plain_text(b"not a docx"), None);
    }
}
