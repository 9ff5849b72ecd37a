//! Problems found in a site's files: each names the file and, where known, the line, so
//! that one build can report every problem at once instead of stopping at the first.

use std::fmt;
use std::path::PathBuf;

use crate::messages::{self, Lang, Text};

/// One thing wrong with the site's input, located as precisely as we know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file at fault, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line in `file`, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column (in characters) on `line`.
    pub column: Option<usize>,
    /// What is wrong and, where we can tell, what to do about it.
    pub message: Text,
}

impl Problem {
    /// A problem with a whole file.
    pub fn in_file(file: impl Into<PathBuf>, message: impl Into<Text>) -> Problem {
        Problem {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// A problem at a line (and optionally a column) of a file.
    pub fn at(
        file: impl Into<PathBuf>,
        line: usize,
        column: Option<usize>,
        message: impl Into<Text>,
    ) -> Problem {
        Problem {
            file: file.into(),
            line: Some(line),
            column,
            message: message.into(),
        }
    }
}

impl Problem {
    /// `path:line:col: label: message`, the form editors' tools (VS Code, vim's
    /// quickfix) jump from.
    pub fn show(&self, label: &str, lang: Lang) -> String {
        format!(
            "{}: {label}: {}",
            location(&self.file.display().to_string(), self.line, self.column),
            self.message.get(lang)
        )
    }
}

/// `path`, `path:line` or `path:line:col`.
pub(crate) fn location(file: &str, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
        (Some(line), None) => format!("{file}:{line}"),
        _ => file.to_owned(),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display().to_string();
        write!(
            f,
            "{}: {}",
            location(&file, self.line, self.column),
            self.message
        )
    }
}

/// Every problem found by one run, in a stable order (by file, then line).
#[derive(Debug)]
pub struct Problems(pub Vec<Problem>);

/// How many problems are printed before the rest are only counted.
const SHOWN_AT_MOST: usize = 100;

impl Problems {
    /// Every problem, one `path:line:col: 错误: …` line each, then a count.
    pub fn report(&self, lang: Lang) -> String {
        let mut out = String::new();
        for problem in self.0.iter().take(SHOWN_AT_MOST) {
            out += &problem.show(messages::error_label(lang), lang);
            out.push('\n');
        }
        if self.0.len() > SHOWN_AT_MOST {
            out += messages::and_more(self.0.len() - SHOWN_AT_MOST).get(lang);
            out.push('\n');
        }
        out += messages::problems_found(self.0.len()).get(lang);
        out
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report(Lang::En))
    }
}

impl std::error::Error for Problems {}

impl Problems {
    /// The problems in a stable order (by file, then line), without repeats.
    pub fn new(mut problems: Vec<Problem>) -> Problems {
        problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        problems.dedup();
        Problems(problems)
    }

    /// Turns a non-empty list into an error.
    pub fn into_result(problems: Vec<Problem>) -> Result<(), Problems> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Problems::new(problems))
        }
    }
}

/// A command used wrongly (exit code 2), as opposed to a problem in the site (exit 1).
#[derive(Debug)]
pub struct UsageError(pub Text);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for UsageError {}

/// Something outside the site's files that stopped the run (the disk refused a write, a
/// port was taken), said in both languages; exit 1.
#[derive(Debug)]
pub struct Failure(pub Text);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for Failure {}

/// Finds the 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The known name closest to `unknown`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(unknown, k), k))
        .filter(|&(d, k)| {
            d <= (k.chars().count() / 3).max(2) || k.starts_with(unknown) || unknown.starts_with(k)
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let known = ["title", "tags", "summary", "end_date"];
        assert_eq!(did_you_mean("tag", known), Some("tags"));
        assert_eq!(did_you_mean("titel", known), Some("title"));
        assert_eq!(did_you_mean("enddate", known), Some("end_date"));
        assert_eq!(did_you_mean("colour", known), None);
    }

    #[test]
    fn counts_lines_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
