//! Front matter: the YAML at the top of a content file, read with serde-saphyr (line and
//! column on every error) and then checked into the types the rest of casebook uses.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_saphyr::Spanned;

use crate::config::{Config, RESERVED_KEYS};
use crate::date::{DateRange, PartialDate};
use crate::diagnostics::did_you_mean;
use crate::messages::{self, Text};
use crate::moment::Moment;

/// A problem in front matter, at a 1-based line of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// 1-based line of the file.
    pub line: usize,
    /// 1-based column, when serde-saphyr knows it.
    pub column: Option<usize>,
    /// What is wrong and what to do.
    pub message: Text,
}

/// Lines before the YAML starts: the opening `---`.
const YAML_FIRST_LINE: usize = 2;

/// A date or a year as written (`1989`, `1989-07`, `1989-07-19`); YAML reads a bare year
/// as a number, so both are accepted and checked later by `PartialDate::parse`.
#[derive(Debug, Clone)]
struct DateText(String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = DateText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date such as 1989, 1989-07 or 1989-07-19")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            // `date: 0000` or `1989.7`: YAML reads a number; the date check then quotes
            // the line as written.
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
struct RawPage {
    title: String,
    #[serde(default)]
    slug: Option<Spanned<String>>,
    #[serde(default)]
    date: Option<Spanned<DateText>>,
    #[serde(default)]
    end_date: Option<Spanned<DateText>>,
    #[serde(default)]
    published: Option<Spanned<DateText>>,
    #[serde(default)]
    updated: Option<Spanned<DateText>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    template: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    events: Vec<RawEvent>,
    #[serde(default)]
    lesson: Option<Lesson>,
    #[serde(default)]
    quiz: Vec<super::quiz::RawQuestion>,
    #[serde(default)]
    extra: Option<serde_json::Value>,
    /// Taxonomy keys (declared in `site.toml`, so not known to serde) and typos.
    #[serde(flatten)]
    other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    date: Spanned<DateText>,
    #[serde(default)]
    end_date: Option<Spanned<DateText>>,
    title: String,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    anchor: Option<Spanned<String>>,
    /// Where the date comes from (出处).
    #[serde(default)]
    source: Option<String>,
}

/// A work the material relies on.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title of the work, as cited.
    pub title: String,
    /// Where to read it, if it is online.
    #[serde(default)]
    pub url: Option<String>,
}

/// A 党课 lesson plan, from the `lesson` field.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Length of the lesson in minutes.
    pub duration: u32,
    /// Who the lesson is for.
    #[serde(default)]
    pub audience: Option<String>,
    /// What the audience should take away.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// 重点.
    #[serde(default)]
    pub key_points: Vec<String>,
    /// 难点.
    #[serde(default)]
    pub difficulties: Vec<String>,
    /// The parts of the lesson, in order.
    #[serde(default)]
    pub schedule: Vec<LessonPart>,
    /// Questions for the discussion.
    #[serde(default)]
    pub discussion: Vec<String>,
    /// Reading for the lesson; `url` may be an internal `@/` link.
    #[serde(default)]
    pub materials: Vec<Material>,
}

/// One timed part of a lesson.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LessonPart {
    /// Minutes the part takes.
    pub minutes: u32,
    /// What happens in it.
    pub title: String,
}

/// A reading for a lesson: `{title: …, url: …}`, or just `"@/cases/三进下党.md"` (the
/// short form editors reach for), whose title is then the page's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    /// What to read; empty in the short form until the site fills in the page's title.
    pub title: String,
    /// Where: a web address or an `@/` link to a page of the site.
    pub url: Option<String>,
}

impl<'de> Deserialize<'de> for Material {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            title: String,
            #[serde(default)]
            url: Option<String>,
        }
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Material;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a page link such as \"@/cases/三进下党.md\" or {title: …, url: …}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Material, E> {
                Ok(Material {
                    title: String::new(),
                    url: Some(v.trim().to_owned()),
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Material, A::Error> {
                let full = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Material {
                    title: full.title,
                    url: full.url,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A timeline event declared by a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEvent {
    /// When it happened.
    pub dates: DateRange,
    /// What happened.
    pub title: String,
    /// Where.
    pub place: Option<String>,
    /// One or two sentences.
    pub summary: Option<String>,
    /// A heading id on the page, and the line where it is named.
    pub anchor: Option<(String, usize)>,
    /// Where the date comes from (出处); `check` warns when it is missing.
    pub source: Option<String>,
    /// The file line of the event's `date`.
    pub line: usize,
}

/// A page's checked front matter.
#[derive(Debug, Clone)]
pub struct PageFront {
    /// Page title.
    pub title: String,
    /// URL segment, when set, with its line.
    pub slug: Option<(String, usize)>,
    /// When the material happened.
    pub dates: Option<DateRange>,
    /// When it was published on the site, as written (see `Page::published` for the
    /// fallback to git).
    pub published: Option<Moment>,
    /// When it was last revised, as written.
    pub updated: Option<Moment>,
    /// Summary for lists and feeds.
    pub summary: Option<String>,
    /// Manual ordering.
    pub weight: Option<i64>,
    /// Left out unless drafts are asked for.
    pub draft: bool,
    /// Template override, with its line.
    pub template: Option<(String, usize)>,
    /// Old URLs that redirect here, each with its line.
    pub aliases: Vec<(String, usize)>,
    /// Works cited.
    pub sources: Vec<Source>,
    /// Timeline events.
    pub events: Vec<PageEvent>,
    /// 党课 lesson plan, with the line of its `lesson` key.
    pub lesson: Option<(Lesson, usize)>,
    /// Self-test questions.
    pub quiz: Vec<super::quiz::Question>,
    /// Terms per taxonomy key, only for declared taxonomies.
    pub terms: BTreeMap<String, Vec<String>>,
    /// Free-form values for themes.
    pub extra: serde_json::Value,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Earliest first; undated pages last.
    #[default]
    Date,
    /// Lowest weight first.
    Weight,
    /// By title.
    Title,
}

/// A section's checked front matter, from `_index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFront {
    /// Section title; the folder name when absent.
    #[serde(default)]
    pub title: Option<String>,
    /// One-paragraph summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Order of the section's pages.
    #[serde(default)]
    pub sort_by: SortBy,
    /// Order among sibling sections (and in the menu).
    #[serde(default)]
    pub weight: Option<i64>,
    /// Template for the section page.
    #[serde(default)]
    pub template: Option<String>,
    /// Template for the section's pages.
    #[serde(default)]
    pub page_template: Option<String>,
    /// Whether the section's pages appear on the timeline.
    #[serde(default = "yes")]
    pub timeline: bool,
    /// Free-form values for themes.
    #[serde(default)]
    pub extra: Option<serde_json::Value>,
}

fn yes() -> bool {
    true
}

const SECTION_KEYS: &[&str] = &[
    "title",
    "summary",
    "sort_by",
    "weight",
    "template",
    "page_template",
    "timeline",
    "extra",
];

/// Reads a section's `_index.md` front matter.
pub(crate) fn parse_section(yaml: &str) -> Result<SectionFront, Vec<FieldError>> {
    if yaml.trim().is_empty() {
        return Ok(SectionFront {
            timeline: true,
            ..SectionFront::default()
        });
    }
    refuse_slips(yaml)?;
    serde_saphyr::from_str(yaml).map_err(|e| vec![yaml_error(yaml, &e, SECTION_KEYS, false)])
}

/// The Chinese-keyboard slips of `yaml`, as errors at their file lines.
fn refuse_slips(yaml: &str) -> Result<(), Vec<FieldError>> {
    let slips = super::lint::slips(yaml, YAML_FIRST_LINE);
    if slips.is_empty() {
        return Ok(());
    }
    Err(slips
        .into_iter()
        .map(|s| FieldError {
            line: s.line,
            column: Some(s.column),
            message: s.message,
        })
        .collect())
}

/// Reads and checks a page's front matter against the site's taxonomies.
pub(crate) fn parse_page(yaml: &str, config: &Config) -> Result<PageFront, Vec<FieldError>> {
    if yaml.trim().is_empty() {
        return Err(vec![FieldError {
            line: YAML_FIRST_LINE,
            column: None,
            message: messages::front_matter_empty(),
        }]);
    }
    refuse_slips(yaml)?;
    let mut known: Vec<&str> = RESERVED_KEYS.to_vec();
    known.extend(config.taxonomies.iter().map(|t| t.key.as_str()));
    let raw: RawPage =
        serde_saphyr::from_str(yaml).map_err(|e| vec![yaml_error(yaml, &e, &known, true)])?;

    let (terms, mut errors) = terms(yaml, raw.other, config, &known);
    let dates =
        date_range(yaml, raw.date.as_ref(), raw.end_date.as_ref(), "date").unwrap_or_else(|e| {
            errors.push(e);
            None
        });
    let (published, updated) = publication(raw.published.as_ref(), raw.updated.as_ref())
        .unwrap_or_else(|e| {
            errors.push(e);
            (None, None)
        });
    let (events, event_errors) = events(yaml, raw.events);
    errors.extend(event_errors);
    let lesson = raw.lesson.map(|l| (l, key_line(yaml, "lesson")));
    let (quiz, quiz_errors) = quiz(raw.quiz);
    errors.extend(quiz_errors);
    if let Some((lesson, line)) = &lesson {
        match schedule(lesson, *line) {
            ControlFlow::Break(overflow) => {
                errors.push(overflow);
                return Err(errors);
            }
            ControlFlow::Continue(mismatch) => errors.extend(mismatch),
        }
    }
    errors.extend(link_errors(
        yaml,
        &raw.sources,
        lesson.as_ref().map(|(l, _)| l),
    ));
    if !errors.is_empty() {
        return Err(errors);
    }
    let spanned_line = |s: &Spanned<String>| YAML_FIRST_LINE - 1 + s.referenced.line() as usize;
    Ok(PageFront {
        title: raw.title,
        slug: raw.slug.map(|s| (s.value.clone(), spanned_line(&s))),
        dates,
        published,
        updated,
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        weight: raw.weight,
        draft: raw.draft,
        template: raw
            .template
            .as_ref()
            .map(|t| (t.value.clone(), spanned_line(t))),
        aliases: raw
            .aliases
            .iter()
            .map(|a| (a.value.clone(), spanned_line(a)))
            .collect(),
        sources: raw.sources,
        events,
        lesson,
        quiz,
        terms,
        extra: raw.extra.unwrap_or(serde_json::Value::Null),
    })
}

/// The page's terms by taxonomy, from the keys serde did not know; a key that names
/// no declared taxonomy is a typo.
fn terms(
    yaml: &str,
    other: BTreeMap<String, serde_json::Value>,
    config: &Config,
    known: &[&str],
) -> (BTreeMap<String, Vec<String>>, Vec<FieldError>) {
    let mut terms = BTreeMap::new();
    let mut errors = Vec::new();
    for (key, value) in other {
        let line = key_line(yaml, &key);
        if !config.taxonomies.iter().any(|t| t.key == key) {
            let message = match did_you_mean(&key, known.iter().copied()) {
                Some(k) => messages::unknown_field_near(&key, k),
                None => messages::unknown_field(&key, known, true),
            };
            errors.push(at(line, message));
            continue;
        }
        match term_names(yaml, &key, line, value) {
            Ok(list) => {
                terms.insert(key, list);
            }
            Err(e) => errors.push(e),
        }
    }
    (terms, errors)
}

/// The names one taxonomy key (at `line`) gives the page.
fn term_names(
    yaml: &str,
    key: &str,
    line: usize,
    value: serde_json::Value,
) -> Result<Vec<String>, FieldError> {
    let list =
        term_list(value).map_err(|found| at(line, messages::terms_not_names(key, &found)))?;
    // `tags: [四下基层，调查研究]` or `tags: 四下基层, 调查研究` is one name to YAML:
    // never what the editor meant.
    if let Some((mark, term)) = list.iter().find_map(|t| {
        t.chars()
            .find(|c| matches!(c, '，' | '、' | ',' | '；'))
            .map(|c| (c, t))
    }) {
        let (line, column) = char_position(yaml, line, term, mark);
        return Err(FieldError {
            line,
            column,
            message: messages::comma_in_name(key, mark),
        });
    }
    Ok(list)
}

/// The page's timeline events, each with its dates checked.
fn events(yaml: &str, raw: Vec<RawEvent>) -> (Vec<PageEvent>, Vec<FieldError>) {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    for event in raw {
        match date_range(yaml, Some(&event.date), event.end_date.as_ref(), "events") {
            Ok(Some(dates)) => events.push(PageEvent {
                dates,
                source: event.source.filter(|s| !s.trim().is_empty()),
                line: YAML_FIRST_LINE - 1 + event.date.referenced.line() as usize,
                title: event.title,
                place: event.place,
                summary: event.summary,
                anchor: event
                    .anchor
                    .map(|a| (a.value, YAML_FIRST_LINE - 1 + a.referenced.line() as usize)),
            }),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    (events, errors)
}

/// The page's self-test questions, each checked.
fn quiz(raw: Vec<super::quiz::RawQuestion>) -> (Vec<super::quiz::Question>, Vec<FieldError>) {
    let mut quiz = Vec::new();
    let mut errors = Vec::new();
    for question in raw {
        match super::quiz::check(question) {
            Ok(q) => quiz.push(q),
            Err((line, message)) => errors.push(at(YAML_FIRST_LINE - 1 + line as usize, message)),
        }
    }
    (quiz, errors)
}

/// The lesson's schedule against its duration (`line` is the `lesson` key's): a
/// mismatch to report, or an overflowing sum that ends the page's checks.
fn schedule(lesson: &Lesson, line: usize) -> ControlFlow<FieldError, Option<FieldError>> {
    // Summed without wrapping: 4294967295 + 1 must not pass for 0.
    let planned = lesson
        .schedule
        .iter()
        .try_fold(0u32, |sum, part| sum.checked_add(part.minutes));
    let Some(planned) = planned else {
        return ControlFlow::Break(at(line, messages::schedule_overflow()));
    };
    if !lesson.schedule.is_empty() && planned != lesson.duration {
        return ControlFlow::Continue(Some(at(
            line,
            messages::schedule_mismatch(planned, lesson.duration),
        )));
    }
    ControlFlow::Continue(None)
}

/// The problems of the links in `sources` and the lesson's materials: addresses that
/// cannot be links, and short forms that name no page.
fn link_errors(yaml: &str, sources: &[Source], lesson: Option<&Lesson>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let urls = sources
        .iter()
        .filter_map(|s| Some(("sources", s.url.as_deref()?)))
        .chain(lesson.iter().flat_map(|l| {
            l.materials
                .iter()
                .filter_map(|m| Some(("lesson.materials", m.url.as_deref()?)))
        }));
    for (field, url) in urls {
        if let Err(why) = crate::url::check_link(url) {
            errors.push(at(
                url_line(yaml, url, field),
                messages::front_matter_link(field, &url.escape_debug().to_string(), &why),
            ));
        }
    }
    for material in lesson.iter().flat_map(|l| &l.materials) {
        if material.title.is_empty() {
            let url = material.url.as_deref().unwrap_or("");
            if !url.starts_with("@/") {
                errors.push(at(
                    url_line(yaml, url, "lesson"),
                    messages::material_short_form(url),
                ));
            }
        }
    }
    errors
}

/// The file line and column of `mark` in `term`, looked for from the key's line on.
fn char_position(yaml: &str, key_line: usize, term: &str, mark: char) -> (usize, Option<usize>) {
    let first = term.split(mark).next().unwrap_or(term);
    yaml.lines()
        .enumerate()
        .skip(key_line - YAML_FIRST_LINE)
        .find_map(|(i, l)| {
            let at = l.find(&format!("{first}{mark}"))? + first.len();
            Some((YAML_FIRST_LINE + i, Some(l[..at].chars().count() + 1)))
        })
        .unwrap_or((key_line, None))
}

fn at(line: usize, message: Text) -> FieldError {
    FieldError {
        line,
        column: None,
        message,
    }
}

/// A taxonomy value: one name or a list of names.
fn term_list(value: serde_json::Value) -> Result<Vec<String>, Text> {
    use serde_json::Value;
    match value {
        Value::String(s) => Ok(vec![s]),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
                other => Err(messages::found_value(&other)),
            })
            .collect(),
        other => Err(messages::found_value(&other)),
    }
}

fn date_range(
    yaml: &str,
    start: Option<&Spanned<DateText>>,
    end: Option<&Spanned<DateText>>,
    field: &str,
) -> Result<Option<DateRange>, FieldError> {
    let line_of = |s: &Spanned<DateText>| YAML_FIRST_LINE - 1 + s.referenced.line() as usize;
    // A date YAML read as a number (`0000`, `1989.7`) is quoted as it was written.
    let as_written = |s: &Spanned<DateText>, message: Text| -> FieldError {
        let line = line_of(s);
        let written = yaml
            .lines()
            .nth(line - YAML_FIRST_LINE)
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| {
                v.split(" #")
                    .next()
                    .unwrap_or(v)
                    .trim()
                    .trim_matches(['"', '\''])
            });
        match written {
            Some(w) if !w.is_empty() && w != s.value.0 && message.en.contains("is not a date") => {
                at(line, messages::not_a_date(w))
            }
            _ => at(line, message),
        }
    };
    let parse =
        |s: &Spanned<DateText>| PartialDate::parse(&s.value.0).map_err(|m| as_written(s, m));
    let Some(start) = start else {
        return match end {
            Some(end) => Err(at(line_of(end), messages::end_without_start(field))),
            None => Ok(None),
        };
    };
    if start.value.0.contains('/') {
        let end_text = end.map(|e| e.value.0.as_str());
        return DateRange::parse(&start.value.0, end_text)
            .map(Some)
            .map_err(|m| as_written(start, m));
    }
    let first = parse(start)?;
    let last = end.map(parse).transpose()?;
    DateRange::new(first, last)
        .map(Some)
        .map_err(|m| at(end.map_or(line_of(start), line_of), m))
}

/// `published` and `updated`, each at its line; `updated` may not come before `published`.
fn publication(
    published: Option<&Spanned<DateText>>,
    updated: Option<&Spanned<DateText>>,
) -> Result<(Option<Moment>, Option<Moment>), FieldError> {
    let line_of = |s: &Spanned<DateText>| YAML_FIRST_LINE - 1 + s.referenced.line() as usize;
    let parse = |field: Option<&Spanned<DateText>>, key: &str| {
        field
            .map(|s| {
                Moment::parse(&s.value.0).map_err(|m| at(line_of(s), messages::in_field(key, &m)))
            })
            .transpose()
    };
    let first = parse(published, "published")?;
    let last = parse(updated, "updated")?;
    if let (Some(first), Some(last), Some(line)) = (first, last, updated.map(line_of))
        && last.before(&first)
    {
        return Err(at(
            line,
            messages::updated_before_published(&last.iso(), &first.iso()),
        ));
    }
    Ok((first, last))
}

/// The line of the front matter where `url` is written, else that of its field.
fn url_line(yaml: &str, url: &str, field: &str) -> usize {
    let first_line = url.lines().next().unwrap_or(url);
    yaml.lines()
        .position(|l| !first_line.is_empty() && l.contains(first_line))
        .map_or_else(
            || key_line(yaml, field.split('.').next().unwrap_or(field)),
            |i| YAML_FIRST_LINE + i,
        )
}

/// The file line of a top-level `key:` in the YAML, for errors serde cannot place.
fn key_line(yaml: &str, key: &str) -> usize {
    yaml.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(YAML_FIRST_LINE, |i| YAML_FIRST_LINE + i)
}

/// The keys of the YAML's top-level mapping, as written.
fn top_level_keys(yaml: &str) -> Vec<&str> {
    yaml.lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
        .collect()
}

/// Turns a serde-saphyr error into a file-located message in an editor's words, with
/// the line quoted and a suggestion for typos.
fn yaml_error(yaml: &str, error: &serde_saphyr::Error, known: &[&str], page: bool) -> FieldError {
    let mut parser = error.without_snippet().to_string();
    // The location is reported separately, as `file:line:column`.
    if let Some(i) = parser.find(" at line ") {
        parser.truncate(i);
    }
    let (line, column) = match error.location() {
        Some(loc) if loc.line() > 0 => (
            YAML_FIRST_LINE - 1 + loc.line() as usize,
            Some(loc.column() as usize),
        ),
        _ => (YAML_FIRST_LINE, None),
    };
    let written = yaml
        .lines()
        .nth(line.saturating_sub(YAML_FIRST_LINE))
        .unwrap_or("")
        .trim();
    let message = if parser.starts_with("budget breached") || parser.starts_with("recursion limit")
    {
        messages::front_matter_too_big(&parser)
    } else if let Some(field) = parser
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        let keys = top_level_keys(yaml);
        if let Some(typo) = keys
            .iter()
            .find(|k| **k != field && did_you_mean(k, [field]).is_some())
        {
            return at(
                key_line(yaml, typo),
                messages::unknown_field_near(typo, field),
            );
        }
        messages::missing_field(field)
    } else if let Some(rest) = parser.strip_prefix("unknown field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        match did_you_mean(field, known.iter().copied()) {
            Some(k) => messages::unknown_field_near(field, k),
            None => messages::unknown_field(field, known, page),
        }
    } else if let Some(rest) = parser.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        messages::wrong_type(found, expected, written)
    } else if let Some(kind) = parser.strip_prefix("invalid ")
        && !kind.contains(' ')
    {
        messages::invalid_scalar(kind, written)
    } else if parser.contains("mapping values are not allowed") {
        messages::colon_in_value(written)
    } else {
        messages::yaml_syntax(&parser, written)
    };
    FieldError {
        line,
        column,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        crate::config::parse("title = \"t\"\n[taxonomies]\ntags = \"专题\"\n", None).unwrap()
    }

    fn error(yaml: &str) -> FieldError {
        parse_page(yaml, &config()).unwrap_err().remove(0)
    }

    #[test]
    fn reads_every_field() {
        let page = parse_page(
            "title: 三进下党\ndate: 1989-07-19\nend_date: 1996\ntags: [下党乡, 寿宁]\nweight: 2\n\
             events:\n  - date: 1989-07-26\n    title: 第二次\n    anchor: second\n\
             lesson:\n  duration: 30\n  schedule:\n    - {minutes: 30, title: 讲授}\n",
            &config(),
        )
        .unwrap();
        assert_eq!(page.title, "三进下党");
        assert_eq!(page.dates.unwrap().to_string(), "1989年7月19日—1996年");
        assert_eq!(page.terms["tags"], ["下党乡", "寿宁"]);
        assert_eq!(page.events[0].anchor, Some(("second".into(), 10)));
        assert_eq!(page.lesson.unwrap().1, 11);
        let e = error("titel: x\n");
        assert_eq!(e.line, 2);
        assert!(
            e.message.en.contains("did you mean `title`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn publication_dates_are_checked_at_their_line() {
        let page = parse_page(
            "title: x\ndate: 1989-07-19\npublished: 2024-03\nupdated: 2024-03-05T09:30:00+08:00\n",
            &config(),
        )
        .unwrap();
        assert_eq!(page.published.unwrap().iso(), "2024-03");
        assert_eq!(page.updated.unwrap().iso(), "2024-03-05T09:30:00+08:00");
        assert_eq!(page.dates.unwrap().start.iso(), "1989-07-19");
        let e = error("title: x\n\npublished: 2024-02-30\n");
        assert_eq!(e.line, 4, "{e:?}");
        assert!(e.message.en.contains("`published`") && e.message.en.contains("day 30"));
        let e = error("title: x\nupdated: 上周\n");
        assert_eq!(e.line, 3, "{e:?}");
        let e = error("title: x\npublished: 2024-03-05\nupdated: 2023\n");
        assert_eq!(e.line, 4, "{e:?}");
        assert!(e.message.en.contains("before `published`"), "{}", e.message);
        assert!(
            parse_page(
                "title: x\npublished: 2024-03-05\nupdated: 2024\n",
                &config()
            )
            .is_ok()
        );
    }

    #[test]
    fn unknown_field_suggests_the_near_one() {
        let e = error("title: x\ntag: [a]\n");
        assert_eq!(e.line, 3);
        assert!(
            e.message.en.contains("did you mean `tags`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn wrong_types_and_dates_name_the_line() {
        let e = error("title: x\n\ntags: 5\n");
        assert_eq!(
            (e.line, e.message.en.contains("the number `5`")),
            (4, true),
            "{e:?}"
        );
        let e = error("title: x\ndate: 1989-13-01\n");
        assert_eq!(e.line, 3);
        assert!(e.message.en.contains("month 13"), "{}", e.message);
        let e = error("title: x\ndate: 1990\nend_date: 1989\n");
        assert_eq!(e.line, 4, "{e:?}");
        let e = error("title: x\nweight: heavy\n");
        assert_eq!(e.line, 3, "{e:?}");
    }

    #[test]
    fn missing_title_and_bad_yaml_are_errors() {
        assert!(error("date: 1989\n").message.en.contains("title"));
        let e = error("title: [x\n");
        assert!(e.line >= 2, "{e:?}");
        let e = error(
            "title: x\nlesson:\n  duration: 60\n  schedule:\n    - {minutes: 50, title: a}\n",
        );
        assert_eq!(e.line, 3);
        assert!(e.message.en.contains("50 minutes"));
        let e = error(
            "title: x\nlesson:\n  duration: 0\n  schedule:\n    - {minutes: 4294967295, title: a}\n    - {minutes: 1, title: b}\n",
        );
        assert!(
            e.message.en.contains("more minutes than can be counted"),
            "{}",
            e.message
        );
    }

    #[test]
    fn yaml_bombs_fail_fast() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            bomb += &format!(
                "b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
                p = if i == 0 {
                    "a".to_string()
                } else {
                    format!("b{}", i - 1)
                }
            );
        }
        bomb += "title: x\n";
        // Both are refused by the parser's budgets. Without them the first would expand to
        // ten billion nodes: wait long enough for a loaded machine, never forever.
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let deep = format!("title: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
            let refused =
                parse_page(&bomb, &config()).is_err() && parse_page(&deep, &config()).is_err();
            sender.send(refused).unwrap();
        });
        let refused = receiver.recv_timeout(std::time::Duration::from_secs(30));
        assert_eq!(refused, Ok(true), "both bombs are refused, quickly");
    }
}
