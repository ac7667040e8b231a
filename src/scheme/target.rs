//! Targets (年度指标值) and quantities as officers write them: `>= 120 件`, `≤ 7万元`,
//! `= 0 件`, `≥ 100%`, and band edges like `[80%, 90%)`.

use rust_decimal::Decimal;
use std::fmt;

pub use crate::units::{Quantity, Unit, UnitKind};
use crate::values::ValueError;

/// The comparison in a target (指标性质): 正向 ≥/>, 等于 =, 反向 ≤/<.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Comparator {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = ">")]
    MoreThan,
    #[serde(rename = "=")]
    Equal,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = "<")]
    LessThan,
}

impl Comparator {
    /// Higher is better (正向): ≥, > and = (an "= A" target with A > 0 is scored as 正向).
    pub fn higher_is_better(self) -> bool {
        matches!(
            self,
            Comparator::AtLeast | Comparator::MoreThan | Comparator::Equal
        )
    }

    /// Whether `actual` satisfies `actual <cmp> target`.
    pub fn holds(self, actual: Decimal, target: Decimal) -> bool {
        match self {
            Comparator::AtLeast => actual >= target,
            Comparator::MoreThan => actual > target,
            Comparator::Equal => actual == target,
            Comparator::AtMost => actual <= target,
            Comparator::LessThan => actual < target,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::MoreThan => ">",
            Comparator::Equal => "=",
            Comparator::AtMost => "≤",
            Comparator::LessThan => "<",
        }
    }
}

/// The comparisons a target may start with, as published tables write them: ASCII,
/// full-width and mathematical signs, and words. A longer form comes before any form it
/// starts with (`>=` before `>`, `不超过` before `超过`, `大于等于` before `大于`).
const COMPARISONS: [(&str, Comparator); 38] = [
    (">=", Comparator::AtLeast),
    ("≥", Comparator::AtLeast),
    ("≧", Comparator::AtLeast),
    ("⩾", Comparator::AtLeast),
    ("＞＝", Comparator::AtLeast),
    ("大于等于", Comparator::AtLeast),
    ("大于或等于", Comparator::AtLeast),
    ("不低于", Comparator::AtLeast),
    ("不少于", Comparator::AtLeast),
    ("不小于", Comparator::AtLeast),
    ("至少", Comparator::AtLeast),
    ("<=", Comparator::AtMost),
    ("≤", Comparator::AtMost),
    ("≦", Comparator::AtMost),
    ("⩽", Comparator::AtMost),
    ("＜＝", Comparator::AtMost),
    ("小于等于", Comparator::AtMost),
    ("小于或等于", Comparator::AtMost),
    ("不超过", Comparator::AtMost),
    ("不高于", Comparator::AtMost),
    ("不多于", Comparator::AtMost),
    ("不大于", Comparator::AtMost),
    ("至多", Comparator::AtMost),
    (">", Comparator::MoreThan),
    ("＞", Comparator::MoreThan),
    ("大于", Comparator::MoreThan),
    ("高于", Comparator::MoreThan),
    ("超过", Comparator::MoreThan),
    ("<", Comparator::LessThan),
    ("＜", Comparator::LessThan),
    ("小于", Comparator::LessThan),
    ("低于", Comparator::LessThan),
    ("少于", Comparator::LessThan),
    ("=", Comparator::Equal),
    ("＝", Comparator::Equal),
    ("═", Comparator::Equal),
    ("﹦", Comparator::Equal),
    ("等于", Comparator::Equal),
];

/// An annual target (年度指标值): comparison, value and unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub comparator: Comparator,
    pub quantity: Quantity,
}

impl Target {
    /// Parse `>= 120 件`, `≥120件`, `<= 7万元`, `= 0 件`, `≥ 100%`, `≧120件`, `不低于95%`,
    /// `不超过 7万元`: the comparisons published tables use (the list `COMPARISONS`).
    pub fn parse(text: &str) -> Result<Target, ValueError> {
        let t = text.trim();
        let Some((comparator, rest)) = COMPARISONS
            .iter()
            .find_map(|(sym, cmp)| t.strip_prefix(sym).map(|rest| (*cmp, rest)))
        else {
            return Err(ValueError::new(
                format!(
                    "target \"{t}\" must start with a comparison: >=, >, =, <=, < (or ≥ ≤ ≧ ≦, 不低于, 不超过 …)"
                ),
                format!(
                    "年度指标值“{t}”应以比较符开头：>=、>、=、<=、<（或 ≥、≤、≧、≦、不低于、不超过 等）"
                ),
            ));
        };
        let quantity = Quantity::parse(rest).map_err(|e| {
            ValueError::new(
                format!("target \"{t}\": {}", e.en),
                format!("年度指标值“{t}”：{}", e.zh),
            )
        })?;
        Ok(Target {
            comparator,
            quantity,
        })
    }

    pub fn value(&self) -> Decimal {
        self.quantity.value
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.comparator.symbol(), self.quantity)
    }
}

/// One edge of a band: the value and whether it belongs to the band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub value: Decimal,
    pub inclusive: bool,
}

/// An interval written in mathematical notation: `[80%, 90%)`, `[90%, +∞)`, `(-∞, 60%)`.
/// `[`/`]` include the edge, `(`/`)` exclude it; `∞`, `inf` mean unbounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub lower: Option<Edge>,
    pub upper: Option<Edge>,
}

impl Interval {
    pub fn parse(text: &str) -> Result<Interval, ValueError> {
        let t = text.trim();
        let not_interval = || {
            ValueError::new(
                format!(
                    "\"{t}\" is not an interval like \"[80%, 90%)\" or \"[90%, +∞)\": [ ] include the edge, ( ) exclude it"
                ),
                format!(
                    "“{t}”不是区间，应写作 \"[80%, 90%)\" 或 \"[90%, +∞)\"：[ ] 含端点，( ) 不含端点"
                ),
            )
        };
        let mut chars = t.chars();
        let (Some(open), Some(close)) = (chars.next(), chars.next_back()) else {
            return Err(not_interval());
        };
        let inner: String = chars.collect();
        let open_inclusive = match open {
            '[' | '［' => true,
            '(' | '（' => false,
            _ => return Err(not_interval()),
        };
        let close_inclusive = match close {
            ']' | '］' => true,
            ')' | '）' => false,
            _ => return Err(not_interval()),
        };
        let parts: Vec<&str> = inner.split([',', '，']).collect();
        if parts.len() != 2 {
            return Err(not_interval());
        }
        let edge = |s: &str, inclusive: bool| -> Result<Option<Edge>, ValueError> {
            let s = s.trim();
            if matches!(s, "∞" | "+∞" | "-∞" | "inf" | "+inf" | "-inf" | "") {
                return Ok(None);
            }
            Quantity::parse(s).map(|q| {
                Some(Edge {
                    value: q.value,
                    inclusive,
                })
            })
        };
        let interval = Interval {
            lower: edge(parts[0], open_inclusive)?,
            upper: edge(parts[1], close_inclusive)?,
        };
        if let (Some(lo), Some(hi)) = (interval.lower, interval.upper)
            && (lo.value > hi.value || (lo.value == hi.value && !(lo.inclusive && hi.inclusive)))
        {
            return Err(ValueError::new(
                format!("\"{t}\" is empty: its lower edge is not below its upper edge"),
                format!("“{t}”是空区间：下端点须小于上端点（相等时两端都须用 [ ]）"),
            ));
        }
        Ok(interval)
    }

    pub fn contains(&self, x: Decimal) -> bool {
        let above = self
            .lower
            .is_none_or(|e| x > e.value || (e.inclusive && x == e.value));
        let below = self
            .upper
            .is_none_or(|e| x < e.value || (e.inclusive && x == e.value));
        above && below
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn units_fit_as_their_kinds_do() {
        let units = ["%", "元", "万元", "件", "人", ""].map(Unit::parse);
        for a in &units {
            for b in &units {
                assert_eq!(a.fits(b), a.kind().fits(&b.kind()), "{a:?} {b:?}");
            }
        }
        // by hand: money in 元 and 万元 compare, a count only with the same count, no
        // unit with anything
        assert!(Unit::Wan.fits(&Unit::Yuan));
        assert!(!Unit::parse("件").fits(&Unit::parse("人")));
        assert!(!Unit::Percent.fits(&Unit::Yuan));
        assert!(Unit::None.fits(&Unit::parse("件")));
    }

    #[test]
    fn comparisons_as_published_tables_write_them() {
        use super::{COMPARISONS, Comparator::*};
        // no form is cut short by an earlier one it starts with (`>` would read `>=` as
        // `>` then fail on `=`; `超过` would read 不超过 backwards)
        for (i, (later, _)) in COMPARISONS.iter().enumerate() {
            for (earlier, _) in &COMPARISONS[..i] {
                assert!(!later.starts_with(earlier), "{later} after {earlier}");
            }
        }
        for (text, comparator, value) in [
            ("≧120件", AtLeast, "120"),
            ("≦ 7万元", AtMost, "70000"),
            ("﹦0件", Equal, "0"),
            ("═ 0 件", Equal, "0"),
            ("＞ 90%", MoreThan, "0.9"),
            ("不低于95%", AtLeast, "0.95"),
            ("大于等于 1200 人", AtLeast, "1200"),
            ("不超过 800元/件", AtMost, "800"),
            ("超过 3 次", MoreThan, "3"),
            ("低于5%", LessThan, "0.05"),
            ("≥ 100%", AtLeast, "1"),
        ] {
            let t = Target::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((t.comparator, t.value()), (comparator, d(value)), "{text}");
        }
        assert!(Target::parse("1200人").unwrap_err().en.contains("不低于"));
    }

    #[test]
    fn parses_targets_in_the_forms_officers_write() {
        let t = Target::parse(">= 120 件").unwrap();
        assert_eq!(t.comparator, Comparator::AtLeast);
        assert_eq!(t.value(), d("120"));
        assert_eq!(t.quantity.unit, Unit::Other("件".into()));

        // 7万元 = 7 × 10000 = 70000 元
        let t = Target::parse("≤7万元").unwrap();
        assert_eq!(t.comparator, Comparator::AtMost);
        assert_eq!(t.value(), d("70000"));

        // 100% = 1 as a fraction
        let t = Target::parse("≥ 100%").unwrap();
        assert_eq!(t.value(), d("1"));
        assert_eq!(t.quantity.unit, Unit::Percent);

        let t = Target::parse("= 0 件").unwrap();
        assert_eq!((t.comparator, t.value()), (Comparator::Equal, d("0")));
        assert_eq!(Target::parse("≥ 95%").unwrap().to_string(), "≥95%");
        // thousands separators: 1,200 件 = 1200
        assert_eq!(Target::parse(">= 1,200 件").unwrap().value(), d("1200"));
        assert!(Target::parse(">= 1,20 件").is_err());
    }

    #[test]
    fn rejects_targets_without_comparison_or_number() {
        assert!(
            Target::parse("120 件")
                .unwrap_err()
                .en
                .contains("comparison")
        );
        assert!(Target::parse(">= 很多").unwrap_err().en.contains("number"));
        assert!(Target::parse("").is_err());
        // each reason in Chinese too, naming the 年度指标值 and its part that is wrong
        assert_eq!(
            Target::parse(">= 约120件").unwrap_err().zh,
            "年度指标值“>= 约120件”：“约120件”不以数字开头，应写作 120、95% 或 7万元 这样的数"
        );
        assert_eq!(
            Interval::parse("[90%, 80%]").unwrap_err().zh,
            "“[90%, 80%]”是空区间：下端点须小于上端点（相等时两端都须用 [ ]）"
        );
    }

    #[test]
    fn interval_edges_are_explicit() {
        let band = Interval::parse("[80%, 90%)").unwrap();
        assert!(band.contains(d("0.8"))); // 80% included
        assert!(band.contains(d("0.8999")));
        assert!(!band.contains(d("0.9"))); // 90% excluded
        let top = Interval::parse("[90%, +∞)").unwrap();
        assert!(top.contains(d("0.9")) && top.contains(d("5")));
        let low = Interval::parse("(-∞, 60%)").unwrap();
        assert!(low.contains(d("-1")) && !low.contains(d("0.6")));
        assert!(Interval::parse("[90%, 80%]").is_err());
        assert!(Interval::parse("80%-90%").is_err());
    }
}
