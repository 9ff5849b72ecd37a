//! `casebook serve` over real HTTP against real files: rebuild on change, reload events,
//! errors kept out of the last good site, and requests that try to leave the site.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::*;

/// A running `casebook serve` and the lines it printed.
struct Server {
    child: Child,
    port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut command = casebook();
        command.args(["serve", "--port", "0", "--root"]).arg(root);
        Server::spawn(command)
    }

    /// Starts `casebook serve --port 0` with `args`, from the folder `cwd`, as a user
    /// who typed it there would.
    fn start_in(cwd: &Path, args: &[&str]) -> Server {
        let mut command = casebook();
        command
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(cwd);
        Server::spawn(command)
    }

    fn spawn(mut command: std::process::Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        let started = Instant::now();
        let port = loop {
            let found = lines.lock().unwrap().iter().find_map(|l| {
                l.split("http://127.0.0.1:")
                    .nth(1)
                    .and_then(|rest| rest.trim_end_matches('/').split('/').next()?.parse().ok())
            });
            if let Some(port) = found {
                break port;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "server did not start: {:?}",
                lines.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        Server { child, port, lines }
    }

    /// Sends a raw request target; returns status code, headers and body.
    fn get_with(&self, target: &str, extra: &str) -> (u16, String, String) {
        let reply = self.request("GET", target, extra);
        let body = String::from_utf8_lossy(&reply.body).into_owned();
        (reply.status, reply.head, body)
    }

    /// Sends one request with `Connection: close` and reads the whole answer.
    fn request(&self, method: &str, target: &str, extra: &str) -> Reply {
        self.request_as(
            method,
            target,
            &format!("Host: 127.0.0.1:{}\r\n{extra}", self.port),
        )
    }

    /// `request`, with every header (`Host` too) given by the caller.
    fn request_as(&self, method: &str, target: &str, headers: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        Reply::parse(&response)
    }

    fn get(&self, target: &str) -> (u16, String) {
        let (status, _, body) = self.get_with(target, "");
        (status, body)
    }

    fn rebuilds(&self) -> usize {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with("Rebuilt"))
            .count()
    }

    /// Opens the reload channel; events arrive in the returned buffer.
    fn events(&self) -> Arc<Mutex<String>> {
        self.events_at("/__casebook/events")
    }

    /// The reload channel at `target` (the events path, with a query), as it arrives.
    fn events_at(&self, target: &str) -> Arc<Mutex<String>> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let buffer = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&buffer);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = stream.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        buffer
    }
}

/// An HTTP answer as it came over the wire.
struct Reply {
    status: u16,
    /// The status line and headers.
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(bytes.len());
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let body = bytes.get(end + 4..).unwrap_or_default().to_vec();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Reply { status, head, body }
    }

    /// A header's value; names compare without regard to case.
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn site() -> tempfile::TempDir {
    let dir = temp();
    copy_tree(&fixture("valid"), dir.path());
    dir
}

const PAGE: &str = "/%E6%A1%88%E4%BE%8B/%E9%9C%9E%E6%B5%A6/";

#[test]
fn an_edit_is_served_and_announced() {
    let dir = site();
    let server = Server::start(dir.path());
    let (status, body) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(body.contains("霞浦接待日") && body.contains("/__casebook/reload.js"));
    let events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    let file = dir.path().join("content/案例/霞浦.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("霞浦接待日", "霞浦接待日（修订）");
    std::fs::write(&file, text).unwrap();
    wait_for("the edit", || {
        server.get(PAGE).1.contains("霞浦接待日（修订）")
    });
    wait_for("the reload event", || {
        events.lock().unwrap().contains("event: reload")
    });
    // A new page, then a deleted one.
    std::fs::write(
        dir.path().join("content/案例/新页.md"),
        "---\ntitle: 新页\n---\n",
    )
    .unwrap();
    wait_for("the new page", || {
        server.get("/%E6%A1%88%E4%BE%8B/%E6%96%B0%E9%A1%B5/").0 == 200
    });
    std::fs::remove_file(dir.path().join("content/案例/新页.md")).unwrap();
    wait_for("the page to go", || {
        server.get("/%E6%A1%88%E4%BE%8B/%E6%96%B0%E9%A1%B5/").0 == 404
    });
    // The output folder was never written.
    assert!(!dir.path().join("public").exists());
}

/// Renames the title of a page of the `valid` fixture from `from` to `to` and waits
/// until the server serves the edit.
fn edit_is_served(server: &Server, site: &Path, from: &str, to: &str) {
    let (status, body) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(body.contains(from));
    let file = site.join("content/案例/霞浦.md");
    let text = std::fs::read_to_string(&file).unwrap().replace(from, to);
    std::fs::write(&file, text).unwrap();
    wait_for("the edit", || server.get(PAGE).1.contains(to));
}

#[test]
fn started_inside_the_site_folder_with_no_root_it_rebuilds_on_an_edit() {
    let dir = site();
    let server = Server::start_in(dir.path(), &[]);
    edit_is_served(&server, dir.path(), "霞浦接待日", "霞浦接待日（第二稿）");
}

#[test]
fn a_relative_root_rebuilds_on_an_edit() {
    let dir = temp();
    copy_tree(&fixture("valid"), &dir.path().join("我的站"));
    let server = Server::start_in(dir.path(), &["--root", "我的站"]);
    let site = dir.path().join("我的站");
    edit_is_served(&server, &site, "霞浦接待日", "霞浦接待日（第二稿）");
    drop(server);
    let server = Server::start_in(&site.join("content"), &["--root", ".."]);
    edit_is_served(&server, &site, "（第二稿）", "（第三稿）");
}

#[test]
fn status_lines_name_the_real_folder_in_the_sites_language() {
    let dir = temp();
    copy_tree(&fixture("valid"), &dir.path().join("我的站"));
    let site = dir.path().join("我的站").canonicalize().unwrap();
    let content = site.join("content");
    let mut command = casebook_zh();
    command
        .args(["serve", "--port", "0", "--root", ".."])
        .current_dir(&content);
    let server = Server::spawn(command);
    let serving = format!(
        "正在预览 {}：请在浏览器里打开 http://127.0.0.1:",
        site.display()
    );
    let said = || server.lines.lock().unwrap().clone();
    assert!(
        said().iter().any(|l| l.starts_with(&serving)),
        "{:?}",
        said()
    );
    let (_, body) = server.get(PAGE);
    assert!(
        body.contains("data-title=\"casebook：刚才的修改有问题"),
        "{body}"
    );
    edit_is_served(&server, &site, "霞浦接待日", "霞浦接待日（第二稿）");
    wait_for("the rebuilt line", || {
        said()
            .iter()
            .filter(|l| l.starts_with("已重新生成 "))
            .count()
            >= 2
    });
    drop(server);
    let server = Server::start_in(&content, &["--root", ".."]);
    let serving = format!("Serving {} at http://127.0.0.1:", site.display());
    let said = server.lines.lock().unwrap().clone();
    assert!(said.iter().any(|l| l.starts_with(&serving)), "{said:?}");
}

#[test]
fn a_broken_file_keeps_the_last_good_site_and_shows_the_problem_as_text() {
    let dir = site();
    let server = Server::start(dir.path());
    let events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    let file = dir.path().join("content/案例/霞浦.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        "---\ntitle: <img src=x onerror=alert(1)>\ndate: 1989-13-01\n---\n",
    )
    .unwrap();
    wait_for("the problem", || {
        events.lock().unwrap().contains("event: problems")
    });
    let text = events.lock().unwrap().clone();
    assert!(text.contains("content/案例/霞浦.md:3"), "{text}");
    let (status, body) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(
        body.contains("<h1>霞浦接待日</h1>"),
        "the last good page is served"
    );
    assert!(
        body.contains("data-build-error=\"content/案例/霞浦.md:3"),
        "the overlay text is there"
    );
    assert!(!body.contains("<img src=x"), "the error text is escaped");
    std::fs::write(&file, good).unwrap();
    wait_for("the fix", || {
        !server.get(PAGE).1.contains("data-build-error")
    });
}

#[test]
fn a_broken_save_while_the_index_is_built_leaves_search_working() {
    let dir = site();
    let server = Server::start(dir.path());
    assert_eq!(server.get("/search/meta.js").0, 200, "the first index");
    let file = dir.path().join("content/案例/霞浦.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace("title: 霞浦接待日", "title: 霞浦接待日改"),
    )
    .unwrap();
    wait_for("the edit", || server.get(PAGE).1.contains("霞浦接待日改"));
    // At once: the new pages' index waits for more edits before it starts, so this
    // save stops it, and then fails to build.
    std::fs::write(&file, "---\ntitle: 坏\ndate: 1989-13-01\n---\n").unwrap();
    wait_for("the problem", || {
        server.get(PAGE).1.contains("data-build-error")
    });
    let (status, body) = server.get("/search/meta.js");
    assert_eq!(status, 200, "the served pages' index comes");
    assert!(!body.is_empty());
}

#[test]
fn a_page_that_connects_after_a_change_still_learns_of_it() {
    let dir = site();
    let server = Server::start(dir.path());
    let version_of = |body: &str| -> String {
        let at = body
            .find("data-version=\"")
            .expect("the page names its version")
            + 14;
        body[at..].split('"').next().unwrap().to_owned()
    };
    let (_, before) = server.get(PAGE);
    let loaded_at = version_of(&before);
    // The page is saved again between the tab's load and its reload channel opening.
    let file = dir.path().join("content/案例/霞浦.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("title: 霞浦接待日", "title: 霞浦接待日再改"),
    )
    .unwrap();
    wait_for("the edit", || server.get(PAGE).1.contains("霞浦接待日再改"));
    assert_ne!(version_of(&server.get(PAGE).1), loaded_at);
    let events = server.events_at(&format!("/__casebook/events?seen={loaded_at}"));
    wait_for("the missed reload", || {
        events.lock().unwrap().contains("event: reload")
    });
    // A tab served by an earlier run of the server names a version this one never had.
    for seen in ["999999", "18446744073709551615"] {
        let earlier_run = server.events_at(&format!("/__casebook/events?seen={seen}"));
        wait_for("the reload after a restart", || {
            earlier_run.lock().unwrap().contains("event: reload")
        });
    }
    // A tab that loaded the current version waits for the next change.
    let current = version_of(&server.get(PAGE).1);
    let quiet = server.events_at(&format!("/__casebook/events?seen={current}"));
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !quiet.lock().unwrap().contains("event:"),
        "{}",
        quiet.lock().unwrap()
    );
}

#[test]
fn requests_never_leave_the_site() {
    let dir = site();
    let outside = dir
        .path()
        .parent()
        .unwrap()
        .join(format!("secret-{}.txt", std::process::id()));
    std::fs::write(&outside, "TOPSECRET").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "TOPSECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, dir.path().join("static/link.txt")).unwrap();
    let server = Server::start(dir.path());
    let attempts = [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "///etc/passwd",
        "/%00",
        "/index.html%00.txt",
        "/..;/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%c0%ae%c0%ae%c0%afsecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/./../secret.txt",
        "/files/../../secret.txt",
        "/files/%2e%2e/%2e%2e/secret.txt",
        "/static/../secret.txt",
        "/link.txt",
        "/secret.txt",
        "/site.toml",
        "/content/%E6%A1%88%E4%BE%8B/%E9%9C%9E%E6%B5%A6.md",
        "http://example.com/",
        "/etc/passwd",
        "/C:/Windows/win.ini",
        "/%2fetc%2fpasswd",
        "/..",
        "/.",
    ];
    let mut leaks = Vec::new();
    for target in attempts {
        let (status, _, body) = server.get_with(target, "");
        if status == 200
            || body.contains("TOPSECRET")
            || body.contains("root:")
            || body.contains("base_url")
        {
            leaks.push(format!("{target} → {status}"));
        }
        assert!([400, 404].contains(&status), "{target} → {status}");
    }
    assert!(leaks.is_empty(), "{leaks:?}");
    let _ = std::fs::remove_file(outside);
}

#[test]
fn foreign_hosts_and_origins_are_refused_and_nothing_allows_cross_origin() {
    let dir = site();
    let server = Server::start(dir.path());
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: attacker.example:{}\r\nConnection: close\r\n\r\n",
        server.port
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(response.starts_with("HTTP/1.1 403"), "{response}");
    let (status, _, _) =
        server.get_with("/__casebook/events", "Origin: http://attacker.example\r\n");
    assert_eq!(status, 403);
    let (status, head, _) = server.get_with("/", "Origin: http://attacker.example\r\n");
    assert_eq!(status, 200);
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin"),
        "{head}"
    );
    let (_, head, _) = server.get_with("/style.css", "");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/css; charset=utf-8"),
        "{head}"
    );
    let (status, _, body) = server.get_with("/no/such/page/", "");
    assert_eq!(status, 404);
    assert!(body.contains("找不到页面"), "the theme's 404 page");
}

#[test]
fn editor_saves_are_one_rebuild_each_and_temp_files_are_never_published() {
    let dir = site();
    let server = Server::start(dir.path());
    std::thread::sleep(Duration::from_millis(500));
    let folder = dir.path().join("content/案例");
    let file = folder.join("霞浦.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let save = |label: &str, steps: &dyn Fn(&str)| {
        let before = server.rebuilds();
        steps(&format!("{text}\n{label}\n"));
        wait_for(label, || server.rebuilds() > before);
        std::thread::sleep(Duration::from_millis(700));
        assert_eq!(
            server.rebuilds(),
            before + 1,
            "{label} caused more than one rebuild"
        );
        assert!(server.get(PAGE).1.contains(label), "{label} is served");
    };
    // vim: probe file 4913, swap file, backup by rename, write.
    save("vim", &|t| {
        std::fs::write(folder.join("4913"), "").unwrap();
        std::fs::remove_file(folder.join("4913")).unwrap();
        std::fs::write(folder.join(".霞浦.md.swp"), "swap").unwrap();
        std::fs::rename(&file, folder.join("霞浦.md~")).unwrap();
        std::fs::write(&file, t).unwrap();
        std::fs::remove_file(folder.join("霞浦.md~")).unwrap();
        std::fs::remove_file(folder.join(".霞浦.md.swp")).unwrap();
    });
    // VS Code / JetBrains: write a temp file, rename it over the original.
    save("write-and-rename", &|t| {
        let temp = folder.join("霞浦.md.tmp");
        std::fs::write(&temp, t).unwrap();
        std::fs::rename(&temp, &file).unwrap();
    });
    // emacs: a dangling lock symlink, then the write.
    #[cfg(unix)]
    save("emacs", &|t| {
        let lock = folder.join(".#霞浦.md");
        std::os::unix::fs::symlink("user@host.1234:1", &lock).unwrap();
        std::fs::write(&file, t).unwrap();
        std::fs::remove_file(&lock).unwrap();
    });
    // JetBrains safe-write: write a copy, move the original aside, move the copy in.
    save("jetbrains", &|t| {
        let copy = folder.join("霞浦.md___jb_tmp___");
        let old = folder.join("霞浦.md___jb_old___");
        std::fs::write(&copy, t).unwrap();
        std::fs::rename(&file, &old).unwrap();
        std::fs::rename(&copy, &file).unwrap();
        std::fs::remove_file(&old).unwrap();
    });
    // Word and WPS keep a `~$` lock file beside the open file.
    save("wps", &|t| {
        let lock = folder.join("~$霞浦.md");
        std::fs::write(&lock, b"\x05user\0\0").unwrap();
        std::fs::write(&file, t).unwrap();
        std::fs::remove_file(&lock).unwrap();
    });
    // Leftovers sitting in the folders are never served.
    std::fs::write(folder.join("4913"), "x").unwrap();
    std::fs::write(folder.join("备份.md~"), "---\ntitle: x\n---\n").unwrap();
    std::fs::write(folder.join("~$备份.md"), "---\ntitle: x\n---\n").unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.get("/%E6%A1%88%E4%BE%8B/4913").0, 404);
    assert!(!server.get("/").1.contains("备份"));
}

#[test]
fn on_every_interface_readers_on_the_lan_are_answered_and_rebinding_names_are_not() {
    let dir = site();
    let server = Server::start_in(dir.path(), &["--bind", "0.0.0.0"]);
    let port = server.port;
    for host in [
        format!("192.168.1.20:{port}"),
        format!("10.0.0.7:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
    ] {
        let reply = server.request_as("GET", "/", &format!("Host: {host}\r\n"));
        assert_eq!(reply.status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("192.168.1.20.nip.io:{port}"),
        "192.168.1.20:1".to_owned(),
    ] {
        let reply = server.request_as("GET", "/", &format!("Host: {host}\r\n"));
        assert_eq!(reply.status, 403, "{host}");
    }
}

#[test]
fn on_loopback_a_lan_address_is_refused_and_host_names_ignore_case() {
    let dir = site();
    let server = Server::start(dir.path());
    let port = server.port;
    let lan = server.request_as("GET", "/", &format!("Host: 192.168.1.20:{port}\r\n"));
    assert_eq!(lan.status, 403);
    let head = server.request_as("HEAD", "/", &format!("Host: evil.example:{port}\r\n"));
    assert_eq!(head.status, 403);
    assert!(head.body.is_empty(), "no body answers a HEAD");
    let named = server.request_as("GET", "/", &format!("Host: LocalHost:{port}\r\n"));
    assert_eq!(named.status, 200);
}

/// Adds a page bundle holding a 64 KiB "video" to the site; returns its URL and bytes.
fn add_video(site: &Path) -> (String, Vec<u8>) {
    let bundle = site.join("content/案例/录像");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(
        bundle.join("index.md"),
        "---\ntitle: 录像\n---\n\n<video src=\"讲话.mp4\"></video>\n",
    )
    .unwrap();
    let bytes: Vec<u8> = (0..65_536u32).map(|i| (i * 7 + i / 251) as u8).collect();
    std::fs::write(bundle.join("讲话.mp4"), &bytes).unwrap();
    (
        "/%E6%A1%88%E4%BE%8B/%E5%BD%95%E5%83%8F/%E8%AE%B2%E8%AF%9D.mp4".to_owned(),
        bytes,
    )
}

#[test]
fn a_bundle_video_can_seek_and_answers_are_cached_and_reused() {
    let dir = site();
    let (video, bytes) = add_video(dir.path());
    let server = Server::start(dir.path());
    // Range: a browser seeking in the video.
    let part = server.request("GET", &video, "Range: bytes=1000-1999\r\n");
    assert_eq!(part.status, 206, "{}", part.head);
    assert_eq!(part.header("content-range"), Some("bytes 1000-1999/65536"));
    assert_eq!(part.header("content-type"), Some("video/mp4"));
    assert_eq!(part.body, bytes[1000..2000]);
    let whole = server.request("GET", &video, "");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, bytes);
    let beyond = server.request("GET", &video, "Range: bytes=70000-\r\n");
    assert_eq!(beyond.status, 416);
    // A copied file is answered again only if it changed.
    let modified = whole
        .header("last-modified")
        .expect("Last-Modified")
        .to_owned();
    let again = server.request("GET", &video, &format!("If-Modified-Since: {modified}\r\n"));
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    // HEAD: the headers of a GET, no body.
    let page = server.request("GET", PAGE, "");
    let head = server.request("HEAD", PAGE, "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(page.body.len().to_string().as_str())
    );
    // A page is answered again only if it changed.
    let etag = page.header("etag").expect("ETag").to_owned();
    let again = server.request("GET", PAGE, &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(again.status, 304);
    let file = dir.path().join("content/案例/霞浦.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("霞浦接待日", "霞浦接待日（新）");
    std::fs::write(&file, text).unwrap();
    wait_for("the edit", || {
        server
            .request("GET", PAGE, &format!("If-None-Match: {etag}\r\n"))
            .status
            == 200
    });
}

#[test]
fn odd_requests_get_the_right_answers() {
    let dir = site();
    let server = Server::start(dir.path());
    let post = server.request("POST", "/", "Content-Length: 0\r\n");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
    // A folder without its slash: the redirect is percent-encoded and keeps the query.
    let folder = server.request("GET", "/%E6%A1%88%E4%BE%8B?tag=%E4%B8%8B%E5%85%9A", "");
    assert_eq!(folder.status, 301);
    assert_eq!(
        folder.header("location"),
        Some("/%E6%A1%88%E4%BE%8B/?tag=%E4%B8%8B%E5%85%9A")
    );
    // Two requests on one connection (keep-alive).
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let ask = format!("HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", server.port);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..2 {
        stream.write_all(ask.as_bytes()).unwrap();
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
    }
    // Text says its encoding; office files and media have their own types.
    for (path, wanted) in [
        ("/timeline.json", "application/json; charset=utf-8"),
        ("/files/%E8%AF%B4%E6%98%8E.txt", "text/plain; charset=utf-8"),
    ] {
        let reply = server.request("GET", path, "");
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(wanted), "{path}");
    }
}

#[test]
fn a_burst_of_reload_channels_is_capped_politely_and_the_server_stays_up() {
    let dir = site();
    let server = Server::start(dir.path());
    let ask = format!(
        "GET /__casebook/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    );
    let mut open = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..500 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(ask.as_bytes()).unwrap();
        let mut status = [0u8; 12];
        stream.read_exact(&mut status).unwrap();
        match &status[9..12] {
            b"200" => accepted += 1,
            b"503" => refused += 1,
            other => panic!("{}", String::from_utf8_lossy(other)),
        }
        open.push(stream);
    }
    assert!(accepted >= 16, "{accepted} accepted");
    assert_eq!(accepted + refused, 500);
    assert!(refused > 0, "the number of channels is bounded");
    assert_eq!(server.get(PAGE).0, 200, "pages are still served");
    // Closed tabs give their places back.
    drop(open);
    wait_for("a free channel", || {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(ask.as_bytes()).unwrap();
        let mut status = [0u8; 12];
        stream.read_exact(&mut status).is_ok() && &status[9..12] == b"200"
    });
}

#[test]
fn renamed_and_deleted_files_and_folders_end_in_the_right_site() {
    let dir = site();
    let content = dir.path().join("content");
    std::fs::create_dir(content.join("笔记")).unwrap();
    std::fs::write(content.join("笔记/甲.md"), "---\ntitle: 笔记甲\n---\n").unwrap();
    let server = Server::start(dir.path());
    const NOTE: &str = "/%E7%AC%94%E8%AE%B0/%E7%94%B2/"; // /笔记/甲/
    const MOVED: &str = "/%E7%AC%94%E8%AE%B0%E9%9B%86/%E7%94%B2/"; // /笔记集/甲/
    assert_eq!(server.get(NOTE).0, 200);
    std::fs::rename(content.join("笔记"), content.join("笔记集")).unwrap();
    wait_for("the renamed folder", || {
        server.get(MOVED).0 == 200 && server.get(NOTE).0 == 404
    });
    // Edits inside the renamed folder are seen under its new name.
    let file = content.join("笔记集/甲.md");
    std::fs::write(&file, "---\ntitle: 笔记甲（改）\n---\n").unwrap();
    wait_for("an edit in the moved folder", || {
        server.get(MOVED).1.contains("笔记甲（改）")
    });
    // A renamed file, then a deleted folder.
    std::fs::rename(&file, content.join("笔记集/乙.md")).unwrap();
    wait_for("the renamed file", || {
        server.get("/%E7%AC%94%E8%AE%B0%E9%9B%86/%E4%B9%99/").0 == 200 && server.get(MOVED).0 == 404
    });
    std::fs::remove_dir_all(content.join("笔记集")).unwrap();
    wait_for("the deleted folder", || {
        server.get("/%E7%AC%94%E8%AE%B0%E9%9B%86/%E4%B9%99/").0 == 404
    });
    // The whole content folder deleted: a problem, the last good site stays.
    let events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::remove_dir_all(&content).unwrap();
    wait_for("the problem", || {
        events.lock().unwrap().contains("event: problems")
    });
    assert_eq!(server.get(PAGE).0, 200);
    // Made again: served, and edits inside it are seen.
    copy_tree(&fixture("valid/content"), &content);
    wait_for("the content folder back", || {
        let (status, body) = server.get(PAGE);
        status == 200 && !body.contains("data-build-error")
    });
    let file = content.join("案例/霞浦.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("霞浦接待日", "霞浦接待日（重建）");
    std::fs::write(&file, text).unwrap();
    wait_for("an edit in the new content folder", || {
        server.get(PAGE).1.contains("霞浦接待日（重建）")
    });
}

/// `/cases/` and the like with each segment percent-encoded, as a browser sends it.
fn encoded(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            segment
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn an_edit_reaches_the_lists_terms_neighbours_and_timeline_that_show_the_page() {
    let dir = temp();
    let root = dir.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"增量\"\n[taxonomies]\ntags = \"专题\"\n",
    )
    .unwrap();
    let cases = root.join("content/cases");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(
        cases.join("_index.md"),
        "---\ntitle: 案例\nsort_by: date\n---\n",
    )
    .unwrap();
    let page = |title: &str, date: &str, tag: &str| {
        format!("---\ntitle: {title}\ndate: {date}\ntags: [{tag}]\n---\n\n正文。\n")
    };
    std::fs::write(cases.join("a.md"), page("第一页", "1988-01", "调查研究")).unwrap();
    std::fs::write(cases.join("b.md"), page("第二页", "1989-01", "调查研究")).unwrap();
    std::fs::write(cases.join("c.md"), page("第三页", "1990-01", "信访接待")).unwrap();
    let server = Server::start(root);
    let get = |path: &str| {
        let (status, body) = server.get(&encoded(path));
        assert_eq!(status, 200, "{path}");
        body
    };
    assert!(get("/cases/").contains("第二页"));
    assert!(get("/tags/调查研究/").contains("第二页"));
    assert!(get("/cases/a/").contains("第二页"), "a's neighbour");
    assert!(get("/timeline/").contains("第二页"));

    // A new title, a later date (now after c) and another tag, in one save.
    std::fs::write(cases.join("b.md"), page("改名页", "1991-01", "乡村振兴")).unwrap();
    wait_for("the edited page", || get("/cases/b/").contains("改名页"));
    let list = get("/cases/");
    assert!(
        list.contains("改名页") && !list.contains("第二页"),
        "{list}"
    );
    let new_tag = get("/tags/乡村振兴/");
    assert!(new_tag.contains("改名页"), "{new_tag}");
    let old_tag = get("/tags/调查研究/");
    assert!(
        !old_tag.contains("改名页") && !old_tag.contains("第二页"),
        "{old_tag}"
    );
    let first = get("/cases/a/");
    assert!(
        !first.contains("改名页") && !first.contains("第二页") && first.contains("第三页"),
        "a's neighbour is c now: {first}"
    );
    assert!(
        get("/cases/c/").contains("改名页"),
        "c's neighbour is b now"
    );
    let timeline = get("/timeline/");
    assert!(
        timeline.contains("改名页")
            && timeline.contains("1991年1月")
            && !timeline.contains("第二页"),
        "{timeline}"
    );
    // The order follows the new date: c (1990) and b (1991) swapped places.
    let at = |text: &str, what: &str| text.find(what).unwrap();
    let before_edit_order = at(&timeline, "第三页") < at(&timeline, "改名页");
    assert!(before_edit_order, "the timeline is in date order");
}
