//! What the unit tests inside `src` share; compiled for them only.

use proptest::test_runner::{Config, FileFailurePersistence};

/// The settings of every `proptest!` block inside `src`: a failing case is saved to `path`,
/// which must lie in `tests/proptest-regressions/` (relative to the package root, where
/// `cargo test` runs the unit tests), and is replayed first by later runs. Proptest's default
/// would write a `proptest-regressions/` folder beside `src`.
pub fn proptest_config(path: &'static str) -> Config {
    assert!(
        path.starts_with("tests/proptest-regressions/") && path.ends_with(".txt"),
        "{path}"
    );
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(path))),
        ..Config::default()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The `.rs` files under `dir`, recursively.
    fn sources(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    #[test]
    fn every_property_block_in_src_saves_failures_under_tests() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let mut blocks = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let opened = text.matches(concat!("proptest", "! {")).count();
            let configured = text
                .matches(concat!(
                    "#![proptest_config(crate::testing::",
                    "proptest_config("
                ))
                .count();
            assert_eq!(opened, configured, "{}", file.display());
            blocks += opened;
        }
        // decimal.rs, data/encoding.rs, data/sheet.rs, ledger/fast/fields.rs and
        // monitor/rules.rs have one block each.
        assert_eq!(blocks, 5);
    }
}
