//! Reading content files: the only code that reads `content/` and `static/` (and asks
//! git when each was last committed). Each file becomes a `Page` or `Section` with its
//! front matter checked and its Markdown rendered; every problem found is collected, so
//! one bad file never hides the next.

pub mod front_matter;
pub mod history;
pub mod images;
pub mod lint;
pub mod quiz;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Problem, line_of};
use crate::markdown::{self, Rendered};
use crate::messages::{self, Text};
use crate::moment::{Moment, Timestamp};
use crate::url::check_slug;
use front_matter::{FieldError, PageFront, SectionFront};
use history::{History, PendingHistory};

/// The folder of Markdown sources, under the site root.
pub const CONTENT_DIR: &str = "content";
/// The folder copied into the output as is.
pub const STATIC_DIR: &str = "static";

/// Everything read from `content/` and `static/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Sections that have an `_index.md`, plus the root section when it has none.
    pub sections: Vec<Section>,
    /// Every page, drafts included, in path order.
    pub pages: Vec<Page>,
    /// Files copied as they are: `static/`, page bundle assets, other files in `content/`.
    pub files: Vec<CopiedFile>,
    /// What was left out, and why (links out of the site, pipes, devices): printed, but
    /// no reason to fail the build.
    pub warnings: Vec<Problem>,
    /// The photos pages show, with their copies, by file (relative to the site root).
    pub pictures: HashMap<PathBuf, images::Picture>,
}

/// A folder of `content/`, described by its `_index.md`.
#[derive(Debug, Clone)]
pub struct Section {
    /// The `_index.md`, relative to the site root.
    pub file: PathBuf,
    /// Folder path under `content/`, `/`-separated, NFC; `""` is the home page.
    pub path: String,
    /// Checked front matter.
    pub front: SectionFront,
    /// The introduction below the front matter.
    pub rendered: Rendered,
}

/// One Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The source file, relative to the site root.
    pub file: PathBuf,
    /// Path under `content/`, `/`-separated, NFC (`cases/三进下党.md`); what `@/` links name.
    pub content_path: String,
    /// The folder path of the section the page belongs to.
    pub section: String,
    /// The last URL segment.
    pub slug: String,
    /// Checked front matter.
    pub front: PageFront,
    /// The body, rendered.
    pub rendered: Rendered,
    /// The Markdown body, kept only for lesson pages: their Word file is written from it.
    pub lesson_markdown: Option<String>,
    /// When the file was last committed, when the site is in a git repository.
    pub last_commit: Option<Timestamp>,
}

impl Page {
    /// When the page was published: its `published`, else (when it gives no `updated`
    /// either) its file's last commit. `None` when neither is known.
    pub fn published(&self) -> Option<Moment> {
        match (self.front.published, self.front.updated) {
            (Some(written), _) => Some(written),
            (None, Some(_)) => None,
            (None, None) => self.last_commit.map(Moment::Time),
        }
    }

    /// When the page last changed for its readers: `updated`, else `published()`. What
    /// the feed, the sitemap and "latest" lists go by.
    pub fn revised(&self) -> Option<Moment> {
        self.front.updated.or_else(|| self.published())
    }
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    /// Where it is read from.
    pub source: PathBuf,
    /// The file it names, relative to the site root, for messages.
    pub file: PathBuf,
    /// Its path in the output, `/`-separated, NFC. A bundle asset's path is fixed once
    /// its page's URL is known, so it starts as the path under `content/`.
    pub output: String,
    /// For a page bundle's asset: the bundle's `index.md` content path.
    pub bundle: Option<String>,
}

/// What one walked file is.
enum WalkedFile {
    Section(String),
    Page {
        content_path: String,
        section: String,
        default_slug: String,
    },
    Copied(CopiedFile),
}

/// Reads the site's content. Problems are returned alongside whatever could be read.
pub fn load(root: &Path, config: &Config) -> (Content, Vec<Problem>) {
    load_cached(root, config, None)
}

/// Files already read, by path, with the size and time they had: the dev server keeps
/// one so that a rebuild reads and renders only what changed.
#[derive(Default)]
pub struct LoadCache {
    entries: std::sync::Mutex<HashMap<PathBuf, (u64, std::time::SystemTime, Loaded)>>,
    /// The configuration the entries were read with; another one empties the cache.
    config: std::sync::Mutex<Option<Config>>,
}

/// `load`, reusing what `cache` holds for files that have not changed since.
pub fn load_cached(
    root: &Path,
    config: &Config,
    cache: Option<&LoadCache>,
) -> (Content, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut sources = Vec::new();
    let history = PendingHistory::start(root);
    let limit = config.max_file_size;
    crate::progress::timed("load: walk", || {
        walk_content(root, limit, &mut sources, &mut problems, &mut warnings);
        walk_static(root, limit, &mut sources, &mut problems, &mut warnings);
    });
    let history = crate::progress::timed("load: git history", || history.finish());
    if let Some(cache) = cache {
        let mut known = cache.config.lock().unwrap_or_else(|e| e.into_inner());
        if known.as_ref() != Some(config) {
            cache
                .entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clear();
            *known = Some(config.clone());
        }
    }
    let read: Vec<Result<Loaded, Vec<Problem>>> = crate::progress::timed("load: read", || {
        sources
            .into_par_iter()
            .map(|(file, source)| {
                let Some(cache) = cache else {
                    return read_source(root, file, source, config, &history);
                };
                let stamp = std::fs::metadata(root.join(&file))
                    .ok()
                    .and_then(|m| Some((m.len(), m.modified().ok()?)));
                if let Some((len, time)) = stamp
                    && let Some((l, t, loaded)) = cache
                        .entries
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get(&file)
                    && (*l, *t) == (len, time)
                {
                    // The file is as it was, but it may have been committed since.
                    return Ok(match loaded {
                        Loaded::Page(page) => Loaded::Page(Box::new(Page {
                            last_commit: history.last_commit(&file),
                            ..(**page).clone()
                        })),
                        other => other.clone(),
                    });
                }
                let loaded = read_source(root, file.clone(), source, config, &history)?;
                if let Some((len, time)) = stamp {
                    cache
                        .entries
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(file, (len, time, loaded.clone()));
                }
                Ok(loaded)
            })
            .collect()
    });
    let mut content = Content {
        warnings,
        ..Content::default()
    };
    for item in read {
        match item {
            Ok(Loaded::Section(s)) => content.sections.push(*s),
            Ok(Loaded::Page(p)) => content.pages.push(*p),
            Ok(Loaded::File(f)) => content.files.push(f),
            Err(mut found) => problems.append(&mut found),
        }
    }
    let (pictures, mut found) = crate::progress::timed("load: pictures", || {
        images::process(root, picture_uses(&content))
    });
    content.pictures = pictures;
    problems.append(&mut found);
    (content, problems)
}

/// Every photo of the site a page or section shows: (the file showing it, where, the photo).
fn picture_uses(content: &Content) -> Vec<(PathBuf, markdown::ImageUse, PathBuf)> {
    let photos: std::collections::HashSet<&Path> = content
        .files
        .iter()
        .filter(|f| images::is_photo(&f.output))
        .map(|f| f.file.as_path())
        .collect();
    let pages = content
        .pages
        .iter()
        .map(|p| (&p.file, p.content_path.as_str(), &p.rendered));
    let sections = content
        .sections
        .iter()
        .map(|s| (&s.file, s.path.as_str(), &s.rendered));
    let mut uses = Vec::new();
    for (file, content_path, rendered) in pages.chain(sections) {
        let bundle = content_path == "index.md" || content_path.ends_with("/index.md");
        for image in &rendered.images {
            let found = images::source_of(content_path, bundle, &image.dest)
                .into_iter()
                .find(|p| photos.contains(p.as_path()));
            if let Some(photo) = found {
                uses.push((file.clone(), image.clone(), photo));
            }
        }
    }
    uses
}

#[derive(Clone)]
enum Loaded {
    Section(Box<Section>),
    Page(Box<Page>),
    File(CopiedFile),
}

/// A path relative to `base` as a `/`-separated NFC string, or a problem for a name
/// that is not UTF-8.
fn relative_name(base: &Path, path: &Path, root: &Path) -> Result<String, Problem> {
    let relative = path.strip_prefix(base).unwrap_or(path);
    let shown = path.strip_prefix(root).unwrap_or(path);
    let text = relative
        .to_str()
        .ok_or_else(|| Problem::in_file(shown, messages::file_name_not_utf8()))?;
    // The manifest holds one path a line, and no URL should hold a line break.
    if text.chars().any(char::is_control) {
        return Err(Problem::in_file(
            format!("{:?}", shown.display().to_string()),
            messages::file_name_control_character(),
        ));
    }
    Ok(text.replace('\\', "/").nfc().collect())
}

/// Decides which walked entries may be read: links only when they lead to a place
/// inside the site (or the folder being walked), and only files and folders, never
/// pipes (reading one would wait forever), sockets or devices.
struct Admission {
    root: PathBuf,
    bases: Vec<PathBuf>,
    warnings: std::cell::RefCell<Vec<Problem>>,
}

impl Admission {
    fn new(root: &Path, base: &Path) -> Admission {
        let bases = [root, base]
            .iter()
            .filter_map(|p| p.canonicalize().ok())
            .collect();
        Admission {
            root: root.to_path_buf(),
            bases,
            warnings: Default::default(),
        }
    }

    fn admits(&self, entry: &walkdir::DirEntry) -> bool {
        if entry.depth() == 0 {
            return true;
        }
        let path = entry.path();
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        let warn = |message: Text| {
            self.warnings
                .borrow_mut()
                .push(Problem::in_file(shown, message));
            false
        };
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(real) if self.bases.iter().any(|b| real.starts_with(b)) => {}
                Ok(real) => {
                    return warn(messages::link_outside_site(&real.display().to_string()));
                }
                Err(_) => return warn(messages::dangling_link()),
            }
        }
        let kind = entry.file_type();
        if kind.is_dir() || kind.is_file() {
            return true;
        }
        warn(messages::not_a_regular_file())
    }
}

/// A problem for a file larger than the site allows, if it is.
fn too_large(entry: &walkdir::DirEntry, root: &Path, limit: u64) -> Option<Problem> {
    let len = entry.metadata().ok()?.len();
    (len > limit).then(|| {
        let path = entry.path();
        Problem::in_file(
            path.strip_prefix(root).unwrap_or(path),
            messages::file_too_large(Some(len.div_ceil(1024 * 1024)), limit / (1024 * 1024)),
        )
    })
}

/// Hidden files and the leftovers of editors (backups, swap files, vim's `4913` probe,
/// temp files of atomic saves, JetBrains' safe-write copies, the `~$` lock files Word
/// and WPS leave beside an open file): never read, never published.
pub fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

fn walk_content(
    root: &Path,
    limit: u64,
    sources: &mut Vec<(PathBuf, WalkedFile)>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    let base = root.join(CONTENT_DIR);
    if !base.is_dir() {
        problems.push(Problem::in_file(
            CONTENT_DIR,
            "there is no content folder: create `content/` and put Markdown files in it",
        ));
        return;
    }
    // Folders holding an `index.md` are page bundles: everything inside belongs to that page.
    let mut bundles: Vec<PathBuf> = Vec::new();
    let admission = Admission::new(root, &base);
    let walker = WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| (e.depth() == 0 || !is_hidden(e.file_name())) && admission.admits(e));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let file = e.path().map_or(PathBuf::from(CONTENT_DIR), |p| {
                    p.strip_prefix(root).unwrap_or(p).to_path_buf()
                });
                problems.push(Problem::in_file(file, format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_dir() {
            if path.join("index.md").is_file() && !bundles.iter().any(|b| path.starts_with(b)) {
                bundles.push(path.to_path_buf());
            }
            continue;
        }
        if let Some(problem) = too_large(&entry, root, limit) {
            problems.push(problem);
            continue;
        }
        let name = match relative_name(&base, path, root) {
            Ok(name) => name,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let file = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let folder = name.rsplit_once('/').map_or("", |(f, _)| f).to_owned();
        let bundle = bundles.iter().find(|b| path.starts_with(b));
        let file_name = name.rsplit('/').next().unwrap_or(&name).to_owned();
        let source = match bundle {
            Some(b) if path == b.join("index.md") => {
                let section = folder.rsplit_once('/').map_or("", |(s, _)| s).to_owned();
                let default_slug = folder.rsplit('/').next().unwrap_or("").to_owned();
                WalkedFile::Page {
                    content_path: name,
                    section,
                    default_slug,
                }
            }
            Some(b) => {
                let bundle_name =
                    relative_name(&base, &b.join("index.md"), root).unwrap_or_default();
                WalkedFile::Copied(CopiedFile {
                    source: path.to_path_buf(),
                    file: file.clone(),
                    output: name,
                    bundle: Some(bundle_name),
                })
            }
            None if file_name == "_index.md" => WalkedFile::Section(folder),
            None if file_name.ends_with(".md") => {
                let default_slug = file_name.trim_end_matches(".md").to_owned();
                WalkedFile::Page {
                    content_path: name,
                    section: folder,
                    default_slug,
                }
            }
            None => WalkedFile::Copied(CopiedFile {
                source: path.to_path_buf(),
                file: file.clone(),
                output: name,
                bundle: None,
            }),
        };
        sources.push((file, source));
    }
    warnings.append(&mut admission.warnings.into_inner());
}

fn walk_static(
    root: &Path,
    limit: u64,
    sources: &mut Vec<(PathBuf, WalkedFile)>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    let base = root.join(STATIC_DIR);
    if !base.is_dir() {
        return;
    }
    // Dot files stay (`.well-known/`); editors' leftovers do not.
    let admission = Admission::new(root, &base);
    let walker = WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            (e.depth() == 0
                || !(name.starts_with(".#")
                    || (is_hidden(e.file_name()) && !name.starts_with('.'))))
                && admission.admits(e)
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if let Some(problem) = too_large(&entry, root, limit) {
                    problems.push(problem);
                    continue;
                }
                let path = entry.path();
                match relative_name(&base, path, root) {
                    Ok(output) => sources.push((
                        path.strip_prefix(root).unwrap_or(path).to_path_buf(),
                        WalkedFile::Copied(CopiedFile {
                            source: path.to_path_buf(),
                            file: path.strip_prefix(root).unwrap_or(path).to_path_buf(),
                            output,
                            bundle: None,
                        }),
                    )),
                    Err(problem) => problems.push(problem),
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(Problem::in_file(STATIC_DIR, format!("cannot read: {e}"))),
        }
    }
    warnings.append(&mut admission.warnings.into_inner());
}

/// Reads a text file (see `crate::text`), naming the line of the first bad byte.
fn read_text(root: &Path, file: &Path, limit: u64) -> Result<String, Problem> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(root.join(file))
        .and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|e| Problem::in_file(file, messages::cannot_read(&e.to_string())))?;
    if bytes.len() as u64 > limit {
        return Err(Problem::in_file(
            file,
            messages::file_too_large(None, limit / (1024 * 1024)),
        ));
    }
    let text = crate::text::decode(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = line_of(&String::from_utf8_lossy(&bytes[..valid]), valid);
        Problem::at(file, line, None, messages::not_text())
    })?;
    refuse_control_characters(file, &text)?;
    Ok(text)
}

/// A NUL or other control character (tabs and line ends aside) in a source file is an
/// error at its line: it would reach the HTML as is, and is never meant.
fn refuse_control_characters(file: &Path, text: &str) -> Result<(), Problem> {
    let Some((at, c)) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    else {
        return Ok(());
    };
    let line = line_of(text, at);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + 1;
    Err(Problem::at(
        file,
        line,
        Some(column),
        messages::control_character(c),
    ))
}

fn field_problems(file: &Path, errors: Vec<FieldError>) -> Vec<Problem> {
    errors
        .into_iter()
        .map(|e| Problem::at(file, e.line, e.column, e.message))
        .collect()
}

fn read_source(
    root: &Path,
    file: PathBuf,
    source: WalkedFile,
    config: &Config,
    history: &History,
) -> Result<Loaded, Vec<Problem>> {
    let (content_path, section, default_slug) = match source {
        WalkedFile::Copied(copied) => return Ok(Loaded::File(copied)),
        WalkedFile::Section(path) => {
            let text = read_text(root, &file, config.max_file_size).map_err(|p| vec![p])?;
            let split =
                split_front_matter(&text).map_err(|m| vec![Problem::at(&file, 1, None, m)])?;
            let front = front_matter::parse_section(split.front_matter)
                .map_err(|e| field_problems(&file, e))?;
            let rendered = markdown::render_with(
                split.body,
                split.body_line,
                &format!("{path}/_index.md"),
                config.raw_html,
            );
            return Ok(Loaded::Section(Box::new(Section {
                file,
                path,
                front,
                rendered,
            })));
        }
        WalkedFile::Page {
            content_path,
            section,
            default_slug,
        } => (content_path, section, default_slug),
    };
    let text = read_text(root, &file, config.max_file_size).map_err(|p| vec![p])?;
    let split = split_front_matter(&text).map_err(|m| vec![Problem::at(&file, 1, None, m)])?;
    let front = front_matter::parse_page(split.front_matter, config)
        .map_err(|e| field_problems(&file, e))?;
    let (slug, line) = match &front.slug {
        Some((slug, line)) => (slug.nfc().collect::<String>(), *line),
        None => (default_slug, 1),
    };
    if let Err(why) = check_slug(&slug) {
        let hint = if front.slug.is_some() {
            "set `slug:` to"
        } else {
            "rename the file to"
        };
        return Err(vec![Problem::at(
            &file,
            line,
            None,
            format!("{why}; {hint} a plain name such as `sanjin-xiadang` or `三进下党`"),
        )]);
    }
    let rendered =
        markdown::render_with(split.body, split.body_line, &content_path, config.raw_html);
    let lesson_markdown = front.lesson.is_some().then(|| split.body.to_owned());
    Ok(Loaded::Page(Box::new(Page {
        last_commit: history.last_commit(&file),
        lesson_markdown,
        file,
        content_path,
        section,
        slug,
        front,
        rendered,
    })))
}

/// A content file's text split at its front matter fences.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitFile<'a> {
    /// The YAML between the `---` lines; it always starts on line 2 of the file.
    pub front_matter: &'a str,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// The 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Splits `text` (BOM and CRLF accepted) into front matter and body.
pub fn split_front_matter(text: &str) -> Result<SplitFile<'_>, crate::messages::Text> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let after_open = text
        .strip_prefix("---\r\n")
        .or_else(|| text.strip_prefix("---\n"))
        .ok_or_else(crate::messages::no_front_matter)?;
    let mut offset = 0;
    for (line, raw_line) in (2..).zip(after_open.split_inclusive('\n')) {
        if raw_line.trim_end_matches(['\r', '\n']) == "---" {
            return Ok(SplitFile {
                front_matter: &after_open[..offset],
                body: &after_open[offset + raw_line.len()..],
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(crate::messages::front_matter_unclosed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_bom_and_crlf() {
        let s = split_front_matter("\u{feff}---\r\ntitle: 三进下党\r\n---\r\n正文\r\n").unwrap();
        assert_eq!(s.front_matter, "title: 三进下党\r\n");
        assert_eq!(s.body, "正文\r\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_front_matter_only_and_empty_body() {
        let s = split_front_matter("---\ntitle: x\n---").unwrap();
        assert_eq!((s.front_matter, s.body), ("title: x\n", ""));
    }

    #[test]
    fn explains_missing_or_unclosed_front_matter() {
        assert!(
            split_front_matter("# 标题\n")
                .unwrap_err()
                .en
                .contains("start the file")
        );
        assert!(
            split_front_matter("---\ntitle: x\n")
                .unwrap_err()
                .en
                .contains("not closed")
        );
    }
}
