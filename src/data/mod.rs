//! Readers for the four input files: budget (预算), spending (支出明细), outputs (产出)
//! and judgments (评价意见), each a CSV file (UTF-8 or GB18030) or an Excel sheet. Columns
//! are found by English name or Chinese header; every bad row is reported with file, line,
//! field and value, and reading goes on so that one run lists all problems.

mod budget;
pub mod encoding;
mod judgments;
mod monitoring;
mod outputs;
mod projects;
#[cfg(feature = "xlsx")]
pub mod sheet;
mod spending;
pub(crate) mod table;

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Problem, Problems, Severity};
use crate::values::{self, AMOUNT_EXPECTED};
pub use budget::read_budget;
pub use encoding::EncodingChoice;
pub use judgments::{JudgmentFields, each_judgment, read_judgments};
pub use monitoring::{CAUSE_EXPECTED, LIKELIHOOD_EXPECTED, MONITORING_FILE, read_monitoring};
pub use outputs::{OutputFields, each_output, read_outputs};
pub use projects::{PROJECTS_FILE, ProjectRow, read_projects};
pub(crate) use spending::SPENDING_COLUMNS;
pub use spending::{duplicate_voucher_problem, each_spending, outside_year_problem, read_spending};
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

/// A column as a Chinese header names it: its first alias (金额 for `amount`), else its name.
pub(crate) fn zh_column(columns: &[Column], name: &str) -> String {
    columns
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.aliases.first())
        .map_or_else(|| name.to_string(), |a| (*a).to_string())
}

const PROJECT: Column = col("project", &["项目编码", "项目代码", "项目编号"], true);

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

    /// A problem with the row's `field`, named in Chinese by its column's header.
    fn problem(&self, field: &str, message: impl Into<String>) -> Problem {
        Problem::error(self.path, message)
            .code(Code::BadField)
            .at_line(self.line)
            .field(field)
            .zh_field(zh_column(self.columns, field))
    }

    /// A value that cannot be read, in both languages.
    fn bad_value(&self, field: &str, e: values::ValueError, text: &str) -> Problem {
        self.problem(field, e.en).zh(e.zh).value(text)
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
                let zh = zh_column(self.columns, field);
                problems.push(
                    self.problem(field, "empty required field")
                        .zh("必填项为空")
                        .expected(format!("a value in column \"{field}\""))
                        .zh_expected(format!("“{zh}”列须填写")),
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
                problems.push(
                    self.bad_value(field, e, text)
                        .expected(AMOUNT_EXPECTED)
                        .zh_expected(values::AMOUNT_EXPECTED_ZH),
                );
                None
            }
        }
    }
}

pub use crate::judgment::{JudgedTier, Judgment, JudgmentRow, TIER_EXPECTED};
pub use crate::records::{BudgetRow, OutputRow, SpendingRow};

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
        InputKind::Budget => inputs.budget = budget::budget_from(label, source, problems),
        InputKind::Spending => inputs.spending = spending::spending_from(label, source, problems),
        InputKind::Outputs => inputs.outputs = outputs::outputs_from(label, source, problems),
        InputKind::Judgments => {
            inputs.judgments = judgments::judgments_from(label, source, problems);
        }
    }
    inputs
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
            )
            .zh(format!(
                "此文件还有 {} 个问题未列出（{e} 个错误，{w} 个警告）；请先改正以上各项后再运行",
                e + w
            ));
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
    use super::budget::{BUDGET_COLUMNS, budget_at};
    use super::judgments::{JUDGMENT_COLUMNS, judgments_at};
    use super::outputs::{OUTPUT_COLUMNS, outputs_at};
    use super::projects::{PROJECTS_COLUMNS, projects_at};
    use super::spending::spending_at;
    use super::*;

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
                    (spending_at::SOURCE, "source"),
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
                    (outputs_at::DATE, "date"),
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
