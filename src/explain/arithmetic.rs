//! Section 3 of an explanation: the steps of the score, written from the
//! [`Arithmetic`] scoring recorded (the branch the rule took and its values), then the
//! judgments' deductions and the rounding. No rule is applied again here.

use rust_decimal::Decimal;

use super::{Explainer, exact};
use crate::decimal::{percent, plain, score_text};
use crate::i18n::Lang;
use crate::judgment::JudgmentRow;
use crate::scheme::{Band, ChecklistItem, Comparator, Indicator, Rule, Scoring};
use crate::scoring::arithmetic::{Arithmetic, Element, Quantitative, Steps};
use crate::scoring::rules::Step;
use crate::scoring::show;

/// "∞" for a value too large to compute, else the value as held.
fn or_infinite(v: Option<Decimal>, f: fn(Decimal) -> String) -> String {
    v.map_or_else(|| "∞".to_string(), f)
}

impl Explainer<'_> {
    /// The rule's steps, up to the value before deductions.
    pub(super) fn arithmetic(&mut self, ind: &Indicator, arithmetic: &Arithmetic) {
        let w = ind.weight;
        match (&arithmetic.steps, &ind.scoring) {
            (Steps::Quantitative(q), Scoring::Quantitative { rule, target, .. }) => {
                self.quantitative(q, rule, target.comparator, w);
            }
            (Steps::Checklist { items, met_points }, Scoring::Checklist(list)) => {
                self.checklist(items, list, *met_points, arithmetic.raw, w);
            }
            (
                Steps::Qualitative {
                    tier,
                    low,
                    high,
                    high_inclusive,
                    judged,
                },
                _,
            ) => {
                // Scoring checked the judged score against its tier before recording it.
                let close = if *high_inclusive { "]" } else { ")" };
                let text = match self.lang {
                    Lang::Zh => format!(
                        "评定档次“{}”，档内 [{}, {}{close}，评定得分 {}，在档内",
                        tier.zh(),
                        plain(*low),
                        plain(*high),
                        plain(*judged),
                    ),
                    Lang::En => format!(
                        "judged tier \"{}\", range [{}, {}{close}, judged score {}, inside",
                        tier.en(),
                        plain(*low),
                        plain(*high),
                        plain(*judged),
                    ),
                };
                self.line(1, text);
            }
            (Steps::Manual { judged }, _) => {
                let text = format!(
                    "{}{} ≤ {}",
                    self.t("人工评分 ", "judged score "),
                    plain(*judged),
                    plain(w)
                );
                self.line(1, text);
            }
            // 不适用 is written by the caller; steps of another kind of scoring than the
            // indicator's cannot come from scoring.
            _ => {}
        }
    }

    /// 扣分: the judgments' deductions, with the rows they come from.
    pub(super) fn deductions(&mut self, arithmetic: &Arithmetic, judgments: &[&JudgmentRow]) {
        let file = self.o.sources.judgments_file.clone();
        let lines: Vec<String> = judgments
            .iter()
            .filter(|j| j.deduction.is_some())
            .map(|j| self.at(&file, j.line))
            .collect();
        if lines.is_empty() {
            return;
        }
        let text = format!(
            "{}{} − {} = {}{}{}{}{}",
            self.t("扣分：", "deductions: "),
            exact(arithmetic.raw),
            plain(arithmetic.deduction),
            exact(arithmetic.unrounded),
            if arithmetic.floored() {
                self.t("，不低于 0", ", floored at 0")
            } else {
                ""
            },
            self.open(),
            lines.join(self.t("、", ", ")),
            self.close()
        );
        self.line(1, text);
    }

    /// 四舍五入: the value before rounding and the score.
    pub(super) fn rounding(&mut self, arithmetic: &Arithmetic, score: Decimal) {
        let text = format!(
            "{}{} → {}",
            self.t(
                "四舍五入保留两位小数：",
                "rounded half away from zero to 2 places: "
            ),
            exact(arithmetic.unrounded),
            score_text(score)
        );
        self.line(1, text);
    }

    fn checklist(
        &mut self,
        items: &[Element],
        list: &[ChecklistItem],
        met_points: Decimal,
        raw: Decimal,
        w: Decimal,
    ) {
        for (element, item) in items.iter().zip(list) {
            let text = format!(
                "{}{}{} = {} → {}",
                item.name,
                self.colon(),
                item.metric,
                exact(element.value),
                if element.met {
                    format!("{} {}", self.t("符合，得", "met,"), plain(item.points))
                } else {
                    self.t("不符合，0", "not met, 0").to_string()
                }
            );
            self.line(1, text);
        }
        let met: Vec<String> = items
            .iter()
            .zip(list)
            .filter(|(e, _)| e.met)
            .map(|(_, i)| plain(i.points))
            .collect();
        let sum = if met.is_empty() {
            "0".to_string()
        } else {
            met.join(" + ")
        };
        let text = format!(
            "{sum} = {}{}",
            plain(met_points),
            if met_points > w {
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
    }

    fn quantitative(&mut self, q: &Quantitative, rule: &Rule, comparator: Comparator, w: Decimal) {
        let s = |v: Decimal| show(v, &q.unit);
        if q.counted != q.actual {
            let text = format!(
                "B = {} {}",
                s(q.actual),
                self.t("为负，按 0 计", "is negative and counts as 0")
            );
            self.line(1, text);
        }
        match rule {
            Rule::Proportional | Rule::Inverse | Rule::ReverseDeviation => {
                self.ratio(q, rule, w);
            }
            Rule::EqualZero => {
                let text = if q.worked.step == Step::Full {
                    format!("B = {} ≤ 0 → {} {}", s(q.actual), self.full(), plain(w))
                } else {
                    format!("B = {} > 0 → {}", s(q.actual), self.zero())
                };
                self.line(1, text);
            }
            Rule::Bands(bands) => self.bands(q, bands),
            Rule::DeductPerPoint { .. } => self.per_point(q, comparator, rule, w),
            Rule::DeductPerCase { points } => {
                let Step::PerCase { deducted } = q.worked.step else {
                    return;
                };
                let text = format!(
                    "w − B × points = {} − {} × {} = {}{}",
                    plain(w),
                    exact(q.counted),
                    plain(*points),
                    exact(q.worked.raw),
                    if deducted.is_none_or(|d| d > w) {
                        self.t("（扣完为止，不低于 0）", " (floored at 0)")
                    } else {
                        ""
                    }
                );
                self.line(1, text);
            }
            Rule::Binary => {
                let holds = q.worked.step == Step::Full;
                let symbol = comparator.symbol();
                let text = format!(
                    "B {symbol} A{}{} {symbol} {} {} → {}",
                    self.colon(),
                    s(q.actual),
                    s(q.target),
                    if holds {
                        self.t("成立", "holds")
                    } else {
                        self.t("不成立", "does not hold")
                    },
                    if holds {
                        format!("{} {}", self.full(), plain(w))
                    } else {
                        self.zero().to_string()
                    }
                );
                self.line(1, text);
            }
            Rule::Tolerance { within, zero_at } => self.tolerance(q, *within, *zero_at, w),
        }
    }

    fn full(&self) -> &'static str {
        self.lang.pick("得满分", "full marks")
    }

    fn zero(&self) -> &'static str {
        self.lang.pick("得 0 分", "0 points")
    }

    /// 正向, 反向 and the platform's 反向: full at the target, a share of the weight, or
    /// the deviation from the target.
    fn ratio(&mut self, q: &Quantitative, rule: &Rule, w: Decimal) {
        let s = |v: Decimal| show(v, &q.unit);
        let (a, b, raw) = (q.target, q.counted, q.worked.raw);
        let (c, full, zero) = (self.colon(), self.full(), self.zero());
        let text = match (&q.worked.step, rule) {
            (Step::Full, Rule::Proportional) => {
                format!("B ≥ A{c}{} ≥ {} → {full} {}", s(b), s(a), plain(w))
            }
            (Step::Full, _) => format!("B ≤ A{c}{} ≤ {} → {full} {}", s(b), s(a), plain(w)),
            (Step::ZeroTarget, _) => format!("A = 0, B = {} > 0 → {zero}", s(b)),
            (Step::Share { share }, Rule::Proportional) => format!(
                "B < A{c}B / A × w = {} / {} × {} = {} × {} = {}",
                s(b),
                s(a),
                plain(w),
                exact(*share),
                plain(w),
                exact(raw)
            ),
            (Step::Share { share }, _) => format!(
                "B > A{c}A / B × w = {} / {} × {} = {} × {} = {}",
                s(a),
                s(b),
                plain(w),
                exact(*share),
                plain(w),
                exact(raw)
            ),
            (Step::Deviation { deviation }, _) => {
                let d = or_infinite(*deviation, exact);
                let text = format!(
                    "{}(B − A) / A = ({} − {}) / {} = {d}",
                    self.t("偏离度 ", "deviation "),
                    s(b),
                    s(a),
                    s(a)
                );
                self.line(1, text);
                if raw.is_zero() {
                    format!("B ≥ 2A → {zero}")
                } else {
                    format!("(1 − {d}) × {} = {}", plain(w), exact(raw))
                }
            }
            _ => return,
        };
        self.line(1, text);
    }

    fn bands(&mut self, q: &Quantitative, bands: &[Band]) {
        let raw = q.worked.raw;
        let text = match q.worked.step {
            Step::Band { index: Some(i) } => format!(
                "{} {} {} → {}{}",
                show(q.actual, &q.unit),
                self.t("属于", "falls in"),
                bands[i].range_text,
                plain(raw),
                if raw < bands[i].score {
                    self.t("（不超过分值）", " (capped at the weight)")
                } else {
                    ""
                }
            ),
            _ => format!(
                "{} {}",
                show(q.actual, &q.unit),
                self.t("不在任何档内 → 0", "falls in no band → 0")
            ),
        };
        self.line(1, text);
    }

    fn per_point(&mut self, q: &Quantitative, comparator: Comparator, rule: &Rule, w: Decimal) {
        let (
            Rule::DeductPerPoint {
                step,
                points,
                whole_steps,
            },
            Step::PerPoint {
                gap,
                quotient,
                steps,
                deducted,
            },
        ) = (rule, &q.worked.step)
        else {
            return;
        };
        let (gap, quotient, steps, deducted) = (*gap, *quotient, *steps, *deducted);
        let s = |v: Decimal| show(v, &q.unit);
        let (a, b) = (q.target, q.actual);
        let how = if comparator.higher_is_better() {
            format!("A − B = {} − {}", s(a), s(b))
        } else {
            format!("B − A = {} − {}", s(b), s(a))
        };
        let text = format!(
            "{}{how} = {}{}",
            self.t("差距 ", "gap "),
            s(gap),
            self.t("（不计负数）", " (never negative)")
        );
        self.line(1, text);
        if gap.is_zero() {
            let text = format!(
                "{} → {} {}",
                self.t("无差距", "no gap"),
                self.full(),
                plain(w)
            );
            self.line(1, text);
            return;
        }
        let steps_text = or_infinite(steps, exact);
        let text = format!(
            "{}{} / {} = {}{}",
            self.t("步数 ", "steps "),
            s(gap),
            s(*step),
            or_infinite(quotient, exact),
            if *whole_steps {
                format!("{}{steps_text}", self.t("，取整 ", ", whole steps "))
            } else {
                String::new()
            }
        );
        self.line(1, text);
        let deducted_text = or_infinite(deducted, exact);
        let text = format!(
            "{}{steps_text} × {} = {deducted_text}{}{} − {deducted_text} = {}{}",
            self.t("扣分 ", "deduction "),
            plain(*points),
            self.t("；", "; "),
            plain(w),
            exact(q.worked.raw),
            if deducted.is_none_or(|d| d > w) {
                self.t("（扣完为止，不低于 0）", " (floored at 0)")
            } else {
                ""
            }
        );
        self.line(1, text);
    }

    fn tolerance(&mut self, q: &Quantitative, within: Decimal, zero_at: Decimal, w: Decimal) {
        let s = |v: Decimal| show(v, &q.unit);
        let (c, full, zero) = (self.colon(), self.full(), self.zero());
        let deviation = match q.worked.step {
            Step::Tolerance { deviation } => deviation,
            Step::Full => {
                self.line(1, format!("A = 0{c}B = 0 → {full} {}", plain(w)));
                return;
            }
            _ => {
                self.line(1, format!("A = 0{c}B ≠ 0 → {zero}"));
                return;
            }
        };
        let d_text = or_infinite(deviation, percent);
        let text = format!(
            "{}|B − A| / A = |{} − {}| / {} = {d_text}",
            self.t("偏差 ", "deviation "),
            s(q.actual),
            s(q.target),
            s(q.target)
        );
        self.line(1, text);
        let text = match deviation {
            Some(d) if d <= within => {
                format!("{d_text} ≤ {} → {full} {}", percent(within), plain(w))
            }
            Some(d) if d < zero_at => format!(
                "w × (zero_at − d) / (zero_at − within) = {} × ({} − {d_text}) / ({} − {}) = {}",
                plain(w),
                percent(zero_at),
                percent(zero_at),
                percent(within),
                exact(q.worked.raw)
            ),
            _ => format!("{d_text} ≥ {} → {zero}", percent(zero_at)),
        };
        self.line(1, text);
    }
}
