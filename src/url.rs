//! URL segments: checking slugs so nothing is written outside the output folder, and
//! percent-encoding paths (Chinese kept in file names, encoded in links).

use std::fmt::Write;

/// Checks that `slug` is one safe URL segment; the error says why it is refused.
pub fn check_slug(slug: &str) -> Result<(), String> {
    let refuse = |why: &str| Err(format!("slug `{slug}` is not allowed: {why}"));
    if slug.trim().is_empty() {
        return refuse("it is empty");
    }
    if slug == "." || slug == ".." || slug.starts_with('.') {
        return refuse("a slug may not start with `.`");
    }
    if slug.contains(['/', '\\']) {
        return refuse("a slug is one URL segment, without `/` or `\\`");
    }
    if slug
        .chars()
        .any(|c| c.is_control() || matches!(c, '?' | '#' | '%' | ':' | '*' | '"' | '<' | '>' | '|'))
    {
        return refuse(
            "it holds a character that cannot stand in a file name or URL (? # % : * \" < > | or a control character)",
        );
    }
    Ok(())
}

/// Percent-encodes a `/`-separated path, keeping `/` and unreserved ASCII.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_slugs_that_leave_their_folder() {
        for bad in [
            "../../x", "..", ".", "a/b", "a\\b", "", " ", ".hidden", "a?b", "a\u{0}b",
        ] {
            assert!(check_slug(bad).is_err(), "{bad:?} accepted");
        }
        for good in ["三进下党", "jinjiang-1996", "七下晋江 经验"] {
            assert!(check_slug(good).is_ok(), "{good:?} refused");
        }
    }

    #[test]
    fn encodes_chinese_and_spaces() {
        assert_eq!(encode_path("/cases/下党/"), "/cases/%E4%B8%8B%E5%85%9A/");
        assert_eq!(encode_path("a b#c"), "a%20b%23c");
    }
}
