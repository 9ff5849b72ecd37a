//! `casebook serve`: builds the site into memory, serves it on 127.0.0.1, rebuilds when
//! a source changes and tells open pages to reload. A failed rebuild keeps the last good
//! site and shows its problems as an overlay. The user's output folder is never touched.
//!
//! The server is deliberately small (std threads, HTTP/1.1, one request per connection)
//! and strict: only files of the built site are ever served.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::diagnostics::UsageError;
use crate::progress::Progress;
use crate::render::{Body, Output};

/// What `serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Address to bind; 127.0.0.1 unless the user says otherwise.
    pub bind: IpAddr,
    /// First port to try; 0 picks any free one.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Poll for changes instead of relying on file-system events.
    pub poll: bool,
    /// Open the browser.
    pub open: bool,
}

/// Where the reload channel and its script live; no site file can take these paths.
const RELOAD_SCRIPT: &str = "/__casebook/reload.js";
const EVENTS: &str = "/__casebook/events";

/// The site as currently served, and the problems of the last build if it failed.
struct Served {
    files: HashMap<String, Body>,
    /// The search index of the current pages, built after them (`None` while building).
    search: Option<Arc<HashMap<String, Body>>>,
    error: Option<String>,
    /// Bumped on every rebuild, good or bad, so that waiting pages learn of it.
    version: u64,
}

struct State {
    served: RwLock<Served>,
    /// Files read by earlier builds, reused while unchanged.
    cache: crate::content::LoadCache,
    changed: (Mutex<u64>, Condvar),
    root: PathBuf,
    drafts: bool,
    /// `Host` values this server answers to (DNS-rebinding defence).
    hosts: Vec<String>,
    /// The origin pages are served from; the reload channel refuses others.
    origin: String,
}

/// Runs the dev server until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<()> {
    if !options.root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(UsageError(format!(
            "{} holds no site.toml: run casebook serve in a site folder or pass --root DIR",
            options.root.display()
        ))
        .into());
    }
    // notify reports absolute paths: compare them with the absolute root, or a relative
    // root (the default `.`) would match none of them and nothing would ever rebuild.
    let root = std::fs::canonicalize(&options.root)
        .with_context(|| format!("cannot find the site folder {}", options.root.display()))?;
    let (listener, address) = bind(options.bind, options.port)?;
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} makes your drafts reachable from other machines; the default is 127.0.0.1",
            options.bind
        );
    }
    let port = address.port();
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    hosts.push(match address.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{port}"),
        ip => format!("{ip}:{port}"),
    });
    let shown = if address.ip().is_unspecified() {
        format!("http://127.0.0.1:{port}/")
    } else {
        format!("http://{}/", hosts.last().cloned().unwrap_or_default())
    };
    let state = Arc::new(State {
        served: RwLock::new(Served {
            files: HashMap::new(),
            search: None,
            error: None,
            version: 0,
        }),
        changed: (Mutex::new(0), Condvar::new()),
        cache: crate::content::LoadCache::default(),
        root,
        drafts: options.drafts,
        hosts,
        origin: shown.trim_end_matches('/').to_owned(),
    });
    rebuild(&state);
    if options.port != 0 && port != options.port {
        println!("Port {} is taken; using {port}.", options.port);
    }
    println!(
        "Serving {} at {shown} (Ctrl-C to stop)",
        options.root.display()
    );
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&shown).spawn();
    }
    let watcher_state = Arc::clone(&state);
    let poll = options.poll;
    std::thread::spawn(move || {
        if let Err(e) = watch(&watcher_state, poll) {
            eprintln!("error: watching for changes stopped: {e:#}");
        }
    });
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            let _ = handle(stream, &state);
        });
    }
    Ok(())
}

/// Binds the requested port, or the next free one above it.
fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr)> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(20)
    };
    let mut tried = port;
    loop {
        match TcpListener::bind((ip, tried)) {
            Ok(listener) => {
                let address = listener.local_addr()?;
                return Ok((listener, address));
            }
            Err(_) if tried < last => tried += 1,
            Err(e) => return Err(e).with_context(|| format!("cannot listen on {ip}:{port}")),
        }
    }
}

/// Builds the site into memory; the search index follows in the background. On failure
/// the previous site stays served.
fn rebuild(state: &Arc<State>) {
    let started = Instant::now();
    let result = crate::render_site_with(
        &state.root,
        Some("/"),
        state.drafts,
        false,
        Some(&state.cache),
        &Progress::hidden(),
    );
    let mut served = state.served.write().unwrap_or_else(|e| e.into_inner());
    served.version += 1;
    let version = served.version;
    match result {
        Ok(rendered) => {
            let pages = rendered.site.pages.len();
            served.files = rendered
                .outputs
                .into_iter()
                .map(|Output { path, body }| (path, body))
                .collect();
            served.error = None;
            if rendered.site.config.search_enabled {
                served.search = None;
                let state = Arc::clone(state);
                let site = rendered.site;
                std::thread::spawn(move || {
                    // Let a burst of edits finish first; only the newest build is indexed.
                    std::thread::sleep(Duration::from_millis(300));
                    if state
                        .served
                        .read()
                        .unwrap_or_else(|e| e.into_inner())
                        .version
                        != version
                    {
                        return;
                    }
                    let index: HashMap<String, Body> = crate::search_outputs(&site)
                        .into_iter()
                        .map(|Output { path, body }| (path, body))
                        .collect();
                    let mut served = state.served.write().unwrap_or_else(|e| e.into_inner());
                    if served.version == version {
                        served.search = Some(Arc::new(index));
                    }
                    drop(served);
                    state.changed.1.notify_all();
                });
            }
            println!(
                "Rebuilt {pages} pages in {} ms",
                started.elapsed().as_millis()
            );
        }
        Err(problems) => {
            let text = problems.to_string();
            eprintln!("{text}");
            served.error = Some(text);
        }
    }
    drop(served);
    let (lock, condvar) = &state.changed;
    *lock.lock().unwrap_or_else(|e| e.into_inner()) = version;
    condvar.notify_all();
}

/// The search index's file at `path`, waiting (briefly) while it is being built.
fn search_file(state: &State, path: &str) -> Option<Vec<u8>> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(index) = state
            .served
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .search
            .clone()
        {
            return index.get(path).map(body_bytes);
        }
        if Instant::now() > deadline {
            return None;
        }
        let (lock, condvar) = &state.changed;
        let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        let _ = condvar.wait_timeout(guard, Duration::from_millis(50));
    }
}

/// Files whose changes never matter: what the build never reads (editor swap, backup
/// and lock files, temp files of atomic saves) and anything inside `.git`.
fn is_noise(path: &Path) -> bool {
    path.file_name().is_some_and(crate::content::is_hidden)
        || path
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with(".git"))
}

/// Watches the sources and rebuilds once things settle: an editor's save or a checkout
/// of many files is one rebuild.
fn watch(state: &Arc<State>, poll: bool) -> Result<()> {
    let (sender, receiver) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher: Box<dyn Watcher> = if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
        Box::new(notify::PollWatcher::new(sender, config)?)
    } else {
        Box::new(notify::recommended_watcher(sender)?)
    };
    let root = &state.root;
    for folder in ["content", "themes", "templates", "static"] {
        let path = root.join(folder);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    // site.toml is watched through the root (not recursively) so that an editor's
    // replace-by-rename is seen too.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    let relevant = |event: &notify::Event| {
        !matches!(event.kind, EventKind::Access(_))
            && event.paths.iter().any(|p| {
                let inside = p.strip_prefix(root).unwrap_or(p);
                let top = inside
                    .components()
                    .next()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned());
                let watched = matches!(
                    top.as_deref(),
                    Some("content" | "themes" | "templates" | "static" | "site.toml")
                );
                watched && !is_noise(p)
            })
    };
    loop {
        let Ok(first) = receiver.recv() else {
            return Ok(());
        };
        if !first.as_ref().is_ok_and(relevant) {
            continue;
        }
        // Settle: wait until nothing relevant has happened for a moment (at most 2 s).
        let deadline = Instant::now() + Duration::from_secs(2);
        while let Ok(event) = receiver.recv_timeout(Duration::from_millis(50)) {
            let _ = event;
            if Instant::now() > deadline {
                break;
            }
        }
        rebuild(state);
    }
}

/// The parts of a request the server looks at.
struct Request {
    method: String,
    target: String,
    headers: HashMap<String, String>,
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            break;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    Some(Request {
        method,
        target,
        headers,
    })
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn handle(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some(request) = read_request(&stream) else {
        return respond(
            &mut stream,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad request",
            false,
        );
    };
    let host = request
        .headers
        .get("host")
        .map(String::as_str)
        .unwrap_or("");
    if !state.hosts.iter().any(|h| h == host) {
        return respond(
            &mut stream,
            "403 Forbidden",
            "text/plain; charset=utf-8",
            b"unknown host",
            false,
        );
    }
    let head = request.method == "HEAD";
    if request.method != "GET" && !head {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"only GET",
            false,
        );
    }
    let Some(path) = site_path(&request.target) else {
        return respond(
            &mut stream,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad path",
            head,
        );
    };
    if path == EVENTS {
        let origin_ok = request
            .headers
            .get("origin")
            .is_none_or(|o| *o == state.origin);
        if !origin_ok {
            return respond(
                &mut stream,
                "403 Forbidden",
                "text/plain; charset=utf-8",
                b"foreign origin",
                false,
            );
        }
        return events(stream, state);
    }
    if path == RELOAD_SCRIPT {
        return respond(
            &mut stream,
            "200 OK",
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes(),
            head,
        );
    }
    let relative = path.trim_start_matches('/');
    if relative.starts_with("search/") && relative.ends_with(".js") {
        return match search_file(state, relative) {
            Some(bytes) => respond(&mut stream, "200 OK", content_type(relative), &bytes, head),
            None => respond(
                &mut stream,
                "404 Not Found",
                "text/plain; charset=utf-8",
                b"not found",
                head,
            ),
        };
    }
    let served = state.served.read().unwrap_or_else(|e| e.into_inner());
    let candidates = [relative.to_owned(), format!("{relative}index.html")];
    let found = candidates
        .iter()
        .find(|c| !c.ends_with('/') && served.files.contains_key(c.as_str()));
    let Some(found) = found else {
        // A folder without its slash: send the browser to it, so relative links work.
        if !relative.is_empty() && served.files.contains_key(&format!("{relative}/index.html")) {
            let location = format!("{path}/");
            let header = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            return stream.write_all(header.as_bytes());
        }
        let page = served
            .files
            .get("404.html")
            .map(body_bytes)
            .unwrap_or_default();
        let page = with_reload(&page, served.error.as_deref());
        return respond(
            &mut stream,
            "404 Not Found",
            "text/html; charset=utf-8",
            &page,
            head,
        );
    };
    let bytes = body_bytes(&served.files[found.as_str()]);
    let content_type = content_type(found);
    let bytes = if content_type.starts_with("text/html") {
        with_reload(&bytes, served.error.as_deref())
    } else {
        bytes
    };
    drop(served);
    respond(&mut stream, "200 OK", content_type, &bytes, head)
}

fn body_bytes(body: &Body) -> Vec<u8> {
    match body {
        Body::Bytes(bytes) => bytes.clone(),
        Body::CopyOf(source) => std::fs::read(source).unwrap_or_default(),
    }
}

/// The decoded path of a request target, or `None` for anything that could leave the
/// site: `..` (however encoded), backslashes, NUL, encoded slashes, absolute URLs.
pub fn site_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next()?;
    if !raw.starts_with('/') || raw.starts_with("//") || raw.contains('\\') {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    // An encoded slash or backslash would hide a path segment from the check below.
    if lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
        || lower.contains("%25")
    {
        return None;
    }
    let decoded = crate::url::percent_decode(raw)?;
    if decoded.contains(['\0', '\\']) || decoded.contains("//") {
        return None;
    }
    if decoded
        .split('/')
        .any(|segment| segment == ".." || segment == "." || segment.starts_with("..;"))
    {
        return None;
    }
    Some(decoded)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Adds the reload script (and, after a failed build, its problems) to a page. Only the
/// dev server does this; `build` output never has it.
fn with_reload(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let error_attr = error
        .map(|e| format!(" data-build-error=\"{}\"", crate::render::views::escape(e)))
        .unwrap_or_default();
    let tag = format!(
        "<script src=\"{RELOAD_SCRIPT}\" id=\"casebook-reload\"{error_attr} defer></script>"
    );
    let out = match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]),
        None => format!("{text}{tag}"),
    };
    out.into_bytes()
}

/// Server-Sent Events: `reload` after a good build, `problems` (the text) after a bad one.
fn events(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n")?;
    stream.flush()?;
    let (lock, condvar) = &state.changed;
    let mut seen = *lock.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, timeout) = condvar
            .wait_timeout_while(guard, Duration::from_secs(15), |v| *v == seen)
            .unwrap_or_else(|e| e.into_inner());
        let version = *guard;
        drop(guard);
        if timeout.timed_out() {
            // A comment keeps the connection open and notices closed tabs.
            stream.write_all(b": ping\n\n")?;
            stream.flush()?;
            continue;
        }
        seen = version;
        let error = state
            .served
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .error
            .clone();
        let message = match error {
            None => "event: reload\ndata: ok\n\n".to_owned(),
            Some(text) => {
                let data: String = text.lines().map(|l| format!("data: {l}\n")).collect();
                format!("event: problems\n{data}\n")
            }
        };
        stream.write_all(message.as_bytes())?;
        stream.flush()?;
    }
}

/// The page side of live reload: reload on a good build, show an overlay (as text, never
/// HTML) on a bad one.
const RELOAD_JS: &str = r#"(function () {
  'use strict';
  const me = document.getElementById('casebook-reload');
  function overlay(text) {
    let box = document.getElementById('casebook-problems');
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('div');
      box.id = 'casebook-problems';
      box.setAttribute('role', 'alert');
      Object.assign(box.style, {
        position: 'fixed', inset: 'auto 1rem 1rem 1rem', zIndex: '2147483647', maxHeight: '60vh',
        overflow: 'auto', padding: '1rem', background: '#fff4f2', color: '#5a0d07',
        border: '2px solid #a4231b', borderRadius: '8px', font: '14px/1.5 monospace',
      });
      document.body.appendChild(box);
    }
    const title = document.createElement('strong');
    title.textContent = 'casebook: the last change has problems; the page shows the last good build.';
    const pre = document.createElement('pre');
    pre.textContent = text;
    box.replaceChildren(title, pre);
  }
  if (me && me.dataset.buildError) overlay(me.dataset.buildError);
  const events = new EventSource('/__casebook/events');
  events.addEventListener('reload', () => location.reload());
  events.addEventListener('problems', (e) => overlay(e.data));
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/..%2fetc",
            "/%252e%252e/x",
            "/..\\x",
            "/%5c..%5cx",
            "//etc/passwd",
            "/a%00.html",
            "/..;/x",
            "/%c0%ae%c0%ae/x",
            "http://evil/x",
            "/a/./b",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        assert_eq!(
            site_path("/cases/%E4%B8%8B%E5%85%9A/?q=1").as_deref(),
            Some("/cases/下党/")
        );
        assert_eq!(site_path("/").as_deref(), Some("/"));
    }
}
