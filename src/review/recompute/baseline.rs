//! The published figures scored under a standard scheme (`--baseline`), beside the review.

use std::collections::BTreeMap;

use super::{Reviewer, Row};
use crate::judgment::JudgmentRow;
use crate::metrics::Metrics;
use crate::review::{Baseline, BaselineIndicator};
use crate::scheme::{DerivedMetric, Scheme, Scoring};
use crate::scoring;

impl Reviewer<'_> {
    /// The published figures scored under a standard scheme: the amounts, the outputs and
    /// every published actual (under its indicator's metric), with the derived metrics of
    /// the review scheme, the claims file, the evaluation and the baseline itself.
    pub(super) fn baseline(&self, b: &Scheme) -> Baseline {
        let mut values = BTreeMap::new();
        for r in self.rows.iter().filter(|r| r.from_scheme) {
            if let Some((k, v)) = self.actual_value(r) {
                values.insert(k, v);
            }
        }
        // The published amounts, rates and outputs win over an indicator's actual.
        values.extend(self.base.clone());
        let derived: Vec<&DerivedMetric> = self.derived.iter().chain(&b.metrics).collect();
        let judgments: Vec<JudgmentRow> = self
            .rows
            .iter()
            .filter_map(|r| {
                let id = &r.claim.id.as_ref()?.text;
                let ind = b.indicator(id)?;
                // The same published row, judged as the baseline's indicator.
                let row = Row {
                    claim: r.claim,
                    dim: r.dim,
                    group: r.group,
                    ind: Some(ind.clone()),
                    from_scheme: true,
                    kind: None,
                    unit_clash: r.unit_clash,
                };
                self.judgment(&row)
            })
            .collect();
        let refs: Vec<&JudgmentRow> = judgments.iter().collect();
        let metrics = || Metrics::from_values(values.clone(), derived.iter().copied());
        let execution_id = b.execution_indicator().map(|i| i.id.clone());
        let indicators: Vec<BaselineIndicator> = b
            .indicators()
            .map(|(_, _, ind)| {
                let own: Vec<&JudgmentRow> = refs
                    .iter()
                    .copied()
                    .filter(|j| j.indicator == ind.id)
                    .collect();
                match scoring::score_indicator(
                    b,
                    ind,
                    &mut metrics(),
                    &own,
                    &self.claims.path,
                    self.lang,
                ) {
                    Ok(s) => BaselineIndicator {
                        id: ind.id.clone(),
                        name: ind.name.clone(),
                        weight: ind.weight,
                        score: s.score,
                        basis: s.basis,
                    },
                    Err(p) => BaselineIndicator {
                        id: ind.id.clone(),
                        name: ind.name.clone(),
                        weight: ind.weight,
                        score: None,
                        basis: match &ind.scoring {
                            Scoring::Quantitative { metric, .. } => {
                                format!("{}{metric}", self.t("缺 ", "needs "))
                            }
                            _ => p
                                .errors()
                                .next()
                                .map_or_else(String::new, |e| e.message.clone()),
                        },
                    },
                }
            })
            .collect();
        let sheet = scoring::score(b, &mut metrics(), &refs, &self.claims.path, self.lang)
            .ok()
            .map(|(s, _)| s);
        Baseline {
            scheme_id: b.id.clone(),
            title: b.title.clone(),
            total: sheet.as_ref().map(|s| s.total),
            grade: sheet.as_ref().map(|s| s.grade.clone()),
            execution: execution_id.and_then(|id| indicators.iter().find(|i| i.id == id).cloned()),
            indicators,
        }
    }
}
