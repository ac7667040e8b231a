//! Grade bands and qualitative tier bounds.

use rust_decimal::Decimal;

use super::{InBoth, Validator};
use crate::decimal::plain;
use crate::diag::{Code, Problem};
use crate::scheme::raw;
use crate::scheme::{Grade, Tiers, default_grades};

impl Validator<'_> {
    pub(super) fn grades(&mut self, defs: &[raw::GradeDef], total: Decimal) -> Vec<Grade> {
        if defs.is_empty() {
            return default_grades();
        }
        let mut grades: Vec<Grade> = Vec::new();
        for g in defs {
            let min = *g.min.get_ref();
            if min < Decimal::ZERO || min > total {
                self.err(
                    Code::BadGrades,
                    &g.min,
                    "grade.min",
                    format!(
                        "grade \"{}\" starts at {} outside 0..{}",
                        g.label,
                        plain(min),
                        plain(total)
                    ),
                    format!(
                        "等级“{}”的起点 {} 不在 0 到总分 {} 之间",
                        g.label,
                        plain(min),
                        plain(total)
                    ),
                )
                .expected_zh(format!("0 到 {} 之间的分数", plain(total)));
            }
            if grades.iter().any(|o| o.min == min) {
                self.err(
                    Code::BadGrades,
                    &g.min,
                    "grade.min",
                    format!("two grades start at {}", plain(min)),
                    format!("两个等级的起点都是 {}", plain(min)),
                )
                .help_zh("每个等级的 `min` 须各不相同");
            }
            grades.push(Grade {
                label: g.label.clone(),
                min,
            });
        }
        grades.sort_by_key(|g| std::cmp::Reverse(g.min));
        if grades.last().is_some_and(|g| g.min != Decimal::ZERO) {
            self.problems.push(
                Problem::error(
                    self.path,
                    "no grade covers low totals: the lowest [[grade]] must have min = 0",
                )
                .zh("低分没有等级可归：最低的 [[grade]] 须为 min = 0")
                .code(Code::BadGrades)
                .span(self.source, defs[0].min.span())
                .field("grade.min"),
            );
        }
        grades
    }

    pub(super) fn tiers(&mut self, def: Option<&raw::TiersDef>) -> Tiers {
        let mut tiers = Tiers::default();
        let Some(def) = def else { return tiers };
        if let Some(a) = &def.achieved_min
            && let Some(v) = self.share(a, "tiers.achieved_min")
        {
            tiers.achieved_min = v;
        }
        if let Some(p) = &def.partial_min
            && let Some(v) = self.share(p, "tiers.partial_min")
        {
            tiers.partial_min = v;
        }
        if !(Decimal::ZERO < tiers.partial_min
            && tiers.partial_min < tiers.achieved_min
            && tiers.achieved_min <= Decimal::ONE)
        {
            let mut p = Problem::error(self.path, "tier bounds out of order")
                .zh("档次界限的大小顺序不对")
                .code(Code::BadTiers)
                .field("tiers");
            if let Some(at) = def.achieved_min.as_ref().or(def.partial_min.as_ref()) {
                p = p.span(self.source, at.span());
            }
            self.problems.push(
                p.value(format!(
                    "achieved_min {}, partial_min {}",
                    crate::decimal::percent(tiers.achieved_min),
                    crate::decimal::percent(tiers.partial_min)
                ))
                .expected("0% < partial_min < achieved_min ≤ 100%")
                .zh_expected(
                    "0% < partial_min（部分达成档的下限）< achieved_min（达成档的下限）≤ 100%",
                ),
            );
        }
        tiers
    }
}

#[cfg(test)]
mod tests {
    use crate::scheme::testing::{ONE, errors, scheme};

    #[test]
    fn the_lowest_grade_starts_at_zero_and_tiers_are_in_order() {
        let grades = format!("[[grade]]\nlabel = \"合格\"\nmin = 60\n{ONE}");
        assert!(errors(&scheme(&grades)).contains("lowest [[grade]] must have min = 0"));

        let tiers = format!("[tiers]\nachieved_min = \"60%\"\npartial_min = \"80%\"\n{ONE}");
        assert!(errors(&scheme(&tiers)).contains("tier bounds out of order"));
    }
}
