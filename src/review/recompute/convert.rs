//! Forms that print each row's score on its own basis and convert it (权重占比 /
//! 折算得分): the 折算得分 against the 得分 and the share (JX2020).

use rust_decimal::Decimal;

use super::Reviewer;
use super::judge::{Comparison, approx, judge, like};
use crate::decimal::plain;
use crate::diag::Code;
use crate::review::Finding;

impl Reviewer<'_> {
    /// JX2020: each converted row's 折算得分 = 得分 / 分值 (its own full marks, 100 when not
    /// printed) × 权重占比 (in points of the total).
    pub(super) fn conversions(&mut self) {
        for i in 0..self.rows.len() {
            let claim = self.rows[i].claim;
            let Some(basis_score) = &claim.basis_score else {
                if claim.basis_weight.is_some() {
                    self.cannot(
                        &format!("{}.basis_weight", claim.field),
                        self.t(
                            "未列示本项得分，无从折算",
                            "no score on the row's own basis to convert",
                        ),
                    );
                }
                continue;
            };
            let at_basis = format!("{}.basis_score", claim.field);
            let field = format!("{}.score", claim.field);
            let (Some(score), Some(weight)) = (&claim.score, self.rows[i].weight()) else {
                self.cannot(
                    &at_basis,
                    self.t(
                        "未列示折算得分或权重占比，无从核对折算",
                        "no converted score or share printed: the conversion cannot be checked",
                    ),
                );
                continue;
            };
            let basis = claim
                .basis_weight
                .as_ref()
                .map_or(Decimal::ONE_HUNDRED, |p| p.value);
            if basis.is_zero() {
                self.cannot(
                    &at_basis,
                    self.t("本项分值为 0", "the row's own full marks are 0"),
                );
                continue;
            }
            if let Some(b) = &claim.basis_weight {
                self.cannot(
                    &format!("{}.basis_weight", claim.field),
                    self.t(
                        "本项分值（满分）按公布数采用",
                        "the row's own full marks are taken as printed",
                    ),
                );
                if basis_score.value > b.value {
                    let subject = claim.label();
                    self.above_weight(basis_score, b.value, &at_basis, subject);
                    continue;
                }
            }
            let exact = basis_score.value / basis * weight;
            let rule = format!(
                "{}{} / {} × {} = {}",
                self.t(
                    "折算得分 = 得分 / 分值 × 权重：",
                    "converted = score / full marks × share: "
                ),
                basis_score.text,
                plain(basis),
                plain(weight),
                approx(exact)
            );
            let subject = format!(
                "{} · {}",
                claim.label(),
                self.t("折算得分", "converted score")
            );
            match judge(score, exact, &[]) {
                Comparison::Agrees => {
                    self.agree(&field, Code::ConvertedScoreOff);
                    self.agree(&at_basis, Code::ConvertedScoreOff);
                }
                Comparison::Truncated(r) => {
                    self.agree(&at_basis, Code::ConvertedScoreOff);
                    self.truncated(score, &field, subject, (exact, r), rule);
                }
                Comparison::Differs(r) => {
                    self.agree(&at_basis, Code::ConvertedScoreOff);
                    let f = Finding {
                        subject,
                        claim: score.text.clone(),
                        recomputed: like(score, r),
                        rule,
                        message: self
                            .t(
                                "折算得分与得分、权重不符",
                                "the converted score does not follow from the score and the share",
                            )
                            .to_string(),
                        ..self.at(Code::ConvertedScoreOff, &score.at, &field)
                    };
                    self.push(f);
                }
            }
        }
    }
}
