//! A form read from a sheet, written as claims text (`claims.toml`): every figure as
//! printed, with the cell it stands in, so that the text reads back as the workbook
//! reads and can be corrected by hand.

use std::ops::Range;

use super::form::{Cell, Dim, Form, FundsKind, IndicatorRow};
use crate::review::load::Located;

/// Claims text and where each of its values stands in the sheet.
pub(super) struct Written {
    pub text: String,
    /// The byte range of each value written from a cell, and the cell.
    pub cells: Vec<(Range<usize>, Located)>,
}

impl Written {
    /// Where the value at a byte offset of the text stands in the sheet.
    pub fn locate(&self, offset: usize) -> Option<Located> {
        self.cells
            .iter()
            .find(|(r, _)| r.contains(&offset))
            .map(|(_, l)| l.clone())
    }
}

struct Writer {
    text: String,
    cells: Vec<(Range<usize>, Located)>,
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

impl Writer {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// `key = "text"` with no cell behind it.
    fn plain(&mut self, indent: &str, key: &str, text: &str) {
        self.line(&format!("{indent}{key} = {}", quoted(text)));
    }

    /// `key = "text"  # H14`: a value read from a cell; `what` names it in problems.
    fn cell(&mut self, indent: &str, key: &str, cell: &Cell, what: &str) {
        self.text.push_str(&format!("{indent}{key} = "));
        let start = self.text.len();
        self.text.push_str(&quoted(&cell.text));
        let end = self.text.len();
        self.line(&format!("  # {}", cell.name()));
        self.cells.push((
            start..end,
            Located {
                line: cell.row,
                column: cell.col as usize + 1,
                label: format!("{} {what}", cell.name()),
            },
        ));
    }
}

/// The claims text of a form read from `file` (its name, for `[report] source`).
pub(super) fn write(form: &Form, file: &str) -> Written {
    let mut w = Writer {
        text: String::new(),
        cells: Vec::new(),
    };
    w.line(&format!(
        "# 项目支出绩效自评表，读自 {file} 的工作表“{}”（jixiao review --to-claims）。",
        form.sheet
    ));
    w.line(
        "# 每个数后注明所在单元格；改正后可用 jixiao review 复核本文件。格式见 docs/review.md。",
    );
    w.line("");
    w.line("[report]");
    for (key, value) in &form.report {
        w.plain("", key, value);
    }
    if let Some(year) = form.year {
        w.line(&format!("year = {year}"));
    }
    w.plain("", "source", &format!("{file}，工作表“{}”", form.sheet));
    funds(&mut w, form);
    for dim in &form.dims {
        dimension(&mut w, dim);
    }
    if form.total_weight.is_some() || form.total_score.is_some() || form.grade.is_some() {
        w.line("");
        w.line("[total]");
        for (key, cell, what) in [
            ("weight", &form.total_weight, "总分 · 分值"),
            ("score", &form.total_score, "总分 · 得分"),
            ("grade", &form.grade, "评价等级"),
        ] {
            if let Some(c) = cell {
                w.cell("", key, c, what);
            }
        }
    }
    Written {
        text: w.text,
        cells: w.cells,
    }
}

/// `[funds]` (年度资金总额) and a `[[funds.source]]` per 其中 row.
fn funds(w: &mut Writer, form: &Form) {
    if form.funds.is_empty() {
        return;
    }
    w.line("");
    w.line("# 项目资金");
    w.line("[funds]");
    w.plain("", "unit", form.funds_unit);
    let total = form
        .funds
        .iter()
        .find(|r| matches!(r.kind, FundsKind::Total));
    if let Some(row) = total {
        for (key, printed, cell) in &row.figures {
            w.cell("", key, cell, &format!("年度资金总额 · {printed}"));
        }
    }
    for row in &form.funds {
        let FundsKind::Source(name) = &row.kind else {
            continue;
        };
        w.line("");
        w.line("[[funds.source]]");
        w.cell("", "name", &row.label.with_text(name.clone()), name);
        for (key, printed, cell) in &row.figures {
            w.cell("", key, cell, &format!("{name} · {printed}"));
        }
    }
}

/// A `[[dimension]]` with its groups and rows.
fn dimension(w: &mut Writer, dim: &Dim) {
    w.line("");
    w.line("[[dimension]]");
    if !dim.name.is_empty() {
        w.plain("", "name", &dim.name);
    }
    if let Some(c) = &dim.weight {
        w.cell("", "weight", c, &format!("{} · 分值", dim.name));
    }
    for group in &dim.groups {
        w.line("");
        w.line("  [[dimension.group]]");
        if let Some(name) = &group.name {
            w.plain("  ", "name", name);
        }
        if let Some(c) = &group.weight {
            let name = group.name.as_deref().unwrap_or_default();
            w.cell("  ", "weight", c, &format!("{name} · 分值"));
        }
        for row in &group.rows {
            indicator(w, row);
        }
    }
}

/// A `[[dimension.group.indicator]]`: name, target, actual, weight, score, reason.
fn indicator(w: &mut Writer, row: &IndicatorRow) {
    let indent = "    ";
    w.line("");
    w.line(&format!("{indent}[[dimension.group.indicator]]"));
    let name = row.name.as_ref().map_or("", |c| c.text.as_str());
    if let Some(c) = &row.name {
        w.cell(indent, "name", c, "三级指标");
    }
    for (key, cell) in &row.figures {
        let what = match *key {
            "target" => "年度指标值",
            "actual" => "实际完成值",
            "weight" => "分值",
            "basis_weight" => "本项分值",
            "basis_score" => "本项得分",
            _ => "得分",
        };
        w.cell(indent, key, cell, &format!("{name} · {what}"));
    }
    if let Some(c) = &row.reason {
        w.cell(
            indent,
            "reason",
            c,
            &format!("{name} · 偏差原因分析及改进措施"),
        );
    }
}
