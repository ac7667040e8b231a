//! The 项目支出绩效目标执行监控表 as an Excel workbook: the project, the budget block
//! (年初预算数, 调整后预算数, 1–X月执行数, 执行率, 序时进度, 全年预计执行数, the budget light),
//! one row per indicator (年度指标值, 1–X月实际完成值, 全年预计完成值, 偏差原因分析 with
//! the five causes, 完成目标可能性, 备注, the light), then the goal and combined lights,
//! 是否需要整改 and 整改措施.
//!
//! Every light is a cell filled with its colour AND holding its word (红灯, 黄灯, 绿灯,
//! 蓝灯), so the form reads the same printed in black and white. Eleven columns, A to K:
//!
//! | Block | A | B | C | D | E | F | G | H | I | J | K |
//! |---|---|---|---|---|---|---|---|---|---|---|---|
//! | budget | 年初预算数 | 调整后预算数 | 1–X月执行数 | 执行率 | 序时进度 | 执行率÷序时进度×100 | 全年预计执行数 | 预算执行预警 | | | |
//! | indicators | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 1–X月实际完成值 | 序时应完成 | 完成比 | 预警 | 全年预计完成值 | 偏差原因分析 | 完成目标可能性 / 备注 |

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::render::{expected_text, no_light_text, quantity};
use super::{IndicatorStatus, Light, Monitor, ProjectionSource};
use crate::decimal::{plain, round_half_up};
use crate::i18n::Lang;
use crate::report::csv::neutralise;

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

/// The workbook's bytes.
pub fn render(m: &Monitor) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(SHEET)?;
    write_sheet(m, ws)?;
    workbook.save_to_buffer()
}

fn write_light(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    col: u16,
    light: Option<Light>,
) -> Result<(), XlsxError> {
    match light {
        Some(l) => ws.write_string_with_format(row, col, l.zh(), &f.light(l))?,
        None => ws.write_string_with_format(row, col, "暂无数据", &f.center)?,
    };
    Ok(())
}

fn write_sheet(m: &Monitor, ws: &mut Worksheet) -> Result<(), XlsxError> {
    let f = Formats::new();
    for (c, w) in [
        10.0, 12.0, 20.0, 14.0, 18.0, 12.0, 10.0, 10.0, 18.0, 30.0, 18.0,
    ]
    .iter()
    .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, 10, "项目支出绩效目标执行监控表", &f.title)?;
    let p = &m.project;
    ws.merge_range(
        1,
        0,
        1,
        10,
        &format!("（{}年度，数据截至 {}）", p.year, m.as_of),
        &f.center,
    )?;
    let head = [
        ("项目名称", neutralise(&p.name)),
        ("项目编码", neutralise(&p.id)),
        (
            "主管部门",
            neutralise(p.department.as_deref().unwrap_or("")),
        ),
        ("实施单位", neutralise(p.unit.as_deref().unwrap_or(""))),
    ];
    ws.write_string_with_format(2, 0, head[0].0, &f.header)?;
    ws.merge_range(2, 1, 2, 2, &head[0].1, &f.text)?;
    ws.write_string_with_format(2, 3, head[1].0, &f.header)?;
    ws.write_string_with_format(2, 4, &head[1].1, &f.text)?;
    ws.write_string_with_format(2, 5, head[2].0, &f.header)?;
    ws.merge_range(2, 6, 2, 8, &head[2].1, &f.text)?;
    ws.write_string_with_format(2, 9, head[3].0, &f.header)?;
    ws.write_string_with_format(2, 10, &head[3].1, &f.text)?;
    budget_block(m, ws, &f, 4)?;
    let last = indicator_block(m, ws, &f, 7)?;
    lights_block(m, ws, &f, last + 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn budget_block(m: &Monitor, ws: &mut Worksheet, f: &Formats, top: u32) -> Result<(), XlsxError> {
    let b = &m.budget;
    let spent_label = format!("1–{}月执行数（元）", m.months);
    let headers = [
        "年初预算数（元）",
        "调整后预算数（元）",
        spent_label.as_str(),
        "执行率",
        "序时进度",
        "执行率÷序时进度×100",
        "全年预计执行数（元）",
        "预算执行预警",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &f.header)?;
    }
    ws.merge_range(top, 8, top, 10, "说明", &f.header)?;
    let row = top + 1;
    ws.write_number_with_format(row, 0, number(b.initial_budget), &f.money)?;
    ws.write_number_with_format(row, 1, number(b.adjusted_budget), &f.money)?;
    ws.write_number_with_format(row, 2, number(b.spent), &f.money)?;
    match m.execution_rate {
        Some(r) => ws.write_number_with_format(row, 3, number(r), &f.rate)?,
        None => ws.write_string_with_format(row, 3, "—", &f.center)?,
    };
    ws.write_number_with_format(row, 4, number(m.time_progress), &f.rate)?;
    match m.budget_ratio {
        Some(r) => ws.write_number_with_format(row, 5, number(r), &f.ratio)?,
        None => ws.write_string_with_format(row, 5, "—", &f.center)?,
    };
    match b.projected {
        Some(p) => ws.write_number_with_format(row, 6, number(p.value), &f.money)?,
        None => ws.write_string_with_format(row, 6, "", &f.center)?,
    };
    write_light(ws, f, row, 7, m.budget_light)?;
    let mut note = format!(
        "序时进度 {}/12；执行率 = 1–{}月执行数 ÷ {}",
        m.months,
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
    ws.merge_range(row, 8, row, 10, &note, &f.text)?;
    Ok(())
}

fn indicator_block(
    m: &Monitor,
    ws: &mut Worksheet,
    f: &Formats,
    top: u32,
) -> Result<u32, XlsxError> {
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
        ws.write_string_with_format(top, c as u16, *h, &f.header)?;
    }
    let as_of = m.as_of.to_string();
    let mut row = top;
    for i in &m.indicators {
        row += 1;
        indicator_row(ws, f, row, i, &as_of)?;
    }
    Ok(row)
}

fn indicator_row(
    ws: &mut Worksheet,
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
    ws.write_string_with_format(row, 0, dimension, &f.center)?;
    ws.write_string_with_format(row, 1, neutralise(&i.group), &f.center)?;
    ws.write_string_with_format(row, 2, neutralise(&format!("{} {}", i.id, i.name)), &f.text)?;
    ws.write_string_with_format(row, 3, neutralise(&i.target_text), &f.center)?;
    let actual = match (i.actual, i.tier) {
        (Some(v), _) => quantity(v, &i.unit),
        (None, Some(t)) => t.zh().to_string(),
        (None, None) => i
            .no_light
            .as_ref()
            .map(|n| no_light_text(n, as_of, Lang::Zh))
            .unwrap_or_default(),
    };
    ws.write_string_with_format(row, 4, neutralise(&actual), &f.center)?;
    let expected = i
        .expected
        .map(|e| expected_text(e, &i.unit))
        .unwrap_or_default();
    ws.write_string_with_format(row, 5, &expected, &f.center)?;
    match i.ratio {
        Some(r) => ws.write_number_with_format(row, 6, number(r), &f.ratio)?,
        None => ws.write_string_with_format(row, 6, "", &f.center)?,
    };
    write_light(ws, f, row, 7, i.light)?;
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
    ws.write_string_with_format(row, 8, &projected, &f.center)?;
    let causes: Vec<&str> = i.causes.iter().map(|c| c.zh()).collect();
    let mut why = causes.join("、");
    if let Some(r) = &i.reason {
        if !why.is_empty() {
            why.push('：');
        }
        why.push_str(r);
    }
    ws.write_string_with_format(row, 9, neutralise(&why), &f.text)?;
    let mut last = i.likelihood.map(|l| l.zh().to_string()).unwrap_or_default();
    if let Some(n) = &i.note {
        if !last.is_empty() {
            last.push('；');
        }
        last.push_str(n);
    }
    ws.write_string_with_format(row, 10, neutralise(&last), &f.text)?;
    Ok(())
}

fn lights_block(m: &Monitor, ws: &mut Worksheet, f: &Formats, top: u32) -> Result<(), XlsxError> {
    ws.merge_range(top, 0, top, 1, "目标预警", &f.header)?;
    write_light(ws, f, top, 2, m.goal_light)?;
    ws.merge_range(top, 3, top, 4, "综合预警", &f.header)?;
    write_light(ws, f, top, 5, m.combined_light)?;
    let actions: Vec<String> = m
        .indicators
        .iter()
        .filter_map(|i| i.action.as_ref().map(|a| format!("{}：{a}", i.id)))
        .chain(m.action.clone())
        .collect();
    let needed = matches!(m.combined_light, Some(Light::Red | Light::Yellow))
        || matches!(m.goal_light, Some(Light::Red | Light::Yellow));
    ws.merge_range(top, 6, top, 7, "是否需要整改", &f.header)?;
    ws.write_string_with_format(top, 8, if needed { "是" } else { "否" }, &f.center)?;
    ws.write_string_with_format(top, 9, "整改措施", &f.header)?;
    ws.write_string_with_format(top, 10, neutralise(&actions.join("；")), &f.text)?;
    Ok(())
}
