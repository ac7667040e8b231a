//! One project scored: from its funds, outputs and judgments (gathered by the batch reader,
//! [`crate::batch`]) to the [`Outcome`] that every renderer reads.

use std::path::Path;
use std::sync::Arc;

use crate::builtin::Builtin;
use crate::data;
use crate::diag::{Code, InputErrors, Problem, Problems};
use crate::i18n::Lang;
use crate::metrics::{Funds, Metrics, OutputValue};
pub use crate::outcome::{Files, Outcome, ProjectInfo, Sources};
use crate::scheme::Scheme;
use crate::scoring::{self, Judgment};
use crate::workspace::Workspace;

/// The files the outcomes of a run name as their sources, made once for all of them.
#[derive(Debug, Clone)]
pub(crate) struct SourceFiles {
    pub paths: Arc<Files>,
    /// The judgments file looked for (`DIR/judgments.csv` when none was given).
    pub judgments: Arc<Path>,
}

impl SourceFiles {
    pub(crate) fn of(setup: &Workspace) -> SourceFiles {
        let judgments = match &setup.inputs.judgments {
            Some(path) => Arc::from(path.as_path()),
            None => Arc::from(setup.dir.join("judgments.csv")),
        };
        let i = &setup.inputs;
        SourceFiles {
            paths: Arc::new(Files {
                budget: i.budget.clone(),
                spending: i.spending.clone(),
                outputs: i.outputs.clone(),
                judgments: i.judgments.clone(),
            }),
            judgments,
        }
    }
}

/// What [`score_one`] is given beside the project's data.
pub(crate) struct ScoreContext {
    /// Rows could not be read: metric problems may be echoes of those errors.
    pub read_errors: bool,
    /// Problems found so far (reported with the result).
    pub problems: Problems,
    /// Warnings about the project's spending rows (dates, vouchers).
    pub spending_problems: Problems,
    pub lang: Lang,
    /// Whether the score sheet holds the texts of the indicators.
    pub detail: scoring::Detail,
    /// The input files, for the outcome's sources.
    pub files: SourceFiles,
}

/// The outputs' metrics given twice, or given where a formula or the funds define them,
/// and the folder's formulas that the scheme defines already.
fn metric_clashes(
    setup: &Workspace,
    scheme: &Scheme,
    pid: &str,
    outputs: &[OutputValue<'_>],
    problems: &mut Problems,
) {
    let outputs_file = setup.inputs.outputs.as_deref();
    for (o, earlier) in outputs.iter().zip(earlier_rows(outputs)) {
        if let Some(first) = earlier {
            problems.push(
                Problem::error(
                    outputs_file.unwrap_or(Path::new("outputs.csv")),
                    format!(
                        "metric \"{}\" is given twice for project {pid} (first on line {first})",
                        o.metric
                    ),
                )
                .zh(format!(
                    "项目 {pid} 的“{}”填了两次（第一次在第 {first} 行）",
                    o.metric
                ))
                .code(Code::DuplicateMetric)
                .at_line(o.line)
                .field("metric")
                .zh_field("指标")
                .value(o.metric)
                .expected("each metric once per project")
                .zh_expected("每个项目的每项数据只填一次"),
            );
        }
        if let Some(def) = scheme
            .metrics
            .iter()
            .chain(&setup.metrics)
            .find(|m| m.id == o.metric)
        {
            problems.push(
                Problem::error(
                    outputs_file.unwrap_or(Path::new("outputs.csv")),
                    format!(
                        "\"{}\" is a formula ({}:{}) and cannot also be given in outputs.csv",
                        o.metric,
                        def.file.display(),
                        def.line
                    ),
                )
                .zh(format!(
                    "“{}”由公式算出（{}:{}），不能再在 outputs.csv 中填写",
                    o.metric,
                    def.file.display(),
                    def.line
                ))
                .code(Code::DuplicateMetric)
                .at_line(o.line)
                .field("metric")
                .zh_field("指标")
                .value(o.metric)
                .expected("a metric name no [[metric]] formula defines")
                .zh_expected("没有 [[metric]] 公式定义的数据名称"),
            );
        }
        if Builtin::parse(o.metric).is_some() {
            problems.push(
                Problem::error(
                    outputs_file.unwrap_or(Path::new("outputs.csv")),
                    format!(
                        "\"{}\" is computed from budget and spending and cannot be given in outputs.csv",
                        o.metric
                    ),
                )
                .zh(format!(
                    "“{}”由预算和支出算出，不能在 outputs.csv 中填写",
                    o.metric
                ))
                .code(Code::DuplicateMetric)
                .at_line(o.line)
                .field("metric")
                .zh_field("指标")
                .value(o.metric),
            );
        }
    }
    for m in &setup.metrics {
        if let Some(other) = scheme.metrics.iter().find(|s| s.id == m.id) {
            problems.push(
                Problem::error(
                    &m.file,
                    format!(
                        "metric \"{}\" is already defined by the scheme (line {})",
                        m.id, other.line
                    ),
                )
                .zh(format!(
                    "派生数据“{}”已由指标体系定义（第 {} 行）",
                    m.id, other.line
                ))
                .code(Code::DuplicateMetric)
                .at_line(m.line)
                .field("metric.id")
                .value(&m.id)
                .expected("a metric id the scheme does not define")
                .zh_expected("指标体系未定义的数据名称"),
            );
        }
    }
}

/// Score one project from its funds, outputs and judgments (already those of the project,
/// borrowed: a batch does not build rows for them): the checks on its outputs, its
/// metrics, the scheme's rules. Shared by the single-project run and the batch.
pub(crate) fn score_one<'a>(
    setup: &Workspace,
    scheme: &Arc<Scheme>,
    project: ProjectInfo,
    funds: Funds,
    outputs: &[OutputValue<'_>],
    judgments: impl IntoIterator<Item = Judgment<'a>>,
    cx: ScoreContext,
) -> Result<Outcome, InputErrors> {
    let ScoreContext {
        read_errors,
        mut problems,
        spending_problems,
        lang,
        detail,
        files,
    } = cx;
    let pid = project.id.as_str();
    // Collected whole, then filtered: one allocation of the right size.
    let mut judgments: Vec<Judgment<'_>> = judgments.into_iter().collect();
    judgments.retain(|j| crate::judgment::is_for_scheme(j.scheme, &scheme.id));
    let outputs_file = setup.inputs.outputs.as_deref();
    metric_clashes(setup, scheme, pid, outputs, &mut problems);
    problems.extend(spending_problems.0);
    if let Some(p) = overspent(&setup.inputs.spending, pid, &funds) {
        problems.push(p);
    }

    let mut metrics = Metrics::new(
        &funds,
        outputs.iter().copied(),
        outputs_file,
        scheme.metrics.iter().chain(&setup.metrics),
    );
    let judgments_file = files.judgments;
    let scored = scoring::score_with(
        scheme,
        &mut metrics,
        &judgments,
        &judgments_file,
        lang,
        detail,
    );
    let (sheet, more) = match scored {
        Ok((sheet, more)) => (Some(sheet), more),
        Err(more) => (None, more),
    };
    if read_errors {
        problems.extend(more.0.into_iter().filter(|p| *p.file == *judgments_file));
    } else {
        problems.extend(more.0);
    }
    let problems = data::cap_per_file(problems, data::MAX_PROBLEMS_PER_FILE);
    match sheet {
        Some(sheet) if !problems.has_errors() => Ok(Outcome {
            // The batch keeps sums only; a run about one project reads its rows again
            // when it shows them (`batch::Rows`).
            sources: Sources {
                paths: Arc::clone(&files.paths),
                judgments_file: Arc::clone(&judgments_file),
                budget: Vec::new(),
                spending: Vec::new(),
                outputs: Vec::new(),
                judgments: Vec::new(),
                metrics: setup.metrics.clone(),
            },
            scheme: Arc::clone(scheme),
            project,
            funds,
            sheet,
            warnings: problems.0,
            wan_places: crate::decimal::WAN_PLACES,
        }),
        _ => Err(InputErrors(problems)),
    }
}

/// Spending above the 全年预算数 or above the funds that arrived (实际到位资金) scores as a
/// rate of 100% or more, which the rules cap at full marks: it must not pass unsaid.
fn overspent(file: &Path, pid: &str, funds: &Funds) -> Option<Problem> {
    use crate::decimal::{fixed, percent};
    let over_budget = funds.spent > funds.adjusted_budget;
    let over_funds = funds.spent > funds.allocated;
    if !over_budget && !over_funds {
        return None;
    }
    let rate = funds
        .execution_rate()
        .map(|r| format!(" (预算执行率 {})", percent(r)))
        .unwrap_or_default();
    let (what, limit) = if over_budget {
        ("its 全年预算数 (adjusted budget)", funds.adjusted_budget)
    } else {
        ("the funds that arrived (实际到位资金)", funds.allocated)
    };
    Some(
        Problem::warning(
            file,
            format!(
                "project {pid} spent {} 元, more than {what} of {} 元{rate}",
                fixed(funds.spent, 2),
                fixed(limit, 2)
            ),
        )
        .zh(format!(
            "项目 {pid} 支出 {} 元，超过{} {} 元{rate}",
            fixed(funds.spent, 2),
            if over_budget { "全年预算数" } else { "实际到位资金" },
            fixed(limit, 2)
        ))
        .code(Code::Overspent)
        .field("amount")
        .zh_field("金额")
        .expected("spending within the budget and the funds that arrived; check for rows of another project or year, or a budget adjustment not entered")
        .zh_expected("支出不超过预算和到位资金；检查是否混入其他项目或年度的支出，或预算调整未录入"),
    )
}

/// For each output, the line of the last row before it that gives the same metric (a
/// metric given twice). Without a map: a batch asks for every project.
fn earlier_rows(outputs: &[OutputValue<'_>]) -> Vec<Option<usize>> {
    // A project has a few dozen outputs: comparing each with the rows before it is
    // cheaper than sorting them, until there are many.
    if outputs.len() <= 32 {
        earlier_rows_scanned(outputs)
    } else {
        earlier_rows_sorted(outputs)
    }
}

fn earlier_rows_scanned(outputs: &[OutputValue<'_>]) -> Vec<Option<usize>> {
    (0..outputs.len())
        .map(|i| {
            let metric = outputs[i].metric;
            outputs[..i]
                .iter()
                .rev()
                .find(|o| o.metric == metric)
                .map(|o| o.line)
        })
        .collect()
}

fn earlier_rows_sorted(outputs: &[OutputValue<'_>]) -> Vec<Option<usize>> {
    let mut by_name: Vec<usize> = (0..outputs.len()).collect();
    // Stable: the rows of a name stay in file order.
    by_name.sort_by_key(|&i| outputs[i].metric);
    let mut earlier = vec![None; outputs.len()];
    for pair in by_name.windows(2) {
        let (a, b) = (&outputs[pair[0]], &outputs[pair[1]]);
        if a.metric == b.metric {
            earlier[pair[1]] = Some(a.line);
        }
    }
    earlier
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn a_metric_given_again_points_at_its_row_before() {
        let units = crate::scheme::Unit::None;
        let output = |line: usize, metric: &'static str| OutputValue {
            line,
            metric,
            value: Decimal::ONE,
            unit: &units,
        };
        let outputs = [
            output(2, "b"),
            output(3, "a"),
            output(4, "b"),
            output(5, "c"),
            output(6, "b"),
            output(7, "a"),
        ];
        // b on 4 repeats line 2 and b on 6 repeats line 4 (the row just before, as the
        // message says "first on line"), a on 7 repeats line 3
        let expected = [None, None, Some(2), None, Some(4), Some(3)];
        assert_eq!(earlier_rows_scanned(&outputs), expected);
        assert_eq!(earlier_rows_sorted(&outputs), expected);
        assert!(earlier_rows(&[]).is_empty());
        // Many rows go the sorted way: 40 rows naming metrics m0…m6 in turn, so row i
        // repeats row i − 7 (lines are i + 2).
        let names = ["m0", "m1", "m2", "m3", "m4", "m5", "m6"];
        let many: Vec<OutputValue<'_>> = (0..40).map(|i| output(i + 2, names[i % 7])).collect();
        let expected: Vec<Option<usize>> = (0..40).map(|i| (i >= 7).then(|| i - 7 + 2)).collect();
        assert_eq!(earlier_rows(&many), expected);
        assert_eq!(earlier_rows_scanned(&many), expected);
    }
}
