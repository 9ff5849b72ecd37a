//! The assembled site: the section tree, pages in order with their URLs, internal links
//! resolved, taxonomies and aliases. Every fact that spans pages is computed here, once,
//! so rendering only reads.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::content::front_matter::{SectionFront, SortBy};
use crate::content::images::{self, Picture};
use crate::content::{CONTENT_DIR, Content, CopiedFile, Page};
use crate::diagnostics::{Problem, did_you_mean};
use crate::markdown::{Hole, ImageUse, Link, Rendered, Responsive};
use crate::messages::{self, Text};
use crate::timeline::Timeline;
use crate::url::{check_slug, encode_path};

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// The checked configuration.
    pub config: Config,
    /// Sections; index 0 is the home page (the root of `content/`).
    pub sections: Vec<SiteSection>,
    /// Pages, in path order (sections hold their own ordering).
    pub pages: Vec<SitePage>,
    /// Declared taxonomies with their terms.
    pub taxonomies: Vec<SiteTaxonomy>,
    /// Redirect pages for old URLs.
    pub aliases: Vec<Alias>,
    /// Files copied as they are, with their final output paths.
    pub files: Vec<CopiedFile>,
    /// Every event of the site, in order.
    pub timeline: Timeline,
}

/// A page with its place in the site.
#[derive(Debug)]
pub struct SitePage {
    /// What was read from the file.
    pub page: Page,
    /// Root-absolute, percent-encoded URL (`/cases/%E4%B8%89…/`).
    pub url: String,
    /// Output file, `/`-separated (`cases/三进下党/index.html`).
    pub output: String,
    /// The body HTML with internal links resolved to root-absolute URLs.
    pub html: String,
    /// Where each `##` section starts in `html` (see `Rendered::section_starts`).
    pub section_starts: Vec<usize>,
    /// Index of the section the page is in.
    pub section: usize,
    /// The page before this one in its section's order.
    pub previous: Option<usize>,
    /// The page after this one.
    pub next: Option<usize>,
    /// The summary HTML from the body (before `<!-- more -->` or the first paragraph),
    /// links resolved like `html`.
    pub summary_html: Option<String>,
    /// Root-absolute URL of the first picture the page shows (its widest copy in the
    /// picture's own format), for share cards.
    pub image: Option<String>,
    /// Resolved URLs of the lesson's materials, in order (`None` where none is given).
    pub material_urls: Vec<Option<String>>,
    /// The page's terms: for each taxonomy of the site (by index), indices of its terms.
    pub terms: Vec<Vec<usize>>,
    /// Up to `RELATED_PAGES` pages sharing the most terms with this one.
    pub related: Vec<usize>,
}

/// How many related pages a page lists.
pub const RELATED_PAGES: usize = 5;

/// A section with its place in the tree.
#[derive(Debug)]
pub struct SiteSection {
    /// Folder path under `content/` (`""` for home).
    pub path: String,
    /// The `_index.md`, when there is one.
    pub file: Option<PathBuf>,
    /// Title: front matter, else the folder name, else the site title.
    pub title: String,
    /// Checked front matter (defaults when there is no `_index.md`).
    pub front: SectionFront,
    /// The introduction's HTML, links resolved.
    pub html: String,
    /// Root-absolute URL.
    pub url: String,
    /// Output file.
    pub output: String,
    /// The enclosing section (`None` for home).
    pub parent: Option<usize>,
    /// Subsections, by weight then title.
    pub children: Vec<usize>,
    /// Pages in the section's order.
    pub pages: Vec<usize>,
    /// Links and pictures of the introduction; internal ones are filled into `html` by
    /// `assemble`.
    pub links: Vec<Link>,
    /// Pictures of the introduction, filled into `html` by `assemble`.
    pub images: Vec<ImageUse>,
    /// Heading ids of the introduction.
    pub heading_ids: Vec<String>,
}

/// A taxonomy (专题) and its terms.
#[derive(Debug)]
pub struct SiteTaxonomy {
    /// Front matter key and URL segment.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Root-absolute URL of the list of terms.
    pub url: String,
    /// Output file of that list.
    pub output: String,
    /// Terms, sorted by name.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy and its pages.
#[derive(Debug)]
pub struct Term {
    /// The term as first written.
    pub name: String,
    /// Root-absolute URL.
    pub url: String,
    /// Output file.
    pub output: String,
    /// Pages with the term, by date then title.
    pub pages: Vec<usize>,
}

/// A redirect from an old URL.
#[derive(Debug)]
pub struct Alias {
    /// Output file of the redirect page.
    pub output: String,
    /// Root-absolute URL it sends readers to.
    pub target: String,
    /// The page declaring it.
    pub file: PathBuf,
}

/// The folder a page or section writes to: its output without `index.html`.
fn url_of(path: &str) -> String {
    if path.is_empty() {
        "/".to_owned()
    } else {
        format!("/{}/", encode_path(path))
    }
}

fn output_of(path: &str) -> String {
    if path.is_empty() {
        "index.html".to_owned()
    } else {
        format!("{path}/index.html")
    }
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

/// Output paths the theme writes; content may not take them.
pub const RESERVED_OUTPUTS: &[&str] = &[
    "404.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
    "timeline/index.html",
    "timeline.json",
    "search/index.html",
    "search/meta.js",
    "my-notes/index.html",
];

impl Site {
    /// Builds the site model from loaded content, or every problem found.
    pub fn assemble(config: Config, content: Content, drafts: bool) -> Result<Site, Vec<Problem>> {
        let mut problems = Vec::new();
        let Content {
            sections: loaded_sections,
            pages,
            files,
            warnings: _,
            pictures,
        } = content;
        let mut pages: Vec<Page> = pages
            .into_iter()
            .filter(|p| drafts || !p.front.draft)
            .collect();
        pages.sort_by(|a, b| a.content_path.cmp(&b.content_path));

        let mut sections = build_sections(&config, loaded_sections, &pages, &mut problems);
        let section_index: HashMap<String, usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.path.clone(), i))
            .collect();

        let mut site_pages: Vec<SitePage> = Vec::with_capacity(pages.len());
        for page in pages {
            let section = section_index[&page.section];
            let path = join(&page.section, &page.slug);
            site_pages.push(SitePage {
                url: url_of(&path),
                output: output_of(&path),
                html: String::new(),
                section_starts: Vec::new(),
                summary_html: None,
                image: None,
                section,
                previous: None,
                next: None,
                material_urls: Vec::new(),
                terms: Vec::new(),
                related: Vec::new(),
                page,
            });
        }
        for (i, page) in site_pages.iter().enumerate() {
            sections[page.section].pages.push(i);
        }
        for section in &mut sections {
            sort_pages(&mut section.pages, section.front.sort_by, &site_pages);
            for pair in section.pages.windows(2) {
                site_pages[pair[0]].next = Some(pair[1]);
                site_pages[pair[1]].previous = Some(pair[0]);
            }
        }

        let files = add_picture_copies(place_files(files, &site_pages), &pictures);
        let taxonomies = build_taxonomies(&config, &site_pages, &mut problems);
        link_terms(&mut site_pages, &taxonomies);
        let aliases = build_aliases(&site_pages, &mut problems);
        resolve_links(&mut site_pages, &mut sections, &pictures, &mut problems);

        let timeline = crate::timeline::build(&site_pages, &sections, &taxonomies, &config.eras);
        let site = Site {
            timeline,
            config,
            sections,
            pages: site_pages,
            taxonomies,
            aliases,
            files,
        };
        site.check_output_paths(&mut problems);
        if problems.is_empty() {
            Ok(site)
        } else {
            Err(problems)
        }
    }

    /// Two sources writing one file is an error naming both. Paths that differ only in
    /// case or Unicode normalisation count as one: many disks treat them so.
    fn check_output_paths(&self, problems: &mut Vec<Problem>) {
        let mut claimed: HashMap<String, (String, PathBuf)> = HashMap::new();
        let mut claim = |output: &str, file: PathBuf| {
            let key: String = output.nfc().collect::<String>().to_lowercase();
            if let Some((other_output, other_file)) = claimed.get(&key) {
                let (first, second) = if other_file <= &file {
                    (other_file.clone(), file)
                } else {
                    (file, other_file.clone())
                };
                let spelled = if other_output == output {
                    String::new()
                } else {
                    format!(" (as `{other_output}`)")
                };
                problems.push(Problem::in_file(
                    second.clone(),
                    format!(
                        "writes `{output}`, which `{}` also writes{spelled}: two files cannot share one URL (names differing only in case or Unicode form count as the same); rename one or set a different `slug:`",
                        first.display()
                    ),
                ));
            } else {
                claimed.insert(key, (output.to_owned(), file));
            }
        };
        for reserved in RESERVED_OUTPUTS {
            claim(
                reserved,
                PathBuf::from(format!("(casebook writes {reserved})")),
            );
        }
        for section in &self.sections {
            let file = section
                .file
                .clone()
                .unwrap_or_else(|| PathBuf::from(CONTENT_DIR).join(&section.path));
            if crate::render::views::has_packet(section) {
                let packet = section.output.replace("index.html", "packet.html");
                claim(&packet, file.clone());
            }
            claim(&section.output, file);
        }
        for page in &self.pages {
            claim(&page.output, page.page.file.clone());
            for output in crate::render::lesson::LessonFiles::of(self, page).outputs() {
                claim(output, page.page.file.clone());
            }
        }
        for taxonomy in &self.taxonomies {
            claim(
                &taxonomy.output,
                PathBuf::from(format!("site.toml (taxonomy {})", taxonomy.key)),
            );
            for term in &taxonomy.terms {
                let file = self.pages[term.pages[0]].page.file.clone();
                claim(&term.output, file);
            }
        }
        for alias in &self.aliases {
            claim(&alias.output, alias.file.clone());
        }
        for file in &self.files {
            claim(&file.output, file.file.clone());
        }
    }
}

fn build_sections(
    config: &Config,
    loaded: Vec<crate::content::Section>,
    pages: &[Page],
    problems: &mut Vec<Problem>,
) -> Vec<SiteSection> {
    let mut by_path: BTreeMap<String, (Option<PathBuf>, SectionFront, Rendered)> = BTreeMap::new();
    for section in loaded {
        by_path.insert(
            section.path,
            (Some(section.file), section.front, section.rendered),
        );
    }
    // Every folder holding pages is a section, and so is each folder above it.
    let mut needed: Vec<String> = vec![String::new()];
    for page in pages {
        let mut path = page.section.as_str();
        loop {
            needed.push(path.to_owned());
            match path.rsplit_once('/') {
                Some((parent, _)) => path = parent,
                None if !path.is_empty() => path = "",
                None => break,
            }
        }
    }
    for path in needed {
        by_path.entry(path).or_insert_with(|| {
            (
                None,
                SectionFront {
                    timeline: true,
                    ..SectionFront::default()
                },
                Rendered::default(),
            )
        });
    }
    for (path, (file, _, _)) in &by_path {
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            if let Err(why) = check_slug(segment) {
                let file = file
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR).join(path));
                problems.push(Problem::in_file(
                    file,
                    format!("folder name: {why}; rename the folder"),
                ));
            }
        }
    }
    let mut sections: Vec<SiteSection> = by_path
        .into_iter()
        .map(|(path, (file, front, rendered))| {
            let folder_name = path.rsplit('/').next().unwrap_or("").to_owned();
            let title = front.title.clone().unwrap_or_else(|| {
                if path.is_empty() {
                    config.title.clone()
                } else {
                    folder_name
                }
            });
            SiteSection {
                url: url_of(&path),
                output: output_of(&path),
                html: rendered.html.clone(),
                path,
                file,
                title,
                front,
                parent: None,
                children: Vec::new(),
                pages: Vec::new(),
                links: rendered.links,
                images: rendered.images,
                heading_ids: rendered.heading_ids,
            }
        })
        .collect();
    let index: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.clone(), i))
        .collect();
    for i in 1..sections.len() {
        let parent_path = sections[i].path.rsplit_once('/').map_or("", |(p, _)| p);
        let parent = index[parent_path];
        sections[i].parent = Some(parent);
        sections[parent].children.push(i);
    }
    let order: Vec<(Option<i64>, String)> = sections
        .iter()
        .map(|s| (s.front.weight, s.title.clone()))
        .collect();
    for section in &mut sections {
        section.children.sort_by(|&a, &b| {
            let (wa, ta) = &order[a];
            let (wb, tb) = &order[b];
            (wa.is_none(), wa, ta).cmp(&(wb.is_none(), wb, tb))
        });
    }
    sections
}

fn sort_pages(order: &mut [usize], sort_by: SortBy, pages: &[SitePage]) {
    order.sort_by(|&a, &b| {
        let (a, b) = (&pages[a].page, &pages[b].page);
        let by_key = match sort_by {
            SortBy::Date => (a.front.dates.is_none(), a.front.dates)
                .cmp(&(b.front.dates.is_none(), b.front.dates)),
            SortBy::Weight => (a.front.weight.is_none(), a.front.weight)
                .cmp(&(b.front.weight.is_none(), b.front.weight)),
            SortBy::Title => a.front.title.cmp(&b.front.title),
        };
        by_key.then_with(|| a.content_path.cmp(&b.content_path))
    });
}

/// Gives bundle assets their place beside their page's output.
fn place_files(files: Vec<CopiedFile>, pages: &[SitePage]) -> Vec<CopiedFile> {
    let page_dirs: HashMap<&str, &str> = pages
        .iter()
        .map(|p| {
            (
                p.page.content_path.as_str(),
                p.output
                    .trim_end_matches("index.html")
                    .trim_end_matches('/'),
            )
        })
        .collect();
    files
        .into_iter()
        .filter_map(|mut file| {
            let Some(bundle) = &file.bundle else {
                return Some(file);
            };
            // A draft bundle's assets are left out with it.
            let dir = page_dirs.get(bundle.as_str())?;
            let bundle_dir = bundle.trim_end_matches("index.md");
            let inside = file.output.strip_prefix(bundle_dir).unwrap_or(&file.output);
            file.output = join(dir, inside);
            Some(file)
        })
        .collect()
}

/// The copies made of each photo, written beside it.
fn add_picture_copies(
    mut files: Vec<CopiedFile>,
    pictures: &HashMap<PathBuf, Picture>,
) -> Vec<CopiedFile> {
    let mut copies = Vec::new();
    for file in &files {
        let Some(picture) = pictures.get(&file.file) else {
            continue;
        };
        for copy in picture.copies.iter().chain(&picture.webp) {
            if let Some(cache) = &copy.cache {
                copies.push(CopiedFile {
                    source: cache.clone(),
                    file: file.file.clone(),
                    output: images::copy_name(&file.output, &copy.suffix),
                    bundle: None,
                });
            }
        }
    }
    files.extend(copies);
    files
}

/// What a picture written as `dest` in `content_path` was made into, with the URLs of
/// its copies written like `dest`.
fn responsive(
    content_path: &str,
    dest: &str,
    pictures: &HashMap<PathBuf, Picture>,
) -> Option<Responsive> {
    let bundle = content_path == "index.md" || content_path.ends_with("/index.md");
    let picture = images::source_of(content_path, bundle, dest)
        .iter()
        .find_map(|p| pictures.get(p))?;
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    let urls = |copies: &[images::Copy]| -> Vec<(String, u32)> {
        copies
            .iter()
            .map(|c| (images::copy_name(path, &c.suffix), c.width))
            .collect()
    };
    let srcset = urls(&picture.copies);
    Some(Responsive {
        width: picture.width,
        height: picture.height,
        src: srcset
            .last()
            .map_or_else(|| dest.to_owned(), |(u, _)| u.clone()),
        webp: urls(&picture.webp),
        srcset,
    })
}

fn build_taxonomies(
    config: &Config,
    pages: &[SitePage],
    problems: &mut Vec<Problem>,
) -> Vec<SiteTaxonomy> {
    let mut taxonomies = Vec::new();
    for taxonomy in &config.taxonomies {
        // Terms are keyed case- and normalisation-insensitively; the first spelling wins.
        let mut terms: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        for (i, page) in pages.iter().enumerate() {
            for term in page
                .page
                .front
                .terms
                .get(&taxonomy.key)
                .into_iter()
                .flatten()
            {
                let term: String = term.nfc().collect();
                if let Err(why) = check_slug(&term) {
                    problems.push(Problem::in_file(
                        &page.page.file,
                        format!("{} term `{term}`: {why}", taxonomy.key).replace("slug ", ""),
                    ));
                    continue;
                }
                let entry = terms
                    .entry(term.to_lowercase())
                    .or_insert_with(|| (term, Vec::new()));
                if !entry.1.contains(&i) {
                    entry.1.push(i);
                }
            }
        }
        let base = taxonomy.key.clone();
        let terms = terms
            .into_values()
            .map(|(name, mut term_pages)| {
                term_pages.sort_by(|&a, &b| {
                    let (a, b) = (&pages[a].page, &pages[b].page);
                    (
                        a.front.dates.is_none(),
                        a.front.dates,
                        &a.front.title,
                        &a.content_path,
                    )
                        .cmp(&(
                            b.front.dates.is_none(),
                            b.front.dates,
                            &b.front.title,
                            &b.content_path,
                        ))
                });
                let path = join(&base, &name);
                Term {
                    url: url_of(&path),
                    output: output_of(&path),
                    name,
                    pages: term_pages,
                }
            })
            .collect();
        taxonomies.push(SiteTaxonomy {
            key: taxonomy.key.clone(),
            name: taxonomy.name.clone(),
            url: url_of(&base),
            output: output_of(&base),
            terms,
        });
    }
    taxonomies
}

/// Records on each page the indices of its terms, in the order the page wrote them, and
/// the pages that share most of them.
fn link_terms(pages: &mut [SitePage], taxonomies: &[SiteTaxonomy]) {
    let mut page_terms: Vec<Vec<Vec<usize>>> =
        vec![vec![Vec::new(); taxonomies.len()]; pages.len()];
    for (t, taxonomy) in taxonomies.iter().enumerate() {
        let index: HashMap<String, usize> = taxonomy
            .terms
            .iter()
            .enumerate()
            .map(|(i, term)| (term.name.to_lowercase(), i))
            .collect();
        for (page, terms) in pages.iter().zip(page_terms.iter_mut()) {
            for name in page
                .page
                .front
                .terms
                .get(&taxonomy.key)
                .into_iter()
                .flatten()
            {
                let key = name.nfc().collect::<String>().to_lowercase();
                if let Some(&i) = index.get(&key)
                    && !terms[t].contains(&i)
                {
                    terms[t].push(i);
                }
            }
        }
    }
    // A rough day number, for "nearest in date"; undated pages are farthest.
    let days: Vec<Option<i64>> = pages
        .iter()
        .map(|page| {
            page.page.front.dates.map(|d| {
                let d = d.start;
                i64::from(d.year) * 372
                    + i64::from(d.month.unwrap_or(1)) * 31
                    + i64::from(d.day.unwrap_or(1))
            })
        })
        .collect();
    let sets: Vec<crate::related::TermSet> = page_terms
        .iter()
        .map(|terms| {
            terms
                .iter()
                .enumerate()
                .flat_map(|(t, ts)| ts.iter().map(move |&i| (t, i)))
                .collect()
        })
        .collect();
    let pages_of: Vec<Vec<&[usize]>> = taxonomies
        .iter()
        .map(|t| t.terms.iter().map(|term| term.pages.as_slice()).collect())
        .collect();
    let related = crate::related::related_pages(&sets, &pages_of, &days, RELATED_PAGES);
    for ((page, terms), related) in pages.iter_mut().zip(page_terms).zip(related) {
        page.terms = terms;
        page.related = related;
    }
}

fn build_aliases(pages: &[SitePage], problems: &mut Vec<Problem>) -> Vec<Alias> {
    let mut aliases = Vec::new();
    for page in pages {
        for (alias, line) in &page.page.front.aliases {
            let path = alias.trim().trim_matches('/');
            let segments: Vec<String> = path.split('/').map(|s| s.nfc().collect()).collect();
            if let Some(why) = segments.iter().find_map(|s| check_slug(s).err()) {
                problems.push(Problem::at(
                    &page.page.file,
                    *line,
                    None,
                    format!("alias `{alias}`: {why}; write an old URL such as `/old/path/`"),
                ));
                continue;
            }
            let path = segments.join("/");
            let output = if path.ends_with(".html") || path.ends_with(".htm") {
                path
            } else {
                output_of(&path)
            };
            aliases.push(Alias {
                output,
                target: page.url.clone(),
                file: page.page.file.clone(),
            });
        }
    }
    aliases
}

/// What an internal link can point at.
struct LinkTargets<'a> {
    /// content path → (URL, heading ids)
    by_path: HashMap<String, (&'a str, &'a [String])>,
    /// content path of a page → its title
    titles: HashMap<String, &'a str>,
}

impl<'a> LinkTargets<'a> {
    fn new(pages: &'a [SitePage], sections: &'a [SiteSection]) -> Self {
        let mut by_path = HashMap::new();
        let titles = pages
            .iter()
            .map(|p| (p.page.content_path.clone(), p.page.front.title.as_str()))
            .collect();
        for page in pages {
            by_path.insert(
                page.page.content_path.clone(),
                (page.url.as_str(), page.page.rendered.heading_ids.as_slice()),
            );
        }
        for section in sections {
            let target = (section.url.as_str(), section.heading_ids.as_slice());
            by_path.insert(join(&section.path, "_index.md"), target);
            by_path.insert(section.path.clone(), target);
        }
        LinkTargets { by_path, titles }
    }

    /// The URL for `target#anchor` (written `written`), or what is wrong with it.
    fn resolve(&self, written: &str, target: &str, anchor: Option<&str>) -> Result<String, Text> {
        let key: String = target.trim_end_matches('/').nfc().collect();
        let Some((url, ids)) = self.by_path.get(&key) else {
            let pages = self.by_path.keys().filter(|k| k.ends_with(".md"));
            let near = did_you_mean(&key, pages.map(String::as_str));
            return Err(messages::no_such_page(written, target, near));
        };
        match anchor {
            None | Some("") => Ok((*url).to_owned()),
            Some(anchor) if ids.iter().any(|id| id == anchor) => {
                Ok(format!("{url}#{}", encode_path(anchor)))
            }
            Some(anchor) => Err(messages::no_such_heading(written, target, anchor, ids)),
        }
    }

    /// The title of the page at `target`, for a lesson material given only as a link.
    fn title(&self, target: &str) -> Option<&'a str> {
        let key: String = target.trim_end_matches('/').nfc().collect();
        self.titles.get(&key).copied()
    }
}

fn resolve_links(
    pages: &mut [SitePage],
    sections: &mut [SiteSection],
    pictures: &HashMap<PathBuf, Picture>,
    problems: &mut Vec<Problem>,
) {
    let mut page_html = Vec::with_capacity(pages.len());
    let mut page_images = Vec::with_capacity(pages.len());
    let mut material_urls = Vec::with_capacity(pages.len());
    let mut section_html = Vec::with_capacity(sections.len());
    {
        let targets = LinkTargets::new(pages, sections);
        // Links are resolved once per file, then filled into both body and summary; the
        // URL of link N is at N (empty for links that are not internal).
        let mut resolve_all = |file: &PathBuf, links: &[Link]| -> Vec<String> {
            links
                .iter()
                .map(|link| {
                    let Some(internal) = &link.internal else {
                        return String::new();
                    };
                    targets
                        .resolve(&link.written, &internal.target, internal.anchor.as_deref())
                        .unwrap_or_else(|why| {
                            problems.push(Problem::at(file, link.line, None, why));
                            String::new()
                        })
                })
                .collect()
        };
        for page in pages.iter() {
            let rendered = &page.page.rendered;
            let urls = resolve_all(&page.page.file, &rendered.links);
            let made: Vec<Option<Responsive>> = rendered
                .images
                .iter()
                .map(|i| responsive(&page.page.content_path, &i.dest, pictures))
                .collect();
            let shown: Vec<String> = rendered
                .images
                .iter()
                .zip(&made)
                .map(|(i, r)| crate::markdown::image_html(i, r.as_ref(), &page.url))
                .collect();
            page_images.push(rendered.images.first().map(|first| {
                let src = made[0].as_ref().map_or(&first.dest, |r| &r.src);
                let url =
                    crate::url::encode_path(&crate::url::percent_decode(src).unwrap_or_default());
                if src.starts_with('/') {
                    url
                } else {
                    format!("{}{url}", page.url)
                }
            }));
            let fill = |html: &str| fill_holes(html, &urls, &shown, &page.url);
            page_html.push((
                fill_sections(&rendered.html, &rendered.section_starts, fill),
                rendered.summary_html.as_deref().map(fill),
            ));
        }
        for section in sections.iter() {
            let file = section.file.clone().unwrap_or_default();
            let urls = resolve_all(&file, &section.links);
            let content_path = format!("{}/_index.md", section.path);
            let shown: Vec<String> = section
                .images
                .iter()
                .map(|i| {
                    let made = responsive(&content_path, &i.dest, pictures);
                    crate::markdown::image_html(i, made.as_ref(), &section.url)
                })
                .collect();
            section_html.push(fill_holes(&section.html, &urls, &shown, &section.url));
        }
        for page in pages.iter() {
            let front = &page.page.front;
            for event in &front.events {
                if let Some((anchor, line)) = &event.anchor
                    && !page.page.rendered.heading_ids.contains(anchor)
                {
                    problems.push(Problem::at(
                        &page.page.file,
                        *line,
                        None,
                        messages::event_anchor(anchor, &page.page.rendered.heading_ids),
                    ));
                }
            }
            let materials = front
                .lesson
                .as_ref()
                .map_or(&[][..], |(l, _)| &l.materials[..]);
            let line = front.lesson.as_ref().map_or(1, |(_, line)| *line);
            material_urls.push(
                materials
                    .iter()
                    .map(|m| {
                        let url = m.url.as_deref()?;
                        let Some(internal) = url.strip_prefix("@/") else {
                            return Some((url.to_owned(), None));
                        };
                        let (target, anchor) = match internal.split_once('#') {
                            Some((t, a)) => (t, Some(a)),
                            None => (internal, None),
                        };
                        // A backslash separates folders, as in Markdown links.
                        let target = target.replace('\\', "/");
                        match targets.resolve(url, &target, anchor) {
                            Ok(resolved) => Some((resolved, targets.title(&target))),
                            Err(why) => {
                                problems.push(Problem::at(&page.page.file, line, None, why));
                                None
                            }
                        }
                    })
                    .map(|found| found.map(|(url, title)| (url, title.map(str::to_owned))))
                    .collect::<Vec<_>>(),
            );
        }
    }
    for (((page, ((html, starts), summary)), urls), image) in pages
        .iter_mut()
        .zip(page_html)
        .zip(material_urls)
        .zip(page_images)
    {
        page.image = image;
        page.html = html;
        page.section_starts = starts;
        page.summary_html = summary;
        // A material given only as `"@/…md"` is titled from its page.
        if let Some((lesson, _)) = &mut page.page.front.lesson {
            for (material, found) in lesson.materials.iter_mut().zip(&urls) {
                if material.title.is_empty()
                    && let Some((_, Some(title))) = found
                {
                    material.title = title.clone();
                }
            }
        }
        page.material_urls = urls.into_iter().map(|u| u.map(|(url, _)| url)).collect();
    }
    for (section, html) in sections.iter_mut().zip(section_html) {
        section.html = html;
    }
}

/// `fill` applied to each `##` section of `html` apart, so the new section starts are
/// known without looking for headings in the result.
fn fill_sections(
    html: &str,
    starts: &[usize],
    fill: impl Fn(&str) -> String,
) -> (String, Vec<usize>) {
    if starts.is_empty() {
        return (fill(html), Vec::new());
    }
    let mut out = fill(&html[..starts[0]]);
    let mut new_starts = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(html.len());
        new_starts.push(out.len());
        out.push_str(&fill(&html[start..end]));
    }
    (out, new_starts)
}

/// `html` with its holes filled: the URLs of internal links (by link), the HTML of
/// pictures (by picture), and before page-relative URLs the URL of the page they are
/// on (`base`), so that they still work where the HTML is shown on another page
/// (summaries in lists).
fn fill_holes(html: &str, urls: &[String], pictures: &[String], base: &str) -> String {
    crate::markdown::fill_holes(html, |hole, out| {
        let text = match hole {
            Hole::Link(n) => urls.get(n).map_or("", String::as_str),
            Hole::Image(n) => pictures.get(n).map_or("", String::as_str),
            Hole::Base => base,
        };
        out.push_str(text);
    })
}
