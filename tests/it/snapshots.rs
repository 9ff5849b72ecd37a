//! Snapshots of the HTML that bodies become (insta): the `<main>` of a few fixture
//! pages, so that a change to Markdown rendering or link resolution shows its effect on
//! output as a reviewable diff. Accept a reviewed change with `cargo insta review`.

use crate::support::*;

/// The `<main>` element of an output page, one trimmed line per line, blank lines
/// dropped: what a body became, without the theme's indentation.
fn main_of(out: &std::path::Path, path: &str) -> String {
    let html = read(out, path);
    let start = html
        .find("<main")
        .unwrap_or_else(|| panic!("{path}: no <main>"));
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e + 7);
    html[start..end]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn bodies_render_as_before() {
    let site = temp();
    copy_tree(&fixture("snapshots"), site.path());
    let out = site.path().join("public");
    ok(&build(site.path(), &out, &["-q"]));
    for (name, path) in [
        // Bold beside full-width punctuation, a bundle picture, footnotes, a callout,
        // and a code block holding what looks like bold and links.
        ("bundle_case", "cases/三进下党/index.html"),
        // `@/` links with anchors, relative `.md` links, raw HTML and a web link.
        ("internal_links", "cases/霞浦/index.html"),
        // A section's introduction, and the summaries it lists.
        ("section", "cases/index.html"),
        // A lesson with materials.
        ("lesson", "lessons/党课/index.html"),
    ] {
        insta::assert_snapshot!(name, main_of(&out, path));
    }
}
