//! Rendering: the site model and the theme in, the bytes of every output file out. Pure:
//! no disk access, so `build`, `check` and `serve` share it.

pub(crate) mod docx;
mod feeds;
pub(crate) mod lesson;
pub(crate) mod views;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, ErrorKind, Tera, Value};

use crate::diagnostics::Problem;
use crate::messages;
use crate::site::Site;
use crate::theme::Theme;
use views::{PageView, SectionView, SiteView, TaxonomyView, TermView};

/// One file of the output.
#[derive(Debug)]
pub struct Output {
    /// Path in the output folder, `/`-separated.
    pub path: String,
    /// What to write there.
    pub body: Body,
}

/// The contents of an output file.
#[derive(Debug)]
pub enum Body {
    /// Bytes rendered in memory (shared: the dev server keeps them between rebuilds).
    Bytes(bytes::Bytes),
    /// A file copied as it is (static files, bundle assets).
    CopyOf(PathBuf),
}

/// What is rendered with which template.
enum Job {
    Section(usize),
    Page(usize),
    Taxonomy(usize),
    Term(usize, usize),
    Alias(usize),
    /// The timeline, or one year of it when it is paged.
    Timeline(Option<u16>),
    /// The search page.
    Search,
    /// A section's printable packet.
    Packet(usize),
    /// A lesson's presenter view.
    Slides(usize),
    /// A lesson's packet: the plan and its materials in full.
    LessonPacket(usize),
    /// The reader's notes page.
    Notes,
    NotFound,
}

/// Loads the theme's templates into Tera, reporting each syntax error at its line.
pub(crate) fn templates(theme: &Theme) -> Result<Tera, Vec<Problem>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let sources = theme
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.text.as_str()));
    match tera.add_raw_templates(sources) {
        Ok(()) => Ok(tera),
        Err(error) => Err(vec![template_problem(theme, &error, None)]),
    }
}

/// A Tera error as a problem at the template's file and line.
fn template_problem(theme: &Theme, error: &tera::Error, rendering: Option<&PathBuf>) -> Problem {
    let file_of = |name: &str| {
        theme.templates.iter().find(|t| t.name == name).map_or_else(
            || PathBuf::from(format!("templates/{name}")),
            |t| t.file.clone(),
        )
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            Problem::at(
                file_of(report.filename()),
                span.start_line.max(1),
                Some(span.start_col + 1),
                messages::template_error(report.message(), rendering.map(PathBuf::as_path)),
            )
        }
        ErrorKind::TemplateNotFound(name) => Problem::in_file(
            rendering.cloned().unwrap_or_else(|| file_of(name)),
            messages::template_not_found(name),
        ),
        ErrorKind::MissingParent { current, parent } => {
            Problem::in_file(file_of(current), messages::template_missing_parent(parent))
        }
        _ => Problem::in_file(
            rendering
                .cloned()
                .unwrap_or_else(|| PathBuf::from("templates")),
            messages::template_error(&error.to_string(), rendering.map(PathBuf::as_path)),
        ),
    }
}

/// Template outputs of the last good render, each with the fingerprint of everything
/// that made it: the dev server keeps one, so that after an edit only the files whose
/// inputs changed are rendered again (the page, the lists showing it, its neighbours…).
#[derive(Default)]
pub struct Memo {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// The templates and settings every output depends on; another value empties `files`.
    global: u64,
    files: HashMap<String, (u64, bytes::Bytes)>,
}

/// What every output depends on besides its context: the templates, and the site's
/// path (`/` or `/sub/`), which the 404 page's links start from.
pub(crate) fn templates_fingerprint(theme: &Theme, config: &crate::config::Config) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    for template in &theme.templates {
        (&template.name, &template.text).hash(&mut hasher);
    }
    config.base_path().hash(&mut hasher);
    hasher.finish()
}

/// Renders every output file; `tick` is called once per rendered file, for progress.
/// Reuses from `memo` each file whose template context, template set and output path are
/// exactly those it was rendered from, and keeps what it rendered there for the next
/// call: the result is byte for byte the same. `Ok(None)` as soon as `stale` says the
/// outputs are no longer wanted (the dev server's site changed again); `memo` is then
/// left as it was.
pub(crate) fn render(
    site: &Site,
    theme: &Theme,
    tera: &Tera,
    memo: Option<&Memo>,
    tick: &(dyn Fn() + Sync),
    stale: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Vec<Output>>, Vec<Problem>> {
    let mut problems = check_template_names(site, tera);
    if !problems.is_empty() {
        return Err(problems);
    }
    let site_view = Value::from_serializable(&SiteView::new(site));
    let cards = views::Cards::new(site);
    let timeline = OnceLock::new();
    // What the fingerprints see in place of the shared views: their hashes, so that a
    // list of a thousand cards costs a thousand numbers, not a thousand cards.
    // (Hashed from the structs: a Tera value's map has no fixed order.)
    let site_hash = Value::from(fingerprint_of(&SiteView::new(site)));
    let card_hashes = views::Cards::made_by(site.pages.len(), |i| {
        Value::from(fingerprint_of(&views::card(site, &site.pages[i])))
    });
    let global = templates_fingerprint(theme, &site.config);
    let kept = memo.map(|memo| {
        let mut kept = memo.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.global != global {
            kept.files.clear();
        }
        std::mem::take(&mut kept.files)
    });
    let restore = |kept: Option<HashMap<String, (u64, bytes::Bytes)>>| {
        if let (Some(memo), Some(kept)) = (memo, kept) {
            // The last good render stays the base for the next one.
            memo.kept.lock().unwrap_or_else(|e| e.into_inner()).files = kept;
        }
    };
    let lessons: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].front().lesson.is_some())
        .collect();
    let jobs = jobs(site, &lessons);

    let shared = Shared {
        site_view: &site_view,
        cards: &cards,
        timeline: &timeline,
    };
    let stand_in = Shared {
        site_view: &site_hash,
        cards: &card_hashes,
        timeline: &timeline,
    };
    let rendered: Option<Vec<Result<(Output, u64), Problem>>> =
        crate::progress::timed("render: jobs", || {
            jobs.par_iter()
                .map(|job| {
                    if stale() {
                        return None;
                    }
                    let output = match &kept {
                        Some(kept) => {
                            let mut sink = Fingerprint::new();
                            let target = prepare(site, &stand_in, job, &mut sink);
                            let print = sink.finish(&target);
                            match kept.get(target.output.as_ref()) {
                                Some((old, bytes)) if *old == print => Ok((
                                    Output {
                                        path: target.output.into_owned(),
                                        body: Body::Bytes(bytes.clone()),
                                    },
                                    print,
                                )),
                                _ => {
                                    render_job(site, theme, tera, &shared, job).map(|o| (o, print))
                                }
                            }
                        }
                        None => render_job(site, theme, tera, &shared, job).map(|o| (o, 0)),
                    };
                    tick();
                    Some(output)
                })
                .collect()
        });
    let Some(rendered) = rendered else {
        restore(kept);
        return Ok(None);
    };
    let mut outputs = Vec::with_capacity(rendered.len() + site.files.len() + 4);
    let mut prints = Vec::with_capacity(rendered.len());
    for result in rendered {
        match result {
            Ok((output, print)) => {
                prints.push(print);
                outputs.push(output);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        restore(kept);
        return Err(problems);
    }
    if let Some(memo) = memo {
        let files = outputs
            .iter()
            .zip(&prints)
            .filter_map(|(output, &print)| match &output.body {
                Body::Bytes(bytes) => Some((output.path.clone(), (print, bytes.clone()))),
                Body::CopyOf(_) => None,
            })
            .collect();
        *memo.kept.lock().unwrap_or_else(|e| e.into_inner()) = Kept { global, files };
    }
    outputs.extend(other_outputs(site, theme, tera, &lessons)?);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Some(outputs))
}

/// The files not rendered from an HTML template: the `lessons`' Word files, the site's
/// and the theme's static files, `timeline.json`, `robots.txt`, and with an absolute
/// base URL the sitemap and the feed.
fn other_outputs(
    site: &Site,
    theme: &Theme,
    tera: &Tera,
    lessons: &[usize],
) -> Result<Vec<Output>, Vec<Problem>> {
    let mut outputs = Vec::new();
    let mut problems = Vec::new();
    for &i in lessons {
        match crate::progress::timed("render: docx", || docx::lesson_docx(site, i)) {
            Ok(output) => outputs.extend(output),
            Err(problem) => problems.push(problem),
        }
    }
    for file in &site.files {
        outputs.push(Output {
            path: file.output.clone(),
            body: Body::CopyOf(file.source.clone()),
        });
    }
    // Theme files (style.css) unless the site provides its own of the same name.
    for (name, bytes) in &theme.files {
        if !site.files.iter().any(|f| &f.output == name) {
            outputs.push(Output {
                path: name.clone(),
                body: Body::Bytes(bytes.clone().into()),
            });
        }
    }
    outputs.push(Output {
        path: "timeline.json".into(),
        body: Body::Bytes(crate::progress::timed("render: timeline json", || {
            timeline_json(site).into()
        })),
    });
    outputs.push(Output {
        path: "robots.txt".into(),
        body: Body::Bytes(robots(site).into_bytes().into()),
    });
    if site.config.has_absolute_base_url() {
        for (template, context) in [
            ("sitemap.xml", feeds::sitemap(site)),
            ("atom.xml", feeds::atom(site)),
        ] {
            match tera.render(template, &context) {
                Ok(xml) => outputs.push(Output {
                    path: template.into(),
                    body: Body::Bytes(without_controls(xml).into_bytes().into()),
                }),
                Err(e) => problems.push(template_problem(theme, &e, None)),
            }
        }
    }
    if problems.is_empty() {
        Ok(outputs)
    } else {
        Err(problems)
    }
}

/// Every file rendered from a template, as jobs: sections, pages, taxonomies and their
/// terms, aliases, the timeline (by year too when it is long), search, packets, the
/// `lessons`' slides and packets, notes and the 404 page.
fn jobs(site: &Site, lessons: &[usize]) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.sections.len()).map(Job::Section).collect();
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy(t));
        jobs.extend((0..taxonomy.terms.len()).map(|i| Job::Term(t, i)));
    }
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    jobs.push(Job::Timeline(None));
    if site.timeline.events.len() > views::TIMELINE_ONE_PAGE {
        jobs.extend(
            site.timeline
                .years
                .iter()
                .map(|y| Job::Timeline(Some(y.year))),
        );
    }
    if site.config.search_enabled {
        jobs.push(Job::Search);
    }
    jobs.extend(
        (0..site.sections.len())
            .filter(|&i| site.sections[i].packet.is_some())
            .map(Job::Packet),
    );
    jobs.extend(lessons.iter().flat_map(|&i| lesson_jobs(site, i)));
    jobs.push(Job::Notes);
    jobs.push(Job::NotFound);
    jobs
}

/// Templates named in front matter must exist; each missing one is reported at its line.
fn check_template_names(site: &Site, tera: &Tera) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |name: &str, file: PathBuf, line: Option<usize>| {
        if !tera.contains_template(name) {
            let known: Vec<&str> = tera.get_template_names().collect();
            let near = crate::diagnostics::did_you_mean(name, known.iter().copied());
            let message = messages::page_template_not_found(name, near);
            problems.push(match line {
                Some(line) => Problem::at(file, line, None, message),
                None => Problem::in_file(file, message),
            });
        }
    };
    for page in &site.pages {
        if let Some((name, line)) = &page.front().template {
            check(name, page.file().to_path_buf(), Some(*line));
        }
    }
    for section in &site.sections {
        let file = section.file.clone().unwrap_or_default();
        for name in [&section.front.template, &section.front.page_template]
            .into_iter()
            .flatten()
        {
            check(name, file.clone(), None);
        }
    }
    problems
}

/// Views built once and shared by every rendered file (the cards and the timeline's
/// parts only once a file needs them).
struct Shared<'a> {
    site_view: &'a Value,
    cards: &'a views::Cards<'a>,
    timeline: &'a OnceLock<views::TimelineShared>,
}

/// A lesson page's files besides its HTML (its Word file aside).
fn lesson_jobs(site: &Site, page: usize) -> Vec<Job> {
    let files = &site.pages[page].lesson_files;
    let mut jobs = Vec::new();
    if files.packet.is_some() {
        jobs.push(Job::LessonPacket(page));
    }
    if files.slides.is_some() {
        jobs.push(Job::Slides(page));
    }
    jobs
}

/// The files of `pages` alone (each page's HTML, and a lesson's slides, packet and Word
/// file), exactly as `render` makes them: for the dev server, which serves an edited
/// page before the rest of the site.
pub(crate) fn render_pages(
    site: &Site,
    theme: &Theme,
    tera: &Tera,
    pages: &[usize],
) -> Result<Vec<Output>, Vec<Problem>> {
    let mut problems = check_template_names(site, tera);
    if !problems.is_empty() {
        return Err(problems);
    }
    let site_view = Value::from_serializable(&SiteView::new(site));
    let cards = views::Cards::new(site);
    let timeline = OnceLock::new();
    let shared = Shared {
        site_view: &site_view,
        cards: &cards,
        timeline: &timeline,
    };
    let mut outputs = Vec::new();
    for &page in pages {
        let jobs = std::iter::once(Job::Page(page)).chain(lesson_jobs(site, page));
        for job in jobs {
            match render_job(site, theme, tera, &shared, &job) {
                Ok(output) => outputs.push(output),
                Err(problem) => problems.push(problem),
            }
        }
        if site.pages[page].front().lesson.is_some() {
            match docx::lesson_docx(site, page) {
                Ok(output) => outputs.extend(output),
                Err(problem) => problems.push(problem),
            }
        }
    }
    if problems.is_empty() {
        Ok(outputs)
    } else {
        Err(problems)
    }
}

/// Where a job's context goes: Tera's context to render it, or a fingerprint.
trait Sink {
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T);

    /// A value already made: Tera's context shares it rather than copying it.
    fn put_value(&mut self, key: &'static str, value: &Value) {
        self.put(key, value);
    }
}

impl Sink for Context {
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.insert(key, value);
    }

    fn put_value(&mut self, key: &'static str, value: &Value) {
        self.insert_value(key, value.clone());
    }
}

/// A hash of a template context as it would be serialised: equal contexts give equal
/// fingerprints, and different ones (but for a 64-bit collision) different fingerprints.
struct Fingerprint(std::hash::DefaultHasher);

impl std::io::Write for Fingerprint {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Fingerprint {
    fn new() -> Fingerprint {
        Fingerprint(std::hash::DefaultHasher::new())
    }

    /// The fingerprint of the context given so far, rendered with `target`'s template to
    /// its output path (the path decides the relative links).
    fn finish(mut self, target: &Target) -> u64 {
        (target.template, target.output.as_ref()).hash(&mut self.0);
        self.0.finish()
    }
}

impl Sink for Fingerprint {
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        key.hash(&mut self.0);
        // Writing to a hasher cannot fail, and the views always serialise.
        let _ = serde_json::to_writer(&mut *self, value);
        0xffu8.hash(&mut self.0);
    }
}

fn fingerprint_of(value: &impl Serialize) -> u64 {
    let mut sink = Fingerprint::new();
    sink.put("", value);
    sink.0.finish()
}

/// What a job renders: with which template, to which output, on behalf of which file.
struct Target<'a> {
    template: &'a str,
    output: Cow<'a, str>,
    source: PathBuf,
}

fn render_job(
    site: &Site,
    theme: &Theme,
    tera: &Tera,
    shared: &Shared,
    job: &Job,
) -> Result<Output, Problem> {
    let mut context = Context::new();
    let Target {
        template,
        output,
        source,
    } = prepare(site, shared, job, &mut context);
    let html = tera
        .render(template, &context)
        .map_err(|e| template_problem(theme, &e, Some(&source)))?;
    let html = match job {
        // The 404 page is served at any depth, so its links start from the site's path.
        Job::NotFound => rewrite_root_links(&html, |url| {
            format!("{}{}", site.config.base_path(), &url[1..])
        }),
        _ => {
            let up = "../".repeat(output.matches('/').count());
            rewrite_root_links(&html, |url| relative_url(&up, url))
        }
    };
    Ok(Output {
        path: output.into_owned(),
        body: Body::Bytes(without_controls(html).into_bytes().into()),
    })
}

/// Gives `sink` the context of `job` and says what renders it where. Everything a
/// template sees passes through `sink`, so that fingerprints cover all of it.
fn prepare<'a>(site: &'a Site, shared: &Shared, job: &Job, context: &mut impl Sink) -> Target<'a> {
    context.put_value("site", shared.site_view);
    match *job {
        Job::Section(i) => section_job(site, shared, i, context),
        Job::Page(i) => page_job(site, shared, i, context),
        Job::Taxonomy(t) => taxonomy_job(site, t, context),
        Job::Term(t, i) => term_job(site, shared, t, i, context),
        Job::Alias(i) => alias_job(site, i, context),
        Job::Timeline(year) => timeline_job(site, shared, year, context),
        Job::Search => Target::of_site("search.html", "search/index.html"),
        Job::Notes => Target::of_site("notes.html", "my-notes/index.html"),
        Job::Packet(i) => packet_job(site, i, context),
        Job::Slides(i) => slides_job(site, i, context),
        Job::LessonPacket(i) => lesson_packet_job(site, i, context),
        Job::NotFound => Target {
            template: "404.html",
            output: Cow::Borrowed("404.html"),
            source: PathBuf::from("404.html"),
        },
    }
}

impl Target<'static> {
    /// A page of the site as a whole, blamed on `site.toml`.
    fn of_site(template: &'static str, output: &'static str) -> Target<'static> {
        Target {
            template,
            output: Cow::Borrowed(output),
            source: PathBuf::from("site.toml"),
        }
    }
}

fn section_job<'a>(
    site: &'a Site,
    shared: &Shared,
    i: usize,
    context: &mut impl Sink,
) -> Target<'a> {
    let section = &site.sections[i];
    context.put("section", &SectionView::new(site, i, shared.cards));
    context.put("breadcrumbs", &views::breadcrumbs(site, i));
    let default = if i == 0 { "index.html" } else { "section.html" };
    Target {
        template: section.front.template.as_deref().unwrap_or(default),
        output: Cow::Borrowed(section.output.as_str()),
        source: section.blamed_file(),
    }
}

fn page_job<'a>(site: &'a Site, shared: &Shared, i: usize, context: &mut impl Sink) -> Target<'a> {
    let page = &site.pages[i];
    context.put("page", &PageView::new(site, i, shared.cards));
    context.put("breadcrumbs", &views::breadcrumbs(site, page.section));
    // The page's own template, else its section's choice for pages, else the theme's.
    let template = page
        .page
        .front
        .template
        .as_ref()
        .map(|(t, _)| t.as_str())
        .or(site.sections[page.section].front.page_template.as_deref())
        .unwrap_or("page.html");
    Target {
        template,
        output: Cow::Borrowed(&page.output),
        source: page.file().to_path_buf(),
    }
}

fn taxonomy_job<'a>(site: &'a Site, t: usize, context: &mut impl Sink) -> Target<'a> {
    let taxonomy = &site.taxonomies[t];
    context.put("taxonomy", &TaxonomyView::new(taxonomy));
    Target {
        template: "taxonomy.html",
        output: Cow::Borrowed(taxonomy.output.as_str()),
        source: PathBuf::from("site.toml"),
    }
}

fn term_job<'a>(
    site: &'a Site,
    shared: &Shared,
    t: usize,
    i: usize,
    context: &mut impl Sink,
) -> Target<'a> {
    let taxonomy = &site.taxonomies[t];
    let term = &taxonomy.terms[i];
    context.put("term", &TermView::new(taxonomy, term, shared.cards));
    Target {
        template: "term.html",
        output: Cow::Borrowed(term.output.as_str()),
        source: site.pages[term.pages[0]].file().to_path_buf(),
    }
}

fn alias_job<'a>(site: &'a Site, i: usize, context: &mut impl Sink) -> Target<'a> {
    let alias = &site.aliases[i];
    let target = site.pages.iter().find(|p| p.url == alias.target);
    context.put("target", &alias.target);
    context.put(
        "target_title",
        &target.map_or("", |p| p.front().title.as_str()),
    );
    Target {
        template: "alias.html",
        output: Cow::Borrowed(alias.output.as_str()),
        source: alias.file.clone(),
    }
}

fn timeline_job(
    site: &Site,
    shared: &Shared,
    year: Option<u16>,
    context: &mut impl Sink,
) -> Target<'static> {
    context.put(
        "timeline",
        &views::TimelineView::new(
            site,
            year,
            shared
                .timeline
                .get_or_init(|| views::TimelineShared::new(site)),
        ),
    );
    Target {
        template: "timeline.html",
        output: match year {
            Some(year) => Cow::Owned(format!("timeline/{year}/index.html")),
            None => Cow::Borrowed("timeline/index.html"),
        },
        source: PathBuf::from("site.toml"),
    }
}

fn packet_job<'a>(site: &'a Site, i: usize, context: &mut impl Sink) -> Target<'a> {
    let section = &site.sections[i];
    let Some(packet) = &section.packet else {
        unreachable!("packet jobs are made for sections with a packet only")
    };
    context.put("packet", &views::PacketView::new(site, i));
    Target {
        template: "packet.html",
        output: Cow::Borrowed(packet.output.as_str()),
        source: section.blamed_file(),
    }
}

fn slides_job<'a>(site: &'a Site, i: usize, context: &mut impl Sink) -> Target<'a> {
    let page = &site.pages[i];
    let (Some((lesson, _)), Some(slides)) = (&page.front().lesson, &page.lesson_files.slides)
    else {
        unreachable!("slides jobs are made for lessons with slides only")
    };
    context.put("slides", &lesson::SlidesView::new(site, i, lesson));
    Target {
        template: "slides.html",
        output: Cow::Borrowed(slides.output.as_str()),
        source: page.file().to_path_buf(),
    }
}

fn lesson_packet_job<'a>(site: &'a Site, i: usize, context: &mut impl Sink) -> Target<'a> {
    let page = &site.pages[i];
    let (Some(plan), Some(file)) = (views::LessonView::new(site, i), &page.lesson_files.packet)
    else {
        unreachable!("lesson packet jobs are made for lessons only")
    };
    let (packet, plan) = lesson::LessonPacketView::new(site, i, plan);
    context.put("packet", &packet);
    context.put("page", &plan);
    Target {
        template: "lesson-packet.html",
        output: Cow::Borrowed(file.output.as_str()),
        source: page.file().to_path_buf(),
    }
}

/// `text` without control characters other than tabs and line ends. Sources holding
/// them are refused when read; this keeps any that arrive another way (a YAML escape
/// such as `"\0"`) out of HTML and XML, where they are invalid.
pub(crate) fn without_controls(text: String) -> String {
    // Every output passes here: look at bytes, not chars. The controls are C0 (below
    // 0x20), DEL, and C1 (U+0080–U+009F, encoded 0xC2 0x80–0x9F).
    let bytes = text.as_bytes();
    let control_at = |i: usize| match bytes[i] {
        b'\t' | b'\n' | b'\r' => false,
        b if b < 0x20 || b == 0x7F => true,
        0xC2 => bytes.get(i + 1).is_some_and(|b| (0x80..=0x9F).contains(b)),
        _ => false,
    };
    if !(0..bytes.len()).any(control_at) {
        return text;
    }
    text.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// `/cases/x/#a` seen from a page `up` levels deep: `../../cases/x/index.html#a`.
/// Folder URLs get `index.html` so the site works from `file://`.
pub(crate) fn relative_url(up: &str, url: &str) -> String {
    let path_end = url.find(['#', '?']).unwrap_or(url.len());
    let (path, rest) = url.split_at(path_end);
    let path = &path[1..];
    let index = if path.is_empty() || path.ends_with('/') {
        "index.html"
    } else {
        ""
    };
    format!("{up}{path}{index}{rest}")
}

/// Rewrites root-absolute URLs (`/x/`), leaving protocol-relative `//host/` alone.
fn rewrite_root_links(html: &str, rewrite: impl Fn(&str) -> String) -> String {
    crate::html::rewrite_urls(html, |url| {
        (url.starts_with('/') && !url.starts_with("//")).then(|| rewrite(url))
    })
}

pub(crate) fn absolute(site: &Site, url: &str) -> String {
    format!("{}{}", site.config.base_url, &url[1..])
}

fn robots(site: &Site) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if site.config.has_absolute_base_url() {
        text += &format!("Sitemap: {}\n", absolute(site, "/sitemap.xml"));
    }
    text
}

/// `timeline.json`: the whole timeline for other tools (schema in README.md). URLs are
/// relative to the site's root, where the file is. Written from structs rather than
/// `json!` values (ten times faster at 10,000 events), their fields in alphabetical
/// order as the values' maps had them.
fn timeline_json(site: &Site) -> Vec<u8> {
    #[derive(Serialize)]
    struct Document<'a> {
        eras: Vec<Era<'a>>,
        events: Vec<Event<'a>>,
        schema: &'a str,
        site: &'a str,
        title: &'a str,
    }
    #[derive(Serialize)]
    struct Era<'a> {
        display: String,
        end: Option<String>,
        name: &'a str,
        start: String,
    }
    #[derive(Serialize)]
    struct Event<'a> {
        display: String,
        end: Option<String>,
        era: Option<&'a str>,
        page: EventPage<'a>,
        place: &'a Option<String>,
        places: &'a [String],
        source: &'a Option<String>,
        start: String,
        summary: &'a Option<String>,
        title: &'a str,
        topics: &'a [String],
        url: String,
    }
    #[derive(Serialize)]
    struct EventPage<'a> {
        section: &'a str,
        title: &'a str,
        url: String,
    }
    let timeline = &site.timeline;
    let url = |u: &str| relative_url("", u);
    let events = timeline
        .events
        .iter()
        .map(|e| {
            let page = &site.pages[e.page];
            Event {
                display: e.dates.to_string(),
                end: e.dates.end.map(|d| d.edtf()),
                era: e.era.map(|i| timeline.eras[i].name.as_str()),
                page: EventPage {
                    section: &site.sections[page.section].title,
                    title: &page.front().title,
                    url: url(&page.url),
                },
                place: &e.place,
                places: &e.places,
                source: &e.source,
                start: e.dates.start.edtf(),
                summary: &e.summary,
                title: &e.title,
                topics: &e.topics,
                url: url(&e.url),
            }
        })
        .collect();
    let eras = timeline
        .eras
        .iter()
        .map(|era| Era {
            display: era.dates.to_string(),
            end: era.dates.end.map(|d| d.edtf()),
            name: &era.name,
            start: era.dates.start.edtf(),
        })
        .collect();
    let document = Document {
        eras,
        events,
        schema: "casebook-timeline/1",
        site: &site.config.title,
        title: &site.config.timeline_title,
    };
    let mut bytes = serde_json::to_vec(&document).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_taken_out_and_everything_else_kept() {
        let kept = "三进下党\t\n\r é\u{a0}\u{100}\u{2028}🙂";
        assert_eq!(without_controls(kept.to_owned()), kept);
        let with = "a\0b\u{7}c\u{7f}d\u{80}e\u{85}f\u{9f}g\u{1b}[0m";
        assert_eq!(without_controls(with.to_owned()), "abcdefg[0m");
        // Each control alone, so that one found early cannot hide a miss.
        for c in (0..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let expected = if matches!(c, '\t' | '\n' | '\r') {
                format!("x{c}")
            } else {
                "x".into()
            };
            assert_eq!(
                without_controls(format!("x{c}")),
                expected,
                "{:#x}",
                c as u32
            );
        }
    }

    #[test]
    fn root_links_become_relative_with_index_html() {
        let html = r#"<a href="/">首页</a><a href="/cases/%E4%B8%89/#first">x</a><img src="/style.css"><a href="//cdn.example/x">c</a><a href="https://a.cn/">w</a>"#;
        let out = rewrite_root_links(html, |u| relative_url("../../", u));
        assert_eq!(
            out,
            r#"<a href="../../index.html">首页</a><a href="../../cases/%E4%B8%89/index.html#first">x</a><img src="../../style.css"><a href="//cdn.example/x">c</a><a href="https://a.cn/">w</a>"#
        );
        assert_eq!(relative_url("", "/"), "index.html");
        let refresh =
            rewrite_root_links(r#"<meta http-equiv="refresh" content="0; url=/a/">"#, |u| {
                relative_url("../", u)
            });
        assert_eq!(
            refresh,
            r#"<meta http-equiv="refresh" content="0; url=../a/index.html">"#
        );
    }
}
