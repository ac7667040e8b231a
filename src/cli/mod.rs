//! Command-line interface: argument definitions and the dispatch of each command. The
//! binary's side of the crate: here, and only here, are the command line, stdout and stderr,
//! the environment (`CI`, `NO_COLOR`), the progress bar and the allocator setting; the
//! library returns values. `main.rs` only parses arguments and maps the result to an exit
//! code.

pub mod alloc;
mod choices;
pub mod help;
mod progress;
pub mod say;
pub mod signals;
#[cfg(feature = "xlsx")]
pub mod xls;

use choices::{CheckFormat, Family, Format, ReviewFormat};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

use jixiao::batch::{self, Scope};
use jixiao::check;
use jixiao::data::ReadOptions;
use jixiao::diag::{InputErrors, visible};
use jixiao::i18n::Lang;
use jixiao::input::Root;
use jixiao::ledger::LedgerOptions;
use jixiao::output;
use jixiao::report;
use jixiao::review;
use jixiao::scoring;
use jixiao::workspace::{Overrides, Workspace};
use progress::Progress;

/// Exit status: scored (or checked) with no error.
pub const EXIT_OK: u8 = 0;
/// Exit status: the input has problems (bad file, row, field or scheme); all are listed.
pub const EXIT_INPUT: u8 = 1;
/// Exit status: could not run (bad arguments, unwritable output).
pub const EXIT_USAGE: u8 = 2;

/// jixiao 绩效：预算绩效评价（项目支出绩效自评）的打分与检查工具 — scores the performance
/// evaluation of public-budget projects (预算绩效评价, 项目支出绩效自评) and checks schemes.
#[derive(Debug, Parser)]
#[command(name = "jixiao", version)]
pub struct Cli {
    /// 语言：输出、标签与提示信息（默认中文） — language of the output, labels and
    /// messages (default Chinese); codes and JSON keys do not change.
    #[arg(long, global = true, value_enum, default_value_t = choices::Lang::Zh)]
    pub lang: choices::Lang,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
// Parsed once per run: the size of the score arguments does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// 计算绩效自评得分（一个项目，或一个局的全部项目） — score an evaluation folder (one
    /// project, or every project of a bureau).
    Score(ScoreArgs),
    /// 检查指标体系与评价目录（CI 门禁） — check schemes and evaluation folders.
    Check(CheckArgs),
    /// 输出指标体系格式的 JSON Schema — print the JSON Schema of the scheme format.
    Schema,
    /// 生成评价目录（或指标体系模板） — make an evaluation folder to fill in (or a starter
    /// scheme).
    Init(InitArgs),
    /// 复核公布的绩效自评 — recompute a published self-evaluation and name every inconsistency.
    Review(ReviewArgs),
    /// 说明一个指标的得分由来 — how one indicator's score came about: inputs with their
    /// file and line, the rule, each arithmetic step, the rounding.
    Explain(ExplainArgs),
    /// 导出项目支出绩效自评表（Excel，官方格式） — write the 项目支出绩效自评表 as .xlsx
    /// in the official layout.
    Export(ExportArgs),
    /// 生成绩效评价报告草稿（Markdown，或 --html 可打印网页） — write the 绩效评价报告 draft
    /// (Markdown, or one printable HTML page with --html).
    Report(ReportArgs),
    /// 绩效运行监控（截至某日的执行进度与预警灯） — mid-year performance monitoring as of a
    /// date: budget execution against 序时进度, each target to date, warning lights.
    Monitor(MonitorArgs),
    /// Read one sheet of an .xls workbook and print it as JSON: the child process that
    /// reads .xls files for the others (src/cli/xls.rs).
    #[command(hide = true)]
    XlsCells {
        file: PathBuf,
        #[arg(long)]
        sheet: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 指标体系文件或目录 — scheme files, evaluation folders, or folders to search.
    pub paths: Vec<PathBuf>,
    /// 输出格式 — output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// 警告也视为失败 — fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// 允许读取的根目录（默认当前目录）：提交的文件所指向的路径须在其内 — the allowed
    /// root: files that a submitted folder holds or names must lie inside it, after
    /// symbolic links (default: the current folder; the folders given here are allowed too).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// 声明文件、自评表（Excel）、评价目录或目录 — claims files, 自评表 workbooks,
    /// evaluation folders, or folders to search.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 只读取工作簿的此工作表（默认：每个含自评表的工作表） — the sheet read from workbooks
    /// (default: every sheet holding a 自评表).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// 不复核，输出从自评表读出的声明文件（claims.toml）供人工改正 — do not review: write
    /// the claims file read from the workbook, for correction by hand.
    #[arg(long)]
    pub to_claims: bool,
    /// 与 --to-claims 同用：写入文件而非标准输出（原子写入；不会覆盖输入文件） — with
    /// --to-claims: write to FILE instead of stdout (atomically; never over the workbook).
    #[arg(short = 'o', long, value_name = "FILE", requires = "to_claims")]
    pub output: Option<PathBuf>,
    /// 基准指标体系（如 indicators/project-self-evaluation.toml）：另按此体系对公布数
    /// 打分，并列两个总分 — also score the published figures under this standard scheme
    /// (e.g. indicators/project-self-evaluation.toml).
    #[arg(long, value_name = "SCHEME")]
    pub baseline: Option<PathBuf>,
    /// 执行率低于此值而产出全部满分时提示（JX2014） — flag full outputs beside an
    /// execution rate below this (JX2014).
    #[arg(long, value_name = "RATE", default_value = "60%")]
    pub low_execution: String,
    /// 执行率封顶规则文件：执行率低于某值时总分不得高于某分（各省规定，默认不用；
    /// JX2019） — a province's cap on the total by the execution rate (off by default;
    /// JX2019).
    #[arg(long, value_name = "FILE")]
    pub caps: Option<PathBuf>,
    /// 未列示分值的自评表所用模板：10+90 或 20+80（表内自行声明者优先） — the template of
    /// forms that print no 分值: 10+90 or 20+80 (a claims file's own `[report] template`
    /// comes first).
    #[arg(long, value_name = "10+90|20+80")]
    pub template: Option<String>,
    /// 输出格式 — output format.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Table)]
    pub format: ReviewFormat,
    /// 允许读取的根目录（默认当前目录）：提交的文件所指向的路径须在其内 — the allowed
    /// root: files that a submitted folder holds or names must lie inside it, after
    /// symbolic links (default: the current folder; the folders given here are allowed too).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// 新评价目录，或以 .toml 结尾的新指标体系文件 — the new evaluation folder, or a scheme
    /// file (a path ending in .toml); nothing is overwritten.
    pub path: PathBuf,
    /// 指标体系类型 — which official family to start from.
    #[arg(long, value_enum, default_value_t = Family::SelfEvaluation)]
    pub family: Family,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub eval: EvalArgs,
    /// 输出格式 — output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// 写入文件而非标准输出（原子写入；不会覆盖输入文件） — write the result to FILE
    /// (atomically; never over an input file).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 每个项目的完整结果写入此目录（原子写入） — write each project's full result into
    /// DIR, one file per project (atomically).
    #[arg(long = "out", value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// 批量评分的线程数（默认：CPU 核数，至多 8） — threads of a batch: summing the ledger,
    /// reading the other files, scoring (default: the number of cores, at most 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,
    /// 不显示进度条 — no progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// 批量评分：汇总之后列出全部项目（按得分） — a bureau: after the summary, list every
    /// project by score.
    #[arg(long)]
    pub all: bool,
    /// 上年结果（保存的 score --format json），逐项列出上年值与变动 — last year's saved
    /// `--format json` result: adds last year's value and the change of every figure and score.
    #[arg(long, value_name = "LAST_YEAR.json")]
    pub previous: Option<PathBuf>,
}

/// The evaluation folder and its overrides, shared by the commands that score one.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// 评价目录：evaluation.toml 与 budget.csv、spending.csv、outputs.csv、judgments.csv
    /// — the evaluation folder.
    pub dir: PathBuf,
    /// 指标体系文件（覆盖 evaluation.toml） — scheme TOML, overrides evaluation.toml.
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// 预算表（默认 DIR/budget.csv） — the budget CSV (default DIR/budget.csv).
    #[arg(long)]
    pub budget: Option<PathBuf>,
    /// 支出明细（默认 DIR/spending.csv） — the spending ledger CSV (default DIR/spending.csv).
    #[arg(long)]
    pub spending: Option<PathBuf>,
    /// 产出数据（默认 DIR/outputs.csv） — the outputs CSV (default DIR/outputs.csv).
    #[arg(long)]
    pub outputs: Option<PathBuf>,
    /// 评价意见（默认 DIR/judgments.csv） — the judgments CSV (default DIR/judgments.csv).
    #[arg(long)]
    pub judgments: Option<PathBuf>,
    /// CSV 文件编码（默认自动：UTF-8，否则 GB18030/GBK） — text encoding of CSV inputs.
    #[arg(long, value_enum, default_value_t = choices::Encoding::Auto)]
    pub encoding: choices::Encoding,
    /// Excel 工作表（默认第一个） — the sheet read from .xlsx/.xls inputs (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// 项目编码 — which project of the budget to score.
    #[arg(long)]
    pub project: Option<String>,
    /// 万元保留的小数位数（四舍五入；元与 JSON 始终精确到分） — decimals of amounts shown
    /// in 万元 (half away from zero; 元 and JSON stay exact to the fen).
    #[arg(long, value_name = "N", default_value_t = jixiao::decimal::WAN_PLACES,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(jixiao::decimal::MAX_WAN_PLACES)))]
    pub wan_places: u32,
    /// 允许读取的根目录（默认当前目录）：提交的文件所指向的路径须在其内 — the allowed
    /// root: files that a submitted folder holds or names must lie inside it, after
    /// symbolic links (default: the current folder; the folders given here are allowed too).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

/// The allowed root (`--root`, else the current folder), widened by the folders the
/// command line names.
fn allowed_root(root: Option<&PathBuf>, given: &[PathBuf]) -> anyhow::Result<Root> {
    let base = root.map_or_else(|| PathBuf::from("."), PathBuf::clone);
    let mut root = Root::within(&base).with_context(|| {
        let b = base.display();
        say::say(
            format!("--root {b}：没有这个目录"),
            format!("--root {b}: no such folder"),
        )
    })?;
    for path in given {
        // A file named (`check x/evaluation.toml`, `review x/claims.toml`) brings its
        // folder, where its inputs lie.
        let dir = match path.parent() {
            Some(parent) if path.is_file() && !parent.as_os_str().is_empty() => parent,
            _ => path.as_path(),
        };
        root = root.and(dir);
    }
    Ok(root)
}

impl EvalArgs {
    fn overrides(&self) -> anyhow::Result<Overrides> {
        Ok(Overrides {
            scheme: self.scheme.clone(),
            budget: self.budget.clone(),
            spending: self.spending.clone(),
            outputs: self.outputs.clone(),
            judgments: self.judgments.clone(),
            project: self.project.clone(),
            read: ReadOptions {
                encoding: self.encoding.into(),
                sheet: self.sheet.clone(),
            },
            root: allowed_root(self.root.as_ref(), std::slice::from_ref(&self.dir))?,
        })
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub eval: EvalArgs,
    /// 指标编号或名称（如 P2、预算执行率） — the indicator's id or name.
    pub indicator: String,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub eval: EvalArgs,
    /// 自评表 Excel 文件（原子写入；不会覆盖输入文件） — the .xlsx to write (atomically;
    /// never over an input file).
    #[arg(long, value_name = "OUT.xlsx")]
    pub xlsx: PathBuf,
    /// 叙述文件（默认 DIR/narrative.toml 或 DIR/narrative.md），供“年度总体目标” — the
    /// narrative, for the 年度总体目标 block (default DIR/narrative.toml or .md).
    #[arg(long, value_name = "FILE")]
    pub narrative: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub eval: EvalArgs,
    /// 输出单个可打印的 HTML 页面（默认 Markdown） — write one self-contained printable
    /// HTML page instead of Markdown.
    #[arg(long)]
    pub html: bool,
    /// 叙述文件（默认 DIR/narrative.toml 或 DIR/narrative.md） — the narrative (default
    /// DIR/narrative.toml or DIR/narrative.md).
    #[arg(long, value_name = "FILE")]
    pub narrative: Option<PathBuf>,
    /// 上年结果（保存的 score --format json） — last year's saved `--format json` result.
    #[arg(long, value_name = "LAST_YEAR.json")]
    pub previous: Option<PathBuf>,
    /// 写入文件而非标准输出（原子写入；不会覆盖输入文件） — write to FILE instead of
    /// standard output (atomically; never over an input file).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MonitorArgs {
    #[command(flatten)]
    pub eval: EvalArgs,
    /// 监控截至日期（如 2022-07-31、2022年7月31日） — the as-of date (2022-07-31,
    /// 2022年7月31日 …).
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: jixiao::values::Date,
    /// 预警规则文件（默认全国规则） — the monitoring profile (TOML; default: the national
    /// rules shipped as indicators/monitoring-default.toml).
    #[arg(long, value_name = "PROFILE.toml")]
    pub profile: Option<PathBuf>,
    /// 监控情况表（默认 DIR/monitoring-DATE.csv 或 DIR/monitoring.csv） — the officer's sheet.
    #[arg(long, value_name = "FILE")]
    pub monitoring: Option<PathBuf>,
    /// 输出格式 — output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// 写入文件而非标准输出（原子写入；不会覆盖输入文件） — write to FILE (atomically; never
    /// over an input file).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 同时导出监控表 Excel（原子写入） — also write the 绩效目标执行监控表 as .xlsx.
    #[arg(long, value_name = "OUT.xlsx")]
    pub xlsx: Option<PathBuf>,
    /// 整个局：列出全部红灯、黄灯项目（默认只列最差的 20 个） — a bureau: list every red
    /// and yellow project (by default the worst 20).
    #[arg(long)]
    pub all: bool,
}

fn parse_as_of(text: &str) -> Result<jixiao::values::Date, String> {
    jixiao::values::parse_date(text).map_err(|e| {
        say::say(
            format!("{}；应为{}", e.zh, jixiao::values::DATE_EXPECTED_ZH),
            format!("{e}; expected {}", jixiao::values::DATE_EXPECTED),
        )
    })
}

/// Run a parsed command line; returns the exit status. Input problems are printed to stderr
/// here; an `Err` means the command could not run at all (exit status 2).
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    // The output and the problems on stderr speak --lang.
    let _ = MESSAGES.set(Lang::from(cli.lang));
    match cli.command {
        Command::Score(args) => score(args),
        Command::Check(args) => check(args),
        Command::Schema => schema(),
        Command::Init(args) => init(args),
        Command::Review(args) => review(args),
        Command::Explain(args) => explain(args),
        Command::Export(args) => export(args),
        Command::Report(args) => report(args),
        Command::Monitor(args) => monitor(args),
        #[cfg(feature = "xlsx")]
        Command::XlsCells { file, sheet } => Ok(xls::serve(&file, sheet.as_deref())),
        #[cfg(not(feature = "xlsx"))]
        Command::XlsCells { .. } => Ok(EXIT_USAGE),
    }
}

fn review(args: ReviewArgs) -> anyhow::Result<u8> {
    if args.to_claims {
        return to_claims(&args);
    }
    let low_execution = jixiao::scheme::Quantity::parse(&args.low_execution)
        .ok()
        .filter(|q| {
            matches!(
                q.unit,
                jixiao::scheme::Unit::Percent | jixiao::scheme::Unit::None
            ) && q.value >= rust_decimal::Decimal::ZERO
                && q.value <= rust_decimal::Decimal::ONE
        })
        .ok_or_else(|| {
            let v = &args.low_execution;
            anyhow::anyhow!(say::say(
                format!("--low-execution {v}：应为 0% 到 100% 之间的比率，如 60% 或 0.6"),
                format!("--low-execution {v}: expected a rate from 0% to 100%, e.g. 60% or 0.6"),
            ))
        })?
        .value;
    let baseline = loaded(
        args.baseline.as_deref(),
        jixiao::scheme::load,
        ("基准指标体系 ", "the baseline scheme"),
    )?;
    let caps = loaded(
        args.caps.as_deref(),
        review::caps::load,
        ("执行率封顶规则 ", "the cap profile"),
    )?;
    let template = match &args.template {
        Some(t) => Some(review::model::Template::parse(t).ok_or_else(|| {
            anyhow::anyhow!(say::say(
                format!("--template {t}：应为 10+90 或 20+80"),
                format!("--template {t}: expected 10+90 or 20+80"),
            ))
        })?),
        None => None,
    };
    let root = allowed_root(args.root.as_ref(), &args.paths)?;
    let targets = review::discover(&args.paths, &root)?;
    let options = review::Options {
        baseline,
        low_execution,
        caps,
        template,
        lang: messages(),
        root,
        sheet: args.sheet.clone(),
    };
    let report = review::run(&targets, &options);
    {
        let mut stderr = std::io::stderr().lock();
        for (path, problems) in &report.failures {
            for p in problems.errors() {
                let _ = writeln!(stderr, "{}", p.display(messages()));
            }
            let path = path.display();
            let _ = match messages() {
                Lang::Zh => writeln!(stderr, "jixiao：{path} 无法复核"),
                Lang::En => writeln!(stderr, "jixiao: {path} could not be reviewed"),
            };
        }
    }
    let text = match args.format {
        ReviewFormat::Table => review::render::table(&report, messages(), None),
        ReviewFormat::Json => review::render::json(&report),
        ReviewFormat::Github => review::render::github(&report),
        ReviewFormat::Csv => review::render::csv(&report),
    };
    write_stdout(&text)?;
    Ok(if !report.failures.is_empty() {
        EXIT_USAGE
    } else if report.findings() > 0 {
        EXIT_INPUT
    } else {
        EXIT_OK
    })
}

/// The error of a workbook read as no 自评表.
fn not_a_form(path: &std::path::Path) -> String {
    let p = path.display();
    say::say(
        format!("{p} 无法作为自评表读取"),
        format!("{p} could not be read as a 自评表"),
    )
}

/// `review --to-claims`: the claims file read from one workbook, to stdout or `-o FILE`.
fn to_claims(args: &ReviewArgs) -> anyhow::Result<u8> {
    let [path] = args.paths.as_slice() else {
        anyhow::bail!(say::say(
            "--to-claims 只读一个工作簿：请只给一个路径",
            "--to-claims reads one workbook: give one PATH"
        ));
    };
    if !jixiao::data::is_workbook(path) {
        let p = path.display();
        anyhow::bail!(say::say(
            format!("--to-claims 读取 Excel 工作簿（.xlsx、.xlsm、.xls）；{p} 不是"),
            format!("--to-claims reads a workbook (.xlsx, .xlsm, .xls); {p} is not one"),
        ));
    }
    if let Some(out) = &args.output {
        output::refuse_inputs(out, [path.as_path()])?;
    }
    let root = allowed_root(args.root.as_ref(), &args.paths)?;
    let sheets = match review::workbook::read(path, &root, args.sheet.as_deref()) {
        Ok(s) => s,
        Err(problems) => {
            print_each(&problems);
            anyhow::bail!(not_a_form(path));
        }
    };
    let one = match sheets.as_slice() {
        [one] => one,
        many => {
            let (p, n) = (path.display(), many.len());
            let names: Vec<&str> = many.iter().map(|s| s.sheet.as_str()).collect();
            anyhow::bail!(say::say(
                format!(
                    "{p} 有 {n} 个工作表是自评表（{}）：请用 --sheet 工作表名 选一个",
                    names.join("、")
                ),
                format!(
                    "{p} holds a 自评表 on {n} sheets ({}): choose one with --sheet NAME",
                    names.join(", ")
                ),
            ))
        }
    };
    let Some(text) = &one.text else {
        if let Err(problems) = &one.claims {
            print_each(problems);
        }
        anyhow::bail!(not_a_form(path));
    };
    match &args.output {
        Some(out) => {
            output::write_atomic(out, text.as_bytes()).with_context(|| say::cannot_write(out))?;
            say::wrote(out);
        }
        None => write_stdout(text)?,
    }
    // Written, for correction by hand; figures that cannot be read are listed, and say so.
    Ok(match &one.claims {
        Ok(_) => EXIT_OK,
        Err(problems) => {
            print_each(problems);
            EXIT_INPUT
        }
    })
}

/// Open the evaluation or bureau folder; on problems print them and give the exit status.
fn setup(eval: &EvalArgs) -> Result<Workspace, u8> {
    let overrides = eval.overrides().map_err(|e| {
        let _ = writeln!(std::io::stderr(), "{}", say::error_line(&e, messages()));
        EXIT_USAGE
    })?;
    let opened = Workspace::open(&eval.dir, &overrides);
    // A folder `jixiao init` made and not yet filled in: say what is left, not the errors
    // a placeholder makes further on (it is not an amount, not a date).
    let mut files: Vec<PathBuf> = jixiao::templates::FOLDER_FILES
        .iter()
        .map(|f| eval.dir.join(f))
        .collect();
    if let Ok(ws) = &opened {
        files.extend(
            ws.files_read()
                .into_iter()
                .map(std::path::Path::to_path_buf),
        );
    }
    files.sort();
    files.dedup();
    let left = jixiao::templates::placeholders(files.iter().map(PathBuf::as_path));
    if !left.is_empty() {
        print_unfilled(&eval.dir, &left);
        return Err(EXIT_INPUT);
    }
    opened.map_err(|problems| {
        print_problems(&InputErrors(problems));
        EXIT_INPUT
    })
}

/// The placeholders `jixiao init` left in a folder: what is still to fill in.
fn print_unfilled(dir: &std::path::Path, left: &jixiao::diag::Problems) {
    let mut stderr = std::io::stderr().lock();
    let d = dir.display();
    let n = left.0.len();
    let _ = writeln!(
        stderr,
        "{}",
        say::say(
            format!(
                "jixiao：评价目录 {d} 还没有填写完：jixiao init 留下的 {n} 处“【待填写…】”仍在，逐项如下（文件:行:列 [栏目]）。"
            ),
            format!(
                "jixiao: the evaluation folder {d} is not filled in yet: {n} “【待填写…】” left by jixiao init, each below (file:line:column [field])."
            ),
        )
    );
    for p in &left.0 {
        let field = p
            .field_in(messages())
            .map_or(String::new(), |f| format!(" [{f}]"));
        let _ = writeln!(
            stderr,
            "  {}:{}:{}{field}: {}",
            p.file.display(),
            p.line.unwrap_or(0),
            p.column.unwrap_or(0),
            p.value.as_deref().unwrap_or_default()
        );
    }
    let _ = writeln!(
        stderr,
        "{}",
        say::say(
            format!(
                "jixiao：未打分。请把以上内容换成实际数据（CSV 可用 Excel 打开填写，另存为 CSV），不需要的示例行整行删除；改完可用 jixiao check {d} 再查。"
            ),
            format!(
                "jixiao: not scored. Replace each of these with the real data (the CSV files open in Excel; save as CSV), delete the example rows not needed, then run jixiao check {d} again."
            ),
        )
    );
}

/// Score the one project a command is about (the one chosen, else the budget's only one),
/// keeping `rows`. On problems that stop it, print them and give the exit status. Problems
/// of no project are printed too: with an error among them the command still gives its
/// result, and the status says so.
fn evaluate(
    ws: &Workspace,
    eval: &EvalArgs,
    lang: Lang,
    rows: batch::Rows,
) -> Result<(jixiao::outcome::Outcome, u8), u8> {
    let id = match ws.one_project() {
        Ok(id) => id,
        Err(problems) => {
            print_problems(&InputErrors(problems));
            return Err(EXIT_INPUT);
        }
    };
    match batch::score_one(ws, &id, lang, rows) {
        Ok(scored) => {
            print_each(&scored.others);
            let status = if scored.others.has_errors() {
                EXIT_INPUT
            } else {
                EXIT_OK
            };
            let mut outcome = scored.outcome;
            outcome.wan_places = eval.wan_places;
            Ok((outcome, status))
        }
        Err(errors) => {
            print_problems(&errors);
            Err(EXIT_INPUT)
        }
    }
}

/// The narrative file: `--narrative`, else DIR/narrative.toml or DIR/narrative.md.
fn narrative_file(ws: &Workspace, given: Option<&std::path::Path>) -> Option<PathBuf> {
    match given {
        Some(p) => Some(p.to_path_buf()),
        None => report::narrative::find(&ws.dir, &ws.root).ok().flatten(),
    }
}

/// Read the narrative (none is fine); on problems print them and give the exit status.
fn narrative(
    ws: &Workspace,
    given: Option<&std::path::Path>,
) -> Result<report::narrative::Narrative, u8> {
    let found = match given {
        Some(p) => Ok(Some(p.to_path_buf())),
        None => report::narrative::find(&ws.dir, &ws.root),
    };
    let loaded = found.and_then(|f| match f {
        Some(path) => report::narrative::load(&path),
        None => Ok(report::narrative::Narrative::default()),
    });
    loaded.map_err(|problems| {
        print_problems(&InputErrors(problems));
        EXIT_INPUT
    })
}

fn report(args: ReportArgs) -> anyhow::Result<u8> {
    let setup = match setup(&args.eval) {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    // Checked before any work: the draft must never replace a file the run reads.
    if let Some(out) = &args.output {
        let narrative = narrative_file(&setup, args.narrative.as_deref());
        let mut inputs = setup.files_read();
        inputs.extend(narrative.as_deref());
        inputs.extend(args.previous.as_deref());
        output::refuse_inputs(out, inputs)?;
    }
    let narrative = match narrative(&setup, args.narrative.as_deref()) {
        Ok(n) => n,
        Err(status) => return Ok(status),
    };
    let previous = match load_previous(args.previous.as_deref()) {
        Ok(p) => p,
        Err(status) => return Ok(status),
    };
    let (o, status) = match evaluate(&setup, &args.eval, Lang::Zh, batch::Rows::Small) {
        Ok(o) => o,
        Err(status) => return Ok(status),
    };
    let comparison = previous.as_ref().map(|p| report::previous::compare(&o, p));
    let doc = match report::draft::build(&o, &narrative, comparison.as_ref()) {
        Ok(d) => d,
        Err(problems) => {
            print_problems(&InputErrors(problems));
            return Ok(EXIT_INPUT);
        }
    };
    let text = if args.html {
        report::html::render(&doc)
    } else {
        report::markdown::render(&doc)
    };
    match &args.output {
        Some(path) => {
            output::write_atomic(path, text.as_bytes()).with_context(|| say::cannot_write(path))?;
            say::wrote(path);
        }
        None => write_stdout(&text)?,
    }
    Ok(status)
}

#[cfg(feature = "xlsx")]
fn export(args: ExportArgs) -> anyhow::Result<u8> {
    let setup = match setup(&args.eval) {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    // Checked before any work: the form must never replace a file the run reads.
    let narrative_path = narrative_file(&setup, args.narrative.as_deref());
    let mut inputs = setup.files_read();
    inputs.extend(narrative_path.as_deref());
    output::refuse_inputs(&args.xlsx, inputs)?;
    let (o, status) = match evaluate(&setup, &args.eval, Lang::Zh, batch::Rows::Small) {
        Ok(o) => o,
        Err(status) => return Ok(status),
    };
    let narrative = match narrative(&setup, args.narrative.as_deref()) {
        Ok(n) => n,
        Err(status) => return Ok(status),
    };
    let mut metrics = o.metrics();
    let mut problems = jixiao::diag::Problems::default();
    let mut fill =
        |key: &str| report::narrative::fill(&o, &mut metrics, &narrative, key, &mut problems);
    let goals = report::xlsx::Goals {
        expected: fill("basic.goals"),
        achieved: fill("basic.achieved"),
    };
    if problems.has_errors() {
        print_problems(&InputErrors(problems));
        return Ok(EXIT_INPUT);
    }
    let sheet = report::xlsx::render(&o, &goals)?;
    output::write_atomic(&args.xlsx, &sheet.bytes)
        .with_context(|| say::cannot_write(&args.xlsx))?;
    // A text too long for its cell is cut there: said, with its place.
    let cut = sheet.cut.iter().map(|c| {
        let of = c
            .indicator
            .as_deref()
            .map_or(String::new(), |i| format!(" (indicator {i})"));
        let of_zh = c
            .indicator
            .as_deref()
            .map_or(String::new(), |i| format!("（指标 {i}）"));
        jixiao::diag::Problem::warning(
            &args.xlsx,
            format!(
                "cell {}{of}: a text of {} characters cut to the {} an Excel cell holds; the JSON and Markdown results have it whole",
                c.cell,
                c.chars,
                report::xlsx::CELL_CHARS
            ),
        )
        .zh(format!(
            "单元格 {}{of_zh}：{} 个字的文字截到 Excel 单元格所能容纳的 {} 个字；JSON 和 Markdown 结果中是全文",
            c.cell,
            c.chars,
            report::xlsx::CELL_CHARS
        ))
        .field(c.cell.clone())
    });
    print_each(&jixiao::diag::Problems(cut.collect()));
    say::wrote(&args.xlsx);
    Ok(status)
}

#[cfg(not(feature = "xlsx"))]
fn export(_args: ExportArgs) -> anyhow::Result<u8> {
    anyhow::bail!(say::say(
        "此 jixiao 构建时未含 Excel 支持（cargo 功能 \"xlsx\"）",
        "this jixiao was built without Excel support (cargo feature \"xlsx\")"
    ))
}

fn monitor(args: MonitorArgs) -> anyhow::Result<u8> {
    use jixiao::monitor;
    let ws = match setup(&args.eval) {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    let sheet = match monitor::load::sheet_path(&ws, args.monitoring.as_deref(), args.as_of) {
        Ok(sheet) => sheet,
        Err(problems) => {
            print_monitor_problems(problems);
            return Ok(EXIT_INPUT);
        }
    };
    // Checked before any work: an output must never replace a file the run reads.
    let mut inputs = ws.files_read();
    inputs.extend(sheet.as_deref());
    inputs.extend(args.profile.as_deref());
    for out in [&args.output, &args.xlsx].into_iter().flatten() {
        output::refuse_inputs(out, inputs.iter().copied())?;
    }
    let profile = match &args.profile {
        Some(path) => monitor::profile::load(path),
        None => Ok(monitor::profile::national()),
    };
    let profile = match profile {
        Ok(p) => p,
        Err(problems) => {
            print_monitor_problems(problems);
            return Ok(EXIT_INPUT);
        }
    };
    if ws.scope() == Scope::All {
        return monitor_bureau(&args, &ws, &profile, sheet.as_deref());
    }
    let run = ws.one_project().and_then(|id| {
        let read = monitor::load::inputs(&ws, &id, sheet.as_deref(), args.as_of)?;
        monitor::monitor(&read, &profile, args.as_of)
    });
    let m = match run {
        Ok(m) => m,
        Err(problems) => {
            print_monitor_problems(problems);
            return Ok(EXIT_INPUT);
        }
    };
    print_each(&jixiao::diag::Problems(m.warnings.clone()));
    let lang = messages();
    let text = match args.format {
        Format::Table => monitor::render::table(&m, lang, None),
        Format::Json => json_text(&monitor::render::to_json(&m))?,
        Format::Csv => monitor::render::to_csv(&m),
    };
    if let Some(path) = &args.xlsx {
        write_monitor_xlsx(&m, path)?;
    }
    write_text(args.output.as_deref(), &text)?;
    Ok(EXIT_OK)
}

/// `monitor BUREAU`: every project of the budget, then the summary. The projects that
/// could not be monitored are listed on stderr (exit status 1), the rest monitored.
fn monitor_bureau(
    args: &MonitorArgs,
    ws: &Workspace,
    profile: &jixiao::monitor::profile::Profile,
    sheet: Option<&std::path::Path>,
) -> anyhow::Result<u8> {
    use jixiao::monitor;
    if args.xlsx.is_some() {
        anyhow::bail!(say::say(
            "--xlsx 只写一个项目的监控表：请用 --project 项目编码 选定项目",
            "--xlsx writes the 监控表 of one project: choose it with --project ID"
        ));
    }
    let b = match monitor::bureau::run(ws, profile, sheet, args.as_of, &LedgerOptions::default()) {
        Ok(b) => b,
        Err(problems) => {
            print_monitor_problems(problems);
            return Ok(EXIT_INPUT);
        }
    };
    for (_, problems) in &b.failed {
        print_each(problems);
    }
    print_each(&b.warnings);
    let lang = messages();
    // Each project's warnings are in its result (JSON) and counted in the table; with the
    // other formats the count is said here, never a silence that reads as none.
    if args.format != Format::Table
        && let Some(line) = monitor::bureau::warning_line(&b.summaries, lang)
    {
        eprintln!("jixiao{}{line}", lang.pick("：", ": "));
    }
    let text = match args.format {
        Format::Table => monitor::render::bureau_table(&b, args.as_of, lang, None, args.all),
        Format::Csv => monitor::render::bureau_csv(&b),
        // Written as it is made: one project's result in memory at a time.
        Format::Json => {
            let write = |w: &mut dyn Write| monitor::render::write_bureau_json(&b, args.as_of, w);
            match &args.output {
                Some(path) => {
                    let mut file = output::AtomicFile::create(path)
                        .with_context(|| say::cannot_write(path))?;
                    write(&mut file)
                        .and_then(|()| file.commit())
                        .with_context(|| say::cannot_write(path))?;
                }
                None => {
                    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                    match write(&mut out).and_then(|()| out.flush()) {
                        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                            return Err(anyhow::Error::new(e).context(say::cannot_write_output()));
                        }
                        _ => {}
                    }
                }
            }
            return Ok(if b.failed.is_empty() {
                EXIT_OK
            } else {
                EXIT_INPUT
            });
        }
    };
    write_text(args.output.as_deref(), &text)?;
    Ok(if b.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT
    })
}

fn json_text(v: &serde_json::Value) -> anyhow::Result<String> {
    let mut t = serde_json::to_string_pretty(v)?;
    t.push('\n');
    Ok(t)
}

/// Write to `-o FILE` (atomically) or to stdout.
fn write_text(path: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    match path {
        Some(path) => {
            output::write_atomic(path, text.as_bytes()).with_context(|| say::cannot_write(path))
        }
        None => write_stdout(text),
    }
}

#[cfg(feature = "xlsx")]
fn write_monitor_xlsx(m: &jixiao::monitor::Monitor, path: &std::path::Path) -> anyhow::Result<()> {
    let sheet = jixiao::monitor::xlsx::render(m)?;
    output::write_atomic(path, &sheet.bytes).with_context(|| say::cannot_write(path))?;
    // A text too long for its cell is cut there: said, with its place.
    let cut = sheet.cut.iter().map(|cell| {
        jixiao::diag::Problem::warning(
            path,
            format!(
                "cell {cell}: a text cut to the {} characters an Excel cell holds; the JSON result has it whole",
                report::xlsx::CELL_CHARS
            ),
        )
        .zh(format!(
            "单元格 {cell}：文字截到 Excel 单元格所能容纳的 {} 个字；JSON 结果中是全文",
            report::xlsx::CELL_CHARS
        ))
        .field(cell.clone())
    });
    print_each(&jixiao::diag::Problems(cut.collect()));
    say::wrote(path);
    Ok(())
}

#[cfg(not(feature = "xlsx"))]
fn write_monitor_xlsx(
    _m: &jixiao::monitor::Monitor,
    _path: &std::path::Path,
) -> anyhow::Result<()> {
    anyhow::bail!(say::say(
        "此 jixiao 构建时未含 Excel 支持（cargo 功能 \"xlsx\"）",
        "this jixiao was built without Excel support (cargo feature \"xlsx\")"
    ))
}

fn explain(args: ExplainArgs) -> anyhow::Result<u8> {
    let ws = match setup(&args.eval) {
        Ok(ws) => ws,
        Err(status) => return Ok(status),
    };
    let (o, status) = match evaluate(&ws, &args.eval, messages(), batch::Rows::All) {
        Ok(o) => o,
        Err(status) => return Ok(status),
    };
    let text = jixiao::explain::explain(&o, &args.indicator, messages())?;
    write_stdout(&text)?;
    Ok(status)
}

fn check(args: CheckArgs) -> anyhow::Result<u8> {
    let root = allowed_root(args.root.as_ref(), &args.paths)?;
    let targets = check::discover(&args.paths, &root)?;
    let report = check::run(&targets, &root);
    let text = match args.format {
        CheckFormat::Human => {
            let color = std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none();
            check::render::human(&report, color, messages())
        }
        CheckFormat::Json => check::render::json(&report),
        CheckFormat::Github => check::render::github(&report),
    };
    write_stdout(&text)?;
    if targets.is_empty() {
        // A CI gate that passes on nothing (a folder moved, a path mistyped) is not silent.
        let paths: Vec<String> = if args.paths.is_empty() {
            vec![".".to_string()]
        } else {
            args.paths.iter().map(|p| p.display().to_string()).collect()
        };
        let paths = paths.join(" ");
        eprintln!(
            "{}",
            say::say(
                format!(
                    "jixiao check：{paths} 中没有可检查的文件（指标体系文件、监控预警规则文件或评价目录）"
                ),
                format!(
                    "jixiao check: nothing to check in {paths} (no scheme, monitoring profile or evaluation folder)"
                ),
            )
        );
    }
    Ok(if report.fails(args.deny_warnings) {
        EXIT_INPUT
    } else {
        EXIT_OK
    })
}

fn schema() -> anyhow::Result<u8> {
    write_stdout(&jixiao::templates::schema_text())?;
    Ok(EXIT_OK)
}

fn init(args: InitArgs) -> anyhow::Result<u8> {
    let is_scheme = args
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let written = if is_scheme {
        jixiao::templates::init(&args.path, args.family.into())?
    } else {
        jixiao::templates::init_folder(&args.path, args.family.into())?
    };
    for path in written {
        say::wrote(&path);
    }
    Ok(EXIT_OK)
}

fn score(args: ScoreArgs) -> anyhow::Result<u8> {
    if args.previous.is_some() && args.format == Format::Csv {
        anyhow::bail!(say::say(
            "--previous 只能与 --format table 或 json 同用，不能与 csv 同用",
            "--previous works with --format table or json, not csv"
        ));
    }
    let setup = match setup(&args.eval) {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    // Checked before any work: the result must never replace a file the run reads.
    if let Some(path) = &args.output {
        let mut inputs = setup.files_read();
        inputs.extend(args.previous.as_deref());
        output::refuse_inputs(path, inputs)?;
    }
    // No project chosen, and the folder lists its projects or the budget holds several:
    // the whole bureau.
    let Scope::One(_) = setup.scope() else {
        if args.previous.is_some() {
            anyhow::bail!(say::say(
                "--previous 把一个项目与上年结果对比：请用 --project 项目编码 选定项目",
                "--previous compares one project with last year's result: choose it with --project ID"
            ));
        }
        return score_batch(&args, &setup);
    };
    let previous = match load_previous(args.previous.as_deref()) {
        Ok(p) => p,
        Err(status) => return Ok(status),
    };
    match evaluate(&setup, &args.eval, messages(), batch::Rows::None) {
        Ok((outcome, status)) => {
            let comparison = previous
                .as_ref()
                .map(|p| report::previous::compare(&outcome, p));
            let text = match (args.format, &comparison) {
                (Format::Table, Some(c)) => {
                    let mut text = report::table::render(&outcome, messages(), None);
                    text.push_str(&report::previous::table(c, messages(), None));
                    text
                }
                (Format::Json, Some(c)) => report::json::render_compared(&outcome, Some(c)),
                _ => render_one(&outcome, args.format, messages()),
            };
            match &args.output {
                Some(path) => output::write_atomic(path, text.as_bytes())
                    .with_context(|| say::cannot_write(path))?,
                None => write_stdout(&text)?,
            }
            if let Some(dir) = &args.out_dir {
                std::fs::create_dir_all(dir).with_context(|| say::cannot_create(dir))?;
                write_result(dir, &outcome, &args, &setup.files_read())?;
            }
            Ok(status)
        }
        Err(status) => Ok(status),
    }
}

fn render_one(outcome: &jixiao::outcome::Outcome, format: Format, lang: Lang) -> String {
    match format {
        Format::Table => report::table::render(outcome, lang, None),
        Format::Json => report::json::render(outcome),
        Format::Csv => report::csv::render(outcome, lang),
    }
}

/// Where a batch's JSON Lines go as each project is scored: into the file of `--output`,
/// written atomically and committed (renamed into place) once every line is written, or
/// to stdout.
enum JsonLines {
    /// `--output`, not yet created: the temporary file appears with the first line, not
    /// before scoring starts.
    Pending(std::path::PathBuf),
    File(output::AtomicFile),
    Stdout(std::io::BufWriter<std::io::Stdout>),
}

/// Score every project of the folder: the summary (or JSON Lines, or CSV) on stdout or
/// `--output`, each project's full result in `--out DIR`, each project that could not be
/// scored listed with its problems on stderr.
fn score_batch(args: &ScoreArgs, setup: &Workspace) -> anyhow::Result<u8> {
    let total = std::fs::metadata(&setup.inputs.spending).map_or(0, |m| m.len());
    let progress = Progress::new(total, args.quiet);
    let mut options = LedgerOptions::default();
    if let Some(n) = args.threads {
        options.threads = usize::from(n);
    }
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| say::cannot_create(dir))?;
    }
    // JSON Lines go out as each project is scored; the table and the CSV need every
    // project's summary first.
    let mut lines = match (args.format, &args.output) {
        (Format::Json, Some(path)) => {
            // A destination that cannot be written is said now, not after the scoring.
            output::refuse_special(path).with_context(|| say::cannot_write(path))?;
            Some(JsonLines::Pending(path.clone()))
        }
        (Format::Json, None) => Some(JsonLines::Stdout(
            std::io::BufWriter::new(std::io::stdout()),
        )),
        _ => None,
    };
    let inputs = setup.files_read();
    let refused: std::sync::Mutex<Option<anyhow::Error>> = std::sync::Mutex::new(None);
    let json = args.format == Format::Json;
    // Made on the scoring threads: the JSON line, and the --out file written there.
    // Projects whose code makes a file name longer than a file system takes: scored, not
    // written to --out, each said, and the others go on.
    let unwritten: std::sync::Mutex<Vec<jixiao::diag::Problem>> = std::sync::Mutex::new(Vec::new());
    let render = |o: &jixiao::outcome::Outcome| -> std::io::Result<Vec<u8>> {
        if let Some(dir) = &args.out_dir
            && let Some(problem) = name_too_long(dir, &o.project.id, args.format)
        {
            if let Ok(mut u) = unwritten.lock() {
                u.push(problem);
            }
        } else if let Some(dir) = &args.out_dir
            && let Err(e) = write_result(dir, o, args, &inputs)
        {
            if let Ok(mut r) = refused.lock() {
                r.get_or_insert(e);
            }
            return Err(std::io::Error::other("stopped"));
        }
        Ok(if json {
            report::batch::json_line(o).into_bytes()
        } else {
            Vec::new()
        })
    };
    let mut sink = |bytes: &[u8]| -> std::io::Result<()> {
        if let Some(JsonLines::Pending(path)) = &lines {
            lines = Some(JsonLines::File(output::AtomicFile::create(path)?));
        }
        match lines.as_mut() {
            Some(JsonLines::File(w)) => w.write_all(bytes),
            Some(JsonLines::Stdout(w)) => w.write_all(bytes),
            Some(JsonLines::Pending(_)) | None => Ok(()),
        }
    };
    // The summary table and CSV show only the totals: the texts of each project's
    // indicators are written only for the JSON lines and the files of --out.
    let detail = if json || args.out_dir.is_some() {
        scoring::Detail::Full
    } else {
        scoring::Detail::Scores
    };
    let run = batch::run(
        setup,
        &Scope::All,
        messages(),
        detail,
        &options,
        &|done| progress.set(done),
        &render,
        &mut sink,
    );
    progress.finish();
    if let Some(e) = refused.into_inner().ok().flatten() {
        return Err(e);
    }
    let batch = match run {
        Ok(b) => b,
        // A closed pipe (`| head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(EXIT_OK),
        Err(e) => return Err(anyhow::Error::new(e).context(say::cannot_write_output())),
    };
    // Nothing was scored: no summary, no file (the JSON Lines file is not committed).
    if batch.blocked {
        print_problems(&InputErrors(batch.problems));
        return Ok(EXIT_INPUT);
    }
    match lines {
        Some(JsonLines::File(file)) => {
            let path = args.output.as_deref().unwrap_or(std::path::Path::new(""));
            // A seam for the tests of interrupted runs (debug builds only): hold the
            // temporary file this long before the rename, so a signal reliably finds it.
            #[cfg(debug_assertions)]
            if let Some(ms) = std::env::var("JIXIAO_TEST_HOLD_TEMPORARY_MS")
                .ok()
                .and_then(|v| v.parse().ok())
            {
                std::thread::sleep(std::time::Duration::from_millis(ms));
            }
            file.commit().with_context(|| say::cannot_write(path))?;
        }
        // No project gave a line: the file is written, empty.
        Some(JsonLines::Pending(path)) => {
            output::write_atomic(&path, b"").with_context(|| say::cannot_write(&path))?
        }
        Some(JsonLines::Stdout(mut w)) => match w.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            r => r.context(say::cannot_write_output())?,
        },
        None => {
            // Written row by row: the text of 20,000 rows is never held whole.
            let write = |out: &mut dyn Write| match args.format {
                Format::Csv => report::batch::write_csv(out, &batch, messages()),
                _ => report::batch::write_table(out, &batch, messages(), None, args.all),
            };
            match &args.output {
                Some(path) => output::AtomicFile::create(path)
                    .and_then(|mut file| {
                        write(&mut file)?;
                        file.commit()
                    })
                    .with_context(|| say::cannot_write(path))?,
                None => {
                    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                    match write(&mut out).and_then(|()| out.flush()) {
                        // A closed pipe (`| head`) is not a failure.
                        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                            return Err(anyhow::Error::new(e).context(say::cannot_write_output()));
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    let unwritten = unwritten.into_inner().unwrap_or_default();
    Ok(batch_end(&batch, &unwritten))
}

/// After the summary: the problems, each project not scored and why, the count line; the
/// exit status.
fn batch_end(batch: &batch::Batch, unwritten: &[jixiao::diag::Problem]) -> u8 {
    print_each(&batch.problems);
    print_each(&jixiao::diag::Problems(unwritten.to_vec()));
    let mut stderr = std::io::stderr().lock();
    for f in &batch.failures {
        let e = f.problems.errors().count();
        let (project, name) = (visible(&f.project), visible(&f.name));
        let _ = match messages() {
            Lang::Zh => writeln!(
                stderr,
                "jixiao：项目 {project} {name} 未打分（{e} 个错误）："
            ),
            Lang::En => writeln!(
                stderr,
                "jixiao: project {project} {name} was not scored ({e} error(s)):"
            ),
        };
        for p in f.problems.errors() {
            let _ = writeln!(stderr, "  {}", p.display(messages()));
        }
    }
    if batch.has_errors() || !unwritten.is_empty() {
        let (scored, failed) = (batch.scored.len(), batch.failures.len());
        let other = batch.problems.errors().count() + unwritten.len();
        let _ = match messages() {
            Lang::Zh => writeln!(
                stderr,
                "jixiao：{scored} 个项目已打分，{failed} 个未打分，另有 {other} 个错误"
            ),
            Lang::En => writeln!(
                stderr,
                "jixiao: {scored} project(s) scored, {failed} not scored, {other} other error(s)"
            ),
        };
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

/// The most bytes of a file name most file systems take (ext4, XFS, APFS, NTFS in UTF-16
/// units: 255).
const MAX_FILE_NAME: usize = 255;

/// The error for a project whose `--out` file name would be longer than a file system
/// takes (the write failed and stopped the batch half-way), or `None`.
fn name_too_long(
    dir: &std::path::Path,
    code: &str,
    format: Format,
) -> Option<jixiao::diag::Problem> {
    let name = format!("{}.{}", file_name(code), extension(format));
    (name.len() > MAX_FILE_NAME).then(|| {
        jixiao::diag::Problem::error(
            dir,
            format!(
                "project {}: its file name would be {} bytes; a file system takes {MAX_FILE_NAME}: its result is not written here",
                jixiao::diag::cut(visible(code).into_owned()),
                name.len()
            ),
        )
        .zh(format!(
            "项目 {}：结果文件名将有 {} 字节，而文件系统最多允许 {MAX_FILE_NAME} 字节：此项目的结果不单独写文件",
            jixiao::diag::cut(visible(code).into_owned()),
            name.len()
        ))
        .code(jixiao::diag::Code::InvalidValue)
        .field("project")
        .zh_field("项目编码")
        .expected("a shorter project code (项目编码); its result is in the summary")
        .zh_expected("更短的项目编码；其结果见汇总")
    })
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Table => "txt",
        Format::Json => "json",
        Format::Csv => "csv",
    }
}

/// Write one result to `DIR/<project>.<txt|json|csv>`, atomically, never over an input.
fn write_result(
    dir: &std::path::Path,
    o: &jixiao::outcome::Outcome,
    args: &ScoreArgs,
    inputs: &[&std::path::Path],
) -> anyhow::Result<()> {
    let path = dir.join(format!(
        "{}.{}",
        file_name(&o.project.id),
        extension(args.format)
    ));
    output::refuse_inputs(&path, inputs.iter().copied())?;
    output::write_atomic(&path, render_one(o, args.format, messages()).as_bytes())
        .with_context(|| say::cannot_write(&path))
}

/// A project code as a file name.
///
/// Reversible, so that two codes never share a file: `%`, the characters no file system
/// takes, control and invisible characters and a leading `.` are written `%XX` (their
/// UTF-8 bytes); everything else as it is.
fn file_name(id: &str) -> String {
    let mut name = String::with_capacity(id.len());
    for (i, c) in id.chars().enumerate() {
        let escaped = c == '%'
            || "/\\:*?\"<>|".contains(c)
            || c.is_control()
            || jixiao::diag::hidden(c)
            || (i == 0 && c == '.');
        if escaped {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                name.push_str(&format!("%{b:02X}"));
            }
        } else {
            name.push(c);
        }
    }
    if name.is_empty() {
        name.push_str("%00");
    }
    name
}

/// Read `--previous`, printing its problems (exit status 1) if it cannot be used.
fn load_previous(path: Option<&std::path::Path>) -> Result<Option<report::previous::Previous>, u8> {
    let Some(path) = path else {
        return Ok(None);
    };
    report::previous::load(path).map(Some).map_err(|problems| {
        print_problems(&InputErrors(problems));
        EXIT_INPUT
    })
}

/// A file an option names, loaded by `load`; its problems printed and the run stopped
/// when it cannot be used.
fn loaded<T>(
    path: Option<&std::path::Path>,
    load: impl Fn(&std::path::Path) -> Result<T, jixiao::diag::Problems>,
    what: (&str, &str),
) -> anyhow::Result<Option<T>> {
    let Some(path) = path else { return Ok(None) };
    match load(path) {
        Ok(t) => Ok(Some(t)),
        Err(problems) => {
            let mut stderr = std::io::stderr().lock();
            for p in problems.errors() {
                let _ = writeln!(stderr, "{}", p.display(messages()));
            }
            let p = path.display();
            anyhow::bail!(say::say(
                format!("{}{p} 无法使用", what.0),
                format!("{} {p} cannot be used", what.1)
            ));
        }
    }
}

/// The language of the output and of the problems printed on stderr: `--lang`.
static MESSAGES: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The language of the run, once known (from the command line, before it is parsed).
pub fn set_lang(lang: Lang) {
    let _ = MESSAGES.set(lang);
}

fn messages() -> Lang {
    MESSAGES.get().copied().unwrap_or_default()
}

/// Print every problem on stderr, errors first.
fn print_each(problems: &jixiao::diag::Problems) {
    let mut stderr = std::io::stderr().lock();
    for p in problems.errors().chain(problems.warnings()) {
        let _ = writeln!(stderr, "{}", p.display(messages()));
    }
}

/// Print every problem, errors first, then a count.
fn print_problems(errors: &InputErrors) {
    print_problems_then(errors, ("未打分", "nothing was scored"));
}

/// Print every problem, errors first, then a count and what was not done (Chinese,
/// English).
fn print_problems_then(errors: &InputErrors, (zh, en): (&str, &str)) {
    print_each(&errors.0);
    let mut stderr = std::io::stderr().lock();
    let e = errors.0.errors().count();
    let w = errors.0.warnings().count();
    let _ = match messages() {
        Lang::Zh => writeln!(stderr, "jixiao：{e} 个错误，{w} 个警告；{zh}"),
        Lang::En => writeln!(stderr, "jixiao: {e} error(s), {w} warning(s); {en}"),
    };
}

/// The problems that stop `monitor`.
fn print_monitor_problems(problems: jixiao::diag::Problems) {
    print_problems_then(&InputErrors(problems), ("未监控", "nothing was monitored"));
}

fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context(say::cannot_write_output()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn project_codes_become_distinct_file_names() {
        // A/1, A_1 and A:1 used to write the same A_1 file, each over the last.
        assert_eq!(file_name("A/1"), "A%2F1");
        assert_eq!(file_name("A_1"), "A_1");
        assert_eq!(file_name("A:1"), "A%3A1");
        // % itself is escaped (0x25), so the code "A%2F1" does not take "A/1"'s name.
        assert_eq!(file_name("A%2F1"), "A%252F1");
        // A leading dot would hide the file or climb a folder; ESC is 0x1B; Chinese stays.
        assert_eq!(file_name(".."), "%2E.");
        assert_eq!(file_name("\u{1b}x"), "%1Bx");
        assert_eq!(file_name("项目-01"), "项目-01");
        assert_eq!(file_name(""), "%00");
    }
}
