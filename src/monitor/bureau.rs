//! A whole bureau monitored as of a date (`jixiao monitor BUREAU`): every project of the
//! budget, each file read once ([`super::load::read`]), then a summary by light and by
//! 主管部门, the red projects first with their reasons.

use std::collections::BTreeMap;
use std::path::Path;

use super::profile::Profile;
use super::{Light, Monitor, load};
use crate::diag::Problems;
use crate::ledger::LedgerOptions;
use crate::values::Date;
use crate::workspace::Workspace;

/// The projects monitored, worst first, and those that could not be.
#[derive(Debug, Default)]
pub struct Bureau {
    /// Combined light red first, then yellow, blue, green and none; within a light, the
    /// slowest spending first, then by project code.
    pub results: Vec<Monitor>,
    /// Projects whose inputs have errors, with them.
    pub failed: Vec<(String, Problems)>,
    /// Warnings of no project (and of the projects monitored).
    pub warnings: Problems,
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
    let mut bureau = Bureau {
        failed: loaded.failed,
        warnings: loaded.warnings,
        ..Bureau::default()
    };
    // Each project's inputs are let go once it is monitored: its result takes their room.
    bureau.results.reserve_exact(loaded.inputs.len());
    for inputs in loaded.inputs {
        match super::monitor(&inputs, profile, as_of) {
            Ok(m) => bureau.results.push(m),
            Err(p) => bureau.failed.push((inputs.project.id, p)),
        }
    }
    bureau.failed.sort_by(|a, b| a.0.cmp(&b.0));
    let rank = |l: Option<Light>| match l {
        Some(l) => 4 - i32::from(l.severity()),
        None => 5,
    };
    bureau.results.sort_by(|a, b| {
        (rank(a.combined_light), a.budget_ratio, &a.project.id).cmp(&(
            rank(b.combined_light),
            b.budget_ratio,
            &b.project.id,
        ))
    });
    Ok(bureau)
}

/// The counts of the budget, goal and combined lights.
pub fn by_light(results: &[Monitor]) -> [Counts; 3] {
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
pub fn by_department(results: &[Monitor]) -> Vec<(String, Counts)> {
    let mut map: BTreeMap<String, Counts> = BTreeMap::new();
    for m in results {
        let d = m.project.department.clone().unwrap_or_default();
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
