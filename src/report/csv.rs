//! CSV output (`--format csv`): one row per indicator, then the 总分, the 评价等级 and the
//! 项目资金 rows, under Chinese column headers (English with `--lang en`, the stable names
//! of docs/output.md), for a spreadsheet.
//!
//! The text starts with a UTF-8 byte-order mark, without which Excel opens UTF-8 CSV as
//! GBK and garbles the Chinese. A text cell that a spreadsheet would run as a formula
//! (beginning with `=`, `+`, `-`, `@`, a tab or a carriage return, as OWASP lists them) has
//! that first character written as its full-width form (`=0件` → `＝0件`, the sign Chinese
//! forms print) and a leading tab or carriage return dropped: no spreadsheet takes the
//! cell for a formula, and none shows a stray `'` (Excel and Calc show the apostrophe a CSV
//! file holds; only one typed into a cell is hidden). Numbers (weights, scores, values,
//! amounts) are written as plain numbers and never changed, so −3 stays a number.

use rust_decimal::Decimal;
use std::borrow::Cow;

use crate::builtin::Builtin;
use crate::decimal::{fixed, plain, round_half_up};
use crate::i18n::Lang;
use crate::outcome::Outcome;

/// The columns, in order, by their stable English names (`--lang en`). Programs may rely
/// on them.
pub const COLUMNS: [&str; 20] = [
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
    "wan",
    "yuan",
];

/// The same columns as the 自评表 and the table name them (the default).
pub const COLUMNS_ZH: [&str; 20] = [
    "项目编码",
    "年度",
    "指标体系",
    "一级指标类别",
    "一级指标",
    "二级指标",
    "指标编号",
    "三级指标",
    "分值",
    "年度指标值",
    "评分标准",
    "实际完成值",
    "实际完成值（数值）",
    "得分",
    "评分方法",
    "计分依据",
    "扣分原因",
    "提示",
    "金额（万元）",
    "金额（元）",
];

/// The UTF-8 byte-order mark Excel needs to read UTF-8 CSV.
pub const BOM: &str = "\u{FEFF}";

/// A cell: text (neutralised if Excel would run it) or a number (written as is).
enum Cell {
    Text(String),
    Number(String),
}

/// Neutralise a text cell that a spreadsheet would take for a formula: OWASP's leading
/// characters `=`, `+`, `-`, `@` become their full-width forms (`＝`, `＋`, `－`, `＠`),
/// which no spreadsheet runs and a Chinese reader reads the same; a leading tab or carriage
/// return is dropped.
pub fn neutralise(text: &str) -> String {
    neutralised(text).into_owned()
}

/// [`neutralise`], borrowing the text when it needs no change.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if !text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        return Cow::Borrowed(text);
    }
    let rest = text.trim_start_matches(['\t', '\r']);
    let mut chars = rest.chars();
    let wide = match chars.next() {
        Some('=') => '＝',
        Some('+') => '＋',
        Some('-') => '－',
        Some('@') => '＠',
        _ => return Cow::Owned(rest.to_string()),
    };
    Cow::Owned(format!("{wide}{}", chars.as_str()))
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

    fn empty() -> Cell {
        Cell::Text(String::new())
    }

    fn into_field(self) -> String {
        match self {
            Cell::Text(t) => neutralise(&t),
            Cell::Number(n) => n,
        }
    }
}

/// Write rows of cells as CSV text, header first, with a byte-order mark.
fn write(header: &[&str], rows: Vec<Vec<Cell>>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(row.into_iter().map(Cell::into_field));
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8_lossy(&bytes))
}

/// A row that is not an indicator's: the project's three cells, the kind (`total`,
/// `grade`, `funds`) in the dimension column, and the cells from `id` on.
fn summary_row(o: &Outcome, kind: &str, kind_name: &str, from_id: Vec<Cell>) -> Vec<Cell> {
    let mut row = vec![
        Cell::text(&o.project.id),
        Cell::Number(o.project.year.to_string()),
        Cell::text(&o.scheme.id),
        Cell::text(kind),
        Cell::text(kind_name),
        Cell::empty(),
    ];
    row.extend(from_id);
    row
}

/// The rows after the indicators: 总分, 评价等级, then each 项目资金 figure (money in 万元
/// as shown, with `wan_places` decimals, and in exact 元; rates as a percentage and a
/// fraction).
fn summary_rows(o: &Outcome, lang: Lang) -> Vec<Vec<Cell>> {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let s = &o.sheet;
    let blank = |n: usize| (0..n).map(|_| Cell::empty());
    let mut rows = Vec::new();
    // id, name, weight, target, standard, actual, actual_value, score, then 6 more
    let mut total = vec![
        Cell::text("total"),
        Cell::text(l("总分", "Total")),
        Cell::number(Some(o.scheme.total)),
    ];
    total.extend(blank(4));
    total.push(Cell::Number(fixed(s.total, 2)));
    total.extend(blank(6));
    rows.push(summary_row(o, "total", l("总分", "total"), total));
    let mut grade = vec![
        Cell::text("grade"),
        Cell::text(l("评价等级", "Grade")),
        Cell::empty(),
        Cell::empty(),
        Cell::empty(),
        Cell::text(&s.grade),
    ];
    grade.extend(blank(8));
    rows.push(summary_row(o, "grade", l("评价等级", "grade"), grade));
    for b in Builtin::ALL {
        let Some(v) = o.funds.value(b) else {
            continue;
        };
        let mut cells = vec![Cell::text(b.name()), Cell::text(b.heading(lang))];
        if b.is_money() {
            cells.extend(blank(10));
            cells.push(Cell::Number(crate::decimal::wan(v, o.wan_places)));
            cells.push(Cell::Number(fixed(v, 2)));
        } else {
            cells.extend(blank(3));
            cells.push(Cell::text(crate::decimal::percent(v)));
            cells.push(Cell::number(Some(round_half_up(v, 4))));
            cells.extend(blank(7));
        }
        rows.push(summary_row(o, "funds", l("项目资金", "funds"), cells));
    }
    rows
}

/// The whole result as CSV text: one row per indicator, then 总分, 评价等级 and 项目资金.
pub fn render(o: &Outcome, lang: Lang) -> String {
    let mut rows: Vec<Vec<Cell>> = o
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
                Cell::empty(),
                Cell::empty(),
            ]
        })
        .collect();
    rows.extend(summary_rows(o, lang));
    let header: &[&str] = match lang {
        Lang::Zh => &COLUMNS_ZH,
        Lang::En => &COLUMNS,
    };
    write(header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for (text, want) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "＝HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1", "＋1"),
            ("-1", "－1"),
            ("@SUM(A1)", "＠SUM(A1)"),
            ("\tx", "x"),
            ("\rx", "x"),
            ("\t=1+1", "＝1+1"),
            ("\t\r", ""),
            ("=0件", "＝0件"),
            ("≥120件", "≥120件"),
            ("预算执行率", "预算执行率"),
            ("", ""),
        ] {
            assert_eq!(neutralise(text), want, "{text:?}");
        }
    }

    #[test]
    fn numbers_are_never_prefixed() {
        let csv = write(
            &COLUMNS,
            vec![vec![
                Cell::Number("-3".into()),
                Cell::text("-3"),
                Cell::number(Some(Decimal::new(-25, 1))),
            ]],
        );
        assert!(csv.starts_with(BOM));
        let data = csv.lines().nth(1).unwrap();
        // -3 as a number, －3 as text, -2.5 as a number
        assert_eq!(data, "-3,－3,-2.5");
    }
}
