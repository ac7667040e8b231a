//! The 项目支出绩效自评表 as an Excel workbook, in the official layout (财预〔2020〕10号
//! 附件2, as the 池州 and 上饶 forms print it): header block, 项目资金（万元）, 年度总体目标,
//! the 绩效指标 table with merged first- and second-level cells, 总分 and 评价等级.
//!
//! Nine columns, A to I:
//!
//! | Block | A | B | C | D | E | F | G | H | I |
//! |---|---|---|---|---|---|---|---|---|---|
//! | header | 项目名称 / 主管部门 | value (B:I or B:D) | | | 实施单位 | value (F:I) | | | |
//! | funds | 项目资金（万元） | row label (B:C) | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
//! | goals | 年度总体目标 | 预期目标 (B:E) | | | | 实际完成情况 (F:I) | | | |
//! | indicators | 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
//!
//! Numbers are stored as numbers with a display format (万元 rounded 四舍五入 to two
//! decimals, or `--wan-places`, and shown `#,##0.00`; rates
//! `0.00%`, scores `0.00`, an actual value with its unit such as `0"件"`); each is converted
//! to the file's floating point only here, from the text of the rounded decimal. Text that a
//! spreadsheet would take for a formula has that sign written full-width (the rule of the CSV output,
//! [`super::csv::neutralise`]). Column widths are set from the
//! display width of the Chinese text (rust_xlsxwriter's autofit does not measure CJK) and
//! row heights from the number of wrapped lines, so the form prints on A4 landscape, one
//! page wide.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::csv::neutralise;
use crate::decimal::{plain, round_half_up};
use crate::metrics::SourceFunds;
use crate::outcome::Outcome;
use crate::scheme::{Indicator, Scoring, Unit};
use crate::scoring::IndicatorScore;

/// The sheet's name.
pub const SHEET: &str = "项目支出绩效自评表";

/// Text for the 年度总体目标 block: the narrative's goals, when written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Goals {
    /// 预期目标
    pub expected: Option<String>,
    /// 实际完成情况
    pub achieved: Option<String>,
}

/// The placeholder written where the narrative gives no 预期目标.
pub const EXPECTED_PLACEHOLDER: &str =
    "【待补充】年度总体目标（预期目标）：在 narrative.toml 的 [basic] 下填写 goals";

/// A rounded decimal as the file's number, through its text (never decimal arithmetic in
/// floating point).
fn number(d: Decimal) -> f64 {
    plain(d).parse().unwrap_or(0.0)
}

/// The display width of text in Excel column units: CJK characters count two, and the
/// widest line counts (ecosystem notes: `unicode_width × 1.1 + 2`).
fn width(text: &str) -> f64 {
    let widest = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
    widest as f64 * 1.1 + 2.0
}

/// How many lines `text` takes in a cell `columns` units wide, wrapping.
fn lines(text: &str, columns: f64) -> usize {
    let usable = (columns - 1.0).max(2.0);
    text.lines()
        .map(|l| (UnicodeWidthStr::width(l) as f64 / usable).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

/// Points per wrapped line of the body font (宋体 10.5).
const LINE_HEIGHT: f64 = 14.0;

/// The funding-source rows of the form, and which budget sources each one sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum SourceRow {
    /// 其中：当年财政拨款
    Current,
    /// 上年结转资金
    CarriedOver,
    /// 其他资金
    Other,
}

fn source_row(source: &str) -> SourceRow {
    if source.contains("结转") {
        SourceRow::CarriedOver
    } else if source.contains("财政拨款") || source.contains("当年") || source.contains("本级")
    {
        SourceRow::Current
    } else {
        SourceRow::Other
    }
}

/// The dimension scored in the funds block: one whose only indicator is a 预算执行率
/// indicator (the 自评表's 10 points). Framework schemes score execution inside 过程:
/// see [`funds_indicator`].
fn execution_dimension(o: &Outcome) -> Option<usize> {
    o.scheme.dimensions.iter().position(|d| {
        let mut inds = d.groups.iter().flat_map(|g| &g.indicators);
        inds.clone().count() == 1 && inds.all(Indicator::is_execution_rate)
    })
}

/// The 分值 and 得分 of the funds block's 年度资金总额 row: the 预算执行率 block of a
/// self-evaluation scheme, else the scheme's execution-rate indicator wherever it stands
/// (the framework's 过程 → 资金管理 → 预算执行率, which its own row shows too); `None` when
/// the scheme scores no execution rate. A score of `None`: judged 不适用.
fn execution_score(o: &Outcome, exec_dim: Option<usize>) -> Option<(Decimal, Option<Decimal>)> {
    if let Some(d) = exec_dim.and_then(|d| o.sheet.dimensions.get(d)) {
        return Some((d.weight, Some(d.score)));
    }
    funds_indicator(o, exec_dim).map(|i| (i.weight, i.score))
}

/// The execution-rate indicator shown in the funds block instead of the 绩效指标 table,
/// when the scheme has one outside a block of its own (the framework's 预算执行率 under
/// 过程): as on the official form, its 分值 and 得分 stand on the 年度资金总额 row, and the
/// 分值 on the form still add up to the total.
fn funds_indicator(o: &Outcome, exec_dim: Option<usize>) -> Option<&IndicatorScore> {
    if exec_dim.is_some() {
        return None;
    }
    o.sheet.indicators.iter().find(|i| {
        o.scheme
            .indicator(&i.id)
            .is_some_and(Indicator::is_execution_rate)
    })
}

/// The rows of the 绩效指标 table: every indicator but those the funds block shows.
fn table_rows(o: &Outcome) -> Vec<&IndicatorScore> {
    let exec_dim = execution_dimension(o);
    let in_funds = funds_indicator(o, exec_dim).map(|i| i.id.as_str());
    o.sheet
        .indicators
        .iter()
        .filter(|i| Some(i.position.0) != exec_dim && Some(i.id.as_str()) != in_funds)
        .collect()
}

/// A first-level label as the table shows it, `过程（15分）`: its 分值 less that of an
/// indicator the funds block shows.
fn dimension_label(o: &Outcome, dim: usize) -> String {
    let d = &o.sheet.dimensions[dim];
    let moved = funds_indicator(o, execution_dimension(o))
        .filter(|i| i.position.0 == dim)
        .map_or(Decimal::ZERO, |i| i.weight);
    format!("{}（{}分）", d.name, plain(d.weight - moved))
}

/// 实际完成值 as a number with its unit in the format, when the indicator has one.
fn actual_number(o: &Outcome, i: &IndicatorScore) -> Option<(f64, String)> {
    let value = i.actual_value?;
    let ind = o.scheme.indicator(&i.id)?;
    let Scoring::Quantitative { metric, target, .. } = &ind.scoring else {
        return None;
    };
    let unit = match &target.quantity.unit {
        Unit::None => o.metrics().get(metric).ok()?.unit,
        u => u.clone(),
    };
    // The same rounding as the table's text (crate::scoring::show).
    let decimals = |d: Decimal| {
        let n = d.normalize().scale();
        if n == 0 {
            "0".to_string()
        } else {
            format!("0.{}", "0".repeat(n as usize))
        }
    };
    let quoted = |u: &str| u.replace(['"', '\\'], "");
    Some(match unit {
        Unit::Percent => (number(crate::decimal::round_rate(value)), "0.00%".into()),
        Unit::Yuan => (
            number(round_half_up(value, 2)),
            "#,##0.00\"元\"".to_string(),
        ),
        Unit::Wan => {
            let wan = round_half_up(value / Decimal::from(10_000), 6);
            (number(wan), format!("{}\"万元\"", decimals(wan)))
        }
        Unit::Other(u) => {
            let v = round_half_up(value, 2);
            (number(v), format!("{}\"{}\"", decimals(v), quoted(&u)))
        }
        Unit::None => {
            let v = round_half_up(value, 4);
            (number(v), decimals(v))
        }
    })
}

/// 年度指标值 as the form writes it: a quantitative target in its normal form, with an
/// equality written `＝0件` (the full-width sign Chinese forms use, which no spreadsheet
/// takes for a formula); otherwise the scheme's text or 评分标准.
fn form_target(o: &Outcome, i: &IndicatorScore) -> String {
    let quantitative = o
        .scheme
        .indicator(&i.id)
        .is_some_and(|ind| matches!(ind.scoring, Scoring::Quantitative { .. }));
    let text = i
        .target
        .clone()
        .or_else(|| i.standard.clone())
        .unwrap_or_default();
    match text.strip_prefix('=') {
        Some(rest) if quantitative => format!("＝{rest}"),
        _ => text,
    }
}

/// 偏差原因分析及改进措施: the reason for lost points (with the arithmetic for data rules),
/// the reason of an indicator judged 不适用, and any over-completion note.
fn deviation(i: &IndicatorScore) -> String {
    let mut parts: Vec<String> = super::lost_reason(i)
        .or_else(|| i.reason.clone())
        .into_iter()
        .collect();
    parts.extend(i.warnings.iter().cloned());
    parts.join("；")
}

/// The 实际完成情况 written when the narrative has none: the figures, then each
/// quantitative indicator's actual value.
fn achieved_summary(o: &Outcome) -> String {
    let f = &o.funds;
    let mut parts = vec![format!(
        "全年执行数{}万元{}",
        crate::decimal::wan(f.spent, o.wan_places),
        f.execution_rate()
            .map(|r| format!("，预算执行率{}", crate::decimal::percent(r)))
            .unwrap_or_default()
    )];
    let exec_dim = execution_dimension(o);
    let measured: Vec<String> = o
        .sheet
        .indicators
        .iter()
        .filter(|i| Some(i.position.0) != exec_dim)
        .filter(|i| i.actual_value.is_some() && i.rule != "checklist")
        // the execution rate is already in the first clause
        .filter(|i| {
            !o.scheme
                .indicator(&i.id)
                .is_some_and(Indicator::is_execution_rate)
        })
        .filter_map(|i| Some(format!("{}{}", i.name, i.actual.as_ref()?)))
        .collect();
    if !measured.is_empty() {
        parts.push(measured.join("，"));
    }
    format!(
        "{}；自评得分{}分，评价等级为“{}”。",
        parts.join("；"),
        plain(o.sheet.total),
        o.sheet.grade
    )
}

/// The display format of an amount in 万元 with `places` decimals: `#,##0.00` for two,
/// `#,##0` for none.
fn wan_format(places: u32) -> String {
    match places.min(crate::decimal::MAX_WAN_PLACES) {
        0 => "#,##0".to_string(),
        n => format!("#,##0.{}", "0".repeat(n as usize)),
    }
}

struct Formats {
    title: Format,
    subtitle: Format,
    label: Format,
    header: Format,
    text: Format,
    center: Format,
    wan: Format,
    rate: Format,
    score: Format,
    weight: Format,
    plain: Format,
}

impl Formats {
    /// The formats, amounts in 万元 shown with `wan_places` decimals.
    fn new(wan_places: u32) -> Formats {
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(10.5)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let cell = base.clone().set_border(FormatBorder::Thin);
        let centered = cell.clone().set_align(FormatAlign::Center);
        let right = cell.clone().set_align(FormatAlign::Right).set_indent(1);
        Formats {
            title: Format::new()
                .set_font_name("黑体")
                .set_font_size(18)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: base.clone().set_align(FormatAlign::Center),
            label: centered.clone(),
            header: centered.clone().set_bold(),
            text: cell.clone().set_align(FormatAlign::Left),
            center: centered.clone(),
            wan: right.clone().set_num_format(wan_format(wan_places)),
            rate: centered.clone().set_num_format("0.00%"),
            score: centered.clone().set_num_format("0.00"),
            weight: centered.clone().set_num_format("General"),
            plain: base.set_align(FormatAlign::Left),
        }
    }
}

/// The most characters an Excel cell holds.
pub const CELL_CHARS: usize = 32_767;

/// What is written at the end of a text cut to fit its cell.
const CUT_MARK: &str = "……（超出 Excel 单元格 32767 字符上限，以下从略）";

/// A text cut to fit its cell: where, what it belonged to, how long it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The cell, as Excel names it (`I12`).
    pub cell: String,
    /// The indicator the row is for, when it is an indicator's row.
    pub indicator: Option<String>,
    /// The text's length in characters, before the cut.
    pub chars: usize,
}

/// The workbook, and the texts cut to fit their cells.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub cut: Vec<Cut>,
}

/// The sheet being written, with the column widths and the height each row needs.
struct Grid<'a> {
    ws: &'a mut Worksheet,
    widths: [f64; 9],
    heights: Vec<f64>,
    /// The indicator whose row is being written.
    indicator: Option<String>,
    cut: Vec<Cut>,
    /// 一级 and 二级 labels merged down their rows, written once the page breaks are known.
    downs: Vec<Down>,
}

/// A label to merge down `first..=last` of one column.
struct Down {
    first: u32,
    last: u32,
    col: u16,
    text: String,
    format: Format,
}

/// `A`…`I` and the 1-based row of a 0-based cell of the form's nine columns.
fn cell_name(row: u32, col: u16) -> String {
    let letter = char::from(b'A' + u8::try_from(col).unwrap_or(25).min(25));
    format!("{letter}{}", u64::from(row) + 1)
}

impl Grid<'_> {
    /// `text` made safe for a cell (see [`neutralise`]) and cut to [`CELL_CHARS`], the cut
    /// noted: a reason of 40,000 characters would fail the whole workbook.
    fn fit(&mut self, row: u32, col: u16, text: &str) -> String {
        let text = neutralise(text);
        let chars = text.chars().count();
        if chars <= CELL_CHARS {
            return text;
        }
        self.cut.push(Cut {
            cell: cell_name(row, col),
            indicator: self.indicator.clone(),
            chars,
        });
        let keep = CELL_CHARS - CUT_MARK.chars().count();
        let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
        format!("{}{CUT_MARK}", &text[..end])
    }

    fn need(&mut self, row: u32, points: f64) {
        let r = row as usize;
        if self.heights.len() <= r {
            self.heights.resize(r + 1, 0.0);
        }
        self.heights[r] = self.heights[r].max(points);
    }

    /// The height of a row in points (15 pt when none was set).
    fn height(&self, row: u32) -> f64 {
        match self.heights.get(row as usize) {
            Some(h) if *h > 0.0 => *h,
            _ => 15.0,
        }
    }

    /// Whether the rows so far may run onto a second A4 landscape page once the sheet is
    /// scaled to one page wide. Excel's measure is taken (a column unit is about 5.25 pt
    /// there; LibreOffice draws columns wider and so scales more and fits more rows), with
    /// the margins set below.
    fn may_span_pages(&self) -> bool {
        let total: f64 = (0..self.heights.len() as u32).map(|r| self.height(r)).sum();
        total > self.page_height()
    }

    /// An A4 landscape page's height within the margins set below, in the sheet's points
    /// once it is scaled to one page wide.
    fn page_height(&self) -> f64 {
        let width_pt: f64 = self.widths.iter().map(|w| w * 5.25 + 3.75).sum();
        let scale = (((11.69 - 0.8) * 72.0) / width_pt).min(1.0);
        (8.27 - 1.2) * 72.0 / scale
    }

    fn span_width(&self, first: u16, last: u16) -> f64 {
        self.widths[first as usize..=last as usize].iter().sum()
    }

    /// Text in one cell or merged across `first..=last` of one row; the row grows to fit it.
    fn text(
        &mut self,
        row: u32,
        first: u16,
        last: u16,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        let text = self.fit(row, first, text);
        if first == last {
            self.ws
                .write_string_with_format(row, first, &text, format)?;
        } else {
            self.ws.merge_range(row, first, row, last, &text, format)?;
        }
        let n = lines(&text, self.span_width(first, last));
        self.need(row, n as f64 * LINE_HEIGHT + 6.0);
        Ok(())
    }

    /// Text merged down `first_row..=last_row` of one column (no height asked of the rows).
    fn down(
        &mut self,
        first_row: u32,
        last_row: u32,
        col: u16,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        let text = self.fit(first_row, col, text);
        if first_row == last_row {
            self.ws
                .write_string_with_format(first_row, col, &text, format)?;
            let n = lines(&text, self.widths[col as usize]);
            self.need(first_row, n as f64 * LINE_HEIGHT + 6.0);
        } else {
            // Merged once the page breaks are known: split at a break, the label repeated.
            self.downs.push(Down {
                first: first_row,
                last: last_row,
                col,
                text,
                format: format.clone(),
            });
        }
        Ok(())
    }

    /// The rows a page holds, in points: [`Self::page_height`] less a line, for rounding.
    fn page_points(&self) -> f64 {
        self.page_height() - LINE_HEIGHT
    }

    /// Where pages break (the first row of each new page): where the rows fill a page, moved
    /// back to the start of the 二级指标 the break would cut when that leaves something on
    /// the page. Every page after the first repeats the header row `head`.
    fn page_breaks(&self, head: u32) -> Vec<u32> {
        let page = self.page_points();
        let group_starts: Vec<(u32, u32)> = self
            .downs
            .iter()
            .filter(|d| d.col == 2)
            .map(|d| (d.first, d.last))
            .collect();
        let mut breaks = Vec::new();
        let mut used = 0.0;
        let mut page_start = 0;
        for r in 0..self.heights.len() as u32 {
            let h = self.height(r);
            if used + h > page && r > page_start {
                let at = group_starts
                    .iter()
                    .find(|(first, last)| *first < r && r <= *last)
                    .map_or(r, |(first, _)| *first)
                    .max(page_start + 1);
                breaks.push(at);
                page_start = at;
                used = self.height(head) + (at..=r).map(|x| self.height(x)).sum::<f64>();
                continue;
            }
            used += h;
        }
        breaks
    }

    /// The labels merged down, each piece between two page breaks merged on its own with
    /// the label: a label is printed on every page its rows reach.
    fn write_downs(&mut self, breaks: &[u32]) -> Result<(), XlsxError> {
        for d in std::mem::take(&mut self.downs) {
            let mut start = d.first;
            let cuts = breaks
                .iter()
                .copied()
                .filter(|b| *b > d.first && *b <= d.last)
                .chain(std::iter::once(d.last + 1));
            for end in cuts {
                if end - 1 == start {
                    self.ws
                        .write_string_with_format(start, d.col, &d.text, &d.format)?;
                } else {
                    self.ws
                        .merge_range(start, d.col, end - 1, d.col, &d.text, &d.format)?;
                }
                start = end;
            }
        }
        Ok(())
    }

    fn number(&mut self, row: u32, col: u16, value: f64, format: &Format) -> Result<(), XlsxError> {
        self.ws.write_number_with_format(row, col, value, format)?;
        self.need(row, LINE_HEIGHT + 6.0);
        Ok(())
    }

    fn blank(&mut self, row: u32, col: u16, format: &Format) -> Result<(), XlsxError> {
        self.ws.write_blank(row, col, format)?;
        Ok(())
    }
}

/// Column widths from the text they hold, within bounds that keep the form one A4
/// landscape page wide.
fn column_widths(o: &Outcome, rows: &[&IndicatorScore]) -> [f64; 9] {
    let fit = |texts: &mut dyn Iterator<Item = String>, min: f64, max: f64| {
        texts.map(|t| width(&t)).fold(min, f64::max).min(max)
    };
    [
        10.0,
        fit(
            &mut (0..o.sheet.dimensions.len()).map(|d| dimension_label(o, d)),
            10.0,
            14.0,
        ),
        fit(&mut rows.iter().map(|i| i.group.clone()), 10.0, 16.0),
        fit(&mut rows.iter().map(|i| i.name.clone()), 14.0, 26.0),
        fit(
            &mut rows.iter().map(|i| {
                i.target
                    .clone()
                    .or_else(|| i.standard.clone())
                    .unwrap_or_default()
            }),
            12.0,
            22.0,
        ),
        fit(
            &mut rows.iter().map(|i| i.actual.clone().unwrap_or_default()),
            12.0,
            16.0,
        ),
        7.0,
        9.0,
        fit(&mut rows.iter().map(|i| deviation(i)), 24.0, 36.0),
    ]
}

/// The workbook's bytes.
pub fn render(o: &Outcome, goals: &Goals) -> Result<Rendered, XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(SHEET)?;
    let cut = write_sheet(o, goals, ws)?;
    Ok(Rendered {
        bytes: workbook.save_to_buffer()?,
        cut,
    })
}

/// The 项目支出绩效自评表, section by section: title and project, 项目资金, 年度总体目标,
/// 绩效指标, 总分 and 等级, then the print settings.
fn write_sheet(o: &Outcome, goals: &Goals, ws: &mut Worksheet) -> Result<Vec<Cut>, XlsxError> {
    let f = Formats::new(o.wan_places);
    let exec_dim = execution_dimension(o);
    let rows = table_rows(o);
    let widths = column_widths(o, &rows);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let mut g = Grid {
        ws,
        widths,
        heights: Vec::new(),
        indicator: None,
        cut: Vec::new(),
        downs: Vec::new(),
    };
    title_and_project(&mut g, &f, o)?;
    let funds_top = 4;
    let source_kinds = funds_section(&mut g, &f, o, exec_dim, funds_top)?;
    let goals_top = funds_top + 5;
    goals_section(&mut g, &f, o, goals, goals_top)?;
    let head = goals_top + 2;
    let row = indicator_section(&mut g, &f, o, &rows, head)?;
    totals_section(&mut g, &f, o, row, source_kinds)?;
    let breaks = g.page_breaks(head);
    g.write_downs(&breaks)?;
    for (r, h) in g.heights.iter().enumerate() {
        if *h > 0.0 {
            g.ws.set_row_height(r as u32, *h)?;
        }
    }
    print_setup(o, g.ws, head)?;
    if !breaks.is_empty() {
        g.ws.set_page_breaks(&breaks)?;
    }
    Ok(g.cut)
}

/// Printing: A4 landscape, one page wide, the indicator header repeated.
fn print_setup(o: &Outcome, ws: &mut Worksheet, head: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(head, head)?;
    ws.set_footer(footer(&o.project.id, &o.scheme.id));
    Ok(())
}

/// The page footer: the project and the scheme on the left, the page on the right, in
/// 8-point type. A space follows the size code: `&8` then `2023-SL-017` would read as a
/// size of 82023 points and print `-SL-017`.
fn footer(project: &str, scheme: &str) -> String {
    format!(
        "&L&8 {} {}&R&8 第 &P 页，共 &N 页",
        project.replace('&', "&&"),
        scheme.replace('&', "&&")
    )
}

/// The title, the year and the project's name, 主管部门 and 实施单位 (rows 0–3).
fn title_and_project(g: &mut Grid, f: &Formats, o: &Outcome) -> Result<(), XlsxError> {
    // ── title ──
    g.ws.merge_range(0, 0, 0, 8, SHEET, &f.title)?;
    g.need(0, 32.0);
    g.text(1, 0, 8, &format!("（{}年度）", o.project.year), &f.subtitle)?;

    // ── header ──
    g.text(2, 0, 0, "项目名称", &f.label)?;
    g.text(2, 1, 8, &o.project.name, &f.text)?;
    g.text(3, 0, 0, "主管部门", &f.label)?;
    g.text(
        3,
        1,
        3,
        o.project.department.as_deref().unwrap_or(""),
        &f.text,
    )?;
    g.text(3, 4, 4, "实施单位", &f.label)?;
    g.text(3, 5, 8, o.project.unit.as_deref().unwrap_or(""), &f.text)?;
    Ok(())
}

/// 项目资金（万元）: the totals and one row per kind of source; returns how many kinds of
/// source the budget has.
fn funds_section(
    g: &mut Grid,
    f: &Formats,
    o: &Outcome,
    exec_dim: Option<usize>,
    funds_top: u32,
) -> Result<usize, XlsxError> {
    // ── 项目资金（万元） ──
    g.down(funds_top, funds_top + 4, 0, "项目资金\n（万元）", &f.label)?;
    g.text(funds_top, 1, 2, "", &f.header)?;
    for (c, h) in [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    .iter()
    .enumerate()
    {
        g.text(funds_top, 3 + c as u16, 3 + c as u16, h, &f.header)?;
    }
    let funds = &o.funds;
    // Stored as the rounded figure shown, so that a sum the reader makes in the sheet
    // adds up what is printed.
    let wan = |d: Decimal| number(crate::decimal::wan_value(d, o.wan_places));
    let r = funds_top + 1;
    g.text(r, 1, 2, "年度资金总额", &f.label)?;
    g.number(r, 3, wan(funds.initial_budget), &f.wan)?;
    g.number(r, 4, wan(funds.adjusted_budget), &f.wan)?;
    g.number(r, 5, wan(funds.spent), &f.wan)?;
    match execution_score(o, exec_dim) {
        Some((weight, score)) => {
            g.number(r, 6, number(weight), &f.weight)?;
            match score {
                Some(s) => g.number(r, 8, number(s), &f.score)?,
                None => g.text(r, 8, 8, "不适用", &f.center)?,
            }
        }
        None => {
            g.text(r, 6, 6, "—", &f.center)?;
            g.text(r, 8, 8, "—", &f.center)?;
        }
    }
    match funds.execution_rate() {
        Some(rate) => g.number(r, 7, number(rate), &f.rate)?,
        None => g.text(r, 7, 7, "—", &f.center)?,
    }
    // Spending is not split by source; with one kind of source it is all of it.
    let kinds: Vec<SourceRow> = {
        let mut k: Vec<SourceRow> = funds
            .by_source
            .iter()
            .map(|s| source_row(&s.source))
            .collect();
        k.sort();
        k.dedup();
        k
    };
    let single = match kinds.as_slice() {
        [only] => Some(*only),
        _ => None,
    };
    for (n, (kind, label)) in [
        (SourceRow::Current, "其中：当年财政拨款"),
        (SourceRow::CarriedOver, "上年结转资金"),
        (SourceRow::Other, "其他资金"),
    ]
    .into_iter()
    .enumerate()
    {
        let row = r + 1 + n as u32;
        g.text(row, 1, 2, label, &f.label)?;
        let sources: Vec<&SourceFunds> = funds
            .by_source
            .iter()
            .filter(|s| source_row(&s.source) == kind)
            .collect();
        if sources.is_empty() {
            for c in 3..=5 {
                g.blank(row, c, &f.wan)?;
            }
            g.blank(row, 7, &f.rate)?;
        } else {
            let initial: Decimal = sources.iter().map(|s| s.initial_budget).sum();
            let adjusted: Decimal = sources.iter().map(|s| s.adjusted_budget).sum();
            g.number(row, 3, wan(initial), &f.wan)?;
            g.number(row, 4, wan(adjusted), &f.wan)?;
            // One kind of source spent it all; else what the ledger's 资金来源 says each
            // spent, when every row named its source.
            let spent: Option<Decimal> = if single == Some(kind) {
                Some(funds.spent)
            } else {
                sources.iter().map(|s| s.spent).sum()
            };
            if let Some(spent) = spent {
                g.number(row, 5, wan(spent), &f.wan)?;
                match crate::metrics::rate(spent, adjusted) {
                    Some(rate) => g.number(row, 7, number(rate), &f.rate)?,
                    None => g.text(row, 7, 7, "—", &f.center)?,
                }
            } else {
                g.blank(row, 5, &f.wan)?;
                g.blank(row, 7, &f.rate)?;
            }
        }
        g.text(row, 6, 6, "—", &f.center)?;
        g.text(row, 8, 8, "—", &f.center)?;
    }
    Ok(kinds.len())
}

/// 年度总体目标: expected and achieved.
fn goals_section(
    g: &mut Grid,
    f: &Formats,
    o: &Outcome,
    goals: &Goals,
    goals_top: u32,
) -> Result<(), XlsxError> {
    // ── 年度总体目标 ──
    g.down(goals_top, goals_top + 1, 0, "年度总体\n目标", &f.label)?;
    g.text(goals_top, 1, 4, "预期目标", &f.header)?;
    g.text(goals_top, 5, 8, "实际完成情况", &f.header)?;
    let expected = goals
        .expected
        .clone()
        .unwrap_or_else(|| EXPECTED_PLACEHOLDER.to_string());
    let achieved = goals
        .achieved
        .clone()
        .unwrap_or_else(|| achieved_summary(o));
    g.text(goals_top + 1, 1, 4, &expected, &f.text)?;
    g.text(goals_top + 1, 5, 8, &achieved, &f.text)?;
    Ok(())
}

/// 绩效指标: one row per indicator, dimensions and groups merged down; returns the row
/// after the last one.
fn indicator_section(
    g: &mut Grid,
    f: &Formats,
    o: &Outcome,
    rows: &[&IndicatorScore],
    head: u32,
) -> Result<u32, XlsxError> {
    // ── 绩效指标 ──
    for (c, h) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    .iter()
    .enumerate()
    {
        g.text(head, 1 + c as u16, 1 + c as u16, h, &f.header)?;
    }
    let first = head + 1;
    let last = first + rows.len().max(1) as u32 - 1;
    let mut row = first;
    let mut i = 0;
    while i < rows.len() {
        // a run of rows of one dimension, and within it of one group
        let dim = rows[i].position.0;
        let dim_end = i + rows[i..].iter().take_while(|r| r.position.0 == dim).count();
        g.down(
            row,
            row + (dim_end - i) as u32 - 1,
            1,
            &dimension_label(o, dim),
            &f.center,
        )?;
        let mut j = i;
        while j < dim_end {
            let pos = rows[j].position;
            let group_end = j + rows[j..dim_end]
                .iter()
                .take_while(|r| r.position == pos)
                .count();
            g.down(
                row + (j - i) as u32,
                row + (group_end - i) as u32 - 1,
                2,
                &rows[j].group,
                &f.center,
            )?;
            j = group_end;
        }
        for (k, ind) in rows[i..dim_end].iter().enumerate() {
            let r = row + k as u32;
            g.indicator = Some(ind.id.clone());
            g.text(r, 3, 3, &ind.name, &f.text)?;
            let target = form_target(o, ind);
            g.text(r, 4, 4, &target, &f.text)?;
            match actual_number(o, ind) {
                Some((v, fmt)) => {
                    let format = f.center.clone().set_num_format(fmt);
                    g.number(r, 5, v, &format)?;
                }
                None => g.text(r, 5, 5, ind.actual.as_deref().unwrap_or(""), &f.center)?,
            }
            g.number(r, 6, number(ind.weight), &f.weight)?;
            match ind.score {
                Some(s) => g.number(r, 7, number(s), &f.score)?,
                None => g.text(r, 7, 7, "不适用", &f.center)?,
            }
            g.text(r, 8, 8, &deviation(ind), &f.text)?;
            g.indicator = None;
        }
        row += (dim_end - i) as u32;
        i = dim_end;
    }
    if rows.is_empty() {
        for c in 1..=8 {
            g.blank(first, c, &f.text)?;
        }
        row += 1;
    }

    // 绩效指标 down column A: centred, unless the form may run onto a second page, where a
    // centred label would be cut by the page break; then at the top.
    let label = if g.may_span_pages() {
        f.label.clone().set_align(FormatAlign::Top)
    } else {
        f.label.clone()
    };
    g.down(head, last, 0, "绩效指标", &label)?;
    Ok(row)
}

/// 总分, 评价等级, the note on sources and the signature line, from `row` on.
fn totals_section(
    g: &mut Grid,
    f: &Formats,
    o: &Outcome,
    row: u32,
    source_kinds: usize,
) -> Result<(), XlsxError> {
    // ── 总分, 评价等级 ──
    g.text(row, 0, 5, "总分", &f.header)?;
    g.number(row, 6, number(o.scheme.total), &f.weight)?;
    g.number(row, 7, number(o.sheet.total), &f.score)?;
    let rescaled = if o.sheet.rescaled {
        format!(
            "部分指标不适用，按百分制折算（适用分值 {}）",
            plain(o.sheet.applicable_weight)
        )
    } else {
        String::new()
    };
    g.text(row, 8, 8, &rescaled, &f.text)?;
    g.text(row + 1, 0, 5, "评价等级", &f.header)?;
    g.text(row + 1, 6, 8, &o.sheet.grade, &f.center)?;
    let mut next = row + 2;
    if source_kinds > 1 {
        g.text(
            next,
            0,
            8,
            "注：支出明细未区分资金来源，各来源的全年执行数与执行率未分列。",
            &f.plain,
        )?;
        next += 1;
    }
    g.text(
        next,
        0,
        8,
        "填表人：                    联系电话：                    填报日期：",
        &f.plain,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grid of nine columns 10 wide (506.25 pt: no scaling to fit 784.08 pt) and rows of
    /// `row` points, with 二级 groups merged down `groups`.
    fn grid<'a>(ws: &'a mut Worksheet, rows: usize, row: f64, groups: &[(u32, u32)]) -> Grid<'a> {
        Grid {
            ws,
            widths: [10.0; 9],
            heights: vec![row; rows],
            indicator: None,
            cut: Vec::new(),
            downs: groups
                .iter()
                .map(|&(first, last)| Down {
                    first,
                    last,
                    col: 2,
                    text: "g".into(),
                    format: Format::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_project_code_that_starts_with_digits_is_not_read_as_the_font_size() {
        // "&8" + "2023-SL-017" was the size code &82023: the footer printed "-SL-017"
        assert_eq!(
            footer("2023-SL-017", "rural-water-2023"),
            "&L&8 2023-SL-017 rural-water-2023&R&8 第 &P 页，共 &N 页"
        );
        // an ampersand of the code is doubled, not taken for a code
        assert!(footer("A&B", "s").starts_with("&L&8 A&&B s"));
    }

    #[test]
    fn pages_break_before_a_group_the_page_would_cut() {
        let mut ws = Worksheet::new();
        // a page: (8.27 − 1.2) × 72 = 509.04 pt, less a line of 14 = 495.04 pt; rows of 30
        // pt: 16 rows (480) fit, the 17th (510) does not: a plain break before row 16
        let g = grid(&mut ws, 40, 30.0, &[]);
        assert_eq!(g.page_breaks(0), [16, 31]);
        // (the second page repeats row 0: 30 + rows 16–30, 15 × 30 = 480; row 31 would be 510)
        // with a group over rows 14–18, the break moves back to its first row, 14
        let g = grid(&mut ws, 40, 30.0, &[(14, 18)]);
        assert_eq!(g.page_breaks(0)[0], 14);
    }

    #[test]
    fn formula_text_is_neutralised() {
        // the CSV output's rule, shared: a leading ' for = + - @ tab CR
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "＝HYPERLINK(\"x\")");
        assert_eq!(neutralise("≥120件"), "≥120件");
        assert_eq!(neutralise("达成年度指标"), "达成年度指标");
    }

    #[test]
    fn chinese_text_is_measured_double_width() {
        // 预算执行率 = 5 CJK characters = 10 columns: 10 × 1.1 + 2 = 13
        assert!((width("预算执行率") - 13.0).abs() < 1e-9);
        // 20 CJK characters (40 columns) in a 24-wide cell (23 usable): 2 lines
        assert_eq!(lines(&"宣".repeat(20), 24.0), 2);
        assert_eq!(lines("项目名称", 10.0), 1);
        assert_eq!(lines("a\nb", 24.0), 2);
    }

    #[test]
    fn sources_map_to_the_form_rows() {
        assert_eq!(source_row("当年财政拨款"), SourceRow::Current);
        assert_eq!(source_row("上年结转"), SourceRow::CarriedOver);
        assert_eq!(source_row("上年结转资金"), SourceRow::CarriedOver);
        assert_eq!(source_row("社会捐赠"), SourceRow::Other);
    }
}
