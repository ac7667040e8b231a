//! The records: every published figure against the one the evaluation folder's records give
//! (JX2015, or JX2002 when it was cut off) — the amounts and rates of the funds block, the
//! funds block's score, each row's actual and score, the subtotals, the total and the grade.

use rust_decimal::Decimal;

use super::Reviewer;
use super::funds::{AMOUNTS, form_label, rates};
use super::judge::{Comparison, judge, like};
use crate::builtin::Builtin;
use crate::decimal::{fixed, plain};
use crate::diag::Code;
use crate::metrics::Funds;
use crate::outcome::Outcome;
use crate::review::Finding;
use crate::review::model::{Actual, Printed};
use crate::scoring::{self, rules};

impl Reviewer<'_> {
    /// JX2015 (or JX2002): every published figure against the evaluation folder's records.
    pub(super) fn records(&mut self, o: &Outcome) {
        self.amounts_against_records(&o.funds);
        self.sources_against_records(&o.funds);
        self.rates_against_records(&o.funds);
        self.execution_score_against_records(&o.sheet);
        self.rows_against_records(&o.sheet);
        self.subtotals_against_records(&o.sheet);
        self.total_against_records(o);
    }

    /// The rule of a figure taken from the records: "原始记录：…".
    fn records_rule(&self, rule: &str) -> String {
        format!("{}{rule}", self.t("原始记录：", "records: "))
    }

    /// The amounts of 年度资金总额.
    fn amounts_against_records(&mut self, f: &Funds) {
        let claims = self.claims;
        for key in AMOUNTS {
            // Money always has a value; only a rate may have none.
            let exact = f.value(key).unwrap_or_default();
            if let Some(p) = claims.funds.total.get(key) {
                let (zh, en) = form_label(key);
                let rule = self.records_rule(&format!(
                    "{} {} 元{}",
                    self.t(zh, en),
                    fixed(exact, 2),
                    self.paren(&format!("{}万元", crate::decimal::wan_exact(exact)))
                ));
                let subject = format!(
                    "{} · {}",
                    self.t("年度资金总额", "total funds"),
                    self.t(zh, en)
                );
                self.against_records(p, exact, &[], &format!("funds.{key}"), subject, rule);
            }
        }
    }

    /// The amounts of each 其中 row the records name.
    fn sources_against_records(&mut self, f: &Funds) {
        let claims = self.claims;
        for s in &claims.funds.sources {
            if s.row.spent.is_some() {
                self.cannot(
                    &format!("{}.spent", s.field),
                    self.t(
                        "原始记录的支出不分资金来源，无从比对",
                        "the records' spending carries no source of funds",
                    ),
                );
            }
            let Some(rs) = f.by_source.iter().find(|x| x.source == s.name) else {
                for key in [
                    Builtin::InitialBudget,
                    Builtin::AdjustedBudget,
                    Builtin::Allocated,
                ] {
                    if s.row.get(key).is_some() {
                        self.cannot(
                            &format!("{}.{key}", s.field),
                            self.t(
                                "原始记录中没有这一资金来源",
                                "the records have no such source of funds",
                            ),
                        );
                    }
                }
                continue;
            };
            for (key, exact) in [
                (Builtin::InitialBudget, rs.initial_budget),
                (Builtin::AdjustedBudget, rs.adjusted_budget),
                (Builtin::Allocated, rs.allocated),
            ] {
                if let Some(p) = s.row.get(key) {
                    let (zh, en) = form_label(key);
                    let rule = self.records_rule(&format!(
                        "{} {} {} 元",
                        s.name,
                        self.t(zh, en),
                        fixed(exact, 2)
                    ));
                    let subject = format!("{} · {}", s.name, self.t(zh, en));
                    self.against_records(
                        p,
                        exact,
                        &[],
                        &format!("{}.{key}", s.field),
                        subject,
                        rule,
                    );
                }
            }
        }
    }

    /// The rates of 年度资金总额, from the amounts in the records.
    fn rates_against_records(&mut self, f: &Funds) {
        let claims = self.claims;
        for kind in rates() {
            let Some(p) = claims.funds.total.get(kind) else {
                continue;
            };
            let Some((n, d)) = kind.ratio() else { continue };
            // Money always has a value; only a rate may have none.
            let (num, den) = (
                f.value(n).unwrap_or_default(),
                f.value(d).unwrap_or_default(),
            );
            let Some(exact) = rules::ratio(num, den).filter(|_| !den.is_zero()) else {
                self.cannot(
                    &format!("funds.{kind}"),
                    self.t(
                        "原始记录的分母为 0，得不出比率",
                        "the records' denominator is 0: no rate",
                    ),
                );
                continue;
            };
            let library: Vec<Decimal> = f.value(kind).into_iter().collect();
            let (zh, en) = form_label(kind);
            let rule = self.records_rule(&format!(
                "{} / {} = {} / {} = {}",
                self.t(form_label(n).0, form_label(n).1),
                self.t(form_label(d).0, form_label(d).1),
                fixed(num, 2),
                fixed(den, 2),
                crate::decimal::percent(exact)
            ));
            let subject = format!(
                "{} · {}",
                self.t("年度资金总额", "total funds"),
                self.t(zh, en)
            );
            self.against_records(p, exact, &library, &format!("funds.{kind}"), subject, rule);
        }
    }

    /// The funds block's score: the scheme's 预算执行率 indicator in the records.
    fn execution_score_against_records(&mut self, sheet: &scoring::ScoreSheet) {
        if let (Some(p), Some((ind, true))) = (&self.claims.funds.score, self.execution_indicator())
            && let Some(s) = sheet.indicators.iter().find(|i| i.id == ind.id)
            && let (Some(exact), Some(rounded)) = (s.unrounded, s.score)
        {
            let rule = self.records_rule(&format!(
                "{} {}{}{}",
                s.id,
                s.name,
                self.t("：", ": "),
                s.basis
            ));
            let subject = format!(
                "{} · {}",
                self.t("预算执行率", "budget execution"),
                self.t("得分", "score")
            );
            self.against_records(p, exact, &[rounded], "funds.score", subject, rule);
        }
    }

    /// Each row of a scheme indicator: its actual and its score.
    fn rows_against_records(&mut self, sheet: &scoring::ScoreSheet) {
        let mut checks: Vec<(Printed, Decimal, Vec<Decimal>, String, String, String)> = Vec::new();
        let mut unchecked: Vec<(String, &str)> = Vec::new();
        for r in &self.rows {
            let actual = match &r.claim.actual {
                Some(Actual::Number(p)) => Some(p),
                _ => None,
            };
            let fields = [
                actual.map(|_| format!("{}.actual", r.claim.field)),
                r.claim
                    .score
                    .as_ref()
                    .map(|_| format!("{}.score", r.claim.field)),
            ];
            let id = r.ind.as_ref().filter(|_| r.from_scheme).map(|i| &i.id);
            let Some(s) = id.and_then(|id| sheet.indicators.iter().find(|i| &i.id == id)) else {
                let why = self.t(
                    "未匹配到指标体系的指标，无从与原始记录比对",
                    "matched to no indicator of the scheme: not compared with the records",
                );
                unchecked.extend(fields.into_iter().flatten().map(|f| (f, why)));
                continue;
            };
            match (actual, s.actual_value) {
                (Some(p), Some(b)) => checks.push((
                    p.clone(),
                    b,
                    Vec::new(),
                    format!("{}.actual", r.claim.field),
                    format!("{} · {}", r.claim.label(), self.t("实际完成值", "actual")),
                    self.records_rule(&format!(
                        "{} {} {}",
                        s.id,
                        s.name,
                        s.actual.clone().unwrap_or_default()
                    )),
                )),
                (Some(_), None) => unchecked.push((
                    format!("{}.actual", r.claim.field),
                    self.t(
                        "原始记录未给出这一指标的实际完成值",
                        "the records give no actual value for this indicator",
                    ),
                )),
                _ => {}
            }
            match (&r.claim.score, s.unrounded, s.score) {
                (Some(p), Some(exact), Some(rounded)) => checks.push((
                    p.clone(),
                    exact,
                    vec![rounded],
                    format!("{}.score", r.claim.field),
                    format!("{} · {}", r.claim.label(), self.t("得分", "score")),
                    self.records_rule(&format!(
                        "{} {}{}{}",
                        s.id,
                        s.name,
                        self.t("：", ": "),
                        s.basis
                    )),
                )),
                (Some(_), _, _) => unchecked.push((
                    format!("{}.score", r.claim.field),
                    self.t(
                        "原始记录中这一指标不适用，无得分",
                        "the indicator does not apply in the records: no score",
                    ),
                )),
                _ => {}
            }
        }
        for (field, why) in unchecked {
            self.cannot(&field, why);
        }
        for (p, exact, also, field, subject, rule) in checks {
            self.against_records(&p, exact, &also, &field, subject, rule);
        }
    }

    /// Subtotals: a published dimension or group is the scheme's of the same name.
    fn subtotals_against_records(&mut self, sheet: &scoring::ScoreSheet) {
        let claims = self.claims;
        let no_dimension = self.t(
            "原始记录中没有同名的一级指标",
            "the records have no dimension of this name",
        );
        let no_group = self.t(
            "原始记录中没有同名的二级指标",
            "the records have no group of this name",
        );
        for d in &claims.dimensions {
            let Some(sd) = d
                .name
                .as_ref()
                .and_then(|n| sheet.dimensions.iter().find(|x| &x.name == n))
            else {
                if d.score.is_some() {
                    self.cannot(&format!("{}.score", d.field), no_dimension);
                }
                for g in d.groups.iter().filter(|g| g.score.is_some()) {
                    self.cannot(&format!("{}.score", g.field), no_group);
                }
                continue;
            };
            if let Some(p) = &d.score {
                let rule = self.records_rule(&format!("{} {}", sd.name, plain(sd.score)));
                self.against_records(
                    p,
                    sd.score,
                    &[],
                    &format!("{}.score", d.field),
                    sd.name.clone(),
                    rule,
                );
            }
            for g in &d.groups {
                let Some(sg) = g
                    .name
                    .as_ref()
                    .and_then(|n| sd.groups.iter().find(|x| &x.name == n))
                else {
                    if g.score.is_some() {
                        self.cannot(&format!("{}.score", g.field), no_group);
                    }
                    continue;
                };
                if let Some(p) = &g.score {
                    let rule = self.records_rule(&format!("{} {}", sg.name, plain(sg.score)));
                    self.against_records(
                        p,
                        sg.score,
                        &[],
                        &format!("{}.score", g.field),
                        sg.name.clone(),
                        rule,
                    );
                }
            }
        }
    }

    /// The total and the grade.
    fn total_against_records(&mut self, o: &Outcome) {
        let claims = self.claims;
        if let Some(p) = &claims.total.score {
            let rule = self.records_rule(&format!(
                "{} {}{}",
                self.t("总分", "total"),
                fixed(o.sheet.total, 2),
                self.paren(&o.scheme.id)
            ));
            let subject = self.t("总分", "total").to_string();
            self.against_records(p, o.sheet.total, &[], "total.score", subject, rule);
        }
        if claims
            .total
            .grade
            .as_ref()
            .is_some_and(|g| g.text == o.sheet.grade)
        {
            self.agree("total.grade", Code::OffRecords);
        }
        if let Some(g) = &claims.total.grade
            && g.text != o.sheet.grade
        {
            let rule = self.records_rule(&format!(
                "{} {} → {}",
                self.t("总分", "total"),
                fixed(o.sheet.total, 2),
                o.sheet.grade
            ));
            let f = Finding {
                subject: self.t("评价等级", "grade").to_string(),
                claim: g.text.clone(),
                recomputed: o.sheet.grade.clone(),
                rule,
                message: self
                    .t(
                        "公布数与原始记录不符",
                        "the published figure differs from the records",
                    )
                    .to_string(),
                ..self.at(Code::OffRecords, &g.at, "total.grade")
            };
            self.push(f);
        }
    }

    /// One published figure against the records' value.
    fn against_records(
        &mut self,
        p: &Printed,
        exact: Decimal,
        also: &[Decimal],
        field: &str,
        subject: String,
        rule: String,
    ) {
        match judge(p, exact, also) {
            Comparison::Agrees => self.agree(field, Code::OffRecords),
            Comparison::Truncated(r) => self.truncated(p, field, subject, (exact, r), rule),
            Comparison::Differs(r) => {
                let f = Finding {
                    subject,
                    claim: p.text.clone(),
                    recomputed: like(p, r),
                    rule,
                    message: self
                        .t(
                            "公布数与原始记录不符",
                            "the published figure differs from the records",
                        )
                        .to_string(),
                    ..self.at(Code::OffRecords, &p.at, field)
                };
                self.push(f);
            }
        }
    }
}
