//! The result of a batch: a summary table of every project by score, the distribution of
//! the scores, JSON Lines (one complete result per project) or CSV (one row per project).

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use std::borrow::Cow;
use std::fmt::Write;

use crate::batch::{Batch, Summary, distribution, ranked};
use crate::decimal::{fixed, percent, score_text};
use crate::i18n::Lang;

/// The columns of the summary CSV, in order. Stable: programs may rely on them.
pub const SUMMARY_COLUMNS: [&str; 9] = [
    "project",
    "name",
    "department",
    "budget",
    "spent",
    "execution_rate",
    "total_score",
    "grade",
    "scheme",
];

/// The summary table by score (best first) and the distribution.
pub fn table(batch: &Batch, lang: Lang, width: Option<u16>) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    match width {
        Some(w) => {
            t.force_no_tty();
            t.set_width(w);
        }
        None if t.width().is_none() => {
            t.set_width(160);
        }
        None => {}
    }
    t.set_header(vec![
        l("项目编码", "Project"),
        l("项目名称", "Name"),
        l("主管部门", "Department"),
        l("全年预算数（元）", "Budget (元)"),
        l("全年执行数（元）", "Spent (元)"),
        l("预算执行率", "Execution"),
        l("总分", "Total"),
        l("等级", "Grade"),
    ]);
    for o in ranked(&batch.scored) {
        t.add_row(vec![
            o.project.clone(),
            o.name.clone(),
            o.department.clone().unwrap_or_default(),
            fixed(o.budget, 2),
            fixed(o.spent, 2),
            o.execution_rate.map_or("—".into(), percent),
            score_text(o.total),
            o.grade.to_string(),
        ]);
    }
    for c in [3, 4, 5, 6] {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "{t}");
    out.push_str(&summary(batch, lang));
    out
}

/// The distribution as text: projects per grade, mean and median, low execution.
pub fn summary(batch: &Batch, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let d = distribution(&batch.scored);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}  {}{}",
        l("已评分项目：", "Scored: "),
        batch.scored.len(),
        l("未能评分：", "Not scored: "),
        batch.failures.len()
    );
    let grades: Vec<String> = d.grades.iter().map(|(g, n)| format!("{g} {n}")).collect();
    let _ = writeln!(out, "{}{}", l("等级分布：", "Grades: "), grades.join("  "));
    let dash = || "—".to_string();
    let _ = writeln!(
        out,
        "{}{}  {}{}",
        l("平均分：", "Mean: "),
        d.mean.map_or_else(dash, score_text),
        l("中位数：", "Median: "),
        d.median.map_or_else(dash, score_text)
    );
    for (label, list) in [
        (
            l("预算执行率低于80%：", "Execution below 80%: "),
            &d.below_80,
        ),
        (
            l("预算执行率低于60%：", "Execution below 60%: "),
            &d.below_60,
        ),
    ] {
        let shown: Vec<&str> = list.iter().take(20).map(String::as_str).collect();
        let more = if list.len() > 20 { " …" } else { "" };
        let _ = writeln!(
            out,
            "{label}{}{}{}{more}",
            list.len(),
            if list.is_empty() { "" } else { " — " },
            shown.join(", ")
        );
    }
    out
}

/// One line of JSON Lines: a complete result (the keys of the single-project JSON).
pub fn json_line(o: &crate::evaluation::Outcome) -> String {
    let mut line = super::json::to_line(o);
    line.push('\n');
    line
}

/// One CSV row per project, by score, UTF-8 with a byte-order mark for Excel; text cells
/// that a spreadsheet would run as a formula are neutralised.
pub fn csv(batch: &Batch) -> String {
    use super::csv::BOM;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    let _ = w.write_record(SUMMARY_COLUMNS);
    for o in ranked(&batch.scored) {
        let _ = w.write_record(row(o).iter().map(|c| c.as_bytes()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Text cells are copied only when neutralised (a batch writes 20,000 rows).
fn row(o: &Summary) -> [Cow<'_, str>; 9] {
    let text = super::csv::neutralised;
    [
        text(&o.project),
        text(&o.name),
        text(o.department.as_deref().unwrap_or_default()),
        Cow::Owned(fixed(o.budget, 2)),
        Cow::Owned(fixed(o.spent, 2)),
        Cow::Owned(
            o.execution_rate
                .map(crate::decimal::plain)
                .unwrap_or_default(),
        ),
        Cow::Owned(fixed(o.total, 2)),
        text(&o.grade),
        text(&o.scheme),
    ]
}
