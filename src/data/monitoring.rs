//! The monitoring sheet (`monitoring.csv`, 监控情况) the officer fills for `jixiao monitor`:
//! per indicator the causes of a deviation (偏差原因), the likelihood of meeting the target
//! (完成目标可能性), the projected year-end value (全年预计完成值), a note, the corrective
//! action (整改措施) and, for a qualitative indicator, the tier reached so far; per project
//! (a row with no indicator) the projected year-end spending (全年预计执行数).

use std::path::Path;

use super::table::{self, Row};
use super::{Column, PROJECT, ReadOptions, col};
use crate::diag::Problems;
use crate::judgment::{TIER_EXPECTED, Tier};
use crate::records::{Cause, Likelihood, MonitoringRow};
use crate::values::{self, AMOUNT_EXPECTED, VALUE_EXPECTED};

/// The usual name of the file in an evaluation folder.
pub const MONITORING_FILE: &str = "monitoring.csv";

pub(super) const MONITORING_COLUMNS: &[Column] = &[
    PROJECT,
    col("indicator", &["指标编号", "指标编码", "指标"], false),
    col("cause", &["偏差原因类别", "偏差原因"], false),
    col("reason", &["偏差原因分析", "偏差原因说明"], false),
    col("likelihood", &["完成目标可能性"], false),
    col(
        "projected",
        &["全年预计完成值", "全年预计执行数", "全年预计"],
        false,
    ),
    col("tier", &["完成情况", "档次"], false),
    col("note", &["备注"], false),
    col("action", &["整改措施"], false),
];

/// Positions in [`MONITORING_COLUMNS`].
pub(super) mod monitoring_at {
    pub(in crate::data) const PROJECT: usize = 0;
    pub(in crate::data) const INDICATOR: usize = 1;
    pub(in crate::data) const CAUSE: usize = 2;
    pub(in crate::data) const REASON: usize = 3;
    pub(in crate::data) const LIKELIHOOD: usize = 4;
    pub(in crate::data) const PROJECTED: usize = 5;
    pub(in crate::data) const TIER: usize = 6;
    pub(in crate::data) const NOTE: usize = 7;
    pub(in crate::data) const ACTION: usize = 8;
}

pub const CAUSE_EXPECTED: &str =
    "经费保障, 制度保障, 人员保障, 硬件条件保障 or 其他 (several separated by 、 , ; or /)";
const CAUSE_EXPECTED_ZH: &str =
    "经费保障、制度保障、人员保障、硬件条件保障或其他（可填多项，以 、 , ; / 分隔）";
pub const LIKELIHOOD_EXPECTED: &str = "确定能, 有可能 or 完全不可能";
const LIKELIHOOD_EXPECTED_ZH: &str = "确定能、有可能或完全不可能";

/// Read the monitoring sheet (CSV or workbook); problems are pushed.
pub fn read_monitoring(
    path: &Path,
    options: &ReadOptions,
    problems: &mut Problems,
) -> Vec<MonitoringRow> {
    let source = match table::open(path, options) {
        Ok(source) => source,
        Err(p) => {
            problems.push(*p);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    table::read_rows(
        path,
        source,
        MONITORING_COLUMNS,
        problems,
        |row, problems| {
            if let Some(r) = monitoring_row(row, problems) {
                out.push(r);
            }
        },
    );
    out
}

/// One row, or `None` (its problems pushed) when a field is bad.
fn monitoring_row(row: &Row<'_>, problems: &mut Problems) -> Option<MonitoringRow> {
    use monitoring_at as at;
    let before = problems.0.len();
    let project = row.required(at::PROJECT, problems);
    let indicator = row.get(at::INDICATOR).map(str::to_string);
    let causes = causes(row, problems);
    let likelihood = row.get(at::LIKELIHOOD).and_then(|t| {
        let l = Likelihood::parse(t);
        if l.is_none() {
            problems.push(
                row.problem("likelihood", "not a 完成目标可能性")
                    .zh("不是完成目标可能性的选项")
                    .value(t)
                    .expected(LIKELIHOOD_EXPECTED)
                    .zh_expected(LIKELIHOOD_EXPECTED_ZH),
            );
        }
        l
    });
    let tier = row.get(at::TIER).and_then(|t| {
        let tier = Tier::parse(t);
        if tier.is_none() {
            problems.push(
                row.problem("tier", "not a qualitative tier")
                    .zh("不认识的完成情况档次")
                    .value(t)
                    .expected(TIER_EXPECTED)
                    .zh_expected(crate::judgment::TIER_EXPECTED_ZH),
            );
        }
        tier
    });
    let (projected, projected_percent) = match row.get(at::PROJECTED) {
        None => (None, false),
        // The project's row: 全年预计执行数, money.
        Some(t) if indicator.is_none() => match values::parse_amount(t) {
            Ok(v) => (Some(v), false),
            Err(e) => {
                problems.push(
                    row.bad_value("projected", e, t)
                        .expected(format!("全年预计执行数: {AMOUNT_EXPECTED}"))
                        .zh_expected(format!("全年预计执行数：{}", values::AMOUNT_EXPECTED_ZH)),
                );
                (None, false)
            }
        },
        Some(t) => match values::parse_value(t) {
            Ok((v, percent)) => (Some(v), percent),
            Err(e) => {
                problems.push(
                    row.bad_value("projected", e, t)
                        .expected(format!("全年预计完成值: {VALUE_EXPECTED}"))
                        .zh_expected(format!("全年预计完成值：{}", values::VALUE_EXPECTED_ZH)),
                );
                (None, false)
            }
        },
    };
    if problems.0.len() > before {
        return None;
    }
    let text = |at: usize| row.get(at).map(str::to_string);
    Some(MonitoringRow {
        line: row.line,
        project: project?,
        indicator,
        causes,
        reason: text(at::REASON),
        likelihood,
        projected,
        projected_percent,
        tier,
        note: text(at::NOTE),
        action: text(at::ACTION),
    })
}

/// The causes ticked: the form's words separated by 、 , ， ; ； or /; each once, in the
/// form's order.
fn causes(row: &Row<'_>, problems: &mut Problems) -> Vec<Cause> {
    let Some(text) = row.get(monitoring_at::CAUSE) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for part in text.split(['、', ',', '，', ';', '；', '/']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match Cause::parse(part) {
            Some(c) => found.push(c),
            None => problems.push(
                row.problem("cause", "not a cause of deviation (偏差原因)")
                    .zh("不是偏差原因的类别")
                    .value(part)
                    .expected(CAUSE_EXPECTED)
                    .zh_expected(CAUSE_EXPECTED_ZH),
            ),
        }
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::RowSource;

    fn read(csv: &str) -> (Vec<MonitoringRow>, Problems) {
        let mut problems = Problems::default();
        let reader = Box::new(std::io::Cursor::new(csv.as_bytes().to_vec()));
        let source: Box<dyn RowSource> = table::csv_rows(
            Path::new("monitoring.csv"),
            reader,
            crate::data::EncodingChoice::Auto,
        )
        .unwrap();
        let mut out = Vec::new();
        table::read_rows(
            Path::new("monitoring.csv"),
            source,
            MONITORING_COLUMNS,
            &mut problems,
            |row, problems| {
                if let Some(r) = monitoring_row(row, problems) {
                    out.push(r);
                }
            },
        );
        (out, problems)
    }

    #[test]
    fn rows_of_indicators_and_of_the_project_are_read() {
        let (rows, problems) = read(
            "项目编码,指标编号,偏差原因类别,偏差原因分析,完成目标可能性,全年预计完成值,备注,整改措施\n\
             P,O3,人员保障、其他,人手不足,有可能,55,,增派律师\n\
             P,,,,,\"90,000.00\",,\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].indicator.as_deref(), Some("O3"));
        assert_eq!(rows[0].causes, vec![Cause::Staff, Cause::Other]);
        assert_eq!(rows[0].likelihood, Some(Likelihood::Possible));
        assert_eq!(rows[0].projected, Some(rust_decimal::Decimal::from(55)));
        assert_eq!(rows[0].action.as_deref(), Some("增派律师"));
        assert_eq!(rows[1].indicator, None);
        // the project's row: 90,000.00 元
        assert_eq!(rows[1].projected, Some(rust_decimal::Decimal::from(90_000)));
    }

    #[test]
    fn bad_causes_and_likelihoods_name_line_field_and_value() {
        let (rows, problems) =
            read("project,indicator,cause,likelihood\nP,O1,天气,有可能\nP,O2,其他,大概\n");
        assert!(rows.is_empty());
        let shown: Vec<(Option<usize>, Option<&str>, Option<&str>)> = problems
            .0
            .iter()
            .map(|p| (p.line, p.field.as_deref(), p.value.as_deref()))
            .collect();
        assert_eq!(
            shown,
            vec![
                (Some(2), Some("cause"), Some("天气")),
                (Some(3), Some("likelihood"), Some("大概"))
            ]
        );
    }
}
