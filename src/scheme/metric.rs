//! Derived metrics (计算指标) and the identifiers that name metrics and indicators.

use std::ops::Range;
use std::path::PathBuf;

use super::Unit;

/// A derived metric (计算指标): `id = formula`, evaluated in exact decimals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedMetric {
    pub id: String,
    pub name: Option<String>,
    pub formula: String,
    /// `formula` parsed when it was read, so that a batch does not parse it again for
    /// every project (`None`: parsed when used).
    pub expr: Option<crate::formula::Expr>,
    pub unit: Unit,
    pub on_zero: OnZero,
    /// Where it was defined (scheme or evaluation file), the line of its `id` and the line
    /// of its `formula`.
    pub file: PathBuf,
    pub line: usize,
    pub formula_line: usize,
    /// Byte span of the id in its file.
    pub span: Range<usize>,
}

/// What a zero denominator in a formula means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnZero {
    /// The evaluation cannot be scored: report an error (default).
    Error,
    /// The division gives 0 (e.g. a cost per case when no case was handled).
    Zero,
}

/// A metric or indicator reference: ASCII letter first, then letters, digits, `_`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
