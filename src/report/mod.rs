//! Rendering a scored evaluation: a human table (comfy-table), JSON for programs, or CSV
//! for spreadsheets.

pub mod batch;
pub mod csv;
pub mod draft;
pub mod html;
pub mod json;
pub(crate) mod layout;
pub mod markdown;
pub mod narrative;
pub mod previous;
pub mod table;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use rust_decimal::Decimal;

use serde_json::Value;

use crate::decimal::plain;
use crate::scoring::IndicatorScore;

/// Why an indicator lost points, as the tables print it: the reason from judgments.csv for
/// a judged indicator; the reason with the arithmetic in brackets for a data rule; the
/// arithmetic alone when no reason was given; for an indicator judged 不适用, its reason.
/// `None` when nothing was lost.
pub fn lost_reason(i: &IndicatorScore) -> Option<String> {
    if i.lost() > Decimal::ZERO {
        Some(match (&i.reason, i.rule) {
            (Some(r), "qualitative" | "manual") => r.clone(),
            (Some(r), _) => format!("{r}（{}）", i.basis),
            (None, _) => i.basis.clone(),
        })
    } else if i.score.is_none() {
        i.reason.clone()
    } else {
        None
    }
}

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
