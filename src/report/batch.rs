//! The result of a batch: a summary table of every project by score, the distribution of
//! the scores, JSON Lines (one complete result per project) or CSV (one row per project).
//!
//! The table and the CSV are written row by row to the output: a bureau has 20,000
//! projects, and a table library keeping every cell (or the whole text) would hold tens of
//! megabytes for what is written once.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::decimal::{fixed, percent, score_text};
use crate::i18n::Lang;
use crate::outcome::{Batch, Summary, distribution, ranked};

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

/// The summary table by score (best first) and the distribution, as text.
pub fn table(batch: &Batch, lang: Lang, width: Option<u16>) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_table(&mut out, batch, lang, width);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Write the summary table by score (best first) and the distribution. Each column is as
/// wide as its widest cell; when that makes the table wider than `width` (by default the
/// terminal's, or 160 columns when not on a terminal), 项目名称 and 主管部门 are narrowed
/// and wrapped onto more lines. A table that fits is laid out as comfy-table lays it out.
///
/// Two passes over the projects: one for the width of each column, one writing the rows,
/// so that only one row is held at a time.
pub fn write_table(
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
    write_border(out, &mut line, &widths, BOTTOM)?;
    out.write_all(summary(batch, lang).as_bytes())
}

/// The cells of a project's row of the table.
fn table_cells(o: &Summary) -> [Cow<'_, str>; 8] {
    [
        Cow::Borrowed(o.project.as_str()),
        Cow::Borrowed(o.name.as_str()),
        Cow::Borrowed(o.department.as_deref().unwrap_or_default()),
        Cow::Owned(fixed(o.budget, 2)),
        Cow::Owned(fixed(o.spent, 2)),
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
pub fn json_line(o: &crate::outcome::Outcome) -> String {
    let mut line = super::json::to_line(o);
    line.push('\n');
    line
}

/// One CSV row per project, by score, UTF-8 with a byte-order mark for Excel; text cells
/// that a spreadsheet would run as a formula are neutralised.
pub fn csv(batch: &Batch) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_csv(&mut out, batch);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`csv()`], written row by row.
pub fn write_csv(out: &mut dyn Write, batch: &Batch) -> io::Result<()> {
    out.write_all(super::csv::BOM.as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(SUMMARY_COLUMNS)?;
    for o in ranked(&batch.scored) {
        w.write_record(row(o).iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
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
        }
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
│ P-01     ┆ 法律援助项目 ┆ 市司法局 ┆       1000000.00 ┆        955000.00 ┆     95.50% ┆ 92.25 ┆ 优   │
│ P-02     ┆ Legal aid    ┆          ┆       1000000.00 ┆        955000.00 ┆          — ┆ 60.50 ┆ 差   │
└──────────┴──────────────┴──────────┴──────────────────┴──────────────────┴────────────┴───────┴──────┘
已评分项目：2  未能评分：0
";
        let got = table(&bureau(), Lang::Zh, Some(160));
        assert_eq!(got.split_inclusive('\n').take(7).collect::<String>(), want);
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
        // The distribution below each table, worked by hand:
        // - none scored: no grade, no mean or median, empty lists;
        // - bureau(): 差 60.50 (no rate) and 优 92.25 (95.50%); 优 listed first (best total);
        //   mean = median = (60.50 + 92.25) / 2 = 152.75 / 2 = 76.375 → 76.38; no rate < 80%;
        // - wide: also 优 81.00 at 50%: 优 2, 差 1; mean 233.75 / 3 = 77.9166… → 77.92;
        //   median of 60.50, 81.00, 92.25 = 81.00; 50% is below 80% and below 60%.
        let distributions = [
            [
                "已评分项目：0  未能评分：0\n等级分布：\n平均分：—  中位数：—\n\
                 预算执行率低于80%：0\n预算执行率低于60%：0\n",
                "Scored: 0  Not scored: 0\nGrades: \nMean: —  Median: —\n\
                 Execution below 80%: 0\nExecution below 60%: 0\n",
            ],
            [
                "已评分项目：2  未能评分：0\n等级分布：优 1  差 1\n平均分：76.38  中位数：76.38\n\
                 预算执行率低于80%：0\n预算执行率低于60%：0\n",
                "Scored: 2  Not scored: 0\nGrades: 优 1  差 1\nMean: 76.38  Median: 76.38\n\
                 Execution below 80%: 0\nExecution below 60%: 0\n",
            ],
            [
                "已评分项目：3  未能评分：0\n等级分布：优 2  差 1\n平均分：77.92  中位数：81.00\n\
                 预算执行率低于80%：1 — P-03\n预算执行率低于60%：1 — P-03\n",
                "Scored: 3  Not scored: 0\nGrades: 优 2  差 1\nMean: 77.92  Median: 81.00\n\
                 Execution below 80%: 1 — P-03\nExecution below 60%: 1 — P-03\n",
            ],
        ];
        for (batch, below) in [Batch::default(), bureau(), wide].iter().zip(distributions) {
            for (lang, below) in [Lang::Zh, Lang::En].into_iter().zip(below) {
                let want = comfy(batch, lang, 160) + below;
                assert_eq!(table(batch, lang, Some(160)), want);
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
        // Grades by best total: 优 92.25, 良 81.00, 中 70.00 (and 60.50).
        // Mean: 92.25 + 60.50 + 81.00 + 70.00 = 303.75; / 4 = 75.9375 → 75.94.
        // Median: sorted 60.50, 70.00, 81.00, 92.25 → (70.00 + 81.00) / 2 = 75.50.
        // Below 80%: 79.99% (A), 59.99% (C), 60.00% (D), not 80.00% (B);
        // below 60%: 59.99% (C), not 60.00% (D).
        assert_eq!(
            super::summary(&batch, Lang::En),
            "Scored: 4  Not scored: 1\n\
             Grades: 优 1  良 1  中 2\n\
             Mean: 75.94  Median: 75.50\n\
             Execution below 80%: 3 — A, C, D\n\
             Execution below 60%: 1 — C\n"
        );
    }

    #[test]
    fn a_long_list_names_twenty_and_says_there_are_more() {
        // 21 projects at 50%: all 21 are counted, the first 20 named, then " …".
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
        let named: Vec<String> = (1..=20).map(|i| format!("P{i:02}")).collect();
        let list = format!("21 — {} …", named.join(", "));
        let text = super::summary(&batch, Lang::Zh);
        assert!(
            text.contains(&format!("预算执行率低于80%：{list}\n")),
            "{text}"
        );
        assert!(
            text.contains(&format!("预算执行率低于60%：{list}\n")),
            "{text}"
        );
        assert!(!text.contains("P21"), "{text}");
    }

    #[test]
    fn a_narrow_screen_wraps_name_and_department() {
        let mut batch = bureau();
        batch.scored[1].department = Some("Ministry of Justice".into());
        batch.scored[1].name = "公共法律服务体系建设项目".into();
        let want = "\
┌─────────┬────────────┬────────────┬─────────────┬────────────┬───────────┬───────┬───────┐
│ Project ┆ Name       ┆ Department ┆ Budget (元) ┆ Spent (元) ┆ Execution ┆ Total ┆ Grade │
╞═════════╪════════════╪════════════╪═════════════╪════════════╪═══════════╪═══════╪═══════╡
│ P-01    ┆ 公共法律服 ┆ Ministry   ┆  1000000.00 ┆  955000.00 ┆    95.50% ┆ 92.25 ┆ 优    │
│         ┆ 务体系建设 ┆ of Justice ┆             ┆            ┆           ┆       ┆       │
│         ┆ 项目       ┆            ┆             ┆            ┆           ┆       ┆       │
│ P-02    ┆ Legal aid  ┆            ┆  1000000.00 ┆  955000.00 ┆         — ┆ 60.50 ┆ 差    │
└─────────┴────────────┴────────────┴─────────────┴────────────┴───────────┴───────┴───────┘
";
        let got = table(&batch, Lang::En, Some(92));
        assert_eq!(got.split_inclusive('\n').take(8).collect::<String>(), want);
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
