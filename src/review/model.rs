//! The claims file (`claims.toml`) as written: what a department published, as published.
//! Every key is optional, because reports publish different subsets. Key-by-key
//! documentation: `docs/review.md`.

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

use rust_decimal::Decimal;
use std::ops::Range;
use std::path::PathBuf;

use crate::builtin::Builtin;
use crate::i18n::Lang;
use crate::judgment::JudgedTier;
use crate::scheme::raw::MetricDef;
use crate::scheme::{DerivedMetric, Unit};

/// A whole claims file.
#[derive(Debug, Default, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk of scheme/keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct ClaimsFile {
    /// Optional JSON Schema reference for editors.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// Which report, which project, and what to review it against.
    #[serde(default)]
    pub report: ReportDef,
    /// 总分 row: 分值, 得分, 评价等级.
    #[serde(default)]
    pub total: TotalDef,
    /// 项目资金 block: 年度资金总额 with its 执行率 and 得分, and the 其中 rows.
    #[serde(default)]
    pub funds: FundsDef,
    /// First-level indicators (一级指标) with their groups and rows, as printed.
    #[serde(default, rename = "dimension")]
    pub dimensions: Vec<DimensionDef>,
    /// Published figures that are not indicator rows (产出数据: 民事案件105件 …), by metric id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Raw>")]
    pub outputs: BTreeMap<String, Spanned<Raw>>,
    /// Derived metrics (取数口径), as in `evaluation.toml`: how the published figures feed a
    /// scheme's metrics (for `--baseline`).
    #[serde(default, rename = "metric")]
    pub metrics: Vec<MetricDef>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ReportDef {
    /// 项目编码
    #[serde(default)]
    pub project: Option<String>,
    /// 项目名称
    #[serde(default)]
    pub name: Option<String>,
    /// 年度
    #[serde(default)]
    pub year: Option<i64>,
    /// 主管部门
    #[serde(default)]
    pub department: Option<String>,
    /// 实施单位
    #[serde(default)]
    pub unit: Option<String>,
    /// Where the claims were read: the report's title, its address, the page.
    #[serde(default)]
    pub source: Option<String>,
    /// The scheme to review against, relative to this file.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub scheme: Option<Spanned<String>>,
    /// An evaluation folder holding the records (budget, spending, outputs, judgments),
    /// relative to this file.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub evaluation: Option<Spanned<String>>,
    /// The table printed here is only part of the form (a page cut off before 满意度, a
    /// transcription of some rows): its rows are not added up to the total.
    #[serde(default)]
    pub partial: bool,
    /// The template the form follows when it prints no 分值: "10+90" (预算执行率 10, 产出 50,
    /// 效益 30, 满意度 10) or "20+80" (预算执行率 20, the indicators 80). Its weights are then
    /// implied (docs/review.md, "Templates without a 分值 column").
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub template: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TotalDef {
    /// 总分的分值 (normally 100).
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub weight: Option<Spanned<Raw>>,
    /// 总分 / 自评得分.
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub score: Option<Spanned<Raw>>,
    /// 评价等级 / 自评结论 (优, 良, 中, 差 …).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub grade: Option<Spanned<String>>,
}

/// The 项目资金 block. Its amount and rate keys are those of the 年度资金总额 row.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FundsDef {
    /// The unit the amounts are printed in when they carry none: "万元" (default) or "元".
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub unit: Option<Spanned<String>>,
    /// 分值 of 预算执行率 (10 on the 自评表).
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub weight: Option<Spanned<Raw>>,
    /// 得分 of 预算执行率.
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub score: Option<Spanned<Raw>>,
    /// 年初预算数
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub initial_budget: Option<Spanned<Raw>>,
    /// 全年预算数 (调整后预算数)
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub adjusted_budget: Option<Spanned<Raw>>,
    /// 实际到位资金
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub allocated: Option<Spanned<Raw>>,
    /// 全年执行数
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub spent: Option<Spanned<Raw>>,
    /// 预算执行率 = 全年执行数 / 全年预算数 (the 自评表's 执行率).
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub execution_rate: Option<Spanned<Raw>>,
    /// 预算执行率 = 全年执行数 / 实际到位资金 (the evaluation framework's).
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub execution_rate_allocated: Option<Spanned<Raw>>,
    /// 资金到位率 = 实际到位资金 / 全年预算数.
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub arrival_rate: Option<Spanned<Raw>>,
    /// The 其中 rows: 当年财政拨款, 上年结转资金, 其他资金.
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceDef>,
}

/// One 其中 row of the funds block. (Its keys are written out rather than shared with
/// [`FundsDef`]: serde's `flatten` would lose the spans.)
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SourceDef {
    /// 资金来源: 当年财政拨款, 上年结转资金, 其他资金.
    #[serde(default)]
    pub name: Option<String>,
    /// 分值 of 预算执行率, when the 其中 row prints one (some forms score each source).
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub weight: Option<Spanned<Raw>>,
    /// 得分 of 预算执行率 on this row.
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub score: Option<Spanned<Raw>>,
    /// 年初预算数
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub initial_budget: Option<Spanned<Raw>>,
    /// 全年预算数 (调整后预算数)
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub adjusted_budget: Option<Spanned<Raw>>,
    /// 实际到位资金
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub allocated: Option<Spanned<Raw>>,
    /// 全年执行数
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub spent: Option<Spanned<Raw>>,
    /// 预算执行率 = 全年执行数 / 全年预算数 (the 自评表's 执行率).
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub execution_rate: Option<Spanned<Raw>>,
    /// 预算执行率 = 全年执行数 / 实际到位资金 (the evaluation framework's).
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub execution_rate_allocated: Option<Spanned<Raw>>,
    /// 资金到位率 = 实际到位资金 / 全年预算数.
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub arrival_rate: Option<Spanned<Raw>>,
}

/// The amounts and rates of one funds row, borrowed from [`FundsDef`] or [`SourceDef`].
pub struct AmountsRef<'a> {
    pub initial_budget: &'a Option<Spanned<Raw>>,
    pub adjusted_budget: &'a Option<Spanned<Raw>>,
    pub allocated: &'a Option<Spanned<Raw>>,
    pub spent: &'a Option<Spanned<Raw>>,
    pub execution_rate: &'a Option<Spanned<Raw>>,
    pub execution_rate_allocated: &'a Option<Spanned<Raw>>,
    pub arrival_rate: &'a Option<Spanned<Raw>>,
}

macro_rules! amounts_ref {
    ($t:ty) => {
        impl $t {
            pub fn amounts(&self) -> AmountsRef<'_> {
                AmountsRef {
                    initial_budget: &self.initial_budget,
                    adjusted_budget: &self.adjusted_budget,
                    allocated: &self.allocated,
                    spent: &self.spent,
                    execution_rate: &self.execution_rate,
                    execution_rate_allocated: &self.execution_rate_allocated,
                    arrival_rate: &self.arrival_rate,
                }
            }
        }
    };
}
amounts_ref!(FundsDef);
amounts_ref!(SourceDef);

/// 一级指标 as printed.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DimensionDef {
    /// The label as printed (产出指标, 过程 …).
    #[serde(default)]
    pub name: Option<String>,
    /// 分值
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub weight: Option<Spanned<Raw>>,
    /// 得分 (subtotal)
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub score: Option<Spanned<Raw>>,
    /// 二级指标
    #[serde(default, rename = "group")]
    pub groups: Vec<GroupDef>,
}

/// 二级指标 as printed.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct GroupDef {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub weight: Option<Spanned<Raw>>,
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub score: Option<Spanned<Raw>>,
    /// 三级指标 rows
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<IndicatorDef>,
}

/// One 三级指标 row of the published table.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct IndicatorDef {
    /// The id of the scheme's indicator this row is (matched by name when absent).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// 三级指标 as printed.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// 分值
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub weight: Option<Spanned<Raw>>,
    /// 年度指标值 as printed (≥120件, ≤800元/件, or text).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub target: Option<Spanned<String>>,
    /// 实际完成值 as printed (135件, 67.9%, or text for a qualitative row).
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub actual: Option<Spanned<Raw>>,
    /// 得分
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub score: Option<Spanned<Raw>>,
    /// On a form that converts (权重占比 / 折算得分): the row's own full marks, its 分值
    /// (100 when not printed).
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub basis_weight: Option<Spanned<Raw>>,
    /// On a form that converts: the row's 得分 out of its own full marks (百分制), of which
    /// `score` (折算得分) is `weight`'s share.
    #[serde(default)]
    #[schemars(with = "Option<Raw>")]
    pub basis_score: Option<Spanned<Raw>>,
    /// 定性 tier (达成年度指标 …), or 不适用.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub tier: Option<Spanned<String>>,
    /// 偏差原因分析及改进措施 as printed; "" for a printed, empty cell.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub reason: Option<Spanned<String>>,
    /// A 其中 row of the row above it: its weight and score are parts of that row's, not
    /// added to the group again. Default: a row whose name starts with 其中 and that has a
    /// row above it in its group.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub sub: Option<Spanned<bool>>,
}

/// A figure as printed: a string (`"67.9%"`, `"6.79万"`, `"0.917"`) or a TOML number
/// (`95`, `0.917`, whose text is read back from the file so that `0.90` keeps its zero).
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Text(String),
    /// A TOML number; its printed text comes from the source.
    Number,
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a figure as printed, such as \"67.9%\", \"6.79万\" or 95")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Text(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Raw, E> {
                Ok(Raw::Number)
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Raw, E> {
                Ok(Raw::Number)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Raw, E> {
                Ok(Raw::Number)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Raw {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Printed".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": ["string", "number"],
            "description": "a figure as printed, e.g. \"67.9%\", \"6.79万\", \"135件\" or 95"
        })
    }
}

/// The JSON Schema of the claims file, for finding unknown keys.
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(ClaimsFile).to_value())
}

// ───────────────────────── the claims as read ─────────────────────────

/// Where a claim stands in its file: 1-based line and character column, and the byte span.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub column: usize,
    pub span: Range<usize>,
}

/// A text claim (a grade, a tier, a reason, an id) and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub at: Place,
}

/// A published figure, kept as printed so that it is judged at the precision it was printed
/// with: "67.9%" is 67.9 in percent with 1 decimal; "0.917" is a fraction with 3 decimals;
/// "6.79" in a 万元 table is 67,900 元 printed to 0.01万元.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// The text as printed.
    pub text: String,
    /// The number as printed, in the printed unit (67.9 for "67.9%", 6.79 for "6.79万").
    pub number: Decimal,
    /// Decimals printed.
    pub places: u32,
    /// Decimals the figure is judged at: as printed, except that points are judged at two
    /// (a score printed "18" claims 18.00, not "about 18": scores are kept to 0.01).
    pub precision: u32,
    /// The printed unit: percent, 万元, 元, a counting unit, or none.
    pub unit: Unit,
    /// The base value: a fraction for percentages, 元 for money (0.679; 67900).
    pub value: Decimal,
    pub at: Place,
}

/// 实际完成值: a figure, or a text for a qualitative row (达成预期指标).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actual {
    Number(Printed),
    Text(Text),
}

/// Everything the claims file says, read and checked.
#[derive(Debug, Clone)]
pub struct Claims {
    /// The claims file, as given (or the workbook the claims were read from).
    pub path: PathBuf,
    /// The sheet the claims were read from, when they were read from a workbook.
    pub sheet: Option<String>,
    pub report: Report,
    pub total: TotalClaim,
    pub funds: FundsClaim,
    pub dimensions: Vec<DimensionClaim>,
    /// `[outputs]`: published figures by metric id.
    pub outputs: Vec<(String, Printed)>,
    /// `[[metric]]`: derived metrics (取数口径).
    pub metrics: Vec<DerivedMetric>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub project: Option<String>,
    pub name: Option<String>,
    pub year: Option<i64>,
    pub department: Option<String>,
    pub unit: Option<String>,
    pub source: Option<String>,
    /// The scheme, resolved against the claims file's folder.
    pub scheme: Option<PathBuf>,
    /// The evaluation folder with the records, resolved against the claims file's folder.
    pub evaluation: Option<PathBuf>,
    /// Only part of the form (`[report] partial = true`).
    pub partial: bool,
    /// The template whose weights are implied where none is printed (`[report] template`).
    pub template: Option<Template>,
}

/// A 自评表 template, whose weights are implied when a form prints no 分值.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// 财预〔2020〕10号: 预算执行率 10, the indicators 90 (产出 50, 效益 30, 满意度 10).
    TenNinety,
    /// Hubei-style: 预算执行率 20 (scored 20 × 执行率), the indicators 80.
    TwentyEighty,
}

impl Template {
    /// `10+90`, `10 + 90`, `20+80` (full-width signs and digits allowed).
    pub fn parse(text: &str) -> Option<Template> {
        let t: String = crate::values::fold_width(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        match t.as_str() {
            "10+90" => Some(Template::TenNinety),
            "20+80" => Some(Template::TwentyEighty),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Template::TenNinety => "10 + 90",
            Template::TwentyEighty => "20 + 80",
        }
    }

    /// The 预算执行率 weight.
    pub fn execution(self) -> Decimal {
        match self {
            Template::TenNinety => Decimal::TEN,
            Template::TwentyEighty => Decimal::from(20),
        }
    }

    /// The weight of all the 绩效指标 rows together.
    pub fn indicators(self) -> Decimal {
        Decimal::ONE_HUNDRED - self.execution()
    }

    /// The weight of a first-level indicator by its printed name, where the template fixes
    /// it: 产出 50, 效益 30, 满意度 10 under 10 + 90 (the 20 + 80 template splits its 80 as
    /// each project sets it).
    pub fn dimension(self, name: &str) -> Option<Decimal> {
        if self == Template::TwentyEighty {
            return None;
        }
        if name.contains("满意度") {
            Some(Decimal::TEN)
        } else if name.contains("产出") {
            Some(Decimal::from(50))
        } else if name.contains("效益") {
            Some(Decimal::from(30))
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TotalClaim {
    pub weight: Option<Printed>,
    pub score: Option<Printed>,
    pub grade: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct FundsClaim {
    /// The unit of amounts printed without one (万元 or 元).
    pub unit: Unit,
    pub weight: Option<Printed>,
    pub score: Option<Printed>,
    /// 年度资金总额
    pub total: AmountsClaim,
    /// 其中 rows
    pub sources: Vec<SourceClaim>,
}

impl Default for FundsClaim {
    fn default() -> Self {
        FundsClaim {
            unit: Unit::Wan,
            weight: None,
            score: None,
            total: AmountsClaim::default(),
            sources: Vec::new(),
        }
    }
}

/// The amounts (in 元 as base values) and rates of one funds row.
#[derive(Debug, Clone, Default)]
pub struct AmountsClaim {
    pub initial_budget: Option<Printed>,
    pub adjusted_budget: Option<Printed>,
    pub allocated: Option<Printed>,
    pub spent: Option<Printed>,
    pub execution_rate: Option<Printed>,
    pub execution_rate_allocated: Option<Printed>,
    pub arrival_rate: Option<Printed>,
}

impl AmountsClaim {
    /// The printed figure of a built-in; 结余 is not printed on the form.
    pub fn get(&self, b: Builtin) -> Option<&Printed> {
        match b {
            Builtin::InitialBudget => self.initial_budget.as_ref(),
            Builtin::AdjustedBudget => self.adjusted_budget.as_ref(),
            Builtin::Allocated => self.allocated.as_ref(),
            Builtin::Spent => self.spent.as_ref(),
            Builtin::Balance => None,
            Builtin::ExecutionRate => self.execution_rate.as_ref(),
            Builtin::ExecutionRateAllocated => self.execution_rate_allocated.as_ref(),
            Builtin::ArrivalRate => self.arrival_rate.as_ref(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SourceClaim {
    /// 资金来源 as printed, or "其中 N" when the row has no name.
    pub name: String,
    /// 分值 and 得分 of 预算执行率, when the row prints them.
    pub weight: Option<Printed>,
    pub score: Option<Printed>,
    pub row: AmountsClaim,
    /// `funds.source[N]`
    pub field: String,
}

#[derive(Debug, Clone)]
pub struct DimensionClaim {
    pub name: Option<String>,
    pub weight: Option<Printed>,
    pub score: Option<Printed>,
    pub groups: Vec<GroupClaim>,
    /// `dimension[N]`
    pub field: String,
}

#[derive(Debug, Clone)]
pub struct GroupClaim {
    pub name: Option<String>,
    pub weight: Option<Printed>,
    pub score: Option<Printed>,
    pub rows: Vec<RowClaim>,
    /// `dimension[N].group[M]`
    pub field: String,
}

/// One published 三级指标 row.
#[derive(Debug, Clone)]
pub struct RowClaim {
    pub id: Option<Text>,
    pub name: Option<Text>,
    pub weight: Option<Printed>,
    /// 分值 and 得分 on the row's own basis, on a form that converts them (权重占比 /
    /// 折算得分): `score` is `basis_score / basis_weight × weight`.
    pub basis_weight: Option<Printed>,
    pub basis_score: Option<Printed>,
    pub target: Option<Text>,
    pub actual: Option<Actual>,
    pub score: Option<Printed>,
    pub tier: Option<(JudgedTier, Text)>,
    /// 偏差原因; `Some("")` when the cell was printed empty, `None` when not published.
    pub reason: Option<Text>,
    /// `dimension[N].group[M].indicator[K]`
    pub field: String,
    /// The row's first claim, for findings about the row as a whole.
    pub at: Place,
    /// A 其中 row of the row above it (`sub`).
    pub sub: bool,
}

impl RowClaim {
    /// How the row is named in findings: its id and name as printed.
    pub fn label(&self) -> String {
        match (&self.id, &self.name) {
            (Some(i), Some(n)) => format!("{} {}", i.text, n.text),
            (Some(i), None) => i.text.clone(),
            (None, Some(n)) => n.text.clone(),
            (None, None) => self.field.clone(),
        }
    }
}

/// A built-in as the 自评表 names its column (执行率, not 预算执行率), with the English
/// beside the Chinese term a reader checks the form against.
pub fn form_label(b: Builtin) -> (&'static str, &'static str) {
    match b {
        Builtin::InitialBudget => ("年初预算数", "initial budget (年初预算数)"),
        Builtin::AdjustedBudget => ("全年预算数", "full-year budget (全年预算数)"),
        Builtin::Allocated => ("实际到位资金", "funds allocated (实际到位资金)"),
        Builtin::Spent => ("全年执行数", "spent (全年执行数)"),
        Builtin::Balance => ("结余", "balance (结余)"),
        Builtin::ExecutionRate => ("执行率", "execution rate (执行率)"),
        Builtin::ExecutionRateAllocated => (
            "执行率（执行数/到位资金）",
            "execution rate on funds allocated",
        ),
        Builtin::ArrivalRate => ("资金到位率", "arrival rate (资金到位率)"),
    }
}

/// One published figure: where it stands, how the report names it, and its text as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure<'a> {
    /// The claim's key: `funds.execution_rate`, `dimension[1].group[2].indicator[3].score`.
    pub field: String,
    /// What it is about, as the report names it: `年度资金总额 · 执行率`.
    pub subject: String,
    /// As printed.
    pub text: &'a str,
    pub at: &'a Place,
}

impl Claims {
    /// Every figure the claims file publishes, in the order of the file: each printed
    /// amount, rate, weight, score and actual value (every [`Printed`]), and the grade.
    /// The review gives each of them a verdict; what is not a figure (a name, a target, a
    /// tier, a reason, an actual printed as text) is left out.
    pub fn figures(&self, lang: Lang) -> Vec<Figure<'_>> {
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let of = |what: &str, part: &str| format!("{what} · {part}");
        let (weight, score) = (t("分值", "weight"), t("得分", "score"));
        let mut v = Figures(Vec::new());
        let total = t("总分", "total");
        v.printed(&self.total.weight, "total.weight".into(), of(total, weight));
        v.printed(&self.total.score, "total.score".into(), of(total, score));
        if let Some(g) = &self.total.grade {
            v.text(g, "total.grade".into(), t("评价等级", "grade").into());
        }
        let execution = t("预算执行率", "budget execution");
        v.printed(
            &self.funds.weight,
            "funds.weight".into(),
            of(execution, weight),
        );
        v.printed(
            &self.funds.score,
            "funds.score".into(),
            of(execution, score),
        );
        let rows = std::iter::once((
            &self.funds.total,
            "funds".to_string(),
            t("年度资金总额", "total funds").to_string(),
        ))
        .chain(
            self.funds
                .sources
                .iter()
                .map(|s| (&s.row, s.field.clone(), s.name.clone())),
        );
        for s in &self.funds.sources {
            let what = of(&s.name, execution);
            v.printed(&s.weight, format!("{}.weight", s.field), of(&what, weight));
            v.printed(&s.score, format!("{}.score", s.field), of(&what, score));
        }
        for (row, field, label) in rows {
            for b in Builtin::ALL {
                let (zh, en) = form_label(b);
                v.printed_ref(row.get(b), format!("{field}.{b}"), of(&label, t(zh, en)));
            }
        }
        for d in &self.dimensions {
            let name = d.name.clone().unwrap_or_else(|| d.field.clone());
            v.printed(&d.weight, format!("{}.weight", d.field), of(&name, weight));
            v.printed(&d.score, format!("{}.score", d.field), of(&name, score));
            for g in &d.groups {
                let name = g.name.clone().unwrap_or_else(|| g.field.clone());
                v.printed(&g.weight, format!("{}.weight", g.field), of(&name, weight));
                v.printed(&g.score, format!("{}.score", g.field), of(&name, score));
                for r in &g.rows {
                    let label = r.label();
                    v.printed(&r.weight, format!("{}.weight", r.field), of(&label, weight));
                    let (basis_weight, basis_score) =
                        (t("本项分值", "own full marks"), t("本项得分", "own score"));
                    let field = |k: &str| format!("{}.{k}", r.field);
                    v.printed(
                        &r.basis_weight,
                        field("basis_weight"),
                        of(&label, basis_weight),
                    );
                    v.printed(
                        &r.basis_score,
                        field("basis_score"),
                        of(&label, basis_score),
                    );
                    if let Some(Actual::Number(p)) = &r.actual {
                        let actual = t("实际完成值", "actual");
                        v.printed_ref(Some(p), format!("{}.actual", r.field), of(&label, actual));
                    }
                    v.printed(&r.score, format!("{}.score", r.field), of(&label, score));
                }
            }
        }
        for (name, p) in &self.outputs {
            let subject = format!("{} {name}", t("产出数据", "output"));
            v.printed_ref(Some(p), format!("outputs.{name}"), subject);
        }
        let mut v = v.0;
        v.sort_by_key(|f| f.at.span.start);
        v
    }
}

/// The figures found so far.
struct Figures<'a>(Vec<Figure<'a>>);

impl<'a> Figures<'a> {
    fn printed(&mut self, p: &'a Option<Printed>, field: String, subject: String) {
        self.printed_ref(p.as_ref(), field, subject);
    }

    fn printed_ref(&mut self, p: Option<&'a Printed>, field: String, subject: String) {
        if let Some(p) = p {
            self.0.push(Figure {
                field,
                subject,
                text: &p.text,
                at: &p.at,
            });
        }
    }

    fn text(&mut self, t: &'a Text, field: String, subject: String) {
        self.0.push(Figure {
            field,
            subject,
            text: &t.text,
            at: &t.at,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// A claims file with every key of the claims schema that holds a figure: each figure
    /// key ([`Raw`], "Printed" in the schema) is written `"1"`, the grade `"优"`; the paths
    /// written are pushed on `figures`. What holds no figure (names, targets, tiers,
    /// reasons, the report, the metrics) is left out.
    fn fill(node: &Value, path: &str, figures: &mut Vec<String>) -> Option<toml::Value> {
        let defs = &schema()["$defs"];
        if let Some(r) = node["$ref"].as_str() {
            let name = r.trim_start_matches("#/$defs/");
            if name == "Printed" {
                figures.push(path.to_string());
                return Some(toml::Value::String("1".into()));
            }
            return fill(&defs[name], path, figures);
        }
        if let Some(any) = node["anyOf"].as_array() {
            let some = any.iter().find(|a| a["type"] != "null")?;
            return fill(some, path, figures);
        }
        if let Some(props) = node["properties"].as_object() {
            let mut t = toml::Table::new();
            for (k, v) in props {
                let at = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if at == "total.grade" {
                    figures.push(at);
                    t.insert(k.clone(), toml::Value::String("优".into()));
                } else if !matches!(k.as_str(), "$schema" | "report" | "metric")
                    && let Some(x) = fill(v, &at, figures)
                {
                    t.insert(k.clone(), x);
                }
            }
            return Some(toml::Value::Table(t));
        }
        if let Some(each) = node.get("additionalProperties") {
            let mut t = toml::Table::new();
            t.insert("x1".into(), fill(each, &format!("{path}.x1"), figures)?);
            return Some(toml::Value::Table(t));
        }
        if node["type"] == "array" {
            return Some(toml::Value::Array(vec![fill(
                &node["items"],
                &format!("{path}[1]"),
                figures,
            )?]));
        }
        None
    }

    #[test]
    fn figures_lists_every_figure_the_claims_schema_allows() {
        // Built from the schema, so that a figure key added to the claims file and not to
        // `Claims::figures` fails here: such a figure would get no verdict of its own.
        let mut written = Vec::new();
        let doc = fill(schema(), "", &mut written).unwrap();
        let text = toml::to_string(&doc).unwrap();
        let claims = crate::review::load::parse(
            std::path::Path::new("claims.toml"),
            &text,
            &crate::input::Root::Anywhere,
        )
        .unwrap_or_else(|p| panic!("{p:?}\n{text}"));
        let mut listed: Vec<String> = claims
            .figures(Lang::Zh)
            .into_iter()
            .map(|f| f.field)
            .collect();
        listed.sort();
        written.sort();
        assert_eq!(listed, written, "{text}");
        // total 3 + funds 2 + 7 amounts and rates of the total row + 7 of a source row and
        // its 2 (weight, score) + dimension 2 + group 2 + row 5 (weight, basis_weight,
        // basis_score, actual, score) + one output
        assert_eq!(written.len(), 3 + 2 + 7 + 7 + 2 + 2 + 2 + 5 + 1);
    }

    #[test]
    fn figures_are_named_as_the_report_names_them_in_file_order() {
        let text = "[funds]\nspent = \"41.3\"\nadjusted_budget = \"45\"\n\n[total]\nscore = 95\n";
        let claims = crate::review::load::parse(
            std::path::Path::new("claims.toml"),
            text,
            &crate::input::Root::Anywhere,
        )
        .unwrap();
        let got: Vec<(String, String, &str, usize)> = claims
            .figures(Lang::Zh)
            .into_iter()
            .map(|f| (f.field, f.subject, f.text, f.at.line))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "funds.spent".into(),
                    "年度资金总额 · 全年执行数".into(),
                    "41.3",
                    2
                ),
                (
                    "funds.adjusted_budget".into(),
                    "年度资金总额 · 全年预算数".into(),
                    "45",
                    3
                ),
                ("total.score".into(), "总分 · 得分".into(), "95", 6),
            ]
        );
        let en: Vec<String> = claims
            .figures(Lang::En)
            .into_iter()
            .map(|f| f.subject)
            .collect();
        assert_eq!(en[0], "total funds · spent (全年执行数)");
    }
}
