//! A printable A4 poster for a survey (áp phích khảo sát): a heading, the issuing unit, the
//! survey's title and introduction, its QR code and link, made with typst like the other PDFs.
//! The QR code reaches typst as SVG bytes inside a string literal, never as markup.

use std::fmt::Write as _;

use crate::pdf::{PdfError, compile, installed_family, lit};

/// What a survey poster shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poster {
    pub heading: String,
    pub issuer: String,
    pub title: String,
    pub body: String,
    /// The QR code as a standalone SVG document.
    pub qr_svg: String,
    pub link: String,
    pub footer: String,
}

/// The typst source of a poster.
pub fn poster_source(p: &Poster, family: &str) -> String {
    let mut out = format!(
        "#set document(title: none)\n#set page(paper: \"a4\", margin: 20mm)\n#set text(font: ({}), size: 16pt, lang: \"vi\", hyphenate: false)\n#set par(justify: false, leading: 0.7em)\n",
        lit(family)
    );
    let _ = writeln!(out, "#align(center, text(size: 14pt, weight: \"bold\", {}))", lit(&p.issuer.to_uppercase()));
    let _ = writeln!(out, "#v(10mm)\n#align(center, text(size: 28pt, weight: \"bold\", {}))", lit(&p.heading));
    let _ = writeln!(out, "#v(6mm)\n#align(center, text(size: 20pt, weight: \"bold\", {}))", lit(&p.title));
    for para in p.body.split('\n').map(str::trim).filter(|s| !s.is_empty()) {
        let _ = writeln!(out, "#v(3mm)\n#align(center, text({}))", lit(para));
    }
    if !p.qr_svg.is_empty() {
        let _ = writeln!(out, "#v(8mm)\n#align(center, image(bytes({}), format: \"svg\", width: 95mm))", lit(&p.qr_svg));
    }
    let _ = writeln!(out, "#v(4mm)\n#align(center, text(size: 14pt, \"Quét mã QR bằng điện thoại hoặc mở địa chỉ:\"))");
    let _ = writeln!(out, "#align(center, text(size: 14pt, weight: \"bold\", {}))", lit(&p.link));
    if !p.footer.trim().is_empty() {
        let _ = writeln!(out, "#v(6mm)\n#align(center, text(size: 13pt, style: \"italic\", {}))", lit(p.footer.trim()));
    }
    out
}

/// The poster as PDF.
pub fn poster_pdf(p: &Poster) -> Result<Vec<u8>, PdfError> {
    let family = installed_family().ok_or(PdfError::NoFont)?;
    compile(poster_source(p, family))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn user_text_stays_literal() {
        let p = Poster {
            heading: "KHẢO SÁT".into(), issuer: "Sở Tư pháp".into(), title: "Phiếu #set text(red)".into(), body: "a\nb".into(),
            qr_svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>".into(),
            link: "http://x/khao-sat/abc".into(), footer: String::new(),
        };
        let src = poster_source(&p, "Liberation Serif");
        assert!(src.contains("\"Phiếu #set text(red)\""));
        if installed_family().is_some() {
            let pdf = poster_pdf(&p).unwrap();
            assert!(pdf.starts_with(b"%PDF"));
        }
    }
}
