//! The budget (预算): a row per project and funding source, with the project's name, year
//! and amounts.

use rust_decimal::Decimal;
use std::path::Path;

use super::table::{self, RowSource};
use super::{BudgetRow, Column, PROJECT, ReadOptions, col};
use crate::diag::Problems;
use crate::values::{AMOUNT_EXPECTED, fold_width};

pub(super) const BUDGET_COLUMNS: &[Column] = &[
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
pub(super) mod budget_at {
    pub(in crate::data) const PROJECT: usize = 0;
    pub(in crate::data) const NAME: usize = 1;
    pub(in crate::data) const YEAR: usize = 2;
    pub(in crate::data) const INITIAL_BUDGET: usize = 3;
    pub(in crate::data) const ADJUSTED_BUDGET: usize = 4;
    pub(in crate::data) const ALLOCATED: usize = 5;
    pub(in crate::data) const SOURCE: usize = 6;
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

pub(super) fn budget_from(
    path: &Path,
    source: Box<dyn RowSource>,
    problems: &mut Problems,
) -> Vec<BudgetRow> {
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
                            .zh("不是年度")
                            .value(y)
                            .expected("a year such as 2022")
                            .zh_expected("年度，如 2022"),
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
                        .zh("必填项为空")
                        .expected(AMOUNT_EXPECTED)
                        .zh_expected(crate::values::AMOUNT_EXPECTED_ZH),
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
                        .zh("预算金额不能为负数")
                        .value(row.named(field).unwrap_or(""))
                        .expected("an amount ≥ 0")
                        .zh_expected("不小于 0 的金额"),
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
