//! What one page gives the index: every term it holds (single characters, character
//! pairs, words of other letters, pinyin of its title, places and topics), weighed by
//! where it stands, and the page's text as readers see it, for snippets and phrase checks.

use std::collections::{HashMap, HashSet};

use pinyin::ToPinyin;
use rustc_hash::FxHashMap;

use crate::cjk::is_han;
use crate::site::Site;

use super::encode::{hash, hash_bytes};
use super::tokenize::{Token, normalize, tokenize_from};

/// How much an occurrence counts, by where it stands.
const TITLE_WEIGHT: f32 = 3.0;
const HEADING_WEIGHT: f32 = 2.0;
const BODY_WEIGHT: f32 = 1.0;
/// A pair that does not start a word of the site's vocabulary counts this much: 下党
/// inside 乡下党员 ranks below 下党 in 下党乡.
const INSIDE_WORD: f32 = 0.5;
/// Longest word of the site's vocabulary used for word boundaries.
const MAX_WORD_CHARS: usize = 8;

/// One page's part of the index.
pub(super) struct PageTerms {
    /// How many tokens the page has, for length normalisation.
    pub length: u32,
    /// Each term once: its number, its weighted count, and for a pair the characters
    /// that follow it (bit `c % 4` of each), so a longer phrase can be ruled out early.
    pub terms: Vec<(u32, f32, u8)>,
    /// Words of other letters, and pinyin, for prefix lookups.
    pub words: Vec<String>,
    /// The body text, one line per block, as written.
    pub text: String,
    /// Headings: id, and where the heading's line starts in `text` (UTF-16 units, as
    /// JavaScript counts); its title is that line.
    pub headings: Vec<(String, u32)>,
}

/// Terms of `site.pages[page]`.
pub(super) fn page_terms(site: &Site, page: usize, vocabulary: &Vocabulary) -> PageTerms {
    let page = &site.pages[page];
    let mut counts = Counts::default();
    let mut words = Vec::new();
    let mut length = counts.add_text(&page.front().title, TITLE_WEIGHT, vocabulary, &mut words);

    // Pinyin of the title and of the page's places and topics: 三进下党 is found by
    // `sanjinxiadang` and `sjxd`.
    let mut names = vec![page.front().title.as_str()];
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        names.extend(
            page.terms[t]
                .iter()
                .map(|&i| taxonomy.terms[i].name.as_str()),
        );
    }
    for name in names {
        for word in pinyin_words(name) {
            counts.add(hash(&word), TITLE_WEIGHT, 0);
            words.push(word);
        }
    }

    let text = page.rendered().plain.clone();
    let mut headings = Vec::new();
    let mut toc = page.rendered().toc.iter().peekable();
    let mut offset = 0u32;
    for line in text.lines() {
        let is_heading = toc.peek().is_some_and(|h| h.title.trim() == line.trim());
        let weight = if is_heading && let Some(h) = toc.next() {
            headings.push((h.id.clone(), offset));
            HEADING_WEIGHT
        } else {
            BODY_WEIGHT
        };
        length += counts.add_text(line, weight, vocabulary, &mut words);
        offset += line.encode_utf16().count() as u32 + 1;
    }
    words.sort_unstable();
    words.dedup();
    PageTerms {
        length,
        terms: counts.0.into_iter().map(|(k, (w, m))| (k, w, m)).collect(),
        words,
        text,
        headings,
    }
}

/// Weighted counts and follower masks by term number.
#[derive(Default)]
struct Counts(FxHashMap<u32, (f32, u8)>);

impl Counts {
    fn add(&mut self, term: u32, weight: f32, follower: u8) {
        let entry = self.0.entry(term).or_default();
        entry.0 += weight;
        entry.1 |= follower;
    }

    /// Adds the terms of one line of text; returns its token count.
    fn add_text(
        &mut self,
        text: &str,
        weight: f32,
        vocabulary: &Vocabulary,
        words: &mut Vec<String>,
    ) -> u32 {
        let (tokens, _) = tokenize_from(&normalize(text), 0);
        let starts = word_starts(&tokens, vocabulary);
        let char_at = |i: usize, position: u32| match tokens.get(i) {
            Some(&Token::Char(c, p)) if p == position => Some(c),
            _ => None,
        };
        for (i, token) in tokens.iter().enumerate() {
            match token {
                Token::Word(w, _) => {
                    self.add(hash(w), weight, 0);
                    words.push(w.clone());
                }
                &Token::Char(c, p) => {
                    let mut buffer = [0u8; 8];
                    let first = c.encode_utf8(&mut buffer).len();
                    self.add(hash_bytes(&buffer[..first]), weight, 0);
                    if let Some(next) = char_at(i + 1, p + 1) {
                        let second = next.encode_utf8(&mut buffer[first..]).len();
                        let follower = char_at(i + 2, p + 2).map_or(0, |f| 1 << (f as u32 % 4));
                        let aligned = if starts.contains(&p) {
                            1.0
                        } else {
                            INSIDE_WORD
                        };
                        self.add(
                            hash_bytes(&buffer[..first + second]),
                            weight * aligned,
                            follower,
                        );
                    }
                }
            }
        }
        tokens.len() as u32
    }
}

/// Full pinyin and initials of each run of Han characters in `name` (two or more).
fn pinyin_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for run in name.split(|c: char| !is_han(c)) {
        if run.chars().count() < 2 {
            continue;
        }
        let (mut full, mut initials) = (String::new(), String::new());
        for syllable in run.to_pinyin().flatten() {
            full.push_str(syllable.plain());
            initials.push_str(syllable.first_letter());
        }
        if !full.is_empty() {
            words.push(full);
            words.push(initials);
        }
    }
    words
}

/// The site's own words (its places and topics), which mark word boundaries: 下党 in
/// 下党乡 starts a word, 下党 in 乡下党员 does not.
pub(super) struct Vocabulary {
    words: HashSet<Vec<char>>,
    longest: HashMap<char, usize>,
}

impl Vocabulary {
    /// The names of every taxonomy term and every event's place.
    pub(super) fn of_site(site: &Site) -> Vocabulary {
        let mut words = HashSet::new();
        let mut add = |text: &str| {
            for run in normalize(text).split(|c: char| !is_han(c)) {
                let chars: Vec<char> = run.chars().collect();
                if (2..=MAX_WORD_CHARS).contains(&chars.len()) {
                    // A place's name without its 乡/县/镇… is a word too: 下党乡 → 下党.
                    if chars.len() > 2 && "乡县镇村市区省州".contains(chars[chars.len() - 1])
                    {
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
        for page in &site.pages {
            for event in &page.front().events {
                if let Some(place) = &event.place {
                    add(place);
                }
            }
        }
        Vocabulary::new(words)
    }

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

/// Positions (of `tokens`) where a word starts: the start of each run of characters, and
/// wherever a vocabulary word begins (longest match first, left to right).
fn word_starts(tokens: &[Token], vocabulary: &Vocabulary) -> HashSet<u32> {
    let mut starts = HashSet::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Char(_, first) = tokens[i] else {
            starts.insert(tokens[i].position());
            i += 1;
            continue;
        };
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
        if !vocabulary.words.is_empty() {
            let mut k = 0;
            while k < run.len() {
                if let Some(n) = vocabulary.longest_at(&run[k..]) {
                    starts.insert(first + k as u32);
                    k += n;
                } else {
                    k += 1;
                }
            }
        }
        i = j;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn pinyin_gives_full_syllables_and_initials() {
        assert_eq!(
            pinyin_words("三进下党"),
            ["sanjinxiadang".to_owned(), "sjxd".to_owned()]
        );
        assert_eq!(pinyin_words("A 寿宁县"), ["shouningxian", "snx"]);
        assert!(pinyin_words("党").is_empty(), "one character is no word");
    }
}
