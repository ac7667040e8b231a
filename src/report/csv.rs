//! CSV output (`--format csv`): one row per indicator under stable English column names
//! (docs/output.md), for a spreadsheet.
//!
//! The text starts with a UTF-8 byte-order mark, without which Excel opens UTF-8 CSV as
//! GBK and garbles the Chinese. Text cells that Excel would run as a formula (beginning
//! with `=`, `+`, `-`, `@`, a tab or a carriage return, as OWASP lists them) get a leading
//! `'`: a reason or a target taken from the inputs, such as `=HYPERLINK(…)`, cannot run
//! when the file is opened. Numbers (weights, scores, values) are written as plain numbers
//! and never prefixed, so −3 stays a number.

use rust_decimal::Decimal;
use std::borrow::Cow;

use crate::decimal::{fixed, plain, round_half_up};
use crate::outcome::Outcome;

/// The columns, in order. Stable: programs may rely on them.
pub const COLUMNS: [&str; 18] = [
    "project",
    "year",
    "scheme",
    "dimension",
    "dimension_name",
    "group",
    "id",
    "name",
    "weight",
    "target",
    "standard",
    "actual",
    "actual_value",
    "score",
    "rule",
    "basis",
    "reason",
    "warnings",
];

/// The UTF-8 byte-order mark Excel needs to read UTF-8 CSV.
pub const BOM: &str = "\u{FEFF}";

/// A cell: text (neutralised if Excel would run it) or a number (written as is).
enum Cell {
    Text(String),
    Number(String),
}

/// Neutralise a text cell that a spreadsheet would take for a formula: OWASP's list of
/// leading characters `=`, `+`, `-`, `@`, tab and carriage return gets a `'` in front.
pub fn neutralise(text: &str) -> String {
    neutralised(text).into_owned()
}

/// [`neutralise`], borrowing the text when it needs no change.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn opt_text(s: Option<&str>) -> Cell {
        Cell::Text(s.unwrap_or_default().to_string())
    }

    fn number(d: Option<Decimal>) -> Cell {
        Cell::Number(d.map(plain).unwrap_or_default())
    }

    fn into_field(self) -> String {
        match self {
            Cell::Text(t) => neutralise(&t),
            Cell::Number(n) => n,
        }
    }
}

/// Write rows of cells as CSV text, header first, with a byte-order mark.
fn write(rows: Vec<Vec<Cell>>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(COLUMNS);
    for row in rows {
        let _ = w.write_record(row.into_iter().map(Cell::into_field));
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8_lossy(&bytes))
}

/// The whole result as CSV text: one row per indicator.
pub fn render(o: &Outcome) -> String {
    let rows = o
        .sheet
        .indicators
        .iter()
        .map(|i| {
            vec![
                Cell::text(&o.project.id),
                Cell::Number(o.project.year.to_string()),
                Cell::text(&o.scheme.id),
                Cell::text(i.dimension.key()),
                Cell::text(&i.dimension_name),
                Cell::text(&i.group),
                Cell::text(&i.id),
                Cell::text(&i.name),
                Cell::number(Some(i.weight)),
                Cell::opt_text(i.target.as_deref()),
                Cell::opt_text(i.standard.as_deref()),
                Cell::opt_text(i.actual.as_deref()),
                Cell::number(i.actual_value.map(|v| round_half_up(v, 4))),
                Cell::Number(i.score.map(|s| fixed(s, 2)).unwrap_or_default()),
                Cell::text(i.rule),
                Cell::text(&i.basis),
                Cell::opt_text(i.reason.as_deref()),
                Cell::text(i.warnings.join("；")),
            ]
        })
        .collect();
    write(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for (text, want) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("=0件", "'=0件"),
            ("≥120件", "≥120件"),
            ("预算执行率", "预算执行率"),
            ("", ""),
        ] {
            assert_eq!(neutralise(text), want, "{text:?}");
        }
    }

    #[test]
    fn numbers_are_never_prefixed() {
        let csv = write(vec![vec![
            Cell::Number("-3".into()),
            Cell::text("-3"),
            Cell::number(Some(Decimal::new(-25, 1))),
        ]]);
        assert!(csv.starts_with(BOM));
        let data = csv.lines().nth(1).unwrap();
        // -3 as a number, '-3 as text, -2.5 as a number
        assert_eq!(data, "-3,'-3,-2.5");
    }
}
