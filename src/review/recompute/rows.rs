//! Each published indicator row: its 分值 against the scheme's (JX2013), a reason for the
//! points it lost (JX2010), its 得分 against its 分值 (JX2007), its tier (JX2011) and the
//! rule (JX2008, JX2009).

use rust_decimal::Decimal;

use super::Reviewer;
use super::judge::{Verdict, judge, like};
use crate::decimal::plain;
use crate::diag::Code;
use crate::judgment::{JudgedTier, Tier};
use crate::review::Finding;
use crate::review::model::{Printed, RowClaim};
use crate::scheme::{Indicator, Scoring};
use crate::scoring::{self, IndicatorScore, rules};

impl Reviewer<'_> {
    /// "P2 预算执行率 (legal-aid-2022): 67.90% 属于 [60%, 70%) 档，得 2".
    pub(super) fn rule_text(
        &self,
        ind: &Indicator,
        from_scheme: bool,
        s: &IndicatorScore,
    ) -> String {
        let whose = if from_scheme {
            format!(
                "{} {}{}",
                ind.id,
                ind.name,
                self.paren(&self.reference().id)
            )
        } else if let Some(standard) = &ind.standard {
            return format!("{standard}{}{}", self.t("；", "; "), s.basis);
        } else {
            self.t(
                "按公布的年度指标值和标准评分方法",
                "by the printed target and the standard rule",
            )
            .to_string()
        };
        format!("{whose}{}{}", self.t("：", ": "), s.basis)
    }

    /// JX2013: a printed 分值 that is not the scheme's.
    pub(super) fn weight_off_scheme(
        &mut self,
        w: &Printed,
        ind: &Indicator,
        field: &str,
        subject: String,
    ) {
        let f = Finding {
            subject: format!("{subject} · {}", self.t("分值", "weight")),
            claim: w.text.clone(),
            recomputed: plain(ind.weight),
            rule: format!(
                "{} {} {}{} {}",
                self.reference().id,
                ind.id,
                ind.name,
                self.t("：分值", ": weight (分值)"),
                plain(ind.weight)
            ),
            message: self
                .t("分值与指标体系不符", "the weight differs from the scheme's")
                .to_string(),
            ..self.at(Code::WeightOffScheme, &w.at, field)
        };
        self.push(f);
    }

    /// JX2007: a printed 得分 above its 分值.
    pub(super) fn above_weight(
        &mut self,
        score: &Printed,
        weight: Decimal,
        field: &str,
        subject: String,
    ) {
        let f = Finding {
            subject: format!("{subject} · {}", self.t("得分", "score")),
            claim: score.text.clone(),
            recomputed: format!("≤ {}", plain(weight)),
            rule: format!(
                "{}{}",
                self.t(
                    "得分不得超过分值 ",
                    "a score cannot exceed its weight (分值) "
                ),
                plain(weight)
            ),
            message: self
                .t("得分超过分值", "the score is above its weight")
                .to_string(),
            ..self.at(Code::ScoreAboveWeight, &score.at, field)
        };
        self.push(f);
    }

    /// Every check on every published row.
    pub(super) fn row_checks(&mut self) {
        for i in 0..self.rows.len() {
            self.row_check(i);
        }
    }

    /// The checks on one row. A row 不适用 has no score to check; a score above its weight
    /// is judged no further; a qualitative (or manual) score with a tier is judged by its
    /// tier, a quantitative or checklist one by its rule.
    fn row_check(&mut self, i: usize) {
        let claim = self.rows[i].claim;
        let label = claim.label();
        self.row_weight(i, &label);
        let row = &self.rows[i];
        if row.not_applicable() {
            return;
        }
        let (Some(score), Some(w)) = (&claim.score, row.weight()) else {
            return;
        };
        self.lost_points_reason(claim, score, w, &label);
        if score.value > w {
            self.above_weight(score, w, &format!("{}.score", claim.field), label);
            return;
        }
        let Some(ind) = self.rows[i].ind.clone() else {
            return;
        };
        match (&claim.tier, &ind.scoring) {
            (
                Some((JudgedTier::Tier(tier), tier_text)),
                Scoring::Qualitative(_) | Scoring::Manual,
            ) => {
                self.tier_score(claim, (*tier, &tier_text.text), &ind, score, w, &label);
            }
            (_, Scoring::Quantitative { .. } | Scoring::Checklist(_)) => {
                self.rule_score(i, &ind, score, &label);
            }
            _ => {}
        }
    }

    /// JX2013: the row's printed 分值 against its scheme indicator's.
    fn row_weight(&mut self, i: usize, label: &str) {
        let row = &self.rows[i];
        let claim = row.claim;
        if let (true, Some(ind), Some(w)) = (row.from_scheme, &row.ind, &claim.weight)
            && w.value != ind.weight
        {
            let ind = ind.clone();
            self.weight_off_scheme(
                w,
                &ind,
                &format!("{}.weight", claim.field),
                label.to_string(),
            );
        }
    }

    /// JX2010: points lost and the printed 偏差原因 left empty.
    fn lost_points_reason(&mut self, claim: &RowClaim, score: &Printed, w: Decimal, label: &str) {
        if score.value >= w {
            return;
        }
        let Some(reason) = claim.reason.as_ref().filter(|r| r.text.is_empty()) else {
            return;
        };
        let f = Finding {
            subject: format!("{label} · {}", self.t("偏差原因", "reason")),
            claim: format!(
                "{} {} / {}{}",
                self.t("得分", "score"),
                score.text,
                plain(w),
                self.t("，偏差原因为空", ", 偏差原因 empty")
            ),
            recomputed: format!(
                "{} {} {}",
                self.t("扣", "lost"),
                plain(w - score.value),
                self.t("分，须说明原因", "points: a reason is needed")
            ),
            rule: self
                .t(
                    "自评表：未得满分的指标须填写偏差原因分析及改进措施",
                    "自评表: every indicator short of full marks needs its 偏差原因分析及改进措施",
                )
                .to_string(),
            message: self
                .t("扣分未说明原因", "points lost with no reason")
                .to_string(),
            ..self.at(
                Code::LostPointsNoReason,
                &reason.at,
                &format!("{}.reason", claim.field),
            )
        };
        self.push(f);
    }

    /// JX2011: a qualitative (or manually scored) row's score outside the tier it names.
    fn tier_score(
        &mut self,
        claim: &RowClaim,
        (tier, tier_text): (Tier, &str),
        ind: &Indicator,
        score: &Printed,
        w: Decimal,
        label: &str,
    ) {
        let tiers = match &ind.scoring {
            Scoring::Qualitative(t) => *t,
            _ => self.reference().tiers,
        };
        if rules::in_tier(tier, &tiers, w, score.value) {
            return;
        }
        let (low, high, inclusive) = rules::tier_range(tier, &tiers, w);
        let range = format!(
            "[{}, {}{}",
            plain(low),
            plain(high),
            if inclusive { "]" } else { ")" }
        );
        let f = Finding {
            subject: format!("{label} · {}", self.t("得分", "score")),
            claim: format!("{tier_text} {}", score.text),
            recomputed: range.clone(),
            rule: format!(
                "{}{}{} × [{}%, {}%{} = {range}",
                tier.zh(),
                self.t("：分值 ", ": weight "),
                plain(w),
                plain(rules::tier_shares(tier, &tiers).0 * Decimal::ONE_HUNDRED),
                plain(rules::tier_shares(tier, &tiers).1 * Decimal::ONE_HUNDRED),
                if inclusive { "]" } else { ")" },
            ),
            message: self
                .t(
                    "定性指标得分不在所评档次范围内",
                    "the qualitative score is outside its tier",
                )
                .to_string(),
            ..self.at(
                Code::ScoreOutsideTier,
                &score.at,
                &format!("{}.score", claim.field),
            )
        };
        self.push(f);
    }

    /// JX2008 / JX2009: the printed score against the one the rule gives for the published
    /// actual.
    fn rule_score(&mut self, i: usize, ind: &Indicator, score: &Printed, label: &str) {
        let row = &self.rows[i];
        let field = format!("{}.score", row.claim.field);
        let extra = self.actual_value(row);
        let from_scheme = row.from_scheme;
        let mut metrics = self.metrics(extra);
        let Ok(s) = scoring::score_indicator(
            self.reference(),
            ind,
            &mut metrics,
            &[],
            &self.claims.path,
            self.lang,
        ) else {
            return;
        };
        let (Some(exact), Some(rounded)) = (s.unrounded, s.score) else {
            return;
        };
        let rule = self.rule_text(ind, from_scheme, &s);
        let subject = format!("{label} · {}", self.t("得分", "score"));
        match judge(score, exact, &[rounded]) {
            Verdict::Agrees => {}
            Verdict::Truncated(r) => {
                self.truncated(score, &field, subject, (exact, r), rule);
            }
            Verdict::Differs(r) => {
                let f = Finding {
                    subject,
                    recomputed: like(score, r),
                    rule,
                    ..self.off_rule(ind, &s, score, &field)
                };
                self.push(f);
            }
        }
    }

    /// The finding for a score the rule does not give: full marks on a target not met
    /// (JX2008), else a score off the rule (JX2009). The caller fills in the subject, the
    /// value recomputed and the rule.
    fn off_rule(
        &self,
        ind: &Indicator,
        s: &IndicatorScore,
        score: &Printed,
        field: &str,
    ) -> Finding {
        let unmet = match (&ind.scoring, s.actual_value) {
            (Scoring::Quantitative { target, .. }, Some(b)) => {
                !target.comparator.holds(b, target.value())
            }
            _ => false,
        };
        if score.value == ind.weight && unmet {
            Finding {
                claim: format!(
                    "{} {}{}",
                    score.text,
                    self.t("满分", "full marks"),
                    self.paren(&format!(
                        "{} {}",
                        self.t("实际完成值", "actual"),
                        s.actual.clone().unwrap_or_default()
                    ))
                ),
                message: self
                    .t(
                        "未达到年度指标值却得满分",
                        "full points on a target that was not met",
                    )
                    .to_string(),
                ..self.at(Code::FullMarksTargetUnmet, &score.at, field)
            }
        } else {
            Finding {
                claim: score.text.clone(),
                message: self
                    .t(
                        "得分与评分规则不符",
                        "the score does not follow from the rule",
                    )
                    .to_string(),
                ..self.at(Code::ScoreOffRule, &score.at, field)
            }
        }
    }
}
