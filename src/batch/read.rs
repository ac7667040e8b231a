//! The batch's reading: the budget and projects.csv, the ledger summed per project, the
//! outputs and judgments; each file with its own problems.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::both;
use super::store::{Judgments, Outputs};
use crate::data::{self, BudgetRow, ProjectRow};
use crate::diag::Problems;
use crate::ledger::{self, Ledger, LedgerOptions, ProjectSpending};
use crate::workspace::{self, Workspace};

/// The budget and projects.csv (two at a time when `parallel`), each with its problems.
/// The budget's rows are sorted by project code, each project's rows side by side (in
/// file order), with no room left over from growing: the rows are held until every
/// project is scored.
pub(super) fn budget_and_listing(
    setup: &Workspace,
    parallel: bool,
) -> ((Vec<BudgetRow>, Problems), (Vec<ProjectRow>, Problems)) {
    let read = &setup.inputs.options;
    let read_budget = || {
        let mut problems = Problems::default();
        let budget = data::read_budget(&setup.inputs.budget, read, &mut problems);
        (budget, problems)
    };
    let read_listed = || {
        let mut problems = Problems::default();
        let listed = setup
            .projects_file
            .as_deref()
            .map(|p| data::read_projects(p, read, &mut problems))
            .unwrap_or_default();
        (listed, problems)
    };
    let ((mut budget, problems), listed) = both(parallel, read_budget, read_listed);
    budget.sort_by(|a, b| a.project.cmp(&b.project));
    budget.shrink_to_fit();
    ((budget, problems), listed)
}

/// The projects of the budget in project-code order, each with its rows: a project's
/// number in the budget is its place here.
pub(super) struct Projects<'a>(Vec<(&'a str, &'a [BudgetRow])>);

impl<'a> Projects<'a> {
    /// The projects of a budget sorted by project code.
    pub(super) fn of(budget: &'a [BudgetRow]) -> Projects<'a> {
        Projects(
            budget
                .chunk_by(|a, b| a.project == b.project)
                .map(|rows| (rows[0].project.as_str(), rows))
                .collect(),
        )
    }

    /// The number of project `id` in the budget, if the budget holds it.
    pub(super) fn number(&self, id: &str) -> Option<usize> {
        self.0.binary_search_by(|(p, _)| (*p).cmp(id)).ok()
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Project number `n`: its code and its budget rows.
    pub(super) fn get(&self, n: usize) -> (&'a str, &'a [BudgetRow]) {
        self.0[n]
    }

    pub(super) fn ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.0.iter().map(|(p, _)| *p)
    }
}

/// A project's row of projects.csv, kept small while every project is scored: the rows
/// are dropped, the texts that many projects share (主管部门 department, 实施单位 unit) are
/// kept once each, and the scheme is the number of its path.
#[derive(Debug, Default, Clone)]
pub(super) struct Listing {
    scheme: Option<u32>,
    pub(super) department: Option<Arc<str>>,
    pub(super) unit: Option<Arc<str>>,
}

/// The listing of each project of the budget (by number), and the path of each scheme
/// named.
pub(super) struct Listings {
    of: Vec<Listing>,
    named: Vec<PathBuf>,
}

/// Projects of projects.csv the budget does not hold: for each, its first line and its
/// number of rows.
pub(super) type Unknown = BTreeMap<String, (usize, usize)>;

impl Listings {
    /// The listing of each of the `projects` of the budget (the last row of a project
    /// listed twice, which is an error already), the path of each scheme named, worked
    /// out once per name, and the projects listed that the budget does not hold.
    pub(super) fn of(
        listed: Vec<ProjectRow>,
        setup: &Workspace,
        projects: &Projects,
    ) -> (Listings, Unknown) {
        let mut unknown = Unknown::new();
        for r in listed
            .iter()
            .filter(|r| projects.number(&r.project).is_none())
        {
            unknown.entry(r.project.clone()).or_insert((r.line, 0)).1 += 1;
        }
        let mut of = vec![Listing::default(); projects.len()];
        let mut named: Vec<PathBuf> = Vec::new();
        let mut scheme_numbers: FxHashMap<&str, u32> = FxHashMap::default();
        let mut texts: FxHashSet<Arc<str>> = FxHashSet::default();
        let mut share = |text: &Option<String>| {
            let text = text.as_deref()?;
            Some(match texts.get(text) {
                Some(shared) => Arc::clone(shared),
                None => {
                    let shared: Arc<str> = Arc::from(text);
                    texts.insert(Arc::clone(&shared));
                    shared
                }
            })
        };
        for r in &listed {
            let scheme = r.scheme.as_deref().map(|s| {
                *scheme_numbers.entry(s).or_insert_with(|| {
                    named.push(workspace::normalize(&setup.dir.join(s)));
                    u32::try_from(named.len() - 1).unwrap_or(u32::MAX)
                })
            });
            let listing = Listing {
                scheme,
                department: share(&r.department),
                unit: share(&r.unit),
            };
            if let Some(n) = projects.number(&r.project) {
                of[n] = listing;
            }
        }
        (Listings { of, named }, unknown)
    }

    /// The listing of project number `n`.
    pub(super) fn get(&self, n: usize) -> &Listing {
        &self.of[n]
    }

    /// The scheme of project number `n`: the one given, else the one projects.csv names,
    /// else the folder's.
    pub(super) fn scheme_of<'s>(&'s self, n: usize, setup: &'s Workspace) -> Option<&'s Path> {
        let listed = self.of[n].scheme.map(|s| self.named[s as usize].as_path());
        setup.schemes.for_project(listed)
    }
}

/// The ledger summed per project.
pub(super) struct Spending {
    /// Each project's spending by its number in the budget.
    pub(super) of: Vec<ProjectSpending>,
    /// The projects the budget does not hold: code, first line, rows.
    pub(super) unknown: Vec<(String, usize, usize)>,
    pub(super) problems: Problems,
    pub(super) rows: usize,
    pub(super) fast: bool,
}

/// Sum the ledger per project on all threads, each project's rows checked against its
/// year in the budget.
pub(super) fn ledger(
    setup: &Workspace,
    projects: &Projects,
    options: &LedgerOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Spending {
    let ledger_options = LedgerOptions {
        read: setup.inputs.options.clone(),
        ..options.clone()
    };
    let years: HashMap<String, i32> = projects
        .0
        .iter()
        .map(|(id, rows)| (id.to_string(), rows[0].year))
        .collect();
    let ledger = ledger::aggregate(&setup.inputs.spending, &years, &ledger_options, progress);
    drop(years);
    let Ledger {
        projects: ledger_projects,
        problems,
        rows,
        fast,
        ..
    } = ledger;
    // The ledger's map, keyed by code, is let go as it is read.
    let mut of = vec![ProjectSpending::default(); projects.len()];
    let mut unknown = Vec::new();
    for (id, s) in ledger_projects {
        match projects.number(&id) {
            Some(n) => of[n] = s,
            None => unknown.push((id, s.first_line, s.rows)),
        }
    }
    Spending {
        of,
        unknown,
        problems,
        rows,
        fast,
    }
}

/// Outputs and judgments, read side by side when `parallel`: 0.05 s sooner than one after
/// the other for about 1 MiB more at the peak (the ledger's large blocks went back to the
/// system, see `cli::alloc` in the binary).
pub(super) fn outputs_and_judgments(
    setup: &Workspace,
    parallel: bool,
) -> ((Outputs, Problems), (Judgments, Problems)) {
    let read = &setup.inputs.options;
    let read_outputs = || {
        let mut problems = Problems::default();
        let rows = setup
            .inputs
            .outputs
            .as_deref()
            .map(|p| Outputs::read(p, read, &mut problems))
            .unwrap_or_default();
        (rows, problems)
    };
    let read_judgments = || {
        let mut problems = Problems::default();
        let rows = setup
            .inputs
            .judgments
            .as_deref()
            .map(|p| Judgments::read(p, read, &mut problems))
            .unwrap_or_default();
        (rows, problems)
    };
    both(parallel, read_outputs, read_judgments)
}
