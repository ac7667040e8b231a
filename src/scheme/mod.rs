//! Indicator schemes (指标体系): the model, loading from TOML, and validation.
//!
//! A scheme is a three-level tree — dimension (一级指标: 决策/过程/产出/效益), group (二级指标),
//! indicator (三级指标) — with weights (分值), targets (年度指标值) and scoring rules.
//!
//! The file as written is `raw` (serde); `load` reads it through `keys` (unknown and
//! missing keys) and `validate` (what the values mean) into the `tree`, whose indicators
//! are scored by a `rule` against a `target`; `lint` checks a scheme that loads as a whole.

mod grade;
pub(crate) mod keys;
pub(crate) mod lint;
mod load;
mod metric;
pub mod raw;
mod rule;
pub mod target;
#[cfg(test)]
mod testing;
mod tree;
mod validate;

pub use grade::{Grade, Tiers, default_grades};
pub(crate) use load::derived_metrics;
pub use load::{json_schema, load, parse};
pub use metric::{DerivedMetric, OnZero, is_identifier};
pub use rule::{Band, ChecklistItem, Rule, Scoring, default_rule};
pub use target::{Comparator, Interval, Quantity, Target, Unit, UnitKind};
pub use tree::{Dimension, DimensionKind, Family, Group, Indicator, Scheme};
