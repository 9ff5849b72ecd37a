//! The `casebook` command: parse the arguments, run the library, print any error once,
//! and exit 0 (success), 1 (problems in the site) or 2 (usage errors). Messages are in
//! the site's language (`--lang` or `CASEBOOK_LANG` to choose); when clap refuses the
//! arguments, the language is found from them by hand (`cli::lang_of_args`).

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use casebook::cli::{self, Cli, Command, Format};
use casebook::diagnostics::{Failure, Problems, UsageError};
use casebook::messages::{self, Lang};
use casebook::output::RefusedOutput;
use casebook::{BuildOptions, build, scaffold};

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
            eprintln!("{}: {}", messages::error_label(lang), said.get(lang));
            return ExitCode::from(2);
        }
    };
    let flag = cli.lang.map(Lang::from);
    let lang_of = |root: &Path| Lang::for_site(root, flag);
    let (result, lang) = match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            quiet,
        } => {
            let lang = lang_of(&root);
            let options = BuildOptions {
                root,
                output,
                drafts,
                base_url,
                quiet,
                lang,
            };
            let result = build(&options).map(|summary| {
                if !quiet {
                    for skipped in &summary.left_out {
                        eprintln!("{}", skipped.show(messages::warning_label(lang), lang));
                    }
                    println!("{}", summary.text().get(lang));
                }
            });
            (result, lang)
        }
        Command::Check {
            root,
            drafts,
            external,
            format,
        } => {
            let lang = lang_of(&root);
            if !root.join("site.toml").is_file() {
                let message = messages::no_site(&root, "check");
                eprintln!("{}: {}", messages::error_label(lang), message.get(lang));
                return ExitCode::from(2);
            }
            let report = casebook::check::check(&root, drafts, external);
            match format {
                Format::Human => print!("{}", casebook::check::human(&report, lang)),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&casebook::check::json(&report, lang))
                        .unwrap_or_default()
                ),
            }
            return ExitCode::from(if report.errors.is_empty() { 0 } else { 1 });
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
            poll,
        } => {
            let lang = lang_of(&root);
            let result = casebook::serve::serve(&casebook::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                poll,
                open,
                lang: flag,
            });
            (result, lang)
        }
        Command::Init { dir, eject_theme } => {
            let lang = flag.unwrap_or_else(|| lang_of(Path::new("")));
            let result = scaffold::init(&dir, eject_theme).map(|()| {
                println!("{}", messages::init_created(&dir).get(lang));
            });
            (result, lang)
        }
        Command::New { path, kind, root } => {
            let lang = lang_of(&root);
            let result = scaffold::new_page(&root, &path, kind).map(|file| {
                println!("{}", messages::new_created(&file).get(lang));
            });
            (result, lang)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Problems print as a list; other errors as their chain of causes.
            if let Some(problems) = error.downcast_ref::<Problems>() {
                eprintln!("{}", problems.report(lang));
                return ExitCode::from(1);
            }
            let label = messages::error_label(lang);
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
    }
}
