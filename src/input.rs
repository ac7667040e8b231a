//! Opening the files a run reads. Only regular files are read: a FIFO would make the run
//! wait forever and `/dev/zero` never ends, and a folder submitted to a bureau's CI may
//! hold either under an input's name. And a path that a submitted file names is followed
//! only inside the allowed root ([`Root`]).

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// What a file refused by the root should be, for the problem's "expected".
pub const INSIDE_ROOT: &str =
    "a file inside the allowed root (--root, by default the current folder)";
pub const INSIDE_ROOT_ZH: &str = "允许读取的根目录（--root，默认为当前目录）内的文件";
/// How to fix a file refused for lying outside the root.
pub const OUTSIDE_ROOT_HELP: &str = "run jixiao from a folder that holds both the evaluation folder and the files it names (for the shipped samples, the project's top folder), or name that folder with --root DIR";
pub const OUTSIDE_ROOT_HELP_ZH: &str = "在同时包含评价目录及其所指文件的上级目录中运行 jixiao（随附示例请在项目根目录运行），或用 --root 目录 指定该目录";

/// Where the files a run reads from a submitted folder may lie, after symbolic links: a
/// folder's `evaluation.toml` naming `scheme = "/proc/self/environ"`, `[files]` naming
/// `../../etc/passwd`, or `budget.csv` being a link to another department's ledger are
/// refused before anything is read. The command line is trusted (a path the user types is
/// read wherever it is); what a submitted file names, or a submitted folder holds, is not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Root {
    /// No confinement: library callers that read their own files.
    #[default]
    Anywhere,
    /// Inside one of these folders (canonical paths): the allowed root (`--root`, by
    /// default the current folder) and the folders named on the command line.
    Within(Vec<PathBuf>),
}

impl Root {
    /// Confinement to `root` (`--root`, or the current folder).
    pub fn within(root: &Path) -> io::Result<Root> {
        Ok(Root::Within(vec![std::fs::canonicalize(root)?]))
    }

    /// This root and `dir` as well: a folder the user named on the command line is theirs
    /// to read. A folder that does not exist adds nothing (its files are not found anyway).
    #[must_use]
    pub fn and(&self, dir: &Path) -> Root {
        match (self, std::fs::canonicalize(dir)) {
            (Root::Within(roots), Ok(dir)) => {
                let mut roots = roots.clone();
                if !roots.iter().any(|r| dir.starts_with(r)) {
                    roots.push(dir);
                }
                Root::Within(roots)
            }
            _ => self.clone(),
        }
    }

    /// [`Root::admit`]'s refusal in Chinese.
    fn refusal_zh(&self, path: &Path) -> String {
        let roots = match self {
            Root::Anywhere => String::new(),
            Root::Within(roots) => roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join("、"),
        };
        format!("{} 不在允许读取的根目录 {roots} 内", path.display())
    }

    /// The error of `path` refused by the root (`why`: [`Root::admit`]'s reason), in
    /// both languages, with what is accepted and how to reach the file; on `path` itself
    /// (see [`crate::diag::Problem::in_file`] to put it on the file that names it).
    pub fn refused(&self, path: &Path, why: String) -> crate::diag::Problem {
        crate::diag::Problem::error(path, why)
            .code(crate::diag::Code::OutsideRoot)
            .zh(self.refusal_zh(path))
            .expected(INSIDE_ROOT)
            .zh_expected(INSIDE_ROOT_ZH)
            .help(OUTSIDE_ROOT_HELP)
            .zh_help(OUTSIDE_ROOT_HELP_ZH)
    }

    /// `Ok` when `path` resolves, after symbolic links, inside the root; otherwise the
    /// reason, naming the root, for a problem ([`Root::refused`]). A path that does not
    /// exist is judged by its nearest existing folder, so "not found" stays the error for
    /// a missing file inside the root.
    pub fn admit(&self, path: &Path) -> Result<(), String> {
        let Root::Within(roots) = self else {
            return Ok(());
        };
        match resolve(path) {
            Some(resolved) if roots.iter().any(|r| resolved.starts_with(r)) => Ok(()),
            resolved => Err(format!(
                "{} lies outside the allowed root {}{}",
                path.display(),
                roots
                    .iter()
                    .map(|r| r.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                match resolved {
                    Some(r) if r != path => format!(" (it leads to {})", r.display()),
                    _ => String::new(),
                }
            )),
        }
    }
}

/// `path` made absolute with symbolic links followed; for a path that does not exist, its
/// nearest existing ancestor resolved and the rest appended (`..` in the rest is refused:
/// `None`).
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let mut rest: Vec<Component<'_>> = Vec::new();
    let mut ancestor = path;
    loop {
        let mut components = ancestor.components();
        let last = components.next_back()?;
        rest.push(last);
        ancestor = components.as_path();
        let base = if ancestor.as_os_str().is_empty() {
            Path::new(".")
        } else {
            ancestor
        };
        if let Ok(mut p) = std::fs::canonicalize(base) {
            for c in rest.iter().rev() {
                match c {
                    Component::Normal(n) => p.push(n),
                    Component::CurDir => {}
                    _ => return None,
                }
            }
            return Some(p);
        }
        if ancestor.as_os_str().is_empty() {
            return None;
        }
    }
}

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
    fn the_root_admits_paths_inside_it_after_links_and_refuses_the_rest() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/a.csv"), "x").unwrap();
        std::fs::write(dir.path().join("secret.csv"), "x").unwrap();
        let r = Root::within(&root).unwrap();
        assert!(r.admit(&root.join("sub/a.csv")).is_ok());
        // a missing file inside the root: admitted, so that "not found" is the error
        assert!(r.admit(&root.join("sub/missing.csv")).is_ok());
        assert!(r.admit(&root.join("new/deeper/missing.csv")).is_ok());
        let err = r.admit(&root.join("sub/../../secret.csv")).unwrap_err();
        assert!(err.contains("outside the allowed root"), "{err}");
        assert!(r.admit(Path::new("/proc/self/environ")).is_err());
        assert!(r.admit(&root.join("missing/../../secret.csv")).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.csv"), root.join("link.csv"))
                .unwrap();
            let err = r.admit(&root.join("link.csv")).unwrap_err();
            assert!(err.contains("leads to"), "{err}");
        }
        // a folder named on the command line is allowed as well
        let wider = r.and(dir.path());
        assert!(wider.admit(&dir.path().join("secret.csv")).is_ok());
        assert!(
            Root::Anywhere
                .admit(Path::new("/proc/self/environ"))
                .is_ok()
        );
    }

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
