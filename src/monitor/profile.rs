//! The monitoring profile (`indicators/monitoring-default.toml`): the thresholds of the
//! warning lights, how 序时进度 counts a date inside a month, which budget figure 执行率
//! divides by and which dimensions are monitored. Provinces and years differ: every
//! threshold is a key, checked with its file, line and key when wrong.

use rust_decimal::Decimal;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::diag::{Code, Lines, Problem, Problems};
use crate::scheme::DimensionKind;

/// How 序时进度 (time progress) counts the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeRule {
    /// X / 12, X the month of the as-of date (the platform's rule; a date inside a month
    /// counts its whole month: 7月15日 → 7/12).
    Month,
    /// Months completed by the as-of date: the month counts only on its last day
    /// (7月31日 → 7/12, 7月15日 → 6/12).
    CompletedMonths,
    /// Months completed plus the days of the current month: (X − 1 + day / days of the
    /// month) / 12 (7月15日 → (6 + 15/31) / 12).
    Days,
}

impl TimeRule {
    fn parse(text: &str) -> Option<TimeRule> {
        Some(match text {
            "month" => TimeRule::Month,
            "completed_months" => TimeRule::CompletedMonths,
            "days" => TimeRule::Days,
            _ => return None,
        })
    }
}

/// Which budget figure 1–X月执行率 divides the spending by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// 调整后预算数 / 全年预算数 (the platform's).
    AdjustedBudget,
    /// 年初预算数
    InitialBudget,
    /// 实际到位资金
    Allocated,
}

impl Denominator {
    fn parse(text: &str) -> Option<Denominator> {
        Some(match text {
            "adjusted_budget" => Denominator::AdjustedBudget,
            "initial_budget" => Denominator::InitialBudget,
            "allocated" => Denominator::Allocated,
            _ => return None,
        })
    }

    pub fn zh(self) -> &'static str {
        match self {
            Denominator::AdjustedBudget => "调整后预算数",
            Denominator::InitialBudget => "年初预算数",
            Denominator::Allocated => "实际到位资金",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Denominator::AdjustedBudget => "adjusted budget",
            Denominator::InitialBudget => "initial budget",
            Denominator::Allocated => "funds allocated",
        }
    }
}

/// The budget light's bands, on 执行率 ÷ 序时进度 × 100.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BudgetBands {
    /// Red below this.
    pub red_below: Decimal,
    /// Green from this; yellow between.
    pub green_from: Decimal,
}

/// A positive indicator's bands, on 实际完成值 ÷ (年度指标值 × 序时进度) × 100.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IndicatorBands {
    pub red_below: Decimal,
    pub green_from: Decimal,
    /// Blue from this (well ahead: was the target set too low?).
    pub blue_from: Decimal,
    /// Whether a target in % (a rate: 结案回访率 ≥ 95%) is prorated by 序时进度 too; by
    /// default it is not: a rate to date is compared with the year's rate.
    pub prorate_rates: bool,
    /// Metrics in % that accumulate through the year (a completion rate: 产出数量完成率 =
    /// cases / 120), prorated whatever `prorate_rates` says.
    pub prorate_metrics: Vec<String>,
}

impl IndicatorBands {
    /// Whether a positive target on `metric`, in `unit`, is prorated by 序时进度.
    pub fn prorated(&self, metric: Option<&str>, unit: &crate::units::Unit) -> bool {
        *unit != crate::units::Unit::Percent
            || self.prorate_rates
            || metric.is_some_and(|m| self.prorate_metrics.iter().any(|p| p == m))
    }
}

/// A profile loaded and checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Profile {
    #[serde(skip)]
    pub path: PathBuf,
    pub id: String,
    pub title: String,
    pub time_progress: TimeRule,
    pub denominator: Denominator,
    /// The dimensions whose indicators are monitored (the 绩效目标: 产出 and 效益).
    pub dimensions: Vec<DimensionKind>,
    pub budget: BudgetBands,
    pub indicator: IndicatorBands,
}

/// The national defaults, as shipped in `indicators/monitoring-default.toml`.
pub const DEFAULT_PROFILE: &str = include_str!("../../indicators/monitoring-default.toml");

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    monitoring: MonitoringTable,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MonitoringTable {
    id: String,
    title: Option<String>,
    time_progress: Option<Spanned<String>>,
    denominator: Option<Spanned<String>>,
    dimensions: Option<Vec<Spanned<String>>>,
    budget: BudgetTable,
    indicator: IndicatorTable,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetTable {
    red_below: Spanned<Threshold>,
    green_from: Spanned<Threshold>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorTable {
    red_below: Spanned<Threshold>,
    green_from: Spanned<Threshold>,
    blue_from: Spanned<Threshold>,
    #[serde(default)]
    prorate_rates: bool,
    #[serde(default)]
    prorate_metrics: Vec<String>,
}

/// A threshold: a number written `60`, `62.5` or `"62.5"`.
#[derive(Debug)]
struct Threshold(Decimal);

impl<'de> Deserialize<'de> for Threshold {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::scheme::raw::decimal_from_any(d).map(Threshold)
    }
}

/// Read and check a profile file.
pub fn load(path: &Path) -> Result<Profile, Problems> {
    let source = crate::input::read_to_string(path).map_err(|e| {
        Problems(vec![
            Problem::error(path, format!("cannot read the monitoring profile: {e}"))
                .zh(format!("无法读取监控预警规则文件：{e}"))
                .code(Code::UnreadableFile)
                .expected("a readable UTF-8 TOML file")
                .zh_expected("可读取的 UTF-8 TOML 文件"),
        ])
    })?;
    parse(path, &source)
}

/// The national defaults (`indicators/monitoring-default.toml`, built in).
pub fn national() -> Profile {
    // The shipped file is checked by a test: it always parses.
    parse(
        Path::new("indicators/monitoring-default.toml"),
        DEFAULT_PROFILE,
    )
    .unwrap_or_else(|_| Profile {
        path: PathBuf::from("indicators/monitoring-default.toml"),
        id: "national-default".to_string(),
        title: String::new(),
        time_progress: TimeRule::Month,
        denominator: Denominator::AdjustedBudget,
        dimensions: vec![DimensionKind::Output, DimensionKind::Benefit],
        budget: BudgetBands {
            red_below: Decimal::from(60),
            green_from: Decimal::from(80),
        },
        indicator: IndicatorBands {
            red_below: Decimal::from(60),
            green_from: Decimal::from(80),
            blue_from: Decimal::from(120),
            prorate_rates: false,
            prorate_metrics: vec!["output_quantity_rate".into(), "benefit_rate".into()],
        },
    })
}

/// Parse and check profile text (`path` only names it in problems).
pub fn parse(path: &Path, source: &str) -> Result<Profile, Problems> {
    let lines = Lines::new(source);
    let file: File = toml::from_str(source).map_err(|e| {
        let message = e.message();
        let code = if message.contains("unknown field") {
            Code::UnknownKey
        } else if message.contains("missing field") {
            Code::MissingKey
        } else if e.span().is_some() && message.contains("invalid") {
            Code::InvalidValue
        } else {
            Code::TomlSyntax
        };
        Problems(vec![crate::scheme::keys::toml_problem(
            path, &lines, &e, code,
        )])
    })?;
    let m = file.monitoring;
    let mut problems = Problems::default();
    let bad =
        |span: std::ops::Range<usize>, key: &str, value: &str, message: String, expected: &str| {
            Problem::error(path, message)
                .code(Code::InvalidValue)
                .span(&lines, span)
                .field(key)
                .value(value)
                .expected(expected)
        };
    let time_progress = pick(
        &m.time_progress,
        (
            "monitoring.time_progress",
            "a rule of 序时进度",
            "month, completed_months or days",
        ),
        TimeRule::parse,
        TimeRule::Month,
        &mut problems,
        &bad,
    );
    let denominator = pick(
        &m.denominator,
        (
            "monitoring.denominator",
            "a budget figure",
            "adjusted_budget, initial_budget or allocated",
        ),
        Denominator::parse,
        Denominator::AdjustedBudget,
        &mut problems,
        &bad,
    );
    let dimensions = match &m.dimensions {
        None => vec![DimensionKind::Output, DimensionKind::Benefit],
        Some(list) => list
            .iter()
            .filter_map(|d| {
                let kind = DimensionKind::parse(d.get_ref());
                if kind.is_none() {
                    problems.push(
                        bad(
                            d.span(),
                            "monitoring.dimensions",
                            d.get_ref(),
                            format!("\"{}\" is not a dimension", d.get_ref()),
                            "decision, process, output or benefit (决策/过程/产出/效益)",
                        )
                        .zh(format!("“{}”不是一级指标", d.get_ref()))
                        .zh_expected(
                            "决策、过程、产出或效益（decision、process、output、benefit）",
                        ),
                    );
                }
                kind
            })
            .collect(),
    };
    // Each band's edges in order, and above zero.
    let mut ordered = |edges: &[(&Spanned<Threshold>, &str)]| {
        let mut before: Option<(Decimal, &str)> = None;
        for (t, key) in edges {
            let v = t.get_ref().0;
            let message = if v <= Decimal::ZERO {
                Some((format!("{key} must be above 0"), format!("{key} 须大于 0")))
            } else {
                before.filter(|(b, _)| v <= *b).map(|(b, bkey)| {
                    (
                        format!("{key} ({v}) must be above {bkey} ({b})"),
                        format!("{key}（{v}）须大于 {bkey}（{b}）"),
                    )
                })
            };
            if let Some((message, zh)) = message {
                problems.push(
                    bad(
                        t.span(),
                        key,
                        &v.to_string(),
                        message,
                        "thresholds in increasing order, e.g. red_below = 60, green_from = 80, blue_from = 120",
                    )
                    .zh(zh)
                    .zh_expected("阈值由小到大，如 red_below = 60、green_from = 80、blue_from = 120"),
                );
            }
            before = Some((v, key));
        }
    };
    let (b, i) = (&m.budget, &m.indicator);
    ordered(&[
        (&b.red_below, "monitoring.budget.red_below"),
        (&b.green_from, "monitoring.budget.green_from"),
    ]);
    ordered(&[
        (&i.red_below, "monitoring.indicator.red_below"),
        (&i.green_from, "monitoring.indicator.green_from"),
        (&i.blue_from, "monitoring.indicator.blue_from"),
    ]);
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Profile {
        path: path.to_path_buf(),
        id: m.id,
        title: m.title.unwrap_or_default(),
        time_progress,
        denominator,
        dimensions,
        budget: BudgetBands {
            red_below: b.red_below.get_ref().0,
            green_from: b.green_from.get_ref().0,
        },
        indicator: IndicatorBands {
            red_below: i.red_below.get_ref().0,
            green_from: i.green_from.get_ref().0,
            blue_from: i.blue_from.get_ref().0,
            prorate_rates: i.prorate_rates,
            prorate_metrics: i.prorate_metrics.clone(),
        },
    })
}

/// Makes the problem of a bad value: span, key, value, message, expected.
type Bad<'a> = &'a dyn Fn(std::ops::Range<usize>, &str, &str, String, &str) -> Problem;

/// A choice among words: the one written, or the default; a word not among them is an
/// error (`what` = key, what it should be, the accepted words).
fn pick<T>(
    written: &Option<Spanned<String>>,
    (key, what, expected): (&str, &str, &str),
    parse: fn(&str) -> Option<T>,
    default: T,
    problems: &mut Problems,
    bad: Bad<'_>,
) -> T {
    let Some(w) = written else {
        return default;
    };
    parse(w.get_ref()).unwrap_or_else(|| {
        let text = w.get_ref();
        problems.push(
            bad(
                w.span(),
                key,
                text,
                format!("\"{text}\" is not {what}"),
                expected,
            )
            .zh(format!("“{text}”不是可选的值"))
            .zh_expected(format!("以下之一：{expected}")),
        );
        default
    })
}

/// Whether a TOML file is a monitoring profile: it has a `[monitoring]` table.
pub fn is_profile_text(text: &str) -> bool {
    text.lines()
        .any(|l| l.split('#').next().unwrap_or("").trim() == "[monitoring]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_defaults_are_the_platform_s() {
        let p = parse(
            Path::new("indicators/monitoring-default.toml"),
            DEFAULT_PROFILE,
        )
        .unwrap();
        assert_eq!(p.time_progress, TimeRule::Month);
        assert_eq!(p.denominator, Denominator::AdjustedBudget);
        assert_eq!(p.budget.red_below, Decimal::from(60));
        assert_eq!(p.budget.green_from, Decimal::from(80));
        assert_eq!(p.indicator.blue_from, Decimal::from(120));
        assert!(!p.indicator.prorate_rates);
        assert_eq!(
            p.dimensions,
            vec![DimensionKind::Output, DimensionKind::Benefit]
        );
        assert_eq!(national(), p);
    }

    #[test]
    fn bad_profiles_name_line_key_and_value() {
        let text = "[monitoring]\nid = \"x\"\ntime_progress = \"weeks\"\n\n[monitoring.budget]\nred_below = 80\ngreen_from = 60\n\n[monitoring.indicator]\nred_below = 60\ngreen_from = 80\nblue_from = 120\n";
        let problems = parse(Path::new("p.toml"), text).unwrap_err();
        let shown: Vec<(Option<usize>, Option<&str>, Option<&str>)> = problems
            .0
            .iter()
            .map(|p| (p.line, p.field.as_deref(), p.value.as_deref()))
            .collect();
        assert_eq!(
            shown,
            vec![
                (Some(3), Some("monitoring.time_progress"), Some("weeks")),
                // green_from 60 is not above red_below 80
                (Some(7), Some("monitoring.budget.green_from"), Some("60")),
            ]
        );
        let unknown = "[monitoring]\nid = \"x\"\nred = 1\n";
        let p = parse(Path::new("p.toml"), unknown).unwrap_err();
        assert_eq!(p.0[0].code, Some(Code::UnknownKey));
        assert_eq!(p.0[0].line, Some(3));
    }
}
