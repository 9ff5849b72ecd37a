//! casebook turns a folder of Markdown study materials into a static study site.
//!
//! The pipeline (see DESIGN.md): load content → assemble the site model → render with
//! Tera → write the output folder atomically. This crate is being built up in that
//! order; the modules present so far are the foundations the pipeline stands on.

pub mod config;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod url;
