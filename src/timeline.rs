//! The timeline (时间线): every event of the site in one deterministic order, each
//! linked to its material, placed in the eras of `site.toml` and grouped by year.

use std::cmp::Ordering;
use std::ops::Range;

use crate::config::Era;
use crate::date::DateRange;

/// An event on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    /// When.
    pub dates: DateRange,
    /// What happened.
    pub title: String,
    /// Where, as the event names it.
    pub place: Option<String>,
    /// One or two sentences.
    pub summary: Option<String>,
    /// Where the date comes from (出处).
    pub source: Option<String>,
    /// Index of the page it comes from.
    pub page: usize,
    /// That page's weight and path under `content/`, which order events that tie.
    pub page_weight: Option<i64>,
    /// See `page_weight`.
    pub page_path: String,
    /// Root-absolute URL of the page, at the event's heading when it has one.
    pub url: String,
    /// The event's place and the page's places, for filtering.
    pub places: Vec<String>,
    /// The page's topics, for filtering.
    pub topics: Vec<String>,
    /// Index of the era the event starts in.
    pub era: Option<usize>,
}

/// The events of one year (of their start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    /// The year.
    pub year: u16,
    /// Its events, as a range of `Timeline::events`.
    pub events: Range<usize>,
}

/// All events in order, with the eras and the year groups.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Events in timeline order.
    pub events: Vec<TimelineEvent>,
    /// The eras of `site.toml`, in order.
    pub eras: Vec<Era>,
    /// Years that have events, in order.
    pub years: Vec<Year>,
}

/// Puts the events the model collected in timeline order, each in its era, grouped by
/// year.
pub(crate) fn arrange(mut events: Vec<TimelineEvent>, eras: &[Era]) -> Timeline {
    events.sort_by(order);
    for event in &mut events {
        event.era = era_of(&event.dates, eras);
    }
    let years = group_by_year(&events);
    Timeline {
        events,
        eras: eras.to_vec(),
        years,
    }
}

/// By start (a coarser date first within its period), then end, then the page's
/// weight, then title, then the page's path: the same input always gives one order.
fn order(a: &TimelineEvent, b: &TimelineEvent) -> Ordering {
    let weight = |e: &TimelineEvent| (e.page_weight.is_none(), e.page_weight);
    a.dates
        .cmp(&b.dates)
        .then_with(|| weight(a).cmp(&weight(b)))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.page_path.cmp(&b.page_path))
        .then_with(|| a.url.cmp(&b.url))
}

/// The era an event starts in: its start falls between the era's start and the end of
/// the era's last period.
pub(crate) fn era_of(dates: &DateRange, eras: &[Era]) -> Option<usize> {
    eras.iter().position(|era| {
        let start = &era.dates.start;
        let end = era.dates.end.as_ref().unwrap_or(start);
        let point = &dates.start;
        (start <= point || start.holds(point)) && (point <= end || end.holds(point))
    })
}

fn group_by_year(events: &[TimelineEvent]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for (i, event) in events.iter().enumerate() {
        match years.last_mut() {
            Some(year) if year.year == event.dates.start.year => year.events.end = i + 1,
            _ => years.push(Year {
                year: event.dates.start.year,
                events: i..i + 1,
            }),
        }
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::PartialDate;

    fn range(start: &str, end: Option<&str>) -> DateRange {
        DateRange::parse(start, end).unwrap()
    }

    #[test]
    fn eras_hold_the_events_that_start_in_them() {
        let eras = vec![
            Era {
                name: "宁德时期".into(),
                dates: range("1988-06", Some("1990-04")),
            },
            Era {
                name: "福建时期".into(),
                dates: range("1990-05", Some("2002-10")),
            },
        ];
        assert_eq!(era_of(&range("1988-06", None), &eras), Some(0));
        assert_eq!(era_of(&range("1988-12", None), &eras), Some(0));
        assert_eq!(era_of(&range("1990-04-30", None), &eras), Some(0));
        assert_eq!(era_of(&range("1996", Some("2002")), &eras), Some(1));
        assert_eq!(era_of(&range("1988-05", None), &eras), None);
        assert_eq!(era_of(&range("2023-11", None), &eras), None);
        // A year-only date starts before a month inside it.
        assert_eq!(era_of(&range("1988", None), &eras), None);
    }

    #[test]
    fn years_group_consecutive_events() {
        let event = |date: &str| TimelineEvent {
            dates: DateRange::new(PartialDate::parse(date).unwrap(), None).unwrap(),
            title: String::new(),
            place: None,
            summary: None,
            source: None,
            page: 0,
            page_weight: None,
            page_path: String::new(),
            url: String::new(),
            places: vec![],
            topics: vec![],
            era: None,
        };
        let events = [
            event("1988-12"),
            event("1989"),
            event("1989-07-19"),
            event("1996"),
        ];
        let years: Vec<(u16, usize)> = group_by_year(&events)
            .iter()
            .map(|y| (y.year, y.events.len()))
            .collect();
        assert_eq!(years, [(1988, 1), (1989, 2), (1996, 1)]);
    }
}
