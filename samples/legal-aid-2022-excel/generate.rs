//! Writes the files of `samples/legal-aid-2022-excel/`: the legal-aid sample as a finance
//! office has it — budget and ledger as GBK CSV exported on Chinese Windows, outputs and
//! judgments as Excel workbooks, Chinese headers under a title row, amounts and dates
//! written the Chinese way — and, in `xlsx/`, all four inputs as workbooks.
//!
//! ```sh
//! cargo run --example legal-aid-excel-sample
//! ```
//!
//! The output is deterministic; a test (`tests/integration/inputs.rs`) regenerates it and
//! checks that the committed files are current, and that they score exactly like
//! `samples/legal-aid-2022`.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::error::Error;
use std::path::Path;

const PROJECT: &str = "RJ-SFJ-2022-001";

/// The ledger (支出明细): date, amount, voucher, category, description. The amounts are
/// those of `samples/legal-aid-2022/spending.csv`, written in the forms ledgers use; they
/// add up to 67,900.00:
/// 7,200 + 4,200 + 3,600 + 1,560 − 280 + 8,100 + 4,800 + 600 + 2,850 + 4,800 + 7,800
/// + 4,200 + 3,120 + 2,150 + 8,400 + 4,800 = 67,900.
const SPENDING: [(&str, &str, &str, &str, &str); 16] = [
    (
        "2022年3月28日",
        "¥7,200.00",
        "记-0315",
        "办案补贴",
        "第一季度民事案件办案补贴（24件×300元）",
    ),
    (
        "2022年3月28日",
        "0.42万元",
        "记-0316",
        "办案补贴",
        "第一季度刑事案件辩护补贴（7件×600元）",
    ),
    (
        "2022年4月15日",
        "￥3,600.00",
        "记-0408",
        "宣传",
        "“12348”法律援助热线宣传折页印制",
    ),
    (
        "2022年5月20日",
        "1,560.00",
        "记-0512",
        "办公用品",
        "案件卷宗盒及档案袋",
    ),
    (
        "2022年5月22日",
        "（280.00）",
        "记-0517",
        "办公用品",
        "冲销：卷宗盒重复报销",
    ),
    (
        "2022年6月27日",
        "8,100.00",
        "记-0622",
        "办案补贴",
        "第二季度民事案件办案补贴（27件×300元）",
    ),
    (
        "2022年6月27日",
        "0.48万",
        "记-0623",
        "办案补贴",
        "第二季度刑事案件辩护补贴（8件×600元）",
    ),
    (
        "2022年7月5日",
        "６００.００",
        "记-0703",
        "通讯费",
        "受援人结案回访通讯费",
    ),
    (
        "2022年8月10日",
        "¥2,850.00",
        "记-0806",
        "宣传",
        "法治宣传进社区活动展板制作",
    ),
    (
        "2022/8/25",
        "4800元",
        "记-0819",
        "培训",
        "法律援助律师及基层法律工作者业务培训",
    ),
    (
        "2022年9月26日",
        "¥7,800.00",
        "记-0918",
        "办案补贴",
        "第三季度民事案件办案补贴（26件×300元）",
    ),
    (
        "2022.9.26",
        "4,200.00",
        "记-0919",
        "办案补贴",
        "第三季度刑事案件辩护补贴（7件×600元）",
    ),
    (
        "20221012",
        "3120",
        "记-1007",
        "差旅",
        "异地调查取证交通差旅补助",
    ),
    (
        "2022年11月18日",
        "¥2,150.00",
        "记-1111",
        "宣传",
        "宪法宣传周宣传品（环保袋、折页）",
    ),
    (
        "2022年12月20日",
        "0.84万元",
        "记-1215",
        "办案补贴",
        "第四季度民事案件办案补贴（28件×300元）",
    ),
    (
        "2022年12月20日",
        "4,800.00",
        "记-1216",
        "办案补贴",
        "第四季度刑事案件辩护补贴（8件×600元）",
    ),
];

/// The same ledger for the workbook: real dates and numbers.
const SPENDING_CELLS: [((u16, u8, u8), f64); 16] = [
    ((2022, 3, 28), 7200.0),
    ((2022, 3, 28), 4200.0),
    ((2022, 4, 15), 3600.0),
    ((2022, 5, 20), 1560.0),
    ((2022, 5, 22), -280.0),
    ((2022, 6, 27), 8100.0),
    ((2022, 6, 27), 4800.0),
    ((2022, 7, 5), 600.0),
    ((2022, 8, 10), 2850.0),
    ((2022, 8, 25), 4800.0),
    ((2022, 9, 26), 7800.0),
    ((2022, 9, 26), 4200.0),
    ((2022, 10, 12), 3120.0),
    ((2022, 11, 18), 2150.0),
    ((2022, 12, 20), 8400.0),
    ((2022, 12, 20), 4800.0),
];

/// 产出数据: metric, value, unit, note (a value of 是 is text, the others numbers).
const OUTPUTS: [(&str, &str, &str, &str); 11] = [
    ("cases_civil", "105", "件", "民事案件"),
    ("cases_criminal", "30", "件", "刑事全覆盖案件提供辩护"),
    ("consultations", "500", "起", "提供法律咨询500余起"),
    (
        "migrant_workers",
        "63",
        "人",
        "涉及农民工欠薪、工伤事故人数",
    ),
    (
        "substandard_files",
        "0",
        "件",
        "卷宗评审未发现质量未达标案件",
    ),
    ("follow_ups", "135", "件", "结案后电话回访并登记回访记录"),
    (
        "late_petitions",
        "0",
        "件",
        "无因不及时办理法律援助造成上访事件",
    ),
    ("violations", "0", "件", "未发现违规使用资金"),
    (
        "complaints",
        "0",
        "件",
        "尚未发生因服务不到位而产生的投诉事件",
    ),
    ("has_financial_rules", "是", "", "法律援助经费管理制度"),
    (
        "has_business_rules",
        "是",
        "",
        "案件办理、卷宗整理和回访制度",
    ),
];

const ACHIEVED: &str = "达成年度指标";
const PARTIAL: &str = "部分达成年度指标并具有一定效果";

/// 评价意见: indicator, tier, score, reason.
const JUDGMENTS: [(&str, &str, Option<f64>, &str); 12] = [
    ("D1", ACHIEVED, Some(3.0), ""),
    ("D2", ACHIEVED, Some(2.0), ""),
    ("D3", ACHIEVED, Some(2.0), ""),
    ("D4", ACHIEVED, Some(2.0), ""),
    (
        "D5",
        PARTIAL,
        Some(2.0),
        "项目预算比较薄弱，预算的计划性、科学性不强，削弱了预算的约束能力",
    ),
    ("D6", ACHIEVED, Some(3.0), ""),
    (
        "P2",
        "",
        None,
        "预算编制偏大，年度支出6.79万元低于预算10万元",
    ),
    ("P5", ACHIEVED, Some(4.0), ""),
    ("B1", ACHIEVED, Some(6.0), ""),
    (
        "B2",
        PARTIAL,
        Some(3.0),
        "法律援助工作自身的信息报道方面做得不够好，宣传有待加强",
    ),
    ("B3", ACHIEVED, Some(5.0), ""),
    ("B4", ACHIEVED, Some(5.0), ""),
];

/// Text as Chinese Windows saves "CSV": GBK (encoded by GB18030, its superset), CRLF.
fn gbk_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                if c.contains([',', '"']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable, "every character has a GBK code");
    bytes.into_owned()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// A workbook with fixed document properties, so that the bytes do not change between runs.
fn workbook() -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2023, 3, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_author("蓉江新区法律援助中心")
            .set_creation_datetime(&created),
    );
    Ok(book)
}

/// A title row merged over the table's width, then the header, at `header_row`.
fn title_and_header(
    sheet: &mut Worksheet,
    title: &str,
    header: &[&str],
    header_row: u32,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let last = header.len() as u16 - 1;
    sheet.merge_range(0, 0, 0, last, title, &bold)?;
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, 16)?;
    }
    Ok(())
}

fn outputs_xlsx(path: &Path) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let sheet = book.add_worksheet();
    sheet.set_name("产出数据")?;
    // Row 1 title, row 2 a note, row 3 the header, data from row 4.
    title_and_header(
        sheet,
        "2022年法律援助项目产出数据",
        &["项目编码", "指标", "实际完成值", "计量单位", "备注"],
        2,
    )?;
    sheet.write_string(1, 0, "填报单位：蓉江新区法律援助中心")?;
    for (i, (metric, value, unit, note)) in OUTPUTS.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, PROJECT)?;
        sheet.write_string(r, 1, *metric)?;
        match value.parse::<f64>() {
            Ok(n) => sheet.write_number(r, 2, n)?,
            Err(_) => sheet.write_string(r, 2, *value)?,
        };
        sheet.write_string(r, 3, *unit)?;
        sheet.write_string(r, 4, *note)?;
    }
    book.save(path)
}

fn judgments_xlsx(path: &Path) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let sheet = book.add_worksheet();
    sheet.set_name("评价意见")?;
    title_and_header(
        sheet,
        "2022年法律援助项目绩效评价意见",
        &[
            "项目编码",
            "指标编号",
            "评价档次",
            "得分",
            "扣分",
            "扣分原因",
            "指标体系",
        ],
        1,
    )?;
    for (i, (indicator, tier, score, reason)) in JUDGMENTS.iter().enumerate() {
        let r = 2 + i as u32;
        sheet.write_string(r, 0, PROJECT)?;
        sheet.write_string(r, 1, *indicator)?;
        if !tier.is_empty() {
            sheet.write_string(r, 2, *tier)?;
        }
        if let Some(s) = score {
            sheet.write_number(r, 3, *s)?;
        }
        if !reason.is_empty() {
            sheet.write_string(r, 5, *reason)?;
        }
        sheet.write_string(r, 6, "legal-aid-2022")?;
    }
    book.save(path)
}

fn budget_xlsx(path: &Path) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let sheet = book.add_worksheet();
    sheet.set_name("预算")?;
    title_and_header(
        sheet,
        "2022年项目预算表（单位：元）",
        &[
            "项目编码",
            "项目名称",
            "预算年度",
            "年初预算数",
            "全年预算数",
            "实际到位资金",
            "资金来源",
        ],
        1,
    )?;
    let money = Format::new().set_num_format("¥#,##0.00");
    sheet.write_string(2, 0, PROJECT)?;
    sheet.write_string(2, 1, "法律援助")?;
    sheet.write_number(2, 2, 2022.0)?;
    for c in 3..6 {
        sheet.write_number_with_format(2, c, 100_000.0, &money)?;
    }
    sheet.write_string(2, 6, "当年财政拨款")?;
    book.save(path)
}

fn spending_xlsx(path: &Path) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let sheet = book.add_worksheet();
    sheet.set_name("支出明细")?;
    title_and_header(
        sheet,
        "2022年法律援助项目支出明细账",
        &["项目编码", "支付日期", "金额", "凭证号", "支出类别", "摘要"],
        1,
    )?;
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let money = Format::new().set_num_format("#,##0.00;(#,##0.00)");
    for (i, (((y, m, d), amount), (_, _, voucher, category, text))) in
        SPENDING_CELLS.iter().zip(SPENDING.iter()).enumerate()
    {
        let r = 2 + i as u32;
        sheet.write_string(r, 0, PROJECT)?;
        sheet.write_datetime_with_format(r, 1, ExcelDateTime::from_ymd(*y, *m, *d)?, &date)?;
        sheet.write_number_with_format(r, 2, *amount, &money)?;
        sheet.write_string(r, 3, *voucher)?;
        sheet.write_string(r, 4, *category)?;
        sheet.write_string(r, 5, *text)?;
    }
    book.save(path)
}

/// Write every file of the sample into `dir` (the sample folder).
pub fn generate(dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut budget = vec![
        row(&["2022年项目预算表"]),
        row(&[
            "项目编码",
            "项目名称",
            "预算年度",
            "年初预算数",
            "全年预算数",
            "实际到位资金",
            "资金来源",
        ]),
    ];
    budget.push(row(&[
        PROJECT,
        "法律援助",
        "2022年",
        "10万元",
        "¥100,000.00",
        "100,000.00",
        "当年财政拨款",
    ]));
    std::fs::write(dir.join("预算.csv"), gbk_csv(&budget))?;

    let mut spending = vec![
        row(&["2022年法律援助项目支出明细账"]),
        row(&["单位：元"]),
        row(&["项目编码", "支付日期", "金额", "凭证号", "支出类别", "摘要"]),
    ];
    for (date, amount, voucher, category, text) in SPENDING {
        spending.push(row(&[PROJECT, date, amount, voucher, category, text]));
    }
    std::fs::write(dir.join("支出明细.csv"), gbk_csv(&spending))?;

    outputs_xlsx(&dir.join("产出数据.xlsx"))?;
    judgments_xlsx(&dir.join("评价意见.xlsx"))?;

    let all = dir.join("xlsx");
    std::fs::create_dir_all(&all)?;
    budget_xlsx(&all.join("budget.xlsx"))?;
    spending_xlsx(&all.join("spending.xlsx"))?;
    outputs_xlsx(&all.join("outputs.xlsx"))?;
    judgments_xlsx(&all.join("judgments.xlsx"))?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/legal-aid-2022-excel");
    generate(&dir)?;
    println!("wrote {}", dir.display());
    Ok(())
}
