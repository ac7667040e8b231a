//! Readers for the four input files: budget (预算), spending (支出明细), outputs (产出)
//! and judgments (评价意见), each a CSV file (UTF-8 or GB18030) or an Excel sheet. Columns
//! are found by English name or Chinese header; every bad row is reported with file, line,
//! field and value, and reading goes on so that one run lists all problems.

pub mod encoding;

#[cfg(feature = "xlsx")]
pub mod sheet;
pub(crate) mod table;

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Problem, Problems, Severity};
use crate::scheme::Unit;
use crate::values::{self, AMOUNT_EXPECTED, DATE_EXPECTED, VALUE_EXPECTED, fold_width};
pub use encoding::EncodingChoice;
use table::{Row, RowSource};

/// How input files are read: the text encoding of CSV files, the sheet of workbooks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// `--encoding`: UTF-8, GB18030, or decided per file (the default).
    pub encoding: EncodingChoice,
    /// `--sheet`: the sheet read from every workbook; `None` = each workbook's first sheet.
    pub sheet: Option<String>,
}

/// Whether a path is read as an Excel workbook (`.xlsx`, `.xlsm`, `.xls`), by its
/// extension; every other file is read as CSV.
pub fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xls"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// A column: its English name, Chinese headers also accepted, and whether it is required.
pub(crate) struct Column {
    pub(crate) name: &'static str,
    pub(crate) aliases: &'static [&'static str],
    pub(crate) required: bool,
}

const fn col(name: &'static str, aliases: &'static [&'static str], required: bool) -> Column {
    Column {
        name,
        aliases,
        required,
    }
}

const PROJECT: Column = col("project", &["项目编码", "项目代码", "项目编号"], true);

const BUDGET_COLUMNS: &[Column] = &[
    PROJECT,
    col("name", &["项目名称"], true),
    col("year", &["年度", "预算年度"], true),
    col("initial_budget", &["年初预算数", "年初预算"], true),
    col(
        "adjusted_budget",
        &["全年预算数", "调整后预算数", "全年预算"],
        false,
    ),
    col("allocated", &["实际到位资金", "到位资金"], false),
    col("source", &["资金来源"], false),
];

/// Positions in [`BUDGET_COLUMNS`], by which rows are read.
mod budget_at {
    pub(super) const PROJECT: usize = 0;
    pub(super) const NAME: usize = 1;
    pub(super) const YEAR: usize = 2;
    pub(super) const INITIAL_BUDGET: usize = 3;
    pub(super) const ADJUSTED_BUDGET: usize = 4;
    pub(super) const ALLOCATED: usize = 5;
    pub(super) const SOURCE: usize = 6;
}

pub(crate) const SPENDING_COLUMNS: &[Column] = &[
    PROJECT,
    col("date", &["日期", "支付日期"], true),
    col("amount", &["金额", "支出金额"], true),
    col("voucher", &["凭证号", "凭证编号"], false),
    col("category", &["支出类别", "支出科目"], false),
    col("description", &["摘要"], false),
];

/// Positions in [`SPENDING_COLUMNS`].
mod spending_at {
    pub(super) const PROJECT: usize = 0;
    pub(super) const DATE: usize = 1;
    pub(super) const AMOUNT: usize = 2;
    pub(super) const VOUCHER: usize = 3;
    pub(super) const CATEGORY: usize = 4;
    pub(super) const DESCRIPTION: usize = 5;
}

const OUTPUT_COLUMNS: &[Column] = &[
    PROJECT,
    col("metric", &["指标"], true),
    col("value", &["数值", "实际完成值"], true),
    col("unit", &["单位", "计量单位"], false),
    col("note", &["备注", "说明"], false),
];

/// Positions in [`OUTPUT_COLUMNS`].
mod outputs_at {
    pub(super) const PROJECT: usize = 0;
    pub(super) const METRIC: usize = 1;
    pub(super) const VALUE: usize = 2;
    pub(super) const UNIT: usize = 3;
    pub(super) const NOTE: usize = 4;
}

const JUDGMENT_COLUMNS: &[Column] = &[
    PROJECT,
    col("indicator", &["指标编号", "指标编码"], true),
    col("tier", &["档次", "评价档次", "完成情况"], false),
    col("score", &["得分"], false),
    col("deduction", &["扣分"], false),
    col(
        "reason",
        &["扣分原因", "偏差原因", "偏差原因分析及改进措施", "理由"],
        false,
    ),
    col("scheme", &["指标体系"], false),
];

/// Positions in [`JUDGMENT_COLUMNS`].
mod judgments_at {
    pub(super) const PROJECT: usize = 0;
    pub(super) const INDICATOR: usize = 1;
    pub(super) const TIER: usize = 2;
    pub(super) const SCORE: usize = 3;
    pub(super) const DEDUCTION: usize = 4;
    pub(super) const REASON: usize = 5;
    pub(super) const SCHEME: usize = 6;
}

/// `cell` without the whitespace around it. Most cells start and end with a printable
/// ASCII character or a Chinese one, which no whitespace is, and are taken as they are
/// without the Unicode-aware trim.
pub(crate) fn trim_cell(cell: &str) -> &str {
    // Every character from U+4000 up to U+FFFF starts with a byte E4–EF, and none of them
    // is whitespace (the last is U+3000, 　, E3 80 80); a Chinese character is 3 bytes.
    let plain_lead = |b: u8| b.is_ascii_graphic() || (0xE4..=0xEF).contains(&b);
    let bytes = cell.as_bytes();
    let plain_start = bytes.first().is_some_and(|&b| plain_lead(b));
    let plain_end = match bytes {
        [.., last] if last.is_ascii_graphic() => true,
        [.., lead, _, _] => plain_lead(*lead) && !lead.is_ascii(),
        _ => false,
    };
    if plain_start && plain_end {
        cell
    } else {
        cell.trim()
    }
}

impl Row<'_> {
    /// The trimmed text of the column at `at` in the table's columns (one of the
    /// `…_at` positions), `None` when the column is absent or the cell empty. Columns are
    /// found by position: a name would be looked up for every cell of every row.
    pub(crate) fn get(&self, at: usize) -> Option<&str> {
        let v = trim_cell(self.cells.cell(self.index[at]?)?);
        (!v.is_empty()).then_some(v)
    }

    /// [`Self::get`] by the column's English name, for messages.
    pub(crate) fn named(&self, name: &str) -> Option<&str> {
        self.get(self.columns.iter().position(|c| c.name == name)?)
    }

    /// The English name of the column at `at`.
    fn name(&self, at: usize) -> &'static str {
        self.columns[at].name
    }

    fn problem(&self, field: &str, message: impl Into<String>) -> Problem {
        Problem::error(self.path, message)
            .code(Code::BadField)
            .at_line(self.line)
            .field(field)
    }

    /// A required text field; reports an error when empty.
    fn required(&self, at: usize, problems: &mut Problems) -> Option<String> {
        self.required_text(at, problems).map(str::to_string)
    }

    /// [`Self::required`], borrowed.
    fn required_text(&self, at: usize, problems: &mut Problems) -> Option<&str> {
        match self.get(at) {
            Some(v) => Some(v),
            None => {
                let field = self.name(at);
                problems.push(
                    self.problem(field, "empty required field")
                        .expected(format!("a value in column \"{field}\"")),
                );
                None
            }
        }
    }

    fn amount(&self, at: usize, problems: &mut Problems) -> Option<Option<Decimal>> {
        let Some(text) = self.get(at) else {
            return Some(None);
        };
        let field = self.name(at);
        match values::parse_amount(text) {
            Ok(v) => Some(Some(v)),
            Err(e) => {
                problems.push(self.problem(field, e).value(text).expected(AMOUNT_EXPECTED));
                None
            }
        }
    }
}

/// Read the budget file (CSV or workbook); problems are pushed.
pub fn read_budget(path: &Path, options: &ReadOptions, problems: &mut Problems) -> Vec<BudgetRow> {
    match table::open(path, options) {
        Ok(source) => budget_from(path, source, problems),
        Err(p) => {
            problems.push(*p);
            Vec::new()
        }
    }
}

fn budget_from(path: &Path, source: Box<dyn RowSource>, problems: &mut Problems) -> Vec<BudgetRow> {
    let mut out = Vec::new();
    table::read_rows(path, source, BUDGET_COLUMNS, problems, |row, problems| {
        let project = row.required(budget_at::PROJECT, problems);
        let name = row.required(budget_at::NAME, problems);
        let year = row.required(budget_at::YEAR, problems).and_then(|y| {
            let folded = fold_width(&y);
            let digits = folded.trim().trim_end_matches('年');
            match digits.parse::<i32>() {
                Ok(v) if (1900..=2999).contains(&v) => Some(v),
                _ => {
                    problems.push(
                        row.problem("year", "not a year")
                            .value(y)
                            .expected("a year such as 2022"),
                    );
                    None
                }
            }
        });
        let initial = row.amount(budget_at::INITIAL_BUDGET, problems);
        let adjusted = row.amount(budget_at::ADJUSTED_BUDGET, problems);
        let allocated = row.amount(budget_at::ALLOCATED, problems);
        let initial = match initial {
            Some(Some(v)) => Some(v),
            Some(None) => {
                problems.push(
                    row.problem("initial_budget", "empty required field")
                        .expected(AMOUNT_EXPECTED),
                );
                None
            }
            None => None,
        };
        // A budget is never negative; a negative figure is a sign-convention or typing error.
        for (field, value) in [
            ("initial_budget", initial),
            ("adjusted_budget", adjusted.flatten()),
            ("allocated", allocated.flatten()),
        ] {
            if let Some(v) = value
                && v < Decimal::ZERO
            {
                problems.push(
                    row.problem(field, "a budget amount cannot be negative")
                        .value(row.named(field).unwrap_or(""))
                        .expected("an amount ≥ 0"),
                );
            }
        }
        if let (
            Some(project),
            Some(name),
            Some(year),
            Some(initial),
            Some(adjusted),
            Some(allocated),
        ) = (project, name, year, initial, adjusted, allocated)
        {
            let adjusted = adjusted.unwrap_or(initial);
            out.push(BudgetRow {
                line: row.line,
                project,
                name,
                year,
                initial_budget: initial,
                adjusted_budget: adjusted,
                allocated: allocated.unwrap_or(adjusted),
                source: row.get(budget_at::SOURCE).map(str::to_string),
            });
        }
    });
    out
}

/// Read the spending file (CSV or workbook); problems are pushed.
pub fn read_spending(
    path: &Path,
    options: &ReadOptions,
    problems: &mut Problems,
) -> Vec<SpendingRow> {
    match table::open(path, options) {
        Ok(source) => spending_from(path, source, problems),
        Err(p) => {
            problems.push(*p);
            Vec::new()
        }
    }
}

/// Read the spending file row by row, handing each good row to `each` instead of keeping
/// them: memory does not grow with the ledger. Problems are pushed as [`read_spending`]
/// pushes them.
pub fn each_spending(
    path: &Path,
    options: &ReadOptions,
    problems: &mut Problems,
    each: impl FnMut(SpendingRow),
) {
    match table::open(path, options) {
        Ok(source) => spending_each(path, source, problems, each),
        Err(p) => problems.push(*p),
    }
}

fn spending_from(
    path: &Path,
    source: Box<dyn RowSource>,
    problems: &mut Problems,
) -> Vec<SpendingRow> {
    let mut out = Vec::new();
    spending_each(path, source, problems, |row| out.push(row));
    out
}

fn spending_each(
    path: &Path,
    source: Box<dyn RowSource>,
    problems: &mut Problems,
    mut each: impl FnMut(SpendingRow),
) {
    table::read_rows(path, source, SPENDING_COLUMNS, problems, |row, problems| {
        let project = row.required(spending_at::PROJECT, problems);
        let date =
            row.required(spending_at::DATE, problems)
                .and_then(|t| match values::parse_date(&t) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        problems.push(row.problem("date", e).value(t).expected(DATE_EXPECTED));
                        None
                    }
                });
        let amount = match row.amount(spending_at::AMOUNT, problems) {
            Some(Some(v)) => Some(v),
            Some(None) => {
                problems.push(
                    row.problem("amount", "empty required field")
                        .expected(AMOUNT_EXPECTED),
                );
                None
            }
            None => None,
        };
        if let (Some(project), Some(date), Some(amount)) = (project, date, amount) {
            each(SpendingRow {
                line: row.line,
                project,
                date,
                amount,
                voucher: row.get(spending_at::VOUCHER).map(str::to_string),
                category: row.get(spending_at::CATEGORY).map(str::to_string),
                description: row.get(spending_at::DESCRIPTION).map(str::to_string),
            });
        }
    });
}

/// The optional file of a batch folder choosing each project's scheme, department and unit.
pub const PROJECTS_FILE: &str = "projects.csv";

const PROJECTS_COLUMNS: &[Column] = &[
    PROJECT,
    col("scheme", &["指标体系"], false),
    col("department", &["主管部门"], false),
    col("unit", &["实施单位"], false),
];

/// Positions in [`PROJECTS_COLUMNS`].
mod projects_at {
    pub(super) const PROJECT: usize = 0;
    pub(super) const SCHEME: usize = 1;
    pub(super) const DEPARTMENT: usize = 2;
    pub(super) const UNIT: usize = 3;
}

/// One row of projects.csv: which scheme scores a project of a batch, and who runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    pub line: usize,
    pub project: String,
    /// The scheme file, as written (relative to the evaluation folder).
    pub scheme: Option<String>,
    /// 主管部门
    pub department: Option<String>,
    /// 实施单位
    pub unit: Option<String>,
}

/// Read projects.csv (CSV or workbook); problems are pushed. A project listed twice is an
/// error on the second row.
pub fn read_projects(
    path: &Path,
    options: &ReadOptions,
    problems: &mut Problems,
) -> Vec<ProjectRow> {
    let source = match table::open(path, options) {
        Ok(source) => source,
        Err(p) => {
            problems.push(*p);
            return Vec::new();
        }
    };
    let mut out: Vec<ProjectRow> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    table::read_rows(path, source, PROJECTS_COLUMNS, problems, |row, problems| {
        let Some(project) = row.required(projects_at::PROJECT, problems) else {
            return;
        };
        if let Some(first) = seen.insert(project.clone(), row.line) {
            problems.push(
                row.problem(
                    "project",
                    format!("project {project} is listed twice (first on line {first})"),
                )
                .value(&project)
                .expected("each project once"),
            );
            return;
        }
        out.push(ProjectRow {
            line: row.line,
            project,
            scheme: row.get(projects_at::SCHEME).map(str::to_string),
            department: row.get(projects_at::DEPARTMENT).map(str::to_string),
            unit: row.get(projects_at::UNIT).map(str::to_string),
        });
    });
    out
}

/// Read the outputs file (CSV or workbook); problems are pushed.
pub fn read_outputs(path: &Path, options: &ReadOptions, problems: &mut Problems) -> Vec<OutputRow> {
    match table::open(path, options) {
        Ok(source) => outputs_from(path, source, problems),
        Err(p) => {
            problems.push(*p);
            Vec::new()
        }
    }
}

/// A row of outputs.csv as read, its text borrowed from the reader: a batch keeps the rows
/// in its own compact form, so copying every string first would be wasted.
#[derive(Debug)]
pub struct OutputFields<'a> {
    pub line: usize,
    pub project: &'a str,
    pub metric: &'a str,
    /// Base value, as in [`OutputRow::value`].
    pub value: Decimal,
    pub unit: &'a Unit,
    pub note: Option<&'a str>,
}

impl OutputFields<'_> {
    pub fn to_row(self) -> OutputRow {
        OutputRow {
            line: self.line,
            project: self.project.to_string(),
            metric: self.metric.to_string(),
            value: self.value,
            unit: self.unit.clone(),
            note: self.note.map(str::to_string),
        }
    }
}

/// Read the outputs file row by row, handing each good row to `each` instead of keeping
/// them. Problems are pushed as [`read_outputs`] pushes them.
pub fn each_output(
    path: &Path,
    options: &ReadOptions,
    problems: &mut Problems,
    each: impl FnMut(OutputFields<'_>),
) {
    match table::open(path, options) {
        Ok(source) => outputs_each(path, source, problems, each),
        Err(p) => problems.push(*p),
    }
}

fn outputs_from(
    path: &Path,
    source: Box<dyn RowSource>,
    problems: &mut Problems,
) -> Vec<OutputRow> {
    let mut out = Vec::new();
    outputs_each(path, source, problems, |row| out.push(row.to_row()));
    out
}

/// The units of the last rows read, so that a unit written on many rows (件, 人次) is not
/// built anew for each: at most [`RecentUnits::KEPT`], the newest first.
#[derive(Default)]
struct RecentUnits(Vec<Unit>);

impl RecentUnits {
    /// Enough for the units of a file's metrics; a file with more only parses more often.
    const KEPT: usize = 16;

    /// The unit written `text`, as [`Unit::parse`] reads it.
    fn get(&mut self, text: &str) -> &Unit {
        let text = text.trim();
        let known = Unit::known(text);
        let at = match &known {
            Some(known) => self.0.iter().position(|u| u == known),
            None => self
                .0
                .iter()
                .position(|u| matches!(u, Unit::Other(name) if name == text)),
        };
        match at {
            Some(i) => &self.0[i],
            None => {
                self.0.truncate(Self::KEPT - 1);
                self.0
                    .insert(0, known.unwrap_or_else(|| Unit::Other(text.to_string())));
                &self.0[0]
            }
        }
    }
}

/// The unit of a value written with a % sign.
static PERCENT: Unit = Unit::Percent;

fn outputs_each(
    path: &Path,
    source: Box<dyn RowSource>,
    problems: &mut Problems,
    mut each: impl FnMut(OutputFields<'_>),
) {
    let mut units = RecentUnits::default();
    table::read_rows(path, source, OUTPUT_COLUMNS, problems, |row, problems| {
        let project = row.required_text(outputs_at::PROJECT, problems);
        let metric = row
            .required_text(outputs_at::METRIC, problems)
            .and_then(|m| {
                if crate::scheme::is_identifier(m) {
                    Some(m)
                } else {
                    problems.push(row.problem("metric", "not a metric id").value(m).expected(
                        "letters, digits and _, starting with a letter (e.g. cases_civil)",
                    ));
                    None
                }
            });
        let unit_text = row.get(outputs_at::UNIT).unwrap_or("");
        let value = row
            .required_text(outputs_at::VALUE, problems)
            .and_then(|t| match values::parse_value(t) {
                Ok(v) => Some(v),
                Err(e) => {
                    problems.push(row.problem("value", e).value(t).expected(VALUE_EXPECTED));
                    None
                }
            });
        if let (Some(project), Some(metric), Some((raw, percent_sign))) = (project, metric, value) {
            if percent_sign && !matches!(Unit::known(unit_text), Some(Unit::None | Unit::Percent)) {
                problems.push(
                    row.problem("unit", "a percentage value with a different unit")
                        .value(unit_text)
                        .expected("unit % or empty for a value written with %"),
                );
                return;
            }
            let unit = if percent_sign {
                &PERCENT
            } else {
                units.get(unit_text)
            };
            each(OutputFields {
                line: row.line,
                project,
                metric,
                value: unit.to_base(raw),
                unit,
                note: row.get(outputs_at::NOTE),
            });
        }
    });
}

pub use crate::judgment::{JudgedTier, Judgment, JudgmentRow, TIER_EXPECTED};
pub use crate::records::{BudgetRow, OutputRow, SpendingRow};

/// Read the judgments file (CSV or workbook); problems are pushed.
pub fn read_judgments(
    path: &Path,
    options: &ReadOptions,
    problems: &mut Problems,
) -> Vec<JudgmentRow> {
    match table::open(path, options) {
        Ok(source) => judgments_from(path, source, problems),
        Err(p) => {
            problems.push(*p);
            Vec::new()
        }
    }
}

/// A row of judgments.csv as read, its text borrowed from the reader (see
/// [`OutputFields`]): its project and the judgment.
#[derive(Debug)]
pub struct JudgmentFields<'a> {
    pub project: &'a str,
    pub judgment: Judgment<'a>,
}

impl JudgmentFields<'_> {
    pub fn to_row(self) -> JudgmentRow {
        let j = self.judgment;
        JudgmentRow {
            line: j.line,
            project: self.project.to_string(),
            indicator: j.indicator.to_string(),
            tier: j.tier,
            score: j.score,
            deduction: j.deduction,
            reason: j.reason.map(str::to_string),
            scheme: j.scheme.map(str::to_string),
            invalid: j.invalid,
        }
    }
}

/// Read the judgments file row by row, handing each row kept to `each` instead of keeping
/// them. Problems are pushed as [`read_judgments`] pushes them.
pub fn each_judgment(
    path: &Path,
    options: &ReadOptions,
    problems: &mut Problems,
    each: impl FnMut(JudgmentFields<'_>),
) {
    match table::open(path, options) {
        Ok(source) => judgments_each(path, source, problems, each),
        Err(p) => problems.push(*p),
    }
}

fn judgments_from(
    path: &Path,
    source: Box<dyn RowSource>,
    problems: &mut Problems,
) -> Vec<JudgmentRow> {
    let mut out = Vec::new();
    judgments_each(path, source, problems, |row| out.push(row.to_row()));
    out
}

fn judgments_each(
    path: &Path,
    source: Box<dyn RowSource>,
    problems: &mut Problems,
    mut each: impl FnMut(JudgmentFields<'_>),
) {
    table::read_rows(path, source, JUDGMENT_COLUMNS, problems, |row, problems| {
        let project = row.required_text(judgments_at::PROJECT, problems);
        let indicator = row.required_text(judgments_at::INDICATOR, problems);
        let mut ok = true;
        let tier = match row.get(judgments_at::TIER) {
            None => None,
            Some("不适用" | "n/a" | "N/A" | "not_applicable") => Some(JudgedTier::NotApplicable),
            Some(t) => match crate::judgment::Tier::parse(t) {
                Some(tier) => Some(JudgedTier::Tier(tier)),
                None => {
                    problems.push(
                        row.problem("tier", "unknown tier")
                            .value(t)
                            .expected(TIER_EXPECTED),
                    );
                    ok = false;
                    None
                }
            },
        };
        let mut number = |at: usize| -> Option<Decimal> {
            let field = row.name(at);
            let t = row.get(at)?;
            match crate::decimal::parse_plain(&fold_width(t)) {
                // Points have at most two decimals, like every score on the form.
                Some(v)
                    if v >= Decimal::ZERO
                        && v <= Decimal::from(1_000_000)
                        && v.normalize().scale() <= 2 =>
                {
                    Some(v)
                }
                _ => {
                    problems.push(
                        row.problem(field, "not a number of points")
                            .value(t)
                            .expected("points from 0 to 1000000 with at most 2 decimals, such as 3 or 2.5"),
                    );
                    ok = false;
                    None
                }
            }
        };
        let score = number(judgments_at::SCORE);
        let deduction = number(judgments_at::DEDUCTION);
        // A row with a bad field is kept (marked invalid) so that its indicator is not also
        // reported as unjudged: its problem has been reported once already.
        if let (Some(project), Some(indicator)) = (project, indicator) {
            each(JudgmentFields {
                project,
                judgment: Judgment {
                    line: row.line,
                    indicator,
                    tier,
                    score,
                    deduction,
                    reason: row.get(judgments_at::REASON),
                    scheme: row.get(judgments_at::SCHEME),
                    invalid: !ok,
                },
            });
        }
    });
}

/// Where the four inputs of an evaluation are, and how to read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputPaths {
    pub budget: PathBuf,
    pub spending: PathBuf,
    pub outputs: Option<PathBuf>,
    pub judgments: Option<PathBuf>,
    pub options: ReadOptions,
}

/// Every row of the four inputs.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub budget: Vec<BudgetRow>,
    pub spending: Vec<SpendingRow>,
    pub outputs: Vec<OutputRow>,
    pub judgments: Vec<JudgmentRow>,
}

/// Which of the four inputs a table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Budget,
    Spending,
    Outputs,
    Judgments,
}

/// Read CSV bytes as one of the four inputs, as a file with those bytes would be read;
/// problems name `label`. For fuzzing and tests: no file is needed.
pub fn read_csv_bytes(
    kind: InputKind,
    label: &Path,
    bytes: &[u8],
    encoding: EncodingChoice,
    problems: &mut Problems,
) -> Inputs {
    let reader = Box::new(std::io::Cursor::new(bytes.to_vec()));
    let source: Box<dyn RowSource> = match table::csv_rows(label, reader, encoding) {
        Ok(s) => s,
        Err(p) => {
            problems.push(*p);
            return Inputs::default();
        }
    };
    let mut inputs = Inputs::default();
    match kind {
        InputKind::Budget => inputs.budget = budget_from(label, source, problems),
        InputKind::Spending => inputs.spending = spending_from(label, source, problems),
        InputKind::Outputs => inputs.outputs = outputs_from(label, source, problems),
        InputKind::Judgments => inputs.judgments = judgments_from(label, source, problems),
    }
    inputs
}

/// The warning for a voucher on `line` of `project` that is also on `first`.
pub fn duplicate_voucher_problem(
    file: &Path,
    project: &str,
    voucher: &str,
    line: usize,
    first: usize,
) -> Problem {
    Problem::warning(
        file,
        format!("voucher {voucher} of project {project} is also on line {first}"),
    )
    .code(Code::DuplicateVoucher)
    .at_line(line)
    .field("voucher")
    .value(voucher)
    .expected("each voucher number once per project, unless the payment was split")
}

/// At most this many problems are listed per file; one line then counts the rest.
pub const MAX_PROBLEMS_PER_FILE: usize = 50;

/// Keep at most `limit` problems per file — errors first, then warnings, each in the order
/// found — and replace the rest by one problem that counts them. A ledger with a wrong
/// column gives one error per row; fifty show the pattern.
pub fn cap_per_file(problems: Problems, limit: usize) -> Problems {
    let mut per_file: BTreeMap<&Path, (usize, usize)> = BTreeMap::new();
    for p in &problems.0 {
        let counts = per_file.entry(p.file.as_path()).or_default();
        if p.is_error() {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
    }
    if per_file.values().all(|(e, w)| e + w <= limit) {
        return problems;
    }
    // Per file: how many errors and warnings are kept.
    let keep: BTreeMap<PathBuf, (usize, usize)> = per_file
        .iter()
        .map(|(f, &(e, w))| {
            let ke = e.min(limit);
            (f.to_path_buf(), (ke, w.min(limit - ke)))
        })
        .collect();
    let mut kept: BTreeMap<PathBuf, (usize, usize)> = BTreeMap::new();
    let mut out = Vec::new();
    let mut hidden: BTreeMap<PathBuf, (usize, usize)> = BTreeMap::new();
    let mut last_kept: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for p in problems.0 {
        let (ke, kw) = keep[&p.file];
        let k = kept.entry(p.file.clone()).or_default();
        let h = hidden.entry(p.file.clone()).or_default();
        let show = if p.is_error() {
            k.0 += 1;
            k.0 <= ke || {
                h.0 += 1;
                false
            }
        } else {
            k.1 += 1;
            k.1 <= kw || {
                h.1 += 1;
                false
            }
        };
        if show {
            last_kept.insert(p.file.clone(), out.len());
            out.push(p);
        }
    }
    // The count goes right after the file's last problem shown.
    let mut notes: Vec<(usize, Problem)> = hidden
        .into_iter()
        .filter(|(_, (e, w))| e + w > 0)
        .map(|(file, (e, w))| {
            let mut note = Problem::error(
                &file,
                format!(
                    "{} more problem(s) in this file are not listed ({e} error(s), {w} warning(s)); \
                     fix the ones above and run again",
                    e + w
                ),
            );
            if e == 0 {
                note.severity = Severity::Warning;
            }
            (last_kept.get(&file).map_or(out.len(), |i| i + 1), note)
        })
        .collect();
    notes.sort_by_key(|(i, _)| std::cmp::Reverse(*i));
    for (i, note) in notes {
        out.insert(i, note);
    }
    Problems(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_units_are_the_units_parsed() {
        // More units than are kept, repeated, padded and known: each must come back as
        // `Unit::parse` gives it, e.g. " 件" → 件, "" → none, "％" → %.
        let mut recent = RecentUnits::default();
        let mut texts: Vec<String> = (0..20).map(|i| format!("单位{i}")).collect();
        texts.extend(
            [
                "件",
                " 件 ",
                "",
                " ",
                "%",
                "％",
                "百分比",
                "元",
                "万元",
                "元/件",
            ]
            .map(String::from),
        );
        for round in 0..3 {
            for t in texts.iter().rev().skip(round) {
                assert_eq!(*recent.get(t), Unit::parse(t), "{t:?}");
            }
        }
        assert!(recent.0.len() <= RecentUnits::KEPT);
    }

    #[test]
    fn column_positions_name_their_columns() {
        // Each table's columns, with each position and the name it must hold.
        type Positions = &'static [(usize, &'static str)];
        let cases: [(&[Column], Positions); 5] = [
            (
                BUDGET_COLUMNS,
                &[
                    (budget_at::PROJECT, "project"),
                    (budget_at::NAME, "name"),
                    (budget_at::YEAR, "year"),
                    (budget_at::INITIAL_BUDGET, "initial_budget"),
                    (budget_at::ADJUSTED_BUDGET, "adjusted_budget"),
                    (budget_at::ALLOCATED, "allocated"),
                    (budget_at::SOURCE, "source"),
                ],
            ),
            (
                SPENDING_COLUMNS,
                &[
                    (spending_at::PROJECT, "project"),
                    (spending_at::DATE, "date"),
                    (spending_at::AMOUNT, "amount"),
                    (spending_at::VOUCHER, "voucher"),
                    (spending_at::CATEGORY, "category"),
                    (spending_at::DESCRIPTION, "description"),
                ],
            ),
            (
                PROJECTS_COLUMNS,
                &[
                    (projects_at::PROJECT, "project"),
                    (projects_at::SCHEME, "scheme"),
                    (projects_at::DEPARTMENT, "department"),
                    (projects_at::UNIT, "unit"),
                ],
            ),
            (
                OUTPUT_COLUMNS,
                &[
                    (outputs_at::PROJECT, "project"),
                    (outputs_at::METRIC, "metric"),
                    (outputs_at::VALUE, "value"),
                    (outputs_at::UNIT, "unit"),
                    (outputs_at::NOTE, "note"),
                ],
            ),
            (
                JUDGMENT_COLUMNS,
                &[
                    (judgments_at::PROJECT, "project"),
                    (judgments_at::INDICATOR, "indicator"),
                    (judgments_at::TIER, "tier"),
                    (judgments_at::SCORE, "score"),
                    (judgments_at::DEDUCTION, "deduction"),
                    (judgments_at::REASON, "reason"),
                    (judgments_at::SCHEME, "scheme"),
                ],
            ),
        ];
        for (columns, positions) in cases {
            assert_eq!(columns.len(), positions.len());
            for &(at, name) in positions {
                assert_eq!(columns[at].name, name);
            }
        }
    }

    #[test]
    fn cells_are_trimmed_like_str_trim() {
        // The fast path (printable ASCII at both ends) and the full trim must agree.
        for cell in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\r",
            "05-2024-1",
            "\u{3000}法律援助\u{3000}",
            "法律援助",
            "件",
            " 件",
            "件\u{3000}",
            "件\u{2028}",
            "\u{2003}达成",
            "达成年度指标",
            "a件",
            "件a",
            "1\u{A0}",
            "\u{FEFF}件",
            "件\u{FEFF}",
            "\u{4000}",
            "\u{3FFF}",
            "é",
            "x\u{1F600}",
            "a\u{A0}",
            "\u{85}b",
            "x y",
            "\u{1F}",
            "~",
        ] {
            assert_eq!(trim_cell(cell), cell.trim(), "{cell:?}");
        }
    }

    #[test]
    fn problems_are_capped_per_file_errors_first() {
        // a.csv: 3 warnings then 4 errors; b.csv: 1 error. With a cap of 3, a.csv keeps
        // its first 3 errors and a line counting 1 error + 3 warnings; b.csv is untouched.
        let mut p = Problems::default();
        for i in 1..=3 {
            p.push(Problem::warning("a.csv", format!("w{i}")));
        }
        for i in 1..=4 {
            p.push(Problem::error("a.csv", format!("e{i}")));
        }
        p.push(Problem::error("b.csv", "b1"));
        let capped = cap_per_file(p, 3);
        let shown: Vec<&str> = capped.0.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(shown[..3], ["e1", "e2", "e3"]);
        assert!(shown[3].starts_with(
            "4 more problem(s) in this file are not listed (1 error(s), 3 warning(s))"
        ));
        assert_eq!(shown[4], "b1");
        assert_eq!(capped.0.len(), 5);
        assert!(capped.0[3].is_error());
    }
}
