//! Where everything of the site is written: redirects for old URLs, section and lesson
//! packets, a lesson's other files, bundle files beside their page, and the rule that
//! no two sources write one file.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::content::images::{self, Picture};
use crate::content::{CopiedFile, Page};
use crate::diagnostics::Problem;
use crate::messages;
use crate::url::{check_slug, encode_path};

use super::{Alias, Site, join, output_of};

/// Output paths the theme writes; content may not take them.
pub(crate) const RESERVED_OUTPUTS: &[&str] = &[
    "404.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
    "timeline/index.html",
    "timeline.json",
    "search/index.html",
    "search/meta.js",
    "my-notes/index.html",
];

/// Sections longer than this get no packet: nobody prints a thousand pages, and the file
/// would be as large as the section.
pub(crate) const PACKET_MAX_PAGES: usize = 200;

/// A file written beside a page or section: its output path and root-absolute URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    /// Output file, `/`-separated.
    pub output: String,
    /// Root-absolute URL (a folder's URL ends with `/`).
    pub url: String,
}

impl Extra {
    /// The file `name` in the folder of `output` (a page's or section's `…/index.html`).
    fn beside(output: &str, name: &str) -> Extra {
        let folder = output.strip_suffix("index.html").unwrap_or(output);
        let output = format!("{folder}{name}");
        let url = format!("/{}", encode_path(&output));
        Extra {
            url: url.trim_end_matches("index.html").to_owned(),
            output,
        }
    }
}

/// The printable packet of a section of `pages` pages written to `output`: all its
/// pages in one file, unless it has none or too many.
pub(super) fn section_packet(output: &str, pages: usize) -> Option<Extra> {
    (pages > 0 && pages <= PACKET_MAX_PAGES).then(|| Extra::beside(output, "packet.html"))
}

/// What a lesson page writes besides its own HTML; all `None` for other pages and for
/// what the site turned off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonFiles {
    /// The presenter view (`…/slides/`).
    pub slides: Option<Extra>,
    /// The plan and its materials in full, to print (`…/packet.html`).
    pub packet: Option<Extra>,
    /// The Word file (`…/lesson.docx`).
    pub docx: Option<Extra>,
}

impl LessonFiles {
    /// The lesson files of a page written to `output`.
    pub(super) fn of(page: &Page, output: &str, config: &Config) -> LessonFiles {
        if page.front.lesson.is_none() {
            return LessonFiles::default();
        }
        LessonFiles {
            slides: config
                .lesson_slides
                .then(|| Extra::beside(output, "slides/index.html")),
            packet: Some(Extra::beside(output, "packet.html")),
            docx: config
                .lesson_docx
                .then(|| Extra::beside(output, "lesson.docx")),
        }
    }

    /// The files, in the order slides, packet, Word file.
    pub fn all(&self) -> impl Iterator<Item = &Extra> {
        [&self.slides, &self.packet, &self.docx]
            .into_iter()
            .flatten()
    }
}

/// The redirect pages of every page's `aliases`; `urls[i]` is page `i`'s URL.
pub(super) fn aliases(
    pages: &[Arc<Page>],
    urls: &[String],
    problems: &mut Vec<Problem>,
) -> Vec<Alias> {
    let mut aliases = Vec::new();
    for (page, url) in pages.iter().zip(urls) {
        for (alias, line) in &page.front.aliases {
            let path = alias.trim().trim_matches('/');
            let segments: Vec<String> = path.split('/').map(|s| s.nfc().collect()).collect();
            if let Some(why) = segments.iter().find_map(|s| check_slug(s).err()) {
                problems.push(Problem::at(
                    &page.file,
                    *line,
                    None,
                    messages::bad_alias(alias, &why),
                ));
                continue;
            }
            let path = segments.join("/");
            let output = if path.ends_with(".html") || path.ends_with(".htm") {
                path
            } else {
                output_of(&path)
            };
            aliases.push(Alias {
                output,
                target: url.clone(),
                file: page.file.clone(),
            });
        }
    }
    aliases
}

/// Gives bundle files their place beside their page's output (`outputs[i]` is page
/// `i`'s), and adds the copies made of each photo.
pub(super) fn place_files(
    files: Vec<CopiedFile>,
    pages: &[Arc<Page>],
    outputs: &[String],
    pictures: &HashMap<PathBuf, Picture>,
) -> Vec<CopiedFile> {
    let page_dirs: HashMap<&str, &str> = pages
        .iter()
        .zip(outputs)
        .map(|(p, output)| {
            (
                p.content_path.as_str(),
                output.trim_end_matches("index.html").trim_end_matches('/'),
            )
        })
        .collect();
    let mut files: Vec<CopiedFile> = files
        .into_iter()
        .filter_map(|mut file| {
            let Some(bundle) = &file.bundle else {
                return Some(file);
            };
            // A draft bundle's files are left out with it.
            let dir = page_dirs.get(bundle.as_str())?;
            let bundle_dir = bundle.trim_end_matches("index.md");
            let inside = file.output.strip_prefix(bundle_dir).unwrap_or(&file.output);
            file.output = join(dir, inside);
            Some(file)
        })
        .collect();
    let mut copies = Vec::new();
    for file in &files {
        let Some(picture) = pictures.get(&file.file) else {
            continue;
        };
        for copy in picture.copies.iter().chain(&picture.webp) {
            if let Some(cache) = &copy.cache {
                copies.push(CopiedFile {
                    source: cache.clone(),
                    file: file.file.clone(),
                    output: images::copy_name(&file.output, &copy.suffix),
                    bundle: None,
                });
            }
        }
    }
    files.extend(copies);
    files
}

/// Two sources writing one file is an error naming both. Paths that differ only in
/// case or Unicode normalisation count as one: many disks treat them so. With `memo`,
/// skipped when the outputs are those last found clear (comparing is much cheaper than
/// normalising every path), and those found clear now are kept there.
pub(super) fn check_output_paths(
    site: &Site,
    problems: &mut Vec<Problem>,
    memo: Option<&Mutex<Option<u64>>>,
) {
    let mut hasher = std::hash::DefaultHasher::new();
    each_claim(site, |output, file| (output, file).hash(&mut hasher));
    let all = hasher.finish();
    let mut kept = memo.map(|m| m.lock().unwrap_or_else(|e| e.into_inner()));
    if kept.as_deref() == Some(&Some(all)) {
        return;
    }
    let before = problems.len();
    let mut claimed: HashMap<String, (String, PathBuf)> = HashMap::new();
    each_claim(site, |output, file| {
        let key: String = output.nfc().collect::<String>().to_lowercase();
        if let Some((other_output, other_file)) = claimed.get(&key) {
            let (first, second) = if other_file.as_path() <= file {
                (other_file.clone(), file.to_owned())
            } else {
                (file.to_owned(), other_file.clone())
            };
            let spelled = (other_output != output).then_some(other_output.as_str());
            problems.push(Problem::in_file(
                second.clone(),
                messages::same_url(output, &first, spelled),
            ));
        } else {
            claimed.insert(key, (output.to_owned(), file.to_owned()));
        }
    });
    if let Some(kept) = kept.as_deref_mut() {
        *kept = (problems.len() == before).then_some(all);
    }
}

/// Calls `claim` with every output path of `site` and the file that writes it.
fn each_claim(site: &Site, mut claim: impl FnMut(&str, &Path)) {
    for reserved in RESERVED_OUTPUTS {
        claim(
            reserved,
            &PathBuf::from(format!("(casebook writes {reserved})")),
        );
    }
    for section in &site.sections {
        let file = section.blamed_file();
        if let Some(packet) = &section.packet {
            claim(&packet.output, &file);
        }
        claim(&section.output, &file);
    }
    for page in &site.pages {
        claim(&page.output, page.file());
        for extra in page.lesson_files.all() {
            claim(&extra.output, page.file());
        }
    }
    for taxonomy in &site.taxonomies {
        claim(
            &taxonomy.output,
            &PathBuf::from(format!("site.toml (taxonomy {})", taxonomy.key)),
        );
        for term in &taxonomy.terms {
            claim(&term.output, site.pages[term.pages[0]].file());
        }
    }
    for alias in &site.aliases {
        claim(&alias.output, &alias.file);
    }
    for file in &site.files {
        claim(&file.output, &file.file);
    }
}
