//! The mistakes a Chinese editor makes, each with where casebook must point and what it
//! must say (in Chinese): one table of problems in the site's files (exit 1, one fresh
//! site per row, reported alike by `build` and `check`) and one of refusals before
//! anything is built (the output folder, `init`/`new`, the command line; exit 2). An
//! English site gets all of it in English.

use std::path::Path;

use crate::support::*;

const SITE: &str = "title = \"学习资料\"\nlanguage = \"zh-CN\"\n\n[taxonomies]\ntags = \"专题\"\nplaces = \"地点\"\n";
const TARGET: &str =
    "---\ntitle: 三进下党\nsummary: 目标页。\n---\n\n## 第一次 {#first}\n\n正文。\n";

/// (file, its text, the `path:line:col` expected, a phrase of the message)
const MISTAKES: &[(&str, &str, &str, &str)] = &[
    // Chinese-keyboard slips, caught before the YAML parser.
    (
        "content/cases/x.md",
        "---\ntitle：九进寿宁\n---\n",
        "content/cases/x.md:2:6:",
        "中文冒号",
    ),
    (
        "content/cases/x.md",
        "---\ntitle:九进寿宁\n---\n",
        "content/cases/x.md:2:7:",
        "少了一个空格",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ndate:1989\n---\n",
        "content/cases/x.md:3:6:",
        "少了一个空格",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ntags: [四下基层，调查研究]\n---\n",
        "content/cases/x.md:3:12:",
        "整串会被当成一个名称",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ntags: [四下基层、调查研究]\n---\n",
        "content/cases/x.md:3:12:",
        "整串会被当成一个名称",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ntags: 四下基层, 调查研究\n---\n",
        "content/cases/x.md:3:11:",
        "方括号",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ntags: 【四下基层, 调查研究】\n---\n",
        "content/cases/x.md:3:7:",
        "中文括号",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ntags: [“四下基层”, “调查研究”]\n---\n",
        "content/cases/x.md:3:8:",
        "中文引号",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nsummary: “他说: 要下去”\n---\n",
        "content/cases/x.md:3:10:",
        "中文引号",
    ),
    (
        "content/cases/x.md",
        "---\ntitle:\u{3000}九进寿宁\n---\n",
        "content/cases/x.md:2:7:",
        "全角空格",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\n\u{3000}date: 1989\n---\n",
        "content/cases/x.md:3:1:",
        "全角空格",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nlesson:\n\tduration: 30\n---\n",
        "content/cases/x.md:4:1:",
        "制表符",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nlesson:\n  duration: 30\n   audience: 全体党员\n---\n",
        "content/cases/x.md:5:1:",
        "第 4 行",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nevents:\n  - date: 1989\n    title: 第一次\n  - date: 1990\n     title: 第二次\n---\n",
        "content/cases/x.md:7:1:",
        "比第 6 行缩进得多",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\n  date: 1989\n---\n",
        "content/cases/x.md:3:1:",
        "第 2 行已经写了值",
    ),
    // Parser errors in an editor's words, the line quoted.
    (
        "content/cases/x.md",
        "---\ntitle: x\nsummary: 他说: 要下去\n---\n",
        "content/cases/x.md:3:",
        "英文冒号加空格",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: [x\n---\n",
        "content/cases/x.md:2:",
        "`title: [x`",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nweight: 重\n---\n",
        "content/cases/x.md:3:9:",
        "整数",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ndraft: 是\n---\n",
        "content/cases/x.md:3:8:",
        "true 或 false",
    ),
    (
        "content/cases/x.md",
        "---\ndate: 1989\n---\n",
        "content/cases/x.md:2:",
        "缺少 `title`",
    ),
    (
        "content/cases/x.md",
        "---\ntitel: x\n---\n",
        "content/cases/x.md:2:",
        "是不是想写 `title`",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ntag: [寿宁]\n---\n",
        "content/cases/x.md:3:",
        "是不是想写 `tags`",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\n作者: 张三\n---\n",
        "content/cases/x.md:3:",
        "没有“作者”这个字段",
    ),
    (
        "content/cases/x.md",
        "title: x\n",
        "content/cases/x.md:1:",
        "第一行要写三个英文减号",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\n\n正文\n",
        "content/cases/x.md:1:",
        "没有结束",
    ),
    (
        "content/cases/x.md",
        "---\n---\n",
        "content/cases/x.md:2:",
        "是空的",
    ),
    // Dates.
    (
        "content/cases/x.md",
        "---\ntitle: x\ndate: 0000\n---\n",
        "content/cases/x.md:3:",
        "“0000”不是日期",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ndate: 1989/\n---\n",
        "content/cases/x.md:3:",
        "斜杠后面没有结束日期",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ndate: 1989-13-01\n---\n",
        "content/cases/x.md:3:",
        "月份只能是 01 到 12",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ndate: 1989-02-30\n---\n",
        "content/cases/x.md:3:",
        "只有 01 到 28 日",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ndate: 89年\n---\n",
        "content/cases/x.md:3:",
        "“89年”不是日期",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ndate: 1990\nend_date: 1989\n---\n",
        "content/cases/x.md:4:",
        "早于开始日期",
    ),
    // Lessons.
    (
        "content/cases/x.md",
        "---\ntitle: x\nlesson:\n  duration: 60\n  schedule:\n    - {minutes: 50, title: 讲授}\n---\n",
        "content/cases/x.md:3:",
        "加起来是 50 分钟",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nlesson:\n  duration: 30\n  materials: [\"三进下党\"]\n---\n",
        "content/cases/x.md:5:",
        "只写了一个字符串",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nlesson:\n  duration: 30\n  materials: [\"@/cases/三近下党.md\"]\n---\n",
        "content/cases/x.md:3:",
        "找不到页面",
    ),
    // Links.
    (
        "content/cases/x.md",
        "---\ntitle: x\n---\n\n[链接](@/cases/三近下党.md)\n",
        "content/cases/x.md:5:",
        "是不是想写 `@/cases/三进下党.md`",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\n---\n\n[链接](@/cases/三进下党.md#second)\n",
        "content/cases/x.md:5:",
        "{#id}",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nevents:\n  - {date: 1989, title: 甲, anchor: second}\n---\n",
        "content/cases/x.md:4:",
        "anchor: second",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\n---\n\n见[链接](/cases/三近下党/)\n",
        "content/cases/x.md:5:7:",
        "链接 `/cases/三近下党/` 指向的页面或文件不存在",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\n---\n\n见[链接](pptrconsole.com)\n",
        "content/cases/x.md:5:7:",
        "缺少 https://",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\n---\n\n![照片](照片.jpg)\n",
        "content/cases/x.md:5:",
        "`照片.jpg`",
    ),
    // site.toml.
    (
        "site.toml",
        "titel = \"学习资料\"\nlanguage = \"zh-CN\"\n",
        "site.toml:1:1:",
        "是不是想写 `title`",
    ),
    (
        "site.toml",
        "title = \"x\"\nlanguage = \"zh-CN\"\n[timeline]\ntitel = \"时间线\"\n",
        "site.toml:4:1:",
        "[timeline] 里没有“titel”",
    ),
    (
        "site.toml",
        "title = 学习资料\nlanguage = \"zh-CN\"\n",
        "site.toml:1:",
        "英文双引号",
    ),
    (
        "site.toml",
        "language = \"zh-CN\"\n",
        "site.toml",
        "缺少 `title`",
    ),
    (
        "site.toml",
        "title = \"x\"\nlanguage = \"zh-CN\"\nbase_url = \"study\"\n",
        "site.toml:3:",
        "以 / 开头",
    ),
    // When the material went up on the site.
    (
        "content/cases/x.md",
        "---\ntitle: x\npublished: 昨天\n---\n",
        "content/cases/x.md:3:",
        "`published`：“昨天”不是日期",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\npublished: 2024-03-05T09:30:00\n---\n",
        "content/cases/x.md:3:",
        "缺少时区",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nupdated: 2024~\n---\n",
        "content/cases/x.md:3:",
        "请去掉这个记号",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\npublished: 2024-03-05\nupdated: 2023-12\n---\n",
        "content/cases/x.md:4:",
        "更新日期不能早于发布日期",
    ),
    // Links and names that become URLs.
    (
        "content/cases/x.md",
        "---\ntitle: x\nsources:\n  - {title: 书, url: \"javascript:alert(1)\"}\n---\n",
        "content/cases/x.md:4:",
        "不接受以 `javascript:` 开头的链接",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\nslug: a?b\n---\n",
        "content/cases/x.md:3:",
        "`slug: a?b` 不能用作网址",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\naliases: [\"/old/../x/\"]\n---\n",
        "content/cases/x.md:3:",
        "别名（aliases）`/old/../x/` 不能用作网址",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ntags: [\"a?b\"]\n---\n",
        "content/cases/x.md",
        "`tags` 里的“a?b”不能用作网址",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ntags: [5]\n---\n",
        "content/cases/x.md:3:",
        "而这里是数字 `5`",
    ),
    (
        "content/cases/x.md",
        "---\ntitle: x\ndate: [1]\n---\n",
        "content/cases/x.md:3:",
        "这里要写一个日期（如 1989、1989-07 或 1989-07-19），而写的是列表",
    ),
    // Two files, one URL.
    (
        "content/cases/x.md",
        "---\ntitle: x\nslug: 三进下党\n---\n",
        "content/cases/三进下党.md",
        "`content/cases/x.md` 也生成它",
    ),
    // Templates: a page's own, and a site's override of the theme's.
    (
        "content/cases/x.md",
        "---\ntitle: x\ntemplate: nosuch.html\n---\n",
        "content/cases/x.md:3:",
        "`template: nosuch.html` 指定的模板不存在",
    ),
    (
        "templates/page.html",
        "<h1>{{ page.title </h1>\n",
        "templates/page.html:1:",
        "模板出错",
    ),
    (
        "templates/page.html",
        "{% extends \"nosuch.html\" %}\n",
        "templates/page.html",
        "extends 的 `nosuch.html` 不存在",
    ),
    // site.toml beyond its syntax.
    (
        "site.toml",
        "title = \"x\"\nlanguage = \"zh-CN\"\ntheme = \"nosuch\"\n",
        "site.toml",
        "找不到主题“nosuch”",
    ),
    (
        "site.toml",
        "title = \"x\"\nlanguage = \"zh-CN\"\ntheme = \"../x\"\n",
        "site.toml:3:",
        "theme 只写 themes/ 下的文件夹名",
    ),
    (
        "site.toml",
        "title = \"x\"\nlanguage = \"zh-CN\"\n[taxonomies]\nsummary = \"摘要\"\n",
        "site.toml:4:",
        "同名字段冲突",
    ),
    (
        "site.toml",
        "title = \"x\"\nlanguage = \"zh-CN\"\n[taxonomies]\n\"topic s\" = \"专题\"\n",
        "site.toml:4:",
        "只能用英文字母",
    ),
    (
        "site.toml",
        "title = \"x\"\nlanguage = \"zh-CN\"\n[limits]\nfile_size_mb = 0\n",
        "site.toml:4:",
        "1 或更大的整数",
    ),
    (
        "site.toml",
        "title = \"x\"\nlanguage = \"zh-CN\"\nstylesheets = [\"../x.css\"]\n",
        "site.toml:3:",
        "static/ 文件夹里的文件",
    ),
    (
        "site.toml",
        "title = \"x\"\nlanguage = \"zh-CN\"\n[timeline]\neras = [{ name = \"宁德时期\", start = \"1988-13\", end = \"1990\" }]\n",
        "site.toml:4:",
        "时期“宁德时期”：“1988-13”的月份是 13",
    ),
];

fn site_with(file: &str, text: &str) -> tempfile::TempDir {
    let site = temp();
    std::fs::create_dir_all(site.path().join("content/cases")).unwrap();
    std::fs::write(site.path().join("site.toml"), SITE).unwrap();
    std::fs::write(site.path().join("content/cases/三进下党.md"), TARGET).unwrap();
    let file = site.path().join(file);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
    site
}

fn run(root: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = casebook_zh()
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text += &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

#[test]
fn every_mistake_is_pointed_at_in_chinese() {
    assert!(MISTAKES.len() >= 30);
    let mut failures = Vec::new();
    for (file, text, location, phrase) in MISTAKES {
        let site = site_with(file, text);
        let out = site.path().join("public");
        let output = out.to_str().unwrap();
        let (code, said) = run(site.path(), &["build", "--output", output]);
        let pointed = said
            .lines()
            .any(|l| l.starts_with(location) && l.contains(": 错误: ") && l.contains(phrase));
        if code != Some(1) || !pointed || out.exists() {
            failures.push(format!(
                "{text:?}: want `{location} 错误: …{phrase}…`, exit 1; got {code:?}:\n{said}"
            ));
        }
        // `check` calls the same things errors, at the same place.
        let (code, said) = run(site.path(), &["check"]);
        if code != Some(1)
            || !said
                .lines()
                .any(|l| l.starts_with(location) && l.contains(phrase))
        {
            failures.push(format!(
                "check {text:?}: want `{location} …{phrase}…`; got {code:?}:\n{said}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_short_forms_editors_reach_for_work() {
    let site = site_with(
        "content/cases/课.md",
        "---\ntitle: 课\ndate: 1989\ntags: 四下基层\nlesson:\n  duration: 30\n  materials: [\"@/cases/三进下党.md\"]\n---\n\n[三进下党](@/cases/三进下党.md)\n",
    );
    let out = site.path().join("public");
    let (code, said) = run(site.path(), &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    let page = read(&out, "cases/课/index.html");
    assert!(
        page.contains(">三进下党</a></li>"),
        "material titled from its page: {page}"
    );
    assert!(said.contains("已生成"), "{said}");
    assert!(
        said.contains("个警告") && said.contains("casebook check"),
        "{said}"
    );
    // English for English sites, or when asked.
    let (_, said) = run(
        site.path(),
        &["build", "--lang", "en", "--output", out.to_str().unwrap()],
    );
    assert!(said.contains("Built "), "{said}");
}

#[test]
fn command_line_mistakes_are_blamed_on_the_command_line() {
    let site = site_with("content/cases/x.md", "---\ntitle: x\n---\n");
    let (code, said) = run(site.path(), &["build", "--base-url", "study"]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("命令行参数 --base-url study"), "{said}");
    assert!(!said.contains("site.toml"), "{said}");
    let (code, said) = run(site.path(), &["new", "cases/x.txt"]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("不是 .md 文件"), "{said}");
    let (code, said) = run(&site.path().join("content"), &["new", "cases/y.md"]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("没有 site.toml"), "{said}");
    assert!(!site.path().join("content/content").exists());
    let (code, said) = run(site.path(), &["new", "cases/a'b.md"]);
    assert_eq!(code, Some(0), "{said}");
    let (code, said) = run(site.path(), &["check"]);
    assert_eq!(code, Some(0), "a new page builds: {said}");
}

#[test]
fn the_readme_front_matter_example_builds_when_pasted() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find("    ---\n    title: 三进下党").unwrap();
    let example: String = readme[start..]
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with("    "))
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    let site = site_with("content/cases/例.md", &example);
    let out = site.path().join("public");
    let (code, said) = run(site.path(), &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{example}\n{said}");
}

/// Refusals before anything is built, each run in a Chinese site as an editor types it
/// there: (arguments, a phrase of the message, exit code). The site holds a file
/// `a-file` and a folder `foreign/` of someone else's files.
const REFUSALS: &[(&[&str], &str, i32)] = &[
    // The output folder.
    (
        &["build", "--output", "content"],
        "不能把网站生成到 `content`：它就是 `content/`",
        2,
    ),
    (&["build", "--output", "."], "它就是网站文件夹", 2),
    (
        &["build", "--output", "a-file"],
        "它是一个文件，不是文件夹",
        2,
    ),
    (
        &["build", "--output", "foreign"],
        "说明它不是 casebook 生成的，casebook 不会替换它",
        2,
    ),
    // init and new.
    (&["init", "."], ". 里已经有一个网站", 2),
    (
        &["new", "cases/三进下党.md"],
        "三进下党.md 已经存在：casebook 不会覆盖已有的文件",
        2,
    ),
    (&["new", "../x.md"], "“../x.md”不在 content/ 里", 2),
    (&["new", "cases/a?b.md"], "这个文件名不能用作网址", 2),
    // The command line, as clap reads it.
    (&["build", "--outpt", "x"], "你是不是想用 --output？", 2),
    (&["biuld"], "你是不是想用 casebook build？", 2),
    (&["build", "--output"], "--output 后面要写一个值", 2),
    (
        &["check", "--format", "xml"],
        "--format 不能是“xml”：只能写 human、json",
        2,
    ),
    (&["serve", "--port", "abc"], "--port 的值“abc”不对", 2),
    (&["new"], "缺少 <PATH>", 2),
    (&[], "请在 casebook 后面写要做的事", 2),
    (&["--lang", "fr", "build"], "--lang 不能是“fr”", 2),
];

/// Runs casebook in `dir` with `args`, as typed there; exit code and all it printed.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = casebook_zh().args(args).current_dir(dir).output().unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text += &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

#[test]
fn refusals_and_command_line_mistakes_are_said_in_chinese() {
    let site = site_with("content/cases/x.md", "---\ntitle: x\n---\n");
    std::fs::write(site.path().join("a-file"), "").unwrap();
    std::fs::create_dir(site.path().join("foreign")).unwrap();
    std::fs::write(site.path().join("foreign/notes.txt"), "mine").unwrap();
    let mut failures = Vec::new();
    for (args, phrase, code) in REFUSALS {
        let (got, said) = run_in(site.path(), args);
        if got != Some(*code) || !said.starts_with("错误: ") || !said.contains(phrase) {
            failures.push(format!(
                "casebook {}: want exit {code} and `错误: …{phrase}…`; got {got:?}:\n{said}",
                args.join(" ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(
        std::fs::read_to_string(site.path().join("foreign/notes.txt")).unwrap(),
        "mine"
    );

    // A second build while another writes the same folder.
    let out = site.path().join("public");
    let held = casebook::testing::claim(site.path(), &out, &[]).unwrap();
    let (code, said) = run_in(site.path(), &["build"]);
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("另一个 casebook 正在生成到这个文件夹"),
        "{said}"
    );
    drop(held);
}

#[test]
fn the_language_of_a_command_line_mistake_is_found_without_clap() {
    let site = site_with("content/cases/x.md", "---\ntitle: x\n---\n");
    let english = |command: &mut std::process::Command| {
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    // CASEBOOK_LANG, then --lang, which wins.
    let said = english(
        casebook()
            .args(["build", "--outpt", "x"])
            .current_dir(site.path()),
    );
    assert!(said.contains("Did you mean --output?"), "{said}");
    let said = english(
        casebook()
            .args(["--lang", "zh", "build", "--outpt", "x"])
            .current_dir(site.path()),
    );
    assert!(said.contains("你是不是想用 --output？"), "{said}");
    // The site named by --root, wherever casebook is run.
    std::fs::write(
        site.path().join("site.toml"),
        "title = \"Study\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let said = english(
        casebook_zh()
            .args(["check", "--format", "xml", "--root"])
            .arg(site.path()),
    );
    assert!(said.contains("invalid value `xml` for --format"), "{said}");
}

#[test]
fn an_english_site_still_gets_english() {
    let site = temp();
    let root = site.path();
    std::fs::create_dir_all(root.join("content/cases")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        "title = \"Study\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let page = |text: &str| std::fs::write(root.join("content/cases/x.md"), text).unwrap();
    let han = |said: &str| said.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let cases: &[(&str, &[&str], &str, i32)] = &[
        (
            "---\ntitle: x\npublished: soon\n---\n",
            &["build"],
            "content/cases/x.md:3: error: `published`: `soon` is not a date",
            1,
        ),
        (
            "---\ntitle: x\ntemplate: nosuch.html\n---\n",
            &["check"],
            "template `nosuch.html` not found",
            1,
        ),
        (
            "---\ntitle: x\n---\n",
            &["build", "--output", "content"],
            "error: refusing to write the site to `content`",
            2,
        ),
        (
            "---\ntitle: x\n---\n",
            &["new", "cases/x.md"],
            "already exists: casebook does not overwrite files",
            2,
        ),
        (
            "---\ntitle: x\n---\n",
            &["build", "--outpt", "x"],
            "error: unexpected argument `--outpt`. Did you mean --output?",
            2,
        ),
        ("---\ntitle: x\n---\n", &["build"], "Built 1 pages", 0),
    ];
    for (text, args, phrase, code) in cases {
        page(text);
        let (got, said) = run_in(root, args);
        assert_eq!(got, Some(*code), "{args:?}: {said}");
        assert!(
            said.contains(phrase),
            "{args:?}: want {phrase:?} in\n{said}"
        );
        assert!(!han(&said), "{args:?}: Chinese on an English site:\n{said}");
    }
}
