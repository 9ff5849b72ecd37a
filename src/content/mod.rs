//! Reading content files: the only code that reads `content/` and `static/` (and asks
//! git when each was last committed). Each file becomes a `Page` or `Section` with its
//! front matter checked and its Markdown rendered; every problem found is collected, so
//! one bad file never hides the next.

pub(crate) mod front_matter;
pub(crate) mod history;
pub(crate) mod images;
pub(crate) mod lint;
pub(crate) mod quiz;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
pub(crate) const CONTENT_DIR: &str = "content";
/// The folder copied into the output as is.
pub(crate) const STATIC_DIR: &str = "static";

/// Everything read from `content/` and `static/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Sections that have an `_index.md`, plus the root section when it has none.
    pub sections: Vec<Section>,
    /// Every page, drafts included, in path order. Shared: the dev server keeps each
    /// page between rebuilds while its file is unchanged.
    pub pages: Vec<Arc<Page>>,
    /// Files copied as they are: `static/`, page bundle assets, other files in `content/`.
    pub files: Vec<CopiedFile>,
    /// What was left out, and why (links out of the site, pipes, devices): printed, but
    /// no reason to fail the build.
    pub warnings: Vec<Problem>,
    /// The photos pages show, with their copies, by file (relative to the site root).
    pub pictures: HashMap<PathBuf, images::Picture>,
    /// The files that differ from the last load (every file without a cache): read
    /// anew, gone, or a page whose last commit moved. What changed, for the dev server.
    pub fresh: Vec<PathBuf>,
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
#[derive(Clone)]
enum WalkedFile {
    Section(String),
    Page {
        content_path: String,
        section: String,
        default_slug: String,
    },
    Copied(CopiedFile),
}

/// Every file of `content/` and `static/` that may be read, in walk order, with what
/// the walk left out and why.
struct Walked {
    sources: Vec<(PathBuf, WalkedFile)>,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Walked {
    fn walk(root: &Path, limit: u64) -> Walked {
        let mut walked = Walked {
            sources: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
        };
        let Walked {
            sources,
            problems,
            warnings,
        } = &mut walked;
        walk_content(root, limit, sources, problems, warnings);
        walk_static(root, limit, sources, problems, warnings);
        walked
    }
}

/// What the dev server keeps from one load to the next, so that a rebuild reads and
/// renders only the files that changed. A cache told of every change (`told_of_changes`)
/// also walks the folders only when files may have come or gone; any other looks at the
/// size and time of every file.
#[derive(Default)]
pub struct LoadCache {
    seen: std::sync::Mutex<Seen>,
    /// Whether its owner reports every change through `note_changes`.
    told: bool,
    /// The hash of each photo's bytes, so an unchanged photo is not read again.
    photos: images::HashMemo,
}

#[derive(Default)]
struct Seen {
    /// The configuration the rest was read with; another one empties the cache.
    config: Option<Config>,
    /// The last walk (less the files gone since), when it found no problem.
    walked: Option<Arc<Walked>>,
    /// Files read, by path, with the size and time they had.
    entries: HashMap<PathBuf, (u64, std::time::SystemTime, Loaded)>,
    /// The git history, and the commit (`HEAD`) it was read at.
    history: Option<(Option<String>, Arc<History>)>,
    /// Files changed since the last load, relative to the root; `None` when unknown,
    /// which makes the next load walk the folders again.
    changed: Option<HashSet<PathBuf>>,
}

impl LoadCache {
    /// A cache whose owner (the dev server's watcher) reports every change of the
    /// site's files through `note_changes`.
    pub fn told_of_changes() -> LoadCache {
        LoadCache {
            told: true,
            ..LoadCache::default()
        }
    }

    /// Tells the cache which files changed since the last load (paths relative to the
    /// site root), or, with `None`, that it cannot know (the watcher lost events).
    pub fn note_changes(&self, paths: Option<Vec<PathBuf>>) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match (paths, &mut seen.changed) {
            (Some(paths), Some(changed)) => changed.extend(paths),
            _ => seen.changed = None,
        }
    }
}

/// The files to read when only `changed` changed since `walked`: the same files, or
/// `None` when a file may have come, gone from a bundle or moved, and only a walk can
/// tell. A file that is gone is simply left out (and so is one grown too large, with
/// its problem).
fn sources_after(
    root: &Path,
    walked: &Arc<Walked>,
    changed: &HashSet<PathBuf>,
    limit: u64,
) -> Option<Arc<Walked>> {
    let mut gone = Vec::new();
    let mut problems = Vec::new();
    for path in changed {
        let top = path.components().next().map(|c| c.as_os_str());
        if top != Some(CONTENT_DIR.as_ref()) && top != Some(STATIC_DIR.as_ref()) {
            continue; // a theme, template or site.toml: not read here
        }
        // A few paths against the list: cheaper than a set of every path.
        if !walked.sources.iter().any(|(file, _)| file == path) {
            return None; // a new file or folder, or a folder moved
        }
        match std::fs::symlink_metadata(root.join(path)) {
            Ok(meta) if meta.is_file() => {
                if meta.len() > limit {
                    problems.push(Problem::in_file(
                        path,
                        messages::file_too_large(
                            Some(meta.len().div_ceil(1024 * 1024)),
                            limit / (1024 * 1024),
                        ),
                    ));
                    gone.push(path);
                }
            }
            // A bundle's `index.md` gone makes its other files ordinary files.
            Err(_) if path.file_name().is_none_or(|n| n != "index.md") => gone.push(path),
            _ => return None,
        }
    }
    if gone.is_empty() {
        return Some(Arc::clone(walked));
    }
    Some(Arc::new(Walked {
        sources: walked
            .sources
            .iter()
            .filter(|(file, _)| !gone.contains(&file))
            .cloned()
            .collect(),
        problems,
        warnings: walked.warnings.clone(),
    }))
}

/// `load`, reusing what `cache` holds for files that have not changed since.
pub(crate) fn load_cached(
    root: &Path,
    config: &Config,
    cache: Option<&LoadCache>,
) -> (Content, Vec<Problem>) {
    let limit = config.max_file_size;
    let Some(cache) = cache else {
        let pending = PendingHistory::start(root);
        let walked = crate::progress::timed("load: walk", || Walked::walk(root, limit));
        let history = pending.finish();
        let fresh = walked.sources.iter().map(|(f, _)| f.clone()).collect();
        let read = walked
            .sources
            .into_par_iter()
            .map(|(file, source)| read_source(root, file, source, config, &history))
            .collect();
        return finish_load(root, read, walked.problems, walked.warnings, fresh, None);
    };
    let mut seen = cache.seen.lock().unwrap_or_else(|e| e.into_inner());
    if seen.config.as_ref() != Some(config) {
        *seen = Seen {
            config: Some(config.clone()),
            ..Seen::default()
        };
    }
    // The history depends only on the commit checked out: read it again when that moved.
    let head = history::head(root);
    let (history, pending) = match seen.history.take() {
        Some((at, history)) if at == head => (Some(history), None),
        _ => (None, Some(PendingHistory::start(root))),
    };
    let changed = std::mem::replace(&mut seen.changed, cache.told.then(HashSet::new));
    let after = match (&seen.walked, &changed) {
        (Some(walked), Some(changed)) => crate::progress::timed("load: changed files", || {
            sources_after(root, walked, changed, limit)
        }),
        _ => None,
    };
    // Without a list of changes, every file is looked at: read again if its size or
    // time changed. With one, only the files on it are.
    let look_at_all = after.is_none();
    let walked = match after {
        Some(walked) => walked,
        None => Arc::new(crate::progress::timed("load: walk", || {
            Walked::walk(root, limit)
        })),
    };
    let history = match (history, pending) {
        (Some(history), _) => history,
        (None, pending) => Arc::new(pending.map(PendingHistory::finish).unwrap_or_default()),
    };
    let changed = changed.unwrap_or_default();
    let entries = &seen.entries;
    // Each file's size and time, whether it differs from the last load, and what it gave.
    #[allow(clippy::type_complexity)]
    let read: Vec<(
        Option<(u64, std::time::SystemTime)>,
        Fresh,
        Result<Loaded, Vec<Problem>>,
    )> = crate::progress::timed("load: read", || {
        walked
            .sources
            .par_iter()
            .map(|(file, source)| {
                let cached = entries.get(file);
                if !look_at_all
                    && !changed.contains(file)
                    && let Some((len, time, loaded)) = cached
                {
                    let (loaded, fresh) = with_last_commit(loaded, file, &history);
                    return (Some((*len, *time)), fresh, Ok(loaded));
                }
                let stamp = std::fs::metadata(root.join(file))
                    .ok()
                    .and_then(|m| Some((m.len(), m.modified().ok()?)));
                if let Some((len, time, loaded)) = cached
                    && stamp == Some((*len, *time))
                    && !changed.contains(file)
                {
                    let (loaded, fresh) = with_last_commit(loaded, file, &history);
                    return (stamp, fresh, Ok(loaded));
                }
                let loaded = read_source(root, file.clone(), source.clone(), config, &history);
                (stamp, Fresh::Read, loaded)
            })
            .collect()
    });
    // The cache keeps what was read anew, and forgets the files no longer there; those
    // count as changed too (a section's `_index.md` deleted changes its pages).
    let mut fresh = Vec::new();
    if look_at_all || !Arc::ptr_eq(&walked, seen.walked.as_ref().unwrap_or(&walked)) {
        let now: HashSet<&Path> = walked.sources.iter().map(|(f, _)| f.as_path()).collect();
        seen.entries.retain(|file, _| {
            let kept = now.contains(file.as_path());
            if !kept {
                fresh.push(file.clone());
            }
            kept
        });
    }
    let read = walked
        .sources
        .iter()
        .zip(read)
        .map(|((file, _), (stamp, differs, loaded))| {
            if differs != Fresh::Same {
                fresh.push(file.clone());
            }
            if differs == Fresh::Read {
                match (stamp, &loaded) {
                    (Some((len, time)), Ok(loaded)) => {
                        seen.entries
                            .insert(file.clone(), (len, time, loaded.clone()));
                    }
                    _ => {
                        seen.entries.remove(file);
                    }
                }
            }
            loaded
        })
        .collect();
    seen.history = Some((head, history));
    let problems = walked.problems.clone();
    let found = finish_load(
        root,
        read,
        problems,
        walked.warnings.clone(),
        fresh,
        Some(&cache.photos),
    );
    seen.walked = walked.problems.is_empty().then_some(walked);
    if seen.walked.is_none() {
        seen.changed = None;
    }
    found
}

/// Whether a file kept from the last load differs from it now.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fresh {
    /// As it was.
    Same,
    /// Read again.
    Read,
    /// Not read again, but its page's last commit moved (a commit or a checkout).
    Commit,
}

/// A loaded file with its page's last commit as `history` says, and whether that moved
/// (a new page only then: an unchanged page stays shared with the last build).
fn with_last_commit(loaded: &Loaded, file: &Path, history: &History) -> (Loaded, Fresh) {
    match loaded {
        Loaded::Page(page) if page.last_commit != history.last_commit(file) => {
            let page = Page {
                last_commit: history.last_commit(file),
                ..(**page).clone()
            };
            (Loaded::Page(Arc::new(page)), Fresh::Commit)
        }
        other => (other.clone(), Fresh::Same),
    }
}

/// Gathers what was read into `Content`, with the pictures pages show.
fn finish_load(
    root: &Path,
    read: Vec<Result<Loaded, Vec<Problem>>>,
    mut problems: Vec<Problem>,
    warnings: Vec<Problem>,
    fresh: Vec<PathBuf>,
    photos: Option<&images::HashMemo>,
) -> (Content, Vec<Problem>) {
    let mut content = Content {
        warnings,
        fresh,
        ..Content::default()
    };
    for item in read {
        match item {
            Ok(Loaded::Section(s)) => content.sections.push(*s),
            Ok(Loaded::Page(p)) => content.pages.push(p),
            Ok(Loaded::File(f)) => content.files.push(f),
            Err(mut found) => problems.append(&mut found),
        }
    }
    let (pictures, mut found) = crate::progress::timed("load: pictures", || {
        images::process(root, picture_uses(&content), photos)
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
    Page(Arc<Page>),
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
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
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
        problems.push(Problem::in_file(CONTENT_DIR, messages::no_content_folder()));
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
                problems.push(Problem::in_file(
                    file,
                    messages::cannot_read(&messages::io_reason(&e.into())),
                ));
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
            Err(e) => problems.push(Problem::in_file(
                STATIC_DIR,
                messages::cannot_read(&messages::io_reason(&e.into())),
            )),
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
        .map_err(|e| Problem::in_file(file, messages::cannot_read(&messages::io_reason(&e))))?;
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
        return Err(vec![Problem::at(
            &file,
            line,
            None,
            messages::bad_slug(&slug, &why, front.slug.is_some()),
        )]);
    }
    let rendered =
        markdown::render_with(split.body, split.body_line, &content_path, config.raw_html);
    let lesson_markdown = front.lesson.is_some().then(|| split.body.to_owned());
    Ok(Loaded::Page(Arc::new(Page {
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
pub(crate) struct SplitFile<'a> {
    /// The YAML between the `---` lines; it always starts on line 2 of the file.
    pub front_matter: &'a str,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// The 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Splits `text` (BOM and CRLF accepted) into front matter and body.
pub(crate) fn split_front_matter(text: &str) -> Result<SplitFile<'_>, crate::messages::Text> {
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
