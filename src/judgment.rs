//! The vocabulary of judgments (评价意见) shared by the readers, scoring and review: the
//! official qualitative tiers, a judged tier, a judgment row and its borrowed view.

use rust_decimal::Decimal;

/// The three qualitative tiers (定性指标档次) of 财预〔2020〕10号.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 达成年度指标
    Achieved,
    /// 部分达成年度指标并具有一定效果
    Partial,
    /// 未达成年度指标且效果较差
    NotAchieved,
}

impl Tier {
    pub fn parse(text: &str) -> Option<Tier> {
        Some(match text.trim() {
            "达成年度指标" | "达成" | "achieved" => Tier::Achieved,
            "部分达成年度指标并具有一定效果" | "部分达成" | "partial" => {
                Tier::Partial
            }
            "未达成年度指标且效果较差" | "未达成" | "not_achieved" => {
                Tier::NotAchieved
            }
            _ => return None,
        })
    }

    pub fn zh(self) -> &'static str {
        match self {
            Tier::Achieved => "达成年度指标",
            Tier::Partial => "部分达成年度指标并具有一定效果",
            Tier::NotAchieved => "未达成年度指标且效果较差",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Tier::Achieved => "target achieved",
            Tier::Partial => "partly achieved with some effect",
            Tier::NotAchieved => "not achieved, poor effect",
        }
    }
}

/// A judged tier: one of the three official tiers, or not applicable (不适用).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JudgedTier {
    Tier(Tier),
    NotApplicable,
}

/// One row of judgments.csv (评价意见).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgmentRow {
    pub line: usize,
    pub project: String,
    pub indicator: String,
    pub tier: Option<JudgedTier>,
    /// 得分: the judged score (qualitative or manual indicators).
    pub score: Option<Decimal>,
    /// 扣分: points taken off any indicator.
    pub deduction: Option<Decimal>,
    /// 扣分原因 / 偏差原因
    pub reason: Option<String>,
    /// The scheme id the judgment was made under; rows for another scheme are ignored.
    /// Empty = any scheme.
    pub scheme: Option<String>,
    /// A field of the row could not be read (already reported); the indicator is not scored.
    pub invalid: bool,
}

pub const TIER_EXPECTED: &str =
    "达成年度指标, 部分达成年度指标并具有一定效果, 未达成年度指标且效果较差 or 不适用";
pub const TIER_EXPECTED_ZH: &str =
    "达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差 或 不适用";

/// A judgment row (评价意见) as scoring reads it: borrowed from a [`JudgmentRow`], from the
/// reader (`data::JudgmentFields`) or from a batch's compact rows, without building one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgment<'a> {
    pub line: usize,
    pub indicator: &'a str,
    pub tier: Option<JudgedTier>,
    pub score: Option<Decimal>,
    pub deduction: Option<Decimal>,
    pub reason: Option<&'a str>,
    /// The scheme the row is for, when it names one.
    pub scheme: Option<&'a str>,
    /// The reader reported the row: it cannot be scored.
    pub invalid: bool,
}

/// Whether a judgment made under `row_scheme` (empty = any scheme) counts for the scheme
/// `scheme_id`: rows for another scheme are ignored.
pub fn is_for_scheme(row_scheme: Option<&str>, scheme_id: &str) -> bool {
    row_scheme.is_none_or(|s| s == scheme_id)
}

impl<'a> From<&'a JudgmentRow> for Judgment<'a> {
    fn from(j: &'a JudgmentRow) -> Self {
        Judgment {
            line: j.line,
            indicator: &j.indicator,
            tier: j.tier,
            score: j.score,
            deduction: j.deduction,
            reason: j.reason.as_deref(),
            scheme: j.scheme.as_deref(),
            invalid: j.invalid,
        }
    }
}
