//! The search index, built from the assembled site (never by re-reading HTML) and written
//! as small script files that `search.js` loads on demand, so search works on any static
//! host, under any subpath and from `file://`.
//!
//! Every page holding a term is listed under it: nothing is cut, so a phrase is found on
//! every page that has it, however common its characters. Lists say which pages hold a
//! term and how much it weighs there, not where: positions would make the index several
//! times the size of the text. A phrase is matched by its character pairs, and then
//! checked against the page's own text, which search.js loads anyway for the snippet.
//!
//! Layout (all under `search/`; binary parts are zlib streams in base64, see `encode`):
//! - `meta.js`: counts, section and topic names, the commonest terms.
//! - `t/<b>.js`: term bucket `b` (by hash): for each term its page list, each page with
//!   a weight (BM25's term part, length-normalised, in 15 steps) and, for a pair, which
//!   characters follow it. A list over 4 kB has a file of its own, `h/<hash>.js`.
//! - `r/<n>.js`: page n's record: title, URL, section, date, topics, headings.
//! - `s/<n>.js`: page n's text, as written, for the snippet and the phrase check.
//! - `f.js`: every page's section and topics, for the search page's filters.
//! - `w/<k>.js`: words of other letters and pinyin, sorted, for prefix matches.

mod encode;
mod terms;
pub(crate) mod tokenize;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::site::Site;
use encode::{blob, hash, push_varint, script};
use terms::{PageTerms, Vocabulary, page_terms};

/// A term's page list longer than this (bytes before compression) gets its own file, so
/// a bucket stays small for the rare terms that share it.
const OWN_FILE_BYTES: usize = 4096;
/// Bytes of page lists a bucket aims at before compression.
const BUCKET_BYTES: usize = 6000;
/// Words a prefix file aims at.
const WORDS_PER_FILE: usize = 400;
/// How many of the commonest terms meta.js names.
const COMMON_TERMS: usize = 64;
/// BM25's parameters.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A file of the index: path under the output root, JavaScript text.
type File = (String, String);

/// The index's files, or `None` as soon as `stale` says they are no longer wanted (the
/// dev server's site changed again while they were being built).
pub(crate) fn build(site: &Site, stale: &(dyn Fn() -> bool + Sync)) -> Option<Vec<File>> {
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
    let vocabulary = Vocabulary::of_site(site);
    // Tokenizing is most of the work: each page first asks whether it is still wanted.
    let indexed: Vec<PageTerms> = pages
        .par_iter()
        .map(|&page| (!stale()).then(|| page_terms(site, page, &vocabulary)))
        .collect::<Option<_>>()?;

    let mut files = Vec::new();
    let (buckets, common) = term_files(&indexed, &mut files);
    if stale() {
        return None;
    }
    let sections = section_names(site, &pages);
    let topics = topic_names(site, &pages);
    files.par_extend(pages.par_iter().zip(&indexed).enumerate().flat_map_iter(
        |(doc, (&page, terms))| {
            [
                (
                    format!("search/r/{doc}.js"),
                    script("r", doc, &record(site, page, terms, &sections, &topics)),
                ),
                (
                    format!("search/s/{doc}.js"),
                    script("s", doc, &json!(blob(terms.text.as_bytes())).to_string()),
                ),
            ]
        },
    ));
    files.push((
        "search/f.js".to_owned(),
        script("f", 0, &facets(site, &pages, &sections, &topics)),
    ));
    let word_files = word_files(&indexed, &mut files);
    let meta = json!({
        "version": 2,
        "docs": pages.len(),
        "buckets": buckets,
        "wordFiles": word_files,
        "snippet": config.snippet_length,
        "sections": sections,
        "topics": topics,
        "common": common,
    });
    files.push((
        "search/meta.js".to_owned(),
        script("meta", 0, &meta.to_string()),
    ));
    Some(files)
}

/// One page under one term: (term, page, weight in the low four bits and follower
/// mask in the high four).
type Entry = (u32, u32, u8);

/// Writes the term buckets and the files of long lists. Returns the bucket count and
/// the commonest terms as `[hash, pages]`.
fn term_files(indexed: &[PageTerms], files: &mut Vec<File>) -> (u32, Vec<[u32; 2]>) {
    let average =
        indexed.iter().map(|p| f64::from(p.length)).sum::<f64>() / indexed.len().max(1) as f64;
    let total: usize = indexed.iter().map(|p| p.terms.len()).sum();
    // About two bytes an entry before compression.
    let buckets = (2 * total / BUCKET_BYTES)
        .next_power_of_two()
        .clamp(1, 1 << 16) as u32;
    let shift = buckets.trailing_zeros();

    // Entries grouped by bucket (a counting sort), then sorted within each bucket.
    let mut counts = vec![0usize; buckets as usize + 1];
    for page in indexed {
        for &(term, _, _) in &page.terms {
            counts[(term & (buckets - 1)) as usize + 1] += 1;
        }
    }
    for b in 1..counts.len() {
        counts[b] += counts[b - 1];
    }
    let starts = counts.clone();
    let mut entries: Vec<Entry> = vec![(0, 0, 0); total];
    for (doc, page) in indexed.iter().enumerate() {
        let norm = 1.0 - B + B * page.length as f32 / average.max(1.0) as f32;
        for &(term, weight, follower) in &page.terms {
            let bm25 = weight * (K1 + 1.0) / (weight + K1 * norm);
            let level = (bm25 / (K1 + 1.0) * 15.0).round().clamp(1.0, 15.0) as u8;
            let slot = &mut counts[(term & (buckets - 1)) as usize];
            entries[*slot] = (term, doc as u32, level | follower << 4);
            *slot += 1;
        }
    }
    let mut slices = Vec::with_capacity(buckets as usize);
    let mut rest = entries.as_mut_slice();
    for b in 0..buckets as usize {
        let (head, tail) = rest.split_at_mut(starts[b + 1] - starts[b]);
        slices.push(head);
        rest = tail;
    }
    let written: Vec<(Vec<File>, Vec<[u32; 2]>)> = slices
        .into_par_iter()
        .enumerate()
        .map(|(b, slice)| {
            slice.sort_unstable();
            bucket_files(b, slice, shift)
        })
        .collect();
    let mut common = Vec::new();
    for (mut bucket, mut frequent) in written {
        files.append(&mut bucket);
        common.append(&mut frequent);
    }
    common.sort_unstable_by(|a, b| b[1].cmp(&a[1]).then(a[0].cmp(&b[0])));
    common.truncate(COMMON_TERMS);
    (buckets, common)
}

/// Bucket `b`'s file, the files of its long lists, and its terms with their page counts
/// (only the ones that could be among the commonest).
///
/// A bucket is `count`, then per term: the hash above the bucket bits (delta-coded),
/// the number of pages `n` as `n << 1 | 1` when the list is in `h/<hash>.js` and
/// `n << 1` when it follows here.
/// A list is the page numbers (delta-coded), then a byte per page: follower mask << 4 |
/// weight. Apart, each kind of number compresses better.
fn bucket_files(b: usize, entries: &[Entry], shift: u32) -> (Vec<File>, Vec<[u32; 2]>) {
    let mut files = Vec::new();
    let mut frequent = Vec::new();
    let mut bucket = Vec::new();
    let mut terms = 0u64;
    let mut previous_key = 0;
    let mut list = Vec::new();
    for run in entries.chunk_by(|a, b| a.0 == b.0) {
        let term = run[0].0;
        list.clear();
        let mut previous_doc = 0;
        for &(_, doc, _) in run {
            push_varint(&mut list, u64::from(doc - previous_doc));
            previous_doc = doc;
        }
        list.extend(run.iter().map(|e| e.2));
        terms += 1;
        push_varint(&mut bucket, u64::from((term >> shift) - previous_key));
        previous_key = term >> shift;
        let own_file = list.len() > OWN_FILE_BYTES;
        push_varint(&mut bucket, (run.len() as u64) << 1 | u64::from(own_file));
        if own_file {
            files.push((
                format!("search/h/{term:08x}.js"),
                script("h", format!("{term:08x}"), &json!(blob(&list)).to_string()),
            ));
            frequent.push([term, run.len() as u32]);
        } else {
            bucket.extend_from_slice(&list);
        }
    }
    let mut packed = Vec::with_capacity(bucket.len() + 10);
    push_varint(&mut packed, terms);
    packed.extend_from_slice(&bucket);
    files.push((
        format!("search/t/{b}.js"),
        script("t", b, &json!(blob(&packed)).to_string()),
    ));
    (files, frequent)
}

/// Sorted words of other letters and pinyin, in files by a hash of their first two
/// characters (`w/<k>.js`). Returns the number of files.
fn word_files(indexed: &[PageTerms], files: &mut Vec<File>) -> u32 {
    let mut words: Vec<&str> = indexed
        .iter()
        .flat_map(|p| p.words.iter().map(String::as_str))
        .collect();
    words.sort_unstable();
    words.dedup();
    let count = (words.len() / WORDS_PER_FILE)
        .next_power_of_two()
        .clamp(1, 1 << 12) as u32;
    let mut groups: Vec<Vec<&str>> = vec![Vec::new(); count as usize];
    for word in words {
        let head: String = word.chars().take(2).collect();
        groups[(hash(&head) % count) as usize].push(word);
    }
    for (k, group) in groups.iter().enumerate() {
        files.push((
            format!("search/w/{k}.js"),
            script("w", k, &json!(group).to_string()),
        ));
    }
    count
}

/// `[title, url, section, date, [topics], [[heading id, offset in the text]]]`;
/// the URL is relative to the site root.
fn record(
    site: &Site,
    page: usize,
    terms: &PageTerms,
    sections: &[String],
    topics: &[String],
) -> String {
    let p = &site.pages[page];
    json!([
        p.front().title,
        // The output path, unencoded: search.js encodes it; Chinese is a third the size.
        p.output,
        section_of(site, page, sections),
        p.page
            .front
            .dates
            .map(|d| d.to_string())
            .unwrap_or_default(),
        topics_of(site, page, topics),
        terms.headings,
    ])
    .to_string()
}

/// Each page's section and topics: `[[section, [topics]], …]`, for filtering.
fn facets(site: &Site, pages: &[usize], sections: &[String], topics: &[String]) -> String {
    let all: Vec<Value> = pages
        .iter()
        .map(|&p| json!([section_of(site, p, sections), topics_of(site, p, topics)]))
        .collect();
    Value::from(all).to_string()
}

fn section_of(site: &Site, page: usize, sections: &[String]) -> Option<usize> {
    let title = &site.sections[site.pages[page].section].title;
    sections.iter().position(|s| s == title)
}

fn topics_of(site: &Site, page: usize, topics: &[String]) -> Vec<usize> {
    let Some(t) = topic_taxonomy(site) else {
        return Vec::new();
    };
    site.pages[page].terms[t]
        .iter()
        .filter_map(|&i| {
            topics
                .iter()
                .position(|n| *n == site.taxonomies[t].terms[i].name)
        })
        .collect()
}

fn topic_taxonomy(site: &Site) -> Option<usize> {
    site.taxonomies
        .iter()
        .position(|t| t.key == site.config.timeline_topics)
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
    let Some(t) = topic_taxonomy(site) else {
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
