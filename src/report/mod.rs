//! Rendering a scored evaluation: a human table (comfy-table) or JSON for programs.

pub mod json;
pub mod table;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Tables for people.
    #[default]
    Table,
    /// One JSON document with stable keys (docs/output.md).
    Json,
}
