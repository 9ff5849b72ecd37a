//! The timeline: order, year groups, eras, the opt-out section, and `timeline.json`
//! agreeing with the HTML.

use crate::support::*;

/// The event titles of the timeline page, in page order.
fn titles(html: &str) -> Vec<String> {
    html.split("<h3 class=\"event-title\">")
        .skip(1)
        .map(|rest| {
            let text = &rest[rest.find('>').unwrap() + 1..];
            text[..text.find('<').unwrap()].to_owned()
        })
        .collect()
}

#[test]
fn events_are_ordered_grouped_and_placed_in_eras() {
    let out = temp();
    ok(&build(&fixture("timeline"), out.path(), &[]));
    let html = read(out.path(), "timeline/index.html");
    assert_eq!(
        titles(&html),
        [
            "霞浦页",       // 1988-12, the page itself (a date and no events)
            "一九八九年内", // 1989: coarser first
            "存疑一九八九", // 1989?: uncertain after exact within the same period
            "第一次",       // 1989-07-19
            "第二次",       // 1989-07-26
            "七下晋江",     // 1996–2002 (exact 1996 before 约1996)
            "约一九九六",   // 1996~
            "第三次",       // 1996-08-07
            "远在时期之外", // 2023-11
        ]
    );
    assert!(
        !html.contains("不上时间线"),
        "a section with timeline: false was included"
    );
    assert!(!html.contains("无日期"));
    for year in ["1988", "1989", "1996", "2023"] {
        assert!(
            html.contains(&format!(
                "<h2 id=\"y{year}-title\" class=\"year-title\">{year}年</h2>"
            )),
            "{year}"
        );
    }
    assert!(html.contains("<time datetime=\"1996\">1996年—2002年</time>"));
    assert!(html.contains("<time datetime=\"1996\">约1996年</time>"));
    assert!(html.contains("<time datetime=\"1989\">1989年?</time>"));
    assert!(html.contains("出处：《甲书》"));
    // Eras: 1988-12 and the 1989 events fall in 甲时期, 1996–2002 in 乙时期, 2023 in none.
    let era_of = |title: &str| {
        let at = html.find(&format!(">{title}</a></h3>")).unwrap();
        let item = &html[html[..at].rfind("<li class=\"event").unwrap()..at];
        item.split("era-").nth(1).map(|s| s.chars().next().unwrap())
    };
    assert_eq!(
        era_of("霞浦页"),
        Some('0'),
        "甲时期 is the first era by date"
    );
    assert_eq!(era_of("第二次"), Some('0'));
    assert_eq!(era_of("七下晋江"), Some('1'));
    assert_eq!(era_of("远在时期之外"), None);
    assert!(html.contains("<p class=\"era-label\">甲时期</p>"));
    // The page's own chronology links into the page.
    let page = read(out.path(), "cases/a/index.html");
    assert!(
        page.contains("href=\"#first\">第一次</a>")
            || page.contains("href=\"index.html#first\">第一次</a>"),
        "{page}"
    );
}

#[test]
fn timeline_json_follows_its_schema_and_matches_the_html() {
    let out = temp();
    ok(&build(&fixture("timeline"), out.path(), &[]));
    let json: serde_json::Value = serde_json::from_str(&read(out.path(), "timeline.json")).unwrap();
    assert_eq!(json["schema"], "casebook-timeline/1");
    assert_eq!(json["title"], "大事年表");
    let eras = json["eras"].as_array().unwrap();
    assert_eq!(eras[0]["name"], "甲时期");
    assert_eq!(eras[0]["start"], "1988-06");
    let events = json["events"].as_array().unwrap();
    let json_titles: Vec<&str> = events
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        json_titles,
        titles(&read(out.path(), "timeline/index.html"))
    );
    for event in events {
        for key in ["start", "display", "title", "url"] {
            assert!(event[key].is_string(), "{key} in {event}");
        }
        for key in ["end", "place", "summary", "source", "era"] {
            assert!(
                event[key].is_string() || event[key].is_null(),
                "{key} in {event}"
            );
        }
        assert!(event["places"].is_array() && event["topics"].is_array());
        assert!(event["page"]["title"].is_string() && event["page"]["section"].is_string());
        // URLs are relative to the site root and lead to a file of the output.
        let url = event["url"].as_str().unwrap();
        let path = url.split('#').next().unwrap();
        assert!(out.path().join(path).exists(), "{url}");
    }
    let uncertain = events.iter().find(|e| e["title"] == "约一九九六").unwrap();
    assert_eq!(uncertain["start"], "1996~");
    let first = events.iter().find(|e| e["title"] == "第一次").unwrap();
    assert_eq!(first["places"], serde_json::json!(["下党乡", "寿宁"]));
    assert_eq!(first["url"], "cases/a/index.html#first");
}

#[test]
fn large_timelines_get_a_page_per_year() {
    let site = temp();
    std::fs::write(site.path().join("site.toml"), "title = \"大\"\n").unwrap();
    let content = site.path().join("content");
    std::fs::create_dir(&content).unwrap();
    for i in 0..700 {
        let year = 1950 + i % 70;
        std::fs::write(
            content.join(format!("p{i}.md")),
            format!("---\ntitle: 第{i}件\ndate: {year}\n---\n"),
        )
        .unwrap();
    }
    let out = site.path().join("public");
    ok(&build(site.path(), &out, &[]));
    let index = read(&out, "timeline/index.html");
    assert!(
        titles(&index).is_empty(),
        "the index of a paged timeline lists years, not events"
    );
    assert!(
        index.contains("href=\"../timeline/1989/index.html\""),
        "year links"
    );
    let year = read(&out, "timeline/1989/index.html");
    assert_eq!(titles(&year).len(), 10);
    assert!(out.join("timeline/2019/index.html").exists());
}

#[test]
fn the_filters_follow_the_taxonomies_site_toml_names() {
    let site = temp();
    copy_tree(&fixture("timeline"), site.path());
    let config = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    // The same taxonomies under other keys: the filters must follow the names given.
    let renamed = config
        .replace("tags = \"专题\"", "themes = \"专题\"")
        .replace("places = \"地点\"", "where = \"地点\"")
        .replace(
            "[timeline]\n",
            "[timeline]\nplaces = \"where\"\ntopics = \"themes\"\n",
        );
    std::fs::write(site.path().join("site.toml"), renamed).unwrap();
    for entry in walkdir::WalkDir::new(site.path().join("content")) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|x| x == "md") {
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text
                .replace("\ntags:", "\nthemes:")
                .replace("\nplaces:", "\nwhere:");
            std::fs::write(&path, text).unwrap();
        }
    }
    let (before, after) = (temp(), temp());
    ok(&build(&fixture("timeline"), before.path(), &[]));
    ok(&build(site.path(), after.path(), &[]));
    let filters = |dir: &std::path::Path| {
        let json: serde_json::Value = serde_json::from_str(&read(dir, "timeline.json")).unwrap();
        json["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["places"].clone(), e["topics"].clone()))
            .collect::<Vec<_>>()
    };
    let expected = filters(before.path());
    assert!(
        expected
            .iter()
            .any(|(p, t)| p != &serde_json::json!([]) && t != &serde_json::json!([])),
        "the fixture gives events places and topics"
    );
    assert_eq!(filters(after.path()), expected);
}
