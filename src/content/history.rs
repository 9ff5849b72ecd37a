//! When each content file was last committed, read from one `git log` over `content/`
//! (never one process per file): the publication date of pages that give none. Never
//! the file's mtime, which every checkout changes and which would make builds differ.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use unicode_normalization::UnicodeNormalization;

use super::CONTENT_DIR;
use crate::moment::Timestamp;

/// Marks the start of a commit in the log, before its committer time.
const COMMIT_MARK: char = '\u{1}';

/// A `git log` started before the content folder is walked, so the two overlap.
pub(crate) struct PendingHistory(Option<Child>);

/// The last commit time of each file under `content/`, by its path from the site root
/// (`content/cases/三进下党.md`, `/`-separated, NFC). Empty when git is missing or the
/// site is not in a git repository.
#[derive(Debug, Default)]
pub(crate) struct History(HashMap<String, Timestamp>);

/// The commit checked out in `root`'s repository, if it is in one: the history changes
/// only when this does.
pub(crate) fn head(root: &Path) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

impl PendingHistory {
    /// Starts `git log` in `root`. Paths come back relative to the root (`--relative`)
    /// and verbatim (`-z`: never quoted, whatever `core.quotepath` says).
    pub(crate) fn start(root: &Path) -> PendingHistory {
        let child = Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "log",
                "-z",
                "--no-renames",
                "--no-show-signature",
                "--relative",
                "--name-only",
                "--format=%x01%cI",
                "--",
                CONTENT_DIR,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        PendingHistory(child.ok())
    }

    /// Waits for the log and reads it; any failure (no git, not a repository) is an
    /// empty history.
    pub(crate) fn finish(self) -> History {
        let Some(child) = self.0 else {
            return History::default();
        };
        match child.wait_with_output() {
            Ok(output) if output.status.success() => History::parse(&output.stdout),
            _ => History::default(),
        }
    }
}

impl History {
    /// Reads `git log -z --name-only --format=%x01%cI` output: newest commit first, so
    /// the first time a path appears is its last commit.
    fn parse(log: &[u8]) -> History {
        let mut last = HashMap::new();
        let mut current = None;
        for field in log.split(|&b| b == 0) {
            let Ok(field) = std::str::from_utf8(field) else {
                continue;
            };
            // A commit's file list starts on the line after its format line.
            let field = field.strip_prefix('\n').unwrap_or(field);
            if let Some(time) = field.strip_prefix(COMMIT_MARK) {
                current = Timestamp::parse(time).ok();
            } else if let Some(time) = current
                && !field.is_empty()
            {
                last.entry(field.nfc().collect()).or_insert(time);
            }
        }
        History(last)
    }

    /// The last commit of `file` (relative to the site root), if it was committed.
    pub(crate) fn last_commit(&self, file: &Path) -> Option<Timestamp> {
        let key: String = file.to_str()?.replace('\\', "/").nfc().collect();
        self.0.get(&key).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_each_path_wins() {
        let log = "\u{1}2024-03-02T00:00:00Z\0\ncontent/c.md\0content/cases/三进下党.md\0\
                   \u{1}2024-02-02T03:04:05+08:00\0\ncontent/a\nb.md\0content/c.md\0\
                   \u{1}2024-01-01T00:00:00Z\0\0";
        let history = History::parse(log.as_bytes());
        let time = |p: &str| history.last_commit(Path::new(p)).map(|t| t.rfc3339());
        assert_eq!(
            time("content/c.md").as_deref(),
            Some("2024-03-02T00:00:00Z")
        );
        assert_eq!(
            time("content/cases/三进下党.md").as_deref(),
            Some("2024-03-02T00:00:00Z")
        );
        assert_eq!(
            time("content/a\nb.md").as_deref(),
            Some("2024-02-02T03:04:05+08:00")
        );
        assert_eq!(time("content/never.md"), None);
    }

    #[test]
    fn decomposed_names_match_their_composed_form() {
        // macOS writes names decomposed (e + U+0301); casebook keeps them composed.
        let history =
            History::parse("\u{1}2024-03-02T00:00:00Z\0\ncontent/cafe\u{301}.md\0".as_bytes());
        assert!(
            history
                .last_commit(Path::new("content/caf\u{e9}.md"))
                .is_some()
        );
    }
}
