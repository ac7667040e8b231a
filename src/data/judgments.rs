//! Judgments (评价意见): a tier, score or deduction per project and indicator, with the
//! reason.

use rust_decimal::Decimal;
use std::path::Path;

use super::table::{self, RowSource};
use super::{Column, JudgedTier, Judgment, JudgmentRow, PROJECT, ReadOptions, TIER_EXPECTED, col};
use crate::diag::Problems;
use crate::values::fold_width;

pub(super) const JUDGMENT_COLUMNS: &[Column] = &[
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
pub(super) mod judgments_at {
    pub(in crate::data) const PROJECT: usize = 0;
    pub(in crate::data) const INDICATOR: usize = 1;
    pub(in crate::data) const TIER: usize = 2;
    pub(in crate::data) const SCORE: usize = 3;
    pub(in crate::data) const DEDUCTION: usize = 4;
    pub(in crate::data) const REASON: usize = 5;
    pub(in crate::data) const SCHEME: usize = 6;
}

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
/// [`OutputFields`](super::OutputFields)): its project and the judgment.
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

pub(super) fn judgments_from(
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
                            .zh("不认识的档次")
                            .value(t)
                            .expected(TIER_EXPECTED)
                            .zh_expected(crate::judgment::TIER_EXPECTED_ZH),
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
                            .zh("不是分数")
                            .value(t)
                            .expected("points from 0 to 1000000 with at most 2 decimals, such as 3 or 2.5")
                            .zh_expected("0 至 1000000 之间、最多两位小数的分数，如 3 或 2.5"),
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
