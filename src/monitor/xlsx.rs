//! The 项目支出绩效目标执行监控表 as an Excel workbook: the project, the budget block
//! (年初预算数, 调整后预算数, 1–X月执行数, 执行率, 序时进度, 全年预计执行数, the budget light),
//! one row per indicator (年度指标值, 1–X月实际完成值, 全年预计完成值, 偏差原因分析 with
//! the five causes, 完成目标可能性, 备注, the light), then the goal and combined lights,
//! 是否需要整改 and 整改措施.
//!
//! Every light is a cell filled with its colour AND holding its word (红灯, 黄灯, 绿灯,
//! 蓝灯), so the form reads the same printed in black and white. Text is neutralised against
//! formulas and cut to what a cell holds (the cut cells are returned, to be said). Eleven
//! columns, A to K:
//!
//! | Block | A | B | C | D | E | F | G | H | I | J | K |
//! |---|---|---|---|---|---|---|---|---|---|---|---|
//! | budget | 年初预算数 | 调整后预算数 | 1–X月执行数 | 执行率 | 序时进度 | 执行率÷序时进度×100 | 全年预计执行数 | 预算执行预警 | | | |
//! | indicators | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 1–X月实际完成值 | 序时应完成 | 完成比 | 预警 | 全年预计完成值 | 偏差原因分析 | 完成目标可能性 / 备注 |
//! | lights | 目标预警 (A:B) | | light | 综合预警 (D:E) | | light | 是否需要整改 (G:H) | | 是/否 | | |
//! | actions | 整改措施 (A:B) | | each indicator's, then the project's (C:K) | | | | | | | | |

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::render::{expected_text, no_light_text, quantity};
use super::{IndicatorStatus, Kind, Light, Monitor, ProjectionSource};
use crate::decimal::{plain, round_half_up};
use crate::i18n::Lang;
use crate::report::csv::neutralise;
use crate::report::xlsx::{CELL_CHARS, lines};

/// What replaces the end of a text too long for a cell.
const CUT_MARK: &str = "……（超出 Excel 单元格 32767 字符上限，以下从略）";

/// The sheet's name.
pub const SHEET: &str = "绩效目标执行监控表";

/// The fill of a light's cell.
pub fn light_color(light: Light) -> u32 {
    match light {
        Light::Red => 0xFF_6B_6B,
        Light::Yellow => 0xFF_E0_66,
        Light::Green => 0x7E_D3_21,
        Light::Blue => 0x6F_A8_DC,
    }
}

/// A rounded decimal as the file's number, through its text.
fn number(d: Decimal) -> f64 {
    plain(round_half_up(d, 4)).parse().unwrap_or(0.0)
}

/// The widths of columns A to K, in characters.
const WIDTHS: [f64; 11] = [
    10.0, 12.0, 20.0, 14.0, 18.0, 12.0, 10.0, 10.0, 18.0, 30.0, 18.0,
];

/// Points per wrapped line of the body font (宋体 10.5).
const LINE_HEIGHT: f64 = 14.0;

/// A target as the form prints it: `= 0 件` with the full-width ＝ Chinese forms use (no
/// spreadsheet takes it for a formula).
fn form_target(text: &str) -> String {
    match text.strip_prefix('=') {
        Some(rest) => format!("＝{rest}"),
        None => text.to_string(),
    }
}

/// The sheet being written: each row as high as its wrapped text needs, and the cells
/// whose text was cut to what a cell holds.
struct Grid<'a> {
    ws: &'a mut Worksheet,
    heights: Vec<f64>,
    cut: Vec<String>,
}

impl Grid<'_> {
    /// Text in a cell (or, with `to`, a merged range of one row): neutralised against
    /// formulas, cut to [`CELL_CHARS`] (noted), its row made high enough.
    fn text(
        &mut self,
        row: u32,
        col: u16,
        to: Option<u16>,
        text: &str,
        f: &Format,
    ) -> Result<(), XlsxError> {
        let mut text = neutralise(text);
        let chars = text.chars().count();
        if chars > CELL_CHARS {
            self.cut
                .push(format!("{}{}", (b'A' + col as u8) as char, row + 1));
            let keep = CELL_CHARS - CUT_MARK.chars().count();
            let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
            text = format!("{}{CUT_MARK}", &text[..end]);
        }
        let last = to.unwrap_or(col);
        let width: f64 = WIDTHS[col as usize..=last as usize].iter().sum();
        let r = row as usize;
        if self.heights.len() <= r {
            self.heights.resize(r + 1, 0.0);
        }
        let need = lines(&text, width) as f64 * LINE_HEIGHT + 4.0;
        self.heights[r] = self.heights[r].max(need);
        match to {
            Some(to) if to != col => {
                self.ws.merge_range(row, col, row, to, &text, f)?;
            }
            _ => {
                self.ws.write_string_with_format(row, col, &text, f)?;
            }
        }
        Ok(())
    }

    fn number(&mut self, row: u32, col: u16, value: Decimal, f: &Format) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(row, col, number(value), f)?;
        Ok(())
    }

    /// A light: its colour and its word; "暂无数据" without one.
    fn light(
        &mut self,
        row: u32,
        col: u16,
        light: Option<Light>,
        f: &Formats,
    ) -> Result<(), XlsxError> {
        match light {
            Some(l) => self.text(row, col, None, l.zh(), &f.light(l)),
            None => self.text(row, col, None, "暂无数据", &f.center),
        }
    }
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    center: Format,
    money: Format,
    rate: Format,
    ratio: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_font_name("宋体")
            .set_font_size(10.5)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap()
            .set_border(FormatBorder::Thin);
        let center = cell.clone().set_align(FormatAlign::Center);
        Formats {
            title: Format::new()
                .set_font_name("黑体")
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center),
            header: center.clone().set_bold(),
            text: cell.clone().set_align(FormatAlign::Left),
            money: cell
                .clone()
                .set_align(FormatAlign::Right)
                .set_num_format("#,##0.00"),
            rate: center.clone().set_num_format("0.00%"),
            ratio: center.clone().set_num_format("0.00"),
            center,
        }
    }

    /// A light's cell: its colour, its word in bold.
    fn light(&self, light: Light) -> Format {
        self.center
            .clone()
            .set_bold()
            .set_background_color(Color::RGB(light_color(light)))
    }
}

/// The workbook's bytes, and the cells whose text was cut to what a cell holds.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub cut: Vec<String>,
}

/// The workbook.
pub fn render(m: &Monitor) -> Result<Rendered, XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(SHEET)?;
    let cut = write_sheet(m, ws)?;
    Ok(Rendered {
        bytes: workbook.save_to_buffer()?,
        cut,
    })
}

fn write_sheet(m: &Monitor, ws: &mut Worksheet) -> Result<Vec<String>, XlsxError> {
    let f = Formats::new();
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let mut g = Grid {
        ws,
        heights: Vec::new(),
        cut: Vec::new(),
    };
    g.ws.merge_range(0, 0, 0, 10, "项目支出绩效目标执行监控表", &f.title)?;
    g.ws.set_row_height(0, 28.0)?;
    let p = &m.project;
    g.text(
        1,
        0,
        Some(10),
        &format!("（{}年度，数据截至 {}）", p.year, m.as_of),
        &f.center,
    )?;
    g.text(2, 0, None, "项目名称", &f.header)?;
    g.text(2, 1, Some(2), &p.name, &f.text)?;
    g.text(2, 3, None, "项目编码", &f.header)?;
    g.text(2, 4, None, &p.id, &f.text)?;
    g.text(2, 5, None, "主管部门", &f.header)?;
    g.text(
        2,
        6,
        Some(8),
        p.department.as_deref().unwrap_or(""),
        &f.text,
    )?;
    g.text(2, 9, None, "实施单位", &f.header)?;
    g.text(2, 10, None, p.unit.as_deref().unwrap_or(""), &f.text)?;
    budget_block(m, &mut g, &f, 4)?;
    let last = indicator_block(m, &mut g, &f, 7)?;
    lights_block(m, &mut g, &f, last + 1)?;
    for (r, h) in g.heights.iter().enumerate() {
        if *h > 0.0 && r > 0 {
            g.ws.set_row_height(r as u32, *h)?;
        }
    }
    g.ws.set_landscape();
    g.ws.set_paper_size(9);
    g.ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    g.ws.set_print_fit_to_pages(1, 0);
    Ok(g.cut)
}

fn budget_block(m: &Monitor, g: &mut Grid<'_>, f: &Formats, top: u32) -> Result<(), XlsxError> {
    let b = &m.budget;
    let spent_label = format!("1–{}月执行数（元）", m.months);
    // the narrow columns break before （元）, not inside it (as the 自评表's 项目资金\n（万元）)
    let headers = [
        "年初预算数\n（元）",
        "调整后预算数\n（元）",
        spent_label.as_str(),
        "执行率",
        "序时进度",
        "执行率÷序时进度×100",
        "全年预计\n执行数\n（元）",
        "预算执行预警",
    ];
    for (c, h) in headers.iter().enumerate() {
        g.text(top, c as u16, None, h, &f.header)?;
    }
    g.text(top, 8, Some(10), "说明", &f.header)?;
    let row = top + 1;
    g.number(row, 0, b.initial_budget, &f.money)?;
    g.number(row, 1, b.adjusted_budget, &f.money)?;
    g.number(row, 2, b.spent, &f.money)?;
    match m.execution_rate {
        Some(r) => g.number(row, 3, r, &f.rate)?,
        None => g.text(row, 3, None, "—", &f.center)?,
    }
    g.number(row, 4, m.time_progress, &f.rate)?;
    match m.budget_ratio {
        Some(r) => g.number(row, 5, r, &f.ratio)?,
        None => g.text(row, 5, None, "—", &f.center)?,
    }
    match b.projected {
        Some(p) => g.number(row, 6, p.value, &f.money)?,
        None => g.text(row, 6, None, "", &f.center)?,
    }
    g.light(row, 7, m.budget_light, f)?;
    let mut note = format!(
        "序时进度 {}；执行率 = 1–{}月执行数 ÷ {}",
        super::rules::time_formula(m.as_of, m.profile.time_progress),
        m.months,
        b.denominator.zh()
    );
    if b.rows_after > 0 {
        note.push_str(&format!(
            "；{} 之后的 {} 笔支出未计入",
            m.as_of, b.rows_after
        ));
    }
    if b.projected
        .is_some_and(|p| p.source == ProjectionSource::RunRate)
    {
        note.push_str("；全年预计执行数按序时进度推算");
    }
    if !m.causes.is_empty() || m.reason.is_some() {
        let causes: Vec<&str> = m.causes.iter().map(|c| c.zh()).collect();
        let joint = if causes.is_empty() || m.reason.is_none() {
            ""
        } else {
            "："
        };
        note.push_str(&format!(
            "；偏差原因：{}{joint}{}",
            causes.join("、"),
            m.reason.as_deref().unwrap_or("")
        ));
    }
    g.text(row, 8, Some(10), &note, &f.text)
}

fn indicator_block(m: &Monitor, g: &mut Grid<'_>, f: &Formats, top: u32) -> Result<u32, XlsxError> {
    let actual_label = format!("1–{}月实际完成值", m.months);
    let headers = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        actual_label.as_str(),
        "序时应完成",
        "完成比",
        "预警",
        "全年预计完成值",
        "偏差原因分析（经费保障/制度保障/人员保障/硬件条件保障/其他）",
        "完成目标可能性 / 备注",
    ];
    for (c, h) in headers.iter().enumerate() {
        g.text(top, c as u16, None, h, &f.header)?;
    }
    let as_of = m.as_of.to_string();
    let mut row = top;
    for i in &m.indicators {
        row += 1;
        indicator_row(g, f, row, i, &as_of)?;
    }
    Ok(row)
}

fn indicator_row(
    g: &mut Grid<'_>,
    f: &Formats,
    row: u32,
    i: &IndicatorStatus,
    as_of: &str,
) -> Result<(), XlsxError> {
    let dimension = match i.dimension {
        crate::scheme::DimensionKind::Output => "产出指标",
        crate::scheme::DimensionKind::Benefit => "效益指标",
        other => other.zh(),
    };
    g.text(row, 0, None, dimension, &f.center)?;
    g.text(row, 1, None, &i.group, &f.center)?;
    g.text(row, 2, None, &format!("{} {}", i.id, i.name), &f.text)?;
    g.text(row, 3, None, &form_target(&i.target_text), &f.center)?;
    let actual = match (i.actual, i.tier) {
        (Some(v), _) => quantity(v, &i.unit),
        (None, Some(t)) => t.zh().to_string(),
        (None, None) => i
            .no_light
            .as_ref()
            .map(|n| no_light_text(n, as_of, Lang::Zh))
            .unwrap_or_default(),
    };
    g.text(row, 4, None, &actual, &f.center)?;
    let expected = match (i.kind, i.expected) {
        (Kind::Positive, Some(e)) => expected_text(e, &i.unit),
        (Kind::Reverse, Some(e)) => format!("≤{}", quantity(e, &i.unit)),
        (Kind::EqualZero, _) => "＝0".to_string(),
        _ => String::new(),
    };
    g.text(row, 5, None, &expected, &f.center)?;
    match i.ratio {
        Some(r) => g.number(row, 6, r, &f.ratio)?,
        None => g.text(row, 6, None, "", &f.center)?,
    }
    g.light(row, 7, i.light, f)?;
    let projected = i
        .projected
        .map(|p| {
            let how = match p.source {
                ProjectionSource::Given => "",
                ProjectionSource::RunRate => "（按序时进度推算）",
                ProjectionSource::AsItStands => "（按当前值）",
            };
            format!("{}{how}", quantity(p.value, &i.unit))
        })
        .unwrap_or_default();
    g.text(row, 8, None, &projected, &f.center)?;
    let causes: Vec<&str> = i.causes.iter().map(|c| c.zh()).collect();
    let mut why = causes.join("、");
    if let Some(r) = &i.reason {
        if !why.is_empty() {
            why.push('：');
        }
        why.push_str(r);
    }
    g.text(row, 9, None, &why, &f.text)?;
    // the officer's word, else the projection's (in brackets), as in the table
    let mut last = super::render::likelihood_text(i, Lang::Zh);
    if let Some(n) = &i.note {
        if !last.is_empty() {
            last.push('；');
        }
        last.push_str(n);
    }
    g.text(row, 10, None, &last, &f.text)
}

fn lights_block(m: &Monitor, g: &mut Grid<'_>, f: &Formats, top: u32) -> Result<(), XlsxError> {
    g.text(top, 0, Some(1), "目标预警", &f.header)?;
    g.light(top, 2, m.goal_light, f)?;
    g.text(top, 3, Some(4), "综合预警", &f.header)?;
    g.light(top, 5, m.combined_light, f)?;
    let actions: Vec<String> = m
        .indicators
        .iter()
        .filter_map(|i| i.action.as_ref().map(|a| format!("{}：{a}", i.id)))
        .chain(m.action.clone())
        .collect();
    let needed = matches!(m.combined_light, Some(Light::Red | Light::Yellow))
        || matches!(m.goal_light, Some(Light::Red | Light::Yellow));
    g.text(top, 6, Some(7), "是否需要整改", &f.header)?;
    g.text(top, 8, None, if needed { "是" } else { "否" }, &f.center)?;
    g.text(top + 1, 0, Some(1), "整改措施", &f.header)?;
    g.text(top + 1, 2, Some(10), &actions.join("\n"), &f.text)
}
