//! Opening the files a run reads. Only regular files are read: a FIFO would make the run
//! wait forever and `/dev/zero` never ends, and a folder submitted to a bureau's CI may
//! hold either under an input's name.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Open `path` for reading if it is a regular file (after symbolic links). The check is made
/// on the file opened, so the file cannot be swapped between check and read. Opening a FIFO
/// for reading blocks until a writer comes: it is refused before it is opened.
pub fn open(path: &Path) -> io::Result<File> {
    refuse_special(&std::fs::metadata(path)?)?;
    let file = File::open(path)?;
    refuse_special(&file.metadata()?)?;
    Ok(file)
}

/// The whole text of a regular file (UTF-8).
pub fn read_to_string(path: &Path) -> io::Result<String> {
    let mut text = String::new();
    open(path)?.read_to_string(&mut text)?;
    Ok(text)
}

/// The whole bytes of a regular file.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn refuse_special(meta: &std::fs::Metadata) -> io::Result<()> {
    if meta.is_file() {
        Ok(())
    } else if meta.is_dir() {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a folder, not a file",
        ))
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a device, a pipe or a socket)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::TempDir::new().unwrap();
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(read_to_string(&file).unwrap(), "x");
        let err = read(dir.path()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("folder"));
        #[cfg(unix)]
        {
            let err = open(Path::new("/dev/zero")).unwrap_err();
            assert!(err.to_string().contains("not a regular file"), "{err}");
        }
        assert_eq!(
            open(&dir.path().join("missing.csv")).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }
}
