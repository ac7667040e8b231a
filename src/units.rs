//! Units of measure (度量单位) and quantities as officers write them: `120 件`, `7万元`,
//! `95%`. Percent and 万元 become base values (a fraction, 元) as soon as they are read.
//! Shared by the scheme (targets), the readers (outputs) and scoring.

use rust_decimal::Decimal;
use std::fmt;

use crate::decimal::{parse_plain, plain};
use crate::values::ValueError;

/// The unit a number is written in. Percent and 万元 are converted to base values
/// (a fraction, 元) as soon as they are read, so every comparison is in one scale.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Unit {
    /// `%`: stored as a fraction, 95% = 0.95.
    Percent,
    /// 元.
    Yuan,
    /// 万元: stored in 元, 7万元 = 70000.
    Wan,
    /// Any other counting unit: 件, 人, 次, 元/件 …
    Other(String),
    /// No unit written.
    None,
}

impl Unit {
    pub fn parse(text: &str) -> Unit {
        let text = text.trim();
        Unit::known(text).unwrap_or_else(|| Unit::Other(text.to_string()))
    }

    /// The unit written `text` (already trimmed), unless it is a counting unit
    /// ([`Unit::Other`]): the units a reader can tell without building a name.
    pub fn known(text: &str) -> Option<Unit> {
        Some(match text {
            "" => Unit::None,
            "%" | "％" | "百分比" => Unit::Percent,
            "元" => Unit::Yuan,
            "万元" => Unit::Wan,
            _ => return None,
        })
    }

    /// The factor from a number written in this unit to its base value.
    pub fn to_base(&self, value: Decimal) -> Decimal {
        match self {
            Unit::Percent => value / Decimal::ONE_HUNDRED,
            Unit::Wan => value * Decimal::from(10_000),
            _ => value,
        }
    }

    /// Base value back to this unit (0.95 → 95 for percent).
    pub fn from_base(&self, value: Decimal) -> Decimal {
        match self {
            Unit::Percent => value * Decimal::ONE_HUNDRED,
            Unit::Wan => value / Decimal::from(10_000),
            _ => value,
        }
    }

    /// What the base value measures: fractions, money, or a counting unit.
    pub fn kind(&self) -> UnitKind {
        match self {
            Unit::Percent => UnitKind::Fraction,
            Unit::Yuan | Unit::Wan => UnitKind::Money,
            Unit::Other(u) => UnitKind::Count(u.clone()),
            Unit::None => UnitKind::Plain,
        }
    }

    /// Whether values in this unit and in `other` can be compared: `self.kind().fits(&
    /// other.kind())`, without building the kinds (a counting unit's kind holds a copy of
    /// its name, and every quantitative indicator of every project asks).
    pub fn fits(&self, other: &Unit) -> bool {
        match (self, other) {
            (Unit::None, _) | (_, Unit::None) => true,
            (Unit::Percent, Unit::Percent) => true,
            (Unit::Yuan | Unit::Wan, Unit::Yuan | Unit::Wan) => true,
            (Unit::Other(a), Unit::Other(b)) => a == b,
            _ => false,
        }
    }

    pub fn suffix(&self) -> &str {
        match self {
            Unit::Percent => "%",
            Unit::Yuan => "元",
            Unit::Wan => "万元",
            Unit::Other(u) => u,
            Unit::None => "",
        }
    }
}

/// What a base value measures. Two explicit kinds that differ cannot be compared;
/// `Plain` (no unit written) fits anything.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum UnitKind {
    Fraction,
    Money,
    Count(String),
    Plain,
}

impl UnitKind {
    pub fn fits(&self, other: &UnitKind) -> bool {
        matches!(self, UnitKind::Plain) || matches!(other, UnitKind::Plain) || self == other
    }

    pub fn label(&self) -> String {
        match self {
            UnitKind::Fraction => "%".into(),
            UnitKind::Money => "元".into(),
            UnitKind::Count(u) => u.clone(),
            UnitKind::Plain => "(无单位)".into(),
        }
    }
}

/// A number with its unit, e.g. `120 件`, `7万元`, `95%`. `value` is the base value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: Unit,
}

impl Quantity {
    /// Parse `120`, `120 件`, `95%`, `7万元`, `-5%`; why not, in English and in Chinese.
    pub fn parse(text: &str) -> Result<Quantity, ValueError> {
        let t = text.trim();
        let split = t
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_digit() || c == '.' || c == ',' || ((c == '-' || c == '+') && i == 0))
            })
            .map_or(t.len(), |(i, _)| i);
        let (number, unit) = t.split_at(split);
        // 1,200 件: thousands separators in groups of three, as in the ledgers.
        let sign = if number.starts_with('-') { "-" } else { "" };
        let digits = crate::values::strip_thousands(number.trim_start_matches(['-', '+']));
        let raw = digits
            .and_then(|n| parse_plain(&format!("{sign}{n}")))
            .ok_or_else(|| {
                ValueError::new(
                    format!("\"{t}\" does not start with a number such as 120, 95% or 7万元"),
                    format!("“{t}”不以数字开头，应写作 120、95% 或 7万元 这样的数"),
                )
            })?;
        if unit
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit() || c == '.')
        {
            return Err(ValueError::new(
                format!("\"{t}\" is not a number followed by a unit"),
                format!("“{t}”不是“数字加单位”的写法"),
            ));
        }
        let mut unit = Unit::parse(unit);
        let mut raw = raw;
        // An amount per thing in 万元 (`25万元/处`) is the same amount in 元 per thing
        // (250,000 元/处), so that it compares with a cost computed in 元.
        if let Unit::Other(u) = &unit
            && let Some(per) = u.strip_prefix("万元/")
        {
            raw = raw
                .checked_mul(Decimal::from(10_000))
                .ok_or_else(|| too_large(t))?;
            unit = Unit::Other(format!("元/{per}"));
        }
        // The bound applies to the base value (元, not 万元).
        if !crate::decimal::within_limit(raw) || !crate::decimal::within_limit(unit.to_base(raw)) {
            return Err(too_large(t));
        }
        // 0.0…01% with 27 places cannot be held as a fraction: refuse, never round.
        if unit.from_base(unit.to_base(raw)) != raw {
            return Err(ValueError::new(
                format!("\"{t}\" has more decimals than can be kept exactly"),
                format!("“{t}”的小数位数太多，无法精确保存"),
            ));
        }
        Ok(Quantity {
            value: unit.to_base(raw),
            unit,
        })
    }
}

/// `t` is past the bound of every quantity.
fn too_large(t: &str) -> ValueError {
    ValueError::new(
        format!("\"{t}\" is too large (at most 10^15)"),
        format!("“{t}”太大（最多 10^15）"),
    )
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            plain(self.unit.from_base(self.value)),
            self.unit.suffix()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_per_thing_in_wan_is_the_same_in_yuan() {
        // 25万元/处 = 25 × 10,000 = 250,000 元/处
        let q = Quantity::parse("25万元/处").unwrap();
        assert_eq!(q.value, Decimal::from(250_000));
        assert_eq!(q.unit, Unit::Other("元/处".into()));
        assert!(q.unit.fits(&Unit::parse("元/处")));
        // 0.35万元/人 = 3,500 元/人
        let q = Quantity::parse("0.35万元/人").unwrap();
        assert_eq!(q.value, Decimal::from(3_500));
        // plain 万元 is money as before, and 元/处 is left as it is
        assert_eq!(Quantity::parse("7万元").unwrap().unit, Unit::Wan);
        assert_eq!(
            Quantity::parse("800元/件").unwrap().value,
            Decimal::from(800)
        );
    }
}
