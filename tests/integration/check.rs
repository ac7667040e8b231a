//! `jixiao check`: one broken fixture per code (code, line and column asserted), the shipped
//! schemes and samples pass, the output formats, exit statuses, `schema` and `init`.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::collections::BTreeSet;
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
    // 3 schemes in indicators/, and the one samples/rural-water-2023 holds (made by init),
    // and every sample folder
    assert_eq!(doc["schemes"], 4);
    // and the monitoring profile, indicators/monitoring-default.toml
    assert_eq!(doc["profiles"], 1);
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
        .args(["check", "no/such/path", "--lang", "en"])
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
            .args(["init", "--lang", "en", "--family", family])
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

/// Every code has a fixture: a scheme file here, or an evaluation folder in
/// `evaluation_folder_findings`.
#[test]
fn every_code_has_a_fixture() {
    let mut covered: BTreeSet<String> = fixtures().iter().map(|p| expectation(p).0).collect();
    covered.extend(EVALUATION_CODES.iter().map(|c| c.to_string()));
    let all: BTreeSet<String> = jixiao::check::codes()
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    let missing: Vec<_> = all.difference(&covered).collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

/// Codes whose fixture is an evaluation folder, built below from the shipped sample.
const EVALUATION_CODES: [&str; 24] = [
    "JX0030", "JX0032", "JX0100", "JX0101", "JX0102", "JX0103", "JX0104", "JX0105", "JX0106",
    "JX0107", "JX0110", "JX0111", "JX0112", "JX0113", "JX0114", "JX0120", "JX1101", "JX1102",
    "JX1103", "JX1104", "JX1105", "JX1106", "JX1107", "JX1201",
];

/// A copy of the legal-aid sample in a temporary folder, its scheme copied beside it.
struct Folder {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Folder {
    fn new() -> Folder {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("legal-aid-2022");
        fs::create_dir(&dir).unwrap();
        for e in fs::read_dir("samples/legal-aid-2022").unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
        fs::copy("indicators/legal-aid-2022.toml", dir.join("scheme.toml")).unwrap();
        let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
        fs::write(
            dir.join("evaluation.toml"),
            eval.replace("../../indicators/legal-aid-2022.toml", "scheme.toml"),
        )
        .unwrap();
        Folder { _tmp: tmp, dir }
    }

    /// Replace line `n` (1-based) of `file`, checking it holds `from`.
    fn edit(&self, file: &str, n: usize, from: &str, to: &str) -> &Self {
        let path = self.dir.join(file);
        let text = fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        assert!(
            lines[n - 1].contains(from),
            "{file}:{n} is {:?}",
            lines[n - 1]
        );
        lines[n - 1] = lines[n - 1].replace(from, to);
        fs::write(&path, lines.join("\n") + "\n").unwrap();
        self
    }

    fn findings(&self) -> Vec<(String, String, u64, u64)> {
        let (_, doc) = check_json(&[self.dir.to_str().unwrap()]);
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let file = Path::new(d["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (
                    d["code"].as_str().unwrap_or("(none)").to_string(),
                    file,
                    d["line"].as_u64().unwrap_or(0),
                    d["column"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    }
}

/// `line` and `column` 0 mean "the file as a whole" (e.g. a missing file).
fn assert_finding(f: &Folder, code: &str, file: &str, line: u64, column: u64) {
    let found = f.findings();
    assert!(
        found.contains(&(code.to_string(), file.to_string(), line, column)),
        "expected {code} at {file}:{line}:{column}, found {found:?}"
    );
}

#[test]
fn evaluation_folder_findings() {
    // The sample's files, line by line: outputs.csv line 4 = consultations (header + 3rd
    // row); spending.csv line 2 = the first payment; judgments.csv line 2 = D1, line 6 = D5.
    let f = Folder::new();
    f.edit("outputs.csv", 4, "consultations", "consultation");
    // O2 needs `consultations`; the problem is reported at O2's id in the scheme (line 182)
    // `    id = "O2"`: 4 spaces and `id = ` put the id at column 10
    assert_finding(&f, "JX0030", "scheme.toml", 182, 10);

    let f = Folder::new();
    f.edit("outputs.csv", 2, ",105,", ",0,")
        .edit("outputs.csv", 3, ",30,", ",0,");
    // cost_per_case = spent / cases_total with 0 cases: `formula = …` is on line 46
    // the whole `formula = …` line is marked, from column 1
    assert_finding(&f, "JX0032", "scheme.toml", 46, 1);

    let f = Folder::new();
    fs::remove_file(f.dir.join("spending.csv")).unwrap();
    assert_finding(&f, "JX0100", "spending.csv", 0, 0);

    let f = Folder::new();
    f.edit("spending.csv", 1, "amount", "amt");
    // the header line, from its start
    assert_finding(&f, "JX0101", "spending.csv", 1, 1);

    let f = Folder::new();
    f.edit("spending.csv", 2, "7200.00", "7200.005");
    // `RJ-SFJ-2022-001,` (16) + `2022-03-28,` (11): the amount starts at column 28
    assert_finding(&f, "JX0102", "spending.csv", 2, 28);

    let f = Folder::new();
    f.edit("spending.csv", 3, "RJ-SFJ-2022-001", "RJ-SFJ-2022-009");
    // the project code opens the row
    assert_finding(&f, "JX0103", "spending.csv", 3, 1);

    let f = Folder::new();
    f.edit("outputs.csv", 3, "cases_criminal", "cases_civil");
    // after `RJ-SFJ-2022-001,` (16 characters): column 17
    assert_finding(&f, "JX0104", "outputs.csv", 3, 17);

    let f = Folder::new();
    f.edit("evaluation.toml", 2, "RJ-SFJ-2022-001", "RJ-SFJ-2022-009");
    assert_finding(&f, "JX0105", "budget.csv", 0, 0);

    let f = Folder::new();
    f.edit("evaluation.toml", 4, "department", "departmnt");
    // the misspelt key opens line 4
    assert_finding(&f, "JX0106", "evaluation.toml", 4, 1);

    let f = Folder::new();
    f.edit("judgments.csv", 2, ",D1,", ",D9,");
    // after `RJ-SFJ-2022-001,` (16 characters): column 17
    assert_finding(&f, "JX0110", "judgments.csv", 2, 17);

    let f = Folder::new();
    // D5 weight 3, 部分达成 is [1.8, 2.4): 2.5 is outside
    f.edit("judgments.csv", 6, ",2,,", ",2.5,,");
    // `RJ-SFJ-2022-001,` (16) + `D5,` (3) + the 15-character tier and its comma (16):
    // the score starts at column 36
    assert_finding(&f, "JX0111", "judgments.csv", 6, 36);

    let f = Folder::new();
    // D1's row becomes a row for another project's indicator → D1 has no judgment
    f.edit("judgments.csv", 2, "达成年度指标,3,", ",,");
    // reported on D1's own row (line 2), at the indicator id after `RJ-SFJ-2022-001,` (16)
    assert_finding(&f, "JX0112", "judgments.csv", 2, 17);

    let f = Folder::new();
    f.edit("judgments.csv", 2, ",3,,,", ",2.5,,,");
    // D1 judged 2.5 of 3 in tier 达成 [2.4, 3]: half a point lost with no reason
    // the whole row is marked
    assert_finding(&f, "JX0113", "judgments.csv", 2, 1);

    let f = Folder::new();
    f.edit("judgments.csv", 3, ",D2,", ",D1,");
    // D1 judged on lines 2 and 3
    assert_finding(&f, "JX0114", "judgments.csv", 3, 1);

    let f = Folder::new();
    // line 6 is the reversal dated 2022-05-22 (header, then five rows before it)
    f.edit("spending.csv", 6, "2022-05-22", "2023-01-05");
    assert_finding(&f, "JX1101", "spending.csv", 6, 1);

    let f = Folder::new();
    f.edit("spending.csv", 3, "记-0316", "记-0315");
    // the voucher of line 2 repeated on line 3
    // `RJ-SFJ-2022-001,` (16) + `2022-03-28,` (11) + `4200.00,` (8): the voucher at column 36
    assert_finding(&f, "JX1102", "spending.csv", 3, 36);

    let f = Folder::new();
    let budget = fs::read_to_string(f.dir.join("budget.csv")).unwrap();
    let row = budget.lines().nth(1).unwrap().to_string();
    fs::write(f.dir.join("budget.csv"), format!("{budget}{row}\n")).unwrap();
    // line 3 repeats line 2; the project code opens the row
    assert_finding(&f, "JX1103", "budget.csv", 3, 1);

    let f = Folder::new();
    f.edit(
        "budget.csv",
        2,
        "100000.00,100000.00,100000.00",
        "60000.00,60000.00,60000.00",
    );
    // 67,900 spent of 60,000: the ledger as a whole, no line
    assert_finding(&f, "JX1104", "spending.csv", 0, 0);

    let f = Folder::new();
    fs::write(f.dir.join("../outside.toml"), "[scheme]\n").unwrap();
    f.edit("evaluation.toml", 3, "scheme.toml", "../outside.toml");
    // line 3 is `scheme = "../outside.toml"`: the value opens after `scheme = `, column 10
    assert_finding(&f, "JX0107", "evaluation.toml", 3, 10);

    let f = Folder::new();
    f.edit("outputs.csv", 2, ",105,", ",【待填写：民事案件数】,");
    // `RJ-SFJ-2022-001,cases_civil,` is 28 characters: the placeholder opens at column 29
    assert_finding(&f, "JX1105", "outputs.csv", 2, 29);

    let f = Folder::new();
    // judgments.csv line 8 is P2's reason row; without its reason, 预算执行率 loses 5 − 2 = 3
    // points with nothing said (no row to point at: the file)
    f.edit(
        "judgments.csv",
        8,
        "预算编制偏大，年度支出6.79万元低于预算10万元",
        "",
    );
    assert_finding(&f, "JX1106", "judgments.csv", 0, 0);

    let f = Folder::new();
    // spending.csv line 2 is the first payment, 7,200.00: made −92,800.00, the 16 rows add
    // up to 67,900 − 7,200 − 92,800 = −32,100 (a reversal larger than all the payments);
    // the warning names the project's first row, from column 1 (the whole row)
    f.edit("spending.csv", 2, ",7200.00,", ",-92800.00,");
    assert_finding(&f, "JX1107", "spending.csv", 2, 1);
}

/// docs/checks.md quotes the real message of every scheme fixture (in English, as the
/// English docs do); a changed message must be changed in the docs too.
#[test]
fn docs_quote_the_current_messages() {
    let docs = fs::read_to_string("docs/checks.md").unwrap();
    for path in fixtures() {
        let out = cargo_bin_cmd!("jixiao")
            .args(["--lang", "en", "check"])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let first = text.lines().next().unwrap();
        assert!(
            docs.contains(first),
            "docs/checks.md does not quote `{first}` ({})",
            path.display()
        );
        let code = expectation(&path).0;
        assert!(
            docs.contains(&format!("## {code} — ")),
            "docs/checks.md has no heading for {code}"
        );
    }
    for code in jixiao::check::codes() {
        assert!(
            docs.contains(&format!("<a id=\"{}\"></a>", code.as_str().to_lowercase())),
            "docs/checks.md has no section for {code}"
        );
    }
}

/// The monitoring sheets of a folder (`jixiao monitor`, docs/monitor.md): monitored as of
/// the date in their names, the two rules applied.
#[test]
fn monitoring_sheet_findings() {
    // monitoring-2022-07-31.csv: line 2 the project's row, line 3 O2, line 4 O3.
    // As of 2022-07-31 O3 is red (15 ÷ (50 × 58.33%) × 100 = 51.43 < 60); without its
    // causes and analysis that is JX0120, at O3 (after `RJ-SFJ-2022-001,`: column 17)
    let f = Folder::new();
    f.edit(
        "monitoring-2022-07-31.csv",
        4,
        "人员保障、其他,农民工欠薪求助集中在年底春节前；中心仅2名专职人员",
        ",",
    );
    assert_finding(&f, "JX0120", "monitoring-2022-07-31.csv", 4, 17);

    // the budget light is red too (51.05): the project's row without its cause, on line 2
    let f = Folder::new();
    f.edit(
        "monitoring-2022-07-31.csv",
        2,
        "其他,办案补贴按季度结算，宣传、培训活动安排在下半年",
        ",",
    );
    assert_finding(&f, "JX0120", "monitoring-2022-07-31.csv", 2, 1);

    // O2 judged 完全不可能 with no 整改措施 on its row: a warning at O2 (column 17)
    let f = Folder::new();
    f.edit("monitoring-2022-07-31.csv", 3, "有可能", "完全不可能");
    assert_finding(&f, "JX1201", "monitoring-2022-07-31.csv", 3, 17);
    // with one, nothing
    let f = Folder::new();
    f.edit(
        "monitoring-2022-07-31.csv",
        3,
        "有可能,500,,,",
        "完全不可能,400,,,调整目标",
    );
    assert!(f.findings().is_empty(), "{:?}", f.findings());
}
