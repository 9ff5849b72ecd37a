//! Two kinds of date: `date` (what the material tells of) orders sections and the
//! timeline; `published`/`updated`, else the file's last commit, order the feed, the
//! sitemap's `lastmod` and the home page's 最新材料.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::*;

/// Runs git in `dir` as a fixed author at `time`, untouched by the machine's git config.
fn git(dir: &Path, time: &str, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=测试", "-c", "user.email=test@example.org"])
        .args(["-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_AUTHOR_DATE", time)
        .env("GIT_COMMITTER_DATE", time)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(Stdio::null())
        .status()
        .expect("git runs (the tests need git)");
    assert!(status.success(), "git {args:?} failed");
}

/// Commits what changed in `paths` at `time`.
fn commit(root: &Path, time: &str, paths: &[&str]) {
    let mut add = vec!["add", "--"];
    add.extend(paths);
    git(root, time, &add);
    git(root, time, &["commit", "-q", "--no-gpg-sign", "-m", time]);
}

fn append(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    let mut body = std::fs::read_to_string(&path).unwrap();
    body += text;
    std::fs::write(path, body).unwrap();
}

/// The dates fixture in a fresh git repository with a known history:
///
/// | file | commits (last one counts) | front matter |
/// | --- | --- | --- |
/// | 三进下党 | 2024-01-10, 2024-05-01T10:00+08:00 | — |
/// | 七下晋江 | 2024-01-10, 2024-03-01T12:00+08:00 | — |
/// | 改名 | as 旧名 2024-01-10, renamed 2024-04-01T08:30Z | — |
/// | 霞浦接待日 | 2024-01-10, 2024-06-01 | published 2023-06-01 |
/// | 新案例 | 2024-01-10, 2024-07-01 | published 2024-02-01, updated 2024-06-15 |
/// | 说明 | never committed | — |
fn site_in_git() -> tempfile::TempDir {
    let dir = temp();
    let root = dir.path();
    copy_tree(&fixture("dates"), root);
    let cases = root.join("content/cases");
    std::fs::rename(cases.join("改名.md"), cases.join("旧名.md")).unwrap();
    git(root, "2024-01-10T09:00:00+08:00", &["init", "-q"]);
    commit(
        root,
        "2024-01-10T09:00:00+08:00",
        &["site.toml", "content/_index.md", "content/cases"],
    );
    append(root, "content/cases/七下晋江.md", "\n补充。\n");
    commit(root, "2024-03-01T12:00:00+08:00", &["content/cases"]);
    git(
        root,
        "2024-04-01T08:30:00Z",
        &["mv", "content/cases/旧名.md", "content/cases/改名.md"],
    );
    git(
        root,
        "2024-04-01T08:30:00Z",
        &["commit", "-q", "--no-gpg-sign", "-m", "rename"],
    );
    append(root, "content/cases/三进下党.md", "\n补充。\n");
    commit(root, "2024-05-01T10:00:00+08:00", &["content/cases"]);
    append(root, "content/cases/霞浦接待日.md", "\n补充。\n");
    commit(root, "2024-06-01T10:00:00+08:00", &["content/cases"]);
    append(root, "content/cases/新案例.md", "\n补充。\n");
    commit(root, "2024-07-01T10:00:00+08:00", &["content/cases"]);
    dir
}

/// The same site with no repository anywhere above it that git would find.
fn site_without_git() -> tempfile::TempDir {
    let dir = temp();
    copy_tree(&fixture("dates"), dir.path());
    dir
}

/// Builds `root` with git unable to look above it.
fn build_alone(root: &Path, out: &Path, path: Option<&Path>) {
    let mut command = casebook();
    command
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("GIT_CEILING_DIRECTORIES", root.parent().unwrap());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    ok(&command.output().expect("casebook runs"));
}

/// Each feed entry's title, `<published>` (if any) and `<updated>`, in order; and the
/// feed's own `<updated>`.
fn feed_entries(out: &Path) -> (String, Vec<(String, Option<String>, String)>) {
    let feed = read(out, "atom.xml");
    let between = |text: &str, open: &str, close: &str| {
        let start = text.find(open)? + open.len();
        Some(text[start..start + text[start..].find(close)?].to_owned())
    };
    let mut parts = feed.split("<entry>");
    let head = parts.next().unwrap();
    let entries = parts
        .map(|entry| {
            (
                between(entry, "<title>", "</title>").unwrap(),
                between(entry, "<published>", "</published>"),
                between(entry, "<updated>", "</updated>").unwrap(),
            )
        })
        .collect();
    (between(head, "<updated>", "</updated>").unwrap(), entries)
}

/// `<lastmod>` of each URL of the sitemap, by decoded path.
fn lastmods(out: &Path) -> BTreeMap<String, Option<String>> {
    read(out, "sitemap.xml")
        .lines()
        .filter_map(|line| {
            let loc = line.split("<loc>").nth(1)?.split("</loc>").next()?;
            let path = percent_decode(loc.trim_start_matches("https://study.example.org"));
            let lastmod = line
                .split("<lastmod>")
                .nth(1)
                .and_then(|rest| rest.split("</lastmod>").next())
                .map(str::to_owned);
            Some((path, lastmod))
        })
        .collect()
}

/// The card titles of a list, in order: the 最新材料 block of the home page, or a whole
/// section page.
fn card_titles(html: &str) -> Vec<String> {
    html.split("class=\"card-title\"><a href=\"")
        .skip(1)
        .map(|rest| {
            let text = &rest[rest.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].to_owned()
        })
        .collect()
}

fn latest_titles(out: &Path) -> Vec<String> {
    let home = read(out, "index.html");
    let Some(start) = home.find("id=\"latest-title\"") else {
        return Vec::new();
    };
    let block = &home[start..];
    card_titles(&block[..block.find("</section>").unwrap()])
}

fn entry(title: &str, published: Option<&str>, updated: &str) -> (String, Option<String>, String) {
    (
        title.to_owned(),
        published.map(str::to_owned),
        updated.to_owned(),
    )
}

#[test]
fn feed_sitemap_and_home_go_by_publication_from_git_and_front_matter() {
    let site = site_in_git();
    let out = temp();
    build_alone(site.path(), out.path(), None);

    let (updated, entries) = feed_entries(out.path());
    assert_eq!(updated, "2024-06-15T00:00:00Z", "the newest entry's");
    assert_eq!(
        entries,
        [
            // Written dates win over the later commit of 2024-07-01.
            entry(
                "新案例",
                Some("2024-02-01T00:00:00Z"),
                "2024-06-15T00:00:00Z"
            ),
            entry(
                "三进下党",
                Some("2024-05-01T10:00:00+08:00"),
                "2024-05-01T10:00:00+08:00"
            ),
            // The rename is the file's last commit under its present name.
            entry(
                "改名的案例",
                Some("2024-04-01T08:30:00Z"),
                "2024-04-01T08:30:00Z"
            ),
            entry(
                "七下晋江",
                Some("2024-03-01T12:00:00+08:00"),
                "2024-03-01T12:00:00+08:00"
            ),
            // `published` overrides its commit of 2024-06-01.
            entry(
                "霞浦接待日",
                Some("2023-06-01T00:00:00Z"),
                "2023-06-01T00:00:00Z"
            ),
            // Never committed, no dates: last, with Atom's required `updated` unknown.
            entry("说明", None, "1970-01-01T00:00:00Z"),
        ]
    );

    let lastmod = lastmods(out.path());
    let at = |path: &str| lastmod[path].as_deref();
    assert_eq!(at("/cases/三进下党/"), Some("2024-05-01T10:00:00+08:00"));
    assert_eq!(at("/cases/霞浦接待日/"), Some("2023-06-01"));
    assert_eq!(at("/cases/新案例/"), Some("2024-06-15"));
    assert_eq!(at("/articles/说明/"), None);
    assert_eq!(
        at("/cases/"),
        Some("2024-06-15"),
        "a section: its newest page"
    );
    assert_eq!(at("/"), Some("2024-06-15"));
    assert_eq!(at("/tags/四下基层/"), Some("2024-05-01T10:00:00+08:00"));

    assert_eq!(
        latest_titles(out.path()),
        ["新案例", "三进下党", "改名的案例", "七下晋江", "霞浦接待日"]
    );
    // The section keeps the historical order.
    assert_eq!(
        card_titles(&read(out.path(), "cases/index.html")),
        ["霞浦接待日", "三进下党", "新案例", "改名的案例", "七下晋江"]
    );

    let page = read(out.path(), "cases/新案例/index.html");
    assert!(
        page.contains(
            "发布于 <time datetime=\"2024-02-01\">2024年2月1日</time><span class=\"sep\"> · </span>更新于 <time datetime=\"2024-06-15\">2024年6月15日</time>"
        ),
        "{page}"
    );
    let page = read(out.path(), "cases/三进下党/index.html");
    assert!(page.contains("<time datetime=\"1989-07-19\">1989年7月19日</time>"));
    assert!(
        page.contains(
            "发布于 <time datetime=\"2024-05-01T10:00:00+08:00\">2024年5月1日</time></p>"
        ),
        "the commit's own day, not UTC's"
    );
    assert!(!read(out.path(), "articles/说明/index.html").contains("发布于"));
}

#[test]
fn without_git_only_written_dates_are_used() {
    let plain = site_without_git();
    let in_git = site_in_git();
    let empty_path = temp();
    for (root, path) in [
        (plain.path(), None),
        // A repository, but no git to ask.
        (in_git.path(), Some(empty_path.path())),
    ] {
        let out = temp();
        build_alone(root, out.path(), path);
        let (updated, entries) = feed_entries(out.path());
        assert_eq!(updated, "2024-06-15T00:00:00Z");
        assert_eq!(
            entries[..2],
            [
                entry(
                    "新案例",
                    Some("2024-02-01T00:00:00Z"),
                    "2024-06-15T00:00:00Z"
                ),
                entry(
                    "霞浦接待日",
                    Some("2023-06-01T00:00:00Z"),
                    "2023-06-01T00:00:00Z"
                ),
            ]
        );
        for (title, published, updated) in &entries[2..] {
            assert!(
                published.is_none() && updated == "1970-01-01T00:00:00Z",
                "{title}: no invented date"
            );
        }
        let lastmod = lastmods(out.path());
        assert_eq!(lastmod["/cases/三进下党/"], None);
        assert_eq!(lastmod["/cases/霞浦接待日/"].as_deref(), Some("2023-06-01"));
        assert_eq!(latest_titles(out.path()), ["新案例", "霞浦接待日"]);
        assert!(!read(out.path(), "cases/三进下党/index.html").contains("发布于"));
    }
}

#[test]
fn builds_with_git_dates_are_byte_identical() {
    let site = site_in_git();
    let (a, b) = (temp(), temp());
    build_alone(site.path(), a.path(), None);
    build_alone(site.path(), b.path(), None);
    assert!(tree(a.path()) == tree(b.path()), "builds differ");
}
