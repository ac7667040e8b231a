//! The rules of quantitative indicators: their values, and bands that neither overlap,
//! leave gaps nor pay less for a better result.

use rust_decimal::Decimal;
use toml::Spanned;

use super::{InBoth, Validator};
use crate::decimal::plain;
use crate::diag::Code;
use crate::scheme::raw::{BandDef, RuleDef};
use crate::scheme::{Band, Comparator, Interval, Quantity, Rule, Target};

impl Validator<'_> {
    /// A quantitative rule as written, checked against the indicator's target and weight
    /// (`span`: the rule's, where each problem of it is shown).
    pub(super) fn rule(
        &mut self,
        def: RuleDef,
        target: &Target,
        weight: Decimal,
        span: &Spanned<RuleDef>,
    ) -> Option<Rule> {
        Some(match def {
            RuleDef::Proportional {} => Rule::Proportional,
            RuleDef::Inverse {} => Rule::Inverse,
            RuleDef::ReverseDeviation {} => Rule::ReverseDeviation,
            RuleDef::EqualZero {} => Rule::EqualZero,
            RuleDef::Binary {} => Rule::Binary,
            RuleDef::Bands { bands } => self.bands(bands, target, weight, span)?,
            RuleDef::DeductPerPoint {
                step,
                points,
                whole_steps,
            } => self.deduct_per_point(&step, points, whole_steps, span)?,
            RuleDef::DeductPerCase { points } => self.deduct_per_case(points, span)?,
            RuleDef::Tolerance { within, zero_at } => {
                self.tolerance(&within, &zero_at, target, span)?
            }
            RuleDef::Qualitative { .. } | RuleDef::Manual {} | RuleDef::Checklist { .. } => {
                unreachable!("handled by the caller")
            }
        })
    }

    /// A quantity in a rule ("5%", "10 件"), by its value.
    fn rule_quantity(&mut self, text: &str, key: &str, span: &Spanned<RuleDef>) -> Option<Decimal> {
        match Quantity::parse(text) {
            Ok(q) => Some(q.value),
            Err(e) => {
                self.err(Code::BadRule, span, key, e.en, e.zh).found(text);
                None
            }
        }
    }

    /// 阶梯: each band a range and a score within the weight, no two overlapping, then in
    /// order (`band_order`).
    fn bands(
        &mut self,
        bands: Vec<BandDef>,
        target: &Target,
        weight: Decimal,
        span: &Spanned<RuleDef>,
    ) -> Option<Rule> {
        let mut out: Vec<Band> = Vec::new();
        for b in bands {
            let range = match Interval::parse(&b.range) {
                Ok(r) => r,
                Err(e) => {
                    self.err(Code::BadRule, span, "rule.bands.range", e.en, e.zh)
                        .found(&b.range);
                    return None;
                }
            };
            if b.score < Decimal::ZERO || b.score > weight {
                self.err(
                    Code::BadRule,
                    span,
                    "rule.bands.score",
                    format!(
                        "band {} scores {} outside 0..{}",
                        b.range,
                        plain(b.score),
                        plain(weight)
                    ),
                    format!(
                        "区间 {} 的得分 {} 不在 0 到指标分值 {} 之间",
                        b.range,
                        plain(b.score),
                        plain(weight)
                    ),
                );
            }
            if let Some(o) = out.iter().find(|o| overlaps(&o.range, &range)) {
                self.err(
                    Code::BadRule,
                    span,
                    "rule.bands.range",
                    format!("bands {} and {} overlap", o.range_text, b.range),
                    format!("区间 {} 与 {} 有重叠", o.range_text, b.range),
                )
                .help_zh("每个值只能落在一个区间：相邻两个区间的共同端点，一边用 [ ] 含，另一边用 ( ) 不含");
            }
            out.push(Band {
                range,
                range_text: b.range,
                score: b.score,
            });
        }
        if out.is_empty() {
            self.err(
                Code::BadRule,
                span,
                "rule.bands",
                "a bands rule needs at least one band",
                "区间评分规则（bands）至少要有一个区间",
            );
        }
        self.band_order(&out, target.comparator.higher_is_better(), span);
        Some(Rule::Bands(out))
    }

    /// 每低 step 扣 points 分: both above 0.
    fn deduct_per_point(
        &mut self,
        step: &str,
        points: Decimal,
        whole_steps: bool,
        span: &Spanned<RuleDef>,
    ) -> Option<Rule> {
        let step_value = self.rule_quantity(step, "rule.step", span)?;
        if step_value <= Decimal::ZERO || points <= Decimal::ZERO {
            self.err(
                Code::BadRule,
                span,
                "rule",
                "deduct_per_point needs step > 0 and points > 0",
                "按偏差扣分（deduct_per_point）要求 step > 0 且 points > 0",
            );
            return None;
        }
        Some(Rule::DeductPerPoint {
            step: step_value,
            points,
            whole_steps,
        })
    }

    /// 每发生一次扣 points 分: points above 0.
    fn deduct_per_case(&mut self, points: Decimal, span: &Spanned<RuleDef>) -> Option<Rule> {
        if points <= Decimal::ZERO {
            self.err(
                Code::BadRule,
                span,
                "rule.points",
                "deduct_per_case needs points > 0",
                "按次扣分（deduct_per_case）要求 points > 0",
            );
            return None;
        }
        Some(Rule::DeductPerCase { points })
    }

    /// 趋中: 0 ≤ within < zero_at, around an "= A" target.
    fn tolerance(
        &mut self,
        within: &str,
        zero_at: &str,
        target: &Target,
        span: &Spanned<RuleDef>,
    ) -> Option<Rule> {
        let within = self.rule_quantity(within, "rule.within", span)?;
        let zero_at = self.rule_quantity(zero_at, "rule.zero_at", span)?;
        if !(Decimal::ZERO <= within && within < zero_at) {
            self.err(
                Code::BadRule,
                span,
                "rule",
                "tolerance needs 0 ≤ within < zero_at",
                "趋中评分（tolerance）要求 0 ≤ within < zero_at",
            )
            .help_zh("`within` 是不扣分的偏差，`zero_at` 是得 0 分的偏差，后者须更大");
            return None;
        }
        if target.comparator != Comparator::Equal {
            self.err(
                Code::BadRule,
                span,
                "rule",
                "a tolerance rule needs an \"= A\" target",
                "趋中评分（tolerance）要求年度指标值写成 \"= A\" 的形式",
            )
            .help_zh("把年度指标值改为 \"= 100%\" 这样的等式，或换用其他评分规则");
        }
        Some(Rule::Tolerance { within, zero_at })
    }

    /// Bands, taken from the lowest range up, must leave no gap between them (a value in a
    /// gap would score 0 by accident) and must not pay less for a better result: rising
    /// scores for a ≥ target, falling for a ≤ target. Values below the lowest band or above
    /// the highest score 0 by design.
    fn band_order(&mut self, bands: &[Band], higher_is_better: bool, span: &Spanned<RuleDef>) {
        let mut sorted: Vec<&Band> = bands.iter().collect();
        sorted.sort_by_key(|b| b.range.lower.map(|e| e.value));
        for pair in sorted.windows(2) {
            let (low, high) = (pair[0], pair[1]);
            if let (Some(u), Some(l)) = (low.range.upper, high.range.lower) {
                let gap = u.value < l.value || (u.value == l.value && !u.inclusive && !l.inclusive);
                if gap {
                    self.err(
                        Code::BadRule,
                        span,
                        "rule.bands.range",
                        format!(
                            "bands {} and {} leave a gap: values between them would score 0",
                            low.range_text, high.range_text
                        ),
                        format!(
                            "区间 {} 与 {} 之间有空档：落在两者之间的值会得 0 分",
                            low.range_text, high.range_text
                        ),
                    )
                    .help_zh("让相邻两个区间首尾相接，如 [0, 3) 与 [3, +∞)");
                }
            }
            let falls = if higher_is_better {
                high.score < low.score
            } else {
                high.score > low.score
            };
            if falls {
                let (high_text, high_score) = (&high.range_text, plain(high.score));
                let (low_text, low_score) = (&low.range_text, plain(low.score));
                let (en, zh, expected, expected_zh) = if higher_is_better {
                    (
                        format!(
                            "band {high_text} scores {high_score} but the lower band {low_text} scores {low_score}"
                        ),
                        format!(
                            "区间 {high_text} 得 {high_score} 分，比更低的区间 {low_text}（{low_score} 分）还少"
                        ),
                        "scores that rise with the value for a ≥ target",
                        "正向指标（≥）的得分随数值升高而增加",
                    )
                } else {
                    (
                        format!(
                            "band {high_text} scores {high_score} but the better (lower) band {low_text} scores {low_score}"
                        ),
                        format!(
                            "区间 {high_text} 得 {high_score} 分，比更好（更低）的区间 {low_text}（{low_score} 分）还多"
                        ),
                        "scores that fall as the value rises for a ≤ target",
                        "反向指标（≤）的得分随数值升高而减少",
                    )
                };
                self.err(Code::BadRule, span, "rule.bands.score", en, zh)
                    .expected_both(expected, expected_zh);
            }
        }
    }
}

fn overlaps(a: &Interval, b: &Interval) -> bool {
    // a ends before b starts, or b ends before a starts → disjoint.
    let ends_before = |x: &Interval, y: &Interval| match (x.upper, y.lower) {
        (Some(u), Some(l)) => {
            u.value < l.value || (u.value == l.value && !(u.inclusive && l.inclusive))
        }
        _ => false,
    };
    !(ends_before(a, b) || ends_before(b, a))
}

#[cfg(test)]
mod tests {
    use crate::scheme::testing::{ONE, errors, scheme};

    #[test]
    fn bands_may_not_overlap_leave_gaps_or_pay_less_for_better() {
        let bands = ONE.replace(
            "target = \">= 5 件\"",
            "target = \">= 5 件\"\n    rule = { kind = \"bands\", bands = [ { range = \"[0, 5]\", score = 50 }, { range = \"[5, +∞)\", score = 100 } ] }",
        );
        let e = errors(&scheme(&bands));
        assert!(e.contains("bands [0, 5] and [5, +∞) overlap"), "{e}");

        let gap = ONE.replace(
            "target = \">= 5 件\"",
            "target = \">= 5 件\"\n    rule = { kind = \"bands\", bands = [ { range = \"[0, 3)\", score = 50 }, { range = \"[4, +∞)\", score = 100 } ] }",
        );
        // [0, 3) ends at 3 (excluded), [4, +∞) starts at 4: values in [3, 4) have no band
        assert!(errors(&scheme(&gap)).contains("bands [0, 3) and [4, +∞) leave a gap"));
        let falling = ONE.replace(
            "target = \">= 5 件\"",
            "target = \">= 5 件\"\n    rule = { kind = \"bands\", bands = [ { range = \"[0, 5)\", score = 100 }, { range = \"[5, +∞)\", score = 50 } ] }",
        );
        // for a ≥ target, reaching 5 must not pay less (50) than staying below (100)
        assert!(
            errors(&scheme(&falling))
                .contains("band [5, +∞) scores 50 but the lower band [0, 5) scores 100")
        );
    }

    #[test]
    fn a_tolerance_needs_an_equal_target() {
        let tol = ONE.replace(
            "target = \">= 5 件\"",
            "target = \">= 5 件\"\n    rule = { kind = \"tolerance\", within = \"5%\", zero_at = \"20%\" }",
        );
        assert!(errors(&scheme(&tol)).contains("needs an \"= A\" target"));
    }
}
