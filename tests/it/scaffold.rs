//! `casebook init` and `casebook new`.

use crate::support::*;

#[test]
fn init_makes_a_site_that_builds_anywhere() {
    let dir = temp();
    let site = dir.path().join("我的站点");
    ok(&casebook().arg("init").arg(&site).output().unwrap());
    // The theme stays built in, so later casebook versions' theme fixes reach the site.
    assert!(!site.join("themes").exists());
    assert!(read(&site, ".gitignore").contains("/.public.casebook-*"));
    let out = dir.path().join("out");
    let stdout = ok(&build(&site, &out, &[]));
    assert!(stdout.contains("3 pages"), "{stdout}");
    let lesson = read(&out, "lessons/示例党课/index.html");
    assert!(lesson.contains("45 分钟"), "lesson plan rendered");
    // The sample pages name their sources as the example site does.
    let check = casebook()
        .arg("check")
        .arg("--root")
        .arg(&site)
        .output()
        .unwrap();
    let report = ok(&check);
    assert!(
        report.trim_end().ends_with(": 0 errors, 0 warnings"),
        "{report}"
    );
    // The examples are published today, so the home page has its latest materials.
    assert!(read(&site, "content/cases/三进下党.md").contains("\npublished: \"20"));
    assert!(lesson.contains("发布于 <time"), "{lesson}");
    assert!(read(&out, "index.html").contains("最新材料"));
    // A second init refuses to overwrite.
    fails_with(&casebook().arg("init").arg(&site).output().unwrap(), 2);
}

#[test]
fn new_writes_a_skeleton_that_builds_and_never_overwrites() {
    let dir = temp();
    let site = dir.path();
    ok(&casebook().arg("init").arg(site).output().unwrap());
    let new = |path: &str| {
        casebook()
            .args(["new", path, "--root"])
            .arg(site)
            .output()
            .unwrap()
    };
    ok(&new("cases/新案例.md"));
    ok(&new("content/lessons/新党课.md"));
    // A name that is not a page, or a site that is not there, makes nothing.
    fails_with(&new("cases/x.txt"), 2);
    assert!(
        !site.join("content/cases/x.txt").exists() && !site.join("content/cases/x.md").exists()
    );
    ok(&new("articles/随笔.md"));
    let case = read(site, "content/cases/新案例.md");
    assert!(case.contains("title: \"新案例\"") && case.contains("## 讨论题"));
    // Today (UTC), read back the way the build reads it.
    let published = case
        .lines()
        .find_map(|l| l.strip_prefix("published: \""))
        .and_then(|rest| rest.split('"').next())
        .expect("a published line");
    let day = casebook::testing::Moment::parse(published).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let today = casebook::testing::Timestamp::from_unix(now).local_date();
    let yesterday = casebook::testing::Timestamp::from_unix(now - 86_400).local_date();
    assert!(
        [today, yesterday].contains(&day.date()) && day.date().day.is_some(),
        "{published}"
    );
    assert!(read(site, "content/lessons/新党课.md").contains("lesson:"));
    ok(&build(site, &site.join("public"), &[]));
    std::fs::write(site.join("content/cases/新案例.md"), "mine").unwrap();
    fails_with(&new("cases/新案例.md"), 2);
    assert_eq!(read(site, "content/cases/新案例.md"), "mine");
    fails_with(&new("../outside.md"), 2);
}
