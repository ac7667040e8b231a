//! What a run gives: each project's [`Outcome`] (its score sheet, funds, warnings and what
//! they came from) and a batch's summary. Every renderer reads these; none reads a file.

use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Problem, Problems};
use crate::judgment::JudgmentRow;
use crate::metrics::{Funds, Metrics, OutputValue};
use crate::records::{BudgetRow, OutputRow, SpendingRow};
use crate::scheme::{DerivedMetric, Scheme};
use crate::scoring::ScoreSheet;

/// The input files an outcome names (in explanations and the report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    pub budget: PathBuf,
    pub spending: PathBuf,
    pub outputs: Option<PathBuf>,
    pub judgments: Option<PathBuf>,
}

/// The project evaluated, as the 自评表 header names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInfo {
    /// 项目编码
    pub id: String,
    /// 项目名称
    pub name: String,
    /// 年度
    pub year: i32,
    /// 主管部门
    pub department: Option<String>,
    /// 实施单位
    pub unit: Option<String>,
}

/// The result of scoring one evaluation.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Shared by every project a batch scores with it.
    pub scheme: Arc<Scheme>,
    pub project: ProjectInfo,
    pub funds: Funds,
    pub sheet: ScoreSheet,
    /// Warnings found along the way (they do not change the score).
    pub warnings: Vec<Problem>,
    /// The files read and the project's rows in them, for `explain` and the report (a
    /// batch keeps no rows).
    pub sources: Sources,
    /// Decimals of amounts shown in 万元 (四舍五入; [`crate::decimal::WAN_PLACES`] unless
    /// the command line asks otherwise). Amounts in 元 and in JSON stay exact.
    pub wan_places: u32,
}

/// What an outcome was computed from: the input files and, of each, the rows of the
/// project scored (with their line numbers), and the evaluation's own derived metrics.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The input files (shared by every outcome of a run, like `judgments_file`).
    pub paths: Arc<Files>,
    /// The judgments file looked for (`DIR/judgments.csv` when none was given).
    pub judgments_file: Arc<Path>,
    pub budget: Vec<BudgetRow>,
    pub spending: Vec<SpendingRow>,
    pub outputs: Vec<OutputRow>,
    pub judgments: Vec<JudgmentRow>,
    /// `[[metric]]` of evaluation.toml (the scheme's own are in `Outcome::scheme`).
    pub metrics: Vec<DerivedMetric>,
}

impl Outcome {
    pub fn total(&self) -> Decimal {
        self.sheet.total
    }

    /// The project's metrics, computed again from the sources exactly as they were for
    /// scoring: built-in money figures and rates, outputs, derived formulas.
    pub fn metrics(&self) -> Metrics<'_> {
        Metrics::new(
            &self.funds,
            self.sources.outputs.iter().map(OutputValue::from),
            self.sources.paths.outputs.as_deref(),
            self.scheme.metrics.iter().chain(&self.sources.metrics),
        )
    }
}

/// A project that could not be scored, with every problem found for it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub project: String,
    pub name: String,
    pub problems: Problems,
}

/// One line of the summary of a batch: what the table, the CSV and the distribution need
/// of a project scored. The full result is handed to the caller as it is made and not
/// kept, so memory does not hold 20,000 score sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub project: String,
    pub name: String,
    pub department: Option<String>,
    /// 全年预算数
    pub budget: Decimal,
    /// 全年执行数
    pub spent: Decimal,
    /// 预算执行率 (执行数/全年预算数), as printed
    pub execution_rate: Option<Decimal>,
    pub total: Decimal,
    /// The grade and the scheme's id, shared by the many projects that have them.
    pub grade: Arc<str>,
    pub scheme: Arc<str>,
    /// The indicator that lost the most points, as `案件办理质量扣3分：reason` (the first
    /// in scheme order on a tie); `None` when no point was lost.
    pub main_problem: Option<String>,
    /// The codes of the project's warnings (its result lists them): the bureau's summary
    /// counts them.
    pub warnings: Vec<Option<crate::diag::Code>>,
}

impl Summary {
    /// The summary of a result no longer needed: its texts are taken, not copied.
    pub(crate) fn of(o: Outcome) -> Summary {
        Summary {
            main_problem: main_problem(&o.scheme, &o.sheet),
            warnings: o.warnings.iter().map(|p| p.code).collect(),
            execution_rate: o.funds.execution_rate(),
            total: o.total(),
            grade: shared(&o.sheet.grade),
            scheme: shared(&o.scheme.id),
            project: o.project.id,
            name: o.project.name,
            department: o.project.department,
            budget: o.funds.adjusted_budget,
            spent: o.funds.spent,
        }
    }
}

/// Most characters of the reason [`Summary::main_problem`] quotes.
const PROBLEM_CHARS: usize = 60;

/// The indicator that lost the most points (the first in scheme order on a tie), with the
/// reason the judgments give, else its target: `预算执行率扣3分：预算编制偏大…`. The same
/// whether the sheet holds its texts or only its scores (a batch): names and targets come
/// from the scheme, in the sheet's order.
fn main_problem(scheme: &Scheme, sheet: &crate::scoring::ScoreSheet) -> Option<String> {
    let mut worst: Option<(&crate::scoring::IndicatorScore, &crate::scheme::Indicator)> = None;
    for (i, (_, _, ind)) in sheet.indicators.iter().zip(scheme.indicators()) {
        if i.lost() > Decimal::ZERO && worst.is_none_or(|(w, _)| i.lost() > w.lost()) {
            worst = Some((i, ind));
        }
    }
    let (w, ind) = worst?;
    let why = match (&w.reason, &ind.scoring) {
        (Some(r), _) => r.clone(),
        (None, crate::scheme::Scoring::Quantitative { target, .. }) => {
            format!("年度指标值 {target}")
        }
        (None, _) => ind.target_text.clone().unwrap_or_default(),
    };
    let mut shown: String = why.chars().take(PROBLEM_CHARS).collect();
    if shown.len() < why.len() {
        shown.push('…');
    }
    let shown = if shown.is_empty() {
        String::new()
    } else {
        format!("：{shown}")
    };
    Some(format!(
        "{}扣{}分{shown}",
        ind.name,
        crate::decimal::plain(w.lost())
    ))
}

/// One `Arc<str>` per distinct text (grades and scheme ids repeat across projects).
fn shared(text: &str) -> Arc<str> {
    thread_local! {
        static TEXTS: std::cell::RefCell<Vec<Arc<str>>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    TEXTS.with_borrow_mut(|texts| match texts.iter().find(|t| ***t == *text) {
        Some(t) => Arc::clone(t),
        None => {
            let t: Arc<str> = Arc::from(text);
            texts.push(Arc::clone(&t));
            t
        }
    })
}

/// The result of a batch.
#[derive(Debug, Default)]
pub struct Batch {
    /// The projects scored, in project-code order.
    pub scored: Vec<Summary>,
    /// The projects that could not be scored, in project-code order.
    pub failures: Vec<Failure>,
    /// Problems that belong to no project of the budget (a missing column, a row of an
    /// unknown project, a file that cannot be read).
    pub problems: Problems,
    /// Spending rows summed.
    pub spending_rows: usize,
    /// Whether the ledger was summed by the parallel reader.
    pub fast: bool,
    /// Nothing was scored: an error of no project (a file that cannot be read, a missing
    /// column, a row whose project cannot be told) could change any project's figures.
    pub blocked: bool,
}

impl Batch {
    /// Whether anything went wrong: a project failed or a problem of no project is an error.
    pub fn has_errors(&self) -> bool {
        !self.failures.is_empty() || self.problems.has_errors() || self.blocked
    }
}

/// The distribution of the scores of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// Projects per grade, best grade first.
    pub grades: Vec<(String, usize)>,
    pub mean: Option<Decimal>,
    pub median: Option<Decimal>,
    /// Projects whose 预算执行率 is below 80% and below 60%.
    pub below_80: Vec<String>,
    pub below_60: Vec<String>,
    /// Projects that spent more than their 全年预算数: their rate scores full marks, so the
    /// summary names them (JX1104 in each one's result).
    pub over_budget: Vec<String>,
}

/// Count, mean and median, and the projects spending too little.
pub fn distribution(scored: &[Summary]) -> Distribution {
    let mut grades: Vec<(String, usize, Decimal)> = Vec::new();
    for o in scored {
        match grades.iter_mut().find(|g| *g.0 == *o.grade) {
            Some(g) => {
                g.1 += 1;
                g.2 = g.2.max(o.total);
            }
            None => grades.push((o.grade.to_string(), 1, o.total)),
        }
    }
    grades.sort_by_key(|g| std::cmp::Reverse(g.2));
    let mut totals: Vec<Decimal> = scored.iter().map(|o| o.total).collect();
    totals.sort();
    let n = totals.len();
    let mean = (n > 0)
        .then(|| crate::decimal::round_score(totals.iter().sum::<Decimal>() / Decimal::from(n)));
    let median = (n > 0).then(|| {
        let m = if n % 2 == 1 {
            totals[n / 2]
        } else {
            (totals[n / 2 - 1] + totals[n / 2]) / Decimal::TWO
        };
        crate::decimal::round_score(m)
    });
    let below = |limit: Decimal| {
        scored
            .iter()
            .filter(|o| o.execution_rate.is_some_and(|r| r < limit))
            .map(|o| o.project.clone())
            .collect()
    };
    Distribution {
        grades: grades.into_iter().map(|(g, n, _)| (g, n)).collect(),
        mean,
        median,
        below_80: below(Decimal::new(80, 2)),
        below_60: below(Decimal::new(60, 2)),
        over_budget: scored
            .iter()
            .filter(|o| o.spent > o.budget)
            .map(|o| o.project.clone())
            .collect(),
    }
}

/// The projects by score, best first (then by project code).
pub fn ranked(scored: &[Summary]) -> Vec<&Summary> {
    let mut v: Vec<&Summary> = scored.iter().collect();
    v.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| a.project.cmp(&b.project))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn scored(project: &str, total: &str, grade: &str, rate: Option<&str>) -> Summary {
        Summary {
            project: project.into(),
            name: String::new(),
            department: None,
            budget: d("100000"),
            spent: d("0"),
            execution_rate: rate.map(d),
            total: d(total),
            grade: Arc::from(grade),
            scheme: Arc::from("s"),
            main_problem: None,
            warnings: Vec::new(),
        }
    }

    /// Four projects with the totals of issue 17 and execution rates on the list edges.
    fn four() -> Vec<Summary> {
        vec![
            scored("A", "92.25", "优", Some("0.7999")),
            scored("B", "60.50", "中", Some("0.80")),
            scored("C", "81.00", "良", Some("0.5999")),
            scored("D", "70.00", "中", Some("0.60")),
        ]
    }

    #[test]
    fn distribution_of_four_projects_worked_by_hand() {
        let d4 = distribution(&four());
        // Grades by their best total: 优 (92.25) 1, 良 (81.00) 1, 中 (70.00 and 60.50) 2.
        assert_eq!(
            d4.grades,
            [("优".into(), 1), ("良".into(), 1), ("中".into(), 2)]
        );
        // 92.25 + 60.50 + 81.00 + 70.00 = 303.75; 303.75 / 4 = 75.9375 → 75.94
        assert_eq!(d4.mean, Some(d("75.94")));
        // sorted 60.50, 70.00, 81.00, 92.25: (70.00 + 81.00) / 2 = 75.50
        assert_eq!(d4.median, Some(d("75.50")));
        // below 80%: 0.7999 (A), 0.5999 (C) and 0.60 (D); 0.80 (B) is not below. In input
        // order.
        assert_eq!(d4.below_80, ["A", "C", "D"]);
        // below 60%: 0.5999 (C) only; 0.60 (D) is not below.
        assert_eq!(d4.below_60, ["C"]);
    }

    #[test]
    fn an_odd_count_takes_the_middle_total_and_the_mean_is_rounded_half_up() {
        // 92.25, 60.50, 81.00: sorted 60.50, 81.00, 92.25 → median 81.00 (not the mean).
        let three = &four()[..3];
        let d3 = distribution(three);
        assert_eq!(d3.median, Some(d("81.00")));
        // 92.25 + 60.50 + 81.00 = 233.75; 233.75 / 3 = 77.91666… → 77.92
        assert_eq!(d3.mean, Some(d("77.92")));
        // Five, so that the middle (n / 2 = 2) is not n % 2 = 1: sorted 60.50, 70.00, 81.00,
        // 88.00, 92.25 → the third, 81.00; mean (303.75 + 88.00) / 5 = 391.75 / 5 = 78.35.
        let mut five = four();
        five.push(scored("E", "88.00", "良", None));
        let d5 = distribution(&five);
        assert_eq!((d5.mean, d5.median), (Some(d("78.35")), Some(d("81.00"))));
        // A mean and a median on half a fen: (70.01 + 70.00) / 2 = 70.005 → 70.01
        // (四舍五入; banker's rounding and truncation give 70.00).
        let half = [
            scored("E", "70.01", "中", None),
            scored("F", "70.00", "中", None),
        ];
        let dh = distribution(&half);
        assert_eq!((dh.mean, dh.median), (Some(d("70.01")), Some(d("70.01"))));
        // Unknown rates (a zero budget) are on neither list; one grade counted twice.
        assert!(dh.below_80.is_empty() && dh.below_60.is_empty());
        assert_eq!(dh.grades, [("中".into(), 2)]);
    }

    #[test]
    fn no_project_has_no_mean_or_median() {
        let d0 = distribution(&[]);
        assert_eq!((d0.mean, d0.median), (None, None));
        assert!(d0.grades.is_empty() && d0.below_80.is_empty() && d0.below_60.is_empty());
    }

    #[test]
    fn ranking_is_by_total_then_code() {
        let mut v = four();
        v.push(scored("0", "81.00", "良", None));
        let order: Vec<&str> = ranked(&v).iter().map(|s| s.project.as_str()).collect();
        // 92.25 A; 81.00 ties: "0" before "C"; 70.00 D; 60.50 B
        assert_eq!(order, ["A", "0", "C", "D", "B"]);
    }

    #[test]
    fn projects_that_spent_above_their_budget_are_named() {
        let mut at = scored("AT", "90.00", "优", Some("1.00"));
        at.spent = d("100000.00");
        let mut over = scored("OVER", "90.00", "优", Some("1.00"));
        // 100,000.01 of 100,000.00: one fen above, its rate rounds to 100.00%.
        over.spent = d("100000.01");
        let d = distribution(&[at, over]);
        assert_eq!(d.over_budget, ["OVER"]);
    }
}
