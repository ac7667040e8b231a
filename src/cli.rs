//! Command-line interface: argument definitions and the dispatch of each command.
//! `main.rs` only parses arguments and maps the result to an exit code.

use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

use crate::diag::InputErrors;
use crate::evaluation::{self, Overrides};
use crate::i18n::Lang;
use crate::report::{self, Format};

/// Exit status: scored (or checked) with no error.
pub const EXIT_OK: u8 = 0;
/// Exit status: the input has problems (bad file, row, field or scheme); all are listed.
pub const EXIT_INPUT: u8 = 1;
/// Exit status: could not run (bad arguments, unwritable output).
pub const EXIT_USAGE: u8 = 2;

const AFTER_HELP: &str = "退出状态 Exit status:
  0  成功 success
  1  输入有误（文件、行、字段或指标体系），错误全部列出 input problems, all listed
  2  无法运行（参数错误等） could not run (bad arguments, …)

文档 Docs: README.md, docs/inputs.md (评价目录与CSV inputs), docs/scheme.md (指标体系 scheme format),
      docs/output.md (JSON keys)";

/// jixiao 绩效：预算绩效评价（项目支出绩效自评）打分工具
/// — scores the performance evaluation of public-budget projects.
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 计算一个项目的绩效自评得分 — score one project's evaluation folder.
    Score(ScoreArgs),
}

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct ScoreArgs {
    /// 评价目录：evaluation.toml 与 budget.csv、spending.csv、outputs.csv、judgments.csv
    /// — the evaluation folder.
    pub dir: PathBuf,
    /// 指标体系文件（覆盖 evaluation.toml） — scheme TOML, overrides evaluation.toml.
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// 预算表 budget CSV (default DIR/budget.csv).
    #[arg(long)]
    pub budget: Option<PathBuf>,
    /// 支出明细 spending CSV (default DIR/spending.csv).
    #[arg(long)]
    pub spending: Option<PathBuf>,
    /// 产出数据 outputs CSV (default DIR/outputs.csv).
    #[arg(long)]
    pub outputs: Option<PathBuf>,
    /// 评价意见 judgments CSV (default DIR/judgments.csv).
    #[arg(long)]
    pub judgments: Option<PathBuf>,
    /// 项目编码 — which project of the budget to score.
    #[arg(long)]
    pub project: Option<String>,
    /// 输出格式 output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// 语言 language of labels and explanations.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
}

/// Run a parsed command line; returns the exit status. Input problems are printed to stderr
/// here; an `Err` means the command could not run at all (exit status 2).
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Score(args) => score(args),
    }
}

fn score(args: ScoreArgs) -> anyhow::Result<u8> {
    let overrides = Overrides {
        scheme: args.scheme,
        budget: args.budget,
        spending: args.spending,
        outputs: args.outputs,
        judgments: args.judgments,
        project: args.project,
    };
    let setup = match evaluation::resolve(&args.dir, &overrides) {
        Ok(s) => s,
        Err(problems) => {
            print_problems(&InputErrors(problems));
            return Ok(EXIT_INPUT);
        }
    };
    match evaluation::evaluate(&setup, args.lang) {
        Ok(outcome) => {
            let text = match args.format {
                Format::Table => report::table::render(&outcome, args.lang, None),
                Format::Json => report::json::render(&outcome),
            };
            write_stdout(&text)?;
            Ok(EXIT_OK)
        }
        Err(errors) => {
            print_problems(&errors);
            Ok(EXIT_INPUT)
        }
    }
}

/// Print every problem, errors first, then a count.
fn print_problems(errors: &InputErrors) {
    let mut stderr = std::io::stderr().lock();
    for p in errors.0.errors().chain(errors.0.warnings()) {
        let _ = writeln!(stderr, "{p}");
    }
    let e = errors.0.errors().count();
    let w = errors.0.warnings().count();
    let _ = writeln!(
        stderr,
        "jixiao: {e} error(s), {w} warning(s); nothing was scored"
    );
}

fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write the output"))
        }
        _ => Ok(()),
    }
}
