//! What the dev server keeps from one build to the next, and the build it runs after a
//! change: the edited pages first, rendered from the last site, then the whole site.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostics::Problems;
use crate::progress::{Progress, timed};
use crate::render::{self, Output};
use crate::site::{self, Site};
use crate::{RenderedSite, Sources, build_from, content};

/// What the dev server keeps from one build to the next: the files read, the parts of
/// the model and the files rendered, each reused while what made it is unchanged; and
/// the last site built whole, from which edited pages are served before the next.
#[derive(Default)]
pub struct BuildCache {
    /// Source files, by path, size and time.
    pub files: content::LoadCache,
    /// Parts of the assembled model, by what they were made from.
    pub model: site::Memo,
    /// Rendered outputs, by the fingerprint of their template context.
    pub outputs: render::Memo,
    /// A hash of the output paths last found to have one writer each.
    pub(crate) writers: Mutex<Option<u64>>,
    last: Mutex<LastSite>,
}

/// The last site built whole, and what changed since.
#[derive(Default)]
struct LastSite {
    /// The site and the fingerprint of the templates it was rendered with; `None` after
    /// a failed build, until one succeeds.
    site: Option<(Site, u64)>,
    /// The files read anew since it was built.
    fresh: Vec<PathBuf>,
}

impl BuildCache {
    /// A cache whose owner reports every changed file (see `LoadCache::note_changes`).
    pub fn told_of_changes() -> BuildCache {
        BuildCache {
            files: content::LoadCache::told_of_changes(),
            ..BuildCache::default()
        }
    }
}

/// The dev server's build after a change. When the change is an edit of a few pages
/// that leaves their place in the site as it was (`Site::with_pages_edited`), their
/// files are rendered from the last site and handed to `early` first; then the whole
/// site is built. `Ok(None)` when `stale` says a newer change came before it was done.
pub fn rebuild_site(
    root: &Path,
    drafts: bool,
    cache: &BuildCache,
    early: &mut dyn FnMut(Vec<Output>),
    stale: &(dyn Fn() -> bool + Sync),
) -> Result<Option<RenderedSite>, Problems> {
    let progress = Progress::hidden();
    let sources = Sources::read(root, Some("/"), Some(cache), &progress);
    {
        let mut last = cache.last.lock().unwrap_or_else(|e| e.into_inner());
        match &sources {
            Ok(sources) => last.fresh.extend(sources.content.fresh.iter().cloned()),
            Err(_) => last.site = None,
        }
    }
    let sources = sources?;
    if let Some(pages) = timed("edited pages", || edited_pages(&sources, drafts, cache)) {
        early(pages);
    }
    let built = build_from(sources, drafts, false, Some(cache), &progress, stale);
    let mut last = cache.last.lock().unwrap_or_else(|e| e.into_inner());
    match &built {
        Ok(Some((rendered, templates))) => {
            last.site = Some((rendered.site.clone(), *templates));
            last.fresh.clear();
        }
        Ok(None) => {}
        Err(_) => last.site = None,
    }
    built.map(|b| b.map(|(rendered, _)| rendered))
}

/// How many edited pages are served before the rest of the site; more is a checkout or
/// a search and replace, not an edit, and waits for the whole site.
const EARLY_PAGES: usize = 8;

/// The files of the pages edited since the last site was built, rendered from it, when
/// nothing but those pages changed and no edit moves anything of the site (see
/// `Site::with_pages_edited`): then they are byte for byte what the whole build makes.
fn edited_pages(sources: &Sources, drafts: bool, cache: &BuildCache) -> Option<Vec<Output>> {
    let last = cache.last.lock().unwrap_or_else(|e| e.into_inner());
    let (site, templates) = last.site.as_ref()?;
    let Sources {
        config,
        content,
        theme,
        tera,
        ..
    } = sources;
    if site.config != *config || *templates != render::templates_fingerprint(theme, config) {
        return None;
    }
    let mut fresh = last.fresh.clone();
    fresh.sort();
    fresh.dedup();
    if fresh.is_empty() || fresh.len() > EARLY_PAGES {
        return None;
    }
    let is_fresh = |p: &content::Page| fresh.contains(&p.file);
    // Only pages may have changed: a section, a static file or a photo changes more.
    if content.pages.iter().filter(|p| is_fresh(p)).count() != fresh.len() {
        return None;
    }
    let shown = content.pages.iter().filter(|p| drafts || !p.front.draft);
    if shown.clone().count() != site.pages.len() {
        return None;
    }
    // A draft edited stays out of the site, and changes nothing of it.
    let edited: Vec<Arc<content::Page>> = shown.filter(|p| is_fresh(p)).cloned().collect();
    if edited.is_empty() {
        return None;
    }
    let (site, at) = timed("edited pages: model", || {
        site.with_pages_edited(&edited, &content.pictures)
    })?;
    timed("edited pages: render", || {
        render::render_pages(&site, theme, tera, &at).ok()
    })
}
