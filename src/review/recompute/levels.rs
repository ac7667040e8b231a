//! The levels of the form: the 分值 and 得分 of every indicator group and dimension against
//! the sum of their parts, and the first level (with the funds block) against the total
//! (JX2004, JX2005), rescaled (百分制折算) when rows are 不适用.

use rust_decimal::Decimal;

use super::judge::agrees;
use super::{Reviewer, Row};
use crate::decimal::plain;
use crate::diag::Code;
use crate::i18n::Lang;
use crate::judgment::JudgedTier;
use crate::review::Finding;
use crate::review::model::{Printed, RowClaim};
use crate::scoring::rules;

impl Reviewer<'_> {
    /// JX2004: printed weights at each level against their parent's printed weight.
    pub(super) fn weight_sums(&mut self) {
        let claims = self.claims;
        // Without a scheme the rows are the whole table as far as anything can tell; with
        // one, only when every indicator of it has its row.
        let whole = !claims.report.partial && (self.scheme.is_none() || self.complete());
        let mut dim_weights: Vec<Option<(Decimal, String)>> = Vec::new();
        for d in &claims.dimensions {
            let mut group_weights: Vec<Option<(Decimal, String)>> = Vec::new();
            for g in &d.groups {
                // A 其中 row's weight is part of the row above it, not added again.
                let rows: Option<Vec<&Printed>> = g
                    .rows
                    .iter()
                    .filter(|r| !r.sub)
                    .map(|r| r.weight.as_ref())
                    .collect();
                let rows_sum = rows.filter(|v| !v.is_empty()).map(|v| {
                    (
                        v.iter().map(|p| p.value).sum::<Decimal>(),
                        v.iter()
                            .map(|p| p.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" + "),
                    )
                });
                self.weight_sum(
                    g.weight.as_ref(),
                    rows_sum.as_ref(),
                    &format!("{}.weight", g.field),
                    g.name.clone().unwrap_or_else(|| g.field.clone()),
                    (
                        Level::Rows,
                        self.t(
                            "三级指标分值之和 = 二级指标分值",
                            "the indicator weights of a group add up to its weight",
                        ),
                    ),
                );
                group_weights.push(
                    g.weight
                        .as_ref()
                        .map(|p| (p.value, p.text.clone()))
                        .or(rows_sum),
                );
            }
            let groups: Option<Vec<(Decimal, String)>> = group_weights.into_iter().collect();
            let groups_sum = groups.filter(|v| !v.is_empty()).map(|v| {
                (
                    v.iter().map(|(w, _)| *w).sum::<Decimal>(),
                    v.iter()
                        .map(|(_, t)| t.as_str())
                        .collect::<Vec<_>>()
                        .join(" + "),
                )
            });
            self.weight_sum(
                d.weight.as_ref(),
                groups_sum.as_ref(),
                &format!("{}.weight", d.field),
                d.name.clone().unwrap_or_else(|| d.field.clone()),
                (
                    Level::Groups,
                    self.t(
                        "二级指标分值之和 = 一级指标分值",
                        "the group weights of a dimension add up to its weight",
                    ),
                ),
            );
            // Printed, or the sum of its groups when every one is known: a table that
            // prints no first-level 分值 still has its total checked — unless its rows are
            // known to be only part of a scheme's (a transcription of some rows).
            let from_groups = groups_sum.filter(|_| whole);
            dim_weights.push(
                d.weight
                    .as_ref()
                    .map(|p| (p.value, p.text.clone()))
                    .or(from_groups),
            );
        }
        self.total_weight_sum(dim_weights);
    }

    /// JX2004 on the first level: the printed dimension weights (and the funds block's 分值)
    /// against the stated total.
    fn total_weight_sum(&mut self, dim_weights: Vec<Option<(Decimal, String)>>) {
        let claims = self.claims;
        if claims.report.partial {
            if claims.total.weight.is_some() {
                self.cannot(
                    "total.weight",
                    self.t(
                        "表格标明只是自评表的一部分（[report] partial），分值不加总到总分",
                        "the table is marked as part of the form ([report] partial): the weights are not added up to the total",
                    ),
                );
            }
            return;
        }
        let dims: Option<Vec<(Decimal, String)>> = dim_weights.into_iter().collect();
        let Some(mut parts) = dims.filter(|v| !v.is_empty()) else {
            if claims.total.weight.is_some() {
                self.cannot(
                    "total.weight",
                    self.incomplete(Level::Dimensions, Part::Weight),
                );
            }
            return;
        };
        if let Some(w) = &claims.funds.weight {
            parts.insert(0, (w.value, w.text.clone()));
        }
        let sum: Decimal = parts.iter().map(|(w, _)| *w).sum();
        let total = self.total_weight();
        if sum == total {
            self.agree("total.weight", Code::WeightsOffSum);
            return;
        }
        let terms = parts
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        let place = match &claims.total.weight {
            Some(w) => (w.clone(), "total.weight".to_string()),
            None => {
                let d = claims.dimensions.iter().find_map(|d| {
                    d.weight
                        .as_ref()
                        .map(|w| (w.clone(), format!("{}.weight", d.field)))
                });
                match d {
                    Some(x) => x,
                    None => return,
                }
            }
        };
        let f = Finding {
            subject: format!("{} · {}", self.t("总分", "total"), self.t("分值", "weight")),
            // The stated total, or the one the scheme (or 100) implies.
            claim: claims.total.weight.as_ref().map_or_else(
                || {
                    format!(
                        "{}{}",
                        plain(total),
                        self.paren(self.t("未列示", "not printed"))
                    )
                },
                |w| w.text.clone(),
            ),
            recomputed: format!("{} = {terms}", plain(sum)),
            rule: self
                .t(
                    "一级指标分值（含预算执行率）之和 = 总分",
                    "the first-level weights (预算执行率 included) add up to the total",
                )
                .to_string(),
            message: self
                .t(
                    "一级指标分值之和与总分不符",
                    "the first-level weights do not add up to the total",
                )
                .to_string(),
            ..self.at(Code::WeightsOffSum, &place.0.at, &place.1)
        };
        self.push(f);
    }

    /// JX2004: a printed 分值 against the sum of its parts, when every part is known.
    fn weight_sum(
        &mut self,
        parent: Option<&Printed>,
        parts: Option<&(Decimal, String)>,
        field: &str,
        subject: String,
        (below, rule): (Level, &str),
    ) {
        let Some(parent) = parent else { return };
        let Some((sum, terms)) = parts else {
            self.cannot(field, self.incomplete(below, Part::Weight));
            return;
        };
        if *sum == parent.value {
            self.agree(field, Code::WeightsOffSum);
            return;
        }
        let f = Finding {
            subject: format!("{subject} · {}", self.t("分值", "weight")),
            claim: parent.text.clone(),
            recomputed: format!("{} = {terms}", plain(*sum)),
            rule: rule.to_string(),
            message: self
                .t("分值之和不符", "the weights do not add up")
                .to_string(),
            ..self.at(Code::WeightsOffSum, &parent.at, field)
        };
        self.push(f);
    }

    /// The stated total: printed, else the scheme's, else 100.
    pub(super) fn total_weight(&self) -> Decimal {
        self.claims
            .total
            .weight
            .as_ref()
            .map_or(self.reference().total, |w| w.value)
    }

    /// JX2005: printed subtotals and the total against the sum of their parts.
    pub(super) fn score_sums(&mut self) {
        let claims = self.claims;
        // Known score of each part: printed, or the sum of its children when all are known.
        let mut dim_scores: Vec<Option<(Decimal, String)>> = Vec::new();
        for (di, d) in claims.dimensions.iter().enumerate() {
            let mut group_scores: Vec<Option<(Decimal, String)>> = Vec::new();
            for (gi, g) in d.groups.iter().enumerate() {
                let rows: Option<Vec<(Decimal, String)>> = self
                    .rows
                    .iter()
                    .filter(|r| r.dim == di && r.group == gi && !r.claim.sub)
                    .map(|r| {
                        if r.not_applicable() {
                            Some((Decimal::ZERO, self.t("不适用", "n/a").to_string()))
                        } else {
                            r.claim.score.as_ref().map(|p| (p.value, p.text.clone()))
                        }
                    })
                    .collect();
                let rows_sum = sum_terms(rows);
                self.score_sum(
                    g.score.as_ref(),
                    rows_sum.as_ref(),
                    &format!("{}.score", g.field),
                    g.name.clone().unwrap_or_else(|| g.field.clone()),
                    (
                        Level::Rows,
                        self.t(
                            "二级指标得分 = 三级指标得分之和",
                            "a group's score is the sum of its indicators'",
                        ),
                    ),
                );
                group_scores.push(
                    g.score
                        .as_ref()
                        .map(|p| (p.value, p.text.clone()))
                        .or(rows_sum),
                );
            }
            let groups_sum = sum_terms(group_scores.into_iter().collect());
            self.score_sum(
                d.score.as_ref(),
                groups_sum.as_ref(),
                &format!("{}.score", d.field),
                d.name.clone().unwrap_or_else(|| d.field.clone()),
                (
                    Level::Groups,
                    self.t(
                        "一级指标得分 = 二级指标得分之和",
                        "a dimension's score is the sum of its groups'",
                    ),
                ),
            );
            dim_scores.push(
                d.score
                    .as_ref()
                    .map(|p| (p.value, p.text.clone()))
                    .or(groups_sum),
            );
        }
        self.total_score_sum(dim_scores);
    }

    /// JX2005 on the total: the first level (and the funds block's score), rescaled when rows
    /// are 不适用, when the published rows make up the whole evaluation.
    fn total_score_sum(&mut self, dim_scores: Vec<Option<(Decimal, String)>>) {
        let claims = self.claims;
        let Some(total) = &claims.total.score else {
            return;
        };
        // A total above its weight (120.5 of 100) is wrong whatever its parts add up to.
        let weight = self.total_weight();
        if total.value > weight {
            let label = self.t("总分", "total").to_string();
            self.above_weight(total, weight, "total.score", label);
            return;
        }
        if claims.report.partial {
            self.cannot(
                "total.score",
                self.t(
                    "表格标明只是自评表的一部分（[report] partial），得分不加总到总分",
                    "the table is marked as part of the form ([report] partial): the scores are not added up to the total",
                ),
            );
            return;
        }
        if !self.complete() {
            self.cannot(
                "total.score",
                self.t(
                    "公布的指标不是整张表（一级指标与预算执行率的分值之和不等于总分，也未列出指标体系的全部指标），得分不加总到总分",
                    "the published rows are not the whole evaluation (the first-level weights and the 预算执行率 weight do not add up to the total, nor is every indicator of a scheme printed): the scores are not added up to the total",
                ),
            );
            return;
        }
        let Some((mut sum, mut terms)) = sum_terms(dim_scores.into_iter().collect()) else {
            self.cannot(
                "total.score",
                self.incomplete(Level::Dimensions, Part::Score),
            );
            return;
        };
        if let Some(s) = &claims.funds.score {
            sum += s.value;
            terms = format!("{} + {terms}", s.text);
        }
        let Some((expected, rule)) = self.rescaled(sum) else {
            self.cannot(
                "total.score",
                self.t(
                    "不适用的行未列示分值，无法按百分制折算",
                    "a row 不适用 has no weight: the total cannot be rescaled",
                ),
            );
            return;
        };
        if agrees(total, expected) {
            self.agree("total.score", Code::ScoresOffSum);
            return;
        }
        let total = total.clone();
        self.scores_off(
            &total,
            expected,
            &terms,
            "total.score",
            self.t("总分", "total").to_string(),
            &rule,
        );
    }

    /// The total the sum of the scores gives, and the rule: the sum itself, or rescaled to
    /// the total weight (百分制折算) when rows are 不适用. `None` when a row 不适用 has no
    /// weight.
    fn rescaled(&self, sum: Decimal) -> Option<(Decimal, String)> {
        let total_weight = self.total_weight();
        let not_applicable: Decimal = self
            .rows
            .iter()
            .filter(|r| r.not_applicable() && !r.claim.sub)
            .map(Row::weight)
            .sum::<Option<Decimal>>()?;
        if not_applicable.is_zero() {
            return Some((
                sum,
                self.t("总分 = 各项得分之和", "the total is the sum of the scores")
                    .to_string(),
            ));
        }
        let applicable = total_weight - not_applicable;
        Some((
            crate::decimal::round_score(rules::rescale(sum, applicable, total_weight)),
            format!(
                "{} {} × {} / {}",
                self.t(
                    "部分指标不适用，按百分制折算：",
                    "some indicators do not apply, rescaled (百分制折算):"
                ),
                plain(sum),
                plain(total_weight),
                plain(applicable)
            ),
        ))
    }

    /// Whether the published rows make up the whole evaluation, so that their scores add up
    /// to the total: the printed first-level weights (and the funds block's) add up to the
    /// total, or every indicator of the scheme has its row (预算执行率 may stand in the
    /// funds block).
    fn complete(&self) -> bool {
        let claims = self.claims;
        if claims.report.partial {
            return false;
        }
        let dims: Option<Decimal> = claims
            .dimensions
            .iter()
            .map(|d| d.weight.as_ref().map(|w| w.value))
            .sum();
        // A form declared to follow a template and printing no first-level 分值 is the
        // template's whole form: its weights are the template's and add up to 100.
        if self.template.is_some()
            && !claims.dimensions.is_empty()
            && claims.dimensions.iter().all(|d| d.weight.is_none())
        {
            return true;
        }
        if let Some(sum) = dims.filter(|_| !claims.dimensions.is_empty()) {
            let funds = claims
                .funds
                .weight
                .as_ref()
                .map_or(Decimal::ZERO, |w| w.value);
            if sum + funds == self.total_weight() {
                return true;
            }
        }
        let funds = claims
            .funds
            .weight
            .as_ref()
            .map_or(Decimal::ZERO, |w| w.value);
        // Without first-level 分值, the rows' own 分值 (each printed) adding up to the total.
        let rows: Option<Decimal> = claims
            .dimensions
            .iter()
            .flat_map(|d| &d.groups)
            .flat_map(|g| &g.rows)
            .filter(|r| !r.sub)
            .map(|r| r.weight.as_ref().map(|w| w.value))
            .sum();
        if self.scheme.is_none()
            && rows.is_some_and(|sum| !sum.is_zero() && sum + funds == self.total_weight())
        {
            return true;
        }
        let Some(s) = self.scheme else { return false };
        let execution = self
            .execution_indicator()
            .filter(|(_, from)| *from)
            .map(|(i, _)| i.id);
        s.indicators().all(|(_, _, i)| {
            self.rows
                .iter()
                .any(|r| r.from_scheme && r.ind.as_ref().is_some_and(|x| x.id == i.id))
                || (claims.funds.score.is_some() && execution.as_deref() == Some(i.id.as_str()))
        })
    }

    /// JX2004 / JX2005 on a row with 其中 rows beneath it: its 分值 and 得分 against theirs
    /// added up (a 其中 row 不适用 scores 0).
    pub(super) fn sub_sums(&mut self) {
        let claims = self.claims;
        for d in &claims.dimensions {
            for g in &d.groups {
                let mut i = 0;
                while i < g.rows.len() {
                    let parent = &g.rows[i];
                    let subs: Vec<&RowClaim> =
                        g.rows[i + 1..].iter().take_while(|r| r.sub).collect();
                    i += 1 + subs.len();
                    if subs.is_empty() {
                        continue;
                    }
                    let weights: Option<Vec<(Decimal, String)>> = subs
                        .iter()
                        .map(|r| r.weight.as_ref().map(|p| (p.value, p.text.clone())))
                        .collect();
                    let scores: Option<Vec<(Decimal, String)>> = subs
                        .iter()
                        .map(|r| match (&r.tier, &r.score) {
                            (Some((JudgedTier::NotApplicable, _)), _) => {
                                Some((Decimal::ZERO, self.t("不适用", "n/a").to_string()))
                            }
                            (_, s) => s.as_ref().map(|p| (p.value, p.text.clone())),
                        })
                        .collect();
                    let rule = (
                        Level::Subs,
                        self.t(
                            "其中各行之和 = 该行",
                            "the 其中 rows add up to the row above them",
                        ),
                    );
                    let label = parent.label();
                    self.weight_sum(
                        parent.weight.as_ref(),
                        sum_terms(weights).as_ref(),
                        &format!("{}.weight", parent.field),
                        label.clone(),
                        rule,
                    );
                    self.score_sum(
                        parent.score.as_ref(),
                        sum_terms(scores).as_ref(),
                        &format!("{}.score", parent.field),
                        label,
                        rule,
                    );
                }
            }
        }
    }

    /// JX2005: a printed 得分 against the sum of its parts, when every part is known.
    fn score_sum(
        &mut self,
        printed: Option<&Printed>,
        parts: Option<&(Decimal, String)>,
        field: &str,
        subject: String,
        (below, rule): (Level, &str),
    ) {
        let Some(printed) = printed else { return };
        let Some((sum, terms)) = parts else {
            self.cannot(field, self.incomplete(below, Part::Score));
            return;
        };
        if agrees(printed, *sum) {
            self.agree(field, Code::ScoresOffSum);
            return;
        }
        self.scores_off(printed, *sum, terms, field, subject, rule);
    }

    /// JX2005: a printed 得分 and the sum of its parts.
    fn scores_off(
        &mut self,
        printed: &Printed,
        sum: Decimal,
        terms: &str,
        field: &str,
        subject: String,
        rule: &str,
    ) {
        let f = Finding {
            subject: format!("{subject} · {}", self.t("得分", "score")),
            claim: printed.text.clone(),
            recomputed: format!("{} = {terms}", plain(sum)),
            rule: rule.to_string(),
            message: self
                .t("得分之和不符", "the scores do not add up")
                .to_string(),
            ..self.at(Code::ScoresOffSum, &printed.at, field)
        };
        self.push(f);
    }
}

/// The level below a printed subtotal.
#[derive(Clone, Copy)]
enum Level {
    /// The 其中 rows of a row.
    Subs,
    Rows,
    Groups,
    Dimensions,
}

/// What a subtotal adds up.
#[derive(Clone, Copy)]
enum Part {
    Weight,
    Score,
}

impl Reviewer<'_> {
    /// Why a subtotal is not the checked sum of the level below: a part of it is not
    /// printed (nor can be added up), or there is none.
    fn incomplete(&self, below: Level, part: Part) -> String {
        let (zh, en) = match below {
            Level::Subs => ("其中各行", "其中 row"),
            Level::Rows => ("三级指标", "indicator"),
            Level::Groups => ("二级指标", "group"),
            Level::Dimensions => ("一级指标", "dimension"),
        };
        let (zh_part, en_part) = match part {
            Part::Weight => ("分值", "weight"),
            Part::Score => ("得分", "score"),
        };
        match self.lang {
            Lang::Zh => format!("{zh}{zh_part}未全部列示，无从加总"),
            Lang::En => {
                format!("not every {en} {en_part} below it is printed: nothing to add up")
            }
        }
    }
}

/// The sum of known parts and their terms ("2 + 3 + 不适用"), when every part is known.
fn sum_terms(parts: Option<Vec<(Decimal, String)>>) -> Option<(Decimal, String)> {
    let parts = parts.filter(|v| !v.is_empty())?;
    Some((
        parts.iter().map(|(v, _)| *v).sum(),
        parts
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
    ))
}
