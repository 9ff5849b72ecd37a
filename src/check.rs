//! `casebook check`: the whole pipeline without writing, then checks of what it would
//! write: every link and image of every page leads to a file of the site (and to the
//! `#anchor` in it), pages are reachable, dated pages list their sources and events name
//! theirs. Problems are errors (exit 1); doubts are warnings.

use std::collections::{HashMap, HashSet};
use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::time::Duration;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Problem, Problems};
use crate::progress::Progress;
use crate::render::{Body, Output};
use crate::site::Site;

/// Everything `check` found.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Problems that break the site.
    pub errors: Vec<Finding>,
    /// Things worth a look.
    pub warnings: Vec<Finding>,
    /// Pages checked.
    pub pages: usize,
    /// Links checked.
    pub links: usize,
}

/// One finding, located.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// File at fault.
    pub file: String,
    /// Line, when known.
    pub line: Option<usize>,
    /// What and what to do.
    pub message: String,
}

impl From<Problem> for Finding {
    fn from(p: Problem) -> Finding {
        Finding {
            file: p.file.display().to_string(),
            line: p.line,
            message: p.message,
        }
    }
}

/// Runs every check on the site in `root`.
pub fn check(root: &std::path::Path, drafts: bool, external: bool) -> Report {
    let mut report = Report::default();
    let rendered = match crate::render_site(root, Some("/"), drafts, &Progress::hidden()) {
        Ok(rendered) => rendered,
        Err(Problems(problems)) => {
            report.errors = problems.into_iter().map(Finding::from).collect();
            return report;
        }
    };
    let site = &rendered.site;
    report
        .warnings
        .extend(rendered.warnings.iter().cloned().map(Finding::from));
    report.pages = site.pages.len();
    let sources = source_files(root, site);
    let outputs: HashMap<&str, &Output> = rendered
        .outputs
        .iter()
        .map(|o| (o.path.as_str(), o))
        .collect();
    let ids = anchors(&rendered.outputs);
    let mut linked: HashSet<String> = HashSet::new();
    let mut external_links: Vec<(String, Finding)> = Vec::new();
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
        let source = sources.get(output.path.as_str());
        for link in links(&html) {
            report.links += 1;
            if link.starts_with("http://") || link.starts_with("https://") {
                external_links.push((link.clone(), finding_for(source, &output.path, &link, "")));
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
                report.errors.push(finding_for(
                    source,
                    &output.path,
                    path,
                    "links to a file that is not in the site",
                ));
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
                report.errors.push(finding_for(
                    source,
                    &output.path,
                    &link,
                    &format!("points to `#{fragment}`, which `{target}` does not have"),
                ));
            }
        }
        if html.contains("**") && source.is_some() {
            let content = html.split("<main").nth(1).unwrap_or("");
            if content.contains("**") {
                report.warnings.push(finding_for(source, &output.path, "**", "shows a literal `**`: a bold mark did not pair up; check the asterisks around it"));
            }
        }
    }
    for page in &site.pages {
        if !linked.contains(&page.output) {
            report.warnings.push(Finding {
                file: page.page.file.display().to_string(),
                line: None,
                message: "no other page links here (an orphan): list it in a section or link to it"
                    .into(),
            });
        }
        if page.page.front.summary.is_none() && page.summary_html.is_none() {
            report.warnings.push(Finding {
                file: page.page.file.display().to_string(),
                line: None,
                message: "has no summary and no first paragraph, so lists show it without one: add `summary:`".into(),
            });
        }
        let front = &page.page.front;
        if front.sources.is_empty() && (front.dates.is_some() || !front.events.is_empty()) {
            report.warnings.push(Finding {
                file: page.page.file.display().to_string(),
                line: None,
                message:
                    "gives dates but no `sources:`: list the works its facts come from (资料来源)"
                        .into(),
            });
        }
        for event in &page.page.front.events {
            if event.source.is_none() {
                report.warnings.push(Finding {
                    file: page.page.file.display().to_string(),
                    line: Some(event.line),
                    message: format!(
                        "event `{}` has no `source:`: say where its date comes from (出处)",
                        event.title
                    ),
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

/// Output path → the content file it was made from.
fn source_files<'a>(root: &std::path::Path, site: &'a Site) -> HashMap<&'a str, (PathBuf, String)> {
    let mut map = HashMap::new();
    for page in &site.pages {
        let text = std::fs::read_to_string(root.join(&page.page.file)).unwrap_or_default();
        map.insert(page.output.as_str(), (page.page.file.clone(), text));
    }
    for section in &site.sections {
        if let Some(file) = &section.file {
            let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
            map.insert(section.output.as_str(), (file.clone(), text));
        }
    }
    map
}

/// A finding at the source line that holds `needle`, else at the output file.
fn finding_for(
    source: Option<&(PathBuf, String)>,
    output: &str,
    needle: &str,
    why: &str,
) -> Finding {
    let message = if why.is_empty() {
        format!("`{needle}`")
    } else {
        format!("`{needle}` {why}")
    };
    match source {
        Some((file, text)) => {
            let decoded = percent_decode(needle);
            let base = decoded
                .rsplit('/')
                .find(|s| !s.is_empty() && *s != "index.html" && *s != "..")
                .unwrap_or(&decoded);
            let line = text.lines().position(|l| l.contains(base)).map(|i| i + 1);
            Finding {
                file: file.display().to_string(),
                line,
                message,
            }
        }
        None => Finding {
            file: format!("{output} (from a template)"),
            line: None,
            message,
        },
    }
}

/// Every link URL of the page, `&amp;` decoded.
fn links(html: &str) -> Vec<String> {
    crate::url::link_spans(html)
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
                message: format!(
                    "{}: could not reach {address} (offline, or the site is gone)",
                    finding.message
                ),
                ..finding
            });
        }
    }
}

/// The report for people: errors and warnings grouped by file, then a count.
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for (kind, list) in [("error", &report.errors), ("warning", &report.warnings)] {
        let mut current = "";
        for f in list {
            if f.file != current {
                out += &format!("{}\n", f.file);
                current = &f.file;
            }
            let line = f.line.map(|l| format!(":{l}")).unwrap_or_default();
            out += &format!("  {kind}{line}: {}\n", f.message);
        }
    }
    out += &format!(
        "Checked {} pages and {} links: {} error{}, {} warning{}\n",
        report.pages,
        report.links,
        report.errors.len(),
        if report.errors.len() == 1 { "" } else { "s" },
        report.warnings.len(),
        if report.warnings.len() == 1 { "" } else { "s" },
    );
    out
}
