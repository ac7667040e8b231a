//! Derived metrics: ids, formulas and what a zero denominator means.

use std::collections::BTreeMap;

use super::{InBoth, Validator};
use crate::builtin::Builtin;
use crate::diag::{Code, Problem};
use crate::scheme::raw;
use crate::scheme::{DerivedMetric, OnZero, Unit, is_identifier};

impl Validator<'_> {
    /// Every `[[metric]]`, each id once.
    pub(in crate::scheme) fn metrics(&mut self, defs: Vec<raw::MetricDef>) -> Vec<DerivedMetric> {
        let metrics: Vec<DerivedMetric> = defs.into_iter().filter_map(|m| self.metric(m)).collect();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &metrics {
            if let Some(first) = seen.insert(&m.id, m.line) {
                self.problems.push(
                    Problem::error(
                        self.path,
                        format!(
                            "metric \"{}\" is defined twice (first on line {first})",
                            m.id
                        ),
                    )
                    .zh(format!(
                        "派生数据“{}”定义了两次（第一次在第 {first} 行）",
                        m.id
                    ))
                    .code(Code::BadMetric)
                    .at_line(m.line)
                    .field("metric.id")
                    .value(&m.id)
                    .expected("each derived metric id once")
                    .zh_expected("每个派生数据名称只定义一次"),
                );
            }
        }
        metrics
    }

    fn metric(&mut self, m: raw::MetricDef) -> Option<DerivedMetric> {
        let id = m.id.get_ref().trim().to_string();
        let line = self.line(&m.id);
        if !is_identifier(&id) {
            self.err(
                Code::BadMetric,
                &m.id,
                "metric.id",
                "a metric id must be letters, digits and _ and start with a letter",
                "数据名称须由字母、数字和 _ 组成，并以字母开头",
            )
            .found(&id);
            return None;
        }
        // A derived metric may not reuse a built-in's name.
        if Builtin::parse(&id).is_some() {
            self.err(
                Code::BadMetric,
                &m.id,
                "metric.id",
                format!("\"{id}\" is a built-in metric and cannot be redefined"),
                format!("“{id}”是内置数据，不能重新定义"),
            )
            .help_zh("给这项派生数据另起一个名称，或删去它直接使用内置数据");
            return None;
        }
        let expr = match crate::formula::Expr::parse(m.formula.get_ref()) {
            Ok(expr) => expr,
            Err(e) => {
                self.err(
                    Code::FormulaSyntax,
                    &m.formula,
                    "metric.formula",
                    format!("formula of \"{id}\": {e}"),
                    format!("数据“{id}”的公式有误：{}", e.zh_text()),
                )
                .found(m.formula.get_ref());
                return None;
            }
        };
        let on_zero = match m.on_zero.as_ref().map(|s| s.get_ref().trim()) {
            None | Some("error") => OnZero::Error,
            Some("zero") => OnZero::Zero,
            Some(other) => {
                let other = other.to_string();
                let span = m.on_zero.as_ref().expect("matched Some");
                self.err(
                    Code::InvalidValue,
                    span,
                    "metric.on_zero",
                    "unknown on_zero",
                    "`on_zero` 的取值无法识别",
                )
                .found(other)
                .expected_both(
                    "\"error\" or \"zero\"",
                    "\"error\"（除以 0 时报错）或 \"zero\"（除以 0 得 0）",
                );
                return None;
            }
        };
        let formula_line = self.line(&m.formula);
        let span = m.id.span();
        Some(DerivedMetric {
            id,
            name: m.name,
            formula: m.formula.into_inner(),
            expr: Some(expr),
            unit: Unit::parse(m.unit.as_deref().unwrap_or("")),
            on_zero,
            file: self.path.to_path_buf(),
            line,
            formula_line,
            span,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::scheme::testing::{ONE, errors, scheme};

    #[test]
    fn built_in_names_and_bad_formulas_are_refused() {
        let builtin = format!("[[metric]]\nid = \"spent\"\nformula = \"1\"\n{ONE}");
        assert!(errors(&scheme(&builtin)).contains("built-in metric"));

        let formula = format!("[[metric]]\nid = \"m\"\nformula = \"a × b\"\n{ONE}");
        assert!(errors(&scheme(&formula)).contains("write * for ×"));
    }
}
