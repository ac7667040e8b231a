//! Writing results to files: never over an input, never half-written.
//!
//! [`write_atomic`] writes to a temporary file in the destination's folder and renames it
//! into place, so a reader (or Excel) sees the old file or the complete new one, and a
//! failure leaves no partial file behind. [`refuse_inputs`] stops a run that would write
//! its result over one of the files it reads.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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
    tmp: io::BufWriter<tempfile::NamedTempFile>,
}

/// Only a new path or a regular file is written: the rename would replace a device node
/// (`-o /dev/null`, run as root, would destroy it), a FIFO or a symbolic link (the link, not
/// what it points to) with a regular file.
fn refuse_special(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(meta) if meta.file_type().is_file() => Ok(()),
        Ok(meta) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            if meta.file_type().is_symlink() {
                "it is a symbolic link: name the file it points to, or a new path"
            } else if meta.is_dir() {
                "it is a folder"
            } else {
                "it is not a regular file (a device, a pipe or a socket)"
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
        let mut builder = tempfile::Builder::new();
        builder.prefix(".jixiao-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp: io::BufWriter::with_capacity(1 << 16, builder.tempfile_in(dir)?),
        })
    }

    /// Flush to disk and rename over `path` (which keeps its permissions).
    pub fn commit(self) -> io::Result<()> {
        let tmp = self
            .tmp
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        if let Ok(meta) = fs::metadata(&self.path) {
            fs::set_permissions(tmp.path(), meta.permissions())?;
        }
        tmp.as_file().sync_all()?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
