//! The views of the timeline: its entries, years and eras, paged by year when long,
//! and the teaser on the home page.

use serde::Serialize;

use crate::site::Site;

/// An event as the timeline page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct TimelineEntry {
    /// Chinese date display (`1989年7月19日`, `约1996年—2002年`).
    pub date: String,
    /// ISO start date, for `<time datetime>`.
    pub date_iso: String,
    /// Whether it spans a period (drawn as a span).
    pub is_range: bool,
    /// What happened.
    pub title: String,
    /// Where.
    pub place: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Where the date comes from.
    pub source: Option<String>,
    /// The material, at the event's heading.
    pub url: String,
    /// Title of the material.
    pub page_title: String,
    /// Section of the material.
    pub section: String,
    /// Era name, when the event falls in one.
    pub era: Option<String>,
    /// Era index (for styling the band), when in one.
    pub era_index: Option<usize>,
    /// Whether this is the first event of its era on the page (the band's label goes here).
    pub era_starts: bool,
    /// Places for filtering, `|`-separated.
    pub places: String,
    /// Topics for filtering, `|`-separated.
    pub topics: String,
}

/// One year of the timeline.
#[derive(Debug, Serialize)]
pub(crate) struct YearView {
    /// The year.
    pub year: u16,
    /// Link to the year: an anchor on a one-page timeline, else its own page.
    pub url: String,
    /// Number of events.
    pub count: usize,
    /// The events (empty in a paged timeline's index).
    pub events: Vec<TimelineEntry>,
}

/// An era band.
#[derive(Debug, Serialize)]
pub(crate) struct EraView {
    /// Name.
    pub name: String,
    /// Chinese date range.
    pub date: String,
    /// Position among the eras, for styling.
    pub index: usize,
    /// Number of events in it.
    pub count: usize,
}

/// The timeline page (or one year of a paged timeline).
#[derive(Debug, Serialize)]
pub(crate) struct TimelineView {
    /// Page title (from site.toml).
    pub title: String,
    /// URL of the timeline.
    pub url: String,
    /// Events on the whole timeline.
    pub total: usize,
    /// Events on this page.
    pub shown: usize,
    /// The years shown on this page, with their events.
    pub years: Vec<YearView>,
    /// Every year with events, for the year index.
    pub index: Vec<YearView>,
    /// The eras.
    pub eras: Vec<EraView>,
    /// Filter choices: places, topics and sections, most frequent first.
    pub places: Vec<String>,
    /// See `places`.
    pub topics: Vec<String>,
    /// See `places`.
    pub sections: Vec<String>,
    /// Whether the timeline is split into a page per year.
    pub paged: bool,
    /// On a year page of a paged timeline: the year.
    pub year: Option<u16>,
}

/// The timeline's own URL.
pub(crate) const TIMELINE_URL: &str = "/timeline/";

/// Above this many events the timeline gets a page per year, so no reader waits for a
/// page of thousands of events.
pub(crate) const TIMELINE_ONE_PAGE: usize = 600;

/// The timeline entry of event `i`.
pub(crate) fn timeline_entry(site: &Site, i: usize, era_starts: bool) -> TimelineEntry {
    let event = &site.timeline.events[i];
    let page = &site.pages[event.page];
    TimelineEntry {
        date: event.dates.to_string(),
        date_iso: event.dates.start.iso(),
        is_range: event.dates.end.is_some_and(|end| end != event.dates.start),
        title: event.title.clone(),
        place: event.place.clone(),
        summary: event.summary.clone(),
        source: event.source.clone(),
        url: event.url.clone(),
        page_title: page.front().title.clone(),
        section: site.sections[page.section].title.clone(),
        era: event.era.map(|e| site.timeline.eras[e].name.clone()),
        era_index: event.era,
        era_starts,
        places: event.places.join("|"),
        topics: event.topics.join("|"),
    }
}

/// The distinct values of `values`, most frequent first, then by name.
fn by_frequency<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for value in values {
        *counts.entry(value).or_default() += 1;
    }
    let mut sorted: Vec<(&str, usize)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    sorted.into_iter().map(|(v, _)| v.to_owned()).collect()
}

/// What every page of the timeline shows alike: the year index, eras and filter
/// choices. Computed once, not once per year page.
#[derive(Debug, Clone)]
pub(crate) struct TimelineShared {
    index: Vec<(u16, String, usize)>,
    eras: Vec<(String, String, usize)>,
    places: Vec<String>,
    topics: Vec<String>,
    sections: Vec<String>,
    paged: bool,
}

impl TimelineShared {
    /// The shared parts of `site`'s timeline.
    pub(crate) fn new(site: &Site) -> TimelineShared {
        let timeline = &site.timeline;
        let events = &timeline.events;
        let paged = events.len() > TIMELINE_ONE_PAGE;
        let mut era_counts = vec![0; timeline.eras.len()];
        for era in events.iter().filter_map(|e| e.era) {
            era_counts[era] += 1;
        }
        TimelineShared {
            index: timeline
                .years
                .iter()
                .map(|group| (group.year, year_url(group.year, paged), group.events.len()))
                .collect(),
            eras: timeline
                .eras
                .iter()
                .zip(era_counts)
                .map(|(era, count)| (era.name.clone(), era.dates.to_string(), count))
                .collect(),
            places: by_frequency(
                events
                    .iter()
                    .flat_map(|e| e.places.iter().map(String::as_str)),
            ),
            topics: by_frequency(
                events
                    .iter()
                    .flat_map(|e| e.topics.iter().map(String::as_str)),
            ),
            sections: by_frequency(
                events
                    .iter()
                    .map(|e| site.sections[site.pages[e.page].section].title.as_str()),
            ),
            paged,
        }
    }
}

/// Where a year of the timeline is: an anchor, or its own page when paged.
pub(super) fn year_url(year: u16, paged: bool) -> String {
    if paged {
        format!("{TIMELINE_URL}{year}/")
    } else {
        format!("#y{year}")
    }
}

impl TimelineView {
    /// The view of the whole timeline (`year: None`) or of one year's page.
    pub(crate) fn new(site: &Site, year: Option<u16>, shared: &TimelineShared) -> TimelineView {
        let timeline = &site.timeline;
        let paged = shared.paged;
        let mut previous_era = None;
        let mut years = Vec::new();
        for group in &timeline.years {
            if paged && year != Some(group.year) {
                continue;
            }
            let events = group
                .events
                .clone()
                .map(|i| {
                    let era = timeline.events[i].era;
                    let starts = era.is_some() && era != previous_era;
                    previous_era = era;
                    timeline_entry(site, i, starts)
                })
                .collect();
            years.push(YearView {
                year: group.year,
                url: year_url(group.year, paged),
                count: group.events.len(),
                events,
            });
        }
        TimelineView {
            title: site.config.timeline_title.clone(),
            url: TIMELINE_URL.to_owned(),
            total: timeline.events.len(),
            shown: years.iter().map(|y: &YearView| y.events.len()).sum(),
            years,
            index: shared
                .index
                .iter()
                .map(|(year, url, count)| YearView {
                    year: *year,
                    url: url.clone(),
                    count: *count,
                    events: Vec::new(),
                })
                .collect(),
            eras: shared
                .eras
                .iter()
                .enumerate()
                .map(|(index, (name, date, count))| EraView {
                    name: name.clone(),
                    date: date.clone(),
                    index,
                    count: *count,
                })
                .collect(),
            places: shared.places.clone(),
            topics: shared.topics.clone(),
            sections: shared.sections.clone(),
            paged,
            year,
        }
    }
}

/// A few events for the home page: the first event of up to `count` years spread evenly
/// over the timeline.
pub(crate) fn timeline_teaser(site: &Site, count: usize) -> Vec<TimelineEntry> {
    let years = &site.timeline.years;
    if years.is_empty() || count == 0 {
        return Vec::new();
    }
    let picks: Vec<usize> = if years.len() <= count {
        (0..years.len()).collect()
    } else {
        (0..count)
            .map(|k| k * (years.len() - 1) / (count - 1).max(1))
            .collect()
    };
    let mut chosen: Vec<usize> = picks.into_iter().map(|y| years[y].events.start).collect();
    chosen.dedup();
    chosen
        .into_iter()
        .map(|i| timeline_entry(site, i, false))
        .collect()
}
