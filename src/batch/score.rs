//! One project of the batch scored: its schemes loaded once per file, its budget rows,
//! spending, outputs and judgments gathered, and [`crate::evaluation::score_one`] called.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::Failure;
use super::problems::budget_rows;
use super::read::Listings;
use super::schedule::Job;
use super::store::{Groups, Judgments, Outputs};
use crate::diag::{Code, Problem, Problems};
use crate::evaluation::{self, Outcome, ProjectInfo, ScoreContext, SourceFiles};
use crate::i18n::Lang;
use crate::ledger::ProjectSpending;
use crate::metrics::Funds;
use crate::scheme::{self, Scheme};
use crate::scoring::Detail;
use crate::workspace::Workspace;

/// A scheme loaded, or why it could not be.
type Loaded = Result<Arc<Scheme>, Problems>;

/// Each scheme of the `chosen` projects (by number), loaded once per file before the
/// projects are scored. A scheme the folder names (not `--scheme`) is read only inside
/// the allowed root.
pub(super) fn load_schemes<'a>(
    chosen: &[usize],
    setup: &Workspace,
    scheme_of: impl Fn(usize) -> Option<&'a Path>,
) -> BTreeMap<&'a Path, Loaded> {
    let mut schemes: BTreeMap<&Path, Loaded> = BTreeMap::new();
    for &n in chosen {
        if let Some(path) = scheme_of(n)
            && !schemes.contains_key(path)
        {
            let named_by = setup.projects_file.as_deref().unwrap_or(&setup.eval_file);
            let admitted = if setup.schemes.given.as_deref() == Some(path) {
                Ok(())
            } else {
                setup.root.admit(path)
            };
            let loaded = match admitted {
                Ok(()) => scheme::load(path).map(Arc::new).map_err(|e| Problems(e.0)),
                Err(why) => Err(Problems(vec![
                    setup
                        .root
                        .refused(path, why)
                        .in_file(named_by)
                        .field("scheme"),
                ])),
            };
            schemes.insert(path, loaded);
        }
    }
    schemes
}

/// What every project of the batch is scored from, shared by the threads.
pub(super) struct Scorer<'a> {
    pub(super) setup: &'a Workspace,
    pub(super) lang: Lang,
    pub(super) detail: Detail,
    pub(super) listings: &'a Listings,
    pub(super) schemes: BTreeMap<&'a Path, Loaded>,
    /// Each project's spending, by number in the budget.
    pub(super) spending: &'a [ProjectSpending],
    /// The outputs and judgments, and their rows of each project by number.
    pub(super) outputs: (&'a Outputs, &'a Groups),
    pub(super) judgments: (&'a Judgments, &'a Groups),
    pub(super) files: SourceFiles,
}

impl Scorer<'_> {
    /// Score one project, with the problems found for it while reading.
    pub(super) fn score(&self, (n, id, rows, mut problems): Job) -> Result<Outcome, Failure> {
        let setup = self.setup;
        let listing = self.listings.get(n);
        let first = &rows[0];
        let project = ProjectInfo {
            id: first.project.clone(),
            name: first.name.clone(),
            year: first.year,
            department: listing
                .department
                .as_deref()
                .map(String::from)
                .or_else(|| setup.department.clone()),
            unit: listing
                .unit
                .as_deref()
                .map(String::from)
                .or_else(|| setup.unit.clone()),
        };
        budget_rows(&setup.inputs.budget, rows, &mut problems);
        let scheme = self.scheme(n, id, &mut problems);
        let spent = &self.spending[n];
        let spending_problems = self.spending_problems(id, project.year, spent);
        let failure = |problems| Failure {
            project: id.to_string(),
            name: first.name.clone(),
            problems,
        };
        let Some(scheme) = scheme else {
            return Err(failure(problems));
        };
        let mut funds = Funds::from_rows(rows, std::iter::empty());
        funds.spent = spent.spent;
        funds.spending_rows = spent.rows;
        funds.spent_by_source(&spent.by_source, spent.unsourced);
        let read_errors = problems.has_errors();
        let (outputs, outputs_of) = self.outputs;
        let (judgments, judgments_of) = self.judgments;
        let project_outputs: Vec<_> = outputs.values(outputs_of.rows(n)).collect();
        evaluation::score_one(
            setup,
            scheme,
            project,
            funds,
            &project_outputs,
            judgments.judgments(judgments_of.rows(n)),
            ScoreContext {
                read_errors,
                problems,
                spending_problems,
                lang: self.lang,
                detail: self.detail,
                files: self.files.clone(),
            },
        )
        .map_err(|e| failure(e.0))
    }

    /// The scheme of project number `n`, its warnings added to `problems`; `None` (with
    /// the reason in `problems`) when it has none or it could not be loaded.
    fn scheme(&self, n: usize, id: &str, problems: &mut Problems) -> Option<&Arc<Scheme>> {
        let setup = self.setup;
        let path = self.listings.scheme_of(n, setup);
        match path.and_then(|p| self.schemes.get(p)) {
            None => {
                problems.push(
                    Problem::error(
                        setup.projects_file.as_deref().unwrap_or(&setup.eval_file),
                        format!("no scheme for project {id}"),
                    )
                    .zh(format!("项目 {id} 没有指标体系"))
                    .code(Code::BadEvaluation)
                    .field("scheme")
                    .expected("a scheme in projects.csv, in evaluation.toml or --scheme FILE")
                    .zh_expected(
                        "在 projects.csv 或 evaluation.toml 中写明指标体系，或用 --scheme 文件 指定",
                    ),
                );
                None
            }
            Some(Ok(s)) => {
                problems.extend(s.warnings.iter().cloned());
                Some(s)
            }
            Some(Err(p)) => {
                problems.extend(p.0.iter().cloned());
                None
            }
        }
    }

    /// The problems of a project's spending found while summing the ledger: rows outside
    /// its year and vouchers given twice.
    fn spending_problems(&self, id: &str, year: i32, spent: &ProjectSpending) -> Problems {
        spent.problems(&self.setup.inputs.spending, id, year)
    }
}
