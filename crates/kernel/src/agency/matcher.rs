//! Matching written agency names ("Giám đốc Sở Tư pháp tỉnh Bình Phước", "UBND các xã, thị trấn")
//! to catalogue kinds and groups, or to agency instances supplied by the database.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::catalogue::{AgencyCatalogue, AgencyLevel};
use super::normalize::{
    LevelWord, Token, alias_exact_key, alias_key, clean_list, clean_name, collapse, is_apposition,
    join_keys, level_word, skip_fillers, tokenize, tone_key, word_count,
};

/// Whether an entry is a single agency (kind or instance) or a group of agencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Agency,
    Group,
}

/// Something the matcher can recognise: a catalogue kind or group, or a real agency from the
/// database ("Sở Tư pháp tỉnh Lạng Sơn", key "agency:42").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchEntry {
    /// Caller's identifier, returned on a match: "kind:justice_department", "agency:42".
    pub key: String,
    /// Canonical name.
    pub name: String,
    /// Other written forms.
    pub aliases: Vec<String>,
    pub kind: EntryKind,
    /// Level, used to accept or refuse a level word after the name ("Công an" + "huyện").
    pub level: AgencyLevel,
    /// Forms accepted only as a whole name or a whole list item ("Hội đồng", "LĐVP").
    pub bare_aliases: Vec<String>,
    /// Forms accepted only when a place or level word follows ("Công an", "Báo").
    pub stems: Vec<String>,
}

impl MatchEntry {
    /// An entry with level [`AgencyLevel::Any`] and no bare aliases or stems.
    pub fn new(
        key: impl Into<String>,
        name: impl Into<String>,
        aliases: Vec<String>,
        kind: EntryKind,
    ) -> MatchEntry {
        MatchEntry {
            key: key.into(),
            name: name.into(),
            aliases,
            kind,
            level: AgencyLevel::Any,
            bare_aliases: Vec::new(),
            stems: Vec::new(),
        }
    }

    pub fn with_level(mut self, level: AgencyLevel) -> MatchEntry {
        self.level = level;
        self
    }

    pub fn with_bare_aliases(mut self, bare_aliases: Vec<String>) -> MatchEntry {
        self.bare_aliases = bare_aliases;
        self
    }

    pub fn with_stems(mut self, stems: Vec<String>) -> MatchEntry {
        self.stems = stems;
        self
    }
}

/// How a written name was recognised, from most to least literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchHow {
    /// Equal to the canonical name (up to spacing, list markers, trailing punctuation and tone
    /// placement).
    Exact,
    /// Equal to an alias in the same sense.
    Alias,
    /// Equal after folding case and diacritics, ignoring punctuation and "và", expanding
    /// abbreviations, and dropping leading words such as "các", "Giám đốc", "phối hợp với".
    Folded,
    /// As `Folded`, after removing a place or level word after the name ("… tỉnh Bình Phước").
    StrippedPlace,
}

/// Result of matching one written name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum AgencyMatch {
    Matched {
        /// The entry's key.
        key: String,
        /// The entry's canonical name.
        name: String,
        kind: EntryKind,
        how: MatchHow,
        /// The text that was recognised, as written (NFC, whitespace collapsed).
        written: String,
        /// The place or level words removed after the name, if any ("tỉnh Bình Phước").
        place: Option<String>,
    },
    Unmatched {
        /// The text, as written (NFC, whitespace collapsed).
        written: String,
    },
}

impl AgencyMatch {
    /// The matched entry's key.
    pub fn key(&self) -> Option<&str> {
        match self {
            AgencyMatch::Matched { key, .. } => Some(key),
            AgencyMatch::Unmatched { .. } => None,
        }
    }

    pub fn is_matched(&self) -> bool {
        matches!(self, AgencyMatch::Matched { .. })
    }

    /// How the name was recognised.
    pub fn how(&self) -> Option<MatchHow> {
        match self {
            AgencyMatch::Matched { how, .. } => Some(*how),
            AgencyMatch::Unmatched { .. } => None,
        }
    }

    /// The written text.
    pub fn written(&self) -> &str {
        match self {
            AgencyMatch::Matched { written, .. } | AgencyMatch::Unmatched { written } => written,
        }
    }
}

/// Role of a written form in the index; lower sorts first (wins ties).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Form {
    Name,
    Alias,
    Bare,
    Stem,
}

/// A recognised span of a token list.
#[derive(Debug, Clone, Copy)]
struct Hit {
    entry: usize,
    /// End of the name itself (exclusive token index).
    name_end: usize,
    /// End including the place tail.
    end: usize,
}

/// One item of a list being split.
#[derive(Debug, Clone, Copy)]
enum Piece {
    Hit {
        start: usize,
        hit: Hit,
        how: Option<MatchHow>,
    },
    /// A stem with neither place nor level word; matched only if a later item lends its level.
    Stem {
        start: usize,
        end: usize,
    },
    Text {
        start: usize,
        end: usize,
    },
}

/// Recognises written agency names. Build it once and share it: matching is `&self`.
#[derive(Debug, Clone)]
pub struct AgencyMatcher {
    entries: Vec<MatchEntry>,
    /// tone_key(cleaned form) → forms (Name, Alias, Bare), sorted.
    exact: HashMap<String, Vec<(Form, usize)>>,
    /// alias_key(form) → forms, sorted by (form, entry order).
    folded: HashMap<String, Vec<(Form, usize)>>,
    /// Longest key, in folded words.
    max_words: usize,
}

/// Capitalised words after a name that are not a local place ("Hội Liên hiệp Phụ nữ Việt Nam").
const NOT_PLACES: [&str; 3] = ["viet nam", "trung uong", "chinh phu"];

/// Longest place name (in words) accepted after an agency name.
const MAX_PLACE_WORDS: usize = 6;

fn compatible(word: LevelWord, level: AgencyLevel) -> bool {
    match (word, level) {
        (_, AgencyLevel::Any) => true,
        (_, AgencyLevel::Central) => false,
        (LevelWord::Province, AgencyLevel::Province) => true,
        (LevelWord::City, AgencyLevel::Province | AgencyLevel::DistrictLegacy) => true,
        (LevelWord::District, AgencyLevel::DistrictLegacy) => true,
        (LevelWord::Commune, AgencyLevel::Commune) => true,
        _ => false,
    }
}

impl AgencyMatcher {
    /// A matcher over caller-supplied entries. Earlier entries win when two share a form.
    pub fn new(entries: Vec<MatchEntry>) -> AgencyMatcher {
        let mut exact: HashMap<String, Vec<(Form, usize)>> = HashMap::new();
        let mut folded: HashMap<String, Vec<(Form, usize)>> = HashMap::new();
        let mut max_words = 1;
        for (idx, entry) in entries.iter().enumerate() {
            let forms = std::iter::once((Form::Name, &entry.name))
                .chain(entry.aliases.iter().map(|a| (Form::Alias, a)))
                .chain(entry.bare_aliases.iter().map(|a| (Form::Bare, a)))
                .chain(entry.stems.iter().map(|a| (Form::Stem, a)));
            for (form, text) in forms {
                let key = alias_key(text);
                if key.is_empty() {
                    continue;
                }
                max_words = max_words.max(word_count(&key));
                folded.entry(key).or_default().push((form, idx));
                if form != Form::Stem {
                    exact
                        .entry(alias_exact_key(text))
                        .or_default()
                        .push((form, idx));
                }
            }
        }
        for list in exact.values_mut().chain(folded.values_mut()) {
            list.sort_by_key(|&(form, idx)| (idx, form));
            list.dedup_by_key(|&mut (_, idx)| idx);
            list.sort();
        }
        AgencyMatcher {
            entries,
            exact,
            folded,
            max_words,
        }
    }

    /// A matcher over the catalogue's kinds (`kind:<code>`) and groups (`group:<code>`).
    pub fn from_catalogue(catalogue: &AgencyCatalogue) -> AgencyMatcher {
        AgencyMatcher::new(catalogue.match_entries())
    }

    /// A matcher over the built-in catalogue.
    pub fn builtin() -> Result<AgencyMatcher, super::CatalogueError> {
        Ok(AgencyMatcher::from_catalogue(&AgencyCatalogue::builtin()?))
    }

    /// The entries, in priority order.
    pub fn entries(&self) -> &[MatchEntry] {
        &self.entries
    }

    fn matched(
        &self,
        idx: usize,
        how: MatchHow,
        written: String,
        place: Option<String>,
    ) -> AgencyMatch {
        match self.entries.get(idx) {
            Some(e) => AgencyMatch::Matched {
                key: e.key.clone(),
                name: e.name.clone(),
                kind: e.kind,
                how,
                written,
                place,
            },
            None => AgencyMatch::Unmatched { written },
        }
    }

    fn level_of(&self, idx: usize) -> AgencyLevel {
        self.entries.get(idx).map_or(AgencyLevel::Any, |e| e.level)
    }

    /// Forms whose folded key is exactly `tokens[a..b]`.
    fn forms(&self, tokens: &[Token], a: usize, b: usize) -> &[(Form, usize)] {
        self.folded
            .get(&join_keys(tokens, a, b))
            .map_or(&[], Vec::as_slice)
    }

    /// Does a name, alias or bare alias start at `at`?
    fn starts_entry(&self, tokens: &[Token], at: usize) -> bool {
        let longest = self.max_words.min(tokens.len().saturating_sub(at));
        (1..=longest).any(|len| {
            self.forms(tokens, at, at + len)
                .iter()
                .any(|&(form, _)| form != Form::Stem)
        })
    }

    /// A place tail at `at` for an entry of `level`: optional "cấp", optional level word
    /// (compatible with `level`), then capitalised words; at least one of the two. Returns its end.
    fn place_tail(&self, tokens: &[Token], at: usize, level: AgencyLevel) -> Option<usize> {
        if level == AgencyLevel::Central {
            return None;
        }
        let first = tokens.get(at)?;
        if first.break_before || self.starts_entry(tokens, at) {
            return None;
        }
        let mut j = at;
        if first.key == "cap" {
            j += 1;
        }
        let mut has_level_word = false;
        let mut numbered = false;
        if let Some((word, len)) = level_word(tokens, j)
            .filter(|_| tokens.get(j).is_some_and(|t| j == at || !t.break_before))
        {
            if !compatible(word, level) {
                return None;
            }
            has_level_word = true;
            // "Quận 3", "Phường 1"; never "tỉnh 2024".
            numbered = matches!(word, LevelWord::District | LevelWord::Commune);
            j += len;
        } else if j != at {
            return None;
        }
        let proper_start = j;
        while let Some(t) = tokens.get(j) {
            let proper = t.capitalized || (numbered && t.numeric && j == proper_start);
            if t.break_before || !proper || j - proper_start >= MAX_PLACE_WORDS {
                break;
            }
            if j > proper_start && self.starts_entry(tokens, j) {
                break;
            }
            j += 1;
        }
        if !has_level_word
            && (j == proper_start
                || NOT_PLACES.contains(&join_keys(tokens, proper_start, j).as_str()))
        {
            return None;
        }
        Some(j)
    }

    /// The longest entry starting exactly at `at` in a list, place tail included.
    fn longest_at(&self, tokens: &[Token], at: usize) -> Option<Hit> {
        let n = tokens.len();
        let longest = self.max_words.min(n.saturating_sub(at));
        let mut best: Option<Hit> = None;
        for len in (1..=longest).rev() {
            let name_end = at + len;
            for &(form, idx) in self.forms(tokens, at, name_end) {
                let level = self.level_of(idx);
                let end = match form {
                    Form::Name | Form::Alias => {
                        self.place_tail(tokens, name_end, level).unwrap_or(name_end)
                    }
                    Form::Bare => {
                        if is_boundary(tokens, name_end) {
                            name_end
                        } else {
                            continue;
                        }
                    }
                    Form::Stem => match self.place_tail(tokens, name_end, level) {
                        Some(end) => end,
                        None => continue,
                    },
                };
                if best.is_none_or(|b| end > b.end) {
                    best = Some(Hit {
                        entry: idx,
                        name_end,
                        end,
                    });
                }
            }
        }
        best
    }

    /// Recognises one written agency name. Returns `Unmatched` for anything that is not, as a
    /// whole, the name of an entry (possibly with a role prefix or a place after it).
    pub fn match_name(&self, written: &str) -> AgencyMatch {
        let as_written = collapse(written);
        let cleaned = clean_name(written);
        if cleaned.is_empty() {
            return AgencyMatch::Unmatched {
                written: as_written,
            };
        }
        if let Some(&(form, idx)) = self.exact.get(&tone_key(&cleaned)).and_then(|v| v.first()) {
            let how = if form == Form::Name {
                MatchHow::Exact
            } else {
                MatchHow::Alias
            };
            return self.matched(idx, how, cleaned, None);
        }
        let tokens = tokenize(&cleaned);
        let n = tokens.len();
        // Start positions: 0, then after each leading filler ("các", "Giám đốc", "phối hợp với").
        let mut starts = vec![0];
        let mut at = 0;
        while let Some(len) = super::normalize::filler_len(&tokens, at) {
            at += len;
            if at < n {
                starts.push(at);
            }
        }
        for &s in &starts {
            if let Some(&(_, idx)) = self
                .forms(&tokens, s, n)
                .iter()
                .find(|&&(form, _)| form != Form::Stem)
            {
                return self.matched(idx, MatchHow::Folded, cleaned, None);
            }
        }
        for &s in &starts {
            let longest = self.max_words.min(n - s);
            for len in (1..=longest).rev() {
                let name_end = s + len;
                if name_end >= n {
                    continue;
                }
                for &(form, idx) in self.forms(&tokens, s, name_end) {
                    if form == Form::Bare {
                        continue;
                    }
                    if form != Form::Stem && is_apposition(&tokens, name_end) {
                        return self.matched(idx, MatchHow::Folded, cleaned, None);
                    }
                    if self.place_tail(&tokens, name_end, self.level_of(idx)) == Some(n) {
                        let place = span_text(&cleaned, &tokens, name_end, n).to_string();
                        return self.matched(idx, MatchHow::StrippedPlace, cleaned, Some(place));
                    }
                }
            }
        }
        AgencyMatch::Unmatched {
            written: as_written,
        }
    }

    /// Splits a field such as "Sở Tư pháp, Công an tỉnh; UBND các huyện, thành phố" into agencies,
    /// in order, without duplicates. Commas inside known names ("Sở Văn hóa, Thể thao và Du lịch",
    /// "UBND các xã, thị trấn") do not split: the longest known name from the left wins. Leading
    /// "phối hợp với", "chủ trì", roles and "các" are dropped; parenthetical remarks are ignored;
    /// a level word shared by coordinated items applies to each ("HĐND, UBND huyện"); text that is
    /// no known name comes back as `Unmatched` pieces, split at separators.
    pub fn match_list(&self, written: &str) -> Vec<AgencyMatch> {
        let text = clean_list(written);
        let tokens = tokenize(&text);
        let mut pieces = self.pieces(&tokens);
        self.distribute_levels(&tokens, &mut pieces);
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for piece in pieces {
            match piece {
                Piece::Hit { start, hit, how } => {
                    let Some(entry) = self.entries.get(hit.entry) else {
                        continue;
                    };
                    if !seen.insert(entry.key.clone()) {
                        continue;
                    }
                    let written_span = span_text(&text, &tokens, start, hit.end).to_string();
                    let place = (hit.end > hit.name_end)
                        .then(|| span_text(&text, &tokens, hit.name_end, hit.end).to_string());
                    let how = how.unwrap_or_else(|| self.how_at(&text, &tokens, start, hit));
                    out.push(self.matched(hit.entry, how, written_span, place));
                }
                Piece::Stem { start, end } | Piece::Text { start, end } => {
                    let piece = span_text(&text, &tokens, start, end);
                    let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
                    if !piece.is_empty() {
                        out.push(AgencyMatch::Unmatched {
                            written: piece.to_string(),
                        });
                    }
                }
            }
        }
        out
    }

    /// First pass of [`match_list`](Self::match_list): recognised names, lone stems and other text.
    fn pieces(&self, tokens: &[Token]) -> Vec<Piece> {
        let n = tokens.len();
        let mut pieces = Vec::new();
        let mut run: Option<usize> = None;
        let mut at = 0;
        let flush = |run: &mut Option<usize>, end: usize, pieces: &mut Vec<Piece>| {
            if let Some(start) = run.take() {
                pieces.push(Piece::Text { start, end });
            }
        };
        while at < n {
            let start = skip_fillers(tokens, at);
            if start >= n {
                // Only fillers remain ("… chủ trì, phối hợp"): nothing to report.
                if run.is_none() {
                    break;
                }
            } else if let Some(hit) = self.longest_at(tokens, start) {
                flush(&mut run, at, &mut pieces);
                pieces.push(Piece::Hit {
                    start,
                    hit,
                    how: None,
                });
                at = hit.end.max(at + 1);
                continue;
            } else if run.is_none()
                && let Some(end) = self.lone_stem_at(tokens, start)
            {
                pieces.push(Piece::Stem { start, end });
                at = end;
                continue;
            }
            if run.is_none() && tokens.get(at).is_some_and(|t| t.key == "va") {
                at += 1;
                continue;
            }
            if run.is_none() {
                run = Some(at);
            }
            at += 1;
            if is_boundary(tokens, at) {
                flush(&mut run, at, &mut pieces);
            }
        }
        flush(&mut run, n, &mut pieces);
        pieces
    }

    /// A stem standing alone as a list item ("HĐND" in "HĐND, UBND huyện"): its end.
    fn lone_stem_at(&self, tokens: &[Token], at: usize) -> Option<usize> {
        let n = tokens.len();
        let longest = self.max_words.min(n.saturating_sub(at));
        (1..=longest).rev().map(|len| at + len).find(|&end| {
            is_boundary(tokens, end)
                && self
                    .forms(tokens, at, end)
                    .iter()
                    .any(|&(form, _)| form == Form::Stem)
        })
    }

    /// Level word written at the end of a recognised item: the start of its place tail, or the
    /// last word(s) of the name ("UBND huyện", "UBND cấp huyện").
    fn written_level(tokens: &[Token], name_end: usize, end: usize) -> Option<LevelWord> {
        if end > name_end {
            let at = if tokens.get(name_end).is_some_and(|t| t.key == "cap") {
                name_end + 1
            } else {
                name_end
            };
            return level_word(tokens, at).map(|(w, _)| w);
        }
        [2, 1].into_iter().find_map(|len| {
            let at = name_end.checked_sub(len)?;
            level_word(tokens, at)
                .filter(|&(_, l)| l == len)
                .map(|(w, _)| w)
        })
    }

    /// Second pass: an item written without a level word, with a form that is also a stem
    /// ("UBMTTQ", "HĐND"), takes the level word of the next item it is coordinated with
    /// ("UBMTTQ và các đoàn thể chính trị - xã hội huyện", "HĐND, UBND huyện").
    fn distribute_levels(&self, tokens: &[Token], pieces: &mut [Piece]) {
        for i in 0..pieces.len() {
            let (start, name_end) = match pieces.get(i) {
                Some(Piece::Hit { start, hit, .. }) if hit.end == hit.name_end => {
                    (*start, hit.name_end)
                }
                Some(Piece::Stem { start, end }) => (*start, *end),
                _ => continue,
            };
            if Self::written_level(tokens, name_end, name_end).is_some() {
                continue;
            }
            let stems: Vec<usize> = self
                .forms(tokens, start, name_end)
                .iter()
                .filter(|&&(f, _)| f == Form::Stem)
                .map(|&(_, idx)| idx)
                .collect();
            if stems.is_empty() {
                continue;
            }
            // The next item with a level word, across other items without one.
            let mut level = None;
            for next in pieces.iter().skip(i + 1) {
                match next {
                    Piece::Hit { hit, .. } => {
                        if let Some(w) = Self::written_level(tokens, hit.name_end, hit.end) {
                            level = Some(w);
                            break;
                        }
                    }
                    Piece::Stem { .. } => {}
                    Piece::Text { .. } => break,
                }
            }
            let Some(level) = level else { continue };
            let Some(&idx) = stems
                .iter()
                .find(|&&idx| compatible(level, self.level_of(idx)))
            else {
                continue;
            };
            if let Some(piece) = pieces.get_mut(i) {
                *piece = Piece::Hit {
                    start,
                    hit: Hit {
                        entry: idx,
                        name_end,
                        end: name_end,
                    },
                    how: Some(MatchHow::Folded),
                };
            }
        }
    }

    /// Exactness of a list item starting at `start`.
    fn how_at(&self, text: &str, tokens: &[Token], start: usize, hit: Hit) -> MatchHow {
        if hit.end > hit.name_end {
            return MatchHow::StrippedPlace;
        }
        let span = span_text(text, tokens, start, hit.name_end);
        match self
            .exact
            .get(&tone_key(span))
            .and_then(|v| v.iter().find(|&&(_, idx)| idx == hit.entry))
        {
            Some((Form::Name, _)) => MatchHow::Exact,
            Some(_) => MatchHow::Alias,
            None => MatchHow::Folded,
        }
    }
}

/// Does a list item end before `at`: end of text, a separator, or "và"?
fn is_boundary(tokens: &[Token], at: usize) -> bool {
    tokens
        .get(at)
        .is_none_or(|t| t.break_before || t.key == "va")
}

/// The text of `tokens[a..b]` as written.
fn span_text<'t>(text: &'t str, tokens: &[Token], a: usize, b: usize) -> &'t str {
    match (
        tokens.get(a),
        b.checked_sub(1).and_then(|last| tokens.get(last)),
    ) {
        (Some(first), Some(last)) if a < b => text.get(first.start..last.end).unwrap_or(""),
        _ => "",
    }
}
