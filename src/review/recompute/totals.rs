//! The total: the printed grade under the scheme's bands (JX2006), and the printed total
//! against the scheme's rules applied to every published figure (JX2009).

use super::judge::{Verdict, judge, like};
use super::{Reviewer, Row};
use crate::decimal::plain;
use crate::diag::Code;
use crate::judgment::JudgmentRow;
use crate::review::Finding;
use crate::scoring;

impl Reviewer<'_> {
    /// JX2006: the printed grade against the printed total under the scheme's bands.
    pub(super) fn grade(&mut self) {
        let (Some(score), Some(grade)) = (&self.claims.total.score, &self.claims.total.grade)
        else {
            return;
        };
        let scheme = self.reference();
        let expected = scheme.grade(score.value).to_string();
        if expected == grade.text {
            return;
        }
        let bands = scheme
            .grades
            .iter()
            .map(|g| format!("{} ≥ {}", g.label, plain(g.min)))
            .collect::<Vec<_>>()
            .join(self.t("，", ", "));
        let whose = match self.scheme {
            Some(s) => s.id.clone(),
            None => self.t("默认等级", "default bands").to_string(),
        };
        let f = Finding {
            subject: self.t("评价等级", "grade").to_string(),
            claim: format!(
                "{}{}",
                grade.text,
                self.paren(&format!("{} {}", self.t("总分", "total"), score.text))
            ),
            recomputed: expected,
            rule: format!("{whose}{}{bands}", self.t("：", ": ")),
            message: self
                .t("评价等级与总分不符", "the grade does not match the total")
                .to_string(),
            ..self.at(Code::GradeOffBands, &grade.at, "total.grade")
        };
        self.push(f);
    }

    /// Every indicator of the scheme scored from the published figures and judgments, when
    /// they give all of them.
    pub(super) fn recompute_sheet(&self) -> Option<scoring::ScoreSheet> {
        let scheme = self.scheme?;
        let mut extra = Vec::new();
        let mut judgments = Vec::new();
        for r in self.rows.iter().filter(|r| r.from_scheme) {
            extra.extend(self.actual_value(r));
            if let Some(j) = self.judgment(r) {
                judgments.push(j);
            }
        }
        let mut metrics = self.metrics(extra);
        let refs: Vec<&JudgmentRow> = judgments.iter().collect();
        scoring::score(scheme, &mut metrics, &refs, &self.claims.path, self.lang)
            .ok()
            .map(|(sheet, _)| sheet)
    }

    /// A published row as the judgment of its indicator (tier, score, reason).
    pub(super) fn judgment(&self, r: &Row<'_>) -> Option<JudgmentRow> {
        let ind = r.ind.as_ref()?;
        if !ind.scoring.is_judged() && !r.not_applicable() {
            return None;
        }
        Some(JudgmentRow {
            line: r.claim.at.line,
            project: String::new(),
            indicator: ind.id.clone(),
            tier: r.claim.tier.as_ref().map(|(t, _)| *t),
            score: r.claim.score.as_ref().map(|p| p.value),
            deduction: None,
            reason: r
                .claim
                .reason
                .as_ref()
                .filter(|t| !t.text.is_empty())
                .map(|t| t.text.clone()),
            scheme: None,
            invalid: false,
        })
    }

    /// JX2009 on the total: when no published row score is already found wrong, the printed
    /// total against the scheme's rules applied to every published figure.
    pub(super) fn recomputed_total(&mut self, sheet: Option<&scoring::ScoreSheet>) {
        let (Some(sheet), Some(total)) = (sheet, &self.claims.total.score) else {
            return;
        };
        let explained = self.findings.iter().any(|f| {
            matches!(
                f.code,
                Code::ScoreAboveWeight
                    | Code::FullMarksTargetUnmet
                    | Code::ScoreOffRule
                    | Code::ScoreOutsideTier
                    | Code::ExecutionScoreOffRule
                    | Code::ScoresOffSum
            ) || (f.code == Code::Truncated && f.field.ends_with(".score"))
        });
        if explained {
            return;
        }
        let total = total.clone();
        let rule = format!(
            "{}{}",
            self.reference().id,
            self.t(
                "：按指标体系评分规则与公布的实际完成值逐项复算",
                ": every indicator scored by the scheme's rules from the published figures"
            )
        );
        let subject = self.t("总分", "total").to_string();
        match judge(&total, sheet.total, &[]) {
            Verdict::Agrees => {}
            Verdict::Truncated(r) => {
                self.truncated(&total, "total.score", subject, (sheet.total, r), rule);
            }
            Verdict::Differs(r) => {
                let f = Finding {
                    subject,
                    claim: total.text.clone(),
                    recomputed: like(&total, r),
                    rule,
                    message: self
                        .t(
                            "总分与评分规则不符",
                            "the total does not follow from the rules",
                        )
                        .to_string(),
                    ..self.at(Code::ScoreOffRule, &total.at, "total.score")
                };
                self.push(f);
            }
        }
    }
}
