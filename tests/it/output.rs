//! The output folder's guarantees: a failed or killed build leaves it untouched, stale
//! pages go, files casebook did not write stay, and dangerous folders are refused.

use std::time::Duration;

use crate::support::*;

/// A copy of the valid fixture in a temp folder, built once into `public/`.
fn built_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = temp();
    copy_tree(&fixture("valid"), site.path());
    let out = site.path().join("public");
    ok(&build(site.path(), &out, &[]));
    (site, out)
}

#[test]
fn a_failed_build_leaves_the_output_byte_identical() {
    let (site, out) = built_site();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let before = tree(&out);
    std::fs::write(site.path().join("content/bad.md"), "---\ntitle: [x\n---\n").unwrap();
    fails_with(&build(site.path(), &out, &[]), 1);
    assert!(tree(&out) == before, "output changed");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("casebook"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn deleted_pages_go_and_foreign_files_stay() {
    let (site, out) = built_site();
    let cases = site.path().join("content/案例");
    std::fs::write(cases.join("甲.md"), "---\ntitle: 甲\n---\n").unwrap();
    std::fs::write(cases.join("乙.md"), "---\ntitle: 乙\n---\n").unwrap();
    ok(&build(site.path(), &out, &[]));
    assert!(out.join("案例/甲/index.html").exists());
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::create_dir_all(out.join("uploads/2024")).unwrap();
    std::fs::write(out.join("uploads/2024/a.pdf"), "pdf").unwrap();
    std::fs::remove_file(cases.join("甲.md")).unwrap();
    std::fs::rename(cases.join("乙.md"), cases.join("丙.md")).unwrap();
    ok(&build(site.path(), &out, &[]));
    assert!(!out.join("案例/甲").exists(), "deleted page still there");
    assert!(!out.join("案例/乙").exists() && out.join("案例/丙/index.html").exists());
    assert_eq!(read(&out, "notes.txt"), "mine");
    assert_eq!(read(&out, "uploads/2024/a.pdf"), "pdf");
}

#[test]
fn a_foreign_file_where_the_site_now_writes_is_an_error_not_a_loss() {
    let (site, out) = built_site();
    std::fs::create_dir_all(out.join("新页")).unwrap();
    std::fs::write(out.join("新页/index.html"), "hand-made").unwrap();
    std::fs::write(
        site.path().join("content/新页.md"),
        "---\ntitle: 新页\n---\n",
    )
    .unwrap();
    let stderr = fails_with(&build(site.path(), &out, &[]), 1);
    assert!(stderr.contains("was not written by casebook"), "{stderr}");
    assert_eq!(read(&out, "新页/index.html"), "hand-made");
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = temp();
    copy_tree(&fixture("valid"), site.path());
    std::fs::create_dir_all(site.path().join("repo/.git")).unwrap();
    let before = tree(site.path());
    for bad in [".", "..", "/", "content", "content/案例", "repo"] {
        let output = casebook()
            .current_dir(site.path())
            .args(["build", "--output", bad])
            .output()
            .unwrap();
        let stderr = fails_with(&output, 2);
        assert!(
            stderr.contains("refusing to write the site"),
            "{bad}: {stderr}"
        );
    }
    let output = build(site.path(), site.path(), &[]);
    fails_with(&output, 2);
    assert!(tree(site.path()) == before, "a refused build changed files");
}

/// Kills builds at many moments; the output must always be one whole site, old or new.
#[test]
fn a_killed_build_leaves_the_old_or_the_new_site_never_a_mix() {
    let site = temp();
    std::fs::write(site.path().join("site.toml"), "title = \"大站\"\n").unwrap();
    let content = site.path().join("content/pages");
    std::fs::create_dir_all(&content).unwrap();
    let write_pages = |version: &str| {
        for i in 0..1500 {
            let body = format!(
                "---\ntitle: 第{i}页 {version}\n---\n\n{}\n",
                "学习材料正文。".repeat(40)
            );
            std::fs::write(content.join(format!("p{i}.md")), body).unwrap();
        }
    };
    write_pages("旧");
    let out = site.path().join("public");
    ok(&build(site.path(), &out, &[]));
    let old = tree(&out);
    write_pages("新");
    let new_out = temp();
    ok(&build(site.path(), new_out.path(), &[]));
    let new = tree(new_out.path());
    assert!(old != new);

    let mut saw_old = false;
    for delay_ms in [5, 20, 40, 80, 120, 160, 250, 400] {
        let mut child = casebook()
            .args(["build", "--quiet", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(&out)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let now = tree(&out);
        assert!(
            now == old || now == new,
            "after a kill at {delay_ms} ms the output is neither site"
        );
        if now == old {
            saw_old = true;
        } else {
            // Put the old site back so later kills are tested against a change again.
            write_pages("旧");
            ok(&build(site.path(), &out, &[]));
            write_pages("新");
        }
    }
    assert!(
        saw_old,
        "no kill landed before the swap; the test proved nothing"
    );
    // The next build clears the staging folders the killed builds left.
    ok(&build(site.path(), &out, &[]));
    assert!(tree(&out) == new);
    let stale = std::fs::read_dir(site.path()).unwrap().filter(|e| {
        e.as_ref()
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("casebook-staging")
    });
    assert_eq!(stale.count(), 0);
}

/// The previous site is recycled as the next staging folder; whatever state it is in,
/// the result must equal a fresh build.
#[test]
fn a_recycled_spare_gives_the_same_site_as_a_fresh_build() {
    let (site, out) = built_site();
    ok(&build(site.path(), &out, &[])); // the first build's site is now the spare
    let spare = site.path().join(".public.casebook-spare");
    assert!(spare.is_dir(), "no spare kept");
    // Damage the spare: a truncated page, a stray file, a stray folder.
    std::fs::write(spare.join("案例/霞浦/index.html"), "half").unwrap();
    std::fs::write(spare.join("junk.html"), "junk").unwrap();
    std::fs::create_dir_all(spare.join("gone/deep")).unwrap();
    // And change the content: one page edited, one removed, one added.
    let cases = site.path().join("content/案例");
    std::fs::write(
        cases.join("空.md"),
        "---\ntitle: 改过的标题\ndate: 1989\n---\n",
    )
    .unwrap();
    std::fs::remove_file(cases.join("只有前言.md")).unwrap();
    std::fs::write(cases.join("新.md"), "---\ntitle: 新页\n---\n").unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    ok(&build(site.path(), &out, &[]));

    let fresh = temp();
    ok(&build(site.path(), fresh.path(), &[]));
    let mut expected = tree(fresh.path());
    expected.insert("notes.txt".into(), b"mine".to_vec());
    let mut manifest_free = tree(&out);
    // The manifests differ only because notes.txt is foreign; compare them separately.
    let manifest = manifest_free.remove(".casebook-manifest");
    assert_eq!(manifest, expected.remove(".casebook-manifest"));
    assert!(
        manifest_free == expected,
        "recycled build differs from a fresh one"
    );
}

/// Every entry under `dir`: files with their bytes, links with their targets, folders
/// with their permissions; what "left untouched" is checked against.
fn everything(dir: &std::path::Path) -> Vec<(String, String)> {
    use std::os::unix::fs::PermissionsExt;
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            let meta = e.path().symlink_metadata().unwrap();
            let what = if meta.file_type().is_symlink() {
                format!("link {}", std::fs::read_link(e.path()).unwrap().display())
            } else if meta.is_file() {
                format!("file {:?}", std::fs::read(e.path()).unwrap())
            } else {
                format!("{:?} {:o}", meta.file_type(), meta.permissions().mode())
            };
            (name, what)
        })
        .collect()
}

#[test]
fn a_folder_casebook_did_not_make_is_refused_and_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let site = temp();
    copy_tree(&fixture("valid"), site.path());
    // A home folder: private files, a link, a pipe, an empty folder.
    let base = temp();
    let home = base.path().join("home");
    let ssh = home.join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    std::fs::write(ssh.join("id_ed25519"), "secret").unwrap();
    std::fs::set_permissions(&ssh, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::create_dir(home.join("empty")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", home.join("link")).unwrap();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        home.join("pipe"),
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    let before = everything(base.path());
    for _ in 0..2 {
        let stderr = fails_with(&build(site.path(), &home, &[]), 2);
        assert!(stderr.contains("casebook did not make it"), "{stderr}");
        assert!(stderr.contains("new or empty folder"), "{stderr}");
    }
    assert_eq!(everything(base.path()), before);
}

#[test]
fn an_output_that_is_a_file_is_refused() {
    let site = temp();
    copy_tree(&fixture("valid"), site.path());
    let notes = site.path().join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let stderr = fails_with(&build(site.path(), &notes, &[]), 2);
    assert!(stderr.contains("it is a file"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");
    fails_with(&build(site.path(), &notes, &[]), 2);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");
}

#[test]
fn outputs_reaching_the_sources_through_links_are_refused() {
    let site = temp();
    copy_tree(&fixture("valid"), site.path());
    let before = everything(site.path());
    // `public` as a link to content/.
    std::os::unix::fs::symlink("content", site.path().join("public")).unwrap();
    for _ in 0..2 {
        let stderr = fails_with(&build(site.path(), &site.path().join("public"), &[]), 2);
        assert!(stderr.contains("content/"), "{stderr}");
        let stderr = fails_with(
            &casebook()
                .current_dir(site.path())
                .args(["build", "--quiet"])
                .output()
                .unwrap(),
            2,
        );
        assert!(stderr.contains("which holds your sources"), "{stderr}");
    }
    std::fs::remove_file(site.path().join("public")).unwrap();
    // A link to the site root, and the content folder reached through it.
    let elsewhere = temp();
    let link = elsewhere.path().join("L");
    std::os::unix::fs::symlink(site.path(), &link).unwrap();
    for bad in ["content", "content/案例", "static", ".", "themes/x"] {
        let stderr = fails_with(&build(&link, &link.join(bad), &[]), 2);
        assert!(stderr.contains("refusing"), "{bad}: {stderr}");
        fails_with(&build(site.path(), &link.join(bad), &[]), 2);
    }
    assert_eq!(everything(site.path()), before);
}

#[test]
fn an_output_linked_elsewhere_is_built_through_the_link() {
    let site = temp();
    copy_tree(&fixture("valid"), site.path());
    let target = temp();
    let served = target.path().join("www");
    std::fs::create_dir(&served).unwrap();
    let public = site.path().join("public");
    std::os::unix::fs::symlink(&served, &public).unwrap();
    for _ in 0..3 {
        ok(&build(site.path(), &public, &[]));
        assert!(public.symlink_metadata().unwrap().file_type().is_symlink());
        assert!(served.join("index.html").is_file());
        assert!(served.join(".casebook-manifest").is_file());
    }
    // A link to nothing is refused, not replaced.
    std::fs::remove_file(&public).unwrap();
    std::os::unix::fs::symlink(target.path().join("gone"), &public).unwrap();
    let stderr = fails_with(&build(site.path(), &public, &[]), 2);
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(public.symlink_metadata().unwrap().file_type().is_symlink());
}

#[test]
fn links_and_empty_folders_added_to_the_output_survive_rebuilds() {
    let (site, out) = built_site();
    std::os::unix::fs::symlink("index.html", out.join("home.html")).unwrap();
    std::fs::create_dir_all(out.join("uploads/empty")).unwrap();
    for _ in 0..3 {
        ok(&build(site.path(), &out, &[]));
    }
    assert_eq!(
        std::fs::read_link(out.join("home.html")).unwrap(),
        std::path::Path::new("index.html")
    );
    assert!(out.join("uploads/empty").is_dir());
}

/// Twenty builds at once: each ends in a whole site or a clear refusal, never a mix.
#[test]
fn concurrent_builds_end_in_a_whole_site_or_a_refusal() {
    let (site, out) = built_site();
    let expected = tree(&out);
    let children: Vec<_> = (0..20)
        .map(|_| {
            casebook()
                .args(["build", "--quiet", "--root"])
                .arg(site.path())
                .arg("--output")
                .arg(&out)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut built = 0;
    for child in children {
        let result = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        match result.status.code() {
            Some(0) => built += 1,
            Some(2) => assert!(stderr.contains("another build is running"), "{stderr}"),
            other => panic!("exit {other:?}: {stderr}"),
        }
        assert!(tree(&out) == expected, "the output is not a whole site");
    }
    assert!(built >= 1);
    ok(&build(site.path(), &out, &[]));
    assert!(tree(&out) == expected);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("casebook-staging") || n.contains("casebook-lock"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
