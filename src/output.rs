//! The only code that writes the output folder. A build is written to a staging folder
//! beside it and swapped into place in one step, so a failed or killed build leaves the
//! previous site exactly as it was. Files in the output folder that casebook did not
//! write (listed in no manifest) are carried over, never deleted.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::diagnostics::Failure;
use crate::messages::{self, FileAction, Text};
use crate::render::{Body, Output};

/// Lists the files casebook wrote, one path per line, so the next build knows which
/// files in the output folder are its own. Its presence is also what marks a folder as
/// one casebook made, and so may replace.
pub(crate) const MANIFEST: &str = ".casebook-manifest";

/// Why an output folder is refused, before anything is built.
#[derive(Debug)]
pub struct RefusedOutput(pub Text);

impl std::fmt::Display for RefusedOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for RefusedOutput {}

/// An output folder this build may replace, held for this build alone.
///
/// Made by [`claim`]: its path is canonical (symbolic links resolved, so the guards
/// compare the real folders), and the lock beside it keeps a second build out until
/// this value is dropped.
pub struct Claim {
    /// The output folder, canonical.
    pub path: PathBuf,
    lock: BuildLock,
}

impl Claim {
    /// Where the lock file is, for tests and messages.
    pub fn lock_file(&self) -> &Path {
        &self.lock.path
    }
}

/// The lock file beside the output, locked (flock) for as long as this value lives.
struct BuildLock {
    path: PathBuf,
    /// Holds the open file: the lock lasts until it is closed.
    _file: fd_lock::RwLock<fs::File>,
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Removed while still held, so no other build can lock this file and then find
        // it gone; a build that opened it meanwhile sees the path changed and retries.
        let _ = fs::remove_file(&self.path);
    }
}

/// Checks that `output` may be replaced by a build of the site in `root`, and locks it.
///
/// Refused, with exit code 2 and nothing touched:
/// - the site folder, anything holding it, and anything that is or lies inside a
///   source folder (`content/`, `static/`, `templates/`, `themes/`, `.git/` and the
///   extra `sources`, such as a theme outside the site), compared after resolving
///   symbolic links, so `public -> content` is caught;
/// - a file, or a link to nothing, where the folder should be;
/// - a folder holding a `.git`;
/// - a folder casebook did not make: one with anything in it but no manifest;
/// - a folder another build is writing right now ("another build is running": the
///   second build stops rather than waits, so a stuck build never hangs the next).
pub fn claim(root: &Path, output: &Path, sources: &[PathBuf]) -> Result<Claim, RefusedOutput> {
    let shown = output.display().to_string();
    let refuse = |why: Text| RefusedOutput(messages::output_refused(&shown, &why));
    if output.as_os_str().is_empty() {
        return Err(refuse(messages::output_empty_name()));
    }
    let path = resolve(output);
    if path.parent().is_none() {
        return Err(refuse(messages::output_is_root()));
    }
    let root = resolve(root);
    if root.starts_with(&path) {
        return Err(refuse(messages::output_holds_site()));
    }
    let mut guarded: Vec<(String, PathBuf)> = ["content", "static", "templates", "themes", ".git"]
        .iter()
        .map(|s| (format!("{s}/"), resolve(&root.join(s))))
        .collect();
    guarded.extend(
        sources
            .iter()
            .map(|s| (s.display().to_string(), resolve(s))),
    );
    for (name, source) in &guarded {
        if path.starts_with(source) || source.starts_with(&path) {
            let through = (path.starts_with(source) && !absolute(output).starts_with(source))
                .then_some(path.as_path());
            return Err(refuse(messages::output_holds_sources(name, through)));
        }
    }
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refuse(messages::output_dangling_link(
                &fs::read_link(&path).unwrap_or_default(),
            )));
        }
        Ok(meta) if !meta.is_dir() => return Err(refuse(messages::output_is_file())),
        _ => {}
    }
    if path.join(".git").exists() {
        return Err(refuse(messages::output_holds_git()));
    }
    let parent = path.parent().unwrap_or(&path);
    fs::create_dir_all(parent)
        .map_err(|e| refuse(messages::io_failed(FileAction::Create, parent, &e)))?;
    let lock = lock(&path).map_err(|e| match e.kind() {
        io::ErrorKind::WouldBlock => refuse(messages::output_busy()),
        _ => refuse(messages::io_failed(FileAction::Lock, &path, &e)),
    })?;
    // Checked under the lock: another build may have been creating the folder.
    if !made_by_casebook(&path) {
        return Err(refuse(messages::output_not_ours(MANIFEST, &path)));
    }
    Ok(Claim { path, lock })
}

/// Whether `folder` is missing, empty, or holds casebook's manifest.
fn made_by_casebook(folder: &Path) -> bool {
    match fs::read_dir(folder) {
        Err(e) => e.kind() == io::ErrorKind::NotFound,
        Ok(mut entries) => {
            entries.next().is_none()
                || fs::symlink_metadata(folder.join(MANIFEST)).is_ok_and(|m| m.is_file())
        }
    }
}

/// Locks `.<name>.casebook-lock` beside `output` without waiting.
fn lock(output: &Path) -> io::Result<BuildLock> {
    let path = output.with_file_name(format!("{}lock", staging_prefix(output)));
    loop {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        let opened = file_id(&file.metadata()?);
        let mut lock = fd_lock::RwLock::new(file);
        let guard = lock.try_write()?;
        // The lock must outlive this function; it is released when the file is closed
        // (when `BuildLock` drops), so the guard's own unlock is not needed.
        std::mem::forget(guard);
        if fs::metadata(&path).is_ok_and(|now| file_id(&now) == opened) {
            return Ok(BuildLock { path, _file: lock });
        }
        // The build that held it removed the file as it finished: lock the new one.
    }
}

#[cfg(unix)]
fn file_id(meta: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(meta: &fs::Metadata) -> (u64, u64) {
    (meta.len(), 0)
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

/// `path` made absolute with every symbolic link resolved, as far as it exists; the
/// part that does not exist yet follows lexically. `..` after a link goes to the
/// link target's parent, as the system would.
fn resolve(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut resolved = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => {
                resolved.push(other);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    resolved
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
pub(crate) fn write(outputs: &[Output], claim: &Claim) -> Result<()> {
    let output = claim.path.clone();
    // `claim` refused the file system root, so there is a parent.
    let parent = output.parent().unwrap_or(&output).to_path_buf();
    remove_stale_staging(&output, &parent);
    let prefix = staging_prefix(&output);
    let staging = parent.join(format!("{prefix}staging-{}", std::process::id()));
    let spare = parent.join(format!("{prefix}spare"));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| failed(FileAction::Clear, &staging, e))?;
    }
    // Only a spare casebook made is recycled (pruning deletes whatever is not an
    // output); anything else of that name is left alone.
    if !made_by_casebook(&spare) || fs::rename(&spare, &staging).is_err() {
        fs::create_dir(&staging).map_err(|e| failed(FileAction::Create, &staging, e))?;
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
            fs::create_dir(&path).map_err(|e| failed(FileAction::Create, &path, e))?;
        }
    }
    outputs.par_iter().try_for_each(|o| {
        let target = staging.join(&o.path);
        write_if_changed(&target, &o.body).map_err(|e| failed(FileAction::Write, &target, e))
    })?;
    carry_over_foreign_files(output, staging, &written)?;
    let mut manifest: Vec<&str> = written.into_iter().collect();
    manifest.sort_unstable();
    let manifest_file = staging.join(MANIFEST);
    fs::write(&manifest_file, manifest.join("\n") + "\n")
        .map_err(|e| failed(FileAction::Write, &manifest_file, e))?;
    Ok(())
}

/// Removes from a recycled tree every file that is not an output, and every folder
/// that holds none.
fn prune(staging: &Path, written: &HashSet<&str>, folders: &HashSet<PathBuf>) -> Result<()> {
    let mut walker = walkdir::WalkDir::new(staging).min_depth(1).into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| failed(FileAction::Read, staging, e.into()))?;
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
        .map_err(|e| failed(FileAction::Remove, entry.path(), e))?;
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

/// Carries into staging everything of the old output that casebook did not write:
/// files (hard-linked), symbolic links (recreated as they are, never followed) and
/// folders (with their permissions), so a folder the user added comes through whole.
fn carry_over_foreign_files(output: &Path, staging: &Path, written: &HashSet<&str>) -> Result<()> {
    if !output.is_dir() {
        return Ok(());
    }
    let manifest = fs::read_to_string(output.join(MANIFEST)).unwrap_or_default();
    let ours: HashSet<&str> = manifest.lines().collect();
    // Folders holding a file casebook wrote are casebook's: they go when empty.
    let our_folders: HashSet<&str> = ours
        .iter()
        .flat_map(|path| path.match_indices('/').map(|(i, _)| &path[..i]))
        .collect();
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| failed(FileAction::Read, output, e.into()))?;
        let relative = entry.path().strip_prefix(output)?;
        let name = relative.to_string_lossy().replace('\\', "/");
        let kind = entry.file_type();
        let target = staging.join(relative);
        if kind.is_dir() {
            if our_folders.contains(name.as_str()) {
                continue;
            }
            let keep_folder = || {
                let mode = fs::metadata(entry.path())?.permissions();
                fs::create_dir_all(&target)?;
                fs::set_permissions(&target, mode)
            };
            if !target.is_dir() {
                keep_folder().map_err(|e| failed(FileAction::Keep, entry.path(), e))?;
            }
            continue;
        }
        if name == MANIFEST || ours.contains(name.as_str()) {
            continue;
        }
        if written.contains(name.as_str()) {
            return Err(Failure(messages::output_foreign_file(entry.path())).into());
        }
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(|e| failed(FileAction::Create, folder, e))?;
        }
        let kept = if kind.is_file() {
            fs::hard_link(entry.path(), &target)
                .or_else(|_| fs::copy(entry.path(), &target).map(|_| ()))
        } else if kind.is_symlink() {
            keep_link(entry.path(), &target)
        } else {
            return Err(Failure(messages::output_special_file(entry.path())).into());
        };
        kept.map_err(|e| failed(FileAction::Keep, entry.path(), e))?;
    }
    Ok(())
}

#[cfg(unix)]
fn keep_link(link: &Path, target: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(fs::read_link(link)?, target)
}

#[cfg(not(unix))]
fn keep_link(link: &Path, target: &Path) -> io::Result<()> {
    fs::copy(link, target).map(|_| ())
}

/// Puts the staging folder in place of the output in one step; afterwards `staging`
/// holds the previous site (kept as the spare), if there was one.
fn swap(staging: &Path, output: &Path) -> Result<()> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| failed(FileAction::Create, output, e));
    }
    if exchange(staging, output).is_err() {
        // No atomic exchange here (another OS or file system): two renames, with the
        // old site kept until the new one is in place.
        let old = staging.with_extension("old");
        rename_patiently(output, &old).map_err(|e| held_open(e, output))?;
        if let Err(e) = rename_patiently(staging, output) {
            let _ = rename_patiently(&old, output);
            return Err(held_open(e, output));
        }
        rename_patiently(&old, staging).map_err(|e| failed(FileAction::Replace, staging, e))?;
    }
    Ok(())
}

/// Renames, waiting a little while the name is refused: on Windows a folder cannot be
/// moved while any file in it is open (a browser showing a page, an editor, antivirus
/// scanning the new files), and such holds are usually over within a second or two.
fn rename_patiently(from: &Path, to: &Path) -> io::Result<()> {
    let mut wait = std::time::Duration::from_millis(50);
    loop {
        match fs::rename(from, to) {
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied && wait.as_secs() < 2 => {
                std::thread::sleep(wait);
                wait *= 2;
            }
            result => return result,
        }
    }
}

/// The error for an output folder that could not be moved.
fn held_open(e: io::Error, output: &Path) -> anyhow::Error {
    if e.kind() == io::ErrorKind::PermissionDenied {
        Failure(messages::output_held_open(output)).into()
    } else {
        failed(FileAction::Replace, output, e)
    }
}

/// The error for a file or folder of the output the system would not let us touch.
fn failed(action: FileAction, path: &Path, e: io::Error) -> anyhow::Error {
    Failure(messages::io_failed(action, path, &e)).into()
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
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content/x")).unwrap();
        for bad in [
            "site",
            ".",
            "/",
            "site/content",
            "site/content/x",
            "site/.",
            "site/content/../content",
        ] {
            let bad = dir.path().join(bad);
            assert!(claim(&root, &bad, &[]).is_err(), "{}", bad.display());
        }
        assert!(claim(&root, &root.join("public"), &[]).is_ok());
        assert!(claim(&root, &dir.path().join("out"), &[]).is_ok());
    }

    #[test]
    fn a_second_claim_is_refused_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = claim(dir.path(), &out, &[]).unwrap();
        let lock = first.lock_file().to_path_buf();
        let second = claim(dir.path(), &out, &[]).err().unwrap();
        assert!(second.0.en.contains("another build is running"), "{second}");
        drop(first);
        assert!(!lock.exists(), "the lock file stays behind");
        assert!(claim(dir.path(), &out, &[]).is_ok());
    }
}
