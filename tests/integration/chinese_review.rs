//! Chinese first for `review` and the files around it: a claims file, a cap profile
//! (`--caps`), a 自评表 workbook, `--previous`, narrative.toml and the command's own errors
//! are told in Chinese by default, and the same problems in English with `--lang en`.

use assert_cmd::cargo::cargo_bin_cmd;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// Run jixiao in `dir` with `args`: the exit status, stdout and stderr.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = cargo_bin_cmd!("jixiao")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A file of the repository, by its absolute path (the tests run in temporary folders).
fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A folder holding one claims file of `text`.
fn claims(text: &str) -> TempDir {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("claims.toml"), text).unwrap();
    tmp
}

#[test]
fn bad_figures_of_a_claims_file_are_told_in_chinese_each_at_its_place() {
    // line 2: a misspelt key; line 5: a unit that is neither 万元 nor 元; line 6: words
    // where an amount is printed; line 7: an amount where a rate is printed
    let tmp = claims(
        "[total]\nscroe = 95\n\n[funds]\nunit = \"千元\"\nspent = \"很多\"\nexecution_rate = \"50元\"\n",
    );
    let (status, stdout, err) = run_in(tmp.path(), &["review", "claims.toml"]);
    assert_eq!(status, Some(2));
    assert_eq!(stdout, "");
    // columns: `spent = ` is 8 characters, so the value starts at 9; `execution_rate = `
    // is 17, so 18; `unit = ` 7, so 8
    assert_eq!(
        err,
        "claims.toml:2:1: 错误 JX0002 [total.scroe]：`total` 中没有 `scroe` 这个键；所填为“scroe”；\
         应为：以下之一：weight, score, grade；提示：是不是 `score`？\n\
         claims.toml:5:8: 错误 JX0004 [funds.unit]：项目资金的金额单位“千元”无法识别；\
         应为：\"万元\" 或 \"元\"\n\
         claims.toml:6:9: 错误 JX0004 [funds.spent]：“很多”不以数字开头，应写作 120、95% 或 7万元 这样的数；\
         应为：照表上所印抄写的金额，如 \"6.79\"、\"6.79万\"、\"67,900.00元\"\n\
         claims.toml:7:18: 错误 JX0004 [funds.execution_rate]：“50元”不是比率（百分数或小数）；\
         应为：照表上所印抄写的比率，如 \"67.9%\"、\"91.78%\" 或 \"0.917\"\n\
         jixiao：claims.toml 无法复核\n"
    );
    // the same in English
    let (_, _, err) = run_in(tmp.path(), &["--lang", "en", "review", "claims.toml"]);
    assert!(
        err.contains("claims.toml:5:8: error [funds.unit]: unknown funds unit \"千元\"; expected \"万元\" or \"元\"")
            && err.contains(
                "claims.toml:7:18: error [funds.execution_rate]: \"50元\" is not a rate (a percentage or a fraction)"
            )
            && err.ends_with("jixiao: claims.toml could not be reviewed\n"),
        "{err}"
    );
}

#[test]
fn a_value_of_the_wrong_kind_in_a_claims_file_is_named_in_chinese() {
    // `unit = 5`: a number where text is expected; `adjusted_budget = true`: neither text
    // nor a number (a figure may be either)
    let tmp = claims("[funds]\nunit = 5\nadjusted_budget = true\n");
    let (status, _, err) = run_in(tmp.path(), &["review", "claims.toml"]);
    assert_eq!(status, Some(2));
    assert_eq!(
        err,
        "claims.toml:2:8: 错误 JX0004 [funds.unit]：`funds.unit` 填成了数字 5；\
         应为：加引号的文字，如 \"…\"\n\
         claims.toml:3:19: 错误 JX0004 [funds.adjusted_budget]：`funds.adjusted_budget` 填成了 true；\
         应为：加引号的文字，如 \"…\"，或数字，如 10 或 2.5\n\
         jixiao：claims.toml 无法复核\n"
    );
    let (_, _, err) = run_in(tmp.path(), &["--lang", "en", "review", "claims.toml"]);
    assert!(
        err.contains("claims.toml:2:8: error [funds.unit]: `funds.unit` is the number 5; expected text in quotes"),
        "{err}"
    );
}

#[test]
fn a_tier_a_sub_row_and_a_template_the_review_does_not_know_are_told_in_chinese() {
    let tmp = claims(
        "[report]\ntemplate = \"30+70\"\n\n[[dimension]]\n  [[dimension.group]]\n    \
         [[dimension.group.indicator]]\n    sub = true\n    tier = \"优秀\"\n",
    );
    let (status, _, err) = run_in(tmp.path(), &["review", "claims.toml"]);
    assert_eq!(status, Some(2));
    let row = "dimension[1].group[1].indicator[1]";
    assert_eq!(
        err,
        format!(
            "claims.toml:2:12: 错误 JX0004 [report.template]：没有“30+70”这种自评表模板；\
             应为：\"10+90\" 或 \"20+80\"\n\
             claims.toml:7:11: 错误 JX0004 [{row}.sub]：二级指标下的第一行不能是“其中”行：\
             它上面没有所属的行；应为：sub = true 只写在它所属那一行下面的行上\n\
             claims.toml:8:12: 错误 JX0004 [{row}.tier]：档次“优秀”无法识别；\
             应为：达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差 或 不适用\n\
             jixiao：claims.toml 无法复核\n"
        )
    );
    let (_, _, err) = run_in(tmp.path(), &["--lang", "en", "review", "claims.toml"]);
    assert!(
        err.contains("error [report.template]: unknown template \"30+70\"")
            && err.contains("the first row of a group cannot be a 其中 row: no row above it")
            && err.contains("unknown tier \"优秀\""),
        "{err}"
    );
}

#[test]
fn a_path_a_claims_file_names_outside_the_root_is_refused_in_chinese() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("root");
    fs::create_dir(&root).unwrap();
    fs::write(
        root.join("claims.toml"),
        "[report]\nscheme = \"../s.toml\"\n",
    )
    .unwrap();
    let (status, _, err) = run_in(&root, &["review", "claims.toml"]);
    assert_eq!(status, Some(2));
    // the root as the program holds it: with symbolic links followed
    let shown_root = fs::canonicalize(&root).unwrap();
    // `scheme = ` is 9 characters: the value starts at column 10
    assert_eq!(
        err,
        format!(
            "claims.toml:2:10: 错误 JX0107 [report.scheme]：../s.toml 不在允许读取的根目录 {} 内；\
             所填为“../s.toml”；应为：允许读取的根目录（--root，默认为当前目录）内的文件；\
             提示：在同时包含评价目录及其所指文件的上级目录中运行 jixiao（随附示例请在项目根目录运行），\
             或用 --root 目录 指定该目录\n\
             jixiao：claims.toml 无法复核\n",
            shown_root.display()
        )
    );
    let (_, _, err) = run_in(&root, &["--lang", "en", "review", "claims.toml"]);
    assert!(
        err.contains("../s.toml lies outside the allowed root"),
        "{err}"
    );
}

#[test]
fn a_bad_cap_profile_is_told_in_chinese_band_by_band() {
    let tmp = TempDir::new().unwrap();
    // line 2: a bound without %; line 3: a maximum above 100; line 4: a key a band has not
    fs::write(
        tmp.path().join("caps.toml"),
        "[[cap]]\nbelow = \"80\"\nmax = 120\nmin = 1\n",
    )
    .unwrap();
    let fixture = repo("tests/fixtures/review/JX2019-above-execution-cap.toml");
    let fixture = fixture.to_str().unwrap();
    let (status, stdout, err) = run_in(tmp.path(), &["review", "--caps", "caps.toml", fixture]);
    assert_eq!(status, Some(2));
    assert_eq!(stdout, "");
    // `below = ` is 8 characters (value at 9), `max = ` 6 (value at 7)
    assert_eq!(
        err,
        "caps.toml:2:9: 错误 JX0004 [cap[1].below]：执行率界限“80”不是大于 0% 且不超过 100% 的百分数；\
         应为：大于 0% 且不超过 100% 的百分数，带 %，如 \"80%\"\n\
         caps.toml:3:7: 错误 JX0004 [cap[1].max]：总分上限“120”不是 0 到 100 之间的数；\
         应为：0 到 100 之间的分数，如 89\n\
         caps.toml:4:1: 错误 JX0002 [cap[1].min]：`cap[1]` 中没有 `min` 这个键；所填为“min”；\
         应为：以下之一：below, max；提示：是不是 `max`？\n\
         jixiao：执行率封顶规则 caps.toml 无法使用\n"
    );
    let (_, _, err) = run_in(
        tmp.path(),
        &["--lang", "en", "review", "--caps", "caps.toml", fixture],
    );
    assert!(
        err.contains("caps.toml:2:9: error [cap[1].below]: bad bound \"80\"; expected a rate above 0% and at most 100%")
            && err.contains("caps.toml:3:7: error [cap[1].max]: bad maximum 120")
            && err.ends_with("jixiao: the cap profile caps.toml cannot be used\n"),
        "{err}"
    );
    // a profile with no band, and one whose maximum is text
    fs::write(tmp.path().join("caps.toml"), "# 空\n").unwrap();
    let (_, _, err) = run_in(tmp.path(), &["review", "--caps", "caps.toml", fixture]);
    assert!(
        err.starts_with(
            "caps.toml: 错误 JX0003：执行率封顶规则文件中没有 [[cap]] 规则；\
             应为：一个或多个 [[cap]] 表，每个写 below = \"80%\" 和 max = 89\n"
        ),
        "{err}"
    );
    fs::write(
        tmp.path().join("caps.toml"),
        "[[cap]]\nbelow = \"80%\"\nmax = \"八十九\"\n",
    )
    .unwrap();
    let (_, _, err) = run_in(tmp.path(), &["review", "--caps", "caps.toml", fixture]);
    assert!(
        err.starts_with(
            "caps.toml:3:7: 错误 JX0004 [cap[1].max]：总分上限“八十九”不是 0 到 100 之间的数"
        ),
        "{err}"
    );
}

#[test]
fn the_review_commands_own_errors_are_in_chinese() {
    // a folder with no claims file and no workbook
    let (status, stdout, err) = run_in(&repo("."), &["review", "samples/review/caps"]);
    assert_eq!(status, Some(2));
    assert_eq!(stdout, "");
    assert_eq!(
        err,
        "jixiao：samples/review/caps：此文件夹及其下级文件夹中既没有转录文件\
         （claims.toml 或 *.claims.toml），也没有自评表工作簿（.xlsx、.xlsm、.xls）\n"
    );
    let (_, _, err) = run_in(
        &repo("."),
        &["--lang", "en", "review", "samples/review/caps"],
    );
    assert_eq!(
        err,
        "jixiao: samples/review/caps: no claims file (claims.toml or *.claims.toml) or \
         自评表 workbook in this folder or below\n"
    );
    // a path that is not there, and a template that does not exist
    let (_, _, err) = run_in(&repo("."), &["review", "no/such/claims.toml"]);
    assert_eq!(err, "jixiao：no/such/claims.toml：没有这个文件或目录\n");
    let (_, _, err) = run_in(
        &repo("."),
        &[
            "review",
            "--template",
            "30+70",
            "tests/fixtures/review/consistent.toml",
        ],
    );
    assert_eq!(err, "jixiao：--template 30+70：应为 10+90 或 20+80\n");
    let (_, _, err) = run_in(
        &repo("."),
        &[
            "review",
            "--low-execution",
            "160%",
            "tests/fixtures/review/consistent.toml",
        ],
    );
    assert_eq!(
        err,
        "jixiao：--low-execution 160%：应为 0% 到 100% 之间的比率，如 60% 或 0.6\n"
    );
}

#[test]
fn init_refuses_to_overwrite_in_chinese() {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("s.toml"), "x").unwrap();
    let (status, _, err) = run_in(tmp.path(), &["init", "s.toml"]);
    assert_eq!(status, Some(2));
    assert_eq!(
        err,
        "jixiao：s.toml：已存在；请换一个新文件名（jixiao init 从不覆盖已有文件）\n"
    );
    let (_, _, err) = run_in(tmp.path(), &["--lang", "en", "init", "s.toml"]);
    assert!(err.contains("s.toml: already exists"), "{err}");
    assert_eq!(fs::read_to_string(tmp.path().join("s.toml")).unwrap(), "x");
}

/// Write a one-sheet workbook: each cell an A1 reference and its text.
fn workbook(path: &Path, sheet: &str, cells: &[(&str, &str)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (a1, text) in cells {
        let (letters, digits) = a1.split_at(1);
        let col = u16::from(letters.as_bytes()[0] - b'A');
        let row: u32 = digits.parse::<u32>().unwrap() - 1;
        ws.write_string(row, col, *text).unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn a_sheet_not_read_as_a_form_is_told_in_chinese_with_what_was_found() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("汇总.xlsx");
    workbook(
        &path,
        "汇总",
        &[("A1", "项目清单"), ("A2", "项目名称"), ("B2", "金额")],
    );
    let (status, _, err) = run_in(tmp.path(), &["review", "汇总.xlsx"]);
    assert_eq!(status, Some(2));
    assert_eq!(
        err,
        "汇总.xlsx: 错误 JX0101 [汇总]：工作表“汇总”：没有一行是绩效指标的表头\
         （三级指标 … 分值 … 得分）；表上是：第 1 行：A1 项目清单；第 2 行：A2 项目名称、B2 金额；\
         应为：项目支出绩效自评表：其中一行表头写有 一级指标、二级指标、三级指标、年度指标值、\
         实际完成值、分值、得分（可接受的格式见 docs/review.md）\n\
         jixiao：汇总.xlsx 无法复核\n"
    );
    // a header without 得分, at its row
    let path = tmp.path().join("自评表.xlsx");
    workbook(
        &path,
        "Sheet1",
        &[
            ("A5", "一级指标"),
            ("B5", "二级指标"),
            ("C5", "三级指标"),
            ("D5", "分值"),
        ],
    );
    let (_, _, err) = run_in(tmp.path(), &["review", "自评表.xlsx"]);
    assert!(
        err.starts_with(
            "自评表.xlsx:5: 错误 JX0101 [Sheet1]：工作表“Sheet1”：绩效指标表头中没有“得分”列\
             （表头：A5 一级指标、B5 二级指标、C5 三级指标、D5 分值）；应为：绩效指标表头中有“得分”列\n"
        ),
        "{err}"
    );
    let (_, _, err) = run_in(tmp.path(), &["--lang", "en", "review", "自评表.xlsx"]);
    assert!(
        err.contains(
            "自评表.xlsx:5: error [Sheet1]: sheet \"Sheet1\": the 绩效指标 header has no 得分 column \
             (the header: A5 一级指标, B5 二级指标, C5 三级指标, D5 分值)"
        ),
        "{err}"
    );
}

#[test]
fn a_bad_previous_file_is_told_in_chinese() {
    let tmp = TempDir::new().unwrap();
    let previous = tmp.path().join("上年.json");
    // valid JSON, but no total_score
    fs::write(&previous, "{\"indicators\": []}").unwrap();
    let args = [
        "report",
        "samples/legal-aid-2022",
        "--previous",
        previous.to_str().unwrap(),
    ];
    let (status, _, err) = run_in(&repo("."), &args);
    assert_eq!(status, Some(1));
    let file = previous.display();
    assert!(
        err.starts_with(&format!(
            "{file}: 错误 JX0004 [total_score]：不是 jixiao 的评分结果：没有数值“total_score”；\
             应为：用 jixiao score --format json 保存的上年结果（格式见 docs/output.md）\n"
        )),
        "{err}"
    );
    let en: Vec<&str> = ["--lang", "en"].into_iter().chain(args).collect();
    let (_, _, err) = run_in(&repo("."), &en);
    assert!(
        err.contains("[total_score]: not a jixiao result: no number \"total_score\""),
        "{err}"
    );
    // JSON cut off: `{"indicators": [` is 16 characters, the end is found at column 16
    fs::write(&previous, "{\"indicators\": [").unwrap();
    let (_, _, err) = run_in(&repo("."), &args);
    assert!(
        err.starts_with(&format!(
            "{file}:1:16: 错误：不是有效的 JSON：内容不完整，文件在中途结束；\
             应为：用 jixiao score --format json 保存的上年结果\n"
        )),
        "{err}"
    );
    let (_, _, err) = run_in(&repo("."), &en);
    assert!(err.contains("not valid JSON: EOF while parsing"), "{err}");
}

/// The legal-aid sample copied with its scheme beside it, and `narrative` as its
/// narrative.toml.
/// The sample with `narrative` as its narrative.toml: the folder, and what holds it.
fn sample_with_narrative(narrative: &str) -> (TempDir, std::path::PathBuf) {
    let (tmp, dir) = crate::fixture::sample();
    fs::write(dir.join("narrative.toml"), narrative).unwrap();
    (tmp, dir)
}

#[test]
fn narrative_toml_problems_are_told_in_chinese_all_at_once() {
    // line 2: a misspelt key; line 3: a number where text is written; line 4: a misspelt
    // table
    let (_tmp, dir) =
        sample_with_narrative("[basic]\noverveiw = \"x\"\ngoals = 5\n[analyis]\nprocess = \"y\"\n");
    let (status, stdout, err) = run_in(&dir, &["report", "."]);
    assert_eq!(status, Some(1));
    assert_eq!(stdout, "");
    // `goals = ` is 8 characters: the value at 9; `[analyis]`: the key at 2
    assert_eq!(
        err,
        "./narrative.toml:2:1: 错误 JX0002 [basic.overveiw]：`basic` 中没有 `overveiw` 这个键；\
         所填为“overveiw”；应为：以下之一：overview, goals, achieved；提示：是不是 `overview`？\n\
         ./narrative.toml:3:9: 错误 JX0004 [basic.goals]：`basic.goals` 填成了数字 5；\
         应为：加引号的文字，如 \"…\"\n\
         ./narrative.toml:4:2: 错误 JX0002 [analyis]：文件顶层中没有 `analyis` 这个键；\
         所填为“analyis”；应为：以下之一：basic, work, conclusion, analysis, lessons, other；\
         提示：是不是 `analysis`？\n\
         jixiao：3 个错误，0 个警告；未打分\n"
    );
    let (_, _, err) = run_in(&dir, &["--lang", "en", "report", "."]);
    assert!(
        err.contains(
            "./narrative.toml:2:1: error [basic.overveiw]: unknown key `overveiw` in `basic`"
        ) && err.contains(
            "./narrative.toml:4:2: error [analyis]: unknown key `analyis` in the top level"
        ),
        "{err}"
    );
}

#[test]
fn a_narrative_value_that_names_nothing_is_told_in_chinese() {
    // {{cases}} is no metric of the sample (cases_civil, cases_criminal, cases_total are);
    // {{cases_total:万元}} asks a count in 万元; the last {{ is never closed
    let (_tmp, dir) = sample_with_narrative(
        "[basic]\noverview = \"受理{{cases}}件，{{cases_total:万元}}，{{cases_total\"\n",
    );
    let (status, _, err) = run_in(&dir, &["report", "."]);
    assert_eq!(status, Some(1));
    let expected = "应为：数据名称（内置、outputs.csv 中的或公式定义的）、数据的公式，\
                    或 total_score、grade、year、project";
    assert_eq!(
        err,
        format!(
            "./narrative.toml:2: 错误 JX0106 [basic.overview]：“cases”不是本次评价的数据\
             （也不是 total_score、grade、year、project）；所填为“{{{{cases}}}}”；{expected}\n\
             ./narrative.toml:2: 错误 JX0106 [basic.overview]：“cases_total:万元”：\
             只有金额才能以万元或元显示；所填为“{{{{cases_total:万元}}}}”；{expected}\n\
             ./narrative.toml:2: 错误 JX0106 [basic.overview]：basic.overview 中有“{{{{”\
             而没有与之配对的“}}}}”；应为：{{{{数据名称}}}}，如 {{{{cases_total}}}} 或 {{{{spent:万元}}}}\n\
             jixiao：3 个错误，0 个警告；未打分\n"
        )
    );
    let (_, _, err) = run_in(&dir, &["--lang", "en", "report", "."]);
    assert!(
        err.contains("[basic.overview]: \"cases\" is not a metric of this evaluation")
            && err.contains("\"{{\" without \"}}\" in basic.overview"),
        "{err}"
    );
}
