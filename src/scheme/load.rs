//! Reading a scheme: syntax, keys, values, then meaning, every problem at once.

use std::path::Path;

use super::raw::{self, SchemeFile};
use super::validate::Validator;
use super::{DerivedMetric, Scheme, keys};
use crate::diag::{Code, Lines, Problem, Problems};

/// Read and validate a scheme file. Every problem found is returned, not only the first.
pub fn load(path: &Path) -> Result<Scheme, Problems> {
    let source = crate::input::read_to_string(path).map_err(|e| {
        Problems(vec![
            Problem::error(path, format!("cannot read the scheme file: {e}"))
                .zh(format!(
                    "无法读取指标体系文件：{}",
                    crate::i18n::io_error_zh(&e)
                ))
                .code(Code::UnreadableFile)
                .expected("a readable UTF-8 TOML file")
                .zh_expected("可读取的 UTF-8 编码 TOML 文件"),
        ])
    })?;
    parse(path, &source)
}

/// Parse and validate scheme text (`path` is only used in messages).
pub fn parse(path: &Path, source: &str) -> Result<Scheme, Problems> {
    let mut problems = Problems::default();
    let lines = Lines::new(source);
    // 1. Syntax: every error the parser can recover from, with its span.
    let doc = keys::parse_document(path, source)?;
    // 2. Keys: every unknown and missing key at once.
    // Unknown keys do not stop the load (serde ignores them, so the rest is still checked
    // and reported); a missing required key does.
    if !keys::check(path, &lines, &doc, schema_value(), &mut problems) {
        return Err(problems);
    }
    // The document is not needed past the keys: freed before serde reads the file again.
    drop(doc);
    // 3. Values: types and accepted values (serde stops at the first).
    let file: SchemeFile = match toml::from_str(source) {
        Ok(f) => f,
        Err(e) => {
            problems.push(keys::toml_problem(path, &lines, &e, Code::InvalidValue));
            return Err(problems);
        }
    };
    // 4. Meaning: weights, targets, rules, metrics, grades.
    let mut v = Validator {
        path,
        source: &lines,
        problems,
    };
    let scheme = v.scheme(file);
    if v.problems.has_errors() {
        Err(v.problems)
    } else {
        Ok(scheme)
    }
}

/// Parse derived metrics defined outside a scheme (an evaluation's `[[metric]]` bindings).
pub(crate) fn derived_metrics(
    path: &Path,
    source: &str,
    defs: Vec<raw::MetricDef>,
    problems: &mut Problems,
) -> Vec<DerivedMetric> {
    let lines = Lines::new(source);
    let mut v = Validator {
        path,
        source: &lines,
        problems: Problems::default(),
    };
    let out = v.metrics(defs);
    problems.extend(v.problems.0);
    out
}

/// The JSON Schema (draft 2020-12) of the scheme format, for editors (taplo, Even Better
/// TOML) and for finding unknown and missing keys.
pub fn json_schema() -> serde_json::Value {
    schema_value().clone()
}

fn schema_value() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(SchemeFile).to_value())
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::scheme::testing::{ONE, errors, scheme};
    use crate::scheme::{Rule, Scoring, Tiers};

    #[test]
    fn a_valid_scheme_loads_with_defaults() {
        let s = parse(Path::new("s.toml"), &scheme(ONE)).unwrap();
        assert_eq!(s.total, Decimal::ONE_HUNDRED);
        assert_eq!(s.grade(Decimal::from(90)), "优");
        assert_eq!(s.grade(Decimal::new(8999, 2)), "良");
        assert_eq!(s.grade(Decimal::from(60)), "中");
        assert_eq!(s.grade(Decimal::new(5999, 2)), "差");
        assert_eq!(s.tiers, Tiers::default());
        let ind = s.indicator("A").unwrap();
        assert!(matches!(
            &ind.scoring,
            Scoring::Quantitative {
                rule: Rule::Proportional,
                ..
            }
        ));
        // `id = "A"` is ONE's 9th line (ONE opens with an empty line), after 3 header lines
        assert_eq!(ind.line, 12);
    }

    #[test]
    fn unknown_keys_are_reported_with_lines() {
        let e = errors(&scheme(&ONE.replace(
            "    weight = 100\n    metric",
            "    wieght = 100\n    metric",
        )));
        assert!(e.contains("s.toml:14:") && e.contains("wieght"), "{e}");
    }
}
