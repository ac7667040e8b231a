//! Property tests: parsers never panic and round-trip; scoring stays within bounds.
//!
//! Every decimal is built from integers (`Decimal::new(mantissa, scale)`), never from `f64`.
//!
//! 1. the parsers never panic on any text, and what they accept makes sense;
//! 2. amounts, dates and values read back from every form the ledgers use;
//! 3. rounding (四舍五入) matches an integer reference;
//! 4. every scoring rule stays between 0 and the weight and moves the right way;
//! 5. formulas evaluate like integer arithmetic and read back from their display;
//! 6. generated schemes load, add up and score within the total.
//!
//! No property is ignored. The bugs some of them were written against are fixed, and the
//! properties stay to keep them fixed: `parse_value` accepting two signs, digits past the
//! 28th decimal rounded away instead of refused, `reverse_deviation` overflowing on extreme
//! values, and the `Display` of a negated binary operation (`-(a + b)`) dropping its
//! parentheses.
//!
//! Each `proptest!` block sets its number of cases with `config`, so that the whole file
//! runs in about a second in a debug build. Failures are not saved to regression files: the
//! shrunk input is in the failure message.

use std::path::Path;

use jixiao::decimal::{
    MAX_MAGNITUDE, fixed, parse_plain, percent, plain, round_half_up, round_rate, round_score,
};
use jixiao::formula::{EvalError, Expr, Func, Op};
use jixiao::scheme::{
    self, Band, Comparator, Interval, Quantity, Rule, Scheme, Scoring, Target, Tiers, Unit,
};
use jixiao::scoring::rules::{self, Tier};
use jixiao::values::{Date, fold_width, parse_amount, parse_date, parse_value};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use rust_decimal::Decimal;

// ───────────────────────────── shared strategies and helpers ─────────────────────────────

/// `mantissa / 10^scale`, exact.
fn dec(mantissa: i64, scale: u32) -> Decimal {
    Decimal::new(mantissa, scale)
}

/// `cases` cases per property; no regression files are written next to the tests.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

/// The scheme path shown in messages; nothing is read from it.
fn path() -> &'static Path {
    Path::new("generated.toml")
}

/// A decimal in `lo..=hi` with 0–4 decimals (`lo·10^4` and `hi·10^4` must fit an i64).
fn decimal(lo: i64, hi: i64) -> impl Strategy<Value = Decimal> {
    (0u32..=4).prop_flat_map(move |scale| {
        let f = 10i64.pow(scale);
        (lo * f..=hi * f).prop_map(move |n| dec(n, scale))
    })
}

fn comparator() -> impl Strategy<Value = Comparator> {
    prop_oneof![
        Just(Comparator::AtLeast),
        Just(Comparator::MoreThan),
        Just(Comparator::Equal),
        Just(Comparator::AtMost),
        Just(Comparator::LessThan),
    ]
}

/// A target A (年度指标值) in base units, never negative: 0, a fraction (a % target), a
/// count, an amount in 元.
fn target_value() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        1 => Just(Decimal::ZERO),
        3 => (1i64..=20_000).prop_map(|n| dec(n, 4)),
        3 => decimal(0, 10_000),
        2 => decimal(0, 1_000_000_000),
    ]
}

/// An actual value B (实际完成值): negative, zero, a fraction, a count or an amount.
fn actual_value() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        1 => Just(Decimal::ZERO),
        3 => (-5_000i64..=30_000).prop_map(|n| dec(n, 4)),
        3 => decimal(-100, 20_000),
        2 => decimal(-1_000_000, 2_000_000_000),
    ]
}

/// A weight (分值): above 0 with at most two decimals, so that a score rounded to the fen
/// never passes it.
fn weight() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (1i64..=100).prop_map(|n| dec(n, 0)),
        (1i64..=10_000, 0u32..=2).prop_map(|(n, s)| dec(n, s)),
    ]
}

/// Two actual values a ≤ b, sometimes equal or close.
fn ordered_actuals() -> impl Strategy<Value = (Decimal, Decimal)> {
    prop_oneof![
        (actual_value(), actual_value()).prop_map(|(a, b)| (a.min(b), a.max(b))),
        (actual_value(), decimal(0, 10)).prop_map(|(a, d)| (a, a + d)),
    ]
}

/// Days in a month of the Gregorian calendar (0 for a month that does not exist), worked
/// out here rather than taken from the crate.
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 400 == 0 || (year % 4 == 0 && year % 100 != 0) => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_calendar_day(year: i32, month: u32, day: u32) -> bool {
    (1..=days_in_month(year, month)).contains(&day)
}

/// Printable ASCII written full-width (`１２３`, `－`, `（`, `，`, `．`) and spaces as the
/// ideographic space, as some ledgers are typed.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(u32::from(c) + 0xFEE0).expect("a full-width form"),
            _ => c,
        })
        .collect()
}

/// Digits grouped by thousands: `1234567` → `1,234,567`.
fn with_thousands(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Every level of a loaded scheme adds up: groups to their dimension, indicators to their
/// group, dimensions to the total.
fn check_weights_add_up(s: &Scheme) -> Result<(), TestCaseError> {
    let dimensions: Decimal = s.dimensions.iter().map(|d| d.weight).sum();
    prop_assert_eq!(dimensions, s.total, "dimensions of {}", s.id);
    for d in &s.dimensions {
        let groups: Decimal = d.groups.iter().map(|g| g.weight).sum();
        prop_assert_eq!(groups, d.weight, "groups of {}", d.name);
        for g in &d.groups {
            let indicators: Decimal = g.indicators.iter().map(|i| i.weight).sum();
            prop_assert_eq!(indicators, g.weight, "indicators of {}", g.name);
        }
    }
    Ok(())
}

/// The bounds a loaded scheme keeps: targets within ±10^15, weights and points within 10^6.
fn check_bounds(s: &Scheme) -> Result<(), TestCaseError> {
    let million = Decimal::from(1_000_000);
    let weights = std::iter::once(s.total)
        .chain(s.dimensions.iter().map(|d| d.weight))
        .chain(
            s.dimensions
                .iter()
                .flat_map(|d| &d.groups)
                .map(|g| g.weight),
        );
    for w in weights {
        prop_assert!(Decimal::ZERO < w && w <= million, "weight {}", w);
    }
    for (_, _, i) in s.indicators() {
        prop_assert!(
            Decimal::ZERO < i.weight && i.weight <= million,
            "{}: weight {}",
            i.id,
            i.weight
        );
        let points: Vec<Decimal> = match &i.scoring {
            Scoring::Quantitative { target, rule, .. } => {
                prop_assert!(
                    target.value().abs() <= MAX_MAGNITUDE,
                    "{}: target {}",
                    i.id,
                    target.value()
                );
                match rule {
                    Rule::DeductPerPoint { points, .. } | Rule::DeductPerCase { points } => {
                        vec![*points]
                    }
                    Rule::Bands(bands) => bands.iter().map(|b| b.score).collect(),
                    _ => Vec::new(),
                }
            }
            Scoring::Checklist(items) => items.iter().map(|item| item.points).collect(),
            Scoring::Qualitative(_) | Scoring::Manual => Vec::new(),
        };
        for p in points {
            prop_assert!(p.abs() <= million, "{}: points {}", i.id, p);
        }
    }
    Ok(())
}

// ───────────────────────────── 1. no panics ─────────────────────────────

/// Characters of ledger cells: digits both widths, currency, 万/元, brackets, separators,
/// signs, ∞ and the date marks.
const LEDGER_CHARS: &str = "0123456789０１２３４５６７８９¥￥万元（）(),.-%∞[] ，．+/年月日";

/// A short run of ledger characters.
fn ledger_text() -> impl Strategy<Value = String> {
    let chars: Vec<char> = LEDGER_CHARS.chars().collect();
    prop::collection::vec(select(chars), 0..=12).prop_map(|cs| cs.into_iter().collect())
}

/// Any text: arbitrary unicode, Chinese, Chinese mixed with digits, or ledger characters.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => any::<String>(),
        1 => "\\p{Han}{0,10}",
        1 => "[\\p{Han}0-9a-z%<>=≥≤ ]{0,12}",
        4 => ledger_text(),
    ]
}

/// Target-like text: a comparison (or none), ledger characters and a unit.
fn target_text() -> impl Strategy<Value = String> {
    (
        select(vec!["", ">=", "≥", "＞＝", "<=", "≤", ">", "<", "=", "＝"]),
        select(vec!["", " "]),
        ledger_text(),
        select(vec![
            "",
            "件",
            " 件",
            "%",
            "％",
            "万元",
            "元",
            "元/件",
            "百分比",
        ]),
    )
        .prop_map(|(cmp, space, number, unit)| format!("{cmp}{space}{number}{unit}"))
}

/// Interval-like text: brackets of either width around two edges.
fn interval_text() -> impl Strategy<Value = String> {
    let edge = prop_oneof![
        select(vec!["∞", "+∞", "-∞", "inf", "-inf", ""]).prop_map(String::from),
        (ledger_text(), select(vec!["", "%", "万元", " 件"])).prop_map(|(n, u)| format!("{n}{u}")),
        (-1_000i64..=1_000, 0u32..=28).prop_map(|(n, s)| dec(n, s).to_string()),
    ];
    (
        select(vec!["[", "(", "［", "（", ""]),
        edge.clone(),
        select(vec![", ", ",", "，", ""]),
        edge,
        select(vec!["]", ")", "］", "）", ""]),
    )
        .prop_map(|(open, lo, comma, hi, close)| format!("{open}{lo}{comma}{hi}{close}"))
}

/// Amount-, value- and date-like text: signs, brackets, currency, digits with separators,
/// 万 and 元, percentages; dates with any separators and any numbers.
fn ledger_like_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-+(（ ]{0,2}[¥￥]?[0-9０-９,，]{1,10}([.．][0-9]{0,5})?万?元?%?[)） ]{0,2}",
        "[12][0-9]{3}[-/.年][01]?[0-9][-/.月][0-3]?[0-9]日?",
        "[0-9０-９]{8}",
    ]
}

/// Formula-like text: operands (names, numbers, calls, brackets) joined by operators, with
/// now and then a token out of place.
fn formula_text() -> impl Strategy<Value = String> {
    let operand = select(vec![
        "a",
        "b1",
        "cases_total",
        "spent",
        "0",
        "1",
        "0.5",
        "007",
        "1.",
        ".5",
        "(a + 1)",
        "min(a, 2)",
        "max(x, y, 0)",
        "abs(-b)",
        "-c",
        "--2",
        "-(a - 2)",
        "-(b * c)",
        "(",
        ")",
        ",",
        "min()",
        "×",
        "1e3",
    ]);
    let op = select(vec![" + ", " - ", " * ", " / ", "+", "-", "*", "/", " "]);
    prop::collection::vec((operand, op), 1..=6).prop_map(|parts| {
        let n = parts.len();
        parts
            .into_iter()
            .enumerate()
            .flat_map(|(i, (operand, op))| [operand, if i + 1 < n { op } else { "" }])
            .collect()
    })
}

const LEGAL_AID: &str = include_str!("../../indicators/legal-aid-2022.toml");

/// One change to the lines of a scheme file.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    /// Replace up to `len` characters of a line, from a position, by some text.
    Replace(Index, Index, usize, String),
    /// Give a `key = value` line a new value.
    Revalue(Index, String),
}

/// A new value for a `key = value` line: numbers of every size (past 10^6 and 10^15 too),
/// targets with huge numbers, strings, and values of the wrong type.
fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (-100_000i64..=100_000, 0u32..=4).prop_map(|(n, s)| dec(n, s).to_string()),
        (-10i64..=10).prop_map(|d| (1_000_000 + d).to_string()),
        (0i64..=20).prop_map(|n| n.to_string()),
        (15usize..=30, 1u32..=9).prop_map(|(z, d)| format!("{d}{}", "0".repeat(z))),
        (15usize..=30, 1u32..=9).prop_map(|(z, d)| format!("\"{d}{}.5\"", "0".repeat(z))),
        (
            select(vec![">=", "<=", "=", "<", ">"]),
            14usize..=30,
            1u32..=9,
            select(vec!["", " 件", "%", "万元", "元"]),
        )
            .prop_map(|(cmp, z, d, unit)| format!("\"{cmp} {d}{}{unit}\"", "0".repeat(z))),
        target_text().prop_map(|t| format!("{t:?}")),
        interval_text().prop_map(|t| format!("{t:?}")),
        select(vec![
            "1e300",
            "inf",
            "nan",
            "-0.0",
            "0",
            "\"\"",
            "true",
            "[]",
            "{}",
            "\"130%\"",
            "\"zero\"",
            "\"output\"",
            "{ kind = \"manual\" }",
        ])
        .prop_map(String::from),
        any_text().prop_map(|t| format!("{t:?}")),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<Index>().prop_map(Mutation::Delete),
        1 => any::<Index>().prop_map(Mutation::Duplicate),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        1 => (any::<Index>(), any::<Index>(), 0usize..=8, any_text())
            .prop_map(|(line, at, len, text)| Mutation::Replace(line, at, len, text)),
        4 => (any::<Index>(), toml_value()).prop_map(|(line, value)| Mutation::Revalue(line, value)),
    ]
}

fn mutate(lines: &mut Vec<String>, m: &Mutation) {
    if lines.is_empty() {
        return;
    }
    match m {
        Mutation::Delete(i) => {
            lines.remove(i.index(lines.len()));
        }
        Mutation::Duplicate(i) => {
            let i = i.index(lines.len());
            lines.insert(i, lines[i].clone());
        }
        Mutation::Swap(a, b) => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
        }
        Mutation::Replace(line, at, len, text) => {
            let n = line.index(lines.len());
            let line = &mut lines[n];
            let chars: Vec<char> = line.chars().collect();
            let start = at.index(chars.len() + 1);
            let end = (start + len).min(chars.len());
            let mut changed: String = chars[..start].iter().collect();
            changed.push_str(text);
            changed.extend(&chars[end..]);
            *line = changed;
        }
        Mutation::Revalue(i, value) => {
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|&n| {
                    lines[n].split_once(" = ").is_some_and(|(key, _)| {
                        let key = key.trim();
                        !key.is_empty()
                            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    })
                })
                .collect();
            if keyed.is_empty() {
                return;
            }
            let n = keyed[i.index(keyed.len())];
            let key = lines[n]
                .split_once(" = ")
                .expect("a key = value line")
                .0
                .to_string();
            lines[n] = format!("{key} = {value}");
        }
    }
}

/// Whether an interval holds at least one value, read from its edges.
fn non_empty(i: &Interval) -> bool {
    match (i.lower, i.upper) {
        (Some(lo), Some(hi)) => {
            lo.value < hi.value || (lo.value == hi.value && lo.inclusive && hi.inclusive)
        }
        _ => true,
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn ledger_parsers_never_panic(text in prop_oneof![any_text(), ledger_like_text()]) {
        if let Ok(x) = parse_amount(&text) {
            prop_assert!(x.normalize().scale() <= 2, "{:?} → {} has more than 2 decimals", text, x);
            prop_assert!(x.abs() <= MAX_MAGNITUDE, "{:?} → {}", text, x);
        }
        if let Ok(d) = parse_date(&text) {
            prop_assert!(is_calendar_day(d.year, d.month, d.day), "{:?} → {:?}", text, d);
            prop_assert_eq!(parse_date(&d.to_string()), Ok(d));
        }
        if let Ok((v, _)) = parse_value(&text) {
            prop_assert!(v.abs() <= MAX_MAGNITUDE, "{:?} → {}", text, v);
        }
        if let Some(v) = parse_plain(&text) {
            prop_assert_eq!(parse_plain(&v.to_string()), Some(v), "{:?}", text);
        }
        let folded = fold_width(&text).into_owned();
        prop_assert_eq!(folded.chars().count(), text.chars().count());
        prop_assert_eq!(fold_width(&folded), folded.as_str());
    }

    #[test]
    fn scheme_text_parsers_never_panic(
        text in prop_oneof![any_text(), target_text(), interval_text(), formula_text()],
    ) {
        let quantities = [Quantity::parse(&text), Target::parse(&text).map(|t| t.quantity)];
        for q in quantities.into_iter().flatten() {
            prop_assert!(q.value.abs() <= MAX_MAGNITUDE, "{:?} → {}", text, q.value);
        }
        if let Ok(i) = Interval::parse(&text) {
            prop_assert!(non_empty(&i), "{:?} → {:?} holds nothing", text, i);
            for edge in [i.lower, i.upper].into_iter().flatten() {
                prop_assert!(edge.value.abs() <= MAX_MAGNITUDE, "{:?} → {:?}", text, i);
                if edge.inclusive {
                    prop_assert!(i.contains(edge.value), "{:?} → {:?}", text, i);
                }
            }
        }
        if let Ok(e) = Expr::parse(&text) {
            let shown = e.to_string();
            prop_assert_eq!(Expr::parse(&shown), Ok(e), "{:?} shown as {:?}", text, shown);
        }
    }

    #[test]
    fn numbers_past_10_to_the_15th_are_not_targets(
        excess in prop_oneof![1i64..=100, 1i64..=1_000_000_000_000_000],
        scale in 0u32..=2,
        cmp in select(vec![">=", "≥", "<=", "=", "<"]),
        unit in select(vec!["", " 件", "元", "%"]),
    ) {
        // 10^15 + excess / 10^scale: just past the bound, or far past it
        let big = MAX_MAGNITUDE + dec(excess, scale);
        let pct = if unit == "%" { Decimal::ONE_HUNDRED } else { Decimal::ONE };
        // in % the written number is 100 times the base value
        let written = big * pct;
        prop_assert!(Target::parse(&format!("{cmp} {written}{unit}")).is_err(), "{} {}{}", cmp, written, unit);
        prop_assert!(Quantity::parse(&format!("-{written}{unit}")).is_err(), "-{}{}", written, unit);
        // 万元: the bound is on the 元 value
        let wan = big / Decimal::from(10_000);
        prop_assert!(Target::parse(&format!("{cmp} {wan}万元")).is_err(), "{} {}万元", cmp, wan);
        // the bound itself is a target (written as such, so 10^15% is a fraction of 10^13)
        prop_assert_eq!(
            Target::parse(&format!("{cmp} {MAX_MAGNITUDE}{unit}")).map(|t| t.value()),
            Ok(MAX_MAGNITUDE / pct)
        );
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn scheme_parse_never_panics_on_text(text in any_text()) {
        if let Ok(s) = scheme::parse(path(), &text) {
            check_weights_add_up(&s)?;
            check_bounds(&s)?;
        }
    }

    #[test]
    fn scheme_parse_never_panics_on_mixed_lines(
        lines in prop::collection::vec(select(LEGAL_AID.lines().collect::<Vec<_>>()), 0..=120),
    ) {
        let text = lines.join("\n");
        if let Ok(s) = scheme::parse(path(), &text) {
            check_weights_add_up(&s)?;
            check_bounds(&s)?;
        }
    }

    #[test]
    fn scheme_parse_never_panics_on_a_mutated_scheme(mutations in prop::collection::vec(mutation(), 1..=4)) {
        let mut lines: Vec<String> = LEGAL_AID.lines().map(String::from).collect();
        for m in &mutations {
            mutate(&mut lines, m);
        }
        let text = lines.join("\n") + "\n";
        match scheme::parse(path(), &text) {
            Ok(s) => {
                check_weights_add_up(&s)?;
                check_bounds(&s)?;
            }
            Err(problems) => prop_assert!(problems.has_errors(), "rejected without an error:\n{}", text),
        }
    }

    #[test]
    fn schemes_refuse_targets_past_10_to_the_15th_and_points_past_a_million(
        excess in prop_oneof![1i64..=100, 1i64..=1_000_000_000_000],
        scale in 0u32..=2,
        quoted in any::<bool>(),
    ) {
        let over = dec(excess, scale);
        let load = |from: &str, to: String| {
            assert!(LEGAL_AID.contains(from), "{from} is in the shipped scheme");
            scheme::parse(path(), &LEGAL_AID.replace(from, &to))
        };
        let target = "target = \">= 120 件\"";
        let big = MAX_MAGNITUDE + over;
        prop_assert!(load(target, format!("target = \">= {big} 件\"")).is_err(), ">= {} 件", big);
        let wan = big / Decimal::from(10_000);
        prop_assert!(load(target, format!("target = \">= {wan}万元\"")).is_err(), ">= {}万元", wan);
        let at_bound = load(target, format!("target = \">= {MAX_MAGNITUDE} 件\""));
        prop_assert!(at_bound.is_ok(), "10^15 is a target");

        let points = "points = 1 }";
        let many = Decimal::from(1_000_000) + over;
        let written = if quoted { format!("\"{many}\"") } else { many.to_string() };
        prop_assert!(load(points, format!("points = {written} }}")).is_err(), "points = {}", written);
        let at_bound = load(points, "points = 1000000 }".into());
        prop_assert!(at_bound.is_ok(), "10^6 is a number of points");
    }
}

#[test]
fn the_shipped_scheme_loads_and_adds_up() {
    let s = scheme::parse(path(), LEGAL_AID).expect("the shipped scheme loads");
    check_weights_add_up(&s).expect("weights add up");
    check_bounds(&s).expect("within bounds");
    assert_eq!(s.total, dec(100, 0));
}

// ───────────────────────────── 2. round trips ─────────────────────────────

/// 10^15 元 in fen: the largest amount accepted.
const LIMIT_FEN: i64 = 100_000_000_000_000_000;

/// Amounts in fen: small, ordinary, and up to twice the bound, with the neighbours of the
/// bound itself.
fn fen() -> impl Strategy<Value = i64> {
    prop_oneof![
        -100_000i64..=100_000,
        -10_000_000_000i64..=10_000_000_000,
        -2 * LIMIT_FEN..=2 * LIMIT_FEN,
        (-1_000i64..=1_000).prop_map(|d| LIMIT_FEN + d),
        (-1_000i64..=1_000).prop_map(|d| -LIMIT_FEN + d),
    ]
}

/// How an amount is written.
#[derive(Debug, Clone)]
struct AmountStyle {
    /// `-`, `()` or `（）` around a negative amount.
    negative: &'static str,
    /// `¥`, `￥` or nothing.
    currency: &'static str,
    thousands: bool,
    /// Trailing zeros of the fen dropped (`1234.5`, `1234`).
    trim: bool,
    /// `元` after the number.
    yuan: bool,
    full_width: bool,
    before: &'static str,
    after: &'static str,
}

fn amount_style() -> impl Strategy<Value = AmountStyle> {
    let pad = || select(vec!["", " ", "  ", "\t", "\u{3000}"]);
    (
        select(vec!["-", "()", "（）"]),
        select(vec!["", "¥", "￥"]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        pad(),
        pad(),
    )
        .prop_map(
            |(negative, currency, thousands, trim, yuan, full_width, before, after)| AmountStyle {
                negative,
                currency,
                thousands,
                trim,
                yuan,
                full_width,
                before,
                after,
            },
        )
}

/// The integer and decimal digits of `|units| / 10^places`: `(12345, 2)` → ("123", "45").
fn digits(units: i64, places: u32) -> (String, String) {
    let a = units.unsigned_abs();
    let f = 10u64.pow(places);
    let frac = if places == 0 {
        String::new()
    } else {
        format!("{:0width$}", a % f, width = places as usize)
    };
    ((a / f).to_string(), frac)
}

/// An amount in fen written in a style, built from the integer alone.
fn amount_text(fen: i64, style: &AmountStyle) -> String {
    let (int, frac) = digits(fen, 2);
    let int = if style.thousands {
        with_thousands(&int)
    } else {
        int
    };
    let frac = if style.trim {
        frac.trim_end_matches('0')
    } else {
        &frac
    };
    let number = if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    };
    let body = format!(
        "{}{number}{}",
        style.currency,
        if style.yuan { "元" } else { "" }
    );
    let signed = match (fen < 0, style.negative) {
        (false, _) => body,
        (true, "-") => format!("-{body}"),
        (true, "()") => format!("({body})"),
        (true, _) => format!("（{body}）"),
    };
    let signed = if style.full_width {
        full_width(&signed)
    } else {
        signed
    };
    format!("{}{signed}{}", style.before, style.after)
}

/// An amount in fen written exactly in 万 (fen / 10^6), trailing zeros trimmed.
fn wan_text(fen: i64, thousands: bool, suffix: &str) -> String {
    let (int, frac) = digits(fen, 6);
    let int = if thousands { with_thousands(&int) } else { int };
    let frac = frac.trim_end_matches('0');
    let sign = if fen < 0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}{suffix}")
    } else {
        format!("{sign}{int}.{frac}{suffix}")
    }
}

/// A calendar day, mostly in the years ledgers use.
fn calendar_day() -> impl Strategy<Value = (i32, u32, u32)> {
    (
        prop_oneof![3 => 1990i32..=2100, 1 => 1i32..=9999],
        1u32..=12,
    )
        .prop_flat_map(|(y, m)| (Just(y), Just(m), 1..=days_in_month(y, m)))
}

/// A year, month and day that is not a day of the calendar.
fn impossible_day() -> impl Strategy<Value = (i32, u32, u32)> {
    prop_oneof![
        (1i32..=9999, 0u32..=99, 0u32..=99),
        (1i32..=9999, 29u32..=31).prop_map(|(y, d)| (y, 2, d)),
        (1i32..=9999, 1u32..=12).prop_map(|(y, m)| (y, m, 0)),
        (1i32..=9999, 1u32..=12).prop_map(|(y, m)| (y, m, days_in_month(y, m) + 1)),
        (1i32..=9999, 13u32..=99, 1u32..=28),
        (1i32..=9999, 1u32..=28).prop_map(|(y, d)| (y, 0, d)),
    ]
    .prop_filter("not a day of the calendar", |&(y, m, d)| {
        !is_calendar_day(y, m, d)
    })
}

/// The ways ledgers write a date.
fn date_forms(y: i32, m: u32, d: u32) -> Vec<String> {
    vec![
        format!("{y:04}-{m:02}-{d:02}"),
        format!("{y:04}-{m}-{d}"),
        format!("{y:04}/{m}/{d}"),
        format!("{y:04}/{m:02}/{d:02}"),
        format!("{y:04}.{m}.{d}"),
        format!("{y:04}年{m}月{d}日"),
        format!("{y:04}{m:02}{d:02}"),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn amounts_read_back_in_every_style(fen in fen(), style in amount_style()) {
        let want = (fen.abs() <= LIMIT_FEN).then(|| dec(fen, 2));
        let text = amount_text(fen, &style);
        prop_assert_eq!(parse_amount(&text).ok(), want, "{:?}", text);
        let shown = fixed(dec(fen, 2), 2);
        prop_assert_eq!(parse_amount(&shown).ok(), want, "{:?}", shown);
    }

    #[test]
    fn amounts_read_back_from_wan(
        fen in fen(),
        thousands in any::<bool>(),
        suffix in select(vec!["万", "万元", " 万元"]),
        full in any::<bool>(),
    ) {
        let want = (fen.abs() <= LIMIT_FEN).then(|| dec(fen, 2));
        let text = wan_text(fen, thousands, suffix);
        let text = if full { full_width(&text) } else { text };
        prop_assert_eq!(parse_amount(&text).ok(), want, "{:?}", text);
    }

    #[test]
    fn a_significant_third_decimal_is_rejected(
        mills in (-100_000_000_000_000_000i64..=100_000_000_000_000_000).prop_filter("a third decimal", |n| n % 10 != 0),
        style in amount_style(),
    ) {
        // n/1000 元 written out with its three decimals (and trailing zeros, sometimes)
        let (int, frac) = digits(mills, 3);
        let int = if style.thousands { with_thousands(&int) } else { int };
        let zeros = if style.trim { "" } else { "00" };
        let sign = if mills < 0 { "-" } else { "" };
        let text = format!("{}{sign}{}{int}.{frac}{zeros}{}", style.before, style.currency, style.after);
        prop_assert!(parse_amount(&text).is_err(), "{:?} accepted as {:?}", text, parse_amount(&text));
    }

    #[test]
    fn a_significant_third_decimal_is_rejected_in_wan(
        n in (-1_000_000_000_000i64..=1_000_000_000_000).prop_filter("a last digit", |n| n % 10 != 0),
        places in 7u32..=10,
        suffix in select(vec!["万", "万元"]),
    ) {
        // n / 10^places 万 = n / 10^(places − 4) 元: three or more decimals of 元
        let text = format!("{}{suffix}", dec(n, places));
        prop_assert!(parse_amount(&text).is_err(), "{:?} accepted as {:?}", text, parse_amount(&text));
    }

    #[test]
    fn dates_read_back_in_every_form((y, m, d) in calendar_day(), pad in select(vec!["", " ", "\u{3000}"])) {
        let want = Date { year: y, month: m, day: d };
        let mut forms = date_forms(y, m, d);
        forms.push(want.to_string());
        for text in forms {
            prop_assert_eq!(parse_date(&text), Ok(want), "{:?}", text);
            let full = full_width(&text);
            prop_assert_eq!(parse_date(&full), Ok(want), "{:?}", full);
            let padded = format!("{pad}{text}{pad}");
            prop_assert_eq!(parse_date(&padded), Ok(want), "{:?}", padded);
        }
    }

    #[test]
    fn impossible_dates_are_rejected((y, m, d) in impossible_day()) {
        for text in date_forms(y, m, d) {
            prop_assert!(parse_date(&text).is_err(), "{:?} accepted as {:?}", text, parse_date(&text));
            let full = full_width(&text);
            prop_assert!(parse_date(&full).is_err(), "{:?} accepted", full);
        }
    }

    #[test]
    fn values_read_back(
        n in prop_oneof![-100_000i64..=100_000, -1_000_000_000_000_000i64..=1_000_000_000_000_000],
        scale in 0u32..=3,
        thousands in any::<bool>(),
        pct in any::<bool>(),
    ) {
        let v = dec(n, scale);
        let (int, frac) = digits(n, scale);
        let int = if thousands { with_thousands(&int) } else { int };
        let sign = if n < 0 { "-" } else { "" };
        let point = if frac.is_empty() { "" } else { "." };
        let text = format!("{sign}{int}{point}{frac}{}", if pct { "%" } else { "" });
        let want = v.abs() <= MAX_MAGNITUDE;
        prop_assert_eq!(parse_value(&text).ok(), want.then_some((v, pct)), "{:?}", text);
    }

    #[test]
    fn any_digit_past_the_fen_is_rejected(int in "[0-9]{1,3}", cents in "[0-9]{2}", zeros in 0usize..=32, last in 1u32..=9) {
        let text = format!("{int}.{cents}{}{last}", "0".repeat(zeros));
        prop_assert!(parse_amount(&text).is_err(), "{} accepted as {:?}", text, parse_amount(&text));
    }

    #[test]
    fn values_have_at_most_one_sign(text in "[-+ ]{0,4}[0-9]{1,3}(\\.[0-9])?%?") {
        if let Ok((v, _)) = parse_value(&text) {
            let minus = text.matches('-').count();
            prop_assert!(minus <= 1, "{:?} accepted as {}", text, v);
            prop_assert_eq!(v < Decimal::ZERO, minus == 1 && !v.is_zero(), "{:?} → {}", text, v);
        }
    }
}

// ───────────────────────────── 3. rounding ─────────────────────────────

/// 四舍五入 on integers: n / 10^scale rounded to `places`, half away from zero.
fn reference_round(n: i64, scale: u32, places: u32) -> Decimal {
    if places >= scale {
        return dec(n, scale);
    }
    let q = 10i128.pow(scale - places);
    let n = i128::from(n);
    // (n + 5·sign(n)·10^(k−1)) / 10^k, truncated toward zero
    let rounded = (n + n.signum() * (q / 2)) / q;
    Decimal::from_i128_with_scale(rounded, places)
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn round_half_up_matches_integer_rounding(
        n in prop_oneof![-1_000_000_000_000_000i64..=1_000_000_000_000_000, -20_000i64..=20_000],
        scale in 0u32..=12,
        places in 0u32..=12,
    ) {
        let x = dec(n, scale);
        prop_assert_eq!(round_half_up(x, places), reference_round(n, scale, places), "{} to {}", x, places);
    }

    #[test]
    fn thousandths_round_like_fen(n in -10_000_000_000i64..=10_000_000_000) {
        // x = n/1000: (n + 5·sign(n)) / 10 truncated, in fen
        let fen = (n + 5 * n.signum()) / 10;
        prop_assert_eq!(round_half_up(dec(n, 3), 2), dec(fen, 2));
        prop_assert_eq!(round_score(dec(n, 3)), dec(fen, 2));
    }

    #[test]
    fn rounding_is_idempotent_close_and_symmetric(
        n in any::<i64>(),
        scale in 0u32..=18,
        places in 0u32..=6,
    ) {
        let x = dec(n, scale);
        let r = round_half_up(x, places);
        prop_assert_eq!(round_half_up(r, places), r);
        prop_assert!((r - x).abs() <= dec(5, places + 1), "{} → {}", x, r);
        prop_assert_eq!(round_half_up(-x, places), -r);
        prop_assert!(r.scale() <= places);
        prop_assert_eq!(round_score(x), round_half_up(x, 2));
        prop_assert_eq!(round_rate(x), round_half_up(x, 4));
    }

    #[test]
    fn fixed_and_percent_show_the_rounded_value(n in any::<i64>(), scale in 0u32..=10, places in 0u32..=6) {
        let x = dec(n, scale);
        let text = fixed(x, places);
        let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
        prop_assert_eq!(decimals, places as usize, "{}", text);
        prop_assert_eq!(parse_plain(&text), Some(round_half_up(x, places)));
        let p = percent(x);
        let hundredfold = fixed(x * Decimal::ONE_HUNDRED, 2);
        prop_assert_eq!(p.strip_suffix('%'), Some(hundredfold.as_str()));
    }
}

// ───────────────────────────── 4. scoring rules ─────────────────────────────

/// A ladder of bands from sorted cut points: (−∞, c0), [c0, c1), …, [c_last, +∞), written as
/// text and read with Interval::parse. Scores are shares (percent) of the weight, some
/// above 100% to exercise the cap.
fn ladder(cuts: &[Decimal], shares: &[u32], weight: Decimal) -> Vec<Band> {
    let mut ranges = vec![format!("(-∞, {})", cuts[0])];
    for pair in cuts.windows(2) {
        ranges.push(format!("[{}, {})", pair[0], pair[1]));
    }
    ranges.push(format!("[{}, +∞)", cuts[cuts.len() - 1]));
    ranges
        .into_iter()
        .zip(shares.iter().cycle())
        .map(|(range_text, share)| Band {
            range: Interval::parse(&range_text).expect("a well-formed band"),
            range_text,
            score: round_half_up(weight * Decimal::from(*share) / Decimal::ONE_HUNDRED, 2),
        })
        .collect()
}

fn cuts() -> impl Strategy<Value = Vec<Decimal>> {
    prop::collection::btree_set(-100_000i64..=1_000_000, 1..=5)
        .prop_map(|set| set.into_iter().map(|c| dec(c, 2)).collect())
}

#[derive(Debug, Clone)]
struct RuleParams {
    step: Decimal,
    points: Decimal,
    whole_steps: bool,
    within: Decimal,
    zero_at: Decimal,
    cuts: Vec<Decimal>,
    shares: Vec<u32>,
    checklist: Vec<Decimal>,
}

fn rule_params() -> impl Strategy<Value = RuleParams> {
    (
        (1i64..=100_000, 0u32..=4).prop_map(|(n, s)| dec(n, s)),
        (0i64..=10_000, 0u32..=2).prop_map(|(n, s)| dec(n, s)),
        any::<bool>(),
        (0i64..=100, 1i64..=100).prop_map(|(w, extra)| (dec(w, 2), dec(w + extra, 2))),
        cuts(),
        prop::collection::vec(0u32..=150, 1..=6),
        prop::collection::vec((0i64..=2_000).prop_map(|n| dec(n, 2)), 0..=5),
    )
        .prop_map(
            |(step, points, whole_steps, (within, zero_at), cuts, shares, checklist)| RuleParams {
                step,
                points,
                whole_steps,
                within,
                zero_at,
                cuts,
                shares,
                checklist,
            },
        )
}

/// Every rule function's score for one target, actual and weight.
fn all_scores(
    cmp: Comparator,
    target: Decimal,
    actual: Decimal,
    weight: Decimal,
    p: &RuleParams,
    with_reverse_deviation: bool,
) -> Vec<(&'static str, Decimal)> {
    let gap = rules::gap(cmp, target, actual);
    let mut scores = vec![
        ("proportional", rules::proportional(target, actual, weight)),
        ("inverse", rules::inverse(target, actual, weight)),
        ("equal_zero", rules::equal_zero(actual, weight)),
        (
            "bands",
            rules::bands(&ladder(&p.cuts, &p.shares, weight), actual, weight).0,
        ),
        (
            "deduct_per_point",
            rules::deduct_per_point(gap, p.step, p.points, p.whole_steps, weight),
        ),
        (
            "deduct_per_case",
            rules::deduct_per_case(actual, p.points, weight),
        ),
        ("binary", rules::binary(cmp, target, actual, weight)),
        (
            "tolerance",
            rules::tolerance(target, actual, p.within, p.zero_at, weight),
        ),
        (
            "checklist",
            rules::checklist(p.checklist.iter().copied(), weight),
        ),
    ];
    if with_reverse_deviation {
        scores.push((
            "reverse_deviation",
            rules::reverse_deviation(target, actual, weight),
        ));
    }
    scores
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_rule_scores_between_zero_and_the_weight(
        cmp in comparator(),
        target in target_value(),
        actual in actual_value(),
        weight in weight(),
        p in rule_params(),
    ) {
        for (rule, score) in all_scores(cmp, target, actual, weight, &p, true) {
            prop_assert!(Decimal::ZERO <= score && score <= weight, "{}: {} not in 0..={}", rule, score, weight);
            let shown = round_score(score);
            prop_assert!(Decimal::ZERO <= shown && shown <= weight, "{}: rounded {} not in 0..={}", rule, shown, weight);
        }
    }

    #[test]
    fn extreme_values_stay_within_the_weight(
        cmp in comparator(),
        target in prop_oneof![
            (0i64..=1_000_000_000_000_000, 0u32..=28).prop_map(|(n, s)| dec(n, s)),
            Just(dec(1, 28)),
            Just(dec(1_000_000_000_000_000, 0)),
        ],
        actual in prop_oneof![
            (-1_000_000_000_000_000i64..=1_000_000_000_000_000, 0u32..=28).prop_map(|(n, s)| dec(n, s)),
            Just(dec(1_000_000_000_000_000, 0)),
            Just(dec(-1_000_000_000_000_000, 0)),
        ],
        weight in (1i64..=100_000_000).prop_map(|n| dec(n, 2)),
        step in prop_oneof![Just(dec(1, 28)), (1i64..=1_000_000_000, 0u32..=12).prop_map(|(n, s)| dec(n, s))],
        points in prop_oneof![Just(dec(1_000_000, 0)), (0i64..=1_000_000, 0u32..=4).prop_map(|(n, s)| dec(n, s))],
        whole in any::<bool>(),
    ) {
        // the bounds the crate accepts: amounts, counts and targets to 10^15, points to 10^6
        let p = RuleParams {
            step,
            points,
            whole_steps: whole,
            within: dec(1, 28),
            zero_at: dec(2, 28),
            cuts: vec![dec(-1_000_000_000_000_000, 0), dec(1, 28), dec(1_000_000_000_000_000, 0)],
            shares: vec![0, 100, 50, 150],
            checklist: vec![points; 3],
        };
        // reverse_deviation included: it once overflowed here (its own property below
        // checks it on its own)
        for (rule, score) in all_scores(cmp, target, actual, weight, &p, true) {
            prop_assert!(Decimal::ZERO <= score && score <= weight, "{}: {} not in 0..={}", rule, score, weight);
        }
        let _ = rules::over_completed(target, actual, dec(13, 1));
        let r = rules::rescale(weight, weight, dec(100, 0));
        prop_assert_eq!(r, dec(100, 0));
    }

    #[test]
    fn reverse_deviation_survives_extreme_values(
        target in (1i64..=1_000_000, 0u32..=28).prop_map(|(n, s)| dec(n, s)),
        actual in (0i64..=1_000_000_000_000_000).prop_map(|n| dec(n, 0)),
        weight in (1i64..=100_000_000).prop_map(|n| dec(n, 2)),
    ) {
        let score = std::panic::catch_unwind(|| rules::reverse_deviation(target, actual, weight));
        prop_assert!(score.is_ok(), "reverse_deviation({}, {}, {}) panicked", target, actual, weight);
        let score = score.unwrap();
        prop_assert!(Decimal::ZERO <= score && score <= weight);
    }

    #[test]
    fn full_marks_when_the_target_is_met(target in target_value(), weight in weight(), over in decimal(0, 1_000_000)) {
        prop_assert_eq!(rules::proportional(target, target + over, weight), weight);
        prop_assert_eq!(rules::inverse(target, target - over, weight), weight);
        prop_assert_eq!(rules::reverse_deviation(target, target - over, weight), weight);
        prop_assert_eq!(rules::gap(Comparator::AtLeast, target, target + over), Decimal::ZERO);
        prop_assert_eq!(rules::gap(Comparator::AtMost, target, target - over), Decimal::ZERO);
        prop_assert_eq!(rules::deduct_per_case(Decimal::ZERO, dec(1, 0), weight), weight);
        prop_assert_eq!(rules::tolerance(target, target, Decimal::ZERO, dec(1, 1), weight), weight);
    }

    #[test]
    fn higher_actuals_never_score_less_on_higher_is_better_rules(
        target in target_value(),
        (a, b) in ordered_actuals(),
        weight in weight(),
        p in rule_params(),
    ) {
        prop_assert!(rules::proportional(target, a, weight) <= rules::proportional(target, b, weight));
        for cmp in [Comparator::AtLeast, Comparator::MoreThan, Comparator::Equal] {
            for whole in [false, true] {
                let low = rules::deduct_per_point(rules::gap(cmp, target, a), p.step, p.points, whole, weight);
                let high = rules::deduct_per_point(rules::gap(cmp, target, b), p.step, p.points, whole, weight);
                prop_assert!(low <= high, "{:?} whole={}: {} > {}", cmp, whole, low, high);
            }
        }
    }

    #[test]
    fn higher_actuals_never_score_more_on_lower_is_better_rules(
        target in target_value(),
        (a, b) in ordered_actuals(),
        weight in weight(),
        p in rule_params(),
    ) {
        prop_assert!(rules::inverse(target, a, weight) >= rules::inverse(target, b, weight));
        prop_assert!(rules::reverse_deviation(target, a, weight) >= rules::reverse_deviation(target, b, weight));
        prop_assert!(rules::equal_zero(a, weight) >= rules::equal_zero(b, weight));
        prop_assert!(rules::deduct_per_case(a, p.points, weight) >= rules::deduct_per_case(b, p.points, weight));
        for cmp in [Comparator::AtMost, Comparator::LessThan] {
            let low = rules::deduct_per_point(rules::gap(cmp, target, a), p.step, p.points, p.whole_steps, weight);
            let high = rules::deduct_per_point(rules::gap(cmp, target, b), p.step, p.points, p.whole_steps, weight);
            prop_assert!(low >= high);
        }
        // tolerance: further from the target (on one side) never scores more
        if target <= a {
            prop_assert!(rules::tolerance(target, a, p.within, p.zero_at, weight) >= rules::tolerance(target, b, p.within, p.zero_at, weight));
        }
    }

    #[test]
    fn whole_steps_never_deduct_more(gap in decimal(0, 1_000_000_000), weight in weight(), p in rule_params()) {
        let whole = rules::deduct_per_point(gap, p.step, p.points, true, weight);
        let exact = rules::deduct_per_point(gap, p.step, p.points, false, weight);
        prop_assert!(whole >= exact, "whole {} < exact {}", whole, exact);
    }

    #[test]
    fn gap_is_the_shortfall_or_excess(cmp in comparator(), target in target_value(), actual in actual_value()) {
        let gap = rules::gap(cmp, target, actual);
        prop_assert!(gap >= Decimal::ZERO);
        let want = if cmp.higher_is_better() { target - actual } else { actual - target };
        prop_assert_eq!(gap, want.max(Decimal::ZERO));
    }

    #[test]
    fn a_full_ladder_places_every_actual_in_exactly_one_band(cuts in cuts(), shares in prop::collection::vec(0u32..=100, 1..=6), weight in weight(), actual in actual_value()) {
        let bands = ladder(&cuts, &shares, weight);
        let holding: Vec<usize> = (0..bands.len()).filter(|&i| bands[i].range.contains(actual)).collect();
        prop_assert_eq!(holding.len(), 1, "{} in {:?}", actual, holding);
        let (score, used) = rules::bands(&bands, actual, weight);
        prop_assert_eq!(used, Some(holding[0]));
        prop_assert_eq!(score, bands[holding[0]].score);
    }

    #[test]
    fn default_tiers_partition_the_weight((w, s) in (1i64..=100_000).prop_flat_map(|w| (Just(w), -5i64..=w + 5))) {
        let (weight, score) = (dec(w, 2), dec(s, 2));
        let tiers = Tiers::default();
        let inside = [Tier::Achieved, Tier::Partial, Tier::NotAchieved]
            .into_iter()
            .filter(|&t| rules::in_tier(t, &tiers, weight, score))
            .count();
        let want = usize::from((0..=w).contains(&s));
        prop_assert_eq!(inside, want, "score {} of weight {}", score, weight);
    }

    #[test]
    fn any_ordered_tiers_partition_the_weight(
        (partial, achieved) in (1i64..=99).prop_flat_map(|p| (Just(p), p + 1..=100)),
        (w, s) in (1i64..=100_000).prop_flat_map(|w| (Just(w), 0..=w)),
    ) {
        let tiers = Tiers { achieved_min: dec(achieved, 2), partial_min: dec(partial, 2) };
        let (weight, score) = (dec(w, 2), dec(s, 2));
        let inside: Vec<Tier> = [Tier::Achieved, Tier::Partial, Tier::NotAchieved]
            .into_iter()
            .filter(|&t| rules::in_tier(t, &tiers, weight, score))
            .collect();
        prop_assert_eq!(inside.len(), 1, "{} of {} with {:?}: {:?}", score, weight, tiers, inside);
        let (low, high, _) = rules::tier_range(inside[0], &tiers, weight);
        prop_assert!(low <= score && score <= high);
    }

    #[test]
    fn rescaling_never_exceeds_the_total(
        (applicable, sum) in (1i64..=100_000_000).prop_flat_map(|a| (Just(a), 0..=a)),
        total in (1i64..=100_000).prop_map(|t| dec(t, 2)),
    ) {
        let (applicable, sum) = (dec(applicable, 2), dec(sum, 2));
        let r = rules::rescale(sum, applicable, total);
        prop_assert!(Decimal::ZERO <= r && r <= total, "{} × {} / {} = {}", sum, total, applicable, r);
        prop_assert!(round_score(r) <= total);
        prop_assert_eq!(rules::rescale(applicable, applicable, total), total);
    }

    #[test]
    fn rescaled_totals_round_like_the_documented_formula(
        (applicable, sum) in (1i64..=20_000).prop_flat_map(|a| (Just(a), 0..=a)),
        total in prop_oneof![Just(10_000i64), 1i64..=20_000],
    ) {
        // Σscore × total / Σapplicable, all in fen, rounded 四舍五入 to fen with integers:
        // value = S·T / (A·100) 元 → fen = round(S·T / A)
        let (s, a, t) = (i128::from(sum), i128::from(applicable), i128::from(total));
        let want = (2 * s * t + a) / (2 * a);
        let r = rules::rescale(dec(sum, 2), dec(applicable, 2), dec(total, 2));
        prop_assert_eq!(
            round_score(r),
            Decimal::from_i128_with_scale(want, 2),
            "{} × {} / {} = {}", dec(sum, 2), dec(total, 2), dec(applicable, 2), r
        );
    }

    #[test]
    fn over_completion_compares_the_ratio(
        target in (1i64..=100_000_000_000).prop_map(|t| dec(t, 2)),
        actual in (-100_000_000_000i64..=100_000_000_000).prop_map(|a| dec(a, 2)),
        threshold in (101i64..=300).prop_map(|t| dec(t, 2)),
    ) {
        prop_assert_eq!(rules::over_completed(target, actual, threshold), actual >= target * threshold);
        prop_assert!(!rules::over_completed(Decimal::ZERO, actual, threshold));
    }
}

// ───────────────────────────── 5. formulas ─────────────────────────────

/// A metric's value in these tests, derived from its name; some are 0 to reach the zero
/// denominators, some negative.
fn metric_value(name: &str) -> Decimal {
    let sum: i64 = name.bytes().map(i64::from).sum();
    dec(sum % 41 - 20, 1)
}

/// Integer arithmetic trees, evaluated independently in i128 (literals below 100 and depth
/// at most 3 keep every value below 10^17, far from any overflow).
#[derive(Debug, Clone)]
enum Tree {
    Lit(i64),
    Neg(Box<Tree>),
    Add(Box<Tree>, Box<Tree>),
    Sub(Box<Tree>, Box<Tree>),
    Mul(Box<Tree>, Box<Tree>),
}

impl Tree {
    fn value(&self) -> i128 {
        match self {
            Tree::Lit(n) => i128::from(*n),
            Tree::Neg(a) => -a.value(),
            Tree::Add(a, b) => a.value() + b.value(),
            Tree::Sub(a, b) => a.value() - b.value(),
            Tree::Mul(a, b) => a.value() * b.value(),
        }
    }

    /// Fully parenthesised text: `((1 + 2) * -(3))`.
    fn text(&self) -> String {
        match self {
            Tree::Lit(n) => n.to_string(),
            Tree::Neg(a) => format!("-({})", a.text()),
            Tree::Add(a, b) => format!("({} + {})", a.text(), b.text()),
            Tree::Sub(a, b) => format!("({} - {})", a.text(), b.text()),
            Tree::Mul(a, b) => format!("({}*{})", a.text(), b.text()),
        }
    }
}

fn tree() -> impl Strategy<Value = Tree> {
    (0i64..100)
        .prop_map(Tree::Lit)
        .prop_recursive(3, 16, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|a| Tree::Neg(Box::new(a))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Tree::Add(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Tree::Sub(Box::new(a), Box::new(b))),
                (inner.clone(), inner).prop_map(|(a, b)| Tree::Mul(Box::new(a), Box::new(b))),
            ]
        })
}

/// Formula trees of the crate's own `Expr`: numbers, metrics, + − × ÷, unary minus, min,
/// max, abs. Without `negated_sums`, a unary minus never applies directly to a binary
/// operation; `formula_display_is_stable` takes the trees that have one (their display once
/// dropped the parentheses of `-(a + b)`).
fn expr_tree(negated_sums: bool) -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        3 => (0i64..100_000, 0u32..=3).prop_map(|(n, s)| Expr::Number(dec(n, s))),
        1 => "[a-z_][a-z0-9_]{0,5}"
            .prop_filter("not a function name", |m| !matches!(m.as_str(), "min" | "max" | "abs"))
            .prop_map(Expr::Metric),
    ];
    leaf.prop_recursive(4, 24, 3, move |inner| {
        let op = prop_oneof![Just(Op::Add), Just(Op::Sub), Just(Op::Mul), Just(Op::Div)];
        let min_max = prop_oneof![Just(Func::Min), Just(Func::Max)];
        prop_oneof![
            3 => (op, inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| Expr::Binary(op, Box::new(a), Box::new(b))),
            1 => inner.clone().prop_map(move |e| {
                if negated_sums || !matches!(e, Expr::Binary(..)) {
                    Expr::Neg(Box::new(e))
                } else {
                    e
                }
            }),
            1 => (min_max, prop::collection::vec(inner.clone(), 1..=3))
                .prop_map(|(f, args)| Expr::Call(f, args)),
            1 => inner.prop_map(|e| Expr::Call(Func::Abs, vec![e])),
        ]
    })
}

#[derive(Debug, PartialEq)]
enum Failure {
    ZeroDenominator,
    Overflow,
}

/// A reference evaluator of `Expr` trees, in the order the crate documents: operands left to
/// right, then the operation.
fn reference_eval(e: &Expr, zero_gives_zero: bool) -> Result<Decimal, Failure> {
    Ok(match e {
        Expr::Number(n) => *n,
        Expr::Metric(m) => metric_value(m),
        Expr::Neg(a) => -reference_eval(a, zero_gives_zero)?,
        Expr::Binary(op, a, b) => {
            let x = reference_eval(a, zero_gives_zero)?;
            let y = reference_eval(b, zero_gives_zero)?;
            let r = match op {
                Op::Add => x.checked_add(y),
                Op::Sub => x.checked_sub(y),
                Op::Mul => x.checked_mul(y),
                Op::Div if y.is_zero() && zero_gives_zero => Some(Decimal::ZERO),
                Op::Div if y.is_zero() => return Err(Failure::ZeroDenominator),
                Op::Div => x.checked_div(y),
            };
            r.ok_or(Failure::Overflow)?
        }
        Expr::Call(f, args) => {
            let values = args
                .iter()
                .map(|a| reference_eval(a, zero_gives_zero))
                .collect::<Result<Vec<_>, _>>()?;
            match f {
                Func::Min => values.iter().copied().fold(values[0], Decimal::min),
                Func::Max => values.iter().copied().fold(values[0], Decimal::max),
                Func::Abs => values[0].abs(),
            }
        }
    })
}

fn eval(e: &Expr, zero_gives_zero: bool) -> Result<Decimal, Failure> {
    e.eval::<()>(&mut |name| Ok(metric_value(name)), zero_gives_zero)
        .map_err(|err| match err {
            EvalError::ZeroDenominator { .. } => Failure::ZeroDenominator,
            EvalError::Overflow => Failure::Overflow,
            EvalError::Lookup(()) => unreachable!("every metric has a value"),
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn formulas_evaluate_like_integer_arithmetic(t in tree()) {
        let text = t.text();
        let parsed = Expr::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(eval(&parsed, false), Ok(Decimal::from_i128_with_scale(t.value(), 0)), "{}", text);
        prop_assert!(parsed.metrics().is_empty());
    }

    #[test]
    fn formulas_read_back_from_their_display(e in expr_tree(false)) {
        let shown = e.to_string();
        let parsed = Expr::parse(&shown).map_err(|err| TestCaseError::fail(format!("{shown}: {err}")))?;
        prop_assert_eq!(&parsed, &e, "{}", shown);
        prop_assert_eq!(parsed.to_string(), shown.clone());
        prop_assert_eq!(parsed.metrics(), e.metrics());
        for zero_gives_zero in [true, false] {
            prop_assert_eq!(eval(&parsed, zero_gives_zero), reference_eval(&e, zero_gives_zero), "{}", shown);
        }
    }

    #[test]
    fn formula_display_is_stable(e in expr_tree(true)) {
        let shown = e.to_string();
        let parsed = Expr::parse(&shown).map_err(|err| TestCaseError::fail(format!("{shown}: {err}")))?;
        prop_assert_eq!(parsed.to_string(), shown);
    }

    #[test]
    fn formula_metrics_are_listed_once_in_order(e in expr_tree(false)) {
        let shown = e.to_string();
        let metrics = e.metrics();
        let mut seen = std::collections::HashSet::new();
        prop_assert!(metrics.iter().all(|m| seen.insert(m.clone())), "{:?}", metrics);
        // first appearances in the text come in the listed order
        let tokens: Vec<&str> = shown
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
            .filter(|t| !matches!(*t, "min" | "max" | "abs"))
            .collect();
        let mut firsts: Vec<&str> = Vec::new();
        for t in tokens {
            if !firsts.contains(&t) {
                firsts.push(t);
            }
        }
        prop_assert_eq!(firsts, metrics.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn any_formula_keeps_its_value_through_display(t in tree()) {
        let parsed = Expr::parse(&t.text()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let shown = parsed.to_string();
        let again = Expr::parse(&shown).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(eval(&again, false), Ok(Decimal::from_i128_with_scale(t.value(), 0)), "{} shown as {}", t.text(), shown);
    }
}

// ───────────────────────────── 6. generated schemes ─────────────────────────────

/// How one generated quantitative indicator is scored.
#[derive(Debug, Clone)]
enum RuleSpec {
    /// No rule written: the default rule for the comparison.
    Default {
        cmp: &'static str,
        unit: &'static str,
    },
    Proportional {
        unit: &'static str,
    },
    Inverse {
        unit: &'static str,
    },
    ReverseDeviation {
        unit: &'static str,
    },
    EqualZero,
    DeductPerCase {
        points: Decimal,
    },
    DeductPerPoint {
        step_pct: Decimal,
        points: Decimal,
        whole: bool,
    },
    Binary {
        cmp: &'static str,
    },
    Tolerance {
        within_pct: i64,
        zero_at_pct: i64,
    },
    Bands {
        cuts: Vec<Decimal>,
        shares: Vec<u32>,
    },
}

#[derive(Debug, Clone)]
struct IndicatorSpec {
    weight: Decimal,
    /// The target as written (before % or 万元 conversion).
    target: Decimal,
    rule: RuleSpec,
    actual: Decimal,
}

fn unit() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(""),
        Just(" 件"),
        Just("%"),
        Just("万元"),
        Just(" 元/件")
    ]
}

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    let points = (1i64..=20, 0u32..=1).prop_map(|(n, s)| dec(n, s));
    prop_oneof![
        (
            prop_oneof![Just(">="), Just(">"), Just("="), Just("<="), Just("<")],
            unit()
        )
            .prop_map(|(cmp, unit)| RuleSpec::Default { cmp, unit }),
        unit().prop_map(|unit| RuleSpec::Proportional { unit }),
        unit().prop_map(|unit| RuleSpec::Inverse { unit }),
        unit().prop_map(|unit| RuleSpec::ReverseDeviation { unit }),
        Just(RuleSpec::EqualZero),
        points
            .clone()
            .prop_map(|points| RuleSpec::DeductPerCase { points }),
        (
            (1i64..=100, 0u32..=1).prop_map(|(n, s)| dec(n, s)),
            points,
            any::<bool>()
        )
            .prop_map(|(step_pct, points, whole)| RuleSpec::DeductPerPoint {
                step_pct,
                points,
                whole
            }),
        prop_oneof![Just(">="), Just(">"), Just("="), Just("<="), Just("<")]
            .prop_map(|cmp| RuleSpec::Binary { cmp }),
        (0i64..=50, 1i64..=50).prop_map(|(w, extra)| RuleSpec::Tolerance {
            within_pct: w,
            zero_at_pct: w + extra
        }),
        (cuts(), prop::collection::vec(0u32..=100, 1..=6))
            .prop_map(|(cuts, shares)| RuleSpec::Bands { cuts, shares }),
    ]
}

fn indicator_spec() -> impl Strategy<Value = IndicatorSpec> {
    (
        (1i64..=40, 0u32..=1).prop_map(|(n, s)| dec(n, s)),
        (1i64..=100_000, 0u32..=2).prop_map(|(n, s)| dec(n, s)),
        rule_spec(),
        actual_value(),
    )
        .prop_map(|(weight, target, rule, actual)| IndicatorSpec {
            weight,
            target,
            rule,
            actual,
        })
}

/// 1–4 dimensions of 1–3 groups of 1–3 indicators.
fn scheme_spec() -> impl Strategy<Value = Vec<Vec<Vec<IndicatorSpec>>>> {
    prop::collection::vec(
        prop::collection::vec(prop::collection::vec(indicator_spec(), 1..=3), 1..=3),
        1..=4,
    )
}

/// A TOML number: an integer, or a float whose shortest text is the decimal itself.
fn toml_number(d: Decimal) -> String {
    plain(d)
}

fn sum(ws: impl IntoIterator<Item = Decimal>) -> Decimal {
    ws.into_iter().sum()
}

fn group_weight(g: &[IndicatorSpec]) -> Decimal {
    sum(g.iter().map(|i| i.weight))
}

fn dimension_weight(d: &[Vec<IndicatorSpec>]) -> Decimal {
    sum(d.iter().map(|g| group_weight(g)))
}

impl IndicatorSpec {
    fn target_text(&self) -> String {
        let a = plain(self.target);
        match &self.rule {
            RuleSpec::Default { cmp, unit } => format!("{cmp} {a}{unit}"),
            RuleSpec::Proportional { unit } => format!(">= {a}{unit}"),
            RuleSpec::Inverse { unit } | RuleSpec::ReverseDeviation { unit } => {
                format!("<= {a}{unit}")
            }
            RuleSpec::EqualZero | RuleSpec::DeductPerCase { .. } => "= 0 件".into(),
            RuleSpec::DeductPerPoint { .. } => format!(">= {a}%"),
            RuleSpec::Binary { cmp } => format!("{cmp} {a}"),
            RuleSpec::Tolerance { .. } => format!("= {a}%"),
            RuleSpec::Bands { .. } => format!(">= {a}"),
        }
    }

    /// The target in base units (a fraction for %, 元 for 万元).
    fn target_base(&self) -> Decimal {
        let unit = match &self.rule {
            RuleSpec::EqualZero | RuleSpec::DeductPerCase { .. } => return Decimal::ZERO,
            RuleSpec::Default { unit, .. }
            | RuleSpec::Proportional { unit }
            | RuleSpec::Inverse { unit }
            | RuleSpec::ReverseDeviation { unit } => *unit,
            RuleSpec::DeductPerPoint { .. } | RuleSpec::Tolerance { .. } => "%",
            RuleSpec::Binary { .. } | RuleSpec::Bands { .. } => "",
        };
        match unit {
            "%" => self.target / Decimal::ONE_HUNDRED,
            "万元" => self.target * Decimal::from(10_000),
            _ => self.target,
        }
    }

    fn rule_text(&self) -> Option<String> {
        Some(match &self.rule {
            RuleSpec::Default { .. } => return None,
            RuleSpec::Proportional { .. } => "{ kind = \"proportional\" }".into(),
            RuleSpec::Inverse { .. } => "{ kind = \"inverse\" }".into(),
            RuleSpec::ReverseDeviation { .. } => "{ kind = \"reverse_deviation\" }".into(),
            RuleSpec::EqualZero => "{ kind = \"equal_zero\" }".into(),
            RuleSpec::DeductPerCase { points } => format!(
                "{{ kind = \"deduct_per_case\", points = {} }}",
                toml_number(*points)
            ),
            RuleSpec::DeductPerPoint {
                step_pct,
                points,
                whole,
            } => format!(
                "{{ kind = \"deduct_per_point\", step = \"{}%\", points = \"{}\", whole_steps = {whole} }}",
                plain(*step_pct),
                plain(*points)
            ),
            RuleSpec::Binary { .. } => "{ kind = \"binary\" }".into(),
            RuleSpec::Tolerance {
                within_pct,
                zero_at_pct,
            } => format!(
                "{{ kind = \"tolerance\", within = \"{within_pct}%\", zero_at = \"{zero_at_pct}%\" }}"
            ),
            RuleSpec::Bands { cuts, shares } => {
                let bands: Vec<String> = self
                    .bands(cuts, shares)
                    .iter()
                    .map(|b| {
                        format!(
                            "{{ range = \"{}\", score = \"{}\" }}",
                            b.range_text, b.score
                        )
                    })
                    .collect();
                format!("{{ kind = \"bands\", bands = [{}] }}", bands.join(", "))
            }
        })
    }

    /// The ladder of a bands rule for a ≥ target: scores rise with the value (a scheme that
    /// pays less for a better result is refused), and the top band scores the full weight.
    fn bands(&self, cuts: &[Decimal], shares: &[u32]) -> Vec<Band> {
        let mut shares: Vec<u32> = shares.iter().cycle().take(cuts.len()).copied().collect();
        shares.sort_unstable();
        shares.push(100);
        ladder(cuts, &shares, self.weight)
    }

    fn expected_key(&self, target: &Target) -> &'static str {
        match &self.rule {
            RuleSpec::Default { .. } => scheme::default_rule(target).key(),
            RuleSpec::Proportional { .. } => "proportional",
            RuleSpec::Inverse { .. } => "inverse",
            RuleSpec::ReverseDeviation { .. } => "reverse_deviation",
            RuleSpec::EqualZero => "equal_zero",
            RuleSpec::DeductPerCase { .. } => "deduct_per_case",
            RuleSpec::DeductPerPoint { .. } => "deduct_per_point",
            RuleSpec::Binary { .. } => "binary",
            RuleSpec::Tolerance { .. } => "tolerance",
            RuleSpec::Bands { .. } => "bands",
        }
    }

    /// An actual value (base units) that meets the target in full.
    fn perfect_actual(&self) -> Decimal {
        let a = self.target_base();
        match &self.rule {
            RuleSpec::EqualZero | RuleSpec::DeductPerCase { .. } => Decimal::ZERO,
            RuleSpec::Binary { cmp: ">" } | RuleSpec::Default { cmp: ">", .. } => a + Decimal::ONE,
            RuleSpec::Binary { cmp: "<" } => a - Decimal::ONE,
            RuleSpec::Bands { cuts, .. } => cuts[cuts.len() - 1] + Decimal::ONE,
            _ => a,
        }
    }
}

fn scheme_text(dims: &[Vec<Vec<IndicatorSpec>>], total: Decimal) -> String {
    const KINDS: [&str; 4] = ["decision", "process", "output", "benefit"];
    let mut out = format!(
        "[scheme]\nid = \"generated\"\ntitle = \"生成的指标体系\"\ntotal = {}\n",
        toml_number(total)
    );
    for (d, groups) in dims.iter().enumerate() {
        out += &format!(
            "\n[[dimension]]\nkind = \"{}\"\nweight = {}\n",
            KINDS[d],
            toml_number(dimension_weight(groups))
        );
        for (g, inds) in groups.iter().enumerate() {
            out += &format!(
                "\n  [[dimension.group]]\n  name = \"二级指标{d}-{g}\"\n  weight = {}\n",
                toml_number(group_weight(inds))
            );
            for (i, ind) in inds.iter().enumerate() {
                out += &format!(
                    "\n    [[dimension.group.indicator]]\n    id = \"I{d}_{g}_{i}\"\n    name = \"三级指标\"\n    weight = {}\n    metric = \"m{d}_{g}_{i}\"\n    target = \"{}\"\n",
                    toml_number(ind.weight),
                    ind.target_text()
                );
                if let Some(rule) = ind.rule_text() {
                    out += &format!("    rule = {rule}\n");
                }
            }
        }
    }
    out
}

/// Score one indicator of a loaded scheme with the rule functions.
fn score(rule: &Rule, target: &Target, actual: Decimal, weight: Decimal) -> Decimal {
    let a = target.value();
    match rule {
        Rule::Proportional => rules::proportional(a, actual, weight),
        Rule::Inverse => rules::inverse(a, actual, weight),
        Rule::ReverseDeviation => rules::reverse_deviation(a, actual, weight),
        Rule::EqualZero => rules::equal_zero(actual, weight),
        Rule::Bands(bands) => rules::bands(bands, actual, weight).0,
        Rule::DeductPerPoint {
            step,
            points,
            whole_steps,
        } => rules::deduct_per_point(
            rules::gap(target.comparator, a, actual),
            *step,
            *points,
            *whole_steps,
            weight,
        ),
        Rule::DeductPerCase { points } => rules::deduct_per_case(actual, *points, weight),
        Rule::Binary => rules::binary(target.comparator, a, actual, weight),
        Rule::Tolerance { within, zero_at } => {
            rules::tolerance(a, actual, *within, *zero_at, weight)
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn generated_schemes_load_and_score_within_the_total(dims in scheme_spec()) {
        let total = sum(dims.iter().map(|d| dimension_weight(d)));
        let text = scheme_text(&dims, total);
        let s = scheme::parse(path(), &text).map_err(|p| {
            let messages: Vec<String> = p.0.iter().map(ToString::to_string).collect();
            TestCaseError::fail(format!("{}\n---\n{text}", messages.join("\n")))
        })?;
        check_weights_add_up(&s)?;
        prop_assert_eq!(s.total, total);
        prop_assert_eq!(s.dimensions.len(), dims.len());

        let specs: Vec<&IndicatorSpec> = dims.iter().flatten().flatten().collect();
        let loaded: Vec<_> = s.indicators().map(|(_, _, i)| i).collect();
        prop_assert_eq!(loaded.len(), specs.len());

        let (mut sum_any, mut sum_perfect) = (Decimal::ZERO, Decimal::ZERO);
        for (spec, ind) in specs.iter().zip(&loaded) {
            prop_assert_eq!(ind.weight, spec.weight);
            let Scoring::Quantitative { target, rule, .. } = &ind.scoring else {
                return Err(TestCaseError::fail(format!("{} is not quantitative", ind.id)));
            };
            prop_assert_eq!(target.value(), spec.target_base(), "{}", ind.id);
            prop_assert_eq!(rule.key(), spec.expected_key(target), "{}", ind.id);
            let any = round_score(score(rule, target, spec.actual, ind.weight));
            prop_assert!(Decimal::ZERO <= any && any <= ind.weight, "{}: {}", ind.id, any);
            sum_any += any;
            let full = round_score(score(rule, target, spec.perfect_actual(), ind.weight));
            prop_assert_eq!(full, ind.weight, "{} with a perfect actual", ind.id);
            sum_perfect += full;
        }
        prop_assert!(sum_any <= s.total);
        prop_assert_eq!(sum_perfect, s.total);
    }

    #[test]
    fn generated_schemes_with_a_wrong_sum_are_rejected(
        dims in scheme_spec(),
        where_ in 0u8..3,
        delta in prop_oneof![(1i64..=10).prop_map(|n| dec(n, 1)), (-10i64..=-1).prop_map(|n| dec(n, 1))],
    ) {
        let mut dims = dims;
        let mut total = sum(dims.iter().map(|d| dimension_weight(d)));
        match where_ {
            // the scheme total disagrees with the dimensions
            0 => total += delta.abs(),
            // one indicator weight changes while its group and dimension keep their written
            // weights: the group no longer adds up
            _ => {
                prop_assume!(dims[0][0][0].weight + delta > Decimal::ZERO);
                const FIRST: &str = "[[dimension.group.indicator]]";
                let text_ok = scheme_text(&dims, total);
                dims[0][0][0].weight += delta;
                let mut text = scheme_text(&dims, total);
                let head_ok = &text_ok[..text_ok.find(FIRST).unwrap()];
                text.replace_range(..text.find(FIRST).unwrap(), head_ok);
                prop_assert!(scheme::parse(path(), &text).is_err(), "{}", text);
                return Ok(());
            }
        }
        let text = scheme_text(&dims, total);
        prop_assert!(scheme::parse(path(), &text).is_err(), "{}", text);
    }
}

#[test]
fn unit_conversions_are_exact() {
    // 7万元 = 70000 元; 95% = 0.95; written back the same
    let q = Quantity::parse("7万元").unwrap();
    assert_eq!((q.value, q.unit.clone()), (dec(70_000, 0), Unit::Wan));
    assert_eq!(q.to_string(), "7万元");
    let q = Quantity::parse("95%").unwrap();
    assert_eq!((q.value, q.unit.clone()), (dec(95, 2), Unit::Percent));
    assert_eq!(q.to_string(), "95%");
}
