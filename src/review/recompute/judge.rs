//! A printed figure against the value it should show, at the precision it is printed with,
//! and the finding for one cut off instead of rounded (JX2002).

use rust_decimal::Decimal;

use super::Reviewer;
use crate::decimal::{fixed, plain, round_half_up, truncate};
use crate::diag::Code;
use crate::review::Finding;
use crate::review::model::Printed;

/// How a printed figure compares with the value recomputed.
pub(super) enum Comparison {
    Agrees,
    /// Cut off; the rounded value (in the printed unit) is given.
    Truncated(Decimal),
    Differs(Decimal),
}

/// Judge a printed figure against the exact value it should show, at its precision (see
/// [`Printed::precision`]). `also` are values the platform may have printed instead (a rate
/// already rounded to 0.01%, a score already rounded).
pub(super) fn judge(p: &Printed, exact: Decimal, also: &[Decimal]) -> Comparison {
    let shown = |v: Decimal| p.unit.from_base(v);
    let rounded = round_half_up(shown(exact), p.precision);
    if rounded == p.number
        || also
            .iter()
            .any(|a| round_half_up(shown(*a), p.precision) == p.number)
    {
        Comparison::Agrees
    } else if p.places == p.precision && truncate(shown(exact), p.places) == p.number {
        // A score printed "3" for 3.60 is not read as cut off: scores are judged to 0.01.
        Comparison::Truncated(rounded)
    } else {
        Comparison::Differs(rounded)
    }
}

/// Whether a printed score shows an exact sum at its precision.
pub(super) fn agrees(p: &Printed, exact: Decimal) -> bool {
    matches!(judge(p, exact, &[]), Comparison::Agrees)
}

/// The unit text printed after a figure's number ("万" of "6.79万", "%" of "67.9%").
pub(super) fn suffix(p: &Printed) -> &str {
    let t = p.text.trim();
    let start = t
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || matches!(c, '.' | ',' | '¥' | '￥')
                || ((c == '-' || c == '+') && i == 0))
        })
        .map_or(t.len(), |(i, _)| i);
    t[start..].trim()
}

/// A value (in the printed unit) written the way the figure is printed, at its precision.
pub(super) fn like(p: &Printed, v: Decimal) -> String {
    format!("{}{}", fixed(v, p.precision), suffix(p))
}

/// An exact value for people: a long quotient is shown cut off after 6 decimals with "…".
pub(super) fn approx(x: Decimal) -> String {
    let cut = truncate(x, 6);
    if cut == x {
        plain(x)
    } else {
        format!("{}…", plain(cut))
    }
}

impl Reviewer<'_> {
    /// The finding for a figure cut off instead of rounded.
    /// `exact` is the value recomputed, before rounding; `what` how it was computed.
    pub(super) fn truncated(
        &mut self,
        p: &Printed,
        field: &str,
        subject: String,
        (exact, rounded): (Decimal, Decimal),
        what: String,
    ) {
        let rule = format!(
            "{what}{}{}{}{}{}{}{}",
            self.t("；未舍入值 ", "; unrounded "),
            approx(p.unit.from_base(exact)),
            suffix(p),
            self.t("，四舍五入保留 ", ", rounded half up (四舍五入) to "),
            p.precision,
            self.t(" 位小数 = ", " decimal(s) = "),
            like(p, rounded)
        );
        let f = Finding {
            subject,
            claim: p.text.clone(),
            recomputed: like(p, rounded),
            rule,
            message: self
                .t(
                    "截断而非四舍五入",
                    "cut off (截断) instead of rounded half up (四舍五入)",
                )
                .to_string(),
            ..self.at(Code::Truncated, &p.at, field)
        };
        self.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::model::Place;
    use crate::scheme::Unit;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A printed figure: `number` in `unit` with `places` decimals, judged at `precision`.
    fn printed(number: &str, unit: Unit, places: u32, precision: u32) -> Printed {
        let number = d(number);
        Printed {
            text: format!("{number}{}", unit.suffix()),
            value: unit.to_base(number),
            number,
            places,
            precision,
            unit,
            at: Place::default(),
        }
    }

    fn verdict(v: Comparison) -> (&'static str, Option<Decimal>) {
        match v {
            Comparison::Agrees => ("agrees", None),
            Comparison::Truncated(r) => ("truncated", Some(r)),
            Comparison::Differs(r) => ("differs", Some(r)),
        }
    }

    #[test]
    fn rates_are_judged_at_their_printed_precision() {
        // 41.3 / 45 = 0.917777…
        let exact = d("41.3") / d("45");
        // "0.917": 3 decimals; 四舍五入 gives 0.918, cutting off gives 0.917 → truncated
        let p = printed("0.917", Unit::None, 3, 3);
        assert_eq!(
            verdict(judge(&p, exact, &[])),
            ("truncated", Some(d("0.918")))
        );
        // "91.78%": 91.777…% to 2 decimals = 91.78 → agrees
        let p = printed("91.78", Unit::Percent, 2, 2);
        assert_eq!(verdict(judge(&p, exact, &[])), ("agrees", None));
        // "92%": 91.777…% to 0 decimals = 92 → agrees
        let p = printed("92", Unit::Percent, 0, 0);
        assert_eq!(verdict(judge(&p, exact, &[])), ("agrees", None));
        // "91.7%": 四舍五入 gives 91.8, cut off 91.7 → truncated
        let p = printed("91.7", Unit::Percent, 1, 1);
        assert_eq!(
            verdict(judge(&p, exact, &[])),
            ("truncated", Some(d("91.8")))
        );
        // "95%": neither → differs, 四舍五入 gives 92
        let p = printed("95", Unit::Percent, 0, 0);
        assert_eq!(verdict(judge(&p, exact, &[])), ("differs", Some(d("92"))));
    }

    #[test]
    fn a_rate_rounded_twice_by_the_platform_is_accepted() {
        // 0.91745 exactly: 91.745% → 91.7% at 1 decimal; the platform's 2-decimal rate
        // 91.75% (四舍五入) printed again at 1 decimal gives 91.8%. Both are accepted.
        let exact = d("0.91745");
        let platform = [crate::decimal::round_rate(exact)];
        assert_eq!(platform[0], d("0.9175"));
        for shown in ["91.7", "91.8"] {
            let p = printed(shown, Unit::Percent, 1, 1);
            assert_eq!(
                verdict(judge(&p, exact, &platform)),
                ("agrees", None),
                "{shown}"
            );
        }
    }

    #[test]
    fn scores_are_judged_to_the_hundredth() {
        // 3500 / 3933 × 5 = 4.449529…: "4.44" is cut off, 四舍五入 gives 4.45
        let exact = d("3500") / d("3933") * d("5");
        let p = printed("4.44", Unit::None, 2, 2);
        assert_eq!(
            verdict(judge(&p, exact, &[])),
            ("truncated", Some(d("4.45")))
        );
        // 90% × 4 = 3.6: a score printed "3" claims 3.00 → differs (not "cut off")
        let p = printed("3", Unit::None, 0, 2);
        assert_eq!(
            verdict(judge(&p, d("3.6"), &[])),
            ("differs", Some(d("3.60")))
        );
        // 105 / 120 × 20 = 17.5: "18" claims 18.00 → differs, the rule gives 17.50
        let p = printed("18", Unit::None, 0, 2);
        assert_eq!(
            verdict(judge(&p, d("17.5"), &[])),
            ("differs", Some(d("17.50")))
        );
        // "95" for 95.00 agrees
        let p = printed("95", Unit::None, 0, 2);
        assert_eq!(verdict(judge(&p, d("95.00"), &[])), ("agrees", None));
    }

    #[test]
    fn amounts_in_wan_are_judged_in_wan() {
        // 67,912.34 元 = 6.791234万 → "6.79" (2 decimals in 万元) agrees
        let p = printed("6.79", Unit::Wan, 2, 2);
        assert_eq!(verdict(judge(&p, d("67912.34"), &[])), ("agrees", None));
        // 67,900 元 printed "6.97": differs, 四舍五入 gives 6.79
        let p = printed("6.97", Unit::Wan, 2, 2);
        assert_eq!(
            verdict(judge(&p, d("67900"), &[])),
            ("differs", Some(d("6.79")))
        );
    }

    #[test]
    fn printed_figures_are_shown_as_printed() {
        let mut p = printed("6.79", Unit::Wan, 2, 2);
        p.text = "6.79万".into();
        assert_eq!(suffix(&p), "万");
        assert_eq!(like(&p, d("6.8")), "6.80万");
        // 41.3 / 45 = 0.9177777… shown cut off after 6 decimals with an ellipsis
        assert_eq!(approx(d("41.3") / d("45")), "0.917777…");
        assert_eq!(approx(d("0.679")), "0.679");
    }
}
