//! URL segments: checking slugs so nothing is written outside the output folder, and
//! percent-encoding paths (Chinese kept in file names, encoded in links).

use std::fmt::Write;

use crate::messages::{self, Text};

/// Checks that `slug` is one safe URL segment; the error says why it is refused (the
/// caller says what the name was and what to do).
pub fn check_slug(slug: &str) -> Result<(), Text> {
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

/// Byte ranges of the URLs in every `href`, `src`, `action` and `srcset` attribute (and
/// a meta refresh's `; url=`) of `html`, in order; a `srcset` gives one per candidate.
pub fn link_spans(html: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut search = 0;
    // Candidates of a `srcset` still to give, last first.
    let mut pending: Vec<std::ops::Range<usize>> = Vec::new();
    // One pass over the `=` signs: searching for each attribute name separately would
    // rescan the rest of the page once per link.
    std::iter::from_fn(move || {
        if let Some(span) = pending.pop() {
            return Some(span);
        }
        while let Some(found) = html[search..].find('=') {
            let equals = search + found;
            search = equals + 1;
            let before = &html[..equals];
            if before.ends_with(" srcset") && html[equals + 1..].starts_with('"') {
                let start = equals + 2;
                let end = start + html[start..].find('"').unwrap_or(html.len() - start);
                search = end;
                // `url 480w, url 960w`: each URL runs to the first space or comma.
                let mut at = start;
                while at < end {
                    let rest = &html[at..end];
                    let skip = rest.len() - rest.trim_start_matches([' ', ',', '\n', '\t']).len();
                    at += skip;
                    if at >= end {
                        break;
                    }
                    let len = html[at..end]
                        .find([' ', ',', '\n', '\t'])
                        .unwrap_or(end - at);
                    pending.push(at..at + len);
                    at += len;
                    at += html[at..end].find(',').map_or(end - at, |c| c + 1);
                }
                pending.reverse();
                if let Some(span) = pending.pop() {
                    return Some(span);
                }
                continue;
            }
            let attribute =
                before.ends_with("href") || before.ends_with("src") || before.ends_with("action");
            let url_start = if attribute && html[equals + 1..].starts_with('"') {
                equals + 2
            } else if before.ends_with("; url") {
                equals + 1
            } else {
                continue;
            };
            let tail = &html[url_start..];
            let url_end = url_start + tail.find(['"', '\'', ' ', '>']).unwrap_or(tail.len());
            search = url_end;
            return Some(url_start..url_end);
        }
        None
    })
}

/// Rewrites every link URL (see `link_spans`) for which `rewrite` returns a new one.
pub fn rewrite_links(html: &str, rewrite: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut done = 0; // bytes of `html` already copied to `out`
    for span in link_spans(html) {
        if let Some(new) = rewrite(&html[span.clone()]) {
            out.push_str(&html[done..span.start]);
            out.push_str(&new);
            done = span.end;
        }
    }
    out.push_str(&html[done..]);
    out
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8 (such as
/// the overlong `%c0%ae`).
pub fn percent_decode(text: &str) -> Option<String> {
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
pub fn check_link(url: &str) -> Result<(), Text> {
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
pub fn is_page_relative(url: &str) -> bool {
    let scheme = url
        .find(':')
        .is_some_and(|colon| !url[..colon].contains(['/', '?', '#']));
    !(url.is_empty() || url.starts_with(['/', '#', '?']) || scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcset_candidates_are_links_each() {
        let html = r#"<source srcset="a.480.webp 480w, /b.960.webp 960w"><img src="a.jpg" srcset="x.jpg 1x">"#;
        let urls: Vec<&str> = link_spans(html).map(|r| &html[r]).collect();
        assert_eq!(urls, ["a.480.webp", "/b.960.webp", "a.jpg", "x.jpg"]);
        let rewritten = rewrite_links(html, |u| Some(format!("/p/{u}")));
        assert!(
            rewritten.contains(r#"srcset="/p/a.480.webp 480w, /p//b.960.webp 960w""#),
            "{rewritten}"
        );
    }

    #[test]
    fn rewrites_only_what_is_asked() {
        let html = r#"<a href="/a/">x</a><img src="p.jpg" alt="src=&quot;q&quot;"><a href="https://x.cn/">w</a>"#;
        let out = rewrite_links(html, |u| is_page_relative(u).then(|| format!("/base/{u}")));
        assert_eq!(
            out,
            r#"<a href="/a/">x</a><img src="/base/p.jpg" alt="src=&quot;q&quot;"><a href="https://x.cn/">w</a>"#
        );
        for relative in ["p.jpg", "../x/", "%E6%A1%A5.svg", "a/b:c"] {
            assert!(is_page_relative(relative), "{relative}");
        }
        for other in [
            "/x",
            "#a",
            "mailto:a@b.cn",
            "https://a.cn",
            "",
            "casebook:link:1",
        ] {
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
