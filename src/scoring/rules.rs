//! The scoring rules (评分方法), each a small pure function from the target A (年度指标值),
//! the actual value B (实际完成值) and the weight w (分值) to a score in `0..=w`.
//!
//! The functions return exact, unrounded scores; the caller rounds once with
//! [`crate::decimal::round_score`]. The ratio rules (正向, 反向, per-occurrence) count a
//! negative actual value as 0, as the MOF platform does; bands, binary, tolerance,
//! equal-zero and per-point compare the value as it is, so that a band can hold negative
//! values (a growth rate, say).

use rust_decimal::Decimal;

pub use crate::judgment::Tier;
use crate::scheme::{Band, Comparator, Rule, Tiers};

fn clamp(score: Decimal, weight: Decimal) -> Decimal {
    score.max(Decimal::ZERO).min(weight)
}

/// `x / y`, or `None` when the quotient does not fit in a decimal (a huge actual against a
/// tiny target). Rules treat that as "beyond any threshold" instead of panicking.
pub fn ratio(x: Decimal, y: Decimal) -> Option<Decimal> {
    x.checked_div(y)
}

/// A negative actual value counts as 0.
pub fn clamp_actual(actual: Decimal) -> Decimal {
    actual.max(Decimal::ZERO)
}

/// How a quantitative rule reached its score: the branch it took and the values it
/// computed on the way (计算过程). `explain` and the table's basis render this record; no
/// renderer repeats a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The target is met, not exceeded, or the condition holds: full marks.
    Full,
    /// The condition fails (等于零 with B > 0, 是/否 not holding): 0.
    Zero,
    /// A target of 0 (or below) that B ≠ 0 cannot meet (反向, 趋中): 0.
    ZeroTarget,
    /// 正向 `B/A` or 反向 `A/B`, below 1: the score is `share × w`.
    Share { share: Decimal },
    /// 反向 (platform form): the deviation `d = (B − A)/A`; `(1 − d) × w`, 0 from d ≥ 1.
    /// `None` when the quotient does not fit in a decimal (beyond any threshold).
    Deviation { deviation: Option<Decimal> },
    /// 阶梯: the index of the band holding B, if any (its score capped at the weight).
    Band { index: Option<usize> },
    /// 每低（高）step 扣 points 分: the gap, `gap / step`, the steps counted (the same, or
    /// its whole part with `whole_steps`) and the points deducted (`None` when too large
    /// to compute: everything is deducted).
    PerPoint {
        gap: Decimal,
        quotient: Option<Decimal>,
        steps: Option<Decimal>,
        deducted: Option<Decimal>,
    },
    /// 每发生一次扣 points 分: `B × points` deducted (`None` when too large to compute).
    PerCase { deducted: Option<Decimal> },
    /// 趋中: the relative deviation `|B − A| / A` (`None` when too large to compute).
    Tolerance { deviation: Option<Decimal> },
}

/// A rule's score before deductions and rounding, with the step that led to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worked {
    pub raw: Decimal,
    pub step: Step,
}

impl Worked {
    fn new(raw: Decimal, step: Step) -> Worked {
        Worked { raw, step }
    }
}

/// 正向 (≥ A): `B/A × w`, capped at `w`. A target of 0 is met by any B ≥ 0.
pub fn proportional(target: Decimal, actual: Decimal, weight: Decimal) -> Decimal {
    proportional_worked(target, actual, weight).raw
}

/// [`proportional`] with its step.
pub fn proportional_worked(target: Decimal, actual: Decimal, weight: Decimal) -> Worked {
    let b = clamp_actual(actual);
    if target <= Decimal::ZERO || b >= target {
        return Worked::new(weight, Step::Full);
    }
    let share = b / target;
    Worked::new(clamp(share * weight, weight), Step::Share { share })
}

/// 反向 (≤ A), the 自评表 note's form: `A/B × w`, capped at `w` (full marks while B ≤ A).
/// With A = 0 any B > 0 scores 0.
pub fn inverse(target: Decimal, actual: Decimal, weight: Decimal) -> Decimal {
    inverse_worked(target, actual, weight).raw
}

/// [`inverse`] with its step.
pub fn inverse_worked(target: Decimal, actual: Decimal, weight: Decimal) -> Worked {
    let b = clamp_actual(actual);
    if b <= target {
        return Worked::new(weight, Step::Full);
    }
    if target <= Decimal::ZERO {
        return Worked::new(Decimal::ZERO, Step::ZeroTarget);
    }
    let share = target / b;
    Worked::new(clamp(share * weight, weight), Step::Share { share })
}

/// 反向, the MOF platform's form (`selfreverseindex`): full at B ≤ A,
/// `(1 − (B−A)/A) × w` for A < B < 2A, and 0 from B ≥ 2A.
pub fn reverse_deviation(target: Decimal, actual: Decimal, weight: Decimal) -> Decimal {
    reverse_deviation_worked(target, actual, weight).raw
}

/// [`reverse_deviation`] with its step.
pub fn reverse_deviation_worked(target: Decimal, actual: Decimal, weight: Decimal) -> Worked {
    let b = clamp_actual(actual);
    if b <= target {
        return Worked::new(weight, Step::Full);
    }
    if target <= Decimal::ZERO {
        return Worked::new(Decimal::ZERO, Step::ZeroTarget);
    }
    let deviation = ratio(b - target, target);
    let raw = match deviation {
        Some(d) if d < Decimal::ONE => clamp((Decimal::ONE - d) * weight, weight),
        // B ≥ 2A, or a deviation too large to compute: nothing left.
        _ => Decimal::ZERO,
    };
    Worked::new(raw, Step::Deviation { deviation })
}

/// 等于零 (`= 0`, e.g. 安全事故数 = 0): full at B ≤ 0, else 0.
pub fn equal_zero(actual: Decimal, weight: Decimal) -> Decimal {
    equal_zero_worked(actual, weight).raw
}

/// [`equal_zero`] with its step.
pub fn equal_zero_worked(actual: Decimal, weight: Decimal) -> Worked {
    if actual <= Decimal::ZERO {
        Worked::new(weight, Step::Full)
    } else {
        Worked::new(Decimal::ZERO, Step::Zero)
    }
}

/// 阶梯: the score of the band whose interval holds B; 0 when no band does.
/// Returns the score and the index of the band used.
pub fn bands(bands: &[Band], actual: Decimal, weight: Decimal) -> (Decimal, Option<usize>) {
    match bands.iter().position(|b| b.range.contains(actual)) {
        Some(i) => (clamp(bands[i].score, weight), Some(i)),
        None => (Decimal::ZERO, None),
    }
}

/// The gap between B and A that a deduction rule counts: the shortfall below a ≥/=
/// target, or the excess above a ≤ target; never negative.
pub fn gap(comparator: Comparator, target: Decimal, actual: Decimal) -> Decimal {
    let gap = if comparator.higher_is_better() {
        target - actual
    } else {
        actual - target
    };
    gap.max(Decimal::ZERO)
}

/// 每低（高）`step` 扣 `points` 分, floored at 0. With `whole_steps` only complete steps
/// count (不足一个步长不扣分); otherwise the deduction is proportional to the gap.
pub fn deduct_per_point(
    gap: Decimal,
    step: Decimal,
    points: Decimal,
    whole_steps: bool,
    weight: Decimal,
) -> Decimal {
    deduct_per_point_worked(gap, step, points, whole_steps, weight).raw
}

/// [`deduct_per_point`] with its step.
pub fn deduct_per_point_worked(
    gap: Decimal,
    step: Decimal,
    points: Decimal,
    whole_steps: bool,
    weight: Decimal,
) -> Worked {
    let quotient = ratio(gap, step);
    let counted = quotient.map(|q| if whole_steps { q.floor() } else { q });
    let deducted = counted.and_then(|s| s.checked_mul(points));
    let raw = match deducted {
        Some(deduction) => clamp(weight - deduction.min(weight), weight),
        None => Decimal::ZERO,
    };
    Worked::new(
        raw,
        Step::PerPoint {
            gap,
            quotient,
            steps: counted,
            deducted,
        },
    )
}

/// 每发生一次扣 `points` 分 (e.g. each non-compliant payment): `w − B × points`, floored at 0.
pub fn deduct_per_case(occurrences: Decimal, points: Decimal, weight: Decimal) -> Decimal {
    deduct_per_case_worked(occurrences, points, weight).raw
}

/// [`deduct_per_case`] with its step.
pub fn deduct_per_case_worked(occurrences: Decimal, points: Decimal, weight: Decimal) -> Worked {
    let deducted = clamp_actual(occurrences).checked_mul(points);
    let raw = match deducted {
        Some(deduction) => clamp(weight - deduction.min(weight), weight),
        None => Decimal::ZERO,
    };
    Worked::new(raw, Step::PerCase { deducted })
}

/// 是/否: full marks when `B <cmp> A` holds, else 0.
pub fn binary(
    comparator: Comparator,
    target: Decimal,
    actual: Decimal,
    weight: Decimal,
) -> Decimal {
    binary_worked(comparator, target, actual, weight).raw
}

/// [`binary`] with its step.
pub fn binary_worked(
    comparator: Comparator,
    target: Decimal,
    actual: Decimal,
    weight: Decimal,
) -> Worked {
    if comparator.holds(actual, target) {
        Worked::new(weight, Step::Full)
    } else {
        Worked::new(Decimal::ZERO, Step::Zero)
    }
}

/// 趋中 (= A with a tolerance): the relative deviation d = |B − A| / A; full marks for
/// d ≤ `within`, 0 for d ≥ `zero_at`, linear in between. With A = 0 only B = 0 scores.
pub fn tolerance(
    target: Decimal,
    actual: Decimal,
    within: Decimal,
    zero_at: Decimal,
    weight: Decimal,
) -> Decimal {
    tolerance_worked(target, actual, within, zero_at, weight).raw
}

/// [`tolerance`] with its step.
pub fn tolerance_worked(
    target: Decimal,
    actual: Decimal,
    within: Decimal,
    zero_at: Decimal,
    weight: Decimal,
) -> Worked {
    if target.is_zero() {
        return if actual.is_zero() {
            Worked::new(weight, Step::Full)
        } else {
            Worked::new(Decimal::ZERO, Step::ZeroTarget)
        };
    }
    let deviation = ratio(actual - target, target).map(|d| d.abs());
    let raw = match deviation {
        Some(d) if d <= within => weight,
        Some(d) if d < zero_at => clamp(weight * (zero_at - d) / (zero_at - within), weight),
        // At or beyond zero_at, or too large to compute.
        _ => Decimal::ZERO,
    };
    Worked::new(raw, Step::Tolerance { deviation })
}

/// The rule `rule` applied to target A, actual B and weight w, with its step: the one
/// dispatch from a scheme's rule to its function.
pub fn quantitative(
    rule: &Rule,
    comparator: Comparator,
    target: Decimal,
    actual: Decimal,
    weight: Decimal,
) -> Worked {
    match rule {
        Rule::Proportional => proportional_worked(target, actual, weight),
        Rule::Inverse => inverse_worked(target, actual, weight),
        Rule::ReverseDeviation => reverse_deviation_worked(target, actual, weight),
        Rule::EqualZero => equal_zero_worked(actual, weight),
        Rule::Bands(list) => {
            let (raw, index) = bands(list, actual, weight);
            Worked::new(raw, Step::Band { index })
        }
        Rule::DeductPerPoint {
            step,
            points,
            whole_steps,
        } => deduct_per_point_worked(
            gap(comparator, target, actual),
            *step,
            *points,
            *whole_steps,
            weight,
        ),
        Rule::DeductPerCase { points } => deduct_per_case_worked(actual, *points, weight),
        Rule::Binary => binary_worked(comparator, target, actual, weight),
        Rule::Tolerance { within, zero_at } => {
            tolerance_worked(target, actual, *within, *zero_at, weight)
        }
    }
}

/// 评价要点: the points of the elements met, capped at the weight.
pub fn checklist(met_points: impl IntoIterator<Item = Decimal>, weight: Decimal) -> Decimal {
    clamp(met_points.into_iter().sum(), weight)
}

/// The score range of a tier for weight `w`, as the platform checks it: bounds are
/// `round(w × share, 2)`; 达成 [0.8w, w], 部分达成 [0.6w, 0.8w), 未达成 [0, 0.6w).
/// Returns (low, high, high_inclusive).
pub fn tier_range(tier: Tier, tiers: &Tiers, weight: Decimal) -> (Decimal, Decimal, bool) {
    // Only the bounds of the tier asked for: every judged score of a batch is checked.
    let bound = |share: Decimal| crate::decimal::round_score(weight * share);
    let (low, high) = tier_shares(tier, tiers);
    (bound(low), bound(high), tier == Tier::Achieved)
}

/// The shares of the weight a tier spans, low and high: 达成 [achieved_min, 1], 部分达成
/// [partial_min, achieved_min), 未达成 [0, partial_min). The one place the tiers' bounds
/// are read: scoring checks judged scores with them, review prints them.
pub fn tier_shares(tier: Tier, tiers: &Tiers) -> (Decimal, Decimal) {
    match tier {
        Tier::Achieved => (tiers.achieved_min, Decimal::ONE),
        Tier::Partial => (tiers.partial_min, tiers.achieved_min),
        Tier::NotAchieved => (Decimal::ZERO, tiers.partial_min),
    }
}

/// Whether a judged score lies in its tier's range.
pub fn in_tier(tier: Tier, tiers: &Tiers, weight: Decimal, score: Decimal) -> bool {
    let (low, high, inclusive) = tier_range(tier, tiers, weight);
    score >= low && (score < high || (inclusive && score == high))
}

/// 百分制折算: when some indicators do not apply, the applicable scores are summed and
/// rescaled to the total: `Σscore × total / Σapplicable weight`.
pub fn rescale(score_sum: Decimal, applicable_weight: Decimal, total: Decimal) -> Decimal {
    if applicable_weight.is_zero() {
        return Decimal::ZERO;
    }
    // Multiply first so an exact half (2.75 × 13.32 / 14.8 = 2.475) is not turned into
    // 2.4749… by an inexact quotient; points are bounded, so the product cannot overflow.
    match score_sum.checked_mul(total) {
        Some(product) => ratio(product, applicable_weight).unwrap_or(Decimal::ZERO),
        None => {
            ratio(score_sum, applicable_weight).map_or(Decimal::ZERO, |r| r.saturating_mul(total))
        }
    }
}

/// Over-completion (超额完成): B/A at or above `threshold` (e.g. 1.3) for a ≥ target.
pub fn over_completed(target: Decimal, actual: Decimal, threshold: Decimal) -> bool {
    target > Decimal::ZERO && ratio(actual, target).is_none_or(|r| r >= threshold)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decimal::round_score;
    use crate::scheme::Interval;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn proportional_scores_share_of_target_capped_at_weight() {
        // 100/120 × 10 = 8.3333… → 8.33
        assert_eq!(
            round_score(proportional(d("120"), d("100"), d("10"))),
            d("8.33")
        );
        // 135 ≥ 120 → full 10 (not 135/120 × 10 = 11.25: capped)
        assert_eq!(proportional(d("120"), d("135"), d("10")), d("10"));
        // … by the target met, not by a share of 1.125 capped: explain says 达成 (full)
        assert_eq!(
            proportional_worked(d("120"), d("135"), d("10")),
            Worked::new(d("10"), Step::Full)
        );
        // execution 0.679 against 100% with w = 10: 0.679/1 × 10 = 6.79
        assert_eq!(proportional(d("1"), d("0.679"), d("10")), d("6.79"));
        // actual 0 → 0
        assert_eq!(proportional(d("120"), d("0"), d("10")), d("0"));
        // negative actual clamped to 0 → 0
        assert_eq!(proportional(d("120"), d("-5"), d("10")), d("0"));
        // target 0 is met by anything ≥ 0 → full
        assert_eq!(proportional(d("0"), d("0"), d("5")), d("5"));
    }

    #[test]
    fn inverse_scores_target_over_actual() {
        // cost 8万 against ≤ 7万, w = 5: 7/8 × 5 = 4.375 → 4.38 (四舍五入)
        assert_eq!(
            round_score(inverse(d("70000"), d("80000"), d("5"))),
            d("4.38")
        );
        // under the ceiling → full
        assert_eq!(inverse(d("70000"), d("67900"), d("5")), d("5"));
        // actual 0 ≤ A → full
        assert_eq!(inverse(d("70000"), d("0"), d("5")), d("5"));
        // target 0, actual 3 → 0
        assert_eq!(inverse(d("0"), d("3"), d("5")), d("0"));
    }

    #[test]
    fn reverse_deviation_falls_to_zero_at_twice_the_target() {
        // A = 10, B = 12: (1 − 2/10) × 5 = 0.8 × 5 = 4
        assert_eq!(reverse_deviation(d("10"), d("12"), d("5")), d("4"));
        // B = 2A = 20 → 0; B = 25 > 2A → 0 (not negative)
        assert_eq!(reverse_deviation(d("10"), d("20"), d("5")), d("0"));
        assert_eq!(reverse_deviation(d("10"), d("25"), d("5")), d("0"));
        // B ≤ A → full
        assert_eq!(reverse_deviation(d("10"), d("10"), d("5")), d("5"));
        // A = 0, B = 1 → 0
        assert_eq!(reverse_deviation(d("0"), d("1"), d("5")), d("0"));
        // A = 10⁻²⁸, B = 1: d = (1 − 10⁻²⁸) / 10⁻²⁸ = 10²⁸ − 1 ≥ 1 → 0; (1 − d) × 10 would
        // be about −10²⁹, past the decimal type's 7.9 × 10²⁸, so it must not be computed.
        let tiny = d("0.0000000000000000000000000001");
        assert_eq!(reverse_deviation(tiny, d("1"), d("10")), d("0"));
    }

    #[test]
    fn equal_zero_is_all_or_nothing() {
        assert_eq!(equal_zero(d("0"), d("5")), d("5"));
        assert_eq!(equal_zero(d("1"), d("5")), d("0"));
        assert_eq!(equal_zero(d("-1"), d("5")), d("5"));
    }

    fn ladder() -> Vec<Band> {
        // 岳阳-style ladder: ≥90% → 5; [80%,90%) → 4; [60%,80%) → 3; <60% → 0
        [
            ("[90%, +∞)", "5"),
            ("[80%, 90%)", "4"),
            ("[60%, 80%)", "3"),
            ("(-∞, 60%)", "0"),
        ]
        .iter()
        .map(|(r, s)| Band {
            range: Interval::parse(r).unwrap(),
            range_text: r.to_string(),
            score: d(s),
        })
        .collect()
    }

    #[test]
    fn bands_use_explicit_edges() {
        let b = ladder();
        // 67.9% lies in [60%, 80%) → 3
        assert_eq!(bands(&b, d("0.679"), d("5")), (d("3"), Some(2)));
        // exactly 80% belongs to [80%, 90%) → 4, not to [60%, 80%)
        assert_eq!(bands(&b, d("0.8"), d("5")).0, d("4"));
        // exactly 90% → 5
        assert_eq!(bands(&b, d("0.9"), d("5")).0, d("5"));
        // 59.99% → 0
        assert_eq!(bands(&b, d("0.5999"), d("5")).0, d("0"));
        // a gap between bands scores 0 and names no band
        let only_top = &b[..1];
        assert_eq!(bands(only_top, d("0.5"), d("5")), (d("0"), None));
    }

    #[test]
    fn per_point_deduction_is_floored_at_zero() {
        // 每低1个百分点扣0.5分: 100% − 67.9% = 32.1 points; 32.1 × 0.5 = 16.05 > w = 5 → 0
        let g = gap(Comparator::AtLeast, d("1"), d("0.679"));
        assert_eq!(g, d("0.321"));
        assert_eq!(
            deduct_per_point(g, d("0.01"), d("0.5"), false, d("5")),
            d("0")
        );
        // 每低5个百分点扣0.5分, whole steps: floor(32.1/5) = 6 steps → 5 − 3 = 2
        assert_eq!(
            deduct_per_point(g, d("0.05"), d("0.5"), true, d("5")),
            d("2")
        );
        // proportional steps: 32.1/5 = 6.42 steps × 0.5 = 3.21 → 5 − 3.21 = 1.79
        assert_eq!(
            deduct_per_point(g, d("0.05"), d("0.5"), false, d("5")),
            d("1.79")
        );
        // no gap → full
        assert_eq!(
            deduct_per_point(
                gap(Comparator::AtLeast, d("1"), d("1.2")),
                d("0.01"),
                d("1"),
                false,
                d("5")
            ),
            d("5")
        );
        // ≤ target: the excess counts. 控制率 ≤ 100%, actual 103%: 3 points over × 0.5 = 1.5 → 3.5
        let g = gap(Comparator::AtMost, d("1"), d("1.03"));
        assert_eq!(
            deduct_per_point(g, d("0.01"), d("0.5"), false, d("5")),
            d("3.5")
        );
    }

    #[test]
    fn per_case_deduction_is_floored_at_zero() {
        // 2 违规 × 1 分 from 4 → 2
        assert_eq!(deduct_per_case(d("2"), d("1"), d("4")), d("2"));
        // 7 × 1 from 4 → 0 (floor)
        assert_eq!(deduct_per_case(d("7"), d("1"), d("4")), d("0"));
        assert_eq!(deduct_per_case(d("0"), d("1"), d("4")), d("4"));
    }

    #[test]
    fn binary_follows_the_comparison() {
        assert_eq!(binary(Comparator::AtLeast, d("1"), d("1"), d("2")), d("2"));
        assert_eq!(binary(Comparator::MoreThan, d("1"), d("1"), d("2")), d("0"));
        assert_eq!(binary(Comparator::LessThan, d("3"), d("2"), d("2")), d("2"));
        assert_eq!(binary(Comparator::Equal, d("1"), d("0"), d("2")), d("0"));
    }

    #[test]
    fn tolerance_is_linear_between_within_and_zero_at() {
        // A = 100, within 5%, zero at 20%, w = 6
        // B = 104: d = 4% ≤ 5% → 6
        assert_eq!(
            tolerance(d("100"), d("104"), d("0.05"), d("0.2"), d("6")),
            d("6")
        );
        // B = 90: d = 10% → 6 × (0.20 − 0.10) / (0.20 − 0.05) = 6 × 0.1/0.15 = 4
        assert_eq!(
            tolerance(d("100"), d("90"), d("0.05"), d("0.2"), d("6")),
            d("4")
        );
        // B = 125: d = 25% ≥ 20% → 0
        assert_eq!(
            tolerance(d("100"), d("125"), d("0.05"), d("0.2"), d("6")),
            d("0")
        );
        // A = 10⁻²⁸, B = 1: d = 10²⁸ − 1 ≥ 20% → 0; 10 × (0.2 − d) would be about −10²⁹,
        // past the decimal type's 7.9 × 10²⁸, so it must not be computed.
        let tiny = d("0.0000000000000000000000000001");
        assert_eq!(
            tolerance(tiny, d("1"), d("0.05"), d("0.2"), d("10")),
            d("0")
        );
        // A = 0: only B = 0 scores
        assert_eq!(
            tolerance(d("0"), d("0"), d("0.05"), d("0.2"), d("6")),
            d("6")
        );
        assert_eq!(
            tolerance(d("0"), d("1"), d("0.05"), d("0.2"), d("6")),
            d("0")
        );
    }

    #[test]
    fn checklist_sums_met_elements() {
        // 制度健全 1 + 合法合规 1 met, 执行有效 1 not met → 2 of 3
        assert_eq!(checklist([d("1"), d("1")], d("3")), d("2"));
        assert_eq!(checklist([], d("3")), d("0"));
    }

    #[test]
    fn tiers_follow_the_platform_bounds() {
        let t = Tiers::default();
        // w = 4: 达成 [3.2, 4], 部分达成 [2.4, 3.2), 未达成 [0, 2.4)
        assert_eq!(
            tier_range(Tier::Achieved, &t, d("4")),
            (d("3.2"), d("4"), true)
        );
        assert!(in_tier(Tier::Achieved, &t, d("4"), d("3.2")));
        assert!(in_tier(Tier::Achieved, &t, d("4"), d("4")));
        assert!(!in_tier(Tier::Achieved, &t, d("4"), d("3.19")));
        assert!(in_tier(Tier::Partial, &t, d("4"), d("2.4")));
        assert!(!in_tier(Tier::Partial, &t, d("4"), d("3.2")));
        assert!(in_tier(Tier::NotAchieved, &t, d("4"), d("0")));
        assert!(!in_tier(Tier::NotAchieved, &t, d("4"), d("2.4")));
        // w = 3.3: 0.8 × 3.3 = 2.64; 0.6 × 3.3 = 1.98
        assert_eq!(
            tier_range(Tier::Partial, &t, d("3.3")),
            (d("1.98"), d("2.64"), false)
        );
        // Hubei tiers 80/50: w = 10 → 部分达成 [5, 8)
        let hubei = Tiers {
            achieved_min: d("0.8"),
            partial_min: d("0.5"),
        };
        assert_eq!(
            tier_range(Tier::Partial, &hubei, d("10")),
            (d("5"), d("8"), false)
        );
        assert_eq!(
            Tier::parse("部分达成年度指标并具有一定效果"),
            Some(Tier::Partial)
        );
        assert_eq!(Tier::parse("很好"), None);
    }

    #[test]
    fn the_lowest_tier_is_read_and_bounded_below_sixty_percent() {
        let t = Tiers::default();
        // Both spellings of the lowest tier, with the spaces a cell may carry.
        assert_eq!(
            Tier::parse("未达成年度指标且效果较差"),
            Some(Tier::NotAchieved)
        );
        assert_eq!(Tier::parse(" 未达成 "), Some(Tier::NotAchieved));
        assert_eq!(Tier::parse("not_achieved"), Some(Tier::NotAchieved));
        // The short forms of the other two tiers are not read as this one.
        assert_eq!(Tier::parse("达成"), Some(Tier::Achieved));
        assert_eq!(Tier::parse("部分达成"), Some(Tier::Partial));
        // w = 3: 未达成 [0, round(3 × 0.6, 2)) = [0, 1.8), 1.8 itself excluded.
        assert_eq!(
            tier_range(Tier::NotAchieved, &t, d("3")),
            (d("0"), d("1.8"), false)
        );
        // 1.5 < 1.8 → in; 1.79 < 1.8 → in; 1.8 is the bottom of 部分达成 → out.
        assert!(in_tier(Tier::NotAchieved, &t, d("3"), d("1.5")));
        assert!(in_tier(Tier::NotAchieved, &t, d("3"), d("1.79")));
        assert!(!in_tier(Tier::NotAchieved, &t, d("3"), d("1.8")));
        assert!(in_tier(Tier::Partial, &t, d("3"), d("1.8")));
        // A negative score is below the range's 0.
        assert!(!in_tier(Tier::NotAchieved, &t, d("3"), d("-0.01")));
        assert_eq!(Tier::NotAchieved.zh(), "未达成年度指标且效果较差");
    }

    #[test]
    fn rescale_to_total_when_indicators_do_not_apply() {
        // 85 points scored of 90 applicable, total 100: 85 × 100 / 90 = 94.444… → 94.44
        assert_eq!(round_score(rescale(d("85"), d("90"), d("100"))), d("94.44"));
        assert_eq!(rescale(d("0"), d("0"), d("100")), d("0"));
        // 2.75 × 13.32 / 14.8 = 2.475 exactly → 2.48 (dividing first would give 2.4749… → 2.47)
        assert_eq!(
            round_score(rescale(d("2.75"), d("14.80"), d("13.32"))),
            d("2.48")
        );
    }

    #[test]
    fn over_completion_threshold() {
        // 135 / 120 = 1.125 < 1.3 → no
        assert!(!over_completed(d("120"), d("135"), d("1.3")));
        // 156 / 120 = 1.3 → yes (at the threshold)
        assert!(over_completed(d("120"), d("156"), d("1.3")));
        assert!(!over_completed(d("0"), d("5"), d("1.3")));
    }

    #[test]
    fn the_rules_that_count_a_negative_actual_as_zero_say_so() {
        use crate::scheme::Rule;
        let (a, w) = (d("10"), d("4"));
        // 正向: B = −5 scores as B = 0: 0 / 10 × 4 = 0
        assert!(Rule::Proportional.counts_negative_as_zero());
        assert_eq!(proportional(a, d("-5"), w), d("0"));
        // 反向: B = −5 counts as 0 ≤ 10: full 4 (both forms)
        assert!(Rule::Inverse.counts_negative_as_zero());
        assert_eq!(inverse(a, d("-5"), w), w);
        assert!(Rule::ReverseDeviation.counts_negative_as_zero());
        assert_eq!(reverse_deviation(a, d("-5"), w), w);
        // 每发生一次扣分: −3 occurrences count as 0: 4 − 0 × 1 = 4 (not 4 + 3 = 7 capped)
        assert!(Rule::DeductPerCase { points: d("1") }.counts_negative_as_zero());
        assert_eq!(deduct_per_case(d("-3"), d("1"), w), w);
        // The others compare B as it is (a band may hold a negative growth rate).
        assert!(
            !Rule::Tolerance {
                within: d("0.1"),
                zero_at: d("1")
            }
            .counts_negative_as_zero()
        );
        assert!(!Rule::Binary.counts_negative_as_zero());
        assert!(!Rule::EqualZero.counts_negative_as_zero());
        assert!(!Rule::Bands(Vec::new()).counts_negative_as_zero());
        let per_point = Rule::DeductPerPoint {
            step: d("1"),
            points: d("1"),
            whole_steps: true,
        };
        assert!(!per_point.counts_negative_as_zero());
    }
}
