//! Every message casebook shows an editor, in Chinese and in English, in one place.
//!
//! casebook's editors are Chinese and mostly not programmers: a zh-CN site gets its
//! problems in Chinese, an English site in English (`--lang` or `CASEBOOK_LANG`
//! switch). Problems are made once, carrying both languages as a [`Text`]; the language
//! is chosen only where they are printed. Each message says what is wrong and what to
//! do; where it is, `path:line:col:`, is printed before it.
//!
//! A `Text` is made with both languages, by the functions below; there is no conversion
//! from one string, so an untranslated message does not compile. What the editor wrote is
//! quoted as written ([`verbatim`]); the words of a library (Tera, the system) are quoted
//! inside a translated message.

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
pub(crate) fn problems_found(n: usize) -> Text {
    text!(
        format!("共发现 {n} 个问题，网站没有生成：请按上面每行开头的“文件:行:列”逐个修改"),
        format!("{n} problem{} found", if n == 1 { "" } else { "s" })
    )
}

/// The line after the first hundred problems.
pub(crate) fn and_more(n: usize) -> Text {
    text!(format!("……还有 {n} 个"), format!("… and {n} more"))
}

/// What `build` says when it succeeded.
pub(crate) fn built(
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
pub(crate) fn checked(pages: usize, links: Option<usize>, errors: usize, warnings: usize) -> Text {
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
pub(crate) fn no_site(root: &Path, command: &str) -> Text {
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
pub(crate) fn base_url_flag(url: &str) -> Text {
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
pub(crate) fn base_url_config(url: &str) -> Text {
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
pub(crate) fn timeline_filter_taxonomy(
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
pub(crate) fn new_outside_site(root: &Path) -> Text {
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
pub(crate) fn new_not_markdown(path: &Path) -> Text {
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
pub(crate) fn new_created(file: &Path) -> Text {
    let file = file.display();
    text!(
        format!("已新建 {file}：打开它，改好标题，写正文；写完运行 casebook check 检查"),
        format!("Created {file}")
    )
}

/// `init` made a site.
pub(crate) fn init_created(dir: &Path) -> Text {
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
pub(crate) fn fullwidth_colon(key: &str) -> Text {
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
pub(crate) fn no_space_after_colon(key: &str) -> Text {
    text!(
        format!("“{key}:”后面少了一个空格：冒号后面要空一格，请改成 `{key}: …`"),
        format!("`{key}:` needs a space after the colon: write `{key}: …`")
    )
}

/// `tags: [四下基层，调查研究]` or `tags: 四下基层, 调查研究`: one name to YAML.
pub(crate) fn comma_in_name(key: &str, mark: char) -> Text {
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
pub(crate) fn fullwidth_bracket(mark: char) -> Text {
    text!(
        format!("列表用了中文括号“{mark}”：请改用英文方括号，例如 `[四下基层, 调查研究]`"),
        format!("the list uses a full-width bracket `{mark}`: write ASCII brackets, e.g. `[a, b]`")
    )
}

/// A U+3000 ideographic space where YAML needs an ASCII one.
pub(crate) fn fullwidth_space(where_: SpaceAt) -> Text {
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
pub(crate) enum SpaceAt {
    /// In the indentation.
    Indent,
    /// Right after `key:`.
    AfterColon,
}

/// `tags: [“四下基层”, …]` or `summary: “a: b”`.
pub(crate) fn fullwidth_quote(mark: char) -> Text {
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
pub(crate) fn tab_indent() -> Text {
    text!(
        "行首有制表符（Tab 键）：front matter 只能用空格缩进，请把 Tab 换成两个空格",
        "the line is indented with a tab: front matter is indented with spaces only; replace the tab with two spaces"
    )
}

/// A line indented between two levels.
pub(crate) fn misaligned(spaces: usize, first_line: usize, first_spaces: usize) -> Text {
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
pub(crate) fn indented_too_far(key_line: usize) -> Text {
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
pub(crate) fn colon_in_value(line: &str) -> Text {
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
pub(crate) fn invalid_scalar(kind: &str, line: &str) -> Text {
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
pub(crate) fn yaml_syntax(parser: &str, line: &str) -> Text {
    text!(
        format!(
            "这一行的格式不对（YAML 格式）：`{line}`。常见原因：冒号后少了空格、用了中文标点、缩进没对齐、引号或括号没配对。（原始信息：{parser}）"
        ),
        format!("{parser}: `{line}`")
    )
}

/// A page without the `---` lines.
pub(crate) fn no_front_matter() -> Text {
    text!(
        "文件开头没有 front matter：第一行要写三个英文减号 ---，接着写 `title: 标题`，再写一行 --- 结束（都用半角字符）",
        "no front matter: start the file with a `---` line, then `title: …`, then `---`"
    )
}

/// The closing `---` missing.
pub(crate) fn front_matter_unclosed() -> Text {
    text!(
        "front matter 没有结束：在最后一个字段后面加一行 ---（三个英文减号）",
        "the front matter is not closed: add a `---` line after its last field"
    )
}

/// The front matter is empty.
pub(crate) fn front_matter_empty() -> Text {
    text!(
        "front matter（两行 --- 之间的部分）是空的：请至少写上 `title: 标题`",
        "the front matter is empty: add `title: …` between the `---` lines"
    )
}

/// `title` missing.
pub(crate) fn missing_field(field: &str) -> Text {
    text!(
        format!("缺少 `{field}`：请在两行 --- 之间加上一行 `{field}: …`"),
        format!("missing field `{field}`: add `{field}: …`")
    )
}

/// A key that is not a field, with the near one.
pub(crate) fn unknown_field_near(key: &str, near: &str) -> Text {
    text!(
        format!("没有“{key}”这个字段，是不是想写 `{near}`？请改正拼写"),
        format!("unknown field `{key}`, did you mean `{near}`?")
    )
}

/// A key that is not a field, with the list.
pub(crate) fn unknown_field(key: &str, known: &[&str], page: bool) -> Text {
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
pub(crate) fn terms_not_names(key: &str, found: &Text) -> Text {
    text!(
        format!(
            "`{key}` 要写一个名称或一组名称，例如 `{key}: 寿宁` 或 `{key}: [寿宁, 下党乡]`，而这里是{}",
            found.zh
        ),
        format!(
            "`{key}` must be a list of names such as `[寿宁, 下党乡]` or one name, not {}",
            found.en
        )
    )
}

/// What a front matter value turned out to be, for a message that expected another kind.
pub(crate) fn found_value(value: &serde_json::Value) -> Text {
    use serde_json::Value;
    match value {
        Value::Null => text!("空的", "an empty value"),
        Value::Bool(b) => text!(format!(" `{b}`"), format!("`{b}`")),
        Value::Number(n) => text!(format!("数字 `{n}`"), format!("the number `{n}`")),
        Value::String(s) => text!(format!(" `{s}`"), format!("`{s}`")),
        Value::Array(_) => text!("列表里又套了列表", "a nested list"),
        Value::Object(_) => text!("几个子字段", "a mapping"),
    }
}

/// A field given a value of the wrong kind (`weight: 重`).
pub(crate) fn wrong_type(found: &str, expected: &str, line: &str) -> Text {
    let zh_expected = match expected {
        e if e.contains("i64") || e.contains("u32") || e.contains("integer") => "一个整数（如 30）",
        e if e.contains("bool") => "true 或 false",
        e if e.contains("sequence") || e.contains("Vec") => "一个列表（每项一行，以“- ”开头）",
        e if e.contains("struct") || e.contains("map") => "几个子字段（下一行起缩进两个空格）",
        e if e.contains("string") => "一段文字",
        e if e.starts_with("a date") => "一个日期（如 1989、1989-07 或 1989-07-19）",
        e if e.starts_with("a page link") => {
            "一个站内页面链接（如 \"@/cases/三进下党.md\"）或 {title: 书名, url: 网址}"
        }
        _ => expected,
    };
    // serde's words for what it found: `integer `5``, `string "x"`, `sequence`.
    let kinds = [
        ("integer", "数字"),
        ("floating point", "数字"),
        ("boolean", "布尔值"),
        ("string", "文字"),
        ("sequence", "列表"),
        ("map", "几个子字段"),
        ("unit value", "空值"),
    ];
    let zh_found = kinds
        .iter()
        .find_map(|(en, zh)| Some(format!("{zh}{}", found.strip_prefix(en)?)))
        .unwrap_or_else(|| found.to_owned());
    text!(
        format!("这里要写{zh_expected}，而写的是{zh_found}：`{line}`"),
        format!("expected {expected}, found {found}: `{line}`")
    )
}

/// A date field holding a value YAML read as a float (`date: 0000`, `1989.7`).
pub(crate) fn not_a_date(written: &str) -> Text {
    text!(
        format!(
            "“{written}”不是日期：日期写成 1989、1989-07 或 1989-07-19（年份四位，月、日两位，用英文连字符 - 分开）；时间段写成 1988/1990"
        ),
        format!("`{written}` is not a date: {}", crate::date::ACCEPTED_FORMS)
    )
}

/// A date with a bad month.
pub(crate) fn bad_month(written: &str, month: u8) -> Text {
    text!(
        format!("“{written}”的月份是 {month}：月份只能是 01 到 12"),
        format!("`{written}` has month {month}: months run from 01 to 12")
    )
}

/// A date with a bad day.
pub(crate) fn bad_day(written: &str, year: u16, month: u8, day: u8, last: u8) -> Text {
    text!(
        format!("“{written}”的日是 {day}：{year}年{month}月只有 01 到 {last} 日"),
        format!("`{written}` has day {day}: {year}年{month}月 has days 01 to {last}")
    )
}

/// A range with a separate `end_date` too.
pub(crate) fn range_and_end(written: &str) -> Text {
    text!(
        format!("“{written}”已经是一个时间段：请删掉 `end_date`，或者在 `date` 里只写开始日期"),
        format!(
            "`{written}` is already a range: leave out `end_date`, or write only the start in `date`"
        )
    )
}

/// A range `1989/` with no end.
pub(crate) fn range_without_end(written: &str) -> Text {
    text!(
        format!("“{written}”的斜杠后面没有结束日期：时间段写成 1988/1990；只有一个日期就删掉斜杠"),
        format!(
            "`{written}` has no end after the slash: write a range as 1988/1990, or leave the slash out"
        )
    )
}

/// An end before the start.
pub(crate) fn end_before_start(end: &str, start: &str) -> Text {
    text!(
        format!("结束日期 {end} 早于开始日期 {start}：请对调，或改正其中一个"),
        format!("the end date {end} is before the start date {start}: swap them or correct one")
    )
}

/// `end_date` alone.
pub(crate) fn end_without_start(field: &str) -> Text {
    text!(
        format!("有 `end_date` 却没有 `date`：请在 {field} 里加上开始日期 `date:`"),
        format!("`end_date` needs a `date` to start from: add `date:` to {field}")
    )
}

/// A lesson whose parts do not add up.
pub(crate) fn schedule_mismatch(planned: u32, duration: u32) -> Text {
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
pub(crate) fn material_short_form(written: &str) -> Text {
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
pub(crate) fn no_such_page(written: &str, target: &str, near: Option<&str>) -> Text {
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
pub(crate) fn no_such_heading(written: &str, target: &str, anchor: &str, ids: &[String]) -> Text {
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
pub(crate) fn event_anchor(anchor: &str, ids: &[String]) -> Text {
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
pub(crate) fn link_to_nothing(written: &str) -> Text {
    text!(
        format!(
            "链接 `{written}` 指向的页面或文件不存在：请检查路径；链接站内页面最好写成 `@/栏目/文件名.md`，这样写错时会直接指出"
        ),
        format!("`{written}` links to a file that is not in the site")
    )
}

/// A link that looks like a web address without `https://`.
pub(crate) fn link_without_scheme(written: &str) -> Text {
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
pub(crate) fn link_to_missing_anchor(written: &str, fragment: &str, target: &str) -> Text {
    text!(
        format!(
            "链接 `{written}` 指向 `#{fragment}`，但 {target} 里没有这个 id：请检查小标题，或在小标题后用 {{#{fragment}}} 指定 id"
        ),
        format!("`{written}` points to `#{fragment}`, which `{target}` does not have")
    )
}

/// Literal `**` left in a page.
pub(crate) fn literal_stars() -> Text {
    text!(
        "页面上显示出了“**”：加粗的星号没有配对，请检查这一行的 ** 是否成对",
        "shows a literal `**`: a bold mark did not pair up; check the asterisks around it"
    )
}

/// A page no other page links to.
pub(crate) fn orphan() -> Text {
    text!(
        "没有任何页面链接到这一页（孤立页面）：请把它放进栏目，或从别的页面链接过来",
        "no other page links here (an orphan): list it in a section or link to it"
    )
}

/// A page without summary or first paragraph.
pub(crate) fn no_summary() -> Text {
    text!(
        "这一页既没有 `summary:`（摘要），正文也没有第一段，列表里会没有简介：请加上 `summary: …`",
        "has no summary and no first paragraph, so lists show it without one: add `summary:`"
    )
}

/// A dated page without sources.
pub(crate) fn no_sources() -> Text {
    text!(
        "这一页写了日期，却没有 `sources:`（资料来源）：请列出史实出自哪些文献",
        "gives dates but no `sources:`: list the works its facts come from (资料来源)"
    )
}

/// An event without its source.
pub(crate) fn event_without_source(title: &str) -> Text {
    text!(
        format!("事件“{title}”没有 `source:`：请注明日期的出处"),
        format!("event `{title}` has no `source:`: say where its date comes from (出处)")
    )
}

/// An external link that could not be reached.
pub(crate) fn unreachable(message: &Text, address: &str) -> Text {
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
pub(crate) fn unknown_config_key(
    key: &str,
    table: &str,
    near: Option<&str>,
    known: &[&str],
) -> Text {
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
pub(crate) fn toml_syntax(parser: &str, line: &str) -> Text {
    text!(
        format!(
            "site.toml 这一行的格式不对：`{line}`。每一项写成 名称 = \"值\"（文字要用英文双引号括起来）。（原始信息：{parser}）"
        ),
        format!("{parser}: `{line}`")
    )
}

/// `title` missing from site.toml.
pub(crate) fn config_missing(field: &str) -> Text {
    text!(
        format!("site.toml 缺少 `{field}`：请加上一行 {field} = \"…\""),
        format!("missing field `{field}`: add `{field} = \"…\"` to site.toml")
    )
}

// ── Self-tests (quiz) ───────────────────────────────────────────────────────────────

pub(crate) fn quiz_unknown_type(written: &str) -> Text {
    text!(
        format!(
            "题型 `{written}` 不认识：请写 单选、多选、判断 或 填空（也可写 single、multiple、judge、blank）"
        ),
        format!(
            "quiz question type `{written}` is unknown: use single (单选), multiple (多选), judge (判断) or blank (填空)"
        ),
    )
}

pub(crate) fn quiz_no_answer(question: &str) -> Text {
    text!(
        format!("题目“{question}”缺少 `answer:`（答案）"),
        format!("quiz question “{question}” has no `answer:`"),
    )
}

pub(crate) fn quiz_too_few_options(question: &str) -> Text {
    text!(
        format!("选择题“{question}”至少要有两个 `options:`（选项）"),
        format!("quiz question “{question}” needs at least two `options:`"),
    )
}

pub(crate) fn quiz_too_many_options(question: &str) -> Text {
    text!(
        format!("选择题“{question}”的选项超过 26 个：选项按 A 到 Z 编号，请减少选项"),
        format!("quiz question “{question}” has more than 26 options: they are lettered A to Z"),
    )
}

pub(crate) fn quiz_answer_not_an_option(answer: &str, question: &str) -> Text {
    text!(
        format!("答案 `{answer}` 不在题目“{question}”的选项里：用字母（A、B……）或选项的原文作答"),
        format!(
            "quiz answer `{answer}` is not among the options of “{question}”: answer with a letter (A, B, …) or an option's text"
        ),
    )
}

pub(crate) fn quiz_single_needs_one(question: &str) -> Text {
    text!(
        format!("单选题“{question}”只能有一个答案；有几个答案的请写 `type: 多选`"),
        format!(
            "single-choice question “{question}” needs exactly one answer; use `type: multiple` for several"
        ),
    )
}

pub(crate) fn quiz_judge_answer(question: &str, written: &str) -> Text {
    text!(
        format!("判断题“{question}”的答案要写 对 或 错（或 true、false），现在是 {written}"),
        format!(
            "judge question “{question}” needs `answer: true` or `false` (对/错), not {written}"
        ),
    )
}

pub(crate) fn quiz_blank_answer(question: &str) -> Text {
    text!(
        format!("填空题“{question}”缺少 `answer:`：写出可接受的答案，几个都行时写成列表"),
        format!("blank question “{question}” needs an `answer:`"),
    )
}

// ── Reading files ───────────────────────────────────────────────────────────────────

pub(crate) fn file_name_not_utf8() -> Text {
    text!(
        "文件名不是有效的 UTF-8：请重命名这个文件",
        "the file name is not valid UTF-8: rename it",
    )
}

pub(crate) fn file_name_control_character() -> Text {
    text!(
        "文件名里有控制字符（如换行或制表符）：请重命名这个文件",
        "the file name holds a control character (such as a line break or tab): rename it",
    )
}

pub(crate) fn link_outside_site(target: &str) -> Text {
    text!(
        format!("是指向网站以外（{target}）的符号链接，没有读取；要发布它，请把文件复制到网站里"),
        format!(
            "is a symbolic link to {target}, outside the site: left out (copy the file into the site to publish it)"
        ),
    )
}

pub(crate) fn dangling_link() -> Text {
    text!(
        "是指向不存在的文件的符号链接，没有读取",
        "is a symbolic link to nothing: left out",
    )
}

pub(crate) fn not_a_regular_file() -> Text {
    text!(
        "不是普通文件（而是管道、套接字或设备），没有读取",
        "is not a regular file (a pipe, socket or device): left out",
    )
}

pub(crate) fn cannot_read(why: &Text) -> Text {
    text!(
        format!("读不了这个文件：{}", why.zh),
        format!("cannot read the file: {}", why.en)
    )
}

pub(crate) fn file_too_large(size_mb: Option<u64>, limit_mb: u64) -> Text {
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

pub(crate) fn not_text() -> Text {
    text!(
        "这个文件不是 UTF-8、UTF-16 或 GBK 编码的文本：请用 UTF-8 编码另存（记事本“另存为”时选 UTF-8）",
        "the file is not valid UTF-8, UTF-16 or GBK text: save it with UTF-8 encoding",
    )
}

pub(crate) fn control_character(c: char) -> Text {
    let code = c as u32;
    text!(
        format!("这里有控制字符 U+{code:04X}，页面上不该出现：请删掉它"),
        format!("holds the control character U+{code:04X}, which no page should show: remove it"),
    )
}

/// What the editor wrote (a link, a name), shown as written in every language.
pub(crate) fn verbatim(written: &str) -> Text {
    let quoted = format!("`{written}`");
    text!(quoted.clone(), quoted)
}

/// `why` said of `field`: `` `published`: … ``.
pub(crate) fn in_field(field: &str, why: &Text) -> Text {
    text!(
        format!("`{field}`：{}", why.zh),
        format!("`{field}`: {}", why.en)
    )
}

// ── published / updated ─────────────────────────────────────────────────────────────

/// `published: 昨天`.
pub(crate) fn not_a_moment(written: &str) -> Text {
    text!(
        format!(
            "“{written}”不是日期。请写成 2024、2024-03 或 2024-03-05（年份四位，月、日两位，用英文连字符 - 分开），要写到时刻就写 2024-03-05T09:30:00+08:00"
        ),
        format!(
            "`{written}` is not a date: write a year, a month, a day or a time: 2024, 2024-03, 2024-03-05 or 2024-03-05T09:30:00+08:00"
        )
    )
}

/// `published: 2024-03-05T9:30`.
pub(crate) fn not_a_time(written: &str) -> Text {
    text!(
        format!(
            "“{written}”不是完整的时刻：写成 2024-03-05T09:30:00+08:00（日期、字母 T、时:分:秒，最后是时区）"
        ),
        format!(
            "`{written}` is not a time: write it as 2024-03-05T09:30:00+08:00, with its UTC offset (or Z)"
        )
    )
}

/// `published: 2024-03-05T09:30:00`.
pub(crate) fn no_utc_offset(written: &str) -> Text {
    text!(
        format!(
            "“{written}”缺少时区：在末尾加上时区，北京时间写 +08:00，例如 2024-03-05T09:30:00+08:00"
        ),
        format!("`{written}` has no UTC offset: add one, such as 2024-03-05T09:30:00+08:00")
    )
}

/// `published: 2024~`.
pub(crate) fn moment_not_exact(written: &str) -> Text {
    text!(
        format!(
            "“{written}”带了表示“约”或“存疑”的 ~、?、%：上传到本站的日期是确定的，请去掉这个记号，写成 2024、2024-03 或 2024-03-05"
        ),
        format!(
            "`{written}` is marked as approximate or uncertain, but the day material went up on the site is known: write 2024, 2024-03 or 2024-03-05"
        )
    )
}

/// `updated` before `published`.
pub(crate) fn updated_before_published(updated: &str, published: &str) -> Text {
    text!(
        format!(
            "`updated`（{updated}）早于 `published`（{published}）：更新日期不能早于发布日期，请改正其中一个"
        ),
        format!("`updated` ({updated}) is before `published` ({published}): correct one of them")
    )
}

/// A schedule whose minutes overflow.
pub(crate) fn schedule_overflow() -> Text {
    text!(
        "教学安排（schedule）的分钟数大得没法相加：请检查每一部分的 `minutes`",
        "the lesson's schedule adds up to more minutes than can be counted: check each part's `minutes`"
    )
}

/// Front matter that expands into too much (a YAML bomb) or nests too deeply.
pub(crate) fn front_matter_too_big(parser: &str) -> Text {
    text!(
        format!(
            "front matter 展开后的内容太多，或者嵌套太深：front matter 只需要简短的字段和列表，请删掉多余的部分（原始信息：{parser}）"
        ),
        format!(
            "{parser}: the front matter expands into too many values or nests too deeply; front matter needs only short fields and lists"
        )
    )
}

// ── Links and names in URLs ─────────────────────────────────────────────────────────

/// A link with a scheme casebook refuses (`javascript:`, `data:`, `file:`).
pub(crate) fn scheme_refused(scheme: &str) -> Text {
    text!(
        format!(
            "不接受以 `{scheme}:` 开头的链接。请写 https:// 或 http:// 开头的网址、mailto: 邮箱、站内页面 @/…，或相对路径"
        ),
        format!(
            "`{scheme}:` links are not allowed here: write an http(s):, mailto:, `@/` or relative link"
        )
    )
}

/// A link holding a tab or a line break.
pub(crate) fn link_control_character() -> Text {
    text!(
        "链接里有制表符或换行：请删掉它们，让链接写在一行里",
        "holds a control character (a tab or line break): remove it"
    )
}

/// A link in front matter (`sources`, `lesson.materials`) that is refused.
pub(crate) fn front_matter_link(field: &str, url: &str, why: &Text) -> Text {
    text!(
        format!("`{field}` 里的链接 `{url}` 不能用：{}", why.zh),
        format!("`{field}` url `{url}`: {}", why.en)
    )
}

/// A name that cannot be a URL segment: empty.
pub(crate) fn slug_empty() -> Text {
    text!("它是空的", "it is empty")
}

/// … starting with a dot.
pub(crate) fn slug_dot() -> Text {
    text!("不能以英文句点“.”开头", "a slug may not start with `.`")
}

/// … holding a slash.
pub(crate) fn slug_slash() -> Text {
    text!(
        "网址里的一段名称不能含有 / 或 \\",
        "a slug is one URL segment, without `/` or `\\`"
    )
}

/// … holding a character no file name or URL may hold.
pub(crate) fn slug_character() -> Text {
    text!(
        "含有不能用在文件名或网址里的字符（? # % : * \" < > | 或控制字符）",
        "it holds a character that cannot stand in a file name or URL (? # % : * \" < > | or a control character)"
    )
}

/// `slug:` or a file name that cannot be a URL.
pub(crate) fn bad_slug(slug: &str, why: &Text, from_slug_field: bool) -> Text {
    if from_slug_field {
        text!(
            format!(
                "`slug: {slug}` 不能用作网址：{}。请把 slug 改成简单的名称，例如 sanjin-xiadang 或 三进下党",
                why.zh
            ),
            format!(
                "slug `{slug}` is not allowed: {}; set `slug:` to a plain name such as `sanjin-xiadang` or `三进下党`",
                why.en
            )
        )
    } else {
        text!(
            format!(
                "文件名“{slug}”不能用作网址：{}。请把文件改名，例如 三进下党.md",
                why.zh
            ),
            format!(
                "slug `{slug}` is not allowed: {}; rename the file to a plain name such as `sanjin-xiadang` or `三进下党`",
                why.en
            )
        )
    }
}

/// A folder under content/ whose name cannot be a URL.
pub(crate) fn bad_folder_name(name: &str, why: &Text) -> Text {
    text!(
        format!("文件夹名“{name}”不能用作网址：{}。请把文件夹改名", why.zh),
        format!(
            "folder name: slug `{name}` is not allowed: {}; rename the folder",
            why.en
        )
    )
}

/// A tag or place that cannot be a URL.
pub(crate) fn bad_term(taxonomy: &str, term: &str, why: &Text) -> Text {
    text!(
        format!(
            "`{taxonomy}` 里的“{term}”不能用作网址：{}。请换一个写法",
            why.zh
        ),
        format!("{taxonomy} term `{term}` is not allowed: {}", why.en)
    )
}

/// An alias that cannot be a URL.
pub(crate) fn bad_alias(alias: &str, why: &Text) -> Text {
    text!(
        format!(
            "别名（aliases）`{alias}` 不能用作网址：{}。请写旧网址，例如 /old/path/",
            why.zh
        ),
        format!(
            "alias `{alias}`: {}; write an old URL such as `/old/path/`",
            why.en
        )
    )
}

/// A picture that cannot be made into copies.
pub(crate) fn picture_unreadable(written: &str, file: &Path, why: &Text) -> Text {
    let file = file.display();
    text!(
        format!("图片 `{written}`（{file}）处理不了：{}", why.zh),
        format!(
            "the picture `{written}` ({file}) cannot be read: {}",
            why.en
        )
    )
}

/// … because it is no picture casebook knows.
pub(crate) fn picture_unknown_kind() -> Text {
    text!(
        "它不是 JPEG、PNG 或 WebP 图片，请转成这几种格式之一",
        "it is not a JPEG, PNG or WebP picture; replace it with one"
    )
}

/// … because it is a kind casebook makes no copies of (a GIF, a BMP).
pub(crate) fn picture_kind(kind: &str) -> Text {
    text!(
        format!("casebook 不处理 {kind} 格式的图片，请转成 JPEG、PNG 或 WebP"),
        format!(
            "casebook makes no copies of {kind} pictures; replace it with a JPEG, PNG or WebP file"
        )
    )
}

/// … because decoding or encoding failed, in the image library's words.
pub(crate) fn picture_broken(why: &str) -> Text {
    text!(
        format!("图片数据不完整或已损坏，请换一个能正常打开的文件（原始信息：{why}）"),
        format!("{why}; replace it with a JPEG, PNG or WebP file that opens")
    )
}

// ── Two writers of one URL ──────────────────────────────────────────────────────────

/// Two content files that become the same URL.
pub(crate) fn same_url(output: &str, first: &Path, spelled: Option<&str>) -> Text {
    let first = first.display();
    let (zh_as, en_as) = match spelled {
        Some(s) => (format!("（写作 `{s}`）"), format!(" (as `{s}`)")),
        None => (String::new(), String::new()),
    };
    text!(
        format!(
            "要生成 `{output}`，而 `{first}` 也生成它{zh_as}：两个文件不能共用一个网址（只是大小写或 Unicode 写法不同也算同一个）。请把其中一个改名，或设置不同的 `slug:`"
        ),
        format!(
            "writes `{output}`, which `{first}` also writes{en_as}: two files cannot share one URL (names differing only in case or Unicode form count as the same); rename one or set a different `slug:`"
        )
    )
}

/// A writer of an output: a file of the site.
pub(crate) fn writer_file(file: &Path) -> Text {
    verbatim(&file.display().to_string())
}

/// A writer of an output: a section with no `_index.md`.
pub(crate) fn writer_section_page(folder: &Path) -> Text {
    let folder = folder.display();
    text!(
        format!("栏目 `{folder}/` 的栏目页"),
        format!("the section page of `{folder}/`")
    )
}

/// A writer of an output: an alias.
pub(crate) fn writer_alias(file: &Path) -> Text {
    let file = file.display();
    text!(
        format!("`{file}` 里的别名（aliases）"),
        format!("an alias in `{file}`")
    )
}

/// A writer of an output: a static file of the theme.
pub(crate) fn writer_theme_file(name: &str) -> Text {
    text!(
        format!("主题的 `static/{name}`"),
        format!("the theme's `static/{name}`")
    )
}

/// A writer of an output: the search index.
pub(crate) fn writer_search_index() -> Text {
    text!("搜索索引", "the search index")
}

/// A writer of an output: casebook itself.
pub(crate) fn writer_casebook(path: &str) -> Text {
    text!(
        format!("casebook 自己生成的 `{path}`"),
        format!("casebook's own `{path}`")
    )
}

/// Several writers: `a 和 b`.
pub(crate) fn writers(all: &[Text]) -> Text {
    let zh: Vec<&str> = all.iter().map(|t| t.zh.as_str()).collect();
    let en: Vec<&str> = all.iter().map(|t| t.en.as_str()).collect();
    text!(zh.join(" 和 "), en.join(" and "))
}

/// Two writers of one output file.
pub(crate) fn two_writers(who: &Text, output: &str) -> Text {
    text!(
        format!(
            "{} 都要生成 `{output}`：同一个网址只能有一个来源，请把其中一个改名",
            who.zh
        ),
        format!("{} both write `{output}`: rename one of them", who.en)
    )
}

/// A file where another output needs a folder.
pub(crate) fn file_where_folder(who: &Text, file: &str, needs: &Text, output: &str) -> Text {
    text!(
        format!(
            "{} 生成的是文件 `{file}`，但 {} 需要一个同名的文件夹来放 `{output}`：请把其中一个改名",
            who.zh, needs.zh
        ),
        format!(
            "{} writes the file `{file}`, but {} needs a folder of that name for `{output}`: rename one of them",
            who.en, needs.en
        )
    )
}

// ── Themes and templates ────────────────────────────────────────────────────────────

/// `theme_dir` naming no folder.
pub(crate) fn theme_dir_missing(dir: &Path) -> Text {
    let dir = dir.display();
    text!(
        format!(
            "site.toml 的 theme_dir 指向的 {dir} 不是文件夹：请改正路径，或删掉 theme_dir 这一行"
        ),
        format!("theme_dir `{dir}` is not a folder: fix `theme_dir` or remove it")
    )
}

/// `theme` naming no folder under themes/.
pub(crate) fn theme_missing(theme: &str) -> Text {
    text!(
        format!(
            "找不到主题“{theme}”：没有 themes/{theme}/ 这个文件夹。请改正 site.toml 的 theme，或删掉这一行使用内置主题"
        ),
        format!(
            "theme `{theme}` not found: there is no folder themes/{theme}/; fix `theme` or remove it to use the default"
        )
    )
}

/// `themes/<name>` a link out of the site.
pub(crate) fn theme_outside(theme: &str, real: &Path) -> Text {
    let real = real.display();
    text!(
        format!(
            "themes/{theme} 是指向网站以外（{real}）的符号链接，没有使用：确实要用那个主题，请在 site.toml 里写 theme_dir = \"{real}\""
        ),
        format!(
            "themes/{theme} leads outside the site (a symbolic link): to use that theme on purpose, set `theme_dir = \"{real}\"`"
        )
    )
}

/// `theme = "../x"`.
pub(crate) fn theme_not_a_name(theme: &str) -> Text {
    text!(
        format!(
            "theme = \"{theme}\" 不对：theme 只写 themes/ 下的文件夹名；主题放在别处时，改写 theme_dir = \"主题文件夹的路径\""
        ),
        format!(
            "theme `{theme}` must be the name of a folder under themes/; to use a theme elsewhere, set `theme_dir = \"path/to/theme\"` instead"
        )
    )
}

/// A template file that is not UTF-8.
pub(crate) fn template_not_utf8() -> Text {
    text!(
        "模板文件不是 UTF-8 编码：请用 UTF-8 编码另存",
        "the template is not valid UTF-8: save it as UTF-8"
    )
}

/// Tera's own words about a template, quoted; `rendering` is the page it was making.
pub(crate) fn template_error(detail: &str, rendering: Option<&Path>) -> Text {
    let (zh_while, en_while) = match rendering {
        Some(file) => (
            format!("（生成 {} 时）", file.display()),
            format!(" (while rendering {})", file.display()),
        ),
        None => (String::new(), String::new()),
    };
    text!(
        format!(
            "模板出错{zh_while}：请检查这一行的 {{{{ }}}} 和 {{% %}} 是否配对、变量名是否写对。（Tera 的原始信息：{detail}）"
        ),
        format!("{detail}{en_while}")
    )
}

/// A template that includes or names one that does not exist.
pub(crate) fn template_not_found(name: &str) -> Text {
    text!(
        format!("找不到模板 `{name}`：请在网站的 templates/ 文件夹里加上 {name}，或改正模板名"),
        format!(
            "template `{name}` not found: add templates/{name} to the site or the theme, or fix the name"
        )
    )
}

/// `{% extends "x" %}` naming no template.
pub(crate) fn template_missing_parent(parent: &str) -> Text {
    text!(
        format!(
            "这个模板 extends 的 `{parent}` 不存在：请改正名称，或在 templates/ 里加上 {parent}"
        ),
        format!(
            "extends `{parent}`, which is not a template of the site or theme: fix the name or add templates/{parent}"
        )
    )
}

/// `template: x.html` in front matter naming no template.
pub(crate) fn page_template_not_found(name: &str, near: Option<&str>) -> Text {
    let (zh_hint, en_hint) = match near {
        Some(k) => (
            format!("是不是想写 `{k}`？"),
            format!(" (did you mean `{k}`?)"),
        ),
        None => (String::new(), String::new()),
    };
    text!(
        format!(
            "`template: {name}` 指定的模板不存在：{zh_hint}请改正 `template:`，或在网站的 templates/ 里加上 {name}"
        ),
        format!(
            "template `{name}` not found{en_hint}: add templates/{name} to the site, or fix `template:`"
        )
    )
}

/// A lesson's Word file that could not be made.
pub(crate) fn docx_failed(why: &str) -> Text {
    text!(
        format!(
            "生成教案的 Word 文件失败（原始信息：{why}）；可以在 site.toml 的 [lesson] 下写 docx = false 先关掉它"
        ),
        format!("could not write the Word file: {why}")
    )
}

// ── site.toml, beyond its syntax ────────────────────────────────────────────────────

/// site.toml cannot be read.
pub(crate) fn config_unreadable(why: &Text) -> Text {
    text!(
        format!("读不了网站设置文件 site.toml：{}", why.zh),
        format!("cannot read the site configuration: {}", why.en)
    )
}

/// A taxonomy named like a front matter field.
pub(crate) fn taxonomy_reserved(key: &str) -> Text {
    text!(
        format!("[taxonomies] 里的 `{key}` 和 front matter 的同名字段冲突：请换一个名称"),
        format!(
            "taxonomy `{key}` clashes with the front matter field of that name: choose another key"
        )
    )
}

/// A taxonomy key that cannot be a URL segment.
pub(crate) fn taxonomy_key(key: &str) -> Text {
    text!(
        format!(
            "[taxonomies] 里的 `{key}` 会出现在网址里，只能用英文字母、数字、- 或 _：例如 tags = \"专题\""
        ),
        format!(
            "taxonomy key `{key}` must be ASCII letters, digits, `-` or `_` (it is a URL segment)"
        )
    )
}

/// An era of the timeline with a bad date.
pub(crate) fn era(name: &str, why: &Text) -> Text {
    text!(
        format!("时期“{name}”：{}", why.zh),
        format!("era `{name}`: {}", why.en)
    )
}

/// `[limits] file_size_mb = 0`.
pub(crate) fn file_size_limit() -> Text {
    text!(
        "`file_size_mb` 要写 1 或更大的整数（单位 MB）",
        "`file_size_mb` must be a number of megabytes from 1 up"
    )
}

/// A Content-Security-Policy holding `"`.
pub(crate) fn policy_characters() -> Text {
    text!(
        "content_security_policy 里不能有英文双引号 \" 或控制字符：策略里的引号请用单引号 '",
        "the policy may not hold quotes `\"` or control characters"
    )
}

/// `stylesheets` or `logo` naming no file of static/.
pub(crate) fn not_a_static_file(value: &str) -> Text {
    text!(
        format!(
            "“{value}”要写成网站 static/ 文件夹里的文件，例如 \"custom.css\" 或 \"images/logo.png\""
        ),
        format!(
            "`{value}` must be a file in the site's static/ folder, such as `custom.css` or `images/logo.png`"
        )
    )
}

/// No `content/` folder.
pub(crate) fn no_content_folder() -> Text {
    text!(
        "没有 content 文件夹：请新建 content/，把 Markdown 文件放进去",
        "there is no content folder: create `content/` and put Markdown files in it"
    )
}

// ── init and new ────────────────────────────────────────────────────────────────────

/// `init` in a folder that holds a site.
pub(crate) fn init_site_exists(dir: &Path) -> Text {
    let dir = dir.display();
    text!(
        format!(
            "{dir} 里已经有一个网站（有 site.toml 或 content/），没有新建：请换一个新的文件夹名；要用这个网站，cd {dir} 后运行 casebook build"
        ),
        format!("{dir} already holds a site (site.toml or content/): choose an empty folder")
    )
}

/// A file `init` or `new` would write exists.
pub(crate) fn file_exists(path: &Path) -> Text {
    let path = path.display();
    text!(
        format!(
            "{path} 已经存在：casebook 不会覆盖已有的文件。请换一个文件名，或者先把原来的文件移走"
        ),
        format!("{path} already exists: casebook does not overwrite files")
    )
}

/// `new /etc/x.md` or `new ../x.md`.
pub(crate) fn new_outside_content(path: &Path) -> Text {
    let path = path.display();
    text!(
        format!("“{path}”不在 content/ 里：请写 content/ 下的路径，例如 cases/新案例.md"),
        format!("{path}: give a path inside content/, such as cases/新案例.md")
    )
}

/// `new cases/?.md`.
pub(crate) fn new_bad_name(path: &Path, why: &Text) -> Text {
    let path = path.display();
    text!(
        format!(
            "“{path}”这个文件名不能用作网址：{}。请换一个简单的文件名，例如 cases/三进下党.md",
            why.zh
        ),
        format!(
            "{path}: {}; choose a plain file name such as cases/三进下党.md",
            why.en
        )
    )
}

// ── Files and folders ───────────────────────────────────────────────────────────────

/// What casebook was doing to a file when the system refused.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FileAction {
    /// Making a file or folder.
    Create,
    /// Emptying a folder.
    Clear,
    /// Writing a file.
    Write,
    /// Deleting a file or folder.
    Remove,
    /// Reading a file or folder.
    Read,
    /// Carrying a file of the old output into the new one.
    Keep,
    /// Swapping the new output in.
    Replace,
    /// Locking the output against a second build.
    Lock,
}

/// The system's reason for an I/O failure, in plain words where it is a common one.
pub(crate) fn io_reason(error: &std::io::Error) -> Text {
    use std::io::ErrorKind;
    let en = error.to_string();
    let zh = match error.kind() {
        ErrorKind::PermissionDenied => "没有权限（请检查文件夹的权限，或关闭正在使用它的程序）",
        ErrorKind::NotFound => "文件或文件夹不存在",
        ErrorKind::AlreadyExists => "已经存在",
        ErrorKind::StorageFull => "磁盘已满（请先清理出空间）",
        ErrorKind::ReadOnlyFilesystem => "磁盘是只读的",
        ErrorKind::AddrInUse => "地址或端口已被占用",
        ErrorKind::AddrNotAvailable => "这台电脑没有这个地址",
        _ => &en,
    };
    text!(zh, en.clone())
}

/// The system refused to do `action` to `path`.
pub(crate) fn io_failed(action: FileAction, path: &Path, error: &std::io::Error) -> Text {
    let (zh, en) = match action {
        FileAction::Create => ("创建", "create"),
        FileAction::Clear => ("清空", "clear"),
        FileAction::Write => ("写入", "write"),
        FileAction::Remove => ("删除", "remove"),
        FileAction::Read => ("读取", "read"),
        FileAction::Keep => ("保留", "keep"),
        FileAction::Replace => ("替换", "replace"),
        FileAction::Lock => ("锁定", "lock"),
    };
    let path = path.display();
    let why = io_reason(error);
    text!(
        format!("无法{zh} {path}：{}", why.zh),
        format!("cannot {en} {path}: {}", why.en)
    )
}

// ── The output folder ───────────────────────────────────────────────────────────────

/// Why an output folder is refused, after `where`.
pub(crate) fn output_refused(output: &str, why: &Text) -> Text {
    text!(
        format!("不能把网站生成到 `{output}`：{}", why.zh),
        format!("refusing to write the site to `{output}`: {}", why.en)
    )
}

const OWN_FOLDER_ZH: &str = "。请另选一个专门放网站的文件夹，例如 public";
const OWN_FOLDER_EN: &str = "; choose a folder of its own, such as `public`";

/// `--output ""`.
pub(crate) fn output_empty_name() -> Text {
    text!(
        format!("文件夹名是空的{OWN_FOLDER_ZH}"),
        format!("the output folder is empty{OWN_FOLDER_EN}")
    )
}

/// `--output /`.
pub(crate) fn output_is_root() -> Text {
    text!(
        format!("这是整个磁盘的根目录{OWN_FOLDER_ZH}"),
        format!("it is the file system root{OWN_FOLDER_EN}")
    )
}

/// `--output .`.
pub(crate) fn output_holds_site() -> Text {
    text!(
        format!("它就是网站文件夹，或者包含网站文件夹，生成时会被整个替换{OWN_FOLDER_ZH}"),
        format!("it is the site folder or holds it, and would be replaced{OWN_FOLDER_EN}")
    )
}

/// `--output content`, or a link to it.
pub(crate) fn output_holds_sources(name: &str, through: Option<&Path>) -> Text {
    let (zh_through, en_through) = match through {
        Some(real) => (
            format!("（通过指向 {} 的链接）", real.display()),
            format!(" (through the link to {})", real.display()),
        ),
        None => (String::new(), String::new()),
    };
    text!(
        format!("它就是 `{name}`、包含它或在它里面{zh_through}，那里放着你写的原稿{OWN_FOLDER_ZH}"),
        format!(
            "it is, holds or lies inside `{name}`{en_through}, which holds your sources{OWN_FOLDER_EN}"
        )
    )
}

/// An output that is a link to nothing.
pub(crate) fn output_dangling_link(target: &Path) -> Text {
    let target = target.display();
    text!(
        format!(
            "它是指向 `{target}` 的符号链接，而那里什么也没有：请删掉这个链接，或者先建好它指向的文件夹"
        ),
        format!(
            "it is a symbolic link to `{target}`, which does not exist; remove the link or create the folder it names"
        )
    )
}

/// An output that is a file.
pub(crate) fn output_is_file() -> Text {
    text!(
        "它是一个文件，不是文件夹：请把这个文件移走，或者用 --output 另选一个文件夹",
        "it is a file, not a folder; move the file away or choose another --output"
    )
}

/// An output holding `.git`.
pub(crate) fn output_holds_git() -> Text {
    text!(
        format!("里面有 `.git` 文件夹（一个 git 仓库）{OWN_FOLDER_ZH}"),
        format!("it holds a `.git` folder{OWN_FOLDER_EN}")
    )
}

/// Another build holds the output.
pub(crate) fn output_busy() -> Text {
    text!(
        "另一个 casebook 正在生成到这个文件夹：请等它结束后再运行一次",
        "another build is running into this folder; wait for it to finish, then build again"
    )
}

/// A folder of someone else's files.
pub(crate) fn output_not_ours(manifest: &str, folder: &Path) -> Text {
    let folder = folder.display();
    text!(
        format!(
            "里面有别的文件，却没有 `{manifest}`，说明它不是 casebook 生成的，casebook 不会替换它：请生成到一个新的或空的文件夹（或者先把 `{folder}` 里的文件移到别处）"
        ),
        format!(
            "it holds files and no `{manifest}`, so casebook did not make it and will not replace it; build into a new or empty folder (or into `{folder}` after moving its files elsewhere)"
        )
    )
}

/// A file put into the output by hand where the site now writes one.
pub(crate) fn output_foreign_file(path: &Path) -> Text {
    let path = path.display();
    text!(
        format!(
            "{path} 不是 casebook 生成的，而网站现在要在同一位置生成一个文件：请把它移出输出文件夹，再生成一次"
        ),
        format!(
            "{path} was not written by casebook, and the site now writes a file there: move it out of the output folder, then build again"
        )
    )
}

/// A pipe or device put into the output.
pub(crate) fn output_special_file(path: &Path) -> Text {
    let path = path.display();
    text!(
        format!(
            "{path} 不是普通文件、文件夹或链接（而是管道、套接字或设备），casebook 没法把它带进新生成的网站：请把它移出输出文件夹，再生成一次"
        ),
        format!(
            "{path} is not a file, folder or link (a pipe, socket or device), and casebook cannot carry it into the new site: move it out of the output folder, then build again"
        )
    )
}

/// The output could not be swapped because a program holds it open.
pub(crate) fn output_held_open(output: &Path) -> Text {
    let output = output.display();
    text!(
        format!(
            "无法替换 {output}：有程序正打开着里面的文件（浏览器、文件管理器、编辑器或杀毒软件）。请关掉它再生成一次；之前的网站还在原处"
        ),
        format!(
            "cannot replace {output}: another program holds a file in it open (a browser or file manager showing it, an editor, antivirus); close it and build again. The previous site is still in place"
        )
    )
}

// ── Progress ────────────────────────────────────────────────────────────────────────

/// A stage of a build, as its progress bar names it.
pub(crate) fn stage(stage: crate::progress::Stage) -> Text {
    use crate::progress::Stage;
    match stage {
        Stage::Loading => text!("读取文件", "Loading"),
        Stage::Assembling => text!("整理页面", "Assembling"),
        Stage::Rendering => text!("生成页面", "Rendering"),
        Stage::Indexing => text!("建立搜索索引", "Indexing"),
        Stage::Checking => text!("检查输出", "Checking"),
        Stage::Writing => text!("写入文件", "Writing"),
    }
}

// ── casebook serve ──────────────────────────────────────────────────────────────────

/// The line that says where to look.
pub(crate) fn serving(root: &Path, address: &str) -> Text {
    let root = root.display();
    text!(
        format!("正在预览 {root}：请在浏览器里打开 {address}（按 Ctrl-C 停止）"),
        format!("Serving {root} at {address} (Ctrl-C to stop)")
    )
}

/// The port asked for was taken.
pub(crate) fn port_taken(asked: u16, used: u16) -> Text {
    text!(
        format!("端口 {asked} 已被占用，改用 {used}。"),
        format!("Port {asked} is taken; using {used}.")
    )
}

/// A rebuild after a save.
pub(crate) fn rebuilt(pages: usize, millis: u128) -> Text {
    text!(
        format!("已重新生成 {pages} 个页面，用时 {millis} 毫秒"),
        format!("Rebuilt {pages} pages in {millis} ms")
    )
}

/// `--bind 0.0.0.0`.
pub(crate) fn serving_to_others(bind: &std::net::IpAddr) -> Text {
    text!(
        format!(
            "在 {bind} 上预览，同一网络里的其他电脑也能看到你的草稿；只给自己看请去掉 --bind（默认是 127.0.0.1）"
        ),
        format!(
            "serving on {bind} makes your drafts reachable from other machines; the default is 127.0.0.1"
        )
    )
}

/// A folder the watcher cannot watch.
pub(crate) fn cannot_watch(folder: &Path, why: &str) -> Text {
    let folder = folder.display();
    text!(
        format!(
            "无法监视 {folder} 的改动，改了那里的文件可能不会自动刷新；可以加 --poll 再试（原始信息：{why}）"
        ),
        format!("cannot watch {folder}: {why}")
    )
}

/// The watcher reported a problem.
pub(crate) fn watch_failed(why: &str) -> Text {
    text!(
        format!(
            "监视文件改动时出错：{why}；如果保存后页面不刷新，请加 --poll 重新运行 casebook serve"
        ),
        format!("watching for changes: {why}")
    )
}

/// The watcher could not start.
pub(crate) fn watch_not_started(why: &str) -> Text {
    text!(
        format!("无法监视网站文件夹的改动：{why}；可以加 --poll 再试"),
        format!("cannot watch the site folder for changes: {why}")
    )
}

/// A rebuild that crashed.
pub(crate) fn rebuild_crashed() -> Text {
    text!(
        "重新生成时意外中断，浏览器里仍是上一次正确生成的网站：请再保存一次；如果反复出现，请把终端里的内容报告给维护者",
        "a rebuild failed unexpectedly; the last good site stays served"
    )
}

/// The site folder cannot be found (`serve --root x`).
pub(crate) fn serve_root_missing(root: &Path, why: &Text) -> Text {
    let root = root.display();
    text!(
        format!("找不到网站文件夹 {root}：{}", why.zh),
        format!("cannot find the site folder {root}: {}", why.en)
    )
}

/// The server could not start or stopped.
pub(crate) fn server_failed(why: &str) -> Text {
    text!(
        format!("预览服务器无法运行：{why}"),
        format!("the server stopped: {why}")
    )
}

/// No port to listen on.
pub(crate) fn cannot_listen(address: &str, why: &Text) -> Text {
    text!(
        format!(
            "无法在 {address} 上启动预览：{}。请用 --port 换一个端口，例如 --port 8080",
            why.zh
        ),
        format!("cannot listen on {address}: {}", why.en)
    )
}

/// The heading of the overlay shown over a page after a failed rebuild.
pub(crate) fn overlay_title() -> Text {
    text!(
        "casebook：刚才的修改有问题，页面显示的是上一次正确生成的版本。请按下面每行开头的“文件:行:列”修改，保存后会自动刷新。",
        "casebook: the last change has problems; the page shows the last good build."
    )
}

// ── The command line as typed ───────────────────────────────────────────────────────

/// `casebook build --outpt x`, `casebook build extra`.
pub(crate) fn unknown_argument(argument: &str, suggestion: Option<&str>) -> Text {
    let (zh_hint, en_hint) = match suggestion {
        Some(s) => (format!("你是不是想用 {s}？"), format!(" Did you mean {s}?")),
        None => (String::new(), String::new()),
    };
    text!(
        format!("不认识命令行参数“{argument}”。{zh_hint}"),
        format!("unexpected argument `{argument}`.{en_hint}")
    )
}

/// `casebook biuld`.
pub(crate) fn unknown_command(command: &str, suggestion: Option<&str>) -> Text {
    let (zh_hint, en_hint) = match suggestion {
        Some(s) => (
            format!("你是不是想用 casebook {s}？"),
            format!(" Did you mean casebook {s}?"),
        ),
        None => (String::new(), String::new()),
    };
    text!(
        format!(
            "没有“{command}”这个命令。{zh_hint}可用的命令：build（生成网站）、check（检查）、serve（边写边预览）、init（新建网站）、new（新建页面）"
        ),
        format!(
            "unrecognized subcommand `{command}`.{en_hint} The commands are build, check, serve, init and new"
        )
    )
}

/// `casebook build --output` with nothing after it.
pub(crate) fn missing_value(argument: &str) -> Text {
    text!(
        format!("{argument} 后面要写一个值（和 {argument} 之间空一格）"),
        format!("a value is required for {argument} but none was supplied")
    )
}

/// `casebook check --format xml`.
pub(crate) fn invalid_choice(
    argument: &str,
    value: &str,
    valid: &[String],
    suggestion: Option<&str>,
) -> Text {
    let (zh_hint, en_hint) = match suggestion {
        Some(s) => (format!("你是不是想写 {s}？"), format!(" Did you mean {s}?")),
        None => (String::new(), String::new()),
    };
    text!(
        format!(
            "{argument} 不能是“{value}”：只能写 {}。{zh_hint}",
            valid.join("、")
        ),
        format!(
            "invalid value `{value}` for {argument}: one of {}.{en_hint}",
            valid.join(", ")
        )
    )
}

/// `casebook serve --port 八〇`.
pub(crate) fn invalid_value(argument: &str, value: &str, why: &str) -> Text {
    text!(
        format!("{argument} 的值“{value}”不对，请改正（原始信息：{why}）"),
        format!("invalid value `{value}` for {argument}: {why}")
    )
}

/// `casebook new` without its file.
pub(crate) fn missing_argument(arguments: &str) -> Text {
    text!(
        format!("缺少 {arguments}：请照下面的用法，在命令后面补上"),
        format!("the following required arguments were not provided: {arguments}")
    )
}

/// `casebook` alone.
pub(crate) fn no_command() -> Text {
    text!(
        "请在 casebook 后面写要做的事：build（生成网站）、check（检查）、serve（边写边预览）、init（新建网站）、new（新建页面），例如 casebook build",
        "say what to do: casebook build, check, serve, init or new"
    )
}

/// Any other mistake on the command line, in clap's words.
pub(crate) fn command_line(detail: &str) -> Text {
    text!(format!("命令行写得不对：{detail}"), detail.to_owned())
}

/// A command-line mistake, then the usage line (when clap gave one) and where to read more.
pub(crate) fn with_usage(said: &Text, usage: Option<&str>, command: &str) -> Text {
    let (zh_usage, en_usage) = match usage {
        Some(usage) => (format!("用法：{usage}\n"), format!("Usage: {usage}\n\n")),
        None => (String::new(), String::new()),
    };
    text!(
        format!(
            "{}\n\n{zh_usage}运行 {command} --help 查看所有参数的说明。",
            said.zh
        ),
        format!(
            "{}\n\n{en_usage}For more information, try '{command} --help'.",
            said.en
        )
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
