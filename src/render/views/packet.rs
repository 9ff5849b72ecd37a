//! The view of a section's printable packet: all its pages in one file.

use serde::Serialize;

use crate::content::front_matter::Source;
use crate::site::Site;

/// One page inside a packet (a section's, or a lesson's materials).
#[derive(Debug, Serialize)]
pub(crate) struct PacketPage {
    /// `p1`, `p2`… (`m1`, `m2`… in a lesson packet): the page's anchor in the packet,
    /// and the prefix of its ids.
    pub id: String,
    /// Title.
    pub title: String,
    /// Chinese date.
    pub date: String,
    /// Body, with its ids prefixed so that pages do not clash (and in a lesson packet,
    /// links to pages in the packet pointing inside it).
    pub content: String,
    /// Sources.
    pub sources: Vec<Source>,
}

/// A section's packet: all its pages in order.
#[derive(Debug, Serialize)]
pub(crate) struct PacketView {
    /// Section title.
    pub title: String,
    /// The section page.
    pub url: String,
    /// The pages.
    pub pages: Vec<PacketPage>,
}

impl PacketView {
    /// The packet of section `index`.
    pub(crate) fn new(site: &Site, index: usize) -> PacketView {
        let section = &site.sections[index];
        PacketView {
            title: section.title.clone(),
            url: section.url.clone(),
            pages: section
                .pages
                .iter()
                .enumerate()
                .map(|(n, &p)| {
                    let page = &site.pages[p];
                    let id = format!("p{}", n + 1);
                    PacketPage {
                        content: page
                            .html
                            .replace(" id=\"", &format!(" id=\"{id}-"))
                            .replace("href=\"#", &format!("href=\"#{id}-")),
                        id,
                        title: page.front().title.clone(),
                        date: page
                            .page
                            .front
                            .dates
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        sources: page.front().sources.clone(),
                    }
                })
                .collect(),
        }
    }
}
