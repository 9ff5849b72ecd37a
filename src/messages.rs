//! Every message casebook shows an editor, in Chinese and in English, in one place.
//!
//! casebook's editors are Chinese and mostly not programmers: a zh-CN site gets its
//! problems in Chinese, an English site in English (`--lang` or `CASEBOOK_LANG`
//! switch). Problems are made once, carrying both languages as a [`Text`]; the language
//! is chosen only where they are printed. Each message says what is wrong and what to
//! do; where it is, `path:line:col:`, is printed before it.
//!
//! A message not yet translated is a `Text` made from one English string (`From<String>`);
//! it shows in English in both languages.

use std::fmt;
use std::path::Path;

/// The language of casebook's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `zh_TW.UTF-8`, `en`, `en-GB`… → a language; anything else → `None`.
    pub fn parse(text: &str) -> Option<Lang> {
        let text = text.trim().to_ascii_lowercase();
        if text.starts_with("zh") {
            Some(Lang::Zh)
        } else if text.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language for a site: the command line's `--lang`, else `CASEBOOK_LANG`,
    /// else the site's `language` in site.toml (read even when the rest of the file is
    /// broken, since its problems are reported in that language), else Chinese.
    pub fn for_site(root: &Path, flag: Option<Lang>) -> Lang {
        flag.or_else(|| {
            std::env::var("CASEBOOK_LANG")
                .ok()
                .and_then(|v| Lang::parse(&v))
        })
        .or_else(|| {
            let text = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)).ok()?;
            site_language(&text)
        })
        .unwrap_or_default()
    }
}

/// The `language = "…"` line of a site.toml, found without parsing the whole file.
fn site_language(toml: &str) -> Option<Lang> {
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            return None;
        }
        if let Some((key, value)) = line.split_once('=')
            && key.trim() == "language"
        {
            return Lang::parse(value.trim().trim_matches(['"', '\'']));
        }
    }
    None
}

/// One message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text {
    /// In English.
    pub en: String,
    /// In Chinese.
    pub zh: String,
}

impl Text {
    /// A message in both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Both languages with `before` put in front (a prefix naming the field, say).
    pub fn prefixed(self, before: &Text) -> Text {
        Text {
            en: format!("{}{}", before.en, self.en),
            zh: format!("{}{}", before.zh, self.zh),
        }
    }
}

impl From<String> for Text {
    fn from(en: String) -> Text {
        Text { zh: en.clone(), en }
    }
}

impl From<&str> for Text {
    fn from(en: &str) -> Text {
        Text::from(en.to_owned())
    }
}

/// Shows the English; printing for people goes through [`Text::get`].
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

macro_rules! text {
    ($zh:expr, $en:expr $(,)?) => {
        Text::new($zh, $en)
    };
}

// ── Labels and summaries ────────────────────────────────────────────────────────────

/// `error` before a problem.
pub fn error_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "错误",
        Lang::En => "error",
    }
}

/// `warning` before a doubt.
pub fn warning_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "警告",
        Lang::En => "warning",
    }
}

/// The last line of a failed run.
pub fn problems_found(n: usize) -> Text {
    text!(
        format!("共发现 {n} 个问题，网站没有生成：请按上面每行开头的“文件:行:列”逐个修改"),
        format!("{n} problem{} found", if n == 1 { "" } else { "s" })
    )
}

/// The line after the first hundred problems.
pub fn and_more(n: usize) -> Text {
    text!(format!("……还有 {n} 个"), format!("… and {n} more"))
}

/// What `build` says when it succeeded.
pub fn built(
    pages: usize,
    sections: usize,
    files: usize,
    seconds: f64,
    output: &Path,
    warnings: usize,
) -> Text {
    let output = output.display();
    let mut text = text!(
        format!(
            "已生成 {pages} 个页面、{sections} 个栏目（共 {files} 个文件），用时 {seconds:.2} 秒 → {output}"
        ),
        format!(
            "Built {pages} pages, {sections} sections ({files} files) in {seconds:.2} s → {output}"
        )
    );
    if warnings > 0 {
        text = text!(
            format!(
                "{}\n有 {warnings} 个警告（不影响生成）：运行 casebook check 查看每一个",
                text.zh
            ),
            format!(
                "{}\n{warnings} warning{}: run casebook check to list them",
                text.en,
                if warnings == 1 { "" } else { "s" }
            )
        );
    }
    text
}

/// The last line of `check`.
pub fn checked(pages: usize, links: Option<usize>, errors: usize, warnings: usize) -> Text {
    match links {
        Some(links) => text!(
            format!("检查了 {pages} 个页面、{links} 个链接：{errors} 个错误，{warnings} 个警告"),
            format!(
                "Checked {pages} pages and {links} links: {errors} error{}, {warnings} warning{}",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            )
        ),
        None => text!(
            format!(
                "读取了 {pages} 个页面：{errors} 个错误，{warnings} 个警告。链接还没有检查：先改正上面的错误，再运行 casebook check"
            ),
            format!(
                "Read {pages} pages: {errors} error{}, {warnings} warning{}. Links were not checked: correct the errors above and run casebook check again",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            )
        ),
    }
}

// ── The command line ────────────────────────────────────────────────────────────────

/// `build`/`check`/`serve` run outside a site.
pub fn no_site(root: &Path, command: &str) -> Text {
    let root = root.display();
    text!(
        format!(
            "{root} 里没有 site.toml，不是一个网站文件夹：请先进入网站文件夹（cd 到有 site.toml 的文件夹）再运行 casebook {command}，或者加上 --root 网站文件夹；要新建网站，运行 casebook init 文件夹名"
        ),
        format!(
            "{root} holds no site.toml: run casebook {command} in a site folder, pass --root DIR, or start a site with `casebook init DIR`"
        )
    )
}

/// `--base-url` given a value that is neither a URL nor a path.
pub fn base_url_flag(url: &str) -> Text {
    text!(
        format!(
            "命令行参数 --base-url {url}：网址要写完整（https://example.org/study/），或者写以 / 开头的路径（/study/）"
        ),
        format!(
            "the command line's --base-url `{url}` must be an absolute URL (https://example.org/study/) or a path starting with / (/study/)"
        )
    )
}

/// `base_url` of site.toml neither a URL nor a path.
pub fn base_url_config(url: &str) -> Text {
    text!(
        format!(
            "base_url = \"{url}\" 不对：网址要写完整（\"https://example.org/study/\"），或者写以 / 开头的路径（\"/study/\"）"
        ),
        format!(
            "base_url `{url}` must be an absolute URL (https://example.org/study/) or a path starting with / (/study/)"
        )
    )
}

/// `[timeline] places` or `topics` naming a taxonomy the site does not declare.
pub fn timeline_filter_taxonomy(
    key: &str,
    name: &str,
    declared: &[crate::config::Taxonomy],
) -> Text {
    let keys: Vec<&str> = declared.iter().map(|t| t.key.as_str()).collect();
    text!(
        format!(
            "[timeline] 里的 {key} = \"{name}\" 不对：[taxonomies] 里没有 `{name}`。请写其中之一：{}，或者删掉这一行",
            keys.join("、")
        ),
        format!(
            "[timeline] {key} = \"{name}\" names no taxonomy: [taxonomies] declares {}; write one of those, or delete the line",
            keys.join(", ")
        )
    )
}

/// `new` outside a site.
pub fn new_outside_site(root: &Path) -> Text {
    let root = root.display();
    text!(
        format!(
            "{root} 里没有 site.toml，不是一个网站文件夹，所以没有新建页面：请先进入网站文件夹再运行 casebook new，或者加上 --root 网站文件夹"
        ),
        format!(
            "{root} holds no site.toml, so no page was made: run casebook new in a site folder or pass --root DIR"
        )
    )
}

/// `new` given a name that is not a Markdown file.
pub fn new_not_markdown(path: &Path) -> Text {
    let path = path.display();
    text!(
        format!(
            "“{path}”不是 .md 文件：页面文件名要以 .md 结尾，例如 casebook new cases/新案例.md"
        ),
        format!(
            "`{path}` is not a .md file: a page's name ends in .md, e.g. casebook new cases/new-case.md"
        )
    )
}

/// `new` made a page.
pub fn new_created(file: &Path) -> Text {
    let file = file.display();
    text!(
        format!("已新建 {file}：打开它，改好标题，写正文；写完运行 casebook check 检查"),
        format!("Created {file}")
    )
}

/// `init` made a site.
pub fn init_created(dir: &Path) -> Text {
    let dir = dir.display();
    text!(
        format!(
            "已在 {dir} 新建网站。下一步：cd {dir}，然后运行 casebook serve 边写边预览，或 casebook build 生成网站"
        ),
        format!("Created a new site in {dir}. Next: cd {dir} && casebook build")
    )
}

// ── Front matter: the YAML between the `---` lines ──────────────────────────────────

/// `title：九进寿宁`.
pub fn fullwidth_colon(key: &str) -> Text {
    text!(
        format!(
            "“{key}”后面用了中文冒号“：”：字段名后面要用英文冒号“:”再加一个空格，请改成 `{key}: …`"
        ),
        format!(
            "`{key}` is followed by a full-width colon `：`: write an ASCII colon and a space, `{key}: …`"
        )
    )
}

/// `title:九进寿宁`.
pub fn no_space_after_colon(key: &str) -> Text {
    text!(
        format!("“{key}:”后面少了一个空格：冒号后面要空一格，请改成 `{key}: …`"),
        format!("`{key}:` needs a space after the colon: write `{key}: …`")
    )
}

/// `tags: [四下基层，调查研究]` or `tags: 四下基层, 调查研究`: one name to YAML.
pub fn comma_in_name(key: &str, mark: char) -> Text {
    text!(
        format!(
            "`{key}` 的一个名称里有“{mark}”，整串会被当成一个名称：多个名称请写成 `{key}: [四下基层, 调查研究]`（方括号，英文逗号“,”分隔）"
        ),
        format!(
            "a name in `{key}` holds `{mark}`, so it is one name: write several as `{key}: [a, b]` (brackets, ASCII commas)"
        )
    )
}

/// `tags: 【四下基层, 调查研究】`.
pub fn fullwidth_bracket(mark: char) -> Text {
    text!(
        format!("列表用了中文括号“{mark}”：请改用英文方括号，例如 `[四下基层, 调查研究]`"),
        format!("the list uses a full-width bracket `{mark}`: write ASCII brackets, e.g. `[a, b]`")
    )
}

/// A U+3000 ideographic space where YAML needs an ASCII one.
pub fn fullwidth_space(where_: SpaceAt) -> Text {
    match where_ {
        SpaceAt::Indent => text!(
            "行首有中文全角空格“　”：缩进只能用英文空格，请删掉它，再用空格键（半角）缩进",
            "the line is indented with a full-width space (U+3000): indent with ASCII spaces"
        ),
        SpaceAt::AfterColon => text!(
            "冒号后面是中文全角空格“　”：请换成英文空格（半角）",
            "the colon is followed by a full-width space (U+3000): use an ASCII space"
        ),
    }
}

/// Where a full-width space was found.
#[derive(Debug, Clone, Copy)]
pub enum SpaceAt {
    /// In the indentation.
    Indent,
    /// Right after `key:`.
    AfterColon,
}

/// `tags: [“四下基层”, …]` or `summary: “a: b”`.
pub fn fullwidth_quote(mark: char) -> Text {
    text!(
        format!(
            "这里用了中文引号“{mark}”来括住值：YAML 只认英文引号。请改成英文双引号 \"…\"，或者去掉引号"
        ),
        format!(
            "a full-width quote `{mark}` is used to quote the value: YAML quotes are ASCII, write \"…\" or leave the quotes out"
        )
    )
}

/// A tab in the indentation.
pub fn tab_indent() -> Text {
    text!(
        "行首有制表符（Tab 键）：front matter 只能用空格缩进，请把 Tab 换成两个空格",
        "the line is indented with a tab: front matter is indented with spaces only; replace the tab with two spaces"
    )
}

/// A line indented between two levels.
pub fn misaligned(spaces: usize, first_line: usize, first_spaces: usize) -> Text {
    text!(
        format!(
            "这一行缩进了 {spaces} 个空格，和同一层的第 {first_line} 行（缩进 {first_spaces} 个空格）没有对齐：同一层的字段要从同一列开始，请改成 {first_spaces} 个空格"
        ),
        format!(
            "this line is indented by {spaces} spaces, but line {first_line}, at the same level, by {first_spaces}: fields of one level start at the same column; indent by {first_spaces}"
        )
    )
}

/// A field indented under a line that holds a value.
pub fn indented_too_far(key_line: usize) -> Text {
    text!(
        format!(
            "这一行比第 {key_line} 行缩进得多，但第 {key_line} 行已经写了值，下面不能再有子项：如果它们是同一层的字段，请删掉这一行行首多出的空格"
        ),
        format!(
            "this line is indented further than line {key_line}, which already has a value: if it is a field of the same level, remove the extra spaces"
        )
    )
}

/// A value holding `: ` that YAML takes for a new key.
pub fn colon_in_value(line: &str) -> Text {
    text!(
        format!(
            "这一行的值里有英文冒号加空格“: ”，被当成了新的字段：`{line}`。请把整个值用英文引号括起来（\"…\"），或者把这个冒号换成中文冒号“：”"
        ),
        format!(
            "the value holds `: `, which YAML reads as a new key: `{line}`. Put the whole value in quotes (\"…\")"
        )
    )
}

/// `weight: 重`, `draft: 是`: a value of the wrong kind, as serde-saphyr words it.
pub fn invalid_scalar(kind: &str, line: &str) -> Text {
    let zh = match kind {
        "boolean" | "bool" => "true 或 false（英文，不加引号）",
        k if k.starts_with('i') || k.starts_with('u') => "一个整数（如 30，用半角数字）",
        k if k.starts_with('f') => "一个数字",
        _ => "别的类型的值",
    };
    text!(
        format!("这里要写{zh}：`{line}`"),
        format!("invalid {kind}: `{line}`")
    )
}

/// A YAML error the checks above did not foresee, with its line.
pub fn yaml_syntax(parser: &str, line: &str) -> Text {
    text!(
        format!(
            "这一行的格式不对（YAML 格式）：`{line}`。常见原因：冒号后少了空格、用了中文标点、缩进没对齐、引号或括号没配对。（原始信息：{parser}）"
        ),
        format!("{parser}: `{line}`")
    )
}

/// A page without the `---` lines.
pub fn no_front_matter() -> Text {
    text!(
        "文件开头没有 front matter：第一行要写三个英文减号 ---，接着写 `title: 标题`，再写一行 --- 结束（都用半角字符）",
        "no front matter: start the file with a `---` line, then `title: …`, then `---`"
    )
}

/// The closing `---` missing.
pub fn front_matter_unclosed() -> Text {
    text!(
        "front matter 没有结束：在最后一个字段后面加一行 ---（三个英文减号）",
        "the front matter is not closed: add a `---` line after its last field"
    )
}

/// The front matter is empty.
pub fn front_matter_empty() -> Text {
    text!(
        "front matter（两行 --- 之间的部分）是空的：请至少写上 `title: 标题`",
        "the front matter is empty: add `title: …` between the `---` lines"
    )
}

/// `title` missing.
pub fn missing_field(field: &str) -> Text {
    text!(
        format!("缺少 `{field}`：请在两行 --- 之间加上一行 `{field}: …`"),
        format!("missing field `{field}`: add `{field}: …`")
    )
}

/// A key that is not a field, with the near one.
pub fn unknown_field_near(key: &str, near: &str) -> Text {
    text!(
        format!("没有“{key}”这个字段，是不是想写 `{near}`？请改正拼写"),
        format!("unknown field `{key}`, did you mean `{near}`?")
    )
}

/// A key that is not a field, with the list.
pub fn unknown_field(key: &str, known: &[&str], page: bool) -> Text {
    let list = known.join(", ");
    if page {
        text!(
            format!(
                "没有“{key}”这个字段：页面可用的字段有 {list}；分类（如 tags）要先在 site.toml 的 [taxonomies] 里声明"
            ),
            format!(
                "unknown field `{key}`; page fields are {list}, and taxonomies are declared in site.toml"
            )
        )
    } else {
        text!(
            format!("没有“{key}”这个字段：可用的字段有 {list}"),
            format!("unknown field `{key}`; known fields are {list}")
        )
    }
}

/// A taxonomy given something other than names.
pub fn terms_not_names(key: &str, found: &str) -> Text {
    text!(
        format!(
            "`{key}` 要写一个名称或一组名称，例如 `{key}: 寿宁` 或 `{key}: [寿宁, 下党乡]`，而这里是 {found}"
        ),
        format!(
            "`{key}` must be a list of names such as `[寿宁, 下党乡]` or one name, not {found}"
        )
    )
}

/// A field given a value of the wrong kind (`weight: 重`).
pub fn wrong_type(found: &str, expected: &str, line: &str) -> Text {
    let zh_expected = match expected {
        e if e.contains("i64") || e.contains("u32") || e.contains("integer") => "一个整数（如 30）",
        e if e.contains("bool") => "true 或 false",
        e if e.contains("sequence") || e.contains("Vec") => "一个列表（每项一行，以“- ”开头）",
        e if e.contains("struct") || e.contains("map") => "几个子字段（下一行起缩进两个空格）",
        e if e.contains("string") => "一段文字",
        _ => expected,
    };
    text!(
        format!("这里要写{zh_expected}，而写的是 {found}：`{line}`"),
        format!("expected {expected}, found {found}: `{line}`")
    )
}

/// A date field holding a value YAML read as a float (`date: 0000`, `1989.7`).
pub fn not_a_date(written: &str) -> Text {
    text!(
        format!(
            "“{written}”不是日期：日期写成 1989、1989-07 或 1989-07-19（年份四位，月、日两位，用英文连字符 - 分开）；时间段写成 1988/1990"
        ),
        format!("`{written}` is not a date: {}", crate::date::ACCEPTED_FORMS)
    )
}

/// A date with a bad month.
pub fn bad_month(written: &str, month: u8) -> Text {
    text!(
        format!("“{written}”的月份是 {month}：月份只能是 01 到 12"),
        format!("`{written}` has month {month}: months run from 01 to 12")
    )
}

/// A date with a bad day.
pub fn bad_day(written: &str, year: u16, month: u8, day: u8, last: u8) -> Text {
    text!(
        format!("“{written}”的日是 {day}：{year}年{month}月只有 01 到 {last} 日"),
        format!("`{written}` has day {day}: {year}年{month}月 has days 01 to {last}")
    )
}

/// A range with a separate `end_date` too.
pub fn range_and_end(written: &str) -> Text {
    text!(
        format!("“{written}”已经是一个时间段：请删掉 `end_date`，或者在 `date` 里只写开始日期"),
        format!(
            "`{written}` is already a range: leave out `end_date`, or write only the start in `date`"
        )
    )
}

/// A range `1989/` with no end.
pub fn range_without_end(written: &str) -> Text {
    text!(
        format!("“{written}”的斜杠后面没有结束日期：时间段写成 1988/1990；只有一个日期就删掉斜杠"),
        format!(
            "`{written}` has no end after the slash: write a range as 1988/1990, or leave the slash out"
        )
    )
}

/// An end before the start.
pub fn end_before_start(end: &str, start: &str) -> Text {
    text!(
        format!("结束日期 {end} 早于开始日期 {start}：请对调，或改正其中一个"),
        format!("the end date {end} is before the start date {start}: swap them or correct one")
    )
}

/// `end_date` alone.
pub fn end_without_start(field: &str) -> Text {
    text!(
        format!("有 `end_date` 却没有 `date`：请在 {field} 里加上开始日期 `date:`"),
        format!("`end_date` needs a `date` to start from: add `date:` to {field}")
    )
}

/// A lesson whose parts do not add up.
pub fn schedule_mismatch(planned: u32, duration: u32) -> Text {
    text!(
        format!(
            "教学安排（schedule）各部分加起来是 {planned} 分钟，但 `duration` 写的是 {duration} 分钟：请让两者一致"
        ),
        format!(
            "the lesson's schedule adds up to {planned} minutes but `duration` is {duration}: make them agree"
        )
    )
}

/// `materials: ["@/cases/x.md"]` naming something that is not a page link.
pub fn material_short_form(written: &str) -> Text {
    text!(
        format!(
            "材料“{written}”只写了一个字符串：这种简写只能用于站内页面（以 @/ 开头，如 \"@/cases/三进下党.md\"，标题取自该页）；其他材料请写成 `{{title: 书名, url: 网址}}`"
        ),
        format!(
            "material `{written}` is a bare string: that short form is for pages of the site (`@/cases/page.md`, titled from the page); write others as `{{title: …, url: …}}`"
        )
    )
}

// ── Links ───────────────────────────────────────────────────────────────────────────

/// An `@/` link to no page.
pub fn no_such_page(written: &str, target: &str, near: Option<&str>) -> Text {
    let (zh_hint, en_hint) = match near {
        Some(k) => (
            format!("是不是想写 `@/{k}`？"),
            format!(" (did you mean `@/{k}`?)"),
        ),
        None => (String::new(), String::new()),
    };
    text!(
        format!(
            "链接 `{written}` 找不到页面 content/{target}：{zh_hint}请检查路径（从 content/ 之后写起，包括 .md）"
        ),
        format!(
            "broken link `{written}`: no page `{target}` under content/{en_hint}: check the path, which starts from content/"
        )
    )
}

/// An `@/page#anchor` link to a heading the page lacks.
pub fn no_such_heading(written: &str, target: &str, anchor: &str, ids: &[String]) -> Text {
    let near = crate::diagnostics::did_you_mean(anchor, ids.iter().map(String::as_str));
    let (zh_hint, en_hint) = match near {
        Some(id) => (
            format!("是不是想写 `#{id}`？"),
            format!("did you mean `#{id}`?"),
        ),
        None if ids.is_empty() => (
            "那一页没有小标题。".to_owned(),
            "it has no headings".to_owned(),
        ),
        None => (
            format!("那一页的小标题 id 有：{}。", ids.join("、")),
            format!("its heading ids are {}", ids.join(", ")),
        ),
    };
    text!(
        format!(
            "链接 `{written}`：{target} 里没有 id 为“{anchor}”的小标题。{zh_hint}小标题的 id 是标题文字本身，或在标题后用 {{#id}} 指定"
        ),
        format!("broken link `{written}`: `{target}` has no heading `#{anchor}`: {en_hint}")
    )
}

/// An event's `anchor:` naming no heading of its page.
pub fn event_anchor(anchor: &str, ids: &[String]) -> Text {
    text!(
        format!(
            "事件的 `anchor: {anchor}` 在本页找不到对应的小标题：本页小标题的 id 有 {}。可以在小标题后加 {{#{anchor}}} 来指定 id，或者改正 anchor",
            if ids.is_empty() {
                "（没有）".to_owned()
            } else {
                ids.join("、")
            }
        ),
        format!(
            "event anchor `{anchor}`: this page has no heading with that id; its ids are {}",
            ids.join(", ")
        )
    )
}

/// A link in the body to a file the site does not have.
pub fn link_to_nothing(written: &str) -> Text {
    text!(
        format!(
            "链接 `{written}` 指向的页面或文件不存在：请检查路径；链接站内页面最好写成 `@/栏目/文件名.md`，这样写错时会直接指出"
        ),
        format!("`{written}` links to a file that is not in the site")
    )
}

/// A link that looks like a web address without `https://`.
pub fn link_without_scheme(written: &str) -> Text {
    text!(
        format!(
            "链接 `{written}` 看起来是网址，但缺少 https://：不写的话会被当成站内文件。请写成 `https://{written}`"
        ),
        format!(
            "`{written}` looks like a web address without https://, so it is read as a file of the site: write `https://{written}`"
        )
    )
}

/// A link to a heading the target lacks (found in the rendered site).
pub fn link_to_missing_anchor(written: &str, fragment: &str, target: &str) -> Text {
    text!(
        format!(
            "链接 `{written}` 指向 `#{fragment}`，但 {target} 里没有这个 id：请检查小标题，或在小标题后用 {{#{fragment}}} 指定 id"
        ),
        format!("`{written}` points to `#{fragment}`, which `{target}` does not have")
    )
}

/// Literal `**` left in a page.
pub fn literal_stars() -> Text {
    text!(
        "页面上显示出了“**”：加粗的星号没有配对，请检查这一行的 ** 是否成对",
        "shows a literal `**`: a bold mark did not pair up; check the asterisks around it"
    )
}

/// A page no other page links to.
pub fn orphan() -> Text {
    text!(
        "没有任何页面链接到这一页（孤立页面）：请把它放进栏目，或从别的页面链接过来",
        "no other page links here (an orphan): list it in a section or link to it"
    )
}

/// A page without summary or first paragraph.
pub fn no_summary() -> Text {
    text!(
        "这一页既没有 `summary:`（摘要），正文也没有第一段，列表里会没有简介：请加上 `summary: …`",
        "has no summary and no first paragraph, so lists show it without one: add `summary:`"
    )
}

/// A dated page without sources.
pub fn no_sources() -> Text {
    text!(
        "这一页写了日期，却没有 `sources:`（资料来源）：请列出史实出自哪些文献",
        "gives dates but no `sources:`: list the works its facts come from (资料来源)"
    )
}

/// An event without its source.
pub fn event_without_source(title: &str) -> Text {
    text!(
        format!("事件“{title}”没有 `source:`：请注明日期的出处"),
        format!("event `{title}` has no `source:`: say where its date comes from (出处)")
    )
}

/// An external link that could not be reached.
pub fn unreachable(message: &Text, address: &str) -> Text {
    text!(
        format!(
            "{}：连不上 {address}（没有联网，或网站已经关闭）",
            message.zh
        ),
        format!(
            "{}: could not reach {address} (offline, or the site is gone)",
            message.en
        )
    )
}

// ── site.toml ───────────────────────────────────────────────────────────────────────

/// An unknown key in site.toml, with the table it is in.
pub fn unknown_config_key(key: &str, table: &str, near: Option<&str>, known: &[&str]) -> Text {
    let (zh_where, en_where) = if table.is_empty() {
        ("site.toml 开头部分".to_owned(), "site.toml".to_owned())
    } else {
        (format!("[{table}] 里"), format!("[{table}]"))
    };
    match near {
        Some(near) => text!(
            format!("{zh_where}没有“{key}”这一项，是不是想写 `{near}`？请改正拼写"),
            format!("unknown field `{key}` in {en_where}, did you mean `{near}`?")
        ),
        None => text!(
            format!("{zh_where}没有“{key}”这一项：可用的有 {}", known.join(", ")),
            format!(
                "unknown field `{key}` in {en_where}; the fields are: {}",
                known.join(", ")
            )
        ),
    }
}

/// A TOML syntax error, with the line.
pub fn toml_syntax(parser: &str, line: &str) -> Text {
    text!(
        format!(
            "site.toml 这一行的格式不对：`{line}`。每一项写成 名称 = \"值\"（文字要用英文双引号括起来）。（原始信息：{parser}）"
        ),
        format!("{parser}: `{line}`")
    )
}

/// `title` missing from site.toml.
pub fn config_missing(field: &str) -> Text {
    text!(
        format!("site.toml 缺少 `{field}`：请加上一行 {field} = \"…\""),
        format!("missing field `{field}`: add `{field} = \"…\"` to site.toml")
    )
}

// ── Self-tests (quiz) ───────────────────────────────────────────────────────────────

pub fn quiz_unknown_type(written: &str) -> Text {
    text!(
        format!(
            "题型 `{written}` 不认识：请写 单选、多选、判断 或 填空（也可写 single、multiple、judge、blank）"
        ),
        format!(
            "quiz question type `{written}` is unknown: use single (单选), multiple (多选), judge (判断) or blank (填空)"
        ),
    )
}

pub fn quiz_no_answer(question: &str) -> Text {
    text!(
        format!("题目“{question}”缺少 `answer:`（答案）"),
        format!("quiz question “{question}” has no `answer:`"),
    )
}

pub fn quiz_too_few_options(question: &str) -> Text {
    text!(
        format!("选择题“{question}”至少要有两个 `options:`（选项）"),
        format!("quiz question “{question}” needs at least two `options:`"),
    )
}

pub fn quiz_too_many_options(question: &str) -> Text {
    text!(
        format!("选择题“{question}”的选项超过 26 个：选项按 A 到 Z 编号，请减少选项"),
        format!("quiz question “{question}” has more than 26 options: they are lettered A to Z"),
    )
}

pub fn quiz_answer_not_an_option(answer: &str, question: &str) -> Text {
    text!(
        format!("答案 `{answer}` 不在题目“{question}”的选项里：用字母（A、B……）或选项的原文作答"),
        format!(
            "quiz answer `{answer}` is not among the options of “{question}”: answer with a letter (A, B, …) or an option's text"
        ),
    )
}

pub fn quiz_single_needs_one(question: &str) -> Text {
    text!(
        format!("单选题“{question}”只能有一个答案；有几个答案的请写 `type: 多选`"),
        format!(
            "single-choice question “{question}” needs exactly one answer; use `type: multiple` for several"
        ),
    )
}

pub fn quiz_judge_answer(question: &str, written: &str) -> Text {
    text!(
        format!("判断题“{question}”的答案要写 对 或 错（或 true、false），现在是 {written}"),
        format!(
            "judge question “{question}” needs `answer: true` or `false` (对/错), not {written}"
        ),
    )
}

pub fn quiz_blank_answer(question: &str) -> Text {
    text!(
        format!("填空题“{question}”缺少 `answer:`：写出可接受的答案，几个都行时写成列表"),
        format!("blank question “{question}” needs an `answer:`"),
    )
}

// ── Reading files ───────────────────────────────────────────────────────────────────

pub fn file_name_not_utf8() -> Text {
    text!(
        "文件名不是有效的 UTF-8：请重命名这个文件",
        "the file name is not valid UTF-8: rename it",
    )
}

pub fn file_name_control_character() -> Text {
    text!(
        "文件名里有控制字符（如换行或制表符）：请重命名这个文件",
        "the file name holds a control character (such as a line break or tab): rename it",
    )
}

pub fn link_outside_site(target: &str) -> Text {
    text!(
        format!("是指向网站以外（{target}）的符号链接，没有读取；要发布它，请把文件复制到网站里"),
        format!(
            "is a symbolic link to {target}, outside the site: left out (copy the file into the site to publish it)"
        ),
    )
}

pub fn dangling_link() -> Text {
    text!(
        "是指向不存在的文件的符号链接，没有读取",
        "is a symbolic link to nothing: left out",
    )
}

pub fn not_a_regular_file() -> Text {
    text!(
        "不是普通文件（而是管道、套接字或设备），没有读取",
        "is not a regular file (a pipe, socket or device): left out",
    )
}

pub fn cannot_read(why: &str) -> Text {
    text!(
        format!("读不了这个文件：{why}"),
        format!("cannot read the file: {why}")
    )
}

pub fn file_too_large(size_mb: Option<u64>, limit_mb: u64) -> Text {
    let (zh, en) = match size_mb {
        Some(size) => (
            format!("文件有 {size} MB，"),
            format!("the file is {size} MB, "),
        ),
        None => (String::from("文件"), String::from("the file is ")),
    };
    text!(
        format!(
            "{zh}超过了单个文件 {limit_mb} MB 的上限：请把它改小，或在 site.toml 的 `[limits]` 下调高 `file_size_mb`"
        ),
        format!(
            "{en}more than the {limit_mb} MB a file may be: make it smaller, or raise `file_size_mb` under `[limits]` in site.toml"
        ),
    )
}

pub fn not_text() -> Text {
    text!(
        "这个文件不是 UTF-8、UTF-16 或 GBK 编码的文本：请用 UTF-8 编码另存（记事本“另存为”时选 UTF-8）",
        "the file is not valid UTF-8, UTF-16 or GBK text: save it with UTF-8 encoding",
    )
}

pub fn control_character(c: char) -> Text {
    let code = c as u32;
    text!(
        format!("这里有控制字符 U+{code:04X}，页面上不该出现：请删掉它"),
        format!("holds the control character U+{code:04X}, which no page should show: remove it"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_tags_and_site_toml() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(
            site_language("titel = 1\nlanguage = \"en\"\n"),
            Some(Lang::En)
        );
        assert_eq!(site_language("[x]\nlanguage = \"en\"\n"), None);
    }
}
