//! The funds block (项目资金): 年度资金总额 against its 其中 rows (JX2012), and every printed
//! rate against the printed amounts it divides (JX2001, JX2002).

use rust_decimal::Decimal;

use super::Reviewer;
use super::judge::{Comparison, approx, judge, like, suffix};
use crate::builtin::Builtin;
use crate::decimal::fixed;
use crate::diag::Code;
use crate::metrics;
use crate::review::Finding;
pub(super) use crate::review::model::form_label;
use crate::review::model::{Actual, AmountsClaim, Printed};
use crate::scoring::rules;

/// The rates a funds row may print, in [`Builtin::ALL`] order.
pub(super) fn rates() -> impl Iterator<Item = Builtin> {
    Builtin::ALL.into_iter().filter(|b| !b.is_money())
}

/// A rate's printed numerator and denominator in a funds row, when both are printed.
fn rate_parts(row: &AmountsClaim, rate: Builtin) -> Option<(&Printed, &Printed)> {
    let (n, d) = rate.ratio()?;
    Some((row.get(n)?, row.get(d)?))
}

/// The amounts a funds row prints (结余 is not one of them).
pub(super) const AMOUNTS: [Builtin; 4] = [
    Builtin::InitialBudget,
    Builtin::AdjustedBudget,
    Builtin::Allocated,
    Builtin::Spent,
];

impl Reviewer<'_> {
    /// JX2012: 年度资金总额 against the sum of its 其中 rows, column by column.
    pub(super) fn funds_rows(&mut self) {
        let funds = &self.claims.funds;
        for s in &funds.sources {
            for key in AMOUNTS.into_iter().filter(|k| s.row.get(*k).is_some()) {
                self.cannot(
                    &format!("{}.{key}", s.field),
                    self.t(
                        "其中行的金额按公布数采用，表内无从复算",
                        "a 其中 row's amount is taken as printed: nothing on the form recomputes it",
                    ),
                );
            }
        }
        for key in AMOUNTS {
            let Some(total) = funds.total.get(key) else {
                continue;
            };
            let field = format!("funds.{key}");
            let parts: Vec<(&str, &Printed)> = funds
                .sources
                .iter()
                .filter_map(|s| s.row.get(key).map(|p| (s.name.as_str(), p)))
                .collect();
            if parts.is_empty() {
                let why = if funds.sources.is_empty() {
                    self.t(
                        "金额按公布数采用：无其中各行可加总",
                        "an amount is taken as printed: no 其中 rows to add up",
                    )
                } else {
                    self.t(
                        "金额按公布数采用：其中各行未列示此数",
                        "an amount is taken as printed: the 其中 rows do not print it",
                    )
                };
                self.cannot(&field, why);
                continue;
            }
            let sum: Decimal = parts.iter().map(|(_, p)| p.value).sum();
            if sum == total.value {
                self.agree(&field, Code::FundsRowsContradict);
                continue;
            }
            let (zh, en) = form_label(key);
            // The sum exactly, at the finest precision of its terms: 79.5 beneath a total
            // printed "0" is shown as 79.5, not rounded to the total's "80".
            let places = parts
                .iter()
                .map(|(_, p)| p.places)
                .fold(total.places, u32::max);
            let shown_sum = format!(
                "{}{}",
                fixed(total.unit.from_base(sum), places),
                suffix(total)
            );
            let terms = parts
                .iter()
                .map(|(n, p)| format!("{n} {}", p.text))
                .collect::<Vec<_>>()
                .join(" + ");
            let f = Finding {
                subject: format!(
                    "{} · {}",
                    self.t("年度资金总额", "total funds (年度资金总额)"),
                    self.t(zh, en)
                ),
                claim: total.text.clone(),
                recomputed: shown_sum.clone(),
                rule: format!(
                    "{}{terms} = {shown_sum}",
                    self.t(
                        "年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金：",
                        "年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金: "
                    )
                ),
                message: self
                    .t(
                        "年度资金总额与其中各行之和不符",
                        "the total funds row contradicts the rows beneath it",
                    )
                    .to_string(),
                ..self.at(Code::FundsRowsContradict, &total.at, &field)
            };
            self.push(f);
        }
    }

    /// JX2017: the 年度资金总额 row's 全年执行数 above its 全年预算数 — an execution rate over
    /// 100%, which the rules cap at full marks: spending of another project or year, or a
    /// budget adjustment not printed.
    pub(super) fn overspent(&mut self) {
        let total = &self.claims.funds.total;
        let (Some(spent), Some(budget)) = (&total.spent, &total.adjusted_budget) else {
            return;
        };
        let field = "funds.spent";
        // Within the budget says nothing of the figure itself: no verdict of "agrees".
        if spent.value <= budget.value {
            return;
        }
        let f = Finding {
            subject: format!(
                "{} · {}",
                self.t("年度资金总额", "total funds"),
                self.t("全年执行数", "spent")
            ),
            claim: spent.text.clone(),
            recomputed: format!("≤ {}", budget.text),
            rule: self
                .t(
                    "全年执行数不超过全年预算数（执行率不超过 100%）",
                    "spent at most the budget (an execution rate of at most 100%)",
                )
                .to_string(),
            message: self
                .t("全年执行数超过全年预算数", "spent more than the budget")
                .to_string(),
            ..self.at(Code::SpentAboveBudget, &spent.at, field)
        };
        self.push(f);
    }

    /// JX2001 / JX2002: every printed rate against the printed amounts of its row, and
    /// every indicator whose actual is one of those rates.
    pub(super) fn rates(&mut self) {
        let claims = self.claims;
        let mut rows: Vec<(&AmountsClaim, String, String)> = vec![(
            &claims.funds.total,
            "funds".to_string(),
            self.t("年度资金总额", "total funds").to_string(),
        )];
        for s in &claims.funds.sources {
            rows.push((&s.row, s.field.clone(), s.name.clone()));
        }
        for (row, field, label) in rows {
            for kind in rates() {
                let Some(p) = row.get(kind) else { continue };
                let Some(parts) = rate_parts(row, kind) else {
                    self.cannot(&format!("{field}.{kind}"), self.parts_missing(kind));
                    continue;
                };
                let (zh, en) = form_label(kind);
                let subject = format!("{label} · {}", self.t(zh, en));
                self.judge_rate(p, kind, parts, &format!("{field}.{kind}"), subject);
            }
        }
        // An indicator whose actual value is one of the funds rates (预算执行率, 资金到位率).
        let total = &claims.funds.total;
        let checks: Vec<(Printed, Builtin, String, String)> = self
            .rows
            .iter()
            .filter(|r| !r.unit_clash)
            .filter_map(|r| {
                let kind = r.ind.as_ref()?.builtin().filter(|b| !b.is_money())?;
                let Some(Actual::Number(p)) = &r.claim.actual else {
                    return None;
                };
                Some((
                    p.clone(),
                    kind,
                    format!("{}.actual", r.claim.field),
                    format!("{} · {}", r.claim.label(), self.t("实际完成值", "actual")),
                ))
            })
            .collect();
        for (p, kind, field, subject) in checks {
            match rate_parts(total, kind) {
                Some(parts) => self.judge_rate(&p, kind, parts, &field, subject),
                None => self.cannot(&field, self.parts_missing(kind)),
            }
        }
    }

    /// Why a rate cannot be recomputed from its row: an amount it divides is not printed.
    fn parts_missing(&self, kind: Builtin) -> String {
        let Some((n, d)) = kind.ratio() else {
            return String::new();
        };
        let (n, d) = (form_label(n), form_label(d));
        format!(
            "{}{} / {}{}",
            self.t("未列示", "not printed: "),
            self.t(n.0, n.1),
            self.t(d.0, d.1),
            self.t("的金额，比率无从复算", " (the rate cannot be recomputed)")
        )
    }

    /// JX2001: a rate printed over a denominator of 0, from which no rate follows.
    fn over_zero(&mut self, p: &Printed, field: &str, subject: String, what: &str) {
        let f = Finding {
            subject,
            claim: p.text.clone(),
            recomputed: self
                .t("无（分母为 0）", "none (the denominator is 0)")
                .to_string(),
            rule: format!(
                "{what}{}",
                self.t(
                    "：分母为 0，得不出比率",
                    ": a denominator of 0 gives no rate"
                )
            ),
            message: self
                .t(
                    "比率的分母为 0，公布的比率无从得出",
                    "the rate's denominator is 0: no rate follows from the amounts",
                )
                .to_string(),
            ..self.at(Code::RateOffAmounts, &p.at, field)
        };
        self.push(f);
    }

    /// JX2001 / JX2002: one printed rate against its printed numerator and denominator.
    fn judge_rate(
        &mut self,
        p: &Printed,
        kind: Builtin,
        (n, d): (&Printed, &Printed),
        field: &str,
        subject: String,
    ) {
        let Some((nk, dk)) = kind.ratio() else { return };
        let what = format!(
            "{} / {} = {} / {}",
            self.t(form_label(nk).0, form_label(nk).1),
            self.t(form_label(dk).0, form_label(dk).1),
            n.text,
            d.text,
        );
        if d.value.is_zero() {
            // No rate follows from a zero denominator: a printed one is not "agreeing" by
            // default. 0 of 0 printed as 0 is the usual way to fill the cell.
            if n.value.is_zero() && p.value.is_zero() {
                self.cannot(
                    field,
                    self.t(
                        "0 / 0 得不出比率（填 0% 属惯例，不作问题）",
                        "0 / 0 gives no rate (0% is the usual way to fill the cell)",
                    ),
                );
            } else {
                self.over_zero(p, field, subject, &what);
            }
            return;
        }
        let Some(exact) = rules::ratio(n.value, d.value) else {
            self.cannot(field, self.t("比率无从计算", "no rate can be computed"));
            return;
        };
        let library = metrics::rate(n.value, d.value)
            .into_iter()
            .collect::<Vec<_>>();
        match judge(p, exact, &library) {
            Comparison::Agrees => self.agree(field, Code::RateOffAmounts),
            Comparison::Truncated(rounded) => {
                self.truncated(p, field, subject, (exact, rounded), what);
            }
            Comparison::Differs(rounded) => {
                let rule = format!(
                    "{what} = {}{}{}{}{}{}",
                    approx(p.unit.from_base(exact)),
                    suffix(p),
                    self.t("，四舍五入保留 ", ", rounded half up to "),
                    p.precision,
                    self.t(" 位小数 = ", " decimal(s) = "),
                    like(p, rounded)
                );
                let f = Finding {
                    subject,
                    claim: p.text.clone(),
                    recomputed: like(p, rounded),
                    rule,
                    message: self
                        .t(
                            "比率与金额不符",
                            "the rate does not follow from the amounts",
                        )
                        .to_string(),
                    ..self.at(Code::RateOffAmounts, &p.at, field)
                };
                self.push(f);
            }
        }
    }
}
