//! Indicators: ids, targets, metrics and how each is scored.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use toml::Spanned;

use super::{InBoth, Validator};
use crate::decimal::plain;
use crate::diag::Code;
use crate::scheme::raw::{self, ChecklistItemDef, RuleDef};
use crate::scheme::{
    ChecklistItem, Indicator, Scoring, Target, Tiers, default_rule, is_identifier,
};

impl Validator<'_> {
    /// One `[[dimension.group.indicator]]`: its id (unique in the scheme, `ids` holding the
    /// ones seen with their lines), weight, over-completion threshold and scoring.
    pub(super) fn indicator(
        &mut self,
        i: raw::IndicatorDef,
        tiers: &Tiers,
        over: Option<Decimal>,
        ids: &mut BTreeMap<String, usize>,
    ) -> Option<Indicator> {
        let id = i.id.get_ref().trim().to_string();
        let line = self.line(&i.id);
        self.positive(&i.weight, "indicator.weight");
        if id.is_empty() {
            self.err(
                Code::InvalidValue,
                &i.id,
                "indicator.id",
                "an indicator id cannot be empty",
                "指标编号不能为空",
            )
            .help_zh("填写指标编号，如 id = \"CC1\"");
        } else if let Some(first) = ids.insert(id.clone(), line) {
            self.err(
                Code::DuplicateId,
                &i.id,
                "indicator.id",
                format!("indicator id \"{id}\" is used twice (first on line {first})"),
                format!("指标编号“{id}”用了两次（第一次在第 {first} 行）"),
            )
            .found(&id)
            .expected_both(
                "each indicator id once in the scheme",
                "每个指标编号在指标体系中只用一次",
            );
        }
        let weight = *i.weight.get_ref();
        let over_completion = match &i.over_completion_warning {
            Some(t) => self.threshold(t),
            None => over,
        };
        let scoring = self.scoring(&i, &id, weight, tiers)?;
        Some(Indicator {
            id,
            name: i.name,
            weight,
            target_text: i.target.map(Spanned::into_inner),
            scoring,
            standard: i.standard,
            over_completion,
            line,
            span: i.id.span(),
        })
    }

    /// How the indicator is scored, by the kind of its rule: judged (qualitative, manual),
    /// a checklist, or a quantitative rule (written, or the default for its target).
    fn scoring(
        &mut self,
        i: &raw::IndicatorDef,
        id: &str,
        weight: Decimal,
        tiers: &Tiers,
    ) -> Option<Scoring> {
        let rule_def = i.rule.as_ref().map(|r| r.get_ref().clone());
        Some(match rule_def {
            Some(RuleDef::Qualitative {
                achieved_min,
                partial_min,
            }) => self.qualitative(i, id, tiers, achieved_min, partial_min),
            Some(RuleDef::Manual {}) => {
                self.no_metric(i, ("manual", "人工评分"));
                Scoring::Manual
            }
            Some(RuleDef::Checklist { items }) => self.checklist(i, id, weight, items),
            None if i.metric.is_none() => Scoring::Qualitative(*tiers),
            other => self.quantitative(i, id, weight, other)?,
        })
    }

    /// 定性: the scheme's tiers, or the indicator's own bounds, in order.
    fn qualitative(
        &mut self,
        i: &raw::IndicatorDef,
        id: &str,
        tiers: &Tiers,
        achieved_min: Option<String>,
        partial_min: Option<String>,
    ) -> Scoring {
        let mut t = *tiers;
        let span = i.rule.as_ref().expect("rule present");
        for (text, slot, key) in [
            (achieved_min, &mut t.achieved_min, "rule.achieved_min"),
            (partial_min, &mut t.partial_min, "rule.partial_min"),
        ] {
            if let Some(text) = text {
                let s = Spanned::new(span.span(), text);
                if let Some(v) = self.share(&s, key) {
                    *slot = v;
                }
            }
        }
        if !(Decimal::ZERO < t.partial_min
            && t.partial_min < t.achieved_min
            && t.achieved_min <= Decimal::ONE)
        {
            self.err(
                Code::BadTiers,
                span,
                "rule",
                format!(
                    "tier bounds of \"{id}\" out of order: expected 0% < partial_min < achieved_min ≤ 100%"
                ),
                format!(
                    "指标“{id}”的档次界限大小顺序不对：应为 0% < partial_min < achieved_min ≤ 100%"
                ),
            );
        }
        self.no_metric(i, ("qualitative", "定性"));
        Scoring::Qualitative(t)
    }

    /// 评价要点: items that earn points, name a metric, and add up to the weight.
    fn checklist(
        &mut self,
        i: &raw::IndicatorDef,
        id: &str,
        weight: Decimal,
        items: Vec<ChecklistItemDef>,
    ) -> Scoring {
        self.no_metric(i, ("checklist", "评价要点"));
        let span = i.rule.as_ref().expect("rule present");
        let mut sum = Decimal::ZERO;
        let mut out = Vec::new();
        for item in items {
            sum += item.points;
            if item.points <= Decimal::ZERO {
                self.err(
                    Code::BadRule,
                    span,
                    "rule.items.points",
                    format!(
                        "checklist item \"{}\" must earn more than 0 points",
                        item.name
                    ),
                    format!("评价要点“{}”的分值必须大于 0", item.name),
                );
            }
            if !is_identifier(item.metric.trim()) {
                self.err(
                    Code::BadRule,
                    span,
                    "rule.items.metric",
                    "not a metric id",
                    format!("评价要点“{}”的 `metric` 不是数据名称", item.name),
                )
                .found(&item.metric)
                .expected_zh("数据名称：字母、数字和 _，以字母开头，如 has_rules");
            }
            out.push(ChecklistItem {
                name: item.name,
                metric: item.metric.trim().to_string(),
                points: item.points,
            });
        }
        if sum != weight || out.is_empty() {
            self.err(
                Code::BadRule,
                span,
                "rule.items",
                format!(
                    "checklist items of \"{id}\" add up to {} points but the indicator weight is {}",
                    plain(sum),
                    plain(weight)
                ),
                format!(
                    "指标“{id}”的评价要点分值之和为 {}，指标分值却是 {}",
                    plain(sum),
                    plain(weight)
                ),
            )
            .expected_zh(format!("评价要点分值之和等于指标分值 {}", plain(weight)));
        }
        Scoring::Checklist(out)
    }

    /// A metric against a target by a rule: the one written (`Some`) or the default for the
    /// target (`None`).
    fn quantitative(
        &mut self,
        i: &raw::IndicatorDef,
        id: &str,
        weight: Decimal,
        rule: Option<RuleDef>,
    ) -> Option<Scoring> {
        let Some(metric) = &i.metric else {
            let span = i
                .rule
                .as_ref()
                .expect("a rule other than qualitative/manual/checklist");
            self.err(
                Code::MissingKey,
                span,
                "metric",
                format!("indicator \"{id}\" has a quantitative rule but no metric"),
                format!("指标“{id}”用定量评分规则，却没有写数据（`metric`）"),
            )
            .expected_both(
                "metric = \"…\" naming the actual value (实际完成值)",
                "metric = \"…\"，写明实际完成值取自哪项数据",
            );
            return None;
        };
        // Counting rules can score without a written target: "= 0" is implied.
        let counts_occurrences = matches!(
            rule,
            Some(RuleDef::DeductPerCase { .. } | RuleDef::EqualZero {})
        );
        let target = self.target(i, id, counts_occurrences)?;
        let rule = match rule {
            None => default_rule(&target),
            Some(def) => self.rule(def, &target, weight, i.rule.as_ref().expect("rule present"))?,
        };
        let metric_id = metric.get_ref().trim().to_string();
        if !is_identifier(&metric_id) {
            self.err(
                Code::InvalidValue,
                metric,
                "metric",
                "not a metric id",
                "不是数据名称",
            )
            .found(metric_id)
            .expected_both(
                "letters, digits and _, starting with a letter",
                "由字母、数字和 _ 组成，以字母开头，如 trained_people",
            );
            return None;
        }
        Some(Scoring::Quantitative {
            metric: metric_id,
            target,
            rule,
        })
    }

    /// The 年度指标值; a counting rule (`counts_occurrences`) without one assumes "= 0".
    fn target(
        &mut self,
        i: &raw::IndicatorDef,
        id: &str,
        counts_occurrences: bool,
    ) -> Option<Target> {
        let implied = Spanned::new(i.id.span(), "= 0".to_string());
        let target_text = match &i.target {
            Some(t) => t,
            None if counts_occurrences => {
                self.err(
                    Code::NoTarget,
                    &i.id,
                    "target",
                    format!("indicator \"{id}\" has no target; \"= 0\" is assumed"),
                    format!("指标“{id}”没有年度指标值，按 \"= 0\" 处理"),
                )
                .help_both(
                    "write the 年度指标值, e.g. target = \"= 0 件\"",
                    "写明年度指标值，如 target = \"= 0 件\"",
                );
                &implied
            }
            None => {
                self.err(
                    Code::BadTarget,
                    &i.id,
                    "target",
                    format!("quantitative indicator \"{id}\" has no target"),
                    format!("定量指标“{id}”没有年度指标值（target）"),
                )
                .expected_both(
                    "target = \">= 120 件\" (年度指标值)",
                    "target = \">= 120 件\"（年度指标值）",
                );
                return None;
            }
        };
        match Target::parse(target_text.get_ref()) {
            Ok(t) => Some(t),
            Err(e) => {
                self.err(Code::BadTarget, target_text, "target", e.en, e.zh)
                    .found(target_text.get_ref())
                    .expected_both(
                        "a comparison, a number and a unit: \">= 120 件\", \"<= 7万元\", \"= 0 件\", \">= 100%\"",
                        "比较符、数字和单位，如 \">= 120 件\"、\"<= 7万元\"、\"= 0 件\"、\">= 100%\"（≥、≤、不低于 等也可）",
                    );
                None
            }
        }
    }

    /// A judged or checklist indicator (`kind`, in English and in Chinese) names no metric.
    fn no_metric(&mut self, i: &raw::IndicatorDef, (kind, kind_zh): (&str, &str)) {
        if let Some(m) = &i.metric {
            self.err(
                Code::BadRule,
                m,
                "metric",
                format!("a {kind} indicator takes no metric"),
                format!("{kind_zh}指标不取数据（`metric`）"),
            )
            .help_zh("删去 `metric`，或改用定量评分规则");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scheme::testing::{ONE, errors, scheme};

    #[test]
    fn ids_are_unique_and_weights_above_zero() {
        let twice = format!(
            "{ONE}    [[dimension.group.indicator]]\n    id = \"A\"\n    name = \"a2\"\n    weight = 0\n"
        );
        let e = errors(&scheme(&twice));
        assert!(
            e.contains("indicator id \"A\" is used twice (first on line 12)"),
            "{e}"
        );
        assert!(e.contains("a weight must be above 0"), "{e}");
    }

    #[test]
    fn bad_targets_are_reported_with_lines() {
        let e = errors(&scheme(&ONE.replace(">= 5 件", "很多")));
        assert!(
            e.contains("s.toml:16:") && e.contains("must start with a comparison"),
            "{e}"
        );
    }

    #[test]
    fn checklist_items_must_add_up_to_the_weight() {
        let checklist = ONE.replace(
            "metric = \"m\"\n    target = \">= 5 件\"",
            "rule = { kind = \"checklist\", items = [ { name = \"制度\", metric = \"has_rules\", points = 60 } ] }",
        );
        assert!(
            errors(&scheme(&checklist))
                .contains("add up to 60 points but the indicator weight is 100")
        );
    }
}
