//! The search tokenizer. `themes/default/static/search.js` holds a copy of these rules in
//! JavaScript; `tests/search-tokens.json` pins both to the same output, so the index and
//! the query can never disagree.
//!
//! Text is folded with NFKC (full-width letters and digits to half-width) and lowercased.
//! Runs of Han characters and digits are split into characters, one position each; any
//! other letters form words, one position each. Everything else separates, and breaks a
//! run: a position is skipped, so `四下无人，基层` never holds the phrase `四下基层`.

use unicode_normalization::UnicodeNormalization;

use crate::cjk::is_han;

/// One token and its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// A Han character or a digit.
    Char(char, u32),
    /// A word of other letters (Latin, …).
    Word(String, u32),
}

impl Token {
    /// The token's position.
    pub(crate) fn position(&self) -> u32 {
        match self {
            Token::Char(_, p) | Token::Word(_, p) => *p,
        }
    }
}

/// Characters that make up runs: Han and the ASCII digits (after NFKC).
pub(crate) fn is_run_char(c: char) -> bool {
    is_han(c) || c.is_ascii_digit()
}

/// Letters that make up words.
fn is_word_char(c: char) -> bool {
    !is_run_char(c) && (c.is_alphabetic() || c.is_numeric())
}

/// NFKC, then lowercase.
pub(crate) fn normalize(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// Tokenizes normalized `text`, numbering positions from `first`. Returns the tokens and
/// the next free position.
pub(crate) fn tokenize_from(text: &str, first: u32) -> (Vec<Token>, u32) {
    let mut tokens = Vec::new();
    let mut position = first;
    let mut word = String::new();
    let mut gap = false;
    let flush = |word: &mut String, tokens: &mut Vec<Token>, position: &mut u32| {
        if !word.is_empty() {
            tokens.push(Token::Word(std::mem::take(word), *position));
            *position += 1;
        }
    };
    for c in text.chars() {
        if is_run_char(c) {
            flush(&mut word, &mut tokens, &mut position);
            if gap {
                position += 1;
                gap = false;
            }
            tokens.push(Token::Char(c, position));
            position += 1;
        } else if is_word_char(c) {
            if gap {
                position += 1;
                gap = false;
            }
            word.push(c);
        } else {
            flush(&mut word, &mut tokens, &mut position);
            gap = true;
        }
    }
    flush(&mut word, &mut tokens, &mut position);
    (tokens, position + 1)
}

/// Tokenizes `text` (normalizing it first) from position 0.
#[cfg(test)]
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    tokenize_from(&normalize(text), 0).0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared expectations for the Rust and JavaScript tokenizers.
    #[derive(serde::Deserialize)]
    struct Case {
        text: String,
        tokens: Vec<(String, u32)>,
    }

    fn flat(tokens: &[Token]) -> Vec<(String, u32)> {
        tokens
            .iter()
            .map(|t| match t {
                Token::Char(c, p) => (c.to_string(), *p),
                Token::Word(w, p) => (w.clone(), *p),
            })
            .collect()
    }

    #[test]
    fn matches_the_shared_expectations() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search-tokens.json");
        let cases: Vec<Case> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert!(cases.len() >= 10);
        for case in cases {
            assert_eq!(flat(&tokenize(&case.text)), case.tokens, "{}", case.text);
        }
    }

    #[test]
    fn punctuation_breaks_adjacency() {
        let t = tokenize("四下，基层");
        assert_eq!(t[1].position() + 1, 2);
        assert_eq!(t[2].position(), 3, "a gap after the comma");
    }
}
