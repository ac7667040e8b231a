//! The spending ledger of a whole bureau, summed per project as it streams: exact decimal
//! sums, row counts, and the checks that need rows (rows dated outside the project's year,
//! voucher numbers given twice) kept per project in bounded memory. Memory grows with the
//! number of projects, never with the number of rows.
//!
//! Two readers feed the same sums:
//!
//! - the **fast path** (module `fast`) cuts the file into parts that the threads read with
//!   positioned reads into fixed buffers and parse straight from the bytes. UTF-8 and
//!   GB18030 keep `,`, `"`, `\r` and `\n` single bytes that are never part of a longer
//!   character, so the CSV structure is the same in both and only the few fields used
//!   (project, date, amount, voucher) are decoded; the bytes are validated in the encoding
//!   on the thread that parses them: there is no separate conversion pass. What depends
//!   on the order (first lines, first vouchers) is merged part by part in file order, so
//!   the result does not depend on the number of threads or where the parts were cut;
//! - the **reference path** is the ordinary reader of [`crate::data`], one row at a time.
//!   It is used for workbooks and whenever the fast path meets anything it does not handle
//!   exactly as the reader would (a bad row, undecodable bytes, a stray quote, a header it
//!   cannot find in the first block): the whole file is then read again by the reference
//!   path, so every message is the reader's own.
//!
//! With a date limit (`monitor --as-of`, [`LedgerOptions::as_of`]) each row falls in one
//! [`Place`] by the one rule of [`place`]: dated after the limit (counted, not summed),
//! before the project's year (counted, not summed), or summed. The reference path compares
//! [`crate::values::Date`]s ([`Limit::after`]); the fast path compares a plain
//! `YYYY-MM-DD` date's bytes ([`Limit::after_plain`], pinned to it by a property test).

use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHasher};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::path::Path;

use crate::data::{self, EncodingChoice, ReadOptions};
use crate::diag::{Code, Problem, Problems};
use crate::values::{self as parse, Date};

/// Every project has at least its first this many rows with a voucher number checked for a
/// voucher given twice, however large the budget.
pub const VOUCHER_ROWS_CHECKED: usize = 64;

/// The rows with a voucher checked, shared among the projects of the budget: keeping
/// every voucher of a 10-million-row ledger would make memory grow with the rows, while
/// 2^19 keys (8 to 17 MiB at most, held at once) check the whole of any ordinary
/// single-project ledger.
pub const VOUCHER_ROWS_SHARED: usize = 1 << 19;

/// How many rows with a voucher of each project are checked in a budget of `projects`
/// projects: an equal share of [`VOUCHER_ROWS_SHARED`], and never fewer than
/// [`VOUCHER_ROWS_CHECKED`]. It depends on the budget alone, never on the threads or the
/// parts, so every path checks the same rows.
pub fn voucher_rows_checked(projects: usize) -> usize {
    (VOUCHER_ROWS_SHARED / projects.max(1)).max(VOUCHER_ROWS_CHECKED)
}

/// At most this many lines are kept per project for the rows dated outside its year (the
/// warning shows five), and for repeated vouchers.
const LINES_KEPT: usize = 5;
const DUPLICATES_KEPT: usize = 50;

pub use fast::PART_SIZE;

/// A voucher given twice in a project's spending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateVoucher {
    pub line: usize,
    pub first_line: usize,
    pub voucher: String,
}

/// A date limit of the ledger pass: the as-of date of `monitor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    date: Date,
    /// The date as a plain `YYYY-MM-DD` (`None` for a year beyond 0–9999, which no plain
    /// date reaches).
    plain: Option<[u8; 10]>,
}

impl Limit {
    pub fn new(date: Date) -> Limit {
        let text = date.to_string();
        let plain = (0..=9999).contains(&date.year).then(|| {
            let mut b = [0u8; 10];
            b.copy_from_slice(text.as_bytes());
            b
        });
        Limit { date, plain }
    }

    pub fn date(&self) -> Date {
        self.date
    }

    /// Whether a row dated `date` is after the limit: the rule.
    pub fn after(&self, date: Date) -> bool {
        date > self.date
    }

    /// [`Limit::after`] for a date of the plain form `YYYY-MM-DD` (a day of the calendar,
    /// as `plain_year` of the fast path accepts it), compared as bytes: in that form the
    /// order of the bytes is the order of the days.
    #[inline]
    pub fn after_plain(&self, date: &[u8]) -> bool {
        match &self.plain {
            Some(limit) => date > &limit[..],
            // A limit before year 0 has every plain date after it; one past 9999, none.
            None => self.date.year < 0,
        }
    }
}

/// Where a row falls for its project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Summed; `outside`: dated outside the project's year.
    Summed { outside: bool },
    /// Dated before the project's year, with a date limit: counted (and outside the year),
    /// not summed.
    Before,
    /// Dated after the date limit: counted, nothing more.
    After,
}

/// Where a row falls: `after`, whether its date is after the limit (never without one);
/// `year`, its date's year; `project`, its project's year (`None`: a project outside the
/// budget); `limited`, whether there is a limit. As of a date, a row after it is counted,
/// a row before the project's year is counted, the rest summed; without a limit every row
/// is summed, those dated outside the year noted.
#[inline]
pub fn place(after: bool, year: i32, project: Option<i32>, limited: bool) -> Place {
    if after {
        return Place::After;
    }
    match project {
        Some(p) if limited && year < p => Place::Before,
        Some(p) => Place::Summed { outside: year != p },
        None => Place::Summed { outside: false },
    }
}

/// The spending of one project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectSpending {
    /// 全年执行数 (with a date limit, 1–X月执行数): the exact sum of the amounts summed,
    /// reversals included.
    pub spent: Decimal,
    /// The rows summed.
    pub rows: usize,
    /// Rows summed with a negative amount (冲销).
    pub reversals: usize,
    /// Rows dated outside the project's year (with a date limit, those not after it), and
    /// the first lines of them.
    pub outside_year: usize,
    pub outside_lines: Vec<usize>,
    /// With a date limit: the rows dated after it, and those dated before the project's
    /// year (counted, not summed).
    pub after: usize,
    pub before: usize,
    /// The first line of the project's spending (of the rows not after the date limit).
    pub first_line: usize,
    /// The sums per 资金来源, when the ledger has the column (the reference reader sums it;
    /// the fast path leaves such a ledger to it), and the rows that named none.
    pub by_source: Vec<(String, Decimal)>,
    pub unsourced: usize,
    /// Vouchers given twice among the first [`voucher_rows_checked`] rows with a voucher
    /// (at most 50 kept), and how many there are.
    pub duplicates: Vec<DuplicateVoucher>,
    pub duplicates_total: usize,
    /// The first row with a voucher past those checked, if the project has one: the
    /// ledger warns that its vouchers were not all checked.
    pub unchecked_voucher_line: Option<usize>,
    /// The vouchers seen so far, while they are checked (boxed: a whole bureau's
    /// projects hold these only for a while, and nothing once checked).
    vouchers: Option<Box<VoucherCheck>>,
    checked: bool,
}

/// A project whose spending adds up to less than zero (its execution rate is negative):
/// reversals of another project or year, or payments not entered.
fn negative_spending_problem(file: &Path, id: &str, s: &ProjectSpending) -> Problem {
    let spent = crate::decimal::fixed(s.spent, 2);
    Problem::warning(
        file,
        format!(
            "the spending of project {id} adds up to {spent}, below zero: its reversals (冲销, {} row(s)) exceed its payments",
            s.reversals
        ),
    )
    .zh(format!(
        "项目 {id} 的支出合计为 {spent}，小于零：冲销（{} 笔）大于支出",
        s.reversals
    ))
    .code(Code::NegativeSpending)
    .at_line(s.first_line)
    .field("amount")
    .zh_field("金额")
    .value(spent)
    .expected("payments at least as large as the reversals; look for a reversal of another project or year, or a payment not entered")
    .zh_expected("支出不小于冲销；检查是否混入其他项目或年度的冲销，或漏记了支出")
}

/// The first rows with a voucher of a project: the key of each text (a hash of the folded
/// text) and its first line. A voucher is compared with these as it comes, so no text is
/// kept.
#[derive(Debug, Clone, PartialEq, Eq)]
struct VoucherCheck {
    seen: Seen,
    /// Rows with a voucher checked so far (repeats included).
    rows: usize,
}

/// The keys seen, and the line of each one's first row.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    /// Up to [`VOUCHER_ROWS_CHECKED`] keys: a large bureau never needs more, and a short
    /// list beats a table at this size.
    Few {
        /// Each voucher's key and line, together: one cache line holds both.
        seen: Vec<(u64, u32)>,
        /// A 256-bit filter of the keys: most new vouchers are told apart without a
        /// look through them.
        filter: [u64; 4],
    },
    /// More: a small budget checks up to 2^19 rows of a project.
    Many(FxHashMap<u64, u32>),
}

impl Seen {
    /// The first line of `key` if seen before; else `key` is noted as first on `line`.
    /// `limit`: the rows that will be checked at most.
    fn first(&mut self, key: u64, line: u32, limit: usize) -> Option<u32> {
        match self {
            Seen::Few { seen, filter } => {
                let (word, bit) = ((key >> 6) as usize & 3, 1u64 << (key & 63));
                let maybe = filter[word] & bit != 0;
                if maybe && let Some(&(_, first)) = seen.iter().find(|&&(k, _)| k == key) {
                    return Some(first);
                }
                if seen.len() < VOUCHER_ROWS_CHECKED {
                    filter[word] |= bit;
                    seen.push((key, line));
                    return None;
                }
                // Room for the limit when near (no growth), else for a few steps more.
                let mut many = FxHashMap::with_capacity_and_hasher(
                    limit.min(4 * VOUCHER_ROWS_CHECKED),
                    Default::default(),
                );
                many.extend(seen.iter().copied());
                many.insert(key, line);
                *self = Seen::Many(many);
                None
            }
            Seen::Many(many) => match many.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(line);
                    None
                }
            },
        }
    }
}

impl ProjectSpending {
    /// Whether the vouchers of the project are checked already (later ones are not kept).
    pub fn vouchers_checked(&self) -> bool {
        self.checked
    }

    /// The warnings of project `id` (of `year`) found while summing the ledger at `file`:
    /// its rows dated outside the year, and its vouchers given twice.
    pub fn problems(&self, file: &Path, id: &str, year: i32) -> Problems {
        let mut problems = Problems::default();
        let shown: Vec<String> = self.outside_lines.iter().map(usize::to_string).collect();
        data::outside_year_problem(
            file,
            year,
            self.outside_year,
            &shown,
            self.outside_lines.first().copied(),
            &mut problems,
        );
        for d in &self.duplicates {
            problems.push(data::duplicate_voucher_problem(
                file,
                id,
                &d.voucher,
                d.line,
                d.first_line,
            ));
        }
        if self.spent < Decimal::ZERO {
            problems.push(negative_spending_problem(file, id, self));
        }
        problems
    }

    /// A row of the project where it falls ([`place`]); `limit`: the rows with a voucher
    /// checked ([`voucher_rows_checked`]). A row after the date limit is only counted.
    fn add(
        &mut self,
        line: usize,
        place: Place,
        amount: Decimal,
        voucher: Option<&str>,
        limit: usize,
    ) {
        if place == Place::After {
            self.after += 1;
            return;
        }
        if self.rows + self.before == 0 {
            self.first_line = line;
        }
        let outside = match place {
            Place::Summed { outside } => {
                self.spent += amount;
                self.rows += 1;
                if amount.is_sign_negative() && !amount.is_zero() {
                    self.reversals += 1;
                }
                outside
            }
            _ => {
                self.before += 1;
                true
            }
        };
        if outside {
            self.outside_year += 1;
            self.outside_line(line);
        }
        if let Some(v) = voucher {
            self.voucher(voucher_key(v), line, v.as_bytes(), limit);
        }
    }

    /// A row's 资金来源 (`None`: the row names none), summed per source.
    fn source(&mut self, source: Option<&str>, amount: Decimal) {
        let Some(source) = source else {
            self.unsourced += 1;
            return;
        };
        match self.by_source.iter_mut().find(|(s, _)| s == source) {
            Some((_, v)) => *v += amount,
            None => self.by_source.push((source.to_string(), amount)),
        }
    }

    /// A row dated outside the year: its line is kept among the first few.
    fn outside_line(&mut self, line: usize) {
        if self.outside_lines.len() < LINES_KEPT {
            self.outside_lines.push(line);
        }
    }

    /// The next row with a voucher (`key` = [`voucher_key`] of `text`), in file order;
    /// the first `limit` of them are checked.
    fn voucher(&mut self, key: u64, line: usize, text: &[u8], limit: usize) {
        if self.checked {
            self.unchecked_voucher(line);
            return;
        }
        let check = self.vouchers.get_or_insert_with(|| {
            Box::new(VoucherCheck {
                seen: Seen::Few {
                    // Most projects of a bureau reach the 64 checked: fewer steps of
                    // growth.
                    seen: Vec::with_capacity(16),
                    filter: [0; 4],
                },
                rows: 0,
            })
        });
        if let Some(first) = check.seen.first(key, line as u32, limit) {
            self.duplicates_total += 1;
            if self.duplicates.len() < DUPLICATES_KEPT {
                self.duplicates.push(DuplicateVoucher {
                    line,
                    first_line: first as usize,
                    // UTF-8 always (decoded or checked): the text as it was.
                    voucher: String::from_utf8_lossy(text).into_owned(),
                });
            }
        }
        check.rows += 1;
        if check.rows >= limit {
            self.close_vouchers();
        }
    }

    /// A row with a voucher past those checked: the first one's line is kept.
    fn unchecked_voucher(&mut self, line: usize) {
        self.unchecked_voucher_line.get_or_insert(line);
    }

    /// No more vouchers are checked: forget those kept.
    fn close_vouchers(&mut self) {
        self.vouchers = None;
        self.checked = true;
    }

    /// Lines counted from a part's start → lines of the file (a project outside the
    /// budget: only its sums, count and lines).
    fn shift(&mut self, base: usize) {
        // (No first line when every row was after the date limit.)
        if self.rows + self.before > 0 {
            self.first_line += base;
        }
        for l in &mut self.outside_lines {
            *l += base;
        }
    }

    /// Add the spending of a project outside the budget that follows this in the file.
    fn absorb(&mut self, later: ProjectSpending) {
        if self.rows + self.before == 0 {
            self.first_line = later.first_line;
        }
        self.after += later.after;
        self.before += later.before;
        self.spent += later.spent;
        for (source, amount) in later.by_source {
            self.source(Some(&source), amount);
        }
        self.unsourced += later.unsourced;
        self.rows += later.rows;
        self.reversals += later.reversals;
        self.outside_year += later.outside_year;
        for l in later.outside_lines {
            self.outside_line(l);
        }
    }
}

/// The key a voucher is compared by: its text with full-width characters folded, trimmed.
fn voucher_key(v: &str) -> u64 {
    if v.contains(|c| matches!(c, '\u{3000}' | '\u{FF01}'..='\u{FF5E}')) {
        plain_voucher_key(parse::fold_width(v).trim().as_bytes())
    } else {
        plain_voucher_key(v.trim().as_bytes())
    }
}

/// [`voucher_key`] of a text that is trimmed and folded already: FxHash of its bytes (64
/// bits; two vouchers of one project sharing a key by chance is out of reach).
fn plain_voucher_key(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// The ledger summed per project.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Per 项目编码, as written in the ledger.
    pub projects: BTreeMap<String, ProjectSpending>,
    /// Problems of the file (rows the reference reader could not read, tagged with their
    /// project when the row names one).
    pub problems: Problems,
    /// Rows read in all (with a date limit, those after it and before a project's year
    /// too).
    pub rows: usize,
    /// Whether the fast path produced the sums (else the reference reader did), and why
    /// not.
    pub fast: bool,
    pub fallback: Option<String>,
}

/// How the ledger is read.
#[derive(Debug, Clone)]
pub struct LedgerOptions {
    pub read: ReadOptions,
    /// Threads parsing blocks (at least 1).
    pub threads: usize,
    /// The size of the parts the file is cut into (tests use small ones to cut records
    /// in many places).
    pub block_size: usize,
    /// Only the reference reader.
    pub reference_only: bool,
    /// The date limit (`monitor --as-of`): rows dated after it are counted, not summed,
    /// and rows dated before their project's year too ([`place`]).
    pub as_of: Option<Date>,
}

impl Default for LedgerOptions {
    fn default() -> Self {
        LedgerOptions {
            read: ReadOptions::default(),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
            block_size: PART_SIZE,
            reference_only: false,
            as_of: None,
        }
    }
}

/// Sum the ledger at `path` per project. `years` gives each project's year (rows dated
/// otherwise are counted as outside it); `progress` is told how many bytes were read.
pub fn aggregate(
    path: &Path,
    years: &HashMap<String, i32>,
    options: &LedgerOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Ledger {
    if !options.reference_only && !data::is_workbook(path) {
        match fast::aggregate(path, years, options, progress) {
            Ok(ledger) => return ledger,
            Err(why) => {
                let mut ledger = reference(path, years, &options.read, options.as_of);
                ledger.fallback = Some(why);
                return ledger;
            }
        }
    }
    reference(path, years, &options.read, options.as_of)
}

/// The reference path: the ordinary reader, one row at a time; `as_of`: the date limit.
pub fn reference(
    path: &Path,
    years: &HashMap<String, i32>,
    read: &ReadOptions,
    as_of: Option<Date>,
) -> Ledger {
    let mut ledger = Ledger::default();
    let mut problems = Problems::default();
    let projects = &mut ledger.projects;
    let mut rows = 0;
    let limit = voucher_rows_checked(years.len());
    let as_of = as_of.map(Limit::new);
    data::each_spending(path, read, &mut problems, |row| {
        let year = years.get(&row.project).copied();
        let after = as_of.is_some_and(|l| l.after(row.date));
        let place = place(after, row.date.year, year, as_of.is_some());
        // A project outside the budget is an error of its own: its vouchers are not
        // checked.
        let voucher = row.voucher.as_deref().filter(|_| year.is_some());
        rows += 1;
        let p = projects.entry(row.project).or_default();
        p.add(row.line, place, row.amount, voucher, limit);
        if matches!(place, Place::Summed { .. }) {
            p.source(row.source.as_deref(), row.amount);
        }
    });
    ledger.rows = rows;
    ledger.problems = problems;
    finish(&mut ledger, path, limit);
    ledger
}

/// The vouchers are checked: forget them, and warn once when some were not (never
/// silently: a repeat among them would go unseen).
fn finish(ledger: &mut Ledger, path: &Path, limit: usize) {
    let mut unchecked = 0;
    let mut first: Option<(usize, &str)> = None;
    for (code, p) in &mut ledger.projects {
        p.close_vouchers();
        // No row named a source (the ledger has no 资金来源, or the project's rows leave
        // it empty): nothing to say of its sources, as the fast path says nothing.
        if p.by_source.is_empty() {
            p.unsourced = 0;
        }
        if let Some(line) = p.unchecked_voucher_line {
            unchecked += 1;
            if first.is_none_or(|(l, _)| line < l) {
                first = Some((line, code));
            }
        }
    }
    if let Some((line, code)) = first {
        let problem = unchecked_vouchers_problem(path, unchecked, limit, code, line);
        ledger.problems.push(problem);
    }
}

/// The warning for `projects` projects with more rows with a voucher than the `limit`
/// checked each; `first` is the one whose first unchecked row (on `line`) comes first.
fn unchecked_vouchers_problem(
    path: &Path,
    projects: usize,
    limit: usize,
    first: &str,
    line: usize,
) -> Problem {
    Problem::warning(
        path,
        format!(
            "vouchers given twice are looked for in the first {limit} rows with a voucher \
             of each project: {projects} project(s) have more, not checked (the first, \
             project {first}, from line {line} on)"
        ),
    )
    .zh(format!(
        "重复凭证号只在每个项目前 {limit} 笔有凭证号的支出中查找：{projects} 个项目超出，\
         其余未查（第一个为项目 {first}，自第 {line} 行起）"
    ))
    .code(Code::DuplicateVoucher)
    .at_line(line)
    .field("voucher")
    .zh_field("凭证号")
    .expected(format!(
        "at most {limit} rows with a voucher per project ({VOUCHER_ROWS_SHARED} shared \
         among the budget's projects, at least {VOUCHER_ROWS_CHECKED} each)"
    ))
    .zh_expected(format!(
        "每个项目至多 {limit} 笔有凭证号的支出（预算中各项目共 {VOUCHER_ROWS_SHARED} 笔，\
         每个项目至少 {VOUCHER_ROWS_CHECKED} 笔）"
    ))
}

mod fast;
mod gb18030;

pub use gb18030::valid_gb18030;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vouchers_checked_are_a_share_of_two_to_the_nineteen() {
        // 2^19 = 524,288 rows shared; never fewer than 64 per project.
        // 524,288 / 20,000 = 26.2 → 26, below the floor → 64.
        assert_eq!(voucher_rows_checked(20_000), 64);
        // 524,288 / 8,192 = 64 exactly; / 8,191 = 64.008 → 64; / 4,096 = 128.
        assert_eq!(voucher_rows_checked(8_192), 64);
        assert_eq!(voucher_rows_checked(8_191), 64);
        assert_eq!(voucher_rows_checked(4_096), 128);
        // 524,288 / 2,000 = 262.144 → 262; / 1,000 = 524.288 → 524.
        assert_eq!(voucher_rows_checked(2_000), 262);
        assert_eq!(voucher_rows_checked(1_000), 524);
        // A bureau of one checks 524,288 rows; an empty budget as many (no division by 0).
        assert_eq!(voucher_rows_checked(1), 524_288);
        assert_eq!(voucher_rows_checked(0), 524_288);
    }

    /// A ledger of `rows` rows of project `P1` (year 2024), the row `n` (1-based) with
    /// voucher `V-{n}` except those in `repeat`, which repeat the voucher of another
    /// row; written under `dir`. The header is line 1: row `n` is on line `n + 1`.
    fn ledger_file(dir: &Path, rows: usize, repeat: &[(usize, usize)]) -> std::path::PathBuf {
        let mut text = String::from("project,date,amount,voucher\n");
        for n in 1..=rows {
            let v = repeat.iter().find(|r| r.0 == n).map_or(n, |r| r.1);
            text.push_str(&format!("P1,2024-03-01,1.00,V-{v}\n"));
        }
        let path = dir.join("spending.csv");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// The same ledger through the reference path and the fast path (tiny parts, 2
    /// threads).
    fn both(path: &Path, years: &HashMap<String, i32>) -> [Ledger; 2] {
        both_as_of(path, years, None)
    }

    /// [`both`] with a date limit.
    fn both_as_of(path: &Path, years: &HashMap<String, i32>, as_of: Option<Date>) -> [Ledger; 2] {
        let reference = LedgerOptions {
            reference_only: true,
            as_of,
            ..LedgerOptions::default()
        };
        let fast = LedgerOptions {
            threads: 2,
            block_size: 256,
            as_of,
            ..LedgerOptions::default()
        };
        let r = aggregate(path, years, &reference, &|_| {});
        let f = aggregate(path, years, &fast, &|_| {});
        assert!(!r.fast);
        assert!(f.fast, "{:?}", f.fallback);
        [r, f]
    }

    #[test]
    fn a_repeat_past_row_64_is_found_in_a_budget_of_one() {
        let dir = tempfile::tempdir().unwrap();
        // Row 100 repeats row 7's voucher: lines 101 and 8.
        let path = ledger_file(dir.path(), 150, &[(100, 7)]);
        let years = HashMap::from([("P1".to_string(), 2024)]);
        for ledger in both(&path, &years) {
            let p = &ledger.projects["P1"];
            assert_eq!(p.rows, 150);
            assert_eq!(p.duplicates_total, 1);
            assert_eq!(
                p.duplicates,
                [DuplicateVoucher {
                    line: 101,
                    first_line: 8,
                    voucher: "V-7".into(),
                }]
            );
            // 150 rows, all checked (524,288 may be): no warning.
            assert_eq!(p.unchecked_voucher_line, None);
            assert!(ledger.problems.is_empty(), "{:?}", ledger.problems);
        }
    }

    #[test]
    fn vouchers_past_the_share_are_not_checked_and_say_so() {
        let dir = tempfile::tempdir().unwrap();
        // 10,000 projects: 524,288 / 10,000 = 52 → 64 rows checked. Row 60 repeats row 1
        // (found: lines 61 and 2), row 70 repeats row 2 (past the 64th row: not found).
        let path = ledger_file(dir.path(), 80, &[(60, 1), (70, 2)]);
        let mut years: HashMap<String, i32> =
            (2..=10_000).map(|n| (format!("P{n}"), 2024)).collect();
        years.insert("P1".into(), 2024);
        for ledger in both(&path, &years) {
            let p = &ledger.projects["P1"];
            assert_eq!(p.duplicates_total, 1);
            assert_eq!((p.duplicates[0].line, p.duplicates[0].first_line), (61, 2));
            // The 65th row with a voucher is on line 66.
            assert_eq!(p.unchecked_voucher_line, Some(66));
            let [warning] = &ledger.problems.0[..] else {
                panic!("{:?}", ledger.problems);
            };
            assert_eq!(warning.code, Some(Code::DuplicateVoucher));
            assert!(!warning.is_error());
            assert_eq!(warning.line, Some(66));
            assert!(
                warning.message.contains("first 64 rows")
                    && warning.message.contains("1 project(s)")
                    && warning.message.contains("project P1, from line 66"),
                "{}",
                warning.message
            );
        }
        // Exactly 64 rows with a voucher: all checked, nothing to say.
        let path = ledger_file(dir.path(), 64, &[]);
        for ledger in both(&path, &years) {
            assert_eq!(ledger.projects["P1"].unchecked_voucher_line, None);
            assert!(ledger.problems.is_empty(), "{:?}", ledger.problems);
        }
    }

    #[test]
    fn as_of_a_date_rows_after_it_and_before_the_year_are_counted_not_summed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spending.csv");
        // Header on line 1; the rows on lines 2–10.
        let text = "project,date,amount,voucher\n\
            P1,2024-03-01,10.00,V1\n\
            P1,2023-12-30,5.00,V2\n\
            P1,2024-07-31,2.50,V3\n\
            P1,2024-08-01,100.00,V1\n\
            P1,2024/07/15,1.25,V3\n\
            P1,2024年8月2日,7.00,V9\n\
            P1,2025-01-02,-3.00,V4\n\
            X9,2024-09-01,4.00,\n\
            X9,2023-01-01,1.00,\n";
        std::fs::write(&path, text).unwrap();
        let years = HashMap::from([("P1".to_string(), 2024)]);
        let as_of = Date {
            year: 2024,
            month: 7,
            day: 31,
        };
        for ledger in both_as_of(&path, &years, Some(as_of)) {
            let p = &ledger.projects["P1"];
            // Summed: lines 2, 4 (the limit's own day) and 6 (2024/07/15):
            // 10.00 + 2.50 + 1.25 = 13.75.
            assert_eq!((p.spent.to_string().as_str(), p.rows), ("13.75", 3));
            // After 07-31: lines 5 (08-01), 7 (8月2日), 8 (2025); the −3.00 of line 8 is
            // no reversal, it is not summed.
            assert_eq!((p.after, p.reversals), (3, 0));
            // Before 2024: line 3, outside the year too.
            assert_eq!((p.before, p.outside_year), (1, 1));
            assert_eq!(p.outside_lines, [3]);
            assert_eq!(p.first_line, 2);
            // V3 of line 6 repeats line 4's; V1 of line 5 is after the date: not checked.
            assert_eq!(
                p.duplicates,
                [DuplicateVoucher {
                    line: 6,
                    first_line: 4,
                    voucher: "V3".into(),
                }]
            );
            // X9 is not in the budget: no year, so nothing before it; line 9 is after.
            let x = &ledger.projects["X9"];
            assert_eq!(
                (x.spent.to_string().as_str(), x.rows, x.after, x.before),
                ("1.00", 1, 1, 0)
            );
            assert_eq!(x.first_line, 10);
            // Every row read: 9.
            assert_eq!(ledger.rows, 9);
        }
        // Without the limit, every row is summed: 10 + 5 + 2.5 + 100 + 1.25 + 7 − 3 =
        // 122.75, lines 3 (2023) and 8 (2025) outside the year.
        for ledger in both(&path, &years) {
            let p = &ledger.projects["P1"];
            assert_eq!((p.spent.to_string().as_str(), p.rows), ("122.75", 7));
            assert_eq!((p.after, p.before, p.reversals), (0, 0, 1));
            assert_eq!(p.outside_lines, [3, 8]);
        }
    }
}
