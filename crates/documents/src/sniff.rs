//! Whether uploaded bytes really are the document their extension claims: the structure of the
//! whole file, not only its first bytes (a PDF header followed by an HTML page is not a PDF).

use std::io::Cursor;

/// Kinds of evidence accepted from users, by extension.
pub const EVIDENCE: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

/// Why a file was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Sniffed {
    /// The extension is not one we accept.
    UnknownType,
    /// The content is not a well-formed file of that type.
    Mismatch,
}

impl Sniffed {
    /// What the person who uploaded the file is told.
    pub fn message(&self) -> &'static str {
        match self {
            Sniffed::UnknownType => "Chỉ nhận tệp PDF, DOCX, XLSX, PNG hoặc JPEG.",
            Sniffed::Mismatch => "Nội dung tệp không khớp với phần mở rộng của tên tệp.",
        }
    }
}

/// Checks `bytes` against the extension of `name`; returns the content type to serve it with.
pub fn check_evidence(name: &str, bytes: &[u8]) -> Result<&'static str, Sniffed> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let Some((_, content_type)) = EVIDENCE.iter().find(|(e, _)| *e == ext) else { return Err(Sniffed::UnknownType) };
    let ok = match ext.as_str() {
        "pdf" => is_pdf(bytes),
        "docx" => is_ooxml(bytes, "word/document.xml"),
        "xlsx" => is_ooxml(bytes, "xl/workbook.xml"),
        "png" => is_png(bytes),
        _ => is_jpeg(bytes),
    };
    if ok { Ok(content_type) } else { Err(Sniffed::Mismatch) }
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// `%PDF-1.x` (or 2.x) header, an `%%EOF` marker near the end, and no HTML markup in the first
/// kilobytes.
fn is_pdf(b: &[u8]) -> bool {
    let head = &b[..b.len().min(4096)];
    let tail = &b[b.len().saturating_sub(1024)..];
    let markup = ["<html", "<script", "<body", "<!doctype", "<iframe", "<svg"];
    (b.starts_with(b"%PDF-1.") || b.starts_with(b"%PDF-2."))
        && contains_ci(tail, b"%%EOF")
        && !markup.iter().any(|t| contains_ci(head, t.as_bytes()))
}

/// A readable ZIP archive with `[Content_Types].xml` and the part that makes it this kind.
fn is_ooxml(b: &[u8], main_part: &str) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(b)) else { return false };
    zip.by_name("[Content_Types].xml").is_ok() && zip.by_name(main_part).is_ok()
}

/// PNG signature, an `IHDR` chunk first, an `IEND` chunk last.
fn is_png(b: &[u8]) -> bool {
    b.starts_with(b"\x89PNG\r\n\x1a\n") && b.get(12..16) == Some(b"IHDR") && b.len() >= 12 && b[b.len().saturating_sub(12)..].starts_with(b"\0\0\0\0IEND")
}

/// JPEG start-of-image marker and an end-of-image marker at the end (trailing padding allowed).
fn is_jpeg(b: &[u8]) -> bool {
    let trimmed = b.iter().rposition(|&x| x != 0).map_or(&b[..0], |i| &b[..=i]);
    b.starts_with(b"\xFF\xD8\xFF") && trimmed.ends_with(b"\xFF\xD9")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn zip_with(parts: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let mut out = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        for p in parts {
            z.start_file(*p, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(b"<x/>").unwrap();
        }
        z.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn whole_structure_not_just_the_first_bytes() {
        let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
        assert_eq!(check_evidence("bien-ban.PDF", pdf), Ok("application/pdf"));
        assert_eq!(check_evidence("x.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF"), Err(Sniffed::Mismatch));
        assert_eq!(check_evidence("x.pdf", b"%PDF-1.7\ntruncated"), Err(Sniffed::Mismatch));
        let docx = zip_with(&["[Content_Types].xml", "word/document.xml"]);
        assert!(check_evidence("a.docx", &docx).is_ok());
        assert_eq!(check_evidence("a.xlsx", &docx), Err(Sniffed::Mismatch));
        assert!(check_evidence("a.xlsx", &zip_with(&["[Content_Types].xml", "xl/workbook.xml"])).is_ok());
        assert_eq!(check_evidence("a.docx", b"PK\x03\x04 not really a zip"), Err(Sniffed::Mismatch));
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&[0; 17]);
        png.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
        assert_eq!(check_evidence("anh.png", &png), Ok("image/png"));
        assert_eq!(check_evidence("anh.png", b"\x89PNG\r\n\x1a\n<html>"), Err(Sniffed::Mismatch));
        assert_eq!(check_evidence("anh.jpg", b"\xFF\xD8\xFF\xE0 data \xFF\xD9\0\0"), Ok("image/jpeg"));
        assert_eq!(check_evidence("anh.jpg", b"\xFF\xD8\xFF<html>"), Err(Sniffed::Mismatch));
        assert_eq!(check_evidence("evil.html", b"<html>"), Err(Sniffed::UnknownType));
        assert_eq!(check_evidence("noext", b""), Err(Sniffed::UnknownType));
    }
}
