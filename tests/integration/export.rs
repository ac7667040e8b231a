//! What the officer hands in and how each point came about: `jixiao explain`,
//! `--previous` (year over year), `jixiao export --xlsx` and `jixiao report`.
//!
//! Expected numbers are worked out by hand from the sample's files
//! (`samples/legal-aid-2022`, see its README for the ledger) in the comments beside them.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::fs;
use std::path::PathBuf;
use tempfile::TempDir;

const SAMPLE: &str = "samples/legal-aid-2022";
const SELF_EVALUATION: &str = "indicators/project-self-evaluation.toml";

/// Run jixiao, expect success, return stdout.
fn run(args: &[&str]) -> String {
    let out = cargo_bin_cmd!("jixiao").args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "jixiao {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn score_json(extra: &[&str]) -> Value {
    let mut args = vec!["score", SAMPLE, "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&run(&args)).expect("valid JSON")
}

/// A copy of the sample evaluation in a temporary folder, its scheme copied beside it.
struct Copy {
    _tmp: TempDir,
    dir: PathBuf,
}

impl Copy {
    fn new() -> Copy {
        let tmp = TempDir::new().expect("temp dir");
        let dir = tmp.path().join("legal-aid-2022");
        fs::create_dir(&dir).expect("folder");
        for entry in fs::read_dir(SAMPLE).expect("sample") {
            let entry = entry.expect("entry");
            if entry.file_type().expect("type").is_file() {
                fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
            }
        }
        fs::copy("indicators/legal-aid-2022.toml", dir.join("scheme.toml")).expect("scheme");
        let eval = fs::read_to_string(dir.join("evaluation.toml")).expect("evaluation.toml");
        fs::write(
            dir.join("evaluation.toml"),
            eval.replace("../../indicators/legal-aid-2022.toml", "scheme.toml"),
        )
        .expect("write evaluation.toml");
        Copy { _tmp: tmp, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn dir(&self) -> &str {
        self.dir.to_str().expect("UTF-8 path")
    }

    /// Add lines at the end of one of the folder's files.
    fn append(&self, name: &str, lines: &str) {
        let mut text = fs::read_to_string(self.path(name)).expect("read");
        text.push_str(lines);
        fs::write(self.path(name), text).expect("write");
    }

    /// Replace `from` (which must be there) by `to` in one of the folder's files.
    fn edit(&self, name: &str, from: &str, to: &str) {
        let text = fs::read_to_string(self.path(name)).expect("read");
        assert!(text.contains(from), "{name} does not contain {from:?}");
        fs::write(self.path(name), text.replacen(from, to, 1)).expect("write");
    }
}

// ───────────────────────────── explain ─────────────────────────────

fn explain(dir: &str, id: &str, extra: &[&str]) -> String {
    let mut args = vec!["explain", dir, id];
    args.extend_from_slice(extra);
    run(&args)
}

/// Every indicator of the sample, with lines its derivation must contain.
#[test]
fn explain_derives_every_sample_indicator() {
    let cases: &[(&str, &[&str])] = &[
        // Qualitative: tier bounds are round(w × 80%, 2) and round(w × 60%, 2).
        // D1 w = 3: 3 × 0.8 = 2.4 → 达成 [2.4, 3]; judged 3 (judgments.csv line 2)
        (
            "D1",
            &[
                "judgments.csv 第 2 行：档次 达成年度指标；评分 3",
                "round(3 × 80.00%, 2) = 2.4，round(3 × 60.00%, 2) = 1.8",
                "档内 [2.4, 3]，评定得分 3，在档内",
                "得分 3.00 / 3，失分 0.00",
            ],
        ),
        // D2 w = 2: 2 × 0.8 = 1.6 → [1.6, 2]; judged 2 (line 3)
        (
            "D2",
            &[
                "judgments.csv 第 3 行",
                "档内 [1.6, 2]，评定得分 2",
                "得分 2.00 / 2",
            ],
        ),
        // D3, D4 w = 2, judged 2 (lines 4, 5)
        (
            "D3",
            &["judgments.csv 第 4 行", "档内 [1.6, 2]", "得分 2.00 / 2"],
        ),
        (
            "D4",
            &["judgments.csv 第 5 行", "档内 [1.6, 2]", "得分 2.00 / 2"],
        ),
        // D5 w = 3: 部分达成 [3 × 0.6, 3 × 0.8) = [1.8, 2.4); judged 2; 3 − 2 = 1 lost (line 6)
        (
            "D5",
            &[
                "judgments.csv 第 6 行：档次 部分达成年度指标并具有一定效果；评分 2；原因：项目预算比较薄弱",
                "档内 [1.8, 2.4)，评定得分 2，在档内",
                "得分 2.00 / 3，失分 1.00",
            ],
        ),
        // D6 w = 3, judged 3 (line 7)
        (
            "D6",
            &["judgments.csv 第 7 行", "档内 [2.4, 3]", "得分 3.00 / 3"],
        ),
        // P1 资金到位率 = allocated / adjusted_budget = 100,000 / 100,000 = 1 = 100% ≥ 100% → 3
        (
            "P1",
            &[
                "arrival_rate 资金到位率 = 100.00% = allocated / adjusted_budget",
                "budget.csv 第 2 行 当年财政拨款 100,000.00",
                "100,000.00 / 100,000.00 = 1 → 100.00%",
                "B ≥ A：100.00% ≥ 100.00% → 得满分 3",
                "得分 3.00 / 3",
            ],
        ),
        // P2: 16 spending rows sum to 67,900.00 (README); 67,900 / 100,000 = 0.679 = 67.90%,
        // which lies in [60%, 70%) → 2; 5 − 2 = 3 lost
        (
            "P2",
            &[
                "spending.csv 中本项目 16 行之和（负数为冲销）",
                "第  6 行  2022-05-22   -280.00  记-0517 冲销：卷宗盒重复报销",
                "合计 67,900.00",
                "67,900.00 / 100,000.00 = 0.679 → 67.90%",
                "[60%, 70%) → 2",
                "67.90% 属于 [60%, 70%) → 2",
                "四舍五入保留两位小数：2 → 2.00",
                "得分 2.00 / 5，失分 3.00",
                "扣分原因：预算编制偏大，年度支出6.79万元低于预算10万元",
            ],
        ),
        // P3 资金使用合规性: violations = 0 (outputs.csv line 9); 4 − 0 × 1 = 4
        (
            "P3",
            &[
                "violations = 0件：",
                "outputs.csv 第 9 行（未发现违规使用资金）",
                "w − B × points = 4 − 0 × 1 = 4",
                "得分 4.00 / 4",
            ],
        ),
        // P4 checklist: 是 → 1 for both items (outputs.csv lines 11, 12); 2 + 2 = 4
        (
            "P4",
            &[
                "has_financial_rules = 1：",
                "outputs.csv 第 11 行",
                "outputs.csv 第 12 行",
                "经费管理制度：has_financial_rules = 1 → 符合，得 2",
                "2 + 2 = 4",
                "得分 4.00 / 4",
            ],
        ),
        // P5 w = 4: 达成 [3.2, 4]; judged 4 (line 9)
        (
            "P5",
            &[
                "judgments.csv 第 9 行",
                "档内 [3.2, 4]，评定得分 4",
                "得分 4.00 / 4",
            ],
        ),
        // O1 cases_total = 105 + 30 = 135 ≥ 120 → 8 (outputs.csv lines 2, 3)
        (
            "O1",
            &[
                "cases_civil = 105件：",
                "outputs.csv 第 2 行（民事案件）",
                "outputs.csv 第 3 行",
                "cases_total = 105 + 30 = 135",
                "B ≥ A：135件 ≥ 120件 → 得满分 8",
                "得分 8.00 / 8",
            ],
        ),
        // O2 consultations 500 ≥ 500 → 6 (line 4)
        (
            "O2",
            &[
                "outputs.csv 第 4 行",
                "B ≥ A：500起 ≥ 500起 → 得满分 6",
                "得分 6.00 / 6",
            ],
        ),
        // O3 migrant_workers 63 ≥ 50 → 6 (line 5); 63 / 50 = 126% < 130%: no warning
        (
            "O3",
            &[
                "outputs.csv 第 5 行",
                "B ≥ A：63人 ≥ 50人 → 得满分 6",
                "得分 6.00 / 6",
            ],
        ),
        // O4 substandard_files = 0 → 6 (line 6)
        (
            "O4",
            &[
                "outputs.csv 第 6 行",
                "B = 0件 ≤ 0 → 得满分 6",
                "得分 6.00 / 6",
            ],
        ),
        // O5 follow_up_rate = 135 / 135 = 1 = 100% ≥ 95% → 4 (follow_ups: line 7)
        (
            "O5",
            &[
                "follow_ups = 135件：",
                "outputs.csv 第 7 行",
                "follow_up_rate = 135 / 135 = 1 = 100.00%",
                "B ≥ A：100.00% ≥ 95.00% → 得满分 4",
                "得分 4.00 / 4",
            ],
        ),
        // O6 late_petitions = 0 → 5 (line 8)
        (
            "O6",
            &[
                "outputs.csv 第 8 行",
                "B = 0件 ≤ 0 → 得满分 5",
                "得分 5.00 / 5",
            ],
        ),
        // O7 cost_per_case = 67,900 / 135 = 502.962962… ≈ 502.96 ≤ 800 → 5
        (
            "O7",
            &[
                "cost_per_case = 67,900.00 / 135 = ≈502.962963",
                "B 在评分表中显示为 502.96元/件（四舍五入保留两位小数）",
                "B ≤ A：502.96元/件 ≤ 800元/件 → 得满分 5",
                "得分 5.00 / 5",
            ],
        ),
        // B1 w = 6: 达成 [4.8, 6]; judged 6 (line 10)
        (
            "B1",
            &[
                "judgments.csv 第 10 行",
                "档内 [4.8, 6]，评定得分 6",
                "得分 6.00 / 6",
            ],
        ),
        // B2 w = 4: 部分达成 [2.4, 3.2); judged 3; 4 − 3 = 1 lost (line 11)
        (
            "B2",
            &[
                "judgments.csv 第 11 行",
                "档内 [2.4, 3.2)，评定得分 3，在档内",
                "得分 3.00 / 4，失分 1.00",
                "扣分原因：法律援助工作自身的信息报道方面做得不够好",
            ],
        ),
        // B3, B4 w = 5: 达成 [4, 5]; judged 5 (lines 12, 13)
        (
            "B3",
            &[
                "judgments.csv 第 12 行",
                "档内 [4, 5]，评定得分 5",
                "得分 5.00 / 5",
            ],
        ),
        (
            "B4",
            &[
                "judgments.csv 第 13 行",
                "档内 [4, 5]，评定得分 5",
                "得分 5.00 / 5",
            ],
        ),
        // B5 complaints = 0 → 5 (outputs.csv line 10)
        (
            "B5",
            &[
                "outputs.csv 第 10 行",
                "B = 0件 ≤ 0 → 得满分 5",
                "得分 5.00 / 5",
            ],
        ),
    ];
    let json = score_json(&[]);
    let ids: Vec<&str> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        cases.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        "every sample indicator has a case, in scheme order"
    );
    for (id, expected) in cases {
        let text = explain(SAMPLE, id, &[]);
        for e in *expected {
            assert!(text.contains(e), "explain {id} lacks {e:?}:\n{text}");
        }
    }
}

/// Under the standard 自评表 scheme the execution rate scores proportionally:
/// 67.90% / 100% × 10 = 6.79.
#[test]
fn explain_shows_a_proportional_score_below_target() {
    let text = explain(SAMPLE, "S01", &["--scheme", SELF_EVALUATION]);
    // execution_rate = spent / adjusted_budget = 67,900 / 100,000 = 0.679
    assert!(
        text.contains("67,900.00 / 100,000.00 = 0.679 → 67.90%"),
        "{text}"
    );
    // 0.679 / 1 × 10 = 6.79
    assert!(
        text.contains("B < A：B / A × w = 67.90% / 100.00% × 10 = 0.679 × 10 = 6.79"),
        "{text}"
    );
    assert!(text.contains("四舍五入保留两位小数：6.79 → 6.79"), "{text}");
    assert!(text.contains("得分 6.79 / 10，失分 3.21"), "{text}");
    // S02 output_quantity_rate is bound in evaluation.toml, whose line 13 holds its formula
    // (lines 10–13: [[metric]], id, name, formula): (105 + 30) / 120 = 1.125
    let text = explain(SAMPLE, "S02", &["--scheme", SELF_EVALUATION]);
    assert!(text.contains("evaluation.toml 第 13 行"), "{text}");
    assert!(
        text.contains("output_quantity_rate = (105 + 30) / 120 = 1.125 = 112.50%"),
        "{text}"
    );
}

/// Whatever the scheme, the score explain arrives at is the score `score` printed.
#[test]
fn explain_agrees_with_the_score_of_every_indicator() {
    for scheme in [None, Some(SELF_EVALUATION)] {
        let extra: Vec<&str> = scheme.map(|s| vec!["--scheme", s]).unwrap_or_default();
        let json = score_json(&extra);
        for i in json["indicators"].as_array().unwrap() {
            let id = i["id"].as_str().unwrap();
            let text = explain(SAMPLE, id, &extra);
            let score = format!("{:.2}", i["score"].as_f64().unwrap());
            let weight = i["weight"].to_string();
            assert!(
                text.contains(&format!("得分 {score} / {weight}")),
                "{id}: {score} / {weight}\n{text}"
            );
            assert!(!text.contains("不一致"), "{id}:\n{text}");
        }
    }
}

/// Rules the sample does not use, on a copy: a per-point deduction, a tolerance band,
/// the platform's reverse formula, a judged deduction and an indicator judged 不适用.
#[test]
fn explain_shows_each_step_of_other_rules() {
    let c = Copy::new();
    // P2 becomes 每低1个百分点扣0.1分 against ≥ 90%:
    // gap 90% − 67.90% = 22.10% → 22.1 steps × 0.1 = 2.21; 5 − 2.21 = 2.79
    c.edit(
        "scheme.toml",
        r#"rule = { kind = "bands", bands = [
      { range = "[90%, +∞)", score = 5 },
      { range = "[80%, 90%)", score = 4 },
      { range = "[70%, 80%)", score = 3 },
      { range = "[60%, 70%)", score = 2 },
      { range = "(-∞, 60%)", score = 0 },
    ] }"#,
        r#"rule = { kind = "deduct_per_point", step = "1%", points = 0.1 }"#,
    );
    c.edit(
        "scheme.toml",
        "target = \">= 100%\"\n    standard = \"≥90%",
        "target = \">= 90%\"\n    standard = \"≥90%",
    );
    // O7 uses the platform's reverse formula against ≤ 400 元/件:
    // deviation (502.962962… − 400) / 400 = 0.257407…; (1 − 0.257407…) × 5 = 3.712962… → 3.71
    c.edit(
        "scheme.toml",
        "target = \"<= 800 元/件\"",
        "target = \"<= 400 元/件\"\n    rule = { kind = \"reverse_deviation\" }",
    );
    // O2 consultations 500 against = 550 ± 5%, zero at 20%:
    // |500 − 550| / 550 = 9.09%; 6 × (20% − 9.0909…%) / (20% − 5%) = 4.363636… → 4.36
    c.edit(
        "scheme.toml",
        "target = \">= 500 起\"",
        "target = \"= 550 起\"\n    rule = { kind = \"tolerance\", within = \"5%\", zero_at = \"20%\" }",
    );
    // O1 loses 0.5 in a judgment with its reason: 8 − 0.5 = 7.5
    // O6 is judged 不适用
    c.append(
        "judgments.csv",
        "RJ-SFJ-2022-001,O1,,,0.5,两件卷宗归档不及时,legal-aid-2022\n\
         RJ-SFJ-2022-001,O6,不适用,,,本年度未设上访考核,legal-aid-2022\n",
    );
    let dir = c.dir();
    let text = explain(dir, "P2", &[]);
    for e in [
        "步长 step = 1.00%，每步扣 points = 0.1 分，按比例计步",
        "差距 A − B = 90.00% − 67.90% = 22.10%",
        "步数 22.10% / 1.00% = 22.1",
        "扣分 22.1 × 0.1 = 2.21；5 − 2.21 = 2.79",
        "得分 2.79 / 5，失分 2.21",
    ] {
        assert!(text.contains(e), "P2 lacks {e:?}:\n{text}");
    }
    let text = explain(dir, "O7", &[]);
    for e in [
        "偏离度 (B − A) / A = (502.96元/件 − 400元/件) / 400元/件 = ≈0.257407",
        "(1 − ≈0.257407) × 5 = ≈3.712963",
        "四舍五入保留两位小数：≈3.712963 → 3.71",
    ] {
        assert!(text.contains(e), "O7 lacks {e:?}:\n{text}");
    }
    let text = explain(dir, "O2", &[]);
    for e in [
        "within = 5.00%，zero_at = 20.00%",
        "偏差 |B − A| / A = |500起 − 550起| / 550起 = 9.09%",
        "→ 4.36",
    ] {
        assert!(text.contains(e), "O2 lacks {e:?}:\n{text}");
    }
    let text = explain(dir, "O1", &[]);
    for e in [
        "扣分 0.5；原因：两件卷宗归档不及时",
        "扣分：8 − 0.5 = 7.5",
        "四舍五入保留两位小数：7.5 → 7.50",
    ] {
        assert!(text.contains(e), "O1 lacks {e:?}:\n{text}");
    }
    let text = explain(dir, "O6", &[]);
    assert!(text.contains("不计分，总分按百分制折算"), "{text}");
    // Σ scores against the sample's 95: P2 2 → 2.79 (+0.79), O7 5 → 3.71 (−1.29),
    // O2 6 → 4.36 (−1.64), O1 8 → 7.5 (−0.5), O6 5 → left out (−5, applicable weight 95):
    // 95 + 0.79 − 1.29 − 1.64 − 0.5 − 5 = 87.36; 87.36 × 100 / 95 = 91.957… → 91.96
    assert!(
        text.contains("Σ得分 × 总分 / 适用分值 = 87.36 × 100 / 95 = 91.96"),
        "{text}"
    );
}

#[test]
fn explain_an_unknown_indicator_lists_the_known_ones() {
    let out = cargo_bin_cmd!("jixiao")
        .args(["explain", SAMPLE, "X9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no indicator \"X9\""), "{err}");
    assert!(err.contains("D1, D2, D3"), "{err}");
    // by name, and in English
    let text = explain(SAMPLE, "预算执行率", &["--lang", "en"]);
    assert!(text.starts_with("P2 预算执行率\n"), "{text}");
    assert!(text.contains("score 2.00 / 5, lost 3.00"), "{text}");
}

// ───────────────────────────── --previous ─────────────────────────────

/// Last year's result of the sample: invented, saved from `jixiao score --format json` on
/// a 2021 folder (budget 100,000 spent 85,000; 114 cases; one violation; total 92).
const LAST_YEAR: &str = "samples/legal-aid-2022/last-year-2021.json";

/// The cells of the table row whose first cell is `label`, trimmed.
fn row(table: &str, label: &str) -> Vec<String> {
    table
        .lines()
        .map(|l| {
            l.trim_matches('│')
                .split('┆')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.first().is_some_and(|c| c == label))
        .unwrap_or_else(|| panic!("no row {label:?} in\n{table}"))
}

#[test]
fn previous_adds_last_year_and_the_change_to_the_json() {
    let v = score_json(&["--previous", LAST_YEAR]);
    let y = &v["year_over_year"];
    assert_eq!(y["previous_year"], 2021);
    assert_eq!(y["current_year"], 2022);
    // 95 − 92 = 3
    assert_eq!(
        y["total_score"],
        serde_json::json!({"previous": 92, "current": 95, "change": 3})
    );
    assert_eq!(
        y["grade"],
        serde_json::json!({"previous": "优", "current": "优"})
    );
    // 67,900.00 − 85,000.00 = −17,100.00; money stays a decimal string
    assert_eq!(
        y["metrics"]["spent"],
        serde_json::json!({"previous": "85000.00", "current": "67900.00", "change": "-17100.00"})
    );
    // 0.679 − 0.85 = −0.171
    assert_eq!(
        y["metrics"]["execution_rate"],
        serde_json::json!({"previous": 0.85, "current": 0.679, "change": -0.171})
    );
    // balance 15,000 → 32,100: +17,100
    assert_eq!(y["metrics"]["balance"]["change"], "17100.00");
    let ind = |id: &str| {
        y["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    // P2: 85% in [80%, 90%) → 4 last year; 67.9% → 2 now: −2
    assert_eq!(
        ind("P2")["score"],
        serde_json::json!({"previous": 4, "current": 2, "change": -2})
    );
    // O1: 90 + 24 = 114 cases → 114/120 × 8 = 7.6; now 135 → 8: +0.4, +21 cases
    assert_eq!(ind("O1")["score"]["previous"].as_f64(), Some(7.6));
    assert_eq!(ind("O1")["score"]["change"].as_f64(), Some(0.4));
    assert_eq!(
        ind("O1")["actual_value"],
        serde_json::json!({"previous": 114, "current": 135, "change": 21})
    );
    // O7: 85,000 / 114 = 745.614… → 745.614 (4 places); 67,900 / 135 = 502.963:
    // 502.963 − 745.614 = −242.651
    assert_eq!(ind("O7")["actual_value"]["change"].as_f64(), Some(-242.651));
    // qualitative: the tiers as text, no numeric actual value
    assert_eq!(ind("B2")["actual_value"], Value::Null);
    assert_eq!(
        ind("B2")["actual"]["previous"],
        "部分达成年度指标并具有一定效果"
    );
    // B2 judged 2.4 last year, 3 now: +0.6
    assert_eq!(ind("B2")["score"]["change"].as_f64(), Some(0.6));
    // dimension 过程: 3 + 4 + 3 + 4 + 3.6 = 17.6 last year; 17 now: −0.6
    let process = y["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "过程")
        .unwrap();
    assert_eq!(process["previous"].as_f64(), Some(17.6));
    assert_eq!(process["change"].as_f64(), Some(-0.6));
    assert_eq!(y["notes"], serde_json::json!([]));
    // without --previous there is no such key
    assert!(score_json(&[]).get("year_over_year").is_none());
}

#[test]
fn previous_adds_comparison_tables_to_the_table() {
    let text = run(&["score", SAMPLE, "--previous", LAST_YEAR]);
    let (scores, comparison) = text.split_once("与上年比较").expect("comparison section");
    // the score tables are unchanged
    assert!(scores.contains("总分：95.00 / 100    等级：优"));
    assert_eq!(
        row(comparison, "项目"),
        ["项目", "2021年", "2022年", "变动"]
    );
    // 6.79 − 8.5 万元 = −1.71; 万元 with two decimals: 8.5 → 8.50
    assert_eq!(
        row(comparison, "全年执行数（万元）"),
        ["全年执行数（万元）", "8.50", "6.79", "-1.71"]
    );
    // 67.90% − 85.00% = −17.10 percentage points
    assert_eq!(
        row(comparison, "预算执行率（执行数/全年预算数）"),
        [
            "预算执行率（执行数/全年预算数）",
            "85.00%",
            "67.90%",
            "-17.10个百分点"
        ]
    );
    assert_eq!(row(comparison, "总分"), ["总分", "92.00", "95.00", "+3.00"]);
    // 决策 13.6 → 14: +0.4
    assert_eq!(
        row(comparison, "决策 得分"),
        ["决策 得分", "13.60", "14.00", "+0.40"]
    );
    // O1: 114件 → 135件, +21件; 7.60 → 8.00, +0.40
    assert_eq!(
        row(comparison, "O1 受理法律援助案件数"),
        [
            "O1 受理法律援助案件数",
            "114件",
            "135件",
            "+21件",
            "7.60",
            "8.00",
            "+0.40"
        ]
    );
    // P3: one violation last year, 4 − 1 × 1 = 3; none now: 4
    assert_eq!(
        row(comparison, "P3 资金使用合规性"),
        [
            "P3 资金使用合规性",
            "1件",
            "0件",
            "-1件",
            "3.00",
            "4.00",
            "+1.00"
        ]
    );
    assert!(!comparison.contains("提示"), "{comparison}");
    // English labels
    let text = run(&["score", SAMPLE, "--previous", LAST_YEAR, "--lang", "en"]);
    assert!(
        text.contains("Year over year (last year's result: "),
        "{text}"
    );
    assert!(text.contains("-17.10 pp"), "{text}");
}

#[test]
fn previous_of_the_wrong_year_is_noted() {
    // This year's own result as "last year": 2022 is not 2021; every change is 0.
    let c = Copy::new();
    let json = run(&["score", SAMPLE, "--format", "json"]);
    fs::write(c.path("same-year.json"), json).unwrap();
    let same = c.path("same-year.json");
    let text = run(&["score", SAMPLE, "--previous", same.to_str().unwrap()]);
    assert!(
        text.contains("提示：上年结果的年度为 2022，不是 2021 年"),
        "{text}"
    );
    assert_eq!(row(&text, "总分")[3], "0.00");
}

#[test]
fn a_previous_file_that_cannot_be_used_is_an_input_problem() {
    let c = Copy::new();
    fs::write(c.path("bad.json"), "{\n  \"total_score\": 92,\n  oops\n}\n").unwrap();
    fs::write(c.path("other.json"), "{\"hello\": 1}\n").unwrap();
    for (name, expected) in [
        // line 3, column 3: the unquoted key
        ("bad.json", "bad.json:3:3: error: not valid JSON"),
        (
            "other.json",
            "other.json: error [indicators]: not a jixiao result: no \"indicators\" array",
        ),
        ("missing.json", "cannot read last year's result"),
    ] {
        let path = c.path(name);
        let out = cargo_bin_cmd!("jixiao")
            .args([
                "--lang",
                "en",
                "score",
                SAMPLE,
                "--previous",
                path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}: nothing is printed");
    }
}

#[test]
fn previous_is_for_table_and_json_and_never_overwritten() {
    let out = cargo_bin_cmd!("jixiao")
        .args([
            "score",
            SAMPLE,
            "--lang",
            "en",
            "--previous",
            LAST_YEAR,
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--previous works with --format table or json")
    );
    // -o onto last year's file is refused before anything is written
    let c = Copy::new();
    let last = c.path("last-year-2021.json");
    let before = fs::read(&last).unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args([
            "score",
            c.dir(),
            "--format",
            "json",
            "--previous",
            last.to_str().unwrap(),
        ])
        .args(["-o", last.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(&last).unwrap(), before);
}

// ───────────────────────────── export --xlsx ─────────────────────────────

use calamine::{Data, Reader, Xlsx, open_workbook};

/// Export a folder's 自评表 into `out`, returning the sheet's cells and merged ranges.
fn export_xlsx(
    dir: &str,
    out: &std::path::Path,
    extra: &[&str],
) -> (calamine::Range<Data>, Vec<String>, calamine::StyleRange) {
    let mut args = vec!["export", dir, "--xlsx", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args);
    let mut book: Xlsx<_> = open_workbook(out).expect("an xlsx file");
    assert_eq!(book.sheet_names(), ["项目支出绩效自评表"]);
    let cells = book
        .worksheet_range("项目支出绩效自评表")
        .expect("the sheet");
    let merged = book
        .merge_cells_by_sheet_name("项目支出绩效自评表")
        .expect("merged cells")
        .iter()
        .map(|d| a1(d.start) + ":" + &a1(d.end))
        .collect();
    let styles = book.worksheet_style("项目支出绩效自评表").expect("styles");
    (cells, merged, styles)
}

/// (row, column), 0-based, as an A1 reference.
fn a1((row, col): (u32, u32)) -> String {
    format!("{}{}", (b'A' + col as u8) as char, row + 1)
}

/// The cell at an A1 reference (columns A–I).
fn cell<'a>(cells: &'a calamine::Range<Data>, at: &str) -> &'a Data {
    let col = u32::from(at.as_bytes()[0] - b'A');
    let row: u32 = at[1..].parse::<u32>().unwrap() - 1;
    cells.get_value((row, col)).unwrap_or(&Data::Empty)
}

fn text(cells: &calamine::Range<Data>, at: &str) -> String {
    match cell(cells, at) {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("{at} is not text: {other:?}"),
    }
}

fn num(cells: &calamine::Range<Data>, at: &str) -> f64 {
    match cell(cells, at) {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("{at} is not a number: {other:?}"),
    }
}

fn format_of(styles: &calamine::StyleRange, at: &str) -> String {
    let col = u32::from(at.as_bytes()[0] - b'A');
    let row: u32 = at[1..].parse::<u32>().unwrap() - 1;
    styles
        .get((row, col))
        .and_then(|s| s.number_format.as_ref())
        .map(|f| f.format_code.clone())
        .unwrap_or_default()
}

#[test]
fn export_writes_the_self_evaluation_form_of_the_sample() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("自评表.xlsx");
    let (c, merged, styles) = export_xlsx(SAMPLE, &out, &[]);
    // ── title and header ──
    assert_eq!(text(&c, "A1"), "项目支出绩效自评表");
    assert_eq!(text(&c, "A2"), "（2022年度）");
    assert_eq!(
        (text(&c, "A3"), text(&c, "B3")),
        ("项目名称".into(), "法律援助".into())
    );
    assert_eq!(text(&c, "B4"), "赣州市司法局蓉江新区分局");
    assert_eq!(
        (text(&c, "E4"), text(&c, "F4")),
        ("实施单位".into(), "蓉江新区法律援助中心".into())
    );
    // ── 项目资金（万元）: 100,000 元 = 10 万元; 67,900 元 = 6.79 万元; 67,900 / 100,000 = 67.90% ──
    assert_eq!(text(&c, "A5"), "项目资金\n（万元）");
    let header: Vec<String> = ["D5", "E5", "F5", "G5", "H5", "I5"]
        .iter()
        .map(|a| text(&c, a))
        .collect();
    assert_eq!(
        header,
        [
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分"
        ]
    );
    assert_eq!(text(&c, "B6"), "年度资金总额");
    assert_eq!(
        [num(&c, "D6"), num(&c, "E6"), num(&c, "F6")],
        [10.0, 10.0, 6.79]
    );
    assert_eq!(num(&c, "H6"), 0.679);
    // the framework scheme scores execution inside 过程 (P2): its 分值 and 得分 stand here,
    // as on the official form (67.90% in [60%, 70%) → 2 of 5), and its row leaves the table
    assert_eq!((num(&c, "G6"), num(&c, "I6")), (5.0, 2.0));
    // the one source is 当年财政拨款: all spending is its
    assert_eq!(text(&c, "B7"), "其中：当年财政拨款");
    assert_eq!(
        [num(&c, "D7"), num(&c, "E7"), num(&c, "F7"), num(&c, "H7")],
        [10.0, 10.0, 6.79, 0.679]
    );
    assert_eq!(
        (text(&c, "B8"), text(&c, "D8")),
        ("上年结转资金".into(), String::new())
    );
    assert_eq!(text(&c, "B9"), "其他资金");
    assert_eq!(format_of(&styles, "D6"), "#,##0.00");
    assert_eq!(format_of(&styles, "H6"), "0.00%");
    // ── 年度总体目标: the sample's narrative.toml is not read here; see the report tests ──
    assert_eq!(
        (text(&c, "B10"), text(&c, "F10")),
        ("预期目标".into(), "实际完成情况".into())
    );
    // ── 绩效指标 ──
    let head: Vec<String> = [
        "A12", "B12", "C12", "D12", "E12", "F12", "G12", "H12", "I12",
    ]
    .iter()
    .map(|a| text(&c, a))
    .collect();
    assert_eq!(
        head,
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施"
        ]
    );
    // rows 13–35: the 23 indicators in scheme order; D1 on row 13
    assert_eq!(text(&c, "B13"), "决策（15分）");
    assert_eq!(text(&c, "C13"), "项目立项");
    assert_eq!(text(&c, "D13"), "立项依据充分性");
    assert_eq!(text(&c, "E13"), "符合法律援助条例及部门职责");
    assert_eq!(text(&c, "F13"), "达成年度指标");
    assert_eq!((num(&c, "G13"), num(&c, "H13")), (3.0, 3.0));
    assert_eq!(format_of(&styles, "H13"), "0.00");
    // D5 (row 17): judged 2 of 3 with its reason
    assert_eq!(text(&c, "D17"), "预算编制科学性");
    assert_eq!(num(&c, "H17"), 2.0);
    assert_eq!(
        text(&c, "I17"),
        "项目预算比较薄弱，预算的计划性、科学性不强，削弱了预算的约束能力"
    );
    // P1 (row 19) opens 过程, shown without P2's 5 points: 20 − 5 = 15
    assert_eq!(text(&c, "B19"), "过程（15分）");
    assert_eq!(text(&c, "D19"), "资金到位率");
    // P3 (row 20): = 0 件 written with the full-width sign, never a formula
    assert_eq!(text(&c, "E20"), "＝0件");
    assert_eq!(num(&c, "F20"), 0.0);
    assert_eq!(format_of(&styles, "F20"), "0\"件\"");
    // P4 (row 21): checklist, 2 of 2 items
    assert_eq!(text(&c, "F21"), "2/2");
    // O1 (row 23): 105 + 30 = 135 件
    assert_eq!(text(&c, "B23"), "产出（40分）");
    assert_eq!(num(&c, "F23"), 135.0);
    assert_eq!(format_of(&styles, "F23"), "0\"件\"");
    // O7 (row 29): 67,900 / 135 = 502.962… → 502.96 元/件, stored rounded as shown
    assert_eq!(text(&c, "D29"), "案均支出");
    assert_eq!(text(&c, "E29"), "≤800元/件");
    assert_eq!(num(&c, "F29"), 502.96);
    assert_eq!(format_of(&styles, "F29"), "0.00\"元/件\"");
    // B2 (row 31): judged 3 of 4
    assert_eq!(text(&c, "B30"), "效益（25分）");
    assert_eq!(num(&c, "H31"), 3.0);
    // B5 (row 34), the last indicator
    assert_eq!(text(&c, "D34"), "因服务不到位引发的投诉数");
    // the 分值 on the form: 5 + 15 + 15 + 40 + 25 = 100
    // ── 总分 and 评价等级: 14 + 17 + 40 + 24 = 95 of 100 → 优 ──
    assert_eq!(text(&c, "A35"), "总分");
    assert_eq!((num(&c, "G35"), num(&c, "H35")), (100.0, 95.0));
    assert_eq!(
        (text(&c, "A36"), text(&c, "G36")),
        ("评价等级".into(), "优".into())
    );
    assert!(text(&c, "A37").starts_with("填表人："));
    // ── merged cells: blocks, first-level rows, second-level groups ──
    for range in [
        "A1:I1", "B3:I3", "B4:D4", "F4:I4", "A5:A9", "B6:C6", "A10:A11", "B10:E10", "F10:I10",
        "B11:E11", "F11:I11",
        // the 绩效指标 label, merged on each page: the page breaks before row 19 (过程, the
        // first 二级指标 the first page would cut) and the label is printed again
        "A12:A18", "A19:A34",
        // 决策 D1–D6 rows 13–18; 过程 P1, P3–P5 19–22; 产出 O1–O7 23–29; 效益 B1–B5 30–34
        "B13:B18", "B19:B22", "B23:B29", "B30:B34",
        // 项目立项 D1–D2, 绩效目标 D3–D4, 资金投入 D5–D6, 资金管理 P1 and P3, 组织实施
        // P4–P5, 产出数量 O1–O3, 产出质量 O4–O5, 社会效益 B1–B2
        "C13:C14", "C15:C16", "C17:C18", "C19:C20", "C21:C22", "C23:C25", "C26:C27", "C30:C31",
        "A35:F35", "A36:F36", "G36:I36",
    ] {
        assert!(
            merged.iter().any(|m| m == range),
            "{range} not merged: {merged:?}"
        );
    }
    // a group of one indicator is a plain cell
    assert!(!merged.iter().any(|m| m.starts_with("C28:")), "{merged:?}");
    // every cell of the indicator table has borders
    let style = styles.get((19, 8)).expect("I20 style");
    let borders = style.borders.as_ref().expect("borders");
    assert!(borders.left.style != calamine::BorderStyle::None);
}

#[test]
fn export_puts_the_execution_score_in_the_funds_block_of_the_standard_form() {
    // Under the 自评表 scheme 预算执行率 is its own first-level block (10 points):
    // 67.90% / 100% × 10 = 6.79, shown in the funds rows, not among the indicators.
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("self.xlsx");
    let (c, merged, _) = export_xlsx(SAMPLE, &out, &["--scheme", SELF_EVALUATION]);
    assert_eq!(
        (num(&c, "G6"), num(&c, "H6"), num(&c, "I6")),
        (10.0, 0.679, 6.79)
    );
    // the indicators start with 产出指标 (50分): S02 产出数量完成率 (105 + 30) / 120 = 112.50%
    assert_eq!(text(&c, "B13"), "产出指标（50分）");
    assert_eq!(text(&c, "D13"), "产出数量完成率");
    assert_eq!(num(&c, "F13"), 1.125);
    // S02–S05 under 产出指标 (rows 13–16), S06 效益指标 (17), S07 满意度指标 (18)
    assert!(merged.iter().any(|m| m == "B13:B16"), "{merged:?}");
    assert_eq!(text(&c, "B17"), "效益指标（30分）");
    assert_eq!(text(&c, "B18"), "满意度指标（10分）");
    // 总分 6.79 + 50 + 30 + 10 = 96.79
    assert_eq!(text(&c, "A19"), "总分");
    assert_eq!(num(&c, "H19"), 96.79);
}

#[test]
fn export_neutralises_text_a_spreadsheet_would_run() {
    let c = Copy::new();
    c.edit(
        "judgments.csv",
        "项目预算比较薄弱，预算的计划性、科学性不强，削弱了预算的约束能力",
        // one CSV field, quoted: =HYPERLINK("http://example.com","点击")
        r#""=HYPERLINK(""http://example.com"",""点击"")""#,
    );
    c.edit(
        "judgments.csv",
        "法律援助工作自身的信息报道方面做得不够好，宣传有待加强",
        "-1 宣传不足",
    );
    c.edit(
        "evaluation.toml",
        "unit = \"蓉江新区法律援助中心\"",
        "unit = \"@蓉江新区法律援助中心\"",
    );
    let out = c.path("out.xlsx");
    let (cells, _, _) = export_xlsx(c.dir(), &out, &[]);
    assert_eq!(
        text(&cells, "I17"),
        "＝HYPERLINK(\"http://example.com\",\"点击\")"
    );
    assert_eq!(text(&cells, "I31"), "－1 宣传不足");
    assert_eq!(text(&cells, "F4"), "＠蓉江新区法律援助中心");
}

#[test]
fn export_never_writes_over_an_input_and_leaves_no_temporary_file() {
    let c = Copy::new();
    let before = fs::read(c.path("budget.csv")).unwrap();
    for target in ["budget.csv", "scheme.toml", "evaluation.toml"] {
        let out = cargo_bin_cmd!("jixiao")
            .args([
                "export",
                c.dir(),
                "--lang",
                "en",
                "--xlsx",
                c.path(target).to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{target}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("refusing to write the output"), "{err}");
    }
    // another path to the same file
    let sneaky = c.dir.join("..").join("legal-aid-2022").join("budget.csv");
    let out = cargo_bin_cmd!("jixiao")
        .args(["export", c.dir(), "--xlsx", sneaky.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(c.path("budget.csv")).unwrap(), before);
    // a good run leaves exactly the new file
    let names = |dir: &std::path::Path| {
        let mut n: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    let listed = names(&c.dir);
    run(&[
        "export",
        c.dir(),
        "--xlsx",
        c.path("自评表.xlsx").to_str().unwrap(),
    ]);
    let mut expected = listed.clone();
    expected.push("自评表.xlsx".into());
    expected.sort();
    assert_eq!(names(&c.dir), expected);
    // writing again replaces it whole
    run(&[
        "export",
        c.dir(),
        "--xlsx",
        c.path("自评表.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(names(&c.dir), expected);
}

// ───────────────────────────── report ─────────────────────────────

/// The sample's report, in Markdown: every outline section, the figures computed, the seed
/// report's narrative (samples/legal-aid-2022/narrative.toml) with its {{…}} filled in.
#[test]
fn report_of_the_sample_follows_the_outline() {
    let md = run(&["report", SAMPLE]);
    insta::assert_snapshot!("legal_aid_report_md", md);
    // the outline, in order
    let headings = [
        "# 2022年法律援助项目绩效评价报告",
        "## 一、基本情况",
        "### （一）项目概况",
        "### （二）项目绩效目标",
        "## 二、绩效评价工作开展情况",
        "### （一）绩效评价目的、对象和范围",
        "### （二）绩效评价原则、评价指标体系、评价方法、评价标准",
        "### （三）绩效评价工作过程",
        "## 三、综合评价情况及评价结论",
        "## 四、绩效评价指标分析",
        "### （一）项目决策情况",
        "### （二）项目过程情况",
        "### （三）项目产出情况",
        "### （四）项目效益情况",
        "## 五、主要经验及做法、存在的问题及原因分析",
        "### （一）主要经验及做法",
        "### （二）存在的问题及原因分析",
        "## 六、有关建议",
        "## 七、其他需要说明的问题",
    ];
    let mut at = 0;
    for h in headings {
        let found = md[at..]
            .find(&format!("{h}\n"))
            .unwrap_or_else(|| panic!("{h} missing or out of order"));
        at += found + h.len();
    }
    // every narrative part is written, so no placeholder is left
    assert!(!md.contains("【待补充】项目"), "{md}");
    assert!(!md.contains("{{"), "every {{…}} is filled");
    // figures: 14 + 17 + 40 + 24 = 95 → 优; the narrative's {{total_score}} says the same
    assert!(md.contains("绩效自评得分为95分（满分100分），评价等级为“优”"));
    assert!(md.contains("决策、过程、产出、效益指标分别得分14分、17分、40分、24分"));
    assert!(md.contains("自评得分为95分。"));
    // 过程: 67,900 / 100,000 = 67.90%; 100,000 − 67,900 = 32,100 = 3.21万元; 万元 with
    // two decimals: 10 → 10.00
    assert!(md.contains(
        "项目全年预算数10.00万元，实际到位资金10.00万元，资金到位率100.00%；全年执行数6.79万元，预算执行率67.90%，结余3.21万元。"
    ));
    assert!(md.contains("支出6.79万元，预算执行率为67.90%"));
    // 产出 from outputs.csv: 105 + 30 = 135 cases
    assert!(md.contains("2022年受理法律援助案件135件，民事案件105件，刑事全覆盖案件提供辩护30件"));
    // every lost point with its reason: D5 1, P2 3, B2 1 = 5
    assert!(md.contains("共3个指标失分，合计扣5分。"));
    assert!(md.contains("- 预算编制科学性（D5，分值3分）得2分，扣1分：项目预算比较薄弱"));
    assert!(md.contains(
        "- 预算执行率（P2，分值5分）得2分，扣3分：预算编制偏大，年度支出6.79万元低于预算10万元（67.90% 属于 [60%, 70%) 档，得 2）"
    ));
    assert!(md.contains("- 法律援助知晓度（B2，分值4分）得3分，扣1分："));
    assert!(md.contains("产出指标均得满分。"));
    // the score tables
    assert!(md.contains("| 总分 | 100 | 95.00 | 等级：优 |"));
    assert!(
        md.contains("| 过程（20分） | 资金管理 | P1 资金到位率 | 3 | ≥100% | 100.00% | 3.00 |  |")
    );
}

#[test]
fn report_without_narrative_marks_every_part_to_write() {
    let c = Copy::new();
    fs::remove_file(c.path("narrative.toml")).unwrap();
    let md = run(&["report", c.dir()]);
    // 15 slots; basic.achieved has no placeholder (the analysis covers it)
    assert_eq!(md.matches("> **【待补充】").count(), 14, "{md}");
    assert!(md.contains(
        "> **【待补充】项目概况：项目背景、主要内容及实施情况、资金投入和使用情况。（在 narrative.toml 的 [basic] overview 中填写）**"
    ));
    // 存在的问题 without narrative lists the lost points for reference
    assert!(md.contains("本次评价的扣分事项（供分析问题参考）："));
    assert!(md.contains("- 预算执行率（扣3分）："));
    // the figures are all there regardless
    assert!(md.contains("绩效自评得分为95分"));
}

#[test]
fn report_reads_a_markdown_narrative_and_checks_placeholders() {
    let c = Copy::new();
    fs::remove_file(c.path("narrative.toml")).unwrap();
    fs::write(
        c.path("narrative.md"),
        "# 叙述\n\n## 项目基本情况\n\n本年度受理案件{{cases_total}}，支出{{spent:元}}。\n\n## other.notes\n无。\n",
    )
    .unwrap();
    let md = run(&["report", c.dir()]);
    // 67,900.00 元; 105 + 30 = 135 件
    assert!(
        md.contains("\n本年度受理案件135件，支出67,900.00元。\n"),
        "{md}"
    );
    assert!(md.contains("## 七、其他需要说明的问题\n\n无。\n"), "{md}");
    assert!(
        md.contains("（在 narrative.md 的“## 项目绩效目标”下填写）"),
        "{md}"
    );

    // a placeholder naming nothing is an input problem at its line
    fs::write(
        c.path("narrative.md"),
        "## 项目基本情况\n\n第一段。\n受理案件{{cases}}件。\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "report", c.dir()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    // the text starts on line 3; {{cases}} is on line 4
    assert!(
        err.contains("narrative.md:4: error [basic.overview]: \"cases\" is not a metric"),
        "{err}"
    );
    // both files at once is a problem too
    fs::write(c.path("narrative.toml"), "").unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "report", c.dir()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("both narrative.toml and narrative.md"));
    // a misspelt key in narrative.toml is reported with its line
    fs::remove_file(c.path("narrative.md")).unwrap();
    fs::write(c.path("narrative.toml"), "[basic]\noverveiw = \"x\"\n").unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "report", c.dir()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("narrative.toml:2:1: error"), "{err}");
    assert!(err.contains("overveiw"), "{err}");
}

#[test]
fn report_with_previous_compares_every_score() {
    let md = run(&["report", SAMPLE, "--previous", LAST_YEAR]);
    // 95 − 92 = +3
    assert!(
        md.contains("上年（2021年）得分92分、等级“优”，本年提高3分。"),
        "{md}"
    );
    assert!(md.contains("| 项目 | 金额（万元） | 2021年（万元） | 变动 |"));
    assert!(md.contains("| 全年执行数 | 6.79 | 8.50 | -1.71 |"));
    // 67.90% − 85.00% = −17.10 points
    assert!(md.contains("上年（2021年）预算执行率85.00%，本年变动-17.10个百分点。"));
    assert!(md.contains("| 决策 | 15 | 14.00 | 93.33% | 13.60 | +0.40 |"));
    assert!(md.contains("| 总分 | 100 | 95.00 | 等级：优 | 92.00 | +3.00 |"));
    // 过程 17.6 → 17: −0.6
    assert!(
        md.contains("过程指标分值20分，得分17分，得分率85.00%。上年得分17.6分，本年降低0.6分。")
    );
    // O1: 114件 7.60 → 8.00
    assert!(md.contains(
        "| 产出数量 | O1 受理法律援助案件数 | 8 | ≥120件 | 135件 | 8.00 | 114件 | 7.60 | +0.40 |"
    ));
    assert!(md.contains("**表4 与上年比较**"));
}

#[test]
fn report_as_html_is_one_printable_page() {
    let html = run(&["report", SAMPLE, "--html"]);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(html.contains("<title>2022年法律援助项目绩效评价报告</title>"));
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("<h2>四、绩效评价指标分析</h2>"));
    assert!(html.contains("<td class=\"num\">95.00</td>"));
    // self-contained: nothing fetched from elsewhere, nothing run
    for outside in ["<script", "<link", "src=", "http://", "https://", "url("] {
        assert!(!html.contains(outside), "{outside}");
    }
    // placeholders stand out; text from the inputs is escaped
    let c = Copy::new();
    fs::remove_file(c.path("narrative.toml")).unwrap();
    c.edit(
        "judgments.csv",
        "项目预算比较薄弱，预算的计划性、科学性不强，削弱了预算的约束能力",
        "<script>alert(1)</script>",
    );
    let html = run(&["report", c.dir(), "--html"]);
    assert!(html.contains("<p class=\"todo\">【待补充】项目概况："));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));
}

#[test]
fn report_writes_to_a_file_but_never_over_an_input() {
    let c = Copy::new();
    let out = c.path("报告.md");
    run(&["report", c.dir(), "-o", out.to_str().unwrap()]);
    assert!(
        fs::read_to_string(&out)
            .unwrap()
            .starts_with("# 2022年法律援助项目绩效评价报告\n")
    );
    for target in ["narrative.toml", "judgments.csv"] {
        let before = fs::read(c.path(target)).unwrap();
        let o = cargo_bin_cmd!("jixiao")
            .args(["report", c.dir(), "-o", c.path(target).to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{target}");
        assert_eq!(
            fs::read(c.path(target)).unwrap(),
            before,
            "{target} untouched"
        );
    }
}

#[test]
fn export_takes_the_goals_from_the_narrative() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("goals.xlsx");
    let (c, _, _) = export_xlsx(SAMPLE, &out, &[]);
    assert!(text(&c, "B11").starts_with("“法律援助”项目总体目标：通过法律援助工作"));
    assert!(text(&c, "B11").contains("\n“法律援助”项目阶段性目标："));
    // 105 + 30 = 135 cases; 67,900 元 = 6.79 万元; 67.90%
    assert!(text(&c, "F11").starts_with("全年受理法律援助案件135件（民事案件105件"));
    assert!(text(&c, "F11").ends_with("全年支出6.79万元，预算执行率67.90%。"));
    // without narrative: a marked placeholder and a summary computed from the data
    let copy = Copy::new();
    fs::remove_file(copy.path("narrative.toml")).unwrap();
    let out = copy.path("no-narrative.xlsx");
    let (c, _, _) = export_xlsx(copy.dir(), &out, &[]);
    // the placeholder is marked as the report marks one, and names the key that exists
    // (it said `[goals] expected`, which narrative.toml refuses as an unknown key)
    assert_eq!(
        text(&c, "B11"),
        "【待补充】年度总体目标（预期目标）：在 narrative.toml 的 [basic] 下填写 goals"
    );
    // following it fills the cell
    fs::write(
        copy.path("narrative.toml"),
        "[basic]\ngoals = \"全年办结案件120件\"\n",
    )
    .unwrap();
    let (c, _, _) = export_xlsx(copy.dir(), &out, &[]);
    assert_eq!(text(&c, "B11"), "全年办结案件120件");
    assert!(
        text(&c, "F11").starts_with("全年执行数6.79万元，预算执行率67.90%；资金到位率100.00%，")
    );
    assert!(text(&c, "F11").ends_with("自评得分95分，评价等级为“优”。"));
}

/// The summary leaves out only the 预算执行率 indicator (already in its first clause):
/// one whose metric is `execution_rate` or `execution_rate_allocated`. A metric of one's
/// own whose name merely starts with `execution_rate` was once left out too.
#[test]
fn summary_keeps_an_indicator_whose_own_metric_starts_like_the_execution_rate() {
    let copy = Copy::new();
    fs::remove_file(copy.path("narrative.toml")).unwrap();
    // O5 结案回访率 scores a formula of the scheme's; rename the formula.
    copy.edit(
        "scheme.toml",
        "id = \"follow_up_rate\"",
        "id = \"execution_rate_follow_up\"",
    );
    copy.edit(
        "scheme.toml",
        "metric = \"follow_up_rate\"",
        "metric = \"execution_rate_follow_up\"",
    );
    let out = copy.path("renamed.xlsx");
    let (c, _, _) = export_xlsx(copy.dir(), &out, &[]);
    let summary = text(&c, "F11");
    // 135 follow-ups / (105 + 30) cases = 100.00%, listed among the other indicators
    assert!(
        summary.contains("，质量未达标案件数0件，结案回访率100.00%，因办理不及时"),
        "{summary}"
    );
    // P2 (execution_rate_allocated) is still only in the first clause.
    assert!(summary.starts_with("全年执行数6.79万元，预算执行率67.90%；资金到位率100.00%，"));
    assert_eq!(summary.matches("预算执行率").count(), 1, "{summary}");
}

#[test]
fn report_under_the_standard_scheme() {
    // The narrative quotes outputs.csv through formulas, so it holds under any scheme.
    let md = run(&["report", SAMPLE, "--scheme", SELF_EVALUATION]);
    // 6.79 + 50 + 30 + 10 = 96.79
    assert!(
        md.contains("绩效自评得分为96.79分（满分100分），评价等级为“优”"),
        "{md}"
    );
    // no 决策 block in the 自评表 scheme
    assert!(md.contains("本次评价的指标体系未设决策类指标。"), "{md}");
    // 预算执行率 is a 过程-kind block of its own: 67.90% / 100% × 10 = 6.79
    assert!(
        md.contains("预算执行率指标分值10分，得分6.79分，得分率67.90%。"),
        "{md}"
    );
    assert!(md.contains("- 预算执行率（全年执行数/全年预算数）（S01，分值10分）得6.79分，扣3.21分：67.90% / 100.00% × 10 = 6.79"), "{md}");
    // 效益指标 and 满意度指标 are both 效益
    assert!(
        md.contains("效益指标分值30分") && md.contains("满意度指标分值10分"),
        "{md}"
    );
    assert!(
        md.contains(
            "其中，预算执行率指标、产出指标、效益指标、满意度指标分别得分6.79分、50分、30分、10分"
        ),
        "{md}"
    );
}
