//! The repository's own site builds, and every link in it leads somewhere.

use std::path::Path;

use crate::support::*;

/// Every `href="…"` and `src="…"` value in `html`.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let end = rest.find('"').unwrap();
            found.push(rest[..end].replace("&amp;", "&"));
        }
    }
    found
}

/// Checks that every local link of every HTML file resolves to a file, and every
/// `#fragment` to an id in it. Returns the number of links checked.
pub fn check_links(out: &Path) -> usize {
    let files = tree(out);
    let mut broken = Vec::new();
    let mut checked = 0;
    for (name, bytes) in &files {
        if !name.ends_with(".html") || name == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let folder = Path::new(name).parent().unwrap();
        for link in links(&html) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            assert!(
                !link.starts_with('/'),
                "{name}: root-absolute link {link} breaks file://"
            );
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                name.clone()
            } else {
                let joined = folder.join(percent_decode(path));
                let mut parts: Vec<String> = Vec::new();
                for part in joined.components() {
                    match part {
                        std::path::Component::ParentDir => {
                            assert!(
                                parts.pop().is_some(),
                                "{name}: {link} climbs out of the site"
                            );
                        }
                        std::path::Component::Normal(p) => {
                            parts.push(p.to_string_lossy().into_owned())
                        }
                        _ => {}
                    }
                }
                parts.join("/")
            };
            checked += 1;
            let Some(target_bytes) = files.get(&target) else {
                broken.push(format!("{name}: {link} → {target} does not exist"));
                continue;
            };
            if !fragment.is_empty() {
                let id = format!("id=\"{}\"", percent_decode(fragment));
                if !String::from_utf8_lossy(target_bytes).contains(&id) {
                    broken.push(format!("{name}: {link} → no {id} in {target}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

#[test]
fn the_example_site_builds_and_every_internal_link_resolves() {
    let out = temp();
    let stdout = ok(&build(&repo(), out.path(), &[]));
    assert!(stdout.starts_with("Built "), "{stdout}");
    let checked = check_links(out.path());
    assert!(checked > 100, "only {checked} links checked");
    assert!(out.path().join("cases/三进下党/index.html").exists());
}

#[test]
fn the_valid_fixture_links_resolve_too() {
    let out = temp();
    ok(&build(&fixture("valid"), out.path(), &[]));
    check_links(out.path());
}

#[test]
fn the_link_checker_catches_a_broken_link() {
    let out = temp();
    ok(&build(&fixture("valid"), out.path(), &[]));
    std::fs::remove_file(out.path().join("案例/空/index.html")).unwrap();
    let caught = std::panic::catch_unwind(|| check_links(out.path()));
    assert!(caught.is_err(), "a missing target went unnoticed");
}
