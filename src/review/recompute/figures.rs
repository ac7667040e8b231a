//! What the published figures give: the metric values an indicator is scored from (the
//! amounts and rates of 年度资金总额, the outputs, a row's own actual).

use rust_decimal::Decimal;
use std::collections::BTreeMap;

use super::funds::{AMOUNTS, rates};
use super::{Reviewer, Row};
use crate::builtin::Builtin;
use crate::metrics::{self, MetricValue, Metrics, Source};
use crate::review::model::Actual;
use crate::scheme::{Scoring, Unit};

impl Reviewer<'_> {
    /// One funds column of the 年度资金总额 row: printed, else the sum of the 其中 rows when
    /// every one of them prints it. A 年度资金总额 row left at 0 throughout above 其中 rows
    /// that print amounts is the row that contradicts the others (JX2012): the 其中 rows,
    /// which agree with each other, give the amount.
    pub(super) fn total_amount(&self, key: Builtin) -> Option<Decimal> {
        let funds = &self.claims.funds;
        let sum = self.sources_sum(key);
        match funds.total.get(key) {
            Some(_) if self.total_left_blank() => sum,
            Some(p) => Some(p.value),
            None => sum,
        }
    }

    /// The sum of one amount over the 其中 rows, when there are some and every one prints it.
    pub(super) fn sources_sum(&self, key: Builtin) -> Option<Decimal> {
        let sources = &self.claims.funds.sources;
        if sources.is_empty() {
            return None;
        }
        sources
            .iter()
            .map(|s| s.row.get(key).map(|p| p.value))
            .sum()
    }

    /// The 年度资金总额 row prints its amounts as 0 (every one it prints), while the 其中 rows
    /// print some that are not: a total nobody filled in (0 / 0 / 0 above 80 / 79.5 / 79.5).
    pub(super) fn total_left_blank(&self) -> bool {
        let total = &self.claims.funds.total;
        let printed: Vec<Decimal> = AMOUNTS
            .into_iter()
            .filter_map(|k| total.get(k).map(|p| p.value))
            .collect();
        !printed.is_empty()
            && printed.iter().all(Decimal::is_zero)
            && AMOUNTS
                .into_iter()
                .any(|k| self.sources_sum(k).is_some_and(|s| !s.is_zero()))
    }

    /// The metric values of the published figures: the outputs, the amounts, 结余 and the
    /// rates (from the amounts when both are known, else as printed).
    pub(super) fn base_values(&self) -> BTreeMap<String, MetricValue> {
        let claims = self.claims;
        let given = |value: Decimal, unit: Unit, line: usize| MetricValue {
            value,
            unit,
            source: Source::Output {
                file: claims.path.clone().into(),
                line,
            },
        };
        let mut v = BTreeMap::new();
        for (name, p) in &claims.outputs {
            v.insert(name.clone(), given(p.value, p.unit.clone(), p.at.line));
        }
        let amounts: BTreeMap<Builtin, Decimal> = AMOUNTS
            .into_iter()
            .filter_map(|k| self.total_amount(k).map(|a| (k, a)))
            .collect();
        for (k, a) in &amounts {
            v.insert(k.name().to_string(), given(*a, Unit::Yuan, 0));
        }
        if let (Some(allocated), Some(spent)) = (
            amounts.get(&Builtin::Allocated),
            amounts.get(&Builtin::Spent),
        ) {
            v.insert(
                Builtin::Balance.name().into(),
                given(allocated - spent, Unit::Yuan, 0),
            );
        }
        for kind in rates() {
            let computed = kind
                .ratio()
                .and_then(|(n, d)| Some(metrics::rate(*amounts.get(&n)?, *amounts.get(&d)?)))
                .flatten();
            let rate = computed.or_else(|| claims.funds.total.get(kind).map(|p| p.value));
            if let Some(rate) = rate {
                v.insert(kind.name().into(), given(rate, Unit::Percent, 0));
            }
        }
        v
    }

    /// Metrics from the published figures, with `extra` values (a row's own actual) on top.
    pub(super) fn metrics(
        &self,
        extra: impl IntoIterator<Item = (String, MetricValue)>,
    ) -> Metrics<'_> {
        let mut values = self.base.clone();
        values.extend(extra);
        Metrics::from_values(values, self.derived.iter())
    }

    /// A row's actual as a metric value for its indicator.
    pub(super) fn actual_value(&self, row: &Row<'_>) -> Option<(String, MetricValue)> {
        if row.unit_clash {
            return None;
        }
        let Some(Scoring::Quantitative { metric, .. }) = row.ind.as_ref().map(|i| &i.scoring)
        else {
            return None;
        };
        let Some(Actual::Number(p)) = &row.claim.actual else {
            return None;
        };
        Some((
            metric.clone(),
            MetricValue {
                value: p.value,
                unit: p.unit.clone(),
                source: Source::Output {
                    file: self.claims.path.clone().into(),
                    line: p.at.line,
                },
            },
        ))
    }
}
