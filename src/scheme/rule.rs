//! How indicators are scored: the rules of quantitative indicators, checklists,
//! qualitative tiers and manual scores.

use rust_decimal::Decimal;

use super::{Comparator, Interval, Target, Tiers};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub range: Interval,
    pub range_text: String,
    pub score: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub name: String,
    pub metric: String,
    pub points: Decimal,
}

/// How a quantitative indicator turns its actual value into points. Each rule is one pure
/// function in `scoring::rules`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// 正向: B/A × w, capped at w.
    Proportional,
    /// 反向: A/B × w, capped at w.
    Inverse,
    /// 反向 (FASP2 platform): (1 − (B−A)/A) × w, zero at B ≥ 2A.
    ReverseDeviation,
    /// "= 0" targets: full marks at B ≤ 0, else 0.
    EqualZero,
    /// 阶梯: the score of the band holding B.
    Bands(Vec<Band>),
    /// 每低 step 扣 points 分 (floored at 0).
    DeductPerPoint {
        step: Decimal,
        points: Decimal,
        whole_steps: bool,
    },
    /// 每发生一次扣 points 分: w − B × points, floored at 0.
    DeductPerCase { points: Decimal },
    /// 是/否: full marks when the target holds, else 0.
    Binary,
    /// 趋中: full within ±within of A, falling linearly to 0 at ±zero_at (relative deviations).
    Tolerance { within: Decimal, zero_at: Decimal },
}

impl Rule {
    /// Whether the rule counts a negative actual value as 0 (the ratio rules, as the MOF
    /// platform does) rather than comparing it as it is (bands, binary, tolerance,
    /// equal-zero, per-point: a band may hold a negative growth rate). Exhaustive, so that
    /// a new rule must say.
    pub fn counts_negative_as_zero(&self) -> bool {
        match self {
            Rule::Proportional
            | Rule::Inverse
            | Rule::ReverseDeviation
            | Rule::DeductPerCase { .. } => true,
            Rule::EqualZero
            | Rule::Bands(_)
            | Rule::DeductPerPoint { .. }
            | Rule::Binary
            | Rule::Tolerance { .. } => false,
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            Rule::Proportional => "proportional",
            Rule::Inverse => "inverse",
            Rule::ReverseDeviation => "reverse_deviation",
            Rule::EqualZero => "equal_zero",
            Rule::Bands(_) => "bands",
            Rule::DeductPerPoint { .. } => "deduct_per_point",
            Rule::DeductPerCase { .. } => "deduct_per_case",
            Rule::Binary => "binary",
            Rule::Tolerance { .. } => "tolerance",
        }
    }
}

/// How an indicator is scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scoring {
    /// From a metric against a target, by a rule.
    Quantitative {
        metric: String,
        target: Target,
        rule: Rule,
    },
    /// 评价要点: each element met (its metric > 0, e.g. 1 = 是) earns its points.
    Checklist(Vec<ChecklistItem>),
    /// 定性: a judged tier and a score inside it (judgments.csv).
    Qualitative(Tiers),
    /// A score given in judgments.csv, between 0 and the weight.
    Manual,
}

impl Scoring {
    pub fn key(&self) -> &'static str {
        match self {
            Scoring::Quantitative { rule, .. } => rule.key(),
            Scoring::Checklist(_) => "checklist",
            Scoring::Qualitative(_) => "qualitative",
            Scoring::Manual => "manual",
        }
    }

    /// Whether the score comes from judgments.csv rather than from data.
    pub fn is_judged(&self) -> bool {
        matches!(self, Scoring::Qualitative(_) | Scoring::Manual)
    }
}

/// The rule used when an indicator names none: 正向 for ≥, >, and "= A" with A > 0
/// (as the MOF platform does), 等于零 for "= 0", 反向 A/B for ≤ and <.
pub fn default_rule(target: &Target) -> Rule {
    match target.comparator {
        Comparator::Equal if target.value().is_zero() => Rule::EqualZero,
        Comparator::AtLeast | Comparator::MoreThan | Comparator::Equal => Rule::Proportional,
        Comparator::AtMost | Comparator::LessThan => Rule::Inverse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::Target;

    #[test]
    fn default_rule_follows_the_comparison() {
        let t = |s: &str| default_rule(&Target::parse(s).unwrap());
        assert_eq!(t(">= 120 件"), Rule::Proportional);
        assert_eq!(t("= 5 件"), Rule::Proportional);
        assert_eq!(t("= 0 件"), Rule::EqualZero);
        assert_eq!(t("<= 7万元"), Rule::Inverse);
        assert_eq!(t("< 3 次"), Rule::Inverse);
    }
}
