//! What templates see: small serialisable views built from the site model, so the model
//! can change without breaking themes. URLs in views are root-absolute (`/cases/…/`);
//! the render stage makes them relative per page.

mod packet;
mod page;
mod section;
mod timeline;

pub(crate) use packet::*;
pub(crate) use page::*;
pub(crate) use section::*;
pub(crate) use timeline::*;

use std::sync::OnceLock;

use serde::Serialize;
use tera::Value;

use crate::date::DateRange;
use crate::site::{Site, SitePage, SiteSection};

/// A titled link.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    /// Text to show.
    pub title: String,
    /// Root-absolute URL.
    pub url: String,
}

/// The site, the same for every page.
#[derive(Debug, Serialize)]
pub(crate) struct SiteView {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// `lang` attribute.
    pub language: String,
    /// As configured.
    pub base_url: String,
    /// Top-level sections, for the menu.
    pub menu: Vec<Link>,
    /// Declared taxonomies.
    pub taxonomies: Vec<TaxonomyLink>,
    /// The Atom feed, when there is one.
    pub feed_url: Option<String>,
    /// Title of the timeline page.
    pub timeline_title: String,
    /// The timeline page.
    pub timeline_url: String,
    /// The search page, when search is enabled.
    pub search_url: Option<String>,
    /// ICP 备案 number for the footer.
    pub icp: Option<String>,
    /// The reader's notes page.
    pub notes_url: String,
    /// Keeps one site's reading marks apart from another's on the same host.
    pub storage_key: String,
    /// The site's share card picture, as an absolute URL; `None` without an absolute
    /// `base_url` (apps that show cards read only absolute URLs).
    pub share_image: Option<String>,
    /// The home page's absolute URL, when `base_url` is absolute.
    pub permalink: Option<String>,
    /// The Content-Security-Policy every page declares in a `<meta>`, if any.
    pub content_security_policy: Option<String>,
    /// The site's own style sheets, after the theme's.
    pub stylesheets: Vec<String>,
    /// The site's logo, beside its title.
    pub logo: Option<String>,
    /// `extra` from site.toml.
    pub extra: serde_json::Value,
}

/// A taxonomy in the menu.
#[derive(Debug, Serialize)]
pub(crate) struct TaxonomyLink {
    /// Display name (专题).
    pub name: String,
    /// Its list of terms.
    pub url: String,
}

/// A page as shown in lists.
#[derive(Debug, Serialize)]
pub(crate) struct PageCard {
    /// Title.
    pub title: String,
    /// Root-absolute URL.
    pub url: String,
    /// Chinese date display, empty when undated.
    pub date: String,
    /// ISO form of the start date for `<time datetime>`.
    pub date_iso: String,
    /// When it was published and updated on the site.
    #[serde(flatten)]
    pub publication: PublicationView,
    /// Summary HTML.
    pub summary: String,
    /// Title of the page's section.
    pub section: String,
    /// The page's terms, per taxonomy.
    pub terms: Vec<TermGroup>,
    /// Reading time in minutes.
    pub reading: usize,
    /// Stable id for the reader's marks (the page's URL).
    pub id: String,
}

pub(super) fn date_fields(dates: Option<&DateRange>) -> (String, String) {
    dates.map_or_else(Default::default, |d| (d.to_string(), d.start.iso()))
}

impl SiteView {
    /// The site-wide view.
    pub(crate) fn new(site: &Site) -> SiteView {
        let config = &site.config;
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: config.base_url.clone(),
            menu: site.sections[0]
                .children
                .iter()
                .map(|&i| link_to_section(&site.sections[i]))
                .collect(),
            taxonomies: site
                .taxonomies
                .iter()
                .filter(|t| !t.terms.is_empty())
                .map(|t| TaxonomyLink {
                    name: t.name.clone(),
                    url: t.url.clone(),
                })
                .collect(),
            feed_url: config
                .has_absolute_base_url()
                .then(|| "/atom.xml".to_owned()),
            timeline_title: config.timeline_title.clone(),
            timeline_url: TIMELINE_URL.to_owned(),
            search_url: config.search_enabled.then(|| "/search/".to_owned()),
            icp: config.icp.clone(),
            notes_url: NOTES_URL.to_owned(),
            storage_key: format!("casebook:{}:{}", config.base_path(), config.title),
            share_image: config
                .share_image
                .as_deref()
                .and_then(|image| absolute_url(config, image)),
            permalink: config
                .has_absolute_base_url()
                .then(|| config.base_url.clone()),
            content_security_policy: config.content_security_policy.clone(),
            stylesheets: config.stylesheets.clone(),
            logo: config.logo.clone(),
            extra: config.extra.clone(),
        }
    }
}

/// `url` (root-absolute, or already absolute) as an absolute URL, when the site's
/// `base_url` is absolute.
pub(crate) fn absolute_url(config: &crate::config::Config, url: &str) -> Option<String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        return Some(url.to_owned());
    }
    let path = url.trim_start_matches('/');
    let path = if path.contains('%') {
        path.to_owned()
    } else {
        crate::url::encode_path(path)
    };
    config
        .has_absolute_base_url()
        .then(|| format!("{}{path}", config.base_url))
}

pub(super) fn link_to_section(section: &SiteSection) -> Link {
    Link {
        title: section.title.clone(),
        url: section.url.clone(),
    }
}

pub(super) fn link_to_page(page: &SitePage) -> Link {
    Link {
        title: page.front().title.clone(),
        url: page.url.clone(),
    }
}

/// Every page's card as a template value, each made when a file first shows it and then
/// shared by every list that does: rendering one page makes only its related pages'.
pub(crate) struct Cards<'a> {
    made: Vec<OnceLock<Value>>,
    make: Box<dyn Fn(usize) -> Value + Send + Sync + 'a>,
}

impl<'a> Cards<'a> {
    /// The cards of `site`'s pages.
    pub(crate) fn new(site: &'a Site) -> Cards<'a> {
        Cards::made_by(site.pages.len(), |i| {
            Value::from_serializable(&card(site, &site.pages[i]))
        })
    }

    /// `count` cards, card `i` being what `make(i)` gives (a stand-in, for fingerprints).
    pub(crate) fn made_by(
        count: usize,
        make: impl Fn(usize) -> Value + Send + Sync + 'a,
    ) -> Cards<'a> {
        Cards {
            made: (0..count).map(|_| OnceLock::new()).collect(),
            make: Box::new(make),
        }
    }

    /// Page `i`'s card.
    pub(crate) fn get(&self, i: usize) -> Value {
        self.made[i].get_or_init(|| (self.make)(i)).clone()
    }
}

/// A page's card.
pub(crate) fn card(site: &Site, page: &SitePage) -> PageCard {
    let (date, date_iso) = date_fields(page.front().dates.as_ref());
    PageCard {
        title: page.front().title.clone(),
        url: page.url.clone(),
        date,
        date_iso,
        publication: PublicationView::new(page),
        summary: page.summary.html.clone(),
        section: site.sections[page.section].title.clone(),
        terms: term_groups(site, page),
        reading: page.rendered().reading.minutes,
        id: page_id(page),
    }
}

/// The ancestors of a section, home first, the section itself included.
pub(crate) fn breadcrumbs(site: &Site, mut section: usize) -> Vec<Link> {
    let mut crumbs = vec![link_to_section(&site.sections[section])];
    while let Some(parent) = site.sections[section].parent {
        crumbs.push(link_to_section(&site.sections[parent]));
        section = parent;
    }
    crumbs.reverse();
    crumbs
}

/// The reader's own notes page.
pub(crate) const NOTES_URL: &str = "/my-notes/";

/// A page's id for the reader's marks: its URL without the leading `/` (so that it is
/// the same on every page, not made relative).
pub(crate) fn page_id(page: &SitePage) -> String {
    page.url.trim_start_matches('/').to_owned()
}
