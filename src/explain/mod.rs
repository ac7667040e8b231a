//! `jixiao explain DIR INDICATOR`: how one indicator's score came about — the inputs with
//! the file and line each came from, the rule and its parameters, every arithmetic step and
//! the rounding (四舍五入).
//!
//! Nothing here applies a rule: metric values come from [`Outcome::metrics`], and every
//! step of the score (the rule's branch, its intermediate values, the deductions, the value
//! rounded) from the [`crate::scoring::Arithmetic`] that scoring recorded while it scored.

use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::fmt::Write;

use crate::decimal::{grouped, percent, plain, round_half_up, round_rate, score_text};
use crate::i18n::Lang;
use crate::judgment::{JudgedTier, JudgmentRow};
use crate::metrics::Metrics;
use crate::outcome::Outcome;
use crate::scheme::{Dimension, Group, Indicator, Scoring, Target, Unit};
use crate::scoring::IndicatorScore;
use crate::scoring::arithmetic::Steps;

mod arithmetic;
mod metric;
mod rule;

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
        Unit::Wan => format!("{}万元 ({}元)", crate::decimal::wan_exact(v), grouped(v)),
        Unit::Other(u) => format!("{}{u}", exact(v)),
        Unit::None => exact(v),
    }
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

    fn run(&mut self, dim: &Dimension, group: &Group, ind: &Indicator, scored: &IndicatorScore) {
        self.place(dim, group, ind);
        let o = self.o;
        let judgments: Vec<&JudgmentRow> = o
            .sources
            .judgments
            .iter()
            .filter(|j| j.indicator == ind.id)
            .collect();

        self.heading("一、输入", "1. Inputs");
        self.inputs(ind, scored);
        self.judgments(&judgments);

        self.heading("二、评分方法", "2. Rule");
        let rule_line = format!(
            "{} (rule = \"{}\")",
            rule::rule_name(&ind.scoring, self.lang),
            ind.scoring.key()
        );
        self.line(1, rule_line);
        self.rule_parameters(ind);

        self.heading("三、计算", "3. Arithmetic");
        let not_applicable = judgments
            .iter()
            .find(|j| j.tier == Some(JudgedTier::NotApplicable));
        if let (None, Some(score)) = (not_applicable, scored.score) {
            self.arithmetic(ind, &scored.arithmetic);
            self.deductions(&scored.arithmetic, &judgments);
            self.rounding(&scored.arithmetic, score);
        } else {
            let at = not_applicable.map(|r| self.at(&o.sources.judgments_file, r.line));
            self.line(
                1,
                format!(
                    "{}{}{}",
                    self.t("不适用（", "not applicable ("),
                    at.unwrap_or_default(),
                    self.t(
                        "）：不计分，总分按百分制折算",
                        "): left out; the total is rescaled"
                    )
                ),
            );
        }

        self.heading("四、结果", "4. Result");
        self.result(ind, scored);
    }

    /// The indicator's name and its place in the scheme.
    fn place(&mut self, dim: &Dimension, group: &Group, ind: &Indicator) {
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
        let scheme_at = self.at(&self.o.scheme.path, ind.line);
        let text = format!(
            "{}{} ({})",
            self.t("指标体系：", "scheme: "),
            scheme_at,
            self.o.scheme.id
        );
        self.line(1, text);
    }

    /// The weight, the target and the metrics the rule reads, each with its source.
    fn inputs(&mut self, ind: &Indicator, scored: &IndicatorScore) {
        self.line(
            1,
            format!("w {} = {}", self.t("分值", "weight"), plain(ind.weight)),
        );
        let applies = !matches!(scored.arithmetic.steps, Steps::NotApplicable);
        match &ind.scoring {
            Scoring::Quantitative { metric, target, .. } if applies => {
                self.target_line(target);
                self.line(
                    1,
                    format!("B {} = {metric}", self.t("实际完成值", "actual value")),
                );
                self.metric(metric, 2);
                if let (Steps::Quantitative(q), Some(actual)) =
                    (&scored.arithmetic.steps, &scored.actual)
                    && exact(q.actual).starts_with('≈')
                {
                    let text = match self.lang {
                        Lang::Zh => format!(
                            "B 在评分表中显示为 {actual}（四舍五入保留两位小数）；计分用精确值 {}",
                            exact(q.actual)
                        ),
                        Lang::En => format!(
                            "B is shown as {actual} (rounded half away from zero to 2 places); the rule uses the exact value {}",
                            exact(q.actual)
                        ),
                    };
                    self.line(2, text);
                }
            }
            Scoring::Checklist(items) if applies => {
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
    }

    /// The judgment rows of the indicator, each with its file and line.
    fn judgments(&mut self, judgments: &[&JudgmentRow]) {
        let file = self.o.sources.judgments_file.clone();
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
        for j in judgments {
            let mut parts = Vec::new();
            match j.tier {
                Some(JudgedTier::Tier(t)) => parts.push(format!(
                    "{}{}",
                    self.t("档次 ", "tier "),
                    self.lang.pick(t.zh(), t.en())
                )),
                Some(JudgedTier::NotApplicable) => {
                    parts.push(self.t("不适用", "not applicable").to_string());
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
    }

    /// The score, the basis the table prints, the reason and notes, and the rescaling.
    fn result(&mut self, ind: &Indicator, scored: &IndicatorScore) {
        let o = self.o;
        let w = ind.weight;
        match scored.score {
            Some(score) => self.line(
                1,
                format!(
                    "{}{} / {}{}{}",
                    self.t("得分 ", "score "),
                    score_text(score),
                    plain(w),
                    self.t("，失分 ", ", lost "),
                    score_text(w - score)
                ),
            ),
            None => self.line(1, self.t("不适用，不计分", "not applicable, not scored")),
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
}
