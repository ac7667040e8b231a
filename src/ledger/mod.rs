//! The spending ledger of a whole bureau, summed per project as it streams: exact decimal
//! sums, row counts, and the checks that need rows (rows dated outside the project's year,
//! voucher numbers given twice) kept per project in bounded memory. Memory grows with the
//! number of projects, never with the number of rows.
//!
//! Two readers feed the same sums:
//!
//! - the **fast path** ([`fast`]) cuts the file into parts that the threads read with
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

use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHasher};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::path::Path;

use crate::data::{self, EncodingChoice, ReadOptions, parse};
use crate::diag::Problems;

/// The first this many rows with a voucher number of each project are checked for a
/// voucher given twice (the single-project run checks every row): keeping every voucher
/// of a 10-million-row ledger would make memory grow with the rows.
pub const VOUCHER_ROWS_CHECKED: usize = 64;

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

/// The spending of one project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectSpending {
    /// 全年执行数: the exact sum of the amounts, reversals included.
    pub spent: Decimal,
    pub rows: usize,
    /// Rows with a negative amount (冲销).
    pub reversals: usize,
    /// Rows dated outside the project's year, and the first lines of them.
    pub outside_year: usize,
    pub outside_lines: Vec<usize>,
    /// The first line of the project's spending.
    pub first_line: usize,
    /// Vouchers given twice among the first [`VOUCHER_ROWS_CHECKED`] rows with a voucher
    /// (at most 50 kept), and how many there are.
    pub duplicates: Vec<DuplicateVoucher>,
    pub duplicates_total: usize,
    /// The vouchers seen so far, while they are checked (boxed: a whole bureau's
    /// projects hold these only for a while, and nothing once checked).
    vouchers: Option<Box<VoucherCheck>>,
    checked: bool,
}

/// The first rows with a voucher of a project: the key of the text (a hash of the folded
/// text) and the line. A voucher is compared with these as it comes, so no text is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct VoucherCheck {
    /// Each voucher's key and line, together: one cache line holds both.
    seen: Vec<(u64, u32)>,
    /// A 256-bit filter of `keys`: most new vouchers are told apart without a look
    /// through them.
    filter: [u64; 4],
}

impl ProjectSpending {
    /// Whether the vouchers of the project are checked already (later ones are not kept).
    pub fn vouchers_checked(&self) -> bool {
        self.checked
    }

    fn add(&mut self, line: usize, outside: bool, amount: Decimal, voucher: Option<&str>) {
        if self.rows == 0 {
            self.first_line = line;
        }
        self.spent += amount;
        self.rows += 1;
        if amount.is_sign_negative() && !amount.is_zero() {
            self.reversals += 1;
        }
        if outside {
            self.outside_year += 1;
            self.outside_line(line);
        }
        if let Some(v) = voucher {
            self.voucher(voucher_key(v), line, v.as_bytes());
        }
    }

    /// A row dated outside the year: its line is kept among the first few.
    fn outside_line(&mut self, line: usize) {
        if self.outside_lines.len() < LINES_KEPT {
            self.outside_lines.push(line);
        }
    }

    /// The next row with a voucher (`key` = [`voucher_key`] of `text`), in file order.
    fn voucher(&mut self, key: u64, line: usize, text: &[u8]) {
        if self.checked {
            return;
        }
        let seen = self.vouchers.get_or_insert_with(|| {
            Box::new(VoucherCheck {
                // Most projects reach the 64 checked: fewer steps of growth.
                seen: Vec::with_capacity(16),
                filter: [0; 4],
            })
        });
        let (word, bit) = ((key >> 6) as usize & 3, 1u64 << (key & 63));
        let maybe = seen.filter[word] & bit != 0;
        seen.filter[word] |= bit;
        if maybe && let Some(&(_, first)) = seen.seen.iter().find(|&&(k, _)| k == key) {
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
        seen.seen.push((key, line as u32));
        if seen.seen.len() == VOUCHER_ROWS_CHECKED {
            self.close_vouchers();
        }
    }

    /// No more vouchers are checked: forget those kept.
    fn close_vouchers(&mut self) {
        self.vouchers = None;
        self.checked = true;
    }

    /// Lines counted from a part's start → lines of the file (a project outside the
    /// budget: only its sums, count and lines).
    fn shift(&mut self, base: usize) {
        self.first_line += base;
        for l in &mut self.outside_lines {
            *l += base;
        }
    }

    /// Add the spending of a project outside the budget that follows this in the file.
    fn absorb(&mut self, later: ProjectSpending) {
        if self.rows == 0 {
            self.first_line = later.first_line;
        }
        self.spent += later.spent;
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
    /// Rows summed in all.
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
}

impl Default for LedgerOptions {
    fn default() -> Self {
        LedgerOptions {
            read: ReadOptions::default(),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
            block_size: PART_SIZE,
            reference_only: false,
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
                let mut ledger = reference(path, years, &options.read);
                ledger.fallback = Some(why);
                return ledger;
            }
        }
    }
    reference(path, years, &options.read)
}

/// The reference path: the ordinary reader, one row at a time.
pub fn reference(path: &Path, years: &HashMap<String, i32>, read: &ReadOptions) -> Ledger {
    let mut ledger = Ledger::default();
    let mut problems = Problems::default();
    let projects = &mut ledger.projects;
    let mut rows = 0;
    data::each_spending(path, read, &mut problems, |row| {
        let year = years.get(&row.project);
        let outside = year.is_some_and(|&y| y != row.date.year);
        // A project outside the budget is an error of its own: its vouchers are not
        // checked.
        let voucher = row.voucher.as_deref().filter(|_| year.is_some());
        rows += 1;
        projects
            .entry(row.project)
            .or_default()
            .add(row.line, outside, row.amount, voucher);
    });
    ledger.rows = rows;
    ledger.problems = problems;
    finish(&mut ledger);
    ledger
}

fn finish(ledger: &mut Ledger) {
    for p in ledger.projects.values_mut() {
        p.close_vouchers();
    }
}

mod fast;
mod gb18030;

pub use gb18030::valid_gb18030;
