//! The plain text of an uploaded PDF (a legal document's full text, a draft's text), read with
//! `pdf-extract`'s page interpreter (fonts, encodings, ToUnicode maps) and our own layout of its
//! characters into lines ([`Lines`]). The bytes are untrusted:
//!
//! * every Flate stream in the file is first inflated into a sink under a cap on what the whole
//!   file really unpacks to ([`MAX_UNPACKED`]), so a compression bomb is refused before the reader
//!   decompresses anything;
//! * once parsed (and decrypted with the empty password, if it is encrypted), the file's
//!   structure is checked before a page is interpreted ([`check_structure`]): only unfiltered,
//!   FlateDecode and image streams, every stream measured again as the reader will decode it
//!   (lopdf's fallback to raw deflate included), page trees without loops, no form that draws
//!   another form (the interpreter recurses without a limit), a bounded number of form calls per
//!   page and a bounded amount of content to interpret, with repetitions counted; what fails is
//!   refused as unreadable, so the officer pastes the text;
//! * the text kept is capped ([`MAX_CHARS`]);
//! * a panic in the reader is caught;
//! * callers run this on the blocking pool under a time limit (`kernel::heavy::Heavy`).
//!
//! A scanned PDF (pictures of pages) has no text layer: the answer is then `None` and the officer
//! pastes the text, as before.

use std::io::Read;

/// The most a PDF may unpack to, all streams together (bytes).
pub const MAX_UNPACKED: u64 = 256 * 1024 * 1024;
/// The most content the interpreter may run through, pages and the forms they call, counting
/// each repetition (bytes).
pub const MAX_WORK: u64 = 512 * 1024 * 1024;
/// The most pages read.
pub const MAX_PAGES: usize = 5_000;
/// The most form calls (`Do`) on one page.
pub const MAX_CALLS_PER_PAGE: u64 = 2_000;
/// The most characters of text kept.
pub const MAX_CHARS: usize = 4_000_000;

/// The text, one line per line of the page, pages and paragraphs separated by a blank line;
/// `None` when the bytes are not a readable PDF, unpack beyond the cap, are encrypted with a
/// password, or hold no text.
pub fn pdf_plain_text(bytes: &[u8]) -> Option<String> {
    if !bytes.starts_with(b"%PDF-") || !fits_unpacked(bytes, MAX_UNPACKED) {
        return None;
    }
    let text = std::panic::catch_unwind(|| read(bytes)).ok().flatten()?;
    tidy(&text)
}

/// Walks the pages with `pdf-extract`'s interpreter into [`Lines`].
fn read(bytes: &[u8]) -> Option<String> {
    let mut doc = pdf_extract::Document::load_mem(bytes).ok()?;
    if doc.is_encrypted() {
        // Encrypted without a user password (only "owner" restrictions) still opens.
        doc.decrypt("").ok()?;
    }
    check_structure(&doc)?;
    let mut lines = Lines::default();
    pdf_extract::output_doc(&doc, &mut lines).ok()?;
    Some(lines.out)
}

/// The checks of a parsed file before any page is interpreted (see the module's documentation);
/// `None` refuses it.
pub fn check_structure(doc: &pdf_extract::Document) -> Option<()> {
    use pdf_extract::Object;
    use std::collections::HashMap;

    // Every stream as the reader will decode it, measured under the cap.
    let mut sizes: HashMap<pdf_extract::ObjectId, u64> = HashMap::new();
    let mut forms: HashMap<pdf_extract::ObjectId, bool> = HashMap::new();
    let mut total: u64 = 0;
    let mut largest_form: u64 = 0;
    for (id, obj) in &doc.objects {
        let Object::Stream(stream) = obj else { continue };
        let size = decoded_size(stream, MAX_UNPACKED - total)?;
        total += size;
        sizes.insert(*id, size);
        if stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form") {
            // A form that draws another form: refused (the interpreter follows `Do` without a
            // depth limit or a loop check).
            let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            if calls_in(&content) > 0 {
                return None;
            }
            forms.insert(*id, true);
            largest_form = largest_form.max(size);
        }
    }
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        return None;
    }
    let mut work: u64 = 0;
    for page_id in pages.values() {
        // The page tree up from the page: no loop.
        let mut seen = vec![*page_id];
        let mut dict = doc.get_dictionary(*page_id).ok()?;
        while let Ok(parent) = dict.get(b"Parent").and_then(Object::as_reference) {
            if seen.contains(&parent) || seen.len() > 64 {
                return None;
            }
            seen.push(parent);
            dict = doc.get_dictionary(parent).ok()?;
        }
        // The page's content with repetitions, and the forms it may call, each at most the
        // largest form.
        let mut page_calls: u64 = 0;
        for content_id in doc.get_page_contents(*page_id) {
            work = work.saturating_add(*sizes.get(&content_id).unwrap_or(&0));
            if let Ok(Object::Stream(s)) = doc.get_object(content_id) {
                let content = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
                page_calls = page_calls.saturating_add(calls_in(&content));
            }
        }
        if page_calls > MAX_CALLS_PER_PAGE {
            return None;
        }
        work = work.saturating_add(page_calls.saturating_mul(largest_form));
        if work > MAX_WORK {
            return None;
        }
    }
    Some(())
}

/// How many times a content stream may call an XObject (`Do` operators, counted loosely).
fn calls_in(content: &[u8]) -> u64 {
    content
        .windows(2)
        .enumerate()
        .filter(|(i, w)| *w == b"Do" && content.get(i + 2).is_none_or(|c| !c.is_ascii_alphanumeric()) && (*i == 0 || !content[i - 1].is_ascii_alphanumeric()))
        .count() as u64
}

/// What a stream decodes to as the reader will decode it (lopdf: zlib, and raw deflate after
/// the two header bytes when zlib yields nothing), counted up to `cap`; `None` for a filter the
/// text reader does not take, or beyond the cap. Image filters are not decoded for text.
fn decoded_size(stream: &pdf_extract::Stream, cap: u64) -> Option<u64> {
    use pdf_extract::Object;
    let filters: Vec<Vec<u8>> = match stream.dict.get(b"Filter") {
        Err(_) => Vec::new(),
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a.iter().map(|o| o.as_name().map(<[u8]>::to_vec)).collect::<Result<_, _>>().ok()?,
        Ok(_) => return None,
    };
    let raw = stream.content.len() as u64;
    let size = match filters.iter().map(Vec::as_slice).collect::<Vec<_>>().as_slice() {
        [] | [b"DCTDecode" | b"JPXDecode" | b"CCITTFaxDecode" | b"JBIG2Decode"] => raw,
        [b"FlateDecode"] => {
            let (n, failed) = inflate_count(flate2::read::ZlibDecoder::new(&stream.content[..]), cap);
            if n == 0 && failed && stream.content.len() > 2 { inflate_count(flate2::read::DeflateDecoder::new(&stream.content[2..]), cap).0 } else { n }
        }
        _ => return None,
    };
    (size <= cap).then_some(size)
}

/// The bytes a decoder yields, up to `cap + 1`, and whether it stopped on an error.
fn inflate_count(decoder: impl Read, cap: u64) -> (u64, bool) {
    let mut sink = CountingSink(0);
    let failed = std::io::copy(&mut decoder.take(cap + 1), &mut sink).is_err();
    (sink.0, failed)
}

/// The characters of the pages as lines of text. A new line starts where the baseline moves by
/// more than half the font size. Within a line, spaces come from the PDF's own space characters,
/// and from a gap of more than 0.15 em after a glyph whose width the font gives. A glyph without
/// a known width (typst's and other CID fonts, whose widths `pdf-extract` does not read) never
/// makes a gap: `pdf-extract`'s own plain-text output guesses spaces from such positions and cuts
/// Vietnamese words around every letter with a stacked diacritic ("LU Ậ T").
#[derive(Default)]
struct Lines {
    out: String,
    last_y: Option<f64>,
    last_end: Option<f64>,
}

/// Past [`MAX_CHARS`]: stops the interpreter.
fn too_long() -> pdf_extract::OutputError {
    pdf_extract::OutputError::FormatError(std::fmt::Error)
}

impl pdf_extract::OutputDev for Lines {
    fn begin_page(&mut self, _: u32, _: &pdf_extract::MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), pdf_extract::OutputError> {
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
        self.last_y = None;
        self.last_end = None;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(&mut self, trm: &pdf_extract::Transform, width: f64, _spacing: f64, font_size: f64, ch: &str) -> Result<(), pdf_extract::OutputError> {
        let size = (font_size * (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt()).max(0.01);
        let (x, y) = (trm.m31, trm.m32);
        match self.last_y {
            Some(last) if (y - last).abs() > size * 0.5 => {
                self.out.push_str(if (y - last).abs() > size * 2.0 { "\n\n" } else { "\n" });
                self.last_end = None;
            }
            _ => {
                if let Some(end) = self.last_end
                    && x > end + size * 0.15
                    && !self.out.ends_with([' ', '\n'])
                    && !ch.starts_with(' ')
                {
                    self.out.push(' ');
                }
            }
        }
        self.out.push_str(ch);
        if self.out.len() > MAX_CHARS * 4 {
            return Err(too_long());
        }
        self.last_y = Some(y);
        self.last_end = (width > 0.0).then_some(x + width * size);
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// Whether the Flate streams of the file unpack to at most `cap` bytes in all. Streams are found
/// by their `stream` … `endstream` keywords; one that is not valid zlib data counts for what it
/// produced before the error (the reader will refuse it anyway).
pub fn fits_unpacked(bytes: &[u8], cap: u64) -> bool {
    let mut total: u64 = 0;
    let mut at = 0;
    while let Some(start) = find(&bytes[at..], b"stream").map(|i| at + i) {
        // `endstream` also contains `stream`: skip it.
        if start >= 3 && &bytes[start - 3..start] == b"end" {
            at = start + 6;
            continue;
        }
        let mut body = start + 6;
        if bytes.get(body) == Some(&b'\r') {
            body += 1;
        }
        if bytes.get(body) == Some(&b'\n') {
            body += 1;
        }
        let end = find(&bytes[body..], b"endstream").map_or(bytes.len(), |i| body + i);
        let budget = cap - total;
        let mut decoder = flate2::read::ZlibDecoder::new(&bytes[body..end]).take(budget + 1);
        let mut sink = CountingSink(0);
        let _ = std::io::copy(&mut decoder, &mut sink);
        total += sink.0;
        if total > cap {
            return false;
        }
        at = end.max(start + 6);
    }
    true
}

struct CountingSink(u64);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Trailing spaces off each line, runs of blank lines down to one, NFC; `None` when nothing but
/// whitespace is left.
fn tidy(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    let out = text_vi::nfc(&out);
    (!out.trim().is_empty()).then_some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample_pdf() -> Vec<u8> {
        static PDF: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        PDF.get_or_init(make_sample).clone()
    }

    fn make_sample() -> Vec<u8> {
        let family = crate::pdf::installed_family().expect("a font for PDFs is installed");
        let source = format!("#set page(width: 15cm, height: 10cm)\n#set text(font: \"{family}\")\n") + r#"
= LUẬT HÒA GIẢI Ở CƠ SỞ

Điều 1. Phạm vi điều chỉnh

Luật này quy định về nguyên tắc, chính sách của Nhà nước về hòa giải ở cơ sở.

#pagebreak()
Điều 2. Hòa giải viên
"#;
        crate::pdf::compile(source).expect("typst compiles the sample")
    }

    #[test]
    fn reads_the_text_of_a_generated_pdf() {
        let text = pdf_plain_text(&sample_pdf()).expect("text");
        assert!(text.contains("HÒA GIẢI Ở CƠ SỞ"), "{text}");
        assert!(text.contains("Điều 1. Phạm vi điều chỉnh"), "{text}");
        assert!(text.contains("Điều 2. Hòa giải viên"), "{text}");
        assert_eq!(text, text_vi::nfc(&text));
    }

    #[test]
    fn vietnamese_words_stay_whole_in_every_font_we_print_with() {
        for family in crate::pdf::FONT_FAMILIES {
            let source = format!("#set text(font: \"{family}\")\nLUẬT HÒA GIẢI Ở CƠ SỞ\n\nNghị định số 15/2014/NĐ-CP quy định chi tiết một số điều.\n");
            let text = pdf_plain_text(&crate::pdf::compile(source).unwrap()).unwrap();
            assert!(text.contains("LUẬT HÒA GIẢI Ở CƠ SỞ") && text.contains("Nghị định số 15/2014/NĐ-CP quy định chi tiết một số điều."), "{family}: {text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_pdf_or_unpacks_too_far() {
        assert_eq!(pdf_plain_text(b"hello"), None);
        assert_eq!(pdf_plain_text(b"%PDF-1.7\ntruncated"), None);
        // 64 MiB of zeros deflate to about 64 KiB: over a cap of 1 MiB.
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut enc, &vec![0u8; 64 << 20]).unwrap();
        let packed = enc.finish().unwrap();
        let mut pdf = b"%PDF-1.7\n1 0 obj << /Length 1 /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(&packed);
        pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        assert!(!fits_unpacked(&pdf, 1 << 20));
        assert!(fits_unpacked(&pdf, 128 << 20));
        assert!(fits_unpacked(&sample_pdf(), 1 << 20));
    }

    /// A one-page PDF whose page draws form X0; the form's content is `form_content` (without
    /// resources of its own); `parent_loop` makes the page its own parent.
    fn crafted(form_content: &[u8], page_content: &[u8], parent_loop: bool) -> Vec<u8> {
        use pdf_extract::{Dictionary, Document, Object, Stream};
        let name = |n: &str| Object::Name(n.as_bytes().to_vec());
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let mut form = Dictionary::new();
        form.set("Type", name("XObject"));
        form.set("Subtype", name("Form"));
        form.set("BBox", vec![Object::from(0), Object::from(0), Object::from(100), Object::from(100)]);
        let form_id = doc.add_object(Stream::new(form, form_content.to_vec()));
        let mut xobjects = Dictionary::new();
        xobjects.set("X0", Object::Reference(form_id));
        let mut resources = Dictionary::new();
        resources.set("XObject", Object::Dictionary(xobjects));
        let content_id = doc.add_object(Stream::new(Dictionary::new(), page_content.to_vec()));
        let page_id = doc.new_object_id();
        let mut page = Dictionary::new();
        page.set("Type", name("Page"));
        page.set("Parent", Object::Reference(if parent_loop { page_id } else { pages_id }));
        page.set("Contents", Object::Reference(content_id));
        page.set("Resources", Object::Dictionary(resources));
        page.set("MediaBox", vec![Object::from(0), Object::from(0), Object::from(595), Object::from(842)]);
        doc.objects.insert(page_id, Object::Dictionary(page));
        let mut pages = Dictionary::new();
        pages.set("Type", name("Pages"));
        pages.set("Kids", vec![Object::Reference(page_id)]);
        pages.set("Count", Object::from(1));
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let mut catalog = Dictionary::new();
        catalog.set("Type", name("Catalog"));
        catalog.set("Pages", Object::Reference(pages_id));
        let catalog_id = doc.add_object(catalog);
        doc.trailer.set("Root", Object::Reference(catalog_id));
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn structures_that_would_crash_or_stall_the_reader_are_refused() {
        // A form that draws itself (the interpreter would recurse until the stack overflows).
        assert_eq!(pdf_plain_text(&crafted(b"/X0 Do", b"/X0 Do", false)), None);
        // A page that is its own parent.
        assert_eq!(pdf_plain_text(&crafted(b"", b"BT ET", true)), None);
        // A page calling a form more often than allowed.
        let many = b"/X0 Do\n".repeat(MAX_CALLS_PER_PAGE as usize + 1);
        assert_eq!(pdf_plain_text(&crafted(b"", &many, false)), None);
        // The same page with a few calls of a harmless form is read (and holds no text).
        let doc = pdf_extract::Document::load_mem(&crafted(b"", b"/X0 Do /X0 Do", false)).unwrap();
        assert_eq!(check_structure(&doc), Some(()));
    }

    #[test]
    fn tidy_keeps_one_blank_line() {
        assert_eq!(tidy("a  \n\n\n\nb\nc\n").as_deref(), Some("a\n\nb\nc"));
        assert_eq!(tidy(" \n\t\n"), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics_on_truncated_or_mangled_pdfs(cut in 0usize..4000, flip in proptest::collection::vec((0usize..4000, any::<u8>()), 0..8)) {
            let mut pdf = sample_pdf();
            for (i, b) in flip {
                let n = pdf.len();
                pdf[i % n] = b;
            }
            pdf.truncate(cut.min(pdf.len()));
            let _ = pdf_plain_text(&pdf);
        }

        #[test]
        fn never_panics_on_random_bytes(tail in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let mut pdf = b"%PDF-1.4\n".to_vec();
            pdf.extend(tail);
            let _ = pdf_plain_text(&pdf);
        }
    }
}
