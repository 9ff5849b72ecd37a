//! The section tree (every folder holding pages, and each folder above it) and the
//! order of the pages in each section.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::content::front_matter::{SectionFront, SortBy};
use crate::content::{CONTENT_DIR, Page, Section};
use crate::diagnostics::Problem;
use crate::markdown::Rendered;
use crate::url::check_slug;

use super::{output_of, url_of};

/// A section with its place in the tree, before its pages are ordered and its links
/// resolved.
#[derive(Debug)]
pub(super) struct Outline {
    /// Folder path under `content/` (`""` for home).
    pub path: String,
    /// The `_index.md`, when there is one.
    pub file: Option<PathBuf>,
    /// Title: front matter, else the folder name, else the site title.
    pub title: String,
    /// Checked front matter (defaults when there is no `_index.md`).
    pub front: SectionFront,
    /// The introduction, links not yet resolved.
    pub rendered: Rendered,
    /// Root-absolute URL.
    pub url: String,
    /// Output file.
    pub output: String,
    /// The enclosing section (`None` for home).
    pub parent: Option<usize>,
    /// Subsections, by weight then title.
    pub children: Vec<usize>,
}

/// The sections of the site, home first, each folder after its parent.
pub(super) fn outline(
    config: &Config,
    loaded: Vec<Section>,
    pages: &[Arc<Page>],
    problems: &mut Vec<Problem>,
) -> Vec<Outline> {
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
                    crate::messages::bad_folder_name(segment, &why),
                ));
            }
        }
    }
    let mut sections: Vec<Outline> = by_path
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
            Outline {
                url: url_of(&path),
                output: output_of(&path),
                path,
                file,
                title,
                front,
                rendered,
                parent: None,
                children: Vec::new(),
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

/// Section indices by folder path.
pub(super) fn index_by_path(sections: &[Outline]) -> HashMap<&str, usize> {
    sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.as_str(), i))
        .collect()
}

/// The pages of each section in the section's order, and each page's neighbours in it.
#[derive(Debug)]
pub(super) struct Order {
    /// For each section, its pages in order.
    pub pages: Vec<Vec<usize>>,
    /// For each page, the one before it.
    pub previous: Vec<Option<usize>>,
    /// For each page, the one after it.
    pub next: Vec<Option<usize>>,
}

/// Orders the pages of every section; `section_of[i]` is page `i`'s section.
pub(super) fn order(sections: &[Outline], pages: &[Arc<Page>], section_of: &[usize]) -> Order {
    let mut order = Order {
        pages: vec![Vec::new(); sections.len()],
        previous: vec![None; pages.len()],
        next: vec![None; pages.len()],
    };
    for (page, &section) in section_of.iter().enumerate() {
        order.pages[section].push(page);
    }
    for (section, list) in sections.iter().zip(&mut order.pages) {
        sort_pages(list, section.front.sort_by, pages);
        for pair in list.windows(2) {
            order.next[pair[0]] = Some(pair[1]);
            order.previous[pair[1]] = Some(pair[0]);
        }
    }
    order
}

fn sort_pages(order: &mut [usize], sort_by: SortBy, pages: &[Arc<Page>]) {
    order.sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
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
