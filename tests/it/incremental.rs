//! The dev server renders again only the files an edit can change: after any sequence of
//! edits, what it serves is byte for byte what a full build gives, whether the cache is
//! told which files changed (as the watcher tells the server's) or has to look.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use casebook::testing::Body;
use casebook::testing::Progress;
use proptest::prelude::*;

use crate::support::*;

const TAGS: [&str; 3] = ["调查研究", "信访接待", "乡村振兴"];
const PLACES: [&str; 2] = ["宁德", "寿宁"];

/// One page of the generated site.
#[derive(Debug, Clone)]
struct Page {
    title: u8,
    year: u16,
    tags: Vec<usize>,
    place: Option<usize>,
    body: u8,
    related_to: Option<usize>,
    /// In the other section than its slot's own.
    moved: bool,
    /// A `slug:` of its own: its URL changes, and so do the links to it.
    slug: Option<u8>,
}

#[derive(Debug, Clone)]
enum Edit {
    Title(usize, u8),
    Date(usize, u16),
    Tags(usize, Vec<usize>),
    Place(usize, Option<usize>),
    Body(usize, u8),
    Link(usize, Option<usize>),
    /// To the other section: the file moves, and its neighbours and lists change.
    Move(usize),
    Slug(usize, Option<u8>),
    Remove(usize),
    Add(usize, Page),
}

const SLOTS: usize = 8;

fn page() -> impl Strategy<Value = Page> {
    (
        0..4u8,
        1988..1992u16,
        proptest::sample::subsequence(vec![0, 1, 2], 0..=2),
        proptest::option::of(0..PLACES.len()),
        0..3u8,
        proptest::option::of(0..SLOTS),
        proptest::bool::weighted(0.2),
        proptest::option::weighted(0.2, 0..2u8),
    )
        .prop_map(
            |(title, year, tags, place, body, related_to, moved, slug)| Page {
                title,
                year,
                tags,
                place,
                body,
                related_to,
                moved,
                slug,
            },
        )
}

fn edit() -> impl Strategy<Value = Edit> {
    let slot = 0..SLOTS;
    prop_oneof![
        (slot.clone(), 0..4u8).prop_map(|(i, t)| Edit::Title(i, t)),
        (slot.clone(), 1988..1992u16).prop_map(|(i, y)| Edit::Date(i, y)),
        (
            slot.clone(),
            proptest::sample::subsequence(vec![0, 1, 2], 0..=2)
        )
            .prop_map(|(i, t)| Edit::Tags(i, t)),
        (slot.clone(), proptest::option::of(0..PLACES.len())).prop_map(|(i, p)| Edit::Place(i, p)),
        (slot.clone(), 0..3u8).prop_map(|(i, b)| Edit::Body(i, b)),
        (slot.clone(), proptest::option::of(0..SLOTS)).prop_map(|(i, l)| Edit::Link(i, l)),
        slot.clone().prop_map(Edit::Move),
        (slot.clone(), proptest::option::of(0..2u8)).prop_map(|(i, s)| Edit::Slug(i, s)),
        slot.clone().prop_map(Edit::Remove),
        (slot, page()).prop_map(|(i, p)| Edit::Add(i, p)),
    ]
}

/// Pages alternate between two sections; slot `i` is `p{i}.md`, in the other section
/// when it has moved.
fn file_of(i: usize, moved: bool) -> String {
    let section = if i.is_multiple_of(2) != moved {
        "cases"
    } else {
        "lessons"
    };
    format!("content/{section}/p{i}.md")
}

fn text_of(i: usize, page: &Page, pages: &[Option<Page>]) -> String {
    let tags: Vec<&str> = page.tags.iter().map(|&t| TAGS[t]).collect();
    let mut text = format!(
        "---\ntitle: 标题{}之{i}\ndate: {}-0{}\ntags: [{}]\n",
        page.title,
        page.year,
        1 + i % 9,
        tags.join(", ")
    );
    if let Some(place) = page.place {
        text += &format!("places: [{}]\n", PLACES[place]);
    }
    if let Some(slug) = page.slug {
        text += &format!("slug: s{slug}-{i}\n");
    }
    text += &format!("summary: 摘要{}\n---\n\n正文{}。\n", page.body, page.body);
    // A link only to a page that exists, so every step builds.
    if let Some((j, other)) = page
        .related_to
        .filter(|&j| j != i)
        .and_then(|j| Some((j, pages[j].as_ref()?)))
    {
        let file = file_of(j, other.moved);
        text += &format!("\n见[另一页](@/{}).\n", &file["content/".len()..]);
    }
    text
}

/// Writes every page whose text changed, removes those gone; returns the files changed.
fn write_site(
    root: &Path,
    pages: &[Option<Page>],
    written: &mut BTreeMap<usize, (String, String)>,
) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let now = page
            .as_ref()
            .map(|p| (file_of(i, p.moved), text_of(i, p, pages)));
        if written.get(&i) == now.as_ref() {
            continue;
        }
        if let Some((file, _)) = written.remove(&i) {
            std::fs::remove_file(root.join(&file)).unwrap();
            changed.push(PathBuf::from(file));
        }
        if let Some((file, text)) = now {
            std::fs::write(root.join(&file), &text).unwrap();
            changed.push(PathBuf::from(&file));
            written.insert(i, (file, text));
        }
    }
    changed
}

type Files = BTreeMap<String, Vec<u8>>;

fn files(outputs: Vec<casebook::testing::Output>) -> Files {
    outputs
        .into_iter()
        .map(|o| match o.body {
            Body::Bytes(bytes) => (o.path, bytes.to_vec()),
            Body::CopyOf(source) => (o.path, source.to_string_lossy().into_owned().into_bytes()),
        })
        .collect()
}

fn outputs(root: &Path, cache: Option<&casebook::testing::BuildCache>) -> Files {
    let rendered = casebook::testing::render_site_with(
        root,
        Some("/"),
        false,
        false,
        cache,
        &Progress::hidden(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    files(rendered.outputs)
}

/// What the dev server makes of the site: the edited pages it serves first, if any, and
/// then the whole site; `stale` says when a newer change has come.
fn served(
    root: &Path,
    cache: &casebook::testing::BuildCache,
    stale: &(dyn Fn() -> bool + Sync),
) -> (Files, Option<Files>) {
    let mut early = Files::new();
    let whole = casebook::testing::rebuild_site(
        root,
        false,
        cache,
        &mut |pages| early = files(pages),
        stale,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (early, whole.map(|rendered| files(rendered.outputs)))
}

fn apply(pages: &mut [Option<Page>], edit: &Edit) {
    let set = |pages: &mut [Option<Page>], i: usize, f: &dyn Fn(&mut Page)| {
        if let Some(page) = pages[i].as_mut() {
            f(page);
        }
    };
    match edit {
        Edit::Title(i, t) => set(pages, *i, &|p| p.title = *t),
        Edit::Date(i, y) => set(pages, *i, &|p| p.year = *y),
        Edit::Tags(i, t) => set(pages, *i, &|p| p.tags = t.clone()),
        Edit::Place(i, place) => set(pages, *i, &|p| p.place = *place),
        Edit::Body(i, b) => set(pages, *i, &|p| p.body = *b),
        Edit::Link(i, l) => set(pages, *i, &|p| p.related_to = *l),
        Edit::Move(i) => set(pages, *i, &|p| p.moved = !p.moved),
        Edit::Slug(i, s) => set(pages, *i, &|p| p.slug = *s),
        Edit::Remove(i) => pages[*i] = None,
        Edit::Add(i, page) => pages[*i] = Some(page.clone()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn an_incremental_rebuild_equals_a_full_build_after_any_edits(
        start in proptest::collection::vec(proptest::option::of(page()), SLOTS),
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        let dir = temp();
        let root = dir.path();
        std::fs::write(
            root.join("site.toml"),
            "title = \"增量\"\nbase_url = \"https://example.org/\"\n[taxonomies]\ntags = \"专题\"\nplaces = \"地点\"\n",
        )
        .unwrap();
        for (section, title) in [("cases", "案例"), ("lessons", "教案")] {
            std::fs::create_dir_all(root.join("content").join(section)).unwrap();
            std::fs::write(
                root.join("content").join(section).join("_index.md"),
                format!("---\ntitle: {title}\nsort_by: date\n---\n"),
            )
            .unwrap();
        }
        let mut pages = start;
        let mut written = BTreeMap::new();
        write_site(root, &pages, &mut written);
        let told = casebook::testing::BuildCache::told_of_changes();
        let looking = casebook::testing::BuildCache::default();
        prop_assert_eq!(served(root, &told, &|| false).1, Some(outputs(root, None)));
        prop_assert_eq!(outputs(root, Some(&looking)), outputs(root, None));
        for edit in &edits {
            apply(&mut pages, edit);
            let changed = write_site(root, &pages, &mut written);
            told.files.note_changes(Some(changed));
            let full = outputs(root, None);
            let (early, whole) = served(root, &told, &|| false);
            // The pages served first are already the full build's.
            for (path, bytes) in &early {
                prop_assert!(
                    full.get(path) == Some(bytes),
                    "after {:?}, {} was served early unlike a full build",
                    edit,
                    path
                );
            }
            let whole = whole.expect("never stale");
            for (incremental, name) in [(whole, "told"), (outputs(root, Some(&looking)), "looking")] {
                prop_assert_eq!(
                    incremental.keys().collect::<Vec<_>>(),
                    full.keys().collect::<Vec<_>>(),
                    "{}", name
                );
                for (path, bytes) in &full {
                    prop_assert!(
                        &incremental[path] == bytes,
                        "after {:?}, {} differs from a full build ({} cache)",
                        edit,
                        path,
                        name
                    );
                }
            }
        }
    }
}

#[test]
fn a_search_index_stops_once_it_is_stale_and_is_whole_otherwise() {
    let site = casebook::testing::render_site(&fixture("search"), None, false, &Progress::hidden())
        .unwrap_or_else(|e| panic!("{e}"))
        .site;
    let whole = casebook::testing::search_outputs(&site);
    assert!(!whole.is_empty());
    let never = casebook::testing::search_outputs_unless(&site, &|| false).expect("not stale");
    let paths = |outputs: &[casebook::testing::Output]| -> Vec<String> {
        outputs.iter().map(|o| o.path.clone()).collect()
    };
    assert_eq!(paths(&never), paths(&whole));
    // A newer change arrives while the first pages are being indexed.
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let stale = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 2;
    assert!(casebook::testing::search_outputs_unless(&site, &stale).is_none());
}

/// A section of three dated pages sharing a tag, built once by a dev server's cache.
fn three_pages() -> (tempfile::TempDir, casebook::testing::BuildCache) {
    let dir = temp();
    let root = dir.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"三页\"\n[taxonomies]\ntags = \"专题\"\n",
    )
    .unwrap();
    for section in ["cases", "lessons"] {
        std::fs::create_dir_all(root.join("content").join(section)).unwrap();
    }
    for (name, year) in [("a", 1990), ("b", 1991), ("c", 1992)] {
        write_page(
            root,
            &format!("content/cases/{name}.md"),
            name,
            year,
            "调查研究",
        );
    }
    let cache = casebook::testing::BuildCache::told_of_changes();
    let (early, whole) = served(root, &cache, &|| false);
    assert!(early.is_empty(), "nothing was edited yet");
    assert_eq!(whole, Some(outputs(root, None)));
    (dir, cache)
}

fn write_page(root: &Path, file: &str, title: &str, year: u16, tag: &str) {
    std::fs::write(
        root.join(file),
        format!("---\ntitle: 标题{title}\ndate: {year}-05-01\ntags: [{tag}]\n---\n\n正文。\n"),
    )
    .unwrap();
}

fn text(files: &Files, path: &str) -> String {
    String::from_utf8_lossy(&files[path]).into_owned()
}

#[test]
fn an_edited_title_is_served_first_and_the_lists_and_neighbours_follow() {
    let (dir, cache) = three_pages();
    let root = dir.path();
    write_page(root, "content/cases/b.md", "新", 1991, "调查研究");
    cache
        .files
        .note_changes(Some(vec!["content/cases/b.md".into()]));
    let (early, whole) = served(root, &cache, &|| false);
    assert_eq!(
        early.keys().collect::<Vec<_>>(),
        ["cases/b/index.html"],
        "only the edited page comes first"
    );
    assert!(text(&early, "cases/b/index.html").contains("标题新"));
    let whole = whole.expect("never stale");
    for list in [
        "cases/a/index.html",
        "cases/c/index.html",
        "cases/index.html",
        "tags/调查研究/index.html",
        "timeline/index.html",
    ] {
        assert!(text(&whole, list).contains("标题新"), "{list}");
        assert!(!text(&whole, list).contains("标题b"), "{list}");
    }
    assert_eq!(whole, outputs(root, None));
}

#[test]
fn an_edit_saved_with_a_section_file_deleted_is_not_served_from_the_old_site() {
    let (dir, cache) = three_pages();
    let root = dir.path();
    let intro = root.join("content/cases/_index.md");
    std::fs::write(&intro, "---\ntitle: 案例专栏\n---\n").unwrap();
    cache
        .files
        .note_changes(Some(vec!["content/cases/_index.md".into()]));
    let (_, whole) = served(root, &cache, &|| false);
    assert!(text(&whole.expect("never stale"), "cases/b/index.html").contains("案例专栏"));
    // One batch, as a checkout or a stash makes it: the section's title goes with the
    // file, and the edited page's breadcrumb must not keep it.
    std::fs::remove_file(&intro).unwrap();
    write_page(root, "content/cases/b.md", "新", 1991, "调查研究");
    cache.files.note_changes(Some(vec![
        "content/cases/_index.md".into(),
        "content/cases/b.md".into(),
    ]));
    let (early, whole) = served(root, &cache, &|| false);
    let whole = whole.expect("never stale");
    for (path, bytes) in &early {
        assert!(
            whole.get(path) == Some(bytes),
            "{path} served early differs"
        );
    }
    assert!(early.is_empty(), "{:?}", early.keys());
    assert!(!text(&whole, "cases/b/index.html").contains("案例专栏"));
    assert_eq!(whole, outputs(root, None));
}

#[test]
fn a_page_moved_to_another_section_or_term_waits_for_the_whole_site() {
    let (dir, cache) = three_pages();
    let root = dir.path();
    // Another term: the page's own tag links, and both terms' lists, change.
    write_page(root, "content/cases/b.md", "b", 1991, "乡村振兴");
    cache
        .files
        .note_changes(Some(vec!["content/cases/b.md".into()]));
    let (early, whole) = served(root, &cache, &|| false);
    assert!(early.is_empty(), "{:?}", early.keys());
    let whole = whole.expect("never stale");
    assert!(text(&whole, "tags/乡村振兴/index.html").contains("标题b"));
    assert!(!text(&whole, "tags/调查研究/index.html").contains("标题b"));
    assert_eq!(whole, outputs(root, None));
    // Another section: a new URL, new neighbours on both sides.
    std::fs::rename(
        root.join("content/cases/b.md"),
        root.join("content/lessons/b.md"),
    )
    .unwrap();
    cache.files.note_changes(Some(vec![
        "content/cases/b.md".into(),
        "content/lessons/b.md".into(),
    ]));
    let (early, whole) = served(root, &cache, &|| false);
    assert!(early.is_empty(), "{:?}", early.keys());
    let whole = whole.expect("never stale");
    assert!(whole.contains_key("lessons/b/index.html"));
    assert!(!whole.contains_key("cases/b/index.html"));
    assert!(text(&whole, "lessons/index.html").contains("标题b"));
    assert!(!text(&whole, "cases/a/index.html").contains("标题b"));
    assert_eq!(whole, outputs(root, None));
}

#[test]
fn a_rebuild_a_newer_change_makes_stale_stops_and_the_next_one_is_whole() {
    let (dir, cache) = three_pages();
    let root = dir.path();
    write_page(root, "content/cases/b.md", "一改", 1991, "调查研究");
    cache
        .files
        .note_changes(Some(vec!["content/cases/b.md".into()]));
    let (early, whole) = served(root, &cache, &|| true);
    assert!(text(&early, "cases/b/index.html").contains("标题一改"));
    assert_eq!(whole, None, "a stale rebuild stops before the whole site");
    write_page(root, "content/cases/c.md", "二改", 1992, "调查研究");
    cache
        .files
        .note_changes(Some(vec!["content/cases/c.md".into()]));
    let (early, whole) = served(root, &cache, &|| false);
    // Both edits since the last whole site come first, then the whole site has both.
    assert_eq!(
        early.keys().collect::<Vec<_>>(),
        ["cases/b/index.html", "cases/c/index.html"]
    );
    assert!(text(&early, "cases/c/index.html").contains("标题一改"));
    let whole = whole.expect("never stale");
    assert!(text(&whole, "cases/index.html").contains("标题一改"));
    assert!(text(&whole, "cases/index.html").contains("标题二改"));
    assert_eq!(whole, outputs(root, None));
}
