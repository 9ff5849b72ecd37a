//! The example site is study material: every page names the works its facts come from
//! (`sources:`), and every timeline event where its date comes from (`source:`).

use std::path::Path;

use serde_json::Value;

use crate::support::*;

/// A non-empty string, or nothing.
fn text(value: &Value) -> Option<&str> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty())
}

/// Every page under `root/content` (section `_index.md` files are not pages) that lists
/// no sources, lists one without a title, or has an event without a source. Returns the
/// problems and the number of pages read.
fn unsourced(root: &Path) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") || path.ends_with("_index.md") {
            continue;
        }
        pages += 1;
        let name = path.strip_prefix(root).unwrap().display().to_string();
        let file = std::fs::read_to_string(path).unwrap().replace("\r\n", "\n");
        let yaml = file
            .trim_start_matches('\u{feff}')
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .map(|(yaml, _)| yaml)
            .unwrap_or_else(|| panic!("{name}: no front matter"));
        let front: Value = serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
        match front["sources"].as_array() {
            Some(list) if !list.is_empty() => {
                for (i, source) in list.iter().enumerate() {
                    if text(&source["title"]).is_none() {
                        problems.push(format!("{name}: source {} has no title", i + 1));
                    }
                }
            }
            _ => problems.push(format!("{name}: no `sources:`")),
        }
        for event in front["events"].as_array().into_iter().flatten() {
            if text(&event["source"]).is_none() {
                let title = event["title"].as_str().unwrap_or("?");
                problems.push(format!("{name}: event `{title}` has no `source:`"));
            }
        }
    }
    (problems, pages)
}

#[test]
fn every_page_of_the_example_site_names_its_sources() {
    let (problems, pages) = unsourced(&repo());
    assert!(pages >= 8, "only {pages} pages found under content/");
    assert!(
        problems.is_empty(),
        "pages whose facts have no source:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_page_or_an_event_without_a_source_is_caught() {
    let dir = temp();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    let page = dir.path().join("content/cases/三进下党.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let (front, body) = text.split_once("\nsources:\n").unwrap();
    let body = &body[body.find("\n---\n").unwrap()..];
    let front = front.replacen(
        "    source: \"《习近平在宁德》采访实录（引连德仁工作日记）\"\n",
        "",
        1,
    );
    std::fs::write(&page, format!("{front}{body}")).unwrap();
    let (problems, _) = unsourced(dir.path());
    let problems: Vec<&String> = problems
        .iter()
        .filter(|p| p.starts_with("content/cases/三进下党.md"))
        .collect();
    assert_eq!(
        problems,
        [
            "content/cases/三进下党.md: no `sources:`",
            "content/cases/三进下党.md: event `第一次进下党` has no `source:`",
        ],
    );
}

#[test]
fn the_example_site_passes_check_without_a_warning() {
    let output = casebook()
        .arg("check")
        .arg("--root")
        .arg(repo())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.trim_end().ends_with(": 0 errors, 0 warnings"),
        "{stdout}"
    );
}
