//! A lesson plan as a Word file (`lesson.docx`), for teachers who must file their 教案
//! as a document: the plan's facts, the schedule as a table, the body, the discussion
//! questions, materials and sources, in the fonts and sizes of 公文 (仿宋 三号 body,
//! 黑体 headings, a 宋体 二号 title) on A4 with the usual margins.
//!
//! The body is written from the Markdown events (with the same fixes for Chinese text as
//! the HTML), not from the HTML. Nothing here reads the disk.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run,
    RunFonts, Style, StyleType, Table, TableCell, TableRow, WidthType,
};
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use crate::diagnostics::Problem;
use crate::site::Site;

use super::{Body, Output};

/// Body text: 仿宋, Latin in Times New Roman.
const BODY_FONT: &str = "仿宋";
/// Headings.
const HEADING_FONT: &str = "黑体";
/// The title and the schedule table.
const TITLE_FONT: &str = "宋体";
/// Quotations and the teacher's notes.
const QUOTE_FONT: &str = "楷体";
/// Latin letters and digits.
const LATIN_FONT: &str = "Times New Roman";

/// Sizes in half-points: 二号, 三号, 四号.
const SIZE_ER: usize = 44;
const SIZE_SAN: usize = 32;
const SIZE_SI: usize = 28;

/// A4 in twentieths of a point, and the 公文 margins (37, 35, 28, 26 mm).
const A4: (u32, u32) = (11906, 16838);

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
}

/// The Word file of lesson page `index`, or a problem naming the page.
pub(crate) fn lesson_docx(site: &Site, index: usize) -> Result<Option<Output>, Problem> {
    let page = &site.pages[index];
    let Some(docx) = &page.lesson_files.docx else {
        return Ok(None);
    };
    let file = page.file();
    let document = document(site, index);
    let mut bytes = Cursor::new(Vec::new());
    document
        .build()
        .pack(&mut bytes)
        .map_err(|e| Problem::in_file(file, crate::messages::docx_failed(&e.to_string())))?;
    Ok(Some(Output {
        path: docx.output.clone(),
        body: Body::Bytes(bytes.into_inner().into()),
    }))
}

/// What goes into the document, in order. Mostly paragraphs, so they are not boxed.
#[allow(clippy::large_enum_variant)]
enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

fn styles(docx: Docx) -> Docx {
    let heading = |id: &str, name: &str, font: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .q_format(true)
            .fonts(fonts(font))
            .size(size)
            .outline_lvl(level)
    };
    docx.add_style(
        heading("Title", "Title", TITLE_FONT, SIZE_ER, 0)
            .bold()
            .align(AlignmentType::Center),
    )
    .add_style(heading("Heading1", "heading 1", HEADING_FONT, SIZE_SAN, 0))
    .add_style(heading("Heading2", "heading 2", HEADING_FONT, SIZE_SAN, 1))
    .add_style(heading("Heading3", "heading 3", QUOTE_FONT, SIZE_SAN, 2).bold())
}

fn document(site: &Site, index: usize) -> Docx {
    let page = &site.pages[index];
    let front = page.front();
    let mut blocks = Vec::new();
    let mut push = |p: Paragraph| blocks.push(Block::Paragraph(p));
    push(
        Paragraph::new()
            .style("Title")
            .add_run(Run::new().add_text(&front.title)),
    );
    if let Some((lesson, _)) = &front.lesson {
        push(fact("时长", &format!("{} 分钟", lesson.duration)));
        if let Some(audience) = &lesson.audience {
            push(fact("对象", audience));
        }
        for (title, items) in [
            ("教学目标", &lesson.objectives),
            ("重点", &lesson.key_points),
            ("难点", &lesson.difficulties),
        ] {
            if !items.is_empty() {
                push(heading(1, title));
                for (n, item) in items.iter().enumerate() {
                    push(list_item(&format!("{}．", n + 1), item));
                }
            }
        }
        if !lesson.schedule.is_empty() {
            push(heading(1, "教学安排"));
            blocks.push(Block::Table(schedule_table(lesson)));
        }
        if let Some(body) = &page.page.lesson_markdown {
            blocks.push(Block::Paragraph(heading(1, "教学过程")));
            blocks.extend(body_blocks(body));
        }
        let mut push = |p: Paragraph| blocks.push(Block::Paragraph(p));
        if !lesson.discussion.is_empty() {
            push(heading(1, "讨论题"));
            for (n, item) in lesson.discussion.iter().enumerate() {
                push(list_item(&format!("{}．", n + 1), item));
            }
        }
        if !page.readings.is_empty() {
            push(heading(1, "学习材料"));
            for (n, reading) in page.readings.iter().enumerate() {
                let text = match reading.written.as_deref() {
                    Some(url) if !url.starts_with("@/") => format!("{}（{url}）", reading.title),
                    _ => reading.title.clone(),
                };
                push(list_item(&format!("{}．", n + 1), &text));
            }
        }
    }
    let mut push = |p: Paragraph| blocks.push(Block::Paragraph(p));
    if !front.sources.is_empty() {
        push(heading(1, "资料来源"));
        for (n, source) in front.sources.iter().enumerate() {
            let text = match source.url.as_deref() {
                Some(url) if !url.starts_with("@/") => format!("{}（{url}）", source.title),
                _ => source.title.clone(),
            };
            push(list_item(&format!("{}．", n + 1), &text));
        }
    }
    let docx = styles(Docx::new())
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(2098)
                .bottom(1984)
                .left(1588)
                .right(1474)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(SIZE_SAN)
        .default_line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(560),
        )
        .custom_property("generator", "casebook");
    blocks.into_iter().fold(docx, |docx, block| match block {
        Block::Paragraph(p) => docx.add_paragraph(p),
        Block::Table(t) => docx.add_table(t),
    })
}

fn heading(level: usize, text: &str) -> Paragraph {
    Paragraph::new()
        .style(&format!("Heading{level}"))
        .keep_next(true)
        .add_run(Run::new().add_text(text))
}

/// `时长：90 分钟`, the label in 黑体.
fn fact(label: &str, value: &str) -> Paragraph {
    Paragraph::new()
        .add_run(
            Run::new()
                .add_text(format!("{label}："))
                .fonts(fonts(HEADING_FONT)),
        )
        .add_run(Run::new().add_text(value))
}

fn list_item(marker: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .first_line_chars(200)
        .add_run(Run::new().add_text(format!("{marker}{text}")))
}

/// The schedule: 环节 and 时间, with the total in the last row.
fn schedule_table(lesson: &crate::content::front_matter::Lesson) -> Table {
    let cell = |text: &str, bold: bool, align: AlignmentType| {
        let mut run = Run::new()
            .add_text(text)
            .fonts(fonts(if bold { HEADING_FONT } else { TITLE_FONT }))
            .size(SIZE_SI);
        if bold {
            run = run.bold();
        }
        TableCell::new().add_paragraph(
            Paragraph::new()
                .align(align)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Auto)
                        .line(240),
                )
                .add_run(run),
        )
    };
    let row = |title: &str, minutes: &str, bold: bool| {
        TableRow::new(vec![
            cell(title, bold, AlignmentType::Left).width(6800, WidthType::Dxa),
            cell(minutes, bold, AlignmentType::Center).width(2000, WidthType::Dxa),
        ])
    };
    let mut rows = vec![row("环节", "时间", true)];
    rows.extend(
        lesson
            .schedule
            .iter()
            .map(|part| row(&part.title, &format!("{} 分钟", part.minutes), false)),
    );
    let total: u64 = lesson.schedule.iter().map(|p| u64::from(p.minutes)).sum();
    rows.push(row("合计", &format!("{total} 分钟"), true));
    Table::new(rows)
        .set_grid(vec![6800, 2000])
        .width(8800, WidthType::Dxa)
}

/// Inline formatting in force.
#[derive(Default, Clone, Copy)]
struct Inline {
    bold: u8,
    italic: u8,
    code: bool,
}

/// Turns the Markdown body into paragraphs and tables.
fn body_blocks(body: &str) -> Vec<Block> {
    let mut writer = BodyWriter::default();
    for event in crate::markdown::events(body) {
        writer.event(event);
    }
    writer.finish_paragraph();
    writer.blocks
}

#[derive(Default)]
struct BodyWriter {
    blocks: Vec<Block>,
    /// The paragraph being written.
    paragraph: Option<Paragraph>,
    inline: Inline,
    /// Open lists: the next number of an ordered one, `None` for bullets.
    lists: Vec<Option<u64>>,
    /// Depth of block quotes.
    quotes: usize,
    /// Rows of the table being read, each a list of cell texts.
    table: Option<Vec<Vec<String>>>,
    in_code_block: bool,
}

impl BodyWriter {
    fn start_paragraph(&mut self, paragraph: Paragraph) {
        self.finish_paragraph();
        self.paragraph = Some(paragraph);
    }

    fn finish_paragraph(&mut self) {
        if let Some(p) = self.paragraph.take() {
            self.blocks.push(Block::Paragraph(p));
        }
    }

    /// A body paragraph: indented two characters, in 楷体 inside quotations.
    fn body_paragraph(&self) -> Paragraph {
        let p = Paragraph::new().first_line_chars(200);
        if self.quotes > 0 {
            p.fonts(fonts(QUOTE_FONT))
        } else {
            p
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(cells) = self.table.as_mut() {
            if let Some(cell) = cells.last_mut().and_then(|row| row.last_mut()) {
                cell.push_str(text);
            }
            return;
        }
        let mut run = Run::new().add_text(text);
        if self.inline.bold > 0 {
            run = run.bold();
        }
        if self.inline.italic > 0 {
            run = run.italic();
        }
        if self.quotes > 0 {
            run = run.fonts(fonts(QUOTE_FONT));
        }
        if self.inline.code || self.in_code_block {
            run = run.fonts(RunFonts::new().ascii("Courier New").hi_ansi("Courier New"));
        }
        let paragraph = match self.paragraph.take() {
            Some(p) => p,
            None => self.body_paragraph(),
        };
        self.paragraph = Some(paragraph.add_run(run));
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.in_code_block => self.code_block_text(&text),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => {
                self.inline.code = true;
                self.text(&code);
                self.inline.code = false;
            }
            Event::FootnoteReference(label) => self.text(&format!("[{label}]")),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
            Event::SoftBreak => {}
            Event::HardBreak => {
                if let Some(p) = self.paragraph.take() {
                    self.paragraph = Some(p.add_run(Run::new().add_break(BreakType::TextWrapping)));
                }
            }
            // Raw HTML (comments among it) and rules have no place in the plan.
            _ => {}
        }
    }

    /// Opens a block, or an inline style for the runs that follow.
    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => self.start_paragraph(heading_paragraph(level)),
            Tag::Paragraph => {
                // A loose list item's paragraph continues the item's own.
                let item_is_empty = self
                    .paragraph
                    .as_ref()
                    .is_some_and(|p| p.children.len() == 1 && !self.lists.is_empty());
                if !item_is_empty {
                    let p = self.body_paragraph();
                    self.start_paragraph(p);
                }
            }
            Tag::Item => {
                let p = self.item_paragraph();
                self.start_paragraph(p);
            }
            Tag::List(first) => {
                self.finish_paragraph();
                self.lists.push(first);
            }
            Tag::BlockQuote(_) => {
                self.finish_paragraph();
                self.quotes += 1;
            }
            Tag::CodeBlock(_) => {
                self.in_code_block = true;
                self.start_paragraph(Paragraph::new());
            }
            Tag::Strong => self.inline.bold += 1,
            Tag::Emphasis => self.inline.italic += 1,
            Tag::Table(_) => {
                self.finish_paragraph();
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(rows) = self.table.as_mut() {
                    rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|rows| rows.last_mut()) {
                    row.push(String::new());
                }
            }
            Tag::FootnoteDefinition(label) => {
                let p = Paragraph::new().add_run(Run::new().add_text(format!("[{label}] ")));
                self.start_paragraph(p);
            }
            // Link and image text is kept as text; their targets have no place on paper.
            _ => {}
        }
    }

    /// Closes what `start` opened.
    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item => self.finish_paragraph(),
            TagEnd::List(_) => {
                self.finish_paragraph();
                self.lists.pop();
            }
            TagEnd::BlockQuote(_) => {
                self.finish_paragraph();
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.finish_paragraph();
            }
            TagEnd::Strong => self.inline.bold = self.inline.bold.saturating_sub(1),
            TagEnd::Emphasis => self.inline.italic = self.inline.italic.saturating_sub(1),
            TagEnd::Table => {
                if let Some(rows) = self.table.take() {
                    self.blocks.push(Block::Table(text_table(rows)));
                }
            }
            _ => {}
        }
    }

    /// A list item's first paragraph, numbered or bulleted and indented by depth; an
    /// ordered list counts on.
    fn item_paragraph(&mut self) -> Paragraph {
        let marker = match self.lists.last_mut() {
            Some(Some(n)) => {
                *n += 1;
                format!("{}．", *n - 1)
            }
            _ => "• ".to_owned(),
        };
        let depth = self.lists.len().saturating_sub(1) as i32;
        Paragraph::new()
            .first_line_chars(200 + 200 * depth)
            .add_run(Run::new().add_text(marker))
    }

    /// Code keeps its lines: each becomes a paragraph of its own.
    fn code_block_text(&mut self, text: &str) {
        for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
            if i > 0 {
                self.start_paragraph(Paragraph::new());
            }
            self.text(line);
        }
    }
}

/// A heading of the body: its `#` and `##` become the plan's second level, below the
/// plan's own parts; deeper ones the third.
fn heading_paragraph(level: HeadingLevel) -> Paragraph {
    let level = match level {
        HeadingLevel::H1 | HeadingLevel::H2 => 2,
        _ => 3,
    };
    Paragraph::new()
        .style(&format!("Heading{level}"))
        .keep_next(true)
}

/// A Markdown table: the first row bold.
fn text_table(rows: Vec<Vec<String>>) -> Table {
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(r, cells)| {
            TableRow::new(
                cells
                    .into_iter()
                    .map(|text| {
                        let mut run = Run::new().add_text(text).size(SIZE_SI);
                        if r == 0 {
                            run = run.bold();
                        }
                        TableCell::new().add_paragraph(
                            Paragraph::new()
                                .line_spacing(
                                    LineSpacing::new()
                                        .line_rule(LineSpacingType::Auto)
                                        .line(240),
                                )
                                .add_run(run),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    Table::new(rows).width(5000, WidthType::Pct)
}
