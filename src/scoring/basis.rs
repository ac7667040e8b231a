//! 计分依据: the one-line basis the 自评表 prints beside a score, written from the
//! indicator's [`Arithmetic`] (no rule is applied here).

use rust_decimal::Decimal;

use super::arithmetic::{Arithmetic, Element, Quantitative, Steps};
use super::rules::Step;
use super::show;
use crate::decimal::{percent, plain, round_half_up, score_text};
use crate::i18n::Lang;
use crate::scheme::{ChecklistItem, Indicator, Rule, Scoring};

/// The basis of `ind`'s score, before the judgments' deductions (added by the caller).
pub fn basis(ind: &Indicator, arithmetic: &Arithmetic, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let w = ind.weight;
    let raw = arithmetic.raw;
    match (&arithmetic.steps, &ind.scoring) {
        (Steps::NotApplicable, _) => t(
            "不适用，不计分，总分按百分制折算",
            "not applicable: left out, total rescaled",
        )
        .into(),
        (Steps::Quantitative(q), Scoring::Quantitative { rule, target, .. }) => {
            quantitative(q, rule, &target.to_string(), w, lang)
        }
        (Steps::Checklist { items, .. }, Scoring::Checklist(list)) => {
            checklist(items, list, raw, lang)
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
        ) => format!(
            "{}{} [{}, {}{}{}{}",
            lang.pick(tier.zh(), tier.en()),
            t("，档内", ", range"),
            plain(*low),
            plain(*high),
            if *high_inclusive { "]" } else { ")" },
            t("，评定 ", ", judged "),
            plain(*judged)
        ),
        (Steps::Manual { judged }, _) => {
            format!("{}{}", t("人工评分 ", "judged score "), plain(*judged))
        }
        // Steps of one kind of scoring with an indicator of another cannot be made by
        // scoring; say so rather than guess.
        _ => t("（计分依据缺失）", "(no basis)").into(),
    }
}

/// The steps added after the rule's basis: the judgments' deduction and the score.
pub fn deduction(arithmetic: &Arithmetic, score: Decimal, lang: Lang) -> Option<String> {
    (!arithmetic.deduction.is_zero()).then(|| {
        format!(
            "{}{} {} = {}",
            lang.pick("；扣分 ", "; deduction "),
            plain(arithmetic.deduction),
            lang.pick("分", "points"),
            score_text(score)
        )
    })
}

fn quantitative(q: &Quantitative, rule: &Rule, target: &str, w: Decimal, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let raw = q.worked.raw;
    let actual = show(q.actual, &q.unit);
    let counted = show(q.counted, &q.unit);
    let a = show(q.target, &q.unit);
    let full = |what: &str| {
        format!(
            "{actual} {what} {a}{}{}",
            t("，得满分 ", ", full marks "),
            plain(w)
        )
    };
    match (rule, &q.worked.step) {
        (Rule::Proportional, _) if raw == w => full(t("达到目标", "meets target")),
        (Rule::Proportional, _) => {
            format!("{counted} / {a} × {} = {}", plain(w), score_text(raw))
        }
        (Rule::Inverse | Rule::ReverseDeviation, _) if raw == w => full(t("未超过", "within")),
        (Rule::Inverse, _) => format!("{a} / {counted} × {} = {}", plain(w), score_text(raw)),
        // B ≥ 2A: the formula goes below 0 and the score stops there.
        (Rule::ReverseDeviation, _) if raw.is_zero() => {
            format!("{counted} ≥ 2 × {a}{}", t("，得 0 分", ": 0 points"))
        }
        (Rule::ReverseDeviation, _) => format!(
            "(1 − ({counted} − {a}) / {a}) × {} = {}",
            plain(w),
            score_text(raw)
        ),
        (Rule::EqualZero, _) if raw == w => {
            format!(
                "{actual} = 0{}{}",
                t("，得满分 ", ", full marks "),
                plain(w)
            )
        }
        (Rule::EqualZero, _) => format!("{actual} ≠ 0{}", t("，得 0 分", ", 0 points")),
        (Rule::Bands(bands), Step::Band { index: Some(i) }) => format!(
            "{actual} {} {} {} {}",
            t("属于", "falls in"),
            bands[*i].range_text,
            t("档，得", "band:"),
            plain(raw)
        ),
        (Rule::Bands(_), _) => format!(
            "{actual} {}",
            t("不在任何档内，得 0 分", "falls in no band: 0 points")
        ),
        (
            Rule::DeductPerPoint { points, .. },
            Step::PerPoint {
                gap,
                steps,
                deducted,
                ..
            },
        ) => {
            if gap.is_zero() {
                return full(t("达到目标", "meets target"));
            }
            // Too many steps to count: everything is deducted.
            let deducted = round_half_up(deducted.unwrap_or(Decimal::MAX), 4);
            format!(
                "{} {}{}{} × {} = {}{}{} − {} = {}",
                t("差距", "gap"),
                show(*gap, &q.unit),
                t("，", ", "),
                plain(round_half_up(steps.unwrap_or(Decimal::MAX), 4)),
                plain(*points),
                plain(deducted),
                t("分；", " points; "),
                plain(w),
                plain(deducted),
                score_text(raw)
            )
        }
        (Rule::DeductPerCase { .. }, _) if raw == w => {
            format!("{actual}{}{}", t("，得满分 ", ", full marks "), plain(w))
        }
        (Rule::DeductPerCase { points }, _) => format!(
            "{} − {} × {} = {}",
            plain(w),
            plain(q.counted),
            plain(*points),
            score_text(raw)
        ),
        (Rule::Binary, _) if raw == w => full(t("满足", "satisfies")),
        (Rule::Binary, _) => format!(
            "{actual} {} {target}{}",
            t("不满足", "does not satisfy"),
            t("，得 0 分", ": 0 points")
        ),
        (Rule::Tolerance { .. }, step) => {
            // A target of 0 has no relative deviation: shown as 0.
            let deviation = match step {
                Step::Tolerance { deviation } => deviation.unwrap_or(Decimal::MAX),
                _ => Decimal::ZERO,
            };
            format!(
                "{} |{actual} − {a}| / {a} = {}{} {}",
                t("偏差", "deviation"),
                percent(deviation),
                t("，得", ", score"),
                score_text(raw)
            )
        }
        // A per-point rule always records its gap; anything else is a scoring defect.
        (Rule::DeductPerPoint { .. }, _) => t("（计分依据缺失）", "(no basis)").into(),
    }
}

fn checklist(items: &[Element], list: &[ChecklistItem], raw: Decimal, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let names = |met: bool| {
        let named: Vec<String> = items
            .iter()
            .zip(list)
            .filter(|(e, _)| e.met == met)
            .map(|(_, i)| format!("{}({})", i.name, plain(i.points)))
            .collect();
        (!named.is_empty()).then(|| named.join("、"))
    };
    let mut basis = format!(
        "{} {}",
        t("符合：", "met:"),
        names(true).unwrap_or_else(|| "—".into())
    );
    if let Some(missed) = names(false) {
        basis.push_str(&format!("{}{missed}", t("；不符合：", "; not met: ")));
    }
    basis.push_str(&format!(" = {}", score_text(raw)));
    basis
}

#[cfg(test)]
mod tests {
    use crate::i18n::Lang;
    use crate::metrics::{Funds, Metrics};
    use crate::records::OutputRow;
    use crate::units::Unit;
    use std::path::{Path, PathBuf};

    const SCHEME: &str = r#"
[scheme]
id = "t"
title = "test"
total = 12

[[dimension]]
kind = "output"
weight = 12
  [[dimension.group]]
  name = "G"
  weight = 12
    [[dimension.group.indicator]]
    id = "I1"
    name = "反向"
    weight = 4
    metric = "cost"
    target = "<= 800 元/件"
    rule = { kind = "inverse" }

    [[dimension.group.indicator]]
    id = "R1"
    name = "反向平台公式"
    weight = 4
    metric = "cost"
    target = "<= 800 元/件"
    rule = { kind = "reverse_deviation" }

    [[dimension.group.indicator]]
    id = "C1"
    name = "每发生一次扣分"
    weight = 4
    metric = "cases"
    target = "= 0 件"
    rule = { kind = "deduct_per_case", points = 1 }
"#;

    /// The 计分依据 of indicator `id` with the metrics `cost` (元/件) and `cases` (件).
    fn basis_of(id: &str, cost: &str, cases: &str) -> String {
        let scheme = crate::scheme::parse(&PathBuf::from("t.toml"), SCHEME).unwrap();
        let row = |line: usize, metric: &str, value: &str, unit: &str| OutputRow {
            line,
            project: "P".into(),
            metric: metric.into(),
            value: value.parse().unwrap(),
            unit: Unit::parse(unit),
            note: None,
            date: None,
        };
        let outputs = [row(2, "cost", cost, "元/件"), row(3, "cases", cases, "件")];
        let funds = Funds::default();
        let mut metrics = Metrics::new(
            &funds,
            outputs.iter().map(Into::into),
            None,
            scheme.metrics.iter(),
        );
        let ind = scheme.indicator(id).unwrap();
        let scored = super::super::score_indicator(
            &scheme,
            ind,
            &mut metrics,
            &[],
            Path::new("j.csv"),
            Lang::Zh,
        )
        .unwrap();
        scored.basis
    }

    #[test]
    fn a_lower_is_better_target_met_is_full_marks_not_a_formula() {
        // 反向, 500 ≤ 800: A / B = 800 / 500 = 1.6, capped: full marks 4, said so rather
        // than as the formula (which would read 800 / 500 × 4 = 4.00)
        assert_eq!(
            basis_of("I1", "500", "0"),
            "500元/件 未超过 800元/件，得满分 4"
        );
        // 反向平台公式, B = A = 800: d = (800 − 800) / 800 = 0, (1 − 0) × 4 = 4, full marks
        assert_eq!(
            basis_of("R1", "800", "0"),
            "800元/件 未超过 800元/件，得满分 4"
        );
        // the formula is for a score below the weight: 800 / 1000 × 4 = 3.2
        assert_eq!(
            basis_of("I1", "1000", "0"),
            "800元/件 / 1000元/件 × 4 = 3.20"
        );
    }

    #[test]
    fn no_case_is_full_marks_and_each_case_is_deducted() {
        // 每发生一次扣 1 分, 0 cases: nothing deducted, full marks 4
        assert_eq!(basis_of("C1", "800", "0"), "0件，得满分 4");
        // 3 cases: 4 − 3 × 1 = 1
        assert_eq!(basis_of("C1", "800", "3"), "4 − 3 × 1 = 1.00");
    }
}
