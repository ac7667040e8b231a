//! The total against the execution rate: full marks beside a rate under 100% when the
//! 预算执行率 score is not printed (JX2018), and a province's cap on the total by the rate
//! (JX2019, with a cap profile only).

use rust_decimal::Decimal;

use super::Reviewer;
use crate::builtin::Builtin;
use crate::decimal::{percent, plain};
use crate::diag::Code;
use crate::i18n::Lang;
use crate::review::Finding;
use crate::review::caps::{Caps, band_text};
use crate::scoring;

impl Reviewer<'_> {
    /// The 预算执行率 (全年执行数 / 全年预算数) the published figures give.
    fn published_execution_rate(&self) -> Option<Decimal> {
        self.base
            .get(Builtin::ExecutionRate.name())
            .map(|v| v.value)
    }

    /// JX2018: a total of full marks beside an execution rate under 100%, when the form
    /// does not print the 预算执行率 score: under 执行率 × 分值 that score, and so the total,
    /// cannot be full. With a scheme whose 预算执行率 indicator gives full marks at this
    /// rate (a target of ≥ 90%, say), there is nothing to find.
    pub(super) fn full_total_low_execution(&mut self) {
        let claims = self.claims;
        let Some(total) = &claims.total.score else {
            return;
        };
        if claims.funds.score.is_some() || claims.report.partial {
            return;
        }
        let Some(rate) = self.published_execution_rate() else {
            return;
        };
        let weight = self.total_weight();
        if rate >= Decimal::ONE || total.value < weight {
            return;
        }
        let rule = match self.execution_indicator() {
            Some((ind, true)) => {
                let mut metrics = self.metrics([]);
                let Ok(s) = scoring::score_indicator(
                    self.reference(),
                    &ind,
                    &mut metrics,
                    &[],
                    &claims.path,
                    self.lang,
                ) else {
                    return;
                };
                let Some(score) = s.score.filter(|s| *s < ind.weight) else {
                    return;
                };
                format!(
                    "{}{} {}{} {} / {}",
                    self.t("预算执行率 ", "budget execution "),
                    percent(rate),
                    self.t("按指标体系得", "scores under the scheme"),
                    self.t("", ":"),
                    plain(score),
                    plain(ind.weight)
                )
            }
            _ => format!(
                "{}{}{}",
                self.t("预算执行率 ", "budget execution "),
                percent(rate),
                self.t(
                    " < 100%：得分 = 执行率 × 分值 < 分值",
                    " < 100%: its score = rate × weight < weight"
                )
            ),
        };
        let f = Finding {
            subject: self.t("总分", "total").to_string(),
            claim: total.text.clone(),
            recomputed: format!("< {}", plain(weight)),
            rule: format!(
                "{rule}{}",
                self.t(
                    "；自评表未列示执行率得分，总分却为满分",
                    "; the form prints no execution score, yet the total is full marks"
                )
            ),
            message: self
                .t(
                    "执行率不足 100% 而总分满分",
                    "full marks beside an execution rate under 100%",
                )
                .to_string(),
            ..self.at(Code::FullTotalLowExecution, &total.at, "total.score")
        };
        self.push(f);
    }

    /// JX2019: the published total above the cap a province's profile sets for the
    /// execution rate.
    pub(super) fn execution_cap(&mut self, caps: &Caps) {
        let Some(total) = &self.claims.total.score else {
            return;
        };
        let Some(rate) = self.published_execution_rate() else {
            self.cannot(
                "total.score",
                self.t(
                    "未列示全年执行数与全年预算数，无从按执行率封顶",
                    "neither spent nor budget printed: the execution cap cannot be applied",
                ),
            );
            return;
        };
        let Some(band) = caps.cap(rate) else {
            self.agree("total.score", Code::AboveExecutionCap);
            return;
        };
        if total.value <= band.max {
            self.agree("total.score", Code::AboveExecutionCap);
            return;
        }
        let f = Finding {
            subject: self.t("总分", "total").to_string(),
            claim: total.text.clone(),
            recomputed: format!("≤ {}", plain(band.max)),
            rule: format!(
                "{}{}{}{}{}",
                self.t("预算执行率 ", "budget execution "),
                percent(rate),
                self.t("；封顶规则：", "; the cap: "),
                band_text(band, self.lang == Lang::Zh),
                self.paren(&caps.file.display().to_string())
            ),
            message: self
                .t(
                    "总分超过执行率所允许的上限",
                    "the total exceeds the cap the execution rate allows",
                )
                .to_string(),
            ..self.at(Code::AboveExecutionCap, &total.at, "total.score")
        };
        self.push(f);
    }
}
