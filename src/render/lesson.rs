//! What a 党课 lesson is delivered with, besides its page: the presenter view (one slide
//! per `##` section), the lesson packet (the plan and the full text of its materials,
//! to print before the meeting) and the Word file (see `docx`). Built from the model:
//! slides are cut where the Markdown renderer noted each section starting.

use serde::Serialize;

use crate::content::front_matter::{Lesson, LessonPart, Source};
use crate::site::Site;

use super::views::{LessonView, MaterialView, PacketPage};

/// A schedule part belongs to a section whose heading is its title, perhaps followed
/// by the minutes in brackets: `导入：从“五无乡镇”说起（5分钟）` matches
/// `导入：从“五无乡镇”说起`.
pub(crate) fn schedule_part<'a>(
    heading: &str,
    schedule: &'a [LessonPart],
) -> Option<&'a LessonPart> {
    let bare = |text: &str| -> String {
        let text = text.trim();
        let without_bracket = ['（', '(']
            .iter()
            .filter_map(|open| {
                let at = text.rfind(*open)?;
                let tail = &text[at..];
                (tail.ends_with('）') || tail.ends_with(')')).then_some(&text[..at])
            })
            .next()
            .unwrap_or(text);
        without_bracket
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let heading = bare(heading);
    schedule
        .iter()
        .find(|part| bare(&part.title) == heading || part.title.trim() == heading)
}

/// One slide of the presenter view.
#[derive(Debug, Serialize)]
pub(crate) struct Slide {
    /// The section's heading text, empty for text before the first heading.
    pub title: String,
    /// Minutes the schedule gives this part, when a schedule title matches.
    pub minutes: Option<u32>,
    /// The section's HTML, heading included; teacher's notes are marked
    /// `speaker-notes` and kept off the audience's view by the stylesheet.
    pub content: String,
}

/// The presenter view of a lesson.
#[derive(Debug, Serialize)]
pub(crate) struct SlidesView<'a> {
    /// Lesson title.
    pub title: &'a str,
    /// The lesson page.
    pub url: &'a str,
    /// Minutes in all.
    pub duration: u32,
    /// Who it is for.
    pub audience: Option<&'a str>,
    /// 教学目标.
    pub objectives: &'a [String],
    /// The body, one slide per `##` section.
    pub slides: Vec<Slide>,
    /// Discussion questions, the last slide.
    pub discussion: &'a [String],
}

impl<'a> SlidesView<'a> {
    /// The presenter view of lesson page `index`.
    pub(crate) fn new(site: &'a Site, index: usize, lesson: &'a Lesson) -> SlidesView<'a> {
        let page = &site.pages[index];
        let starts = &page.section_starts;
        let mut titles = page
            .page
            .rendered
            .toc
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| h.title.as_str());
        let mut slides = Vec::with_capacity(starts.len() + 1);
        let before = &page.html[..starts.first().copied().unwrap_or(page.html.len())];
        if !before.trim().is_empty() {
            slides.push(Slide {
                title: String::new(),
                minutes: None,
                content: before.to_owned(),
            });
        }
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(page.html.len());
            let title = titles.next().unwrap_or_default().to_owned();
            slides.push(Slide {
                minutes: schedule_part(&title, &lesson.schedule).map(|p| p.minutes),
                title,
                content: page.html[start..end].to_owned(),
            });
        }
        SlidesView {
            title: &page.front().title,
            url: &page.url,
            duration: lesson.duration,
            audience: lesson.audience.as_deref(),
            objectives: &lesson.objectives,
            slides,
            discussion: &lesson.discussion,
        }
    }
}

/// The lesson as the packet's include of `lesson.html` sees it (`page.lesson`).
#[derive(Debug, Serialize)]
pub(crate) struct PacketLesson<'a> {
    /// Title.
    pub title: &'a str,
    /// The plan, materials linking inside the packet where they can.
    pub lesson: LessonView<'a>,
}

/// A lesson's packet: the plan and body, then every material page of the site in full.
#[derive(Debug, Serialize)]
pub(crate) struct LessonPacketView<'a> {
    /// Lesson title.
    pub title: &'a str,
    /// The lesson page.
    pub url: &'a str,
    /// The lesson's body, ids prefixed with `lesson-`.
    pub content: String,
    /// The material pages, in the order `materials` names them.
    pub materials: Vec<PacketPage>,
    /// Works the lesson cites.
    pub sources: &'a [Source],
}

/// The prefix of the lesson's own ids in its packet.
const PLAN_PREFIX: &str = "lesson";

impl<'a> LessonPacketView<'a> {
    /// The packet of lesson page `index`, and the plan for the include of `lesson.html`.
    pub(crate) fn new(
        site: &'a Site,
        index: usize,
        lesson: LessonView<'a>,
    ) -> (LessonPacketView<'a>, PacketLesson<'a>) {
        let page = &site.pages[index];
        // The site's pages that the materials name, each once, in order.
        let mut members: Vec<usize> = Vec::new();
        for url in page.readings.iter().filter_map(|r| r.url.as_ref()) {
            let path = url.split('#').next().unwrap_or(url);
            if let Some(p) = site.pages.iter().position(|p| p.url == path)
                && p != index
                && !members.contains(&p)
            {
                members.push(p);
            }
        }
        let prefix_of = |n: usize| format!("m{}", n + 1);
        // Where a root-absolute URL lands in the packet, when its page is in it.
        let inside = |url: &str| -> Option<String> {
            let (path, anchor) = url.split_once('#').unwrap_or((url, ""));
            let prefix = if path == page.url {
                PLAN_PREFIX.to_owned()
            } else {
                prefix_of(members.iter().position(|&m| site.pages[m].url == path)?)
            };
            Some(if anchor.is_empty() {
                format!("#{prefix}")
            } else {
                format!("#{prefix}-{anchor}")
            })
        };
        let rewrite = |html: &str, prefix: &str| -> String {
            let html = crate::html::rewrite_urls(html, |url| {
                if let Some(anchor) = url.strip_prefix('#') {
                    return (!anchor.is_empty()).then(|| format!("#{prefix}-{anchor}"));
                }
                inside(url)
            });
            prefix_ids(&html, prefix)
        };
        let materials = members
            .iter()
            .enumerate()
            .map(|(n, &m)| {
                let member = &site.pages[m];
                let id = prefix_of(n);
                PacketPage {
                    content: rewrite(&member.html, &id),
                    id,
                    title: member.front().title.clone(),
                    date: member
                        .page
                        .front
                        .dates
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    sources: member.front().sources.clone(),
                }
            })
            .collect();
        let plan = PacketLesson {
            title: &page.front().title,
            lesson: LessonView {
                materials: lesson
                    .materials
                    .into_iter()
                    .map(|m| MaterialView {
                        url: m.url.map(|u| inside(&u).unwrap_or(u)),
                        title: m.title,
                    })
                    .collect(),
                // The packet is where the reader already is.
                packet_url: None,
                ..lesson
            },
        };
        let view = LessonPacketView {
            title: &page.front().title,
            url: &page.url,
            content: rewrite(&page.html, PLAN_PREFIX),
            materials,
            sources: &page.front().sources,
        };
        (view, plan)
    }
}

/// Prefixes every `id` attribute in `html` with `prefix-`, so that several pages can
/// share one document. Text that only looks like an id (`id="b"` in a code block, where
/// quotes stay bare) is left alone.
fn prefix_ids(html: &str, prefix: &str) -> String {
    crate::html::replace_spans(html, crate::html::id_spans(html), |id| {
        Some(format!("{prefix}-{id}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(minutes: u32, title: &str) -> LessonPart {
        LessonPart {
            minutes,
            title: title.to_owned(),
        }
    }

    #[test]
    fn schedule_titles_match_headings_with_minutes() {
        let schedule = [part(5, "导入：从“五无乡镇”说起"), part(25, "分组讨论")];
        let minutes = |h: &str| schedule_part(h, &schedule).map(|p| p.minutes);
        assert_eq!(minutes("导入：从“五无乡镇”说起（5分钟）"), Some(5));
        assert_eq!(minutes("分组讨论"), Some(25));
        assert_eq!(minutes("分组讨论 (25 分钟)"), Some(25));
        assert_eq!(minutes("小结"), None);
    }

    #[test]
    fn ids_get_the_prefix() {
        assert_eq!(
            prefix_ids(
                r#"<h2 id="a">x</h2><p>id="b"</p><pre><code>&lt;b id="c"&gt;</code></pre><sup id="fn-1">"#,
                "m1"
            ),
            r#"<h2 id="m1-a">x</h2><p>id="b"</p><pre><code>&lt;b id="c"&gt;</code></pre><sup id="m1-fn-1">"#
        );
    }
}
