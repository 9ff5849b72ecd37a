//! Themes: the default theme is embedded in the binary, so a site needs no theme folder.
//! A theme folder's files replace the default's of the same name, and the site's own
//! `templates/` replace both.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Problem;

/// One template's source and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// The name templates use (`page.html`, `partials/nav.html`).
    pub name: String,
    /// The template text.
    pub text: String,
    /// Its file, for error messages.
    pub file: PathBuf,
}

/// The templates and static files a build renders with.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Templates by name, overrides applied.
    pub templates: Vec<TemplateSource>,
    /// Theme files copied to the output root (`style.css`), overrides applied.
    pub files: Vec<(String, Vec<u8>)>,
}

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)))),*]
    };
}

/// The default theme's files, relative to `themes/default/`.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embedded!(
    "templates/base.html",
    "templates/index.html",
    "templates/section.html",
    "templates/breadcrumbs.html",
    "templates/card.html",
    "templates/lesson.html",
    "templates/page.html",
    "templates/taxonomy.html",
    "templates/term.html",
    "templates/404.html",
    "templates/alias.html",
    "templates/timeline.html",
    "templates/search.html",
    "templates/quiz.html",
    "templates/notes.html",
    "templates/packet.html",
    "static/style.css",
    "static/favicon.svg",
    "static/timeline.js",
    "static/search.js",
    "static/study.js",
);

/// Where the embedded theme's files are said to be, in messages.
const EMBEDDED_ORIGIN: &str = "(built-in default theme)";

impl Theme {
    /// Loads the theme named in the configuration, over the embedded default, with the
    /// site's `templates/` on top.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Problem>> {
        let mut theme = Theme::default();
        let mut problems = Vec::new();
        for (path, bytes) in DEFAULT_THEME {
            let file = Path::new(EMBEDDED_ORIGIN).join(path);
            theme.add(path, bytes.to_vec(), file, &mut problems);
        }
        let theme_dir = root.join("themes").join(&config.theme);
        if config.theme != "default" && !theme_dir.is_dir() {
            problems.push(Problem::in_file(
                "site.toml",
                format!(
                    "theme `{}` not found: there is no folder themes/{}/; fix `theme` or remove it to use the default",
                    config.theme, config.theme
                ),
            ));
        }
        theme.add_folder(root, &theme_dir, &mut problems);
        // The site's own overrides: templates/ beside content/.
        let site_templates = root.join("templates");
        if site_templates.is_dir() {
            theme.add_tree(root, &site_templates, "templates", &mut problems);
        }
        if problems.is_empty() {
            Ok(theme)
        } else {
            Err(problems)
        }
    }

    fn add_folder(&mut self, root: &Path, dir: &Path, problems: &mut Vec<Problem>) {
        for part in ["templates", "static"] {
            let folder = dir.join(part);
            if folder.is_dir() {
                self.add_tree(root, &folder, part, problems);
            }
        }
    }

    fn add_tree(&mut self, root: &Path, folder: &Path, prefix: &str, problems: &mut Vec<Problem>) {
        for entry in WalkDir::new(folder).sort_by_file_name() {
            let entry = match entry {
                Ok(e) if e.file_type().is_file() => e,
                Ok(_) => continue,
                Err(e) => {
                    problems.push(Problem::in_file(
                        folder.strip_prefix(root).unwrap_or(folder),
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            };
            let path = entry.path();
            let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let Some(relative) = path.strip_prefix(folder).ok().and_then(Path::to_str) else {
                problems.push(Problem::in_file(
                    shown,
                    "the file name is not valid UTF-8: rename it",
                ));
                continue;
            };
            let name = format!("{prefix}/{}", relative.replace('\\', "/"));
            match std::fs::read(path) {
                Ok(bytes) => self.add(&name, bytes, shown, problems),
                Err(e) => problems.push(Problem::in_file(shown, format!("cannot read: {e}"))),
            }
        }
    }

    /// Adds or replaces `path` (`templates/…` or `static/…`).
    fn add(&mut self, path: &str, bytes: Vec<u8>, file: PathBuf, problems: &mut Vec<Problem>) {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    problems.push(Problem::in_file(
                        file,
                        "the template is not valid UTF-8: save it as UTF-8",
                    ));
                    return;
                }
            };
            self.templates.retain(|t| t.name != name);
            self.templates.push(TemplateSource {
                name: name.to_owned(),
                text,
                file,
            });
        } else if let Some(name) = path.strip_prefix("static/") {
            self.files.retain(|(n, _)| n != name);
            self.files.push((name.to_owned(), bytes));
        }
    }
}
