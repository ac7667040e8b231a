//! The budget execution rate (预算执行率): the funds block's score under its indicator
//! (JX2003), and every output at full marks beside a rate below the threshold (JX2014).

use rust_decimal::Decimal;

use super::funds::{AMOUNTS, form_label, rates};
use super::judge::{Comparison, judge, like};
use super::{Reviewer, Row};
use crate::builtin::Builtin;
use crate::decimal::plain;
use crate::diag::Code;
use crate::metrics::{self, MetricValue, Source};
use crate::review::model::{AmountsClaim, Printed};
use crate::review::{ExecutionRate, Finding};
use crate::scheme::{DimensionKind, Indicator, Rule, Scheme, Scoring, Target, Unit};
use crate::scoring;

/// A funds row that prints a 预算执行率 分值 or 得分, and the metric values of its own amounts
/// (none for 年度资金总额, whose values are the published figures' own).
struct ScoredRow<'a> {
    /// `funds` or `funds.source[N]`
    field: String,
    label: String,
    weight: Option<&'a Printed>,
    score: Option<&'a Printed>,
    values: Vec<(String, MetricValue)>,
}

/// The amounts a 其中 row prints, and the rates they give (else the rates it prints).
fn source_values(row: &AmountsClaim, file: &std::path::Path) -> Vec<(String, MetricValue)> {
    let value = |value: Decimal, unit: Unit, line: usize| MetricValue {
        value,
        unit,
        source: Source::Output {
            file: file.to_path_buf().into(),
            line,
        },
    };
    let mut v: Vec<(String, MetricValue)> = AMOUNTS
        .into_iter()
        .filter_map(|k| {
            let p = row.get(k)?;
            Some((k.name().to_string(), value(p.value, Unit::Yuan, p.at.line)))
        })
        .collect();
    for kind in rates() {
        let computed = kind.ratio().and_then(|(n, d)| {
            let (n, d) = (row.get(n)?, row.get(d)?);
            Some((metrics::rate(n.value, d.value)?, n.at.line))
        });
        let rate = computed.or_else(|| row.get(kind).map(|p| (p.value, p.at.line)));
        if let Some((rate, line)) = rate {
            v.push((kind.name().to_string(), value(rate, Unit::Percent, line)));
        }
    }
    v
}

impl Reviewer<'_> {
    /// The indicator the funds block's 执行率 score is judged by: the scheme's 预算执行率
    /// indicator, else the 自评表's standard rule (执行率 × 分值, ≥ 100%) with the printed 分值.
    pub(super) fn execution_indicator(&self) -> Option<(Indicator, bool)> {
        if let Some(i) = self.scheme.and_then(Scheme::execution_indicator) {
            return Some((i.clone(), true));
        }
        // The printed 分值, else the template's when the form follows one.
        let weight = match (&self.claims.funds.weight, self.template) {
            (Some(w), _) => w.value,
            (None, Some(t)) => t.execution(),
            (None, None) => return None,
        };
        let target = Target::parse(">= 100%").ok()?;
        Some((
            Indicator {
                id: "预算执行率".into(),
                name: self.t("预算执行率", "budget execution rate").into(),
                weight,
                target_text: None,
                scoring: Scoring::Quantitative {
                    metric: Builtin::ExecutionRate.name().into(),
                    target,
                    rule: Rule::Proportional,
                },
                standard: Some(
                    self.t(
                        "自评表：得分 = 执行率 × 分值",
                        "自评表: score = execution rate × weight",
                    )
                    .into(),
                ),
                over_completion: None,
                line: 0,
                span: 0..0,
            },
            false,
        ))
    }

    /// JX2003 (and JX2007, JX2013) on the funds block's 分值 and 得分: the 年度资金总额 row's,
    /// and each 其中 row's that prints its own (judged by that row's own rate).
    pub(super) fn execution_score(&mut self) {
        let funds = &self.claims.funds;
        let Some((ind, from_scheme)) = self.execution_indicator() else {
            let scored = std::iter::once(("funds".to_string(), &funds.score))
                .chain(funds.sources.iter().map(|s| (s.field.clone(), &s.score)));
            for (field, score) in scored {
                if score.is_some() {
                    self.cannot(
                        &format!("{field}.score"),
                        self.t(
                            "未列示预算执行率的分值，也无指标体系的预算执行率指标可依",
                            "neither a printed weight nor a 预算执行率 indicator of a scheme to score it by",
                        ),
                    );
                }
            }
            return;
        };
        let label = self.t("预算执行率", "budget execution").to_string();
        let total = ScoredRow {
            field: "funds".into(),
            label: label.clone(),
            weight: funds.weight.as_ref(),
            score: funds.score.as_ref(),
            values: Vec::new(),
        };
        self.judge_execution_row(&ind, from_scheme, &total);
        for s in &funds.sources {
            if s.weight.is_none() && s.score.is_none() {
                continue;
            }
            let row = ScoredRow {
                field: s.field.clone(),
                label: format!("{} · {label}", s.name),
                weight: s.weight.as_ref(),
                score: s.score.as_ref(),
                values: source_values(&s.row, &self.claims.path),
            };
            if let Some(metric) = ind.builtin()
                && !row.values.iter().any(|(m, _)| m == metric.name())
                && row.score.is_some()
            {
                self.cannot(
                    &format!("{}.score", row.field),
                    self.t(
                        "其中行未列示计算执行率所需的金额，得分无从复算",
                        "the 其中 row does not print the amounts its rate needs: its score cannot be recomputed",
                    ),
                );
                self.execution_weight(&ind, from_scheme, &row);
                continue;
            }
            self.judge_execution_row(&ind, from_scheme, &row);
        }
    }

    /// A funds row's printed 分值 against the indicator's (JX2013), or why it cannot be.
    fn execution_weight(&mut self, ind: &Indicator, from_scheme: bool, row: &ScoredRow<'_>) {
        let field = format!("{}.weight", row.field);
        match (from_scheme, row.weight) {
            (true, Some(w)) if w.value != ind.weight => {
                self.weight_off_scheme(w, ind, &field, row.label.clone());
            }
            (true, Some(_)) => self.agree(&field, Code::WeightOffScheme),
            (false, Some(_)) => {
                let why = match self.scheme {
                    None => self.t(
                        "无指标体系，分值按公布数采用",
                        "no scheme: the printed weight is the reference",
                    ),
                    Some(_) => self.t(
                        "指标体系无预算执行率指标，分值按公布数采用",
                        "the scheme has no 预算执行率 indicator: the printed weight is the reference",
                    ),
                };
                self.cannot(&field, why);
            }
            (_, None) => {}
        }
    }

    /// JX2003 / JX2007 / JX2013 on one funds row's 分值 and 得分.
    fn judge_execution_row(&mut self, ind: &Indicator, from_scheme: bool, row: &ScoredRow<'_>) {
        self.execution_weight(ind, from_scheme, row);
        let Some(score) = row.score else { return };
        let field = format!("{}.score", row.field);
        // A 其中 row that prints its own 分值 is scored out of it when no scheme says otherwise.
        let mut ind = ind.clone();
        if let (false, Some(w)) = (from_scheme, row.weight) {
            ind.weight = w.value;
        }
        if score.value > ind.weight {
            self.above_weight(score, ind.weight, &field, row.label.clone());
            return;
        }
        let mut metrics = self.metrics(row.values.iter().cloned());
        let s = match scoring::score_indicator(
            self.reference(),
            &ind,
            &mut metrics,
            &[],
            &self.claims.path,
            self.lang,
        ) {
            Ok(s) => s,
            Err(_) => {
                self.cannot(&field, self.unscored(&ind, None));
                return;
            }
        };
        let (Some(exact), Some(rounded)) = (s.unrounded, s.score) else {
            self.cannot(&field, self.t("规则未给出得分", "the rule gives no score"));
            return;
        };
        let rule = self.rule_text(&ind, from_scheme, &s);
        let subject = format!("{} · {}", row.label, self.t("得分", "score"));
        match judge(score, exact, &[rounded]) {
            Comparison::Agrees => self.agree(&field, Code::ExecutionScoreOffRule),
            Comparison::Truncated(r) => {
                self.truncated(score, &field, subject, (exact, r), rule);
            }
            Comparison::Differs(r) => {
                let f = Finding {
                    subject,
                    claim: score.text.clone(),
                    recomputed: like(score, r),
                    rule,
                    message: self
                        .t(
                            "预算执行率得分与评分规则不符",
                            "the 预算执行率 score does not follow from the rule",
                        )
                        .to_string(),
                    ..self.at(Code::ExecutionScoreOffRule, &score.at, &field)
                };
                self.push(f);
            }
        }
    }

    /// The execution rate as printed and as the printed amounts give it (全年执行数 /
    /// 全年预算数, to 0.01%); `None` when neither the rate nor an amount is printed.
    pub(super) fn execution_rate(&self) -> Option<ExecutionRate> {
        let funds = &self.claims.funds;
        let claimed = funds.total.execution_rate.as_ref().map(|p| p.text.clone());
        let spent = self.total_amount(Builtin::Spent);
        let budget = self.total_amount(Builtin::AdjustedBudget);
        if claimed.is_none() && spent.is_none() && budget.is_none() {
            return None;
        }
        let (n, d) = (
            form_label(Builtin::Spent),
            form_label(Builtin::AdjustedBudget),
        );
        let what = format!("{} / {}", self.t(n.0, n.1), self.t(d.0, d.1));
        let (recomputed, basis) = match (spent, budget) {
            (Some(s), Some(b)) => match metrics::rate(s, b) {
                Some(r) => (
                    Some(r),
                    format!(
                        "{what} = {} / {}",
                        plain(funds.unit.from_base(s)),
                        plain(funds.unit.from_base(b)),
                    ),
                ),
                None => (
                    None,
                    format!("{what}{}", self.t("：全年预算数为 0", ": the budget is 0")),
                ),
            },
            _ => (
                None,
                format!("{}{what}", self.t("未列示 ", "not printed: ")),
            ),
        };
        let basis = if self.total_left_blank() {
            format!(
                "{basis}{}",
                self.paren(self.t(
                    "年度资金总额一行为 0，按其中各行之和",
                    "the total funds row is 0: the sum of the 其中 rows"
                ))
            )
        } else {
            basis
        };
        Some(ExecutionRate {
            claimed,
            recomputed,
            basis,
        })
    }

    /// JX2014: every output indicator at full marks beside an execution rate below the
    /// threshold.
    pub(super) fn low_execution(&mut self, threshold: Decimal) {
        let Some(rate) = Builtin::ALL
            .into_iter()
            .filter(|b| b.is_execution_rate())
            .find_map(|b| self.base.get(b.name()))
            .map(|v| v.value)
        else {
            return;
        };
        if rate >= threshold {
            return;
        }
        let claims = self.claims;
        let outputs: Vec<&Row<'_>> = self
            .rows
            .iter()
            .filter(|r| !r.claim.sub)
            .filter(|r| match r.kind {
                Some(k) => k == DimensionKind::Output,
                None => claims.dimensions[r.dim]
                    .name
                    .as_deref()
                    .is_some_and(|n| n.contains("产出") || n.to_lowercase().contains("output")),
            })
            .filter(|r| !r.not_applicable())
            .collect();
        if outputs.is_empty() {
            return;
        }
        let all_full = outputs
            .iter()
            .all(|r| matches!((&r.claim.score, r.weight()), (Some(s), Some(w)) if s.value == w));
        if !all_full {
            return;
        }
        let got: Decimal = outputs.iter().filter_map(|r| r.weight()).sum();
        let place = claims
            .funds
            .total
            .execution_rate
            .as_ref()
            .or(claims.funds.total.spent.as_ref())
            .map(|p| p.at.clone())
            .unwrap_or_else(|| outputs[0].claim.at.clone());
        let f = Finding {
            subject: self.t("产出指标", "output indicators").to_string(),
            claim: format!(
                "{} {}{}",
                outputs.len(),
                self.t("项产出指标全部满分", "output indicators all at full marks"),
                self.paren(&format!("{} / {}", plain(got), plain(got)))
            ),
            recomputed: format!(
                "{} {}",
                self.t("预算执行率", "execution rate"),
                crate::decimal::percent(rate)
            ),
            rule: format!(
                "{}{}{}",
                self.t("执行率低于 ", "less than "),
                crate::decimal::percent(threshold),
                self.t(
                    " 而产出全部满分：核实产出数据，或说明偏差原因",
                    " of the budget spent yet every output at full marks: check the outputs or explain"
                )
            ),
            message: self
                .t(
                    "执行率很低而产出全部满分",
                    "every output at full marks beside a very low execution rate",
                )
                .to_string(),
            ..self.at(Code::FullOutputsLowExecution, &place, "outputs.full_marks")
        };
        self.push(f);
    }
}
