//! Taxonomies (专题): the terms pages are filed under, each page's terms, and the pages
//! related to each page by the terms they share.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::content::Page;
use crate::diagnostics::Problem;
use crate::url::check_slug;

use super::{SiteTaxonomy, Term, join, output_of, url_of};

/// How many related pages a page lists.
pub(crate) const RELATED_PAGES: usize = 5;

/// The declared taxonomies, each with its terms and their pages.
pub(super) fn taxonomies(
    config: &Config,
    pages: &[Arc<Page>],
    problems: &mut Vec<Problem>,
) -> Vec<SiteTaxonomy> {
    let mut taxonomies = Vec::new();
    for taxonomy in &config.taxonomies {
        // Terms are keyed case- and normalisation-insensitively; the first spelling wins.
        let mut terms: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        for (i, page) in pages.iter().enumerate() {
            for term in page.front.terms.get(&taxonomy.key).into_iter().flatten() {
                let term: String = term.nfc().collect();
                if let Err(why) = check_slug(&term) {
                    problems.push(Problem::in_file(
                        &page.file,
                        crate::messages::bad_term(&taxonomy.key, &term, &why),
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
                    let (a, b) = (&pages[a], &pages[b]);
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

/// Each page's terms: for each taxonomy (by index), the indices of its terms, in the
/// order the page wrote them.
pub(super) fn page_terms(pages: &[Arc<Page>], taxonomies: &[SiteTaxonomy]) -> Vec<Vec<Vec<usize>>> {
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
            for name in page.front.terms.get(&taxonomy.key).into_iter().flatten() {
                let key = name.nfc().collect::<String>().to_lowercase();
                if let Some(&i) = index.get(&key)
                    && !terms[t].contains(&i)
                {
                    terms[t].push(i);
                }
            }
        }
    }
    page_terms
}

/// Every page's related pages, with a hash of the terms and dates they came from.
pub(super) type KeptRelated = Mutex<Option<(u64, Vec<Vec<usize>>)>>;

/// For each page, up to `RELATED_PAGES` pages sharing the most terms with it, the
/// nearest in date first among equals. Taken from `memo` when made from the same terms
/// and dates, which then holds this result.
pub(super) fn related(
    pages: &[Arc<Page>],
    page_terms: &[Vec<Vec<usize>>],
    taxonomies: &[SiteTaxonomy],
    memo: Option<&KeptRelated>,
) -> Vec<Vec<usize>> {
    // A rough day number, for "nearest in date"; undated pages are farthest.
    let days: Vec<Option<i64>> = pages
        .iter()
        .map(|page| {
            page.front.dates.map(|d| {
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
    // Which pages hold a term follows from the sets, so these two are all it depends on.
    let inputs = {
        let mut hasher = std::hash::DefaultHasher::new();
        (&sets, &days).hash(&mut hasher);
        hasher.finish()
    };
    let mut kept = memo.map(|m| m.lock().unwrap_or_else(|e| e.into_inner()));
    if let Some(Some((hash, related))) = kept.as_deref()
        && *hash == inputs
    {
        return related.clone();
    }
    let pages_of: Vec<Vec<&[usize]>> = taxonomies
        .iter()
        .map(|t| t.terms.iter().map(|term| term.pages.as_slice()).collect())
        .collect();
    let related = crate::related::related_pages(&sets, &pages_of, &days, RELATED_PAGES);
    if let Some(kept) = kept.as_deref_mut() {
        *kept = Some((inputs, related.clone()));
    }
    related
}
