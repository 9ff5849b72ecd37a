//! The search index, built from the assembled site (never by re-reading HTML) and written
//! as small script files that `search.js` loads on demand, so search works on any static
//! host, under any subpath and from `file://`.
//!
//! Layout (all under `search/`):
//! - `meta.js`: counts, average length, bucket count, sections, topics, Latin words.
//! - `t/<n>.js`: term buckets. A term is a Han/digit bigram (with every position, for
//!   phrase matching), a single character, or a word. Each posting carries the page's
//!   length, so no other file is needed to rank.
//! - `r/<n>.js`: records of `RECORDS_PER_SHARD` pages: title, URL, section, date,
//!   topics, headings with their positions.
//! - `p/<n>.js`: passages for snippets: the opening of every paragraph, with its position.

pub mod tokenize;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::site::Site;
use tokenize::{Token, is_han, normalize, tokenize_from};

/// Where the body starts: title tokens sit before it, so a position tells its field.
pub const BODY_START: u32 = 1000;
/// Pages per record shard.
pub const RECORDS_PER_SHARD: usize = 16;
/// Pages per passage shard.
pub const PASSAGES_PER_SHARD: usize = 16;
/// A frequent term keeps only its best postings: enough for the results a reader looks
/// at, at a bounded download.
pub const MAX_POSTINGS: usize = 100;
/// Positions kept per posting; phrase matching looks at these.
pub const MAX_POSITIONS: usize = 16;
/// Target size of a term bucket before gzip.
const BUCKET_BYTES: usize = 12_000;
/// Longest word of the site's vocabulary used for word boundaries.
const MAX_WORD_CHARS: usize = 8;

/// One page's occurrences of one term.
#[derive(Debug, Clone)]
struct Posting {
    doc: u32,
    /// Positions, each shifted left once with the low bit set where a word starts.
    positions: Vec<u32>,
    /// Occurrences in the title.
    title: u32,
    /// Occurrences in headings.
    heading: u32,
    /// All occurrences (for single characters only the first position is kept).
    total: u32,
}

/// A term as a number: a single character, a bigram, or a word (by hash, with its
/// text kept aside). Numbers instead of strings keep 10,000 pages' postings small.
type TermKey = u64;

const UNIGRAM: u64 = 1 << 62;
const BIGRAM: u64 = 2 << 62;
const WORD: u64 = 3 << 62;

fn unigram_key(c: char) -> TermKey {
    UNIGRAM | u64::from(c)
}

fn bigram_key(a: char, b: char) -> TermKey {
    BIGRAM | u64::from(a) << 21 | u64::from(b)
}

fn word_key(word: &str) -> TermKey {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in word.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    WORD | (hash & ((1 << 62) - 1))
}

/// The text of a character term.
fn key_text(key: TermKey) -> String {
    let char_at = |bits: u64| char::from_u32((bits & 0x1f_ffff) as u32).unwrap_or('\u{fffd}');
    match key & (3 << 62) {
        UNIGRAM => char_at(key).to_string(),
        _ => format!("{}{}", char_at(key >> 21), char_at(key)),
    }
}

/// A quick hash for term numbers (the standard SipHash was a tenth of the build).
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type KeyMap<V> = HashMap<TermKey, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// What one page contributes.
struct DocIndex {
    length: u32,
    terms: Vec<(TermKey, Posting)>,
    words: Vec<(TermKey, String)>,
    headings: Vec<(String, String, u32)>,
    passages: Vec<(u32, String)>,
}

/// Everyday words of study materials, so that segmenting 乡下党员 finds 乡下 and 党员
/// rather than 下党. Not a dictionary: just enough common words to keep a place name
/// from being "found" across two other words.
const COMMON_WORDS: &str = "乡下 下乡 党员 干部 群众 基层 工作 学习 发展 经济 社会 政策 调查 研究 调研 \
    接待 来访 信访 现场 办公 宣传 路线 方针 领导 地县 县委 地委 书记 同志 乡亲 乡镇 村民 农民 \
    农村 山区 道路 公路 电站 资金 扶持 问题 困难 办法 经验 实践 制度 活动 组织 支部 党课 教育 \
    主题 文章 报告 会议 讨论 体会 材料 时期 时间 地方 群众路线 实事求是 为民 服务 作风 责任 \
    改革 开放 脱贫 攻坚 振兴 产业 企业 县域 人民 日报 回信 故事 精神 意义 启示 要求 目标 重点 \
    难点 内容 方法 过程 情况 任务 一天 一年 上午 下午 晚上 早上 田里 劳动 生活 随笔 家中 家里";

/// The words of the site itself (topics, places): they mark word boundaries, so
/// 下党 in 下党乡 ranks above 下党 inside 乡下党员.
fn vocabulary(site: &Site) -> Vocabulary {
    let mut words = HashSet::new();
    let mut add = |text: &str| {
        for run in normalize(text).split(|c: char| !is_han(c)) {
            let chars: Vec<char> = run.chars().collect();
            if (2..=MAX_WORD_CHARS).contains(&chars.len()) {
                // A place's name without its 乡/县/镇… is a word too: 下党乡 → 下党.
                if chars.len() > 2 && "乡县镇村市区省州".contains(chars[chars.len() - 1]) {
                    words.insert(chars[..chars.len() - 1].to_vec());
                }
                words.insert(chars);
            }
        }
    };
    for taxonomy in &site.taxonomies {
        for term in &taxonomy.terms {
            add(&term.name);
        }
    }
    for word in COMMON_WORDS.split_whitespace() {
        add(word);
    }
    for page in &site.pages {
        for event in &page.page.front.events {
            if let Some(place) = &event.place {
                add(place);
            }
        }
    }
    Vocabulary::new(words)
}

/// The site's words, with the longest word per first character so that most positions
/// need no lookup at all.
pub struct Vocabulary {
    words: HashSet<Vec<char>>,
    longest: HashMap<char, usize>,
}

impl Vocabulary {
    fn new(words: HashSet<Vec<char>>) -> Vocabulary {
        let mut longest: HashMap<char, usize> = HashMap::new();
        for word in &words {
            let entry = longest.entry(word[0]).or_default();
            *entry = (*entry).max(word.len());
        }
        Vocabulary { words, longest }
    }

    /// The length of the longest word at the start of `run`, if any.
    fn longest_at(&self, run: &[char]) -> Option<usize> {
        let max = *self.longest.get(run.first()?)?;
        (2..=max.min(run.len()))
            .rev()
            .find(|&n| self.words.contains(&run[..n]))
    }
}

/// A set of positions, as a bitmap.
#[derive(Default)]
struct Positions(Vec<bool>);

impl Positions {
    fn insert(&mut self, p: u32) {
        let p = p as usize;
        if p >= self.0.len() {
            self.0.resize(p + 1, false);
        }
        self.0[p] = true;
    }
    fn contains(&self, p: &u32) -> bool {
        self.0.get(*p as usize).copied().unwrap_or(false)
    }
}

/// Positions (of `tokens`) where a word starts: the start of each run of Han characters,
/// and wherever a vocabulary word begins (longest match first, left to right).
fn word_starts(tokens: &[Token], vocabulary: &Vocabulary) -> Positions {
    let mut starts = Positions::default();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Char(_, first) = tokens[i] else {
            starts.insert(tokens[i].position());
            i += 1;
            continue;
        };
        // The run of adjacent characters from here.
        let mut run = Vec::new();
        let mut j = i;
        while let Some(Token::Char(c, p)) = tokens.get(j) {
            if *p != first + run.len() as u32 {
                break;
            }
            run.push(*c);
            j += 1;
        }
        starts.insert(first);
        let mut k = 0;
        while k < run.len() {
            if let Some(n) = vocabulary.longest_at(&run[k..]) {
                starts.insert(first + k as u32);
                k += n;
            } else {
                k += 1;
            }
        }
        i = j;
    }
    starts
}

fn index_doc(
    site: &Site,
    page: usize,
    doc: u32,
    vocabulary: &Vocabulary,
    snippet: usize,
) -> DocIndex {
    let page = &site.pages[page];
    let title = normalize(&page.page.front.title);
    let (mut tokens, _) = tokenize_from(&title, 0);
    tokens.retain(|t| t.position() < BODY_START);

    // The body line by line: positions then match what search.js computes for a passage.
    let mut headings = Vec::new();
    let mut heading_ranges: Vec<(u32, u32)> = Vec::new();
    let mut passages = Vec::new();
    let mut toc = page.page.rendered.toc.iter().peekable();
    let mut position = BODY_START;
    for line in page.page.rendered.plain.lines() {
        let text = normalize(line);
        let (line_tokens, next) = tokenize_from(&text, position);
        if line_tokens.is_empty() {
            position = next;
            continue;
        }
        let is_heading = toc
            .peek()
            .is_some_and(|h| normalize(h.title.trim()) == text.trim());
        if is_heading && let Some(h) = toc.next() {
            headings.push((h.id.clone(), h.title.clone(), position));
            heading_ranges.push((position, next));
        } else {
            passages.push((position, text.chars().take(snippet).collect::<String>()));
        }
        tokens.extend(line_tokens);
        position = next;
    }
    let starts = word_starts(&tokens, vocabulary);
    let mut heading_positions = Positions::default();
    for &(a, b) in &heading_ranges {
        for p in a..b {
            heading_positions.insert(p);
        }
    }
    let in_heading = |p: u32| heading_positions.contains(&p);

    let mut terms: KeyMap<Posting> = KeyMap::default();
    let mut words: Vec<(TermKey, String)> = Vec::new();
    let mut add = |key: TermKey, p: u32, keep_all: bool| {
        let posting = terms.entry(key).or_insert_with(|| Posting {
            doc,
            positions: Vec::new(),
            title: 0,
            heading: 0,
            total: 0,
        });
        posting.total += 1;
        if p < BODY_START {
            posting.title += 1;
        } else if in_heading(p) {
            posting.heading += 1;
        }
        let room = if keep_all { MAX_POSITIONS } else { 1 };
        if posting.positions.len() < room {
            posting
                .positions
                .push(p << 1 | u32::from(starts.contains(&p)));
        }
    };
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Word(w, p) => {
                let key = word_key(w);
                if !words.iter().any(|(k, _)| *k == key) {
                    words.push((key, w.clone()));
                }
                add(key, *p, true);
            }
            Token::Char(c, p) => {
                add(unigram_key(*c), *p, false);
                if let Some(Token::Char(next, q)) = tokens.get(i + 1)
                    && *q == p + 1
                {
                    add(bigram_key(*c, *next), *p, true);
                }
            }
        }
    }
    let terms: Vec<(TermKey, Posting)> = terms.into_iter().collect();
    DocIndex {
        length: tokens.len() as u32,
        terms,
        words,
        headings,
        passages,
    }
}

/// FNV-1a over the UTF-8 bytes: the same function is in search.js.
pub fn bucket_of(term: &str, buckets: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in term.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % buckets
}

/// How much a posting is worth before the query is known, for keeping the best ones.
fn impact(p: &Posting, length: u32, average: f64) -> f64 {
    let tf = f64::from(3 * p.title + 2 * p.heading + (p.total - p.title - p.heading));
    let norm = 0.25 + 0.75 * f64::from(length) / average.max(1.0);
    tf * 2.2 / (tf + 1.2 * norm)
}

/// The index's files: path under the output root → JavaScript text.
pub fn build(site: &Site) -> Vec<(String, String)> {
    let config = &site.config;
    let pages: Vec<usize> = (0..site.pages.len())
        .filter(|&i| {
            let path = &site.pages[i].page.content_path;
            let top = path.split('/').next().unwrap_or("");
            config
                .search_sections
                .as_ref()
                .is_none_or(|allowed| path.contains('/') && allowed.iter().any(|s| s == top))
        })
        .collect();
    let vocabulary = vocabulary(site);
    // Pages are indexed in parallel; each term keeps only its best postings as they
    // come, so memory stays bounded by terms × MAX_POSTINGS, not by the site's size.
    let rough_average = pages
        .iter()
        .map(|&p| site.pages[p].page.rendered.plain.chars().count() as f64)
        .sum::<f64>()
        / pages.len().max(1) as f64;
    // A few large chunks, not rayon's fine splits: every chunk holds a whole term table.
    let chunk = pages
        .len()
        .div_ceil(2 * rayon::current_num_threads())
        .max(1);
    let Finished {
        terms,
        words,
        pages: shards,
        length_sum,
    } = pages
        .par_chunks(chunk)
        .enumerate()
        .map(|(n, run)| {
            let mut acc = Accumulator::default();
            for (k, &page) in run.iter().enumerate() {
                let doc = (n * chunk + k) as u32;
                let index = index_doc(site, page, doc, &vocabulary, config.snippet_length);
                acc.add(doc, index, rough_average);
            }
            acc
        })
        .reduce(Accumulator::default, Accumulator::merge)
        .finish();
    let average = length_sum as f64 / pages.len().max(1) as f64;

    let doc_count = pages.len();
    let mut encoded: Vec<(String, String, Option<String>)> = terms
        .into_par_iter()
        .map(|(key, acc)| {
            let text = if key & (3 << 62) == WORD {
                words.get(&key).cloned().unwrap_or_default()
            } else {
                key_text(key)
            };
            let entry = encode_term(acc.df, &acc.kept);
            let tail = (acc.kept.len() < acc.docs.len()).then(|| encode_tail(&acc, doc_count));
            (text, entry, tail)
        })
        .collect();
    encoded.sort_by(|a, b| a.0.cmp(&b.0));
    let total: usize = encoded.iter().map(|(t, e, _)| t.len() + e.len() + 6).sum();
    let buckets = (total / BUCKET_BYTES).clamp(8, 4096).next_power_of_two() as u32;
    let mut bucket_text: Vec<String> = vec![String::new(); buckets as usize];
    let mut tail_text: Vec<String> = vec![String::new(); buckets as usize];
    let append = |text: &mut String, term: &str, entry: &str| {
        text.push_str(if text.is_empty() { "{" } else { "," });
        text.push_str(&serde_json::to_string(term).unwrap_or_default());
        text.push(':');
        text.push_str(entry);
    };
    for (term, entry, tail) in &encoded {
        let bucket = bucket_of(term, buckets) as usize;
        append(&mut bucket_text[bucket], term, entry);
        if let Some(tail) = tail {
            append(&mut tail_text[bucket], term, tail);
        }
    }

    let mut files = Vec::new();
    for (n, text) in tail_text
        .into_iter()
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
    {
        files.push((format!("search/x/{n}.js"), script("x", n, &(text + "}"))));
    }
    for (n, text) in bucket_text.into_iter().enumerate() {
        let body = if text.is_empty() {
            "{}".to_owned()
        } else {
            text + "}"
        };
        files.push((format!("search/t/{n}.js"), script("t", n, &body)));
    }
    let sections = section_names(site, &pages);
    let topics = topic_names(site, &pages);
    for (n, chunk) in pages.chunks(RECORDS_PER_SHARD).enumerate() {
        let records: Vec<Value> = chunk
            .iter()
            .zip(&shards[n * RECORDS_PER_SHARD..])
            .map(|(&page, doc)| record(site, page, &doc.0, &sections, &topics))
            .collect();
        files.push((
            format!("search/r/{n}.js"),
            script("r", n, &Value::from(records).to_string()),
        ));
    }
    for (n, chunk) in shards.chunks(PASSAGES_PER_SHARD).enumerate() {
        let passages: Vec<Value> = chunk.iter().map(|d| json!(d.1)).collect();
        files.push((
            format!("search/p/{n}.js"),
            script("p", n, &Value::from(passages).to_string()),
        ));
    }
    let mut words: Vec<&str> = encoded
        .iter()
        .map(|(t, _, _)| t.as_str())
        .filter(|t| t.chars().next().is_some_and(|c| !tokenize::is_run_char(c)))
        .collect();
    words.sort_unstable();
    let meta = json!({
        "version": 1,
        "docs": pages.len(),
        "average": (average * 10.0).round() / 10.0,
        "buckets": buckets,
        "bodyStart": BODY_START,
        "records": RECORDS_PER_SHARD,
        "passages": PASSAGES_PER_SHARD,
        "maxPostings": MAX_POSTINGS,
        "sections": sections,
        "topics": topics,
        "words": words,
    });
    files.push((
        "search/meta.js".to_owned(),
        script("meta", 0, &meta.to_string()),
    ));
    files
}

/// A data file: a call that hands its payload to search.js.
fn script(kind: &str, n: usize, payload: &str) -> String {
    format!("casebookSearchData(\"{kind}\",{n},{payload});\n")
}

/// A term's entry: `[df, kept, doc, length, title, heading, total, count, positions…, …]`
/// with doc numbers and positions delta-coded; `kept` are in page order.
fn encode_term(df: u32, kept: &[(Posting, u32)]) -> String {
    use std::fmt::Write;
    let mut out = format!("[{df},{}", kept.len());
    let mut previous_doc = 0;
    for (posting, length) in kept {
        let _ = write!(
            out,
            ",{},{length},{},{},{},{}",
            posting.doc - previous_doc,
            posting.title,
            posting.heading,
            posting.total,
            posting.positions.len()
        );
        previous_doc = posting.doc;
        let mut previous = 0;
        for &p in &posting.positions {
            // Keep the word-start bit; delta-code the position above it.
            let _ = write!(out, ",{}", ((p >> 1) - previous) << 1 | (p & 1));
            previous = p >> 1;
        }
    }
    out.push(']');
    out
}

/// The pages of a frequent term beyond its kept postings: a list of page-number
/// deltas, or a base64 bitmap over all pages when that is shorter.
fn encode_tail(acc: &TermAcc, doc_count: usize) -> String {
    let kept: HashSet<u32> = acc.kept.iter().map(|p| p.0.doc).collect();
    let rest: Vec<u32> = acc
        .docs
        .iter()
        .copied()
        .filter(|d| !kept.contains(d))
        .collect();
    let mut list = String::from("[");
    let mut previous = 0;
    for (i, doc) in rest.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        list += &(doc - previous).to_string();
        previous = *doc;
    }
    list.push(']');
    let bitmap_len = doc_count.div_ceil(8).div_ceil(3) * 4 + 2;
    if list.len() <= bitmap_len {
        return list;
    }
    let mut bits = vec![0u8; doc_count.div_ceil(8)];
    for doc in rest {
        bits[doc as usize / 8] |= 1 << (doc % 8);
    }
    format!("\"{}\"", base64(&bits))
}

/// Standard base64 (what `atob` reads).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A term's document frequency and its best postings (with page lengths) so far.
#[derive(Default)]
struct TermAcc {
    df: u32,
    /// Every page with the term, for the tail lists of frequent terms.
    docs: Vec<u32>,
    kept: Vec<(Posting, u32)>,
    /// The impact of each kept posting, computed once.
    impacts: Vec<f32>,
}

impl TermAcc {
    fn push(&mut self, posting: Posting, length: u32, average: f64) {
        self.docs.push(posting.doc);
        self.impacts.push(impact(&posting, length, average) as f32);
        self.kept.push((posting, length));
        if self.kept.len() >= 2 * MAX_POSTINGS {
            self.prune();
        }
    }

    /// Keeps the `MAX_POSTINGS` best by impact (ties: the earlier page).
    fn prune(&mut self) {
        if self.kept.len() <= MAX_POSTINGS {
            return;
        }
        let mut order: Vec<usize> = (0..self.kept.len()).collect();
        let key = |&i: &usize| {
            (
                std::cmp::Reverse(OrderedImpact(self.impacts[i])),
                self.kept[i].0.doc,
            )
        };
        order.select_nth_unstable_by_key(MAX_POSTINGS, key);
        order.truncate(MAX_POSTINGS);
        order.sort_unstable();
        let mut kept = Vec::with_capacity(2 * MAX_POSTINGS);
        let mut impacts = Vec::with_capacity(2 * MAX_POSTINGS);
        let mut old: Vec<Option<(Posting, u32)>> = std::mem::take(&mut self.kept)
            .into_iter()
            .map(Some)
            .collect();
        for i in order {
            if let Some(p) = old[i].take() {
                kept.push(p);
                impacts.push(self.impacts[i]);
            }
        }
        self.kept = kept;
        self.impacts = impacts;
    }
}

/// An impact with a total order, for selection.
#[derive(Clone, Copy, PartialEq)]
struct OrderedImpact(f32);

impl Eq for OrderedImpact {}

impl PartialOrd for OrderedImpact {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedImpact {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Everything the pages contributed, merged.
struct Finished {
    terms: Vec<(TermKey, TermAcc)>,
    words: KeyMap<String>,
    pages: Vec<PageExtras>,
    length_sum: u64,
}

/// A heading of a page: id, text, position.
type HeadingAt = (String, String, u32);
/// A page's headings and its snippet passages (position, text).
type PageExtras = (Vec<HeadingAt>, Vec<(u32, String)>);

/// Per-term accumulators and per-page data (headings and passages), for a run of pages.
#[derive(Default)]
struct Accumulator {
    terms: KeyMap<TermAcc>,
    words: KeyMap<String>,
    docs: Vec<(u32, PageExtras)>,
    length_sum: u64,
}

impl Accumulator {
    fn add(&mut self, doc: u32, index: DocIndex, average: f64) {
        for (key, posting) in index.terms {
            let acc = self.terms.entry(key).or_default();
            acc.df += 1;
            acc.push(posting, index.length, average);
        }
        self.words.extend(index.words);
        self.length_sum += u64::from(index.length);
        self.docs.push((doc, (index.headings, index.passages)));
    }

    fn merge(mut self, other: Accumulator) -> Accumulator {
        for (key, mut acc) in other.terms {
            let mine = self.terms.entry(key).or_default();
            mine.df += acc.df;
            mine.docs.append(&mut acc.docs);
            mine.kept.append(&mut acc.kept);
            mine.impacts.append(&mut acc.impacts);
            mine.prune();
        }
        self.words.extend(other.words);
        self.length_sum += other.length_sum;
        self.docs.extend(other.docs);
        self
    }

    /// Terms with their final postings (in page order), word texts, per-page data in
    /// page order, and the sum of page lengths.
    fn finish(self) -> Finished {
        let mut terms: Vec<(TermKey, TermAcc)> = self.terms.into_iter().collect();
        terms.par_iter_mut().for_each(|(_, acc)| {
            acc.prune();
            acc.kept.sort_by_key(|p| p.0.doc);
            acc.docs.sort_unstable();
        });
        let mut docs = self.docs;
        docs.sort_by_key(|d| d.0);
        Finished {
            terms,
            words: self.words,
            pages: docs.into_iter().map(|d| d.1).collect(),
            length_sum: self.length_sum,
        }
    }
}

fn section_names(site: &Site, pages: &[usize]) -> Vec<String> {
    let mut names: Vec<String> = pages
        .iter()
        .map(|&p| site.sections[site.pages[p].section].title.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn topic_names(site: &Site, pages: &[usize]) -> Vec<String> {
    let Some(t) = site
        .taxonomies
        .iter()
        .position(|t| t.key == crate::timeline::TOPICS_KEY)
    else {
        return Vec::new();
    };
    let mut names: Vec<String> = pages
        .iter()
        .flat_map(|&p| {
            site.pages[p].terms[t]
                .iter()
                .map(|&i| site.taxonomies[t].terms[i].name.clone())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `[title, url, section, date, date_iso, [topics], [[heading id, title, position]]]`;
/// the URL is relative to the site root.
fn record(
    site: &Site,
    page: usize,
    headings: &[(String, String, u32)],
    sections: &[String],
    topics: &[String],
) -> Value {
    let p = &site.pages[page];
    let section = &site.sections[p.section].title;
    let topic_ids: Vec<usize> = site
        .taxonomies
        .iter()
        .position(|t| t.key == crate::timeline::TOPICS_KEY)
        .map(|t| {
            p.terms[t]
                .iter()
                .filter_map(|&i| {
                    topics
                        .iter()
                        .position(|n| *n == site.taxonomies[t].terms[i].name)
                })
                .collect()
        })
        .unwrap_or_default();
    json!([
        p.page.front.title,
        // The output path, unencoded: search.js encodes it; Chinese is a third the size.
        p.output,
        sections.iter().position(|s| s == section),
        p.page
            .front
            .dates
            .map(|d| d.to_string())
            .unwrap_or_default(),
        p.page
            .front
            .dates
            .map(|d| d.start.iso())
            .unwrap_or_default(),
        topic_ids,
        headings,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_use_fnv1a_like_search_js() {
        // FNV-1a 32 of the UTF-8 bytes; tests/browser/search.test.mjs checks search.js
        // against the same values.
        assert_eq!(bucket_of("下党", u32::MAX), 1_563_985_234);
        assert_eq!(bucket_of("a", u32::MAX), 3_826_002_220);
        assert_eq!(bucket_of("casebook", u32::MAX), 1_380_254_436);
        assert_eq!(bucket_of("四下", 64), 4_199_536_795 % 64);
    }

    #[test]
    fn base64_is_standard() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(base64(&[0xff, 0x00, 0x81]), "/wCB");
    }

    #[test]
    fn word_starts_follow_the_vocabulary() {
        let vocabulary = Vocabulary::new(
            ["下党乡", "基层"]
                .iter()
                .map(|w| w.chars().collect())
                .collect(),
        );
        let (tokens, _) = tokenize_from("到下党乡，乡下党员", 0);
        let starts = word_starts(&tokens, &vocabulary);
        let position_of = |i: usize| tokens[i].position();
        assert!(starts.contains(&position_of(1)), "下党乡 starts at 下");
        assert!(
            !starts.contains(&position_of(6)),
            "下 inside 乡下党员 is not a word start"
        );
        assert!(
            starts.contains(&position_of(4)),
            "a run after punctuation starts a word"
        );
    }
}
