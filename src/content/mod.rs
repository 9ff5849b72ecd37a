//! Reading content files: the only code that reads `content/`. So far it splits a file's
//! YAML front matter from its Markdown body.

/// A content file's text split at its front matter fences.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitFile<'a> {
    /// The YAML between the `---` lines; it always starts on line 2 of the file.
    pub front_matter: &'a str,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// The 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Splits `text` (BOM and CRLF accepted) into front matter and body.
pub fn split_front_matter(text: &str) -> Result<SplitFile<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let missing = "no front matter: start the file with a `---` line, then `title: …`, then `---`";
    let after_open = text
        .strip_prefix("---\r\n")
        .or_else(|| text.strip_prefix("---\n"))
        .ok_or(missing)?;
    let mut offset = 0;
    for (line, raw_line) in (2..).zip(after_open.split_inclusive('\n')) {
        if raw_line.trim_end_matches(['\r', '\n']) == "---" {
            return Ok(SplitFile {
                front_matter: &after_open[..offset],
                body: &after_open[offset + raw_line.len()..],
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err("the front matter is not closed: add a `---` line after its last field".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_bom_and_crlf() {
        let s = split_front_matter("\u{feff}---\r\ntitle: 三进下党\r\n---\r\n正文\r\n").unwrap();
        assert_eq!(s.front_matter, "title: 三进下党\r\n");
        assert_eq!(s.body, "正文\r\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_front_matter_only_and_empty_body() {
        let s = split_front_matter("---\ntitle: x\n---").unwrap();
        assert_eq!((s.front_matter, s.body), ("title: x\n", ""));
    }

    #[test]
    fn explains_missing_or_unclosed_front_matter() {
        assert!(
            split_front_matter("# 标题\n")
                .unwrap_err()
                .contains("start the file")
        );
        assert!(
            split_front_matter("---\ntitle: x\n")
                .unwrap_err()
                .contains("not closed")
        );
    }
}
