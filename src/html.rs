//! HTML as casebook writes and reads it: escaping text, and the one reader of HTML it
//! must still read after it is written (a theme's output): the URLs and ids in the
//! attributes of real tags, never what only looks like them in text, comments, or the
//! contents of `<script>`, `<style>` and `<textarea>`.

use std::ops::Range;

/// Escapes text for HTML: element content and quoted attribute values alike.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Byte ranges of every URL in `html`, in order: the values of `href`, `src`, `action`
/// and `poster`, each candidate of a `srcset`, and the URL of a
/// `<meta http-equiv="refresh" content="0; url=…">`.
pub(crate) fn url_spans(html: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    scan(html, |tag, attributes| {
        push_urls(html, tag, attributes, &mut spans)
    });
    spans
}

/// Byte ranges of the value of every `id` attribute in `html`, in order.
pub(crate) fn id_spans(html: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    scan(html, |_, attributes| push_ids(attributes, &mut spans));
    spans
}

/// `url_spans` and `id_spans` of `html` from one reading of it: `check` wants both of
/// every page.
pub(crate) fn url_and_id_spans(html: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut urls, mut ids) = (Vec::new(), Vec::new());
    scan(html, |tag, attributes| {
        push_urls(html, tag, attributes, &mut urls);
        push_ids(attributes, &mut ids);
    });
    (urls, ids)
}

/// Adds the URLs among a tag's `attributes` to `spans` (see `url_spans`).
fn push_urls(
    html: &str,
    tag: &str,
    attributes: &[(&str, Range<usize>)],
    spans: &mut Vec<Range<usize>>,
) {
    for (name, value) in attributes {
        // Names compared without making lowercase copies: this runs on every tag.
        let is = |wanted: &str| name.eq_ignore_ascii_case(wanted);
        if is("href") || is("src") || is("action") || is("poster") {
            spans.push(value.clone());
        } else if is("srcset") {
            spans.extend(srcset_candidates(html, value.clone()));
        } else if is("content") && tag.eq_ignore_ascii_case("meta") && is_refresh(html, attributes)
        {
            spans.extend(refresh_url(html, value.clone()));
        }
    }
}

/// Adds the value of an `id` among `attributes` to `spans`.
fn push_ids(attributes: &[(&str, Range<usize>)], spans: &mut Vec<Range<usize>>) {
    for (name, value) in attributes {
        if name.eq_ignore_ascii_case("id") {
            spans.push(value.clone());
        }
    }
}

/// `html` with each span replaced by what `replace` returns for its text, where it
/// returns something; spans must be in order and apart.
pub(crate) fn replace_spans(
    html: &str,
    spans: impl IntoIterator<Item = Range<usize>>,
    mut replace: impl FnMut(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut done = 0; // bytes of `html` already copied to `out`
    for span in spans {
        if let Some(new) = replace(&html[span.clone()]) {
            out.push_str(&html[done..span.start]);
            out.push_str(&new);
            done = span.end;
        }
    }
    out.push_str(&html[done..]);
    out
}

/// Rewrites every URL of `html` (see `url_spans`) for which `rewrite` returns a new one.
pub(crate) fn rewrite_urls(html: &str, rewrite: impl FnMut(&str) -> Option<String>) -> String {
    replace_spans(html, url_spans(html), rewrite)
}

/// Whether a tag's attributes include `http-equiv="refresh"`.
fn is_refresh(html: &str, attributes: &[(&str, Range<usize>)]) -> bool {
    attributes.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("http-equiv")
            && html[value.clone()].trim().eq_ignore_ascii_case("refresh")
    })
}

/// The URL in a refresh's `content` (`0; url=/a/`), running to the end of the value.
fn refresh_url(html: &str, value: Range<usize>) -> Option<Range<usize>> {
    let text = &html[value.clone()];
    let at = text.to_ascii_lowercase().find("url=")? + 4;
    let url = text[at..].trim();
    let start = value.start + at + (text[at..].len() - text[at..].trim_start().len());
    (!url.is_empty()).then(|| start..start + url.len())
}

/// The URLs of a `srcset` (`a.480.webp 480w, a.960.webp 960w`): each runs to the first
/// space or comma, and the next starts after the following comma.
fn srcset_candidates(html: &str, value: Range<usize>) -> Vec<Range<usize>> {
    let separators = [' ', ',', '\n', '\t'];
    let mut spans = Vec::new();
    let mut at = value.start;
    while at < value.end {
        let rest = &html[at..value.end];
        at += rest.len() - rest.trim_start_matches(separators).len();
        if at >= value.end {
            break;
        }
        let len = html[at..value.end]
            .find(separators)
            .unwrap_or(value.end - at);
        spans.push(at..at + len);
        at += len;
        at += html[at..value.end]
            .find(',')
            .map_or(value.end - at, |c| c + 1);
    }
    spans
}

/// Elements whose contents are text to the browser, whatever they look like.
const RAW_TEXT: [&str; 3] = ["script", "style", "textarea"];

/// Calls `visit` with the name and attributes (name, byte range of the value) of every
/// start tag of `html`, in order.
fn scan<'a>(html: &'a str, mut visit: impl FnMut(&'a str, &[(&'a str, Range<usize>)])) {
    let bytes = html.as_bytes();
    let mut attributes: Vec<(&str, Range<usize>)> = Vec::new();
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let open = at + found;
        let rest = &html[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment
                .find("-->")
                .map_or(html.len(), |end| open + 4 + end + 3);
            continue;
        }
        if rest.starts_with("</") || rest.starts_with("<!") || rest.starts_with("<?") {
            at = rest.find('>').map_or(html.len(), |end| open + end + 1);
            continue;
        }
        if !bytes.get(open + 1).is_some_and(u8::is_ascii_alphabetic) {
            at = open + 1;
            continue;
        }
        let name_end = html[open + 1..]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .map_or(html.len(), |n| open + 1 + n);
        let name = &html[open + 1..name_end];
        attributes.clear();
        at = read_attributes(html, name_end, &mut attributes);
        visit(name, &attributes);
        if let Some(raw) = RAW_TEXT.iter().find(|r| name.eq_ignore_ascii_case(r)) {
            at = find_end_tag(html, at, raw);
        }
    }
}

/// Reads the attributes of a tag from `at` (just after its name) into `attributes`;
/// returns the byte after the tag's `>`.
fn read_attributes<'a>(
    html: &'a str,
    mut at: usize,
    attributes: &mut Vec<(&'a str, Range<usize>)>,
) -> usize {
    let bytes = html.as_bytes();
    let skip_space = |mut at: usize| {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        at
    };
    loop {
        at = skip_space(at);
        match bytes.get(at) {
            None => return html.len(),
            Some(b'>') => return at + 1,
            Some(b'/') => {
                at += 1;
                continue;
            }
            Some(_) => {}
        }
        let name_start = at;
        while bytes
            .get(at)
            .is_some_and(|&b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
        {
            at += 1;
        }
        let name = &html[name_start..at];
        at = skip_space(at);
        if bytes.get(at) != Some(&b'=') {
            // An attribute without a value (`download`, `hidden`).
            attributes.push((name, at..at));
            continue;
        }
        at = skip_space(at + 1);
        let value = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = at + 1;
                let end = html[start..]
                    .find(quote as char)
                    .map_or(html.len(), |n| start + n);
                at = (end + 1).min(html.len());
                start..end
            }
            _ => {
                let start = at;
                while bytes
                    .get(at)
                    .is_some_and(|&b| !b.is_ascii_whitespace() && b != b'>')
                {
                    at += 1;
                }
                start..at
            }
        };
        attributes.push((name, value));
    }
}

/// The byte after `</name…>` from `at` on (any case), or the end of `html`.
fn find_end_tag(html: &str, mut at: usize, name: &str) -> usize {
    while let Some(found) = html[at..].find("</") {
        let open = at + found;
        let after = open + 2;
        let candidate = html.get(after..after + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name))
            && !html
                .as_bytes()
                .get(after + name.len())
                .is_some_and(u8::is_ascii_alphanumeric)
        {
            return html[open..]
                .find('>')
                .map_or(html.len(), |end| open + end + 1);
        }
        at = after;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<&str> {
        url_spans(html).into_iter().map(|r| &html[r]).collect()
    }

    #[test]
    fn finds_the_urls_of_real_tags_only() {
        let html = concat!(
            "<a href=\"/a/\" title='href=\"/t/\"'>x</a>",
            "<p>text href=\"/text/\" and 0; url=/text/</p>",
            "<!-- <a href=\"/comment/\"> -->",
            "<pre><code>&lt;a href=\"/code/\"&gt;</code></pre>",
            "<script>let s = '<a href=\"/script/\">';</script>",
            "<STYLE>a { background: url(/style.png) } </style >",
            "<textarea><img src=\"/typed.png\"></textarea>",
            "<IMG SRC=/bare.png alt=\"src=&quot;q&quot;\">",
            "<form action=\"/send\"><video poster='/p.jpg'></video></form>",
        );
        assert_eq!(urls(html), ["/a/", "/bare.png", "/send", "/p.jpg"]);
    }

    #[test]
    fn srcset_candidates_are_urls_each() {
        let html = r#"<source srcset="a.480.webp 480w, /b.960.webp 960w"><img src="a.jpg" srcset="x.jpg 1x">"#;
        assert_eq!(urls(html), ["a.480.webp", "/b.960.webp", "a.jpg", "x.jpg"]);
        let rewritten = rewrite_urls(html, |u| Some(format!("/p/{u}")));
        assert!(
            rewritten.contains(r#"srcset="/p/a.480.webp 480w, /p//b.960.webp 960w""#),
            "{rewritten}"
        );
    }

    #[test]
    fn a_refresh_gives_its_url_and_other_meta_tags_none() {
        let html = concat!(
            "<meta http-equiv=\"refresh\" content=\"0; url=/a/\">",
            "<meta name=\"description\" content=\"0; url=/not/\">",
            "<meta content=\"1;URL= /b/ \" http-equiv=\"Refresh\">",
        );
        assert_eq!(urls(html), ["/a/", "/b/"]);
    }

    #[test]
    fn rewrites_only_what_is_asked() {
        let html = r#"<a href="/a/">x</a><img src="p.jpg" alt="src=&quot;q&quot;"><a href="https://x.cn/">w</a>"#;
        let out = rewrite_urls(html, |u| {
            crate::url::is_page_relative(u).then(|| format!("/base/{u}"))
        });
        assert_eq!(
            out,
            r#"<a href="/a/">x</a><img src="/base/p.jpg" alt="src=&quot;q&quot;"><a href="https://x.cn/">w</a>"#
        );
    }

    #[test]
    fn ids_of_tags_but_not_of_text() {
        let html =
            "<h2 id=\"a\">x</h2><pre><code>&lt;b id=\"t\"&gt; id=\"u\"</code></pre><div ID='b'>";
        let ids: Vec<&str> = id_spans(html).into_iter().map(|r| &html[r]).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn broken_html_ends_the_scan_without_panicking() {
        for html in [
            "<a href=\"/x",
            "<a href=",
            "<",
            "<a",
            "<!--",
            "<script>",
            "<a\n",
        ] {
            let _ = url_spans(html);
        }
        assert_eq!(urls("<a href=\"/x"), ["/x"]);
    }
}
