//! The one integration test binary: CLI runs on the shipped sample, bad inputs, and
//! property tests of parsers and scoring invariants.

/// The bureau generator of the benchmark, shared by the tests that need a bureau.
#[allow(dead_code)]
#[path = "../../examples/bureau.rs"]
mod bureau;

/// The generator of hostile schemes (many indicators, long chains of metrics), shared by
/// the regression tests of check's speed on them.
#[allow(dead_code)]
#[path = "../../examples/hostile_scheme.rs"]
mod hostile_scheme;

mod batch;
mod check;
mod chinese;
mod chinese_cli;
mod chinese_review;
mod chinese_scheme;
mod differential;
mod errors;
mod every_rule;
mod export;
mod fixture;
mod inputs;
mod layers;
mod ledger;
mod monitor;
mod properties;
mod regression;
mod review;
mod review_patterns;
mod review_workbook;
mod sample;
mod scoring_core;
