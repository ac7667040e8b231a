//! `check`'s rules for the monitoring sheets of an evaluation folder: a red light without a
//! cause of deviation (偏差原因) is an error (JX0120); 完成目标可能性 = 完全不可能 without a
//! corrective action (整改措施) is a warning (JX1201).
//!
//! A sheet named `monitoring-YYYY-MM-DD.csv` is monitored as of its date, with the national
//! profile, for every project it names (the folder's one project when it names none); the
//! likelihood rule needs no date and is applied to `monitoring.csv` too.

use std::path::{Path, PathBuf};

use super::{Monitor, profile};
use crate::data::{self, MONITORING_FILE};
use crate::diag::{Code, Problem, Problems};
use crate::ledger::LedgerOptions;
use crate::records::{Likelihood, MonitoringRow};
use crate::values::{Date, parse_date};
use crate::workspace::Workspace;

/// The monitoring sheets of a folder: each dated one with its date, then `monitoring.csv`.
pub fn sheets(dir: &Path) -> Vec<(PathBuf, Option<Date>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, Option<Date>)> = entries
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?;
            let date = name
                .strip_prefix("monitoring-")?
                .strip_suffix(".csv")
                .and_then(|d| parse_date(d).ok())?;
            path.is_file().then_some((path, Some(date)))
        })
        .collect();
    found.sort();
    let plain = dir.join(MONITORING_FILE);
    if plain.is_file() {
        found.push((plain, None));
    }
    found
}

/// Every problem of the folder's monitoring sheets: reading them, monitoring the projects
/// they name as of their dates, and the two rules.
pub fn problems(ws: &Workspace) -> Problems {
    let mut out = Problems::default();
    for (sheet, date) in sheets(&ws.dir) {
        if let Err(why) = ws.root.admit(&sheet) {
            out.push(ws.root.refused(&sheet, why));
            continue;
        }
        let mut read = Problems::default();
        let rows = data::read_monitoring(&sheet, &ws.inputs.options, &mut read);
        let failed = read.has_errors();
        out.extend(read.0);
        if failed {
            continue;
        }
        match date {
            Some(as_of) => out.extend(monitored(ws, &sheet, &rows, as_of).0),
            None => out.extend(
                rows.iter()
                    .filter_map(|r| impossible_without_action(r, &sheet)),
            ),
        }
    }
    out
}

/// Monitor each project the sheet names (else the folder's one) as of its date.
fn monitored(ws: &Workspace, sheet: &Path, rows: &[MonitoringRow], as_of: Date) -> Problems {
    let mut out = Problems::default();
    let mut ids: Vec<String> = rows.iter().map(|r| r.project.clone()).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        match ws.one_project() {
            Ok(id) => ids.push(id),
            Err(p) => return p,
        }
    }
    let profile = profile::national();
    // Each file read once for all the projects the sheet names.
    let loaded = match super::load::read(
        ws,
        Some(&ids),
        Some(sheet),
        as_of,
        &LedgerOptions::default(),
    ) {
        Ok(loaded) => loaded,
        Err(p) => return p,
    };
    for (_, p) in loaded.failed {
        out.extend(p.0);
    }
    out.extend(loaded.warnings.0);
    for inputs in &loaded.inputs {
        match super::monitor(inputs, &profile, as_of) {
            Ok(m) => out.extend(rules(&m, sheet, rows)),
            Err(p) => out.extend(p.0),
        }
    }
    out
}

/// The two rules on one project monitored.
pub fn rules(m: &Monitor, sheet: &Path, rows: &[MonitoringRow]) -> Vec<Problem> {
    use super::Light;
    let mut out = Vec::new();
    let red_without = |what: &str, what_zh: &str, line: Option<usize>, id: &str| {
        let p = Problem::error(
            sheet,
            format!(
                "{what} of project {} is red as of {} but the sheet gives no cause of deviation (偏差原因)",
                m.project.id, m.as_of
            ),
        )
        .zh(format!(
            "项目 {} 的{what_zh}截至 {} 为红灯，监控表未填偏差原因",
            m.project.id, m.as_of
        ))
        .code(Code::RedWithoutCause)
        .field("cause")
        .zh_field("偏差原因")
        .expected("偏差原因: 经费保障, 制度保障, 人员保障, 硬件条件保障 or 其他, and the analysis (偏差原因分析)")
        .zh_expected("偏差原因（经费保障、制度保障、人员保障、硬件条件保障或其他）及偏差原因分析");
        let p = if id.is_empty() { p } else { p.value(id) };
        match line {
            Some(line) => p.at_line(line),
            None => p,
        }
    };
    if m.budget_light == Some(Light::Red) && m.causes.is_empty() && m.reason.is_none() {
        out.push(red_without(
            "the budget light (预算执行)",
            "预算执行预警",
            m.line,
            "",
        ));
    }
    for i in &m.indicators {
        if i.light == Some(Light::Red) && i.causes.is_empty() && i.reason.is_none() {
            out.push(red_without(
                &format!("indicator {}", i.id),
                &format!("指标 {}", i.id),
                i.line,
                &i.id,
            ));
        }
    }
    out.extend(
        rows.iter()
            .filter(|r| r.project == m.project.id)
            .filter_map(|r| impossible_without_action(r, sheet)),
    );
    out
}

/// 完全不可能 without 整改措施.
fn impossible_without_action(r: &MonitoringRow, sheet: &Path) -> Option<Problem> {
    (r.likelihood == Some(Likelihood::Impossible) && r.action.is_none()).then(|| {
        Problem::warning(
            sheet,
            format!(
                "{} is judged 完全不可能 (the target cannot be met) but no corrective action (整改措施) is given",
                r.indicator.as_deref().unwrap_or("the project")
            ),
        )
        .zh(format!(
            "{} 的完成目标可能性为“完全不可能”，但未填整改措施",
            r.indicator.as_deref().unwrap_or("项目")
        ))
        .code(Code::ImpossibleWithoutAction)
        .at_line(r.line)
        .field("action")
        .zh_field("整改措施")
        .value(r.indicator.clone().unwrap_or_default())
        .expected("整改措施: what will be done (纠偏, 调整目标, 调减预算 …)")
        .zh_expected("整改措施：拟采取的措施（纠偏、调整目标、调减预算……）")
    })
}
