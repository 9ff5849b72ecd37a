//! The events each page puts on the timeline: its `events`, or the page itself when it
//! has a date and no events; the timeline module orders them.

use std::sync::Arc;

use crate::config::Config;
use crate::content::Page;
use crate::timeline::TimelineEvent;

use super::SiteTaxonomy;

/// What the timeline needs to know of one page besides the page itself.
pub(super) struct Placed<'a> {
    /// The page's URL.
    pub url: &'a str,
    /// Whether the page's section is on the timeline.
    pub on_timeline: bool,
    /// The page's terms (see `SitePage::terms`).
    pub terms: &'a [Vec<usize>],
}

/// The timeline events of every page, in page order.
pub(super) fn events(
    pages: &[Arc<Page>],
    placed: &[Placed<'_>],
    taxonomies: &[SiteTaxonomy],
    config: &Config,
) -> Vec<TimelineEvent> {
    let places_at = taxonomies
        .iter()
        .position(|t| t.key == config.timeline_places);
    let topics_at = taxonomies
        .iter()
        .position(|t| t.key == config.timeline_topics);
    let mut events = Vec::new();
    for (index, (page, at)) in pages.iter().zip(placed).enumerate() {
        if !at.on_timeline {
            continue;
        }
        let names = |taxonomy: Option<usize>| -> Vec<String> {
            taxonomy.map_or_else(Vec::new, |t| {
                at.terms[t]
                    .iter()
                    .map(|&i| taxonomies[t].terms[i].name.clone())
                    .collect()
            })
        };
        let places = names(places_at);
        let topics = names(topics_at);
        let front = &page.front;
        let event = |dates, title: &str, url: String| TimelineEvent {
            dates,
            title: title.to_owned(),
            place: None,
            // Only a summary the editor wrote: a body's first paragraph is too long.
            summary: front.summary.clone(),
            source: None,
            page: index,
            page_weight: front.weight,
            page_path: page.content_path.clone(),
            url,
            places: places.clone(),
            topics: topics.clone(),
            era: None,
        };
        if front.events.is_empty() {
            if let Some(dates) = front.dates {
                events.push(event(dates, &front.title, at.url.to_owned()));
            }
            continue;
        }
        for written in &front.events {
            let url = match &written.anchor {
                Some((anchor, _)) => format!("{}#{}", at.url, crate::url::encode_path(anchor)),
                None => at.url.to_owned(),
            };
            // The event's own place first, then the page's.
            let mut places_here: Vec<String> = written.place.iter().cloned().collect();
            for p in &places {
                if !places_here.contains(p) {
                    places_here.push(p.clone());
                }
            }
            events.push(TimelineEvent {
                place: written.place.clone(),
                summary: written.summary.clone(),
                source: written.source.clone(),
                places: places_here,
                ..event(written.dates, &written.title, url)
            });
        }
    }
    events
}
