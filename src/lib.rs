//! jixiao (绩效): scores the performance evaluation of public-budget projects
//! (预算绩效评价 / 项目支出绩效自评) from the budget, the spending ledger, output counts and an
//! indicator scheme.
//!
//! Data flows one way, through rooms that never import the rooms above them (a test in
//! `tests/integration/layers.rs` keeps this):
//!
//! 1. **vocabulary** shared by all: [`decimal`] (exact money, 四舍五入), [`builtin`] (the
//!    built-in metrics: names, labels, money or rate), [`diag`] (problems with places),
//!    [`i18n`], [`judgment`] (tiers, judgments), [`records`] (the rows the readers hand
//!    on), [`units`], [`values`] (amounts, dates and values as written), [`formula`],
//!    [`input`] (regular files only) and [`output`] (atomic writing);
//! 2. [`scheme`] (the indicator scheme: model, loading, validation) and [`templates`];
//! 3. the readers: [`data`] (CSV and Excel tables) and [`ledger`] (the spending ledger
//!    summed per project, a fast path pinned to the reference one);
//! 4. pure computation: [`metrics`] and [`scoring`];
//! 5. the results every renderer reads: [`outcome`];
//! 6. the loader, [`workspace`]: which files, which scheme for which project, which
//!    projects;
//! 7. the pipeline: [`batch`] (reading and scoring them, one project being a bureau of
//!    one) and [`evaluation`] (one project's inputs to its outcome);
//! 8. renderers: [`report`] and [`explain`];
//! 9. [`review`] of published self-evaluations, [`monitor`] (mid-year monitoring as of a
//!    date, with warning lights) and [`check`] for CI.
//!
//! The library never prints, reads the environment or sets up the process: the binary
//! (`src/main.rs`, `src/cli/`) holds the command line, the progress bar and the allocator
//! setting.

// Long functions hide the steps a reader looks for: the threshold is in clippy.toml.
#![warn(clippy::too_many_lines)]

pub mod batch;
pub mod builtin;
pub mod check;
pub mod data;
pub mod decimal;
pub mod diag;
pub mod evaluation;
pub mod explain;
pub mod formula;
pub mod i18n;
pub mod input;
pub mod judgment;
pub mod ledger;
pub mod metrics;
pub mod monitor;
pub mod outcome;
pub mod output;
pub mod records;
pub mod report;
pub mod review;
pub mod scheme;
pub mod scoring;
pub mod templates;
pub mod units;
pub mod values;
pub mod workspace;

#[cfg(test)]
mod testing;
