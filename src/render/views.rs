//! What templates see: small serialisable views built from the site model, so the model
//! can change without breaking themes. URLs in views are root-absolute (`/cases/…/`);
//! the render stage makes them relative per page.

use std::sync::OnceLock;

use serde::Serialize;
use tera::Value;

use crate::content::front_matter::{LessonPart, Source};
use crate::date::DateRange;
use crate::markdown::Heading;
use crate::moment::Moment;
use crate::site::{Site, SitePage, SiteSection};

/// A titled link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text to show.
    pub title: String,
    /// Root-absolute URL.
    pub url: String,
}

/// The site, the same for every page.
#[derive(Debug, Serialize)]
pub struct SiteView {
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
pub struct TaxonomyLink {
    /// Display name (专题).
    pub name: String,
    /// Its list of terms.
    pub url: String,
}

/// A page as shown in lists.
#[derive(Debug, Serialize)]
pub struct PageCard {
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

/// A page as rendered on its own.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
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
pub struct PublicationView {
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
    fn new(page: &SitePage) -> PublicationView {
        let fields =
            |m: Option<Moment>| m.map_or_else(Default::default, |m| (m.to_string(), m.iso()));
        let (published, published_iso) = fields(page.page.published());
        let (updated, updated_iso) = match fields(page.page.front.updated) {
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
pub struct ReadingView {
    /// Han characters.
    pub han: usize,
    /// Other words.
    pub words: usize,
    /// Minutes.
    pub minutes: usize,
}

/// A self-test question as the template shows it.
#[derive(Debug, Serialize)]
pub struct QuestionView {
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
pub struct OptionView {
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
pub struct TermGroup {
    /// Taxonomy key (`tags`), for styling.
    pub key: String,
    /// Taxonomy name.
    pub name: String,
    /// The terms, linked.
    pub terms: Vec<Link>,
}

/// A timeline event of a page.
#[derive(Debug, Serialize)]
pub struct EventView {
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
pub struct LessonView<'a> {
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
    pub fn new(site: &'a Site, index: usize) -> Option<LessonView<'a>> {
        let page = &site.pages[index];
        let (lesson, _) = page.page.front.lesson.as_ref()?;
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
pub struct MaterialView {
    /// What to read.
    pub title: String,
    /// Where, resolved.
    pub url: Option<String>,
}

/// A section page.
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
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
pub const LATEST_PAGES: usize = 6;

/// A subsection as listed on its parent.
#[derive(Debug, Serialize)]
pub struct SubsectionView {
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
pub const PREVIEW_PAGES: usize = 8;

/// A term's page.
#[derive(Debug, Serialize)]
pub struct TermView {
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
pub struct TaxonomyView {
    /// Display name.
    pub name: String,
    /// URL.
    pub url: String,
    /// Terms with their page counts.
    pub terms: Vec<TermCount>,
}

/// A term and how many pages it has.
#[derive(Debug, Serialize)]
pub struct TermCount {
    /// The term.
    pub title: String,
    /// URL.
    pub url: String,
    /// Number of pages.
    pub count: usize,
}

fn date_fields(dates: Option<&DateRange>) -> (String, String) {
    dates.map_or_else(Default::default, |d| (d.to_string(), d.start.iso()))
}

/// Plain summary text for meta descriptions, at most about 120 characters.
fn description(page: &SitePage) -> String {
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

impl SiteView {
    /// The site-wide view.
    pub fn new(site: &Site) -> SiteView {
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
pub fn absolute_url(config: &crate::config::Config, url: &str) -> Option<String> {
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

fn link_to_section(section: &SiteSection) -> Link {
    Link {
        title: section.title.clone(),
        url: section.url.clone(),
    }
}

fn link_to_page(page: &SitePage) -> Link {
    Link {
        title: page.page.front.title.clone(),
        url: page.url.clone(),
    }
}

/// Every page's card as a template value, each made when a file first shows it and then
/// shared by every list that does: rendering one page makes only its related pages'.
pub struct Cards<'a> {
    made: Vec<OnceLock<Value>>,
    make: Box<dyn Fn(usize) -> Value + Send + Sync + 'a>,
}

impl<'a> Cards<'a> {
    /// The cards of `site`'s pages.
    pub fn new(site: &'a Site) -> Cards<'a> {
        Cards::made_by(site.pages.len(), |i| {
            Value::from_serializable(&card(site, &site.pages[i]))
        })
    }

    /// `count` cards, card `i` being what `make(i)` gives (a stand-in, for fingerprints).
    pub fn made_by(count: usize, make: impl Fn(usize) -> Value + Send + Sync + 'a) -> Cards<'a> {
        Cards {
            made: (0..count).map(|_| OnceLock::new()).collect(),
            make: Box::new(make),
        }
    }

    /// Page `i`'s card.
    pub fn get(&self, i: usize) -> Value {
        self.made[i].get_or_init(|| (self.make)(i)).clone()
    }
}

/// A page's card.
pub fn card(site: &Site, page: &SitePage) -> PageCard {
    let (date, date_iso) = date_fields(page.page.front.dates.as_ref());
    PageCard {
        title: page.page.front.title.clone(),
        url: page.url.clone(),
        date,
        date_iso,
        publication: PublicationView::new(page),
        summary: page.summary.html.clone(),
        section: site.sections[page.section].title.clone(),
        terms: term_groups(site, page),
        reading: page.page.rendered.reading.minutes,
        id: page_id(page),
    }
}

/// The ancestors of a section, home first, the section itself included.
pub fn breadcrumbs(site: &Site, mut section: usize) -> Vec<Link> {
    let mut crumbs = vec![link_to_section(&site.sections[section])];
    while let Some(parent) = site.sections[section].parent {
        crumbs.push(link_to_section(&site.sections[parent]));
        section = parent;
    }
    crumbs.reverse();
    crumbs
}

impl<'a> PageView<'a> {
    /// The view of page `index`.
    pub fn new(site: &'a Site, index: usize, cards: &Cards) -> PageView<'a> {
        let page = &site.pages[index];
        let front = &page.page.front;
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
            toc: &page.page.rendered.toc,
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
                let r = page.page.rendered.reading;
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

/// The pages most recently published or updated, newest first; pages without either
/// date are left out, since nothing says they are new.
fn latest(site: &Site, cards: &Cards) -> Value {
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

/// A page's terms, grouped by taxonomy, leaving out taxonomies it has no term of.
fn term_groups(site: &Site, page: &SitePage) -> Vec<TermGroup> {
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

impl<'a> SectionView<'a> {
    /// The view of section `index`.
    pub fn new(site: &'a Site, index: usize, cards: &Cards) -> SectionView<'a> {
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

/// An event as the timeline page shows it.
#[derive(Debug, Serialize)]
pub struct TimelineEntry {
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
pub struct YearView {
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
pub struct EraView {
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
pub struct TimelineView {
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

/// The reader's own notes page.
pub const NOTES_URL: &str = "/my-notes/";

/// The timeline's own URL.
pub const TIMELINE_URL: &str = "/timeline/";

/// Above this many events the timeline gets a page per year, so no reader waits for a
/// page of thousands of events.
pub const TIMELINE_ONE_PAGE: usize = 600;

/// The timeline entry of event `i`.
pub fn timeline_entry(site: &Site, i: usize, era_starts: bool) -> TimelineEntry {
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
        page_title: page.page.front.title.clone(),
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
pub struct TimelineShared {
    index: Vec<(u16, String, usize)>,
    eras: Vec<(String, String, usize)>,
    places: Vec<String>,
    topics: Vec<String>,
    sections: Vec<String>,
    paged: bool,
}

impl TimelineShared {
    /// The shared parts of `site`'s timeline.
    pub fn new(site: &Site) -> TimelineShared {
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
fn year_url(year: u16, paged: bool) -> String {
    if paged {
        format!("{TIMELINE_URL}{year}/")
    } else {
        format!("#y{year}")
    }
}

impl TimelineView {
    /// The view of the whole timeline (`year: None`) or of one year's page.
    pub fn new(site: &Site, year: Option<u16>, shared: &TimelineShared) -> TimelineView {
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
pub fn timeline_teaser(site: &Site, count: usize) -> Vec<TimelineEntry> {
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

/// A page's id for the reader's marks: its URL without the leading `/` (so that it is
/// the same on every page, not made relative).
pub fn page_id(page: &SitePage) -> String {
    page.url.trim_start_matches('/').to_owned()
}

/// One page inside a packet (a section's, or a lesson's materials).
#[derive(Debug, Serialize)]
pub struct PacketPage {
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
pub struct PacketView {
    /// Section title.
    pub title: String,
    /// The section page.
    pub url: String,
    /// The pages.
    pub pages: Vec<PacketPage>,
}

impl PacketView {
    /// The packet of section `index`.
    pub fn new(site: &Site, index: usize) -> PacketView {
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
                        title: page.page.front.title.clone(),
                        date: page
                            .page
                            .front
                            .dates
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        sources: page.page.front.sources.clone(),
                    }
                })
                .collect(),
        }
    }
}
