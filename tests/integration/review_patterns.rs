//! `jixiao review` on the patterns of real published tables (issue: review of real
//! tables): each fixture's findings and verdicts, worked out by hand.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/review";

/// `jixiao review FILE --format json` → (exit status, the first evaluation).
fn review(file: &str, args: &[&str]) -> (i32, Value) {
    let out = cargo_bin_cmd!("jixiao")
        .args(["review", &format!("{FIXTURES}/{file}")])
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap_or(-1),
        doc["evaluations"][0].clone(),
    )
}

/// (code, field, claim, recomputed) of every finding.
fn findings(ev: &Value) -> Vec<(String, String, String, String)> {
    ev["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("code"), s("field"), s("claim"), s("recomputed"))
        })
        .collect()
}

fn f(code: &str, field: &str, claim: &str, recomputed: &str) -> (String, String, String, String) {
    (code.into(), field.into(), claim.into(), recomputed.into())
}

/// The verdict of one figure.
fn verdict(ev: &Value, field: &str) -> String {
    ev["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == field)
        .unwrap_or_else(|| panic!("no figure {field}: {ev:#}"))["verdict"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_total_funds_row_left_at_zero_is_judged_from_the_rows_beneath_it() {
    let (status, ev) = review("funds-total-left-blank.toml", &[]);
    assert_eq!(status, 1);
    // 年度资金总额 0 / 0 / 0 against the one 其中 row 80 / 80 / 79.5: each differs, and the
    // sum is printed exactly (79.5, not rounded to the total's "0" precision as 80).
    assert_eq!(
        findings(&ev),
        [
            f("JX2012", "funds.initial_budget", "0", "80"),
            f("JX2012", "funds.adjusted_budget", "0", "80"),
            f("JX2012", "funds.spent", "0", "79.5"),
        ]
    );
    // The scores are judged from the consistent rows: 79.5 / 80 = 0.99375;
    // 0.99375 × 10 = 9.9375 → 9.94 (四舍五入), as both rows print.
    assert_eq!(verdict(&ev, "funds.score"), "agrees");
    assert_eq!(verdict(&ev, "funds.source[1].score"), "agrees");
    // 99.375% → 99.38% as the 其中 row prints
    assert_eq!(verdict(&ev, "funds.source[1].execution_rate"), "agrees");
    // the execution rate to 0.01%: 99.375% → 99.38% = 0.9938, from the 其中 row
    assert_eq!(
        ev["execution"]["recomputed"].as_f64(),
        Some(0.9938),
        "{ev:#}"
    );
    assert!(
        ev["execution"]["basis"]
            .as_str()
            .unwrap()
            .contains("79.5 / 80（年度资金总额一行为 0，按其中各行之和）"),
        "{ev:#}"
    );
}

#[test]
fn the_same_rate_scored_differently_on_two_funds_rows_is_found_on_both() {
    let (status, ev) = review("funds-source-scores.toml", &[]);
    assert_eq!(status, 1);
    // 88.6 / 100 = 88.6%; × 10 = 8.86: the total row's 9 and the 其中 row's 8 both differ
    assert_eq!(
        findings(&ev),
        [
            f("JX2003", "funds.score", "9", "8.86"),
            f("JX2003", "funds.source[1].score", "8", "8.86"),
        ]
    );
}

#[test]
fn a_bad_cap_profile_is_refused_with_every_bad_band_and_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let caps = tmp.path().join("caps.toml");
    // line 2: a bound without % ("70" would be 7000%); line 6: a maximum above 100
    std::fs::write(
        &caps,
        "[[cap]]\nbelow = \"70\"\nmax = 79\n\n[[cap]]\nbelow = \"60%\"\nmax = 690\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args([
            "--lang",
            "en",
            "review",
            &format!("{FIXTURES}/JX2019-above-execution-cap.toml"),
        ])
        .arg("--caps")
        .arg(&caps)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("caps.toml:2:") && err.contains("\"70\""),
        "{err}"
    );
    assert!(err.contains("caps.toml:7:") && err.contains("690"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn without_a_cap_profile_no_cap_is_applied() {
    // the JX2019 fixture reviewed without --caps: 85 beside 65% is not capped by default,
    // and nothing else is wrong with it
    let (status, ev) = review("JX2019-above-execution-cap.toml", &[]);
    assert_eq!(status, 0, "{ev:#}");
    assert_eq!(findings(&ev), []);
}

#[test]
fn a_ten_ninety_form_without_weights_caps_each_first_level_at_the_template() {
    let (status, ev) = review("template-10-90.toml", &[]);
    assert_eq!(status, 1);
    // 满意度 is 10 under 10 + 90 (产出 50, 效益 30, 满意度 10 all printed): 31.5 > 10
    assert_eq!(
        findings(&ev),
        [f(
            "JX2007",
            "dimension[3].group[1].indicator[1].score",
            "31.5",
            "≤ 10"
        )]
    );
    // 预算执行率 10 is implied: 45 / 50 = 90%, × 10 = 9 as printed
    assert_eq!(verdict(&ev, "funds.score"), "agrees");
    // the template's form is the whole form: 9 + 30 + 20 + 3 + 31.5 = 93.5 as printed
    assert_eq!(verdict(&ev, "total.score"), "agrees");
}

#[test]
fn a_twenty_eighty_form_without_weights_adds_its_rows_up_against_eighty() {
    let (status, ev) = review("template-20-80.toml", &[]);
    assert_eq!(status, 1);
    // each row is within 80, but 45 + 40 = 85 > 80 (the indicators' share under 20 + 80)
    assert_eq!(
        findings(&ev),
        [f(
            "JX2007",
            "dimension[1].score_sum",
            "45 + 40 = 85",
            "≤ 80"
        )]
    );
    // 预算执行率 20 is implied: 117.45 / 135 = 0.87, × 20 = 17.4 as printed
    assert_eq!(verdict(&ev, "funds.score"), "agrees");
}

#[test]
fn the_template_may_be_given_on_the_command_line_and_a_bad_one_is_refused() {
    // the 20 + 80 fixture told it is 10 + 90: its own [report] template comes first
    let (_, ev) = review("template-20-80.toml", &["--template", "10+90"]);
    assert_eq!(findings(&ev)[0].3, "≤ 80");
    // a form naming no template and printing no 分值 takes the command line's: under
    // 20 + 80, 41.3 / 45 = 0.917777… × 20 = 18.3555… → 18.36, as printed
    let tmp = tempfile::tempdir().unwrap();
    let claims = tmp.path().join("claims.toml");
    std::fs::write(
        &claims,
        "[funds]\nunit = \"万元\"\nadjusted_budget = \"45\"\nspent = \"41.3\"\nscore = 18.36\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = cargo_bin_cmd!("jixiao")
            .arg("review")
            .arg(&claims)
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        verdict(&doc["evaluations"][0], "funds.score")
    };
    assert_eq!(run(&["--template", "20+80"]), "agrees");
    // without it, there is no weight to score by
    assert_eq!(run(&[]), "not_checkable");
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "review"])
        .arg(&claims)
        .args(["--lang", "en", "--template", "30+70"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--template 30+70: expected 10+90 or 20+80"),
        "{err}"
    );
}

#[test]
fn an_unknown_template_in_a_claims_file_is_refused_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let claims = tmp.path().join("claims.toml");
    std::fs::write(&claims, "[report]\ntemplate = \"15+85\"\n").unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .arg("review")
        .arg(&claims)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("claims.toml:2:") && err.contains("15+85"),
        "{err}"
    );
}

#[test]
fn sub_rows_add_up_to_the_row_above_them_and_are_not_counted_twice() {
    let (status, ev) = review("sub-rows.toml", &[]);
    assert_eq!(status, 1);
    // 中级工 376 / 400 × 8 = 7.52; 12 + 7.52 = 19.52, not the 19.6 printed on 培训人次
    assert_eq!(
        findings(&ev),
        [f(
            "JX2005",
            "dimension[1].group[1].indicator[1].score",
            "19.6",
            "19.52 = 12 + 7.52"
        )]
    );
    // the parent's weight 20 = 12 + 8
    assert_eq!(
        verdict(&ev, "dimension[1].group[1].indicator[1].weight"),
        "agrees"
    );
    // the group's 30 = 20 + 10 (the 其中 rows' 12 and 8 not added again: 50 ≠ 30)
    assert_eq!(verdict(&ev, "dimension[1].group[1].weight"), "agrees");
    // the total 99.6 = 10 + 19.6 + 10 + 60, the rows as printed
    assert_eq!(verdict(&ev, "total.score"), "agrees");
    // each 其中 row is judged by its own rule
    assert_eq!(
        verdict(&ev, "dimension[1].group[1].indicator[3].score"),
        "agrees"
    );
}

#[test]
fn a_first_row_marked_sub_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let claims = tmp.path().join("claims.toml");
    std::fs::write(
        &claims,
        "[[dimension]]\n[[dimension.group]]\n[[dimension.group.indicator]]\nname = \"培训人次\"\nsub = true\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "review"])
        .arg(&claims)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("claims.toml:5:") && err.contains("no row above it"),
        "{err}"
    );
}
