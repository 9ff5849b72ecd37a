//! `casebook init` and `casebook new`: starting points for a site and for a page. Both
//! refuse to overwrite anything.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;

use crate::cli::Kind;
use crate::config::CONFIG_FILE;
use crate::content::CONTENT_DIR;
use crate::date::PartialDate;
use crate::diagnostics::{Failure, UsageError};
use crate::messages::{self, FileAction, Text};
use crate::moment::Timestamp;
use crate::theme::DEFAULT_THEME;

const SITE_TOML: &str = r#"title = "学习资料"
description = "学习小组的案例、党课教案与时间线"
base_url = "/"
language = "zh-CN"
theme = "default"
output_dir = "public"

[taxonomies]
tags = "专题"
places = "地点"

[timeline]
title = "时间线"

[search]
enabled = true
"#;

const HOME: &str = "---\ntitle: 学习资料\n---\n\n本站收录学习小组的案例、党课教案和背景资料。编辑 `content/` 下的 Markdown 文件，然后运行 `casebook build`。\n";

const EXAMPLES: &[(&str, &str)] = &[
    (
        "cases/_index.md",
        "---\ntitle: 案例\nsort_by: date\n---\n\n按时间排列的案例。\n",
    ),
    (
        "lessons/_index.md",
        "---\ntitle: 党课\nsort_by: weight\n---\n\n党课教案，可以打印成讲义。\n",
    ),
    ("articles/_index.md", "---\ntitle: 文章\n---\n"),
    (
        "cases/三进下党.md",
        "---\ntitle: 三进下党\ndate: \"1989-07-19\"\nend_date: \"1996-08-07\"\nsummary: 寿宁县下党乡当年是“五无乡镇”。1989年7月19日第一次进下党，此后又两次到访。\ntags: [四下基层]\nplaces: [寿宁, 下党乡]\nevents:\n  - date: \"1989-07-19\"\n    title: 第一次进下党\n    place: 下党乡\n    anchor: first\n    source: 《习近平在宁德》采访实录（引连德仁工作日记）\nsources:\n  - title: 《习近平在宁德》采访实录，《学习时报》2019年5月20日起连载；中共中央党校出版社出版\n  - title: 央视新闻关于习近平给下党乡乡亲们回信的报道（2019年8月），采访下党村村民王光朝、原下党乡党委副书记刘明华\n---\n\n## 背景\n\n下党乡当年没有公路、自来水、电灯，没有财政收入，也没有办公场所，被称为**“五无乡镇”**。\n\n## 第一次进下党 {#first}\n\n1989年7月19日，从平溪乡上屏峰村出发，步行7.5公里没有公路的山路到下党村。\n\n## 讨论题\n\n1. 为什么要走到群众中间去？\n",
    ),
    (
        "lessons/示例党课.md",
        "---\ntitle: 示例党课：走进基层\nweight: 1\nsummary: 一份45分钟的党课教案示例。\nlesson:\n  duration: 45\n  audience: 党员学习小组\n  objectives: [了解“四下基层”的内容]\n  key_points: [四个“下基层”分别是什么]\n  schedule:\n    - {minutes: 30, title: 讲授}\n    - {minutes: 15, title: 讨论}\n  discussion: [本单位可以怎样做？]\n  materials:\n    - {title: 三进下党, url: \"@/cases/三进下党.md\"}\n---\n\n## 讲授\n\n阅读[三进下党](@/cases/三进下党.md)，了解当年的情况。\n\n## 讨论\n\n结合本单位实际交流。\n",
    ),
    (
        "articles/如何使用本站.md",
        "---\ntitle: 如何使用本站\nsummary: 编辑者如何添加页面。\n---\n\n每个 Markdown 文件是一页，开头用 `---` 包住的 YAML 写标题、日期等信息。运行 `casebook new cases/新案例.md` 可以生成一个新页面。\n",
    ),
];

/// Creates a new site in `dir`: site.toml and example pages of each kind. The theme
/// stays built into casebook (so its fixes reach the site) unless `eject_theme` asks
/// for a copy under `themes/default` to change. Gives what to tell the editor.
pub fn init(dir: &Path, eject_theme: bool) -> Result<Text> {
    if dir.join(CONFIG_FILE).exists() || dir.join(CONTENT_DIR).exists() {
        return Err(UsageError(messages::init_site_exists(dir)).into());
    }
    // The examples go up today, so the new site's feed and 最新材料 have something in them.
    let published = format!("\npublished: \"{}\"\n", today().iso());
    let examples: Vec<(PathBuf, String)> = EXAMPLES
        .iter()
        .map(|(path, text)| {
            let text = match text.split_once("\n---\n") {
                Some((head, body)) if !path.ends_with("_index.md") => {
                    format!("{head}{published}---\n{body}")
                }
                _ => (*text).to_owned(),
            };
            (dir.join(CONTENT_DIR).join(path), text)
        })
        .collect();
    let mut files: Vec<(PathBuf, &[u8])> = vec![
        (dir.join(CONFIG_FILE), SITE_TOML.as_bytes()),
        (dir.join(CONTENT_DIR).join("_index.md"), HOME.as_bytes()),
    ];
    for (path, text) in &examples {
        files.push((path.clone(), text.as_bytes()));
    }
    if eject_theme {
        for (path, bytes) in DEFAULT_THEME {
            files.push((dir.join("themes/default").join(path), bytes));
        }
    }
    for (path, bytes) in files {
        create_new(&path, bytes)?;
    }
    // The output, the recycled previous build and the picture cache are not sources; a .gitignore the
    // folder already has is left as it is.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        create_new(&ignore, b"/public\n/.public.casebook-*\n/.casebook-cache\n")?;
    }
    Ok(messages::init_created(dir))
}

/// Writes a file that must not exist yet, making its folder.
fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)
            .map_err(|e| Failure(messages::io_failed(FileAction::Create, folder, &e)))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| -> anyhow::Error {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                UsageError(messages::file_exists(path)).into()
            } else {
                Failure(messages::io_failed(FileAction::Create, path, &e)).into()
            }
        })?;
    file.write_all(bytes)
        .map_err(|e| Failure(messages::io_failed(FileAction::Write, path, &e)).into())
}

/// Creates a page at `path` (under `content/`, which may be left out) with a front
/// matter skeleton for its kind. Gives what to tell the editor.
pub fn new_page(root: &Path, path: &Path, kind: Option<Kind>) -> Result<Text> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(UsageError(messages::new_outside_site(root)).into());
    }
    if path.extension().is_none_or(|e| e != "md") {
        return Err(UsageError(messages::new_not_markdown(path)).into());
    }
    let inside = path.strip_prefix(CONTENT_DIR).unwrap_or(path);
    if inside.is_absolute()
        || inside
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(UsageError(messages::new_outside_content(path)).into());
    }
    let inside = inside.to_path_buf();
    let stem = inside
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A name the build would refuse as a URL is refused now, before the page exists.
    if let Err(why) = crate::url::check_slug(&stem) {
        return Err(UsageError(messages::new_bad_name(path, &why)).into());
    }
    let title = inside
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let first = inside
        .iter()
        .next()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let kind = kind.unwrap_or(match first.as_str() {
        "cases" => Kind::Case,
        "lessons" => Kind::Lesson,
        _ => Kind::Article,
    });
    let text = skeleton(kind, &title, today());
    let file = root.join(CONTENT_DIR).join(&inside);
    create_new(&file, text.as_bytes())?;
    Ok(messages::new_created(&file))
}

/// Today's date at UTC: std has no time zones, and a day early or late is easily
/// corrected in the file.
fn today() -> PartialDate {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Timestamp::from_unix(now).local_date()
}

fn skeleton(kind: Kind, title: &str, today: PartialDate) -> String {
    // A JSON string is a YAML double-quoted string: `\`, `"` and controls escaped.
    let title = serde_json::to_string(title).unwrap_or_default();
    let title = &title[1..title.len() - 1];
    // The day the page goes up, not the day it tells of (that is `date`).
    let head = format!(
        "title: \"{title}\"\npublished: \"{}\"   # 发布日期；大幅修改后加 updated: \"…\"",
        today.iso()
    );
    match kind {
        Kind::Case => format!(
            "---\n{head}\n# date: \"1989-07-19\"   事件发生的时间（1989、1989-07 或 1989-07-19）\nsummary: \"\"\ntags: []\nplaces: []\nevents: []      # - {{date: \"1989-07-19\", title: …, place: …, anchor: …}}\nsources: []     # - {{title: …, url: …}}\n---\n\n## 背景\n\n## 经过\n\n## 启示\n\n## 讨论题\n\n1. \n"
        ),
        Kind::Lesson => format!(
            "---\n{head}\nweight: 1\nsummary: \"\"\nlesson:\n  duration: 60\n  audience: \"\"\n  objectives: []\n  key_points: []\n  difficulties: []\n  schedule:\n    - {{minutes: 40, title: 讲授}}\n    - {{minutes: 20, title: 讨论}}\n  discussion: []\n  materials: []   # - {{title: …, url: \"@/cases/….md\"}}\nsources: []\n---\n\n## 讲授\n\n## 讨论\n"
        ),
        Kind::Article => format!("---\n{head}\nsummary: \"\"\nsources: []\n---\n\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeletons_parse_as_front_matter() {
        let config = crate::config::parse(
            "title = \"t\"\n[taxonomies]\ntags = \"专题\"\nplaces = \"地点\"\n",
            None,
        )
        .unwrap();
        for kind in [Kind::Case, Kind::Lesson, Kind::Article] {
            let text = skeleton(kind, "新页面", PartialDate::parse("2024-03-05").unwrap());
            assert!(text.contains("\npublished: \"2024-03-05\""), "{text}");
            let split = crate::content::split_front_matter(&text).unwrap();
            let front = crate::content::front_matter::parse_page(split.front_matter, &config);
            assert_eq!(front.unwrap().published.unwrap().iso(), "2024-03-05");
        }
    }
}
