//! `casebook check`: every kind of problem found, located, counted; a clean site passes.

use crate::support::*;

fn check(root: &std::path::Path, extra: &[&str]) -> std::process::Output {
    casebook()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn problems_are_found_with_file_and_line_and_exit_1() {
    let output = check(&fixture("check_problems"), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "content/a.md:10:7: error: `missing.png` links to a file that is not in the site"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("content/a.md:12:10: error: `../nowhere/` links to"),
        "{stdout}"
    );
    assert!(
        stdout.contains("content/a.md:4: warning: event `无出处的事件` has no `source:`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("content/a.md: warning: gives dates but no `sources:`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("content/a.md:14:4: warning: shows a literal `**`"),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("2 errors, 3 warnings"),
        "{stdout}"
    );
    assert!(
        !fixture("check_problems").join("public").exists(),
        "check wrote files"
    );
}

#[test]
fn json_output_is_for_tools() {
    let output = check(&fixture("check_problems"), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"].as_array().unwrap().len(), 2);
    assert_eq!(report["errors"][0]["line"], 10);
    assert_eq!(report["errors"][1]["line"], 12);
    assert_eq!(report["warnings"][0]["file"], "content/a.md");
}

#[test]
fn front_matter_problems_are_reported_by_check_too() {
    let output = check(&fixture("invalid/unknown_key"), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("content/a.md:3: error: unknown field `tag`, did you mean `tags`?")
    );
}

#[test]
fn a_clean_site_passes_with_a_one_line_summary() {
    let output = check(&fixture("timeline"), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("Checked 5 pages and "),
        "{stdout}"
    );
    // The example site has no errors either.
    let output = check(&repo(), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn body_links_are_reported_as_written_at_their_line_and_column() {
    // The words of the links also stand earlier in the file, where a search by
    // substring would have pointed; the code block holds what is only text.
    let site = site_of(&[
        ("site.toml", "title = \"站\"\n"),
        (
            "content/a.md",
            concat!(
                "---\ntitle: 甲\nsummary: 讲 nowhere 和 pptrconsole.com 的故事\n---\n\n",
                "见[链接](/nowhere/)和 [外](pptrconsole.com)。\n\n",
                "```\n[x](/nowhere/) href=\"/elsewhere/\" **\n```\n",
            ),
        ),
    ]);
    let output = check(site.path(), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("content/a.md:6:7: error: `/nowhere/` links to"),
        "{stdout}"
    );
    assert!(
        stdout.contains("content/a.md:6:23: error: `pptrconsole.com`"),
        "{stdout}"
    );
    assert!(!stdout.contains("elsewhere"), "{stdout}");
    assert!(!stdout.contains("literal `**`"), "{stdout}");
    assert!(stdout.contains(" 2 errors"), "{stdout}");
}

#[test]
fn an_id_shown_in_text_or_code_is_no_anchor() {
    // Each id stands in the page's HTML as written, but only as text: in a code
    // block, in a paragraph and in a comment.
    let site = site_of(&[
        ("site.toml", "title = \"站\"\n"),
        (
            "content/a.md",
            concat!(
                "---\ntitle: 甲\nsummary: 锚点\n---\n\n",
                "跳到[代码](#x)、[正文](#y)和[注释](#z)。\n\n",
                "```html\n<a id=\"x\">\n```\n\n",
                "正文里写着 id=\"y\" 而已。\n\n",
                "<!-- <a id=\"z\"> -->\n",
            ),
        ),
    ]);
    let output = check(site.path(), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    for (column, id) in [(8, "x"), (17, "y"), (26, "z")] {
        assert!(
            stdout.contains(&format!(
                "content/a.md:6:{column}: error: `#{id}` points to `#{id}`"
            )),
            "{stdout}"
        );
    }
    assert!(stdout.contains(" 3 errors"), "{stdout}");
}

#[test]
fn a_section_introduction_with_a_literal_double_star_is_warned_about() {
    let site = site_of(&[
        ("site.toml", "title = \"站\"\n"),
        (
            "content/cases/_index.md",
            "---\ntitle: 案例\n---\n\n栏目导语。\n\n这里的**星号没有配对\n",
        ),
        (
            "content/cases/a.md",
            "---\ntitle: 甲\nsummary: 一页\n---\n\n正文。\n",
        ),
    ]);
    let output = check(site.path(), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("content/cases/_index.md:7:4: warning: shows a literal `**`"),
        "{stdout}"
    );
    assert!(stdout.contains(" 1 warning"), "{stdout}");
}
