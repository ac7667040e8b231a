//! `jixiao monitor`: the legal-aid sample monitored as of 2022-07-31 and 2022-09-30, in
//! JSON, the table, CSV and the 监控表 (.xlsx, read back), and bad inputs. Every expected
//! figure is worked by hand in the comment beside it (and in samples/legal-aid-2022/README.md)
//! from samples/legal-aid-2022/spending.csv, outputs.csv and the monitoring sheets.

use assert_cmd::cargo::cargo_bin_cmd;
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

const SAMPLE: &str = "samples/legal-aid-2022";

fn run(args: &[&str]) -> std::process::Output {
    cargo_bin_cmd!("jixiao").args(args).output().expect("runs")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn json(dir: &str, as_of: &str) -> Value {
    let text = ok(&["monitor", dir, "--as-of", as_of, "--format", "json"]);
    serde_json::from_str(&text).expect("valid JSON")
}

fn indicator<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("indicator {id}"))
}

fn light(v: &Value, id: &str) -> Value {
    indicator(v, id)["light"].clone()
}

#[test]
fn the_sample_as_of_july_31_has_a_red_budget_light() {
    let v = json(SAMPLE, "2022-07-31");
    assert_eq!(v["as_of"], "2022-07-31");
    // 序时进度 = 7/12 = 0.583333… → 58.33%
    assert_eq!(v["time_progress"], 0.5833);
    // spending.csv rows dated to 07-31: 7,200 + 4,200 + 3,600 + 1,560 − 280 + 8,100 + 4,800
    // + 600 = 29,780.00 (8 rows); the 8 rows from 08-10 on are excluded
    assert_eq!(v["budget"]["spent"], "29780.00");
    assert_eq!(v["budget"]["rows"], 8);
    assert_eq!(v["budget"]["rows_after"], 8);
    // 29,780.00 / 100,000.00 = 29.78%
    assert_eq!(v["execution_rate"], 0.2978);
    // 29.78 ÷ 58.33 × 100 = 51.054… → 51.05 < 60 → red
    assert_eq!(v["budget_ratio"], 51.05);
    assert_eq!(v["budget_light"], "red");
    // 全年预计执行数 typed in monitoring-2022-07-31.csv: 85,000.00
    assert_eq!(v["budget"]["projected"]["value"], "85000.00");
    assert_eq!(v["budget"]["projected"]["source"], "given");
    // outputs to date: the rows dated 2022-06-30 (the latest at or before 07-31)
    // O1 cases 51 + 15 = 66 against 120 × 58.33% = 69.996: 94.291… → 94.29 → green
    assert_eq!(indicator(&v, "O1")["ratio"], 94.29);
    assert_eq!(indicator(&v, "O1")["actual_date"], "2022-06-30");
    assert_eq!(light(&v, "O1"), "green");
    // O2 consultations 200 against 500 × 58.33% = 291.65: 68.575… → 68.58 → yellow
    assert_eq!(indicator(&v, "O2")["ratio"], 68.58);
    assert_eq!(light(&v, "O2"), "yellow");
    // O3 migrant workers 15 against 50 × 58.33% = 29.165: 51.431… → 51.43 → red
    assert_eq!(indicator(&v, "O3")["ratio"], 51.43);
    assert_eq!(light(&v, "O3"), "red");
    assert_eq!(
        indicator(&v, "O3")["causes"],
        serde_json::json!(["staff", "other"])
    );
    // O4, O6, B5: = 0 and 0 so far → green
    for id in ["O4", "O6", "B5"] {
        assert_eq!(light(&v, id), "green", "{id}");
    }
    // O5 结案回访率 60 / 66 = 90.91%, a rate: not prorated, 0.9091 / 0.95 = 95.69 → green
    assert_eq!(indicator(&v, "O5")["ratio"], 95.69);
    assert_eq!(light(&v, "O5"), "green");
    // O7 案均支出 29,780 / 66 = 451.21 元/件 ≤ 800 → green
    assert_eq!(light(&v, "O7"), "green");
    // qualitative, from the sheet: B1, B3 达成 → green; B2 部分达成 → yellow; B4 not given
    assert_eq!(light(&v, "B1"), "green");
    assert_eq!(light(&v, "B2"), "yellow");
    assert_eq!(light(&v, "B3"), "green");
    assert_eq!(light(&v, "B4"), Value::Null);
    // the worst light is O3's red; spending is not on pace → combined red
    assert_eq!(v["goal_light"], "red");
    assert_eq!(v["combined_light"], "red");
    // O1 has no projection typed: 66 × 12 / 7 = 113.142… → 113.14 (run rate) < 120
    assert_eq!(indicator(&v, "O1")["projected"]["value"], 113.14);
    assert_eq!(indicator(&v, "O1")["projected"]["source"], "run_rate");
    assert_eq!(indicator(&v, "O1")["achievable"], false);
}

#[test]
fn the_sample_as_of_september_30_has_a_yellow_budget_light() {
    let v = json(SAMPLE, "2022-09-30");
    // 9/12 = 75.00%
    assert_eq!(v["time_progress"], 0.75);
    // 29,780 + 2,850 + 4,800 + 7,800 + 4,200 = 49,430.00 (12 rows; 4 after 09-30)
    assert_eq!(v["budget"]["spent"], "49430.00");
    assert_eq!(v["budget"]["rows"], 12);
    assert_eq!(v["budget"]["rows_after"], 4);
    // 49.43% ÷ 75.00% × 100 = 65.906… → 65.91: 60 ≤ 65.91 < 80 → yellow
    assert_eq!(v["execution_rate"], 0.4943);
    assert_eq!(v["budget_ratio"], 65.91);
    assert_eq!(v["budget_light"], "yellow");
    // no 全年预计执行数 in monitoring-2022-09-30.csv: 49,430 × 12 / 9 = 65,906.666… → 65,906.67
    assert_eq!(v["budget"]["projected"]["value"], "65906.67");
    assert_eq!(v["budget"]["projected"]["source"], "run_rate");
    // O1 (77 + 22 = 99) / (120 × 75% = 90) = 110.00 → green
    assert_eq!(indicator(&v, "O1")["ratio"], 110);
    assert_eq!(light(&v, "O1"), "green");
    // O2 380 / 375 = 101.333… → 101.33 → green
    assert_eq!(indicator(&v, "O2")["ratio"], 101.33);
    // O3 46 / 37.5 = 122.666… → 122.67 ≥ 120 → blue
    assert_eq!(indicator(&v, "O3")["ratio"], 122.67);
    assert_eq!(light(&v, "O3"), "blue");
    // O5 95 / 99 = 95.96%; 0.9596 / 0.95 = 101.01 → green
    assert_eq!(indicator(&v, "O5")["ratio"], 101.01);
    // B2 still 部分达成 → yellow, the worst (yellow before blue)
    assert_eq!(light(&v, "B2"), "yellow");
    assert_eq!(light(&v, "B4"), "green");
    assert_eq!(v["goal_light"], "yellow");
    // spending yellow: not on pace → combined red
    assert_eq!(v["combined_light"], "red");
}

#[test]
fn the_table_shows_the_arithmetic_in_chinese_and_in_english() {
    let zh = ok(&["monitor", SAMPLE, "--as-of", "2022-07-31"]);
    assert!(zh.contains("29.78 ÷ 58.33 × 100 = 51.05 → 红灯"), "{zh}");
    assert!(zh.contains("2022-07-31 之后的 8 笔未计入"), "{zh}");
    assert!(zh.contains("目标预警 红灯 (O3)"), "{zh}");
    assert!(zh.contains("综合预警 红灯"), "{zh}");
    let en = ok(&["monitor", SAMPLE, "--as-of", "2022-09-30", "--lang", "en"]);
    assert!(en.contains("49.43 ÷ 75.00 × 100 = 65.91 → yellow"), "{en}");
    assert!(
        en.contains("4 row(s) dated after 2022-09-30 not counted"),
        "{en}"
    );
    assert!(en.contains("65,906.67元 (run rate)"), "{en}");
}

#[test]
fn csv_has_a_row_per_indicator_under_stable_columns() {
    let text = ok(&[
        "monitor",
        SAMPLE,
        "--as-of",
        "2022-07-31",
        "--format",
        "csv",
    ]);
    let text = text.strip_prefix('\u{FEFF}').expect("a BOM for Excel");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, jixiao::monitor::render::CSV_COLUMNS);
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    // O1–O7 and B1–B5: the 产出 and 效益 indicators
    assert_eq!(records.len(), 12);
    let o3 = records.iter().find(|r| &r[7] == "O3").unwrap();
    // 51.05 → red for the budget, 51.43 → red for O3
    assert_eq!((&o3[5], &o3[6]), ("51.05", "red"));
    assert_eq!((&o3[13], &o3[14]), ("51.43", "red"));
    // 完成目标可能性 and whether the target can be met: O3 有可能 (the sheet), achievable;
    // O1 none given, its run rate 66 × 12/7 = 113.14 < 120: not achievable
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (likely, achievable) = (column("likelihood"), column("achievable"));
    assert_eq!((&o3[likely], &o3[achievable]), ("有可能", "true"));
    let o1 = records.iter().find(|r| &r[7] == "O1").unwrap();
    assert_eq!((&o1[likely], &o1[achievable]), ("", "false"));
}

/// (row, column) of an A1 reference, 0-based (columns A–K).
fn at(a1: &str) -> (u32, u32) {
    let col = u32::from(a1.as_bytes()[0] - b'A');
    (a1[1..].parse::<u32>().unwrap() - 1, col)
}

#[test]
fn the_monitoring_form_holds_lights_as_words_and_colours() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("监控表.xlsx");
    ok(&[
        "monitor",
        SAMPLE,
        "--as-of",
        "2022-07-31",
        "--xlsx",
        out.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = open_workbook(&out).expect("an xlsx file");
    let sheet = "绩效目标执行监控表";
    let cells = book.worksheet_range(sheet).expect("the sheet");
    let styles = book.worksheet_style(sheet).expect("styles");
    let cell = |a1: &str| cells.get_value(at(a1)).cloned().unwrap_or(Data::Empty);
    let text = |a1: &str| match cell(a1) {
        Data::String(s) => s,
        other => panic!("{a1} is not text: {other:?}"),
    };
    let num = |a1: &str| match cell(a1) {
        Data::Float(f) => f,
        other => panic!("{a1} is not a number: {other:?}"),
    };
    let fill = |a1: &str| {
        let style = styles.get(at(a1)).expect("a style");
        let fill = style.fill.as_ref().expect("a fill");
        let c = fill
            .foreground_color
            .or(fill.background_color)
            .expect("a colour");
        (u32::from(c.red) << 16) | (u32::from(c.green) << 8) | u32::from(c.blue)
    };
    use jixiao::monitor::{Light, xlsx::light_color};
    assert_eq!(text("A1"), "项目支出绩效目标执行监控表");
    assert_eq!(text("B3"), "法律援助");
    // the budget row (row 6): 100,000.00 budget, 29,780.00 spent, 29.78%, 58.33%, 51.05, 红灯
    assert_eq!(text("C5"), "1–7月执行数（元）");
    assert_eq!(num("B6"), 100000.0);
    assert_eq!(num("C6"), 29780.0);
    assert_eq!(num("D6"), 0.2978);
    assert_eq!(num("E6"), 0.5833);
    assert_eq!(num("F6"), 51.05);
    // 全年预计执行数 as typed: 85,000.00
    assert_eq!(num("G6"), 85000.0);
    assert_eq!(text("H6"), "红灯");
    assert_eq!(fill("H6"), light_color(Light::Red));
    // indicators from row 9 in scheme order: O1 (row 9) 94.29 绿灯, O2 (10) 68.58 黄灯,
    // O3 (11) 51.43 红灯
    assert_eq!(text("C9"), "O1 受理法律援助案件数");
    assert_eq!((num("G9"), text("H9")), (94.29, "绿灯".to_string()));
    assert_eq!(fill("H9"), light_color(Light::Green));
    assert_eq!((num("G10"), text("H10")), (68.58, "黄灯".to_string()));
    assert_eq!(fill("H10"), light_color(Light::Yellow));
    assert_eq!((num("G11"), text("H11")), (51.43, "红灯".to_string()));
    assert!(
        text("J11").starts_with("人员保障、其他："),
        "{}",
        text("J11")
    );
    // 完成目标可能性 (column K): O2 the officer's 有可能; O1 not given, so the projection's,
    // in brackets as in the table: 66 件 by 2022-06-30, run at 66 × 12/7 = 113.14 < 120
    assert_eq!(text("K10"), "有可能");
    assert_eq!(text("K9"), "（推算不能完成）");
    // B4 (row 19): no tier given yet
    assert_eq!(text("H19"), "暂无数据");
    // after B5 (row 20): the goal light (O3 red) and the combined light (red)
    assert_eq!(text("A21"), "目标预警");
    assert_eq!(text("C21"), "红灯");
    assert_eq!(fill("C21"), light_color(Light::Red));
    assert_eq!(text("F21"), "红灯");
    assert_eq!(text("I21"), "是");
}

/// A copy of the sample to change.
fn sample_copy() -> TempDir {
    let tmp = TempDir::new().unwrap();
    for entry in std::fs::read_dir(SAMPLE).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    // the scheme, where evaluation.toml looks for it (../../indicators/)
    let text = std::fs::read_to_string(tmp.path().join("evaluation.toml")).unwrap();
    let scheme = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/legal-aid-2022.toml");
    let text = text.replace(
        "../../indicators/legal-aid-2022.toml",
        scheme.to_str().unwrap(),
    );
    std::fs::write(tmp.path().join("evaluation.toml"), text).unwrap();
    tmp
}

/// The exit status and stderr of a run with English messages (`--lang en`).
fn stderr_of(dir: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "--lang",
        "en",
        "monitor",
        dir.to_str().unwrap(),
        "--root",
        "/",
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn undated_outputs_are_the_year_s_values_and_no_data_yet_mid_year() {
    let tmp = sample_copy();
    // keep the yearly rows only
    let outputs = std::fs::read_to_string(tmp.path().join("outputs.csv")).unwrap();
    let yearly: Vec<&str> = outputs.lines().filter(|l| !l.contains(",2022-")).collect();
    std::fs::write(tmp.path().join("outputs.csv"), yearly.join("\n")).unwrap();
    let dir = tmp.path().to_str().unwrap();
    let text = ok(&[
        "monitor",
        dir,
        "--root",
        "/",
        "--as-of",
        "2022-07-31",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    // no value dated by 07-31: the yearly 135 cases are not read as cases to date
    assert_eq!(light(&v, "O1"), Value::Null);
    assert_eq!(indicator(&v, "O1")["actual"], Value::Null);
    assert!(
        indicator(&v, "O1")["no_data"]
            .as_str()
            .unwrap()
            .starts_with("no data yet")
    );
    // on the year's last day the yearly values count: 135 / (120 × 100%) = 112.50
    let text = ok(&[
        "monitor",
        dir,
        "--root",
        "/",
        "--as-of",
        "2022-12-31",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(indicator(&v, "O1")["ratio"], 112.5);
    // 67,900 / 100,000 = 67.90% against 12/12 = 100%: 67.90 → yellow
    assert_eq!(v["budget_ratio"], 67.9);
}

#[test]
fn bad_inputs_name_file_line_field_and_value() {
    let tmp = sample_copy();
    // a date of another year
    let (code, err) = stderr_of(tmp.path(), &["--as-of", "2023-07-31"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("[as_of]") && err.contains("2023-07-31"),
        "{err}"
    );
    // a cause not among the five, a likelihood not among the three, an unknown indicator
    std::fs::write(
        tmp.path().join("monitoring.csv"),
        "project,indicator,cause,likelihood\nRJ-SFJ-2022-001,O1,天气,有可能\nRJ-SFJ-2022-001,O2,其他,大概\nRJ-SFJ-2022-001,Z9,,\n",
    )
    .unwrap();
    let sheet = tmp.path().join("monitoring.csv");
    let (code, err) = stderr_of(
        tmp.path(),
        &[
            "--as-of",
            "2022-08-31",
            "--monitoring",
            sheet.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("monitoring.csv:2: error [cause]"), "{err}");
    assert!(err.contains("\"天气\""), "{err}");
    assert!(
        err.contains("monitoring.csv:3: error [likelihood]"),
        "{err}"
    );
    // a bad profile: its file, line and key
    let profile = tmp.path().join("p.toml");
    std::fs::write(
        &profile,
        "[monitoring]\nid = \"p\"\n[monitoring.budget]\nred_below = 60\ngreen_from = 80\n[monitoring.indicator]\nred_below = 60\ngreen_from = 130\nblue_from = 120\n",
    )
    .unwrap();
    let (code, err) = stderr_of(
        tmp.path(),
        &[
            "--as-of",
            "2022-07-31",
            "--profile",
            profile.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("p.toml:9"), "{err}");
    assert!(err.contains("[monitoring.indicator.blue_from]"), "{err}");
    // in Chinese by default: the column by its Chinese header, the message translated
    let out = run(&[
        "monitor",
        tmp.path().to_str().unwrap(),
        "--root",
        "/",
        "--as-of",
        "2022-08-31",
        "--monitoring",
        sheet.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("[偏差原因类别]") && err.contains("不是偏差原因的类别"),
        "{err}"
    );
}

#[test]
fn an_unknown_indicator_in_the_sheet_is_an_error() {
    let tmp = sample_copy();
    let sheet = tmp.path().join("monitoring.csv");
    std::fs::write(&sheet, "project,indicator,cause\nRJ-SFJ-2022-001,Z9,其他\n").unwrap();
    let (code, err) = stderr_of(tmp.path(), &["--as-of", "2022-08-31"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("monitoring.csv:2: error [indicator]"), "{err}");
    assert!(err.contains("no indicator Z9"), "{err}");
}

#[test]
fn the_shipped_profile_passes_check() {
    let out = run(&[
        "check",
        "--deny-warnings",
        "indicators/monitoring-default.toml",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A generated bureau monitored as a whole: every project once, red first, and each
/// project's spending to date equal to its ledger rows dated 2024-01-01 … 2024-07-31 summed
/// here, row by row, by the csv crate (the bureau's year is 2024).
#[test]
fn a_bureau_is_monitored_project_by_project_red_first() {
    let tmp = TempDir::new().unwrap();
    crate::bureau::generate(&crate::bureau::Options {
        projects: 30,
        rows: 3000,
        gbk: false,
        seed: 11,
        unjudged: 0,
        out: tmp.path().to_path_buf(),
    });
    let dir = tmp.path().to_str().unwrap();
    let text = ok(&[
        "monitor",
        dir,
        "--root",
        "/",
        "--as-of",
        "2024-07-31",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["projects"], 30);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 30);
    // the summary counts every project once per kind of light
    for kind in ["budget_light", "goal_light", "combined_light"] {
        let c = &v["summary"][kind];
        let total: u64 = ["red", "yellow", "green", "blue", "none"]
            .iter()
            .map(|k| c[k].as_u64().unwrap())
            .sum();
        assert_eq!(total, 30, "{kind}");
        // and as the results written (made again from the inputs) have them
        for k in ["red", "yellow", "green", "blue"] {
            let n = results.iter().filter(|r| r[kind] == k).count();
            assert_eq!(c[k], n, "{kind} {k}");
        }
    }
    // red first: once a project is not red, none after it is
    let reds: Vec<bool> = results
        .iter()
        .map(|r| r["combined_light"] == "red")
        .collect();
    let first_not_red = reds.iter().position(|r| !r).unwrap_or(reds.len());
    assert!(reds[first_not_red..].iter().all(|r| !r), "{reds:?}");
    // the ledger summed here: rows of 2024 up to 07-31, in fen
    let mut sums: std::collections::BTreeMap<String, i64> = Default::default();
    let mut rows = csv::Reader::from_path(tmp.path().join("spending.csv")).unwrap();
    for r in rows.records() {
        let r = r.unwrap();
        let date = &r[1];
        if !("2024-01-01"..="2024-07-31").contains(&date) {
            continue;
        }
        // amounts with two decimals, some with thousands separators ("12,345.67")
        let amount = r[2].replace(',', "");
        let (whole, fen) = amount.split_once('.').unwrap_or((&amount, "00"));
        let negative = whole.starts_with('-');
        let value = whole.trim_start_matches('-').parse::<i64>().unwrap() * 100
            + format!("{fen:0<2}").parse::<i64>().unwrap();
        *sums.entry(r[0].to_string()).or_default() += if negative { -value } else { value };
    }
    for r in results {
        let id = r["project"]["id"].as_str().unwrap();
        let spent = r["budget"]["spent"].as_str().unwrap().replace('.', "");
        assert_eq!(
            spent.parse::<i64>().unwrap(),
            sums.get(id).copied().unwrap_or(0),
            "{id}"
        );
    }
    // the CSV: one header, then each project's indicator rows, in the JSON's order
    let csv_text = ok(&[
        "monitor",
        dir,
        "--root",
        "/",
        "--as-of",
        "2024-07-31",
        "--format",
        "csv",
    ]);
    let body = csv_text.strip_prefix('\u{FEFF}').unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    let expected: Vec<String> = results
        .iter()
        .flat_map(|r| {
            let id = r["project"]["id"].as_str().unwrap().to_string();
            let n = r["indicators"].as_array().unwrap().len();
            std::iter::repeat_n(id, n)
        })
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(body.matches("project,as_of").count(), 1);
    // the table: the summary heading and the departments
    let table = ok(&["monitor", dir, "--root", "/", "--as-of", "2024-07-31"]);
    assert!(
        table.starts_with("绩效运行监控汇总 — 截至 2024-07-31，30 个项目"),
        "{table}"
    );
    assert!(table.contains("主管部门（综合预警）"), "{table}");
    // one project of it, with --project: the 监控表 of one
    let one = results[0]["project"]["id"].as_str().unwrap();
    let single = ok(&[
        "monitor",
        dir,
        "--root",
        "/",
        "--as-of",
        "2024-07-31",
        "--project",
        one,
        "--format",
        "json",
    ]);
    let single: Value = serde_json::from_str(&single).unwrap();
    assert_eq!(single["budget"], results[0]["budget"]);
    // the whole of it: the bureau's result is written field by field, the project's
    // from a JSON value, the same document
    assert_eq!(single, results[0]);
}

/// A value dated on the year's last day is the year's: `score` reads it as it reads an
/// undated one (an outputs.csv whose every row carries 2022-12-31 scores as the sample, 95),
/// and the values to date beside it change nothing.
#[test]
fn outputs_dated_on_december_31_are_the_year_s_for_score() {
    let tmp = sample_copy();
    let path = tmp.path().join("outputs.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let dated: Vec<String> = text
        .lines()
        .map(|l| match l.strip_suffix(',') {
            Some(yearly) => format!("{yearly},2022-12-31"),
            None => l.to_string(),
        })
        .collect();
    std::fs::write(&path, dated.join("\n") + "\n").unwrap();
    let dir = tmp.path().to_str().unwrap();
    let v: Value =
        serde_json::from_str(&ok(&["score", dir, "--root", "/", "--format", "json"])).unwrap();
    // the sample's total (samples/legal-aid-2022/README.md): 14 + 17 + 40 + 24 = 95
    assert_eq!(v["total_score"], 95);
    // monitored on 12-31, the year's values: 135 cases ÷ (120 × 100%) × 100 = 112.50
    let m: Value = serde_json::from_str(&ok(&[
        "monitor",
        dir,
        "--root",
        "/",
        "--as-of",
        "2022-12-31",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(indicator(&m, "O1")["ratio"], 112.5);
}

/// A monitoring sheet the folder holds is read only inside the allowed root: a link to a
/// file elsewhere is refused (JX0107), as every other input; the same file named with
/// `--monitoring` on the command line is the user's own and is read.
#[cfg(unix)]
#[test]
fn a_sheet_linked_out_of_the_root_is_refused() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("dir");
    let elsewhere = tmp.path().join("else");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    for name in ["budget.csv", "spending.csv", "outputs.csv", "judgments.csv"] {
        std::fs::copy(Path::new(SAMPLE).join(name), dir.join(name)).unwrap();
    }
    std::fs::write(
        dir.join("evaluation.toml"),
        "project = \"RJ-SFJ-2022-001\"\n",
    )
    .unwrap();
    let sheet = elsewhere.join("m.csv");
    std::fs::write(&sheet, "project,indicator,cause\nRJ-SFJ-2022-001,O3,其他\n").unwrap();
    std::os::unix::fs::symlink(&sheet, dir.join("monitoring.csv")).unwrap();
    let scheme = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/legal-aid-2022.toml");
    let base = [
        "monitor",
        dir.to_str().unwrap(),
        "--root",
        dir.to_str().unwrap(),
        "--scheme",
        scheme.to_str().unwrap(),
        "--as-of",
        "2022-08-31",
    ];
    let mut english = vec!["--lang", "en"];
    english.extend(base);
    let out = run(&english);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("monitoring.csv") && err.contains("outside the allowed root"),
        "{err}"
    );
    // in Chinese by default: the refusal and what is expected, translated
    let out = run(&base);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("不在允许读取的根目录") && err.contains("允许读取的根目录（--root"),
        "{err}"
    );
    let mut given = base.to_vec();
    given.extend(["--monitoring", sheet.to_str().unwrap()]);
    ok(&given);
}

/// What a person reads: the sample's table as of 7月31日 in Chinese, and as of 9月30日 in
/// English (the figures in it are asserted above, worked by hand).
#[test]
fn the_sample_tables_read_as_they_did() {
    let zh = ok(&["monitor", SAMPLE, "--as-of", "2022-07-31"]);
    insta::assert_snapshot!("monitor_legal_aid_0731_zh", zh);
    let en = ok(&["monitor", SAMPLE, "--as-of", "2022-09-30", "--lang", "en"]);
    insta::assert_snapshot!("monitor_legal_aid_0930_en", en);
}

/// A province's profile: 序时进度 by days, the budget light red below 50 and green from 70.
/// As of 7月15日: (6 + 15/31)/12 = 0.540322… → 54.03%; the ledger's last row before it is
/// 07-05 and the next 08-10, so the spending is that to 7月31日, 29,780.00.
#[test]
fn a_profile_of_one_s_own_counts_days_and_moves_the_thresholds() {
    let tmp = TempDir::new().unwrap();
    let profile = tmp.path().join("province.toml");
    std::fs::write(
        &profile,
        "[monitoring]\nid = \"province\"\ntime_progress = \"days\"\n\n[monitoring.budget]\nred_below = 50\ngreen_from = 70\n\n[monitoring.indicator]\nred_below = 60\ngreen_from = 80\nblue_from = 120\n",
    )
    .unwrap();
    let args = [
        "monitor",
        SAMPLE,
        "--as-of",
        "2022-07-15",
        "--profile",
        profile.to_str().unwrap(),
        "--monitoring",
        "samples/legal-aid-2022/monitoring-2022-07-31.csv",
    ];
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let v: Value = serde_json::from_str(&ok(&json_args)).unwrap();
    assert_eq!(v["profile"], "province");
    assert_eq!(v["time_progress"], 0.5403);
    // the rows to 07-15 are the rows to 07-31 (none falls between): 29,780.00
    assert_eq!(v["budget"]["spent"], "29780.00");
    // 29.78 ÷ 54.03 × 100 = 55.117… → 55.12: 50 ≤ 55.12 < 70 → yellow under this profile
    assert_eq!(v["budget_ratio"], 55.12);
    assert_eq!(v["budget_light"], "yellow");
    let table = ok(&args);
    assert!(table.contains("54.03% = (6 + 15/31)/12"), "{table}");
}

/// The JSON keys are stable (docs/monitor.md lists them): a key added, renamed or moved
/// must be a decision, made here and in the docs together.
#[test]
fn the_json_keys_are_the_documented_ones() {
    let v = json(SAMPLE, "2022-07-31");
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&v),
        [
            "as_of",
            "project",
            "scheme",
            "profile",
            "time_rule",
            "months",
            "time_progress",
            "budget",
            "execution_rate",
            "budget_ratio",
            "budget_light",
            "indicators",
            "goal_light",
            "combined_light",
            "causes",
            "reason",
            "note",
            "action",
            "warnings"
        ]
    );
    assert_eq!(
        keys(&v["budget"]),
        [
            "initial_budget",
            "adjusted_budget",
            "allocated",
            "denominator",
            "spent",
            "rows",
            "rows_after",
            "rows_before",
            "projected"
        ]
    );
    assert_eq!(
        keys(indicator(&v, "O1")),
        [
            "id",
            "name",
            "dimension",
            "group",
            "kind",
            "metric",
            "target",
            "target_value",
            "actual",
            "actual_date",
            "tier",
            "expected",
            "ratio",
            "light",
            "no_data",
            "projected",
            "achievable",
            "causes",
            "reason",
            "likelihood",
            "note",
            "action",
            "line"
        ]
    );
    assert_eq!(keys(&v["budget"]["projected"]), ["value", "source", "line"]);
}

/// Under the standard self-evaluation scheme the sample's completion rates accumulate
/// (`prorate_metrics` of the national profile), its quality rates do not. As of 7月31日,
/// outputs to 6月30日:
/// - S02 产出数量完成率 = (51 + 15) / 120 = 55.00%, prorated: 0.55 ÷ (1 × 0.5833) × 100 =
///   94.29 → green; run rate 0.55 × 12 / 7 = 94.29% < 100% → not achievable;
/// - S03 质量达标率 = 1 − 0 / 66 = 100.00%, not prorated: 1 ÷ 1 × 100 = 100.00 → green;
/// - S06 效益目标完成率 = 15 / 50 = 30.00%, prorated: 0.30 ÷ 0.5833 × 100 = 51.43 → red.
#[test]
fn completion_rates_are_prorated_quality_rates_are_not() {
    let tmp = TempDir::new().unwrap();
    let empty = tmp.path().join("empty.csv");
    std::fs::write(&empty, "project,indicator\n").unwrap();
    let text = ok(&[
        "monitor",
        SAMPLE,
        "--as-of",
        "2022-07-31",
        "--scheme",
        "indicators/project-self-evaluation.toml",
        "--monitoring",
        empty.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(indicator(&v, "S02")["ratio"], 94.29);
    assert_eq!(light(&v, "S02"), "green");
    assert_eq!(indicator(&v, "S02")["projected"]["value"], 0.9429);
    assert_eq!(indicator(&v, "S02")["achievable"], false);
    assert_eq!(indicator(&v, "S03")["ratio"], 100);
    assert_eq!(indicator(&v, "S03")["expected"], 1);
    assert_eq!(indicator(&v, "S06")["ratio"], 51.43);
    assert_eq!(light(&v, "S06"), "red");
}

/// A metric computed from budget and spending (`spent`) or by a formula (`cases_total`)
/// given as a value to date is an error, as `score` makes it one for the year: it would
/// hide the computed value.
#[test]
fn a_computed_metric_given_to_date_is_an_error() {
    let tmp = sample_copy();
    let path = tmp.path().join("outputs.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("RJ-SFJ-2022-001,spent,100,元,,2022-06-30\n");
    text.push_str("RJ-SFJ-2022-001,cases_total,70,件,,2022-06-30\n");
    std::fs::write(&path, text).unwrap();
    let (code, err) = stderr_of(tmp.path(), &["--as-of", "2022-07-31"]);
    assert_eq!(code, 1, "{err}");
    // the two rows appended after the header and 27 rows: lines 29 and 30
    assert!(
        err.contains("outputs.csv:29: error [metric]: \"spent\" is computed"),
        "{err}"
    );
    assert!(
        err.contains("outputs.csv:30: error [metric]: \"cases_total\" is computed"),
        "{err}"
    );
}

mod sheets {
    //! Any monitoring sheet, any as-of date of the year: the loader, the rules, the check
    //! rules and every renderer give a result or problems, never a panic.

    use super::*;
    use jixiao::monitor;
    use jixiao::workspace::{Overrides, Workspace};
    use proptest::prelude::*;
    use proptest::sample::select;

    /// What a cell of the sheet may hold: good words, bad ones, numbers of every size and
    /// form, formulas, empty cells, quotes and commas.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            select(vec![
                "",
                "O1",
                "O3",
                "B2",
                "B4",
                "Z9",
                "P2",
                "经费保障",
                "人员保障、其他",
                "天气",
                "确定能",
                "完全不可能",
                "大概",
                "达成年度指标",
                "部分达成",
                "500",
                "55%",
                "1e9",
                "-0",
                "99999999999999999999999999999",
                "6.79万元",
                "=HYPERLINK(1)",
                "\"a,b\"",
                "是",
            ])
            .prop_map(str::to_string),
            any::<i64>().prop_map(|n| n.to_string()),
            "[\\PC]{0,12}",
        ]
    }

    fn sheet() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::collection::vec(cell(), 8), 0..6).prop_map(|rows| {
            let mut text =
                String::from("project,indicator,cause,reason,likelihood,projected,tier,action\n");
            for r in rows {
                let mut w = csv::Writer::from_writer(Vec::new());
                let mut fields = vec!["RJ-SFJ-2022-001".to_string()];
                fields.extend(r.into_iter().skip(1));
                w.write_record(&fields).unwrap();
                text.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(48) })]

        #[test]
        fn any_sheet_and_day_gives_lights_or_problems(
            text in sheet(),
            month in 1_u32..=12,
            day in 1_u32..=28,
        ) {
            let tmp = TempDir::new().unwrap();
            let path = tmp.path().join("monitoring.csv");
            std::fs::write(&path, &text).unwrap();
            let ws = Workspace::open(Path::new(SAMPLE), &Overrides::default()).unwrap();
            let as_of = jixiao::values::Date { year: 2022, month, day };
            let profile = monitor::profile::national();
            if let Ok(inputs) = monitor::load::inputs(&ws, "RJ-SFJ-2022-001", Some(&path), as_of)
                && let Ok(m) = monitor::monitor(&inputs, &profile, as_of)
            {
                let _ = monitor::render::table(&m, jixiao::i18n::Lang::Zh, Some(120));
                let _ = monitor::render::to_json(&m);
                let _ = monitor::render::to_csv(&m);
                prop_assert!(monitor::xlsx::render(&m).is_ok());
                let _ = monitor::check::rules(&m, &path, &inputs.monitoring);
            }
        }
    }
}

/// As of a date the ledger warns as `score` does, of the rows to the date only: a row
/// dated before the year (excluded, counted) and a voucher given twice among the rows to
/// the date; a row after the date repeating a voucher, or dated in the next year, is only
/// counted.
#[test]
fn the_ledger_warns_of_the_rows_to_the_date() {
    let tmp = sample_copy();
    let path = tmp.path().join("spending.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    // the sample's 16 rows are on lines 2–17: these are lines 18–21
    text.push_str("RJ-SFJ-2022-001,2021-12-30,500.00,记-1230,办案补贴,上年\n");
    text.push_str("RJ-SFJ-2022-001,2022-07-20,1000.00,记-0315,办案补贴,重复\n");
    text.push_str("RJ-SFJ-2022-001,2022-08-30,99.00,记-0316,办案补贴,八月\n");
    text.push_str("RJ-SFJ-2022-001,2023-01-05,10.00,记-0101,办案补贴,次年\n");
    std::fs::write(&path, text).unwrap();
    let dir = tmp.path().to_str().unwrap();
    let args = ["monitor", dir, "--root", "/", "--as-of", "2022-07-31"];
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let v: Value = serde_json::from_str(&ok(&json_args)).unwrap();
    // 29,780.00 to 07-31 (8 rows, above) + 1,000.00 of line 19 = 30,780.00 (9 rows)
    assert_eq!(v["budget"]["spent"], "30780.00");
    assert_eq!(v["budget"]["rows"], 9);
    // after 07-31: the sample's 8, and lines 20 and 21 = 10; before 2022: line 18
    assert_eq!(v["budget"]["rows_after"], 10);
    assert_eq!(v["budget"]["rows_before"], 1);
    let warnings: Vec<(String, Value)> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["message"].as_str().unwrap().to_string(),
                w["line"].clone(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "1 spending row(s) dated outside 2022 (line 18)".to_string(),
                Value::from(18)
            ),
            (
                // 记-0315 is line 2's voucher (the sample's first row)
                "voucher 记-0315 of project RJ-SFJ-2022-001 is also on line 2".to_string(),
                Value::from(19)
            ),
        ]
    );
    // on stderr, in Chinese by default
    let out = run(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 笔支出的日期不在 2022 年内（第 18 行）"),
        "{err}"
    );
    assert!(!err.contains("记-0316"), "{err}");
}

#[test]
fn a_scheme_projects_csv_names_outside_the_root_stops_its_projects_only() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("bureau");
    crate::bureau::generate(&crate::bureau::Options {
        projects: 3,
        rows: 60,
        gbk: false,
        seed: 11,
        unjudged: 0,
        out: dir.clone(),
    });
    // Projects 1 and 2 name a scheme one folder up, outside the root (the bureau folder,
    // where monitor runs): refused for each of them, checked once for the path.
    std::fs::copy(dir.join("legal-aid.toml"), tmp.path().join("outside.toml")).unwrap();
    let listing = std::fs::read_to_string(dir.join("projects.csv")).unwrap();
    let mut lines: Vec<String> = listing.lines().map(String::from).collect();
    for line in &mut lines[1..3] {
        let cells: Vec<&str> = line.splitn(3, ',').collect();
        *line = format!("{},../outside.toml,{}", cells[0], cells[2]);
    }
    std::fs::write(dir.join("projects.csv"), lines.join("\n") + "\n").unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["monitor", ".", "--as-of", "2024-07-31", "--format", "json"])
        .args(["--lang", "en"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.matches("lies outside the allowed root").count(),
        2,
        "{err}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // 3 projects: 2 failed, 1 monitored.
    assert_eq!(v["failed"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["results"].as_array().unwrap().len(), 1, "{v}");
}

#[test]
fn a_bureau_table_lists_the_worst_twenty_and_all_with_all() {
    let tmp = TempDir::new().unwrap();
    crate::bureau::generate(&crate::bureau::Options {
        projects: 60,
        rows: 600,
        gbk: false,
        seed: 5,
        unjudged: 0,
        out: tmp.path().to_path_buf(),
    });
    let run_in = |args: &[&str]| {
        let out = cargo_bin_cmd!("jixiao")
            .args(["monitor", ".", "--as-of", "2024-07-31"])
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    // The red and yellow projects, from the JSON summary's combined lights.
    let v: Value = serde_json::from_str(&run_in(&["--format", "json"])).unwrap();
    let c = &v["summary"]["combined_light"];
    let flagged = (c["red"].as_u64().unwrap() + c["yellow"].as_u64().unwrap()) as usize;
    assert!(flagged > 20, "the test needs more than 20: {flagged}");
    // A project row of the list starts with its code (`NN-2024-…`) in the first column.
    let rows = |text: &str| text.lines().filter(|l| l.contains("-2024-")).count();
    let text = run_in(&[]);
    assert_eq!(rows(&text), 20, "{text}");
    assert!(
        text.contains(&format!(
            "以上为最差的 20 个；红灯、黄灯项目共 {flagged} 个，全部列出：加 --all"
        )),
        "{text}"
    );
    let text = run_in(&["--all"]);
    assert_eq!(rows(&text), flagged, "{text}");
    assert!(!text.contains("加 --all"), "{text}");
}

/// The sample monitored as of 2022-07-31 with its sheet, through the library (for the
/// renderers at a given width).
pub fn sample_as_of_0731() -> jixiao::monitor::Monitor {
    use jixiao::monitor;
    use jixiao::workspace::{Overrides, Workspace};
    let ws = Workspace::open(Path::new(SAMPLE), &Overrides::default()).unwrap();
    let as_of = jixiao::values::Date {
        year: 2022,
        month: 7,
        day: 31,
    };
    let sheet = Path::new(SAMPLE).join("monitoring-2022-07-31.csv");
    let inputs = monitor::load::inputs(&ws, "RJ-SFJ-2022-001", Some(&sheet), as_of).unwrap();
    monitor::monitor(&inputs, &monitor::profile::national(), as_of).unwrap()
}

#[test]
fn the_monitoring_table_reads_at_80_and_120_columns() {
    use jixiao::monitor;
    use unicode_width::UnicodeWidthStr;
    let m = sample_as_of_0731();
    for width in [80_u16, 120] {
        let text = monitor::render::table(&m, jixiao::i18n::Lang::Zh, Some(width));
        // No line wider than the terminal: the ten columns do not fit, so each indicator
        // is a block of lines.
        for line in text.lines() {
            assert!(line.width() <= usize::from(width), "{width}: {line}");
        }
        // Numbers and their units whole: O1's 69.996件 by now, O3's ratio 51.43.
        assert!(text.contains("序时应完成 69.996件"), "{text}");
        assert!(
            text.contains("O3 农民工欠薪、工伤事故受援人数  红灯"),
            "{text}"
        );
        assert!(text.contains("51.43"), "{text}");
        // A label stays with its value: `完成比 51.43`, `序时应完成 ≤ 800元/件` on one line
        // (at 80 columns these were cut as `完成` / `比 51.43` and `≤` / `800元/件`).
        for field in ["完成比 51.43", "完成比 94.29", "序时应完成 ≤ 800元/件"] {
            assert!(text.lines().any(|l| l.contains(field)), "{field}: {text}");
        }
    }
}
