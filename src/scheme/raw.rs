//! The scheme file as written (TOML). Keys are ASCII, values may be Chinese.
//! Key-by-key documentation: `docs/scheme.md`.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// A whole scheme file (`indicators/*.toml`).
#[derive(Debug, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct SchemeFile {
    /// Optional JSON Schema reference for editors.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    pub scheme: SchemeMeta,
    /// Grade bands (评价等级); default 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.
    #[serde(default, rename = "grade")]
    pub grades: Vec<GradeDef>,
    /// Qualitative tier bounds (定性指标档次), as shares of the weight.
    #[serde(default)]
    pub tiers: Option<TiersDef>,
    /// Derived metrics (计算指标) as formulas over other metrics.
    #[serde(default, rename = "metric")]
    pub metrics: Vec<MetricDef>,
    /// First-level indicators (一级指标).
    #[serde(rename = "dimension")]
    pub dimensions: Vec<DimensionDef>,
}

#[derive(Debug, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct SchemeMeta {
    pub id: String,
    pub title: String,
    /// `self-evaluation` (单位自评表) or `framework` (评价指标体系框架) or `custom`.
    #[serde(default)]
    pub family: Option<String>,
    /// Total points (总分), normally 100.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    #[schemars(schema_with = "points_schema")]
    pub total: Option<Spanned<Decimal>>,
    /// Warn when the actual reaches this share of a ≥ target, e.g. "130%".
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub over_completion_warning: Option<Spanned<String>>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct GradeDef {
    pub label: String,
    #[serde(deserialize_with = "spanned_decimal::deserialize")]
    #[schemars(schema_with = "points_schema")]
    pub min: Spanned<Decimal>,
}

#[derive(Debug, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct TiersDef {
    /// Lower bound of 达成年度指标, e.g. "80%".
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub achieved_min: Option<Spanned<String>>,
    /// Lower bound of 部分达成年度指标并具有一定效果, e.g. "60%".
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub partial_min: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct MetricDef {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[schemars(with = "String")]
    pub formula: Spanned<String>,
    /// Unit of the result: "%" means the formula gives a fraction; "元", "件", …
    #[serde(default)]
    pub unit: Option<String>,
    /// What a zero denominator means: "error" (default) or "zero".
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub on_zero: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct DimensionDef {
    /// decision / process / output / benefit (决策 / 过程 / 产出 / 效益).
    #[schemars(with = "String")]
    pub kind: Spanned<String>,
    /// Label shown in the table; defaults to the dimension's Chinese name.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(deserialize_with = "spanned_decimal::deserialize")]
    #[schemars(schema_with = "points_schema")]
    pub weight: Spanned<Decimal>,
    #[serde(default, rename = "group")]
    pub groups: Vec<GroupDef>,
}

#[derive(Debug, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct GroupDef {
    pub name: String,
    #[serde(deserialize_with = "spanned_decimal::deserialize")]
    #[schemars(schema_with = "points_schema")]
    pub weight: Spanned<Decimal>,
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<IndicatorDef>,
}

#[derive(Debug, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct IndicatorDef {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
    #[serde(deserialize_with = "spanned_decimal::deserialize")]
    #[schemars(schema_with = "points_schema")]
    pub weight: Spanned<Decimal>,
    /// The metric giving the actual value (实际完成值). Absent = qualitative.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub metric: Option<Spanned<String>>,
    /// 年度指标值: `>= 120 件` for quantitative indicators, free text for qualitative ones.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub target: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<RuleDef>")]
    pub rule: Option<Spanned<RuleDef>>,
    /// 评分标准 as text, shown in reports.
    #[serde(default)]
    pub standard: Option<String>,
    /// Overrides the scheme's over-completion warning threshold.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub over_completion_warning: Option<Spanned<String>>,
}

/// How an indicator is scored. Written inline: `rule = { kind = "bands", bands = [...] }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[schemars(deny_unknown_fields)]
pub enum RuleDef {
    Proportional {},
    Inverse {},
    ReverseDeviation {},
    EqualZero {},
    Bands {
        bands: Vec<BandDef>,
    },
    DeductPerPoint {
        step: String,
        #[serde(deserialize_with = "decimal_from_any")]
        #[schemars(schema_with = "points_schema")]
        points: Decimal,
        #[serde(default)]
        whole_steps: bool,
    },
    DeductPerCase {
        #[serde(deserialize_with = "decimal_from_any")]
        #[schemars(schema_with = "points_schema")]
        points: Decimal,
    },
    Checklist {
        items: Vec<ChecklistItemDef>,
    },
    Binary {},
    Tolerance {
        within: String,
        zero_at: String,
    },
    Qualitative {
        #[serde(default)]
        achieved_min: Option<String>,
        #[serde(default)]
        partial_min: Option<String>,
    },
    Manual {},
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct BandDef {
    pub range: String,
    #[serde(deserialize_with = "decimal_from_any")]
    #[schemars(schema_with = "points_schema")]
    pub score: Decimal,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
// Unknown keys are found (all of them) by the schema walk in keys.rs, not by serde.
#[schemars(deny_unknown_fields)]
pub struct ChecklistItemDef {
    pub name: String,
    pub metric: String,
    #[serde(deserialize_with = "decimal_from_any")]
    #[schemars(schema_with = "points_schema")]
    pub points: Decimal,
}

/// Decimals in TOML may be written as integers (`10`), floats (`0.5`) or strings (`"0.5"`).
/// Floats are read through their TOML text, never through f64 arithmetic: toml hands us the
/// f64, and `Decimal::from_str(&f.to_string())` recovers the shortest text, which is exact for
/// any weight a person writes (0.1 stays 0.1). Points are bounded (at most 1,000,000) so that
/// no scheme can make the scoring arithmetic overflow.
pub(crate) fn decimal_from_any<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Decimal, D::Error> {
    let v = decimal_unbounded(d)?;
    if v.abs() > Decimal::from(1_000_000) {
        return Err(serde::de::Error::custom(format!(
            "{v} is too large: points are at most 1000000"
        )));
    }
    Ok(v)
}

/// The messages of the number readers above in Chinese (serde carries one text only: the
/// Chinese is found from the English, beside where it is written).
pub(crate) fn number_message_zh(message: &str) -> Option<String> {
    if let Some(v) = message.strip_suffix(" is not a number such as 10 or 2.5") {
        let v = v.trim_matches('"');
        return Some(format!("“{v}”不是数字（应为如 10 或 2.5 的数字）"));
    }
    if let Some(v) = message.strip_suffix(" is too large: points are at most 1000000") {
        return Some(format!("{v} 太大：分值最多为 1000000"));
    }
    if let Some(v) = message.strip_suffix(" is out of range") {
        return Some(format!("{v} 超出可表示的范围"));
    }
    (message == "a finite number").then(|| "应为有限的数".to_string())
}

fn decimal_unbounded<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Decimal;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a number such as 10, 2.5 or \"2.5\"")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
            if !v.is_finite() {
                return Err(E::custom("a finite number"));
            }
            v.to_string()
                .parse::<Decimal>()
                .map_err(|_| E::custom(format!("{v} is out of range")))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
            crate::decimal::parse_plain(v)
                .ok_or_else(|| E::custom(format!("\"{v}\" is not a number such as 10 or 2.5")))
        }
    }
    d.deserialize_any(V)
}

mod spanned_decimal {
    use super::*;
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Spanned<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct W(#[serde(deserialize_with = "decimal_from_any")] Decimal);
        let s = Spanned::<W>::deserialize(d)?;
        let span = s.span();
        Ok(Spanned::new(span, s.into_inner().0))
    }
}

mod opt_decimal {
    use super::*;
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Spanned<Decimal>>, D::Error> {
        super::spanned_decimal::deserialize(d).map(Some)
    }
}

/// Points and weights: a number (`10`, `2.5`) or the same number as a string (`"2.5"`).
fn points_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["number", "string"],
        "description": "a number of points such as 10 or 2.5 (or the same as a string)"
    })
}
