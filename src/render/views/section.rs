//! The views of lists: a section with its subsections and latest pages, taxonomies
//! and their terms.

use serde::Serialize;
use tera::Value;

use crate::moment::Moment;
use crate::site::{Site, SiteTaxonomy, Term};

use super::{Cards, Link, TimelineEntry, page_id, timeline_teaser};

/// A section page.
#[derive(Debug, Serialize)]
pub(crate) struct SectionView<'a> {
    /// Title.
    pub title: &'a str,
    /// Root-absolute URL.
    pub url: &'a str,
    /// Introduction HTML.
    pub content: &'a str,
    /// Summary.
    pub summary: Option<&'a str>,
    /// Every page of the section, in order (shared card values).
    pub pages: Value,
    /// Subsections with a preview of their pages.
    pub subsections: Vec<SubsectionView>,
    /// On the home page, the pages most recently published or updated on the site
    /// (not by historical `date`); empty elsewhere.
    pub latest: Value,
    /// On the home page, a few events leading to the timeline; empty elsewhere.
    pub timeline: Vec<TimelineEntry>,
    /// The printable packet of the section's pages, when it has pages.
    pub packet_url: Option<String>,
    /// Ids of the section's pages, `|`-separated, for the reading progress bar.
    pub page_ids: String,
}

/// How many recent pages the home page lists.
pub(crate) const LATEST_PAGES: usize = 6;

/// A subsection as listed on its parent.
#[derive(Debug, Serialize)]
pub(crate) struct SubsectionView {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Summary.
    pub summary: Option<String>,
    /// How many pages it holds.
    pub page_count: usize,
    /// Ids of its pages, `|`-separated, for the reading progress bar.
    pub page_ids: String,
    /// Its first pages, at most `PREVIEW_PAGES`.
    pub first_pages: Value,
}

/// How many pages a subsection previews on its parent.
pub(crate) const PREVIEW_PAGES: usize = 8;

/// A term's page.
#[derive(Debug, Serialize)]
pub(crate) struct TermView {
    /// The term.
    pub title: String,
    /// URL.
    pub url: String,
    /// Its taxonomy.
    pub taxonomy: Link,
    /// Pages with the term.
    pub pages: Value,
}

/// A taxonomy's page: all its terms.
#[derive(Debug, Serialize)]
pub(crate) struct TaxonomyView {
    /// Display name.
    pub name: String,
    /// URL.
    pub url: String,
    /// Terms with their page counts.
    pub terms: Vec<TermCount>,
}

impl TermView {
    /// The page of `term` of `taxonomy`, listing its pages' cards.
    pub(crate) fn new(taxonomy: &SiteTaxonomy, term: &Term, cards: &Cards) -> TermView {
        TermView {
            title: term.name.clone(),
            url: term.url.clone(),
            taxonomy: Link {
                title: taxonomy.name.clone(),
                url: taxonomy.url.clone(),
            },
            pages: Value::from(term.pages.iter().map(|&p| cards.get(p)).collect::<Vec<_>>()),
        }
    }
}

impl TaxonomyView {
    /// The page of `taxonomy`: its terms with their page counts.
    pub(crate) fn new(taxonomy: &SiteTaxonomy) -> TaxonomyView {
        TaxonomyView {
            name: taxonomy.name.clone(),
            url: taxonomy.url.clone(),
            terms: taxonomy
                .terms
                .iter()
                .map(|term| TermCount {
                    title: term.name.clone(),
                    url: term.url.clone(),
                    count: term.pages.len(),
                })
                .collect(),
        }
    }
}

/// A term and how many pages it has.
#[derive(Debug, Serialize)]
pub(crate) struct TermCount {
    /// The term.
    pub title: String,
    /// URL.
    pub url: String,
    /// Number of pages.
    pub count: usize,
}

/// The pages most recently published or updated, newest first; pages without either
/// date are left out, since nothing says they are new.
pub(super) fn latest(site: &Site, cards: &Cards) -> Value {
    let mut dated: Vec<(Moment, usize)> = (0..site.pages.len())
        .filter_map(|i| Some((site.pages[i].page.revised()?, i)))
        .collect();
    dated.sort_by(|(a, i), (b, j)| b.cmp(a).then(i.cmp(j)));
    Value::from(
        dated
            .into_iter()
            .take(LATEST_PAGES)
            .map(|(_, i)| cards.get(i))
            .collect::<Vec<_>>(),
    )
}

impl<'a> SectionView<'a> {
    /// The view of section `index`.
    pub(crate) fn new(site: &'a Site, index: usize, cards: &Cards) -> SectionView<'a> {
        let section = &site.sections[index];
        SectionView {
            title: &section.title,
            url: &section.url,
            content: &section.html,
            summary: section.front.summary.as_deref(),
            pages: Value::from(
                section
                    .pages
                    .iter()
                    .map(|&i| cards.get(i))
                    .collect::<Vec<_>>(),
            ),
            packet_url: section.packet.as_ref().map(|p| p.url.clone()),
            page_ids: section
                .pages
                .iter()
                .map(|&p| page_id(&site.pages[p]))
                .collect::<Vec<_>>()
                .join("|"),
            timeline: if index == 0 {
                timeline_teaser(site, 6)
            } else {
                Vec::new()
            },
            latest: if index == 0 {
                latest(site, cards)
            } else {
                Value::from(Vec::<Value>::new())
            },
            subsections: section
                .children
                .iter()
                .map(|&child| {
                    let child = &site.sections[child];
                    SubsectionView {
                        title: child.title.clone(),
                        url: child.url.clone(),
                        summary: child.front.summary.clone(),
                        page_count: child.pages.len(),
                        page_ids: child
                            .pages
                            .iter()
                            .map(|&p| page_id(&site.pages[p]))
                            .collect::<Vec<_>>()
                            .join("|"),
                        first_pages: Value::from(
                            child
                                .pages
                                .iter()
                                .take(PREVIEW_PAGES)
                                .map(|&i| cards.get(i))
                                .collect::<Vec<_>>(),
                        ),
                    }
                })
                .collect(),
        }
    }
}
