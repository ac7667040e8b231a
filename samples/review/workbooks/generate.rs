//! Writes the workbooks of `samples/review/workbooks/`: three 项目支出绩效自评表 as
//! departments send them, with invented projects and figures, one per accepted layout —
//!
//! - `official-10-90.xlsx`: the official form as `jixiao export --xlsx` writes it (预算执行率
//!   10 in the funds row, the indicators 90), merged cells, numbers with their formats;
//! - `units-and-directions.xlsx`: a provincial variant with 指标性质 and 度量单位 columns
//!   (bare targets `1200` beside 正向 and 人次), amounts in 元, no merged cells;
//! - `template-20-80.xlsx`: the 20 + 80 template (预算执行率 20 = 20 × 执行率), headers
//!   `年度指标值（A）` and `实际完成值（B）`, a 填表说明 sheet before the form, notes below it.
//!
//! Each holds a few planted errors, worked out by hand in the test that reads it
//! (`tests/integration/review_workbook.rs`).
//!
//! ```sh
//! cargo run --example review-workbooks-sample
//! ```
//!
//! The output is deterministic; the test regenerates it and checks that the committed
//! files are current.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::error::Error;
use std::path::Path;

/// A workbook with fixed document properties, so that the bytes do not change between runs.
fn workbook() -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2024, 3, 15)?;
    book.set_properties(
        &DocProperties::new()
            .set_author("jixiao samples")
            .set_creation_datetime(&created),
    );
    Ok(book)
}

/// A cell's value: text, or a number with its number format.
#[derive(Clone, Copy)]
enum V {
    T(&'static str),
    N(f64, &'static str),
    /// Nothing written (a blank cell of the form).
    Blank,
}

use V::{Blank, N, T};

/// The sheet being written, with one cell format (宋体, thin borders).
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    cell: Format,
}

impl Sheet<'_> {
    fn put(&mut self, row: u32, col: u16, v: V) -> Result<(), XlsxError> {
        match v {
            T(t) => self.ws.write_string_with_format(row, col, t, &self.cell)?,
            N(n, code) => {
                let f = self.cell.clone().set_num_format(code);
                self.ws.write_number_with_format(row, col, n, &f)?
            }
            Blank => self.ws.write_blank(row, col, &self.cell)?,
        };
        Ok(())
    }

    /// A row of values from column `first` on.
    fn row(&mut self, row: u32, first: u16, values: &[V]) -> Result<(), XlsxError> {
        for (i, v) in values.iter().enumerate() {
            self.put(row, first + i as u16, *v)?;
        }
        Ok(())
    }

    /// Text merged over `first..=last` of one row, or down `first_row..=last_row`.
    fn merge(&mut self, rows: (u32, u32), cols: (u16, u16), text: &str) -> Result<(), XlsxError> {
        self.ws
            .merge_range(rows.0, cols.0, rows.1, cols.1, text, &self.cell)?;
        Ok(())
    }
}

fn sheet(ws: &mut Worksheet) -> Sheet<'_> {
    let cell = Format::new()
        .set_font_name("宋体")
        .set_font_size(10.5)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    Sheet { ws, cell }
}

const WAN: &str = "#,##0.00####";
const RATE: &str = "0.00%";
const SCORE: &str = "0.00";
const GENERAL: &str = "General";

/// Title, year and the project rows (1–4) of the official form.
fn form_header(
    s: &mut Sheet,
    project: &str,
    department: &str,
    unit: &str,
) -> Result<(), XlsxError> {
    s.merge((0, 0), (0, 8), "项目支出绩效自评表")?;
    s.merge((1, 1), (0, 8), "（2023年度）")?;
    s.put(2, 0, T("项目名称"))?;
    s.merge((2, 2), (1, 8), project)?;
    s.put(3, 0, T("主管部门"))?;
    s.merge((3, 3), (1, 3), department)?;
    s.put(3, 4, T("实施单位"))?;
    s.merge((3, 3), (5, 8), unit)?;
    Ok(())
}

/// The funds block's header (row 5) and its rows below, the labels merged over B:C.
fn funds_block(s: &mut Sheet, rows: &[(&str, [V; 6])]) -> Result<(), XlsxError> {
    s.merge((4, 4 + rows.len() as u32), (0, 0), "项目资金\n（万元）")?;
    s.merge((4, 4), (1, 2), "")?;
    s.row(
        4,
        3,
        &[
            T("年初预算数"),
            T("全年预算数"),
            T("全年执行数"),
            T("分值"),
            T("执行率"),
            T("得分"),
        ],
    )?;
    for (i, (label, values)) in rows.iter().enumerate() {
        let r = 5 + i as u32;
        s.merge((r, r), (1, 2), label)?;
        s.row(r, 3, values)?;
    }
    Ok(())
}

/// 年度总体目标 at `row` (two rows), then the 绩效指标 header with its target and actual
/// labels.
fn goals_and_header(
    s: &mut Sheet,
    row: u32,
    goals: (&str, &str),
    labels: (&'static str, &'static str),
) -> Result<(), XlsxError> {
    s.merge((row, row + 1), (0, 0), "年度总体\n目标")?;
    s.merge((row, row), (1, 4), "预期目标")?;
    s.merge((row, row), (5, 8), "实际完成情况")?;
    s.merge((row + 1, row + 1), (1, 4), goals.0)?;
    s.merge((row + 1, row + 1), (5, 8), goals.1)?;
    s.row(
        row + 2,
        1,
        &[
            T("一级指标"),
            T("二级指标"),
            T("三级指标"),
            T(labels.0),
            T(labels.1),
            T("分值"),
            T("得分"),
            T("偏差原因分析及改进措施"),
        ],
    )
}

/// The indicator rows from `row` on (D:I): name, target, actual, 分值, 得分, reason.
fn indicator_rows(
    s: &mut Sheet,
    row: u32,
    rows: &[(&'static str, V, V, f64, f64, &'static str)],
) -> Result<(), XlsxError> {
    for (i, (name, target, actual, weight, score, reason)) in rows.iter().enumerate() {
        s.row(
            row + i as u32,
            3,
            &[
                T(name),
                *target,
                *actual,
                N(*weight, GENERAL),
                N(*score, SCORE),
                T(reason),
            ],
        )?;
    }
    Ok(())
}

/// 总分 (分值, 得分) at `row` and 评价等级 below it.
fn total_and_grade(s: &mut Sheet, row: u32, score: f64, grade: &str) -> Result<(), XlsxError> {
    s.merge((row, row), (0, 5), "总分")?;
    s.row(row, 6, &[N(100.0, GENERAL), N(score, SCORE), Blank])?;
    s.merge((row + 1, row + 1), (0, 5), "评价等级")?;
    s.merge((row + 1, row + 1), (6, 8), grade)
}

/// The official form (10 + 90), as `jixiao export --xlsx` lays it out.
///
/// Funds (万元): 72.6 / 80 = 90.75%; 90.75% × 10 = 9.075 → 9.08. 其中 60 + 20 = 80 and
/// 55.1 + 17.5 = 72.6; 55.1 / 60 = 91.83%, 17.5 / 20 = 87.50%.
/// Planted: 维修及时率 88% of ≥90%, 88 / 90 × 5 = 4.888… → 4.89, printed 4.88 (cut off,
/// JX2002); 工程长效管护机制 13 of 15 with its 偏差原因 empty (JX2010).
/// 总分 9.08 + (20 + 9.50 + 10 + 4.88 + 5) + (15 + 13) + 10 = 96.46, as printed.
fn official(path: &Path) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let ws = book.add_worksheet();
    ws.set_name("项目支出绩效自评表")?;
    for (c, w) in [10, 12, 12, 16, 12, 12, 7, 9, 24].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let mut s = sheet(ws);
    form_header(
        &mut s,
        "农村饮水安全工程维修养护",
        "某县水利局",
        "某县农村供水管理站",
    )?;
    let dash = T("—");
    funds_block(
        &mut s,
        &[
            (
                "年度资金总额",
                [
                    N(80.0, WAN),
                    N(80.0, WAN),
                    N(72.6, WAN),
                    N(10.0, GENERAL),
                    N(0.9075, RATE),
                    N(9.08, SCORE),
                ],
            ),
            (
                "其中：当年财政拨款",
                [
                    N(60.0, WAN),
                    N(60.0, WAN),
                    N(55.1, WAN),
                    dash,
                    N(0.9183, RATE),
                    dash,
                ],
            ),
            (
                "上年结转资金",
                [
                    N(20.0, WAN),
                    N(20.0, WAN),
                    N(17.5, WAN),
                    dash,
                    N(0.875, RATE),
                    dash,
                ],
            ),
            ("其他资金", [Blank, Blank, Blank, dash, Blank, dash]),
        ],
    )?;
    goals_and_header(
        &mut s,
        9,
        (
            "完成全县农村供水工程维修养护，保障水质安全达标。",
            "维修养护126处，水质达标率96.2%。",
        ),
        ("年度指标值", "实际完成值"),
    )?;
    indicator_rows(
        &mut s,
        12,
        &[
            (
                "维修养护供水工程",
                T("≥120处"),
                N(126.0, "0\"处\""),
                20.0,
                20.0,
                "",
            ),
            (
                "水质检测",
                T("≥240次"),
                N(228.0, "0\"次\""),
                10.0,
                9.5,
                "部分乡镇冬季停检",
            ),
            ("水质达标率", T("≥95%"), N(0.962, RATE), 10.0, 10.0, ""),
            (
                "维修及时率",
                T("≥90%"),
                N(0.88, RATE),
                5.0,
                4.88,
                "汛期道路中断，部分报修延误",
            ),
            (
                "单处维修成本",
                T("≤5000元/处"),
                N(4620.0, "0.00\"元/处\""),
                5.0,
                5.0,
                "",
            ),
            (
                "受益人口",
                T("≥32000人"),
                N(33500.0, "0\"人\""),
                15.0,
                15.0,
                "",
            ),
            (
                "工程长效管护机制",
                T("建立并运行"),
                T("达成年度指标"),
                15.0,
                13.0,
                "",
            ),
            ("受益群众满意度", T("≥90%"), N(0.93, RATE), 10.0, 10.0, ""),
        ],
    )?;
    // 一级 and 二级 merged down their rows (a group of one row is a plain cell)
    s.merge((12, 16), (1, 1), "产出指标（50分）")?;
    s.merge((12, 13), (2, 2), "数量指标")?;
    s.put(14, 2, T("质量指标"))?;
    s.put(15, 2, T("时效指标"))?;
    s.put(16, 2, T("成本指标"))?;
    s.merge((17, 18), (1, 1), "效益指标（30分）")?;
    s.put(17, 2, T("社会效益指标"))?;
    s.put(18, 2, T("可持续影响指标"))?;
    s.put(19, 1, T("满意度指标（10分）"))?;
    s.put(19, 2, T("服务对象满意度指标"))?;
    s.merge((11, 19), (0, 0), "绩效指标")?;
    total_and_grade(&mut s, 20, 96.46, "优")?;
    s.merge(
        (22, 22),
        (0, 8),
        "填表人：                    联系电话：                    填报日期：",
    )?;
    book.save(path)
}

/// The rows of `units-and-directions.xlsx`: 一级, 二级, 三级, 指标性质, 年度指标值, 度量单位,
/// 实际完成值, 分值, 得分, 偏差原因.
const UNITS_ROWS: [[V; 10]; 8] = [
    [
        T("产出指标（50分）"),
        T("数量指标"),
        T("培训人次"),
        T("正向"),
        N(1200.0, GENERAL),
        T("人次"),
        N(1236.0, GENERAL),
        N(20.0, GENERAL),
        N(20.0, SCORE),
        Blank,
    ],
    [
        T("产出指标（50分）"),
        T("数量指标"),
        T("取证人数"),
        T("正向"),
        N(900.0, GENERAL),
        T("人"),
        N(846.0, GENERAL),
        N(10.0, GENERAL),
        N(9.4, SCORE),
        T("部分学员未参加鉴定考试"),
    ],
    [
        T("产出指标（50分）"),
        T("质量指标"),
        T("培训合格率"),
        T("正向"),
        N(90.0, GENERAL),
        T("%"),
        N(94.5, GENERAL),
        N(10.0, GENERAL),
        N(10.0, SCORE),
        Blank,
    ],
    [
        T("产出指标（50分）"),
        T("时效指标"),
        T("补贴发放及时率"),
        T("正向"),
        N(100.0, GENERAL),
        T("%"),
        N(100.0, GENERAL),
        N(5.0, GENERAL),
        N(5.0, SCORE),
        Blank,
    ],
    [
        T("产出指标（50分）"),
        T("成本指标"),
        T("人均培训成本"),
        T("反向"),
        N(400.0, GENERAL),
        T("元/人"),
        N(356.8, GENERAL),
        N(5.0, GENERAL),
        N(5.0, SCORE),
        Blank,
    ],
    [
        T("效益指标（30分）"),
        T("社会效益指标"),
        T("培训后就业率"),
        T("正向"),
        N(70.0, GENERAL),
        T("%"),
        N(63.0, GENERAL),
        N(20.0, GENERAL),
        N(20.0, SCORE),
        Blank,
    ],
    [
        T("效益指标（30分）"),
        T("可持续影响指标"),
        T("培训档案管理"),
        T("定性"),
        T("规范完整"),
        Blank,
        T("达成年度指标"),
        N(10.0, GENERAL),
        N(9.0, SCORE),
        T("部分档案缺页，已补齐"),
    ],
    [
        T("满意度指标（10分）"),
        T("服务对象满意度指标"),
        T("参训人员满意度"),
        T("正向"),
        N(90.0, GENERAL),
        T("%"),
        N(92.0, GENERAL),
        N(10.0, GENERAL),
        N(10.0, SCORE),
        Blank,
    ],
];

/// A provincial variant: 指标性质 and 度量单位 columns, amounts in 元, nothing merged (一级
/// and 二级 written on every row).
///
/// Funds (元): 441,000 / 450,000 = 98.00%; 98.00% × 10 = 9.80.
/// Rows: a bare target gets its sign from 指标性质 and its unit from 度量单位: 正向 `1200`
/// 人次 is ≥1200人次, 反向 `400` 元/人 is ≤400元/人. 取证人数 846 / 900 × 10 = 9.40.
/// Planted: 培训后就业率 63% of ≥70% at full points 20, where 63 / 70 × 20 = 18.00
/// (JX2008).
/// 总分 9.80 + (20 + 9.40 + 10 + 5 + 5) + (20 + 9) + 10 = 98.20, as printed.
fn units_and_directions(path: &Path) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let ws = book.add_worksheet();
    ws.set_name("自评表")?;
    let mut s = sheet(ws);
    s.put(0, 0, T("2023年度项目支出绩效自评表"))?;
    s.row(
        1,
        0,
        &[
            T("项目名称"),
            T("城乡居民技能培训补贴"),
            Blank,
            Blank,
            T("主管部门"),
            T("某县人力资源和社会保障局"),
            Blank,
            T("实施单位"),
            T("某县就业服务中心"),
        ],
    )?;
    s.row(
        3,
        0,
        &[
            T("项目资金（元）"),
            Blank,
            T("年初预算数"),
            T("全年预算数"),
            T("全年执行数"),
            T("分值"),
            T("执行率"),
            T("得分"),
        ],
    )?;
    let yuan = "#,##0.00";
    s.row(
        4,
        0,
        &[
            T("年度资金总额"),
            Blank,
            N(500_000.0, yuan),
            N(450_000.0, yuan),
            N(441_000.0, yuan),
            N(10.0, GENERAL),
            N(0.98, RATE),
            N(9.8, SCORE),
        ],
    )?;
    s.row(
        5,
        0,
        &[
            T("其中：当年财政拨款"),
            Blank,
            N(500_000.0, yuan),
            N(450_000.0, yuan),
            N(441_000.0, yuan),
            T("—"),
            N(0.98, RATE),
            T("—"),
        ],
    )?;
    s.row(
        6,
        0,
        &[T("年度总体目标"), T("完成城乡居民技能培训1200人次。")],
    )?;
    s.row(
        7,
        0,
        &[
            T("一级指标"),
            T("二级指标"),
            T("三级指标"),
            T("指标性质"),
            T("年度指标值"),
            T("度量单位"),
            T("实际完成值"),
            T("分值"),
            T("得分"),
            T("偏差原因分析及改进措施"),
        ],
    )?;
    for (i, values) in UNITS_ROWS.iter().enumerate() {
        s.row(8 + i as u32, 0, values)?;
    }
    s.row(
        16,
        0,
        &[T("总分"), Blank, Blank, Blank, Blank, Blank, Blank],
    )?;
    s.row(16, 7, &[N(100.0, GENERAL), N(98.2, SCORE)])?;
    s.row(17, 0, &[T("自评等级"), T("优")])?;
    book.save(path)
}

/// The 20 + 80 template: 预算执行率 20 points (20 × 执行率), the indicators 80; a 填表说明
/// sheet first; headers `年度指标值（A）`, `实际完成值（B）`; notes under the form.
///
/// Funds (万元): 117.45 / 135 = 87.00%; 20 × 87.00% = 17.40. 其中 100 + 20 = 120,
/// 115 + 20 = 135, 99.45 + 18 = 117.45; 18 / 20 = 90.00%.
/// Planted: 当年财政拨款 99.45 / 115 = 86.478…% → 86.48%, printed 86.47% (cut off,
/// JX2002).
/// Rows: 补助资金兑付时间 ≤30天, 45天: 反向 30 / 45 × 5 = 3.333… → 3.33.
/// 总分 17.40 + (15 + 10 + 10 + 3.33) + (15 + 14) + 10 = 94.73, as printed.
fn template_20_80(path: &Path) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let notes = book.add_worksheet();
    notes.set_name("填表说明")?;
    notes.write_string(0, 0, "填表说明")?;
    notes.write_string(1, 0, "1. 金额单位为万元，保留两位小数。")?;
    notes.write_string(2, 0, "2. 预算执行率得分 = 20分 × 执行率。")?;
    let ws = book.add_worksheet();
    ws.set_name("自评表")?;
    let mut s = sheet(ws);
    form_header(
        &mut s,
        "长江流域重点水域禁捕退捕补助",
        "某县农业农村局",
        "某县渔政执法大队",
    )?;
    let dash = T("—");
    funds_block(
        &mut s,
        &[
            (
                "年度资金总额",
                [
                    N(120.0, WAN),
                    N(135.0, WAN),
                    N(117.45, WAN),
                    N(20.0, GENERAL),
                    N(0.87, RATE),
                    N(17.4, SCORE),
                ],
            ),
            (
                "其中：当年财政拨款",
                [
                    N(100.0, WAN),
                    N(115.0, WAN),
                    N(99.45, WAN),
                    dash,
                    N(0.8647, RATE),
                    dash,
                ],
            ),
            (
                "上年结转资金",
                [
                    N(20.0, WAN),
                    N(20.0, WAN),
                    N(18.0, WAN),
                    dash,
                    N(0.9, RATE),
                    dash,
                ],
            ),
        ],
    )?;
    goals_and_header(
        &mut s,
        8,
        (
            "完成退捕渔民安置与重点水域巡护执法。",
            "安置86人，巡护162次。",
        ),
        ("年度指标值（A）", "实际完成值（B）"),
    )?;
    indicator_rows(
        &mut s,
        11,
        &[
            ("退捕渔民安置人数", T("≥86人"), T("86人"), 15.0, 15.0, ""),
            ("巡护执法次数", T("≥150次"), T("162次"), 10.0, 10.0, ""),
            ("非法捕捞案件查处率", T("=100%"), T("100%"), 10.0, 10.0, ""),
            (
                "补助资金兑付时间",
                T("≤30天"),
                T("45天"),
                5.0,
                3.33,
                "部分渔民账户信息变更，兑付延后",
            ),
            ("退捕渔民转产就业率", T("≥90%"), T("91.86%"), 15.0, 15.0, ""),
            (
                "重点水域水生生物资源",
                T("逐步恢复"),
                T("达成年度指标"),
                15.0,
                14.0,
                "个别监测点数据待补充",
            ),
            ("退捕渔民满意度", T("≥85%"), T("88%"), 10.0, 10.0, ""),
        ],
    )?;
    s.merge((11, 14), (1, 1), "产出指标（40分）")?;
    s.merge((11, 12), (2, 2), "数量指标")?;
    s.put(13, 2, T("质量指标"))?;
    s.put(14, 2, T("时效指标"))?;
    s.merge((15, 16), (1, 1), "效益指标（30分）")?;
    s.put(15, 2, T("社会效益指标"))?;
    s.put(16, 2, T("生态效益指标"))?;
    s.put(17, 1, T("满意度指标（10分）"))?;
    s.put(17, 2, T("服务对象满意度指标"))?;
    s.merge((10, 17), (0, 0), "绩效指标")?;
    total_and_grade(&mut s, 18, 94.73, "优")?;
    s.merge(
        (20, 20),
        (0, 8),
        "注：得分=分值×B/A（正向）或分值×A/B（反向），得分不得突破分值。",
    )?;
    book.save(path)
}

/// Write the three workbooks into `dir`.
pub fn generate(dir: &Path) -> Result<(), Box<dyn Error>> {
    official(&dir.join("official-10-90.xlsx"))?;
    units_and_directions(&dir.join("units-and-directions.xlsx"))?;
    template_20_80(&dir.join("template-20-80.xlsx"))?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/review/workbooks");
    generate(&dir)?;
    println!("wrote {}", dir.display());
    Ok(())
}
