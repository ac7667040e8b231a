//! The crate's layers, kept by CI rather than by memory: every `crate::…` path in the
//! library's code (tests aside) is checked against the rooms below, and the library never
//! prints, reads the environment or changes process settings (that is the binary's side:
//! `src/main.rs` and `src/cli/`).

use std::fs;
use std::path::{Path, PathBuf};

/// Each room and the top-level modules in it, from the ground up.
const ROOMS: &[(&str, &[&str])] = &[
    // Types and rules every other room shares: exact decimals, the built-in metrics,
    // problems with places, languages, judgments and tiers, the readers' records, units,
    // value formats, formulas, atomic writing.
    (
        "vocabulary",
        &[
            "decimal", "builtin", "diag", "i18n", "judgment", "records", "units", "values",
            "formula", "input", "output",
        ],
    ),
    ("scheme", &["scheme", "templates"]),
    ("readers", &["data", "ledger"]),
    ("computation", &["metrics", "scoring"]),
    // What a run gives: read by every renderer.
    ("results", &["outcome"]),
    // Which files, which scheme, which projects: the one loader.
    ("loader", &["workspace"]),
    // Reading and scoring them.
    ("pipeline", &["batch", "evaluation"]),
    ("renderers", &["report", "explain"]),
    ("review", &["review", "monitor", "check"]),
];

/// The rooms each room may take names from (its own included).
const MAY_IMPORT: &[(&str, &[&str])] = &[
    ("vocabulary", &["vocabulary"]),
    ("scheme", &["vocabulary", "scheme"]),
    ("readers", &["vocabulary", "scheme", "readers"]),
    ("computation", &["vocabulary", "scheme", "computation"]),
    (
        "results",
        &["vocabulary", "scheme", "computation", "results"],
    ),
    ("loader", &["vocabulary", "scheme", "readers", "loader"]),
    (
        "pipeline",
        &[
            "vocabulary",
            "scheme",
            "readers",
            "computation",
            "results",
            "loader",
            "pipeline",
        ],
    ),
    (
        "renderers",
        &[
            "vocabulary",
            "scheme",
            "computation",
            "results",
            "renderers",
        ],
    ),
    (
        "review",
        &[
            "vocabulary",
            "scheme",
            "readers",
            "computation",
            "results",
            "loader",
            "pipeline",
            "renderers",
            "review",
        ],
    ),
];

/// What only the binary does: print, read the environment, exit, set up the process.
const BINARY_ONLY: &[&str] = &[
    "println!",
    "eprintln!",
    "print!(",
    "eprint!(",
    "std::env::var",
    "env::var_os",
    "process::exit",
    "io::stdout()",
    "io::stderr()",
    "mallopt",
    "clap::",
    "indicatif",
];

fn room_of(module: &str) -> Option<&'static str> {
    ROOMS
        .iter()
        .find(|(_, modules)| modules.contains(&module))
        .map(|(room, _)| *room)
}

/// The library's source files (the binary's `main.rs` and `cli/` aside).
fn library_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().unwrap() != "cli" {
                library_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            // The binary, and what only the unit tests compile.
            && !["main.rs", "testing.rs"].contains(&path.file_name().unwrap().to_str().unwrap())
        {
            out.push(path);
        }
    }
}

/// The code of a file before its tests.
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    // The test module only: a `#[cfg(test)]` on one item in the middle of a file (a
    // constructor for tests) must not hide the code after it.
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The top-level module a file belongs to: `src/data/table.rs` → `data`.
fn module_of(src: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a piece of code names as `crate::module`, with their lines.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((n + 1, name));
            }
            rest = after;
        }
    }
    found
}

#[test]
fn no_module_imports_across_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    library_files(&src, &mut files);
    files.sort();
    let mut crossings = Vec::new();
    for path in &files {
        let module = module_of(&src, path);
        let shown = Path::new("src").join(path.strip_prefix(&src).unwrap());
        if module == "lib" {
            continue;
        }
        let room = room_of(&module)
            .unwrap_or_else(|| panic!("{}: module {module} is in no room", shown.display()));
        let allowed = MAY_IMPORT.iter().find(|(r, _)| *r == room).unwrap().1;
        for (line, target) in crate_paths(&code(path)) {
            let Some(target_room) = room_of(&target) else {
                crossings.push(format!(
                    "{}:{line}: crate::{target} is in no room",
                    shown.display()
                ));
                continue;
            };
            if !allowed.contains(&target_room) {
                crossings.push(format!(
                    "{}:{line}: {module} ({room}) imports {target} ({target_room})",
                    shown.display()
                ));
            }
        }
    }
    assert!(crossings.is_empty(), "{}", crossings.join("\n"));
}

#[test]
fn the_library_never_prints_reads_the_environment_or_sets_up_the_process() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    library_files(&src, &mut files);
    let mut found = Vec::new();
    for path in &files {
        let shown = Path::new("src").join(path.strip_prefix(&src).unwrap());
        for (n, line) in code(path).lines().enumerate() {
            let line = line.split("//").next().unwrap_or("");
            for word in BINARY_ONLY {
                if line.contains(word) {
                    found.push(format!("{}:{}: {word}", shown.display(), n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn every_module_of_the_library_is_in_a_room() {
    let lib = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let modules: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert!(modules.len() > 10, "{modules:?}");
    for m in modules {
        assert!(room_of(m).is_some(), "module {m} is in no room");
    }
}

/// The checker itself: a crossing is found, a comment is not.
#[test]
fn the_layer_check_sees_paths_and_skips_comments() {
    let code = "use crate::data::Row;\n// crate::report is named only here\nlet x = crate::scoring::rules::f();";
    let found: Vec<String> = crate_paths(code).into_iter().map(|(_, m)| m).collect();
    assert_eq!(found, ["data", "scoring"]);
}
