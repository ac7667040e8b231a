//! Bad input: every problem names file, line, field and value; exit status 1.
//!
//! Each test copies the shipped sample (`samples/legal-aid-2022`) and its scheme
//! (`indicators/legal-aid-2022.toml`, copied next to the CSV files as `scheme.toml`) into a
//! temporary folder, changes one thing, and runs `jixiao score` on the copy. The shipped
//! sample is never touched. Line numbers are 1-based and worked out by hand from the fixture
//! text; the comments next to them say how.
//!
//! No test is ignored: the bugs that `#[ignore]`d tests used to track are all fixed.
//!
//! Problems are printed to stderr one per line, as
//! `{file}:{line}[:{column}]: error [field]: message; found "value"; expected …`, where
//! `{file}` is the path as given on the command line (here the absolute path of the temporary
//! folder, joined with the file name), followed by the closing line
//! `jixiao: {errors} error(s), {warnings} warning(s); nothing was scored`.

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// What the amount column accepts, as the message ends: `…; expected an amount in 元 with
/// at most 2 decimals, e.g. 67900, …`.
const AMOUNT_EXPECTED: &str = "; expected an amount in 元 with at most 2 decimals";

/// A copy of the sample evaluation in a fresh temporary folder, deleted when dropped.
struct Fixture {
    _tmp: TempDir,
    /// The evaluation folder: `<tmp>/legal-aid-2022`, holding `evaluation.toml`, the four
    /// CSV files and `scheme.toml`.
    dir: PathBuf,
}

impl Fixture {
    /// Copy `samples/legal-aid-2022` and its scheme (as `scheme.toml`), and point
    /// `evaluation.toml` at the copy. Line 3 of `evaluation.toml` is
    /// `scheme = "../../indicators/legal-aid-2022.toml"`; it becomes
    /// `scheme = "scheme.toml"`, one line for one line, so no line number moves.
    fn new() -> Fixture {
        let tmp = TempDir::new().expect("temp dir");
        let dir = tmp.path().join("legal-aid-2022");
        fs::create_dir(&dir).expect("create fixture folder");
        let sample = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/legal-aid-2022"
        ));
        for entry in fs::read_dir(sample).expect("read sample folder") {
            let entry = entry.expect("sample entry");
            if entry.file_type().expect("file type").is_file() {
                fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy sample file");
            }
        }
        fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/indicators/legal-aid-2022.toml"
            ),
            dir.join("scheme.toml"),
        )
        .expect("copy scheme");
        let fx = Fixture { _tmp: tmp, dir };
        fx.replace_line(
            "evaluation.toml",
            3,
            "\"../../indicators/legal-aid-2022.toml\"",
            "\"scheme.toml\"",
        );
        fx
    }

    /// A path inside the evaluation folder (the file need not exist).
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A file of the folder as it appears at the start of a problem line.
    fn file(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    /// `{file}:{line}`, the start of a problem line.
    fn at(&self, name: &str, line: usize) -> String {
        format!("{}:{line}", self.file(name))
    }

    /// `{file}:{line}:{column}`, the start of a problem line with a column.
    fn at_col(&self, name: &str, line: usize, column: usize) -> String {
        format!("{}:{line}:{column}", self.file(name))
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).expect("read fixture file")
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        fs::write(self.path(name), contents).expect("write fixture file");
    }

    fn remove(&self, name: &str) {
        fs::remove_file(self.path(name)).expect("remove fixture file");
    }

    /// Replace the first `from` on line `n` (1-based) of `name` with `to`; line `n` must
    /// contain `from`. Line terminators are kept as they are.
    fn replace_line(&self, name: &str, n: usize, from: &str, to: &str) {
        let text = self.read(name);
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
        assert!(
            n >= 1 && n <= lines.len(),
            "{name} has {} lines, not {n}",
            lines.len()
        );
        let line = &mut lines[n - 1];
        assert!(
            line.contains(from),
            "{name} line {n} does not contain {from:?}: {line:?}"
        );
        *line = line.replacen(from, to, 1);
        self.write(name, lines.concat());
    }

    /// Delete line `n` (1-based) of `name`, which must contain `contains`.
    fn delete_line(&self, name: &str, n: usize, contains: &str) {
        let text = self.read(name);
        let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
        assert!(
            n >= 1 && n <= lines.len(),
            "{name} has {} lines, not {n}",
            lines.len()
        );
        assert!(
            lines[n - 1].contains(contains),
            "{name} line {n} does not contain {contains:?}: {:?}",
            lines[n - 1]
        );
        lines.remove(n - 1);
        self.write(name, lines.concat());
    }

    /// Append `line` as the last line of `name`; returns its 1-based line number.
    fn append_line(&self, name: &str, line: &str) -> usize {
        let mut text = self.read(name);
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(line);
        text.push('\n');
        self.write(name, &text);
        text.lines().count()
    }

    /// Every file of the folder and its bytes, to check that a run changed nothing.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.dir)
    }

    /// `jixiao --lang en score <folder>`, ready to run: these tests read the English
    /// messages (the Chinese ones are tested in `tests/integration/chinese.rs`).
    fn cmd(&self) -> Command {
        let mut cmd = cargo_bin_cmd!("jixiao");
        cmd.args(["--lang", "en", "score"]).arg(&self.dir);
        cmd
    }

    /// Run `jixiao score <folder> <args>`, expecting it to fail; returns stderr.
    fn fail_with(&self, args: &[&str]) -> String {
        fail(self.cmd().args(args))
    }

    /// Run `jixiao score <folder>`, expecting it to fail; returns stderr.
    fn fail(&self) -> String {
        self.fail_with(&[])
    }
}

/// Every file under `dir` (recursively) and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("read folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(snapshot(&path));
        } else {
            let bytes = fs::read(&path).expect("read file");
            files.insert(path, bytes);
        }
    }
    files
}

/// Run a command that must fail on its input: exit status 1, nothing on stdout, no panic.
/// Returns stderr.
fn fail(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run jixiao");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit status\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.is_empty(), "stdout should be empty:\n{stdout}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// The one line of `stderr` that starts with `prefix`.
fn line<'a>(stderr: &'a str, prefix: &str) -> &'a str {
    let found: Vec<&str> = stderr.lines().filter(|l| l.starts_with(prefix)).collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one line starting with {prefix:?}, stderr:\n{stderr}"
    );
    found[0]
}

/// `problem` contains each of `parts`.
fn has(problem: &str, parts: &[&str]) {
    for part in parts {
        assert!(problem.contains(part), "{part:?} missing from:\n{problem}");
    }
}

/// The closing line counts `errors` and `warnings`, and so many problem lines are listed.
fn summary(stderr: &str, errors: usize, warnings: usize) {
    assert_eq!(
        stderr.lines().last(),
        Some(
            format!("jixiao: {errors} error(s), {warnings} warning(s); nothing was scored")
                .as_str()
        ),
        "closing line, stderr:\n{stderr}"
    );
    // A problem line reads `{place}: error: …` or `{place}: error [field]: …`.
    let count = |level: &str| {
        stderr
            .lines()
            .filter(|l| l.contains(&format!(": {level}: ")) || l.contains(&format!(": {level} [")))
            .count()
    };
    assert_eq!(count("error"), errors, "error lines, stderr:\n{stderr}");
    assert_eq!(
        count("warning"),
        warnings,
        "warning lines, stderr:\n{stderr}"
    );
}

// ───────────────────────────── files and columns ─────────────────────────────

#[test]
fn missing_input_file_is_named() {
    let fx = Fixture::new();
    fx.remove("spending.csv");
    let err = fails_without_touching(&fx);
    // No line: the file itself is missing.
    has(
        line(&err, &format!("{}: error: ", fx.file("spending.csv"))),
        &["cannot open", "; expected a readable CSV file"],
    );
    summary(&err, 1, 0);
}

#[test]
fn missing_required_column_lists_found_and_expected_columns() {
    let fx = Fixture::new();
    // Line 1 is the header `project,date,amount,voucher,category,description`.
    fx.replace_line("spending.csv", 1, ",amount,", ",amt,");
    let err = fails_without_touching(&fx);
    has(
        line(
            &err,
            &format!("{}: error [amount]: ", fx.at("spending.csv", 1)),
        ),
        &[
            "missing column \"amount\"",
            "; found \"project,date,amt,voucher,category,description\"",
            "; expected columns project (项目编码/项目代码/项目编号), date (日期/支付日期), \
             amount (金额/支出金额), [voucher (凭证号/凭证编号)]",
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn duplicate_column_is_reported_on_the_header_line() {
    let fx = Fixture::new();
    // Line 1, the header: `voucher` renamed `amount`, so `amount` is the 3rd and 4th column.
    fx.replace_line("spending.csv", 1, ",voucher,", ",amount,");
    let err = fails_without_touching(&fx);
    has(
        line(
            &err,
            &format!("{}: error [amount]: ", fx.at("spending.csv", 1)),
        ),
        &[
            "column \"amount\" appears 2 times",
            "; expected each column once",
        ],
    );
    summary(&err, 1, 0);
}

// ───────────────────────────── rows ─────────────────────────────

/// spending.csv with three bad amounts and two bad dates, all in one file. Line 1 is the
/// header, so the data row k (1-based) is line k + 1:
/// - line 3 (2nd row, 4200.00) amount `abc`;
/// - line 5 (4th row, 1560.00) amount `12.345`, a tenth of a fen;
/// - line 7 (6th row, 8100.00) amount `"1.234,50"`, quoted so the row keeps its 6 fields;
/// - line 9 (8th row, 2022-07-05) date `2022-02-30`;
/// - line 11 (10th row, 2022-08-25) date `March 5`.
fn bad_amounts_and_dates() -> Fixture {
    let fx = Fixture::new();
    fx.replace_line("spending.csv", 3, ",4200.00,", ",abc,");
    fx.replace_line("spending.csv", 5, ",1560.00,", ",12.345,");
    fx.replace_line("spending.csv", 7, ",8100.00,", ",\"1.234,50\",");
    fx.replace_line("spending.csv", 9, ",2022-07-05,", ",2022-02-30,");
    fx.replace_line("spending.csv", 11, ",2022-08-25,", ",March 5,");
    fx
}

#[test]
fn unparsable_amounts_are_reported_on_their_lines() {
    let fx = bad_amounts_and_dates();
    let err = fails_without_touching(&fx);
    for (n, message, value) in [
        (3, "\"abc\" is not an amount", "abc"),
        (5, "\"12.345\" has more precision than a fen", "12.345"),
        (7, "\"1.234,50\" is not an amount", "1.234,50"),
    ] {
        has(
            line(
                &err,
                &format!("{}: error [amount]: ", fx.at("spending.csv", n)),
            ),
            &[message, &format!("; found \"{value}\""), AMOUNT_EXPECTED],
        );
    }
    // The two bad dates of the same run are reported too: 3 + 2 errors.
    summary(&err, 5, 0);
}

#[test]
fn unparsable_dates_are_reported_on_their_lines() {
    let fx = bad_amounts_and_dates();
    let err = fails_without_touching(&fx);
    for (n, message, value) in [
        (
            9,
            "\"2022-02-30\" is not a day of the calendar",
            "2022-02-30",
        ),
        (11, "\"March 5\" is not a date", "March 5"),
    ] {
        has(
            line(
                &err,
                &format!("{}: error [date]: ", fx.at("spending.csv", n)),
            ),
            &[
                message,
                &format!("; found \"{value}\""),
                "; expected a date such as 2022-03-05",
            ],
        );
    }
    // The three bad amounts of the same run are reported too: 2 + 3 errors.
    summary(&err, 5, 0);
}

#[test]
fn line_numbers_count_the_lines_of_a_quoted_multi_line_field() {
    let fx = Fixture::new();
    // Line 4 = third data row (3600.00): a bad amount.
    fx.replace_line("spending.csv", 4, ",3600.00,", ",abc,");
    // Line 2 = first data row: its description, quoted, now spans two lines (2 and 3), so
    // the second data row (4200.00) moves to line 4 and the bad row to line 5.
    fx.replace_line(
        "spending.csv",
        2,
        ",第一季度民事案件办案补贴（24件×300元）",
        ",\"第一季度民事案件\n办案补贴\"",
    );
    let err = fails_without_touching(&fx);
    has(
        line(
            &err,
            &format!("{}: error [amount]: ", fx.at("spending.csv", 5)),
        ),
        &["; found \"abc\"", AMOUNT_EXPECTED],
    );
    summary(&err, 1, 0);
}

#[test]
fn a_byte_order_mark_does_not_hide_the_header_or_shift_lines() {
    let fx = Fixture::new();
    // Line 3 = second data row (4200.00): a bad amount.
    fx.replace_line("spending.csv", 3, ",4200.00,", ",abc,");
    // Saved with a UTF-8 byte order mark, as Excel's "CSV UTF-8" does. The BOM comes before
    // `project` on line 1 and adds no line.
    let text = format!("\u{feff}{}", fx.read("spending.csv"));
    fx.write("spending.csv", text);
    let err = fails_without_touching(&fx);
    // The header is still read (no "missing column \"project\""), and the bad row is line 3.
    assert!(!err.contains("missing column"), "{err}");
    has(
        line(
            &err,
            &format!("{}: error [amount]: ", fx.at("spending.csv", 3)),
        ),
        &[
            "\"abc\" is not an amount",
            "; found \"abc\"",
            AMOUNT_EXPECTED,
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn line_numbers_are_right_in_a_crlf_file() {
    let fx = Fixture::new();
    // Line 2 = first data row, line 4 = third data row (3600.00).
    fx.replace_line("spending.csv", 2, ",7200.00,", ",abc,");
    fx.replace_line("spending.csv", 4, ",3600.00,", ",xyz,");
    // Saved with Windows line endings, as Excel does.
    let text = fx.read("spending.csv").replace('\n', "\r\n");
    fx.write("spending.csv", text);
    let err = fx.fail();
    line(
        &err,
        &format!("{}: error [amount]: \"abc\"", fx.at("spending.csv", 2)),
    );
    line(
        &err,
        &format!("{}: error [amount]: \"xyz\"", fx.at("spending.csv", 4)),
    );
    summary(&err, 2, 0);
}

#[test]
fn line_numbers_count_blank_lines() {
    let fx = Fixture::new();
    // Line 3 (4200.00 row) becomes a blank line; line 4 (3600.00 row) stays line 4.
    fx.replace_line(
        "spending.csv",
        3,
        "RJ-SFJ-2022-001,2022-03-28,4200.00,记-0316,办案补贴,第一季度刑事案件辩护补贴（7件×600元）",
        "",
    );
    fx.replace_line("spending.csv", 4, ",3600.00,", ",abc,");
    let err = fx.fail();
    line(
        &err,
        &format!("{}: error [amount]: ", fx.at("spending.csv", 4)),
    );
    summary(&err, 1, 0);
}

#[test]
fn a_row_with_more_fields_than_the_header_is_an_error() {
    let fx = Fixture::new();
    // Line 2 = first data row; the thousands separator is not quoted, so the row has 7
    // fields against a header of 6, and `amount` would read "7".
    fx.replace_line("spending.csv", 2, ",7200.00,", ",7,200.00,");
    let err = fx.fail();
    line(&err, &format!("{}: error", fx.at("spending.csv", 2)));
    summary(&err, 1, 0);
}

#[test]
fn spending_for_a_project_not_in_the_budget() {
    let fx = Fixture::new();
    // Line 4 = third data row.
    fx.replace_line("spending.csv", 4, "RJ-SFJ-2022-001,", "RJ-SFJ-2022-999,");
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [project]: ", fx.at("spending.csv", 4)),
    );
    has(
        p,
        &[
            "project \"RJ-SFJ-2022-999\" is not in the budget",
            "; found \"RJ-SFJ-2022-999\"",
            &format!("; expected a project of {}", fx.file("budget.csv")),
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn bad_output_value_names_line_and_field() {
    let fx = Fixture::new();
    // outputs.csv line 2 = first data row (cases_civil 105).
    fx.replace_line("outputs.csv", 2, ",105,", ",500余,");
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [value]: ", fx.at("outputs.csv", 2)),
    );
    has(
        p,
        &[
            "; found \"500余\"",
            "; expected a number such as 135, 1,200, 95% or 是/否",
        ],
    );
    summary(&err, 1, 0);
}

// ───────────────────────────── judgments ─────────────────────────────

#[test]
fn judgment_for_an_indicator_the_scheme_does_not_have() {
    let fx = Fixture::new();
    // judgments.csv has a header and 12 rows (lines 1–13): the appended row is line 14.
    let row = fx.append_line(
        "judgments.csv",
        "RJ-SFJ-2022-001,D9,达成年度指标,3,,,legal-aid-2022",
    );
    assert_eq!(row, 14);
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [indicator]: ", fx.at("judgments.csv", 14)),
    );
    has(
        p,
        &[
            "judgment for an indicator the scheme does not have",
            "; found \"D9\"",
            "; expected an indicator id of scheme \"legal-aid-2022\"",
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn unknown_tier_names_the_tiers_accepted() {
    let fx = Fixture::new();
    // Line 4 = third row (D3).
    fx.replace_line("judgments.csv", 4, ",达成年度指标,", ",很好,");
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [tier]: ", fx.at("judgments.csv", 4)),
    );
    has(
        p,
        &[
            "unknown tier",
            "; found \"很好\"",
            "; expected 达成年度指标, 部分达成年度指标并具有一定效果, 未达成年度指标且效果较差 or 不适用",
        ],
    );
    // The unreadable row is reported once: its indicator D3 is not also reported as
    // unjudged (no "qualitative indicator … has no judged tier") or unscored.
    assert!(
        !err.lines().any(|l| l.contains(": error [indicator]: ")),
        "D3 reported again:\n{err}"
    );
    summary(&err, 1, 0);
}

#[test]
fn judged_score_outside_its_tier() {
    let fx = Fixture::new();
    // Line 6 = fifth row: D5, 部分达成年度指标并具有一定效果, score 2 (weight 3).
    fx.replace_line(
        "judgments.csv",
        6,
        ",部分达成年度指标并具有一定效果,2,",
        ",部分达成年度指标并具有一定效果,3,",
    );
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [score]: ", fx.at("judgments.csv", 6)),
    );
    // Tier 部分达成 spans [60%, 80%) of the weight: 3 × 0.6 = 1.8, 3 × 0.8 = 2.4.
    has(
        p,
        &[
            "score 3 of \"D5\" is outside its tier 部分达成年度指标并具有一定效果",
            "; found \"3\"",
            "; expected a score in [1.8, 2.4)",
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn tier_bounds_low_inclusive_high_exclusive() {
    // D5 (weight 3) judged 部分达成: [1.8, 2.4). 2.4 belongs to 达成, 1.8 is in.
    let fx = Fixture::new();
    fx.replace_line(
        "judgments.csv",
        6,
        ",部分达成年度指标并具有一定效果,2,",
        ",部分达成年度指标并具有一定效果,2.4,",
    );
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [score]: ", fx.at("judgments.csv", 6)),
    );
    has(p, &["; found \"2.4\"", "; expected a score in [1.8, 2.4)"]);
    summary(&err, 1, 0);

    let fx = Fixture::new();
    fx.replace_line(
        "judgments.csv",
        6,
        ",部分达成年度指标并具有一定效果,2,",
        ",部分达成年度指标并具有一定效果,1.8,",
    );
    fx.cmd()
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn qualitative_indicator_without_a_judgment() {
    let fx = Fixture::new();
    // Line 2 = first row, D1's judgment.
    fx.delete_line("judgments.csv", 2, ",D1,");
    let err = fx.fail();
    // No line to point at: the row is missing from judgments.csv.
    let p = line(
        &err,
        &format!("{}: error [indicator]: ", fx.file("judgments.csv")),
    );
    has(
        p,
        &[
            "\"D1\" 立项依据充分性",
            "; found \"D1\"",
            "; expected a judgments.csv row with tier and score",
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn points_lost_on_a_judged_indicator_need_a_reason() {
    let fx = Fixture::new();
    // Line 6 = D5, judged 2 of 3 with a reason; the reason is removed.
    fx.replace_line(
        "judgments.csv",
        6,
        ",项目预算比较薄弱，预算的计划性、科学性不强，削弱了预算的约束能力,",
        ",,",
    );
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [reason]: ", fx.at("judgments.csv", 6)),
    );
    // 3 − 2 = 1 point lost.
    has(
        p,
        &[
            "indicator \"D5\" loses 1 points without a reason",
            "; expected 扣分原因 / 偏差原因 in column reason",
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn a_deduction_needs_a_reason() {
    let fx = Fixture::new();
    // A deduction on O1 (quantitative, full marks from data) with an empty reason;
    // appended after the 13 lines of judgments.csv, so it is line 14.
    let row = fx.append_line("judgments.csv", "RJ-SFJ-2022-001,O1,,,1.5,,legal-aid-2022");
    assert_eq!(row, 14);
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [reason]: ", fx.at("judgments.csv", 14)),
    );
    has(
        p,
        &[
            "deduction of 1.5 points on \"O1\" without a reason",
            "; expected 扣分原因 in column reason",
        ],
    );
    summary(&err, 1, 0);
}

// ───────────────────────────── metrics ─────────────────────────────

#[test]
fn metric_the_scheme_needs_but_no_input_provides() {
    let fx = Fixture::new();
    // outputs.csv line 4 = third row, consultations.
    fx.delete_line("outputs.csv", 4, ",consultations,");
    let err = fx.fail();
    // Reported at indicator O2 in the scheme: `[[dimension.group.indicator]]` is line 181,
    // `id = "O2"` line 182 (the indicator's line), `metric = "consultations"` line 185.
    let p = line(
        &err,
        &format!("{}: error [metric]: ", fx.at("scheme.toml", 182)),
    );
    has(
        p,
        &[
            "indicator \"O2\" needs metric \"consultations\" but no input provides it",
            "; found \"consultations\"",
            "; expected a built-in metric, an outputs.csv metric of this project, or a [[metric]] formula",
        ],
    );
    summary(&err, 1, 0);
}

/// cases_civil and cases_criminal set to 0, so `cases_total` is 0 and both formulas
/// dividing by it fail: follow_up_rate (indicator O5) and cost_per_case (O7).
fn zero_cases() -> Fixture {
    let fx = Fixture::new();
    // outputs.csv lines 2 and 3 = the first two rows.
    fx.replace_line("outputs.csv", 2, ",cases_civil,105,", ",cases_civil,0,");
    fx.replace_line(
        "outputs.csv",
        3,
        ",cases_criminal,30,",
        ",cases_criminal,0,",
    );
    fx
}

#[test]
fn zero_denominator_points_at_the_formula_in_the_scheme() {
    let fx = zero_cases();
    let err = fx.fail();
    for (metric, expression, indicator) in [
        ("cost_per_case", "spent / cases_total", "O7"),
        ("follow_up_rate", "follow_ups / cases_total", "O5"),
    ] {
        let p = err
            .lines()
            .find(|l| l.contains(&format!("metric \"{metric}\" divides by zero")))
            .unwrap_or_else(|| panic!("no zero-denominator error for {metric}:\n{err}"));
        assert!(
            p.starts_with(&format!("{}:", fx.file("scheme.toml"))),
            "{p}"
        );
        has(
            p,
            &[
                ": error [formula]: ",
                &format!("divides by zero in {expression} (needed by indicator \"{indicator}\")"),
                "; expected a non-zero denominator, or on_zero = \"zero\" if 0 is the right answer",
            ],
        );
    }
    // and O1 (≥120 件) at 0 of 8 with no reason: a warning (JX1106)
    summary(&err, 2, 1);
}

#[test]
fn zero_denominator_is_reported_on_the_formula_line() {
    let fx = zero_cases();
    let err = fx.fail();
    // scheme lines 37–41: [[metric]], id = "follow_up_rate", name, formula (line 40), unit.
    let p = line(
        &err,
        &format!("{}: error [formula]: ", fx.at("scheme.toml", 40)),
    );
    has(p, &["follow_ups / cases_total"]);
    // scheme lines 43–47: [[metric]], id = "cost_per_case", name, formula (line 46), unit.
    let p = line(
        &err,
        &format!("{}: error [formula]: ", fx.at("scheme.toml", 46)),
    );
    has(p, &["spent / cases_total"]);
    // and O1 (≥120 件) at 0 of 8 with no reason: a warning (JX1106)
    summary(&err, 2, 1);
}

// ───────────────────────────── the scheme ─────────────────────────────

#[test]
fn first_level_weights_must_add_up_to_the_total() {
    let fx = Fixture::new();
    // 产出 40 → 45 (line 168), and inside it, so the lower levels still add up:
    // group 产出数量 20 → 25 (line 172) and its indicator O1 8 → 13 (line 177).
    fx.replace_line("scheme.toml", 168, "weight = 40", "weight = 45");
    fx.replace_line("scheme.toml", 172, "weight = 20", "weight = 25");
    fx.replace_line("scheme.toml", 177, "weight = 8", "weight = 13");
    let err = fx.fail();
    // Dimension weights: 决策 line 53, 过程 line 107, 产出 line 168, 效益 line 239;
    // 15 + 20 + 45 + 25 = 105. Reported at the first of them, on its value:
    // `weight = 15` starts at column 1, so the 15 is at column 10.
    let p = line(
        &err,
        &format!(
            "{}: error [dimension.weight]: ",
            fx.at_col("scheme.toml", 53, 10)
        ),
    );
    has(
        p,
        &[
            "first-level weights add up to 105 but the scheme total is 100",
            "(weights on lines 53, 107, 168, 239)",
            "; expected dimension weights that add up to 100",
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn group_whose_indicator_weights_do_not_add_up() {
    let fx = Fixture::new();
    // D1 weight 3 → 4 (line 62): group 项目立项 (weight 5, line 57) now holds 4 + 2 = 6.
    fx.replace_line("scheme.toml", 62, "weight = 3", "weight = 4");
    let err = fx.fail();
    // Line 57 is `  weight = 5`: 2 spaces + "weight = " (9 characters), the value at column 12.
    let p = line(
        &err,
        &format!("{}: error [weight]: ", fx.at_col("scheme.toml", 57, 12)),
    );
    has(
        p,
        &[
            "group \"项目立项\" has weight 5 but its indicator weights add up to 6 (lines 62, 68)",
            "; expected indicator weights that add up to 5",
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn target_that_does_not_parse() {
    let fx = Fixture::new();
    // O1's target, line 179: `    target = ">= 120 件"`.
    fx.replace_line("scheme.toml", 179, "\">= 120 件\"", "\"很多\"");
    let err = fx.fail();
    // 4 spaces + `target = ` (9 characters): the string starts at column 14.
    let p = line(
        &err,
        &format!("{}: error [target]: ", fx.at_col("scheme.toml", 179, 14)),
    );
    has(
        p,
        &[
            "target \"很多\"",
            "; found \"很多\"",
            "; expected a comparison, a number and a unit",
        ],
    );
    summary(&err, 1, 0);
}

#[test]
fn duplicate_indicator_id() {
    let fx = Fixture::new();
    // D2's id, line 66, renamed D1 (D1's id is on line 60).
    fx.replace_line("scheme.toml", 66, "\"D2\"", "\"D1\"");
    let err = fx.fail();
    // Line 66 is `    id = "D1"`: 4 spaces + `id = ` (5 characters), the string at column 10.
    let p = line(
        &err,
        &format!(
            "{}: error [indicator.id]: ",
            fx.at_col("scheme.toml", 66, 10)
        ),
    );
    has(p, &["indicator id \"D1\" is used twice (first on line 60)"]);
    summary(&err, 1, 0);
}

#[test]
fn duplicate_indicator_id_names_value_and_expectation() {
    let fx = Fixture::new();
    fx.replace_line("scheme.toml", 66, "\"D2\"", "\"D1\"");
    let err = fx.fail();
    let p = line(
        &err,
        &format!(
            "{}: error [indicator.id]: ",
            fx.at_col("scheme.toml", 66, 10)
        ),
    );
    has(p, &["; found \"D1\"", "; expected "]);
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    let fx = Fixture::new();
    // Line 62, `    weight = 3` → `    weight = = 3`: 4 spaces + "weight = " is 13
    // characters, the stray `=` is at column 14.
    fx.replace_line("scheme.toml", 62, "weight = 3", "weight = = 3");
    let err = fx.fail();
    line(
        &err,
        &format!("{}: error: ", fx.at_col("scheme.toml", 62, 14)),
    );
    summary(&err, 1, 0);
}

#[test]
fn toml_syntax_error_column_counts_characters_not_bytes() {
    let fx = Fixture::new();
    // Line 93, `    name = "预算编制科学性"`, loses its closing quote. 4 spaces + `name = ` is 11
    // characters, the quote is column 12, the 7 Chinese characters are columns 13–19, so
    // the line ends at column 20 (in bytes it would be 33).
    fx.replace_line("scheme.toml", 93, "\"预算编制科学性\"", "\"预算编制科学性");
    let err = fx.fail();
    line(
        &err,
        &format!("{}: error: ", fx.at_col("scheme.toml", 93, 20)),
    );
    summary(&err, 1, 0);
}

#[test]
fn unknown_key_in_the_scheme() {
    let fx = Fixture::new();
    // D1's weight, line 62, misspelt; the key starts after 4 spaces, at column 5.
    fx.replace_line("scheme.toml", 62, "weight = 3", "wieght = 3");
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [", fx.at_col("scheme.toml", 62, 5)),
    );
    has(
        p,
        &[
            "unknown key `wieght`",
            "found \"wieght\"",
            "expected one of id, name, weight,",
            "help: did you mean `weight`?",
        ],
    );
    // The misspelt key is one mistake: `weight` is not also reported missing.
    summary(&err, 1, 0);
}

#[test]
fn scheme_file_given_with_dash_dash_scheme_that_does_not_exist() {
    let fx = Fixture::new();
    let missing = fx.path("no-such-scheme.toml");
    let err = fx.fail_with(&["--scheme", missing.to_str().expect("UTF-8 path")]);
    let p = line(&err, &format!("{}: error: ", missing.display()));
    has(
        p,
        &[
            "cannot read the scheme file",
            "; expected a readable UTF-8 TOML file",
        ],
    );
    summary(&err, 1, 0);
}

// ───────────────────────────── evaluation.toml ─────────────────────────────

#[test]
fn unknown_key_in_evaluation_toml() {
    let fx = Fixture::new();
    // Line 2: `project = "RJ-SFJ-2022-001"`; the key is at column 1.
    fx.replace_line("evaluation.toml", 2, "project =", "projekt =");
    let err = fx.fail();
    let p = line(
        &err,
        &format!("{}: error [projekt]: ", fx.at_col("evaluation.toml", 2, 1)),
    );
    has(p, &["unknown key `projekt`", "did you mean `project`?"]);
}

#[test]
fn evaluation_toml_error_is_reported_once() {
    let fx = Fixture::new();
    fx.replace_line("evaluation.toml", 2, "project =", "projekt =");
    let err = fx.fail();
    assert!(!err.contains("no scheme given"), "{err}");
    summary(&err, 1, 0);
}

// ───────────────────────────── several problems at once ─────────────────────────────

#[test]
fn problems_in_four_files_are_all_reported_and_counted() {
    let fx = Fixture::new();
    // scheme.toml: D1 weight 3 → 4 (line 62); group 项目立项 (line 57, column 12) no longer adds up.
    fx.replace_line("scheme.toml", 62, "weight = 3", "weight = 4");
    // spending.csv: a bad amount on line 3 (second row) and a bad date on line 9 (eighth row).
    fx.replace_line("spending.csv", 3, ",4200.00,", ",abc,");
    fx.replace_line("spending.csv", 9, ",2022-07-05,", ",2022-02-30,");
    // outputs.csv: a bad value on line 2 (first row).
    fx.replace_line("outputs.csv", 2, ",105,", ",many,");
    // judgments.csv: a bad score on line 4 (third row, D3).
    fx.replace_line("judgments.csv", 4, ",达成年度指标,2,", ",达成年度指标,x,");
    let before = fx.snapshot();
    let err = fx.fail();
    line(
        &err,
        &format!("{}: error [weight]: ", fx.at_col("scheme.toml", 57, 12)),
    );
    has(
        line(
            &err,
            &format!("{}: error [amount]: ", fx.at("spending.csv", 3)),
        ),
        &["; found \"abc\""],
    );
    has(
        line(
            &err,
            &format!("{}: error [date]: ", fx.at("spending.csv", 9)),
        ),
        &["; found \"2022-02-30\""],
    );
    has(
        line(
            &err,
            &format!("{}: error [value]: ", fx.at("outputs.csv", 2)),
        ),
        &["; found \"many\""],
    );
    has(
        line(
            &err,
            &format!("{}: error [score]: ", fx.at("judgments.csv", 4)),
        ),
        &[
            "; found \"x\"",
            "; expected points from 0 to 1000000 with at most 2 decimals, such as 3 or 2.5",
        ],
    );
    summary(&err, 5, 0);
    assert_eq!(fx.snapshot(), before, "a failing run changed an input file");
}

#[test]
fn bad_rows_and_an_unknown_indicator_are_reported_in_one_run() {
    let fx = Fixture::new();
    // spending.csv: bad amount on line 3, bad date on line 9 (header is line 1).
    fx.replace_line("spending.csv", 3, ",4200.00,", ",abc,");
    fx.replace_line("spending.csv", 9, ",2022-07-05,", ",2022-02-30,");
    // judgments.csv: an unknown indicator appended after its 13 lines, on line 14.
    let row = fx.append_line(
        "judgments.csv",
        "RJ-SFJ-2022-001,D9,达成年度指标,3,,,legal-aid-2022",
    );
    assert_eq!(row, 14);
    let err = fx.fail();
    line(
        &err,
        &format!("{}: error [amount]: ", fx.at("spending.csv", 3)),
    );
    line(
        &err,
        &format!("{}: error [date]: ", fx.at("spending.csv", 9)),
    );
    has(
        line(
            &err,
            &format!("{}: error [indicator]: ", fx.at("judgments.csv", 14)),
        ),
        &["; found \"D9\""],
    );
    summary(&err, 3, 0);
}

#[test]
fn warnings_are_listed_and_counted_with_errors() {
    let fx = Fixture::new();
    // spending.csv line 5 (fourth data row) dated in 2023: a warning. An unknown indicator
    // appended to judgments.csv (after its 13 lines): an error found when scoring.
    fx.replace_line("spending.csv", 5, ",2022-05-20,", ",2023-01-05,");
    let row = fx.append_line(
        "judgments.csv",
        "RJ-SFJ-2022-001,D9,达成年度指标,3,,,legal-aid-2022",
    );
    assert_eq!(row, 14);
    let err = fx.fail();
    line(
        &err,
        &format!("{}: error [indicator]: ", fx.at("judgments.csv", 14)),
    );
    let w = line(
        &err,
        &format!("{}: warning [date]: ", fx.at("spending.csv", 5)),
    );
    has(w, &["1 spending row(s) dated outside 2022 (line 5)"]);
    // Errors first, then warnings.
    let e_at = err.find(": error [indicator]").expect("error");
    let w_at = err.find(": warning [date]").expect("warning");
    assert!(e_at < w_at, "errors should come before warnings:\n{err}");
    summary(&err, 1, 1);
}

// ───────────────────────────── a warning only ─────────────────────────────

#[test]
fn spending_outside_the_budget_year_is_only_a_warning() {
    let fx = Fixture::new();
    // Line 5 = fourth data row (2022-05-20), moved into 2023; the budget year is 2022.
    fx.replace_line("spending.csv", 5, ",2022-05-20,", ",2023-01-05,");
    let out = cargo_bin_cmd!("jixiao")
        .arg("score")
        .arg(&fx.dir)
        .assert()
        .success()
        .stderr(predicate::str::is_empty())
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("UTF-8");
    // The row still counts: the total is the sample's.
    assert!(out.contains("总分：95.00 / 100"), "{out}");
    let notes = &out[out.find("提示：").expect("notes section")..];
    has(
        notes,
        &[&format!(
            "- {}: 警告 JX1101 [日期]：1 笔支出的日期不在 2022 年内（第 5 行）",
            fx.at("spending.csv", 5)
        )],
    );

    // The same warning in the JSON output.
    let json = fx
        .cmd()
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).expect("JSON output");
    let warnings = v["warnings"].as_array().expect("warnings array");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["file"], fx.file("spending.csv"));
    assert_eq!(w["line"], 5);
    assert_eq!(w["field"], "date");
}

// ───────────────────────────── robustness ─────────────────────────────

/// Run on a broken fixture: exit 1, empty stdout, no panic, every input byte unchanged.
fn fails_without_touching(fx: &Fixture) -> String {
    let before = fx.snapshot();
    let err = fx.fail();
    assert_eq!(fx.snapshot(), before, "a failing run changed an input file");
    err
}

#[test]
fn empty_budget_file() {
    let fx = Fixture::new();
    fx.write("budget.csv", "");
    let err = fails_without_touching(&fx);
    // No header at all: one error for the whole file, at line 1 (where the header should
    // be), naming the columns a header needs, rather than one error per missing column.
    has(
        line(&err, &format!("{}: error: ", fx.at("budget.csv", 1))),
        &[
            "the file is empty: no header row",
            "; expected a header row naming the columns (project (项目编码/项目代码/项目编号), \
             name (项目名称), year (年度/预算年度), initial_budget (年初预算数/年初预算), ",
        ],
    );
    assert!(!err.contains("missing column"), "{err}");
    summary(&err, 1, 0);
}

#[test]
fn budget_with_only_a_header() {
    let fx = Fixture::new();
    fx.write(
        "budget.csv",
        "project,name,year,initial_budget,adjusted_budget,allocated,source\n",
    );
    let err = fails_without_touching(&fx);
    // No data row to point at: the problem is with the file as a whole.
    line(&err, &format!("{}: error", fx.file("budget.csv")));
    summary(&err, 1, 0);
}

#[test]
fn budget_with_only_a_header_says_it_has_no_rows() {
    let fx = Fixture::new();
    fx.write(
        "budget.csv",
        "project,name,year,initial_budget,adjusted_budget,allocated,source\n",
    );
    let err = fx.fail();
    assert!(!err.contains("expected one of: \n"), "{err}");
    has(
        line(&err, &format!("{}: error", fx.file("budget.csv"))),
        &["no rows"],
    );
}

#[test]
fn binary_garbage_as_spending() {
    let fx = Fixture::new();
    // Deterministic bytes that are not UTF-8 (0xFF never occurs in UTF-8), with NULs and
    // newlines among them.
    let garbage: Vec<u8> = std::iter::once(0xFF)
        .chain((0u32..4096).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8))
        .collect();
    fx.write("spending.csv", &garbage);
    let err = fails_without_touching(&fx);
    // The first line (the header) is already not UTF-8.
    has(
        line(&err, &format!("{}: error: ", fx.at("spending.csv", 1))),
        &["not valid UTF-8", "; expected UTF-8 text"],
    );
}

#[test]
fn ragged_rows() {
    let fx = Fixture::new();
    fx.write(
        "spending.csv",
        "project,date,amount,voucher,category,description\n\
         RJ-SFJ-2022-001,2022-03-28,7200.00,记-0315,办案补贴,x\n\
         RJ-SFJ-2022-001,2022-03-29\n\
         RJ-SFJ-2022-001\n\
         RJ-SFJ-2022-001,2022-04-15,3600.00,记-0408,宣传,y,extra,more\n",
    );
    let err = fails_without_touching(&fx);
    // Line 3 lacks the amount; line 4 lacks the date and the amount.
    has(
        line(
            &err,
            &format!("{}: error [amount]: ", fx.at("spending.csv", 3)),
        ),
        &["empty required field", AMOUNT_EXPECTED],
    );
    line(
        &err,
        &format!("{}: error [date]: ", fx.at("spending.csv", 4)),
    );
    line(
        &err,
        &format!("{}: error [amount]: ", fx.at("spending.csv", 4)),
    );
}

#[test]
fn empty_scheme_file() {
    let fx = Fixture::new();
    fx.write("scheme.toml", "");
    let err = fails_without_touching(&fx);
    // An empty file lacks both required top-level keys, [scheme] and [[dimension]]; both
    // are reported at 1:1.
    let at = format!("{}: error ", fx.at_col("scheme.toml", 1, 1));
    has(
        line(&err, &format!("{at}[scheme]: ")),
        &["missing key `scheme`"],
    );
    has(
        line(&err, &format!("{at}[dimension]: ")),
        &["missing key `dimension`"],
    );
    summary(&err, 2, 0);
}

#[test]
fn nonexistent_evaluation_folder() {
    let fx = Fixture::new();
    let missing = fx.path("no-such-folder");
    let before = fx.snapshot();
    let err = fail(
        cargo_bin_cmd!("jixiao")
            .args(["--lang", "en", "score"])
            .arg(&missing),
    );
    has(
        line(&err, &format!("{}: error: ", missing.display())),
        &[
            "no such evaluation folder",
            "; expected a folder holding evaluation.toml and the CSV files",
        ],
    );
    summary(&err, 1, 0);
    assert!(!missing.exists(), "the run created the folder");
    assert_eq!(fx.snapshot(), before);
}

#[test]
fn huge_wan_amount_is_an_error_not_a_panic() {
    let fx = Fixture::new();
    // Line 2 = first data row. Decimal::MAX × 10000 does not fit.
    fx.replace_line(
        "spending.csv",
        2,
        ",7200.00,",
        ",79228162514264337593543950335万,",
    );
    let err = fails_without_touching(&fx);
    line(
        &err,
        &format!("{}: error [amount]: ", fx.at("spending.csv", 2)),
    );
}

#[test]
fn spending_total_overflow_is_an_error_not_a_panic() {
    let fx = Fixture::new();
    // Lines 2 and 3 = the first two rows, each Decimal::MAX: their sum overflows.
    fx.replace_line(
        "spending.csv",
        2,
        ",7200.00,",
        ",79228162514264337593543950335,",
    );
    fx.replace_line(
        "spending.csv",
        3,
        ",4200.00,",
        ",79228162514264337593543950335,",
    );
    let err = fails_without_touching(&fx);
    assert!(err.contains(&fx.file("spending.csv")), "{err}");
}

#[test]
fn huge_wan_output_value_is_an_error_not_a_panic() {
    let fx = Fixture::new();
    // outputs.csv line 4 = third row (consultations 500 起), now in 万元.
    fx.replace_line(
        "outputs.csv",
        4,
        ",500,起,",
        ",79228162514264337593543950335,万元,",
    );
    let err = fails_without_touching(&fx);
    line(
        &err,
        &format!("{}: error [value]: ", fx.at("outputs.csv", 4)),
    );
}
