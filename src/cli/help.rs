//! The help of the command line in one language: Chinese unless `--lang en`.
//!
//! Every text of the options in `cli/mod.rs` and `choices.rs` is written `中文 — English`;
//! the help shows the half of the language asked for, and says the defaults, the choices,
//! the usage line and the exit statuses in that language too (clap writes those in English
//! only, so they are hidden from clap and written here).

use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, Command};
use jixiao::i18n::Lang;

/// Between the Chinese and the English half of a text.
const SEP: &str = " — ";

/// The half of `text` in `lang`; a text with one language only is shown as it is.
pub fn pick(text: &str, lang: Lang) -> String {
    match text.split_once(SEP) {
        Some((zh, en)) => match lang {
            Lang::Zh => unwrap_chinese(zh.trim()),
            Lang::En => en.trim().to_string(),
        },
        None => text.trim().to_string(),
    }
}

/// Punctuation that takes no space beside it in Chinese text.
const FULL_WIDTH_PUNCTUATION: &str = "，。、；：？！（）《》“”【】";

/// Chinese text without the spaces where its doc comment was wrapped: clap joins the lines
/// of a paragraph with a space, which Chinese does not put between its characters
/// (`公布数 打分` → `公布数打分`, `默认不用； JX2019` → `默认不用；JX2019`). A space between
/// ASCII and a character (`10+90 或 20+80`) stays.
fn unwrap_chinese(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
        let punctuation = |c: Option<char>| c.is_some_and(|c| FULL_WIDTH_PUNCTUATION.contains(c));
        let joined = c == ' '
            && ((wide(before) && wide(after)) || punctuation(before) || punctuation(after));
        if !joined {
            out.push(c);
        }
    }
    out
}

const EXIT_ZH: &str = "退出状态：
  0  成功
  1  输入有误（文件、行、字段或指标体系），错误全部列出
  2  无法运行（参数错误等）

使用手册：docs/zh/（快速上手、数据文件、指标体系、评分方法、复核、运行监控、常见错误）";

const EXIT_EN: &str = "Exit status:
  0  success
  1  input problems (a file, row, field or the scheme), all listed
  2  could not run (bad arguments, …)

Docs: README.md, docs/inputs.md (the evaluation folder and its CSV files), docs/scheme.md
(the scheme format), docs/output.md (JSON keys, --previous, export, report, explain)";

const CHECK_ZH: &str = "每个 PATH 可以是指标体系文件、评价目录（含 evaluation.toml，或一个局的
projects.csv：逐个项目检查），或要逐层查找的目录（找含 [scheme] 表的指标体系文件和含
[monitoring] 表的预警规则文件；跳过 target/、fuzz/、node_modules/ 和隐藏目录）。
不写 PATH 即检查当前目录。

退出状态：
  0  没有问题（只有警告时也为 0，除非 --deny-warnings）
  1  发现错误
  2  无法运行（路径不存在、参数错误）

每个代码的意思和改法：docs/zh/常见错误.md（英文：docs/checks.md）。";

const CHECK_EN: &str =
    "Each PATH is a scheme file, an evaluation folder (holding evaluation.toml, or a
bureau's projects.csv: every project is checked), or a folder searched recursively for both
(TOML files with a [scheme] table, and monitoring profiles with a [monitoring] table; target/,
fuzz/, node_modules/ and hidden folders are skipped). No PATH = the current folder.

Exit status:
  0  nothing found (warnings alone pass unless --deny-warnings)
  1  findings
  2  could not run (missing path, bad arguments)

Every code is explained in docs/checks.md.";

const REVIEW_ZH: &str = "每个 PATH 可以是声明文件（部门公布的数字，见 docs/zh/复核.md）、公布的
项目支出绩效自评表本身（Excel 工作簿 .xlsx、.xlsm、.xls）、含 claims.toml 的评价目录
（同时与其中的账目核对），或要查找 claims.toml、*.claims.toml 和工作簿的目录。

--to-claims 自评表.xlsx 输出从工作簿读出的声明文件（到标准输出，或 -o 文件），供人工改正。

退出状态：
  0  一致，未发现问题
  1  发现问题（每处列出代码、公布值、复核值与依据）
  2  无法复核（路径不存在、声明文件或指标体系有误）

每个代码的意思：docs/zh/复核.md（英文：docs/review.md）。";

const REVIEW_EN: &str =
    "Each PATH is a claims file (what a department published, docs/review.md), the published
项目支出绩效自评表 itself as an Excel workbook (.xlsx, .xlsm, .xls), an evaluation folder
holding claims.toml (its records are then compared too), or a folder searched for
claims.toml, *.claims.toml and workbooks.

--to-claims 自评表.xlsx writes the claims file read from the workbook (to stdout, or -o FILE),
for correction by hand.

Exit status:
  0  consistent: nothing found
  1  findings, each listed with its code, the published and the recomputed value
  2  could not run (missing path, a claims file or scheme that cannot be read)

Every finding code is explained in docs/review.md.";

const INIT_ZH: &str = "jixiao init 目录 生成一个完整的评价目录，填好即可打分：
  evaluation.toml   项目、指标体系、主管部门与实施单位、取数口径
  scheme.toml       指标体系（--family 选择），附 jixiao.schema.json
  budget.csv        预算表        spending.csv   支出明细
  outputs.csv       产出数据      judgments.csv  评价意见（定性指标的档次与得分）
  narrative.toml    报告叙述（每一项都有中文说明）
CSV 为 UTF-8 带 BOM，Excel 可直接打开；凡“【待填写…】”处都要填写，jixiao check 目录 逐项列出。

jixiao init 文件.toml 只生成一个指标体系文件。

退出状态：
  0  已生成
  2  无法生成（文件已存在，或无法写入；已有文件从不覆盖）";

const INIT_EN: &str = "jixiao init DIR makes an evaluation folder to fill in:
  evaluation.toml   the project, its scheme, departments, how figures are taken
  scheme.toml       the scheme (chosen by --family), with jixiao.schema.json
  budget.csv        the budget     spending.csv   the ledger
  outputs.csv       the outputs    judgments.csv  the judgments (levels and scores)
  narrative.toml    the report's narrative (each key explained, in Chinese)
The CSV files are UTF-8 with a byte-order mark, for Excel; every “【待填写…】” must be
filled in, and jixiao check DIR lists those left.

jixiao init FILE.toml writes only a starter scheme.

Exit status:
  0  written
  2  could not write (a file exists already, or cannot be written; nothing is overwritten)";

const MONITOR_ZH: &str =
    "截至 --as-of 的支出取自支出明细（此日之后的行不计，并说明行数）；每项产出取
此日或之前最近的值（outputs.csv 的 date 列；不带日期的值是全年数，年中视为“暂无数据”）；
经办人填写的监控情况表（目录下的 monitoring-日期.csv 或 monitoring.csv：偏差原因、完成目标
可能性、全年预计完成值、备注、整改措施）。预警阈值取自 --profile（默认全国规则
indicators/monitoring-default.toml）。规则、键与示例：docs/zh/运行监控.md。

退出状态：
  0  成功
  1  输入有误（文件、行、字段），错误全部列出
  2  无法运行（参数错误等）";

const MONITOR_EN: &str =
    "Spending to --as-of from the ledger (rows dated after it are excluded and counted),
each output's latest value dated on or before it (outputs.csv column date; an undated value is
the year's, \"no data yet\" mid-year), and the sheet the officer fills (DIR/monitoring-DATE.csv or
DIR/monitoring.csv: 偏差原因, 完成目标可能性, 全年预计完成值, 备注, 整改措施). Thresholds from
--profile (default: the national rules of indicators/monitoring-default.toml). Rules, keys and
an example: docs/monitor.md.

Exit status:
  0  success
  1  input problems (file, row, field), all listed
  2  could not run (bad arguments, …)";

/// The text after the options of a command (what its paths may be, its exit statuses).
fn after_help(name: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match name {
        "jixiao" | "score" | "explain" | "export" | "report" => (EXIT_ZH, EXIT_EN),
        "check" => (CHECK_ZH, CHECK_EN),
        "review" => (REVIEW_ZH, REVIEW_EN),
        "init" => (INIT_ZH, INIT_EN),
        "monitor" => (MONITOR_ZH, MONITOR_EN),
        _ => return None,
    };
    Some(match lang {
        Lang::Zh => zh,
        Lang::En => en,
    })
}

/// The whole command line's help in `lang`.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    localize_of(cmd, lang, None)
}

/// One command and its subcommands; `parent` is the usage's words before its name
/// (`jixiao` for a subcommand).
fn localize_of(cmd: Command, lang: Lang, parent: Option<&str>) -> Command {
    let mut cmd = cmd;
    if let Some(about) = cmd.get_about().map(ToString::to_string) {
        cmd = cmd.about(pick(&about, lang));
    }
    if let Some(about) = cmd.get_long_about().map(ToString::to_string) {
        cmd = cmd.long_about(pick(&about, lang));
    }
    if let Some(text) = after_help(cmd.get_name(), lang) {
        cmd = cmd.after_help(text);
    }
    cmd = cmd.mut_args(|a| localize_arg(a, lang));
    if lang == Lang::Zh {
        cmd = chinese_frame(cmd, parent.is_none());
        cmd = chinese_usage(cmd, parent);
    }
    let path = match parent {
        Some(p) => format!("{p} {}", cmd.get_name()),
        None => cmd.get_name().to_string(),
    };
    let names: Vec<String> = cmd
        .get_subcommands()
        .filter(|c| c.get_name() != "help")
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |c| localize_of(c, lang, Some(&path)));
    }
    cmd
}

/// An option's help in `lang`, followed by its default and its choices in `lang`.
fn localize_arg(a: Arg, lang: Lang) -> Arg {
    let Some(help) = a.get_help().map(ToString::to_string) else {
        return a;
    };
    let text = pick(&help, lang);
    let long_text = a.get_long_help().map(|l| pick(&l.to_string(), lang));
    let takes = a.get_action().takes_values();
    let defaults: Vec<String> = if takes && !a.is_hide_default_value_set() {
        a.get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect()
    } else {
        Vec::new()
    };
    let values: Vec<PossibleValue> = if takes && !a.is_hide_possible_values_set() {
        a.get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect()
    } else {
        Vec::new()
    };
    let (default_word, values_word, list_sep) = match lang {
        Lang::Zh => ("默认：", "可选：", "、"),
        Lang::En => ("default: ", "possible values: ", ", "),
    };
    let mut short = text.clone();
    let mut long = long_text.unwrap_or(text);
    if !defaults.is_empty() {
        let d = format!("[{default_word}{}]", defaults.join(list_sep));
        short = format!("{short} {d}");
        long = format!("{long}\n\n{d}");
    }
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
        short = format!("{short} [{values_word}{}]", names.join(list_sep));
        if values.iter().any(|v| v.get_help().is_some()) {
            long.push_str(match lang {
                Lang::Zh => "\n\n可选：",
                Lang::En => "\n\nPossible values:",
            });
            for v in &values {
                let help = v.get_help().map(|h| pick(&h.to_string(), lang));
                match (help, lang) {
                    (Some(h), Lang::Zh) => long.push_str(&format!("\n- {}：{h}", v.get_name())),
                    (Some(h), Lang::En) => long.push_str(&format!("\n- {}: {h}", v.get_name())),
                    (None, _) => long.push_str(&format!("\n- {}", v.get_name())),
                }
            }
        } else {
            long = format!(
                "{long}{}[{values_word}{}]",
                if defaults.is_empty() { "\n\n" } else { " " },
                names.join(list_sep)
            );
        }
    }
    // clap asks these of options that take a value only (checked in debug builds)
    let a = if takes {
        a.hide_default_value(true).hide_possible_values(true)
    } else {
        a
    };
    if long == short {
        a.help(short)
    } else {
        a.help(short).long_help(long)
    }
}

/// The Chinese frame of a command's help: its headings, the help and version flags and
/// the `help` command.
fn chinese_frame(cmd: Command, top: bool) -> Command {
    let mut cmd = cmd
        .help_template("{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .global(top),
        );
    if top {
        cmd = cmd
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("显示版本"),
            )
            .disable_help_subcommand(true)
            .subcommand(
                Command::new("help")
                    .about("显示本说明，或某个命令的说明（jixiao help 命令）")
                    .arg(Arg::new("command").num_args(0..)),
            );
    }
    cmd.mut_args(|a| {
        if a.get_help_heading().is_some() {
            a
        } else if a.is_positional() {
            a.help_heading("参数")
        } else {
            a.help_heading("选项")
        }
    })
}

/// The usage line with `[选项]` for clap's `[OPTIONS]`; `parent` is the words before the
/// command's name (clap renders a command alone without them).
fn chinese_usage(cmd: Command, parent: Option<&str>) -> Command {
    let mut alone = cmd.clone();
    let rendered = alone.render_usage().to_string();
    let usage = rendered
        .trim()
        .strip_prefix("Usage:")
        .unwrap_or(rendered.trim())
        .trim()
        .replace("[OPTIONS]", "[选项]");
    let usage = match parent {
        Some(p) => format!("{p} {usage}"),
        None => usage,
    };
    cmd.override_usage(usage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn pick_takes_the_half_of_the_language() {
        assert_eq!(pick("项目编码 — which project", Lang::Zh), "项目编码");
        assert_eq!(pick("项目编码 — which project", Lang::En), "which project");
        // one language only: shown as it is in both
        assert_eq!(pick("GB18030", Lang::Zh), "GB18030");
        // a doc comment's line break is a space between Chinese characters: taken out;
        // a space beside ASCII kept
        assert_eq!(
            pick("另按此体系对公布数 打分，并列 — also", Lang::Zh),
            "另按此体系对公布数打分，并列"
        );
        assert_eq!(
            pick("默认不用； JX2019） — off", Lang::Zh),
            "默认不用；JX2019）"
        );
        assert_eq!(pick("10+90 或 20+80 — either", Lang::Zh), "10+90 或 20+80");
    }

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Every text of every visible command and option, in the help of `lang`.
    fn texts(lang: Lang) -> Vec<(String, String)> {
        let mut cmd = localize(super::super::Cli::command(), lang);
        cmd.build();
        let mut out = Vec::new();
        let mut stack = vec![cmd];
        while let Some(c) = stack.pop() {
            let name = c.get_name().to_string();
            if let Some(a) = c.get_about() {
                out.push((name.clone(), a.to_string()));
            }
            for a in c.get_arguments().filter(|a| !a.is_hide_set()) {
                let id = format!("{name} {}", a.get_id());
                for h in [a.get_help(), a.get_long_help()].into_iter().flatten() {
                    out.push((id.clone(), h.to_string()));
                }
                // clap's own list of choices, when shown (the help above carries them
                // in its language otherwise)
                let shown = if a.is_hide_possible_values_set() {
                    Vec::new()
                } else {
                    a.get_possible_values()
                };
                for v in shown {
                    if let Some(h) = v.get_help() {
                        out.push((format!("{id}={}", v.get_name()), h.to_string()));
                    }
                }
            }
            stack.extend(c.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
        }
        out
    }

    /// The Chinese help is Chinese throughout: each command, option and choice has its
    /// text, none carries the English half (` — `) or clap's English words.
    #[test]
    fn the_chinese_help_speaks_chinese_only() {
        let all = texts(Lang::Zh);
        // 9 commands + help, their options and choices: far more than 50 texts
        assert!(all.len() > 50, "{}", all.len());
        for (at, text) in all {
            // clap's own flags of the English help are not in the Chinese one
            assert!(has_cjk(&text), "{at}: `{text}` has no Chinese");
            assert!(!text.contains(SEP), "{at}: `{text}` keeps its English half");
            assert!(
                !text.contains("[default") && !text.contains("possible values"),
                "{at}: `{text}`"
            );
        }
    }

    /// The English help starts each text in English (Chinese terms may follow, as in the
    /// English documentation).
    #[test]
    fn the_english_help_speaks_english() {
        for (at, text) in texts(Lang::En) {
            let first = text.chars().next().unwrap_or(' ');
            assert!(first.is_ascii(), "{at}: `{text}` starts in Chinese");
            assert!(!text.contains(SEP), "{at}: `{text}` keeps its Chinese half");
            assert!(!text.contains("默认"), "{at}: `{text}`");
        }
    }

    /// The Chinese usage line and after-help: no `Usage:`, `[OPTIONS]` or `Exit status`.
    #[test]
    fn the_chinese_frame_has_no_english_words() {
        let mut cmd = localize(super::super::Cli::command(), Lang::Zh);
        cmd.build();
        for name in [
            "score", "check", "review", "init", "explain", "export", "report", "monitor",
        ] {
            let mut sub = cmd.find_subcommand(name).unwrap().clone();
            let help = sub.render_long_help().to_string();
            for english in [
                "Usage",
                "[OPTIONS]",
                "Exit status",
                "Options:",
                "Arguments:",
            ] {
                assert!(!help.contains(english), "{name}: {english} in\n{help}");
            }
            assert!(
                help.contains(&format!("用法：jixiao {name} ")),
                "{name}:\n{help}"
            );
            assert!(help.contains("退出状态："), "{name}:\n{help}");
        }
    }
}
