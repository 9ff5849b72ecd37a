//! Deploying under a subpath of a real web server: the example site built with
//! `--base-url /study/`, served by Debian's nginx at /study/, crawled from its home page.

use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

fn nginx() -> Option<&'static str> {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

fn get(port: u16, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// `link` seen from the page at `base` (a path ending in `/` or a file).
fn join(base: &str, link: &str) -> String {
    let link = link.split('#').next().unwrap_or("");
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[test]
fn the_example_site_works_under_a_subpath_of_nginx() {
    let Some(nginx) = nginx() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must install nginx"
        );
        eprintln!("skipped: nginx is not installed");
        return;
    };
    let work = temp();
    let out = work.path().join("site");
    ok(&build(&repo(), &out, &["--base-url", "/study/"]));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = work.path().display();
    let user = if std::env::var("USER").as_deref() == Ok("root") || running_as_root() {
        "user root;"
    } else {
        ""
    };
    let config = format!(
        "{user}\ndaemon off;\nworker_processes 1;\npid {dir}/nginx.pid;\nerror_log {dir}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n include /etc/nginx/mime.types;\n charset utf-8;\n access_log {dir}/access.log;\n\
         client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fastcgi;\n\
         uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;\n\
         server {{\n  listen 127.0.0.1:{port};\n  location /study/ {{ alias {}/; index index.html; error_page 404 /study/404.html; }}\n }}\n}}\n",
        out.display()
    );
    let conf = work.path().join("nginx.conf");
    std::fs::write(&conf, config).unwrap();
    let mut server = Command::new(nginx)
        .arg("-c")
        .arg(&conf)
        .arg("-p")
        .arg(work.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Stops master and workers however the test ends (a SIGKILL would orphan workers).
    struct Stop<'a>(&'a str, &'a Path, &'a Path);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            let _ = Command::new(self.0)
                .arg("-c")
                .arg(self.1)
                .arg("-p")
                .arg(self.2)
                .args(["-s", "stop"])
                .stderr(Stdio::null())
                .status();
        }
    }
    let _stop = Stop(nginx, &conf, work.path());
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not start: {}",
            std::fs::read_to_string(work.path().join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let mut queue = VecDeque::from(["/study/".to_owned()]);
    let mut seen = BTreeSet::new();
    let mut failures = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let (status, body) = get(port, &path);
        if status != 200 {
            failures.push(format!("{path} → {status}"));
            continue;
        }
        if !(path.ends_with('/') || path.ends_with(".html")) {
            continue;
        }
        for attribute in ["href=\"", "src=\"", "action=\""] {
            for piece in body.split(attribute).skip(1) {
                let link = piece.split('"').next().unwrap_or("").replace("&amp;", "&");
                if link.is_empty()
                    || link.starts_with('#')
                    || link.contains("://")
                    || link.starts_with("mailto:")
                {
                    continue;
                }
                let target = if link.starts_with('/') {
                    link.split('#').next().unwrap_or("").to_owned()
                } else {
                    join(&path, &link)
                };
                if !target.starts_with("/study/") {
                    failures.push(format!("{path} links outside /study/: {link}"));
                    continue;
                }
                queue.push_back(target.split('?').next().unwrap_or("").to_owned());
            }
        }
    }
    // Files only scripts ask for.
    for extra in [
        "/study/search/meta.js",
        "/study/timeline.json",
        "/study/timeline.js",
        "/study/search.js",
    ] {
        let (status, _) = get(port, extra);
        if status != 200 {
            failures.push(format!("{extra} → {status}"));
        }
    }
    let (status, body) = get(port, "/study/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("href=\"/study/style.css\""),
        "the 404 page links from the subpath"
    );
    drop(_stop);
    let _ = server.wait();
    assert!(seen.len() > 30, "only {} pages crawled", seen.len());
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Whether this process runs as root (nginx then needs `user root;` to read a temp dir).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}
