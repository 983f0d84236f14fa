//! Property tests of the DOCX paragraphs reader on hostile input: any bytes, any mix of
//! WordprocessingML fragments (broken, nested, huge numbers, entities, a DTD) in the document,
//! numbering and styles parts of a real archive, and a real file with bytes changed give
//! paragraphs or an error, never a panic (the reader catches panics, so a panic hook counts
//! them), and labels stay short.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Cursor, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use documents::docx_paragraphs::docx_paragraphs;
use proptest::prelude::*;

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts panics, caught or not.
fn count_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn archive(document: &str, numbering: &str, styles: &str, deflate: bool) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, text) in [
        ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{document}</w:body></w:document>"#)),
        ("word/numbering.xml", format!(r#"<?xml version="1.0"?><w:numbering {NS}>{numbering}</w:numbering>"#)),
        ("word/styles.xml", format!(r#"<?xml version="1.0"?><w:styles {NS}>{styles}</w:styles>"#)),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    buf.into_inner()
}

const BODY: [&str; 34] = [
    "<w:p>",
    "</w:p>",
    "<w:p/>",
    "<w:r>",
    "</w:r>",
    "<w:t>",
    "</w:t>",
    "<w:t xml:space=\"preserve\">Câu 1: Hỏi? </w:t>",
    "A. Có",
    "<w:rPr><w:b/><w:u w:val=\"single\"/><w:color w:val=\"FF0000\"/><w:highlight w:val=\"yellow\"/></w:rPr>",
    "<w:rPr><w:b w:val=\"0\"/><w:shd w:val=\"solid\" w:color=\"00FF00\"/><w:rStyle w:val=\"S1\"/></w:rPr>",
    "<w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>",
    "<w:pPr><w:numPr><w:ilvl w:val=\"8\"/><w:numId w:val=\"2\"/></w:numPr><w:pStyle w:val=\"S2\"/></w:pPr>",
    "<w:pPr><w:numPr><w:ilvl w:val=\"99999999999\"/><w:numId w:val=\"-1\"/></w:numPr></w:pPr>",
    "<w:pPr><w:rPr><w:b/></w:rPr><w:shd w:fill=\"FFFF00\"/></w:pPr>",
    "<w:tab/>",
    "<w:br/>",
    "<w:cr/>",
    "&amp;",
    "&#273;",
    "&#xD800;",
    "&#0;",
    "&unknown;",
    "<![CDATA[<w:p>]]>",
    "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>",
    "&b;",
    "<w:tbl><w:tr><w:tc>",
    "</w:tc></w:tr></w:tbl>",
    "<w:sdt><w:sdtPr><w:rPr><w:b/></w:rPr></w:sdtPr><w:sdtContent>",
    "</w:sdtContent></w:sdt>",
    "<w:del>",
    "</w:del>",
    "<w:r><w:drawing><w:p><w:r><w:t>x</w:t></w:r></w:p></w:drawing></w:r>",
    "<w:hyperlink><w:r><w:t>link</w:t></w:r></w:hyperlink>",
];

const NUMBERING: [&str; 16] = [
    "<w:abstractNum w:abstractNumId=\"0\">",
    "</w:abstractNum>",
    "<w:lvl w:ilvl=\"0\">",
    "<w:lvl w:ilvl=\"8\">",
    "<w:lvl w:ilvl=\"4294967296\">",
    "</w:lvl>",
    "<w:start w:val=\"4294967295\"/>",
    "<w:start w:val=\"-3\"/>",
    "<w:numFmt w:val=\"upperLetter\"/><w:lvlText w:val=\"%1%2%3%4%5%6%7%8%9%%%0%\"/>",
    "<w:numFmt w:val=\"upperRoman\"/><w:lvlText w:val=\"Câu %1:\"/><w:isLgl/>",
    "<w:lvlRestart w:val=\"0\"/><w:rPr><w:b/></w:rPr>",
    "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/>",
    "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"0\"/><w:lvlOverride w:ilvl=\"8\"><w:startOverride w:val=\"4294967295\"/></w:lvlOverride>",
    "</w:num>",
    "<w:numStyleLink w:val=\"S2\"/>",
    "<w:lvlOverride w:ilvl=\"0\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"lowerLetter\"/></w:lvl></w:lvlOverride>",
];

const STYLES: [&str; 8] = [
    "<w:style w:type=\"paragraph\" w:styleId=\"S2\" w:default=\"1\">",
    "<w:style w:type=\"character\" w:styleId=\"S1\">",
    "</w:style>",
    "<w:basedOn w:val=\"S1\"/>",
    "<w:basedOn w:val=\"S2\"/>",
    "<w:rPr><w:b/><w:vanish/></w:rPr>",
    "<w:pPr><w:numPr><w:numId w:val=\"2\"/></w:numPr></w:pPr>",
    "<w:docDefaults><w:rPrDefault><w:rPr><w:color w:val=\"1F3864\"/></w:rPr></w:rPrDefault></w:docDefaults>",
];

fn pick<const N: usize>(from: &'static [&'static str; N], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0..N, 0..max).prop_map(move |ix| ix.into_iter().map(|i| from[i]).collect())
}

/// A well-formed file: numbered questions, options in looks, styles.
fn real_file() -> Vec<u8> {
    let body = [
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Hỏi?</w:t></w:r></w:p>",
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Có</w:t></w:r></w:p>",
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>Không</w:t></w:r></w:p>",
        "<w:p><w:pPr><w:pStyle w:val=\"S2\"/></w:pPr><w:r><w:t>Chủ đề: X</w:t></w:r></w:p>",
    ]
    .concat();
    let numbering = "<w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"Câu %1:\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"upperLetter\"/><w:lvlText w:val=\"%2.\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>";
    let styles = "<w:style w:type=\"paragraph\" w:styleId=\"S2\"><w:rPr><w:u w:val=\"single\"/></w:rPr></w:style>";
    archive(&body, numbering, styles, true)
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    count_panics();
    let before = PANICS.load(Ordering::SeqCst);
    if let Ok(paragraphs) = docx_paragraphs(bytes) {
        for p in &paragraphs {
            prop_assert!(p.label.as_ref().is_none_or(|l| l.text.chars().count() <= 64), "{p:?}");
        }
    }
    prop_assert_eq!(PANICS.load(Ordering::SeqCst), before, "the reader panicked (and caught it)");
    Ok(())
}

#[test]
fn the_real_file_reads() {
    let ps = docx_paragraphs(&real_file()).unwrap();
    let labels: Vec<&str> = ps.iter().map(|p| p.label.as_ref().map_or("", |l| l.text.as_str())).collect();
    assert_eq!(labels, vec!["Câu 1:", "A.", "B.", ""]);
    assert!(ps[2].spans[0].look.bold && ps[3].spans[0].look.underline);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes)?;
        let mut zip_like = b"PK\x03\x04".to_vec();
        zip_like.extend(bytes);
        check(&zip_like)?;
    }

    #[test]
    fn any_parts_in_a_real_archive(document in pick(&BODY, 40), numbering in pick(&NUMBERING, 24), styles in pick(&STYLES, 12), deflate in any::<bool>()) {
        check(&archive(&document, &numbering, &styles, deflate))?;
    }

    #[test]
    fn a_real_file_with_bytes_changed(changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in proptest::option::of(any::<prop::sample::Index>())) {
        let mut bytes = real_file_stored();
        for (at, b) in changes {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        check(&bytes)?;
    }
}

/// The real file stored (not deflated), so that changed bytes land in the XML itself.
fn real_file_stored() -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(real_file())).unwrap();
    let mut out = Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        w.start_file(name, opts).unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap();
    out.into_inner()
}
