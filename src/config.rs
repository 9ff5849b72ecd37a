//! `site.toml`: what serde reads (`RawConfig`, typos refused) and what the program uses
//! (`Config`, every default filled in and every value checked).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::date::{DateRange, PartialDate};
use crate::diagnostics::{Problem, did_you_mean};
use crate::messages::{self, Text};

/// The configuration file's name, at the site root.
pub(crate) const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    theme_dir: Option<PathBuf>,
    #[serde(default)]
    output_dir: Option<PathBuf>,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    content_security_policy: Option<RawPolicy>,
    #[serde(default)]
    taxonomies: BTreeMap<String, String>,
    #[serde(default)]
    timeline: RawTimeline,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    lesson: RawLesson,
    #[serde(default)]
    icp: Option<String>,
    #[serde(default)]
    stylesheets: Vec<String>,
    #[serde(default)]
    logo: Option<String>,
    #[serde(default)]
    share_image: Option<String>,
    #[serde(default)]
    extra: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    file_size_mb: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    raw_html: Option<RawHtml>,
}

/// What becomes of HTML written in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Passed through as written: editors are trusted (the default).
    #[default]
    Allow,
    /// Shown as text, never run.
    Escape,
}

/// `content_security_policy = true | false | "policy"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawPolicy {
    Switch(bool),
    Policy(String),
}

/// The policy every page carries unless site.toml says otherwise: scripts, styles and
/// everything else from the site itself only, no plugins, no `<base>`, no inline script.
pub(crate) const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// The size cap of one input file unless `[limits] file_size_mb` says otherwise.
pub(crate) const DEFAULT_FILE_SIZE_MB: u64 = 32;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeline {
    title: Option<String>,
    places: Option<String>,
    topics: Option<String>,
    #[serde(default)]
    eras: Vec<RawEra>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEra {
    name: String,
    start: String,
    end: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    enabled: Option<bool>,
    sections: Option<Vec<String>>,
    snippet_length: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    slides: Option<bool>,
    docx: Option<bool>,
}

/// The checked site configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Site title, shown in every page's header.
    pub title: String,
    /// One-sentence description for the home page and the feed.
    pub description: String,
    /// Where the site is published: an absolute URL (`https://…/study/`) or a path
    /// prefix (`/study/`). Always ends with `/`. Only sitemap, feed and 404 use it.
    pub base_url: String,
    /// The `lang` of every page.
    pub language: String,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// A theme folder named explicitly (`theme_dir`), which may lie outside the site;
    /// relative to the site root unless absolute.
    pub theme_dir: Option<PathBuf>,
    /// The largest input file read or copied, in bytes.
    pub max_file_size: u64,
    /// What becomes of HTML written in Markdown.
    pub raw_html: RawHtml,
    /// The Content-Security-Policy every page carries, or none.
    pub content_security_policy: Option<String>,
    /// Output folder, relative to the site root unless absolute.
    pub output_dir: PathBuf,
    /// Declared taxonomies: front matter key → display name, in key order.
    pub taxonomies: Vec<Taxonomy>,
    /// Title of the timeline page.
    pub timeline_title: String,
    /// Periods (时期) the timeline shows as labelled bands, in order.
    pub eras: Vec<Era>,
    /// The taxonomy whose terms are places (地点): the timeline filters by it.
    pub timeline_places: String,
    /// The taxonomy whose terms are topics (专题): the timeline and search filter by it.
    pub timeline_topics: String,
    /// Whether the search index is built.
    pub search_enabled: bool,
    /// Top-level sections (folder names) whose pages are searched; all when `None`.
    pub search_sections: Option<Vec<String>>,
    /// How many characters of a paragraph the index keeps for result snippets.
    pub snippet_length: usize,
    /// Whether every lesson gets a presenter view (`slides/index.html`).
    pub lesson_slides: bool,
    /// Whether every lesson gets a Word file (`lesson.docx`).
    pub lesson_docx: bool,
    /// ICP 备案 number, shown (linked as required) in every footer.
    pub icp: Option<String>,
    /// The site's own style sheets (root-absolute, from its `static/`), loaded after the
    /// theme's: a site changes colours or adds rules without copying the theme.
    pub stylesheets: Vec<String>,
    /// A logo beside the site's title (root-absolute, from `static/`).
    pub logo: Option<String>,
    /// The picture of share cards for pages that show none (`/images/card.jpg`, a
    /// file of the site, or an absolute URL).
    pub share_image: Option<String>,
    /// Free-form values for themes.
    pub extra: serde_json::Value,
}

/// A way of grouping pages (专题, 地点), declared in `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    /// The front matter key, also the URL segment (`tags`).
    pub key: String,
    /// The name shown to readers (`专题`).
    pub name: String,
}

/// A period of the timeline (宁德时期 1988-06 — 1990-04).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Era {
    /// Its name.
    pub name: String,
    /// When it began and ended.
    pub dates: DateRange,
}

/// Front matter keys that a taxonomy may not take, because pages already use them.
pub(crate) const RESERVED_KEYS: &[&str] = &[
    "title",
    "slug",
    "date",
    "end_date",
    "published",
    "updated",
    "summary",
    "weight",
    "draft",
    "template",
    "aliases",
    "sources",
    "events",
    "lesson",
    "quiz",
    "extra",
];

impl Config {
    /// Whether `base_url` is a full URL, so that sitemap and feed can be written.
    pub fn has_absolute_base_url(&self) -> bool {
        self.base_url.starts_with("https://") || self.base_url.starts_with("http://")
    }

    /// The path part of `base_url` (`/study/`), for pages served at any depth (404).
    pub fn base_path(&self) -> &str {
        if let Some(rest) = self
            .base_url
            .strip_prefix("https://")
            .or_else(|| self.base_url.strip_prefix("http://"))
        {
            return rest.find('/').map_or("/", |i| &rest[i..]);
        }
        &self.base_url
    }
}

/// Reads and checks `site.toml` in `root`. `base_url_override` comes from the command line.
pub(crate) fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Problem> {
    let path = root.join(CONFIG_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        Problem::in_file(
            CONFIG_FILE,
            messages::config_unreadable(&messages::io_reason(&e)),
        )
    })?;
    let text = crate::text::decode(bytes)
        .map_err(|_| Problem::in_file(CONFIG_FILE, messages::not_text()))?;
    parse(&text, base_url_override)
}

/// Parses the text of `site.toml`.
pub(crate) fn parse(text: &str, base_url_override: Option<&str>) -> Result<Config, Problem> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| toml_problem(text, &e))?;
    let base_url = normalise_base_url(base_url_override.or(raw.base_url.as_deref()).unwrap_or("/"))
        .map_err(|m| at_key(text, "base_url", m))?;
    let taxonomies = taxonomies(text, raw.taxonomies)?;
    let extra = match raw.extra {
        Some(table) => serde_json::to_value(table).unwrap_or_default(),
        None => serde_json::Value::Object(Default::default()),
    };
    let eras = eras(text, raw.timeline.eras)?;
    let timeline_places =
        timeline_filter(text, "places", raw.timeline.places, "places", &taxonomies)?;
    let timeline_topics =
        timeline_filter(text, "topics", raw.timeline.topics, "tags", &taxonomies)?;
    let theme = theme(text, raw.theme)?;
    let max_file_size = max_file_size(text, &raw.limits)?;
    let content_security_policy = content_security_policy(text, raw.content_security_policy)?;
    let stylesheets = raw
        .stylesheets
        .iter()
        .map(|sheet| site_file(text, "stylesheets", sheet))
        .collect::<Result<Vec<_>, _>>()?;
    let logo = raw
        .logo
        .as_deref()
        .map(|logo| site_file(text, "logo", logo))
        .transpose()?;
    Ok(Config {
        stylesheets,
        logo,
        theme,
        theme_dir: raw.theme_dir,
        max_file_size,
        raw_html: raw.markdown.raw_html.unwrap_or_default(),
        content_security_policy,
        title: raw.title,
        description: raw.description,
        base_url,
        language: raw.language.unwrap_or_else(|| "zh-CN".into()),
        output_dir: raw.output_dir.unwrap_or_else(|| "public".into()),
        taxonomies,
        timeline_title: raw.timeline.title.unwrap_or_else(|| "时间线".into()),
        eras,
        timeline_places,
        timeline_topics,
        icp: raw.icp.filter(|s| !s.trim().is_empty()),
        share_image: raw.share_image.filter(|s| !s.trim().is_empty()),
        search_enabled: raw.search.enabled.unwrap_or(true),
        search_sections: raw.search.sections,
        snippet_length: raw.search.snippet_length.unwrap_or(60).clamp(20, 1000),
        lesson_slides: raw.lesson.slides.unwrap_or(true),
        lesson_docx: raw.lesson.docx.unwrap_or(true),
        extra,
    })
}

/// The `[taxonomies]` table, each key checked: it becomes a front matter key and a
/// URL segment.
fn taxonomies(text: &str, raw: BTreeMap<String, String>) -> Result<Vec<Taxonomy>, Problem> {
    let mut taxonomies = Vec::new();
    for (key, name) in raw {
        if RESERVED_KEYS.contains(&key.as_str()) {
            return Err(at_key(text, &key, messages::taxonomy_reserved(&key)));
        }
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(at_key(text, &key, messages::taxonomy_key(&key)));
        }
        taxonomies.push(Taxonomy { key, name });
    }
    Ok(taxonomies)
}

/// The timeline's eras with their dates parsed, in order.
fn eras(text: &str, raw: Vec<RawEra>) -> Result<Vec<Era>, Problem> {
    let mut eras = Vec::new();
    for era in raw {
        let dates = PartialDate::parse(&era.start)
            .and_then(|start| DateRange::new(start, Some(PartialDate::parse(&era.end)?)))
            .map_err(|m| at_key(text, "eras", messages::era(&era.name, &m)))?;
        eras.push(Era {
            name: era.name,
            dates,
        });
    }
    eras.sort_by_key(|a| a.dates);
    Ok(eras)
}

/// The taxonomy a timeline filter (`[timeline] key`) goes by: `given`, else `default`.
fn timeline_filter(
    text: &str,
    key: &str,
    given: Option<String>,
    default: &str,
    taxonomies: &[Taxonomy],
) -> Result<String, Problem> {
    let Some(name) = given else {
        return Ok(default.to_owned());
    };
    // A taxonomy named but not declared would filter by nothing.
    if taxonomies.iter().any(|t| t.key == name) {
        Ok(name)
    } else {
        let message = messages::timeline_filter_taxonomy(key, &name, taxonomies);
        Err(at_table_key(text, "timeline", key, message))
    }
}

/// The theme's name: a folder under `themes/`, so never a path.
fn theme(text: &str, raw: Option<String>) -> Result<String, Problem> {
    let theme = raw.unwrap_or_else(|| "default".into());
    if theme.is_empty()
        || theme.starts_with('.')
        || theme.contains(['/', '\\'])
        || theme.chars().any(char::is_control)
    {
        return Err(at_key(text, "theme", messages::theme_not_a_name(&theme)));
    }
    Ok(theme)
}

/// The largest input file, in bytes.
fn max_file_size(text: &str, limits: &RawLimits) -> Result<u64, Problem> {
    limits
        .file_size_mb
        .unwrap_or(DEFAULT_FILE_SIZE_MB)
        .checked_mul(1024 * 1024)
        .filter(|&n| n > 0)
        .ok_or_else(|| at_key(text, "file_size_mb", messages::file_size_limit()))
}

/// The policy pages carry: the default, none, or one written out.
fn content_security_policy(text: &str, raw: Option<RawPolicy>) -> Result<Option<String>, Problem> {
    match raw {
        None | Some(RawPolicy::Switch(true)) => Ok(Some(DEFAULT_CSP.to_owned())),
        Some(RawPolicy::Switch(false)) => Ok(None),
        // Themes write it into a `<meta>` attribute, which it must not close.
        Some(RawPolicy::Policy(policy)) => {
            if policy.chars().any(|c| c.is_control() || c == '"') {
                return Err(at_key(
                    text,
                    "content_security_policy",
                    messages::policy_characters(),
                ));
            }
            Ok(Some(policy))
        }
    }
}

/// A file of the site's `static/` named by `key`, as a root-absolute path.
fn site_file(text: &str, key: &str, value: &str) -> Result<String, Problem> {
    let path = value.trim().trim_start_matches('/');
    if path.is_empty()
        || path.contains(':')
        || path.starts_with('/')
        || path.split('/').any(|s| s == "..")
    {
        return Err(at_key(text, key, messages::not_a_static_file(value)));
    }
    Ok(format!("/{path}"))
}

/// Whether `url` can be a `base_url`: an absolute http(s) URL or a path from `/`.
pub(crate) fn is_base_url(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/')
}

/// A problem at the line where `key` is set (written bare or quoted).
fn at_key(text: &str, key: &str, message: Text) -> Problem {
    let line = text
        .lines()
        .position(|l| {
            l.split_once('=')
                .is_some_and(|(k, _)| k.trim().trim_matches(['"', '\'']) == key)
        })
        .map_or(1, |i| i + 1);
    Problem::at(CONFIG_FILE, line, None, message)
}

/// A problem at the line where `key` is set in `[table]`.
fn at_table_key(text: &str, table: &str, key: &str, message: impl Into<Text>) -> Problem {
    let header = format!("[{table}]");
    let mut in_table = false;
    let mut found = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with('[') {
            in_table = line.starts_with(&header);
        } else if in_table
            && line
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        {
            found = Some(i + 1);
            break;
        }
    }
    Problem::at(CONFIG_FILE, found.unwrap_or(1), None, message)
}

fn normalise_base_url(url: &str) -> Result<String, Text> {
    let url = url.trim();
    if !is_base_url(url) {
        return Err(messages::base_url_config(url));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

fn toml_problem(text: &str, err: &toml::de::Error) -> Problem {
    let parser = err.message().trim().to_string();
    let (line, column) = match err.span() {
        Some(span) => {
            let line = crate::diagnostics::line_of(text, span.start);
            let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            (
                Some(line),
                Some(text[line_start..span.start].chars().count() + 1),
            )
        }
        None => (None, None),
    };
    let written = line
        .and_then(|l| text.lines().nth(l - 1))
        .unwrap_or("")
        .trim();
    // The `[table]` the line is in, named in the message: a key can be right in one
    // table and wrong in another.
    let table = line
        .map(|l| {
            text.lines()
                .take(l)
                .filter_map(|l| {
                    let l = l.trim();
                    (l.starts_with('[') && !l.starts_with("[[")).then(|| l.trim_matches(['[', ']']))
                })
                .last()
                .unwrap_or("")
        })
        .unwrap_or("");
    let message = if let Some(unknown) = parser
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    {
        let known = parser
            .split("expected ")
            .nth(1)
            .map(|list| {
                list.replace("one of ", "")
                    .replace(" or ", ", ")
                    .replace('`', "")
            })
            .unwrap_or_default();
        let names: Vec<&str> = known.split(", ").map(str::trim).collect();
        let near = did_you_mean(unknown, names.iter().copied());
        messages::unknown_config_key(unknown, table, near, &names)
    } else if let Some(field) = parser
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        messages::config_missing(field)
    } else {
        messages::toml_syntax(&parser, written)
    };
    match (line, column) {
        (Some(line), column) => Problem::at(CONFIG_FILE, line, column, message),
        _ => Problem::in_file(CONFIG_FILE, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_defaults() {
        let c = parse("title = \"学习\"\n", None).unwrap();
        assert_eq!(c.base_url, "/");
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.timeline_title, "时间线");
        assert!(c.search_enabled);
    }

    #[test]
    fn refuses_typos_with_a_suggestion_and_line() {
        let err = parse("title = \"x\"\ntheem = \"default\"\n", None).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message.en.contains("did you mean `theme`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn timeline_filters_name_declared_taxonomies() {
        let c = parse("title = \"x\"\n", None).unwrap();
        assert_eq!(
            (c.timeline_places.as_str(), c.timeline_topics.as_str()),
            ("places", "tags")
        );
        let text = "title = \"x\"\n[taxonomies]\ntopics = \"专题\"\nwhere = \"地点\"\n[timeline]\nplaces = \"where\"\ntopics = \"topics\"\n";
        let c = parse(text, None).unwrap();
        assert_eq!(
            (c.timeline_places.as_str(), c.timeline_topics.as_str()),
            ("where", "topics")
        );
        // Blamed on the line in [timeline], not the taxonomy of that name above it.
        let text =
            "title = \"x\"\n[taxonomies]\ntopics = \"专题\"\n[timeline]\ntopics = \"tags\"\n";
        let err = parse(text, None).unwrap_err();
        assert_eq!(err.line, Some(5));
        assert!(
            err.message.zh.contains("[taxonomies] 里没有 `tags`"),
            "{}",
            err.message.zh
        );
        assert!(
            err.message.en.contains("declares topics"),
            "{}",
            err.message.en
        );
    }

    #[test]
    fn base_url_forms() {
        let c = parse("title = \"x\"\nbase_url = \"https://a.org/study\"\n", None).unwrap();
        assert_eq!(c.base_url, "https://a.org/study/");
        assert_eq!(c.base_path(), "/study/");
        assert!(c.has_absolute_base_url());
        let c = parse("title = \"x\"\n", Some("/study")).unwrap();
        assert_eq!(c.base_path(), "/study/");
        assert!(parse("title = \"x\"\nbase_url = \"study\"\n", None).is_err());
    }
}
