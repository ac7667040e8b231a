//! The inputs of `monitor`, from the folder the one loader opened ([`Workspace`]): the same
//! files, the same readers and the same messages as `score`, with the dated outputs kept
//! and the officer's monitoring sheet beside them. A single project is a bureau of one:
//! each file is read once for all the projects monitored, the ledger summed to the as-of
//! date per project by the ledger pass `score` uses ([`crate::ledger::aggregate`], with
//! the date as its limit): the same fast path and fallback, the same warnings (rows dated
//! outside the year, vouchers given twice, among the rows to the date).

use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Inputs, MonitorFiles};
use crate::data::{self, BudgetRow, MONITORING_FILE};
use crate::diag::{Code, Problem, Problems};
use crate::ledger::{self, LedgerOptions, ProjectSpending};
use crate::outcome::ProjectInfo;
use crate::records::{MonitoringRow, OutputRow};
use crate::scheme::Scheme;
use crate::values::Date;
use crate::workspace::Workspace;

/// The monitoring sheet of a folder for a date: `--monitoring FILE` (read wherever it is),
/// else `DIR/monitoring-YYYY-MM-DD.csv` (one sheet per monitoring round), else
/// `DIR/monitoring.csv`, if one exists. A sheet the folder holds must lie in the allowed
/// root once links are followed (the problem, if not).
pub fn sheet_path(
    ws: &Workspace,
    given: Option<&Path>,
    as_of: Date,
) -> Result<Option<PathBuf>, Problems> {
    if let Some(path) = given {
        return Ok(Some(path.to_path_buf()));
    }
    let dated = ws.dir.join(format!("monitoring-{as_of}.csv"));
    let plain = ws.dir.join(MONITORING_FILE);
    let Some(found) = [dated, plain].into_iter().find(|p| p.exists()) else {
        return Ok(None);
    };
    match ws.root.admit(&found) {
        Ok(()) => Ok(Some(found)),
        Err(why) => Err(Problems(vec![ws.root.refused(&found, why)])),
    }
}

/// The projects read: those whose inputs hold no error, those whose rows do (with their
/// problems), and the warnings that stop nothing.
#[derive(Debug, Default)]
pub struct Loaded {
    pub inputs: Vec<Inputs>,
    pub failed: Vec<(String, Problems)>,
    pub warnings: Problems,
}

/// One project's inputs (the one chosen, else the budget's only one); every problem that
/// stops it comes back.
pub fn inputs(
    ws: &Workspace,
    id: &str,
    sheet: Option<&Path>,
    as_of: Date,
) -> Result<Inputs, Problems> {
    let ledger = LedgerOptions::default();
    let mut loaded = read(ws, Some(&[id.to_string()]), sheet, as_of, &ledger)?;
    if let Some((_, mut problems)) = loaded.failed.pop() {
        problems.extend(loaded.warnings.0);
        return Err(problems);
    }
    let mut inputs = loaded.inputs.pop().ok_or_else(Problems::default)?;
    inputs.warnings.extend(loaded.warnings.0);
    Ok(inputs)
}

/// The inputs of the projects `ids` (all of the budget when `None`), each file read once;
/// the ledger summed as `ledger` says (its threads and parts; the folder's reading
/// options and the as-of date are set here). `Err`: problems that stop every project (a
/// file that cannot be read, a row of no project, a scheme that does not load for all of
/// them).
pub fn read(
    ws: &Workspace,
    ids: Option<&[String]>,
    sheet: Option<&Path>,
    as_of: Date,
    ledger: &LedgerOptions,
) -> Result<Loaded, Problems> {
    let mut problems = Problems::default();
    let opts = &ws.inputs.options;
    let mut budget: BTreeMap<String, Vec<BudgetRow>> = BTreeMap::new();
    for b in data::read_budget(&ws.inputs.budget, opts, &mut problems) {
        budget.entry(b.project.clone()).or_default().push(b);
    }
    let wanted: Vec<String> = match ids {
        Some(ids) => ids.to_vec(),
        None => budget.keys().cloned().collect(),
    };
    let mut spending = spending_to(ws, &budget, as_of, ledger, &mut problems);
    let mut outputs: FxHashMap<String, Vec<OutputRow>> = FxHashMap::default();
    if let Some(path) = &ws.inputs.outputs {
        for o in data::read_outputs(path, opts, &mut problems) {
            outputs.entry(o.project.clone()).or_default().push(o);
        }
    }
    unknown_projects(ws, &budget, &spending, &outputs, &mut problems);
    let mut sheets: FxHashMap<String, Vec<MonitoringRow>> = FxHashMap::default();
    if let Some(path) = sheet {
        // Rows of projects the budget lacks: one error per project, as in the other files.
        let mut unknown: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for r in data::read_monitoring(path, opts, &mut problems) {
            if !budget.contains_key(&r.project) {
                let (_, rows) = unknown.entry(r.project).or_insert((r.line, 0));
                *rows += 1;
                continue;
            }
            sheets.entry(r.project.clone()).or_default().push(r);
        }
        for (id, (line, rows)) in unknown {
            problems.push(crate::batch::problems::unknown_project(
                &ws.inputs.budget,
                path,
                Some(line),
                &id,
                rows,
            ));
        }
    }
    let listings = listings(ws, &mut problems);
    let mut schemes: BTreeMap<PathBuf, Result<Arc<Scheme>, Problems>> = BTreeMap::new();
    let (own, mut global, others) = sort(problems, &wanted);
    if global.has_errors() {
        return Err(global);
    }
    // Never a silence that looks like "none": the others' errors are counted.
    if others > 0 {
        global.push(Problem::warning(
            &ws.inputs.budget,
            format!(
                "{others} error(s) in the rows of projects not monitored here are not listed; monitor the whole folder (without --project) to see them"
            ),
        ).zh(format!(
            "未监控的其他项目的数据行中有 {others} 个错误，此处未列出；不带 --project 监控整个目录可查看"
        )));
    }
    let mut loaded = Loaded {
        warnings: global,
        ..Loaded::default()
    };
    let mut own = own;
    for id in &wanted {
        let mut mine = own.remove(id).unwrap_or_default();
        let listed = listings.get(id);
        let scheme = scheme_of(ws, id, listed, &mut schemes, &mut mine);
        let (Some(rows), Some(scheme)) = (budget.remove(id), scheme) else {
            if !budget.contains_key(id) && !mine.has_errors() {
                mine.push(no_budget(ws, id));
            }
            loaded.failed.push((id.clone(), mine));
            continue;
        };
        let year = rows[0].year;
        if let Some(p) = super::check_year(&ws.inputs.budget, year, as_of) {
            mine.push(p);
        }
        let spent = spending.remove(id).unwrap_or_default();
        mine.extend(spent.problems(&ws.inputs.spending, id, year).0);
        if mine.has_errors() {
            loaded.failed.push((id.clone(), mine));
            continue;
        }
        let project = ProjectInfo {
            id: id.clone(),
            name: rows[0].name.clone(),
            year,
            department: listed
                .and_then(|l| l.department.clone())
                .or_else(|| ws.department.clone()),
            unit: listed
                .and_then(|l| l.unit.clone())
                .or_else(|| ws.unit.clone()),
        };
        loaded.inputs.push(Inputs {
            project,
            scheme,
            metrics: ws.metrics.clone(),
            budget: rows,
            spending: (&spent).into(),
            outputs: outputs.remove(id).unwrap_or_default(),
            monitoring: sheets.remove(id).unwrap_or_default(),
            files: MonitorFiles {
                spending: ws.inputs.spending.clone(),
                outputs: ws.inputs.outputs.clone(),
                monitoring: sheet.map(Path::to_path_buf),
            },
            warnings: mine.0,
        });
    }
    Ok(loaded)
}

/// The ledger summed per project of the budget to the as-of date, as `score` sums it
/// (every project of the budget, so that one project is read as in its bureau); the
/// reader's problems are pushed.
fn spending_to(
    ws: &Workspace,
    budget: &BTreeMap<String, Vec<BudgetRow>>,
    as_of: Date,
    ledger: &LedgerOptions,
    problems: &mut Problems,
) -> BTreeMap<String, ProjectSpending> {
    let years: HashMap<String, i32> = budget
        .iter()
        .filter_map(|(id, rows)| Some((id.clone(), rows.first()?.year)))
        .collect();
    let options = LedgerOptions {
        read: ws.inputs.options.clone(),
        as_of: Some(as_of),
        ..ledger.clone()
    };
    let ledger = ledger::aggregate(&ws.inputs.spending, &years, &options, &|_| {});
    problems.extend(ledger.problems.0);
    ledger.projects
}

/// Rows of the ledger and of outputs.csv naming a project the budget does not hold: an
/// error each, as `score` gives (never passed over). A project whose ledger rows all lie
/// after the date has no first line to name.
fn unknown_projects(
    ws: &Workspace,
    budget: &BTreeMap<String, Vec<BudgetRow>>,
    spending: &BTreeMap<String, ProjectSpending>,
    outputs: &FxHashMap<String, Vec<OutputRow>>,
    problems: &mut Problems,
) {
    use crate::batch::problems::unknown_project;
    let file = &ws.inputs.spending;
    for (id, s) in spending.iter().filter(|(id, _)| !budget.contains_key(*id)) {
        let line = (s.rows > 0).then_some(s.first_line);
        let rows = s.rows + s.after + s.before;
        problems.push(unknown_project(&ws.inputs.budget, file, line, id, rows));
    }
    let Some(file) = &ws.inputs.outputs else {
        return;
    };
    let mut unknown: Vec<(&String, &Vec<OutputRow>)> = outputs
        .iter()
        .filter(|(id, _)| !budget.contains_key(*id))
        .collect();
    unknown.sort_by_key(|(id, _)| *id);
    for (id, rows) in unknown {
        let line = rows.iter().map(|o| o.line).min();
        problems.push(unknown_project(
            &ws.inputs.budget,
            file,
            line,
            id,
            rows.len(),
        ));
    }
}

/// Each problem to the wanted project of its row; the rest (rows of no project, files)
/// stop every project when they are errors, and are warnings of the run otherwise. Errors
/// in the rows of projects not monitored change nothing monitored: they are only counted.
fn sort(problems: Problems, wanted: &[String]) -> (BTreeMap<String, Problems>, Problems, usize) {
    let wanted: rustc_hash::FxHashSet<&str> = wanted.iter().map(String::as_str).collect();
    let mut own: BTreeMap<String, Problems> = BTreeMap::new();
    let mut global = Problems::default();
    let mut others = 0;
    for p in problems.0 {
        match p.project.as_deref().filter(|id| !id.is_empty()) {
            Some(id) if wanted.contains(id) => {
                own.entry(id.to_string()).or_default().push(p);
            }
            Some(_) if p.code != Some(Code::UnknownProject) => others += usize::from(p.is_error()),
            _ => global.push(p),
        }
    }
    (own, global, others)
}

fn no_budget(ws: &Workspace, id: &str) -> Problem {
    Problem::error(&ws.inputs.budget, format!("no budget row for project {id}"))
        .zh(format!("预算表中没有项目 {id} 的行"))
        .code(Code::ProjectChoice)
        .field("project")
        .zh_field("项目编码")
        .value(id)
        .expected("a row of budget.csv for the project monitored")
        .zh_expected("预算表中所监控项目的行")
}

/// projects.csv by project, when the folder has one.
fn listings(ws: &Workspace, problems: &mut Problems) -> FxHashMap<String, data::ProjectRow> {
    let Some(path) = ws.projects_file.as_deref() else {
        return FxHashMap::default();
    };
    data::read_projects(path, &ws.inputs.options, problems)
        .into_iter()
        .map(|r| (r.project.clone(), r))
        .collect()
}

/// The project's scheme (`--scheme`, else its row of projects.csv, else the folder's),
/// each file loaded once; its problems are the project's.
fn scheme_of(
    ws: &Workspace,
    id: &str,
    listed: Option<&data::ProjectRow>,
    loaded: &mut BTreeMap<PathBuf, Result<Arc<Scheme>, Problems>>,
    problems: &mut Problems,
) -> Option<Arc<Scheme>> {
    let listed_path = listed
        .and_then(|r| r.scheme.as_ref())
        .map(|s| crate::workspace::normalize(&ws.dir.join(s)));
    let Some(path) = ws.schemes.for_project(listed_path.as_deref()) else {
        problems.push(
            Problem::error(&ws.eval_file, format!("no scheme for project {id}"))
                .zh(format!("项目 {id} 没有指标体系"))
                .code(Code::BadEvaluation)
                .field("scheme")
                .expected("scheme = \"…toml\" in evaluation.toml, projects.csv, or --scheme FILE")
                .zh_expected(
                    "evaluation.toml 或 projects.csv 中的 scheme = \"…toml\"，或 --scheme 文件",
                ),
        );
        return None;
    };
    // A scheme projects.csv names must lie in the root, as in a batch: checked once per
    // path, with its loading (the root's answer depends on the path alone).
    let listed_here = ws.schemes.given.is_none() && listed_path.as_deref() == Some(path);
    let scheme = loaded.entry(path.to_path_buf()).or_insert_with(|| {
        if listed_here && let Err(why) = ws.root.admit(path) {
            return Err(Problems(vec![ws.root.refused(path, why)]));
        }
        crate::scheme::load(path).map(Arc::new)
    });
    match scheme {
        Ok(s) => Some(Arc::clone(s)),
        Err(p) => {
            problems.extend(p.0.iter().cloned());
            None
        }
    }
}
