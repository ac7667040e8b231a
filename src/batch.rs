//! A whole bureau in one run: every project of the budget scored from the same four files,
//! each with the scheme `projects.csv` names for it (or the folder's scheme). The ledger is
//! summed per project as it streams ([`crate::ledger`]); one project's problems do not stop
//! the others.

use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::data::{self, BudgetRow, JudgmentRow, OutputRow, ProjectRow};
use crate::diag::{Code, Problem, Problems};
use crate::evaluation::{self, EvaluationSetup, Outcome, ProjectInfo, ScoreContext};
use crate::i18n::Lang;
use crate::ledger::{self, Ledger, LedgerOptions};
use crate::metrics::Funds;
use crate::scheme::{self, Scheme};

pub use crate::data::PROJECTS_FILE;

/// A project that could not be scored, with every problem found for it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub project: String,
    pub name: String,
    pub problems: Problems,
}

/// One line of the summary of a batch: what the table, the CSV and the distribution need
/// of a project scored. The full result is handed to the caller as it is made and not
/// kept, so memory does not hold 20,000 score sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub project: String,
    pub name: String,
    pub department: Option<String>,
    /// 全年预算数
    pub budget: Decimal,
    /// 全年执行数
    pub spent: Decimal,
    /// 预算执行率 (执行数/全年预算数), as printed
    pub execution_rate: Option<Decimal>,
    pub total: Decimal,
    pub grade: String,
    pub scheme: String,
}

impl Summary {
    fn of(o: &Outcome) -> Summary {
        Summary {
            project: o.project.id.clone(),
            name: o.project.name.clone(),
            department: o.project.department.clone(),
            budget: o.funds.adjusted_budget,
            spent: o.funds.spent,
            execution_rate: o.funds.execution_rate(),
            total: o.total(),
            grade: o.sheet.grade.clone(),
            scheme: o.scheme.id.clone(),
        }
    }
}

/// The result of a batch.
#[derive(Debug, Default)]
pub struct Batch {
    /// The projects scored, in project-code order.
    pub scored: Vec<Summary>,
    /// The projects that could not be scored, in project-code order.
    pub failures: Vec<Failure>,
    /// Problems that belong to no project of the budget (a missing column, a row of an
    /// unknown project, a file that cannot be read).
    pub problems: Problems,
    /// Spending rows summed.
    pub spending_rows: usize,
    /// Whether the ledger was summed by the parallel reader.
    pub fast: bool,
}

impl Batch {
    /// Whether anything went wrong: a project failed or a problem of no project is an error.
    pub fn has_errors(&self) -> bool {
        !self.failures.is_empty() || self.problems.has_errors()
    }
}

/// The projects of the budget, without reading anything else: a folder holding several
/// (and no project chosen) is scored as a batch.
pub fn budget_projects(setup: &EvaluationSetup) -> usize {
    let mut problems = Problems::default();
    let rows = data::read_budget(&setup.inputs.budget, &setup.inputs.options, &mut problems);
    let mut ids: Vec<&str> = rows.iter().map(|b| b.project.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// Where projects.csv is for this folder, if it exists.
pub fn projects_file(setup: &EvaluationSetup) -> Option<PathBuf> {
    let p = setup.dir.join(PROJECTS_FILE);
    p.is_file().then_some(p)
}

/// For a run that scores one chosen project of a batch folder: its row of projects.csv
/// gives the scheme (when neither `--scheme` nor evaluation.toml does), the department and
/// the unit.
pub fn apply_projects_file(setup: &mut EvaluationSetup) -> Result<(), Problems> {
    let (Some(path), Some(id)) = (projects_file(setup), setup.project.clone()) else {
        return Ok(());
    };
    let mut problems = Problems::default();
    let rows = data::read_projects(&path, &setup.inputs.options, &mut problems);
    if problems.has_errors() {
        return Err(problems);
    }
    if let Some(row) = rows.into_iter().find(|r| r.project == id) {
        if setup.scheme.as_os_str().is_empty()
            && let Some(s) = &row.scheme
        {
            setup.scheme = evaluation::normalize(&setup.dir.join(s));
        }
        if row.department.is_some() {
            setup.department = row.department;
        }
        if row.unit.is_some() {
            setup.unit = row.unit;
        }
    }
    if setup.scheme.as_os_str().is_empty() {
        problems.push(
            Problem::error(&path, format!("no scheme for project {id}"))
                .code(Code::BadEvaluation)
                .field("scheme")
                .expected("a scheme in projects.csv, in evaluation.toml or --scheme FILE"),
        );
        return Err(problems);
    }
    Ok(())
}

/// Score every project of the budget. Projects are scored on `options.threads` threads;
/// each full result is given to `render` on the thread that made it (so it is never kept),
/// and what `render` returns goes to `sink` in project-code order. `progress` is told how
/// many bytes of the ledger have been read.
pub fn run(
    setup: &EvaluationSetup,
    lang: Lang,
    options: &LedgerOptions,
    progress: &(dyn Fn(u64) + Sync),
    render: &(dyn Fn(&Outcome) -> std::io::Result<Vec<u8>> + Sync),
    sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<Batch> {
    let read = &setup.inputs.options;
    let mut problems = Problems::default();
    let budget = data::read_budget(&setup.inputs.budget, read, &mut problems);
    let outputs = setup
        .inputs
        .outputs
        .as_deref()
        .map(|p| data::read_outputs(p, read, &mut problems))
        .unwrap_or_default();
    let judgments = setup
        .inputs
        .judgments
        .as_deref()
        .map(|p| data::read_judgments(p, read, &mut problems))
        .unwrap_or_default();
    let projects_path = projects_file(setup);
    let listed = projects_path
        .as_deref()
        .map(|p| data::read_projects(p, read, &mut problems))
        .unwrap_or_default();

    let mut by_project: BTreeMap<&str, Vec<&BudgetRow>> = BTreeMap::new();
    for b in &budget {
        by_project.entry(b.project.as_str()).or_default().push(b);
    }
    let years: HashMap<String, i32> = by_project
        .iter()
        .map(|(id, rows)| (id.to_string(), rows[0].year))
        .collect();
    let options = LedgerOptions {
        read: read.clone(),
        ..options.clone()
    };
    let ledger = ledger::aggregate(&setup.inputs.spending, &years, &options, progress);
    let Ledger {
        projects: spending,
        problems: ledger_problems,
        rows: spending_rows,
        fast,
        ..
    } = ledger;
    problems.extend(ledger_problems.0);

    // Each problem goes with the project of its row, when that project is in the budget.
    let mut own: BTreeMap<&str, Problems> = BTreeMap::new();
    let mut global = Problems::default();
    for p in problems.0 {
        match p
            .project
            .as_deref()
            .and_then(|id| by_project.get_key_value(id).map(|(k, _)| *k))
        {
            Some(id) => own.entry(id).or_default().push(p),
            None => global.push(p),
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
    if !budget.is_empty() {
        for (id, s) in &spending {
            if !by_project.contains_key(id.as_str()) {
                unknown(
                    &setup.inputs.spending,
                    s.first_line,
                    id,
                    s.rows,
                    &mut global,
                );
            }
        }
        for (path, rows) in [
            (
                setup.inputs.outputs.as_deref(),
                outputs
                    .iter()
                    .map(|o| (o.project.as_str(), o.line))
                    .collect::<Vec<_>>(),
            ),
            (
                setup.inputs.judgments.as_deref(),
                judgments
                    .iter()
                    .map(|j| (j.project.as_str(), j.line))
                    .collect(),
            ),
            (
                projects_path.as_deref(),
                listed
                    .iter()
                    .map(|r| (r.project.as_str(), r.line))
                    .collect(),
            ),
        ] {
            let Some(path) = path else { continue };
            let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            for (id, line) in rows {
                if !by_project.contains_key(id) {
                    seen.entry(id).or_insert((line, 0)).1 += 1;
                }
            }
            for (id, (line, n)) in seen {
                unknown(path, line, id, n, &mut global);
            }
        }
    }

    let mut outputs_of: BTreeMap<&str, Vec<&OutputRow>> = BTreeMap::new();
    for o in &outputs {
        outputs_of.entry(o.project.as_str()).or_default().push(o);
    }
    let mut judgments_of: BTreeMap<&str, Vec<&JudgmentRow>> = BTreeMap::new();
    for j in &judgments {
        judgments_of.entry(j.project.as_str()).or_default().push(j);
    }
    let listed_of: BTreeMap<&str, &ProjectRow> =
        listed.iter().map(|r| (r.project.as_str(), r)).collect();

    // Each project's scheme, loaded once per file before the projects are scored.
    let scheme_of = |id: &str| -> PathBuf {
        match listed_of.get(id).and_then(|r| r.scheme.as_deref()) {
            Some(s) => evaluation::normalize(&setup.dir.join(s)),
            None => setup.scheme.clone(),
        }
    };
    let mut schemes: BTreeMap<PathBuf, Result<Scheme, Problems>> = BTreeMap::new();
    for id in by_project.keys() {
        let path = scheme_of(id);
        if !path.as_os_str().is_empty() && !schemes.contains_key(&path) {
            let loaded = scheme::load(&path).map_err(|e| Problems(e.0));
            schemes.insert(path, loaded);
        }
    }
    let mut batch = Batch {
        spending_rows,
        fast,
        ..Batch::default()
    };
    let jobs: Vec<(&str, &Vec<&BudgetRow>, Problems)> = by_project
        .iter()
        .map(|(id, rows)| (*id, rows, own.remove(id).unwrap_or_default()))
        .collect();
    let empty = ledger::ProjectSpending::default();
    let score =
        |(id, rows, mut problems): (&str, &Vec<&BudgetRow>, Problems)| -> Result<Outcome, Failure> {
            let entry = listed_of.get(id);
            let scheme_path = scheme_of(id);
            let first = rows[0];
            let project = ProjectInfo {
                id: first.project.clone(),
                name: first.name.clone(),
                year: first.year,
                department: entry
                    .and_then(|r| r.department.clone())
                    .or_else(|| setup.department.clone()),
                unit: entry
                    .and_then(|r| r.unit.clone())
                    .or_else(|| setup.unit.clone()),
            };
            for b in &rows[1..] {
                if b.name != first.name || b.year != first.year {
                    problems.push(
                        Problem::error(
                            &setup.inputs.budget,
                            format!(
                                "project {id} has another name or year on line {} (\"{}\", {})",
                                first.line, first.name, first.year
                            ),
                        )
                        .code(Code::ProjectChoice)
                        .at_line(b.line)
                        .field("name")
                        .value(&b.name)
                        .expected("the same name and year on every row of a project"),
                    );
                }
            }
            let scheme = match schemes.get(&scheme_path) {
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
            let spent = spending.get(id).unwrap_or(&empty);
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
            let mut funds = Funds::from_rows(rows.iter().copied(), std::iter::empty());
            funds.spent = spent.spent;
            funds.spending_rows = spent.rows;
            let read_errors = problems.has_errors();
            evaluation::score_one(
                setup,
                scheme,
                project,
                funds,
                outputs_of.get(id).map_or(&[][..], Vec::as_slice),
                judgments_of.get(id).map_or(&[][..], Vec::as_slice),
                ScoreContext {
                    read_errors,
                    problems,
                    spending_problems,
                    lang,
                    rows: evaluation::ProjectRows {
                        budget: rows.iter().map(|r| (*r).clone()).collect(),
                        spending: Vec::new(),
                    },
                },
            )
            .map_err(|e| failure(e.0))
        };
    // Projects are scored on the threads in chunks; results are handed on in project order.
    const CHUNK: usize = 64;
    let threads = options.threads.max(1);
    let mut chunks: Vec<Vec<(&str, &Vec<&BudgetRow>, Problems)>> = Vec::new();
    let mut jobs = jobs.into_iter().peekable();
    while jobs.peek().is_some() {
        chunks.push(jobs.by_ref().take(CHUNK).collect());
    }
    let chunks: Vec<std::sync::Mutex<Option<_>>> = chunks
        .into_iter()
        .map(|c| std::sync::Mutex::new(Some(c)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let outcome: std::io::Result<()> = std::thread::scope(|s| {
        type Done = std::io::Result<(Vec<u8>, Summary)>;
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<Result<Done, Failure>>)>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (chunks, next, stop, score) = (&chunks, &next, &stop, &score);
            s.spawn(move || {
                use std::sync::atomic::Ordering;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= chunks.len() || stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let chunk = chunks[i].lock().expect("chunk").take().unwrap_or_default();
                    let done: Vec<_> = chunk
                        .into_iter()
                        .map(|job| score(job).map(|o| Ok((render(&o)?, Summary::of(&o)))))
                        .collect();
                    if tx.send((i, done)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting = BTreeMap::new();
        let mut want = 0;
        for (i, done) in rx.iter() {
            waiting.insert(i, done);
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
        }
        Ok(())
    });
    outcome?;
    if budget.is_empty() && !global.has_errors() {
        global.push(
            Problem::error(&setup.inputs.budget, "the budget has no rows")
                .code(Code::ProjectChoice)
                .expected("a row per project and funding source"),
        );
    }
    batch.problems = data::cap_per_file(global, data::MAX_PROBLEMS_PER_FILE);
    Ok(batch)
}

/// The distribution of the scores of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// Projects per grade, best grade first.
    pub grades: Vec<(String, usize)>,
    pub mean: Option<Decimal>,
    pub median: Option<Decimal>,
    /// Projects whose 预算执行率 is below 80% and below 60%.
    pub below_80: Vec<String>,
    pub below_60: Vec<String>,
}

/// Count, mean and median, and the projects spending too little.
pub fn distribution(scored: &[Summary]) -> Distribution {
    let mut grades: Vec<(String, usize, Decimal)> = Vec::new();
    for o in scored {
        match grades.iter_mut().find(|g| g.0 == o.grade) {
            Some(g) => {
                g.1 += 1;
                g.2 = g.2.max(o.total);
            }
            None => grades.push((o.grade.clone(), 1, o.total)),
        }
    }
    grades.sort_by_key(|g| std::cmp::Reverse(g.2));
    let mut totals: Vec<Decimal> = scored.iter().map(|o| o.total).collect();
    totals.sort();
    let n = totals.len();
    let mean = (n > 0)
        .then(|| crate::decimal::round_score(totals.iter().sum::<Decimal>() / Decimal::from(n)));
    let median = (n > 0).then(|| {
        let m = if n % 2 == 1 {
            totals[n / 2]
        } else {
            (totals[n / 2 - 1] + totals[n / 2]) / Decimal::TWO
        };
        crate::decimal::round_score(m)
    });
    let below = |limit: Decimal| {
        scored
            .iter()
            .filter(|o| o.execution_rate.is_some_and(|r| r < limit))
            .map(|o| o.project.clone())
            .collect()
    };
    Distribution {
        grades: grades.into_iter().map(|(g, n, _)| (g, n)).collect(),
        mean,
        median,
        below_80: below(Decimal::new(80, 2)),
        below_60: below(Decimal::new(60, 2)),
    }
}

/// The projects by score, best first (then by project code).
pub fn ranked(scored: &[Summary]) -> Vec<&Summary> {
    let mut v: Vec<&Summary> = scored.iter().collect();
    v.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| a.project.cmp(&b.project))
    });
    v
}
