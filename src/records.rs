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
    /// The date the value was counted to (`date` column): a value to date, read by
    /// `monitor`. `None`: the year's value, the one `score` reads.
    pub date: Option<Date>,
}

/// 偏差原因 of the 绩效目标执行监控表: the five causes the form ticks (several allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// 经费保障
    Funding,
    /// 制度保障
    Rules,
    /// 人员保障
    Staff,
    /// 硬件条件保障
    Facilities,
    /// 其他
    Other,
}

impl Cause {
    pub const ALL: [Cause; 5] = [
        Cause::Funding,
        Cause::Rules,
        Cause::Staff,
        Cause::Facilities,
        Cause::Other,
    ];

    /// The form's words, and the English keys.
    pub fn parse(text: &str) -> Option<Cause> {
        let t = text.trim();
        Cause::ALL.into_iter().find(|c| t == c.zh() || t == c.key())
    }

    pub fn zh(self) -> &'static str {
        match self {
            Cause::Funding => "经费保障",
            Cause::Rules => "制度保障",
            Cause::Staff => "人员保障",
            Cause::Facilities => "硬件条件保障",
            Cause::Other => "其他",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Cause::Funding => "funding",
            Cause::Rules => "rules",
            Cause::Staff => "staff",
            Cause::Facilities => "facilities",
            Cause::Other => "other",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Cause::Funding => "funding",
            Cause::Rules => "rules and procedures",
            Cause::Staff => "staffing",
            Cause::Facilities => "facilities and equipment",
            Cause::Other => "other",
        }
    }
}

/// 完成目标可能性: whether the year's target can still be met, as the department says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    /// 确定能
    Certain,
    /// 有可能
    Possible,
    /// 完全不可能
    Impossible,
}

impl Likelihood {
    pub fn parse(text: &str) -> Option<Likelihood> {
        Some(match text.trim() {
            "确定能" | "certain" => Likelihood::Certain,
            "有可能" | "possible" => Likelihood::Possible,
            "完全不可能" | "impossible" => Likelihood::Impossible,
            _ => return None,
        })
    }

    pub fn zh(self) -> &'static str {
        match self {
            Likelihood::Certain => "确定能",
            Likelihood::Possible => "有可能",
            Likelihood::Impossible => "完全不可能",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Likelihood::Certain => "certain",
            Likelihood::Possible => "possible",
            Likelihood::Impossible => "impossible",
        }
    }
}

/// One row of monitoring.csv (监控情况), filled by the officer: an indicator's row (its
/// causes of deviation, likelihood, year-end projection, note, corrective action, and for a
/// qualitative indicator the tier reached so far), or, with no indicator, the project's
/// row (全年预计执行数).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringRow {
    pub line: usize,
    pub project: String,
    /// The indicator's id; `None` on the project's row.
    pub indicator: Option<String>,
    /// 偏差原因: the causes ticked, in the form's order, each once.
    pub causes: Vec<Cause>,
    /// 偏差原因分析: the text.
    pub reason: Option<String>,
    /// 完成目标可能性
    pub likelihood: Option<Likelihood>,
    /// 全年预计完成值 (an indicator's row, as written: a number, or a percentage when
    /// `projected_percent`) or 全年预计执行数 (the project's row, in 元).
    pub projected: Option<Decimal>,
    /// The projection was written with a % sign.
    pub projected_percent: bool,
    /// A qualitative indicator's tier so far (完成情况).
    pub tier: Option<crate::judgment::Tier>,
    /// 备注
    pub note: Option<String>,
    /// 整改措施
    pub action: Option<String>,
}
