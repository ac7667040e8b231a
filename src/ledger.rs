//! The spending ledger of a whole bureau, summed per project as it streams: exact decimal
//! sums, row counts, and the checks that need rows (rows dated outside the project's year,
//! voucher numbers given twice) kept per project in bounded memory. Memory grows with the
//! number of projects, never with the number of rows.
//!
//! Two readers feed the same sums:
//!
//! - the **fast path** reads the CSV bytes in 2 MB blocks, cuts each block at a record
//!   boundary (a newline outside quotes, found by counting quote characters from a record
//!   start) and parses the blocks on several threads straight from the bytes: a line
//!   without a quote is split at commas with memchr, a line with one goes through
//!   csv-core. UTF-8 and GB18030 keep `,`, `"`, `\r` and `\n` single bytes that are never
//!   part of a longer character, so the CSV structure is the same in both and only the
//!   few fields used (project, date, amount, voucher) are decoded. Each block is
//!   validated in the encoding on the thread that parses it: there is no separate
//!   conversion pass. Each thread adds up the sums and counts of its blocks; what depends
//!   on the order (first lines, first vouchers) is merged block by block in file order,
//!   so the result does not depend on the number of threads or where the blocks were cut;
//! - the **reference path** is the ordinary reader of [`crate::data`], one row at a time.
//!   It is used for workbooks and whenever the fast path meets anything it does not handle
//!   exactly as the reader would (a bad row, undecodable bytes, a stray quote, a header it
//!   cannot find in the first block): the whole file is then read again by the reference
//!   path, so every message is the reader's own.

use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
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

/// The default size of the blocks the fast path cuts the file into.
pub const BLOCK_SIZE: usize = 2 << 20;

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
    /// The first rows with a voucher: its key (hash of the folded text), line, and where
    /// its text starts in `voucher_text` (it ends where the next one starts). Cleared once
    /// checked.
    vouchers: Vec<(u64, u32, u32)>,
    voucher_text: String,
    checked: bool,
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
            if self.outside_lines.len() < LINES_KEPT {
                self.outside_lines.push(line);
            }
        }
        if let Some(v) = voucher
            && !self.checked
            && self.vouchers.len() < VOUCHER_ROWS_CHECKED
        {
            let start = self.voucher_text.len() as u32;
            self.voucher_text.push_str(v);
            self.vouchers.push((voucher_key(v), line as u32, start));
        }
    }

    /// Add the spending that follows this in the file (a later block).
    fn absorb(&mut self, later: ProjectSpending) {
        if self.rows == 0 {
            self.first_line = later.first_line;
        }
        self.spent += later.spent;
        self.rows += later.rows;
        self.reversals += later.reversals;
        self.outside_year += later.outside_year;
        let room = LINES_KEPT - self.outside_lines.len();
        self.outside_lines
            .extend(later.outside_lines.into_iter().take(room));
        if !self.checked {
            let room = VOUCHER_ROWS_CHECKED - self.vouchers.len();
            let base = self.voucher_text.len() as u32;
            let take = later.vouchers.len().min(room);
            let text_end = later
                .vouchers
                .get(take)
                .map_or(later.voucher_text.len(), |v| v.2 as usize);
            self.voucher_text.push_str(&later.voucher_text[..text_end]);
            self.vouchers.extend(
                later.vouchers[..take]
                    .iter()
                    .map(|&(k, l, s)| (k, l, s + base)),
            );
            // The first rows of the project are all here: check them and forget them.
            if self.vouchers.len() == VOUCHER_ROWS_CHECKED {
                self.check_vouchers();
            }
        }
    }

    /// Find the vouchers given twice among those kept, then forget them.
    fn check_vouchers(&mut self) {
        let mut first: HashMap<u64, usize> = HashMap::new();
        let text = std::mem::take(&mut self.voucher_text);
        let vouchers = std::mem::take(&mut self.vouchers);
        for (i, &(key, line, start)) in vouchers.iter().enumerate() {
            let end = vouchers.get(i + 1).map_or(text.len(), |v| v.2 as usize);
            let text = &text[start as usize..end];
            let line = line as usize;
            match first.get(&key) {
                None => {
                    first.insert(key, line);
                }
                Some(&first_line) => {
                    self.duplicates_total += 1;
                    if self.duplicates.len() < DUPLICATES_KEPT {
                        self.duplicates.push(DuplicateVoucher {
                            line,
                            first_line,
                            voucher: text.to_string(),
                        });
                    }
                }
            }
        }
        self.checked = true;
    }
}

/// The key a voucher is compared by: its text with full-width characters folded, trimmed.
fn voucher_key(v: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    if v.is_ascii() {
        h.write(v.trim().as_bytes());
    } else {
        h.write(parse::fold_width(v).trim().as_bytes());
    }
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
    /// The size of the blocks (tests use small ones to cut records in many places).
    pub block_size: usize,
    /// Only the reference reader.
    pub reference_only: bool,
}

impl Default for LedgerOptions {
    fn default() -> Self {
        LedgerOptions {
            read: ReadOptions::default(),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
            block_size: BLOCK_SIZE,
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
        let outside = years.get(&row.project).is_some_and(|&y| y != row.date.year);
        rows += 1;
        projects.entry(row.project).or_default().add(
            row.line,
            outside,
            row.amount,
            row.voucher.as_deref(),
        );
    });
    ledger.rows = rows;
    ledger.problems = problems;
    finish(&mut ledger);
    ledger
}

fn finish(ledger: &mut Ledger) {
    for p in ledger.projects.values_mut() {
        if !p.checked {
            p.check_vouchers();
        }
    }
}

/// A small fast hasher for the per-block maps (FxHash): keys are short project codes.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (which pick the bucket) depending only on the
        // low bytes: mix the high ones down (splitmix64's finaliser).
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Validate GB18030 the way encoding_rs decodes it (WHATWG): ASCII; 0x80 (€); a lead
/// 0x81–0xFE followed by 0x40–0x7E or 0x80–0xFE; or a four-byte sequence whose pointer is
/// in the BMP range (≤ 39419) or the supplementary range (189000–1237575).
pub fn valid_gb18030(bytes: &[u8]) -> bool {
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        // Skip ASCII eight bytes at a time.
        while i + 8 <= n {
            let w = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
            if w & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            i += 8;
        }
        if i >= n {
            break;
        }
        let b = bytes[i];
        if b <= 0x80 {
            i += 1;
            continue;
        }
        if b == 0xFF || i + 1 >= n {
            return false;
        }
        let b2 = bytes[i + 1];
        match b2 {
            0x40..=0x7E | 0x80..=0xFE => i += 2,
            0x30..=0x39 => {
                if i + 3 >= n {
                    return false;
                }
                let (b3, b4) = (bytes[i + 2], bytes[i + 3]);
                if !(0x81..=0xFE).contains(&b3) || !(0x30..=0x39).contains(&b4) {
                    return false;
                }
                let pointer = ((u32::from(b - 0x81) * 10 + u32::from(b2 - 0x30)) * 126
                    + u32::from(b3 - 0x81))
                    * 10
                    + u32::from(b4 - 0x30);
                if !(pointer <= 39419 || (189_000..=1_237_575).contains(&pointer)) {
                    return false;
                }
                i += 4;
            }
            _ => return false,
        }
    }
    true
}

mod fast {
    use super::*;
    use crate::data::table::{RawRow, resolve_header};
    use std::borrow::Cow;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc;
    use std::sync::{Arc, Mutex};

    /// The projects of the budget, shared by the threads: each one's number and year, and
    /// whether its vouchers are checked already (then the threads keep no more of them;
    /// they would be dropped when merged anyway, so the result does not change).
    struct Known {
        index: FxMap<Box<[u8]>, (u32, i32)>,
        names: Vec<String>,
        checked: Vec<AtomicBool>,
        /// The project's first line is merged already.
        first_seen: Vec<AtomicBool>,
        /// Five lines of its rows outside the year are merged already.
        outside_full: Vec<AtomicBool>,
    }

    /// What does not depend on the order of the rows: each thread adds these up over all
    /// its blocks, and the threads' totals are added once at the end.
    #[derive(Debug, Clone, Copy, Default)]
    struct Totals {
        spent: Decimal,
        rows: usize,
        reversals: usize,
        outside: usize,
    }

    type ThreadTotals = FxMap<u32, Totals>;

    /// The columns of the ledger the sums need.
    #[derive(Debug, Clone, Copy)]
    struct Cols {
        project: usize,
        date: usize,
        amount: usize,
        voucher: Option<usize>,
        width: usize,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Enc {
        Utf8,
        Gb,
    }

    fn decode(bytes: &[u8], enc: Enc) -> Option<Cow<'_, str>> {
        if bytes.is_ascii() {
            return std::str::from_utf8(bytes).ok().map(Cow::Borrowed);
        }
        match enc {
            Enc::Utf8 => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
            Enc::Gb => {
                encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
            }
        }
    }

    /// One block's sums, keyed by the project's text (UTF-8 bytes).
    struct BlockResult {
        /// Projects of the budget, by number.
        known: FxMap<u32, ProjectSpending>,
        /// Projects the budget does not hold, by their text.
        unknown: FxMap<Box<[u8]>, ProjectSpending>,
        newlines: usize,
        rows: usize,
        /// The block is valid UTF-8, and pure ASCII.
        utf8: bool,
        ascii: bool,
        trouble: Option<String>,
    }

    /// Reads the header in the first block; returns the columns, the byte where the data
    /// starts and whether the file has a UTF-8 byte-order mark.
    fn header(first: &[u8], choice: EncodingChoice) -> Result<(Cols, usize, bool), String> {
        let bom = first.starts_with(b"\xEF\xBB\xBF");
        if first.starts_with(b"\xFF\xFE") || first.starts_with(b"\xFE\xFF") {
            return Err("UTF-16".into());
        }
        let start = if bom { 3 } else { 0 };
        let enc = |b: &[u8]| -> Option<String> {
            let as_utf8 = bom || choice == EncodingChoice::Utf8;
            let e = if as_utf8 || (choice == EncodingChoice::Auto && std::str::from_utf8(b).is_ok())
            {
                Enc::Utf8
            } else {
                Enc::Gb
            };
            decode(b, e).map(Cow::into_owned)
        };
        let mut rdr = csv_core::Reader::new();
        let mut pos = start;
        let mut out = vec![0u8; first.len() + 64];
        let mut ends = vec![0usize; 1024];
        let mut seen = 0;
        let mut line = 1 + first[..start].iter().filter(|&&b| b == b'\n').count();
        let required = data::SPENDING_COLUMNS.iter().filter(|c| c.required).count();
        while seen < crate::data::table::HEADER_SEARCH_ROWS {
            let rec_start = pos;
            let (res, nin, _nout, nend) = rdr.read_record(&first[pos..], &mut out, &mut ends);
            pos += nin;
            match res {
                csv_core::ReadRecordResult::Record => {}
                _ => return Err("no header in the first block".into()),
            }
            let skip = first[rec_start..pos]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .filter(|&&b| b == b'\n')
                .count();
            line += skip;
            let mut cells = Vec::with_capacity(nend);
            let mut from = 0;
            for &end in &ends[..nend] {
                cells.push(enc(&out[from..end]).ok_or("undecodable header")?);
                from = end;
            }
            let this_line = line;
            line += first[rec_start..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                - skip;
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            seen += 1;
            let named = data::table::required_named(&cells, data::SPENDING_COLUMNS);
            if named == required {
                let mut problems = Problems::default();
                let row = RawRow {
                    line: this_line,
                    cells,
                    unreadable: Vec::new(),
                };
                let index =
                    resolve_header(Path::new(""), &row, data::SPENDING_COLUMNS, &mut problems)
                        .ok_or("bad header")?;
                let at = |name: &str| {
                    data::SPENDING_COLUMNS
                        .iter()
                        .position(|c| c.name == name)
                        .and_then(|i| index[i])
                };
                let cols = Cols {
                    project: at("project").ok_or("no project column")?,
                    date: at("date").ok_or("no date column")?,
                    amount: at("amount").ok_or("no amount column")?,
                    voucher: at("voucher"),
                    width: row.cells.len(),
                };
                // The data starts on the next line: the reader's line count starts here.
                return Ok((cols, pos, bom));
            }
        }
        Err("no header in the first rows".into())
    }

    /// `YYYY-MM-DD` → its year, when valid; other forms go to the full parser.
    fn date_year(t: &str) -> Result<i32, ()> {
        let b = t.as_bytes();
        if b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        {
            let num = |r: std::ops::Range<usize>| {
                b[r].iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'))
            };
            let (y, m, d) = (num(0..4) as i32, num(5..7), num(8..10));
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                1..=12 => 31,
                _ => 0,
            };
            return if d >= 1 && d <= days { Ok(y) } else { Err(()) };
        }
        parse::parse_date(t).map(|d| d.year).map_err(|_| ())
    }

    /// `-?digits(.d{1,2})?` → the amount, exactly; other forms go to the full parser.
    fn amount(t: &str) -> Result<Decimal, ()> {
        let b = t.as_bytes();
        let (neg, digits) = match b.first() {
            Some(b'-') => (true, &b[1..]),
            _ => (false, b),
        };
        let (int, frac) = match digits.iter().position(|&c| c == b'.') {
            Some(p) => (&digits[..p], &digits[p + 1..]),
            None => (digits, &digits[..0]),
        };
        let has_dot = digits.contains(&b'.');
        let plain = !int.is_empty()
            && int.len() <= 15
            && (!has_dot || (1..=2).contains(&frac.len()))
            && int.iter().chain(frac).all(u8::is_ascii_digit);
        if plain {
            let mut m: i64 = 0;
            for &c in int.iter().chain(frac) {
                m = m * 10 + i64::from(c - b'0');
            }
            if neg {
                m = -m;
            }
            return Ok(Decimal::new(m, frac.len() as u32));
        }
        parse::parse_amount(t).map_err(|_| ())
    }

    fn trimmed(bytes: &[u8]) -> &[u8] {
        bytes.trim_ascii()
    }

    /// Parse one block (whole records) into per-project sums. `first_line` is unknown
    /// here: lines are counted from the block's start and shifted when merged.
    fn parse_block(
        buf: &[u8],
        cols: Cols,
        choice: EncodingChoice,
        known: &Known,
        totals: &mut ThreadTotals,
    ) -> BlockResult {
        let utf8 = simdutf8::basic::from_utf8(buf).is_ok();
        let ascii = utf8 && buf.is_ascii();
        let mut res = BlockResult {
            known: FxMap::default(),
            unknown: FxMap::default(),
            newlines: buf.iter().filter(|&&b| b == b'\n').count(),
            rows: 0,
            utf8,
            ascii,
            trouble: None,
        };
        let enc = match choice {
            EncodingChoice::Utf8 if !utf8 => {
                res.trouble = Some("bytes that are not UTF-8".into());
                return res;
            }
            EncodingChoice::Utf8 => Enc::Utf8,
            EncodingChoice::Auto if utf8 => Enc::Utf8,
            _ => {
                if !valid_gb18030(buf) {
                    res.trouble = Some("bytes that are not GB18030".into());
                    return res;
                }
                Enc::Gb
            }
        };
        let mut rdr = csv_core::Reader::new();
        let mut out = vec![0u8; 4096];
        let mut ends = vec![0usize; 64];
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(16);
        let mut pos = 0;
        // Newlines before `pos`: the record at `pos` is on line `line + 1` of the block.
        let mut line = 0usize;
        while pos < buf.len() {
            let rest = &buf[pos..];
            let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let record_line = line;
            // A line without a quote is a whole record: its fields are split at commas
            // here; a line with one goes through csv-core, which knows quoting.
            let body = &rest[..end];
            let body = body.strip_suffix(b"\r").unwrap_or(body);
            let src: &[u8] = if memchr::memchr2(b'"', b'\r', body).is_none() {
                spans.clear();
                let mut from = 0;
                for c in memchr::memchr_iter(b',', &rest[..end]) {
                    spans.push((from, c));
                    from = c + 1;
                }
                spans.push((from, end));
                pos += (end + 1).min(rest.len());
                line += usize::from(end < rest.len());
                rest
            } else {
                let (mut outlen, mut nends, mut nin_total) = (0, 0, 0);
                loop {
                    let input = &rest[nin_total..];
                    let (r, nin, nout, nend) =
                        rdr.read_record(input, &mut out[outlen..], &mut ends[nends..]);
                    nin_total += nin;
                    outlen += nout;
                    nends += nend;
                    match r {
                        csv_core::ReadRecordResult::Record => break,
                        csv_core::ReadRecordResult::InputEmpty if nin_total >= rest.len() => {
                            // The end of the block: a last record without a newline.
                            let (r2, _, _, nend2) =
                                rdr.read_record(&[], &mut out[outlen..], &mut ends[nends..]);
                            nends += nend2;
                            if r2 != csv_core::ReadRecordResult::Record {
                                nends = 0;
                            }
                            break;
                        }
                        csv_core::ReadRecordResult::InputEmpty => {}
                        csv_core::ReadRecordResult::OutputFull => {
                            let n = out.len();
                            out.resize(n * 2, 0);
                        }
                        csv_core::ReadRecordResult::OutputEndsFull => {
                            let n = ends.len();
                            ends.resize(n * 2, 0);
                        }
                        csv_core::ReadRecordResult::End => {
                            nends = 0;
                            break;
                        }
                    }
                }
                let span = &rest[..nin_total];
                if memchr::memchr_iter(b'"', span).count() % 2 == 1 {
                    res.trouble = Some("a quote inside an unquoted field".into());
                    return res;
                }
                line += memchr::memchr_iter(b'\n', span).count();
                pos += nin_total.max(1);
                spans.clear();
                let mut from = 0;
                for &e in &ends[..nends] {
                    spans.push((from, e));
                    from = e;
                }
                if nends == 0 {
                    continue;
                }
                &out[..outlen]
            };
            if let Err(why) = record(&mut res, totals, src, &spans, record_line, cols, enc, known) {
                res.trouble = Some(why.into());
                return res;
            }
        }
        res
    }

    /// Sum one record (fields at `spans` of `src`) into `res`.
    #[allow(clippy::too_many_arguments)]
    fn record(
        res: &mut BlockResult,
        totals: &mut ThreadTotals,
        src: &[u8],
        spans: &[(usize, usize)],
        line: usize,
        cols: Cols,
        enc: Enc,
        known: &Known,
    ) -> Result<(), &'static str> {
        let field = |i: usize| -> &[u8] { spans.get(i).map_or(&[][..], |&(a, b)| &src[a..b]) };
        let nf = spans.len();
        let is_blank = (0..nf).all(|i| {
            trimmed(field(i)).is_empty()
                || decode(field(i), enc).is_some_and(|t| t.trim().is_empty())
        });
        if is_blank {
            return Ok(());
        }
        if nf > cols.width && (cols.width..nf).any(|i| !trimmed(field(i)).is_empty()) {
            return Err("a row wider than the header");
        }
        let text = |i: usize| -> Option<Cow<'_, str>> {
            let f = field(i);
            if f.is_ascii() {
                Some(Cow::Borrowed(
                    std::str::from_utf8(trimmed(f)).expect("ASCII"),
                ))
            } else {
                decode(f, enc).map(|t| Cow::Owned(t.trim().to_string()))
            }
        };
        let (Some(project), Some(date), Some(amt)) =
            (text(cols.project), text(cols.date), text(cols.amount))
        else {
            return Err("undecodable field");
        };
        if project.is_empty() || date.is_empty() || amt.is_empty() {
            return Err("an empty required field");
        }
        let (Ok(year), Ok(value)) = (date_year(&date), amount(&amt)) else {
            return Err("a bad date or amount");
        };
        let key = project.as_bytes();
        res.rows += 1;
        let Some(&(i, y)) = known.index.get(key) else {
            let voucher = cols.voucher.and_then(text).filter(|v| !v.is_empty());
            res.unknown
                .entry(key.into())
                .or_default()
                .add(line, false, value, voucher.as_deref());
            return Ok(());
        };
        let outside = y != year;
        let t = totals.entry(i).or_default();
        t.spent += value;
        t.rows += 1;
        if value.is_sign_negative() && !value.is_zero() {
            t.reversals += 1;
        }
        if outside {
            t.outside += 1;
        }
        // What depends on the order (the first line, the first lines outside the year,
        // the first vouchers) is kept only while the merge still needs it.
        let k = i as usize;
        let need_first = !known.first_seen[k].load(Ordering::Relaxed);
        let need_outside = outside && !known.outside_full[k].load(Ordering::Relaxed);
        let want_vouchers = cols.voucher.is_some() && !known.checked[k].load(Ordering::Relaxed);
        if need_first || need_outside || want_vouchers {
            // Vouchers are decoded only while the project's are still checked.
            let voucher = if want_vouchers {
                cols.voucher.and_then(text).filter(|v| !v.is_empty())
            } else {
                None
            };
            res.known.entry(i).or_default().add(
                line,
                need_outside,
                Decimal::ZERO,
                voucher.as_deref(),
            );
        }
        Ok(())
    }

    /// The title and header rows must decode as the data will: their bytes count like a
    /// block's in the choice of encoding.
    fn prefix_check(
        prefix: &[u8],
        choice: EncodingChoice,
        merge: &mut Merge,
    ) -> Result<(), String> {
        let utf8 = std::str::from_utf8(prefix).is_ok();
        match choice {
            EncodingChoice::Utf8 if !utf8 => return Err("a header that is not UTF-8".into()),
            EncodingChoice::Utf8 => {}
            EncodingChoice::Auto if utf8 => {}
            _ if valid_gb18030(prefix) => {}
            _ => return Err("a header that is not GB18030".into()),
        }
        merge.note(utf8, utf8 && prefix.is_ascii())
    }

    /// The last byte (exclusive) of `buf` that ends a record: just after the last newline
    /// with an even number of quotes before it (a block starts at a record's start).
    /// `None` when the block holds no such newline.
    fn cut(buf: &[u8]) -> Option<usize> {
        let odd_before = false;
        let mut end = buf.len();
        let total = buf.iter().filter(|&&b| b == b'"').count();
        let mut quotes_after = 0usize;
        loop {
            let nl = memrchr(b'\n', &buf[..end])?;
            quotes_after += buf[nl..end].iter().filter(|&&b| b == b'"').count();
            let before = total - quotes_after;
            if (before % 2 == 1) == odd_before {
                return Some(nl + 1);
            }
            end = nl;
        }
    }

    fn memrchr(b: u8, s: &[u8]) -> Option<usize> {
        s.iter().rposition(|&c| c == b)
    }

    pub(super) fn aggregate(
        path: &Path,
        years: &HashMap<String, i32>,
        options: &LedgerOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Ledger, String> {
        let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let block = options.block_size.max(64);
        let mut first = vec![0u8; block.max(1 << 20)];
        let n = read_full(&mut file, &mut first).map_err(|e| e.to_string())?;
        first.truncate(n);
        let choice = options.read.encoding;
        let (cols, data_start, bom) = header(&first, choice)?;
        let choice = if bom { EncodingChoice::Utf8 } else { choice };
        let header_lines = first[..data_start].iter().filter(|&&b| b == b'\n').count();
        // A header whose last field was the end of the file: nothing else.
        let mut carry: Vec<u8> = first[data_start..].to_vec();
        let mut read_bytes = n as u64;
        let threads = options.threads.max(1);

        let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Vec<u8>)>(threads);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (res_tx, res_rx) = mpsc::channel::<(usize, BlockResult)>();
        let known = &Known {
            index: years
                .iter()
                .enumerate()
                .map(|(i, (k, &y))| (k.as_bytes().into(), (i as u32, y)))
                .collect(),
            names: years.keys().cloned().collect(),
            checked: years.iter().map(|_| AtomicBool::new(false)).collect(),
            first_seen: years.iter().map(|_| AtomicBool::new(false)).collect(),
            outside_full: years.iter().map(|_| AtomicBool::new(false)).collect(),
        };
        let mut merged = Merge::new(1 + header_lines, known);
        prefix_check(&first[..data_start], choice, &mut merged)?;
        let outcome: Result<(), String> = std::thread::scope(|s| {
            let mut workers = Vec::new();
            for _ in 0..threads {
                let job_rx = Arc::clone(&job_rx);
                let res_tx = res_tx.clone();
                workers.push(s.spawn(move || {
                    let mut totals = ThreadTotals::default();
                    loop {
                        let job = job_rx.lock().expect("queue").recv();
                        let Ok((i, buf)) = job else { break };
                        let r = parse_block(&buf, cols, choice, known, &mut totals);
                        drop(buf);
                        if res_tx.send((i, r)).is_err() {
                            break;
                        }
                    }
                    totals
                }));
            }
            drop(res_tx);
            let mut sent = 0usize;
            let mut eof = n < first.len();
            drop(first);
            let mut failed: Option<String> = None;
            loop {
                // Fill the carry up to a block (or more when no record ends in it), then cut
                // it at a record boundary.
                let want = if carry.len() < block {
                    block
                } else if !eof && cut(&carry).is_none() {
                    carry.len() * 2
                } else {
                    0
                };
                if !eof && want > carry.len() {
                    let old = carry.len();
                    carry.resize(want, 0);
                    let k = read_full(&mut file, &mut carry[old..]).map_err(|e| e.to_string())?;
                    carry.truncate(old + k);
                    read_bytes += k as u64;
                    progress(read_bytes);
                    eof = old + k < want;
                    continue;
                }
                if carry.is_empty() {
                    break;
                }
                let take = if eof {
                    carry.len()
                } else {
                    cut(&carry).unwrap_or(carry.len())
                };
                let rest = carry.split_off(take);
                let job = std::mem::replace(&mut carry, rest);
                // At most two blocks per thread are out: their sums wait to be merged in
                // order, and memory must not grow with the file.
                while sent >= merged.next + 2 * threads {
                    let Ok((i, r)) = res_rx.recv() else { break };
                    if let Err(e) = merged.push(i, r) {
                        failed.get_or_insert(e);
                    }
                }
                if job_tx.send((sent, job)).is_err() {
                    break;
                }
                sent += 1;
                while let Ok((i, r)) = res_rx.try_recv() {
                    if let Err(e) = merged.push(i, r) {
                        failed.get_or_insert(e);
                    }
                }
                if failed.is_some() {
                    break;
                }
            }
            drop(job_tx);
            for (i, r) in res_rx.iter() {
                if let Err(e) = merged.push(i, r) {
                    failed.get_or_insert(e);
                }
            }
            for w in workers {
                match w.join() {
                    Ok(totals) => merged.add_totals(totals),
                    Err(_) => {
                        failed.get_or_insert("a thread failed".into());
                    }
                }
            }
            failed.map_or(Ok(()), Err)
        });
        outcome?;
        merged.finish()
    }

    /// Per-block results merged in file order.
    struct Merge<'k> {
        known: &'k Known,
        totals: FxMap<u32, Totals>,
        known_sums: FxMap<u32, ProjectSpending>,
        next: usize,
        waiting: BTreeMap<usize, BlockResult>,
        line: usize,
        projects: FxMap<Box<[u8]>, ProjectSpending>,
        rows: usize,
        any_not_utf8: bool,
        any_utf8_non_ascii: bool,
    }

    impl<'k> Merge<'k> {
        fn new(first_line: usize, known: &'k Known) -> Self {
            Merge {
                known,
                totals: FxMap::default(),
                known_sums: FxMap::default(),
                next: 0,
                waiting: BTreeMap::new(),
                line: first_line,
                projects: FxMap::default(),
                rows: 0,
                any_not_utf8: false,
                any_utf8_non_ascii: false,
            }
        }

        /// A part of the file was valid UTF-8 (and ASCII) or not: a GB18030 file must not
        /// have had parts read as UTF-8.
        fn note(&mut self, utf8: bool, ascii: bool) -> Result<(), String> {
            self.any_not_utf8 |= !utf8;
            self.any_utf8_non_ascii |= utf8 && !ascii;
            if self.any_not_utf8 && self.any_utf8_non_ascii {
                return Err("a part read as UTF-8 in a GB18030 file".into());
            }
            Ok(())
        }

        fn push(&mut self, i: usize, r: BlockResult) -> Result<(), String> {
            if let Some(t) = &r.trouble {
                return Err(t.clone());
            }
            self.waiting.insert(i, r);
            while let Some(r) = self.waiting.remove(&self.next) {
                self.next += 1;
                self.note(r.utf8, r.ascii)?;
                let base = self.line;
                for (i, mut p) in r.known {
                    shift(&mut p, base);
                    let e = match self.known_sums.get_mut(&i) {
                        Some(e) => {
                            e.absorb(p);
                            e
                        }
                        None => self.known_sums.entry(i).or_insert(p),
                    };
                    let k = i as usize;
                    if e.vouchers_checked() {
                        self.known.checked[k].store(true, Ordering::Relaxed);
                    }
                    if e.rows > 0 {
                        self.known.first_seen[k].store(true, Ordering::Relaxed);
                    }
                    if e.outside_lines.len() >= LINES_KEPT {
                        self.known.outside_full[k].store(true, Ordering::Relaxed);
                    }
                }
                for (k, mut p) in r.unknown {
                    shift(&mut p, base);
                    match self.projects.get_mut(&k) {
                        Some(e) => e.absorb(p),
                        None => {
                            self.projects.insert(k, p);
                        }
                    }
                }
                self.rows += r.rows;
                self.line += r.newlines;
            }
            Ok(())
        }

        /// A thread's totals, added once at the end.
        fn add_totals(&mut self, totals: ThreadTotals) {
            for (i, t) in totals {
                let e = self.totals.entry(i).or_default();
                e.spent += t.spent;
                e.rows += t.rows;
                e.reversals += t.reversals;
                e.outside += t.outside;
            }
        }

        fn finish(mut self) -> Result<Ledger, String> {
            // The sums and counts come from the threads' totals; the merged entries hold
            // the lines and vouchers.
            for (i, t) in std::mem::take(&mut self.totals) {
                let p = self.known_sums.entry(i).or_default();
                p.spent = t.spent;
                p.rows = t.rows;
                p.reversals = t.reversals;
                p.outside_year = t.outside;
            }
            let mut ledger = Ledger {
                rows: self.rows,
                fast: true,
                ..Ledger::default()
            };
            for (k, p) in self.projects {
                let k = String::from_utf8(k.into_vec()).map_err(|e| e.to_string())?;
                ledger.projects.insert(k, p);
            }
            for (i, p) in self.known_sums {
                ledger
                    .projects
                    .insert(self.known.names[i as usize].clone(), p);
            }
            finish(&mut ledger);
            Ok(ledger)
        }
    }

    /// Lines counted from a block's start → lines of the file.
    fn shift(p: &mut ProjectSpending, base: usize) {
        p.first_line += base;
        for l in &mut p.outside_lines {
            *l += base;
        }
        for v in &mut p.vouchers {
            v.1 += base as u32;
        }
        for d in &mut p.duplicates {
            d.line += base;
            d.first_line += base;
        }
    }

    fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            match reader.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn cut_finds_a_newline_outside_quotes() {
            let b = b"a,1\n\"x\ny\",2\n\"p\nq";
            // the last newline is inside the open quote; the one before ends a record
            assert_eq!(cut(b), Some(12));
            assert_eq!(cut(b"\"a\nb"), None);
        }

        #[test]
        fn amounts_and_dates_match_the_full_parsers() {
            for t in [
                "0",
                "-0",
                "12",
                "12.5",
                "12.50",
                "-7.01",
                "1.",
                ".5",
                "007",
                "123456789012345",
                "1234567890123456",
                "1.234",
                "-",
            ] {
                assert_eq!(amount(t).ok(), parse::parse_amount(t).ok(), "{t}");
            }
            for t in [
                "2022-02-29",
                "2024-02-29",
                "2022-13-01",
                "2022-00-10",
                "2022-04-31",
                "2022-12-31",
            ] {
                assert_eq!(
                    date_year(t).ok(),
                    parse::parse_date(t).ok().map(|d| d.year),
                    "{t}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_validation_agrees_with_encoding_rs() {
        // Pseudo-random byte strings biased towards non-ASCII.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let len = (x % 12) as usize;
            let mut v = Vec::with_capacity(len);
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let b = (x >> 24) as u8;
                v.push(if x.is_multiple_of(5) {
                    0x30 + (b % 10)
                } else {
                    b
                });
            }
            let expected = encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(&v)
                .is_some();
            assert_eq!(valid_gb18030(&v), expected, "{v:02X?}");
        }
        let (gbk, _, _) = encoding_rs::GB18030.encode("法律援助€𠀀,\"摘要\"\n");
        assert!(valid_gb18030(&gbk));
    }
}
