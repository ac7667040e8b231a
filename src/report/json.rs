//! JSON output. Keys are stable: programs and CI read them (documented in docs/output.md).
//! Money is a decimal string with two places ("67900.00") so no fen is lost to floating
//! point; rates are fractions (0.679) and scores numbers (95, 6.79).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::previous::Comparison;
use crate::decimal::{fixed, plain, round_half_up};
use crate::diag::Problem;
use crate::evaluation::Outcome;

/// A score, weight or rate as a JSON number. Callers pass rounded decimals with at most four
/// places (scores and weights two, rates and actual values four), whose shortest f64 text is
/// the same decimal.
pub(crate) fn num(d: Decimal) -> Value {
    // Whole numbers print as integers (95, not 95.0).
    if d.fract().is_zero()
        && let Ok(i) = i64::try_from(d.trunc())
    {
        return Value::Number(i.into());
    }
    plain(d)
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

fn money(d: Decimal) -> Value {
    Value::String(fixed(d, 2))
}

fn opt_num(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, num)
}

pub fn problem(p: &Problem) -> Value {
    serde_json::to_value(p).unwrap_or(Value::Null)
}

/// The whole result as a JSON value.
pub fn to_value(o: &Outcome) -> Value {
    let f = &o.funds;
    let s = &o.sheet;
    json!({
        "scheme": {
            "id": o.scheme.id,
            "title": o.scheme.title,
            "family": o.scheme.family,
            "total": num(o.scheme.total),
        },
        "project": {
            "id": o.project.id,
            "name": o.project.name,
            "year": o.project.year,
            "department": o.project.department,
            "unit": o.project.unit,
        },
        "total_score": num(s.total),
        "grade": s.grade,
        "rescaled": s.rescaled,
        "applicable_weight": num(s.applicable_weight),
        "metrics": {
            "initial_budget": money(f.initial_budget),
            "adjusted_budget": money(f.adjusted_budget),
            "allocated": money(f.allocated),
            "spent": money(f.spent),
            "balance": money(f.balance()),
            "execution_rate": opt_num(f.execution_rate()),
            "execution_rate_allocated": opt_num(f.execution_rate_allocated()),
            "arrival_rate": opt_num(f.arrival_rate()),
            "spending_rows": f.spending_rows,
        },
        "funds_by_source": f.by_source.iter().map(|b| json!({
            "source": b.source,
            "initial_budget": money(b.initial_budget),
            "adjusted_budget": money(b.adjusted_budget),
            "allocated": money(b.allocated),
        })).collect::<Vec<_>>(),
        "dimensions": s.dimensions.iter().map(|d| json!({
            "dimension": d.kind,
            "name": d.name,
            "weight": num(d.weight),
            "score": num(d.score),
            "groups": d.groups.iter().map(|g| json!({
                "name": g.name,
                "weight": num(g.weight),
                "score": num(g.score),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "indicators": s.indicators.iter().map(|i| json!({
            "id": i.id,
            "dimension": i.dimension,
            "dimension_name": i.dimension_name,
            "group": i.group,
            "name": i.name,
            "weight": num(i.weight),
            "target": i.target,
            "standard": i.standard,
            "actual": i.actual,
            "actual_value": opt_num(i.actual_value.map(|v| round_half_up(v, 4))),
            "score": opt_num(i.score),
            "rule": i.rule,
            "basis": i.basis,
            "reason": i.reason,
            "warnings": i.warnings,
        })).collect::<Vec<_>>(),
        "warnings": o.warnings.iter().map(problem).collect::<Vec<_>>(),
    })
}

/// Pretty-printed JSON text.
pub fn render(o: &Outcome) -> String {
    render_compared(o, None)
}

/// Pretty-printed JSON text, with a `year_over_year` object when last year's result is
/// given (`--previous`).
pub fn render_compared(o: &Outcome, previous: Option<&Comparison>) -> String {
    let mut v = to_value(o);
    if let (Some(c), Some(map)) = (previous, v.as_object_mut()) {
        map.insert("year_over_year".into(), c.to_json());
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
