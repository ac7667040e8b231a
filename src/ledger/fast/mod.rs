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
//!
//! The parts: [`projects`] (the table of the budget's projects and the sums), [`header`]
//! (the header and the encodings), [`split`] (the record splitter), [`fields`] (the field
//! parsers, pinned to [`crate::values`]), [`part`] (a part read and summed) and [`merge`].
//! The functions a row goes through in other modules than [`part`] are `#[inline]`: the
//! codegen units are cut by module, and these must still be inlined into the row's loop.

use super::*;
use std::fs::File;
use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

mod fields;
mod header;
mod merge;
mod part;
mod projects;
mod split;

use header::{Cols, Encodings, header};
use merge::{Merge, prefix_check};
use part::parse_part;
use projects::{Known, Totals, pack, table};

/// The default size of the parts the file is cut into: large enough that the speculative
/// starts and the per-part merge cost nothing, small enough to share the work evenly.
pub const PART_SIZE: usize = 8 << 20;

/// The size of each thread's read buffer (a record longer than this grows it).
const BUFFER: usize = 256 << 10;

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

pub(super) fn aggregate(
    path: &Path,
    years: &HashMap<String, i32>,
    options: &LedgerOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Ledger, String> {
    let file = crate::input::open(path).map_err(|e| e.to_string())?;
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
        limit: options.as_of.map(Limit::new),
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
