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

/// A problem's texts set in both languages at once, on the `&mut Problem` that
/// [`Validator::err`] hands back: no English text without its Chinese.
trait InBoth {
    /// What would have been accepted, in English and in Chinese.
    fn expected_both(&mut self, en: impl Into<String>, zh: impl Into<String>) -> &mut Self;
    /// How to fix it, in English and in Chinese.
    fn help_both(&mut self, en: impl Into<String>, zh: impl Into<String>) -> &mut Self;
    /// How to fix it, in Chinese only (where the English message says enough).
    fn help_zh(&mut self, zh: impl Into<String>) -> &mut Self;
    /// What would have been accepted, in Chinese only.
    fn expected_zh(&mut self, zh: impl Into<String>) -> &mut Self;
    /// The offending value as written.
    fn found(&mut self, value: impl Into<String>) -> &mut Self;
}

impl InBoth for Problem {
    fn expected_both(&mut self, en: impl Into<String>, zh: impl Into<String>) -> &mut Self {
        self.expected = Some(en.into());
        self.expected_zh(zh)
    }

    fn help_both(&mut self, en: impl Into<String>, zh: impl Into<String>) -> &mut Self {
        self.help = Some(en.into());
        self.help_zh(zh)
    }

    fn help_zh(&mut self, zh: impl Into<String>) -> &mut Self {
        self.zh.get_or_insert_with(Box::default).help = Some(zh.into());
        self
    }

    fn expected_zh(&mut self, zh: impl Into<String>) -> &mut Self {
        self.zh.get_or_insert_with(Box::default).expected = Some(zh.into());
        self
    }

    fn found(&mut self, value: impl Into<String>) -> &mut Self {
        self.value = Some(value.into());
        self
    }
}

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

    /// Report an error (or a warning, by its code) at `at`: the message in English and in
    /// Chinese (`zh`), both required so that no problem is told in English only.
    fn err<T>(
        &mut self,
        code: Code,
        at: &Spanned<T>,
        field: &str,
        message: impl Into<String>,
        zh: impl Into<String>,
    ) -> &mut Problem {
        // The key as the 自评表 names it, for the Chinese messages.
        let zh_field = match field.rsplit('.').next().unwrap_or(field) {
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
                .zh_field(zh_field)
                .zh(zh),
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
                self.err(share_code, text, field, "not a percentage", "不是百分数")
                    .found(text.get_ref())
                    .expected_both(
                        "a share such as \"80%\"",
                        "百分数，如 \"80%\"（也可写小数 \"0.8\"）",
                    );
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
                format!("指标体系的总分必须大于 0，所填为 {total}"),
            )
            .help_zh("把 `total` 改为正数，通常是 100");
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
                "the over-completion threshold must be above 100%",
                "超额完成的预警线必须高于 100%",
            )
            .found(t.get_ref())
            .expected_zh("高于 100% 的百分数，如 \"130%\"");
            return None;
        }
        Some(v)
    }
}
