//! Invalid fixtures: each build fails with exit code 1 and a message that names the
//! file, the line and the cause — and writes nothing.

use crate::support::*;

/// (fixture, expected location, words of the cause)
const CASES: &[(&str, &str, &str)] = &[
    ("malformed_yaml", "content/a.md:3:", "unclosed bracket"),
    (
        "unknown_key",
        "content/a.md:3:",
        "unknown field `tag`, did you mean `tags`?",
    ),
    ("missing_title", "content/a.md:2:", "missing field `title`"),
    (
        "wrong_type",
        "content/a.md:4:",
        "`tags` must be a list of names",
    ),
    ("invalid_date", "content/a.md:3:", "has month 13"),
    (
        "invalid_date",
        "content/b.md:4:",
        "1989, 1989-07 or 1989-07-19",
    ),
    (
        "end_before_start",
        "content/a.md:4:",
        "is before the start date",
    ),
    (
        "duplicate_output",
        "content/b.md:",
        "which `content/a.md` also writes",
    ),
    (
        "broken_link",
        "content/a.md:5:",
        "`b.md` has no heading `#nowhere`",
    ),
    ("broken_link", "content/a.md:7:", "no page `missing.md`"),
    (
        "missing_template",
        "content/a.md:3:",
        "template `special.html` not found",
    ),
    ("template_syntax", "templates/page.html:4:", "expected }}"),
    (
        "template_runtime",
        "templates/page.html:4:12:",
        "`titel` is not defined. Available fields: content, date",
    ),
    (
        "template_runtime",
        "templates/page.html:4:12:",
        "(while rendering content/a.md)",
    ),
    ("non_utf8", "content/a.md:4:", "not valid UTF-8"),
    (
        "bad_slug",
        "content/a.md:3:",
        "slug `../../x` is not allowed",
    ),
    ("no_front_matter", "content/a.md:1:", "no front matter"),
    ("yaml_bomb", "content/a.md:", "too many values"),
    ("deep_nesting", "content/a.md:3:", "nests too deeply"),
    (
        "event_without_title",
        "content/a.md:5:",
        "missing field `title`",
    ),
    ("event_bad_date", "content/a.md:4:", "a range is 1988/1990"),
    (
        "event_missing_anchor",
        "content/a.md:6:",
        "event anchor `nowhere`",
    ),
    ("event_feb_30", "content/a.md:4:", "has days 01 to 28"),
    (
        "bad_published",
        "content/a.md:3:",
        "`published`: `2024-02-30` has day 30",
    ),
    (
        "bad_published",
        "content/b.md:4:",
        "`updated` (2023-12) is before `published` (2024-03-05)",
    ),
    (
        "quiz_bad_answer",
        "content/a.md:4:",
        "quiz answer `D` is not among the options",
    ),
];

#[test]
fn each_invalid_fixture_names_file_line_and_cause() {
    let mut failures = Vec::new();
    for (name, location, cause) in CASES {
        let out = temp();
        let output = build(
            &fixture(&format!("invalid/{name}")),
            &out.path().join("public"),
            &[],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        let found = stderr.lines().any(|line| {
            line.starts_with(location) && line.contains(": error: ") && line.contains(cause)
        });
        if output.status.code() != Some(1) || !found {
            failures.push(format!(
                "{name}: want `{location} … {cause}`, exit 1; got {:?}:\n{stderr}",
                output.status.code()
            ));
        }
        assert!(
            !out.path().join("public").exists(),
            "{name} wrote an output folder"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn yaml_bombs_fail_fast() {
    for name in ["yaml_bomb", "deep_nesting"] {
        let out = temp();
        let started = std::time::Instant::now();
        let output = build(
            &fixture(&format!("invalid/{name}")),
            &out.path().join("public"),
            &[],
        );
        fails_with(&output, 1);
        // A generous bound: the point is that it does not hang or expand the bomb.
        assert!(
            started.elapsed().as_secs() < 10,
            "{name} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn all_problems_of_a_build_are_reported_together() {
    let site = temp();
    copy_tree(&fixture("invalid/invalid_date"), site.path());
    copy_tree(
        &fixture("invalid/unknown_key/content"),
        &site.path().join("content"),
    );
    let stderr = fails_with(&build(site.path(), &site.path().join("public"), &[]), 1);
    assert!(
        stderr.contains("content/a.md:3: error: unknown field `tag`")
            || stderr.contains("content/a.md:3: error: `1989-13-01`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/b.md:4:"), "{stderr}");
    assert!(stderr.trim_end().ends_with("2 problems found"), "{stderr}");
}

/// Files that differ only in case, or only in Unicode normalisation, would overwrite
/// each other on many disks: the build names both.
#[test]
fn case_and_normalisation_twins_are_duplicates() {
    for (first, second) in [("Foo.md", "foo.md"), ("caf\u{e9}.md", "cafe\u{301}.md")] {
        let site = temp();
        std::fs::write(site.path().join("site.toml"), "title = \"t\"\n").unwrap();
        let content = site.path().join("content");
        std::fs::create_dir(&content).unwrap();
        std::fs::write(content.join(first), "---\ntitle: 一\n---\n").unwrap();
        std::fs::write(content.join(second), "---\ntitle: 二\n---\n").unwrap();
        if std::fs::read_dir(&content).unwrap().count() < 2 {
            continue; // this file system folds the names itself
        }
        let stderr = fails_with(&build(site.path(), &site.path().join("public"), &[]), 1);
        let named = |name: &str| stderr.contains(&format!("content/{name}"));
        assert!(
            named(first) && named(second) && stderr.contains("share one URL"),
            "{first} / {second}: {stderr}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let output = casebook()
        .arg("build")
        .arg("--no-such-flag")
        .output()
        .unwrap();
    fails_with(&output, 2);
    let output = casebook().arg("frobnicate").output().unwrap();
    fails_with(&output, 2);
    let empty = temp();
    let output = casebook()
        .args(["build", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert!(fails_with(&output, 2).contains("holds no site.toml"));
}
