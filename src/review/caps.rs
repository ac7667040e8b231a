//! A province's cap on the self-score by the budget execution rate (执行率封顶): where the
//! rate is below a band's bound, the 自评总分 may not exceed the band's maximum (e.g. under
//! 80% at most 89; under 70%, 79; under 60%, 69; under 50%, 59). Off by default: the rule
//! is a province's, not the national 财预〔2020〕10号's, so a bureau names its profile with
//! `jixiao review --caps FILE` (docs/review.md, "JX2019").

use rust_decimal::Decimal;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::decimal::percent;
use crate::diag::{Code, Problem, Problems};
use crate::scheme::{Quantity, Unit};

/// One band: an execution rate below `below` caps the total at `max`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// A fraction: 0.8 for "80%".
    pub below: Decimal,
    pub max: Decimal,
}

/// The bands of a profile, and the file they were read from (named in findings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caps {
    pub file: PathBuf,
    pub bands: Vec<Band>,
}

impl Caps {
    /// The lowest maximum of the bands the rate is below, with its band; `None` when the
    /// rate is below none of them.
    pub fn cap(&self, rate: Decimal) -> Option<&Band> {
        self.bands
            .iter()
            .filter(|b| rate < b.below)
            .min_by_key(|b| b.max)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "cap")]
    caps: Vec<BandDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BandDef {
    below: Spanned<String>,
    max: Spanned<Decimal>,
}

const BELOW_EXPECTED: &str = "a rate above 0% and at most 100%, written with %, e.g. \"80%\"";
const MAX_EXPECTED: &str = "a score from 0 to 100, e.g. 89";

/// Read a profile file.
pub fn load(path: &Path) -> Result<Caps, Problems> {
    let text = crate::input::read_to_string(path).map_err(|e| {
        Problems(vec![
            Problem::error(path, format!("cannot read the cap profile: {e}"))
                .code(Code::UnreadableFile),
        ])
    })?;
    parse(path, &text)
}

/// Read a profile from its text: every bad band is reported, with its line.
pub fn parse(path: &Path, text: &str) -> Result<Caps, Problems> {
    let file: File = toml::from_str(text).map_err(|e| {
        let mut p = Problem::error(path, e.message().to_string())
            .code(Code::TomlSyntax)
            .expected("[[cap]] tables with below = \"80%\" and max = 89");
        if let Some(span) = e.span() {
            p = p.span(text, span);
        }
        Problems(vec![p])
    })?;
    let mut problems = Vec::new();
    let mut bands = Vec::new();
    for (i, b) in file.caps.iter().enumerate() {
        let field = format!("cap[{}]", i + 1);
        let below = Quantity::parse(b.below.get_ref())
            .ok()
            .filter(|q| q.unit == Unit::Percent)
            .map(|q| q.value)
            .filter(|v| *v > Decimal::ZERO && *v <= Decimal::ONE);
        let max = *b.max.get_ref();
        let max_ok = max >= Decimal::ZERO && max <= Decimal::ONE_HUNDRED;
        if below.is_none() {
            problems.push(
                Problem::error(path, format!("bad bound \"{}\"", b.below.get_ref()))
                    .code(Code::InvalidValue)
                    .span(text, b.below.span())
                    .field(format!("{field}.below"))
                    .expected(BELOW_EXPECTED),
            );
        }
        if !max_ok {
            problems.push(
                Problem::error(path, format!("bad maximum {max}"))
                    .code(Code::InvalidValue)
                    .span(text, b.max.span())
                    .field(format!("{field}.max"))
                    .expected(MAX_EXPECTED),
            );
        }
        if let (Some(below), true) = (below, max_ok) {
            bands.push(Band { below, max });
        }
    }
    if file.caps.is_empty() {
        problems.push(
            Problem::error(path, "the cap profile has no [[cap]] band")
                .code(Code::MissingKey)
                .expected("[[cap]] tables with below = \"80%\" and max = 89"),
        );
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    Ok(Caps {
        file: path.to_path_buf(),
        bands,
    })
}

/// A band as people read it: "执行率低于 70.00% 时不高于 79".
pub fn band_text(b: &Band, zh: bool) -> String {
    if zh {
        format!("执行率低于 {} 时总分不高于 {}", percent(b.below), b.max)
    } else {
        format!(
            "an execution rate below {} caps the total at {}",
            percent(b.below),
            b.max
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROVINCE: &str = "[[cap]]\nbelow = \"80%\"\nmax = 89\n\n[[cap]]\nbelow = \"70%\"\nmax = 79\n\n[[cap]]\nbelow = \"60%\"\nmax = 69\n\n[[cap]]\nbelow = \"50%\"\nmax = 59\n";

    fn caps() -> Caps {
        parse(Path::new("caps.toml"), PROVINCE).unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_lowest_band_the_rate_is_below_gives_the_cap() {
        let c = caps();
        // 85% is below no bound
        assert_eq!(c.cap(d("0.85")), None);
        // 80% is not below 80%: no cap
        assert_eq!(c.cap(d("0.80")).map(|b| b.max), None);
        // 79.99% < 80% only → 89
        assert_eq!(c.cap(d("0.7999")).map(|b| b.max), Some(d("89")));
        // 65% < 80%, < 70% → min(89, 79) = 79
        assert_eq!(c.cap(d("0.65")).map(|b| b.max), Some(d("79")));
        // 55% < 80, 70, 60 → 69
        assert_eq!(c.cap(d("0.55")).map(|b| b.max), Some(d("69")));
        // 49.99% under all four → 59
        assert_eq!(c.cap(d("0.4999")).map(|b| b.max), Some(d("59")));
    }

    #[test]
    fn every_bad_band_is_reported_with_its_line() {
        let text = "[[cap]]\nbelow = \"80\"\nmax = 89\n\n[[cap]]\nbelow = \"70%\"\nmax = 120\n";
        let p = parse(Path::new("caps.toml"), text).unwrap_err().0;
        assert_eq!(p.len(), 2, "{p:?}");
        // "80" has no % (a bare 80 would be read as 8000%)
        assert_eq!(
            (p[0].line, p[0].field.as_deref()),
            (Some(2), Some("cap[1].below"))
        );
        assert_eq!(
            (p[1].line, p[1].field.as_deref()),
            (Some(7), Some("cap[2].max"))
        );
    }

    #[test]
    fn an_empty_profile_or_an_unknown_key_is_refused() {
        assert!(parse(Path::new("c.toml"), "").is_err());
        let e = parse(
            Path::new("c.toml"),
            "[[cap]]\nbelow = \"80%\"\nmax = 89\nmin = 1\n",
        )
        .unwrap_err()
        .0;
        assert_eq!(e[0].line, Some(4), "{e:?}");
    }
}
