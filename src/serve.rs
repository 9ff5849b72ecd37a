//! `casebook serve`: builds the site into memory, serves it on 127.0.0.1, rebuilds when
//! a source changes and tells open pages to reload. A failed rebuild keeps the last good
//! site and shows its problems as an overlay. The user's output folder is never touched.
//!
//! An axum server: rendered files (pages, feeds, the search index) are answered from
//! memory, copied files (a bundle's video, static files) from their sources through
//! tower-http, which gives them Range, HEAD and Last-Modified. Open pages hear of each
//! rebuild over Server-Sent Events. Every request first passes `guard`: the Host and
//! Origin checks and the strict path decoding, so only files of the built site are ever
//! served.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache};
use tokio::sync::{Semaphore, mpsc, watch};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::diagnostics::{Failure, UsageError};
use crate::messages::{self, Lang};
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
    /// The language of messages, when the command line chose one.
    pub lang: Option<crate::messages::Lang>,
}

/// Where the reload channel and its script live; no site file can take these paths.
const RELOAD_SCRIPT: &str = "/__casebook/reload.js";
const EVENTS: &str = "/__casebook/events";

/// Reload channels open at once: one per open tab, so this is generous; past it a tab is
/// told to try later (503) rather than the server running out of files or memory.
const MAX_EVENT_STREAMS: usize = 128;

/// The top-level names under the site folder whose changes matter.
const WATCHED: [&str; 5] = ["content", "themes", "templates", "static", "site.toml"];

/// One file of the built site.
#[derive(Clone)]
enum SiteFile {
    /// Rendered in memory.
    Memory(Bytes),
    /// A copied file, read from its source on each request.
    Copy(Arc<Path>),
}

/// The site as currently served: a snapshot that each rebuild replaces.
#[derive(Clone, Default)]
struct Served {
    files: Arc<HashMap<String, SiteFile>>,
    /// The search index of the current pages, built after them (`None` while building).
    search: Option<Arc<HashMap<String, Bytes>>>,
    /// The problems of the last build, if it failed.
    error: Option<Arc<str>>,
    /// The language of the messages, as the last build found it.
    lang: Lang,
    /// Bumped on every rebuild, good or bad, so that open pages learn of it.
    version: u64,
    /// Which open pages this version asks to reload.
    reload: Reload,
}

/// The open pages a new version of the site reloads, by their output paths: the edited
/// pages served first reload once then, and the others once the whole site is there.
#[derive(Clone, Default)]
enum Reload {
    #[default]
    All,
    Only(Arc<[String]>),
    Except(Arc<[String]>),
}

impl Served {
    /// The pages to reload, for a page that has seen version `seen`: one that missed a
    /// version cannot tell what changed, and reloads.
    fn reload_after(&self, seen: u64) -> Reload {
        // `seen` comes from the page's request: any number, so no `seen + 1`.
        if self.version.checked_sub(1) == Some(seen) {
            self.reload.clone()
        } else {
            Reload::All
        }
    }
}

impl Reload {
    /// The `reload` event's data: `ok` (every page), or which pages as JSON.
    fn data(&self) -> String {
        match self {
            Reload::All => "ok".into(),
            Reload::Only(paths) => serde_json::json!({ "only": &paths[..] }).to_string(),
            Reload::Except(paths) => serde_json::json!({ "except": &paths[..] }).to_string(),
        }
    }
}

struct ServerState {
    served: watch::Sender<Served>,
    /// Files read and rendered by earlier builds, reused while unchanged.
    cache: crate::BuildCache,
    /// The site folder, absolute: the watcher's paths are compared with it.
    root: PathBuf,
    drafts: bool,
    /// `--lang`, when given; else the site's language decides at each build.
    lang: Option<crate::messages::Lang>,
    hosts: Hosts,
    streams: Arc<Semaphore>,
    /// Where the search index is built: threads of the lowest priority, so that a
    /// rebuild after the next save is never slowed by indexing the one before.
    indexing: Option<Arc<rayon::ThreadPool>>,
    /// The served site while its search index is not built yet: a change stops the
    /// index, and when that change fails to build, this site is indexed again.
    unindexed: std::sync::Mutex<Option<crate::site::Site>>,
    /// Counts the watcher's batches that change the site, as they arrive (before the
    /// rebuild they cause): work for an older state of the site stops when it moves.
    changes: AtomicU64,
}

type Shared = Arc<ServerState>;

/// Runs the dev server until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<()> {
    if !options.root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(UsageError(messages::no_site(&options.root, "serve")).into());
    }
    // notify reports absolute paths: compare them with the absolute root, or a relative
    // root (the default `.`) would match none of them and nothing would ever rebuild.
    let root = std::fs::canonicalize(&options.root).map_err(|e| {
        Failure(messages::serve_root_missing(
            &options.root,
            &messages::io_reason(&e),
        ))
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(16)
        .enable_all()
        .build()
        .map_err(|e| Failure(messages::server_failed(&e.to_string())))?;
    runtime.block_on(run(options, root))
}

async fn run(options: &ServeOptions, root: PathBuf) -> Result<()> {
    let lang = Lang::for_site(&root, options.lang);
    let (listener, address) = bind(options.bind, options.port).await?;
    if !options.bind.is_loopback() {
        let warning = messages::serving_to_others(&options.bind);
        eprintln!("{}: {}", messages::warning_label(lang), warning.get(lang));
    }
    let port = address.port();
    let shown = match address.ip() {
        ip if ip.is_unspecified() => format!("http://127.0.0.1:{port}/"),
        IpAddr::V6(ip) => format!("http://[{ip}]:{port}/"),
        ip => format!("http://{ip}:{port}/"),
    };
    let state = Arc::new(ServerState {
        served: watch::Sender::new(Served::default()),
        cache: crate::BuildCache::told_of_changes(),
        root,
        drafts: options.drafts,
        lang: options.lang,
        hosts: Hosts {
            bound: address.ip(),
            port,
        },
        streams: Arc::new(Semaphore::new(MAX_EVENT_STREAMS)),
        indexing: indexing_threads(),
        unindexed: std::sync::Mutex::default(),
        changes: AtomicU64::new(0),
    });
    // Watch first: a change made during the first build waits for it, then rebuilds.
    let (sender, batches) = mpsc::unbounded_channel();
    let counting = Arc::clone(&state);
    let watching = Watching::start(&state.root, options.poll, lang, move |batch| {
        if changes_site(&counting.root, &batch) {
            counting.changes.fetch_add(1, Ordering::SeqCst);
        }
        let _ = sender.send(batch);
    })
    .map_err(|e| Failure(messages::watch_not_started(&e.to_string())))?;
    let first = Arc::clone(&state);
    tokio::task::spawn_blocking(move || rebuild(&first))
        .await
        .map_err(|_| Failure(messages::rebuild_crashed()))?;
    if options.port != 0 && port != options.port {
        println!("{}", messages::port_taken(options.port, port).get(lang));
    }
    let folder = shown_path(&state.root);
    println!("{}", messages::serving(&folder, &shown).get(lang));
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&shown).spawn();
    }
    tokio::spawn(rebuild_on_change(Arc::clone(&state), watching, batches));
    axum::serve(listener, app(state))
        .await
        .map_err(|e| Failure(messages::server_failed(&e.to_string())).into())
}

/// A canonical path as people write it: Windows' canonical form starts `\\?\`, which
/// no one types.
fn shown_path(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    match text.strip_prefix(r"\\?\") {
        Some(plain) if !plain.starts_with("UNC\\") => PathBuf::from(plain),
        _ => path.to_path_buf(),
    }
}

/// Every request passes `guard`; then the reload channel, its script, or a site file.
fn app(state: Shared) -> Router {
    Router::new()
        .route(RELOAD_SCRIPT, get(reload_script))
        .route(EVENTS, get(events))
        .fallback(site_file)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            guard,
        ))
        .with_state(state)
}

/// Binds the requested port, or the next free one above it.
async fn bind(ip: IpAddr, port: u16) -> Result<(tokio::net::TcpListener, SocketAddr)> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(20)
    };
    let mut tried = port;
    loop {
        match tokio::net::TcpListener::bind((ip, tried)).await {
            Ok(listener) => {
                let address = listener.local_addr()?;
                return Ok((listener, address));
            }
            Err(_) if tried < last => tried += 1,
            Err(e) => {
                let address = SocketAddr::new(ip, port).to_string();
                let why = messages::io_reason(&e);
                return Err(Failure(messages::cannot_listen(&address, &why)).into());
            }
        }
    }
}

/// Builds the site into memory: the pages just edited first when they can be (the
/// pages open on them reload at once), then the whole site (the other open pages reload);
/// the search index follows in the background. A newer change stops the build; on
/// failure the previous site stays served. Blocking: runs on tokio's blocking threads.
fn rebuild(state: &Shared) {
    let started = Instant::now();
    // Read again at each build: site.toml's `language` may have just changed.
    let lang = Lang::for_site(&state.root, state.lang);
    let changes = state.changes.load(Ordering::SeqCst);
    let stale = || state.changes.load(Ordering::SeqCst) != changes;
    let mut early: Vec<(String, Bytes)> = Vec::new();
    let mut serve_early = |outputs: Vec<Output>| {
        early = outputs
            .into_iter()
            .filter_map(|Output { path, body }| match body {
                Body::Bytes(bytes) => Some((path, bytes)),
                Body::CopyOf(_) => None,
            })
            .collect();
        let paths: Arc<[String]> = early.iter().map(|(path, _)| path.clone()).collect();
        state.served.send_modify(|served| {
            let mut files = (*served.files).clone();
            for (path, bytes) in &early {
                files.insert(path.clone(), SiteFile::Memory(bytes.clone()));
            }
            served.files = Arc::new(files);
            served.version += 1;
            served.reload = Reload::Only(paths);
        });
    };
    let result = crate::progress::timed("serve: rebuild", || {
        crate::rebuild_site(
            &state.root,
            state.drafts,
            &state.cache,
            &mut serve_early,
            &stale,
        )
    });
    let mut version = 0;
    match result {
        // A newer change came: its rebuild, next, serves the whole site.
        Ok(None) => {}
        Ok(Some(rendered)) => {
            let pages = rendered.site.pages.len();
            let files: HashMap<String, SiteFile> = crate::progress::timed("serve: swap", || {
                rendered
                    .outputs
                    .into_iter()
                    .map(|Output { path, body }| (path, site_file_of(body)))
                    .collect()
            });
            // Pages already served as they are now need no second reload.
            let unchanged: Arc<[String]> = early
                .into_iter()
                .filter(|(path, bytes)| {
                    matches!(files.get(path), Some(SiteFile::Memory(now)) if now == bytes)
                })
                .map(|(path, _)| path)
                .collect();
            let search = rendered.site.config.search_enabled;
            crate::progress::timed("serve: publish", || {
                state.served.send_modify(|served| {
                    served.version += 1;
                    version = served.version;
                    served.files = Arc::new(files);
                    served.error = None;
                    served.lang = lang;
                    served.reload = Reload::Except(unchanged);
                    // No index to wait for when search is off.
                    served.search = (!search).then(Default::default);
                })
            });
            let unindexed = search.then(|| rendered.site.clone());
            *state.unindexed.lock().unwrap_or_else(|e| e.into_inner()) = unindexed;
            if search {
                index_in_background(state, rendered.site, version, changes);
            }
            let millis = started.elapsed().as_millis();
            println!("{}", messages::rebuilt(pages, millis).get(lang));
        }
        Err(problems) => {
            let text = problems.report(lang);
            eprintln!("{text}");
            state.served.send_modify(|served| {
                served.version += 1;
                version = served.version;
                served.error = Some(text.into());
                served.lang = lang;
                served.reload = Reload::All;
            });
            // The change that failed may have stopped the index of the site still
            // served: build it again, or search would wait for a good build.
            let unindexed = state
                .unindexed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            if let Some(site) = unindexed {
                index_in_background(state, site, version, changes);
            }
        }
    }
}

/// Builds the search index of `site` (served as `version`) on the lowest-priority
/// threads, after a pause that lets a burst of edits finish, and serves it unless the
/// site changed meanwhile: a newer change stops it (the rebuild it causes indexes anew).
fn index_in_background(state: &Shared, site: crate::site::Site, version: u64, changes: u64) {
    let state = Arc::clone(state);
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let stale = {
            let state = Arc::clone(&state);
            move || {
                state.changes.load(Ordering::SeqCst) != changes
                    || state.served.borrow().version != version
            }
        };
        if stale() {
            return;
        }
        let indexing = state.indexing.clone();
        let build = move || {
            crate::progress::timed("search (background)", || {
                crate::search_outputs_unless(&site, &stale)
            })
        };
        let index = tokio::task::spawn_blocking(move || match indexing {
            Some(pool) => pool.install(build),
            None => build(),
        });
        let Ok(Some(index)) = index.await else {
            return;
        };
        let index: HashMap<String, Bytes> = index
            .into_iter()
            .filter_map(|Output { path, body }| match body {
                Body::Bytes(bytes) => Some((path, bytes)),
                Body::CopyOf(_) => None,
            })
            .collect();
        state.served.send_if_modified(|served| {
            let current = served.version == version;
            if current {
                served.search = Some(Arc::new(index));
                *state.unindexed.lock().unwrap_or_else(|e| e.into_inner()) = None;
            }
            current
        });
    });
}

/// A thread pool for the search index whose threads yield to every other: on a small
/// machine the index of the last save would otherwise take half the cores from the
/// rebuild after the next one. `None` where threads cannot be made (then indexing
/// shares rayon's pool).
fn indexing_threads() -> Option<Arc<rayon::ThreadPool>> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("casebook-index-{i}"))
        .start_handler(|_| lowest_priority())
        .build()
        .ok()
        .map(Arc::new)
}

/// Gives the calling thread the lowest scheduling priority (nice 19).
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
}

fn site_file_of(body: Body) -> SiteFile {
    match body {
        Body::Bytes(bytes) => SiteFile::Memory(bytes),
        Body::CopyOf(source) => SiteFile::Copy(source.into()),
    }
}

/// A file watcher, debounced: notify-debouncer-full merges the many events of one save
/// (an editor's rename dance, a `git checkout`) and tracks renames.
struct Watching {
    debouncer: Debouncing,
    /// The source folders watched (recursively) now.
    folders: HashSet<PathBuf>,
}

enum Debouncing {
    Events(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

/// How long a path must be quiet before its events are passed on.
const DEBOUNCE: Duration = Duration::from_millis(50);

impl Watching {
    fn start(
        root: &Path,
        poll: bool,
        lang: Lang,
        handler: impl FnMut(DebounceEventResult) + Send + 'static,
    ) -> Result<Watching> {
        let debouncer = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            Debouncing::Polling(notify_debouncer_full::new_debouncer_opt(
                DEBOUNCE, None, handler, NoCache, config,
            )?)
        } else {
            Debouncing::Events(notify_debouncer_full::new_debouncer(
                DEBOUNCE, None, handler,
            )?)
        };
        let mut watching = Watching {
            debouncer,
            folders: HashSet::new(),
        };
        // site.toml, and folders made or removed later, are seen through the root (not
        // recursively: the output folder and .git are no business of the watcher).
        watching.watch(root, RecursiveMode::NonRecursive)?;
        watching.add_folders(root, lang);
        Ok(watching)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.debouncer {
            Debouncing::Events(debouncer) => debouncer.watch(path, mode),
            Debouncing::Polling(debouncer) => debouncer.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match &mut self.debouncer {
            Debouncing::Events(debouncer) => debouncer.unwatch(path),
            Debouncing::Polling(debouncer) => debouncer.unwatch(path),
        };
    }

    /// Watches each source folder that exists and is not watched yet: at start, and
    /// when one is made again after being deleted or renamed away.
    fn add_folders(&mut self, root: &Path, lang: Lang) {
        for name in &WATCHED[..4] {
            let folder = root.join(name);
            if folder.is_dir() && !self.folders.contains(&folder) {
                match self.watch(&folder, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.folders.insert(folder);
                    }
                    Err(e) => {
                        let warning = messages::cannot_watch(&folder, &e.to_string());
                        eprintln!("{}: {}", messages::warning_label(lang), warning.get(lang));
                    }
                }
            }
        }
    }

    /// Stops watching each source folder that `batch` deleted or renamed away: a watch
    /// would follow the renamed folder and report its files under the old name.
    fn drop_gone(&mut self, batch: &DebounceEventResult) {
        let Ok(events) = batch else { return };
        for event in events {
            if matches!(
                event.kind,
                EventKind::Remove(_) | EventKind::Modify(notify::event::ModifyKind::Name(_))
            ) {
                for path in &event.paths {
                    if self.folders.remove(path) {
                        self.unwatch(path);
                    }
                }
            }
        }
    }
}

/// Whether a change to `path` can change the site: it is under a source folder (or is
/// site.toml) of the site in `root`, and is no editor leftover or `.git` file.
fn matters(root: &Path, path: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(root) else {
        return false;
    };
    let top = inside.components().next();
    let watched = top.is_some_and(|c| WATCHED.iter().any(|w| c.as_os_str() == *w));
    watched
        && !path.file_name().is_some_and(crate::content::is_hidden)
        && !inside
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with(".git"))
}

/// Whether `batch` can change the site.
fn changes_site(root: &Path, batch: &DebounceEventResult) -> bool {
    batch.as_ref().is_ok_and(|events| {
        events.iter().any(|event| {
            !matches!(event.kind, EventKind::Access(_))
                && (event.need_rescan() || event.paths.iter().any(|p| matters(root, p)))
        })
    })
}

fn batch_matters(root: &Path, batch: &DebounceEventResult, lang: Lang) -> bool {
    match batch {
        Ok(_) => changes_site(root, batch),
        Err(errors) => {
            for e in errors {
                let warning = messages::watch_failed(&e.to_string());
                eprintln!("{}: {}", messages::warning_label(lang), warning.get(lang));
            }
            false
        }
    }
}

/// The files `batch` changed, relative to `root`; `None` when the watcher lost track
/// (then the next load walks every folder).
fn changed_files(root: &Path, batch: &DebounceEventResult) -> Option<Vec<PathBuf>> {
    let events = batch.as_ref().ok()?;
    let mut files = Vec::new();
    for event in events {
        if event.need_rescan() {
            return None;
        }
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        for path in &event.paths {
            if matters(root, path)
                && let Ok(inside) = path.strip_prefix(root)
            {
                files.push(inside.to_path_buf());
            }
        }
    }
    Some(files)
}

/// Rebuilds once things settle after each relevant change. Events that come during a
/// rebuild wait for it and cause one more.
async fn rebuild_on_change(
    state: Shared,
    mut watching: Watching,
    mut batches: mpsc::UnboundedReceiver<DebounceEventResult>,
) {
    while let Some(batch) = batches.recv().await {
        watching.drop_gone(&batch);
        let lang = state.served.borrow().lang;
        if batch.is_err() {
            // Events were lost: the next load must look at every file.
            state.cache.files.note_changes(None);
        }
        if !batch_matters(&state.root, &batch, lang) {
            continue;
        }
        let note = |batch: &DebounceEventResult| {
            state
                .cache
                .files
                .note_changes(changed_files(&state.root, batch));
        };
        note(&batch);
        // The debouncer passes each path on once it is quiet, so one save can arrive in
        // two batches a tick apart: wait for a short silence (at most 2 s in all).
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            match tokio::time::timeout(Duration::from_millis(40), batches.recv()).await {
                Ok(Some(batch)) => {
                    watching.drop_gone(&batch);
                    note(&batch);
                }
                Ok(None) => return,
                Err(_) => break,
            }
        }
        watching.add_folders(&state.root, lang);
        let building = Arc::clone(&state);
        if tokio::task::spawn_blocking(move || rebuild(&building))
            .await
            .is_err()
        {
            let error = messages::rebuild_crashed();
            eprintln!("{}: {}", messages::error_label(lang), error.get(lang));
        }
    }
}

/// The `Host` values this server answers to, its defence against DNS rebinding: a page
/// of evil.example whose name now points at 127.0.0.1 still sends `Host: evil.example`.
struct Hosts {
    bound: IpAddr,
    port: u16,
}

impl Hosts {
    /// `localhost` and loopback addresses; the bound address; and, when bound to every
    /// interface (0.0.0.0, ::), any IP literal, which is how readers on the LAN reach
    /// it. Names compare without regard to case; the port must be ours.
    fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port.unwrap_or(80) != self.port {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || self.bound.is_unspecified() || ip == self.bound,
            Err(_) => false,
        }
    }
}

/// A `Host` value's name (brackets taken off an IPv6 address) and port.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        name.parse::<std::net::Ipv6Addr>().ok()?;
        (name, after)
    } else {
        let name = host.split(':').next().unwrap_or(host);
        (name, &host[name.len()..])
    };
    let port = match port {
        "" => None,
        port => Some(port.strip_prefix(':')?.parse().ok()?),
    };
    (!name.is_empty()).then_some((name, port))
}

/// The decoded site path of a request, as `guard` found it.
#[derive(Clone)]
struct SitePath(String);

/// Runs before every request: refuses unknown hosts (403), foreign origins on the reload
/// channel (403), methods other than GET and HEAD (405) and paths that could leave the
/// site (400); marks every answer as not to be cached without asking.
async fn guard(State(state): State<Shared>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let host = text_header(headers, header::HOST).unwrap_or("");
    if !state.hosts.allows(host) {
        return plain(StatusCode::FORBIDDEN, "unknown host");
    }
    let origin = text_header(headers, header::ORIGIN);
    if let Some(origin) = origin
        && request.uri().path().starts_with("/__casebook/")
        && !origin
            .strip_prefix("http://")
            .is_some_and(|o| o.eq_ignore_ascii_case(host))
    {
        return plain(StatusCode::FORBIDDEN, "foreign origin");
    }
    if !matches!(request.method().as_str(), "GET" | "HEAD") {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    // An absolute URL as the target (`GET http://other/ HTTP/1.1`) is for proxies.
    let path = match request.uri().authority() {
        Some(_) => None,
        None => site_path(request.uri().path()),
    };
    let Some(path) = path else {
        return plain(StatusCode::BAD_REQUEST, "bad path");
    };
    request.extensions_mut().insert(SitePath(path));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn text_header(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

async fn reload_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        RELOAD_JS,
    )
        .into_response()
}

/// A file of the built site, its folder's `index.html`, a redirect to the folder, or the
/// theme's 404 page.
async fn site_file(State(state): State<Shared>, request: Request) -> Response {
    let Some(SitePath(path)) = request.extensions().get::<SitePath>().cloned() else {
        return plain(StatusCode::BAD_REQUEST, "bad path");
    };
    let relative = path.trim_start_matches('/');
    if relative.starts_with("search/") && relative.ends_with(".js") {
        return match search_file(&state, relative).await {
            Some(bytes) => {
                let served = state.served.borrow().clone();
                memory_file(relative, bytes, request.headers(), &served)
            }
            None => plain(StatusCode::NOT_FOUND, "not found"),
        };
    }
    let served = state.served.borrow().clone();
    let name = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_owned()
    };
    match served.files.get(&name) {
        Some(SiteFile::Memory(bytes)) => {
            memory_file(&name, bytes.clone(), request.headers(), &served)
        }
        Some(SiteFile::Copy(source)) => {
            let mime = content_type(&name)
                .parse()
                .unwrap_or(mime_guess::mime::APPLICATION_OCTET_STREAM);
            match ServeFile::new_with_mime(source, &mime)
                .oneshot(request)
                .await
            {
                Ok(response) => response.map(axum::body::Body::new),
                Err(never) => match never {},
            }
        }
        // A folder without its slash: send the browser to it, so relative links work.
        None if !relative.is_empty()
            && served.files.contains_key(&format!("{name}/index.html")) =>
        {
            let mut location = crate::url::encode_path(&format!("{path}/"));
            if let Some(query) = request.uri().query() {
                location.push('?');
                location.push_str(query);
            }
            match HeaderValue::try_from(location) {
                Ok(location) => (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, location)],
                )
                    .into_response(),
                Err(_) => plain(StatusCode::BAD_REQUEST, "bad path"),
            }
        }
        None => {
            let page = match served.files.get("404.html") {
                Some(SiteFile::Memory(bytes)) => bytes.clone(),
                _ => Bytes::new(),
            };
            let mut response = memory_file("404.html", page, request.headers(), &served);
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
    }
}

/// The search index's file at `path`, waiting (at most 30 s) while it is being built.
async fn search_file(state: &ServerState, path: &str) -> Option<Bytes> {
    let mut served = state.served.subscribe();
    let ready = tokio::time::timeout(
        Duration::from_secs(30),
        served.wait_for(|s| s.search.is_some()),
    );
    let index = ready.await.ok()?.ok()?.search.clone()?;
    index.get(path).cloned()
}

/// An answer from memory; pages get the reload script. Its `ETag` lets the browser's
/// next visit be a 304 while nothing changed.
fn memory_file(name: &str, bytes: Bytes, request: &HeaderMap, served: &Served) -> Response {
    let content_type = content_type(name);
    let bytes = if content_type.starts_with("text/html") {
        Bytes::from(with_reload(&bytes, served))
    } else {
        bytes
    };
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    let etag = format!("\"{:016x}\"", hasher.finish());
    let fresh = text_header(request, header::IF_NONE_MATCH).is_some_and(|tags| {
        tags.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*")
    });
    let status = if fresh {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    };
    let body = if fresh { Bytes::new() } else { bytes };
    (
        status,
        [(header::CONTENT_TYPE, content_type), (header::ETAG, etag)],
        body,
    )
        .into_response()
}

/// The decoded path of a request target, or `None` for anything that could leave the
/// site: `..` (however encoded), backslashes, NUL, encoded slashes, absolute URLs.
fn site_path(target: &str) -> Option<String> {
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

/// The `Content-Type` of a site file, by its extension; text says it is UTF-8, as
/// everything casebook writes is.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "json" | "javascript" | "xml")
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if textual {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
    }
}

/// Adds the reload script (and, after a failed build, its problems) to a page. Only the
/// dev server does this; `build` output never has it.
fn with_reload(html: &[u8], served: &Served) -> Vec<u8> {
    use crate::html::escape;
    let text = String::from_utf8_lossy(html);
    let error_attr = served
        .error
        .as_deref()
        .map(|e| format!(" data-build-error=\"{}\"", escape(e)))
        .unwrap_or_default();
    let title = messages::overlay_title();
    let tag = format!(
        "<script src=\"{RELOAD_SCRIPT}\" id=\"casebook-reload\" data-title=\"{}\" data-version=\"{}\"{error_attr} defer></script>",
        escape(title.get(served.lang)),
        served.version
    );
    let out = match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]),
        None => format!("{text}{tag}"),
    };
    out.into_bytes()
}

/// Server-Sent Events: `reload` after a good build, `problems` (the text) after a bad
/// one, and a comment every 15 s that keeps the line open and finds closed tabs. A page
/// names the version it was served at (`?seen=N`), so that one that loaded before a
/// change but connects after it still learns of it.
async fn events(State(state): State<Shared>, RawQuery(query): RawQuery) -> Response {
    let Ok(permit) = Arc::clone(&state.streams).try_acquire_owned() else {
        let mut response = plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many open reload channels",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        return response;
    };
    let mut served = state.served.subscribe();
    let current = served.borrow_and_update().version;
    let seen = query
        .as_deref()
        .and_then(|q| q.strip_prefix("seen="))
        .and_then(|n| n.parse::<u64>().ok())
        // A version from before a restart of the server differs too: that tab reloads.
        .unwrap_or(current);
    let hello = futures_util::stream::once(async { Ok(Event::default().comment("connected")) });
    let changes = futures_util::stream::unfold(
        (served, seen, permit),
        |(mut served, mut seen, permit)| async move {
            loop {
                let now = served.borrow_and_update().clone();
                if now.version == seen {
                    // Nothing new, or only the search index arrived: wait for a change.
                    served.changed().await.ok()?;
                    continue;
                }
                let reload = now.reload_after(seen).data();
                seen = now.version;
                let event = match &now.error {
                    None => Event::default().event("reload").data(reload),
                    Some(text) => Event::default()
                        .event("problems")
                        .data(text.replace('\r', "")),
                };
                return Some((Ok::<_, Infallible>(event), (served, seen, permit)));
            }
        },
    );
    Sse::new(hello.chain(changes))
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("ping"),
        )
        .into_response()
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
    title.textContent = (me && me.dataset.title) || 'casebook';
    const pre = document.createElement('pre');
    pre.textContent = text;
    box.replaceChildren(title, pre);
  }
  if (me && me.dataset.buildError) overlay(me.dataset.buildError);
  // This page's output file, as the server names the pages a change reloads.
  function here() {
    let path = location.pathname;
    try { path = decodeURIComponent(path); } catch (_) { /* as it is */ }
    path = path.replace(/^\//, '');
    return path === '' || path.endsWith('/') ? path + 'index.html' : path;
  }
  function mine(data) {
    let which = null;
    try { which = JSON.parse(data); } catch (_) { return true; } // "ok": every page
    if (which && Array.isArray(which.only)) return which.only.includes(here());
    if (which && Array.isArray(which.except)) return !which.except.includes(here());
    return true;
  }
  const seen = me && me.dataset.version;
  const events = new EventSource('/__casebook/events' + (seen ? '?seen=' + encodeURIComponent(seen) : ''));
  events.addEventListener('reload', (e) => { if (mine(e.data)) location.reload(); });
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

    #[test]
    fn hosts_are_loopback_names_and_on_every_interface_any_ip_literal() {
        let local = Hosts {
            bound: "127.0.0.1".parse().unwrap(),
            port: 1111,
        };
        for good in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LocalHost:1111",
            "[::1]:1111",
        ] {
            assert!(local.allows(good), "{good}");
        }
        for bad in [
            "192.168.1.20:1111",
            "evil.example:1111",
            "localhost:2222",
            "localhost",
            "localhost.evil.example:1111",
            "127.0.0.1.evil.example:1111",
            "[::1:1111",
            "",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
        let lan = Hosts {
            bound: "0.0.0.0".parse().unwrap(),
            port: 80,
        };
        for good in [
            "192.168.1.20",
            "192.168.1.20:80",
            "10.0.0.7",
            "LOCALHOST",
            "[fe80::1]",
        ] {
            assert!(lan.allows(good), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:80",
            "192.168.1.20.nip.io",
            "192.168.1.20:81",
            "[evil.example]",
        ] {
            assert!(!lan.allows(bad), "{bad}");
        }
    }

    #[test]
    fn a_copied_file_that_cannot_be_read_is_a_server_error_not_an_empty_page() {
        let dir = tempfile::tempdir().unwrap();
        // A symbolic link to itself: opening it fails (root may read any mode).
        let source = dir.path().join("loop.mp4");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&source, &source).unwrap();
        let files = HashMap::from([("loop.mp4".to_owned(), SiteFile::Copy(source.into()))]);
        let state = Arc::new(ServerState {
            served: watch::Sender::new(Served {
                files: Arc::new(files),
                ..Served::default()
            }),
            cache: crate::BuildCache::default(),
            root: dir.path().to_owned(),
            drafts: false,
            lang: None,
            hosts: Hosts {
                bound: "127.0.0.1".parse().unwrap(),
                port: 1111,
            },
            streams: Arc::new(Semaphore::new(1)),
            indexing: None,
            unindexed: std::sync::Mutex::default(),
            changes: AtomicU64::new(0),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        for method in ["GET", "HEAD"] {
            let request = Request::builder()
                .method(method)
                .uri("/loop.mp4")
                .header(header::HOST, "127.0.0.1:1111")
                .body(axum::body::Body::empty())
                .unwrap();
            let response = runtime
                .block_on(app(Arc::clone(&state)).oneshot(request))
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{method}"
            );
        }
    }

    #[test]
    fn a_page_reloads_for_the_pages_a_version_names_unless_it_missed_one() {
        let page = "案例/霞浦/index.html".to_owned();
        let early = Served {
            version: 8,
            reload: Reload::Only(Arc::from([page.clone()])),
            ..Served::default()
        };
        assert_eq!(
            early.reload_after(7).data(),
            r#"{"only":["案例/霞浦/index.html"]}"#
        );
        let whole = Served {
            version: 9,
            reload: Reload::Except(Arc::from([page])),
            ..Served::default()
        };
        assert_eq!(
            whole.reload_after(8).data(),
            r#"{"except":["案例/霞浦/index.html"]}"#
        );
        // It saw neither the early pages nor the whole site: all of it is new to it.
        assert_eq!(whole.reload_after(7).data(), "ok");
    }

    #[test]
    fn text_types_say_utf_8() {
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("timeline.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("clip.mp4"), "video/mp4");
        assert_eq!(content_type("talk.mp3"), "audio/mpeg");
        assert_eq!(content_type("plan.pdf"), "application/pdf");
        assert!(content_type("plan.docx").contains("wordprocessingml"));
        assert!(content_type("slides.pptx").contains("presentationml"));
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
