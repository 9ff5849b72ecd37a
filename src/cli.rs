//! The command line: what each subcommand accepts, and clap's complaints about what was
//! typed, put in the editor's language.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand, ValueEnum};

use crate::messages::{self, Lang, Text};

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

/// The language for a command line clap refused, found without clap: a valid `--lang`,
/// else `CASEBOOK_LANG`, else the `language` of the site at `--root` (or in the current
/// folder), else Chinese — what the command would have used had it run.
pub fn lang_of_args(args: &[OsString]) -> Lang {
    let value_of = |name: &str| {
        let mut args = args.iter().map(|a| a.to_string_lossy());
        while let Some(arg) = args.next() {
            if arg == name {
                return args.next().map(|v| v.into_owned());
            }
            if let Some(value) = arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                return Some(value.to_owned());
            }
        }
        None
    };
    let flag = value_of("--lang").and_then(|v| Lang::parse(&v));
    let root = value_of("--root").unwrap_or_else(|| ".".to_owned());
    Lang::for_site(Path::new(&root), flag)
}

/// What clap refused in `args`, in both languages, with clap's own suggestion and the
/// usage line; `None` for `--help` and `--version`, which are not mistakes.
pub fn usage_error(error: &clap::Error, args: &[OsString]) -> Option<Text> {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return None;
    }
    let one = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        Some(ContextValue::Strings(all)) => all.first().map(String::as_str),
        _ => None,
    };
    let all = |kind| match error.get(kind) {
        Some(ContextValue::Strings(all)) => all.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    // clap names an option with its placeholder: `--output <OUTPUT>`.
    let argument = one(ContextKind::InvalidArg).map(|a| a.split(' ').next().unwrap_or(a));
    let value = one(ContextKind::InvalidValue);
    let said = match error.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            Some(messages::no_command())
        }
        ErrorKind::UnknownArgument => {
            argument.map(|a| messages::unknown_argument(a, one(ContextKind::SuggestedArg)))
        }
        ErrorKind::InvalidSubcommand => one(ContextKind::InvalidSubcommand)
            .map(|c| messages::unknown_command(c, one(ContextKind::SuggestedSubcommand))),
        ErrorKind::InvalidValue => match (argument, value) {
            (Some(a), Some("")) => Some(messages::missing_value(a)),
            (Some(a), Some(v)) => Some(messages::invalid_choice(
                a,
                v,
                &all(ContextKind::ValidValue),
                one(ContextKind::SuggestedValue),
            )),
            _ => None,
        },
        ErrorKind::ValueValidation => match (argument, value) {
            (Some(a), Some(v)) => {
                let why = std::error::Error::source(error).map_or(String::new(), |e| e.to_string());
                Some(messages::invalid_value(a, v, &why))
            }
            _ => None,
        },
        ErrorKind::MissingRequiredArgument => Some(messages::missing_argument(
            &all(ContextKind::InvalidArg).join(" "),
        )),
        _ => None,
    };
    let said = said.unwrap_or_else(|| {
        let clap_said = error.to_string();
        let first = clap_said.lines().next().unwrap_or("");
        messages::command_line(first.strip_prefix("error: ").unwrap_or(first))
    });
    let usage = match error.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(usage)) => Some(usage.to_string()),
        _ => None,
    };
    let usage = usage
        .as_deref()
        .map(|u| u.trim().trim_start_matches("Usage:").trim());
    // The subcommand typed, whose --help lists its options.
    let cli = <Cli as clap::CommandFactory>::command();
    let typed = args.iter().skip(1).find_map(|arg| {
        let arg = arg.to_str()?;
        cli.get_subcommands()
            .any(|c| c.get_name() == arg)
            .then_some(arg)
    });
    let command = match typed {
        Some(sub) => format!("casebook {sub}"),
        None => "casebook".to_owned(),
    };
    Some(messages::with_usage(&said, usage, &command))
}
