//! The rows the readers hand on, as records of the vocabulary: a budget line, a payment, an
//! output count. The readers ([`crate::data`]) make them; metrics, scoring and the
//! renderers read them without knowing how they were read.

use rust_decimal::Decimal;

use crate::units::Unit;
use crate::values::Date;

/// One row of budget.csv: one funding source of one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRow {
    pub line: usize,
    pub project: String,
    pub name: String,
    pub year: i32,
    /// 年初预算数
    pub initial_budget: Decimal,
    /// 全年预算数 (defaults to the initial budget)
    pub adjusted_budget: Decimal,
    /// 实际到位资金 (defaults to the adjusted budget)
    pub allocated: Decimal,
    /// 资金来源: 当年财政拨款 / 上年结转 / 其他资金
    pub source: Option<String>,
}

/// One row of spending.csv (支出明细): a payment, or a reversal when negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendingRow {
    pub line: usize,
    pub project: String,
    pub date: Date,
    pub amount: Decimal,
    pub voucher: Option<String>,
    pub category: Option<String>,
    pub description: Option<String>,
    /// 资金来源 (当年财政拨款, 上年结转 …), when the ledger has the column: the 自评表's 其中
    /// rows then show what each source spent.
    pub source: Option<String>,
}

/// One row of outputs.csv (产出): a measured value of a named metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputRow {
    pub line: usize,
    pub project: String,
    pub metric: String,
    /// Base value: a percentage is stored as a fraction, 万元 as 元.
    pub value: Decimal,
    pub unit: Unit,
    pub note: Option<String>,
}
