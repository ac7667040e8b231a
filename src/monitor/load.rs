//! One project's inputs for `monitor`, from the folder the one loader opened
//! ([`Workspace`]): the same files, the same readers and the same messages as `score`,
//! with the dated outputs kept and the officer's monitoring sheet beside them.

use std::path::{Path, PathBuf};

use super::{Inputs, MonitorFiles};
use crate::data::{self, MONITORING_FILE};
use crate::diag::{Code, Problem, Problems};
use crate::outcome::ProjectInfo;
use crate::values::Date;
use crate::workspace::Workspace;

/// The monitoring sheet of a folder for a date: `--monitoring FILE`, else
/// `DIR/monitoring-YYYY-MM-DD.csv` (one sheet per monitoring round), else
/// `DIR/monitoring.csv`, if one exists.
pub fn sheet_path(ws: &Workspace, given: Option<&Path>, as_of: Date) -> Option<PathBuf> {
    if let Some(path) = given {
        return Some(path.to_path_buf());
    }
    let dated = ws.dir.join(format!("monitoring-{as_of}.csv"));
    let plain = ws.dir.join(MONITORING_FILE);
    [dated, plain].into_iter().find(|p| p.is_file())
}

/// Read the project's budget rows, spending, outputs and monitoring sheet, and its scheme.
/// Every problem of reading comes back (all of them, with their places).
pub fn inputs(
    ws: &Workspace,
    id: &str,
    sheet: Option<&Path>,
    as_of: Date,
) -> Result<Inputs, Problems> {
    let mut problems = Problems::default();
    let read = &ws.inputs.options;
    let mut budget = data::read_budget(&ws.inputs.budget, read, &mut problems);
    budget.retain(|b| b.project == id);
    let mut spending = Vec::new();
    data::each_spending(&ws.inputs.spending, read, &mut problems, |row| {
        if row.project == id {
            spending.push(row);
        }
    });
    let outputs = ws.inputs.outputs.as_deref().map_or_else(Vec::new, |path| {
        let mut rows = data::read_outputs(path, read, &mut problems);
        rows.retain(|o| o.project == id);
        rows
    });
    let monitoring = sheet.map_or_else(Vec::new, |path| {
        let mut rows = data::read_monitoring(path, read, &mut problems);
        rows.retain(|r| r.project == id);
        rows
    });
    let (listed, scheme_path) = listing(ws, id, &mut problems);
    let scheme = match scheme_path {
        Some(path) => match crate::scheme::load(&path) {
            Ok(s) => Some(s),
            Err(p) => {
                problems.extend(p.0);
                None
            }
        },
        None => {
            problems.push(
                Problem::error(&ws.eval_file, format!("no scheme for project {id}"))
                    .code(Code::BadEvaluation)
                    .field("scheme")
                    .expected(
                        "scheme = \"…toml\" in evaluation.toml, projects.csv, or --scheme FILE",
                    ),
            );
            None
        }
    };
    let Some(first) = budget.first() else {
        problems.push(
            Problem::error(&ws.inputs.budget, format!("no budget row for project {id}"))
                .code(Code::ProjectChoice)
                .field("project")
                .value(id)
                .expected("a row of budget.csv for the project monitored"),
        );
        return Err(problems);
    };
    let year = first.year;
    if let Some(p) = super::check_year(&ws.inputs.budget, year, as_of) {
        problems.push(p);
    }
    let (scheme, false) = (scheme, problems.has_errors()) else {
        return Err(problems);
    };
    let Some(scheme) = scheme else {
        return Err(problems);
    };
    let project = ProjectInfo {
        id: id.to_string(),
        name: first.name.clone(),
        year,
        department: listed.0.or_else(|| ws.department.clone()),
        unit: listed.1.or_else(|| ws.unit.clone()),
    };
    Ok(Inputs {
        project,
        scheme,
        metrics: ws.metrics.clone(),
        budget,
        spending,
        outputs,
        monitoring,
        files: MonitorFiles {
            spending: ws.inputs.spending.clone(),
            outputs: ws.inputs.outputs.clone(),
            monitoring: sheet.map(Path::to_path_buf),
        },
    })
}

/// The project's 主管部门 and 实施单位 from projects.csv, and its scheme (`--scheme`, else
/// its row of projects.csv, else the folder's).
fn listing(
    ws: &Workspace,
    id: &str,
    problems: &mut Problems,
) -> ((Option<String>, Option<String>), Option<PathBuf>) {
    let row = ws.projects_file.as_deref().and_then(|path| {
        let rows = data::read_projects(path, &ws.inputs.options, problems);
        rows.into_iter().find(|r| r.project == id)
    });
    let listed_scheme = row
        .as_ref()
        .and_then(|r| r.scheme.as_ref())
        .map(|s| crate::workspace::normalize(&ws.dir.join(s)));
    // A scheme projects.csv names must lie in the root, as in a batch.
    if let Some(path) = &listed_scheme
        && ws.schemes.given.is_none()
        && let Err(why) = ws.root.admit(path)
    {
        problems.push(
            Problem::error(path, why)
                .code(Code::OutsideRoot)
                .expected(crate::input::INSIDE_ROOT),
        );
    }
    let scheme = ws
        .schemes
        .for_project(listed_scheme.as_deref())
        .map(Path::to_path_buf);
    let (department, unit) = row.map_or((None, None), |r| (r.department, r.unit));
    ((department, unit), scheme)
}
