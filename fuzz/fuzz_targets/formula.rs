//! Metric formulas on any text: a formula or a syntax error, never a panic. A formula that
//! parses prints as text that parses back to the same formula, and evaluates (with every
//! division by zero an error, then giving 0) to a value or an error, never a panic.

#![no_main]

use jixiao::formula::{EvalError, Expr};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

/// The value of every metric, fixed by its name: zero, small and large values, many
/// decimals, and the ends of the decimal range, so that overflow and division by zero
/// are reached.
fn value(name: &str) -> Decimal {
    const VALUES: [Decimal; 10] = [
        Decimal::ZERO,
        Decimal::ONE,
        Decimal::NEGATIVE_ONE,
        Decimal::ONE_HUNDRED,
        Decimal::from_parts(5, 0, 0, false, 1),      // 0.5
        Decimal::from_parts(67_900, 0, 0, false, 0), // 67,900
        Decimal::from_parts(1, 0, 0, false, 28),     // 10^-28, the smallest step
        Decimal::from_parts(1, 0, 0, true, 3),       // -0.001
        Decimal::MAX,
        Decimal::MIN,
    ];
    // FNV-1a: stable across runs, so a finding replays.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    VALUES[(hash % VALUES.len() as u64) as usize]
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let expr = match Expr::parse(&text) {
        Ok(expr) => expr,
        Err(e) => {
            let _ = e.to_string();
            assert!(
                e.position <= text.chars().count(),
                "position {} past the end",
                e.position
            );
            return;
        }
    };

    let printed = expr.to_string();
    match Expr::parse(&printed) {
        Ok(again) => assert_eq!(again, expr, "{text:?} printed as {printed:?}"),
        Err(e) => panic!("{text:?} printed as {printed:?}, which does not parse: {e}"),
    }

    let names = expr.metrics();
    let mut lookup = |name: &str| -> Result<Decimal, ()> {
        assert!(
            names.iter().any(|n| n == name),
            "{name} is not in metrics()"
        );
        Ok(value(name))
    };
    let strict = expr.eval(&mut lookup, false);
    let lenient = expr.eval(&mut lookup, true);
    if let Err(EvalError::ZeroDenominator { expression }) = &strict {
        let _ = Expr::parse(expression).expect("the division shown parses");
    }
    assert!(
        !matches!(lenient, Err(EvalError::ZeroDenominator { .. })),
        "a division by zero gives 0 when asked to"
    );
    // No division by zero on the way: the same value either way.
    if let Ok(v) = strict {
        assert_eq!(lenient, Ok(v));
    }
});
