//! `jixiao check`: one broken fixture per code (code, line and column asserted), the shipped
//! schemes and samples pass, the output formats, exit statuses, `schema` and `init`.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

use std::fs;
use std::path::{Path, PathBuf};

const FIXTURES: &str = "tests/fixtures/check";

/// Run `jixiao check ARGS --format json`; returns the exit status and the document.
fn check_json(args: &[&str]) -> (i32, Value) {
    let out = cargo_bin_cmd!("jixiao")
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), doc)
}

fn diagnostics(doc: &Value) -> Vec<(String, u64, u64)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// Each fixture's second line says what it must produce: `# expect: JX0012 18:10`. The
/// line and column were worked out from the fixture text when it was written (they point
/// at the first character of the offending text, counting characters, not bytes).
fn expectation(path: &Path) -> (String, u64, u64) {
    let text = fs::read_to_string(path).unwrap();
    let line = text.lines().nth(1).unwrap();
    let rest = line.strip_prefix("# expect: ").expect("expect line");
    let (code, at) = rest.split_once(' ').unwrap();
    let (l, c) = at.split_once(':').unwrap();
    (code.to_string(), l.parse().unwrap(), c.parse().unwrap())
}

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_scheme_fixture_reports_its_code_at_its_place() {
    for path in fixtures() {
        let (code, line, col) = expectation(&path);
        let (status, doc) = check_json(&[path.to_str().unwrap()]);
        let found = diagnostics(&doc);
        assert!(
            found.contains(&(code.clone(), line, col)),
            "{}: expected {code} at {line}:{col}, found {found:?}",
            path.display()
        );
        // Errors fail the run; warnings alone pass unless denied.
        let has_error = found.iter().any(|(c, _, _)| c.as_str() < "JX1000");
        assert_eq!(status, i32::from(has_error), "{}", path.display());
        let (denied, _) = check_json(&[path.to_str().unwrap(), "--deny-warnings"]);
        assert_eq!(denied, 1, "{} with --deny-warnings", path.display());
    }
}

#[test]
fn the_shipped_schemes_and_samples_pass_silently() {
    let out = cargo_bin_cmd!("jixiao")
        .args(["check", "indicators", "samples", "--deny-warnings"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty(), "silent success");
    let (_, doc) = check_json(&["indicators", "samples"]);
    assert_eq!(doc["errors"], 0);
    assert_eq!(doc["warnings"], 0);
    // 3 schemes in indicators/ (samples hold none) and every sample folder
    assert_eq!(doc["schemes"], 3);
    assert!(doc["evaluations"].as_u64().unwrap() >= 1);
}

#[test]
fn weights_adding_to_105_name_both_numbers_and_the_lines() {
    let path = format!("{FIXTURES}/JX0012-dimension-weights.toml");
    let (status, doc) = check_json(&[&path]);
    assert_eq!(status, 1);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "JX0012");
    // one dimension, its weight 105 on line 18
    assert_eq!(
        d["message"],
        "first-level weights add up to 105 but the scheme total is 100 (weights on line 18)"
    );
}

#[test]
fn human_output_puts_the_caret_under_the_span_after_chinese_text() {
    let path = format!("{FIXTURES}/JX0001-toml-syntax.toml");
    let out = cargo_bin_cmd!("jixiao")
        .args(["check", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("check_toml_syntax_human", text);
    // `    name = "宣传知晓度" 是`: 4 spaces, `name = "` (8), 5 wide characters (10 columns),
    // `" ` (2) → the caret is preceded by 24 display columns after the gutter.
    let source = text.lines().find(|l| l.contains("宣传知晓度")).unwrap();
    let caret = text.lines().find(|l| l.contains('^')).unwrap();
    let gutter = source.find('|').unwrap() + 1;
    let caret_col = caret.find('^').unwrap();
    assert_eq!(caret[gutter..caret_col].chars().count(), 1 + 24, "{text}");
}

#[test]
fn github_format_annotates_file_line_and_column() {
    let path = format!("{FIXTURES}/JX0002-unknown-key.toml");
    let out = cargo_bin_cmd!("jixiao")
        .args(["check", &path, "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    // `    colour = "红"` on line 35: the key starts at column 5 and ends before column 11
    assert!(
        text.starts_with(&format!(
            "::error file={path},line=35,col=5,endLine=35,endColumn=11,title=JX0002::unknown key `colour`"
        )),
        "{text}"
    );
}

#[test]
fn could_not_run_exits_2() {
    cargo_bin_cmd!("jixiao")
        .args(["check", "no/such/path"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no/such/path: no such file or folder",
        ));
    cargo_bin_cmd!("jixiao")
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn the_committed_schema_is_current() {
    let out = cargo_bin_cmd!("jixiao").arg("schema").output().unwrap();
    assert!(out.status.success());
    let committed = fs::read_to_string("indicators/jixiao.schema.json").unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap() == committed,
        "indicators/jixiao.schema.json is stale: run `cargo run -- schema > indicators/jixiao.schema.json`"
    );
}

#[test]
fn init_writes_a_starter_that_passes_check_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    for (family, file) in [
        ("self-evaluation", "road-2025.toml"),
        ("framework", "school-2025.toml"),
    ] {
        let path = dir.path().join(file);
        cargo_bin_cmd!("jixiao")
            .args(["init", "--family", family])
            .arg(&path)
            .assert()
            .success();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("#:schema ./jixiao.schema.json"), "{text}");
        let stem = file.trim_end_matches(".toml");
        assert!(text.contains(&format!("id = \"{stem}\"")));
        // a second init onto the same file is refused and leaves it untouched
        cargo_bin_cmd!("jixiao")
            .args(["init", "--family", family])
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("already exists"));
        assert_eq!(fs::read_to_string(&path).unwrap(), text);
    }
    assert!(dir.path().join("jixiao.schema.json").is_file());
    cargo_bin_cmd!("jixiao")
        .args(["check", "--deny-warnings"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("");
}
