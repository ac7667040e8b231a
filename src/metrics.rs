//! Metrics (指标数据): the built-in money figures and rates computed from budget and
//! spending, every outputs.csv metric by name, and derived metrics from formulas.
//!
//! Derived metrics are resolved on demand, so a formula that would divide by zero is only an
//! error when the scheme actually uses it.

use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::data::{BudgetRow, OutputRow, SpendingRow};
use crate::decimal::round_rate;
use crate::formula::{EvalError, Expr};
use crate::scheme::{DerivedMetric, OnZero, Unit, UnitKind};

/// The funds of one project (项目资金), in 元.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Funds {
    /// 年初预算数
    pub initial_budget: Decimal,
    /// 全年预算数 (调整后预算数)
    pub adjusted_budget: Decimal,
    /// 实际到位资金
    pub allocated: Decimal,
    /// 全年执行数: the sum of spending, reversals included.
    pub spent: Decimal,
    /// Per funding source (当年财政拨款 / 上年结转 / 其他资金), in budget.csv order.
    pub by_source: Vec<SourceFunds>,
    /// Number of spending rows summed.
    pub spending_rows: usize,
}

/// The budget of one funding source (资金来源).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFunds {
    pub source: String,
    pub initial_budget: Decimal,
    pub adjusted_budget: Decimal,
    pub allocated: Decimal,
}

impl Funds {
    /// Sum a project's budget rows and spending rows (exact decimals).
    pub fn from_rows<'a>(
        budget: impl IntoIterator<Item = &'a BudgetRow>,
        spending: impl IntoIterator<Item = &'a SpendingRow>,
    ) -> Funds {
        let mut f = Funds::default();
        for b in budget {
            f.initial_budget += b.initial_budget;
            f.adjusted_budget += b.adjusted_budget;
            f.allocated += b.allocated;
            let source = b
                .source
                .clone()
                .unwrap_or_else(|| "当年财政拨款".to_string());
            match f.by_source.iter_mut().find(|s| s.source == source) {
                Some(s) => {
                    s.initial_budget += b.initial_budget;
                    s.adjusted_budget += b.adjusted_budget;
                    s.allocated += b.allocated;
                }
                None => f.by_source.push(SourceFunds {
                    source,
                    initial_budget: b.initial_budget,
                    adjusted_budget: b.adjusted_budget,
                    allocated: b.allocated,
                }),
            }
        }
        for s in spending {
            f.spent += s.amount;
            f.spending_rows += 1;
        }
        f
    }

    /// 结余 = 实际到位资金 − 全年执行数.
    pub fn balance(&self) -> Decimal {
        self.allocated - self.spent
    }

    /// 预算执行率 = 全年执行数 / 全年预算数 (the 自评表's definition), rounded to 0.01%.
    pub fn execution_rate(&self) -> Option<Decimal> {
        rate(self.spent, self.adjusted_budget)
    }

    /// 预算执行率 = 实际支出 / 实际到位资金 (the evaluation framework's definition).
    pub fn execution_rate_allocated(&self) -> Option<Decimal> {
        rate(self.spent, self.allocated)
    }

    /// 资金到位率 = 实际到位资金 / 全年预算数.
    pub fn arrival_rate(&self) -> Option<Decimal> {
        rate(self.allocated, self.adjusted_budget)
    }
}

/// A rate as a fraction rounded so its percentage has two decimals (67.90% = 0.6790):
/// the rate printed on the form, which the score is then computed from (as the MOF
/// platform does). `None` for a zero denominator.
fn rate(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    (!denominator.is_zero()).then(|| round_rate(numerator / denominator))
}

/// Where a metric's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Computed from budget.csv and spending.csv.
    Builtin,
    /// A row of outputs.csv (the file shared by every metric read from it).
    Output { file: Arc<Path>, line: usize },
    /// A formula.
    Derived { formula: String },
}

/// A metric's value with its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricValue {
    /// Base value: fractions for rates, 元 for money.
    pub value: Decimal,
    /// The unit it was given in (for display).
    pub unit: Unit,
    pub source: Source,
}

impl MetricValue {
    pub fn kind(&self) -> UnitKind {
        self.unit.kind()
    }
}

/// Why a metric has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricError {
    /// No input provides it.
    Unknown(String),
    /// A built-in rate whose denominator is zero.
    ZeroBuiltin {
        metric: String,
        denominator: &'static str,
    },
    /// A formula divided by zero and its `on_zero` is "error".
    ZeroDenominator {
        metric: String,
        expression: String,
        file: PathBuf,
        line: usize,
    },
    /// Derived metrics that refer to each other.
    Cycle(Vec<String>),
    Overflow {
        metric: String,
    },
}

/// All metrics of one project, resolved on demand.
pub struct Metrics<'a> {
    /// Keyed by borrowed names where it can: a batch builds one of these per project.
    known: BTreeMap<Cow<'a, str>, MetricValue>,
    builtin_zero: BTreeMap<&'static str, &'static str>,
    derived: BTreeMap<&'a str, &'a DerivedMetric>,
    cache: BTreeMap<String, Result<MetricValue, MetricError>>,
}

impl<'a> Metrics<'a> {
    /// Built-ins from the funds, outputs by name (outputs.csv file for provenance), and
    /// the derived definitions (scheme first, then the evaluation's bindings).
    pub fn new(
        funds: &Funds,
        outputs: &[&'a OutputRow],
        outputs_file: Option<&std::path::Path>,
        derived: impl IntoIterator<Item = &'a DerivedMetric>,
    ) -> Self {
        let mut known: BTreeMap<Cow<'a, str>, MetricValue> = BTreeMap::new();
        let money = |v: Decimal| MetricValue {
            value: v,
            unit: Unit::Yuan,
            source: Source::Builtin,
        };
        known.insert("initial_budget".into(), money(funds.initial_budget));
        known.insert("adjusted_budget".into(), money(funds.adjusted_budget));
        known.insert("allocated".into(), money(funds.allocated));
        known.insert("spent".into(), money(funds.spent));
        known.insert("balance".into(), money(funds.balance()));
        let mut builtin_zero = BTreeMap::new();
        for (name, value, denominator) in [
            ("execution_rate", funds.execution_rate(), "adjusted_budget"),
            (
                "execution_rate_allocated",
                funds.execution_rate_allocated(),
                "allocated",
            ),
            ("arrival_rate", funds.arrival_rate(), "adjusted_budget"),
        ] {
            match value {
                Some(v) => {
                    known.insert(
                        name.into(),
                        MetricValue {
                            value: v,
                            unit: Unit::Percent,
                            source: Source::Builtin,
                        },
                    );
                }
                None => {
                    builtin_zero.insert(name, denominator);
                }
            }
        }
        let file: Arc<Path> = Arc::from(outputs_file.unwrap_or(Path::new("")));
        for o in outputs {
            known.insert(
                Cow::Borrowed(o.metric.as_str()),
                MetricValue {
                    value: o.value,
                    unit: o.unit.clone(),
                    source: Source::Output {
                        file: Arc::clone(&file),
                        line: o.line,
                    },
                },
            );
        }
        Metrics {
            known,
            builtin_zero,
            derived: derived.into_iter().map(|d| (d.id.as_str(), d)).collect(),
            cache: BTreeMap::new(),
        }
    }

    /// Metrics from values given directly — the figures a department published, read by
    /// `jixiao review` — instead of budget and spending. Derived metrics are computed from
    /// them as usual (a given value wins over a formula of the same name); a name without a
    /// value stays unknown: no built-in is assumed to be 0.
    pub fn from_values(
        values: BTreeMap<String, MetricValue>,
        derived: impl IntoIterator<Item = &'a DerivedMetric>,
    ) -> Self {
        Metrics {
            known: values
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k), v))
                .collect(),
            builtin_zero: BTreeMap::new(),
            derived: derived.into_iter().map(|d| (d.id.as_str(), d)).collect(),
            cache: BTreeMap::new(),
        }
    }

    /// The value of a metric, computing derived metrics (and what they use) as needed.
    pub fn get(&mut self, name: &str) -> Result<MetricValue, MetricError> {
        self.resolve(name, &mut Vec::new())
    }

    /// Whether a name is defined by any source (without computing it).
    pub fn is_defined(&self, name: &str) -> bool {
        self.known.contains_key(name)
            || self.builtin_zero.contains_key(name)
            || self.derived.contains_key(name)
    }

    fn resolve(&mut self, name: &str, stack: &mut Vec<String>) -> Result<MetricValue, MetricError> {
        if let Some(v) = self.known.get(name) {
            return Ok(v.clone());
        }
        if let Some(denominator) = self.builtin_zero.get(name) {
            return Err(MetricError::ZeroBuiltin {
                metric: name.to_string(),
                denominator,
            });
        }
        if let Some(r) = self.cache.get(name) {
            return r.clone();
        }
        let Some(def) = self.derived.get(name).copied() else {
            return Err(MetricError::Unknown(name.to_string()));
        };
        if let Some(start) = stack.iter().position(|s| s == name) {
            let mut cycle = stack[start..].to_vec();
            cycle.push(name.to_string());
            return Err(MetricError::Cycle(cycle));
        }
        stack.push(name.to_string());
        let result = self.compute(def, stack);
        stack.pop();
        self.cache.insert(name.to_string(), result.clone());
        result
    }

    fn compute(
        &mut self,
        def: &DerivedMetric,
        stack: &mut Vec<String>,
    ) -> Result<MetricValue, MetricError> {
        let parsed;
        let expr = match &def.expr {
            Some(expr) => expr,
            None => {
                parsed =
                    Expr::parse(&def.formula).map_err(|_| MetricError::Unknown(def.id.clone()))?;
                &parsed
            }
        };
        let value = expr.eval(
            &mut |n: &str| self.resolve(n, stack).map(|v| v.value),
            def.on_zero == OnZero::Zero,
        );
        match value {
            Ok(v) => Ok(MetricValue {
                value: v,
                unit: def.unit.clone(),
                source: Source::Derived {
                    formula: def.formula.clone(),
                },
            }),
            Err(EvalError::Lookup(e)) => Err(e),
            Err(EvalError::Overflow) => Err(MetricError::Overflow {
                metric: def.id.clone(),
            }),
            Err(EvalError::ZeroDenominator { expression }) => Err(MetricError::ZeroDenominator {
                metric: def.id.clone(),
                expression,
                file: def.file.clone(),
                line: def.formula_line,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn budget(initial: &str, adjusted: &str, allocated: &str, source: &str) -> BudgetRow {
        BudgetRow {
            line: 2,
            project: "P".into(),
            name: "n".into(),
            year: 2022,
            initial_budget: d(initial),
            adjusted_budget: d(adjusted),
            allocated: d(allocated),
            source: Some(source.into()),
        }
    }

    fn pay(amount: &str) -> SpendingRow {
        SpendingRow {
            line: 2,
            project: "P".into(),
            date: crate::data::parse::parse_date("2022-03-05").unwrap(),
            amount: d(amount),
            voucher: None,
            category: None,
            description: None,
        }
    }

    #[test]
    fn funds_sum_sources_and_spending_exactly() {
        let b = [
            budget("80000", "80000", "80000", "当年财政拨款"),
            budget("20000", "20000", "15000", "上年结转"),
        ];
        let s = [pay("50000.10"), pay("17900.20"), pay("-0.30")];
        let f = Funds::from_rows(&b, &s);
        // 80000 + 20000 = 100000; allocated 80000 + 15000 = 95000
        assert_eq!((f.adjusted_budget, f.allocated), (d("100000"), d("95000")));
        // 50000.10 + 17900.20 − 0.30 = 67900.00
        assert_eq!(f.spent, d("67900.00"));
        // 67900 / 100000 = 0.679
        assert_eq!(f.execution_rate(), Some(d("0.679")));
        // 67900 / 95000 = 0.714736… → 0.7147 (71.47%)
        assert_eq!(f.execution_rate_allocated(), Some(d("0.7147")));
        // 95000 / 100000 = 0.95
        assert_eq!(f.arrival_rate(), Some(d("0.95")));
        // balance 95000 − 67900 = 27100
        assert_eq!(f.balance(), d("27100"));
        assert_eq!(f.by_source.len(), 2);
    }

    fn derived(id: &str, formula: &str, on_zero: OnZero) -> DerivedMetric {
        DerivedMetric {
            id: id.into(),
            name: None,
            formula: formula.into(),
            expr: None,
            unit: Unit::None,
            on_zero,
            file: "s.toml".into(),
            line: 3,
            formula_line: 4,
            span: 0..0,
        }
    }

    #[test]
    fn given_values_feed_formulas_and_leave_the_rest_unknown() {
        let given = |v: &str, unit: Unit| MetricValue {
            value: d(v),
            unit,
            source: Source::Builtin,
        };
        let values = BTreeMap::from([
            ("spent".to_string(), given("67900", Unit::Yuan)),
            ("cases_total".to_string(), given("135", Unit::None)),
        ]);
        let defs = [derived(
            "cost_per_case",
            "spent / cases_total",
            OnZero::Error,
        )];
        let mut m = Metrics::from_values(values, defs.iter());
        // 67900 / 135 = 502.962… → 502.96
        assert_eq!(
            crate::decimal::round_score(m.get("cost_per_case").unwrap().value),
            d("502.96")
        );
        // nothing published the budget: unknown, not 0
        assert_eq!(
            m.get("adjusted_budget"),
            Err(MetricError::Unknown("adjusted_budget".into()))
        );
        assert!(matches!(
            m.get("execution_rate"),
            Err(MetricError::Unknown(_))
        ));
    }

    #[test]
    fn derived_metrics_resolve_on_demand_and_detect_cycles() {
        let funds = Funds {
            spent: d("67900"),
            adjusted_budget: d("100000"),
            ..Funds::default()
        };
        let out = |m: &str, v: &str| OutputRow {
            line: 2,
            project: "P".into(),
            metric: m.into(),
            value: d(v),
            unit: Unit::None,
            note: None,
        };
        let rows = [out("cases_civil", "105"), out("cases_criminal", "30")];
        let refs: Vec<&OutputRow> = rows.iter().collect();
        let defs = [
            derived("cases_total", "cases_civil + cases_criminal", OnZero::Error),
            derived("cost_per_case", "spent / cases_total", OnZero::Error),
            derived("loop_a", "loop_b + 1", OnZero::Error),
            derived("loop_b", "loop_a", OnZero::Error),
            derived("per_nothing", "spent / balance_zero", OnZero::Error),
            derived("per_nothing_zero", "spent / balance_zero", OnZero::Zero),
            derived("balance_zero", "0", OnZero::Error),
        ];
        let mut m = Metrics::new(&funds, &refs, None, defs.iter());
        // 105 + 30 = 135
        assert_eq!(m.get("cases_total").unwrap().value, d("135"));
        // 67900 / 135 = 502.96296… → to 2 places 502.96
        assert_eq!(
            crate::decimal::round_score(m.get("cost_per_case").unwrap().value),
            d("502.96")
        );
        assert!(
            matches!(m.get("loop_a"), Err(MetricError::Cycle(c)) if c == ["loop_a", "loop_b", "loop_a"])
        );
        assert!(matches!(
            m.get("per_nothing"),
            Err(MetricError::ZeroDenominator { .. })
        ));
        assert_eq!(m.get("per_nothing_zero").unwrap().value, d("0"));
        assert_eq!(m.get("nope"), Err(MetricError::Unknown("nope".into())));
        // allocated is 0 → the framework's execution rate has no value
        assert!(matches!(
            m.get("execution_rate_allocated"),
            Err(MetricError::ZeroBuiltin { .. })
        ));
    }
}
