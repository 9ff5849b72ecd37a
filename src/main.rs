//! The `casebook` command: parse the arguments, run the library, print any error once,
//! and exit 0 (success), 1 (problems in the site) or 2 (usage errors). Messages are in
//! the site's language (`--lang` or `CASEBOOK_LANG` to choose); when clap refuses the
//! arguments, the language is found from them by hand (`cli::lang_of_args`).

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use casebook::cli::{self, Cli, Command, Format};
use casebook::{
    BuildOptions, Failure, Lang, Problems, RefusedOutput, UsageError, build, error_label, scaffold,
    warning_label,
};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let Some(said) = cli::usage_error(&e, &args) else {
                // --help and --version
                let _ = e.print();
                return ExitCode::SUCCESS;
            };
            let lang = cli::lang_of_args(&args);
            eprintln!("{}: {}", error_label(lang), said.get(lang));
            return ExitCode::from(2);
        }
    };
    let flag = cli.lang.map(Lang::from);
    let lang = language(&cli.command, flag);
    match run(cli.command, lang, flag) {
        Ok(code) => code,
        Err(error) => report(&error, lang),
    }
}

/// The language of the messages: `--lang`, else `CASEBOOK_LANG`, else the site's.
fn language(command: &Command, flag: Option<Lang>) -> Lang {
    let root = match command {
        Command::Build { root, .. }
        | Command::Check { root, .. }
        | Command::Serve { root, .. }
        | Command::New { root, .. } => root.as_path(),
        // A new site has no language yet; the folder it is made in may be a site.
        Command::Init { .. } => Path::new(""),
    };
    Lang::for_site(root, flag)
}

/// Runs one command. `Ok` is the exit code of a command that ran to its end (`check`
/// exits 1 when it found errors); `Err` is why it could not.
fn run(command: Command, lang: Lang, flag: Option<Lang>) -> anyhow::Result<ExitCode> {
    match command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            quiet,
        } => {
            let options = BuildOptions {
                root,
                output,
                drafts,
                base_url,
                quiet,
                lang,
            };
            let summary = build(&options)?;
            if !quiet {
                for skipped in &summary.left_out {
                    eprintln!("{}", skipped.show(warning_label(lang), lang));
                }
                println!("{}", summary.text().get(lang));
            }
        }
        Command::Check {
            root,
            drafts,
            external,
            format,
        } => {
            let report = casebook::check::check(&root, drafts, external)?;
            match format {
                Format::Human => print!("{}", casebook::check::human(&report, lang)),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&casebook::check::json(&report, lang))?
                ),
            }
            if !report.errors.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
            poll,
        } => casebook::serve::serve(&casebook::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            poll,
            open,
            lang: flag,
        })?,
        Command::Init { dir, eject_theme } => {
            println!("{}", scaffold::init(&dir, eject_theme)?.get(lang));
        }
        Command::New { path, kind, root } => {
            println!("{}", scaffold::new_page(&root, &path, kind)?.get(lang));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints why a command failed, once, and gives its exit code: 2 for a usage error or
/// a refused output folder, 1 otherwise.
fn report(error: &anyhow::Error, lang: Lang) -> ExitCode {
    // Problems print as a list; other errors as one line.
    if let Some(problems) = error.downcast_ref::<Problems>() {
        eprintln!("{}", problems.report(lang));
        return ExitCode::from(1);
    }
    let label = error_label(lang);
    if let Some(usage) = error.downcast_ref::<UsageError>() {
        eprintln!("{label}: {}", usage.0.get(lang));
        return ExitCode::from(2);
    }
    if let Some(refused) = error.downcast_ref::<RefusedOutput>() {
        eprintln!("{label}: {}", refused.0.get(lang));
        return ExitCode::from(2);
    }
    if let Some(failure) = error.downcast_ref::<Failure>() {
        eprintln!("{label}: {}", failure.0.get(lang));
        return ExitCode::from(1);
    }
    // Nothing should come here: every error casebook makes is one of the above.
    eprintln!("{label}: {error:#}");
    ExitCode::from(1)
}
