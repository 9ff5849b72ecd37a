//! Related pages: for each page, the pages that share the most of its taxonomy terms;
//! among equals the nearest in date, then the first in path order.
//!
//! Counting shared terms page by page costs the sum of its terms' page lists, which on a
//! large site with broad topics is most of the site for every page (quadratic: 18 s at
//! 50,000 pages). Pages with the same terms have the same counts, so counting is done
//! once per distinct set of terms, and each page then picks its nearest in date.

use std::collections::HashMap;

use rayon::prelude::*;

/// A page's terms: (taxonomy, term) pairs.
pub(crate) type TermSet = Vec<(usize, usize)>;

/// For each page, up to `limit` related pages, best first. `terms[p]` are page p's
/// terms (any order, no repeats), `pages_of[t][i]` the pages holding term i of taxonomy
/// t, `days[p]` a day number for ordering by date (`None`: undated, farthest).
pub(crate) fn related_pages(
    terms: &[TermSet],
    pages_of: &[Vec<&[usize]>],
    days: &[Option<i64>],
    limit: usize,
) -> Vec<Vec<usize>> {
    let mut groups: HashMap<TermSet, Vec<usize>> = HashMap::new();
    for (page, set) in terms.iter().enumerate() {
        let mut key = set.clone();
        key.sort_unstable();
        groups.entry(key).or_default().push(page);
    }
    let groups: Vec<(TermSet, Vec<usize>)> = groups.into_iter().collect();
    // A few large chunks, each with one counting array, not one array per group.
    let chunk = groups
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1);
    let picked: Vec<(usize, Vec<usize>)> = groups
        .par_chunks(chunk)
        .flat_map_iter(|run| {
            let mut counts = vec![0u32; terms.len()];
            run.iter()
                .flat_map(|(key, members)| {
                    let levels = Levels::count(key, pages_of, days, &mut counts);
                    members
                        .iter()
                        .map(|&page| (page, levels.pick(page, days[page], limit)))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut related = vec![Vec::new(); terms.len()];
    for (page, pages) in picked {
        related[page] = pages;
    }
    related
}

/// The pages sharing a set of terms, by how many they share (most first).
struct Levels(Vec<Level>);

/// Pages sharing the same number of terms.
#[derive(Default)]
struct Level {
    /// Dated pages by (day, page).
    dated: Vec<(i64, usize)>,
    /// Undated pages, in order.
    undated: Vec<usize>,
    /// All of them, in order (for an undated page, to which every distance is the same).
    all: Vec<usize>,
}

impl Levels {
    fn count(
        key: &[(usize, usize)],
        pages_of: &[Vec<&[usize]>],
        days: &[Option<i64>],
        counts: &mut [u32],
    ) -> Levels {
        let mut touched = Vec::new();
        for &(t, i) in key {
            for &other in pages_of[t][i] {
                if counts[other] == 0 {
                    touched.push(other);
                }
                counts[other] += 1;
            }
        }
        let mut levels: Vec<Level> = (0..key.len()).map(|_| Level::default()).collect();
        for &page in &touched {
            // counts[page] is 1..=key.len(); level 0 holds the pages sharing all.
            let level = &mut levels[key.len() - counts[page] as usize];
            match days[page] {
                Some(day) => level.dated.push((day, page)),
                None => level.undated.push(page),
            }
            level.all.push(page);
            counts[page] = 0;
        }
        for level in &mut levels {
            level.dated.sort_unstable();
            level.undated.sort_unstable();
            level.all.sort_unstable();
        }
        Levels(levels)
    }

    /// Up to `limit` pages for `page` (dated `here`), itself left out.
    fn pick(&self, page: usize, here: Option<i64>, limit: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(limit);
        for level in &self.0 {
            if out.len() == limit {
                break;
            }
            level.nearest(page, here, limit, &mut out);
        }
        out
    }
}

impl Level {
    /// Appends this level's pages nearest to `here` until `out` holds `limit`.
    fn nearest(&self, page: usize, here: Option<i64>, limit: usize, out: &mut Vec<usize>) {
        let take = |out: &mut Vec<usize>, candidates: &mut dyn Iterator<Item = usize>| {
            for other in candidates {
                if out.len() == limit {
                    return;
                }
                if other != page {
                    out.push(other);
                }
            }
        };
        let Some(here) = here else {
            take(out, &mut self.all.iter().copied());
            return;
        };
        // Outwards from `here`, a distance at a time; pages at one distance in order.
        let (mut left, mut right) = {
            let at = self.dated.partition_point(|&(day, _)| day < here);
            (at, at)
        };
        while out.len() < limit && (left > 0 || right < self.dated.len()) {
            let below = (left > 0).then(|| here - self.dated[left - 1].0);
            let above = (right < self.dated.len()).then(|| self.dated[right].0 - here);
            let distance = below.into_iter().chain(above).min().unwrap_or(i64::MAX);
            let mut same = Vec::new();
            while left > 0 && here - self.dated[left - 1].0 == distance {
                left -= 1;
                same.push(self.dated[left].1);
            }
            while right < self.dated.len() && self.dated[right].0 - here == distance {
                same.push(self.dated[right].1);
                right += 1;
            }
            same.sort_unstable();
            take(out, &mut same.into_iter());
        }
        take(out, &mut self.undated.iter().copied());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain way: count every page's shared terms, sort by (most shared, nearest in
    /// date, path order).
    fn by_counting(
        terms: &[TermSet],
        pages_of: &[Vec<&[usize]>],
        days: &[Option<i64>],
        limit: usize,
    ) -> Vec<Vec<usize>> {
        (0..terms.len())
            .map(|p| {
                let mut counts = vec![0u32; terms.len()];
                for &(t, i) in &terms[p] {
                    for &other in pages_of[t][i] {
                        if other != p {
                            counts[other] += 1;
                        }
                    }
                }
                let mut ranked: Vec<(std::cmp::Reverse<u32>, i64, usize)> = (0..terms.len())
                    .filter(|&i| counts[i] > 0)
                    .map(|i| {
                        let distance = match (days[p], days[i]) {
                            (Some(a), Some(b)) => (a - b).abs(),
                            _ => i64::MAX,
                        };
                        (std::cmp::Reverse(counts[i]), distance, i)
                    })
                    .collect();
                ranked.sort_unstable();
                ranked.truncate(limit);
                ranked.into_iter().map(|r| r.2).collect()
            })
            .collect()
    }

    #[test]
    fn matches_counting_page_by_page() {
        // A small deterministic generator: many sites, with shared and repeated dates,
        // undated pages and pages without terms.
        let mut state = 12_345u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        for _ in 0..200 {
            let pages = 1 + next(40) as usize;
            let taxonomies = [1 + next(5) as usize, 1 + next(4) as usize];
            let mut terms: Vec<TermSet> = vec![Vec::new(); pages];
            let mut lists: Vec<Vec<Vec<usize>>> =
                taxonomies.iter().map(|&n| vec![Vec::new(); n]).collect();
            for (p, set) in terms.iter_mut().enumerate() {
                for (t, list) in lists.iter_mut().enumerate() {
                    for (i, holders) in list.iter_mut().enumerate() {
                        if next(3) == 0 {
                            set.push((t, i));
                            holders.push(p);
                        }
                    }
                }
            }
            let days: Vec<Option<i64>> = (0..pages)
                .map(|_| (next(4) != 0).then(|| next(6) as i64))
                .collect();
            let pages_of: Vec<Vec<&[usize]>> = lists
                .iter()
                .map(|t| t.iter().map(Vec::as_slice).collect())
                .collect();
            let limit = 1 + next(6) as usize;
            assert_eq!(
                related_pages(&terms, &pages_of, &days, limit),
                by_counting(&terms, &pages_of, &days, limit),
                "{terms:?} {days:?} limit {limit}"
            );
        }
    }
}
