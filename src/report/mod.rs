//! Rendering a scored evaluation: a human table (comfy-table), JSON for programs, or CSV
//! for spreadsheets.

pub mod csv;
pub mod json;
pub mod previous;
pub mod table;
#[cfg(feature = "xlsx")]
pub mod xlsx;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Tables for people.
    #[default]
    Table,
    /// One JSON document with stable keys (docs/output.md).
    Json,
    /// One CSV row per indicator, UTF-8 with a byte-order mark for Excel (docs/output.md).
    Csv,
}
