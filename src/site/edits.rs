//! A site with a few pages edited in place, for the dev server: when an edit leaves
//! everything that places a page in the site as it was (its URL, section order, terms,
//! dates, headings), the edited page's own files are the same whether the site is
//! assembled anew or the last site is given the new page, so they can be served first.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::content::Page;
use crate::content::front_matter::SortBy;
use crate::content::images::Picture;

use super::outputs::LessonFiles;
use super::{LinkTargets, PageTarget, Site, SitePage, Summary, page_body};

impl Site {
    /// This site with `edited` (pages read anew) in place of the pages of the same files,
    /// and where those are; `None` when an edit may change more than the page itself
    /// (see `places_alike`), when an edited page is new to the site, or when one has a
    /// problem. Only the edited pages' own files are then exactly a full build's: lists,
    /// neighbours and the timeline still show the pages as they were.
    pub fn with_pages_edited(
        &self,
        edited: &[Arc<Page>],
        pictures: &HashMap<PathBuf, Picture>,
    ) -> Option<(Site, Vec<usize>)> {
        let mut at = Vec::with_capacity(edited.len());
        for page in edited {
            let i = self
                .pages
                .binary_search_by(|p| p.page.content_path.cmp(&page.content_path))
                .ok()?;
            let sort_by = self.sections[self.pages[i].section].front.sort_by;
            if !places_alike(&self.pages[i].page, page, sort_by) {
                return None;
            }
            at.push(i);
        }
        let new_page = |i: usize| -> &Page {
            at.iter()
                .position(|&j| j == i)
                .map_or(&self.pages[i].page, |k| &edited[k])
        };
        let targets = LinkTargets::new(
            self.pages
                .iter()
                .enumerate()
                .map(|(i, p)| PageTarget::of(new_page(i), &p.url)),
            self.sections
                .iter()
                .map(|s| (s.path.as_str(), s.url.as_str(), &s.heading_ids[..])),
        );
        let mut site = self.clone();
        for (page, &i) in edited.iter().zip(&at) {
            let old = &self.pages[i];
            let mut problems = Vec::new();
            let (body, _) = page_body(
                page,
                &old.url,
                &targets,
                pictures,
                &HashMap::new(),
                &mut problems,
            );
            if !problems.is_empty() {
                return None;
            }
            site.pages[i] = Arc::new(SitePage {
                summary: Summary::of(page, body.summary_html),
                lesson_files: LessonFiles::of(page, &old.output, &self.config),
                html: body.html,
                section_starts: body.section_starts,
                image: body.image,
                readings: body.readings,
                page: Arc::clone(page),
                ..SitePage::clone(old)
            });
        }
        Some((site, at))
    }
}

/// Whether `new` puts its page in the same place of the site as `old` did: the same
/// URL, section order, draft state, aliases, terms, dates and headings (which links
/// into the page name), the same pictures (whose copies are files of the site), and a
/// lesson still a lesson. Everything else of the page is shown on its own files and on
/// other pages' lists, never in how other pages are arranged, so no other page's place
/// in the site can have changed.
fn places_alike(old: &Page, new: &Page, sort_by: SortBy) -> bool {
    let (a, b) = (&old.front, &new.front);
    let aliases = |f: &crate::content::front_matter::PageFront| -> Vec<String> {
        f.aliases.iter().map(|(alias, _)| alias.clone()).collect()
    };
    let pictures =
        |p: &Page| -> Vec<String> { p.rendered.images.iter().map(|i| i.dest.clone()).collect() };
    old.content_path == new.content_path
        && old.slug == new.slug
        && a.draft == b.draft
        && a.dates == b.dates
        // What lists and feeds order by, which a commit or checkout moves too.
        && old.published() == new.published()
        && old.revised() == new.revised()
        && a.weight == b.weight
        && (sort_by != SortBy::Title || a.title == b.title)
        && a.terms == b.terms
        && aliases(a) == aliases(b)
        && a.lesson.is_some() == b.lesson.is_some()
        && old.rendered.heading_ids == new.rendered.heading_ids
        && pictures(old) == pictures(new)
}
