//! The arithmetic of one indicator's score (计算过程), as data: the rule's inputs, the step
//! it took, the value before deductions, the deductions and the value rounded. Scoring
//! fills it once; the table's 计分依据 ([`super::basis`]), `explain` and `review` render
//! it, and none of them applies a rule again.

use rust_decimal::Decimal;

use super::rules::{Tier, Worked};
use crate::units::Unit;

/// How one indicator's score was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arithmetic {
    pub steps: Steps,
    /// The rule's score before deductions, unrounded (0 for 不适用).
    pub raw: Decimal,
    /// Σ 扣分 of the indicator's judgment rows.
    pub deduction: Decimal,
    /// `max(raw − deduction, 0)`: the value rounded (四舍五入, two places) into the score.
    pub unrounded: Decimal,
}

impl Arithmetic {
    /// An indicator that does not apply: no rule, no score.
    pub fn not_applicable() -> Arithmetic {
        Arithmetic {
            steps: Steps::NotApplicable,
            raw: Decimal::ZERO,
            deduction: Decimal::ZERO,
            unrounded: Decimal::ZERO,
        }
    }

    /// Whether the deductions took the score below 0 (扣完为止, floored at 0).
    pub fn floored(&self) -> bool {
        self.raw - self.deduction < Decimal::ZERO
    }
}

/// The rule's part of the arithmetic, by kind of indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Steps {
    /// 不适用: left out of the total, which is rescaled.
    NotApplicable,
    /// A rule applied to a metric (定量指标).
    Quantitative(Quantitative),
    /// 评价要点: each element's metric value and whether it is met (value > 0), in the
    /// scheme's order; `met_points` is the points of the elements met, before the cap
    /// at the weight.
    Checklist {
        items: Vec<Element>,
        met_points: Decimal,
    },
    /// 定性指标: the judged tier, its score range for this weight and the judged score.
    Qualitative {
        tier: Tier,
        low: Decimal,
        high: Decimal,
        high_inclusive: bool,
        judged: Decimal,
    },
    /// 人工评分: the judged score.
    Manual { judged: Decimal },
}

/// A rule applied to a metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantitative {
    /// A, 年度指标值, in base units (fraction, 元, count).
    pub target: Decimal,
    /// B, 实际完成值, as measured.
    pub actual: Decimal,
    /// B as the rule counts it: a negative value is 0 for the ratio rules.
    pub counted: Decimal,
    /// The unit A and B are shown in (the target's, else the metric's).
    pub unit: Unit,
    /// The rule's score and the step that led to it.
    pub worked: Worked,
}

/// One element of a checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element {
    pub value: Decimal,
    pub met: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deducted(raw: &str, deduction: &str) -> Arithmetic {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        Arithmetic {
            steps: Steps::Manual { judged: d(raw) },
            raw: d(raw),
            deduction: d(deduction),
            unrounded: (d(raw) - d(deduction)).max(Decimal::ZERO),
        }
    }

    #[test]
    fn floored_only_when_the_deductions_pass_the_score() {
        // 2 − 3 = −1 < 0: floored at 0
        assert!(deducted("2", "3").floored());
        // 2 − 2 = 0: nothing left, but nothing cut off either
        assert!(!deducted("2", "2").floored());
        // 3 − 2 = 1 ≥ 0
        assert!(!deducted("3", "2").floored());
        // no rule, no deduction: 0 − 0 = 0
        assert!(!Arithmetic::not_applicable().floored());
    }
}
