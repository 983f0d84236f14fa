//! The paragraphs of an uploaded DOCX with what Word shows around their text: the label of
//! Word's automatic numbering ("Câu 3:", "B.") and how each piece of text looks (bold,
//! underlined, coloured, highlighted), for readers that take meaning from them (the contests'
//! question import). [`crate::docx_text`] gives the plain text for everything else.
//!
//! The bytes are untrusted. The archive is first inflated into a sink under the readers' cap on
//! what it really unpacks to (`report::check_archive`, as for uploaded workbooks); the parts are
//! then read by a streaming XML reader (quick-xml: no DTD, no entity expansion, no recursion, so
//! memory follows the paragraphs kept, not the markup), the paragraphs and the labels are
//! capped, and a panic is caught. Callers run this on the blocking pool under a time limit
//! (`kernel::heavy::Heavy`).
//!
//! What is read: paragraphs of the body, in tables and content controls too, in order (text
//! boxes, drawings, deleted text and field codes are not); runs' text, tabs and line breaks;
//! hidden text is dropped. A run's look comes from the document defaults, the paragraph's style
//! (with its `basedOn` chain), the run's character style and its own properties, in that order;
//! a paragraph's shading counts as highlight of its text. Numbering follows Word for the common
//! cases: `w:numPr` on the paragraph or its style, one running count per abstract numbering
//! definition and level shared by every `w:num` that uses it, a `w:startOverride` restarting its
//! level where that `w:num` first appears, a level restarting after a higher one, `w:start`,
//! `w:lvlText` with `%1`…`%9`, and the formats decimal, decimalZero, upperLetter, lowerLetter,
//! upperRoman and lowerRoman (any other shows as decimal; bullets show no label).

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// Paragraphs kept from one document (a bank of 5,000 questions has some 50,000).
pub const MAX_PARAGRAPHS: usize = 200_000;
/// Characters of a rendered numbering label.
const MAX_LABEL_CHARS: usize = 64;
/// One part of the archive, once inflated (the whole archive is capped before).
const MAX_PART: u64 = 16 << 20;
/// Styles followed through `basedOn`.
const MAX_STYLE_DEPTH: usize = 16;
/// Levels of a numbering definition.
const LEVELS: usize = 9;

/// How a piece of text looks, as far as it can single something out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Look {
    pub bold: bool,
    pub underline: bool,
    /// The text's colour as six upper-case hex digits, when neither automatic nor black.
    pub colour: Option<String>,
    /// What is behind the text: a highlight ("yellow") or a shading's fill ("FFFF00"), when any.
    pub highlight: Option<String>,
}

/// A piece of a paragraph's text in one look.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub look: Look,
}

/// A paragraph as Word shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Paragraph {
    /// What Word's automatic numbering shows before the text ("Câu 3:", "B."), with its look.
    pub label: Option<Span>,
    /// The text, in pieces of one look each; a line break is '\n', a tab '\t'.
    pub spans: Vec<Span>,
}

impl Paragraph {
    /// The text without its label.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Why a DOCX could not be read (the caller words the message).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocxReadError {
    #[error("not a readable DOCX")]
    NotDocx,
    #[error("the DOCX unpacks too large or holds too many paragraphs")]
    TooLarge,
}

use DocxReadError::{NotDocx, TooLarge};

/// The paragraphs of the document's body, in order (an empty paragraph included, so that the
/// n-th paragraph is the n-th one in Word).
pub fn docx_paragraphs(bytes: &[u8]) -> Result<Vec<Paragraph>, DocxReadError> {
    crate::report::check_archive(bytes).map_err(|e| if e == crate::ReadError::TooLarge { TooLarge } else { NotDocx })?;
    std::panic::catch_unwind(|| read(bytes)).unwrap_or(Err(NotDocx))
}

fn read(bytes: &[u8]) -> Result<Vec<Paragraph>, DocxReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| NotDocx)?;
    let names: Vec<String> = zip.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect();
    let mut part = |name: &str| -> Option<String> {
        let found = names.iter().find(|n| n.as_str() == name).or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(name)))?;
        let mut out = Vec::new();
        zip.by_name(found).ok()?.take(MAX_PART).read_to_end(&mut out).ok()?;
        let text = String::from_utf8(out).ok()?;
        Some(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
    };
    let main = part("_rels/.rels").and_then(|rels| target(&rels, "/officeDocument", "")).unwrap_or_else(|| "word/document.xml".to_string());
    let (dir, file) = main.rsplit_once('/').map_or(("", main.as_str()), |(d, f)| (d, f));
    let dir = if dir.is_empty() { String::new() } else { format!("{dir}/") };
    let rels = part(&format!("{dir}_rels/{file}.rels"));
    let related = |kind: &str, fallback: &str| rels.as_deref().and_then(|r| target(r, kind, &dir)).unwrap_or_else(|| format!("{dir}{fallback}"));
    let (styles_name, numbering_name) = (related("/styles", "styles.xml"), related("/numbering", "numbering.xml"));
    let document = part(&main).ok_or(NotDocx)?;
    // A damaged styles or numbering part costs the looks or the labels, not the text.
    let styles = part(&styles_name).and_then(|x| Styles::parse(&x).ok()).unwrap_or_default();
    let mut numbering = part(&numbering_name).and_then(|x| Numbering::parse(&x).ok()).unwrap_or_default();
    body(&document, &styles, &mut numbering)
}

/// The target of the first internal relationship whose type ends with `kind`, as a part name
/// (relative targets resolved against `dir`).
fn target(rels: &str, kind: &str, dir: &str) -> Option<String> {
    let mut r = Reader::from_str(rels);
    loop {
        match r.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let external = attr(&e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("external"));
                if !external && attr(&e, "Type").is_some_and(|t| t.ends_with(kind)) {
                    return attr(&e, "Target").map(|t| resolve(dir, &t));
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// A part name from a relationship's target ("/word/x.xml", "x.xml", "../x.xml").
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// An attribute's value by its local name.
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

/// An on/off property: on unless its value says off.
fn on(e: &BytesStart<'_>) -> bool {
    !val(e).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "off" | "none"))
}

/// The next direct child of the element whose start was just read, and whether it is open
/// (then its caller reads or [`skip`]s it to its end); `None` at the element's end.
fn child<'a>(r: &mut Reader<&'a [u8]>) -> Result<Option<(BytesStart<'a>, bool)>, DocxReadError> {
    loop {
        match r.read_event().map_err(|_| NotDocx)? {
            Event::Start(e) => return Ok(Some((e, true))),
            Event::Empty(e) => return Ok(Some((e, false))),
            Event::End(_) => return Ok(None),
            Event::Eof => return Err(NotDocx),
            _ => {}
        }
    }
}

/// Reads an open element to its end, whatever it holds.
fn skip(r: &mut Reader<&[u8]>, e: &BytesStart<'_>, open: bool) -> Result<(), DocxReadError> {
    if open {
        r.read_to_end(e.name()).map_err(|_| NotDocx)?;
    }
    Ok(())
}

/// A colour value: `None` for automatic or black.
fn colour(v: Option<String>) -> Option<String> {
    let v = v?.trim().to_ascii_uppercase();
    (!v.is_empty() && v != "AUTO" && v != "000000").then_some(v)
}

/// What a `w:shd` puts behind the text: its fill, or its pattern's colour when solid; `None`
/// for nothing, automatic or white.
fn shading(e: &BytesStart<'_>) -> Option<String> {
    let solid = val(e).is_some_and(|v| v.eq_ignore_ascii_case("solid"));
    let fill = if solid { attr(e, "color") } else { attr(e, "fill") };
    colour(fill).filter(|c| c != "FFFFFF")
}

/// Run properties as written on one level (a style, a run): each `None` leaves the level below.
#[derive(Clone, Debug, Default)]
struct RunProps {
    style: Option<String>,
    bold: Option<bool>,
    underline: Option<bool>,
    colour: Option<Option<String>>,
    highlight: Option<Option<String>>,
    shading: Option<Option<String>>,
    hidden: Option<bool>,
}

impl RunProps {
    fn read(r: &mut Reader<&[u8]>) -> Result<RunProps, DocxReadError> {
        let mut p = RunProps::default();
        while let Some((e, open)) = child(r)? {
            match e.local_name().as_ref() {
                "rStyle" => p.style = val(&e),
                "b" => p.bold = Some(on(&e)),
                "u" => p.underline = Some(on(&e)),
                "color" => p.colour = Some(colour(val(&e))),
                "highlight" => p.highlight = Some(val(&e).filter(|v| !v.eq_ignore_ascii_case("none")).map(|v| v.to_ascii_lowercase())),
                "shd" => p.shading = Some(shading(&e)),
                "vanish" => p.hidden = Some(on(&e)),
                _ => {}
            }
            skip(r, &e, open)?;
        }
        Ok(p)
    }

    fn apply(&self, to: &mut Props) {
        if let Some(b) = self.bold {
            to.bold = b;
        }
        if let Some(u) = self.underline {
            to.underline = u;
        }
        if let Some(c) = &self.colour {
            to.colour.clone_from(c);
        }
        if let Some(h) = &self.highlight {
            to.highlight.clone_from(h);
        }
        if let Some(s) = &self.shading {
            to.shading.clone_from(s);
        }
        if let Some(h) = self.hidden {
            to.hidden = h;
        }
    }
}

/// Run properties resolved through every level.
#[derive(Clone, Debug, Default)]
struct Props {
    bold: bool,
    underline: bool,
    colour: Option<String>,
    highlight: Option<String>,
    shading: Option<String>,
    hidden: bool,
}

impl Props {
    fn look(&self, paragraph_shading: Option<&String>) -> Look {
        Look { bold: self.bold, underline: self.underline, colour: self.colour.clone(), highlight: self.highlight.clone().or_else(|| self.shading.clone()).or_else(|| paragraph_shading.cloned()) }
    }
}

/// Paragraph properties as written on one level (a style, a paragraph).
#[derive(Clone, Debug, Default)]
struct ParaProps {
    style: Option<String>,
    num_id: Option<String>,
    level: Option<usize>,
    /// The paragraph mark's run properties (the numbering label takes them).
    mark: RunProps,
    shading: Option<Option<String>>,
}

impl ParaProps {
    fn read(r: &mut Reader<&[u8]>) -> Result<ParaProps, DocxReadError> {
        let mut p = ParaProps::default();
        while let Some((e, open)) = child(r)? {
            match (e.local_name().as_ref(), open) {
                ("pStyle", _) => p.style = val(&e),
                ("shd", _) => p.shading = Some(shading(&e)),
                ("numPr", true) => {
                    while let Some((n, open)) = child(r)? {
                        match n.local_name().as_ref() {
                            "numId" => p.num_id = val(&n),
                            "ilvl" => p.level = val(&n).and_then(|v| v.trim().parse().ok()),
                            _ => {}
                        }
                        skip(r, &n, open)?;
                    }
                    continue;
                }
                ("rPr", true) => {
                    p.mark = RunProps::read(r)?;
                    continue;
                }
                _ => {}
            }
            skip(r, &e, open)?;
        }
        Ok(p)
    }
}

#[derive(Clone, Debug, Default)]
struct Style {
    based_on: Option<String>,
    run: RunProps,
    para: ParaProps,
}

/// The styles part: the document defaults and the styles by id.
#[derive(Debug, Default)]
struct Styles {
    defaults: RunProps,
    default_paragraph: Option<String>,
    styles: HashMap<String, Style>,
}

impl Styles {
    fn parse(xml: &str) -> Result<Styles, DocxReadError> {
        let mut s = Styles::default();
        let mut r = Reader::from_str(xml);
        loop {
            match r.read_event().map_err(|_| NotDocx)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "styles" | "docDefaults" | "rPrDefault" => {}
                    "rPr" => s.defaults = RunProps::read(&mut r)?,
                    "style" => {
                        let id = attr(&e, "styleId").unwrap_or_default();
                        let paragraph = attr(&e, "type").is_some_and(|t| t == "paragraph");
                        if paragraph && attr(&e, "default").is_some_and(|d| d == "1" || d == "true") {
                            s.default_paragraph = Some(id.clone());
                        }
                        let mut style = Style::default();
                        while let Some((c, open)) = child(&mut r)? {
                            match (c.local_name().as_ref(), open) {
                                ("basedOn", _) => style.based_on = val(&c),
                                ("rPr", true) => {
                                    style.run = RunProps::read(&mut r)?;
                                    continue;
                                }
                                ("pPr", true) => {
                                    style.para = ParaProps::read(&mut r)?;
                                    continue;
                                }
                                _ => {}
                            }
                            skip(&mut r, &c, open)?;
                        }
                        s.styles.insert(id, style);
                    }
                    _ => skip(&mut r, &e, true)?,
                },
                Event::Eof => return Ok(s),
                _ => {}
            }
        }
    }

    /// A style and the ones it is based on, the base first.
    fn chain(&self, id: Option<&str>) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut next = id;
        while let Some(id) = next
            && out.len() < MAX_STYLE_DEPTH
            && let Some(style) = self.styles.get(id)
        {
            out.push(style);
            next = style.based_on.as_deref();
        }
        out.reverse();
        out
    }
}

/// A number format of a numbering level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Format {
    #[default]
    Decimal,
    DecimalZero,
    UpperLetter,
    LowerLetter,
    UpperRoman,
    LowerRoman,
    /// A bullet or no number: no label.
    Nothing,
}

impl Format {
    fn parse(v: &str) -> Format {
        match v {
            "decimalZero" => Format::DecimalZero,
            "upperLetter" => Format::UpperLetter,
            "lowerLetter" => Format::LowerLetter,
            "upperRoman" => Format::UpperRoman,
            "lowerRoman" => Format::LowerRoman,
            "bullet" | "none" => Format::Nothing,
            _ => Format::Decimal,
        }
    }

    /// `n` as Word writes it in this format (letters past ZZ…Z of 30 and Roman numerals past
    /// 3999 fall back to decimal, as do 0s).
    fn render(self, n: u32) -> String {
        match self {
            Format::Nothing => String::new(),
            Format::UpperLetter | Format::LowerLetter if (1..=26 * 30).contains(&n) => {
                let base = if self == Format::UpperLetter { b'A' } else { b'a' };
                let letter = char::from(base + ((n - 1) % 26) as u8);
                std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect()
            }
            Format::UpperRoman | Format::LowerRoman if (1..=3999).contains(&n) => {
                let roman = roman(n);
                if self == Format::LowerRoman { roman.to_ascii_lowercase() } else { roman }
            }
            Format::DecimalZero if n < 10 => format!("0{n}"),
            _ => n.to_string(),
        }
    }
}

fn roman(mut n: u32) -> String {
    const DIGITS: [(u32, &str); 13] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// One level of a numbering definition.
#[derive(Clone, Debug, Default)]
struct Level {
    start: u32,
    format: Format,
    text: String,
    /// Restarts after a higher level is used (`w:lvlRestart` 0 says never).
    restarts: bool,
    /// `w:isLgl`: every number of the label in decimal.
    legal: bool,
    run: RunProps,
}

impl Level {
    fn read(r: &mut Reader<&[u8]>) -> Result<Level, DocxReadError> {
        let mut l = Level { restarts: true, ..Level::default() };
        while let Some((e, open)) = child(r)? {
            match (e.local_name().as_ref(), open) {
                ("start", _) => l.start = val(&e).and_then(|v| v.trim().parse().ok()).unwrap_or(0),
                ("numFmt", _) => l.format = Format::parse(&val(&e).unwrap_or_default()),
                ("lvlText", _) => l.text = val(&e).unwrap_or_default().chars().take(MAX_LABEL_CHARS).collect(),
                ("lvlRestart", _) => l.restarts = val(&e).is_none_or(|v| v.trim() != "0"),
                ("isLgl", _) => l.legal = on(&e),
                ("rPr", true) => {
                    l.run = RunProps::read(r)?;
                    continue;
                }
                _ => {}
            }
            skip(r, &e, open)?;
        }
        Ok(l)
    }
}

fn level_index(e: &BytesStart<'_>) -> Option<usize> {
    attr(e, "ilvl").and_then(|v| v.trim().parse().ok()).filter(|&l: &usize| l < LEVELS)
}

#[derive(Debug, Default)]
struct Abstract {
    levels: Vec<Option<Level>>,
    /// `w:numStyleLink`: the definition is the one of the numbering this style names.
    style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    start_overrides: [Option<u32>; LEVELS],
    levels: Vec<Option<Level>>,
}

/// The numbering part and the running counts while the body is read.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Abstract>,
    nums: HashMap<String, Num>,
    /// The last number shown, per abstract definition and level.
    counts: HashMap<String, [Option<u32>; LEVELS]>,
    /// The (num, level) pairs already shown, for `w:startOverride`.
    seen: HashSet<(String, usize)>,
}

fn levels() -> Vec<Option<Level>> {
    vec![None; LEVELS]
}

impl Numbering {
    fn parse(xml: &str) -> Result<Numbering, DocxReadError> {
        let mut n = Numbering::default();
        let mut r = Reader::from_str(xml);
        loop {
            match r.read_event().map_err(|_| NotDocx)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "numbering" => {}
                    "abstractNum" => {
                        let id = attr(&e, "abstractNumId").unwrap_or_default();
                        let mut a = Abstract { levels: levels(), style_link: None };
                        while let Some((c, open)) = child(&mut r)? {
                            match (c.local_name().as_ref(), open) {
                                ("numStyleLink", _) => a.style_link = val(&c),
                                ("lvl", true) => {
                                    let at = level_index(&c);
                                    let level = Level::read(&mut r)?;
                                    if let Some(at) = at {
                                        a.levels[at] = Some(level);
                                    }
                                    continue;
                                }
                                _ => {}
                            }
                            skip(&mut r, &c, open)?;
                        }
                        n.abstracts.insert(id, a);
                    }
                    "num" => {
                        let id = attr(&e, "numId").unwrap_or_default();
                        let mut num = Num { levels: levels(), ..Num::default() };
                        while let Some((c, open)) = child(&mut r)? {
                            match (c.local_name().as_ref(), open) {
                                ("abstractNumId", _) => num.abstract_id = val(&c).unwrap_or_default(),
                                ("lvlOverride", true) => {
                                    let at = level_index(&c);
                                    while let Some((o, open)) = child(&mut r)? {
                                        match (o.local_name().as_ref(), open, at) {
                                            ("startOverride", _, Some(at)) => num.start_overrides[at] = val(&o).and_then(|v| v.trim().parse().ok()),
                                            ("lvl", true, Some(at)) => {
                                                num.levels[at] = Some(Level::read(&mut r)?);
                                                continue;
                                            }
                                            _ => {}
                                        }
                                        skip(&mut r, &o, open)?;
                                    }
                                    continue;
                                }
                                _ => {}
                            }
                            skip(&mut r, &c, open)?;
                        }
                        n.nums.insert(id, num);
                    }
                    _ => skip(&mut r, &e, true)?,
                },
                Event::Eof => return Ok(n),
                _ => {}
            }
        }
    }

    /// The label of the next paragraph numbered by `num_id` at `level`, and its level's run
    /// properties; counts it.
    fn next(&mut self, num_id: &str, level: usize, styles: &Styles) -> Option<(String, RunProps)> {
        let num = self.nums.get(num_id)?;
        let mut abstract_id = num.abstract_id.clone();
        let mut def = self.abstracts.get(&abstract_id)?;
        // One hop through a numbering style ("List Number" linked to a definition).
        if let Some(link) = &def.style_link
            && let Some(linked) = styles.styles.get(link).and_then(|s| s.para.num_id.as_ref())
            && let Some(other) = self.nums.get(linked)
            && let Some(d) = self.abstracts.get(&other.abstract_id)
        {
            abstract_id.clone_from(&other.abstract_id);
            def = d;
        }
        let level_of = |k: usize| num.levels.get(k).and_then(Option::as_ref).or_else(|| def.levels.get(k).and_then(Option::as_ref));
        let this = level_of(level)?;
        let counts = self.counts.entry(abstract_id).or_default();
        let first = self.seen.insert((num_id.to_string(), level));
        let shown = match num.start_overrides[level] {
            Some(start) if first => start,
            _ => counts[level].map_or(this.start, |c| c.saturating_add(1)),
        };
        counts[level] = Some(shown);
        for (deeper, count) in counts.iter_mut().enumerate().skip(level + 1) {
            if level_of(deeper).is_none_or(|l| l.restarts) {
                *count = None;
            }
        }
        if this.format == Format::Nothing {
            return None;
        }
        let mut label = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            let placeholder = if c == '%' { chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=9).contains(d)) } else { None };
            match placeholder {
                Some(d) => {
                    chars.next();
                    let k = d as usize - 1;
                    if k <= level {
                        let at = level_of(k);
                        let n = counts[k].unwrap_or_else(|| at.map_or(0, |l| l.start));
                        let format = if this.legal { Format::Decimal } else { at.map_or(Format::Decimal, |l| l.format) };
                        label.push_str(&format.render(n));
                    }
                }
                None => label.push(c),
            }
        }
        let label: String = label.chars().take(MAX_LABEL_CHARS).collect();
        Some((label, this.run.clone()))
    }
}

/// A paragraph while its runs are read.
#[derive(Default)]
struct Open {
    props: ParaProps,
    spans: Vec<Span>,
}

/// A run while its content is read.
#[derive(Default)]
struct OpenRun {
    props: RunProps,
    text: String,
}

/// Elements skipped whole inside a paragraph, outside runs: deleted or moved-away text,
/// alternative content (its fallback repeats it), equations.
const SKIP_IN_PARAGRAPH: [&str; 5] = ["del", "moveFrom", "AlternateContent", "oMath", "oMathPara"];

/// The text of a `w:t` whose start was just read.
fn text_of(r: &mut Reader<&[u8]>, out: &mut String) -> Result<(), DocxReadError> {
    loop {
        match r.read_event().map_err(|_| NotDocx)? {
            Event::Text(t) => out.push_str(&t.xml10_content()),
            Event::CData(t) => out.push_str(&t.xml10_content()),
            Event::GeneralRef(g) => {
                let c = match g.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match g.xml10_content().as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                    Err(_) => None,
                };
                out.extend(c);
            }
            Event::Start(e) => skip(r, &e, true)?,
            Event::End(_) => return Ok(()),
            Event::Eof => return Err(NotDocx),
            _ => {}
        }
    }
}

fn body(xml: &str, styles: &Styles, numbering: &mut Numbering) -> Result<Vec<Paragraph>, DocxReadError> {
    let mut r = Reader::from_str(xml);
    let mut out: Vec<Paragraph> = Vec::new();
    let mut para: Option<Open> = None;
    let mut run: Option<OpenRun> = None;
    loop {
        match r.read_event().map_err(|_| NotDocx)? {
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                match (&mut para, &mut run) {
                    (None, _) if name == "p" => para = Some(Open::default()),
                    (None, _) if name.ends_with("Pr") || name == "tblGrid" || SKIP_IN_PARAGRAPH.contains(&name) => skip(&mut r, &e, true)?,
                    (None, _) => {}
                    (Some(p), None) => match name {
                        "pPr" => p.props = ParaProps::read(&mut r)?,
                        "r" => run = Some(OpenRun::default()),
                        n if n == "p" || n.ends_with("Pr") || SKIP_IN_PARAGRAPH.contains(&n) => skip(&mut r, &e, true)?,
                        // Hyperlinks, insertions, content controls, smart tags, simple fields.
                        _ => {}
                    },
                    (Some(_), Some(run)) => match name {
                        "rPr" => run.props = RunProps::read(&mut r)?,
                        "t" => text_of(&mut r, &mut run.text)?,
                        // Drawings, field codes, deleted text, footnote marks.
                        _ => skip(&mut r, &e, true)?,
                    },
                }
            }
            Event::Empty(e) => match (e.local_name().as_ref(), &mut para, &mut run) {
                ("p", None, _) => {
                    if out.len() >= MAX_PARAGRAPHS {
                        return Err(TooLarge);
                    }
                    out.push(Paragraph::default());
                }
                ("tab" | "ptab", Some(_), Some(run)) => run.text.push('\t'),
                ("br" | "cr", Some(_), Some(run)) => run.text.push('\n'),
                ("noBreakHyphen", Some(_), Some(run)) => run.text.push('-'),
                _ => {}
            },
            Event::End(e) => match (e.local_name().as_ref(), &mut para) {
                ("r", Some(p)) => {
                    if let Some(done) = run.take() {
                        end_run(p, done, styles);
                    }
                }
                ("p", Some(_)) if run.is_none() => {
                    if out.len() >= MAX_PARAGRAPHS {
                        return Err(TooLarge);
                    }
                    if let Some(p) = para.take() {
                        out.push(end_paragraph(p, styles, numbering));
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

fn paragraph_style<'s>(p: &'s ParaProps, styles: &'s Styles) -> Option<&'s str> {
    p.style.as_deref().or(styles.default_paragraph.as_deref())
}

/// The run properties a paragraph's runs start from: the defaults, then its style's chain.
fn base_props(p: &ParaProps, styles: &Styles) -> Props {
    let mut props = Props::default();
    styles.defaults.apply(&mut props);
    for s in styles.chain(paragraph_style(p, styles)) {
        s.run.apply(&mut props);
    }
    props
}

/// The paragraph's shading, its own or its style's.
fn paragraph_shading(p: &ParaProps, styles: &Styles) -> Option<String> {
    if let Some(s) = &p.shading {
        return s.clone();
    }
    styles.chain(paragraph_style(p, styles)).iter().rev().find_map(|s| s.para.shading.clone()).flatten()
}

fn end_run(p: &mut Open, run: OpenRun, styles: &Styles) {
    if run.text.is_empty() {
        return;
    }
    let mut props = base_props(&p.props, styles);
    for s in styles.chain(run.props.style.as_deref()) {
        s.run.apply(&mut props);
    }
    run.props.apply(&mut props);
    if props.hidden {
        return;
    }
    let look = props.look(paragraph_shading(&p.props, styles).as_ref());
    match p.spans.last_mut() {
        Some(last) if last.look == look => last.text.push_str(&run.text),
        _ => p.spans.push(Span { text: run.text, look }),
    }
}

fn end_paragraph(p: Open, styles: &Styles, numbering: &mut Numbering) -> Paragraph {
    let chain = styles.chain(paragraph_style(&p.props, styles));
    let num_id = p.props.num_id.clone().or_else(|| chain.iter().rev().find_map(|s| s.para.num_id.clone()));
    let level = p.props.level.or_else(|| chain.iter().rev().find_map(|s| s.para.level)).unwrap_or(0);
    let label = match num_id {
        Some(id) if id.trim() != "0" && level < LEVELS => numbering.next(id.trim(), level, styles).filter(|(text, _)| !text.trim().is_empty()).map(|(text, run)| {
            // The label looks like the paragraph mark, with its level's own properties on top.
            let mut props = base_props(&p.props, styles);
            p.props.mark.apply(&mut props);
            run.apply(&mut props);
            Span { text, look: props.look(paragraph_shading(&p.props, styles).as_ref()) }
        }),
        _ => None,
    };
    Paragraph { label, spans: p.spans }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A DOCX of raw parts: `document.xml`'s body, and optionally numbering and styles parts.
    fn docx(body: &str, numbering: Option<&str>, styles: Option<&str>) -> Vec<u8> {
        const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
        let mut buf = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut rels = String::new();
        let put = |zip: &mut zip::ZipWriter<&mut Cursor<Vec<u8>>>, name: &str, text: &str| {
            zip.start_file(name, opts).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        };
        put(&mut zip, "[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#);
        put(&mut zip, "_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#);
        put(&mut zip, "word/document.xml", &format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#));
        if let Some(n) = numbering {
            put(&mut zip, "word/numbering.xml", &format!(r#"<?xml version="1.0"?><w:numbering {NS}>{n}</w:numbering>"#));
            rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#);
        }
        if let Some(s) = styles {
            put(&mut zip, "word/styles.xml", &format!(r#"<?xml version="1.0"?><w:styles {NS}>{s}</w:styles>"#));
            rels.push_str(r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/word/styles.xml"/>"#);
        }
        put(&mut zip, "word/_rels/document.xml.rels", &format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#));
        zip.finish().unwrap();
        buf.into_inner()
    }

    fn texts(ps: &[Paragraph]) -> Vec<String> {
        ps.iter().map(|p| format!("{}|{}", p.label.as_ref().map_or("", |l| l.text.as_str()), p.text())).collect()
    }

    #[test]
    fn reads_text_looks_and_skips_what_word_does_not_show() {
        let body = r#"
            <w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">A. </w:t></w:r><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t>Đủ 18 tuổi</w:t></w:r></w:p>
            <w:p><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>gạch</w:t></w:r><w:r><w:rPr><w:u w:val="none"/><w:b w:val="0"/></w:rPr><w:t>không</w:t></w:r></w:p>
            <w:p><w:r><w:rPr><w:color w:val="FF0000"/></w:rPr><w:t>đỏ</w:t></w:r><w:r><w:rPr><w:color w:val="auto"/></w:rPr><w:t>tự</w:t></w:r><w:r><w:rPr><w:color w:val="000000"/></w:rPr><w:t>đen</w:t></w:r></w:p>
            <w:p><w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t>vàng</w:t></w:r><w:r><w:rPr><w:shd w:val="clear" w:color="auto" w:fill="00FF00"/></w:rPr><w:t>xanh</w:t></w:r><w:r><w:rPr><w:shd w:val="clear" w:color="auto" w:fill="FFFFFF"/></w:rPr><w:t>trắng</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c &amp; &#273;</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r><w:del><w:r><w:delText>xóa</w:delText></w:r></w:del><w:ins><w:r><w:t>thêm</w:t></w:r></w:ins><w:hyperlink><w:r><w:t>liên kết</w:t></w:r></w:hyperlink><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>hộp</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r></w:p>
            <w:tbl><w:tblPr><w:tblW w:w="0"/></w:tblPr><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:tcPr><w:shd w:fill="FF0000"/></w:tcPr><w:p><w:r><w:t>ô</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:pPr><w:shd w:val="clear" w:fill="FFFF00"/></w:pPr><w:r><w:t>nền</w:t></w:r></w:p>"#;
        let ps = docx_paragraphs(&docx(body, None, None)).unwrap();
        assert_eq!(texts(&ps), vec!["|A. Đủ 18 tuổi", "|gạchkhông", "|đỏtựđen", "|vàngxanhtrắng", "|", "|a\tb\nc & đthêmliên kết", "|ô", "|nền"]);
        let looks = |i: usize| ps[i].spans.iter().map(|s| (s.text.as_str(), s.look.clone())).collect::<Vec<_>>();
        let bold = Look { bold: true, ..Look::default() };
        // The paragraph mark's bold is not the text's.
        assert_eq!(looks(0), vec![("A. ", Look::default()), ("Đủ 18 tuổi", bold)]);
        assert_eq!(looks(1), vec![("gạch", Look { underline: true, ..Look::default() }), ("không", Look::default())]);
        assert_eq!(looks(2), vec![("đỏ", Look { colour: Some("FF0000".into()), ..Look::default() }), ("tựđen", Look::default())]);
        assert_eq!(looks(3), vec![("vàng", Look { highlight: Some("yellow".into()), ..Look::default() }), ("xanh", Look { highlight: Some("00FF00".into()), ..Look::default() }), ("trắng", Look::default())]);
        assert_eq!(looks(7), vec![("nền", Look { highlight: Some("FFFF00".into()), ..Look::default() })]);
    }

    #[test]
    fn looks_come_through_styles() {
        let styles = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:color w:val="1F3864"/></w:rPr></w:rPrDefault></w:docDefaults>
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="Dung"><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
            <w:style w:type="paragraph" w:styleId="DungDo"><w:basedOn w:val="Dung"/><w:rPr><w:color w:val="auto"/></w:rPr></w:style>
            <w:style w:type="character" w:styleId="Strong"><w:rPr><w:u w:val="single"/></w:rPr></w:style>
            <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>"#;
        let body = r#"<w:p><w:r><w:t>mặc định</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="DungDo"/></w:pPr><w:r><w:t>kiểu</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Strong"/><w:b w:val="false"/></w:rPr><w:t>ký tự</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Loop"/></w:pPr><w:r><w:t>vòng</w:t></w:r></w:p>"#;
        let ps = docx_paragraphs(&docx(body, None, Some(styles))).unwrap();
        let blue = Some("1F3864".to_string());
        assert_eq!(ps[0].spans[0].look, Look { colour: blue.clone(), ..Look::default() });
        assert_eq!(ps[1].spans[0].look, Look { bold: true, ..Look::default() });
        assert_eq!(ps[1].spans[1].look, Look { underline: true, ..Look::default() });
        assert_eq!(ps[2].spans[0].look, Look { colour: blue, ..Look::default() });
    }

    /// An abstract numbering definition: (level, format, text, start).
    fn abstract_num(id: u32, levels: &[(u32, &str, &str, u32)]) -> String {
        let lvls: String = levels.iter().map(|(l, f, t, s)| format!(r#"<w:lvl w:ilvl="{l}"><w:start w:val="{s}"/><w:numFmt w:val="{f}"/><w:lvlText w:val="{t}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr><w:rPr><w:b/></w:rPr></w:lvl>"#)).collect();
        format!(r#"<w:abstractNum w:abstractNumId="{id}"><w:multiLevelType w:val="hybridMultilevel"/>{lvls}</w:abstractNum>"#)
    }

    fn numbered(num: u32, level: u32, text: &str) -> String {
        format!(r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    }

    fn plain(text: &str) -> String {
        format!(r#"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    }

    #[test]
    fn numbering_counts_restarts_and_renders_as_word_does() {
        let numbering = [
            abstract_num(0, &[(0, "decimal", "Câu %1:", 1)]),
            abstract_num(1, &[(0, "upperLetter", "%1.", 1)]),
            abstract_num(2, &[(0, "decimal", "%1.", 1), (1, "lowerLetter", "%2)", 1), (2, "upperRoman", "%1.%2.%3", 1)]),
            abstract_num(3, &[(0, "bullet", "", 1)]),
            abstract_num(4, &[(0, "upperLetter", "(%1)", 1)]),
            r#"<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
               <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
               <w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
               <w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
               <w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>
               <w:num w:numId="6"><w:abstractNumId w:val="3"/></w:num>
               <w:num w:numId="7"><w:abstractNumId w:val="4"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="27"/></w:lvlOverride></w:num>"#
                .to_string(),
        ]
        .concat();
        let body = [
            numbered(1, 0, "Một?"),
            numbered(2, 0, "x"),
            numbered(2, 0, "y"),
            plain("Đáp án: A"),
            numbered(1, 0, "Hai?"),
            // A num with a start override restarts the shared count where it first appears…
            numbered(3, 0, "x"),
            numbered(3, 0, "y"),
            // …and a num without one continues the definition's count.
            numbered(4, 0, "z"),
            numbered(5, 0, "Ba"),
            numbered(5, 1, "a"),
            numbered(5, 1, "b"),
            numbered(5, 2, "c"),
            numbered(5, 0, "Bốn"),
            numbered(5, 1, "a lại"),
            numbered(6, 0, "chấm"),
            numbered(7, 0, "AA"),
            numbered(0, 0, "bỏ số"),
            numbered(99, 0, "không có"),
        ]
        .concat();
        let ps = docx_paragraphs(&docx(&body, Some(&numbering), None)).unwrap();
        assert_eq!(texts(&ps), vec![
            "Câu 1:|Một?", "A.|x", "B.|y", "|Đáp án: A", "Câu 2:|Hai?", "A.|x", "B.|y", "C.|z", "1.|Ba", "a)|a", "b)|b", "1.b.I|c", "2.|Bốn", "a)|a lại", "|chấm", "(AA)|AA", "|bỏ số", "|không có",
        ]);
        // The label takes its level's look.
        assert!(ps[0].label.as_ref().unwrap().look.bold);
    }

    #[test]
    fn numbering_through_a_paragraph_style() {
        let styles = r#"<w:style w:type="paragraph" w:styleId="CauHoi"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#;
        let numbering = [abstract_num(0, &[(0, "decimal", "Câu %1.", 1)]), r#"<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#.to_string()].concat();
        let body = r#"<w:p><w:pPr><w:pStyle w:val="CauHoi"/></w:pPr><w:r><w:t>Một?</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="CauHoi"/></w:pPr><w:r><w:t>Hai?</w:t></w:r></w:p>"#;
        let ps = docx_paragraphs(&docx(body, Some(&numbering), Some(styles))).unwrap();
        assert_eq!(texts(&ps), vec!["Câu 1.|Một?", "Câu 2.|Hai?"]);
    }

    #[test]
    fn formats() {
        let cases = [(Format::UpperLetter, 1, "A"), (Format::UpperLetter, 26, "Z"), (Format::UpperLetter, 28, "BB"), (Format::LowerLetter, 3, "c"), (Format::UpperRoman, 1994, "MCMXCIV"), (Format::LowerRoman, 4, "iv"), (Format::DecimalZero, 7, "07"), (Format::Decimal, 12, "12")];
        for (f, n, s) in cases {
            assert_eq!(f.render(n), s);
        }
        // Huge numbers fall back to decimal rather than to a huge label.
        assert_eq!(Format::UpperLetter.render(u32::MAX), u32::MAX.to_string());
        assert_eq!(Format::UpperRoman.render(0), "0");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert_eq!(docx_paragraphs(b"not a docx"), Err(NotDocx));
        assert_eq!(docx_paragraphs(b"PK\x03\x04 not really"), Err(NotDocx));
        let good = docx(&plain("Câu 1: Hỏi?"), None, None);
        for cut in [10, good.len() / 2, good.len() - 10] {
            assert!(docx_paragraphs(&good[..cut]).is_err());
        }
        // Unbalanced or unfinished XML in the document part.
        for body in ["<w:p><w:r><w:t>x</w:p>", "<w:p><w:r><w:t>x", "</w:p>", "<w:p><w:pPr><w:numPr>"] {
            assert_eq!(docx_paragraphs(&docx(body, None, None)), Err(NotDocx), "{body}");
        }
        // Unknown entities and a DTD are not expanded.
        let ps = docx_paragraphs(&docx("<w:p><w:r><w:t>a&lol;b</w:t></w:r></w:p>", None, None)).unwrap();
        assert_eq!(ps[0].text(), "ab");
        // A damaged numbering part costs the labels only.
        let ps = docx_paragraphs(&docx(&numbered(1, 0, "x"), Some("<w:num w:numId=\"1\">"), None)).unwrap();
        assert_eq!(texts(&ps), vec!["|x"]);
    }

    #[test]
    fn too_many_paragraphs_is_too_large() {
        let body = "<w:p/>".repeat(MAX_PARAGRAPHS + 1);
        assert_eq!(docx_paragraphs(&docx(&body, None, None)), Err(TooLarge));
    }

    #[test]
    fn reads_what_docx_rs_writes() {
        let mut buf = Cursor::new(Vec::new());
        docx_rs::Docx::new()
            // docx-rs writes a definition 1 and a num 1 of its own.
            .add_abstract_numbering(docx_rs::AbstractNumbering::new(2).add_level(docx_rs::Level::new(0, docx_rs::Start::new(1), docx_rs::NumberFormat::new("upperLetter"), docx_rs::LevelText::new("%1."), docx_rs::LevelJc::new("left"))))
            .add_numbering(docx_rs::Numbering::new(2, 2))
            .add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("Câu 1: Hỏi?")))
            .add_paragraph(docx_rs::Paragraph::new().numbering(docx_rs::NumberingId::new(2), docx_rs::IndentLevel::new(0)).add_run(docx_rs::Run::new().add_text("Có")))
            .add_paragraph(docx_rs::Paragraph::new().numbering(docx_rs::NumberingId::new(2), docx_rs::IndentLevel::new(0)).add_run(docx_rs::Run::new().add_text("Không").bold()))
            .build()
            .pack(&mut buf)
            .unwrap();
        let ps = docx_paragraphs(buf.get_ref()).unwrap();
        assert_eq!(texts(&ps), vec!["|Câu 1: Hỏi?", "A.|Có", "B.|Không"]);
        assert!(!ps[1].spans[0].look.bold && ps[2].spans[0].look.bold);
    }
}
