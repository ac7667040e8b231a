//! The folders the tests change: copies of the shipped sample.

use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A copy of the shipped sample in a temporary folder, its scheme copied beside it as
/// `scheme.toml` (so the folder reads nothing outside itself); the folder is
/// `TMP/legal-aid-2022`.
pub fn sample() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("legal-aid-2022");
    fs::create_dir(&dir).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for e in fs::read_dir(root.join("samples/legal-aid-2022")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    fs::copy(
        root.join("indicators/legal-aid-2022.toml"),
        dir.join("scheme.toml"),
    )
    .unwrap();
    let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
    fs::write(
        dir.join("evaluation.toml"),
        eval.replace("../../indicators/legal-aid-2022.toml", "scheme.toml"),
    )
    .unwrap();
    (tmp, dir)
}
