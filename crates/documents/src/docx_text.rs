//! The plain text of an uploaded DOCX (a legal document's full text), read with docx-rs: one
//! line per paragraph, table cells one per line. The bytes are untrusted: the archive is first
//! inflated into a sink under the readers' cap on what it really unpacks to
//! (`report::check_archive`, as for uploaded workbooks), a panic in the reader is caught, and
//! callers run this on the blocking pool under a time limit (`kernel::heavy::Heavy`).

use docx_rs::{DocumentChild, Paragraph, ParagraphChild, RunChild, Table, TableCellContent, TableChild, TableRowChild};

/// The text, or `None` when the bytes are not a readable DOCX, inflate beyond the cap, or hold
/// no text.
pub fn docx_plain_text(bytes: &[u8]) -> Option<String> {
    // The archive is inflated once into a sink, counting the bytes it really produces (not the
    // sizes it declares, which a forged file can understate), before docx-rs reads it whole.
    crate::report::check_archive(bytes).ok()?;
    std::panic::catch_unwind(|| read(bytes)).ok().flatten()
}

fn read(bytes: &[u8]) -> Option<String> {
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
    use std::io::Cursor;

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

    #[test]
    fn an_archive_that_unpacks_too_large_is_refused_unread() {
        use std::io::Write;
        let mut buf = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..20 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
        assert!(buf.get_ref().len() < 1 << 20, "the bomb is small");
        assert_eq!(docx_plain_text(buf.get_ref()), None);
        assert_eq!(docx_plain_text(b"PK\x03\x04 not really"), None);
    }
}
