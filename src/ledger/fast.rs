//! The fast path of the ledger pass: the file is cut into parts of about
//! [`PART_SIZE`] bytes and every thread reads its own parts with positioned reads into
//! one fixed buffer, so both cores parse and memory does not grow with the file.
//!
//! A part other than the first starts *speculatively* after the first newline at or
//! after its nominal start, because a newline inside a quoted field cannot be told from
//! a record's end without reading from the file's start. The parts are merged in file
//! order; each part's true start is where the record that crossed the previous part's end
//! finished. When a speculative start was wrong (a quoted line break right at the cut),
//! the part is parsed again from its true start: the result never depends on where the
//! parts were cut or on the number of threads.
//!
//! Per row only what the sums need is touched: the line is found with one SIMD search
//! for `\n`, `"` and `\r`; a line without a quote is split at commas; a line with one is
//! walked field by field with the CSV quoting rules. Amounts of the plain form
//! (`-1234.56`) are summed as integer fen, per part, in an open-addressing table of the
//! budget's projects whose slots hold each project's code and sums side by side; only
//! what depends on the order of the rows (a project's first line, its first lines outside
//! the year, its first vouchers) is logged per part and applied in order when merged.

use super::*;
use crate::data::table::{RawRow, resolve_header};
use std::borrow::Cow;
use std::fs::File;
use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// The default size of the parts the file is cut into: large enough that the speculative
/// starts and the per-part merge cost nothing, small enough to share the work evenly.
pub const PART_SIZE: usize = 8 << 20;

/// The size of each thread's read buffer (a record longer than this grows it).
const BUFFER: usize = 256 << 10;

/// The projects of the budget, shared by the threads: each one's number and year, and
/// whether what the merge needs in file order is complete already (then later parts keep
/// no more of it; it would be dropped when merged anyway, so the result does not change).
struct Known {
    /// Codes of up to 15 bytes (nearly all) packed into one integer, in an
    /// open-addressing table each part copies to add its sums into; longer codes by their
    /// bytes.
    slots: Vec<Slot>,
    /// The project number of each slot.
    index_of: Vec<u32>,
    long: FxHashMap<Box<[u8]>, (u32, i32)>,
    names: Vec<String>,
    /// What the merge has complete already, per project: [`FIRST`], [`OUTSIDE`],
    /// [`VOUCHER`], [`UNCHECKED`] bits.
    done: Vec<AtomicU8>,
    /// The rows with a voucher checked per project ([`voucher_rows_checked`]).
    voucher_limit: usize,
}

/// What a row can matter for beyond the sums, as bits: the project's first line, one of
/// its first lines outside the year, one of its first vouchers, the first row with a
/// voucher past those a part keeps (it may be the project's first unchecked one).
const FIRST: u8 = 1;
const OUTSIDE: u8 = 2;
const VOUCHER: u8 = 4;
const UNCHECKED: u8 = 8;

/// A row that matters beyond the sums, kept in file order for the merge.
#[derive(Debug, Clone, Copy)]
struct Event {
    project: u32,
    /// Counted from the part's start.
    line: u32,
    what: u8,
    /// The voucher's key and where its text is in [`Part::text`].
    key: u64,
    text_start: u32,
    text_len: u16,
}

/// How much of each project one part has kept already (it keeps no more than the merge
/// could use).
#[derive(Debug, Clone, Copy, Default)]
struct Kept {
    first: bool,
    outside: u8,
    vouchers: u32,
    unchecked: bool,
}

/// A project of the budget in the table of a part: its packed code and year, and the
/// part's commonest sums for it beside them, in 32 bytes — a row touches one cache line
/// of a table half the size of a core's cache. The project's number is in
/// [`Known::index_of`]; its reversals and rows outside the year (rare) in [`Part::counts`].
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    /// 0: an empty slot (a packed code is never 0: its length byte is not).
    key: u128,
    /// Plain amounts in 分, and the most decimals written among them.
    fen: i64,
    rows: u32,
    year: i16,
    scale: u8,
}

/// The open-addressing table of the budget's projects (at most 2/3 full: few probes), and
/// the project number of each slot; projects numbered in the order of their codes.
fn table(years: &HashMap<String, i32>) -> Result<(Vec<Slot>, Vec<u32>), String> {
    let mut names: Vec<&String> = years.keys().collect();
    names.sort();
    let size = (names.len() * 3 / 2).next_power_of_two().max(16);
    let mut slots = vec![Slot::default(); size];
    let mut index_of = vec![0u32; size];
    for (i, k) in names.iter().enumerate() {
        if let Some(packed) = pack(k.as_bytes())
            && let Err(h) = find(&slots, packed)
        {
            let year = i16::try_from(years[*k]).map_err(|_| "a year beyond 32767")?;
            slots[h] = Slot {
                key: packed,
                year,
                ..Slot::default()
            };
            index_of[h] = i as u32;
        }
    }
    Ok((slots, index_of))
}

/// Find `key` in an open-addressing table (linear probing; a power-of-two size).
fn find(slots: &[Slot], key: u128) -> Result<usize, usize> {
    let mask = slots.len() - 1;
    // Fibonacci hashing: one multiply, the slot from its top bits, which every bit of
    // the code reaches (the lookup is on every row's path to its slot).
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    // (The table has at least 16 slots: a shift of at most 60.)
    let bits = slots.len().trailing_zeros();
    let mut h = (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
    loop {
        match slots[h].key {
            k if k == key => return Ok(h),
            0 => return Err(h),
            _ => h = (h + 1) & mask,
        }
    }
}

/// The sums of one project in one part (order does not matter for them).
#[derive(Debug, Clone, Copy, Default)]
struct PartSums {
    /// Amounts of the plain form, in units of 0.01 元 (分). Amounts of other forms
    /// (`1,234.50`, `6.79万`) are summed as decimals in [`Part::other`].
    fen: i64,
    /// The most decimals among those amounts (the exact sum keeps that scale, as the sum
    /// of the decimals would).
    scale: u32,
    rows: u32,
    reversals: u32,
    outside: u32,
}

impl PartSums {
    fn row(&mut self, value: &Amount, outside: bool) -> Result<(), &'static str> {
        self.rows = self.rows.checked_add(1).ok_or(SUM_TOO_LARGE)?;
        self.reversals += u32::from(value.negative());
        self.outside += u32::from(outside);
        if let Amount::Fen(f, s) = *value {
            self.fen = self.fen.checked_add(f).ok_or(SUM_TOO_LARGE)?;
            self.scale = self.scale.max(s);
        }
        Ok(())
    }
}

/// A code of at most 15 bytes as one integer: its bytes, then its length in the last byte
/// (so `A` and `A\0` differ).
fn pack(code: &[u8]) -> Option<u128> {
    let len = code.len();
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
    let (lo, hi) = match len {
        // Two overlapping eight-byte reads (no copy of a variable length): the second
        // shifted so that it holds bytes 8.. only.
        8..=15 => (
            word(&code[..8]),
            word(&code[len - 8..])
                .checked_shr((16 - len as u32) * 8)
                .unwrap_or(0),
        ),
        0..=7 => {
            let mut lo = 0u64;
            for (i, &b) in code.iter().enumerate() {
                lo |= u64::from(b) << (i * 8);
            }
            (lo, 0)
        }
        _ => return None,
    };
    Some(u128::from(lo) | (u128::from(hi | (len as u64) << 56) << 64))
}

/// The sums of one project over the parts merged so far.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    fen: i64,
    scale: u32,
    rows: usize,
    reversals: usize,
    outside: usize,
}

impl Totals {
    fn add(&mut self, part: &PartSums) -> Result<(), String> {
        self.fen = self.fen.checked_add(part.fen).ok_or(SUM_TOO_LARGE)?;
        self.scale = self.scale.max(part.scale);
        self.rows += part.rows as usize;
        self.reversals += part.reversals as usize;
        self.outside += part.outside as usize;
        Ok(())
    }

    /// The exact sum, as the sum of the amounts as decimals would be.
    fn spent(&self, other: Option<Decimal>) -> Result<Decimal, String> {
        let mut plain = Decimal::new(self.fen, 2);
        plain.rescale(self.scale);
        match other {
            Some(o) => plain
                .checked_add(o)
                .ok_or_else(|| SUM_TOO_LARGE.to_string()),
            None => Ok(plain),
        }
    }
}

/// Sums beyond 9.2 × 10^16 分 are left to the reader's decimal sums.
const SUM_TOO_LARGE: &str = "a sum too large for 64-bit fen";

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
        Enc::Gb => encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes),
    }
}

/// One part's result. Lines are counted from the part's start and shifted when merged.
struct Part {
    /// Where the part's first record starts (a speculative start may be wrong) and where
    /// its last record ends (the next part's true start).
    start: u64,
    end: u64,
    /// The budget's table with this part's sums; reversals and rows outside the year by
    /// slot; the sums of projects with long codes.
    slots: Vec<Slot>,
    counts: FxHashMap<u32, (u32, u32)>,
    long: FxHashMap<u32, PartSums>,
    /// Sums of amounts not of the plain form, by project number.
    other: FxHashMap<u32, Decimal>,
    /// Rows of projects of the budget that matter beyond the sums, in order; the
    /// vouchers' texts; how much of each project is kept.
    events: Vec<Event>,
    text: Vec<u8>,
    kept: Vec<Kept>,
    /// Projects the budget does not hold, by their text.
    unknown: FxHashMap<Box<[u8]>, ProjectSpending>,
    newlines: usize,
    rows: usize,
    /// The last plain date read and its year: a ledger in date order repeats a date on
    /// thousands of rows in a row.
    last_date: Option<([u8; 10], i32)>,
    encodings: Encodings,
    trouble: Option<String>,
}

impl Part {
    /// [`plain_year`], remembering the last date.
    fn plain_year(&mut self, b: &[u8]) -> Option<Result<i32, ()>> {
        if let Some((date, year)) = self.last_date
            && b == date
        {
            return Some(Ok(year));
        }
        let year = plain_year(b);
        if let (Some(Ok(y)), Ok(date)) = (year, b.try_into()) {
            self.last_date = Some((date, y));
        }
        year
    }
}

/// How the bytes read so far were read: some as UTF-8 with characters beyond ASCII, some
/// not as UTF-8. A file must not be both: a GB18030 file with a part that happens to be
/// valid UTF-8 is left to the reader, which decides for the whole file.
#[derive(Debug, Clone, Copy, Default)]
struct Encodings {
    utf8_non_ascii: bool,
    not_utf8: bool,
}

impl Encodings {
    fn note(&mut self, more: Encodings) -> Result<(), String> {
        self.utf8_non_ascii |= more.utf8_non_ascii;
        self.not_utf8 |= more.not_utf8;
        if self.utf8_non_ascii && self.not_utf8 {
            return Err("a part read as UTF-8 in a GB18030 file".into());
        }
        Ok(())
    }
}

/// The encoding `bytes` are read in under `choice`, and how; or why they cannot be read
/// ("not UTF-8", "not GB18030").
fn read_as(bytes: &[u8], choice: EncodingChoice) -> Result<(Enc, Encodings), &'static str> {
    // A GBK part shows it is not UTF-8 in its first line: a check of the first 4 KB that
    // stops at the first bad byte spares it the check of the whole.
    let prefix = &bytes[..bytes.len().min(4096)];
    let cut_or_valid =
        simdutf8::compat::from_utf8(prefix).map_or_else(|e| e.error_len().is_none(), |_| true);
    let utf8 = cut_or_valid && simdutf8::basic::from_utf8(bytes).is_ok();
    let enc = match choice {
        EncodingChoice::Utf8 if !utf8 => return Err("not UTF-8"),
        EncodingChoice::Utf8 => Enc::Utf8,
        EncodingChoice::Auto if utf8 => Enc::Utf8,
        _ if valid_gb18030(bytes) => Enc::Gb,
        _ => return Err("not GB18030"),
    };
    let seen = Encodings {
        utf8_non_ascii: utf8 && !bytes.is_ascii(),
        not_utf8: !utf8,
    };
    Ok((enc, seen))
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
        let e = if as_utf8 || (choice == EncodingChoice::Auto && std::str::from_utf8(b).is_ok()) {
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
            let index = resolve_header(Path::new(""), &row, data::SPENDING_COLUMNS, &mut problems)
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
            return Ok((cols, pos, bom));
        }
    }
    Err("no header in the first rows".into())
}

/// An amount: the plain form `-?digits(.d{1,2})?` as (fen, decimals written), any other
/// form through the full parser.
#[derive(Debug, PartialEq)]
pub(super) enum Amount {
    Fen(i64, u32),
    Other(Decimal),
}

impl Amount {
    fn negative(&self) -> bool {
        match self {
            Amount::Fen(f, _) => *f < 0,
            Amount::Other(d) => d.is_sign_negative() && !d.is_zero(),
        }
    }

    #[cfg(test)]
    pub(super) fn value(&self) -> Decimal {
        match *self {
            Amount::Fen(f, s) => {
                let mut d = Decimal::new(f, 2);
                d.rescale(s);
                d
            }
            Amount::Other(d) => d,
        }
    }
}

/// The plain form `-?digits(.d{1,2})?` (up to 15 integer digits) as fen; `None` for
/// any other text.
fn plain_amount(t: &[u8]) -> Option<Amount> {
    let (neg, digits) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        _ => (false, t),
    };
    // One pass: digits, at most one dot, then 1 or 2 decimals; up to 15 integer digits.
    let mut m: i64 = 0;
    let mut int_len = 0usize;
    let mut dot: Option<usize> = None;
    let mut plain = !digits.is_empty();
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => m = m * 10 + i64::from(c - b'0'),
            b'.' if dot.is_none() => dot = Some(i),
            _ => {
                plain = false;
                break;
            }
        }
        if dot.is_none() {
            int_len += 1;
            if int_len > 15 {
                plain = false;
                break;
            }
        } else if i - dot.unwrap_or(i) > 2 {
            plain = false;
            break;
        }
    }
    let decimals = dot.map_or(0, |d| digits.len() - d - 1);
    if plain && int_len > 0 && (dot.is_none() || decimals > 0) {
        m *= [100, 10, 1][decimals];
        return Some(Amount::Fen(if neg { -m } else { m }, decimals as u32));
    }
    None
}

/// An amount: the plain form as fen, any other form through the full parser.
pub(super) fn amount(t: &[u8]) -> Result<Amount, ()> {
    if let Some(a) = plain_amount(t) {
        return Ok(a);
    }
    let t = std::str::from_utf8(t).map_err(|_| ())?;
    parse::parse_amount(t).map(Amount::Other).map_err(|_| ())
}

/// One field of a record: its bytes in the buffer (quotes removed) and whether doubled
/// quotes inside it must be undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    from: usize,
    to: usize,
    escaped: bool,
}

/// What [`split`] found at a record's start.
#[derive(Debug, PartialEq, Eq)]
enum Split {
    /// A whole record ending at `end` (after its terminator), with `newlines` line feeds.
    Record { end: usize, newlines: usize },
    /// The buffer ends inside the record.
    More,
    /// Something the fast path does not read exactly as the reader would.
    Trouble(&'static str),
}

/// Split the record starting at `pos` into `spans`. `eof`: the buffer ends at the end of
/// the file. Quoting follows the reader's: a quote opens a quoted field only at the
/// field's start, `""` inside stands for one quote, and a quote inside an unquoted field
/// is a character; a lone `\r` (a terminator to the reader) is left to the reader.
fn split(buf: &[u8], pos: usize, eof: bool, spans: &mut Vec<Span>) -> Split {
    spans.clear();
    let rest = &buf[pos..];
    let (line_end, end, newlines) = match memchr::memchr3(b'\n', b'"', b'\r', rest) {
        None if !eof => return Split::More,
        None => (rest.len(), rest.len(), 0),
        Some(i) => match rest[i] {
            b'\n' => (i, i + 1, 1),
            b'\r' => match rest.get(i + 1) {
                Some(b'\n') => (i, i + 2, 1),
                None if !eof => return Split::More,
                None => (i, i + 1, 0),
                Some(_) => return Split::Trouble("a carriage return inside a line"),
            },
            _ => return walk(buf, pos, eof, spans),
        },
    };
    let mut from = pos;
    for_each_comma(&rest[..line_end], |c| {
        spans.push(Span {
            from,
            to: pos + c,
            escaped: false,
        });
        from = pos + c + 1;
    });
    spans.push(Span {
        from,
        to: pos + line_end,
        escaped: false,
    });
    Split::Record {
        end: pos + end,
        newlines,
    }
}

/// Call `each` with the position of every comma of `line`, in order. Eight bytes at a time
/// (a record's line is short: one SIMD search per comma would cost more in calls).
fn for_each_comma(line: &[u8], mut each: impl FnMut(usize)) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // Bytes equal to ',' become zero; the high bit marks each zero byte exactly.
    let commas = |word: u64| {
        let x = word ^ (ONES * u64::from(b','));
        !(((x & LOW7) + LOW7) | x | LOW7)
    };
    let mut each_in = |mut found: u64, at: usize| {
        while found != 0 {
            each(at + (found.trailing_zeros() / 8) as usize);
            found &= found - 1;
        }
    };
    let mut words = line.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        each_in(
            commas(u64::from_le_bytes(word.try_into().expect("8 bytes"))),
            at,
        );
        at += 8;
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        for (d, s) in word.iter_mut().zip(rest) {
            *d = *s;
        }
        // Padding bytes are zero, not commas.
        let found = commas(u64::from_le_bytes(word)) & ((1u64 << (rest.len() * 8)) - 1);
        each_in(found, at);
    }
}

/// [`split`] for a record with a quote: field by field.
fn walk(buf: &[u8], pos: usize, eof: bool, spans: &mut Vec<Span>) -> Split {
    let n = buf.len();
    let mut p = pos;
    let mut newlines = 0;
    // Where the field's terminator is, then what it is.
    loop {
        let after;
        if buf.get(p) == Some(&b'"') {
            let mut q = p + 1;
            let mut escaped = false;
            let close = loop {
                match memchr::memchr(b'"', &buf[q..]) {
                    None if eof => return Split::Trouble("a quote never closed"),
                    None => return Split::More,
                    Some(k) => {
                        let at = q + k;
                        match buf.get(at + 1) {
                            Some(b'"') => {
                                escaped = true;
                                q = at + 2;
                            }
                            None if !eof => return Split::More,
                            _ => break at,
                        }
                    }
                }
            };
            newlines += memchr::memchr_iter(b'\n', &buf[p + 1..close]).count();
            spans.push(Span {
                from: p + 1,
                to: close,
                escaped,
            });
            after = close + 1;
        } else {
            match memchr::memchr3(b',', b'\n', b'\r', &buf[p..]) {
                None if !eof => return Split::More,
                None => {
                    spans.push(Span {
                        from: p,
                        to: n,
                        escaped: false,
                    });
                    return Split::Record { end: n, newlines };
                }
                Some(k) => {
                    spans.push(Span {
                        from: p,
                        to: p + k,
                        escaped: false,
                    });
                    after = p + k;
                }
            }
        }
        match buf.get(after) {
            None if eof => return Split::Record { end: n, newlines },
            None => return Split::More,
            Some(b',') => p = after + 1,
            Some(b'\n') => {
                return Split::Record {
                    end: after + 1,
                    newlines: newlines + 1,
                };
            }
            Some(b'\r') => match buf.get(after + 1) {
                Some(b'\n') => {
                    return Split::Record {
                        end: after + 2,
                        newlines: newlines + 1,
                    };
                }
                None if !eof => return Split::More,
                None => return Split::Record { end: n, newlines },
                Some(_) => return Split::Trouble("a carriage return inside a line"),
            },
            Some(_) => return Split::Trouble("text after a closing quote"),
        }
    }
}

/// What every part is parsed with.
struct Shared<'a> {
    file: &'a File,
    len: u64,
    cols: Cols,
    choice: EncodingChoice,
    known: &'a Known,
    read: &'a AtomicU64,
    progress: &'a (dyn Fn(u64) + Sync),
}

/// Read at `offset` until `buf` is full or the file ends.
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match positioned_read(file, &mut buf[n..], offset + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(unix)]
fn positioned_read(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn positioned_read(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

/// Parse the records starting before `stop`, from `start` (exact) or from the first
/// record start at or after `start` (speculative: after the first newline at or after
/// `start - 1`).
/// The large tables of a part, used again by a later part once it is merged (the same
/// few allocations all along, not one set per part).
struct Buffers {
    slots: Vec<Slot>,
    events: Vec<Event>,
    text: Vec<u8>,
    kept: Vec<Kept>,
}

impl Buffers {
    fn new(sh: &Shared) -> Self {
        Buffers {
            slots: sh.known.slots.clone(),
            events: Vec::new(),
            text: Vec::new(),
            kept: vec![Kept::default(); sh.known.names.len()],
        }
    }

    /// Made empty again: the budget's table without sums, nothing kept.
    fn reset(mut self, sh: &Shared) -> Self {
        self.slots.copy_from_slice(&sh.known.slots);
        // Only the first parts keep many rows (every project's first vouchers): later
        // ones need little room.
        self.events.clear();
        self.events.shrink_to(1 << 12);
        self.text.clear();
        self.text.shrink_to(1 << 16);
        self.kept.fill(Kept::default());
        self
    }
}

fn parse_part(
    sh: &Shared,
    start: u64,
    speculative: bool,
    stop: u64,
    buf: &mut Vec<u8>,
    reuse: Option<Buffers>,
) -> Part {
    let Buffers {
        slots,
        events,
        text,
        kept,
    } = match reuse {
        Some(b) => b.reset(sh),
        None => Buffers::new(sh),
    };
    let mut part = Part {
        start,
        end: start,
        slots,
        counts: FxHashMap::default(),
        long: FxHashMap::default(),
        other: FxHashMap::default(),
        events,
        text,
        kept,
        unknown: FxHashMap::default(),
        newlines: 0,
        rows: 0,
        last_date: None,
        encodings: Encodings::default(),
        trouble: None,
    };
    if let Err(e) = parse_into(sh, start, speculative, stop, buf, &mut part) {
        part.trouble = Some(e);
    }
    part
}

fn parse_into(
    sh: &Shared,
    start: u64,
    speculative: bool,
    stop: u64,
    buf: &mut Vec<u8>,
    part: &mut Part,
) -> Result<(), String> {
    let mut spans: Vec<Span> = Vec::with_capacity(16);
    // `buf[..filled]` holds the file from `base`; records are parsed from `pos`.
    let mut base = if speculative { start - 1 } else { start };
    let mut filled = 0usize;
    let mut pos = 0usize;
    let mut seeking = speculative;
    // Bytes before `checked` (buffer positions) were validated, as `enc`.
    let mut checked = 0usize;
    let mut enc = Enc::Utf8;
    loop {
        // Keep the unparsed tail, read more after it.
        if pos > 0 {
            buf.copy_within(pos..filled, 0);
            filled -= pos;
            checked = checked.saturating_sub(pos);
            base += pos as u64;
            pos = 0;
        }
        if filled == buf.len() {
            let grown = buf.len() * 2;
            buf.resize(grown, 0);
        }
        // Read no further than the part needs, but in large pieces.
        let want = (buf.len() - filled)
            .min((stop.saturating_sub(base + filled as u64) as usize).max(1 << 16));
        let k = read_at(
            sh.file,
            &mut buf[filled..filled + want],
            base + filled as u64,
        )
        .map_err(|e| e.to_string())?;
        filled += k;
        let eof = base + filled as u64 >= sh.len || k == 0;
        let total = sh.read.fetch_add(k as u64, Ordering::Relaxed) + k as u64;
        (sh.progress)(total.min(sh.len));
        if seeking {
            match memchr::memchr(b'\n', &buf[..filled]) {
                Some(i) => {
                    pos = i + 1;
                    seeking = false;
                    part.start = base + pos as u64;
                }
                None if eof => {
                    part.start = sh.len;
                    part.end = sh.len;
                    return Ok(());
                }
                None => {
                    pos = filled;
                    continue;
                }
            }
        }
        // Validate up to the last line feed (never inside a character in UTF-8 or
        // GB18030), in the encoding these bytes are read in.
        let upto = if eof {
            filled
        } else {
            memchr::memrchr(b'\n', &buf[..filled]).map_or(checked, |i| i + 1)
        };
        if upto > checked {
            let piece = validate(&buf[checked.max(pos)..upto], sh.choice, part)?;
            // A record with a quoted line break can start in an earlier piece: a plain
            // ASCII piece (read as UTF-8) after GB18030 ones leaves the part in GB18030,
            // or its bytes would be decoded as UTF-8 (and some GB18030 text is valid
            // UTF-8). A part is never both (see `Encodings`).
            enc = if part.encodings.not_utf8 {
                Enc::Gb
            } else {
                piece
            };
            checked = upto;
        }
        let eof_here = eof && checked == filled;
        while pos < checked {
            if base + pos as u64 >= stop {
                part.end = base + pos as u64;
                return Ok(());
            }
            match split(&buf[..checked], pos, eof_here, &mut spans) {
                Split::More => break,
                Split::Trouble(why) => return Err(why.into()),
                Split::Record { end, newlines } => {
                    record(sh, part, &buf[..checked], &spans, enc)?;
                    part.newlines += newlines;
                    pos = end;
                }
            }
        }
        if eof && pos >= filled {
            part.end = sh.len;
            return Ok(());
        }
        if eof && k == 0 && pos < filled {
            // Bytes the reader would read as a record but this path did not.
            return Err("an unfinished last record".into());
        }
    }
}

/// Check `bytes` decode in the file's encoding; say which one they are read in.
fn validate(bytes: &[u8], choice: EncodingChoice, part: &mut Part) -> Result<Enc, String> {
    let (enc, seen) = read_as(bytes, choice).map_err(|e| format!("bytes that are {e}"))?;
    part.encodings.note(seen)?;
    Ok(enc)
}

/// A field's text as the reader gives it: quotes undone, decoded, trimmed.
fn text<'b>(buf: &'b [u8], span: Option<&Span>, enc: Enc) -> Option<Cow<'b, str>> {
    let Some(span) = span else {
        return Some(Cow::Borrowed(""));
    };
    let f = &buf[span.from..span.to];
    if span.escaped {
        let undone = decode(f, enc)?.replace("\"\"", "\"");
        return Some(Cow::Owned(undone.trim().to_string()));
    }
    let t = f.trim_ascii();
    if t.is_ascii() {
        return std::str::from_utf8(t).ok().map(Cow::Borrowed);
    }
    match decode(t, enc)? {
        Cow::Borrowed(b) => Some(Cow::Borrowed(b.trim())),
        Cow::Owned(o) if o.trim().len() == o.len() => Some(Cow::Owned(o)),
        Cow::Owned(o) => Some(Cow::Owned(o.trim().to_string())),
    }
}

/// A field's bytes when they are plain ASCII (no quotes to undo), trimmed: the project
/// code, date and amount of almost every row, used without decoding.
fn ascii<'b>(buf: &'b [u8], span: Option<&Span>) -> Option<&'b [u8]> {
    let span = span?;
    let f = buf[span.from..span.to].trim_ascii();
    (!span.escaped && is_ascii(f)).then_some(f)
}

/// `bytes.is_ascii()`, for the short fields of a row: 8 to 16 bytes (a project code) with
/// two word reads.
fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let n = bytes.len();
    if (8..=16).contains(&n) {
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        (word(&bytes[..8]) | word(&bytes[n - 8..])) & HIGH == 0
    } else {
        bytes.is_ascii()
    }
}

/// `YYYY-MM-DD` → its year, or an error for a day the calendar lacks; `None` for other
/// forms (the full parser's).
fn plain_year(b: &[u8]) -> Option<Result<i32, ()>> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // Bytes 0–7 at once, the dashes turned into '0': all eight are digits when each high
    // nibble is 3 and stays 3 with 6 added (0x3A–0x3F become 0x40–0x45).
    const DASHES: u64 = 0xFF00_00FF_0000_0000;
    const THREES: u64 = 0x3030_3030_3030_3030;
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let word = u64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
    let word = (word & !DASHES) | (THREES & DASHES);
    let digits = word & HIGH_NIBBLES == THREES
        && (word + 0x0606_0606_0606_0606) & HIGH_NIBBLES == THREES
        && b[8].is_ascii_digit()
        && b[9].is_ascii_digit();
    if !digits {
        return None;
    }
    let d = |i: usize| u32::from(b[i] - b'0');
    let y = (d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)) as i32;
    let (m, day) = (d(5) * 10 + d(6), d(8) * 10 + d(9));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    Some(if day >= 1 && day <= days {
        Ok(y)
    } else {
        Err(())
    })
}

/// A date's year: the plain form here, other forms through the full parser.
fn year_of(b: &[u8]) -> Result<i32, ()> {
    if let Some(y) = plain_year(b) {
        return y;
    }
    let t = std::str::from_utf8(b).map_err(|_| ())?;
    parse::parse_date(t).map(|d| d.year).map_err(|_| ())
}

/// UTF-8 voucher text that is already trimmed and folded, as most are: no white space at
/// either end, and no character that folds (U+3000, U+FF01–U+FF5E) or is white space
/// beyond ASCII — all of those start with a byte 0xC2, 0xE1, 0xE2, 0xE3 or 0xEF. Its key
/// is the hash of its bytes.
fn plain_voucher(raw: &[u8]) -> bool {
    let edge = |b: Option<&u8>| b.is_some_and(|&b| b >= 0x80 || !(b as char).is_whitespace());
    edge(raw.first())
        && edge(raw.last())
        && !raw
            .iter()
            .any(|b| matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF))
}

/// Sum one record into the part.
// Split pending (issue 12, item 8).
#[allow(clippy::too_many_lines)]
fn record(
    sh: &Shared,
    part: &mut Part,
    buf: &[u8],
    spans: &[Span],
    enc: Enc,
) -> Result<(), String> {
    let line = part.newlines;
    let blank = |s: &Span| {
        let f = &buf[s.from..s.to];
        f.trim_ascii().is_empty()
            || (!is_ascii(f) && decode(f, enc).is_some_and(|t| t.trim().is_empty()))
    };
    if spans.iter().all(blank) {
        return Ok(());
    }
    let cols = sh.cols;
    if spans.len() > cols.width && !spans[cols.width..].iter().all(blank) {
        return Err("a row wider than the header".into());
    }
    let (project, date, amt) = (
        spans.get(cols.project),
        spans.get(cols.date),
        spans.get(cols.amount),
    );
    // Plain ASCII fields are used as bytes; others are decoded first.
    let decoded;
    // The date and amount of the plain forms need no ASCII check: those forms are ASCII.
    let plain = |span: Option<&Span>| {
        span.filter(|s| !s.escaped)
            .map(|s| buf[s.from..s.to].trim_ascii())
    };
    let fast = ascii(buf, project)
        .filter(|p| !p.is_empty())
        .zip(plain(date).and_then(|d| part.plain_year(d)))
        .zip(plain(amt).and_then(plain_amount));
    let (key, year, value) = match fast {
        Some(((p, Ok(y)), v)) => (p, y, v),
        Some(((_, Err(())), _)) => return Err("a bad date or amount".into()),
        _ => {
            let (Some(p), Some(d), Some(a)) = (
                text(buf, project, enc),
                text(buf, date, enc),
                text(buf, amt, enc),
            ) else {
                return Err("undecodable field".into());
            };
            if p.is_empty() || d.is_empty() || a.is_empty() {
                return Err("an empty required field".into());
            }
            let (Ok(y), Ok(v)) = (year_of(d.as_bytes()), amount(a.as_bytes())) else {
                return Err("a bad date or amount".into());
            };
            decoded = p;
            (decoded.as_bytes(), y, v)
        }
    };
    part.rows += 1;
    // A voucher's text, added to `texts` as UTF-8 bytes, and its key: where the text
    // starts. Most need no more than their bytes (see `plain_voucher`): UTF-8 ones are
    // valid already, GB18030 ones are decoded straight into `texts`.
    let voucher = |texts: &mut Vec<u8>| -> Option<(usize, u64)> {
        let span = spans.get(cols.voucher?)?;
        let raw = &buf[span.from..span.to];
        let from = texts.len();
        if !span.escaped {
            match enc {
                Enc::Utf8 if plain_voucher(raw) => {
                    texts.extend_from_slice(raw);
                    return Some((from, plain_voucher_key(raw)));
                }
                Enc::Gb if !raw.is_empty() => {
                    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
                    let room = decoder.max_utf8_buffer_length_without_replacement(raw.len())?;
                    texts.resize(from + room, 0);
                    let (result, _, written) =
                        decoder.decode_to_utf8_without_replacement(raw, &mut texts[from..], true);
                    texts.truncate(from + written);
                    if result == encoding_rs::DecoderResult::InputEmpty
                        && plain_voucher(&texts[from..])
                    {
                        return Some((from, plain_voucher_key(&texts[from..])));
                    }
                    texts.truncate(from);
                }
                _ => {}
            }
        }
        let v = text(buf, Some(span), enc).filter(|v| !v.is_empty())?;
        texts.extend_from_slice(v.as_bytes());
        Some((from, voucher_key(&v)))
    };
    let slot = pack(key).and_then(|packed| find(&part.slots, packed).ok());
    let (i, y) = match slot {
        Some(h) => (sh.known.index_of[h], i32::from(part.slots[h].year)),
        None => match sh.known.long.get(key) {
            Some(&found) => found,
            None => {
                let value = match value {
                    Amount::Fen(f, s) => {
                        let mut d = Decimal::new(f, 2);
                        d.rescale(s);
                        d
                    }
                    Amount::Other(d) => d,
                };
                part.unknown.entry(key.into()).or_default().add(
                    line,
                    false,
                    value,
                    None,
                    sh.known.voucher_limit,
                );
                return Ok(());
            }
        },
    };
    let k = i as usize;
    let outside = y != year;
    match slot {
        Some(h) => {
            let s = &mut part.slots[h];
            s.rows = s.rows.checked_add(1).ok_or(SUM_TOO_LARGE)?;
            if let Amount::Fen(f, scale) = value {
                s.fen = s.fen.checked_add(f).ok_or(SUM_TOO_LARGE)?;
                s.scale = s.scale.max(scale as u8);
            }
            if outside || value.negative() {
                let c = part.counts.entry(h as u32).or_default();
                c.0 += u32::from(value.negative());
                c.1 += u32::from(outside);
            }
        }
        None => part.long.entry(i).or_default().row(&value, outside)?,
    }
    if let Amount::Other(d) = value {
        let o = part.other.entry(i).or_default();
        *o = o.checked_add(d).ok_or(SUM_TOO_LARGE)?;
    }
    // What depends on the order (the first line, the first lines outside the year, the
    // first vouchers) is kept only while the merge still needs it.
    let done = sh.known.done[k].load(Ordering::Relaxed);
    let kept = &mut part.kept[k];
    let mut what = 0;
    if done & FIRST == 0 && !kept.first {
        kept.first = true;
        what |= FIRST;
    }
    if outside && done & OUTSIDE == 0 && usize::from(kept.outside) < LINES_KEPT {
        kept.outside += 1;
        what |= OUTSIDE;
    }
    let mut key = 0;
    let mut at = (0, 0);
    // (Vouchers are short: one longer than 64 KB is left to the reader.)
    if cols.voucher.is_some()
        && done & VOUCHER == 0
        && (kept.vouchers as usize) < sh.known.voucher_limit
    {
        if let Some((from, voucher_key)) = voucher(&mut part.text) {
            kept.vouchers += 1;
            what |= VOUCHER;
            key = voucher_key;
            at = (
                u32::try_from(from).map_err(|_| "a part too large")?,
                u16::try_from(part.text.len() - from).map_err(|_| "a voucher longer than 64 KB")?,
            );
        }
    } else if cols.voucher.is_some() && done & UNCHECKED == 0 && !kept.unchecked {
        // Past the vouchers checked: only whether the row has one matters, once a part.
        let from = part.text.len();
        if voucher(&mut part.text).is_some() {
            kept.unchecked = true;
            what |= UNCHECKED;
        }
        part.text.truncate(from);
    }
    if what != 0 {
        part.events.push(Event {
            project: i,
            line: line as u32,
            what,
            key,
            text_start: at.0,
            text_len: at.1,
        });
    }
    Ok(())
}

/// The parts merged in file order.
struct Merge<'k> {
    known: &'k Known,
    totals: Vec<Totals>,
    other: FxHashMap<u32, Decimal>,
    /// Tables of merged parts, for the next parts.
    spare: Vec<Buffers>,
    /// Lines and vouchers of the projects of the budget, by number.
    order: Vec<ProjectSpending>,
    /// The next part to merge, and where it truly starts.
    next: usize,
    next_start: u64,
    waiting: BTreeMap<usize, Part>,
    line: usize,
    projects: FxHashMap<Box<[u8]>, ProjectSpending>,
    rows: usize,
    /// How the header and the parts merged so far were read.
    encodings: Encodings,
    failed: Option<String>,
}

impl<'k> Merge<'k> {
    /// Merge part `r` (number `next`), known to start where it truly starts.
    fn absorb(&mut self, r: Part) -> Result<(), String> {
        if let Some(t) = r.trouble {
            return Err(t);
        }
        self.encodings.note(r.encodings)?;
        for (h, slot) in r.slots.iter().enumerate().filter(|(_, s)| s.rows > 0) {
            let (reversals, outside) = r.counts.get(&(h as u32)).copied().unwrap_or_default();
            let sums = PartSums {
                fen: slot.fen,
                scale: u32::from(slot.scale),
                rows: slot.rows,
                reversals,
                outside,
            };
            self.totals[self.known.index_of[h] as usize].add(&sums)?;
        }
        for (i, sums) in &r.long {
            self.totals[*i as usize].add(sums)?;
        }
        for (i, d) in r.other {
            let o = self.other.entry(i).or_default();
            *o = o.checked_add(d).ok_or(SUM_TOO_LARGE)?;
        }
        let base = self.line;
        for e in &r.events {
            let k = e.project as usize;
            let p = &mut self.order[k];
            let line = base + e.line as usize;
            let mut done = 0;
            if e.what & FIRST != 0 && p.first_line == 0 {
                p.first_line = line;
                done |= FIRST;
            }
            if e.what & OUTSIDE != 0 {
                p.outside_line(line);
                if p.outside_lines.len() >= LINES_KEPT {
                    done |= OUTSIDE;
                }
            }
            if e.what & VOUCHER != 0 {
                let from = e.text_start as usize;
                let text = &r.text[from..from + usize::from(e.text_len)];
                p.voucher(e.key, line, text, self.known.voucher_limit);
                if p.vouchers_checked() {
                    done |= VOUCHER;
                }
            }
            if e.what & UNCHECKED != 0 {
                p.unchecked_voucher(line);
            }
            if p.unchecked_voucher_line.is_some() {
                done |= UNCHECKED;
            }
            if done != 0 {
                self.known.done[k].fetch_or(done, Ordering::Relaxed);
            }
        }
        for (k, mut p) in r.unknown {
            p.shift(base);
            match self.projects.get_mut(&k) {
                Some(e) => e.absorb(p),
                None => {
                    self.projects.insert(k, p);
                }
            }
        }
        self.rows += r.rows;
        self.line += r.newlines;
        self.spare.push(Buffers {
            slots: r.slots,
            events: r.events,
            text: r.text,
            kept: r.kept,
        });
        self.next += 1;
        self.next_start = r.end;
        Ok(())
    }

    fn finish(mut self, path: &Path) -> Result<Ledger, String> {
        let mut ledger = Ledger {
            rows: self.rows,
            fast: true,
            ..Ledger::default()
        };
        for (i, t) in std::mem::take(&mut self.totals).into_iter().enumerate() {
            if t.rows == 0 {
                continue;
            }
            let mut p = std::mem::take(&mut self.order[i]);
            p.spent = t.spent(self.other.get(&(i as u32)).copied())?;
            p.rows = t.rows;
            p.reversals = t.reversals;
            p.outside_year = t.outside;
            ledger.projects.insert(self.known.names[i].clone(), p);
        }
        for (k, p) in self.projects {
            let k = String::from_utf8(k.into_vec()).map_err(|e| e.to_string())?;
            ledger.projects.insert(k, p);
        }
        super::finish(&mut ledger, path, self.known.voucher_limit);
        Ok(ledger)
    }
}

/// The title and header rows must decode as the data will: their bytes count like a
/// part's in the choice of encoding.
fn prefix_check(prefix: &[u8], choice: EncodingChoice, merge: &mut Merge) -> Result<(), String> {
    let (_, seen) = read_as(prefix, choice).map_err(|e| format!("a header that is {e}"))?;
    merge.encodings.note(seen)
}

pub(super) fn aggregate(
    path: &Path,
    years: &HashMap<String, i32>,
    options: &LedgerOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Ledger, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut first = vec![0u8; BUFFER.min(len as usize)];
    let n = read_at(&file, &mut first, 0).map_err(|e| e.to_string())?;
    first.truncate(n);
    let choice = options.read.encoding;
    let (cols, data_start, bom) = header(&first, choice)?;
    let choice = if bom { EncodingChoice::Utf8 } else { choice };
    let header_lines = first[..data_start].iter().filter(|&&b| b == b'\n').count();

    // Numbered in the budget's order of codes, so the merge is the same on every run.
    let slots = table(years)?;
    let mut names: Vec<&String> = years.keys().collect();
    names.sort();
    let known = &Known {
        slots: slots.0,
        index_of: slots.1,
        long: names
            .iter()
            .enumerate()
            .filter(|(_, k)| pack(k.as_bytes()).is_none())
            .map(|(i, k)| (k.as_bytes().into(), (i as u32, years[*k])))
            .collect(),
        names: names.iter().map(|s| s.to_string()).collect(),
        done: names.iter().map(|_| AtomicU8::new(0)).collect(),
        voucher_limit: voucher_rows_checked(years.len()),
    };
    let mut merge = Merge {
        known,
        totals: vec![Totals::default(); names.len()],
        other: FxHashMap::default(),
        order: vec![ProjectSpending::default(); names.len()],
        spare: Vec::new(),
        next: 0,
        next_start: data_start as u64,
        waiting: BTreeMap::new(),
        line: 1 + header_lines,
        projects: FxHashMap::default(),
        rows: 0,
        encodings: Encodings::default(),
        failed: None,
    };
    prefix_check(&first[..data_start], choice, &mut merge)?;
    drop(first);

    // The nominal starts of the parts; part `i` holds the records starting in
    // `starts[i]..starts[i + 1]`.
    let part_size = options.block_size.max(16) as u64;
    let data_start = data_start as u64;
    let count = len.saturating_sub(data_start).div_ceil(part_size).max(1) as usize;
    let starts: Vec<u64> = (0..=count)
        .map(|i| (data_start + i as u64 * part_size).min(len))
        .collect();
    let read = AtomicU64::new(data_start);
    let shared = &Shared {
        file: &file,
        len,
        cols,
        choice,
        known,
        read: &read,
        progress,
    };
    let threads = options.threads.max(1).min(count);
    let next_part = AtomicUsize::new(0);
    let merge = Mutex::new(merge);
    let merged = Condvar::new();
    let ahead = threads + 1;
    let buffer = BUFFER.min(options.block_size.max(64));
    let work = || {
        let mut buf = vec![0u8; buffer];
        loop {
            let i = next_part.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            // Where the part starts is known exactly when the parts before it
            // are merged (always, with one thread).
            let exact = {
                let mut m = merge.lock().expect("merge");
                // A thread does not run far ahead of the merge: the parts waiting
                // to be merged hold memory.
                while m.failed.is_none() && i >= m.next + ahead {
                    m = merged.wait(m).expect("merge");
                }
                if m.failed.is_some() {
                    break;
                }
                ((m.next == i).then_some(m.next_start), m.spare.pop())
            };
            let part = match exact {
                (Some(at), reuse) => parse_part(shared, at, false, starts[i + 1], &mut buf, reuse),
                (None, reuse) => {
                    parse_part(shared, starts[i], true, starts[i + 1], &mut buf, reuse)
                }
            };
            let mut m = merge.lock().expect("merge");
            m.waiting.insert(i, part);
            while m.failed.is_none() {
                let next = m.next;
                let Some(mut part) = m.waiting.remove(&next) else {
                    break;
                };
                if part.start != m.next_start {
                    // A wrong guess: parse the part again from its true start.
                    let at = m.next_start;
                    let reuse = m.spare.pop();
                    part = parse_part(shared, at, false, starts[next + 1], &mut buf, reuse);
                }
                if let Err(e) = m.absorb(part) {
                    m.failed = Some(e);
                }
            }
            merged.notify_all();
        }
    };
    // The calling thread is one of the workers: one thread (and one allocator arena)
    // fewer.
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    let mut merge = merge
        .into_inner()
        .map_err(|_| "a thread failed".to_string())?;
    if let Some(e) = merge.failed.take() {
        return Err(e);
    }
    if merge.next != count {
        return Err("a part was not merged".into());
    }
    merge.finish(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(text: &str) -> Vec<Vec<String>> {
        let buf = text.as_bytes();
        let mut spans = Vec::new();
        let mut pos = 0;
        let mut out = Vec::new();
        while pos < buf.len() {
            match split(buf, pos, true, &mut spans) {
                Split::Record { end, .. } => {
                    out.push(
                        spans
                            .iter()
                            .map(|s| {
                                let t = std::str::from_utf8(&buf[s.from..s.to]).unwrap();
                                if s.escaped {
                                    t.replace("\"\"", "\"")
                                } else {
                                    t.to_string()
                                }
                            })
                            .collect(),
                    );
                    pos = end;
                }
                other => panic!("{other:?} at {pos}"),
            }
        }
        out
    }

    /// The same records as the csv crate, which the reader uses.
    #[test]
    fn split_agrees_with_the_csv_crate() {
        for text in [
            "a,b,c\n1,2,3\n",
            "a,\"b,1\",c\r\n\"x\ny\",\"he said \"\"hi\"\"\",z\n",
            "a,b\"c,d\n",
            ",,\n\"\",x\n",
            "last,no,newline",
            "q,\"quoted at the end\"",
            "x,\"\"\"\",y\n",
            "\n\na,b\n",
        ] {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let expected: Vec<Vec<String>> = rdr
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            let got: Vec<Vec<String>> = split_all(text)
                .into_iter()
                .filter(|r| !(r.len() == 1 && r[0].is_empty()))
                .collect();
            assert_eq!(got, expected, "{text:?}");
        }
    }

    #[test]
    fn plain_vouchers_need_no_trimming_or_folding() {
        for text in [
            "记-0000001",
            "A-1",
            " 记-1",
            "记-1\t",
            "记－Ｘ００１",
            "\u{3000}记-1",
            "记-1\u{00A0}",
            "\u{2003}1",
            "1\u{0085}",
            "\u{1680}x",
            "x\u{000B}",
            "凭证 12",
            "",
        ] {
            let folded = parse::fold_width(text);
            if plain_voucher(text.as_bytes()) {
                assert_eq!(text, folded.trim(), "{text:?}");
                assert_eq!(plain_voucher_key(text.as_bytes()), voucher_key(text));
            } else {
                // Only texts that do change, or might, are left to the full path.
                assert!(
                    text.is_empty()
                        || folded.trim() != text
                        || text
                            .bytes()
                            .any(|b| matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)),
                    "{text:?}"
                );
            }
        }
        assert!(plain_voucher("记-0000001".as_bytes()));
        assert!(!plain_voucher(" 记-1".as_bytes()));
        assert!(!plain_voucher("记－Ｘ００１".as_bytes()));
    }

    #[test]
    fn short_fields_are_ascii_or_not() {
        for len in 0..24 {
            for at in 0..len {
                let mut field = vec![b'7'; len];
                assert!(is_ascii(&field));
                field[at] = 0xE8;
                assert!(!is_ascii(&field), "{len} {at}");
            }
        }
    }

    #[test]
    fn codes_pack_into_distinct_integers() {
        // The layout: the bytes in order, the length in the last byte.
        for code in [
            "",
            "A",
            "05-2024-05965",
            "1234567",
            "12345678",
            "123456789012345",
        ] {
            let mut b = [0u8; 16];
            b[..code.len()].copy_from_slice(code.as_bytes());
            b[15] = code.len() as u8;
            assert_eq!(
                pack(code.as_bytes()),
                Some(u128::from_le_bytes(b)),
                "{code}"
            );
        }
        assert_eq!(pack(b"1234567890123456"), None);
        assert_ne!(pack(b"A"), pack(b"A\0"));
    }

    #[test]
    fn commas_are_found_in_every_position() {
        for len in 0..40 {
            for pattern in 0..4u32 {
                let line: Vec<u8> = (0..len)
                    .map(|i: usize| {
                        if (i as u32 * 7 + pattern).is_multiple_of(3) {
                            b','
                        } else {
                            b"a\xE6\x80\x7F\xFF"[i % 5]
                        }
                    })
                    .collect();
                let expected: Vec<usize> = memchr::memchr_iter(b',', &line).collect();
                let mut got = Vec::new();
                for_each_comma(&line, |c| got.push(c));
                assert_eq!(got, expected, "{line:?}");
            }
        }
    }

    #[test]
    fn split_asks_for_more_at_the_buffer_end() {
        let mut spans = Vec::new();
        assert_eq!(split(b"a,b", 0, false, &mut spans), Split::More);
        assert_eq!(split(b"a,\"b\nc", 0, false, &mut spans), Split::More);
        assert_eq!(split(b"a,\"b\"", 0, false, &mut spans), Split::More);
        assert_eq!(split(b"a,b\r", 0, false, &mut spans), Split::More);
        assert_eq!(
            split(b"a,\"b\"x,c\n", 0, true, &mut spans),
            Split::Trouble("text after a closing quote")
        );
        assert_eq!(
            split(b"a\rb\n", 0, true, &mut spans),
            Split::Trouble("a carriage return inside a line")
        );
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
            "1,234.50",
            "6.79万",
            "1.2.3",
            "12.345",
            "999999999999999.99",
            "-999999999999999.9",
            "9999999999999999",
            "",
            "-.5",
            "--5",
        ] {
            assert_eq!(
                amount(t.as_bytes()).ok().map(|a| a.value()),
                parse::parse_amount(t).ok(),
                "{t}"
            );
        }
        // 12.5 元 is 1250 分, written with one decimal.
        assert_eq!(amount(b"12.5"), Ok(Amount::Fen(1250, 1)));
        assert_eq!(amount(b"-7"), Ok(Amount::Fen(-700, 0)));
        for t in [
            "2022-02-29",
            "2024-02-29",
            "2022-13-01",
            "2022-00-10",
            "2022-04-31",
            "2022-12-31",
            "2022-0a-01",
            "2022-1:-01",
            "20:2-01-01",
            "2022-01-0/",
            "2022-01-1a",
            "2022/01/01",
            "2022-01-01",
            "0000-01-01",
            "2000-02-29",
            "1900-02-29",
        ] {
            assert_eq!(
                year_of(t.as_bytes()).ok(),
                parse::parse_date(t).ok().map(|d| d.year),
                "{t}"
            );
        }
    }

    #[test]
    fn the_sum_keeps_the_scale_of_the_decimals() {
        // 12 + 0.5 = 12.5: scale 1, as Decimal addition gives; plus 1,000.25 of another
        // form = 1012.75.
        let mut part = PartSums::default();
        part.row(&Amount::Fen(1200, 0), false).unwrap();
        part.row(&Amount::Fen(50, 1), true).unwrap();
        part.row(&Amount::Fen(-1, 2), false).unwrap();
        // 1200 + 50 - 1 = 1249 分, 3 rows, 1 reversal, 1 outside the year.
        assert_eq!(
            (part.fen, part.rows, part.reversals, part.outside),
            (1249, 3, 1, 1)
        );
        let mut t = Totals::default();
        t.add(&part).unwrap();
        assert_eq!(t.spent(None).unwrap().to_string(), "12.49");
        let mut t = Totals::default();
        t.add(&PartSums {
            fen: 1250,
            scale: 1,
            ..PartSums::default()
        })
        .unwrap();
        assert_eq!(t.spent(None).unwrap().to_string(), "12.5");
        let other = Decimal::new(100_025, 2);
        assert_eq!(t.spent(Some(other)).unwrap().to_string(), "1012.75");
        let full = PartSums {
            fen: i64::MAX,
            ..PartSums::default()
        };
        assert!(t.add(&full).is_err());
    }
}
