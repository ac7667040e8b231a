//! `jixiao monitor`: mid-year performance monitoring (绩效运行监控, "双监控") of one project,
//! as of a date, with the warning lights of the national platform (财预〔2019〕136号).
//!
//! From the same folder `score` reads ([`crate::workspace`]): spending to the as-of date
//! from the ledger (rows dated after it excluded and counted), outputs to the date (the
//! latest dated value of each metric at or before it; a value with no date is the year's,
//! not yet known mid-year), and the sheet the officer fills (`monitoring.csv`: causes of
//! deviation, likelihood, projections). The rules are in [`rules`], the thresholds in a
//! [`profile`]; renderers in [`render`] and [`xlsx`].

pub mod bureau;
pub mod check;
pub mod load;
pub mod profile;
pub mod render;
pub mod rules;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::decimal::round_half_up;
use crate::diag::{Code, Problem, Problems};
use crate::judgment::Tier;
use crate::metrics::{Funds, MetricError, Metrics, OutputValue};
use crate::records::{BudgetRow, Cause, Likelihood, MonitoringRow, OutputRow};
use crate::scheme::{Comparator, DerivedMetric, DimensionKind, Rule, Scheme, Scoring, Unit};
use crate::values::Date;
use profile::{Denominator, Profile};

/// A warning light (预警灯).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Light {
    Green,
    Blue,
    Yellow,
    Red,
}

impl Light {
    /// How bad: the goal light is the worst (red 3, yellow 2, blue 1, green 0).
    pub fn severity(self) -> u8 {
        match self {
            Light::Green => 0,
            Light::Blue => 1,
            Light::Yellow => 2,
            Light::Red => 3,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Blue => "blue",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Light::Green => "绿灯",
            Light::Blue => "蓝灯",
            Light::Yellow => "黄灯",
            Light::Red => "红灯",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Blue => "blue",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }
}

/// How an indicator is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 正向 (≥, >, = A with A > 0): against the target prorated by 序时进度.
    Positive,
    /// 反向 (≤, <): within the ceiling or past it.
    Reverse,
    /// = 0: zero or not.
    EqualZero,
    /// 定性 (and checklists, manual scores): the tier reached so far, from monitoring.csv.
    Qualitative,
}

/// Where a projected year-end figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectionSource {
    /// Typed by the department in monitoring.csv (its line).
    Given,
    /// Computed: the value to date ÷ the fraction of the year (按序时进度推算).
    RunRate,
    /// The value to date as it stands (a rate, a ceiling, a zero target).
    AsItStands,
}

/// A projected year-end figure (全年预计执行数 / 全年预计完成值).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Projection {
    /// Base units (元, a fraction for a rate).
    pub value: Decimal,
    pub source: ProjectionSource,
    /// The line of monitoring.csv, when given there.
    pub line: Option<usize>,
}

/// Why an indicator has no light.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoLight {
    /// No value dated at or before the as-of date (a yearly value is not one).
    NoDataYet { metric: String },
    /// A qualitative indicator whose tier so far monitoring.csv does not give.
    NoTier,
    /// The value cannot be computed to date (a division by zero, …).
    Unavailable { metric: String, why: String },
}

/// The budget side of a project, to the as-of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetStatus {
    /// 年初预算数
    pub initial_budget: Decimal,
    /// 调整后预算数 (全年预算数)
    pub adjusted_budget: Decimal,
    /// 实际到位资金
    pub allocated: Decimal,
    /// The figure 执行率 divides by, and its value.
    pub denominator: Denominator,
    pub base: Decimal,
    /// 1–X月执行数: the rows dated from the year's first day to the as-of date.
    pub spent: Decimal,
    pub rows: usize,
    /// Rows dated after the as-of date: excluded, counted.
    pub rows_after: usize,
    /// Rows dated before the budget's year: excluded, counted.
    pub rows_before: usize,
    /// 全年预计执行数
    pub projected: Option<Projection>,
}

/// One monitored indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorStatus {
    pub id: String,
    pub name: String,
    pub dimension: DimensionKind,
    pub group: String,
    pub kind: Kind,
    /// The metric it reads (quantitative indicators).
    pub metric: Option<String>,
    /// 年度指标值 as written.
    pub target_text: String,
    pub comparator: Option<Comparator>,
    /// The target in base units, and its unit.
    pub target: Option<Decimal>,
    pub unit: Unit,
    /// 1–X月实际完成值 (base units) and the latest date of the outputs it came from.
    pub actual: Option<Decimal>,
    pub actual_date: Option<Date>,
    /// The qualitative tier so far.
    pub tier: Option<Tier>,
    /// What is expected by now (年度指标值 × 序时进度; the target itself when not prorated).
    pub expected: Option<Decimal>,
    /// 实际完成值 ÷ expected × 100, two decimals (positive indicators).
    pub ratio: Option<Decimal>,
    pub light: Option<Light>,
    pub no_light: Option<NoLight>,
    /// 全年预计完成值
    pub projected: Option<Projection>,
    /// Whether the year's target can be met (the department's word, else the projection).
    pub achievable: Option<bool>,
    /// From monitoring.csv.
    pub causes: Vec<Cause>,
    pub reason: Option<String>,
    pub likelihood: Option<Likelihood>,
    pub note: Option<String>,
    pub action: Option<String>,
    /// The line of monitoring.csv that speaks of it.
    pub line: Option<usize>,
}

/// A project monitored as of a date: what every renderer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monitor {
    pub as_of: Date,
    pub project: crate::outcome::ProjectInfo,
    pub scheme: String,
    pub profile: Profile,
    pub months: u32,
    /// 序时进度 as printed (a fraction with four places: 0.5833 = 58.33%).
    pub time_progress: Decimal,
    pub budget: BudgetStatus,
    /// 1–X月执行率 as printed.
    pub execution_rate: Option<Decimal>,
    /// 执行率 ÷ 序时进度 × 100.
    pub budget_ratio: Option<Decimal>,
    pub budget_light: Option<Light>,
    pub indicators: Vec<IndicatorStatus>,
    pub goal_light: Option<Light>,
    pub combined_light: Option<Light>,
    /// The project's row of monitoring.csv: the causes of a spending deviation, its note
    /// and corrective action, and its line.
    pub causes: Vec<Cause>,
    pub reason: Option<String>,
    pub line: Option<usize>,
    pub note: Option<String>,
    pub action: Option<String>,
    /// The files read, for the table's footer.
    pub files: MonitorFiles,
    pub warnings: Vec<Problem>,
}

/// The files a monitoring run read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonitorFiles {
    pub spending: PathBuf,
    pub outputs: Option<PathBuf>,
    pub monitoring: Option<PathBuf>,
}

/// One project's inputs, read ([`load`]).
#[derive(Debug, Clone)]
pub struct Inputs {
    pub project: crate::outcome::ProjectInfo,
    pub scheme: Arc<Scheme>,
    /// The evaluation's `[[metric]]` bindings.
    pub metrics: Vec<DerivedMetric>,
    pub budget: Vec<BudgetRow>,
    /// The ledger summed to the as-of date.
    pub spending: SpendingToDate,
    pub outputs: Vec<OutputRow>,
    pub monitoring: Vec<MonitoringRow>,
    pub files: MonitorFiles,
    /// Warnings found reading the project's rows.
    pub warnings: Vec<Problem>,
}

/// A project's ledger summed to the as-of date, as it streams: no row is kept. The rule
/// of which rows are summed is the ledger's ([`crate::ledger::place`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpendingToDate {
    /// 1–X月执行数: rows dated from the year's first day to the as-of date.
    pub spent: Decimal,
    pub rows: usize,
    /// Rows dated after the as-of date (excluded).
    pub rows_after: usize,
    /// Rows dated before the year (excluded).
    pub rows_before: usize,
}

impl From<&crate::ledger::ProjectSpending> for SpendingToDate {
    /// A project's spending from the ledger summed with the as-of date as its limit.
    fn from(s: &crate::ledger::ProjectSpending) -> Self {
        SpendingToDate {
            spent: s.spent,
            rows: s.rows,
            rows_after: s.after,
            rows_before: s.before,
        }
    }
}

/// Monitor a project as of a date by the profile's rules. Problems: two values of a metric
/// on the same date, rows of monitoring.csv about no indicator of the scheme or given
/// twice, a projection in % for a target that is not.
pub fn monitor(inputs: &Inputs, profile: &Profile, as_of: Date) -> Result<Monitor, Problems> {
    let mut problems = Problems::default();
    let fraction = rules::time_fraction(as_of, profile.time_progress);
    let time_progress = rules::time_progress(as_of, profile.time_progress);
    let budget = budget_status(inputs, profile);
    let execution_rate = rules::execution_rate(budget.spent, budget.base);
    let budget_ratio = execution_rate.and_then(|r| rules::ratio(r, time_progress));
    let budget_light = budget_ratio.map(|r| rules::budget_light(r, &profile.budget));
    let outputs = outputs_to_date(inputs, as_of, &mut problems);
    let sheet = sheet_rows(inputs, profile, &mut problems);
    let sheet_file = inputs
        .files
        .monitoring
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::data::MONITORING_FILE));
    let funds = Funds {
        spent: budget.spent,
        ..Funds::from_rows(&inputs.budget, [])
    };
    let mut metrics = Metrics::new(
        &funds,
        outputs.iter().map(|(o, _)| OutputValue::from(*o)),
        inputs.files.outputs.as_deref(),
        inputs.scheme.metrics.iter().chain(&inputs.metrics),
    );
    let when = When {
        fraction,
        time_progress,
    };
    let mut indicators = Vec::new();
    for (d, g, i) in inputs.scheme.indicators() {
        if !profile.dimensions.contains(&d.kind) || i.is_execution_rate() {
            continue;
        }
        let row = sheet.iter().find(|r| r.indicator.as_deref() == Some(&i.id));
        let mut status = indicator_status(i, d.kind, &g.name, &mut metrics, &when, profile);
        if let Some(kind) = status.unit_kind_mismatch(row, &sheet_file) {
            problems.push(kind);
        }
        status.latest(&outputs);
        status.fill_from_sheet(row, &when, profile);
        indicators.push(status);
    }
    if problems.has_errors() {
        return Err(problems);
    }
    // A bureau keeps every project's result: no room left over from growing.
    indicators.shrink_to_fit();
    let goal_light = rules::goal_light(indicators.iter().filter_map(|i| i.light));
    let any_unachievable = indicators.iter().any(|i| i.achievable == Some(false));
    let combined_light = budget_light.map(|b| rules::combined_light(b, any_unachievable));
    let project_row = sheet.iter().find(|r| r.indicator.is_none());
    let mut budget = budget;
    budget.projected = Some(
        match project_row.and_then(|r| r.projected.map(|v| (v, r.line))) {
            Some((value, line)) => Projection {
                value,
                source: ProjectionSource::Given,
                line: Some(line),
            },
            None => Projection {
                value: rules::run_rate(budget.spent, fraction, 2).unwrap_or(budget.spent),
                source: ProjectionSource::RunRate,
                line: None,
            },
        },
    );
    Ok(Monitor {
        as_of,
        project: inputs.project.clone(),
        scheme: inputs.scheme.id.clone(),
        profile: profile.clone(),
        months: as_of.month,
        time_progress,
        budget,
        execution_rate,
        budget_ratio,
        budget_light,
        indicators,
        goal_light,
        combined_light,
        causes: project_row.map(|r| r.causes.clone()).unwrap_or_default(),
        reason: project_row.and_then(|r| r.reason.clone()),
        line: project_row.map(|r| r.line),
        note: project_row.and_then(|r| r.note.clone()),
        action: project_row.and_then(|r| r.action.clone()),
        files: inputs.files.clone(),
        warnings: inputs.warnings.iter().cloned().chain(problems.0).collect(),
    })
}

/// The moment monitored.
struct When {
    /// The exact fraction of the year (for run-rate projections).
    fraction: Decimal,
    /// 序时进度 as printed (for the lights).
    time_progress: Decimal,
}

/// The budget figures, and the spending to the as-of date (the rows after it, and before
/// the year, excluded and counted).
fn budget_status(inputs: &Inputs, profile: &Profile) -> BudgetStatus {
    let funds = Funds::from_rows(&inputs.budget, []);
    let SpendingToDate {
        spent,
        rows,
        rows_after,
        rows_before,
    } = inputs.spending;
    let base = match profile.denominator {
        Denominator::AdjustedBudget => funds.adjusted_budget,
        Denominator::InitialBudget => funds.initial_budget,
        Denominator::Allocated => funds.allocated,
    };
    BudgetStatus {
        initial_budget: funds.initial_budget,
        adjusted_budget: funds.adjusted_budget,
        allocated: funds.allocated,
        denominator: profile.denominator,
        base,
        spent,
        rows,
        rows_after,
        rows_before,
        projected: None,
    }
}

/// The outputs known at the as-of date: for each metric, its latest dated row at or before
/// it (oldest first, so that the latest of a name wins in [`Metrics`]). A value with no
/// date is the year's: it counts only when the as-of date is the year's last day. Two
/// values of a metric on one date are an error.
fn outputs_to_date<'a>(
    inputs: &'a Inputs,
    as_of: Date,
    problems: &mut Problems,
) -> Vec<(&'a OutputRow, Date)> {
    let year_end = Date {
        year: inputs.project.year,
        month: 12,
        day: 31,
    };
    let mut kept: Vec<(&OutputRow, Date)> = inputs
        .outputs
        .iter()
        .filter_map(|o| match o.date {
            Some(d) if d <= as_of && d.year == year_end.year => Some((o, d)),
            None if as_of >= year_end => Some((o, year_end)),
            _ => None,
        })
        .collect();
    kept.sort_by(|a, b| (a.1, &a.0.metric, a.0.line).cmp(&(b.1, &b.0.metric, b.0.line)));
    let file = inputs
        .files
        .outputs
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs.csv"));
    // A metric computed from budget and spending, or by a formula, is never also given
    // (as `score` says): its value would hide the computed one.
    for (o, _) in &kept {
        let formula = inputs
            .scheme
            .metrics
            .iter()
            .chain(&inputs.metrics)
            .any(|m| m.id == o.metric);
        if formula || crate::builtin::Builtin::parse(&o.metric).is_some() {
            problems.push(
                Problem::error(
                    &file,
                    format!(
                        "\"{}\" is computed (from budget and spending, or by a formula) and cannot also be given in outputs.csv",
                        o.metric
                    ),
                )
                .zh(format!("“{}”是计算得出的指标（由预算、支出或公式算出），不能在产出数据中再填", o.metric))
                .code(Code::DuplicateMetric)
                .at_line(o.line)
                .field("metric")
                .zh_field("指标")
                .value(&o.metric),
            );
        }
    }
    // Values dated in another year are not this year's: said, not read.
    let other_year: Vec<usize> = inputs
        .outputs
        .iter()
        .filter(|o| o.date.is_some_and(|d| d.year != year_end.year))
        .map(|o| o.line)
        .collect();
    if let Some(first) = other_year.first() {
        problems.push(
            Problem::warning(
                &file,
                format!(
                    "{} value(s) of project {} dated outside {} are not read",
                    other_year.len(),
                    inputs.project.id,
                    year_end.year
                ),
            )
            .zh(format!(
                "项目 {} 有 {} 个数值的日期不在 {} 年，未读取",
                inputs.project.id,
                other_year.len(),
                year_end.year
            ))
            .at_line(*first)
            .field("date")
            .zh_field("日期")
            .expected(format!("dates of {}", year_end.year))
            .zh_expected(format!("{} 年的日期", year_end.year)),
        );
    }
    for pair in kept.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.1 == b.1 && a.0.metric == b.0.metric {
            problems.push(
                Problem::error(
                    &file,
                    format!(
                        "metric \"{}\" is given twice for {} (first on line {})",
                        b.0.metric, b.1, a.0.line
                    ),
                )
                .zh(format!(
                    "指标“{}”在 {} 有两个数值（第一个在第 {} 行）",
                    b.0.metric, b.1, a.0.line
                ))
                .code(Code::DuplicateMetric)
                .at_line(b.0.line)
                .field("date")
                .zh_field("日期")
                .value(b.1.to_string())
                .expected("one value of a metric per date")
                .zh_expected("同一指标每个日期一个数值"),
            );
        }
    }
    kept
}

/// The rows of monitoring.csv, checked: each indicator once and one of the scheme's
/// monitored ones, the project's row once.
fn sheet_rows<'a>(
    inputs: &'a Inputs,
    profile: &Profile,
    problems: &mut Problems,
) -> Vec<&'a MonitoringRow> {
    let file = inputs
        .files
        .monitoring
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::data::MONITORING_FILE));
    let mut kept: Vec<&MonitoringRow> = Vec::new();
    for r in &inputs.monitoring {
        let what = r.indicator.as_deref();
        if let Some(first) = kept.iter().find(|k| k.indicator.as_deref() == what) {
            problems.push(
                Problem::error(
                    &file,
                    match what {
                        Some(id) => format!(
                            "indicator {id} is given twice (first on line {})",
                            first.line
                        ),
                        None => format!(
                            "the project's row (no indicator) is given twice (first on line {})",
                            first.line
                        ),
                    },
                )
                .zh(match what {
                    Some(id) => format!("指标 {id} 填了两行（第一行在第 {} 行）", first.line),
                    None => format!("项目行（不填指标）填了两行（第一行在第 {} 行）", first.line),
                })
                .code(Code::DuplicateMetric)
                .at_line(r.line)
                .field("indicator")
                .zh_field("指标编号")
                .value(what.unwrap_or(""))
                .expected("one row per indicator, and one without an indicator for the project")
                .zh_expected("每个指标一行，另有一行不填指标，为项目行"),
            );
            continue;
        }
        if let Some(id) = what {
            let found = inputs.scheme.indicators().find(|(_, _, i)| i.id == id);
            let monitored = found.is_some_and(|(d, _, i)| {
                profile.dimensions.contains(&d.kind) && !i.is_execution_rate()
            });
            if !monitored {
                let ids: Vec<&str> = inputs
                    .scheme
                    .indicators()
                    .filter(|(d, _, i)| {
                        profile.dimensions.contains(&d.kind) && !i.is_execution_rate()
                    })
                    .map(|(_, _, i)| i.id.as_str())
                    .collect();
                problems.push(
                    Problem::error(
                        &file,
                        if found.is_some() {
                            format!("indicator {id} is not monitored (its dimension is not among the profile's)")
                        } else {
                            format!("no indicator {id} in scheme {}", inputs.scheme.id)
                        },
                    )
                    .zh(if found.is_some() {
                        format!("指标 {id} 不在监控范围（其一级指标不在预警规则的 dimensions 中）")
                    } else {
                        format!("指标体系 {} 中没有指标 {id}", inputs.scheme.id)
                    })
                    .code(Code::UnknownIndicator)
                    .at_line(r.line)
                    .field("indicator")
                    .zh_field("指标编号")
                    .value(id)
                    .expected(format!("one of {}", ids.join(", ")))
                    .zh_expected(format!("以下之一：{}", ids.join("、"))),
                );
                continue;
            }
        }
        kept.push(r);
    }
    kept
}

/// An indicator's kind, target, value to date, expected value, ratio and light.
fn indicator_status(
    i: &crate::scheme::Indicator,
    dimension: DimensionKind,
    group: &str,
    metrics: &mut Metrics<'_>,
    when: &When,
    profile: &Profile,
) -> IndicatorStatus {
    let mut s = IndicatorStatus {
        id: i.id.clone(),
        name: i.name.clone(),
        dimension,
        group: group.to_string(),
        kind: Kind::Qualitative,
        metric: None,
        target_text: i.target_text.clone().unwrap_or_default(),
        comparator: None,
        target: None,
        unit: Unit::None,
        actual: None,
        actual_date: None,
        tier: None,
        expected: None,
        ratio: None,
        light: None,
        no_light: Some(NoLight::NoTier),
        projected: None,
        achievable: None,
        causes: Vec::new(),
        reason: None,
        likelihood: None,
        note: None,
        action: None,
        line: None,
    };
    let Scoring::Quantitative {
        metric,
        target,
        rule,
    } = &i.scoring
    else {
        return s;
    };
    let cmp = target.comparator;
    s.metric = Some(metric.clone());
    s.comparator = Some(cmp);
    s.target = Some(target.value());
    s.unit = target.quantity.unit.clone();
    s.kind = if matches!(rule, Rule::EqualZero)
        || (cmp == Comparator::Equal && target.value().is_zero())
    {
        Kind::EqualZero
    } else if cmp.higher_is_better() {
        Kind::Positive
    } else {
        Kind::Reverse
    };
    let value = match metrics.quantity(metric) {
        Ok((v, _)) => v,
        Err(e) => {
            s.no_light = Some(match e {
                MetricError::Unknown(_) => NoLight::NoDataYet {
                    metric: metric.clone(),
                },
                other => NoLight::Unavailable {
                    metric: metric.clone(),
                    why: format!("{other:?}"),
                },
            });
            return s;
        }
    };
    s.actual = Some(value);
    s.no_light = None;
    let target_value = target.value();
    match s.kind {
        Kind::Positive => {
            let prorated = profile.indicator.prorated(s.metric.as_deref(), &s.unit);
            let expected = if prorated {
                target_value * when.time_progress
            } else {
                target_value
            };
            s.expected = Some(expected);
            s.ratio = rules::ratio(value, expected);
            // Nothing is expected yet (a target of 0): met.
            s.light = Some(s.ratio.map_or(Light::Green, |r| {
                rules::positive_light(r, &profile.indicator)
            }));
        }
        Kind::Reverse => {
            s.expected = Some(target_value);
            s.light = Some(rules::reverse_light(cmp.holds(value, target_value)));
        }
        Kind::EqualZero => {
            s.expected = Some(Decimal::ZERO);
            s.light = Some(rules::zero_light(value));
        }
        Kind::Qualitative => {}
    }
    s
}

impl IndicatorStatus {
    /// The date of the value to date: the latest row of its metric; for a formula, the
    /// latest of the outputs known to date.
    fn latest(&mut self, outputs: &[(&OutputRow, Date)]) {
        let (Some(_), Some(metric)) = (self.actual, &self.metric) else {
            return;
        };
        let own = outputs
            .iter()
            .filter(|(o, _)| &o.metric == metric)
            .map(|(_, d)| *d)
            .max();
        self.actual_date = own.or_else(|| outputs.iter().map(|(_, d)| *d).max());
    }

    /// A projection written with % for a target that is not a percentage.
    fn unit_kind_mismatch(&self, row: Option<&&MonitoringRow>, file: &Path) -> Option<Problem> {
        let row = row?;
        if row.projected_percent && self.unit != Unit::Percent && self.kind != Kind::Qualitative {
            return Some(
                Problem::error(
                    file,
                    format!(
                        "全年预计完成值 of {} is a percentage, its target \"{}\" is not",
                        self.id, self.target_text
                    ),
                )
                .zh(format!(
                    "{} 的全年预计完成值是百分数，年度指标值“{}”却不是",
                    self.id, self.target_text
                ))
                .code(Code::BadField)
                .at_line(row.line)
                .field("projected")
                .zh_field("全年预计完成值")
                .expected(format!(
                    "a value in the target's unit ({})",
                    self.unit.suffix()
                ))
                .zh_expected(format!("按年度指标值的单位填写（{}）", self.unit.suffix())),
            );
        }
        None
    }

    /// The officer's row: causes, likelihood, note, action, the tier so far of a
    /// qualitative indicator, the projection (else a run rate); then achievability.
    fn fill_from_sheet(&mut self, row: Option<&&MonitoringRow>, when: &When, profile: &Profile) {
        if let Some(r) = row {
            self.causes = r.causes.clone();
            self.reason = r.reason.clone();
            self.likelihood = r.likelihood;
            self.note = r.note.clone();
            self.action = r.action.clone();
            self.line = Some(r.line);
            if self.kind == Kind::Qualitative
                && let Some(tier) = r.tier
            {
                self.tier = Some(tier);
                self.light = Some(rules::tier_light(tier));
                self.no_light = None;
            }
            if let Some(v) = r.projected {
                let value = if r.projected_percent {
                    v / Decimal::ONE_HUNDRED
                } else {
                    self.unit.to_base(v)
                };
                self.projected = Some(Projection {
                    value,
                    source: ProjectionSource::Given,
                    line: Some(r.line),
                });
            }
        }
        if self.projected.is_none()
            && let Some(actual) = self.actual
        {
            // A rate keeps two decimals of its percentage; money and counts two.
            let places = if self.unit == Unit::Percent { 4 } else { 2 };
            let prorated = profile
                .indicator
                .prorated(self.metric.as_deref(), &self.unit);
            self.projected = Some(if self.kind == Kind::Positive && prorated {
                Projection {
                    value: rules::run_rate(actual, when.fraction, places).unwrap_or(actual),
                    source: ProjectionSource::RunRate,
                    line: None,
                }
            } else {
                Projection {
                    value: round_half_up(actual, 4),
                    source: ProjectionSource::AsItStands,
                    line: None,
                }
            });
        }
        let meets = match (self.projected, self.comparator, self.target) {
            (Some(p), Some(cmp), Some(t)) => Some(cmp.holds(p.value, t)),
            _ => None,
        };
        self.achievable = rules::achievable(self.likelihood, meets);
    }
}

/// The as-of date's year must be the budget's: a 2023 date on a 2022 budget is refused
/// (the problem, if it is not).
pub fn check_year(budget_file: &Path, year: i32, as_of: Date) -> Option<Problem> {
    (as_of.year != year).then(|| {
        Problem::error(
            budget_file,
            format!("--as-of {as_of} is not in the budget's year {year}"),
        )
        .zh(format!("--as-of {as_of} 不在预算年度 {year} 年内"))
        .code(Code::BadField)
        .field("as_of")
        .zh_field("截至日期")
        .value(as_of.to_string())
        .expected(format!("a date of {year}, e.g. {year}-07-31"))
        .zh_expected(format!("{year} 年的日期，如 {year}-07-31"))
    })
}
