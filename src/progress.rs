//! Progress for long builds: shown on a terminal only once a build has run for a second,
//! so short builds print nothing but their summary line.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::messages::{self, Lang};

/// How long a build runs before progress appears.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// The process's peak resident memory, where the OS tells it (Linux).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{} MiB", kb / 1024))
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The stages of a build, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading content, templates and static files.
    Loading,
    /// Building the site model.
    Assembling,
    /// Rendering pages.
    Rendering,
    /// Building the search index.
    Indexing,
    /// Checking links in the rendered pages.
    Checking,
    /// Writing the output folder.
    Writing,
}

/// A progress bar that stays hidden until it is worth showing. With the environment
/// variable `CASEBOOK_TIMINGS` set, each stage's time is printed to stderr (in English:
/// it is for whoever profiles casebook, not for editors).
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    may_show: bool,
    lang: Lang,
    timings: Option<std::sync::Mutex<(String, Instant)>>,
}

impl Progress {
    /// A progress display in `lang`; `quiet` (or a non-terminal stderr) keeps it hidden.
    pub fn new(quiet: bool, lang: Lang) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress {
            bar,
            started: Instant::now(),
            may_show: !quiet && std::io::stderr().is_terminal(),
            lang,
            timings: std::env::var_os("CASEBOOK_TIMINGS")
                .map(|_| std::sync::Mutex::new(("Starting".to_owned(), Instant::now()))),
        }
    }

    /// A hidden display, for tests and the library's callers.
    pub fn hidden() -> Progress {
        Progress::new(true, Lang::En)
    }

    /// Begins a stage of `len` steps (0 when unknown).
    pub fn start(&self, stage: Stage, len: u64) {
        let name = messages::stage(stage);
        self.time_stage(&name.en);
        self.bar.set_message(name.get(self.lang).to_owned());
        self.bar.set_length(len);
        self.bar.set_position(0);
        self.show_if_slow();
    }

    /// One step done.
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.bar.position().is_multiple_of(64) {
            self.show_if_slow();
        }
    }

    fn time_stage(&self, next: &str) {
        if let Some(Ok(mut stage)) = self.timings.as_ref().map(|t| t.lock()) {
            eprintln!(
                "{:>10}: {:.3} s, peak memory so far {}",
                stage.0,
                stage.1.elapsed().as_secs_f64(),
                peak_memory()
            );
            *stage = (next.to_owned(), Instant::now());
        }
    }

    fn show_if_slow(&self) {
        if self.may_show && self.bar.is_hidden() && self.started.elapsed() > QUIET_FOR {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Clears the bar before the summary line is printed.
    pub fn finish(&self) {
        self.time_stage("");
        self.bar.finish_and_clear();
    }
}

/// Runs `work`; with `CASEBOOK_TIMINGS` set, prints how long it took under `name`. For
/// the parts of a stage, where a profile of one rebuild needs them.
pub(crate) fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("CASEBOOK_TIMINGS").is_some()) {
        return work();
    }
    let started = Instant::now();
    let out = work();
    eprintln!(
        "{name:>24}: {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    out
}
