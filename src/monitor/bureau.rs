//! A whole bureau monitored as of a date (`jixiao monitor BUREAU`): every project of the
//! budget, each file read once ([`super::load::read`]), then a summary by light and by
//! 主管部门, the red projects first with their reasons.
//!
//! To list the worst first, every project is monitored once (on the threads) for what the
//! order and the summary read ([`Summary`]), and its result made again from its inputs
//! when it is written ([`Bureau::each_rendered`], [`Bureau::results`]): a result is about
//! 9 KB, its inputs about half that, and a 20,000-project bureau would otherwise hold every
//! result only to sort them.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;

use super::profile::Profile;
use super::{Inputs, Light, Monitor, load};
use crate::diag::{Problem, Problems};
use crate::ledger::LedgerOptions;
use crate::values::Date;
use crate::workspace::Workspace;

/// What the summary and the order read of a project monitored, and its warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: String,
    /// 主管部门.
    pub department: Option<String>,
    pub budget_light: Option<Light>,
    pub goal_light: Option<Light>,
    pub combined_light: Option<Light>,
    /// 执行率 ÷ 序时进度 × 100.
    pub budget_ratio: Option<Decimal>,
    pub warnings: Vec<Problem>,
    /// The project's place in [`Bureau`]'s inputs.
    input: usize,
}

/// The warnings of the bureau's projects counted by code, and where each is listed.
pub fn warning_line(summaries: &[Summary], lang: crate::i18n::Lang) -> Option<String> {
    let mut counts = crate::diag::WarningCounts::default();
    for s in summaries {
        counts.add(s.warnings.iter().map(|p| p.code));
    }
    counts.line(
        lang,
        (
            "各项目结果中的 warnings（--format json，或 --project 项目编码）",
            "each project's warnings (--format json, or --project ID)",
        ),
    )
}

impl Summary {
    fn of(m: Monitor, input: usize) -> Summary {
        Summary {
            id: m.project.id,
            department: m.project.department,
            budget_light: m.budget_light,
            goal_light: m.goal_light,
            combined_light: m.combined_light,
            budget_ratio: m.budget_ratio,
            warnings: m.warnings,
            input,
        }
    }
}

/// How many results a thread makes again at a time when they are written.
const BATCH: usize = 128;

/// The projects monitored, worst first, and those that could not be.
#[derive(Debug)]
pub struct Bureau {
    /// Combined light red first, then yellow, blue, green and none; within a light, the
    /// slowest spending first, then by project code.
    pub summaries: Vec<Summary>,
    /// The inputs of the projects of `summaries` (in the budget's order: the summaries,
    /// smaller, are the ones sorted), and how they are monitored: each result is made
    /// again from them when read.
    inputs: Vec<Inputs>,
    profile: Profile,
    as_of: Date,
    /// Threads that make the results again when they are written.
    threads: usize,
    /// Projects whose inputs have errors, with them.
    pub failed: Vec<(String, Problems)>,
    /// Warnings of no project (and of the projects monitored).
    pub warnings: Problems,
}

impl Bureau {
    /// The result of project `n` of [`Bureau::summaries`].
    pub fn result(&self, n: usize) -> Option<Monitor> {
        let inputs = self.inputs.get(self.summaries.get(n)?.input)?;
        super::monitor(inputs, &self.profile, self.as_of).ok()
    }

    /// Every result, worst first, each made as it is read (one in memory at a time).
    pub fn results(&self) -> impl Iterator<Item = Monitor> + '_ {
        (0..self.summaries.len()).filter_map(|n| self.result(n))
    }

    /// Every result made again and written by `render`, worst first, the bytes of each
    /// handed to `each` in that order: made on the bureau's threads, `BATCH` results a
    /// thread at a time.
    pub fn each_rendered<E>(
        &self,
        render: impl Fn(&Monitor, &mut Vec<u8>) + Sync,
        mut each: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let numbers: Vec<usize> = (0..self.summaries.len()).collect();
        for batch in numbers.chunks(self.threads.max(1) * BATCH) {
            let made = map_on(batch, self.threads, |&n| {
                let m = self.result(n)?;
                let mut out = Vec::new();
                render(&m, &mut out);
                Some(out)
            });
            for bytes in made.iter().flatten() {
                each(bytes)?;
            }
        }
        Ok(())
    }
}

/// `f` of every item, in order, on up to `threads` threads (a contiguous share each).
fn map_on<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|share| s.spawn(move || share.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// How many projects have each light (and none yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub red: usize,
    pub yellow: usize,
    pub green: usize,
    pub blue: usize,
    pub none: usize,
}

impl Counts {
    pub fn add(&mut self, light: Option<Light>) {
        match light {
            Some(Light::Red) => self.red += 1,
            Some(Light::Yellow) => self.yellow += 1,
            Some(Light::Green) => self.green += 1,
            Some(Light::Blue) => self.blue += 1,
            None => self.none += 1,
        }
    }

    /// The count of one light (`None`: no light yet).
    pub fn of(&self, light: Option<Light>) -> usize {
        match light {
            Some(Light::Red) => self.red,
            Some(Light::Yellow) => self.yellow,
            Some(Light::Green) => self.green,
            Some(Light::Blue) => self.blue,
            None => self.none,
        }
    }

    pub fn total(&self) -> usize {
        self.red + self.yellow + self.green + self.blue + self.none
    }
}

/// Monitor every project of the folder's budget as of `as_of`, the ledger summed as
/// `ledger` says ([`load::read`]).
pub fn run(
    ws: &Workspace,
    profile: &Profile,
    sheet: Option<&Path>,
    as_of: Date,
    ledger: &LedgerOptions,
) -> Result<Bureau, Problems> {
    let loaded = load::read(ws, None, sheet, as_of, ledger)?;
    let mut failed = loaded.failed;
    // Each project monitored on the threads, only its summary kept.
    let monitored = map_on(&loaded.inputs, ledger.threads, |one| {
        super::monitor(one, profile, as_of).map(|m| Summary::of(m, 0))
    });
    let mut summaries = Vec::with_capacity(loaded.inputs.len());
    let mut inputs = Vec::with_capacity(loaded.inputs.len());
    for (one, done) in loaded.inputs.into_iter().zip(monitored) {
        match done {
            Ok(summary) => {
                summaries.push(Summary {
                    input: inputs.len(),
                    ..summary
                });
                inputs.push(one);
            }
            Err(p) => failed.push((one.project.id, p)),
        }
    }
    failed.sort_by(|a, b| a.0.cmp(&b.0));
    let rank = |l: Option<Light>| match l {
        Some(l) => 4 - i32::from(l.severity()),
        None => 5,
    };
    summaries.sort_by(|a, b| {
        (rank(a.combined_light), a.budget_ratio, &a.id).cmp(&(
            rank(b.combined_light),
            b.budget_ratio,
            &b.id,
        ))
    });
    Ok(Bureau {
        summaries,
        inputs,
        profile: profile.clone(),
        as_of,
        threads: ledger.threads,
        failed,
        warnings: loaded.warnings,
    })
}

/// The counts of the budget, goal and combined lights.
pub fn by_light(results: &[Summary]) -> [Counts; 3] {
    let mut c = [Counts::default(); 3];
    for m in results {
        c[0].add(m.budget_light);
        c[1].add(m.goal_light);
        c[2].add(m.combined_light);
    }
    c
}

/// The combined lights of each 主管部门 (projects without one under ""), the most red
/// first.
pub fn by_department(results: &[Summary]) -> Vec<(String, Counts)> {
    let mut map: BTreeMap<String, Counts> = BTreeMap::new();
    for m in results {
        let d = m.department.clone().unwrap_or_default();
        map.entry(d).or_default().add(m.combined_light);
    }
    let mut v: Vec<(String, Counts)> = map.into_iter().collect();
    v.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.1.red),
            std::cmp::Reverse(a.1.yellow),
            &a.0,
        )
            .cmp(&(
                std::cmp::Reverse(b.1.red),
                std::cmp::Reverse(b.1.yellow),
                &b.0,
            ))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up() {
        let mut c = Counts::default();
        for l in [Some(Light::Red), Some(Light::Red), None, Some(Light::Blue)] {
            c.add(l);
        }
        assert_eq!((c.red, c.blue, c.none, c.total()), (2, 1, 1, 4));
    }
}
