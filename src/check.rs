//! `casebook check`: the whole pipeline without writing, then checks of what it would
//! write: every link and image of every page leads to a file of the site (and to the
//! `#anchor` in it), pages are reachable, dated pages list their sources and events name
//! theirs. Problems are errors (exit 1); doubts are warnings.

use std::collections::{HashMap, HashSet};
use std::net::ToSocketAddrs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::RenderedSite;
use crate::diagnostics::{Problem, Problems, location};
use crate::markdown::Link;
use crate::messages::{self, Lang, Text};
use crate::progress::Progress;
use crate::render::{Body, Output};
use crate::site::Site;

/// Everything `check` found.
#[derive(Debug, Default)]
pub struct Report {
    /// Problems that break the site.
    pub errors: Vec<Finding>,
    /// Things worth a look.
    pub warnings: Vec<Finding>,
    /// Pages checked (or, when the site could not be read, pages found).
    pub pages: usize,
    /// Links checked; `None` when the site had errors before links could be checked.
    pub links: Option<usize>,
}

/// One finding, located.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// File at fault.
    pub file: String,
    /// Line, when known.
    pub line: Option<usize>,
    /// Column on the line, when known.
    pub column: Option<usize>,
    /// What and what to do.
    pub message: Text,
}

impl From<Problem> for Finding {
    fn from(p: Problem) -> Finding {
        Finding {
            file: p.file.display().to_string(),
            line: p.line,
            column: p.column,
            message: p.message,
        }
    }
}

impl From<Finding> for Problem {
    fn from(f: Finding) -> Problem {
        Problem {
            file: PathBuf::from(f.file),
            line: f.line,
            column: f.column,
            message: f.message,
        }
    }
}

/// Runs every check on the site in `root`; an error only when `root` is no site.
pub fn check(root: &Path, drafts: bool, external: bool) -> anyhow::Result<Report> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(crate::UsageError(crate::messages::no_site(root, "check")).into());
    }
    Ok(
        match crate::render_site(root, None, drafts, &Progress::hidden()) {
            Ok(rendered) => inspect(&rendered, external),
            Err(Problems(problems)) => Report {
                errors: problems.into_iter().map(Finding::from).collect(),
                warnings: Vec::new(),
                pages: count_pages(root),
                links: None,
            },
        },
    )
}

/// The pages under `content/`, counted from the files when the site could not be read.
fn count_pages(root: &Path) -> usize {
    walkdir::WalkDir::new(root.join(crate::content::CONTENT_DIR))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path().extension().is_some_and(|x| x == "md")
                && e.file_name() != "_index.md"
        })
        .count()
}

/// The checks of a rendered site: what `check` reports and what `build` fails on (errors)
/// or counts (warnings), so that the two always agree.
///
/// Links written in bodies are checked from the model, where each is recorded as written
/// with its line and column. The theme's links are found by reading the outputs; a
/// broken one that a body already accounts for (a summary repeated in a list) is not
/// reported again.
pub(crate) fn inspect(rendered: &RenderedSite, external: bool) -> Report {
    let site = &rendered.site;
    let outputs: HashMap<&str, &Output> = rendered
        .outputs
        .iter()
        .map(|o| (o.path.as_str(), o))
        .collect();
    let read = Read::outputs(&rendered.outputs);
    let links = Links {
        outputs: &outputs,
        ids: &read.ids,
    };
    let (in_bodies, from_bodies) = check_body_links(site, &links);
    let from_templates = check_template_links(rendered, &read.urls, &links, &from_bodies);
    let mut errors: Vec<Finding> = in_bodies.errors;
    errors.extend(from_templates.found.errors);
    let mut warnings: Vec<Finding> = rendered
        .warnings
        .iter()
        .cloned()
        .map(Finding::from)
        .collect();
    warnings.extend(literal_stars(site));
    warnings.extend(page_warnings(site, &from_templates.linked));
    if external {
        let mut web_links = in_bodies.external;
        web_links.extend(from_templates.found.external);
        warnings.extend(unreachable(web_links));
    }
    // Sorted so that a report reads file by file, whichever check found what.
    errors.sort();
    errors.dedup();
    warnings.sort();
    warnings.dedup();
    Report {
        errors,
        warnings,
        pages: site.pages.len(),
        links: Some(from_templates.seen),
    }
}

/// A warning for every body, a page's or a section's introduction, that still shows a
/// literal `**`: bold that Markdown did not close, which readers would see as two stars.
fn literal_stars(site: &Site) -> Vec<Finding> {
    let pages = site
        .pages
        .iter()
        .map(|p| (p.file(), p.rendered().literal_stars));
    let sections = site
        .sections
        .iter()
        .filter_map(|s| Some((s.file.as_deref()?, s.literal_stars)));
    pages
        .chain(sections)
        .filter_map(|(file, stars)| {
            let (line, column) = stars?;
            Some(Finding {
                file: file.display().to_string(),
                line: Some(line),
                column: Some(column),
                message: messages::literal_stars(),
            })
        })
        .collect()
}

/// Doubts about each page: nothing links to it, it has no summary, or its dates or
/// events do not say where they come from. `linked` holds the outputs linked to.
fn page_warnings(site: &Site, linked: &HashSet<String>) -> Vec<Finding> {
    let mut warnings = Vec::new();
    for page in &site.pages {
        let file = page.file().display().to_string();
        let whole = |message: Text| Finding {
            file: file.clone(),
            line: None,
            column: None,
            message,
        };
        if !linked.contains(&page.output) {
            warnings.push(whole(messages::orphan()));
        }
        if page.summary.html.is_empty() {
            warnings.push(whole(messages::no_summary()));
        }
        let front = page.front();
        if front.sources.is_empty() && (front.dates.is_some() || !front.events.is_empty()) {
            warnings.push(whole(messages::no_sources()));
        }
        for event in &front.events {
            if event.source.is_none() {
                warnings.push(Finding {
                    line: Some(event.line),
                    ..whole(messages::event_without_source(&event.title))
                });
            }
        }
    }
    warnings
}

/// What following a set of links found.
#[derive(Default)]
struct LinkFindings {
    /// Links to no file of the site, or to no id in one.
    errors: Vec<Finding>,
    /// Web links with where they are written, for `--external` to try.
    external: Vec<(String, Finding)>,
}

/// Checks the links of every body where the editor wrote them; returns what they
/// account for too, so that their copies in the outputs are not reported again.
fn check_body_links(site: &Site, links: &Links) -> (LinkFindings, FromBodies) {
    let mut found = LinkFindings::default();
    let mut from_bodies = FromBodies::default();
    for (file, output, body_links) in bodies(site) {
        // Internal links were resolved when the site was assembled.
        for link in body_links.iter().filter(|l| l.internal.is_none()) {
            let at = |message: Text| Finding {
                file: file.display().to_string(),
                line: Some(link.line),
                column: Some(link.column),
                message,
            };
            // A root-absolute URL leads from the site's root, wherever the body is.
            let (from, url) = match link.dest.strip_prefix('/') {
                Some(rooted) if !rooted.starts_with('/') => ("index.html", rooted),
                _ => (output, link.dest.as_str()),
            };
            match links.follow(from, url) {
                Followed::External => {
                    from_bodies.external.insert(link.dest.clone());
                    let message = messages::verbatim(&link.written);
                    found.external.push((link.dest.clone(), at(message)));
                }
                Followed::Missing(target) => {
                    found.errors.push(at(broken(&link.written)));
                    from_bodies.missing.insert(target);
                }
                Followed::MissingAnchor(target, fragment) => {
                    let message =
                        messages::link_to_missing_anchor(&link.written, &fragment, &target);
                    found.errors.push(at(message));
                    from_bodies.anchors.insert((target, fragment));
                }
                Followed::Elsewhere | Followed::Found(_) => {}
            }
        }
    }
    (found, from_bodies)
}

/// What the theme's links told.
struct TemplateLinks {
    /// Their problems, less those the bodies already reported.
    found: LinkFindings,
    /// The outputs linked from another output, for finding orphans.
    linked: HashSet<String>,
    /// How many links were read.
    seen: usize,
}

/// Checks the links the theme wrote, read from the outputs (which hold the bodies' links
/// too: those are skipped when the bodies already account for them).
fn check_template_links(
    rendered: &RenderedSite,
    urls: &HashMap<&str, Vec<String>>,
    links: &Links,
    from_bodies: &FromBodies,
) -> TemplateLinks {
    // Web pages named in a page's `sources:` are written by the theme, but belong to
    // the page.
    let sources_of: HashMap<&str, (&Path, Vec<&str>)> = rendered
        .site
        .pages
        .iter()
        .map(|p| {
            let urls = p.front().sources.iter().filter_map(|s| s.url.as_deref());
            (p.output.as_str(), (p.file(), urls.collect()))
        })
        .collect();
    let mut found = LinkFindings::default();
    let mut linked: HashSet<String> = HashSet::new();
    let mut seen = 0;
    for output in &rendered.outputs {
        // Only HTML outputs have their links read (see `Read`). Packets repeat their
        // pages' content (and so their problems) word for word.
        let Some(urls) = urls.get(output.path.as_str()) else {
            continue;
        };
        if output.path == "404.html" || output.path.ends_with("packet.html") {
            continue;
        }
        let from_template = |message: Text| Finding {
            file: format!("{} (from a template)", output.path),
            line: None,
            column: None,
            message,
        };
        for link in urls.iter().cloned() {
            seen += 1;
            match links.follow(&output.path, &link) {
                Followed::External if !from_bodies.external.contains(&link) => {
                    let message = messages::verbatim(&link);
                    let finding = match sources_of.get(output.path.as_str()) {
                        Some((file, urls)) if urls.contains(&link.as_str()) => Finding {
                            file: file.display().to_string(),
                            ..from_template(message)
                        },
                        _ => from_template(message),
                    };
                    found.external.push((link, finding));
                }
                Followed::Missing(target) if !from_bodies.missing.contains(&target) => {
                    found.errors.push(from_template(broken(&link)));
                }
                Followed::MissingAnchor(target, fragment) => {
                    let key = (target, fragment);
                    if !from_bodies.anchors.contains(&key) {
                        let (target, fragment) = &key;
                        let message = messages::link_to_missing_anchor(&link, fragment, target);
                        found.errors.push(from_template(message));
                    }
                    if key.0 != output.path {
                        linked.insert(key.0);
                    }
                }
                Followed::Found(target) if target != output.path => {
                    linked.insert(target);
                }
                _ => {}
            }
        }
    }
    TemplateLinks {
        found,
        linked,
        seen,
    }
}

/// `pptrconsole.com`, `www.gov.cn/x`: a web address written without `https://`.
fn looks_like_web_address(link: &str) -> bool {
    let host = link.split('/').next().unwrap_or("");
    let tld = host.rsplit('.').next().unwrap_or("");
    host.starts_with("www.")
        || (host.contains('.')
            && !link.starts_with(['.', '/'])
            && matches!(
                tld,
                "com" | "cn" | "org" | "net" | "gov" | "edu" | "io" | "info" | "中国" | "top"
            ))
}

/// Every body of the site with its file, its output and its links: pages, and the
/// sections that have an `_index.md`.
fn bodies(site: &Site) -> impl Iterator<Item = (&Path, &str, &[Link])> {
    let pages = site
        .pages
        .iter()
        .map(|p| (p.file(), p.output.as_str(), p.rendered().links.as_slice()));
    let sections = site.sections.iter().filter_map(|s| {
        let file = s.file.as_deref()?;
        Some((file, s.output.as_str(), s.links.as_slice()))
    });
    pages.chain(sections)
}

/// What bodies already reported or link to, so that the theme's copies of them (a
/// summary in a list) are not reported again.
#[derive(Default)]
struct FromBodies {
    /// Output paths that body links miss.
    missing: HashSet<String>,
    /// (output path, id) of anchors that body links miss.
    anchors: HashSet<(String, String)>,
    /// External URLs of bodies, checked where written.
    external: HashSet<String>,
}

/// Where a link leads.
enum Followed {
    /// To a page or file of the site (its output path).
    Found(String),
    /// `http(s)://`: checked only with `--external`.
    External,
    /// Another scheme (`mailto:`) or another host (`//host/`): not checked.
    Elsewhere,
    /// To no file of the site (the output path it would be).
    Missing(String),
    /// To a page without the `#id` (its output path, the id).
    MissingAnchor(String, String),
}

/// The site's outputs and their ids, for following links.
struct Links<'a> {
    outputs: &'a HashMap<&'a str, &'a Output>,
    ids: &'a HashMap<&'a str, HashSet<String>>,
}

impl Links<'_> {
    /// Follows `link`, written in the output `from`.
    fn follow(&self, from: &str, link: &str) -> Followed {
        if link.starts_with("http://") || link.starts_with("https://") {
            return Followed::External;
        }
        if link.contains(':') || link.starts_with("//") {
            return Followed::Elsewhere;
        }
        let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
        let target = if path.is_empty() {
            from.to_owned()
        } else {
            resolve(from, path)
        };
        let Some(target) = target_file(&target, self.outputs) else {
            // A folder and its index.html are one target.
            let target = match target.strip_suffix('/') {
                Some(folder) => format!("{folder}/index.html"),
                None => target,
            };
            return Followed::Missing(target);
        };
        let fragment = percent_decode(fragment);
        if !fragment.is_empty()
            && target.ends_with(".html")
            && !self
                .ids
                .get(target.as_str())
                .is_some_and(|set| set.contains(&fragment))
        {
            return Followed::MissingAnchor(target, fragment);
        }
        Followed::Found(target)
    }
}

/// The message for a link to nothing, as the editor wrote it.
fn broken(written: &str) -> Text {
    if looks_like_web_address(written) {
        messages::link_without_scheme(written)
    } else {
        messages::link_to_nothing(written)
    }
}

/// What links can land on and what they are, of every HTML output, read in one pass.
struct Read<'a> {
    /// The ids of each output: those of real tags only, so that `id="x"` shown in text,
    /// a comment or a code block is no anchor a link could land on.
    ids: HashMap<&'a str, HashSet<String>>,
    /// The URLs each output links to, as written (`&amp;` decoded).
    urls: HashMap<&'a str, Vec<String>>,
}

impl<'a> Read<'a> {
    fn outputs(outputs: &'a [Output]) -> Read<'a> {
        let decoded = |html: &str, spans: Vec<std::ops::Range<usize>>| -> Vec<String> {
            spans
                .into_iter()
                .map(|span| html[span].replace("&amp;", "&"))
                .collect()
        };
        let read: Vec<(&str, Vec<String>, Vec<String>)> = outputs
            .par_iter()
            .filter(|o| o.path.ends_with(".html"))
            .filter_map(|o| match &o.body {
                Body::Bytes(bytes) => {
                    let html = text_of(bytes);
                    let (urls, ids) = crate::html::url_and_id_spans(&html);
                    Some((o.path.as_str(), decoded(&html, urls), decoded(&html, ids)))
                }
                Body::CopyOf(_) => None,
            })
            .collect();
        let mut found = Read {
            ids: HashMap::with_capacity(read.len()),
            urls: HashMap::with_capacity(read.len()),
        };
        for (path, urls, ids) in read {
            found.ids.insert(path, ids.into_iter().collect());
            found.urls.insert(path, urls);
        }
        found
    }
}

/// `base` is an output path; `link` is relative to its folder.
fn resolve(base: &str, link: &str) -> String {
    let mut parts: Vec<String> = base.split('/').map(str::to_owned).collect();
    parts.pop();
    for segment in percent_decode(link.split('?').next().unwrap_or("")).split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other.to_owned()),
        }
    }
    let joined = parts.join("/");
    if link.ends_with('/') {
        format!("{joined}/")
    } else {
        joined
    }
}

fn target_file(target: &str, outputs: &HashMap<&str, &Output>) -> Option<String> {
    let candidates = [
        target.to_owned(),
        format!("{}/index.html", target.trim_end_matches('/')),
    ];
    candidates
        .into_iter()
        .find(|c| outputs.contains_key(c.trim_start_matches('/')))
}

/// Decodes escapes, keeping text that does not decode as it is.
fn percent_decode(text: &str) -> String {
    crate::url::percent_decode(text).unwrap_or_else(|| text.to_owned())
}

/// External links: can the host be reached at all? Many study sites are built on closed
/// networks, so "could not reach" is its own class, a warning rather than an error.
/// Returns a warning for each link whose host could not be reached.
fn unreachable(links: Vec<(String, Finding)>) -> Vec<Finding> {
    let mut by_host: HashMap<String, Vec<Finding>> = HashMap::new();
    for (url, finding) in links {
        let rest = url.split("://").nth(1).unwrap_or("");
        let host = rest.split(['/', '?', '#']).next().unwrap_or("").to_owned();
        let port = if url.starts_with("https") { 443 } else { 80 };
        let address = if host.contains(':') {
            host.clone()
        } else {
            format!("{host}:{port}")
        };
        by_host.entry(address).or_default().push(finding);
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build();
    let reached: Vec<(String, bool)> = match pool {
        Ok(pool) => pool.install(|| {
            by_host
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|address| {
                    let ok = address
                        .to_socket_addrs()
                        .ok()
                        .and_then(|mut a| a.next())
                        .is_some_and(|a| {
                            std::net::TcpStream::connect_timeout(&a, Duration::from_secs(3)).is_ok()
                        });
                    (address, ok)
                })
                .collect()
        }),
        Err(_) => Vec::new(),
    };
    let mut warnings = Vec::new();
    for (address, ok) in reached {
        if ok {
            continue;
        }
        for finding in by_host.remove(&address).unwrap_or_default() {
            warnings.push(Finding {
                message: messages::unreachable(&finding.message, &address),
                ..finding
            });
        }
    }
    warnings
}

/// The report for people: one `path:line:col: 错误: …` line per finding (the form
/// editors' tools jump from), errors first, then a count.
pub fn human(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    for (label, list) in [
        (messages::error_label(lang), &report.errors),
        (messages::warning_label(lang), &report.warnings),
    ] {
        for f in list {
            out += &format!(
                "{}: {label}: {}\n",
                location(&f.file, f.line, f.column),
                f.message.get(lang)
            );
        }
    }
    out += messages::checked(
        report.pages,
        report.links,
        report.errors.len(),
        report.warnings.len(),
    )
    .get(lang);
    out.push('\n');
    out
}

/// The report for tools, messages in `lang`.
pub fn json(report: &Report, lang: Lang) -> serde_json::Value {
    let list = |findings: &[Finding]| -> Vec<serde_json::Value> {
        findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "file": f.file,
                    "line": f.line,
                    "column": f.column,
                    "message": f.message.get(lang),
                })
            })
            .collect()
    };
    serde_json::json!({
        "errors": list(&report.errors),
        "warnings": list(&report.warnings),
        "pages": report.pages,
        "links": report.links,
    })
}

/// An output's text. Outputs are written from strings, so std's fast check suffices;
/// `from_utf8_lossy` walks every byte far more slowly, and every page passes here twice.
fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    std::str::from_utf8(bytes).map_or_else(
        |_| String::from_utf8_lossy(bytes),
        std::borrow::Cow::Borrowed,
    )
}
