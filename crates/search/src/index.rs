//! The tantivy index of one instance: a cache of the database's search feed, in a temporary
//! directory (memory-mapped), rebuilt when the instance starts and kept current from the
//! change log (see [`crate::service`]).
//!
//! Every text is indexed twice, by the same word cutter ([`crate::rules::analyze`]): once with
//! diacritics (`*_exact`, which ranks exact matches higher) and once folded (`*_fold`, which
//! finds what was typed without them). The effective-status and scheduling dates are fast
//! fields compared with the clock per query.

use std::collections::HashMap;
use std::ops::Bound;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use kernel::search_feed::FeedDoc;

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{DocAddress, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

use crate::rules::analyze::words;
use crate::rules::query::{Part, Query as UserQuery};
use crate::rules::status::{NEVER, Status, day_number, status};

/// Failures of the index (never shown to users: the page says search is unavailable).
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index: {0}")]
    Other(String),
}

pub type IndexResult<T> = Result<T, IndexError>;

/// "No date" for the start fields (before everything).
const NO_START: i64 = i64::MIN;

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    url: Field,
    title_fold: Field,
    title_exact: Field,
    number_fold: Field,
    body_fold: Field,
    body_exact: Field,
    summary: Field,
    visible_from: Field,
    visible_to: Field,
    in_force: Field,
    partly: Field,
    expired: Field,
    published: Field,
    doc_type: Field,
    issuer: Field,
    year: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, stored: bool| {
        let opts = TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqsAndPositions));
        if stored { opts.set_stored() } else { opts }
    };
    let date = NumericOptions::default().set_indexed().set_fast();
    let f = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        url: b.add_text_field("url", STORED),
        title_fold: b.add_text_field("title_fold", text(FOLD, true)),
        title_exact: b.add_text_field("title_exact", text(EXACT, false)),
        number_fold: b.add_text_field("number_fold", text(FOLD, true)),
        body_fold: b.add_text_field("body_fold", text(FOLD, true)),
        body_exact: b.add_text_field("body_exact", text(EXACT, false)),
        summary: b.add_text_field("summary", STORED),
        visible_from: b.add_i64_field("visible_from", date.clone()),
        visible_to: b.add_i64_field("visible_to", date.clone()),
        in_force: b.add_i64_field("in_force", date.clone()),
        partly: b.add_i64_field("partly", date.clone()),
        expired: b.add_i64_field("expired", date),
        published: b.add_i64_field("published", STORED),
        doc_type: b.add_text_field("doc_type", STRING | STORED | FAST),
        issuer: b.add_text_field("issuer", STRING | STORED | FAST),
        year: b.add_i64_field("year", NumericOptions::default().set_indexed().set_fast().set_stored()),
    };
    (b.build(), f)
}

const FOLD: &str = "vi_fold";
const EXACT: &str = "vi_exact";

/// The word cutter of [`crate::rules::analyze`] as a tantivy tokenizer: `fold` picks the key.
#[derive(Clone)]
struct ViTokenizer {
    fold: bool,
}

struct ViTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for ViTokenizer {
    type TokenStream<'a> = ViTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViTokenStream {
        let tokens = words(text)
            .into_iter()
            .enumerate()
            .map(|(position, w)| Token {
                offset_from: w.from,
                offset_to: w.to,
                position,
                text: if self.fold { w.folded } else { w.exact },
                position_length: 1,
            })
            .collect();
        ViTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for ViTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        // `advance` returned true before any call, so `next - 1` is in range; the fallback
        // keeps a misuse from panicking.
        self.tokens.get(self.next.wrapping_sub(1)).or(self.tokens.last()).unwrap_or(&EMPTY_TOKEN)
    }
    fn token_mut(&mut self) -> &mut Token {
        if self.tokens.is_empty() {
            self.tokens.push(Token::default());
        }
        let last = self.tokens.len() - 1;
        let i = self.next.wrapping_sub(1).min(last);
        &mut self.tokens[i]
    }
}

static EMPTY_TOKEN: std::sync::LazyLock<Token> = std::sync::LazyLock::new(Token::default);

/// What a search asks for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub query: UserQuery,
    pub kind: Option<String>,
    pub doc_type: Option<String>,
    pub issuer: Option<String>,
    pub year: Option<i32>,
    pub status: Option<Status>,
    pub offset: usize,
    pub limit: usize,
}

impl Request {
    fn has_filter(&self) -> bool {
        self.kind.is_some() || self.doc_type.is_some() || self.issuer.is_some() || self.year.is_some() || self.status.is_some()
    }
}

/// One result.
#[derive(Clone, Debug)]
pub struct Hit {
    pub kind: String,
    pub url: String,
    pub title: String,
    /// The title with the matched words in `<b>`, HTML-escaped.
    pub title_html: String,
    pub number: String,
    /// A passage of the text with the matched words in `<b>`, HTML-escaped (or the summary).
    pub snippet_html: String,
    pub doc_type: String,
    pub issuer: String,
    pub year: Option<i32>,
    pub published: Option<DateTime<Utc>>,
    pub status: Option<Status>,
    pub score: f32,
}

/// Counts of the results per facet value.
#[derive(Clone, Debug, Default)]
pub struct Facets {
    pub kinds: Vec<(String, u64)>,
    pub types: Vec<(String, u64)>,
    pub years: Vec<(String, u64)>,
    pub issuers: Vec<(String, u64)>,
    /// Per [`Status::ALL`] order.
    pub statuses: [u64; 4],
}

/// A page of results.
#[derive(Clone, Debug, Default)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// One instance's index.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
    _dir: Option<tempfile::TempDir>,
}

fn register(index: &Index) {
    index.tokenizers().register(FOLD, TextAnalyzer::from(ViTokenizer { fold: true }));
    index.tokenizers().register(EXACT, TextAnalyzer::from(ViTokenizer { fold: false }));
}

fn key(kind: &str, ref_id: i64) -> String {
    format!("{kind}:{ref_id}")
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn ts(d: Option<DateTime<Utc>>, none: i64) -> i64 {
    d.map(|d| d.timestamp()).unwrap_or(none)
}

fn day(d: Option<NaiveDate>, none: i64) -> i64 {
    d.map(day_number).unwrap_or(none)
}

impl SearchIndex {
    /// A new, empty index in a temporary directory under `dir` (the system's temporary
    /// directory when `None`), removed when the index is dropped. `memory_bytes` is the
    /// writer's budget.
    pub fn create(dir: Option<&std::path::Path>, memory_bytes: usize, threads: usize) -> IndexResult<SearchIndex> {
        let tmp = match dir {
            Some(d) => tempfile::Builder::new().prefix("pbgdpl-search-").tempdir_in(d)?,
            None => tempfile::Builder::new().prefix("pbgdpl-search-").tempdir()?,
        };
        let (schema, f) = schema();
        let mut index = Index::create_in_dir(tmp.path(), schema)?;
        // A query searches the index's segments on both cores at once.
        index.set_multithread_executor(threads.max(1))?;
        register(&index);
        let writer = index.writer_with_num_threads(threads.max(1), memory_bytes.max(15_000_000 * threads.max(1)))?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex { reader, writer: Mutex::new(writer), f, _dir: Some(tmp) })
    }

    fn to_document(&self, d: &FeedDoc) -> TantivyDocument {
        let f = &self.f;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, key(&d.kind, d.ref_id));
        doc.add_text(f.kind, &d.kind);
        doc.add_text(f.url, &d.url);
        doc.add_text(f.title_fold, &d.title);
        doc.add_text(f.title_exact, &d.title);
        if !d.number.is_empty() {
            doc.add_text(f.number_fold, &d.number);
        }
        let body = if d.summary.is_empty() || d.body.starts_with(d.summary.as_str()) { d.body.clone() } else { format!("{}\n\n{}", d.summary, d.body) };
        doc.add_text(f.body_fold, &body);
        doc.add_text(f.body_exact, &body);
        doc.add_text(f.summary, &d.summary);
        if !d.doc_type.is_empty() {
            doc.add_text(f.doc_type, &d.doc_type);
        }
        if !d.issuer.is_empty() {
            doc.add_text(f.issuer, &d.issuer);
        }
        if let Some(y) = d.year {
            doc.add_i64(f.year, i64::from(y));
        }
        doc.add_i64(f.visible_from, ts(d.visible_from, NO_START));
        doc.add_i64(f.visible_to, ts(d.visible_to, NEVER));
        doc.add_i64(f.in_force, if d.in_force_on.is_some() { day(d.in_force_on, NO_START) } else { NO_START });
        doc.add_i64(f.partly, day(d.partly_expired_on, NEVER));
        doc.add_i64(f.expired, day(d.expired_on, NEVER));
        if let Some(p) = d.published_at {
            doc.add_i64(f.published, p.timestamp());
        }
        doc
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds documents without removing older versions (for a fresh index).
    pub fn add_all(&self, docs: &[FeedDoc]) -> IndexResult<()> {
        let w = self.lock();
        for d in docs {
            w.add_document(self.to_document(d))?;
        }
        Ok(())
    }

    /// Replaces (or removes, when `doc` is `None`) the item `(kind, ref_id)`.
    pub fn upsert(&self, kind: &str, ref_id: i64, doc: Option<&FeedDoc>) -> IndexResult<()> {
        let w = self.lock();
        w.delete_term(Term::from_field_text(self.f.key, &key(kind, ref_id)));
        if let Some(d) = doc {
            w.add_document(self.to_document(d))?;
        }
        Ok(())
    }

    /// Makes the changes so far visible to searches.
    pub fn commit(&self) -> IndexResult<()> {
        self.lock().commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// How many items a search can find now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn term_query(&self, field: Field, text: &str, boost: f32) -> Box<dyn Query> {
        let q: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs));
        if (boost - 1.0).abs() < f32::EPSILON { q } else { Box::new(BoostQuery::new(q, boost)) }
    }

    fn phrase_query(&self, field: Field, keys: &[&str], boost: f32) -> Box<dyn Query> {
        let terms = keys.iter().map(|k| Term::from_field_text(field, k)).collect();
        Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))
    }

    /// The query of one part: any field may hold it; exact fields rank diacritics that match.
    fn part_query(&self, part: &Part) -> Box<dyn Query> {
        let f = &self.f;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match part {
            Part::Word(w) => {
                should.push((Occur::Should, self.term_query(f.title_fold, &w.folded, 3.0)));
                should.push((Occur::Should, self.term_query(f.body_fold, &w.folded, 1.0)));
                should.push((Occur::Should, self.term_query(f.number_fold, &w.folded, 6.0)));
                if w.exact != w.folded {
                    should.push((Occur::Should, self.term_query(f.title_exact, &w.exact, 3.0)));
                }
            }
            Part::Phrase(ws) => {
                let folded: Vec<&str> = ws.iter().map(|w| w.folded.as_str()).collect();
                should.push((Occur::Should, self.phrase_query(f.title_fold, &folded, 4.0)));
                should.push((Occur::Should, self.phrase_query(f.body_fold, &folded, 1.5)));
                should.push((Occur::Should, self.phrase_query(f.number_fold, &folded, 10.0)));
                if ws.iter().any(|w| w.exact != w.folded) {
                    let exact: Vec<&str> = ws.iter().map(|w| w.exact.as_str()).collect();
                    should.push((Occur::Should, self.phrase_query(f.title_exact, &exact, 4.0)));
                    should.push((Occur::Should, self.phrase_query(f.body_exact, &exact, 1.5)));
                }
            }
        }
        Box::new(BooleanQuery::new(should))
    }

    fn range(field: Field, lower: Bound<i64>, upper: Bound<i64>) -> Box<dyn Query> {
        let t = |b: Bound<i64>| match b {
            Bound::Included(v) => Bound::Included(Term::from_field_i64(field, v)),
            Bound::Excluded(v) => Bound::Excluded(Term::from_field_i64(field, v)),
            Bound::Unbounded => Bound::Unbounded,
        };
        Box::new(RangeQuery::new(t(lower), t(upper)))
    }

    fn status_filter(&self, s: Status, today: i64) -> Vec<Box<dyn Query>> {
        let f = &self.f;
        let in_force_by = Self::range(f.in_force, Bound::Excluded(NO_START), Bound::Included(today));
        match s {
            Status::NotYetInForce => vec![Self::range(f.in_force, Bound::Excluded(today), Bound::Unbounded)],
            Status::Expired => vec![in_force_by, Self::range(f.expired, Bound::Unbounded, Bound::Included(today))],
            Status::PartlyExpired => vec![
                in_force_by,
                Self::range(f.expired, Bound::Excluded(today), Bound::Unbounded),
                Self::range(f.partly, Bound::Unbounded, Bound::Included(today)),
            ],
            Status::InForce => vec![
                in_force_by,
                Self::range(f.expired, Bound::Excluded(today), Bound::Unbounded),
                Self::range(f.partly, Bound::Excluded(today), Bound::Unbounded),
            ],
        }
    }

    /// A filter on a whole-value field, scoring nothing.
    fn value_filter(field: Field, value: &str) -> Box<dyn Query> {
        Box::new(ConstScoreQuery::new(Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic)), 0.0))
    }

    /// The whole query: what was typed, the chosen facets, and what is visible at `now`.
    fn build_query(&self, req: &Request, now: DateTime<Utc>) -> Box<dyn Query> {
        let f = &self.f;
        let today = day_number(vietnam_date(now));
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if req.query.is_empty() {
            must.push((Occur::Must, Box::new(AllQuery)));
        } else {
            // Every part required (up to three words): an intersection, which skips ahead on
            // the rarest word; longer queries need three parts in four.
            let all = req.query.required() == req.query.parts.len();
            let occur = if all { Occur::Must } else { Occur::Should };
            let parts: Vec<(Occur, Box<dyn Query>)> = req.query.parts.iter().map(|p| (occur, self.part_query(p))).collect();
            let matched: Box<dyn Query> = if all { Box::new(BooleanQuery::new(parts)) } else { Box::new(BooleanQuery::with_minimum_required_clauses(parts, req.query.required())) };
            must.push((Occur::Must, matched));
            // Words typed together rank higher where they stand together ("bộ luật dân sự"
            // above "bộ luật tố tụng dân sự").
            let typed: Vec<&str> = req.query.parts.iter().filter_map(|p| match p {
                Part::Word(w) => Some(w.folded.as_str()),
                Part::Phrase(_) => None,
            }).collect();
            if typed.len() >= 2 {
                must.push((Occur::Should, self.phrase_query(f.title_fold, &typed, 3.0)));
            }
        }
        let t = now.timestamp();
        must.push((Occur::Must, Self::range(f.visible_from, Bound::Unbounded, Bound::Included(t))));
        must.push((Occur::Must, Self::range(f.visible_to, Bound::Excluded(t), Bound::Unbounded)));
        if let Some(k) = &req.kind {
            must.push((Occur::Must, Self::value_filter(f.kind, k)));
        }
        if let Some(k) = &req.doc_type {
            must.push((Occur::Must, Self::value_filter(f.doc_type, k)));
        }
        if let Some(k) = &req.issuer {
            must.push((Occur::Must, Self::value_filter(f.issuer, k)));
        }
        if let Some(y) = req.year {
            must.push((Occur::Must, Self::range(f.year, Bound::Included(i64::from(y)), Bound::Included(i64::from(y)))));
        }
        if let Some(s) = req.status {
            must.extend(self.status_filter(s, today).into_iter().map(|q| (Occur::Must, q)));
        }
        Box::new(BooleanQuery::new(must))
    }

    /// Searches at `now`. An empty query with no filter finds nothing.
    pub fn search(&self, req: &Request, now: DateTime<Utc>) -> IndexResult<Results> {
        if req.query.is_empty() && !req.has_filter() {
            return Ok(Results::default());
        }
        let searcher = self.reader.searcher();
        let query = self.build_query(req, now);
        let today = day_number(vietnam_date(now));
        let limit = req.limit.clamp(1, 100);
        let offset = req.offset.min(10_000);
        // Pass 1, without scoring: how many match and the facet counts.
        // One pass: how many match, the facet counts (from fast fields), and the best by
        // relevance. The effective status is then applied to a window three times the page's
        // depth, so an in-force document is never kept below an expired one inside it.
        let window = ((offset + limit) * 3).max(30);
        let (total, counts, candidates) = searcher.search(&*query, &(Count, FacetCounts { today }, TopDocs::with_limit(window).order_by_score()))?;
        let mut ranked: Vec<(f32, DocAddress)> = candidates
            .into_iter()
            .map(|(score, addr)| {
                let seg = searcher.segment_reader(addr.segment_ord);
                let col = |name: &str, none: i64| seg.fast_fields().i64(name).ok().map(|c| c.first_or_default_col(none).get_val(addr.doc_id)).unwrap_or(none);
                let inf = col("in_force", NO_START);
                let factor = if inf == NO_START { 1.0 } else { status(inf, col("partly", NEVER), col("expired", NEVER), today).rank_factor() };
                (score * factor, addr)
            })
            .collect();
        // Highest first; ties by index order, so the order is stable.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let f = &self.f;
        let mut title_gen = SnippetGenerator::create(&searcher, &*query, f.title_fold)?;
        title_gen.set_max_num_chars(400);
        let mut body_gen = SnippetGenerator::create(&searcher, &*query, f.body_fold)?;
        body_gen.set_max_num_chars(220);
        let mut hits = Vec::with_capacity(limit);
        for (score, addr) in ranked.into_iter().skip(offset).take(limit) {
            hits.push(self.hit(&searcher, addr, score, &title_gen, &body_gen, today)?);
        }
        let sorted = |m: HashMap<String, u64>| -> Vec<(String, u64)> {
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| text_vi::compare(&a.0, &b.0)));
            v
        };
        let mut years: Vec<(String, u64)> = counts.years.into_iter().map(|(y, n)| (y.to_string(), n)).collect();
        years.sort_by(|a, b| b.0.cmp(&a.0));
        let facets = Facets { kinds: sorted(counts.kinds), types: sorted(counts.types), years, issuers: sorted(counts.issuers), statuses: counts.statuses };
        Ok(Results { total, hits, facets })
    }

    fn hit(&self, searcher: &tantivy::Searcher, addr: DocAddress, score: f32, title_gen: &SnippetGenerator, body_gen: &SnippetGenerator, today: i64) -> IndexResult<Hit> {
        let f = &self.f;
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let int = |field: Field| doc.get_first(field).and_then(|v| v.as_i64());
        let title = text(f.title_fold);
        let t = title_gen.snippet(&title);
        let title_html = if t.is_empty() || t.fragment().len() < title.len() { html_escape(&title) } else { t.to_html() };
        let body = body_gen.snippet_from_doc(&doc);
        let snippet_html = if body.is_empty() { html_escape(&truncate(&text(f.summary), 220)) } else { body.to_html() };
        let seg = searcher.segment_reader(addr.segment_ord);
        let col = |name: &str, none: i64| seg.fast_fields().i64(name).ok().map(|c| c.first_or_default_col(none).get_val(addr.doc_id)).unwrap_or(none);
        let inf = col("in_force", NO_START);
        let st = (inf != NO_START).then(|| status(inf, col("partly", NEVER), col("expired", NEVER), today));
        Ok(Hit {
            kind: text(f.kind),
            url: text(f.url),
            title: title.clone(),
            title_html,
            number: text(f.number_fold),
            snippet_html,
            doc_type: text(f.doc_type),
            issuer: text(f.issuer),
            year: int(f.year).and_then(|y| i32::try_from(y).ok()),
            published: int(f.published).and_then(|s| DateTime::from_timestamp(s, 0)),
            status: st,
            score,
        })
    }

    /// The index's size on disk (for the benchmark).
    pub fn disk_bytes(&self) -> u64 {
        fn walk(p: &std::path::Path) -> u64 {
            std::fs::read_dir(p)
                .map(|rd| rd.flatten().map(|e| e.metadata().map(|m| if m.is_dir() { walk(&e.path()) } else { m.len() }).unwrap_or(0)).sum())
                .unwrap_or(0)
        }
        self._dir.as_ref().map(|d| walk(d.path())).unwrap_or(0)
    }

}

/// The day in Vietnam (UTC+7) at an instant.
pub fn vietnam_date(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(7)).date_naive()
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// Counts the results per kind, type, issuer, year and effective status (legal documents
/// only), from the fast fields: one pass over the matches, no scoring.
struct FacetCounts {
    today: i64,
}

/// What [`FacetCounts`] gathers.
#[derive(Default)]
struct FacetFruit {
    kinds: HashMap<String, u64>,
    types: HashMap<String, u64>,
    issuers: HashMap<String, u64>,
    years: HashMap<i64, u64>,
    statuses: [u64; 4],
}

type I64Col = std::sync::Arc<dyn tantivy::columnar::ColumnValues<i64>>;

type U64Col = std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>;

/// An ord column read densely (`u64::MAX` where a document has no value) beside its dictionary.
struct OrdColumn {
    dict: StrColumn,
    ords: U64Col,
}

struct FacetSegment {
    today: i64,
    strs: [Option<OrdColumn>; 3],
    ord_counts: [Vec<u64>; 3],
    year: I64Col,
    years: HashMap<i64, u64>,
    status: [I64Col; 3],
    statuses: [u64; 4],
}

impl Collector for FacetCounts {
    type Fruit = FacetFruit;
    type Child = FacetSegment;
    fn for_segment(&self, _ord: SegmentOrdinal, seg: &SegmentReader) -> tantivy::Result<FacetSegment> {
        let ff = seg.fast_fields();
        let dense = |c: Option<StrColumn>| c.map(|dict| OrdColumn { ords: dict.ords().clone().first_or_default_col(u64::MAX), dict });
        let strs = [dense(ff.str("kind")?), dense(ff.str("doc_type")?), dense(ff.str("issuer")?)];
        let ord_counts = [0, 1, 2].map(|i| vec![0u64; strs[i].as_ref().map(|c| c.dict.num_terms()).unwrap_or(0)]);
        Ok(FacetSegment {
            today: self.today,
            strs,
            ord_counts,
            year: ff.i64("year")?.first_or_default_col(i64::MIN),
            years: HashMap::new(),
            status: [ff.i64("in_force")?.first_or_default_col(NO_START), ff.i64("partly")?.first_or_default_col(NEVER), ff.i64("expired")?.first_or_default_col(NEVER)],
            statuses: [0; 4],
        })
    }
    fn requires_scoring(&self) -> bool {
        false
    }
    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut total = FacetFruit::default();
        for f in fruits {
            for (into, from) in [(&mut total.kinds, f.kinds), (&mut total.types, f.types), (&mut total.issuers, f.issuers)] {
                for (k, n) in from {
                    *into.entry(k).or_default() += n;
                }
            }
            for (y, n) in f.years {
                *total.years.entry(y).or_default() += n;
            }
            for (t, n) in total.statuses.iter_mut().zip(f.statuses) {
                *t += n;
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetFruit;
    fn collect(&mut self, doc: DocId, _score: Score) {
        for (col, counts) in self.strs.iter().zip(self.ord_counts.iter_mut()) {
            if let Some(col) = col
                && let Some(c) = usize::try_from(col.ords.get_val(doc)).ok().and_then(|o| counts.get_mut(o))
            {
                *c += 1;
            }
        }
        let y = self.year.get_val(doc);
        if y != i64::MIN {
            *self.years.entry(y).or_default() += 1;
        }
        let [inf, par, exp] = &self.status;
        let i = inf.get_val(doc);
        if i != NO_START {
            let s = status(i, par.get_val(doc), exp.get_val(doc), self.today);
            if let Some(c) = self.statuses.get_mut(s.index()) {
                *c += 1;
            }
        }
    }
    fn harvest(self) -> FacetFruit {
        let mut maps: [HashMap<String, u64>; 3] = Default::default();
        for ((col, counts), map) in self.strs.iter().zip(self.ord_counts.iter()).zip(maps.iter_mut()) {
            let Some(col) = col else { continue };
            for (ord, n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
                let mut value = String::new();
                if col.dict.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    *map.entry(value).or_default() += *n;
                }
            }
        }
        let [kinds, types, issuers] = maps;
        FacetFruit { kinds, types, issuers, years: self.years, statuses: self.statuses }
    }
}
