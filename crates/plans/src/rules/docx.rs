//! Text of a .docx (Office Open XML) document, from its bytes: a minimal ZIP reader (stored and
//! deflated entries) and a scan of `word/document.xml` for paragraphs (`w:p`), runs' text (`w:t`),
//! tabs and line breaks. Every read is bounds-checked; a damaged or truncated file is an error.

use std::io::Read;

use super::PlanError;

/// Largest document.xml accepted once inflated.
const MAX_XML: u64 = 16 * 1024 * 1024;

fn u16_at(b: &[u8], i: usize) -> Option<usize> {
    let s = b.get(i..i + 2)?;
    Some(usize::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], i: usize) -> Option<usize> {
    let s = b.get(i..i + 4)?;
    usize::try_from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])).ok()
}

/// The bytes of one entry of a ZIP archive.
fn zip_entry(zip: &[u8], wanted: &str) -> Option<Vec<u8>> {
    // End of central directory: scan back from the end (the comment is at most 64 KiB).
    let min = zip.len().saturating_sub(22 + 65535);
    let eocd = (min..zip.len().saturating_sub(21))
        .rev()
        .find(|&i| zip.get(i..i + 4) == Some(b"PK\x05\x06"))?;
    let count = u16_at(zip, eocd + 10)?;
    let mut at = u32_at(zip, eocd + 16)?;
    for _ in 0..count {
        if zip.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let method = u16_at(zip, at + 10)?;
        let csize = u32_at(zip, at + 20)?;
        let nlen = u16_at(zip, at + 28)?;
        let elen = u16_at(zip, at + 30)?;
        let clen = u16_at(zip, at + 32)?;
        let local = u32_at(zip, at + 42)?;
        let name = zip.get(at + 46..at + 46 + nlen)?;
        if name == wanted.as_bytes() {
            if zip.get(local..local + 4)? != b"PK\x03\x04" {
                return None;
            }
            let start = local + 30 + u16_at(zip, local + 26)? + u16_at(zip, local + 28)?;
            let data = zip.get(start..start.checked_add(csize)?)?;
            return match method {
                0 => Some(data.to_vec()),
                8 => {
                    let mut out = Vec::new();
                    flate2::read::DeflateDecoder::new(data)
                        .take(MAX_XML)
                        .read_to_end(&mut out)
                        .ok()?;
                    Some(out)
                }
                _ => None,
            };
        }
        at = at + 46 + nlen + elen + clen;
    }
    None
}

fn unescape(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(a) = rest.find('&') {
        out.push_str(&rest[..a]);
        let after = &rest[a..];
        let Some(semi) = after.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let ent = &after[1..semi];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Paragraph text of WordprocessingML: one line per `w:p` followed by a blank line, `w:br` as a
/// line break. The blank line keeps a Word paragraph one paragraph for the parser, which
/// otherwise reads a text without blank lines as hard-wrapped and joins consecutive lines.
fn document_text(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    let mut in_text = false;
    while let Some(lt) = rest.find('<') {
        if in_text {
            unescape(&rest[..lt], &mut out);
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let self_closing = tag.ends_with('/');
        let name = tag
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        match name {
            "w:t" => in_text = !self_closing,
            "/w:t" => in_text = false,
            "/w:p" => out.push_str("\n\n"),
            "w:br" | "w:cr" => out.push('\n'),
            "w:tab" => out.push('\t'),
            _ => {}
        }
        rest = &rest[lt + gt + 1..];
    }
    out
}

/// The text of a .docx file: one line per paragraph, paragraphs separated by a blank line.
pub fn docx_text(bytes: &[u8]) -> Result<String, PlanError> {
    let xml = zip_entry(bytes, "word/document.xml").ok_or(PlanError::BadDocx)?;
    let xml = String::from_utf8(xml).map_err(|_| PlanError::BadDocx)?;
    let text = document_text(&xml);
    if text.trim().is_empty() {
        return Err(PlanError::Empty);
    }
    Ok(text)
}
