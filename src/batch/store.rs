//! The outputs and judgments of a whole bureau, kept compact while its projects are scored:
//! the strings that repeat on many rows (project codes, metric and indicator ids, units,
//! scheme ids) are kept once, and each project's rows are found by index. A project's rows
//! are lent to scoring as [`OutputValue`]s and [`Judgment`]s, borrowed from here: nothing
//! is copied per project.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::path::Path;

use crate::data::{self, JudgedTier, Judgment, ReadOptions};
use crate::diag::{Code, Problem, Problems};
use crate::metrics::OutputValue;
use crate::scheme::Unit;

/// No string's number yet follows this one's.
const NO_NEXT: u32 = u32::MAX;

/// Strings kept once each, numbered in the order first seen.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    /// FxHash: the keys are short codes from the user's own files, where SipHash's
    /// protection against crafted keys buys nothing. Nothing iterates it, so its order
    /// never shows.
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// For each string, the number of the string looked up right after it last time
    /// ([`NO_NEXT`]: none yet). Each project lists its metrics or indicators in much the
    /// same order, so the string after the last one is usually the one that followed it
    /// before, and is checked before the table.
    next: Vec<u32>,
    /// The last string looked up: rows of a project, and their scheme, usually follow
    /// each other.
    last: Option<u32>,
}

impl Interner {
    /// The number of `s`; `None` once 2³² − 1 strings are held (no file gets there).
    pub(crate) fn intern(&mut self, s: &str) -> Option<u32> {
        let Some(last) = self.last else {
            let id = self.lookup(s)?;
            self.last = Some(id);
            return Some(id);
        };
        if *self.names[last as usize] == *s {
            return Some(last);
        }
        let guess = self.next[last as usize];
        let id = if guess != NO_NEXT && *self.names[guess as usize] == *s {
            guess
        } else {
            let id = self.lookup(s)?;
            self.next[last as usize] = id;
            id
        };
        self.last = Some(id);
        Some(id)
    }

    /// The number of `s` from the table, numbering it when new.
    fn lookup(&mut self, s: &str) -> Option<u32> {
        if let Some(&id) = self.ids.get(s) {
            return Some(id);
        }
        let id = u32::try_from(self.names.len())
            .ok()
            .filter(|&id| id != NO_NEXT)?;
        self.names.push(s.into());
        self.next.push(NO_NEXT);
        self.ids.insert(s.into(), id);
        Some(id)
    }

    pub(crate) fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// The file is read: the lookup is no longer needed (the names stay), and its memory
    /// goes to the scoring that follows. Nothing may be interned afterwards.
    fn finish(&mut self) {
        self.ids = FxHashMap::default();
        self.next = Vec::new();
        self.last = None;
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = (u32, &str)> {
        (0u32..).zip(self.names.iter().map(|n| &**n))
    }
}

/// Each project of a file: the line of its first row and how many rows it has, by
/// project number, for the rows of projects the budget does not hold.
#[derive(Debug, Default)]
pub(crate) struct Seen(Vec<(usize, usize)>);

impl Seen {
    fn note(&mut self, project: u32, line: usize) {
        let i = project as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, (0, 0));
        }
        let s = &mut self.0[i];
        if s.1 == 0 {
            s.0 = line;
        }
        s.1 += 1;
    }

    /// The first line and the number of rows of `project`.
    pub(crate) fn get(&self, project: u32) -> (usize, usize) {
        self.0.get(project as usize).copied().unwrap_or_default()
    }
}

/// The rows of a file, numbered, grouped by project in file order: project `p`'s rows are
/// `order[start[p]..start[p + 1]]`.
#[derive(Debug, Default)]
pub(crate) struct Groups {
    start: Vec<u32>,
    order: Vec<u32>,
}

impl Groups {
    /// Group rows given the project number of each row and the budget number of each
    /// project number.
    fn of(
        row_projects: impl Iterator<Item = u32>,
        budget_of: &[Option<u32>],
        projects: usize,
    ) -> Groups {
        let of_row: Vec<Option<u32>> = row_projects.map(|p| budget_of[p as usize]).collect();
        Groups::new(&of_row, projects)
    }

    /// Group rows by the project each belongs to (`None`: none of the `projects`), keeping
    /// the file order within a project (a counting sort).
    pub(crate) fn new(of_row: &[Option<u32>], projects: usize) -> Groups {
        let mut start = vec![0u32; projects + 1];
        for p in of_row.iter().flatten() {
            start[*p as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut order = vec![0u32; start[projects] as usize];
        for (row, p) in (0u32..).zip(of_row) {
            if let Some(p) = p {
                let at = &mut next[*p as usize];
                order[*at as usize] = row;
                *at += 1;
            }
        }
        Groups { start, order }
    }

    /// The rows of project `p`, in file order.
    pub(crate) fn rows(&self, p: usize) -> &[u32] {
        match (self.start.get(p), self.start.get(p + 1)) {
            (Some(&a), Some(&b)) => &self.order[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// A row of outputs.csv, its strings numbered (32 bytes). Its note is not kept: scoring
/// does not read it, and a batch shows no rows.
#[derive(Debug)]
struct OutputEntry {
    line: u32,
    project: u32,
    metric: u32,
    unit: u32,
    value: Decimal,
}

/// outputs.csv, compact.
#[derive(Debug, Default)]
pub(crate) struct Outputs {
    rows: Vec<OutputEntry>,
    pub(crate) projects: Interner,
    pub(crate) seen: Seen,
    metrics: Interner,
    units: Vec<Unit>,
}

/// The problem of a file too long to be kept numbered.
fn too_many(path: &Path) -> Problem {
    Problem::error(path, "too many lines to read")
        .zh("行数太多，无法读取")
        .code(Code::UnreadableFile)
        .expected("at most 4,294,967,295 lines")
        .zh_expected("不超过 4,294,967,295 行")
}

impl Outputs {
    /// Read outputs.csv as [`data::read_outputs`] reads it (same rows, same problems).
    pub(crate) fn read(path: &Path, options: &ReadOptions, problems: &mut Problems) -> Outputs {
        let mut out = Outputs::default();
        let mut full = false;
        data::each_output(path, options, problems, |o| {
            if full {
                return;
            }
            let unit = match out.units.iter().position(|u| u == o.unit) {
                Some(i) => u32::try_from(i).ok(),
                None => {
                    out.units.push(o.unit.clone());
                    u32::try_from(out.units.len() - 1).ok()
                }
            };
            // Rows are numbered in 32 bits too ([`Groups`]).
            let (Some(project), Some(metric), Some(unit), Ok(line), Ok(_)) = (
                out.projects.intern(o.project),
                out.metrics.intern(o.metric),
                unit,
                u32::try_from(o.line),
                u32::try_from(out.rows.len()),
            ) else {
                full = true;
                return;
            };
            out.seen.note(project, o.line);
            // A value to date is `monitor`'s: the year is scored on the year's value (a
            // row with no date, or dated on the last day of a year).
            if !o.date.is_none_or(crate::values::Date::is_year_end) {
                return;
            }
            out.rows.push(OutputEntry {
                line,
                project,
                metric,
                unit,
                value: o.value,
            });
        });
        if full {
            problems.push(too_many(path));
        }
        // Held while every project is scored: no room left over from growing.
        out.rows.shrink_to_fit();
        out.projects.finish();
        out.metrics.finish();
        out
    }

    /// Group the rows by project, given the budget number of each project number.
    pub(crate) fn groups(&self, budget_of: &[Option<u32>], projects: usize) -> Groups {
        Groups::of(self.rows.iter().map(|r| r.project), budget_of, projects)
    }

    /// The values of the rows numbered `rows`.
    pub(crate) fn values<'s>(&'s self, rows: &'s [u32]) -> impl Iterator<Item = OutputValue<'s>> {
        rows.iter().map(|&i| {
            let r = &self.rows[i as usize];
            OutputValue {
                line: r.line as usize,
                metric: self.metrics.name(r.metric),
                value: r.value,
                unit: &self.units[r.unit as usize],
            }
        })
    }
}

/// A row of judgments.csv, its strings numbered (52 bytes; its reason is kept aside).
#[derive(Debug)]
struct JudgmentEntry {
    line: u32,
    project: u32,
    indicator: u32,
    /// `u32::MAX`: no scheme given.
    scheme: u32,
    /// Meaningful when `has_score` and `has_deduction`.
    score: Decimal,
    deduction: Decimal,
    has_score: bool,
    has_deduction: bool,
    tier: Option<JudgedTier>,
    invalid: bool,
}

/// judgments.csv, compact.
#[derive(Debug, Default)]
pub(crate) struct Judgments {
    rows: Vec<JudgmentEntry>,
    /// The reasons, by row.
    reasons: FxHashMap<u32, Box<str>>,
    pub(crate) projects: Interner,
    pub(crate) seen: Seen,
    indicators: Interner,
    schemes: Interner,
}

impl Judgments {
    /// Read judgments.csv as [`data::read_judgments`] reads it (same rows, same problems).
    pub(crate) fn read(path: &Path, options: &ReadOptions, problems: &mut Problems) -> Judgments {
        let mut out = Judgments::default();
        let mut full = false;
        data::each_judgment(path, options, problems, |row| {
            if full {
                return;
            }
            let (project_code, j) = (row.project, row.judgment);
            let scheme = match j.scheme {
                None => Some(u32::MAX),
                Some(s) => out.schemes.intern(s).filter(|&id| id != u32::MAX),
            };
            let (Some(project), Some(indicator), Some(scheme), Ok(line), Ok(row)) = (
                out.projects.intern(project_code),
                out.indicators.intern(j.indicator),
                scheme,
                u32::try_from(j.line),
                u32::try_from(out.rows.len()),
            ) else {
                full = true;
                return;
            };
            out.seen.note(project, j.line);
            out.rows.push(JudgmentEntry {
                line,
                project,
                indicator,
                scheme,
                score: j.score.unwrap_or_default(),
                deduction: j.deduction.unwrap_or_default(),
                has_score: j.score.is_some(),
                has_deduction: j.deduction.is_some(),
                tier: j.tier,
                invalid: j.invalid,
            });
            if let Some(reason) = j.reason {
                out.reasons.insert(row, reason.into());
            }
        });
        if full {
            problems.push(too_many(path));
        }
        // Held while every project is scored: no room left over from growing.
        out.rows.shrink_to_fit();
        out.projects.finish();
        out.indicators.finish();
        out.schemes.finish();
        out
    }

    /// Group the rows by project, given the budget number of each project number.
    pub(crate) fn groups(&self, budget_of: &[Option<u32>], projects: usize) -> Groups {
        Groups::of(self.rows.iter().map(|r| r.project), budget_of, projects)
    }

    /// The judgments of the rows numbered `rows`.
    pub(crate) fn judgments<'s>(&'s self, rows: &'s [u32]) -> impl Iterator<Item = Judgment<'s>> {
        rows.iter().map(|&i| {
            let r = &self.rows[i as usize];
            Judgment {
                line: r.line as usize,
                indicator: self.indicators.name(r.indicator),
                tier: r.tier,
                score: r.has_score.then_some(r.score),
                deduction: r.has_deduction.then_some(r.deduction),
                reason: self.reasons.get(&i).map(|n| &**n),
                scheme: (r.scheme != u32::MAX).then(|| self.schemes.name(r.scheme)),
                invalid: r.invalid,
            }
        })
    }
}

/// For each project number of `interner`, the number of that project in the budget.
pub(crate) fn budget_numbers(
    interner: &Interner,
    budget_number: impl Fn(&str) -> Option<usize>,
) -> Vec<Option<u32>> {
    interner
        .names()
        .map(|(_, name)| budget_number(name).and_then(|i| u32::try_from(i).ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_the_file_order_within_a_project() {
        // rows: 0→p1, 1→none, 2→p0, 3→p1, 4→p1, 5→p0
        let of_row = [Some(1), None, Some(0), Some(1), Some(1), Some(0)];
        let g = Groups::new(&of_row, 3);
        assert_eq!(g.rows(0), [2, 5]);
        assert_eq!(g.rows(1), [0, 3, 4]);
        assert!(g.rows(2).is_empty());
        assert!(g.rows(3).is_empty());
        assert!(Groups::default().rows(0).is_empty());
    }

    #[test]
    fn entries_stay_small() {
        assert_eq!(std::mem::size_of::<OutputEntry>(), 32);
        assert!(std::mem::size_of::<JudgmentEntry>() <= 52);
    }

    #[test]
    fn interned_strings_keep_their_numbers() {
        let mut i = Interner::default();
        assert_eq!(i.intern("a"), Some(0));
        assert_eq!(i.intern("b"), Some(1));
        assert_eq!(i.intern("b"), Some(1));
        assert_eq!(i.intern("a"), Some(0));
        assert_eq!(i.intern("a"), Some(0));
        assert_eq!(i.name(1), "b");
        assert_eq!(i.names().collect::<Vec<_>>(), [(0, "a"), (1, "b")]);
    }

    #[test]
    fn strings_in_a_repeated_order_are_numbered_as_from_the_table() {
        // D1 D2 D3 for one project, then again (each guessed from the one before), then
        // D1 D3 (the guess D2 is wrong: the table answers), then D9, new, and D1 D3 again
        // (now guessed): 0 1 2, 0 1 2, 0 2, 3, 0 2.
        let mut i = Interner::default();
        let ids: Vec<u32> = [
            "D1", "D2", "D3", "D1", "D2", "D3", "D1", "D3", "D9", "D1", "D3",
        ]
        .into_iter()
        .map(|s| i.intern(s).unwrap())
        .collect();
        assert_eq!(ids, [0, 1, 2, 0, 1, 2, 0, 2, 3, 0, 2]);
        // The hash tells apart strings that differ past eight bytes or only in length.
        let mut j = Interner::default();
        for s in [
            "05-2024-00001",
            "05-2024-00002",
            "a",
            "a\0",
            "",
            "abcdefgh",
            "abcdefgh\0",
        ] {
            j.intern(s);
        }
        assert_eq!(j.intern("05-2024-00002"), Some(1));
        assert_eq!(j.intern("a\0"), Some(3));
        assert_eq!(j.intern(""), Some(4));
        assert_eq!(j.intern("abcdefgh"), Some(5));
        assert_eq!(j.names().count(), 7);
    }

    #[test]
    fn rows_come_back_as_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("judgments.csv");
        std::fs::write(
            &path,
            "project,indicator,tier,score,deduction,reason,scheme\n\
             P2,D1,达成年度指标,3,,,s\n\
             P1,D1,,,1,迟报,\n\
             P2,D2,不适用,,,无此业务,s\n",
        )
        .unwrap();
        let options = ReadOptions::default();
        let mut problems = Problems::default();
        let read = data::read_judgments(&path, &options, &mut problems);
        let kept = Judgments::read(&path, &options, &mut Problems::default());
        let budget = |p: &str| ["P1", "P2"].iter().position(|&b| b == p);
        let g = kept.groups(&budget_numbers(&kept.projects, budget), 2);
        let judged = |p| kept.judgments(g.rows(p)).collect::<Vec<_>>();
        assert_eq!(judged(0), [Judgment::from(&read[1])]);
        assert_eq!(
            judged(1),
            [Judgment::from(&read[0]), Judgment::from(&read[2])]
        );

        let path = dir.path().join("outputs.csv");
        std::fs::write(
            &path,
            "project,metric,value,unit,note\nP1,cases,12,件,\nP3,cases,1,,x\nP1,rate,95%,,见附件\n",
        )
        .unwrap();
        let read = data::read_outputs(&path, &options, &mut problems);
        let kept = Outputs::read(&path, &options, &mut Problems::default());
        let numbers = budget_numbers(&kept.projects, budget);
        assert_eq!(numbers, [Some(0), None]);
        let g = kept.groups(&numbers, 2);
        assert_eq!(
            kept.values(g.rows(0)).collect::<Vec<_>>(),
            [OutputValue::from(&read[0]), OutputValue::from(&read[2])]
        );
        assert_eq!(kept.seen.get(1), (3, 1));
        assert!(problems.is_empty());
    }
}
