//! The question bank in the organisers' Word (DOCX) layout, read from the document's paragraphs
//! ([`parse_paragraphs`], from `documents::docx_paragraphs`: text, Word's automatic numbering and
//! the look of the text) or from its plain text ([`parse`], one line per paragraph):
//!
//! ```text
//! CHỦ ĐỀ: Bầu cử                      (optional: the topic of the questions that follow)
//! Câu 1: Công dân đủ bao nhiêu tuổi trở lên có quyền bầu cử?
//! A. Đủ 18 tuổi
//! B. Đủ 16 tuổi
//! Đáp án: A
//! Giải thích: …                       (optional)
//! Chủ đề: Bầu cử                      (optional when a heading gave it)
//! Mức độ: Dễ | Trung bình | Khó       (optional: Trung bình)
//! Căn cứ: Điều 2 Luật Bầu cử …        (optional)
//! ```
//!
//! Variants: "Câu 1." / "Câu 1:" / "Câu hỏi 1:"; options "A." "A)" "a." "A/" "(A)", several on
//! one line when a tab or two spaces part them; "Đáp án: A", "Đáp án đúng: A", "Đáp án: B. …",
//! or the option's text; the correct option may instead be marked with a leading "*" or a
//! trailing "(đúng)". Text is NFC and spacing is forgiven. Each question is checked by
//! [`bank::check`], so it yields the same [`Question`] as the XLSX import; every error names the
//! question and its paragraph (a line break inside a paragraph starts a new one, as in the plain
//! text), and nothing comes back while any remains. Pure: no I/O.
//!
//! **Automatic numbering.** A numbered paragraph's label as Word shows it ("Câu 3:", "B.", "3.")
//! is put before its text when that makes the paragraph a question or an option; a plain
//! number ("3.", "3)") makes a question only when an option "A." follows before the next
//! question (so numbered instructions before the questions stay text); any other label
//! ("I." before "CHỦ ĐỀ: …", bullets) is left out, as when labels were not read. A label whose
//! text already starts a question or an option ("1." before a typed "Câu 1: …") is left out too.
//!
//! **Formatting.** Where a question has no "Đáp án" line and no "*" or "(đúng)", the correct
//! option may be singled out by formatting: its text (four letters in five, continuation lines
//! included) or its letter in bold, underlined, in a colour (other than automatic or black), or
//! highlighted or shaded. A feature counts only when exactly one option of the question carries
//! it, so a question wholly in bold, or options all in blue, single out nothing; features that
//! single out different options are an error. A written answer wins, but formatting that singles
//! out another option is an error (the file says two things). Options written several on one
//! line are told apart by where each one's text lies in the line, so formatting marks them too.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use documents::docx_paragraphs::{Look, Paragraph};

use super::bank::{self, Field, MAX_IMPORT, MAX_OPTIONS, Question, RawQuestion};
use crate::msg;

/// The difficulty of a question without a "Mức độ" line.
pub const DEFAULT_DIFFICULTY: &str = "trung_binh";

/// An error of the Word file: the question's number as written (`None` outside a question), the
/// paragraph (1-based line of the text) and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocxError {
    pub question: Option<u32>,
    pub paragraph: usize,
    pub message: String,
}

/// What a labelled paragraph ("Đáp án: A") gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Answer,
    Explanation,
    Topic,
    Difficulty,
    Source,
    /// "Nơi nhận:" of an official document: the questions are over.
    End,
}

/// Labels, folded (no diacritics, lower case, single spaces), the longest first where one is
/// the start of another. Parsing keys, never shown.
const LABELS: &[(&str, Kind)] = &[
    ("dap an dung", Kind::Answer),
    ("dap an chinh xac", Kind::Answer),
    ("dap an", Kind::Answer),
    ("giai thich dap an", Kind::Explanation),
    ("giai thich", Kind::Explanation),
    ("chu de", Kind::Topic),
    ("muc do kho", Kind::Difficulty),
    ("muc do", Kind::Difficulty),
    ("do kho", Kind::Difficulty),
    ("can cu phap ly", Kind::Source),
    ("can cu", Kind::Source),
    ("co so phap ly", Kind::Source),
    ("noi nhan", Kind::End),
];

/// Words that start a question, folded, the longest first.
const QUESTION_WORDS: [&str; 4] = ["cau hoi so", "cau hoi", "cau so", "cau"];

/// Separators after a label or a question's number.
const SEPARATORS: [char; 4] = [':', '-', '–', '—'];

/// The letter of option `i` (A, B, …).
pub fn letter(i: usize) -> char {
    char::from(b'A' + (i.min(25) as u8))
}

/// A line as read: NFC, without control characters, every space but the tab a plain space,
/// trimmed.
fn normalise(line: &str) -> String {
    spaces(&text_vi::clean_input(line)).trim().to_string()
}

/// Every space but the tab made a plain space.
fn spaces(s: &str) -> String {
    s.chars().map(|c| if c != '\t' && c.is_whitespace() { ' ' } else { c }).collect()
}

/// Runs of spaces and tabs made one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` without a prefix given folded (`fold_char` of each character compared, a space in the
/// prefix standing for any run of spaces).
fn strip_folded<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let mut it = s.char_indices().peekable();
    for pc in prefix.chars() {
        if pc == ' ' {
            let mut n = 0;
            while it.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
                it.next();
                n += 1;
            }
            if n == 0 {
                return None;
            }
        } else {
            let (_, c) = it.next()?;
            if text_vi::fold_char(c) != Some(pc) {
                return None;
            }
        }
    }
    Some(it.peek().map_or("", |&(i, _)| &s[i..]))
}

/// Like [`strip_folded`], only at the end of a word.
fn strip_word<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    strip_folded(s, prefix).filter(|rest| !rest.chars().next().is_some_and(char::is_alphanumeric))
}

/// "Câu 12: text" → (12, "text").
fn question_start(line: &str) -> Option<(u32, &str)> {
    for w in QUESTION_WORDS {
        let Some(rest) = strip_folded(line, w) else { continue };
        let rest = rest.trim_start();
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 6 {
            continue;
        }
        let after = &rest[digits..];
        if after.chars().next().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let n = rest[..digits].parse().ok()?;
        let after = after.trim_start();
        let after = after.strip_prefix(['.', ')', '/']).or_else(|| after.strip_prefix(SEPARATORS)).unwrap_or(after);
        return Some((n, after.trim()));
    }
    None
}

/// An option's head: an optional "*", the letter and its separator ("A." "A)" "a." "A/" "A:"
/// "(A)"), and an optional "*" after it. Gives the option's index, whether it is marked and the
/// rest of the line.
fn option_head(s: &str) -> Option<(usize, bool, &str)> {
    let (star, s) = match s.strip_prefix('*') {
        Some(r) => (true, r.trim_start()),
        None => (false, s),
    };
    let mut chars = s.chars();
    let first = chars.next()?;
    let (l, rest) = if first == '(' {
        let l = chars.next()?;
        (l, chars.as_str().strip_prefix(')')?)
    } else {
        (first, chars.as_str().trim_start_matches(' ').strip_prefix(['.', ')', '/', ':'])?)
    };
    if !l.is_ascii_alphabetic() {
        return None;
    }
    let index = usize::from(l.to_ascii_uppercase() as u8 - b'A');
    let rest = rest.trim_start();
    match rest.strip_prefix('*') {
        Some(r) => Some((index, true, r.trim_start())),
        None => Some((index, star, rest)),
    }
}

/// One option of a line: its "*" mark, its text, and where its head ("B.") and its text lie in
/// the line (bytes).
struct OptionPart {
    mark: bool,
    text: String,
    head: Range<usize>,
    body: Range<usize>,
}

/// Options written on one line, parted by a tab or two spaces ("A. Có\t\tB. Không"): each
/// option's text and mark, starting with the option `index`. `rest` is the end of `line` after
/// the first option's head.
fn split_options(line: &str, first: usize, star: bool, rest: &str) -> Vec<OptionPart> {
    // Every slice below is a suffix of `line` or a prefix of one: where it starts.
    let at = |s: &str| line.len() - s.len();
    let mut out = Vec::new();
    let (mut cur, mut mark, mut next, mut head) = (rest, star, first + 1, 0..at(rest));
    'outer: loop {
        let mut run_start: Option<usize> = None;
        let mut tab = false;
        for (i, c) in cur.char_indices() {
            if c == ' ' || c == '\t' {
                if run_start.is_none() {
                    run_start = Some(i);
                    tab = false;
                }
                tab |= c == '\t';
                continue;
            }
            // A run of spaces ends here: a tab or two spaces, then the next option's head.
            if let Some(start) = run_start.take()
                && (tab || i - start >= 2)
                && let Some((idx, s, r)) = option_head(&cur[i..])
                && idx == next
            {
                out.push(OptionPart { mark, text: cur[..start].to_string(), head: head.clone(), body: at(cur)..at(cur) + start });
                head = at(&cur[i..])..at(r);
                (cur, mark, next) = (r, s, next + 1);
                continue 'outer;
            }
        }
        out.push(OptionPart { mark, text: cur.to_string(), head, body: at(cur)..line.len() });
        return out;
    }
}

/// An option's text without a trailing "(đúng)" mark, and whether it had one.
fn take_mark(text: &str) -> (String, bool) {
    let t = text.trim();
    if let Some(body) = t.strip_suffix(')')
        && let Some(open) = body.rfind('(')
    {
        let inner = squash(&text_vi::fold(&body[open + 1..]));
        if matches!(inner.as_str(), "dung" | "dap an dung" | "dap an") {
            return (body[..open].trim().to_string(), true);
        }
    }
    (t.to_string(), false)
}

/// A labelled paragraph: its kind, its value, and for a topic whether it is a heading (the
/// label in capitals, or numbered: "CHỦ ĐỀ: …", "Chủ đề 2: …").
fn labelled(line: &str) -> Option<(Kind, &str, bool)> {
    for &(key, kind) in LABELS {
        let Some(rest) = strip_word(line, key) else { continue };
        let label = &line[..line.len() - rest.len()];
        let mut rest = rest.trim_start();
        let mut numbered = false;
        if kind == Kind::Topic {
            let token = rest.chars().take_while(|c| c.is_alphanumeric()).count();
            if (1..=4).contains(&token) {
                let (t, r) = rest.split_at(rest.char_indices().nth(token).map_or(rest.len(), |(i, _)| i));
                if r.trim_start().starts_with(SEPARATORS) && t.chars().all(|c| c.is_ascii_digit() || "IVXivx".contains(c)) {
                    numbered = true;
                    rest = r.trim_start();
                }
            }
        }
        if kind == Kind::Answer
            && let Some(r) = strip_word(rest, "la")
        {
            rest = r.trim_start();
        }
        let value = match rest.strip_prefix(SEPARATORS) {
            Some(v) => v,
            // "Đáp án A", "Đáp án đúng là A": the answer may go without a colon.
            None if kind == Kind::Answer => rest,
            None => continue,
        };
        let capitals = label.chars().any(char::is_alphabetic) && !label.chars().any(char::is_lowercase);
        return Some((kind, value.trim(), numbered || capitals));
    }
    None
}

/// A heading: a paragraph in capitals ("PHẦN II", "--- HẾT ---").
fn is_heading(line: &str) -> bool {
    line.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !line.chars().any(char::is_lowercase)
}

/// The option an answer's value names: its letter ("A", "b", "B. Đủ 18 tuổi", "phương án C"),
/// its number (1–9) or its text.
fn answer_of(value: &str, options: &[String]) -> Option<usize> {
    let v = value.trim();
    let v = strip_word(v, "phuong an").map_or(v, str::trim_start);
    let mut cs = v.chars();
    if let Some(c) = cs.next()
        && !cs.next().is_some_and(char::is_alphanumeric)
    {
        if c.is_ascii_alphabetic() {
            return Some(usize::from(c.to_ascii_uppercase() as u8 - b'A'));
        }
        if let Some(d) = c.to_digit(10).filter(|d| *d >= 1) {
            return Some(d as usize - 1);
        }
    }
    let key = bank::text_key(v);
    options.iter().position(|o| !key.is_empty() && bank::text_key(o) == key)
}

/// A way text can stand out in Word, as far as it can single out the correct option.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Feature {
    Bold,
    Underline,
    Colour(String),
    Highlight(String),
}

impl Feature {
    /// How the message names it ("in đậm").
    fn described(&self) -> &'static str {
        match self {
            Feature::Bold => msg::DOCX_BOLD,
            Feature::Underline => msg::DOCX_UNDERLINED,
            Feature::Colour(_) => msg::DOCX_COLOURED,
            Feature::Highlight(_) => msg::DOCX_HIGHLIGHTED,
        }
    }
}

/// The looks of a document, numbered as they are met (0: plain text), with their features.
struct Looks {
    ids: HashMap<Look, u32>,
    features: Vec<Vec<Feature>>,
}

impl Looks {
    fn new() -> Looks {
        Looks { ids: HashMap::from([(Look::default(), 0)]), features: vec![Vec::new()] }
    }

    fn id(&mut self, look: &Look) -> u32 {
        if let Some(&id) = self.ids.get(look) {
            return id;
        }
        let mut f = Vec::new();
        if look.bold {
            f.push(Feature::Bold);
        }
        if look.underline {
            f.push(Feature::Underline);
        }
        f.extend(look.colour.clone().map(Feature::Colour));
        f.extend(look.highlight.clone().map(Feature::Highlight));
        let id = u32::try_from(self.features.len()).unwrap_or(u32::MAX);
        self.features.push(f);
        self.ids.insert(look.clone(), id);
        id
    }

    fn features(&self, id: u32) -> &[Feature] {
        self.features.get(id as usize).map_or(&[], Vec::as_slice)
    }
}

/// A line of the document before its numbering label is settled: the label's text and look
/// (on the first line of a numbered paragraph) and the text's pieces with their looks.
struct RawLine {
    label: Option<(String, u32)>,
    pieces: Vec<(String, u32)>,
}

/// A line as the parser reads it: normalised text, and where each look starts in it (bytes,
/// ascending; empty when the looks could not be placed, as for plain text).
#[derive(Default)]
struct Line {
    text: String,
    looks: Vec<(usize, u32)>,
}

impl Line {
    fn look_at(&self, at: usize) -> u32 {
        match self.looks.partition_point(|&(start, _)| start <= at) {
            0 => 0,
            i => self.looks[i - 1].1,
        }
    }

    /// The looks of the letters and digits in `range`.
    fn letter_looks(&self, range: Range<usize>) -> impl Iterator<Item = u32> + '_ {
        let start = range.start;
        self.text.get(range).unwrap_or("").char_indices().filter(|(_, c)| c.is_alphanumeric()).map(move |(i, _)| self.look_at(start + i))
    }
}

/// The text of `pieces` as [`normalise`] makes it, with each piece's look placed in it. Should
/// normalising the whole differ from normalising the pieces (a combining mark in the next run),
/// the text wins and the looks are dropped.
fn normalise_pieces(pieces: &[(String, u32)]) -> Line {
    let whole: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
    let text = normalise(&whole);
    let mut joined = String::new();
    let mut looks = Vec::new();
    for (t, id) in pieces {
        let piece = spaces(&text_vi::clean_input(t));
        if !piece.is_empty() {
            looks.push((joined.len(), *id));
            joined.push_str(&piece);
        }
    }
    if joined.trim() != text {
        return Line { text, looks: Vec::new() };
    }
    let lead = joined.len() - joined.trim_start().len();
    Line { text, looks: looks.into_iter().map(|(start, id)| (start.saturating_sub(lead), id)).collect() }
}

/// The lines of Word paragraphs (a line break starts a line, as in `docx_plain_text`), with
/// their looks numbered in `looks`.
fn raw_lines(paragraphs: &[Paragraph], looks: &mut Looks) -> Vec<RawLine> {
    let mut out = Vec::new();
    for p in paragraphs {
        let mut line = RawLine { label: p.label.as_ref().map(|l| (l.text.clone(), looks.id(&l.look))), pieces: Vec::new() };
        for span in &p.spans {
            let id = looks.id(&span.look);
            for (k, part) in span.text.split('\n').enumerate() {
                if k > 0 {
                    out.push(std::mem::replace(&mut line, RawLine { label: None, pieces: Vec::new() }));
                }
                if !part.is_empty() {
                    line.pieces.push((part.to_string(), id));
                }
            }
        }
        out.push(line);
    }
    out
}

/// How a line's numbering label is used.
enum Use {
    /// The text alone (no label, or a label that says nothing the parser reads).
    Text,
    /// The label before the text ("Câu 3:", "B.").
    Label(String),
    /// A plain number ("3.") read as the question's number.
    Question(u32),
}

/// A label's number when it is a plain one: "3.", "3)", "3:" or "3".
fn plain_number(label: &str) -> Option<u32> {
    let digits = label.trim_end_matches(['.', ')', ':']);
    (label.len() - digits.len() <= 1 && (1..=6).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

/// The lines with their labels settled. Word's automatic numbering shows text that is not in
/// the paragraph: "Câu 3:" or "B." before it goes in front of the text when that makes a
/// question or an option of it, a plain number ("3.") makes a question when an option "A."
/// follows before the next question, and any other label is left out (as when it was not read
/// at all), so that a numbered heading "I. CHỦ ĐỀ: …" still reads as before.
fn settle(raw: Vec<RawLine>) -> Vec<Line> {
    let mut uses = Vec::with_capacity(raw.len());
    for line in &raw {
        let text = normalise(&line.pieces.iter().map(|(t, _)| t.as_str()).collect::<String>());
        let label = line.label.as_ref().map(|(l, _)| normalise(l)).filter(|l| !l.is_empty());
        let use_ = match label {
            Some(_) if question_start(&text).is_some() || option_head(&text).is_some() || labelled(&text).is_some() => Use::Text,
            Some(mut label) => {
                // "B" as a label reads as "B.".
                if label.chars().last().is_some_and(char::is_alphanumeric) {
                    label.push('.');
                }
                let with = format!("{label} {text}");
                if question_start(&with).is_some() || option_head(&with).is_some() {
                    Use::Label(label)
                } else if let Some(n) = plain_number(&label) {
                    Use::Question(n)
                } else {
                    Use::Text
                }
            }
            None => Use::Text,
        };
        uses.push((use_, text));
    }
    // A plain number is a question's only when an option "A." follows before the next question.
    let mut option_ahead = false;
    for (use_, text) in uses.iter_mut().rev() {
        let shown = match use_ {
            Use::Label(l) => format!("{l} {text}"),
            _ => text.clone(),
        };
        if let Use::Question(_) = use_
            && !option_ahead
        {
            *use_ = Use::Text;
        }
        if matches!(use_, Use::Question(_)) || question_start(&shown).is_some() {
            option_ahead = false;
        } else if option_head(&shown).is_some_and(|(i, _, _)| i == 0) {
            option_ahead = true;
        }
    }
    raw.into_iter()
        .zip(uses)
        .map(|(line, (use_, _))| {
            let label_look = line.label.as_ref().map_or(0, |l| l.1);
            let mut pieces = match use_ {
                Use::Text => Vec::new(),
                Use::Label(l) => vec![(l, label_look), (" ".to_string(), 0)],
                Use::Question(n) => vec![(format!("{} {n}: ", msg::DOCX_QUESTION), 0)],
            };
            pieces.extend(line.pieces);
            normalise_pieces(&pieces)
        })
        .collect()
}

/// What the options' looks say of each option: how many letters, how many in each look, and
/// the looks of its head's letter.
#[derive(Clone, Debug, Default)]
struct Tally {
    letters: usize,
    by_look: HashMap<u32, usize>,
    head: Vec<u32>,
}

impl Tally {
    fn add(&mut self, looks: impl Iterator<Item = u32>) {
        for id in looks {
            self.letters += 1;
            *self.by_look.entry(id).or_default() += 1;
        }
    }

    /// The features the option carries: those of its head's letter, and those of (almost) all
    /// its text (four letters in five).
    fn features(&self, looks: &Looks) -> BTreeSet<Feature> {
        let mut out = BTreeSet::new();
        if let Some((first, rest)) = self.head.split_first() {
            out.extend(looks.features(*first).iter().filter(|f| rest.iter().all(|id| looks.features(*id).contains(f))).cloned());
        }
        let mut counts: BTreeMap<&Feature, usize> = BTreeMap::new();
        for (id, n) in &self.by_look {
            for f in looks.features(*id) {
                *counts.entry(f).or_default() += n;
            }
        }
        out.extend(counts.into_iter().filter(|&(_, n)| self.letters > 0 && n * 5 >= self.letters * 4).map(|(f, _)| f.clone()));
        out
    }
}

/// What the formatting of a question's options says.
#[derive(Debug, PartialEq, Eq)]
enum Formatted {
    /// No option singled out.
    Nothing,
    /// One option singled out (by the first of its features that no other option carries).
    One(usize, Feature),
    /// Different options singled out by different features.
    Ambiguous,
}

/// The option that formatting singles out: a feature counts only when exactly one option
/// carries it (the whole question in bold singles out nothing).
fn formatted(tallies: &[Tally], looks: &Looks) -> Formatted {
    if tallies.len() < 2 {
        return Formatted::Nothing;
    }
    let carried: Vec<BTreeSet<Feature>> = tallies.iter().map(|t| t.features(looks)).collect();
    let all: BTreeSet<&Feature> = carried.iter().flatten().collect();
    let mut singled: BTreeMap<usize, &Feature> = BTreeMap::new();
    for f in all {
        let mut holders = carried.iter().enumerate().filter(|(_, c)| c.contains(f)).map(|(i, _)| i);
        if let (Some(i), None) = (holders.next(), holders.next()) {
            singled.entry(i).or_insert(f);
        }
    }
    let mut it = singled.into_iter();
    match (it.next(), it.next()) {
        (None, _) => Formatted::Nothing,
        (Some((i, f)), None) => Formatted::One(i, f.clone()),
        _ => Formatted::Ambiguous,
    }
}

/// Where the next unlabelled paragraph goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Part {
    #[default]
    Text,
    Options,
    /// After the answer, the topic or the difficulty: more explanation.
    After,
    Explanation,
    Source,
}

/// A question as read, before checking.
#[derive(Default)]
struct Draft {
    number: u32,
    paragraph: usize,
    text: Vec<String>,
    options: Vec<String>,
    option_paragraphs: Vec<usize>,
    /// The looks of each option's letters.
    tallies: Vec<Tally>,
    marked: Vec<usize>,
    /// The "Đáp án" value and its paragraph.
    answer: Option<(String, usize)>,
    explanation: Vec<String>,
    topic: Option<String>,
    heading_topic: String,
    difficulty: Option<String>,
    source: Vec<String>,
    errors: Vec<(usize, String)>,
    order_error: bool,
    part: Part,
}

impl Draft {
    fn add_options(&mut self, index: usize, star: bool, rest: &str, paragraph: usize, line: &Line) {
        for (k, part) in split_options(&line.text, index, star, rest).into_iter().enumerate() {
            if part.mark {
                self.marked.push(index + k);
            }
            let mut tally = Tally { head: line.letter_looks(part.head).collect(), ..Tally::default() };
            tally.add(line.letter_looks(part.body));
            self.options.push(part.text);
            self.option_paragraphs.push(paragraph);
            self.tallies.push(tally);
        }
        self.part = Part::Options;
    }

    fn continue_with(&mut self, line: &Line) {
        let text = line.text.as_str();
        match self.part {
            Part::Text => self.text.push(text.to_string()),
            Part::Options => {
                if let Some(o) = self.options.last_mut() {
                    o.push(' ');
                    o.push_str(text);
                }
                if let Some(t) = self.tallies.last_mut() {
                    t.add(line.letter_looks(0..text.len()));
                }
            }
            Part::After | Part::Explanation => {
                self.explanation.push(text.to_string());
                self.part = Part::Explanation;
            }
            Part::Source => self.source.push(text.to_string()),
        }
    }
}

struct Parser {
    heading_topic: String,
    draft: Option<Draft>,
    /// After "Nơi nhận:": nothing until the next question.
    ended: bool,
    drafts: Vec<Draft>,
    /// Errors outside any question.
    loose: Vec<DocxError>,
}

impl Parser {
    fn close(&mut self) {
        if let Some(d) = self.draft.take() {
            self.drafts.push(d);
        }
    }

    fn line(&mut self, paragraph: usize, read: &Line) {
        let line = read.text.as_str();
        if line.is_empty() {
            return;
        }
        if let Some((number, rest)) = question_start(line) {
            self.close();
            self.ended = false;
            let text = if rest.is_empty() { Vec::new() } else { vec![rest.to_string()] };
            self.draft = Some(Draft { number, paragraph, text, heading_topic: self.heading_topic.clone(), ..Draft::default() });
            return;
        }
        if self.ended {
            return;
        }
        if let Some((kind, value, heading)) = labelled(line) {
            let value = squash(value);
            match kind {
                Kind::End => {
                    self.close();
                    self.ended = true;
                }
                Kind::Topic if heading || self.draft.is_none() => {
                    self.close();
                    self.heading_topic = value;
                }
                _ => match self.draft.as_mut() {
                    None if kind == Kind::Answer => self.loose.push(DocxError { question: None, paragraph, message: msg::DOCX_OUTSIDE.into() }),
                    None => {}
                    Some(d) => match kind {
                        Kind::Answer => {
                            match &d.answer {
                                Some((before, _)) if bank::text_key(before) != bank::text_key(&value) => d.errors.push((paragraph, msg::DOCX_TWO_ANSWERS.into())),
                                Some(_) => {}
                                None => d.answer = Some((value, paragraph)),
                            }
                            d.part = Part::After;
                        }
                        Kind::Explanation => {
                            d.explanation.push(value);
                            d.part = Part::Explanation;
                        }
                        Kind::Source => {
                            d.source.push(value);
                            d.part = Part::Source;
                        }
                        Kind::Topic => {
                            d.topic = Some(value);
                            d.part = Part::After;
                        }
                        Kind::Difficulty => {
                            d.difficulty = Some(value);
                            d.part = Part::After;
                        }
                        Kind::End => {}
                    },
                },
            }
            return;
        }
        let Some(d) = self.draft.as_mut() else {
            if !is_heading(line) && option_head(line).is_some_and(|(i, _, _)| i == 0) {
                self.loose.push(DocxError { question: None, paragraph, message: msg::DOCX_OUTSIDE.into() });
            }
            return;
        };
        match d.part {
            Part::Text | Part::Options => {
                if let Some((index, star, rest)) = option_head(line) {
                    let expected = d.options.len();
                    if index == expected && !d.order_error {
                        d.add_options(index, star, rest, paragraph, read);
                    } else if d.part == Part::Text && index >= MAX_OPTIONS {
                        d.continue_with(read);
                    } else if !d.order_error {
                        d.order_error = true;
                        d.errors.push((paragraph, msg::docx_option_order(letter(index), letter(expected))));
                    }
                } else if d.part == Part::Options && is_heading(line) {
                    self.close();
                } else {
                    d.continue_with(read);
                }
            }
            _ if is_heading(line) => self.close(),
            _ => d.continue_with(read),
        }
    }
}

/// An explicit answer (`i`, written at paragraph `p`) checked against the option formatting
/// singles out: a different one is an error.
fn agree(i: usize, p: usize, by_format: &Formatted, options: usize) -> Result<usize, (usize, String)> {
    match by_format {
        Formatted::One(k, f) if *k != i && i < options => Err((p, msg::docx_format_conflict(letter(i), letter(*k), f.described()))),
        _ => Ok(i),
    }
}

/// Turns a draft into a question, or its errors (paragraph, message).
fn finish(d: Draft, topics: &mut HashMap<String, String>, looks: &Looks) -> Result<Question, Vec<(usize, String)>> {
    let mut errors = d.errors;
    let mut options = Vec::with_capacity(d.options.len());
    let mut marked = d.marked;
    let mut empty_option = false;
    for (i, o) in d.options.iter().enumerate() {
        let (text, mark) = take_mark(o);
        if mark {
            marked.push(i);
        }
        let text = squash(&text);
        if text.is_empty() {
            empty_option = true;
            errors.push((d.option_paragraphs[i], msg::docx_option_empty(letter(i))));
        }
        options.push(text);
    }
    marked.sort_unstable();
    marked.dedup();
    // Formatting marks the answer only where nothing is written; where something is, it must
    // not single out another option.
    let by_format = formatted(&d.tallies, looks);
    let correct = match (&d.answer, marked.as_slice()) {
        (_, [_, _, ..]) => {
            errors.push((d.paragraph, msg::DOCX_MANY_MARKED.into()));
            None
        }
        (None, []) => match by_format {
            Formatted::One(i, _) => Some(i),
            Formatted::Ambiguous => {
                errors.push((d.paragraph, msg::DOCX_FORMAT_AMBIGUOUS.into()));
                None
            }
            Formatted::Nothing => {
                errors.push((d.paragraph, msg::DOCX_ANSWER_MISSING.into()));
                None
            }
        },
        (None, [m]) => agree(*m, d.option_paragraphs.get(*m).copied().unwrap_or(d.paragraph), &by_format, options.len()).map_err(|e| errors.push(e)).ok(),
        (Some((value, p)), marks) => match answer_of(value, &options) {
            None if value.is_empty() => {
                errors.push((*p, msg::DOCX_ANSWER_MISSING.into()));
                None
            }
            None => {
                errors.push((*p, msg::docx_answer_unreadable(value)));
                None
            }
            Some(i) => match marks.first() {
                Some(&m) if m != i => {
                    errors.push((*p, msg::docx_answer_conflict(letter(i), letter(m))));
                    None
                }
                _ => agree(i, *p, &by_format, options.len()).map_err(|e| errors.push(e)).ok(),
            },
        },
    };
    if let Some(i) = correct
        && !options.is_empty()
        && i >= options.len()
    {
        errors.push((d.answer.as_ref().map_or(d.paragraph, |a| a.1), msg::docx_answer_not_an_option(letter(i), letter(options.len() - 1))));
    }
    let topic = squash(d.topic.as_deref().unwrap_or(&d.heading_topic));
    let topic = if topic.is_empty() { topic } else { topics.entry(bank::text_key(&topic)).or_insert(topic).clone() };
    let raw = RawQuestion {
        text: squash(&d.text.join(" ")),
        options,
        correct: correct.map_or_else(|| "1".to_string(), |i| (i + 1).to_string()),
        explanation: squash(&d.explanation.join(" ")),
        topic,
        difficulty: d.difficulty.unwrap_or_else(|| DEFAULT_DIFFICULTY.to_string()),
        source: squash(&d.source.join(" ")),
    };
    let checked = bank::check(&raw);
    if let Err(list) = &checked {
        for (field, m) in list {
            // The answer is checked above; an empty option is named above.
            if *field == Field::Correct || (*field == Field::Options && (empty_option || d.order_error)) {
                continue;
            }
            let m = match *m {
                msg::QUESTION_REQUIRED => msg::DOCX_TEXT_REQUIRED,
                msg::TOPIC_REQUIRED => msg::DOCX_TOPIC_REQUIRED,
                m => m,
            };
            errors.push((d.paragraph, m.to_string()));
        }
    }
    match checked {
        Ok(q) if errors.is_empty() => Ok(q),
        _ => Err(errors),
    }
}

/// Reads the text of the organiser's Word file (one line per paragraph), without its
/// formatting or numbering. `existing` holds the duplicate keys already in the bank
/// ([`bank::text_key`]); `known_topics` the bank's topics, whose spelling a topic written
/// otherwise ("BẦU CỬ", "bầu cử") takes. Every question is checked; the questions come back only
/// when none has an error (a duplicate of another question of the file or of the bank is an
/// error).
pub fn parse(text: &str, existing: &HashSet<String>, known_topics: &[String]) -> Result<Vec<Question>, Vec<DocxError>> {
    let raw = text.lines().map(|l| RawLine { label: None, pieces: vec![(l.to_string(), 0)] }).collect();
    read(raw, Looks::new(), existing, known_topics)
}

/// Reads the organiser's Word file from its paragraphs
/// ([`documents::docx_paragraphs::docx_paragraphs`]): as [`parse`], with the labels of Word's
/// automatic numbering and the correct option marked by formatting (see the module's doc).
pub fn parse_paragraphs(paragraphs: &[Paragraph], existing: &HashSet<String>, known_topics: &[String]) -> Result<Vec<Question>, Vec<DocxError>> {
    let mut looks = Looks::new();
    let raw = raw_lines(paragraphs, &mut looks);
    read(raw, looks, existing, known_topics)
}

fn read(raw: Vec<RawLine>, looks: Looks, existing: &HashSet<String>, known_topics: &[String]) -> Result<Vec<Question>, Vec<DocxError>> {
    let mut p = Parser { heading_topic: String::new(), draft: None, ended: false, drafts: Vec::new(), loose: Vec::new() };
    for (i, line) in settle(raw).iter().enumerate() {
        p.line(i + 1, line);
    }
    p.close();
    let mut errors = p.loose;
    if p.drafts.is_empty() {
        errors.insert(0, DocxError { question: None, paragraph: 0, message: msg::DOCX_NO_QUESTIONS.into() });
        return Err(errors);
    }
    if p.drafts.len() > MAX_IMPORT {
        return Err(vec![DocxError { question: None, paragraph: 0, message: msg::SHEET_TOO_MANY.into() }]);
    }
    let mut topics: HashMap<String, String> = known_topics.iter().map(|t| (bank::text_key(t), t.clone())).collect();
    let mut seen: HashMap<String, (u32, usize)> = HashMap::new();
    let mut out = Vec::new();
    for d in p.drafts {
        let (number, paragraph) = (d.number, d.paragraph);
        match finish(d, &mut topics, &looks) {
            Ok(q) => {
                let key = bank::text_key(&q.text);
                if let Some(&(n, p)) = seen.get(&key) {
                    errors.push(DocxError { question: Some(number), paragraph, message: msg::docx_duplicate_of(n, p) });
                } else if existing.contains(&key) {
                    errors.push(DocxError { question: Some(number), paragraph, message: msg::DUPLICATE_OF_BANK.into() });
                } else {
                    seen.insert(key, (number, paragraph));
                    out.push(q);
                }
            }
            Err(list) => errors.extend(list.into_iter().map(|(p, m)| DocxError { question: Some(number), paragraph: p, message: m })),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|e| e.paragraph);
        Err(errors)
    }
}

/// The Word layout of questions, one paragraph per line, numbered from `first`; what [`parse`]
/// reads back (the downloadable template writes it).
pub fn layout(questions: &[Question], first: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        out.push(format!("{} {}: {}", msg::DOCX_QUESTION, first + i, q.text));
        out.extend(q.options.iter().enumerate().map(|(k, o)| format!("{}. {o}", letter(k))));
        out.push(format!("{}: {}", msg::DOCX_ANSWER, letter(q.correct)));
        if !q.explanation.is_empty() {
            out.push(format!("{}: {}", msg::COL_EXPLANATION, q.explanation));
        }
        out.push(format!("{}: {}", msg::COL_TOPIC, q.topic));
        out.push(format!("{}: {}", msg::COL_DIFFICULTY, super::settings::difficulty_label(&q.difficulty)));
        if !q.source.is_empty() {
            out.push(format!("{}: {}", msg::DOCX_SOURCE, q.source));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Vec<Question> {
        match parse(text, &HashSet::new(), &[]) {
            Ok(q) => q,
            Err(e) => panic!("{e:?}"),
        }
    }

    fn errs(text: &str) -> Vec<DocxError> {
        parse(text, &HashSet::new(), &[]).unwrap_err()
    }

    const BASIC: &str = "Câu 1: Công dân đủ bao nhiêu tuổi trở lên có quyền bầu cử?
A. Đủ 18 tuổi
B. Đủ 16 tuổi
C. Đủ 20 tuổi
D. Đủ 21 tuổi
Đáp án: A
Giải thích: Công dân đủ mười tám tuổi trở lên có quyền bầu cử.
Chủ đề: Bầu cử
Mức độ: Dễ
Căn cứ: Điều 2 Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân";

    #[test]
    fn reads_the_basic_layout() {
        let q = ok(BASIC);
        assert_eq!(q.len(), 1);
        let q = &q[0];
        assert_eq!(q.text, "Công dân đủ bao nhiêu tuổi trở lên có quyền bầu cử?");
        assert_eq!(q.options, vec!["Đủ 18 tuổi", "Đủ 16 tuổi", "Đủ 20 tuổi", "Đủ 21 tuổi"]);
        assert_eq!((q.correct, q.topic.as_str(), q.difficulty.as_str()), (0, "Bầu cử", "de"));
        assert_eq!(q.explanation, "Công dân đủ mười tám tuổi trở lên có quyền bầu cử.");
        assert!(q.source.starts_with("Điều 2 Luật Bầu cử"));
    }

    #[test]
    fn accepts_the_question_and_option_variants() {
        for head in ["Câu 1.", "Câu 1:", "Câu hỏi 1:", "CÂU 1:", "Câu  1 :", "Câu số 1)", "Câu 1"] {
            for (a, b) in [("A.", "B."), ("A)", "B)"), ("a.", "b."), ("A/", "B/"), ("(A)", "(B)"), ("A :", "B :")] {
                let text = format!("{head} Hỏi gì?\n{a} Có\n{b} Không\nĐáp án: B\nChủ đề: X");
                let q = ok(&text);
                assert_eq!((q[0].text.as_str(), q[0].options.clone(), q[0].correct), ("Hỏi gì?", vec!["Có".to_string(), "Không".to_string()], 1), "{text}");
            }
        }
    }

    #[test]
    fn accepts_the_answer_variants_and_the_markers() {
        let base = "Câu 1: Hỏi?\nA. Một\nB. Hai\nC. Ba\n";
        for answer in ["Đáp án: B", "Đáp án đúng: B", "Đáp án: B. Hai", "ĐÁP ÁN: b", "Đáp án B", "Đáp án đúng là: B", "Đáp án - B", "Đáp án: phương án B", "Đáp án: Hai", "Đáp án: 2", "Đáp án chính xác: B."] {
            let q = ok(&format!("{base}{answer}\nChủ đề: X"));
            assert_eq!(q[0].correct, 1, "{answer}");
        }
        for marked in ["Câu 1: Hỏi?\nA. Một\n*B. Hai\nC. Ba", "Câu 1: Hỏi?\nA. Một\n* B) Hai\nC. Ba", "Câu 1: Hỏi?\nA. Một\nB. *Hai\nC. Ba", "Câu 1: Hỏi?\nA. Một\nB. Hai (đúng)\nC. Ba", "Câu 1: Hỏi?\nA. Một\nB. Hai (Đáp án đúng)\nC. Ba"] {
            let q = ok(&format!("{marked}\nChủ đề: X"));
            assert_eq!((q[0].correct, q[0].options[1].as_str()), (1, "Hai"), "{marked}");
            // A marker that agrees with the answer line is fine.
            assert_eq!(ok(&format!("{marked}\nĐáp án: B\nChủ đề: X"))[0].correct, 1);
        }
    }

    #[test]
    fn forgives_spacing_normalises_and_reads_several_options_on_a_line() {
        let text = "  Câu\u{a0}1 :   Ai   ra quyết định\n công nhận hòa giải viên?\nA.\tTrưởng thôn\t\tB. Chủ tịch UBND cấp xã\nC) Trưởng ban  công tác Mặt trận    D) Chủ tịch UBND cấp tỉnh\n\nĐáp án:   B\nChu\u{309} đê\u{300}: Hòa giải\nMức độ: trung bình\n";
        let q = &ok(text)[0];
        assert_eq!(q.text, "Ai ra quyết định công nhận hòa giải viên?");
        assert_eq!(q.options, vec!["Trưởng thôn", "Chủ tịch UBND cấp xã", "Trưởng ban công tác Mặt trận", "Chủ tịch UBND cấp tỉnh"]);
        assert_eq!((q.correct, q.topic.as_str(), q.difficulty.as_str()), (1, "Hòa giải", "trung_binh"));
        // NFD in, NFC out.
        let q = &ok("Ca\u{302}u 1: Ho\u{309}i?\nA. Co\u{301}\nB. Không\nĐa\u{301}p a\u{301}n: A\nChủ đề: Đất đai")[0];
        assert_eq!((q.text.as_str(), q.options[0].as_str()), ("Hỏi?", "Có"));
    }

    #[test]
    fn a_heading_sets_the_topic_of_the_questions_that_follow() {
        let text = "NGÂN HÀNG CÂU HỎI\nCHỦ ĐỀ: Hòa giải ở cơ sở\nCâu 1: Một?\nA. x\nB. y\nĐáp án: A\nCâu 2: Hai?\nA. x\nB. y\nĐáp án: B\nChủ đề: Khác\nCHỦ ĐỀ 2: BẦU CỬ\nCâu 1: Ba?\nA. x\nB. y\nĐáp án: A\nMức độ: Khó";
        let q = ok(text);
        assert_eq!(q.iter().map(|q| q.topic.as_str()).collect::<Vec<_>>(), vec!["Hòa giải ở cơ sở", "Khác", "BẦU CỬ"]);
        assert_eq!(q.iter().map(|q| q.difficulty.as_str()).collect::<Vec<_>>(), vec!["trung_binh", "trung_binh", "kho"]);
        // A topic written otherwise takes the bank's spelling.
        let q = parse(text, &HashSet::new(), &["Bầu cử".to_string()]).unwrap();
        assert_eq!(q[2].topic, "Bầu cử");
    }

    #[test]
    fn continuation_lines_headings_and_the_end_of_an_official_document() {
        let text = "Câu 1: Theo Luật,\nai có quyền bầu cử?\nA. Công dân đủ 18 tuổi\ntrở lên\nB. Mọi người\nĐáp án: A\nChủ đề: Bầu cử\nTheo Điều 2.\nPHẦN II. TỰ LUẬN\nViết một đoạn văn.\nCâu 2: Hai?\nA. x\nB. y\nĐáp án: B\nChủ đề: Bầu cử\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nA. không phải phương án";
        let q = ok(text);
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].text, "Theo Luật, ai có quyền bầu cử?");
        assert_eq!(q[0].options[0], "Công dân đủ 18 tuổi trở lên");
        assert_eq!(q[0].explanation, "Theo Điều 2.");
        assert_eq!(q[1].options, vec!["x", "y"]);
    }

    fn messages(e: &[DocxError]) -> Vec<(Option<u32>, usize, String)> {
        e.iter().map(|e| (e.question, e.paragraph, e.message.clone())).collect()
    }

    #[test]
    fn each_error_names_the_question_and_its_paragraph() {
        let text = "Câu 1: Thiếu đáp án?\nA. x\nB. y\nChủ đề: X\nCâu 2: Đáp án ngoài?\nA. x\nB. y\nC. z\nD. t\nĐáp án: E\nChủ đề: X\nCâu 3: Một phương án?\nA. x\nĐáp án: A\nChủ đề: X\nCâu 4:\nA. x\nB. y\nĐáp án: A\nChủ đề: X\nCâu 5: Không chủ đề?\nA. x\nB. y\nĐáp án: A";
        let e = messages(&errs(text));
        assert_eq!(e, vec![
            (Some(1), 1, msg::DOCX_ANSWER_MISSING.to_string()),
            (Some(2), 10, msg::docx_answer_not_an_option('E', 'D')),
            (Some(3), 12, msg::OPTIONS_COUNT.to_string()),
            (Some(4), 16, msg::DOCX_TEXT_REQUIRED.to_string()),
            (Some(5), 21, msg::DOCX_TOPIC_REQUIRED.to_string()),
        ]);
    }

    #[test]
    fn option_errors() {
        let seven = "Câu 1: Bảy?\nA. 1\nB. 2\nC. 3\nD. 4\nE. 5\nF. 6\nG. 7\nĐáp án: A\nChủ đề: X";
        assert_eq!(messages(&errs(seven)), vec![(Some(1), 1, msg::OPTIONS_COUNT.to_string())]);
        let gap = "Câu 1: Thiếu B?\nA. 1\nC. 3\nD. 4\nĐáp án: A\nChủ đề: X";
        assert_eq!(messages(&errs(gap)), vec![(Some(1), 3, msg::docx_option_order('C', 'B'))]);
        let empty = "Câu 1: Rỗng?\nA. 1\nB.\nC. 3\nĐáp án: A\nChủ đề: X";
        assert_eq!(messages(&errs(empty)), vec![(Some(1), 3, msg::docx_option_empty('B'))]);
        let same = "Câu 1: Giống?\nA. Có\nB. có\nĐáp án: A\nChủ đề: X";
        assert_eq!(messages(&errs(same)), vec![(Some(1), 1, msg::OPTIONS_SAME.to_string())]);
    }

    #[test]
    fn answer_errors() {
        let base = "Câu 1: Hỏi?\nA. Một\n*B. Hai\n";
        assert_eq!(messages(&errs(&format!("{base}Đáp án: A\nChủ đề: X"))), vec![(Some(1), 4, msg::docx_answer_conflict('A', 'B'))]);
        assert_eq!(messages(&errs("Câu 1: Hỏi?\n*A. Một\n*B. Hai\nChủ đề: X")), vec![(Some(1), 1, msg::DOCX_MANY_MARKED.to_string())]);
        assert_eq!(messages(&errs("Câu 1: Hỏi?\nA. Một\nB. Hai\nĐáp án: Cả hai\nChủ đề: X")), vec![(Some(1), 4, msg::docx_answer_unreadable("Cả hai"))]);
        assert_eq!(messages(&errs("Câu 1: Hỏi?\nA. Một\nB. Hai\nĐáp án:\nChủ đề: X")), vec![(Some(1), 4, msg::DOCX_ANSWER_MISSING.to_string())]);
        assert_eq!(messages(&errs("Câu 1: Hỏi?\nA. Một\nB. Hai\nĐáp án: A\nĐáp án: B\nChủ đề: X")), vec![(Some(1), 5, msg::DOCX_TWO_ANSWERS.to_string())]);
        assert_eq!(messages(&errs("Câu 1: Hỏi?\nA. Một\nB. Hai\nĐáp án: A\nChủ đề: X\nMức độ: Rất khó")), vec![(Some(1), 1, msg::DIFFICULTY_UNKNOWN.to_string())]);
    }

    #[test]
    fn duplicates_outside_questions_and_empty_files() {
        let text = "Câu 1: Hòa giải là gì?\nA. x\nB. y\nĐáp án: A\nChủ đề: X\nCâu 2:   HOÀ GIẢI  là gì\nA. x\nB. y\nĐáp án: A\nChủ đề: X\nCâu 3: Đã có?\nA. x\nB. y\nĐáp án: A\nChủ đề: X";
        let existing: HashSet<String> = [bank::text_key("Đã có")].into_iter().collect();
        let e = messages(&parse(text, &existing, &[]).unwrap_err());
        assert_eq!(e, vec![(Some(2), 6, msg::docx_duplicate_of(1, 1)), (Some(3), 11, msg::DUPLICATE_OF_BANK.to_string())]);
        let e = messages(&errs("Hướng dẫn\nA. Một\nĐáp án: A"));
        assert_eq!(e, vec![(None, 0, msg::DOCX_NO_QUESTIONS.to_string()), (None, 2, msg::DOCX_OUTSIDE.to_string()), (None, 3, msg::DOCX_OUTSIDE.to_string())]);
        assert_eq!(messages(&errs("")), vec![(None, 0, msg::DOCX_NO_QUESTIONS.to_string())]);
    }

    #[test]
    fn the_layout_reads_back() {
        let q = ok(BASIC);
        assert_eq!(ok(&layout(&q, 1).join("\n")), q);
    }

    // ------------------------------------------------ Word files: formatting and numbering

    use docx_rs::{AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelOverride, LevelText, NumberFormat, Numbering, NumberingId, Paragraph as P, Run, Shading, Start};

    /// The bytes of a Word file written by docx-rs (which always writes a numbering definition
    /// 1 and a num 1 of its own: the tests use other ids).
    fn pack(docx: Docx) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        docx.build().pack(&mut buf).unwrap();
        buf.into_inner()
    }

    /// Reads a Word file as the import does.
    fn read_word(docx: Docx) -> Result<Vec<Question>, Vec<DocxError>> {
        let paragraphs = documents::docx_paragraphs::docx_paragraphs(&pack(docx)).unwrap();
        parse_paragraphs(&paragraphs, &HashSet::new(), &[])
    }

    fn p(text: &str) -> P {
        P::new().add_run(Run::new().add_text(text))
    }

    /// "Câu 1: Hỏi?" with options A–C, the option at `marked` written with `mark` (its text
    /// only, after a plain "B. "), then `tail`.
    fn one_question(mark: impl Fn(Run) -> Run, marked: usize, tail: &[&str]) -> Docx {
        let mut d = Docx::new().add_paragraph(p("Câu 1: Hỏi gì?"));
        for (i, o) in ["Một", "Hai", "Ba"].iter().enumerate() {
            let head = Run::new().add_text(format!("{}. ", letter(i)));
            let text = Run::new().add_text(*o);
            d = d.add_paragraph(P::new().add_run(head).add_run(if i == marked { mark(text) } else { text }));
        }
        tail.iter().fold(d, |d, t| d.add_paragraph(p(t)))
    }

    #[test]
    fn the_correct_option_may_be_marked_by_formatting() {
        let bold = |r: Run| r.bold();
        type Mark = Box<dyn Fn(Run) -> Run>;
        let cases: [(&str, Mark); 5] = [
            ("bold", Box::new(bold)),
            ("underline", Box::new(|r: Run| r.underline("single"))),
            ("red", Box::new(|r: Run| r.color("FF0000"))),
            ("highlight", Box::new(|r: Run| r.highlight("yellow"))),
            ("shading", Box::new(|r: Run| r.shading(Shading::new().fill("FFFF00")))),
        ];
        for (name, mark) in &cases {
            for marked in 0..3 {
                let q = read_word(one_question(mark, marked, &["Chủ đề: X"])).unwrap_or_else(|e| panic!("{name}: {e:?}"));
                assert_eq!((q[0].correct, q[0].options.clone()), (marked, vec!["Một".to_string(), "Hai".into(), "Ba".into()]), "{name}");
            }
        }
        // The letter alone in bold marks the option too.
        let d = Docx::new()
            .add_paragraph(p("Câu 1: Hỏi gì?"))
            .add_paragraph(p("A. Một"))
            .add_paragraph(P::new().add_run(Run::new().add_text("B.").bold()).add_run(Run::new().add_text(" Hai")))
            .add_paragraph(p("Chủ đề: X"));
        assert_eq!(read_word(d).unwrap()[0].correct, 1);
        // Black is no colour: nothing singles out an option.
        let e = read_word(one_question(|r: Run| r.color("000000"), 1, &["Chủ đề: X"])).unwrap_err();
        assert_eq!(messages(&e), vec![(Some(1), 1, msg::DOCX_ANSWER_MISSING.to_string())]);
    }

    #[test]
    fn formatting_of_the_whole_question_or_of_every_option_marks_nothing() {
        let b = |t: &str| P::new().add_run(Run::new().add_text(t).bold());
        let d = Docx::new().add_paragraph(b("Câu 1: Hỏi gì?")).add_paragraph(b("A. Một")).add_paragraph(b("B. Hai")).add_paragraph(b("C. Ba")).add_paragraph(b("Chủ đề: X"));
        assert_eq!(messages(&read_word(d).unwrap_err()), vec![(Some(1), 1, msg::DOCX_ANSWER_MISSING.to_string())]);
        // Every option in blue, the correct one in red: red singles it out.
        let d = Docx::new()
            .add_paragraph(p("Câu 1: Hỏi gì?"))
            .add_paragraph(P::new().add_run(Run::new().add_text("A. Một").color("1F3864")))
            .add_paragraph(P::new().add_run(Run::new().add_text("B. Hai").color("FF0000")))
            .add_paragraph(P::new().add_run(Run::new().add_text("C. Ba").color("1F3864")))
            .add_paragraph(p("Chủ đề: X"));
        assert_eq!(read_word(d).unwrap()[0].correct, 1);
        // A bold word inside one option is not the option in bold.
        let d = Docx::new()
            .add_paragraph(p("Câu 1: Hỏi gì?"))
            .add_paragraph(P::new().add_run(Run::new().add_text("A. Theo ")).add_run(Run::new().add_text("Luật").bold()).add_run(Run::new().add_text(" Hòa giải ở cơ sở")))
            .add_paragraph(p("B. Hai"))
            .add_paragraph(p("Chủ đề: X"));
        assert_eq!(messages(&read_word(d).unwrap_err()), vec![(Some(1), 1, msg::DOCX_ANSWER_MISSING.to_string())]);
    }

    #[test]
    fn a_written_answer_wins_but_must_agree_with_the_formatting() {
        let bold = |r: Run| r.bold();
        assert_eq!(read_word(one_question(bold, 1, &["Đáp án: B", "Chủ đề: X"])).unwrap()[0].correct, 1);
        let e = read_word(one_question(bold, 1, &["Đáp án: A", "Chủ đề: X"])).unwrap_err();
        assert_eq!(messages(&e), vec![(Some(1), 5, msg::docx_format_conflict('A', 'B', msg::DOCX_BOLD))]);
        // A "*" written on another option disagrees too, named at that option's paragraph.
        let d = Docx::new()
            .add_paragraph(p("Câu 1: Hỏi gì?"))
            .add_paragraph(p("*A. Một"))
            .add_paragraph(P::new().add_run(Run::new().add_text("B. ")).add_run(Run::new().add_text("Hai").underline("single")))
            .add_paragraph(p("Chủ đề: X"));
        assert_eq!(messages(&read_word(d).unwrap_err()), vec![(Some(1), 2, msg::docx_format_conflict('A', 'B', msg::DOCX_UNDERLINED))]);
        // Formatting that singles out two options says nothing; with no answer written, an error.
        let d = Docx::new()
            .add_paragraph(p("Câu 1: Hỏi gì?"))
            .add_paragraph(p("A. Một"))
            .add_paragraph(P::new().add_run(Run::new().add_text("B. Hai").bold()))
            .add_paragraph(P::new().add_run(Run::new().add_text("C. Ba").color("FF0000")))
            .add_paragraph(p("Chủ đề: X"));
        assert_eq!(messages(&read_word(d.clone()).unwrap_err()), vec![(Some(1), 1, msg::DOCX_FORMAT_AMBIGUOUS.to_string())]);
        assert_eq!(read_word(d.add_paragraph(p("Đáp án: C"))).unwrap()[0].correct, 2);
    }

    #[test]
    fn formatting_marks_one_of_several_options_on_a_line() {
        let d = Docx::new()
            .add_paragraph(p("Câu 1: Hỏi gì?"))
            .add_paragraph(P::new().add_run(Run::new().add_text("A. Có").add_tab().add_tab().add_text("B. ")).add_run(Run::new().add_text("Không").bold()))
            .add_paragraph(p("Chủ đề: X"));
        let q = read_word(d).unwrap();
        assert_eq!((q[0].correct, q[0].options.clone()), (1, vec!["Có".to_string(), "Không".into()]));
    }

    fn list(id: usize, format: &str, text: &str) -> AbstractNumbering {
        AbstractNumbering::new(id).add_level(Level::new(0, Start::new(1), NumberFormat::new(format), LevelText::new(text), LevelJc::new("left")))
    }

    fn item(num: usize, level: usize, run: Run) -> P {
        P::new().numbering(NumberingId::new(num), IndentLevel::new(level)).add_run(run)
    }

    fn text(t: &str) -> Run {
        Run::new().add_text(t)
    }

    #[test]
    fn reads_questions_and_options_numbered_by_word() {
        // Questions: "Câu %1:"; options: "%1." upperLetter, restarted for each question by a
        // num with a start override on the same definition.
        let d = Docx::new()
            .add_abstract_numbering(list(10, "decimal", "Câu %1:"))
            .add_abstract_numbering(list(11, "upperLetter", "%1."))
            .add_numbering(Numbering::new(20, 10))
            .add_numbering(Numbering::new(21, 11))
            .add_numbering(Numbering::new(22, 11).add_override(LevelOverride::new(0).start(1)))
            .add_paragraph(p("CHỦ ĐỀ: Bầu cử"))
            .add_paragraph(item(20, 0, text("Công dân đủ bao nhiêu tuổi thì có quyền bầu cử?")))
            .add_paragraph(item(21, 0, text("Đủ 16 tuổi")))
            .add_paragraph(item(21, 0, text("Đủ 18 tuổi").bold()))
            .add_paragraph(item(21, 0, text("Đủ 21 tuổi")))
            .add_paragraph(item(20, 0, text("Ai lập danh sách cử tri?")))
            .add_paragraph(item(22, 0, text("Ủy ban nhân dân cấp xã").underline("single")))
            .add_paragraph(item(22, 0, text("Tổ bầu cử")))
            .add_paragraph(p("Mức độ: Khó"));
        let q = read_word(d).unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!((q[0].text.as_str(), q[0].correct, q[0].options.len(), q[0].topic.as_str()), ("Công dân đủ bao nhiêu tuổi thì có quyền bầu cử?", 1, 3, "Bầu cử"));
        assert_eq!((q[1].text.as_str(), q[1].correct, q[1].options.clone(), q[1].difficulty.as_str()), ("Ai lập danh sách cử tri?", 0, vec!["Ủy ban nhân dân cấp xã".to_string(), "Tổ bầu cử".into()], "kho"));
    }

    #[test]
    fn reads_a_numbered_list_of_questions_with_lettered_options_below() {
        // One multilevel list: questions "%1." at level 0, options "%2." upperLetter at level 1,
        // which restarts after each question; numbered instructions before it stay text.
        let multi = AbstractNumbering::new(5)
            .add_level(Level::new(0, Start::new(1), NumberFormat::new("decimal"), LevelText::new("%1."), LevelJc::new("left")))
            .add_level(Level::new(1, Start::new(1), NumberFormat::new("upperLetter"), LevelText::new("%2."), LevelJc::new("left")));
        let d = Docx::new()
            .add_abstract_numbering(multi)
            .add_abstract_numbering(list(6, "decimal", "%1."))
            .add_numbering(Numbering::new(5, 5))
            .add_numbering(Numbering::new(6, 6))
            .add_paragraph(item(6, 0, text("Đọc kỹ câu hỏi.")))
            .add_paragraph(item(6, 0, text("Chọn một phương án.")))
            .add_paragraph(p("CHỦ ĐỀ: Hòa giải"))
            .add_paragraph(item(5, 0, text("Hòa giải viên do ai công nhận?")))
            .add_paragraph(item(5, 1, text("Trưởng thôn")))
            .add_paragraph(item(5, 1, text("Chủ tịch Ủy ban nhân dân cấp xã")))
            .add_paragraph(p("Đáp án: B"))
            .add_paragraph(item(5, 0, text("Tổ hòa giải có ít nhất bao nhiêu người?")))
            .add_paragraph(item(5, 1, text("Ba người").color("FF0000")))
            .add_paragraph(item(5, 1, text("Năm người")));
        let q = read_word(d).unwrap();
        assert_eq!(q.iter().map(|q| (q.text.as_str(), q.correct, q.options.len())).collect::<Vec<_>>(), vec![("Hòa giải viên do ai công nhận?", 1, 2), ("Tổ hòa giải có ít nhất bao nhiêu người?", 0, 2)]);
    }

    #[test]
    fn a_list_that_word_continues_reads_as_word_shows_it() {
        // Two nums on one definition without a start override: Word goes on with C., D.
        let d = Docx::new()
            .add_abstract_numbering(list(11, "upperLetter", "%1."))
            .add_numbering(Numbering::new(21, 11))
            .add_numbering(Numbering::new(22, 11))
            .add_paragraph(p("Câu 1: Một?"))
            .add_paragraph(item(21, 0, text("x")))
            .add_paragraph(item(21, 0, text("y")))
            .add_paragraph(p("Đáp án: A"))
            .add_paragraph(p("Chủ đề: X"))
            .add_paragraph(p("Câu 2: Hai?"))
            .add_paragraph(item(22, 0, text("x")))
            .add_paragraph(item(22, 0, text("y")))
            .add_paragraph(p("Đáp án: A"))
            .add_paragraph(p("Chủ đề: X"));
        assert_eq!(messages(&read_word(d).unwrap_err()), vec![(Some(2), 7, msg::docx_option_order('C', 'A'))]);
    }

    #[test]
    fn a_numbered_heading_or_a_typed_number_keeps_its_text() {
        let d = Docx::new()
            .add_abstract_numbering(list(3, "upperRoman", "%1."))
            .add_abstract_numbering(list(4, "decimal", "%1."))
            .add_numbering(Numbering::new(3, 3))
            .add_numbering(Numbering::new(4, 4))
            .add_paragraph(item(3, 0, text("CHỦ ĐỀ: Đất đai")))
            .add_paragraph(item(4, 0, text("Câu 7: Hỏi?")))
            .add_paragraph(p("A. Có"))
            .add_paragraph(p("B. Không"))
            .add_paragraph(p("Đáp án: A"));
        let q = read_word(d).unwrap();
        assert_eq!((q[0].topic.as_str(), q[0].text.as_str()), ("Đất đai", "Hỏi?"));
    }

    #[test]
    fn damaged_word_files_are_errors_not_panics() {
        let good = pack(one_question(|r: Run| r.bold(), 0, &["Chủ đề: X"]));
        for cut in [0, 4, 100, good.len() / 2, good.len() - 1] {
            assert!(documents::docx_paragraphs::docx_paragraphs(&good[..cut]).is_err(), "{cut}");
        }
        assert!(documents::docx_paragraphs::docx_paragraphs(b"\x00garbage").is_err());
        // Paragraphs of anything at all never panic the parser.
        let odd = [Paragraph { label: Some(documents::docx_paragraphs::Span { text: "\u{301}".into(), look: Look::default() }), spans: Vec::new() }, Paragraph { label: None, spans: vec![documents::docx_paragraphs::Span { text: "\n\n A.\u{301}".into(), look: Look { bold: true, ..Look::default() } }] }];
        assert!(parse_paragraphs(&odd, &HashSet::new(), &[]).is_err());
    }
}
