//! The views of one page: its text, dates, lesson plan, quiz, terms and events.

use serde::Serialize;
use tera::Value;

use crate::content::front_matter::{LessonPart, Source};
use crate::markdown::Heading;
use crate::moment::Moment;
use crate::site::{Site, SitePage};

use super::{Cards, Link, absolute_url, date_fields, link_to_page, link_to_section, page_id};

/// A page as rendered on its own.
#[derive(Debug, Serialize)]
pub(crate) struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// Root-absolute URL.
    pub url: &'a str,
    /// Chinese date display, empty when undated.
    pub date: String,
    /// ISO start date.
    pub date_iso: String,
    /// When it was published and updated on the site.
    #[serde(flatten)]
    pub publication: PublicationView,
    /// Plain-text summary for `<meta name="description">`.
    pub description: String,
    /// The page's absolute URL, when `base_url` is absolute (for share cards).
    pub permalink: Option<String>,
    /// The absolute URL of the page's first picture, else the site's share picture.
    pub share_image: Option<String>,
    /// Summary HTML.
    pub summary: String,
    /// Body HTML.
    pub content: &'a str,
    /// Table of contents.
    pub toc: &'a [Heading],
    /// The page's section.
    pub section: Link,
    /// Previous page in the section.
    pub previous: Option<Link>,
    /// Next page in the section.
    pub next: Option<Link>,
    /// Terms per taxonomy, only taxonomies the page uses.
    pub terms: Vec<TermGroup>,
    /// Pages sharing the most terms, as cards.
    pub related: Vec<Value>,
    /// Works cited.
    pub sources: &'a [Source],
    /// Timeline events, each linking into the page.
    pub events: Vec<EventView>,
    /// 党课 lesson plan.
    pub lesson: Option<LessonView<'a>>,
    /// Self-test questions.
    pub quiz: Vec<QuestionView>,
    /// Stable id for the reader's marks and notes.
    pub id: String,
    /// Reading time: Han characters, other words, minutes.
    pub reading: ReadingView,
    /// `extra` from the front matter.
    pub extra: &'a serde_json::Value,
}

/// When a page went up on the site and when it was last revised, as opposed to its
/// historical `date`. Each is empty when unknown.
#[derive(Debug, Serialize)]
pub(crate) struct PublicationView {
    /// Chinese display of `published` (or the file's last commit): `2024年3月5日`.
    pub published: String,
    /// For `<time datetime>`: `2024-03-05` or `2024-03-05T09:30:00+08:00`.
    pub published_iso: String,
    /// Chinese display of `updated`; empty too when it is the same day as `published`.
    pub updated: String,
    /// For `<time datetime>`.
    pub updated_iso: String,
}

impl PublicationView {
    pub(super) fn new(page: &SitePage) -> PublicationView {
        let fields =
            |m: Option<Moment>| m.map_or_else(Default::default, |m| (m.to_string(), m.iso()));
        let (published, published_iso) = fields(page.page.published());
        let (updated, updated_iso) = match fields(page.front().updated) {
            (updated, _) if updated == published => Default::default(),
            both => both,
        };
        PublicationView {
            published,
            published_iso,
            updated,
            updated_iso,
        }
    }
}

/// A reading time.
#[derive(Debug, Serialize)]
pub(crate) struct ReadingView {
    /// Han characters.
    pub han: usize,
    /// Other words.
    pub words: usize,
    /// Minutes.
    pub minutes: usize,
}

/// A self-test question as the template shows it.
#[derive(Debug, Serialize)]
pub(crate) struct QuestionView {
    /// `q1`, `q2`, …: form field names.
    pub id: String,
    /// single, multiple, judge, blank.
    pub kind: crate::content::quiz::QuestionKind,
    /// Chinese name of the kind.
    pub kind_name: &'static str,
    /// The question.
    pub question: String,
    /// Options with their letters.
    pub options: Vec<OptionView>,
    /// The answer as data for the checking script (`B`, `A|C`, `true`, `答案|另一答案`).
    pub answer_data: String,
    /// The answer as readers see it in the 答案 box.
    pub answer_text: String,
    /// 解析.
    pub explanation: Option<String>,
}

/// An option of a choice question.
#[derive(Debug, Serialize)]
pub(crate) struct OptionView {
    /// A, B, C…
    pub letter: String,
    /// Its text.
    pub text: String,
}

impl QuestionView {
    fn new(i: usize, q: &crate::content::quiz::Question) -> QuestionView {
        use crate::content::quiz::QuestionKind;
        let letter = |n: usize| char::from(b'A' + n as u8).to_string();
        let (answer_data, answer_text) = match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                let letters: Vec<String> = q.correct.iter().map(|&n| letter(n)).collect();
                (letters.join("|"), letters.join("、"))
            }
            QuestionKind::Judge => (
                q.truth.to_string(),
                if q.truth { "对".into() } else { "错".into() },
            ),
            QuestionKind::Blank => (q.accepted.join("|"), q.accepted.join(" 或 ")),
        };
        QuestionView {
            id: format!("q{}", i + 1),
            kind: q.kind,
            kind_name: match q.kind {
                QuestionKind::Single => "单选",
                QuestionKind::Multiple => "多选",
                QuestionKind::Judge => "判断",
                QuestionKind::Blank => "填空",
            },
            question: q.question.clone(),
            options: q
                .options
                .iter()
                .enumerate()
                .map(|(n, text)| OptionView {
                    letter: letter(n),
                    text: text.clone(),
                })
                .collect(),
            answer_data,
            answer_text,
            explanation: q.explanation.clone(),
        }
    }
}

/// A page's terms in one taxonomy.
#[derive(Debug, Serialize)]
pub(crate) struct TermGroup {
    /// Taxonomy key (`tags`), for styling.
    pub key: String,
    /// Taxonomy name.
    pub name: String,
    /// The terms, linked.
    pub terms: Vec<Link>,
}

/// A timeline event of a page.
#[derive(Debug, Serialize)]
pub(crate) struct EventView {
    /// Chinese date display.
    pub date: String,
    /// ISO start date.
    pub date_iso: String,
    /// What happened.
    pub title: String,
    /// Where.
    pub place: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// The page, at the event's heading when it has one.
    pub url: String,
}

/// A lesson plan, with material links resolved.
#[derive(Debug, Serialize)]
pub(crate) struct LessonView<'a> {
    /// Minutes.
    pub duration: u32,
    /// Who it is for.
    pub audience: Option<&'a str>,
    /// 教学目标.
    pub objectives: &'a [String],
    /// 重点.
    pub key_points: &'a [String],
    /// 难点.
    pub difficulties: &'a [String],
    /// Timed parts.
    pub schedule: &'a [LessonPart],
    /// Discussion questions.
    pub discussion: &'a [String],
    /// Readings.
    pub materials: Vec<MaterialView>,
    /// The presenter view, unless the site turned it off.
    pub slides_url: Option<String>,
    /// The printable packet: the plan and its materials in full.
    pub packet_url: Option<String>,
    /// The Word file, unless the site turned it off.
    pub docx_url: Option<String>,
}

impl<'a> LessonView<'a> {
    /// The lesson plan of page `index`, if it has one.
    pub(crate) fn new(site: &'a Site, index: usize) -> Option<LessonView<'a>> {
        let page = &site.pages[index];
        let (lesson, _) = page.front().lesson.as_ref()?;
        let files = &page.lesson_files;
        Some(LessonView {
            duration: lesson.duration,
            audience: lesson.audience.as_deref(),
            objectives: &lesson.objectives,
            key_points: &lesson.key_points,
            difficulties: &lesson.difficulties,
            schedule: &lesson.schedule,
            discussion: &lesson.discussion,
            materials: page
                .readings
                .iter()
                .map(|r| MaterialView {
                    title: r.title.clone(),
                    url: r.url.clone(),
                })
                .collect(),
            slides_url: files.slides.as_ref().map(|f| f.url.clone()),
            packet_url: files.packet.as_ref().map(|f| f.url.clone()),
            docx_url: files.docx.as_ref().map(|f| f.url.clone()),
        })
    }
}

/// A lesson reading.
#[derive(Debug, Serialize)]
pub(crate) struct MaterialView {
    /// What to read.
    pub title: String,
    /// Where, resolved.
    pub url: Option<String>,
}

/// Plain summary text for meta descriptions, at most about 120 characters.
pub(super) fn description(page: &SitePage) -> String {
    let one_line: String = page
        .summary
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = one_line.chars();
    let short: String = chars.by_ref().take(120).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

impl<'a> PageView<'a> {
    /// The view of page `index`.
    pub(crate) fn new(site: &'a Site, index: usize, cards: &Cards) -> PageView<'a> {
        let page = &site.pages[index];
        let front = page.front();
        let (date, date_iso) = date_fields(front.dates.as_ref());
        let events = front
            .events
            .iter()
            .map(|event| EventView {
                date: event.dates.to_string(),
                date_iso: event.dates.start.iso(),
                title: event.title.clone(),
                place: event.place.clone(),
                summary: event.summary.clone(),
                url: match &event.anchor {
                    Some((anchor, _)) => {
                        format!("{}#{}", page.url, crate::url::encode_path(anchor))
                    }
                    None => page.url.clone(),
                },
            })
            .collect();
        let lesson = LessonView::new(site, index);
        PageView {
            title: &front.title,
            url: &page.url,
            date,
            date_iso,
            publication: PublicationView::new(page),
            description: description(page),
            permalink: absolute_url(&site.config, &page.url),
            share_image: page
                .image
                .as_deref()
                .and_then(|image| absolute_url(&site.config, image))
                .or_else(|| {
                    let image = site.config.share_image.as_deref()?;
                    absolute_url(&site.config, image)
                }),
            summary: page.summary.html.clone(),
            content: &page.html,
            toc: &page.rendered().toc,
            section: link_to_section(&site.sections[page.section]),
            previous: page.previous.map(|i| link_to_page(&site.pages[i])),
            next: page.next.map(|i| link_to_page(&site.pages[i])),
            terms: term_groups(site, page),
            related: page.related.iter().map(|&i| cards.get(i)).collect(),
            sources: &front.sources,
            events,
            lesson,
            id: page_id(page),
            quiz: front
                .quiz
                .iter()
                .enumerate()
                .map(|(i, q)| QuestionView::new(i, q))
                .collect(),
            reading: {
                let r = page.rendered().reading;
                ReadingView {
                    han: r.han,
                    words: r.words,
                    minutes: r.minutes,
                }
            },
            extra: &front.extra,
        }
    }
}

/// A page's terms, grouped by taxonomy, leaving out taxonomies it has no term of.
pub(super) fn term_groups(site: &Site, page: &SitePage) -> Vec<TermGroup> {
    site.taxonomies
        .iter()
        .zip(&page.terms)
        .filter(|(_, terms)| !terms.is_empty())
        .map(|(taxonomy, terms)| TermGroup {
            key: taxonomy.key.clone(),
            name: taxonomy.name.clone(),
            terms: terms
                .iter()
                .map(|&i| Link {
                    title: taxonomy.terms[i].name.clone(),
                    url: taxonomy.terms[i].url.clone(),
                })
                .collect(),
        })
        .collect()
}
