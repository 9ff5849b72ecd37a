//! URL segments: checking slugs so nothing is written outside the output folder, and
//! percent-encoding paths (Chinese kept in file names, encoded in links).

use std::fmt::Write;

use crate::messages::{self, Text};

/// Checks that `slug` is one safe URL segment; the error says why it is refused (the
/// caller says what the name was and what to do).
pub(crate) fn check_slug(slug: &str) -> Result<(), Text> {
    if slug.trim().is_empty() {
        return Err(messages::slug_empty());
    }
    if slug.starts_with('.') {
        return Err(messages::slug_dot());
    }
    if slug.contains(['/', '\\']) {
        return Err(messages::slug_slash());
    }
    if slug
        .chars()
        .any(|c| c.is_control() || matches!(c, '?' | '#' | '%' | ':' | '*' | '"' | '<' | '>' | '|'))
    {
        return Err(messages::slug_character());
    }
    Ok(())
}

/// Percent-encodes a `/`-separated path, keeping `/` and unreserved ASCII.
pub(crate) fn encode_path(path: &str) -> String {
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

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8 (such as
/// the overlong `%c0%ae`).
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Checks a link written in front matter: `http(s):`, `mailto:`, an `@/` link to a
/// page, or a relative URL; any other scheme (`javascript:`, `data:`, `vbscript:`) is
/// refused, judged as a browser would read it (tabs and line breaks inside ignored,
/// leading spaces and control characters dropped, any case).
pub(crate) fn check_link(url: &str) -> Result<(), Text> {
    let seen: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let seen = seen.trim_start_matches(|c: char| c <= ' ');
    let scheme_end = seen.find(':');
    let path_start = seen.find(['/', '?', '#']);
    let scheme = match (scheme_end, path_start) {
        (Some(colon), Some(slash)) if slash < colon => None,
        (Some(colon), _) => Some(seen[..colon].to_ascii_lowercase()),
        (None, _) => None,
    };
    match scheme.as_deref() {
        None | Some("http" | "https" | "mailto") => {}
        Some(other) => return Err(messages::scheme_refused(other)),
    }
    if url.chars().any(char::is_control) {
        return Err(messages::link_control_character());
    }
    Ok(())
}

/// Whether `url` is relative to the page it is on (`photo.jpg`, `../x/`), as opposed to
/// root-absolute, a fragment, or a URL with a scheme.
pub(crate) fn is_page_relative(url: &str) -> bool {
    let scheme = url
        .find(':')
        .is_some_and(|colon| !url[..colon].contains(['/', '?', '#']));
    !(url.is_empty() || url.starts_with(['/', '#', '?']) || scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_relative_urls() {
        for relative in ["p.jpg", "../x/", "%E6%A1%A5.svg", "a/b:c"] {
            assert!(is_page_relative(relative), "{relative}");
        }
        for other in ["/x", "#a", "mailto:a@b.cn", "https://a.cn", ""] {
            assert!(!is_page_relative(other), "{other}");
        }
    }

    #[test]
    fn front_matter_links_take_only_safe_schemes() {
        for good in [
            "https://a.cn/x",
            "HTTP://a.cn",
            "mailto:a@b.cn",
            "@/cases/三进下党.md#first",
            "../x.pdf",
            "x.pdf?a=b:c",
            "/a:b",
            "#top",
        ] {
            assert!(check_link(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(check_link(bad).is_err(), "{bad:?}");
        }
    }

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
