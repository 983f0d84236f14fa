//! PDF of an official document ([`OfficialDoc`]: a plan, a narrative report) and of a report
//! sheet ([`ReportSheet`]), made in-process with typst used as a library and the machine's own
//! fonts; no LibreOffice at run time. The layout is the DOCX's (Nghị định 30/2020/NĐ-CP, Phụ
//! lục I): A4, margins 20/20/30/15 mm, page numbers centred at the top from the second page, a Times New Roman metric-compatible serif at 14 pt
//! (13 pt in tables), the two-column header, the centred kind and summary with a short rule,
//! justified paragraphs with a 1,27 cm first-line indent, and the two-column signature block
//! with "Nơi nhận".
//!
//! Every text of the document reaches typst as a string literal in code mode, never as markup,
//! so nothing typed by a user can change the layout or run a typst function.
//!
//! Fonts: the system's fonts are scanned once per process. When none of the serif families
//! below is installed, [`PdfError::NoFont`] says which to install (Debian: `fonts-liberation`).

use std::fmt::Write as _;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

use crate::official::{Block, OfficialDoc};
use crate::report::{ReportCell, ReportSheet};

/// Serif families with the metrics of Times New Roman (which NĐ 30 names), in order of
/// preference; the first one installed is used.
pub const FONT_FAMILIES: [&str; 5] = ["Times New Roman", "Liberation Serif", "Tinos", "DejaVu Serif", "Noto Serif"];

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No usable serif font on the machine.
    #[error("Máy chủ chưa có phông chữ để tạo PDF (cần một trong các phông: Times New Roman, Liberation Serif, Tinos, DejaVu Serif, Noto Serif). Quản trị viên hãy cài gói phông chữ, ví dụ fonts-liberation.")]
    NoFont,
    /// typst refused the generated source (a defect of this module, not of the user's data).
    #[error("Không tạo được tệp PDF: {0}")]
    Typeset(String),
}

/// The fonts of the machine, scanned once.
fn fonts() -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::system());
        store
    })
}

/// The first installed family of [`FONT_FAMILIES`].
pub fn installed_family() -> Option<&'static str> {
    let book = fonts().book();
    FONT_FAMILIES.iter().copied().find(|f| book.select_family(&f.to_lowercase()).next().is_some())
}

/// The typst "world" of one document: the standard library, the machine's fonts and one
/// in-memory source file. It reads no file and reaches no network.
struct DocWorld {
    library: LazyHash<Library>,
    source: Source,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        fonts().book()
    }
    fn main(&self) -> FileId {
        self.source.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() { Ok(self.source.clone()) } else { Err(FileError::AccessDenied) }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.source.id() { Ok(Bytes::from_string(self.source.clone())) } else { Err(FileError::AccessDenied) }
    }
    fn font(&self, index: usize) -> Option<Font> {
        fonts().font(index)
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// A typst string literal holding `s` (NFC, without control characters).
pub(crate) fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in text_vi::nfc(s).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The preamble every document shares: page, font, paragraph.
fn preamble(family: &str, landscape: bool) -> String {
    format!(
        r#"#set document(title: none)
#set page(paper: "a4", flipped: {landscape}, margin: (top: 20mm, bottom: 20mm, left: 30mm, right: 15mm),
  header: context {{ let n = counter(page).get().first(); if n > 1 {{ align(center, text(size: 13pt, str(n))) }} }})
#set text(font: ({family}), size: 14pt, lang: "vi", hyphenate: false)
#set par(justify: true, leading: 0.65em, spacing: 6pt + 0.65em)
#let hd(t) = align(center, text(weight: "bold", t))
#let rule(w) = align(center, line(length: w, stroke: 0.6pt))
"#,
        family = lit(family),
    )
}

/// The NĐ 30 header: issuing body and number on the left, national title, motto and date line
/// on the right.
fn header(out: &mut String, parent: Option<&str>, issuer: &str, number: Option<&str>, kind_code: &str, place: Option<&str>, date: Option<chrono::NaiveDate>) {
    let number_line = match number {
        Some(n) if !n.trim().is_empty() => format!("Số: {}", n.trim()),
        _ => format!("Số:        /{kind_code}"),
    };
    // Without a date, the line is left to be filled in by hand.
    let date_line = match date {
        Some(d) => text_vi::official_date_line(place.filter(|p| !p.trim().is_empty()), d),
        None => format!("{}, ngày      tháng      năm", place.unwrap_or("")),
    };
    let parent = parent.map(|p| format!("#text(size: 13pt, {})\\\n", lit(&p.to_uppercase()))).unwrap_or_default();
    let _ = write!(
        out,
        r#"#grid(columns: (38%, 62%), column-gutter: 4pt,
  align(center)[#set par(justify: false)
{parent}#text(size: 13pt, weight: "bold", {issuer}) #v(-6pt) #line(length: 30%, stroke: 0.6pt) #v(-2pt) #text(size: 13pt, {number})],
  align(center)[#set par(justify: false)
#text(size: 13pt, weight: "bold", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")\
#text(weight: "bold", "Độc lập - Tự do - Hạnh phúc") #v(-6pt) #line(length: 45%, stroke: 0.6pt) #v(-2pt) #text(style: "italic", {date})])
#v(12pt)
"#,
        issuer = lit(&issuer.to_uppercase()),
        number = lit(&number_line),
        date = lit(&date_line),
    );
}

/// The signature block: "Nơi nhận" on the left, the authority, title and name on the right.
fn signature(out: &mut String, recipients: &[String], authority: Option<&str>, title: Option<&str>, name: Option<&str>) {
    let mut list: Vec<String> = recipients.iter().map(|r| r.trim().trim_start_matches(['-', '–', '•']).trim().to_string()).filter(|r| !r.is_empty()).collect();
    if !list.iter().any(|r| r.to_lowercase().starts_with("lưu")) {
        list.push("Lưu: VT.".into());
    }
    let items: String = list.iter().map(|r| format!("#text(size: 11pt, {})\\\n", lit(&format!("- {r}")))).collect();
    let mut right = String::new();
    for (line, weight) in [(authority, "bold"), (title, "bold")] {
        if let Some(l) = line.filter(|l| !l.trim().is_empty()) {
            let _ = writeln!(right, "#text(weight: \"{weight}\", {})\\", lit(&l.to_uppercase()));
        }
    }
    let _ = write!(right, "#v(60pt)");
    if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
        let _ = write!(right, "\\\n#text(weight: \"bold\", {})", lit(n));
    }
    let _ = write!(
        out,
        r#"#v(12pt)
#block(breakable: false, grid(columns: (50%, 50%),
  align(left)[#set par(justify: false)
#text(size: 12pt, weight: "bold", style: "italic", "Nơi nhận:")\
{items}],
  align(center)[#set par(justify: false)
{right}]))
"#
    );
}

/// The typst source of an official document.
pub fn official_source(doc: &OfficialDoc, family: &str) -> String {
    let mut out = preamble(family, false);
    let kind_code = match doc.kind.to_uppercase().as_str() {
        "KẾ HOẠCH" => "KH",
        "BÁO CÁO" => "BC",
        "QUYẾT ĐỊNH" => "QĐ",
        _ => "",
    };
    header(&mut out, doc.parent_body.as_deref(), &doc.issuing_body, doc.number.as_deref(), kind_code, doc.place.as_deref(), doc.date);
    let _ = write!(out, "#hd(text(size: 14pt, {}))\n#v(-4pt)\n#hd({})\n#v(-4pt)\n#rule(25%)\n#v(6pt)\n", lit(&doc.kind.to_uppercase()), lit(&doc.title));
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                let style = if *level >= 3 { "italic" } else { "normal" };
                let _ = writeln!(out, "#block(above: 10pt, below: 6pt, text(weight: \"bold\", style: \"{style}\", {}))", lit(text));
            }
            Block::Paragraph(t) => {
                for p in t.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
                    let _ = writeln!(out, "#par(first-line-indent: (amount: 1.27cm, all: true), {})", lit(p));
                }
            }
            Block::Bullet(t) => {
                let _ = writeln!(out, "#par(first-line-indent: (amount: 1.27cm, all: true), {})", lit(&format!("- {}", t.trim())));
            }
            Block::Field { label, value } => {
                let _ = writeln!(out, "#par(first-line-indent: (amount: 1.27cm, all: true))[#text(weight: \"bold\", {}) #{}]", lit(&format!("{label}:")), lit(value));
            }
            Block::Table { header, rows, widths } => {
                table(&mut out, header, rows, widths);
            }
        }
    }
    signature(&mut out, &doc.recipients, doc.signature.authority.as_deref(), doc.signature.title.as_deref(), doc.signature.name.as_deref());
    out
}

/// A bordered table in 12 pt: bold centred header, numbers right-aligned.
fn table(out: &mut String, header: &[String], rows: &[Vec<String>], widths: &[u32]) {
    let cols = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    let columns = if widths.len() == cols && widths.iter().all(|w| *w > 0) {
        widths.iter().map(|w| format!("{w}fr")).collect::<Vec<_>>().join(", ")
    } else {
        vec!["1fr"; cols].join(", ")
    };
    let numeric = |s: &str| {
        let t = s.trim().trim_end_matches('%').trim();
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | ' '))
    };
    let _ = writeln!(out, "#text(size: 12pt, table(columns: ({columns},), inset: 4pt, align: left + horizon,");
    for h in header {
        let _ = writeln!(out, "  table.cell(align: center)[#text(weight: \"bold\", {})],", lit(h));
    }
    for r in rows {
        for i in 0..cols {
            let cell = r.get(i).map(String::as_str).unwrap_or("");
            let align = if numeric(cell) { "right" } else { "left" };
            let _ = writeln!(out, "  table.cell(align: {align})[#par(justify: false, {})],", lit(cell));
        }
    }
    out.push_str("))\n");
}

/// The typst source of a report sheet: the same header, the title and period lines, then the
/// table of indicators (A4 landscape when it has more than three value columns).
pub fn report_source(sheet: &ReportSheet, family: &str) -> String {
    let landscape = sheet.columns.len() > 3;
    let mut out = preamble(family, landscape);
    header(&mut out, sheet.parent_body.as_deref(), &sheet.issuing_body, None, "BC", sheet.place.as_deref(), sheet.date);
    let _ = write!(
        out,
        "#hd({})\n#align(center, text(style: \"italic\", {}))\n#align(center, {})\n#align(center, text(size: 12pt, {}))\n#v(6pt)\n",
        lit(&sheet.form_name.to_uppercase()),
        lit(&sheet.period_label),
        lit(&sheet.scope_label),
        lit(&format!("Biểu số: {} (phiên bản {})", sheet.form_code, sheet.form_version)),
    );
    let mut header: Vec<String> = vec!["STT".into(), "Chỉ tiêu".into(), "Đơn vị tính".into()];
    header.extend(sheet.columns.iter().cloned());
    let rows: Vec<Vec<String>> = sheet
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![r.stt.clone(), r.name.clone(), r.unit.clone()];
            row.extend(r.values.iter().map(|v| match v {
                None => String::new(),
                Some(ReportCell::Int(i)) => text_vi::format_int(*i),
                Some(ReportCell::Real(x)) => text_vi::format_decimal(*x, 1),
                Some(ReportCell::Text(t)) => t.clone(),
            }));
            row
        })
        .collect();
    let mut widths = vec![2, 10, 3];
    widths.extend(std::iter::repeat_n(3, sheet.columns.len()));
    table(&mut out, &header, &rows, &widths);
    for n in &sheet.notes {
        let _ = writeln!(out, "#text(size: 11pt, style: \"italic\", {})", lit(n));
    }
    let _ = write!(
        out,
        r#"#v(12pt)
#block(breakable: false, grid(columns: (50%, 50%),
  align(center)[#text(weight: "bold", {})],
  align(center)[#text(weight: "bold", {})]))
"#,
        lit(&sheet.preparer_title),
        lit(&sheet.head_title),
    );
    out
}

/// Compiles a typst source to PDF bytes.
pub(crate) fn compile(source: String) -> Result<Vec<u8>, PdfError> {
    let world = DocWorld { library: LazyHash::new(Library::default()), source: Source::detached(source) };
    let doc: typst_layout::PagedDocument = typst::compile(&world)
        .output
        .map_err(|errs| PdfError::Typeset(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .map_err(|errs| PdfError::Typeset(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))
}

/// The official document as PDF.
pub fn official_pdf(doc: &OfficialDoc) -> Result<Vec<u8>, PdfError> {
    let family = installed_family().ok_or(PdfError::NoFont)?;
    compile(official_source(doc, family))
}

/// The report sheet as PDF.
pub fn report_pdf(sheet: &ReportSheet) -> Result<Vec<u8>, PdfError> {
    let family = installed_family().ok_or(PdfError::NoFont)?;
    compile(report_source(sheet, family))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::official::Signature;

    #[test]
    fn user_text_is_a_string_literal_not_markup() {
        assert_eq!(lit("a \"b\" \\ #set text(red) *x* $y$"), "\"a \\\"b\\\" \\\\ #set text(red) *x* $y$\"");
        assert_eq!(lit("dòng 1\ndòng\u{7} 2"), "\"dòng 1\\ndòng 2\"");
    }

    fn doc() -> OfficialDoc {
        OfficialDoc {
            parent_body: Some("UBND tỉnh Lạng Sơn".into()),
            issuing_body: "Hội đồng phối hợp PBGDPL".into(),
            number: Some("12/KH-HĐPH".into()),
            place: Some("Lạng Sơn".into()),
            date: chrono::NaiveDate::from_ymd_opt(2024, 2, 5),
            kind: "KẾ HOẠCH".into(),
            title: "Hoạt động của Hội đồng năm 2024 #set text(red)".into(),
            blocks: vec![
                Block::Heading { level: 1, text: "I. MỤC ĐÍCH, YÊU CẦU".into() },
                Block::Paragraph("Nâng cao hiệu quả \"phối hợp\" *không* phải markup.".into()),
                Block::Table { header: vec!["STT".into(), "Nội dung".into()], rows: vec![vec!["1".into(), "Hội nghị".into()]], widths: vec![1, 5] },
            ],
            signature: Signature { authority: Some("KT. CHỦ TỊCH".into()), title: Some("PHÓ CHỦ TỊCH".into()), name: Some("Đoàn Thu Hà".into()) },
            recipients: vec!["Bộ Tư pháp;".into(), "Lưu: VT, PBGDPL.".into()],
        }
    }

    #[test]
    fn the_source_compiles_to_a_pdf_when_a_font_is_installed() {
        let Some(family) = installed_family() else {
            // The error a user would see, in Vietnamese.
            assert!(official_pdf(&doc()).unwrap_err().to_string().contains("phông chữ"));
            return;
        };
        let source = official_source(&doc(), family);
        assert!(source.contains("\"Hoạt động của Hội đồng năm 2024 #set text(red)\""), "{source}");
        let pdf = official_pdf(&doc()).unwrap();
        if let Ok(path) = std::env::var("PDF_OUT") {
            std::fs::write(path, &pdf).unwrap();
        }
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() > 2_000);
    }
}
