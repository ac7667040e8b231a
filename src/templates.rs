//! Files jixiao writes for a new user: the JSON Schema of the scheme format
//! (`jixiao schema`) and commented starter schemes (`jixiao init`), made from the two
//! official baselines shipped in `indicators/`.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `jixiao init --family`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitFamily {
    /// 项目支出绩效自评表: 预算执行率 10, 产出 50, 效益 30, 满意度 10.
    SelfEvaluation,
    /// 评价指标体系框架: 决策 / 过程 / 产出 / 效益.
    Framework,
}

const SELF_EVALUATION: &str = include_str!("../indicators/project-self-evaluation.toml");
const FRAMEWORK: &str = include_str!("../indicators/evaluation-framework.toml");

/// The file name editors look for beside a scheme (`#:schema ./jixiao.schema.json`).
pub const SCHEMA_FILE: &str = "jixiao.schema.json";

/// The JSON Schema as committed in `indicators/jixiao.schema.json`.
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&crate::scheme::json_schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// The starter scheme of a family, with its `id` taken from the file name.
pub fn starter(family: InitFamily, id: &str) -> String {
    let (text, title) = match family {
        InitFamily::SelfEvaluation => (SELF_EVALUATION, "（项目名称）项目支出绩效自评指标体系"),
        InitFamily::Framework => (FRAMEWORK, "（项目名称）项目支出绩效评价指标体系"),
    };
    let mut in_scheme = false;
    text.lines()
        .map(|line| {
            let t = line.trim();
            if t.starts_with('[') {
                in_scheme = t == "[scheme]";
            }
            if in_scheme && t.starts_with("id =") {
                format!("id = \"{id}\"")
            } else if in_scheme && t.starts_with("title =") {
                format!("title = \"{title}\"")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Why `init` could not write.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{}: already exists; choose a new file name (jixiao init never overwrites)", .0.display())]
    Exists(PathBuf),
    // Not `#[source]`: the message already says why, and anyhow would print it twice.
    #[error("{}: cannot write: {cause}", path.display())]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
}

/// Write the starter scheme to `path` (which must not exist) and, when the folder has none,
/// `jixiao.schema.json` beside it so editors can check the file as it is typed.
pub fn init(path: &Path, family: InitFamily) -> Result<Vec<PathBuf>, InitError> {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| crate::scheme::is_identifier(&s.replace('-', "_")))
        .unwrap_or("my-scheme");
    let mut written = vec![create_new(path, &starter(family, id))?];
    let schema = path.parent().unwrap_or(Path::new(".")).join(SCHEMA_FILE);
    if !schema.exists() {
        written.push(create_new(&schema, &schema_text())?);
    }
    Ok(written)
}

fn create_new(path: &Path, text: &str) -> Result<PathBuf, InitError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|cause| match cause.kind() {
            std::io::ErrorKind::AlreadyExists => InitError::Exists(path.to_path_buf()),
            _ => InitError::Write {
                path: path.to_path_buf(),
                cause,
            },
        })?;
    file.write_all(text.as_bytes())
        .map_err(|cause| InitError::Write {
            path: path.to_path_buf(),
            cause,
        })?;
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starters_load_cleanly_with_their_new_id() {
        for family in [InitFamily::SelfEvaluation, InitFamily::Framework] {
            let text = starter(family, "road-repair-2025");
            let scheme = crate::scheme::parse(Path::new("new.toml"), &text).expect("starter loads");
            assert_eq!(scheme.id, "road-repair-2025");
            assert!(scheme.title.contains("（项目名称）"));
            assert!(scheme.warnings.is_empty(), "{:?}", scheme.warnings);
        }
    }
}
