//! The spending ledger (支出明细) read row by row: the reference reader the fast one in
//! [`crate::ledger`] is pinned to.

use std::path::Path;

use super::table::{self, RowSource};
use super::{Column, PROJECT, ReadOptions, SpendingRow, col};
use crate::diag::{Code, Problem, Problems};
use crate::values::{self, AMOUNT_EXPECTED, DATE_EXPECTED};

pub(crate) const SPENDING_COLUMNS: &[Column] = &[
    PROJECT,
    col("date", &["日期", "支付日期"], true),
    col("amount", &["金额", "支出金额"], true),
    col("voucher", &["凭证号", "凭证编号"], false),
    col("category", &["支出类别", "支出科目"], false),
    col("description", &["摘要"], false),
    col("source", &["资金来源"], false),
];

/// Positions in [`SPENDING_COLUMNS`].
pub(super) mod spending_at {
    pub(in crate::data) const PROJECT: usize = 0;
    pub(in crate::data) const DATE: usize = 1;
    pub(in crate::data) const AMOUNT: usize = 2;
    pub(in crate::data) const VOUCHER: usize = 3;
    pub(in crate::data) const CATEGORY: usize = 4;
    pub(in crate::data) const DESCRIPTION: usize = 5;
    pub(in crate::data) const SOURCE: usize = 6;
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

pub(super) fn spending_from(
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
                        problems.push(
                            row.bad_value("date", e, &t)
                                .expected(DATE_EXPECTED)
                                .zh_expected(values::DATE_EXPECTED_ZH),
                        );
                        None
                    }
                });
        let amount = match row.amount(spending_at::AMOUNT, problems) {
            Some(Some(v)) => Some(v),
            Some(None) => {
                problems.push(
                    row.problem("amount", "empty required field")
                        .zh("必填项为空")
                        .expected(AMOUNT_EXPECTED)
                        .zh_expected(values::AMOUNT_EXPECTED_ZH),
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
                source: row.get(spending_at::SOURCE).map(str::to_string),
            });
        }
    });
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
    .zh(format!(
        "项目 {project} 的凭证号 {voucher} 在第 {first} 行也出现"
    ))
    .code(Code::DuplicateVoucher)
    .at_line(line)
    .field("voucher")
    .zh_field("凭证号")
    .value(voucher)
    .expected("each voucher number once per project, unless the payment was split")
    .zh_expected("同一项目的凭证号只出现一次（拆分支付的除外）")
}

/// The warning for `count` rows dated outside `year`, the first lines `shown`.
pub fn outside_year_problem(
    file: &Path,
    year: i32,
    count: usize,
    shown: &[String],
    first_line: Option<usize>,
    problems: &mut Problems,
) {
    if let Some(first) = first_line {
        problems.push(
            Problem::warning(
                file,
                format!(
                    "{} spending row(s) dated outside {} ({} {}{})",
                    count,
                    year,
                    if count == 1 { "line" } else { "lines" },
                    shown.join(", "),
                    if count > 5 { ", …" } else { "" }
                ),
            )
            .zh(format!(
                "{count} 笔支出的日期不在 {year} 年内（第 {} 行{}）",
                shown.join("、"),
                if count > 5 { "……" } else { "" }
            ))
            .code(Code::SpendingOutsideYear)
            .at_line(first)
            .field("date")
            .zh_field("日期"),
        );
    }
}
