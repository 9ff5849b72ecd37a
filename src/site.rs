//! The assembled site: the section tree, pages in order with their URLs, internal links
//! resolved, taxonomies, aliases and timeline events. Every fact that spans pages is
//! computed here, once, by passes that each return their own data; the model is then
//! built whole, so rendering, search and check only read it.

mod edits;
mod events;
mod outputs;
mod sections;
mod taxonomies;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::content::front_matter::{PageFront, SectionFront};
use crate::content::images::{self, Picture};
use crate::content::{Content, CopiedFile, Page};
use crate::diagnostics::{Problem, did_you_mean};
use crate::markdown::{Hole, Link, Rendered, Responsive};
use crate::messages::{self, Text};
use crate::timeline::Timeline;
use crate::url::encode_path;

pub(crate) use outputs::{Extra, LessonFiles};

use sections::Outline;

/// The whole site, ready to render. Cheap to clone: pages and the timeline are shared.
#[derive(Debug, Clone)]
pub struct Site {
    /// The checked configuration.
    pub config: Config,
    /// Sections; index 0 is the home page (the root of `content/`).
    pub sections: Vec<SiteSection>,
    /// Pages, in path order (sections hold their own ordering).
    pub pages: Vec<Arc<SitePage>>,
    /// Declared taxonomies with their terms.
    pub taxonomies: Vec<SiteTaxonomy>,
    /// Redirect pages for old URLs.
    pub aliases: Vec<Alias>,
    /// Files copied as they are, with their final output paths.
    pub files: Vec<CopiedFile>,
    /// Every event of the site, in order.
    pub timeline: Arc<Timeline>,
}

/// A page with its place in the site.
#[derive(Debug, Clone)]
pub struct SitePage {
    /// What was read from the file (shared with the load cache of the dev server).
    pub page: Arc<Page>,
    /// Root-absolute, percent-encoded URL (`/cases/%E4%B8%89…/`).
    pub url: String,
    /// Output file, `/`-separated (`cases/三进下党/index.html`).
    pub output: String,
    /// The body HTML with internal links resolved to root-absolute URLs.
    pub html: Arc<str>,
    /// Where each `##` section starts in `html` (see `Rendered::section_starts`).
    pub section_starts: Vec<usize>,
    /// Index of the section the page is in.
    pub section: usize,
    /// The page before this one in its section's order.
    pub previous: Option<usize>,
    /// The page after this one.
    pub next: Option<usize>,
    /// What lists, cards, feeds and meta descriptions say of the page.
    pub summary: Summary,
    /// Root-absolute URL of the first picture the page shows (its widest copy in the
    /// picture's own format), for share cards.
    pub image: Option<String>,
    /// The lesson's readings, links resolved and short forms titled from their pages.
    pub readings: Vec<Reading>,
    /// The slides, packet and Word file of a lesson (none for other pages).
    pub lesson_files: LessonFiles,
    /// The page's terms: for each taxonomy of the site (by index), indices of its terms.
    pub terms: Vec<Vec<usize>>,
    /// Up to `RELATED_PAGES` pages sharing the most terms with this one.
    pub related: Vec<usize>,
}

impl SitePage {
    /// The page's checked front matter.
    pub fn front(&self) -> &PageFront {
        &self.page.front
    }

    /// The page's source file, relative to the site root: what messages blame.
    pub fn file(&self) -> &Path {
        &self.page.file
    }

    /// The body as the Markdown pass left it. Its `html` still has `@/` links
    /// unresolved: pages show `SitePage::html` instead.
    pub fn rendered(&self) -> &Rendered {
        &self.page.rendered
    }
}

/// A page's summary: the front matter's `summary`, else the body's (before
/// `<!-- more -->`, or its first paragraph).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// As HTML, links resolved; empty when the page has neither.
    pub html: String,
    /// As plain text: the front matter's, else the start of the body's text (at most
    /// `SUMMARY_TEXT_CHARS` characters, which views shorten further).
    pub text: String,
}

/// How much of a body's text a summary keeps.
pub(crate) const SUMMARY_TEXT_CHARS: usize = 200;

impl Summary {
    fn of(page: &Page, body_summary: Option<String>) -> Summary {
        match &page.front.summary {
            Some(text) => Summary {
                html: format!("<p>{}</p>", crate::html::escape(text.trim())),
                text: text.clone(),
            },
            None => Summary {
                html: body_summary.unwrap_or_default(),
                text: page
                    .rendered
                    .plain
                    .chars()
                    .take(SUMMARY_TEXT_CHARS)
                    .collect(),
            },
        }
    }
}

/// A reading of a lesson (学习材料).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// What to read: as written, else the title of the page it links to.
    pub title: String,
    /// Where, resolved: root-absolute for a page of the site.
    pub url: Option<String>,
    /// Where, as written (`@/cases/x.md`, `https://…`).
    pub written: Option<String>,
}

/// A section with its place in the tree.
#[derive(Debug, Clone)]
pub struct SiteSection {
    /// Folder path under `content/` (`""` for home).
    pub path: String,
    /// The `_index.md`, when there is one.
    pub file: Option<PathBuf>,
    /// Title: front matter, else the folder name, else the site title.
    pub title: String,
    /// Checked front matter (defaults when there is no `_index.md`).
    pub front: SectionFront,
    /// The introduction's HTML, links resolved.
    pub html: String,
    /// Root-absolute URL.
    pub url: String,
    /// Output file.
    pub output: String,
    /// The enclosing section (`None` for home).
    pub parent: Option<usize>,
    /// Subsections, by weight then title.
    pub children: Vec<usize>,
    /// Pages in the section's order.
    pub pages: Vec<usize>,
    /// Heading ids of the introduction.
    pub heading_ids: Vec<String>,
    /// Links and pictures of the introduction as written, for `check`.
    pub links: Vec<Link>,
    /// Where the introduction shows a literal `**` (line, column of the file), for
    /// `check`.
    pub literal_stars: Option<(usize, usize)>,
    /// The printable packet of the section's pages, unless it has none or too many.
    pub packet: Option<Extra>,
}

impl SiteSection {
    /// The file a problem of the section is blamed on: its `_index.md`, else its folder.
    pub fn blamed_file(&self) -> PathBuf {
        self.file
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::content::CONTENT_DIR).join(&self.path))
    }
}

/// A taxonomy (专题) and its terms.
#[derive(Debug, Clone)]
pub struct SiteTaxonomy {
    /// Front matter key and URL segment.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Root-absolute URL of the list of terms.
    pub url: String,
    /// Output file of that list.
    pub output: String,
    /// Terms, sorted by name.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy and its pages.
#[derive(Debug, Clone)]
pub struct Term {
    /// The term as first written.
    pub name: String,
    /// Root-absolute URL.
    pub url: String,
    /// Output file.
    pub output: String,
    /// Pages with the term, by date then title.
    pub pages: Vec<usize>,
}

/// A redirect from an old URL.
#[derive(Debug, Clone)]
pub struct Alias {
    /// Output file of the redirect page.
    pub output: String,
    /// Root-absolute URL it sends readers to.
    pub target: String,
    /// The page declaring it.
    pub file: PathBuf,
}

/// The folder a page or section writes to: its output without `index.html`.
fn url_of(path: &str) -> String {
    if path.is_empty() {
        "/".to_owned()
    } else {
        format!("/{}/", encode_path(path))
    }
}

fn output_of(path: &str) -> String {
    if path.is_empty() {
        "index.html".to_owned()
    } else {
        format!("{path}/index.html")
    }
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

impl Site {
    /// Builds the site model from loaded content, or every problem found.
    pub fn assemble(config: Config, content: Content, drafts: bool) -> Result<Site, Vec<Problem>> {
        Site::assemble_with(config, content, drafts, None)
    }

    /// `assemble`, reusing from `memo` the parts whose inputs are what they were last
    /// time (the dev server keeps one); the result is the same either way.
    pub fn assemble_with(
        config: Config,
        content: Content,
        drafts: bool,
        memo: Option<&Memo>,
    ) -> Result<Site, Vec<Problem>> {
        let mut problems = Vec::new();
        let Content {
            sections: loaded_sections,
            pages,
            files,
            warnings: _,
            pictures,
            fresh: _,
        } = content;
        let mut pages: Vec<Arc<Page>> = pages
            .into_iter()
            .filter(|p| drafts || !p.front.draft)
            .collect();
        pages.sort_by(|a, b| a.content_path.cmp(&b.content_path));

        let outline = crate::progress::timed("assemble: outline", || {
            sections::outline(&config, loaded_sections, &pages, &mut problems)
        });
        let section_of: Vec<usize> = {
            let index = sections::index_by_path(&outline);
            pages
                .iter()
                .map(|page| index[page.section.as_str()])
                .collect()
        };
        let paths: Vec<String> = pages.iter().map(|p| join(&p.section, &p.slug)).collect();
        let urls: Vec<String> = paths.iter().map(|p| url_of(p)).collect();
        let outputs: Vec<String> = paths.iter().map(|p| output_of(p)).collect();
        let order = crate::progress::timed("assemble: order", || {
            sections::order(&outline, &pages, &section_of)
        });
        let taxonomies = crate::progress::timed("assemble: taxonomies", || {
            taxonomies::taxonomies(&config, &pages, &mut problems)
        });
        let terms = crate::progress::timed("assemble: page terms", || {
            taxonomies::page_terms(&pages, &taxonomies)
        });
        let related = crate::progress::timed("assemble: related", || {
            taxonomies::related(&pages, &terms, &taxonomies, memo.map(|m| &m.related))
        });
        let aliases = crate::progress::timed("assemble: aliases", || {
            outputs::aliases(&pages, &urls, &mut problems)
        });
        let files = crate::progress::timed("assemble: place files", || {
            outputs::place_files(files, &pages, &outputs, &pictures)
        });
        let bodies = crate::progress::timed("assemble: resolve links", || {
            let targets = LinkTargets::new(
                pages
                    .iter()
                    .zip(&urls)
                    .map(|(page, url)| PageTarget::of(page, url)),
                outline
                    .iter()
                    .map(|s| (s.path.as_str(), s.url.as_str(), &s.rendered.heading_ids[..])),
            );
            let kept = memo.map(|m| &m.bodies);
            let (pages, found) = page_bodies(&pages, &urls, &targets, &pictures, kept);
            problems.extend(found);
            let sections = section_bodies(&outline, &targets, &pictures, &mut problems);
            Bodies { pages, sections }
        });
        let events = {
            let placed: Vec<events::Placed> = (0..pages.len())
                .map(|i| events::Placed {
                    url: &urls[i],
                    on_timeline: outline[section_of[i]].front.timeline,
                    terms: &terms[i],
                })
                .collect();
            events::events(&pages, &placed, &taxonomies, &config)
        };
        let timeline = crate::progress::timed("assemble: timeline", || {
            crate::timeline::arrange(events, &config.eras)
        });

        let sections = outline
            .into_iter()
            .zip(order.pages)
            .zip(bodies.sections)
            .map(|((section, pages), html)| SiteSection {
                packet: outputs::section_packet(&section.output, pages.len()),
                heading_ids: section.rendered.heading_ids,
                links: section.rendered.links,
                literal_stars: section.rendered.literal_stars,
                path: section.path,
                file: section.file,
                title: section.title,
                front: section.front,
                html,
                url: section.url,
                output: section.output,
                parent: section.parent,
                children: section.children,
                pages,
            })
            .collect();
        let pages = pages
            .into_iter()
            .zip(urls.into_iter().zip(outputs))
            .zip(bodies.pages)
            .zip(terms.into_iter().zip(related))
            .enumerate()
            .map(|(i, (((page, (url, output)), body), (terms, related)))| {
                Arc::new(SitePage {
                    summary: Summary::of(&page, body.summary_html),
                    lesson_files: LessonFiles::of(&page, &output, &config),
                    section: section_of[i],
                    previous: order.previous[i],
                    next: order.next[i],
                    html: body.html,
                    section_starts: body.section_starts,
                    image: body.image,
                    readings: body.readings,
                    terms,
                    related,
                    url,
                    output,
                    page,
                })
            })
            .collect();
        let site = Site {
            timeline: Arc::new(timeline),
            config,
            sections,
            pages,
            taxonomies,
            aliases,
            files,
        };
        crate::progress::timed("assemble: check outputs", || {
            outputs::check_output_paths(&site, &mut problems, memo.map(|m| &m.claims))
        });
        if problems.is_empty() {
            Ok(site)
        } else {
            Err(problems)
        }
    }
}

/// Parts of the last assembled site, each with what it was made from: the dev server
/// keeps one, so that an edit to one page does not make every page's links be resolved
/// again, nor every page's related pages be counted again.
#[derive(Default)]
pub struct Memo {
    /// Each page's body with its links and pictures filled in, by content path.
    bodies: Mutex<HashMap<String, KeptBody>>,
    /// Every page's related pages, with a hash of the terms and dates they came from.
    related: taxonomies::KeptRelated,
    /// A hash of the output paths last found to clash with nothing.
    claims: Mutex<Option<u64>>,
}

/// A page's filled-in body and what it was filled from.
struct KeptBody {
    page: Arc<Page>,
    url: String,
    links: Vec<String>,
    pictures: Vec<String>,
    filled: Filled,
}

/// A body with its links and pictures filled in.
#[derive(Clone)]
struct Filled {
    html: Arc<str>,
    section_starts: Vec<usize>,
    summary_html: Option<String>,
}

/// A page as a link target.
struct PageTarget<'a> {
    content_path: &'a str,
    url: &'a str,
    heading_ids: &'a [String],
    title: &'a str,
}

impl<'a> PageTarget<'a> {
    fn of(page: &'a Page, url: &'a str) -> PageTarget<'a> {
        PageTarget {
            content_path: &page.content_path,
            url,
            heading_ids: &page.rendered.heading_ids,
            title: &page.front.title,
        }
    }
}

/// What an internal link can point at.
struct LinkTargets<'a> {
    /// Pages, by content path (a sorted list, not a map: made after every edit, it must
    /// cost little more than the pages' count).
    pages: Vec<PageTarget<'a>>,
    /// Sections, by `folder/_index.md` and by folder path → (URL, heading ids).
    sections: HashMap<String, (&'a str, &'a [String])>,
}

impl<'a> LinkTargets<'a> {
    /// The targets of `pages`, and of `sections` given as (folder path, URL, heading ids).
    fn new(
        pages: impl Iterator<Item = PageTarget<'a>>,
        sections: impl Iterator<Item = (&'a str, &'a str, &'a [String])>,
    ) -> Self {
        let mut pages: Vec<PageTarget<'a>> = pages.collect();
        pages.sort_by(|a, b| a.content_path.cmp(b.content_path));
        let mut by_path = HashMap::new();
        for (path, url, ids) in sections {
            by_path.insert(join(path, "_index.md"), (url, ids));
            by_path.insert(path.to_owned(), (url, ids));
        }
        LinkTargets {
            pages,
            sections: by_path,
        }
    }

    fn page(&self, key: &str) -> Option<&PageTarget<'a>> {
        let at = self
            .pages
            .binary_search_by(|p| p.content_path.cmp(key))
            .ok()?;
        Some(&self.pages[at])
    }

    /// The URL for `target#anchor` (written `written`), or what is wrong with it.
    fn resolve(&self, written: &str, target: &str, anchor: Option<&str>) -> Result<String, Text> {
        let key: String = target.trim_end_matches('/').nfc().collect();
        let found = match self.sections.get(key.as_str()) {
            Some(&section) => Some(section),
            None => self.page(&key).map(|p| (p.url, p.heading_ids)),
        };
        let Some((url, ids)) = found else {
            let sections = self.sections.keys().map(String::as_str);
            let known = self.pages.iter().map(|p| p.content_path).chain(sections);
            let near = did_you_mean(&key, known.filter(|k| k.ends_with(".md")));
            return Err(messages::no_such_page(written, target, near));
        };
        match anchor {
            None | Some("") => Ok(url.to_owned()),
            Some(anchor) if ids.iter().any(|id| id == anchor) => {
                Ok(format!("{url}#{}", encode_path(anchor)))
            }
            Some(anchor) => Err(messages::no_such_heading(written, target, anchor, ids)),
        }
    }

    /// The title of the page at `target`, for a lesson material given only as a link.
    fn title(&self, target: &str) -> Option<&'a str> {
        let key: String = target.trim_end_matches('/').nfc().collect();
        self.page(&key).map(|p| p.title)
    }

    /// The URLs of `links`, in order: empty for links that are not internal, and for a
    /// link to nothing, which is a problem at its line of `file`.
    fn resolve_all(&self, file: &Path, links: &[Link], problems: &mut Vec<Problem>) -> Vec<String> {
        links
            .iter()
            .map(|link| {
                let Some(internal) = &link.internal else {
                    return String::new();
                };
                self.resolve(&link.written, &internal.target, internal.anchor.as_deref())
                    .unwrap_or_else(|why| {
                        problems.push(Problem::at(file, link.line, None, why));
                        String::new()
                    })
            })
            .collect()
    }
}

/// A page's body, its links and pictures filled in.
struct PageBody {
    html: Arc<str>,
    section_starts: Vec<usize>,
    summary_html: Option<String>,
    image: Option<String>,
    readings: Vec<Reading>,
}

/// Every body of the site, links resolved: pages' and sections' (in their orders).
struct Bodies {
    pages: Vec<PageBody>,
    sections: Vec<String>,
}

/// The bodies of `pages` (`urls[i]` is page `i`'s URL), each filled in again only when
/// `memo` holds none made from the same page, URL, links and pictures; the memo then
/// holds these. Returns the problems found, in page order.
fn page_bodies(
    pages: &[Arc<Page>],
    urls: &[String],
    targets: &LinkTargets<'_>,
    pictures: &HashMap<PathBuf, Picture>,
    memo: Option<&Mutex<HashMap<String, KeptBody>>>,
) -> (Vec<PageBody>, Vec<Problem>) {
    let mut kept = memo
        .map(|m| std::mem::take(&mut *m.lock().unwrap_or_else(|e| e.into_inner())))
        .unwrap_or_default();
    let made: Vec<(PageBody, Vec<Problem>, KeptBody)> = pages
        .par_iter()
        .zip(urls)
        .map(|(page, url)| {
            let mut problems = Vec::new();
            let (body, keep) = page_body(page, url, targets, pictures, &kept, &mut problems);
            (body, problems, keep)
        })
        .collect();
    let mut bodies = Vec::with_capacity(made.len());
    let mut problems = Vec::new();
    kept.clear();
    for (body, found, keep) in made {
        bodies.push(body);
        problems.extend(found);
        kept.insert(keep.page.content_path.clone(), keep);
    }
    if let Some(memo) = memo {
        *memo.lock().unwrap_or_else(|e| e.into_inner()) = kept;
    }
    (bodies, problems)
}

/// One page's body (the page at `url`): its links resolved and pictures made
/// responsive, its lesson's readings, and its events' anchors checked. The filling in
/// is taken from `kept` when made from the same inputs; the second value is what to
/// keep for next time.
fn page_body(
    page: &Arc<Page>,
    url: &str,
    targets: &LinkTargets<'_>,
    pictures: &HashMap<PathBuf, Picture>,
    kept: &HashMap<String, KeptBody>,
    problems: &mut Vec<Problem>,
) -> (PageBody, KeptBody) {
    let rendered = &page.rendered;
    let links = targets.resolve_all(&page.file, &rendered.links, problems);
    let made: Vec<Option<Responsive>> = rendered
        .images
        .iter()
        .map(|i| responsive(&page.content_path, &i.dest, pictures))
        .collect();
    let shown: Vec<String> = rendered
        .images
        .iter()
        .zip(&made)
        .map(|(i, r)| crate::markdown::image_html(i, r.as_ref(), url))
        .collect();
    let image = rendered.images.first().map(|first| {
        let src = made[0].as_ref().map_or(&first.dest, |r| &r.src);
        let encoded = crate::url::encode_path(&crate::url::percent_decode(src).unwrap_or_default());
        if src.starts_with('/') {
            encoded
        } else {
            format!("{url}{encoded}")
        }
    });
    let filled = match kept.get(&page.content_path) {
        Some(k)
            if Arc::ptr_eq(&k.page, page)
                && k.url == url
                && k.links == links
                && k.pictures == shown =>
        {
            k.filled.clone()
        }
        _ => {
            let fill = |html: &str| fill_holes(html, &links, &shown, url);
            let (html, section_starts) =
                fill_sections(&rendered.html, &rendered.section_starts, fill);
            Filled {
                html: html.into(),
                section_starts,
                summary_html: rendered.summary_html.as_deref().map(fill),
            }
        }
    };
    let front = &page.front;
    for event in &front.events {
        if let Some((anchor, line)) = &event.anchor
            && !rendered.heading_ids.contains(anchor)
        {
            problems.push(Problem::at(
                &page.file,
                *line,
                None,
                messages::event_anchor(anchor, &rendered.heading_ids),
            ));
        }
    }
    let readings = match &front.lesson {
        Some((lesson, line)) => lesson
            .materials
            .iter()
            .map(|m| reading(m, targets, &page.file, *line, problems))
            .collect(),
        None => Vec::new(),
    };
    let keep = KeptBody {
        page: Arc::clone(page),
        url: url.to_owned(),
        links,
        pictures: shown,
        filled: filled.clone(),
    };
    let body = PageBody {
        html: filled.html,
        section_starts: filled.section_starts,
        summary_html: filled.summary_html,
        image,
        readings,
    };
    (body, keep)
}

/// The sections' introductions, links and pictures filled in.
fn section_bodies(
    sections: &[Outline],
    targets: &LinkTargets<'_>,
    pictures: &HashMap<PathBuf, Picture>,
    problems: &mut Vec<Problem>,
) -> Vec<String> {
    let mut bodies = Vec::with_capacity(sections.len());
    for section in sections {
        let file = section.file.clone().unwrap_or_default();
        let links = targets.resolve_all(&file, &section.rendered.links, problems);
        let content_path = format!("{}/_index.md", section.path);
        let shown: Vec<String> = section
            .rendered
            .images
            .iter()
            .map(|i| {
                let made = responsive(&content_path, &i.dest, pictures);
                crate::markdown::image_html(i, made.as_ref(), &section.url)
            })
            .collect();
        bodies.push(fill_holes(
            &section.rendered.html,
            &links,
            &shown,
            &section.url,
        ));
    }
    bodies
}

/// A lesson's material with its link resolved; a material given only as `"@/…md"` is
/// titled from its page.
fn reading(
    material: &crate::content::front_matter::Material,
    targets: &LinkTargets<'_>,
    file: &Path,
    line: usize,
    problems: &mut Vec<Problem>,
) -> Reading {
    let mut reading = Reading {
        title: material.title.clone(),
        url: None,
        written: material.url.clone(),
    };
    let Some(url) = material.url.as_deref() else {
        return reading;
    };
    let Some(internal) = url.strip_prefix("@/") else {
        reading.url = Some(url.to_owned());
        return reading;
    };
    let (target, anchor) = match internal.split_once('#') {
        Some((t, a)) => (t, Some(a)),
        None => (internal, None),
    };
    // A backslash separates folders, as in Markdown links.
    let target = target.replace('\\', "/");
    match targets.resolve(url, &target, anchor) {
        Ok(resolved) => {
            reading.url = Some(resolved);
            if reading.title.is_empty()
                && let Some(title) = targets.title(&target)
            {
                reading.title = title.to_owned();
            }
        }
        Err(why) => problems.push(Problem::at(file, line, None, why)),
    }
    reading
}

/// `fill` applied to each `##` section of `html` apart, so the new section starts are
/// known without looking for headings in the result.
fn fill_sections(
    html: &str,
    starts: &[usize],
    fill: impl Fn(&str) -> String,
) -> (String, Vec<usize>) {
    if starts.is_empty() {
        return (fill(html), Vec::new());
    }
    let mut out = fill(&html[..starts[0]]);
    let mut new_starts = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(html.len());
        new_starts.push(out.len());
        out.push_str(&fill(&html[start..end]));
    }
    (out, new_starts)
}

/// `html` with its holes filled: the URLs of internal links (by link), the HTML of
/// pictures (by picture), and before page-relative URLs the URL of the page they are
/// on (`base`), so that they still work where the HTML is shown on another page
/// (summaries in lists).
fn fill_holes(html: &str, urls: &[String], pictures: &[String], base: &str) -> String {
    crate::markdown::fill_holes(html, |hole, out| {
        let text = match hole {
            Hole::Link(n) => urls.get(n).map_or("", String::as_str),
            Hole::Image(n) => pictures.get(n).map_or("", String::as_str),
            Hole::Base => base,
        };
        out.push_str(text);
    })
}

/// What a picture written as `dest` in `content_path` was made into, with the URLs of
/// its copies written like `dest`.
fn responsive(
    content_path: &str,
    dest: &str,
    pictures: &HashMap<PathBuf, Picture>,
) -> Option<Responsive> {
    let bundle = content_path == "index.md" || content_path.ends_with("/index.md");
    let picture = images::source_of(content_path, bundle, dest)
        .iter()
        .find_map(|p| pictures.get(p))?;
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    let urls = |copies: &[images::Copy]| -> Vec<(String, u32)> {
        copies
            .iter()
            .map(|c| (images::copy_name(path, &c.suffix), c.width))
            .collect()
    };
    let srcset = urls(&picture.copies);
    Some(Responsive {
        width: picture.width,
        height: picture.height,
        src: srcset
            .last()
            .map_or_else(|| dest.to_owned(), |(u, _)| u.clone()),
        webp: urls(&picture.webp),
        srcset,
    })
}
