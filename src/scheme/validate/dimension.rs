//! Dimensions and groups: kinds, weights that add up, and no empty block.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use toml::Spanned;

use super::{InBoth, Validator};
use crate::decimal::plain;
use crate::diag::{Code, Problem};
use crate::scheme::raw;
use crate::scheme::{Dimension, DimensionKind, Group, Tiers};

impl Validator<'_> {
    /// Every `[[dimension]]`, their weights adding up to the scheme's total (indicator ids
    /// are unique across all of them).
    pub(super) fn dimensions(
        &mut self,
        defs: Vec<raw::DimensionDef>,
        total: Decimal,
        tiers: &Tiers,
        over_completion: Option<Decimal>,
    ) -> Vec<Dimension> {
        let mut dimensions = Vec::new();
        let mut ids: BTreeMap<String, usize> = BTreeMap::new();
        let mut dim_sum = Decimal::ZERO;
        let mut dim_lines = Vec::new();
        let mut first_weight = None;
        for d in defs {
            dim_sum += *d.weight.get_ref();
            dim_lines.push(self.line(&d.weight));
            first_weight.get_or_insert(d.weight.span());
            if let Some(dim) = self.dimension(d, tiers, over_completion, &mut ids) {
                dimensions.push(dim);
            }
        }
        if dimensions.is_empty() && !self.problems.has_errors() {
            self.problems.push(
                Problem::error(self.path, "the scheme has no [[dimension]]")
                    .zh("指标体系中没有 [[dimension]]（一级指标）")
                    .code(Code::MissingKey)
                    .expected("at least one first-level dimension")
                    .zh_expected("至少一个一级指标"),
            );
        }
        if dim_sum != total && !dim_lines.is_empty() {
            self.problems.push(
                Problem::error(
                    self.path,
                    format!(
                        "first-level weights add up to {} but the scheme total is {} (weights on {})",
                        plain(dim_sum),
                        plain(total),
                        join_lines(&dim_lines)
                    ),
                )
                .zh(format!(
                    "一级指标分值之和为 {}，总分却是 {}（分值在第 {} 行）",
                    plain(dim_sum),
                    plain(total),
                    join_lines_zh(&dim_lines)
                ))
                .code(Code::DimensionWeights)
                .span(self.source, first_weight.clone().unwrap_or_default())
                .field("dimension.weight")
                .expected(format!("dimension weights that add up to {}", plain(total)))
                .zh_expected(format!("一级指标分值之和等于 {}", plain(total))),
            );
        }
        dimensions
    }

    fn dimension(
        &mut self,
        d: raw::DimensionDef,
        tiers: &Tiers,
        over: Option<Decimal>,
        ids: &mut BTreeMap<String, usize>,
    ) -> Option<Dimension> {
        // Counted on the file as written, so an indicator that failed to load does not make
        // its group look empty.
        if d.groups.iter().all(|g| g.indicators.is_empty()) {
            let name = d.name.clone().unwrap_or_else(|| d.kind.get_ref().clone());
            self.err(
                Code::EmptyDimension,
                &d.weight,
                "dimension",
                format!("dimension \"{name}\" has no indicator"),
                format!("一级指标“{name}”下没有指标"),
            )
            .help_both(
                "add [[dimension.group]] and [[dimension.group.indicator]] tables, or remove the dimension",
                "添加 [[dimension.group]] 和 [[dimension.group.indicator]]，或删去这个一级指标",
            );
        } else {
            for g in d.groups.iter().filter(|g| g.indicators.is_empty()) {
                self.err(
                    Code::EmptyDimension,
                    &g.weight,
                    "group",
                    format!("group \"{}\" has no indicator", g.name),
                    format!("二级指标“{}”下没有指标", g.name),
                )
                .help_both(
                    "add [[dimension.group.indicator]] tables, or remove the group",
                    "添加 [[dimension.group.indicator]]，或删去这个二级指标",
                );
            }
        }
        let kind = DimensionKind::parse(d.kind.get_ref());
        if kind.is_none() {
            self.err(
                Code::InvalidValue,
                &d.kind,
                "dimension.kind",
                "unknown dimension",
                "没有这种一级指标",
            )
            .found(d.kind.get_ref())
            .expected_both(
                "decision, process, output or benefit (决策/过程/产出/效益)",
                "决策（decision）、过程（process）、产出（output）或效益（benefit）",
            );
        }
        let weight = *d.weight.get_ref();
        self.positive(&d.weight, "dimension.weight");
        let mut groups = Vec::new();
        let mut sum = Decimal::ZERO;
        let mut lines = Vec::new();
        for g in d.groups {
            sum += *g.weight.get_ref();
            lines.push(self.line(&g.weight));
            groups.push(self.group(g, tiers, over, ids));
        }
        let name = d
            .name
            .clone()
            .unwrap_or_else(|| kind.map_or("", DimensionKind::zh).to_string());
        if sum != weight {
            self.sum_mismatch(
                &d.weight,
                (
                    &format!("dimension \"{name}\""),
                    &format!("一级指标“{name}”"),
                ),
                weight,
                sum,
                &lines,
                "group",
            );
        }
        Some(Dimension {
            kind: kind?,
            name,
            weight,
            groups,
            span: d.weight.span(),
        })
    }

    fn group(
        &mut self,
        g: raw::GroupDef,
        tiers: &Tiers,
        over: Option<Decimal>,
        ids: &mut BTreeMap<String, usize>,
    ) -> Group {
        self.positive(&g.weight, "group.weight");
        let mut indicators = Vec::new();
        let mut sum = Decimal::ZERO;
        let mut lines = Vec::new();
        for i in g.indicators {
            sum += *i.weight.get_ref();
            lines.push(self.line(&i.weight));
            if let Some(ind) = self.indicator(i, tiers, over, ids) {
                indicators.push(ind);
            }
        }
        let weight = *g.weight.get_ref();
        if sum != weight {
            self.sum_mismatch(
                &g.weight,
                (
                    &format!("group \"{}\"", g.name),
                    &format!("二级指标“{}”", g.name),
                ),
                weight,
                sum,
                &lines,
                "indicator",
            );
        }
        Group {
            name: g.name,
            weight,
            indicators,
            span: g.weight.span(),
        }
    }

    fn sum_mismatch(
        &mut self,
        at: &Spanned<Decimal>,
        (what, what_zh): (&str, &str),
        weight: Decimal,
        sum: Decimal,
        lines: &[usize],
        children: &str,
    ) {
        let weight_code = if children == "group" {
            Code::GroupWeights
        } else {
            Code::IndicatorWeights
        };
        let message = format!(
            "{what} has weight {} but its {children} weights add up to {}{}",
            plain(weight),
            plain(sum),
            if lines.is_empty() {
                format!(" (it has no {children})")
            } else {
                format!(" ({})", join_lines(lines))
            }
        );
        let children_zh = if children == "group" {
            "二级指标"
        } else {
            "三级指标"
        };
        let zh = format!(
            "{what_zh}的分值为 {}，其{children_zh}分值之和却是 {}{}",
            plain(weight),
            plain(sum),
            if lines.is_empty() {
                format!("（没有{children_zh}）")
            } else {
                format!("（第 {} 行）", join_lines_zh(lines))
            }
        );
        self.err(weight_code, at, "weight", message, zh)
            .expected_both(
                format!("{children} weights that add up to {}", plain(weight)),
                format!("{children_zh}分值之和等于 {}", plain(weight)),
            );
    }

    pub(super) fn positive(&mut self, w: &Spanned<Decimal>, field: &str) {
        if *w.get_ref() <= Decimal::ZERO {
            self.err(
                Code::NonPositiveWeight,
                w,
                field,
                "a weight must be above 0",
                "分值必须大于 0",
            )
            .found(plain(*w.get_ref()));
        }
    }
}

/// `3、7、12`: the lines, for a Chinese message that says 第 … 行.
fn join_lines_zh(lines: &[usize]) -> String {
    lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

/// "line 7" or "lines 7, 12".
fn join_lines(lines: &[usize]) -> String {
    let list = lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if lines.len() == 1 {
        format!("line {list}")
    } else {
        format!("lines {list}")
    }
}

#[cfg(test)]
mod tests {
    use crate::scheme::testing::{ONE, errors, scheme};

    #[test]
    fn first_level_weights_must_add_up_to_the_total() {
        let src = scheme(&format!(
            "{ONE}\n[[dimension]]\nkind = \"benefit\"\nweight = 5\n  [[dimension.group]]\n  name = \"h\"\n  weight = 5\n    [[dimension.group.indicator]]\n    id = \"B\"\n    name = \"b\"\n    weight = 5\n"
        ));
        let e = errors(&src);
        // 100 + 5 = 105 against 100. Lines: 3 header lines, then ONE (which opens with an
        // empty line) puts the first dimension weight on 3 + 4 = 7; ONE ends on line 16,
        // an empty line 17, [[dimension]] 18, kind 19, weight 20.
        assert!(e.contains("first-level weights add up to 105 but the scheme total is 100 (weights on lines 7, 20)"), "{e}");
    }

    #[test]
    fn each_level_must_add_up() {
        let src = scheme(&ONE.replace("weight = 100\n    metric", "weight = 90\n    metric"));
        let e = errors(&src);
        assert!(
            e.contains(
                "group \"g\" has weight 100 but its indicator weights add up to 90 (line 14)"
            ),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_dimension_is_named() {
        let e = errors(&scheme(
            &ONE.replace("kind = \"output\"", "kind = \"outcome\""),
        ));
        assert!(
            e.contains("unknown dimension") && e.contains("outcome"),
            "{e}"
        );
    }
}
