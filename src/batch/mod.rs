//! A whole bureau in one run: every project of the budget scored from the same four files,
//! each with the scheme `projects.csv` names for it (or the folder's scheme). The ledger is
//! summed per project as it streams ([`crate::ledger`]); one project's problems do not stop
//! the others.
//!
//! [`run`] reads the files (`read.rs`), sorts the problems found to the projects they stop
//! (`problems.rs`), and scores the chosen projects (`score.rs`) on the threads, handing the
//! results on in order (`schedule.rs`).

use std::collections::BTreeMap;

use crate::diag::{Code, Problem};
use crate::evaluation::Outcome;
use crate::i18n::Lang;
use crate::ledger::LedgerOptions;
pub use crate::outcome::{Batch, Distribution, Failure, Summary, distribution, ranked};
use crate::scoring::Detail;
pub use crate::workspace::Scope;
use crate::workspace::Workspace;

mod one;
pub(crate) mod problems;
mod read;
mod schedule;
mod score;
mod store;

pub use one::{Rows, Scored, problems, score_one};
use read::{Listings, Projects};

/// Score every project of the budget. Projects are scored on `options.threads` threads;
/// each full result is given to `render` on the thread that made it (so it is never kept),
/// and what `render` returns goes to `sink` in project-code order. `progress` is told how
/// many bytes of the ledger have been read. With [`Detail::Scores`], the results given to
/// `render` hold no texts of indicators: fit for the summary, not for a report.
#[allow(clippy::too_many_arguments)]
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
    // Budget and projects.csv, then outputs and judgments, are read two at a time, each
    // with its own problems, joined as if read one after the other.
    let parallel = options.threads > 1;
    // The budget first (the ledger needs the projects' years), then the ledger on all
    // threads, then outputs and judgments: one after the other, the memory of each step
    // is used again by the next (the run is CPU-bound: reading the files alongside the
    // ledger would save no time).
    let ((budget, mut problems), (listed, listed_problems)) =
        read::budget_and_listing(setup, parallel);
    let projects = Projects::of(&budget);
    // projects.csv is made small before the ledger is read: its rows are not held while
    // the ledger, outputs and judgments are read and the projects scored.
    let (listings, listed_unknown) = Listings::of(listed, setup, &projects);
    let ledger = read::ledger(setup, &projects, options, progress);
    let ((outputs, outputs_problems), (judgments, judgments_problems)) =
        read::outputs_and_judgments(setup, parallel);
    problems.extend(outputs_problems.0);
    problems.extend(judgments_problems.0);
    problems.extend(listed_problems.0);
    problems.extend(ledger.problems.0);

    let (own, mut global) = problems::sort(problems, &setup.inputs.spending, &projects);
    // The budget number of each project of outputs and judgments.
    let outputs_number = store::budget_numbers(&outputs.projects, |id| projects.number(id));
    let judgments_number = store::budget_numbers(&judgments.projects, |id| projects.number(id));
    if !budget.is_empty() {
        problems::unknown_projects(
            setup,
            &ledger.unknown,
            (&outputs, &outputs_number),
            (&judgments, &judgments_number),
            &listed_unknown,
            &mut global,
        );
    }
    // The rows of unknown projects are judged by the same rule as the rest.
    let blocked = problems::stop_everything(&global, &setup.inputs.spending, &projects);
    let outputs_of = outputs.groups(&outputs_number, projects.len());
    let judgments_of = judgments.groups(&judgments_number, projects.len());
    drop((
        outputs_number,
        judgments_number,
        ledger.unknown,
        listed_unknown,
    ));

    // The projects scored, by number in the budget: all, or the one chosen.
    let chosen = schedule::choose(scope, setup, &projects, &mut global);
    let blocked = blocked || chosen.is_none();
    // Nothing is scored: the projects' own problems are reported with the rest.
    let (chosen, own) = if blocked {
        for (_, p) in own {
            global.extend(p.0);
        }
        (Vec::new(), BTreeMap::new())
    } else {
        let chosen = chosen.unwrap_or_default();
        others_not_shown(scope, setup, &chosen, &own, &mut global);
        (chosen, own)
    };
    let scorer = score::Scorer {
        setup,
        lang,
        detail,
        listings: &listings,
        schemes: score::load_schemes(&chosen, setup, |n| listings.scheme_of(n, setup)),
        spending: &ledger.of,
        outputs: (&outputs, &outputs_of),
        judgments: (&judgments, &judgments_of),
        files: crate::evaluation::SourceFiles::of(setup),
    };
    let mut batch = Batch {
        spending_rows: ledger.rows,
        fast: ledger.fast,
        blocked,
        ..Batch::default()
    };
    batch.scored.reserve_exact(chosen.len());
    let jobs = schedule::jobs(&chosen, &projects, own);
    schedule::score_in_order(
        jobs,
        options.threads,
        |job| scorer.score(job),
        render,
        sink,
        &mut batch,
    )?;
    if budget.is_empty() && !global.has_errors() {
        batch.blocked = true;
        global.push(
            Problem::error(&setup.inputs.budget, "the budget has no rows")
                .zh("预算表没有数据行")
                .code(Code::ProjectChoice)
                .expected("a row per project and funding source")
                .zh_expected("每个项目、每个资金来源一行"),
        );
    }
    batch.problems = crate::data::cap_per_file(global, crate::data::MAX_PROBLEMS_PER_FILE);
    Ok(batch)
}

/// A run about one project does not list the problems of the others' rows (they change
/// nothing of it), but says that there are some: never a silence that looks like "none".
fn others_not_shown(
    scope: &Scope,
    setup: &Workspace,
    chosen: &[usize],
    own: &BTreeMap<usize, crate::diag::Problems>,
    global: &mut crate::diag::Problems,
) {
    let Scope::One(_) = scope else { return };
    let others: Vec<&crate::diag::Problems> = own
        .iter()
        .filter(|(n, _)| !chosen.contains(n))
        .map(|(_, p)| p)
        .collect();
    let errors: usize = others.iter().map(|p| p.errors().count()).sum();
    let warnings: usize = others.iter().map(|p| p.warnings().count()).sum();
    if errors + warnings > 0 {
        global.push(
            Problem::warning(
                &setup.inputs.budget,
                format!(
                    "{errors} error(s) and {warnings} warning(s) in the rows of {} other project(s) are not listed here; run without --project to see them",
                    others.len()
                ),
            )
            .zh(format!(
                "另有 {} 个项目的数据行中有 {errors} 个错误、{warnings} 个警告，此处未列出；去掉 --project 可查看",
                others.len()
            )),
        );
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
