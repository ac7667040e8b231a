//! Metrics (指标数据): the built-in money figures and rates computed from budget and
//! spending, every outputs.csv metric by name, and derived metrics from formulas.
//!
//! Derived metrics are resolved on demand, so a formula that would divide by zero is only an
//! error when the scheme actually uses it.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::builtin::Builtin;
use crate::decimal::round_rate;
use crate::formula::{EvalError, Expr};
use crate::records::{BudgetRow, OutputRow, SpendingRow};
use crate::scheme::{DerivedMetric, OnZero};
use crate::units::{Unit, UnitKind};

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

/// Add `amount` to the sum of `source` in `sums` (few sources: a list).
pub fn add_to_source(sums: &mut Vec<(String, Decimal)>, source: &str, amount: Decimal) {
    match sums.iter_mut().find(|(s, _)| s == source) {
        Some((_, v)) => *v += amount,
        None => sums.push((source.to_string(), amount)),
    }
}

/// The budget of one funding source (资金来源).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFunds {
    pub source: String,
    pub initial_budget: Decimal,
    pub adjusted_budget: Decimal,
    pub allocated: Decimal,
    /// 全年执行数 of this source: known when every spending row of the project names its
    /// source (a 资金来源 column), else `None`.
    pub spent: Option<Decimal>,
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
                    spent: None,
                }),
            }
        }
        let mut by_source: Vec<(String, Decimal)> = Vec::new();
        let mut unsourced = 0;
        for s in spending {
            f.spent += s.amount;
            f.spending_rows += 1;
            match &s.source {
                Some(src) => add_to_source(&mut by_source, src, s.amount),
                None => unsourced += 1,
            }
        }
        f.spent_by_source(&by_source, unsourced);
        f
    }

    /// Each source's 全年执行数 from the ledger's per-source sums, when no row of the
    /// project's spending lacked its source (`unsourced` = 0) and at least one named one.
    /// A source spent from that the budget does not list is left out here; the sums of
    /// the others still stand.
    pub fn spent_by_source(&mut self, sums: &[(String, Decimal)], unsourced: usize) {
        if unsourced > 0 || sums.is_empty() {
            return;
        }
        for s in &mut self.by_source {
            s.spent = Some(
                sums.iter()
                    .filter(|(name, _)| *name == s.source)
                    .map(|(_, v)| *v)
                    .sum(),
            );
        }
    }

    /// The value of a built-in: money in 元, a rate as a fraction rounded to 0.01% (`None`
    /// when its denominator is zero).
    pub fn value(&self, b: Builtin) -> Option<Decimal> {
        Some(match b {
            Builtin::InitialBudget => self.initial_budget,
            Builtin::AdjustedBudget => self.adjusted_budget,
            Builtin::Allocated => self.allocated,
            Builtin::Spent => self.spent,
            Builtin::Balance => self.balance(),
            Builtin::ExecutionRate | Builtin::ExecutionRateAllocated | Builtin::ArrivalRate => {
                let (n, d) = b.ratio()?;
                return rate(self.value(n)?, self.value(d)?);
            }
        })
    }

    /// 结余 = 实际到位资金 − 全年执行数.
    pub fn balance(&self) -> Decimal {
        self.allocated - self.spent
    }

    /// 预算执行率 = 全年执行数 / 全年预算数 (the 自评表's definition), rounded to 0.01%.
    pub fn execution_rate(&self) -> Option<Decimal> {
        self.value(Builtin::ExecutionRate)
    }

    /// 预算执行率 = 实际支出 / 实际到位资金 (the evaluation framework's definition).
    pub fn execution_rate_allocated(&self) -> Option<Decimal> {
        self.value(Builtin::ExecutionRateAllocated)
    }

    /// 资金到位率 = 实际到位资金 / 全年预算数.
    pub fn arrival_rate(&self) -> Option<Decimal> {
        self.value(Builtin::ArrivalRate)
    }
}

/// A rate as a fraction rounded so its percentage has two decimals (67.90% = 0.6790):
/// the rate printed on the form, which the score is then computed from (as the MOF
/// platform does). `None` for a zero denominator.
pub fn rate(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
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
    /// Derived metrics that use each other more than [`MAX_DERIVED_DEPTH`] deep.
    TooDeep {
        metric: String,
    },
}

/// Deepest chain of derived metrics computed (one using another using another …): real
/// schemes go a few levels; each level is a few frames of recursion, so a hostile chain of
/// 60,000 would overflow the stack.
pub const MAX_DERIVED_DEPTH: usize = 64;

/// An outputs.csv value of one project (产出数据) as the metrics read it: borrowed, so
/// that a batch can score its projects from compact rows without building an
/// [`OutputRow`] for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputValue<'a> {
    pub line: usize,
    pub metric: &'a str,
    pub value: Decimal,
    pub unit: &'a Unit,
}

impl<'a> From<&'a OutputRow> for OutputValue<'a> {
    fn from(o: &'a OutputRow) -> Self {
        OutputValue {
            line: o.line,
            metric: &o.metric,
            value: o.value,
            unit: &o.unit,
        }
    }
}

/// The units of the built-in metrics, for values lent out without a copy.
static YUAN: Unit = Unit::Yuan;
static PERCENT: Unit = Unit::Percent;

/// Where a metric's value was found: what [`Metrics::get`] copies out, or what scoring
/// reads in place.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// `Metrics::given[i]`.
    Given(usize),
    /// `Metrics::outputs[i]`.
    Output(usize),
    /// A built-in money figure, in 元.
    Money(Decimal),
    /// A built-in rate, a fraction.
    Rate(Decimal),
    /// `Metrics::cache[index]`, computed without error.
    Derived { index: usize, value: Decimal },
}

/// All metrics of one project, resolved on demand. A batch builds one of these per
/// project: names stay borrowed, and the values are looked up in short lists (a project
/// has a few dozen metrics) instead of maps that would each be allocated and filled.
pub struct Metrics<'a> {
    /// The budget and spending the built-in metrics are computed from (`None`: only the
    /// values given).
    funds: Option<&'a Funds>,
    /// Values given directly ([`Metrics::from_values`]), by name.
    given: Vec<(String, MetricValue)>,
    /// The project's outputs; the last row of a name wins.
    outputs: Vec<OutputValue<'a>>,
    /// outputs.csv, shared by the sources of every output copied out.
    outputs_file: Option<&'a Path>,
    file: OnceCell<Arc<Path>>,
    /// The formulas; the last of an id wins (the evaluation's bindings over the scheme's).
    derived: Vec<&'a DerivedMetric>,
    /// Formulas computed so far, with their results.
    /// Each with its depth: 1 when it uses no other formula, else one more than the deepest
    /// it uses (the same whatever order the metrics are asked in).
    cache: Vec<(&'a DerivedMetric, Result<Decimal, MetricError>, usize)>,
    /// Room for the formulas being computed, kept from one lookup to the next.
    stack: Vec<&'a str>,
    /// For a scheme of more than [`SHORT_LIST`] formulas: each formula and each cache
    /// entry by id (left empty, so never allocated, for the usual few dozen).
    by_id: FxHashMap<&'a str, &'a DerivedMetric>,
    cached_at: FxHashMap<&'a str, usize>,
}

/// Up to this many formulas are looked up by walking the list; past it, by a map built
/// once (100,000 formulas walked for each of 100,000 lookups would never end).
const SHORT_LIST: usize = 32;

impl<'a> Metrics<'a> {
    /// Built-ins from the funds, outputs by name (outputs.csv file for provenance), and
    /// the derived definitions (scheme first, then the evaluation's bindings).
    pub fn new(
        funds: &'a Funds,
        outputs: impl IntoIterator<Item = OutputValue<'a>>,
        outputs_file: Option<&'a Path>,
        derived: impl IntoIterator<Item = &'a DerivedMetric>,
    ) -> Self {
        Metrics {
            funds: Some(funds),
            given: Vec::new(),
            outputs: outputs.into_iter().collect(),
            outputs_file,
            file: OnceCell::new(),
            derived: derived.into_iter().collect(),
            cache: Vec::new(),
            stack: Vec::new(),
            by_id: FxHashMap::default(),
            cached_at: FxHashMap::default(),
        }
        .indexed()
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
            funds: None,
            // In name order, as the map gives them.
            given: values.into_iter().collect(),
            outputs: Vec::new(),
            outputs_file: None,
            file: OnceCell::new(),
            derived: derived.into_iter().collect(),
            cache: Vec::new(),
            stack: Vec::new(),
            by_id: FxHashMap::default(),
            cached_at: FxHashMap::default(),
        }
        .indexed()
    }

    /// Whether formulas are looked up by map: more than [`SHORT_LIST`] of them.
    fn mapped(&self) -> bool {
        self.derived.len() > SHORT_LIST
    }

    /// The map of formulas by id, when there are many (the last of an id wins).
    fn indexed(mut self) -> Self {
        if self.mapped() {
            self.by_id = self.derived.iter().map(|d| (d.id.as_str(), *d)).collect();
        }
        self
    }

    fn derived_def(&self, name: &str) -> Option<&'a DerivedMetric> {
        if self.mapped() {
            return self.by_id.get(name).copied();
        }
        self.derived.iter().rev().find(|d| d.id == name).copied()
    }

    fn cache_index(&self, name: &str) -> Option<usize> {
        if self.mapped() {
            return self.cached_at.get(name).copied();
        }
        self.cache.iter().position(|(d, _, _)| d.id == name)
    }

    /// The value of a metric, computing derived metrics (and what they use) as needed.
    pub fn get(&mut self, name: &str) -> Result<MetricValue, MetricError> {
        let slot = self.lookup(name)?;
        Ok(match slot {
            Slot::Given(i) => self.given[i].1.clone(),
            Slot::Output(i) => {
                let o = self.outputs[i];
                let file = self
                    .file
                    .get_or_init(|| Arc::from(self.outputs_file.unwrap_or(Path::new(""))));
                MetricValue {
                    value: o.value,
                    unit: o.unit.clone(),
                    source: Source::Output {
                        file: Arc::clone(file),
                        line: o.line,
                    },
                }
            }
            Slot::Money(value) => MetricValue {
                value,
                unit: Unit::Yuan,
                source: Source::Builtin,
            },
            Slot::Rate(value) => MetricValue {
                value,
                unit: Unit::Percent,
                source: Source::Builtin,
            },
            Slot::Derived { index, value } => {
                let def = self.cache[index].0;
                MetricValue {
                    value,
                    unit: def.unit.clone(),
                    source: Source::Derived {
                        formula: def.formula.clone(),
                    },
                }
            }
        })
    }

    /// The value of a metric in its unit, as [`Metrics::get`] gives it, but without
    /// copying the unit or saying where the value came from: what scoring needs.
    pub fn quantity(&mut self, name: &str) -> Result<(Decimal, &Unit), MetricError> {
        let slot = self.lookup(name)?;
        let unit = match slot {
            Slot::Given(i) => &self.given[i].1.unit,
            Slot::Output(i) => self.outputs[i].unit,
            Slot::Money(_) => &YUAN,
            Slot::Rate(_) => &PERCENT,
            Slot::Derived { index, .. } => &self.cache[index].0.unit,
        };
        Ok((self.value(slot), unit))
    }

    /// Whether a name is defined by any source (without computing it).
    pub fn is_defined(&self, name: &str) -> bool {
        self.given_index(name).is_some()
            || self.output_index(name).is_some()
            || (self.funds.is_some() && Builtin::parse(name).is_some())
            || self.derived_def(name).is_some()
    }

    fn given_index(&self, name: &str) -> Option<usize> {
        self.given
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
    }

    fn output_index(&self, name: &str) -> Option<usize> {
        self.outputs.iter().rposition(|o| o.metric == name)
    }

    fn value(&self, slot: Slot) -> Decimal {
        match slot {
            Slot::Given(i) => self.given[i].1.value,
            Slot::Output(i) => self.outputs[i].value,
            Slot::Money(v) | Slot::Rate(v) | Slot::Derived { value: v, .. } => v,
        }
    }

    /// Find a metric, with no formula being computed.
    fn lookup(&mut self, name: &str) -> Result<Slot, MetricError> {
        let mut stack = std::mem::take(&mut self.stack);
        let found = self.find(name, &mut stack);
        stack.clear();
        self.stack = stack;
        found
    }

    /// Find a metric: a value given or an output, else a built-in, else a formula
    /// (computed once, with what it uses). `stack` holds the formulas being computed.
    fn find(&mut self, name: &str, stack: &mut Vec<&'a str>) -> Result<Slot, MetricError> {
        if let Some(i) = self.given_index(name) {
            return Ok(Slot::Given(i));
        }
        if let Some(i) = self.output_index(name) {
            return Ok(Slot::Output(i));
        }
        if let Some(funds) = self.funds
            && let Some(builtin) = builtin(funds, name)
        {
            return builtin;
        }
        if let Some(index) = self.cache_index(name) {
            return Self::cached(index, &self.cache[index].1);
        }
        let Some(def) = self.derived_def(name) else {
            return Err(MetricError::Unknown(name.to_string()));
        };
        if let Some(start) = stack.iter().position(|s| *s == name) {
            let mut cycle: Vec<String> = stack[start..].iter().map(|s| s.to_string()).collect();
            cycle.push(name.to_string());
            return Err(MetricError::Cycle(cycle));
        }
        // The recursion's guard; the depth recorded with each result says the same for
        // chains computed in pieces.
        if stack.len() >= MAX_DERIVED_DEPTH {
            return Err(MetricError::TooDeep {
                metric: stack[0].to_string(),
            });
        }
        stack.push(&def.id);
        let (result, depth) = self.compute(def, stack);
        stack.pop();
        let slot = Self::cached(self.cache.len(), &result);
        if self.mapped() {
            self.cached_at.insert(&def.id, self.cache.len());
        }
        self.cache.push((def, result, depth));
        slot
    }

    /// The slot of `cache[index]`, whose result is `result`.
    fn cached(index: usize, result: &Result<Decimal, MetricError>) -> Result<Slot, MetricError> {
        match result {
            Ok(value) => Ok(Slot::Derived {
                index,
                value: *value,
            }),
            Err(e) => Err(e.clone()),
        }
    }

    /// The value of a formula, and its depth (see [`Metrics::cache`]).
    fn compute(
        &mut self,
        def: &DerivedMetric,
        stack: &mut Vec<&'a str>,
    ) -> (Result<Decimal, MetricError>, usize) {
        let mut deepest = 0;
        let value = self.evaluate(def, stack, &mut deepest);
        let depth = deepest + 1;
        if value.is_ok() && depth > MAX_DERIVED_DEPTH {
            let metric = def.id.clone();
            return (Err(MetricError::TooDeep { metric }), depth);
        }
        (value, depth)
    }

    fn evaluate(
        &mut self,
        def: &DerivedMetric,
        stack: &mut Vec<&'a str>,
        deepest: &mut usize,
    ) -> Result<Decimal, MetricError> {
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
            &mut |n: &str| {
                let slot = self.find(n, stack)?;
                if let Slot::Derived { index, .. } = slot {
                    *deepest = (*deepest).max(self.cache[index].2);
                }
                Ok(self.value(slot))
            },
            def.on_zero == OnZero::Zero,
        );
        match value {
            // Held to the bound of every input, so the scoring rules' arithmetic on it (a
            // difference times points) cannot overflow.
            Ok(v) if crate::decimal::within_limit(v) => Ok(v),
            Ok(_) => Err(MetricError::Overflow {
                metric: def.id.clone(),
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

/// A built-in metric computed from the funds; `None` when `name` is not one. A rate whose
/// denominator is zero has no value.
fn builtin(funds: &Funds, name: &str) -> Option<Result<Slot, MetricError>> {
    let b = Builtin::parse(name)?;
    Some(match (funds.value(b), b.ratio()) {
        (Some(v), None) => Ok(Slot::Money(v)),
        (Some(v), Some(_)) => Ok(Slot::Rate(v)),
        (None, ratio) => Err(MetricError::ZeroBuiltin {
            metric: name.to_string(),
            denominator: ratio.map_or("", |(_, d)| d.name()),
        }),
    })
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
            date: crate::values::parse_date("2022-03-05").unwrap(),
            amount: d(amount),
            voucher: None,
            category: None,
            description: None,
            source: None,
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

    #[test]
    fn every_builtin_comes_from_the_funds() {
        let f = Funds {
            initial_budget: d("90000"),
            adjusted_budget: d("100000"),
            allocated: d("95000"),
            spent: d("67900"),
            ..Funds::default()
        };
        let expected = [
            (Builtin::InitialBudget, Some(d("90000"))),
            (Builtin::AdjustedBudget, Some(d("100000"))),
            (Builtin::Allocated, Some(d("95000"))),
            (Builtin::Spent, Some(d("67900"))),
            // 95000 − 67900 = 27100
            (Builtin::Balance, Some(d("27100"))),
            // 67900 / 100000 = 0.679
            (Builtin::ExecutionRate, Some(d("0.679"))),
            // 67900 / 95000 = 0.714736… → 0.7147
            (Builtin::ExecutionRateAllocated, Some(d("0.7147"))),
            // 95000 / 100000 = 0.95
            (Builtin::ArrivalRate, Some(d("0.95"))),
        ];
        assert_eq!(expected.map(|(b, _)| b), Builtin::ALL);
        for (b, value) in expected {
            assert_eq!(f.value(b), value, "{b}");
        }
        // Nothing allocated: the rates over it have no value, and say which denominator.
        let empty = Funds {
            adjusted_budget: d("100000"),
            ..Funds::default()
        };
        assert_eq!(empty.value(Builtin::ExecutionRateAllocated), None);
        assert_eq!(empty.value(Builtin::ArrivalRate), Some(d("0")));
        let mut m = Metrics::new(&empty, [], None, []);
        assert_eq!(
            m.get("execution_rate_allocated"),
            Err(MetricError::ZeroBuiltin {
                metric: "execution_rate_allocated".into(),
                denominator: "allocated",
            })
        );
        assert_eq!(m.get("balance").unwrap().unit, Unit::Yuan);
        assert_eq!(m.get("arrival_rate").unwrap().unit, Unit::Percent);
    }

    #[test]
    fn spending_with_its_source_gives_each_source_its_execution() {
        let b = [
            budget("600000", "600000", "600000", "当年财政拨款"),
            budget("400000", "400000", "400000", "上年结转"),
        ];
        let paid = |amount: &str, source: Option<&str>| SpendingRow {
            source: source.map(String::from),
            ..pay(amount)
        };
        // 500,000.50 + 30,000 = 530,000.50 from this year's money; 200,800 carried over
        let rows = [
            paid("500000.50", Some("当年财政拨款")),
            paid("200800", Some("上年结转")),
            paid("30000", Some("当年财政拨款")),
        ];
        let f = Funds::from_rows(&b, &rows);
        let spent: Vec<Option<Decimal>> = f.by_source.iter().map(|s| s.spent).collect();
        assert_eq!(spent, [Some(d("530000.50")), Some(d("200800"))]);
        // one row without its source: no source's figure can be trusted
        let rows = [
            paid("500000.50", Some("当年财政拨款")),
            paid("200800", None),
        ];
        let f = Funds::from_rows(&b, &rows);
        assert!(f.by_source.iter().all(|s| s.spent.is_none()));
    }

    #[test]
    fn rows_of_one_source_are_summed_into_its_line() {
        // Two 当年财政拨款 rows (a first allotment and a supplement), one 上年结转 row, and
        // a row without a source, which counts as 当年财政拨款.
        let mut untagged = budget("1000", "1200", "900", "");
        untagged.source = None;
        let b = [
            budget("60000", "70000", "66500", "当年财政拨款"),
            budget("20000", "20000", "20000", "上年结转"),
            budget("10000", "8800", "7600", "当年财政拨款"),
            untagged,
        ];
        let s = [pay("100.00"), pay("-40.00")];
        let f = Funds::from_rows(&b, &s);
        let line = |source: &str, initial: &str, adjusted: &str, allocated: &str| SourceFunds {
            source: source.into(),
            initial_budget: d(initial),
            adjusted_budget: d(adjusted),
            allocated: d(allocated),
            spent: None,
        };
        assert_eq!(
            f.by_source,
            [
                // 60000 + 10000 + 1000 = 71000; 70000 + 8800 + 1200 = 80000;
                // 66500 + 7600 + 900 = 75000 (first seen, so first listed)
                line("当年财政拨款", "71000", "80000", "75000"),
                line("上年结转", "20000", "20000", "20000"),
            ]
        );
        // All rows: 71000 + 20000 = 91000; 80000 + 20000 = 100000; 75000 + 20000 = 95000
        assert_eq!(f.initial_budget, d("91000"));
        assert_eq!(f.adjusted_budget, d("100000"));
        assert_eq!(f.allocated, d("95000"));
        // 100.00 − 40.00 = 60.00 over 2 rows
        assert_eq!((f.spent, f.spending_rows), (d("60.00"), 2));
    }

    #[test]
    fn quantities_are_the_values_get_gives() {
        let funds = Funds {
            spent: d("67900"),
            adjusted_budget: d("100000"),
            ..Funds::default()
        };
        let out = |line: usize, m: &str, v: &str, unit: &str| OutputRow {
            line,
            project: "P".into(),
            metric: m.into(),
            value: d(v),
            unit: Unit::parse(unit),
            note: None,
            date: None,
        };
        let rows = [
            out(2, "cases", "10", "件"),
            out(3, "cases", "12", "件"),
            out(4, "balance", "7", ""),
        ];
        let defs = [derived("per_case", "spent / cases", OnZero::Error)];
        let file = Path::new("outputs.csv");
        let mut m = Metrics::new(
            &funds,
            rows.iter().map(OutputValue::from),
            Some(file),
            &defs,
        );
        let expected = [
            // the later row of a name wins
            ("cases", d("12"), Unit::parse("件")),
            // an output wins over the built-in of its name
            ("balance", d("7"), Unit::None),
            ("spent", d("67900"), Unit::Yuan),
            // 67900 / 100000 = 0.679
            ("execution_rate", d("0.679"), Unit::Percent),
            // 67900 / 12 = 5658.3333…
            ("per_case", d("67900") / d("12"), Unit::None),
        ];
        for (name, value, unit) in expected {
            assert_eq!(m.quantity(name), Ok((value, &unit)), "{name}");
            let got = m.get(name).unwrap();
            assert_eq!((got.value, got.unit), (value, unit), "{name}");
        }
        assert_eq!(
            m.get("cases").unwrap().source,
            Source::Output {
                file: Arc::from(file),
                line: 3
            }
        );
        // allocated is 0: the framework's execution rate has no value
        assert!(matches!(
            m.quantity("execution_rate_allocated"),
            Err(MetricError::ZeroBuiltin { .. })
        ));
        assert_eq!(m.quantity("nope"), Err(MetricError::Unknown("nope".into())));
        assert!(m.is_defined("arrival_rate") && m.is_defined("per_case"));
        // an output alone defines its name (cases is no built-in and no formula)
        assert!(m.is_defined("cases"));
        assert!(!m.is_defined("nope"));
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
        // a given value alone defines its name; without funds a built-in's name does not
        assert!(m.is_defined("spent") && !m.is_defined("adjusted_budget"));
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
            date: None,
        };
        let rows = [out("cases_civil", "105"), out("cases_criminal", "30")];
        let defs = [
            derived("cases_total", "cases_civil + cases_criminal", OnZero::Error),
            derived("cost_per_case", "spent / cases_total", OnZero::Error),
            derived("loop_a", "loop_b + 1", OnZero::Error),
            derived("loop_b", "loop_a", OnZero::Error),
            derived("per_nothing", "spent / balance_zero", OnZero::Error),
            derived("per_nothing_zero", "spent / balance_zero", OnZero::Zero),
            derived("balance_zero", "0", OnZero::Error),
        ];
        let mut m = Metrics::new(
            &funds,
            rows.iter().map(OutputValue::from),
            None,
            defs.iter(),
        );
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

    #[test]
    fn each_formula_is_computed_once_whether_found_in_the_list_or_the_map() {
        let funds = Funds {
            spent: d("100"),
            ..Funds::default()
        };
        // 2 formulas, 32 (the most walked as a list) and 33 (the fewest looked up by map):
        // once = spent + 1, twice = once + once, and unused ones to make up the count
        for count in [2, 32, 33] {
            let mut defs = vec![
                derived("once", "spent + 1", OnZero::Error),
                derived("twice", "once + once", OnZero::Error),
            ];
            defs.extend((3..=count).map(|k| derived(&format!("unused{k}"), "1", OnZero::Error)));
            let mut m = Metrics::new(&funds, [], None, defs.iter());
            // 100 + 1 = 101; 101 + 101 = 202
            assert_eq!(m.get("twice").unwrap().value, d("202"), "{count}");
            // once is computed for its first use and read from the cache for its second
            assert_eq!(m.cache.len(), 2, "{count}");
            assert_eq!(m.get("once").unwrap().value, d("101"), "{count}");
            assert_eq!(m.cache.len(), 2, "{count}");
        }
    }

    #[test]
    fn a_formula_past_the_bound_of_every_input_overflows() {
        // spent = 10¹⁵, the bound itself
        let funds = Funds {
            spent: d("1000000000000000"),
            ..Funds::default()
        };
        let defs = [
            derived("at_bound", "spent * 1", OnZero::Error),
            derived("past_bound", "spent + 1", OnZero::Error),
        ];
        let mut m = Metrics::new(&funds, [], None, defs.iter());
        // 10¹⁵ × 1 = 10¹⁵ ≤ 10¹⁵: kept
        assert_eq!(m.get("at_bound").unwrap().value, d("1000000000000000"));
        // 10¹⁵ + 1 > 10¹⁵: refused
        assert_eq!(
            m.get("past_bound"),
            Err(MetricError::Overflow {
                metric: "past_bound".into()
            })
        );
    }

    #[test]
    fn a_chain_is_computed_64_levels_deep_and_refused_past_them() {
        let funds = Funds {
            spent: d("100"),
            ..Funds::default()
        };
        // m1 = spent + 1, m2 = m1 + 1, …, m70 = m69 + 1: 70 formulas, past the short list
        // (32), so looked up by map
        let defs: Vec<DerivedMetric> = (1..=70)
            .map(|k| {
                let used = if k == 1 {
                    "spent".to_string()
                } else {
                    format!("m{}", k - 1)
                };
                derived(&format!("m{k}"), &format!("{used} + 1"), OnZero::Error)
            })
            .collect();
        let mut m = Metrics::new(&funds, [], None, defs.iter());
        // m64 is 64 formulas deep (m64 … m1; spent is a built-in): 100 + 64 = 164
        assert_eq!(m.get("m64").unwrap().value, d("164"));
        // m65 needs a 65th: refused, naming the metric asked for
        let mut m = Metrics::new(&funds, [], None, defs.iter());
        assert_eq!(
            m.get("m65"),
            Err(MetricError::TooDeep {
                metric: "m65".into()
            })
        );
        // the same when m64's chain is already computed (each result keeps its depth: 64,
        // and m65 is one more), so the order the indicators ask in does not matter
        let mut m = Metrics::new(&funds, [], None, defs.iter());
        assert_eq!(m.get("m64").unwrap().value, d("164"));
        assert_eq!(
            m.get("m65"),
            Err(MetricError::TooDeep {
                metric: "m65".into()
            })
        );
    }
}
