//! .docx import: a document generated here from a seed's text imports like the text itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;

use kernel::agency::AgencyMatcher;
use plans::rules::{PlanError, docx_text, parse_plan_bytes};

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A ZIP archive with the given (name, data, deflate?) entries.
fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data, deflate) in entries {
        let body = if *deflate {
            let mut e =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        } else {
            data.to_vec()
        };
        let method: u16 = if *deflate { 8 } else { 0 };
        let offset = out.len() as u32;
        let crc = crc32(data);
        let mut h = Vec::new();
        h.extend_from_slice(b"PK\x03\x04");
        h.extend_from_slice(&20u16.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&method.to_le_bytes());
        h.extend_from_slice(&[0, 0, 0, 0]);
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&(body.len() as u32).to_le_bytes());
        h.extend_from_slice(&(data.len() as u32).to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(&body);
        let mut c = Vec::new();
        c.extend_from_slice(b"PK\x01\x02");
        c.extend_from_slice(&20u16.to_le_bytes());
        c.extend_from_slice(&20u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&method.to_le_bytes());
        c.extend_from_slice(&[0, 0, 0, 0]);
        c.extend_from_slice(&crc.to_le_bytes());
        c.extend_from_slice(&(body.len() as u32).to_le_bytes());
        c.extend_from_slice(&(data.len() as u32).to_le_bytes());
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&[0; 12]);
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        central.push(c);
    }
    let cd_start = out.len() as u32;
    let mut cd_len = 0u32;
    for c in &central {
        out.extend_from_slice(c);
        cd_len += c.len() as u32;
    }
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(central.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// WordprocessingML with one paragraph per line; lines split into two runs to exercise joining.
fn document_xml(text: &str) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for line in text.lines() {
        x.push_str("<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>");
        let mid = line
            .char_indices()
            .nth(line.chars().count() / 2)
            .map_or(line.len(), |(b, _)| b);
        for part in [&line[..mid], &line[mid..]] {
            if !part.is_empty() {
                x.push_str(&format!(
                    "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                    escape(part)
                ));
            }
        }
        x.push_str("</w:p>");
    }
    x.push_str("<w:sectPr/></w:body></w:document>");
    x
}

fn seed(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/seeds")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn docx_imports_like_text() {
    let m = AgencyMatcher::builtin().unwrap();
    for (name, deflate) in [
        ("son-dong-2024-pbgdpl-mediation-access-plan.txt", true),
        ("binh-phuoc-2024-police-project-plan.txt", false),
    ] {
        let text = seed(name);
        let xml = document_xml(&text);
        let docx = zip(&[
            ("[Content_Types].xml", b"<Types/>", false),
            ("word/document.xml", xml.as_bytes(), deflate),
        ]);
        let from_text = parse_plan_bytes(text.as_bytes(), "a.txt", &m).unwrap();
        let from_docx = parse_plan_bytes(&docx, "a.docx", &m).unwrap();
        assert_eq!(from_text.summary_json(), from_docx.summary_json(), "{name}");
        // Truncated archives fail cleanly.
        for cut in [10, docx.len() / 2, docx.len() - 5] {
            assert!(parse_plan_bytes(&docx[..cut], "a.docx", &m).is_err());
        }
    }
}

#[test]
fn docx_entities_and_breaks() {
    let xml = "<w:document><w:body><w:p><w:r><w:t>A &amp; B &#7871;</w:t><w:br/><w:t>C</w:t></w:r></w:p></w:body></w:document>";
    let docx = zip(&[("word/document.xml", xml.as_bytes(), true)]);
    assert_eq!(docx_text(&docx).unwrap(), "A & B ế\nC\n\n");
    let other = zip(&[("word/other.xml", b"x", false)]);
    assert_eq!(docx_text(&other), Err(PlanError::BadDocx));
}
