//! JSON output. Keys are stable: programs and CI read them (documented in docs/output.md).
//! Money is a decimal string with two places ("67900.00") so no fen is lost to floating
//! point; rates are fractions (0.679) and scores numbers (95, 6.79).

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use super::num;
use super::previous::Comparison;
use crate::decimal::{fixed, round_half_up};
use crate::diag::Problem;
use crate::outcome::Outcome;
use crate::scheme::{DimensionKind, Family};

fn opt_num(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, num)
}

pub fn problem(p: &Problem) -> Value {
    serde_json::to_value(p).unwrap_or(Value::Null)
}

/// The whole result, as written: the fields in the order of the JSON keys. Serialised
/// directly (a batch writes 20,000 of these), it gives the same text as [`to_value`].
#[derive(Serialize)]
struct Written<'a> {
    scheme: SchemeHead<'a>,
    project: ProjectHead<'a>,
    total_score: Value,
    grade: &'a str,
    rescaled: bool,
    applicable_weight: Value,
    metrics: MetricsPart,
    funds_by_source: Vec<SourcePart<'a>>,
    dimensions: Vec<DimensionPart<'a>>,
    indicators: Vec<IndicatorPart<'a>>,
    warnings: Vec<Value>,
}

#[derive(Serialize)]
struct SchemeHead<'a> {
    id: &'a str,
    title: &'a str,
    family: Family,
    total: Value,
}

#[derive(Serialize)]
struct ProjectHead<'a> {
    id: &'a str,
    name: &'a str,
    year: i32,
    department: Option<&'a str>,
    unit: Option<&'a str>,
}

#[derive(Serialize)]
struct MetricsPart {
    initial_budget: String,
    adjusted_budget: String,
    allocated: String,
    spent: String,
    balance: String,
    execution_rate: Value,
    execution_rate_allocated: Value,
    arrival_rate: Value,
    spending_rows: usize,
}

#[derive(Serialize)]
struct SourcePart<'a> {
    source: &'a str,
    initial_budget: String,
    adjusted_budget: String,
    allocated: String,
}

#[derive(Serialize)]
struct DimensionPart<'a> {
    dimension: DimensionKind,
    name: &'a str,
    weight: Value,
    score: Value,
    groups: Vec<GroupPart<'a>>,
}

#[derive(Serialize)]
struct GroupPart<'a> {
    name: &'a str,
    weight: Value,
    score: Value,
}

#[derive(Serialize)]
struct IndicatorPart<'a> {
    id: &'a str,
    dimension: DimensionKind,
    dimension_name: &'a str,
    group: &'a str,
    name: &'a str,
    weight: Value,
    target: Option<&'a str>,
    standard: Option<&'a str>,
    actual: Option<&'a str>,
    actual_value: Value,
    score: Value,
    rule: &'a str,
    basis: &'a str,
    reason: Option<&'a str>,
    warnings: &'a [String],
}

/// Money as a decimal string with two places.
fn money(d: Decimal) -> String {
    fixed(d, 2)
}

impl<'a> Written<'a> {
    fn of(o: &'a Outcome) -> Self {
        let f = &o.funds;
        let s = &o.sheet;
        Written {
            scheme: SchemeHead {
                id: &o.scheme.id,
                title: &o.scheme.title,
                family: o.scheme.family,
                total: num(o.scheme.total),
            },
            project: ProjectHead {
                id: &o.project.id,
                name: &o.project.name,
                year: o.project.year,
                department: o.project.department.as_deref(),
                unit: o.project.unit.as_deref(),
            },
            total_score: num(s.total),
            grade: &s.grade,
            rescaled: s.rescaled,
            applicable_weight: num(s.applicable_weight),
            metrics: MetricsPart {
                initial_budget: money(f.initial_budget),
                adjusted_budget: money(f.adjusted_budget),
                allocated: money(f.allocated),
                spent: money(f.spent),
                balance: money(f.balance()),
                execution_rate: opt_num(f.execution_rate()),
                execution_rate_allocated: opt_num(f.execution_rate_allocated()),
                arrival_rate: opt_num(f.arrival_rate()),
                spending_rows: f.spending_rows,
            },
            funds_by_source: f
                .by_source
                .iter()
                .map(|b| SourcePart {
                    source: &b.source,
                    initial_budget: money(b.initial_budget),
                    adjusted_budget: money(b.adjusted_budget),
                    allocated: money(b.allocated),
                })
                .collect(),
            dimensions: s
                .dimensions
                .iter()
                .map(|d| DimensionPart {
                    dimension: d.kind,
                    name: &d.name,
                    weight: num(d.weight),
                    score: num(d.score),
                    groups: d
                        .groups
                        .iter()
                        .map(|g| GroupPart {
                            name: &g.name,
                            weight: num(g.weight),
                            score: num(g.score),
                        })
                        .collect(),
                })
                .collect(),
            indicators: s
                .indicators
                .iter()
                .map(|i| IndicatorPart {
                    id: &i.id,
                    dimension: i.dimension,
                    dimension_name: &i.dimension_name,
                    group: &i.group,
                    name: &i.name,
                    weight: num(i.weight),
                    target: i.target.as_deref(),
                    standard: i.standard.as_deref(),
                    actual: i.actual.as_deref(),
                    actual_value: opt_num(i.actual_value.map(|v| round_half_up(v, 4))),
                    score: opt_num(i.score),
                    rule: i.rule,
                    basis: &i.basis,
                    reason: i.reason.as_deref(),
                    warnings: &i.warnings,
                })
                .collect(),
            // Through a value, as before: a problem whose file name is not UTF-8 is null.
            warnings: o.warnings.iter().map(problem).collect(),
        }
    }
}

/// The whole result as a JSON value.
pub fn to_value(o: &Outcome) -> Value {
    serde_json::to_value(Written::of(o)).unwrap_or(Value::Null)
}

/// The whole result on one line (JSON Lines), without a value in between.
pub fn to_line(o: &Outcome) -> String {
    serde_json::to_string(&Written::of(o)).unwrap_or_default()
}

/// Pretty-printed JSON text.
pub fn render(o: &Outcome) -> String {
    render_compared(o, None)
}

/// Pretty-printed JSON text, with a `year_over_year` object when last year's result is
/// given (`--previous`).
pub fn render_compared(o: &Outcome, previous: Option<&Comparison>) -> String {
    let mut s = match previous {
        None => serde_json::to_string_pretty(&Written::of(o)).unwrap_or_default(),
        Some(c) => {
            let mut v = to_value(o);
            if let Some(map) = v.as_object_mut() {
                map.insert("year_over_year".into(), c.to_json());
            }
            serde_json::to_string_pretty(&v).unwrap_or_default()
        }
    };
    s.push('\n');
    s
}
