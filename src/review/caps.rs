//! A province's cap on the self-score by the budget execution rate (执行率封顶): where the
//! rate is below a band's bound, the 自评总分 may not exceed the band's maximum (e.g. under
//! 80% at most 89; under 70%, 79; under 60%, 69; under 50%, 59). Off by default: the rule
//! is a province's, not the national 财预〔2020〕10号's, so a bureau names its profile with
//! `jixiao review --caps FILE` (docs/review.md, "JX2019").

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

use crate::decimal::percent;
use crate::diag::{Code, Lines, Problem, Problems};
use crate::review::model::Raw;
use crate::scheme::keys;
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

// Unknown and missing keys, and values of the wrong kind, are found (all of them, in the
// user's words) by the schema walk of scheme/keys.rs, not by serde.
#[derive(Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "cap")]
    caps: Vec<BandDef>,
}

#[derive(Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct BandDef {
    #[schemars(with = "String")]
    below: Spanned<String>,
    /// A number (`89`) or the same number as a string (`"89"`).
    #[schemars(with = "Raw")]
    max: Spanned<Raw>,
}

fn schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(File).to_value())
}

const BELOW_EXPECTED: &str = "a rate above 0% and at most 100%, written with %, e.g. \"80%\"";
const BELOW_EXPECTED_ZH: &str = "大于 0% 且不超过 100% 的百分数，带 %，如 \"80%\"";
const MAX_EXPECTED: &str = "a score from 0 to 100, e.g. 89";
const MAX_EXPECTED_ZH: &str = "0 到 100 之间的分数，如 89";
const BANDS_EXPECTED: &str = "[[cap]] tables with below = \"80%\" and max = 89";
const BANDS_EXPECTED_ZH: &str = "一个或多个 [[cap]] 表，每个写 below = \"80%\" 和 max = 89";

/// Read a profile file.
pub fn load(path: &Path) -> Result<Caps, Problems> {
    let text = crate::input::read_to_string(path).map_err(|e| {
        Problems(vec![
            Problem::error(path, format!("cannot read the cap profile: {e}"))
                .zh(format!("无法读取执行率封顶规则文件：{e}"))
                .code(Code::UnreadableFile)
                .expected("a readable UTF-8 TOML file")
                .zh_expected("可读取的 UTF-8 TOML 文件"),
        ])
    })?;
    parse(path, &text)
}

/// Read a profile from its text: every bad band is reported, with its line.
pub fn parse(path: &Path, text: &str) -> Result<Caps, Problems> {
    let lines = Lines::new(text);
    let doc = keys::parse_document(path, text)?;
    let mut problems = Problems::default();
    if !keys::check(path, &lines, &doc, schema(), &mut problems) {
        problems.0.sort_by_key(|p| (p.line, p.column));
        return Err(problems);
    }
    drop(doc);
    let file: File = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            problems.push(keys::toml_problem(path, &lines, &e, Code::InvalidValue));
            return Err(problems);
        }
    };
    let mut bands = Vec::new();
    for (i, b) in file.caps.iter().enumerate() {
        let field = format!("cap[{}]", i + 1);
        let below = Quantity::parse(b.below.get_ref())
            .ok()
            .filter(|q| q.unit == Unit::Percent)
            .map(|q| q.value)
            .filter(|v| *v > Decimal::ZERO && *v <= Decimal::ONE);
        let max_text = match b.max.get_ref() {
            Raw::Text(t) => t.trim(),
            Raw::Number => text[b.max.span()].trim(),
        };
        let max = max_text
            .replace('_', "")
            .parse::<Decimal>()
            .ok()
            .filter(|m| *m >= Decimal::ZERO && *m <= Decimal::ONE_HUNDRED);
        if below.is_none() {
            problems.push(
                Problem::error(path, format!("bad bound \"{}\"", b.below.get_ref()))
                    .zh(format!(
                        "执行率界限“{}”不是大于 0% 且不超过 100% 的百分数",
                        b.below.get_ref()
                    ))
                    .code(Code::InvalidValue)
                    .span(&lines, b.below.span())
                    .field(format!("{field}.below"))
                    .expected(BELOW_EXPECTED)
                    .zh_expected(BELOW_EXPECTED_ZH),
            );
        }
        if max.is_none() {
            problems.push(
                Problem::error(path, format!("bad maximum {max_text}"))
                    .zh(format!("总分上限“{max_text}”不是 0 到 100 之间的数"))
                    .code(Code::InvalidValue)
                    .span(&lines, b.max.span())
                    .field(format!("{field}.max"))
                    .expected(MAX_EXPECTED)
                    .zh_expected(MAX_EXPECTED_ZH),
            );
        }
        if let (Some(below), Some(max)) = (below, max) {
            bands.push(Band { below, max });
        }
    }
    if file.caps.is_empty() {
        problems.push(
            Problem::error(path, "the cap profile has no [[cap]] band")
                .zh("执行率封顶规则文件中没有 [[cap]] 规则")
                .code(Code::MissingKey)
                .expected(BANDS_EXPECTED)
                .zh_expected(BANDS_EXPECTED_ZH),
        );
    }
    if problems.has_errors() {
        problems.0.sort_by_key(|p| (p.line, p.column));
        return Err(problems);
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
