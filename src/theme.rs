//! Themes: the default theme is embedded in the binary, so a site needs no theme folder.
//! A theme folder's files replace the default's of the same name, and the site's own
//! `templates/` replace both.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Problem;
use crate::messages;

/// One template's source and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct TemplateSource {
    /// The name templates use (`page.html`, `partials/nav.html`).
    pub name: String,
    /// The template text.
    pub text: String,
    /// Its file, for error messages.
    pub file: PathBuf,
}

/// The templates and static files a build renders with.
#[derive(Debug, Clone, Default)]
pub(crate) struct Theme {
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
pub(crate) const DEFAULT_THEME: &[(&str, &[u8])] = embedded!(
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
    "templates/lesson-packet.html",
    "templates/slides.html",
    "templates/sitemap.xml",
    "templates/atom.xml",
    "static/style.css",
    "static/slides.css",
    "static/slides.js",
    "static/favicon.svg",
    "static/timeline.js",
    "static/search.js",
    "static/study.js",
    "static/text-size.js",
);

/// Where the embedded theme's files are said to be, in messages.
const EMBEDDED_ORIGIN: &str = "(built-in default theme)";

impl Theme {
    /// Loads the theme named in the configuration, over the embedded default, with the
    /// site's `templates/` on top.
    pub(crate) fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Problem>> {
        let mut theme = Theme::default();
        let mut problems = Vec::new();
        for (path, bytes) in DEFAULT_THEME {
            let file = Path::new(EMBEDDED_ORIGIN).join(path);
            theme.add(path, bytes.to_vec(), file, &mut problems);
        }
        match Theme::folder(root, config) {
            Ok(Some(theme_dir)) => theme.add_folder(root, &theme_dir, config, &mut problems),
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
        // The site's own overrides: templates/ beside content/.
        let site_templates = root.join("templates");
        if site_templates.is_dir() {
            theme.add_tree(root, &site_templates, "templates", config, &mut problems);
        }
        if problems.is_empty() {
            Ok(theme)
        } else {
            Err(problems)
        }
    }

    /// The theme folder a site uses: `theme_dir` when site.toml names one (anywhere, on
    /// purpose), else `themes/<theme>/`, which must lie inside the site even through
    /// links; `None` for the built-in default with no folder of its own.
    pub(crate) fn folder(root: &Path, config: &Config) -> Result<Option<PathBuf>, Problem> {
        if let Some(dir) = &config.theme_dir {
            let dir = root.join(dir);
            if !dir.is_dir() {
                return Err(Problem::in_file(
                    "site.toml",
                    messages::theme_dir_missing(&dir),
                ));
            }
            return Ok(Some(dir));
        }
        let dir = root.join("themes").join(&config.theme);
        if !dir.is_dir() {
            if config.theme == "default" {
                return Ok(None);
            }
            return Err(Problem::in_file(
                "site.toml",
                messages::theme_missing(&config.theme),
            ));
        }
        let inside = match (dir.canonicalize(), root.canonicalize()) {
            (Ok(dir), Ok(root)) => dir.starts_with(root),
            _ => false,
        };
        if !inside {
            return Err(Problem::in_file(
                "site.toml",
                messages::theme_outside(&config.theme, &dir.canonicalize().unwrap_or_default()),
            ));
        }
        Ok(Some(dir))
    }

    fn add_folder(
        &mut self,
        root: &Path,
        dir: &Path,
        config: &Config,
        problems: &mut Vec<Problem>,
    ) {
        for part in ["templates", "static"] {
            let folder = dir.join(part);
            if folder.is_dir() {
                self.add_tree(root, &folder, part, config, problems);
            }
        }
    }

    /// Adds a folder's files; links inside it are not followed (only plain files are
    /// read), so a theme never publishes what lies outside it.
    fn add_tree(
        &mut self,
        root: &Path,
        folder: &Path,
        prefix: &str,
        config: &Config,
        problems: &mut Vec<Problem>,
    ) {
        for entry in WalkDir::new(folder).sort_by_file_name() {
            let entry = match entry {
                Ok(e) if e.file_type().is_file() => e,
                Ok(_) => continue,
                Err(e) => {
                    problems.push(Problem::in_file(
                        folder.strip_prefix(root).unwrap_or(folder),
                        messages::cannot_read(&messages::io_reason(&e.into())),
                    ));
                    continue;
                }
            };
            let path = entry.path();
            let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let Some(relative) = path.strip_prefix(folder).ok().and_then(Path::to_str) else {
                problems.push(Problem::in_file(shown, messages::file_name_not_utf8()));
                continue;
            };
            if relative.chars().any(char::is_control) {
                problems.push(Problem::in_file(
                    format!("{:?}", shown.display().to_string()),
                    messages::file_name_control_character(),
                ));
                continue;
            }
            let name = format!("{prefix}/{}", relative.replace('\\', "/"));
            if entry
                .metadata()
                .is_ok_and(|m| m.len() > config.max_file_size)
            {
                problems.push(Problem::in_file(
                    shown,
                    messages::file_too_large(None, config.max_file_size / (1024 * 1024)),
                ));
                continue;
            }
            match std::fs::read(path) {
                Ok(bytes) => self.add(&name, bytes, shown, problems),
                Err(e) => problems.push(Problem::in_file(
                    shown,
                    messages::cannot_read(&messages::io_reason(&e)),
                )),
            }
        }
    }

    /// Adds or replaces `path` (`templates/…` or `static/…`).
    fn add(&mut self, path: &str, bytes: Vec<u8>, file: PathBuf, problems: &mut Vec<Problem>) {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    problems.push(Problem::in_file(file, messages::template_not_utf8()));
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
