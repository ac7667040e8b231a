//! The 项目支出绩效自评表 of one sheet, found by its Chinese labels: the header fields, the
//! 项目资金 block, the 绩效指标 table, 总分 and 评价等级. Positions are never assumed: each
//! block is found by its labels, each column by its header, and a layout that does not
//! match is refused with the sheet, the row and the labels found and expected.

use crate::data::sheet::{CellText, Sheet};
use crate::diag::{Code, Problem};
use crate::values::fold_width;
use std::path::Path;

/// One cell of the form: where it stands and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cell {
    /// 1-based row, as Excel numbers it.
    pub row: usize,
    /// 0-based column (0 = A).
    pub col: u32,
    pub text: String,
}

impl Cell {
    /// The cell as Excel names it: `H14`.
    pub fn name(&self) -> String {
        let mut n = self.col + 1;
        let mut letters = Vec::new();
        while n > 0 {
            letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
            n = (n - 1) / 26;
        }
        letters.iter().rev().collect::<String>() + &self.row.to_string()
    }

    /// The text with another text (a unit, a comparison) put to it, at the same cell.
    pub fn with_text(&self, text: String) -> Cell {
        Cell {
            text,
            ..self.clone()
        }
    }
}

/// A funds row: 年度资金总额, or one 其中 row with its name as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FundsKind {
    Total,
    Source(String),
}

/// One row of the 项目资金 block: each printed figure under its claims key.
#[derive(Debug, Clone)]
pub(super) struct FundsRow {
    pub kind: FundsKind,
    pub label: Cell,
    /// (claims key, column label as the form prints it, cell)
    pub figures: Vec<(&'static str, &'static str, Cell)>,
}

/// 一级指标, its 分值 from its label (`产出指标（50分）`), and its groups.
#[derive(Debug, Clone)]
pub(super) struct Dim {
    pub name: String,
    pub weight: Option<Cell>,
    pub groups: Vec<Group>,
}

/// 二级指标, its 分值 when its label prints one, and its rows.
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub name: Option<String>,
    pub weight: Option<Cell>,
    pub rows: Vec<IndicatorRow>,
}

/// One 三级指标 row.
#[derive(Debug, Clone)]
pub(super) struct IndicatorRow {
    pub name: Option<Cell>,
    /// (claims key, cell): target, actual, weight, score as printed (target and actual with
    /// the row's 度量单位 and 指标性质 put to them).
    pub figures: Vec<(&'static str, Cell)>,
    /// 偏差原因分析及改进措施, when the form has the column (empty text when the cell is).
    pub reason: Option<Cell>,
}

/// A 自评表 as read from one sheet.
#[derive(Debug, Clone)]
pub(super) struct Form {
    pub sheet: String,
    pub year: Option<i64>,
    /// (claims key of `[report]`, value)
    pub report: Vec<(&'static str, String)>,
    /// `万元` or `元`, as the funds block's labels say (万元 when they say neither).
    pub funds_unit: &'static str,
    pub funds: Vec<FundsRow>,
    pub dims: Vec<Dim>,
    pub total_weight: Option<Cell>,
    pub total_score: Option<Cell>,
    pub grade: Option<Cell>,
}

/// A label as compared: no white space (a label is often broken over lines, `年度总体\n目标`),
/// full-width ASCII folded (`（` → `(`, `：` → `:`).
pub(super) fn norm(text: &str) -> String {
    fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether a label is `alias`, alone or followed by a bracketed note (`分值(分)`,
/// `执行率(全年执行数/全年预算数)`, `年初预算数(万元)`).
fn is_label(label: &str, alias: &str) -> bool {
    label == alias
        || label
            .strip_prefix(alias)
            .is_some_and(|rest| rest.starts_with('('))
}

/// Whether a printed cell holds nothing: empty, or a dash or slash written for "none".
pub(super) fn is_blank(text: &str) -> bool {
    matches!(
        norm(text).as_str(),
        "" | "—" | "——" | "-" | "--" | "/" | "\\" | "无" | "－" | "─"
    )
}

/// The funds block's columns: claims key, the labels accepted, the label printed.
const FUNDS_COLUMNS: &[(&str, &[&str], &str)] = &[
    ("initial_budget", &["年初预算数", "年初预算"], "年初预算数"),
    (
        "adjusted_budget",
        &["全年预算数", "调整后预算数", "全年预算"],
        "全年预算数",
    ),
    (
        "allocated",
        &["实际到位资金", "到位资金", "全年到位数"],
        "实际到位资金",
    ),
    (
        "spent",
        &["全年执行数", "实际执行数", "全年支出数", "执行数"],
        "全年执行数",
    ),
    ("weight", &["分值"], "分值"),
    ("execution_rate", &["执行率", "预算执行率"], "执行率"),
    ("score", &["得分"], "得分"),
];

/// The columns of the 绩效指标 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Col {
    Dim,
    /// 二级指标 of a four-level form: a label above the groups (三级指标 there).
    Upper,
    Group,
    Name,
    /// 四级指标: the rows of a four-level form.
    Fourth,
    Target,
    Actual,
    Weight,
    Score,
    Reason,
    /// 度量单位: the unit of a bare target or actual.
    Unit,
    /// 指标性质: 正向 / 反向 / 定性 (or ≥, ≤, =): the comparison of a bare target.
    Direction,
    /// A column read for nothing (序号, 备注, the 绩效指标 label).
    Ignored,
    /// 权重占比: the row's share of the total, on a form that converts.
    Share,
    /// 折算得分: the row's 得分 converted by its share.
    Converted,
    /// 分值 and 得分 on the row's own basis, on a form that converts (the 分值 and 得分
    /// columns of such a form).
    BasisWeight,
    BasisScore,
}

/// The 绩效指标 table's columns and the labels accepted for each.
const INDICATOR_COLUMNS: &[(Col, &[&str])] = &[
    (Col::Dim, &["一级指标"]),
    (Col::Group, &["二级指标"]),
    (Col::Name, &["三级指标"]),
    (Col::Fourth, &["四级指标"]),
    (
        Col::Target,
        &[
            "年度指标值",
            "指标值",
            "年度目标值",
            "目标值",
            "预期指标值",
            "年度目标",
        ],
    ),
    (
        Col::Actual,
        &[
            "实际完成值",
            "全年实际值",
            "实际完成情况",
            "实际值",
            "完成值",
        ],
    ),
    (Col::Weight, &["分值", "权重"]),
    (Col::Score, &["得分", "自评得分"]),
    (
        Col::Reason,
        &[
            "偏差原因分析及改进措施",
            "偏差原因分析及改进措施说明",
            "偏差原因分析",
            "偏差原因",
            "未完成原因分析",
            "未完成原因",
        ],
    ),
    (Col::Unit, &["度量单位", "计量单位", "单位"]),
    (Col::Direction, &["指标性质", "指标方向"]),
    (Col::Share, &["权重占比", "权重比例"]),
    (
        Col::Converted,
        &["折算得分", "折算后得分", "折算分", "加权得分"],
    ),
    (
        Col::Ignored,
        &[
            "绩效指标",
            "序号",
            "备注",
            "指标解释",
            "指标说明",
            "评分标准",
            "评分方法",
            "计算方法",
        ],
    ),
];

/// Labels that end the 绩效指标 table: the 总分 row and the grade.
const TOTAL_LABELS: &[&str] = &["总分", "合计", "总计", "自评总分", "综合得分"];
const GRADE_LABELS: &[&str] = &["评价等级", "自评等级", "自评结论", "等级"];

/// The header fields: the label, its claims key.
const REPORT_LABELS: &[(&str, &str)] = &[
    ("项目名称", "name"),
    ("项目编码", "project"),
    ("项目代码", "project"),
    ("主管部门", "department"),
    ("主管部门及代码", "department"),
    ("实施单位", "unit"),
];

/// The sheet as rows of cells with their places.
struct Grid {
    sheet: String,
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    fn new(sheet: &Sheet) -> Grid {
        let rows = sheet
            .rows
            .iter()
            .map(|(row, cells)| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| Cell {
                        row: *row,
                        col: sheet.first_column + i as u32,
                        text: match c {
                            CellText::Text(t) => t.trim().to_string(),
                            CellText::Error(e) => e.clone(),
                        },
                    })
                    .filter(|c| !c.text.is_empty())
                    .collect()
            })
            .collect();
        Grid {
            sheet: sheet.name.clone(),
            rows,
        }
    }

    /// The labels of a row, as found: `A12 绩效指标, B12 一级指标, …` (joined by `sep`).
    fn labels(row: &[Cell], sep: &str) -> String {
        row.iter()
            .map(|c| format!("{} {}", c.name(), one_line(&c.text)))
            .collect::<Vec<_>>()
            .join(sep)
    }
}

/// A text on one line, cut to a label's length for messages.
fn one_line(text: &str) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.char_indices().nth(24) {
        Some((at, _)) => format!("{}…", &t[..at]),
        None => t,
    }
}

/// Why a sheet is not a form jixiao reads, in English and in Chinese.
pub(super) struct NotAForm {
    pub row: Option<usize>,
    pub message: String,
    pub expected: String,
    pub zh_message: String,
    pub zh_expected: String,
}

impl NotAForm {
    pub fn problem(&self, path: &Path, sheet: &str) -> Problem {
        let p = Problem::error(path, format!("sheet \"{sheet}\": {}", self.message))
            .zh(format!("工作表“{sheet}”：{}", self.zh_message))
            .code(Code::MissingColumn)
            .field(sheet.to_string())
            .expected(self.expected.clone())
            .zh_expected(self.zh_expected.clone());
        match self.row {
            Some(row) => p.at_line(row),
            None => p,
        }
    }
}

/// Read the 自评表 of a sheet.
pub(super) fn read(sheet: &Sheet) -> Result<Form, NotAForm> {
    let grid = Grid::new(sheet);
    let Some(head) = grid.rows.iter().position(|r| is_indicator_header(r)) else {
        return Err(no_table(&grid));
    };
    let columns = indicator_columns(&grid.rows[head])?;
    let mut form = Form {
        sheet: grid.sheet.clone(),
        year: None,
        report: Vec::new(),
        funds_unit: "万元",
        funds: Vec::new(),
        dims: Vec::new(),
        total_weight: None,
        total_score: None,
        grade: None,
    };
    header_fields(&grid.rows[..head], &mut form);
    funds_block(&grid.rows[..head], &mut form)?;
    let end = indicator_rows(&grid.rows[head + 1..], &columns, &mut form)?;
    totals(&grid.rows[head + 1 + end..], &columns, &mut form);
    Ok(form)
}

fn is_indicator_header(row: &[Cell]) -> bool {
    row.iter().any(|c| is_label(&norm(&c.text), "三级指标"))
}

/// No 绩效指标 header on the sheet: what was found instead.
fn no_table(grid: &Grid) -> NotAForm {
    let rows: Vec<&Vec<Cell>> = grid.rows.iter().filter(|r| !r.is_empty()).take(6).collect();
    // Each row as `row 3: A3 …, B3 …` (or `第 3 行：A3 …、B3 …`).
    let found = |row: &dyn Fn(usize) -> String, sep: &str, join: &str| {
        rows.iter()
            .map(|r| row(r[0].row) + &Grid::labels(r, sep))
            .collect::<Vec<_>>()
            .join(join)
    };
    let (message, zh_message) = if rows.is_empty() {
        ("the sheet is empty".into(), "表上没有内容".into())
    } else {
        (
            format!(
                "no row holds the 绩效指标 header (三级指标 … 分值 … 得分); found {}",
                found(&|n| format!("row {n}: "), ", ", "; ")
            ),
            format!(
                "没有一行是绩效指标的表头（三级指标 … 分值 … 得分）；表上是：{}",
                found(&|n| format!("第 {n} 行："), "、", "；")
            ),
        )
    };
    NotAForm {
        row: None,
        message,
        expected:
            "a 项目支出绩效自评表: a header row with the labels 一级指标, 二级指标, 三级指标, \
                   年度指标值, 实际完成值, 分值, 得分 (docs/review.md, the accepted layouts)"
                .into(),
        zh_message,
        zh_expected: "项目支出绩效自评表：其中一行表头写有 一级指标、二级指标、三级指标、\
                      年度指标值、实际完成值、分值、得分（可接受的格式见 docs/review.md）"
            .into(),
    }
}

/// The 绩效指标 header's columns; every label must be known, and 三级指标 and 得分 must be
/// there. A form without 分值 is read without weights: its template (`--template`) implies
/// them, or its scores are checked for what needs no weight.
fn indicator_columns(row: &[Cell]) -> Result<Vec<(Col, u32)>, NotAForm> {
    let mut columns = Vec::new();
    let mut unknown = Vec::new();
    for c in row {
        let label = norm(&c.text);
        let col = INDICATOR_COLUMNS
            .iter()
            .find(|(_, aliases)| aliases.iter().any(|a| is_label(&label, a)))
            .map(|(col, _)| *col);
        match col {
            Some(Col::Ignored) => {}
            Some(col) if columns.iter().any(|(k, _)| *k == col) => unknown.push(c),
            Some(col) => columns.push((col, c.col)),
            None => unknown.push(c),
        }
    }
    let at = row.first().map(|c| c.row);
    // A form that converts (权重占比 and 折算得分): the share is the row's weight and the
    // converted score its score, in points of the total; its 分值 and 得分 are the row's own
    // basis (百分制). One of the two columns without the other cannot be read either way.
    let share = columns.iter().find(|(k, _)| *k == Col::Share);
    let converted = columns.iter().find(|(k, _)| *k == Col::Converted);
    if let Some((_, col)) = share.xor(converted).copied() {
        let c = row.iter().find(|c| c.col == col).expect("a header cell");
        return Err(NotAForm {
            row: at,
            message: format!(
                "the 绩效指标 header has {} \"{}\" without its pair: a form that converts prints \
                 both 权重占比 and 折算得分 (the header: {})",
                c.name(),
                one_line(&c.text),
                Grid::labels(row, ", ")
            ),
            expected:
                "both 权重占比 and 折算得分 columns, or neither (the 分值 and 得分 of each row \
                       in points)"
                    .into(),
            zh_message: format!(
                "绩效指标表头有 {} “{}”，却没有与之配对的列：折算的表同时列 权重占比 和 折算得分\
                 （表头：{}）",
                c.name(),
                one_line(&c.text),
                Grid::labels(row, "、")
            ),
            zh_expected: "权重占比 和 折算得分 两列都有，或都没有（各行的分值、得分即为分数）"
                .into(),
        });
    }
    if share.is_some() {
        for (k, _) in &mut columns {
            *k = match *k {
                Col::Weight => Col::BasisWeight,
                Col::Score => Col::BasisScore,
                Col::Share => Col::Weight,
                Col::Converted => Col::Score,
                other => other,
            };
        }
    }
    if let Some(c) = unknown.first() {
        return Err(NotAForm {
            row: at,
            message: format!(
                "the 绩效指标 header has a column jixiao does not read, or has twice: {} \"{}\" \
                 (the header: {})",
                c.name(),
                one_line(&c.text),
                Grid::labels(row, ", ")
            ),
            expected: "the columns 一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, \
                       得分, 偏差原因分析及改进措施, and optionally 度量单位, 指标性质, 序号, 备注, \
                       each once"
                .into(),
            zh_message: format!(
                "绩效指标表头中有 jixiao 不认识的列，或同一列出现了两次：{} “{}”（表头：{}）",
                c.name(),
                one_line(&c.text),
                Grid::labels(row, "、")
            ),
            zh_expected: "一级指标、二级指标、三级指标、年度指标值、实际完成值、分值、得分、\
                          偏差原因分析及改进措施 各一列，另可有 度量单位、指标性质、序号、备注"
                .into(),
        });
    }
    // A four-level form (some provinces add a level): its 四级指标 are the rows, its
    // 三级指标 the groups they add up to, and its 二级指标 a label above them.
    if columns.iter().any(|(k, _)| *k == Col::Fourth) {
        for (k, _) in &mut columns {
            *k = match *k {
                Col::Group => Col::Upper,
                Col::Name => Col::Group,
                Col::Fourth => Col::Name,
                other => other,
            };
        }
    }
    for (col, label) in [(Col::Name, "三级指标"), (Col::Score, "得分")] {
        if !columns.iter().any(|(k, _)| *k == col) {
            return Err(NotAForm {
                row: at,
                message: format!(
                    "the 绩效指标 header has no {label} column (the header: {})",
                    Grid::labels(row, ", ")
                ),
                expected: format!("a {label} column in the 绩效指标 header"),
                zh_message: format!(
                    "绩效指标表头中没有“{label}”列（表头：{}）",
                    Grid::labels(row, "、")
                ),
                zh_expected: format!("绩效指标表头中有“{label}”列"),
            });
        }
    }
    Ok(columns)
}

/// The year (from a title such as `（2022年度）` or `2023年度项目支出绩效自评表`) and the
/// header fields (项目名称, 主管部门, 实施单位: the text right of each label).
fn header_fields(rows: &[Vec<Cell>], form: &mut Form) {
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            let label = norm(&c.text);
            if form.year.is_none() {
                form.year = year_of(&label);
            }
            let Some((_, key)) = REPORT_LABELS.iter().find(|(l, _)| is_label(&label, l)) else {
                continue;
            };
            let value = row[i + 1..]
                .iter()
                .take_while(|v| {
                    !REPORT_LABELS
                        .iter()
                        .any(|(l, _)| is_label(&norm(&v.text), l))
                })
                .find(|v| !is_blank(&v.text));
            if let Some(v) = value
                && !form.report.iter().any(|(k, _)| k == key)
            {
                form.report.push((key, v.text.clone()));
            }
        }
    }
}

/// `2022` from `(2022年度)`, `2022年度项目支出绩效自评表` or `2022年`: four digits (no more)
/// before 年.
fn year_of(text: &str) -> Option<i64> {
    let chars: Vec<char> = text.chars().collect();
    (4..chars.len()).find_map(|i| {
        let digits = &chars[i - 4..i];
        let alone = i == 4 || !chars[i - 5].is_ascii_digit();
        (chars[i] == '年' && alone && digits.iter().all(char::is_ascii_digit))
            .then(|| digits.iter().collect::<String>().parse().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })
}

/// The 项目资金 block: its header row (年初预算数, 全年预算数, 全年执行数, …) and the rows
/// below it whose label names funds (年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金).
fn funds_block(rows: &[Vec<Cell>], form: &mut Form) -> Result<(), NotAForm> {
    // The header: a row with two of the amounts' labels at least.
    let amounts = &FUNDS_COLUMNS[..4];
    let Some(head) = rows.iter().position(|r| {
        r.iter()
            .filter(|c| {
                let label = norm(&c.text);
                amounts
                    .iter()
                    .any(|(_, aliases, _)| aliases.iter().any(|a| is_label(&label, a)))
            })
            .count()
            >= 2
    }) else {
        // A funds block without a header it can read is not passed over in silence.
        let block = rows.iter().flatten().find(|c| {
            let label = norm(&c.text);
            label.starts_with("项目资金") || label.contains("资金总额")
        });
        return match block {
            Some(c) => Err(NotAForm {
                row: Some(c.row),
                message: format!(
                    "the 项目资金 block ({} \"{}\") has no header row with its amounts' labels",
                    c.name(),
                    one_line(&c.text)
                ),
                expected: "a header row with 年初预算数, 全年预算数 (or 调整后预算数), 全年执行数 \
                           and optionally 实际到位资金, 分值, 执行率, 得分"
                    .into(),
                zh_message: format!(
                    "项目资金部分（{} “{}”）没有写明各项金额名称的表头行",
                    c.name(),
                    one_line(&c.text)
                ),
                zh_expected:
                    "一行表头，写有 年初预算数、全年预算数（或 调整后预算数）、全年执行数，\
                              另可有 实际到位资金、分值、执行率、得分"
                        .into(),
            }),
            None => Ok(()),
        };
    };
    let mut columns: Vec<(&'static str, &'static str, u32)> = Vec::new();
    for c in &rows[head] {
        let label = norm(&c.text);
        if label.contains("元)") {
            form.funds_unit = if label.contains("万元") {
                "万元"
            } else {
                "元"
            };
        }
        match FUNDS_COLUMNS
            .iter()
            .find(|(_, aliases, _)| aliases.iter().any(|a| is_label(&label, a)))
        {
            Some((key, _, printed)) if !columns.iter().any(|(k, _, _)| k == key) => {
                columns.push((key, printed, c.col));
            }
            _ if label.starts_with("项目资金") || label.starts_with("资金") => {}
            _ => {
                return Err(NotAForm {
                    row: Some(c.row),
                    message: format!(
                        "the 项目资金 header has a column jixiao does not read, or has twice: {} \
                         \"{}\" (the header: {})",
                        c.name(),
                        one_line(&c.text),
                        Grid::labels(&rows[head], ", ")
                    ),
                    expected: "the columns 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 \
                               (and optionally 实际到位资金), each once"
                        .into(),
                    zh_message: format!(
                        "项目资金表头中有 jixiao 不认识的列，或同一列出现了两次：{} “{}”（表头：{}）",
                        c.name(),
                        one_line(&c.text),
                        Grid::labels(&rows[head], "、")
                    ),
                    zh_expected: "年初预算数、全年预算数、全年执行数、分值、执行率、得分 各一列\
                                  （另可有 实际到位资金）"
                        .into(),
                });
            }
        }
    }
    let first = columns.iter().map(|(_, _, c)| *c).min().unwrap_or(0);
    for row in &rows[head + 1..] {
        let label: Vec<&Cell> = row
            .iter()
            .filter(|c| c.col < first && !norm(&c.text).starts_with("项目资金"))
            .collect();
        let Some(kind) = funds_kind(&label) else {
            break;
        };
        // A 其中 row may print its own 分值 and 得分 (some forms score each source).
        let figures = columns
            .iter()
            .filter_map(|(key, printed, col)| {
                let cell = row.iter().find(|c| c.col == *col)?;
                (!is_blank(&cell.text)).then(|| (*key, *printed, cell.clone()))
            })
            .collect();
        form.funds.push(FundsRow {
            kind,
            label: label[0].clone(),
            figures,
        });
    }
    Ok(())
}

/// What a funds row is, from its label; `None` when the label names no funds (the block
/// has ended).
fn funds_kind(label: &[&Cell]) -> Option<FundsKind> {
    let text: String = label.iter().map(|c| c.text.as_str()).collect();
    let n = norm(&text);
    if n.is_empty() {
        return None;
    }
    if n.contains("资金总额") || matches!(n.as_str(), "合计" | "总计") {
        return Some(FundsKind::Total);
    }
    let name = n
        .strip_prefix("其中")
        .map(|r| r.trim_start_matches(':'))
        .unwrap_or(&n);
    (name.contains("资金") || name.contains("拨款") || name.contains("结转"))
        .then(|| FundsKind::Source(name.to_string()))
}

/// A label's own text and the 分值 it prints in brackets: `产出指标（50分）` → (产出指标, 50).
fn name_and_weight(cell: &Cell) -> (String, Option<Cell>) {
    let folded = fold_width(&cell.text).trim().to_string();
    if let Some(inner) = folded
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once('('))
        .map(|(name, w)| (name.trim(), w.trim().trim_end_matches('分').trim()))
        && !inner.1.is_empty()
        && inner.1.parse::<rust_decimal::Decimal>().is_ok()
    {
        // the name as printed (before the bracket, in the cell's own characters)
        let cut = cell
            .text
            .rfind(['（', '('])
            .map_or(cell.text.as_str(), |at| &cell.text[..at]);
        return (
            cut.trim().to_string(),
            Some(cell.with_text(inner.1.to_string())),
        );
    }
    (cell.text.trim().to_string(), None)
}

/// The rows of the 绩效指标 table, up to the 总分 or 评价等级 row; returns how many rows
/// were read. A merged 一级 or 二级 cell holds its text in its first row only: an empty
/// cell is the one above it.
fn indicator_rows(
    rows: &[Vec<Cell>],
    columns: &[(Col, u32)],
    form: &mut Form,
) -> Result<usize, NotAForm> {
    let at = |row: &[Cell], col: Col| -> Option<Cell> {
        let (_, c) = columns.iter().find(|(k, _)| *k == col)?;
        row.iter().find(|x| x.col == *c).cloned()
    };
    let table_cols: Vec<u32> = columns.iter().map(|(_, c)| *c).collect();
    // The 二级指标 of a four-level form, put before its groups' names.
    let mut upper: Option<String> = None;
    for (n, row) in rows.iter().enumerate() {
        if row.iter().any(|c| {
            let l = norm(&c.text);
            TOTAL_LABELS
                .iter()
                .chain(GRADE_LABELS)
                .any(|t| is_label(&l, t))
        }) {
            return Ok(n);
        }
        if !row.iter().any(|c| table_cols.contains(&c.col)) {
            continue;
        }
        if let Some(d) = at(row, Col::Dim).filter(|c| !is_blank(&c.text)) {
            let (name, weight) = name_and_weight(&d);
            if form.dims.last().is_none_or(|last| last.name != name) {
                form.dims.push(Dim {
                    name,
                    weight,
                    groups: Vec::new(),
                });
            }
        }
        if form.dims.is_empty() {
            form.dims.push(Dim {
                name: String::new(),
                weight: None,
                groups: Vec::new(),
            });
        }
        let dim = form.dims.last_mut().expect("a dimension");
        if let Some(u) = at(row, Col::Upper).filter(|c| !is_blank(&c.text)) {
            upper = Some(name_and_weight(&u).0);
        }
        if let Some(g) = at(row, Col::Group).filter(|c| !is_blank(&c.text)) {
            let (name, weight) = name_and_weight(&g);
            let name = match &upper {
                Some(u) => format!("{u} · {name}"),
                None => name,
            };
            if dim
                .groups
                .last()
                .is_none_or(|last| last.name.as_deref() != Some(name.as_str()))
            {
                dim.groups.push(Group {
                    name: Some(name),
                    weight,
                    rows: Vec::new(),
                });
            }
        }
        let row = indicator_row(row, columns, &at);
        if row.name.is_none() && row.figures.is_empty() {
            continue; // a 一级 or 二级 label alone: its rows follow
        }
        if dim.groups.is_empty() {
            dim.groups.push(Group {
                name: None,
                weight: None,
                rows: Vec::new(),
            });
        }
        dim.groups.last_mut().expect("a group").rows.push(row);
    }
    Ok(rows.len())
}

/// One 三级指标 row: its name, its figures (the target and actual with the row's 度量单位
/// and 指标性质 put to them), its reason.
fn indicator_row(
    row: &[Cell],
    columns: &[(Col, u32)],
    at: &dyn Fn(&[Cell], Col) -> Option<Cell>,
) -> IndicatorRow {
    let unit = at(row, Col::Unit).filter(|c| !is_blank(&c.text));
    let direction = at(row, Col::Direction).filter(|c| !is_blank(&c.text));
    let mut figures = Vec::new();
    for (key, col) in [
        ("target", Col::Target),
        ("actual", Col::Actual),
        ("weight", Col::Weight),
        ("basis_weight", Col::BasisWeight),
        ("basis_score", Col::BasisScore),
        ("score", Col::Score),
    ] {
        let Some(cell) = at(row, col).filter(|c| !is_blank(&c.text)) else {
            continue;
        };
        let cell = match key {
            "target" => {
                let with_unit = with_unit(&cell.text, unit.as_ref());
                cell.with_text(with_direction(&with_unit, direction.as_ref()))
            }
            "actual" => cell.with_text(with_unit(&cell.text, unit.as_ref())),
            _ => cell,
        };
        figures.push((key, cell));
    }
    let reason = columns
        .iter()
        .find(|(k, _)| *k == Col::Reason)
        .map(|(_, col)| {
            let row_at = row.first().map_or(0, |c| c.row);
            match at(row, Col::Reason) {
                Some(c) if !is_blank(&c.text) => c,
                Some(c) => c.with_text(String::new()),
                None => Cell {
                    row: row_at,
                    col: *col,
                    text: String::new(),
                },
            }
        });
    IndicatorRow {
        name: at(row, Col::Name).filter(|c| !is_blank(&c.text)),
        figures,
        reason,
    }
}

/// A bare number with the row's 度量单位 put after it: `95` beside `%` is `95%`, `≥1200`
/// beside `人` is `≥1200人`. A text that already ends in a unit is left as it is.
fn with_unit(text: &str, unit: Option<&Cell>) -> String {
    let Some(unit) = unit else {
        return text.to_string();
    };
    let folded = fold_width(text);
    if folded.trim_end().ends_with(|c: char| c.is_ascii_digit()) {
        format!("{}{}", text.trim_end(), unit.text.trim())
    } else {
        text.to_string()
    }
}

/// A bare target with the comparison its 指标性质 gives: 正向 `1200人` is `≥1200人`, 反向
/// `5%` is `≤5%`; a target that has its own comparison, a 定性 one, or a text, is left as
/// it is.
fn with_direction(target: &str, direction: Option<&Cell>) -> String {
    let Some(direction) = direction else {
        return target.to_string();
    };
    let folded = fold_width(target);
    if !folded
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit() || c == '.')
    {
        return target.to_string();
    }
    let sign = match norm(&direction.text).trim_end_matches("指标") {
        "正向" | "≥" | ">=" | "大于等于" | "不低于" => "≥",
        ">" | "大于" | "高于" => ">",
        "反向" | "≤" | "<=" | "小于等于" | "不高于" | "不超过" => "≤",
        "<" | "小于" | "低于" => "<",
        "=" | "等于" => "=",
        _ => return target.to_string(),
    };
    format!("{sign}{}", target.trim_start())
}

/// 总分 (分值 and 得分, under the table's columns) and 评价等级 (the text right of its
/// label), from the rows after the table.
fn totals(rows: &[Vec<Cell>], columns: &[(Col, u32)], form: &mut Form) {
    let col = |k: Col| columns.iter().find(|(c, _)| *c == k).map(|(_, c)| *c);
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            let label = norm(&c.text);
            if form.total_score.is_none() && TOTAL_LABELS.iter().any(|t| is_label(&label, t)) {
                let under = |k: Col| {
                    let at = col(k)?;
                    row.iter()
                        .find(|x| x.col == at && x.col > c.col && !is_blank(&x.text))
                        .cloned()
                };
                form.total_weight = under(Col::Weight);
                form.total_score = under(Col::Score);
            }
            if form.grade.is_none() && GRADE_LABELS.iter().any(|t| is_label(&label, t)) {
                form.grade = row[i + 1..].iter().find(|v| !is_blank(&v.text)).cloned();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Cell {
        Cell {
            row: 13,
            col: 1,
            text: text.into(),
        }
    }

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell("").name(), "B13");
        let far = Cell {
            row: 1,
            col: 26,
            text: String::new(),
        };
        assert_eq!(far.name(), "AA1");
    }

    #[test]
    fn labels_are_compared_without_spaces_and_with_folded_brackets() {
        assert_eq!(norm("项目资金\n（万元）"), "项目资金(万元)");
        assert!(is_label(&norm("执行率（全年执行数/全年预算数）"), "执行率"));
        assert!(is_label(&norm("分值（分）"), "分值"));
        assert!(!is_label(&norm("全年执行数"), "执行数"));
        assert!(is_blank("—") && is_blank(" ") && is_blank("／") && !is_blank("0"));
    }

    #[test]
    fn a_label_gives_its_name_and_its_points() {
        let (name, weight) = name_and_weight(&cell("产出指标（50分）"));
        assert_eq!(name, "产出指标");
        assert_eq!(weight.map(|c| c.text), Some("50".into()));
        let (name, weight) = name_and_weight(&cell("决策(15)"));
        assert_eq!(
            (name.as_str(), weight.map(|c| c.text)),
            ("决策", Some("15".into()))
        );
        // a bracket that is no number of points is part of the name
        let (name, weight) = name_and_weight(&cell("社会效益（群众）"));
        assert_eq!((name.as_str(), weight), ("社会效益（群众）", None));
    }

    #[test]
    fn the_year_comes_from_the_title() {
        assert_eq!(year_of(&norm("（2022年度）")), Some(2022));
        assert_eq!(year_of("2023年度项目支出绩效自评表"), Some(2023));
        assert_eq!(year_of("项目支出绩效自评表"), None);
        assert_eq!(year_of("12345年"), None);
    }

    #[test]
    fn unit_and_direction_complete_a_bare_figure() {
        let unit = cell("%");
        // an actual 95 beside unit % is 95%; a figure with a unit keeps it
        assert_eq!(with_unit("95", Some(&unit)), "95%");
        assert_eq!(with_unit("95%", Some(&unit)), "95%");
        assert_eq!(with_unit("达成年度指标", Some(&unit)), "达成年度指标");
        assert_eq!(with_unit("95", None), "95");
        // 正向 1200人 is ≥1200人; 反向 ≤; a target with its own sign keeps it
        assert_eq!(with_direction("1200人", Some(&cell("正向"))), "≥1200人");
        assert_eq!(with_direction("5%", Some(&cell("反向指标"))), "≤5%");
        assert_eq!(with_direction("≥90%", Some(&cell("正向"))), "≥90%");
        assert_eq!(with_direction("按期完成", Some(&cell("定性"))), "按期完成");
        assert_eq!(with_direction("0件", Some(&cell("＝"))), "=0件");
    }
}
