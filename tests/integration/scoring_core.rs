//! The scoring core end to end, on figures where a wrong rule gives another number: funds
//! allocated below the budget (two denominators of 预算执行率 that differ), two budget rows
//! of one funding source, a score on a 四舍五入 midpoint, and the lowest qualitative tier.
//!
//! The fixture `tests/fixtures/scoring-core/allocated-95000` is the shipped sample
//! (`samples/legal-aid-2022`, its README works out the ledger) with one change: its budget
//! is two 当年财政拨款 rows, 年初 60,000 + 30,000 = 90,000, 全年 60,000 + 40,000 = 100,000,
//! 到位 57,000 + 38,000 = 95,000 元. `spending-67450.csv` beside it is its ledger with the
//! 回访通讯费 of 600 paid as 150: 67,900 − 450 = 67,450 元. Every expected figure is worked
//! out by hand in the comment beside it.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const FIXTURE: &str = "tests/fixtures/scoring-core/allocated-95000";
const SELF_EVALUATION: &str = "indicators/project-self-evaluation.toml";

/// `jixiao ARGS`: exit status, stdout and stderr.
fn jixiao(args: &[&str]) -> (Option<i32>, String, String) {
    let out = cargo_bin_cmd!("jixiao").args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

/// `jixiao score FIXTURE --format json EXTRA…`, which must succeed without a word on stderr.
fn score(extra: &[&str]) -> Value {
    let mut args = vec!["score", FIXTURE, "--format", "json"];
    args.extend_from_slice(extra);
    let (status, stdout, stderr) = jixiao(&args);
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(stderr, "");
    serde_json::from_str(&stdout).expect("valid JSON")
}

/// A number of the JSON as its text: 2.85 is compared as "2.85", never as a float.
fn number(v: &Value) -> String {
    assert!(v.is_number(), "{v} is not a number");
    v.to_string()
}

/// The score of indicator `id`, as text.
fn indicator(result: &Value, id: &str) -> String {
    let found = result["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no indicator {id}"));
    number(&found["score"])
}

#[test]
fn funds_allocated_below_the_budget_score_arrival_and_execution_on_their_own_denominators() {
    let r = score(&[]);
    let m = &r["metrics"];
    // 年初 60,000 + 30,000 = 90,000; 全年 60,000 + 40,000 = 100,000; 到位 57,000 + 38,000 = 95,000
    assert_eq!(m["initial_budget"], "90000.00");
    assert_eq!(m["adjusted_budget"], "100000.00");
    assert_eq!(m["allocated"], "95000.00");
    // 全年执行数 as in the sample: 67,900; 结余 = 95,000 − 67,900 = 27,100
    assert_eq!(m["spent"], "67900.00");
    assert_eq!(m["balance"], "27100.00");
    // 资金到位率 = 95,000 / 100,000 = 95.00%
    assert_eq!(number(&m["arrival_rate"]), "0.95");
    // 预算执行率, the 自评表's definition: 67,900 / 100,000 = 67.90%
    assert_eq!(number(&m["execution_rate"]), "0.679");
    // the framework's definition: 67,900 / 95,000 = 0.714736… → 71.47%
    assert_eq!(number(&m["execution_rate_allocated"]), "0.7147");
    // Both rows are 当年财政拨款: one line holding their sums.
    assert_eq!(
        r["funds_by_source"],
        serde_json::json!([{
            "source": "当年财政拨款",
            "initial_budget": "90000.00",
            "adjusted_budget": "100000.00",
            "allocated": "95000.00",
        }])
    );
    // P1 资金到位率 (weight 3, ≥ 100%, 正向): 0.95 / 1 × 3 = 2.85
    assert_eq!(indicator(&r, "P1"), "2.85");
    // P2 预算执行率 (weight 5, bands, on execution_rate_allocated): 71.47% lies in
    // [70%, 80%) → 3. On the budget (67.90%) it would be [60%, 70%) → 2.
    assert_eq!(indicator(&r, "P2"), "3");
    // 过程: P1 2.85 + P2 3 + P3 4 + P4 4 + P5 4 = 17.85 (资金管理 2.85 + 3 + 4 = 9.85)
    let process = &r["dimensions"][1];
    assert_eq!(process["name"], "过程");
    assert_eq!(number(&process["score"]), "17.85");
    assert_eq!(number(&process["groups"][0]["score"]), "9.85");
    // 总分: 决策 14 + 过程 17.85 + 产出 40 + 效益 24 = 95.85 → 优 (≥ 90)
    assert_eq!(number(&r["total_score"]), "95.85");
    assert_eq!(r["grade"], "优");
}

/// Export the fixture's 自评表 (`jixiao export --xlsx`) to `out`, and return its cells.
fn funds_cells(out: &Path, extra: &[&str]) -> calamine::Range<calamine::Data> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut args = vec!["export", FIXTURE, "--xlsx", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (status, _, stderr) = jixiao(&args);
    assert_eq!(status, Some(0), "{stderr}");
    let mut book: Xlsx<_> = open_workbook(out).expect("an xlsx file");
    book.worksheet_range("项目支出绩效自评表")
        .expect("the sheet")
}

/// The cell at an A1 reference (columns A–I) as text: a number as Excel shows it in
/// general format (10, 6.79), a text as it is, an empty cell as "".
fn at(cells: &calamine::Range<calamine::Data>, a1: &str) -> String {
    use calamine::Data;
    let col = u32::from(a1.as_bytes()[0] - b'A');
    let row: u32 = a1[1..].parse::<u32>().unwrap() - 1;
    match cells.get_value((row, col)).unwrap_or(&Data::Empty) {
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("{a1}: {other:?}"),
    }
}

#[test]
fn the_self_evaluation_form_shows_the_sum_of_two_rows_of_one_source() {
    let tmp = TempDir::new().unwrap();
    let c = funds_cells(&tmp.path().join("自评表.xlsx"), &[]);
    // 年度资金总额 (row 6), in 万元: 年初 90,000 → 9; 全年 100,000 → 10; 执行 67,900 → 6.79;
    // 执行率 (全年执行数 / 全年预算数) 67,900 / 100,000 = 0.679
    assert_eq!(at(&c, "B6"), "年度资金总额");
    assert_eq!(
        ["D6", "E6", "F6", "H6"].map(|a| at(&c, a)),
        ["9", "10", "6.79", "0.679"]
    );
    // 其中：当年财政拨款 (row 7): the two rows summed, 60,000 + 30,000 = 90,000 → 9 and
    // 60,000 + 40,000 = 100,000 → 10 (not the last row's 3 and 4, nor 6 − 3 = 3 and
    // 6 − 4 = 2); the only source, so all spending and the rate are its own.
    assert_eq!(at(&c, "B7"), "其中：当年财政拨款");
    assert_eq!(
        ["D7", "E7", "F7", "H7"].map(|a| at(&c, a)),
        ["9", "10", "6.79", "0.679"]
    );
    // 上年结转资金 and 其他资金: no rows, blank cells
    assert_eq!(
        ["B8", "D8", "E8", "B9", "D9", "E9"].map(|a| at(&c, a)),
        ["上年结转资金", "", "", "其他资金", "", ""]
    );
}

#[test]
fn an_execution_score_on_a_half_is_rounded_half_away_from_zero() {
    let spending = format!("{FIXTURE}/spending-67450.csv");
    let r = score(&["--scheme", SELF_EVALUATION, "--spending", &spending]);
    // 全年执行数 67,900 − 600 + 150 = 67,450
    assert_eq!(r["metrics"]["spent"], "67450.00");
    // S01 预算执行率 (weight 10, 正向 on execution_rate = 全年执行数 / 全年预算数):
    // 67,450 / 100,000 = 0.6745 (already at 0.01%); 0.6745 / 1 × 10 = 6.745 exactly.
    // 四舍五入 → 6.75; banker's rounding (to the even 4) and truncation both give 6.74.
    // On the allocated funds it would be 67,450 / 95,000 = 0.71 → 7.10.
    assert_eq!(number(&r["metrics"]["execution_rate"]), "0.6745");
    assert_eq!(indicator(&r, "S01"), "6.75");
    assert_eq!(number(&r["dimensions"][0]["score"]), "6.75");
    // S05 成本控制率 67,450 / 100,000 = 67.45% ≤ 100% → full 10; S02 135 / 120 = 112.5%,
    // S03 and S04 100%, S06 63 / 50 = 126%, S07 100% ≥ 90%: all full, 20 + 10 + 10 + 10 +
    // 30 + 10 = 90. 总分 6.75 + 90 = 96.75 (96.74 by banker's rounding).
    assert_eq!(indicator(&r, "S05"), "10");
    assert_eq!(number(&r["total_score"]), "96.75");
    assert_eq!(r["grade"], "优");
    // The 自评表 shows the same 6.75 in the funds block (得分, I6) beside 执行率 0.6745.
    let tmp = TempDir::new().unwrap();
    let c = funds_cells(
        &tmp.path().join("self.xlsx"),
        &["--scheme", SELF_EVALUATION, "--spending", &spending],
    );
    assert_eq!(
        ["G6", "H6", "I6"].map(|a| at(&c, a)),
        ["10", "0.6745", "6.75"]
    );
}

/// The fixture's judgments.csv with D1 (立项依据充分性, weight 3, judged 达成 3 on line 2)
/// judged `tier` with `score`, written to a temporary folder.
fn judged_d1(tier: &str, score: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let text = fs::read_to_string(format!("{FIXTURE}/judgments.csv")).unwrap();
    let from = "RJ-SFJ-2022-002,D1,达成年度指标,3,,,legal-aid-2022\n";
    assert_eq!(text.lines().nth(1), Some(from.trim_end()));
    let to = format!("RJ-SFJ-2022-002,D1,{tier},{score},,立项依据论证不充分,legal-aid-2022\n");
    let path = tmp.path().join("judgments.csv");
    fs::write(&path, text.replacen(from, &to, 1)).unwrap();
    (tmp, path)
}

#[test]
fn the_lowest_tier_spans_zero_to_sixty_percent_of_the_weight() {
    // 未达成 (the short form) with 1.5: in [0, 3 × 0.6) = [0, 1.8) → accepted, scored 1.5.
    let (_tmp, judgments) = judged_d1("未达成", "1.5");
    let r = score(&["--judgments", judgments.to_str().unwrap()]);
    assert_eq!(indicator(&r, "D1"), "1.5");
    let d1 = &r["indicators"][0];
    assert_eq!(d1["actual"], "未达成年度指标且效果较差");
    assert_eq!(d1["reason"], "立项依据论证不充分");
    // 决策 14 − 3 + 1.5 = 12.5; 总分 95.85 − 3 + 1.5 = 94.35
    assert_eq!(number(&r["dimensions"][0]["score"]), "12.5");
    assert_eq!(number(&r["total_score"]), "94.35");

    // The long form with 1.8: 1.8 is the bottom of 部分达成 [1.8, 2.4), outside [0, 1.8).
    let (_tmp, judgments) = judged_d1("未达成年度指标且效果较差", "1.8");
    let (status, stdout, stderr) = jixiao(&[
        "--lang",
        "en",
        "score",
        FIXTURE,
        "--judgments",
        judgments.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(1), "{stdout}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "{0}:2: error [score]: score 1.8 of \"D1\" is outside its tier \
             未达成年度指标且效果较差; found \"1.8\"; expected a score in [0, 1.8)\n\
             {0}: warning [reason]: indicator \"P1\" 资金到位率 loses 0.15 points with no reason \
             given; expected a judgments.csv row for \"P1\" with the reason (偏差原因分析) in \
             column reason\n\
             jixiao: 1 error(s), 1 warning(s); nothing was scored\n",
            judgments.display()
        )
    );
}
