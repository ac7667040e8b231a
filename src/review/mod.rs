//! `jixiao review` (复核): recompute what a department published in its self-evaluation and
//! name every figure that does not hold. The published figures are read from a claims file
//! ([`load`], format in `docs/review.md`).

pub mod load;
pub mod model;

pub use load::CLAIMS_FILE;
