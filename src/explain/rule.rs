//! The rule an indicator is scored by, as officers name it, with its parameters: bands,
//! steps, tolerances, checklist elements and tier ranges.

use rust_decimal::Decimal;

use super::Explainer;
use crate::decimal::{percent, plain};
use crate::i18n::Lang;
use crate::scheme::{Indicator, Rule, Scoring, Tiers};
use crate::scoring::{rules, show};

/// The rule's name as officers say it.
pub(super) fn rule_name(scoring: &Scoring, lang: Lang) -> &'static str {
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

impl Explainer<'_> {
    pub(super) fn rule_parameters(&mut self, ind: &Indicator) {
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
            plain(rules::tier_range(rules::Tier::Achieved, tiers, w).0),
            plain(w),
            percent(tiers.partial_min),
            plain(rules::tier_range(rules::Tier::Partial, tiers, w).0),
        );
        self.line(2, text);
    }
}
