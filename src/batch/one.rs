//! A run about one project (`score --project`, `explain`, `report`, `export`, a review
//! with records) and `check`'s run over a folder: both go through [`super::run`], so one
//! project is read, checked and scored exactly as in its bureau.

use std::sync::Mutex;

use crate::data;
use crate::diag::{InputErrors, Problem, Problems};
use crate::i18n::Lang;
use crate::ledger::LedgerOptions;
use crate::outcome::Outcome;
use crate::scoring::Detail;
use crate::workspace::{Scope, Workspace};

/// Which rows of its inputs a project's outcome keeps, for `explain` and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// None: the score, the tables, JSON and CSV need only the sums.
    None,
    /// Budget, outputs and judgments (a few each): the report and the 自评表.
    Small,
    /// Those and every spending row of the project: `explain` lists them.
    All,
}

/// One project scored, with the problems of no project found on the way (they are not
/// the project's own, but a run that scores it must show them).
#[derive(Debug)]
pub struct Scored {
    pub outcome: Outcome,
    /// Problems of rows of no project of the budget (e.g. spending of an unknown project):
    /// reported beside the result; they do not change it.
    pub others: Problems,
}

/// Score one project of the folder, as the batch scores it (the same reader, checks and
/// messages), keeping the rows `rows` asks for. Every problem that stops it comes back.
pub fn score_one(ws: &Workspace, id: &str, lang: Lang, rows: Rows) -> Result<Scored, InputErrors> {
    let kept: Mutex<Option<Outcome>> = Mutex::new(None);
    let keep = |o: &Outcome| -> std::io::Result<Vec<u8>> {
        if let Ok(mut k) = kept.lock() {
            *k = Some(o.clone());
        }
        Ok(Vec::new())
    };
    let options = LedgerOptions::default();
    let run = super::run(
        ws,
        &Scope::One(id.to_string()),
        lang,
        Detail::Full,
        &options,
        &|_| {},
        &keep,
        &mut |_| Ok(()),
    );
    // Only `keep` and the sink could fail, and neither does: nothing is written.
    let batch = run.unwrap_or_default();
    let kept = kept.into_inner().ok().flatten();
    let mut problems = batch.problems;
    match (kept, batch.failures.into_iter().next()) {
        (Some(mut outcome), None) if !batch.blocked => {
            if rows != Rows::None {
                attach_rows(ws, &mut outcome, rows == Rows::All);
            }
            Ok(Scored {
                outcome,
                others: problems,
            })
        }
        (_, failure) => {
            // Each list is capped per file already.
            if let Some(f) = failure {
                problems.0.splice(0..0, f.problems.0);
            }
            Err(InputErrors(problems))
        }
    }
}

/// Every problem a run of `score` on the folder finds, for every project it scores (the
/// chosen one, else all): the projects that fail, the warnings of those scored, and the
/// problems of no project. For `check`.
pub fn problems(ws: &Workspace, lang: Lang) -> Problems {
    let warnings: Mutex<Vec<(String, Vec<Problem>)>> = Mutex::new(Vec::new());
    let collect = |o: &Outcome| -> std::io::Result<Vec<u8>> {
        if let Ok(mut w) = warnings.lock() {
            w.push((o.project.id.clone(), o.warnings.clone()));
        }
        Ok(Vec::new())
    };
    let batch = super::run(
        ws,
        &ws.scope(),
        lang,
        Detail::Scores,
        &LedgerOptions::default(),
        &|_| {},
        &collect,
        &mut |_| Ok(()),
    )
    // Only `collect` and the sink could fail, and neither does.
    .unwrap_or_default();
    let mut found = Problems::default();
    for f in batch.failures {
        found.extend(f.problems.0);
    }
    // In project order, whichever thread scored them.
    let mut warnings = warnings.into_inner().unwrap_or_default();
    warnings.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, w) in warnings {
        found.extend(w);
    }
    found.extend(batch.problems.0);
    found
}

/// The project's rows of each input, read again for the outcome's sources (the batch
/// kept only sums). The files were read once already: their problems are not repeated.
fn attach_rows(ws: &Workspace, outcome: &mut Outcome, spending: bool) {
    let id = outcome.project.id.as_str();
    let read = &ws.inputs.options;
    let mut ignored = Problems::default();
    let s = &mut outcome.sources;
    s.budget = data::read_budget(&ws.inputs.budget, read, &mut ignored);
    s.budget.retain(|b| b.project == id);
    if let Some(path) = &ws.inputs.outputs {
        s.outputs = data::read_outputs(path, read, &mut ignored);
        // Values to date are `monitor`'s: the year is scored on the year's value.
        s.outputs
            .retain(|o| o.project == id && o.date.is_none_or(crate::values::Date::is_year_end));
    }
    if let Some(path) = &ws.inputs.judgments {
        let scheme = outcome.scheme.id.as_str();
        s.judgments = data::read_judgments(path, read, &mut ignored);
        s.judgments.retain(|j| {
            j.project == id && crate::judgment::is_for_scheme(j.scheme.as_deref(), scheme)
        });
    }
    if spending {
        let mut rows = Vec::new();
        data::each_spending(&ws.inputs.spending, read, &mut ignored, |row| {
            if row.project == id {
                rows.push(row);
            }
        });
        s.spending = rows;
    }
}
