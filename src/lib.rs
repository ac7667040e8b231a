//! jixiao (绩效): scores the performance evaluation of public-budget projects
//! (预算绩效评价 / 项目支出绩效自评) from the budget, the spending ledger, output counts and an
//! indicator scheme.
//!
//! Data flows one way: [`scheme`] and [`data`] are loaded, [`metrics`] computed,
//! [`scoring`] applied, and [`report`] renders the result.

pub mod alloc;
pub mod batch;
pub mod check;
pub mod cli;
pub mod data;
pub mod decimal;
pub mod diag;
pub mod evaluation;
pub mod explain;
pub mod formula;
pub mod i18n;
pub mod ledger;
pub mod metrics;
pub mod output;
pub mod progress;
pub mod report;
pub mod review;
pub mod scheme;
pub mod scoring;
pub mod templates;
#[cfg(test)]
mod testing;
