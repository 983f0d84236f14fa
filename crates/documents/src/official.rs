//! Word (DOCX) export of an official document — a plan (*Kế hoạch*) or a narrative report
//! (*Báo cáo*) — following the presentation rules of Nghị định 30/2020/NĐ-CP, Phụ lục I:
//!
//! * A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm;
//! * Times New Roman; body 14 pt, justified, first-line indent 1,27 cm, 6 pt between paragraphs,
//!   line spacing 1,15;
//! * a borderless two-column header: issuing body (with its parent body above) and the number on
//!   the left; the national title, motto and the italic place-and-date line on the right;
//! * the document kind and its summary (trích yếu) centred in bold, each rule drawn as a short
//!   paragraph border;
//! * a borderless two-column signature block: "Nơi nhận:" on the left (the list always ends with
//!   "- Lưu: VT."), the signing authority, title and name on the right;
//! * body tables bordered, Times New Roman 12 pt, the header row bold and centred, numbers
//!   right-aligned.
//!
//! Every text that tests or PDF converters search for (the title, the date line) is written as a
//! single run.

use std::io::Cursor;

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, LineSpacing, LineSpacingType, PageMargin,
    Paragraph, ParagraphBorder, ParagraphBorderPosition, Run, RunFonts, SpecialIndentType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType,
    TableRow, VAlignType, WidthType,
};

use crate::{ExportError, text::xml_safe};

/// An official document (a plan) to be rendered as DOCX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialDoc {
    /// Parent body (cơ quan chủ quản), e.g. "UBND TỈNH LẠNG SƠN".
    pub parent_body: Option<String>,
    /// Issuing body, e.g. "HỘI ĐỒNG PHỐI HỢP PBGDPL".
    pub issuing_body: String,
    /// Number and symbol, e.g. "6134/KH-UBND"; `None` leaves the number blank.
    pub number: Option<String>,
    /// Place name of the date line, e.g. "Lạng Sơn".
    pub place: Option<String>,
    /// Issue date; `None` leaves the date blank for handwriting.
    pub date: Option<NaiveDate>,
    /// Document kind, e.g. "KẾ HOẠCH".
    pub kind: String,
    /// Summary (trích yếu).
    pub title: String,
    /// Body content.
    pub blocks: Vec<Block>,
    /// Signature block.
    pub signature: Signature,
    /// "Nơi nhận" list; "Lưu: VT." is appended when missing.
    pub recipients: Vec<String>,
}

/// One body element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A bold heading; level 1 is printed as given (normally already uppercase, "I. MỤC ĐÍCH"),
    /// level 3 and deeper are bold italic.
    Heading { level: u8, text: String },
    /// A justified body paragraph.
    Paragraph(String),
    /// A "- …" item.
    Bullet(String),
    /// "Label: value" with the label in bold.
    Field { label: String, value: String },
    /// A bordered table in 12 pt: the header row bold and centred, cells that look like
    /// Vietnamese-formatted numbers ("1.234", "54,5", "12 %") right-aligned. `widths` are
    /// relative column weights; empty (or not one per column) means equal columns.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<u32>,
    },
}

/// Signature block (thẩm quyền, chức vụ, họ tên người ký).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    /// "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH".
    pub authority: Option<String>,
    /// "CHỦ TỊCH", "PHÓ CHỦ TỊCH".
    pub title: Option<String>,
    /// Signer's full name.
    pub name: Option<String>,
}

const FONT: &str = "Times New Roman";
/// A4 in twips.
const PAGE_W: u32 = 11_906;
const PAGE_H: u32 = 16_838;
/// Margins in twips (1 mm ≈ 56,7 twips).
const MARGIN_TOP: i32 = 1134;
const MARGIN_BOTTOM: i32 = 1134;
const MARGIN_LEFT: i32 = 1701;
const MARGIN_RIGHT: i32 = 850;
/// Text width: 210 − 30 − 15 = 165 mm.
const TEXT_W: usize = 9355;
const HEADER_LEFT_W: usize = 3742;
const SIGN_LEFT_W: usize = 4300;
/// 1,27 cm.
const FIRST_LINE: i32 = 720;
/// 6 pt.
const PARA_AFTER: u32 = 120;
/// 1,15 lines (240 = single).
const LINE_115: i32 = 276;

/// Character formatting (size in points).
#[derive(Clone, Copy)]
struct Fmt {
    pt: usize,
    bold: bool,
    italic: bool,
}

const fn fmt(pt: usize, bold: bool, italic: bool) -> Fmt {
    Fmt { pt, bold, italic }
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

/// Runs for `text`; every line break in the input becomes a `<w:br/>`, so a single-line text is
/// exactly one run.
fn add_text(mut p: Paragraph, text: &str, f: Fmt) -> Paragraph {
    let clean = xml_safe(text);
    for (i, line) in clean.split('\n').enumerate() {
        let mut r = Run::new().fonts(fonts()).size(f.pt * 2);
        if f.bold {
            r = r.bold();
        }
        if f.italic {
            r = r.italic();
        }
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        p = p.add_run(r.add_text(line));
    }
    p
}

/// A paragraph with no extra spacing and single line height (header and signature tables).
fn tight(align: AlignmentType) -> Paragraph {
    Paragraph::new().align(align).line_spacing(
        LineSpacing::new()
            .before(0)
            .after(0)
            .line_rule(LineSpacingType::Auto)
            .line(240),
    )
}

fn centered(text: &str, f: Fmt) -> Paragraph {
    add_text(tight(AlignmentType::Center), text, f)
}

/// A centred horizontal rule (a bottom border), `side` twips shorter than the column on each side.
fn rule(side: i32) -> Paragraph {
    let mut p = tight(AlignmentType::Center)
        .indent(Some(side), None, Some(side), None)
        .size(4);
    p.property = p.property.set_border(
        ParagraphBorder::new(ParagraphBorderPosition::Bottom)
            .val(BorderType::Single)
            .size(6)
            .space(1)
            .color("000000"),
    );
    p
}

/// Body paragraph: justified, first-line indent, 6 pt after, 1,15 lines.
fn body() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE)),
            None,
            None,
        )
        .line_spacing(
            LineSpacing::new()
                .before(0)
                .after(PARA_AFTER)
                .line_rule(LineSpacingType::Auto)
                .line(LINE_115),
        )
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new().width(width, WidthType::Dxa), |c, p| {
            c.add_paragraph(p)
        })
}

/// The same border on all six sides of a table (outer edges and inner lines).
fn all_borders(style: impl Fn(TableBorder) -> TableBorder) -> TableBorders {
    [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::with_empty(), |b, pos| b.set(style(TableBorder::new(pos))))
}

fn two_columns(left_w: usize, left: Vec<Paragraph>, right: Vec<Paragraph>) -> Table {
    let right_w = TEXT_W - left_w;
    let borders = all_borders(|b| b.border_type(BorderType::None));
    Table::without_borders(vec![TableRow::new(vec![
        cell(left_w, left),
        cell(right_w, right),
    ])])
    .set_borders(borders)
    .set_grid(vec![left_w, right_w])
    .width(TEXT_W, WidthType::Dxa)
    .layout(TableLayoutType::Fixed)
}

/// Symbol of the document kind (Phụ lục III), for a blank number line.
fn kind_symbol(kind: &str) -> Option<&'static str> {
    let k = kind.trim().to_uppercase();
    Some(match k.as_str() {
        "KẾ HOẠCH" => "KH",
        "BÁO CÁO" => "BC",
        "QUYẾT ĐỊNH" => "QĐ",
        "THÔNG BÁO" => "TB",
        "TỜ TRÌNH" => "TTr",
        "CHƯƠNG TRÌNH" => "CTr",
        "HƯỚNG DẪN" => "HD",
        "PHƯƠNG ÁN" => "PA",
        "ĐỀ ÁN" => "ĐA",
        "NGHỊ QUYẾT" => "NQ",
        "CHỈ THỊ" => "CT",
        "QUY CHẾ" => "QC",
        "BIÊN BẢN" => "BB",
        _ => return None,
    })
}

fn number_line(doc: &OfficialDoc) -> String {
    match doc
        .number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(n) => format!("Số: {n}"),
        None => match kind_symbol(&doc.kind) {
            Some(sym) => format!("Số:        /{sym}-"),
            None => "Số:        ".to_string(),
        },
    }
}

fn date_line(doc: &OfficialDoc) -> String {
    let place = doc
        .place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    match doc.date {
        Some(d) => text_vi::official_date_line(place, d),
        None => format!("{}, ngày     tháng     năm 20…", place.unwrap_or("……")),
    }
}

fn header(doc: &OfficialDoc) -> Table {
    let mut left = Vec::new();
    if let Some(parent) = doc
        .parent_body
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        left.push(centered(&parent.to_uppercase(), fmt(13, false, false)));
    }
    left.push(centered(
        &doc.issuing_body.trim().to_uppercase(),
        fmt(13, true, false),
    ));
    left.push(rule(1200));
    left.push(tight(AlignmentType::Center));
    left.push(centered(&number_line(doc), fmt(13, false, false)));

    let right = vec![
        centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fmt(12, true, false)),
        centered("Độc lập - Tự do - Hạnh phúc", fmt(13, true, false)),
        rule(950),
        tight(AlignmentType::Center),
        centered(&date_line(doc), fmt(14, false, true)),
    ];
    two_columns(HEADER_LEFT_W, left, right)
}

/// Normalise the "Nơi nhận" list: "- item;" lines, ending with exactly one "- Lưu: …." line.
pub(crate) fn recipient_lines(recipients: &[String]) -> Vec<String> {
    let mut items = Vec::new();
    let mut archive = None;
    for r in recipients {
        let item = r
            .trim()
            .trim_start_matches(['-', '+', '•'])
            .trim_end_matches([';', '.', ','])
            .trim();
        if item.is_empty() {
            continue;
        }
        if item.to_lowercase().starts_with("lưu") {
            archive.get_or_insert_with(|| item.to_string());
        } else {
            items.push(format!("- {item};"));
        }
    }
    items.push(format!("- {}.", archive.as_deref().unwrap_or("Lưu: VT")));
    items
}

fn signature(doc: &OfficialDoc) -> Table {
    let mut left = vec![add_text(
        tight(AlignmentType::Left),
        "Nơi nhận:",
        fmt(12, true, true),
    )];
    for line in recipient_lines(&doc.recipients) {
        left.push(add_text(
            tight(AlignmentType::Left),
            &line,
            fmt(11, false, false),
        ));
    }

    let sig = &doc.signature;
    let mut right = Vec::new();
    for line in [&sig.authority, &sig.title].into_iter().flatten() {
        let line = line.trim();
        if !line.is_empty() {
            right.push(centered(&line.to_uppercase(), fmt(14, true, false)));
        }
    }
    for _ in 0..4 {
        right.push(tight(AlignmentType::Center).size(28));
    }
    if let Some(name) = sig.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        right.push(centered(name, fmt(14, true, false)));
    }
    two_columns(SIGN_LEFT_W, left, right)
}

/// Whether `s` reads as a number written the Vietnamese way: "1.234", "-1.234.567", "54,5",
/// "12 %", "0,5%".
pub(crate) fn looks_like_vi_number(s: &str) -> bool {
    let s = s.trim();
    let s = s
        .strip_suffix('%')
        .map_or(s, |r| r.trim_end_matches([' ', '\u{a0}', '\u{202f}']));
    let s = s.strip_prefix(['-', '+', '−']).unwrap_or(s);
    let (int, frac) = match s.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut groups = int.split('.');
    let first = groups.next().unwrap_or_default();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !digits(first) {
        return false;
    }
    let rest: Vec<&str> = groups.collect();
    rest.is_empty() || (first.len() <= 3 && rest.iter().all(|g| g.len() == 3 && digits(g)))
}

/// Column widths in twips summing to the text width.
fn table_grid(columns: usize, weights: &[u32]) -> Vec<usize> {
    let weights: Vec<u64> = if weights.len() == columns && weights.iter().any(|w| *w > 0) {
        weights.iter().map(|w| u64::from(*w)).collect()
    } else {
        vec![1; columns]
    };
    let total: u64 = weights.iter().sum();
    let mut grid: Vec<usize> = weights
        .iter()
        .map(|w| (TEXT_W as u64 * w / total) as usize)
        .collect();
    let used: usize = grid.iter().sum();
    if let Some(last) = grid.last_mut() {
        *last += TEXT_W.saturating_sub(used);
    }
    grid
}

fn table_cell(width: usize, text: &str, header: bool) -> TableCell {
    let align = if header {
        AlignmentType::Center
    } else if looks_like_vi_number(text) {
        AlignmentType::Right
    } else {
        AlignmentType::Left
    };
    let p = add_text(tight(align), text.trim(), fmt(12, header, false));
    TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .add_paragraph(p)
}

/// A bordered table; `None` when it has no column.
fn data_table(header: &[String], rows: &[Vec<String>], widths: &[u32]) -> Option<Table> {
    let columns = rows.iter().map(Vec::len).fold(header.len(), usize::max);
    if columns == 0 {
        return None;
    }
    let grid = table_grid(columns, widths);
    let row = |cells: &[String], is_header: bool| {
        TableRow::new(
            grid.iter()
                .enumerate()
                .map(|(i, w)| table_cell(*w, cells.get(i).map_or("", String::as_str), is_header))
                .collect(),
        )
        .cant_split()
    };
    let mut table_rows = Vec::with_capacity(rows.len() + 1);
    if !header.is_empty() {
        table_rows.push(row(header, true));
    }
    table_rows.extend(rows.iter().map(|r| row(r, false)));
    let borders = all_borders(|b| b.border_type(BorderType::Single).size(4).color("000000"));
    Some(
        Table::new(table_rows)
            .set_borders(borders)
            .set_grid(grid)
            .width(TEXT_W, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(40, 80, 40, 80)),
    )
}

fn block(b: &Block) -> Paragraph {
    const BODY: Fmt = fmt(14, false, false);
    match b {
        Block::Heading { level, text } => {
            let f = fmt(14, true, *level >= 3);
            add_text(body().keep_next(true), text, f)
        }
        Block::Paragraph(text) => add_text(body(), text, BODY),
        Block::Bullet(text) => add_text(body(), &format!("- {}", text.trim()), BODY),
        Block::Field { label, value } => {
            let p = add_text(body(), &format!("{}: ", label.trim()), fmt(14, true, false));
            add_text(p, value, BODY)
        }
        // Tables are added by `official_docx`; this is the spacing paragraph after one.
        Block::Table { .. } => body(),
    }
}

/// Build the DOCX bytes of `doc`.
pub fn official_docx(doc: &OfficialDoc) -> Result<Vec<u8>, ExportError> {
    let mut docx = Docx::new();
    if let Some(d) = doc.date {
        let stamp = d.format("%Y-%m-%dT00:00:00Z").to_string();
        docx = docx.created_at(&stamp).updated_at(&stamp);
    }
    docx = docx
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(567)
                .footer(567)
                .gutter(0),
        )
        .default_fonts(fonts())
        .default_size(28)
        .add_table(header(doc))
        .add_paragraph(tight(AlignmentType::Center))
        .add_paragraph(centered(
            &doc.kind.trim().to_uppercase(),
            fmt(14, true, false),
        ))
        .add_paragraph(centered(doc.title.trim(), fmt(14, true, false)))
        .add_paragraph(rule(3700))
        .add_paragraph(tight(AlignmentType::Center));
    for b in &doc.blocks {
        if let Block::Table {
            header,
            rows,
            widths,
        } = b
        {
            match data_table(header, rows, widths) {
                Some(t) => docx = docx.add_table(t),
                None => continue,
            }
        }
        docx = docx.add_paragraph(block(b));
    }
    let mut out = Cursor::new(Vec::new());
    docx.add_paragraph(tight(AlignmentType::Left))
        .add_table(signature(doc))
        .pack(&mut out)
        .map_err(ExportError::docx)?;
    Ok(out.into_inner())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::io::Read;

    fn sample() -> OfficialDoc {
        OfficialDoc {
            parent_body: Some("UBND tỉnh Lạng Sơn".into()),
            issuing_body: "Hội đồng phối hợp PBGDPL".into(),
            number: Some("12/KH-HĐPH".into()),
            place: Some("Lạng Sơn".into()),
            date: NaiveDate::from_ymd_opt(2024, 2, 5),
            kind: "Kế hoạch".into(),
            title: "Phổ biến, giáo dục pháp luật năm 2024".into(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: "I. MỤC ĐÍCH, YÊU CẦU".into(),
                },
                Block::Heading {
                    level: 2,
                    text: "1. Mục đích".into(),
                },
                Block::Paragraph(
                    "Nâng cao nhận thức pháp luật của cán bộ & nhân dân (tỷ lệ < 100%).".into(),
                ),
                Block::Bullet("Tuyên truyền Luật Hòa giải ở cơ sở".into()),
                Block::Heading {
                    level: 1,
                    text: "II. NHIỆM VỤ".into(),
                },
                Block::Heading {
                    level: 3,
                    text: "a) Chủ trì".into(),
                },
                Block::Field {
                    label: "Cơ quan chủ trì".into(),
                    value: "Sở Tư pháp".into(),
                },
                Block::Field {
                    label: "Thời gian".into(),
                    value: "Quý I/2024".into(),
                },
                Block::Paragraph("Dòng một\nDòng hai".into()),
            ],
            signature: Signature {
                authority: Some("KT. Chủ tịch".into()),
                title: Some("Phó Chủ tịch".into()),
                name: Some("Nguyễn Văn Bình".into()),
            },
            recipients: vec![
                "Bộ Tư pháp (b/c)".into(),
                "- Sở Tư pháp;".into(),
                "UBND các huyện".into(),
            ],
        }
    }

    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    fn pg_mar(xml: &str, attr: &str) -> i32 {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let node = doc
            .descendants()
            .find(|n| n.has_tag_name("pgMar"))
            .expect("pgMar");
        node.attributes()
            .find(|a| a.name() == attr)
            .unwrap()
            .value()
            .parse()
            .unwrap()
    }

    #[test]
    fn docx_contains_decree_30_layout() {
        let bytes = official_docx(&sample()).unwrap();
        let xml = document_xml(&bytes);
        for needle in [
            "Phổ biến, giáo dục pháp luật năm 2024",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Lạng Sơn, ngày 05 tháng 02 năm 2024",
            "Số: 12/KH-HĐPH",
            "UBND TỈNH LẠNG SƠN",
            "HỘI ĐỒNG PHỐI HỢP PBGDPL",
            "KẾ HOẠCH",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Nguyễn Văn Bình",
            "Nơi nhận:",
            "- Bộ Tư pháp (b/c);",
            "- Sở Tư pháp;",
            "Lưu: VT",
            "Times New Roman",
            "cán bộ &amp; nhân dân (tỷ lệ &lt; 100%)",
        ] {
            assert!(xml.contains(needle), "missing {needle:?}");
        }
        // Margins in twips: 20 mm, 20 mm, 30 mm, 15 mm.
        assert!((pg_mar(&xml, "top") - 1134).abs() <= 2);
        assert!((pg_mar(&xml, "bottom") - 1134).abs() <= 2);
        assert!((pg_mar(&xml, "left") - 1701).abs() <= 2);
        assert!((pg_mar(&xml, "right") - 850).abs() <= 2);
        // Body 14 pt, justified, first line 1,27 cm.
        assert!(xml.contains(r#"<w:sz w:val="28" />"#) || xml.contains(r#"<w:sz w:val="28"/>"#));
        assert!(xml.contains(r#"w:firstLine="720""#));
        // The document is well-formed XML.
        roxmltree::Document::parse(&xml).unwrap();
    }

    fn w(name: &'static str) -> (&'static str, &'static str) {
        (
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            name,
        )
    }

    #[test]
    fn table_block_renders_bordered_cells() {
        let mut doc = sample();
        doc.kind = "Báo cáo".into();
        doc.number = None;
        doc.blocks = vec![
            Block::Paragraph("Kết quả cụ thể như sau:".into()),
            Block::Table {
                header: vec!["Chỉ tiêu".into(), "6T/2025".into(), "6T/2026".into()],
                rows: vec![
                    vec![
                        "Số vụ việc tiếp nhận".into(),
                        "1.234".into(),
                        "1.500".into(),
                    ],
                    vec!["Tỷ lệ hòa giải thành".into(), "54,5".into(), "12 %".into()],
                    vec!["Ghi chú <&>".into()],
                ],
                widths: vec![3, 1, 1],
            },
            Block::Table {
                header: vec![],
                rows: vec![],
                widths: vec![],
            },
            Block::Paragraph("Sau bảng.".into()),
        ];
        let xml = document_xml(&official_docx(&doc).unwrap());
        let parsed = roxmltree::Document::parse(&xml).unwrap();
        assert!(xml.contains("Số:        /BC-"));
        // Header table, data table, signature table.
        let tables: Vec<_> = parsed
            .descendants()
            .filter(|n| n.has_tag_name(w("tbl")))
            .collect();
        assert_eq!(tables.len(), 3);
        let table = tables[1];
        let rows: Vec<Vec<String>> = table
            .children()
            .filter(|n| n.has_tag_name(w("tr")))
            .map(|tr| {
                tr.children()
                    .filter(|n| n.has_tag_name(w("tc")))
                    .map(|tc| {
                        tc.descendants()
                            .filter(|n| n.has_tag_name(w("t")))
                            .filter_map(|n| n.text())
                            .collect::<String>()
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                vec!["Chỉ tiêu", "6T/2025", "6T/2026"],
                vec!["Số vụ việc tiếp nhận", "1.234", "1.500"],
                vec!["Tỷ lệ hòa giải thành", "54,5", "12 %"],
                vec!["Ghi chú <&>", "", ""],
            ]
        );
        // Grid from the weights 3:1:1 over the text width.
        let grid: Vec<usize> = table
            .descendants()
            .filter(|n| n.has_tag_name(w("gridCol")))
            .map(|n| n.attribute(w("w")).unwrap().parse().unwrap())
            .collect();
        assert_eq!(grid.iter().sum::<usize>(), TEXT_W);
        assert_eq!(grid[0], TEXT_W * 3 / 5);
        // Single borders on every side.
        let borders = table
            .descendants()
            .find(|n| n.has_tag_name(w("tblBorders")))
            .unwrap();
        assert!(
            borders
                .children()
                .filter(|n| n.is_element())
                .all(|n| n.attribute(w("val")) == Some("single"))
        );
        // Header bold and centred, numbers right-aligned, text left, 12 pt.
        let cell_para = |r: usize, c: usize| {
            table
                .children()
                .filter(|n| n.has_tag_name(w("tr")))
                .nth(r)
                .unwrap()
                .children()
                .filter(|n| n.has_tag_name(w("tc")))
                .nth(c)
                .unwrap()
                .descendants()
                .find(|n| n.has_tag_name(w("p")))
                .unwrap()
        };
        let jc = |r, c| {
            cell_para(r, c)
                .descendants()
                .find(|n| n.has_tag_name(w("jc")))
                .and_then(|n| n.attribute(w("val")))
                .map(str::to_string)
        };
        assert_eq!(jc(0, 1).as_deref(), Some("center"));
        assert!(
            cell_para(0, 0)
                .descendants()
                .any(|n| n.has_tag_name(w("b")))
        );
        assert_eq!(jc(1, 1).as_deref(), Some("right"));
        assert_eq!(jc(2, 1).as_deref(), Some("right"));
        assert_eq!(jc(2, 2).as_deref(), Some("right"));
        assert_eq!(jc(1, 0).as_deref(), Some("left"));
        assert!(
            cell_para(1, 0)
                .descendants()
                .any(|n| n.has_tag_name(w("sz")) && n.attribute(w("val")) == Some("24"))
        );
        assert!(xml.contains("Sau bảng."));
    }

    #[test]
    fn vietnamese_numbers() {
        for yes in [
            "0",
            "12",
            "1.234",
            "1.234.567",
            "-1.234",
            "54,5",
            "0,25",
            "12 %",
            "12%",
            "54,5 %",
            "1234",
        ] {
            assert!(looks_like_vi_number(yes), "{yes}");
        }
        for no in [
            "",
            "%",
            "-",
            "1.23",
            "1.2345",
            "12.34.567",
            "1,",
            ",5",
            "1,2,3",
            "abc",
            "12 cuộc",
            "6T/2025",
            "1.234,5.6",
            "1234.567",
        ] {
            assert!(!looks_like_vi_number(no), "{no}");
        }
    }

    #[test]
    fn recipients_end_with_archive_line() {
        assert_eq!(recipient_lines(&[]), vec!["- Lưu: VT."]);
        assert_eq!(
            recipient_lines(&[
                "Như trên".into(),
                "Lưu: VT, PBGDPL.".into(),
                "Sở Tư pháp".into()
            ]),
            vec!["- Như trên;", "- Sở Tư pháp;", "- Lưu: VT, PBGDPL."]
        );
    }

    #[test]
    fn blank_number_and_date() {
        let mut doc = sample();
        doc.number = None;
        doc.date = None;
        doc.signature = Signature::default();
        doc.parent_body = None;
        doc.issuing_body = "A <b> & \u{1} c".into();
        let xml = document_xml(&official_docx(&doc).unwrap());
        assert!(xml.contains("Số:        /KH-"));
        assert!(xml.contains("Lạng Sơn, ngày     tháng     năm 20…"));
        assert!(xml.contains("A &lt;B&gt; &amp;  C"));
        roxmltree::Document::parse(&xml).unwrap();
    }

    fn tool(names: &[&str]) -> Option<std::path::PathBuf> {
        names
            .iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.exists())
    }

    fn squash(s: &str) -> String {
        text_vi::nfc(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Converts the DOCX with LibreOffice and reads the PDF text back (skipped without the tools).
    #[test]
    fn libreoffice_renders_title_and_date() {
        let Some(soffice) = tool(&["/usr/bin/soffice", "/usr/bin/libreoffice"]) else {
            eprintln!("note: LibreOffice not installed, skipping DOCX→PDF check");
            return;
        };
        let Some(pdftotext) = tool(&["/usr/bin/pdftotext"]) else {
            eprintln!("note: pdftotext not installed, skipping DOCX→PDF check");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("ke-hoach.docx");
        std::fs::write(&docx, official_docx(&sample()).unwrap()).unwrap();
        let status = std::process::Command::new(soffice)
            .env("HOME", dir.path())
            .arg(format!(
                "-env:UserInstallation=file://{}/lo",
                dir.path().display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&docx)
            .output()
            .unwrap();
        let pdf = dir.path().join("ke-hoach.pdf");
        assert!(pdf.exists(), "soffice failed: {status:?}");
        let out = std::process::Command::new(pdftotext)
            .arg("-enc")
            .arg("UTF-8")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = squash(&String::from_utf8_lossy(&out.stdout));
        for needle in [
            "Phổ biến, giáo dục pháp luật năm 2024",
            "Lạng Sơn, ngày 05 tháng 02 năm 2024",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Nơi nhận:",
        ] {
            assert!(
                text.contains(&squash(needle)),
                "PDF lacks {needle:?}:\n{text}"
            );
        }
    }
}
