//! The fields a row's sums need, read from the bytes: byte-level shortcuts for the plain
//! forms of amounts (`-1234.56`) and dates (`2022-03-01`), each falling back to the general
//! parser of [`crate::values`] it mirrors and pinned to it by the property tests below.

use super::header::{Enc, decode};
use super::split::Span;
use super::*;
use std::borrow::Cow;

/// An amount: the plain form `-?digits(.d{1,2})?` as (fen, decimals written), any other
/// form through the full parser.
#[derive(Debug, PartialEq)]
pub(super) enum Amount {
    Fen(i64, u32),
    Other(Decimal),
}

impl Amount {
    #[inline]
    pub(super) fn negative(&self) -> bool {
        match self {
            Amount::Fen(f, _) => *f < 0,
            Amount::Other(d) => d.is_sign_negative() && !d.is_zero(),
        }
    }

    #[cfg(test)]
    pub(super) fn value(&self) -> Decimal {
        match *self {
            Amount::Fen(f, s) => {
                let mut d = Decimal::new(f, 2);
                d.rescale(s);
                d
            }
            Amount::Other(d) => d,
        }
    }
}

/// The plain form `-?digits(.d{1,2})?` (up to 15 integer digits) as fen; `None` for
/// any other text.
#[inline]
pub(super) fn plain_amount(t: &[u8]) -> Option<Amount> {
    let (neg, digits) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        _ => (false, t),
    };
    // One pass: digits, at most one dot, then 1 or 2 decimals; up to 15 integer digits.
    let mut m: i64 = 0;
    let mut int_len = 0usize;
    let mut dot: Option<usize> = None;
    let mut plain = !digits.is_empty();
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => m = m * 10 + i64::from(c - b'0'),
            b'.' if dot.is_none() => dot = Some(i),
            _ => {
                plain = false;
                break;
            }
        }
        if dot.is_none() {
            int_len += 1;
            if int_len > 15 {
                plain = false;
                break;
            }
        } else if i - dot.unwrap_or(i) > 2 {
            plain = false;
            break;
        }
    }
    let decimals = dot.map_or(0, |d| digits.len() - d - 1);
    if plain && int_len > 0 && (dot.is_none() || decimals > 0) {
        m *= [100, 10, 1][decimals];
        return Some(Amount::Fen(if neg { -m } else { m }, decimals as u32));
    }
    None
}

/// An amount: the plain form as fen, any other form through the full parser.
#[inline]
pub(super) fn amount(t: &[u8]) -> Result<Amount, ()> {
    if let Some(a) = plain_amount(t) {
        return Ok(a);
    }
    let t = std::str::from_utf8(t).map_err(|_| ())?;
    parse::parse_amount(t).map(Amount::Other).map_err(|_| ())
}

/// A field's text as the reader gives it: quotes undone, decoded, trimmed.
#[inline]
pub(super) fn text<'b>(buf: &'b [u8], span: Option<&Span>, enc: Enc) -> Option<Cow<'b, str>> {
    let Some(span) = span else {
        return Some(Cow::Borrowed(""));
    };
    let f = &buf[span.from..span.to];
    if span.escaped {
        let undone = decode(f, enc)?.replace("\"\"", "\"");
        return Some(Cow::Owned(undone.trim().to_string()));
    }
    let t = f.trim_ascii();
    if t.is_ascii() {
        return std::str::from_utf8(t).ok().map(Cow::Borrowed);
    }
    match decode(t, enc)? {
        Cow::Borrowed(b) => Some(Cow::Borrowed(b.trim())),
        Cow::Owned(o) if o.trim().len() == o.len() => Some(Cow::Owned(o)),
        Cow::Owned(o) => Some(Cow::Owned(o.trim().to_string())),
    }
}

/// A field's bytes when they are plain ASCII (no quotes to undo), trimmed: the project
/// code, date and amount of almost every row, used without decoding.
#[inline]
pub(super) fn ascii<'b>(buf: &'b [u8], span: Option<&Span>) -> Option<&'b [u8]> {
    let span = span?;
    let f = buf[span.from..span.to].trim_ascii();
    (!span.escaped && is_ascii(f)).then_some(f)
}

/// `bytes.is_ascii()`, for the short fields of a row: 8 to 16 bytes (a project code) with
/// two word reads.
#[inline]
pub(super) fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let n = bytes.len();
    if (8..=16).contains(&n) {
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        (word(&bytes[..8]) | word(&bytes[n - 8..])) & HIGH == 0
    } else {
        bytes.is_ascii()
    }
}

/// `YYYY-MM-DD` → its year, or an error for a day the calendar lacks; `None` for other
/// forms (the full parser's).
#[inline]
pub(super) fn plain_year(b: &[u8]) -> Option<Result<i32, ()>> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // Bytes 0–7 at once, the dashes turned into '0': all eight are digits when each high
    // nibble is 3 and stays 3 with 6 added (0x3A–0x3F become 0x40–0x45).
    const DASHES: u64 = 0xFF00_00FF_0000_0000;
    const THREES: u64 = 0x3030_3030_3030_3030;
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let word = u64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
    let word = (word & !DASHES) | (THREES & DASHES);
    let digits = word & HIGH_NIBBLES == THREES
        && (word + 0x0606_0606_0606_0606) & HIGH_NIBBLES == THREES
        && b[8].is_ascii_digit()
        && b[9].is_ascii_digit();
    if !digits {
        return None;
    }
    let d = |i: usize| u32::from(b[i] - b'0');
    let y = (d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)) as i32;
    let (m, day) = (d(5) * 10 + d(6), d(8) * 10 + d(9));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    Some(if day >= 1 && day <= days {
        Ok(y)
    } else {
        Err(())
    })
}

/// A date's year, and whether it is after `limit`: the plain form here (its bytes
/// compared, [`Limit::after_plain`]), other forms through the full parser (the dates
/// compared, [`Limit::after`]).
#[inline]
pub(super) fn dated(b: &[u8], limit: Option<&Limit>) -> Result<(i32, bool), ()> {
    if let Some(y) = plain_year(b) {
        return y.map(|y| (y, limit.is_some_and(|l| l.after_plain(b))));
    }
    let t = std::str::from_utf8(b).map_err(|_| ())?;
    let d = parse::parse_date(t).map_err(|_| ())?;
    Ok((d.year, limit.is_some_and(|l| l.after(d))))
}

/// UTF-8 voucher text that is already trimmed and folded, as most are: no white space at
/// either end, and no character that folds (U+3000, U+FF01–U+FF5E) or is white space
/// beyond ASCII — all of those start with a byte 0xC2, 0xE1, 0xE2, 0xE3 or 0xEF. Its key
/// is the hash of its bytes.
#[inline]
pub(super) fn plain_voucher(raw: &[u8]) -> bool {
    let edge = |b: Option<&u8>| b.is_some_and(|&b| b >= 0x80 || !(b as char).is_whitespace());
    edge(raw.first())
        && edge(raw.last())
        && !raw
            .iter()
            .any(|b| matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_vouchers_need_no_trimming_or_folding() {
        for text in [
            "记-0000001",
            "A-1",
            " 记-1",
            "记-1\t",
            "记－Ｘ００１",
            "\u{3000}记-1",
            "记-1\u{00A0}",
            "\u{2003}1",
            "1\u{0085}",
            "\u{1680}x",
            "x\u{000B}",
            "凭证 12",
            "",
        ] {
            let folded = parse::fold_width(text);
            if plain_voucher(text.as_bytes()) {
                assert_eq!(text, folded.trim(), "{text:?}");
                assert_eq!(plain_voucher_key(text.as_bytes()), voucher_key(text));
            } else {
                // Only texts that do change, or might, are left to the full path.
                assert!(
                    text.is_empty()
                        || folded.trim() != text
                        || text
                            .bytes()
                            .any(|b| matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)),
                    "{text:?}"
                );
            }
        }
        assert!(plain_voucher("记-0000001".as_bytes()));
        assert!(!plain_voucher(" 记-1".as_bytes()));
        assert!(!plain_voucher("记－Ｘ００１".as_bytes()));
    }

    #[test]
    fn short_fields_are_ascii_or_not() {
        for len in 0..24 {
            for at in 0..len {
                let mut field = vec![b'7'; len];
                assert!(is_ascii(&field));
                field[at] = 0xE8;
                assert!(!is_ascii(&field), "{len} {at}");
            }
        }
    }

    #[test]
    fn amounts_and_dates_match_the_full_parsers() {
        for t in [
            "0",
            "-0",
            "12",
            "12.5",
            "12.50",
            "-7.01",
            "1.",
            ".5",
            "007",
            "123456789012345",
            "1234567890123456",
            "1.234",
            "-",
            "1,234.50",
            "6.79万",
            "1.2.3",
            "12.345",
            "999999999999999.99",
            "-999999999999999.9",
            "9999999999999999",
            "",
            "-.5",
            "--5",
        ] {
            assert_eq!(
                amount(t.as_bytes()).ok().map(|a| a.value()),
                parse::parse_amount(t).ok(),
                "{t}"
            );
        }
        // 12.5 元 is 1250 分, written with one decimal.
        assert_eq!(amount(b"12.5"), Ok(Amount::Fen(1250, 1)));
        assert_eq!(amount(b"-7"), Ok(Amount::Fen(-700, 0)));
        for t in [
            "2022-02-29",
            "2024-02-29",
            "2022-13-01",
            "2022-00-10",
            "2022-04-31",
            "2022-12-31",
            "2022-0a-01",
            "2022-1:-01",
            "20:2-01-01",
            "2022-01-0/",
            "2022-01-1a",
            "2022/01/01",
            "2022-01-01",
            "0000-01-01",
            "2000-02-29",
            "1900-02-29",
        ] {
            assert_eq!(
                dated(t.as_bytes(), None).ok(),
                parse::parse_date(t).ok().map(|d| (d.year, false)),
                "{t}"
            );
        }
    }

    // Plain forms, near misses of them (too many digits or decimals, a second dot, a
    // thousands comma, 万, a sign alone, a day the calendar lacks) and any text at all:
    // whatever the shortcut accepts, the general parser accepts with the same value and
    // scale, and whatever the shortcut refuses outright, the general parser refuses.
    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config("tests/proptest-regressions/ledger-fields.txt"))]
        #[test]
        fn amounts_agree_with_the_general_parser(t in proptest::prop_oneof![
            "-?[0-9]{0,17}(\\.[0-9]{0,3})?",
            "[-0-9.,万 ]{0,20}",
            ".{0,12}",
        ]) {
            let general = crate::values::parse_amount(&t).ok();
            if let Some(plain) = plain_amount(t.as_bytes()) {
                let general = general.expect("a plain amount the general parser refuses");
                proptest::prop_assert_eq!(plain.value(), general);
                proptest::prop_assert_eq!(plain.value().scale(), general.scale());
            }
            proptest::prop_assert_eq!(amount(t.as_bytes()).ok().map(|a| a.value()), general);
        }

        #[test]
        fn years_agree_with_the_general_parser(t in proptest::prop_oneof![
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "[0-9]{4}-(0[0-9]|1[0-3])-([0-2][0-9]|3[0-2])",
            "[0-9:/a-]{10}",
            "[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?",
            ".{0,12}",
        ]) {
            let general = crate::values::parse_date(&t).ok().map(|d| d.year);
            if let Some(plain) = plain_year(t.as_bytes()) {
                proptest::prop_assert_eq!(plain.ok(), general);
            }
            proptest::prop_assert_eq!(dated(t.as_bytes(), None).ok().map(|d| d.0), general);
        }

        // With a date limit, any text: the year and whether the date is after the limit
        // are those of the general parser's date compared with the limit's
        // ([`Limit::after`]), the plain form's bytes compared or not; limits of every
        // year, near and far from the dates (year 0, years past 9999, before 0).
        #[test]
        fn dates_after_a_limit_agree_with_the_general_parser(
            t in proptest::prop_oneof![
                "20(23|24|25)-(0[0-9]|1[0-3])-([0-2][0-9]|3[0-2])",
                "[0-9]{4}-[0-9]{2}-[0-9]{2}",
                "20(23|24|25)[-/.年](0?[1-9]|1[0-2])[-/.月]([12]?[0-9]|3[01])日?",
                "2024(0[0-9]|1[0-2])([0-2][0-9]|3[01])",
                ".{0,12}",
            ],
            year in proptest::prop_oneof![
                4 => 2023..=2025i32,
                1 => 0..=9999i32,
                1 => proptest::sample::select(vec![-1, 10_000, 12_345, i32::MIN, i32::MAX]),
            ],
            month in 1..=12u32,
            day in 1..=31u32,
        ) {
            let limit = Limit::new(Date { year, month, day });
            let general = crate::values::parse_date(&t).ok().map(|d| (d.year, limit.after(d)));
            proptest::prop_assert_eq!(dated(t.as_bytes(), Some(&limit)).ok(), general);
        }
    }
}
