//! What a lesson is delivered with: the presenter view, the lesson packet and the Word
//! file, built from the repository's own lessons; and the switches that turn them off.

use std::path::Path;
use std::process::Command;

use crate::support::*;

const LESSON: &str = "lessons/学习四下基层-践行群众路线";

/// Every `id="…"` value in `html`.
fn ids(html: &str) -> Vec<&str> {
    html.split(" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

#[test]
fn slides_have_a_title_a_slide_per_section_and_the_discussion() {
    let out = temp();
    ok(&build(&repo(), out.path(), &[]));
    let slides = read(out.path(), &format!("{LESSON}/slides/index.html"));
    // Title, six `##` sections, discussion.
    assert_eq!(slides.matches("<section class=\"slide").count(), 8);
    assert!(slides.contains("<span class=\"fact\">时长：90 分钟</span>"));
    assert!(slides.contains("<li>准确说出“四下基层”的四项内容及其形成的时间和地点</li>"));
    assert!(slides.contains(
        "<p class=\"slide-minutes\">25 分钟</p>\n<h2 id=\"part-two\">第二部分：案例研读（25分钟）</h2>"
    ));
    assert_eq!(slides.matches("class=\"slide-minutes\"").count(), 6);
    assert!(slides.contains("<blockquote class=\"speaker-notes\">\n<p>讲稿：先不公布答案"));
    assert!(slides.contains("<h2 id=\"deck-discussion\">讨论题</h2>"));
    assert!(slides.contains("90 分钟 · 已用 <span data-elapsed>0:00</span>"));
    assert!(slides.contains("<script src=\"../../../slides.js\" defer></script>"));
    assert!(!slides.contains("<script>") && !slides.contains(" style=\""));
    let mut seen = ids(&slides);
    seen.sort_unstable();
    let count = seen.len();
    seen.dedup();
    assert_eq!(seen.len(), count, "ids are unique");
    // The lesson page links to all three.
    let page = read(out.path(), &format!("{LESSON}/index.html"));
    for file in ["slides/index.html", "packet.html", "lesson.docx"] {
        assert!(page.contains(&format!("{file}\"")), "{file} linked");
    }
}

#[test]
fn the_packet_holds_the_plan_and_every_material_in_full() {
    let out = temp();
    ok(&build(&repo(), out.path(), &[]));
    let packet = read(out.path(), &format!("{LESSON}/packet.html"));
    // Contents: the plan and the four material pages, in order.
    let order = [
        "<a href=\"#lesson\">",
        "<a href=\"#m1\">三进下党</a>",
        "<a href=\"#m2\">霞浦接待日</a>",
        "<a href=\"#m3\">“四下基层”的由来</a>",
        "<a href=\"#m4\">主题教育中的“四下基层”</a>",
    ];
    let mut at = 0;
    for item in order {
        let found = packet[at..].find(item).unwrap_or_else(|| panic!("{item}"));
        at += found;
    }
    // Full text of a material, not a summary: a sentence from the middle of the case.
    let case = std::fs::read_to_string(repo().join("content/cases/三进下党.md")).unwrap();
    let line = case
        .lines()
        .filter(|l| !l.starts_with(['#', '>', '-', ' ']) && l.chars().count() > 40)
        .nth(2)
        .unwrap();
    let probe: String = line.chars().skip(5).take(12).collect();
    assert!(packet.contains(&probe), "{probe}");
    // Ids are unique, prefixed per page; links between the pages stay inside.
    let mut seen = ids(&packet);
    seen.sort_unstable();
    let count = seen.len();
    seen.dedup();
    assert_eq!(seen.len(), count, "ids are unique");
    assert!(packet.contains("id=\"lesson-part-two\""));
    assert!(
        packet.contains("href=\"#m1-funds\""),
        "the lesson's link into a case"
    );
    assert!(packet.contains("href=\"#m3-four\""));
    assert!(!packet.contains("cases/%E4%B8%89%E8%BF%9B%E4%B8%8B%E5%85%9A/index.html"));
    // The section packet is still there.
    assert!(out.path().join("lessons/packet.html").exists());
}

/// Runs python3 with `script`; `None` when python-docx is missing outside CI.
fn python_docx(script: &str, docx: &Path) -> Option<String> {
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(docx)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("No module named 'docx'") && std::env::var("CI").as_deref() != Ok("true") {
        eprintln!("python-docx is not installed: skipped");
        return None;
    }
    assert!(output.status.success(), "python-docx: {stderr}");
    Some(String::from_utf8(output.stdout).unwrap())
}

#[test]
fn the_word_file_opens_with_python_docx_and_is_the_same_every_build() {
    let out = temp();
    ok(&build(&repo(), out.path(), &[]));
    let docx = out.path().join(format!("{LESSON}/lesson.docx"));
    let again = temp();
    ok(&build(&repo(), again.path(), &[]));
    assert_eq!(
        std::fs::read(&docx).unwrap(),
        std::fs::read(again.path().join(format!("{LESSON}/lesson.docx"))).unwrap(),
        "the same lesson gives the same bytes"
    );
    let script = r#"
import sys, docx
d = docx.Document(sys.argv[1])
for p in d.paragraphs:
    print((p.style.name if p.style is not None else '') + '|' + p.text)
for t in d.tables:
    for r in t.rows:
        print('row|' + '|'.join(c.text for c in r.cells))
"#;
    let Some(text) = python_docx(script, &docx) else {
        return;
    };
    let lines: Vec<&str> = text.lines().collect();
    for expected in [
        "Title|学习“四下基层”，践行群众路线",
        "|时长：90 分钟",
        "|对象：党支部全体党员；学习小组成员",
        "Heading 1|教学目标",
        "Heading 1|重点",
        "Heading 1|难点",
        "Heading 1|教学安排",
        "Heading 2|第二部分：案例研读（25分钟）",
        "Heading 1|讨论题",
        "Heading 1|学习材料",
        "|1．案例：三进下党",
        "Heading 1|资料来源",
        "row|环节|时间",
        "row|第一部分：“四下基层”是什么|20 分钟",
        "row|合计|90 分钟",
    ] {
        assert!(lines.contains(&expected), "{expected} in:\n{text}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("|1．四项内容。宣传党的路线")),
        "list items keep their text and bold"
    );
    // East Asian fonts: 仿宋 for the body, 黑体 for headings.
    let fonts = r#"
import sys, docx
d = docx.Document(sys.argv[1])
print(d.styles.element.xml.count('w:eastAsia="黑体"'), 'w:eastAsia="仿宋"' in d.styles.element.xml)
"#;
    let fonts = python_docx(fonts, &docx).unwrap();
    assert!(fonts.trim().ends_with("True"), "{fonts}");
}

/// LibreOffice converts the file to PDF without complaint. CI installs it; elsewhere a
/// missing `soffice` skips the test.
#[test]
fn the_word_file_converts_with_libreoffice() {
    let has_soffice = Command::new("soffice").arg("--version").output().is_ok();
    if !has_soffice {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must install LibreOffice"
        );
        eprintln!("soffice is not installed: skipped");
        return;
    }
    let out = temp();
    ok(&build(&repo(), out.path(), &[]));
    let docx = out.path().join(format!("{LESSON}/lesson.docx"));
    let pdf_dir = temp();
    let profile = temp();
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(pdf_dir.path())
        .arg(&docx)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let pdf = std::fs::read(pdf_dir.path().join("lesson.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(pdf.len() > 10_000, "a real document: {} bytes", pdf.len());
}

#[test]
fn site_toml_turns_the_slides_and_the_word_file_off() {
    let site = temp();
    copy_tree(&repo().join("content"), &site.path().join("content"));
    let toml = std::fs::read_to_string(repo().join("site.toml")).unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        format!("{toml}\n[lesson]\nslides = false\ndocx = false\n"),
    )
    .unwrap();
    let out = temp();
    ok(&build(site.path(), out.path(), &[]));
    assert!(!out.path().join(format!("{LESSON}/slides")).exists());
    assert!(!out.path().join(format!("{LESSON}/lesson.docx")).exists());
    assert!(out.path().join(format!("{LESSON}/packet.html")).exists());
    let page = read(out.path(), &format!("{LESSON}/index.html"));
    assert!(!page.contains("slides/index.html") && !page.contains("lesson.docx"));
    assert!(page.contains("packet.html\""));
}
