//! The result of a batch as a bureau head reads it: the bureau's totals first (projects,
//! budget, spending, execution, the four grades), then each 主管部门, then the worst
//! projects with their main problem, and the list of every project by score only when asked
//! (`--all`); or JSON Lines (one complete result per project) or CSV (one row per project).
//!
//! The table and the CSV are written row by row to the output: a bureau has 20,000
//! projects, and a table library keeping every cell (or the whole text) would hold tens of
//! megabytes for what is written once.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::decimal::{fixed, grouped, grouped_wan, percent, score_text};
use crate::i18n::Lang;
use crate::outcome::{Batch, Summary, distribution, ranked};

/// The grades every summary lists, a grade no project has included (as 0), best first.
pub const GRADES: [&str; 4] = ["优", "良", "中", "差"];

/// How many of the lowest-scoring projects the summary names.
pub const WORST: usize = 20;

/// How many projects a line of the summary names (the lowest rates first).
const NAMED: usize = 10;

/// The columns of the summary CSV, in order, by their stable English names (`--lang
/// en`). Programs may rely on them.
pub const SUMMARY_COLUMNS: [&str; 10] = [
    "project",
    "name",
    "department",
    "budget",
    "spent",
    "execution_rate",
    "total_score",
    "grade",
    "scheme",
    "main_problem",
];

/// The same columns in Chinese (the default).
pub const SUMMARY_COLUMNS_ZH: [&str; 10] = [
    "项目编码",
    "项目名称",
    "主管部门",
    "全年预算数（元）",
    "全年执行数（元）",
    "预算执行率",
    "总分",
    "等级",
    "指标体系",
    "主要问题",
];

/// The columns of the summary table: the heading in Chinese and in English, and whether
/// the column is aligned right (the amounts, the rate and the score).
const TABLE_COLUMNS: [(&str, &str, bool); 8] = [
    ("项目编码", "Project", false),
    ("项目名称", "Name", false),
    ("主管部门", "Department", false),
    ("全年预算数（元）", "Budget (元)", true),
    ("全年执行数（元）", "Spent (元)", true),
    ("预算执行率", "Execution", true),
    ("总分", "Total", true),
    ("等级", "Grade", false),
];

/// The columns that wrap when the table is wider than the screen: 项目名称 (name) and
/// 主管部门 (department), the only free texts; codes, amounts and grades stay whole.
const WRAPPING: [usize; 2] = [1, 2];

/// The narrowest a wrapping column is made (five Chinese characters).
const NARROWEST: usize = 10;

/// The lines of the table: left end, line, crossing and right end (comfy-table's
/// `UTF8_FULL_CONDENSED`, the look of the single-project table).
const TOP: [char; 4] = ['┌', '─', '┬', '┐'];
const HEADER_SEPARATOR: [char; 4] = ['╞', '═', '╪', '╡'];
const BOTTOM: [char; 4] = ['└', '─', '┴', '┘'];
/// The ends of a row and the separator between its cells.
const ROW: [char; 3] = ['│', '┆', '│'];

/// The bureau's summary as text: totals, 主管部门, the worst projects, and with `all` the
/// list of every project by score.
pub fn table(batch: &Batch, lang: Lang, width: Option<u16>, all: bool) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_table(&mut out, batch, lang, width, all);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Write the bureau's summary: [`summary`] (the totals), the table by 主管部门, the
/// [`WORST`] lowest-scoring projects with their main problem, then — with `all` — every
/// project by score ([`write_list`]); without, a line saying how to get it.
pub fn write_table(
    out: &mut dyn Write,
    batch: &Batch,
    lang: Lang,
    width: Option<u16>,
    all: bool,
) -> io::Result<()> {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    // the totals' lines broken to the screen, never inside a number
    let screen = usize::from(super::table::layout_width(width));
    for line in summary(batch, lang).lines() {
        writeln!(out, "{}", super::layout::wrap_text(line, screen))?;
    }
    if batch.scored.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", l("按主管部门：", "By department:"))?;
    writeln!(out, "{}", departments(batch, lang, width))?;
    let n = batch.scored.len().min(WORST);
    writeln!(
        out,
        "\n{}",
        match lang {
            Lang::Zh => format!("得分最低的{n}个项目："),
            Lang::En => format!("The {n} lowest scores:"),
        }
    )?;
    writeln!(out, "{}", worst(batch, lang, width))?;
    if all {
        writeln!(
            out,
            "\n{}",
            l("全部项目（按得分）：", "Every project, by score:")
        )?;
        write_list(out, batch, lang, width)
    } else {
        writeln!(
            out,
            "\n{}",
            match lang {
                Lang::Zh => format!(
                    "全部{}个项目的列表：加 --all；每个项目一行的 CSV：--format csv。",
                    batch.scored.len()
                ),
                Lang::En => format!(
                    "The list of all {} projects: --all; a CSV row per project: --format csv.",
                    batch.scored.len()
                ),
            }
        )
    }
}

/// The grades of a summary, [`GRADES`] first (zeros included), then any other label a
/// scheme gives, best total first.
fn grade_labels(batch: &Batch) -> Vec<String> {
    let mut labels: Vec<String> = GRADES.iter().map(|g| (*g).to_string()).collect();
    for (g, _) in distribution(&batch.scored).grades {
        if !labels.contains(&g) {
            labels.push(g);
        }
    }
    labels
}

/// Projects, budget, spending, the rate, the mean and each grade's count of a group of
/// projects.
struct Group<'a> {
    name: &'a str,
    projects: usize,
    budget: rust_decimal::Decimal,
    spent: rust_decimal::Decimal,
    total: rust_decimal::Decimal,
    grades: Vec<usize>,
}

/// One row per 主管部门 (a project with none under （未填写）), the largest budget first.
fn departments(batch: &Batch, lang: Lang, width: Option<u16>) -> String {
    let labels = grade_labels(batch);
    let none = lang.pick("（未填写）", "(none)");
    let mut groups: Vec<Group<'_>> = Vec::new();
    for o in &batch.scored {
        let name = o.department.as_deref().unwrap_or(none);
        let at = match groups.iter().position(|g| g.name == name) {
            Some(at) => at,
            None => {
                groups.push(Group {
                    name,
                    projects: 0,
                    budget: rust_decimal::Decimal::ZERO,
                    spent: rust_decimal::Decimal::ZERO,
                    total: rust_decimal::Decimal::ZERO,
                    grades: vec![0; labels.len()],
                });
                groups.len() - 1
            }
        };
        let g = &mut groups[at];
        g.projects += 1;
        g.budget += o.budget;
        g.spent += o.spent;
        g.total += o.total;
        if let Some(k) = labels.iter().position(|l| **l == *o.grade) {
            g.grades[k] += 1;
        }
    }
    groups.sort_by(|a, b| b.budget.cmp(&a.budget).then_with(|| a.name.cmp(b.name)));
    // the grades in one column, 优/良/中/差 = 2/2/0/0: four columns do not fit 80
    let grade_header = labels.join("/");
    let col = |header, wrap, right| super::layout::Column {
        header,
        wrap,
        priority: wrap,
        right,
    };
    let columns = vec![
        col(lang.pick("主管部门", "Department"), true, false),
        col(lang.pick("项目数", "Projects"), false, true),
        col(lang.pick("预算数（万元）", "Budget (万元)"), false, true),
        col(lang.pick("执行数（万元）", "Spent (万元)"), false, true),
        col(lang.pick("执行率", "Execution"), false, true),
        col(lang.pick("平均分", "Mean"), false, true),
        col(&grade_header, false, true),
    ];
    let rows = groups
        .iter()
        .map(|g| {
            vec![
                g.name.to_string(),
                g.projects.to_string(),
                grouped_wan(g.budget, 2),
                grouped_wan(g.spent, 2),
                crate::metrics::rate(g.spent, g.budget).map_or_else(|| "—".into(), percent),
                score_text(crate::decimal::round_score(
                    g.total / rust_decimal::Decimal::from(g.projects),
                )),
                g.grades
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("/"),
            ]
        })
        .collect();
    super::layout::table(&columns, rows, width).0.to_string()
}

/// The [`WORST`] lowest scores (then by project code), each with its name, 主管部门 and
/// main problem.
fn worst(batch: &Batch, lang: Lang, width: Option<u16>) -> String {
    let mut low: Vec<&Summary> = batch.scored.iter().collect();
    low.sort_by(|a, b| {
        a.total
            .cmp(&b.total)
            .then_with(|| a.project.cmp(&b.project))
    });
    let col = |header, wrap, priority, right| super::layout::Column {
        header,
        wrap,
        priority,
        right,
    };
    let columns = [
        col(lang.pick("项目编码", "Project"), false, false, false),
        col(lang.pick("项目名称", "Name"), true, true, false),
        col(lang.pick("主管部门", "Department"), true, false, false),
        col(lang.pick("总分", "Total"), false, false, true),
        col(lang.pick("等级", "Grade"), false, false, false),
        col(lang.pick("执行率", "Execution"), false, false, true),
        col(lang.pick("主要问题", "Main problem"), true, true, false),
    ];
    let rows = low
        .into_iter()
        .take(WORST)
        .map(|o| {
            vec![
                o.project.clone(),
                o.name.clone(),
                o.department.clone().unwrap_or_default(),
                score_text(o.total),
                o.grade.to_string(),
                o.execution_rate.map_or_else(|| "—".into(), percent),
                o.main_problem.clone().unwrap_or_default(),
            ]
        })
        .collect();
    super::layout::table(&columns, rows, width).0.to_string()
}

/// Write every project by score (best first). Each column is as wide as its widest cell;
/// when that makes the table wider than `width` (by default the terminal's, or 160
/// columns when not on a terminal), 项目名称 and 主管部门 are narrowed and wrapped onto
/// more lines. A table that fits is laid out as comfy-table lays it out.
///
/// Two passes over the projects: one for the width of each column, one writing the rows,
/// so that only one row is held at a time.
pub fn write_list(
    out: &mut dyn Write,
    batch: &Batch,
    lang: Lang,
    width: Option<u16>,
) -> io::Result<()> {
    let headings = TABLE_COLUMNS.map(|(zh, en, _)| Cow::Borrowed(lang.pick(zh, en)));
    let ranked = ranked(&batch.scored);
    let mut widths = headings.clone().map(|h| text_width(&h));
    for o in &ranked {
        for (w, cell) in widths.iter_mut().zip(table_cells(o)) {
            *w = (*w).max(text_width(&cell));
        }
    }
    let available = super::table::layout_width(width);
    fit(&mut widths, usize::from(available));

    let mut line = String::new();
    write_border(out, &mut line, &widths, TOP)?;
    write_row(out, &mut line, &widths, &headings)?;
    write_border(out, &mut line, &widths, HEADER_SEPARATOR)?;
    for o in &ranked {
        write_row(out, &mut line, &widths, &table_cells(o))?;
    }
    write_border(out, &mut line, &widths, BOTTOM)
}

/// The cells of a project's row of the table.
fn table_cells(o: &Summary) -> [Cow<'_, str>; 8] {
    [
        Cow::Borrowed(o.project.as_str()),
        Cow::Borrowed(o.name.as_str()),
        Cow::Borrowed(o.department.as_deref().unwrap_or_default()),
        Cow::Owned(grouped(o.budget)),
        Cow::Owned(grouped(o.spent)),
        o.execution_rate
            .map_or(Cow::Borrowed("—"), |r| Cow::Owned(percent(r))),
        Cow::Owned(score_text(o.total)),
        Cow::Borrowed(&*o.grade),
    ]
}

/// The width of a cell on screen: its widest line, a Chinese character counting two.
fn text_width(text: &str) -> usize {
    text.split('\n')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// Narrow the wrapping columns until the table fits in `available` columns of the
/// screen, the widest first, none below [`NARROWEST`] (a table that still does not fit
/// is left wider than the screen).
fn fit(widths: &mut [usize; 8], available: usize) {
    // A space either side of each cell, and a line between cells and at both ends.
    let total = |widths: &[usize; 8]| widths.iter().map(|w| w + 3).sum::<usize>() + 1;
    let mut excess = total(widths).saturating_sub(available);
    while excess > 0 {
        let Some(widest) = WRAPPING
            .into_iter()
            .filter(|&c| widths[c] > NARROWEST)
            .max_by_key(|&c| (widths[c], std::cmp::Reverse(c)))
        else {
            break;
        };
        widths[widest] -= 1;
        excess -= 1;
    }
}

/// Write a line across the table: `[left end, line, crossing, right end]`.
fn write_border(
    out: &mut dyn Write,
    line: &mut String,
    widths: &[usize],
    [left, fill, cross, right]: [char; 4],
) -> io::Result<()> {
    line.clear();
    line.push(left);
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            line.push(cross);
        }
        line.extend(std::iter::repeat_n(fill, w + 2));
    }
    line.push(right);
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// Write a row of the table: each cell on as many lines as it needs in its column's
/// width, the row as high as its highest cell.
fn write_row(
    out: &mut dyn Write,
    line: &mut String,
    widths: &[usize; 8],
    cells: &[Cow<'_, str>; 8],
) -> io::Result<()> {
    let [left, between, right] = ROW;
    let lines: Vec<Vec<&str>> = cells
        .iter()
        .zip(widths)
        .map(|(cell, &w)| wrap(cell, w))
        .collect();
    let height = lines.iter().map(Vec::len).max().unwrap_or(1);
    line.clear();
    for k in 0..height {
        line.push(left);
        for (i, (cell, &w)) in lines.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push(between);
            }
            let text = cell.get(k).copied().unwrap_or_default();
            let pad = w.saturating_sub(text.width());
            let right_aligned = TABLE_COLUMNS[i].2;
            line.push(' ');
            if right_aligned {
                line.extend(std::iter::repeat_n(' ', pad));
            }
            line.push_str(text);
            if !right_aligned {
                line.extend(std::iter::repeat_n(' ', pad));
            }
            line.push(' ');
        }
        line.push(right);
        line.push('\n');
    }
    out.write_all(line.as_bytes())
}

/// The lines of `text` in `width` columns of the screen: its own lines, each broken at
/// the last space that fits, or between characters (Chinese has no spaces).
fn wrap(text: &str, width: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    for mut rest in text.split('\n') {
        loop {
            if rest.width() <= width {
                lines.push(rest);
                break;
            }
            // The longest start of `rest` that fits; at least one character, so that a
            // character wider than the column still moves on.
            let mut end = 0;
            let mut used = 0;
            for (i, c) in rest.char_indices() {
                let w = c.width().unwrap_or(0);
                if used + w > width && end > 0 {
                    break;
                }
                used += w;
                end = i + c.len_utf8();
            }
            let cut = if rest[end..].starts_with(' ') {
                end
            } else {
                match rest[..end].rfind(' ') {
                    Some(space) if !rest[..space].trim_end().is_empty() => space,
                    _ => end,
                }
            };
            lines.push(rest[..cut].trim_end());
            rest = rest[cut..].trim_start_matches(' ');
            if rest.is_empty() {
                break;
            }
        }
    }
    lines
}

/// The bureau's totals as text: projects scored and not, budget, spending and the rate of
/// the whole, projects per grade (all four, zeros included), mean and median, and the
/// projects spending too little (or more than their budget), the lowest rates named first.
pub fn summary(batch: &Batch, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let d = distribution(&batch.scored);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}  {}{}  {}{}",
        l("项目：", "Projects: "),
        batch.scored.len() + batch.failures.len(),
        l("已评分：", "scored: "),
        batch.scored.len(),
        l("未能评分：", "not scored: "),
        batch.failures.len()
    );
    let budget: rust_decimal::Decimal = batch.scored.iter().map(|o| o.budget).sum();
    let spent: rust_decimal::Decimal = batch.scored.iter().map(|o| o.spent).sum();
    let _ = writeln!(
        out,
        "{}{}  {}{}  {}{}",
        l("全年预算数合计（元）：", "Budget (元): "),
        grouped(budget),
        l("全年执行数合计（元）：", "Spent (元): "),
        grouped(spent),
        l("预算执行率：", "Execution: "),
        crate::metrics::rate(spent, budget).map_or_else(|| "—".into(), percent)
    );
    let grades: Vec<String> = grade_labels(batch)
        .into_iter()
        .map(|g| {
            let n = d
                .grades
                .iter()
                .find(|(x, _)| *x == g)
                .map_or(0, |(_, n)| *n);
            format!("{g} {n}")
        })
        .collect();
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
    // Overspending is rare: its line shows only when some project overspent.
    let over: &[(&str, &Vec<String>)] = if d.over_budget.is_empty() {
        &[]
    } else {
        &[(
            l("支出超过全年预算数：", "Spent above the budget: "),
            &d.over_budget,
        )]
    };
    for &(label, list) in [
        (
            l("预算执行率低于80%：", "Execution below 80%: "),
            &d.below_80,
        ),
        (
            l("预算执行率低于60%：", "Execution below 60%: "),
            &d.below_60,
        ),
    ]
    .iter()
    .chain(over)
    {
        let _ = writeln!(out, "{label}{}{}", list.len(), named(batch, list, lang));
    }
    // Each project's warnings are in its result, not on the screen: counted here, so that
    // a summary never reads as if there were none.
    let mut warnings = crate::diag::WarningCounts::default();
    for s in &batch.scored {
        warnings.add(s.warnings.iter().copied());
    }
    if let Some(line) = warnings.line(
        lang,
        (
            "各项目结果中的 warnings（--format json，或 --project 项目编码）",
            "each project's warnings (--format json, or --project ID)",
        ),
    ) {
        let _ = writeln!(out, "{line}");
    }
    out
}

/// The projects of a list by name with their rate, the lowest rate first, at most
/// [`NAMED`] (then how many more): " — 乡村道路养护（12-2024-00007）45.10%，…".
fn named(batch: &Batch, codes: &[String], lang: Lang) -> String {
    if codes.is_empty() {
        return String::new();
    }
    let mut of: Vec<&Summary> = batch
        .scored
        .iter()
        .filter(|o| codes.contains(&o.project))
        .collect();
    of.sort_by(|a, b| {
        a.execution_rate
            .cmp(&b.execution_rate)
            .then_with(|| a.project.cmp(&b.project))
    });
    let shown: Vec<String> = of
        .iter()
        .take(NAMED)
        .map(|o| {
            let rate = o.execution_rate.map_or_else(|| "—".into(), percent);
            format!("{}（{}）{rate}", o.name, o.project)
        })
        .collect();
    let more = codes.len().saturating_sub(NAMED);
    let (sep, rest) = match lang {
        Lang::Zh => ("，", format!("，另{more}个")),
        Lang::En => (", ", format!(", {more} more")),
    };
    format!(
        " — {}{}",
        shown.join(sep),
        if more > 0 { rest.as_str() } else { "" }
    )
}

/// One line of JSON Lines: a complete result (the keys of the single-project JSON).
pub fn json_line(o: &crate::outcome::Outcome) -> String {
    let mut line = super::json::to_line(o);
    line.push('\n');
    line
}

/// One CSV row per project, by score, UTF-8 with a byte-order mark for Excel, under
/// Chinese headers (English with `--lang en`); text cells that a spreadsheet would run as
/// a formula are neutralised.
pub fn csv(batch: &Batch, lang: Lang) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_csv(&mut out, batch, lang);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`csv()`], written row by row.
pub fn write_csv(out: &mut dyn Write, batch: &Batch, lang: Lang) -> io::Result<()> {
    out.write_all(super::csv::BOM.as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(match lang {
        Lang::Zh => SUMMARY_COLUMNS_ZH,
        Lang::En => SUMMARY_COLUMNS,
    })?;
    for o in ranked(&batch.scored) {
        w.write_record(row(o).iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
}

/// Text cells are copied only when neutralised (a batch writes 20,000 rows).
fn row(o: &Summary) -> [Cow<'_, str>; 10] {
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
        text(o.main_problem.as_deref().unwrap_or_default()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::sync::Arc;

    fn summary(project: &str, name: &str, department: Option<&str>, total: i64) -> Summary {
        Summary {
            project: project.into(),
            name: name.into(),
            department: department.map(Into::into),
            budget: Decimal::new(1_000_000, 0),
            spent: Decimal::new(955_000, 0),
            execution_rate: Some(Decimal::new(955, 3)),
            total: Decimal::new(total, 2),
            grade: Arc::from("优"),
            scheme: Arc::from("legal-aid-2022"),
            main_problem: None,
            warnings: Vec::new(),
        }
    }

    /// The list of every project ([`write_list`]) as text.
    fn list(batch: &Batch, lang: Lang, width: u16) -> String {
        let mut out = Vec::new();
        write_list(&mut out, batch, lang, Some(width)).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn bureau() -> Batch {
        let mut low = summary("P-02", "Legal aid", None, 6_050);
        low.execution_rate = None;
        low.grade = Arc::from("差");
        Batch {
            scored: vec![
                low,
                summary("P-01", "法律援助项目", Some("市司法局"), 9_225),
            ],
            ..Batch::default()
        }
    }

    /// The table as comfy-table lays it out (what the batch printed before it was written
    /// row by row), without the distribution below it.
    fn comfy(batch: &Batch, lang: Lang, width: u16) -> String {
        use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED);
        t.set_content_arrangement(ContentArrangement::Dynamic);
        t.force_no_tty();
        t.set_width(width);
        t.set_header(TABLE_COLUMNS.map(|(zh, en, _)| lang.pick(zh, en)));
        for o in ranked(&batch.scored) {
            t.add_row(table_cells(o).map(Cow::into_owned));
        }
        for (c, (_, _, right)) in TABLE_COLUMNS.iter().enumerate() {
            if *right && let Some(col) = t.column_mut(c) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        format!("{t}\n")
    }

    #[test]
    fn columns_are_as_wide_as_their_text_on_screen() {
        let want = "\
┌──────────┬──────────────┬──────────┬──────────────────┬──────────────────┬────────────┬───────┬──────┐
│ 项目编码 ┆ 项目名称     ┆ 主管部门 ┆ 全年预算数（元） ┆ 全年执行数（元） ┆ 预算执行率 ┆  总分 ┆ 等级 │
╞══════════╪══════════════╪══════════╪══════════════════╪══════════════════╪════════════╪═══════╪══════╡
│ P-01     ┆ 法律援助项目 ┆ 市司法局 ┆     1,000,000.00 ┆       955,000.00 ┆     95.50% ┆ 92.25 ┆ 优   │
│ P-02     ┆ Legal aid    ┆          ┆     1,000,000.00 ┆       955,000.00 ┆          — ┆ 60.50 ┆ 差   │
└──────────┴──────────────┴──────────┴──────────────────┴──────────────────┴────────────┴───────┴──────┘
";
        assert_eq!(list(&bureau(), Lang::Zh, 160), want);
    }

    #[test]
    fn a_table_that_fits_is_laid_out_as_comfy_table_does() {
        let mut long = summary(
            "P-03",
            "公共文化服务体系建设项目\n（二期）",
            Some("市人力资源和社会保障局"),
            8_100,
        );
        long.execution_rate = Some(Decimal::new(5, 1));
        let mut wide = bureau();
        wide.scored.push(long);
        for batch in [Batch::default(), bureau(), wide] {
            for lang in [Lang::Zh, Lang::En] {
                assert_eq!(list(&batch, lang, 160), comfy(&batch, lang, 160));
            }
        }
    }

    #[test]
    fn the_distribution_is_worked_by_hand() {
        // The totals of issue 17 with execution rates on the edges of the two lists.
        let mut batch = Batch::default();
        for (project, total, grade, rate) in [
            ("A", 9_225, "优", 7_999),
            ("B", 6_050, "中", 8_000),
            ("C", 8_100, "良", 5_999),
            ("D", 7_000, "中", 6_000),
        ] {
            let mut s = summary(project, project, None, total);
            s.grade = Arc::from(grade);
            s.execution_rate = Some(Decimal::new(rate, 4));
            batch.scored.push(s);
        }
        batch.failures.push(crate::batch::Failure {
            project: "E".into(),
            name: "E".into(),
            problems: Default::default(),
        });
        // Projects: 4 scored + 1 not = 5. Budget 4 × 1,000,000 = 4,000,000; spent
        // 4 × 955,000 = 3,820,000; 3,820,000 / 4,000,000 = 95.50% (the sums, not the rates).
        // Grades: all four, 差 with none: 优 92.25, 良 81.00, 中 70.00 and 60.50.
        // Mean: 92.25 + 60.50 + 81.00 + 70.00 = 303.75; / 4 = 75.9375 → 75.94.
        // Median: sorted 60.50, 70.00, 81.00, 92.25 → (70.00 + 81.00) / 2 = 75.50.
        // Below 80%: 79.99% (A), 59.99% (C), 60.00% (D), not 80.00% (B), named lowest
        // rate first: C, D, A; below 60%: 59.99% (C), not 60.00% (D).
        assert_eq!(
            super::summary(&batch, Lang::En),
            "Projects: 5  scored: 4  not scored: 1\n\
             Budget (元): 4,000,000.00  Spent (元): 3,820,000.00  Execution: 95.50%\n\
             Grades: 优 1  良 1  中 2  差 0\n\
             Mean: 75.94  Median: 75.50\n\
             Execution below 80%: 3 — C（C）59.99%, D（D）60.00%, A（A）79.99%\n\
             Execution below 60%: 1 — C（C）59.99%\n"
        );
    }

    #[test]
    fn a_long_list_names_ten_and_says_how_many_more() {
        // 21 projects at 50%: all 21 are counted, the first 10 (by rate, then code) named
        // with their rate, then the 11 more.
        let batch = Batch {
            scored: (1..=21)
                .map(|i| {
                    let mut s = summary(&format!("P{i:02}"), "n", None, 7_000);
                    s.execution_rate = Some(Decimal::new(5, 1));
                    s
                })
                .collect(),
            ..Batch::default()
        };
        let named: Vec<String> = (1..=10).map(|i| format!("n（P{i:02}）50.00%")).collect();
        let list = format!("21 — {}，另11个", named.join("，"));
        let text = super::summary(&batch, Lang::Zh);
        assert!(
            text.contains(&format!("预算执行率低于80%：{list}\n")),
            "{text}"
        );
        assert!(
            text.contains(&format!("预算执行率低于60%：{list}\n")),
            "{text}"
        );
        assert!(!text.contains("P11"), "{text}");
    }

    #[test]
    fn the_bureau_head_reads_totals_then_departments_then_the_worst() {
        let mut batch = bureau();
        batch.scored[0].main_problem = Some("预算执行率扣3分：预算编制偏大".into());
        let text = table(&batch, Lang::Zh, Some(160), false);
        // the order: totals, 主管部门, the worst, and no list without --all
        let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s:?} in {text}"));
        assert!(at("项目：2") < at("按主管部门") && at("按主管部门") < at("得分最低的2个项目"));
        assert!(text.contains("全部2个项目的列表：加 --all"));
        assert!(!text.contains("全部项目（按得分）"));
        // 市司法局 (one project, 1,000,000 of budget) and （未填写） (P-02), both 1,000,000:
        // by name on equal budgets. P-02 lowest (60.50), with its main problem
        assert!(text.contains("预算编制偏大"), "{text}");
        assert!(text.contains("（未填写）"), "{text}");
        // 差 counted 1, 良 and 中 0, all four shown
        assert!(text.contains("等级分布：优 1  良 0  中 0  差 1"), "{text}");
        let all = table(&batch, Lang::Zh, Some(160), true);
        assert!(all.ends_with(&list(&batch, Lang::Zh, 160)), "{all}");
    }

    #[test]
    fn a_narrow_screen_wraps_name_and_department() {
        let mut batch = bureau();
        batch.scored[1].department = Some("Ministry of Justice".into());
        batch.scored[1].name = "公共法律服务体系建设项目".into();
        // 93 columns: name and department at their narrowest (10), the amounts whole
        let want = "\
┌─────────┬────────────┬────────────┬──────────────┬────────────┬───────────┬───────┬───────┐
│ Project ┆ Name       ┆ Department ┆  Budget (元) ┆ Spent (元) ┆ Execution ┆ Total ┆ Grade │
╞═════════╪════════════╪════════════╪══════════════╪════════════╪═══════════╪═══════╪═══════╡
│ P-01    ┆ 公共法律服 ┆ Ministry   ┆ 1,000,000.00 ┆ 955,000.00 ┆    95.50% ┆ 92.25 ┆ 优    │
│         ┆ 务体系建设 ┆ of Justice ┆              ┆            ┆           ┆       ┆       │
│         ┆ 项目       ┆            ┆              ┆            ┆           ┆       ┆       │
│ P-02    ┆ Legal aid  ┆            ┆ 1,000,000.00 ┆ 955,000.00 ┆         — ┆ 60.50 ┆ 差    │
└─────────┴────────────┴────────────┴──────────────┴────────────┴───────────┴───────┴───────┘
";
        assert_eq!(list(&batch, Lang::En, 93), want);
    }

    #[test]
    fn wrapping_breaks_at_spaces_or_between_characters() {
        assert_eq!(wrap("法律援助项目", 12), ["法律援助项目"]);
        assert_eq!(wrap("法律援助项目", 5), ["法律", "援助", "项目"]);
        assert_eq!(wrap("Legal aid project", 10), ["Legal aid", "project"]);
        assert_eq!(wrap("Legal  aid", 6), ["Legal", "aid"]);
        assert_eq!(wrap("Rural-roads", 5), ["Rural", "-road", "s"]);
        assert_eq!(wrap("一期\n二期工程", 4), ["一期", "二期", "工程"]);
        // A character wider than the column still takes a line of its own.
        assert_eq!(wrap("法律", 1), ["法", "律"]);
        assert_eq!(wrap("", 3), [""]);
    }

    #[test]
    fn only_name_and_department_narrow_and_not_below_ten() {
        let mut widths = [13, 29, 22, 16, 16, 10, 5, 4];
        fit(&mut widths, 160);
        assert_eq!(widths, [13, 29, 22, 16, 16, 10, 5, 4]);
        fit(&mut widths, 120);
        assert_eq!(widths, [13, 15, 16, 16, 16, 10, 5, 4]);
        fit(&mut widths, 40);
        assert_eq!(widths, [13, 10, 10, 16, 16, 10, 5, 4]);
    }
}
