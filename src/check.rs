//! `casebook check`: the whole pipeline without writing, then checks of what it would
//! write: every link and image of every page leads to a file of the site (and to the
//! `#anchor` in it), pages are reachable, dated pages list their sources and events name
//! theirs. Problems are errors (exit 1); doubts are warnings.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::net::ToSocketAddrs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::RenderedSite;
use crate::diagnostics::{Problem, Problems, location};
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

/// Runs every check on the site in `root`.
pub fn check(root: &Path, drafts: bool, external: bool) -> Report {
    match crate::render_site(root, None, drafts, &Progress::hidden()) {
        Ok(rendered) => inspect(root, &rendered, external),
        Err(Problems(problems)) => Report {
            errors: problems.into_iter().map(Finding::from).collect(),
            warnings: Vec::new(),
            pages: count_pages(root),
            links: None,
        },
    }
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
pub fn inspect(root: &Path, rendered: &RenderedSite, external: bool) -> Report {
    let mut report = Report::default();
    let site = &rendered.site;
    report
        .warnings
        .extend(rendered.warnings.iter().cloned().map(Finding::from));
    report.pages = site.pages.len();
    let sources = Sources::new(root, site);
    let outputs: HashMap<&str, &Output> = rendered
        .outputs
        .iter()
        .map(|o| (o.path.as_str(), o))
        .collect();
    let ids = anchors(&rendered.outputs);
    let mut linked: HashSet<String> = HashSet::new();
    let mut external_links: Vec<(String, Finding)> = Vec::new();
    let mut links_seen = 0;
    // Broken links found where the source does not say them (a page's summary repeated
    // in a list, a template): reported only if no source file says them.
    let mut repeated: Vec<(String, Finding)> = Vec::new();
    let mut reported: HashSet<String> = HashSet::new();
    for output in &rendered.outputs {
        let Body::Bytes(bytes) = &output.body else {
            continue;
        };
        // Packets repeat their pages' content (and so their problems) word for word.
        if !output.path.ends_with(".html")
            || output.path == "404.html"
            || output.path.ends_with("packet.html")
        {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for link in links(&html) {
            links_seen += 1;
            if link.starts_with("http://") || link.starts_with("https://") {
                let at = sources.locate(&output.path, &link);
                let message = Text::from(format!("`{}`", at.written));
                external_links.push((link.clone(), at.finding(message)));
                continue;
            }
            if link.contains(':') || link.starts_with("//") {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                output.path.clone()
            } else {
                resolve(&output.path, path)
            };
            let Some(target) = target_file(&target, &outputs) else {
                let at = sources.locate(&output.path, path);
                let message = if looks_like_web_address(&at.written) {
                    messages::link_without_scheme(&at.written)
                } else {
                    messages::link_to_nothing(&at.written)
                };
                if at.line.is_some() {
                    reported.insert(target);
                    report.errors.push(at.finding(message));
                } else {
                    repeated.push((target, at.finding(message)));
                }
                continue;
            };
            if target != output.path {
                linked.insert(target.clone());
            }
            let fragment = percent_decode(fragment);
            if !fragment.is_empty()
                && target.ends_with(".html")
                && !ids
                    .get(target.as_str())
                    .is_some_and(|set| set.contains(&fragment))
            {
                let at = sources.locate(&output.path, &link);
                let message = messages::link_to_missing_anchor(&at.written, &fragment, &target);
                report.errors.push(at.finding(message));
            }
        }
        if html.contains("**") && sources.has(&output.path) {
            let content = html.split("<main").nth(1).unwrap_or("");
            if content.contains("**") {
                let at = sources.locate(&output.path, "**");
                report.warnings.push(at.finding(messages::literal_stars()));
            }
        }
    }
    report.links = Some(links_seen);
    report.errors.extend(
        repeated
            .into_iter()
            .filter(|(target, _)| !reported.contains(target))
            .map(|(_, finding)| finding),
    );
    for page in &site.pages {
        let file = page.page.file.display().to_string();
        let whole = |message: Text| Finding {
            file: file.clone(),
            line: None,
            column: None,
            message,
        };
        if !linked.contains(&page.output) {
            report.warnings.push(whole(messages::orphan()));
        }
        if page.page.front.summary.is_none() && page.summary_html.is_none() {
            report.warnings.push(whole(messages::no_summary()));
        }
        let front = &page.page.front;
        if front.sources.is_empty() && (front.dates.is_some() || !front.events.is_empty()) {
            report.warnings.push(whole(messages::no_sources()));
        }
        for event in &page.page.front.events {
            if event.source.is_none() {
                report.warnings.push(Finding {
                    line: Some(event.line),
                    ..whole(messages::event_without_source(&event.title))
                });
            }
        }
    }
    if external {
        check_external(&mut report, external_links);
    }
    report.errors.sort();
    report.errors.dedup();
    report.warnings.sort();
    report.warnings.dedup();
    report
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

/// The content files the outputs were made from, read only when a finding needs a line.
struct Sources<'a> {
    root: &'a Path,
    files: HashMap<&'a str, &'a Path>,
    texts: RefCell<HashMap<&'a str, String>>,
}

/// Where a link is in the source, and how it was written there.
struct Located {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    written: String,
}

impl Located {
    fn finding(self, message: Text) -> Finding {
        Finding {
            file: self.file,
            line: self.line,
            column: self.column,
            message,
        }
    }
}

impl<'a> Sources<'a> {
    fn new(root: &'a Path, site: &'a Site) -> Self {
        let mut files = HashMap::new();
        for page in &site.pages {
            files.insert(page.output.as_str(), page.page.file.as_path());
        }
        for section in &site.sections {
            if let Some(file) = &section.file {
                files.insert(section.output.as_str(), file.as_path());
            }
        }
        Sources {
            root,
            files,
            texts: RefCell::new(HashMap::new()),
        }
    }

    fn has(&self, output: &str) -> bool {
        self.files.contains_key(output)
    }

    /// The source line (and column) of `needle`, a URL as the HTML has it, and the URL
    /// as the editor wrote it there; else the output file, from a template.
    fn locate(&self, output: &str, needle: &str) -> Located {
        let Some((key, file)) = self.files.get_key_value(output) else {
            return Located {
                file: format!("{output} (from a template)"),
                line: None,
                column: None,
                written: needle.to_owned(),
            };
        };
        let mut texts = self.texts.borrow_mut();
        let text = texts
            .entry(key)
            .or_insert_with(|| std::fs::read_to_string(self.root.join(file)).unwrap_or_default());
        let decoded = percent_decode(needle);
        let base = decoded
            .rsplit('/')
            .find(|s| !s.is_empty() && *s != "index.html" && *s != "..")
            .unwrap_or(&decoded);
        let found = text.lines().enumerate().find_map(|(i, l)| {
            let at = l.find(base)?;
            Some((i + 1, l, at))
        });
        let file = file.display().to_string();
        match found {
            Some((line, text, at)) => {
                let (written, start) = written_link(text, at).unwrap_or((needle.to_owned(), at));
                Located {
                    file,
                    line: Some(line),
                    column: Some(text[..start].chars().count() + 1),
                    written,
                }
            }
            None => Located {
                file,
                line: None,
                column: None,
                written: needle.to_owned(),
            },
        }
    }
}

/// The link destination around byte `at` of a Markdown or HTML line: `](…)`, `href="…"`,
/// `src="…"` or `<…>`, with the byte where it starts.
fn written_link(line: &str, at: usize) -> Option<(String, usize)> {
    let before = &line[..at];
    let start = before
        .rfind("](")
        .map(|i| i + 2)
        .into_iter()
        .chain(before.rfind("=\"").map(|i| i + 2))
        .chain(before.rfind('<').map(|i| i + 1))
        .max()?;
    let rest = &line[start..];
    let end = rest.find([')', '"', '>', ' ']).unwrap_or(rest.len());
    (start + end > at).then(|| (rest[..end].to_owned(), start))
}

/// Every link URL of the page, `&amp;` decoded.
fn links(html: &str) -> Vec<String> {
    crate::html::url_spans(html)
        .into_iter()
        .map(|span| html[span].replace("&amp;", "&"))
        .collect()
}

/// The ids of every HTML output.
fn anchors(outputs: &[Output]) -> HashMap<&str, HashSet<String>> {
    outputs
        .par_iter()
        .filter(|o| o.path.ends_with(".html"))
        .filter_map(|o| match &o.body {
            Body::Bytes(bytes) => {
                let html = String::from_utf8_lossy(bytes);
                let mut ids = HashSet::new();
                let mut rest: &str = &html;
                while let Some(at) = rest.find(" id=\"") {
                    rest = &rest[at + 5..];
                    let end = rest.find('"').unwrap_or(0);
                    ids.insert(rest[..end].replace("&amp;", "&"));
                }
                Some((o.path.as_str(), ids))
            }
            Body::CopyOf(_) => None,
        })
        .collect()
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
fn check_external(report: &mut Report, links: Vec<(String, Finding)>) {
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
    for (address, ok) in reached {
        if ok {
            continue;
        }
        for finding in by_host.remove(&address).unwrap_or_default() {
            report.warnings.push(Finding {
                message: messages::unreachable(&finding.message, &address),
                ..finding
            });
        }
    }
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
