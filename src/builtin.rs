//! The built-in metrics (内置指标): the money figures and rates every project has from its
//! budget and spending, named once here so that no other module matches on their names.
//!
//! This module says what each one is; how each is computed lives with the sums it comes
//! from (`Funds::value` in the metrics), which may import this room but not the reverse.

use crate::i18n::Lang;
use crate::units::{Unit, UnitKind};

/// A built-in metric, as a scheme names it in `metric = "…"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Builtin {
    /// 年初预算数
    InitialBudget,
    /// 全年预算数 (调整后预算数)
    AdjustedBudget,
    /// 实际到位资金
    Allocated,
    /// 全年执行数
    Spent,
    /// 结余 = 实际到位资金 − 全年执行数
    Balance,
    /// 预算执行率 = 全年执行数 / 全年预算数 (the 自评表's definition)
    ExecutionRate,
    /// 预算执行率 = 全年执行数 / 实际到位资金 (the evaluation framework's definition)
    ExecutionRateAllocated,
    /// 资金到位率 = 实际到位资金 / 全年预算数
    ArrivalRate,
}

impl Builtin {
    /// Every built-in, money first, in the order tables list them.
    pub const ALL: [Builtin; 8] = [
        Builtin::InitialBudget,
        Builtin::AdjustedBudget,
        Builtin::Allocated,
        Builtin::Spent,
        Builtin::Balance,
        Builtin::ExecutionRate,
        Builtin::ExecutionRateAllocated,
        Builtin::ArrivalRate,
    ];

    /// The built-in a metric name stands for, if any (names are exact: no trimming, no case
    /// folding, as metric ids are matched everywhere else).
    pub fn parse(name: &str) -> Option<Builtin> {
        Builtin::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The name as written in schemes, outputs and JSON keys (`execution_rate`).
    pub fn name(self) -> &'static str {
        match self {
            Builtin::InitialBudget => "initial_budget",
            Builtin::AdjustedBudget => "adjusted_budget",
            Builtin::Allocated => "allocated",
            Builtin::Spent => "spent",
            Builtin::Balance => "balance",
            Builtin::ExecutionRate => "execution_rate",
            Builtin::ExecutionRateAllocated => "execution_rate_allocated",
            Builtin::ArrivalRate => "arrival_rate",
        }
    }

    /// The Chinese term as forms print it, without the formula: the two execution rates are
    /// both 预算执行率.
    pub fn zh(self) -> &'static str {
        match self {
            Builtin::InitialBudget => "年初预算数",
            Builtin::AdjustedBudget => "全年预算数",
            Builtin::Allocated => "实际到位资金",
            Builtin::Spent => "全年执行数",
            Builtin::Balance => "结余",
            Builtin::ExecutionRate | Builtin::ExecutionRateAllocated => "预算执行率",
            Builtin::ArrivalRate => "资金到位率",
        }
    }

    /// The label a reader is shown: the term, and for the two execution rates the
    /// definition that tells them apart.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Builtin::InitialBudget => lang.pick("年初预算数", "initial budget"),
            Builtin::AdjustedBudget => lang.pick("全年预算数", "adjusted budget"),
            Builtin::Allocated => lang.pick("实际到位资金", "funds allocated"),
            Builtin::Spent => lang.pick("全年执行数", "spent"),
            Builtin::Balance => lang.pick("结余", "balance"),
            Builtin::ExecutionRate => lang.pick(
                "预算执行率（执行数/全年预算数）",
                "execution rate (spent / adjusted budget)",
            ),
            Builtin::ExecutionRateAllocated => lang.pick(
                "预算执行率（执行数/到位资金）",
                "execution rate (spent / allocated)",
            ),
            Builtin::ArrivalRate => lang.pick("资金到位率", "arrival rate"),
        }
    }

    /// The label as a table's row or column heading: as [`Builtin::label`], the English
    /// capitalised and 实际到位资金 shortened to "Allocated".
    pub fn heading(self, lang: Lang) -> &'static str {
        match self {
            Builtin::InitialBudget => lang.pick("年初预算数", "Initial budget"),
            Builtin::AdjustedBudget => lang.pick("全年预算数", "Adjusted budget"),
            Builtin::Allocated => lang.pick("实际到位资金", "Allocated"),
            Builtin::Spent => lang.pick("全年执行数", "Spent"),
            Builtin::Balance => lang.pick("结余", "Balance"),
            Builtin::ExecutionRate => lang.pick(
                "预算执行率（执行数/全年预算数）",
                "Execution rate (spent / adjusted budget)",
            ),
            Builtin::ExecutionRateAllocated => lang.pick(
                "预算执行率（执行数/到位资金）",
                "Execution rate (spent / allocated)",
            ),
            Builtin::ArrivalRate => lang.pick("资金到位率", "Arrival rate"),
        }
    }

    /// Money in 元 (else a rate, a fraction).
    pub fn is_money(self) -> bool {
        self.ratio().is_none()
    }

    /// The unit of its value: 元 for money, % for rates.
    pub fn unit(self) -> Unit {
        if self.is_money() {
            Unit::Yuan
        } else {
            Unit::Percent
        }
    }

    /// The kind of unit a target on it must have.
    pub fn kind(self) -> UnitKind {
        self.unit().kind()
    }

    /// A rate's (numerator, denominator); `None` for money.
    pub fn ratio(self) -> Option<(Builtin, Builtin)> {
        match self {
            Builtin::ExecutionRate => Some((Builtin::Spent, Builtin::AdjustedBudget)),
            Builtin::ExecutionRateAllocated => Some((Builtin::Spent, Builtin::Allocated)),
            Builtin::ArrivalRate => Some((Builtin::Allocated, Builtin::AdjustedBudget)),
            Builtin::InitialBudget
            | Builtin::AdjustedBudget
            | Builtin::Allocated
            | Builtin::Spent
            | Builtin::Balance => None,
        }
    }

    /// One of the two 预算执行率: an indicator scoring it is an execution-rate indicator
    /// (`Indicator::is_execution_rate` in the scheme).
    pub fn is_execution_rate(self) -> bool {
        matches!(
            self,
            Builtin::ExecutionRate | Builtin::ExecutionRateAllocated
        )
    }
}

impl std::fmt::Display for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_nothing_else_parses() {
        for b in Builtin::ALL {
            assert_eq!(Builtin::parse(b.name()), Some(b), "{b}");
        }
        let names: Vec<&str> = Builtin::ALL.iter().map(|b| b.name()).collect();
        assert_eq!(
            names,
            [
                "initial_budget",
                "adjusted_budget",
                "allocated",
                "spent",
                "balance",
                "execution_rate",
                "execution_rate_allocated",
                "arrival_rate",
            ]
        );
        // Exact names only: a metric of one's own may start like a built-in.
        for other in [
            "",
            "Spent",
            " spent",
            "execution_rate_q4",
            "execution",
            "预算执行率",
        ] {
            assert_eq!(Builtin::parse(other), None, "{other:?}");
        }
    }

    #[test]
    fn money_and_rates() {
        let money: Vec<Builtin> = Builtin::ALL.into_iter().filter(|b| b.is_money()).collect();
        assert_eq!(
            money,
            [
                Builtin::InitialBudget,
                Builtin::AdjustedBudget,
                Builtin::Allocated,
                Builtin::Spent,
                Builtin::Balance,
            ]
        );
        for b in Builtin::ALL {
            let (unit, kind) = if b.is_money() {
                (Unit::Yuan, UnitKind::Money)
            } else {
                (Unit::Percent, UnitKind::Fraction)
            };
            assert_eq!((b.unit(), b.kind()), (unit, kind), "{b}");
            // A rate divides two money figures.
            if let Some((n, d)) = b.ratio() {
                assert!(n.is_money() && d.is_money(), "{b}");
            }
        }
        assert_eq!(
            Builtin::ExecutionRate.ratio(),
            Some((Builtin::Spent, Builtin::AdjustedBudget))
        );
        assert_eq!(
            Builtin::ExecutionRateAllocated.ratio(),
            Some((Builtin::Spent, Builtin::Allocated))
        );
        assert_eq!(
            Builtin::ArrivalRate.ratio(),
            Some((Builtin::Allocated, Builtin::AdjustedBudget))
        );
    }

    #[test]
    fn labels() {
        assert_eq!(Builtin::Spent.label(Lang::Zh), "全年执行数");
        assert_eq!(Builtin::Allocated.label(Lang::En), "funds allocated");
        assert_eq!(
            Builtin::ExecutionRate.label(Lang::Zh),
            "预算执行率（执行数/全年预算数）"
        );
        assert_eq!(
            Builtin::ExecutionRateAllocated.label(Lang::En),
            "execution rate (spent / allocated)"
        );
        // Both execution rates are 预算执行率 on a form; the labels tell them apart.
        assert_eq!(
            Builtin::ExecutionRate.zh(),
            Builtin::ExecutionRateAllocated.zh()
        );
        for lang in [Lang::Zh, Lang::En] {
            let mut labels: Vec<&str> = Builtin::ALL.iter().map(|b| b.label(lang)).collect();
            labels.sort();
            labels.dedup();
            assert_eq!(labels.len(), Builtin::ALL.len(), "{lang:?}");
        }
        for b in Builtin::ALL {
            // The Chinese label starts with the term; a heading is the label in Chinese.
            assert!(b.label(Lang::Zh).starts_with(b.zh()), "{b}");
            assert_eq!(b.heading(Lang::Zh), b.label(Lang::Zh), "{b}");
            // …and the English label capitalised, but for "Allocated".
            let en = b.label(Lang::En);
            let capitalised = en[..1].to_uppercase() + &en[1..];
            if b != Builtin::Allocated {
                assert_eq!(b.heading(Lang::En), capitalised, "{b}");
            }
        }
        assert_eq!(Builtin::Allocated.heading(Lang::En), "Allocated");
        let execution: Vec<Builtin> = Builtin::ALL
            .into_iter()
            .filter(|b| b.is_execution_rate())
            .collect();
        assert_eq!(
            execution,
            [Builtin::ExecutionRate, Builtin::ExecutionRateAllocated]
        );
    }
}
