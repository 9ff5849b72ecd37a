//! casebook turns a folder of Markdown study materials into a static study site.
//!
//! The pipeline, one way: `content::load_cached` reads `content/` into pages and sections →
//! `Site::assemble` builds the model (URLs, order, links, taxonomies) → `render::render`
//! turns it into output files with Tera, `search::build` adds the search index →
//! `output::write` swaps them into place atomically. Every stage collects all the
//! problems it finds before the build fails. The dev server's builds after a change,
//! which reuse what the last one made, are in `rebuild`.

#![warn(unreachable_pub, missing_docs)]

pub mod check;
pub mod cli;
pub mod scaffold;
pub mod serve;

mod cjk;
mod config;
mod content;
mod date;
mod diagnostics;
mod html;
mod markdown;
mod messages;
mod moment;
mod output;
mod progress;
mod rebuild;
mod related;
mod render;
mod search;
mod site;
mod text;
mod theme;
mod timeline;
mod url;

pub use diagnostics::{Failure, Problem, Problems, UsageError};
pub use messages::{Lang, Text, error_label, warning_label};
pub use output::RefusedOutput;
pub use rebuild::{BuildCache, rebuild_site};

/// Parts the integration tests drive directly: the dev server's incremental build,
/// photo copies, dates and the output folder's lock. Not an API: it changes at will.
#[doc(hidden)]
pub mod testing {
    pub use crate::moment::{Moment, Timestamp};
    pub use crate::output::claim;
    pub use crate::progress::Progress;
    pub use crate::render::{Body, Output};
    pub use crate::{
        BuildCache, rebuild_site, render_site, render_site_with, search_outputs,
        search_outputs_unless,
    };
}

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;

use progress::{Progress, Stage};
use render::Output;
use site::Site;
use theme::Theme;

/// What `casebook build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml`).
    pub root: PathBuf,
    /// Output folder; `output_dir` of site.toml (under the root) when `None`.
    pub output: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Replaces `base_url` of site.toml.
    pub base_url: Option<String>,
    /// Print nothing but errors.
    pub quiet: bool,
    /// The language of the progress text.
    pub lang: messages::Lang,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Pages rendered.
    pub pages: usize,
    /// Sections rendered (the home page included).
    pub sections: usize,
    /// Files written in all.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the site was written.
    pub output: PathBuf,
    /// Warnings found (`casebook check` lists them).
    pub warnings: usize,
    /// Files left out of the site, and why: shown by `build` itself, since what is
    /// missing from the site is worth seeing without running `check`.
    pub left_out: Vec<diagnostics::Problem>,
}

impl BuildSummary {
    /// What to tell the editor.
    pub fn text(&self) -> messages::Text {
        messages::built(
            self.pages,
            self.sections,
            self.files,
            self.elapsed.as_secs_f64(),
            &self.output,
            self.warnings,
        )
    }
}

impl std::fmt::Display for BuildSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().en)
    }
}

/// A site loaded and rendered in memory, not yet written.
pub struct RenderedSite {
    /// The model the outputs came from.
    pub site: Site,
    /// Every output file, sorted by path.
    pub outputs: Vec<Output>,
    /// Files left out of the site, and why (links out of it, pipes, devices).
    pub warnings: Vec<diagnostics::Problem>,
}

/// Runs load → assemble → render for the site in `root`. On failure the error is
/// `Problems`: every problem found, each with its file and line.
pub fn render_site(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    progress: &Progress,
) -> Result<RenderedSite, Problems> {
    render_site_with(root, base_url, drafts, true, None, progress)
}

/// A site's sources, read and without problems: what assemble and render start from.
struct Sources {
    config: config::Config,
    content: content::Content,
    theme: Theme,
    tera: tera::Tera,
    /// Files left out of the site, and why.
    warnings: Vec<diagnostics::Problem>,
}

impl Sources {
    fn read(
        root: &Path,
        base_url: Option<&str>,
        cache: Option<&BuildCache>,
        progress: &Progress,
    ) -> Result<Sources, Problems> {
        let config = config::load(root, base_url).map_err(|p| Problems(vec![p]))?;
        progress.start(Stage::Loading, 0);
        let (mut content, mut problems) =
            content::load_cached(root, &config, cache.map(|c| &c.files));
        let warnings = std::mem::take(&mut content.warnings);
        let loaded = crate::progress::timed("theme", || {
            Theme::load(root, &config)
                .and_then(|theme| render::templates(&theme).map(|tera| (theme, tera)))
        });
        let (theme, tera) = match loaded {
            Ok(loaded) => loaded,
            Err(found) => {
                problems.extend(found);
                return Err(Problems::new(problems));
            }
        };
        Problems::into_result(problems)?;
        Ok(Sources {
            config,
            content,
            theme,
            tera,
            warnings,
        })
    }
}

/// `render_site`, optionally leaving out the search index (the dev server builds it
/// after the pages, so an edit reaches the browser first).
pub fn render_site_with(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    with_search: bool,
    cache: Option<&BuildCache>,
    progress: &Progress,
) -> Result<RenderedSite, Problems> {
    let sources = Sources::read(root, base_url, cache, progress)?;
    let built = build_from(sources, drafts, with_search, cache, progress, &|| false)?;
    let (rendered, _) = built.expect("a build that is never stale finishes");
    Ok(rendered)
}

/// Assembles and renders `sources` (with the search index when asked); `Ok(None)` as
/// soon as `stale` says the site is no longer wanted. Also gives the fingerprint of the
/// templates it was rendered with.
fn build_from(
    sources: Sources,
    drafts: bool,
    with_search: bool,
    cache: Option<&BuildCache>,
    progress: &Progress,
    stale: &(dyn Fn() -> bool + Sync),
) -> Result<Option<(RenderedSite, u64)>, Problems> {
    let Sources {
        config,
        content,
        theme,
        tera,
        warnings,
    } = sources;
    progress.start(Stage::Assembling, 0);
    let site = crate::progress::timed("assemble", || {
        Site::assemble_with(config, content, drafts, cache.map(|c| &c.model))
    })
    .map_err(Problems::new)?;
    if stale() {
        return Ok(None);
    }
    let jobs = site.sections.len() + site.pages.len() + site.aliases.len();
    progress.start(Stage::Rendering, jobs as u64);
    let memo = cache.map(|c| &c.outputs);
    let rendered = crate::progress::timed("render", || {
        render::render(&site, &theme, &tera, memo, &|| progress.tick(), stale)
    })
    .map_err(Problems::new)?;
    let Some(mut outputs) = rendered else {
        return Ok(None);
    };
    let search = if with_search && site.config.search_enabled {
        progress.start(Stage::Indexing, 0);
        search_outputs(&site)
    } else {
        Vec::new()
    };
    let search_paths: Vec<String> = search.iter().map(|o| o.path.clone()).collect();
    outputs.extend(search);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    // One writer each depends only on the output paths: skip it when they are those
    // last found clear.
    let paths = {
        let mut hasher = std::hash::DefaultHasher::new();
        for output in &outputs {
            output.path.hash(&mut hasher);
        }
        hasher.finish()
    };
    let writers = cache.map(|c| c.writers.lock().unwrap_or_else(|e| e.into_inner()));
    if writers.as_deref() != Some(&Some(paths)) {
        Problems::into_result(crate::progress::timed("one writer each", || {
            one_writer_each(&site, &outputs, &theme, &search_paths)
        }))?;
        if let Some(mut writers) = writers {
            *writers = Some(paths);
        }
    }
    let templates = render::templates_fingerprint(&theme, &site.config);
    Ok(Some((
        RenderedSite {
            site,
            outputs,
            warnings,
        },
        templates,
    )))
}

/// Every output path has one writer, and no output is a file where another needs a
/// folder (`slug: index.html` beside a section's `index.html`). The site model checks
/// its own pages; this last look also covers the search index and the theme's files,
/// and names both sources of each clash.
fn one_writer_each(
    site: &Site,
    outputs: &[Output],
    theme: &Theme,
    search: &[String],
) -> Vec<diagnostics::Problem> {
    use std::collections::HashMap;
    // Each output path with everything that writes it, and a file to report it at.
    let mut writers: HashMap<String, Vec<(messages::Text, PathBuf)>> = HashMap::new();
    let mut add = |path: &str, who: messages::Text, file: &Path| {
        writers
            .entry(path.to_owned())
            .or_default()
            .push((who, file.to_path_buf()));
    };
    let config_file = Path::new(config::CONFIG_FILE);
    for file in &site.files {
        add(&file.output, messages::writer_file(&file.file), &file.file);
    }
    for page in &site.pages {
        add(
            &page.output,
            messages::writer_file(page.file()),
            page.file(),
        );
    }
    for section in &site.sections {
        match &section.file {
            Some(file) => add(&section.output, messages::writer_file(file), file),
            None => {
                let folder = Path::new(content::CONTENT_DIR).join(&section.path);
                add(
                    &section.output,
                    messages::writer_section_page(&folder),
                    &folder,
                )
            }
        }
    }
    for alias in &site.aliases {
        add(
            &alias.output,
            messages::writer_alias(&alias.file),
            &alias.file,
        );
    }
    for (name, _) in &theme.files {
        if !site.files.iter().any(|f| &f.output == name) {
            add(name, messages::writer_theme_file(name), config_file);
        }
    }
    for path in search {
        add(path, messages::writer_search_index(), config_file);
    }
    let describe = |path: &str| -> (Vec<messages::Text>, PathBuf) {
        match writers.get(path).map(Vec::as_slice) {
            Some([]) | None => (
                vec![messages::writer_casebook(path)],
                config_file.to_path_buf(),
            ),
            Some(list) => {
                let names = list.iter().map(|(w, _)| w.clone()).collect();
                let file = list.iter().map(|(_, f)| f).find(|f| *f != config_file);
                (names, file.unwrap_or(&list[0].1).clone())
            }
        }
    };
    let mut problems = Vec::new();
    let mut seen: HashMap<String, &str> = HashMap::new();
    for output in outputs {
        let key = output.path.to_lowercase();
        if let Some(first) = seen.get(&key) {
            let (mut who, file) = describe(&output.path);
            if *first != output.path {
                who.splice(0..0, describe(first).0);
            } else if who.len() < 2 {
                who.push(messages::writer_casebook(&output.path));
            }
            problems.push(diagnostics::Problem::in_file(
                file,
                messages::two_writers(&messages::writers(&who), &output.path),
            ));
        } else {
            seen.insert(key, &output.path);
        }
    }
    // One report per file in the way, at its first clash.
    let mut reported = std::collections::HashSet::new();
    for output in outputs {
        let path = output.path.to_lowercase();
        for (i, _) in path.match_indices('/') {
            if let Some(file) = seen.get(&path[..i])
                && reported.insert(*file)
            {
                let (who, at) = describe(file);
                let (needs, needs_at) = describe(&output.path);
                let at = if at.as_path() == config_file {
                    needs_at
                } else {
                    at
                };
                problems.push(diagnostics::Problem::in_file(
                    at,
                    messages::file_where_folder(
                        &messages::writers(&who),
                        file,
                        &messages::writers(&needs),
                        &output.path,
                    ),
                ));
            }
        }
    }
    problems
}

/// The search index's files, as outputs.
pub fn search_outputs(site: &Site) -> Vec<Output> {
    search_outputs_unless(site, &|| false).unwrap_or_default()
}

/// The search index's files, or `None` once `stale` says they are no longer wanted.
pub fn search_outputs_unless(
    site: &Site,
    stale: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<Output>> {
    let files = search::build(site, stale)?;
    Some(
        files
            .into_iter()
            .map(|(path, text)| Output {
                path,
                body: render::Body::Bytes(text.into_bytes().into()),
            })
            .collect(),
    )
}

/// `casebook build`: renders the site and swaps it into the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildSummary> {
    let started = Instant::now();
    let progress = Progress::new(options.quiet, options.lang);
    let root = &options.root;
    if !root.join(config::CONFIG_FILE).is_file() {
        return Err(diagnostics::UsageError(messages::no_site(root, "build")).into());
    }
    // A wrong `--base-url` is the command line's fault, not site.toml's.
    if let Some(url) = &options.base_url
        && !config::is_base_url(url)
    {
        return Err(diagnostics::UsageError(messages::base_url_flag(url)).into());
    }
    let config = config::load(root, options.base_url.as_deref()).map_err(|p| Problems(vec![p]))?;
    let output = match &options.output {
        Some(output) => output.clone(),
        None => root.join(&config.output_dir),
    };
    // A theme outside the site (`theme_dir`) is a source too: never the output.
    let theme_dir = Theme::folder(root, &config).map_err(|p| Problems(vec![p]))?;
    let claim = output::claim(root, &output, theme_dir.as_slice())?;
    let rendered = render_site(root, options.base_url.as_deref(), options.drafts, &progress)?;
    // The same checks as `casebook check`: what it calls an error fails the build too.
    progress.start(Stage::Checking, 0);
    let report = check::inspect(&rendered, false);
    if !report.errors.is_empty() {
        return Err(Problems::new(report.errors.into_iter().map(Into::into).collect()).into());
    }
    progress.start(Stage::Writing, 0);
    output::write(&rendered.outputs, &claim)?;
    progress.finish();
    Ok(BuildSummary {
        pages: rendered.site.pages.len(),
        sections: rendered.site.sections.len(),
        files: rendered.outputs.len(),
        elapsed: started.elapsed(),
        output,
        warnings: report.warnings.len(),
        left_out: rendered.warnings,
    })
}
