//! `jixiao review`: one fixture per finding code (claim and recomputed value worked out by
//! hand), the shipped samples with every finding expected, a consistent evaluation with
//! none, the seed report's claims against its scheme, its records and the self-evaluation
//! baseline, the output formats and the exit statuses.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const FIXTURES: &str = "tests/fixtures/review";

/// Run `jixiao review ARGS --format json`; returns the exit status and the document.
fn review_json(args: &[&str]) -> (i32, Value) {
    let out = cargo_bin_cmd!("jixiao")
        .arg("review")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), doc)
}

/// (code, line, field, claim, recomputed) of each finding of the first evaluation.
fn findings(doc: &Value) -> Vec<(String, u64, String, String, String)> {
    doc["evaluations"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["field"].as_str().unwrap().to_string(),
                f["claim"].as_str().unwrap().to_string(),
                f["recomputed"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

type Expected<'a> = (&'a str, u64, &'a str, &'a str, &'a str);

fn owned(v: &[Expected<'_>]) -> Vec<(String, u64, String, String, String)> {
    v.iter()
        .map(|(c, l, f, a, b)| {
            (
                c.to_string(),
                *l,
                f.to_string(),
                a.to_string(),
                b.to_string(),
            )
        })
        .collect()
}

/// One fixture per code: (file stem, (code, line, field, claim, recomputed)). Each fixture
/// produces exactly this one finding.
fn per_code() -> Vec<(&'static str, Expected<'static>)> {
    vec![
        // 41.3 / 45 = 0.917777… = 91.777…%; to the 1 decimal "95.2%" is printed with: 91.8%
        (
            "JX2001-rate-off-amounts",
            ("JX2001", 7, "funds.execution_rate", "95.2%", "91.8%"),
        ),
        // 41.3 / 45 = 0.917777…: 四舍五入 to 3 decimals gives 0.918; cut off it gives 0.917,
        // the printed figure
        (
            "JX2002-truncated",
            ("JX2002", 7, "funds.execution_rate", "0.917", "0.918"),
        ),
        // 执行率 41.3 / 45 = 91.78% (to 0.01%); 91.78% × 10 = 9.178 → 9.18, not 10
        (
            "JX2003-execution-score",
            ("JX2003", 6, "funds.score", "10", "9.18"),
        ),
        // 10 + 50 + 35 + 10 = 105, not the stated 100
        (
            "JX2004-weights-off-sum",
            (
                "JX2004",
                5,
                "total.weight",
                "100",
                "105 = 10 + 50 + 35 + 10",
            ),
        ),
        // weights 10 + 50 + 30 + 10 = 100: the rows are complete;
        // scores 6.79 + 48 + 28 + 9.5 = 92.29, not 93
        (
            "JX2005-scores-off-sum",
            (
                "JX2005",
                5,
                "total.score",
                "93",
                "92.29 = 6.79 + 48 + 28 + 9.5",
            ),
        ),
        // 80 ≤ 88.5 < 90 → 良 under the default bands, not 优
        (
            "JX2006-grade-off-bands",
            ("JX2006", 5, "total.grade", "优（总分 88.5）", "良"),
        ),
        // 16 > 15
        (
            "JX2007-score-above-weight",
            (
                "JX2007",
                12,
                "dimension[1].group[1].indicator[1].score",
                "16",
                "≤ 15",
            ),
        ),
        // 105 < 120: 正向 105 / 120 × 20 = 17.5 → 17.50, not the full 20
        (
            "JX2008-full-marks-target-unmet",
            (
                "JX2008",
                14,
                "dimension[1].group[1].indicator[1].score",
                "20 满分（实际完成值 105公里）",
                "17.50",
            ),
        ),
        // F07 资金到位率, weight 4, 正向: 90% / 100% × 4 = 3.6 → 3.60, not 3
        (
            "JX2009-score-off-rule",
            (
                "JX2009",
                15,
                "dimension[1].group[1].indicator[1].score",
                "3",
                "3.60",
            ),
        ),
        // 80.5% / 85% × 10 = 9.470588… → 9.47 (the score holds); 10 − 9.47 = 0.53 lost with
        // the 偏差原因 printed empty
        (
            "JX2010-lost-points-no-reason",
            (
                "JX2010",
                15,
                "dimension[1].group[1].indicator[1].reason",
                "得分 9.47 / 10，偏差原因为空",
                "扣 0.53 分，须说明原因",
            ),
        ),
        // 部分达成 of 15: from round(15 × 60%, 2) = 9 to round(15 × 80%, 2) = 12 excluded
        (
            "JX2011-score-outside-tier",
            (
                "JX2011",
                13,
                "dimension[1].group[1].indicator[1].score",
                "部分达成年度指标并具有一定效果 13",
                "[9, 12)",
            ),
        ),
        // 当年财政拨款 60 (no other row) = 60, not the 年度资金总额 50
        (
            "JX2012-funds-rows-contradict",
            ("JX2012", 5, "funds.adjusted_budget", "50", "60"),
        ),
        // legal-aid-2022 gives P2 预算执行率 a weight of 5
        (
            "JX2013-weight-off-scheme",
            (
                "JX2013",
                15,
                "dimension[1].group[1].indicator[1].weight",
                "10",
                "5",
            ),
        ),
        // 45 / 100 = 45% < 60%, and the outputs score 20 + 10 = 30 of 30
        (
            "JX2014-full-outputs-low-execution",
            (
                "JX2014",
                6,
                "outputs.full_marks",
                "2 项产出指标全部满分（30 / 30）",
                "预算执行率 45.00%",
            ),
        ),
        // the sample's spending.csv sums to 67,900.00 元 = 6.79万元 (samples/legal-aid-2022/README.md)
        (
            "JX2015-off-records",
            ("JX2015", 8, "funds.spent", "6.97", "6.79"),
        ),
        // the actual ≥500米 on line 13 is the target again, not a measured length
        (
            "JX2016-actual-restates-target",
            (
                "JX2016",
                13,
                "dimension[1].group[1].indicator[1].actual",
                "≥500米",
                "实际完成的数量",
            ),
        ),
        // 52 spent of 45 (万元): 52 / 45 = 115.56% > 100%; the printed 115.6% itself agrees
        (
            "JX2017-spent-above-budget",
            ("JX2017", 6, "funds.spent", "52", "≤ 45"),
        ),
        // 41.3 / 45 = 91.78% < 100%: 执行率 × 分值 < 分值, so the total cannot be 100 of 100
        (
            "JX2018-full-total-low-execution",
            ("JX2018", 5, "total.score", "100", "< 100"),
        ),
        // 32.5 / 50 = 65% < 70% (and < 80%): caps min(79, 89) = 79; 85 > 79
        (
            "JX2019-above-execution-cap",
            ("JX2019", 6, "total.score", "85", "≤ 79"),
        ),
        // 90 of its own 100 at a share of 20%: 90 / 100 × 20 = 18, not the 18.5 printed
        (
            "JX2020-converted-score-off",
            (
                "JX2020",
                14,
                "dimension[1].group[1].indicator[1].score",
                "18.5",
                "18.00",
            ),
        ),
    ]
}

#[test]
fn each_code_has_a_fixture_with_its_claim_and_recomputed_value() {
    for (stem, expected) in per_code() {
        let path = format!("{FIXTURES}/{stem}.toml");
        // The fixture says what it expects on its second line: `# expect: JX2001 field`.
        let text = fs::read_to_string(&path).unwrap();
        let header = text
            .lines()
            .find(|l| l.starts_with("# expect: "))
            .unwrap_or_else(|| panic!("{path}: no expect line"));
        assert_eq!(
            header,
            format!("# expect: {} {}", expected.0, expected.2),
            "{path}"
        );
        // and, on a line of its own, the options it is reviewed with: `# args: --caps FILE`
        let mut args = vec![path.as_str()];
        if let Some(more) = text.lines().find_map(|l| l.strip_prefix("# args: ")) {
            args.extend(more.split_whitespace());
        }
        let (status, doc) = review_json(&args);
        assert_eq!(findings(&doc), owned(&[expected]), "{path}");
        assert_eq!(status, 1, "{path}");
    }
}

#[test]
fn every_review_code_has_a_fixture() {
    let covered: Vec<&str> = per_code().iter().map(|(_, e)| e.0).collect();
    for code in jixiao::diag::Code::REVIEW {
        assert!(
            covered.contains(&code.as_str()),
            "{code} has no fixture in {FIXTURES}"
        );
        // and a heading in docs/review.md
        let docs = fs::read_to_string("docs/review.md").unwrap();
        assert!(
            docs.contains(&format!("### {code} ")),
            "{code} has no heading in docs/review.md"
        );
    }
}

#[test]
fn a_consistent_evaluation_produces_no_finding() {
    let path = format!("{FIXTURES}/consistent.toml");
    let (status, doc) = review_json(&[&path]);
    assert_eq!(findings(&doc), []);
    assert_eq!(status, 0);
    assert_eq!(doc["consistent"], 1);
    // funds 9.18 + 产出 49.47 + 效益 28.5 + 满意度 10 = 97.15 (优)
    assert_eq!(
        doc["evaluations"][0]["totals"]["claimed"].as_f64(),
        Some(97.15)
    );
    // the table says so
    cargo_bin_cmd!("jixiao")
        .args(["review", &path])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("一致：未发现问题"));
}

const SEED: &str = "samples/review/legal-aid-2022";

#[test]
fn the_seed_claims_are_consistent_with_the_legal_aid_scheme_and_the_records() {
    let (status, doc) = review_json(&[SEED]);
    assert_eq!(status, 0, "{doc:#}");
    assert_eq!(findings(&doc), []);
    let e = &doc["evaluations"][0];
    assert_eq!(e["scheme"]["id"], "legal-aid-2022");
    assert_eq!(e["records"], "samples/legal-aid-2022");
    // claimed 95 = the records' 95 (100 − D5 1 − P2 3 − B2 1), 优
    assert_eq!(e["totals"]["claimed"].as_f64(), Some(95.0));
    assert_eq!(e["totals"]["records"].as_f64(), Some(95.0));
    assert_eq!(e["totals"]["records_grade"], "优");
    // the report gives no indicator scores, so nothing recomputes the whole sheet
    assert_eq!(e["totals"]["recomputed"], Value::Null);
    assert_eq!(e["baseline"], Value::Null);
}

#[test]
fn the_seed_claims_under_the_self_evaluation_baseline() {
    let (status, doc) = review_json(&[
        SEED,
        "--baseline",
        "indicators/project-self-evaluation.toml",
    ]);
    assert_eq!(status, 0);
    let b = &doc["evaluations"][0]["baseline"];
    assert_eq!(b["scheme"], "project-self-evaluation");
    // 预算执行率 = 6.79万 / 10万 = 67.90%; × 10 = 6.79 of 10
    assert_eq!(b["execution"]["id"], "S01");
    assert_eq!(b["execution"]["score"].as_f64(), Some(6.79));
    assert_eq!(b["execution"]["weight"].as_f64(), Some(10.0));
    // S02 (105 + 30) / 120 = 112.5% → 20; S03 1 − 0/135 → 10; S04 1 − 0/135 → 10;
    // S05 6.79 / 10 = 67.9% ≤ 100% → 10; S06 63 / 50 = 126% → 30; S07 1 − 0/135 → 10;
    // 6.79 + 20 + 10 + 10 + 10 + 30 + 10 = 96.79 → 优
    assert_eq!(b["total"].as_f64(), Some(96.79));
    assert_eq!(b["grade"], "优");
    let scores: Vec<f64> = b["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores, [6.79, 20.0, 10.0, 10.0, 10.0, 30.0, 10.0]);
    // the table shows the two totals side by side and the 6.79 of 10
    let out = cargo_bin_cmd!("jixiao")
        .args([
            "review",
            SEED,
            "--baseline",
            "indicators/project-self-evaluation.toml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("公布 95.00")
            && text.contains("基准 project-self-evaluation 96.79（优）")
            && text.contains("6.79 / 10"),
        "{text}"
    );
}

#[test]
fn rural_roads_sample_a_self_evaluation_form_without_a_scheme() {
    let (status, doc) = review_json(&["samples/review/rural-roads-2023"]);
    assert_eq!(status, 1);
    assert_eq!(
        findings(&doc),
        owned(&[
            // 执行率 41.3 / 45 = 91.78%; 自评表 rule 91.78% × 10 = 9.178 → 9.18, not 10
            ("JX2003", 24, "funds.score", "10", "9.18"),
            // 当年财政拨款 40 + 上年结转资金 8 = 48, not 45
            ("JX2012", 25, "funds.initial_budget", "45", "48"),
            // 41.3 / 45 = 0.917777… → 0.918 (四舍五入), printed cut off as 0.917
            ("JX2002", 28, "funds.execution_rate", "0.917", "0.918"),
            // 105 km of ≥ 120: 105 / 120 × 20 = 17.5, yet full 20
            (
                "JX2008",
                57,
                "dimension[1].group[1].indicator[1].score",
                "20 满分（实际完成值 105公里）",
                "17.50",
            ),
            // 80.5% / 85% × 10 = 9.47: 0.53 lost, 偏差原因 printed empty
            (
                "JX2010",
                77,
                "dimension[1].group[2].indicator[1].reason",
                "得分 9.47 / 10，偏差原因为空",
                "扣 0.53 分，须说明原因",
            ),
            // 反向 3500 / 3933 × 5 = 4.449529… → 4.45, printed cut off as 4.44
            (
                "JX2002",
                98,
                "dimension[1].group[4].indicator[1].score",
                "4.44",
                "4.45",
            ),
            // 部分达成 of 15 is [9, 12): 13 is outside
            (
                "JX2011",
                114,
                "dimension[2].group[1].indicator[1].score",
                "部分达成年度指标并具有一定效果 13",
                "[9, 12)",
            ),
        ])
    );
    // Its source rows hold: 38.1 / 37 = 102.97%, 3.2 / 8 = 40%; its sums hold:
    // 20 + 10 + 9.47 + 5 + 4.44 = 48.91; 10 + 48.91 + 28 + 10 = 96.91 → 优.
}

#[test]
fn elderly_care_sample_on_the_evaluation_framework() {
    let (status, doc) = review_json(&["samples/review/elderly-care-2023"]);
    assert_eq!(status, 1);
    assert_eq!(
        findings(&doc),
        owned(&[
            // 36.4 / 80 = 45.5% < 60%, and 产出 F12 15 + F13 10 + F14 5 + F15 10 = 40 of 40
            (
                "JX2014",
                27,
                "outputs.full_marks",
                "4 项产出指标全部满分（40 / 40）",
                "预算执行率 45.50%",
            ),
            // 72 / 80 = 90%, not 95%
            ("JX2001", 29, "funds.arrival_rate", "95%", "90%"),
            // 资金管理 9.02 + 组织实施 7.5 = 16.52, not 17.52
            (
                "JX2005",
                100,
                "dimension[2].score",
                "17.52",
                "16.52 = 9.02 + 7.5",
            ),
            // F07 4 + F08 4 + F09 5 = 13, not 12
            (
                "JX2004",
                104,
                "dimension[2].group[1].weight",
                "12",
                "13 = 4 + 4 + 5",
            ),
            // F07 资金到位率 90% × 4 = 3.6
            (
                "JX2009",
                113,
                "dimension[2].group[1].indicator[1].score",
                "3",
                "3.60",
            ),
            // F09 资金使用合规性 weighs 4 in the framework
            (
                "JX2013",
                128,
                "dimension[2].group[1].indicator[3].weight",
                "5",
                "4",
            ),
            // F16 实施效益 weighs 15
            (
                "JX2007",
                221,
                "dimension[4].group[1].indicator[1].score",
                "16",
                "≤ 15",
            ),
        ])
    );
    // F08 50.56% × 4 = 2.0224 → 2.02 holds; 36.4 / 72 = 50.555…% → 50.56% holds.
}

#[test]
fn published_legal_aid_sample_against_the_records() {
    let (status, doc) = review_json(&["samples/review/legal-aid-2022-published"]);
    assert_eq!(status, 1);
    assert_eq!(
        findings(&doc),
        owned(&[
            // 95 ≥ 90 → 优 under legal-aid-2022, not 良
            ("JX2006", 19, "total.grade", "良（总分 95）", "优"),
            // spending.csv sums to 67,900.00 元 = 6.79万, not 6.97
            ("JX2015", 26, "funds.spent", "6.97", "6.79"),
            // 6.97 / 10 = 69.7%, not 67.9%
            ("JX2001", 27, "funds.execution_rate", "67.9%", "69.7%"),
            // P2's actual is spent / allocated = 6.97 / 10 = 69.7%
            (
                "JX2001",
                40,
                "dimension[1].group[1].indicator[1].actual",
                "67.9%",
                "69.7%",
            ),
            // outputs.csv: 105 civil + 30 criminal = 135 cases, not 153
            (
                "JX2015",
                55,
                "dimension[2].group[1].indicator[1].actual",
                "153件",
                "135件",
            ),
        ])
    );
    let e = &doc["evaluations"][0];
    assert_eq!(e["totals"]["records"].as_f64(), Some(95.0));
}

#[test]
fn a_folder_of_claims_gives_a_summary_across_evaluations() {
    let (status, doc) = review_json(&["samples/review"]);
    assert_eq!(status, 1);
    // elderly-care 7, legal-aid 0, legal-aid-published 5, rural-roads 7, and the workbooks:
    // official-10-90 2, template-20-80 1, units-and-directions 1
    assert_eq!(doc["reviewed"], 7);
    assert_eq!(doc["consistent"], 1);
    assert_eq!(doc["findings"], 23);
    // the figures: elderly-care 60 agree, 6 differ, 8 not checkable; legal-aid 8 / 0 / 7;
    // legal-aid-published 8 / 5 / 1; rural-roads 18 / 6 / 21; official-10-90 20 / 1 / 22;
    // template-20-80 19 / 1 / 20; units-and-directions 19 / 1 / 19
    assert_eq!(
        doc["verdicts"],
        serde_json::json!({"agrees": 152, "differs": 20, "not_checkable": 98})
    );
    let by_code: Vec<(String, u64)> = doc["by_code"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    // the samples cover every code but JX2016 and JX2017: JX2001 ×3 (elderly 1, published 2), JX2002 ×4 (roads 2,
    // official and 20-80 1 each), JX2015 ×2 (published), JX2008 and JX2010 ×2 (a workbook
    // each), every other code once
    // (JX2016, an actual restating its target, JX2017, spending above the budget, JX2018, a
    // full total beside an execution under 100%, JX2019, a total above a cap profile's
    // cap, and JX2020, a converted score off its conversion, only in their fixtures)
    let expected: Vec<(String, u64)> = jixiao::diag::Code::REVIEW
        .iter()
        .map(|c| {
            let n = match c.as_str() {
                "JX2002" => 4,
                "JX2001" => 3,
                "JX2008" | "JX2010" | "JX2015" => 2,
                "JX2016" | "JX2017" | "JX2018" | "JX2019" | "JX2020" => 0,
                _ => 1,
            };
            (c.as_str().to_string(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(by_code, expected);
    let most: Vec<(String, u64)> = doc["most"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["claims"].as_str().unwrap().to_string(),
                m["findings"].as_u64().unwrap(),
            )
        })
        .collect();
    let most: Vec<(&str, u64)> = most.iter().map(|(p, n)| (p.as_str(), *n)).collect();
    assert_eq!(
        most,
        [
            ("samples/review/elderly-care-2023/claims.toml", 7),
            ("samples/review/rural-roads-2023/claims.toml", 7),
            ("samples/review/legal-aid-2022-published/claims.toml", 5),
            ("samples/review/workbooks/official-10-90.xlsx", 2),
            ("samples/review/workbooks/template-20-80.xlsx", 1),
            ("samples/review/workbooks/units-and-directions.xlsx", 1),
        ]
    );
    // the table ends with the summary
    let out = cargo_bin_cmd!("jixiao")
        .args(["review", "samples/review"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "复核 7 份，一致 1 份，问题 23 处\n核对 270 项：一致 152，不符 20，无法核对 98"
        ) && text.contains("问题最多：samples/review/elderly-care-2023/claims.toml (7)"),
        "{text}"
    );
}

#[test]
fn the_table_of_one_evaluation() {
    let out = cargo_bin_cmd!("jixiao")
        .args(["review", "samples/review/rural-roads-2023"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(
        "review_rural_roads_table",
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn github_format_annotates_each_finding() {
    let out = cargo_bin_cmd!("jixiao")
        .args([
            "review",
            &format!("{FIXTURES}/JX2002-truncated.toml"),
            "--format",
            "github",
            "--lang",
            "en",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    // `execution_rate = "0.917"` on line 7: the value starts at column 18
    assert!(
        text.starts_with(&format!(
            "::error file={FIXTURES}/JX2002-truncated.toml,line=7,col=18,title=JX2002::"
        )),
        "{text}"
    );
    assert!(text.contains("published 0.917, recomputed 0.918"), "{text}");
    assert_eq!(text.lines().count(), 1);
}

/// A copy of the legal-aid sample folder with `claims` written into it as claims.toml.
fn evaluation_folder_with(claims: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("legal-aid-2022");
    fs::create_dir(&dir).unwrap();
    for e in fs::read_dir("samples/legal-aid-2022").unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let scheme = Path::new("indicators/legal-aid-2022.toml")
        .canonicalize()
        .unwrap();
    let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
    fs::write(
        dir.join("evaluation.toml"),
        eval.replace(
            "../../indicators/legal-aid-2022.toml",
            &scheme.display().to_string(),
        ),
    )
    .unwrap();
    fs::write(dir.join("claims.toml"), claims).unwrap();
    (tmp, dir)
}

#[test]
fn an_evaluation_folder_with_claims_is_compared_with_its_records() {
    // The published table of the 过程 dimension, one figure wrong: P2 scored 3 where the
    // records (67.90% in [60%, 70%)) give 2 — and the same rule on the published 67.9%.
    let (_tmp, dir) = evaluation_folder_with(
        r#"
[total]
score = 95

[[dimension]]
name = "过程"

  [[dimension.group]]
  name = "资金管理"
  score = 9

    [[dimension.group.indicator]]
    id = "P1"
    actual = "100%"
    score = 3

    [[dimension.group.indicator]]
    id = "P2"
    actual = "67.9%"
    score = 3
    reason = "预算编制偏大"

    [[dimension.group.indicator]]
    id = "P3"
    actual = "0件"
    score = 4
"#,
    );
    let (status, doc) = review_json(&[dir.to_str().unwrap()]);
    assert_eq!(status, 1);
    let found = findings(&doc);
    // P2: 67.9% falls in [60%, 70%) → 2, not 3 (the rule, found before the records)
    assert!(found.contains(&(
        "JX2009".into(),
        20,
        "dimension[1].group[1].indicator[2].score".into(),
        "3".into(),
        "2.00".into()
    )));
    // 资金管理 3 + 3 + 4 = 10, not 9 (the records' 9 = 3 + 2 + 4 agrees with the printed 9,
    // but the table's own sum does not)
    assert!(found.contains(&(
        "JX2005".into(),
        10,
        "dimension[1].group[1].score".into(),
        "9".into(),
        "10 = 3 + 3 + 4".into()
    )));
    // the total 95 is the records' (only part of the table is published, so the rows are not
    // summed to it)
    assert!(!found.iter().any(|f| f.2 == "total.score"), "{found:?}");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(doc["evaluations"][0]["records"], dir.display().to_string());
}

#[test]
fn could_not_review_exits_2() {
    cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "review", "no/such/claims.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no/such/claims.toml: no such file or folder",
        ));
    // a folder without any claims file
    cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "review", "indicators"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no claims file"));
    // no path at all
    cargo_bin_cmd!("jixiao").arg("review").assert().code(2);
    // a baseline that is not a scheme
    cargo_bin_cmd!("jixiao")
        .args([
            "review",
            SEED,
            "--lang",
            "en",
            "--baseline",
            "no/such/scheme.toml",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used"));
    cargo_bin_cmd!("jixiao")
        .args(["review", SEED, "--low-execution", "160%"])
        .assert()
        .code(2);
}

#[test]
fn a_claims_file_with_problems_is_not_reviewed_and_every_problem_is_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("claims.toml");
    fs::write(
        &path,
        r#"[report]
scheme = "SCHEME"

[total]
scroe = 95

[funds]
spent = "很多"

[[dimension]]
  [[dimension.group]]
    [[dimension.group.indicator]]
    id = "P9"
    score = 2
"#
        .replace(
            "SCHEME",
            &Path::new("indicators/legal-aid-2022.toml")
                .canonicalize()
                .unwrap()
                .display()
                .to_string(),
        ),
    )
    .unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "review", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    // the misspelt key (line 5) and the unreadable amount (line 8), then nothing else:
    // an unread file is not reviewed
    assert!(
        err.contains(":5:1: error [total.scroe]: unknown key `scroe`"),
        "{err}"
    );
    assert!(err.contains(":8:9: error [funds.spent]"), "{err}");
    assert!(err.contains("could not be reviewed"), "{err}");
    // once readable, an id the scheme lacks is the next problem
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("scroe", "score")
        .replace("\"很多\"", "\"6.79\"");
    fs::write(&path, text).unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "review", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(":13:10: error [dimension[1].group[1].indicator[1].id]: row \"P9\" names an indicator the scheme does not have"),
        "{err}"
    );
}

#[test]
fn one_bad_claims_file_among_good_ones_still_reviews_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.claims.toml");
    fs::write(&bad, "[total\n").unwrap();
    let good = format!("{FIXTURES}/JX2006-grade-off-bands.toml");
    let (status, doc) = review_json(&[&good, bad.to_str().unwrap()]);
    // the good one is reviewed (1 finding), the bad one could not be: exit 2
    assert_eq!(status, 2);
    assert_eq!(doc["reviewed"], 1);
    assert_eq!(doc["findings"], 1);
    assert_eq!(doc["could_not_review"], 1);
    assert_eq!(doc["failures"][0]["problems"][0]["code"], "JX0001");
    // with --format github the problem is an annotation too
    let out = cargo_bin_cmd!("jixiao")
        .args(["review", bad.to_str().unwrap(), "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("::error file=")
            && text.contains(",line=1,")
            && text.contains("title=JX0001::"),
        "{text}"
    );
}

/// (field, verdict, codes) of each figure of the first evaluation.
fn verdicts(doc: &Value) -> Vec<(String, String, Vec<String>)> {
    doc["evaluations"][0]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["verdict"].as_str().unwrap().to_string(),
                f["codes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn every_figure_gets_a_verdict_agrees_differs_or_not_checkable() {
    let path = format!("{FIXTURES}/verdicts.toml");
    let (status, doc) = review_json(&[&path]);
    assert_eq!(status, 1);
    const A: &str = "agrees";
    const D: &str = "differs";
    const N: &str = "not_checkable";
    let row = |g: usize, i: usize, k: &str| format!("dimension[1].group[{g}].indicator[{i}].{k}");
    let expected: Vec<(String, &str, Vec<&str>)> = vec![
        // 10 + 60 + 30 = 100
        ("total.weight".into(), A, vec!["JX2004"]),
        // funds 9 + 产出 56.5 + 满意度 30 = 95.5
        ("total.score".into(), A, vec!["JX2005"]),
        // 95.5 ≥ 90 → 优
        ("total.grade".into(), A, vec!["JX2006"]),
        // no scheme: the printed 分值 is the reference
        ("funds.weight".into(), N, vec![]),
        // 45 / 50 = 90%; 90% × 10 = 9
        ("funds.score".into(), A, vec!["JX2003"]),
        // no 其中 rows, no records
        ("funds.adjusted_budget".into(), N, vec![]),
        ("funds.spent".into(), N, vec![]),
        // 45 / 50 = 90%
        ("funds.execution_rate".into(), A, vec!["JX2001"]),
        // 数量 30 + 质量 30 = 60; 27.5 + 29 = 56.5
        ("dimension[1].weight".into(), A, vec!["JX2004"]),
        ("dimension[1].score".into(), A, vec!["JX2005"]),
        // 20 + 10 = 30; 18.5 + 9 = 27.5
        ("dimension[1].group[1].weight".into(), A, vec!["JX2004"]),
        ("dimension[1].group[1].score".into(), A, vec!["JX2005"]),
        // 培训人次: the target 1200人 is no comparison: the score is judged by no rule
        (row(1, 1, "weight"), N, vec![]),
        (row(1, 1, "actual"), N, vec![]),
        (row(1, 1, "score"), N, vec![]),
        // 培训班次: 36 / 40 × 10 = 9
        (row(1, 2, "weight"), N, vec![]),
        (row(1, 2, "actual"), N, vec![]),
        (row(1, 2, "score"), A, vec!["JX2009"]),
        ("dimension[1].group[2].weight".into(), A, vec!["JX2004"]),
        ("dimension[1].group[2].score".into(), A, vec!["JX2005"]),
        // 结业考核合格率: 92 / 95 × 30 = 29.0526… → 29.05, not 29
        (row(2, 1, "weight"), N, vec![]),
        (row(2, 1, "actual"), N, vec![]),
        (row(2, 1, "score"), D, vec!["JX2009"]),
        // 满意度: the one row's 30
        ("dimension[2].weight".into(), A, vec!["JX2004"]),
        ("dimension[2].score".into(), A, vec!["JX2005"]),
        (
            "dimension[2].group[1].indicator[1].weight".into(),
            N,
            vec![],
        ),
        (
            "dimension[2].group[1].indicator[1].actual".into(),
            N,
            vec![],
        ),
        // 96% / 90% × 30 = 32 → capped at 30
        (
            "dimension[2].group[1].indicator[1].score".into(),
            A,
            vec!["JX2009"],
        ),
    ];
    let expected: Vec<(String, String, Vec<String>)> = expected
        .into_iter()
        .map(|(f, v, c)| (f, v.to_string(), c.into_iter().map(String::from).collect()))
        .collect();
    assert_eq!(verdicts(&doc), expected);
    let e = &doc["evaluations"][0];
    assert_eq!(
        e["verdicts"],
        serde_json::json!({"agrees": 15, "differs": 1, "not_checkable": 12})
    );
    assert_eq!(doc["verdicts"], e["verdicts"]);
    // the one finding is the one figure that differs
    assert_eq!(
        findings(&doc),
        owned(&[("JX2009", 54, &row(2, 1, "score"), "29", "29.05")])
    );
    // why the score of 培训人次 could not be checked; a figure that agrees has no reason
    let figure = |field: &str| {
        e["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .unwrap()
            .clone()
    };
    assert_eq!(
        figure(&row(1, 1, "score"))["reason"],
        "年度指标值“1200人”不是“≥120件”这样带比较符的值，无评分规则可复算得分"
    );
    assert_eq!(figure(&row(1, 1, "score"))["claim"], "18.5");
    assert_eq!(figure(&row(1, 1, "score"))["line"], 33);
    assert_eq!(
        figure("funds.weight")["reason"],
        "无指标体系，分值按公布数采用"
    );
    assert_eq!(figure("total.score")["reason"], Value::Null);
    // the recomputed total is shown although it agrees: 9 + 18.5 (as printed: no rule) + 9
    // + 29.05 + 30 = 95.55 → 优; and the rate from the amounts, 45 / 50 = 90.00%
    assert_eq!(e["totals"]["recomputed"].as_f64(), Some(95.55));
    assert_eq!(e["totals"]["recomputed_grade"], "优");
    assert_eq!(e["totals"]["recomputed_why"], Value::Null);
    assert_eq!(e["execution"]["claimed"], "90%");
    assert_eq!(e["execution"]["recomputed"].as_f64(), Some(0.9));
    assert_eq!(e["execution"]["basis"], "全年执行数 / 全年预算数 = 45 / 50");
}

#[test]
fn the_table_counts_the_verdicts_and_lists_the_figures_not_checked() {
    let path = format!("{FIXTURES}/verdicts.toml");
    let zh = cargo_bin_cmd!("jixiao")
        .args(["review", &path])
        .output()
        .unwrap();
    let text = String::from_utf8(zh.stdout).unwrap();
    for line in [
        "总分：公布 95.50（优） | 按公布数复算 95.55（优）",
        "执行率：公布 90% | 按公布金额 90.00%（全年执行数 / 全年预算数 = 45 / 50）",
        "核对 28 项：一致 15，不符 1，无法核对 12",
        "无法核对的 12 项（行号、项目、公布数）：",
        "- 年度指标值“1200人”不是“≥120件”这样带比较符的值，无评分规则可复算得分：",
        "    33  培训人次 · 得分  18.5",
    ] {
        assert!(text.lines().any(|l| l == line), "{line}\n{text}");
    }
    let en = cargo_bin_cmd!("jixiao")
        .args(["review", &path, "--lang", "en"])
        .output()
        .unwrap();
    let text = String::from_utf8(en.stdout).unwrap();
    for line in [
        "Total: published 95.50 (优) | recomputed 95.55 (优)",
        "Figures: 28: agree 15, differ 1, not checkable 12",
        "Not checkable: 12 (line, item, as printed):",
        "    33  培训人次 · score  18.5",
    ] {
        assert!(text.lines().any(|l| l == line), "{line}\n{text}");
    }
}

/// The figures of a claims file counted from the TOML itself: every value under
/// `[total]`, `[funds]` (and its sources), the dimensions, groups and rows, and
/// `[outputs]`, except the keys that hold no figure (unit, name, id, target, tier,
/// reason) and an actual printed as text (a tier such as 达成年度指标).
fn figure_keys(path: &Path) -> usize {
    fn count(v: &toml::Value, key: &str) -> usize {
        match v {
            toml::Value::Table(t) => t.iter().map(|(k, v)| count(v, k)).sum(),
            toml::Value::Array(a) => a.iter().map(|v| count(v, key)).sum(),
            _ if matches!(key, "unit" | "name" | "id" | "target" | "tier" | "reason") => 0,
            toml::Value::String(s) if key == "actual" => {
                usize::from(s.trim().starts_with(|c: char| c.is_ascii_digit()))
            }
            _ => 1,
        }
    }
    let doc: toml::Table = fs::read_to_string(path).unwrap().parse().unwrap();
    ["total", "funds", "dimension", "outputs"]
        .iter()
        .filter_map(|k| doc.get(*k).map(|v| count(v, k)))
        .sum()
}

#[test]
fn every_printed_figure_of_every_sample_and_fixture_has_a_verdict() {
    let mut files: Vec<PathBuf> = fs::read_dir("samples/review")
        .unwrap()
        .map(|e| e.unwrap().path().join("claims.toml"))
        .filter(|p| p.is_file())
        .collect();
    files.extend(
        fs::read_dir(FIXTURES)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml")),
    );
    // the sample workbooks, each counted from the claims file it reads as
    let workbooks: Vec<PathBuf> = fs::read_dir("samples/review/workbooks")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    assert_eq!(workbooks.len(), 3);
    files.extend(workbooks);
    files.sort();
    assert!(files.len() >= 24, "{files:?}");
    let tmp = tempfile::tempdir().unwrap();
    for path in files {
        let (_, doc) = review_json(&[path.to_str().unwrap()]);
        let counted = if path.extension().is_some_and(|x| x == "xlsx") {
            let claims = tmp.path().join("claims.toml");
            cargo_bin_cmd!("jixiao")
                .args(["review", "--to-claims"])
                .arg(&path)
                .arg("-o")
                .arg(&claims)
                .assert()
                .success();
            figure_keys(&claims)
        } else {
            figure_keys(&path)
        };
        let e = &doc["evaluations"][0];
        let figures = e["figures"].as_array().unwrap();
        let v = &e["verdicts"];
        let verdicts = ["agrees", "differs", "not_checkable"]
            .iter()
            .map(|k| v[k].as_u64().unwrap())
            .sum::<u64>();
        // as many figures in the file as verdicts, one per figure
        assert_eq!(figures.len(), counted, "{}", path.display());
        assert_eq!(verdicts, figures.len() as u64, "{}", path.display());
        for f in figures {
            let why = f["reason"].as_str();
            match f["verdict"].as_str().unwrap() {
                "agrees" | "differs" => {
                    assert!(why.is_none(), "{f}");
                    assert!(!f["codes"].as_array().unwrap().is_empty(), "{f}");
                }
                _ => {
                    // every figure not checked says why, and a check said it: none falls
                    // through to the catch-all in what is shipped
                    let why = why.unwrap_or_default();
                    assert!(!why.is_empty(), "{f}");
                    assert!(!why.contains("没有规则核对"), "{}: {f}", path.display());
                }
            }
        }
        // every finding on a figure makes it differ; the others (a reason left empty,
        // JX2010, the outputs as a whole, JX2014, an actual that is text, JX2016, and the
        // rows of a first level together above a template's weight, JX2007 on `score_sum`)
        // are not about one printed figure
        for finding in e["findings"].as_array().unwrap() {
            let on = figures.iter().find(|f| f["field"] == finding["field"]);
            match on {
                Some(f) => assert_eq!(f["verdict"], "differs", "{finding}"),
                None => assert!(
                    matches!(
                        finding["code"].as_str(),
                        Some("JX2010" | "JX2014" | "JX2016")
                    ) || finding["field"]
                        .as_str()
                        .is_some_and(|f| f.ends_with(".score_sum")),
                    "{finding}"
                ),
            }
        }
    }
}

#[test]
fn many_tables_are_listed_worst_first_in_the_table_and_in_csv() {
    // the samples' findings and not-checkable figures (the counts of
    // a_folder_of_claims_gives_a_summary_across_evaluations): rural-roads 7 findings / 21
    // not checkable, elderly-care 7 / 8, legal-aid-published 5 / 1, official-10-90 2 / 22,
    // template-20-80 1 / 20, units-and-directions 1 / 19, legal-aid 0 / 7. Worst first:
    // most findings, then most not checkable (rural-roads before elderly-care at 7 each;
    // the 20-80 template before units-and-directions at 1 each)
    let out = cargo_bin_cmd!("jixiao")
        .args(["review", "samples/review", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let order: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[10].as_str(), r[13].as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("samples/review/rural-roads-2023/claims.toml", "7", "21"),
            ("samples/review/elderly-care-2023/claims.toml", "7", "8"),
            (
                "samples/review/legal-aid-2022-published/claims.toml",
                "5",
                "1"
            ),
            ("samples/review/workbooks/official-10-90.xlsx", "2", "22"),
            ("samples/review/workbooks/template-20-80.xlsx", "1", "20"),
            (
                "samples/review/workbooks/units-and-directions.xlsx",
                "1",
                "19"
            ),
            ("samples/review/legal-aid-2022/claims.toml", "0", "7"),
        ]
    );
    // elderly-care's row: its department, published 97.02 优, no recomputed total, its
    // seven codes
    assert_eq!(rows[1][2], "某区民政局");
    assert_eq!(rows[1][6..10], ["97.02", "优", "", ""]);
    assert_eq!(
        rows[1][14],
        "JX2001 JX2004 JX2005 JX2007 JX2009 JX2013 JX2014"
    );
    // the table opens with the same order, one line per table, before the details
    let out = cargo_bin_cmd!("jixiao")
        .args(["review", "samples/review"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {text}"))
    };
    assert!(at("rural-roads-2023/claims.toml") < at("elderly-care-2023/claims.toml"));
    assert!(
        at("┆ 0    ┆ 7") < at("复核：samples/review/rural-roads-2023"),
        "{text}"
    );
}
