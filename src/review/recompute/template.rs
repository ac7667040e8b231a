//! A form that prints no 分值 but follows a known template (`[report] template`,
//! `--template`): the template's weights are implied, so a score above them is found
//! (JX2007) where nothing printed would say so.

use rust_decimal::Decimal;

use super::Reviewer;
use crate::decimal::plain;
use crate::diag::Code;
use crate::review::Finding;
use crate::review::model::{DimensionClaim, Printed, Template};

impl Reviewer<'_> {
    /// The weight a first-level indicator has under the template when it prints none: its
    /// share where the template fixes one (10 + 90 with 产出, 效益 and 满意度 all printed:
    /// a project without 满意度 moves its 10 points elsewhere), else all the indicators'.
    fn implied_dimension_weight(&self, t: Template, d: &DimensionClaim) -> (Decimal, String) {
        let names: Vec<&str> = self
            .claims
            .dimensions
            .iter()
            .filter_map(|d| d.name.as_deref())
            .collect();
        let standard = ["产出", "效益", "满意度"]
            .iter()
            .all(|k| names.iter().any(|n| n.contains(k)));
        let name = d.name.as_deref().unwrap_or_default();
        match t.dimension(name).filter(|_| standard) {
            Some(w) => (
                w,
                format!(
                    "{}{}{}{}",
                    t.name(),
                    self.t(" 模板：", " template: "),
                    name,
                    self.t(&format!(" {} 分", plain(w)), &format!(" {}", plain(w)))
                ),
            ),
            None => (
                t.indicators(),
                format!(
                    "{}{}{}",
                    t.name(),
                    self.t(" 模板：绩效指标共 ", " template: the indicators weigh "),
                    plain(t.indicators())
                ),
            ),
        }
    }

    /// JX2007 on the scores of a form without printed weights, against the template's.
    pub(super) fn template_ceilings(&mut self, template: Option<Template>) {
        let Some(t) = template else { return };
        let claims = self.claims;
        for (di, d) in claims.dimensions.iter().enumerate() {
            if d.weight.is_some() {
                continue;
            }
            let (ceiling, why) = self.implied_dimension_weight(t, d);
            let name = d.name.clone().unwrap_or_else(|| d.field.clone());
            let rows: Vec<(&Printed, String, String)> = self
                .rows
                .iter()
                .filter(|r| r.dim == di && !r.claim.sub)
                .filter(|r| r.weight().is_none() && !r.not_applicable())
                .filter_map(|r| {
                    let s = r.claim.score.as_ref()?;
                    Some((s, format!("{}.score", r.claim.field), r.claim.label()))
                })
                .collect();
            for (score, field, label) in &rows {
                if score.value > ceiling {
                    self.above_template(score, ceiling, field, label, &why);
                }
            }
            let sum: Decimal = rows.iter().map(|(s, _, _)| s.value).sum();
            match &d.score {
                Some(s) if s.value > ceiling => {
                    self.above_template(s, ceiling, &format!("{}.score", d.field), &name, &why);
                }
                None if sum > ceiling && rows.iter().all(|(s, _, _)| s.value <= ceiling) => {
                    let (first, _, _) = rows[0];
                    let terms = rows
                        .iter()
                        .map(|(s, _, _)| s.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" + ");
                    let f = Finding {
                        subject: format!("{name} · {}", self.t("得分之和", "scores added up")),
                        claim: format!("{terms} = {}", plain(sum)),
                        recomputed: format!("≤ {}", plain(ceiling)),
                        rule: why.clone(),
                        message: self
                            .t(
                                "各行得分之和超过模板分值",
                                "the rows' scores add up to more than the template's weight",
                            )
                            .to_string(),
                        ..self.at(
                            Code::ScoreAboveWeight,
                            &first.at,
                            &format!("{}.score_sum", d.field),
                        )
                    };
                    self.push(f);
                }
                _ => {}
            }
        }
    }

    fn above_template(
        &mut self,
        score: &Printed,
        ceiling: Decimal,
        field: &str,
        subject: &str,
        why: &str,
    ) {
        let f = Finding {
            subject: format!("{subject} · {}", self.t("得分", "score")),
            claim: score.text.clone(),
            recomputed: format!("≤ {}", plain(ceiling)),
            rule: format!(
                "{why}{}",
                self.t(
                    "；表未列示分值，按模板分值，得分不得超过",
                    "; the form prints no weight: the template's caps the score"
                )
            ),
            message: self
                .t(
                    "得分超过模板所定分值",
                    "the score is above the template's weight",
                )
                .to_string(),
            ..self.at(Code::ScoreAboveWeight, &score.at, field)
        };
        self.push(f);
    }
}
