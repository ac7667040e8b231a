//! Grade bands (评价等级) and qualitative tiers (定性指标档次).

use rust_decimal::Decimal;

/// A grade band (评价等级): totals at or above `min` get `label`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub label: String,
    pub min: Decimal,
}

/// Qualitative tier bounds (定性指标档次) as fractions of the weight.
/// 达成 = [achieved_min·w, w], 部分达成 = [partial_min·w, achieved_min·w), 未达成 = [0, partial_min·w).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tiers {
    pub achieved_min: Decimal,
    pub partial_min: Decimal,
}

impl Default for Tiers {
    /// 财预〔2020〕10号: 100%–80%, 80%–60%, 60%–0%.
    fn default() -> Self {
        Tiers {
            achieved_min: Decimal::new(8, 1),
            partial_min: Decimal::new(6, 1),
        }
    }
}

/// The grade bands of a scheme without `[[grade]]`, highest first: the 财政部预算司 bands
/// 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.
pub fn default_grades() -> Vec<Grade> {
    [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
        .into_iter()
        .map(|(label, min)| Grade {
            label: label.into(),
            min: Decimal::from(min),
        })
        .collect()
}
