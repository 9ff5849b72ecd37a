//! Files as editors on Windows save them: GBK from older editors and WPS, UTF-16 with a
//! BOM from Notepad, CRLF mixed with LF, and links written with backslashes.

use crate::support::*;

#[test]
fn gbk_utf16_mixed_line_endings_and_backslashes_build() {
    let site = temp();
    let root = site.path();
    let gbk = |text: &str| encoding_rs::GBK.encode(text).0.into_owned();
    std::fs::write(root.join("site.toml"), gbk("title = \"学习资料\"\n")).unwrap();
    std::fs::create_dir_all(root.join("content/案例")).unwrap();
    std::fs::write(
        root.join("content/案例/旧编辑器.md"),
        gbk("---\ntitle: 用旧编辑器保存的页面\n---\n见[记事本页面](@/案例\\记事本.md)。\n"),
    )
    .unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    let notepad = "\u{feff}---\r\ntitle: 记事本页面\r\n---\r\n第一段。\n第二段。\r\n";
    utf16.extend(
        notepad
            .trim_start_matches('\u{feff}')
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    std::fs::write(root.join("content/案例/记事本.md"), utf16).unwrap();
    let out = root.join("public");
    ok(&build(root, &out, &[]));
    let old = read(&out, "案例/旧编辑器/index.html");
    assert!(
        old.contains("用旧编辑器保存的页面"),
        "GBK is read as Chinese"
    );
    assert!(old.contains("学习资料"), "site.toml in GBK is read");
    assert!(
        old.contains("href=\"../记事本/index.html\"")
            || old.contains("%E8%AE%B0%E4%BA%8B%E6%9C%AC"),
        "the backslash link resolves: {old}"
    );
    let notepad = read(&out, "案例/记事本/index.html");
    assert!(
        notepad.contains("记事本页面") && notepad.contains("第二段"),
        "UTF-16 with CRLF and LF"
    );
}

#[test]
fn bytes_no_encoding_reads_are_refused_with_the_line() {
    let site = temp();
    let root = site.path();
    std::fs::write(root.join("site.toml"), "title = \"站\"\n").unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("content/a.md"),
        b"---\ntitle: a\n---\nok\n\x80\xff\n",
    )
    .unwrap();
    let stderr = fails_with(&build(root, &root.join("public"), &[]), 1);
    assert!(stderr.contains("a.md:5"), "{stderr}");
    assert!(stderr.contains("UTF-8"), "{stderr}");
}
