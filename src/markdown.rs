//! Markdown → HTML, as one pure function: body text in, `Rendered` out (HTML, table of
//! contents, summary, plain text, and every link and picture with where it is written).
//!
//! pulldown-cmark does the parsing; this module adds what Chinese writing needs: bold
//! next to Chinese punctuation, no stray spaces from line breaks, and heading ids that
//! keep Chinese text. All of it works on pulldown-cmark's events, so text and code are
//! never taken for markup: what only the assembled site knows (an internal link's URL,
//! a picture's copies, the page's own URL) is left as a `Hole` in the HTML.

use std::collections::HashMap;
use std::ops::Range;

use crate::cjk::{is_cjk, is_han};
use crate::config::RawHtml;
use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html,
};

/// A Markdown body rendered to HTML, with everything later stages need from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The body's HTML, with `Hole`s for what the assembled site fills in.
    pub html: String,
    /// Headings of level 2 and 3, in order.
    pub toc: Vec<Heading>,
    /// Every heading id on the page, for checking `#anchor` links.
    pub heading_ids: Vec<String>,
    /// HTML before `<!-- more -->`, else the first paragraph's HTML.
    pub summary_html: Option<String>,
    /// The text with all markup removed, for search.
    pub plain: String,
    /// Every URL the body points at, in order: links, pictures, players' files and the
    /// URLs of raw HTML. An internal link's URL is `Hole::Link(n)` in `html`, `n` its
    /// index here.
    pub links: Vec<Link>,
    /// How long `plain` takes to read.
    pub reading: ReadingTime,
    /// Pictures of the site the body shows, in order; picture N is `Hole::Image(N)` in
    /// `html` until its responsive `<img>` is known.
    pub images: Vec<ImageUse>,
    /// Where the first `**` that stayed literal text (no partner to make bold) is
    /// written: line and column.
    pub literal_stars: Option<(usize, usize)>,
    /// Byte offsets in `html` where each level-2 heading starts: the body's sections,
    /// which a lesson's presenter view shows one slide each.
    pub section_starts: Vec<usize>,
}

/// A heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` attribute.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A URL the body points at, as written and where: a link, a picture, a player's file
/// or a URL in raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The URL as the source spells it (`@/cases/三进下党.md#first`, `photo.jpg`,
    /// `pptrconsole.com`), for messages.
    pub written: String,
    /// The URL as read: Markdown escapes and `&amp;` decoded.
    pub dest: String,
    /// 1-based line of the file where `written` starts.
    pub line: usize,
    /// 1-based column, in characters, where `written` starts.
    pub column: usize,
    /// For a link to a content file (`@/path.md#anchor`, or a relative `.md` path), what
    /// it points at.
    pub internal: Option<Internal>,
}

/// The content file and heading an internal link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Internal {
    /// The target's path under `content/` (`cases/三进下党.md`), `..` resolved.
    pub target: String,
    /// The heading id after `#`, if any.
    pub anchor: Option<String>,
}

/// What `Rendered::html` leaves for the assembled site to fill. Each is written between
/// two U+0001 characters, which no content file can hold (`content::load_cached` refuses
/// control characters) and no escaped text can become: an editor cannot forge one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hole {
    /// The URL of internal link `n` (an index into `Rendered::links`).
    Link(usize),
    /// The `<img>` (or `<picture>`) of picture `n` (an index into `Rendered::images`).
    Image(usize),
    /// The page's own URL, before a page-relative URL (`photo.jpg`): the body's HTML is
    /// also shown on other pages (summaries in lists), where that URL must still work.
    Base,
}

/// Opens and closes a hole.
const HOLE: char = '\u{1}';

impl Hole {
    /// How the hole is written in HTML.
    fn marker(self) -> String {
        match self {
            Hole::Link(n) => format!("{HOLE}L{n}{HOLE}"),
            Hole::Image(n) => format!("{HOLE}I{n}{HOLE}"),
            Hole::Base => format!("{HOLE}B{HOLE}"),
        }
    }

    fn parse(marker: &str) -> Option<Hole> {
        let number = || marker[1..].parse().ok();
        match marker.as_bytes().first()? {
            b'L' => number().map(Hole::Link),
            b'I' => number().map(Hole::Image),
            b'B' if marker.len() == 1 => Some(Hole::Base),
            _ => None,
        }
    }
}

/// `html` with every hole replaced by what `fill` writes for it.
pub(crate) fn fill_holes(html: &str, mut fill: impl FnMut(Hole, &mut String)) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(open) = rest.find(HOLE) {
        out.push_str(&rest[..open]);
        let after = &rest[open + HOLE.len_utf8()..];
        let close = after.find(HOLE).unwrap_or(after.len());
        if let Some(hole) = Hole::parse(&after[..close]) {
            fill(hole, &mut out);
        }
        rest = after.get(close + HOLE.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// A picture of the site shown in a body: `![alt](dest "title")` with a local `dest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageUse {
    /// The URL as written (`photo.jpg`, `/images/a.png`).
    pub dest: String,
    /// The alt text.
    pub alt: String,
    /// The title, unless it became the caption of a figure.
    pub title: String,
    /// 1-based line of the file where the image is written.
    pub line: usize,
}

/// What a picture was made into at build: its size and the smaller copies to offer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Responsive {
    /// Width of the picture as shown (after its EXIF orientation).
    pub width: u32,
    /// Height as shown.
    pub height: u32,
    /// The copy for browsers that read no `srcset`, as a URL like `dest`.
    pub src: String,
    /// URLs and widths in the picture's own format, narrowest first.
    pub srcset: Vec<(String, u32)>,
    /// The same widths as WebP, when that is smaller; else empty.
    pub webp: Vec<(String, u32)>,
}

/// How wide a picture is shown: the text's measure (38rem), or the screen on phones.
pub(crate) const IMAGE_SIZES: &str = "(min-width: 42rem) 38rem, 100vw";

/// The HTML of a picture: an `<img>` that loads when scrolled near and never makes the
/// page jump (its width and height are known), with its smaller copies in `srcset`
/// and, when WebP copies are smaller, a `<picture>` offering them first. Page-relative
/// URLs get `base` (the page's URL) before them.
pub(crate) fn image_html(image: &ImageUse, responsive: Option<&Responsive>, base: &str) -> String {
    let url = |url: &str| {
        let escaped = escape_url(url);
        if crate::url::is_page_relative(url) {
            format!("{base}{escaped}")
        } else {
            escaped
        }
    };
    let set = |candidates: &[(String, u32)]| {
        candidates
            .iter()
            .map(|(u, w)| format!("{} {w}w", url(u)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut img = String::from("<img src=\"");
    img.push_str(&url(responsive.map_or(&image.dest, |r| &r.src)));
    img.push_str("\" alt=\"");
    img.push_str(&escape_attribute(&image.alt));
    img.push('"');
    if !image.title.is_empty() {
        img.push_str(&format!(" title=\"{}\"", escape_attribute(&image.title)));
    }
    let Some(r) = responsive else {
        img.push_str(" loading=\"lazy\" decoding=\"async\">");
        return img;
    };
    if r.srcset.len() > 1 {
        img.push_str(&format!(
            " srcset=\"{}\" sizes=\"{IMAGE_SIZES}\"",
            set(&r.srcset)
        ));
    }
    img.push_str(&format!(
        " width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\">",
        r.width, r.height
    ));
    if r.webp.is_empty() {
        return img;
    }
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{IMAGE_SIZES}\">{img}</picture>",
        set(&r.webp)
    )
}

/// Whether `dest` names a file of the site (relative, or rooted at the site), rather
/// than one elsewhere (`https://…`, `//host/…`, `data:`).
pub(crate) fn is_local(dest: &str) -> bool {
    !dest.starts_with("//") && (dest.starts_with('/') || crate::url::is_page_relative(dest))
}

/// How long a text takes to read: Han characters at 300 a minute, other words at 200.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadingTime {
    /// Han characters.
    pub han: usize,
    /// Words of other scripts (Latin, digits).
    pub words: usize,
    /// Minutes, at least 1.
    pub minutes: usize,
}

/// Counts `text` for its reading time.
pub(crate) fn reading_time(text: &str) -> ReadingTime {
    let han = text.chars().filter(|&c| is_han(c)).count();
    let words = text
        .split(|c: char| !c.is_alphanumeric() || is_han(c))
        .filter(|w| !w.is_empty())
        .count();
    let minutes = (han as f64 / 300.0 + words as f64 / 200.0).ceil().max(1.0) as usize;
    ReadingTime {
        han,
        words,
        minutes,
    }
}

/// Renders `body`, which starts on line `first_line` of the file `content_path`
/// (a path under `content/`, used to resolve relative `.md` links).
#[cfg(test)]
pub(crate) fn render(body: &str, first_line: usize, content_path: &str) -> Rendered {
    render_with(body, first_line, content_path, RawHtml::Allow)
}

/// `render`, with HTML written in the Markdown passed through (`Allow`: editors are
/// trusted) or shown as text (`Escape`: nothing written in a page runs). Escaping also
/// drops heading attributes other than the id (`{#id onclick=…}`) and turns links with
/// a scheme other than http(s) or mailto into `#`.
pub(crate) fn render_with(
    body: &str,
    first_line: usize,
    content_path: &str,
    raw: RawHtml,
) -> Rendered {
    let escape = raw == RawHtml::Escape;
    let parser = Parser::new_ext(body, parser_options());
    let source = Source {
        body,
        line_starts: line_starts(body, first_line),
        definitions: parser
            .reference_definitions()
            .iter()
            .map(|(label, definition)| (label_key(label), definition.span.clone()))
            .collect(),
    };
    let mut links: Vec<Link> = Vec::new();
    let mut image_lines = Vec::new();
    let mut stars = Stars::default();
    let mut events: Vec<Event> = Vec::new();
    // The lines of an HTML block, read together: one tag may span several.
    let mut html_block: Option<Vec<(CowStr, Range<usize>)>> = None;
    let mut in_code_block = false;
    let mut in_image = 0;
    for (event, range) in parser.into_offset_iter() {
        let event = match event {
            Event::Html(h) | Event::InlineHtml(h) if escape && h.trim() != "<!-- more -->" => {
                Event::Text(h)
            }
            Event::Html(h) if !escape && html_block.is_some() => {
                if let Some(note) = comment_note(&h) {
                    stars.note(note, &h, range.start);
                }
                html_block.get_or_insert_default().push((h, range.clone()));
                continue;
            }
            Event::Start(Tag::HtmlBlock) if !escape => {
                html_block = Some(Vec::new());
                event
            }
            Event::End(TagEnd::HtmlBlock) if !escape => {
                let lines = html_block.take().unwrap_or_default();
                events.extend(raw_html(lines, &source, &mut links).map(Event::Html));
                event
            }
            Event::InlineHtml(h) if !escape => {
                let mut rewritten = raw_html(vec![(h, range.clone())], &source, &mut links);
                Event::InlineHtml(rewritten.next().unwrap_or_else(|| "".into()))
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes: _,
                attrs: _,
            }) if escape => Event::Start(Tag::Heading {
                level,
                id,
                classes: Vec::new(),
                attrs: Vec::new(),
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                in_image += 1;
                image_lines.push(source.position(range.start).0);
                links.push(source.link(range.clone(), link_type, &id, &dest_url, None));
                let dest_url = if escape && crate::url::check_link(&dest_url).is_err() {
                    "#".into()
                } else {
                    dest_url
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => {
                in_image -= 1;
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let internal = internal_target(&dest_url, content_path);
                let is_internal = internal.is_some();
                links.push(source.link(range.clone(), link_type, &id, &dest_url, internal));
                let dest = if is_internal {
                    Hole::Link(links.len() - 1).marker().into()
                } else if escape && crate::url::check_link(&dest_url).is_err() {
                    "#".into()
                } else if link_type != LinkType::Email && crate::url::is_page_relative(&dest_url) {
                    format!("{}{dest_url}", Hole::Base.marker()).into()
                } else {
                    dest_url
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                event
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                event
            }
            // Footnote ids are bare labels: prefix them so they never clash with headings.
            Event::FootnoteReference(label) => {
                Event::FootnoteReference(format!("fn-{label}").into())
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Event::Start(Tag::FootnoteDefinition(format!("fn-{label}").into()))
            }
            other => other,
        };
        match &event {
            Event::Text(text) if !in_code_block && in_image == 0 => {
                stars.text(text, &range, body);
            }
            _ => stars.end_run(),
        }
        events.push(event);
    }
    stars.end_run();
    let events = merge_text(events);
    let events = drop_cjk_soft_breaks(events);
    let events = mark_speaker_notes(events, escape);
    let events = callouts(events);
    let (events, images) = figures_and_media(events, &image_lines);
    let (events, literal) = cjk_strong(events);
    let literal_stars = literal
        .and_then(|n| stars.offsets.get(n))
        .map(|&offset| source.position(offset));
    let mut events: Vec<Event> = events.into_iter().map(hole_links_as_html).collect();
    let (toc, heading_ids) = assign_heading_ids(&mut events);
    let summary_html = summary(&events);
    let plain = plain_text(&events);
    let (html, section_starts) = sectioned_html(events, body.len());
    Rendered {
        html,
        toc,
        heading_ids,
        summary_html,
        reading: reading_time(&plain),
        plain,
        links,
        images,
        literal_stars,
        section_starts,
    }
}

/// The body being rendered, for finding where things are written in it.
struct Source<'a> {
    body: &'a str,
    /// (byte offset, line number) of the start of every line.
    line_starts: Vec<(usize, usize)>,
    /// Where each reference definition (`[label]: url`) is written, by `label_key`.
    definitions: HashMap<String, Range<usize>>,
}

impl Source<'_> {
    /// The line and column (in characters, from 1) of byte `offset`.
    fn position(&self, offset: usize) -> (usize, usize) {
        let i = self
            .line_starts
            .partition_point(|&(start, _)| start <= offset);
        let (start, line) = self.line_starts[i.saturating_sub(1)];
        let column = self
            .body
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line, column + 1)
    }

    /// The record of a link or image whose Markdown spans `range`.
    fn link(
        &self,
        range: Range<usize>,
        link_type: LinkType,
        id: &str,
        dest: &str,
        internal: Option<Internal>,
    ) -> Link {
        let written = self.written_dest(range.clone(), link_type, id);
        let at = written.as_ref().map_or(range.start, |w| w.start);
        let (line, column) = self.position(at);
        let dest = match link_type {
            LinkType::Email => format!("mailto:{dest}"),
            _ => dest.to_owned(),
        };
        Link {
            written: written.map_or_else(|| dest.clone(), |w| self.body[w].to_owned()),
            dest,
            line,
            column,
            internal,
        }
    }

    /// Where the destination of the link or image at `range` is written: after `](` for
    /// an inline link, in its definition for a reference link, inside `<…>` for an
    /// autolink.
    fn written_dest(
        &self,
        range: Range<usize>,
        link_type: LinkType,
        id: &str,
    ) -> Option<Range<usize>> {
        let text = self.body.get(range.clone())?;
        match link_type {
            LinkType::Inline => {
                let close = closing_bracket(text)?;
                let open = text[close..].find('(')? + close + 1;
                destination(self.body, range.start + open)
            }
            LinkType::Autolink | LinkType::Email => Some(range.start + 1..range.end - 1),
            _ => {
                let span = self.definitions.get(&label_key(id))?.clone();
                let definition = self.body.get(span.clone())?;
                let colon = closing_bracket(definition)?;
                destination(self.body, span.start + colon + 1)
            }
        }
    }
}

/// A reference label as CommonMark matches it: any case, runs of spaces as one.
fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The line starts of `body`, whose first line is `first_line` of its file.
fn line_starts(body: &str, first_line: usize) -> Vec<(usize, usize)> {
    let mut starts = vec![(0, first_line)];
    starts.extend(
        body.match_indices('\n')
            .enumerate()
            .map(|(n, (at, _))| (at + 1, first_line + n + 1)),
    );
    starts
}

/// The byte after the `]` that closes the `[` (or `![`) at the start of `text`, minding
/// nested brackets, backslash escapes and code spans.
fn closing_bracket(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 1,
            b'`' => {
                let run = bytes[at..].iter().take_while(|&&b| b == b'`').count();
                let fence = &text[at..at + run];
                at += run;
                if let Some(end) = text[at..].find(fence) {
                    at += end + run;
                }
                continue;
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The link destination written from byte `from` of `body` on (spaces before it
/// skipped): inside `<…>`, or up to a space or the `)` that closes the link.
fn destination(body: &str, from: usize) -> Option<Range<usize>> {
    let rest = body.get(from..)?;
    let start = from + (rest.len() - rest.trim_start().len());
    let bytes = body.as_bytes();
    if bytes.get(start) == Some(&b'<') {
        let end = body[start..].find('>')? + start;
        return Some(start + 1..end);
    }
    let mut depth = 0;
    let mut at = start;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\\' => at += 1,
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b if b.is_ascii_whitespace() => break,
            _ => {}
        }
        at += 1;
    }
    Some(start..at.min(body.len()))
}

/// The lines of raw HTML (an HTML block, or one inline tag), with their URLs recorded as
/// links and page-relative ones given `Hole::Base`; returns the lines to write.
fn raw_html<'a>(
    lines: Vec<(CowStr<'a>, Range<usize>)>,
    source: &Source,
    links: &mut Vec<Link>,
) -> impl Iterator<Item = CowStr<'a>> {
    let whole: String = lines.iter().map(|(h, _)| h.as_ref()).collect();
    let spans = crate::html::url_spans(&whole);
    let mut relative: Vec<Vec<Range<usize>>> = vec![Vec::new(); lines.len()];
    let mut line = 0;
    let mut line_start = 0; // where `lines[line]` starts in `whole`
    for span in spans {
        while span.start >= line_start + lines[line].0.len() {
            line_start += lines[line].0.len();
            line += 1;
        }
        let (text, range) = &lines[line];
        let local = span.start - line_start..span.end - line_start;
        // A line's text is its source, unless a container's marks (`> `) were cut off.
        let offset = match source.body.get(range.clone()) {
            Some(written) if written == text.as_ref() => range.start + local.start,
            _ => range.start,
        };
        let (line_number, column) = source.position(offset);
        let written = &whole[span.clone()];
        links.push(Link {
            written: written.to_owned(),
            dest: written.replace("&amp;", "&"),
            line: line_number,
            column,
            internal: None,
        });
        if crate::url::is_page_relative(written) {
            relative[line].push(local);
        }
    }
    lines.into_iter().zip(relative).map(|((text, _), spans)| {
        if spans.is_empty() {
            return text;
        }
        let base = Hole::Base.marker();
        crate::html::replace_spans(&text, spans, |url| Some(format!("{base}{url}"))).into()
    })
}

/// Where each `**` of the text is written, in the order `cjk_strong` meets them, so that
/// one left literal can be pointed at. Like `cjk_strong`, it reads runs of adjacent
/// text events as one text (a `**` may be cut between two).
#[derive(Default)]
struct Stars {
    /// Byte offsets in the body of every `**` found, in order.
    offsets: Vec<usize>,
    /// The text of the run being read; a piece without `*` stands as one space (it can
    /// hold no part of a `**`), so that most text is never copied.
    run: String,
    /// The run's pieces: where each starts in `run`, its offset in the body, and whether
    /// its text is its source as written (else `**` in it is placed at its start).
    pieces: Vec<(usize, usize, bool)>,
}

impl Stars {
    fn text(&mut self, text: &str, range: &Range<usize>, body: &str) {
        if !text.contains('*') {
            self.run.push(' ');
            return;
        }
        let verbatim = body.get(range.clone()) == Some(text);
        self.pieces.push((self.run.len(), range.start, verbatim));
        self.run.push_str(text);
    }

    /// A teacher's note written as a comment becomes text of its own.
    fn note(&mut self, note: &str, comment: &str, comment_start: usize) {
        self.end_run();
        let offset = note.as_ptr() as usize - comment.as_ptr() as usize;
        self.pieces.push((0, comment_start + offset, true));
        self.run.push_str(note);
        self.end_run();
    }

    fn end_run(&mut self) {
        if self.pieces.is_empty() {
            self.run.clear();
            return;
        }
        for (at, _) in self.run.match_indices("**") {
            let piece = self.pieces.partition_point(|p| p.0 <= at) - 1;
            let (start, offset, verbatim) = self.pieces[piece];
            self.offsets.push(if verbatim {
                offset + at - start
            } else {
                offset
            });
        }
        self.run.clear();
        self.pieces.clear();
    }
}

/// A link whose URL waits for the assembled site (`Hole`) is written as HTML here:
/// pulldown-cmark would percent-encode the hole's marks.
fn hole_links_as_html(event: Event<'_>) -> Event<'_> {
    let Event::Start(Tag::Link {
        dest_url, title, ..
    }) = &event
    else {
        return event;
    };
    let Some(end) = dest_url.rfind(HOLE) else {
        return event;
    };
    let (hole, rest) = dest_url.split_at(end + HOLE.len_utf8());
    let mut html = format!("<a href=\"{hole}");
    let _ = pulldown_cmark_escape::escape_href(&mut html, rest);
    if !title.is_empty() {
        html.push_str("\" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut html, title);
    }
    html.push_str("\">");
    Event::InlineHtml(html.into())
}

/// Writes the HTML one `##` section at a time, noting where each section starts, so the
/// presenter view can cut the body into slides without reading the HTML back.
fn sectioned_html(events: Vec<Event<'_>>, body_len: usize) -> (String, Vec<usize>) {
    let mut html = String::with_capacity(body_len * 3 / 2);
    let mut section_starts = Vec::new();
    let mut part: Vec<Event> = Vec::new();
    let flush = |part: &mut Vec<Event>, html: &mut String| {
        if part.is_empty() {
            return;
        }
        let mut piece = String::new();
        html::push_html(&mut piece, part.drain(..));
        html.push_str(&alignment_as_classes(piece));
    };
    for event in events {
        if let Event::Start(Tag::Heading {
            level: HeadingLevel::H2,
            ..
        }) = event
        {
            flush(&mut part, &mut html);
            section_starts.push(html.len());
        }
        part.push(event);
    }
    flush(&mut part, &mut html);
    (html, section_starts)
}

/// What starts a teacher's note: `> 讲稿：…` in the body, or `<!-- 讲稿：… -->`.
const NOTES_MARK: [&str; 2] = ["讲稿：", "讲稿:"];

fn opens_with_notes_mark(text: &str) -> bool {
    NOTES_MARK.iter().any(|m| text.starts_with(m))
}

/// The note in an HTML comment that opens with the notes mark (`<!-- 讲稿：… -->`).
fn comment_note(html: &str) -> Option<&str> {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|c| c.strip_suffix("-->"))
        .map(str::trim)
        .filter(|c| opens_with_notes_mark(c))
}

/// Marks a teacher's notes so the presenter view can keep them off the audience's
/// slide: a block quote opening with `讲稿：` gets `class="speaker-notes"`, and an HTML
/// comment opening with it becomes a hidden `<div class="speaker-notes">` (a comment is
/// not shown on the page either). Escaped HTML is left as text.
fn mark_speaker_notes(events: Vec<Event<'_>>, escape: bool) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    // Depths of open block quotes, and whether each is a note.
    let mut quotes: Vec<bool> = Vec::new();
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                let is_note = matches!(
                    (events.get(i + 1), events.get(i + 2)),
                    (Some(Event::Start(Tag::Paragraph)), Some(Event::Text(t))) if opens_with_notes_mark(t)
                );
                quotes.push(is_note);
                out.push(if is_note {
                    Event::Html("<blockquote class=\"speaker-notes\">\n".into())
                } else {
                    event.clone()
                });
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                out.push(if quotes.pop() == Some(true) {
                    Event::Html("</blockquote>\n".into())
                } else {
                    event.clone()
                });
            }
            Event::Html(h) if !escape => match comment_note(h) {
                Some(note) => out.extend([
                    Event::Html("<div class=\"speaker-notes\" hidden><p>".into()),
                    Event::Text(note.to_owned().into()),
                    Event::Html("</p></div>\n".into()),
                ]),
                None => out.push(event.clone()),
            },
            other => out.push(other.clone()),
        }
    }
    out
}

/// What starts an editor's note: `> [!编者按]`, beside GitHub's five alert kinds.
const EDITOR_MARK: &str = "[!编者按]";

/// A callout's class and its label, for an alert kind (`None`: the editor's note).
fn callout_kind(kind: Option<BlockQuoteKind>) -> (&'static str, &'static str) {
    match kind {
        Some(BlockQuoteKind::Note) => ("note", "注意"),
        Some(BlockQuoteKind::Tip) => ("tip", "提示"),
        Some(BlockQuoteKind::Important) => ("important", "重要"),
        Some(BlockQuoteKind::Warning) => ("warning", "警告"),
        Some(BlockQuoteKind::Caution) => ("caution", "慎重"),
        None => ("editor", "编者按"),
    }
}

/// GitHub's alerts (`> [!NOTE]`, which pulldown-cmark reads) and the editor's note
/// (`> [!编者按]`) become callouts: a `div` with its Chinese label, which the theme
/// styles by kind. Other block quotes stay quotes.
fn callouts(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    // For each open block quote: whether it became a callout.
    let mut quotes: Vec<bool> = Vec::new();
    let mut events = events.into_iter().peekable();
    let open = |class: &str, label: &str| {
        Event::Html(
            format!(
                "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-label\">{label}</p>\n"
            )
            .into(),
        )
    };
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = callout_kind(Some(kind));
                quotes.push(true);
                out.push(open(class, label));
            }
            Event::Start(Tag::BlockQuote(None)) => {
                // `> [!编者按]` is a quote whose first paragraph opens with the mark.
                let mut ahead = Vec::new();
                if let Some(Event::Start(Tag::Paragraph)) = events.peek() {
                    ahead.push(events.next().unwrap_or(Event::Start(Tag::Paragraph)));
                }
                let marked = ahead.len() == 1
                    && matches!(events.peek(), Some(Event::Text(t)) if t.trim_start().starts_with(EDITOR_MARK));
                if !marked {
                    quotes.push(false);
                    out.push(event);
                    out.extend(ahead);
                    continue;
                }
                let (class, label) = callout_kind(None);
                quotes.push(true);
                out.push(open(class, label));
                let Some(Event::Text(text)) = events.next() else {
                    unreachable!("peeked a text event")
                };
                let rest = text.trim_start()[EDITOR_MARK.len()..]
                    .trim_start()
                    .to_owned();
                if !rest.is_empty() {
                    out.push(Event::Start(Tag::Paragraph));
                    out.push(Event::Text(rest.into()));
                    continue;
                }
                // The mark alone on its line: the note starts on the next.
                while matches!(events.peek(), Some(Event::SoftBreak | Event::HardBreak)) {
                    events.next();
                }
                if matches!(events.peek(), Some(Event::End(TagEnd::Paragraph))) {
                    events.next();
                } else {
                    out.push(Event::Start(Tag::Paragraph));
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                out.push(if quotes.pop() == Some(true) {
                    Event::Html("</div>\n".into())
                } else {
                    event
                });
            }
            other => out.push(other),
        }
    }
    out
}

/// Sound and video files, by extension, with their element and MIME type.
fn media_kind(dest: &str) -> Option<(&'static str, &'static str)> {
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "mp4" | "m4v" => ("video", "video/mp4"),
        "webm" => ("video", "video/webm"),
        "mp3" => ("audio", "audio/mpeg"),
        "m4a" => ("audio", "audio/mp4"),
        "ogg" | "oga" => ("audio", "audio/ogg"),
        _ => return None,
    })
}

/// `text` for a double-quoted HTML attribute.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A URL for an attribute: characters that may not stand in a URL percent-encoded
/// (Chinese file names, spaces), `&` escaped, existing `%XX` escapes kept.
fn escape_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        match byte {
            b'&' => out.push_str("&amp;"),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => out.push(byte as char),
            // No `,`: these URLs also stand in `srcset`, where a comma ends one.
            b'-' | b'_' | b'.' | b'~' | b'!' | b'*' | b'(' | b')' | b';' | b':' | b'@' | b'='
            | b'+' | b'$' | b'/' | b'?' | b'#' | b'%' | b'[' | b']' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The alt text of an image: the text of the events inside it.
fn alt_text(inner: &[Event<'_>]) -> String {
    let mut alt = String::new();
    for event in inner {
        match event {
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

/// An image alone in its paragraph with a title (`![说明](photo.jpg "图注")`) becomes
/// a `<figure>` whose caption is the title; an image link to a sound or video file
/// becomes an `<audio>` or `<video>` player that loads only its length until played.
/// A picture of the site becomes a `Hole::Image`, recorded with its line (`lines` holds
/// each image's line, in order), to be filled once its copies are made.
fn figures_and_media<'a>(
    events: Vec<Event<'a>>,
    lines: &[usize],
) -> (Vec<Event<'a>>, Vec<ImageUse>) {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut images = Vec::new();
    let mut seen = 0;
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &events[i]
        else {
            out.push(events[i].clone());
            i += 1;
            continue;
        };
        let end = events[i..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Image)))
            .map_or(events.len() - 1, |n| i + n);
        let alt = alt_text(&events[i + 1..end]);
        let line = lines.get(seen).copied().unwrap_or(0);
        seen += 1;
        // Alone in its paragraph: the paragraph gives way to the figure.
        let alone = matches!(out.last(), Some(Event::Start(Tag::Paragraph)))
            && matches!(events.get(end + 1), Some(Event::End(TagEnd::Paragraph)));
        let figure = alone && !title.trim().is_empty();
        let element = match media_kind(dest_url) {
            Some((element, mime)) => {
                let label = if alt.is_empty() {
                    title.as_ref()
                } else {
                    alt.as_str()
                };
                // Page-relative files work from other pages too with the page's URL.
                let base = if crate::url::is_page_relative(dest_url) {
                    Hole::Base.marker()
                } else {
                    String::new()
                };
                let src = format!("{base}{}", escape_url(dest_url));
                let mut html = format!("<{element} controls preload=\"metadata\" src=\"{src}\"");
                if !label.is_empty() {
                    html.push_str(&format!(" aria-label=\"{}\"", escape_attribute(label)));
                }
                // Without the player, a link to the file.
                html.push_str(&format!(
                    "><a href=\"{src}\" type=\"{mime}\">{text}</a></{element}>",
                    text = escape_attribute(if label.is_empty() { dest_url } else { label }),
                ));
                vec![Event::Html(html.into())]
            }
            None => {
                let use_ = ImageUse {
                    dest: dest_url.to_string(),
                    alt,
                    title: if figure {
                        String::new()
                    } else {
                        title.to_string()
                    },
                    line,
                };
                if is_local(dest_url) {
                    images.push(use_);
                    vec![Event::Html(Hole::Image(images.len() - 1).marker().into())]
                } else {
                    vec![Event::Html(image_html(&use_, None, "").into())]
                }
            }
        };
        if figure {
            out.pop();
            out.push(Event::Html("<figure>".into()));
            out.extend(element);
            out.push(Event::Html("<figcaption>".into()));
            out.push(Event::Text(title.clone()));
            out.push(Event::Html("</figcaption></figure>\n".into()));
            i = end + 2;
        } else {
            out.extend(element);
            i = end + 1;
        }
    }
    (out, images)
}

/// The Markdown extensions casebook reads.
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The body as pulldown-cmark events with the fixes for Chinese text applied (bold next
/// to full-width punctuation, no spaces from line breaks), for writers other than HTML
/// (the Word file of a lesson). Links keep their written destinations.
pub(crate) fn events(body: &str) -> Vec<Event<'_>> {
    let options = parser_options();
    let events = merge_text(Parser::new_ext(body, options).collect());
    cjk_strong(drop_cjk_soft_breaks(events)).0
}

/// Table cell alignment as classes: pulldown-cmark writes `style` attributes, which a
/// strict Content-Security-Policy (`style-src 'self'`) blocks.
fn alignment_as_classes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// The content path and anchor an internal link points at, or `None` for other links.
fn internal_target(dest: &str, content_path: &str) -> Option<Internal> {
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_owned())),
        None => (dest, None),
    };
    if let Some(rooted) = path.strip_prefix("@/") {
        return Some(Internal {
            target: normalise(rooted),
            anchor,
        });
    }
    let is_relative_md = path.ends_with(".md")
        && !path.contains("://")
        && !path.starts_with('/')
        && !path.starts_with("mailto:");
    if !is_relative_md {
        return None;
    }
    let folder = content_path.rsplit_once('/').map_or("", |(f, _)| f);
    let joined = if folder.is_empty() {
        path.to_owned()
    } else {
        format!("{folder}/{path}")
    };
    Some(Internal {
        target: normalise(&joined),
        anchor,
    })
}

/// Resolves `.` and `..` segments; a path climbing above `content/` keeps its `..` so
/// that it matches no page and is reported.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    // Editors on Windows write `@/cases\三进下党.md`: a backslash separates folders too.
    for segment in path.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Joins runs of text events, so that fixes below see `**强调：**` as one string.
fn merge_text(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut merged: Vec<Event> = Vec::with_capacity(events.len());
    for event in events {
        if let (Event::Text(next), Some(Event::Text(previous))) = (&event, merged.last_mut()) {
            let mut joined = previous.to_string();
            joined.push_str(next);
            *previous = joined.into();
            continue;
        }
        merged.push(event);
    }
    merged
}

/// A line break inside a Chinese paragraph must not become a space between characters.
fn drop_cjk_soft_breaks(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // The nearest text on one side of a break, looking through inline markup such as
    // `**` delimiters and the start or end of bold, emphasis and links.
    let edge_char = |event: &Event, last: bool| -> Option<Option<char>> {
        match event {
            Event::Text(t) | Event::Code(t) => {
                let t = t.trim_matches('*');
                Some(if last {
                    t.chars().next_back()
                } else {
                    t.chars().next()
                })
            }
            Event::Start(Tag::Strong | Tag::Emphasis | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(
                TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link,
            ) => None,
            _ => Some(None),
        }
    };
    let breaks_between_cjk: Vec<bool> = (0..events.len())
        .map(|i| {
            if events[i] != Event::SoftBreak {
                return false;
            }
            let before = events[..i].iter().rev().find_map(|e| edge_char(e, true));
            let after = events[i + 1..].iter().find_map(|e| edge_char(e, false));
            before.flatten().is_some_and(is_cjk) && after.flatten().is_some_and(is_cjk)
        })
        .collect();
    let kept = events
        .into_iter()
        .zip(breaks_between_cjk)
        .filter_map(|(event, drop)| (!drop).then_some(event))
        .collect();
    merge_text(kept)
}

/// Turns pairs of literal `**` left in a text run into bold. CommonMark's flanking
/// rules leave `**强调：**文本` unbolded because of the full-width colon; editors mean
/// bold. Inline code is a `Code` event, but a code block's lines are `Text` events
/// inside it: those are left as written. Also gives the number of the first `**` (in
/// the order met) that stays literal, having no partner.
fn cjk_strong(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Option<usize>) {
    let mut out = Vec::with_capacity(events.len());
    let mut in_code_block = false;
    let mut met = 0;
    let mut literal = None;
    for event in events {
        if let Event::Text(text) = &event
            && !in_code_block
        {
            let count = text.matches("**").count();
            let paired = if count >= 2 { count / 2 * 2 } else { 0 };
            if count > paired {
                literal = literal.or(Some(met + paired));
            }
            met += count;
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                out.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                out.push(event);
            }
            Event::Text(text) if !in_code_block && text.matches("**").count() >= 2 => {
                let pieces: Vec<&str> = text.split("**").collect();
                let pairs = (pieces.len() - 1) / 2;
                for (i, piece) in pieces.iter().enumerate() {
                    if i > 0 {
                        if i <= pairs * 2 {
                            out.push(if i % 2 == 1 {
                                Event::Start(Tag::Strong)
                            } else {
                                Event::End(TagEnd::Strong)
                            });
                        } else {
                            out.push(Event::Text("**".into()));
                        }
                    }
                    if !piece.is_empty() {
                        out.push(Event::Text(piece.to_string().into()));
                    }
                }
            }
            other => out.push(other),
        }
    }
    (out, literal)
}

/// The id for a heading's text: Chinese and other letters kept, ASCII lowercased,
/// spaces to `-`, punctuation dropped.
pub(crate) fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            id.extend(c.to_lowercase());
        } else if c.is_whitespace() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-');
    if id.is_empty() {
        "section".to_owned()
    } else {
        id.to_owned()
    }
}

/// Gives every heading an id (its own `{#id}` or one made from its text, with -1, -2
/// for repeats) and collects the table of contents.
fn assign_heading_ids(events: &mut [Event<'_>]) -> (Vec<Heading>, Vec<String>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut toc = Vec::new();
    let mut ids = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else {
            i += 1;
            continue;
        };
        let level = *level;
        let explicit = id.as_ref().map(|s| s.to_string());
        let mut title = String::new();
        let mut j = i + 1;
        while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
            if let Event::Text(t) | Event::Code(t) = &events[j] {
                title.push_str(t);
            }
            j += 1;
        }
        let base = explicit.unwrap_or_else(|| heading_id(&title));
        let count = seen.entry(base.clone()).or_insert(0);
        let unique = if *count == 0 {
            base.clone()
        } else {
            format!("{base}-{count}")
        };
        *count += 1;
        seen.entry(unique.clone()).or_insert(1);
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(unique.clone().into());
        }
        if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
            toc.push(Heading {
                level: level as u8,
                id: unique.clone(),
                title: title.trim().to_owned(),
            });
        }
        ids.push(unique);
        i = j;
    }
    (toc, ids)
}

/// The HTML before `<!-- more -->`, or else of the first paragraph.
fn summary(events: &[Event<'_>]) -> Option<String> {
    let more = events.iter().position(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => h.contains("<!-- more -->"),
        _ => false,
    });
    let slice = match more {
        Some(end) => &events[..end],
        None => {
            let start = events
                .iter()
                .position(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
            let end = events[start..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))?;
            &events[start..=start + end]
        }
    };
    let mut html = String::new();
    // Footnote references would point at definitions that are not in the summary.
    html::push_html(
        &mut html,
        slice
            .iter()
            .filter(|e| !matches!(e, Event::FootnoteReference(_)))
            .cloned(),
    );
    let html = html.trim().to_owned();
    (!html.is_empty()).then_some(html)
}

/// All text of the page, one line per block.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut plain = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => plain.push_str(t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) if !plain.ends_with('\n') && !plain.is_empty() => plain.push('\n'),
            _ => {}
        }
    }
    plain.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, 1, "cases/a.md").html
    }

    #[test]
    fn bold_next_to_chinese_punctuation() {
        assert_eq!(
            html("**强调：**文本"),
            "<p><strong>强调：</strong>文本</p>\n"
        );
        assert_eq!(
            html("这是**“引号”**测试"),
            "<p>这是<strong>“引号”</strong>测试</p>\n"
        );
        assert_eq!(
            html("`**a**` 与 **b**"),
            "<p><code>**a**</code> 与 <strong>b</strong></p>\n"
        );
        assert_eq!(html("单个 ** 星号"), "<p>单个 ** 星号</p>\n");
    }

    #[test]
    fn code_blocks_keep_their_stars() {
        for block in ["```text\n**强调：**文本\n```\n", "    **强调：**文本\n"] {
            let out = html(block);
            assert!(out.contains("<code"), "{out}");
            assert!(out.contains("**强调：**文本"), "{out}");
            assert!(!out.contains("<strong>"), "{out}");
        }
        // The Word file's events too.
        let events = events("```\n**强调：**文本\n```\n");
        assert!(!events.contains(&Event::Start(Tag::Strong)), "{events:?}");
    }

    #[test]
    fn soft_breaks_between_chinese_are_dropped() {
        assert_eq!(html("第一行\n第二行"), "<p>第一行第二行</p>\n");
        assert_eq!(html("first\nsecond"), "<p>first\nsecond</p>\n");
        assert_eq!(
            html("**第一行：**\n第二行"),
            "<p><strong>第一行：</strong>第二行</p>\n"
        );
    }

    #[test]
    fn heading_ids_keep_chinese_and_number_repeats() {
        let r = render(
            "## 第一次：1989年7月19日\n\n## Hello World\n\n## 讨论\n\n### 讨论\n\n## 自定 {#first}\n",
            1,
            "a.md",
        );
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "第一次1989年7月19日",
                "hello-world",
                "讨论",
                "讨论-1",
                "first"
            ]
        );
        assert!(r.html.contains("<h2 id=\"讨论\">讨论</h2>"), "{}", r.html);
        assert_eq!(r.toc[3].level, 3);
    }

    /// The HTML with holes shown as `{L0}`, `{I0}`, `{B}`.
    fn shown(html: &str) -> String {
        fill_holes(html, |hole, out| {
            out.push_str(&match hole {
                Hole::Link(n) => format!("{{L{n}}}"),
                Hole::Image(n) => format!("{{I{n}}}"),
                Hole::Base => "{B}".to_owned(),
            })
        })
    }

    #[test]
    fn internal_links_become_holes_with_lines() {
        let r = render(
            "intro\n\n[下党](@/cases/三进下党.md#first)\nand [b](../history/b.md) [web](https://a.cn/x.md)\n",
            5,
            "cases/a.md",
        );
        let internal: Vec<_> = r.links.iter().filter_map(|l| l.internal.as_ref()).collect();
        assert_eq!(internal.len(), 2);
        assert_eq!(internal[0].target, "cases/三进下党.md");
        assert_eq!(internal[0].anchor.as_deref(), Some("first"));
        assert_eq!((r.links[0].line, r.links[0].column), (7, 6));
        assert_eq!(internal[1].target, "history/b.md");
        assert_eq!((r.links[1].line, r.links[1].column), (8, 9));
        let html = shown(&r.html);
        assert!(html.contains("<a href=\"{L0}\">下党</a>"), "{html}");
        assert!(html.contains("href=\"https://a.cn/x.md\""), "{html}");
    }

    #[test]
    fn every_link_and_picture_is_recorded_as_written_where_written() {
        let r = render(
            concat!(
                "见[网站](pptrconsole.com)和 [下党][ref]。\n",
                "  ![照片](<照片 1.jpg> \"题\") <https://a.cn/x>\n",
                "\n",
                "<div>\n<a\n  href=\"../nowhere/\">x</a> <img src=\"/a.png\">\n</div>\n",
                "\n",
                "[链接 `]`](/cases/三近下党/) [a\\]b](x%20y.pdf \"t\")\n",
                "\n",
                "[ref]:\n   /cases/下党/#first\n",
            ),
            3,
            "cases/a.md",
        );
        let found: Vec<(&str, usize, usize)> = r
            .links
            .iter()
            .map(|l| (l.written.as_str(), l.line, l.column))
            .collect();
        assert_eq!(
            found,
            [
                ("pptrconsole.com", 3, 7),
                ("/cases/下党/#first", 14, 4),
                ("照片 1.jpg", 4, 10),
                ("https://a.cn/x", 4, 26),
                ("../nowhere/", 8, 9),
                ("/a.png", 8, 38),
                ("/cases/三近下党/", 11, 10),
                ("x%20y.pdf", 11, 31),
            ]
        );
        assert_eq!(r.links[2].dest, "照片 1.jpg");
    }

    #[test]
    fn page_relative_urls_wait_for_the_page_url() {
        let r = render(
            "[文件](附件.pdf) [上](/a/) <a@b.cn> [锚](#x)\n\n<a href=\"b.pdf\">b</a>\n\n![视频](v.mp4)\n",
            1,
            "cases/a.md",
        );
        let html = shown(&r.html);
        assert!(
            html.contains("href=\"{B}%E9%99%84%E4%BB%B6.pdf\""),
            "{html}"
        );
        assert!(html.contains("href=\"/a/\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.cn\""), "{html}");
        assert_eq!(r.links[2].dest, "mailto:a@b.cn");
        assert!(html.contains("href=\"#x\""), "{html}");
        assert!(html.contains("<a href=\"{B}b.pdf\">"), "{html}");
        assert!(html.contains("src=\"{B}v.mp4\""), "{html}");
    }

    #[test]
    fn text_and_code_are_never_taken_for_links_or_holes() {
        let r = render(
            "0; url=/cases/ 与 casebook:link:0 与 <!--casebook:image:0-->\n\n```\n<a href=\"/cases/\">x</a> href=\"b.pdf\"\n```\n\n`<img src=\"c.png\">`\n",
            1,
            "cases/a.md",
        );
        assert!(r.links.is_empty(), "{:?}", r.links);
        assert!(!r.html.contains(HOLE), "{}", r.html);
        assert!(r.html.contains("href=\"/cases/\""), "{}", r.html);
        assert!(r.html.contains("casebook:link:0"), "{}", r.html);
    }

    #[test]
    fn a_literal_double_star_is_found_where_written() {
        let r = render("甲\n\n这里的**星号没有配对\n\n```\n**\n```\n", 10, "a.md");
        assert_eq!(r.literal_stars, Some((12, 4)));
        let paired = render("**强调：**文本 `**` **b**\n\n```\n**\n```\n", 1, "a.md");
        assert_eq!(paired.literal_stars, None);
        let third = render("**甲：**乙 **丙\n", 1, "a.md");
        assert_eq!(third.literal_stars, Some((1, 9)));
        let note = render("<!-- 讲稿：**提醒 -->\n", 1, "a.md");
        assert_eq!(note.literal_stars, Some((1, 9)));
    }

    #[test]
    fn footnotes_tables_tasks_and_strikethrough() {
        let r = html(
            "正文[^1]\n\n[^1]: 注释\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] 完成\n\n~~删~~\n",
        );
        assert!(r.contains("href=\"#fn-1\""), "{r}");
        assert!(r.contains("id=\"fn-1\""), "{r}");
        assert!(r.contains("<table>"));
        let aligned = html("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(
            aligned.contains("<th class=\"align-left\">a</th>"),
            "{aligned}"
        );
        assert!(!aligned.contains("style="), "{aligned}");
        assert!(r.contains("checkbox"));
        assert!(r.contains("<del>删</del>"));
    }

    #[test]
    fn reading_time_counts_chinese_and_latin_apart() {
        let chinese = "学".repeat(900);
        assert_eq!(
            reading_time(&chinese),
            ReadingTime {
                han: 900,
                words: 0,
                minutes: 3
            }
        );
        let latin = "word ".repeat(400);
        assert_eq!(reading_time(&latin).words, 400);
        assert_eq!(reading_time(&latin).minutes, 2);
        let mixed = format!("{} casebook builds sites 1989年", "学".repeat(301));
        let r = reading_time(&mixed);
        assert_eq!((r.han, r.words, r.minutes), (302, 4, 2));
        assert_eq!(reading_time("").minutes, 1);
    }

    #[test]
    fn summary_and_plain_text() {
        let r = render("第一段。\n\n第二段。\n", 1, "a.md");
        assert_eq!(r.summary_html.as_deref(), Some("<p>第一段。</p>"));
        assert_eq!(r.plain, "第一段。\n第二段。");
        let r = render("甲\n\n乙\n\n<!-- more -->\n\n丙\n", 1, "a.md");
        assert_eq!(r.summary_html.as_deref(), Some("<p>甲</p>\n<p>乙</p>"));
        assert_eq!(render("", 1, "a.md").summary_html, None);
        let r = render("<b>原始</b> 文本", 1, "a.md");
        assert!(!r.plain.contains('<'), "{}", r.plain);
    }

    #[test]
    fn sections_start_at_level_two_headings() {
        let r = render(
            "引言\n\n## 一\n\n甲\n\n### 小节\n\n## 二\n\n乙\n",
            1,
            "a.md",
        );
        let starts: Vec<&str> = r.section_starts.iter().map(|&s| &r.html[s..]).collect();
        assert_eq!(starts.len(), 2);
        assert!(
            starts[0].starts_with("<h2 id=\"一\">一</h2>"),
            "{}",
            starts[0]
        );
        assert!(
            starts[1].starts_with("<h2 id=\"二\">二</h2>"),
            "{}",
            starts[1]
        );
        assert!(r.html.starts_with("<p>引言</p>"));
    }

    #[test]
    fn speaker_notes_are_marked() {
        let out = html("> 讲稿：先提问。\n\n> 引文\n\n<!-- 讲稿：慢一点 -->\n\n<!-- 别的 -->\n");
        assert!(
            out.contains(
                "<blockquote class=\"speaker-notes\">\n<p>讲稿：先提问。</p>\n</blockquote>"
            ),
            "{out}"
        );
        assert!(out.contains("<blockquote>\n<p>引文</p>"), "{out}");
        assert!(
            out.contains("<div class=\"speaker-notes\" hidden><p>讲稿：慢一点</p></div>"),
            "{out}"
        );
        assert!(out.contains("<!-- 别的 -->"), "{out}");
        let escaped = render_with("<!-- 讲稿：x -->\n", 1, "a.md", RawHtml::Escape).html;
        assert!(!escaped.contains("speaker-notes"), "{escaped}");
    }

    #[test]
    fn an_image_with_a_title_alone_in_its_paragraph_is_a_figure() {
        assert_eq!(
            html("![鸾峰桥](https://a.cn/桥.jpg \"1989年的鸾峰桥\")\n"),
            "<figure><img src=\"https://a.cn/%E6%A1%A5.jpg\" alt=\"鸾峰桥\" loading=\"lazy\" decoding=\"async\"><figcaption>1989年的鸾峰桥</figcaption></figure>\n"
        );
        // Without a title, or beside text, it stays an image in a paragraph.
        assert_eq!(shown(&html("![桥](a.jpg)\n")), "<p>{I0}</p>\n");
        let local = render("![鸾峰桥](桥.jpg \"1989年的鸾峰桥\")\n", 4, "a.md");
        assert_eq!(
            shown(&local.html),
            "<figure>{I0}<figcaption>1989年的鸾峰桥</figcaption></figure>\n"
        );
        assert_eq!(
            local.images,
            [ImageUse {
                dest: "桥.jpg".into(),
                alt: "鸾峰桥".into(),
                title: String::new(),
                line: 4
            }]
        );
        let inline = html("看 ![桥](//a.cn/a.jpg \"注\") 这里\n");
        assert!(inline.starts_with("<p>看 <img"), "{inline}");
        assert!(!inline.contains("<figure>"), "{inline}");
        // The caption is text, never markup.
        assert!(inline.contains("title=\"注\""), "{inline}");
        let caption = html("![x](a.jpg \"<b>注</b>\")\n");
        assert!(
            caption.contains("<figcaption>&lt;b&gt;注&lt;/b&gt;</figcaption>"),
            "{caption}"
        );
    }

    #[test]
    fn alerts_and_editors_notes_are_callouts() {
        let note = html("> [!NOTE]\n> 记住时间。\n");
        assert_eq!(
            note,
            "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-label\">注意</p>\n<p>记住时间。</p>\n</div>\n"
        );
        for (mark, class, label) in [
            ("TIP", "tip", "提示"),
            ("IMPORTANT", "important", "重要"),
            ("WARNING", "warning", "警告"),
            ("CAUTION", "caution", "慎重"),
        ] {
            let out = html(&format!("> [!{mark}]\n> 文字\n"));
            assert!(out.contains(&format!("callout-{class}")), "{out}");
            assert!(out.contains(&format!(">{label}</p>")), "{out}");
        }
        let editor = html("> [!编者按]\n> 本文据采访整理。\n\n> 普通引文\n");
        assert!(
            editor.starts_with("<div class=\"callout callout-editor\" role=\"note\">\n<p class=\"callout-label\">编者按</p>\n<p>本文据采访整理。</p>\n</div>"),
            "{editor}"
        );
        assert!(editor.contains("<blockquote>\n<p>普通引文</p>"), "{editor}");
        let same_line = html("> [!编者按] 本文据采访整理。\n");
        assert!(same_line.contains("<p>本文据采访整理。</p>"), "{same_line}");
        let own_paragraph = html("> [!编者按]\n>\n> 第二段。\n");
        assert!(
            own_paragraph.contains("编者按</p>\n<p>第二段。</p>"),
            "{own_paragraph}"
        );
        assert!(!own_paragraph.contains("<p></p>"), "{own_paragraph}");
        assert!(
            !render("> [!NOTE]\n> 文字\n", 1, "a.md")
                .plain
                .contains("[!")
        );
    }

    #[test]
    fn image_links_to_sound_and_video_become_players() {
        let video = shown(&html("![讲座录像](讲座.mp4)\n"));
        assert!(
            video.contains("<video controls preload=\"metadata\" src=\"{B}%E8%AE%B2%E5%BA%A7.mp4\" aria-label=\"讲座录像\">"),
            "{video}"
        );
        assert!(
            video.contains(
                "<a href=\"{B}%E8%AE%B2%E5%BA%A7.mp4\" type=\"video/mp4\">讲座录像</a></video>"
            ),
            "{video}"
        );
        let audio = shown(&html("![](talk.MP3 \"1996年讲话录音\")\n"));
        assert!(
            audio.starts_with("<figure><audio controls preload=\"metadata\" src=\"{B}talk.MP3\""),
            "{audio}"
        );
        assert!(
            audio.contains("<figcaption>1996年讲话录音</figcaption></figure>"),
            "{audio}"
        );
        for ext in ["webm", "m4a", "ogg"] {
            assert!(html(&format!("![x](a.{ext})")).contains("preload=\"metadata\""));
        }
    }

    #[test]
    fn responsive_images_offer_their_copies() {
        let image = ImageUse {
            dest: "照片 1.jpg".into(),
            alt: "会议\"现场\"".into(),
            title: String::new(),
            line: 1,
        };
        let r = Responsive {
            width: 1200,
            height: 800,
            src: "照片 1.jpg".into(),
            srcset: vec![("照片 1.480.jpg".into(), 480), ("照片 1.jpg".into(), 1200)],
            webp: vec![],
        };
        assert_eq!(
            image_html(&image, Some(&r), "/p/"),
            format!(
                "<img src=\"/p/%E7%85%A7%E7%89%87%201.jpg\" alt=\"会议&quot;现场&quot;\" srcset=\"/p/%E7%85%A7%E7%89%87%201.480.jpg 480w, /p/%E7%85%A7%E7%89%87%201.jpg 1200w\" sizes=\"{IMAGE_SIZES}\" width=\"1200\" height=\"800\" loading=\"lazy\" decoding=\"async\">"
            )
        );
        let with_webp = Responsive {
            webp: vec![("a.480.webp".into(), 480)],
            ..r
        };
        let html = image_html(&image, Some(&with_webp), "");
        assert!(
            html.starts_with("<picture><source type=\"image/webp\" srcset=\"a.480.webp 480w\""),
            "{html}"
        );
        assert!(html.ends_with("></picture>"), "{html}");
        assert_eq!(
            image_html(&image, None, ""),
            "<img src=\"%E7%85%A7%E7%89%87%201.jpg\" alt=\"会议&quot;现场&quot;\" loading=\"lazy\" decoding=\"async\">"
        );
        assert!(is_local("a.jpg") && is_local("/static/a.jpg") && is_local("../a.jpg"));
        assert!(
            !is_local("https://a.cn/a.jpg") && !is_local("//a.cn/a.jpg") && !is_local("data:x")
        );
    }
}
