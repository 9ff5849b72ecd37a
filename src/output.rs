//! The only code that writes the output folder. A build is written to a staging folder
//! beside it and swapped into place in one step, so a failed or killed build leaves the
//! previous site exactly as it was. Files in the output folder that casebook did not
//! write (listed in no manifest) are carried over, never deleted.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::render::{Body, Output};

/// Lists the files casebook wrote, one path per line, so the next build knows which
/// files in the output folder are its own.
pub const MANIFEST: &str = ".casebook-manifest";

/// Why an output folder is refused, before anything is built.
#[derive(Debug)]
pub struct RefusedOutput(pub String);

impl std::fmt::Display for RefusedOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RefusedOutput {}

/// Refuses output folders whose replacement would destroy the user's work: the site
/// root or anything above it, `content/` and the other source folders, and any folder
/// holding a `.git`.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), RefusedOutput> {
    let shown = output.display().to_string();
    let refuse = |why: &str| {
        Err(RefusedOutput(format!(
            "refusing to write the site to `{shown}`: {why}; choose a folder of its own, such as `public`"
        )))
    };
    if output.as_os_str().is_empty() {
        return refuse("the output folder is empty");
    }
    let root = absolute(root);
    let output = absolute(output);
    if output.parent().is_none() {
        return refuse("it is the file system root");
    }
    if root.starts_with(&output) {
        return refuse("it is the site folder or holds it, and would be replaced");
    }
    for source in ["content", "static", "templates", "themes", ".git"] {
        if output.starts_with(root.join(source)) {
            return refuse(&format!(
                "it is inside `{source}/`, which holds your sources"
            ));
        }
    }
    if output.join(".git").exists() {
        return refuse("it holds a `.git` folder");
    }
    if let Ok(canonical) = output.canonicalize()
        && let Ok(root) = root.canonicalize()
        && root.starts_with(&canonical)
    {
        return refuse("it is the site folder or holds it, and would be replaced");
    }
    Ok(())
}

/// An absolute path with `.` and `..` resolved lexically (the folder may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// The staging folders of `output`: `.public.casebook-staging-<pid>` beside it.
fn staging_prefix(output: &Path) -> String {
    let name = output
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy());
    format!(".{name}.casebook-")
}

/// Writes `outputs` as the new content of `output`, atomically.
///
/// The previous site, swapped out by the last build, is kept beside the output as the
/// "spare" and recycled as the next staging folder: only files whose bytes changed are
/// rewritten. Creating files is what costs most on ext4 (inode allocation); recycling
/// makes a rebuild of 1,000 unchanged pages several times cheaper. The spare is only a
/// cache: every file in it is compared in full before it is kept, so a spare left half
/// updated by a killed build is simply corrected by the next one.
pub fn write(outputs: &[Output], output: &Path) -> Result<()> {
    let output = absolute(output);
    let parent = output
        .parent()
        .context("the output folder has no parent")?
        .to_path_buf();
    fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    remove_stale_staging(&output, &parent);
    let prefix = staging_prefix(&output);
    let staging = parent.join(format!("{prefix}staging-{}", std::process::id()));
    let spare = parent.join(format!("{prefix}spare"));
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("cannot clear {}", staging.display()))?;
    }
    // Claiming the spare by renaming it means two builds never share it.
    if fs::rename(&spare, &staging).is_err() {
        fs::create_dir(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
    }
    let result = fill_staging(outputs, &output, &staging).and_then(|()| swap(&staging, &output));
    match result {
        // `staging` now holds the previous site, or nothing if there was none.
        Ok(()) => {
            if staging.exists() && fs::rename(&staging, &spare).is_err() {
                let _ = fs::remove_dir_all(&staging);
            }
            Ok(())
        }
        Err(error) => {
            let _ = fs::remove_dir_all(&staging);
            Err(error)
        }
    }
}

/// Removes staging folders left by builds that were killed (the spare stays).
fn remove_stale_staging(output: &Path, parent: &Path) {
    let prefix = format!("{}staging-", staging_prefix(output));
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Brings `staging` (empty, or a recycled earlier site) to exactly `outputs` plus the
/// files of the current output that casebook did not write.
fn fill_staging(outputs: &[Output], output: &Path, staging: &Path) -> Result<()> {
    let written: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    let mut folders: HashSet<PathBuf> = HashSet::new();
    for o in outputs {
        let mut folder = Path::new(&o.path).parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            if !folders.insert(f.to_path_buf()) {
                break;
            }
            folder = f.parent();
        }
    }
    prune(staging, &written, &folders)?;
    let mut ordered: Vec<&PathBuf> = folders.iter().collect();
    ordered.sort();
    for folder in ordered {
        let path = staging.join(folder);
        if !path.is_dir() {
            fs::create_dir(&path).with_context(|| format!("cannot create {}", path.display()))?;
        }
    }
    outputs.par_iter().try_for_each(|o| {
        let target = staging.join(&o.path);
        write_if_changed(&target, &o.body)
            .with_context(|| format!("cannot write {}", target.display()))
    })?;
    carry_over_foreign_files(output, staging, &written)?;
    let mut manifest: Vec<&str> = written.into_iter().collect();
    manifest.sort_unstable();
    fs::write(staging.join(MANIFEST), manifest.join("\n") + "\n")?;
    Ok(())
}

/// Removes from a recycled tree every file that is not an output, and every folder
/// that holds none.
fn prune(staging: &Path, written: &HashSet<&str>, folders: &HashSet<PathBuf>) -> Result<()> {
    let mut walker = walkdir::WalkDir::new(staging).min_depth(1).into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.with_context(|| format!("cannot read {}", staging.display()))?;
        let relative = entry.path().strip_prefix(staging)?;
        let is_dir = entry.file_type().is_dir();
        let keep = if is_dir {
            folders.contains(relative)
        } else {
            let name = relative.to_string_lossy().replace('\\', "/");
            written.contains(name.as_str())
        };
        if keep {
            continue;
        }
        if is_dir {
            walker.skip_current_dir();
            fs::remove_dir_all(entry.path())
        } else {
            fs::remove_file(entry.path())
        }
        .with_context(|| format!("cannot remove {}", entry.path().display()))?;
    }
    Ok(())
}

/// Writes `body` to `target` unless it already holds exactly those bytes. A file with
/// other hard links is replaced, never written through: a link may be a file of the
/// live output.
fn write_if_changed(target: &Path, body: &Body) -> io::Result<()> {
    if let Ok(meta) = fs::symlink_metadata(target) {
        if meta.is_file() && !is_shared(&meta) {
            let same = match body {
                Body::Bytes(bytes) => {
                    meta.len() == bytes.len() as u64 && fs::read(target)? == *bytes
                }
                Body::CopyOf(source) => {
                    fs::metadata(source)?.len() == meta.len()
                        && fs::read(source)? == fs::read(target)?
                }
            };
            if same {
                return Ok(());
            }
        } else {
            fs::remove_file(target)?;
        }
    }
    match body {
        Body::Bytes(bytes) => fs::write(target, bytes),
        Body::CopyOf(source) => fs::copy(source, target).map(|_| ()),
    }
}

#[cfg(unix)]
fn is_shared(meta: &fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::nlink(meta) > 1
}

#[cfg(not(unix))]
fn is_shared(_: &fs::Metadata) -> bool {
    true
}

/// Copies into staging every file of the old output that casebook did not write.
fn carry_over_foreign_files(output: &Path, staging: &Path, written: &HashSet<&str>) -> Result<()> {
    if !output.is_dir() {
        return Ok(());
    }
    let manifest = fs::read_to_string(output.join(MANIFEST)).unwrap_or_default();
    let ours: HashSet<&str> = manifest.lines().collect();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", output.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(output)?;
        let name = relative.to_string_lossy().replace('\\', "/");
        if name == MANIFEST || ours.contains(name.as_str()) {
            continue;
        }
        if written.contains(name.as_str()) {
            bail!(
                "{} was not written by casebook, and the site now writes a file there: move it out of the output folder, then build again",
                entry.path().display()
            );
        }
        let target = staging.join(relative);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder)?;
        }
        fs::hard_link(entry.path(), &target)
            .or_else(|_| fs::copy(entry.path(), &target).map(|_| ()))
            .with_context(|| format!("cannot keep {}", entry.path().display()))?;
    }
    Ok(())
}

/// Puts the staging folder in place of the output in one step; afterwards `staging`
/// holds the previous site (kept as the spare), if there was one.
fn swap(staging: &Path, output: &Path) -> Result<()> {
    if !output.exists() {
        return fs::rename(staging, output)
            .with_context(|| format!("cannot create {}", output.display()));
    }
    if exchange(staging, output).is_err() {
        // No atomic exchange here (another OS or file system): two renames, with the
        // old site kept until the new one is in place.
        let old = staging.with_extension("old");
        fs::rename(output, &old).with_context(|| format!("cannot move {}", output.display()))?;
        if let Err(e) = fs::rename(staging, output) {
            let _ = fs::rename(&old, output);
            return Err(e).with_context(|| format!("cannot replace {}", output.display()));
        }
        fs::rename(&old, staging)?;
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_that_hold_sources() {
        let root = Path::new("/srv/site");
        for bad in [
            "/srv/site",
            "/srv",
            "/",
            "/srv/site/content",
            "/srv/site/content/x",
            "/srv/site/.",
        ] {
            assert!(check_output_dir(root, Path::new(bad)).is_err(), "{bad}");
        }
        assert!(check_output_dir(root, Path::new("/srv/site/public")).is_ok());
        assert!(check_output_dir(root, Path::new("/srv/out")).is_ok());
    }
}
