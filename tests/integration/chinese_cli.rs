//! Chinese first, for what the command line says itself: the parser's errors (a wrong
//! option, a bad value, a missing argument), the errors of a command that could not run
//! (a missing path, a file that exists, an output onto an input), and the scheme, budget
//! and scoring problems that were English only. `--lang en` keeps the English.

use assert_cmd::cargo::cargo_bin_cmd;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

const SAMPLE: &str = "samples/legal-aid-2022";

/// Exit status and stderr of `jixiao ARGS` run in the project's folder.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = cargo_bin_cmd!("jixiao").args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// The same in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = cargo_bin_cmd!("jixiao")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn the_parser_s_errors_are_chinese_by_default_and_english_with_lang_en() {
    let (status, err) = run(&["score", "--bogus"]);
    assert_eq!(status, Some(2), "{err}");
    assert!(err.starts_with("错误：不认识的参数“--bogus”"), "{err}");
    assert!(err.contains("用法：jixiao score [选项] <DIR>"), "{err}");
    assert!(err.contains("查看说明：jixiao --help"), "{err}");
    // --lang read before the rest is parsed: the parser's own English.
    let (status, err) = run(&["--lang", "en", "score", "--bogus"]);
    assert_eq!(status, Some(2));
    assert!(err.contains("unexpected argument '--bogus' found"), "{err}");

    let (status, err) = run(&["scor", SAMPLE]);
    assert_eq!(status, Some(2));
    assert!(
        err.contains("错误：没有“scor”这个命令；是不是想用命令“score”？"),
        "{err}"
    );

    let (_, err) = run(&["score", SAMPLE, "--format", "xml"]);
    assert!(
        err.contains("错误：参数 --format <FORMAT> 的取值“xml”无效；可选：table、json、csv"),
        "{err}"
    );

    let (_, err) = run(&["score"]);
    assert!(err.contains("错误：缺少必需的参数：<DIR>"), "{err}");

    // A number out of its range, the range said in words: 1 to 64 threads.
    let (_, err) = run(&["score", SAMPLE, "--threads", "99"]);
    assert!(
        err.contains("错误：参数 --threads <N> 的取值“99”无效：应在 1 到 64 之间"),
        "{err}"
    );

    // The value checks speak it too: 13 is no month.
    let (_, err) = run(&["monitor", SAMPLE, "--as-of", "2022-13-01"]);
    assert!(
        err.contains("“2022-13-01”不是日历上的日期；应为日期，如 2022-03-05"),
        "{err}"
    );
    let (_, err) = run(&["monitor", SAMPLE, "--as-of", "2022-13-01", "--lang=en"]);
    assert!(err.contains("is not a day of the calendar"), "{err}");
}

#[test]
fn a_command_that_cannot_run_says_why_in_chinese() {
    let (status, err) = run(&["check", "no/such/path"]);
    assert_eq!(status, Some(2));
    assert_eq!(err, "jixiao：no/such/path：没有这个文件或目录\n");

    // init never writes over a file.
    let (status, err) = run(&["init", "samples/legal-aid-2022"]);
    assert_eq!(status, Some(2));
    assert!(
        err.contains(
            "jixiao：samples/legal-aid-2022/evaluation.toml：已存在；请换一个新文件名（jixiao init 从不覆盖已有文件）"
        ),
        "{err}"
    );

    let (status, err) = run(&[
        "score",
        SAMPLE,
        "--previous",
        "samples/legal-aid-2022/budget.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(status, Some(2));
    assert!(
        err.contains("jixiao：--previous 只能与 --format table 或 json 同用，不能与 csv 同用"),
        "{err}"
    );

    let (status, err) = run(&["review", SAMPLE, "--template", "30+70"]);
    assert_eq!(status, Some(2));
    assert!(
        err.contains("jixiao：--template 30+70：应为 10+90 或 20+80"),
        "{err}"
    );
}

#[test]
fn an_output_onto_an_input_is_refused_in_chinese() {
    let (tmp, dir) = crate::fixture::sample();
    let before = fs::read(dir.join("budget.csv")).unwrap();
    let (status, err) = run_in(
        tmp.path(),
        &["score", "legal-aid-2022", "-o", "legal-aid-2022/budget.csv"],
    );
    assert_eq!(status, Some(2), "{err}");
    assert!(
        err.contains(
            "jixiao：拒绝把结果写到 legal-aid-2022/budget.csv：它就是输入文件 legal-aid-2022/budget.csv"
        ),
        "{err}"
    );
    assert_eq!(fs::read(dir.join("budget.csv")).unwrap(), before);
}

/// `check` of the standard scheme with `from` replaced by `to` (once).
fn check_scheme(from: &str, to: &str) -> String {
    let tmp = TempDir::new().unwrap();
    let text = fs::read_to_string("indicators/project-self-evaluation.toml").unwrap();
    assert!(text.contains(from), "{from}");
    let path = tmp.path().join("s.toml");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["check", "s.toml"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    text
}

#[test]
fn a_scheme_s_rule_and_value_types_are_told_in_chinese() {
    // The first rule of the standard scheme is { kind = "proportional" }.
    let text = check_scheme(
        "rule = { kind = \"proportional\" }",
        "rule = { kind = \"proportionl\" }",
    );
    assert!(text.contains("没有 `proportionl` 这种评分规则"), "{text}");
    assert!(text.contains("是不是 `proportional`？"), "{text}");

    let text = check_scheme("rule = { kind = \"proportional\" }", "rule = { x = 1 }");
    assert!(
        text.contains("`dimension[1].group[1].indicator[1].rule` 缺少 `kind`（评分规则的种类）"),
        "{text}"
    );
    assert!(
        text.contains("kind = 以下之一：proportional、inverse"),
        "{text}"
    );

    // A weight written as text: the found value and what is accepted, in Chinese.
    let text = check_scheme("weight = 10", "weight = \"ten\"");
    assert!(
        text.contains("“ten”不是数字（应为如 10 或 2.5 的数字）"),
        "{text}"
    );
    // A list where a number belongs: what was found, and what is accepted.
    let text = check_scheme("weight = 10", "weight = [10]");
    assert!(
        text.contains("`dimension[1].weight` 填成了列表 [ … ]"),
        "{text}"
    );
    assert!(
        text.contains("应为：数字，如 10 或 2.5，或加引号的文字，如 \"…\""),
        "{text}"
    );
}

#[test]
fn evaluation_toml_s_unknown_key_and_wrong_type_are_told_in_chinese() {
    let (_tmp, dir) = crate::fixture::sample();
    let dir = dir.as_path();
    let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
    // Line 2 is `project = "RJ-SFJ-2022-001"`.
    fs::write(
        dir.join("evaluation.toml"),
        eval.replacen("project = ", "projekt = ", 1),
    )
    .unwrap();
    let (status, err) = run_in(dir, &["score", "."]);
    assert_eq!(status, Some(1), "{err}");
    assert!(
        err.contains("evaluation.toml:2:1: 错误 JX0106 [projekt]：文件顶层中没有 `projekt` 这个键"),
        "{err}"
    );
    assert!(err.contains("提示：是不是 `project`？"), "{err}");
    // A value of the wrong type: serde's words said in Chinese.
    fs::write(
        dir.join("evaluation.toml"),
        eval.replacen("department = \"", "department = 7 # \"", 1),
    )
    .unwrap();
    let (status, err) = run_in(dir, &["score", "."]);
    assert_eq!(status, Some(1), "{err}");
    assert!(err.contains("类型不对：所填为整数 `7`，应为"), "{err}");
}

#[test]
fn a_budget_with_two_names_for_a_project_is_told_in_chinese() {
    let (_tmp, dir) = crate::fixture::sample();
    let dir = dir.as_path();
    // A second row of the project (line 3), the same but for its name.
    let budget = fs::read_to_string(dir.join("budget.csv")).unwrap();
    let row = budget.lines().nth(1).unwrap();
    let renamed = row.replacen(",法律援助,", ",法律援助项目,", 1);
    fs::write(dir.join("budget.csv"), format!("{budget}{renamed}\n")).unwrap();
    let (status, err) = run_in(dir, &["score", "."]);
    assert_eq!(status, Some(1), "{err}");
    assert!(
        err.contains(
            "budget.csv:3: 错误 JX0105 [项目名称]：项目 RJ-SFJ-2022-001 有两个名称（第 2 行写的是“法律援助”）；所填为“法律援助项目”；应为：同一项目各行的项目名称相同"
        ),
        "{err}"
    );
}

#[test]
fn the_help_s_headings_are_chinese_and_help_names_a_command() {
    let out = cargo_bin_cmd!("jixiao")
        .args(["score", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "用法：jixiao score [选项] <DIR>",
        "参数:",
        "选项:",
        "显示帮助",
        // the option's Chinese half, its default and choices in Chinese
        "输出格式",
        "[默认：table]",
        "- json：一个 JSON 文档",
        "退出状态：",
    ] {
        assert!(text.contains(heading), "{heading}: {text}");
    }
    // nothing of the English help: its words, its halves of the texts
    for english in [
        "Usage:",
        "[default:",
        "output format",
        "Exit status",
        "the evaluation folder",
    ] {
        assert!(!text.contains(english), "{english}: {text}");
    }
    // `help COMMAND` prints that command's help (the parser's own help command is
    // replaced by one in Chinese).
    let out = cargo_bin_cmd!("jixiao")
        .args(["help", "monitor"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("用法：jixiao monitor"), "{text}");
    // English keeps the parser's own words.
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "score", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Usage: jixiao score [OPTIONS] <DIR>"),
        "{text}"
    );
    assert!(text.contains("Print help"), "{text}");
    // the English halves only
    for english in ["output format", "[default: table]", "Exit status:"] {
        assert!(text.contains(english), "{english}: {text}");
    }
    for chinese in ["输出格式", "默认", "退出状态"] {
        assert!(!text.contains(chinese), "{chinese}: {text}");
    }
}
