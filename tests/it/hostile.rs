//! Hostile input: links out of the site, pipes, huge files, control characters, URLs
//! that run script. Each case ends with a clear exit code and message, never a hang, a
//! panic or a file from outside the site in the output.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use crate::support::*;

/// A small site: site.toml (plus `extra_toml`) and one page.
fn small_site(extra_toml: &str) -> tempfile::TempDir {
    let site = temp();
    std::fs::write(
        site.path().join("site.toml"),
        format!("title = \"站\"\n{extra_toml}"),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("content/cases")).unwrap();
    std::fs::write(
        site.path().join("content/cases/a.md"),
        "---\ntitle: 甲\n---\n正文\n",
    )
    .unwrap();
    site
}

/// Builds with a time limit: a hang is a failure, not a stuck test run.
fn build_within(site: &Path, out: &Path, limit: Duration) -> Output {
    let mut child = casebook()
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("the build hung for {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn links_out_of_the_site_are_left_out_with_a_warning() {
    let site = small_site("");
    let secret = temp();
    std::fs::write(secret.path().join("passwd"), "root:x:0:0").unwrap();
    std::fs::create_dir(secret.path().join("dir")).unwrap();
    std::fs::write(secret.path().join("dir/page.md"), "---\ntitle: 外\n---\n").unwrap();
    let cases = site.path().join("content/cases");
    std::os::unix::fs::symlink(secret.path().join("passwd"), cases.join("passwd.txt")).unwrap();
    std::os::unix::fs::symlink(secret.path().join("dir"), cases.join("outside")).unwrap();
    std::fs::create_dir(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink(
        secret.path().join("passwd"),
        site.path().join("static/p.txt"),
    )
    .unwrap();
    // Links that stay inside the site are fine.
    std::fs::create_dir(site.path().join("drafts")).unwrap();
    std::fs::write(site.path().join("drafts/b.md"), "---\ntitle: 乙\n---\n").unwrap();
    std::os::unix::fs::symlink("../../drafts/b.md", cases.join("b.md")).unwrap();
    let out = temp();
    let built = build_within(site.path(), out.path(), Duration::from_secs(30));
    ok(&built);
    let warnings = stderr(&built);
    for link in [
        "content/cases/passwd.txt",
        "content/cases/outside",
        "static/p.txt",
    ] {
        assert!(
            warnings.contains(&format!("{link}: warning: is a symbolic link to")),
            "{link}: {warnings}"
        );
    }
    let all = tree(out.path());
    assert!(
        all.values()
            .all(|bytes| !bytes.windows(10).any(|w| w == b"root:x:0:0"))
    );
    assert!(!out.path().join("cases/passwd.txt").exists());
    assert!(!out.path().join("cases/outside").exists());
    assert!(
        out.path().join("cases/b/index.html").is_file(),
        "inside link lost"
    );
}

#[test]
fn pipes_are_skipped_never_read() {
    let site = small_site("");
    for name in ["content/cases/pipe.md", "content/cases/pipe.txt"] {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            site.path().join(name),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
    }
    std::os::unix::fs::symlink("/dev/zero", site.path().join("content/cases/zero.md")).unwrap();
    let out = temp();
    let built = build_within(site.path(), out.path(), Duration::from_secs(30));
    ok(&built);
    let warnings = stderr(&built);
    assert!(
        warnings.contains("content/cases/pipe.md: warning: is not a regular file"),
        "{warnings}"
    );
    assert!(warnings.contains("content/cases/zero.md"), "{warnings}");
}

#[test]
fn files_over_the_size_cap_are_errors_naming_the_file() {
    let site = small_site("[limits]\nfile_size_mb = 1\n");
    let big = format!("---\ntitle: 大\n---\n{}", "字".repeat(400_000));
    std::fs::write(site.path().join("content/cases/big.md"), big).unwrap();
    std::fs::write(
        site.path().join("content/cases/big.bin"),
        vec![0u8; 2 << 20],
    )
    .unwrap();
    let out = temp();
    let stderr = fails_with(&build(site.path(), out.path(), &[]), 1);
    for file in ["content/cases/big.md", "content/cases/big.bin"] {
        assert!(
            stderr.contains(&format!("{file}: error: the file is"))
                && stderr.contains("file_size_mb"),
            "{file}: {stderr}"
        );
    }
    assert!(tree(out.path()).is_empty());
}

#[test]
fn control_characters_in_file_names_are_errors() {
    let site = small_site("");
    std::fs::create_dir_all(site.path().join("content/cases/bundle")).unwrap();
    std::fs::write(
        site.path().join("content/cases/bundle/index.md"),
        "---\ntitle: 丙\n---\n",
    )
    .unwrap();
    std::fs::write(site.path().join("content/cases/bundle/a\nb.png"), "png").unwrap();
    let out = temp();
    let stderr = fails_with(&build(site.path(), out.path(), &[]), 1);
    assert!(
        stderr.contains("a\\nb.png") && stderr.contains("control character"),
        "{stderr}"
    );
}

#[test]
fn themes_come_from_inside_the_site_unless_named_explicitly() {
    let outside = temp();
    std::fs::create_dir_all(outside.path().join("static")).unwrap();
    std::fs::write(outside.path().join("static/leak.txt"), "leak").unwrap();
    for theme in ["../x", "/etc", "a/b", ".."] {
        let site = small_site(&format!("theme = \"{theme}\"\n"));
        let stderr = fails_with(&build(site.path(), &site.path().join("public"), &[]), 1);
        assert!(stderr.contains("theme_dir"), "{theme}: {stderr}");
    }
    let site = small_site("theme = \"linked\"\n");
    std::fs::create_dir(site.path().join("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("themes/linked")).unwrap();
    let stderr = fails_with(&build(site.path(), &site.path().join("public"), &[]), 1);
    assert!(stderr.contains("leads outside the site"), "{stderr}");
    // Said explicitly, it is used.
    let site = small_site(&format!("theme_dir = {:?}\n", outside.path()));
    let out = site.path().join("public");
    ok(&build(site.path(), &out, &[]));
    assert_eq!(read(&out, "leak.txt"), "leak");
    // And that theme folder is never the output.
    fails_with(&build(site.path(), outside.path(), &[]), 2);
}

#[test]
fn control_characters_in_sources_are_errors_at_their_line() {
    let site = small_site("");
    std::fs::write(
        site.path().join("content/cases/nul.md"),
        "---\ntitle: 甲\n---\n第一行\n第二\0行\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/cases/front.md"),
        "---\ntitle: 乙\u{1b}[31m\n---\n",
    )
    .unwrap();
    let out = temp();
    let stderr = fails_with(&build(site.path(), out.path(), &[]), 1);
    assert!(
        stderr.contains("content/cases/nul.md:5:3: error: holds the control character U+0000"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/cases/front.md:2:9: error: holds the control character U+001B"),
        "{stderr}"
    );
    // A YAML escape still never reaches the HTML raw.
    std::fs::remove_file(site.path().join("content/cases/nul.md")).unwrap();
    std::fs::write(
        site.path().join("content/cases/front.md"),
        "---\ntitle: \"乙\\0丙\"\nsummary: \"a\\x07b\"\n---\n",
    )
    .unwrap();
    ok(&build(site.path(), out.path(), &[]));
    for (path, bytes) in tree(out.path()) {
        assert!(
            !bytes.iter().any(|&b| b == 0 || b == 7),
            "{path} holds a control byte"
        );
    }
    assert!(read(out.path(), "cases/front/index.html").contains("乙丙"));
}

#[test]
fn lesson_minutes_that_overflow_are_an_error() {
    let site = small_site("");
    std::fs::write(
        site.path().join("content/cases/lesson.md"),
        "---\ntitle: 课\nlesson:\n  duration: 0\n  schedule:\n    - {minutes: 4294967295, title: a}\n    - {minutes: 1, title: b}\n---\n",
    )
    .unwrap();
    let stderr = fails_with(&build(site.path(), &site.path().join("public"), &[]), 1);
    assert!(
        stderr.contains(
            "content/cases/lesson.md:3: error: the lesson's schedule adds up to more minutes"
        ),
        "{stderr}"
    );
}

#[test]
fn every_output_has_one_writer_and_clashes_name_both_sources() {
    let site = small_site("");
    let search_file = {
        let out = temp();
        ok(&build(site.path(), out.path(), &[]));
        let mut names: Vec<String> = tree(out.path())
            .into_keys()
            .filter(|n| n.starts_with("search/") && n.ends_with(".js") && n != "search/meta.js")
            .collect();
        names.sort();
        names.remove(0)
    };
    let cases: &[(&str, &str, &[&str])] = &[
        (
            &format!("static/{search_file}"),
            "x",
            &["the search index", "static/search"],
        ),
        (
            "content/cases/b.md",
            "---\ntitle: 乙\nslug: index.html\n---\n",
            &["content/cases/b.md"],
        ),
        (
            "content/robots.txt.md",
            "---\ntitle: r\n---\n",
            &["content/robots.txt.md"],
        ),
        (
            "content/cases/c.md",
            "---\ntitle: 丙\naliases: [/style.css]\n---\n",
            &["content/cases/c.md", "style.css"],
        ),
        (
            "static/cases",
            "a file where a folder must be",
            &["static/cases", "content/cases"],
        ),
    ];
    for (file, text, named) in cases {
        let site = small_site("");
        let path = site.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let out = temp();
        let stderr = fails_with(&build(site.path(), out.path(), &[]), 1);
        for name in *named {
            assert!(
                stderr.contains(name),
                "{file}: {name} not named in {stderr}"
            );
        }
        assert!(!stderr.contains("casebook-staging"), "{stderr}");
        assert!(tree(out.path()).is_empty());
    }
}

#[test]
fn front_matter_urls_take_only_safe_schemes() {
    let site = small_site("");
    std::fs::write(
        site.path().join("content/cases/x.md"),
        "---\ntitle: 乙\nsources:\n  - {title: 好, url: \"https://a.cn/\"}\n  - {title: 坏, url: \"javascript:alert(1)\"}\nlesson:\n  duration: 5\n  materials:\n    - {title: 坏, url: \" JaVaScRiPt:alert(2)\"}\n    - {title: 好, url: \"@/cases/a.md\"}\n---\n",
    )
    .unwrap();
    let stderr = fails_with(&build(site.path(), &site.path().join("public"), &[]), 1);
    assert!(
        stderr.contains("content/cases/x.md:5: error: `sources` url `javascript:alert(1)`: `javascript:` links are not allowed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/cases/x.md:9: error: `lesson.materials` url"),
        "{stderr}"
    );
}

#[test]
fn every_page_carries_a_content_security_policy_unless_switched_off() {
    let site = small_site("");
    let out = temp();
    ok(&build(site.path(), out.path(), &[]));
    for (path, bytes) in tree(out.path()) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap().replace("&#39;", "'");
            assert!(
                html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';")
                    && html.contains("object-src 'none'; base-uri 'none'")
                    && !html.contains("unsafe-inline"),
                "{path}"
            );
        }
    }
    let site = small_site("content_security_policy = false\n");
    let out = temp();
    ok(&build(site.path(), out.path(), &[]));
    assert!(!read(out.path(), "index.html").contains("Content-Security-Policy"));
    let site = small_site(
        "content_security_policy = \"default-src 'self'; frame-src https://player.example\"\n",
    );
    let out = temp();
    ok(&build(site.path(), out.path(), &[]));
    assert!(read(out.path(), "index.html").contains("frame-src https://player.example"));
}

#[test]
fn raw_html_can_be_escaped() {
    let body = "---\ntitle: 甲\n---\n## 标题 {#h onclick=alert(1)}\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onmouseover=x>b</b>\n";
    let site = small_site("");
    std::fs::write(site.path().join("content/cases/a.md"), body).unwrap();
    let out = temp();
    ok(&build(site.path(), out.path(), &[]));
    assert!(read(out.path(), "cases/a/index.html").contains("<script>alert(1)</script>"));
    let site = small_site("[markdown]\nraw_html = \"escape\"\n");
    std::fs::write(site.path().join("content/cases/a.md"), body).unwrap();
    let out = temp();
    ok(&build(site.path(), out.path(), &[]));
    let html = read(out.path(), "cases/a/index.html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        !html.contains("<script>alert")
            && !html.contains("onclick")
            && !html.contains("<b onmouseover")
    );
    assert!(!html.contains("href=\"javascript:"), "{html}");
    assert!(html.contains("id=\"h\""));
}

#[test]
fn text_that_looks_like_casebook_markup_stays_text() {
    let site = small_site("");
    std::fs::write(
        site.path().join("content/cases/b.md"),
        concat!(
            "---\ntitle: 乙\n---\n",
            "见[甲](@/cases/a.md)。写法 casebook:link:0 与 <!--casebook:image:0--> 是字。\n\n",
            "[像占位的链接](casebook:link:0)\n\n",
            "![图](/x.svg)\n",
        ),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(
        site.path().join("static/x.svg"),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let out = site.path().join("public");
    ok(&build(site.path(), &out, &["-q"]));
    let page = read(&out, "cases/b/index.html");
    assert!(
        page.contains("写法 casebook:link:0 与 <!--casebook:image:0--> 是字"),
        "{page}"
    );
    assert!(page.contains("href=\"casebook:link:0\""), "{page}");
    assert!(
        page.contains("<a href=\"../../cases/a/index.html\">甲</a>"),
        "{page}"
    );
    assert!(!page.contains('\u{1}'), "{page}");
}
