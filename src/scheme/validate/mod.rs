//! Validation of a scheme as written: weights, targets, rules, metrics and grades, each
//! problem with its place. Whole-scheme checks on a scheme that loads are in `lint`.

mod dimension;
mod grade;
mod indicator;
mod metric;
mod rule;

use rust_decimal::Decimal;
use std::path::Path;
use toml::Spanned;

use super::raw::SchemeFile;
use super::{Family, Quantity, Scheme, Unit, lint};
use crate::diag::{Code, Lines, Locate, Problem, Problems};

/// Turns the file as written into the tree, collecting every problem on the way.
pub(super) struct Validator<'a> {
    pub(super) path: &'a Path,
    /// The file's text, with its lines found once.
    pub(super) source: &'a Lines<'a>,
    pub(super) problems: Problems,
}

impl Validator<'_> {
    fn line<T>(&self, s: &Spanned<T>) -> usize {
        self.source.line_col(s.span().start).0
    }

    fn err<T>(
        &mut self,
        code: Code,
        at: &Spanned<T>,
        field: &str,
        message: String,
    ) -> &mut Problem {
        // The key as the 自评表 names it, for the Chinese messages.
        let zh = match field.rsplit('.').next().unwrap_or(field) {
            "weight" => "分值",
            "target" => "年度指标值",
            "id" => "指标编号",
            "name" => "名称",
            "metric" => "数据",
            "formula" => "公式",
            "dimension" => "一级指标",
            "group" => "二级指标",
            _ => field,
        };
        self.problems.push(
            Problem::error(self.path, message)
                .code(code)
                .span(self.source, at.span())
                .field(field)
                .zh_field(zh),
        );
        self.problems.0.last_mut().expect("just pushed")
    }

    /// A share written as "80%" or a plain fraction "0.8".
    fn share(&mut self, text: &Spanned<String>, field: &str) -> Option<Decimal> {
        let share_code = if field.contains("min") {
            Code::BadTiers
        } else {
            Code::InvalidValue
        };
        match Quantity::parse(text.get_ref()) {
            Ok(q) if matches!(q.unit, Unit::Percent | Unit::None) => Some(q.value),
            Ok(_) | Err(_) => {
                let p = self.err(share_code, text, field, "not a percentage".into());
                p.value = Some(text.get_ref().clone());
                p.expected = Some("a share such as \"80%\"".into());
                None
            }
        }
    }

    pub(super) fn scheme(&mut self, file: SchemeFile) -> Scheme {
        let meta = file.scheme;
        let family = match meta.family.as_deref().map(str::trim) {
            None | Some("custom") => Family::Custom,
            Some("self-evaluation" | "自评") => Family::SelfEvaluation,
            Some("framework" | "评价框架") => Family::Framework,
            Some(other) => {
                self.problems.push(
                    Problem::error(self.path, "unknown scheme family")
                        .zh("没有这种指标体系类别")
                        .code(Code::InvalidValue)
                        .field("scheme.family")
                        .value(other)
                        .expected("\"self-evaluation\", \"framework\" or \"custom\"")
                        .zh_expected(
                            "\"self-evaluation\"（自评表）、\"framework\"（评价框架）或 \"custom\"（自定义）",
                        ),
                );
                Family::Custom
            }
        };
        let total = meta
            .total
            .as_ref()
            .map_or(Decimal::ONE_HUNDRED, |t| *t.get_ref());
        if total <= Decimal::ZERO
            && let Some(t) = &meta.total
        {
            self.err(
                Code::NonPositiveWeight,
                t,
                "scheme.total",
                format!("total must be above 0, found {total}"),
            );
        }

        let grades = self.grades(&file.grades, total);
        let tiers = self.tiers(file.tiers.as_ref());
        let over_completion = meta
            .over_completion_warning
            .as_ref()
            .and_then(|t| self.threshold(t));

        let metrics = self.metrics(file.metrics);

        let dimensions = self.dimensions(file.dimensions, total, &tiers, over_completion);
        let mut scheme = Scheme {
            path: self.path.to_path_buf(),
            id: meta.id,
            title: meta.title,
            family,
            total,
            grades,
            tiers,
            metrics,
            dimensions,
            warnings: Vec::new(),
        };
        // On a scheme with errors, parts are missing (an indicator that failed is not in its
        // group): whole-scheme checks would report echoes, so they wait for a clean load.
        if !self.problems.has_errors() {
            lint::lint(&scheme, self.source, &mut self.problems);
        }
        // Warnings travel with the scheme; errors stop the load.
        scheme.warnings = self.problems.warnings().cloned().collect();
        scheme
    }

    fn threshold(&mut self, t: &Spanned<String>) -> Option<Decimal> {
        let v = self.share(t, "over_completion_warning")?;
        if v <= Decimal::ONE {
            self.err(
                Code::InvalidValue,
                t,
                "over_completion_warning",
                "the over-completion threshold must be above 100%".into(),
            )
            .value = Some(t.get_ref().clone());
            return None;
        }
        Some(v)
    }
}
