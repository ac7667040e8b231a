//! The shipped legal-aid sample, end to end: the README's first command.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const SAMPLE: &str = "samples/legal-aid-2022";

fn json(args: &[&str]) -> Value {
    let out = cargo_bin_cmd!("jixiao")
        .args(["score", SAMPLE, "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn indicator<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("indicator {id}"))
}

#[test]
fn sample_json_reproduces_the_report() {
    let v = json(&[]);
    // spending rows sum to 67,900.00 (see samples/legal-aid-2022/README.md):
    // 31,500 civil subsidies + 18,000 criminal + 8,600 publicity + 1,560 − 280 files
    // + 600 calls + 4,800 training + 3,120 travel = 67,900.00
    assert_eq!(v["metrics"]["spent"], "67900.00");
    assert_eq!(v["metrics"]["adjusted_budget"], "100000.00");
    assert_eq!(v["metrics"]["allocated"], "100000.00");
    // 67,900 / 100,000 = 0.679
    assert_eq!(v["metrics"]["execution_rate"].as_f64(), Some(0.679));
    assert_eq!(
        v["metrics"]["execution_rate_allocated"].as_f64(),
        Some(0.679)
    );
    // 100,000 / 100,000 = 1
    assert_eq!(v["metrics"]["arrival_rate"].as_f64(), Some(1.0));
    // Points lost: D5 1 (judged 2 of 3), P2 3 (67.9% in [60%, 70%) → 2 of 5),
    // B2 1 (judged 3 of 4): 100 − 5 = 95 → 优 (≥ 90)
    assert_eq!(v["total_score"].as_f64(), Some(95.0));
    assert_eq!(v["grade"], "优");
    assert_eq!(indicator(&v, "P2")["score"].as_f64(), Some(2.0));
    assert_eq!(indicator(&v, "D5")["score"].as_f64(), Some(2.0));
    assert_eq!(indicator(&v, "B2")["score"].as_f64(), Some(3.0));
    // 105 civil + 30 criminal = 135 cases ≥ 120 → full 8
    assert_eq!(indicator(&v, "O1")["actual_value"].as_f64(), Some(135.0));
    assert_eq!(indicator(&v, "O1")["score"].as_f64(), Some(8.0));
    // 67,900 / 135 = 502.96 元/件 ≤ 800 → full 5
    assert_eq!(indicator(&v, "O7")["actual"], "502.96元/件");
    assert_eq!(indicator(&v, "O7")["score"].as_f64(), Some(5.0));
    // dimension subtotals: 决策 15 − 1 = 14, 过程 20 − 3 = 17, 产出 40, 效益 25 − 1 = 24
    let dims: Vec<(String, f64)> = v["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["dimension"].as_str().unwrap().to_string(),
                d["score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dims,
        [
            ("decision".to_string(), 14.0),
            ("process".to_string(), 17.0),
            ("output".to_string(), 40.0),
            ("benefit".to_string(), 24.0)
        ]
    );
    // every lost point carries its reason from judgments.csv
    assert!(
        indicator(&v, "B2")["reason"]
            .as_str()
            .unwrap()
            .contains("信息报道")
    );
    assert!(
        indicator(&v, "D5")["reason"]
            .as_str()
            .unwrap()
            .contains("预算的计划性、科学性不强")
    );
}

#[test]
fn sample_table_shows_rates_total_and_grade() {
    let out = cargo_bin_cmd!("jixiao")
        .args(["score", SAMPLE])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("67.90%"), "execution rate 67.90%");
    assert!(text.contains("100.00%"), "arrival rate 100.00%");
    assert!(text.contains("总分：95.00 / 100"), "total 95");
    assert!(text.contains("等级：优"), "grade 优");
    // 6.79 万元 spent, 10 万元 budget
    assert!(text.contains("6.79") && text.contains("67,900.00"));
}

#[test]
fn sample_table_snapshot() {
    let out = cargo_bin_cmd!("jixiao")
        .args(["score", SAMPLE])
        .output()
        .unwrap();
    insta::assert_snapshot!("legal_aid_table_zh", String::from_utf8(out.stdout).unwrap());
    let out = cargo_bin_cmd!("jixiao")
        .args(["score", SAMPLE, "--lang", "en"])
        .output()
        .unwrap();
    insta::assert_snapshot!("legal_aid_table_en", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn self_evaluation_baseline_gives_execution_6_79_of_10() {
    let v = json(&["--scheme", "indicators/project-self-evaluation.toml"]);
    // 预算执行率 = 67,900 / 100,000 = 67.90%; score = 0.679 × 10 = 6.79
    let s01 = indicator(&v, "S01");
    assert_eq!(s01["weight"].as_f64(), Some(10.0));
    assert_eq!(s01["score"].as_f64(), Some(6.79));
    // The other indicators are met through the evaluation's bindings:
    // 135/120 ≥ 100%, 1 − 0/135 = 100%, 67.9% ≤ 100%, 63/50 ≥ 100%, 1 − 0/135 ≥ 90%
    // → 50 + 30 + 10 = 90 full; total 6.79 + 90 = 96.79 → 优
    assert_eq!(v["total_score"].as_f64(), Some(96.79));
    assert_eq!(v["grade"], "优");
    assert_eq!(v["scheme"]["id"], "project-self-evaluation");
}

#[test]
fn every_shipped_scheme_loads() {
    for entry in std::fs::read_dir("indicators").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            if jixiao::monitor::profile::is_profile_text(&text) {
                // a monitoring profile (docs/monitor.md), not a scheme
                jixiao::monitor::profile::load(&path)
                    .unwrap_or_else(|p| panic!("{}: {:?}", path.display(), p.0));
                continue;
            }
            let scheme = jixiao::scheme::load(&path)
                .unwrap_or_else(|p| panic!("{}: {:?}", path.display(), p.0));
            assert_eq!(
                scheme.total,
                rust_decimal::Decimal::ONE_HUNDRED,
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn could_not_run_exits_2() {
    // no DIR: a usage error
    cargo_bin_cmd!("jixiao").arg("score").assert().code(2);
    // an unknown option
    cargo_bin_cmd!("jixiao")
        .args(["score", SAMPLE, "--colour"])
        .assert()
        .code(2);
}

#[cfg(target_os = "linux")]
#[test]
fn unwritable_output_exits_2_with_a_message() {
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("jixiao"))
        .args(["score", SAMPLE, "--lang", "en"])
        .stdout(full)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the output"));
}

#[test]
fn the_second_sample_scores_as_its_readme_works_out() {
    let out = cargo_bin_cmd!("jixiao")
        .args(["score", "samples/rural-water-2023", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // six payments: 230,000.00 + 312,456.50 + 18,630.28 + 345,210.00 + 96,050.00 + 50,000.00
    assert_eq!(v["metrics"]["spent"], "1052346.78");
    // S01 1,052,346.78 / 1,150,000 × 10 = 9.1508… → 9.15; S03 11/12 × 10 = 9.1666… → 9.17;
    // S04 10/12 × 10 = 8.333… → 8.33; the rest at full marks (20, 10, 30, 10)
    for (id, score) in [
        ("S01", 9.15),
        ("S02", 20.0),
        ("S03", 9.17),
        ("S04", 8.33),
        ("S05", 10.0),
        ("S06", 30.0),
        ("S07", 10.0),
    ] {
        assert_eq!(indicator(&v, id)["score"].as_f64(), Some(score), "{id}");
    }
    // 9.15 + 20 + 9.17 + 8.33 + 10 + 30 + 10 = 96.65 → 优
    assert_eq!(v["total_score"].as_f64(), Some(96.65));
    assert_eq!(v["grade"], "优");
    // every loss has its reason: nothing to warn about
    assert_eq!(v["warnings"], serde_json::json!([]));
    // the table: 万元 to two decimals (105.23, not 105.234678), the title not doubled
    let out = cargo_bin_cmd!("jixiao")
        .args(["score", "samples/rural-water-2023"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("105.23") && table.contains("1,052,346.78"),
        "{table}"
    );
    let out = cargo_bin_cmd!("jixiao")
        .args(["report", "samples/rural-water-2023"])
        .output()
        .unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.starts_with("# 2023年某某镇农村饮水安全巩固提升工程项目绩效评价报告\n"),
        "{report}"
    );
}
