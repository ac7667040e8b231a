//! Readers for the four input files: budget (预算), spending (支出明细), outputs (产出)
//! and judgments (评价意见). Columns are found by English name or Chinese header; every
//! bad row is reported with file, line, field and value, and reading goes on so that one
//! run lists all problems.

pub mod parse;

use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

use crate::diag::{Problem, Problems};
use crate::scheme::Unit;
use parse::{AMOUNT_EXPECTED, DATE_EXPECTED, Date, VALUE_EXPECTED, fold_width};

/// A column: its English name, Chinese headers also accepted, and whether it is required.
struct Column {
    name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
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

const SPENDING_COLUMNS: &[Column] = &[
    PROJECT,
    col("date", &["日期", "支付日期"], true),
    col("amount", &["金额", "支出金额"], true),
    col("voucher", &["凭证号", "凭证编号"], false),
    col("category", &["支出类别", "支出科目"], false),
    col("description", &["摘要"], false),
];

const OUTPUT_COLUMNS: &[Column] = &[
    PROJECT,
    col("metric", &["指标"], true),
    col("value", &["数值", "实际完成值"], true),
    col("unit", &["单位", "计量单位"], false),
    col("note", &["备注", "说明"], false),
];

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

/// One data row of a CSV file with its columns resolved.
struct Row<'a> {
    path: &'a Path,
    line: usize,
    record: csv::StringRecord,
    index: &'a [Option<usize>],
    columns: &'static [Column],
}

impl Row<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        let i = self.columns.iter().position(|c| c.name == name)?;
        let v = self.record.get(self.index[i]?)?.trim();
        (!v.is_empty()).then_some(v)
    }

    fn problem(&self, field: &str, message: impl Into<String>) -> Problem {
        Problem::error(self.path, message)
            .at_line(self.line)
            .field(field)
    }

    /// A required text field; reports an error when empty.
    fn required(&self, field: &str, problems: &mut Problems) -> Option<String> {
        match self.get(field) {
            Some(v) => Some(v.to_string()),
            None => {
                problems.push(
                    self.problem(field, "empty required field")
                        .expected(format!("a value in column \"{field}\"")),
                );
                None
            }
        }
    }

    fn amount(&self, field: &str, problems: &mut Problems) -> Option<Option<Decimal>> {
        let Some(text) = self.get(field) else {
            return Some(None);
        };
        match parse::parse_amount(text) {
            Ok(v) => Some(Some(v)),
            Err(e) => {
                problems.push(self.problem(field, e).value(text).expected(AMOUNT_EXPECTED));
                None
            }
        }
    }
}

/// Read a CSV file, resolve its header, and hand each non-blank row to `each`.
fn read_csv(
    path: &Path,
    columns: &'static [Column],
    problems: &mut Problems,
    mut each: impl FnMut(Row<'_>, &mut Problems),
) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(
                Problem::error(path, format!("cannot open: {e}")).expected("a readable CSV file"),
            );
            return;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let mut lines = LineCounter::new(&bytes);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(csv_problem(path, &e, &mut lines));
            return;
        }
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        problems.push(
            Problem::error(path, "the file is empty: no header row")
                .at_line(1)
                .expected(format!(
                    "a header row naming the columns ({})",
                    column_list(columns)
                )),
        );
        return;
    }
    let Some(index) = resolve_header(path, &headers, columns, problems) else {
        return;
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                let line = lines.record_line(record.position().map_or(0, |p| p.byte() as usize));
                // More fields than the header usually means an unquoted thousands separator:
                // 7,200.00 read as two fields would silently lose money.
                if record.len() > headers.len()
                    && record
                        .iter()
                        .skip(headers.len())
                        .any(|f| !f.trim().is_empty())
                {
                    problems.push(
                        Problem::error(
                            path,
                            format!(
                                "the row has {} fields but the header has {}",
                                record.len(),
                                headers.len()
                            ),
                        )
                        .at_line(line)
                        .value(record.iter().collect::<Vec<_>>().join(","))
                        .expected(
                            "one field per column; quote values that contain a comma, e.g. \"7,200.00\"",
                        ),
                    );
                    continue;
                }
                each(
                    Row {
                        path,
                        line,
                        record: record.clone(),
                        index: &index,
                        columns,
                    },
                    problems,
                );
            }
            Err(e) => {
                problems.push(csv_problem(path, &e, &mut lines));
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
}

/// Turns byte offsets of records into 1-based line numbers. The csv crate's own line count
/// is taken before the previous row's terminator is consumed, so it is one short after a
/// CRLF or a blank line; counting `\n` up to the record's first byte is exact.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            pos: 0,
            line: 1,
        }
    }

    /// The line of the record whose position is `byte` (offsets only grow).
    fn record_line(&mut self, byte: usize) -> usize {
        let mut start = byte.min(self.bytes.len());
        // Skip the previous terminator and blank lines the position may still point at.
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.pos {
            self.line += self.bytes[self.pos..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.pos = start;
        }
        self.line
    }
}

fn column_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| {
            let name = format!("{} ({})", c.name, c.aliases.join("/"));
            if c.required {
                name
            } else {
                format!("[{name}]")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn csv_problem(path: &Path, e: &csv::Error, lines: &mut LineCounter<'_>) -> Problem {
    let mut p = Problem::error(path, e.to_string());
    if let Some(pos) = e.position() {
        p = p.at_line(lines.record_line(pos.byte() as usize));
    }
    if let csv::ErrorKind::Utf8 { .. } = e.kind() {
        p.message = "the file is not valid UTF-8".into();
        p = p.expected("UTF-8 text (save the CSV as \"CSV UTF-8\")");
    }
    p
}

/// Normalise a header cell: trim, fold full-width characters, lowercase ASCII.
fn normalise_header(h: &str) -> String {
    fold_width(h).trim().to_ascii_lowercase()
}

/// Map each known column to its position in the header; report missing required columns
/// (listing the columns found and expected) and columns given twice.
fn resolve_header(
    path: &Path,
    headers: &csv::StringRecord,
    columns: &'static [Column],
    problems: &mut Problems,
) -> Option<Vec<Option<usize>>> {
    let found: Vec<String> = headers.iter().map(normalise_header).collect();
    let mut index = Vec::with_capacity(columns.len());
    let mut ok = true;
    for c in columns {
        let matches: Vec<usize> = found
            .iter()
            .enumerate()
            .filter(|(_, h)| *h == c.name || c.aliases.iter().any(|a| normalise_header(a) == **h))
            .map(|(i, _)| i)
            .collect();
        if matches.len() > 1 {
            problems.push(
                Problem::error(
                    path,
                    format!("column \"{}\" appears {} times", c.name, matches.len()),
                )
                .at_line(1)
                .field(c.name)
                .expected("each column once"),
            );
            ok = false;
        }
        if matches.is_empty() && c.required {
            problems.push(
                Problem::error(
                    path,
                    format!("missing column \"{}\" ({})", c.name, c.aliases.join("/")),
                )
                .at_line(1)
                .field(c.name)
                .value(headers.iter().collect::<Vec<_>>().join(","))
                .expected(format!("columns {} ([…] optional)", column_list(columns))),
            );
            ok = false;
        }
        index.push(matches.first().copied());
    }
    ok.then_some(index)
}

/// One row of budget.csv: one funding source of one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRow {
    pub line: usize,
    pub project: String,
    pub name: String,
    pub year: i32,
    /// 年初预算数
    pub initial_budget: Decimal,
    /// 全年预算数 (defaults to the initial budget)
    pub adjusted_budget: Decimal,
    /// 实际到位资金 (defaults to the adjusted budget)
    pub allocated: Decimal,
    /// 资金来源: 当年财政拨款 / 上年结转 / 其他资金
    pub source: Option<String>,
}

pub fn read_budget(path: &Path, problems: &mut Problems) -> Vec<BudgetRow> {
    let mut out = Vec::new();
    read_csv(path, BUDGET_COLUMNS, problems, |row, problems| {
        let project = row.required("project", problems);
        let name = row.required("name", problems);
        let year = row.required("year", problems).and_then(|y| {
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
        let initial = row.amount("initial_budget", problems);
        let adjusted = row.amount("adjusted_budget", problems);
        let allocated = row.amount("allocated", problems);
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
                        .value(row.get(field).unwrap_or(""))
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
                source: row.get("source").map(str::to_string),
            });
        }
    });
    out
}

/// One row of spending.csv (支出明细): a payment, or a reversal when negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendingRow {
    pub line: usize,
    pub project: String,
    pub date: Date,
    pub amount: Decimal,
    pub voucher: Option<String>,
    pub category: Option<String>,
    pub description: Option<String>,
}

pub fn read_spending(path: &Path, problems: &mut Problems) -> Vec<SpendingRow> {
    let mut out = Vec::new();
    read_csv(path, SPENDING_COLUMNS, problems, |row, problems| {
        let project = row.required("project", problems);
        let date = row
            .required("date", problems)
            .and_then(|t| match parse::parse_date(&t) {
                Ok(d) => Some(d),
                Err(e) => {
                    problems.push(row.problem("date", e).value(t).expected(DATE_EXPECTED));
                    None
                }
            });
        let amount = match row.amount("amount", problems) {
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
            out.push(SpendingRow {
                line: row.line,
                project,
                date,
                amount,
                voucher: row.get("voucher").map(str::to_string),
                category: row.get("category").map(str::to_string),
                description: row.get("description").map(str::to_string),
            });
        }
    });
    out
}

/// One row of outputs.csv (产出): a measured value of a named metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputRow {
    pub line: usize,
    pub project: String,
    pub metric: String,
    /// Base value: a percentage is stored as a fraction, 万元 as 元.
    pub value: Decimal,
    pub unit: Unit,
    pub note: Option<String>,
}

pub fn read_outputs(path: &Path, problems: &mut Problems) -> Vec<OutputRow> {
    let mut out = Vec::new();
    read_csv(path, OUTPUT_COLUMNS, problems, |row, problems| {
        let project = row.required("project", problems);
        let metric =
            row.required("metric", problems).and_then(|m| {
                if crate::scheme::is_identifier(&m) {
                    Some(m)
                } else {
                    problems.push(row.problem("metric", "not a metric id").value(m).expected(
                        "letters, digits and _, starting with a letter (e.g. cases_civil)",
                    ));
                    None
                }
            });
        let unit_text = row.get("unit").unwrap_or("");
        let value = row
            .required("value", problems)
            .and_then(|t| match parse::parse_value(&t) {
                Ok(v) => Some(v),
                Err(e) => {
                    problems.push(row.problem("value", e).value(t).expected(VALUE_EXPECTED));
                    None
                }
            });
        if let (Some(project), Some(metric), Some((raw, percent_sign))) = (project, metric, value) {
            let unit = if percent_sign {
                Unit::Percent
            } else {
                Unit::parse(unit_text)
            };
            if percent_sign && !matches!(Unit::parse(unit_text), Unit::None | Unit::Percent) {
                problems.push(
                    row.problem("unit", "a percentage value with a different unit")
                        .value(unit_text)
                        .expected("unit % or empty for a value written with %"),
                );
                return;
            }
            out.push(OutputRow {
                line: row.line,
                project,
                metric,
                value: unit.to_base(raw),
                unit,
                note: row.get("note").map(str::to_string),
            });
        }
    });
    out
}

/// A judged tier: one of the three official tiers, or not applicable (不适用).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JudgedTier {
    Tier(crate::scoring::rules::Tier),
    NotApplicable,
}

/// One row of judgments.csv (评价意见).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgmentRow {
    pub line: usize,
    pub project: String,
    pub indicator: String,
    pub tier: Option<JudgedTier>,
    /// 得分: the judged score (qualitative or manual indicators).
    pub score: Option<Decimal>,
    /// 扣分: points taken off any indicator.
    pub deduction: Option<Decimal>,
    /// 扣分原因 / 偏差原因
    pub reason: Option<String>,
    /// The scheme id the judgment was made under; rows for another scheme are ignored.
    /// Empty = any scheme.
    pub scheme: Option<String>,
    /// A field of the row could not be read (already reported); the indicator is not scored.
    pub invalid: bool,
}

pub const TIER_EXPECTED: &str =
    "达成年度指标, 部分达成年度指标并具有一定效果, 未达成年度指标且效果较差 or 不适用";

pub fn read_judgments(path: &Path, problems: &mut Problems) -> Vec<JudgmentRow> {
    let mut out = Vec::new();
    read_csv(path, JUDGMENT_COLUMNS, problems, |row, problems| {
        let project = row.required("project", problems);
        let indicator = row.required("indicator", problems);
        let mut ok = true;
        let tier = match row.get("tier") {
            None => None,
            Some("不适用" | "n/a" | "N/A" | "not_applicable") => Some(JudgedTier::NotApplicable),
            Some(t) => match crate::scoring::rules::Tier::parse(t) {
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
        let mut number = |field: &str| -> Option<Decimal> {
            let t = row.get(field)?;
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
        let score = number("score");
        let deduction = number("deduction");
        // A row with a bad field is kept (marked invalid) so that its indicator is not also
        // reported as unjudged: its problem has been reported once already.
        if let (Some(project), Some(indicator)) = (project, indicator) {
            out.push(JudgmentRow {
                line: row.line,
                project,
                indicator,
                tier,
                score,
                deduction,
                reason: row.get("reason").map(str::to_string),
                scheme: row.get("scheme").map(str::to_string),
                invalid: !ok,
            });
        }
    });
    out
}

/// Where the four inputs of an evaluation are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputPaths {
    pub budget: PathBuf,
    pub spending: PathBuf,
    pub outputs: Option<PathBuf>,
    pub judgments: Option<PathBuf>,
}

/// Every row of the four inputs.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub budget: Vec<BudgetRow>,
    pub spending: Vec<SpendingRow>,
    pub outputs: Vec<OutputRow>,
    pub judgments: Vec<JudgmentRow>,
}

/// Read all four files, collecting every problem.
pub fn read_inputs(paths: &InputPaths, problems: &mut Problems) -> Inputs {
    Inputs {
        budget: read_budget(&paths.budget, problems),
        spending: read_spending(&paths.spending, problems),
        outputs: paths
            .outputs
            .as_deref()
            .map(|p| read_outputs(p, problems))
            .unwrap_or_default(),
        judgments: paths
            .judgments
            .as_deref()
            .map(|p| read_judgments(p, problems))
            .unwrap_or_default(),
    }
}
