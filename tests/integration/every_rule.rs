//! One indicator for every scoring rule and every branch of it
//! (`tests/fixtures/every-rule`): the scores worked out by hand, and the `explain` text of
//! each indicator, which renders the arithmetic the scorer recorded, kept as snapshots.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/every-rule";

const IDS: [&str; 24] = [
    "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9", "Q10", "Q11", "Q12", "Q13", "Q14", "Q15",
    "Q16", "Q17", "Q18", "Q19", "Q20", "K1", "T1", "M1", "N1",
];

fn run(args: &[&str]) -> String {
    let out = cargo_bin_cmd!("jixiao").args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn every_rule_scores_as_worked_by_hand() {
    let v: Value =
        serde_json::from_str(&run(&["score", FIXTURE, "--format", "json"])).expect("JSON");
    let score = |id: &str| -> Value {
        v["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("indicator {id}"))["score"]
            .clone()
    };
    let expected: [(&str, f64); 23] = [
        ("Q1", 4.0),   // proportional, 120 ≥ 100: full marks
        ("Q2", 3.4),   // proportional, 85 / 100 × 4 = 3.40
        ("Q3", 3.2),   // inverse, 800 / 1000 × 4 = 3.20
        ("Q4", 3.0),   // reverse deviation, (1 − (1000 − 800) / 800) × 4 = 0.75 × 4 = 3.00
        ("Q5", 0.0),   // reverse deviation, 1700 ≥ 2 × 800: (1 − 900/800) < 0 → 0
        ("Q6", 4.0),   // equal zero, 0 = 0: full marks
        ("Q7", 0.0),   // equal zero, 2 ≠ 0: 0
        ("Q8", 2.0),   // bands, 67.90% (67,900 / 100,000) lies in [60%, 90%): 2
        ("Q9", 2.75),  // per point, gap 95% − 92.5% = 2.5 steps × 0.5 = 1.25; 4 − 1.25
        ("Q10", 3.0),  // per whole point, 2 whole steps × 0.5 = 1; 4 − 1
        ("Q11", 2.0),  // per case, 4 − 2 × 1
        ("Q12", 0.0),  // per case, 4 − 5 × 3 = −11, floored at 0
        ("Q13", 4.0),  // binary, 5% ≥ 0%
        ("Q14", 0.0),  // binary, −3% < 0%
        ("Q15", 4.0),  // tolerance, |103 − 100| / 100 = 3% ≤ 5%: full marks
        ("Q16", 2.67), // tolerance, 10%: (20% − 10%) / (20% − 5%) × 4 = 2.666… → 2.67
        ("Q17", 0.0),  // tolerance, 30% ≥ 20%: 0
        ("Q18", 4.0),  // proportional with target 0: any actual meets it
        ("Q19", 0.0),  // proportional, actual −5 counted as 0: 0 / 100 × 4
        ("Q20", 3.5),  // proportional full marks 4, deduction 0.5 from judgments.csv
        ("K1", 2.0),   // checklist, 制度健全 met (2), 档案完整 not met
        ("T1", 3.0),   // qualitative 部分达成 [2.4, 3.2), judged 3
        ("M1", 3.5),   // manual, judged 3.5
    ];
    for (id, want) in expected {
        assert_eq!(score(id).as_f64(), Some(want), "{id}");
    }
    // N1 不适用: no score, its weight 4 left out of the applicable total
    assert!(score("N1").is_null());
    // Σ = 4+3.4+3.2+3+0+4+0+2+2.75+3+2+0+4+0+4+2.67+0+4+0+3.5+2+3+3.5 = 54.02 of 92
    // applicable; rescaled to the total 96: 54.02 × 96 / 92 = 56.3686… → 56.37
    assert_eq!(v["total_score"].as_f64(), Some(56.37));
    assert_eq!(v["applicable_weight"].as_f64(), Some(92.0));
}

fn explain_all(lang: &str) -> String {
    IDS.iter()
        .map(|id| run(&["explain", "--lang", lang, FIXTURE, id]))
        .collect::<Vec<_>>()
        .join("\n────────\n")
}

#[test]
fn every_rule_explained_zh() {
    insta::assert_snapshot!("every_rule_explain_zh", explain_all("zh"));
}

#[test]
fn every_rule_explained_en() {
    insta::assert_snapshot!("every_rule_explain_en", explain_all("en"));
}
