//! Each published indicator row: its 分值 against the scheme's (JX2013), a reason for the
//! points it lost (JX2010), its 得分 against its 分值 (JX2007), its tier (JX2011) and the
//! rule (JX2008, JX2009).

use rust_decimal::Decimal;

use super::judge::{Comparison, judge, like};
use super::{Reviewer, Row};
use crate::decimal::plain;
use crate::diag::Code;
use crate::judgment::{JudgedTier, Tier};
use crate::review::Finding;
use crate::review::model::{Actual, Printed, RowClaim};
use crate::scheme::{Comparator, Indicator, Scoring};
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
        let field = format!("{}.score", claim.field);
        self.restated_target(claim, &label);
        self.row_weight(i, &label);
        let row = &self.rows[i];
        // Not recomputed: said by `unit_fits`.
        if row.unit_clash {
            return;
        }
        let Some(score) = &claim.score else { return };
        if row.not_applicable() {
            self.cannot(
                &field,
                self.t("不适用，不评分", "not applicable (不适用): not scored"),
            );
            return;
        }
        let Some(w) = row.weight() else {
            self.cannot(
                &field,
                self.t(
                    "未列示分值，也无指标体系的分值",
                    "no weight: neither printed nor a scheme's",
                ),
            );
            return;
        };
        self.lost_points_reason(claim, score, w, &label);
        if score.value > w {
            self.above_weight(score, w, &field, label);
            return;
        }
        let Some(ind) = self.rows[i].ind.clone() else {
            self.cannot(
                &field,
                self.t("无可依据的指标", "no indicator to judge it by"),
            );
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
            _ => {
                let why = self.no_rule(i);
                self.cannot(&field, why);
            }
        }
    }

    /// JX2016: an 实际完成值 written as a target (`≥500米`, a comparison and a figure): it
    /// says what was aimed at, not what was achieved, and hides the row's real result.
    fn restated_target(&mut self, claim: &RowClaim, label: &str) {
        let Some(Actual::Text(t)) = &claim.actual else {
            return;
        };
        if crate::scheme::Target::parse(&t.text).is_err() {
            return;
        }
        let field = format!("{}.actual", claim.field);
        let f = Finding {
            subject: format!("{label}{}", self.t(" · 实际完成值", " · actual")),
            claim: t.text.clone(),
            recomputed: self.t("实际完成的数量", "the amount achieved").to_string(),
            rule: self
                .t(
                    "实际完成值填写实际达到的数，不重复年度指标值",
                    "the actual is what was achieved, not the target again",
                )
                .to_string(),
            message: self
                .t(
                    "实际完成值只重复了年度指标值",
                    "the actual only restates the target",
                )
                .to_string(),
            ..self.at(Code::ActualRestatesTarget, &t.at, &field)
        };
        self.push(f);
    }

    /// Why a row's score is judged by no rule: a qualitative row without its tier, or a
    /// row whose target is not a comparison (text, or a bare figure such as `1200人`).
    fn no_rule(&self, i: usize) -> String {
        let row = &self.rows[i];
        if matches!(
            row.ind.as_ref().map(|i| &i.scoring),
            Some(Scoring::Qualitative(_))
        ) {
            return self
                .t(
                    "定性指标未标明档次（tier），得分无从核对",
                    "a qualitative row without its tier: the score cannot be judged",
                )
                .to_string();
        }
        if row.from_scheme {
            return self
                .t(
                    "指标体系规定人工评分，且未标明档次",
                    "scored by hand under the scheme, with no tier printed",
                )
                .to_string();
        }
        match &row.claim.target {
            Some(t) => format!(
                "{}{}{}",
                self.t("年度指标值“", "the target \""),
                t.text,
                self.t(
                    "”不是“≥120件”这样带比较符的值，无评分规则可复算得分",
                    "\" is not a comparison such as ≥120件: no rule recomputes the score"
                )
            ),
            None => self
                .t(
                    "未列示年度指标值，无评分规则可复算得分",
                    "no target printed: no rule recomputes the score",
                )
                .to_string(),
        }
    }

    /// Why an indicator could not be scored from the published figures: the row's actual
    /// is not printed, or not a number, or a metric it needs is not given.
    pub(super) fn unscored(&self, ind: &Indicator, row: Option<&Row<'_>>) -> String {
        let metrics: Vec<&str> = match &ind.scoring {
            Scoring::Quantitative { metric, .. } => vec![metric.as_str()],
            Scoring::Checklist(items) => items.iter().map(|i| i.metric.as_str()).collect(),
            _ => Vec::new(),
        };
        let needs = metrics.join(self.t("、", ", "));
        match row.map(|r| (&r.claim.actual, r.from_scheme)) {
            Some((Some(Actual::Text(t)), _)) => format!(
                "{}{}{}",
                self.t("实际完成值“", "the actual \""),
                t.text,
                self.t("”不是数字", "\" is not a number")
            ),
            // A row judged by its printed target is scored from its own actual only.
            Some((None, false)) => self
                .t("未列示实际完成值", "no actual value printed")
                .to_string(),
            Some((None, true)) => format!(
                "{}{needs}",
                self.t(
                    "未列示实际完成值，公布数也得不出评分所需的 ",
                    "no actual value printed, and the published figures do not give "
                )
            ),
            _ => format!(
                "{}{needs}",
                self.t(
                    "公布数得不出评分所需的 ",
                    "the published figures do not give "
                )
            ),
        }
    }

    /// JX2013: the row's printed 分值 against its scheme indicator's.
    fn row_weight(&mut self, i: usize, label: &str) {
        let row = &self.rows[i];
        let claim = row.claim;
        let Some(w) = &claim.weight else { return };
        let field = format!("{}.weight", claim.field);
        match (row.from_scheme, &row.ind) {
            (true, Some(ind)) if w.value != ind.weight => {
                let ind = ind.clone();
                self.weight_off_scheme(w, &ind, &field, label.to_string());
            }
            (true, Some(_)) => self.agree(&field, Code::WeightOffScheme),
            _ => {
                let why = match self.scheme {
                    None => self.t(
                        "无指标体系，分值按公布数采用",
                        "no scheme: the printed weight is the reference",
                    ),
                    Some(_) => self.t(
                        "指标体系中未找到这一行的指标（按 id 或唯一的名称），分值按公布数采用",
                        "no indicator of the scheme matches this row (by id or unique name): the printed weight is the reference",
                    ),
                };
                self.cannot(&field, why);
            }
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
            self.agree(&format!("{}.score", claim.field), Code::ScoreOutsideTier);
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
            let why = self.unscored(ind, Some(&self.rows[i]));
            self.cannot(&field, why);
            return;
        };
        let (Some(exact), Some(rounded)) = (s.unrounded, s.score) else {
            self.cannot(&field, self.t("规则未给出得分", "the rule gives no score"));
            return;
        };
        let rule = self.rule_text(ind, from_scheme, &s);
        let subject = format!("{label} · {}", self.t("得分", "score"));
        match judge(score, exact, &[rounded]) {
            Comparison::Agrees => self.agree(&field, Code::ScoreOffRule),
            Comparison::Truncated(r) => {
                self.truncated(score, &field, subject, (exact, r), rule);
            }
            Comparison::Differs(r) => {
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
        // A ceiling (≤ 800元/件) is exceeded, not "not reached".
        let ceiling = matches!(
            &ind.scoring,
            Scoring::Quantitative { target, .. }
                if matches!(target.comparator, Comparator::AtMost | Comparator::LessThan)
        );
        let message = if ceiling {
            self.t(
                "超过年度指标值上限却得满分",
                "full points beyond the target's ceiling",
            )
        } else {
            self.t(
                "未达到年度指标值却得满分",
                "full points on a target that was not met",
            )
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
                message: message.to_string(),
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
