//! The rules of the warning lights, each a small pure function (no I/O, no formatting),
//! with its arithmetic and rounding documented and tested beside it.
//!
//! Rounding: 四舍五入 ([`round_half_up`]) only. 序时进度 and 执行率 are kept as printed
//! percentages with two decimals (58.33%, 29.78%), and the ratios are computed from those
//! printed figures, as the platform shows them: 29.78 ÷ 58.33 × 100 = 51.05. A ratio is
//! rounded to two decimals before it is compared with the thresholds.

use rust_decimal::Decimal;

use super::Light;
use super::profile::{BudgetBands, IndicatorBands, TimeRule};
use crate::decimal::{round_half_up, round_rate};
use crate::judgment::Tier;
use crate::records::Likelihood;
use crate::values::{Date, days_in_month};

/// 序时进度 as an exact fraction of the year (before rounding).
pub fn time_fraction(as_of: Date, rule: TimeRule) -> Decimal {
    let twelve = Decimal::from(12);
    let month = Decimal::from(as_of.month);
    let last = days_in_month(as_of.year, as_of.month);
    match rule {
        TimeRule::Month => month / twelve,
        TimeRule::CompletedMonths if as_of.day == last => month / twelve,
        TimeRule::CompletedMonths => (month - Decimal::ONE) / twelve,
        TimeRule::Days => {
            (month - Decimal::ONE + Decimal::from(as_of.day) / Decimal::from(last)) / twelve
        }
    }
}

/// The fraction of the year as a formula, the way it is counted: `7/12`; by completed
/// months on 7月15日 `6/12`; by days `(6 + 15/31)/12`.
pub fn time_formula(as_of: Date, rule: TimeRule) -> String {
    let last = days_in_month(as_of.year, as_of.month);
    match rule {
        TimeRule::Month => format!("{}/12", as_of.month),
        TimeRule::CompletedMonths if as_of.day == last => format!("{}/12", as_of.month),
        TimeRule::CompletedMonths => format!("{}/12", as_of.month - 1),
        TimeRule::Days if as_of.day == last => format!("{}/12", as_of.month),
        TimeRule::Days => format!("({} + {}/{last})/12", as_of.month - 1, as_of.day),
    }
}

/// 序时进度 as printed: the fraction rounded to a percentage with two decimals
/// (7/12 = 0.583333… → 0.5833 = 58.33%).
pub fn time_progress(as_of: Date, rule: TimeRule) -> Decimal {
    round_rate(time_fraction(as_of, rule))
}

/// 执行率 as printed: spending ÷ budget, a percentage with two decimals; `None` when the
/// budget is zero (29,780.00 / 100,000.00 = 0.2978 = 29.78%).
pub fn execution_rate(spent: Decimal, budget: Decimal) -> Option<Decimal> {
    if budget.is_zero() {
        return None;
    }
    spent.checked_div(budget).map(round_rate)
}

/// 执行率 ÷ 序时进度 × 100 (or any value ÷ its expected value × 100), two decimals;
/// `None` when nothing is expected yet.
pub fn ratio(value: Decimal, expected: Decimal) -> Option<Decimal> {
    if expected.is_zero() {
        return None;
    }
    value
        .checked_div(expected)
        .and_then(|q| q.checked_mul(Decimal::ONE_HUNDRED))
        .map(|r| round_half_up(r, 2))
}

/// The budget light: red below `red_below`, green from `green_from`, yellow between.
pub fn budget_light(ratio: Decimal, bands: &BudgetBands) -> Light {
    if ratio < bands.red_below {
        Light::Red
    } else if ratio < bands.green_from {
        Light::Yellow
    } else {
        Light::Green
    }
}

/// A positive indicator's light: red below `red_below`, yellow below `green_from`, green
/// below `blue_from`, blue from it.
pub fn positive_light(ratio: Decimal, bands: &IndicatorBands) -> Light {
    if ratio < bands.red_below {
        Light::Red
    } else if ratio < bands.green_from {
        Light::Yellow
    } else if ratio < bands.blue_from {
        Light::Green
    } else {
        Light::Blue
    }
}

/// A reverse (反向) indicator's light: green while the value is within its ceiling
/// (`within` = the target's comparison holds), red past it.
pub fn reverse_light(within: bool) -> Light {
    if within { Light::Green } else { Light::Red }
}

/// An equal-zero (= 0) indicator's light: green while zero, red otherwise.
pub fn zero_light(value: Decimal) -> Light {
    if value.is_zero() {
        Light::Green
    } else {
        Light::Red
    }
}

/// A qualitative indicator's light: 达成年度指标 green, 部分达成… yellow, 未达成… red.
pub fn tier_light(tier: Tier) -> Light {
    match tier {
        Tier::Achieved => Light::Green,
        Tier::Partial => Light::Yellow,
        Tier::NotAchieved => Light::Red,
    }
}

/// The goal light: the worst of the indicators' lights (red, then yellow, then blue, then
/// green); `None` when no indicator has one yet.
pub fn goal_light(lights: impl IntoIterator<Item = Light>) -> Option<Light> {
    lights.into_iter().max_by_key(|l| l.severity())
}

/// The combined light (one city's variant, documented in docs/monitor.md): spending not on
/// pace (its light not green) → red; on pace but a target not achievable → yellow; on pace
/// and every target achievable (or not said to be unachievable) → green.
pub fn combined_light(budget: Light, any_unachievable: bool) -> Light {
    if budget != Light::Green {
        Light::Red
    } else if any_unachievable {
        Light::Yellow
    } else {
        Light::Green
    }
}

/// Whether a target is achievable: the department's word (确定能, 有可能: yes; 完全不可能:
/// no); failing it, whether the projected year-end value meets the target; `None` when
/// neither is known.
pub fn achievable(likelihood: Option<Likelihood>, projection_meets: Option<bool>) -> Option<bool> {
    match likelihood {
        Some(Likelihood::Impossible) => Some(false),
        Some(Likelihood::Certain | Likelihood::Possible) => Some(true),
        None => projection_meets,
    }
}

/// A run-rate projection of the year from a value to date: value ÷ the exact fraction of
/// the year, to `places` decimals (2 for money and counts: 29,780.00 to 7月31日 →
/// 29,780.00 × 12 / 7 = 51,051.43; 4 for a rate held as a fraction, two decimals of its
/// percentage: 55.00% × 12 / 7 = 0.942857… → 0.9429 = 94.29%).
pub fn run_rate(value: Decimal, fraction: Decimal, places: u32) -> Option<Decimal> {
    if fraction.is_zero() {
        return None;
    }
    value
        .checked_div(fraction)
        .map(|v| round_half_up(v, places))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn date(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    fn bands() -> (BudgetBands, IndicatorBands) {
        (
            BudgetBands {
                red_below: d("60"),
                green_from: d("80"),
            },
            IndicatorBands {
                red_below: d("60"),
                green_from: d("80"),
                blue_from: d("120"),
                prorate_rates: false,
                prorate_metrics: Vec::new(),
            },
        )
    }

    #[test]
    fn time_progress_counts_months_by_the_rule_chosen() {
        // 7/12 = 0.583333… → 58.33%; 9/12 = 75.00%
        assert_eq!(
            time_progress(date(2022, 7, 31), TimeRule::Month),
            d("0.5833")
        );
        assert_eq!(time_progress(date(2022, 9, 30), TimeRule::Month), d("0.75"));
        // inside a month: the month counts whole (7/12), not yet (6/12 = 50.00%), or by
        // its days: (6 + 15/31) / 12 = 6.483870… / 12 = 0.540322… → 54.03%
        let mid = date(2022, 7, 15);
        assert_eq!(time_progress(mid, TimeRule::Month), d("0.5833"));
        assert_eq!(time_progress(mid, TimeRule::CompletedMonths), d("0.5"));
        assert_eq!(time_progress(mid, TimeRule::Days), d("0.5403"));
        // on the last day all three agree: (6 + 31/31) / 12 = 7/12
        for rule in [TimeRule::Month, TimeRule::CompletedMonths, TimeRule::Days] {
            assert_eq!(time_progress(date(2022, 7, 31), rule), d("0.5833"));
        }
        // February of a leap year: (1 + 29/29) / 12 = 2/12 = 16.67%
        assert_eq!(
            time_progress(date(2024, 2, 29), TimeRule::Days),
            d("0.1667")
        );
        // and the formulas shown beside them
        assert_eq!(time_formula(mid, TimeRule::Month), "7/12");
        assert_eq!(time_formula(mid, TimeRule::CompletedMonths), "6/12");
        assert_eq!(time_formula(mid, TimeRule::Days), "(6 + 15/31)/12");
        assert_eq!(time_formula(date(2022, 7, 31), TimeRule::Days), "7/12");
    }

    #[test]
    fn the_budget_light_of_the_issue_s_figures() {
        let (b, _) = bands();
        // 29,780.00 / 100,000.00 = 29.78%; 29.78 ÷ 58.33 × 100 = 51.054… → 51.05 → red
        let rate = execution_rate(d("29780.00"), d("100000.00")).unwrap();
        assert_eq!(rate, d("0.2978"));
        let r = ratio(rate, d("0.5833")).unwrap();
        assert_eq!(r, d("51.05"));
        assert_eq!(budget_light(r, &b), Light::Red);
        // 49,430.00 → 49.43%; 49.43 ÷ 75.00 × 100 = 65.906… → 65.91 → yellow
        let rate = execution_rate(d("49430.00"), d("100000.00")).unwrap();
        let r = ratio(rate, d("0.75")).unwrap();
        assert_eq!(r, d("65.91"));
        assert_eq!(budget_light(r, &b), Light::Yellow);
        // the edges: 60 is yellow, 80 is green, 59.99 red
        assert_eq!(budget_light(d("59.99"), &b), Light::Red);
        assert_eq!(budget_light(d("60"), &b), Light::Yellow);
        assert_eq!(budget_light(d("79.99"), &b), Light::Yellow);
        assert_eq!(budget_light(d("80"), &b), Light::Green);
        assert_eq!(execution_rate(d("1"), Decimal::ZERO), None);
    }

    #[test]
    fn positive_lights_have_four_bands() {
        let (_, i) = bands();
        assert_eq!(positive_light(d("59.99"), &i), Light::Red);
        assert_eq!(positive_light(d("60"), &i), Light::Yellow);
        assert_eq!(positive_light(d("80"), &i), Light::Green);
        assert_eq!(positive_light(d("119.99"), &i), Light::Green);
        assert_eq!(positive_light(d("120"), &i), Light::Blue);
        // 66 cases against 120 × 58.33% = 69.996: 66 ÷ 69.996 × 100 = 94.291… → 94.29
        assert_eq!(ratio(d("66"), d("120") * d("0.5833")), Some(d("94.29")));
        assert_eq!(ratio(d("1"), Decimal::ZERO), None);
    }

    #[test]
    fn reverse_zero_and_qualitative_lights() {
        assert_eq!(reverse_light(true), Light::Green);
        assert_eq!(reverse_light(false), Light::Red);
        assert_eq!(zero_light(Decimal::ZERO), Light::Green);
        assert_eq!(zero_light(Decimal::ONE), Light::Red);
        assert_eq!(tier_light(Tier::Achieved), Light::Green);
        assert_eq!(tier_light(Tier::Partial), Light::Yellow);
        assert_eq!(tier_light(Tier::NotAchieved), Light::Red);
    }

    #[test]
    fn the_goal_light_is_the_worst_and_the_combined_light_follows_spending_first() {
        use Light::*;
        assert_eq!(goal_light([Green, Blue, Yellow]), Some(Yellow));
        assert_eq!(goal_light([Green, Blue]), Some(Blue));
        assert_eq!(goal_light([Green, Red, Yellow]), Some(Red));
        assert_eq!(goal_light([]), None);
        assert_eq!(combined_light(Green, false), Green);
        assert_eq!(combined_light(Green, true), Yellow);
        assert_eq!(combined_light(Yellow, false), Red);
        assert_eq!(combined_light(Red, true), Red);
    }

    #[test]
    fn achievability_is_the_department_s_word_else_the_projection() {
        assert_eq!(
            achievable(Some(Likelihood::Impossible), Some(true)),
            Some(false)
        );
        assert_eq!(
            achievable(Some(Likelihood::Possible), Some(false)),
            Some(true)
        );
        assert_eq!(achievable(None, Some(false)), Some(false));
        assert_eq!(achievable(None, None), None);
        // 29,780.00 × 12 / 7 = 357,360 / 7 = 51,051.428… → 51,051.43
        assert_eq!(
            run_rate(d("29780.00"), d("7") / d("12"), 2),
            Some(d("51051.43"))
        );
        assert_eq!(run_rate(d("1"), Decimal::ZERO, 2), None);
        // a rate: 0.55 × 12 / 7 = 0.942857… → 0.9429
        assert_eq!(run_rate(d("0.55"), d("7") / d("12"), 4), Some(d("0.9429")));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// A light's place in its scale, worst first: red, yellow, green, blue.
        fn place(l: Light) -> u8 {
            match l {
                Light::Red => 0,
                Light::Yellow => 1,
                Light::Green => 2,
                Light::Blue => 3,
            }
        }

        proptest! {
            #![proptest_config(crate::testing::proptest_config("tests/proptest-regressions/monitor-rules.txt"))]

            /// A higher ratio never gives a worse light, for the budget and for a
            /// positive indicator.
            #[test]
            fn lights_never_fall_as_the_ratio_rises(a in -50_000_i64..50_000, b in -50_000_i64..50_000) {
                let (b_, i) = bands();
                let (lo, hi) = (Decimal::new(a.min(b), 2), Decimal::new(a.max(b), 2));
                prop_assert!(place(budget_light(lo, &b_)) <= place(budget_light(hi, &b_)));
                prop_assert!(place(positive_light(lo, &i)) <= place(positive_light(hi, &i)));
            }

            /// Any amounts and any day of the year: the rates and ratios are computed or
            /// absent, never a panic; a ratio of a rate to 序时进度 has two decimals.
            #[test]
            fn any_amount_and_date_gives_a_ratio_or_none(
                spent in proptest::num::i128::ANY,
                budget in proptest::num::i64::ANY,
                month in 1_u32..=12,
                day in 1_u32..=31,
                rule in 0_usize..3,
            ) {
                let spent = Decimal::from_i128_with_scale(spent % 10_i128.pow(24), 2);
                let budget = Decimal::new(budget, 2);
                let day = day.min(days_in_month(2024, month));
                let rule = [TimeRule::Month, TimeRule::CompletedMonths, TimeRule::Days][rule];
                let as_of = date(2024, month, day);
                let progress = time_progress(as_of, rule);
                prop_assert!(progress >= Decimal::ZERO && progress <= Decimal::ONE);
                if let Some(rate) = execution_rate(spent, budget)
                    && let Some(r) = ratio(rate, progress)
                {
                    prop_assert!(r.scale() <= 2);
                }
                let _ = run_rate(spent, time_fraction(as_of, rule), 2);
            }
        }
    }
}
