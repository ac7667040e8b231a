//! A verdict on every published figure: agrees, differs, or not checkable and why. Each
//! check records what it judged ([`Reviewer::agree`]) and what it could not judge
//! ([`Reviewer::cannot`]); a finding makes its figure differ. Then every figure of the
//! claims file ([`Claims::figures`]) is given its verdict, and one no check recorded is
//! "not checkable: no rule judges this figure" — so that none is passed over in silence,
//! whatever the checks become.
//!
//! [`Claims::figures`]: crate::review::model::Claims::figures

use std::collections::BTreeMap;

use super::Reviewer;
use super::funds::AMOUNTS;
use crate::diag::Code;
use crate::review::model::Actual;
use crate::review::{FigureVerdict, Finding, Verdict};

/// What the checks recorded about the figures, by field.
#[derive(Debug, Default)]
pub(super) struct Record {
    /// The codes of the checks a figure agrees with.
    agreed: BTreeMap<String, Vec<Code>>,
    /// Why a check could not judge a figure.
    unchecked: BTreeMap<String, Vec<String>>,
}

impl Reviewer<'_> {
    /// A check judged the figure at `field` and found it holds.
    pub(super) fn agree(&mut self, field: &str, code: Code) {
        let codes = self.record.agreed.entry(field.to_string()).or_default();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }

    /// A check could not judge the figure at `field`, for the reason given.
    pub(super) fn cannot(&mut self, field: &str, why: impl Into<String>) {
        let why = why.into();
        let reasons = self.record.unchecked.entry(field.to_string()).or_default();
        if !reasons.contains(&why) {
            reasons.push(why);
        }
    }

    /// The figures that are inputs of the review, not results: the outputs, and each
    /// row's 实际完成值 (unless it is one of the funds rates, recomputed from the amounts).
    pub(super) fn inputs(&mut self) {
        let claims = self.claims;
        for (name, _) in &claims.outputs {
            self.cannot(
                &format!("outputs.{name}"),
                self.t(
                    "产出数据：用于复算指标，本身不核对",
                    "an output figure: it feeds the indicators and is not judged itself",
                ),
            );
        }
        for i in 0..self.rows.len() {
            let row = &self.rows[i];
            let is_rate = row
                .ind
                .as_ref()
                .and_then(|i| i.builtin())
                .is_some_and(|b| !b.is_money());
            if matches!(row.claim.actual, Some(Actual::Number(_))) && !is_rate {
                let field = format!("{}.actual", row.claim.field);
                self.cannot(
                    &field,
                    self.t(
                        "实际完成值按公布数采用，表内无从复算",
                        "an actual value is taken as printed: nothing on the form recomputes it",
                    ),
                );
            }
        }
    }

    /// Without records, the figures only records could check say so: the amounts and the
    /// actual values.
    pub(super) fn without_records(&mut self) {
        let no_records = self.t("无原始记录可比对", "no records to compare with");
        let fields: Vec<String> = self
            .claims
            .figures(self.lang)
            .into_iter()
            .map(|f| f.field)
            .filter(|f| {
                f.ends_with(".actual")
                    || AMOUNTS
                        .iter()
                        .any(|k| f.starts_with("funds") && f.ends_with(&format!(".{k}")))
            })
            .collect();
        for f in fields {
            self.cannot(&f, no_records);
        }
    }

    /// Every figure of the claims file with its verdict: differs when a finding was made on
    /// it (with the finding's code), else agrees when a check judged it (with the codes of
    /// the checks), else not checkable with the reasons the checks gave — or, when no check
    /// looked at it, "no rule judges this figure".
    pub(super) fn verdicts(&self, findings: &[Finding]) -> Vec<FigureVerdict> {
        self.claims
            .figures(self.lang)
            .into_iter()
            .map(|f| {
                let found: Vec<Code> = findings
                    .iter()
                    .filter(|x| x.field == f.field)
                    .map(|x| x.code)
                    .collect();
                let agreed = self.record.agreed.get(&f.field);
                let (verdict, mut codes, reason) = if !found.is_empty() {
                    (Verdict::Differs, found, None)
                } else if let Some(codes) = agreed {
                    (Verdict::Agrees, codes.clone(), None)
                } else {
                    let why = self.record.unchecked.get(&f.field).map_or_else(
                        || {
                            self.t("没有规则核对这项数字", "no rule judges this figure")
                                .to_string()
                        },
                        |w| w.join(self.t("；", "; ")),
                    );
                    (Verdict::NotCheckable, Vec::new(), Some(why))
                };
                codes.sort();
                FigureVerdict {
                    field: f.field,
                    subject: f.subject,
                    claim: f.text.to_string(),
                    line: f.at.line,
                    column: f.at.column,
                    verdict,
                    codes,
                    reason,
                }
            })
            .collect()
    }
}
