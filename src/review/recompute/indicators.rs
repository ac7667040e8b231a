//! The indicator each published row is judged by: the scheme's (by id, else by a name only
//! one indicator has), else one the row implies by its printed 分值 and 年度指标值; and the
//! scheme implied when there is none.

use rust_decimal::Decimal;

use super::{Reviewer, Row};
use crate::diag::{Code, Problem};
use crate::review::model::{Actual, Claims, Place, RowClaim};
use crate::scheme::{self, Family, Indicator, Scheme, Scoring, Target, Tiers};

/// The scheme a claims file implies when it is reviewed without one: its printed total (or
/// 100), the default grade bands and tiers. Rows are then scored by their printed targets
/// with the standard rules ([`scheme::default_rule`]).
pub(super) fn implied_scheme(claims: &Claims, scheme: Option<&Scheme>) -> Scheme {
    Scheme {
        path: claims.path.clone(),
        id: "claims".into(),
        title: String::new(),
        family: Family::Custom,
        total: scheme.map_or_else(
            || {
                claims
                    .total
                    .weight
                    .as_ref()
                    .map_or(Decimal::ONE_HUNDRED, |w| w.value)
            },
            |s| s.total,
        ),
        grades: scheme.map_or_else(scheme::default_grades, |s| s.grades.clone()),
        tiers: scheme.map_or_else(Tiers::default, |s| s.tiers),
        metrics: Vec::new(),
        dimensions: Vec::new(),
        warnings: Vec::new(),
    }
}

impl Reviewer<'_> {
    /// Match every published row to its indicator.
    pub(super) fn resolve_rows(&mut self) {
        let claims = self.claims;
        let mut rows = Vec::new();
        let mut n = 0;
        for (di, d) in claims.dimensions.iter().enumerate() {
            for (gi, g) in d.groups.iter().enumerate() {
                for claim in &g.rows {
                    n += 1;
                    let (ind, from_scheme) = match self.scheme {
                        Some(s) => match self.scheme_indicator(s, claim) {
                            Ok(Some(i)) => (Some(i.clone()), true),
                            Ok(None) => (implied_indicator(claim, n, s.tiers), false),
                            Err(p) => {
                                self.problems.push(*p);
                                continue;
                            }
                        },
                        None => (implied_indicator(claim, n, Tiers::default()), false),
                    };
                    let kind = self.scheme.filter(|_| from_scheme).and_then(|s| {
                        s.indicators()
                            .find(|(_, _, i)| Some(&i.id) == ind.as_ref().map(|i| &i.id))
                            .map(|(d, _, _)| d.kind)
                    });
                    let mut row = Row {
                        claim,
                        dim: di,
                        group: gi,
                        ind,
                        from_scheme,
                        kind,
                        unit_clash: false,
                    };
                    row.unit_clash = !self.unit_fits(&row);
                    rows.push(row);
                }
            }
        }
        self.rows = rows;
    }

    /// The scheme indicator a row names by id, or matches by name; an id the scheme does not
    /// have is a problem with the claims file.
    fn scheme_indicator<'s>(
        &self,
        s: &'s Scheme,
        claim: &RowClaim,
    ) -> Result<Option<&'s Indicator>, Box<Problem>> {
        if let Some(id) = &claim.id {
            return match s.indicator(&id.text) {
                Some(i) => Ok(Some(i)),
                None => Err(Box::new(
                    Problem::error(
                        &self.claims.path,
                        format!(
                            "row \"{}\" names an indicator the scheme does not have",
                            id.text
                        ),
                    )
                    .zh(format!("指标体系中没有编号为“{}”的指标", id.text))
                    .code(Code::UnknownIndicator)
                    .span_at(&id.at)
                    .field(format!("{}.id", claim.field))
                    .value(&id.text)
                    .expected(format!(
                        "an indicator id of scheme \"{}\" ({})",
                        s.id,
                        s.path.display()
                    ))
                    .zh_expected(format!(
                        "指标体系“{}”（{}）中的指标编号",
                        s.id,
                        s.path.display()
                    )),
                )),
            };
        }
        let Some(name) = &claim.name else {
            return Ok(None);
        };
        let mut found = s.indicators().filter(|(_, _, i)| i.name == name.text);
        match (found.next(), found.next()) {
            (Some((_, _, i)), None) => Ok(Some(i)),
            _ => Ok(None),
        }
    }

    /// Whether a published actual is in a unit its target can be compared with. One that is
    /// not makes its row not checkable (said, with why), not the whole table unreviewable.
    fn unit_fits(&mut self, row: &Row<'_>) -> bool {
        let (Some(Scoring::Quantitative { target, .. }), Some(Actual::Number(p))) =
            (row.ind.as_ref().map(|i| &i.scoring), &row.claim.actual)
        else {
            return true;
        };
        let want = target.quantity.unit.kind();
        if want.fits(&p.unit.kind()) {
            return true;
        }
        let why = format!(
            "{}{}{}{}{}{}{}",
            self.t("实际完成值“", "the actual \""),
            p.text,
            self.t("”的单位（", "\" is in "),
            p.unit.kind().label(),
            self.t("）与年度指标值 ", ", the target "),
            target,
            self.t(
                &format!(" 的单位（{}）不同，本行不复算", want.label()),
                &format!(" in {}: the row is not recomputed", want.label()),
            ),
        );
        self.cannot(&format!("{}.actual", row.claim.field), why.clone());
        self.cannot(&format!("{}.score", row.claim.field), why);
        false
    }
}

/// The indicator a published row implies when there is no scheme to judge it by (or the
/// scheme has no indicator of its name): its printed 分值, and its printed 年度指标值 scored
/// by the standard rule for its comparison (正向 B/A, 反向 A/B, 等于零), or a qualitative
/// indicator when the row names a tier. `None` without a printed 分值.
fn implied_indicator(claim: &RowClaim, n: usize, tiers: Tiers) -> Option<Indicator> {
    let weight = claim.weight.as_ref()?.value;
    let scoring = match claim.target.as_ref().map(|t| Target::parse(&t.text)) {
        Some(Ok(target)) => Scoring::Quantitative {
            metric: format!("row_{n}"),
            rule: scheme::default_rule(&target),
            target,
        },
        _ if claim.tier.is_some() => Scoring::Qualitative(tiers),
        _ => Scoring::Manual,
    };
    Some(Indicator {
        id: claim
            .id
            .as_ref()
            .map_or_else(|| format!("#{n}"), |i| i.text.clone()),
        name: claim
            .name
            .as_ref()
            .map_or_else(String::new, |t| t.text.clone()),
        weight,
        target_text: claim.target.as_ref().map(|t| t.text.clone()),
        scoring,
        standard: None,
        over_completion: None,
        line: claim.at.line,
        span: claim.at.span.clone(),
    })
}

/// Where a problem with a claim stands.
trait SpanAt {
    fn span_at(self, at: &Place) -> Self;
}

impl SpanAt for Problem {
    fn span_at(mut self, at: &Place) -> Problem {
        self.line = Some(at.line);
        self.column = Some(at.column);
        self.span = Some(at.span.clone());
        self
    }
}
