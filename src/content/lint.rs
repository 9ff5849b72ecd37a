//! The slips of a Chinese keyboard in front matter, found before the YAML parser sees
//! them. On a Chinese keyboard `：`, `，`, `“”` and the full-width space come as easily
//! as their ASCII twins, and a parser either rejects them with words no editor knows
//! (`expected mapping start`) or, worse, accepts them silently (`[四下基层，调查研究]` is
//! one tag). Each slip found here is reported at its line and column with the fix.

use crate::messages::{self, SpaceAt, Text};

/// One slip: 1-based line of the file, 1-based column (in characters), the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slip {
    /// 1-based line of the YAML text.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and the fix.
    pub message: Text,
}

/// Full-width brackets an editor means as `[`/`]`.
const LIST_BRACKETS: [char; 3] = ['【', '［', '〔'];
/// Full-width quotes.
const QUOTES: [char; 4] = ['“', '”', '‘', '’'];

/// Every slip in `yaml`, at most one per line, in order; lines are numbered from
/// `first_line` (the file line the YAML starts at), in positions and messages alike.
pub(crate) fn slips(yaml: &str, first_line: usize) -> Vec<Slip> {
    let mut found = Vec::new();
    // Indentation levels in force: (spaces, the line that set them).
    let mut levels: Vec<(usize, usize)> = Vec::new();
    // The last line that held `key: value` with a value, and its indentation.
    let mut last_valued: Option<(usize, usize)> = None;
    // Inside a block scalar (`|`, `>`): lines indented more than this are text.
    let mut block_scalar: Option<usize> = None;
    // Inside a flow collection spanning lines (`[a,\n b]`).
    let mut open_brackets = 0usize;
    for (i, line) in yaml.lines().enumerate() {
        let number = i + first_line;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let indent_chars: Vec<char> = line
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t' | '\u{3000}'))
            .collect();
        let spaces = indent_chars.len();
        if let Some(depth) = block_scalar {
            if spaces > depth {
                continue;
            }
            block_scalar = None;
        }
        if open_brackets > 0 {
            open_brackets = bracket_balance(line, open_brackets);
            continue;
        }
        let rest: &str = &line[indent_chars.iter().map(|c| c.len_utf8()).sum::<usize>()..];
        if rest.starts_with('#') {
            continue;
        }
        if let Some(at) = indent_chars.iter().position(|&c| c == '\t') {
            found.push(slip(number, at + 1, messages::tab_indent()));
            continue;
        }
        if let Some(at) = indent_chars.iter().position(|&c| c == '\u{3000}') {
            found.push(slip(
                number,
                at + 1,
                messages::fullwidth_space(SpaceAt::Indent),
            ));
            continue;
        }
        // `- ` items: the dash is one level, what follows it another.
        let (item, content_at, content) = match rest.strip_prefix('-') {
            Some(after) if after.is_empty() || after.starts_with(' ') => {
                let pad = after.len() - after.trim_start().len();
                (true, spaces + 1 + pad, after.trim_start())
            }
            _ => (false, spaces, rest),
        };
        if let Some(message) = line_slip(number, content_at, content) {
            found.push(message);
            continue;
        }
        // Indentation: a line must line up with a level already in force.
        let mut popped = None;
        while let Some(&(depth, set_by)) = levels.last() {
            if depth > spaces {
                popped = Some((depth, set_by));
                levels.pop();
            } else {
                break;
            }
        }
        match levels.last() {
            Some(&(depth, _)) if depth == spaces => {}
            _ => {
                if let Some((depth, set_by)) = popped {
                    found.push(slip(number, 1, messages::misaligned(spaces, set_by, depth)));
                    continue;
                }
                let looks_like_key = item || key_of(content).is_some();
                if let Some((valued, valued_spaces)) = last_valued
                    && looks_like_key
                    && spaces > valued_spaces
                {
                    found.push(slip(number, 1, messages::indented_too_far(valued)));
                    continue;
                }
                levels.push((spaces, number));
            }
        }
        if item && content_at > spaces && !content.is_empty() {
            levels.push((content_at, number));
        }
        last_valued = None;
        if let Some((_, value)) = key_of(content) {
            let value = value.trim();
            let value = value.split(" #").next().unwrap_or(value).trim();
            if value.starts_with(['|', '>']) {
                block_scalar = Some(spaces);
            } else if value.starts_with(['[', '{']) {
                open_brackets = bracket_balance(value, 0);
            } else if !value.is_empty() && !value.starts_with(['&', '!', '#']) {
                last_valued = Some((number, content_at));
            }
        }
    }
    found
}

fn slip(line: usize, column: usize, message: Text) -> Slip {
    Slip {
        line,
        column,
        message,
    }
}

/// `key` and what follows its colon, when `text` starts with an ASCII field name and `:`.
fn key_of(text: &str) -> Option<(&str, &str)> {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    if end == 0 {
        return None;
    }
    let after = text[end..].strip_prefix(':')?;
    Some((&text[..end], after))
}

/// Brackets still open after `text`, starting from `open`, outside quotes.
fn bracket_balance(text: &str, mut open: usize) -> usize {
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => open += 1,
            (None, ']' | '}') => open = open.saturating_sub(1),
            (None, '#') => break,
            _ => {}
        }
    }
    open
}

/// A slip on one line's content (after indentation and any `- `), which starts at
/// 0-based character column `at`.
fn line_slip(number: usize, at: usize, content: &str) -> Option<Slip> {
    let column_of = |byte: usize| at + content[..byte].chars().count() + 1;
    let name_end = content
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(content.len());
    if name_end > 0 {
        let key = &content[..name_end];
        let after = &content[name_end..];
        let spaced = after.trim_start_matches(' ');
        if spaced.starts_with('：') {
            let byte = name_end + (after.len() - spaced.len());
            return Some(slip(
                number,
                column_of(byte),
                messages::fullwidth_colon(key),
            ));
        }
        if let Some(value) = after.strip_prefix(':') {
            let value_byte = name_end + 1;
            if let Some(first) = value.chars().next() {
                if first == '\u{3000}' {
                    return Some(slip(
                        number,
                        column_of(value_byte),
                        messages::fullwidth_space(SpaceAt::AfterColon),
                    ));
                }
                if first != ' ' && first != '\t' && !value.starts_with("//") {
                    return Some(slip(
                        number,
                        column_of(value_byte),
                        messages::no_space_after_colon(key),
                    ));
                }
            }
            let trimmed = value.trim_start();
            let value_byte = content.len() - trimmed.len();
            return value_slip(number, &|b| column_of(value_byte + b), trimmed);
        }
        return None;
    }
    // A list item's value (`- “四下基层”`).
    value_slip(number, &column_of, content).filter(|s| s.column > 0)
}

/// A slip in a value: full-width list punctuation, brackets or quotes.
fn value_slip(number: usize, column_of: &dyn Fn(usize) -> usize, value: &str) -> Option<Slip> {
    let first = value.chars().next()?;
    if LIST_BRACKETS.contains(&first) {
        return Some(slip(
            number,
            column_of(0),
            messages::fullwidth_bracket(first),
        ));
    }
    if first == '[' {
        // Items of a flow list wholly in full-width quotes (`[“四下基层”, …]`): the quotes
        // would become part of the names.
        let mut quote = None;
        let mut item_start = 1;
        for (byte, c) in value.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, ',' | ']') => {
                    let item = value[item_start..byte].trim();
                    let starts = item.chars().next().filter(|c| QUOTES.contains(c));
                    if let Some(mark) = starts
                        && item.chars().count() > 1
                        && item.ends_with(QUOTES)
                    {
                        let at = item_start
                            + (value[item_start..].len() - value[item_start..].trim_start().len());
                        return Some(slip(number, column_of(at), messages::fullwidth_quote(mark)));
                    }
                    if c == ']' {
                        break;
                    }
                    item_start = byte + 1;
                }
                _ => {}
            }
        }
        return None;
    }
    // `“…”` as a whole value holding something YAML would act on.
    if QUOTES.contains(&first) && (value.contains(": ") || value.contains(" #")) {
        return Some(slip(number, column_of(0), messages::fullwidth_quote(first)));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(yaml: &str) -> (usize, usize, String) {
        let s = slips(yaml, 1)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no slip in {yaml:?}"));
        (s.line, s.column, s.message.zh)
    }

    #[test]
    fn finds_chinese_keyboard_slips() {
        let (l, c, m) = first("title：九进寿宁\n");
        assert_eq!((l, c), (1, 6));
        assert!(m.contains("中文冒号"), "{m}");
        let (l, c, m) = first("title: x\ndate:1989\n");
        assert_eq!((l, c), (2, 6));
        assert!(m.contains("空格"), "{m}");
        let (l, _, m) = first("title: x\ntags: [“四下基层”, 调查研究]\n");
        assert_eq!(l, 2);
        assert!(m.contains("中文引号"), "{m}");
        let (l, c, _) = first("title: x\nlesson:\n\tduration: 30\n");
        assert_eq!((l, c), (3, 1));
        let (l, _, m) = first("title: x\nlesson:\n  duration: 30\n   audience: 全体\n");
        assert_eq!(l, 4);
        assert!(m.contains("第 3 行"), "{m}");
        let (l, _, m) = first("title: x\n  date: 1989\n");
        assert_eq!(l, 2);
        assert!(m.contains("第 1 行"), "{m}");
    }

    #[test]
    fn leaves_good_yaml_alone() {
        for yaml in [
            "title: 三进下党\ndate: 1989-07-19\ntags: [下党乡, 寿宁]\n",
            "title: x\nevents:\n  - date: 1989\n    title: 第一次\n  - date: 1990\n    title: 第二次\n",
            "title: x\nsummary: |\n  注意：这里\n    随便缩进\nweight: 1\n",
            "title: x\ntags:\n- a\n- b\nsources:\n  - title: 书\n    url: https://a.org/x\n",
            "title: “四下基层”的由来\nsummary: 他说：“要下去。”\n",
            "title: x\nkey_points: [“四下基层”的含义, 路线、方针、政策]\ndiscussion: [结合实际，谈谈体会]\n",
            "title: x\ntags: [a,\n  b]\nlesson:\n  duration: 30\n",
            "title: x # 注释\n# whole comment\n  # indented comment\n",
            "title: x\nsources:      # 资料来源\n  - {title: 书}\n",
        ] {
            assert_eq!(slips(yaml, 1), vec![], "{yaml}");
        }
    }
}
