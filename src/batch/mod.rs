//! A whole bureau in one run: every project of the budget scored from the same four files,
//! each with the scheme `projects.csv` names for it (or the folder's scheme). The ledger is
//! summed per project as it streams ([`crate::ledger`]); one project's problems do not stop
//! the others.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod store;

use store::{Judgments, Outputs};

use crate::data::{self, BudgetRow, ProjectRow};
use crate::diag::{Code, Problem, Problems};
use crate::evaluation::{self, Outcome, ProjectInfo, ScoreContext};
use crate::i18n::Lang;
use crate::ledger::{self, Ledger, LedgerOptions};
use crate::metrics::Funds;
pub use crate::outcome::{Batch, Distribution, Failure, Summary, distribution, ranked};
use crate::scheme::{self, Scheme};
use crate::scoring::Detail;
use crate::workspace::{self, Workspace};

/// Which projects a run scores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every project of the budget.
    All,
    /// One project (`--project`, or the budget's only one): the others are read and
    /// checked as in a batch, but not scored.
    One(String),
}

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

/// Each project has one name and one year: every budget row that says otherwise is an
/// error of the project.
fn name_and_year(file: &Path, rows: &[BudgetRow], problems: &mut Problems) {
    let Some((first, rest)) = rows.split_first() else {
        return;
    };
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
                .code(Code::ProjectChoice)
                .at_line(b.line)
                .field("name")
                .value(&b.name)
                .expected("the same name on every row of a project"),
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
                .code(Code::ProjectChoice)
                .at_line(b.line)
                .field("year")
                .value(b.year.to_string())
                .expected("the same year on every row of a project"),
            );
        }
    }
}

/// Score every project of the budget. Projects are scored on `options.threads` threads;
/// each full result is given to `render` on the thread that made it (so it is never kept),
/// and what `render` returns goes to `sink` in project-code order. `progress` is told how
/// many bytes of the ledger have been read. With [`Detail::Scores`], the results given to
/// `render` hold no texts of indicators: fit for the summary, not for a report.
#[allow(clippy::too_many_arguments)]
// Split pending (issue 12, item 8).
#[allow(clippy::too_many_lines)]
pub fn run(
    setup: &Workspace,
    scope: &Scope,
    lang: Lang,
    detail: Detail,
    options: &LedgerOptions,
    progress: &(dyn Fn(u64) + Sync),
    render: &(dyn Fn(&Outcome) -> std::io::Result<Vec<u8>> + Sync),
    sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<Batch> {
    let read = &setup.inputs.options;
    let projects_path = setup.projects_file.clone();
    // Budget and projects.csv, then outputs and judgments, are read two at a time, each
    // with its own problems, joined as if read one after the other.
    let parallel = options.threads > 1;
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
    let ledger_options = LedgerOptions {
        read: read.clone(),
        ..options.clone()
    };
    let read_budget = || {
        let mut problems = Problems::default();
        let budget = data::read_budget(&setup.inputs.budget, read, &mut problems);
        (budget, problems)
    };
    let read_listed = || {
        let mut problems = Problems::default();
        let listed = projects_path
            .as_deref()
            .map(|p| data::read_projects(p, read, &mut problems))
            .unwrap_or_default();
        (listed, problems)
    };
    // The budget first (the ledger needs the projects' years), then the ledger on all
    // threads, then outputs and judgments: one after the other, the memory of each step
    // is used again by the next (the run is CPU-bound: reading the files alongside the
    // ledger would save no time).
    let ((mut budget, mut problems), (listed, listed_problems)) =
        both(parallel, read_budget, read_listed);
    // Each project's rows side by side (in file order), and no room left over from
    // growing: the rows are held until every project is scored.
    budget.sort_by(|a, b| a.project.cmp(&b.project));
    budget.shrink_to_fit();
    // The projects of the budget in project-code order, each with its rows: a project's
    // number in the budget is its place here.
    let by_project: Vec<(&str, &[BudgetRow])> = budget
        .chunk_by(|a, b| a.project == b.project)
        .map(|rows| (rows[0].project.as_str(), rows))
        .collect();
    let budget_number = |id: &str| by_project.binary_search_by(|(p, _)| (*p).cmp(id)).ok();
    // projects.csv is made small before the ledger is read: its rows are not held while
    // the ledger, outputs and judgments are read and the projects scored.
    let mut listed_unknown: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in listed
        .iter()
        .filter(|r| budget_number(&r.project).is_none())
    {
        listed_unknown
            .entry(r.project.clone())
            .or_insert((r.line, 0))
            .1 += 1;
    }
    let (listings, named) = Listing::of_projects(listed, setup, &budget_number, by_project.len());

    let years: HashMap<String, i32> = by_project
        .iter()
        .map(|(id, rows)| (id.to_string(), rows[0].year))
        .collect();
    let ledger = ledger::aggregate(&setup.inputs.spending, &years, &ledger_options, progress);
    drop(years);
    let Ledger {
        projects: ledger_projects,
        problems: ledger_problems,
        rows: spending_rows,
        fast,
        ..
    } = ledger;
    // Each project's spending by its number in the budget (the ledger's map, keyed by
    // code, is let go as it is read), and the projects the budget does not hold.
    let mut spending = vec![ledger::ProjectSpending::default(); by_project.len()];
    let mut spending_unknown = Vec::new();
    for (id, s) in ledger_projects {
        match budget_number(&id) {
            Some(n) => spending[n] = s,
            None => spending_unknown.push((id, s.first_line, s.rows)),
        }
    }
    // Outputs and judgments are read side by side: 0.05 s sooner than one after the other
    // for about 1 MiB more at the peak (the ledger's large blocks went back to the system,
    // see `crate::alloc`).
    let (outputs, judgments) = both(parallel, read_outputs, read_judgments);
    let ((outputs, outputs_problems), (judgments, judgments_problems)) = (outputs, judgments);
    problems.extend(outputs_problems.0);
    problems.extend(judgments_problems.0);
    problems.extend(listed_problems.0);
    problems.extend(ledger_problems.0);

    // Each problem goes with the project of its row, when that project is in the budget;
    // an error that could belong to any project stops them all.
    let mut own: BTreeMap<usize, Problems> = BTreeMap::new();
    let mut global = Problems::default();
    for p in problems.0 {
        match stops(&p, &setup.inputs.spending, budget_number) {
            Stops::Project(n) => own.entry(n).or_default().push(p),
            // Whether it stops every project is decided below, with the rows of unknown
            // projects.
            Stops::Nothing | Stops::Everything => global.push(p),
        }
    }

    // Rows of projects the budget does not hold: one error per project and file.
    let unknown = |file: &Path, line: usize, id: &str, rows: usize, global: &mut Problems| {
        global.push(
            Problem::error(
                file,
                format!("project \"{id}\" is not in the budget ({rows} row(s), the first on line {line})"),
            )
            .code(Code::UnknownProject)
            .at_line(line)
            .field("project")
            .value(id)
            .expected(format!("a project of {}", setup.inputs.budget.display())),
        );
    };
    // The budget number of each project of outputs and judgments.
    let outputs_number = store::budget_numbers(&outputs.projects, budget_number);
    let judgments_number = store::budget_numbers(&judgments.projects, budget_number);
    if !budget.is_empty() {
        for (id, line, rows) in &spending_unknown {
            unknown(&setup.inputs.spending, *line, id, *rows, &mut global);
        }
        for (path, seen) in [
            (
                setup.inputs.outputs.as_deref(),
                outputs
                    .projects
                    .names()
                    .filter(|(p, _)| outputs_number[*p as usize].is_none())
                    .map(|(p, id)| (id, outputs.seen.get(p)))
                    .collect::<BTreeMap<_, _>>(),
            ),
            (
                setup.inputs.judgments.as_deref(),
                judgments
                    .projects
                    .names()
                    .filter(|(p, _)| judgments_number[*p as usize].is_none())
                    .map(|(p, id)| (id, judgments.seen.get(p)))
                    .collect(),
            ),
            (
                projects_path.as_deref(),
                listed_unknown
                    .iter()
                    .map(|(id, seen)| (id.as_str(), *seen))
                    .collect(),
            ),
        ] {
            let Some(path) = path else { continue };
            for (id, (line, n)) in seen {
                unknown(path, line, id, n, &mut global);
            }
        }
    }

    // The rows of unknown projects are judged by the same rule as the rest.
    let mut blocked = global
        .0
        .iter()
        .any(|p| stops(p, &setup.inputs.spending, budget_number) == Stops::Everything);
    let outputs_of = outputs.groups(&outputs_number, by_project.len());
    let judgments_of = judgments.groups(&judgments_number, by_project.len());
    drop((
        outputs_number,
        judgments_number,
        spending_unknown,
        listed_unknown,
    ));

    // Each project's scheme, loaded once per file before the projects are scored.
    let scheme_of = |n: usize| -> Option<&Path> {
        let listed = listings[n].scheme.map(|s| named[s as usize].as_path());
        setup.schemes.for_project(listed)
    };
    // The projects scored, by number in the budget: all, or the one chosen.
    let chosen: Vec<usize> = match scope {
        Scope::All => (0..by_project.len()).collect(),
        Scope::One(id) => match budget_number(id) {
            Some(n) => vec![n],
            // An empty budget is said once, below.
            None if by_project.is_empty() => {
                blocked = true;
                Vec::new()
            }
            None => {
                let ids: Vec<String> = by_project.iter().map(|(p, _)| p.to_string()).collect();
                global.push(
                    Problem::error(
                        &setup.inputs.budget,
                        format!(
                            "the project to score, \"{id}\" (from evaluation.toml or --project), is not in the budget"
                        ),
                    )
                    .code(Code::ProjectChoice)
                    .field("project")
                    .value(id)
                    .expected(format!("one of: {}", workspace::listed(&ids))),
                );
                blocked = true;
                Vec::new()
            }
        },
    };
    // Nothing is scored: the projects' own problems are reported with the rest.
    let chosen = if blocked {
        for (_, p) in std::mem::take(&mut own) {
            global.extend(p.0);
        }
        Vec::new()
    } else {
        chosen
    };
    let mut schemes: BTreeMap<&Path, Result<Arc<Scheme>, Problems>> = BTreeMap::new();
    for &n in &chosen {
        if let Some(path) = scheme_of(n)
            && !schemes.contains_key(path)
        {
            let loaded = scheme::load(path).map(Arc::new).map_err(|e| Problems(e.0));
            schemes.insert(path, loaded);
        }
    }
    let mut batch = Batch {
        spending_rows,
        fast,
        blocked,
        ..Batch::default()
    };
    batch.scored.reserve_exact(chosen.len());
    let files = evaluation::SourceFiles::of(setup);
    let score = |(n, id, rows, mut problems): Job| -> Result<Outcome, Failure> {
        let listing = &listings[n];
        let scheme_path = scheme_of(n);
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
        name_and_year(&setup.inputs.budget, rows, &mut problems);
        let scheme = match scheme_path.and_then(|p| schemes.get(p)) {
            None => {
                problems.push(
                    Problem::error(
                        projects_path.as_deref().unwrap_or(&setup.eval_file),
                        format!("no scheme for project {id}"),
                    )
                    .code(Code::BadEvaluation)
                    .field("scheme")
                    .expected("a scheme in projects.csv, in evaluation.toml or --scheme FILE"),
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
        };
        let spent = &spending[n];
        let mut spending_problems = Problems::default();
        let file = &setup.inputs.spending;
        let shown: Vec<String> = spent.outside_lines.iter().map(usize::to_string).collect();
        evaluation::outside_year_problem(
            file,
            project.year,
            spent.outside_year,
            &shown,
            spent.outside_lines.first().copied(),
            &mut spending_problems,
        );
        for d in &spent.duplicates {
            spending_problems.push(data::duplicate_voucher_problem(
                file,
                id,
                &d.voucher,
                d.line,
                d.first_line,
            ));
        }
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
        let read_errors = problems.has_errors();
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
                lang,
                detail,
                files: files.clone(),
            },
        )
        .map_err(|e| failure(e.0))
    };
    // Projects are scored on the threads in chunks; results are handed on in project order.
    const CHUNK: usize = 64;
    let threads = options.threads.max(1);
    let chunks: Vec<std::sync::Mutex<Option<Vec<Job>>>> = chosen
        .chunks(CHUNK)
        .map(|part| {
            let jobs = part
                .iter()
                .map(|&n| {
                    let (id, rows) = by_project[n];
                    (n, id, rows, own.remove(&n).unwrap_or_default())
                })
                .collect();
            std::sync::Mutex::new(Some(jobs))
        })
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    type Done = std::io::Result<(Vec<u8>, Summary)>;
    // Score the next chunk not taken, if any (and not stopped).
    let work = || -> Option<(usize, Vec<Result<Done, Failure>>)> {
        use std::sync::atomic::Ordering;
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= chunks.len() || stop.load(Ordering::Relaxed) {
            return None;
        }
        let chunk = chunks[i].lock().expect("chunk").take().unwrap_or_default();
        let done = chunk
            .into_iter()
            .map(|job| score(job).map(|o| Ok((render(&o)?, Summary::of(o)))))
            .collect();
        Some((i, done))
    };
    let outcome: std::io::Result<()> = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<Result<Done, Failure>>)>();
        // The calling thread is one of the threads: its allocator arena holds the memory
        // the ledger let go, which a new thread's arena could not use.
        for _ in 1..threads {
            let tx = tx.clone();
            let work = &work;
            s.spawn(move || {
                while let Some(done) = work() {
                    if tx.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // The chunks done, by number, until those before them are handed on.
        let mut waiting = BTreeMap::new();
        let mut want = 0;
        let mut hand_on = |waiting: &mut BTreeMap<usize, Vec<Result<Done, Failure>>>| {
            while let Some(done) = waiting.remove(&want) {
                want += 1;
                for r in done {
                    match r {
                        Ok(done) => {
                            if let Err(e) = done.and_then(|(bytes, summary)| {
                                sink(&bytes)?;
                                batch.scored.push(summary);
                                Ok(())
                            }) {
                                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                                return Err(e);
                            }
                        }
                        Err(f) => batch.failures.push(f),
                    }
                }
            }
            Ok(())
        };
        while let Some((i, done)) = work() {
            waiting.insert(i, done);
            waiting.extend(rx.try_iter());
            hand_on(&mut waiting)?;
        }
        for (i, done) in rx.iter() {
            waiting.insert(i, done);
            hand_on(&mut waiting)?;
        }
        Ok(())
    });
    outcome?;
    if budget.is_empty() && !global.has_errors() {
        batch.blocked = true;
        global.push(
            Problem::error(&setup.inputs.budget, "the budget has no rows")
                .code(Code::ProjectChoice)
                .expected("a row per project and funding source"),
        );
    }
    batch.problems = data::cap_per_file(global, data::MAX_PROBLEMS_PER_FILE);
    Ok(batch)
}

/// A project to score: its number in the budget, its code, its budget rows and the
/// problems found for it while reading.
type Job<'a> = (usize, &'a str, &'a [BudgetRow], Problems);

/// A project's row of projects.csv, kept small while every project is scored: the rows
/// are dropped, the texts that many projects share (主管部门 department, 实施单位 unit) are
/// kept once each, and the scheme is the number of its path.
#[derive(Debug, Default, Clone)]
struct Listing {
    scheme: Option<u32>,
    department: Option<Arc<str>>,
    unit: Option<Arc<str>>,
}

impl Listing {
    /// The listing of each of the `projects` of the budget (by number; the last row of a
    /// project listed twice, which is an error already), and the path of each scheme
    /// named, worked out once per name.
    fn of_projects(
        listed: Vec<ProjectRow>,
        setup: &Workspace,
        budget_number: &dyn Fn(&str) -> Option<usize>,
        projects: usize,
    ) -> (Vec<Listing>, Vec<PathBuf>) {
        let mut listings = vec![Listing::default(); projects];
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
            if let Some(n) = budget_number(&r.project) {
                listings[n] = listing;
            }
        }
        (listings, named)
    }
}

/// Run `a` and `b`, on two threads when `parallel`.
fn both<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let b = s.spawn(b);
        let a = a();
        let b = b.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (a, b)
    })
}
