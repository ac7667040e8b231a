//! The files finance officers really have, through the CLI: GBK and UTF-8-with-BOM CSV,
//! Excel workbooks with title rows, Chinese headers, amounts and dates; the data checks
//! (duplicate vouchers, problems capped per file); and safe output (`--output`, `--format
//! csv`). Every rejection names file, line, field and value.
//!
//! Each test works on a copy of a shipped sample in a temporary folder; the samples are
//! never touched. Expected values are worked out by hand in the comments.

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use rust_xlsxwriter::{Format, Formula, Workbook};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

#[allow(dead_code)]
#[path = "../../samples/legal-aid-2022-excel/generate.rs"]
mod generate;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/legal-aid-2022");
const EXCEL_SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/legal-aid-2022-excel");
const SCHEME: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/indicators/legal-aid-2022.toml"
);

/// A copy of the legal-aid sample (`evaluation.toml` pointing at `scheme.toml` beside it).
struct Fixture {
    _tmp: TempDir,
    dir: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = TempDir::new().unwrap();
        let dir = tmp.path().join("eval");
        fs::create_dir(&dir).unwrap();
        for e in fs::read_dir(SAMPLE).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                fs::copy(e.path(), dir.join(e.file_name())).unwrap();
            }
        }
        fs::copy(SCHEME, dir.join("scheme.toml")).unwrap();
        let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
        fs::write(
            dir.join("evaluation.toml"),
            eval.replace("../../indicators/legal-aid-2022.toml", "scheme.toml"),
        )
        .unwrap();
        Fixture { _tmp: tmp, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// `{file}:{line}`, the start of a problem line.
    fn at(&self, name: &str, line: usize) -> String {
        format!("{}:{line}", self.path(name).display())
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap()
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        fs::write(self.path(name), bytes).unwrap();
    }

    /// `jixiao --lang en score <folder>`: these tests read the English messages.
    fn cmd(&self) -> Command {
        let mut c = cargo_bin_cmd!("jixiao");
        c.args(["--lang", "en", "score"]).arg(&self.dir);
        c
    }

    /// Every file of the folder and its bytes.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                let b = fs::read(&p).unwrap();
                (p, b)
            })
            .collect()
    }
}

/// The JSON result of `jixiao score DIR --format json ARGS`, which must succeed.
fn json_of(dir: &Path, args: &[&str]) -> Value {
    let out = cargo_bin_cmd!("jixiao")
        .arg("score")
        .arg(dir)
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Run a command that must fail on its input (status 1, nothing on stdout); its stderr.
fn fail(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(out.stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// The one line of `stderr` starting with `prefix`; it must contain each of `parts`.
fn line_with(stderr: &str, prefix: &str, parts: &[&str]) {
    let found: Vec<&str> = stderr.lines().filter(|l| l.starts_with(prefix)).collect();
    assert_eq!(found.len(), 1, "one line starting {prefix:?} in:\n{stderr}");
    for p in parts {
        assert!(found[0].contains(p), "{p:?} missing from:\n{}", found[0]);
    }
}

/// Paths where two JSON values differ (empty when equal), field by field.
fn differences(a: &Value, b: &Value, at: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: Vec<&String> = x
                .keys()
                .chain(y.keys().filter(|k| !x.contains_key(*k)))
                .collect();
            for k in keys {
                differences(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    &format!("{at}.{k}"),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, &format!("{at}[{i}]"), out);
            }
        }
        // A warning names the file it is about: judgments.csv in one, 评价意见.xlsx in the other.
        _ if at.starts_with(".warnings[") && at.ends_with(".file") => {}
        _ if a != b => out.push(format!("{at}: {a} vs {b}")),
        _ => {}
    }
}

fn assert_same_result(plain: &Value, other: &Value) {
    let mut diffs = Vec::new();
    differences(plain, other, "", &mut diffs);
    assert!(diffs.is_empty(), "differences:\n{}", diffs.join("\n"));
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

// ───────────────────────── the sample in other files ─────────────────────────

#[test]
fn excel_sample_scores_exactly_like_the_utf8_sample() {
    let plain = json_of(Path::new(SAMPLE), &[]);
    // 100 − (D5 1 + P2 3 + B2 1) = 95 → 优; 67,900 / 100,000 = 0.679 (67.90%)
    assert_eq!(plain["total_score"], 95);
    assert_eq!(plain["grade"], "优");
    assert_eq!(plain["metrics"]["execution_rate"].as_f64(), Some(0.679));
    assert_eq!(plain["metrics"]["spent"], "67900.00");
    assert_eq!(plain["metrics"]["spending_rows"], 16);
    // GBK CSV (budget, ledger) + xlsx (outputs, judgments), named in [files]
    let gbk_and_xlsx = json_of(Path::new(EXCEL_SAMPLE), &[]);
    assert_same_result(&plain, &gbk_and_xlsx);
    // all four as xlsx under the default names
    let all_xlsx = json_of(&Path::new(EXCEL_SAMPLE).join("xlsx"), &[]);
    assert_same_result(&plain, &all_xlsx);
    // and under the standard scheme: 预算执行率 6.79 of 10, total 96.79
    let std_scheme = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/indicators/project-self-evaluation.toml"
    );
    let plain = json_of(Path::new(SAMPLE), &["--scheme", std_scheme]);
    assert_eq!(plain["total_score"].as_f64(), Some(96.79));
    // whose 预算执行率 loses 10 − 6.79 = 3.21 with no reason under this scheme (the sample's
    // reason row is for legal-aid-2022): said, in both
    assert_eq!(plain["warnings"][0]["code"], "JX1106", "{plain:#}");
    let excel = json_of(Path::new(EXCEL_SAMPLE), &["--scheme", std_scheme]);
    assert_same_result(&plain, &excel);
}

#[test]
fn excel_sample_files_are_current() {
    let tmp = TempDir::new().unwrap();
    generate::generate(tmp.path()).unwrap();
    for name in [
        "预算.csv",
        "支出明细.csv",
        "产出数据.xlsx",
        "评价意见.xlsx",
        "xlsx/budget.xlsx",
        "xlsx/spending.xlsx",
        "xlsx/outputs.xlsx",
        "xlsx/judgments.xlsx",
    ] {
        let fresh = fs::read(tmp.path().join(name)).unwrap();
        let committed = fs::read(Path::new(EXCEL_SAMPLE).join(name)).unwrap();
        assert!(
            fresh == committed,
            "{name} is stale: run `cargo run --example legal-aid-excel-sample`"
        );
    }
    // The ledger really is GBK: not UTF-8, and 「记」 is BC C7.
    let ledger = fs::read(Path::new(EXCEL_SAMPLE).join("支出明细.csv")).unwrap();
    assert!(std::str::from_utf8(&ledger).is_err());
    assert!(ledger.windows(2).any(|w| w == b"\xBC\xC7"));
}

#[test]
fn utf8_with_bom_scores_the_same() {
    let fx = Fixture::new();
    for f in ["budget.csv", "spending.csv", "outputs.csv", "judgments.csv"] {
        let text = fx.read(f);
        fx.write(f, format!("\u{FEFF}{}", text.replace('\n', "\r\n")));
    }
    let plain = json_of(&Fixture::new().dir, &[]);
    assert_same_result(&plain, &json_of(&fx.dir, &[]));
}

#[test]
fn gbk_csv_scores_the_same_in_auto_and_forced_gb18030() {
    let fx = Fixture::new();
    for f in ["budget.csv", "spending.csv", "outputs.csv", "judgments.csv"] {
        fx.write(f, gbk(&fx.read(f)));
    }
    let plain = json_of(&Fixture::new().dir, &[]);
    assert_same_result(&plain, &json_of(&fx.dir, &[]));
    assert_same_result(&plain, &json_of(&fx.dir, &["--encoding", "gb18030"]));
    assert_same_result(&plain, &json_of(&fx.dir, &["--encoding", "gbk"]));
}

// ───────────────────────── encodings: rejections ─────────────────────────

#[test]
fn gbk_read_as_forced_utf8_names_line_field_and_bytes() {
    let fx = Fixture::new();
    fx.write("spending.csv", gbk(&fx.read("spending.csv")));
    let err = fail(fx.cmd().args(["--encoding", "utf-8"]));
    // Line 2 is the first row; its first non-ASCII cell is the voucher 记-0315. 「记」 is
    // BC C7 in GBK, and BC cannot start a UTF-8 character: that byte is the one shown.
    line_with(
        &err,
        &format!("{}: error [voucher]: ", fx.at("spending.csv", 2)),
        &[
            "bytes that are not valid UTF-8 (--encoding utf-8)",
            "found \"\\xBC\"",
            "expected UTF-8 text",
        ],
    );
    // Every one of the 16 rows holds Chinese: 16 lines, no more.
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("not valid UTF-8"))
            .count(),
        16
    );
}

#[test]
fn bytes_neither_utf8_nor_gbk_are_an_error_at_their_line() {
    let fx = Fixture::new();
    let mut bytes = gbk(&fx.read("spending.csv"));
    // Line 4 (宣传折页) gets a 0xFF in its description: no encoding has it.
    let text = fx.read("spending.csv");
    let line4 = text.lines().nth(3).unwrap();
    assert!(line4.ends_with("宣传折页印制"));
    let at = bytes
        .windows(4)
        .position(|w| w == gbk("印制").as_slice())
        .unwrap();
    bytes.insert(at, 0xFF);
    fx.write("spending.csv", &bytes);
    let before = fx.snapshot();
    let err = fail(&mut fx.cmd());
    assert_eq!(fx.snapshot(), before);
    line_with(
        &err,
        &format!("{}: error [description]: ", fx.at("spending.csv", 4)),
        &[
            "the file is not valid UTF-8, and these bytes are not valid GB18030 (GBK) either",
            "found \"\\xFF\"",
        ],
    );
}

#[test]
fn utf16_is_refused_with_a_hint() {
    let fx = Fixture::new();
    let text = fx.read("budget.csv");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    fx.write("budget.csv", bytes);
    let err = fail(&mut fx.cmd());
    line_with(
        &err,
        &format!("{}: error: the file is UTF-16 text", fx.at("budget.csv", 1)),
        &["expected UTF-8 text"],
    );
}

// ───────────────────────── headers, title rows, amounts, dates ─────────────────────────

#[test]
fn chinese_headers_below_title_rows_and_chinese_amounts_in_gbk() {
    let fx = Fixture::new();
    // Two title rows, a blank line, then the header (line 4) and one row per form.
    // 7,200 + 4,200 + 3,600 + 1,560 − 280 + 8,100 + 4,800 + 600 + 2,850 + 4,800
    // + 7,800 + 4,200 + 3,120 + 2,150 + 8,400 + 4,800 = 67,900, as in the sample.
    let ledger = "2022年支出明细账\r\n单位：元\r\n\r\n\
        项目编码,日期,金额,凭证号,支出科目,摘要\r\n\
        RJ-SFJ-2022-001,2022年3月28日,\"¥7,200.00\",记-0315,办案补贴,a\r\n\
        RJ-SFJ-2022-001,2022-03-28,0.42万元,记-0316,办案补贴,b\r\n\
        RJ-SFJ-2022-001,2022/4/15,\"￥3,600.00\",记-0408,宣传,c\r\n\
        RJ-SFJ-2022-001,2022.5.20,1560元,记-0512,办公用品,d\r\n\
        RJ-SFJ-2022-001,20220522,（280.00）,记-0517,办公用品,e\r\n\
        RJ-SFJ-2022-001,２０２２年６月２７日,８１００,记-0622,办案补贴,f\r\n\
        RJ-SFJ-2022-001,2022-06-27,0.48万,记-0623,办案补贴,g\r\n\
        RJ-SFJ-2022-001,2022-07-05,600.00,记-0703,通讯费,h\r\n\
        RJ-SFJ-2022-001,2022-08-10,2850,记-0806,宣传,i\r\n\
        RJ-SFJ-2022-001,2022-08-25,\"4,800.00\",记-0819,培训,j\r\n\
        RJ-SFJ-2022-001,2022-09-26,7800,记-0918,办案补贴,k\r\n\
        RJ-SFJ-2022-001,2022-09-26,4200,记-0919,办案补贴,l\r\n\
        RJ-SFJ-2022-001,2022-10-12,3120,记-1007,差旅,m\r\n\
        RJ-SFJ-2022-001,2022-11-18,2150,记-1111,宣传,n\r\n\
        RJ-SFJ-2022-001,2022-12-20,8400,记-1215,办案补贴,o\r\n\
        RJ-SFJ-2022-001,2022-12-20,(-4800),记-1216,办案补贴,p\r\n";
    fx.write("spending.csv", gbk(ledger));
    // (-4800) is refused: negative twice. Line 20 = 4 header lines + 16th row.
    let err = fail(&mut fx.cmd());
    line_with(
        &err,
        &format!("{}: error [amount]: ", fx.at("spending.csv", 20)),
        &["is negative twice", "found \"(-4800)\""],
    );
    assert_eq!(err.lines().count(), 2, "one error and the count:\n{err}");
    fx.write(
        "spending.csv",
        gbk(&ledger.replace("(-4800)", "\"4,800.00\"")),
    );
    let v = json_of(&fx.dir, &[]);
    assert_eq!(v["metrics"]["spent"], "67900.00");
    assert_eq!(v["total_score"], 95);
}

#[test]
fn rejected_amounts_name_file_line_field_and_value() {
    let fx = Fixture::new();
    let text = fx.read("spending.csv");
    // Lines 2–6 get one refused form each.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for (n, (from, to)) in [
        (2, ("7200.00", "\"1.234,50\"")),
        (3, ("4200.00", "12.345")),
        (4, ("3600.00", "abc")),
        (5, ("1560.00", "")),
        (6, ("-280.00", "\"12,34\"")),
    ] {
        assert!(lines[n - 1].contains(from));
        lines[n - 1] = lines[n - 1].replacen(from, to, 1);
    }
    fx.write("spending.csv", gbk(&(lines.join("\r\n") + "\r\n")));
    let err = fail(&mut fx.cmd());
    let amount = |n: usize| format!("{}: error [amount]: ", fx.at("spending.csv", n));
    line_with(
        &err,
        &amount(2),
        &["is not an amount", "found \"1.234,50\""],
    );
    line_with(
        &err,
        &amount(3),
        &["more precision than a fen", "found \"12.345\""],
    );
    line_with(&err, &amount(4), &["is not an amount", "found \"abc\""]);
    line_with(&err, &amount(5), &["empty required field"]);
    line_with(&err, &amount(6), &["is not an amount", "found \"12,34\""]);
}

#[test]
fn a_header_missing_a_column_is_reported_on_the_likeliest_row() {
    let fx = Fixture::new();
    // Title on line 1; the header on line 2 names all but the amount.
    fx.write(
        "spending.csv",
        "支出明细\nproject,date,voucher\nRJ-SFJ-2022-001,2022-03-28,记-0315\n",
    );
    let err = fail(&mut fx.cmd());
    line_with(
        &err,
        &format!(
            "{}: error [amount]: missing column",
            fx.at("spending.csv", 2)
        ),
        &["found \"project,date,voucher\""],
    );
}

// ───────────────────────── Excel ─────────────────────────

/// A workbook with one sheet `name`: a title row, then `header`, then `rows` of cells
/// written by `write(sheet, row, col, value)`.
fn workbook(path: &Path, sheets: &[(&str, Vec<Vec<Cell>>)]) {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::S(s) => sheet.write_string(r, c, *s).map(|_| ()),
                    Cell::N(n) => sheet.write_number(r, c, *n).map(|_| ()),
                    Cell::F(n, f) => sheet
                        .write_number_with_format(r, c, *n, &Format::new().set_num_format(*f))
                        .map(|_| ()),
                    Cell::Formula(f, result) => sheet
                        .write_formula(r, c, Formula::new(*f).set_result(*result))
                        .map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

enum Cell {
    S(&'static str),
    N(f64),
    /// A number with a number format.
    F(f64, &'static str),
    /// A formula and its cached result.
    Formula(&'static str, &'static str),
    Empty,
}

use Cell::{Empty, F, N, S};

fn ledger_header() -> Vec<Cell> {
    vec![S("项目编码"), S("日期"), S("金额"), S("凭证号")]
}

#[test]
fn excel_numbers_keep_no_binary_noise() {
    let fx = Fixture::new();
    fs::remove_file(fx.path("spending.csv")).unwrap();
    // 0.1 + 0.2 is 0.30000000000000004 as a double; Excel shows 0.3 and so do we:
    // 67,899.70 + 0.30 = 67,900.00, the sample's total, so the result is the sample's.
    workbook(
        &fx.path("spending.xlsx"),
        &[(
            "支出",
            vec![
                vec![S("2022年支出明细")],
                ledger_header(),
                vec![
                    S("RJ-SFJ-2022-001"),
                    S("2022-03-28"),
                    N(67_899.7),
                    S("记-1"),
                ],
                vec![
                    S("RJ-SFJ-2022-001"),
                    S("2022-03-29"),
                    N(0.1 + 0.2),
                    S("记-2"),
                ],
            ],
        )],
    );
    let v = json_of(&fx.dir, &[]);
    assert_eq!(v["metrics"]["spent"], "67900.00");
    assert_eq!(v["total_score"], 95);
}

#[test]
fn excel_rejections_give_the_row_and_the_column() {
    let fx = Fixture::new();
    fs::remove_file(fx.path("spending.csv")).unwrap();
    workbook(
        &fx.path("spending.xlsx"),
        &[(
            "支出",
            vec![
                vec![S("2022年支出明细")],
                vec![Empty],
                ledger_header(),
                // row 4: a fen and a half
                vec![
                    S("RJ-SFJ-2022-001"),
                    S("2022-03-28"),
                    N(1560.005),
                    S("记-1"),
                ],
                // row 5: an error value
                vec![
                    S("RJ-SFJ-2022-001"),
                    S("2022-03-29"),
                    Cell::Formula("=1/0", "#DIV/0!"),
                    S("记-2"),
                ],
                // row 6: a date written as text that is no date
                vec![S("RJ-SFJ-2022-001"), S("2022-02-30"), N(100.0), S("记-3")],
            ],
        )],
    );
    let err = fail(&mut fx.cmd());
    let at = |n| format!("{}: error ", fx.at("spending.xlsx", n));
    line_with(
        &err,
        &format!("{}[amount]: ", at(4)),
        &["more precision than a fen", "found \"1560.005\""],
    );
    line_with(
        &err,
        &format!("{}[amount]: ", at(5)),
        &[
            "the cell holds the Excel error #DIV/0!",
            "found \"#DIV/0!\"",
        ],
    );
    line_with(
        &err,
        &format!("{}[date]: ", at(6)),
        &["not a day of the calendar", "found \"2022-02-30\""],
    );
}

#[test]
fn excel_percent_cells_read_as_shown() {
    let fx = Fixture::new();
    fs::remove_file(fx.path("outputs.csv")).unwrap();
    // cases_civil 1.05 formatted 0% shows 105%: a percentage, which unit 件 contradicts.
    workbook(
        &fx.path("outputs.xlsx"),
        &[(
            "产出",
            vec![
                vec![S("项目编码"), S("指标"), S("数值"), S("单位")],
                vec![
                    S("RJ-SFJ-2022-001"),
                    S("cases_civil"),
                    F(1.05, "0%"),
                    S("件"),
                ],
            ],
        )],
    );
    let err = fail(&mut fx.cmd());
    line_with(
        &err,
        &format!("{}: error [unit]: ", fx.at("outputs.xlsx", 2)),
        &["a percentage value with a different unit", "found \"件\""],
    );
}

#[test]
fn excel_dates_and_the_sheet_option() {
    let fx = Fixture::new();
    fs::remove_file(fx.path("spending.csv")).unwrap();
    // A first sheet of notes; the ledger on sheet 「支出」 with a real date cell
    // (serial 44648 = 2022-03-28 in the 1900 system) and one in 2023 (serial 44927 =
    // 2023-01-01), which is only a warning.
    workbook(
        &fx.path("spending.xlsx"),
        &[
            ("说明", vec![vec![S("本表为支出明细")]]),
            (
                "支出",
                vec![
                    ledger_header(),
                    vec![
                        S("RJ-SFJ-2022-001"),
                        F(44648.0, "yyyy年m月d日"),
                        N(67_000.0),
                        S("记-1"),
                    ],
                    vec![
                        S("RJ-SFJ-2022-001"),
                        F(44927.0, "yyyy-mm-dd"),
                        N(900.0),
                        S("记-2"),
                    ],
                ],
            ),
        ],
    );
    // The first sheet has no header.
    let err = fail(&mut fx.cmd());
    line_with(
        &err,
        &format!(
            "{}: error [project]: missing column",
            fx.at("spending.xlsx", 1)
        ),
        &["found \"本表为支出明细\""],
    );
    // A sheet that does not exist is named with the sheets there are.
    let err = fail(fx.cmd().args(["--sheet", "支出明细"]));
    line_with(
        &err,
        &format!("{}: error: ", fx.path("spending.xlsx").display()),
        &["the workbook has no sheet \"支出明细\" (sheets: 说明, 支出)"],
    );
    // 67,000 + 900 = 67,900: the sample's total; row 3 is dated 2023.
    let v = json_of(&fx.dir, &["--sheet", "支出"]);
    assert_eq!(v["metrics"]["spent"], "67900.00");
    assert_eq!(v["total_score"], 95);
    let w = &v["warnings"][0];
    assert_eq!(w["line"], 3);
    assert_eq!(
        w["message"],
        "1 spending row(s) dated outside 2022 (line 3)"
    );
}

// ───────────────────────── [files] ─────────────────────────

#[test]
fn files_named_in_evaluation_toml() {
    let fx = Fixture::new();
    fs::rename(fx.path("budget.csv"), fx.path("预算.csv")).unwrap();
    let eval = fx.read("evaluation.toml");
    fx.write(
        "evaluation.toml",
        eval.replacen(
            "\n[[metric]]",
            "\n[files]\nbudget = \"预算.csv\"\n\n[[metric]]",
            1,
        ),
    );
    assert_eq!(json_of(&fx.dir, &[])["total_score"], 95);
    // A named file that is missing is an error, even for an optional input.
    let eval = fx.read("evaluation.toml");
    fx.write(
        "evaluation.toml",
        eval.replace("[files]\n", "[files]\noutputs = \"产出.xlsx\"\n"),
    );
    let err = fail(&mut fx.cmd());
    line_with(
        &err,
        &format!("{}: error: cannot open", fx.path("产出.xlsx").display()),
        &[],
    );
}

// ───────────────────────── data checks ─────────────────────────

#[test]
fn a_duplicate_voucher_is_a_warning_naming_both_lines() {
    let fx = Fixture::new();
    // Line 3's voucher 记-0316 becomes line 2's 记-0315.
    let text = fx.read("spending.csv").replacen("记-0316", "记-0315", 1);
    fx.write("spending.csv", text);
    let v = json_of(&fx.dir, &[]);
    assert_eq!(v["total_score"], 95);
    let w = &v["warnings"][0];
    assert_eq!(w["line"], 3);
    assert_eq!(w["field"], "voucher");
    assert_eq!(w["value"], "记-0315");
    assert_eq!(
        w["message"],
        "voucher 记-0315 of project RJ-SFJ-2022-001 is also on line 2"
    );
}

#[test]
fn problems_are_capped_at_fifty_per_file() {
    let fx = Fixture::new();
    // 120 rows with an amount of three decimals: lines 2–121.
    let mut text = String::from("project,date,amount\n");
    for _ in 0..120 {
        text.push_str("RJ-SFJ-2022-001,2022-03-28,1.001\n");
    }
    fx.write("spending.csv", text);
    let err = fail(&mut fx.cmd());
    // 50 listed (lines 2–51), then one line for the other 70.
    assert_eq!(err.matches("more precision than a fen").count(), 50);
    line_with(
        &err,
        &format!("{}: error [amount]", fx.at("spending.csv", 51)),
        &[],
    );
    line_with(
        &err,
        &format!(
            "{}: error: 70 more problem(s)",
            fx.path("spending.csv").display()
        ),
        &["(70 error(s), 0 warning(s))"],
    );
    assert!(err.ends_with("jixiao: 51 error(s), 0 warning(s); nothing was scored\n"));
}

// ───────────────────────── output ─────────────────────────

#[test]
fn output_file_holds_what_stdout_would() {
    let fx = Fixture::new();
    let out_dir = TempDir::new().unwrap();
    let out = out_dir.path().join("结果.json");
    fx.cmd()
        .args(["--format", "json", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let stdout = fx.cmd().args(["--format", "json"]).output().unwrap().stdout;
    assert_eq!(fs::read(&out).unwrap(), stdout);
    // Written again over itself: replaced whole, and no temporary file is left.
    fx.cmd().args(["--output"]).arg(&out).assert().success();
    assert!(
        String::from_utf8(fs::read(&out).unwrap())
            .unwrap()
            .contains("Total: 95.00 / 100")
    );
    assert_eq!(fs::read_dir(out_dir.path()).unwrap().count(), 1);
}

#[test]
fn output_over_any_input_is_refused_and_nothing_changes() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    for name in [
        "budget.csv",
        "spending.csv",
        "outputs.csv",
        "judgments.csv",
        "scheme.toml",
        "evaluation.toml",
    ] {
        // Also when written another way: DIR/./name.
        for path in [fx.path(name), fx.dir.join(".").join(name)] {
            let out = fx.cmd().arg("-o").arg(&path).output().unwrap();
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
            assert!(
                stderr.contains("refusing to write the output to") && stderr.contains(name),
                "{stderr}"
            );
        }
    }
    assert_eq!(fx.snapshot(), before, "an input changed");
}

#[test]
fn a_failing_run_writes_no_output_and_touches_no_input() {
    let fx = Fixture::new();
    let text = fx.read("spending.csv").replacen("7200.00", "7200.001", 1);
    fx.write("spending.csv", text);
    let before = fx.snapshot();
    let out = fx.path("result.csv");
    fail(fx.cmd().args(["--format", "csv", "-o"]).arg(&out));
    assert!(!out.exists(), "no output file");
    assert_eq!(
        fx.snapshot(),
        before,
        "no file in the folder changed or appeared"
    );
    // An output from an earlier run is left as it was.
    fs::write(&out, "earlier").unwrap();
    fail(fx.cmd().args(["--format", "csv", "-o"]).arg(&out));
    assert_eq!(fs::read(&out).unwrap(), b"earlier");
}

#[test]
fn csv_output_for_excel_neutralises_formulas_not_numbers() {
    let fx = Fixture::new();
    // P2's reason starts with = in judgments.csv (line 8).
    let reason = "预算编制偏大，年度支出6.79万元低于预算10万元";
    let text = fx.read("judgments.csv").replacen(
        reason,
        &format!("\"=HYPERLINK(\"\"http://x\"\",\"\"点此\"\"){reason}\""),
        1,
    );
    fx.write("judgments.csv", text);
    let out = fx
        .cmd()
        .args(["--format", "csv", "--lang", "en"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with('\u{FEFF}'),
        "UTF-8 byte-order mark for Excel"
    );
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "project",
            "year",
            "scheme",
            "dimension",
            "dimension_name",
            "group",
            "id",
            "name",
            "weight",
            "target",
            "standard",
            "actual",
            "actual_value",
            "score",
            "rule",
            "basis",
            "reason",
            "warnings",
            "wan",
            "yuan"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let indicators: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| !["total", "grade", "funds"].contains(&&r[3]))
        .collect();
    assert_eq!(indicators.len(), 23, "one row per indicator");
    let row = |id: &str| rows.iter().find(|r| &r[6] == id).unwrap().clone();
    let p2 = row("P2");
    // P2: weight 5, 67.90% in [60%, 70%) → 2
    assert_eq!(&p2[0], "RJ-SFJ-2022-001");
    assert_eq!(&p2[1], "2022");
    assert_eq!(&p2[8], "5");
    assert_eq!(&p2[9], "≥100%");
    assert_eq!(&p2[11], "67.90%");
    assert_eq!(&p2[12], "0.679");
    assert_eq!(&p2[13], "2.00");
    assert_eq!(&p2[14], "bands");
    // the = that would run is written full-width: no formula, and no ' on show
    assert!(p2[16].starts_with("＝HYPERLINK("), "{}", &p2[16]);
    // P3's target =0件 is text starting with =: its sign full-width, as the 自评表 writes it
    assert_eq!(&row("P3")[9], "＝0件");
    // The total of the indicators' score column is the total score: 95, as its row says.
    let total: f64 = indicators
        .iter()
        .map(|r| r[13].parse::<f64>().unwrap())
        .sum();
    assert_eq!(total, 95.0);
    assert_eq!(&row("total")[13], "95.00");
    assert_eq!(&row("grade")[11], "优");
    // 67,900 元 = 6.79 万元
    assert_eq!((&row("spent")[18], &row("spent")[19]), ("6.79", "67900.00"));
}
