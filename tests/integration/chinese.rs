//! Chinese first: problems, counts and check's findings in Chinese by default, the same in
//! English with `--lang en` (the other tests read the English messages).

use assert_cmd::cargo::cargo_bin_cmd;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The sample copied with its scheme beside it, and one spending line replaced.
fn sample_with(line: usize, from: &str, to: &str) -> (TempDir, PathBuf) {
    let (tmp, dir) = crate::fixture::sample();
    let csv = fs::read_to_string(dir.join("spending.csv")).unwrap();
    let lines: Vec<String> = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                assert!(l.contains(from), "{l}");
                l.replacen(from, to, 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    fs::write(dir.join("spending.csv"), lines.join("\n") + "\n").unwrap();
    (tmp, dir)
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = cargo_bin_cmd!("jixiao")
        .args(args)
        .arg(dir)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn an_amount_finer_than_a_fen_is_told_in_chinese_with_the_column_as_headed() {
    // spending.csv line 5 is the 2022-05-20 row of 1560.00
    let (_tmp, dir) = sample_with(5, ",1560.00,", ",1560.005,");
    let file = dir.as_path().join("spending.csv");
    let (status, stdout, err) = run(dir.as_path(), &["score"]);
    assert_eq!(status, Some(1));
    assert_eq!(stdout, "");
    assert_eq!(
        err,
        format!(
            "{}:5: 错误 JX0102 [金额]：“1560.005”精确到了分以下（金额最多两位小数）；所填为“1560.005”；\
             应为：以元为单位、最多两位小数的金额，如 67900、67,900.00、¥67,900.00、6.79万元、(1,200.00)\n\
             jixiao：1 个错误，0 个警告；未打分\n",
            file.display()
        )
    );
    // the same in English
    let (_, _, err) = run(dir.as_path(), &["--lang", "en", "score"]);
    assert!(
        err.contains(":5: error [amount]: \"1560.005\" has more precision than a fen (0.01 元)")
            && err.ends_with("jixiao: 1 error(s), 0 warning(s); nothing was scored\n"),
        "{err}"
    );
}

#[test]
fn check_speaks_chinese_by_default() {
    let (_tmp, dir) = sample_with(5, ",2022-05-20,", ",2022-02-30,");
    let (status, stdout, _) = run(dir.as_path(), &["check"]);
    assert_eq!(status, Some(1));
    // 2022 is not a leap year: no 30 February; the folder and the scheme beside it
    assert!(
        stdout.starts_with("错误[JX0102]: “2022-02-30”不是日历上的日期\n"),
        "{stdout}"
    );
    assert!(stdout.contains("^^^^^^^^^^ 日期"), "{stdout}");
    assert!(
        stdout.contains(
            "说明: 应为：日期，如 2022-03-05、2022/3/5、2022.3.5、2022年3月5日 或 20220305"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "jixiao check：1 个错误，0 个警告（检查了 1 个指标体系文件、1 个评价目录）\n"
        ),
        "{stdout}"
    );
    let (_, stdout, _) = run(dir.as_path(), &["--lang", "en", "check"]);
    assert!(
        stdout.starts_with("error[JX0102]: \"2022-02-30\" is not a day of the calendar\n"),
        "{stdout}"
    );
}

#[test]
fn an_empty_required_field_names_its_column_as_headed() {
    let (_tmp, dir) = sample_with(5, ",1560.00,", ",,");
    let (status, _, err) = run(dir.as_path(), &["score"]);
    assert_eq!(status, Some(1));
    assert!(
        err.contains(":5: 错误 JX0102 [金额]：必填项为空；应为：以元为单位"),
        "{err}"
    );
}

#[test]
fn a_scheme_whose_weights_do_not_add_up_is_told_in_chinese() {
    let out = cargo_bin_cmd!("jixiao")
        .args([
            "check",
            "tests/fixtures/check/JX0010-indicator-weights.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    // the group 产出数量 weighs 100; its indicators on lines 27 and 34 weigh 90 together
    assert!(
        text.starts_with(
            "错误[JX0010]: 二级指标“产出数量”的分值为 100，其三级指标分值之和却是 90（第 27、34 行）\n"
        ),
        "{text}"
    );
    assert!(text.contains("^^^ 分值"), "{text}");
    assert!(
        text.contains("说明: 应为：三级指标分值之和等于 100"),
        "{text}"
    );
}
