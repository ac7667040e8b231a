//! `jixiao explain DIR INDICATOR`: how one indicator's score came about — the inputs with
//! the file and line each came from, the rule and its parameters, every arithmetic step and
//! the rounding (四舍五入).
//!
//! Every number is computed by the same functions that scored the indicator: metric values
//! come from [`Outcome::metrics`], rule results from [`crate::scoring::rules`], rounding from
//! [`crate::decimal`]. Nothing here re-implements a rule; the last step is checked against
//! the score in the outcome.

use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::fmt::Write;

use crate::builtin::Builtin;
use crate::decimal::{grouped, percent, plain, round_half_up, round_rate, round_score, score_text};
use crate::formula::{Expr, Func, Op};
use crate::i18n::Lang;
use crate::judgment::{JudgedTier, JudgmentRow};
use crate::metrics::{MetricValue, Metrics, Source};
use crate::outcome::Outcome;
use crate::scheme::{
    Band, ChecklistItem, Dimension, Group, Indicator, Rule, Scoring, Target, Tiers, Unit,
};
use crate::scoring::{IndicatorScore, rules, show};

/// The indicator asked for is not in the scheme.
#[derive(Debug, thiserror::Error)]
#[error("no indicator \"{wanted}\" in scheme \"{scheme}\"; its indicators are: {ids}")]
pub struct UnknownIndicator {
    pub wanted: String,
    pub scheme: String,
    pub ids: String,
}

/// Find an indicator by id (any case) or by its exact name.
fn find<'a>(
    o: &'a Outcome,
    wanted: &str,
) -> Option<(&'a Dimension, &'a Group, &'a Indicator, &'a IndicatorScore)> {
    let w = wanted.trim();
    let (d, g, ind) = o
        .scheme
        .indicators()
        .find(|(_, _, i)| i.id.eq_ignore_ascii_case(w))
        .or_else(|| o.scheme.indicators().find(|(_, _, i)| i.name == w))?;
    let score = o.sheet.indicators.iter().find(|s| s.id == ind.id)?;
    Some((d, g, ind, score))
}

/// The derivation of one indicator's score, as text for people.
pub fn explain(o: &Outcome, indicator: &str, lang: Lang) -> Result<String, UnknownIndicator> {
    let Some((dim, group, ind, scored)) = find(o, indicator) else {
        return Err(UnknownIndicator {
            wanted: indicator.to_string(),
            scheme: o.scheme.id.clone(),
            ids: o
                .scheme
                .indicators()
                .map(|(_, _, i)| i.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let mut x = Explainer {
        o,
        lang,
        metrics: o.metrics(),
        out: String::new(),
        explained: BTreeSet::new(),
    };
    x.run(dim, group, ind, scored);
    Ok(x.out)
}

struct Explainer<'a> {
    o: &'a Outcome,
    lang: Lang,
    metrics: Metrics<'a>,
    out: String,
    /// Metrics already derived above (not repeated).
    explained: BTreeSet<String>,
}

/// A number as exactly as it is held, or to six places with "≈" when it has more.
fn exact(v: Decimal) -> String {
    let rounded = round_half_up(v, 6);
    if rounded == v {
        plain(v)
    } else {
        format!("≈{}", plain(rounded))
    }
}

/// A metric value in its unit, for people: 67.90%, 67,900.00元, 135件, ≈502.962963元/件.
fn shown(v: Decimal, unit: &Unit) -> String {
    match unit {
        Unit::Percent => {
            if round_rate(v) == v {
                percent(v)
            } else {
                format!("{} ({})", percent(v), exact(v))
            }
        }
        Unit::Yuan => format!("{}元", grouped(v)),
        Unit::Wan => format!("{}万元 ({}元)", crate::decimal::wan(v), grouped(v)),
        Unit::Other(u) => format!("{}{u}", exact(v)),
        Unit::None => exact(v),
    }
}

/// A value inside a formula: money with separators, everything else as the base number.
fn in_formula(v: &MetricValue) -> String {
    match v.unit {
        Unit::Yuan | Unit::Wan => grouped(v.value),
        _ => exact(v.value),
    }
}

/// The rule's name as officers say it.
fn rule_name(scoring: &Scoring, lang: Lang) -> &'static str {
    let zh_en = match scoring {
        Scoring::Quantitative { rule, .. } => match rule {
            Rule::Proportional => ("正向指标（完成值/指标值×分值，封顶）", "proportional"),
            Rule::Inverse => ("反向指标（指标值/完成值×分值，封顶）", "inverse"),
            Rule::ReverseDeviation => (
                "反向指标（平台公式 (1−(B−A)/A)×分值，2A 时为 0）",
                "reverse deviation",
            ),
            Rule::EqualZero => ("等于零（=0 得满分，否则 0 分）", "equal to zero"),
            Rule::Bands(_) => ("阶梯（按区间得分）", "bands"),
            Rule::DeductPerPoint { .. } => ("每差一个步长扣分，扣完为止", "deduct per point"),
            Rule::DeductPerCase { .. } => ("每发生一次扣分，扣完为止", "deduct per case"),
            Rule::Binary => ("是/否（满足得满分，否则 0 分）", "binary"),
            Rule::Tolerance { .. } => ("趋中（容差带内满分，线性递减）", "tolerance"),
        },
        Scoring::Checklist(_) => ("评价要点（逐项得分）", "checklist"),
        Scoring::Qualitative(_) => ("定性指标（三档，评价人在档内评分）", "qualitative"),
        Scoring::Manual => ("人工评分", "manual"),
    };
    lang.pick(zh_en.0, zh_en.1)
}

impl<'a> Explainer<'a> {
    fn t<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(zh, en)
    }

    fn colon(&self) -> &'static str {
        self.lang.pick("：", ": ")
    }

    fn open(&self) -> &'static str {
        self.lang.pick("（", " (")
    }

    fn close(&self) -> &'static str {
        self.lang.pick("）", ")")
    }

    fn line(&mut self, depth: usize, text: impl AsRef<str>) {
        let _ = writeln!(self.out, "{}{}", "  ".repeat(depth), text.as_ref());
    }

    fn heading(&mut self, zh: &str, en: &str) {
        let h = self.t(zh, en).to_string();
        let _ = writeln!(self.out, "\n{h}");
    }

    /// "file 第 N 行" / "file line N".
    fn at(&self, file: &std::path::Path, line: usize) -> String {
        match self.lang {
            Lang::Zh => format!("{} 第 {line} 行", file.display()),
            Lang::En => format!("{} line {line}", file.display()),
        }
    }

    // Split pending (issue 12, item 8).
    #[allow(clippy::too_many_lines)]
    fn run(&mut self, dim: &Dimension, group: &Group, ind: &Indicator, scored: &IndicatorScore) {
        let o = self.o;
        self.line(0, format!("{} {}", ind.id, ind.name));
        let path = match self.lang {
            Lang::Zh => format!(
                "{}（{}分） › {}（{}分） › {} {}，分值 {}",
                dim.name,
                plain(dim.weight),
                group.name,
                plain(group.weight),
                ind.id,
                ind.name,
                plain(ind.weight)
            ),
            Lang::En => format!(
                "{} ({}) › {} ({}) › {} {}, weight {}",
                dim.name,
                plain(dim.weight),
                group.name,
                plain(group.weight),
                ind.id,
                ind.name,
                plain(ind.weight)
            ),
        };
        self.line(1, path);
        let scheme_at = self.at(&o.scheme.path, ind.line);
        self.line(
            1,
            format!(
                "{}{} ({})",
                self.t("指标体系：", "scheme: "),
                scheme_at,
                o.scheme.id
            ),
        );

        let judgments: Vec<&JudgmentRow> = o
            .sources
            .judgments
            .iter()
            .filter(|j| j.indicator == ind.id)
            .collect();
        let na = judgments
            .iter()
            .find(|j| j.tier == Some(JudgedTier::NotApplicable));

        // ── inputs ──
        self.heading("一、输入", "1. Inputs");
        let w = ind.weight;
        self.line(1, format!("w {} = {}", self.t("分值", "weight"), plain(w)));
        match &ind.scoring {
            Scoring::Quantitative { metric, target, .. } if na.is_none() => {
                self.target_line(target);
                self.line(
                    1,
                    format!("B {} = {metric}", self.t("实际完成值", "actual value")),
                );
                self.metric(metric, 2);
                if let (Ok(v), Some(actual)) = (self.metrics.get(metric), &scored.actual)
                    && exact(v.value).starts_with('≈')
                {
                    let text = match self.lang {
                        Lang::Zh => format!(
                            "B 在评分表中显示为 {actual}（四舍五入保留两位小数）；计分用精确值 {}",
                            exact(v.value)
                        ),
                        Lang::En => format!(
                            "B is shown as {actual} (rounded half away from zero to 2 places); the rule uses the exact value {}",
                            exact(v.value)
                        ),
                    };
                    self.line(2, text);
                }
            }
            Scoring::Checklist(items) if na.is_none() => {
                for item in items {
                    self.line(
                        1,
                        format!(
                            "{}{}{}{} {}{} = {}",
                            self.t("要点 ", "item "),
                            item.name,
                            self.open(),
                            plain(item.points),
                            self.t("分", "points"),
                            self.close(),
                            item.metric
                        ),
                    );
                    self.metric(&item.metric, 2);
                }
            }
            _ => {
                if let Some(t) = &ind.target_text {
                    self.line(1, format!("A {} = {t}", self.t("年度指标值", "target")));
                }
            }
        }
        if let Some(s) = &ind.standard {
            self.line(1, format!("{}{s}", self.t("评分标准：", "standard: ")));
        }
        let file = o.sources.judgments_file.clone();
        if judgments.is_empty() {
            self.line(
                1,
                format!(
                    "{}{}",
                    self.t("评价意见：无（", "judgments: none ("),
                    file.display()
                ) + self.t(" 中没有该指标的行）", " has no row for it)"),
            );
        }
        for j in &judgments {
            let mut parts = Vec::new();
            match j.tier {
                Some(JudgedTier::Tier(t)) => parts.push(format!(
                    "{}{}",
                    self.t("档次 ", "tier "),
                    self.lang.pick(t.zh(), t.en())
                )),
                Some(JudgedTier::NotApplicable) => {
                    parts.push(self.t("不适用", "not applicable").to_string())
                }
                None => {}
            }
            if let Some(s) = j.score {
                parts.push(format!("{}{}", self.t("评分 ", "score "), plain(s)));
            }
            if let Some(d) = j.deduction {
                parts.push(format!("{}{}", self.t("扣分 ", "deduction "), plain(d)));
            }
            if let Some(r) = &j.reason {
                parts.push(format!("{}{r}", self.t("原因：", "reason: ")));
            }
            let at = self.at(&file, j.line);
            self.line(
                1,
                format!(
                    "{}{at}{}{}",
                    self.t("评价意见 ", "judgment "),
                    self.colon(),
                    parts.join(self.t("；", "; "))
                ),
            );
        }

        // ── rule ──
        self.heading("二、评分方法", "2. Rule");
        let rule_line = format!(
            "{} (rule = \"{}\")",
            rule_name(&ind.scoring, self.lang),
            ind.scoring.key()
        );
        self.line(1, rule_line);
        self.rule_parameters(ind);

        // ── arithmetic ──
        self.heading("三、计算", "3. Arithmetic");
        let raw = if let Some(row) = na {
            let at = self.at(&file, row.line);
            self.line(
                1,
                format!(
                    "{}{at}{}",
                    self.t("不适用（", "not applicable ("),
                    self.t(
                        "）：不计分，总分按百分制折算",
                        "): left out; the total is rescaled"
                    )
                ),
            );
            None
        } else {
            Some(self.arithmetic(ind, &judgments))
        };

        // ── deductions and rounding ──
        let result = raw.map(|raw| {
            let mut value = raw;
            let deductions: Vec<&&JudgmentRow> =
                judgments.iter().filter(|j| j.deduction.is_some()).collect();
            if !deductions.is_empty() {
                let total: Decimal = deductions.iter().filter_map(|j| j.deduction).sum();
                let after = (raw - total).max(Decimal::ZERO);
                let lines: Vec<String> =
                    deductions.iter().map(|j| self.at(&file, j.line)).collect();
                self.line(
                    1,
                    format!(
                        "{}{} − {} = {}{}{}{}{}",
                        self.t("扣分：", "deductions: "),
                        exact(raw),
                        plain(total),
                        exact(after),
                        if raw - total < Decimal::ZERO {
                            self.t("，不低于 0", ", floored at 0")
                        } else {
                            ""
                        },
                        self.open(),
                        lines.join(self.t("、", ", ")),
                        self.close()
                    ),
                );
                value = after;
            }
            let rounded = round_score(value);
            self.line(
                1,
                format!(
                    "{}{} → {}",
                    self.t(
                        "四舍五入保留两位小数：",
                        "rounded half away from zero to 2 places: "
                    ),
                    exact(value),
                    score_text(rounded)
                ),
            );
            rounded
        });

        // ── result ──
        self.heading("四、结果", "4. Result");
        match (result, scored.score) {
            (Some(mine), Some(theirs)) => {
                self.line(
                    1,
                    format!(
                        "{}{} / {}{}{}",
                        self.t("得分 ", "score "),
                        score_text(theirs),
                        plain(w),
                        self.t("，失分 ", ", lost "),
                        score_text(w - theirs)
                    ),
                );
                if mine != theirs {
                    self.line(
                        1,
                        format!(
                            "{}{}",
                            self.t(
                                "注意：以上计算与评分结果不一致，请报告此问题：",
                                "note: the steps above disagree with the score; please report: "
                            ),
                            score_text(mine)
                        ),
                    );
                }
            }
            _ => self.line(1, self.t("不适用，不计分", "not applicable, not scored")),
        }
        self.line(
            1,
            format!(
                "{}{}",
                self.t("评分表计分依据：", "basis in the table: "),
                scored.basis
            ),
        );
        if let Some(r) = &scored.reason {
            self.line(1, format!("{}{r}", self.t("扣分原因：", "reason: ")));
        }
        for warning in &scored.warnings {
            self.line(1, format!("{}{warning}", self.t("提示：", "note: ")));
        }
        if o.sheet.rescaled {
            self.line(
                1,
                format!(
                    "{}{} × {} / {} = {}",
                    self.t(
                        "总分按百分制折算：Σ得分 × 总分 / 适用分值 = ",
                        "total rescaled: Σscores × total / applicable weight = "
                    ),
                    score_text(o.sheet.indicators.iter().filter_map(|i| i.score).sum()),
                    plain(o.scheme.total),
                    plain(o.sheet.applicable_weight),
                    score_text(o.sheet.total)
                ),
            );
        }
    }

    fn target_line(&mut self, target: &Target) {
        let base = if target.quantity.unit == Unit::Percent {
            format!(" = {}", exact(target.value()))
        } else if target.quantity.unit == Unit::Wan {
            format!(" = {}元", grouped(target.value()))
        } else {
            String::new()
        };
        let text = format!("A {} = {target}{base}", self.t("年度指标值", "target"));
        self.line(1, text);
    }

    /// A metric's value and where it came from, recursively for formulas.
    fn metric(&mut self, name: &str, depth: usize) {
        let value = match self.metrics.get(name) {
            Ok(v) => v,
            Err(_) => {
                self.line(depth, format!("{name}: —"));
                return;
            }
        };
        let label = Builtin::parse(name)
            .map(|b| b.label(self.lang).to_string())
            .or_else(|| self.definition(name).and_then(|d| d.name.clone()))
            .filter(|l| l != name)
            .map(|l| format!(" {l}"))
            .unwrap_or_default();
        let head = format!("{name}{label} = {}", shown(value.value, &value.unit));
        if !self.explained.insert(name.to_string()) {
            let above = self.t("（见上）", " (see above)");
            self.line(depth, format!("{head}{above}"));
            return;
        }
        match &value.source {
            Source::Output { file, line } => {
                let note = self
                    .o
                    .sources
                    .outputs
                    .iter()
                    .find(|r| r.metric == name)
                    .and_then(|r| r.note.clone())
                    .map(|n| format!("{}{n}{}", self.open(), self.close()))
                    .unwrap_or_default();
                let at = self.at(file, *line);
                let c = self.colon();
                self.line(depth, format!("{head}{c}{at}{note}"));
            }
            Source::Builtin => self.builtin(name, head, depth),
            Source::Derived { formula } => {
                let def_at = self
                    .definition(name)
                    .map(|d| self.at(&d.file, d.formula_line))
                    .unwrap_or_default();
                let (c, op, cl) = (self.colon(), self.open(), self.close());
                self.line(depth, format!("{head}{c}{formula}{op}{def_at}{cl}"));
                let Ok(expr) = Expr::parse(formula) else {
                    return;
                };
                for m in expr.metrics() {
                    self.metric(&m, depth + 1);
                }
                let mut values = |m: &str| {
                    self.metrics
                        .get(m)
                        .map(|v| in_formula(&v))
                        .unwrap_or_else(|_| m.to_string())
                };
                let substituted = substitute(&expr, &mut values);
                self.line(
                    depth + 1,
                    format!(
                        "{name} = {substituted} = {}{}",
                        exact(value.value),
                        if value.unit == Unit::Percent {
                            format!(" = {}", percent(value.value))
                        } else {
                            String::new()
                        }
                    ),
                );
            }
        }
    }

    fn definition(&self, name: &str) -> Option<&'a crate::scheme::DerivedMetric> {
        let o = self.o;
        o.scheme
            .metrics
            .iter()
            .chain(&o.sources.metrics)
            .find(|m| m.id == name)
    }

    fn builtin(&mut self, name: &str, head: String, depth: usize) {
        let o = self.o;
        let budget_file = o.sources.paths.budget.clone();
        let spending_file = o.sources.paths.spending.clone();
        let Some(b) = Builtin::parse(name) else {
            self.line(depth, head);
            return;
        };
        match b {
            Builtin::Spent => {
                let rows = &o.sources.spending;
                let text = match self.lang {
                    Lang::Zh => format!(
                        "{head}：{} 中本项目 {} 行之和（负数为冲销）",
                        spending_file.display(),
                        rows.len()
                    ),
                    Lang::En => format!(
                        "{head}: the sum of the project's {} rows of {} (negative = reversal)",
                        rows.len(),
                        spending_file.display()
                    ),
                };
                self.line(depth, text);
                let width = rows
                    .iter()
                    .map(|r| grouped(r.amount).len())
                    .max()
                    .unwrap_or(0);
                let line_width = rows
                    .iter()
                    .map(|r| r.line.to_string().len())
                    .max()
                    .unwrap_or(0);
                for r in rows {
                    let what = [r.voucher.as_deref(), r.description.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let at = match self.lang {
                        Lang::Zh => format!("第 {:>line_width$} 行", r.line),
                        Lang::En => format!("line {:>line_width$}", r.line),
                    };
                    self.line(
                        depth + 1,
                        format!("{at}  {}  {:>width$}  {what}", r.date, grouped(r.amount))
                            .trim_end(),
                    );
                }
                let sum: Decimal = rows.iter().map(|r| r.amount).sum();
                self.line(
                    depth + 1,
                    format!("{}{}", self.t("合计 ", "total "), grouped(sum)),
                );
            }
            Builtin::InitialBudget | Builtin::AdjustedBudget | Builtin::Allocated => {
                let rows = &o.sources.budget;
                let pick = |r: &crate::records::BudgetRow| match b {
                    Builtin::InitialBudget => r.initial_budget,
                    Builtin::AdjustedBudget => r.adjusted_budget,
                    _ => r.allocated,
                };
                let parts: Vec<String> = rows
                    .iter()
                    .map(|r| {
                        let source = r.source.as_deref().unwrap_or("当年财政拨款");
                        match self.lang {
                            Lang::Zh => {
                                format!("第 {} 行 {source} {}", r.line, grouped(pick(r)))
                            }
                            Lang::En => {
                                format!("line {} {source} {}", r.line, grouped(pick(r)))
                            }
                        }
                    })
                    .collect();
                self.line(
                    depth,
                    format!(
                        "{head}{}{} {}",
                        self.colon(),
                        budget_file.display(),
                        parts.join(self.t("；", "; "))
                    ),
                );
                if rows.len() > 1 {
                    let terms: Vec<String> = rows.iter().map(|r| grouped(pick(r))).collect();
                    let sum: Decimal = rows.iter().map(pick).sum();
                    self.line(
                        depth + 1,
                        format!("{} = {}", terms.join(" + "), grouped(sum)),
                    );
                }
            }
            Builtin::Balance => {
                let (allocated, spent) = (Builtin::Allocated.name(), Builtin::Spent.name());
                self.line(depth, format!("{head} = {allocated} − {spent}"));
                self.metric(allocated, depth + 1);
                self.metric(spent, depth + 1);
                let f = &o.funds;
                self.line(
                    depth + 1,
                    format!(
                        "{} − {} = {}",
                        grouped(f.allocated),
                        grouped(f.spent),
                        grouped(f.balance())
                    ),
                );
            }
            Builtin::ExecutionRate | Builtin::ExecutionRateAllocated | Builtin::ArrivalRate => {
                let Some((num, den)) = b.ratio() else { return };
                let (num, den) = (num.name(), den.name());
                self.line(depth, format!("{head} = {num} / {den}"));
                self.metric(num, depth + 1);
                self.metric(den, depth + 1);
                let (Ok(n), Ok(d), Ok(v)) = (
                    self.metrics.get(num),
                    self.metrics.get(den),
                    self.metrics.get(name),
                ) else {
                    return;
                };
                let quotient = rules::ratio(n.value, d.value).unwrap_or_default();
                self.line(
                    depth + 1,
                    format!(
                        "{} / {} = {} → {}{}",
                        grouped(n.value),
                        grouped(d.value),
                        exact(quotient),
                        percent(v.value),
                        self.t(
                            "（比率按百分数四舍五入保留两位小数，并以此计分）",
                            " (rates are rounded half away from zero to 0.01% and scored as shown)"
                        )
                    ),
                );
            }
        }
    }

    fn rule_parameters(&mut self, ind: &Indicator) {
        match &ind.scoring {
            Scoring::Quantitative { rule, target, .. } => {
                let unit = &target.quantity.unit;
                match rule {
                    Rule::Bands(bands) => {
                        for b in bands {
                            self.line(2, format!("{} → {}", b.range_text, plain(b.score)));
                        }
                    }
                    Rule::DeductPerPoint {
                        step,
                        points,
                        whole_steps,
                    } => {
                        let text = match self.lang {
                            Lang::Zh => format!(
                                "步长 step = {}，每步扣 points = {} 分，{}",
                                show(*step, unit),
                                plain(*points),
                                if *whole_steps {
                                    "只计整步（不足一步不扣分）"
                                } else {
                                    "按比例计步"
                                }
                            ),
                            Lang::En => format!(
                                "step = {}, points = {} per step, {}",
                                show(*step, unit),
                                plain(*points),
                                if *whole_steps {
                                    "whole steps only"
                                } else {
                                    "steps counted proportionally"
                                }
                            ),
                        };
                        self.line(2, text);
                    }
                    Rule::DeductPerCase { points } => {
                        let text = format!(
                            "points = {} {}",
                            plain(*points),
                            self.t("分/次", "per occurrence")
                        );
                        self.line(2, text);
                    }
                    Rule::Tolerance { within, zero_at } => {
                        let text = format!(
                            "within = {}，zero_at = {}",
                            percent(*within),
                            percent(*zero_at)
                        );
                        self.line(2, text);
                    }
                    _ => {}
                }
                if let Some(t) = ind.over_completion
                    && target.comparator.higher_is_better()
                    && target.value() > Decimal::ZERO
                {
                    let text = format!(
                        "{}{}",
                        self.t(
                            "超额完成提示阈值（不影响得分）：",
                            "over-completion warning at (no effect on the score): "
                        ),
                        percent(t)
                    );
                    self.line(2, text);
                }
            }
            Scoring::Checklist(items) => {
                for i in items {
                    let text = format!(
                        "{}{}{} {}{}",
                        i.name,
                        self.colon(),
                        plain(i.points),
                        self.t("分", "points"),
                        self.t("（取值 > 0 为符合）", " (met when its value > 0)")
                    );
                    self.line(2, text);
                }
            }
            Scoring::Qualitative(tiers) => self.tiers(tiers, ind.weight),
            Scoring::Manual => {
                let text = format!(
                    "{}{}",
                    self.t(
                        "评分须在 0 至分值之间：0–",
                        "the score lies from 0 to the weight: 0–"
                    ),
                    plain(ind.weight)
                );
                self.line(2, text);
            }
        }
    }

    fn tiers(&mut self, tiers: &Tiers, w: Decimal) {
        for tier in [
            rules::Tier::Achieved,
            rules::Tier::Partial,
            rules::Tier::NotAchieved,
        ] {
            let (low, high, inclusive) = rules::tier_range(tier, tiers, w);
            let text = format!(
                "{}{}[{}, {}{}",
                self.lang.pick(tier.zh(), tier.en()),
                self.colon(),
                plain(low),
                plain(high),
                if inclusive { "]" } else { ")" }
            );
            self.line(2, text);
        }
        let text = format!(
            "{}round({} × {}, 2) = {}，round({} × {}, 2) = {}",
            self.t("档界：", "bounds: "),
            plain(w),
            percent(tiers.achieved_min),
            plain(round_score(w * tiers.achieved_min)),
            plain(w),
            percent(tiers.partial_min),
            plain(round_score(w * tiers.partial_min)),
        );
        self.line(2, text);
    }

    /// The rule's steps; returns the unrounded score before deductions.
    fn arithmetic(&mut self, ind: &Indicator, judgments: &[&JudgmentRow]) -> Decimal {
        let w = ind.weight;
        match &ind.scoring {
            Scoring::Quantitative {
                metric,
                target,
                rule,
            } => {
                let Ok(value) = self.metrics.get(metric) else {
                    return Decimal::ZERO;
                };
                self.quantitative(target, rule, &value, w)
            }
            Scoring::Checklist(items) => self.checklist(items, w),
            Scoring::Qualitative(tiers) => {
                let Some(row) = judgments
                    .iter()
                    .find(|j| j.tier.is_some() || j.score.is_some())
                else {
                    return Decimal::ZERO;
                };
                let (Some(JudgedTier::Tier(tier)), Some(score)) = (row.tier, row.score) else {
                    return Decimal::ZERO;
                };
                let (low, high, inclusive) = rules::tier_range(tier, tiers, w);
                let ok = rules::in_tier(tier, tiers, w, score);
                let text = match self.lang {
                    Lang::Zh => format!(
                        "评定档次“{}”，档内 [{}, {}{}，评定得分 {}{}",
                        tier.zh(),
                        plain(low),
                        plain(high),
                        if inclusive { "]" } else { ")" },
                        plain(score),
                        if ok {
                            "，在档内"
                        } else {
                            "，不在档内"
                        }
                    ),
                    Lang::En => format!(
                        "judged tier \"{}\", range [{}, {}{}, judged score {}{}",
                        tier.en(),
                        plain(low),
                        plain(high),
                        if inclusive { "]" } else { ")" },
                        plain(score),
                        if ok { ", inside" } else { ", outside" }
                    ),
                };
                self.line(1, text);
                score
            }
            Scoring::Manual => {
                let score = judgments
                    .iter()
                    .find_map(|j| j.score)
                    .unwrap_or(Decimal::ZERO);
                let text = format!(
                    "{}{} ≤ {}",
                    self.t("人工评分 ", "judged score "),
                    plain(score),
                    plain(w)
                );
                self.line(1, text);
                score
            }
        }
    }

    fn checklist(&mut self, items: &[ChecklistItem], w: Decimal) -> Decimal {
        let mut met = Vec::new();
        for item in items {
            let v = self.metrics.get(&item.metric).map(|v| v.value);
            let ok = v.as_ref().is_ok_and(|v| *v > Decimal::ZERO);
            let text = format!(
                "{}{}{} = {} → {}",
                item.name,
                self.colon(),
                item.metric,
                v.clone().map(exact).unwrap_or_else(|_| "—".into()),
                if ok {
                    format!("{} {}", self.t("符合，得", "met,"), plain(item.points))
                } else {
                    self.t("不符合，0", "not met, 0").to_string()
                }
            );
            self.line(1, text);
            if ok {
                met.push(item.points);
            }
        }
        let raw = rules::checklist(met.iter().copied(), w);
        let sum = if met.is_empty() {
            "0".to_string()
        } else {
            met.iter()
                .map(|p| plain(*p))
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let total: Decimal = met.iter().sum();
        let text = format!(
            "{sum} = {}{}",
            plain(total),
            if total > w {
                format!(
                    "{}{}",
                    self.t("，超过分值，按 ", ", above the weight: "),
                    plain(raw)
                )
            } else {
                String::new()
            }
        );
        self.line(1, text);
        raw
    }

    // Split pending (issue 12, item 8).
    #[allow(clippy::too_many_lines)]
    fn quantitative(
        &mut self,
        target: &Target,
        rule: &Rule,
        value: &MetricValue,
        w: Decimal,
    ) -> Decimal {
        let a = target.value();
        let b = value.value;
        let unit = match &target.quantity.unit {
            Unit::None => value.unit.clone(),
            u => u.clone(),
        };
        let s = |v: Decimal| show(v, &unit);
        let bc = rules::clamp_actual(b);
        if bc != b && rule.counts_negative_as_zero() {
            let text = format!(
                "B = {} {}",
                s(b),
                self.t("为负，按 0 计", "is negative and counts as 0")
            );
            self.line(1, text);
        }
        let c = self.colon();
        let full = self.t("得满分", "full marks");
        let zero = self.t("得 0 分", "0 points");
        match rule {
            Rule::Proportional => {
                let raw = rules::proportional(a, b, w);
                if a <= Decimal::ZERO || bc >= a {
                    self.line(
                        1,
                        format!("B ≥ A{c}{} ≥ {} → {full} {}", s(bc), s(a), plain(w)),
                    );
                } else {
                    let share = rules::ratio(bc, a).unwrap_or_default();
                    self.line(
                        1,
                        format!(
                            "B < A{c}B / A × w = {} / {} × {} = {} × {} = {}",
                            s(bc),
                            s(a),
                            plain(w),
                            exact(share),
                            plain(w),
                            exact(raw)
                        ),
                    );
                }
                raw
            }
            Rule::Inverse => {
                let raw = rules::inverse(a, b, w);
                if bc <= a {
                    self.line(
                        1,
                        format!("B ≤ A{c}{} ≤ {} → {full} {}", s(bc), s(a), plain(w)),
                    );
                } else if a <= Decimal::ZERO {
                    self.line(1, format!("A = 0, B = {} > 0 → {zero}", s(bc)));
                } else {
                    let share = rules::ratio(a, bc).unwrap_or_default();
                    self.line(
                        1,
                        format!(
                            "B > A{c}A / B × w = {} / {} × {} = {} × {} = {}",
                            s(a),
                            s(bc),
                            plain(w),
                            exact(share),
                            plain(w),
                            exact(raw)
                        ),
                    );
                }
                raw
            }
            Rule::ReverseDeviation => {
                let raw = rules::reverse_deviation(a, b, w);
                if bc <= a {
                    self.line(
                        1,
                        format!("B ≤ A{c}{} ≤ {} → {full} {}", s(bc), s(a), plain(w)),
                    );
                } else if a <= Decimal::ZERO {
                    self.line(1, format!("A = 0, B = {} > 0 → {zero}", s(bc)));
                } else {
                    let d = rules::ratio(bc - a, a);
                    let d_text = d.map_or_else(|| "∞".to_string(), exact);
                    self.line(
                        1,
                        format!(
                            "{}(B − A) / A = ({} − {}) / {} = {d_text}",
                            self.t("偏离度 ", "deviation "),
                            s(bc),
                            s(a),
                            s(a)
                        ),
                    );
                    if raw.is_zero() {
                        self.line(1, format!("B ≥ 2A → {zero}"));
                    } else {
                        self.line(1, format!("(1 − {d_text}) × {} = {}", plain(w), exact(raw)));
                    }
                }
                raw
            }
            Rule::EqualZero => {
                let raw = rules::equal_zero(b, w);
                if raw == w {
                    self.line(1, format!("B = {} ≤ 0 → {full} {}", s(b), plain(w)));
                } else {
                    self.line(1, format!("B = {} > 0 → {zero}", s(b)));
                }
                raw
            }
            Rule::Bands(bands) => self.bands(bands, b, w, &unit),
            Rule::DeductPerPoint {
                step,
                points,
                whole_steps,
            } => {
                let gap = rules::gap(target.comparator, a, b);
                let raw = rules::deduct_per_point(gap, *step, *points, *whole_steps, w);
                let how = if target.comparator.higher_is_better() {
                    format!("A − B = {} − {}", s(a), s(b))
                } else {
                    format!("B − A = {} − {}", s(b), s(a))
                };
                self.line(
                    1,
                    format!(
                        "{}{how} = {}{}",
                        self.t("差距 ", "gap "),
                        s(gap),
                        self.t("（不计负数）", " (never negative)")
                    ),
                );
                if gap.is_zero() {
                    self.line(
                        1,
                        format!("{} → {full} {}", self.t("无差距", "no gap"), plain(w)),
                    );
                    return raw;
                }
                let steps = rules::steps(gap, *step, *whole_steps);
                let steps_text = steps.map_or_else(|| "∞".to_string(), exact);
                self.line(
                    1,
                    format!(
                        "{}{} / {} = {}{steps_text}",
                        self.t("步数 ", "steps "),
                        s(gap),
                        s(*step),
                        if *whole_steps {
                            self.t("，取整 ", ", whole steps ")
                        } else {
                            ""
                        }
                    ),
                );
                let deducted = steps.and_then(|s| s.checked_mul(*points));
                self.line(
                    1,
                    format!(
                        "{}{steps_text} × {} = {}；{} − {} = {}{}",
                        self.t("扣分 ", "deduction "),
                        plain(*points),
                        deducted.map_or_else(|| "∞".to_string(), exact),
                        plain(w),
                        deducted.map_or_else(|| "∞".to_string(), exact),
                        exact(raw),
                        if deducted.is_none_or(|d| d > w) {
                            self.t("（扣完为止，不低于 0）", " (floored at 0)")
                        } else {
                            ""
                        }
                    ),
                );
                raw
            }
            Rule::DeductPerCase { points } => {
                let raw = rules::deduct_per_case(b, *points, w);
                self.line(
                    1,
                    format!(
                        "w − B × points = {} − {} × {} = {}{}",
                        plain(w),
                        exact(bc),
                        plain(*points),
                        exact(raw),
                        if bc * *points > w {
                            self.t("（扣完为止，不低于 0）", " (floored at 0)")
                        } else {
                            ""
                        }
                    ),
                );
                raw
            }
            Rule::Binary => {
                let raw = rules::binary(target.comparator, a, b, w);
                let holds = raw == w;
                self.line(
                    1,
                    format!(
                        "B {} A{c}{} {} {} {} → {}",
                        target.comparator.symbol(),
                        s(b),
                        target.comparator.symbol(),
                        s(a),
                        if holds {
                            self.t("成立", "holds")
                        } else {
                            self.t("不成立", "does not hold")
                        },
                        if holds {
                            format!("{full} {}", plain(w))
                        } else {
                            zero.to_string()
                        }
                    ),
                );
                raw
            }
            Rule::Tolerance { within, zero_at } => {
                let raw = rules::tolerance(a, b, *within, *zero_at, w);
                if a.is_zero() {
                    self.line(
                        1,
                        format!(
                            "A = 0{c}{}",
                            if raw == w {
                                format!("B = 0 → {full} {}", plain(w))
                            } else {
                                format!("B ≠ 0 → {zero}")
                            }
                        ),
                    );
                    return raw;
                }
                let d = rules::ratio(b - a, a).map(|d| d.abs());
                let d_text = d.map_or_else(|| "∞".to_string(), percent);
                self.line(
                    1,
                    format!(
                        "{}|B − A| / A = |{} − {}| / {} = {d_text}",
                        self.t("偏差 ", "deviation "),
                        s(b),
                        s(a),
                        s(a)
                    ),
                );
                let text = match d {
                    Some(d) if d <= *within => {
                        format!("{d_text} ≤ {} → {full} {}", percent(*within), plain(w))
                    }
                    Some(d) if d < *zero_at => format!(
                        "w × (zero_at − d) / (zero_at − within) = {} × ({} − {d_text}) / ({} − {}) = {}",
                        plain(w),
                        percent(*zero_at),
                        percent(*zero_at),
                        percent(*within),
                        exact(raw)
                    ),
                    _ => format!("{d_text} ≥ {} → {zero}", percent(*zero_at)),
                };
                self.line(1, text);
                raw
            }
        }
    }

    fn bands(&mut self, bands: &[Band], b: Decimal, w: Decimal, unit: &Unit) -> Decimal {
        let (raw, idx) = rules::bands(bands, b, w);
        let text = match idx {
            Some(i) => format!(
                "{} {} {} → {}{}",
                show(b, unit),
                self.t("属于", "falls in"),
                bands[i].range_text,
                plain(raw),
                if raw < bands[i].score {
                    self.t("（不超过分值）", " (capped at the weight)")
                } else {
                    ""
                }
            ),
            None => format!(
                "{} {}",
                show(b, unit),
                self.t("不在任何档内 → 0", "falls in no band → 0")
            ),
        };
        self.line(1, text);
        raw
    }
}

/// A formula with each metric replaced by its value, parenthesised as the formula's own
/// `Display` does.
fn substitute(e: &Expr, value: &mut dyn FnMut(&str) -> String) -> String {
    match e {
        Expr::Number(n) => plain(*n),
        Expr::Metric(m) => value(m),
        Expr::Neg(inner) if matches!(**inner, Expr::Binary(..)) => {
            format!("-({})", substitute(inner, value))
        }
        Expr::Neg(inner) => format!("-{}", substitute(inner, value)),
        Expr::Binary(op, a, b) => {
            let sym = match op {
                Op::Add => "+",
                Op::Sub => "−",
                Op::Mul => "×",
                Op::Div => "/",
            };
            let mut side = |e: &Expr| {
                let s = substitute(e, value);
                if matches!(e, Expr::Binary(..)) {
                    format!("({s})")
                } else {
                    s
                }
            };
            let left = side(a);
            let right = side(b);
            format!("{left} {sym} {right}")
        }
        Expr::Call(f, args) => {
            let name = match f {
                Func::Min => "min",
                Func::Max => "max",
                Func::Abs => "abs",
            };
            let list: Vec<String> = args.iter().map(|a| substitute(a, value)).collect();
            format!("{name}({})", list.join(", "))
        }
    }
}
