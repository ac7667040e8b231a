//! The one integration test binary: CLI runs on the shipped sample, bad inputs, and
//! property tests of parsers and scoring invariants.

mod batch;
mod check;
mod errors;
mod export;
mod inputs;
mod ledger;
mod properties;
mod review;
mod sample;
