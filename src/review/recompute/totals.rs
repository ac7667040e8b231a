//! The total: the printed grade under the scheme's bands (JX2006), and the printed total
//! against the rules applied to every published figure (JX2009) — the scheme's, or without
//! one each row's by its printed 分值 and 年度指标值 — with why when they do not give it.

use rust_decimal::Decimal;
use std::collections::BTreeSet;

use super::judge::{Comparison, judge, like};
use super::{Reviewer, Row, indicators};
use crate::decimal::plain;
use crate::diag::Code;
use crate::judgment::{JudgedTier, JudgmentRow, Tier};
use crate::metrics::MetricValue;
use crate::review::Finding;
use crate::scheme::{Dimension, DimensionKind, Group, Indicator, Scheme, Scoring};
use crate::scoring;
use crate::scoring::rules;

impl Reviewer<'_> {
    /// JX2006: the printed grade against the printed total under the scheme's bands.
    pub(super) fn grade(&mut self) {
        let Some(grade) = &self.claims.total.grade else {
            return;
        };
        let Some(score) = &self.claims.total.score else {
            self.cannot(
                "total.grade",
                self.t("未列示总分，等级无从核对", "no total printed to grade"),
            );
            return;
        };
        let scheme = self.reference();
        let expected = scheme.grade(score.value).to_string();
        if expected == grade.text {
            self.agree("total.grade", Code::GradeOffBands);
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

    /// Every indicator scored from the published figures and judgments, when they give all
    /// of them: the scheme's, or without one every published row by its printed 分值 and
    /// 年度指标值 with the funds block by the 自评表's rule. `Err` says why not.
    pub(super) fn recompute_sheet(&self) -> Result<scoring::ScoreSheet, String> {
        let implied;
        let (scheme, rows): (&Scheme, Vec<&Row<'_>>) = match self.scheme {
            Some(s) => (s, self.rows.iter().filter(|r| r.from_scheme).collect()),
            None => {
                implied = self.implied_sheet()?;
                (
                    &implied,
                    self.rows.iter().filter(|r| !r.claim.sub).collect(),
                )
            }
        };
        let mut extra = Vec::new();
        let mut judgments = Vec::new();
        for r in &rows {
            extra.extend(self.actual_value(r));
            if let Some(j) = self.judgment(r) {
                judgments.push(j);
            }
        }
        let refs: Vec<&JudgmentRow> = judgments.iter().collect();
        let mut metrics = self.metrics(extra.clone());
        match scoring::score(scheme, &mut metrics, &refs, &self.claims.path, self.lang) {
            Ok((sheet, _)) => Ok(sheet),
            Err(_) => Err(self.not_given(scheme, &rows, &refs, &extra)),
        }
    }

    /// Which indicators of `scheme` the published figures do not give, grouped by why:
    /// "未列示：立项依据充分性、立项程序规范性、绩效目标合理性等 11 项；资金使用合规性（…）".
    fn not_given(
        &self,
        scheme: &Scheme,
        rows: &[&Row<'_>],
        refs: &[&JudgmentRow],
        extra: &[(String, MetricValue)],
    ) -> String {
        let metrics = || self.metrics(extra.to_vec());
        let mut missing: Vec<(String, Vec<&str>)> = Vec::new();
        for (_, _, ind) in scheme.indicators() {
            let own: Vec<&JudgmentRow> = refs
                .iter()
                .copied()
                .filter(|j| j.indicator == ind.id)
                .collect();
            let mut m = metrics();
            if scoring::score_indicator(scheme, ind, &mut m, &own, &self.claims.path, self.lang)
                .is_ok()
            {
                continue;
            }
            let row = rows
                .iter()
                .copied()
                .find(|r| r.ind.as_ref().is_some_and(|i| i.id == ind.id));
            let why = self.unjudged(ind, row);
            let name = if ind.name.is_empty() {
                &ind.id
            } else {
                &ind.name
            };
            match missing.iter_mut().find(|(w, _)| *w == why) {
                Some((_, names)) => names.push(name),
                None => missing.push((why, vec![name])),
            }
        }
        let parts: Vec<String> = missing
            .iter()
            .map(|(why, names)| {
                if let [name] = names.as_slice() {
                    return format!("{name}{}", self.paren(why));
                }
                let shown = names.iter().take(3).copied().collect::<Vec<_>>();
                let more = if names.len() > shown.len() {
                    format!(
                        "{}{}{}",
                        self.t("等 ", ", … "),
                        names.len(),
                        self.t(" 项", " in all")
                    )
                } else {
                    String::new()
                };
                format!(
                    "{why}{}{}{more}",
                    self.t("：", ": "),
                    shown.join(self.t("、", ", "))
                )
            })
            .collect();
        parts.join(self.t("；", "; "))
    }

    /// Why one indicator cannot be scored from the published figures.
    fn unjudged(&self, ind: &Indicator, row: Option<&Row<'_>>) -> String {
        if !ind.scoring.is_judged() {
            return self.unscored(ind, row);
        }
        let Some(r) = row else {
            return self.t("未列示", "not printed").to_string();
        };
        let qualitative = matches!(ind.scoring, Scoring::Qualitative(_));
        let in_tier = |tier: Tier, score: Decimal| match &ind.scoring {
            Scoring::Qualitative(tiers) => rules::in_tier(tier, tiers, ind.weight, score),
            _ => true,
        };
        let no_reason = r.claim.reason.as_ref().is_none_or(|t| t.text.is_empty());
        let why = match (&r.claim.tier, &r.claim.score) {
            (None, _) if qualitative => ("未标明档次", "no tier printed"),
            (Some((JudgedTier::NotApplicable, _)), _) => ("不适用", "not applicable"),
            (_, None) => ("未列示得分", "no score printed"),
            (_, Some(p)) if p.value > ind.weight => {
                ("得分超过分值", "the score is above its weight")
            }
            (Some((JudgedTier::Tier(t), _)), Some(p)) if !in_tier(*t, p.value) => {
                ("得分不在所评档次内", "the score is outside its tier")
            }
            // The rules take no lost points without a reason (as `score` refuses them).
            (_, Some(p)) if p.value < ind.weight && no_reason => {
                ("扣分未说明原因", "points lost with no reason given")
            }
            _ if qualitative => ("得分不在所评档次内", "the score is outside its tier"),
            _ => ("得分不可用", "the score cannot be used"),
        };
        self.t(why.0, why.1).to_string()
    }

    /// The scheme a published table makes without one: every row by its printed 分值 and
    /// 年度指标值 in its printed dimension and group, and the funds block (by 执行率 × 分值)
    /// as a dimension of its own; only when the printed weights make up the total.
    fn implied_sheet(&self) -> Result<Scheme, String> {
        let claims = self.claims;
        let mut dimensions = Vec::new();
        if let Some((ind, _)) = self.execution_indicator() {
            let name = ind.name.clone();
            dimensions.push(Dimension {
                kind: DimensionKind::Process,
                name: name.clone(),
                weight: ind.weight,
                groups: vec![Group {
                    name,
                    weight: ind.weight,
                    indicators: vec![ind],
                    span: 0..0,
                }],
                span: 0..0,
            });
        }
        for (di, d) in claims.dimensions.iter().enumerate() {
            let mut groups = Vec::new();
            for (gi, g) in d.groups.iter().enumerate() {
                let indicators: Vec<Indicator> = self
                    .rows
                    .iter()
                    .filter(|r| r.dim == di && r.group == gi && !r.claim.sub)
                    .map(|r| r.ind.clone().ok_or_else(|| self.no_weight(r)))
                    .collect::<Result<_, _>>()?;
                groups.push(Group {
                    name: g.name.clone().unwrap_or_default(),
                    weight: indicators.iter().map(|i| i.weight).sum(),
                    indicators,
                    span: 0..0,
                });
            }
            let name = d.name.clone().unwrap_or_default();
            dimensions.push(Dimension {
                kind: DimensionKind::parse(&name).unwrap_or(DimensionKind::Output),
                name,
                weight: groups.iter().map(|g| g.weight).sum(),
                groups,
                span: 0..0,
            });
        }
        let mut scheme = indicators::implied_scheme(claims, None);
        scheme.dimensions = dimensions;
        let weights: Decimal = scheme.indicators().map(|(_, _, i)| i.weight).sum();
        let ids: BTreeSet<&str> = scheme.indicators().map(|(_, _, i)| i.id.as_str()).collect();
        if ids.len() != scheme.indicators().count() {
            return Err(self
                .t(
                    "两行的 id 相同，无从逐项复算",
                    "two rows have the same id: they cannot be scored apart",
                )
                .to_string());
        }
        if weights.is_zero() {
            return Err(self
                .t(
                    "未列示分值，无从复算总分",
                    "no weights printed: no total to recompute",
                )
                .to_string());
        }
        if weights != scheme.total {
            return Err(format!(
                "{}{}{}{}{}",
                self.t("公布的分值之和 ", "the printed weights add up to "),
                plain(weights),
                self.t(" 不等于总分 ", ", not the total "),
                plain(scheme.total),
                self.t("，不是整张表", ": not the whole evaluation")
            ));
        }
        Ok(scheme)
    }

    /// A row without a printed 分值 (and no scheme's): the implied sheet has no indicator.
    fn no_weight(&self, r: &Row<'_>) -> String {
        format!(
            "{}{}",
            r.claim.label(),
            self.paren(self.t("未列示分值", "no weight printed"))
        )
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
    /// total against the rules applied to every published figure ([`Self::recompute_sheet`]).
    pub(super) fn recomputed_total(&mut self, sheet: Result<&scoring::ScoreSheet, &String>) {
        let Some(total) = &self.claims.total.score else {
            return;
        };
        let sheet = match sheet {
            Ok(sheet) => sheet,
            Err(why) => {
                self.cannot("total.score", why.clone());
                return;
            }
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
            self.cannot(
                "total.score",
                self.t(
                    "已有得分问题，总分不再按规则复算",
                    "scores are already found off: the total is not recomputed by the rules",
                ),
            );
            return;
        }
        let total = total.clone();
        let rule = match self.scheme {
            Some(s) => format!(
                "{}{}",
                s.id,
                self.t(
                    "：按指标体系评分规则与公布的实际完成值逐项复算",
                    ": every indicator scored by the scheme's rules from the published figures"
                )
            ),
            None => self
                .t(
                    "按公布的分值、年度指标值与实际完成值逐项复算",
                    "every row scored by its printed weight, target and actual value",
                )
                .to_string(),
        };
        let subject = self.t("总分", "total").to_string();
        match judge(&total, sheet.total, &[]) {
            Comparison::Agrees => self.agree("total.score", Code::ScoreOffRule),
            Comparison::Truncated(r) => {
                self.truncated(&total, "total.score", subject, (sheet.total, r), rule);
            }
            Comparison::Differs(r) => {
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
