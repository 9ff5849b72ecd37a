//! Changing the look without copying the theme: the site's own style sheets after the
//! theme's, a logo, and one template replaced while the rest stay built in.

use crate::support::*;

#[test]
fn a_site_adds_style_sheets_a_logo_and_one_template() {
    let site = temp();
    let root = site.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"学习站\"\nstylesheets = [\"custom.css\"]\nlogo = \"images/logo.svg\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/cases")).unwrap();
    std::fs::write(
        root.join("content/cases/a.md"),
        "---\ntitle: 甲\n---\n正文\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("static/images")).unwrap();
    std::fs::write(
        root.join("static/custom.css"),
        ":root { --accent: #1a5fb4; }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("static/images/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>本站自己的 404</p>{% endblock content %}\n",
    )
    .unwrap();
    let out = root.join("public");
    ok(&build(root, &out, &[]));
    let page = read(&out, "cases/a/index.html");
    let theme = page.find("style.css").expect("the theme's style sheet");
    let own = page
        .find("href=\"../../custom.css\"")
        .expect("the site's style sheet, relative");
    assert!(theme < own, "the site's sheet comes after the theme's");
    assert!(
        page.contains("src=\"../../images/logo.svg\""),
        "the logo: {page}"
    );
    assert!(read(&out, "404.html").contains("本站自己的 404"));
    assert!(
        !page.contains("本站自己的"),
        "other templates stay the theme's"
    );
    assert!(read(&out, "custom.css").contains("--accent"));
    // The check follows the sheet and the logo like any other link.
    let check = casebook()
        .arg("check")
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    ok(&check);
}

#[test]
fn the_feed_and_sitemap_are_templates_a_site_can_replace() {
    let site = temp();
    let root = site.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"学习站\"\nbase_url = \"https://example.org/study/\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/cases")).unwrap();
    std::fs::write(
        root.join("content/cases/a.md"),
        "---\ntitle: 甲 & 乙\nsummary: 一句<话>\nupdated: 2024-03-05\n---\n正文\n",
    )
    .unwrap();
    let out = root.join("public");
    ok(&build(root, &out, &[]));
    let atom = read(&out, "atom.xml");
    assert!(atom.contains("<title>甲 &amp; 乙</title>"), "{atom}");
    assert!(atom.contains("<summary>一句&lt;话&gt;</summary>"), "{atom}");
    assert!(
        atom.contains("<link href=\"https://example.org/study/cases/a/\"/>"),
        "{atom}"
    );
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains(
            "<url><loc>https://example.org/study/cases/a/</loc><lastmod>2024-03-05</lastmod></url>"
        ),
        "{sitemap}"
    );
    // A site's own atom.xml replaces the theme's; the sitemap stays the theme's.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/atom.xml"),
        "<feed>{% for entry in feed.entries %}<e>{{ entry.url }}</e>{% endfor %}</feed>\n",
    )
    .unwrap();
    ok(&build(root, &out, &[]));
    assert_eq!(
        read(&out, "atom.xml"),
        "<feed><e>https://example.org/study/cases/a/</e></feed>\n"
    );
    assert_eq!(read(&out, "sitemap.xml"), sitemap);
}

#[test]
fn a_style_sheet_from_elsewhere_is_refused_at_its_line() {
    let site = temp();
    let root = site.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"学习站\"\nstylesheets = [\"https://cdn.example/x.css\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    let stderr = fails_with(&build(root, &root.join("public"), &[]), 1);
    assert!(stderr.contains("site.toml:2"), "{stderr}");
    assert!(stderr.contains("static/"), "{stderr}");
}
