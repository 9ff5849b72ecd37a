//! What the sitemap (`sitemap.xml`) and the Atom feed (`atom.xml`) templates are given:
//! for sites with an absolute `base_url`, since both need full URLs.

use serde::Serialize;
use tera::Context;

use crate::moment::Moment;
use crate::site::{Site, SitePage};

use super::absolute;

/// One URL of the sitemap.
#[derive(Debug, Serialize)]
struct SitemapUrl {
    /// The full URL.
    loc: String,
    /// When it last changed, to the day (`2024-03-05`), when that is known.
    lastmod: Option<String>,
}

/// The sitemap, with `lastmod` where a date to the day is known: a page's `updated` or
/// publication date; a section's or term's newest page. (The sitemap schema takes only
/// full dates, so `published: 2024-03` gives none.)
pub(super) fn sitemap(site: &Site) -> Context {
    let revised: Vec<Option<Moment>> = site.pages.iter().map(|p| p.page.revised()).collect();
    let newest = |pages: &mut dyn Iterator<Item = usize>| pages.filter_map(|i| revised[i]).max();
    // A section lists its subsections' pages too, so it changes when any of them does.
    let mut in_section: Vec<Option<Moment>> = vec![None; site.sections.len()];
    for (page, moment) in site.pages.iter().zip(&revised) {
        let mut section = Some(page.section);
        while let Some(s) = section {
            in_section[s] = in_section[s].max(*moment);
            section = site.sections[s].parent;
        }
    }
    let sections = site
        .sections
        .iter()
        .zip(in_section)
        .map(|(s, m)| (&s.url, m));
    let pages = site
        .pages
        .iter()
        .zip(revised.iter().copied())
        .map(|(p, m)| (&p.url, m));
    let taxonomies = site.taxonomies.iter().flat_map(|t| {
        let all = newest(&mut t.terms.iter().flat_map(|term| term.pages.iter().copied()));
        std::iter::once((&t.url, all)).chain(
            t.terms
                .iter()
                .map(|term| (&term.url, newest(&mut term.pages.iter().copied()))),
        )
    });
    let urls: Vec<SitemapUrl> = sections
        .chain(pages)
        .chain(taxonomies)
        .map(|(url, moment)| SitemapUrl {
            loc: absolute(site, url),
            lastmod: moment.filter(|m| m.date().day.is_some()).map(|m| m.iso()),
        })
        .collect();
    let mut context = Context::new();
    context.insert("urls", &urls);
    context
}

/// How many pages the Atom feed lists.
const FEED_ENTRIES: usize = 20;

/// What an Atom entry must carry as `<updated>` when the page has no date of
/// publication at all: the epoch, read as "unknown", so it never looks new.
const UNKNOWN_TIME: &str = "1970-01-01T00:00:00Z";

/// The Atom feed.
#[derive(Debug, Serialize)]
struct Feed<'a> {
    /// The site's `lang`.
    language: &'a str,
    /// The site's title.
    title: &'a str,
    /// The site's description.
    description: &'a str,
    /// The site's home page, which is also the feed's id.
    home: &'a str,
    /// The feed's own URL.
    url: String,
    /// The newest entry's time.
    updated: String,
    /// The entries, newest first.
    entries: Vec<FeedEntry<'a>>,
}

/// One page in the feed.
#[derive(Debug, Serialize)]
struct FeedEntry<'a> {
    /// The page's title.
    title: &'a str,
    /// Its full URL, also its id.
    url: String,
    /// When it was published, when that is known (RFC 3339).
    published: Option<String>,
    /// When it last changed, or `UNKNOWN_TIME`.
    updated: String,
    /// The page's summary as text.
    summary: &'a str,
}

/// The Atom feed of the pages most recently published or updated (not by historical
/// `date`: a new case about 1989 is news). Pages with neither date come last, in path
/// order. The feed's `updated` is its newest entry's, so the build stays deterministic.
pub(super) fn atom(site: &Site) -> Context {
    let mut entries: Vec<(Option<Moment>, &SitePage)> = site
        .pages
        .iter()
        .map(|p| (p.page.revised(), &**p))
        .collect();
    entries.sort_by(|(a, p), (b, q)| {
        (a.is_none(), std::cmp::Reverse(a), &p.url).cmp(&(
            b.is_none(),
            std::cmp::Reverse(b),
            &q.url,
        ))
    });
    entries.truncate(FEED_ENTRIES);
    let time =
        |moment: Option<Moment>| moment.map_or_else(|| UNKNOWN_TIME.to_owned(), |m| m.rfc3339());
    let config = &site.config;
    let feed = Feed {
        language: &config.language,
        title: &config.title,
        description: &config.description,
        home: &config.base_url,
        url: absolute(site, "/atom.xml"),
        updated: time(entries.iter().filter_map(|(m, _)| *m).max()),
        entries: entries
            .into_iter()
            .map(|(revised, page)| FeedEntry {
                title: &page.front().title,
                url: absolute(site, &page.url),
                published: page.page.published().map(|m| m.rfc3339()),
                updated: time(revised),
                summary: &page.summary.text,
            })
            .collect(),
    };
    let mut context = Context::new();
    context.insert("feed", &feed);
    context
}
