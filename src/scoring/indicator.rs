//! One indicator scored: its rule applied to its metric or judgments, the judgments'
//! deductions, the checks on the judgments, and the arithmetic recorded as it goes.

use rust_decimal::Decimal;
use std::path::Path;

use super::arithmetic::{Arithmetic, Element, Quantitative, Steps};
use super::{Detail, IndicatorScore, basis, rules, show};
use crate::decimal::{percent, plain, round_score};
use crate::diag::{Code, Problem, Problems};
use crate::i18n::Lang;
use crate::judgment::{JudgedTier, Judgment};
use crate::metrics::{MetricError, Metrics};
use crate::scheme::{DimensionKind, Indicator, Rule, Scheme, Scoring, Target, Unit};

/// The texts one after the other with `separator` between them (`[…].join(separator)`
/// without collecting them first); `None` for no text.
fn joined<'t>(mut texts: impl Iterator<Item = &'t str>, separator: &str) -> Option<String> {
    let mut out = texts.next()?.to_string();
    for t in texts {
        out.push_str(separator);
        out.push_str(t);
    }
    Some(out)
}

pub(super) struct Ctx<'a> {
    pub(super) scheme: &'a Scheme,
    pub(super) ind: &'a Indicator,
    pub(super) rows: &'a [Judgment<'a>],
    pub(super) file: &'a Path,
    pub(super) lang: Lang,
    pub(super) detail: Detail,
}

/// What the rule produced before judgments' deductions.
struct Base {
    steps: Steps,
    raw: Decimal,
    actual: Option<String>,
    actual_value: Option<Decimal>,
    warnings: Vec<String>,
}

impl Base {
    fn new(steps: Steps, raw: Decimal) -> Base {
        Base {
            steps,
            raw,
            actual: None,
            actual_value: None,
            warnings: Vec::new(),
        }
    }
}

impl Ctx<'_> {
    fn t<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(zh, en)
    }

    /// A text of the sheet, written only when the sheet is to hold texts.
    fn text(&self, f: impl FnOnce() -> String) -> String {
        self.detail.text(f)
    }

    /// A problem with a judgments.csv row's `field`, named as its Chinese header too.
    fn judgment_problem(&self, row: &Judgment<'_>, field: &str, message: String) -> Problem {
        let zh = match field {
            "tier" => "档次",
            "score" => "得分",
            "deduction" => "扣分",
            "reason" => "扣分原因",
            "indicator" => "指标编号",
            other => other,
        };
        Problem::error(self.file, message)
            .at_line(row.line)
            .field(field)
            .zh_field(zh)
    }

    /// The indicator's score, or `None` when a problem (recorded) prevents it.
    pub(super) fn score(
        &self,
        metrics: &mut Metrics<'_>,
        problems: &mut Problems,
    ) -> Option<IndicatorScore> {
        let ind = self.ind;
        // A judgment row that could not be read was reported by the reader; scoring this
        // indicator would only echo that problem.
        if self.rows.iter().any(|r| r.invalid) {
            return None;
        }
        let mut result = self.unscored();
        // 不适用: dropped from the total, which is rescaled.
        if let Some(row) = self
            .rows
            .iter()
            .find(|r| r.tier == Some(JudgedTier::NotApplicable))
        {
            self.not_applicable(row, problems);
            result.actual = Some(self.text(|| self.t("不适用", "not applicable").into()));
            result.basis = self.text(|| basis::basis(ind, &result.arithmetic, self.lang));
            return Some(result);
        }

        let base = match &ind.scoring {
            Scoring::Quantitative {
                metric,
                target,
                rule,
            } => self.quantitative(metrics, metric, target, rule, problems),
            Scoring::Checklist(items) => self.checklist(metrics, items, problems),
            Scoring::Qualitative(tiers) => self.qualitative(tiers, problems),
            Scoring::Manual => self.manual(problems),
        }?;

        let (deduction, unexplained) = self.deductions(problems);
        let arithmetic = Arithmetic {
            steps: base.steps,
            raw: base.raw,
            deduction,
            unrounded: (base.raw - deduction).max(Decimal::ZERO),
        };
        let score = round_score(arithmetic.unrounded);
        if !unexplained {
            self.loss_explained(score, problems);
        }
        result.score = Some(score);
        result.unrounded = Some(arithmetic.unrounded);
        result.actual = base.actual;
        result.actual_value = base.actual_value;
        result.basis = self.text(|| {
            let mut text = basis::basis(ind, &arithmetic, self.lang);
            text.extend(basis::deduction(&arithmetic, score, self.lang));
            text
        });
        result.warnings = base.warnings;
        result.arithmetic = arithmetic;
        Some(result)
    }

    /// The indicator's entry before it is scored: names, target and standard.
    fn unscored(&self) -> IndicatorScore {
        let ind = self.ind;
        let full = self.detail == Detail::Full;
        IndicatorScore {
            id: self.text(|| ind.id.clone()),
            dimension: DimensionKind::Decision,
            dimension_name: String::new(),
            position: (0, 0),
            group: String::new(),
            name: self.text(|| ind.name.clone()),
            weight: ind.weight,
            // Quantitative targets are shown the way the 自评表 writes them: ≥120件, ≤7万元.
            target: match &ind.scoring {
                _ if !full => None,
                Scoring::Quantitative { target, .. } => Some(target.to_string()),
                _ => ind.target_text.clone(),
            },
            standard: if full { ind.standard.clone() } else { None },
            actual: None,
            actual_value: None,
            score: None,
            unrounded: None,
            rule: ind.scoring.key(),
            basis: String::new(),
            // The reasons of every row, as one text (a batch keeps them too: the summary
            // names each project's main problem with its reason).
            reason: joined(self.rows.iter().filter_map(|r| r.reason), "；"),
            warnings: Vec::new(),
            arithmetic: Arithmetic::not_applicable(),
        }
    }

    /// The checks on a row marking the indicator 不适用: a reason, and nothing else.
    fn not_applicable(&self, row: &Judgment<'_>, problems: &mut Problems) {
        let id = &self.ind.id;
        if row.reason.is_none() {
            problems.push(
                self.judgment_problem(
                    row,
                    "reason",
                    format!("indicator \"{id}\" marked 不适用 without a reason"),
                )
                .zh(format!("指标“{id}”标为不适用，却未说明原因"))
                .code(Code::MissingReason)
                .expected("a reason why the indicator does not apply")
                .zh_expected("在“扣分原因”列写明不适用的原因"),
            );
        }
        if row.score.is_some() || row.deduction.is_some() {
            let field = if row.score.is_some() {
                "score"
            } else {
                "deduction"
            };
            problems.push(
                self.judgment_problem(
                    row,
                    field,
                    format!("indicator \"{id}\" is marked 不适用 and takes no score or deduction"),
                )
                .zh(format!("指标“{id}”标为不适用，不应再填得分或扣分"))
                .code(Code::BadJudgment),
            );
        }
        if self.rows.len() > 1 {
            problems.push(
                self.judgment_problem(
                    row,
                    "tier",
                    format!("indicator \"{id}\" is marked 不适用 but has other judgment rows"),
                )
                .zh(format!("指标“{id}”标为不适用，却还有其他评价行"))
                .code(Code::BadJudgment),
            );
        }
    }

    /// 扣分: the manual deductions on any indicator, each with its reason. Returns their
    /// sum and whether one lacks a reason (reported here).
    fn deductions(&self, problems: &mut Problems) -> (Decimal, bool) {
        let mut deduction = Decimal::ZERO;
        let mut unexplained = false;
        for row in self.rows {
            if let Some(d) = row.deduction {
                deduction += d;
                if row.reason.is_none() && d > Decimal::ZERO {
                    unexplained = true;
                    problems.push(
                        self.judgment_problem(
                            row,
                            "reason",
                            format!(
                                "deduction of {} points on \"{}\" without a reason",
                                plain(d),
                                self.ind.id
                            ),
                        )
                        .zh(format!(
                            "指标“{}”扣 {} 分，却未写扣分原因",
                            self.ind.id,
                            plain(d)
                        ))
                        .code(Code::MissingReason)
                        .expected("扣分原因 in column reason")
                        .zh_expected("在“扣分原因”列写明原因"),
                    );
                }
            }
        }
        (deduction, unexplained)
    }

    /// Points lost on a judged indicator need the officer's reason (an error); on a measured
    /// one, the 自评表's 偏差原因分析 should say why too (a warning: the score stands).
    fn loss_explained(&self, score: Decimal, problems: &mut Problems) {
        let ind = self.ind;
        let has_reason = self.rows.iter().any(|r| r.reason.is_some());
        if score < ind.weight && !has_reason && !ind.scoring.is_judged() {
            let lost = plain(ind.weight - score);
            problems.push(
                Problem::warning(
                    self.file,
                    format!(
                        "indicator \"{}\" {} loses {lost} points with no reason given",
                        ind.id, ind.name
                    ),
                )
                .zh(format!(
                    "指标“{}” {} 失分 {lost} 分，未说明偏差原因",
                    ind.id, ind.name
                ))
                .code(Code::MeasuredLossNoReason)
                .field("reason")
                .zh_field("扣分原因")
                .expected(format!(
                    "a judgments.csv row for \"{}\" with the reason (偏差原因分析) in column reason",
                    ind.id
                ))
                .zh_expected(format!(
                    "在 judgments.csv（评价意见）中为“{}”加一行，在“扣分原因”列写明偏差原因",
                    ind.id
                )),
            );
        }
        if score < ind.weight && !has_reason && ind.scoring.is_judged() {
            let line = self.rows.first().map_or(0, |r| r.line);
            problems.push(
                Problem::error(
                    self.file,
                    format!(
                        "indicator \"{}\" loses {} points without a reason",
                        ind.id,
                        plain(ind.weight - score)
                    ),
                )
                .zh(format!(
                    "指标“{}”失分 {} 分，却未说明原因",
                    ind.id,
                    plain(ind.weight - score)
                ))
                .code(Code::MissingReason)
                .at_line(line)
                .field("reason")
                .zh_field("扣分原因")
                .expected("扣分原因 / 偏差原因 in column reason")
                .zh_expected("在“扣分原因”列写明扣分原因或偏差原因"),
            );
        }
    }

    /// The value of a metric in its unit, or a problem.
    fn metric<'m>(
        &self,
        metrics: &'m mut Metrics<'_>,
        name: &str,
        problems: &mut Problems,
    ) -> Option<(Decimal, &'m Unit)> {
        match metrics.quantity(name) {
            Ok(v) => Some(v),
            Err(e) => {
                problems.push(metric_problem(self.scheme, self.ind, &e));
                None
            }
        }
    }

    fn no_judged_score(&self, problems: &mut Problems) {
        for row in self.rows {
            if row.tier.is_some() || row.score.is_some() {
                problems.push(
                    self.judgment_problem(
                        row,
                        if row.tier.is_some() { "tier" } else { "score" },
                        format!(
                            "indicator \"{}\" is scored from data ({}); a judgment may only add a deduction and a reason",
                            self.ind.id,
                            self.ind.scoring.key()
                        ),
                    )
                    .zh(format!(
                        "指标“{}”按数据计分（{}）；评价意见只能填扣分和扣分原因",
                        self.ind.id,
                        self.ind.scoring.key()
                    ))
                    .code(Code::BadJudgment)
                    .expected("columns deduction and reason only")
                    .zh_expected("只填“扣分”和“扣分原因”两列"),
                );
            }
        }
    }

    fn quantitative(
        &self,
        metrics: &mut Metrics<'_>,
        metric: &str,
        target: &Target,
        rule: &Rule,
        problems: &mut Problems,
    ) -> Option<Base> {
        self.no_judged_score(problems);
        let (b, unit) = self.metric(metrics, metric, problems)?;
        if !target.quantity.unit.fits(unit) {
            problems.push(self.unit_mismatch(metric, target, unit));
            return None;
        }
        let w = self.ind.weight;
        let a = target.value();
        // A and B are shown in the target's unit, else in the metric's.
        let unit = match &target.quantity.unit {
            Unit::None => unit,
            u => u,
        }
        .clone();
        let worked = rules::quantitative(rule, target.comparator, a, b, w);
        let counted = if rule.counts_negative_as_zero() {
            rules::clamp_actual(b)
        } else {
            b
        };
        let q = Quantitative {
            target: a,
            actual: b,
            counted,
            unit,
            worked,
        };
        let actual = self.text(|| show(b, &q.unit));
        let warning = self.over_completion(target, &q);
        let raw = q.worked.raw;
        let mut base = Base::new(Steps::Quantitative(q), raw);
        base.actual = Some(actual);
        base.warnings.extend(warning);
        base.actual_value = Some(b);
        Some(base)
    }

    fn unit_mismatch(&self, metric: &str, target: &Target, unit: &Unit) -> Problem {
        Problem::error(
            &self.scheme.path,
            format!(
                "indicator \"{}\": target \"{}\" is in {} but metric \"{metric}\" is in {}",
                self.ind.id,
                target,
                target.quantity.unit.kind().label(),
                unit.kind().label()
            ),
        )
        .zh(format!(
            "指标“{}”：年度指标值“{}”的单位是 {}，而数据“{metric}”的单位是 {}",
            self.ind.id,
            target,
            target.quantity.unit.kind().label(),
            unit.kind().label()
        ))
        .code(Code::UnitMismatch)
        .at_line(self.ind.line)
        .field("target")
        .zh_field("年度指标值")
        .expected(format!(
            "a target in the metric's unit ({})",
            unit.kind().label()
        ))
        .zh_expected(format!(
            "与数据同单位（{}）的年度指标值",
            unit.kind().label()
        ))
    }

    /// 超额完成: a warning when B/A reaches the scheme's threshold on a ≥ target.
    fn over_completion(&self, target: &Target, q: &Quantitative) -> Option<String> {
        let threshold = self.ind.over_completion?;
        let (a, b) = (q.target, q.actual);
        if self.detail != Detail::Full
            || !target.comparator.higher_is_better()
            || !rules::over_completed(a, b, threshold)
        {
            return None;
        }
        Some(format!(
            "{} {} / {} = {} ≥ {}{}",
            self.t("超额完成：", "over-completion:"),
            show(b, &q.unit),
            show(a, &q.unit),
            percent(rules::ratio(b, a).unwrap_or(Decimal::MAX)),
            percent(threshold),
            self.t(
                "，年度指标值可能设置偏低，请说明偏差原因",
                "; the target may have been set too low, explain the deviation"
            )
        ))
    }

    fn checklist(
        &self,
        metrics: &mut Metrics<'_>,
        items: &[crate::scheme::ChecklistItem],
        problems: &mut Problems,
    ) -> Option<Base> {
        self.no_judged_score(problems);
        let mut elements = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match self.metric(metrics, &item.metric, problems) {
                Some((value, _)) => elements.push(Element {
                    value,
                    met: value > Decimal::ZERO,
                }),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let met = || items.iter().zip(&elements).filter(|(_, e)| e.met);
        let raw = rules::checklist(met().map(|(i, _)| i.points), self.ind.weight);
        let count = met().count();
        let mut base = Base::new(
            Steps::Checklist {
                met_points: met().map(|(i, _)| i.points).sum(),
                items: elements,
            },
            raw,
        );
        base.actual = Some(self.text(|| format!("{count}/{}", items.len())));
        base.actual_value = Some(Decimal::from(count));
        Some(base)
    }

    /// The one row carrying the judged score (tier or score column).
    fn judged_row(&self, problems: &mut Problems, need_tier: bool) -> Option<&Judgment<'_>> {
        let mut judged = self
            .rows
            .iter()
            .filter(|r| r.tier.is_some() || r.score.is_some());
        let first = judged.next();
        let mut rest = judged.peekable();
        match first {
            None => {
                let (what, what_zh) = if need_tier {
                    (
                        "qualitative indicator (定性指标) has no judged tier and score",
                        "定性指标没有评定档次和得分",
                    )
                } else {
                    (
                        "manually scored indicator has no score",
                        "人工评分的指标没有得分",
                    )
                };
                problems.push({
                    let p = Problem::error(
                        self.file,
                        format!(
                            "{what}: \"{}\" {} (scheme line {})",
                            self.ind.id, self.ind.name, self.ind.line
                        ),
                    )
                    .zh(format!(
                        "{what_zh}：“{}” {}（指标体系第 {} 行）",
                        self.ind.id, self.ind.name, self.ind.line
                    ))
                    .code(Code::MissingJudgment)
                    .field("indicator")
                    .zh_field("指标编号")
                    .value(&self.ind.id)
                    .expected(if need_tier {
                        "a judgments.csv row with tier and score"
                    } else {
                        "a judgments.csv row with score"
                    })
                    .zh_expected(if need_tier {
                        "judgments.csv（评价意见）中该指标的一行，填档次和得分"
                    } else {
                        "judgments.csv（评价意见）中该指标的一行，填得分"
                    });
                    // A row that names the indicator but judges nothing is where to fix it.
                    match self.rows.first() {
                        Some(row) => p.at_line(row.line),
                        None => p,
                    }
                });
                None
            }
            Some(row) if rest.peek().is_none() => Some(row),
            Some(first) => {
                for r in rest {
                    problems.push(
                        self.judgment_problem(
                            r,
                            "indicator",
                            format!(
                                "indicator \"{}\" is judged twice (first on line {})",
                                self.ind.id, first.line
                            ),
                        )
                        .zh(format!(
                            "指标“{}”评了两次（第一次在第 {} 行）",
                            self.ind.id, first.line
                        ))
                        .code(Code::BadJudgment),
                    );
                }
                None
            }
        }
    }

    fn qualitative(&self, tiers: &crate::scheme::Tiers, problems: &mut Problems) -> Option<Base> {
        let row = self.judged_row(problems, true)?;
        let w = self.ind.weight;
        let (Some(JudgedTier::Tier(tier)), Some(score)) = (row.tier, row.score) else {
            problems.push(
                self.judgment_problem(
                    row,
                    if row.tier.is_none() { "tier" } else { "score" },
                    format!(
                        "qualitative indicator \"{}\" needs both a tier and a score",
                        self.ind.id
                    ),
                )
                .zh(format!("定性指标“{}”须同时填档次和得分", self.ind.id))
                .code(Code::BadJudgment)
                .expected(crate::judgment::TIER_EXPECTED)
                .zh_expected(crate::judgment::TIER_EXPECTED_ZH),
            );
            return None;
        };
        if !rules::in_tier(tier, tiers, w, score) {
            let (low, high, inclusive) = rules::tier_range(tier, tiers, w);
            problems.push(
                self.judgment_problem(
                    row,
                    "score",
                    format!(
                        "score {} of \"{}\" is outside its tier {}",
                        plain(score),
                        self.ind.id,
                        tier.zh()
                    ),
                )
                .zh(format!(
                    "“{}”的得分 {} 不在所评档次“{}”的范围内",
                    self.ind.id,
                    plain(score),
                    tier.zh()
                ))
                .code(Code::OutsideTier)
                .value(plain(score))
                .expected(format!(
                    "a score in [{}, {}{}",
                    plain(low),
                    plain(high),
                    if inclusive { "]" } else { ")" }
                ))
                .zh_expected(format!(
                    "[{}, {}{} 之间的得分（含 {}{}）",
                    plain(low),
                    plain(high),
                    if inclusive { "]" } else { ")" },
                    plain(low),
                    if inclusive {
                        format!("，含 {}", plain(high))
                    } else {
                        format!("，不含 {}", plain(high))
                    }
                )),
            );
            return None;
        }
        let (low, high, high_inclusive) = rules::tier_range(tier, tiers, w);
        let mut base = Base::new(
            Steps::Qualitative {
                tier,
                low,
                high,
                high_inclusive,
                judged: score,
            },
            score,
        );
        base.actual = Some(self.text(|| self.lang.pick(tier.zh(), tier.en()).to_string()));
        Some(base)
    }

    fn manual(&self, problems: &mut Problems) -> Option<Base> {
        let row = self.judged_row(problems, false)?;
        let Some(score) = row.score else {
            problems.push(
                self.judgment_problem(
                    row,
                    "score",
                    format!(
                        "manually scored indicator \"{}\" needs a score",
                        self.ind.id
                    ),
                )
                .zh(format!("指标“{}”由人工评分，须填得分", self.ind.id))
                .code(Code::MissingJudgment),
            );
            return None;
        };
        if row.tier.is_some() {
            problems.push(
                self.judgment_problem(
                    row,
                    "tier",
                    format!(
                        "indicator \"{}\" is scored manually and takes no tier",
                        self.ind.id
                    ),
                )
                .zh(format!("指标“{}”由人工评分，不填档次", self.ind.id))
                .code(Code::BadJudgment),
            );
        }
        if score > self.ind.weight {
            problems.push(
                self.judgment_problem(
                    row,
                    "score",
                    format!("score of \"{}\" is above its weight", self.ind.id),
                )
                .zh(format!("指标“{}”的得分超过其分值", self.ind.id))
                .code(Code::OutsideTier)
                .value(plain(score))
                .expected(format!("a score from 0 to {}", plain(self.ind.weight)))
                .zh_expected(format!("0 到 {} 之间的得分", plain(self.ind.weight))),
            );
            return None;
        }
        Some(Base::new(Steps::Manual { judged: score }, score))
    }
}

/// Turn a metric that has no value into a problem at the indicator's line in the scheme,
/// or at the formula's line for a zero denominator.
fn metric_problem(scheme: &Scheme, ind: &Indicator, e: &MetricError) -> Problem {
    let mut p = metric_problem_text(scheme, ind, e);
    // Point at the indicator in the scheme, unless the problem is in a formula elsewhere.
    if p.file == scheme.path && p.line == Some(ind.line) {
        p.span = Some(ind.span.clone());
    }
    p
}

fn metric_problem_text(scheme: &Scheme, ind: &Indicator, e: &MetricError) -> Problem {
    match e {
        MetricError::Unknown(name) => Problem::error(
            &scheme.path,
            format!(
                "indicator \"{}\" needs metric \"{name}\" but no input provides it",
                ind.id
            ),
        )
        .zh(format!(
            "指标“{}”需要数据“{name}”，但没有哪个输入提供它",
            ind.id
        ))
        .code(Code::UndefinedMetric)
        .at_line(ind.line)
        .field("metric")
        .value(name)
        .expected(
            "a built-in metric, an outputs.csv metric of this project, or a [[metric]] formula",
        )
        .zh_expected(
            "内置指标、本项目 outputs.csv（产出数据）中的一行，或 [[metric]] 公式；\
             检查 outputs.csv 的“指标”列是否拼写一致",
        ),
        MetricError::ZeroBuiltin {
            metric,
            denominator,
        } => Problem::error(
            &scheme.path,
            format!(
                "indicator \"{}\": {metric} has a zero denominator ({denominator} = 0)",
                ind.id
            ),
        )
        .zh(format!(
            "指标“{}”：{metric} 的分母为 0（{denominator} = 0）",
            ind.id
        ))
        .code(Code::ZeroDenominator)
        .at_line(ind.line)
        .field("metric")
        .value(metric)
        .expected(format!("{denominator} above 0 in budget.csv"))
        .zh_expected(format!("budget.csv（预算）中 {denominator} 大于 0")),
        MetricError::ZeroDenominator {
            metric,
            expression,
            file,
            line,
        } => Problem::error(
            file,
            format!(
                "metric \"{metric}\" divides by zero in {expression} (needed by indicator \"{}\")",
                ind.id
            ),
        )
        .zh(format!(
            "派生指标“{metric}”在 {expression} 中除以零（指标“{}”需要它）",
            ind.id
        ))
        .code(Code::ZeroDenominator)
        .at_line(*line)
        .field("formula")
        .zh_field("公式")
        .expected("a non-zero denominator, or on_zero = \"zero\" if 0 is the right answer")
        .zh_expected("不为零的分母；若 0 就是应有的结果，写 on_zero = \"zero\""),
        MetricError::Cycle(names) => Problem::error(
            &scheme.path,
            format!(
                "derived metrics refer to each other: {}",
                crate::scheme::lint::cycle_text(names)
            ),
        )
        .zh(format!(
            "派生指标相互引用，成了环：{}",
            crate::scheme::lint::cycle_text(names)
        ))
        .code(Code::MetricCycle)
        .at_line(ind.line)
        .field("metric")
        .zh_field("数据")
        .expected("formulas without a cycle")
        .zh_expected("不成环的公式"),
        MetricError::TooDeep { metric } => Problem::error(
            &scheme.path,
            format!(
                "metric \"{metric}\" uses derived metrics more than {} levels deep",
                crate::metrics::MAX_DERIVED_DEPTH
            ),
        )
        .zh(format!(
            "派生指标“{metric}”引用其他派生指标超过 {} 层",
            crate::metrics::MAX_DERIVED_DEPTH
        ))
        .code(Code::InvalidValue)
        .at_line(ind.line)
        .field("metric")
        .zh_field("数据")
        .expected("formulas that use other derived metrics a few levels deep at most")
        .zh_expected("引用其他派生指标不超过几层的公式"),
        MetricError::Overflow { metric } => Problem::error(
            &scheme.path,
            format!("metric \"{metric}\" is too large to compute"),
        )
        .zh(format!("派生指标“{metric}”的值太大，无法计算"))
        .code(Code::InvalidValue)
        .at_line(ind.line)
        .field("metric")
        .zh_field("数据")
        .expected("a value within ±1,000,000,000,000,000 (10^15)")
        .zh_expected("绝对值不超过 1,000,000,000,000,000（10^15）的值"),
    }
}
