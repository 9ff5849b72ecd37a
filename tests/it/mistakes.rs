//! The mistakes a Chinese editor makes, each with where casebook must point and what it
//! must say (in Chinese): one table, one fresh site per row. Links are also checked to
//! be reported alike by `build` and `check`.

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
];

fn site_with(file: &str, text: &str) -> tempfile::TempDir {
    let site = temp();
    std::fs::create_dir_all(site.path().join("content/cases")).unwrap();
    std::fs::write(site.path().join("site.toml"), SITE).unwrap();
    std::fs::write(site.path().join("content/cases/三进下党.md"), TARGET).unwrap();
    std::fs::write(site.path().join(file), text).unwrap();
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
