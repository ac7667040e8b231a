//! Files jixiao writes for a new user: the JSON Schema of the scheme format
//! (`jixiao schema`) and commented starter schemes (`jixiao init`), made from the two
//! official baselines shipped in `indicators/`.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `jixiao init --family`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitFamily {
    /// 项目支出绩效自评表: 预算执行率 10, 产出 50, 效益 30, 满意度 10.
    SelfEvaluation,
    /// 评价指标体系框架: 决策 / 过程 / 产出 / 效益.
    Framework,
}

const SELF_EVALUATION: &str = include_str!("../indicators/project-self-evaluation.toml");
const FRAMEWORK: &str = include_str!("../indicators/evaluation-framework.toml");

/// The file name editors look for beside a scheme (`#:schema ./jixiao.schema.json`).
pub const SCHEMA_FILE: &str = "jixiao.schema.json";

/// The JSON Schema as committed in `indicators/jixiao.schema.json`.
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&crate::scheme::json_schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// The starter scheme of a family, with its `id` taken from the file name.
pub fn starter(family: InitFamily, id: &str) -> String {
    let (text, title) = match family {
        InitFamily::SelfEvaluation => (SELF_EVALUATION, "（项目名称）项目支出绩效自评指标体系"),
        InitFamily::Framework => (FRAMEWORK, "（项目名称）项目支出绩效评价指标体系"),
    };
    let mut in_scheme = false;
    text.lines()
        .map(|line| {
            let t = line.trim();
            if t.starts_with('[') {
                in_scheme = t == "[scheme]";
            }
            if in_scheme && t.starts_with("id =") {
                format!("id = \"{id}\"")
            } else if in_scheme && t.starts_with("title =") {
                format!("title = \"{title}\"")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Why `init` could not write.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{}: already exists; choose a new file name (jixiao init never overwrites)", .0.display())]
    Exists(PathBuf),
    // Not `#[source]`: the message already says why, and anyhow would print it twice.
    #[error("{}: cannot write: {cause}", path.display())]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
}

impl InitError {
    /// The error in `lang` (its `Display` is the English).
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match (self, lang) {
            (_, crate::i18n::Lang::En) => self.to_string(),
            (InitError::Exists(path), _) => format!(
                "{}：文件已存在；请换一个文件名（jixiao init 从不覆盖已有的文件）",
                path.display()
            ),
            (InitError::Write { path, cause }, _) => {
                format!("{}：无法写入：{cause}", path.display())
            }
        }
    }
}

/// Write the starter scheme to `path` (which must not exist) and, when the folder has none,
/// `jixiao.schema.json` beside it so editors can check the file as it is typed.
pub fn init(path: &Path, family: InitFamily) -> Result<Vec<PathBuf>, InitError> {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| crate::scheme::is_identifier(&s.replace('-', "_")))
        .unwrap_or("my-scheme");
    let mut written = vec![create_new(path, &starter(family, id))?];
    let schema = path.parent().unwrap_or(Path::new(".")).join(SCHEMA_FILE);
    if !schema.exists() {
        written.push(create_new(&schema, &schema_text())?);
    }
    Ok(written)
}

fn create_new(path: &Path, text: &str) -> Result<PathBuf, InitError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|cause| match cause.kind() {
            std::io::ErrorKind::AlreadyExists => InitError::Exists(path.to_path_buf()),
            _ => InitError::Write {
                path: path.to_path_buf(),
                cause,
            },
        })?;
    file.write_all(text.as_bytes())
        .map_err(|cause| InitError::Write {
            path: path.to_path_buf(),
            cause,
        })?;
    Ok(path.to_path_buf())
}

/// How every value `jixiao init` leaves for the officer to fill in begins:
/// `【待填写：项目编码】`. `check` warns on each one left; `score`, `export`, `report` and
/// `explain` refuse a folder that still holds one, and say where.
pub const PLACEHOLDER: &str = "【待填写";

/// The files `jixiao init DIR` writes, in the order it writes them.
pub const FOLDER_FILES: [&str; 8] = [
    "evaluation.toml",
    "scheme.toml",
    SCHEMA_FILE,
    "budget.csv",
    "spending.csv",
    "outputs.csv",
    "judgments.csv",
    "narrative.toml",
];

/// The UTF-8 byte-order mark: with it Excel opens a UTF-8 CSV file as UTF-8, not GBK.
const BOM: &str = "\u{FEFF}";

/// A placeholder cell: `【待填写：what】`.
fn todo(what: &str) -> String {
    format!("{PLACEHOLDER}：{what}】")
}

/// CSV text as Excel reads it: a byte-order mark, the rows joined by CRLF. Cells hold no
/// comma, quote or line break (they are written here).
fn csv_text(rows: &[Vec<String>]) -> String {
    let mut out = String::from(BOM);
    for row in rows {
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// An output metric an evaluation folder's formulas need: its id, what it counts, its unit.
struct OutputMetric {
    id: &'static str,
    what: &'static str,
    unit: &'static str,
}

const fn om(id: &'static str, what: &'static str, unit: &'static str) -> OutputMetric {
    OutputMetric { id, what, unit }
}

/// The generic rates a family's scheme scores ([[metric]] of evaluation.toml): id, name,
/// formula over the output metrics and the built-in ones.
fn family_metrics(family: InitFamily) -> &'static [(&'static str, &'static str, &'static str)] {
    match family {
        InitFamily::SelfEvaluation => &[
            (
                "output_quantity_rate",
                "产出数量完成率（实际完成数/计划完成数）",
                "completed / planned",
            ),
            (
                "output_quality_rate",
                "质量达标率（质量达标数/实际完成数）",
                "qualified / completed",
            ),
            (
                "output_timeliness_rate",
                "完成及时率（按时完成数/实际完成数）",
                "on_time / completed",
            ),
            (
                "cost_control_rate",
                "成本控制率（全年执行数/全年预算数）",
                "spent / adjusted_budget",
            ),
            (
                "benefit_rate",
                "效益目标完成率（实际效益/预期效益）",
                "benefit_actual / benefit_target",
            ),
            (
                "satisfaction_rate",
                "服务对象满意度（满意人数/调查人数）",
                "satisfied / surveyed",
            ),
        ],
        InitFamily::Framework => &[
            (
                "output_completion_rate",
                "实际完成率（实际完成数/计划完成数）",
                "completed / planned",
            ),
            (
                "output_quality_rate",
                "质量达标率（质量达标数/实际完成数）",
                "qualified / completed",
            ),
            (
                "cost_saving_rate",
                "成本节约率（(计划成本-实际成本)/计划成本）",
                "(planned_cost - actual_cost) / planned_cost",
            ),
            (
                "satisfaction_rate",
                "满意度（满意人数/调查人数）",
                "satisfied / surveyed",
            ),
        ],
    }
}

/// The output metrics the family's formulas read, in the order outputs.csv lists them.
fn output_metrics(family: InitFamily) -> Vec<OutputMetric> {
    let mut all = vec![
        om("planned", "计划完成数（年度指标值）", "件"),
        om("completed", "实际完成数", "件"),
        om("qualified", "质量达标数", "件"),
    ];
    match family {
        InitFamily::SelfEvaluation => all.extend([
            om("on_time", "按时完成数", "件"),
            om("benefit_target", "预期效益（如受益人数）", "人"),
            om("benefit_actual", "实际效益（如受益人数）", "人"),
        ]),
        InitFamily::Framework => all.extend([
            om("planned_cost", "计划成本", "元"),
            om("actual_cost", "实际成本", "元"),
        ]),
    }
    all.extend([
        om("surveyed", "满意度调查人数（有效样本）", "人"),
        om("satisfied", "满意人数", "人"),
    ]);
    all
}

/// `evaluation.toml` of a new folder.
fn evaluation_toml(family: InitFamily) -> String {
    let mut out = format!(
        "\
# 评价目录 — 用 jixiao 对一个项目打分：
#   jixiao check 本目录        检查还有哪些【待填写】未填
#   jixiao score 本目录        打分
#   jixiao export 本目录 --xlsx 自评表.xlsx    导出项目支出绩效自评表
#   jixiao report 本目录 -o 报告.md            生成绩效评价报告草稿
# 凡是“{PLACEHOLDER}…】”之处都要换成实际内容（CSV 文件可用 Excel 打开、填写、另存为 CSV）。

# 指标体系文件（同目录下的 scheme.toml，可按项目修改指标、分值和年度指标值）
scheme = \"scheme.toml\"

# 项目编码：预算表 budget.csv 只有一个项目时可以不写
# project = \"2024-001\"

# 主管部门与实施单位，写入自评表和报告
department = \"{}\"
unit = \"{}\"

# 取数口径：指标体系中的通用比率由 outputs.csv 的数据计算（公式中的名称即 outputs.csv
# “指标”列的名称；spent 全年执行数、adjusted_budget 全年预算数等由预算表和支出明细算出）。
# 与项目不符时可改写公式，或在 outputs.csv 中增加数据。
",
        todo("主管部门，如 某某县水利局"),
        todo("实施单位，如 某某镇人民政府"),
    );
    for (id, name, formula) in family_metrics(family) {
        out.push_str(&format!(
            "\n[[metric]]\nid = \"{id}\"\nname = \"{name}\"\nformula = \"{formula}\"\nunit = \"%\"\n"
        ));
    }
    out
}

/// The four CSV files of a new folder: Chinese headers, one example row of placeholders
/// (one per output metric, one per judged indicator).
fn csv_files(family: InitFamily, scheme: &crate::scheme::Scheme) -> [String; 4] {
    let code = || todo("项目编码");
    let budget = csv_text(&[
        [
            "项目编码",
            "项目名称",
            "年度",
            "年初预算数",
            "全年预算数",
            "实际到位资金",
            "资金来源",
        ]
        .map(String::from)
        .to_vec(),
        vec![
            code(),
            todo("项目名称，如 2024年某某镇农村饮水安全巩固提升工程"),
            todo("年度，如 2024"),
            todo("年初预算数（元），如 1000000.00"),
            todo("全年预算数（元），调整后"),
            todo("实际到位资金（元）"),
            "当年财政拨款".into(),
        ],
    ]);
    let spending = csv_text(&[
        ["项目编码", "日期", "金额", "凭证号", "支出类别", "摘要"]
            .map(String::from)
            .to_vec(),
        vec![
            code(),
            todo("支付日期，如 2024-03-28"),
            todo("金额（元），如 730800.50；冲销写负数"),
            todo("凭证号，如 记-0315"),
            todo("支出类别，如 工程款"),
            todo("摘要"),
        ],
    ]);
    let mut outputs = vec![
        ["项目编码", "指标", "数值", "单位", "备注"]
            .map(String::from)
            .to_vec(),
    ];
    for m in output_metrics(family) {
        outputs.push(vec![
            code(),
            m.id.into(),
            todo(m.what),
            m.unit.into(),
            m.what.into(),
        ]);
    }
    let mut judgments = vec![
        [
            "项目编码",
            "指标编号",
            "指标名称",
            "档次",
            "得分",
            "扣分",
            "扣分原因",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let judged: Vec<&crate::scheme::Indicator> = scheme
        .dimensions
        .iter()
        .flat_map(|d| d.groups.iter().flat_map(|g| &g.indicators))
        .filter(|i| i.scoring.is_judged())
        .collect();
    for i in &judged {
        judgments.push(vec![
            code(),
            i.id.clone(),
            i.name.clone(),
            todo(
                "档次，填 达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差",
            ),
            todo(&format!(
                "得分，不超过{}分",
                crate::decimal::plain(i.weight)
            )),
            String::new(),
            String::new(),
        ]);
    }
    if judged.is_empty() {
        judgments.push(vec![
            code(),
            todo("指标编号，如 S02；没有要说明的扣分时删除此行"),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            todo("扣分原因（偏差原因分析及改进措施）"),
        ]);
    }
    [budget, spending, csv_text(&outputs), csv_text(&judgments)]
}

/// `narrative.toml` of a new folder: every key, empty, under a Chinese comment saying what
/// belongs there. An empty key is marked 【待补充】 in the report.
pub const NARRATIVE: &str = include_str!("templates/narrative.toml");

/// Write a complete evaluation folder at `dir` (created if missing; none of its files may
/// exist): evaluation.toml, the family's scheme as scheme.toml with its JSON Schema, the
/// four CSV files (UTF-8 with a byte-order mark, Chinese headers, rows of placeholders)
/// and narrative.toml. Nothing is written when one of the files exists; what was written is
/// removed when a later file cannot be.
pub fn init_folder(dir: &Path, family: InitFamily) -> Result<Vec<PathBuf>, InitError> {
    // The scheme's id: the folder's name when it is one (road-2025), else the family's.
    let id = dir
        .file_name()
        .and_then(|s| s.to_str())
        .filter(|s| crate::scheme::is_identifier(&s.replace('-', "_")))
        .unwrap_or(match family {
            InitFamily::SelfEvaluation => "project-self-evaluation",
            InitFamily::Framework => "evaluation-framework",
        });
    let scheme_text = starter(family, id);
    let scheme_text = scheme_text.replace("（项目名称）", "");
    let scheme = crate::scheme::parse(Path::new("scheme.toml"), &scheme_text).map_err(|_| {
        InitError::Write {
            path: dir.join("scheme.toml"),
            cause: std::io::Error::other("the starter scheme does not load"),
        }
    })?;
    let [budget, spending, outputs, judgments] = csv_files(family, &scheme);
    let texts = [
        evaluation_toml(family),
        scheme_text,
        schema_text(),
        budget,
        spending,
        outputs,
        judgments,
        NARRATIVE.to_string(),
    ];
    for name in FOLDER_FILES {
        let path = dir.join(name);
        if path.exists() {
            return Err(InitError::Exists(path));
        }
    }
    std::fs::create_dir_all(dir).map_err(|cause| InitError::Write {
        path: dir.to_path_buf(),
        cause,
    })?;
    let mut written = Vec::new();
    for (name, text) in FOLDER_FILES.iter().zip(&texts) {
        match create_new(&dir.join(name), text) {
            Ok(p) => written.push(p),
            Err(e) => {
                for p in &written {
                    let _ = std::fs::remove_file(p);
                }
                return Err(e);
            }
        }
    }
    Ok(written)
}

/// The placeholders left in `text` (a file's content, CSV or TOML): line, column
/// (characters) and the placeholder itself.
fn find_placeholders(text: &str, csv: bool) -> Vec<(usize, usize, &str)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        // A TOML comment may name the placeholder; only values are to be filled in.
        if !csv && line.trim_start().starts_with('#') {
            continue;
        }
        let mut from = 0;
        while let Some(at) = line[from..].find(PLACEHOLDER) {
            let start = from + at;
            let end = line[start..]
                .find('】')
                .map_or(line.len(), |e| start + e + '】'.len_utf8());
            let column = line[..start].chars().count() + 1;
            found.push((n + 1, column, &line[start..end]));
            from = end;
        }
    }
    found
}

/// The name of the field a placeholder sits in: the CSV column's header, or the TOML key
/// before `=` on its line.
fn field_of(text: &str, line: usize, column: usize, csv: bool) -> Option<String> {
    let the_line = text.lines().nth(line - 1)?;
    if csv {
        let header = text.lines().next()?.trim_start_matches('\u{FEFF}');
        let before: String = the_line.chars().take(column - 1).collect();
        let index = before.matches(',').count();
        return header.split(',').nth(index).map(|h| h.trim().to_string());
    }
    let (key, _) = the_line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('#')).then(|| key.to_string())
}

/// How much of a file is searched for placeholders: the rows `init` writes are at the top,
/// and a ledger of millions of rows is not read twice.
const SEARCHED_BYTES: u64 = 1 << 20;

/// The first [`SEARCHED_BYTES`] of a regular file.
fn head(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    crate::input::open(path)
        .ok()?
        .take(SEARCHED_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// Every placeholder `jixiao init` left in `files` (those that exist and are text; a
/// workbook or a GBK file holds none), each a warning with its file, line, column and field.
pub fn placeholders<'a>(files: impl IntoIterator<Item = &'a Path>) -> crate::diag::Problems {
    let mut problems = crate::diag::Problems::default();
    for path in files {
        let Some(bytes) = head(path) else {
            continue;
        };
        // A file cut inside a character is read up to it.
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t,
            Err(e) if e.error_len().is_none() => {
                std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
            }
            Err(_) => continue,
        };
        if !text.contains(PLACEHOLDER) {
            continue;
        }
        let csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        for (line, column, found) in find_placeholders(text, csv) {
            let mut p = crate::diag::Problem::warning(
                path,
                format!("仍是 jixiao init 留下的待填写内容：{found}"),
            )
            .code(crate::diag::Code::Placeholder)
            .at(line, column)
            .value(found)
            .help("换成实际内容；不需要的示例行整行删除");
            if let Some(field) = field_of(text, line, column, csv) {
                p = p.field(field);
            }
            problems.push(p);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_with_their_column_in_characters() {
        let text = "项目编码,金额\r\n【待填写：项目编码】,【待填写：金额】\r\n";
        let found = find_placeholders(text, true);
        // 【待填写：项目编码】 is 10 characters and a comma: the second opens at column 12
        assert_eq!(
            found,
            [(2, 1, "【待填写：项目编码】"), (2, 12, "【待填写：金额】")]
        );
        assert_eq!(field_of(text, 2, 12, true).as_deref(), Some("金额"));
        // a TOML comment may name the placeholder; a value holds one
        let toml = "# 凡【待填写】处都要填写\nunit = \"【待填写：实施单位】\"\n";
        assert_eq!(
            find_placeholders(toml, false),
            [(2, 9, "【待填写：实施单位】")]
        );
        assert_eq!(field_of(toml, 2, 9, false).as_deref(), Some("unit"));
    }

    #[test]
    fn every_family_makes_a_folder_whose_scheme_loads() {
        for family in [InitFamily::SelfEvaluation, InitFamily::Framework] {
            let tmp = tempfile::TempDir::new().unwrap();
            let dir = tmp.path().join("new");
            let written = init_folder(&dir, family).unwrap();
            assert_eq!(written.len(), FOLDER_FILES.len());
            let scheme = crate::scheme::load(&dir.join("scheme.toml")).expect("loads");
            assert!(!scheme.title.contains("（项目名称）"), "{}", scheme.title);
            // a second init writes nothing over the first
            assert!(matches!(
                init_folder(&dir, family),
                Err(InitError::Exists(_))
            ));
        }
    }

    #[test]
    fn starters_load_cleanly_with_their_new_id() {
        for family in [InitFamily::SelfEvaluation, InitFamily::Framework] {
            let text = starter(family, "road-repair-2025");
            let scheme = crate::scheme::parse(Path::new("new.toml"), &text).expect("starter loads");
            assert_eq!(scheme.id, "road-repair-2025");
            assert!(scheme.title.contains("（项目名称）"));
            assert!(scheme.warnings.is_empty(), "{:?}", scheme.warnings);
        }
    }
}
