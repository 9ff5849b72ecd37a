//! The `casebook` command: parse the arguments, run the library, print any error once,
//! and exit 0 (success), 1 (problems in the site) or 2 (usage errors).

use std::process::ExitCode;

use clap::Parser;

use casebook::cli::{Cli, Command};
use casebook::diagnostics::{Problems, UsageError};
use casebook::output::RefusedOutput;
use casebook::{BuildOptions, build, scaffold};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
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
            };
            build(&options).map(|summary| {
                if !quiet {
                    println!("{summary}");
                }
            })
        }
        Command::Check {
            root,
            drafts,
            external,
            format,
        } => {
            if !root.join("site.toml").is_file() {
                eprintln!(
                    "error: {} holds no site.toml: run casebook check in a site folder or pass --root DIR",
                    root.display()
                );
                return ExitCode::from(2);
            }
            let report = casebook::check::check(&root, drafts, external);
            match format {
                casebook::cli::Format::Human => print!("{}", casebook::check::human(&report)),
                casebook::cli::Format::Json => {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&report).unwrap_or_default()
                    )
                }
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
        } => casebook::serve::serve(&casebook::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            poll,
            open,
        }),
        Command::Init { dir } => scaffold::init(&dir).map(|()| {
            println!(
                "Created a new site in {}. Next: cd {} && casebook build",
                dir.display(),
                dir.display()
            );
        }),
        Command::New { path, kind, root } => scaffold::new_page(&root, &path, kind).map(|file| {
            println!("Created {}", file.display());
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Problems print as a list; other errors as their chain of causes.
            if let Some(problems) = error.downcast_ref::<Problems>() {
                eprintln!("{problems}");
                return ExitCode::from(1);
            }
            eprintln!("error: {error:#}");
            let usage = error.is::<RefusedOutput>() || error.is::<UsageError>();
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}
