//! Writing results to files: never over an input, never half-written.
//!
//! [`write_atomic`] writes to a temporary file in the destination's folder and renames it
//! into place, so a reader (or Excel) sees the old file or the complete new one, and a
//! failure leaves no partial file behind. [`refuse_inputs`] stops a run that would write
//! its result over one of the files it reads.
//!
//! A temporary file is named `.jixiao-PID-XXXXXX.tmp`. Those of the running process are
//! listed, so that [`remove_temporaries`] (called on SIGINT, SIGTERM, SIGHUP) takes them
//! away; those of a process that no longer runs (killed with `kill -9`) are removed by the
//! next run that writes into the same folder.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary files this process has open.
static LIVE: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// The folders already cleared of a dead run's temporary files.
static SWEPT: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

fn live() -> std::sync::MutexGuard<'static, BTreeSet<PathBuf>> {
    // A panic while the lock was held leaves the list as it was: still usable.
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Remove every temporary file this process has open (an interrupted run leaves none).
pub fn remove_temporaries() {
    for path in live().iter() {
        let _ = fs::remove_file(path);
    }
}

/// The process id a temporary file's name carries, `.jixiao-PID-….tmp`.
fn temporary_of(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(".jixiao-")?.strip_suffix(".tmp")?;
    rest.split_once('-')?.0.parse().ok()
}

/// Whether process `pid` is still running, when that can be told (`/proc`); `true` when
/// it cannot, so nothing is removed on a guess.
fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Remove, once per folder and run, the temporary files that runs no longer running left
/// in `dir`.
fn sweep(dir: &Path) {
    let first = SWEPT
        .lock()
        .map(|mut s| s.insert(dir.to_path_buf()))
        .unwrap_or(false);
    if !first {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temporary_of) else {
            continue;
        };
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if regular && pid != std::process::id() && !running(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Why an output path that exists is not written over ([`refuse_special`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotRegular {
    #[error("it is a symbolic link: name the file it points to, or a new path")]
    Link,
    #[error("it is a folder")]
    Folder,
    #[error("it is not a regular file (a device, a pipe or a socket)")]
    Special,
}

impl crate::i18n::Localized for NotRegular {
    fn zh(&self) -> String {
        match self {
            NotRegular::Link => "这是一个符号链接：请写它所指的文件，或一个新路径",
            NotRegular::Folder => "这是一个目录",
            NotRegular::Special => "这不是普通文件（而是设备、管道或套接字）",
        }
        .to_string()
    }
}

impl crate::i18n::Localized for WouldOverwriteInput {
    fn zh(&self) -> String {
        format!(
            "拒绝把结果写到 {}：它就是输入文件 {}",
            self.output.display(),
            self.input.display()
        )
    }
}

/// Why the output was refused.
#[derive(Debug, thiserror::Error)]
#[error("refusing to write the output to {output}: it is the input file {input}")]
pub struct WouldOverwriteInput {
    pub output: PathBuf,
    pub input: PathBuf,
}

/// The path a file has, or would have once created: symbolic links and `..` resolved.
/// `None` when its folder does not exist (then it cannot be an existing input).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::canonicalize(parent).ok().map(|p| p.join(name))
}

/// The same file under another name (a hard link), on Unix.
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_a: &Path, _b: &Path) -> bool {
    false
}

/// Refuse an output path that is one of `inputs`, however it is written: the same path,
/// another path to it (`./x`, `../dir/x`, a symbolic link), or a hard link to it.
pub fn refuse_inputs<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), WouldOverwriteInput> {
    let out = resolved(output);
    for input in inputs {
        let same = match (&out, fs::canonicalize(input)) {
            (Some(o), Ok(i)) => *o == i,
            _ => false,
        };
        if same || same_file(output, input) {
            return Err(WouldOverwriteInput {
                output: output.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Write `bytes` to `path` atomically: into a temporary file in the same folder (so the
/// rename stays on one file system), flushed to disk, then renamed over `path`. On any
/// failure the temporary file is removed and `path` is left as it was.
///
/// A new file gets the permissions any new file gets (0666 less the umask on Unix); a file
/// replaced keeps its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// A file written atomically piece by piece (a batch's JSON Lines): nothing appears at
/// `path` until [`AtomicFile::commit`]; dropped without it, the temporary file is removed.
pub struct AtomicFile {
    path: PathBuf,
    /// `None` once committed.
    tmp: Option<io::BufWriter<tempfile::NamedTempFile>>,
    /// The temporary file's path, as listed in [`LIVE`].
    tmp_path: PathBuf,
}

/// Only a new path or a regular file is written: the rename would replace a device node
/// (`-o /dev/null`, run as root, would destroy it), a FIFO or a symbolic link (the link, not
/// what it points to) with a regular file.
pub fn refuse_special(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(meta) if meta.file_type().is_file() => Ok(()),
        Ok(meta) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            if meta.file_type().is_symlink() {
                NotRegular::Link
            } else if meta.is_dir() {
                NotRegular::Folder
            } else {
                NotRegular::Special
            },
        )),
    }
}

impl AtomicFile {
    /// A temporary file in `path`'s folder (so the rename stays on one file system).
    /// `path` must be new or a regular file.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        refuse_special(path)?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        sweep(dir);
        let prefix = format!(".jixiao-{}-", std::process::id());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        // Listed while the lock is held, so a signal between creating and listing cannot
        // miss it.
        let mut live = live();
        let tmp = builder.tempfile_in(dir)?;
        let tmp_path = tmp.path().to_path_buf();
        live.insert(tmp_path.clone());
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp: Some(io::BufWriter::with_capacity(1 << 16, tmp)),
            tmp_path,
        })
    }

    /// Flush to disk and rename over `path` (which keeps its permissions).
    pub fn commit(mut self) -> io::Result<()> {
        let tmp = self
            .writer_taken()?
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        if let Ok(meta) = fs::metadata(&self.path) {
            fs::set_permissions(tmp.path(), meta.permissions())?;
        }
        tmp.as_file().sync_all()?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }

    fn writer_taken(&mut self) -> io::Result<io::BufWriter<tempfile::NamedTempFile>> {
        self.tmp
            .take()
            .ok_or_else(|| io::Error::other("the file is already committed"))
    }

    fn writer(&mut self) -> io::Result<&mut io::BufWriter<tempfile::NamedTempFile>> {
        self.tmp
            .as_mut()
            .ok_or_else(|| io::Error::other("the file is already committed"))
    }
}

impl Drop for AtomicFile {
    /// Committed or not, the temporary file is no longer this run's to remove (dropping
    /// the `NamedTempFile` removes it when not committed).
    fn drop(&mut self) {
        live().remove(&self.tmp_path);
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_file_names_its_process() {
        assert_eq!(temporary_of(".jixiao-4242-a1B2c3.tmp"), Some(4242));
        // an older run's name without a process id, and other files, are not ours to remove
        assert_eq!(temporary_of(".jixiao-a1B2c3.tmp"), None);
        assert_eq!(temporary_of(".jixiao-4242-a1B2c3.json"), None);
        assert_eq!(temporary_of("jixiao-4242-x.tmp"), None);
        // while being written the file is listed, and it is not once committed
        let dir = tempfile::tempdir().unwrap();
        let file = AtomicFile::create(&dir.path().join("r.json")).unwrap();
        let tmp = file.tmp_path.clone();
        assert_eq!(
            temporary_of(tmp.file_name().unwrap().to_str().unwrap()),
            Some(std::process::id())
        );
        assert!(live().contains(&tmp));
        file.commit().unwrap();
        assert!(!live().contains(&tmp));
    }

    #[test]
    fn writes_and_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("result.csv");
        write_atomic(&out, b"first").unwrap();
        write_atomic(&out, b"second").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"second");
        // no temporary file is left behind
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // the destination is a folder: the rename fails
        let out = dir.path().join("taken");
        fs::create_dir(&out).unwrap();
        assert!(write_atomic(&out, b"x").is_err());
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the folder remains");
    }

    #[test]
    fn inputs_are_recognised_under_other_names() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("budget.csv");
        fs::write(&input, "x").unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        let inputs = [input.as_path()];
        assert!(refuse_inputs(&input, inputs).is_err());
        assert!(refuse_inputs(&sub.join("../budget.csv"), inputs).is_err());
        assert!(refuse_inputs(&dir.path().join("out.csv"), inputs).is_ok());
        assert!(refuse_inputs(&dir.path().join("no/such/dir/out.csv"), inputs).is_ok());
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&input, &link).unwrap();
            assert!(refuse_inputs(&link, inputs).is_err());
            let hard = dir.path().join("hard.csv");
            fs::hard_link(&input, &hard).unwrap();
            assert!(refuse_inputs(&hard, inputs).is_err());
        }
    }
}
