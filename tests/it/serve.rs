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
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{extra}Connection: close\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_owned(), body.to_owned())
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
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET /__casebook/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
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
        body.contains("data-build-error=\"error: content/案例/霞浦.md:3"),
        "the overlay text is there"
    );
    assert!(!body.contains("<img src=x"), "the error text is escaped");
    std::fs::write(&file, good).unwrap();
    wait_for("the fix", || {
        !server.get(PAGE).1.contains("data-build-error")
    });
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
        head.contains("Content-Type: text/css; charset=utf-8"),
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
    // Leftovers sitting in the folders are never served.
    std::fs::write(folder.join("4913"), "x").unwrap();
    std::fs::write(folder.join("备份.md~"), "---\ntitle: x\n---\n").unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.get("/%E6%A1%88%E4%BE%8B/4913").0, 404);
    assert!(!server.get("/").1.contains("备份"));
}
