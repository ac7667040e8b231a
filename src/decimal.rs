//! Exact decimal helpers: the one rounding rule (四舍五入) and number formatting.
//!
//! Every number the tool shows or scores is a [`Decimal`]; nothing passes through `f64`.
//! Rounding happens in one place, [`round_half_up`], which rounds half away from zero
//! (四舍五入, what finance officers and the MOF platform's `round(x, 2)` do). rust_decimal's
//! own `round_dp` is banker's rounding (2.345 → 2.34) and is forbidden by `clippy.toml`.

use rust_decimal::{Decimal, RoundingStrategy};

/// Places kept for indicator scores, totals and percentages (得分与比率保留两位小数).
pub const SCORE_PLACES: u32 = 2;
/// Places kept for a rate stored as a fraction: 67.90% = 0.6790 (two places of the percentage).
pub const RATE_FRACTION_PLACES: u32 = 4;

/// The largest magnitude accepted for an amount, a count or a target: 10^15 (a thousand
/// trillion 元, thirty times a national budget). Bounding inputs keeps every sum of rows and
/// every product in the scoring rules far from the decimal type's limit (about 7.9 × 10^28),
/// so no input can make arithmetic overflow.
pub const MAX_MAGNITUDE: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// Whether a value lies within ±[`MAX_MAGNITUDE`].
pub fn within_limit(value: Decimal) -> bool {
    value.abs() <= MAX_MAGNITUDE
}

/// 四舍五入: round half away from zero to `places` decimals.
pub fn round_half_up(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// Cut `value` off after `places` decimals (截断, toward zero): 0.91777… → 0.917.
///
/// Never used to produce a figure: `jixiao review` uses it only to recognise a published
/// figure that was cut off where 四舍五入 ([`round_half_up`]) gives another last digit, and
/// to show a long quotient cut off with an ellipsis ("0.917777…").
pub fn truncate(value: Decimal, places: u32) -> Decimal {
    value.trunc_with_scale(places)
}

/// Round a score to [`SCORE_PLACES`] decimals.
pub fn round_score(value: Decimal) -> Decimal {
    round_half_up(value, SCORE_PLACES)
}

/// Round a rate held as a fraction so that its percentage has two decimals (0.67945 → 0.6795).
pub fn round_rate(value: Decimal) -> Decimal {
    round_half_up(value, RATE_FRACTION_PLACES)
}

/// Fixed number of decimals, e.g. `fixed(6.79, 2)` = "6.79", `fixed(95, 2)` = "95.00".
pub fn fixed(value: Decimal, places: u32) -> String {
    let mut v = round_half_up(value, places);
    v.rescale(places);
    text(v)
}

/// Shortest exact text: trailing zeros dropped (`135.00` → "135", `6.790` → "6.79").
pub fn plain(value: Decimal) -> String {
    text(value.normalize())
}

/// `value` as its `Display` writes it (every decimal of its scale), written directly when
/// the mantissa fits 64 bits: a batch writes millions of these.
fn text(value: Decimal) -> String {
    let Ok(mut n) = u64::try_from(value.mantissa().unsigned_abs()) else {
        return value.to_string();
    };
    if n == 0 && value.is_sign_negative() {
        return value.to_string();
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = &digits[at..];
    let scale = value.scale() as usize;
    let mut out = String::with_capacity(digits.len() + scale + 3);
    if value.is_sign_negative() {
        out.push('-');
    }
    let push = |out: &mut String, d: &[u8]| out.extend(d.iter().map(|&b| char::from(b)));
    if scale == 0 {
        push(&mut out, digits);
    } else if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        push(&mut out, int);
        out.push('.');
        push(&mut out, frac);
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - digits.len()));
        push(&mut out, digits);
    }
    out
}

/// A fraction shown as a percentage with two decimals: 0.679 → "67.90%".
pub fn percent(fraction: Decimal) -> String {
    format!(
        "{}%",
        fixed(fraction.saturating_mul(Decimal::ONE_HUNDRED), SCORE_PLACES)
    )
}

/// Decimals of an amount shown in 万元 unless `--wan-places` says otherwise (the 自评表 and
/// reports print 万元 with two: 73.08).
pub const WAN_PLACES: u32 = 2;

/// The most decimals `--wan-places` accepts: six keep every fen (0.01 元 = 0.000001 万元).
pub const MAX_WAN_PLACES: u32 = 6;

/// 元 in 万元, rounded 四舍五入 to `places` decimals: the value a form prints and stores.
pub fn wan_value(yuan: Decimal, places: u32) -> Decimal {
    round_half_up(yuan / Decimal::from(10_000), places.min(MAX_WAN_PLACES))
}

/// 元 shown as 万元 with exactly `places` decimals, 四舍五入: 730,800.50 元 with 2 →
/// "73.08", 100,000 元 → "10.00". Where 元 are shown beside it they stay exact.
pub fn wan(yuan: Decimal, places: u32) -> String {
    fixed(yuan / Decimal::from(10_000), places.min(MAX_WAN_PLACES))
}

/// 元 as 万元 with every decimal it has (up to six, trailing zeros dropped): 67900 →
/// "6.79", 730,800.50 → "73.08005". For arithmetic shown step by step (a score's basis,
/// `explain`, `review`), where a rounded figure would not follow from the others.
pub fn wan_exact(yuan: Decimal) -> String {
    plain(round_half_up(yuan / Decimal::from(10_000), 6))
}

/// An amount in 元 with two decimals and thousands separators: 67900 → "67,900.00",
/// -280 → "-280.00" (as ledgers and the 自评表 print money).
pub fn grouped(value: Decimal) -> String {
    with_separators(&fixed(value, 2))
}

/// 元 shown as 万元 with `places` decimals and thousands separators: 25,520,496 元 →
/// "2,552.05" (a bureau's sums).
pub fn grouped_wan(yuan: Decimal, places: u32) -> String {
    with_separators(&wan(yuan, places))
}

/// A number's text with a comma between each three digits of its whole part.
fn with_separators(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// A score with two decimals, trailing zeros dropped for whole numbers is *not* done:
/// the 自评表 prints scores with two places (95.00, 6.79).
pub fn score_text(value: Decimal) -> String {
    fixed(value, SCORE_PLACES)
}

/// The commonest number in the input files, read without the general parser: digits,
/// optionally a point and more digits (`135`, `6.79`, `0.50`), at most 15 before the point
/// and 18 in all, so that it is exact and within [`MAX_MAGNITUDE`]. The value has as many
/// decimals as written, as [`parse_plain`] gives it; anything else is `None`.
pub fn parse_digits(text: &str) -> Option<Decimal> {
    let (int, frac) = match text.split_once('.') {
        Some((int, frac)) if !frac.is_empty() => (int, frac),
        Some(_) => return None,
        None => (text, ""),
    };
    if int.is_empty() || int.len() > 15 || int.len() + frac.len() > 18 {
        return None;
    }
    let mut mantissa: i64 = 0;
    for &b in int.as_bytes().iter().chain(frac.as_bytes()) {
        if !b.is_ascii_digit() {
            return None;
        }
        mantissa = mantissa * 10 + i64::from(b - b'0');
    }
    Some(Decimal::new(mantissa, frac.len() as u32))
}

/// [`parse_digits`] after an optional `-`: the value negated as the readers negate a
/// parsed magnitude (so `-0.00` is the same value either way).
pub fn parse_signed_digits(text: &str) -> Option<Decimal> {
    match text.strip_prefix('-') {
        Some(magnitude) => parse_digits(magnitude).map(|v| -v),
        None => parse_digits(text),
    }
}

/// Parse a plain decimal number written by a person: optional sign, digits, optional
/// fraction. No exponent, no thousands separator (those belong to amount parsing).
pub fn parse_plain(text: &str) -> Option<Decimal> {
    if let Some(v) = parse_digits(text) {
        return Some(v);
    }
    let t = text.trim();
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits_ok = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() && frac.is_none_or(str::is_empty) {
        return None;
    }
    if !digits_ok(int) || !frac.is_none_or(digits_ok) || frac == Some("") && int.is_empty() {
        return None;
    }
    let value = t.parse::<Decimal>().ok()?;
    // Up to 18 digits always fit the 96-bit mantissa exactly: nothing to check.
    if int.len() + frac.map_or(0, str::len) <= 18 {
        return Some(value);
    }
    // rust_decimal keeps 28 significant digits and silently rounds the rest away; a number
    // that does not survive the trip exactly is refused rather than changed.
    let significant = |int: &str, frac: &str| {
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        format!("{int}.{frac}")
    };
    let shown = value.abs().normalize().to_string();
    let (shown_int, shown_frac) = shown.split_once('.').unwrap_or((&shown, ""));
    (significant(int, frac.unwrap_or("")) == significant(shown_int, shown_frac)).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_digits_read_as_the_general_parser_reads_them() {
        // Same value and same scale (decimals as written) as rust_decimal's own parser.
        for text in [
            "0",
            "7",
            "007",
            "135",
            "6.79",
            "0.50",
            "100000.00",
            "999999999999999.999",
        ] {
            let fast = parse_digits(text).expect(text);
            let general: Decimal = text.parse().unwrap();
            assert_eq!((fast, fast.scale()), (general, general.scale()), "{text}");
        }
        // 6.79 is 679 × 10⁻²; 0.50 keeps its two places: 50 × 10⁻².
        assert_eq!(parse_digits("6.79"), Some(Decimal::new(679, 2)));
        assert_eq!(parse_digits("0.50").map(|d| d.scale()), Some(2));
        // Left to the general parser: signs, spaces, a bare point, separators, 16 digits
        // before the point, 19 in all, full-width digits.
        for text in [
            "",
            "-1",
            "+1",
            " 1",
            "1 ",
            ".5",
            "5.",
            "1.2.3",
            "1,000",
            "1234567890123456",
            "1234567890.123456789",
            "１２",
            "1e5",
        ] {
            assert_eq!(parse_digits(text), None, "{text:?}");
        }
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rounds_half_away_from_zero() {
        // 2.345 → 2.35 (banker's rounding would give 2.34)
        assert_eq!(round_half_up(d("2.345"), 2), d("2.35"));
        // 2.335 → 2.34 (banker's gives 2.34 too; both agree here)
        assert_eq!(round_half_up(d("2.335"), 2), d("2.34"));
        // negative midpoint goes away from zero: -2.345 → -2.35
        assert_eq!(round_half_up(d("-2.345"), 2), d("-2.35"));
        // below the midpoint rounds down: 2.3449 → 2.34
        assert_eq!(round_half_up(d("2.3449"), 2), d("2.34"));
        // 0.67945 as a rate fraction → 0.6795 (67.95%)
        assert_eq!(round_rate(d("0.67945")), d("0.6795"));
    }

    #[test]
    fn truncation_cuts_toward_zero() {
        // 41.3 / 45 = 0.917777…: cut off after 3 places → 0.917; 四舍五入 gives 0.918
        let rate = d("41.3") / d("45");
        assert_eq!(truncate(rate, 3), d("0.917"));
        assert_eq!(round_half_up(rate, 3), d("0.918"));
        assert_eq!(truncate(d("-2.349"), 2), d("-2.34"));
        assert_eq!(truncate(d("6.79"), 4), d("6.79"));
    }

    #[test]
    fn magnitude_limit_is_ten_to_the_fifteenth() {
        assert_eq!(MAX_MAGNITUDE, d("1000000000000000"));
        assert!(within_limit(d("-1000000000000000")));
        assert!(!within_limit(d("1000000000000000.01")));
    }

    #[test]
    fn formats() {
        assert_eq!(fixed(d("95"), 2), "95.00");
        assert_eq!(fixed(d("6.785"), 2), "6.79");
        assert_eq!(plain(d("135.00")), "135");
        assert_eq!(percent(d("0.679")), "67.90%");
        assert_eq!(percent(d("1")), "100.00%");
        assert_eq!(wan_exact(d("67900.00")), "6.79");
        assert_eq!(wan_exact(d("100000")), "10");
        assert_eq!(wan_exact(d("730800.50")), "73.08005");
        assert_eq!(grouped(d("67900")), "67,900.00");
        assert_eq!(grouped(d("-280")), "-280.00");
        assert_eq!(grouped(d("1234567.891")), "1,234,567.89");
        assert_eq!(grouped(d("100")), "100.00");
        // 25,520,496 元 = 2,552.0496 万元 → 2,552.05
        assert_eq!(grouped_wan(d("25520496"), 2), "2,552.05");
        assert_eq!(grouped_wan(d("-12345678"), 0), "-1,235");
    }

    #[test]
    fn wan_has_a_fixed_number_of_decimals() {
        // 730,800.50 元 / 10,000 = 73.08005 万元; two places: the third decimal is 0 → 73.08
        assert_eq!(wan(d("730800.50"), 2), "73.08");
        // 1,000,000 − 730,800.50 = 269,199.50 元 = 26.91995 万元; the third decimal 9 ≥ 5 → 26.92
        assert_eq!(wan(d("269199.50"), 2), "26.92");
        // 100,000 元 = 10 万元, written with its two places
        assert_eq!(wan(d("100000"), 2), "10.00");
        // 四舍五入, not banker's: 12,345 元 = 1.2345 万元 → 1.235 at three places (banker's
        // would keep the even 4: 1.234); 1.2345 → 1.23 at two
        assert_eq!(wan(d("12345"), 3), "1.235");
        assert_eq!(wan(d("12345"), 2), "1.23");
        // half away from zero below zero too: −125 元 = −0.0125 万元 → −0.013
        assert_eq!(wan(d("-125"), 3), "-0.013");
        // no decimals: 269,199.50 元 = 26.91995 → 27
        assert_eq!(wan(d("269199.50"), 0), "27");
        // six places keep every fen: 730,800.51 元 = 73.080051 万元
        assert_eq!(wan(d("730800.51"), 6), "73.080051");
        assert_eq!(wan(d("730800.51"), 9), "73.080051");
        assert_eq!(wan_value(d("269199.50"), 2), d("26.92"));
    }

    #[test]
    fn text_is_what_display_writes() {
        for s in [
            "0",
            "0.00",
            "-0.05",
            "5",
            "-120",
            "95.00",
            "0.000001",
            // as many digits as decimals: "0." before them, not "."
            "0.12",
            "-0.5",
            "123456789.123",
            "-1.5",
            "18446744073709551615",
            "18446744073709551616",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
        ] {
            let v = d(s);
            assert_eq!(text(v), v.to_string(), "{s}");
            assert_eq!(plain(v), v.normalize().to_string(), "{s}");
        }
        assert_eq!(text(-d("0.00")), (-d("0.00")).to_string());
    }

    #[test]
    fn scores_are_shown_with_two_places() {
        // 95 → "95.00"; 6.785 → 6.79 (四舍五入: the third decimal is 5, away from zero)
        assert_eq!(score_text(d("95")), "95.00");
        assert_eq!(score_text(d("6.785")), "6.79");
        // 2.345 → 2.35 (banker's rounding would give 2.34)
        assert_eq!(round_score(d("2.345")), d("2.35"));
    }

    #[test]
    fn a_minus_sign_negates_the_digits_after_it() {
        // "-6.79" = −(679 × 10⁻²), two decimals kept
        assert_eq!(parse_signed_digits("-6.79"), Some(Decimal::new(-679, 2)));
        assert_eq!(parse_signed_digits("6.79"), Some(Decimal::new(679, 2)));
        // one sign at most, and digits after it
        assert_eq!(parse_signed_digits("--1"), None);
        assert_eq!(parse_signed_digits("-"), None);
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config("tests/proptest-regressions/decimal.txt"))]
        #[test]
        fn text_matches_display(m in proptest::num::i128::ANY, scale in 0u32..=28) {
            let m = m % 79_228_162_514_264_337_593_543_950_336;
            let v = Decimal::from_i128_with_scale(m, scale);
            proptest::prop_assert_eq!(text(v), v.to_string());
        }
    }

    #[test]
    fn parses_plain_numbers_only() {
        assert_eq!(parse_plain("120"), Some(d("120")));
        assert_eq!(parse_plain(" -0.5 "), Some(d("-0.5")));
        assert_eq!(parse_plain(".5"), Some(d("0.5")));
        assert_eq!(parse_plain("5."), Some(d("5")));
        assert_eq!(parse_plain("1e3"), None);
        assert_eq!(parse_plain("1,000"), None);
        assert_eq!(parse_plain(""), None);
        assert_eq!(parse_plain("-"), None);
        assert_eq!(parse_plain("."), None);
        // 29 significant digits would be rounded by the decimal type: refused
        assert_eq!(parse_plain("0.00000000000000000000000000001"), None);
        assert_eq!(parse_plain("10.0000000000000000000000000001"), None);
        // Without digits before the point too: 29 decimals (0 + 29 digits > 18, so checked)
        assert_eq!(parse_plain(".00000000000000000000000000001"), None);
        assert_eq!(parse_plain("-.12345678901234567890123456789"), None);
        // 1 followed by 28 decimals still fits the 96-bit mantissa exactly
        assert!(parse_plain("1.0000000000000000000000000001").is_some());
        assert_eq!(parse_plain("007.50"), Some(d("7.5")));
        // rust_decimal's own parser reads an exponent after a fraction (1.5e3 = 1500) and
        // skips underscores (1.0_5 = 1.05); a person's number has neither: refused.
        assert_eq!("1.5e3".parse::<Decimal>().ok(), Some(d("1500")));
        assert_eq!("1.0_5".parse::<Decimal>().ok(), Some(d("1.05")));
        assert_eq!(parse_plain("1.5e3"), None);
        assert_eq!(parse_plain("1.0_5"), None);
        assert_eq!(parse_plain("1_0.5"), None);
        assert_eq!(parse_plain("-1.5E3"), None);
    }
}
