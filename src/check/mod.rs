//! `jixiao check`: a CI gate for indicator schemes and evaluation folders. Finds every
//! problem it can in every file given (or found below a directory), with stable codes,
//! and renders them for people (rustc-style snippets), programs (JSON) or GitHub Actions.

pub mod render;

use std::path::{Path, PathBuf};

use crate::batch;
use crate::diag::{Code, Problem, Severity};
use crate::i18n::Lang;
use crate::input::Root;
use crate::templates::FOLDER_FILES;
use crate::workspace::{EVALUATION_FILE, Overrides, PROJECTS_FILE, Workspace};

/// What to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A scheme file (指标体系).
    Scheme(PathBuf),
    /// A monitoring profile (`[monitoring]`: the thresholds of `jixiao monitor`).
    Profile(PathBuf),
    /// A folder holding `evaluation.toml` and the CSV files.
    Evaluation(PathBuf),
    /// A file found while searching a folder that lies outside the allowed root (a
    /// symbolic link out of it): not read, reported.
    Outside(PathBuf, String),
}

/// The findings of a run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub schemes: usize,
    /// Monitoring profiles checked.
    pub profiles: usize,
    pub evaluations: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .count()
    }

    /// Whether the run fails: any error, or any warning when warnings are denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.errors() > 0 || (deny_warnings && self.warnings() > 0)
    }
}

/// Why a check could not run at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{}: no such file or folder", .0.display())]
    Missing(PathBuf),
    // Not `#[source]`: the message already says why, and anyhow would print it twice.
    #[error("{}: cannot read: {cause}", path.display())]
    Unreadable {
        path: PathBuf,
        cause: std::io::Error,
    },
}

impl crate::i18n::Localized for CheckError {
    fn zh(&self) -> String {
        match self {
            CheckError::Missing(p) => format!("{}：没有这个文件或目录", p.display()),
            CheckError::Unreadable { path, cause } => format!(
                "{}：无法读取：{}",
                path.display(),
                crate::i18n::io_error_zh(cause)
            ),
        }
    }
}

/// Folders never searched: version control, build output, dependencies.
const SKIPPED_DIRS: [&str; 3] = ["target", "node_modules", "fuzz"];

/// Turn the paths given (none = the current folder) into the schemes and evaluation
/// folders to check. A file given explicitly is checked as a scheme whatever it holds;
/// below a folder, only TOML files with a `[scheme]` table count as schemes, symbolic
/// links to folders are not followed (a loop, or a way out), and a file that leads out
/// of `root` is not read.
pub fn discover(paths: &[PathBuf], root: &Root) -> Result<Vec<Target>, CheckError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut targets = Vec::new();
    for p in paths {
        if p.is_file() {
            if p.file_name().is_some_and(|n| n == EVALUATION_FILE) {
                targets.push(Target::Evaluation(
                    p.parent().unwrap_or(Path::new(".")).to_path_buf(),
                ));
            } else if is_profile_file(p) {
                targets.push(Target::Profile(p.clone()));
            } else {
                targets.push(Target::Scheme(p.clone()));
            }
        } else if p.is_dir() {
            walk(p, root, &mut targets)?;
        } else {
            return Err(CheckError::Missing(p.clone()));
        }
    }
    targets.sort();
    targets.dedup();
    Ok(targets)
}

fn walk(dir: &Path, root: &Root, targets: &mut Vec<Target>) -> Result<(), CheckError> {
    // An evaluation folder, or a bureau listing its projects.
    if dir.join(EVALUATION_FILE).is_file() || dir.join(PROJECTS_FILE).is_file() {
        targets.push(Target::Evaluation(dir.to_path_buf()));
    }
    let entries = std::fs::read_dir(dir).map_err(|cause| CheckError::Unreadable {
        path: dir.to_path_buf(),
        cause,
    })?;
    // The entry's own type: a link to a folder is not a folder here.
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            Some((e.path(), e.file_type().ok()?.is_dir()))
        })
        .collect();
    paths.sort();
    for (path, is_dir) in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if is_dir {
            if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name) {
                walk(&path, root, targets)?;
            }
        } else if name.ends_with(".toml") && name != EVALUATION_FILE {
            match root.admit(&path) {
                Err(why) => targets.push(Target::Outside(path, why)),
                Ok(()) if is_scheme_file(&path) => targets.push(Target::Scheme(path)),
                Ok(()) if is_profile_file(&path) => targets.push(Target::Profile(path)),
                Ok(()) => {}
            }
        }
    }
    Ok(())
}

/// A TOML file with a `[scheme]` table (other TOML files, like Cargo.toml, are not ours).
fn is_scheme_file(path: &Path) -> bool {
    crate::input::read_to_string(path).is_ok_and(|text| {
        text.lines()
            .any(|l| l.split('#').next().unwrap_or("").trim() == "[scheme]")
    })
}

/// A TOML file with a `[monitoring]` table: a monitoring profile.
fn is_profile_file(path: &Path) -> bool {
    crate::input::read_to_string(path)
        .is_ok_and(|text| crate::monitor::profile::is_profile_text(&text))
}

/// Check every target; problems come back deduplicated (a scheme used by an evaluation
/// folder and also checked on its own reports each problem once), in file order.
/// Evaluation folders are read inside `root` (what they hold and name).
pub fn run(targets: &[Target], root: &Root) -> Report {
    let mut report = Report::default();
    for t in targets {
        match t {
            Target::Scheme(path) => {
                report.schemes += 1;
                report
                    .problems
                    .extend(crate::templates::placeholders([path.as_path()]).0);
                match crate::scheme::load(path) {
                    Ok(s) => report.problems.extend(s.warnings),
                    Err(p) => report.problems.extend(p.0),
                }
            }
            Target::Profile(path) => {
                report.profiles += 1;
                if let Err(p) = crate::monitor::profile::load(path) {
                    report.problems.extend(p.0);
                }
            }
            Target::Evaluation(dir) => {
                report.evaluations += 1;
                report.problems.extend(check_evaluation(dir, root));
            }
            Target::Outside(path, why) => report.problems.push(root.refused(path, why.clone())),
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    report.problems.retain(|p| {
        let file = std::fs::canonicalize(&p.file).unwrap_or_else(|_| p.file.clone());
        seen.insert((file, p.line, p.column, p.code, p.message.clone()))
    });
    report
}

/// Everything `score` would find in the folder, for every project it scores: unreadable
/// files and rows, judgments, metrics, the schemes; and the problems of its monitoring
/// sheets (`crate::monitor::check`).
fn check_evaluation(dir: &Path, root: &Root) -> Vec<Problem> {
    let overrides = Overrides {
        root: root.clone(),
        ..Overrides::default()
    };
    // What `jixiao init` left to fill in is said once, where it is: the errors it would
    // cause further on (a placeholder is not an amount) are left out for its file.
    let ws = Workspace::open(dir, &overrides);
    let mut files: Vec<PathBuf> = FOLDER_FILES.iter().map(|f| dir.join(f)).collect();
    if let Ok(ws) = &ws {
        files.extend(ws.files_read().into_iter().map(Path::to_path_buf));
    }
    files.sort();
    files.dedup();
    files.retain(|f| root.admit(f).is_ok());
    let left = crate::templates::placeholders(files.iter().map(PathBuf::as_path));
    let unfilled: Vec<PathBuf> = left
        .0
        .iter()
        .filter_map(|p| std::fs::canonicalize(&p.file).ok())
        .collect();
    let found = match ws {
        Ok(ws) => {
            let mut found = batch::problems(&ws, Lang::Zh).0;
            // The monitoring sheets (jixiao monitor), when the folder holds any.
            found.extend(crate::monitor::check::problems(&ws).0);
            found
        }
        Err(p) => p.0,
    };
    let mut problems = left.0;
    problems.extend(
        found
            .into_iter()
            .filter(|p| std::fs::canonicalize(&p.file).map_or(true, |f| !unfilled.contains(&f))),
    );
    problems
}

/// Codes in documentation order, for `docs/checks.md` and tests.
pub fn codes() -> &'static [Code] {
    &Code::ALL
}
