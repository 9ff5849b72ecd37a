//! Properties over generated input: whatever slugs, aliases and file names a site holds,
//! every file the build writes lies inside the output folder; whatever its front matter
//! and Markdown say, the build ends with an exit code and a message, never a panic.

use std::path::Path;

use proptest::prelude::*;

use crate::support::*;

/// Pieces that have broken path handling somewhere: separators, dots, encodings of
/// both, Windows forms, control characters, Chinese and combining marks.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("..".to_owned()),
        1 => Just(".".to_owned()),
        4 => Just("/".to_owned()),
        2 => Just("\\".to_owned()),
        1 => Just("%2e%2e".to_owned()),
        1 => Just("%2F".to_owned()),
        1 => Just("C:".to_owned()),
        1 => Just("~".to_owned()),
        1 => Just("\u{0}".to_owned()),
        1 => Just("\n".to_owned()),
        1 => Just("index.html".to_owned()),
        1 => Just("search".to_owned()),
        1 => Just("下党".to_owned()),
        1 => Just("e\u{301}".to_owned()),
        1 => "[a-z]{1,4}",
    ]
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_piece(), 1..8).prop_map(|parts| parts.concat())
}

/// Every file under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap();
            found.push(relative.to_string_lossy().into_owned());
        }
    }
    found.sort();
    found
}

/// A YAML string, quoted so that any text stays one value.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

proptest! {
    // A failing case is printed in full; nothing is saved into the source tree.
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn nothing_is_written_outside_the_output(
        slug in hostile_string(),
        alias in hostile_string(),
        folder in "[a-z下党][a-z下党.]{0,5}",
    ) {
        // The site sits deep in the temporary folder, so that a path climbing out of the
        // output (at most 7 `..` a string) still lands where this test looks.
        let work = temp();
        let deep = (0..16).fold(work.path().to_path_buf(), |p, n| p.join(format!("d{n}")));
        let site = deep.join("site");
        let content = site.join("content").join(&folder);
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(site.join("site.toml"), "title = \"站\"\n").unwrap();
        std::fs::write(
            content.join("a.md"),
            format!("---\ntitle: 甲\nslug: {}\naliases: [{}]\n---\n正文\n", quoted(&slug), quoted(&alias)),
        )
        .unwrap();
        let before = files_under(work.path());
        let out = deep.join("public");
        let result = build(&site, &out, &[]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        prop_assert!(matches!(result.status.code(), Some(0 | 1)), "{}", stderr);
        // New files appear only in the output (and the build's spare beside it).
        let inside = deep.strip_prefix(work.path()).unwrap().to_string_lossy().into_owned();
        for file in files_under(work.path()) {
            let made_by_build = file.starts_with(&format!("{inside}/public/"))
                || file.starts_with(&format!("{inside}/.public."));
            prop_assert!(made_by_build || before.contains(&file), "{} was written", file);
        }
    }

    #[test]
    fn any_front_matter_and_markdown_end_in_an_exit_code(
        front in prop::collection::vec(
            prop_oneof![
                Just("title: 甲\n".to_owned()),
                Just("date: ".to_owned()),
                Just("events:\n  - ".to_owned()),
                Just("{date: 1989-07, title: 乙}\n".to_owned()),
                Just("lesson: {schedule: [{minutes: 4294967295, title: 一}, {minutes: 9, title: 二}]}\n".to_owned()),
                Just("quiz: [{type: single, question: 问, options: [a], answer: Z}]\n".to_owned()),
                Just("tags: [a，b]\n".to_owned()),
                Just("&a [*a]\n".to_owned()),
                Just("\t".to_owned()),
                Just("：".to_owned()),
                Just("\"".to_owned()),
                "[a-z: \\-\\[\\]{},\n]{0,12}",
            ],
            0..8,
        ),
        body in prop::collection::vec(
            prop_oneof![
                Just("**强调：**".to_owned()),
                Just("[链接](@/missing.md#x)".to_owned()),
                Just("## 标题 {#id onclick=x}\n".to_owned()),
                Just("```\n".to_owned()),
                Just("<script>x</script>".to_owned()),
                Just("[^1]\n\n[^1]: 注\n".to_owned()),
                Just("| a | b |\n|---|---|\n".to_owned()),
                Just("> [!NOTE]\n".to_owned()),
                Just("\u{0}".to_owned()),
                "[一-龥a-z*_`#\\[\\]()\n ]{0,20}",
            ],
            0..10,
        ),
    ) {
        let work = temp();
        let site = work.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::fs::write(site.join("site.toml"), "title = \"站\"\n").unwrap();
        std::fs::write(
            site.join("content/a.md"),
            format!("---\n{}\n---\n{}\n", front.concat(), body.concat()),
        )
        .unwrap();
        let result = build(&site, &work.path().join("public"), &[]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        prop_assert!(matches!(result.status.code(), Some(0 | 1)), "{}", stderr);
        if result.status.code() == Some(1) {
            prop_assert!(stderr.contains("a.md"), "the message names the file: {}", stderr);
        }
    }
}
