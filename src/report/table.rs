//! The human-readable result: the indicator table in the 自评表's column order, the
//! dimension subtotals, the funds summary, then the total and the grade.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use rust_decimal::Decimal;
use std::fmt::Write;

use crate::builtin::Builtin;
use crate::decimal::{grouped, percent, plain, score_text, wan};
use crate::i18n::Lang;
use crate::outcome::Outcome;

/// The width tables are laid out for when the output is not a terminal: a wide page, so
/// that piped output stays readable.
pub(crate) const PIPED_WIDTH: u16 = 160;

/// The width a table is laid out for: `width` when given, else the terminal's, else
/// [`PIPED_WIDTH`].
pub(crate) fn layout_width(width: Option<u16>) -> u16 {
    width
        .or_else(|| Table::new().width())
        .unwrap_or(PIPED_WIDTH)
}

pub(crate) fn new_table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_truncation_indicator("...");
    t.set_content_arrangement(ContentArrangement::Dynamic);
    match width {
        Some(w) => {
            t.force_no_tty();
            t.set_width(w);
        }
        None => {
            if t.width().is_none() {
                t.set_width(PIPED_WIDTH);
            }
        }
    }
    t
}

pub(crate) fn right_align(t: &mut Table, columns: &[usize]) {
    for &c in columns {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// Render the result. `width` fixes the table width (tests); `None` uses the terminal's.
pub fn render(o: &Outcome, lang: Lang, width: Option<u16>) -> String {
    let mut out = String::new();
    heading(&mut out, o, lang);
    let _ = writeln!(out, "{}", indicator_table(o, lang, width));
    let _ = writeln!(out, "\n{}", dimension_table(o, lang, width));
    let _ = writeln!(out, "\n{}", funds_table(o, lang, width));
    totals(&mut out, o, lang);
    notes(&mut out, o, lang);
    out
}

/// The title, the project and its year, scheme, department and unit.
fn heading(out: &mut String, o: &Outcome, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let _ = writeln!(out, "{}", o.scheme.title);
    let _ = writeln!(
        out,
        "{}{} {}  {}{}  {}{}",
        l("项目：", "Project: "),
        o.project.id,
        o.project.name,
        l("年度：", "Year: "),
        o.project.year,
        l("指标体系：", "Scheme: "),
        o.scheme.id
    );
    if let Some(d) = &o.project.department {
        let _ = write!(out, "{}{}  ", l("主管部门：", "Department: "), d);
    }
    if let Some(u) = &o.project.unit {
        let _ = write!(out, "{}{}", l("实施单位：", "Unit: "), u);
    }
    if o.project.department.is_some() || o.project.unit.is_some() {
        out.push('\n');
    }
    out.push('\n');
}

/// 自评表 body: one row per indicator under its dimension and group, in the 自评表's eight
/// columns when they fit the screen; on a narrower one (80 columns) in six, each
/// dimension and group on a row of its own above its indicators, so that the name and the
/// reason keep room to be read. Numbers and units are never cut ([`super::layout`]).
fn indicator_table(o: &Outcome, lang: Lang, width: Option<u16>) -> Table {
    use super::layout::Column;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let s = &o.sheet;
    let col = |header, wrap, priority, right| Column {
        header,
        wrap,
        priority,
        right,
    };
    let tail = [
        col(l("分值", "Weight"), false, false, true),
        col(l("年度指标值", "Target"), true, false, false),
        col(l("实际完成值", "Actual"), true, false, false),
        col(l("得分", "Score"), false, false, true),
        col(l("扣分原因", "Reason for lost points"), true, true, false),
    ];
    let mut rows = Vec::new();
    let mut compact = Vec::new();
    let mut last: Option<(usize, usize)> = None;
    for i in &s.indicators {
        let (di, _) = i.position;
        let new_dim = last.is_none_or(|(d, _)| d != di);
        let new_group = last != Some(i.position);
        let dim_label = if new_dim {
            let w = s.dimensions.get(di).map_or(Decimal::ZERO, |d| d.weight);
            format!("{} ({})", i.dimension_name, plain(w))
        } else {
            String::new()
        };
        let group_label = if new_group {
            i.group.clone()
        } else {
            String::new()
        };
        last = Some(i.position);
        if new_dim {
            compact.push(section(dim_label.clone()));
        }
        if new_group {
            compact.push(section(format!("· {}", i.group)));
        }
        let cells = indicator_cells(i, lang);
        compact.push(cells.clone());
        let mut row = vec![dim_label, group_label];
        row.extend(cells);
        rows.push(row);
    }
    let mut full = vec![
        col(l("一级指标", "Dimension"), true, false, false),
        col(l("二级指标", "Group"), true, false, false),
        col(l("三级指标", "Indicator"), true, true, false),
    ];
    full.extend(tail);
    let (t, fits) = super::layout::table(&full, rows, width);
    if fits {
        return t;
    }
    let mut narrow = vec![col(l("三级指标", "Indicator"), true, true, false)];
    narrow.extend(tail);
    super::layout::table(&narrow, compact, width).0
}

/// A row naming a dimension or a group above its indicators (the narrow table).
fn section(label: String) -> Vec<String> {
    let mut row = vec![label];
    row.extend(std::iter::repeat_n(String::new(), 5));
    row
}

/// An indicator's cells from 三级指标 on: name, weight, target, actual, score, reason.
fn indicator_cells(i: &crate::scoring::IndicatorScore, lang: Lang) -> Vec<String> {
    let score = i
        .score
        .map_or_else(|| lang.pick("不适用", "n/a").to_string(), score_text);
    let reason = if i.lost() > Decimal::ZERO {
        match (&i.reason, i.rule) {
            (Some(r), "qualitative" | "manual") => r.clone(),
            (Some(r), _) => format!("{r}（{}）", i.basis),
            (None, _) => i.basis.clone(),
        }
    } else if i.score.is_none() {
        i.reason.clone().unwrap_or_default()
    } else {
        String::new()
    };
    vec![
        format!("{} {}", i.id, i.name),
        plain(i.weight),
        i.target
            .clone()
            .or_else(|| i.standard.clone())
            .unwrap_or_default(),
        i.actual.clone().unwrap_or_default(),
        score,
        reason,
    ]
}

/// Weight, score and share of each dimension (一级指标).
fn dimension_table(o: &Outcome, lang: Lang, width: Option<u16>) -> Table {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let s = &o.sheet;
    let mut d = new_table(width);
    d.set_header(vec![
        l("一级指标", "Dimension"),
        l("分值", "Weight"),
        l("得分", "Score"),
        l("得分率", "Share"),
    ]);
    for dim in &s.dimensions {
        let share = if dim.weight.is_zero() {
            String::new()
        } else {
            percent(dim.score / dim.weight)
        };
        d.add_row(vec![
            dim.name.clone(),
            plain(dim.weight),
            score_text(dim.score),
            share,
        ]);
    }
    right_align(&mut d, &[1, 2, 3]);
    d
}

/// 项目资金: the money figures in 万元 and 元, and the rates.
fn funds_table(o: &Outcome, lang: Lang, width: Option<u16>) -> Table {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let f = &o.funds;
    let mut m = new_table(width);
    m.set_header(vec![
        l("项目资金", "Funds"),
        l("万元", "10k yuan"),
        l("元", "yuan"),
    ]);
    for b in Builtin::ALL {
        let label = b.heading(lang).to_string();
        m.add_row(match f.value(b) {
            Some(v) if b.is_money() => vec![label, wan(v, o.wan_places), grouped(v)],
            rate => vec![
                label,
                rate.map_or_else(|| "—".to_string(), percent),
                String::new(),
            ],
        });
    }
    right_align(&mut m, &[1, 2]);
    m
}

/// 总分 and 等级, and the rescaling when some indicators do not apply.
fn totals(out: &mut String, o: &Outcome, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let s = &o.sheet;
    let _ = writeln!(
        out,
        "\n{}{} / {}    {}{}",
        l("总分：", "Total: "),
        score_text(s.total),
        plain(o.scheme.total),
        l("等级：", "Grade: "),
        s.grade
    );
    if s.rescaled {
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "（部分指标不适用，按百分制折算：适用分值 {}）",
                    plain(s.applicable_weight)
                ),
                Lang::En => format!(
                    "(some indicators do not apply; rescaled from applicable weight {})",
                    plain(s.applicable_weight)
                ),
            }
        );
    }
}

/// 提示: every indicator's warnings, then the evaluation's.
fn notes(out: &mut String, o: &Outcome, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let s = &o.sheet;
    let notes: Vec<String> = s
        .indicators
        .iter()
        .flat_map(|i| {
            i.warnings
                .iter()
                .map(move |w| format!("{} {}: {w}", i.id, i.name))
        })
        .chain(o.warnings.iter().map(|p| p.display(lang).to_string()))
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(out, "\n{}", l("提示：", "Notes:"));
        for n in notes {
            let _ = writeln!(out, "- {n}");
        }
    }
}
