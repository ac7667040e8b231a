//! Rendering a scored evaluation: a human table (comfy-table), JSON for programs, or CSV
//! for spreadsheets.

pub mod batch;
pub mod csv;
pub mod draft;
pub mod html;
pub mod json;
pub mod markdown;
pub mod narrative;
pub mod previous;
pub mod table;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use rust_decimal::Decimal;

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
