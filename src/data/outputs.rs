//! Outputs (产出): a value per project and metric, with its unit.

use rust_decimal::Decimal;
use std::path::Path;

use super::table::{self, RowSource};
use super::{Column, OutputRow, PROJECT, ReadOptions, col};
use crate::diag::Problems;
use crate::scheme::Unit;
use crate::values::{self, DATE_EXPECTED, Date, VALUE_EXPECTED};

pub(super) const OUTPUT_COLUMNS: &[Column] = &[
    PROJECT,
    col("metric", &["指标"], true),
    col("value", &["数值", "实际完成值"], true),
    col("unit", &["单位", "计量单位"], false),
    col("note", &["备注", "说明"], false),
    col("date", &["日期", "截至日期", "统计日期"], false),
];

/// Positions in [`OUTPUT_COLUMNS`].
pub(super) mod outputs_at {
    pub(in crate::data) const PROJECT: usize = 0;
    pub(in crate::data) const METRIC: usize = 1;
    pub(in crate::data) const VALUE: usize = 2;
    pub(in crate::data) const UNIT: usize = 3;
    pub(in crate::data) const NOTE: usize = 4;
    pub(in crate::data) const DATE: usize = 5;
}

/// Read the outputs file (CSV or workbook); problems are pushed.
pub fn read_outputs(path: &Path, options: &ReadOptions, problems: &mut Problems) -> Vec<OutputRow> {
    match table::open(path, options) {
        Ok(source) => outputs_from(path, source, problems),
        Err(p) => {
            problems.push(*p);
            Vec::new()
        }
    }
}

/// A row of outputs.csv as read, its text borrowed from the reader: a batch keeps the rows
/// in its own compact form, so copying every string first would be wasted.
#[derive(Debug)]
pub struct OutputFields<'a> {
    pub line: usize,
    pub project: &'a str,
    pub metric: &'a str,
    /// Base value, as in [`OutputRow::value`].
    pub value: Decimal,
    pub unit: &'a Unit,
    pub note: Option<&'a str>,
    /// The date the value was counted to, as [`OutputRow::date`].
    pub date: Option<Date>,
}

impl OutputFields<'_> {
    pub fn to_row(self) -> OutputRow {
        OutputRow {
            line: self.line,
            project: self.project.to_string(),
            metric: self.metric.to_string(),
            value: self.value,
            unit: self.unit.clone(),
            note: self.note.map(str::to_string),
            date: self.date,
        }
    }
}

/// Read the outputs file row by row, handing each good row to `each` instead of keeping
/// them. Problems are pushed as [`read_outputs`] pushes them.
pub fn each_output(
    path: &Path,
    options: &ReadOptions,
    problems: &mut Problems,
    each: impl FnMut(OutputFields<'_>),
) {
    match table::open(path, options) {
        Ok(source) => outputs_each(path, source, problems, each),
        Err(p) => problems.push(*p),
    }
}

pub(super) fn outputs_from(
    path: &Path,
    source: Box<dyn RowSource>,
    problems: &mut Problems,
) -> Vec<OutputRow> {
    let mut out = Vec::new();
    outputs_each(path, source, problems, |row| out.push(row.to_row()));
    out
}

/// The units of the last rows read, so that a unit written on many rows (件, 人次) is not
/// built anew for each: at most [`RecentUnits::KEPT`], the newest first.
#[derive(Default)]
struct RecentUnits(Vec<Unit>);

impl RecentUnits {
    /// Enough for the units of a file's metrics; a file with more only parses more often.
    const KEPT: usize = 16;

    /// The unit written `text`, as [`Unit::parse`] reads it.
    fn get(&mut self, text: &str) -> &Unit {
        let text = text.trim();
        let known = Unit::known(text);
        let at = match &known {
            Some(known) => self.0.iter().position(|u| u == known),
            None => self
                .0
                .iter()
                .position(|u| matches!(u, Unit::Other(name) if name == text)),
        };
        match at {
            Some(i) => &self.0[i],
            None => {
                self.0.truncate(Self::KEPT - 1);
                self.0
                    .insert(0, known.unwrap_or_else(|| Unit::Other(text.to_string())));
                &self.0[0]
            }
        }
    }
}

/// The unit of a value written with a % sign.
static PERCENT: Unit = Unit::Percent;

fn outputs_each(
    path: &Path,
    source: Box<dyn RowSource>,
    problems: &mut Problems,
    mut each: impl FnMut(OutputFields<'_>),
) {
    let mut units = RecentUnits::default();
    table::read_rows(path, source, OUTPUT_COLUMNS, problems, |row, problems| {
        let project = row.required_text(outputs_at::PROJECT, problems);
        let metric = row
            .required_text(outputs_at::METRIC, problems)
            .and_then(|m| {
                if crate::scheme::is_identifier(m) {
                    Some(m)
                } else {
                    problems.push(
                        row.problem("metric", "not a metric id")
                            .zh("不是指标代码")
                            .value(m)
                            .expected(
                                "letters, digits and _, starting with a letter (e.g. cases_civil)",
                            )
                            .zh_expected(
                                "指标体系中的指标代码：字母开头，由字母、数字和 _ 组成（如 cases_civil）",
                            ),
                    );
                    None
                }
            });
        let unit_text = row.get(outputs_at::UNIT).unwrap_or("");
        let value = row
            .required_text(outputs_at::VALUE, problems)
            .and_then(|t| match values::parse_value(t) {
                Ok(v) => Some(v),
                Err(e) => {
                    problems.push(
                        row.bad_value("value", e, t)
                            .expected(VALUE_EXPECTED)
                            .zh_expected(values::VALUE_EXPECTED_ZH),
                    );
                    None
                }
            });
        // A value to date (`monitor`); a bad date is an error, never read as the year's.
        let date = match row.get(outputs_at::DATE) {
            None => Some(None),
            Some(t) => match values::parse_date(t) {
                Ok(d) => Some(Some(d)),
                Err(e) => {
                    problems.push(
                        row.bad_value("date", e, t)
                            .expected(DATE_EXPECTED)
                            .zh_expected(values::DATE_EXPECTED_ZH),
                    );
                    None
                }
            },
        };
        if let (Some(project), Some(metric), Some((raw, percent_sign)), Some(date)) =
            (project, metric, value, date)
        {
            if percent_sign && !matches!(Unit::known(unit_text), Some(Unit::None | Unit::Percent)) {
                problems.push(
                    row.problem("unit", "a percentage value with a different unit")
                        .zh("数值带 %，单位却不是 %")
                        .value(unit_text)
                        .expected("unit % or empty for a value written with %")
                        .zh_expected("带 % 的数值，单位填 % 或留空"),
                );
                return;
            }
            let unit = if percent_sign {
                &PERCENT
            } else {
                units.get(unit_text)
            };
            each(OutputFields {
                line: row.line,
                project,
                metric,
                value: unit.to_base(raw),
                unit,
                note: row.get(outputs_at::NOTE),
                date,
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_units_are_the_units_parsed() {
        // More units than are kept, repeated, padded and known: each must come back as
        // `Unit::parse` gives it, e.g. " 件" → 件, "" → none, "％" → %.
        let mut recent = RecentUnits::default();
        let mut texts: Vec<String> = (0..20).map(|i| format!("单位{i}")).collect();
        texts.extend(
            [
                "件",
                " 件 ",
                "",
                " ",
                "%",
                "％",
                "百分比",
                "元",
                "万元",
                "元/件",
            ]
            .map(String::from),
        );
        for round in 0..3 {
            for t in texts.iter().rev().skip(round) {
                assert_eq!(*recent.get(t), Unit::parse(t), "{t:?}");
            }
        }
        assert!(recent.0.len() <= RecentUnits::KEPT);
    }
}
