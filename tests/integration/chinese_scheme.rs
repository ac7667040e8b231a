//! Chinese first for the scheme's own problems: `jixiao check` on small broken schemes
//! tells each problem (what was found, what was expected, how to fix it) in Chinese by
//! default, and the same problems in English with `--lang en`.

use assert_cmd::cargo::cargo_bin_cmd;
use std::fs;
use tempfile::TempDir;

/// `jixiao [--lang en] check scheme.toml` on a scheme of `text`, run in its folder: the
/// exit status and stdout.
fn check(text: &str, lang: &str) -> (Option<i32>, String) {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("scheme.toml"), text).unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", lang, "check", "scheme.toml"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// The headline of each problem (`错误[JX0022]: …`) and its notes (`= 说明: 应为：…`,
/// `= 提示: …`), in the order shown, without the snippets.
fn said(text: &str, lang: &str) -> Vec<String> {
    let (status, out) = check(text, lang);
    let lines: Vec<String> = out
        .lines()
        .map(str::trim)
        .filter(|l| {
            ["错误[", "警告[", "error[", "warning["]
                .iter()
                .any(|p| l.starts_with(p))
                || l.starts_with("= ") && !l.contains("位于") && !l.starts_with("= note: in ")
        })
        .map(str::to_string)
        .collect();
    let errors = lines
        .iter()
        .any(|l| l.starts_with("错误[") || l.starts_with("error["));
    assert_eq!(status, Some(i32::from(errors)), "{out}");
    lines
}

/// A scheme of one output dimension of 100 holding one group of 100 with `indicators`
/// (from line 13 on when `head` is one line: lines 1–12 are `[scheme]`, id, title, `head`,
/// an empty line, `[[dimension]]`, kind, name, weight, `[[dimension.group]]`, name,
/// weight). `head` may also add tables (`[tiers]`, `[[grade]]`, `[[metric]]`).
fn scheme(head: &str, indicators: &str) -> String {
    format!(
        "[scheme]\nid = \"t\"\ntitle = \"测试\"\n{head}\n\n[[dimension]]\nkind = \"output\"\nname = \"产出指标\"\nweight = 100\n  [[dimension.group]]\n  name = \"数量指标\"\n  weight = 100\n{indicators}"
    )
}

/// One indicator `id` of `weight`: six lines, the table's, id, name, weight, then `rest`
/// (metric, target, rule as written).
fn indicator(id: &str, weight: u32, rest: &str) -> String {
    format!(
        "    [[dimension.group.indicator]]\n    id = \"{id}\"\n    name = \"指标{id}\"\n    weight = {weight}\n{rest}"
    )
}

/// A quantitative indicator of 100 on `metric = "trained"` against `target`, with `rule`.
fn ruled(target: &str, rule: &str) -> String {
    scheme(
        "",
        &indicator(
            "A1",
            100,
            &format!("    metric = \"trained\"\n    target = \"{target}\"\n    rule = {rule}\n"),
        ),
    )
}

#[test]
fn a_dimension_or_group_without_indicators_is_told_in_chinese() {
    // 产出 90: 数量 80 (one indicator of 80) + 质量 10 (none); 效益 10 (no group)
    let text = "[scheme]\nid = \"t\"\ntitle = \"测试\"\n\n[[dimension]]\nkind = \"output\"\nname = \"产出指标\"\nweight = 90\n  [[dimension.group]]\n  name = \"数量指标\"\n  weight = 80\n    [[dimension.group.indicator]]\n    id = \"A1\"\n    name = \"培训人数\"\n    weight = 80\n    metric = \"trained\"\n    target = \">= 120 人\"\n  [[dimension.group]]\n  name = \"质量指标\"\n  weight = 10\n\n[[dimension]]\nkind = \"benefit\"\nname = \"效益指标\"\nweight = 10\n";
    assert_eq!(
        said(text, "zh"),
        [
            "警告[JX1004]: 二级指标“质量指标”下没有指标",
            "= 提示: 添加 [[dimension.group.indicator]]，或删去这个二级指标",
            "错误[JX0010]: 二级指标“质量指标”的分值为 10，其三级指标分值之和却是 0（没有三级指标）",
            "= 说明: 应为：三级指标分值之和等于 10",
            "警告[JX1004]: 一级指标“效益指标”下没有指标",
            "= 提示: 添加 [[dimension.group]] 和 [[dimension.group.indicator]]，或删去这个一级指标",
            "错误[JX0011]: 一级指标“效益指标”的分值为 10，其二级指标分值之和却是 0（没有二级指标）",
            "= 说明: 应为：二级指标分值之和等于 10",
        ]
    );
    // the same in English
    assert_eq!(
        said(text, "en"),
        [
            "warning[JX1004]: group \"质量指标\" has no indicator",
            "= help: add [[dimension.group.indicator]] tables, or remove the group",
            "error[JX0010]: group \"质量指标\" has weight 10 but its indicator weights add up to 0 (it has no indicator)",
            "= note: expected indicator weights that add up to 10",
            "warning[JX1004]: dimension \"效益指标\" has no indicator",
            "= help: add [[dimension.group]] and [[dimension.group.indicator]] tables, or remove the dimension",
            "error[JX0011]: dimension \"效益指标\" has weight 10 but its group weights add up to 0 (it has no group)",
            "= note: expected group weights that add up to 10",
        ]
    );
}

#[test]
fn ids_kinds_weights_and_metric_names_are_told_in_chinese() {
    // A1's id on line 14, and again on line 20 (lines 13–18 are the first indicator's
    // six); the second's metric has a space; a third indicator has an empty id and
    // weight 0. The dimension's kind is misspelt.
    let indicators = [
        indicator(
            "A1",
            50,
            "    metric = \"trained\"\n    target = \">= 120 人\"\n",
        ),
        indicator(
            "A1",
            50,
            "    metric = \"trained people\"\n    target = \">= 1 次\"\n",
        ),
        indicator("", 0, "    metric = \"m\"\n    target = \">= 1 次\"\n"),
    ]
    .concat();
    let text = scheme("", &indicators).replace("kind = \"output\"", "kind = \"outcome\"");
    assert_eq!(
        said(&text, "zh"),
        [
            "错误[JX0004]: 没有这种一级指标",
            "= 说明: 应为：决策（decision）、过程（process）、产出（output）或效益（benefit）",
            "错误[JX0005]: 指标编号“A1”用了两次（第一次在第 14 行）",
            "= 说明: 应为：每个指标编号在指标体系中只用一次",
            "错误[JX0004]: 不是数据名称",
            "= 说明: 应为：由字母、数字和 _ 组成，以字母开头，如 trained_people",
            "错误[JX0013]: 分值必须大于 0",
            "错误[JX0004]: 指标编号不能为空",
            "= 提示: 填写指标编号，如 id = \"CC1\"",
        ]
    );
    let en = said(&text, "en");
    assert_eq!(en[0], "error[JX0004]: unknown dimension");
    assert_eq!(
        en[2],
        "error[JX0005]: indicator id \"A1\" is used twice (first on line 14)"
    );
    assert_eq!(en[4], "error[JX0004]: not a metric id");
    assert_eq!(
        en[5],
        "= note: expected letters, digits and _, starting with a letter"
    );
}

#[test]
fn targets_that_cannot_be_read_are_told_in_chinese() {
    let indicators = [
        indicator("A1", 50, "    metric = \"a\"\n    target = \"120 件\"\n"),
        indicator("A2", 30, "    metric = \"b\"\n    target = \">= 很多\"\n"),
        indicator("A3", 10, "    metric = \"c\"\n"),
        indicator(
            "A4",
            10,
            "    metric = \"d\"\n    rule = { kind = \"deduct_per_case\", points = 2 }\n",
        ),
    ]
    .concat();
    let zh = said(&scheme("", &indicators), "zh");
    let expected_target = "= 说明: 应为：比较符、数字和单位，如 \">= 120 件\"、\"<= 7万元\"、\"= 0 件\"、\">= 100%\"（≥、≤、不低于 等也可）";
    assert_eq!(
        zh,
        [
            "错误[JX0020]: 年度指标值“120 件”应以比较符开头：>=、>、=、<=、<（或 ≥、≤、≧、≦、不低于、不超过 等）",
            expected_target,
            "错误[JX0020]: 年度指标值“>= 很多”：“很多”不以数字开头，应写作 120、95% 或 7万元 这样的数",
            expected_target,
            "错误[JX0020]: 定量指标“A3”没有年度指标值（target）",
            "= 说明: 应为：target = \">= 120 件\"（年度指标值）",
            "警告[JX1002]: 指标“A4”没有年度指标值，按 \"= 0\" 处理",
            "= 提示: 写明年度指标值，如 target = \"= 0 件\"",
        ]
    );
    let en = said(&scheme("", &indicators), "en");
    assert_eq!(
        en[0],
        "error[JX0020]: target \"120 件\" must start with a comparison: >=, >, =, <=, < (or ≥ ≤ ≧ ≦, 不低于, 不超过 …)"
    );
    assert_eq!(
        en[2],
        "error[JX0020]: target \">= 很多\": \"很多\" does not start with a number such as 120, 95% or 7万元"
    );
}

#[test]
fn bands_that_overlap_leave_gaps_or_fall_are_told_in_chinese() {
    let overlap = ruled(
        ">= 5 件",
        "{ kind = \"bands\", bands = [ { range = \"[0, 5]\", score = 50 }, { range = \"[5, +∞)\", score = 120 } ] }",
    );
    assert_eq!(
        said(&overlap, "zh"),
        [
            "错误[JX0022]: 区间 [5, +∞) 的得分 120 不在 0 到指标分值 100 之间",
            "错误[JX0022]: 区间 [0, 5] 与 [5, +∞) 有重叠",
            "= 提示: 每个值只能落在一个区间：相邻两个区间的共同端点，一边用 [ ] 含，另一边用 ( ) 不含",
        ]
    );
    assert_eq!(
        said(&overlap, "en"),
        [
            "error[JX0022]: band [5, +∞) scores 120 outside 0..100",
            "error[JX0022]: bands [0, 5] and [5, +∞) overlap",
        ]
    );
    // [0, 3) ends at 3 (excluded), [4, +∞) starts at 4: values in [3, 4) have no band; and
    // reaching 4 pays 50, less than the 100 of staying below 3
    let gap = ruled(
        ">= 5 件",
        "{ kind = \"bands\", bands = [ { range = \"[0, 3)\", score = 100 }, { range = \"[4, +∞)\", score = 50 } ] }",
    );
    assert_eq!(
        said(&gap, "zh"),
        [
            "错误[JX0022]: 区间 [0, 3) 与 [4, +∞) 之间有空档：落在两者之间的值会得 0 分",
            "= 提示: 让相邻两个区间首尾相接，如 [0, 3) 与 [3, +∞)",
            "错误[JX0022]: 区间 [4, +∞) 得 50 分，比更低的区间 [0, 3)（100 分）还少",
            "= 说明: 应为：正向指标（≥）的得分随数值升高而增加",
        ]
    );
    // for a ≤ target the lower band is the better one: it must not pay less
    let falling = ruled(
        "<= 5 件",
        "{ kind = \"bands\", bands = [ { range = \"[0, 5]\", score = 50 }, { range = \"(5, +∞)\", score = 100 } ] }",
    );
    assert_eq!(
        said(&falling, "zh"),
        [
            "错误[JX0022]: 区间 (5, +∞) 得 100 分，比更好（更低）的区间 [0, 5]（50 分）还多",
            "= 说明: 应为：反向指标（≤）的得分随数值升高而减少",
        ]
    );
    assert_eq!(
        said(&falling, "en"),
        [
            "error[JX0022]: band (5, +∞) scores 100 but the better (lower) band [0, 5] scores 50",
            "= note: expected scores that fall as the value rises for a ≤ target",
        ]
    );
    // a range that is not an interval, and one that holds nothing
    let unread = ruled(
        ">= 5 件",
        "{ kind = \"bands\", bands = [ { range = \"80%-90%\", score = 50 } ] }",
    );
    assert_eq!(
        said(&unread, "zh"),
        [
            "错误[JX0022]: “80%-90%”不是区间，应写作 \"[80%, 90%)\" 或 \"[90%, +∞)\"：[ ] 含端点，( ) 不含端点"
        ]
    );
    let empty = ruled(
        ">= 5 件",
        "{ kind = \"bands\", bands = [ { range = \"[90%, 80%]\", score = 50 } ] }",
    );
    assert_eq!(
        said(&empty, "zh"),
        ["错误[JX0022]: “[90%, 80%]”是空区间：下端点须小于上端点（相等时两端都须用 [ ]）"]
    );
}

#[test]
fn tolerance_and_deduction_rules_are_told_in_chinese() {
    let reversed = ruled(
        ">= 5 件",
        "{ kind = \"tolerance\", within = \"20%\", zero_at = \"5%\" }",
    );
    assert_eq!(
        said(&reversed, "zh"),
        [
            "错误[JX0022]: 趋中评分（tolerance）要求 0 ≤ within < zero_at",
            "= 提示: `within` 是不扣分的偏差，`zero_at` 是得 0 分的偏差，后者须更大",
        ]
    );
    let not_equal = ruled(
        ">= 5 件",
        "{ kind = \"tolerance\", within = \"5%\", zero_at = \"20%\" }",
    );
    assert_eq!(
        said(&not_equal, "zh"),
        [
            "错误[JX0022]: 趋中评分（tolerance）要求年度指标值写成 \"= A\" 的形式",
            "= 提示: 把年度指标值改为 \"= 100%\" 这样的等式，或换用其他评分规则",
        ]
    );
    assert_eq!(
        said(&not_equal, "en"),
        ["error[JX0022]: a tolerance rule needs an \"= A\" target"]
    );
    // a quantity of the rule that is not a number: the parser's own words
    let words = ruled(
        "= 100%",
        "{ kind = \"tolerance\", within = \"一点\", zero_at = \"20%\" }",
    );
    assert_eq!(
        said(&words, "zh"),
        ["错误[JX0022]: “一点”不以数字开头，应写作 120、95% 或 7万元 这样的数"]
    );
    let per_case = ruled("= 0 件", "{ kind = \"deduct_per_case\", points = 0 }");
    assert_eq!(
        said(&per_case, "zh"),
        ["错误[JX0022]: 按次扣分（deduct_per_case）要求 points > 0"]
    );
    let per_point = ruled(
        ">= 95%",
        "{ kind = \"deduct_per_point\", step = \"0%\", points = 1 }",
    );
    assert_eq!(
        said(&per_point, "zh"),
        ["错误[JX0022]: 按偏差扣分（deduct_per_point）要求 step > 0 且 points > 0"]
    );
}

#[test]
fn tiers_checklists_and_judged_indicators_are_told_in_chinese() {
    // the scheme's tiers out of order (60% achieved below 80% partial)
    let tiers = scheme(
        "[tiers]\nachieved_min = \"60%\"\npartial_min = \"80%\"",
        &indicator("A1", 100, ""),
    );
    assert_eq!(
        said(&tiers, "zh"),
        [
            "错误[JX0023]: 档次界限的大小顺序不对",
            "= 说明: 应为：0% < partial_min（部分达成档的下限）< achieved_min（达成档的下限）≤ 100%",
        ]
    );
    // an indicator's own bounds out of order, and a share that is not one
    let own = scheme(
        "",
        &[
            indicator(
                "Q1",
                50,
                "    rule = { kind = \"qualitative\", achieved_min = \"50%\", partial_min = \"70%\" }\n",
            ),
            indicator(
                "Q2",
                50,
                "    rule = { kind = \"qualitative\", achieved_min = \"八成\" }\n",
            ),
        ]
        .concat(),
    );
    assert_eq!(
        said(&own, "zh"),
        [
            "错误[JX0023]: 指标“Q1”的档次界限大小顺序不对：应为 0% < partial_min < achieved_min ≤ 100%",
            "错误[JX0023]: 不是百分数",
            "= 说明: 应为：百分数，如 \"80%\"（也可写小数 \"0.8\"）",
        ]
    );
    // a checklist of 60 points on an indicator of 100, one item of 0 points and one whose
    // metric is not a name; a manual indicator of weight 0 that names a metric
    let checklist = scheme(
        "",
        &[
            indicator(
                "C1",
                100,
                "    rule = { kind = \"checklist\", items = [ { name = \"制度健全\", metric = \"has_rules\", points = 60 }, { name = \"档案\", metric = \"有档案\", points = 0 } ] }\n",
            ),
            indicator("C2", 0, "    metric = \"m\"\n    rule = { kind = \"manual\" }\n"),
        ]
        .concat(),
    );
    assert_eq!(
        said(&checklist, "zh"),
        [
            "错误[JX0022]: 评价要点“档案”的分值必须大于 0",
            "错误[JX0022]: 评价要点“档案”的 `metric` 不是数据名称",
            "= 说明: 应为：数据名称：字母、数字和 _，以字母开头，如 has_rules",
            "错误[JX0022]: 指标“C1”的评价要点分值之和为 60，指标分值却是 100",
            "= 说明: 应为：评价要点分值之和等于指标分值 100",
            "错误[JX0013]: 分值必须大于 0",
            "错误[JX0022]: 人工评分指标不取数据（`metric`）",
            "= 提示: 删去 `metric`，或改用定量评分规则",
        ]
    );
    // (the English has no expectation or help for these two: the Chinese adds them)
    let en = said(&checklist, "en");
    assert_eq!(
        en[2],
        "error[JX0022]: checklist items of \"C1\" add up to 60 points but the indicator weight is 100"
    );
    assert_eq!(en[4], "error[JX0022]: a manual indicator takes no metric");
}

#[test]
fn derived_metrics_are_told_in_chinese() {
    // [[metric]] tables come before the dimensions: built-in `spent` redefined, an id that
    // starts with a digit, a formula with ×, an unknown on_zero
    let metrics = "[[metric]]\nid = \"spent\"\nformula = \"1\"\n\n[[metric]]\nid = \"2x\"\nformula = \"1\"\n\n[[metric]]\nid = \"rate\"\nformula = \"cases × 2\"\n\n[[metric]]\nid = \"share\"\nformula = \"a / b\"\non_zero = \"skip\"\n";
    let text = scheme(
        metrics,
        &indicator("A1", 100, "    metric = \"share\"\n    target = \">= 1\"\n"),
    );
    // `cases × 2`: the × is the 7th character
    assert_eq!(
        said(&text, "zh"),
        [
            "错误[JX0006]: “spent”是内置数据，不能重新定义",
            "= 提示: 给这项派生数据另起一个名称，或删去它直接使用内置数据",
            "错误[JX0006]: 数据名称须由字母、数字和 _ 组成，并以字母开头",
            "错误[JX0007]: 数据“rate”的公式有误：不应有字符“×”，乘号请写 *（第 7 个字符处）",
            "错误[JX0004]: `on_zero` 的取值无法识别",
            "= 说明: 应为：\"error\"（除以 0 时报错）或 \"zero\"（除以 0 得 0）",
        ]
    );
    // (the English has no help for the built-in name: the Chinese adds it)
    let en = said(&text, "en");
    assert_eq!(
        en[0],
        "error[JX0006]: \"spent\" is a built-in metric and cannot be redefined"
    );
    assert!(
        en[2].starts_with("error[JX0007]: formula of \"rate\": "),
        "{}",
        en[2]
    );
    assert_eq!(en[3], "error[JX0004]: unknown on_zero");
}

#[test]
fn grades_total_and_threshold_are_told_in_chinese() {
    // two grades from 90, one from 120 (above the total of 100), none from 0
    let grades = "total = 100\nover_completion_warning = \"90%\"\n\n[[grade]]\nlabel = \"优\"\nmin = 90\n\n[[grade]]\nlabel = \"良\"\nmin = 90\n\n[[grade]]\nlabel = \"超\"\nmin = 120\n";
    let text = scheme(
        grades,
        &indicator("A1", 100, "    metric = \"m\"\n    target = \">= 1\"\n"),
    );
    assert_eq!(
        said(&text, "zh"),
        [
            "错误[JX0040]: 两个等级的起点都是 90",
            "= 提示: 每个等级的 `min` 须各不相同",
            "错误[JX0040]: 等级“超”的起点 120 不在 0 到总分 100 之间",
            "= 说明: 应为：0 到 100 之间的分数",
            "错误[JX0040]: 低分没有等级可归：最低的 [[grade]] 须为 min = 0",
            "错误[JX0004]: 超额完成的预警线必须高于 100%",
            "= 说明: 应为：高于 100% 的百分数，如 \"130%\"",
        ]
    );
    // (the English has no help or expectation for these two: the Chinese adds them)
    let en = said(&text, "en");
    assert_eq!(en[0], "error[JX0040]: two grades start at 90");
    assert_eq!(
        en[1],
        "error[JX0040]: grade \"超\" starts at 120 outside 0..100"
    );
    // a total of 0: the dimension's 100 no longer adds up either
    let zero = scheme(
        "total = 0",
        &indicator("A1", 100, "    metric = \"m\"\n    target = \">= 1\"\n"),
    );
    let zh = said(&zero, "zh");
    assert!(
        zh.contains(&"错误[JX0013]: 指标体系的总分必须大于 0，所填为 0".to_string())
            && zh.contains(&"= 提示: 把 `total` 改为正数，通常是 100".to_string()),
        "{zh:?}"
    );
    let en = said(&zero, "en");
    assert!(
        en.contains(&"error[JX0013]: total must be above 0, found 0".to_string()),
        "{en:?}"
    );
}
