//! Which project each problem found while reading stops: one rule ([`stops`]) for the batch
//! and for a single project (a bureau of one), and the problems of rows of projects the
//! budget does not hold.

use std::collections::BTreeMap;
use std::path::Path;

use super::read::{Projects, Unknown};
use super::store::{Interner, Judgments, Outputs, Seen};
use crate::data::BudgetRow;
use crate::diag::{Code, Problem, Problems};
use crate::workspace::Workspace;

/// Whom a problem found while reading stops: one rule for the batch and for a single
/// project (a bureau of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stops {
    /// Nothing: a warning, or an error about a row of outputs or judgments of a project
    /// the budget does not hold (it changes no figure of a project that is scored).
    Nothing,
    /// The project of the budget with this number.
    Project(usize),
    /// Every project: an error of no project (a file, a header, a row whose project
    /// cannot be read) or spending of a project the budget does not hold could change any
    /// project's figures.
    Everything,
}

fn stops(p: &Problem, spending: &Path, budget_number: impl Fn(&str) -> Option<usize>) -> Stops {
    let project = p.project.as_deref().filter(|id| !id.is_empty());
    if let Some(n) = project.and_then(budget_number) {
        return Stops::Project(n);
    }
    if !p.is_error() {
        return Stops::Nothing;
    }
    // Spending of a project the budget does not hold (a mistyped code, most often) is
    // money that may be any project's.
    if p.file == spending {
        return Stops::Everything;
    }
    // A row of outputs or judgments of a project the budget does not hold changes no
    // figure of one it holds.
    if project.is_some() || p.code == Some(Code::UnknownProject) {
        return Stops::Nothing;
    }
    Stops::Everything
}

/// Each problem with the project of its row, when that project is in the budget (by
/// number), and the rest: whether those stop every project is decided once the rows of
/// unknown projects are added ([`stop_everything`]).
pub(super) fn sort(
    problems: Problems,
    spending: &Path,
    projects: &Projects,
) -> (BTreeMap<usize, Problems>, Problems) {
    let mut own: BTreeMap<usize, Problems> = BTreeMap::new();
    let mut global = Problems::default();
    for p in problems.0 {
        match stops(&p, spending, |id| projects.number(id)) {
            Stops::Project(n) => own.entry(n).or_default().push(p),
            Stops::Nothing | Stops::Everything => global.push(p),
        }
    }
    (own, global)
}

/// Whether any of the problems of no project of the budget stops every project.
pub(super) fn stop_everything(global: &Problems, spending: &Path, projects: &Projects) -> bool {
    global
        .0
        .iter()
        .any(|p| stops(p, spending, |id| projects.number(id)) == Stops::Everything)
}

/// Rows of projects the budget does not hold, in the ledger (code, first line, rows),
/// outputs, judgments (with the budget number of each of their projects) and
/// projects.csv: one error per project and file.
pub(super) fn unknown_projects(
    setup: &Workspace,
    spending: &[(String, usize, usize)],
    outputs: (&Outputs, &[Option<u32>]),
    judgments: (&Judgments, &[Option<u32>]),
    listed: &Unknown,
    global: &mut Problems,
) {
    let budget = &setup.inputs.budget;
    let unknown = |file: &Path, line: usize, id: &str, rows: usize, global: &mut Problems| {
        global.push(unknown_project(budget, file, Some(line), id, rows));
    };
    for (id, line, rows) in spending {
        unknown(&setup.inputs.spending, *line, id, *rows, global);
    }
    for (path, seen) in [
        (
            setup.inputs.outputs.as_deref(),
            not_in_budget(&outputs.0.projects, &outputs.0.seen, outputs.1),
        ),
        (
            setup.inputs.judgments.as_deref(),
            not_in_budget(&judgments.0.projects, &judgments.0.seen, judgments.1),
        ),
        (
            setup.projects_file.as_deref(),
            listed
                .iter()
                .map(|(id, seen)| (id.as_str(), *seen))
                .collect(),
        ),
    ] {
        let Some(path) = path else { continue };
        for (id, (line, n)) in seen {
            unknown(path, line, id, n, global);
        }
    }
}

/// The error of the `rows` rows of `file` naming project `id`, which `budget` does not
/// hold (the first of them on `line`, when known).
pub(crate) fn unknown_project(
    budget: &Path,
    file: &Path,
    line: Option<usize>,
    id: &str,
    rows: usize,
) -> Problem {
    let (en, zh) = match line {
        Some(line) => (
            format!(
                "project \"{id}\" is not in the budget ({rows} row(s), the first on line {line})"
            ),
            format!("项目“{id}”不在预算表中（{rows} 行，第一行在第 {line} 行）"),
        ),
        None => (
            format!("project \"{id}\" is not in the budget ({rows} row(s))"),
            format!("项目“{id}”不在预算表中（{rows} 行）"),
        ),
    };
    let mut p = Problem::error(file, en)
        .zh(zh)
        .code(Code::UnknownProject)
        .field("project")
        .zh_field("项目编码")
        .value(id)
        .expected(format!("a project of {}", budget.display()))
        .zh_expected(format!("{} 中的项目", budget.display()));
    if let Some(line) = line {
        p = p.at_line(line);
    }
    p
}

/// The projects of a file of outputs or judgments with no number in the budget, by code:
/// the first line and the rows of each.
fn not_in_budget<'s>(
    projects: &'s Interner,
    seen: &Seen,
    number: &[Option<u32>],
) -> BTreeMap<&'s str, (usize, usize)> {
    projects
        .names()
        .filter(|(p, _)| number[*p as usize].is_none())
        .map(|(p, id)| (id, seen.get(p)))
        .collect()
}

/// The checks of a project's budget rows: one name and one year (a row that says otherwise
/// is an error of the project), and no row repeated in every field (a warning).
pub(super) fn budget_rows(file: &Path, rows: &[BudgetRow], problems: &mut Problems) {
    let Some((first, rest)) = rows.split_first() else {
        return;
    };
    // A row that repeats an earlier one of the project in every field is most often the
    // same line pasted twice: the project's budget would count it twice.
    for (i, b) in rows.iter().enumerate() {
        let same = |a: &&BudgetRow| {
            (
                &a.name,
                a.year,
                a.initial_budget,
                a.adjusted_budget,
                a.allocated,
                &a.source,
            ) == (
                &b.name,
                b.year,
                b.initial_budget,
                b.adjusted_budget,
                b.allocated,
                &b.source,
            )
        };
        if let Some(earlier) = rows[..i].iter().find(same) {
            problems.push(
                Problem::warning(
                    file,
                    format!(
                        "budget row of project {} repeats line {} in every field: its amounts are counted twice",
                        b.project, earlier.line
                    ),
                )
                .zh(format!(
                    "项目 {} 的预算行与第 {} 行每一栏都相同：其金额被计了两次",
                    b.project, earlier.line
                ))
                .code(Code::DuplicateBudgetRow)
                .at_line(b.line)
                .field("project")
                .zh_field("项目编码")
                .value(&b.project)
                .expected(
                    "each funding source of a project once; a second allocation of the same source on a row of its own only if it is one",
                )
                .zh_expected("一个项目的每个资金来源只填一行；同一来源确有第二次下达时才另起一行"),
            );
        }
    }
    for b in rest {
        if first.name != b.name {
            problems.push(
                Problem::error(
                    file,
                    format!(
                        "project {} has two names (line {} says \"{}\")",
                        b.project, first.line, first.name
                    ),
                )
                .zh(format!(
                    "项目 {} 有两个名称（第 {} 行写的是“{}”）",
                    b.project, first.line, first.name
                ))
                .code(Code::ProjectChoice)
                .at_line(b.line)
                .field("name")
                .zh_field("项目名称")
                .value(&b.name)
                .expected("the same name on every row of a project")
                .zh_expected("同一项目各行的项目名称相同"),
            );
        }
        if first.year != b.year {
            problems.push(
                Problem::error(
                    file,
                    format!(
                        "project {} has two years (line {} says {})",
                        b.project, first.line, first.year
                    ),
                )
                .zh(format!(
                    "项目 {} 有两个年度（第 {} 行写的是 {}）",
                    b.project, first.line, first.year
                ))
                .code(Code::ProjectChoice)
                .at_line(b.line)
                .field("year")
                .zh_field("年度")
                .value(b.year.to_string())
                .expected("the same year on every row of a project")
                .zh_expected("同一项目各行的年度相同"),
            );
        }
    }
}
