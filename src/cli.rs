//! The command line: what each subcommand accepts.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// casebook: Markdown study materials in, a fast static study site out.
#[derive(Debug, Parser)]
#[command(name = "casebook", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Language of messages: zh or en (default: the site's `language`, or CASEBOOK_LANG).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
}

/// `--lang` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// 简体中文.
    Zh,
    /// English.
    En,
}

impl From<LangArg> for crate::messages::Lang {
    fn from(arg: LangArg) -> Self {
        match arg {
            LangArg::Zh => crate::messages::Lang::Zh,
            LangArg::En => crate::messages::Lang::En,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (public/ by default).
    Build {
        /// The site folder, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site, instead of site.toml's output_dir.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Publish address, instead of site.toml's base_url (e.g. https://example.org/study/).
        #[arg(long)]
        base_url: Option<String>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check the site without writing it: links, anchors, images, front matter, sources.
    Check {
        /// The site folder, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also try to reach http(s) links (3 s timeout, 8 at a time).
        #[arg(long)]
        external: bool,
        /// `human` (grouped by file) or `json` (for tools).
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Serve the site from memory on 127.0.0.1, rebuilding and reloading on every change.
    Serve {
        /// The site folder, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (the next free one is used if it is taken; 0 for any).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but 127.0.0.1 makes drafts reachable by others.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes (for file systems without change events: WSL /mnt/c, network drives).
        #[arg(long)]
        poll: bool,
    },
    /// Create a new site in DIR, with example pages (the theme stays built in).
    Init {
        /// The folder to create the site in (made if missing; must not hold a site).
        dir: PathBuf,
        /// Also copy the default theme into DIR/themes/default to change it freely (the
        /// copy no longer gets casebook's theme fixes).
        #[arg(long)]
        eject_theme: bool,
    },
    /// Create a new page with a front matter skeleton.
    New {
        /// The page's file, e.g. content/cases/新案例.md or cases/新案例.md.
        path: PathBuf,
        /// What kind of page; guessed from the folder (cases/, lessons/) when absent.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// The site folder, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Kinds of page `new` can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A case study (案例): background, visits, lessons, discussion.
    Case,
    /// A 党课 lesson outline with a lesson plan.
    Lesson,
    /// Any other article.
    Article,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Human,
    /// For tools.
    Json,
}
