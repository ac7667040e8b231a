//! Parsing of the values finance officers write in ledgers: amounts (金额), dates (日期)
//! and counts (数值). Every parser takes text and returns an exact value or a message
//! saying what was expected; none of them panics on any input.

use rust_decimal::Decimal;
use std::borrow::Cow;
use std::fmt;

/// Fold full-width ASCII (０-９, ，, ．, （, ）…) to half-width and the ideographic space to
/// a space, so `１２３` reads as `123`.
/// Borrowed when there is nothing to fold (ASCII text, most of every file), so that the
/// readers do not copy each cell.
pub fn fold_width(text: &str) -> Cow<'_, str> {
    let folds = |c: char| matches!(c, '\u{3000}' | '\u{FF01}'..='\u{FF5E}');
    if text.is_ascii() || !text.chars().any(folds) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{3000}' => ' ',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect(),
    )
}

/// What an amount column accepts, for error messages.
pub const AMOUNT_EXPECTED: &str = "an amount in 元 with at most 2 decimals, e.g. 67900, 67,900.00, ¥67,900.00, 6.79万元, (1,200.00)";
pub const AMOUNT_EXPECTED_ZH: &str =
    "以元为单位、最多两位小数的金额，如 67900、67,900.00、¥67,900.00、6.79万元、(1,200.00)";

/// Why a value cannot be read, in English and in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub en: String,
    pub zh: String,
}

impl ValueError {
    pub(crate) fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        ValueError {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl From<ValueError> for String {
    fn from(e: ValueError) -> String {
        e.en
    }
}

/// Parse an amount in 元 (yuan, fen exact): `67900`, `67,900.00`, `¥67,900.00`, `67900元`,
/// `6.79万`, `6.79万元`, full-width digits, `（1,200.00）`/`(1,200.00)`/`-1200` as negative.
/// More precision than a fen (after converting 万元) is rejected, as is `1.234,50`.
pub fn parse_amount(text: &str) -> Result<Decimal, ValueError> {
    // Most amounts are digits with at most two decimals, perhaps negative: read at once.
    if let Some(v) = crate::decimal::parse_signed_digits(text).filter(|v| v.scale() <= 2) {
        return Ok(v);
    }
    let folded = fold_width(text);
    let mut t: &str = folded.trim();
    if t.is_empty() {
        return Err(ValueError::new("empty amount", "金额为空"));
    }
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        negative = true;
        t = inner.trim();
    }
    if let Some(rest) = t.strip_prefix('-') {
        if negative {
            let t = text.trim();
            return Err(ValueError::new(
                format!("\"{t}\" is negative twice"),
                format!("“{t}”有两个负号"),
            ));
        }
        negative = true;
        t = rest.trim_start();
    }
    t = t.trim_start_matches(['¥', '￥']).trim();
    t = t.strip_suffix('元').unwrap_or(t).trim_end();
    let mut scale_wan = false;
    if let Some(rest) = t.strip_suffix('万') {
        scale_wan = true;
        t = rest.trim_end();
    }
    let not_amount = || {
        let t = text.trim();
        ValueError::new(
            format!("\"{t}\" is not an amount"),
            format!("“{t}”不是金额"),
        )
    };
    let number = strip_thousands(t).ok_or_else(not_amount)?;
    let mut value = crate::decimal::parse_plain(&number)
        .filter(|_| !number.starts_with(['-', '+']))
        .ok_or_else(not_amount)?;
    if scale_wan {
        value = value
            .checked_mul(Decimal::from(10_000))
            .unwrap_or(Decimal::MAX);
    }
    if !crate::decimal::within_limit(value) {
        let t = text.trim();
        return Err(ValueError::new(
            format!("\"{t}\" is too large for an amount (at most 10^15 元)"),
            format!("“{t}”超出金额上限（10^15 元）"),
        ));
    }
    if value.normalize().scale() > 2 {
        let t = text.trim();
        return Err(ValueError::new(
            format!("\"{t}\" has more precision than a fen (0.01 元)"),
            format!("“{t}”精确到了分以下（金额最多两位小数）"),
        ));
    }
    Ok(if negative { -value } else { value })
}

/// Remove thousands separators, accepting them only in groups of three before the point:
/// `67,900.00` → `67900.00`; `1.234,50` and `12,34` are refused.
pub(crate) fn strip_thousands(t: &str) -> Option<String> {
    if !t.contains(',') {
        return Some(t.to_string());
    }
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    if frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let groups: Vec<&str> = int.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    if !(first_ok && rest_ok) {
        return None;
    }
    let mut s = groups.concat();
    if let Some(f) = frac {
        s.push('.');
        s.push_str(f);
    }
    Some(s)
}

/// A calendar date (日期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// The last day of its year (12月31日): an output dated so is the year's value.
    pub fn is_year_end(self) -> bool {
        self.month == 12 && self.day == 31
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub const DATE_EXPECTED: &str =
    "a date such as 2022-03-05, 2022/3/5, 2022.3.5, 2022年3月5日 or 20220305";
pub const DATE_EXPECTED_ZH: &str =
    "日期，如 2022-03-05、2022/3/5、2022.3.5、2022年3月5日 或 20220305";

/// Parse `2022-03-05`, `2022/3/5`, `2022.3.5`, `2022年3月5日`, `20220305`.
pub fn parse_date(text: &str) -> Result<Date, ValueError> {
    let t = fold_width(text);
    let t = t.trim();
    let bad = || ValueError::new(format!("\"{t}\" is not a date"), format!("“{t}”不是日期"));
    let parts: Vec<&str> = if t.len() == 8 && t.chars().all(|c| c.is_ascii_digit()) {
        vec![&t[..4], &t[4..6], &t[6..]]
    } else if let Some(rest) = t.strip_suffix('日') {
        rest.split(['年', '月']).collect()
    } else {
        t.split(['-', '/', '.']).collect()
    };
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(bad());
    }
    if parts[0].len() != 4 || parts[1].len() > 2 || parts[2].len() > 2 {
        return Err(bad());
    }
    let year: i32 = parts[0].parse().map_err(|_| bad())?;
    let month: u32 = parts[1].parse().map_err(|_| bad())?;
    let day: u32 = parts[2].parse().map_err(|_| bad())?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(ValueError::new(
            format!("\"{t}\" is not a day of the calendar"),
            format!("“{t}”不是日历上的日期"),
        ));
    }
    Ok(Date { year, month, day })
}

/// The days of a month of the Gregorian calendar (February 29 in leap years).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub const VALUE_EXPECTED: &str = "a number such as 135, 1,200, 95% or 是/否";
pub const VALUE_EXPECTED_ZH: &str = "数值，如 135、1,200、95% 或 是/否";

/// Parse an output value (数值): a number (thousands separators allowed), a percentage
/// `95%` (returned with `percent = true`), or 是/否 (1/0).
pub fn parse_value(text: &str) -> Result<(Decimal, bool), ValueError> {
    // Most values are plain digits, perhaps negative: read at once.
    if let Some(v) = crate::decimal::parse_signed_digits(text) {
        return Ok((v, false));
    }
    let folded = fold_width(text);
    let t = folded.trim();
    match t {
        // TRUE / FALSE as Excel writes them.
        "是" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" => {
            return Ok((Decimal::ONE, false));
        }
        "否" | "no" | "No" | "NO" | "false" | "False" | "FALSE" => {
            return Ok((Decimal::ZERO, false));
        }
        _ => {}
    }
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim_end(), true),
        None => (t, false),
    };
    let negative = number.starts_with('-');
    let body = number.strip_prefix('-').unwrap_or(number).trim_start();
    if body.starts_with(['-', '+']) {
        return Err(ValueError::new(
            format!("\"{t}\" has two signs"),
            format!("“{t}”有两个正负号"),
        ));
    }
    let not_number =
        || ValueError::new(format!("\"{t}\" is not a number"), format!("“{t}”不是数值"));
    let plain = strip_thousands(body).ok_or_else(not_number)?;
    let v = crate::decimal::parse_plain(&plain)
        .filter(|_| !plain.starts_with(['-', '+']))
        .ok_or_else(not_number)?;
    if !crate::decimal::within_limit(v) {
        return Err(ValueError::new(
            format!("\"{t}\" is too large (at most 10^15)"),
            format!("“{t}”超出上限（10^15）"),
        ));
    }
    Ok((if negative { -v } else { v }, percent))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_in_the_forms_ledgers_use() {
        for (text, want) in [
            ("67900", "67900"),
            ("67,900.00", "67900"),
            ("¥67,900.00", "67900"),
            ("67900元", "67900"),
            // 6.79 × 10000 = 67900
            ("6.79万", "67900"),
            ("6.79万元", "67900"),
            ("１２３", "123"),
            ("(1,200.00)", "-1200"),
            ("（1,200.00）", "-1200"),
            ("-1200", "-1200"),
            ("0.10", "0.10"),
            // 1.23456万 = 12345.6 元: fen-exact, accepted
            ("1.23456万", "12345.6"),
        ] {
            assert_eq!(parse_amount(text), Ok(d(want)), "{text}");
        }
    }

    #[test]
    fn amounts_rejected_with_a_reason() {
        assert!(
            parse_amount("1.234,50")
                .unwrap_err()
                .en
                .contains("not an amount")
        );
        assert!(parse_amount("12.345").unwrap_err().en.contains("fen"));
        // and in Chinese
        assert!(parse_amount("12.345").unwrap_err().zh.contains("分以下"));
        // 1.234567万 = 12345.67 元 is fine, 1.2345678万 = 12345.678 is not
        assert!(parse_amount("1.2345678万").unwrap_err().en.contains("fen"));
        assert!(parse_amount("abc").is_err());
        assert!(parse_amount("").unwrap_err().en.contains("empty"));
        assert!(parse_amount("12,34").is_err());
        assert!(parse_amount("--5").is_err());
        assert!(parse_amount("(-5)").is_err());
    }

    #[test]
    fn dates_in_the_forms_ledgers_use() {
        let want = Date {
            year: 2022,
            month: 3,
            day: 5,
        };
        for text in [
            "2022-03-05",
            "2022/3/5",
            "2022.3.5",
            "2022年3月5日",
            "20220305",
        ] {
            assert_eq!(parse_date(text), Ok(want), "{text}");
        }
        assert!(
            parse_date("2022-02-29")
                .unwrap_err()
                .en
                .contains("calendar")
        );
        assert_eq!(parse_date("2024-02-29").unwrap().day, 29);
        assert!(parse_date("2022-13-01").is_err());
        assert!(parse_date("22-3-5").is_err());
        assert!(parse_date("March 5").is_err());
        assert!(parse_date("").is_err());
    }

    #[test]
    fn values_numbers_percentages_and_yes_no() {
        assert_eq!(parse_value("135"), Ok((d("135"), false)));
        assert_eq!(parse_value("1,200"), Ok((d("1200"), false)));
        assert_eq!(parse_value("95%"), Ok((d("95"), true)));
        assert_eq!(parse_value("是"), Ok((d("1"), false)));
        assert_eq!(parse_value("否"), Ok((d("0"), false)));
        assert_eq!(parse_value("TRUE"), Ok((d("1"), false)));
        assert_eq!(parse_value("FALSE"), Ok((d("0"), false)));
        assert_eq!(parse_value("-3"), Ok((d("-3"), false)));
        assert!(parse_value("500余").is_err());
        assert!(parse_value("").is_err());
    }
}
