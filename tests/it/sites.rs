//! The valid fixture: accepted inputs (BOM + CRLF, Chinese and spaced names, empty
//! bodies, front matter only) and what the built files hold.

use crate::support::*;

#[test]
fn valid_fixture_builds_every_kind_of_output() {
    let out = temp();
    let stdout = ok(&build(&fixture("valid"), out.path(), &[]));
    assert!(stdout.starts_with("Built 5 pages, 3 sections"), "{stdout}");
    let files = tree(out.path());
    for path in [
        "index.html",
        "案例/index.html",
        "案例/三进 下党/index.html",
        "案例/霞浦/index.html",
        "案例/空/index.html",
        "案例/只有前言/index.html",
        "专题 资料/luanfeng/index.html",
        "专题 资料/luanfeng/桥.svg",
        "files/说明.txt",
        "tags/index.html",
        "tags/四下基层/index.html",
        "places/下党乡/index.html",
        "old/xiadang/index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "atom.xml",
        "style.css",
    ] {
        assert!(
            files.contains_key(path),
            "missing {path}; have {:?}",
            files.keys()
        );
    }
    assert!(!files.keys().any(|p| p.contains("草稿")), "draft was built");
}

#[test]
fn pages_render_chinese_markdown_and_resolve_links() {
    let out = temp();
    ok(&build(&fixture("valid"), out.path(), &[]));
    let page = read(out.path(), "案例/三进 下党/index.html");
    assert!(
        page.contains("<strong>强调：</strong>文本第一行第二行。"),
        "CJK bold or soft break"
    );
    assert!(page.contains("<h2 id=\"讨论\">") && page.contains("<h2 id=\"讨论-1\">"));
    assert!(page.contains("<time datetime=\"1989-07-19\">1989年7月19日—1996年8月7日</time>"));
    // Relative links, with index.html so they work from file://.
    assert!(
        page.contains(
            "href=\"../../%E6%A1%88%E4%BE%8B/%E9%9C%9E%E6%B5%A6/index.html#%E5%BD%93%E5%A4%A9\""
        ),
        "relative .md link"
    );
    assert!(
        page.contains("href=\"../../%E6%A1%88%E4%BE%8B/%E7%A9%BA/index.html\""),
        "@/ link"
    );
    assert!(page.contains("href=\"../../style.css\""));
    // Prev/next follow the section's date order: 霞浦 (1988-12), 空 (1989, coarser
    // first), this page (1989-07-19), then the undated page.
    assert!(
        page.contains("rel=\"prev\" href=\"../../%E6%A1%88%E4%BE%8B/%E7%A9%BA/index.html\""),
        "prev link"
    );
    assert!(page.contains("rel=\"next\" href=\"../../%E6%A1%88%E4%BE%8B/%E5%8F%AA%E6%9C%89%E5%89%8D%E8%A8%80/index.html\""), "next link");
    // A bundle's image, shown in its section's list, still points into the bundle.
    let list = read(out.path(), "专题 资料/index.html");
    assert!(
        list.contains("src=\"../%E4%B8%93%E9%A2%98%20%E8%B5%84%E6%96%99/luanfeng/%E6%A1%A5.svg\""),
        "{list}"
    );
    let alias = read(out.path(), "old/xiadang/index.html");
    assert!(
        alias.contains(
            "url=../../%E6%A1%88%E4%BE%8B/%E4%B8%89%E8%BF%9B%20%E4%B8%8B%E5%85%9A/index.html"
        ),
        "{alias}"
    );
    // BOM + CRLF page.
    let xiapu = read(out.path(), "案例/霞浦/index.html");
    assert!(xiapu.contains("<h1>霞浦接待日</h1>") && xiapu.contains("<h2 id=\"当天\">当天</h2>"));
    let term = read(out.path(), "tags/四下基层/index.html");
    assert!(term.contains("三进下党") && term.contains("霞浦接待日"));
}

#[test]
fn absolute_base_url_gives_sitemap_feed_and_a_404_rooted_at_its_path() {
    let out = temp();
    ok(&build(&fixture("valid"), out.path(), &[]));
    let sitemap = read(out.path(), "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://study.example.org/xuexi/%E6%A1%88%E4%BE%8B/</loc>"),
        "{sitemap}"
    );
    let feed = read(out.path(), "atom.xml");
    // Entries are dated by publication (tests/it/dates.rs), never by what they tell of.
    assert!(
        feed.contains("<entry>\n<title>三进下党</title>") && !feed.contains("<updated>1989-"),
        "{feed}"
    );
    assert!(
        read(out.path(), "robots.txt")
            .contains("Sitemap: https://study.example.org/xuexi/sitemap.xml")
    );
    assert!(read(out.path(), "404.html").contains("href=\"/xuexi/style.css\""));

    // A path base_url: no sitemap or feed, which need absolute URLs.
    let out = temp();
    ok(&build(
        &fixture("valid"),
        out.path(),
        &["--base-url", "/study/"],
    ));
    assert!(!out.path().join("sitemap.xml").exists() && !out.path().join("atom.xml").exists());
    assert!(read(out.path(), "404.html").contains("href=\"/study/style.css\""));
}

#[test]
fn drafts_are_built_when_asked() {
    let out = temp();
    ok(&build(&fixture("valid"), out.path(), &["--drafts"]));
    assert!(out.path().join("案例/草稿/index.html").exists());
}

#[test]
fn two_builds_are_byte_identical() {
    let (a, b) = (temp(), temp());
    ok(&build(&fixture("valid"), a.path(), &[]));
    ok(&build(&fixture("valid"), b.path(), &[]));
    assert!(tree(a.path()) == tree(b.path()), "builds differ");
    let (a, b) = (temp(), temp());
    ok(&build(&repo(), a.path(), &[]));
    ok(&build(&repo(), b.path(), &[]));
    assert!(
        tree(a.path()) == tree(b.path()),
        "builds of the example site differ"
    );
}

#[test]
fn site_templates_override_the_theme() {
    let site = temp();
    copy_tree(&fixture("valid"), site.path());
    std::fs::create_dir(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "<p>自定义 {{ site.title }}</p>\n",
    )
    .unwrap();
    let out = site.path().join("public");
    ok(&build(site.path(), &out, &[]));
    assert_eq!(read(&out, "404.html"), "<p>自定义 测试站点</p>\n");
}
