//! A printable certificate (giấy chứng nhận), A4 landscape, made with typst like the other PDFs:
//! the issuing body, the heading, the holder's name, the lines that say what it certifies, the
//! date line, and a QR code with the address where anyone can check it. User text reaches typst
//! only as string literals.

use std::fmt::Write as _;

use crate::pdf::{PdfError, compile, installed_family, lit};

/// What a certificate shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// The issuing body ("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN").
    pub issuer: String,
    /// "GIẤY CHỨNG NHẬN".
    pub heading: String,
    /// The line before the name ("Chứng nhận Ông/Bà").
    pub lead: String,
    pub holder: String,
    /// What it certifies, a paragraph each.
    pub lines: Vec<String>,
    /// "Lạng Sơn, ngày 05 tháng 02 năm 2027".
    pub date_line: String,
    /// The QR code as a standalone SVG document (empty: none).
    pub qr_svg: String,
    /// The text under the QR code (the checking address and the code).
    pub check: String,
}

/// The typst source of a certificate.
pub fn certificate_source(c: &Certificate, family: &str) -> String {
    let mut out = format!(
        "#set document(title: none)\n#set page(paper: \"a4\", flipped: true, margin: 15mm)\n#set text(font: ({}), size: 15pt, lang: \"vi\", hyphenate: false)\n#set par(justify: false, leading: 0.7em)\n",
        lit(family)
    );
    let _ = writeln!(out, "#rect(width: 100%, height: 100%, stroke: 2pt, inset: 10mm)[");
    let _ = writeln!(out, "#align(center, text(size: 13pt, weight: \"bold\", {}))", lit(&c.issuer.to_uppercase()));
    let _ = writeln!(out, "#v(8mm)\n#align(center, text(size: 30pt, weight: \"bold\", {}))", lit(&c.heading));
    let _ = writeln!(out, "#v(6mm)\n#align(center, text(size: 16pt, {}))", lit(&c.lead));
    let _ = writeln!(out, "#v(2mm)\n#align(center, text(size: 26pt, weight: \"bold\", {}))", lit(&c.holder));
    for line in c.lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let _ = writeln!(out, "#v(2mm)\n#align(center, text(size: 16pt, {}))", lit(line));
    }
    let _ = writeln!(out, "#v(1fr)");
    let _ = writeln!(out, "#grid(columns: (1fr, 1fr), align: (left + bottom, center + bottom),");
    if c.qr_svg.is_empty() {
        let _ = writeln!(out, "  text(size: 10pt, {}),", lit(&c.check));
    } else {
        let _ = writeln!(out, "  stack(spacing: 2mm, image(bytes({}), format: \"svg\", width: 32mm), text(size: 10pt, {})),", lit(&c.qr_svg), lit(&c.check));
    }
    let _ = writeln!(out, "  text(size: 14pt, style: \"italic\", {}),", lit(&c.date_line));
    let _ = writeln!(out, ")\n]");
    out
}

/// The certificate as PDF.
pub fn certificate_pdf(c: &Certificate) -> Result<Vec<u8>, PdfError> {
    let family = installed_family().ok_or(PdfError::NoFont)?;
    compile(certificate_source(c, family))
}

/// A QR code of `text` as a standalone SVG document (empty when the text is too long for one).
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample() -> Certificate {
        Certificate {
            issuer: "Ủy ban nhân dân tỉnh Lạng Sơn".into(),
            heading: "GIẤY CHỨNG NHẬN".into(),
            lead: "Chứng nhận Ông/Bà".into(),
            holder: "Nguyễn Văn \"#set text(red)\"".into(),
            lines: vec!["Đạt Giải Nhất".into(), "".into()],
            date_line: "Lạng Sơn, ngày 05 tháng 02 năm 2027".into(),
            qr_svg: qr_svg("http://127.0.0.1/cuoc-thi/chung-nhan/ABC"),
            check: "Kiểm tra tại http://127.0.0.1/cuoc-thi/chung-nhan/ABC".into(),
        }
    }

    #[test]
    fn user_text_stays_literal_and_the_qr_code_is_svg() {
        let c = sample();
        assert!(c.qr_svg.starts_with("<?xml") || c.qr_svg.contains("<svg"));
        let src = certificate_source(&c, "Liberation Serif");
        assert!(src.contains("\"Nguyễn Văn \\\"#set text(red)\\\"\""), "{src}");
        assert!(src.contains("flipped: true"));
        assert_eq!(src.matches("Đạt Giải Nhất").count(), 1);
    }

    #[test]
    fn it_compiles_when_a_font_is_installed() {
        if installed_family().is_none() {
            return;
        }
        let pdf = certificate_pdf(&sample()).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
}
